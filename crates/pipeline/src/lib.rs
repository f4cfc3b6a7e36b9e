//! diglot-pipeline: runs diglot's stages for one publication, described by a
//! `pipelines/<name>.toml` file. The CLI and the server call this crate and
//! nothing below it.
//!
//! [`Pipeline::extract`] reads the article (`ingest`), splits it into
//! sentences (`segment`), writes the reference locale file and merges every
//! target locale file (`fluent`). [`Pipeline::status`] reports coverage
//! without writing. [`Pipeline::build`] does what extract does, then builds
//! each edition (`translate`), renders it (`render`) and replaces the output
//! folder with the result and a `report.json`.
//!
//! This is the only crate that touches the file system. Every write is
//! atomic (temporary file or folder, then rename) and skipped when the
//! content is unchanged; a locale file with syntax errors is never
//! rewritten.

mod config;
mod fs;
mod report;
mod translate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diglot_core::{Diagnostic, Edition, Locale, Segmented, Severity, Translations, parse_locale};
use diglot_fluent::{Article, LocaleFile, MergeReport};

pub use config::{ArticleConfig, Config, EditionConfig, TranslateConfig};
pub use diglot_translate::engine::{Breaker, Fill, Plan, ProviderStats};
pub use report::{BuildReport, LocaleReport, SegmentRef};
pub use translate::{
    EvalReport, EvalResult, LocaleTranslation, Progress, TranslateOptions, TranslateOutcome,
};

/// Edition strings used when a project has no `edition.ftl` of its own.
const DEFAULT_EDITION_FTL: &str = include_str!("../../../locales/en-US/edition.ftl");

/// Everything that can stop a command. Problems in content (a malformed
/// locale file) are [`Diagnostic`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Article { path: PathBuf, message: String },
    #[error("no pipeline named `{name}` in {dir} (found: {found})")]
    NoSuchPipeline { name: String, dir: PathBuf, found: String },
    #[error("rendering {locale}: {message}")]
    Render { locale: String, message: String },
    #[error("{message}")]
    Provider { message: String },
    /// The translation memory (or a TMX file going into it).
    #[error("{path}: {message}")]
    Memory { path: PathBuf, message: String },
}

/// A diglot project: a folder with `pipelines/`, `locales/` and the articles.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
}

