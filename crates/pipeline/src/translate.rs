//! The translate step: fill missing and stale segments with drafts from the
//! translation memory and machine-translation providers; and `eval`, which
//! scores providers against reviewed translations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use diglot_core::{
    BlockKind, Diagnostic, Locale, SegmentStatus, Translation, TranslationState, Translations,
    inline,
};
use diglot_translate::engine::{Breakers, Engine, Fill, Plan, Request, Settings};
use diglot_translate::glossary::Glossary;
use diglot_translate::memory::Memory;
use diglot_translate::providers::{ProviderConfig, apertium};
use diglot_translate::{Pair, TextKind, Translator};
use serde::Serialize;

use crate::{Error, ExtractOutcome, Pipeline, Prepared, fs};

/// Called with a provider's name, segments done and segments asked.
pub type Progress = Arc<diglot_translate::engine::ProgressFn<'static>>;

/// Options of [`Pipeline::translate`].
#[derive(Clone, Default)]
pub struct TranslateOptions {
    /// Target locales to fill; all of the pipeline's when empty.
    pub locales: Vec<String>,
    /// List what would be sent, send nothing, write nothing.
    pub dry_run: bool,
    /// Let drafts replace stale translations (each kept in a `# previous
    /// translation:` note); by default a stale translation stays and the
    /// draft is written above it as a suggestion.
    pub replace_stale: bool,
    /// Let Ctrl-C end the run early, keeping the drafts made so far.
    pub stop_on_ctrl_c: bool,
    /// Set from another thread to end the run early, as Ctrl-C does: no
    /// further batch is sent, and the drafts made so far are written.
    pub stop: Option<Arc<AtomicBool>>,
    /// Progress of machine translation, for a terminal.
    pub progress: Option<Progress>,
    /// The providers' circuit breakers: one set for the whole command, so
    /// a provider switched off for one locale or pipeline stays off.
    pub breakers: Breakers,
}

impl std::fmt::Debug for TranslateOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TranslateOptions")
            .field("locales", &self.locales)
            .field("dry_run", &self.dry_run)
            .field("replace_stale", &self.replace_stale)
            .field("stop_on_ctrl_c", &self.stop_on_ctrl_c)
            .finish_non_exhaustive()
    }
}

/// What the translate step did for one locale.
#[derive(Debug, Clone, Serialize)]
pub struct LocaleTranslation {
    pub locale: String,
    /// Segments that were missing or stale.
    pub needed: usize,
    /// With `--dry-run`: what would be sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fill: Option<Fill>,
}

/// What [`Pipeline::translate`] did.
#[derive(Debug)]
pub struct TranslateOutcome {
    pub locales: Vec<LocaleTranslation>,
    /// The locale files written (empty for a dry run).
    pub extract: ExtractOutcome,
    pub diagnostics: Vec<Diagnostic>,
    pub interrupted: bool,
}

/// One provider's scores on one locale.
#[derive(Debug, Clone, Serialize)]
pub struct EvalResult {
    pub provider: String,
    /// Segments scored (those the provider translated).
    pub segments: usize,
    /// Segments the provider could not translate.
    pub failed: usize,
    pub bleu: f64,
    pub chrf: f64,
}

/// What [`Pipeline::eval`] measured.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub locale: String,
    /// Reviewed translations used as references.
    pub references: usize,
    pub results: Vec<EvalResult>,
}

/// How a command uses the project's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Reads and adds to `.diglot/memory.sqlite`, creating it if need be.
    Write,
    /// Works on an in-memory copy: the project's files stay as they are
    /// (`--dry-run`, `eval`, `memory export`).
    Read,
}

/// The project's translation memory and MT cache, `.diglot/memory.sqlite`,
/// created on first use when `access` allows writing.
fn open_store(root: &Path, access: Access) -> Result<(Memory, PathBuf), Error> {
    let dir = root.join(".diglot");
    let path = dir.join("memory.sqlite");
    let memory = match access {
        Access::Read => Memory::snapshot(&path),
        Access::Write => {
            std::fs::create_dir_all(&dir)
                .map_err(|source| Error::Io { path: dir.clone(), source })?;
            Memory::open(&path)
        }
    };
    Ok((memory.map_err(|e| memory_error(&path, e))?, path))
}

