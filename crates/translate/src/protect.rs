//! Markup and numbers survive machine translation, or the draft is rejected.
//!
//! A segment's text is Markdown inline syntax (see [`diglot_core::inline`]).
//! Machine-translation engines mangle `*`, `` ` `` and `[…](…)`, but every
//! engine diglot talks to has a mode that keeps HTML or XML tags in place. So
//! [`protect`] turns a segment into XML-escaped text (`&amp;`, `&lt;`, `&gt;`
//! only) with these inline tags:
//!
//! - `<em>…</em>`, `<strong>…</strong>` for emphasis and strong emphasis;
//! - `<a id="1">…</a>` for a link: the href and title stay here, in
//!   [`Protected`], keyed by the id, and are never sent to a provider;
//! - `<code id="2"></code>` for a code span: an empty element whose content
//!   stays here. `code` is a real HTML element that Apertium's html
//!   deformatter, DeepL's `tag_handling=xml`, Google's `format=html` and
//!   LibreTranslate's `format=html` all pass through, and engines treat it as
//!   not-to-be-translated. It is written with an explicit end tag, not as
//!   `<code id="2"/>`: an HTML5 parser (Google, LibreTranslate) ignores the
//!   self-closing slash on a non-void element and would read the rest of the
//!   sentence as code. Both forms are accepted back;
//! - an image is `<span id="4">alt</span>`: its alternative text is
//!   translated, its source (a reference image's label) stays here (a `span`, not an `a`, since an image
//!   may be inside a link); an image with no words in its alternative text
//!   or title is one `<code id="4"></code>`;
//! - a title (of a link or an image) is `<span id="5">title</span>` right
//!   after its link or image, translated too;
//! - a link with no text of its own (around an image without words alone)
//!   is one `<code id="3"></code>` too: there is nothing in it to translate;
//! - `<br/>` for a hard break (`<br>` is accepted back, as Apertium writes it).
//!
//! [`restore`] parses what comes back with quick-xml and rebuilds the
//! Markdown; anything it cannot account for (an unknown tag, an id missing or
//! used twice, unbalanced tags, text inside a code placeholder) is a
//! [`Rejection`]. [`check`] compares any draft (machine translation or fuzzy
//! memory match) with its source: same emphasis and code spans, same link
//! targets and image sources, same numbers.

use std::collections::{BTreeMap, BTreeSet};

use diglot_core::Inline;
use diglot_core::inline::{
    parse_markdown, plain_text, raw_key, raw_pieces_only, to_markdown, trim,
};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use serde::Serialize;

use crate::Pair;

mod numbers;

/// A segment made safe for a provider, plus what [`restore`] needs to undo it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// What providers get: escaped text with inline tags.
    pub text: String,
    /// What the ids in `text` stand for.
    slots: BTreeMap<u32, Slot>,
    /// Links with no text in the source (`[](url)`), which may come back
    /// with none.
    empty_links: std::collections::BTreeSet<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Link {
        href: String,
        title: String,
    },
    /// A reference link: its label stays here, like a link's href.
    RefLink {
        label: String,
    },
    Code(String),
    /// Source markup kept verbatim (`Inline::Raw`): travels like code.
    Raw(String),
    /// An image whose alternative text travels as the element's text.
    Image {
        src: String,
    },
    /// A reference image whose alternative text travels as the element's
    /// text; its label stays here.
    RefImage {
        label: String,
    },
    /// The title of the link or image with id `of`.
    Title {
        of: u32,
    },
}

/// What a restored link's or image's title is until its `<span>` is read:
/// the span's id after a character no text holds.
fn title_mark(id: u32) -> String {
    format!("\u{0}{id}")
}

