//! Where an HTML article's blocks lie in its source, for the edition that is
//! the page itself with its text translated.
//!
//! scraper keeps no positions, so the source is tokenized here (tags,
//! text, comments; the content of `script`, `style` and the other raw-text
//! elements opaque), and the n-th start tag named `p` is taken for the
//! n-th `p` element of the tree. A block gets a range (its element's
//! content, from after the start tag to its end tag, explicit or implied)
//! only when the text there is the block's text; any other block is left
//! in the source language in that edition, with a warning.

use std::collections::HashMap;
use std::ops::Range;

use diglot_core::{Block, Span, SpanKind};
use scraper::{ElementRef, Html};

#[derive(Debug)]
enum Token {
    Start { name: String, range: Range<usize> },
    End { name: String, range: Range<usize> },
    Text(Range<usize>),
}

/// Elements whose content is not markup.
const RAW_TEXT: &[&str] =
    &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];

/// Elements with no content and no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements a start tag of the same name closes.
const SELF_CLOSING_BY_SIBLING: &[&str] = &["p", "li", "dt", "dd", "td", "th", "tr", "option"];

fn tokenize(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let lower = src.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    while let Some(off) = src[pos..].find('<') {
        let at = pos + off;
        let next = bytes.get(at + 1).copied().unwrap_or(b' ');
        let skip_to = |from: usize, end: &str| {
            src[from..].find(end).map_or(src.len(), |i| from + i + end.len())
        };
        let (end, token) = if src[at..].starts_with("<!--") {
            (skip_to(at + 4, "-->"), None)
        } else if next == b'!' || next == b'?' {
            (skip_to(at, ">"), None)
        } else if next == b'/' && bytes.get(at + 2).is_some_and(u8::is_ascii_alphabetic) {
            let name = tag_name(&lower[at + 2..]);
            let end = skip_to(at, ">");
            (end, Some(Token::End { name, range: at..end }))
        } else if next.is_ascii_alphabetic() {
            let name = tag_name(&lower[at + 1..]);
            let end = start_tag_end(src, at);
            (end, Some(Token::Start { name, range: at..end }))
        } else {
            pos = at + 1;
            continue;
        };
        if text_start < at {
            out.push(Token::Text(text_start..at));
        }
        let raw = match &token {
            Some(Token::Start { name, .. }) if RAW_TEXT.contains(&name.as_str()) => {
                Some(name.clone())
            }
            _ => None,
        };
        out.extend(token);
        pos = end;
        if let Some(name) = raw {
            // The content runs to the matching end tag, read as one opaque run.
            let close = format!("</{name}");
            pos = lower[pos..].find(&close).map_or(src.len(), |i| pos + i);
        }
        text_start = pos;
    }
    if text_start < src.len() {
        out.push(Token::Text(text_start..src.len()));
    }
    out
}

fn tag_name(rest: &str) -> String {
    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':')).collect()
}

/// The end of a start tag beginning at `at`: past its `>`, quotes respected.
fn start_tag_end(src: &str, at: usize) -> usize {
    let mut quote = None;
    for (i, c) in src[at..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return at + i + 1,
            _ => {}
        }
    }
    src.len()
}

/// The range of the content of the element whose start tag is `tokens[i]`.
fn content_range(tokens: &[Token], i: usize, src_len: usize) -> Option<Range<usize>> {
    let Token::Start { name, range } = &tokens[i] else { return None };
    if VOID.contains(&name.as_str()) {
        return None;
    }
    let mut open: Vec<&str> = Vec::new();
    for token in &tokens[i + 1..] {
        match token {
            Token::Start { name: n, range: r } => {
                if open.is_empty() && n == name && SELF_CLOSING_BY_SIBLING.contains(&n.as_str()) {
                    return Some(range.end..r.start);
                }
                if !VOID.contains(&n.as_str()) {
                    open.push(n);
                }
            }
            Token::End { name: n, range: r } => match open.iter().rposition(|o| o == n) {
                Some(k) => open.truncate(k),
                // Its own end tag, or an ancestor's, which closes it too.
                None => return Some(range.end..r.start),
            },
            Token::Text(_) => {}
        }
    }
    Some(range.end..src_len)
}

/// The text a stretch of source shows: text runs with character
/// references decoded, `<br>` a line break.
fn shown_text(src: &str, tokens: &[Token], range: &Range<usize>) -> String {
    let mut out = String::new();
    for token in tokens {
        match token {
            Token::Text(r) if range.start <= r.start && r.end <= range.end => {
                decode(&src[r.clone()], &mut out)
            }
            Token::Start { name, range: r }
                if name == "br" && range.start <= r.start && r.end <= range.end =>
            {
                out.push('\n')
            }
            _ => {}
        }
    }
    out
}

