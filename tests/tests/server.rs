//! The job API as deployed: the real `diglot serve` and `diglot worker`
//! processes on 127.0.0.1, killed with SIGKILL mid-job, stopped with
//! SIGTERM, and sharing one real PostgreSQL database.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use diglot_tests::mock::MockService;
use diglot_tests::mock_server::{self, Handler, Recorded, Reply};
use diglot_tests::{Project, diglot_bin};
use serde_json::{Value, json};

/// The secret every process signs webhooks with (used as it is, not
/// base64, since it lacks the `whsec_` prefix).
const WEBHOOK_SECRET: &str = "test-secret";

/// A `diglot` process; killed when dropped.
struct Process {
    child: Child,
}

impl Process {
    fn spawn(project: &Project, args: &[&str]) -> Process {
        Process::spawn_with(project, args, Stdio::inherit())
    }

    fn spawn_with(project: &Project, args: &[&str], stderr: Stdio) -> Process {
        let child = Command::new(diglot_bin())
            .args(args)
            .current_dir(project.path())
            .env("DIGLOT_WEBHOOK_SECRET", WEBHOOK_SECRET)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("diglot starts");
        Process { child }
    }

    /// `diglot serve`, once it listens; returns it and its base URL.
    fn serve(project: &Project, args: &[&str]) -> (Process, String) {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut p = Process::spawn_with(project, &all, Stdio::piped());
        let stderr = p.child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                match line.strip_prefix("diglot: serving the job API on ") {
                    Some(url) => {
                        let _ = tx.send(url.to_string());
                    }
                    None => eprintln!("diglot serve: {line}"),
                }
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(30)).expect("diglot serve listens");
        (p, url)
    }

    /// SIGKILL: no chance to clean up.
    fn kill_9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn sigterm(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "diglot did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A synchronous client of the API.
struct Api {
    rt: tokio::runtime::Runtime,
    client: reqwest::Client,
    url: String,
    token: String,
}

impl Api {
    fn new(url: &str, token: &str) -> Api {
        Api {
            rt: tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap(),
            client: reqwest::Client::new(),
            url: url.to_string(),
            token: token.to_string(),
        }
    }

    fn submit(&self, body: &Value) -> String {
        self.rt.block_on(async {
            let r = self
                .client
                .post(format!("{}/v1/jobs", self.url))
                .bearer_auth(&self.token)
                .json(body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 202, "{:?}", r.text().await);
            let job: Value = r.json().await.unwrap();
            job["id"].as_str().unwrap().to_string()
        })
    }

    fn cancel(&self, id: &str) -> Value {
        self.rt.block_on(async {
            let r = self
                .client
                .post(format!("{}/v1/jobs/{id}/cancel", self.url))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 202);
            r.json().await.unwrap()
        })
    }

    fn get(&self, path: &str) -> Value {
        self.rt.block_on(async {
            let r = self
                .client
                .get(format!("{}{path}", self.url))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "GET {path}");
            r.json().await.unwrap()
        })
    }

    fn text(&self, path: &str) -> String {
        self.rt.block_on(async {
            let r = self
                .client
                .get(format!("{}{path}", self.url))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "GET {path}");
            r.text().await.unwrap()
        })
    }

    fn wait_for(&self, id: &str, states: &[&str], within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let job = self.get(&format!("/v1/jobs/{id}"));
            if states.contains(&job["state"].as_str().unwrap()) {
                return job;
            }
            assert!(Instant::now() < deadline, "job {id} never reached {states:?}: {job:#}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Every job, following the cursor.
    fn all_jobs(&self) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/v1/jobs?limit=100&cursor={c}"),
                None => "/v1/jobs?limit=100".into(),
            };
            let page = self.get(&path);
            out.extend(page["jobs"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return out,
            }
        }
    }
}

/// The example project plus a pipeline whose translation service (a local
/// mock) answers one sentence per request, slowly: jobs that run long
/// enough to be killed in the middle.
fn project_with_slow_service(service: &MockService) -> Project {
    let p = Project::example();
    p.write(
        "pipelines/slow.toml",
        &format!(
            "[article]\nsource = \"articles/andry-hernandez-romero.txt\"\nlang = \"en-US\"\n\n\
             [edition]\nlocales = [\"es-ES\"]\noutput = \"dist-slow\"\n\n\
             [[translate.providers]]\nkind = \"libretranslate\"\nurl = \"{}\"\n\
             max_texts = 1\nconcurrency = 1\ntimeout_secs = 30\n",
            service.url
        ),
    );
    p
}

