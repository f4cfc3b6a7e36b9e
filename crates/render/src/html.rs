//! HTML pages. Templates (minijinja, autoescaped) lay out the page; the
//! article body is built here, where every piece of text goes through
//! [`escape`], so a translation can never inject markup.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use diglot_core::inline::{image_parts, parse_markdown, raw_key, raw_pieces};
use diglot_core::{
    ColumnAlign, Diagnostic, Edition, EditionBlock, Footnote, HtmlMarkup, Inline, LineIndex,
    LocalizedSegment, SegmentStatus, Skeleton, SpanKind, Verbatim, VerbatimKind, language_of,
};
use minijinja::{AutoEscape, Environment};
use serde::Serialize;

use crate::head::Nav;
use crate::layout::{Group, ListItem, Table, group_with};
use crate::{Error, WarningKind, strings};

pub(crate) const STYLE: &str = include_str!("../templates/style.css");

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        // minijinja's HTML escaping also escapes `/`, which turns every
        // `href="../en-US/"` into `..&#x2f;en-US&#x2f;`: valid, but not what a
        // person reading the source expects. Strings go through this crate's
        // escaper (`&<>"'`); everything else through minijinja's.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text) if state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
                let mut escaped = String::with_capacity(text.len());
                escape(text, &mut escaped);
                out.write_str(&escaped)?;
                Ok(())
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        for (name, source) in [
            ("page.html", include_str!("../templates/page.html")),
            ("bilingual.html", include_str!("../templates/bilingual.html")),
            ("home.html", include_str!("../templates/home.html")),
        ] {
            env.add_template(name, source).expect("embedded templates parse");
        }
        env
    })
}

pub(crate) fn render_template(
    template: &'static str,
    locale: &diglot_core::Locale,
    ctx: impl Serialize,
) -> Result<String, Error> {
    let err = |source| Error::Template { template, locale: locale.to_string(), source };
    env().get_template(template).map_err(err)?.render(ctx).map_err(err)
}

/// A link to another edition, for `hreflang` alternates and the switcher.
#[derive(Serialize)]
struct EditionLink {
    lang: String,
    /// Relative, ending in `index.html`: for readers.
    href: String,
    /// Absolute with a base URL: for `hreflang`.
    url: String,
    /// Whether `hreflang` declares it (see [`crate::head::in_its_language`]).
    declared: bool,
    name: String,
    current: bool,
}

#[derive(Serialize)]
struct Legend {
    class: &'static str,
    note: String,
}

#[derive(Serialize)]
struct PageContext<'a> {
    lang: String,
    dir: &'static str,
    title: String,
    title_html: String,
    is_source: bool,
    s: BTreeMap<&'a str, &'a str>,
    published_iso: Option<String>,
    editions: Vec<EditionLink>,
    x_default: Option<String>,
    bilingual_href: Option<String>,
    home_href: Option<String>,
    head: crate::head::Head,
    legend: Vec<Legend>,
    /// Whether to tell readers how much is translated: only while some
    /// sentences are not (a complete edition needs no note).
    show_status: bool,
    /// Whether the first paragraph opens with a drop cap: not when its first
    /// word is a single letter ("A Andry"), which would float against the next.
    drop_cap: bool,
    body: String,
    style: &'static str,
}

/// Whether an edition's body opens with a paragraph whose first word is
/// long enough for a drop cap.
fn takes_drop_cap(groups: &[Group<'_>]) -> bool {
    let Some(first) = groups.iter().find(|g| !matches!(g, Group::Title(_))) else {
        return false;
    };
    let Group::Paragraph(block) = first else { return false };
    let Some(segment) = block.segments.first() else { return false };
    let plain = diglot_core::inline::plain_text_of_markdown(&segment.text);
    let word: String = plain.split_whitespace().next().unwrap_or("").into();
    word.chars().filter(|c| c.is_alphanumeric()).count() > 1
        && word.chars().next().is_some_and(char::is_alphanumeric)
}

pub(crate) fn page(
    p: &Parsed<'_>,
    others: &[&Edition],
    nav: &Nav<'_>,
    verbatim: &[(usize, &Verbatim)],
    aligns: &[Vec<ColumnAlign>],
    footnotes: &BTreeMap<usize, &Footnote>,
) -> Result<String, Error> {
    let edition = p.edition;
    let mut all: Vec<&Edition> = vec![edition];
    for other in others {
        if !all.iter().any(|e| e.locale == other.locale) {
            all.push(other);
        }
    }
    all.sort_by_key(|e| e.locale.to_string());
    let dir_of = |e: &Edition| nav.dir_of(&e.locale).unwrap_or_default().to_string();
    let editions = all
        .iter()
        .map(|e| EditionLink {
            lang: e.locale.to_string(),
            href: nav.href(&dir_of(e)),
            url: nav.url(&dir_of(e)),
            declared: crate::head::in_its_language(e),
            name: strings::language_name(e),
            current: e.locale == edition.locale,
        })
        .collect();
    let x_default =
        all.iter().find(|e| e.locale == edition.source_locale).map(|e| nav.url(&dir_of(e)));
    let head = crate::head::article_head(edition, &all, nav);

    let groups = group_with(&edition.blocks, verbatim);
    let mut body = String::new();
    let mut title_html = String::new();
    let note_of = |block: &EditionBlock| footnotes.get(&p.index(block)).copied();
    let mut notes: Vec<(&Footnote, String)> = Vec::new();
    // HTML blocks whose elements close in a later HTML block (`<details>`
    // … Markdown … `</details>`), with what is rendered in between.
    let mut open_blocks: Vec<(&str, String)> = Vec::new();
    for g in &groups {
        if let Group::Verbatim(Verbatim { kind: VerbatimKind::Html { html }, .. }) = g {
            let depth = open_depth(html);
            if depth > 0 {
                open_blocks.push((html, String::new()));
                continue;
            }
            if depth < 0
                && let Some((open, inner)) = open_blocks.pop()
            {
                let out = open_blocks.last_mut().map_or(&mut body, |(_, inner)| inner);
                html_block_around(open, &inner, html, out);
                continue;
            }
        }
        let body = open_blocks.last_mut().map_or(&mut body, |(_, inner)| inner);
        match g {
            Group::Title(block) => title_inline_html(p, block, &mut title_html),
            Group::Paragraph(block) if note_of(block).is_some() => {
                let note = note_of(block).expect("just checked");
                if notes.last().is_none_or(|(n, _)| !std::ptr::eq(*n, note)) {
                    notes.push((note, String::new()));
                }
                let html = &mut notes.last_mut().expect("just pushed").1;
                tagged(p, "p", block, html);
            }
            _ => group_html(p, g, aligns, body),
        }
    }
    // Blocks never closed: each as it is, what followed after it.
    while let Some((open, inner)) = open_blocks.pop() {
        let out = open_blocks.last_mut().map_or(&mut body, |(_, inner)| inner);
        verbatim_html(
            &Verbatim {
                range: 0..0,
                kind: VerbatimKind::Html { html: open.to_string() },
                before_block: None,
            },
            None,
            out,
        );
        out.push_str(&inner);
    }
    footnotes_html(notes, &mut body);

    let ctx = PageContext {
        lang: edition.locale.to_string(),
        dir: dir(edition),
        title: edition.title().unwrap_or_else(|| edition.slug.clone()),
        title_html,
        is_source: edition.is_source(),
        s: strings::all(edition),
        published_iso: edition.published.map(|d| d.to_string()),
        editions,
        x_default,
        bilingual_href: nav.bilingual.as_deref().map(|b| nav.href(b)),
        home_href: nav.home.as_deref().map(|h| nav.href(h)),
        head,
        legend: legend(edition),
        show_status: {
            let c = edition.segment_counts();
            c.translated < c.total
        },
        drop_cap: takes_drop_cap(&groups),
        body,
        style: STYLE,
    };
    render_template("page.html", &edition.locale, ctx)
}

/// Which markers the page uses, with the note explaining each.
fn legend(edition: &Edition) -> Vec<Legend> {
    let has = |status| edition.segments().any(|s| s.status == status);
    let mut out = Vec::new();
    if has(SegmentStatus::Missing) {
        out.push(Legend {
            class: "fallback",
            note: strings::get(edition, "edition-fallback-note").into(),
        });
    }
    if has(SegmentStatus::Stale) {
        out.push(Legend {
            class: "fallback stale",
            note: strings::get(edition, "edition-stale-note").into(),
        });
    }
    if has(SegmentStatus::Outdated) {
        out.push(Legend {
            class: "outdated",
            note: strings::get(edition, "edition-outdated-note").into(),
        });
    }
    if has(SegmentStatus::Unreviewed) {
        out.push(Legend {
            class: "unreviewed",
            note: strings::get(edition, "edition-unreviewed-note").into(),
        });
    }
    out
}

#[derive(Serialize)]
struct Column {
    lang: String,
    dir: &'static str,
    name: String,
    href: String,
}

#[derive(Serialize)]
struct Row {
    class: &'static str,
    source: String,
    target: String,
}

#[derive(Serialize)]
struct BilingualContext<'a> {
    lang: String,
    dir: &'static str,
    title: String,
    s: BTreeMap<&'a str, &'a str>,
    source: Column,
    target: Column,
    rows: Vec<Row>,
    legend: Vec<Legend>,
    canonical: String,
    home_href: Option<String>,
    style: &'static str,
}