/// Why a draft may not reach a locale file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The translation is not well-formed markup.
    #[error("the translation cannot be read back: {0}")]
    Unparseable(String),
    /// A tag the source did not have.
    #[error("the translation has a tag `<{0}>` that the source does not")]
    UnknownTag(String),
    /// A tag closed out of order, or never closed.
    #[error("unbalanced tags in the translation: {0}")]
    Unbalanced(String),
    /// An id that the source did not have, or on the wrong kind of tag.
    #[error("the translation has `<{tag} id=\"{id}\">`, which the source does not")]
    UnknownId { tag: String, id: String },
    /// A link or code placeholder that appears twice.
    #[error("the translation repeats the markup with id {0}")]
    DuplicateId(u32),
    /// A link or code placeholder that was dropped.
    #[error("the translation lost the markup with id {0}")]
    MissingId(u32),
    /// Text was put inside a code placeholder.
    #[error("the translation changed code span {id} (it must stay empty)")]
    CodeTouched { id: u32 },
    /// A link came back with no text to click.
    #[error("link {id} lost its text")]
    EmptyLink { id: u32 },
    /// Emphasis, strong emphasis, code spans or links differ in number.
    #[error("the source has {in_source} {markup}, the translation {in_draft}")]
    MarkupMismatch { markup: String, in_source: usize, in_draft: usize },
    /// The multiset of link targets differs.
    #[error("link targets changed: {}", in_words(missing, extra, true))]
    LinkTargetChanged { missing: Vec<String>, extra: Vec<String> },
    /// The multiset of image sources differs.
    #[error("image sources changed: {}", in_words(missing, extra, true))]
    ImageSourceChanged { missing: Vec<String>, extra: Vec<String> },
    /// A code span's text differs (code is never translated).
    #[error("code spans changed: {}", in_words(missing, extra, true))]
    CodeChanged { missing: Vec<String>, extra: Vec<String> },
    /// Markup kept as written (a shortcode, an inline HTML tag, a footnote
    /// reference) differs; `markup` names what it is (`shortcodes`).
    #[error("{markup} changed: {}", in_words(missing, extra, true))]
    KeptMarkupChanged { markup: String, missing: Vec<String>, extra: Vec<String> },
    /// The numbers differ in value (or, for versions and the like, as
    /// written).
    #[error("numbers differ: {}", in_words(missing, extra, false))]
    NumbersDiffer { missing: Vec<String>, extra: Vec<String> },
    /// The translation is empty but the source is not.
    #[error("the translation is empty")]
    Empty,
    /// Control characters (NUL, ESC, BEL, DEL…) or bidirectional overrides
    /// and isolates, which could hide or reorder text in an editor, a
    /// terminal or a page. Named by code point (`U+001B`).
    #[error("the translation has control characters: {}", .0.join(", "))]
    ControlCharacters(Vec<String>),
}

/// What kind of damage got a draft rejected, for summaries and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Tags, emphasis or placeholders lost, added or broken.
    Markup,
    /// A link target or an image source changed, or a link lost its text.
    Link,
    /// A code span changed.
    Code,
    /// A number changed its value.
    Number,
    /// The translation is empty.
    Empty,
    /// The provider answered a batch with the wrong number of texts.
    Count,
    /// Control characters or bidirectional overrides.
    Control,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::Markup => "markup",
            Reason::Link => "link",
            Reason::Code => "code",
            Reason::Number => "number",
            Reason::Empty => "empty",
            Reason::Count => "count",
            Reason::Control => "control",
        })
    }
}

impl Rejection {
    /// The kind of damage.
    pub fn reason(&self) -> Reason {
        match self {
            Rejection::Unparseable(_)
            | Rejection::UnknownTag(_)
            | Rejection::Unbalanced(_)
            | Rejection::UnknownId { .. }
            | Rejection::DuplicateId(_)
            | Rejection::MissingId(_) => Reason::Markup,
            Rejection::MarkupMismatch { markup, .. } => match markup.as_str() {
                "links" | "images" => Reason::Link,
                "code spans"
                | "shortcodes"
                | "HTML tags"
                | "footnote references"
                | "strikethrough delimiters"
                | "pieces of kept markup" => Reason::Code,
                _ => Reason::Markup,
            },
            Rejection::LinkTargetChanged { .. }
            | Rejection::ImageSourceChanged { .. }
            | Rejection::EmptyLink { .. } => Reason::Link,
            Rejection::CodeTouched { .. }
            | Rejection::CodeChanged { .. }
            | Rejection::KeptMarkupChanged { .. } => Reason::Code,
            Rejection::NumbersDiffer { .. } => Reason::Number,
            Rejection::Empty => Reason::Empty,
            Rejection::ControlCharacters(_) => Reason::Control,
        }
    }
}