fn slow_article() -> Value {
    json!({
        "article": {"format": "text", "lang": "en-US",
                    "text": "A slow story\n\nThe first sentence. The second sentence. The third sentence."},
        "target_locales": ["es-ES"],
        "providers": ["libretranslate"],
    })
}

fn token(project: &Project, extra: &[&str]) -> String {
    let mut args = vec!["token", "create", "--name", "ci", "--scope", "admin"];
    args.extend_from_slice(extra);
    let run = project.run(&args).expect_code(0);
    assert!(!run.stdout.trim().is_empty());
    assert!(run.stderr.contains("shown only now"), "{}", run.stderr);
    run.stdout.trim().to_string()
}

#[test]
fn a_job_survives_kill_9_of_the_server_and_completes_after_restart() {
    let service = MockService::start(|t| format!("ES {t}"), Duration::from_millis(800));
    let p = project_with_slow_service(&service);
    let token = token(&p, &[]);
    let listed = p.run(&["token", "list"]).expect_code(0);
    assert!(listed.stdout.contains("ci  admin"), "{}", listed.stdout);
    assert!(!listed.stdout.contains(token.rsplit('_').next().unwrap()), "secrets are never listed");

    let (mut server, url) = Process::serve(&p, &["--workers", "1", "--lease", "2"]);
    let api = Api::new(&url, &token);
    let id = api.submit(&slow_article());
    api.wait_for(&id, &["running"], Duration::from_secs(30));
    // Mid-job: the first request is out, the rest are not.
    let deadline = Instant::now() + Duration::from_secs(20);
    while service.requests().is_empty() {
        assert!(Instant::now() < deadline, "no request reached the service");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill_9();

    let (_server, url) = Process::serve(&p, &["--workers", "1", "--lease", "2"]);
    let api = Api::new(&url, &token);
    let job = api.wait_for(&id, &["succeeded", "failed"], Duration::from_secs(60));
    assert_eq!(job["state"], "succeeded", "{job:#}");
    assert_eq!(job["attempts"], 2, "one killed attempt, one that finished");
    let md = api.text(&format!("/v1/jobs/{id}/editions/es-ES/index.md"));
    assert!(md.contains("ES The third sentence."), "{md}");
}

#[test]
fn a_running_job_is_canceled_between_steps() {
    let service = MockService::start(|t| format!("ES {t}"), Duration::from_millis(1000));
    let p = project_with_slow_service(&service);
    p.write(
        "pipelines/slow.toml",
        &p.read("pipelines/slow.toml").replace("es-ES\"]", "es-ES\", \"es-MX\"]"),
    );
    let token = token(&p, &[]);
    let (_server, url) = Process::serve(&p, &["--workers", "1"]);
    let api = Api::new(&url, &token);
    let mut body = slow_article();
    body["target_locales"] = json!(["es-ES", "es-MX"]);
    let id = api.submit(&body);
    api.wait_for(&id, &["running"], Duration::from_secs(30));
    assert_eq!(api.cancel(&id)["cancel_requested"], true);
    let job = api.wait_for(&id, &["canceled", "succeeded", "failed"], Duration::from_secs(60));
    assert_eq!(job["state"], "canceled", "{job:#}");
    // es-MX, the second locale, was never sent.
    assert!(service.requests().len() <= 4, "{:?}", service.requests());
    assert!(job["results"].as_array().unwrap().is_empty());
}

#[test]
fn cancel_stops_a_running_translation_before_its_next_batch_and_keeps_its_drafts() {
    let service = MockService::start(|t| format!("ES {t}"), Duration::from_millis(400));
    let p = project_with_slow_service(&service);
    let token = token(&p, &[]);
    let (_server, url) = Process::serve(&p, &["--workers", "1"]);
    let api = Api::new(&url, &token);
    // One locale, thirteen sentences, one request each: about five
    // seconds of work, all in a single translate step.
    let sentences: Vec<String> =
        (1..=12).map(|n| format!("Sentence number {n} is here.")).collect();
    let mut body = slow_article();
    body["article"]["text"] = format!("A long story\n\n{}", sentences.join(" ")).into();
    let id = api.submit(&body);
    let deadline = Instant::now() + Duration::from_secs(30);
    while service.requests().len() < 2 {
        assert!(Instant::now() < deadline, "no requests reached the service");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(api.cancel(&id)["cancel_requested"], true);
    let job = api.wait_for(&id, &["canceled", "succeeded", "failed"], Duration::from_secs(60));
    assert_eq!(job["state"], "canceled", "{job:#}");
    let before = service.requests();
    assert!(before.len() <= 8, "stopped well before the 13th sentence: {before:?}");
    assert!(job["providers"][0]["segments_sent"].as_u64().unwrap() >= 2, "{job:#}");
    assert!(job["results"].as_array().unwrap().is_empty());

    // The drafts made before the cancel are kept (the MT cache): the same
    // article again sends only the rest, and the sentence whose answer the
    // cancel cut off, at most once more.
    let again = api.submit(&body);
    let job = api.wait_for(&again, &["succeeded", "failed"], Duration::from_secs(60));
    assert_eq!(job["state"], "succeeded", "{job:#}");
    let after = service.requests()[before.len()..].to_vec();
    let twice = after.iter().filter(|r| before.contains(r)).count();
    assert!(twice <= 1, "sent before the cancel and again: {before:?} then {after:?}");
    assert_eq!(before.len() + after.len() - twice, 13, "{before:?} then {after:?}");
    let md = api.text(&format!("/v1/jobs/{again}/editions/es-ES/index.md"));
    assert!(md.contains("ES Sentence number 12 is here."), "{md}");
}

#[test]
fn sigterm_lets_a_running_job_finish_or_gives_it_back() {
    let service = MockService::start(|t| format!("ES {t}"), Duration::from_millis(600));
    let p = project_with_slow_service(&service);
    let token = token(&p, &[]);

    // Enough grace: the job finishes before the process exits.
    let (mut server, url) = Process::serve(&p, &["--workers", "1", "--shutdown-grace", "60"]);
    let api = Api::new(&url, &token);
    let id = api.submit(&slow_article());
    api.wait_for(&id, &["running"], Duration::from_secs(30));
    assert!(server.sigterm().success());
    let (mut server, url) = Process::serve(&p, &["--workers", "0"]);
    let api = Api::new(&url, &token);
    let job = api.get(&format!("/v1/jobs/{id}"));
    assert_eq!((job["state"].as_str(), job["attempts"].as_u64()), (Some("succeeded"), Some(1)));
    assert!(server.sigterm().success());

    // No grace: the job goes back to the queue, its attempt not counted,
    // and the next server runs it.
    let (mut server, url) = Process::serve(&p, &["--workers", "1", "--shutdown-grace", "0"]);
    let api = Api::new(&url, &token);
    // Sentences the first job did not translate: from the MT cache the job
    // would end before the test could see it running.
    let mut other = slow_article();
    other["article"]["text"] =
        "A second slow story\n\nThe fourth sentence. The fifth sentence. The sixth sentence."
            .into();
    let id = api.submit(&other);
    api.wait_for(&id, &["running"], Duration::from_secs(30));
    assert!(server.sigterm().success());
    let (_server, url) = Process::serve(&p, &["--workers", "1"]);
    let api = Api::new(&url, &token);
    let job = api.wait_for(&id, &["succeeded", "failed"], Duration::from_secs(60));
    assert_eq!((job["state"].as_str(), job["attempts"].as_u64()), (Some("succeeded"), Some(1)));
}

#[test]
fn servers_on_one_postgres_database_share_a_tokens_rate_limit() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let database = rt.block_on(diglot_server::testing::fresh_schema());
    let p = Project::example();
    let token = token(&p, &["--database", &database]);
    let args = ["--database", &database, "--workers", "0", "--rate-limit", "6"];
    let (_a, url_a) = Process::serve(&p, &args);
    let (_b, url_b) = Process::serve(&p, &args);
    // The limit counts per minute of the database's clock: start early in
    // one, so the requests below all fall in it.
    while rt.block_on(diglot_server::testing::seconds_into_minute(&database)) >= 40.0 {
        std::thread::sleep(Duration::from_millis(500));
    }
    let client = reqwest::Client::new();
    let mut answers = Vec::new();
    for n in 0..10 {
        let url = if n % 2 == 0 { &url_a } else { &url_b };
        let r =
            rt.block_on(client.get(format!("{url}/v1/jobs")).bearer_auth(&token).send()).unwrap();
        let retry_after = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
        answers.push((r.status().as_u16(), retry_after));
    }
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    // Six in all, not six on each server.
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 429, 429, 429, 429], "{answers:?}");
    let wait: u64 = answers[6].1.as_deref().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After: {wait}");
    rt.block_on(diglot_server::testing::drop_schema(&database));
}

