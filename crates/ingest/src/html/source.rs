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

use diglot_core::{Block, HtmlMarkup, Span, SpanKind};
use scraper::{ElementRef, Html};

#[derive(Debug)]
enum Token {
    Start {
        name: String,
        range: Range<usize>,
    },
    End {
        name: String,
        range: Range<usize>,
    },
    Text(Range<usize>),
    /// `<!-- … -->`: shows nothing, kept where it stands.
    Comment(Range<usize>),
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
            let end = skip_to(at + 4, "-->");
            (end, Some(Token::Comment(at..end)))
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
            // The content runs to the matching end tag, read as one opaque
            // run; a `<title>`'s is text (the headline of a page with no
            // `<h1>`).
            let close = format!("</{name}");
            let content = pos;
            pos = lower[pos..].find(&close).map_or(src.len(), |i| pos + i);
            if name == "title" && content < pos {
                out.push(Token::Text(content..pos));
            }
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
            Token::Text(_) | Token::Comment(_) => {}
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

/// A text run with its character references decoded as a browser does
/// (every named reference, numeric ones, legacy ones without `;`), by the
/// HTML parser the page is read with.
fn decode(text: &str, out: &mut String) {
    if !text.contains('&') {
        out.push_str(text);
        return;
    }
    // A text run holds no `<`, so the fragment is that text alone.
    let fragment = Html::parse_fragment(text);
    for t in fragment.root_element().text() {
        out.push_str(t);
    }
}

/// Whether a stretch of source holds an element a translation written as
/// HTML would lose (media, forms): such a block keeps its source. An image
/// is not one: its tags (a `<picture>`'s sources too) are written as the
/// source writes them, its `alt` and `title` translated.
fn holds_kept(tokens: &[Token], range: &Range<usize>) -> bool {
    tokens.iter().any(|t| {
        matches!(t, Token::Start { name, range: r }
            if range.start <= r.start && r.end <= range.end
                && !matches!(name.as_str(), "img" | "picture")
                && super::KEPT.contains(&name.as_str()))
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

    /// An element as written in the source, from its start tag to its end
    /// tag (a void element: its start tag); `None` when its end tag is
    /// implied.
    pub(super) fn outer<'s>(&self, src: &'s str, el: ElementRef<'_>) -> Option<&'s str> {
        let i = self.token_of(el)?;
        let Token::Start { name, range } = &self.tokens[i] else { return None };
        let end = if VOID.contains(&name.as_str()) {
            range.end
        } else {
            let content = content_range(&self.tokens, i, self.src_len)?;
            self.within(&(content.end..content.end + 1)).iter().find_map(|t| match t {
                Token::End { name: n, range: r } if n == name => Some(r.end),
                _ => None,
            })?
        };
        src.get(range.start..end)
    }

    /// The tokens that lie in `range`.
    fn within(&self, range: &Range<usize>) -> &[Token] {
        let start = |t: &Token| match t {
            Token::Start { range, .. }
            | Token::End { range, .. }
            | Token::Text(range)
            | Token::Comment(range) => range.start,
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
    extents: &[Option<Range<usize>>],
) -> (Vec<Span>, Vec<Unplaced>) {
    let tokens = &positions.tokens;
    let mut spans = Vec::new();
    let mut missing = Vec::new();
    for (block, (b, owner)) in blocks.iter().zip(owners).enumerate() {
        let token = owner.and_then(|(content, _)| content).and_then(|el| positions.token_of(el));
        let at = owner.and_then(|(_, near)| positions.start(near));
        let range = token
            .and_then(|t| content_range(tokens, t, positions.src_len))
            .or_else(|| extents.get(block).cloned().flatten());
        let text = diglot_core::inline::plain_text(&b.inlines);
        match range {
            Some(range)
                if folded(&shown_text(src, positions.within(&range), &range)) == folded(&text)
                    && !holds_kept(positions.within(&range), &range) =>
            {
                match markup(src, positions.within(&range), &range) {
                    Some(markup) => spans.push(Span {
                        range,
                        block,
                        kind: SpanKind::HtmlContent { markup: Some(markup) },
                    }),
                    None => missing.push((block, at, Missing::Markup)),
                }
            }
            _ => missing.push((block, at, Missing::Place)),
        }
    }
    if let Some(Token::Start { range, .. }) =
        tokens.iter().find(|t| matches!(t, Token::Start { name, .. } if name == "html"))
    {
        let name_end = range.start + "<html".len();
        let attrs = without_lang_dir(&src[name_end..range.end]);
        let (list, _) = attributes(&src[name_end..range.end]);
        let find = |name: &str| {
            list.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, r)| {
                let text = &src[name_end + r.start..name_end + r.end];
                name_end + r.start + (text.len() - text.trim_start().len())..name_end + r.end
            })
        };
        let (lang, dir) = (find("lang"), find("dir"));
        spans.push(Span {
            range: range.clone(),
            block: usize::MAX,
            kind: SpanKind::HtmlRoot { attrs, lang, dir, name_end },
        });
    }
    spans.sort_by_key(|s| s.range.start);
    (spans, missing)
}

/// A block left without a span: its index, where it lies if known, and why.
pub(super) type Unplaced = (usize, Option<usize>, Missing);

/// Why a block has no span in the page edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    /// Its text was not found in the source.
    Place,
    /// Its inline tags could not be told apart from its text (a `<span>`
    /// around some of its words).
    Markup,
}

/// A piece of an element's content: text, a comment, or an element with
/// its own.
enum Node {
    Text(Range<usize>),
    Comment(Range<usize>),
    Element { name: String, start: Range<usize>, extent: Range<usize>, children: Vec<Node> },
}

/// What an element of a block's content is to its markup.
#[derive(PartialEq)]
enum Role {
    /// Markup with content: a link, emphasis.
    Container,
    /// Markup written whole: code, a line break, an image.
    Atomic,
    /// Shows nothing (`<a name="x"></a>`): kept where it stands.
    Empty,
    /// Around other content, and no markup of the block (`<span>`).
    Wrapper,
    /// Struck text (`<s>`, `<del>`): its start and end tags are two pieces,
    /// the two `~~` of the message.
    Strike,
}

/// The elements of a stretch of source as a tree; `None` if an end tag
/// closes what the stretch did not open.
fn tree(tokens: &[Token], range: &Range<usize>) -> Option<Vec<Node>> {
    struct Open {
        name: String,
        start: Range<usize>,
        children: Vec<Node>,
    }
    fn close(open: Open, end: usize) -> Node {
        Node::Element {
            name: open.name,
            extent: open.start.start..end,
            start: open.start,
            children: open.children,
        }
    }
    let mut stack = vec![Open { name: String::new(), start: 0..0, children: Vec::new() }];
    for token in tokens {
        match token {
            Token::Text(r) => {
                let r = r.start.max(range.start)..r.end.min(range.end);
                if !r.is_empty() {
                    stack.last_mut()?.children.push(Node::Text(r));
                }
            }
            Token::Comment(r) if range.start <= r.start && r.end <= range.end => {
                stack.last_mut()?.children.push(Node::Comment(r.clone()))
            }
            Token::Comment(_) => return None,
            Token::Start { range: r, .. } if r.end > range.end || r.start < range.start => {
                return None;
            }
            Token::Start { name, range: r } if VOID.contains(&name.as_str()) => {
                stack.last_mut()?.children.push(Node::Element {
                    name: name.clone(),
                    start: r.clone(),
                    extent: r.clone(),
                    children: Vec::new(),
                })
            }
            Token::Start { name, range: r } => {
                stack.push(Open { name: name.clone(), start: r.clone(), children: Vec::new() })
            }
            Token::End { name, range: r } => {
                if r.end > range.end {
                    return None;
                }
                let k = stack.iter().rposition(|o| o.name == *name).filter(|k| *k > 0)?;
                while stack.len() > k + 1 {
                    let open = stack.pop()?;
                    let end = open.children.last().map_or(open.start.end, extent_end);
                    stack.last_mut()?.children.push(close(open, end));
                }
                let open = stack.pop()?;
                stack.last_mut()?.children.push(close(open, r.end));
            }
        }
    }
    while stack.len() > 1 {
        let open = stack.pop()?;
        let end = open.children.last().map_or(open.start.end, extent_end);
        stack.last_mut()?.children.push(close(open, end));
    }
    stack.pop().map(|o| o.children)
}

fn extent_end(node: &Node) -> usize {
    match node {
        Node::Text(r) | Node::Comment(r) | Node::Element { extent: r, .. } => r.end,
    }
}

fn raw<'s>(src: &'s str, node: &Node) -> &'s str {
    match node {
        Node::Text(r) | Node::Comment(r) | Node::Element { extent: r, .. } => &src[r.clone()],
    }
}

