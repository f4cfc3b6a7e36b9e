//! Inline markup as translators see it: a small, readable subset of Markdown.
//!
//! A segment's text is Markdown inline syntax: `*emphasis*`, `**strong**`,
//! `` `code` ``, `[text](href)`, and `\` before a newline for a hard break.
//! Characters that would start markup are backslash-escaped. That is what goes
//! into `.ftl` files and to translation providers, and what [`parse_markdown`]
//! turns back into [`Inline`]s. What would start a block at the start of a
//! line (`1. `, `# `, `- `) is not escaped there: a message is inline content
//! wherever it starts, and [`parse_markdown`] reads it so. A writer that puts
//! the text where a line start does start a block (a paragraph, a list item)
//! escapes it with [`escape_block_starts`].
//!
//! An image is `![alt](src "title")`, [`Inline::Image`]: its alternative text
//! and title are translated, its source is kept. A reference image is
//! `![alt][label]`, [`Inline::RefImage`]: its alternative text is translated,
//! its label is kept.
//!
//! Markup diglot keeps but does not translate (inline HTML tags,
//! autolinks, footnote references `[^1]`, Hugo and Zola shortcodes)
//! is written as in the source and parses back as [`Inline::Raw`]. Renderers publish a raw piece
//! only when the segment's source has the same one (see [`raw_pieces`]), so a
//! translation cannot inject tags or shortcodes of its own.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// The destination given to unresolved references while parsing, to tell
/// them from links: not a URL anyone writes.
const REFERENCE_MARK: &str = "\u{0}reference";

use crate::Inline;

/// The text of inline content without markup. A hard break is a newline.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => push_plain(c, out),
            Inline::Break => out.push('\n'),
            Inline::Raw(_) | Inline::Image { .. } | Inline::RefImage { .. } => {}
        }
    }
}

/// The text a translator translates in inline content: its [`plain_text`]
/// and each image's alternative text and title, in order, separated by
/// spaces.
pub fn translatable_text(inlines: &[Inline]) -> String {
    fn walk(inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Image { alt, title, .. } => {
                    for part in [alt, title] {
                        out.push(' ');
                        out.push_str(part);
                    }
                    out.push(' ');
                }
                Inline::RefImage { alt, .. } => {
                    out.push(' ');
                    out.push_str(alt);
                    out.push(' ');
                }
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Link { children: c, .. }
                | Inline::RefLink { children: c, .. } => walk(c, out),
                other => push_plain(std::slice::from_ref(other), out),
            }
        }
    }
    let mut out = String::new();
    walk(inlines, &mut out);
    out
}

/// Whether an image has words to translate: letters in its alternative
/// text or title.
pub(crate) fn image_has_text(alt: &str, title: &str) -> bool {
    alt.chars().chain(title.chars()).any(char::is_alphabetic)
}

/// Whether a segment has nothing to translate: its text has no letter
/// (`2024`, `3.5%`, `—`), only digits, punctuation and symbols. Such a
/// segment is no message of any locale file and is published as written in
/// every edition.
pub fn is_verbatim(markdown: &str) -> bool {
    verbatim_as_written(markdown).unwrap_or_else(|| verbatim_as_parsed(markdown))
}

/// [`is_verbatim`] without parsing, for most sentences: text with none of
/// the characters that start inline markup, an entity or a raw piece, whose
/// letters are then those of its plain text; and text with a letter before
/// the first of them, which is plain text (a block start is escaped, so a
/// sentence that begins with a letter begins a paragraph's text). `None`
/// for other text.
fn verbatim_as_written(markdown: &str) -> Option<bool> {
    if markdown.starts_with(char::is_whitespace) {
        return None;
    }
    let markup = markdown.bytes().position(|b| {
        matches!(
            b,
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'&' | b'{' | b'~' | b'\n' | b'\r'
        )
    });
    match markup {
        None => Some(!markdown.chars().any(char::is_alphabetic)),
        Some(at) => markdown[..at].chars().any(char::is_alphabetic).then_some(false),
    }
}

fn verbatim_as_parsed(markdown: &str) -> bool {
    // Most segments have letters outside any image: no second walk.
    let inlines = parse_markdown(markdown);
    !plain_text(&inlines).chars().any(char::is_alphabetic)
        && !translatable_text(&inlines).chars().any(char::is_alphabetic)
}

/// Whether inline content holds no text to translate: raw pieces, images
/// without words in their alternative text or title, white space, and
/// markup (a link, emphasis) around nothing else.
pub fn raw_pieces_only(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Raw(_) => true,
        Inline::Image { alt, title, .. } => !image_has_text(alt, title),
        Inline::RefImage { alt, .. } => !image_has_text(alt, ""),
        Inline::Text(t) => t.trim().is_empty(),
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Link { children: c, .. }
        | Inline::RefLink { children: c, .. } => raw_pieces_only(c),
        Inline::Code(_) | Inline::Break => false,
    })
}