impl Project {
    pub fn new(root: impl Into<PathBuf>) -> Project {
        Project { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The project's pipeline files, sorted by name.
    pub fn pipeline_files(&self) -> Result<Vec<PathBuf>, Error> {
        let dir = self.root.join("pipelines");
        let entries =
            std::fs::read_dir(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        Ok(files)
    }

    /// Loads a pipeline by name (`pipelines/<name>.toml`) or by path.
    pub fn pipeline(&self, name_or_path: &str) -> Result<Pipeline, Error> {
        let as_path = PathBuf::from(name_or_path);
        let path = if as_path.extension().is_some_and(|e| e == "toml") && as_path.exists() {
            as_path
        } else {
            let path = self.root.join("pipelines").join(format!("{name_or_path}.toml"));
            if !path.exists() {
                let found: Vec<String> = self
                    .pipeline_files()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                    .collect();
                return Err(Error::NoSuchPipeline {
                    name: name_or_path.to_string(),
                    dir: self.root.join("pipelines"),
                    found: if found.is_empty() { "none".into() } else { found.join(", ") },
                });
            }
            path
        };
        Pipeline::load(&self.root, &path)
    }

    /// Every pipeline of the project.
    pub fn pipelines(&self) -> Result<Vec<Pipeline>, Error> {
        self.pipeline_files()?.iter().map(|p| Pipeline::load(&self.root, p)).collect()
    }
}

/// One publication: an article, its locales and its output.
#[derive(Debug, Clone)]
pub struct Pipeline {
    root: PathBuf,
    path: PathBuf,
    config: Config,
    slug: String,
}

/// The article, segmented, and the state of each locale file.
#[derive(Debug)]
struct Prepared {
    segmented: Segmented,
    /// The Markdown source with its translatable spans marked.
    skeleton: Option<diglot_core::Skeleton>,
    source_locale: Locale,
    reference_path: PathBuf,
    reference_text: String,
    targets: Vec<Target>,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
struct Target {
    locale: Locale,
    path: PathBuf,
    /// The merged file, or None when the current file has syntax errors and
    /// must not be rewritten.
    merged: Option<String>,
    report: MergeReport,
    /// The file to read translations from: the merged one when there is one.
    file: LocaleFile,
}

/// What `extract` did.
#[derive(Debug, Default)]
pub struct ExtractOutcome {
    /// Locale files written (changed).
    pub written: Vec<PathBuf>,
    /// Locale files already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Per target locale: kept, stale, obsolete and revived messages.
    pub merges: BTreeMap<String, MergeReport>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ExtractOutcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Options of `build`.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Overrides the pipeline's `min_coverage` (percent).
    pub min_coverage: Option<f64>,
    /// Fail while any unreviewed draft is published.
    pub require_reviewed: bool,
    /// Let Ctrl-C end the translate step early.
    pub stop_on_ctrl_c: bool,
    /// Progress of the translate step, for a terminal.
    pub progress: Option<translate::Progress>,
}

impl std::fmt::Debug for BuildOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildOptions")
            .field("min_coverage", &self.min_coverage)
            .field("require_reviewed", &self.require_reviewed)
            .field("stop_on_ctrl_c", &self.stop_on_ctrl_c)
            .finish_non_exhaustive()
    }
}

/// What `build` did.
#[derive(Debug)]
pub struct BuildOutcome {
    pub extract: ExtractOutcome,
    pub report: BuildReport,
    /// The output folder.
    pub output: PathBuf,
    /// Whether the output folder changed.
    pub output_written: bool,
    /// Targets below the coverage gate: (locale, percent).
    pub below_coverage: Vec<(String, f64)>,
    /// Targets publishing unreviewed drafts, when they are not allowed:
    /// (locale, how many).
    pub unreviewed: Vec<(String, usize)>,
    /// The translate step, when the pipeline runs it in builds.
    pub translation: Option<TranslateOutcome>,
}

impl Pipeline {
    fn load(root: &Path, path: &Path) -> Result<Pipeline, Error> {
        let text = fs::read_to_string(path)?;
        let config = Config::parse(path, &text)?;
        let slug = match &config.article.slug {
            Some(s) => s.clone(),
            None => path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        if slug.is_empty()
            || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: format!("slug `{slug}` must be ASCII letters, digits, `-` or `_`"),
            });
        }
        for tag in &config.edition.locales {
            parse_locale(tag)
                .map_err(|message| Error::Config { path: path.to_path_buf(), message })?;
        }
        Ok(Pipeline { root: root.to_path_buf(), path: path.to_path_buf(), config, slug })
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The pipeline file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn rel(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).to_string_lossy().replace('\\', "/")
    }

    fn targets(&self) -> Vec<Locale> {
        self.config.edition.locales.iter().filter_map(|t| parse_locale(t).ok()).collect()
    }

    /// Reads and segments the article.
    pub fn segmented(&self) -> Result<Segmented, Error> {
        self.segmented_with_skeleton().map(|(segmented, _)| segmented)
    }

    /// Reads and segments the article, keeping the skeleton of a Markdown
    /// source for its Markdown editions.
    fn segmented_with_skeleton(&self) -> Result<(Segmented, Option<diglot_core::Skeleton>), Error> {
        let path = self.root.join(&self.config.article.source);
        let text = fs::read_to_string(&path)?;
        let format = match &self.config.article.format {
            Some(name) => diglot_ingest::Format::parse(name).ok_or_else(|| Error::Config {
                path: self.path.clone(),
                message: format!("unknown format `{name}`: use text, markdown or html"),
            })?,
            None => diglot_ingest::Format::from_path(&path).ok_or_else(|| Error::Article {
                path: path.clone(),
                message: "cannot tell the format from the extension; set `format` in [article]"
                    .into(),
            })?,
        };
        let (mut doc, skeleton) = diglot_ingest::read_with_skeleton(&text, format)
            .map_err(|e| Error::Article { path: path.clone(), message: e.to_string() })?;
        let lang = match &self.config.article.lang {
            Some(tag) => parse_locale(tag)
                .map_err(|message| Error::Config { path: self.path.clone(), message })?,
            None => {
                let found =
                    doc.lang.clone().or_else(|| diglot_ingest::detect_language(&doc.plain_text()));
                let found = found.ok_or_else(|| Error::Article {
                    path: path.clone(),
                    message: "cannot tell the article's language; set `lang` in [article]".into(),
                })?;
                with_default_region(found)
            }
        };
        doc.lang = Some(lang.clone());
        let rules = diglot_segment::Rules::for_language(lang.language.as_str());
        let mut segmented = diglot_segment::segment(&doc, &rules);
        segmented.lang = lang;
        Ok((segmented, skeleton))
    }