/// A translation in a locale file of the project.
#[derive(Debug, Clone)]
struct FileTranslation {
    pair: Pair,
    source: String,
    target: String,
    /// `<pipeline slug>/<message ID>`.
    origin: String,
    state: TranslationState,
}

/// The translations of one pipeline's target files: its sentences' texts
/// by ID, or the source a message records when its sentence is gone.
fn file_translations(
    slug: &str,
    segmented: &diglot_core::Segmented,
    files: &[(&Locale, &diglot_fluent::LocaleFile)],
) -> Vec<FileTranslation> {
    let sources: BTreeMap<&str, &str> =
        segmented.segments().map(|s| (s.id.as_str(), s.text.as_str())).collect();
    let mut out = Vec::new();
    for (locale, file) in files {
        let pair = Pair::new(segmented.lang.clone(), (*locale).clone());
        for msg in &file.messages {
            let Some(text) = &msg.text else { continue };
            let source =
                sources.get(msg.id.as_str()).map(|s| s.to_string()).or_else(|| msg.source.clone());
            if let Some(source) = source {
                out.push(FileTranslation {
                    pair: pair.clone(),
                    source,
                    target: text.clone(),
                    origin: format!("{slug}/{}", msg.id),
                    state: msg.state.clone(),
                });
            }
        }
    }
    out
}

/// The translations in the target files of every pipeline of the project
/// but `except` (a slug), as the files are on disk. A pipeline whose file,
/// article or locale files cannot be read is left out: its own commands
/// say why.
fn project_translations(root: &Path, except: Option<&str>) -> Vec<FileTranslation> {
    let project = crate::Project::new(root.to_path_buf());
    let mut out = Vec::new();
    for path in project.pipeline_files().unwrap_or_default() {
        let Ok(pipeline) = Pipeline::load(root, &path) else { continue };
        if except == Some(pipeline.slug()) {
            continue;
        }
        let Ok(segmented) = pipeline.segmented() else { continue };
        let mut files = Vec::new();
        for locale in pipeline.targets() {
            let path = pipeline.locale_file(&locale);
            let Ok(Some(text)) = fs::read_optional(&path) else { continue };
            let (file, _) = diglot_fluent::parse_file(&pipeline.rel(&path), &text, &segmented.lang);
            files.push((locale, file));
        }
        let files: Vec<_> = files.iter().map(|(l, f)| (l, f)).collect();
        out.extend(file_translations(pipeline.slug(), &segmented, &files));
    }
    out
}

/// Adds the reviewed translations among `translations` to `memory`.
fn remember(
    memory: &mut Memory,
    path: &Path,
    translations: &[FileTranslation],
) -> Result<(), Error> {
    // (source, target, origin) by pair.
    type Entries = Vec<(String, String, String)>;
    let mut by_pair: BTreeMap<String, (Pair, Entries)> = BTreeMap::new();
    for t in translations.iter().filter(|t| t.state == TranslationState::Reviewed) {
        let entry = by_pair.entry(t.pair.key()).or_insert_with(|| (t.pair.clone(), Vec::new()));
        entry.1.push((t.source.clone(), t.target.clone(), t.origin.clone()));
    }
    for (pair, entries) in by_pair.values() {
        memory.add_with_origins(pair, entries).map_err(|e| memory_error(path, e))?;
    }
    Ok(())
}

impl Pipeline {
    /// Opens the project's memory and loads into it every reviewed pair of
    /// the project's locale files (this pipeline's as merged, the other
    /// pipelines' as on disk, so a sentence translated in one article is
    /// offered in the next) and the configured TMX files.
    fn open_memory(&self, prepared: &Prepared, access: Access) -> Result<Memory, Error> {
        let (mut memory, path) = open_store(&self.root, access)?;
        let files: Vec<_> = prepared.targets.iter().map(|t| (&t.locale, &t.file)).collect();
        let mut translations = project_translations(&self.root, Some(&self.slug));
        translations.extend(file_translations(&self.slug, &prepared.segmented, &files));
        remember(&mut memory, &path, &translations)?;
        for tmx in &self.config.translate.tmx {
            let file = self.root.join(tmx);
            let text = fs::read_to_string(&file)?;
            memory.import_tmx(&text, &self.rel(&file)).map_err(|e| memory_error(&file, e))?;
        }
        Ok(memory)
    }

