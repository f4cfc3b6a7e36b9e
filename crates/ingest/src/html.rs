//! HTML through scraper (html5ever): only the article's content is read.
//!
//! - The content root is the first `<article>`, else `<main>`, else `<body>`
//!   (not counting any inside skipped elements such as `<aside>`).
//! - The title is the root's first `<h1>` (one inside the root's `<header>`
//!   counts), taken out of the flow; else the page's `<title>`, as is.
//! - Elements that are not article prose are skipped with everything inside
//!   them: see [`SKIPPED`], plus any element with the `hidden` attribute.
//!   Those of them that are article content ([`KEPT`]) are kept as they are
//!   instead, as the skeleton's verbatim blocks placed by block index:
//!   `<pre>` as code (with the language its `language-*` class names),
//!   media, forms and the like as HTML, with a warning at their start tag's
//!   `line:col`.
//! - `h2`..`h6` are headings, a later `h1` a `Heading { level: 1 }`; `p` and
//!   text lying directly in a `div` (or any block container) are paragraphs,
//!   or quotes, list items or table cells inside `blockquote`, `li`, `td`/`th`.
//! - Inline: `em`/`i`, `strong`/`b`, `code`/`kbd`/`samp`/`tt`, `a[href]`,
//!   `br`; other inline elements give their text. An inline element holding
//!   block elements (`<a><p>..</p></a>`) is read as a block container and its
//!   own markup dropped. An `<img>` (or `<picture>`) is a raw piece written
//!   as a Markdown image; a paragraph of images alone (a figure's image) is
//!   a verbatim block, and a `<figcaption>` a paragraph after it.

mod source;

use crate::container::{Container, Table, paragraph_kind};
use diglot_core::{
    Block, BlockKind, Diagnostic, Document, Inline, LineIndex, Severity, Skeleton, SourceFormat,
    Span, SpanKind, Verbatim, VerbatimKind, parse_locale,
};
use scraper::{ElementRef, Html, Node};

use crate::{finish_block, push_inline, sat_u8, sat_u16};

/// A strikethrough delimiter, a raw piece of its own, as Markdown's `~~`.
const STRIKE: &str = "~~";

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "form",
    "button", "svg", "math", "iframe", "object", "embed", "canvas", "video", "audio", "select",
    "textarea", "input", "dialog", "pre", "img", "picture",
];

/// Skipped elements that are article content all the same: inside the
/// article they are kept as they are (`pre` as code, `img` and `picture` as
/// images, the rest as HTML with a warning), never dropped.
const KEPT: &[&str] = &[
    "pre", "img", "picture", "svg", "math", "iframe", "object", "embed", "canvas", "video",
    "audio", "form", "button", "select", "textarea", "input", "dialog",
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

pub(crate) fn read(source: &str) -> (Document, Skeleton) {
    // Nesting past a cap would make the parser quadratic.
    let (capped, _) = crate::html_depth::cap(source);
    let html = Html::parse_document(&capped);
    let elements = || html.tree.root().descendants().filter_map(ElementRef::wrap);
    let mut skeleton =
        Skeleton { source: source.to_string(), format: SourceFormat::Html, ..Skeleton::default() };
    let Some(html_el) = elements().find(|e| e.value().name() == "html") else {
        return (Document { lang: None, blocks: Vec::new() }, skeleton);
    };
    let root = ["article", "main", "body"]
        .iter()
        .find_map(|name| elements().find(|e| e.value().name() == *name && !in_skipped(*e, None)))
        .unwrap_or(html_el);

    let title_el = root
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "h1" && !in_skipped(*e, Some("header")));
    let positions = source::Positions::new(source, &html);
    let mut reader =
        Reader { title: title_el, positions: Some(&positions), source, ..Reader::default() };
    let page_title = elements().find(|e| e.value().name() == "title" && !in_svg(*e));
    // Where the headline's translation goes in the page's `<title>`.
    let mut title_part = None;
    if let Some(h1) = title_el
        && let Some(block) = reader.finish(BlockKind::Title, reader.inlines_of(h1, 0))
    {
        let headline = diglot_core::inline::plain_text(&block.inlines);
        reader.blocks.push(block);
        reader.owners.push(Some((Some(h1), h1)));
        reader.extents.push(None);
        // The page's `<title>`: the headline (alone, or beside the site's
        // name) takes the headline's translation; any other text is a
        // message of its own.
        if let Some(title) = page_title {
            title_part = source::title_part(source, &positions, title, &headline);
            let text = collapse(&title.text().collect::<String>());
            if title_part.is_none()
                && let Some(block) = finish_block(BlockKind::Metadata, vec![Inline::Text(text)])
            {
                reader.blocks.push(block);
                reader.owners.push(Some((Some(title), title)));
                reader.extents.push(None);
            }
        }
    } else if let Some(title) = page_title {
        let text = collapse(&title.text().collect::<String>());
        if let Some(block) = finish_block(BlockKind::Title, vec![Inline::Text(text)]) {
            reader.blocks.push(block);
            reader.owners.push(Some((Some(title), title)));
            reader.extents.push(None);
        }
    }
    reader.walk(root, 0);
    reader.flush();

    let lang = [root, html_el]
        .iter()
        .filter_map(|e| e.value().attr("lang"))
        .find_map(|tag| parse_locale(tag.trim()).ok());
    let (mut spans, missing) =
        source::spans(source, &positions, &reader.blocks, &reader.owners, &reader.extents);
    if let Some(range) = title_part {
        spans.push(Span { range, block: 0, kind: SpanKind::HtmlText });
        spans.sort_by_key(|s| s.range.start);
    }
    skeleton.spans = spans;
    skeleton.image_attributes = image_attributes(source, &positions, &reader.images.borrow());
    let mut kept: Vec<(usize, Kept)> =
        reader.kept.iter().map(|(at, name)| (*at, Kept::Element(name.clone()))).collect();
    kept.extend(missing.into_iter().map(|(_, at, why)| (at.unwrap_or(0), Kept::Untranslated(why))));
    kept.sort_by_key(|(at, _)| *at);
    skeleton.verbatim = reader.verbatim;
    skeleton.warnings = kept_warnings(source, &kept);
    (Document { lang, blocks: reader.blocks }, skeleton)
}

