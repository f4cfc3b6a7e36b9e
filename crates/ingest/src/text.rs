//! Plain text: lines (or blank-line separated paragraphs) are blocks; short
//! lines followed by prose are headings. No markup is interpreted.

use diglot_core::{Block, BlockKind, Document};

/// A heading is at most this long...
const HEADING_MAX_CHARS: usize = 80;
const HEADING_MAX_WORDS: usize = 12;
/// ...and a hard-wrapped paragraph has no line longer than this. A group of
/// lines with a longer one is read one block per line.
const WRAPPED_MAX_CHARS: usize = 100;

pub(crate) fn read(source: &str) -> Document {
    let texts = blocks_of(source);
    let mut blocks = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let kind = if i == 0 {
            BlockKind::Title
        } else if is_heading_like(text)
            && texts.get(i + 1).is_some_and(|next| !is_heading_like(next))
        {
            BlockKind::Heading { level: 2 }
        } else {
            BlockKind::Paragraph
        };
        blocks.push(Block::text(kind, text.clone()));
    }
    Document { lang: None, blocks }
}

/// The text of each block. When the source separates blocks with blank lines,
/// the lines of a group join with a space into one paragraph, unless the group
/// is plainly not hard-wrapped (it has a line too long for that), as in a file
/// with one line per paragraph and the odd blank line. Lines without a letter
/// or digit (`* * *`, `----`) are separators, not blocks.
fn blocks_of(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
    for line in lines {
        if line.is_empty() {
            if groups.last().is_some_and(|g| !g.is_empty()) {
                groups.push(Vec::new());
            }
        } else if line.chars().any(char::is_alphanumeric) {
            groups.last_mut().expect("never empty").push(line);
        }
    }
    groups.retain(|g| !g.is_empty());
    let paragraphs = groups.len() > 1;
    let mut out = Vec::new();
    for group in groups {
        let wrapped = paragraphs && group.iter().all(|l| l.chars().count() <= WRAPPED_MAX_CHARS);
        if wrapped {
            out.push(group.join(" "));
        } else {
            out.extend(group.into_iter().map(str::to_string));
        }
    }
    out
}

/// Short, and not ending like a sentence or a clause.
pub(crate) fn is_heading_like(text: &str) -> bool {
    if text.chars().count() > HEADING_MAX_CHARS
        || text.split_whitespace().count() > HEADING_MAX_WORDS
    {
        return false;
    }
    // A closing quote or bracket after the punctuation still ends a sentence:
    // `He said “no.”`.
    let end = text.trim_end_matches(['"', '\'', '”', '’', '»', '›', ')', ']']);
    !end.ends_with(['.', '!', '?', ':', ';', '…', ','])
}
