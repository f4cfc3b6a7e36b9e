//! The seam every source of machine translation plugs into.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use diglot_core::Locale;

/// A boxed future, so [`Translator`] stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A language pair.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pair {
    pub source: Locale,
    pub target: Locale,
}

impl Pair {
    pub fn new(source: Locale, target: Locale) -> Pair {
        Pair { source, target }
    }

    /// `en-US->es-ES`, for cache keys and reports.
    pub fn key(&self) -> String {
        format!("{}->{}", self.source, self.target)
    }
}

/// What a provider can take at once. The engine splits batches to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Texts per request.
    pub max_texts: usize,
    /// Bytes of text (UTF-8, the texts added up) per request.
    pub max_bytes: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
}

/// What kind of text a batch holds; some providers translate headlines
/// differently (DeepL's `context`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextKind {
    Body,
    Headline,
}

/// A glossary entry sent along with a batch (see [`crate::glossary`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryTerm {
    pub source: String,
    pub target: String,
    /// Do not translate: the target is the source term itself.
    pub dnt: bool,
}

/// One request's worth of texts.
///
/// Each text is *protected* inline markup (see [`crate::protect`]): plain text
/// with XML escaping (`&amp;`, `&lt;`, `&gt;`) and HTML-style inline tags
/// (`<em>`, `<strong>`, `<a id="…">`, placeholders for code). A provider
/// must send it in a markup-aware mode (DeepL `tag_handling=xml`, Google
/// `format=html`, LibreTranslate `format=html`, `apertium -f html`) and
/// return the translations in the same form, one per text, in order.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    pub texts: &'a [String],
    pub pair: &'a Pair,
    pub kind: TextKind,
    /// Terms of the pair's glossary that occur in this batch's texts.
    pub glossary: &'a [GlossaryTerm],
}

/// A machine-translation provider. One call is one attempt: the engine does
/// retries, backoff, batching and concurrency.
pub trait Translator: Send + Sync {
    /// A short name for reports and draft markers: `apertium`, `deepl`.
    fn name(&self) -> &str;
    fn limits(&self) -> Limits;
    /// The settings that change what the provider returns (engine, model,
    /// formality, glossary id...), never secrets: part of the MT cache key.
    fn fingerprint(&self) -> String;
    /// Translates a batch: exactly `batch.texts.len()` results, in order.
    fn translate<'a>(
        &'a self,
        batch: Batch<'a>,
    ) -> BoxFuture<'a, Result<Vec<String>, ProviderError>>;
}

/// Why a provider call failed, classified so the engine knows whether to
/// retry, to fall through to the next source, or to stop using the provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Missing settings or secret (e.g. no API key in the environment).
    #[error("not configured: {0}")]
    NotConfigured(String),
    /// The engine is not installed or not reachable at all.
    #[error("{0}")]
    Unavailable(String),
    /// The credentials were refused (401, 403).
    #[error("authentication failed: {0}")]
    Auth(String),
    /// The account's quota is used up (DeepL 456, similar elsewhere).
    #[error("quota exhausted: {0}")]
    Quota(String),
    /// Too many requests (429); `retry_after` from the `Retry-After` header.
    #[error("rate limited")]
    RateLimited { retry_after: Option<Duration> },
    /// A server error (5xx).
    #[error("server error {status}: {message}")]
    Server { status: u16, message: String },
    /// The request took longer than the provider's timeout.
    #[error("timed out")]
    Timeout,
    /// The answer could not be understood (bad JSON, wrong shape).
    #[error("malformed response: {0}")]
    Malformed(String),
    /// The answer had a different number of translations than texts sent.
    #[error("sent {sent} texts, got {got} translations")]
    WrongCount { sent: usize, got: usize },
    /// The answer was cut off (an LLM's `finish_reason: "length"`).
    #[error("response truncated")]
    Truncated,
    /// The request was refused for its content (other 4xx).
    #[error("request rejected: {0}")]
    Rejected(String),
}

impl ProviderError {
    /// Worth trying the same request again after a pause.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ProviderError::RateLimited { .. }
                | ProviderError::Server { .. }
                | ProviderError::Timeout
        )
    }

    /// Whether the request got to the provider (and may be billed): not
    /// when it was never configured, not installed or not reachable.
    pub(crate) fn reached_provider(&self) -> bool {
        !matches!(self, ProviderError::NotConfigured(_) | ProviderError::Unavailable(_))
    }

    /// The provider cannot help for the rest of the run.
    pub fn stops_provider(&self) -> bool {
        matches!(
            self,
            ProviderError::NotConfigured(_)
                | ProviderError::Unavailable(_)
                | ProviderError::Auth(_)
                | ProviderError::Quota(_)
        )
    }
}

/// Characters that must not reach a terminal or a locale file from a
/// provider: C0 controls other than tab and line breaks, DEL, C1 controls,
/// and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which can clear a screen, retitle a window or reorder
/// what is shown.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` made safe to print on one line: line breaks and tabs become
/// spaces, unsafe characters their escape (`\u{1b}`).
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_unsafe_char(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_what_drives_a_terminal() {
        assert_eq!(printable("a\u{1b}[2Jb\u{7}\nc\u{202e}d"), "a\\u{1b}[2Jb\\u{7} c\\u{202e}d");
        assert_eq!(printable("Größe: 3,5 €"), "Größe: 3,5 €");
    }
}
