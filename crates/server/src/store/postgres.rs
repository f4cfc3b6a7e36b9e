//! The job store shared by several serve and worker processes: one
//! PostgreSQL database (tokio-postgres with a deadpool pool). A worker
//! claims a job with `SELECT ... FOR UPDATE SKIP LOCKED`, so two workers
//! never take the same row, and none waits on another's lock. A submitted
//! job is announced with NOTIFY, so idle workers start it without waiting
//! for their next poll.
//!
//! Tables go into the connection's schema (the first of its `search_path`),
//! so several deployments, or tests, can share a database.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;

use deadpool_postgres::{Manager, Pool};
use tokio_postgres::NoTls;

use super::{
    Finish, JobRecord, JobState, JobStore, Lease, Result, StoreError, TokenRecord, gave_up, now_ms,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS diglot_jobs (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    token_id TEXT NOT NULL,
    idempotency_key TEXT,
    callback_url TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    progress TEXT NOT NULL,
    summary TEXT NOT NULL,
    error TEXT,
    deliveries TEXT NOT NULL,
    lock_key TEXT,
    -- When the webhook is next due (ms); NULL when none is.
    webhook_due BIGINT
);
CREATE UNIQUE INDEX IF NOT EXISTS diglot_jobs_idempotency ON diglot_jobs (token_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS diglot_jobs_queue ON diglot_jobs (state, created_at);
CREATE INDEX IF NOT EXISTS diglot_jobs_webhooks ON diglot_jobs (webhook_due) WHERE webhook_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS diglot_job_files (
    job_id TEXT NOT NULL,
    path TEXT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (job_id, path)
);
CREATE TABLE IF NOT EXISTS diglot_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);
-- Requests per token in the current fixed window, shared by every process.
CREATE TABLE IF NOT EXISTS diglot_rates (
    token_id TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL
);
";

const COLUMNS: &str = "id, spec, state, attempts, max_attempts, lease_owner, lease_until, \
cancel_requested, token_id, idempotency_key, callback_url, created_at, started_at, finished_at, \
progress, summary, error, deliveries, lock_key";

/// A pool of connections to one PostgreSQL database.
pub struct PostgresStore {
    pool: Pool,
    config: tokio_postgres::Config,
}

/// The channel on which a submitted job is announced.
const CHANNEL: &str = "diglot_jobs";

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: never print it.
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

fn pg(e: impl std::error::Error) -> StoreError {
    // tokio-postgres says only "db error"; the server's message is the source.
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    StoreError::Postgres(message)
}

impl PostgresStore {
    /// Connects and creates the tables when missing.
    pub async fn connect(url: &str) -> Result<PostgresStore> {
        let config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::Postgres(format!("invalid database URL: {e}")))?;
        let manager = Manager::new(config.clone(), NoTls);
        let pool = Pool::builder(manager).max_size(8).build().map_err(pg)?;
        let store = PostgresStore { pool, config };
        let mut client = store.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        // Processes starting together must not race on CREATE TABLE.
        tx.execute("SELECT pg_advisory_xact_lock(7355608)", &[]).await.map_err(pg)?;
        tx.batch_execute(SCHEMA).await.map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(|e| {
            StoreError::Postgres(format!(
                "cannot reach PostgreSQL ({e}); is the server running and the URL right?"
            ))
        })
    }
}

fn job_from_row(row: &tokio_postgres::Row) -> JobRecord {
    let state: String = row.get(2);
    JobRecord {
        id: row.get(0),
        spec: row.get(1),
        state: JobState::parse(&state).unwrap_or(JobState::Failed),
        attempts: row.get(3),
        max_attempts: row.get(4),
        lease_owner: row.get(5),
        lease_until: row.get(6),
        cancel_requested: row.get(7),
        token_id: row.get(8),
        idempotency_key: row.get(9),
        callback_url: row.get(10),
        created_at: row.get(11),
        started_at: row.get(12),
        finished_at: row.get(13),
        progress: row.get(14),
        summary: row.get(15),
        error: row.get(16),
        deliveries: row.get(17),
        lock_key: row.get(18),
    }
}

fn token_from_row(row: &tokio_postgres::Row) -> TokenRecord {
    let scopes: String = row.get(2);
    TokenRecord {
        id: row.get(0),
        name: row.get(1),
        scopes: scopes.split_whitespace().map(String::from).collect(),
        hash: row.get(3),
        created_at: row.get(4),
        revoked: row.get(5),
    }
}

