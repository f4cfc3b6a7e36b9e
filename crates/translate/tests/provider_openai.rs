//! The OpenAI-compatible chat provider against a local server speaking the
//! chat completions protocol.

mod mock;

use std::time::Duration;

use diglot_translate::providers::openai::{OpenAi, OpenAiSettings};
use diglot_translate::{Batch, GlossaryTerm, ProviderError, TextKind, Translator};
use mock::{Mock, Reply, closed_url, env, pair, texts};
use serde_json::{Value, json};

const KEY: &str = "sk-test-secret-openai";

fn settings(base_url: &str) -> OpenAiSettings {
    OpenAiSettings {
        base_url: base_url.to_string(),
        model: "llama3".to_string(),
        timeout_secs: 1,
        ..Default::default()
    }
}

fn provider(settings: OpenAiSettings) -> OpenAi {
    OpenAi::new(settings, &env(&[("OPENAI_API_KEY", KEY)])).unwrap()
}

fn answer(content: &str, finish_reason: &str) -> Reply {
    Reply::json(
        200,
        json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": "llama3",
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }],
        }),
    )
}

fn ok(content: Value) -> Reply {
    answer(&content.to_string(), "stop")
}

async fn run_kind(
    openai: &OpenAi,
    items: &[&str],
    kind: TextKind,
    glossary: &[GlossaryTerm],
) -> Result<Vec<String>, ProviderError> {
    let texts = texts(items);
    let pair = pair("en-US", "es-ES");
    openai.translate(Batch { texts: &texts, pair: &pair, kind, glossary }).await
}

async fn run(openai: &OpenAi, items: &[&str]) -> Result<Vec<String>, ProviderError> {
    run_kind(openai, items, TextKind::Body, &[]).await
}

async fn error_for_n(reply: Reply, items: &[&str]) -> ProviderError {
    let mock = Mock::start().await;
    mock.push(reply);
    run(&provider(settings(&mock.url)), items).await.unwrap_err()
}

async fn error_for(reply: Reply) -> ProviderError {
    error_for_n(reply, &["Hello."]).await
}

#[tokio::test]
async fn sends_a_numbered_batch_with_instructions() {
    let mock = Mock::start().await;
    // Keys out of order: the answer is read by key, not position.
    mock.push(ok(json!({"2": "Sube un <a id=\"l1\">3 %</a>.", "1": "<em>Hola</em> &amp; adiós."})));
    let glossary = [
        GlossaryTerm { source: "ECB".into(), target: "BCE".into(), dnt: false },
        GlossaryTerm { source: "Ibex 35".into(), target: "Ibex 35".into(), dnt: true },
    ];
    let out = run_kind(
        &provider(settings(&mock.url)),
        &["<em>Hello</em> &amp; bye.", "Up <a id=\"l1\">3%</a>."],
        TextKind::Body,
        &glossary,
    )
    .await
    .unwrap();
    assert_eq!(out, ["<em>Hola</em> &amp; adiós.", "Sube un <a id=\"l1\">3 %</a>."]);

    let request = mock.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(request.header("authorization"), Some(&*format!("Bearer {KEY}")));
    let body = &request.body;
    assert_eq!(body["model"], "llama3");
    assert_eq!(body["temperature"].as_f64(), Some(0.0));
    assert_eq!(body["response_format"], json!({"type": "json_object"}));
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["role"], "system");
    assert_eq!(messages[1]["role"], "user");
    let prompt = messages[1]["content"].as_str().unwrap();
    for needle in [
        "from English (en-US) to Spanish (es-ES)",
        "id attribute exactly",
        "numbers",
        "\"ECB\" -> \"BCE\"",
        "\"Ibex 35\": keep it untranslated",
        "ONLY with a JSON object",
        "\"1\": \"<em>Hello</em> &amp; bye.\",\n",
        "\"2\": \"Up <a id=\\\"l1\\\">3%</a>.\"\n}",
    ] {
        assert!(prompt.contains(needle), "{needle:?} not in:\n{prompt}");
    }
    assert!(!prompt.contains("headline"));
}

#[tokio::test]
async fn headlines_say_so_and_json_mode_can_be_off() {
    let mock = Mock::start().await;
    mock.push(ok(json!({"1": "Sube el paro"})));
    let openai = OpenAi::new(
        OpenAiSettings { json_mode: false, max_tokens: Some(512), ..settings(&mock.url) },
        &env(&[]),
    )
    .unwrap();
    run_kind(&openai, &["Unemployment rises"], TextKind::Headline, &[]).await.unwrap();
    let request = mock.single_request();
    assert_eq!(request.header("authorization"), None);
    assert!(request.body.get("response_format").is_none());
    assert_eq!(request.body["max_tokens"], 512);
    assert!(request.body["messages"][1]["content"].as_str().unwrap().contains("headlines"));
}

#[tokio::test]
async fn a_base_url_ending_in_v1_is_not_doubled() {
    let mock = Mock::start().await;
    mock.push(ok(json!({"1": "Hola."})));
    let openai = provider(settings(&format!("{}/v1/", mock.url)));
    run(&openai, &["Hello."]).await.unwrap();
    assert_eq!(mock.single_request().path, "/v1/chat/completions");
}