pub(crate) fn bilingual(
    source_parsed: &Parsed<'_>,
    target_parsed: &Parsed<'_>,
    nav: &Nav<'_>,
    verbatim: &[(usize, &Verbatim)],
    aligns: &[Vec<ColumnAlign>],
    footnotes: &BTreeMap<usize, &Footnote>,
) -> Result<String, Error> {
    let (source, target) = (source_parsed.edition, target_parsed.edition);
    let column = |e: &Edition| Column {
        lang: e.locale.to_string(),
        dir: dir(e),
        name: strings::language_name(e),
        href: nav.href(nav.dir_of(&e.locale).unwrap_or_default()),
    };
    let (left, right) =
        (group_with(&source.blocks, verbatim), group_with(&target.blocks, verbatim));
    let mut rows = Vec::new();
    // The row each group is in, for the footnotes.
    let mut row_of_group = Vec::new();
    // HTML blocks whose elements close in a later HTML block (`<details>`
    // … Markdown … `</details>`), with each column's rows in between: one
    // row, the block around them in each column.
    let mut open_blocks: Vec<(&str, String, String)> = Vec::new();
    // Both editions come from the same segmented source, so their groups
    // correspond one to one; should they not, the longer side runs on alone.
    for i in 0..left.len().max(right.len()) {
        let (l, r) = (left.get(i), right.get(i));
        row_of_group.push(if open_blocks.is_empty() { Some(rows.len()) } else { None });
        if let Some(Group::Verbatim(Verbatim { kind: VerbatimKind::Html { html }, .. })) = l.or(r) {
            let depth = open_depth(html);
            if depth > 0 {
                open_blocks.push((html, String::new(), String::new()));
                continue;
            }
            if depth < 0
                && let Some((open, source_inner, target_inner)) = open_blocks.pop()
            {
                let mut row = Row { class: "html", source: String::new(), target: String::new() };
                html_block_around(open, &source_inner, html, &mut row.source);
                html_block_around(open, &target_inner, html, &mut row.target);
                match open_blocks.last_mut() {
                    Some((_, s, t)) => {
                        s.push_str(&row.source);
                        t.push_str(&row.target);
                    }
                    None => rows.push(row),
                }
                continue;
            }
        }
        let mut row = Row {
            class: l.or(r).map_or("paragraph", Group::class),
            source: String::new(),
            target: String::new(),
        };
        if let Some(g) = l {
            if let Group::Title(block) = g {
                // The page has one h1, the translation's title; the
                // original's is its counterpart, set as a title.
                row.source.push_str("<div class=\"source-title\">\n<p>");
                title_inline_html(source_parsed, block, &mut row.source);
                row.source.push_str("</p>\n</div>\n");
                meta_html(source, &mut row.source);
            } else {
                group_html(source_parsed, g, aligns, &mut row.source);
            }
        }
        // What has nothing to translate is shown once, but inside an HTML
        // block that holds text, in both columns.
        let once = open_blocks.is_empty();
        if let Some(g) = r.filter(|g| !(once && matches!(g, Group::Verbatim(_)))) {
            if let Group::Title(block) = g {
                row.target.push_str("<h1>");
                title_inline_html(target_parsed, block, &mut row.target);
                row.target.push_str("</h1>\n");
                meta_html(target, &mut row.target);
            } else {
                group_html(target_parsed, g, aligns, &mut row.target);
            }
        }
        match open_blocks.last_mut() {
            Some((_, s, t)) => {
                s.push_str(&row.source);
                t.push_str(&row.target);
            }
            None => rows.push(row),
        }
    }
    // Blocks never closed: each as it is, what followed after it.
    while let Some((open, source_inner, target_inner)) = open_blocks.pop() {
        let mut row = Row { class: "html", source: String::new(), target: String::new() };
        let kind = VerbatimKind::Html { html: open.to_string() };
        verbatim_html(&Verbatim { range: 0..0, kind, before_block: None }, None, &mut row.source);
        row.source.push_str(&source_inner);
        row.target.push_str(&target_inner);
        match open_blocks.last_mut() {
            Some((_, s, t)) => {
                s.push_str(&row.source);
                t.push_str(&row.target);
            }
            None => rows.push(row),
        }
    }
    let note_rows = footnote_rows(source_parsed, &left, footnotes)
        .into_iter()
        .filter_map(|(group, note)| Some((row_of_group.get(group).copied().flatten()?, note)))
        .collect();
    let source_id = source.locale.to_string();
    link_footnotes(rows.iter_mut().map(|r| &mut r.source), &note_rows, &source_id);
    let target_id = target.locale.to_string();
    link_footnotes(rows.iter_mut().map(|r| &mut r.target), &note_rows, &target_id);
    let bilingual_title = strings::get(target, "edition-bilingual-title");
    let title = match target.title() {
        Some(t) => format!("{t} · {bilingual_title}"),
        None => bilingual_title.to_string(),
    };
    let ctx = BilingualContext {
        lang: target.locale.to_string(),
        dir: dir(target),
        title,
        s: strings::all(target),
        source: column(source),
        target: column(target),
        rows,
        legend: legend(target),
        canonical: nav.url(&nav.here),
        home_href: nav.home.as_deref().map(|h| nav.href(h)),
        style: STYLE,
    };
    render_template("bilingual.html", &target.locale, ctx)
}

