//! diglot-ingest: reads an article's text into diglot's [`Document`].
//!
//! [`read`] takes the source text and its [`Format`] (plain text, Markdown or
//! HTML) and returns the blocks a translator will see: the title, headings,
//! paragraphs, quotes, list items and table cells, with inline markup
//! (emphasis, strong, code, links, hard breaks) kept as [`Inline`] structure.
//! What is not article prose (code blocks, raw HTML, scripts, navigation) is
//! no block; [`read_with_skeleton`] also returns the [`Skeleton`], which
//! keeps all of it for the editions (for Markdown, the source with every
//! block's range; for HTML, the article's code, images and media in place). [`detect_language`] guesses whether a text is English or Spanish;
//! `read` itself only records a language the source states.
//!
//! This crate must never do file I/O: it takes text and returns values. The
//! pipeline reads files and decides what to do with the language.
//!
//! [`Inline`]: diglot_core::Inline

mod container;
mod front_matter;
mod html;
mod html_depth;
mod lang;
mod markdown;
mod text;

use std::fmt;
use std::path::Path;

use diglot_core::{Block, Document, Inline, Skeleton};

pub use lang::detect_language;

/// The format of an article's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: one block per line (or per blank-line separated paragraph);
    /// no markup is interpreted.
    Text,
    /// CommonMark with GFM tables and YAML-style front matter.
    Markdown,
    /// An HTML page or fragment; only the article's content is read.
    Html,
}

impl Format {
    /// The format a file name's extension implies: `.txt`/`.text`,
    /// `.md`/`.markdown`, `.html`/`.htm` (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// A format by the name a user gives it: `text`/`txt`, `markdown`/`md`,
    /// `html`/`htm` (case-insensitive).
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The canonical name, which [`Format::parse`] accepts.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a source could not be read into a document.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing translatable was left once markup and non-article content
    /// were set aside.
    #[error(
        "no article text found in the {format} input: it is empty or holds only markup, \
         code or non-article content (scripts, navigation, ...)"
    )]
    Empty { format: Format },
}

/// Reads an article's source text into a [`Document`].
///
/// `Document::lang` is set only when the source states its language (HTML
/// `lang` attribute, Markdown front matter `lang:`); use [`detect_language`]
/// otherwise. Never panics, whatever the input.
pub fn read(source: &str, format: Format) -> Result<Document, Error> {
    read_with_skeleton(source, format).map(|(doc, _)| doc)
}

/// Like [`read`], and for Markdown and HTML also the [`Skeleton`]: for
/// Markdown the source with the range of each block's text marked, from
/// which the Markdown edition is made so that nothing outside those ranges
/// changes; for HTML the blocks kept as they are (code, images, media).
pub fn read_with_skeleton(
    source: &str,
    format: Format,
) -> Result<(Document, Option<Skeleton>), Error> {
    read_with(source, format, &ReadOptions::default())
}

/// How an article is read, beyond its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The front-matter keys whose values are translated. `title` is the
    /// article's title (when the body has no H1 of its own); the others are
    /// `Metadata` blocks, in this order.
    pub front_matter_keys: Vec<String>,
}

/// The front-matter keys translated unless a pipeline says otherwise.
pub(crate) const DEFAULT_FRONT_MATTER_KEYS: [&str; 3] = ["title", "description", "summary"];

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            front_matter_keys: DEFAULT_FRONT_MATTER_KEYS.iter().map(|k| k.to_string()).collect(),
        }
    }
}

/// Like [`read_with_skeleton`], with [`ReadOptions`].
pub fn read_with(
    source: &str,
    format: Format,
    options: &ReadOptions,
) -> Result<(Document, Option<Skeleton>), Error> {
    let bom = source.starts_with('\u{feff}');
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (doc, mut skeleton) = match format {
        Format::Text => (text::read(source), None),
        Format::Markdown => {
            let (doc, skeleton) = markdown::read(source, &options.front_matter_keys);
            (doc, Some(skeleton))
        }
        Format::Html => {
            let (doc, skeleton) = html::read(source);
            (doc, Some(skeleton))
        }
    };
    if let Some(skeleton) = skeleton.as_mut() {
        skeleton.bom = bom;
    }
    let has_text =
        doc.blocks.iter().any(|b| !diglot_core::inline::plain_text(&b.inlines).trim().is_empty());
    if has_text { Ok((doc, skeleton)) } else { Err(Error::Empty { format }) }
}

/// Warnings about the source that reading it does not carry (`file` is left
/// empty: the caller fills it): for HTML, nesting deeper than diglot reads
/// as structure. A Markdown source's warnings are in its [`Skeleton`].
pub fn warnings(source: &str, format: Format) -> Vec<diglot_core::Diagnostic> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    match format {
        Format::Html => html_depth::cap(source).1.into_iter().collect(),
        Format::Text | Format::Markdown => Vec::new(),
    }
}

/// Appends inline content, merging adjacent text runs.
fn push_inline(into: &mut Vec<Inline>, inline: Inline) {
    match (into.last_mut(), inline) {
        (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
        (_, Inline::Text(next)) if next.is_empty() => {}
        (_, inline) => into.push(inline),
    }
}

/// Builds a block from collected inline content: trimmed, and `None` when
/// nothing is left.
fn finish_block(kind: diglot_core::BlockKind, mut inlines: Vec<Inline>) -> Option<Block> {
    trim_around_breaks(&mut inlines);
    drop_empty(&mut inlines);
    diglot_core::inline::trim(&mut inlines);
    // Raw pieces alone (a shortcode, an image without words) leave nothing
    // to translate. An image alone in a paragraph, a list item or a cell is
    // one to translate when it has words; a heading needs text of its own.
    let has_text = !diglot_core::inline::plain_text(&inlines).trim().is_empty()
        || (!kind.is_heading() && !diglot_core::inline::raw_pieces_only(&inlines));
    has_text.then(|| Block::new(kind, inlines))
}

/// Removes empty text runs and markup left without content (an anchor icon,
/// `<em></em>`), which would render as stray markers.
fn drop_empty(inlines: &mut Vec<Inline>) {
    inlines.retain_mut(|inline| match inline {
        Inline::Text(t) | Inline::Code(t) | Inline::Raw(t) => !t.is_empty(),
        Inline::Image { .. } | Inline::RefImage { .. } => true,
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Link { children: c, .. }
        | Inline::RefLink { children: c, .. } => {
            drop_empty(c);
            !c.is_empty()
        }
        Inline::Break => true,
    });
}

/// White space next to a hard break would only show as stray indentation.
fn trim_around_breaks(inlines: &mut [Inline]) {
    for i in 0..inlines.len() {
        match &mut inlines[i] {
            Inline::Break => {
                if let Some(Inline::Text(prev)) = i.checked_sub(1).map(|p| &mut inlines[p]) {
                    prev.truncate(prev.trim_end().len());
                }
                if let Some(Inline::Text(next)) = inlines.get_mut(i + 1) {
                    *next = next.trim_start().to_string();
                }
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => trim_around_breaks(c),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Raw(_)
            | Inline::Image { .. }
            | Inline::RefImage { .. } => {}
        }
    }
}

/// `u16`/`u8` coordinates for blocks; absurdly large inputs saturate rather
/// than wrap or panic.
fn sat_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn sat_u8(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests;
