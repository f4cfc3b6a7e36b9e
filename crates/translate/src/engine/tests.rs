use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::{BoxFuture, Limits};

type Script = Box<dyn Fn(&[String]) -> Result<Vec<String>, ProviderError> + Send + Sync>;

/// A provider answering from a script, recording what it was sent.
struct Fake {
    name: String,
    limits: Limits,
    answers: Mutex<VecDeque<Result<(), ProviderError>>>,
    translate: Script,
    calls: Mutex<Vec<Vec<String>>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Fake {
    fn new(name: &str) -> Fake {
        Fake {
            name: name.into(),
            limits: Limits { max_texts: 50, max_bytes: 1 << 20, concurrency: 1 },
            answers: Mutex::new(VecDeque::new()),
            translate: Box::new(|texts| Ok(texts.iter().map(|t| format!("ES {t}")).collect())),
            calls: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// Errors to return, in order, before the script answers.
    fn failing_with(self, errors: Vec<ProviderError>) -> Fake {
        *self.answers.lock().unwrap() = errors.into_iter().map(Err).collect();
        self
    }

    fn calls(&self) -> Vec<Vec<String>> {
        self.calls.lock().unwrap().clone()
    }
}

impl Translator for Fake {
    fn name(&self) -> &str {
        &self.name
    }
    fn limits(&self) -> Limits {
        self.limits
    }
    fn fingerprint(&self) -> String {
        "v1".into()
    }
    fn translate<'a>(
        &'a self,
        batch: Batch<'a>,
    ) -> BoxFuture<'a, Result<Vec<String>, ProviderError>> {
        Box::pin(async move {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_in_flight.fetch_max(now, Ordering::SeqCst);
            self.calls.lock().unwrap().push(batch.texts.to_vec());
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            let scripted = self.answers.lock().unwrap().pop_front();
            match scripted {
                Some(Err(e)) => Err(e),
                _ => (self.translate)(batch.texts),
            }
        })
    }
}

fn fast() -> Settings {
    Settings {
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(20),
        ..Settings::default()
    }
}

fn requests(texts: &[&str]) -> Vec<Request> {
    texts
        .iter()
        .map(|t| Request {
            id: SegmentId::for_text(t),
            source: t.to_string(),
            kind: TextKind::Body,
        })
        .collect()
}

fn pair() -> Pair {
    Pair::new("en-US".parse().unwrap(), "es-ES".parse().unwrap())
}

fn run(providers: Vec<Arc<dyn Translator>>, reqs: &[Request]) -> Fill {
    let engine = Engine {
        memory: None,
        glossary: None,
        providers,
        settings: fast(),
        progress: None,
        breakers: Breakers::default(),
    };
    engine.fill(&pair(), reqs, false)
}

#[test]
fn drafts_come_back_in_order_with_their_origin() {
    let fake = Arc::new(Fake::new("fake"));
    let fill = run(vec![fake.clone()], &requests(&["One.", "Two."]));
    let texts: Vec<_> = fill.drafts.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["ES One.", "ES Two."]);
    assert_eq!(fill.drafts[0].origin.label(), "fake");
    assert_eq!(fill.providers[0].segments_sent, 2);
    assert_eq!(fill.providers[0].characters_sent, "One.".len() + "Two.".len());
    assert!(fill.unfilled.is_empty());
}

#[test]
fn batches_respect_text_and_byte_limits() {
    let mut fake = Fake::new("fake");
    fake.limits = Limits { max_texts: 2, max_bytes: 12, concurrency: 1 };
    let fake = Arc::new(fake);
    run(vec![fake.clone()], &requests(&["aaaa.", "bbbb.", "cccc.", "dddddddddd."]));
    let sizes: Vec<usize> = fake.calls().iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 1, 1], "2 texts max, then 12 bytes max");
}

#[test]
fn headlines_go_in_their_own_batches() {
    let fake = Arc::new(Fake::new("fake"));
    let mut reqs = requests(&["A headline", "Body one.", "Body two."]);
    reqs[0].kind = TextKind::Headline;
    run(vec![fake.clone()], &reqs);
    assert_eq!(fake.calls().len(), 2);
}

