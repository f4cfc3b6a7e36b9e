//! A termbase per language pair: how names and terms must come out.
//!
//! A glossary is a tab-separated file such as
//! `locales/glossary/en-US.es-ES.tsv` (tabs shown as `⇥`):
//!
//! ```text
//! # Terms for the immigration series.
//! source⇥target⇥note
//! Alien Enemies Act⇥Ley de Enemigos Extranjeros⇥1798 law
//! Tren de Aragua⇥=⇥a gang's name
//! ICE⇥⇥dnt
//! ```
//!
//! `#` lines are comments and blank lines are skipped; the header line is
//! optional. Every other line has two or three columns (a term kept as it
//! is still has its tab); an empty source term, a source term defined twice
//! (compared as matching compares them) or a wrong number of columns is an
//! error at its `file:line:col`. A term whose target is empty or `=`, or whose note contains the
//! word `dnt`, is *do not translate*: its target is the source term itself.
//!
//! [`Glossary::terms_in`] finds the terms a sentence contains, to send to a
//! provider; [`Glossary::check`] finds the terms a draft did not honour.
//! Matching is by whole words, case-insensitive, with any run of white space
//! matching any other, and accented letters are letters like any other
//! (`Sánchez` is one word, and does not match `Sanchez`). There is no
//! stemming: Spanish inflection is honoured only as far as the exact form in
//! the file, so `ley` does not match `leyes`. Write a target in the form it
//! takes in running text, or add each form as its own entry.

use std::fmt;

use diglot_core::Diagnostic;
use diglot_core::inline::plain_text_of_markdown;

use crate::GlossaryTerm;

/// The terms of one language pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    term: GlossaryTerm,
    /// The source term folded for matching.
    key: Vec<char>,
}

/// A term of the source that a draft does not render as the glossary says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermViolation {
    pub term: GlossaryTerm,
    /// What the draft should contain: the target, or for a do-not-translate
    /// term the source term itself.
    pub expected: String,
}

impl fmt::Display for TermViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.term.dnt {
            write!(f, "`{}` must stay untranslated", self.term.source)
        } else {
            write!(f, "`{}` must be translated as `{}`", self.term.source, self.expected)
        }
    }
}

const HEADER_HELP: &str = "each line is `source<TAB>target<TAB>note`";

impl Glossary {
    /// Reads a glossary file. Lines that cannot be read are reported as
    /// diagnostics against `file` and skipped; the rest is the glossary.
    pub fn parse(file: &str, text: &str) -> (Glossary, Vec<Diagnostic>) {
        let mut glossary = Glossary::default();
        let mut diagnostics = Vec::new();
        let mut seen_first = false;
        let mut first_line_of: Vec<(Vec<char>, usize)> = Vec::new();
        let mut offset = 0;
        for (n, raw) in text.split('\n').enumerate() {
            let line_start = offset;
            offset += raw.len() + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let first = !seen_first;
            seen_first = true;
            if first && fields[0].trim().eq_ignore_ascii_case("source") {
                continue;
            }
            let error = |at: usize, message: String| {
                Diagnostic::error_at(file, text, line_start + at, message).with_help(HEADER_HELP)
            };
            if fields.len() > 3 {
                let at = fields[..3].iter().map(|f| f.len() + 1).sum();
                diagnostics.push(error(
                    at,
                    format!("expected at most 3 tab-separated columns, found {}", fields.len()),
                ));
                continue;
            }
            if fields.len() == 1 && line.trim().contains("  ") {
                let at = line.find("  ").unwrap_or(0);
                diagnostics
                    .push(error(at, "columns must be separated by tabs, not spaces".to_string()));
                continue;
            }
            if fields.len() == 1 && !line.trim().is_empty() {
                diagnostics.push(
                    Diagnostic::error_at(
                        file,
                        text,
                        line_start + line.len(),
                        "expected 2 or 3 tab-separated columns, found 1".to_string(),
                    )
                    .with_help(
                        "write `source<TAB>target`; for a term kept as it is, `source<TAB>=`",
                    ),
                );
                continue;
            }
            let source = fields[0].trim();
            if source.is_empty() {
                diagnostics.push(error(0, "the source term is empty".to_string()));
                continue;
            }
            let target = fields.get(1).map_or("", |t| t.trim());
            let note = fields.get(2).map_or("", |t| t.trim());
            let dnt = target.is_empty() || target == "=" || has_word(note, "dnt");
            let key = fold(source);
            if let Some((_, earlier)) = first_line_of.iter().find(|(k, _)| *k == key) {
                diagnostics.push(
                    Diagnostic::error_at(
                        file,
                        text,
                        line_start + (fields[0].len() - fields[0].trim_start().len()),
                        format!("`{source}` is already defined on line {earlier}"),
                    )
                    .with_help("keep one entry per source term"),
                );
                continue;
            }
            if first {
                diagnostics.push(
                    Diagnostic::error_at(file, text, line_start, "the header line is missing")
                        .with_help("start the file with `source<TAB>target<TAB>note`")
                        .warning(),
                );
            }
            first_line_of.push((key.clone(), n + 1));
            let target = if dnt { source } else { target };
            glossary.entries.push(Entry {
                term: GlossaryTerm { source: source.to_string(), target: target.to_string(), dnt },
                key,
            });
        }
        (glossary, diagnostics)
    }

