//! `pipelines/<name>.toml`: one file per publication.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A pipeline file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub article: ArticleConfig,
    #[serde(default)]
    pub edition: EditionConfig,
    #[serde(default)]
    pub translate: TranslateConfig,
    #[serde(default)]
    pub check: CheckConfig,
    /// Where some settings are written, for errors that point at them.
    #[serde(skip)]
    pub(crate) spans: Spans,
}

/// 1-based line and column of a value in the pipeline file.
pub(crate) type Position = (usize, usize);

/// Where the settings that are checked after parsing are written: the
/// TOML reader knows their spans, and an error about one names its line
/// and column.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spans {
    pub output: Option<Position>,
    pub min_coverage: Option<Position>,
    pub bilingual: Option<Position>,
    pub lang: Option<Position>,
    pub published: Option<Position>,
    pub fuzzy_threshold: Option<Position>,
    pub draft_below: Option<Position>,
    pub front_matter: Option<Position>,
    pub source: Option<Position>,
    /// `[edition] locales` itself.
    pub locales_list: Option<Position>,
    /// Each entry of `[edition] locales`.
    pub locales: Vec<Position>,
}

impl Spans {
    fn find(text: &str) -> Spans {
        #[derive(Deserialize)]
        struct File {
            article: Option<Article>,
            edition: Option<Edition>,
            translate: Option<Translate>,
        }
        #[derive(Deserialize)]
        struct Translate {
            fuzzy_threshold: Option<toml::Spanned<toml::Value>>,
        }
        #[derive(Deserialize)]
        struct Article {
            lang: Option<toml::Spanned<toml::Value>>,
            source: Option<toml::Spanned<toml::Value>>,
            published: Option<toml::Spanned<toml::Value>>,
        }
        #[derive(Deserialize)]
        struct Edition {
            output: Option<toml::Spanned<toml::Value>>,
            min_coverage: Option<toml::Spanned<toml::Value>>,
            bilingual: Option<toml::Spanned<toml::Value>>,
            locales: Option<toml::Spanned<Vec<toml::Spanned<toml::Value>>>>,
            draft_below: Option<toml::Spanned<toml::Value>>,
            front_matter: Option<toml::Spanned<toml::Value>>,
        }
        let Ok(file) = toml::from_str::<File>(text) else { return Spans::default() };
        let index = diglot_core::LineIndex::new(text);
        let at = |v: &toml::Spanned<toml::Value>| index.line_col(v.span().start);
        let edition = file.edition;
        let list = edition.as_ref().and_then(|e| e.locales.as_ref());
        let locales = list.map(|l| l.get_ref());
        Spans {
            output: edition.as_ref().and_then(|e| e.output.as_ref()).map(at),
            min_coverage: edition.as_ref().and_then(|e| e.min_coverage.as_ref()).map(at),
            bilingual: edition.as_ref().and_then(|e| e.bilingual.as_ref()).map(at),
            lang: file.article.as_ref().and_then(|a| a.lang.as_ref()).map(at),
            source: file.article.as_ref().and_then(|a| a.source.as_ref()).map(at),
            draft_below: edition.as_ref().and_then(|e| e.draft_below.as_ref()).map(at),
            front_matter: edition.as_ref().and_then(|e| e.front_matter.as_ref()).map(at),
            locales_list: list.map(|l| index.line_col(l.span().start)),
            published: file.article.as_ref().and_then(|a| a.published.as_ref()).map(at),
            fuzzy_threshold: file.translate.and_then(|t| t.fuzzy_threshold).as_ref().map(at),
            locales: locales.map(|l| l.iter().map(at).collect()).unwrap_or_default(),
        }
    }
}

/// `[check]`: what `diglot check` reports, and whether `build` runs it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Codes never reported for this pipeline (`allow = ["identical"]`).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Codes not reported for one message (`"msg-id" = ["length"]`).
    #[serde(default)]
    pub allow_messages: std::collections::BTreeMap<String, Vec<String>>,
    /// Whether `build` fails on the errors `diglot check` finds.
    #[serde(default)]
    pub in_build: bool,
}

