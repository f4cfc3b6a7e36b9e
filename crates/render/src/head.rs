//! Where pages are and how they link, and what a page's `<head>` tells
//! search engines and link previews: `canonical` and `hreflang` alternates,
//! Open Graph and Twitter card tags, JSON-LD `NewsArticle`.
//!
//! Links between pages are relative and end in `index.html`, so they work
//! from a web server and from files opened on disk alike. With a site's
//! `base_url`, the URLs meant for other machines (`canonical`, `hreflang`,
//! `og:url`, JSON-LD, sitemap, feeds) are absolute: `base_url` + the page's
//! folder + `/`.

use serde::Serialize;

use diglot_core::{Edition, Locale};

/// Where one article's pages are, relative to the output root, and the
/// site's address.
#[derive(Debug, Clone)]
pub(crate) struct Nav<'a> {
    pub base_url: Option<&'a str>,
    /// This page's folder (`es-ES`, `es-ES/flood-report`), `/`-separated.
    pub here: String,
    /// The folder of each edition of the article, by locale.
    pub editions: Vec<(Locale, String)>,
    /// The bilingual page's folder, when there is one.
    pub bilingual: Option<String>,
    /// The home page of this page's locale, in a site.
    pub home: Option<String>,
}

impl Nav<'_> {
    /// A relative link from this page to the page in folder `to`.
    pub fn href(&self, to: &str) -> String {
        relative(&self.here, to)
    }

    /// The URL of the page in folder `to` for other machines: absolute with
    /// a base URL, else as [`Nav::href`].
    pub fn url(&self, to: &str) -> String {
        match self.base_url {
            Some(base) => absolute(base, to),
            None => self.href(to),
        }
    }

    pub(crate) fn dir_of(&self, locale: &Locale) -> Option<&str> {
        self.editions.iter().find(|(l, _)| l == locale).map(|(_, d)| d.as_str())
    }
}

/// `../../es-ES/index.html` from `from` to `to` (folders under one root).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    for part in &to_parts[common..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str("index.html");
    out
}

/// `base` (ending in `/`) + `dir` + `/`; the root itself for an empty `dir`.
pub(crate) fn absolute(base: &str, dir: &str) -> String {
    let mut url = base.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    let dir = dir.trim_matches('/');
    if !dir.is_empty() {
        url.push_str(dir);
        url.push('/');
    }
    url
}

/// `es-ES` -> `es_ES`, as Open Graph writes locales.
pub(crate) fn og_locale(locale: &Locale) -> String {
    locale.to_string().replace('-', "_")
}