#[test]
fn three_workers_on_postgres_do_every_job_once_even_when_one_is_killed() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let database = rt.block_on(diglot_server::testing::fresh_schema());
    let service = MockService::start(|t| format!("ES {t}"), Duration::from_millis(700));
    let p = project_with_slow_service(&service);
    let token = token(&p, &["--database", &database]);
    let mut slow_article = slow_article();
    slow_article["article"]["text"] = "A slow story\n\n".to_string().into();
    for n in 1..=20 {
        let text = format!(
            "{}Sentence number {n} is here. ",
            slow_article["article"]["text"].as_str().unwrap()
        );
        slow_article["article"]["text"] = text.into();
    }
    let (_server, url) = Process::serve(
        &p,
        &[
            "--database",
            &database,
            "--workers",
            "0",
            "--rate-limit",
            "100000",
            "--max-active-jobs",
            "1000",
        ],
    );
    let api = Api::new(&url, &token);

    // Worker A alone takes the slow job, so it is A's when A is killed.
    let mut a = Process::spawn(
        &p,
        &["worker", "--database", &database, "--workers", "1", "--lease", "2", "--poll", "0.05"],
    );
    let slow = api.submit(&slow_article);
    api.wait_for(&slow, &["running"], Duration::from_secs(30));
    let worker = ["worker", "--database", &database, "--workers", "2", "--poll", "0.05"];
    let _b = Process::spawn(&p, &worker);
    let _c = Process::spawn(&p, &worker);

    let count = 200;
    let mut ids = Vec::new();
    for i in 0..count {
        ids.push(api.submit(&json!({
            "article": {"format": "text", "lang": "en-US", "text": format!("Story {i}.\n\nJob number {i} is short.")},
            "target_locales": ["es-ES"],
            "providers": ["pseudo"],
        })));
        if i == count / 2 {
            // Mid-job: A has sent part of the slow job's sentences.
            let job = api.get(&format!("/v1/jobs/{slow}"));
            assert_eq!(job["state"], "running", "the slow job is still running: {job:#}");
            assert!(!service.requests().is_empty());
            a.kill_9();
        }
    }

    let deadline = Instant::now() + Duration::from_secs(300);
    let jobs = loop {
        let jobs = api.all_jobs();
        if jobs
            .iter()
            .all(|j| ["succeeded", "failed", "canceled"].contains(&j["state"].as_str().unwrap()))
        {
            break jobs;
        }
        assert!(Instant::now() < deadline, "jobs still unfinished after 5 minutes");
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(jobs.len(), count + 1);
    for job in &jobs {
        assert_eq!(job["state"], "succeeded", "{job:#}");
        let expected = if job["id"] == slow.as_str() { 2 } else { 1 };
        assert_eq!(job["attempts"], expected, "each job runs once (the killed one twice): {job:#}");
    }
    for (i, id) in ids.iter().enumerate().step_by(50) {
        let md = api.text(&format!("/v1/jobs/{id}/editions/es-ES/index.md"));
        assert!(md.contains(&format!("{i}")), "job {i} has its own edition: {md}");
    }
    let metrics = api.text("/metrics");
    assert!(
        metrics.lines().any(|l| l == format!("diglot_jobs{{state=\"succeeded\"}} {}", count + 1)),
        "{metrics}"
    );
    rt.block_on(diglot_server::testing::drop_schema(&database));
}