/// A title's inline content with each HTML tag that is text rather than
/// markup shown as written: one that opens an element (not a void one like
/// `<br>`) that the title never closes, as in `Tips & more <fun>`. A page
/// title has no markup, and a browser would show such a tag as nothing.
pub fn title_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    fn raws<'a>(inlines: &'a [Inline], out: &mut Vec<&'a str>) {
        for inline in inlines {
            match inline {
                Inline::Raw(r) => out.push(r),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Link { children: c, .. }
                | Inline::RefLink { children: c, .. } => raws(c, out),
                _ => {}
            }
        }
    }
    fn name(tag: &str) -> Option<String> {
        let rest = tag.strip_prefix('<')?.strip_suffix('>')?;
        let name: String =
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let after = &rest[name.len()..];
        let plain = after.is_empty() || after.starts_with(|c: char| c.is_ascii_whitespace());
        (name.starts_with(|c: char| c.is_ascii_alphabetic()) && plain && !rest.ends_with('/'))
            .then(|| name.to_ascii_lowercase())
    }
    fn text_tags(inlines: Vec<Inline>, lone: &[String]) -> Vec<Inline> {
        inlines
            .into_iter()
            .map(|inline| match inline {
                Inline::Raw(r) if lone.contains(&r) => Inline::Text(r),
                Inline::Emphasis(c) => Inline::Emphasis(text_tags(c, lone)),
                Inline::Strong(c) => Inline::Strong(text_tags(c, lone)),
                Inline::Link { href, title, children } => {
                    Inline::Link { href, title, children: text_tags(children, lone) }
                }
                Inline::RefLink { label, children } => {
                    Inline::RefLink { label, children: text_tags(children, lone) }
                }
                other => other,
            })
            .collect()
    }
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let mut all = Vec::new();
    raws(&inlines, &mut all);
    let lone: Vec<String> = all
        .iter()
        .filter(|r| {
            name(r).is_some_and(|n| {
                !VOID.contains(&n.as_str())
                    && !all.iter().any(|c| {
                        c.strip_prefix("</")
                            .and_then(|c| c.strip_suffix('>'))
                            .is_some_and(|c| c.trim().eq_ignore_ascii_case(&n))
                    })
            })
        })
        .map(|r| r.to_string())
        .collect();
    if lone.is_empty() { inlines } else { text_tags(inlines, &lone) }
}

/// The plain text of a Markdown inline string.
pub fn plain_text_of_markdown(markdown: &str) -> String {
    plain_text(&parse_markdown(markdown))
}

/// How many words (runs of non-white-space) the plain text of a Markdown
/// inline string has. Text with none of the characters that start inline
/// markup or change white space is counted as it is, without parsing.
pub fn words_of_markdown(markdown: &str) -> usize {
    let markup = markdown.starts_with(char::is_whitespace)
        || markdown.bytes().any(|b| {
            matches!(b, b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'&' | b'\n' | b'\r')
        });
    if markup {
        plain_text_of_markdown(markdown).split_whitespace().count()
    } else {
        markdown.split_whitespace().count()
    }
}

/// Writes inline content as Markdown inline syntax, without block-start
/// escapes (see the module's documentation).
pub fn to_markdown(inlines: &[Inline]) -> String {
    let style = InlineStyle::default();
    let write = |edge: EdgeMarkup| {
        let mut out = String::new();
        let writer = Writer { style: &style, edge, ..Writer::default() };
        write_markdown(inlines, &writer, &mut out);
        (out, writer.edge_switched.get())
    };
    let (out, switched) = write(EdgeMarkup::OuterUnderscore);
    // `_` around emphasis with emphasis at its edge cannot open or close
    // inside a word (`wi_h`): then the `_` goes to the nested markup, or
    // the `*` stay, whichever reads back.
    if switched && parse_markdown(&out) != inlines {
        for edge in [EdgeMarkup::InnerUnderscore, EdgeMarkup::Stars] {
            let (other, _) = write(edge);
            if parse_markdown(&other) == inlines {
                return other;
            }
        }
    }
    out
}

/// The delimiters a source block writes its markup with, so that its
/// translation is written the same way: `_em_` and `__strong__` rather than
/// `*em*` and `**strong**`, a hard break as two spaces rather than `\`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InlineStyle {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub underscore_emphasis: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub underscore_strong: bool,
    /// For each hard break of the block in order, whether it is written as
    /// two spaces (else `\`); breaks past the list follow its last entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub space_breaks: Vec<bool>,
    /// For each hard break of the block in order, the HTML tag it is
    /// written as (`<br>`, `<BR/>`), or empty for a Markdown break; breaks
    /// past the list follow its last entry. Empty when no break is a tag.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub html_breaks: Vec<String>,
    /// The labels of the block's references written as shortcuts
    /// (`[label]`, `![label]`), as the source writes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shortcut_refs: Vec<String>,
    /// The labels of the block's references written collapsed
    /// (`[label][]`, `![label][]`), as the source writes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collapsed_refs: Vec<String>,
}

