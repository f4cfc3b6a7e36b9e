//! Plain text: lines (or blank-line separated paragraphs) are blocks; short
//! lines followed by prose are headings. No markup is interpreted.
//!
//! Line structure, when blank lines separate paragraphs:
//! - a paragraph whose lines are all at most [`SHORT_LINE_MAX_CHARS`] long
//!   and whose every line after the first starts with something other than a
//!   lowercase letter (an address, a poem, a list without markers) keeps its
//!   lines, joined by hard breaks, which the Markdown and HTML editions show
//!   as line breaks (a wrapped sentence goes on in lowercase);
//! - any other paragraph is hard-wrapped prose, its lines joined with a space
//!   (or, with a line too long for wrapping, one block per line);
//! - the first paragraph (the title) is always joined.
//!
//! A file without blank lines is one block per line, as before: nothing in
//! it is joined or broken.

use diglot_core::{Block, BlockKind, Document, Inline};

/// A heading is at most this long...
const HEADING_MAX_CHARS: usize = 80;
const HEADING_MAX_WORDS: usize = 12;
/// ...and a hard-wrapped paragraph has no line longer than this. A group of
/// lines with a longer one is read one block per line.
const WRAPPED_MAX_CHARS: usize = 100;
/// A paragraph of two or more lines none longer than this keeps its lines:
/// wrapped prose fills its lines to the wrap column, well past this.
const SHORT_LINE_MAX_CHARS: usize = 40;

pub(crate) fn read(source: &str) -> Document {
    let lines_of = blocks_of(source);
    let texts: Vec<String> = lines_of.iter().map(|lines| lines.join(" ")).collect();
    let mut blocks = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        if i > 0 && lines_of[i].len() > 1 {
            let mut inlines = Vec::new();
            for line in &lines_of[i] {
                if !inlines.is_empty() {
                    inlines.push(Inline::Break);
                }
                inlines.push(Inline::Text(line.clone()));
            }
            blocks.push(Block { kind: BlockKind::Paragraph, inlines });
            continue;
        }
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

/// The lines of each block (one when its lines are joined). When the source separates blocks with blank lines,
/// the lines of a group join with a space into one paragraph, unless the group
/// is plainly not hard-wrapped (it has a line too long for that), as in a file
/// with one line per paragraph and the odd blank line. Lines without a letter
/// or digit (`* * *`, `----`) are separators, not blocks.
fn blocks_of(source: &str) -> Vec<Vec<String>> {
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
    for (i, group) in groups.into_iter().enumerate() {
        let longest = group.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let continues = group[1..].iter().any(|l| l.starts_with(char::is_lowercase));
        if paragraphs && i > 0 && group.len() > 1 && longest <= SHORT_LINE_MAX_CHARS && !continues {
            out.push(group.into_iter().map(str::to_string).collect());
        } else if paragraphs && longest <= WRAPPED_MAX_CHARS {
            out.push(vec![group.join(" ")]);
        } else {
            out.extend(group.into_iter().map(|l| vec![l.to_string()]));
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

#[cfg(test)]
mod tests {
    use diglot_core::{BlockKind, Inline};

    fn inlines(text: &str) -> Vec<(BlockKind, Vec<Inline>)> {
        super::read(text).blocks.into_iter().map(|b| (b.kind, b.inlines)).collect()
    }

    #[test]
    fn short_lines_keep_their_breaks_and_wrapped_prose_joins() {
        let source = "A visit\n\nWrite to us at\n12 Harbour Road\nPortsmouth\n\n\
                      This is ordinary prose that was wrapped by an editor at a\n\
                      column of about sixty characters, as email often is.\n";
        let blocks = inlines(source);
        let text = |s: &str| Inline::Text(s.into());
        assert_eq!(
            blocks[1],
            (
                BlockKind::Paragraph,
                vec![
                    text("Write to us at"),
                    Inline::Break,
                    text("12 Harbour Road"),
                    Inline::Break,
                    text("Portsmouth"),
                ]
            )
        );
        assert_eq!(
            blocks[2].1,
            vec![text(
                "This is ordinary prose that was wrapped by an editor at a column of about \
                 sixty characters, as email often is."
            )]
        );
    }
}