#[test]
fn rate_limits_and_server_errors_are_retried() {
    let fake = Arc::new(Fake::new("fake").failing_with(vec![
        ProviderError::RateLimited { retry_after: Some(Duration::from_millis(1)) },
        ProviderError::Server { status: 503, message: "busy".into() },
        ProviderError::Timeout,
    ]));
    let fill = run(vec![fake.clone()], &requests(&["One."]));
    assert_eq!(fill.drafts.len(), 1);
    assert_eq!(fill.providers[0].retries, 3);
    assert_eq!(fill.providers[0].requests, 4);
    assert_eq!(fill.providers[0].characters_sent, 4 * "One.".len(), "every attempt is counted");
}

#[test]
fn retries_are_bounded() {
    let errors = vec![ProviderError::Timeout; 10];
    let fake = Arc::new(Fake::new("fake").failing_with(errors));
    let fill = run(vec![fake.clone()], &requests(&["One."]));
    assert_eq!(fill.providers[0].requests, 1 + fast().max_retries as usize);
    assert_eq!(fill.unfilled.len(), 1);
    assert_eq!(fill.providers[0].failures, 1);
}

#[test]
fn auth_and_quota_errors_stop_the_provider_and_fall_through() {
    for err in [ProviderError::Auth("bad key".into()), ProviderError::Quota("456".into())] {
        let first = Arc::new(Fake::new("first").failing_with(vec![err.clone()]));
        let second = Arc::new(Fake::new("second"));
        let fill = run(vec![first.clone(), second.clone()], &requests(&["One.", "Two."]));
        assert_eq!(first.calls().len(), 1, "no retry for {err}");
        assert!(matches!(fill.providers[0].breaker, Breaker::Open { .. }));
        assert_eq!(fill.drafts.len(), 2);
        assert!(fill.drafts.iter().all(|d| d.origin.label() == "second"));
    }
}

#[test]
fn breaker_opens_after_consecutive_failures() {
    let mut fake = Fake::new("flaky");
    fake.limits.max_texts = 1;
    fake.translate = Box::new(|_| Err(ProviderError::Malformed("not json".into())));
    let fake = Arc::new(fake);
    let fill = run(vec![fake.clone()], &requests(&["A.", "B.", "C.", "D.", "E."]));
    assert_eq!(fake.calls().len(), 3, "stops after the breaker threshold");
    assert!(
        matches!(&fill.providers[0].breaker, Breaker::Open { reason } if reason.contains("3 failed"))
    );
    assert_eq!(fill.unfilled.len(), 5);
}

#[test]
fn wrong_count_falls_through_to_the_next_provider() {
    let mut short = Fake::new("short");
    short.translate = Box::new(|texts| Ok(vec![format!("ES {}", texts[0])]));
    let short = Arc::new(short);
    let good = Arc::new(Fake::new("good"));
    let fill = run(vec![short, good], &requests(&["One.", "Two."]));
    assert!(fill.drafts.iter().all(|d| d.origin.label() == "good"));
    assert_eq!(fill.providers[0].last_error.as_deref(), Some("sent 2 texts, got 1 translations"));
}

#[test]
fn concurrency_is_bounded() {
    let mut fake = Fake::new("fake");
    fake.limits = Limits { max_texts: 1, max_bytes: 1 << 20, concurrency: 2 };
    let fake = Arc::new(fake);
    run(vec![fake.clone()], &requests(&["A.", "B.", "C.", "D.", "E.", "F."]));
    assert_eq!(fake.calls().len(), 6);
    assert_eq!(fake.max_in_flight.load(Ordering::SeqCst), 2);
}

#[test]
fn backoff_grows_and_honours_retry_after() {
    let s = Settings {
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_secs(5),
        ..Settings::default()
    };
    let t = ProviderError::Timeout;
    for attempt in 1..=4 {
        let wait = backoff(&s, attempt, &t);
        let nominal = 100.0 * 2f64.powi(attempt as i32 - 1);
        assert!(
            wait.as_millis() as f64 >= nominal * 0.5 && wait.as_millis() as f64 <= nominal * 1.5,
            "{wait:?}"
        );
    }
    assert_eq!(backoff(&s, 10, &t), Duration::from_secs(5), "capped");
    let after = ProviderError::RateLimited { retry_after: Some(Duration::from_secs(2)) };
    assert_eq!(backoff(&s, 1, &after), Duration::from_secs(2));
}

