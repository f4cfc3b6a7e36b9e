//! Markdown with YAML front matter that Hugo and Zola both read.
//!
//! The title lives in the front matter only: themes print it themselves.
//! Segment text is already Markdown inline syntax; it is copied through, not
//! re-rendered, with block starts (`1. `, `# `) escaped where a line start
//! would begin a block (paragraphs, quotes, list items, setext headings),
//! not in ATX headings and table cells, where it reads as text. Fallback
//! and draft markers are not carried: site generators strip raw HTML by
//! default, and the text reads correctly without them.

use std::ops::Range;

use diglot_core::inline::{
    InlineStyle, count_breaks, escape_block_starts, plain_text_of_markdown, to_markdown,
    to_markdown_styled,
};
use diglot_core::{
    Edition, FrontMatter, FrontMatterSyntax, SegmentStatus, Skeleton, SpanKind, Verbatim,
    VerbatimKind,
};

use crate::layout::{Cell, Group, ListItem, Table, group_with};

pub(crate) fn page(edition: &Edition) -> String {
    page_with(edition, &[])
}

/// The Markdown edition made from the model, with verbatim blocks (of an
/// HTML source) in their places.
pub(crate) fn page_with(edition: &Edition, verbatim: &[(usize, &Verbatim)]) -> String {
    let mut out = front_matter(edition);
    for g in group_with(&edition.blocks, verbatim) {
        let mut block = String::new();
        match &g {
            Group::Title(_) => continue,
            Group::Heading(level, b) => {
                block = format!("{} {}\n", "#".repeat(usize::from(*level)), one_line(&text(b)));
            }
            Group::Paragraph(b) => {
                block = escape_block_starts(&text(b));
                block.push('\n');
            }
            Group::Quote(blocks) => {
                for (i, b) in blocks.iter().enumerate() {
                    if i > 0 {
                        block.push_str(">\n");
                    }
                    for line in escape_block_starts(&text(b)).lines() {
                        block.push_str(if line.is_empty() { ">" } else { "> " });
                        block.push_str(line);
                        block.push('\n');
                    }
                }
            }
            Group::List(items) => list(items, &mut block),
            Group::Table(table) => self::table(table, &mut block),
            Group::Verbatim(v) => verbatim_markdown(v, &mut block),
        }
        out.push('\n');
        out.push_str(&block);
    }
    out
}

/// Whether the pipeline marked this edition a draft.
fn is_draft(edition: &Edition) -> bool {
    edition.draft
}

/// How much of the edition is translated and reviewed, as front-matter
/// fields: `(key, value)`, values already in YAML and TOML syntax.
///
/// `outdated`, present only when some are, counts the stale sentences the
/// edition shows in their previous translation (`[edition] stale =
/// "previous"`): a Markdown edition keeps the article's structure, so it
/// labels them by page, where the HTML editions label each sentence.
fn truth_fields(edition: &Edition) -> Vec<(&'static str, String)> {
    let c = edition.segment_counts();
    let mut fields = vec![
        ("coverage", format!("{:.1}", c.percent())),
        ("sentences", c.total.to_string()),
        ("reviewed", c.translated.to_string()),
        ("unreviewed", c.unreviewed.to_string()),
        ("stale", c.stale.to_string()),
    ];
    let outdated = edition
        .blocks
        .iter()
        .flat_map(|b| &b.segments)
        .filter(|s| s.status == SegmentStatus::Outdated)
        .count();
    if outdated > 0 {
        fields.push(("outdated", outdated.to_string()));
    }
    fields.push(("missing", c.missing.to_string()));
    fields
}