impl InlineStyle {
    pub(crate) fn is_default(&self) -> bool {
        !self.underscore_emphasis
            && !self.underscore_strong
            && !self.space_breaks.iter().any(|s| *s)
            && self.html_breaks.iter().all(String::is_empty)
            && self.shortcut_refs.is_empty()
            && self.collapsed_refs.is_empty()
    }

    /// How a reference to `label` whose text is written `text` closes:
    /// `]` for a shortcut, `][]` for a collapsed reference, when the source
    /// writes that label so and the text is the label as written; else the
    /// full `][label]`.
    fn reference_end(&self, text: &str, label: &str) -> String {
        if text == label {
            if self.shortcut_refs.iter().any(|l| l == label) {
                return "]".into();
            }
            if self.collapsed_refs.iter().any(|l| l == label) {
                return "][]".into();
            }
        }
        format!("][{label}]")
    }

    fn html_break(&self, n: usize) -> &str {
        self.html_breaks.get(n).or(self.html_breaks.last()).map_or("", String::as_str)
    }

    fn space_break(&self, n: usize) -> bool {
        self.space_breaks.get(n).or(self.space_breaks.last()).copied().unwrap_or(false)
    }
}

/// Like [`to_markdown`], with `style`'s delimiters where they read back as
/// the same markup (`_` cannot emphasize inside a word); elsewhere, or if
/// the whole does not read back the same, as [`to_markdown`] writes it.
/// `breaks_before` counts the block's hard breaks in earlier segments.
pub fn to_markdown_styled(inlines: &[Inline], style: &InlineStyle, breaks_before: usize) -> String {
    let plain = to_markdown(inlines);
    if style.is_default() {
        return plain;
    }
    let mut out = String::new();
    let writer =
        Writer { style, next_break: std::cell::Cell::new(breaks_before), ..Writer::default() };
    write_markdown(inlines, &writer, &mut out);
    let read = |markdown: &str| tag_breaks_as_breaks(parse_markdown(markdown));
    if read(&out) == read(&plain) { out } else { plain }
}

/// `<br>`, `<br/>`, `<br />`, any case: an HTML line break.
pub fn is_br(html: &str) -> bool {
    let tag = html.trim().to_ascii_lowercase();
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
    inner == "br"
}

/// Inline content with each `<br>` tag read as the hard break it is.
fn tag_breaks_as_breaks(inlines: Vec<Inline>) -> Vec<Inline> {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::Raw(raw) if is_br(&raw) => Inline::Break,
            Inline::Emphasis(c) => Inline::Emphasis(tag_breaks_as_breaks(c)),
            Inline::Strong(c) => Inline::Strong(tag_breaks_as_breaks(c)),
            Inline::Link { href, title, children } => {
                Inline::Link { href, title, children: tag_breaks_as_breaks(children) }
            }
            Inline::RefLink { label, children } => {
                Inline::RefLink { label, children: tag_breaks_as_breaks(children) }
            }
            other => other,
        })
        .collect()
}

/// How many hard breaks inline content holds.
pub fn count_breaks(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Break => 1,
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => count_breaks(c),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Raw(_)
            | Inline::Image { .. }
            | Inline::RefImage { .. } => 0,
        })
        .sum()
}

struct Writer<'a> {
    style: &'a InlineStyle,
    next_break: std::cell::Cell<usize>,
    /// How emphasis with `*` markup at its edge is written.
    edge: EdgeMarkup,
    /// Whether emphasis was written with `_` for markup at its edge.
    edge_switched: std::cell::Cell<bool>,
}

/// How emphasis is written when nested markup at its edge starts or ends
/// with `*`, which a `*` marker would join.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EdgeMarkup {
    /// `_` around: `_*t*t_`.
    OuterUnderscore,
    /// `*` around, `_` for the nested markup: `*_t_t*`.
    InnerUnderscore,
    /// `*` for both, which reads back where the delimiter runs' flanking
    /// allows it: `*x **b***c`.
    Stars,
}

impl Default for Writer<'_> {
    fn default() -> Self {
        const DEFAULT: &InlineStyle = &InlineStyle {
            underscore_emphasis: false,
            underscore_strong: false,
            space_breaks: Vec::new(),
            html_breaks: Vec::new(),
            shortcut_refs: Vec::new(),
            collapsed_refs: Vec::new(),
        };
        Writer {
            style: DEFAULT,
            next_break: Default::default(),
            edge: EdgeMarkup::OuterUnderscore,
            edge_switched: Default::default(),
        }
    }
}