/// What the source has that the translation lacks (`missing`) and the
/// other way round (`extra`), in plain words: "the source has 7, the
/// translation 8 instead". Code and links are quoted in backticks.
fn in_words(missing: &[String], extra: &[String], quoted: bool) -> String {
    let list = |items: &[String]| {
        let items: Vec<String> =
            items.iter().map(|i| if quoted { format!("`{i}`") } else { i.clone() }).collect();
        match items.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    };
    match (missing.is_empty(), extra.is_empty()) {
        (false, false) => {
            format!("the source has {}, the translation {} instead", list(missing), list(extra))
        }
        (false, true) => format!("the source has {}, which the translation lacks", list(missing)),
        (true, false) => {
            format!("the translation has {}, which the source does not", list(extra))
        }
        (true, true) => "they are the same".into(),
    }
}

/// Turns Markdown inline text into what a provider may see.
pub fn protect(markdown: &str) -> Protected {
    let mut protected =
        Protected { text: String::new(), slots: BTreeMap::new(), empty_links: Default::default() };
    let inlines = parse_markdown(markdown);
    write_protected(&inlines, &mut protected);
    protected
}

fn write_protected(inlines: &[Inline], out: &mut Protected) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => escape_into(t, &mut out.text),
            Inline::Emphasis(c) => {
                out.text.push_str("<em>");
                write_protected(c, out);
                out.text.push_str("</em>");
            }
            Inline::Strong(c) => {
                out.text.push_str("<strong>");
                write_protected(c, out);
                out.text.push_str("</strong>");
            }
            // A link around an image (or other raw pieces) alone has no
            // text to translate: it travels whole, like code.
            Inline::Link { children, .. } | Inline::RefLink { children, .. }
                if !children.is_empty() && raw_pieces_only(children) =>
            {
                let id = next_id(out);
                out.slots.insert(id, Slot::Raw(to_markdown(std::slice::from_ref(inline))));
                out.text.push_str(&format!("<code id=\"{id}\"></code>"));
            }
            Inline::Link { href, title, children } => {
                let id = next_id(out);
                out.slots.insert(id, Slot::Link { href: href.clone(), title: title.clone() });
                if diglot_core::inline::plain_text(children).trim().is_empty() {
                    out.empty_links.insert(id);
                }
                out.text.push_str(&format!("<a id=\"{id}\">"));
                write_protected(children, out);
                out.text.push_str("</a>");
                write_title(id, title, out);
            }
            Inline::Image { .. } | Inline::RefImage { .. }
                if raw_pieces_only(std::slice::from_ref(inline)) =>
            {
                let id = next_id(out);
                out.slots.insert(id, Slot::Raw(to_markdown(std::slice::from_ref(inline))));
                out.text.push_str(&format!("<code id=\"{id}\"></code>"));
            }
            Inline::Image { src, title, alt } => {
                let id = next_id(out);
                out.slots.insert(id, Slot::Image { src: src.clone() });
                if alt.trim().is_empty() {
                    out.empty_links.insert(id);
                }
                out.text.push_str(&format!("<span id=\"{id}\">"));
                escape_into(alt, &mut out.text);
                out.text.push_str("</span>");
                write_title(id, title, out);
            }
            Inline::RefImage { label, alt } => {
                let id = next_id(out);
                out.slots.insert(id, Slot::RefImage { label: label.clone() });
                out.text.push_str(&format!("<span id=\"{id}\">"));
                escape_into(alt, &mut out.text);
                out.text.push_str("</span>");
            }
            Inline::RefLink { label, children } => {
                let id = next_id(out);
                out.slots.insert(id, Slot::RefLink { label: label.clone() });
                if diglot_core::inline::plain_text(children).trim().is_empty() {
                    out.empty_links.insert(id);
                }
                out.text.push_str(&format!("<a id=\"{id}\">"));
                write_protected(children, out);
                out.text.push_str("</a>");
            }
            Inline::Code(code) => {
                let id = next_id(out);
                out.slots.insert(id, Slot::Code(code.clone()));
                out.text.push_str(&format!("<code id=\"{id}\"></code>"));
            }
            Inline::Raw(raw) => {
                let id = next_id(out);
                out.slots.insert(id, Slot::Raw(raw.clone()));
                out.text.push_str(&format!("<code id=\"{id}\"></code>"));
            }
            Inline::Break => out.text.push_str("<br/>"),
        }
    }
}

