//! Apertium, the rule-based engine that runs on this machine: no account, no
//! network, the same answer every time.
//!
//! Two ways to reach it:
//!
//! - `mode = "command"` runs `apertium -u -f html eng-spa` once per batch,
//!   with each text wrapped in its own `<p>` block so the html deformatter
//!   keeps our inline tags and never lets one sentence run into the next;
//! - `mode = "apy"` sends the same document to an `apertium-apy` server's
//!   `/translate` (`q`, `langpair=eng|spa`, `markUnknown`, `deformat=html`,
//!   `reformat=html-noent`), which answers
//!   `{"responseData": {"translatedText": …}, "responseStatus": 200}`.
//!   APy cuts requests longer than a pipe buffer (4096 bytes) at a full stop
//!   or a space, which could fall inside a tag, so its batches stay smaller.
//!
//! Apertium names languages by ISO 639-3 code: `en-*` is `eng` and `es-*` is
//! `spa`; every other pair is [`ProviderError::Unavailable`].

use std::process::Stdio;
use std::time::Duration;

use diglot_core::language_of;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use crate::{Batch, BoxFuture, Limits, Pair, ProviderError, Translator};

/// How to reach Apertium.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApertiumMode {
    /// Run the `apertium` program.
    #[default]
    Command,
    /// Talk to an `apertium-apy` server.
    Apy,
}

/// `[providers.apertium]` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApertiumSettings {
    pub mode: ApertiumMode,
    /// The `apertium` program, by name (looked up on `PATH`) or path.
    pub command: String,
    /// The APy server's base URL.
    pub url: String,
    /// Mark words Apertium does not know with `*` (for debugging the engine;
    /// such drafts read badly).
    pub mark_unknown: bool,
    /// Seconds one batch may take.
    pub timeout_secs: u64,
}

impl Default for ApertiumSettings {
    fn default() -> Self {
        ApertiumSettings {
            mode: ApertiumMode::Command,
            command: "apertium".into(),
            url: "http://127.0.0.1:2737".into(),
            mark_unknown: false,
            timeout_secs: 60,
        }
    }
}

/// The Apertium provider.
#[derive(Debug, Clone)]
pub struct Apertium {
    settings: ApertiumSettings,
    client: reqwest::Client,
}

impl Apertium {
    pub fn new(settings: ApertiumSettings) -> Apertium {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(settings.timeout_secs.max(1)))
            .build()
            .unwrap_or_default();
        Apertium { settings, client }
    }

    pub fn settings(&self) -> &ApertiumSettings {
        &self.settings
    }

    async fn run_command(&self, mode: &str, document: String) -> Result<String, ProviderError> {
        let mut command = tokio::process::Command::new(&self.settings.command);
        if !self.settings.mark_unknown {
            command.arg("-u");
        }
        command
            .args(["-f", "html", mode])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ProviderError::Unavailable(format!(
                    "apertium not found: install apertium-eng-spa or choose another provider \
                     (tried `{}`)",
                    self.settings.command
                ))
            } else {
                ProviderError::Unavailable(format!("cannot run `{}`: {e}", self.settings.command))
            }
        })?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Write while reading, or a large batch fills both pipes and hangs.
        let write = async move {
            let written = stdin.write_all(document.as_bytes()).await;
            drop(stdin);
            written
        };
        let (written, output) = tokio::join!(write, child.wait_with_output());
        let output = output.map_err(|e| ProviderError::Unavailable(format!("apertium: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(ProviderError::Unavailable(format!(
                "apertium {mode} failed ({}): {}",
                output.status,
                crate::provider::printable(stderr.trim())
            )));
        }
        written.map_err(|e| ProviderError::Unavailable(format!("apertium: {e}")))?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    async fn request_apy(&self, langpair: &str, document: String) -> Result<String, ProviderError> {
        let url = format!("{}/translate", self.settings.url.trim_end_matches('/'));
        let mark = if self.settings.mark_unknown { "yes" } else { "no" };
        let form = [
            ("q", document.as_str()),
            ("langpair", langpair),
            ("markUnknown", mark),
            ("deformat", "html"),
            ("reformat", "html-noent"),
        ];
        let response = self.client.post(&url).form(&form).send().await.map_err(|e| {
            if e.is_timeout() {
                ProviderError::Timeout
            } else {
                ProviderError::Unavailable(format!(
                    "apertium-apy not reachable at {}: {e}",
                    self.settings.url
                ))
            }
        })?;
        let status = response.status();
        let body = response.text().await.map_err(|e| {
            if e.is_timeout() {
                ProviderError::Timeout
            } else {
                ProviderError::Malformed(format!("reading the answer: {e}"))
            }
        })?;
        if !status.is_success() {
            let message = serde_json::from_str::<ApyError>(&body)
                .ok()
                .and_then(|e| e.explanation.or(e.message))
                .unwrap_or_else(|| body.chars().take(200).collect());
            return Err(match status.as_u16() {
                // APy's answer to a pair it does not have.
                400 if message.contains("not installed") => {
                    ProviderError::Unavailable(format!("apertium-apy: {message}"))
                }
                code @ 500.. => ProviderError::Server { status: code, message },
                _ => ProviderError::Rejected(format!("{status}: {message}")),
            });
        }
        let answer: ApyAnswer = serde_json::from_str(&body)
            .map_err(|e| ProviderError::Malformed(format!("apertium-apy: {e}")))?;
        if answer.response_status != 200 {
            return Err(ProviderError::Server {
                status: answer.response_status,
                message: "apertium-apy reported a failure".into(),
            });
        }
        Ok(answer.response_data.translated_text)
    }
}