fn write_markdown(inlines: &[Inline], writer: &Writer<'_>, out: &mut String) {
    let style = writer.style;
    for inline in inlines {
        match inline {
            Inline::Text(t) => escape_text(t, out),
            Inline::Emphasis(c) => {
                wrap(c, if style.underscore_emphasis { "_" } else { "*" }, writer, out)
            }
            Inline::Strong(c) => {
                wrap(c, if style.underscore_strong { "__" } else { "**" }, writer, out)
            }
            Inline::Code(code) => {
                let longest = longest_run(code, '`');
                let fence = "`".repeat(longest + 1);
                // A reader strips one space from each end of a code span
                // that has one at both (and is not all spaces): pad it.
                let pad = code.starts_with('`')
                    || code.ends_with('`')
                    || (code.starts_with(' ') && code.ends_with(' ') && code.trim() != "");
                out.push_str(&fence);
                if pad {
                    out.push(' ');
                }
                out.push_str(code);
                if pad {
                    out.push(' ');
                }
                out.push_str(&fence);
            }
            Inline::Link { href, title, children } => {
                out.push('[');
                write_markdown(children, writer, out);
                out.push_str("](");
                write_destination(href, title, out);
            }
            Inline::Image { src, title, alt } => {
                out.push_str("![");
                // Alternative text is plain text: a line break in it would
                // end the image's line in a table cell or a heading.
                escape_text(&alt.replace(['\n', '\r'], " "), out);
                out.push_str("](");
                write_destination(src, title, out);
            }
            Inline::RefImage { label, alt } => {
                out.push_str("![");
                let mut text = String::new();
                escape_text(&alt.replace(['\n', '\r'], " "), &mut text);
                out.push_str(&text);
                out.push_str(&style.reference_end(&text, label));
            }
            Inline::RefLink { label, children } => {
                out.push('[');
                let mut text = String::new();
                write_markdown(children, writer, &mut text);
                out.push_str(&text);
                out.push_str(&style.reference_end(&text, label));
            }
            Inline::Break => {
                let n = writer.next_break.get();
                writer.next_break.set(n + 1);
                match style.html_break(n) {
                    "" => out.push_str(if style.space_break(n) { "  \n" } else { "\\\n" }),
                    tag => out.push_str(tag),
                }
            }
            Inline::Raw(raw) => out.push_str(raw),
        }
    }
}

/// A link's or an image's destination and title, and the closing `)`.
fn write_destination(href: &str, title: &str, out: &mut String) {
    if href.is_empty() || href.contains([' ', '(', ')', '<', '>', '\\']) {
        // Backslash escapes keep the target as it is (percent
        // encoding would change it once, then not again).
        out.push('<');
        for c in href.chars() {
            if matches!(c, '<' | '>' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('>');
    } else {
        out.push_str(href);
    }
    if !title.is_empty() {
        out.push_str(" \"");
        out.push_str(&title.replace('"', "\\\""));
        out.push('"');
    }
    out.push(')');
}

/// Emphasis must hug its text to parse back as emphasis, so white space at
/// its edges moves outside the markers.
fn wrap(children: &[Inline], marker: &str, writer: &Writer<'_>, out: &mut String) {
    let first_break = writer.next_break.get();
    let mut inner = String::new();
    write_markdown(children, writer, &mut inner);
    let trimmed = inner.trim();
    if trimmed.is_empty() {
        out.push_str(&inner);
        return;
    }
    // `*` next to a `*` of nested markup would join its run (`**t*t*`
    // reads as text, then emphasis): use `_` there, or for the nested markup.
    // Except emphasis around strong, the whole of it: `***t***` reads back
    // as emphasis around strong, and is how authors write it.
    let whole_strong = matches!(children, [Inline::Strong(_)])
        && inner.len() > 4
        && inner.starts_with("**")
        && inner.ends_with("**")
        && !inner.starts_with("***")
        && !inner.ends_with("***");
    let edge =
        marker == "*" && !whole_strong && (trimmed.starts_with('*') || trimmed.ends_with('*'));
    if edge && writer.edge == EdgeMarkup::InnerUnderscore {
        let style = InlineStyle {
            underscore_emphasis: true,
            underscore_strong: true,
            ..writer.style.clone()
        };
        let nested = Writer {
            style: &style,
            next_break: std::cell::Cell::new(first_break),
            ..Writer::default()
        };
        inner.clear();
        write_markdown(children, &nested, &mut inner);
        writer.next_break.set(nested.next_break.get());
    }
    let trimmed = inner.trim();
    let lead = &inner[..inner.len() - inner.trim_start().len()];
    let trail = &inner[inner.trim_end().len()..];
    let marker = if edge && writer.edge == EdgeMarkup::OuterUnderscore {
        writer.edge_switched.set(true);
        "_"
    } else {
        marker
    };
    out.push_str(lead);
    out.push_str(marker);
    out.push_str(trimmed);
    out.push_str(marker);
    out.push_str(trail);
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for ch in s.chars() {
        cur = if ch == c { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

fn escape_text(text: &str, out: &mut String) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
            }
            // `~~` is strikethrough (a raw piece): text keeps its tildes.
            '~' if matches!(chars.peek(), Some((_, '~'))) => out.push_str("\\~"),
            '&' if looks_like_entity(&text[i + 1..]) => out.push_str("\\&"),
            '!' if matches!(chars.peek(), Some((_, '['))) => out.push_str("\\!"),
            // Shortcode syntax in text is text: `{\{` is no shortcode to
            // Hugo or Zola, and Markdown shows it as `{{`.
            '{' if matches!(chars.peek(), Some((_, '{' | '%'))) => out.push_str("{\\"),
            _ => out.push(c),
        }
    }
}

fn looks_like_entity(rest: &str) -> bool {
    let name: String =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '#').collect();
    !name.is_empty() && rest[name.len()..].starts_with(';')
}

