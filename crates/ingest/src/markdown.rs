//! Markdown through pulldown-cmark (CommonMark, GFM tables, YAML-style front
//! matter).
//!
//! - The first block, when it is an H1, is the title; otherwise the front
//!   matter's `title:` is. Any other H1 is a `Heading { level: 1 }`: the
//!   author's level is kept.
//! - Paragraphs in block quotes are quotes; list items are one block per
//!   paragraph (tight items: per item), `depth` counting nested lists.
//! - Code blocks, HTML blocks and thematic breaks are not prose and are
//!   skipped. Inline HTML tags are dropped (the text between them stays),
//!   except `<br>`, which is a hard break; no raw tag ever becomes text.
//! - Images become their alt text.

use crate::container::{Container, Table, paragraph_kind};
use diglot_core::{Block, BlockKind, Document, Inline, parse_locale};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::{finish_block, push_inline, sat_u8, sat_u16};

const MAX_INLINE_DEPTH: usize = 100;

#[derive(Debug, Default)]
struct Reader {
    blocks: Vec<Block>,
    containers: Vec<Container>,
    /// `Some(ordered)` for each open list.
    lists: Vec<bool>,
    tables: Vec<Table>,
    next_table: usize,
    /// The kind of the block being collected, once it has one.
    current: Option<BlockKind>,
    /// Open inline containers with their children; the root has no container.
    inlines: Vec<(Option<Inline>, Vec<Inline>)>,
    /// Depth of skipped blocks (code, HTML) we are inside.
    skipping: usize,
    in_metadata: bool,
    metadata: String,
}

pub(crate) fn read(source: &str) -> Document {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut reader = Reader { inlines: vec![(None, Vec::new())], ..Reader::default() };
    for event in Parser::new_ext(source, options) {
        reader.event(event);
    }
    reader.flush();
    let front = FrontMatter::parse(&reader.metadata);
    let mut blocks = reader.blocks;
    if !blocks.iter().any(|b| b.kind == BlockKind::Title)
        && let Some(title) = front.title.filter(|t| !t.is_empty())
    {
        blocks.insert(0, Block::text(BlockKind::Title, title));
    }
    Document { lang: front.lang.and_then(|l| parse_locale(&l).ok()), blocks }
}