#[async_trait::async_trait]
impl JobStore for PostgresStore {
    async fn ping(&self) -> Result<()> {
        self.client().await?.execute("SELECT 1", &[]).await.map_err(pg)?;
        Ok(())
    }

    async fn insert_token(&self, t: &TokenRecord) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO diglot_tokens (id, name, scopes, hash, created_at, revoked) VALUES ($1, $2, $3, $4, $5, FALSE)",
                &[&t.id, &t.name, &t.scopes.join(" "), &t.hash, &t.created_at],
            )
            .await
            .map_err(pg)?;
        Ok(())
    }

    async fn tokens(&self) -> Result<Vec<TokenRecord>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, name, scopes, hash, created_at, revoked FROM diglot_tokens ORDER BY created_at, id",
                &[],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(token_from_row).collect())
    }

    async fn token(&self, id: &str) -> Result<Option<TokenRecord>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT id, name, scopes, hash, created_at, revoked FROM diglot_tokens WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(pg)?;
        Ok(row.as_ref().map(token_from_row))
    }

    async fn revoke_token(&self, id_or_name: &str) -> Result<usize> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE diglot_tokens SET revoked = TRUE WHERE (id = $1 OR name = $1) AND NOT revoked",
                &[&id_or_name],
            )
            .await
            .map_err(pg)?;
        Ok(n as usize)
    }

    async fn count_request(&self, token_id: &str, window_secs: i64) -> Result<Option<(i64, i64)>> {
        // The database's clock, not the processes': machines disagree.
        let row = self
            .client()
            .await?
            .query_one(
                "WITH now AS (SELECT floor(extract(epoch FROM clock_timestamp()))::BIGINT AS s)
                 INSERT INTO diglot_rates (token_id, window_start, count)
                 SELECT $1, s - s % $2, 1 FROM now
                 ON CONFLICT (token_id) DO UPDATE SET
                     count = CASE WHEN diglot_rates.window_start = EXCLUDED.window_start
                                  THEN diglot_rates.count + 1 ELSE 1 END,
                     window_start = EXCLUDED.window_start
                 RETURNING count, window_start + $2 - (SELECT s FROM now)",
                &[&token_id, &window_secs],
            )
            .await
            .map_err(pg)?;
        Ok(Some((row.get(0), row.get(1))))
    }

    async fn insert_job(&self, j: &JobRecord) -> Result<(JobRecord, bool)> {
        let client = self.client().await?;
        let n = client
            .execute(
                &format!(
                    "INSERT INTO diglot_jobs ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) ON CONFLICT DO NOTHING"
                ),
                &[
                    &j.id,
                    &j.spec,
                    &j.state.as_str(),
                    &j.attempts,
                    &j.max_attempts,
                    &j.lease_owner,
                    &j.lease_until,
                    &j.cancel_requested,
                    &j.token_id,
                    &j.idempotency_key,
                    &j.callback_url,
                    &j.created_at,
                    &j.started_at,
                    &j.finished_at,
                    &j.progress,
                    &j.summary,
                    &j.error,
                    &j.deliveries,
                    &j.lock_key,
                ],
            )
            .await
            .map_err(pg)?;
        if n == 1 {
            client.execute(&format!("NOTIFY {CHANNEL}"), &[]).await.map_err(pg)?;
            return Ok((j.clone(), true));
        }
        let row = client
            .query_one(
                &format!(
                    "SELECT {COLUMNS} FROM diglot_jobs WHERE token_id = $1 AND idempotency_key = $2"
                ),
                &[&j.token_id, &j.idempotency_key],
            )
            .await
            .map_err(pg)?;
        Ok((job_from_row(&row), false))
    }

    async fn job(&self, id: &str) -> Result<Option<JobRecord>> {
        let row = self
            .client()
            .await?
            .query_opt(&format!("SELECT {COLUMNS} FROM diglot_jobs WHERE id = $1"), &[&id])
            .await
            .map_err(pg)?;
        Ok(row.as_ref().map(job_from_row))
    }

    async fn job_with_key(&self, token_id: &str, key: &str) -> Result<Option<JobRecord>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!(
                    "SELECT {COLUMNS} FROM diglot_jobs WHERE token_id = $1 AND idempotency_key = $2"
                ),
                &[&token_id, &key],
            )
            .await
            .map_err(pg)?;
        Ok(row.as_ref().map(job_from_row))
    }

    async fn jobs(
        &self,
        state: Option<JobState>,
        limit: i64,
        before: Option<&str>,
    ) -> Result<Vec<JobRecord>> {
        let state = state.map(|s| s.as_str());
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM diglot_jobs WHERE ($1::TEXT IS NULL OR state = $1) AND ($2::TEXT IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"
                ),
                &[&state, &before, &limit],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(job_from_row).collect())
    }

    async fn cancel(&self, id: &str) -> Result<Option<JobRecord>> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE diglot_jobs SET state = 'canceled', finished_at = $2, webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE $2::BIGINT END WHERE id = $1 AND state = 'queued'",
                &[&id, &now_ms()],
            )
            .await
            .map_err(pg)?;
        client
            .execute(
                "UPDATE diglot_jobs SET cancel_requested = TRUE WHERE id = $1 AND state = 'running'",
                &[&id],
            )
            .await
            .map_err(pg)?;
        drop(client);
        self.job(id).await
    }

    async fn active_jobs_of(&self, token_id: &str) -> Result<i64> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT COUNT(*) FROM diglot_jobs WHERE token_id = $1 AND state IN ('queued', 'running')",
                &[&token_id],
            )
            .await
            .map_err(pg)?;
        Ok(row.get(0))
    }

    async fn claim(&self, owner: &str, lease_ms: i64) -> Result<Option<JobRecord>> {
        let mut client = self.client().await?;
        loop {
            let tx = client.transaction().await.map_err(pg)?;
            let now = now_ms();
            let next = tx
                .query_opt(
                    "SELECT j.id, j.attempts, j.max_attempts, j.cancel_requested, j.lock_key FROM diglot_jobs j
                     WHERE (j.state = 'queued' OR (j.state = 'running' AND j.lease_until < $1))
                       AND (j.lock_key IS NULL OR NOT EXISTS (
                            SELECT 1 FROM diglot_jobs r WHERE r.lock_key = j.lock_key
                            AND r.state = 'running' AND r.lease_until >= $1 AND r.id <> j.id))
                     ORDER BY j.created_at, j.id LIMIT 1 FOR UPDATE OF j SKIP LOCKED",
                    &[&now],
                )
                .await
                .map_err(pg)?;
            let Some(next) = next else {
                tx.commit().await.map_err(pg)?;
                return Ok(None);
            };
            let (id, attempts, max_attempts, cancel, lock_key): (
                String,
                i32,
                i32,
                bool,
                Option<String>,
            ) = (next.get(0), next.get(1), next.get(2), next.get(3), next.get(4));
            if let Some(key) = &lock_key {
                // Claims of keyed jobs take turns, so two workers cannot both
                // find the key free; each sees the other's committed claim.
                tx.execute("SELECT pg_advisory_xact_lock(7355609)", &[]).await.map_err(pg)?;
                let held: bool = tx
                    .query_one(
                        "SELECT EXISTS (SELECT 1 FROM diglot_jobs WHERE lock_key = $1
                         AND state = 'running' AND lease_until >= $2 AND id <> $3)",
                        &[key, &now, &id],
                    )
                    .await
                    .map_err(pg)?
                    .get(0);
                if held {
                    tx.commit().await.map_err(pg)?;
                    continue;
                }
            }
            if cancel {
                tx.execute(
                    "UPDATE diglot_jobs SET state = 'canceled', finished_at = $2, webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE $2::BIGINT END, lease_owner = NULL, lease_until = NULL WHERE id = $1",
                    &[&id, &now],
                )
                .await
                .map_err(pg)?;
                tx.commit().await.map_err(pg)?;
                continue;
            }
            if attempts >= max_attempts {
                tx.execute(
                    "UPDATE diglot_jobs SET state = 'failed', error = $2, finished_at = $3, webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE $3::BIGINT END, lease_owner = NULL, lease_until = NULL WHERE id = $1",
                    &[&id, &gave_up(attempts), &now],
                )
                .await
                .map_err(pg)?;
                tx.commit().await.map_err(pg)?;
                continue;
            }
            let row = tx
                .query_one(
                    &format!(
                        "UPDATE diglot_jobs SET state = 'running', attempts = attempts + 1, lease_owner = $2,
                         lease_until = $3, started_at = COALESCE(started_at, $4) WHERE id = $1 RETURNING {COLUMNS}"
                    ),
                    &[&id, &owner, &(now + lease_ms), &now],
                )
                .await
                .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            return Ok(Some(job_from_row(&row)));
        }
    }

    async fn renew(&self, id: &str, owner: &str, lease_ms: i64, progress: &str) -> Result<Lease> {
        let row = self
            .client()
            .await?
            .query_opt(
                "UPDATE diglot_jobs SET lease_until = $3, progress = $4
                 WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING cancel_requested",
                &[&id, &owner, &(now_ms() + lease_ms), &progress],
            )
            .await
            .map_err(pg)?;
        Ok(match row {
            None => Lease::Lost,
            Some(r) if r.get::<_, bool>(0) => Lease::CancelRequested,
            Some(_) => Lease::Held,
        })
    }

    async fn finish(&self, id: &str, owner: &str, f: &Finish) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        let n = tx
            .execute(
                "UPDATE diglot_jobs SET state = $3, summary = $4, progress = $5, error = $6, finished_at = $7,
                 webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE $7::BIGINT END,
                 lease_owner = NULL, lease_until = NULL
                 WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
                &[&id, &owner, &f.state.as_str(), &f.summary, &f.progress, &f.error, &now_ms()],
            )
            .await
            .map_err(pg)?;
        if n == 0 {
            return Ok(false);
        }
        tx.execute("DELETE FROM diglot_job_files WHERE job_id = $1", &[&id]).await.map_err(pg)?;
        for (path, body) in &f.files {
            tx.execute(
                "INSERT INTO diglot_job_files (job_id, path, body) VALUES ($1, $2, $3)",
                &[&id, path, body],
            )
            .await
            .map_err(pg)?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(true)
    }

    async fn release(&self, id: &str, owner: &str) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE diglot_jobs SET state = 'queued', attempts = GREATEST(attempts - 1, 0), lease_owner = NULL, lease_until = NULL
                 WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
                &[&id, &owner],
            )
            .await
            .map_err(pg)?;
        Ok(())
    }

    async fn file(&self, id: &str, path: &str) -> Result<Option<Vec<u8>>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT body FROM diglot_job_files WHERE job_id = $1 AND path = $2",
                &[&id, &path],
            )
            .await
            .map_err(pg)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn file_names(&self, id: &str) -> Result<Vec<String>> {
        let rows = self
            .client()
            .await?
            .query("SELECT path FROM diglot_job_files WHERE job_id = $1 ORDER BY path", &[&id])
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn claim_webhook(&self, lease_ms: i64) -> Result<Option<JobRecord>> {
        let now = now_ms();
        let row = self
            .client()
            .await?
            .query_opt(
                &format!(
                    "UPDATE diglot_jobs SET webhook_due = $2 WHERE id = (
                        SELECT id FROM diglot_jobs WHERE webhook_due <= $1
                        ORDER BY webhook_due, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                     RETURNING {COLUMNS}"
                ),
                &[&now, &(now + lease_ms)],
            )
            .await
            .map_err(pg)?;
        Ok(row.as_ref().map(job_from_row))
    }

    async fn webhook_attempted(
        &self,
        id: &str,
        deliveries: &str,
        next_due: Option<i64>,
    ) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE diglot_jobs SET deliveries = $2, webhook_due = $3 WHERE id = $1",
                &[&id, &deliveries, &next_due],
            )
            .await
            .map_err(pg)?;
        Ok(())
    }

    async fn listen(&self, wake: Arc<tokio::sync::Notify>) {
        let config = self.config.clone();
        tokio::spawn(async move {
            // A dedicated connection; after a failure, listen again later.
            loop {
                if let Ok((client, mut connection)) = config.connect(NoTls).await {
                    let wake = wake.clone();
                    let driver = tokio::spawn(async move {
                        let mut messages =
                            futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                        while let Some(Ok(message)) = messages.next().await {
                            if let tokio_postgres::AsyncMessage::Notification(_) = message {
                                wake.notify_one();
                            }
                        }
                    });
                    if client.batch_execute(&format!("LISTEN {CHANNEL}")).await.is_ok() {
                        let _ = driver.await;
                    }
                }
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        });
    }

    async fn counts(&self) -> Result<Vec<(JobState, i64)>> {
        let rows = self
            .client()
            .await?
            .query("SELECT state, COUNT(*) FROM diglot_jobs GROUP BY state", &[])
            .await
            .map_err(pg)?;
        Ok(rows
            .iter()
            .filter_map(|r| Some((JobState::parse(r.get::<_, &str>(0))?, r.get(1))))
            .collect())
    }

    async fn finished(&self) -> Result<Vec<(String, i64)>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT summary, finished_at - started_at FROM diglot_jobs
                 WHERE state IN ('succeeded', 'failed', 'canceled') AND started_at IS NOT NULL AND finished_at IS NOT NULL",
                &[],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}