/// The edition that is an HTML source page itself: every byte as it was
/// but the content of each translated block's element, written as HTML
/// from its translation, and the `<html>` tag's `lang` and `dir`, set to
/// the edition's. Scripts, styles, navigation and layout are untouched.
/// With a warning for each block left in the source language.
pub(crate) fn from_skeleton(
    edition: &Edition,
    skeleton: &Skeleton,
) -> (String, Vec<(WarningKind, Diagnostic)>) {
    let source = skeleton.source.as_str();
    let mut out = String::with_capacity(source.len());
    let mut warnings = Vec::new();
    let mut index = None;
    let mut pos = 0;
    for span in &skeleton.spans {
        if span.range.start < pos {
            continue;
        }
        let text = match &span.kind {
            SpanKind::HtmlRoot { lang, dir: dir_at, name_end, .. } if *name_end > 0 => {
                root_tag(source, &span.range, lang, dir_at, *name_end, edition)
            }
            SpanKind::HtmlRoot { attrs, .. } => {
                let mut tag = String::from("<html");
                attr(&mut tag, "lang", &edition.locale.to_string());
                attr(&mut tag, "dir", dir(edition));
                tag.push_str(attrs);
                tag
            }
            SpanKind::HtmlContent { markup } => {
                let Some(block) = edition.blocks.get(span.block) else { continue };
                if block.segments.iter().all(|s| s.text == s.source) {
                    continue;
                }
                if let Some(markup) = markup {
                    // Translations whose markup is not the source's keep
                    // the source's text.
                    let Some(html) = with_source_markup(&block.segments, markup) else {
                        let index = index.get_or_insert_with(|| LineIndex::new(source));
                        let warning = markup_mismatch(edition, &block.segments, index, span);
                        warnings.push((WarningKind::PageMarkupMismatch, warning));
                        continue;
                    };
                    out.push_str(&source[pos..span.range.start]);
                    out.push_str(&html);
                    pos = span.range.end;
                    continue;
                }
                let mut html = String::new();
                for (i, segment) in block.segments.iter().enumerate() {
                    if i > 0 {
                        html.push(' ');
                    }
                    inlines_html(&segment_inlines(segment), &mut html);
                }
                html
            }
            SpanKind::HtmlText => {
                let Some(block) = edition.blocks.get(span.block) else { continue };
                if block.segments.iter().all(|s| s.text == s.source) {
                    continue;
                }
                let mut text = String::new();
                for (i, segment) in block.segments.iter().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    let inlines = diglot_core::inline::title_inlines(segment_inlines(segment));
                    text.push_str(&diglot_core::inline::plain_text(&inlines));
                }
                let mut html = String::new();
                escape(&text, &mut html);
                html
            }
            SpanKind::Inline { .. } | SpanKind::FrontMatterValue => continue,
        };
        out.push_str(&source[pos..span.range.start]);
        out.push_str(&text);
        pos = span.range.end;
    }
    out.push_str(&source[pos..]);
    if skeleton.bom {
        out.insert(0, '\u{feff}');
    }
    (out, warnings)
}

/// The warning for a block of `page.html` left in the source language
/// because its translation's markup is not the source's: about the first
/// of its sentences whose translation has other markup than its source.
fn markup_mismatch(
    edition: &Edition,
    segments: &[LocalizedSegment],
    index: &LineIndex,
    span: &diglot_core::Span,
) -> Diagnostic {
    let translated = || segments.iter().filter(|s| s.text != s.source);
    let differs = |s: &&LocalizedSegment| {
        markup_shape(&segment_inlines(s)) != markup_shape(&safe_links(parse_markdown(&s.source)))
    };
    let segment = translated().find(differs).or_else(|| translated().next());
    let locale = &edition.locale;
    let mut diagnostic = Diagnostic::error_in(
        "",
        index,
        span.range.start,
        format!(
            "{locale}: this text stays in the source language in page.html, the translated \
             page: its translation's inline markup is not the source's, so the page's tags \
             cannot be placed in it"
        ),
    )
    .warning()
    .with_help(
        "give the translation the source's links (with their targets and titles), emphasis, \
         code and images, as many and of the same kinds",
    );
    diagnostic.message_id = segment.map(|s| s.id.to_string());
    diagnostic
}

/// The markup of inline content, text left out: what a translation must
/// keep of its source's for the source's tags to fit it.
fn markup_shape(inlines: &[Inline]) -> Vec<String> {
    let mut out = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text(_) => {}
            Inline::Link { href, title, children } => {
                out.push(format!("link {href} {title}"));
                out.extend(markup_shape(children));
                out.push("/link".into());
            }
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::RefLink { children: c, .. } => {
                out.push(format!("{:?}", markup_key(inline)));
                out.extend(markup_shape(c));
                out.push("/".into());
            }
            other => out.push(format!("{:?}", markup_key(other))),
        }
    }
    out.sort();
    out
}

