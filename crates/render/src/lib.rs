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
//! or is left out. The article's data (publication date, author, draft,
//! front matter syntax) are fields of the [`Edition`], for front matter,
//! `<time datetime>`, page metadata and feeds.
//!
//! This crate never does I/O: it returns text, and output is deterministic
//! (no clocks, no hash-map order).

mod head;
mod html;
mod json;
mod layout;
mod markdown;
mod references;
mod site;
mod strings;

pub use site::{SiteArticle, SiteFiles, SiteOptions, render_site_pages};

use diglot_core::{Diagnostic, Edition, Locale, Skeleton, SourceFormat};

/// The file name, in each locale's folder, of the edition of an HTML
/// article that is its source page with the article's text translated.
pub(crate) const PAGE_FILE: &str = "page.html";

/// A rendered file, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated: `es-ES/index.html`.
    pub path: String,
    pub contents: String,
}

/// An article's rendered files, and what they could not show as the
/// locale files say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Sorted by path.
    pub files: Vec<OutputFile>,
    /// In edition order, then source order.
    pub warnings: Vec<Warning>,
}

/// Something an edition shows otherwise than its locale file says, found
/// while rendering. Never an error: the file is written all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The edition's locale.
    pub locale: Locale,
    /// The file it concerns, relative to the output root
    /// (`es-ES/page.html`).
    pub path: String,
    pub kind: WarningKind,
    /// Said for the article's source: the message concerned, where the
    /// block lies in the source, what is wrong and how to fix it (`file` is
    /// left empty: the caller fills it).
    pub diagnostic: Diagnostic,
}

/// What a [`Warning`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    /// A block of `page.html` stays in the source language: its
    /// translation's inline markup (links and their titles, emphasis, code,
    /// images) is not the source's, so the source's tags cannot be placed
    /// in it.
    PageMarkupMismatch,
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
    let mut all: Vec<&Edition> = vec![edition];
    all.extend(others.iter().copied());
    let nav = flat_nav(edition, &all, has_siblings);
    match format {
        Format::Html => {
            html::page(&html::Parsed::new(edition), others, &nav, &[], &[], &Default::default())
        }
        Format::Markdown => Ok(markdown::page(edition)),
        Format::Json => json::page(&html::Parsed::new(edition), &[], &[], &Default::default()),
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
    let mut nav = flat_nav(source, &[source, target], true);
    nav.here = "bilingual".into();
    let (source, target) = (html::Parsed::new(source), html::Parsed::new(target));
    html::bilingual(&source, &target, &nav, &[], &[], &Default::default())
}

/// The links of a page in the one-article layout: `<locale>/` per edition,
/// `bilingual/`.
fn flat_nav<'a>(edition: &Edition, all: &[&Edition], bilingual: bool) -> head::Nav<'a> {
    head::Nav {
        base_url: None,
        here: edition.locale.to_string(),
        editions: all.iter().map(|e| (e.locale.clone(), e.locale.to_string())).collect(),
        bilingual: bilingual.then(|| "bilingual".to_string()),
        home: None,
    }
}

/// Renders every edition as `<locale>/index.html`, `index.md` and `index.json`,
/// plus `bilingual/index.html` for the pair `bilingual` names (indices of the
/// source and target in `editions`). Sorted by path.
pub fn render_site(
    editions: &[Edition],
    bilingual: Option<(usize, usize)>,
) -> Result<Vec<OutputFile>, Error> {
    render_site_with(editions, bilingual, None).map(|r| r.files)
}

/// Like [`render_site`]; with a [`Skeleton`] of the source, its verbatim
/// blocks (code, images, raw HTML, rules) take their places in every
/// edition, and for a Markdown article each `index.md` is made from it by
/// [`render_markdown`]; for an HTML article each `page.html`, with a
/// [`Warning`] for each block it leaves in the source language.
pub fn render_site_with(
    editions: &[Edition],
    bilingual: Option<(usize, usize)>,
    skeleton: Option<&Skeleton>,
) -> Result<Rendered, Error> {
    article_files(editions, bilingual, skeleton, &Place::Flat)
}

/// Where an article's pages go.
#[derive(Debug)]
pub(crate) enum Place<'a> {
    /// `<locale>/`, `bilingual/`: one article per output folder.
    Flat,
    /// `<locale>/<slug>/`, `bilingual/<slug>/`, in a site with home pages.
    Site { base_url: Option<&'a str> },
}

impl Place<'_> {
    pub(crate) fn edition_dir(&self, edition: &Edition) -> String {
        match self {
            Place::Flat => edition.locale.to_string(),
            Place::Site { .. } => format!("{}/{}", edition.locale, edition.slug),
        }
    }

    pub(crate) fn bilingual_dir(&self, slug: &str) -> String {
        match self {
            Place::Flat => "bilingual".into(),
            Place::Site { .. } => format!("bilingual/{slug}"),
        }
    }

    fn nav<'n>(
        &self,
        editions: &[Edition],
        here: String,
        bilingual: Option<String>,
    ) -> head::Nav<'n>
    where
        Self: 'n,
    {
        let (base_url, site) = match self {
            Place::Flat => (None, false),
            Place::Site { base_url } => (*base_url, true),
        };
        let home = match site {
            true => here.split('/').next().filter(|l| *l != "bilingual").map(str::to_string),
            false => None,
        };
        head::Nav {
            base_url,
            here,
            editions: editions.iter().map(|e| (e.locale.clone(), self.edition_dir(e))).collect(),
            bilingual,
            home,
        }
    }
}