    pub(crate) fn glossary(
        &self,
        pair: &Pair,
    ) -> Result<(Option<Glossary>, Vec<Diagnostic>), Error> {
        let path = match &self.config.translate.glossary {
            Some(p) => self.root.join(p),
            None => self
                .root
                .join("locales/glossary")
                .join(format!("{}.{}.tsv", pair.source, pair.target)),
        };
        let Some(text) = fs::read_optional(&path)? else {
            if self.config.translate.glossary.is_some() {
                return Err(Error::Config {
                    path: self.shown.clone(),
                    message: format!("glossary {} does not exist", self.rel(&path)),
                });
            }
            return Ok((None, Vec::new()));
        };
        let (glossary, diagnostics) = Glossary::parse(&self.rel(&path), &text);
        let errors: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == diglot_core::Severity::Error)
            .map(|d| match &d.help {
                Some(help) => format!("{}:{}:{}: {}; {help}", d.file, d.line, d.col, d.message),
                None => format!("{}:{}:{}: {}", d.file, d.line, d.col, d.message),
            })
            .collect();
        if !errors.is_empty() {
            return Err(Error::Glossary { errors });
        }
        Ok((Some(glossary), diagnostics))
    }

    fn providers(&self) -> Result<Vec<Arc<dyn Translator>>, Error> {
        let env = |name: &str| std::env::var(name).ok();
        self.config
            .translate
            .providers
            .iter()
            .map(|p| p.build(&env))
            .collect::<Result<_, _>>()
            .map_err(Error::ProviderSetup)
    }

    /// Why none of the configured providers can translate `pair`, when
    /// diglot knows that without asking them (Apertium's pairs); `None`
    /// when one may.
    fn no_provider_for(&self, pair: &Pair) -> Option<String> {
        let mut reasons = Vec::new();
        for config in &self.config.translate.providers {
            match config {
                ProviderConfig::Apertium(_) => match apertium::apertium_mode(pair) {
                    Ok(_) => return None,
                    Err(e) => reasons.push(e.to_string()),
                },
                _ => return None,
            }
        }
        Some(if reasons.is_empty() { "none is configured".into() } else { reasons.join("; ") })
    }

    fn engine_settings(&self) -> Settings {
        let t = &self.config.translate;
        Settings {
            fuzzy_threshold: t.fuzzy_threshold / 100.0,
            max_retries: t.max_retries,
            backoff_base: std::time::Duration::from_millis(t.backoff_ms),
            ..Settings::default()
        }
    }

    /// Fills every missing or stale segment of the target locales with
    /// drafts and writes them, marked unreviewed, into the locale files.
    pub fn translate(&self, options: &TranslateOptions) -> Result<TranslateOutcome, Error> {
        let prepared = self.prepare()?;
        let mut diagnostics = prepared.diagnostics.clone();
        if diagnostics.iter().any(|d| d.severity == diglot_core::Severity::Error) {
            return Ok(TranslateOutcome {
                locales: Vec::new(),
                extract: ExtractOutcome { diagnostics: diagnostics.clone(), ..Default::default() },
                diagnostics,
                interrupted: false,
            });
        }
        let providers = self.providers()?;
        let access = if options.dry_run { Access::Read } else { Access::Write };
        let memory = self.open_memory(&prepared, access)?;
        let wanted: Vec<Locale> = options.locales.iter().filter_map(|l| l.parse().ok()).collect();
        let mut locales = Vec::new();
        let mut drafts: BTreeMap<Locale, Translations> = BTreeMap::new();
        let mut suggestions: BTreeMap<Locale, Translations> = BTreeMap::new();
        let mut interrupted = false;
        for target in &prepared.targets {
            if !wanted.is_empty() && !wanted.contains(&target.locale) {
                continue;
            }
            let pair = Pair::new(prepared.source_locale.clone(), target.locale.clone());
            let current = target.file.translations();
            let requests = needed(&prepared, &current, &self.slug, &target.locale);
            // Its warnings are among the prepared diagnostics.
            let (glossary, _) = self.glossary(&pair)?;
            let engine = Engine {
                memory: Some(&memory),
                glossary: glossary.as_ref(),
                providers: providers.clone(),
                settings: Settings { stop: options.stop.clone(), ..self.engine_settings() },
                progress: options.progress.as_deref(),
                breakers: options.breakers.clone(),
            };
            let mut entry = LocaleTranslation {
                locale: target.locale.to_string(),
                needed: requests.len(),
                plan: None,
                fill: None,
            };
            if options.dry_run {
                let plan = engine.plan(&pair, &requests);
                if !plan.to_send.is_empty()
                    && let Some(why) = self.no_provider_for(&pair)
                {
                    diagnostics.push(diglot_core::Diagnostic {
                        severity: diglot_core::Severity::Warning,
                        file: self.rel(&self.path),
                        line: 1,
                        col: 1,
                        message_id: None,
                        message: format!(
                            "no configured provider translates {} -> {}: {why}; `diglot \
                             translate` would leave {} sentence(s) of {} untranslated",
                            pair.source,
                            pair.target,
                            plan.to_send.len(),
                            target.locale
                        ),
                        help: Some(format!(
                            "add a [[translate.providers]] table for a service that has the \
                             pair (deepl, google, libretranslate, openai), or translate {} by hand",
                            target.locale
                        )),
                        source_line: None,
                    });
                }
                entry.plan = Some(plan);
            } else if !requests.is_empty() && !interrupted {
                let fill = engine.fill(&pair, &requests, options.stop_on_ctrl_c);
                interrupted |= fill.interrupted;
                let (mut t, mut offered) = (Translations::default(), Translations::default());
                for d in &fill.drafts {
                    let state = TranslationState::Unreviewed {
                        origin: d.origin.label(),
                        checks: d.checks.clone(),
                    };
                    let draft = Translation { text: d.text.clone(), state };
                    // A translator's stale translation stays unless asked.
                    let stale = current
                        .get(&d.id)
                        .is_some_and(|c| matches!(c.state, TranslationState::Stale { .. }));
                    if stale && !options.replace_stale {
                        offered.entries.insert(d.id.clone(), draft);
                    } else {
                        t.entries.insert(d.id.clone(), draft);
                    }
                }
                drafts.insert(target.locale.clone(), t);
                suggestions.insert(target.locale.clone(), offered);
                entry.fill = Some(fill);
            }
            locales.push(entry);
        }
        let extract = if options.dry_run {
            ExtractOutcome::default()
        } else {
            let prepared = self.prepare_with(&drafts, &suggestions)?;
            self.write_locales(&prepared)?
        };
        Ok(TranslateOutcome { locales, extract, diagnostics, interrupted })
    }

    /// Scores each provider (or the one named) on `locale`: every reviewed
    /// translation is a reference, and the provider translates its source.
    pub fn eval(&self, locale: &str, provider: Option<&str>) -> Result<EvalReport, Error> {
        let locale = diglot_core::parse_locale(locale).map_err(|source| Error::LocaleOption {
            path: Some(self.shown.clone()),
            option: "--locale",
            source,
        })?;
        let prepared = self.prepare()?;
        let target =
            prepared.targets.iter().find(|t| t.locale == locale).ok_or_else(|| Error::Config {
                path: self.shown.clone(),
                message: format!("{locale} is not a target locale of this pipeline"),
            })?;
        let translations = target.file.translations();
        let mut seen = std::collections::HashSet::new();
        let mut requests = Vec::new();
        let mut references = Vec::new();
        for block in &prepared.segmented.blocks {
            for seg in &block.segments {
                let Some(t) = translations.get(&seg.id) else { continue };
                if t.state != TranslationState::Reviewed || !seen.insert(seg.id.clone()) {
                    continue;
                }
                requests.push(Request {
                    id: seg.id.clone(),
                    source: seg.text.clone(),
                    kind: kind_of(block.kind),
                });
                references.push(inline::plain_text_of_markdown(&t.text));
            }
        }
        let memory = self.open_memory(&prepared, Access::Read)?;
        let pair = Pair::new(prepared.source_locale.clone(), locale.clone());
        let mut results = Vec::new();
        for p in self.providers()? {
            if provider.is_some_and(|name| name != p.name()) {
                continue;
            }
            let engine = Engine {
                memory: Some(&memory),
                glossary: None,
                providers: vec![p.clone()],
                settings: Settings { memory_matches: false, ..self.engine_settings() },
                progress: None,
                breakers: Breakers::default(),
            };
            let fill = engine.fill(&pair, &requests, true);
            let by_id: BTreeMap<_, _> =
                fill.drafts.iter().map(|d| (d.id.clone(), d.text.clone())).collect();
            let (mut hyps, mut refs) = (Vec::new(), Vec::new());
            for (req, reference) in requests.iter().zip(&references) {
                if let Some(draft) = by_id.get(&req.id) {
                    hyps.push(inline::plain_text_of_markdown(draft));
                    refs.push(reference.as_str());
                }
            }
            let hyp_refs: Vec<&str> = hyps.iter().map(String::as_str).collect();
            let (bleu, chrf) = if hyps.is_empty() {
                (0.0, 0.0)
            } else {
                (
                    diglot_translate::eval::bleu(&hyp_refs, &refs).score,
                    diglot_translate::eval::chrf(&hyp_refs, &refs).score,
                )
            };
            results.push(EvalResult {
                provider: p.name().to_string(),
                segments: hyps.len(),
                failed: requests.len() - hyps.len(),
                bleu,
                chrf,
            });
        }
        if let Some(name) = provider {
            if results.is_empty() {
                return Err(Error::NoSuchProvider { name: name.to_string() });
            }
        }
        Ok(EvalReport { locale: locale.to_string(), references: references.len(), results })
    }
}