/// Escapes what would make a line start a block (a heading, a list item, a
/// quote) instead of continuing the sentence: for text written where a line
/// start begins a block (a paragraph, a list item; not an ATX heading or a
/// table cell). Idempotent.
pub fn escape_block_starts(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for (n, line) in markdown.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start().len();
        let (lead, body) = line.split_at(indent);
        out.push_str(lead);
        out.push_str(&escape_line_start(body));
    }
    out
}

fn escape_line_start(body: &str) -> String {
    let first = body.chars().next();
    let second = body.chars().nth(1);
    // Any white space, not only the space and tab a reader takes after a
    // marker: a translation or a provider may turn it into a space.
    let blank_after = |c: Option<char>| c.is_none_or(char::is_whitespace);
    match first {
        Some('#') => {
            let hashes = body.chars().take_while(|&c| c == '#').count();
            if hashes <= 6 && blank_after(body.chars().nth(hashes)) {
                return format!("\\{body}");
            }
        }
        Some('>') => return format!("\\{body}"),
        Some('-' | '+' | '*' | '=')
            if blank_after(second) || body.chars().all(|c| c == first.unwrap() || c == ' ') =>
        {
            return format!("\\{body}");
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = body.chars().take_while(|c| c.is_ascii_digit()).count();
            let mut rest = body[digits..].chars();
            if digits <= 9 && matches!(rest.next(), Some('.' | ')')) && blank_after(rest.next()) {
                return format!("{}\\{}", &body[..digits], &body[digits..]);
            }
        }
        _ => {}
    }
    body.to_string()
}

/// Parses Markdown inline syntax into inline content. Block syntax is not
/// recognised (a leading `1. ` stays text) and raw HTML stays literal text.
pub fn parse_markdown(markdown: &str) -> Vec<Inline> {
    let escaped = escape_block_starts(markdown);
    let mut stack: Vec<(Option<Inline>, Vec<Inline>)> = vec![(None, Vec::new())];
    // Inside an image or an autolink, whose content is no inline content.
    let mut image = 0usize;
    // The image being read, collecting its alternative text; `None` inside
    // a raw piece (an image whose reference is not a label, an autolink).
    let mut alt: Option<Inline> = None;
    // A reference whose definition is elsewhere in the article: keep its label.
    // (`[^1]` is a footnote reference, a raw piece.)
    let mut references = |link: pulldown_cmark::BrokenLink<'_>| {
        (!link.reference.starts_with('^'))
            .then(|| (REFERENCE_MARK.into(), link.reference.into_static()))
    };
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_with_broken_link_callback(&escaped, Options::empty(), Some(&mut references))
            .into_offset_iter()
            .collect();
    let raws = raw_text_ranges(&escaped, &events);
    for (event, range) in events {
        if image > 0 {
            match event {
                Event::Start(Tag::Image { .. } | Tag::Link { .. }) => image += 1,
                Event::End(TagEnd::Image | TagEnd::Link) => image -= 1,
                Event::Text(t) | Event::Code(t) => push_alt(&mut alt, &t),
                Event::SoftBreak | Event::HardBreak => push_alt(&mut alt, " "),
                _ => {}
            }
            if image == 0
                && let Some(done) = alt.take()
            {
                push(&mut stack.last_mut().expect("root stays").1, done);
            }
            continue;
        }
        match event {
            Event::Start(Tag::Image { link_type: LinkType::Inline, dest_url, title, .. }) => {
                image = 1;
                alt = Some(Inline::Image {
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                });
            }
            Event::Start(Tag::Image { dest_url, title, .. }) if *dest_url == *REFERENCE_MARK => {
                image = 1;
                alt = Some(Inline::RefImage { label: title.to_string(), alt: String::new() });
            }
            Event::Start(
                Tag::Image { .. }
                | Tag::Link { link_type: LinkType::Autolink | LinkType::Email, .. },
            ) => {
                image = 1;
                push(
                    &mut stack.last_mut().expect("root stays").1,
                    Inline::Raw(escaped[range].to_string()),
                );
            }
            Event::InlineHtml(_) if within_raw(&raws, &range) => {}
            Event::InlineHtml(html) => {
                push(&mut stack.last_mut().expect("root stays").1, Inline::Raw(html.to_string()))
            }
            Event::Start(tag) => {
                let container = match tag {
                    Tag::Emphasis => Some(Inline::Emphasis(Vec::new())),
                    Tag::Strong => Some(Inline::Strong(Vec::new())),
                    Tag::Link { dest_url, title, .. } if *dest_url == *REFERENCE_MARK => {
                        Some(Inline::RefLink { label: title.to_string(), children: Vec::new() })
                    }
                    Tag::Link { dest_url, title, .. } => Some(Inline::Link {
                        href: dest_url.to_string(),
                        title: title.to_string(),
                        children: Vec::new(),
                    }),
                    _ => None,
                };
                if container.is_some() {
                    stack.push((container, Vec::new()));
                }
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) if stack.len() > 1 => {
                let (container, children) = stack.pop().expect("checked length");
                let inline = match container.expect("only containers are pushed") {
                    Inline::Emphasis(_) => Inline::Emphasis(children),
                    Inline::Strong(_) => Inline::Strong(children),
                    Inline::Link { href, title, .. } => Inline::Link { href, title, children },
                    Inline::RefLink { label, .. } => Inline::RefLink { label, children },
                    other => other,
                };
                push(&mut stack.last_mut().expect("root stays").1, inline);
            }
            Event::End(TagEnd::Paragraph) => {}
            Event::End(_) => {}
            Event::Text(t) if !raws.is_empty() => {
                let top = &mut stack.last_mut().expect("root stays").1;
                split_text_event(&escaped, &t, &range, &raws, |inline| push(top, inline));
            }
            Event::Text(t) | Event::Html(t) => {
                push(&mut stack.last_mut().expect("root stays").1, Inline::Text(t.to_string()))
            }
            Event::Code(t) => {
                push(&mut stack.last_mut().expect("root stays").1, Inline::Code(t.to_string()))
            }
            Event::SoftBreak => {
                push(&mut stack.last_mut().expect("root stays").1, Inline::Text(" ".into()))
            }
            Event::HardBreak => push(&mut stack.last_mut().expect("root stays").1, Inline::Break),
            _ => {}
        }
    }
    // Unclosed containers cannot happen with pulldown-cmark, but fold them in
    // rather than lose text.
    while stack.len() > 1 {
        let (_, children) = stack.pop().expect("checked length");
        for c in children {
            push(&mut stack.last_mut().expect("root stays").1, c);
        }
    }
    stack.pop().map(|(_, c)| c).unwrap_or_default()
}