    fn locale_file(&self, locale: &Locale) -> PathBuf {
        self.root.join("locales").join(locale.to_string()).join(format!("{}.ftl", self.slug))
    }

    fn prepare(&self) -> Result<Prepared, Error> {
        self.prepare_with(&BTreeMap::new())
    }

    /// Like `prepare`, with drafts (by target locale) merged into the
    /// target files.
    fn prepare_with(&self, drafts: &BTreeMap<Locale, Translations>) -> Result<Prepared, Error> {
        let (segmented, skeleton) = self.segmented_with_skeleton()?;
        let source_locale = segmented.lang.clone();
        let source_rel = self.rel(&self.root.join(&self.config.article.source));
        let article = Article { slug: &self.slug, source_path: &source_rel, segmented: &segmented };
        let mut diagnostics = Vec::new();
        if let Some(skeleton) = &skeleton {
            diagnostics.extend(
                skeleton
                    .warnings
                    .iter()
                    .map(|w| Diagnostic { file: source_rel.clone(), ..w.clone() }),
            );
        }

        let reference_path = self.locale_file(&source_locale);
        let previous_reference = fs::read_optional(&reference_path)?.map(|text| {
            let (file, diags) =
                diglot_fluent::parse_file(&self.rel(&reference_path), &text, &source_locale);
            diagnostics.extend(diags);
            file
        });
        let reference_text = diglot_fluent::write_reference(&article, previous_reference.as_ref());

        let mut targets = Vec::new();
        for locale in self.targets().into_iter().filter(|l| *l != source_locale) {
            let path = self.locale_file(&locale);
            let current = fs::read_optional(&path)?.unwrap_or_default();
            let (file, diags) =
                diglot_fluent::parse_file(&self.rel(&path), &current, &source_locale);
            let broken = file.has_errors;
            diagnostics.extend(diags);
            let target = if broken {
                Target { locale, path, merged: None, report: MergeReport::default(), file }
            } else {
                let merged = diglot_fluent::merge_target(
                    &article,
                    &locale,
                    &file,
                    previous_reference.as_ref(),
                    drafts.get(&locale).unwrap_or(&Translations::default()),
                );
                let (file, _) =
                    diglot_fluent::parse_file(&self.rel(&path), &merged.text, &source_locale);
                Target { locale, path, merged: Some(merged.text), report: merged.report, file }
            };
            targets.push(target);
        }
        Ok(Prepared {
            segmented,
            skeleton,
            source_locale,
            reference_path,
            reference_text,
            targets,
            diagnostics,
        })
    }

    /// Writes the reference locale file and merges every target locale file.
    /// When any locale file has syntax errors, nothing is written.
    pub fn extract(&self) -> Result<ExtractOutcome, Error> {
        let prepared = self.prepare()?;
        self.write_locales(&prepared)
    }

    /// Like `extract`, but writes nothing: `written` lists the locale files
    /// that are out of date with the article (what `extract` would change).
    pub fn extract_check(&self) -> Result<ExtractOutcome, Error> {
        let prepared = self.prepare()?;
        self.locale_writes(&prepared, false)
    }

    fn write_locales(&self, prepared: &Prepared) -> Result<ExtractOutcome, Error> {
        self.locale_writes(prepared, true)
    }

