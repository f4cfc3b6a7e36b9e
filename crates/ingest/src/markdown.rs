//! Markdown through pulldown-cmark (CommonMark with GFM tables, task lists,
//! strikethrough, footnotes and heading attributes), front matter read by
//! [`crate::front_matter`].
//!
//! - The first block, when it is an H1, is the title; otherwise the front
//!   matter's `title:` is. Any other H1 is a `Heading { level: 1 }`: the
//!   author's level is kept. The other translated front-matter keys
//!   (`description` and `summary` unless the pipeline names others) are
//!   `Metadata` blocks.
//! - Paragraphs in block quotes are quotes; list items are one block per
//!   paragraph (tight items: per item), `depth` counting nested lists.
//! - Code blocks, HTML blocks and thematic breaks are not prose: they are
//!   no block, and the skeleton lists them as verbatim.
//! - Inline images are [`Inline::Image`]: alternative text and title are
//!   translated. Reference images (`![alt][label]`, `![alt][]`, `![alt]`)
//!   are [`Inline::RefImage`]: alternative text translated, label kept.
//!   Inline HTML tags (but `<br>`, a hard break written back as
//!   the tag), autolinks, footnote references and
//!   shortcodes are raw pieces, kept as written; shortcodes opening or
//!   closing a paragraph stay outside its text. A paragraph of raw pieces
//!   alone (images without words in their alternative text or title too)
//!   is no block; one image with words is a block, so its alternative text
//!   is a message.
//! - Reference links keep their label, not the URL.
//! - Footnote definitions' paragraphs are paragraphs; the skeleton records
//!   each definition's label and range, and each table's column alignment,
//!   for the HTML edition.
//!
//! Alongside the document, `read` returns the [`Skeleton`]: the byte
//! range of each block's text in the source, so the Markdown edition can be
//! the source itself with only those ranges replaced.

use std::ops::Range;

use crate::container::{Container, Table, paragraph_kind};
use crate::front_matter;
use diglot_core::inline::InlineStyle;
use diglot_core::{
    Block, BlockKind, ColumnAlign, Diagnostic, Document, Footnote, FrontMatter, Inline, LineIndex,
    Severity, Skeleton, SourceFormat, Span, SpanKind, Verbatim, VerbatimKind, parse_locale,
};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::{finish_block, push_inline, sat_u8, sat_u16};

const MAX_INLINE_DEPTH: usize = 100;

#[derive(Debug, Default)]
struct Reader<'a> {
    source: &'a str,
    blocks: Vec<Block>,
    /// The source range of each block's text, by block.
    ranges: Vec<Range<usize>>,
    /// How each block writes its markup, by block.
    styles: Vec<InlineStyle>,
    /// How the block being collected writes its markup so far.
    style: InlineStyle,
    containers: Vec<Container>,
    /// `Some(ordered)` for each open list.
    lists: Vec<bool>,
    tables: Vec<Table>,
    /// Each table's column alignment, in table order.
    table_alignments: Vec<Vec<ColumnAlign>>,
    footnotes: Vec<Footnote>,
    next_table: usize,
    /// The kind of the block being collected, once it has one.
    current: Option<BlockKind>,
    /// The source range of the block being collected so far.
    range: Option<Range<usize>>,
    /// Open inline containers with their children; the root has no container.
    inlines: Vec<(Option<Inline>, Vec<Inline>)>,
    /// Depth of skipped blocks (code, HTML) we are inside.
    skipping: usize,
    /// Blocks with nothing to translate, in source order.
    verbatim: Vec<Verbatim>,
    /// What is kept untranslated that a reader would take for text: where
    /// it starts, what it is, how to have it translated.
    untranslated: Vec<(usize, &'static str, &'static str)>,
    /// Depth of images (and autolinks) we are inside: their content is no
    /// inline content.
    image: usize,
    /// The image being read, collecting its alternative text; `None` inside
    /// a raw piece (an autolink).
    alt: Option<Inline>,
    /// Shortcodes and footnote references in text: raw pieces.
    raws: Vec<Range<usize>>,
}

