//! HTML through scraper (html5ever): only the article's content is read.
//!
//! - The content root is the first `<article>`, else `<main>`, else `<body>`
//!   (not counting any inside skipped elements such as `<aside>`).
//! - The title is the root's first `<h1>` (one inside the root's `<header>`
//!   counts), taken out of the flow; else the page's `<title>`, as is.
//! - Elements that are not article prose are skipped with everything inside
//!   them: see [`SKIPPED`], plus any element with the `hidden` attribute.
//!   `<pre>` is skipped like Markdown code blocks.
//! - `h2`..`h6` are headings, a later `h1` a `Heading { level: 1 }`; `p` and
//!   text lying directly in a `div` (or any block container) are paragraphs,
//!   or quotes, list items or table cells inside `blockquote`, `li`, `td`/`th`.
//! - Inline: `em`/`i`, `strong`/`b`, `code`/`kbd`/`samp`/`tt`, `a[href]`,
//!   `br`; other inline elements give their text. An inline element holding
//!   block elements (`<a><p>..</p></a>`) is read as a block container and its
//!   own markup dropped. Images are dropped: their alt text describes a picture
//!   the edition does not carry.

use crate::container::{Container, Table, paragraph_kind};
use diglot_core::{Block, BlockKind, Document, Inline, parse_locale};
use scraper::{ElementRef, Html, Node};

use crate::{finish_block, push_inline, sat_u8, sat_u16};

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "form",
    "button", "svg", "math", "iframe", "object", "embed", "canvas", "video", "audio", "select",
    "textarea", "input", "dialog", "pre", "img", "picture",
];

/// Elements that start a block of their own. Anything else is inline.
const BLOCK: &[&str] = &[
    "html",
    "body",
    "article",
    "main",
    "section",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "blockquote",
    "ul",
    "ol",
    "menu",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "fieldset",
    "legend",
    "center",
    "hr",
    "header",
    "footer",
    "nav",
    "aside",
    "pre",
];

/// Beyond this nesting, structure is ignored and text read flat, so that no
/// input can exhaust the stack.
const MAX_DEPTH: usize = 100;

pub(crate) fn read(source: &str) -> Document {
    // Nesting past a cap would make the parser quadratic.
    let (source, _) = crate::html_depth::cap(source);
    let html = Html::parse_document(&source);
    let elements = || html.tree.root().descendants().filter_map(ElementRef::wrap);
    let Some(html_el) = elements().find(|e| e.value().name() == "html") else {
        return Document { lang: None, blocks: Vec::new() };
    };
    let root = ["article", "main", "body"]
        .iter()
        .find_map(|name| elements().find(|e| e.value().name() == *name && !in_skipped(*e, None)))
        .unwrap_or(html_el);

    let title_el = root
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "h1" && !in_skipped(*e, Some("header")));
    let mut reader = Reader { title: title_el, ..Reader::default() };
    if let Some(h1) = title_el
        && let Some(block) = reader.finish(BlockKind::Title, reader.inlines_of(h1, 0))
    {
        reader.blocks.push(block);
    } else if let Some(title) = elements().find(|e| e.value().name() == "title" && !in_svg(*e)) {
        let text = collapse(&title.text().collect::<String>());
        if let Some(block) = finish_block(BlockKind::Title, vec![Inline::Text(text)]) {
            reader.blocks.push(block);
        }
    }
    reader.walk(root, 0);
    reader.flush();

    let lang = [root, html_el]
        .iter()
        .filter_map(|e| e.value().attr("lang"))
        .find_map(|tag| parse_locale(tag.trim()).ok());
    Document { lang, blocks: reader.blocks }
}

fn is_skipped(el: ElementRef<'_>) -> bool {
    SKIPPED.contains(&el.value().name()) || el.value().attr("hidden").is_some()
}

/// Whether `el` lies inside a skipped element, `allowed` excepted.
fn in_skipped(el: ElementRef<'_>, allowed: Option<&str>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| is_skipped(a) && Some(a.value().name()) != allowed)
}

fn in_svg(el: ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| a.value().name() == "svg")
}

fn is_block(el: ElementRef<'_>) -> bool {
    BLOCK.contains(&el.value().name())
}

fn has_block_descendant(el: ElementRef<'_>) -> bool {
    el.descendants().skip(1).filter_map(ElementRef::wrap).any(is_block)
}

/// HTML white space (not the no-break space) folded to single spaces.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// The text of an element's descendants outside skipped elements, read
/// without recursion.
fn flat_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        if let Node::Text(t) = node.value()
            && !node.ancestors().filter_map(ElementRef::wrap).take(MAX_DEPTH).any(is_skipped)
        {
            out.push_str(t);
        }
    }
    collapse(&out)
}

#[derive(Debug, Default)]
struct Reader<'a> {
    blocks: Vec<Block>,
    /// The `<h1>` already read as the title.
    title: Option<ElementRef<'a>>,
    containers: Vec<Container>,
    /// Whether each open list is ordered.
    lists: Vec<bool>,
    tables: Vec<Table>,
    next_table: usize,
    /// Inline content of the anonymous block being collected.
    run: Vec<Inline>,
}

