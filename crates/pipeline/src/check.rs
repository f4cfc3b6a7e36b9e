//! `diglot check`: what a reviewer looks at before a target locale file is
//! published.
//!
//! Each [`Finding`] has a stable code (see [`CODES`]), a severity, the
//! position of its message in the target file and a hint. The checks:
//!
//! - the file itself: `syntax` (Fluent junk, a message with no value or with
//!   a placeable) and `duplicate` (an ID defined twice), from the Fluent
//!   stage's diagnostics;
//! - against the article: `missing` (a sentence with no translation),
//!   `obsolete` (a message whose sentence is gone), `stale` and `unreviewed`
//!   (warnings: a translation of an older source, a draft not yet accepted);
//! - each translation against its source sentence, as drafts are checked
//!   (`diglot_translate::protect::check`): `markup`, `link`, `code`,
//!   `number` (compared by value, each in its locale's separators), `empty`,
//!   `control`;
//! - `identical` (warning): the translation is the source sentence;
//! - `length` (warning): the translation has fewer than 0.3 or more than 3
//!   times the characters of its source (plain text, source of at least 20
//!   characters);
//! - `glossary` (warning, since the glossary has no stemming) and `dnt`
//!   (error): a term of the pair's glossary not rendered as it says, a
//!   do-not-translate term altered;
//! - Spanish typography, for `es` targets: `es-inverted-question` and
//!   `es-inverted-exclamation` (errors: a closing `?` or `!` without its
//!   opening `¿` or `¡`), `es-double-space` and `es-space-before-punctuation`
//!   (warnings).
//!
//! `[check] allow` silences codes for the whole pipeline and
//! `[check.allow_messages]` silences codes for one message.

use std::collections::{BTreeMap, BTreeSet};

use diglot_core::inline::{parse_markdown, plain_text_of_markdown};
use diglot_core::{Locale, Severity};
use diglot_translate::Pair;
use diglot_translate::protect::{self, Reason};
use serde::Serialize;

use crate::{Error, Pipeline, fs};

/// Every code a finding can have, for `[check] allow` to be checked against.
pub const CODES: &[&str] = &[
    "syntax",
    "duplicate",
    "missing",
    "obsolete",
    "stale",
    "unreviewed",
    "markup",
    "link",
    "code",
    "number",
    "empty",
    "control",
    "identical",
    "length",
    "glossary",
    "dnt",
    "es-inverted-question",
    "es-inverted-exclamation",
    "es-double-space",
    "es-space-before-punctuation",
];

/// Ratios of translation to source length (in characters) outside which a
/// translation is reported as `length`.
const MIN_RATIO: f64 = 0.3;
const MAX_RATIO: f64 = 3.0;
/// Sources shorter than this (in characters) are not length-checked.
const MIN_LENGTH_CHECKED: usize = 20;

/// One problem in a target locale file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable code, one of [`CODES`].
    pub code: String,
    pub severity: Severity,
    pub locale: String,
    /// The target file, relative to the project.
    pub file: String,
    /// 1-based line and column of the message (1:1 when it has none).
    pub line: usize,
    pub col: usize,
    pub message_id: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {severity}[{}]", self.file, self.line, self.col, self.code)?;
        if let Some(id) = &self.message_id {
            write!(f, " {id}")?;
        }
        write!(f, ": {}\n  = hint: {}", self.message, self.hint)
    }
}

/// Where each message starts in a locale file (LF text): the first
/// `id =` line, or for an untranslated placeholder its `# id =` line.
struct Positions {
    text: String,
}

impl Positions {
    fn new(source: &str) -> Positions {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        Positions { text: source.replace("\r\n", "\n").replace('\r', "\n") }
    }

    fn of(&self, id: &str) -> (usize, usize) {
        let defines = |line: &str| {
            line.strip_prefix(id).is_some_and(|rest| rest.trim_start().starts_with('='))
        };
        let lines: Vec<&str> = self.text.lines().collect();
        if let Some(n) = lines.iter().position(|l| defines(l)) {
            return (n + 1, 1);
        }
        if let Some(n) =
            lines.iter().position(|l| l.strip_prefix('#').is_some_and(|r| defines(r.trim_start())))
        {
            return (n + 1, 1);
        }
        (1, 1)
    }
}