fn kind_of(kind: BlockKind) -> TextKind {
    if kind.is_heading() { TextKind::Headline } else { TextKind::Body }
}

/// The distinct segments of a locale that are missing or stale, in order.
fn needed(
    prepared: &Prepared,
    translations: &Translations,
    slug: &str,
    locale: &Locale,
) -> Vec<Request> {
    let edition = diglot_translate::localize(slug, &prepared.segmented, locale, translations);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for block in &edition.blocks {
        for seg in &block.segments {
            if matches!(seg.status, SegmentStatus::Missing | SegmentStatus::Stale)
                && seen.insert(seg.id.clone())
            {
                out.push(Request {
                    id: seg.id.clone(),
                    source: seg.source.clone(),
                    kind: kind_of(block.kind),
                });
            }
        }
    }
    out
}

fn memory_error(path: &Path, e: diglot_translate::memory::Error) -> Error {
    // Most memory errors name the file already; say it once.
    if e.path() == Some(path) {
        Error::Memory(Box::new(e))
    } else {
        Error::MemoryAt { path: path.to_path_buf(), source: Box::new(e) }
    }
}

impl Pipeline {
    /// The translation memory of `locale` (everything reviewed in the
    /// project's locale files, and what was imported) as TMX 1.4b.
    pub fn export_tmx(&self, locale: &str) -> Result<String, Error> {
        let locale = diglot_core::parse_locale(locale).map_err(|source| Error::LocaleOption {
            path: Some(self.shown.clone()),
            option: "--locale",
            source,
        })?;
        let prepared = self.prepare()?;
        let memory = self.open_memory(&prepared, Access::Read)?;
        let pair = Pair::new(prepared.source_locale.clone(), locale);
        memory.export_tmx(&pair).map_err(|e| memory_error(&self.root.join(".diglot"), e))
    }
}

