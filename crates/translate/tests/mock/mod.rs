//! A local stand-in for a translation service: the shared test server
//! (`tests/support/mock_server.rs`) answering from a script, recording
//! every request.
#![allow(dead_code)] // each test binary uses part of it

#[path = "../../../../tests/support/mock_server.rs"]
mod server;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

pub use server::{Recorded, Reply};

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    requests: Vec<Recorded>,
}

/// A running mock service.
pub struct Mock {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    script: Arc<Mutex<Script>>,
}

impl Mock {
    /// Binds a free port and serves on the current tokio runtime.
    pub async fn start() -> Mock {
        let script = Arc::new(Mutex::new(Script::default()));
        let handler = {
            let script = script.clone();
            Arc::new(move |recorded: Recorded| {
                let mut script = script.lock().unwrap();
                script.requests.push(recorded);
                script
                    .replies
                    .pop_front()
                    .unwrap_or_else(|| Reply::text(500, "mock: no scripted reply left"))
            })
        };
        Mock { url: server::serve(handler).await, script }
    }
    /// Queues an answer for the next request.
    pub fn push(&self, reply: Reply) {
        self.script.lock().unwrap().replies.push_back(reply);
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.script.lock().unwrap().requests.clone()
    }

    /// The only request so far.
    pub fn single_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request, got {requests:#?}");
        requests.into_iter().next().unwrap()
    }
}

/// A URL on which nothing listens: a port bound, then released.
pub fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// An environment with these variables only.
pub fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: BTreeMap<String, String> =
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| vars.get(name).cloned()
}

/// A language pair from two BCP 47 tags.
pub fn pair(source: &str, target: &str) -> diglot_translate::Pair {
    diglot_translate::Pair::new(source.parse().unwrap(), target.parse().unwrap())
}

pub fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