#[test]
fn progress_is_reported_per_batch() {
    let mut fake = Fake::new("fake");
    fake.limits.max_texts = 2;
    let calls = Mutex::new(Vec::new());
    let record = |name: &str, done: usize, total: usize| {
        calls.lock().unwrap().push((name.to_string(), done, total))
    };
    let engine = Engine {
        memory: None,
        glossary: None,
        providers: vec![Arc::new(fake)],
        settings: fast(),
        progress: Some(&record),
        breakers: Breakers::default(),
    };
    engine.fill(&pair(), &requests(&["A.", "B.", "C."]), false);
    let calls = calls.into_inner().unwrap();
    assert_eq!(calls, [("fake".to_string(), 2, 3), ("fake".to_string(), 3, 3)]);
}

#[test]
fn any_failure_that_leaves_segments_unfilled_is_an_error() {
    let errors = [
        ProviderError::Server { status: 502, message: "bad gateway".into() },
        ProviderError::Timeout,
        ProviderError::Truncated,
        ProviderError::Malformed("not json".into()),
    ];
    for err in errors {
        let mut fake = Fake::new("fake");
        fake.translate = Box::new(move |_| Err(err.clone()));
        let mut settings = fast();
        settings.max_retries = 0;
        let engine = Engine {
            memory: None,
            glossary: None,
            providers: vec![Arc::new(fake)],
            settings,
            progress: None,
            breakers: Breakers::default(),
        };
        let mut reqs = requests(&["A headline", "Body."]);
        reqs[0].kind = TextKind::Headline;
        let fill = engine.fill(&pair(), &reqs, false);
        assert_eq!(fill.providers[0].breaker, Breaker::Closed, "two batches open no breaker");
        let errors = fill.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("fake: 2 failed requests"), "{errors:?}");
    }
    // Wrong counts too.
    let mut short = Fake::new("short");
    short.translate = Box::new(|texts| Ok(texts[1..].to_vec()));
    let fill = run(vec![Arc::new(short)], &requests(&["One.", "Two."]));
    assert_eq!(fill.errors().len(), 1, "{:?}", fill.errors());
    // A failure the next provider makes up for is no error.
    let mut broken = Fake::new("broken");
    broken.translate = Box::new(|_| Err(ProviderError::Timeout));
    let fill = run(vec![Arc::new(broken), Arc::new(Fake::new("good"))], &requests(&["One."]));
    assert!(fill.errors().is_empty(), "{:?}", fill.errors());
    assert_eq!(fill.providers[0].failures, 1);
}

#[test]
fn characters_count_only_when_the_provider_was_reached() {
    let mut gone = Fake::new("gone");
    gone.translate = Box::new(|_| Err(ProviderError::Unavailable("connection refused".into())));
    let fill = run(vec![Arc::new(gone)], &requests(&["One.", "Two."]));
    assert_eq!(fill.providers[0].requests, 1);
    assert_eq!(fill.providers[0].segments_sent, 0);
    assert_eq!(fill.providers[0].characters_sent, 0);
}

#[test]
fn an_open_breaker_stays_open_for_every_later_run_that_shares_it() {
    let breakers = Breakers::default();
    let fill_with = |fake: &Arc<Fake>, texts: &[&str]| {
        let engine = Engine {
            memory: None,
            glossary: None,
            providers: vec![fake.clone()],
            settings: fast(),
            progress: None,
            breakers: breakers.clone(),
        };
        engine.fill(&pair(), &requests(texts), false)
    };
    let mut flaky = Fake::new("flaky");
    flaky.limits.max_texts = 1;
    flaky.translate = Box::new(|_| Err(ProviderError::Server { status: 500, message: "".into() }));
    let flaky = Arc::new(flaky);
    fill_with(&flaky, &["A.", "B.", "C.", "D."]);
    let calls = flaky.calls().len();
    let fill = fill_with(&flaky, &["E.", "F."]);
    assert_eq!(flaky.calls().len(), calls, "no request once the breaker is open");
    assert!(matches!(&fill.providers[0].breaker, Breaker::Open { .. }));
    assert_eq!(fill.errors().len(), 1, "{:?}", fill.errors());

    let refused =
        Arc::new(Fake::new("refused").failing_with(vec![ProviderError::Auth("no".into())]));
    fill_with(&refused, &["A."]);
    let fill = fill_with(&refused, &["B."]);
    assert_eq!(refused.calls().len(), 1, "a refused key is not tried again");
    assert_eq!(fill.unfilled.len(), 1);

    // A separate command starts afresh.
    let engine = Engine {
        memory: None,
        glossary: None,
        providers: vec![refused.clone()],
        settings: fast(),
        progress: None,
        breakers: Breakers::default(),
    };
    assert_eq!(engine.fill(&pair(), &requests(&["C."]), false).drafts.len(), 1);
}