impl<'a> Reader<'a> {
    /// Reads the children of a block container.
    fn walk(&mut self, el: ElementRef<'a>, depth: usize) {
        if depth > MAX_DEPTH {
            push_inline(&mut self.run, Inline::Text(flat_text(el)));
            return;
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => push_inline(&mut self.run, Inline::Text(collapse(t))),
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(child) else { continue };
                    if is_skipped(child) || Some(child) == self.title {
                        continue;
                    }
                    if is_block(child) || has_block_descendant(child) {
                        self.flush();
                        self.block(child, depth + 1);
                        self.flush();
                    } else {
                        let inlines = self.inlines_of_element(child, depth + 1);
                        for inline in inlines {
                            push_inline(&mut self.run, inline);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads a block-level element.
    fn block(&mut self, el: ElementRef<'a>, depth: usize) {
        let name = el.value().name();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(2);
                let inlines = self.inlines_of(el, depth);
                if let Some(block) = self.finish(BlockKind::Heading { level }, inlines) {
                    self.blocks.push(block);
                }
            }
            "p" => {
                let inlines = self.inlines_of(el, depth);
                if let Some(block) = self.finish(self.context_kind(), inlines) {
                    self.blocks.push(block);
                }
            }
            "blockquote" => self.within(Container::Quote, el, depth),
            "ul" | "ol" | "menu" => {
                self.lists.push(name == "ol");
                self.walk(el, depth);
                self.lists.pop();
            }
            "li" => {
                let ordered = self.lists.last().copied().unwrap_or(false);
                let depth_in_lists = sat_u8(self.lists.len().saturating_sub(1));
                self.within(Container::Item { ordered, depth: depth_in_lists }, el, depth);
            }
            "table" => {
                self.tables.push(Table { index: sat_u16(self.next_table), ..Table::default() });
                self.next_table += 1;
                self.walk(el, depth);
                self.tables.pop();
            }
            "thead" => {
                let was = self.tables.last().is_some_and(|t| t.in_head);
                self.set_in_head(true);
                self.walk(el, depth);
                self.set_in_head(was);
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.col = 0;
                }
                self.walk(el, depth);
                if let Some(t) = self.tables.last_mut() {
                    t.row += 1;
                }
            }
            "td" | "th" => {
                let Some(t) = self.tables.last() else {
                    // A cell outside a table: read its content as prose.
                    self.walk(el, depth);
                    return;
                };
                let cell = Container::Cell {
                    table: t.index,
                    row: sat_u16(t.row),
                    col: sat_u16(t.col),
                    header: name == "th" || t.in_head,
                };
                self.within(cell, el, depth);
                if let Some(t) = self.tables.last_mut() {
                    t.col += 1;
                }
            }
            "hr" => {}
            _ => self.walk(el, depth),
        }
    }

    fn set_in_head(&mut self, in_head: bool) {
        if let Some(t) = self.tables.last_mut() {
            t.in_head = in_head;
        }
    }

    fn within(&mut self, container: Container, el: ElementRef<'a>, depth: usize) {
        self.containers.push(container);
        self.walk(el, depth);
        self.flush();
        self.containers.pop();
    }

    /// What a paragraph is in the innermost container.
    fn context_kind(&self) -> BlockKind {
        paragraph_kind(&self.containers)
    }

    /// Ends the anonymous block being collected, if it holds any text.
    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        if let Some(block) = self.finish(self.context_kind(), run) {
            self.blocks.push(block);
        }
    }

    fn finish(&self, kind: BlockKind, mut inlines: Vec<Inline>) -> Option<Block> {
        let mut after_space = true;
        fold_spaces(&mut inlines, &mut after_space);
        finish_block(kind, inlines)
    }

    /// The inline content of an element's children.
    fn inlines_of(&self, el: ElementRef<'a>, depth: usize) -> Vec<Inline> {
        if depth > MAX_DEPTH {
            return vec![Inline::Text(flat_text(el))];
        }
        let mut out = Vec::new();
        for child in el.children() {
            match child.value() {
                Node::Text(t) => push_inline(&mut out, Inline::Text(collapse(t))),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        for inline in self.inlines_of_element(child, depth + 1) {
                            push_inline(&mut out, inline);
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The inline content an element stands for: one markup node, or its
    /// children's content when it carries no markup diglot keeps.
    fn inlines_of_element(&self, el: ElementRef<'a>, depth: usize) -> Vec<Inline> {
        if is_skipped(el) || Some(el) == self.title {
            return Vec::new();
        }
        let value = el.value();
        match value.name() {
            "br" => vec![Inline::Break],
            "em" | "i" => vec![Inline::Emphasis(self.inlines_of(el, depth))],
            "strong" | "b" => vec![Inline::Strong(self.inlines_of(el, depth))],
            "code" | "kbd" | "samp" | "tt" => {
                vec![Inline::Code(collapse(&flat_text(el)).trim().to_string())]
            }
            "a" if value.attr("href").is_some() => vec![Inline::Link {
                href: value.attr("href").unwrap_or_default().trim().to_string(),
                title: collapse(value.attr("title").unwrap_or_default()).trim().to_string(),
                children: self.inlines_of(el, depth),
            }],
            _ => self.inlines_of(el, depth),
        }
    }
}

/// Folds the spaces HTML would not show: one after another across markup
/// boundaries. (Those next to a line break go in `finish_block`.)
fn fold_spaces(inlines: &mut [Inline], after_space: &mut bool) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => {
                if *after_space && t.starts_with(' ') {
                    t.remove(0);
                }
                if !t.is_empty() {
                    *after_space = t.ends_with(' ');
                }
            }
            Inline::Code(_) | Inline::Raw(_) => *after_space = false,
            Inline::Break => *after_space = true,
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => fold_spaces(c, after_space),
        }
    }
}
