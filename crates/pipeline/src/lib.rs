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

mod align;
mod cache;
mod check;
mod config;
mod exchange;
mod fs;
mod init;
mod output;
mod parallel;
mod report;
mod site;
mod translate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diglot_core::{
    Coverage, Diagnostic, Edition, FrontMatterSyntax, IsoDate, Locale, SegmentStatus, Segmented,
    Severity, Translations, parse_locale,
};
use diglot_fluent::{Article, LocaleFile, MergeReport};

pub use align::{AlignOutcome, AlignedRef};
pub use check::{CODES as CHECK_CODES, Finding};
pub use config::{
    ArticleConfig, CheckConfig, Config, EditionConfig, ProjectConfig, SiteConfig, TranslateConfig,
};
pub use diglot_translate::engine::{Breaker, Breakers, Fill, Plan, ProviderStats, RejectedDraft};
pub use diglot_translate::protect::Reason;
pub use exchange::{ExchangeFormat, Exported, ImportOutcome, Skipped, XliffVersion, save_export};
pub use init::{FileState, GITIGNORE_LINES, NewArticle, Scaffold, init, new_article};
pub use report::{
    BuildReport, LocaleReport, SegmentRef, SiteReport, report_schema, site_report_schema,
};
pub use site::{PROJECT_FILE, SiteOutcome};
pub use translate::{
    EvalReport, EvalResult, LocaleTranslation, MemoryHit, Progress, TranslateOptions,
    TranslateOutcome,
};

/// Everything that can stop a command. Problems in content (a malformed
/// locale file) are [`Diagnostic`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The OS error is the source, so a chain of errors names it once.
    #[error("{path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: not valid UTF-8; save the file as UTF-8")]
    NotUtf8 { path: PathBuf, line: usize, column: usize },
    #[error("{path}")]
    Toml {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    /// A locale a pipeline file or an argument names that is none.
    #[error("{path}")]
    Locale {
        path: PathBuf,
        #[source]
        source: diglot_core::InvalidLocale,
    },
    /// A locale given to a command-line option (`--locale`, `--lang`,
    /// `--locales`) that is none, with the pipeline or article it was for.
    #[error("{}{option}", .path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    LocaleOption {
        path: Option<PathBuf>,
        option: &'static str,
        #[source]
        source: diglot_core::InvalidLocale,
    },
    /// A setting of a pipeline file that is wrong, where it is written.
    #[error("{path}:{line}:{column}: {message}")]
    Setting { path: PathBuf, line: usize, column: usize, message: String },
    /// A locale a pipeline file names that is none, where it is written;
    /// the locale error is the source, so a chain of errors prints
    /// `file:line:col: <why the tag is no locale>`.
    #[error("{path}:{line}:{column}")]
    LocaleSetting {
        path: PathBuf,
        line: usize,
        column: usize,
        #[source]
        source: diglot_core::InvalidLocale,
    },
    /// A file changed on disk between the moment diglot read it and the
    /// moment it would have replaced it; it was left as it is.
    #[error(
        "{path} changed while diglot was working on it, so it was left as it is: run the command again"
    )]
    Changed { path: PathBuf },
    /// An `[edition] output` that diglot must not replace.
    #[error("{path}: [edition] output = {output:?} {problem}")]
    Output { path: PathBuf, output: PathBuf, problem: String },
    #[error(
        "{first} and {second} both publish to {output}: give each pipeline its own [edition] output"
    )]
    OutputCollision { output: PathBuf, first: PathBuf, second: PathBuf },
    #[error("not a diglot project (no pipelines/ here or above {start})")]
    NotAProject { start: PathBuf },
    #[error("{path}: {message}")]
    Article { path: PathBuf, message: String },
    /// The article could not be read as its format.
    #[error("{path}")]
    Ingest {
        path: PathBuf,
        #[source]
        source: diglot_ingest::Error,
    },
    #[error("no pipeline named `{name}` in {dir} (found: {found})")]
    NoSuchPipeline { name: String, dir: PathBuf, found: String },
    /// The render error names the template and locale.
    #[error("rendering the editions")]
    Render {
        #[source]
        source: diglot_render::Error,
    },
    /// A `[[translate.providers]]` table that cannot make its provider
    /// (a missing key, a bad setting).
    #[error(transparent)]
    ProviderSetup(diglot_translate::ProviderError),
    /// `eval --provider` names no provider of the pipeline.
    #[error("no provider named `{name}` in [translate]")]
    NoSuchProvider { name: String },
    /// `init` or `new` refused: a file exists, an output folder overlaps.
    #[error("{message}")]
    Scaffold { message: String },
    /// A command-line option with a value the command cannot use.
    #[error("{message}")]
    Usage { message: String },
    /// A slug `init` or `new` cannot give an article.
    #[error(
        "`{slug}` is not a valid slug: use lowercase letters, digits and single hyphens (like `flood-report-2026`), at most 64 characters"
    )]
    Slug { slug: String },
    /// A glossary with lines diglot cannot read, each `file:line:col: …`.
    #[error("the glossary has errors; fix them and run the command again:\n{}", errors.join("\n"))]
    Glossary { errors: Vec<String> },
    /// The translation memory, when its error names the memory file.
    #[error(transparent)]
    Memory(Box<diglot_translate::memory::Error>),
    /// A memory error about `path` that does not name it: a TMX file going
    /// into the memory, a bad setting.
    #[error("{path}")]
    MemoryAt {
        path: PathBuf,
        #[source]
        source: Box<diglot_translate::memory::Error>,
    },
}

/// A diglot project: a folder with `pipelines/`, `locales/` and the articles.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
}

/// Held while a command writes to the project: `.diglot/lock`, locked for
/// the life of this value.
#[derive(Debug)]
pub struct ProjectLock {
    _file: std::fs::File,
}

impl Project {
    /// The project in the folder `root` (resolved, when it exists, so that
    /// paths inside it compare and print relative to it).
    pub fn new(root: impl Into<PathBuf>) -> Project {
        let root = root.into();
        Project { root: std::fs::canonicalize(&root).unwrap_or(root) }
    }