/// A link's or image's title, as its own element right after it.
fn write_title(of: u32, title: &str, out: &mut Protected) {
    if title.is_empty() {
        return;
    }
    let id = next_id(out);
    out.slots.insert(id, Slot::Title { of });
    out.text.push_str(&format!("<span id=\"{id}\">"));
    escape_into(title, &mut out.text);
    out.text.push_str("</span>");
}

fn next_id(p: &Protected) -> u32 {
    p.slots.len() as u32 + 1
}

/// `&`, `<` and `>` escaped; quotes stay as they are.
fn escape_into(text: &str, out: &mut String) {
    out.push_str(&quick_xml::escape::partial_escape(text));
}

/// An open element while reading a translation back.
enum Frame {
    Root,
    Emphasis,
    Strong,
    Link {
        id: u32,
    },
    Code {
        id: u32,
    },
    /// An image's alternative text or a title.
    Span {
        id: u32,
    },
}

impl Frame {
    fn tag(&self) -> &'static str {
        match self {
            Frame::Root => "",
            Frame::Emphasis => "em",
            Frame::Strong => "strong",
            Frame::Link { .. } => "a",
            Frame::Code { .. } => "code",
            Frame::Span { .. } => "span",
        }
    }
}

/// Engines may spell our tags as their HTML synonyms.
fn canonical_tag(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "em" | "i" => Some("em"),
        "strong" | "b" => Some("strong"),
        "a" => Some("a"),
        "code" | "x" => Some("code"),
        "br" => Some("br"),
        "span" => Some("span"),
        _ => None,
    }
}