impl Pipeline {
    /// Checks every target locale file (or only `only`) as it is on disk.
    /// Findings that the pipeline's `[check]` section allows are left out.
    pub fn check(&self, only: Option<&str>) -> Result<Vec<Finding>, Error> {
        let only = match only {
            Some(tag) => Some(diglot_core::parse_locale(tag).map_err(|source| {
                Error::LocaleOption { path: Some(self.shown.clone()), option: "--locale", source }
            })?),
            None => None,
        };
        let targets = self.targets();
        if let Some(locale) = &only {
            if !targets.contains(locale) {
                return Err(Error::Config {
                    path: self.shown.clone(),
                    message: format!(
                        "{locale} is not a target locale of this pipeline ([edition] locales: {})",
                        self.config.edition.locales.join(", ")
                    ),
                });
            }
        }
        let segmented = self.segmented()?;
        let mut findings = Vec::new();
        for locale in targets.into_iter().filter(|l| only.as_ref().is_none_or(|o| o == l)) {
            findings.extend(self.check_locale(&segmented, &locale)?);
        }
        let allow = &self.config.check;
        findings.retain(|f| {
            !allow.allow.contains(&f.code)
                && !f.message_id.as_ref().is_some_and(|id| {
                    allow.allow_messages.get(id).is_some_and(|codes| codes.contains(&f.code))
                })
        });
        Ok(findings)
    }

    fn check_locale(
        &self,
        segmented: &diglot_core::Segmented,
        locale: &Locale,
    ) -> Result<Vec<Finding>, Error> {
        let source_locale = &segmented.lang;
        let path = self.locale_file(locale);
        let file = self.rel(&path);
        let text = match fs::read_bytes_optional(&path)? {
            Some(bytes) => fs::decode_keeping_bom(&path, bytes)?,
            None => String::new(),
        };
        let positions = Positions::new(&text);
        let (parsed, diagnostics) = diglot_fluent::parse_file(&file, &text, source_locale);
        let mut out = Vec::new();
        let mut push =
            |code: &str, severity: Severity, id: Option<&str>, message: String, hint: &str| {
                let (line, col) = id.map_or((1, 1), |id| positions.of(id));
                out.push(Finding {
                    code: code.to_string(),
                    severity,
                    locale: locale.to_string(),
                    file: file.clone(),
                    line,
                    col,
                    message_id: id.map(str::to_string),
                    message,
                    hint: hint.to_string(),
                });
            };
        let mut fluent = Vec::new();
        for d in diagnostics {
            let code = if d.message.contains("defined twice") { "duplicate" } else { "syntax" };
            fluent.push(Finding {
                code: code.to_string(),
                severity: d.severity,
                locale: locale.to_string(),
                file: d.file.clone(),
                line: d.line,
                col: d.col,
                message_id: d.message_id.clone(),
                message: d.message.clone(),
                hint: d.help.clone().unwrap_or_else(|| "fix the Fluent syntax".into()),
            });
        }

        // A message with a syntax error is there, just broken: its error says
        // so, not a `missing` finding.
        let broken: BTreeSet<String> = fluent.iter().filter_map(|f| f.message_id.clone()).collect();
        let pair = Pair::new(source_locale.clone(), locale.clone());
        let (glossary, _) = self.glossary(&pair)?;
        let by_id: BTreeMap<&str, &diglot_fluent::FileMessage> =
            parsed.messages.iter().map(|m| (m.id.as_str(), m)).collect();
        let mut sources: BTreeSet<String> = BTreeSet::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for segment in segmented.segments() {
            let id = segment.id.to_string();
            if diglot_core::inline::is_verbatim(&segment.text) {
                continue;
            }
            sources.insert(id.clone());
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some(text) =
                by_id.get(id.as_str()).filter(|m| !m.obsolete).and_then(|m| m.text.clone())
            else {
                let absent = !by_id.contains_key(id.as_str()) || by_id[id.as_str()].text.is_none();
                if absent && !broken.contains(&id) {
                    push(
                        "missing",
                        Severity::Error,
                        Some(&id),
                        format!("no translation of “{}”", shorten(&segment.text)),
                        "translate the sentence after `=` (or run `diglot translate` for a draft)",
                    );
                }
                continue;
            };
            let message = by_id[id.as_str()];
            match &message.state {
                diglot_core::TranslationState::Stale { .. } => push(
                    "stale",
                    Severity::Warning,
                    Some(&id),
                    "the translation is of an older version of the source sentence".into(),
                    "update the translation, then delete its `# stale` line",
                ),
                diglot_core::TranslationState::Unreviewed { origin, .. } => push(
                    "unreviewed",
                    Severity::Warning,
                    Some(&id),
                    format!("an unreviewed draft ({origin})"),
                    "review the draft, then delete its `# unreviewed:` line",
                ),
                _ => {}
            }
            if let Err(rejection) = protect::check(&pair, &segment.text, &text) {
                let (code, hint) = match rejection.reason() {
                    Reason::Markup | Reason::Count => {
                        ("markup", "keep the source's emphasis, links and code spans")
                    }
                    Reason::Link => {
                        ("link", "keep each link of the source, with its target exactly as there")
                    }
                    Reason::Code => ("code", code_hint(&rejection)),
                    Reason::Number => (
                        "number",
                        "write the source's numbers with the same value, in this locale's separators",
                    ),
                    Reason::Empty => ("empty", "translate the sentence after `=`"),
                    Reason::Control => {
                        ("control", "delete the control characters or bidirectional overrides")
                    }
                };
                push(code, Severity::Error, Some(&id), rejection.to_string(), hint);
            }
            let source_plain = plain_text_of_markdown(&segment.text);
            let target_plain = plain_text_of_markdown(&text);
            if text.trim() == segment.text.trim() && source_plain.chars().any(char::is_alphabetic) {
                push(
                    "identical",
                    Severity::Warning,
                    Some(&id),
                    "the translation is the source sentence itself".into(),
                    "translate it, or allow `identical` for this message in [check.allow_messages]",
                );
            }
            let (s, t) = (source_plain.chars().count(), target_plain.chars().count());
            if s >= MIN_LENGTH_CHECKED {
                let ratio = t as f64 / s as f64;
                if !(MIN_RATIO..=MAX_RATIO).contains(&ratio) {
                    push(
                        "length",
                        Severity::Warning,
                        Some(&id),
                        format!(
                            "the translation has {t} characters, {ratio:.2} times the source's {s}"
                        ),
                        "check that nothing was left out or added",
                    );
                }
            }
            if let Some(glossary) = &glossary {
                for v in glossary.check(&segment.text, &text) {
                    let (code, severity, hint) = if v.term.dnt {
                        ("dnt", Severity::Error, "keep the term exactly as in the source")
                    } else {
                        (
                            "glossary",
                            Severity::Warning,
                            "use the glossary's rendering (or allow `glossary` for this message)",
                        )
                    };
                    push(code, severity, Some(&id), v.to_string(), hint);
                }
            }
            if locale.language.as_str() == "es" {
                spanish_typography(
                    &prose_of_markdown(&text),
                    &mut |code, severity, message, hint| {
                        push(code, severity, Some(&id), message, hint)
                    },
                );
            }
        }
        for m in &parsed.messages {
            if m.obsolete
                || (!sources.contains(&m.id) && diglot_core::SegmentId::parse(&m.id).is_some())
            {
                push(
                    "obsolete",
                    Severity::Warning,
                    Some(&m.id),
                    "the message's sentence is no longer in the article".into(),
                    "delete it once it is of no more use (`diglot extract` keeps it under Obsolete)",
                );
            }
        }
        let mut all = fluent;
        all.extend(out);
        all.sort_by(|a, b| (a.line, a.col, &a.code).cmp(&(b.line, b.col, &b.code)));
        Ok(all)
    }
}