    /// The project holding `start`: the nearest of `start` and the folders
    /// above it that has a `pipelines/` folder, as git finds its repository.
    pub fn discover(start: &Path) -> Result<Project, Error> {
        let start = std::fs::canonicalize(start)
            .map_err(|source| Error::Io { path: start.to_path_buf(), source })?;
        match start.ancestors().find(|dir| dir.join("pipelines").is_dir()) {
            Some(root) => Ok(Project::new(root)),
            None => Err(Error::NotAProject { start }),
        }
    }

    /// Takes the project's lock (`.diglot/lock`), waiting for another
    /// command that holds it (`on_wait` is called first), then removes what
    /// runs that died left behind. Every command that writes holds it, so
    /// two never interleave their writes.
    pub fn lock(&self, on_wait: impl FnOnce()) -> Result<ProjectLock, Error> {
        let dir = self.root.join(".diglot");
        std::fs::create_dir_all(&dir).map_err(fs::io(&dir))?;
        let path = dir.join("lock");
        let file = std::fs::File::options()
            .create(true)
            .write(true)
            .truncate(false)
            .open(&path)
            .map_err(fs::io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(fs::io(&path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(fs::io(&path)(e)),
        }
        self.remove_leftovers();
        Ok(ProjectLock { _file: file })
    }

    /// Temporary files and folders of runs that died: beside the locale
    /// files and beside each output folder. Only called under the lock.
    fn remove_leftovers(&self) {
        fs::remove_leftovers(&self.root);
        if let Ok(entries) = std::fs::read_dir(self.root.join("locales")) {
            for entry in entries.flatten() {
                fs::remove_leftovers(&entry.path());
            }
        }
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        for pipeline in self.pipeline_files().unwrap_or_default() {
            let Ok(pipeline) = Pipeline::load(&self.root, &pipeline) else { continue };
            if let Ok(dir) = output::resolve(&root.join(&pipeline.config.edition.output))
                && let Some(parent) = dir.parent()
                && parent.starts_with(&root)
            {
                fs::remove_leftovers(parent);
            }
        }
    }

    /// Checks, before anything is written, that every pipeline of
    /// `selected` may replace its output folder and that no other pipeline
    /// of the project publishes to the same folder (or one inside it).
    pub fn check_outputs(&self, selected: &[Pipeline]) -> Result<(), Error> {
        let all: Vec<Pipeline> = self
            .pipeline_files()?
            .iter()
            .filter_map(|p| Pipeline::load(&self.root, p).ok())
            .chain(selected.iter().cloned())
            .collect();
        let mut outputs = Vec::new();
        for p in &all {
            if outputs.iter().any(|(path, _): &(PathBuf, PathBuf)| *path == p.path) {
                continue;
            }
            outputs.push((p.path.clone(), p.output_dir()?));
        }
        for s in selected {
            let mine = s.output_dir()?;
            output::check_existing(&s.path, &s.config.edition.output, &mine)
                .map_err(|e| s.at_output(e))?;
            for (other, theirs) in &outputs {
                let same_file =
                    std::fs::canonicalize(other).ok() == std::fs::canonicalize(&s.path).ok();
                if !same_file && (mine.starts_with(theirs) || theirs.starts_with(&mine)) {
                    let rel = |p: &Path| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf();
                    return Err(Error::OutputCollision {
                        output: rel(&mine),
                        first: rel(&s.path),
                        second: rel(other),
                    });
                }
            }
        }
        Ok(())
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
    /// `path` as errors name it: within the project (`pipelines/x.toml`).
    shown: PathBuf,
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
    /// The reference file's bytes as read (None: there was none).
    reference_read: Option<Vec<u8>>,
    reference_text: String,
    targets: Vec<Target>,
    diagnostics: Vec<Diagnostic>,
}

impl Prepared {
    /// Once the locale files are written and the editions made, a build
    /// needs only the paths, the locales and the skeleton: the texts and
    /// parsed files are let go before rendering, which needs the most
    /// memory.
    fn release_texts(&mut self) {
        self.segmented.blocks = Vec::new();
        self.reference_read = None;
        self.reference_text = String::new();
        for t in &mut self.targets {
            t.read = None;
            t.merged = None;
            t.file = LocaleFile::default();
        }
    }
}

#[derive(Debug)]
struct Target {
    locale: Locale,
    path: PathBuf,
    /// The file's bytes as read (None: there was none), to make sure no
    /// one saved it since, before it is replaced.
    read: Option<Vec<u8>>,
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
    /// Run `diglot check` and fail on its errors, even without
    /// `[check] in_build = true`.
    pub check: bool,
    /// Let Ctrl-C end the translate step early.
    pub stop_on_ctrl_c: bool,
    /// Progress of the translate step, for a terminal.
    pub progress: Option<translate::Progress>,
    /// Replace the output folder even when the build fails (a gate, a
    /// locale file with errors); otherwise the previous output stays.
    pub write_on_failure: bool,
    /// The providers' circuit breakers, shared by every pipeline built.
    pub breakers: diglot_translate::engine::Breakers,
}

impl std::fmt::Debug for BuildOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildOptions")
            .field("min_coverage", &self.min_coverage)
            .field("require_reviewed", &self.require_reviewed)
            .field("check", &self.check)
            .field("stop_on_ctrl_c", &self.stop_on_ctrl_c)
            .field("write_on_failure", &self.write_on_failure)
            .finish_non_exhaustive()
    }
}

/// The editions of a build, before they are rendered.
#[derive(Debug)]
struct Editions {
    /// The source edition first, then one per target locale.
    editions: Vec<Edition>,
    /// Each edition's coverage, in the same order.
    coverages: Vec<Coverage>,
    diagnostics: Vec<Diagnostic>,
}

/// A build up to its editions, before they are rendered.
#[derive(Debug)]
struct BuildParts {
    extract: ExtractOutcome,
    prepared: Prepared,
    editions: Vec<Edition>,
    coverages: Vec<Coverage>,
    diagnostics: Vec<Diagnostic>,
    translation: Option<TranslateOutcome>,
    bilingual: Option<(usize, usize)>,
}

impl BuildParts {
    /// Adds what rendering found to the build's diagnostics, as the
    /// article's: each is about one of its blocks.
    fn add_render_warnings(&mut self, pipeline: &Pipeline, warnings: Vec<diglot_render::Warning>) {
        let file = pipeline.rel(&pipeline.root.join(&pipeline.config.article.source));
        self.diagnostics.extend(
            warnings.into_iter().map(|w| Diagnostic { file: file.clone(), ..w.diagnostic }),
        );
    }
}

/// What `build` did.
#[derive(Debug)]
pub struct BuildOutcome {
    pub extract: ExtractOutcome,
    /// What `report.json` holds. When nothing changed since the last build
    /// (the build cache answered: `output_written` is false and nothing
    /// was rebuilt), the per-segment lists of each locale (`missing`,
    /// `stale`, `unreviewed`) are empty; `report.json` has them, and the
    /// counts in `coverage` are complete either way.
    pub report: BuildReport,
    /// The output folder.
    pub output: PathBuf,
    /// Whether the output folder changed.
    pub output_written: bool,
    /// Whether the output folder was left as it was because the build
    /// failed (and `write_on_failure` was not set).
    pub output_withheld: bool,
    /// Targets below the coverage gate: (locale, percent).
    pub below_coverage: Vec<(String, f64)>,
    /// Targets publishing unreviewed drafts, when they are not allowed:
    /// (locale, how many).
    pub unreviewed: Vec<(String, usize)>,
    /// The translate step, when the pipeline runs it in builds.
    pub translation: Option<TranslateOutcome>,
    /// What `diglot check` found, when the build ran it (allowed findings
    /// left out); its errors fail the build.
    pub check: Option<Vec<Finding>>,
}

impl BuildOutcome {
    /// Whether the build failed: an error in a locale file, `diglot check`
    /// errors, a gate, a translate step that stopped.
    pub fn failed(&self) -> bool {
        self.report.diagnostics.iter().any(|d| d.severity == Severity::Error)
            || self.check.iter().flatten().any(|f| f.severity == Severity::Error)
            || !self.below_coverage.is_empty()
            || !self.unreviewed.is_empty()
            || self.translation.as_ref().is_some_and(translation_failed)
    }
}

/// Front-matter keys diglot sets itself, which a translation must not change.
const DIGLOT_FRONT_MATTER_KEYS: [&str; 7] =
    ["lang", "language", "slug", "translationKey", "date", "authors", "draft"];

/// `[article] front_matter_keys`: plain top-level keys, each once, none that
/// diglot sets itself.
fn check_front_matter_keys(keys: &[String]) -> Result<(), String> {
    for (i, key) in keys.iter().enumerate() {
        let plain = !key.is_empty()
            && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !plain {
            return Err(format!(
                "[article] front_matter_keys names `{key}`, which is not a front-matter key; \
                 use top-level keys of letters, digits, `_`, `-` or `.`"
            ));
        }
        if keys[..i].contains(key) {
            return Err(format!(
                "[article] front_matter_keys names `{key}` twice; name each key once"
            ));
        }
        if DIGLOT_FRONT_MATTER_KEYS.contains(&key.as_str()) {
            return Err(format!(
                "[article] front_matter_keys names `{key}`, which diglot sets for each edition \
                 and does not translate; remove it"
            ));
        }
    }
    Ok(())
}

impl Pipeline {
    fn load(root: &Path, file: &Path) -> Result<Pipeline, Error> {
        let text = fs::read_to_string(file)?;
        // Errors name the file as the project does (`pipelines/x.toml`),
        // wherever diglot runs from.
        let path = file.strip_prefix(root).unwrap_or(file);
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
        let invalid = |message: String| Error::Config { path: path.to_path_buf(), message };
        let setting = |at: Option<config::Position>, message: String| match at {
            Some((line, column)) => {
                Error::Setting { path: path.to_path_buf(), line, column, message }
            }
            None => invalid(message),
        };
        let bad_locale = |at: Option<config::Position>, source| match at {
            Some((line, column)) => {
                Error::LocaleSetting { path: path.to_path_buf(), line, column, source }
            }
            None => Error::Locale { path: path.to_path_buf(), source },
        };
        let spans = &config.spans;
        let known = |tag: &str, at: Option<config::Position>| -> Result<Locale, Error> {
            let locale = parse_locale(tag).map_err(|e| bad_locale(at, e))?;
            if !diglot_fluent::chrome::is_known_language(&locale) {
                return Err(setting(
                    at,
                    format!(
                        "`{tag}`: no language has the code `{}` (CLDR knows none); use an ISO 639 \
                     code, such as `es` or `es-ES`",
                        locale.language
                    ),
                ));
            }
            Ok(locale)
        };
        let mut targets: Vec<Locale> = Vec::new();
        for (i, tag) in config.edition.locales.iter().enumerate() {
            let at = spans.locales.get(i).copied();
            let locale = known(tag, at)?;
            if let Some(first) = targets.iter().find(|l| **l == locale) {
                return Err(setting(
                    at,
                    format!(
                        "[edition] locales lists {first} twice (as `{tag}` too); list each locale once"
                    ),
                ));
            }
            targets.push(locale);
        }
        if let Some(tag) = &config.article.lang {
            let source = known(tag, spans.lang)?;
            if !matches!(source.language.as_str(), "en" | "es") {
                return Err(setting(
                    spans.lang,
                    format!(
                        "[article] lang = \"{tag}\": diglot reads articles in English or Spanish \
                     (its sentence rules); use `en` or `es`, or a locale of them such as `es-MX`"
                    ),
                ));
            }
            if let Some(i) = targets.iter().position(|t| *t == source) {
                return Err(setting(
                    spans.locales.get(i).copied(),
                    format!(
                        "[edition] locales lists {source}, the article's own language ([article] lang); \
                     list only the languages to translate into"
                    ),
                ));
            }
        }
        if let Some(date) = &config.article.published
            && IsoDate::parse(date).is_none()
        {
            return Err(setting(
                spans.published,
                format!(
                    "[article] published = \"{date}\" is not a date: write it as YYYY-MM-DD, \
                     a day that exists"
                ),
            ));
        }
        if let Some(tag) = config.edition.bilingual.as_deref().filter(|t| !t.is_empty()) {
            let locale = parse_locale(tag).map_err(|e| bad_locale(spans.bilingual, e))?;
            if !targets.contains(&locale) {
                return Err(setting(
                    spans.bilingual,
                    format!(
                        "[edition] bilingual = \"{tag}\" is not one of the target locales ({}); \
                     name one of them, or \"\" for no bilingual page",
                        config.edition.locales.join(", ")
                    ),
                ));
            }
        }
        for code in config.check.allow.iter().chain(config.check.allow_messages.values().flatten())
        {
            if !check::CODES.contains(&code.as_str()) {
                return Err(invalid(format!(
                    "[check] allows `{code}`, which is not a check; use one of: {}",
                    check::CODES.join(", ")
                )));
            }
        }
        if let Some(keys) = &config.article.front_matter_keys {
            check_front_matter_keys(keys).map_err(invalid)?;
        }
        let min = config.edition.min_coverage;
        if !(0.0..=100.0).contains(&min) {
            return Err(setting(
                spans.min_coverage,
                format!("[edition] min_coverage = {min} must be a percentage from 0 to 100"),
            ));
        }
        let fuzzy = config.translate.fuzzy_threshold;
        if !(0.0..=100.0).contains(&fuzzy) {
            return Err(setting(
                spans.fuzzy_threshold,
                format!("[translate] fuzzy_threshold = {fuzzy} must be a percentage from 0 to 100"),
            ));
        }
        if let Some(below) = config.edition.draft_below
            && !(0.0..=100.0).contains(&below)
        {
            return Err(setting(
                spans.draft_below,
                format!("[edition] draft_below = {below} must be a percentage from 0 to 100"),
            ));
        }
        if let Some(syntax) = &config.edition.front_matter
            && syntax != "yaml"
            && syntax != "toml"
        {
            return Err(setting(
                spans.front_matter,
                format!(
                    "[edition] front_matter = {syntax:?}: use \"yaml\" (Hugo) or \"toml\" (Zola)"
                ),
            ));
        }
        Ok(Pipeline {
            root: root.to_path_buf(),
            path: file.to_path_buf(),
            shown: path.to_path_buf(),
            config,
            slug,
        })
    }

