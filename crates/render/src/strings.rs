//! Lookup of the edition's own strings, with English stand-ins so a locale
//! file that lacks a message never breaks a page.

use std::collections::BTreeMap;

use diglot_core::Edition;

/// Messages the templates use, with what to show when the edition lacks one.
/// Messages built around article data (byline, date, reading time, status)
/// default to nothing: the page leaves that line out rather than guess.
const DEFAULTS: &[(&str, &str)] = &[
    ("edition-byline", ""),
    ("edition-published", ""),
    ("edition-reading-time", ""),
    ("edition-translated-from", "Translation"),
    ("edition-original-language", "Original edition"),
    ("edition-translation-status", ""),
    ("edition-fallback-note", "Not translated yet: shown in the original language."),
    (
        "edition-stale-note",
        "The original changed after translation: shown in the original language.",
    ),
    ("edition-unreviewed-note", "Draft translation, not yet reviewed."),
    ("edition-language-name", ""),
    ("edition-read-in", "Also available in"),
    ("edition-bilingual-title", "Bilingual edition"),
    ("edition-bilingual-label", "Bilingual"),
    ("edition-skip-to-content", "Skip to content"),
];

/// The string `id` of `edition`, or its default.
pub(crate) fn get<'a>(edition: &'a Edition, id: &str) -> &'a str {
    match edition.strings.get(id) {
        Some(s) => s,
        None => DEFAULTS.iter().find(|(k, _)| *k == id).map_or("", |(_, v)| v),
    }
}

/// Every string of `edition` plus the defaults of those it lacks, for templates.
pub(crate) fn all(edition: &Edition) -> BTreeMap<&str, &str> {
    let mut out: BTreeMap<&str, &str> = DEFAULTS.iter().copied().collect();
    out.extend(edition.strings.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    out
}

/// The edition's language as it names itself, or its tag.
pub(crate) fn language_name(edition: &Edition) -> String {
    match get(edition, "edition-language-name") {
        "" => edition.locale.to_string(),
        name => name.to_string(),
    }
}
