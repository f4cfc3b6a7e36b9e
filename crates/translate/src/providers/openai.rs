//! Large language models behind an OpenAI-compatible chat completions API
//! (OpenAI itself, Ollama, llama.cpp's server, vLLM):
//! `POST {base}/v1/chat/completions`.
//!
//! A batch goes out as a JSON object numbered `"1"`, `"2"`… inside the
//! prompt, with the rules (keep the tags and their ids, keep numbers, use
//! the glossary) and the answer must be a JSON object with the same keys.
//! The API key (`OPENAI_API_KEY` unless configured) is optional for local
//! servers and required for `api.openai.com`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::http::{self, BaseUrl, Reply, Secret};
use crate::{Batch, BoxFuture, Limits, ProviderError, TextKind, Translator};
use diglot_core::Locale;

const DEFAULT_BASE: &str = "https://api.openai.com";

/// The version of the prompt below; part of the fingerprint, so changing
/// the prompt means bumping it.
pub(crate) const PROMPT_VERSION: &str = "v1";

const SYSTEM_PROMPT: &str = "You are a professional translator for a news publication. \
You translate faithfully, keep the register of journalism, and answer only with JSON.";

/// `[[translate.providers]]` settings of `kind = "openai"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenAiSettings {
    /// The server, without `/v1`. Default `https://api.openai.com`; Ollama
    /// is `http://localhost:11434`.
    pub base_url: String,
    /// The model name the server knows (`gpt-4o-mini`, `llama3.1`). Required.
    pub model: String,
    /// Environment variable holding the API key. Default `OPENAI_API_KEY`;
    /// unset means no `Authorization` header (fine for local servers).
    pub api_key_env: String,
    /// Ask for `response_format: {"type": "json_object"}`. Default true;
    /// servers without JSON mode mostly ignore it.
    pub json_mode: bool,
    /// `max_tokens` for the answer; unset leaves it to the server.
    pub max_tokens: Option<u32>,
    /// Seconds before a request is given up. Default 120.
    pub timeout_secs: u64,
    /// Texts per request. Default 20.
    pub max_texts: usize,
    /// Bytes of text per request. Default 8192.
    pub max_bytes: usize,
    /// Requests in flight at once. Default 2.
    pub concurrency: usize,
}

impl Default for OpenAiSettings {
    fn default() -> Self {
        OpenAiSettings {
            base_url: DEFAULT_BASE.to_string(),
            model: String::new(),
            api_key_env: "OPENAI_API_KEY".to_string(),
            json_mode: true,
            max_tokens: None,
            timeout_secs: 120,
            max_texts: 20,
            max_bytes: 8 * 1024,
            concurrency: 2,
        }
    }
}

/// The OpenAI-compatible chat provider.
#[derive(Debug)]
pub struct OpenAi {
    base: BaseUrl,
    path: &'static str,
    key: Option<Secret>,
    model: String,
    json_mode: bool,
    max_tokens: Option<u32>,
    limits: Limits,
    client: reqwest::Client,
}

