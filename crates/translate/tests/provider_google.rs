//! The Google Cloud Translation (v2) provider against a local server
//! speaking its protocol.

mod mock;

use std::time::Duration;

use diglot_translate::providers::google::{Google, GoogleSettings};
use diglot_translate::{Batch, ProviderError, TextKind, Translator};
use mock::{Mock, Reply, closed_url, env, pair, texts};
use serde_json::{Value, json};

const KEY: &str = "AIzaSy-secret-google-key";

fn settings(base_url: &str) -> GoogleSettings {
    GoogleSettings { base_url: base_url.to_string(), timeout_secs: 1, ..Default::default() }
}

fn provider(settings: GoogleSettings) -> Google {
    Google::new(settings, &env(&[("GOOGLE_TRANSLATE_API_KEY", KEY)])).unwrap()
}

fn ok(items: &[&str]) -> Reply {
    let translations: Vec<_> = items.iter().map(|t| json!({"translatedText": t})).collect();
    Reply::json(200, json!({"data": {"translations": translations}}))
}

fn google_error(code: u16, message: &str, reason: &str, status: &str) -> Reply {
    Reply::json(
        code,
        json!({"error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": status,
        }}),
    )
}

async fn run(google: &Google, items: &[&str]) -> Result<Vec<String>, ProviderError> {
    let texts = texts(items);
    let pair = pair("en-US", "es-ES");
    google
        .translate(Batch { texts: &texts, pair: &pair, kind: TextKind::Body, glossary: &[] })
        .await
}

async fn error_for(reply: Reply) -> ProviderError {
    let mock = Mock::start().await;
    mock.push(reply);
    run(&provider(settings(&mock.url)), &["Hello."]).await.unwrap_err()
}

#[tokio::test]
async fn sends_the_documented_request_with_explicit_html_format() {
    let mock = Mock::start().await;
    mock.push(ok(&[
        "Es &#39;<em>nuevo</em>&#39; &amp; &quot;listo&quot;.",
        "A &lt;b&gt; &#38; c.",
    ]));
    let out = run(
        &provider(settings(&mock.url)),
        &["It's '<em>new</em>' &amp; \"ready\".", "A &lt;b&gt; &amp; c."],
    )
    .await
    .unwrap();
    assert_eq!(out, ["Es '<em>nuevo</em>' &amp; \"listo\".", "A &lt;b&gt; &amp; c."]);

    let request = mock.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/language/translate/v2");
    assert_eq!(request.query_param("key"), Some(KEY));
    assert_eq!(request.body["format"], "html", "format must always be written out");
    assert_eq!(
        request.body,
        json!({
            "q": ["It's '<em>new</em>' &amp; \"ready\".", "A &lt;b&gt; &amp; c."],
            "source": "en",
            "target": "es",
            "format": "html",
        })
    );
}

#[tokio::test]
async fn the_model_is_sent_when_set() {
    let mock = Mock::start().await;
    mock.push(ok(&["Hola."]));
    let google = provider(GoogleSettings { model: Some("nmt".into()), ..settings(&mock.url) });
    run(&google, &["Hello."]).await.unwrap();
    assert_eq!(mock.single_request().body["model"], "nmt");
    assert_eq!(google.fingerprint(), "google v2 model=nmt");
}

#[tokio::test]
async fn rate_limits_with_and_without_retry_after() {
    let reply = google_error(429, "Too many requests", "rateLimitExceeded", "RESOURCE_EXHAUSTED");
    let err = error_for(reply.clone().header("Retry-After", "3")).await;
    assert_eq!(err, ProviderError::RateLimited { retry_after: Some(Duration::from_secs(3)) });
    assert_eq!(error_for(reply).await, ProviderError::RateLimited { retry_after: None });
    // Google also reports per-minute limits as 403.
    let err = error_for(google_error(
        403,
        "User Rate Limit Exceeded",
        "userRateLimitExceeded",
        "PERMISSION_DENIED",
    ))
    .await;
    assert_eq!(err, ProviderError::RateLimited { retry_after: None });
}