#[test]
fn idle_postgres_workers_are_woken_by_notify_not_by_their_poll() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let database = rt.block_on(diglot_server::testing::fresh_schema());
    let p = Project::example();
    let token = token(&p, &["--database", &database]);
    let (_server, url) = Process::serve(&p, &["--database", &database, "--workers", "0"]);
    let api = Api::new(&url, &token);
    let _worker =
        Process::spawn(&p, &["worker", "--database", &database, "--workers", "1", "--poll", "600"]);
    let job = json!({
        "article": {"format": "text", "lang": "en-US", "text": "Hello there."},
        "target_locales": ["es-ES"],
        "providers": ["pseudo"],
    });
    // The first job shows the worker is up; after it, the worker is idle
    // and would not look again for ten minutes.
    let first = api.submit(&job);
    api.wait_for(&first, &["succeeded"], Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let second = api.submit(&job);
    api.wait_for(&second, &["succeeded"], Duration::from_secs(30));
    assert!(started.elapsed() < Duration::from_secs(30));
    rt.block_on(diglot_server::testing::drop_schema(&database));
}

#[test]
fn a_webhook_due_when_the_server_is_killed_is_sent_after_restart() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    // A receiver that fails its first delivery and records every one.
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let seen: Arc<Mutex<Vec<String>>> = Default::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let (seen2, calls2) = (seen.clone(), calls.clone());
    let receiver: Handler = Arc::new(move |request: Recorded| {
        let id = request.header("webhook-id").unwrap();
        let timestamp: i64 = request.header("webhook-timestamp").unwrap().parse().unwrap();
        let signed = diglot_server::Webhooks::sign(
            WEBHOOK_SECRET.as_bytes(),
            id,
            timestamp,
            &request.raw_body,
        );
        assert_eq!(request.header("webhook-signature").unwrap(), signed);
        seen2.lock().unwrap().push(request.raw_body.clone());
        if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::text(503, "")
        } else {
            Reply::text(200, "")
        }
    });
    let origin = rt.block_on(mock_server::serve(receiver));

    let p = Project::example();
    let token = token(&p, &[]);
    let args = ["--workers", "1", "--callback-allow", origin.as_str()];
    let (mut server, url) = Process::serve(&p, &args);
    let api = Api::new(&url, &token);
    let id = api.submit(&json!({
        "article": {"format": "text", "lang": "en-US", "text": "Hello there."},
        "target_locales": ["es-ES"],
        "providers": ["pseudo"],
        "callback_url": format!("{origin}/hook"),
    }));
    let deadline = Instant::now() + Duration::from_secs(60);
    while api.get(&format!("/v1/jobs/{id}"))["deliveries"].as_array().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "no delivery attempt");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The first attempt failed; the retry is due in two seconds.
    server.kill_9();
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let (_server, url) = Process::serve(&p, &args);
    let api = Api::new(&url, &token);
    let deadline = Instant::now() + Duration::from_secs(60);
    let job = loop {
        let job = api.get(&format!("/v1/jobs/{id}"));
        if job["deliveries"].as_array().unwrap().len() == 2 {
            break job;
        }
        assert!(Instant::now() < deadline, "the retry was never sent: {job:#}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(job["deliveries"][0]["status"], 503);
    assert_eq!(job["deliveries"][1]["status"], 200);
    assert_eq!(job["deliveries"][1]["delivered"], true);
    let body: Value = serde_json::from_str(&seen.lock().unwrap()[1]).unwrap();
    assert_eq!(
        (body["id"].as_str(), body["state"].as_str()),
        (Some(id.as_str()), Some("succeeded"))
    );
}

#[test]
fn callbacks_without_a_signing_secret_are_refused_at_start() {
    let p = Project::example();
    let mut child = Command::new(diglot_bin())
        .args(["serve", "--listen", "127.0.0.1:0", "--callback-allow", "http://127.0.0.1:9/"])
        .current_dir(p.path())
        .env_remove("DIGLOT_WEBHOOK_SECRET")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("diglot serve started without a webhook secret");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(2));
    let stderr = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
    assert!(stderr.contains("set DIGLOT_WEBHOOK_SECRET"), "{stderr}");
}