fn is_space(src: &str, node: &Node) -> bool {
    matches!(node, Node::Text(r) if src[r.clone()].trim_ascii().is_empty())
}

fn role(src: &str, node: &Node) -> Option<Role> {
    if let Node::Comment(_) = node {
        return Some(Role::Empty);
    }
    let Node::Element { name, start, children, .. } = node else { return None };
    let names = attribute_names(&src[start.start + 1 + name.len()..start.end]);
    let has = |attr: &str| names.iter().any(|n| n.eq_ignore_ascii_case(attr));
    Some(match name.as_str() {
        _ if has("hidden") => Role::Empty,
        "img" if has("src") => Role::Atomic,
        "picture" | "br" | "code" | "kbd" | "samp" | "tt" => Role::Atomic,
        "em" | "i" | "strong" | "b" => Role::Container,
        "s" | "del" | "strike" if !shows_nothing(src, children) => Role::Strike,
        "a" if has("href") => Role::Container,
        n if super::SKIPPED.contains(&n) => Role::Empty,
        _ if shows_nothing(src, children) => Role::Empty,
        _ => Role::Wrapper,
    })
}

/// Whether content holds neither text nor markup.
fn shows_nothing(src: &str, nodes: &[Node]) -> bool {
    nodes.iter().all(|n| match n {
        Node::Text(_) => is_space(src, n),
        Node::Comment(_) => true,
        Node::Element { children, .. } => {
            role(src, n) == Some(Role::Empty)
                || (role(src, n) == Some(Role::Wrapper) && shows_nothing(src, children))
        }
    })
}

