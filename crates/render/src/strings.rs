//! Lookup of the edition's own strings. Their text comes with the
//! [`Edition`] (diglot-fluent formats them, from the project's files or
//! diglot's built-in strings); this module knows only the message IDs the
//! templates use, so a missing one renders as nothing rather than breaking
//! a page.

use std::collections::BTreeMap;

use diglot_core::Edition;

/// Messages the templates use. Messages built around article data (byline,
/// date, reading time, status) are absent when the article lacks the data:
/// the page then leaves that line out.
const IDS: &[&str] = &[
    "edition-byline",
    "edition-published",
    "edition-reading-time",
    "edition-translated-from",
    "edition-original-language",
    "edition-translation-status",
    "edition-fallback-note",
    "edition-stale-note",
    "edition-outdated-note",
    "edition-unreviewed-note",
    "edition-language-name",
    "edition-read-in",
    "edition-bilingual-title",
    "edition-bilingual-label",
    "edition-skip-to-content",
];

/// The string `id` of `edition`, or nothing.
pub(crate) fn get<'a>(edition: &'a Edition, id: &str) -> &'a str {
    edition.strings.get(id).map_or("", String::as_str)
}

/// Every string of `edition`, with an empty one for each message the
/// templates use that it lacks.
pub(crate) fn all(edition: &Edition) -> BTreeMap<&str, &str> {
    let mut out: BTreeMap<&str, &str> = IDS.iter().map(|id| (*id, "")).collect();
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
