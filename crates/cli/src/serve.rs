//! `diglot serve`, `diglot worker` and `diglot token`: the job API's
//! commands. Glue only: the server is `diglot-server`.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use diglot_server::auth::Scope;
use diglot_server::{ApiSettings, Webhooks};

#[derive(Debug, Subcommand)]
pub(crate) enum ServiceCommand {
    /// Serve the HTTP job API (and run workers) for this project.
    ///
    /// Services submit articles or pipelines with `POST /v1/jobs` and fetch the editions.
    /// Jobs live in .diglot/jobs.sqlite, or in PostgreSQL with --database, where any number
    /// of serve and worker processes share one queue. Requests need a token from
    /// `diglot token create`. The webhook signing secret is read from DIGLOT_WEBHOOK_SECRET.
    Serve(ServeArgs),
    /// Run workers only, taking jobs from the shared database.
    Worker(WorkerArgs),
    /// Create, list or revoke API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    /// PostgreSQL URL (postgres://user@host:port/db); the project's SQLite file when omitted.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct WorkerArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Jobs run at once by this process.
    #[arg(long, default_value_t = 2, value_name = "N")]
    workers: usize,
    /// Seconds a worker holds a job without renewing its lease; a job whose worker died
    /// is taken over after this long.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    lease: u64,
    /// On SIGTERM or Ctrl-C, seconds running jobs may take before they go back to the queue.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    shutdown_grace: u64,
    /// Seconds between looks for new jobs when idle.
    #[arg(long, default_value_t = 0.5, value_name = "SECONDS")]
    poll: f64,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,
    #[command(flatten)]
    worker: WorkerArgs,
    /// A URL prefix webhooks may be sent to (repeatable); none are allowed by default.
    #[arg(long = "callback-allow", value_name = "URL_PREFIX")]
    callback_allow: Vec<String>,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024, value_name = "BYTES")]
    max_body: usize,
    /// Largest article text in bytes.
    #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES")]
    max_article: usize,
    /// Most sentences in one article job.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    max_segments: usize,
    /// Requests a minute per token.
    #[arg(long, default_value_t = 600, value_name = "N")]
    rate_limit: u32,
    /// Queued and running jobs per token.
    #[arg(long, default_value_t = 100, value_name = "N")]
    max_active_jobs: i64,
    /// Times a job is started before it is failed (when its workers keep dying).
    #[arg(long, default_value_t = 3, value_name = "N")]
    max_attempts: i32,
    /// Seconds a request may take.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    request_timeout: u64,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenAction {
    /// Create a token and print it (the only time it is shown).
    Create {
        /// A name to recognise it by.
        #[arg(long)]
        name: String,
        /// jobs:read, jobs:write or admin (repeatable).
        #[arg(long = "scope", required = true, value_name = "SCOPE")]
        scopes: Vec<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List tokens (never their secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token by ID or name.
    Revoke {
        id_or_name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")
}

fn worker_settings(root: &Path, args: &WorkerArgs) -> diglot_server::WorkerSettings {
    diglot_server::WorkerSettings {
        root: root.to_path_buf(),
        workers: args.workers,
        lease: Duration::from_secs(args.lease.max(1)),
        poll: Duration::from_secs_f64(args.poll.clamp(0.01, 60.0)),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
    }
}

fn webhook_secret() -> Option<String> {
    std::env::var("DIGLOT_WEBHOOK_SECRET").ok().filter(|s| !s.is_empty())
}

fn webhooks() -> Webhooks {
    Webhooks::standard(webhook_secret().as_deref())
}

pub(crate) fn run(root: &Path, command: ServiceCommand) -> Result<ExitCode> {
    let root = std::path::absolute(root).context("resolving the project folder")?;
    let rt = runtime()?;
    rt.block_on(async move {
        match command {
            ServiceCommand::Serve(args) => {
                let store =
                    diglot_server::store::open(&root, args.worker.store.database.as_deref())
                        .await?;
                if !args.callback_allow.is_empty() && webhook_secret().is_none() {
                    anyhow::bail!(
                        "--callback-allow needs a secret to sign webhooks with: set DIGLOT_WEBHOOK_SECRET (for example `whsec_` and a base64 key) for every serve and worker process"
                    );
                }
                let mut api = ApiSettings::new(root.clone());
                api.callback_allow = args.callback_allow;
                api.max_body_bytes = args.max_body;
                api.max_article_bytes = args.max_article;
                api.max_segments = args.max_segments;
                api.rate_per_minute = args.rate_limit;
                api.max_active_jobs = args.max_active_jobs;
                api.max_attempts = args.max_attempts;
                api.request_timeout = Duration::from_secs(args.request_timeout.max(1));
                let listener = tokio::net::TcpListener::bind(args.listen)
                    .await
                    .with_context(|| format!("listening on {}", args.listen))?;
                let running = diglot_server::start(
                    store,
                    listener,
                    api,
                    worker_settings(&root, &args.worker),
                    webhooks(),
                )
                .await?;
                eprintln!("diglot: serving the job API on http://{}", running.addr);
                running.until_signal().await?;
            }
            ServiceCommand::Worker(args) => {
                let store =
                    diglot_server::store::open(&root, args.store.database.as_deref()).await?;
                eprintln!("diglot: worker started ({} at once)", args.workers);
                diglot_server::work(store, worker_settings(&root, &args), webhooks()).await?;
            }
            ServiceCommand::Token { action } => token(&root, action).await?,
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn token(root: &Path, action: TokenAction) -> Result<()> {
    match action {
        TokenAction::Create { name, scopes, store } => {
            let mut parsed = Vec::new();
            for s in &scopes {
                parsed.push(Scope::parse(s).with_context(|| {
                    format!("unknown scope `{s}`: use jobs:read, jobs:write or admin")
                })?);
            }
            let store = diglot_server::store::open(root, store.database.as_deref()).await?;
            let (token, record) =
                diglot_server::auth::create_token(&*store, &name, &parsed).await?;
            eprintln!(
                "created token {} ({}) with scopes {}; it is shown only now:",
                record.id,
                record.name,
                record.scopes.join(" ")
            );
            println!("{token}");
        }
        TokenAction::List { store } => {
            let store = diglot_server::store::open(root, store.database.as_deref()).await?;
            for t in store.tokens().await? {
                println!(
                    "{}  {}  {}{}",
                    t.id,
                    t.name,
                    t.scopes.join(" "),
                    if t.revoked { "  (revoked)" } else { "" }
                );
            }
        }
        TokenAction::Revoke { id_or_name, store } => {
            let store = diglot_server::store::open(root, store.database.as_deref()).await?;
            match store.revoke_token(&id_or_name).await? {
                0 => anyhow::bail!("no active token with ID or name `{id_or_name}`"),
                n => println!("revoked {n} token(s)"),
            }
        }
    }
    Ok(())
}