#[test]
fn a_pipeline_job_writes_the_same_bytes_as_diglot_build() {
    let by_cli = Project::example();
    by_cli.run(&["build"]).expect_code(0);
    let by_server = Project::example();
    let token = token(&by_server, &[]);
    let (_server, url) = Process::serve(&by_server, &["--workers", "1"]);
    let api = Api::new(&url, &token);
    let id = api.submit(&json!({"pipeline": "andry-hernandez-romero", "steps": ["build"]}));
    let job = api.wait_for(&id, &["succeeded", "failed"], Duration::from_secs(60));
    assert_eq!(job["state"], "succeeded", "{job:#}");
    assert_eq!(by_server.snapshot("dist"), by_cli.snapshot("dist"));
    assert_eq!(by_server.snapshot("locales"), by_cli.snapshot("locales"));
    let served = api.text(&format!("/v1/jobs/{id}/locales/es-ES/andry-hernandez-romero.ftl"));
    assert_eq!(served, by_cli.read("locales/es-ES/andry-hernandez-romero.ftl"));
}

/// The slow service on a short article of its own (`articles/slow.txt`,
/// four sentences), whose answers wait until `gate` opens: a job stays in
/// the middle of its translate step, between reading the locale file and
/// writing it, for as long as a test needs.
fn project_with_gated_service(
    gate: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> (Project, MockService) {
    let gate = gate.clone();
    let service = MockService::start(
        move |t| {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !gate.load(std::sync::atomic::Ordering::SeqCst) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            format!("ES {t}")
        },
        Duration::from_millis(20),
    );
    let p = project_with_slow_service(&service);
    p.write(
        "articles/slow.txt",
        "A slow story\n\nThe first sentence. The second sentence. The third sentence.\n",
    );
    p.write(
        "pipelines/slow.toml",
        &p.read("pipelines/slow.toml")
            .replace("articles/andry-hernandez-romero.txt", "articles/slow.txt"),
    );
    p.run(&["extract", "slow"]).expect_code(0);
    (p, service)
}

/// Waits until the service has received a request (and so is holding it).
fn wait_for_a_request(service: &MockService) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while service.requests().is_empty() {
        assert!(Instant::now() < deadline, "no request reached the service");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A served project whose pipeline job `slow` runs with one worker: it has
/// read the locale file and holds the project lock while the gated service
/// keeps its first request. The project, the service, the server (alive
/// while held), the API and the job's ID.
fn a_running_pipeline_job(
    gate: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> (Project, MockService, Process, Api, String) {
    let (p, service) = project_with_gated_service(gate);
    let token = token(&p, &[]);
    let (server, url) = Process::serve(&p, &["--workers", "1"]);
    let api = Api::new(&url, &token);
    let id = api.submit(&json!({"pipeline": "slow", "steps": ["translate", "build"]}));
    api.wait_for(&id, &["running"], Duration::from_secs(30));
    wait_for_a_request(&service);
    (p, service, server, api, id)
}

#[test]
fn a_translators_save_during_a_pipeline_job_is_kept_beside_the_jobs_drafts() {
    let gate = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (p, _service, _server, api, id) = a_running_pipeline_job(&gate);

    // A translator saves the file as an editor does: a new file renamed
    // over the old one. A reviewed translation of the last sentence (one
    // the job is about to draft too) and a comment of their own.
    let rel = "locales/es-ES/slow.ftl";
    let before = p.read(rel);
    let missing = "# the-third-sentence-dc5c8f =";
    assert!(before.contains(missing), "{before}");
    let saved = before.replace(
        missing,
        "# Checked with the desk.\nthe-third-sentence-dc5c8f = La tercera frase, revisada.",
    );
    let path = p.path().join(rel);
    let scratch = p.path().join("locales/es-ES/slow.ftl~");
    std::fs::write(&scratch, &saved).unwrap();
    std::fs::rename(&scratch, &path).unwrap();
    gate.store(true, std::sync::atomic::Ordering::SeqCst);

    let job = api.wait_for(&id, &["succeeded", "failed"], Duration::from_secs(60));
    let after = p.read(rel);
    match job["state"].as_str().unwrap() {
        "succeeded" => {
            let messages = diglot_tests::messages(&after);
            let value = |id: &str| {
                messages.iter().find(|(m, _)| m == id).map(|(_, v)| v.clone()).unwrap_or_default()
            };
            // The translator's work, as saved.
            assert_eq!(
                value("the-third-sentence-dc5c8f"),
                "La tercera frase, revisada.",
                "{after}"
            );
            assert_eq!(
                diglot_tests::comments_of(&after, "the-third-sentence-dc5c8f"),
                ["# en-US: The third sentence.", "# Checked with the desk."],
                "{after}"
            );
            // The job's drafts, beside it.
            assert_eq!(value("a-slow-story-78c448"), "ES A slow story", "{after}");
            assert_eq!(value("the-first-sentence-2e5869"), "ES The first sentence.", "{after}");
            assert_eq!(value("the-second-sentence-836321"), "ES The second sentence.", "{after}");
            assert!(
                diglot_tests::comments_of(&after, "the-first-sentence-2e5869")
                    .iter()
                    .any(|c| c.starts_with("# unreviewed")),
                "{after}"
            );
            // The edition the job built has both.
            let md = api.text(&format!("/v1/jobs/{id}/editions/es-ES/index.md"));
            assert!(md.contains("La tercera frase, revisada."), "{md}");
            assert!(md.contains("ES The second sentence."), "{md}");
        }
        _ => {
            // Stopping is allowed, losing the save is not.
            assert!(job["errors"].to_string().contains("changed while diglot"), "{job:#}");
            assert_eq!(after, saved);
        }
    }
}

#[test]
fn diglot_translate_waits_for_a_running_pipeline_job_on_the_project_lock() {
    let gate = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (p, service, _server, api, id) = a_running_pipeline_job(&gate);

    // The job holds the lock: `diglot translate` says it waits, and does.
    let mut cli = Process::spawn_with(&p, &["translate", "slow"], Stdio::piped());
    let stderr = cli.child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(30)).expect("diglot translate says something");
    assert!(first.contains("waiting for another diglot command"), "{first}");
    assert!(cli.child.try_wait().unwrap().is_none(), "diglot translate waits");
    assert_eq!(service.requests().len(), 1, "only the job's request: {:?}", service.requests());

    gate.store(true, std::sync::atomic::Ordering::SeqCst);
    let job = api.wait_for(&id, &["succeeded", "failed"], Duration::from_secs(60));
    assert_eq!(job["state"], "succeeded", "{job:#}");
    let status = cli.child.wait().unwrap();
    assert!(status.success(), "{status:?}: {:?}", rx.try_iter().collect::<Vec<_>>());
    // After the job, nothing was left to translate: every sentence was sent once.
    assert_eq!(service.requests().len(), 4, "{:?}", service.requests());
}

#[test]
fn a_pipeline_job_waits_for_a_running_diglot_translate_on_the_project_lock() {
    let gate = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (p, service) = project_with_gated_service(&gate);
    let token = token(&p, &[]);
    let (_server, url) = Process::serve(&p, &["--workers", "1"]);
    let api = Api::new(&url, &token);

    // `diglot translate` holds the lock, waiting on its first sentence.
    let mut cli = Process::spawn_with(&p, &["translate", "slow"], Stdio::null());
    wait_for_a_request(&service);
    let id = api.submit(&json!({"pipeline": "slow", "steps": ["translate", "build"]}));
    api.wait_for(&id, &["running"], Duration::from_secs(30));
    gate.store(true, std::sync::atomic::Ordering::SeqCst);

    assert!(cli.child.wait().unwrap().success());
    let job = api.wait_for(&id, &["succeeded", "failed"], Duration::from_secs(60));
    assert_eq!(job["state"], "succeeded", "{job:#}");
    // The job read the locale file once `diglot translate` had written
    // it: nothing was left to send, so every sentence was sent once.
    assert_eq!(service.requests().len(), 4, "{:?}", service.requests());
    let md = api.text(&format!("/v1/jobs/{id}/editions/es-ES/index.md"));
    assert!(md.contains("ES The third sentence."), "{md}");
}