#[tokio::test]
async fn quota_auth_server_and_rejection() {
    let err = error_for(google_error(
        403,
        "Daily Limit Exceeded",
        "dailyLimitExceeded",
        "PERMISSION_DENIED",
    ))
    .await;
    assert!(
        matches!(&err, ProviderError::Quota(m) if m.contains("Daily Limit Exceeded")),
        "{err:?}"
    );

    let err = error_for(google_error(
        403,
        "The caller does not have permission",
        "forbidden",
        "PERMISSION_DENIED",
    ))
    .await;
    assert!(
        matches!(&err, ProviderError::Auth(m) if m.contains("does not have permission")),
        "{err:?}"
    );
    let err = error_for(google_error(
        400,
        "API key not valid. Please pass a valid API key.",
        "keyInvalid",
        "INVALID_ARGUMENT",
    ))
    .await;
    assert!(matches!(err, ProviderError::Auth(_)), "{err:?}");
    let err = error_for(google_error(
        401,
        "Request had invalid authentication credentials.",
        "unauthorized",
        "UNAUTHENTICATED",
    ))
    .await;
    assert!(matches!(err, ProviderError::Auth(_)), "{err:?}");

    let err = error_for(google_error(400, "Invalid Value", "invalid", "INVALID_ARGUMENT")).await;
    assert!(matches!(&err, ProviderError::Rejected(m) if m.contains("Invalid Value")), "{err:?}");
    let err = error_for(google_error(500, "Internal error", "backendError", "INTERNAL")).await;
    assert_eq!(err, ProviderError::Server { status: 500, message: "Internal error".into() });
}

#[tokio::test]
async fn malformed_and_miscounted_answers() {
    let err = error_for(Reply::text(200, "")).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(Reply::json(200, json!({"translations": []}))).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(ok(&[])).await;
    assert_eq!(err, ProviderError::WrongCount { sent: 1, got: 0 });
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    assert_eq!(
        error_for(ok(&["Hola."]).delay(Duration::from_secs(2))).await,
        ProviderError::Timeout
    );
}

#[tokio::test]
async fn a_closed_port_is_unavailable_and_the_key_stays_out_of_it() {
    let url = closed_url();
    let err = run(&provider(settings(&url)), &["Hello."]).await.unwrap_err();
    let expected = format!("cannot reach {url}/language/translate/v2:");
    assert!(matches!(&err, ProviderError::Unavailable(m) if m.starts_with(&expected)), "{err:?}");
    assert!(!err.to_string().contains(KEY), "{err}");
}

#[tokio::test]
async fn the_key_never_shows() {
    let mock = Mock::start().await;
    mock.push(google_error(
        400,
        &format!("API key {KEY} not valid"),
        "keyInvalid",
        "INVALID_ARGUMENT",
    ));
    mock.push(ok(&["Hola."]).delay(Duration::from_secs(2)));
    let google = provider(settings(&mock.url));
    let auth = run(&google, &["Hello."]).await.unwrap_err();
    let timeout = run(&google, &["Hello."]).await.unwrap_err();
    for text in [format!("{google:?}"), auth.to_string(), timeout.to_string(), google.fingerprint()]
    {
        assert!(!text.contains(KEY), "{text}");
    }
}

#[test]
fn missing_key_is_not_configured() {
    let err = Google::new(GoogleSettings::default(), &env(&[])).unwrap_err();
    let ProviderError::NotConfigured(message) = err else { panic!("{err:?}") };
    assert!(message.contains("GOOGLE_TRANSLATE_API_KEY"), "{message}");
}

#[test]
fn limits_and_fingerprint() {
    let google = provider(GoogleSettings::default());
    assert_eq!(google.name(), "google");
    assert_eq!(google.limits().max_texts, 128);
    assert_eq!(google.fingerprint(), "google v2 model=default");
    let value: Value = json!({"base_url": "http://127.0.0.1:1", "model": "base"});
    let parsed: GoogleSettings = serde_json::from_value(value).unwrap();
    assert_eq!(parsed.api_key_env, "GOOGLE_TRANSLATE_API_KEY");
    assert!(serde_json::from_value::<GoogleSettings>(json!({"key": "x"})).is_err());
}
