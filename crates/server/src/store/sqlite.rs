//! The job store of a single project: `.diglot/jobs.sqlite` (rusqlite, the
//! SQLite the translation memory uses). Several processes may share it;
//! claims take SQLite's write lock (`BEGIN IMMEDIATE`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    Finish, JobRecord, JobState, JobStore, Lease, Result, StoreError, TokenRecord, gave_up, now_ms,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    token_id TEXT NOT NULL,
    idempotency_key TEXT,
    callback_url TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    progress TEXT NOT NULL,
    summary TEXT NOT NULL,
    error TEXT,
    deliveries TEXT NOT NULL,
    lock_key TEXT,
    -- When the webhook is next due (ms); NULL when none is.
    webhook_due BIGINT
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs (token_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (state, created_at);
CREATE INDEX IF NOT EXISTS jobs_webhooks ON jobs (webhook_due) WHERE webhook_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS job_files (
    job_id TEXT NOT NULL,
    path TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (job_id, path)
);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
";

const COLUMNS: &str = "id, spec, state, attempts, max_attempts, lease_owner, lease_until, \
cancel_requested, token_id, idempotency_key, callback_url, created_at, started_at, finished_at, \
progress, summary, error, deliveries, lock_key";

#[derive(Debug, Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)) })
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?
    }
}

fn job_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<JobRecord> {
    let state: String = row.get(2)?;
    Ok(JobRecord {
        id: row.get(0)?,
        spec: row.get(1)?,
        state: JobState::parse(&state).unwrap_or(JobState::Failed),
        attempts: row.get(3)?,
        max_attempts: row.get(4)?,
        lease_owner: row.get(5)?,
        lease_until: row.get(6)?,
        cancel_requested: row.get::<_, i64>(7)? != 0,
        token_id: row.get(8)?,
        idempotency_key: row.get(9)?,
        callback_url: row.get(10)?,
        created_at: row.get(11)?,
        started_at: row.get(12)?,
        finished_at: row.get(13)?,
        progress: row.get(14)?,
        summary: row.get(15)?,
        error: row.get(16)?,
        deliveries: row.get(17)?,
        lock_key: row.get(18)?,
    })
}

fn token_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRecord> {
    let scopes: String = row.get(2)?;
    Ok(TokenRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        scopes: scopes.split_whitespace().map(String::from).collect(),
        hash: row.get(3)?,
        created_at: row.get(4)?,
        revoked: row.get::<_, i64>(5)? != 0,
    })
}

fn get_job(conn: &Connection, id: &str) -> Result<Option<JobRecord>> {
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1"), [id], job_from_row)
        .optional()?)
}

#[async_trait::async_trait]
impl JobStore for SqliteStore {
    async fn ping(&self) -> Result<()> {
        self.with(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    async fn insert_token(&self, token: &TokenRecord) -> Result<()> {
        let t = token.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO tokens (id, name, scopes, hash, created_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
                params![t.id, t.name, t.scopes.join(" "), t.hash, t.created_at],
            )?;
            Ok(())
        })
        .await
    }

