//! A LibreTranslate-compatible translation service on a loopback port, for
//! end-to-end tests of the translate step: it records every request and
//! answers through a function the test gives, or with a scripted status.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

type Answer = Arc<dyn Fn(&str) -> String + Send + Sync>;

#[derive(Clone)]
struct Shared {
    requests: Arc<Mutex<Vec<Vec<String>>>>,
    answer: Answer,
    status: Arc<Mutex<Option<u16>>>,
    delay: Duration,
}

/// A running mock service; stops when dropped.
pub struct MockService {
    pub url: String,
    shared: Shared,
    _runtime: tokio::runtime::Runtime,
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
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app =
            axum::Router::new().route("/translate", post(translate)).with_state(shared.clone());
        runtime.spawn(async move { axum::serve(listener, app).await });
        MockService { url, shared, _runtime: runtime }
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

async fn translate(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    let texts: Vec<String> = body["q"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t.as_str().map(String::from)).collect())
        .unwrap_or_default();
    shared.requests.lock().unwrap().push(texts.clone());
    tokio::time::sleep(shared.delay).await;
    if let Some(status) = *shared.status.lock().unwrap() {
        let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return (code, Json(json!({"error": "scripted failure"}))).into_response();
    }
    let answers: Vec<String> = texts.iter().map(|t| (shared.answer)(t)).collect();
    Json(json!({ "translatedText": answers })).into_response()
}
