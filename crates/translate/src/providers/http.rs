//! What the HTTP providers share: the client, secrets read from the
//! environment, and the one place where HTTP statuses, transport failures
//! and bodies become [`ProviderError`]s.
//!
//! Nothing here retries: one call is one attempt, and the engine decides
//! what to do with the classified error.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::provider::printable;
use crate::{Limits, ProviderError};

/// Sent as `User-Agent`, so a service's operators can tell who calls.
pub(crate) const USER_AGENT: &str = concat!("diglot/", env!("CARGO_PKG_VERSION"));

/// How much of a service's error message an error carries.
const MAX_MESSAGE_CHARS: usize = 300;

/// A credential read from the environment. Its `Debug` never shows it, so
/// a provider holding one can derive `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    /// The value, for the one place that puts it on the wire.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Reads a secret from environment variable `var`; unset or blank is `None`.
pub(crate) fn read_secret(env: &dyn Fn(&str) -> Option<String>, var: &str) -> Option<Secret> {
    let value = env(var)?;
    let value = value.trim();
    if value.is_empty() { None } else { Some(Secret(value.to_string())) }
}

/// A service's base URL, checked: `http` or `https`, a host, no query.
#[derive(Clone)]
pub struct BaseUrl {
    /// Without a trailing slash, ready for `format!("{base}/path")`.
    base: String,
    /// The same without any user name or password, for messages.
    shown: String,
    loopback: bool,
}

impl BaseUrl {
    /// Parses `raw`; `service` names the provider in the error.
    pub fn parse(service: &str, raw: &str) -> Result<BaseUrl, ProviderError> {
        let bad =
            |why: &str| ProviderError::NotConfigured(format!("{service}: base URL `{raw}` {why}"));
        let url = Url::parse(raw.trim()).map_err(|e| bad(&format!("is not a URL: {e}")))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(bad("must start with http:// or https://"));
        }
        let Some(host) = url.host_str() else { return Err(bad("has no host")) };
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must not have a query or fragment"));
        }
        let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "::1");
        let base = url.as_str().trim_end_matches('/').to_string();
        let mut shown = url.clone();
        // Both only fail for URLs that cannot have credentials at all.
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        let shown = shown.as_str().trim_end_matches('/').to_string();
        Ok(BaseUrl { base, shown, loopback })
    }

    /// `{base}{path}`; `path` starts with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `{base}{path}` without credentials, for messages and `Debug`.
    pub fn shown(&self, path: &str) -> String {
        format!("{}{path}", self.shown)
    }

    /// The base without credentials.
    pub fn as_shown(&self) -> &str {
        &self.shown
    }

    /// Whether the base already ends in `suffix` (e.g. `/v1`).
    pub fn ends_with(&self, suffix: &str) -> bool {
        self.base.ends_with(suffix)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Checks a `timeout_secs` setting.
pub fn timeout(service: &str, secs: u64) -> Result<Duration, ProviderError> {
    if secs == 0 {
        return Err(ProviderError::NotConfigured(format!(
            "{service}: timeout_secs must be at least 1"
        )));
    }
    Ok(Duration::from_secs(secs))
}

/// Batch limits from a provider's settings, each at least 1.
pub fn limits(
    service: &str,
    max_texts: usize,
    max_bytes: usize,
    concurrency: usize,
) -> Result<Limits, ProviderError> {
    if max_texts == 0 || max_bytes == 0 || concurrency == 0 {
        return Err(ProviderError::NotConfigured(format!(
            "{service}: max_texts, max_bytes and concurrency must be at least 1"
        )));
    }
    Ok(Limits { max_texts, max_bytes, concurrency })
}

/// An HTTP client whose every request gives up after `timeout`. A service
/// on the loopback interface is never reached through a proxy.
pub fn client(base: &BaseUrl, timeout: Duration) -> Result<reqwest::Client, ProviderError> {
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(USER_AGENT);
    if base.loopback {
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|e| ProviderError::Unavailable(format!("cannot build an HTTP client: {e}")))
}

/// A complete answer: status, headers and the whole body.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Sends `request` and reads the whole answer. Only transport failures are
/// errors here; `shown_url` (no secrets in it) names the service in them.
pub(crate) async fn send(request: RequestBuilder, shown_url: &str) -> Result<Reply, ProviderError> {
    let response = request.send().await.map_err(|e| transport_error(e, shown_url))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(|e| transport_error(e, shown_url))?;
    Ok(Reply { status, headers, body: body.to_vec() })
}

/// Classifies a failure below HTTP. The URL is dropped from reqwest's error
/// because it can hold a key (Google's `?key=`).
pub(crate) fn transport_error(err: reqwest::Error, shown_url: &str) -> ProviderError {
    let err = err.without_url();
    if err.is_timeout() {
        return ProviderError::Timeout;
    }
    let chain = printable(&error_chain(&err));
    if err.is_connect() {
        return ProviderError::Unavailable(format!("cannot reach {shown_url}: {chain}"));
    }
    // Connected, then the exchange broke (reset, cut-off body): as passing
    // as a 5xx, so it is classified as one and retried.
    ProviderError::Server { status: 0, message: format!("{shown_url}: {chain}") }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl Reply {
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The body as `T`; anything else is [`ProviderError::Malformed`].
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ProviderError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ProviderError::Malformed(format!(
                "{e} in {}",
                excerpt(&String::from_utf8_lossy(&self.body))
            ))
        })
    }

    /// The body as any JSON value, if it is JSON.
    pub(crate) fn json_value(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `Retry-After` in seconds; an HTTP-date gives `None`.
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers)
    }

    /// The service's own words about a failure (see [`error_message`]).
    pub fn message(&self) -> String {
        error_message(self.status, &self.body)
    }

    /// The error for a non-success answer, by status alone.
    pub fn error(&self) -> ProviderError {
        classify(self.status, self.retry_after(), self.message())
    }
}