/// An HTML page's `<html>` start tag (at `range`) as written, its `lang`
/// and `dir` attributes (at `lang`, `dir`) given the edition's values with
/// their names and quotes as written; those missing are added after the
/// tag's name (`lang` first) or after `lang`.
fn root_tag(
    source: &str,
    range: &std::ops::Range<usize>,
    lang: &Option<std::ops::Range<usize>>,
    dir_at: &Option<std::ops::Range<usize>>,
    name_end: usize,
    edition: &Edition,
) -> String {
    let locale = edition.locale.to_string();
    let written = |at: &std::ops::Range<usize>, value: &str| {
        let text = &source[at.clone()];
        let name = text.split('=').next().unwrap_or(text).trim_end();
        let quote = match text.split_once('=').map(|(_, v)| v.trim_start().chars().next()) {
            Some(Some('\'')) => '\'',
            _ => '"',
        };
        format!("{name}={quote}{value}{quote}")
    };
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    match (lang, dir_at) {
        (Some(l), Some(d)) => {
            edits.push((l.clone(), written(l, &locale)));
            edits.push((d.clone(), written(d, dir(edition))));
        }
        (Some(l), None) => {
            edits.push((l.clone(), written(l, &locale) + &format!(" dir=\"{}\"", dir(edition))))
        }
        (None, Some(d)) => {
            edits.push((name_end..name_end, format!(" lang=\"{locale}\"")));
            edits.push((d.clone(), written(d, dir(edition))));
        }
        (None, None) => {
            edits.push((name_end..name_end, format!(" lang=\"{locale}\" dir=\"{}\"", dir(edition))))
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::new();
    let mut pos = range.start;
    for (at, text) in edits {
        out.push_str(&source[pos..at.start]);
        out.push_str(&text);
        pos = at.end;
    }
    out.push_str(&source[pos..range.end]);
    out
}

/// A block's translation written as HTML with the source's own inline tags
/// (`markup`): each link, emphasis, code or image of the translation takes
/// the start and end tags of the source's, matched by kind (and a link's
/// target, code's text, an image as written) in order. `None` when the
/// translation's markup is not the source's.
fn with_source_markup(segments: &[LocalizedSegment], markup: &HtmlMarkup) -> Option<String> {
    let join = |inlines: Vec<Vec<Inline>>| {
        let mut out: Vec<Inline> = Vec::new();
        for part in inlines {
            join_inlines(&mut out, part);
        }
        out
    };
    let text = join(segments.iter().map(segment_inlines).collect());
    let source = join(segments.iter().map(|s| safe_links(parse_markdown(&s.source))).collect());
    let mut out = String::new();
    write_with_markup(&text, &source, markup, &mut out)?;
    Some(out)
}

/// Appends one segment's inlines to the block's so far, a space between;
/// markup a sentence boundary split in two (a link around two sentences)
/// is made one again.
fn join_inlines(out: &mut Vec<Inline>, mut next: Vec<Inline>) {
    if out.is_empty() {
        *out = next;
        return;
    }
    if next.is_empty() {
        return;
    }
    let first = next.remove(0);
    let last = out.last_mut().expect("not empty");
    match (last, first) {
        (Inline::Emphasis(a), Inline::Emphasis(b)) | (Inline::Strong(a), Inline::Strong(b)) => {
            join_inlines(a, b)
        }
        (
            Inline::Link { href, title, children: a },
            Inline::Link { href: h, title: t, children: b },
        ) if *href == h && *title == t => join_inlines(a, b),
        (_, first) => {
            out.push(Inline::Text(" ".into()));
            out.push(first);
        }
    }
    out.extend(next);
}

fn markup_key(inline: &Inline) -> Option<(u8, &str)> {
    match inline {
        Inline::Text(_) => None,
        Inline::Emphasis(_) => Some((0, "")),
        Inline::Strong(_) => Some((1, "")),
        Inline::Code(code) => Some((2, code)),
        Inline::Link { href, .. } => Some((3, href)),
        Inline::RefLink { label, .. } => Some((4, label)),
        Inline::Break => Some((5, "")),
        Inline::Raw(raw) => Some((6, raw)),
        Inline::Image { src, .. } => Some((7, src)),
        Inline::RefImage { label, .. } => Some((8, label)),
    }
}

fn write_with_markup(
    text: &[Inline],
    source: &[Inline],
    markup: &HtmlMarkup,
    out: &mut String,
) -> Option<()> {
    let pieces: Vec<&Inline> = source.iter().filter(|i| markup_key(i).is_some()).collect();
    if pieces.len() != markup.children.len() {
        return None;
    }
    let mut used = vec![false; pieces.len()];
    out.push_str(&markup.open);
    for inline in text {
        let Some(key) = markup_key(inline) else {
            if let Inline::Text(t) = inline {
                escape(t, out);
            }
            continue;
        };
        let j = (0..pieces.len()).find(|j| !used[*j] && markup_key(pieces[*j]) == Some(key))?;
        used[j] = true;
        let piece = &markup.children[j];
        let atomic = matches!(
            inline,
            Inline::Code(_)
                | Inline::Break
                | Inline::Raw(_)
                | Inline::Image { .. }
                | Inline::RefImage { .. }
        );
        if atomic != piece.atomic {
            return None;
        }
        match (inline, pieces[j]) {
            // The same link (by target): its title may be translated, and
            // the page keeps the source's tag as written.
            (
                Inline::Link { children, title, .. },
                Inline::Link { children: c, title: source_title, .. },
            ) => {
                if title == source_title {
                    write_with_markup(children, c, piece, out)?
                } else {
                    let open = set_attribute(&piece.open, "title", title);
                    write_with_markup(children, c, &HtmlMarkup { open, ..piece.clone() }, out)?
                }
            }
            (Inline::Image { alt, title, .. }, Inline::Image { alt: a, title: t, .. }) => {
                let mut open = piece.open.clone();
                if alt != a {
                    open = set_attribute(&open, "alt", alt);
                }
                if title != t {
                    open = set_attribute(&open, "title", title);
                }
                out.push_str(&open);
                out.push_str(&piece.close);
            }
            (Inline::Emphasis(children), Inline::Emphasis(c))
            | (Inline::Strong(children), Inline::Strong(c)) => {
                write_with_markup(children, c, piece, out)?
            }
            _ if atomic => {
                out.push_str(&piece.open);
                out.push_str(&piece.close);
            }
            _ => return None,
        }
    }
    if used.iter().any(|u| !u) {
        return None;
    }
    out.push_str(&markup.close);
    Some(())
}

/// `open`, a piece's markup as written (its own start tag last, after any
/// wrapper, empty element or comment folded in before it), with the value
/// of its own tag's attribute `name` (ASCII case-insensitive) replaced by
/// `value`, in the quotes the source used (double quotes for an unquoted
/// value); `open` as it is when that tag has no such attribute.
pub(crate) fn set_attribute(open: &str, name: &str, value: &str) -> String {
    let start = last_start_tag(open);
    let mut out = open[..start].to_string();
    out.push_str(&set_tag_attribute(&open[start..], name, value));
    out
}

/// Where the last start tag in `markup` (tags and comments as written)
/// begins; quoted attribute values and comments may hold `<` and `>`.
fn last_start_tag(markup: &str) -> usize {
    let bytes = markup.as_bytes();
    let (mut i, mut last) = (0, 0);
    while i < bytes.len() {
        if markup[i..].starts_with("<!--") {
            i = markup[i + 4..].find("-->").map_or(bytes.len(), |e| i + 4 + e + 3);
            continue;
        }
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            last = i;
        }
        let mut quote = None;
        i += 1;
        while i < bytes.len() {
            match (quote, bytes[i]) {
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            i += 1;
        }
        i += 1;
    }
    last
}

/// `tag`, one start tag as written, with its attribute `name` set: see
/// [`set_attribute`].
fn set_tag_attribute(tag: &str, name: &str, value: &str) -> String {
    let bytes = tag.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    // Past `<` and the element's name.
    let mut i = 1;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return tag.to_string();
        }
        let name_start = i;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attribute = &tag[name_start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let (quote, value_start) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => (Some(q), i + 1),
            _ => (None, i),
        };
        let mut end = value_start;
        while end < bytes.len()
            && match quote {
                Some(q) => bytes[end] != q,
                None => !is_space(bytes[end]) && bytes[end] != b'>',
            }
        {
            end += 1;
        }
        if attribute.eq_ignore_ascii_case(name) {
            let mut out = String::with_capacity(tag.len() + value.len());
            out.push_str(&tag[..value_start]);
            if quote.is_none() {
                out.push('"');
            }
            escape(value, &mut out);
            if quote.is_none() {
                out.push('"');
            }
            out.push_str(&tag[end..]);
            return out;
        }
        i = if quote.is_some() { end + 1 } else { end };
    }
}