    fn locale_writes(&self, prepared: &Prepared, write: bool) -> Result<ExtractOutcome, Error> {
        let mut outcome =
            ExtractOutcome { diagnostics: prepared.diagnostics.clone(), ..Default::default() };
        for t in &prepared.targets {
            outcome.merges.insert(t.locale.to_string(), t.report.clone());
        }
        if outcome.has_errors() {
            return Ok(outcome);
        }
        let mut writes = vec![(prepared.reference_path.clone(), prepared.reference_text.clone())];
        for t in &prepared.targets {
            if let Some(text) = &t.merged {
                writes.push((t.path.clone(), text.clone()));
            }
        }
        for (path, text) in writes {
            let changed = if write {
                fs::write_atomic(&path, text.as_bytes())?
            } else {
                fs::read_optional(&path)?.as_deref() != Some(text.as_str())
            };
            if changed {
                outcome.written.push(path);
            } else {
                outcome.unchanged.push(path);
            }
        }
        Ok(outcome)
    }

    fn editions(&self, prepared: &Prepared) -> Result<(Vec<Edition>, Vec<Diagnostic>), Error> {
        let mut editions = Vec::new();
        let mut diagnostics = Vec::new();
        let source = diglot_translate::localize(
            &self.slug,
            &prepared.segmented,
            &prepared.source_locale,
            &Default::default(),
        );
        editions.push(source);
        for t in &prepared.targets {
            editions.push(diglot_translate::localize(
                &self.slug,
                &prepared.segmented,
                &t.locale,
                &t.file.translations(),
            ));
        }
        for edition in &mut editions {
            let (strings, diags) = self.edition_strings(edition, &prepared.source_locale)?;
            edition.strings = strings;
            diagnostics.extend(diags);
        }
        Ok((editions, diagnostics))
    }

    /// Formats the edition's own strings from `locales/<locale>/edition.ftl`,
    /// falling back to the source locale's, then to en-US's, then to the
    /// strings built into diglot.
    fn edition_strings(
        &self,
        edition: &Edition,
        source_locale: &Locale,
    ) -> Result<(BTreeMap<String, String>, Vec<Diagnostic>), Error> {
        let en: Locale = "en-US".parse().expect("valid tag");
        let mut chain = vec![edition.locale.clone()];
        for l in [source_locale, &en] {
            if !chain.contains(l) {
                chain.push(l.clone());
            }
        }
        let mut sources: Vec<(Locale, String, String)> = Vec::new();
        for locale in chain {
            let path = self.root.join("locales").join(locale.to_string()).join("edition.ftl");
            if let Some(text) = fs::read_optional(&path)? {
                sources.push((locale, self.rel(&path), text));
            }
        }
        sources.push((en, "(built-in edition.ftl)".into(), DEFAULT_EDITION_FTL.to_string()));
        let resources: Vec<(Locale, &str, &str)> =
            sources.iter().map(|(l, f, t)| (l.clone(), f.as_str(), t.as_str())).collect();
        let c = edition.coverage();
        let words: usize = edition
            .segments()
            .map(|s| {
                diglot_core::inline::plain_text_of_markdown(&s.text).split_whitespace().count()
            })
            .sum();
        let args = diglot_fluent::chrome::EditionArgs {
            author: self.config.article.author.clone(),
            published: self.config.article.published.clone(),
            minutes: reading_minutes(words),
            source_language: source_locale.language.as_str().to_string(),
            translated: c.translated,
            total: c.total,
            stale: c.stale,
            missing: c.missing,
            unreviewed: c.unreviewed,
        };
        Ok(diglot_fluent::chrome::edition_strings(&resources, &args))
    }

    /// Coverage of every locale, as `build` would publish it, without writing.
    pub fn status(&self) -> Result<BuildReport, Error> {
        let prepared = self.prepare()?;
        let (editions, diags) = self.editions(&prepared)?;
        let mut diagnostics = prepared.diagnostics.clone();
        diagnostics.extend(diags);
        Ok(report::build_report(self, &prepared, &editions, diagnostics, Vec::new()))
    }

