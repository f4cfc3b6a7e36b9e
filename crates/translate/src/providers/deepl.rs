//! DeepL: `POST {base}/v2/translate` with `tag_handling=xml`.
//!
//! The key comes from the environment (`DEEPL_AUTH_KEY` unless configured)
//! and is sent as `Authorization: DeepL-Auth-Key …`. Keys of the free plan
//! end in `:fx` and belong to `api-free.deepl.com`.

use serde::{Deserialize, Serialize};

use super::http::{self, BaseUrl, Secret};
use crate::{Batch, BoxFuture, Limits, ProviderError, TextKind, Translator};
use diglot_core::Locale;

const PRO_HOST: &str = "https://api.deepl.com";
const FREE_HOST: &str = "https://api-free.deepl.com";

/// Sent as `context` with headline batches; DeepL does not translate or
/// bill it.
pub(crate) const HEADLINE_CONTEXT: &str = "This is a newspaper headline.";

/// Target languages that take `formality` (DeepL rejects it elsewhere,
/// except the `prefer_` values, which diglot also leaves out there).
const FORMALITY_TARGETS: &[&str] =
    &["DE", "FR", "IT", "ES", "NL", "PL", "PT-PT", "PT-BR", "RU", "JA"];

/// `[[translate.providers]]` settings of `kind = "deepl"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeeplSettings {
    /// Environment variable holding the authentication key.
    /// Default `DEEPL_AUTH_KEY`.
    pub auth_key_env: String,
    /// API host. Default: `https://api-free.deepl.com` for a key ending in
    /// `:fx`, `https://api.deepl.com` otherwise.
    pub base_url: Option<String>,
    /// `more`, `less`, `prefer_more`, `prefer_less` or `default`; sent only
    /// for target languages that support it.
    pub formality: Option<Formality>,
    /// A DeepL glossary for the pair(s) translated (multilingual glossaries
    /// cover several pairs with one id).
    pub glossary_id: Option<String>,
    /// Seconds before a request is given up. Default 30.
    pub timeout_secs: u64,
}

impl Default for DeeplSettings {
    fn default() -> Self {
        DeeplSettings {
            auth_key_env: "DEEPL_AUTH_KEY".to_string(),
            base_url: None,
            formality: None,
            glossary_id: None,
            timeout_secs: 30,
        }
    }
}

/// DeepL's `formality` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Formality {
    Default,
    More,
    Less,
    PreferMore,
    PreferLess,
}

impl Formality {
    pub fn as_str(self) -> &'static str {
        match self {
            Formality::Default => "default",
            Formality::More => "more",
            Formality::Less => "less",
            Formality::PreferMore => "prefer_more",
            Formality::PreferLess => "prefer_less",
        }
    }
}

/// The DeepL provider.
#[derive(Debug)]
pub struct Deepl {
    base: BaseUrl,
    key: Secret,
    formality: Option<Formality>,
    glossary_id: Option<String>,
    client: reqwest::Client,
}

impl Deepl {
    /// Reads the key from `env` (the process environment in production).
    pub fn new(
        settings: DeeplSettings,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Deepl, ProviderError> {
        let key = http::read_secret(env, &settings.auth_key_env).ok_or_else(|| {
            ProviderError::NotConfigured(format!(
                "deepl: set {} to your DeepL authentication key",
                settings.auth_key_env
            ))
        })?;
        let raw_base = settings.base_url.as_deref().unwrap_or(if key.expose().ends_with(":fx") {
            FREE_HOST
        } else {
            PRO_HOST
        });
        let base = BaseUrl::parse("deepl", raw_base)?;
        let timeout = http::timeout("deepl", settings.timeout_secs)?;
        let client = http::client(&base, timeout)?;
        let glossary_id = settings.glossary_id.filter(|g| !g.trim().is_empty());
        Ok(Deepl { base, key, formality: settings.formality, glossary_id, client })
    }

    async fn call(&self, batch: Batch<'_>) -> Result<Vec<String>, ProviderError> {
        if batch.texts.is_empty() {
            return Ok(Vec::new());
        }
        let target_lang = target_lang(&batch.pair.target);
        let formality = self
            .formality
            .filter(|_| FORMALITY_TARGETS.contains(&target_lang.as_str()))
            .map(Formality::as_str);
        let request = TranslateRequest {
            text: batch.texts,
            source_lang: source_lang(&batch.pair.source),
            target_lang,
            tag_handling: "xml",
            formality,
            glossary_id: self.glossary_id.as_deref(),
            context: (batch.kind == TextKind::Headline).then_some(HEADLINE_CONTEXT),
        };
        let path = "/v2/translate";
        let builder = self
            .client
            .post(self.base.join(path))
            .header(reqwest::header::AUTHORIZATION, format!("DeepL-Auth-Key {}", self.key.expose()))
            .json(&request);
        let reply = http::send(builder, &self.base.shown(path)).await?;
        if !reply.is_success() {
            return Err(reply.error());
        }
        let answer: TranslateResponse = reply.json()?;
        if answer.translations.len() != batch.texts.len() {
            return Err(ProviderError::WrongCount {
                sent: batch.texts.len(),
                got: answer.translations.len(),
            });
        }
        Ok(answer.translations.into_iter().map(|t| http::to_protected_escaping(&t.text)).collect())
    }
}

impl Translator for Deepl {
    fn name(&self) -> &str {
        "deepl"
    }

    /// 50 texts and 128 KiB of request body per call; the texts get half of
    /// that so JSON escaping and the other fields always fit.
    fn limits(&self) -> Limits {
        Limits { max_texts: 50, max_bytes: 64 * 1024, concurrency: 4 }
    }

    fn fingerprint(&self) -> String {
        format!(
            "deepl formality={} glossary={}",
            self.formality.map_or("default", Formality::as_str),
            self.glossary_id.as_deref().unwrap_or("none")
        )
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
    text: &'a [String],
    source_lang: String,
    target_lang: String,
    tag_handling: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    formality: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    glossary_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
}

#[derive(Deserialize)]
struct TranslateResponse {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    text: String,
}

/// DeepL's source languages have no variants: `EN`, `ES`.
pub fn source_lang(locale: &Locale) -> String {
    locale.language.as_str().to_ascii_uppercase()
}

/// DeepL's target languages: English, Portuguese and Chinese need their
/// variant (`EN-US`/`EN-GB`, `PT-BR`/`PT-PT`, `ZH-HANS`/`ZH-HANT`); the
/// others are the bare language (`ES`, `DE`).
pub fn target_lang(locale: &Locale) -> String {
    let region = locale.region.as_ref().map(|r| r.as_str());
    let script = locale.script.as_ref().map(|s| s.as_str());
    match locale.language.as_str() {
        "en" if region == Some("GB") => "EN-GB".to_string(),
        "en" => "EN-US".to_string(),
        "pt" if region == Some("BR") => "PT-BR".to_string(),
        "pt" => "PT-PT".to_string(),
        "zh" if script == Some("Hant") || matches!(region, Some("TW" | "HK" | "MO")) => {
            "ZH-HANT".to_string()
        }
        "zh" => "ZH-HANS".to_string(),
        other => other.to_ascii_uppercase(),
    }
}