/// What to do about a changed code span or piece of kept markup.
fn code_hint(rejection: &protect::Rejection) -> &'static str {
    use protect::Rejection::{KeptMarkupChanged, MarkupMismatch};
    let markup = match rejection {
        KeptMarkupChanged { markup, .. } | MarkupMismatch { markup, .. } => markup.as_str(),
        _ => "code spans",
    };
    match markup {
        "code spans" => "keep each code span of the source, copied unchanged",
        "shortcodes" => {
            "keep each shortcode of the source as written, its name and parameters unchanged \
             (only a `text=\"…\"` value may be translated)"
        }
        "HTML tags" => "keep each HTML tag of the source, copied unchanged",
        "footnote references" => "keep each footnote reference (`[^1]`) of the source",
        "strikethrough delimiters" => "keep the source's `~~` around the struck words",
        _ => "keep the source's shortcodes, HTML tags and footnote references as written",
    }
}

/// Stands in for a piece of a message that is not prose: a code span, kept
/// markup (an inline tag, an image, a shortcode) or a URL. A letter-like
/// symbol, so that the prose around it reads as around a word.
const NOT_PROSE: char = '\u{FFFC}';

/// The prose of a message for typography checks: its plain text with each
/// code span, piece of kept markup and URL replaced by [`NOT_PROSE`], so that
/// `` `?` ``, `` `bail!` `` or `https://x.org/?q=1` is not read as
/// punctuation.
fn prose_of_markdown(markdown: &str) -> String {
    fn push(inlines: &[diglot_core::Inline], out: &mut String) {
        use diglot_core::Inline;
        for inline in inlines {
            match inline {
                Inline::Text(t) => push_masking_urls(t, out),
                Inline::Code(_) | Inline::Raw(_) => out.push(NOT_PROSE),
                // Alternative text is read on its own, not in the sentence.
                Inline::Image { .. } | Inline::RefImage { .. } => out.push(NOT_PROSE),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Link { children: c, .. }
                | Inline::RefLink { children: c, .. } => push(c, out),
                Inline::Break => out.push('\n'),
            }
        }
    }
    let mut out = String::new();
    push(&parse_markdown(markdown), &mut out);
    out
}