impl crate::Project {
    /// Imports a TMX 1.4b file into the project's translation memory.
    /// Returns a line per language pair saying how many units came in.
    pub fn import_tmx(&self, file: &std::path::Path) -> Result<Vec<String>, Error> {
        let text = fs::read_to_string(file)?;
        let (mut memory, _) = open_store(self.root(), Access::Write)?;
        let origin =
            file.strip_prefix(self.root()).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let import = memory.import_tmx(&text, &origin).map_err(|e| memory_error(file, e))?;
        let mut lines: Vec<String> = import
            .pairs
            .iter()
            .map(|(pair, c)| format!("{pair}: {} imported", c.imported))
            .collect();
        if import.unpaired > 0 {
            lines.push(format!("{} translation units had no pair to import", import.unpaired));
        }
        Ok(lines)
    }
}

/// A translation memory match for `diglot memory search`.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryHit {
    /// Fuzzy score, 0..=1 (1.0: exact).
    pub score: f64,
    pub locale: String,
    /// `human` (a reviewed translation, or an imported TMX unit) or
    /// `machine` (a draft not yet reviewed).
    pub kind: &'static str,
    /// `<pipeline>/<message ID>`, or `tmx:<file>` for an imported unit.
    pub origin: String,
    /// Where a machine draft came from (`apertium`, `memory 82%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft_origin: Option<String>,
    pub source: String,
    pub target: String,
}