/// The classification every provider starts from: 401 and 403 refuse the
/// credentials, 429 asks to slow down, 456 (DeepL) means the quota is
/// spent, any other 4xx refuses the request, 5xx is the server's fault.
pub(crate) fn classify(
    status: StatusCode,
    retry_after: Option<Duration>,
    message: String,
) -> ProviderError {
    let code = status.as_u16();
    let described = format!("{message} (HTTP {code})");
    match code {
        401 | 403 => ProviderError::Auth(described),
        429 => ProviderError::RateLimited { retry_after },
        456 => ProviderError::Quota(described),
        400..=499 => ProviderError::Rejected(described),
        500..=599 => ProviderError::Server { status: code, message },
        _ => ProviderError::Malformed(format!("unexpected status: {described}")),
    }
}

/// Parses `Retry-After` as delay-seconds (fractions allowed).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs: f64 = value.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

/// The message in an error body, whichever shape the service uses:
/// `{"message": …}` (DeepL), `{"error": "…"}` (LibreTranslate),
/// `{"error": {"message": …}}` (Google, OpenAI), `{"detail": …}` (servers
/// built on FastAPI); otherwise the start of the body, or the status's
/// reason when the body is empty.
pub(crate) fn error_message(status: StatusCode, body: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let found = value
            .get("message")
            .and_then(|m| m.as_str())
            .or_else(|| value.get("error").and_then(|e| e.as_str()))
            .or_else(|| value.pointer("/error/message").and_then(|m| m.as_str()))
            .map(str::to_string)
            .or_else(|| {
                value.get("detail").map(|d| match d.as_str() {
                    Some(s) => s.to_string(),
                    None => d.to_string(),
                })
            });
        if let Some(message) = found.filter(|m| !m.trim().is_empty()) {
            return excerpt(message.trim());
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        status.canonical_reason().unwrap_or("no message").to_string()
    } else {
        excerpt(text)
    }
}

/// The start of a service's words, safe to print (see [`printable`]).
fn excerpt(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return printable(text);
    }
    let cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{}…", printable(&cut))
}

/// Replaces `secret` wherever an error repeats it (a service echoing the
/// key it refused, say): as it is, percent-encoded (as in a URL or a form),
/// and in any letter case.
pub(crate) fn redact(err: ProviderError, secret: Option<&Secret>) -> ProviderError {
    let Some(secret) = secret else { return err };
    let clean = |s: String| redact_text(&s, secret.expose());
    match err {
        ProviderError::NotConfigured(m) => ProviderError::NotConfigured(clean(m)),
        ProviderError::Unavailable(m) => ProviderError::Unavailable(clean(m)),
        ProviderError::Auth(m) => ProviderError::Auth(clean(m)),
        ProviderError::Quota(m) => ProviderError::Quota(clean(m)),
        ProviderError::Server { status, message } => {
            ProviderError::Server { status, message: clean(message) }
        }
        ProviderError::Malformed(m) => ProviderError::Malformed(clean(m)),
        ProviderError::Rejected(m) => ProviderError::Rejected(clean(m)),
        other @ (ProviderError::RateLimited { .. }
        | ProviderError::Timeout
        | ProviderError::WrongCount { .. }
        | ProviderError::Truncated) => other,
    }
}