/// The options diglot reads Markdown with. Front matter is found before
/// parsing, so pulldown-cmark's metadata blocks stay off: with them on, a
/// `---` rule in the middle of an article would start one.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Reads a Markdown article; `keys` are the front-matter keys translated.
pub(crate) fn read(source: &str, keys: &[String]) -> (Document, Skeleton) {
    let front = front_matter::find(source);
    let body_start = front.as_ref().map_or(0, |f| f.range.end);
    let mut reader = Reader { source, inlines: vec![(None, Vec::new())], ..Reader::default() };
    let parser = Parser::new_ext(&source[body_start..], options());
    let references = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| {
            (
                label.to_string(),
                (def.dest.to_string(), def.title.as_deref().unwrap_or("").to_string()),
            )
        })
        .collect();
    let events: Vec<(Event<'_>, Range<usize>)> = parser
        .into_offset_iter()
        .map(|(event, range)| (event, range.start + body_start..range.end + body_start))
        .collect();
    reader.raws = diglot_core::inline::raw_text_ranges(source, &events);
    for (event, range) in events {
        reader.event(event, range);
    }
    reader.flush();
    let Reader {
        mut blocks,
        ranges,
        styles,
        mut verbatim,
        mut untranslated,
        table_alignments,
        footnotes,
        ..
    } = reader;
    untranslated.extend(front_matter_problems(source, front.as_ref(), keys));
    untranslated.sort_by_key(|(offset, ..)| *offset);
    let warnings = warnings(source, &untranslated);
    verbatim.sort_by_key(|v| v.range.start);
    let mut spans: Vec<Span> = ranges
        .into_iter()
        .enumerate()
        .map(|(block, range)| Span {
            kind: inline_span_kind(source, &range, blocks[block].kind, styles[block].clone()),
            range,
            block,
        })
        .collect();
    let mut lang = None;
    if let Some(fm) = &front {
        lang = fm.field("lang").or_else(|| fm.field("language")).map(|f| f.value.clone());
        front_matter_blocks(fm, keys, &mut blocks, &mut spans);
    }
    spans.sort_by_key(|s| s.range.start);
    let document = Document { lang: lang.and_then(|l| parse_locale(&l).ok()), blocks };
    let skeleton = Skeleton {
        source: source.to_string(),
        bom: false,
        format: SourceFormat::Markdown,
        front_matter: front,
        spans,
        references,
        verbatim,
        warnings,
        table_alignments,
        footnotes,
        image_attributes: Default::default(),
    };
    (document, skeleton)
}

/// Adds the translatable front-matter values as blocks: `title` is the
/// title when the body has none (and the same block when it says the same),
/// the other keys are `Metadata` blocks after the title.
fn front_matter_blocks(
    fm: &FrontMatter,
    keys: &[String],
    blocks: &mut Vec<Block>,
    spans: &mut Vec<Span>,
) {
    fn insert(
        blocks: &mut Vec<Block>,
        spans: &mut Vec<Span>,
        at: usize,
        block: Block,
        range: Range<usize>,
    ) {
        blocks.insert(at, block);
        for span in spans.iter_mut().filter(|s| s.block >= at) {
            span.block += 1;
        }
        spans.push(Span { range, block: at, kind: SpanKind::FrontMatterValue });
    }
    let mut next = 0;
    let translated = |key: &str| keys.iter().any(|k| k == key);
    let title = fm.field("title").filter(|f| translated("title") && !f.value.trim().is_empty());
    if let Some(title) = title {
        let body_title = blocks.iter().position(|b| b.kind == BlockKind::Title);
        match body_title {
            None => {
                insert(
                    blocks,
                    spans,
                    0,
                    Block::text(BlockKind::Title, title.value.trim()),
                    title.raw.clone(),
                );
                next = 1;
            }
            Some(i)
                if diglot_core::inline::plain_text(&blocks[i].inlines) == title.value.trim() =>
            {
                spans.push(Span {
                    range: title.raw.clone(),
                    block: i,
                    kind: SpanKind::FrontMatterValue,
                });
                next = i + 1;
            }
            Some(i) => {
                insert(
                    blocks,
                    spans,
                    i + 1,
                    Block::text(BlockKind::Metadata, title.value.trim()),
                    title.raw.clone(),
                );
                next = i + 2;
            }
        }
    } else if let Some(i) = blocks.iter().position(|b| b.kind == BlockKind::Title) {
        next = i + 1;
    }
    for key in keys.iter().filter(|k| *k != "title") {
        if let Some(field) = fm.field(key).filter(|f| !f.value.trim().is_empty()) {
            let block = Block::text(BlockKind::Metadata, field.value.trim());
            insert(blocks, spans, next, block, field.raw.clone());
            next += 1;
        }
    }
}