/// `[translate]`: where drafts for missing and stale segments come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslateConfig {
    /// Minimum fuzzy-match score, in percent, for a translation-memory draft.
    #[serde(default = "default_fuzzy")]
    pub fuzzy_threshold: f64,
    /// The termbase; default `locales/glossary/<source>.<target>.tsv`.
    pub glossary: Option<PathBuf>,
    /// TMX files imported into the translation memory on every run.
    #[serde(default)]
    pub tmx: Vec<PathBuf>,
    /// Whether `build` runs the translate step before rendering.
    #[serde(default)]
    pub in_build: bool,
    /// Retries of a request after a rate limit, server error or timeout.
    #[serde(default = "default_retries")]
    pub max_retries: u32,
    /// The first wait before a retry, in milliseconds; it doubles each
    /// retry, with jitter, up to 30 s (or what `Retry-After` asks).
    #[serde(default = "default_backoff_ms")]
    pub backoff_ms: u64,
    /// Machine-translation providers, tried in order after the memory.
    #[serde(default)]
    pub providers: Vec<diglot_translate::providers::ProviderConfig>,
}

impl Default for TranslateConfig {
    fn default() -> Self {
        TranslateConfig {
            fuzzy_threshold: default_fuzzy(),
            glossary: None,
            tmx: Vec::new(),
            in_build: false,
            max_retries: default_retries(),
            backoff_ms: default_backoff_ms(),
            providers: Vec::new(),
        }
    }
}

fn default_retries() -> u32 {
    4
}

fn default_backoff_ms() -> u64 {
    500
}

fn default_fuzzy() -> f64 {
    75.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleConfig {
    /// The article's source file, relative to the project root.
    pub source: PathBuf,
    /// Whether `source` may be outside the project folder (after resolving
    /// `..` and symlinks); by default such a source is refused, so that a
    /// pipeline file cannot publish any file the user can read.
    #[serde(default)]
    pub allow_outside_project: bool,
    /// File names and URLs; defaults to the pipeline file's name.
    pub slug: Option<String>,
    /// `text`, `markdown` or `html`; defaults to what the extension says.
    pub format: Option<String>,
    /// The article's locale (`en-US`, `es-ES`); detected when absent.
    pub lang: Option<String>,
    pub author: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// The front-matter keys of a Markdown article whose values are
    /// translated; `title`, `description` and `summary` when absent.
    pub front_matter_keys: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionConfig {
    /// Target locales, in the order editions are listed.
    #[serde(default)]
    pub locales: Vec<String>,
    /// The target paired with the source on the bilingual page; defaults to
    /// the first target. `false`-like empty string disables it.
    pub bilingual: Option<String>,
    /// Output folder, relative to the project root. `build` replaces it
    /// whole, so it must be diglot's own: see `output.rs`.
    #[serde(default = "default_output")]
    pub output: PathBuf,
    /// Whether `output` may be outside the project folder.
    #[serde(default)]
    pub allow_outside_project: bool,
    /// Percent of segments each target must have translated for `build` to
    /// succeed.
    #[serde(default)]
    pub min_coverage: f64,
    /// Percent of *reviewed* translations below which a target's Markdown
    /// edition says `draft: true`, so Hugo and Zola leave it out; defaults
    /// to `min_coverage`.
    pub draft_below: Option<f64>,
    /// Front matter of Markdown editions made from a text or HTML article:
    /// `"yaml"` (`---`, for Hugo; the default) or `"toml"` (`+++`, Zola's
    /// fields). A Markdown article's own front matter keeps its syntax.
    pub front_matter: Option<String>,
    /// What an edition shows for a sentence whose translation is stale.
    #[serde(default)]
    pub stale: StaleShown,
}

/// `[edition] stale`: what readers see for a stale sentence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaleShown {
    /// The source sentence, marked (HTML: `class="fallback stale"`).
    #[default]
    Source,
    /// The translation made for the sentence's earlier version, marked
    /// (HTML: `class="outdated"`; JSON: status `outdated`).
    Previous,
}

impl Default for EditionConfig {
    fn default() -> Self {
        EditionConfig {
            locales: Vec::new(),
            bilingual: None,
            output: default_output(),
            allow_outside_project: false,
            min_coverage: 0.0,
            draft_below: None,
            front_matter: None,
            stale: StaleShown::default(),
        }
    }
}

/// What the TOML reader refuses (a syntax error, a value of the wrong type,
/// a key written twice), at `file:line:col` like every other setting error.
fn toml_error(path: &Path, text: &str, source: toml::de::Error) -> crate::Error {
    match source.span() {
        Some(span) => {
            let (line, column) = diglot_core::LineIndex::new(text).line_col(span.start);
            let message = source.message().trim_end().to_string();
            crate::Error::Setting { path: path.to_path_buf(), line, column, message }
        }
        None => crate::Error::Toml { path: path.to_path_buf(), source },
    }
}

fn default_output() -> PathBuf {
    PathBuf::from("dist")
}

impl Config {
    pub fn parse(path: &Path, text: &str) -> Result<Config, crate::Error> {
        let mut config: Config = toml::from_str(text).map_err(|e| toml_error(path, text, e))?;
        config.spans = Spans::find(text);
        Ok(config)
    }
}

/// `diglot.toml`, beside `pipelines/`: settings of the whole project.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    /// With a `[site]` table, `build` publishes every pipeline into one
    /// site instead of each into its own output folder.
    pub site: Option<SiteConfig>,
}