impl Reader {
    fn event(&mut self, event: Event<'_>) {
        if self.in_metadata {
            match event {
                Event::Text(t) => self.metadata.push_str(&t),
                Event::End(TagEnd::MetadataBlock(_)) => self.in_metadata = false,
                _ => {}
            }
            return;
        }
        if self.skipping > 0 {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => self.skipping += 1,
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => self.skipping -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.push(Inline::Text(t.into_string())),
            Event::Code(t) => self.push(Inline::Code(t.into_string())),
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push(Inline::Code(t.into_string()))
            }
            Event::SoftBreak => self.push(Inline::Text(" ".into())),
            Event::HardBreak => self.push(Inline::Break),
            Event::InlineHtml(html) => {
                if is_br(&html) {
                    self.push(Inline::Break);
                }
            }
            Event::Rule => self.flush(),
            // HTML outside an HtmlBlock, footnotes and task markers carry no
            // prose (the last two are not enabled anyway).
            Event::Html(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::MetadataBlock(_) => self.in_metadata = true,
            Tag::CodeBlock(_) | Tag::HtmlBlock => {
                self.flush();
                self.skipping = 1;
            }
            Tag::Paragraph => {
                self.flush();
                self.current = Some(self.context_kind());
            }
            Tag::Heading { level, .. } => {
                self.flush();
                let level = heading_level(level);
                let is_title = level == 1
                    && self.blocks.is_empty()
                    && self.containers.is_empty()
                    && self.lists.is_empty();
                self.current =
                    Some(if is_title { BlockKind::Title } else { BlockKind::Heading { level } });
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.containers.push(Container::Quote);
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start.is_some());
            }
            Tag::Item => {
                self.flush();
                let ordered = self.lists.last().copied().unwrap_or(false);
                let depth = sat_u8(self.lists.len().saturating_sub(1));
                self.containers.push(Container::Item { ordered, depth });
            }
            Tag::Table(_) => {
                self.flush();
                self.tables.push(Table { index: sat_u16(self.next_table), ..Table::default() });
                self.next_table += 1;
            }
            Tag::TableHead => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_head = true;
                    t.col = 0;
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.tables.last_mut() {
                    t.col = 0;
                }
            }
            Tag::TableCell => {
                self.flush();
                if let Some(t) = self.tables.last() {
                    self.containers.push(Container::Cell {
                        table: t.index,
                        row: sat_u16(t.row),
                        col: sat_u16(t.col),
                        header: t.in_head,
                    });
                }
            }
            Tag::Emphasis => self.open(Inline::Emphasis(Vec::new())),
            Tag::Strong => self.open(Inline::Strong(Vec::new())),
            Tag::Link { dest_url, title, .. } => self.open(Inline::Link {
                href: dest_url.into_string(),
                title: title.into_string(),
                children: Vec::new(),
            }),
            // An image's alt text arrives as its children's text events.
            Tag::Image { .. } => {}
            // Not enabled; read their content as ordinary text.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.flush(),
            TagEnd::BlockQuote(_) | TagEnd::Item => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::TableCell => {
                self.flush();
                if matches!(self.containers.last(), Some(Container::Cell { .. })) {
                    self.containers.pop();
                }
                if let Some(t) = self.tables.last_mut() {
                    t.col += 1;
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_head = false;
                    t.row += 1;
                }
            }
            TagEnd::Table => {
                self.flush();
                self.tables.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link => self.close(),
            _ => {}
        }
    }

    /// What a paragraph is in the innermost container.
    fn context_kind(&self) -> BlockKind {
        paragraph_kind(&self.containers)
    }

    fn push(&mut self, inline: Inline) {
        if self.current.is_none() {
            // Text outside a paragraph: a tight list item or a table cell.
            self.current = Some(self.context_kind());
        }
        push_inline(&mut self.inlines.last_mut().expect("root stays").1, inline);
    }

    fn open(&mut self, container: Inline) {
        if self.current.is_none() {
            self.current = Some(self.context_kind());
        }
        // Past this depth markup is dropped (its text kept), so that no
        // input can make the recursive walks over inline content overflow.
        let container = (self.inlines.len() <= MAX_INLINE_DEPTH).then_some(container);
        self.inlines.push((container, Vec::new()));
    }

    fn close(&mut self) {
        if self.inlines.len() < 2 {
            return;
        }
        let (container, children) = self.inlines.pop().expect("checked length");
        let inline = match container {
            Some(Inline::Emphasis(_)) => Inline::Emphasis(children),
            Some(Inline::Strong(_)) => Inline::Strong(children),
            Some(Inline::Link { href, title, .. }) => Inline::Link { href, title, children },
            _ => {
                let parent = &mut self.inlines.last_mut().expect("root stays").1;
                for c in children {
                    push_inline(parent, c);
                }
                return;
            }
        };
        push_inline(&mut self.inlines.last_mut().expect("root stays").1, inline);
    }

    /// Ends the block being collected, if any.
    fn flush(&mut self) {
        // Markup left open (which pulldown-cmark does not produce) is folded
        // into its parent rather than losing text.
        while self.inlines.len() > 1 {
            let (_, children) = self.inlines.pop().expect("checked length");
            let parent = &mut self.inlines.last_mut().expect("root stays").1;
            for c in children {
                push_inline(parent, c);
            }
        }
        let inlines = std::mem::take(&mut self.inlines[0].1);
        if let Some(kind) = self.current.take()
            && let Some(block) = finish_block(kind, inlines)
        {
            self.blocks.push(block);
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `<br>`, `<br/>`, `<br />`, any case.
fn is_br(html: &str) -> bool {
    let tag = html.trim().to_ascii_lowercase();
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
    inner == "br"
}

/// The two front-matter keys diglot reads. Values are taken line by line as
/// `key: value`, surrounding quotes removed; anything else is ignored.
#[derive(Debug, Default)]
struct FrontMatter {
    title: Option<String>,
    lang: Option<String>,
}

impl FrontMatter {
    fn parse(yaml: &str) -> FrontMatter {
        let mut front = FrontMatter::default();
        for line in yaml.lines() {
            let Some((key, value)) = line.split_once(':') else { continue };
            // Only top-level keys: indented lines belong to nested maps.
            if key.starts_with([' ', '\t']) {
                continue;
            }
            let value = unquote(value.trim());
            match key.trim() {
                "title" => front.title = Some(value),
                "lang" | "language" => front.lang = Some(value),
                _ => {}
            }
        }
        front
    }
}

fn unquote(value: &str) -> String {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            let inner = &value[1..value.len() - 1];
            return if q == '"' { inner.replace("\\\"", "\"") } else { inner.replace("''", "'") };
        }
    }
    value.to_string()
}
