//! Where jobs and API tokens live: [`JobStore`], with an SQLite
//! implementation (one project, `.diglot/jobs.sqlite`) and a PostgreSQL one
//! (any number of serve and worker processes on one database).
//!
//! The queue is a table. A worker claims the oldest job that is queued, or
//! running under an expired lease, and holds a lease it renews while the
//! job runs; a worker killed mid-job stops renewing, so another takes the
//! job over once the lease expires. Each claim counts an attempt; a job
//! whose attempts are used up is failed instead of claimed again.

mod postgres;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("job database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("job database: {0}")]
    Postgres(String),
    #[error("job database: {0}")]
    Other(String),
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
}

impl JobState {
    pub const ALL: [JobState; 5] = [
        JobState::Queued,
        JobState::Running,
        JobState::Succeeded,
        JobState::Failed,
        JobState::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Canceled => "canceled",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed | JobState::Canceled)
    }
}

/// One job as stored. JSON columns hold what only the API reads.
#[derive(Debug, Clone)]
pub struct JobRecord {
    /// Sortable: milliseconds since the epoch, then random digits.
    pub id: String,
    /// The request as accepted (JSON); never holds a secret.
    pub spec: String,
    pub state: JobState,
    pub attempts: i32,
    pub max_attempts: i32,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub cancel_requested: bool,
    /// The token that submitted it (its ID, not its secret).
    pub token_id: String,
    pub idempotency_key: Option<String>,
    pub callback_url: Option<String>,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Per locale: segments done and total (JSON).
    pub progress: String,
    /// Coverage and provider use, once finished (JSON).
    pub summary: String,
    pub error: Option<String>,
    /// Webhook deliveries (JSON array).
    pub deliveries: String,
    /// Jobs with the same key never run at once (a pipeline's jobs all
    /// write the same locale files); `None` runs alongside anything.
    pub lock_key: Option<String>,
}

impl JobRecord {
    pub fn new(id: String, spec: String, token_id: String, max_attempts: i32) -> JobRecord {
        JobRecord {
            id,
            spec,
            state: JobState::Queued,
            attempts: 0,
            max_attempts,
            lease_owner: None,
            lease_until: None,
            cancel_requested: false,
            token_id,
            idempotency_key: None,
            callback_url: None,
            created_at: now_ms(),
            started_at: None,
            finished_at: None,
            progress: "{}".into(),
            summary: "{}".into(),
            error: None,
            deliveries: "[]".into(),
            lock_key: None,
        }
    }
}

/// An API token as stored: its secret only as a SHA-256 hash.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    #[serde(skip)]
    pub hash: String,
    pub created_at: i64,
    pub revoked: bool,
}

/// How a worker's run of a job ended.
#[derive(Debug, Clone)]
pub struct Finish {
    pub state: JobState,
    pub summary: String,
    pub progress: String,
    pub error: Option<String>,
    /// Result files: (path under the job, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// What a lease renewal found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    Held,
    /// Still held, and someone asked to cancel the job.
    CancelRequested,
    /// Another worker owns the job now (this one was too slow to renew).
    Lost,
}

/// Jobs, their result files and API tokens.
#[async_trait::async_trait]
pub trait JobStore: Send + Sync + std::fmt::Debug {
    /// Whether the database answers.
    async fn ping(&self) -> Result<()>;

    async fn insert_token(&self, token: &TokenRecord) -> Result<()>;
    async fn tokens(&self) -> Result<Vec<TokenRecord>>;
    async fn token(&self, id: &str) -> Result<Option<TokenRecord>>;
    /// Revokes the tokens with this ID or name; returns how many.
    async fn revoke_token(&self, id_or_name: &str) -> Result<usize>;

    /// Counts a request of the token in the current fixed window of
    /// `window_secs`, for a store that several processes share; returns
    /// the requests in this window so far (this one included) and the
    /// seconds until it ends. `None` when the store is one process's: that
    /// process then limits the rate on its own.
    async fn count_request(
        &self,
        _token_id: &str,
        _window_secs: i64,
    ) -> Result<Option<(i64, i64)>> {
        Ok(None)
    }