/// `[site]` of `diglot.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The absolute `http(s)` URL the site is served at. Makes `canonical`,
    /// `hreflang` and `og:url` absolute, and adds `sitemap.xml` and an Atom
    /// feed per locale. Without it links stay relative and neither is made.
    pub base_url: Option<String>,
    /// The site's name, on its home pages and feeds.
    pub title: Option<String>,
    /// The site's folder, relative to the project root; replaced whole by
    /// every build, so it must be diglot's own (see `output.rs`).
    #[serde(default = "default_output")]
    pub output: PathBuf,
}

impl ProjectConfig {
    pub fn parse(path: &Path, text: &str) -> Result<ProjectConfig, crate::Error> {
        let mut config: ProjectConfig =
            toml::from_str(text).map_err(|e| toml_error(path, text, e))?;
        if let Some(site) = &mut config.site
            && let Some(url) = &mut site.base_url
        {
            *url = check_base_url(url)
                .map_err(|message| crate::Error::Config { path: path.to_path_buf(), message })?;
        }
        Ok(config)
    }
}

/// An absolute `http` or `https` URL with a host and no query or fragment,
/// ending in `/` (added when missing).
pub(crate) fn check_base_url(url: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "[site] base_url = {url:?} {why}; write the absolute address the site is served \
             at, such as \"https://news.example.org/\""
        ))
    };
    let rest = match url.split_once("://") {
        Some((scheme, rest)) if scheme == "https" || scheme == "http" => rest,
        Some(_) => return bad("is not an http or https URL"),
        None => return bad("is not an absolute URL"),
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("holds a space or control character");
    }
    if url.contains(['?', '#']) {
        return bad("has a query or fragment");
    }
    let host = rest.split('/').next().unwrap_or("");
    let host_name = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host_name.is_empty() || host_name.starts_with(':') || host != host_name {
        return bad("has no host (or has user information)");
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_absolute_http_urls() {
        assert_eq!(check_base_url("https://x.org").unwrap(), "https://x.org/");
        assert_eq!(check_base_url("http://x.org/news/").unwrap(), "http://x.org/news/");
        for bad in [
            "x.org",
            "/news/",
            "ftp://x.org/",
            "https://",
            "https:///a",
            "https://x.org/?a",
            "https://u@x.org/",
            "https://x .org/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