#[tokio::test]
async fn a_fenced_answer_is_read() {
    let mock = Mock::start().await;
    mock.push(answer("```json\n{\"1\": \"Hola.\", \"2\": \"Adiós.\"}\n```", "stop"));
    mock.push(answer("Here you are:\n{\"1\": \"Hola.\", \"2\": \"Adiós.\"}", "stop"));
    let openai = provider(settings(&mock.url));
    assert_eq!(run(&openai, &["Hello.", "Bye."]).await.unwrap(), ["Hola.", "Adiós."]);
    assert_eq!(run(&openai, &["Hello.", "Bye."]).await.unwrap(), ["Hola.", "Adiós."]);
}

#[tokio::test]
async fn missing_or_extra_keys_are_the_wrong_count() {
    let err = error_for_n(ok(json!({"1": "Hola."})), &["Hello.", "Bye."]).await;
    assert_eq!(err, ProviderError::WrongCount { sent: 2, got: 1 });
    let err =
        error_for_n(ok(json!({"1": "Hola.", "2": "Adiós.", "3": "¿Qué?"})), &["Hello.", "Bye."])
            .await;
    assert_eq!(err, ProviderError::WrongCount { sent: 2, got: 3 });
    let err = error_for_n(ok(json!({"1": "Hola.", "3": "Adiós."})), &["Hello.", "Bye."]).await;
    assert_eq!(err, ProviderError::WrongCount { sent: 2, got: 2 });
}

#[tokio::test]
async fn a_cut_off_answer_is_truncated() {
    let err = error_for(answer("{\"1\": \"Ho", "length")).await;
    assert_eq!(err, ProviderError::Truncated);
}

#[tokio::test]
async fn non_json_answers_are_malformed() {
    let err = error_for(answer("Hola.", "stop")).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(answer("[\"Hola.\"]", "stop")).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(Reply::text(200, "not json at all")).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
    let err = error_for(Reply::json(200, json!({"choices": []}))).await;
    assert!(matches!(err, ProviderError::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn rate_limits_with_and_without_retry_after() {
    let reply = Reply::json(
        429,
        json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}),
    );
    let err = error_for(reply.clone().header("Retry-After", "3")).await;
    assert_eq!(err, ProviderError::RateLimited { retry_after: Some(Duration::from_secs(3)) });
    assert_eq!(error_for(reply).await, ProviderError::RateLimited { retry_after: None });
}

#[tokio::test]
async fn quota_auth_server_and_rejection() {
    let err = error_for(Reply::json(429, json!({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "code": "insufficient_quota"}}))).await;
    assert!(
        matches!(&err, ProviderError::Quota(m) if m.contains("exceeded your current quota")),
        "{err:?}"
    );
    let err = error_for(Reply::json(401, json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}))).await;
    assert!(matches!(&err, ProviderError::Auth(m) if m.contains("Incorrect API key")), "{err:?}");
    let err = error_for(Reply::json(
        404,
        json!({"error": {"message": "model \"llama9\" not found", "type": "api_error"}}),
    ))
    .await;
    assert!(matches!(&err, ProviderError::Rejected(m) if m.contains("not found")), "{err:?}");
    let err = error_for(Reply::json(502, json!({"error": {"message": "upstream down"}}))).await;
    assert_eq!(err, ProviderError::Server { status: 502, message: "upstream down".into() });
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let err = error_for(ok(json!({"1": "Hola."})).delay(Duration::from_secs(2))).await;
    assert_eq!(err, ProviderError::Timeout);
}

#[tokio::test]
async fn a_closed_port_is_unavailable() {
    let url = closed_url();
    let err = run(&provider(settings(&url)), &["Hello."]).await.unwrap_err();
    let expected = format!("cannot reach {url}/v1/chat/completions:");
    assert!(matches!(&err, ProviderError::Unavailable(m) if m.starts_with(&expected)), "{err:?}");
}

#[tokio::test]
async fn the_key_never_shows() {
    let mock = Mock::start().await;
    mock.push(Reply::json(
        401,
        json!({"error": {"message": format!("Incorrect API key provided: {KEY}")}}),
    ));
    let openai = provider(settings(&mock.url));
    let err = run(&openai, &["Hello."]).await.unwrap_err();
    for text in [format!("{openai:?}"), err.to_string(), openai.fingerprint()] {
        assert!(!text.contains(KEY), "{text}");
    }
}

#[test]
fn settings_are_checked() {
    let err = OpenAi::new(
        OpenAiSettings { model: "gpt-4o-mini".into(), ..Default::default() },
        &env(&[]),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ProviderError::NotConfigured(m) if m.contains("OPENAI_API_KEY")),
        "{err}"
    );
    let err = OpenAi::new(
        OpenAiSettings { model: String::new(), ..settings("http://localhost:11434") },
        &env(&[]),
    )
    .unwrap_err();
    assert!(matches!(&err, ProviderError::NotConfigured(m) if m.contains("model")), "{err}");
    // A local server needs no key.
    assert!(OpenAi::new(settings("http://localhost:11434"), &env(&[])).is_ok());
    assert!(
        serde_json::from_value::<OpenAiSettings>(json!({"model": "x", "temperature": 1})).is_err()
    );
}

#[test]
fn limits_and_fingerprint() {
    let openai = provider(settings("http://localhost:11434"));
    assert_eq!(openai.name(), "openai");
    let limits = openai.limits();
    assert_eq!((limits.max_texts, limits.max_bytes, limits.concurrency), (20, 8192, 2));
    assert_eq!(openai.fingerprint(), "openai model=llama3 prompt=v1");
}