/// A page's description: the first paragraph's text, cut at a word near
/// 200 characters.
pub(crate) fn description(edition: &Edition) -> String {
    let Some(block) = edition.blocks.iter().find(|b| b.kind == diglot_core::BlockKind::Paragraph)
    else {
        return String::new();
    };
    let text: Vec<String> = block
        .segments
        .iter()
        .map(|s| diglot_core::inline::plain_text_of_markdown(&s.text))
        .collect();
    let text = text.join(" ");
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 200 {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > 200 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// `<meta property=… content=…>` and `<meta name=… content=…>` pairs.
#[derive(Debug, Serialize)]
pub(crate) struct Meta {
    pub key: &'static str,
    pub content: String,
}

/// Whether `edition` may be declared a version of the article in its
/// language (`hreflang`, `og:locale:alternate`, sitemap alternates): the
/// original, or a translation with at least one sentence translated. One
/// with none is the original's text under another locale's address.
pub(crate) fn in_its_language(edition: &Edition) -> bool {
    let c = edition.segment_counts();
    edition.is_source() || c.translated + c.unreviewed > 0
}

/// The head of an article page, beyond its title and styles.
#[derive(Debug, Serialize)]
pub(crate) struct Head {
    pub canonical: String,
    pub description: String,
    /// Open Graph, `property=`.
    pub og: Vec<Meta>,
    /// Twitter card, `name=`.
    pub twitter: Vec<Meta>,
    /// The JSON-LD object, safe inside `<script>`.
    pub json_ld: String,
}

/// The head of `edition`'s page; `all` holds every edition of the article
/// (itself among them).
pub(crate) fn article_head(edition: &Edition, all: &[&Edition], nav: &Nav<'_>) -> Head {
    let here = nav.dir_of(&edition.locale).unwrap_or(&nav.here).to_string();
    let canonical = nav.url(&here);
    let title = edition.title().unwrap_or_else(|| edition.slug.clone());
    let description = description(edition);
    let mut og = vec![
        Meta { key: "og:type", content: "article".into() },
        Meta { key: "og:title", content: title.clone() },
    ];
    if !description.is_empty() {
        og.push(Meta { key: "og:description", content: description.clone() });
    }
    if nav.base_url.is_some() {
        og.push(Meta { key: "og:url", content: canonical.clone() });
    }
    og.push(Meta { key: "og:locale", content: og_locale(&edition.locale) });
    for other in all.iter().filter(|e| e.locale != edition.locale && in_its_language(e)) {
        og.push(Meta { key: "og:locale:alternate", content: og_locale(&other.locale) });
    }
    let published = edition.published.map(|d| d.to_string());
    if let Some(date) = &published {
        og.push(Meta { key: "article:published_time", content: date.clone() });
    }
    let mut twitter = vec![
        Meta { key: "twitter:card", content: "summary".into() },
        Meta { key: "twitter:title", content: title.clone() },
    ];
    if !description.is_empty() {
        twitter.push(Meta { key: "twitter:description", content: description.clone() });
    }

    let work = |e: &Edition| {
        let dir = nav.dir_of(&e.locale).unwrap_or_default().to_string();
        let url = nav.url(&dir);
        serde_json::json!({
            "@type": "NewsArticle",
            "@id": url,
            "url": url,
            "inLanguage": e.locale.to_string(),
            "headline": e.title().unwrap_or_else(|| e.slug.clone()),
        })
    };
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": canonical,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "headline": title,
        "inLanguage": edition.locale.to_string(),
    });
    let obj = ld.as_object_mut().expect("an object");
    if !description.is_empty() {
        obj.insert("description".into(), description.clone().into());
    }
    if let Some(date) = published {
        obj.insert("datePublished".into(), date.clone().into());
    }
    if let Some(author) = edition.author.as_ref().filter(|a| !a.trim().is_empty()) {
        obj.insert("author".into(), serde_json::json!({ "@type": "Person", "name": author }));
    }
    if edition.is_source() {
        // Only editions with something translated are translations yet.
        let translations: Vec<_> = all
            .iter()
            .filter(|e| e.locale != edition.locale && in_its_language(e))
            .map(|e| work(e))
            .collect();
        if !translations.is_empty() {
            obj.insert("workTranslation".into(), translations.into());
        }
    } else if let Some(source) = all.iter().find(|e| e.locale == edition.source_locale) {
        obj.insert("translationOfWork".into(), work(source));
    }
    Head { canonical, description, og, twitter, json_ld: script_json(&ld) }
}

/// JSON that cannot end a `<script>` element or open a comment in it.
pub(crate) fn script_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_end_in_index_html() {
        assert_eq!(relative("es-ES", "en-US"), "../en-US/index.html");
        assert_eq!(relative("es-ES/a", "en-US/a"), "../../en-US/a/index.html");
        assert_eq!(relative("es-ES/a", "es-ES"), "../index.html");
        assert_eq!(relative("es-ES", "es-ES/a"), "a/index.html");
        assert_eq!(relative("", "es-ES"), "es-ES/index.html");
        assert_eq!(relative("es-ES", ""), "../index.html");
        assert_eq!(absolute("https://x.org/news/", "es-ES/a"), "https://x.org/news/es-ES/a/");
        assert_eq!(absolute("https://x.org", ""), "https://x.org/");
    }
}