/// Byline, date and reading time in the edition's language, as under the
/// headline of a single-language page.
fn meta_html(edition: &Edition, out: &mut String) {
    let parts: Vec<(&str, &str)> = [
        ("byline", "edition-byline"),
        ("date", "edition-published"),
        ("reading", "edition-reading-time"),
    ]
    .into_iter()
    .map(|(class, id)| (class, strings::get(edition, id)))
    .filter(|(_, text)| !text.is_empty())
    .collect();
    if parts.is_empty() {
        return;
    }
    out.push_str("<p class=\"meta\">\n");
    for (class, text) in parts {
        out.push_str("<span");
        attr(out, "class", class);
        out.push('>');
        escape(text, out);
        out.push_str("</span>\n");
    }
    out.push_str("</p>\n");
}

pub(crate) fn dir(edition: &Edition) -> &'static str {
    // Scripts written right to left; diglot ships en and es, but a locale
    // added later should not need a code change to get its direction.
    const RTL: &[&str] = &["ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];
    if RTL.contains(&language_of(&edition.locale)) { "rtl" } else { "ltr" }
}

fn group_html(p: &Parsed<'_>, group: &Group<'_>, aligns: &[Vec<ColumnAlign>], out: &mut String) {
    match group {
        Group::Title(block) => tagged(p, "h1", block, out),
        Group::Heading(level, block) => tagged(p, &format!("h{level}"), block, out),
        Group::Paragraph(block) => tagged(p, "p", block, out),
        Group::Quote(blocks) => {
            out.push_str("<blockquote>\n");
            for block in blocks {
                tagged(p, "p", block, out);
            }
            out.push_str("</blockquote>\n");
        }
        Group::List(items) => list_html(p, items, out),
        Group::Table(table) => {
            let align = aligns.get(usize::from(table.id())).map_or(&[][..], Vec::as_slice);
            table_html(p, table, align, out)
        }
        Group::Verbatim(v) => verbatim_html(v, p.images, out),
    }
}

/// A block with nothing to translate: code with its language as a class,
/// raw HTML sanitized (no scripts, styles, event handlers or unknown
/// elements), a rule, an image or shortcode paragraph through the rules for
/// raw pieces.
fn verbatim_html(verbatim: &Verbatim, images: Images<'_>, out: &mut String) {
    match &verbatim.kind {
        VerbatimKind::Code { lang, text } => {
            out.push_str("<pre><code");
            let lang: String = lang
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#'))
                .collect();
            if !lang.is_empty() {
                attr(out, "class", &format!("language-{lang}"));
            }
            out.push('>');
            escape(text, out);
            out.push_str("</code></pre>\n");
        }
        VerbatimKind::Html { html } => {
            let clean = sanitizer().clean(html).to_string();
            if !clean.trim().is_empty() {
                out.push_str("<div class=\"html-block\">");
                out.push_str(clean.trim());
                out.push_str("</div>\n");
            }
        }
        VerbatimKind::Rule => out.push_str("<hr>\n"),
        VerbatimKind::Raw { markdown } => {
            let mut inner = String::new();
            inlines_html_with(&safe_links(parse_markdown(markdown.trim())), images, &mut inner);
            if !inner.trim().is_empty() {
                out.push_str("<p>");
                out.push_str(inner.trim());
                out.push_str("</p>\n");
            }
        }
    }
}

/// How many more elements raw HTML opens than it closes (void elements,
/// `/>` and comments aside): above zero, its elements close in a later block.
fn open_depth(html: &str) -> i32 {
    let mut depth = 0;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let closing = rest[1..].starts_with('/');
        let name: String = rest[1 + usize::from(closing)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        const VOID: [&str; 14] = [
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
            "source", "track", "wbr",
        ];
        if closing {
            depth -= 1;
        } else if !VOID.contains(&name.as_str()) && !tag.ends_with("/>") {
            depth += 1;
        }
    }
    depth
}

/// An HTML block that opens elements, the blocks rendered in between
/// (`inner`), and the HTML block that closes them, as one sanitized block
/// with `inner` inside.
fn html_block_around(open: &str, inner: &str, close: &str, out: &mut String) {
    const MARK: &str = "\u{e000}diglot-inner\u{e000}";
    let clean = sanitizer().clean(&format!("{open}{MARK}{close}")).to_string();
    match clean.split_once(MARK) {
        Some((before, after)) if !after.contains(MARK) => {
            out.push_str("<div class=\"html-block\">");
            out.push_str(before.trim());
            out.push('\n');
            out.push_str(inner);
            out.push_str(after.trim());
            out.push_str("</div>\n");
        }
        _ => {
            for html in [open, close] {
                let kind = VerbatimKind::Html { html: html.to_string() };
                verbatim_html(&Verbatim { range: 0..0, kind, before_block: None }, None, out);
                if html == open {
                    out.push_str(inner);
                }
            }
        }
    }
}

/// ammonia's safe defaults, plus the media elements an article shows
/// (`video`, `audio`, `picture` and their sources) with attributes that run
/// no script.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["video", "audio", "source", "track", "picture"])
            .add_tag_attributes(
                "video",
                ["src", "controls", "poster", "width", "height", "loop", "muted"],
            )
            .add_tag_attributes("audio", ["src", "controls", "loop", "muted"])
            .add_tag_attributes("source", ["src", "srcset", "type", "media", "sizes"])
            .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"]);
        builder
    })
}

fn tagged(p: &Parsed<'_>, tag: &str, block: &EditionBlock, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    block_inline_html(p, block, out);
    out.push_str("</");
    out.push_str(tag);
    out.push_str(">\n");
}

/// Footnote definitions as a section at the end of the page, each linked
/// with its first reference both ways (`#fn-LABEL`, `#fnref-LABEL`).
/// Paragraphs are what a definition shows here; anything else in it stays
/// where it is in the body.
fn footnotes_html(notes: Vec<(&Footnote, String)>, body: &mut String) {
    if notes.is_empty() {
        return;
    }
    body.push_str("<section class=\"footnotes\">\n<ol>\n");
    for (note, mut html) in notes {
        let id = footnote_id(&note.label);
        let mut label = String::new();
        escape(&note.label, &mut label);
        let plain = format!("<sup class=\"footnote-ref\">{label}</sup>");
        if let Some(at) = body.find(&plain) {
            let linked = format!(
                "<sup class=\"footnote-ref\" id=\"fnref-{id}\"><a href=\"#fn-{id}\">{label}</a></sup>"
            );
            body.replace_range(at..at + plain.len(), &linked);
        }
        let back = format!(" <a href=\"#fnref-{id}\" class=\"footnote-backref\">↩</a>");
        match html.strip_suffix("</p>\n") {
            Some(start) => html = format!("{start}{back}</p>\n"),
            None => html.push_str(&back),
        }
        body.push_str(&format!("<li id=\"fn-{id}\">\n{html}</li>\n"));
    }
    body.push_str("</ol>\n</section>\n");
}