/// Adds text to the alternative text of the image being read.
pub fn push_alt(image: &mut Option<Inline>, text: &str) {
    if let Some(Inline::Image { alt, .. } | Inline::RefImage { alt, .. }) = image {
        alt.push_str(text);
    }
}

/// Byte ranges of shortcodes (Hugo `{{< … >}}`, `{{% … %}}`; Zola
/// `{{ … }}`, `{% … %}`), footnote references (`[^label]`) and
/// strikethrough delimiters (`~~`) in Markdown source, each on one line and
/// not escaped with a backslash.
pub(crate) fn raw_ranges(text: &str) -> Vec<Range<usize>> {
    // Longest opener first: `{{<` before `{{`.
    const PAIRS: [(&str, &str); 5] =
        [("{{<", ">}}"), ("{{%", "%}}"), ("{{", "}}"), ("{%", "%}"), ("[^", "]")];
    // A piece closes on its own line, and within this many bytes.
    const MAX_LEN: usize = 1000;
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let b = bytes[pos];
        if b == b'~' && is_strike_delimiter(bytes, pos) {
            out.push(pos..pos + 2);
            pos += 2;
            continue;
        }
        if (b != b'{' && b != b'[') || (pos > 0 && bytes[pos - 1] == b'\\') {
            pos += 1;
            continue;
        }
        let rest = &text[pos..];
        let mut end = rest.find('\n').unwrap_or(rest.len()).min(MAX_LEN);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let line = &rest[..end];
        let found = PAIRS.iter().find_map(|(open, close)| {
            let inner_and_close = line.strip_prefix(open)?;
            let end = inner_and_close.find(close)?;
            let inner = &inner_and_close[..end];
            let ok = *open != "[^" || (!inner.is_empty() && !inner.contains(char::is_whitespace));
            ok.then_some(open.len() + end + close.len())
        });
        match found {
            Some(len) => {
                out.push(pos..pos + len);
                pos += len;
            }
            None => pos += 1,
        }
    }
    out
}

/// `~~` at `pos`, alone (no third `~` either side) and not escaped: the
/// delimiter of a strikethrough, which messages carry as a raw piece.
fn is_strike_delimiter(bytes: &[u8], pos: usize) -> bool {
    bytes.get(pos + 1) == Some(&b'~')
        && bytes.get(pos + 2) != Some(&b'~')
        && (pos == 0 || !matches!(bytes[pos - 1], b'~' | b'\\'))
}