/// How a block's translation is written into its range: continued lines
/// take the block quote markers and indentation of the range's first line.
fn inline_span_kind(
    source: &str,
    range: &Range<usize>,
    kind: BlockKind,
    style: InlineStyle,
) -> SpanKind {
    let line_start = source[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = source[line_start..range.start]
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect::<String>();
    SpanKind::Inline {
        prefix,
        one_line: matches!(
            kind,
            BlockKind::Title | BlockKind::Heading { .. } | BlockKind::TableCell { .. }
        ),
        table_cell: matches!(kind, BlockKind::TableCell { .. }),
        style,
    }
}

impl Reader<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        let source = self.source;
        if self.image > 0 {
            match event {
                Event::Start(Tag::Image { .. } | Tag::Link { .. }) => self.image += 1,
                Event::End(TagEnd::Image | TagEnd::Link) => self.image -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                    diglot_core::inline::push_alt(&mut self.alt, &t)
                }
                Event::SoftBreak | Event::HardBreak => {
                    diglot_core::inline::push_alt(&mut self.alt, " ")
                }
                _ => {}
            }
            if self.image == 0
                && let Some(image) = self.alt.take()
            {
                self.push(image);
            }
            return;
        }
        if self.skipping > 0 {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => self.skipping += 1,
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => self.skipping -= 1,
                Event::Text(t) | Event::Html(t) => {
                    if let Some(Verbatim { kind: VerbatimKind::Code { text, .. }, .. }) =
                        self.verbatim.last_mut()
                    {
                        text.push_str(&t);
                    }
                }
                _ => {}
            }
            return;
        }
        match &event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let kind = VerbatimKind::Code { lang, text: String::new() };
                self.verbatim.push(Verbatim { range: range.clone(), kind, before_block: None });
            }
            Event::Start(Tag::HtmlBlock) => {
                let html = source[range.clone()].to_string();
                if has_text_outside_tags(&html) {
                    self.untranslated.push((range.start, HTML_BLOCK, HTML_BLOCK_HELP));
                }
                self.verbatim.push(Verbatim {
                    range: range.clone(),
                    kind: VerbatimKind::Html { html },
                    before_block: None,
                });
            }
            Event::Rule => self.verbatim.push(Verbatim {
                range: range.clone(),
                kind: VerbatimKind::Rule,
                before_block: None,
            }),
            _ => {}
        }
        if is_inline(&event) {
            self.range = Some(match self.range.take() {
                Some(r) => r.start.min(range.start)..r.end.max(range.end),
                None => range.clone(),
            });
        }
        self.note_style(&event, &range);
        match event {
            // A strikethrough's delimiters are raw pieces: its text is
            // translated, and a translation keeps them.
            Event::Start(Tag::Strikethrough) => {
                let delimiter = source[range].chars().take_while(|c| *c == '~').collect();
                self.push(Inline::Raw(delimiter));
            }
            Event::End(TagEnd::Strikethrough) => {
                let text = &source[range];
                let delimiter = &text[text.trim_end_matches('~').len()..];
                self.push(Inline::Raw(delimiter.to_string()));
            }
            // An image's alternative text and title are translated; its
            // source stays.
            Event::Start(Tag::Image { link_type: LinkType::Inline, dest_url, title, .. }) => {
                self.image = 1;
                self.alt = Some(Inline::Image {
                    src: dest_url.into_string(),
                    title: title.into_string(),
                    alt: String::new(),
                });
            }
            // A reference image's alternative text is translated; its
            // label stays, and the definition where it is.
            Event::Start(Tag::Image {
                link_type: LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut,
                id,
                ..
            }) => {
                self.image = 1;
                self.alt = Some(Inline::RefImage { label: id.into_string(), alt: String::new() });
            }
            // An autolink (its text is its URL) is one raw piece.
            Event::Start(
                Tag::Image { .. }
                | Tag::Link { link_type: LinkType::Autolink | LinkType::Email, .. },
            ) => {
                self.image = 1;
                self.push(Inline::Raw(source[range].to_string()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnotes.push(Footnote { label: label.to_string(), range });
                self.start(Tag::FootnoteDefinition(label));
            }
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if !self.raws.is_empty() => {
                let mut pieces = Vec::new();
                diglot_core::inline::split_text_event(source, &t, &range, &self.raws, |i| {
                    pieces.push(i)
                });
                for piece in pieces {
                    self.push(piece);
                }
            }
            Event::Text(t) => self.push(Inline::Text(t.into_string())),
            Event::Code(t) => self.push(Inline::Code(t.into_string())),
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push(Inline::Code(t.into_string()))
            }
            Event::SoftBreak => self.push(Inline::Text(" ".into())),
            Event::HardBreak => self.push(Inline::Break),
            Event::InlineHtml(_) if diglot_core::inline::within_raw(&self.raws, &range) => {}
            Event::InlineHtml(html) => {
                if diglot_core::inline::is_br(&html) {
                    self.push(Inline::Break);
                } else {
                    self.push(Inline::Raw(html.into_string()));
                }
            }
            Event::FootnoteReference(_) => self.push(Inline::Raw(source[range].to_string())),
            Event::Rule => self.flush(),
            // A task list item's state, the Markdown editions keep as
            // written.
            Event::TaskListMarker(checked) => {
                if let Some(Container::Item { task, .. }) = self.containers.last_mut() {
                    *task = Some(checked);
                }
            }
            // HTML outside an HtmlBlock carries no prose.
            Event::Html(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::MetadataBlock(_) => {}
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
                self.containers.push(Container::Item { ordered, depth, task: None });
            }
            Tag::Table(aligns) => {
                self.flush();
                self.table_alignments.push(aligns.iter().map(|a| column_align(*a)).collect());
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
            // A reference keeps its label; the URL stays in its definition.
            Tag::Link {
                link_type: LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut,
                id,
                ..
            } => self.open(Inline::RefLink { label: id.into_string(), children: Vec::new() }),
            Tag::Link { dest_url, title, .. } => self.open(Inline::Link {
                href: dest_url.into_string(),
                title: title.into_string(),
                children: Vec::new(),
            }),
            // An image's alt text arrives as its children's text events.
            Tag::Image { .. } => {}
            // Not enabled; read their content as ordinary text.
            // Recorded with its range in `event`.
            Tag::FootnoteDefinition(_) => self.flush(),
            Tag::DefinitionList
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
            TagEnd::FootnoteDefinition => self.flush(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link => self.close(),
            _ => {}
        }
    }

    /// What a paragraph is in the innermost container.
    fn context_kind(&self) -> BlockKind {
        paragraph_kind(&self.containers)
    }

    /// Records the delimiters the block writes emphasis, strong emphasis and
    /// hard breaks with, and which references it writes as shortcuts or
    /// collapsed.
    fn note_style(&mut self, event: &Event<'_>, range: &Range<usize>) {
        let starts_with = |c: char| self.source[range.clone()].starts_with(c);
        match event {
            Event::Start(Tag::Emphasis) if starts_with('_') => {
                self.style.underscore_emphasis = true
            }
            Event::Start(Tag::Strong) if starts_with('_') => self.style.underscore_strong = true,
            Event::HardBreak => {
                self.style.space_breaks.push(starts_with(' '));
                self.style.html_breaks.push(String::new());
            }
            // Written back as it was; read as a hard break.
            Event::InlineHtml(html) if diglot_core::inline::is_br(html) => {
                self.style.space_breaks.push(false);
                self.style.html_breaks.push(html.to_string());
            }
            // A reference written `[label]` or `[label][]` is written back
            // so where its text stays the label.
            Event::Start(
                Tag::Link { link_type: LinkType::Shortcut, id, .. }
                | Tag::Image { link_type: LinkType::Shortcut, id, .. },
            ) => self.style.shortcut_refs.push(id.to_string()),
            Event::Start(
                Tag::Link { link_type: LinkType::Collapsed, id, .. }
                | Tag::Image { link_type: LinkType::Collapsed, id, .. },
            ) => self.style.collapsed_refs.push(id.to_string()),
            _ => {}
        }
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
            Some(Inline::RefLink { label, .. }) => Inline::RefLink { label, children },
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

    /// Shortcodes opening or closing a block (`{{% note %}}` … `{{% /note %}}`)
    /// stay out of its message and its range: they stay where they are.
    fn trim_shortcodes(&self, inlines: &mut Vec<Inline>, range: &mut Range<usize>) {
        let source = self.source;
        let is_shortcode =
            |i: Option<&Inline>| matches!(i, Some(Inline::Raw(r)) if r.starts_with('{'));
        while is_shortcode(inlines.first())
            && let Some(raw) = self.raws.iter().find(|r| r.start == range.start)
        {
            inlines.remove(0);
            let rest = &source[raw.end..range.end];
            range.start = range.end - rest.trim_start().len();
        }
        while is_shortcode(inlines.last())
            && let Some(raw) = self.raws.iter().find(|r| r.end == range.end)
        {
            inlines.pop();
            let before = &source[range.start..raw.start];
            range.end = range.start + before.trim_end().len();
        }
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
        let mut inlines = std::mem::take(&mut self.inlines[0].1);
        let mut range = self.range.take();
        let mut style = std::mem::take(&mut self.style);
        if style.html_breaks.iter().all(String::is_empty) {
            style.html_breaks.clear();
        }
        if let Some(r) = range.as_mut() {
            self.trim_shortcodes(&mut inlines, r);
        }
        // Images without words (linked or not), tags or shortcodes with no
        // text around.
        let only_raw = !inlines.is_empty()
            && diglot_core::inline::raw_pieces_only(&inlines)
            && diglot_core::inline::plain_text(&inlines).trim().is_empty();
        let (Some(kind), Some(range)) = (self.current.take(), range) else { return };
        match finish_block(kind, inlines) {
            Some(block) => {
                self.blocks.push(block);
                self.ranges.push(range);
                self.styles.push(style);
            }
            None if only_raw => {
                let markdown = self.source[range.clone()].to_string();
                self.verbatim.push(Verbatim {
                    range,
                    kind: VerbatimKind::Raw { markdown },
                    before_block: None,
                });
            }
            None => {}
        }
    }
}

fn column_align(align: pulldown_cmark::Alignment) -> ColumnAlign {
    match align {
        pulldown_cmark::Alignment::None => ColumnAlign::None,
        pulldown_cmark::Alignment::Left => ColumnAlign::Left,
        pulldown_cmark::Alignment::Center => ColumnAlign::Center,
        pulldown_cmark::Alignment::Right => ColumnAlign::Right,
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

/// Whether raw HTML has letters outside its tags and comments: text a
/// reader sees. (A quick look for a warning, not a parse: an HTML parser
/// per block would cost more than reading the whole article.)
fn has_text_outside_tags(html: &str) -> bool {
    let mut rest = html;
    loop {
        let (text, tail) = match rest.find('<') {
            Some(i) => rest.split_at(i),
            None => return rest.chars().any(char::is_alphabetic),
        };
        if text.chars().any(char::is_alphabetic) {
            return true;
        }
        let close = if tail.starts_with("<!--") { "-->" } else { ">" };
        match tail.find(close) {
            Some(i) => rest = &tail[i + close.len()..],
            None => return false,
        }
    }
}

const HTML_BLOCK: &str = "an HTML block is published as written: its text is not translated";
const HTML_BLOCK_HELP: &str =
    "write the text as Markdown, with blank lines around the HTML tags, to translate it";

/// Front matter diglot reads past: one never closed (so read as Markdown),
/// and translated keys whose value is not a single-line string.
fn front_matter_problems(
    source: &str,
    front: Option<&FrontMatter>,
    keys: &[String],
) -> Vec<(usize, &'static str, &'static str)> {
    let Some(front) = front else {
        let opens = ["---\n", "---\r\n", "+++\n", "+++\r\n"].iter().any(|d| source.starts_with(d));
        return if opens {
            vec![(
                0,
                "front matter is never closed, so the file is read as Markdown from its first line",
                "end the front matter with a line of `---` (YAML) or `+++` (TOML)",
            )]
        } else {
            Vec::new()
        };
    };
    let block = &source[front.range.clone()];
    keys.iter()
        .filter(|key| front.keys.contains(key) && front.field(key).is_none())
        .filter_map(|key| {
            let at = block
                .match_indices(key.as_str())
                .find(|(i, _)| *i > 0 && block.as_bytes()[i - 1] == b'\n')
                .map(|(i, _)| front.range.start + i)?;
            Some((
                at,
                "this front-matter value is published as written: only single-line strings are translated",
                "write the value on one line, quoted if it holds a colon",
            ))
        })
        .collect()
}

/// A warning for each thing kept untranslated (`file` left empty for the
/// pipeline to fill).
fn warnings(source: &str, found: &[(usize, &str, &str)]) -> Vec<Diagnostic> {
    if found.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(source);
    found
        .iter()
        .map(|&(offset, message, help)| {
            let (line, col) = index.line_col(offset);
            Diagnostic {
                severity: Severity::Warning,
                file: String::new(),
                line,
                col,
                message_id: None,
                message: message.into(),
                help: Some(help.into()),
                source_line: index.line_text(source, line).map(str::to_string),
            }
        })
        .collect()
}

/// Events that belong to a block's inline content (and so to its range).
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_) => true,
        Event::Html(_) | Event::DisplayMath(_) | Event::Rule | Event::TaskListMarker(_) => false,
    }
}