/// Content's markup: what comes before its first piece of text or markup,
/// its markup pieces, what comes after its last, and whether it holds text
/// of its own (outside its markup pieces). `None` when a tag that is not
/// markup wraps part of its text.
fn content(src: &str, nodes: &[Node]) -> Option<(String, Vec<HtmlMarkup>, String, bool)> {
    let shown = |n: &Node| !is_space(src, n) && role(src, n) != Some(Role::Empty);
    let sig: Vec<usize> = (0..nodes.len()).filter(|i| shown(&nodes[*i])).collect();
    if let [i] = sig[..]
        && let Node::Element { start, extent, children, .. } = &nodes[i]
        && role(src, &nodes[i]) == Some(Role::Wrapper)
    {
        // A wrapper of the whole content: its tags stand around it.
        let (o, ch, c, text) = content(src, children)?;
        let before: String = nodes[..i].iter().map(|n| raw(src, n)).collect();
        let after: String = nodes[i + 1..].iter().map(|n| raw(src, n)).collect();
        let end = &src[children.last().map_or(start.end, extent_end).max(start.end)..extent.end];
        return Some((before + &src[start.clone()] + &o, ch, c + end + &after, text));
    }
    let (first, last) = match (sig.first(), sig.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => (nodes.len(), nodes.len()),
    };
    let (mut open, mut close, mut pending) = (String::new(), String::new(), String::new());
    let mut pieces = Vec::new();
    let mut text = false;
    for (i, node) in nodes.iter().enumerate() {
        if !shown(node) {
            if i < first {
                open.push_str(raw(src, node));
            } else if i > last {
                close.push_str(raw(src, node));
            } else if !is_space(src, node) {
                pending.push_str(raw(src, node));
            }
            continue;
        }
        let Node::Element { start, extent, children, .. } = node else {
            text = true;
            continue;
        };
        let end = &src[children.last().map_or(start.end, extent_end).max(start.end)..extent.end];
        let before = std::mem::take(&mut pending);
        match role(src, node)? {
            Role::Atomic => pieces.push(HtmlMarkup {
                open: before + raw(src, node),
                close: String::new(),
                children: Vec::new(),
                atomic: true,
            }),
            Role::Container => {
                let (o, ch, c, _) = content(src, children)?;
                pieces.push(HtmlMarkup {
                    open: before + &src[start.clone()] + &o,
                    close: c + end,
                    children: ch,
                    atomic: false,
                });
            }
            Role::Strike => {
                // Its tags are the two `~~` of the message, each a piece
                // of its own, around the pieces within.
                let (o, ch, c, inner_text) = content(src, children)?;
                text |= inner_text;
                pieces.push(HtmlMarkup {
                    open: before + &src[start.clone()] + &o,
                    atomic: true,
                    ..HtmlMarkup::default()
                });
                pieces.extend(ch);
                pieces.push(HtmlMarkup { open: c + end, atomic: true, ..HtmlMarkup::default() });
            }
            Role::Wrapper => {
                // Around one piece of markup, it goes with it.
                let (o, mut ch, c, inner_text) = content(src, children)?;
                if inner_text || ch.len() != 1 {
                    return None;
                }
                let mut piece = ch.pop()?;
                piece.open = before + &src[start.clone()] + &o + &piece.open;
                piece.close = piece.close + &c + end;
                pieces.push(piece);
            }
            Role::Empty => {}
        }
    }
    Some((open, pieces, pending + &close, text))
}