/// The footnote each row of a bilingual page opens: the row of the first
/// paragraph of each definition, by row index.
fn footnote_rows<'a>(
    parsed: &Parsed<'_>,
    groups: &[Group<'_>],
    footnotes: &BTreeMap<usize, &'a Footnote>,
) -> BTreeMap<usize, &'a Footnote> {
    let mut out: BTreeMap<usize, &Footnote> = BTreeMap::new();
    for (row, g) in groups.iter().enumerate() {
        let Group::Paragraph(block) = g else { continue };
        if let Some(note) = footnotes.get(&parsed.index(block))
            && !out.values().any(|n| std::ptr::eq(*n, *note))
        {
            out.insert(row, note);
        }
    }
    out
}

/// Links one column of a bilingual page's footnotes in place: the first
/// reference to each note and the note's first paragraph, both ways, with
/// ids that name the column (`fn-LOCALE-LABEL`, `fnref-LOCALE-LABEL`).
fn link_footnotes<'a>(
    cells: impl Iterator<Item = &'a mut String>,
    note_rows: &BTreeMap<usize, &Footnote>,
    column: &str,
) {
    let mut cells: Vec<&mut String> = cells.collect();
    for (&row, note) in note_rows {
        let id = format!("{column}-{}", footnote_id(&note.label));
        let mut label = String::new();
        escape(&note.label, &mut label);
        let plain = format!("<sup class=\"footnote-ref\">{label}</sup>");
        let found = cells
            .iter()
            .enumerate()
            .find_map(|(i, c)| (i != row).then(|| c.find(&plain).map(|at| (i, at))).flatten());
        let Some((ref_row, at)) = found else { continue };
        let linked = format!(
            "<sup class=\"footnote-ref\" id=\"fnref-{id}\"><a href=\"#fn-{id}\">{label}</a></sup>"
        );
        cells[ref_row].replace_range(at..at + plain.len(), &linked);
        let Some(cell) = cells.get_mut(row) else { continue };
        if let Some(rest) = cell.strip_prefix("<p") {
            let back = format!(" <a href=\"#fnref-{id}\" class=\"footnote-backref\">↩</a>");
            let mut html = format!("<p id=\"fn-{id}\"{rest}");
            if let Some(start) = html.strip_suffix(
                "</p>
",
            ) {
                html = format!(
                    "{start}{back}</p>
"
                );
            } else {
                html.push_str(&back);
            }
            **cell = html;
        }
    }
}

/// A footnote label as an id: letters, digits, `-` and `_` kept, anything
/// else `-`.
fn footnote_id(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect()
}

/// Nested lists from a run of items with depths: a deeper item opens a list
/// inside the open item; a change of list type at the same depth starts a
/// new list.
fn list_html(p: &Parsed<'_>, items: &[ListItem<'_>], out: &mut String) {
    // (ordered, depth, an item is open)
    let mut open: Vec<(bool, u8, bool)> = Vec::new();
    let close = |list: (bool, u8, bool), out: &mut String| {
        if list.2 {
            out.push_str("</li>\n");
        }
        out.push_str(if list.0 { "</ol>\n" } else { "</ul>\n" });
    };
    for item in items {
        while open.last().is_some_and(|l| l.1 > item.depth) {
            close(open.pop().expect("checked"), out);
        }
        if let Some(top) = open.last_mut().filter(|l| l.1 == item.depth) {
            if top.0 == item.ordered {
                if top.2 {
                    out.push_str("</li>\n");
                }
            } else {
                let list = open.pop().expect("checked");
                close(list, out);
            }
        }
        if open.last().is_none_or(|l| l.1 < item.depth) {
            out.push_str(if item.ordered { "<ol>\n" } else { "<ul>\n" });
            open.push((item.ordered, item.depth, false));
        }
        match item.task {
            Some(true) => {
                out.push_str("<li class=\"task\"><input type=\"checkbox\" disabled checked> ")
            }
            Some(false) => out.push_str("<li class=\"task\"><input type=\"checkbox\" disabled> "),
            None => out.push_str("<li>"),
        }
        block_inline_html(p, item.block, out);
        open.last_mut().expect("just pushed or kept").2 = true;
    }
    while let Some(list) = open.pop() {
        close(list, out);
    }
}

/// A table; a column aligned in the source (`:---:`, `---:`) has its cells
/// aligned with a `style` attribute, as GFM renderers do.
fn table_html(p: &Parsed<'_>, table: &Table<'_>, align: &[ColumnAlign], out: &mut String) {
    let rows = table.rows();
    let header_rows = Table::header_rows(&rows);
    out.push_str("<div class=\"table-wrap\"><table>\n");
    for (i, row) in rows.iter().enumerate() {
        if i == 0 && header_rows > 0 {
            out.push_str("<thead>\n");
        }
        if i == header_rows {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        for (col, cell) in row.iter().enumerate() {
            let (open, close) = match cell {
                Some((_, true)) if i < header_rows => ("<th scope=\"col\"", "</th>"),
                Some((_, true)) => ("<th scope=\"row\"", "</th>"),
                _ => ("<td", "</td>"),
            };
            out.push_str(open);
            match align.get(col) {
                Some(ColumnAlign::Left) => out.push_str(" style=\"text-align: left\""),
                Some(ColumnAlign::Center) => out.push_str(" style=\"text-align: center\""),
                Some(ColumnAlign::Right) => out.push_str(" style=\"text-align: right\""),
                Some(ColumnAlign::None) | None => {}
            }
            out.push('>');
            if let Some((block, _)) = cell {
                block_inline_html(p, block, out);
            }
            out.push_str(close);
        }
        out.push_str("</tr>\n");
        if i + 1 == header_rows {
            out.push_str("</thead>\n");
        }
    }
    if rows.len() > header_rows {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table></div>\n");
}

/// A title's segments, separated by a space: inline tags in a title are
/// text (a page's `<title>` can hold no markup).
fn title_inline_html(p: &Parsed<'_>, block: &EditionBlock, out: &mut String) {
    for (i, (segment, inlines)) in block.segments.iter().zip(p.of(block)).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let inlines = diglot_core::inline::title_inlines(inlines.clone());
        inlines_html_marked(p, segment, &inlines, out);
    }
}

/// A block's segments, separated by a space. Strikethrough that runs
/// across sentences (`~~One. Two.~~`) is struck in each of them.
fn block_inline_html(p: &Parsed<'_>, block: &EditionBlock, out: &mut String) {
    let segments = p.of(block);
    let is_strike = |i: &Inline| matches!(i, Inline::Raw(r) if r == STRIKE);
    let strikes: Vec<usize> =
        segments.iter().map(|s| s.iter().filter(|i| is_strike(i)).count()).collect();
    // Only when the block's delimiters pair up: a translation that lost
    // one strikes nothing beyond its own sentence.
    let across = strikes.iter().sum::<usize>() % 2 == 0;
    let mut struck = false;
    for (i, (segment, inlines)) in block.segments.iter().zip(segments).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let struck_after = across && (struck ^ (strikes[i] % 2 == 1));
        if struck || struck_after {
            let mut inlines = inlines.clone();
            if struck {
                inlines.insert(0, Inline::Raw(STRIKE.into()));
            }
            if struck_after {
                inlines.push(Inline::Raw(STRIKE.into()));
            }
            inlines_html_marked(p, segment, &inlines, out);
        } else {
            inlines_html_marked(p, segment, inlines, out);
        }
        struck = struck_after;
    }
}