    /// Runs every stage: extract, translate, render; replaces the output
    /// folder when the result differs from what is there.
    pub fn build(&self, options: &BuildOptions) -> Result<BuildOutcome, Error> {
        let translation = if self.config.translate.in_build {
            let opts =
                TranslateOptions { stop_on_ctrl_c: options.stop_on_ctrl_c, ..Default::default() };
            Some(self.translate(&opts)?)
        } else {
            None
        };
        let prepared = self.prepare()?;
        let mut extract = self.write_locales(&prepared)?;
        if let Some(t) = &translation {
            // Files the translate step wrote count as written by this build.
            let mut written = t.extract.written.clone();
            written.retain(|p| !extract.written.contains(p));
            extract.written.extend(written);
            extract.unchanged.retain(|p| !extract.written.contains(p));
        }
        let (editions, diags) = self.editions(&prepared)?;
        let mut diagnostics = prepared.diagnostics.clone();
        diagnostics.extend(diags);

        let bilingual = self.bilingual_pair(&editions);
        let files =
            diglot_render::render_site_with(&editions, bilingual, prepared.skeleton.as_ref())
                .map_err(|e| Error::Render { locale: "site".into(), message: e.to_string() })?;
        let outputs: Vec<String> =
            files.iter().map(|f| f.path.clone()).chain(["report.json".to_string()]).collect();
        let mut report = report::build_report(self, &prepared, &editions, diagnostics, outputs);
        if let Some(t) = &translation {
            report.translation = t.locales.clone();
        }

        let mut tree: BTreeMap<String, Vec<u8>> =
            files.into_iter().map(|f| (f.path, f.contents.into_bytes())).collect();
        tree.insert("report.json".into(), report.to_json().into_bytes());
        let output = self.root.join(&self.config.edition.output);
        let output_written = fs::replace_dir(&output, &tree)?;

        let min = options.min_coverage.unwrap_or(self.config.edition.min_coverage);
        let below_coverage = report
            .locales
            .iter()
            .filter(|l| !l.source && l.coverage.percent() + 1e-9 < min)
            .map(|l| (l.locale.clone(), l.coverage.percent()))
            .collect();
        let unreviewed = if options.require_reviewed {
            report
                .locales
                .iter()
                .filter(|l| l.coverage.unreviewed > 0)
                .map(|l| (l.locale.clone(), l.coverage.unreviewed))
                .collect()
        } else {
            Vec::new()
        };
        Ok(BuildOutcome {
            extract,
            report,
            output,
            output_written,
            below_coverage,
            unreviewed,
            translation,
        })
    }

    fn bilingual_pair(&self, editions: &[Edition]) -> Option<(usize, usize)> {
        let wanted = match &self.config.edition.bilingual {
            Some(tag) if tag.is_empty() => return None,
            Some(tag) => parse_locale(tag).ok(),
            None => editions.get(1).map(|e| e.locale.clone()),
        }?;
        let target = editions.iter().position(|e| e.locale == wanted && !e.is_source())?;
        Some((0, target))
    }
}

/// Reading time in whole minutes at 200 words a minute, at least one.
fn reading_minutes(words: usize) -> u32 {
    u32::try_from(words.div_ceil(200).max(1)).unwrap_or(u32::MAX)
}

/// `en` -> `en-US`, `es` -> `es-ES`: the locale folders diglot uses when an
/// article only states its language.
fn with_default_region(locale: Locale) -> Locale {
    if locale.region.is_some() {
        return locale;
    }
    let tag = match locale.language.as_str() {
        "en" => "en-US",
        "es" => "es-ES",
        _ => return locale,
    };
    tag.parse().unwrap_or(locale)
}

/// Segments text for `diglot segment`: one block per paragraph (blank-line
/// separated) of plain text, in `lang` or the detected language.
pub fn segment_text(text: &str, lang: Option<&str>) -> Result<Segmented, String> {
    let lang = match lang {
        Some(tag) => parse_locale(tag)?,
        None => {
            diglot_ingest::detect_language(text).unwrap_or_else(|| "en".parse().expect("valid tag"))
        }
    };
    // Blank lines separate paragraphs when there are any; otherwise every
    // line is a paragraph, as in diglot's plain-text articles.
    let paragraphs: Vec<String> = if text.contains("\n\n") || text.contains("\r\n\r\n") {
        text.replace("\r\n", "\n")
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    } else {
        text.lines().map(|l| l.trim().to_string()).collect()
    };
    let blocks = paragraphs
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| diglot_core::Block::text(diglot_core::BlockKind::Paragraph, p))
        .collect();
    let doc = diglot_core::Document { lang: Some(lang.clone()), blocks };
    let rules = diglot_segment::Rules::for_language(lang.language.as_str());
    let mut segmented = diglot_segment::segment(&doc, &rules);
    segmented.lang = lang;
    Ok(segmented)
}
