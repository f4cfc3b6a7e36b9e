//! A site of several articles: each edition at `<locale>/<slug>/`, the
//! bilingual page at `bilingual/<slug>/`, a home page per locale
//! (`<locale>/index.html`) listing its articles, a root `index.html` naming
//! every language; with a base URL, `sitemap.xml` (with `xhtml:link`
//! alternates) and an Atom feed per locale (`<locale>/atom.xml`).

use std::collections::BTreeSet;

use serde::Serialize;

use diglot_core::{Edition, IsoDate, Locale, Skeleton};

use crate::head::{absolute, description, relative};
use crate::html::{STYLE, dir, render_template};
use crate::{Error, OutputFile, Place, Rendered, article_files, strings};

/// One article of a site.
#[derive(Debug, Clone, Copy)]
pub struct SiteArticle<'a> {
    /// Its editions, the source first.
    pub editions: &'a [Edition],
    /// The bilingual page's pair (indices into `editions`).
    pub bilingual: Option<(usize, usize)>,
    /// The skeleton of a Markdown source.
    pub skeleton: Option<&'a Skeleton>,
}

/// What a site is called and where it is served.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteOptions<'a> {
    /// The site's absolute URL, ending in `/`: makes `canonical`,
    /// `hreflang`, `og:url` absolute, and adds the sitemap and feeds.
    pub base_url: Option<&'a str>,
    /// The site's name, on home pages and feeds.
    pub title: Option<&'a str>,
}

/// A site's files: each article's own (in the order given), with its
/// warnings, and the site's (home pages, sitemap, feeds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFiles {
    pub articles: Vec<Rendered>,
    pub shared: Vec<OutputFile>,
}

/// Renders `articles` as one site (see the module documentation).
pub fn render_site_pages(
    articles: &[SiteArticle<'_>],
    options: &SiteOptions<'_>,
) -> Result<SiteFiles, Error> {
    let place = Place::Site { base_url: options.base_url };
    let mut files = Vec::new();
    for a in articles {
        files.push(article_files(a.editions, a.bilingual, a.skeleton, &place)?);
    }
    let locales: BTreeSet<String> =
        articles.iter().flat_map(|a| a.editions.iter().map(|e| e.locale.to_string())).collect();
    let x_default = articles
        .iter()
        .find_map(|a| a.editions.iter().find(|e| e.is_source()))
        .map(|e| e.locale.to_string());
    let mut shared = Vec::new();
    let homes: Vec<Home<'_>> = locales
        .iter()
        .map(|tag| Home::of(tag, articles, &place))
        .filter(|h| !h.entries.is_empty())
        .collect();
    for home in &homes {
        let feed = options.base_url.and_then(|base| feed(home, base, options.title));
        let has_feed = feed.is_some();
        if let Some(feed) = feed {
            shared.push(OutputFile { path: format!("{}/atom.xml", home.tag), contents: feed });
        }
        shared.push(OutputFile {
            path: format!("{}/index.html", home.tag),
            contents: home_page(home, &homes, options, has_feed)?,
        });
    }
    shared.push(OutputFile {
        path: "index.html".into(),
        contents: root_page(&homes, options, x_default.as_deref())?,
    });
    if let Some(base) = options.base_url {
        shared.push(OutputFile {
            path: "sitemap.xml".into(),
            contents: sitemap(articles, &homes, base),
        });
    }
    shared.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(SiteFiles { articles: files, shared })
}

/// A locale's home page: its articles, newest first.
struct Home<'a> {
    tag: String,
    locale: &'a Locale,
    /// An edition in this locale, for the page's own strings.
    sample: &'a Edition,
    entries: Vec<(&'a Edition, String)>,
}

impl<'a> Home<'a> {
    fn of(tag: &str, articles: &[SiteArticle<'a>], place: &Place<'_>) -> Home<'a> {
        let mut entries: Vec<(&Edition, String)> = articles
            .iter()
            .filter_map(|a| a.editions.iter().find(|e| *e.locale.to_string() == *tag))
            .map(|e| (e, place.edition_dir(e)))
            .collect();
        entries.sort_by(|(a, _), (b, _)| {
            b.published.cmp(&a.published).then_with(|| a.slug.cmp(&b.slug))
        });
        let sample = entries.first().map(|(e, _)| *e);
        Home {
            tag: tag.to_string(),
            locale: sample.map(|e| &e.locale).expect("a home has an edition"),
            sample: sample.expect("a home has an edition"),
            entries,
        }
    }
}

#[derive(Serialize)]
struct Entry {
    title: String,
    href: String,
    date: String,
    date_iso: Option<String>,
    status: String,
    /// Percent of sentences with a published translation.
    coverage: String,
    is_source: bool,
    /// The language of the entry's title, when not the page's.
    lang: Option<String>,
}

#[derive(Serialize)]
struct Link {
    lang: String,
    href: String,
    url: String,
    name: String,
}

#[derive(Serialize)]
struct HomeContext<'a> {
    lang: String,
    dir: &'static str,
    title: String,
    heading: String,
    read_in: &'a str,
    canonical: String,
    alternates: Vec<Link>,
    x_default: String,
    switcher: Vec<Link>,
    entries: Vec<Entry>,
    feed: bool,
    style: &'static str,
}