    async fn tokens(&self) -> Result<Vec<TokenRecord>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, name, scopes, hash, created_at, revoked FROM tokens ORDER BY created_at, id",
            )?;
            let rows = stmt.query_map([], token_from_row)?.collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .await
    }

    async fn token(&self, id: &str) -> Result<Option<TokenRecord>> {
        let id = id.to_string();
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT id, name, scopes, hash, created_at, revoked FROM tokens WHERE id = ?1",
                [id],
                token_from_row,
            )
            .optional()?)
        })
        .await
    }

    async fn revoke_token(&self, id_or_name: &str) -> Result<usize> {
        let key = id_or_name.to_string();
        self.with(move |c| {
            Ok(c.execute(
                "UPDATE tokens SET revoked = 1 WHERE (id = ?1 OR name = ?1) AND revoked = 0",
                [key],
            )?)
        })
        .await
    }

    async fn insert_job(&self, job: &JobRecord) -> Result<(JobRecord, bool)> {
        let j = job.clone();
        self.with(move |c| {
            let inserted = c.execute(
                &format!(
                    "INSERT INTO jobs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) ON CONFLICT DO NOTHING"
                ),
                params![
                    j.id,
                    j.spec,
                    j.state.as_str(),
                    j.attempts,
                    j.max_attempts,
                    j.lease_owner,
                    j.lease_until,
                    j.cancel_requested as i64,
                    j.token_id,
                    j.idempotency_key,
                    j.callback_url,
                    j.created_at,
                    j.started_at,
                    j.finished_at,
                    j.progress,
                    j.summary,
                    j.error,
                    j.deliveries,
                    j.lock_key
                ],
            )?;
            if inserted == 1 {
                return Ok((j, true));
            }
            let existing = c.query_row(
                &format!("SELECT {COLUMNS} FROM jobs WHERE token_id = ?1 AND idempotency_key = ?2"),
                params![j.token_id, j.idempotency_key],
                job_from_row,
            )?;
            Ok((existing, false))
        })
        .await
    }

    async fn job(&self, id: &str) -> Result<Option<JobRecord>> {
        let id = id.to_string();
        self.with(move |c| get_job(c, &id)).await
    }

    async fn job_with_key(&self, token_id: &str, key: &str) -> Result<Option<JobRecord>> {
        let (token_id, key) = (token_id.to_string(), key.to_string());
        self.with(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM jobs WHERE token_id = ?1 AND idempotency_key = ?2"
            ))?;
            let mut rows = stmt.query_map(params![token_id, key], job_from_row)?;
            Ok(rows.next().transpose()?)
        })
        .await
    }

    async fn jobs(
        &self,
        state: Option<JobState>,
        limit: i64,
        before: Option<&str>,
    ) -> Result<Vec<JobRecord>> {
        let state = state.map(|s| s.as_str().to_string());
        let before = before.map(String::from);
        self.with(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM jobs WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3"
            ))?;
            let rows = stmt
                .query_map(params![state, before, limit], job_from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .await
    }

    async fn cancel(&self, id: &str) -> Result<Option<JobRecord>> {
        let id = id.to_string();
        self.with(move |c| {
            let now = now_ms();
            c.execute(
                "UPDATE jobs SET state = 'canceled', finished_at = ?2, webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE ?2 END WHERE id = ?1 AND state = 'queued'",
                params![id, now],
            )?;
            c.execute(
                "UPDATE jobs SET cancel_requested = 1 WHERE id = ?1 AND state = 'running'",
                [&id],
            )?;
            get_job(c, &id)
        })
        .await
    }

    async fn active_jobs_of(&self, token_id: &str) -> Result<i64> {
        let token_id = token_id.to_string();
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM jobs WHERE token_id = ?1 AND state IN ('queued', 'running')",
                [token_id],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn claim(&self, owner: &str, lease_ms: i64) -> Result<Option<JobRecord>> {
        let owner = owner.to_string();
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            loop {
                let now = now_ms();
                let next: Option<(String, i32, i32, bool)> = tx
                    .query_row(
                        "SELECT id, attempts, max_attempts, cancel_requested FROM jobs
                         WHERE (state = 'queued' OR (state = 'running' AND lease_until < ?1))
                           AND (lock_key IS NULL OR NOT EXISTS (
                                SELECT 1 FROM jobs r WHERE r.lock_key = jobs.lock_key
                                AND r.state = 'running' AND r.lease_until >= ?1 AND r.id <> jobs.id))
                         ORDER BY created_at, id LIMIT 1",
                        [now],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0)),
                    )
                    .optional()?;
                let Some((id, attempts, max_attempts, cancel)) = next else {
                    tx.commit()?;
                    return Ok(None);
                };
                if cancel {
                    tx.execute(
                        "UPDATE jobs SET state = 'canceled', finished_at = ?2, webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE ?2 END, lease_owner = NULL, lease_until = NULL WHERE id = ?1",
                        params![id, now],
                    )?;
                    continue;
                }
                if attempts >= max_attempts {
                    tx.execute(
                        "UPDATE jobs SET state = 'failed', error = ?2, finished_at = ?3, webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE ?3 END, lease_owner = NULL, lease_until = NULL WHERE id = ?1",
                        params![id, gave_up(attempts), now],
                    )?;
                    continue;
                }
                tx.execute(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?2,
                     lease_until = ?3, started_at = COALESCE(started_at, ?4) WHERE id = ?1",
                    params![id, owner, now + lease_ms, now],
                )?;
                let job = get_job(&tx, &id)?;
                tx.commit()?;
                return Ok(job);
            }
        })
        .await
    }

    async fn renew(&self, id: &str, owner: &str, lease_ms: i64, progress: &str) -> Result<Lease> {
        let (id, owner, progress) = (id.to_string(), owner.to_string(), progress.to_string());
        self.with(move |c| {
            let n = c.execute(
                "UPDATE jobs SET lease_until = ?3, progress = ?4 WHERE id = ?1 AND lease_owner = ?2 AND state = 'running'",
                params![id, owner, now_ms() + lease_ms, progress],
            )?;
            if n == 0 {
                return Ok(Lease::Lost);
            }
            let cancel: i64 =
                c.query_row("SELECT cancel_requested FROM jobs WHERE id = ?1", [&id], |r| r.get(0))?;
            Ok(if cancel != 0 { Lease::CancelRequested } else { Lease::Held })
        })
        .await
    }

    async fn finish(&self, id: &str, owner: &str, finish: &Finish) -> Result<bool> {
        let (id, owner, f) = (id.to_string(), owner.to_string(), finish.clone());
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "UPDATE jobs SET state = ?3, summary = ?4, progress = ?5, error = ?6, finished_at = ?7,
                 webhook_due = CASE WHEN callback_url IS NULL THEN NULL ELSE ?7 END,
                 lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND lease_owner = ?2 AND state = 'running'",
                params![id, owner, f.state.as_str(), f.summary, f.progress, f.error, now_ms()],
            )?;
            if n == 0 {
                return Ok(false);
            }
            tx.execute("DELETE FROM job_files WHERE job_id = ?1", [&id])?;
            for (path, body) in &f.files {
                tx.execute(
                    "INSERT INTO job_files (job_id, path, body) VALUES (?1, ?2, ?3)",
                    params![id, path, body],
                )?;
            }
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn release(&self, id: &str, owner: &str) -> Result<()> {
        let (id, owner) = (id.to_string(), owner.to_string());
        self.with(move |c| {
            c.execute(
                "UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND lease_owner = ?2 AND state = 'running'",
                params![id, owner],
            )?;
            Ok(())
        })
        .await
    }

    async fn file(&self, id: &str, path: &str) -> Result<Option<Vec<u8>>> {
        let (id, path) = (id.to_string(), path.to_string());
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT body FROM job_files WHERE job_id = ?1 AND path = ?2",
                params![id, path],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn file_names(&self, id: &str) -> Result<Vec<String>> {
        let id = id.to_string();
        self.with(move |c| {
            let mut stmt =
                c.prepare("SELECT path FROM job_files WHERE job_id = ?1 ORDER BY path")?;
            let rows = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .await
    }

    async fn claim_webhook(&self, lease_ms: i64) -> Result<Option<JobRecord>> {
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now = now_ms();
            let id: Option<String> = tx
                .query_row(
                    "SELECT id FROM jobs WHERE webhook_due IS NOT NULL AND webhook_due <= ?1
                     ORDER BY webhook_due, id LIMIT 1",
                    [now],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(id) = id else { return Ok(None) };
            tx.execute(
                "UPDATE jobs SET webhook_due = ?2 WHERE id = ?1",
                params![id, now + lease_ms],
            )?;
            let job = get_job(&tx, &id)?;
            tx.commit()?;
            Ok(job)
        })
        .await
    }

    async fn webhook_attempted(
        &self,
        id: &str,
        deliveries: &str,
        next_due: Option<i64>,
    ) -> Result<()> {
        let (id, deliveries) = (id.to_string(), deliveries.to_string());
        self.with(move |c| {
            c.execute(
                "UPDATE jobs SET deliveries = ?2, webhook_due = ?3 WHERE id = ?1",
                params![id, deliveries, next_due],
            )?;
            Ok(())
        })
        .await
    }

    async fn counts(&self) -> Result<Vec<(JobState, i64)>> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state")?;
            let rows: Vec<(String, i64)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows.into_iter().filter_map(|(s, n)| Some((JobState::parse(&s)?, n))).collect())
        })
        .await
    }

    async fn finished(&self) -> Result<Vec<(String, i64)>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT summary, finished_at - started_at FROM jobs
                 WHERE state IN ('succeeded', 'failed', 'canceled') AND started_at IS NOT NULL AND finished_at IS NOT NULL",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .await
    }
}