/// Rebuilds Markdown from a provider's translation of `protected.text`.
///
/// Checks the structure only (tags known and balanced, every link and code
/// id back exactly once); whether emphasis was dropped or numbers changed is
/// for [`check`], which every draft goes through.
pub fn restore(protected: &Protected, translated: &str) -> Result<String, Rejection> {
    let mut reader = Reader::from_str(translated);
    let config = reader.config_mut();
    // Balance is checked here, against our own frames, so that `<br>`
    // without an end tag (as Apertium writes it) can be read as void.
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.expand_empty_elements = true;
    // A bare `&` from an engine that unescaped its output is a literal `&`.
    config.allow_dangling_amp = true;

    let mut stack: Vec<(Frame, Vec<Inline>)> = vec![(Frame::Root, Vec::new())];
    let mut seen = BTreeSet::new();
    // Translated titles by the id of their `<span>`.
    let mut titles: BTreeMap<u32, String> = BTreeMap::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            Rejection::Unparseable(format!("{e} at byte {}", reader.buffer_position()))
        })?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let Some(tag) = canonical_tag(&name) else {
                    return Err(Rejection::UnknownTag(name));
                };
                let frame = match tag {
                    "em" => Frame::Emphasis,
                    "strong" => Frame::Strong,
                    "br" => {
                        push_inline(&mut stack, Inline::Break);
                        continue;
                    }
                    _ => {
                        let id = slot_id(protected, &start, tag)?;
                        if !seen.insert(id) {
                            return Err(Rejection::DuplicateId(id));
                        }
                        match tag {
                            "a" => Frame::Link { id },
                            "span" => Frame::Span { id },
                            _ => Frame::Code { id },
                        }
                    }
                };
                stack.push((frame, Vec::new()));
            }
            Event::End(end) => {
                let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                let Some(tag) = canonical_tag(&name) else {
                    return Err(Rejection::UnknownTag(name));
                };
                if tag == "br" {
                    continue;
                }
                let (frame, children) = stack.pop().expect("the root is never popped");
                if frame.tag() != tag {
                    let open = frame.tag();
                    return Err(Rejection::Unbalanced(if open.is_empty() {
                        format!("`</{name}>` closes nothing")
                    } else {
                        format!("`<{open}>` closed by `</{name}>`")
                    }));
                }
                let inline = match frame {
                    Frame::Root => unreachable!("root has no tag"),
                    Frame::Emphasis => Inline::Emphasis(children),
                    Frame::Strong => Inline::Strong(children),
                    Frame::Link { id } => {
                        if diglot_core::inline::plain_text(&children).trim().is_empty()
                            && !protected.empty_links.contains(&id)
                        {
                            return Err(Rejection::EmptyLink { id });
                        }
                        // A title travels in the `<span>` after it.
                        let title = |title: &str| match title_of(protected, id) {
                            Some(span) => title_mark(span),
                            None => title.to_string(),
                        };
                        match protected.slots.get(&id) {
                            Some(Slot::Link { href, title: t }) => {
                                Inline::Link { href: href.clone(), title: title(t), children }
                            }
                            Some(Slot::RefLink { label }) => {
                                Inline::RefLink { label: label.clone(), children }
                            }
                            _ => unreachable!("slot_id checked the kind"),
                        }
                    }
                    Frame::Span { id } => match protected.slots.get(&id) {
                        Some(Slot::Image { src }) => {
                            let title = title_of(protected, id).map(title_mark).unwrap_or_default();
                            let alt = plain_text(&children);
                            if alt.trim().is_empty() && !protected.empty_links.contains(&id) {
                                return Err(Rejection::EmptyLink { id });
                            }
                            Inline::Image { src: src.clone(), title, alt }
                        }
                        Some(Slot::RefImage { label }) => {
                            let alt = plain_text(&children);
                            if alt.trim().is_empty() {
                                return Err(Rejection::EmptyLink { id });
                            }
                            Inline::RefImage { label: label.clone(), alt }
                        }
                        _ => {
                            titles.insert(id, plain_text(&children));
                            continue;
                        }
                    },
                    Frame::Code { id } => {
                        if !diglot_core::inline::plain_text(&children).trim().is_empty()
                            || children.iter().any(|c| !matches!(c, Inline::Text(_)))
                        {
                            return Err(Rejection::CodeTouched { id });
                        }
                        match protected.slots.get(&id) {
                            Some(Slot::Code(code)) => Inline::Code(code.clone()),
                            Some(Slot::Raw(raw)) => Inline::Raw(raw.clone()),
                            _ => unreachable!("slot_id checked the kind"),
                        }
                    }
                };
                push_inline(&mut stack, inline);
            }
            Event::Text(text) => {
                let text = text
                    .decode()
                    .map_err(|e| Rejection::Unparseable(format!("bad text encoding: {e}")))?;
                push_inline(&mut stack, Inline::Text(text.into_owned()));
            }
            Event::CData(text) => {
                let text = text
                    .decode()
                    .map_err(|e| Rejection::Unparseable(format!("bad text encoding: {e}")))?;
                push_inline(&mut stack, Inline::Text(text.into_owned()));
            }
            Event::GeneralRef(reference) => {
                let c = if reference.is_char_ref() {
                    reference.resolve_char_ref().ok().flatten()
                } else {
                    diglot_core::entity::named(&String::from_utf8_lossy(reference.as_ref()))
                };
                let Some(c) = c else {
                    return Err(Rejection::Unparseable(format!(
                        "unknown entity `&{};`",
                        String::from_utf8_lossy(reference.as_ref())
                    )));
                };
                push_inline(&mut stack, Inline::Text(c.to_string()));
            }
            Event::Comment(_) => {}
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {
                return Err(Rejection::Unparseable(
                    "declarations and processing instructions are not text".into(),
                ));
            }
            // `expand_empty_elements` turns these into Start and End.
            Event::Empty(_) => unreachable!("empty elements are expanded"),
            Event::Eof => break,
        }
    }
    if stack.len() > 1 {
        let (frame, _) = stack.pop().expect("checked length");
        return Err(Rejection::Unbalanced(format!("`<{}>` is never closed", frame.tag())));
    }
    if let Some(missing) = protected.slots.keys().find(|id| !seen.contains(id)) {
        return Err(Rejection::MissingId(*missing));
    }
    let (_, mut inlines) = stack.pop().expect("root stays");
    if !titles.is_empty() {
        set_titles(&mut inlines, &titles);
    }
    fold_white_space(&mut inlines);
    trim(&mut inlines);
    Ok(to_markdown(&inlines))
}

