//! diglot-render: publishes localized [`Edition`]s.
//!
//! [`render`] turns one edition into an HTML page, a Markdown file with YAML
//! front matter (for Hugo or Zola) or JSON; [`render_bilingual`] sets two
//! editions side by side, block by block; [`render_site`] lays all of them out
//! as [`OutputFile`]s under `<locale>/` and `bilingual/`.
//!
//! Segment text is Markdown inline syntax, parsed by
//! [`diglot_core::inline::parse_markdown`]; raw pieces (tags, shortcodes)
//! in a translation that its source segment lacks stay text. A Markdown
//! article's [`Skeleton`] makes its Markdown editions ([`render_markdown`])
//! and places its code, raw HTML and rules in the other editions. Sentences published in the source language because their translation
//! is missing or stale carry the source's `lang`, so screen readers and
//! hyphenation treat them as what they are.
//!
//! The edition's own words (byline, date, notes) are `Edition::strings`,
//! formatted upstream from `edition.ftl`; a missing one falls back to English
//! or is left out. Two keys there are data rather than messages:
//! [`META_PUBLISHED`] and [`META_AUTHOR`] feed the Markdown front matter.
//!
//! This crate never does I/O: it returns text, and output is deterministic
//! (no clocks, no hash-map order).

mod html;
mod json;
mod layout;
mod markdown;
mod references;
mod strings;

use diglot_core::{Edition, Skeleton, SourceFormat};

/// `Edition::strings` key holding the publication date as ISO `YYYY-MM-DD`.
pub const META_PUBLISHED: &str = "meta-published";
/// `Edition::strings` key holding the author's name as written.
pub const META_AUTHOR: &str = "meta-author";

/// The file name, in each locale's folder, of the edition of an HTML
/// article that is its source page with the article's text translated.
pub const PAGE_FILE: &str = "page.html";

/// A rendered file, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated: `es-ES/index.html`.
    pub path: String,
    pub contents: String,
}

/// What [`render`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A standalone page, stylesheet inlined.
    Html,
    /// Markdown with YAML front matter, for Hugo or Zola.
    Markdown,
    /// The edition with each segment's inline markup parsed.
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("rendering template `{template}` for {locale}: {source}")]
    Template {
        template: &'static str,
        locale: String,
        #[source]
        source: minijinja::Error,
    },
    #[error("serializing the {locale} edition as JSON: {source}")]
    Json {
        locale: String,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "bilingual pair ({source_index}, {target_index}) names an edition that does not exist: there are {count}"
    )]
    BilingualPair { source_index: usize, target_index: usize, count: usize },
    #[error("two editions have the locale {locale}; each locale gets one folder")]
    DuplicateLocale { locale: String },
}

/// Renders one edition. `others` are its sibling editions (it may be among
/// them), for `hreflang` links and the language switcher; when there are
/// any, the HTML page also links the bilingual page at `../bilingual/`, as
/// [`render_site`] lays it out.
pub fn render(edition: &Edition, others: &[&Edition], format: Format) -> Result<String, Error> {
    let has_siblings = others.iter().any(|o| o.locale != edition.locale);
    match format {
        Format::Html => html::page(edition, others, has_siblings, &[], &[], &Default::default()),
        Format::Markdown => Ok(markdown::page(edition)),
        Format::Json => json::page(edition, &[], &[], &Default::default()),
    }
}

/// Renders the Markdown edition of an article written in Markdown from its
/// [`Skeleton`]: the source with each block's text replaced by its
/// translation, every other byte as it was. An edition in the source
/// language reproduces the source below its front matter.
pub fn render_markdown(edition: &Edition, skeleton: &Skeleton) -> String {
    markdown::from_skeleton(edition, skeleton)
}

/// Renders the bilingual page: `source` and `target` side by side, block by
/// block, each column in its own language; stacked on narrow screens.
pub fn render_bilingual(source: &Edition, target: &Edition) -> Result<String, Error> {
    html::bilingual(source, target, &[], &[], &Default::default())
}

/// Renders every edition as `<locale>/index.html`, `index.md` and `index.json`,
/// plus `bilingual/index.html` for the pair `bilingual` names (indices of the
/// source and target in `editions`). Sorted by path.
pub fn render_site(
    editions: &[Edition],
    bilingual: Option<(usize, usize)>,
) -> Result<Vec<OutputFile>, Error> {
    render_site_with(editions, bilingual, None)
}

/// Like [`render_site`]; with a [`Skeleton`] of the source, its verbatim
/// blocks (code, images, raw HTML, rules) take their places in every
/// edition, and for a Markdown article each `index.md` is made from it by
/// [`render_markdown`].
pub fn render_site_with(
    editions: &[Edition],
    bilingual: Option<(usize, usize)>,
    skeleton: Option<&Skeleton>,
) -> Result<Vec<OutputFile>, Error> {
    for (i, e) in editions.iter().enumerate() {
        if editions[..i].iter().any(|o| o.locale == e.locale) {
            return Err(Error::DuplicateLocale { locale: e.locale.to_string() });
        }
    }
    let mut files = Vec::new();
    // HTML and JSON need each reference link's URL; Markdown keeps the label.
    let resolved: Vec<Edition> = match skeleton {
        Some(s) if !s.references.is_empty() => {
            editions.iter().map(|e| references::resolve(e, &s.references)).collect()
        }
        _ => Vec::new(),
    };
    let pages = if resolved.is_empty() { editions } else { &resolved };
    let verbatim = layout::placements(skeleton);
    let aligns = skeleton.map_or(&[][..], |s| s.table_alignments.as_slice());
    let footnotes = skeleton.map(Skeleton::footnote_of_blocks).unwrap_or_default();
    for (edition, page) in editions.iter().zip(pages) {
        let others: Vec<&Edition> = pages.iter().collect();
        let dir = edition.locale.to_string();
        let file = |name: &str, contents| OutputFile { path: format!("{dir}/{name}"), contents };
        files.push(file(
            "index.html",
            html::page(page, &others, bilingual.is_some(), &verbatim, aligns, &footnotes)?,
        ));
        let md = match skeleton {
            Some(skeleton) if skeleton.format == SourceFormat::Markdown => {
                markdown::from_skeleton(edition, skeleton)
            }
            _ => markdown::page_with(edition, &verbatim),
        };
        files.push(file("index.md", md));
        if let Some(skeleton) = skeleton.filter(|s| s.format == SourceFormat::Html) {
            files.push(file(PAGE_FILE, html::from_skeleton(edition, skeleton)));
        }
        files.push(file("index.json", json::page(page, &verbatim, aligns, &footnotes)?));
    }
    let editions = pages;
    if let Some((s, t)) = bilingual {
        let pair = editions.get(s).zip(editions.get(t)).filter(|_| s != t);
        let Some((source, target)) = pair else {
            return Err(Error::BilingualPair {
                source_index: s,
                target_index: t,
                count: editions.len(),
            });
        };
        files.push(OutputFile {
            path: "bilingual/index.html".into(),
            contents: html::bilingual(source, target, &verbatim, aligns, &footnotes)?,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests;