/// The [`raw_ranges`] of `source` that lie wholly in text events whose text
/// is their source unchanged (no escapes, no entities), in order.
pub fn raw_text_ranges(source: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<Range<usize>> {
    let mut ranges = raw_ranges(source);
    if ranges.is_empty() {
        return ranges;
    }
    // Leaf events come in source order; markup boundaries are any order.
    let mut leaves: Vec<(Leaf, Range<usize>)> = Vec::new();
    let mut boundaries: Vec<usize> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(_) | Event::End(_) => boundaries.extend([range.start, range.end]),
            Event::Text(t) if **t == source[range.clone()] => {
                leaves.push((Leaf::Plain, range.clone()))
            }
            // `{{<note>}}`: a Hugo shortcode holds what reads as a tag.
            Event::InlineHtml(_) => leaves.push((Leaf::Tag, range.clone())),
            _ => leaves.push((Leaf::Other, range.clone())),
        }
    }
    boundaries.sort_unstable();
    leaves.sort_by_key(|(_, r)| r.start);
    ranges.retain(|raw| {
        // No markup may start or end inside the piece...
        let b = boundaries.partition_point(|&p| p <= raw.start);
        if boundaries.get(b).is_some_and(|&p| p < raw.end) {
            return false;
        }
        // ...which unescaped text covers, end to end.
        let mut covered = raw.start;
        let first = leaves.partition_point(|(_, r)| r.end <= raw.start);
        let shortcode = source[raw.clone()].starts_with("{{<");
        for (leaf, range) in leaves[first..].iter().take_while(|(_, r)| r.start < raw.end) {
            let whole = match leaf {
                Leaf::Plain => true,
                Leaf::Tag => shortcode && range.start > raw.start && range.end < raw.end,
                Leaf::Other => false,
            };
            if !whole || range.start > covered {
                return false;
            }
            covered = covered.max(range.end);
        }
        covered >= raw.end
    });
    ranges
}

/// A leaf event under a raw range: text as written, an inline tag, or
/// anything else (escaped text, code, a break), which a raw piece cannot
/// hold.
enum Leaf {
    Plain,
    Tag,
    Other,
}

/// Whether `range` (an event's) lies within one of `raws`, sorted: an
/// inline tag inside a shortcode (`{{<note>}}`), which the raw piece holds.
pub fn within_raw(raws: &[Range<usize>], range: &Range<usize>) -> bool {
    let i = raws.partition_point(|r| r.end <= range.start);
    raws.get(i).is_some_and(|r| r.start <= range.start && range.end <= r.end)
}

/// Splits a text event at the raw ranges it overlaps: text outside them
/// stays text, each range starting in it becomes one [`Inline::Raw`].
pub fn split_text_event(
    source: &str,
    text: &str,
    range: &Range<usize>,
    raws: &[Range<usize>],
    mut emit: impl FnMut(Inline),
) {
    let first = raws.partition_point(|r| r.end <= range.start);
    let overlapping = raws[first..].iter().take_while(|r| r.start < range.end);
    let mut cur = range.start;
    let mut any = false;
    for raw in overlapping {
        any = true;
        if raw.start > cur {
            emit(Inline::Text(source[cur..raw.start].to_string()));
        }
        if raw.start >= range.start {
            emit(Inline::Raw(source[raw.clone()].to_string()));
        }
        cur = raw.end.min(range.end).max(cur);
    }
    if !any {
        emit(Inline::Text(text.to_string()));
    } else if cur < range.end {
        emit(Inline::Text(source[cur..range.end].to_string()));
    }
}

/// An image's parts, when `raw` is a Markdown image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageParts {
    pub src: String,
    pub title: String,
    /// The alternative text, without markup.
    pub alt: String,
}

/// Reads a raw piece that is a Markdown image (`![alt](src "title")`).
pub fn image_parts(raw: &str) -> Option<ImageParts> {
    if !raw.starts_with("![") {
        return None;
    }
    let mut parts: Option<ImageParts> = None;
    let mut depth = 0usize;
    for event in Parser::new(raw) {
        match event {
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                depth += 1;
                if parts.is_none() {
                    parts = Some(ImageParts {
                        src: dest_url.to_string(),
                        title: title.to_string(),
                        alt: String::new(),
                    });
                }
            }
            Event::End(TagEnd::Image) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if depth > 0 => {
                if let Some(p) = parts.as_mut() {
                    p.alt.push_str(&t);
                }
            }
            _ => {}
        }
    }
    parts
}

