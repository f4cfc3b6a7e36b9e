//! Workers: claim a job, run it on a blocking thread, renew its lease while
//! it runs, store the outcome, send the webhook.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::runner::{self, JobSpec, Progress};
use crate::store::{Finish, JobRecord, JobState, JobStore, Lease};
use crate::webhook::Webhooks;

/// How workers run.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The project: pipeline jobs run in it, article jobs in its `.diglot/jobs/`.
    pub root: PathBuf,
    /// Concurrent jobs of this process.
    pub workers: usize,
    /// How long a claim lasts without renewal; a third of it between renewals.
    pub lease: Duration,
    /// How often an idle worker looks for work.
    pub poll: Duration,
    /// On shutdown, how long running jobs may take before they are released.
    pub shutdown_grace: Duration,
}

/// Runs `settings.workers` workers until `shutdown` turns true; then lets
/// running jobs finish within the grace period and gives the rest back.
pub async fn run(
    store: Arc<dyn JobStore>,
    settings: WorkerSettings,
    webhooks: Webhooks,
    wake: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
) {
    store.listen(wake.clone()).await;
    let mut tasks = Vec::new();
    let process =
        format!("{}-{:x}", std::process::id(), u32::from_le_bytes(crate::auth::random_bytes()));
    for n in 0..settings.workers.max(1) {
        let owner = format!("{process}-{n}");
        tasks.push(tokio::spawn(work(
            store.clone(),
            settings.clone(),
            wake.clone(),
            shutdown.clone(),
            owner,
        )));
    }
    {
        let (store, poll, stop) = (store.clone(), settings.poll, shutdown.clone());
        tasks.push(tokio::spawn(async move { webhooks.run(store, poll, stop).await }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

async fn work(
    store: Arc<dyn JobStore>,
    settings: WorkerSettings,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
    owner: String,
) {
    let lease_ms = settings.lease.as_millis() as i64;
    loop {
        if *shutdown.borrow() {
            return;
        }
        match store.claim(&owner, lease_ms).await {
            Ok(Some(job)) => {
                run_one(&store, &settings, &mut shutdown, &owner, job).await;
                continue;
            }
            Ok(None) => {}
            Err(e) => eprintln!("worker {owner}: {e}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(settings.poll) => {}
            _ = wake.notified() => {}
            changed = shutdown.changed() => {
                if changed.is_err() {
                    // Whoever could stop us is gone: stop.
                    return;
                }
            }
        }
    }
}

fn progress_json(progress: &Progress) -> String {
    let map = progress.lock().unwrap_or_else(|e| e.into_inner()).clone();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

async fn run_one(
    store: &Arc<dyn JobStore>,
    settings: &WorkerSettings,
    shutdown: &mut watch::Receiver<bool>,
    owner: &str,
    job: JobRecord,
) {
    let lease_ms = settings.lease.as_millis() as i64;
    let spec: JobSpec = match serde_json::from_str(&job.spec) {
        Ok(s) => s,
        Err(e) => {
            let finish = Finish {
                state: JobState::Failed,
                summary: "{}".into(),
                progress: job.progress.clone(),
                error: Some(format!("unreadable job: {e}")),
                files: Vec::new(),
            };
            let _ = store.finish(&job.id, owner, &finish).await;
            return;
        }
    };
    let progress: Progress = Default::default();
    let cancel = Arc::new(AtomicBool::new(false));
    let handle = {
        let (root, id, progress, cancel) =
            (settings.root.clone(), job.id.clone(), progress.clone(), cancel.clone());
        tokio::task::spawn_blocking(move || runner::run(&root, &id, &spec, &progress, &cancel))
    };
    tokio::pin!(handle);
    // Renewal also saves progress and picks up cancel requests: at least
    // once a second, and three times a lease.
    let mut tick = tokio::time::interval((settings.lease / 3).min(Duration::from_secs(1)));
    tick.tick().await;
    let mut deadline: Option<tokio::time::Instant> = None;
    let result = loop {
        let until_deadline = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            r = &mut handle => break r,
            _ = tick.tick() => {
                match store.renew(&job.id, owner, lease_ms, &progress_json(&progress)).await {
                    Ok(Lease::Held) => {}
                    Ok(Lease::CancelRequested) => cancel.store(true, Ordering::SeqCst),
                    Ok(Lease::Lost) => {
                        eprintln!("worker {owner}: lost the lease of job {}; another worker has it", job.id);
                        return;
                    }
                    Err(e) => eprintln!("worker {owner}: renewing job {}: {e}", job.id),
                }
            }
            _ = shutdown.changed(), if deadline.is_none() => {
                deadline = Some(tokio::time::Instant::now() + settings.shutdown_grace);
            }
            _ = until_deadline => {
                // The blocking thread ends with the process; the job goes
                // back to the queue for another worker or the next start.
                let _ = store.release(&job.id, owner).await;
                return;
            }
        }
    };
    let finish = match result {
        Ok(Ok(outcome)) => Finish {
            state: if outcome.canceled {
                JobState::Canceled
            } else if outcome.failed {
                JobState::Failed
            } else {
                JobState::Succeeded
            },
            summary: serde_json::to_string(&outcome.summary).unwrap_or_else(|_| "{}".into()),
            progress: progress_json(&progress),
            error: None,
            files: outcome.files,
        },
        Ok(Err(message)) => Finish {
            state: JobState::Failed,
            summary: "{}".into(),
            progress: progress_json(&progress),
            error: Some(message),
            files: Vec::new(),
        },
        Err(join) => Finish {
            state: JobState::Failed,
            summary: "{}".into(),
            progress: progress_json(&progress),
            error: Some(format!("the job's thread stopped: {join}")),
            files: Vec::new(),
        },
    };
    match store.finish(&job.id, owner, &finish).await {
        Ok(true) => {}
        Ok(false) => eprintln!("worker {owner}: job {} was taken over before it finished", job.id),
        Err(e) => eprintln!("worker {owner}: storing the outcome of job {}: {e}", job.id),
    }
}