fn url_or_href(base: Option<&str>, here: &str, to: &str) -> String {
    match base {
        Some(base) => absolute(base, to),
        None => relative(here, to),
    }
}

fn home_links(homes: &[Home<'_>], here: &str, base: Option<&str>) -> Vec<Link> {
    homes
        .iter()
        .map(|h| Link {
            lang: h.tag.clone(),
            href: relative(here, &h.tag),
            url: url_or_href(base, here, &h.tag),
            name: strings::language_name(h.sample),
        })
        .collect()
}

fn home_page(
    home: &Home<'_>,
    homes: &[Home<'_>],
    options: &SiteOptions<'_>,
    feed: bool,
) -> Result<String, Error> {
    let here = home.tag.as_str();
    let name = strings::language_name(home.sample);
    let entries = home
        .entries
        .iter()
        .map(|(e, dir)| {
            let c = e.segment_counts();
            Entry {
                title: e.title().unwrap_or_else(|| e.slug.clone()),
                href: relative(here, dir),
                date: strings::get(e, "edition-published").to_string(),
                date_iso: e.published.map(|d| d.to_string()),
                status: strings::get(
                    e,
                    if e.is_source() {
                        "edition-original-language"
                    } else {
                        "edition-translation-status"
                    },
                )
                .to_string(),
                coverage: format!("{:.0}", c.percent()),
                is_source: e.is_source(),
                lang: None,
            }
        })
        .collect();
    let ctx = HomeContext {
        lang: home.tag.clone(),
        dir: dir(home.sample),
        title: match options.title {
            Some(t) => format!("{t} · {name}"),
            None => name.clone(),
        },
        heading: options.title.map_or(name, str::to_string),
        read_in: strings::get(home.sample, "edition-read-in"),
        canonical: url_or_href(options.base_url, here, here),
        alternates: home_links(homes, here, options.base_url),
        x_default: url_or_href(options.base_url, here, ""),
        switcher: home_links(homes, here, options.base_url)
            .into_iter()
            .filter(|l| l.lang != home.tag)
            .collect(),
        entries,
        feed,
        style: STYLE,
    };
    render_template("home.html", home.locale, ctx)
}

/// The site's root: every language's home page, each named in itself.
fn root_page(
    homes: &[Home<'_>],
    options: &SiteOptions<'_>,
    x_default: Option<&str>,
) -> Result<String, Error> {
    let Some(first) = homes.iter().find(|h| Some(h.tag.as_str()) == x_default).or(homes.first())
    else {
        return Ok(String::new());
    };
    let links = home_links(homes, "", options.base_url);
    let ctx = HomeContext {
        lang: first.tag.clone(),
        dir: dir(first.sample),
        title: options.title.map_or_else(|| strings::language_name(first.sample), str::to_string),
        heading: options.title.map_or_else(|| strings::language_name(first.sample), str::to_string),
        read_in: strings::get(first.sample, "edition-read-in"),
        canonical: url_or_href(options.base_url, "", ""),
        x_default: url_or_href(options.base_url, "", ""),
        alternates: links,
        switcher: Vec::new(),
        // Every language, named in itself.
        entries: homes
            .iter()
            .map(|h| Entry {
                title: strings::language_name(h.sample),
                href: relative("", &h.tag),
                date: String::new(),
                date_iso: None,
                status: String::new(),
                coverage: String::new(),
                is_source: false,
                lang: Some(h.tag.clone()),
            })
            .collect(),
        feed: false,
        style: STYLE,
    };
    render_template("home.html", first.locale, ctx)
}

/// Text or an attribute value for XML: `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn xml_escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// `sitemap.xml`: every page, each with its language versions as
/// `xhtml:link` alternates (and `x-default`, the original).
fn sitemap(articles: &[SiteArticle<'_>], homes: &[Home<'_>], base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let url = |loc: &str, alternates: &[(String, String)], out: &mut String| {
        out.push_str("<url>\n<loc>");
        out.push_str(&xml_escape(loc));
        out.push_str("</loc>\n");
        for (lang, href) in alternates {
            out.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                xml_escape(lang),
                xml_escape(href)
            ));
        }
        out.push_str("</url>\n");
    };
    let place = Place::Site { base_url: Some(base) };
    let home_alternates: Vec<(String, String)> = homes
        .iter()
        .map(|h| (h.tag.clone(), absolute(base, &h.tag)))
        .chain([("x-default".to_string(), absolute(base, ""))])
        .collect();
    url(&absolute(base, ""), &home_alternates, &mut out);
    for h in homes {
        url(&absolute(base, &h.tag), &home_alternates, &mut out);
    }
    for a in articles {
        let mut alternates: Vec<(String, String)> = a
            .editions
            .iter()
            .filter(|e| crate::head::in_its_language(e))
            .map(|e| (e.locale.to_string(), absolute(base, &place.edition_dir(e))))
            .collect();
        if let Some(source) = a.editions.iter().find(|e| e.is_source()) {
            alternates.push(("x-default".into(), absolute(base, &place.edition_dir(source))));
        }
        for e in a.editions {
            let here: &[(String, String)] =
                if crate::head::in_its_language(e) { &alternates } else { &[] };
            url(&absolute(base, &place.edition_dir(e)), here, &mut out);
        }
        if a.bilingual.is_some()
            && let Some(e) = a.editions.first()
        {
            url(&absolute(base, &place.bilingual_dir(&e.slug)), &[], &mut out);
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// An Atom feed of a locale's dated articles, newest first; none when no
/// article has a date (a feed's entries must say when they were updated,
/// and diglot takes no date from the clock).
fn feed(home: &Home<'_>, base: &str, title: Option<&str>) -> Option<String> {
    let dated: Vec<(&Edition, IsoDate, &String)> =
        home.entries.iter().filter_map(|(e, dir)| Some((*e, e.published?, dir))).collect();
    let updated = dated.iter().map(|(_, d, _)| *d).max()?;
    let name = strings::language_name(home.sample);
    let feed_title = match title {
        Some(t) => format!("{t} · {name}"),
        None => name,
    };
    let home_url = absolute(base, &home.tag);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n\
         <id>{id}</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{id}atom.xml\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{id}\"/>\n\
         <updated>{updated}T00:00:00Z</updated>\n\
         <author><name>{author}</name></author>\n",
        lang = xml_escape(&home.tag),
        title = xml_escape(&feed_title),
        id = xml_escape(&home_url),
        author = xml_escape(title.unwrap_or(base)),
    );
    for (e, date, dir) in dated {
        let url = absolute(base, dir);
        out.push_str("<entry>\n");
        out.push_str(&format!(
            "<title>{}</title>\n<id>{u}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{u}\"/>\n",
            xml_escape(&e.title().unwrap_or_else(|| e.slug.clone())),
            u = xml_escape(&url),
        ));
        out.push_str(&format!("<published>{date}T00:00:00Z</published>\n"));
        out.push_str(&format!("<updated>{date}T00:00:00Z</updated>\n"));
        if let Some(author) = e.author.as_ref().filter(|a| !a.trim().is_empty()) {
            out.push_str(&format!("<author><name>{}</name></author>\n", xml_escape(author)));
        }
        let summary = description(e);
        if !summary.is_empty() {
            out.push_str(&format!("<summary>{}</summary>\n", xml_escape(&summary)));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    Some(out)
}