impl OpenAi {
    /// Reads the optional key from `env` (the process environment in
    /// production).
    pub fn new(
        settings: OpenAiSettings,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<OpenAi, ProviderError> {
        let model = settings.model.trim().to_string();
        if model.is_empty() {
            return Err(ProviderError::NotConfigured(
                "openai: set `model` to the model the server runs".to_string(),
            ));
        }
        let base = BaseUrl::parse("openai", &settings.base_url)?;
        let key = http::read_secret(env, &settings.api_key_env);
        if key.is_none() && base.as_shown().starts_with(DEFAULT_BASE) {
            return Err(ProviderError::NotConfigured(format!(
                "openai: set {} to your OpenAI API key",
                settings.api_key_env
            )));
        }
        let limits =
            http::limits("openai", settings.max_texts, settings.max_bytes, settings.concurrency)?;
        let timeout = http::timeout("openai", settings.timeout_secs)?;
        let client = http::client(&base, timeout)?;
        // Users copy base URLs ending in /v1 from their server's docs.
        let path = if base.ends_with("/v1") { "/chat/completions" } else { "/v1/chat/completions" };
        Ok(OpenAi {
            base,
            path,
            key,
            model,
            json_mode: settings.json_mode,
            max_tokens: settings.max_tokens,
            limits,
            client,
        })
    }

    async fn call(&self, batch: Batch<'_>) -> Result<Vec<String>, ProviderError> {
        if batch.texts.is_empty() {
            return Ok(Vec::new());
        }
        let request = ChatRequest {
            model: &self.model,
            temperature: 0.0,
            messages: vec![
                ChatMessage { role: "system", content: SYSTEM_PROMPT.to_string() },
                ChatMessage { role: "user", content: user_prompt(&batch) },
            ],
            response_format: self.json_mode.then_some(ResponseFormat { kind: "json_object" }),
            max_tokens: self.max_tokens,
        };
        let mut builder = self.client.post(self.base.join(self.path)).json(&request);
        if let Some(key) = &self.key {
            builder = builder.bearer_auth(key.expose());
        }
        let reply = http::send(builder, &self.base.shown(self.path)).await?;
        if !reply.is_success() {
            return Err(error(&reply));
        }
        let answer: ChatResponse = reply.json()?;
        let Some(choice) = answer.choices.into_iter().next() else {
            return Err(ProviderError::Malformed("no choices in the answer".to_string()));
        };
        match choice.finish_reason.as_deref() {
            Some("length") => return Err(ProviderError::Truncated),
            Some("content_filter") => {
                return Err(ProviderError::Rejected("stopped by the content filter".to_string()));
            }
            _ => {}
        }
        let Some(content) = choice.message.content else {
            let why = choice.message.refusal.unwrap_or_else(|| "no content".to_string());
            return Err(ProviderError::Malformed(format!("no translation in the answer: {why}")));
        };
        parse_answer(&content, batch.texts.len())
    }
}

/// OpenAI answers a spent balance with 429 `insufficient_quota`, which no
/// waiting cures.
fn error(reply: &Reply) -> ProviderError {
    let code = reply.json_value().and_then(|v| {
        ["/error/code", "/error/type"]
            .iter()
            .find_map(|p| v.pointer(p).and_then(|c| c.as_str()).map(str::to_string))
    });
    if reply.status.as_u16() == 429 && code.as_deref() == Some("insufficient_quota") {
        return ProviderError::Quota(format!("{} (HTTP 429)", reply.message()));
    }
    reply.error()
}

impl Translator for OpenAi {
    fn name(&self) -> &str {
        "openai"
    }

    /// Small batches: a long answer is more likely to lose or merge items,
    /// and local servers run few requests at once.
    fn limits(&self) -> Limits {
        self.limits
    }

    fn fingerprint(&self) -> String {
        format!("openai model={} prompt={PROMPT_VERSION}", self.model)
    }

    fn translate<'a>(
        &'a self,
        batch: Batch<'a>,
    ) -> BoxFuture<'a, Result<Vec<String>, ProviderError>> {
        Box::pin(
            async move { self.call(batch).await.map_err(|e| http::redact(e, self.key.as_ref())) },
        )
    }
}

/// The instructions and the numbered texts.
pub(crate) fn user_prompt(batch: &Batch<'_>) -> String {
    let source = language_name(&batch.pair.source);
    let target = language_name(&batch.pair.target);
    let n = batch.texts.len();
    let mut prompt = format!(
        "Translate each value of the JSON object below from {source} to {target}.\n\nRules:\n"
    );
    if batch.kind == TextKind::Headline {
        prompt.push_str("- The texts are newspaper headlines; translate them as headlines.\n");
    }
    prompt.push_str(
        "- The texts contain XML tags such as <em>, <strong>, <code/> and <a id=\"…\">. \
         Keep every tag, with its id attribute exactly as written, around the words it marks.\n\
         - Keep the escapes &amp; &lt; &gt; as they are.\n\
         - Keep numbers, figures, dates and URLs unchanged.\n",
    );
    if !batch.glossary.is_empty() {
        prompt.push_str("- Use these glossary terms:\n");
        for term in batch.glossary {
            let source_term = json_string(&term.source);
            if term.dnt {
                prompt.push_str(&format!("  - {source_term}: keep it untranslated\n"));
            } else {
                prompt.push_str(&format!("  - {source_term} -> {}\n", json_string(&term.target)));
            }
        }
    }
    let keys = if n == 1 { "\"1\"".to_string() } else { format!("\"1\" to \"{n}\"") };
    prompt.push_str(&format!(
        "- Answer ONLY with a JSON object with the same keys ({keys}) and the translations \
         as values: no comments, no other text.\n\n"
    ));
    prompt.push_str("{\n");
    for (i, text) in batch.texts.iter().enumerate() {
        let comma = if i + 1 < n { "," } else { "" };
        prompt.push_str(&format!("  \"{}\": {}{comma}\n", i + 1, json_string(text)));
    }
    prompt.push('}');
    prompt
}