/// The id of the `<span>` holding the title of the link or image `of`.
fn title_of(protected: &Protected, of: u32) -> Option<u32> {
    protected.slots.iter().find_map(|(id, slot)| match slot {
        Slot::Title { of: o } if *o == of => Some(*id),
        _ => None,
    })
}

/// Puts each translated title in place of its mark, folded to one line.
fn set_titles(inlines: &mut [Inline], titles: &BTreeMap<u32, String>) {
    let translated = |title: &mut String| {
        if let Some(id) = title.strip_prefix('\u{0}').and_then(|id| id.parse::<u32>().ok()) {
            let text = titles.get(&id).map_or("", String::as_str);
            *title = text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    };
    for inline in inlines {
        match inline {
            Inline::Link { title, children, .. } => {
                translated(title);
                set_titles(children, titles);
            }
            Inline::Image { title, .. } => translated(title),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::RefLink { children: c, .. } => {
                set_titles(c, titles)
            }
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Raw(_)
            | Inline::RefImage { .. }
            | Inline::Break => {}
        }
    }
}

/// The id of a link or code tag, checked against what was protected.
fn slot_id(protected: &Protected, start: &BytesStart<'_>, tag: &str) -> Result<u32, Rejection> {
    let mut raw = None;
    for attr in start.html_attributes().flatten() {
        if attr.key.as_ref().eq_ignore_ascii_case(b"id") {
            raw = Some(String::from_utf8_lossy(&attr.value).trim().to_string());
        }
    }
    let unknown = |id: String| Rejection::UnknownId { tag: tag.to_string(), id };
    // A `<span>` of the engine's own (ours all have ids) is a tag we do not know.
    let raw = raw.ok_or_else(|| match tag {
        "span" => Rejection::UnknownTag(tag.to_string()),
        _ => unknown(String::new()),
    })?;
    let id: u32 = raw.parse().map_err(|_| unknown(raw.clone()))?;
    match (protected.slots.get(&id), tag) {
        (Some(Slot::Link { .. } | Slot::RefLink { .. }), "a")
        | (Some(Slot::Code(_) | Slot::Raw(_)), "code")
        | (Some(Slot::Image { .. } | Slot::RefImage { .. } | Slot::Title { .. }), "span") => Ok(id),
        _ => Err(unknown(raw)),
    }
}

/// The entities an HTML-mode engine may write besides the XML ones.
fn push_inline(stack: &mut [(Frame, Vec<Inline>)], inline: Inline) {
    let into = &mut stack.last_mut().expect("root stays").1;
    if let (Some(Inline::Text(prev)), Inline::Text(next)) = (into.last_mut(), &inline) {
        prev.push_str(next);
    } else {
        into.push(inline);
    }
}

/// White space is not significant in HTML, and engines add spaces and
/// newlines around blocks and tags: runs become one space (no-break spaces
/// are typography and stay).
fn fold_white_space(inlines: &mut [Inline]) {
    for inline in inlines.iter_mut() {
        match inline {
            Inline::Text(t) => {
                let mut folded = String::with_capacity(t.len());
                let mut in_space = false;
                for c in t.chars() {
                    if c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}') {
                        if !in_space {
                            folded.push(' ');
                        }
                        in_space = true;
                    } else {
                        folded.push(c);
                        in_space = false;
                    }
                }
                *t = folded;
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => fold_white_space(c),
            Inline::Image { alt, .. } | Inline::RefImage { alt, .. } => {
                *alt = alt.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            Inline::Code(_) | Inline::Raw(_) | Inline::Break => {}
        }
    }
    // A space next to a hard break would start or end a line.
    for i in 0..inlines.len() {
        if !matches!(inlines[i], Inline::Break) {
            continue;
        }
        if let Some(Inline::Text(t)) = i.checked_sub(1).and_then(|p| inlines.get_mut(p)) {
            t.truncate(t.trim_end_matches(' ').len());
        }
        if let Some(Inline::Text(t)) = inlines.get_mut(i + 1) {
            *t = t.trim_start_matches(' ').to_string();
        }
    }
}

/// What [`check`] compares between a source and a draft.
#[derive(Debug, Default)]
struct Inventory {
    emphasis: usize,
    strong: usize,
    links: Vec<String>,
    /// Image sources, and reference images' labels in brackets.
    images: Vec<String>,
    code: Vec<String>,
    /// Markup kept as written (shortcodes, inline HTML tags, footnote
    /// references, autolinks), by [`raw_key`].
    kept: Vec<String>,
    /// Plain text with each code span replaced by a space, for numbers.
    text: String,
}

fn inventory(inlines: &[Inline], inv: &mut Inventory) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => inv.text.push_str(t),
            Inline::Emphasis(c) => {
                inv.emphasis += 1;
                inventory(c, inv);
            }
            Inline::Strong(c) => {
                inv.strong += 1;
                inventory(c, inv);
            }
            Inline::Link { href, children, title } => {
                inv.links.push(href.clone());
                inventory(children, inv);
                push_words(title, inv);
            }
            Inline::Image { src, title, alt } => {
                inv.images.push(src.clone());
                push_words(alt, inv);
                push_words(title, inv);
            }
            Inline::RefImage { label, alt } => {
                inv.images.push(format!("[{label}]"));
                push_words(alt, inv);
            }
            Inline::RefLink { label, children } => {
                inv.links.push(format!("[{label}]"));
                inventory(children, inv);
            }
            Inline::Code(code) => {
                inv.code.push(code.clone());
                inv.text.push(' ');
            }
            // Raw source markup is compared as written, like code (but a
            // shortcode's `text=`).
            Inline::Raw(raw) => {
                inv.kept.push(raw_key(raw).into_owned());
                inv.text.push(' ');
            }
            Inline::Break => inv.text.push(' '),
        }
    }
}