/// The markup of the content of a block's element, at `range`.
fn markup(src: &str, tokens: &[Token], range: &Range<usize>) -> Option<HtmlMarkup> {
    let text = &src[range.clone()];
    let lead = text.len() - text.trim_ascii_start().len();
    let trail = text.len() - text.trim_ascii_end().len();
    let inner = range.start + lead..(range.end - trail).max(range.start + lead);
    let nodes = tree(tokens, &inner)?;
    let (open, children, close, _) = content(src, &nodes)?;
    Some(HtmlMarkup {
        open: src[range.start..inner.start].to_string() + &open,
        close: close + &src[inner.end..range.end],
        children,
        atomic: false,
    })
}

/// The names of a start tag's attributes as written (`tag` from its `<`),
/// in ASCII lowercase.
pub(super) fn attribute_order(tag: &str) -> Vec<String> {
    let name_end = tag.find(|c: char| c.is_ascii_whitespace() || matches!(c, '>' | '/'));
    let attrs = name_end.map_or("", |at| &tag[at..]);
    attribute_names(attrs).into_iter().map(|n| n.to_ascii_lowercase()).collect()
}

/// Where a page's `<title>` shows its headline, whose text is `headline`:
/// the title's whole text, or the part of it before or after a separator
/// (`Headline | Site`, `Site &#8211; Headline`), compared with white space
/// folded and case ignored.
pub(super) fn title_part(
    src: &str,
    positions: &Positions,
    title: ElementRef<'_>,
    headline: &str,
) -> Option<Range<usize>> {
    /// A title longer than this is no headline and a site's name.
    const LONGEST: usize = 1000;
    let key = |text: &str| {
        let mut out = String::new();
        decode(text, &mut out);
        folded(&out).to_lowercase()
    };
    let want = folded(headline).to_lowercase();
    let content = content_range(&positions.tokens, positions.token_of(title)?, positions.src_len)?;
    let text = &src[content.clone()];
    let lead = text.len() - text.trim_ascii_start().len();
    let inner = content.start + lead..content.end - (text.len() - text.trim_ascii_end().len());
    let text = src.get(inner.clone())?;
    if want.is_empty() || text.len() > LONGEST {
        return None;
    }
    if key(text) == want {
        return Some(inner);
    }
    let separator = |rest: &str| key(rest).starts_with(|c: char| "|-–—·:/•»«~".contains(c));
    let mut ends = text.char_indices().map(|(i, _)| i).skip(1);
    if let Some(end) = ends.find(|&i| key(&text[..i]) == want && separator(&text[i..])) {
        let part = text[..end].trim_ascii_end();
        return Some(inner.start..inner.start + part.len());
    }
    let mut starts = text.char_indices().map(|(i, _)| i).skip(1).collect::<Vec<_>>();
    starts.reverse();
    let start = starts.into_iter().find(|&i| {
        key(&text[i..]) == want && key(&text[..i]).ends_with(|c: char| "|-–—·:/•»«~".contains(c))
    })?;
    let part = text[start..].trim_ascii_start();
    Some(inner.end - part.len()..inner.end)
}

/// The names of a start tag's attributes, from its attributes as written
/// (after its name, to its `>`).
fn attribute_names(attrs: &str) -> Vec<String> {
    attributes(attrs).0.into_iter().map(|(name, _)| name).collect()
}

/// A start tag's attributes as written (to its `>`), `lang` and `dir` left
/// out.
fn without_lang_dir(attrs: &str) -> String {
    let (list, rest) = attributes(attrs);
    let mut out = String::new();
    for (name, range) in list {
        if !name.eq_ignore_ascii_case("lang") && !name.eq_ignore_ascii_case("dir") {
            out.push_str(&attrs[range]);
        }
    }
    out.push_str(&attrs[rest..]);
    out
}

/// Each attribute of a start tag (from after its name): its name, and its
/// range with the white space before it; and where the rest (`>`) starts.
fn attributes(attrs: &str) -> (Vec<(String, Range<usize>)>, usize) {
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let rest = &attrs[at..];
        let ws = rest.len() - rest.trim_start().len();
        let tail = &rest[ws..];
        let name_len = tail
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(tail.len());
        if name_len == 0 {
            return (out, at);
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
        out.push((name.to_string(), at..at + ws + end));
        at += ws + end;
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

    #[test]
    fn every_character_reference_is_decoded() {
        let mut out = String::new();
        decode("caf&eacute; &mdash; &#233;&#xE9; &amp &unknown; x", &mut out);
        assert_eq!(out, "café — éé & &unknown; x");
    }
}