    /// The article's file, resolved; refused when it is outside the project
    /// and `[article] allow_outside_project` is not set.
    pub fn source_path(&self) -> Result<PathBuf, Error> {
        let source = &self.config.article.source;
        let path = output::resolve(&self.root.join(source)).map_err(fs::io(source))?;
        if !self.config.article.allow_outside_project && !path.starts_with(&self.root) {
            return Err(Error::Config {
                path: self.shown.clone(),
                message: format!(
                    "[article] source = {source:?} is outside the project (it is {}); move \
                     the article into the project, or set `allow_outside_project = true` in \
                     [article] to publish it from there",
                    path.display()
                ),
            });
        }
        Ok(path)
    }

    /// The output folder, resolved, if the pipeline may publish there.
    pub(crate) fn output_dir(&self) -> Result<PathBuf, Error> {
        let resolve = |p: &Path| output::resolve(&self.root.join(p)).ok();
        let mut files: Vec<PathBuf> = self.source_path().ok().into_iter().collect();
        files.extend(resolve(&self.path));
        files.extend(self.config.translate.glossary.as_deref().and_then(resolve));
        files.extend(self.config.translate.tmx.iter().filter_map(|p| resolve(p)));
        let protected = output::Protected {
            root: &self.root,
            files,
            allow_outside: self.config.edition.allow_outside_project,
        };
        output::check_output(&self.shown, &self.config.edition.output, &protected)
            .map_err(|e| self.at_output(e))
    }