/// Text that is no part of the sentence's run (alternative text, a title),
/// apart from it for numbers.
fn push_words(text: &str, inv: &mut Inventory) {
    if !text.is_empty() {
        inv.text.push(' ');
        inv.text.push_str(text);
        inv.text.push(' ');
    }
}

/// Strikethrough delimiters (`~~`, raw pieces) that can neither open nor
/// close, a space (or nothing) on both sides (`~~a ~~ b`, `~~ a~~`), which
/// Markdown does not read as strikethrough.
fn spaced_strikes(inlines: &[Inline]) -> usize {
    let spaced = |inline: Option<&Inline>, at_end: bool| match inline {
        None => true,
        Some(Inline::Text(t)) if at_end => t.ends_with(char::is_whitespace),
        Some(Inline::Text(t)) => t.starts_with(char::is_whitespace),
        Some(_) => false,
    };
    let mut count = 0;
    for (i, inline) in inlines.iter().enumerate() {
        match inline {
            Inline::Raw(r) if r == "~~" => {
                let before = i.checked_sub(1).map(|j| &inlines[j]);
                count += usize::from(spaced(before, true) && spaced(inlines.get(i + 1), false));
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => count += spaced_strikes(c),
            _ => {}
        }
    }
    count
}

/// Checks a draft (Markdown) against its source (Markdown): the same number
/// of emphasis and strong spans, the same code spans verbatim, the same link
/// targets, the same numbers, each read with its own locale's separators
/// (see [`numbers`]), so `12.5` in English matches `12,5` in Spanish and
/// `1,474` matches `1.474` and `1 474`, but `3.5` does not match `35`.
pub fn check(pair: &Pair, source_markdown: &str, draft_markdown: &str) -> Result<(), Rejection> {
    let mut source = Inventory::default();
    inventory(&parse_markdown(source_markdown), &mut source);
    let mut draft = Inventory::default();
    inventory(&parse_markdown(draft_markdown), &mut draft);

    if draft_markdown.trim().is_empty() && !source_markdown.trim().is_empty() {
        return Err(Rejection::Empty);
    }
    let mut controls: Vec<String> = Vec::new();
    for c in draft_markdown.chars().filter(|&c| crate::provider::is_unsafe_char(c)) {
        let name = format!("U+{:04X}", c as u32);
        if !controls.contains(&name) {
            controls.push(name);
        }
    }
    if !controls.is_empty() {
        return Err(Rejection::ControlCharacters(controls));
    }
    for (markup, s, d) in [
        ("emphasis spans", source.emphasis, draft.emphasis),
        ("strong spans", source.strong, draft.strong),
        ("code spans", source.code.len(), draft.code.len()),
        (kept_name(&source.kept, &draft.kept), source.kept.len(), draft.kept.len()),
        ("links", source.links.len(), draft.links.len()),
        ("images", source.images.len(), draft.images.len()),
    ] {
        if s != d {
            return Err(Rejection::MarkupMismatch {
                markup: markup.into(),
                in_source: s,
                in_draft: d,
            });
        }
    }
    if spaced_strikes(&parse_markdown(draft_markdown))
        > spaced_strikes(&parse_markdown(source_markdown))
    {
        return Err(Rejection::Unbalanced(
            "`~~` with a space inside strikes nothing in Markdown".into(),
        ));
    }
    let (missing, extra) = multiset_diff(&source.code, &draft.code);
    if !missing.is_empty() || !extra.is_empty() {
        return Err(Rejection::CodeChanged { missing, extra });
    }
    let (missing, extra) = multiset_diff(&source.kept, &draft.kept);
    if !missing.is_empty() || !extra.is_empty() {
        let (missing, extra) =
            (as_written(missing, source_markdown), as_written(extra, draft_markdown));
        let markup = kept_name(&missing, &extra).to_string();
        return Err(Rejection::KeptMarkupChanged { markup, missing, extra });
    }
    let (missing, extra) = multiset_diff(&source.links, &draft.links);
    if !missing.is_empty() || !extra.is_empty() {
        return Err(Rejection::LinkTargetChanged { missing, extra });
    }
    let (missing, extra) = multiset_diff(&source.images, &draft.images);
    if !missing.is_empty() || !extra.is_empty() {
        return Err(Rejection::ImageSourceChanged { missing, extra });
    }
    let (missing, extra) = numbers::diff(&source.text, &pair.source, &draft.text, &pair.target);
    if !missing.is_empty() || !extra.is_empty() {
        return Err(Rejection::NumbersDiffer { missing, extra });
    }
    Ok(())
}

/// What is in `a` but not in `b`, and what is in `b` but not in `a`,
/// counting repeats; both sorted.
/// What pieces of kept markup are, in words, for a message about them.
fn kept_name(a: &[String], b: &[String]) -> &'static str {
    let all = |f: fn(&str) -> bool| a.iter().chain(b).all(|p| f(p));
    fn autolink(p: &str) -> bool {
        !p.contains(char::is_whitespace) && p.contains([':', '@'])
    }
    if all(|p| p.starts_with("{{") || p.starts_with("{%")) {
        "shortcodes"
    } else if all(|p| p.starts_with('<') && !autolink(p)) {
        "HTML tags"
    } else if all(|p| p.starts_with("[^")) {
        "footnote references"
    } else if all(|p| p.starts_with("~~")) {
        "strikethrough delimiters"
    } else {
        "pieces of kept markup"
    }
}

/// Each kept piece (by its [`raw_key`]) as `markdown` writes it.
fn as_written(keys: Vec<String>, markdown: &str) -> Vec<String> {
    let pieces = diglot_core::inline::raw_pieces(markdown);
    keys.into_iter()
        .map(|key| pieces.iter().find(|p| raw_key(p) == key).cloned().unwrap_or(key))
        .collect()
}

fn multiset_diff(a: &[String], b: &[String]) -> (Vec<String>, Vec<String>) {
    let mut counts: BTreeMap<&str, isize> = BTreeMap::new();
    for x in a {
        *counts.entry(x).or_default() += 1;
    }
    for x in b {
        *counts.entry(x).or_default() -= 1;
    }
    let (mut missing, mut extra) = (Vec::new(), Vec::new());
    for (x, n) in counts {
        for _ in 0..n.max(0) {
            missing.push(x.to_string());
        }
        for _ in 0..(-n).max(0) {
            extra.push(x.to_string());
        }
    }
    (missing, extra)
}

#[cfg(test)]
mod tests;
