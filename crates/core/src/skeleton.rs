use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::Diagnostic;

/// An article's source kept for re-publication in its own format: the source
/// text, with the byte range of every translatable span marked and tied to
/// the document block whose text goes there.
///
/// A localized edition in the source format is the source with each span
/// replaced by its block's translation; every byte outside the spans is
/// copied as it was. So code, raw HTML, shortcodes, link definitions, list
/// numbering and everything else diglot does not translate come through
/// untouched, whether diglot understands them or not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skeleton {
    /// The source text (without a byte-order mark).
    pub source: String,
    /// Whether the source file began with a byte-order mark (which the
    /// editions made from the source keep: an HTML page edition, a
    /// Markdown article's Markdown editions).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bom: bool,
    /// What the source is written in. Only a Markdown skeleton makes the
    /// Markdown editions; an HTML one carries the page's verbatim blocks
    /// and warnings.
    #[serde(default)]
    pub format: SourceFormat,
    pub front_matter: Option<FrontMatter>,
    /// Translatable spans in source order; they never overlap.
    pub spans: Vec<Span>,
    /// Blocks with nothing to translate (code, raw HTML, rules, an image or
    /// a shortcode on its own), in source order, for the editions that are
    /// not made from the source: they show them untranslated.
    pub verbatim: Vec<Verbatim>,
    /// Link reference definitions by label as written: (URL, title).
    pub references: std::collections::BTreeMap<String, (String, String)>,
    /// Constructs passed through untranslated that a reader may want to know
    /// about (`file` is left empty: the pipeline fills it).
    pub warnings: Vec<Diagnostic>,
    /// The column alignment of each table (`:---:`, `---:`), by the table
    /// number of its cells' `BlockKind::TableCell`.
    #[serde(default)]
    pub table_alignments: Vec<Vec<ColumnAlign>>,
    /// Footnote definitions (`[^label]: …`) in source order.
    #[serde(default)]
    pub footnotes: Vec<Footnote>,
    /// The attributes an HTML article's `<img>` elements have beside `src`,
    /// `alt` and `title`, as written (names in ASCII lowercase, values with
    /// character references decoded), by `src`: the first image with that
    /// source gives them. The editions not made from the source take them
    /// from here, since a message carries an image's alt text, title and
    /// source only.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub image_attributes: std::collections::BTreeMap<String, Vec<(String, String)>>,
}

/// A footnote definition: its label as written and its byte range in
/// [`Skeleton::source`]; the blocks it holds are those whose spans lie in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footnote {
    pub label: String,
    pub range: Range<usize>,
}

impl Skeleton {
    /// The footnote definition each block stands in, if any, by block index.
    pub fn footnote_of_blocks(&self) -> std::collections::BTreeMap<usize, &Footnote> {
        let mut out = std::collections::BTreeMap::new();
        for span in &self.spans {
            let within =
                |f: &&Footnote| f.range.start <= span.range.start && span.range.end <= f.range.end;
            if let Some(f) = self.footnotes.iter().find(within) {
                out.insert(span.block, f);
            }
        }
        out
    }
}

/// A table column's alignment as its delimiter row sets it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnAlign {
    /// `---`: the page's default.
    #[default]
    None,
    /// `:---`
    Left,
    /// `:---:`
    Center,
    /// `---:`
    Right,
}

/// A place in the source where a block's text goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Byte range of the block's text in [`Skeleton::source`].
    pub range: Range<usize>,
    /// Index of the block in the document (and so in the segmented document
    /// and in every edition).
    pub block: usize,
    pub kind: SpanKind,
}