    /// Stores a new job; when the token already submitted one with the same
    /// idempotency key, returns that one instead (and `false`).
    async fn insert_job(&self, job: &JobRecord) -> Result<(JobRecord, bool)>;
    async fn job(&self, id: &str) -> Result<Option<JobRecord>>;
    /// The job a token submitted with this idempotency key, if any.
    async fn job_with_key(&self, token_id: &str, key: &str) -> Result<Option<JobRecord>>;
    /// Newest first; `before` is the last ID of the previous page.
    async fn jobs(
        &self,
        state: Option<JobState>,
        limit: i64,
        before: Option<&str>,
    ) -> Result<Vec<JobRecord>>;
    /// Cancels a queued job at once; flags a running one for its worker.
    async fn cancel(&self, id: &str) -> Result<Option<JobRecord>>;
    /// Jobs of a token that are queued or running.
    async fn active_jobs_of(&self, token_id: &str) -> Result<i64>;

    /// Claims the oldest job that is queued, or running under an expired
    /// lease, for `owner` until now + `lease_ms`; skips jobs whose
    /// `lock_key` a running job holds.
    async fn claim(&self, owner: &str, lease_ms: i64) -> Result<Option<JobRecord>>;
    /// Renews the lease and saves progress.
    async fn renew(&self, id: &str, owner: &str, lease_ms: i64, progress: &str) -> Result<Lease>;
    /// Ends a job the worker holds; false when it lost the lease.
    async fn finish(&self, id: &str, owner: &str, finish: &Finish) -> Result<bool>;
    /// Gives a job back to the queue without counting the attempt
    /// (graceful shutdown).
    async fn release(&self, id: &str, owner: &str) -> Result<()>;

    async fn file(&self, id: &str, path: &str) -> Result<Option<Vec<u8>>>;
    async fn file_names(&self, id: &str) -> Result<Vec<String>>;
    /// Takes the job whose webhook is due soonest, for `lease_ms`: a
    /// sender that dies mid-delivery leaves it due again after that.
    async fn claim_webhook(&self, lease_ms: i64) -> Result<Option<JobRecord>>;
    /// Records the deliveries so far (JSON) and when the next attempt is
    /// due (`None`: delivered, or given up).
    async fn webhook_attempted(
        &self,
        id: &str,
        deliveries: &str,
        next_due: Option<i64>,
    ) -> Result<()>;

    /// Wakes `wake` whenever a job is submitted by any process, for stores
    /// that can tell (PostgreSQL's LISTEN/NOTIFY); workers poll as well.
    async fn listen(&self, _wake: Arc<tokio::sync::Notify>) {}

    /// Jobs per state.
    async fn counts(&self) -> Result<Vec<(JobState, i64)>>;
    /// Summaries and run times (ms) of finished jobs, for metrics.
    async fn finished(&self) -> Result<Vec<(String, i64)>>;
}

/// Opens the store: PostgreSQL when `database` is given, else SQLite in the
/// project's `.diglot/jobs.sqlite`.
pub async fn open(project: &Path, database: Option<&str>) -> Result<Arc<dyn JobStore>> {
    match database {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PostgresStore::connect(url).await?))
        }
        Some(url) => Err(StoreError::Other(format!(
            "`{url}` is not a PostgreSQL URL: use postgres://USER@HOST:PORT/DATABASE, or leave --database out for the project's SQLite file"
        ))),
        None => {
            let dir = project.join(".diglot");
            std::fs::create_dir_all(&dir)
                .map_err(|e| StoreError::Other(format!("{}: {e}", dir.display())))?;
            Ok(Arc::new(SqliteStore::open(&dir.join("jobs.sqlite"))?))
        }
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The error a worker records for a job whose attempts ran out.
pub(crate) fn gave_up(attempts: i32) -> String {
    format!(
        "gave up after {attempts} attempts: the worker running it stopped renewing its lease (killed or stuck)"
    )
}

#[cfg(test)]
mod tests;