    /// An error about `[edition] output`, at the line and column where the
    /// pipeline file sets it.
    fn at_output(&self, e: Error) -> Error {
        match (e, self.config.spans.output) {
            (Error::Output { path, output, problem }, Some((line, column))) => Error::Setting {
                path,
                line,
                column,
                message: format!("[edition] output = {output:?} {problem}"),
            },
            (e, _) => e,
        }
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

    /// The error for an article that cannot be read: a missing one is the
    /// `[article] source` setting's error, with the path in the project.
    fn unreadable_source(&self, path: &Path, e: std::io::Error) -> Error {
        if e.kind() != std::io::ErrorKind::NotFound {
            return fs::io(path)(e);
        }
        let source = &self.config.article.source;
        let message = format!(
            "[article] source = {source:?}: no such file in the project; write the article's path from the project folder"
        );
        match self.config.spans.source {
            Some((line, column)) => {
                Error::Setting { path: self.shown.clone(), line, column, message }
            }
            None => Error::Config { path: self.shown.clone(), message },
        }
    }

    /// Reads and segments the article.
    pub fn segmented(&self) -> Result<Segmented, Error> {
        self.segmented_with_skeleton().map(|(segmented, _, _)| segmented)
    }

    /// Reads and segments the article, keeping the skeleton of a Markdown
    /// source for its Markdown editions, and the warnings about the source
    /// that the skeleton does not carry.
    fn segmented_with_skeleton(
        &self,
    ) -> Result<(Segmented, Option<diglot_core::Skeleton>, Vec<Diagnostic>), Error> {
        let path = self.source_path()?;
        // With its byte-order mark, which the reader notes for the editions
        // made from the source.
        let bytes = std::fs::read(&path).map_err(|e| self.unreadable_source(&path, e))?;
        let text = fs::decode_keeping_bom(&path, bytes)?;
        let format = match &self.config.article.format {
            Some(name) => diglot_ingest::Format::parse(name).ok_or_else(|| Error::Config {
                path: self.shown.clone(),
                message: format!("unknown format `{name}`: use text, markdown or html"),
            })?,
            None => diglot_ingest::Format::from_path(&path).ok_or_else(|| Error::Article {
                path: path.clone(),
                message: "cannot tell the format from the extension; set `format` in [article]"
                    .into(),
            })?,
        };
        let mut options = diglot_ingest::ReadOptions::default();
        if let Some(keys) = &self.config.article.front_matter_keys {
            options.front_matter_keys = keys.clone();
        }
        let (mut doc, skeleton) = diglot_ingest::read_with(&text, format, &options)
            .map_err(|source| Error::Ingest { path: path.clone(), source })?;
        let warnings = diglot_ingest::warnings(&text, format);
        let lang = match &self.config.article.lang {
            Some(tag) => parse_locale(tag)
                .map_err(|source| Error::Locale { path: self.shown.clone(), source })?,
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
        Ok((segmented, skeleton, warnings))
    }

    fn locale_file(&self, locale: &Locale) -> PathBuf {
        self.root.join("locales").join(locale.to_string()).join(format!("{}.ftl", self.slug))
    }

    fn prepare(&self) -> Result<Prepared, Error> {
        self.prepare_with(&BTreeMap::new(), &BTreeMap::new())
    }

    /// Like `prepare`, with drafts (by target locale) merged into the
    /// target files, and suggestions for stale translations written above
    /// them.
    fn prepare_with(
        &self,
        drafts: &BTreeMap<Locale, Translations>,
        suggestions: &BTreeMap<Locale, Translations>,
    ) -> Result<Prepared, Error> {
        let (segmented, skeleton, source_warnings) = self.segmented_with_skeleton()?;
        let source_locale = segmented.lang.clone();
        let source_rel = self.rel(&self.root.join(&self.config.article.source));
        let article = Article { slug: &self.slug, source_path: &source_rel, segmented: &segmented };
        let mut diagnostics = Vec::new();
        let skeleton_warnings = skeleton.iter().flat_map(|s| s.warnings.iter().cloned());
        diagnostics.extend(
            skeleton_warnings
                .chain(source_warnings)
                .map(|w| Diagnostic { file: source_rel.clone(), ..w }),
        );
        if self.config.edition.locales.is_empty() {
            let (line, col) = self.config.spans.locales_list.unwrap_or((1, 1));
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                file: self.shown.display().to_string(),
                line,
                col,
                message_id: None,
                message: "[edition] locales lists no locale: only the source edition is built"
                    .into(),
                help: Some(
                    "list the locales to translate into, such as `locales = [\"es-ES\"]`".into(),
                ),
                source_line: None,
            });
        }

        let reference_path = self.locale_file(&source_locale);
        let reference_read = fs::read_bytes_optional(&reference_path)?;
        let previous_reference = match &reference_read {
            Some(bytes) => Some(fs::decode_keeping_bom(&reference_path, bytes.clone())?),
            None => None,
        };
        let previous_reference = previous_reference.map(|text| {
            let (file, diags) =
                diglot_fluent::parse_file(&self.rel(&reference_path), &text, &source_locale);
            diagnostics.extend(diags);
            file
        });
        let targets_in_config = self.targets();
        if targets_in_config.contains(&source_locale) {
            return Err(Error::Config {
                path: self.shown.clone(),
                message: format!(
                    "[edition] locales lists {source_locale}, the article's own language; \
                     list only the languages to translate into"
                ),
            });
        }
        // Each target file is merged on its own (against the reference
        // file as it was), while the new reference file is written.
        // Each returns the file's diagnostics, then the glossary's (the same for
        // every target: reported once).
        type Merged = (Target, Vec<Diagnostic>, Vec<Diagnostic>);
        let merge = |locale: &Locale| -> Result<Merged, Error> {
            let path = self.locale_file(locale);
            let read = fs::read_bytes_optional(&path)?;
            let current = match &read {
                Some(bytes) => fs::decode_keeping_bom(&path, bytes.clone())?,
                None => String::new(),
            };
            let (file, diags) =
                diglot_fluent::parse_file(&self.rel(&path), &current, &source_locale);
            let locale = locale.clone();
            if file.has_errors {
                let report = MergeReport::default();
                return Ok((
                    Target { locale, path, read, merged: None, report, file },
                    diags,
                    Vec::new(),
                ));
            }
            let (glossary, glossary_diagnostics) = self.glossary_terms(&locale, &segmented)?;
            let annotations = diglot_fluent::Annotations {
                suggestions: suggestions.get(&locale).cloned().unwrap_or_default(),
                glossary,
            };
            let merged = diglot_fluent::merge_target_with(
                &article,
                &locale,
                &file,
                previous_reference.as_ref(),
                drafts.get(&locale).unwrap_or(&Translations::default()),
                &annotations,
            );
            let (file, _) =
                diglot_fluent::parse_file(&self.rel(&path), &merged.text, &source_locale);
            let target = Target {
                locale,
                path,
                read,
                merged: Some(merged.text),
                report: merged.report,
                file,
            };
            Ok((target, diags, glossary_diagnostics))
        };
        let (reference_text, merged) = parallel::join(
            || diglot_fluent::write_reference(&article, previous_reference.as_ref()),
            || parallel::map(&targets_in_config, merge),
        );
        let mut targets = Vec::new();
        for result in merged {
            let (target, diags, glossary_diags) = result?;
            diagnostics.extend(diags);
            // Every target reports the glossary's problems; once is enough.
            for d in glossary_diags {
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            }
            targets.push(target);
        }
        Ok(Prepared {
            segmented,
            skeleton,
            source_locale,
            reference_path,
            reference_read,
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
        // The targets first: they were merged against the reference file as
        // it was, which must stay so until they are written, so that a run
        // stopped between the two (a file saved meanwhile) merges the same
        // way next time.
        let mut writes: Vec<(&Path, Option<&[u8]>, &str)> = Vec::new();
        for t in &prepared.targets {
            if let Some(text) = &t.merged {
                writes.push((&t.path, t.read.as_deref(), text));
            }
        }
        writes.push((
            &prepared.reference_path,
            prepared.reference_read.as_deref(),
            &prepared.reference_text,
        ));
        for (path, read, text) in writes {
            let path = path.to_path_buf();
            let changed = if write {
                fs::replace_file(&path, read, text.as_bytes())?
            } else {
                // Byte for byte, as `replace_file` compares: a byte-order
                // mark the file was saved with is part of the merged text.
                fs::read_bytes_optional(&path)?.as_deref() != Some(text.as_bytes())
            };
            if changed {
                outcome.written.push(path);
            } else {
                outcome.unchanged.push(path);
            }
        }
        // Listed reference first, as the files are read.
        outcome.written.sort_by_key(|p| *p != prepared.reference_path);
        outcome.unchanged.sort_by_key(|p| *p != prepared.reference_path);
        Ok(outcome)
    }

    /// Every edition, source first, with its coverage (the same order).
    fn editions(&self, prepared: &Prepared) -> Result<Editions, Error> {
        let mut diagnostics = Vec::new();
        // The source edition, then one per target.
        let sources: Vec<Option<&Target>> =
            std::iter::once(None).chain(prepared.targets.iter().map(Some)).collect();
        let mut editions = parallel::map(&sources, |target| match target {
            None => diglot_translate::localize(
                &self.slug,
                &prepared.segmented,
                &prepared.source_locale,
                &Default::default(),
            ),
            Some(t) => diglot_translate::localize(
                &self.slug,
                &prepared.segmented,
                &t.locale,
                &t.file.translations(),
            ),
        });
        if self.config.edition.stale == config::StaleShown::Previous {
            for (edition, t) in editions.iter_mut().skip(1).zip(&prepared.targets) {
                let translations = t.file.translations();
                for segment in edition.blocks.iter_mut().flat_map(|b| b.segments.iter_mut()) {
                    if segment.status == SegmentStatus::Stale
                        && let Some(t) = translations.get(&segment.id)
                    {
                        segment.text = t.text.clone();
                        segment.status = SegmentStatus::Outdated;
                    }
                }
            }
        }
        // Each source sentence's words are counted once for all editions;
        // the published words give the reading time.
        let (coverages, published): (Vec<Coverage>, Vec<usize>) = {
            let mut words: std::collections::HashMap<&str, usize> = Default::default();
            fn count<'a>(
                words: &mut std::collections::HashMap<&'a str, usize>,
                text: &'a str,
            ) -> usize {
                *words.entry(text).or_insert_with(|| diglot_core::inline::words_of_markdown(text))
            }
            editions
                .iter()
                .map(|e| {
                    let coverage = e.coverage_with(|text| count(&mut words, text));
                    let published: usize = e
                        .segments()
                        .map(|s| {
                            if s.text == s.source {
                                count(&mut words, &s.source)
                            } else {
                                diglot_core::inline::words_of_markdown(&s.text)
                            }
                        })
                        .sum();
                    (coverage, published)
                })
                .unzip()
        };
        let draft_below =
            self.config.edition.draft_below.unwrap_or(self.config.edition.min_coverage);
        for ((edition, c), words) in editions.iter_mut().zip(&coverages).zip(published) {
            let (strings, diags) =
                self.edition_strings(edition, c, words, &prepared.source_locale)?;
            let reviewed =
                if c.total == 0 { 100.0 } else { 100.0 * c.translated as f64 / c.total as f64 };
            edition.draft = !edition.is_source() && reviewed + 1e-9 < draft_below;
            if self.config.edition.front_matter.as_deref() == Some("toml") {
                edition.front_matter = FrontMatterSyntax::Toml;
            }
            // An invalid date is reported with the strings and left out.
            edition.published = self.config.article.published.as_deref().and_then(IsoDate::parse);
            edition.author = self.config.article.author.clone();
            edition.strings = strings;
            diagnostics.extend(diags);
        }
        Ok(Editions { editions, coverages, diagnostics })
    }

    /// Formats the edition's own strings: each message from the project's
    /// `locales/<locale>/edition.ftl` when it has it, else diglot's own
    /// strings for the locale's language (see `diglot_fluent::chrome`).
    fn edition_strings(
        &self,
        edition: &Edition,
        c: &Coverage,
        words: usize,
        source_locale: &Locale,
    ) -> Result<(BTreeMap<String, String>, Vec<Diagnostic>), Error> {
        let path = self.root.join("locales").join(edition.locale.to_string()).join("edition.ftl");
        let text = fs::read_optional(&path)?;
        let file = self.rel(&path);
        let project =
            diglot_fluent::chrome::ProjectStrings { file: &file, source: text.as_deref() };
        // en-US beside en-GB: each names its variety in the language menu.
        let same_language = std::iter::once(source_locale.clone())
            .chain(self.targets())
            .filter(|l| l.language == edition.locale.language && *l != edition.locale)
            .count();
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
            region_in_language_name: same_language > 0,
        };
        Ok(diglot_fluent::chrome::edition_strings(&edition.locale, project, &args))
    }