    /// All terms, in file order.
    pub fn terms(&self) -> impl Iterator<Item = &GlossaryTerm> {
        self.entries.iter().map(|e| &e.term)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A stable hash of the terms (not of comments, notes or order), for
    /// cache keys: 16 hex digits of FNV-1a.
    pub fn version(&self) -> String {
        let mut lines: Vec<String> = self
            .entries
            .iter()
            .map(|e| format!("{}\t{}\t{}\n", e.term.source, e.term.target, e.term.dnt))
            .collect();
        lines.sort();
        format!("{:016x}", diglot_core::fnv1a64(lines.concat().as_bytes()))
    }

    /// The terms that occur in a source segment (Markdown, compared on its
    /// plain text), longest first. Where terms overlap, the longer one wins:
    /// `Act` inside `Alien Enemies Act` is not reported, unless it also
    /// occurs on its own.
    pub fn terms_in(&self, source: &str) -> Vec<GlossaryTerm> {
        self.matching(source).into_iter().map(|e| e.term.clone()).collect()
    }

    fn matching(&self, source: &str) -> Vec<&Entry> {
        let text = fold(&plain_text_of_markdown(source));
        let mut order: Vec<&Entry> = self.entries.iter().collect();
        order.sort_by(|a, b| b.key.len().cmp(&a.key.len()).then_with(|| a.key.cmp(&b.key)));
        let mut claimed: Vec<(usize, usize)> = Vec::new();
        let mut found = Vec::new();
        for entry in order {
            let mut hit = false;
            for start in word_matches(&text, &entry.key) {
                let end = start + entry.key.len();
                if claimed.iter().all(|&(s, e)| end <= s || start >= e) {
                    claimed.push((start, end));
                    hit = true;
                }
            }
            if hit {
                found.push(entry);
            }
        }
        found
    }

    /// The terms of `source` (Markdown) that `draft` (Markdown) does not
    /// contain as the glossary says, in the order of [`Glossary::terms_in`].
    pub fn check(&self, source: &str, draft: &str) -> Vec<TermViolation> {
        let draft = fold(&plain_text_of_markdown(draft));
        self.matching(source)
            .into_iter()
            .filter(|e| word_matches(&draft, &fold(&e.term.target)).next().is_none())
            .map(|e| TermViolation { term: e.term.clone(), expected: e.term.target.clone() })
            .collect()
    }
}

/// Lowercase, with each run of white space as one space and none at the ends.
fn fold(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Start offsets of `needle` in `haystack` (both folded) where it is not
/// part of a longer word.
fn word_matches<'a>(haystack: &'a [char], needle: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    let possible = if needle.is_empty() || needle.len() > haystack.len() {
        0
    } else {
        haystack.len() - needle.len() + 1
    };
    (0..possible).filter(move |&start| {
        let end = start + needle.len();
        haystack[start..end] == *needle
            && !(needle[0].is_alphanumeric() && start > 0 && haystack[start - 1].is_alphanumeric())
            && !(needle[needle.len() - 1].is_alphanumeric()
                && haystack.get(end).is_some_and(|c| c.is_alphanumeric()))
    })
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests;