/// A raw piece as a translation must keep it, to compare with the source's:
/// a shortcode's `text="…"` values are blanked, since they are the words
/// the shortcode shows (Kubernetes' `{{< glossary_tooltip text="cluster"
/// term_id="cluster" >}}`), which a translator translates; its name and
/// every other parameter stay as written. Any other piece is itself.
pub fn raw_key(raw: &str) -> std::borrow::Cow<'_, str> {
    const TEXT: &str = "text=\"";
    let shortcode = raw.starts_with("{{") || raw.starts_with("{%");
    if !shortcode || !raw.contains(TEXT) {
        return raw.into();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find(TEXT) {
        // A parameter of its own (` text="`, `(text="`, `,text="`), not the
        // end of another's name (`alt_text="`).
        let own = rest[..at].ends_with([' ', '\t', '(', ',']);
        let value = at + TEXT.len();
        match rest[value..].find('"') {
            Some(len) if own => {
                out.push_str(&rest[..value]);
                rest = &rest[value + len..];
            }
            _ => {
                out.push_str(&rest[..value]);
                rest = &rest[value..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The raw pieces of a segment's Markdown, which a translation of it may
/// carry: anything else that looks raw in a translation is published as
/// text.
pub fn raw_pieces(markdown: &str) -> Vec<String> {
    fn walk(inlines: &[Inline], out: &mut Vec<String>) {
        for inline in inlines {
            match inline {
                Inline::Raw(r) => out.push(r.clone()),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Link { children: c, .. }
                | Inline::RefLink { children: c, .. } => walk(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&parse_markdown(markdown), &mut out);
    out
}

/// Appends, merging adjacent text runs.
fn push(into: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::Text(prev)), Inline::Text(next)) = (into.last_mut(), &inline) {
        prev.push_str(next);
    } else {
        into.push(inline);
    }
}

/// Splits inline content at character offsets of its [`plain_text`]. Markup
/// that spans a cut is closed before it and reopened after it. Code spans are
/// never cut: a cut inside one moves to its end. Each piece is trimmed of
/// white space at its edges. Returns `cuts.len() + 1` pieces.
pub fn split_at(inlines: &[Inline], cuts: &[usize]) -> Vec<Vec<Inline>> {
    let mut pos = 0;
    let fragments = split_rec(inlines, cuts, &mut pos);
    let mut pieces: Vec<Vec<Inline>> = vec![Vec::new(); cuts.len() + 1];
    for (piece, inline) in fragments {
        push(&mut pieces[piece], inline);
    }
    for piece in &mut pieces {
        trim(piece);
    }
    pieces
}

fn piece_of(cuts: &[usize], pos: usize) -> usize {
    cuts.partition_point(|&c| c <= pos)
}

fn split_rec(inlines: &[Inline], cuts: &[usize], pos: &mut usize) -> Vec<(usize, Inline)> {
    let mut out = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text(t) => {
                let mut run = String::new();
                let mut run_piece = piece_of(cuts, *pos);
                for c in t.chars() {
                    let p = piece_of(cuts, *pos);
                    if p != run_piece && !run.is_empty() {
                        out.push((run_piece, Inline::Text(std::mem::take(&mut run))));
                    }
                    run_piece = p;
                    run.push(c);
                    *pos += 1;
                }
                if !run.is_empty() {
                    out.push((run_piece, Inline::Text(run)));
                }
            }
            Inline::Code(code) => {
                out.push((piece_of(cuts, *pos), inline.clone()));
                *pos += code.chars().count();
            }
            // An image is no text for the sentence scanner: never cut.
            Inline::Raw(_) | Inline::Image { .. } | Inline::RefImage { .. } => {
                out.push((piece_of(cuts, *pos), inline.clone()))
            }
            Inline::Break => {
                out.push((piece_of(cuts, *pos), Inline::Break));
                *pos += 1;
            }
            Inline::Emphasis(children)
            | Inline::Strong(children)
            | Inline::Link { children, .. }
            | Inline::RefLink { children, .. } => {
                let start_piece = piece_of(cuts, *pos);
                let inner = split_rec(children, cuts, pos);
                if inner.is_empty() {
                    out.push((start_piece, inline.clone()));
                    continue;
                }
                let mut groups: Vec<(usize, Vec<Inline>)> = Vec::new();
                for (piece, frag) in inner {
                    match groups.last_mut() {
                        Some((p, items)) if *p == piece => push(items, frag),
                        _ => groups.push((piece, vec![frag])),
                    }
                }
                for (piece, items) in groups {
                    let rebuilt = match inline {
                        Inline::Emphasis(_) => Inline::Emphasis(items),
                        Inline::Strong(_) => Inline::Strong(items),
                        Inline::Link { href, title, .. } => Inline::Link {
                            href: href.clone(),
                            title: title.clone(),
                            children: items,
                        },
                        Inline::RefLink { label, .. } => {
                            Inline::RefLink { label: label.clone(), children: items }
                        }
                        _ => unreachable!("matched containers only"),
                    };
                    out.push((piece, rebuilt));
                }
            }
        }
    }
    out
}

/// Trims white space from both ends of inline content, descending into
/// markup, and drops what becomes empty.
pub fn trim(inlines: &mut Vec<Inline>) {
    trim_edge(inlines, true);
    trim_edge(inlines, false);
}

fn trim_edge(inlines: &mut Vec<Inline>, start: bool) {
    loop {
        let Some(edge) = (if start { inlines.first_mut() } else { inlines.last_mut() }) else {
            return;
        };
        let now_empty = match edge {
            Inline::Text(t) => {
                *t = if start { t.trim_start().to_string() } else { t.trim_end().to_string() };
                t.is_empty()
            }
            Inline::Break => true,
            Inline::Code(_) | Inline::Raw(_) | Inline::Image { .. } | Inline::RefImage { .. } => {
                return;
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => {
                trim_edge(c, start);
                if !c.is_empty() || matches!(edge, Inline::Link { .. } | Inline::RefLink { .. }) {
                    return;
                }
                true
            }
        };
        if !now_empty {
            return;
        }
        if start {
            inlines.remove(0);
        } else {
            inlines.pop();
        }
    }
}

mod json;

#[cfg(test)]
mod tests;