/// A block with nothing to translate, as Markdown: code fenced with its
/// language, raw HTML as an HTML block, a rule, an image paragraph as is.
fn verbatim_markdown(verbatim: &Verbatim, out: &mut String) {
    match &verbatim.kind {
        VerbatimKind::Code { lang, text } => {
            let fence = "`".repeat(longest_backtick_line(text).max(2) + 1);
            out.push_str(&fence);
            out.push_str(lang);
            out.push('\n');
            out.push_str(text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&fence);
            out.push('\n');
        }
        VerbatimKind::Html { html } => {
            out.push_str(html.trim_end());
            out.push('\n');
        }
        VerbatimKind::Rule => out.push_str("---\n"),
        VerbatimKind::Raw { markdown } => {
            out.push_str(markdown.trim_end());
            out.push('\n');
        }
    }
}

/// The longest run of backticks at the start of a line, so a fence around
/// the text is longer than any fence in it.
fn longest_backtick_line(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0)
}

fn front_matter(edition: &Edition) -> String {
    if edition.front_matter == FrontMatterSyntax::Toml {
        return toml_front_matter(edition);
    }
    let title = edition.title().unwrap_or_else(|| edition.slug.clone());
    let mut fm = String::from("---\n");
    fm.push_str(&format!("title: {}\n", quoted(&title)));
    if let Some(date) = edition.published {
        // Unquoted, so YAML (and Hugo, and Zola) read it as a date.
        fm.push_str(&format!("date: {date}\n"));
    }
    fm.push_str(&format!("lang: {}\n", quoted(&edition.locale.to_string())));
    fm.push_str(&format!("slug: {}\n", quoted(&edition.slug)));
    // Hugo links the language versions of a page by this key.
    fm.push_str(&format!("translationKey: {}\n", quoted(&edition.slug)));
    fm.push_str(&format!("draft: {}\n", is_draft(edition)));
    if let Some(author) = edition.author.as_ref().filter(|a| !a.trim().is_empty()) {
        // Zola's field; Hugo reads it as a taxonomy or page parameter.
        fm.push_str(&format!("authors: [{}]\n", quoted(author)));
    }
    if !edition.is_source() {
        // Hugo: `.Params.translation.unreviewed`.
        fm.push_str("translation:\n");
        for (key, value) in truth_fields(edition) {
            fm.push_str(&format!("  {key}: {value}\n"));
        }
    }
    fm.push_str("---\n");
    fm
}

/// Zola's front matter: only the fields Zola knows at the top level (it
/// refuses others), the rest under `[extra]`. Zola takes the language from
/// the file name (`index.es.md`), so `lang` is there for templates.
fn toml_front_matter(edition: &Edition) -> String {
    let title = edition.title().unwrap_or_else(|| edition.slug.clone());
    let mut fm = String::from("+++\n");
    fm.push_str(&format!("title = {}\n", quoted(&title)));
    if let Some(date) = edition.published {
        // A TOML local date.
        fm.push_str(&format!("date = {date}\n"));
    }
    fm.push_str(&format!("slug = {}\n", quoted(&edition.slug)));
    fm.push_str(&format!("draft = {}\n", is_draft(edition)));
    if let Some(author) = edition.author.as_ref().filter(|a| !a.trim().is_empty()) {
        fm.push_str(&format!("authors = [{}]\n", quoted(author)));
    }
    fm.push_str("\n[extra]\n");
    fm.push_str(&format!("lang = {}\n", quoted(&edition.locale.to_string())));
    fm.push_str(&format!("translation_key = {}\n", quoted(&edition.slug)));
    if !edition.is_source() {
        fm.push_str("\n[extra.translation]\n");
        for (key, value) in truth_fields(edition) {
            fm.push_str(&format!("{key} = {value}\n"));
        }
    }
    fm.push_str("+++\n");
    fm
}

/// A block's segments joined by one space.
///
/// Each segment goes through the inline parser and back: raw HTML in a
/// translation comes out escaped (`\<script>`), as it would show in the HTML
/// edition, instead of reaching a site generator that renders raw HTML (Zola
/// does), and script links lose their link as they do in HTML.
fn text(block: &diglot_core::EditionBlock) -> String {
    let parts: Vec<String> =
        block.segments.iter().map(|s| to_markdown(&crate::html::segment_inlines(s))).collect();
    parts.join(" ")
}

