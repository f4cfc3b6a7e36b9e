//! LibreTranslate: `POST {url}/translate` with `q` as an array and
//! `format=html`, answered by `{"translatedText": [...]}`.
//!
//! Usually self-hosted, so the API key (`LIBRETRANSLATE_API_KEY` unless
//! configured) is optional, and the batch limits are settings: they follow
//! the server's `--char-limit` and `--batch-limit` and its hardware.

use serde::{Deserialize, Serialize};

use super::http::{self, BaseUrl, Secret};
use crate::{Batch, BoxFuture, Limits, ProviderError, Translator};
use diglot_core::Locale;

/// `[[translate.providers]]` settings of `kind = "libretranslate"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LibreTranslateSettings {
    /// The server. Default `http://localhost:5000`.
    pub url: String,
    /// Environment variable holding the API key, if the server wants one.
    /// Default `LIBRETRANSLATE_API_KEY`; unset means no key is sent.
    pub api_key_env: String,
    /// Seconds before a request is given up. Default 60.
    pub timeout_secs: u64,
    /// Texts per request. Default 25.
    pub max_texts: usize,
    /// Bytes of text per request. Default 8192.
    pub max_bytes: usize,
    /// Requests in flight at once. Default 2.
    pub concurrency: usize,
}

impl Default for LibreTranslateSettings {
    fn default() -> Self {
        LibreTranslateSettings {
            url: "http://localhost:5000".to_string(),
            api_key_env: "LIBRETRANSLATE_API_KEY".to_string(),
            timeout_secs: 60,
            max_texts: 25,
            max_bytes: 8 * 1024,
            concurrency: 2,
        }
    }
}

/// The LibreTranslate provider.
#[derive(Debug)]
pub struct LibreTranslate {
    base: BaseUrl,
    key: Option<Secret>,
    limits: Limits,
    client: reqwest::Client,
}

impl LibreTranslate {
    /// Reads the optional key from `env` (the process environment in
    /// production).
    pub fn new(
        settings: LibreTranslateSettings,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<LibreTranslate, ProviderError> {
        let key = http::read_secret(env, &settings.api_key_env);
        let base = BaseUrl::parse("libretranslate", &settings.url)?;
        let timeout = http::timeout("libretranslate", settings.timeout_secs)?;
        let limits = http::limits(
            "libretranslate",
            settings.max_texts,
            settings.max_bytes,
            settings.concurrency,
        )?;
        let client = http::client(&base, timeout)?;
        Ok(LibreTranslate { base, key, limits, client })
    }

    async fn call(&self, batch: Batch<'_>) -> Result<Vec<String>, ProviderError> {
        if batch.texts.is_empty() {
            return Ok(Vec::new());
        }
        let request = TranslateRequest {
            q: batch.texts,
            source: language(&batch.pair.source),
            target: language(&batch.pair.target),
            format: "html",
            api_key: self.key.as_ref().map(Secret::expose),
        };
        let path = "/translate";
        let builder = self.client.post(self.base.join(path)).json(&request);
        let reply = http::send(builder, &self.base.shown(path)).await?;
        if !reply.is_success() {
            return Err(reply.error());
        }
        let answer: TranslateResponse = reply.json()?;
        let texts = match answer.translated_text {
            Translated::Many(texts) => texts,
            // A server that ignores arrays answers one string.
            Translated::One(text) => vec![text],
        };
        if texts.len() != batch.texts.len() {
            return Err(ProviderError::WrongCount { sent: batch.texts.len(), got: texts.len() });
        }
        Ok(texts.iter().map(|t| http::to_protected_escaping(t)).collect())
    }
}

impl Translator for LibreTranslate {
    fn name(&self) -> &str {
        "libretranslate"
    }

    fn limits(&self) -> Limits {
        self.limits
    }

    /// The server decides the models, so it is what identifies the output.
    fn fingerprint(&self) -> String {
        format!("libretranslate url={}", self.base.as_shown())
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

#[derive(Serialize)]
struct TranslateRequest<'a> {
    q: &'a [String],
    source: String,
    target: String,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
}

#[derive(Deserialize)]
struct TranslateResponse {
    #[serde(rename = "translatedText")]
    translated_text: Translated,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Translated {
    Many(Vec<String>),
    One(String),
}

/// LibreTranslate names languages by their ISO 639 code: `en`, `es`.
pub fn language(locale: &Locale) -> String {
    locale.language.as_str().to_string()
}
