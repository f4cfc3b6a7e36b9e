//! The queue's promises, checked on both stores: a job is claimed by one
//! worker at a time, a dead worker's job is taken over when its lease
//! expires, attempts are counted and capped, and idempotency keys return
//! the first job.

use std::sync::Arc;

use super::*;

fn job(id: &str) -> JobRecord {
    JobRecord::new(id.into(), "{}".into(), "tok".into(), 2)
}

fn finish(state: JobState) -> Finish {
    Finish {
        state,
        summary: "{}".into(),
        progress: "{}".into(),
        error: None,
        files: vec![("report.json".into(), b"{}".to_vec())],
    }
}

async fn contract(store: Arc<dyn JobStore>) {
    store.ping().await.unwrap();
    // Two jobs, two workers: each gets a different one, then none is left.
    store.insert_job(&job("000000000001aa")).await.unwrap();
    store.insert_job(&job("000000000002aa")).await.unwrap();
    let a = store.claim("worker-a", 60_000).await.unwrap().expect("a job for a");
    let b = store.claim("worker-b", 60_000).await.unwrap().expect("a job for b");
    assert_ne!(a.id, b.id);
    assert_eq!((a.state, a.attempts), (JobState::Running, 1));
    assert!(store.claim("worker-c", 60_000).await.unwrap().is_none());

    // Only the owner renews and finishes.
    assert_eq!(store.renew(&a.id, "worker-b", 60_000, "{}").await.unwrap(), Lease::Lost);
    assert_eq!(
        store.renew(&a.id, "worker-a", 60_000, "{\"es-ES\":{}}").await.unwrap(),
        Lease::Held
    );
    assert!(!store.finish(&a.id, "worker-b", &finish(JobState::Succeeded)).await.unwrap());
    assert!(store.finish(&a.id, "worker-a", &finish(JobState::Succeeded)).await.unwrap());
    assert_eq!(store.file(&a.id, "report.json").await.unwrap().as_deref(), Some(&b"{}"[..]));
    assert_eq!(store.file_names(&a.id).await.unwrap(), ["report.json"]);

    // A worker that stops renewing loses the job once the lease expires.
    store.renew(&b.id, "worker-b", -1, "{}").await.unwrap();
    let taken = store.claim("worker-c", 60_000).await.unwrap().expect("expired lease taken over");
    assert_eq!((taken.id.as_str(), taken.attempts), (b.id.as_str(), 2));
    assert!(!store.finish(&b.id, "worker-b", &finish(JobState::Succeeded)).await.unwrap());
    // Its attempts (2) are used up: when worker-c dies too, the job fails.
    store.renew(&b.id, "worker-c", -1, "{}").await.unwrap();
    assert!(store.claim("worker-d", 60_000).await.unwrap().is_none());
    let failed = store.job(&b.id).await.unwrap().unwrap();
    assert_eq!(failed.state, JobState::Failed);
    assert!(failed.error.unwrap().contains("gave up after 2 attempts"));

    // Graceful release gives the attempt back.
    store.insert_job(&job("000000000003aa")).await.unwrap();
    let c = store.claim("worker-a", 60_000).await.unwrap().unwrap();
    store.release(&c.id, "worker-a").await.unwrap();
    let again = store.claim("worker-b", 60_000).await.unwrap().unwrap();
    assert_eq!((again.id.as_str(), again.attempts), (c.id.as_str(), 1));

    // Cancel: flagged while running, at once while queued.
    assert_eq!(store.cancel(&c.id).await.unwrap().unwrap().state, JobState::Running);
    assert_eq!(store.renew(&c.id, "worker-b", 60_000, "{}").await.unwrap(), Lease::CancelRequested);
    store.insert_job(&job("000000000004aa")).await.unwrap();
    assert_eq!(store.cancel("000000000004aa").await.unwrap().unwrap().state, JobState::Canceled);

    // Idempotency: the same key of the same token returns the first job.
    let mut first = job("000000000005aa");
    first.idempotency_key = Some("k1".into());
    let mut retry = job("000000000006aa");
    retry.idempotency_key = Some("k1".into());
    assert!(store.insert_job(&first).await.unwrap().1);
    let (same, created) = store.insert_job(&retry).await.unwrap();
    assert!(!created);
    assert_eq!(same.id, first.id);

    // Newest first, paged by ID.
    let page = store.jobs(None, 2, None).await.unwrap();
    assert_eq!(
        page.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        ["000000000005aa", "000000000004aa"]
    );
    let next = store.jobs(None, 10, Some("000000000004aa")).await.unwrap();
    assert_eq!(next.len(), 3);
    let queued = store.jobs(Some(JobState::Canceled), 10, None).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(store.active_jobs_of("tok").await.unwrap(), 2);

    // Jobs of one pipeline take turns; others run alongside.
    let keyed = |id: &str| {
        let mut j = job(id);
        j.lock_key = Some("pipeline:news".into());
        j
    };
    store.insert_job(&keyed("000000000007aa")).await.unwrap();
    store.insert_job(&keyed("000000000008aa")).await.unwrap();
    store.insert_job(&job("000000000009aa")).await.unwrap();
    let mut claimed = Vec::new();
    while let Some(j) = store.claim("worker-k", 60_000).await.unwrap() {
        claimed.push(j.id);
    }
    // The queued 5 and 6 (one job), 7; not 8 while 7 runs; then 9.
    assert_eq!(claimed, ["000000000005aa", "000000000007aa", "000000000009aa"]);
    assert!(
        store.finish("000000000007aa", "worker-k", &finish(JobState::Succeeded)).await.unwrap()
    );
    let next = store.claim("worker-k", 60_000).await.unwrap().expect("8, now that 7 ended");
    assert_eq!(next.id, "000000000008aa");

    // A job that ends with a callback URL has its webhook due; a sender
    // holds it for a while, and records when the next attempt is due.
    let mut hooked = job("000000000010aa");
    hooked.callback_url = Some("http://127.0.0.1:1/hook".into());
    store.insert_job(&hooked).await.unwrap();
    assert!(store.claim_webhook(60_000).await.unwrap().is_none(), "not due before the job ends");
    assert_eq!(store.cancel(&hooked.id).await.unwrap().unwrap().state, JobState::Canceled);
    let due = store.claim_webhook(60_000).await.unwrap().expect("due once ended");
    assert_eq!(due.id, hooked.id);
    assert!(store.claim_webhook(60_000).await.unwrap().is_none(), "held by its sender");
    store.webhook_attempted(&hooked.id, "[{\"attempt\":1}]", Some(0)).await.unwrap();
    let again = store.claim_webhook(60_000).await.unwrap().expect("due again");
    assert_eq!(again.deliveries, "[{\"attempt\":1}]");
    store.webhook_attempted(&hooked.id, "[]", None).await.unwrap();
    assert!(store.claim_webhook(-1).await.unwrap().is_none(), "delivered: nothing due");

    // Tokens.
    let token = TokenRecord {
        id: "abc".into(),
        name: "ci".into(),
        scopes: vec!["jobs:read".into()],
        hash: "h".into(),
        created_at: 1,
        revoked: false,
    };
    store.insert_token(&token).await.unwrap();
    assert_eq!(store.token("abc").await.unwrap().unwrap().scopes, ["jobs:read"]);
    assert_eq!(store.revoke_token("ci").await.unwrap(), 1);
    assert!(store.token("abc").await.unwrap().unwrap().revoked);
}

#[tokio::test]
async fn sqlite_store_keeps_the_queue_promises() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), None).await.unwrap();
    contract(store).await;
}

#[tokio::test]
async fn postgres_store_keeps_the_queue_promises() {
    let url = crate::testing::fresh_schema().await;
    let store = open(Path::new("."), Some(&url)).await.unwrap();
    contract(store).await;
    crate::testing::drop_schema(&url).await;
}