fn decode(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match diglot_core::entity::char_reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                // A reference this reader does not know: the texts will differ,
                // and the block keeps its source.
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Whether a stretch of source holds an element a translation written as
/// HTML would lose (media, forms, a `<picture>`'s sources): such a block
/// keeps its source.
fn holds_kept(tokens: &[Token], range: &Range<usize>) -> bool {
    tokens.iter().any(|t| {
        matches!(t, Token::Start { name, range: r }
            if range.start <= r.start && r.end <= range.end
                && name != "img" && super::KEPT.contains(&name.as_str()))
    })
}

/// White space folded, as the comparison of texts needs.
fn folded(text: &str) -> String {
    text.split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page's tokens, and where each element of the tree starts in them.
#[derive(Debug)]
pub(super) struct Positions {
    tokens: Vec<Token>,
    /// Each element's start tag, by [`key`].
    start_of: HashMap<usize, usize>,
    src_len: usize,
}

impl Positions {
    pub(super) fn new(src: &str, html: &Html) -> Positions {
        let tokens = tokenize(src);
        let mut starts: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, t) in tokens.iter().enumerate() {
            if let Token::Start { name, .. } = t {
                starts.entry(name.as_str()).or_default().push(i);
            }
        }
        // The n-th element of a name is the n-th start tag of that name.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut start_of = HashMap::new();
        for el in html.tree.root().descendants().filter_map(ElementRef::wrap) {
            let name = el.value().name();
            let n = seen.entry(name.to_string()).or_default();
            if let Some(&t) = starts.get(name).and_then(|s| s.get(*n)) {
                start_of.insert(key(el), t);
            }
            *n += 1;
        }
        Positions { tokens, start_of, src_len: src.len() }
    }

    fn token_of(&self, el: ElementRef<'_>) -> Option<usize> {
        self.start_of.get(&key(el)).copied()
    }

    /// Where an element's start tag begins in the source.
    pub(super) fn start(&self, el: ElementRef<'_>) -> Option<usize> {
        match &self.tokens[self.token_of(el)?] {
            Token::Start { range, .. } => Some(range.start),
            _ => None,
        }
    }

    /// The tokens that lie in `range`.
    fn within(&self, range: &Range<usize>) -> &[Token] {
        let start = |t: &Token| match t {
            Token::Start { range, .. } | Token::End { range, .. } | Token::Text(range) => {
                range.start
            }
        };
        let first = self.tokens.partition_point(|t| start(t) < range.start);
        let last = self.tokens.partition_point(|t| start(t) < range.end);
        &self.tokens[first..last.max(first)]
    }
}

/// An element's identity for the lookup: its node's address, fixed while
/// the tree lives (used for lookups only, never for order).
fn key(el: ElementRef<'_>) -> usize {
    std::ptr::from_ref(el.value()).addr()
}

/// The source ranges of the blocks whose element is known (`owners`, by
/// block), and the `<html>` start tag's span; the blocks left without a
/// range, by index, with where they lie if known.
pub(super) fn spans(
    src: &str,
    positions: &Positions,
    blocks: &[Block],
    owners: &[super::Owner<'_>],
) -> (Vec<Span>, Vec<(usize, Option<usize>)>) {
    let tokens = &positions.tokens;
    let mut spans = Vec::new();
    let mut missing = Vec::new();
    for (block, (b, owner)) in blocks.iter().zip(owners).enumerate() {
        let token = owner.and_then(|(content, _)| content).and_then(|el| positions.token_of(el));
        let at = owner.and_then(|(_, near)| positions.start(near));
        let range = token.and_then(|t| content_range(tokens, t, positions.src_len));
        let text = diglot_core::inline::plain_text(&b.inlines);
        match range {
            Some(range)
                if folded(&shown_text(src, positions.within(&range), &range)) == folded(&text)
                    && !holds_kept(positions.within(&range), &range) =>
            {
                spans.push(Span { range, block, kind: SpanKind::HtmlContent });
            }
            _ => missing.push((block, at)),
        }
    }
    if let Some(Token::Start { range, .. }) =
        tokens.iter().find(|t| matches!(t, Token::Start { name, .. } if name == "html"))
    {
        let attrs = without_lang_dir(&src[range.start + "<html".len()..range.end]);
        spans.push(Span {
            range: range.clone(),
            block: usize::MAX,
            kind: SpanKind::HtmlRoot { attrs },
        });
    }
    spans.sort_by_key(|s| s.range.start);
    (spans, missing)
}

/// A start tag's attributes as written (to its `>`), `lang` and `dir` left
/// out.
fn without_lang_dir(attrs: &str) -> String {
    let mut out = String::new();
    let mut rest = attrs;
    loop {
        let ws = rest.len() - rest.trim_start().len();
        let (space, tail) = rest.split_at(ws);
        let name_len = tail
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(tail.len());
        if name_len == 0 {
            out.push_str(rest);
            return out;
        }
        let name = &tail[..name_len];
        let mut end = name_len;
        let after = &tail[end..];
        if after.trim_start().starts_with('=') {
            let value = after.trim_start()[1..].trim_start();
            let value_at = tail.len() - value.len();
            end = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    value[1..].find(q).map_or(tail.len(), |i| value_at + i + 2)
                }
                _ => {
                    value_at
                        + value
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .unwrap_or(value.len())
                }
            };
        }
        if !name.eq_ignore_ascii_case("lang") && !name.eq_ignore_ascii_case("dir") {
            out.push_str(space);
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_and_dir_are_left_out_of_the_root_tag() {
        assert_eq!(without_lang_dir(" lang=\"en\" class='x' dir=ltr>"), " class='x'>");
        assert_eq!(without_lang_dir(">"), ">");
        assert_eq!(without_lang_dir(" data-a=\"1>2\" lang=en>"), " data-a=\"1>2\">");
    }

    #[test]
    fn content_ends_at_its_end_tag_or_where_it_is_closed() {
        let src = "<ul><li>One <b>x</b><li>Two</ul><script>'<p>'</script><p>A &amp; B</p>";
        let tokens = tokenize(src);
        let li: Vec<usize> = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t, Token::Start { name, .. } if name == "li"))
            .map(|(i, _)| i)
            .collect();
        let r = content_range(&tokens, li[0], src.len()).unwrap();
        assert_eq!(&src[r], "One <b>x</b>");
        let r = content_range(&tokens, li[1], src.len()).unwrap();
        assert_eq!(&src[r], "Two");
        let p = tokens
            .iter()
            .position(|t| matches!(t, Token::Start { name, .. } if name == "p"))
            .unwrap();
        let r = content_range(&tokens, p, src.len()).unwrap();
        assert_eq!(shown_text(src, &tokens, &r), "A & B");
    }
}