fn is_skipped(el: ElementRef<'_>) -> bool {
    SKIPPED.contains(&el.value().name()) || el.value().attr("hidden").is_some()
}

/// A `<header>` or `<footer>` of an article or a section (a byline, a
/// standfirst, a credit), rather than of the page: article content.
fn is_article_part(el: ElementRef<'_>) -> bool {
    matches!(el.value().name(), "header" | "footer")
        && el.value().attr("hidden").is_none()
        && el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| matches!(a.value().name(), "article" | "section"))
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

/// The element whose whole content a block is (if any), and the element it
/// lies in.
type Owner<'a> = Option<(Option<ElementRef<'a>>, ElementRef<'a>)>;

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
    /// Where elements start in the source.
    positions: Option<&'a source::Positions>,
    /// The source itself.
    source: &'a str,
    /// Blocks kept as they are (code, images, media), placed by block index.
    verbatim: Vec<Verbatim>,
    /// Elements kept untranslated that are worth a warning: where their
    /// start tag begins, and their name.
    kept: Vec<(usize, String)>,
    /// The element whose content each block is, when it is one's whole
    /// content, by block.
    owners: Vec<Owner<'a>>,
    /// The element whose children the run being collected starts in.
    run_owner: Option<ElementRef<'a>>,
    /// Elements of [`KEPT`] met inside inline content, kept after its block.
    inline_kept: std::cell::RefCell<Vec<ElementRef<'a>>>,
    /// The source range of each block that is a run of elements inside a
    /// larger element (a figure's image beside its caption), by block.
    extents: Vec<Option<std::ops::Range<usize>>>,
    /// The elements the run being collected is made of, when it has no
    /// text of its own outside them (`run_loose` false).
    run_elements: Vec<ElementRef<'a>>,
    run_loose: bool,
    /// Every image read, in order.
    images: std::cell::RefCell<Vec<ElementRef<'a>>>,
}