#[test]
fn memory_and_cache_errors_are_reported_not_swallowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let memory = Memory::open(&path).unwrap();
    // Someone else's tool damaged the file's tables.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("DROP TABLE mt_cache; DROP TABLE tm_entry; DROP TABLE tm_pair;").unwrap();
    let fake = Arc::new(Fake::new("fake"));
    let engine = Engine {
        memory: Some(&memory),
        glossary: None,
        providers: vec![fake.clone()],
        settings: fast(),
        progress: None,
        breakers: Breakers::default(),
    };
    let fill = engine.fill(&pair(), &requests(&["One.", "Two."]), false);
    assert_eq!(fill.drafts.len(), 2, "the provider still translates");
    let errors = fill.errors();
    assert!(errors.iter().any(|e| e.starts_with("translation memory: ")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("mt_cache")), "{errors:?}");
    assert!(errors.len() <= 4, "one line per kind of problem: {errors:?}");
}

#[test]
fn a_panicking_batch_falls_through_to_the_next_provider() {
    let mut bad = Fake::new("bad");
    bad.translate = Box::new(|_| panic!("provider bug"));
    let good = Arc::new(Fake::new("good"));
    let fill = run(vec![Arc::new(bad), good.clone()], &requests(&["One.", "Two."]));
    assert_eq!(fill.drafts.len(), 2);
    assert!(fill.drafts.iter().all(|d| d.origin.label() == "good"));
    let errors = fill.errors();
    assert!(errors.iter().any(|e| e.contains("bad") && e.contains("panicked")), "{errors:?}");
}

#[test]
fn a_dry_run_reports_an_unreadable_cache() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let memory = Memory::open(&path).unwrap();
    rusqlite::Connection::open(&path).unwrap().execute_batch("DROP TABLE mt_cache;").unwrap();
    let engine = Engine {
        memory: Some(&memory),
        glossary: None,
        providers: vec![Arc::new(Fake::new("fake"))],
        settings: fast(),
        progress: None,
        breakers: Breakers::default(),
    };
    let plan = engine.plan(&pair(), &requests(&["One.", "Two."]));
    assert_eq!(plan.to_send.len(), 2);
    assert_eq!(plan.problems.len(), 1, "{:?}", plan.problems);
    assert!(plan.problems[0].contains("mt_cache"), "{:?}", plan.problems);
}

#[test]
fn breakers_open_on_a_stop_or_after_the_threshold_and_reset_on_success() {
    let fake = Fake::new("fake");
    let breakers = Breakers::default();
    let timeout = ProviderError::Timeout;
    assert_eq!(breakers.failure(&fake, &timeout, 3), None);
    assert_eq!(breakers.failure(&fake, &timeout, 3), None);
    breakers.success(&fake);
    assert_eq!(breakers.failure(&fake, &timeout, 3), None, "a success resets the count");
    assert_eq!(breakers.failure(&fake, &timeout, 3), None);
    assert!(breakers.failure(&fake, &timeout, 3).is_some_and(|r| r.contains("3 failed")));
    assert!(breakers.open_reason(&fake).is_some(), "and it stays open");

    let other = Fake::new("other");
    assert_eq!(breakers.open_reason(&other), None, "each provider has its own");
    let quota = ProviderError::Quota("456".into());
    assert_eq!(breakers.failure(&other, &quota, 3).as_deref(), Some("quota exhausted: 456"));
}

#[test]
fn a_runtime_that_does_not_start_is_an_error_not_an_empty_run() {
    let engine = Engine {
        memory: None,
        glossary: None,
        providers: vec![Arc::new(Fake::new("fake"))],
        settings: fast(),
        progress: None,
        breakers: Breakers::default(),
    };
    let no_runtime = Err(std::io::Error::other("no threads left"));
    let fill = engine.fill_on(no_runtime, &pair(), &requests(&["One."]), false);
    assert_eq!(fill.unfilled.len(), 1);
    let errors = fill.errors();
    assert!(errors.iter().any(|e| e.contains("no threads left")), "{errors:?}");
}