/// The answer's JSON object, in key order `"1"`..`"n"`. A Markdown fence
/// around it, or a single object wrapping it, is tolerated.
pub(crate) fn parse_answer(content: &str, n: usize) -> Result<Vec<String>, ProviderError> {
    let json = strip_fence(content);
    let value: Value = serde_json::from_str(json)
        .or_else(|e| match (json.find('{'), json.rfind('}')) {
            (Some(start), Some(end)) if start < end => serde_json::from_str(&json[start..=end]),
            _ => Err(e),
        })
        .map_err(|e| {
            ProviderError::Malformed(format!(
                "the model's answer is not JSON ({e}): {}",
                excerpt(content)
            ))
        })?;
    let Value::Object(mut map) = value else {
        return Err(ProviderError::Malformed(format!(
            "the model's answer is not a JSON object: {}",
            excerpt(content)
        )));
    };
    if map.len() == 1 && !map.contains_key("1") {
        if let Some(Value::Object(inner)) = map.values().next() {
            map = inner.clone();
        }
    }
    if map.len() != n || (1..=n).any(|i| !map.contains_key(&i.to_string())) {
        return Err(ProviderError::WrongCount { sent: n, got: map.len() });
    }
    (1..=n).map(|i| take_text(&mut map, &i.to_string())).collect()
}

fn take_text(map: &mut Map<String, Value>, key: &str) -> Result<String, ProviderError> {
    match map.remove(key) {
        Some(Value::String(text)) => Ok(http::to_protected_escaping(&text)),
        // "2024" may come back as the number 2024.
        Some(Value::Number(number)) => Ok(number.to_string()),
        other => Err(ProviderError::Malformed(format!(
            "item \"{key}\" is not a string: {}",
            other.unwrap_or(Value::Null)
        ))),
    }
}

fn strip_fence(content: &str) -> &str {
    let trimmed = content.trim();
    let Some(rest) = trimmed.strip_prefix("```") else { return trimmed };
    // Skip the info string (`json`) on the opening line.
    let body = rest.split_once('\n').map_or("", |(_, body)| body);
    body.trim_end().strip_suffix("```").unwrap_or(body).trim()
}

fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(200).collect();
    if cut.len() < text.len() { format!("{cut}…") } else { cut }
}

fn json_string(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

/// `Spanish (es-ES)`: the name helps a model, the tag keeps the variant.
fn language_name(locale: &Locale) -> String {
    let name = match locale.language.as_str() {
        "en" => "English",
        "es" => "Spanish",
        "fr" => "French",
        "de" => "German",
        "it" => "Italian",
        "pt" => "Portuguese",
        "ca" => "Catalan",
        "gl" => "Galician",
        "eu" => "Basque",
        "nl" => "Dutch",
        "pl" => "Polish",
        "ru" => "Russian",
        "uk" => "Ukrainian",
        "ja" => "Japanese",
        "zh" => "Chinese",
        "ko" => "Korean",
        "ar" => "Arabic",
        _ => return locale.to_string(),
    };
    format!("{name} ({locale})")
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    temperature: f32,
    messages: Vec<ChatMessage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<ResponseFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
}

#[derive(Serialize)]
struct ChatMessage {
    role: &'static str,
    content: String,
}

#[derive(Serialize)]
struct ResponseFormat {
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: AssistantMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct AssistantMessage {
    content: Option<String>,
    refusal: Option<String>,
}
