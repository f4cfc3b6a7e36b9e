use serde::{Deserialize, Serialize};

use crate::Locale;

/// An article as read from its source file, before segmentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The language the article is written in, when the source or the
    /// pipeline states it or detection found it.
    pub lang: Option<Locale>,
    /// Blocks in reading order. The title, when there is one, is the first
    /// block and has [`BlockKind::Title`].
    pub blocks: Vec<Block>,
}

impl Document {
    /// The title block, if the document has one.
    pub fn title(&self) -> Option<&Block> {
        self.blocks.iter().find(|b| b.kind == BlockKind::Title)
    }

    /// All the document's text without markup, blocks separated by blank
    /// lines. Used for language detection and reading-time estimates.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&crate::inline::plain_text(&block.inlines));
        }
        out
    }
}

/// One block of an article: a unit a translator sees as a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub inlines: Vec<Inline>,
}

impl Block {
    pub fn new(kind: BlockKind, inlines: Vec<Inline>) -> Block {
        Block { kind, inlines }
    }

    /// A block holding a single run of text.
    pub fn text(kind: BlockKind, text: impl Into<String>) -> Block {
        Block { kind, inlines: vec![Inline::Text(text.into())] }
    }
}

/// What a block is, for rendering and for the group comments translators see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    /// The article's headline.
    Title,
    /// A section heading; level 2 is the first level below the title.
    Heading {
        level: u8,
    },
    Paragraph,
    /// A paragraph inside a block quote.
    Quote,
    /// An item of a list; `depth` 0 is the outermost list. `task`: a task
    /// list item's state (`- [x]` done, `- [ ]` open).
    ListItem {
        ordered: bool,
        depth: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<bool>,
    },
    /// A cell of a table. `table` numbers the document's tables from 0, so
    /// two tables in a row stay apart.
    TableCell {
        table: u16,
        row: u16,
        col: u16,
        header: bool,
    },
    /// A front-matter value shown by site generators rather than in the
    /// body (`description`, `summary`, a title other than the headline).
    Metadata,
}

impl BlockKind {
    /// A short English name for group comments and reports.
    pub fn label(&self) -> &'static str {
        match self {
            BlockKind::Title => "Title",
            BlockKind::Heading { .. } => "Heading",
            BlockKind::Paragraph => "Paragraph",
            BlockKind::Quote => "Quote",
            BlockKind::ListItem { .. } => "List item",
            BlockKind::TableCell { .. } => "Table cell",
            BlockKind::Metadata => "Front matter",
        }
    }

    /// Headings and the title start a new section of the article.
    pub fn is_heading(&self) -> bool {
        matches!(self, BlockKind::Title | BlockKind::Heading { .. })
    }
}

/// Inline content: text and the markup an author put around it.
///
/// As JSON (the JSON edition's `inlines`, see `inline/json.rs`): text is a
/// bare string, any other inline an object named by its kind key:
/// `"text"`, `{"emphasis": [...]}`, `{"link": [...], "href": "..."}`,
/// `{"image": "alt", "src": "..."}`, `{"break": true}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(String),
    Link {
        href: String,
        title: String,
        children: Vec<Inline>,
    },
    /// A link to a reference definition, `[text][label]`: the message
    /// carries the label, never the URL, and the definition stays where the
    /// author put it. Editions that need the URL resolve the label with
    /// the article's definitions ([`crate::Skeleton::references`]).
    RefLink {
        label: String,
        children: Vec<Inline>,
    },
    /// An image, `![alt](src "title")`: its alternative text and title are
    /// translated like text, its source never. The alternative text is plain
    /// text (markup in it is dropped, as in HTML's `alt`). It counts as no
    /// text for sentence boundaries and IDs' slugs ([`crate::inline::plain_text`]
    /// leaves it out), so a sentence is never split inside an image.
    Image {
        src: String,
        title: String,
        alt: String,
    },
    /// An image that names a reference definition, `![alt][label]` (also
    /// written `![alt][]` or `![alt]` in the source): its alternative text
    /// is translated, like an inline image's; its label stays, like a
    /// reference link's, and the message always writes it, so translating
    /// the alternative text never changes which definition the image uses.
    /// The source and title stay in the definition, where the author put
    /// it; editions that need them resolve the label
    /// ([`crate::Skeleton::references`]).
    RefImage {
        label: String,
        alt: String,
    },
    /// A hard line break inside a block.
    Break,
    /// Source markup kept exactly as written and never translated: an
    /// inline HTML tag, an autolink, a footnote reference, a Hugo or Zola
    /// shortcode. In a message it is written as in the source; a
    /// translation carries each one unchanged, and one that the source
    /// segment does not have is published as text.
    Raw(String),
}