impl crate::Project {
    /// Searches the translation memory and the project's drafts for
    /// `text`: every match scoring at least `threshold` (0..=1), best
    /// first, at most `limit`, in `locale` or every target locale of the
    /// project's pipelines. The memory is read, never changed; it is first
    /// brought up to date with the locale files, as `translate` would.
    pub fn search_memory(
        &self,
        text: &str,
        locale: Option<&str>,
        threshold: f64,
        limit: usize,
    ) -> Result<Vec<MemoryHit>, Error> {
        let locale: Option<Locale> = locale
            .map(diglot_core::parse_locale)
            .transpose()
            .map_err(|source| Error::LocaleOption { path: None, option: "--locale", source })?;
        let (mut memory, path) = open_store(self.root(), Access::Read)?;
        let translations = project_translations(self.root(), None);
        remember(&mut memory, &path, &translations)?;
        let mut pairs: BTreeMap<String, Pair> = BTreeMap::new();
        for pipeline in
            self.pipeline_files()?.iter().filter_map(|p| Pipeline::load(self.root(), p).ok())
        {
            let Ok(segmented) = pipeline.segmented() else { continue };
            for target in pipeline.targets() {
                let pair = Pair::new(segmented.lang.clone(), target);
                pairs.insert(pair.key(), pair);
            }
        }
        let wanted = |pair: &Pair| locale.as_ref().is_none_or(|l| *l == pair.target);
        let mut hits = Vec::new();
        for pair in pairs.values().filter(|p| wanted(p)) {
            for m in
                memory.search(pair, text, threshold, limit).map_err(|e| memory_error(&path, e))?
            {
                hits.push(MemoryHit {
                    score: m.score,
                    locale: pair.target.to_string(),
                    kind: "human",
                    origin: m.origin,
                    draft_origin: None,
                    source: m.source,
                    target: m.target,
                });
            }
        }
        let query = diglot_translate::memory::normalize(text);
        for t in translations.iter().filter(|t| wanted(&t.pair)) {
            let TranslationState::Unreviewed { origin, .. } = &t.state else { continue };
            let score = diglot_translate::memory::score(&query, &t.source);
            if score + 1e-9 >= threshold {
                hits.push(MemoryHit {
                    score,
                    locale: t.pair.target.to_string(),
                    kind: "machine",
                    origin: t.origin.clone(),
                    draft_origin: Some(origin.clone()),
                    source: t.source.clone(),
                    target: t.target.clone(),
                });
            }
        }
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.kind.cmp(b.kind))
                .then(a.locale.cmp(&b.locale))
                .then(a.origin.cmp(&b.origin))
        });
        hits.truncate(limit);
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    /// The causes a command line prints after the error, `a: b: c`.
    fn chain(e: &dyn std::error::Error) -> String {
        let mut text = e.to_string();
        let mut source = e.source();
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        text
    }

    #[test]
    fn memory_errors_keep_their_causes_and_name_the_file_once() {
        let path = Path::new("/p/.diglot/memory.sqlite");
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let named = diglot_translate::memory::Error::Io {
            path: path.to_path_buf(),
            action: "read the file",
            source: io,
        };
        let e = memory_error(path, named);
        assert!(e.source().and_then(|s| s.downcast_ref::<std::io::Error>()).is_some(), "{e:?}");
        assert_eq!(chain(&e), "/p/.diglot/memory.sqlite: cannot read the file: denied");

        let tmx = Path::new("in.tmx");
        let unnamed = diglot_translate::memory::Error::Threshold(2.0);
        let e = memory_error(tmx, unnamed);
        assert!(e.source().is_some(), "{e:?}");
        assert!(
            matches!(&e, Error::MemoryAt { source, .. }
                if matches!(**source, diglot_translate::memory::Error::Threshold(_))),
            "{e:?}"
        );
        assert_eq!(chain(&e), "in.tmx: fuzzy threshold 2 is not between 0.0 and 1.0");
    }
}
