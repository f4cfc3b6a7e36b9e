//! diglot-segment: splits a [`Document`] into sentences, the units of
//! translation.
//!
//! [`segment`] turns each block into [`Segment`]s whose text is the
//! sentence's inline Markdown and whose ID is derived from that text; markup
//! that spans a sentence boundary is closed and reopened. [`split`] and
//! [`boundaries`] do the same for plain text. Where sentences end is decided
//! by [`Rules`] for one language: punctuation sets, abbreviation lists,
//! sentence starters, read from TOML data (`rules/en.toml`, `rules/es.toml`,
//! or a project's own file), never from word lists in code.
//!
//! This crate must never do I/O, and it never panics on any input text.

mod rules;
mod scan;

use diglot_core::inline::{plain_text, split_at, to_markdown};
use diglot_core::{Block, BlockKind, Document, Segment, Segmented, SegmentedBlock};

pub use rules::Rules;
use scan::LineBreaks;

/// A rules file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("rules file is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("rules file, `{field}`: {message}")]
    Invalid { field: String, message: String },
}

/// The sentences of plain text, trimmed. Nothing is lost but the white
/// space between sentences. Line breaks count as in [`boundaries`].
pub fn split(text: &str, rules: &Rules) -> Vec<String> {
    let cuts = boundaries(text, rules);
    let mut sentences = Vec::with_capacity(cuts.len() + 1);
    let bytes = text.as_bytes();
    // Walks the bytes, counting the characters that start.
    let (mut byte, mut char_index, mut start_byte) = (0, 0, 0);
    for cut in cuts {
        while byte < bytes.len() && (char_index < cut || is_continuation(bytes[byte])) {
            if !is_continuation(bytes[byte]) {
                char_index += 1;
            }
            byte += 1;
        }
        push_trimmed(&mut sentences, &text[start_byte..byte]);
        start_byte = byte;
    }
    push_trimmed(&mut sentences, &text[start_byte..]);
    sentences
}

/// A byte inside a UTF-8 sequence rather than at its start.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

fn push_trimmed(out: &mut Vec<String>, piece: &str) {
    let piece = piece.trim();
    if !piece.is_empty() {
        out.push(piece.to_string());
    }
}

/// Char offsets where sentences 2..n of `text` start, ascending, ready for
/// [`diglot_core::inline::split_at`].
///
/// In plain text a blank line, or a line break without a space before it,
/// ends a sentence; a space before the break marks a soft wrap. ([`segment`]
/// instead treats a hard break inside a block as white space.)
pub fn boundaries(text: &str, rules: &Rules) -> Vec<usize> {
    scan::boundaries(text, rules, LineBreaks::Boundaries)
}

/// Splits every block of a document into segments.
///
/// Paragraphs, quotes and list items are split into sentences; titles,
/// headings and table cells are one segment each. A hard line break inside a
/// block never splits it, so the break survives in the segment's Markdown.
/// Every block of the document has its `SegmentedBlock`, in order; pieces
/// with no text are dropped. The language is the document's, or else the
/// rules'.
pub fn segment(doc: &Document, rules: &Rules) -> Segmented {
    let lang = doc.lang.clone().unwrap_or_else(|| rules.locale());
    let blocks = doc.blocks.iter().map(|block| segment_block(block, rules)).collect();
    Segmented { lang, blocks }
}

fn segment_block(block: &Block, rules: &Rules) -> SegmentedBlock {
    let cuts = match block.kind {
        BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem { .. } => {
            scan::boundaries(&plain_text(&block.inlines), rules, LineBreaks::WhiteSpace)
        }
        BlockKind::Title
        | BlockKind::Heading { .. }
        | BlockKind::TableCell { .. }
        | BlockKind::Metadata => Vec::new(),
    };
    let segments = split_at(&block.inlines, &cuts)
        .iter()
        .map(|piece| to_markdown(piece))
        .filter(|text| !text.trim().is_empty())
        .map(Segment::new)
        .collect();
    SegmentedBlock { kind: block.kind, segments }
}

#[cfg(test)]
mod tests;
