//! diglot-server: the HTTP job API. Services (a CMS, a newsroom system, CI)
//! submit an article, or one of the project's pipelines, get a job back,
//! follow its progress and fetch the editions it produced.
//!
//! [`api`] is the axum router (under `/v1`) and its wire types; [`store`]
//! keeps jobs and API tokens behind [`store::JobStore`] (SQLite in the
//! project's `.diglot/`, or a shared PostgreSQL database); [`worker`] claims
//! jobs and runs them with [`runner`] on blocking threads, through
//! `diglot-pipeline`, exactly as the CLI does. [`webhook`] signs and
//! delivers job summaries. The server never writes a project file that
//! `diglot build` or `diglot translate` would not write.

pub mod api;
pub mod auth;
mod metrics;
pub mod runner;
pub mod store;
#[doc(hidden)]
pub mod testing;
pub mod webhook;
pub mod worker;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};

pub use api::ApiSettings;
use api::{AppState, router};
pub use store::JobStore;
pub use webhook::Webhooks;
pub use worker::WorkerSettings;

/// A server (and its workers) running on a socket.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    workers: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets running jobs finish within the grace period,
    /// releases the rest, and returns when everything stopped.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        let served = self.task.await.unwrap_or(Ok(()));
        let _ = self.workers.await;
        served
    }

    /// Waits until a signal stops the server (see [`shutdown_signal`]).
    pub async fn until_signal(self) -> std::io::Result<()> {
        shutdown_signal().await;
        eprintln!("shutting down: no new requests; running jobs may finish");
        self.shutdown().await
    }
}

/// Serves the API on `listener` and runs `worker.workers` workers (none
/// when zero) in this process.
pub async fn start(
    store: Arc<dyn JobStore>,
    listener: tokio::net::TcpListener,
    api: ApiSettings,
    worker: WorkerSettings,
    webhooks: Webhooks,
) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let wake = Arc::new(Notify::new());
    let (stop, stopped) = watch::channel(false);
    let workers = if worker.workers > 0 {
        tokio::spawn(worker::run(store.clone(), worker, webhooks, wake.clone(), stopped.clone()))
    } else {
        tokio::spawn(async {})
    };
    let app = router(AppState::new(store, api, wake));
    let mut signal = stopped;
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = signal.wait_for(|s| *s).await;
            })
            .await
    });
    Ok(Running { addr, stop, task, workers })
}

/// Runs workers only (`diglot worker`) until a signal stops them.
pub async fn work(
    store: Arc<dyn JobStore>,
    worker: WorkerSettings,
    webhooks: Webhooks,
) -> std::io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(worker::run(store, worker, webhooks, Arc::new(Notify::new()), stopped));
    shutdown_signal().await;
    eprintln!("shutting down: running jobs may finish");
    let _ = stop.send(true);
    let _ = task.await;
    Ok(())
}

/// SIGINT (Ctrl-C) or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Worker settings with the defaults of `diglot serve`.
pub fn default_worker_settings(root: std::path::PathBuf) -> WorkerSettings {
    WorkerSettings {
        root,
        workers: 2,
        lease: Duration::from_secs(30),
        poll: Duration::from_millis(500),
        shutdown_grace: Duration::from_secs(30),
    }
}
