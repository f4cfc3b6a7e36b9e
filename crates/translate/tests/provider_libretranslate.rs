//! The LibreTranslate provider against a local server speaking its protocol.

mod mock;

use std::time::Duration;

use diglot_translate::providers::libretranslate::{LibreTranslate, LibreTranslateSettings};
use diglot_translate::{Batch, ProviderError, TextKind, Translator};
use mock::{Mock, Reply, closed_url, env, pair, texts};
use serde_json::json;

const KEY: &str = "lt-secret-9876";

fn settings(url: &str) -> LibreTranslateSettings {
    LibreTranslateSettings { url: url.to_string(), timeout_secs: 1, ..Default::default() }
}

fn provider(url: &str) -> LibreTranslate {
    LibreTranslate::new(settings(url), &env(&[("LIBRETRANSLATE_API_KEY", KEY)])).unwrap()
}

fn ok(items: &[&str]) -> Reply {
    Reply::json(200, json!({ "translatedText": items }))
}

async fn run(lt: &LibreTranslate, items: &[&str]) -> Result<Vec<String>, ProviderError> {
    let texts = texts(items);
    let pair = pair("en-US", "es-ES");
    lt.translate(Batch { texts: &texts, pair: &pair, kind: TextKind::Body, glossary: &[] }).await
}

async fn error_for(reply: Reply) -> ProviderError {
    let mock = Mock::start().await;
    mock.push(reply);
    run(&provider(&mock.url), &["Hello."]).await.unwrap_err()
}

#[tokio::test]
async fn sends_q_as_an_array_in_html_format() {
    let mock = Mock::start().await;
    mock.push(ok(&["<strong>Hola</strong>.", "Dos &amp; tres &#39;ya&#39;."]));
    let out = run(&provider(&mock.url), &["<strong>Hello</strong>.", "Two &amp; three 'now'."])
        .await
        .unwrap();
    assert_eq!(out, ["<strong>Hola</strong>.", "Dos &amp; tres 'ya'."]);

    let request = mock.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/translate");
    assert_eq!(
        request.body,
        json!({
            "q": ["<strong>Hello</strong>.", "Two &amp; three 'now'."],
            "source": "en",
            "target": "es",
            "format": "html",
            "api_key": KEY,
        })
    );
}

#[tokio::test]
async fn no_key_no_api_key_field() {
    let mock = Mock::start().await;
    mock.push(ok(&["Hola."]));
    let lt = LibreTranslate::new(settings(&mock.url), &env(&[])).unwrap();
    run(&lt, &["Hello."]).await.unwrap();
    let body = mock.single_request().body;
    assert!(body.get("api_key").is_none(), "{body}");
    assert!(body["q"].is_array());
}

#[tokio::test]
async fn rate_limits_with_and_without_retry_after() {
    let reply = Reply::json(429, json!({"error": "Slowdown: 10 per 1 minute"}));
    let err = error_for(reply.clone().header("Retry-After", "3")).await;
    assert_eq!(err, ProviderError::RateLimited { retry_after: Some(Duration::from_secs(3)) });
    assert_eq!(error_for(reply).await, ProviderError::RateLimited { retry_after: None });
}

#[tokio::test]
async fn errors_surface_the_service_message() {
    let err = error_for(Reply::json(403, json!({"error": "Invalid API key"}))).await;
    assert!(matches!(&err, ProviderError::Auth(m) if m.contains("Invalid API key")), "{err:?}");
    let err = error_for(Reply::json(401, json!({"error": "Unauthorized"}))).await;
    assert!(matches!(err, ProviderError::Auth(_)), "{err:?}");
    let err = error_for(Reply::json(400, json!({"error": "es is not supported"}))).await;
    assert!(
        matches!(&err, ProviderError::Rejected(m) if m.contains("es is not supported")),
        "{err:?}"
    );
    let err = error_for(Reply::json(500, json!({"error": "Cannot translate text"}))).await;
    assert_eq!(err, ProviderError::Server { status: 500, message: "Cannot translate text".into() });
}

#[tokio::test]
async fn malformed_and_miscounted_answers() {
    let err = error_for(Reply::text(200, "{not json")).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(Reply::json(200, json!({"translated": ["x"]}))).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(ok(&["Uno.", "Dos."])).await;
    assert_eq!(err, ProviderError::WrongCount { sent: 1, got: 2 });
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    assert_eq!(
        error_for(ok(&["Hola."]).delay(Duration::from_secs(2))).await,
        ProviderError::Timeout
    );
}

#[tokio::test]
async fn a_closed_port_is_unavailable() {
    let url = closed_url();
    let err = run(&provider(&url), &["Hello."]).await.unwrap_err();
    assert!(
        matches!(&err, ProviderError::Unavailable(m) if m.starts_with(&format!("cannot reach {url}/translate"))),
        "{err:?}"
    );
    assert!(err.stops_provider());
}

#[tokio::test]
async fn the_key_never_shows() {
    let mock = Mock::start().await;
    mock.push(Reply::json(403, json!({"error": format!("Invalid API key {KEY}")})));
    let lt = provider(&mock.url);
    let err = run(&lt, &["Hello."]).await.unwrap_err();
    for text in [format!("{lt:?}"), err.to_string(), lt.fingerprint()] {
        assert!(!text.contains(KEY), "{text}");
    }
}

#[test]
fn limits_and_fingerprint_follow_the_settings() {
    let lt = LibreTranslate::new(
        LibreTranslateSettings {
            url: "http://user:pw@localhost:5000/".into(),
            max_texts: 10,
            max_bytes: 2000,
            concurrency: 1,
            ..Default::default()
        },
        &env(&[]),
    )
    .unwrap();
    assert_eq!(lt.name(), "libretranslate");
    assert_eq!(
        (lt.limits().max_texts, lt.limits().max_bytes, lt.limits().concurrency),
        (10, 2000, 1)
    );
    assert_eq!(lt.fingerprint(), "libretranslate url=http://localhost:5000");
    assert!(!format!("{lt:?}").contains("pw"));
}

#[test]
fn bad_settings_are_not_configured() {
    let bad = |s: LibreTranslateSettings| {
        matches!(LibreTranslate::new(s, &env(&[])), Err(ProviderError::NotConfigured(_)))
    };
    assert!(bad(LibreTranslateSettings { url: "localhost:5000".into(), ..Default::default() }));
    assert!(bad(LibreTranslateSettings { timeout_secs: 0, ..Default::default() }));
    assert!(bad(LibreTranslateSettings { max_texts: 0, ..Default::default() }));
}