/// `text` with every form of `secret` replaced by `<redacted>`.
fn redact_text(text: &str, secret: &str) -> String {
    let mut encoded = String::new();
    for b in secret.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let mut out = text.to_string();
    for form in [secret, encoded.as_str()] {
        if form.is_empty() {
            continue;
        }
        // ASCII lower-casing keeps byte offsets, so matches found in the
        // folded text are cut from the original.
        let needle = form.to_ascii_lowercase();
        let mut cleaned = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.to_ascii_lowercase().find(&needle) {
            cleaned.push_str(&rest[..at]);
            cleaned.push_str("<redacted>");
            rest = &rest[at + needle.len()..];
        }
        cleaned.push_str(rest);
        out = cleaned;
    }
    out
}

/// Brings a service's HTML or XML answer back to the protected form, in
/// which only `&amp;`, `&lt;` and `&gt;` are escaped: other entities
/// (`&#39;`, `&quot;`, `&nbsp;`…) are decoded, the three kept escaped
/// whichever way they were written, and a bare `&` is escaped.
pub(crate) fn to_protected_escaping(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match diglot_core::entity::char_reference(rest) {
            Some((c, len)) => {
                out.push_str(&quick_xml::escape::partial_escape(&*c.encode_utf8(&mut [0; 4])));
                rest = &rest[len..];
            }
            None => {
                out.push_str("&amp;");
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_not_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn error_messages_of_each_shape() {
        let check = |body: &str, want: &str| {
            assert_eq!(error_message(StatusCode::BAD_REQUEST, body.as_bytes()), want)
        };
        check(r#"{"message":"Wrong target_lang"}"#, "Wrong target_lang");
        check(r#"{"error":"Invalid API key"}"#, "Invalid API key");
        check(r#"{"error":{"code":400,"message":"Bad q"}}"#, "Bad q");
        check(r#"{"detail":"Not Found"}"#, "Not Found");
        check("plain words", "plain words");
        check("", "Bad Request");
    }

    #[test]
    fn entities_come_back_to_the_protected_form() {
        let check = |input: &str, want: &str| assert_eq!(to_protected_escaping(input), want);
        check("It&#39;s &quot;fine&quot;", "It's \"fine\"");
        check("a &amp; b &lt;c&gt;", "a &amp; b &lt;c&gt;");
        check("a &#38; b &#60;c&#x3E;", "a &amp; b &lt;c&gt;");
        check("<em>Hola</em>&nbsp;mundo", "<em>Hola</em>\u{a0}mundo");
        check("R&D y AT&T;", "R&amp;D y AT&amp;T;");
        check("sin entidades", "sin entidades");
    }

    #[test]
    fn secrets_are_redacted_in_any_case_and_percent_encoded() {
        let secret = Secret("Sk-Ab/Cd+Ef=".into());
        let echoed =
            "key Sk-Ab/Cd+Ef= or SK-AB/CD+EF= or key=Sk-Ab%2FCd%2BEf%3D or sk-ab%2fcd%2bef%3d!";
        let err = redact(ProviderError::Auth(echoed.into()), Some(&secret));
        assert_eq!(
            err,
            ProviderError::Auth(
                "key <redacted> or <redacted> or key=<redacted> or <redacted>!".into()
            )
        );
    }

    #[test]
    fn service_messages_are_printable() {
        let message = error_message(StatusCode::BAD_GATEWAY, b"\x1b[2Jgone\x07");
        assert_eq!(message, "\\u{1b}[2Jgone\\u{7}");
    }

    #[test]
    fn base_urls_hide_credentials() {
        let base = BaseUrl::parse("x", "http://user:pw@127.0.0.1:5000/").unwrap();
        assert_eq!(base.join("/translate"), "http://user:pw@127.0.0.1:5000/translate");
        assert_eq!(base.shown("/translate"), "http://127.0.0.1:5000/translate");
        assert!(base.loopback);
        assert!(BaseUrl::parse("x", "ftp://example.com").is_err());
        assert!(BaseUrl::parse("x", "localhost:5000").is_err());
    }
}