/// Pushes `text` with each URL (a word starting `http://`, `https://`,
/// `mailto:` or `www.`) replaced by [`NOT_PROSE`]. The sentence's own
/// punctuation after a URL (`.`, `,`, `;`, `:`, `?`, `!`, `)`) is kept.
fn push_masking_urls(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest
            .char_indices()
            .filter(|&(i, _)| {
                i == 0
                    || rest[..i].ends_with(char::is_whitespace)
                    || rest[..i].ends_with(['(', '<', '"', '«'])
            })
            .map(|(i, _)| i)
            .find(|&i| {
                let word = &rest[i..];
                ["http://", "https://", "mailto:", "www."]
                    .iter()
                    .any(|p| word.get(..p.len()).is_some_and(|w| w.eq_ignore_ascii_case(p)))
            });
        let Some(start) = start else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..start]);
        let word_end = rest[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '«' | '»'))
            .map_or(rest.len(), |n| start + n);
        let url = rest[start..word_end].trim_end_matches(['.', ',', ';', ':', '?', '!', ')']);
        out.push(NOT_PROSE);
        rest = &rest[start + url.len()..];
    }
}

/// Spanish punctuation rules a translator can miss (RAE): questions and
/// exclamations open with `¿` and `¡`; no space before `.,;:?!`; one space
/// between words.
fn spanish_typography(text: &str, push: &mut dyn FnMut(&str, Severity, String, &str)) {
    let count = |c: char| text.chars().filter(|&x| x == c).count();
    if count('?') > count('¿') {
        push(
            "es-inverted-question",
            Severity::Error,
            "a question closes with `?` but does not open with `¿`".into(),
            "open the question with `¿`",
        );
    }
    if count('!') > count('¡') {
        push(
            "es-inverted-exclamation",
            Severity::Error,
            "an exclamation closes with `!` but does not open with `¡`".into(),
            "open the exclamation with `¡`",
        );
    }
    if text.contains("  ") {
        push(
            "es-double-space",
            Severity::Warning,
            "two spaces in a row".into(),
            "leave one space between words",
        );
    }
    let chars: Vec<char> = text.chars().collect();
    if let Some(w) = chars.windows(2).find(|w| w[0] == ' ' && ".,;:?!".contains(w[1])) {
        push(
            "es-space-before-punctuation",
            Severity::Warning,
            format!("a space before `{}`", w[1]),
            "delete the space before the punctuation mark",
        );
    }
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        spanish_typography(text, &mut |code, _, _, _| found.push(code.to_string()));
        found
    }

    #[test]
    fn spanish_typography_flags_each_rule() {
        assert!(codes("¿Qué pasó? ¡Nada!").is_empty());
        assert_eq!(codes("Qué pasó?"), ["es-inverted-question"]);
        assert_eq!(codes("Nada!"), ["es-inverted-exclamation"]);
        assert_eq!(codes("Dos  espacios."), ["es-double-space"]);
        assert_eq!(codes("Un espacio ."), ["es-space-before-punctuation"]);
    }

    #[test]
    fn prose_leaves_out_code_markup_and_urls() {
        let o = NOT_PROSE;
        assert_eq!(prose_of_markdown("Usa `?` y *ya*."), format!("Usa {o} y ya."));
        assert_eq!(prose_of_markdown("Mira <br> aquí"), format!("Mira {o} aquí"));
        assert_eq!(
            prose_of_markdown("Ve a https://x.org/?a=1. ¿Y (www.y.es)?"),
            format!("Ve a {o}. ¿Y ({o})?")
        );
        assert_eq!(prose_of_markdown("No es ahttps://x"), "No es ahttps://x");
    }

    #[test]
    fn positions_find_messages_and_placeholders() {
        let p = Positions::new("\u{feff}# c\r\na-1 = x\r\n# b-2 =\r\n");
        assert_eq!(p.of("a-1"), (2, 1));
        assert_eq!(p.of("b-2"), (3, 1));
        assert_eq!(p.of("c-3"), (1, 1));
    }
}
