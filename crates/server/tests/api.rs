//! The job API on a real socket on 127.0.0.1, with the SQLite store in a
//! copy of the example project and real Apertium.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diglot_server::auth::{self, Scope};
use diglot_server::{ApiSettings, JobStore, Running, Webhooks, WorkerSettings};
use serde_json::{Value, json};

#[path = "../../../tests/support/mock_server.rs"]
mod mock_server;

use mock_server::{Handler, Recorded, Reply};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

struct Server {
    url: String,
    project: tempfile::TempDir,
    store: Arc<dyn JobStore>,
    running: Option<Running>,
    client: reqwest::Client,
    /// Token with jobs:read and jobs:write.
    token: String,
}

impl Server {
    async fn start(workers: usize, tune: impl FnOnce(&mut ApiSettings)) -> Server {
        Server::start_on(None, workers, tune).await
    }

    /// With `database`, a PostgreSQL URL; else the project's SQLite file.
    async fn start_on(
        database: Option<&str>,
        workers: usize,
        tune: impl FnOnce(&mut ApiSettings),
    ) -> Server {
        let project = tempfile::tempdir().unwrap();
        for dir in ["articles", "pipelines", "locales"] {
            copy_dir(&repo_root().join(dir), &project.path().join(dir));
        }
        let store = diglot_server::store::open(project.path(), database).await.unwrap();
        let mut api = ApiSettings::new(project.path().to_path_buf());
        tune(&mut api);
        let worker = WorkerSettings {
            root: project.path().to_path_buf(),
            workers,
            lease: Duration::from_secs(5),
            poll: Duration::from_millis(50),
            shutdown_grace: Duration::from_secs(5),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hooks = Webhooks::new(
            Some("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            3,
            Duration::from_millis(50),
        );
        let running =
            diglot_server::start(store.clone(), listener, api, worker, hooks).await.unwrap();
        let (token, _) = auth::create_token(&*store, "test", &[Scope::JobsRead, Scope::JobsWrite])
            .await
            .unwrap();
        Server {
            url: format!("http://{}", running.addr),
            project,
            store,
            running: Some(running),
            client: reqwest::Client::new(),
            token,
        }
    }

    async fn token(&self, scopes: &[Scope]) -> String {
        auth::create_token(&*self.store, "other", scopes).await.unwrap().0
    }

    async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    /// Polls until the job ends.
    async fn wait(&self, id: &str) -> Value {
        for _ in 0..600 {
            let job = self.get_json(&format!("/v1/jobs/{id}")).await;
            if ["succeeded", "failed", "canceled"].contains(&job["state"].as_str().unwrap()) {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("job {id} did not end within a minute");
    }
}

fn article(text: &str, providers: &[&str]) -> Value {
    json!({
        "article": {"format": "markdown", "text": text, "lang": "en-US"},
        "target_locales": ["es-ES"],
        "providers": providers,
    })
}

async fn problem(r: reqwest::Response, status: u16) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], status);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_job_yields_the_spanish_edition_through_apertium() {
    let s = Server::start(1, |_| {}).await;
    let r = s
        .post("/v1/jobs", &article("# The cat\n\nThe cat sleeps in the house.", &["apertium"]))
        .await;
    assert_eq!(r.status(), 202);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let job: Value = r.json().await.unwrap();
    assert_eq!(location, format!("/v1/jobs/{}", job["id"].as_str().unwrap()));
    assert_eq!(job["state"], "queued");

    let done = s.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "succeeded", "{done:#}");
    assert_eq!(done["progress"]["es-ES"], json!({"done": 2, "total": 2}));
    let es = &done["locales"][0];
    assert_eq!(
        (es["locale"].as_str(), es["total"].as_u64(), es["unreviewed"].as_u64()),
        (Some("es-ES"), Some(2), Some(2))
    );
    assert_eq!(es["missing"], 0);
    let apertium = &done["providers"][0];
    assert_eq!(apertium["name"], "apertium");
    assert_eq!(apertium["characters_sent"], "The cat".len() + "The cat sleeps in the house.".len());
    assert!(done["started_at"].as_str().unwrap() <= done["finished_at"].as_str().unwrap());

    let html = s.get(&format!("{location}/editions/es-ES/index.html")).await;
    assert_eq!(html.status(), 200);
    assert!(html.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = html.text().await.unwrap();
    assert!(html.contains("gato"), "{html}");
    let md = s.get(&format!("{location}/editions/es-ES/index.md")).await.text().await.unwrap();
    assert!(md.contains("lang: \"es-ES\""), "{md}");
    let json_edition = s.get_json(&format!("{location}/editions/es-ES/index.json")).await;
    assert!(json_edition.is_object());
    let report = s.get_json(&format!("{location}/report.json")).await;
    assert_eq!(report["source_locale"], "en-US");
    let ftl = s.get(&format!("{location}/locales/es-ES/article.ftl")).await.text().await.unwrap();
    assert!(ftl.contains("# unreviewed: apertium"), "{ftl}");
    let listed: Vec<&str> =
        done["results"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(
        listed.contains(&format!("{location}/editions/es-ES/index.html").as_str()),
        "{listed:?}"
    );
    // The scratch project is gone; the results live with the job.
    assert!(!s.project.path().join(".diglot/jobs").join(job["id"].as_str().unwrap()).exists());
    let missing = s.get(&format!("{location}/editions/es-ES/../../../etc/passwd")).await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipeline_job_writes_into_the_project_as_build_does() {
    let s = Server::start(1, |_| {}).await;
    let r = s
        .post("/v1/jobs", &json!({"pipeline": "andry-hernandez-romero", "steps": ["build"]}))
        .await;
    assert_eq!(r.status(), 202);
    let job: Value = r.json().await.unwrap();
    let id = job["id"].as_str().unwrap();
    let done = s.wait(id).await;
    assert_eq!(done["state"], "succeeded", "{done:#}");
    assert_eq!(done["locales"][0]["coverage"], 100.0);
    let on_disk = std::fs::read(s.project.path().join("dist/es-ES/index.html")).unwrap();
    let served =
        s.get(&format!("/v1/jobs/{id}/editions/es-ES/index.html")).await.bytes().await.unwrap();
    assert_eq!(on_disk, served.to_vec());
    let report = std::fs::read(s.project.path().join("dist/report.json")).unwrap();
    let served = s.get(&format!("/v1/jobs/{id}/report.json")).await.bytes().await.unwrap();
    assert_eq!(report, served.to_vec());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_scopes_guard_every_job_route() {
    let s = Server::start(0, |_| {}).await;
    let body = article("Hello.", &["pseudo"]);
    let url = format!("{}/v1/jobs", s.url);
    let r = s.client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    problem(r, 401).await;
    let forged = format!("{}x", &s.token);
    problem(s.client.get(&url).bearer_auth(forged).send().await.unwrap(), 401).await;
    problem(s.client.get(&url).bearer_auth("dgt_nothing").send().await.unwrap(), 401).await;

    let reader = s.token(&[Scope::JobsRead]).await;
    let p =
        problem(s.client.post(&url).bearer_auth(&reader).json(&body).send().await.unwrap(), 403)
            .await;
    assert!(p["detail"].as_str().unwrap().contains("jobs:write"));
    assert_eq!(s.client.get(&url).bearer_auth(&reader).send().await.unwrap().status(), 200);
    let writer = s.token(&[Scope::JobsWrite]).await;
    problem(s.client.get(&url).bearer_auth(&writer).send().await.unwrap(), 403).await;
    let admin = s.token(&[Scope::Admin]).await;
    assert_eq!(
        s.client.post(&url).bearer_auth(&admin).json(&body).send().await.unwrap().status(),
        202
    );

    s.store.revoke_token("other").await.unwrap();
    problem(s.client.get(&url).bearer_auth(&reader).send().await.unwrap(), 401).await;

    // The secret is stored only as a hash, and never in a job.
    let secret = s.token.rsplit('_').next().unwrap();
    let db = std::fs::read(s.project.path().join(".diglot/jobs.sqlite")).unwrap();
    assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_requests_get_problem_details_naming_the_field() {
    let s = Server::start(0, |api| {
        api.max_body_bytes = 4096;
        api.max_article_bytes = 2000;
        api.max_segments = 3;
    })
    .await;
    let long = "word ".repeat(500);
    let cases = [
        (
            json!({"article": {"format": "markdown", "txt": "x"}, "target_locales": ["es-ES"]}),
            "article.txt",
            "unknown field",
        ),
        (
            json!({"article": {"format": "rtf", "text": "x"}, "target_locales": ["es-ES"]}),
            "article.format",
            "unknown variant",
        ),
        (
            json!({"article": {"format": "text", "text": "Hi."}, "target_locales": ["es-ES", "../../etc"]}),
            "target_locales[1]",
            "not a valid",
        ),
        (
            json!({"article": {"format": "text", "text": "Hi."}, "target_locales": ["es-es"]}),
            "target_locales[0]",
            "es-ES",
        ),
        (
            json!({"article": {"format": "text", "text": "Hi."}, "target_locales": ["es-ES"], "providers": ["sh"]}),
            "providers[0]",
            "unknown provider",
        ),
        (
            json!({"article": {"format": "text", "text": "Hi."}, "target_locales": ["es-ES"], "callback_url": "http://127.0.0.1:1/"}),
            "callback_url",
            "allow-list",
        ),
        (json!({"pipeline": "../pipelines/x"}), "pipeline", "ASCII"),
        (json!({"pipeline": "nope"}), "pipeline", "no pipelines/nope.toml"),
        (json!({"pipeline": "andry-hernandez-romero", "extra": 1}), "extra", "unknown field"),
        (json!({}), "article", "give an `article`"),
        (
            json!({"article": {"format": "text", "text": long}, "target_locales": ["es-ES"]}),
            "article.text",
            "at most 2000",
        ),
        (
            json!({"article": {"format": "text", "text": "One. Two. Three. Four."}, "target_locales": ["es-ES"]}),
            "article.text",
            "4 sentences; at most 3",
        ),
    ];
    for (body, field, detail) in cases {
        let p = problem(s.post("/v1/jobs", &body).await, 422).await;
        let errors = p["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["detail"].as_str().unwrap().contains(detail)),
            "{body}: {p:#}"
        );
    }
    let r = s
        .client
        .post(format!("{}/v1/jobs", s.url))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    problem(r, 400).await;
    let r = s
        .client
        .post(format!("{}/v1/jobs", s.url))
        .bearer_auth(&s.token)
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(r, 415).await;
    let big = article(&"word ".repeat(2000), &[]);
    problem(s.post("/v1/jobs", &big).await, 413).await;
    let r =
        s.client.delete(format!("{}/v1/jobs", s.url)).bearer_auth(&s.token).send().await.unwrap();
    problem(r, 405).await;
    problem(s.get("/v1/jobs/0123abcd").await, 404).await;
    problem(s.get("/v1/jobs?limit=0").await, 422).await;
    problem(s.get("/v1/jobs?state=done").await, 422).await;
    problem(s.get("/v2/anything").await, 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_pagination_and_cancel() {
    let s = Server::start(0, |_| {}).await;
    let send = |key: &'static str| {
        s.client
            .post(format!("{}/v1/jobs", s.url))
            .bearer_auth(&s.token)
            .header("idempotency-key", key)
            .json(&article("Hello.", &["pseudo"]))
            .send()
    };
    let first: Value = send("k-1").await.unwrap().json().await.unwrap();
    let retry = send("k-1").await.unwrap();
    assert_eq!(retry.status(), 200);
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(first["id"], retry["id"]);

    let mut ids = vec![first["id"].as_str().unwrap().to_string()];
    for _ in 0..4 {
        let j: Value =
            s.post("/v1/jobs", &article("Hello.", &["pseudo"])).await.json().await.unwrap();
        ids.push(j["id"].as_str().unwrap().to_string());
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/jobs?limit=2&cursor={c}"),
            None => "/v1/jobs?limit=2".to_string(),
        };
        let page = s.get_json(&path).await;
        for j in page["jobs"].as_array().unwrap() {
            seen.push(j["id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each once");

    let r = s.post(&format!("/v1/jobs/{}/cancel", ids[0]), &json!({})).await;
    assert_eq!(r.status(), 202);
    let job = s.get_json(&format!("/v1/jobs/{}", ids[0])).await;
    assert_eq!(job["state"], "canceled");
    assert_eq!(s.get_json("/v1/jobs?state=canceled").await["jobs"].as_array().unwrap().len(), 1);
    assert_eq!(s.get_json("/v1/jobs?state=queued").await["jobs"].as_array().unwrap().len(), 4);
}

/// A retried submit (same key, same request) gets the same job; the same
/// key with another request is refused, not answered with the old job.
async fn idempotency_keys_bind_one_request(s: &Server) {
    let send = |key: &'static str, body: Value| {
        s.client
            .post(format!("{}/v1/jobs", s.url))
            .bearer_auth(&s.token)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first = send("order-7", article("Hello.", &["pseudo"])).await.unwrap();
    assert_eq!(first.status(), 202);
    let first: Value = first.json().await.unwrap();
    let retry = send("order-7", article("Hello.", &["pseudo"])).await.unwrap();
    assert_eq!(retry.status(), 200);
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(first["id"], retry["id"]);

    let other = send("order-7", article("Goodbye.", &["pseudo"])).await.unwrap();
    let p = problem(other, 422).await;
    assert_eq!(p["errors"][0]["field"], "Idempotency-Key");
    assert!(p["detail"].as_str().unwrap().contains(first["id"].as_str().unwrap()), "{p}");
    let mut two_locales = article("Hello.", &["pseudo"]);
    two_locales["target_locales"] = json!(["es-ES", "fr-FR"]);
    problem(send("order-7", two_locales).await.unwrap(), 422).await;
    assert_eq!(s.get_json("/v1/jobs").await["jobs"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_reused_with_another_body_is_refused_on_sqlite() {
    let s = Server::start(0, |_| {}).await;
    idempotency_keys_bind_one_request(&s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_reused_with_another_body_is_refused_on_postgres() {
    let url = diglot_server::testing::fresh_schema().await;
    let s = Server::start_on(Some(&url), 0, |_| {}).await;
    idempotency_keys_bind_one_request(&s).await;
    drop(s);
    diglot_server::testing::drop_schema(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_and_job_limits_answer_429_with_retry_after() {
    let s = Server::start(0, |api| {
        api.rate_per_minute = 5;
        api.max_active_jobs = 2;
    })
    .await;
    assert_eq!(s.post("/v1/jobs", &article("One.", &["pseudo"])).await.status(), 202);
    let r = s
        .client
        .post(format!("{}/v1/jobs", s.url))
        .bearer_auth(&s.token)
        .header("idempotency-key", "k-two")
        .json(&article("Two.", &["pseudo"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let r = s.post("/v1/jobs", &article("Three.", &["pseudo"])).await;
    assert!(r.headers().contains_key("retry-after"));
    let p = problem(r, 429).await;
    assert!(p["detail"].as_str().unwrap().contains("queued or running"));
    // At the limit, a retried submit still gets its job back.
    let r = s
        .client
        .post(format!("{}/v1/jobs", s.url))
        .bearer_auth(&s.token)
        .header("idempotency-key", "k-two")
        .json(&article("Two.", &["pseudo"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the job sent with key k-two");
    s.get("/v1/jobs").await;
    s.get("/v1/jobs").await;
    let r = s.get("/v1/jobs").await;
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&wait), "{wait}");
    problem(r, 429).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_stream_progress_and_the_final_state() {
    let s = Server::start(1, |_| {}).await;
    let job: Value =
        s.post("/v1/jobs", &article("Hello there.", &["pseudo"])).await.json().await.unwrap();
    let id = job["id"].as_str().unwrap();
    let r = s.get(&format!("/v1/jobs/{id}/events")).await;
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    let text = tokio::time::timeout(Duration::from_secs(60), r.text())
        .await
        .expect("stream ends")
        .unwrap();
    assert!(text.contains("event: end"), "{text}");
    let last = text.lines().rfind(|l| l.starts_with("data: ")).unwrap();
    let last: Value = serde_json::from_str(&last["data: ".len()..]).unwrap();
    assert_eq!(last["state"], "succeeded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics() {
    let s = Server::start(1, |_| {}).await;
    let job: Value =
        s.post("/v1/jobs", &article("Hello there.", &["pseudo"])).await.json().await.unwrap();
    s.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(s.get("/healthz").await.status(), 200);
    assert_eq!(s.get("/readyz").await.status(), 200);
    let metrics = s.get("/metrics").await.text().await.unwrap();
    for line in [
        "diglot_jobs{state=\"succeeded\"} 1",
        "diglot_queue_depth 0",
        "diglot_job_duration_seconds_count 1",
        "diglot_provider_characters_total{provider=\"pseudo\"} 12",
        "diglot_provider_failures_total{provider=\"pseudo\"} 0",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
    assert!(!metrics.contains(&s.token));
}

/// A TCP proxy on 127.0.0.1 to `target`; `cut` closes every connection
/// and refuses new ones, `restore` accepts again on the same port.
struct Proxy {
    port: u16,
    target: String,
    accept: Option<tokio::task::JoinHandle<()>>,
    links: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut proxy = Proxy {
            port: listener.local_addr().unwrap().port(),
            target,
            accept: None,
            links: Default::default(),
        };
        proxy.serve(listener);
        proxy
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let (target, links) = (self.target.clone(), self.links.clone());
        self.accept = Some(tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                links.lock().unwrap().push(link);
            }
        }));
    }

    fn cut(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
        }
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    /// Binds the proxy's port again, once the aborted listener let go.
    async fn bind_again(&mut self) -> tokio::net::TcpListener {
        self.cut();
        for _ in 0..100 {
            if let Ok(l) = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await {
                return l;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("port {} stays taken", self.port);
    }

    /// Accepts connections and never answers: a database that hangs.
    async fn stall(&mut self) {
        let listener = self.bind_again().await;
        self.accept = Some(tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((client, _)) = listener.accept().await {
                held.push(client);
            }
        }));
    }

    async fn restore(&mut self) {
        let listener = self.bind_again().await;
        self.serve(listener);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_and_requests_answer_503_while_postgres_is_unreachable_or_hangs() {
    let url = diglot_server::testing::fresh_schema().await;
    let config: tokio_postgres::Config = url.parse().unwrap();
    let host = match &config.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(h) => h.clone(),
        _ => panic!("the test database is reached over TCP"),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let mut proxy = Proxy::start(format!("{host}:{port}")).await;
    // The same URL with the proxy's address in place of the database's.
    let (scheme, rest) = url.split_once("://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap();
    let user = authority.rsplit_once('@').map(|(u, _)| format!("{u}@")).unwrap_or_default();
    let proxied = format!("{scheme}://{user}127.0.0.1:{}/{path}", proxy.port);
    let s = Server::start_on(Some(&proxied), 0, |api| {
        api.request_timeout = Duration::from_secs(2);
    })
    .await;
    assert_eq!(s.get("/readyz").await.status(), 200);

    proxy.cut();
    let r = s.get("/readyz").await;
    let p = problem(r, 503).await;
    assert!(p["detail"].as_str().unwrap().starts_with("job database: "), "{p}");
    // The API says the same, without the database's own words.
    let p = problem(s.get("/v1/jobs").await, 503).await;
    assert_eq!(p["detail"], "the job database is not available");
    assert_eq!(s.get("/healthz").await.status(), 200, "the process itself is alive");

    // A database that accepts connections and never answers: requests end
    // at the request timeout, as problem details.
    proxy.stall().await;
    let started = std::time::Instant::now();
    let p = problem(s.get("/v1/jobs").await, 503).await;
    assert_eq!(p["detail"], "the request took longer than the server allows");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    problem(s.get("/readyz").await, 503).await;

    proxy.restore().await;
    assert_eq!(s.get("/readyz").await.status(), 200, "ready again once it answers");
    drop(s);
    diglot_server::testing::drop_schema(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_are_signed_retried_and_recorded() {
    let received: Arc<Mutex<Vec<Recorded>>> = Default::default();
    let r2 = received.clone();
    let receiver: Handler = Arc::new(move |request: Recorded| {
        let mut seen = r2.lock().unwrap();
        seen.push(request);
        // The first delivery fails, so the retry is what lands.
        if seen.len() == 1 { Reply::text(500, "") } else { Reply::text(204, "") }
    });
    let hook = format!("{}/hook", mock_server::serve(receiver).await);
    let allow =
        format!("http://{}/", hook.trim_start_matches("http://").split('/').next().unwrap());
    let s = Server::start(1, |api| api.callback_allow = vec![allow]).await;
    let mut body = article("Hello there.", &["pseudo"]);
    body["callback_url"] = hook.clone().into();
    let job: Value = s.post("/v1/jobs", &body).await.json().await.unwrap();
    let id = job["id"].as_str().unwrap();
    s.wait(id).await;
    let mut job = Value::Null;
    for _ in 0..100 {
        job = s.get_json(&format!("/v1/jobs/{id}")).await;
        if job["deliveries"].as_array().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let deliveries = job["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2, "{job:#}");
    assert_eq!(
        (deliveries[0]["status"].as_u64(), deliveries[0]["delivered"].as_bool()),
        (Some(500), Some(false))
    );
    assert_eq!(
        (deliveries[1]["status"].as_u64(), deliveries[1]["delivered"].as_bool()),
        (Some(204), Some(true))
    );

    let seen = received.lock().unwrap();
    let (request, body) = (&seen[1], &seen[1].raw_body);
    let msg_id = request.header("webhook-id").unwrap();
    assert_eq!(msg_id, format!("msg_{id}"));
    let timestamp: i64 = request.header("webhook-timestamp").unwrap().parse().unwrap();
    let expected =
        Webhooks::sign(&base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), msg_id, timestamp, body);
    assert_eq!(request.header("webhook-signature").unwrap(), expected);
    let summary: Value = serde_json::from_str(body).unwrap();
    assert_eq!(summary["state"], "succeeded");
    assert_eq!(summary["id"], id);
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_stops_accepting() {
    let mut s = Server::start(1, |_| {}).await;
    let running = s.running.take().unwrap();
    tokio::time::timeout(Duration::from_secs(20), running.shutdown()).await.unwrap().unwrap();
    assert!(s.client.get(format!("{}/healthz", s.url)).send().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_routes_and_types() {
    let s = Server::start(0, |_| {}).await;
    let r = s.client.get(format!("{}/openapi.json", s.url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    for (path, method) in [
        ("/v1/jobs", "post"),
        ("/v1/jobs", "get"),
        ("/v1/jobs/{id}", "get"),
        ("/v1/jobs/{id}/cancel", "post"),
        ("/v1/jobs/{id}/events", "get"),
        ("/v1/jobs/{id}/{path}", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let schemas = &doc["components"]["schemas"];
    // Unknown fields are rejected, and the document says so.
    for job in ["ArticleJob", "PipelineJob"] {
        assert_eq!(schemas[job]["additionalProperties"], false, "{:#}", schemas[job]);
    }
    let format = &schemas["ArticleFormat"]["enum"];
    assert_eq!(format, &json!(["markdown", "html", "text"]));
    assert!(schemas["JobView"]["properties"]["progress"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let accepted = &doc["paths"]["/v1/jobs"]["post"]["responses"]["202"];
    assert!(accepted["headers"]["Location"].is_object(), "{accepted:#}");
}

/// What `scripts/api-fuzz` (schemathesis) found: the document let through
/// requests the server refuses (any `state`, any `limit`, a body without
/// `article` or `pipeline`, any pipeline name, any callback URL, an empty
/// `Idempotency-Key`). It now states the server's rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_states_what_the_server_accepts() {
    let s =
        Server::start(0, |api| api.callback_allow = vec!["http://127.0.0.1:9/hooks/".into()]).await;
    let doc: Value =
        s.client.get(format!("{}/openapi.json", s.url)).send().await.unwrap().json().await.unwrap();
    let params = doc["paths"]["/v1/jobs"]["get"]["parameters"].as_array().unwrap();
    let param = |name: &str| &params.iter().find(|p| p["name"] == name).unwrap()["schema"];
    assert_eq!(param("limit")["minimum"], 1, "{params:#?}");
    assert_eq!(param("limit")["maximum"], 200);
    for state in ["queued", "running", "succeeded", "failed", "canceled"] {
        assert_eq!(s.get(&format!("/v1/jobs?state={state}")).await.status(), 200);
    }
    for (limit, status) in [(1, 200), (200, 200), (0, 422), (201, 422)] {
        assert_eq!(s.get(&format!("/v1/jobs?limit={limit}")).await.status(), status, "{limit}");
    }

    let schemas = &doc["components"]["schemas"];
    let body = &doc["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]["application/json"];
    assert!(body["schema"]["$ref"].as_str().unwrap().ends_with("/JobRequest"), "{body:#}");
    assert_eq!(schemas["JobRequest"]["oneOf"].as_array().unwrap().len(), 2);
    assert_eq!(schemas["ArticleJob"]["required"], json!(["article", "target_locales"]));
    assert_eq!(schemas["PipelineJob"]["required"], json!(["pipeline"]));
    assert_eq!(
        schemas["PipelineJob"]["properties"]["pipeline"]["enum"],
        json!(["andry-hernandez-romero"]),
        "the project's pipelines"
    );
    let pattern = schemas["ArticleJob"]["properties"]["callback_url"]["pattern"].as_str().unwrap();
    assert_eq!(pattern, "^(http://127\\.0\\.0\\.1:9/hooks/)[^\\s#]*$");
    let locale = schemas["ArticleJob"]["properties"]["target_locales"]["items"]["pattern"].clone();
    assert_eq!(locale, diglot_server::api::LOCALE_PATTERN);
    let key = &doc["paths"]["/v1/jobs"]["post"]["parameters"][0];
    assert_eq!(
        (key["name"].as_str(), key["schema"]["maxLength"].as_u64()),
        (Some("Idempotency-Key"), Some(200))
    );

    // What the document allows, the server accepts; what it refuses, the
    // server refuses.
    let mut hooked = article("Hello.", &["pseudo"]);
    hooked["callback_url"] = "http://127.0.0.1:9/hooks/a".into();
    assert_eq!(s.post("/v1/jobs", &hooked).await.status(), 202);
    assert_eq!(
        s.post("/v1/jobs", &json!({"pipeline": "andry-hernandez-romero"})).await.status(),
        202
    );
    for bad in [
        json!({"article": null, "pipeline": null, "providers": [], "steps": [], "target_locales": []}),
        json!({"pipeline": "no-such-pipeline"}),
        json!({"article": {"format": "text", "text": "Hi."}, "target_locales": ["es_ES"]}),
    ] {
        problem(s.post("/v1/jobs", &bad).await, 422).await;
    }
    let r = s
        .client
        .post(format!("{}/v1/jobs", s.url))
        .bearer_auth(&s.token)
        .header("idempotency-key", "")
        .json(&article("Hello.", &["pseudo"]))
        .send()
        .await
        .unwrap();
    problem(r, 422).await;

    // Without an allow-list no callback URL is accepted: the document has
    // no such field, and unknown fields are refused.
    let plain = Server::start(0, |_| {}).await;
    let doc: Value = plain
        .client
        .get(format!("{}/openapi.json", plain.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["components"]["schemas"]["ArticleJob"]["properties"]["callback_url"].is_null());
    problem(plain.post("/v1/jobs", &hooked).await, 422).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_jobs_share_the_project_mt_cache() {
    let s = Server::start(1, |_| {}).await;
    let body = article("The dog runs in the park.", &["apertium"]);
    let first: Value = s.post("/v1/jobs", &body).await.json().await.unwrap();
    let first = s.wait(first["id"].as_str().unwrap()).await;
    assert_eq!(first["providers"][0]["cache_hits"], 0, "{first:#}");
    assert_eq!(first["providers"][0]["characters_sent"], "The dog runs in the park.".len());
    let second: Value = s.post("/v1/jobs", &body).await.json().await.unwrap();
    let second = s.wait(second["id"].as_str().unwrap()).await;
    assert_eq!(second["state"], "succeeded");
    assert_eq!(second["providers"][0]["cache_hits"], 1, "{second:#}");
    assert_eq!(second["providers"][0]["characters_sent"], 0);
    assert!(s.project.path().join(".diglot/memory.sqlite").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_cannot_run_fails_with_the_reason() {
    let s = Server::start(1, |_| {}).await;
    std::fs::write(
        s.project.path().join("pipelines/broken.toml"),
        "[article]\nsource = \"articles/missing.txt\"\n\n[edition]\nlocales = [\"es-ES\"]\n",
    )
    .unwrap();
    let r = s.post("/v1/jobs", &json!({"pipeline": "broken"})).await;
    assert_eq!(r.status(), 202);
    let job: Value = r.json().await.unwrap();
    let done = s.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "failed");
    assert!(done["errors"][0].as_str().unwrap().contains("articles/missing.txt"), "{done:#}");
    assert_eq!(done["results"], json!([]));
    let p =
        problem(s.get(&format!("/v1/jobs/{}/report.json", job["id"].as_str().unwrap())).await, 404)
            .await;
    assert!(p["detail"].as_str().unwrap().contains("no result"));
    problem(s.get("/v1/jobs?colour=red").await, 422).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_locales_that_cannot_be_translated_into_are_refused_at_submit() {
    let s = Server::start(0, |_| {}).await;
    let cases = [
        (json!(["es-ES", "en-US"]), "target_locales[1]", "the article's own language"),
        (json!(["es-ES", "fr-FR", "es-ES"]), "target_locales[2]", "listed twice"),
    ];
    for (targets, field, detail) in cases {
        let body = json!({
            "article": {"format": "markdown", "text": "The cat sleeps.", "lang": "en-US"},
            "target_locales": targets,
        });
        let p = problem(s.post("/v1/jobs", &body).await, 422).await;
        let errors = p["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["detail"].as_str().unwrap().contains(detail)),
            "{body}: {p:#}"
        );
    }
    // Without `lang`, an article detected as English may not target en-US.
    let body = json!({
        "article": {"format": "text", "text": "The cat sleeps in the house. The dog runs in the park."},
        "target_locales": ["en-US"],
    });
    let p = problem(s.post("/v1/jobs", &body).await, 422).await;
    assert_eq!(p["errors"][0]["field"], "target_locales[0]", "{p:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_fails_with_reasons_that_name_no_server_path() {
    let s = Server::start(1, |_| {}).await;
    let root = s.project.path().display().to_string();

    // An HTML article with no text in it.
    let body = json!({
        "article": {"format": "html", "text": "<script>alert(1)</script>", "lang": "en-US"},
        "target_locales": ["es-ES"],
        "providers": ["apertium"],
    });
    let r = s.post("/v1/jobs", &body).await;
    let failed = if r.status() == 422 {
        let p = problem(r, 422).await;
        p["errors"][0]["detail"].as_str().unwrap().to_string()
    } else {
        assert_eq!(r.status(), 202);
        let job: Value = r.json().await.unwrap();
        let done = s.wait(job["id"].as_str().unwrap()).await;
        assert_eq!(done["state"], "failed", "{done:#}");
        done["errors"][0].as_str().unwrap().to_string()
    };
    assert!(failed.contains("no article text found"), "{failed}");
    assert!(!failed.contains(&root) && !failed.contains(".diglot"), "{failed}");

    // A provider that cannot translate the pair: no sentence is translated,
    // as `diglot translate` exits 1, and the job says why.
    let body = json!({
        "article": {"format": "markdown", "text": "The cat sleeps.", "lang": "en-US"},
        "target_locales": ["fr-FR"],
        "providers": ["apertium"],
    });
    let r = s.post("/v1/jobs", &body).await;
    assert_eq!(r.status(), 202);
    let job: Value = r.json().await.unwrap();
    let done = s.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "failed", "{done:#}");
    let errors = done["errors"].to_string();
    assert!(errors.contains("apertium"), "{done:#}");
    assert!(!errors.contains(&root), "{done:#}");
}

/// A pipeline job's errors name the project's files as the project does
/// (`articles/…`), not by the server's absolute path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_pipeline_jobs_errors_name_files_within_the_project() {
    let s = Server::start(1, |_| {}).await;
    let root = s.project.path().display().to_string();
    std::fs::remove_file(s.project.path().join("articles/andry-hernandez-romero.txt")).unwrap();
    let r = s
        .post("/v1/jobs", &json!({"pipeline": "andry-hernandez-romero", "steps": ["build"]}))
        .await;
    assert_eq!(r.status(), 202);
    let job: Value = r.json().await.unwrap();
    let done = s.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "failed", "{done:#}");
    let errors = done["errors"].to_string();
    assert!(errors.contains("articles/andry-hernandez-romero.txt"), "{done:#}");
    assert!(!errors.contains(&root), "{done:#}");
}
