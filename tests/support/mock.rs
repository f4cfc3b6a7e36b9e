//! A LibreTranslate-compatible translation service on a loopback port, for
//! end-to-end tests of the translate step: it records every request and
//! answers through a function the test gives, or with a scripted status.
//! It serves with the shared test server (`mock_server.rs`), as the
//! provider tests of the translate crate do.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use super::mock_server as server;
use server::{Recorded, Reply};

type Answer = Arc<dyn Fn(&str) -> String + Send + Sync>;

#[derive(Clone)]
struct Shared {
    requests: Arc<Mutex<Vec<Vec<String>>>>,
    answer: Answer,
    status: Arc<Mutex<Option<u16>>>,
    delay: Duration,
}

/// The shared test server on a runtime of its own, for tests that run
/// none; stops when dropped.
pub struct Served {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    _runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Served").field("url", &self.url).finish()
    }
}

impl Served {
    pub fn start(handler: server::Handler) -> Served {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let url = runtime.block_on(server::serve(handler));
        Served { url, _runtime: runtime }
    }
}

/// A running mock service; stops when dropped.
pub struct MockService {
    pub url: String,
    shared: Shared,
    _served: Served,
}

impl std::fmt::Debug for MockService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockService").field("url", &self.url).finish()
    }
}

impl MockService {
    /// Answers each text with `answer(text)`, after `delay`.
    pub fn start(
        answer: impl Fn(&str) -> String + Send + Sync + 'static,
        delay: Duration,
    ) -> MockService {
        let shared = Shared {
            requests: Arc::new(Mutex::new(Vec::new())),
            answer: Arc::new(answer),
            status: Arc::new(Mutex::new(None)),
            delay,
        };
        let handler = {
            let shared = shared.clone();
            Arc::new(move |request: Recorded| translate(&shared, &request))
        };
        let served = Served::start(handler);
        MockService { url: served.url.clone(), shared, _served: served }
    }

    /// Answers every request with this HTTP status from now on.
    pub fn fail_with(&self, status: u16) {
        *self.shared.status.lock().unwrap() = Some(status);
    }

    /// The texts of every request received, in order.
    pub fn requests(&self) -> Vec<Vec<String>> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Characters received, all requests together.
    pub fn characters(&self) -> usize {
        self.requests().iter().flatten().map(|t| t.chars().count()).sum()
    }
}

/// `POST /translate`, LibreTranslate's shape: `{"q": [...]}` in,
/// `{"translatedText": [...]}` out.
fn translate(shared: &Shared, request: &Recorded) -> Reply {
    if request.path != "/translate" {
        return Reply::text(404, "");
    }
    if request.method != "POST" {
        return Reply::text(405, "");
    }
    if request.body.is_null() {
        return Reply::text(400, "expected a JSON body");
    }
    let texts: Vec<String> = request.body["q"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t.as_str().map(String::from)).collect())
        .unwrap_or_default();
    shared.requests.lock().unwrap().push(texts.clone());
    let reply = match *shared.status.lock().unwrap() {
        Some(status) => {
            let status = if (100..=999).contains(&status) { status } else { 500 };
            Reply::json(status, json!({"error": "scripted failure"}))
        }
        None => {
            let answers: Vec<String> = texts.iter().map(|t| (shared.answer)(t)).collect();
            Reply::json(200, json!({ "translatedText": answers }))
        }
    };
    reply.delay(shared.delay)
}