/// A block's text written with the source's delimiters.
fn styled_text(block: &diglot_core::EditionBlock, style: &InlineStyle) -> String {
    let mut breaks = 0;
    let parts: Vec<String> = block
        .segments
        .iter()
        .map(|s| {
            let inlines = crate::html::segment_inlines(s);
            let text = to_markdown_styled(&inlines, style, breaks);
            breaks += count_breaks(&inlines);
            text
        })
        .collect();
    parts.join(" ")
}

/// Whether the line holding `at` is an ATX heading's (`## 1. Intro`), whose
/// text starts no block however it begins; a setext heading's text would.
fn is_atx_heading(source: &str, at: usize) -> bool {
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    source[line_start..at].trim_end().ends_with('#')
}

/// Hard breaks cannot live in a heading or a table cell.
fn one_line(text: &str) -> String {
    text.replace("\\\n", " ").replace('\n', " ")
}

fn list(items: &[ListItem<'_>], out: &mut String) {
    let mut open: Vec<Level> = Vec::new();
    for item in items {
        while open.last().is_some_and(|l| l.depth > item.depth) {
            open.pop();
        }
        if open.last().is_some_and(|l| l.depth == item.depth && l.ordered != item.ordered) {
            open.pop();
        }
        if open.last().is_none_or(|l| l.depth < item.depth) {
            // CommonMark nests a list under an item when it is indented to
            // the item's content: two columns after `- `, three after `1. `.
            let indent = open.last().map_or(0, |l| l.indent + l.marker_width);
            open.push(Level {
                depth: item.depth,
                ordered: item.ordered,
                indent,
                next: 1,
                marker_width: 0,
            });
        }
        let level = open.last_mut().expect("just ensured");
        let marker = if item.ordered { format!("{}. ", level.next) } else { "- ".to_string() };
        level.next += 1;
        level.marker_width = marker.len();
        for (i, line) in escape_block_starts(&text(item.block)).lines().enumerate() {
            let lead = if i == 0 { marker.clone() } else { " ".repeat(marker.len()) };
            out.push_str(&" ".repeat(level.indent));
            out.push_str(&lead);
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// An open list while writing nested lists.
struct Level {
    depth: u8,
    ordered: bool,
    /// Columns before this list's markers.
    indent: usize,
    /// The next item's number, for ordered lists.
    next: usize,
    /// Width of the last marker written, which sets where children go.
    marker_width: usize,
}

fn table(table: &Table<'_>, out: &mut String) {
    let rows = table.rows();
    let width = rows.first().map_or(0, Vec::len);
    if width == 0 {
        return;
    }
    let cell_text = |cell: &Cell<'_>| {
        cell.map_or(String::new(), |(b, _)| one_line(&text(b)).replace('|', "\\|"))
    };
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    // GFM tables need a header row; a table without one gets an empty header.
    let (header, body) = if Table::header_rows(&rows) > 0 {
        (rows[0].iter().map(cell_text).collect(), &rows[1..])
    } else {
        (vec![String::new(); width], &rows[..])
    };
    out.push_str(&line(header));
    out.push_str(&line(vec!["---".to_string(); width]));
    for row in body {
        out.push_str(&line(row.iter().map(cell_text).collect()));
    }
}

/// The Markdown edition of an article written in Markdown: the source
/// itself, with each block's text replaced by its translation where it has
/// one. Everything else (code, raw HTML, shortcodes, link definitions, list
/// markers, front-matter keys) is copied byte for byte. The front matter
/// gains the keys diglot sets (`lang`, `translationKey`, ...) that it lacks;
/// `lang` is set to the edition's locale.
pub(crate) fn from_skeleton(edition: &Edition, skeleton: &Skeleton) -> String {
    let source = skeleton.source.as_str();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut out = String::new();
    let crlf = source.find('\n').is_some_and(|i| source[..i].ends_with('\r'));
    let newline = if crlf { "\r\n" } else { "\n" };
    match &skeleton.front_matter {
        Some(fm) => front_matter_edits(edition, fm, &mut edits),
        // Written with the line ending the source uses.
        None if crlf => out.push_str(&front_matter(edition).replace('\n', "\r\n")),
        None => out.push_str(&front_matter(edition)),
    }
    for span in &skeleton.spans {
        let Some(block) = edition.blocks.get(span.block) else { continue };
        if block.segments.iter().all(|s| s.text == s.source) {
            continue;
        }
        let text = match &span.kind {
            // An HTML page's spans make its page edition, not Markdown.
            SpanKind::HtmlContent { .. } | SpanKind::HtmlText | SpanKind::HtmlRoot { .. } => {
                continue;
            }
            SpanKind::FrontMatterValue => {
                let plain: Vec<String> =
                    block.segments.iter().map(|s| plain_text_of_markdown(&s.text)).collect();
                quoted(&one_line(&plain.join(" ")))
            }
            SpanKind::Inline { prefix, one_line: single, table_cell, style } => {
                let mut t = styled_text(block, style);
                if *single {
                    t = one_line(&t);
                }
                // A table cell's or an ATX heading's text starts no block.
                let inline_only =
                    *table_cell || (*single && is_atx_heading(source, span.range.start));
                if !inline_only {
                    t = escape_block_starts(&t);
                }
                if *table_cell {
                    t = t.replace('|', "\\|");
                }
                t.replace('\n', &format!("{newline}{prefix}"))
            }
        };
        edits.push((span.range.clone(), text));
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut pos = 0;
    for (range, text) in edits {
        if range.start < pos {
            continue;
        }
        out.push_str(&source[pos..range.start]);
        out.push_str(&text);
        pos = range.end;
    }
    out.push_str(&source[pos..]);
    if skeleton.bom {
        // The source's, at the very start of the file, before any front matter.
        out.insert(0, '\u{feff}');
    }
    out
}

/// Sets `lang` and adds diglot's keys that the front matter lacks, before
/// its closing line, in its own syntax.
fn front_matter_edits(
    edition: &Edition,
    fm: &FrontMatter,
    edits: &mut Vec<(Range<usize>, String)>,
) {
    let locale = edition.locale.to_string();
    let mut added = String::new();
    let mut add = |key: &str, value: String| {
        if !fm.keys.iter().any(|k| k == key) {
            added.push_str(&fm.syntax.line(key, &value));
            added.push_str(&fm.newline);
        }
    };
    match fm.field("lang") {
        Some(field) if field.value != locale => edits.push((field.raw.clone(), quoted(&locale))),
        Some(_) => {}
        None if fm.keys.iter().any(|k| k == "lang") => {}
        None => add("lang", quoted(&locale)),
    }
    if fm.field("title").is_none()
        && !fm.keys.iter().any(|k| k == "title")
        && let Some(title) = edition.title()
    {
        add("title", quoted(&title));
    }
    if let Some(date) = edition.published {
        add("date", date.to_string());
    }
    add("slug", quoted(&edition.slug));
    add("translationKey", quoted(&edition.slug));
    if let Some(author) = edition.author.as_ref().filter(|a| !a.trim().is_empty()) {
        if !fm.keys.iter().any(|k| k == "author") {
            add("authors", format!("[{}]", quoted(author)));
        }
    }
    // A translation below its pipeline's gate is a draft whatever the
    // source says; otherwise the source's `draft` stands.
    if is_draft(edition) {
        match fm.field("draft") {
            Some(field) => edits.push((field.raw.clone(), "true".into())),
            None if fm.keys.iter().any(|k| k == "draft") => {}
            None => add("draft", "true".into()),
        }
    }
    if !edition.is_source() {
        for (key, value) in truth_fields(edition) {
            add(&format!("translation_{key}"), value);
        }
    }
    if !added.is_empty() {
        edits.push((fm.insert_at..fm.insert_at, added));
    }
}

/// A JSON string is a valid YAML double-quoted scalar and a valid TOML
/// basic string: quotes, colons, `#`, leading dashes and non-ASCII all come
/// through safely.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}