    /// Coverage of every locale, as `build` would publish it, without writing.
    pub fn status(&self) -> Result<BuildReport, Error> {
        let prepared = self.prepare()?;
        let Editions { editions, coverages, diagnostics: diags } = self.editions(&prepared)?;
        let mut diagnostics = prepared.diagnostics.clone();
        diagnostics.extend(diags);
        let editions = report::Covered { editions: &editions, coverages: &coverages };
        Ok(report::build_report(self, &prepared, editions, diagnostics, Vec::new()))
    }

    /// Runs every stage: extract, translate, render; replaces the output
    /// folder when the result differs from what is there.
    pub fn build(&self, options: &BuildOptions) -> Result<BuildOutcome, Error> {
        let output = self.output_dir()?;
        // A folder holding exactly what the recorded build wrote needs no
        // other check: nothing is written.
        let cache = cache::Cache::new(self, options);
        if let Some(outcome) = cache.as_ref().and_then(|c| c.lookup(self, &output)) {
            return Ok(outcome);
        }
        // Checked before anything is written, and again right before the
        // output is replaced.
        output::check_existing(&self.shown, &self.config.edition.output, &output)
            .map_err(|e| self.at_output(e))?;
        let mut parts = self.build_parts(options)?;
        let rendered = diglot_render::render_site_with(
            &parts.editions,
            parts.bilingual,
            parts.prepared.skeleton.as_ref(),
        )
        .map_err(|source| Error::Render { source })?;
        parts.add_render_warnings(self, rendered.warnings);
        let (mut outcome, files) = self.finish_build(options, parts, rendered.files)?;
        let mut tree: BTreeMap<String, Vec<u8>> =
            files.into_iter().map(|f| (f.path, f.contents.into_bytes())).collect();
        tree.insert("report.json".into(), outcome.report.to_json().into_bytes());
        tree.insert(output::MARKER.into(), output::MARKER_TEXT.as_bytes().to_vec());
        let failed = outcome.failed();
        outcome.output_withheld = failed && !options.write_on_failure;
        outcome.output_written = if outcome.output_withheld {
            false
        } else {
            output::check_existing(&self.shown, &self.config.edition.output, &output)
                .map_err(|e| self.at_output(e))?;
            fs::replace_dir(&output, &tree)?
        };
        outcome.output = output;
        if let Some(cache) = cache {
            cache.store(self, &outcome, &tree);
        }
        Ok(outcome)
    }