#[derive(Deserialize)]
struct ApyAnswer {
    #[serde(rename = "responseData")]
    response_data: ApyData,
    #[serde(rename = "responseStatus")]
    response_status: u16,
}

#[derive(Deserialize)]
struct ApyData {
    #[serde(rename = "translatedText")]
    translated_text: String,
}

#[derive(Deserialize)]
struct ApyError {
    message: Option<String>,
    explanation: Option<String>,
}

/// Apertium's name for the pair's mode: `eng-spa` or `spa-eng`.
pub fn apertium_mode(pair: &Pair) -> Result<&'static str, ProviderError> {
    match (language_of(&pair.source), language_of(&pair.target)) {
        ("en", "es") => Ok("eng-spa"),
        ("es", "en") => Ok("spa-eng"),
        _ => Err(ProviderError::Unavailable(format!(
            "apertium has no {} -> {} pair here; diglot uses it for English <-> Spanish",
            pair.source, pair.target
        ))),
    }
}

/// One `<p>` block per text, so each comes back on its own.
fn wrap(texts: &[String]) -> String {
    let mut document = String::new();
    for text in texts {
        document.push_str("<p>");
        document.push_str(text);
        document.push_str("</p>\n");
    }
    document
}

/// The contents of the `<p>` blocks, trimmed.
fn unwrap(document: &str, sent: usize) -> Result<Vec<String>, ProviderError> {
    let mut texts = Vec::with_capacity(sent);
    let mut rest = document;
    while let Some(start) = rest.find("<p>") {
        let body = &rest[start + 3..];
        let Some(end) = body.find("</p>") else {
            return Err(ProviderError::Malformed("a `<p>` block is not closed".into()));
        };
        texts.push(body[..end].trim().to_string());
        rest = &body[end + 4..];
    }
    if texts.len() != sent {
        return Err(ProviderError::WrongCount { sent, got: texts.len() });
    }
    Ok(texts)
}

impl Translator for Apertium {
    fn name(&self) -> &str {
        "apertium"
    }

    fn limits(&self) -> Limits {
        match self.settings.mode {
            ApertiumMode::Command => Limits { max_texts: 200, max_bytes: 100_000, concurrency: 2 },
            // Under APy's 4096-byte split point, `<p>` wrappers included.
            ApertiumMode::Apy => Limits { max_texts: 40, max_bytes: 3_000, concurrency: 2 },
        }
    }

    fn fingerprint(&self) -> String {
        // The two modes run differently built pipelines and can differ.
        let mode = match self.settings.mode {
            ApertiumMode::Command => "command",
            ApertiumMode::Apy => "apy",
        };
        format!("apertium;mode={mode};mark_unknown={}", self.settings.mark_unknown)
    }

    fn translate<'a>(
        &'a self,
        batch: Batch<'a>,
    ) -> BoxFuture<'a, Result<Vec<String>, ProviderError>> {
        Box::pin(async move {
            let mode = apertium_mode(batch.pair)?;
            if batch.texts.is_empty() {
                return Ok(Vec::new());
            }
            let document = wrap(batch.texts);
            let timeout = Duration::from_secs(self.settings.timeout_secs.max(1));
            let translated = match self.settings.mode {
                ApertiumMode::Command => {
                    tokio::time::timeout(timeout, self.run_command(mode, document))
                        .await
                        .map_err(|_| ProviderError::Timeout)??
                }
                ApertiumMode::Apy => self.request_apy(&mode.replace('-', "|"), document).await?,
            };
            unwrap(&translated, batch.texts.len())
        })
    }
}