/// An article's pages, laid out as `place` says.
pub(crate) fn article_files(
    editions: &[Edition],
    bilingual: Option<(usize, usize)>,
    skeleton: Option<&Skeleton>,
    place: &Place<'_>,
) -> Result<Rendered, Error> {
    for (i, e) in editions.iter().enumerate() {
        if editions[..i].iter().any(|o| o.locale == e.locale) {
            return Err(Error::DuplicateLocale { locale: e.locale.to_string() });
        }
    }
    if let Some((s, t)) = bilingual
        && (s == t || s >= editions.len() || t >= editions.len())
    {
        return Err(Error::BilingualPair {
            source_index: s,
            target_index: t,
            count: editions.len(),
        });
    }
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    // HTML and JSON need each reference link's URL; Markdown keeps the label.
    let resolved: Vec<Edition> = match skeleton {
        Some(s) if !s.references.is_empty() => {
            editions.iter().map(|e| references::resolve(e, &s.references)).collect()
        }
        _ => Vec::new(),
    };
    let pages = if resolved.is_empty() { editions } else { &resolved };
    let verbatim = layout::placements(skeleton);
    // The HTML pages show a paragraph of reference images as images: with
    // their definitions' URLs. (The Markdown and JSON keep it as written.)
    let resolved_verbatim: Vec<Option<diglot_core::Verbatim>> = match skeleton {
        Some(s) if !s.references.is_empty() => {
            verbatim.iter().map(|(_, v)| references::resolve_verbatim(v, &s.references)).collect()
        }
        _ => Vec::new(),
    };
    let html_verbatim: Vec<(usize, &diglot_core::Verbatim)> = verbatim
        .iter()
        .enumerate()
        .map(|(i, (before, v))| {
            (*before, resolved_verbatim.get(i).and_then(Option::as_ref).unwrap_or(v))
        })
        .collect();
    let aligns = skeleton.map_or(&[][..], |s| s.table_alignments.as_slice());
    let footnotes = skeleton.map(Skeleton::footnote_of_blocks).unwrap_or_default();
    let images = skeleton.map(|s| &s.image_attributes).filter(|i| !i.is_empty());
    let slug = editions.first().map_or("", |e| e.slug.as_str());
    let bilingual_dir = bilingual.map(|_| place.bilingual_dir(slug));
    let edition_files = |(edition, page): (&Edition, &Edition)| -> Result<_, Error> {
        let others: Vec<&Edition> = pages.iter().collect();
        let dir = place.edition_dir(edition);
        let nav = place.nav(editions, dir.clone(), bilingual_dir.clone());
        let file = |name: &str, contents| OutputFile { path: format!("{dir}/{name}"), contents };
        let md = match skeleton {
            Some(skeleton) if skeleton.format == SourceFormat::Markdown => {
                markdown::from_skeleton(edition, skeleton)
            }
            _ => markdown::page_with(edition, &verbatim),
        };
        // Each sentence's inline Markdown is parsed once, for the HTML page,
        // the JSON edition and the bilingual page.
        let parsed = html::Parsed::new(page).with_images(images);
        let mut out = vec![
            file(
                "index.html",
                html::page(&parsed, &others, &nav, &html_verbatim, aligns, &footnotes)?,
            ),
            file("index.md", md),
        ];
        let mut warnings = Vec::new();
        if let Some(skeleton) = skeleton.filter(|s| s.format == SourceFormat::Html) {
            let (page, found) = html::from_skeleton(edition, skeleton);
            let path = format!("{dir}/{PAGE_FILE}");
            warnings.extend(found.into_iter().map(|(kind, diagnostic)| Warning {
                locale: edition.locale.clone(),
                path: path.clone(),
                kind,
                diagnostic,
            }));
            out.push(file(PAGE_FILE, page));
        }
        out.push(file("index.json", json::page(&parsed, &verbatim, aligns, &footnotes)?));
        Ok((out, warnings, parsed.into_blocks()))
    };
    // Each edition on its own thread; the files are sorted below, so their
    // order never depends on scheduling.
    let rendered: Vec<Result<_, Error>> = std::thread::scope(|scope| {
        let edition_files = &edition_files;
        let mut pairs = editions.iter().zip(pages);
        let first = pairs.next();
        let others: Vec<_> = pairs.map(|pair| scope.spawn(move || edition_files(pair))).collect();
        let mut out: Vec<_> = first.into_iter().map(edition_files).collect();
        out.extend(
            others.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
        );
        out
    });
    let mut parsed = Vec::with_capacity(rendered.len());
    for result in rendered {
        let (out, found, p) = result?;
        files.extend(out);
        warnings.extend(found);
        parsed.push(p);
    }
    if let (Some((s, t)), Some(dir)) = (bilingual, bilingual_dir) {
        let nav = place.nav(editions, dir.clone(), Some(dir.clone()));
        let source = html::Parsed::from_blocks(&pages[s], std::mem::take(&mut parsed[s]))
            .with_images(images);
        let target = html::Parsed::from_blocks(&pages[t], std::mem::take(&mut parsed[t]))
            .with_images(images);
        files.push(OutputFile {
            path: format!("{dir}/index.html"),
            contents: html::bilingual(&source, &target, &nav, &html_verbatim, aligns, &footnotes)?,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { files, warnings })
}

#[cfg(test)]
mod tests;
