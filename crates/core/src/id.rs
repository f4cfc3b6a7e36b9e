use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The Fluent message ID of a segment.
///
/// It is derived from the segment's text alone: a slug of its first words, so
/// a translator can tell messages apart, and a hash of the whole normalized
/// text, so the ID never depends on where the sentence stands. Moving,
/// inserting or deleting other sentences cannot change it; identical sentences
/// get the same ID and share one message.
///
/// Format: `[a-z][a-z0-9-]*-[0-9a-f]{6}`, always a valid Fluent identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SegmentId(String);

/// The slug keeps at most this many words and bytes.
const SLUG_WORDS: usize = 5;
const SLUG_BYTES: usize = 36;

impl SegmentId {
    /// The ID of a segment with this text (Markdown inline).
    pub fn for_text(text: &str) -> SegmentId {
        // `1. Intro` and `1\. Intro` are one sentence (a message writes no
        // block-start escapes, a paragraph's source may): one ID, that of
        // the escaped form.
        let normalized = normalize(&crate::inline::escape_block_starts(text));
        let hash = fnv1a64(normalized.as_bytes());
        let slug = slug(&crate::inline::plain_text_of_markdown(&normalized));
        SegmentId(format!("{slug}-{:06x}", hash >> 40))
    }

    /// Wraps an existing ID read from a locale file. Returns `None` when the
    /// string is not a valid Fluent identifier.
    pub fn parse(id: &str) -> Option<SegmentId> {
        let mut chars = id.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        (first_ok && rest_ok).then(|| SegmentId(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SegmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The form of a segment's text that its ID is computed from: NFC, with runs
/// of white space folded to one space and none at either end.
pub fn normalize(text: &str) -> String {
    // Most text is already NFC with single spaces: it is taken as it is.
    let nfc = match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfc().collect::<String>()),
    };
    let folded = !nfc.starts_with(char::is_whitespace)
        && !nfc.ends_with(char::is_whitespace)
        && !nfc
            .chars()
            .zip(nfc.chars().skip(1))
            .any(|(a, b)| (a.is_whitespace() && a != ' ') || (a == ' ' && b.is_whitespace()));
    if folded {
        return nfc.into_owned();
    }
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn slug(plain: &str) -> String {
    let ascii = deunicode::deunicode(plain).to_ascii_lowercase();
    let mut slug = String::new();
    let words = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(SLUG_WORDS);
    for word in words {
        if !slug.is_empty() && slug.len() + 1 + word.len() > SLUG_BYTES {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug.truncate(SLUG_BYTES);
    match slug.chars().next() {
        None => "s".to_string(),
        Some(c) if !c.is_ascii_alphabetic() => format!("s-{slug}"),
        Some(_) => slug,
    }
}

/// 64-bit FNV-1a: tiny, fixed forever, and good enough to tell sentences of
/// one article apart. IDs must not change when a dependency does, so the hash
/// is spelled out here rather than borrowed. Other stable hashes (the
/// glossary's version) use it too.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    /// The shortcuts for text already normal give what the full steps give.
    #[test]
    fn normalize_takes_normal_text_as_it_is() {
        use unicode_normalization::UnicodeNormalization;
        for text in [
            "Plain text.",
            "  leading",
            "trailing ",
            "two  spaces",
            "a\ttab",
            "line\nbreak",
            "no-break\u{a0}space",
            "cafe\u{301} decomposed",
            "café composed",
            "",
            " ",
            "\u{2003}em space",
        ] {
            let slow =
                text.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(super::normalize(text), slow, "{text:?}");
        }
    }

    use super::*;

    fn check(text: &str, expected: &str) {
        assert_eq!(SegmentId::for_text(text).as_str(), expected, "text: {text:?}");
    }

    #[test]
    fn ids_are_readable_and_fixed() {
        // These values are part of diglot's file format: changing them would
        // orphan every translation ever written. Do not update them casually.
        check("Hello World.", "hello-world-8c0ecb");
        check(
            "Andry Hernández Romero lights up at the mention of Italian food.",
            "andry-hernandez-romero-lights-up-f7ce52",
        );
        check("252 men were told to strip.", "s-252-men-were-told-to-a6d8f0");
        check("¿?", "s-68bd89");
    }

    #[test]
    fn white_space_does_not_change_the_id() {
        assert_eq!(SegmentId::for_text("A  b\n c "), SegmentId::for_text("A b c"));
    }

    #[test]
    fn different_text_different_id() {
        assert_ne!(SegmentId::for_text("A b c."), SegmentId::for_text("A b c!"));
    }

    #[test]
    fn ids_are_fluent_identifiers() {
        for text in ["Ünïcödé «quotes»", "123", "", "---", "*emph* start", "[link](http://x) text"]
        {
            let id = SegmentId::for_text(text);
            assert!(SegmentId::parse(id.as_str()).is_some(), "{id}");
        }
    }
}