impl<'a> Reader<'a> {
    /// Reads the children of a block container.
    fn walk(&mut self, el: ElementRef<'a>, depth: usize) {
        if depth > MAX_DEPTH {
            push_inline(&mut self.run, Inline::Text(flat_text(el)));
            self.run_loose = true;
            return;
        }
        for child in el.children() {
            if self.run.is_empty() {
                self.run_owner = Some(el);
            }
            match child.value() {
                Node::Text(t) => {
                    self.run_loose |= !t.trim_ascii().is_empty();
                    push_inline(&mut self.run, Inline::Text(collapse(t)))
                }
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(child) else { continue };
                    if Some(child) == self.title {
                        continue;
                    }
                    if is_kept(child) && !is_image(child) {
                        self.flush();
                        self.keep(child);
                        continue;
                    }
                    if is_skipped(child) && !is_image(child) && !is_article_part(child) {
                        continue;
                    }
                    if is_block(child) || has_block_descendant(child) {
                        self.flush();
                        self.block(child, depth + 1);
                        self.flush();
                    } else {
                        self.run_elements.push(child);
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
                self.push_block(BlockKind::Heading { level }, inlines, Some((Some(el), el)), None);
            }
            "p" => {
                let inlines = self.inlines_of(el, depth);
                self.push_block(self.context_kind(), inlines, Some((Some(el), el)), None);
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
                self.within(
                    Container::Item { ordered, depth: depth_in_lists, task: None },
                    el,
                    depth,
                );
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
        // The run is its element's whole content only when nothing in it
        // starts a block of its own.
        let near = self.run_owner.take();
        let owner = near.filter(|o| !has_block_descendant(*o));
        let elements = std::mem::take(&mut self.run_elements);
        let loose = std::mem::take(&mut self.run_loose);
        // Else, when it is elements alone, the run is where they are.
        let extent = match (owner, elements.first(), elements.last(), self.positions) {
            (None, Some(first), Some(last), Some(p)) if !loose => {
                let end = p.start(*last).zip(p.outer(self.source, *last));
                p.start(*first).zip(end).map(|(start, (at, outer))| start..at + outer.len())
            }
            _ => None,
        };
        self.push_block(self.context_kind(), run, owner.or(near).map(|n| (owner, n)), extent);
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
        if is_image(el) {
            self.images.borrow_mut().push(el);
            return image_markdown(el).map(Inline::Raw).into_iter().collect();
        }
        if is_kept(el) {
            // Kept as a block of its own after the block it stands in.
            self.inline_kept.borrow_mut().push(el);
            return Vec::new();
        }
        if is_skipped(el) || Some(el) == self.title {
            return Vec::new();
        }
        let value = el.value();
        match value.name() {
            "br" => vec![Inline::Break],
            "em" | "i" => vec![Inline::Emphasis(self.inlines_of(el, depth))],
            "strong" | "b" => vec![Inline::Strong(self.inlines_of(el, depth))],
            // Struck text, as Markdown reads `~~`: its delimiters are raw
            // pieces around its text.
            "s" | "del" | "strike" => struck(self.inlines_of(el, depth)),
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

/// Struck content between two `~~`, spaces at its edges outside them (`~~a
/// ~~` would strike nothing in Markdown); content with no text is not struck.
fn struck(mut inner: Vec<Inline>) -> Vec<Inline> {
    let blank = |i: &Inline| matches!(i, Inline::Text(t) if t.trim().is_empty());
    if inner.iter().all(blank) {
        return inner;
    }
    let mut out = Vec::new();
    if let Some(Inline::Text(t)) = inner.first_mut()
        && t.starts_with(char::is_whitespace)
    {
        out.push(Inline::Text(" ".into()));
        *t = t.trim_start().to_string();
    }
    let after = match inner.last_mut() {
        Some(Inline::Text(t)) if t.ends_with(char::is_whitespace) => {
            *t = t.trim_end().to_string();
            true
        }
        _ => false,
    };
    inner.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    out.push(Inline::Raw(STRIKE.into()));
    out.extend(inner);
    out.push(Inline::Raw(STRIKE.into()));
    if after {
        out.push(Inline::Text(" ".into()));
    }
    out
}

/// Folds the spaces HTML would not show: one after another across markup
/// boundaries. (Those next to a line break go in `finish_block`.)
fn fold_spaces(inlines: &mut [Inline], after_space: &mut bool) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => {
                // Runs merged across an element left out may meet in two spaces.
                if t.contains("  ") {
                    *t = collapse(t);
                }
                if *after_space && t.starts_with(' ') {
                    t.remove(0);
                }
                if !t.is_empty() {
                    *after_space = t.ends_with(' ');
                }
            }
            Inline::Code(_) | Inline::Raw(_) | Inline::Image { .. } | Inline::RefImage { .. } => {
                *after_space = false
            }
            Inline::Break => *after_space = true,
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => fold_spaces(c, after_space),
        }
    }
}

/// Images and media: what the article keeps of the page beyond its prose.
impl<'a> Reader<'a> {
    /// Adds a block. When its content is images alone, it is one if their
    /// alternative text or titles have words (to translate), else they are
    /// kept as a verbatim block in its place.
    /// `owner` is the element whose content the block is, if it is one's
    /// whole content, and the element it lies in; `extent`, where the block
    /// lies when it is no element's whole content.
    fn push_block(
        &mut self,
        kind: BlockKind,
        inlines: Vec<Inline>,
        owner: Owner<'a>,
        extent: Option<std::ops::Range<usize>>,
    ) {
        let raws = raw_pieces(&inlines);
        let only_raws =
            !raws.is_empty() && diglot_core::inline::plain_text(&inlines).trim().is_empty();
        let markdown = only_raws.then(|| raws.join(" "));
        let block = match only_raws {
            true => as_images(&inlines).and_then(|images| self.finish(kind, images)),
            false => self.finish(kind, inlines),
        };
        if let Some(block) = block {
            self.blocks.push(block);
            self.owners.push(owner);
            self.extents.push(extent);
        } else if let Some(markdown) = markdown {
            self.push_verbatim(VerbatimKind::Raw { markdown }, 0);
        }
        let kept = std::mem::take(&mut *self.inline_kept.borrow_mut());
        for el in kept {
            self.keep(el);
        }
    }

    fn push_verbatim(&mut self, kind: VerbatimKind, at: usize) {
        let before_block = Some(self.blocks.len());
        self.verbatim.push(Verbatim { range: at..at, kind, before_block });
    }

    /// Keeps an element of [`KEPT`] as it is: `pre` as code with the
    /// language its class names, anything else as HTML, with a warning.
    fn keep(&mut self, el: ElementRef<'a>) {
        let at = self.positions.and_then(|p| p.start(el)).unwrap_or(0);
        let name = el.value().name();
        if name == "pre" {
            let text: String = el.text().collect();
            let lang = code_language(el).unwrap_or_default();
            self.push_verbatim(VerbatimKind::Code { lang, text }, at);
        } else {
            self.kept.push((at, name.to_string()));
            // As written (attributes in their order, quotes and all) where
            // the source says where it ends; else as the parser read it.
            let written = self.positions.and_then(|p| p.outer(self.source, el));
            let html = written.map_or_else(|| el.html(), str::to_string);
            self.push_verbatim(VerbatimKind::Html { html }, at);
        }
    }
}

fn is_kept(el: ElementRef<'_>) -> bool {
    KEPT.contains(&el.value().name()) && el.value().attr("hidden").is_none()
}

fn is_image(el: ElementRef<'_>) -> bool {
    matches!(el.value().name(), "img" | "picture") && el.value().attr("hidden").is_none()
}

/// An `<img>` (or a `<picture>`'s) as a Markdown image: `![alt](src "title")`.
fn image_markdown(el: ElementRef<'_>) -> Option<String> {
    let img = if el.value().name() == "img" {
        el
    } else {
        el.descendants().filter_map(ElementRef::wrap).find(|e| e.value().name() == "img")?
    };
    let value = img.value();
    let src = value.attr("src").unwrap_or_default().trim();
    if src.is_empty() {
        return None;
    }
    let alt = collapse(value.attr("alt").unwrap_or_default());
    let title = collapse(value.attr("title").unwrap_or_default());
    let mut out = String::from("![");
    for c in alt.trim().chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`' | '<' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("](");
    if src.contains([' ', '(', ')', '<', '>']) {
        out.push('<');
        out.push_str(&src.replace('<', "%3C").replace('>', "%3E"));
        out.push('>');
    } else {
        out.push_str(src);
    }
    if !title.trim().is_empty() {
        out.push_str(" \"");
        out.push_str(&title.trim().replace('\\', "\\\\").replace('"', "\\\""));
        out.push('"');
    }
    out.push(')');
    Some(out)
}

/// The language a code block's class names (`language-yaml`, `lang-yaml`),
/// on the `pre` or its `code`.
fn code_language(pre: ElementRef<'_>) -> Option<String> {
    let code = pre.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "code");
    [Some(pre), code].into_iter().flatten().find_map(|e| {
        e.value().classes().find_map(|c| {
            c.strip_prefix("language-").or_else(|| c.strip_prefix("lang-")).map(str::to_string)
        })
    })
}

/// Inline content whose raw pieces are all images, with each of them an
/// [`Inline::Image`]: its alternative text and title to translate.
fn as_images(inlines: &[Inline]) -> Option<Vec<Inline>> {
    inlines
        .iter()
        .map(|inline| {
            Some(match inline {
                Inline::Raw(raw) => {
                    let image = diglot_core::inline::image_parts(raw)?;
                    Inline::Image { src: image.src, title: image.title, alt: image.alt }
                }
                Inline::Emphasis(c) => Inline::Emphasis(as_images(c)?),
                Inline::Strong(c) => Inline::Strong(as_images(c)?),
                Inline::Link { href, title, children } => Inline::Link {
                    href: href.clone(),
                    title: title.clone(),
                    children: as_images(children)?,
                },
                other => other.clone(),
            })
        })
        .collect()
}

/// Attributes of images that an edition cannot carry in a message: those
/// of each image read beside `src`, `alt` and `title`, by `src` (the first
/// image with a source gives them), in the order the source writes them.
fn image_attributes(
    source: &str,
    positions: &source::Positions,
    images: &[ElementRef<'_>],
) -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    let mut out = std::collections::BTreeMap::new();
    for el in images {
        let img = if el.value().name() == "img" {
            Some(*el)
        } else {
            el.descendants().filter_map(ElementRef::wrap).find(|e| e.value().name() == "img")
        };
        let Some(img) = img else { continue };
        let value = img.value();
        let src = value.attr("src").unwrap_or_default().trim();
        if src.is_empty() || out.contains_key(src) {
            continue;
        }
        let mut names: Vec<String> = match positions.outer(source, img) {
            Some(tag) => source::attribute_order(tag),
            None => value.attrs().map(|(name, _)| name.to_ascii_lowercase()).collect(),
        };
        if positions.outer(source, img).is_none() {
            names.sort();
        }
        let mut attributes: Vec<(String, String)> = Vec::new();
        for name in names {
            if matches!(name.as_str(), "src" | "alt" | "title")
                || attributes.iter().any(|(n, _)| *n == name)
            {
                continue;
            }
            if let Some(v) = value.attr(&name) {
                attributes.push((name, v.to_string()));
            }
        }
        out.insert(src.to_string(), attributes);
    }
    out.retain(|_, attributes| !attributes.is_empty());
    out
}

/// The raw pieces of inline content, in order.
fn raw_pieces(inlines: &[Inline]) -> Vec<&str> {
    let mut out = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Raw(r) => out.push(r.as_str()),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => out.extend(raw_pieces(c)),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image { .. }
            | Inline::RefImage { .. }
            | Inline::Break => {}
        }
    }
    out
}

/// A warning for each element kept untranslated (`file` left empty for the
/// pipeline to fill).
/// What a warning of [`kept_warnings`] is about.
enum Kept {
    /// An element published as written.
    Element(String),
    /// A block the page edition leaves in the source language.
    Untranslated(source::Missing),
}

fn kept_warnings(source: &str, kept: &[(usize, Kept)]) -> Vec<Diagnostic> {
    let index = LineIndex::new(source);
    kept.iter()
        .map(|(offset, what)| {
            let (line, col) = index.line_col(*offset);
            let (message, help) = match what {
                Kept::Element(name) => (
                    format!("a <{name}> element is published as written: its text is not translated"),
                    "write the text the element shows as a paragraph or a caption beside it to translate it",
                ),
                Kept::Untranslated(source::Missing::Markup) => (
                    "this text stays in the source language in page.html, the translated page: \
                     diglot could not tell its inline tags from its text"
                        .to_string(),
                    "put an element that wraps some of the words (a <span>) around a whole sentence, or mark them up as a link, <em> or <code>",
                ),
                Kept::Untranslated(source::Missing::Place) => (
                    "this text stays in the source language in page.html, the translated page: \
                     diglot could not tell where it lies in the source"
                        .to_string(),
                    "put the text in an element of its own (a <p>, a <span> in a <div>) to have it translated there",
                ),
            };
            Diagnostic {
                severity: Severity::Warning,
                file: String::new(),
                line,
                col,
                message_id: None,
                message,
                help: Some(help.into()),
                source_line: index.line_text(source, line).map(str::to_string),
            }
        })
        .collect()
}
