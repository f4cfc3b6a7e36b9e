//! The DeepL provider against a local server speaking DeepL's protocol.

mod mock;

use std::time::Duration;

use diglot_translate::providers::deepl::{Deepl, DeeplSettings, Formality};
use diglot_translate::{Batch, GlossaryTerm, ProviderError, TextKind, Translator};
use mock::{Mock, Reply, closed_url, env, pair, texts};
use serde_json::json;

const KEY: &str = "0123abcd-secret-key";

fn settings(base_url: &str) -> DeeplSettings {
    DeeplSettings { base_url: Some(base_url.to_string()), timeout_secs: 1, ..Default::default() }
}

fn provider(settings: DeeplSettings) -> Deepl {
    Deepl::new(settings, &env(&[("DEEPL_AUTH_KEY", KEY)])).unwrap()
}

fn ok(items: &[&str]) -> Reply {
    let translations: Vec<_> =
        items.iter().map(|t| json!({"detected_source_language": "EN", "text": t})).collect();
    Reply::json(200, json!({ "translations": translations }))
}

async fn run(
    deepl: &Deepl,
    items: &[&str],
    source: &str,
    target: &str,
    kind: TextKind,
) -> Result<Vec<String>, ProviderError> {
    let texts = texts(items);
    let pair = pair(source, target);
    let glossary = [GlossaryTerm { source: "ECB".into(), target: "BCE".into(), dnt: false }];
    deepl.translate(Batch { texts: &texts, pair: &pair, kind, glossary: &glossary }).await
}

/// The error for one scripted answer to a one-text batch.
async fn error_for(reply: Reply) -> ProviderError {
    let mock = Mock::start().await;
    mock.push(reply);
    let deepl = provider(settings(&mock.url));
    run(&deepl, &["Hello."], "en-US", "es-ES", TextKind::Body).await.unwrap_err()
}

#[tokio::test]
async fn sends_the_documented_request_and_keeps_the_order() {
    let mock = Mock::start().await;
    mock.push(ok(&["<em>Hola</em> &amp; adiós.", "It&apos;s fine."]));
    let deepl = provider(DeeplSettings {
        formality: Some(Formality::More),
        glossary_id: Some("gls-42".into()),
        ..settings(&mock.url)
    });
    let out =
        run(&deepl, &["<em>Hello</em> &amp; bye.", "Fine."], "en-US", "es-ES", TextKind::Body)
            .await
            .unwrap();
    assert_eq!(out, ["<em>Hola</em> &amp; adiós.", "It's fine."]);

    let request = mock.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v2/translate");
    assert_eq!(request.header("authorization"), Some(&*format!("DeepL-Auth-Key {KEY}")));
    assert!(request.header("content-type").unwrap().starts_with("application/json"));
    assert_eq!(
        request.body,
        json!({
            "text": ["<em>Hello</em> &amp; bye.", "Fine."],
            "source_lang": "EN",
            "target_lang": "ES",
            "tag_handling": "xml",
            "formality": "more",
            "glossary_id": "gls-42",
        })
    );
}

#[tokio::test]
async fn headlines_carry_context() {
    let mock = Mock::start().await;
    mock.push(ok(&["Sube el paro"]));
    let deepl = provider(settings(&mock.url));
    run(&deepl, &["Unemployment rises"], "en-US", "es-ES", TextKind::Headline).await.unwrap();
    let body = mock.single_request().body;
    assert_eq!(body["context"], "This is a newspaper headline.");
    assert!(body.get("formality").is_none());
    assert!(body.get("glossary_id").is_none());
}

#[tokio::test]
async fn english_targets_name_their_variant_and_skip_formality() {
    let mock = Mock::start().await;
    mock.push(ok(&["Hello."]));
    mock.push(ok(&["Hello."]));
    let deepl = provider(DeeplSettings { formality: Some(Formality::Less), ..settings(&mock.url) });
    run(&deepl, &["Hola."], "es-ES", "en-GB", TextKind::Body).await.unwrap();
    run(&deepl, &["Hola."], "es-ES", "en", TextKind::Body).await.unwrap();
    let requests = mock.requests();
    assert_eq!(requests[0].body["source_lang"], "ES");
    assert_eq!(requests[0].body["target_lang"], "EN-GB");
    assert_eq!(requests[1].body["target_lang"], "EN-US");
    assert!(requests.iter().all(|r| r.body.get("formality").is_none()));
    assert!(requests.iter().all(|r| r.body.get("context").is_none()));
}

