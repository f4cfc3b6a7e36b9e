//! Google Cloud Translation - Basic (v2):
//! `POST {base}/language/translate/v2?key=…` with `q` as an array and
//! `format=html` always written out, answered by
//! `{"data": {"translations": [{"translatedText": …}]}}`.
//!
//! The API key comes from the environment (`GOOGLE_TRANSLATE_API_KEY`
//! unless configured). Google escapes its HTML answers with entities of its
//! own (`&#39;`), which are brought back to the protected form.

use serde::{Deserialize, Serialize};

use super::http::{self, BaseUrl, Reply, Secret};
use crate::{Batch, BoxFuture, Limits, ProviderError, Translator};
use diglot_core::Locale;

const DEFAULT_BASE: &str = "https://translation.googleapis.com";
const PATH: &str = "/language/translate/v2";

/// `[[translate.providers]]` settings of `kind = "google"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoogleSettings {
    /// Environment variable holding the API key.
    /// Default `GOOGLE_TRANSLATE_API_KEY`.
    pub api_key_env: String,
    /// API host. Default `https://translation.googleapis.com`.
    pub base_url: String,
    /// `nmt` or `base`; unset lets Google choose (it picks `nmt`).
    pub model: Option<String>,
    /// Seconds before a request is given up. Default 30.
    pub timeout_secs: u64,
}

impl Default for GoogleSettings {
    fn default() -> Self {
        GoogleSettings {
            api_key_env: "GOOGLE_TRANSLATE_API_KEY".to_string(),
            base_url: DEFAULT_BASE.to_string(),
            model: None,
            timeout_secs: 30,
        }
    }
}

/// The Google Cloud Translation provider.
#[derive(Debug)]
pub struct Google {
    base: BaseUrl,
    key: Secret,
    model: Option<String>,
    client: reqwest::Client,
}

impl Google {
    /// Reads the key from `env` (the process environment in production).
    pub fn new(
        settings: GoogleSettings,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Google, ProviderError> {
        let key = http::read_secret(env, &settings.api_key_env).ok_or_else(|| {
            ProviderError::NotConfigured(format!(
                "google: set {} to a Cloud Translation API key",
                settings.api_key_env
            ))
        })?;
        let base = BaseUrl::parse("google", &settings.base_url)?;
        let timeout = http::timeout("google", settings.timeout_secs)?;
        let client = http::client(&base, timeout)?;
        let model = settings.model.filter(|m| !m.trim().is_empty());
        Ok(Google { base, key, model, client })
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
            model: self.model.as_deref(),
        };
        let builder = self
            .client
            .post(self.base.join(PATH))
            .query(&[("key", self.key.expose())])
            .json(&request);
        let reply = http::send(builder, &self.base.shown(PATH)).await?;
        if !reply.is_success() {
            return Err(error(&reply));
        }
        let answer: TranslateResponse = reply.json()?;
        let translations = answer.data.translations;
        if translations.len() != batch.texts.len() {
            return Err(ProviderError::WrongCount {
                sent: batch.texts.len(),
                got: translations.len(),
            });
        }
        Ok(translations.iter().map(|t| http::to_protected_escaping(&t.translated_text)).collect())
    }
}

/// Google says more than its status: a 403 may be a spent daily quota or a
/// per-minute rate limit, and a refused key is a 400.
fn error(reply: &Reply) -> ProviderError {
    let Some(body) = reply.json_value() else { return reply.error() };
    let reasons: Vec<&str> = ["/error/errors", "/error/details"]
        .iter()
        .filter_map(|p| body.pointer(p).and_then(|v| v.as_array()))
        .flatten()
        .filter_map(|e| e.get("reason").and_then(|r| r.as_str()))
        .collect();
    let has = |wanted: &[&str]| reasons.iter().any(|r| wanted.contains(r));
    let described = || format!("{} (HTTP {})", reply.message(), reply.status.as_u16());
    if has(&["dailyLimitExceeded", "quotaExceeded", "dailyLimitExceededUnreg"]) {
        ProviderError::Quota(described())
    } else if has(&["userRateLimitExceeded", "rateLimitExceeded", "RATE_LIMIT_EXCEEDED"]) {
        ProviderError::RateLimited { retry_after: reply.retry_after() }
    } else if has(&["keyInvalid", "API_KEY_INVALID", "keyExpired"]) {
        ProviderError::Auth(described())
    } else {
        reply.error()
    }
}

impl Translator for Google {
    fn name(&self) -> &str {
        "google"
    }

    /// At most 128 segments per request; Google recommends staying near 5K
    /// characters and refuses Basic requests over 100K bytes, so about 30K
    /// of text keeps well inside.
    fn limits(&self) -> Limits {
        Limits { max_texts: 128, max_bytes: 30 * 1024, concurrency: 4 }
    }

    fn fingerprint(&self) -> String {
        format!("google v2 model={}", self.model.as_deref().unwrap_or("default"))
    }

    fn translate<'a>(
        &'a self,
        batch: Batch<'a>,
    ) -> BoxFuture<'a, Result<Vec<String>, ProviderError>> {
        Box::pin(
            async move { self.call(batch).await.map_err(|e| http::redact(e, Some(&self.key))) },
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
    model: Option<&'a str>,
}

#[derive(Deserialize)]
struct TranslateResponse {
    data: TranslateData,
}

#[derive(Deserialize)]
struct TranslateData {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    #[serde(rename = "translatedText")]
    translated_text: String,
}

/// Google's codes are ISO 639-1, with a region where the variants differ:
/// `zh-CN`/`zh-TW`, `pt`/`pt-PT`.
pub fn language(locale: &Locale) -> String {
    let region = locale.region.as_ref().map(|r| r.as_str());
    let script = locale.script.as_ref().map(|s| s.as_str());
    match locale.language.as_str() {
        "zh" if script == Some("Hant") || matches!(region, Some("TW" | "HK" | "MO")) => {
            "zh-TW".to_string()
        }
        "zh" => "zh-CN".to_string(),
        "pt" if region == Some("PT") => "pt-PT".to_string(),
        other => other.to_string(),
    }
}