/// A segment's inlines, marked as what they are when not a reviewed
/// translation (a fallback, a draft).
fn inlines_html_marked(
    p: &Parsed<'_>,
    segment: &LocalizedSegment,
    inlines: &[Inline],
    out: &mut String,
) {
    let (edition, images) = (p.edition, p.images);
    let (class, note) = match segment.status {
        SegmentStatus::Source | SegmentStatus::Translated => {
            return inlines_html_with(inlines, images, out);
        }
        _ if edition.is_source() => return inlines_html_with(inlines, images, out),
        SegmentStatus::Missing => ("fallback", "edition-fallback-note"),
        SegmentStatus::Stale => ("fallback stale", "edition-stale-note"),
        SegmentStatus::Outdated => ("outdated", "edition-outdated-note"),
        SegmentStatus::Unreviewed => ("unreviewed", "edition-unreviewed-note"),
    };
    out.push_str("<span");
    if segment.status.is_fallback() {
        // The text is the source's: say so for screen readers and hyphenation.
        attr(out, "lang", &edition.source_locale.to_string());
    }
    attr(out, "class", class);
    attr(out, "title", strings::get(edition, note));
    out.push('>');
    inlines_html_with(inlines, images, out);
    out.push_str("</span>");
}

fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape(value, out);
    out.push('"');
}

/// A strikethrough delimiter, a raw piece of its own.
const STRIKE: &str = "~~";

pub(crate) fn inlines_html(inlines: &[Inline], out: &mut String) {
    inlines_html_with(inlines, None, out)
}

/// The attributes of an HTML article's images beside `src`, `alt` and
/// `title`, by `src` ([`Skeleton::image_attributes`]).
pub(crate) type Images<'a> = Option<&'a BTreeMap<String, Vec<(String, String)>>>;

/// Whether an image's attribute (other than `src`, `alt`, `title`) is
/// published in the editions rendered from the document: its size,
/// responsive sources, loading hints, classes and data. Any other stays
/// out: event handlers (`onerror`) would run script, `style` and `id` would
/// reach into the page's own styles and anchors, `usemap`, `ismap` and
/// `aria-*` references name parts of the source page.
pub(crate) fn is_shown_image_attribute(name: &str) -> bool {
    matches!(
        name,
        "width"
            | "height"
            | "srcset"
            | "sizes"
            | "loading"
            | "decoding"
            | "fetchpriority"
            | "class"
            | "crossorigin"
            | "referrerpolicy"
            | "lang"
            | "dir"
    ) || (name.starts_with("data-")
        && name.len() > 5
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b)))
}

fn inlines_html_with(inlines: &[Inline], images: Images<'_>, out: &mut String) {
    // Strikethrough delimiters paired at one level are `<del>`; one left
    // alone (its pair lost in a translation) shows nothing.
    let is_strike = |i: &Inline| matches!(i, Inline::Raw(r) if r == STRIKE);
    let paired = inlines.iter().filter(|i| is_strike(i)).count() % 2 == 0;
    let mut struck = false;
    for inline in inlines {
        if is_strike(inline) {
            if paired {
                out.push_str(if struck { "</del>" } else { "<del>" });
                struck = !struck;
            }
            continue;
        }
        match inline {
            Inline::Text(text) => escape(text, out),
            Inline::Emphasis(children) => wrap("em", children, images, out),
            Inline::Strong(children) => wrap("strong", children, images, out),
            Inline::Code(code) => {
                out.push_str("<code>");
                escape(code, out);
                out.push_str("</code>");
            }
            Inline::Link { href, title, children } if is_safe_href(href) => {
                out.push_str("<a");
                attr(out, "href", href);
                if !title.is_empty() {
                    attr(out, "title", title);
                }
                out.push('>');
                inlines_html_with(children, images, out);
                out.push_str("</a>");
            }
            // A `javascript:` (or other unknown scheme) link keeps its text
            // only, as does a reference with no definition.
            Inline::Link { children, .. } | Inline::RefLink { children, .. } => {
                inlines_html_with(children, images, out)
            }
            Inline::Image { src, title, alt } => image_html(src, title, alt, images, out),
            // A reference image with no definition shows its text.
            Inline::RefImage { alt, .. } => escape(alt, out),
            Inline::Break => out.push_str("<br>"),
            Inline::Raw(raw) => raw_html(raw, images, out),
        }
    }
}

/// Inline HTML tags that format text, published without their attributes;
/// other tags are left out (their text stays).
const FORMATTING_TAGS: [&str; 18] = [
    "abbr", "b", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "samp",
    "small", "sub", "sup", "var",
];

/// A raw piece of the source in HTML: an image (Markdown or `<img>`) as `<img>`, a footnote
/// reference as a superscript, a formatting tag without attributes.
/// Shortcodes are site-generator directives and have no HTML.
fn raw_html(raw: &str, images: Images<'_>, out: &mut String) {
    if let Some(image) = image_parts(raw) {
        image_html(&image.src, &image.title, &image.alt, images, out);
    } else if let Some(label) = raw.strip_prefix("[^").and_then(|r| r.strip_suffix(']')) {
        out.push_str("<sup class=\"footnote-ref\">");
        escape(label, out);
        out.push_str("</sup>");
    } else if let Some(url) = autolink(raw) {
        let href = if url.contains('@') && !url.contains(':') {
            format!("mailto:{url}")
        } else {
            url.to_string()
        };
        if is_safe_href(&href) {
            out.push_str("<a");
            attr(out, "href", &href);
            out.push('>');
            escape(url, out);
            out.push_str("</a>");
        } else {
            escape(url, out);
        }
    } else if let Some(tag) = raw.strip_prefix('<') {
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if FORMATTING_TAGS.contains(&name.as_str()) {
            out.push_str(if closing { "</" } else { "<" });
            out.push_str(&name);
            out.push('>');
        } else if name == "img" && !closing {
            // An image written as HTML: its safe attributes (`src`, `alt`,
            // `title`, size), as written.
            out.push_str(&sanitizer().clean(raw).to_string());
        }
    }
}

/// An image as `<img>`, with the other attributes the source page gave it
/// that [`is_shown_image_attribute`] lets through; one whose source could
/// run script shows nothing.
fn image_html(src: &str, title: &str, alt: &str, images: Images<'_>, out: &mut String) {
    if is_safe_href(src) {
        out.push_str("<img");
        attr(out, "src", src);
        attr(out, "alt", alt);
        if !title.is_empty() {
            attr(out, "title", title);
        }
        for (name, value) in images.and_then(|i| i.get(src)).into_iter().flatten() {
            if is_shown_image_attribute(name) {
                attr(out, name, value);
            }
        }
        out.push('>');
    }
}