/// How translated text is written into a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SpanKind {
    /// Markdown inline text. A line break in the translation continues with
    /// `prefix` (the block quote markers and list indentation of the span's
    /// container); `one_line` spans (headings, table cells) take none.
    /// `style` is how the source writes emphasis, strong emphasis and hard
    /// breaks in the span, which its translations follow.
    Inline {
        prefix: String,
        one_line: bool,
        table_cell: bool,
        #[serde(default)]
        style: crate::inline::InlineStyle,
    },
    /// A front-matter value: written as a quoted string.
    FrontMatterValue,
    /// The content of an HTML element holding one block: written as HTML,
    /// with the inline tags of `markup` as the source writes them.
    HtmlContent {
        /// `None` in skeletons made before diglot kept it: the translation's
        /// markup is then written afresh.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        markup: Option<HtmlMarkup>,
    },
    /// The content of an element that holds text alone (a page's
    /// `<title>`), or part of it: written as the block's translation in
    /// plain text, markup left out.
    HtmlText,
    /// An HTML page's `<html>` start tag (`block` is `usize::MAX`): written
    /// as it was with the edition's `lang` and `dir` as the values of the
    /// `lang` and `dir` attributes (`lang` and `dir`: their ranges in
    /// [`Skeleton::source`], if the tag has them), those it lacks added
    /// after the tag's name (`name_end`) or after `lang`. Skeletons made
    /// before diglot kept the tag (`name_end` 0) write `<html`, the
    /// edition's `lang` and `dir`, then `attrs`, the tag's other attributes
    /// as written up to its `>`.
    HtmlRoot {
        attrs: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<Range<usize>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dir: Option<Range<usize>>,
        #[serde(default)]
        name_end: usize,
    },
}

/// How an HTML block's content writes its inline markup: the element's
/// content itself at the root, then, in source order, each element that is
/// inline markup of the block (a link, emphasis, code, a line break, an
/// image).
///
/// Tags that are not markup of the block are folded in where they stand:
/// a wrapper around a whole content or around one piece (`<span
/// class="sect1">`) goes into its `open` and `close`, and an empty element
/// (`<a name="x"></a>`) into the `open` of the piece it comes before, or
/// the `close` of the content it ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtmlMarkup {
    /// Written before the piece's content: its start tag as written, with
    /// what is folded in.
    pub open: String,
    /// Written after it: its end tag as written (empty when implied).
    pub close: String,
    /// The markup pieces within, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<HtmlMarkup>,
    /// Whether the piece is written whole as `open` (code, a line break, an
    /// image): its content is not translated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub atomic: bool,
}

/// The front matter at the very start of a Markdown file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub syntax: FrontMatterSyntax,
    /// The whole block, delimiter lines included.
    pub range: Range<usize>,
    /// Where keys diglot adds go: the start of the closing delimiter line.
    pub insert_at: usize,
    /// The line ending the block uses (`\n` or `\r\n`).
    pub newline: String,
    /// Top-level keys whose value is a single-line scalar.
    pub fields: Vec<Field>,
    /// Every top-level key, in order.
    pub keys: Vec<String>,
}

impl FrontMatter {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// A `key: value` (YAML) or `key = value` (TOML) line of front matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    /// The value as written, quotes included.
    pub raw: Range<usize>,
    /// The value with quotes and escapes removed.
    pub value: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterSyntax {
    /// Between `---` lines.
    #[default]
    Yaml,
    /// Between `+++` lines.
    Toml,
}

impl FrontMatterSyntax {
    /// `key: value` or `key = value`.
    pub fn line(self, key: &str, value: &str) -> String {
        match self {
            FrontMatterSyntax::Yaml => format!("{key}: {value}"),
            FrontMatterSyntax::Toml => format!("{key} = {value}"),
        }
    }
}

/// The format of the source a [`Skeleton`] keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    #[default]
    Markdown,
    Html,
}

/// A block of the source that has nothing to translate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verbatim {
    /// Byte range in [`Skeleton::source`]. For an HTML source, where the
    /// element's start tag begins (an empty range).
    pub range: Range<usize>,
    pub kind: VerbatimKind,
    /// The index of the block it comes before, when the source says so
    /// directly (an HTML source); otherwise its place follows from `range`
    /// and the spans'. `None` past the last block too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_block: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VerbatimKind {
    /// A fenced or indented code block; `lang` is the fence's first word.
    Code { lang: String, text: String },
    /// A raw HTML block, as written.
    Html { html: String },
    /// A thematic break.
    Rule,
    /// A paragraph holding only raw pieces (an image, a shortcode), as written.
    Raw { markdown: String },
}