    /// Everything a build does before rendering: the translate step when
    /// the pipeline asks for it, extract, the editions.
    fn build_parts(&self, options: &BuildOptions) -> Result<BuildParts, Error> {
        let translation = if self.config.translate.in_build {
            let opts = TranslateOptions {
                stop_on_ctrl_c: options.stop_on_ctrl_c,
                breakers: options.breakers.clone(),
                ..Default::default()
            };
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
        let Editions { editions, coverages, diagnostics: diags } = self.editions(&prepared)?;
        let mut prepared = prepared;
        prepared.release_texts();
        let mut diagnostics = std::mem::take(&mut prepared.diagnostics);
        diagnostics.extend(diags);
        let bilingual = self.bilingual_pair(&editions);
        Ok(BuildParts {
            extract,
            prepared,
            editions,
            coverages,
            diagnostics,
            translation,
            bilingual,
        })
    }

    /// The report and the gates of a build whose editions rendered as
    /// `files` (paths relative to the output folder). The output fields of
    /// the outcome are left for the caller.
    fn finish_build(
        &self,
        options: &BuildOptions,
        parts: BuildParts,
        files: Vec<diglot_render::OutputFile>,
    ) -> Result<(BuildOutcome, Vec<diglot_render::OutputFile>), Error> {
        let BuildParts { extract, prepared, editions, coverages, diagnostics, translation, .. } =
            parts;
        let outputs: Vec<String> =
            files.iter().map(|f| f.path.clone()).chain(["report.json".to_string()]).collect();
        let covered = report::Covered { editions: &editions, coverages: &coverages };
        let mut report = report::build_report(self, &prepared, covered, diagnostics, outputs);
        if let Some(t) = &translation {
            report.translation = t.locales.clone();
        }
        let min = options.min_coverage.unwrap_or(self.config.edition.min_coverage);
        let below_coverage: Vec<(String, f64)> = report
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
        // On the locale files as this build left them.
        let check = if options.check || self.config.check.in_build {
            Some(self.check(None)?)
        } else {
            None
        };
        let outcome = BuildOutcome {
            extract,
            report,
            output: PathBuf::new(),
            output_written: false,
            output_withheld: false,
            below_coverage,
            unreviewed,
            translation,
            check,
        };
        Ok((outcome, files))
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

/// Whether the translate step of a build failed: interrupted, or a
/// provider stopped and left segments unfilled.
/// Each sentence's glossary terms, by message ID.
type TermsById = BTreeMap<String, Vec<(String, Option<String>)>>;

impl Pipeline {
    /// The glossary terms of each sentence in `locale`, by message ID, for
    /// the comment above its message; and the glossary's warnings.
    fn glossary_terms(
        &self,
        locale: &Locale,
        segmented: &Segmented,
    ) -> Result<(TermsById, Vec<Diagnostic>), Error> {
        let pair = diglot_translate::Pair::new(segmented.lang.clone(), locale.clone());
        let (glossary, diagnostics) = self.glossary(&pair)?;
        let mut out = BTreeMap::new();
        for segment in segmented.segments().filter(|_| glossary.is_some()) {
            let terms = glossary.as_ref().map(|g| g.terms_in(&segment.text)).unwrap_or_default();
            if !terms.is_empty() {
                let terms = terms.into_iter().map(|t| (t.source, (!t.dnt).then_some(t.target)));
                out.insert(segment.id.to_string(), terms.collect());
            }
        }
        Ok((out, diagnostics))
    }
}

fn translation_failed(t: &TranslateOutcome) -> bool {
    t.interrupted
        || t.locales.iter().filter_map(|l| l.fill.as_ref()).any(|f| {
            !f.unfilled.is_empty()
                && f.providers.iter().any(|p| matches!(p.breaker, Breaker::Open { .. }))
        })
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

/// The language of an article given as text in `format` (`text`,
/// `markdown`, `html`), as a build would take it: the one the article
/// states, or the detected one (`en-US`, `es-ES`); `None` when neither. For
/// checking a request before running it: `Err` says why the article cannot
/// be read (an unknown format, an HTML page with no article text).
pub fn article_language(text: &str, format: &str) -> Result<Option<Locale>, String> {
    let format = diglot_ingest::Format::parse(format)
        .ok_or_else(|| format!("unknown format `{format}`: use text, markdown or html"))?;
    let doc = diglot_ingest::read(text, format).map_err(|e| e.to_string())?;
    Ok(doc
        .lang
        .clone()
        .or_else(|| diglot_ingest::detect_language(&doc.plain_text()))
        .map(with_default_region))
}

/// The language `diglot segment --lang TAG` segments in: English or
/// Spanish (any locale of them), the languages diglot has sentence rules
/// for. Any other language is refused, not segmented with another's rules.
pub fn segmentation_language(tag: &str) -> Result<Locale, Error> {
    let locale = parse_locale(tag).map_err(|source| Error::LocaleOption {
        path: None,
        option: "--lang",
        source,
    })?;
    let refuse = |why: String| Error::Usage {
        message: format!(
            "--lang {tag}: {why}; diglot segments English and Spanish: use `en` or `es` (or a locale of them, such as `es-MX`)"
        ),
    };
    if !diglot_fluent::chrome::is_known_language(&locale) {
        return Err(refuse(format!(
            "no language has the code `{}` (CLDR knows none)",
            locale.language
        )));
    }
    match locale.language.as_str() {
        "en" | "es" => Ok(locale),
        other => Err(refuse(format!("no sentence rules for `{other}`"))),
    }
}

/// Segments text for `diglot segment`, in `lang` or the detected language:
/// split into blocks as a build splits a plain-text article (blank-line
/// separated paragraphs, wrapped lines joined, short lines kept as lines,
/// lines without a letter or digit dropped; without blank lines, one block a
/// line), and every block, the one a build takes as the title or a heading
/// too, into sentences.
pub fn segment_text(
    text: &str,
    lang: Option<&str>,
) -> Result<Segmented, diglot_core::InvalidLocale> {
    let lang = match lang {
        Some(tag) => parse_locale(tag)?,
        None => {
            diglot_ingest::detect_language(text).unwrap_or_else(|| "en".parse().expect("valid tag"))
        }
    };
    // Text without a letter or digit has no sentences, and no blocks.
    let blocks = diglot_ingest::read(text, diglot_ingest::Format::Text)
        .map(|doc| doc.blocks)
        .unwrap_or_default()
        .into_iter()
        .map(|b| diglot_core::Block { kind: diglot_core::BlockKind::Paragraph, ..b })
        .collect();
    let doc = diglot_core::Document { lang: Some(lang.clone()), blocks };
    let rules = diglot_segment::Rules::for_language(lang.language.as_str());
    let mut segmented = diglot_segment::segment(&doc, &rules);
    segmented.lang = lang;
    Ok(segmented)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A project in `root` with `articles/a.txt` and its pipeline (to
    /// es-ES), `extra` appended to the pipeline file.
    fn article_a(root: &Path, article: &str, extra: &str) -> Pipeline {
        std::fs::create_dir_all(root.join("pipelines")).unwrap();
        std::fs::create_dir_all(root.join("articles")).unwrap();
        std::fs::write(root.join("articles/a.txt"), article).unwrap();
        std::fs::write(
            root.join("pipelines/a.toml"),
            format!(
                "[article]\nsource = \"articles/a.txt\"\nlang = \"en-US\"\n\n[edition]\n\
                 locales = [\"es-ES\"]\n{extra}"
            ),
        )
        .unwrap();
        Project::new(root).pipeline("a").unwrap()
    }

    /// A `--locale` that names no locale keeps the locale error as its
    /// source, and says which option and pipeline it was for.
    #[test]
    fn a_locale_option_keeps_its_typed_cause() {
        let dir = tempfile::tempdir().unwrap();
        let pipeline = article_a(dir.path(), "Title\nOne sentence here.\n", "");
        let errors = [
            pipeline.check(Some("../x")).unwrap_err(),
            pipeline.eval("../x", None).unwrap_err(),
            pipeline.export_tmx("../x").unwrap_err(),
        ];
        for error in &errors {
            let Error::LocaleOption { path: Some(path), option: "--locale", source } = error else {
                panic!("{error:?}")
            };
            assert_eq!(path, Path::new("pipelines/a.toml"));
            assert!(matches!(source, diglot_core::InvalidLocale::Syntax { .. }), "{source:?}");
            let cause = std::error::Error::source(error).expect("a source");
            assert!(cause.downcast_ref::<diglot_core::InvalidLocale>().is_some(), "{error:?}");
            assert_eq!(error.to_string(), "pipelines/a.toml: --locale");
        }
        let error = Project::new(dir.path()).search_memory("x", Some("../x"), 0.5, 1).unwrap_err();
        assert!(matches!(error, Error::LocaleOption { path: None, .. }), "{error:?}");
        assert_eq!(error.to_string(), "--locale");
    }

    /// A locale a pipeline file names that is none keeps the locale error
    /// as its source, after where it is written.
    #[test]
    fn a_locale_setting_keeps_its_typed_cause_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        article_a(root, "Title\nOne sentence here.\n", "");
        let head = "[article]\nsource = \"articles/a.txt\"\n";
        for (toml, line) in [
            (format!("{head}lang = \"en-US\"\n\n[edition]\nlocales = [\"../x\"]\n"), 6),
            (format!("{head}lang = \"../x\"\n\n[edition]\nlocales = [\"es-ES\"]\n"), 3),
            (format!("{head}\n[edition]\nlocales = [\"es-ES\"]\nbilingual = \"../x\"\n"), 6),
        ] {
            std::fs::write(root.join("pipelines/a.toml"), &toml).unwrap();
            let error = Project::new(root).pipeline("a").unwrap_err();
            let cause = std::error::Error::source(&error).expect("a source");
            let locale = cause.downcast_ref::<diglot_core::InvalidLocale>().expect(&toml);
            assert_eq!(*locale, parse_locale("../x").unwrap_err(), "{toml}");
            // As printed, with its cause: where it is first.
            let printed = format!("{error}: {cause}");
            let at = format!("pipelines/a.toml:{line}:");
            assert!(printed.starts_with(&at), "{printed}");
            assert!(printed.ends_with(&format!(": {locale}")), "{printed}");
            assert!(!error.to_string().contains(&locale.to_string()), "said once: {error}");
        }
    }

    /// A provider that cannot be made keeps its typed cause, with the
    /// message it always had.
    #[test]
    fn a_provider_without_its_key_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let pipeline = article_a(
            dir.path(),
            "Title\nOne sentence here.\n",
            "\n[[translate.providers]]\nkind = \"deepl\"\nauth_key_env = \"DIGLOT_TEST_KEY_NEVER_SET\"\n",
        );
        let err = pipeline.translate(&TranslateOptions::default()).unwrap_err();
        assert!(
            matches!(&err, Error::ProviderSetup(diglot_translate::ProviderError::NotConfigured(_))),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "not configured: deepl: set DIGLOT_TEST_KEY_NEVER_SET to your DeepL authentication key"
        );
    }

    /// A translator saves a locale file while `extract` works: the save is
    /// kept and the command stops, naming the file.
    #[test]
    fn a_save_during_a_run_is_not_reverted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let pipeline = article_a(root, "Title\nOne sentence here. Another one.\n", "");
        pipeline.extract().unwrap();
        let es = root.join("locales/es-ES/a.ftl");
        // Every sentence translated, then one changed in the article: the
        // merge marks its translation stale, which rewrites the file.
        let reference = std::fs::read_to_string(root.join("locales/en-US/a.ftl")).unwrap();
        let translated: String = reference
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .map(|l| format!("{l} (es)\n"))
            .collect();
        std::fs::write(&es, translated).unwrap();
        std::fs::write(root.join("articles/a.txt"), "Title\nOne sentence here. Another two.\n")
            .unwrap();

        let prepared = pipeline.prepare().unwrap();
        let saved = format!("{}\n# a translator's note\n", std::fs::read_to_string(&es).unwrap());
        std::fs::write(&es, &saved).unwrap();
        let err = pipeline.write_locales(&prepared).unwrap_err();
        assert!(matches!(&err, Error::Changed { path } if *path == es), "{err}");
        assert_eq!(std::fs::read_to_string(&es).unwrap(), saved);
        // Nothing after it was written either: the reference file is as it
        // was, so the next run merges against it.
        assert!(
            !std::fs::read_to_string(root.join("locales/en-US/a.ftl")).unwrap().contains("two")
        );
        // Run again, and the save is merged.
        pipeline.extract().unwrap();
        assert!(std::fs::read_to_string(&es).unwrap().contains("# a translator's note"));
    }
}