#[tokio::test]
async fn an_empty_batch_sends_nothing() {
    let mock = Mock::start().await;
    let deepl = provider(settings(&mock.url));
    assert_eq!(run(&deepl, &[], "en-US", "es-ES", TextKind::Body).await.unwrap().len(), 0);
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn rate_limits_with_and_without_retry_after() {
    let err = error_for(
        Reply::json(429, json!({"message": "Too many requests"})).header("Retry-After", "3"),
    )
    .await;
    assert_eq!(err, ProviderError::RateLimited { retry_after: Some(Duration::from_secs(3)) });
    let err = error_for(Reply::json(429, json!({"message": "Too many requests"}))).await;
    assert_eq!(err, ProviderError::RateLimited { retry_after: None });
}

#[tokio::test]
async fn quota_auth_server_and_rejection() {
    let err = error_for(Reply::json(456, json!({"message": "Quota exceeded"}))).await;
    assert!(matches!(&err, ProviderError::Quota(m) if m.contains("Quota exceeded")), "{err:?}");
    assert!(err.stops_provider());

    let err = error_for(Reply::text(403, "")).await;
    assert!(matches!(err, ProviderError::Auth(_)), "{err:?}");
    let err = error_for(Reply::text(401, "Unauthorized")).await;
    assert!(matches!(err, ProviderError::Auth(_)), "{err:?}");

    let err = error_for(Reply::text(503, "try later")).await;
    assert_eq!(err, ProviderError::Server { status: 503, message: "try later".into() });
    assert!(err.is_retryable());

    let err =
        error_for(Reply::json(400, json!({"message": "Value for 'target_lang' not supported."})))
            .await;
    assert!(matches!(&err, ProviderError::Rejected(m) if m.contains("target_lang")), "{err:?}");
}

#[tokio::test]
async fn malformed_and_miscounted_answers() {
    let err = error_for(Reply::text(200, "<html>oops</html>")).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(Reply::json(200, json!({"translations": "no"}))).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(ok(&["Uno.", "Dos."])).await;
    assert_eq!(err, ProviderError::WrongCount { sent: 1, got: 2 });
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let err = error_for(ok(&["Hola."]).delay(Duration::from_secs(2))).await;
    assert_eq!(err, ProviderError::Timeout);
}

#[tokio::test]
async fn a_closed_port_is_unavailable() {
    let url = closed_url();
    let deepl = provider(settings(&url));
    let err = run(&deepl, &["Hello."], "en-US", "es-ES", TextKind::Body).await.unwrap_err();
    assert!(
        matches!(&err, ProviderError::Unavailable(m) if m.starts_with(&format!("cannot reach {url}/v2/translate"))),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_key_never_shows() {
    let mock = Mock::start().await;
    mock.push(Reply::json(403, json!({"message": format!("Wrong key {KEY}")})));
    let deepl = provider(DeeplSettings { formality: Some(Formality::More), ..settings(&mock.url) });
    let err = run(&deepl, &["Hello."], "en-US", "es-ES", TextKind::Body).await.unwrap_err();
    assert!(matches!(err, ProviderError::Auth(_)));
    for text in [format!("{deepl:?}"), err.to_string(), format!("{err:?}"), deepl.fingerprint()] {
        assert!(!text.contains(KEY), "{text}");
    }
}

#[test]
fn missing_key_is_not_configured() {
    let err = Deepl::new(DeeplSettings::default(), &env(&[])).unwrap_err();
    assert!(
        matches!(&err, ProviderError::NotConfigured(m) if m.contains("DEEPL_AUTH_KEY")),
        "{err}"
    );
    let err = Deepl::new(
        DeeplSettings { auth_key_env: "MY_DEEPL".into(), ..Default::default() },
        &env(&[("DEEPL_AUTH_KEY", KEY)]),
    )
    .unwrap_err();
    assert!(matches!(&err, ProviderError::NotConfigured(m) if m.contains("MY_DEEPL")), "{err}");
}

#[test]
fn free_keys_go_to_the_free_host() {
    let free = Deepl::new(DeeplSettings::default(), &env(&[("DEEPL_AUTH_KEY", "abc:fx")])).unwrap();
    assert!(format!("{free:?}").contains("https://api-free.deepl.com"));
    let pro = Deepl::new(DeeplSettings::default(), &env(&[("DEEPL_AUTH_KEY", "abc")])).unwrap();
    assert!(format!("{pro:?}").contains("https://api.deepl.com"));
}

#[test]
fn limits_and_fingerprint() {
    let deepl = provider(DeeplSettings {
        formality: Some(Formality::PreferLess),
        glossary_id: Some("abc".into()),
        ..Default::default()
    });
    assert_eq!(deepl.name(), "deepl");
    assert_eq!(deepl.limits().max_texts, 50);
    assert!(deepl.limits().max_bytes < 128 * 1024);
    assert_eq!(deepl.fingerprint(), "deepl formality=prefer_less glossary=abc");
    assert_eq!(
        provider(DeeplSettings::default()).fingerprint(),
        "deepl formality=default glossary=none"
    );
}

#[test]
fn settings_read_as_a_tagged_table() {
    #[derive(serde::Deserialize)]
    #[serde(tag = "kind", rename_all = "lowercase")]
    enum Provider {
        Deepl(DeeplSettings),
    }
    let Provider::Deepl(s) = serde_json::from_value(
        json!({"kind": "deepl", "formality": "prefer_more", "glossary_id": "g", "timeout_secs": 5}),
    )
    .unwrap();
    assert_eq!(s.formality, Some(Formality::PreferMore));
    assert_eq!(s.auth_key_env, "DEEPL_AUTH_KEY");
    assert!(serde_json::from_value::<Provider>(json!({"kind": "deepl", "auth_key": "x"})).is_err());
}