/// The URL or address of an autolink (`<https://…>`, `<a@b.org>`).
fn autolink(raw: &str) -> Option<&str> {
    let inner = raw.strip_prefix('<')?.strip_suffix('>')?;
    let scheme = inner.find(':').is_some_and(|i| {
        i >= 2 && inner[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    let ok = !inner.contains(char::is_whitespace) && (scheme || inner.contains('@'));
    ok.then_some(inner)
}

/// Each segment's inline content as published ([`segment_inlines`]),
/// parsed once per edition and shared by its HTML page, the bilingual page
/// and the JSON edition.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    pub(crate) edition: &'a Edition,
    /// By block, then by segment.
    blocks: Vec<Vec<Vec<Inline>>>,
    /// The attributes of the source page's images, for an HTML article.
    pub(crate) images: Images<'a>,
}

impl<'a> Parsed<'a> {
    pub(crate) fn new(edition: &'a Edition) -> Self {
        let blocks = edition
            .blocks
            .iter()
            .map(|b| b.segments.iter().map(segment_inlines).collect())
            .collect();
        Parsed { edition, blocks, images: None }
    }

    /// The same, its images given the attributes `images` has for them.
    pub(crate) fn with_images(self, images: Images<'a>) -> Self {
        Parsed { images, ..self }
    }

    /// Each block's segments' inlines, in the edition's order.
    pub(crate) fn blocks(&self) -> &[Vec<Vec<Inline>>] {
        &self.blocks
    }

    /// The inlines, to keep beyond the edition's borrow.
    pub(crate) fn into_blocks(self) -> Vec<Vec<Vec<Inline>>> {
        self.blocks
    }

    /// The edition with inlines [`Parsed::new`] made from it.
    pub(crate) fn from_blocks(edition: &'a Edition, blocks: Vec<Vec<Vec<Inline>>>) -> Self {
        Parsed { edition, blocks, images: None }
    }

    /// The inlines of each segment of `block`, one of the edition's blocks.
    fn of(&self, block: &EditionBlock) -> &[Vec<Inline>] {
        &self.blocks[self.index(block)]
    }

    /// The index of `block`, one of the edition's blocks, in them: pages
    /// hold blocks by reference (see [`Group`]), and searching for each
    /// would take time in the number of blocks.
    fn index(&self, block: &EditionBlock) -> usize {
        let start = self.edition.blocks.as_ptr() as usize;
        let at = block as *const EditionBlock as usize;
        let index = at.wrapping_sub(start) / std::mem::size_of::<EditionBlock>().max(1);
        assert!(
            self.edition.blocks.get(index).is_some_and(|b| std::ptr::eq(b, block)),
            "a block of another edition"
        );
        index
    }
}

/// A segment's inline content as published: links that could run script
/// lose their link, and raw pieces the source segment does not have (a
/// tag or shortcode a translation brought in) are text, as is the
/// alternative text of an image whose source the source segment lacks.
pub(crate) fn segment_inlines(segment: &LocalizedSegment) -> Vec<Inline> {
    let inlines = safe_links(parse_markdown(&segment.text));
    if segment.text == segment.source {
        return inlines;
    }
    let mut allowed = raw_pieces(&segment.source);
    allowed.extend(image_sources(&parse_markdown(&segment.source)));
    only_raws(inlines, &mut allowed)
}

/// Each image's source, marked apart from raw pieces.
fn image_sources(inlines: &[Inline]) -> Vec<String> {
    let mut out = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Image { src, .. } => out.push(format!("\u{0}{src}")),
            Inline::RefImage { label, .. } => out.push(format!("\u{1}{label}")),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { children: c, .. }
            | Inline::RefLink { children: c, .. } => out.extend(image_sources(c)),
            _ => {}
        }
    }
    out
}

fn only_raws(inlines: Vec<Inline>, allowed: &mut Vec<String>) -> Vec<Inline> {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::Image { src, title, alt } => {
                match allowed.iter().position(|a| a.strip_prefix('\u{0}') == Some(&src)) {
                    Some(i) => {
                        allowed.swap_remove(i);
                        Inline::Image { src, title, alt }
                    }
                    None => Inline::Text(alt),
                }
            }
            Inline::RefImage { label, alt } => {
                match allowed.iter().position(|a| a.strip_prefix('\u{1}') == Some(&label)) {
                    Some(i) => {
                        allowed.swap_remove(i);
                        Inline::RefImage { label, alt }
                    }
                    None => Inline::Text(alt),
                }
            }
            // A shortcode with its `text=` translated is the source's.
            Inline::Raw(raw) => match allowed.iter().position(|a| raw_key(a) == raw_key(&raw)) {
                Some(i) => {
                    allowed.swap_remove(i);
                    Inline::Raw(raw)
                }
                None => Inline::Text(raw),
            },
            Inline::Emphasis(c) => Inline::Emphasis(only_raws(c, allowed)),
            Inline::Strong(c) => Inline::Strong(only_raws(c, allowed)),
            Inline::Link { href, title, children } => {
                Inline::Link { href, title, children: only_raws(children, allowed) }
            }
            Inline::RefLink { label, children } => {
                Inline::RefLink { label, children: only_raws(children, allowed) }
            }
            other => other,
        })
        .collect()
}

fn wrap(tag: &str, children: &[Inline], images: Images<'_>, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    inlines_html_with(children, images, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// Replaces links [`is_safe_href`] refuses with their text.
pub(crate) fn safe_links(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Emphasis(c) => out.push(Inline::Emphasis(safe_links(c))),
            Inline::Strong(c) => out.push(Inline::Strong(safe_links(c))),
            Inline::Link { href, title, children } if is_safe_href(&href) => {
                out.push(Inline::Link { href, title, children: safe_links(children) })
            }
            Inline::Link { children, .. } => out.extend(safe_links(children)),
            Inline::RefLink { label, children } => {
                out.push(Inline::RefLink { label, children: safe_links(children) })
            }
            other => out.push(other),
        }
    }
    out
}

/// Web and mail links, and relative ones; nothing that runs script.
fn is_safe_href(href: &str) -> bool {
    // As a browser reads it: tabs and newlines removed, leading controls
    // and spaces trimmed.
    let cleaned: String = href.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let href = cleaned.trim_start_matches(|c: char| c <= ' ');
    let scheme_end = href.find([':', '/', '?', '#']);
    match scheme_end {
        // A scheme is a letter, then letters, digits, `+`, `-` or `.`;
        // anything else before the colon makes a relative reference.
        Some(i)
            if href[i..].starts_with(':')
                && href[..i].starts_with(|c: char| c.is_ascii_alphabetic())
                && href[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            let scheme = href[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Text or an attribute value for HTML. Not `quick_xml::escape`: HTML
/// writes the apostrophe `&#39;` (`&apos;` is XML's, unknown to HTML 4),
/// and the templates' strings go through this same function (see the
/// formatter above), so a page escapes one way throughout.
pub(crate) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
