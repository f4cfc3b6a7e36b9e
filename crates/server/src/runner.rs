//! Runs one job, synchronously, on a blocking thread: through
//! `diglot-pipeline`, exactly as `diglot translate` and `diglot build` do.
//!
//! An article job becomes a scratch project in `.diglot/jobs/<id>/` (its
//! article, one pipeline file, the locale files the run creates); a
//! pipeline job runs one of the project's own pipelines in place. Either
//! way the outputs (editions, `report.json`, locale files) are read back
//! and stored with the job, so any process can serve them. Article jobs
//! share the project's translation memory and MT cache.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use diglot_pipeline::{BuildOptions, BuildReport, Pipeline, Project, TranslateOptions};
use serde::{Deserialize, Serialize};

/// The known provider kinds. A job names providers by kind; their settings
/// come from the project's pipeline files, never from the request.
pub(crate) const PROVIDER_KINDS: [&str; 6] =
    ["apertium", "deepl", "google", "libretranslate", "openai", "pseudo"];

/// A job as accepted and stored: what to run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum JobSpec {
    Article {
        format: ArticleFormat,
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        target_locales: Vec<String>,
        /// Provider kinds, in order; `None` uses the project's.
        #[serde(skip_serializing_if = "Option::is_none")]
        providers: Option<Vec<String>>,
    },
    Pipeline {
        pipeline: String,
        steps: Vec<Step>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArticleFormat {
    Markdown,
    Html,
    Text,
}

impl ArticleFormat {
    fn extension(self) -> &'static str {
        match self {
            ArticleFormat::Markdown => "md",
            ArticleFormat::Html => "html",
            ArticleFormat::Text => "txt",
        }
    }
}

/// What a pipeline job runs, in this order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Extract,
    Translate,
    Build,
}

/// Segments done of total, per target locale.
pub type Progress = Arc<Mutex<BTreeMap<String, LocaleProgress>>>;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocaleProgress {
    pub done: usize,
    pub total: usize,
}

/// What a job produced: coverage and provider use.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub locales: Vec<LocaleSummary>,
    pub providers: Vec<ProviderSummary>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocaleSummary {
    pub locale: String,
    /// Percent of segments with a reviewed translation or a draft.
    pub coverage: f64,
    pub total: usize,
    pub translated: usize,
    pub unreviewed: usize,
    pub stale: usize,
    pub missing: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProviderSummary {
    pub name: String,
    pub segments_sent: usize,
    pub characters_sent: usize,
    pub cache_hits: usize,
    pub failures: usize,
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    pub canceled: bool,
    /// The run did not do its job, as `diglot translate` exits 1: a
    /// provider failure left sentences untranslated. The reasons are in
    /// `summary.errors`.
    pub failed: bool,
    pub summary: Summary,
    /// (path under the job, bytes): `editions/<locale>/index.html`,
    /// `report.json`, `locales/<locale>/<slug>.ftl`.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Runs a job to the end, or until `cancel` is set: then it stops before
/// the next batch of sentences is sent (or the next step), and the drafts
/// already made stay in the MT cache (and, for a pipeline job, in its
/// locale files).
pub fn run(
    root: &Path,
    job_id: &str,
    spec: &JobSpec,
    progress: &Progress,
    cancel: &Arc<AtomicBool>,
) -> Result<Outcome, String> {
    match spec {
        JobSpec::Article { format, text, lang, target_locales, providers } => {
            let dir = root.join(".diglot").join("jobs").join(job_id);
            write_scratch_project(
                root,
                &dir,
                *format,
                text,
                lang.as_deref(),
                target_locales,
                providers.as_deref(),
            )?;
            // An article job's errors name the job's article, not the
            // server's folders.
            let hide = |message: String| {
                let article = dir.join(format!("articles/article.{}", format.extension()));
                message
                    .replace(&article.display().to_string(), "the article")
                    .replace(&format!("{}/", dir.display()), "")
            };
            let pipeline = Project::new(&dir).pipeline("article").map_err(|e| hide(chain(&e)))?;
            let steps = [Step::Translate, Step::Build];
            let outcome = run_steps(&pipeline, &steps, progress, cancel).map_err(hide)?;
            let mut files = Vec::new();
            if !outcome.canceled {
                collect(&dir.join("dist"), "editions", &mut files)?;
                collect(&dir.join("locales"), "locales", &mut files)?;
            }
            // The scratch project is diglot's own; its results are stored.
            let _ = std::fs::remove_dir_all(&dir);
            Ok(Outcome { files: fix_report(files), ..outcome })
        }
        JobSpec::Pipeline { pipeline, steps } => {
            // Never two jobs of one pipeline at once: the store claims them
            // in turn (`lock_key`), as two runs merging the same locale file
            // could lose one's drafts.
            // Its errors name the project's files as the project does
            // (`articles/…`), not by the server's folders.
            let hide = |message: String| message.replace(&format!("{}/", root.display()), "");
            let project = Project::new(root);
            let pipeline = project.pipeline(pipeline).map_err(|e| hide(chain(&e)))?;
            // And never beside a `diglot translate` or `build` in the same
            // project: the job holds the project's lock, as they do, for all
            // its steps and the reading of what it wrote.
            let _lock = project
                .lock(|| {
                    eprintln!(
                        "job {job_id}: waiting for another diglot command in this project to finish…"
                    )
                })
                .map_err(|e| hide(chain(&e)))?;
            let outcome = run_steps(&pipeline, steps, progress, cancel).map_err(hide)?;
            let mut files = Vec::new();
            if !outcome.canceled {
                if steps.contains(&Step::Build) {
                    collect(&root.join(&pipeline.config().edition.output), "editions", &mut files)?;
                }
                let locales = root.join("locales");
                for entry in std::fs::read_dir(&locales)
                    .map_err(|e| format!("{}: {e}", locales.display()))?
                    .flatten()
                {
                    let file = entry.path().join(format!("{}.ftl", pipeline.slug()));
                    if let Ok(bytes) = std::fs::read(&file) {
                        let locale = entry.file_name().to_string_lossy().into_owned();
                        files.push((format!("locales/{locale}/{}.ftl", pipeline.slug()), bytes));
                    }
                }
                files.sort();
            }
            Ok(Outcome { files: fix_report(files), ..outcome })
        }
    }
}

/// `editions/report.json` is served as `report.json`.
fn fix_report(files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    files
        .into_iter()
        .map(|(p, b)| if p == "editions/report.json" { ("report.json".into(), b) } else { (p, b) })
        .collect()
}

fn run_steps(
    pipeline: &Pipeline,
    steps: &[Step],
    progress: &Progress,
    cancel: &Arc<AtomicBool>,
) -> Result<Outcome, String> {
    let mut summary = Summary::default();
    let mut providers: BTreeMap<String, ProviderSummary> = BTreeMap::new();
    let targets: Vec<String> = pipeline.config().edition.locales.clone();
    let mut report: Option<BuildReport> = None;
    let mut failed = false;
    let canceled = || cancel.load(Ordering::SeqCst);
    for step in steps {
        if canceled() {
            return Ok(Outcome { canceled: true, failed: false, summary, files: Vec::new() });
        }
        match step {
            Step::Extract => {
                let outcome = pipeline.extract().map_err(|e| chain(&e))?;
                summary.errors.extend(errors_of(&outcome.diagnostics));
            }
            Step::Translate => {
                for locale in &targets {
                    if canceled() {
                        return Ok(Outcome {
                            canceled: true,
                            failed: false,
                            summary,
                            files: Vec::new(),
                        });
                    }
                    let p = progress.clone();
                    let l = locale.clone();
                    let callback: diglot_pipeline::Progress =
                        Arc::new(move |_provider: &str, done: usize, total: usize| {
                            let mut map = p.lock().unwrap_or_else(|e| e.into_inner());
                            map.insert(l.clone(), LocaleProgress { done, total });
                        });
                    let options = TranslateOptions {
                        locales: vec![locale.clone()],
                        progress: Some(callback),
                        stop: Some(cancel.clone()),
                        ..Default::default()
                    };
                    let outcome = pipeline.translate(&options).map_err(|e| chain(&e))?;

                    summary.errors.extend(errors_of(&outcome.diagnostics));
                    for l in &outcome.locales {
                        if !outcome.interrupted {
                            progress.lock().unwrap_or_else(|e| e.into_inner()).insert(
                                l.locale.clone(),
                                LocaleProgress { done: l.needed, total: l.needed },
                            );
                        }
                        if let Some(plan) = &l.plan {
                            failed |= !plan.problems.is_empty();
                            summary.errors.extend(plan.problems.iter().cloned());
                        }
                        let Some(fill) = &l.fill else { continue };
                        // Failures that left sentences untranslated fail
                        // the job; the others were made up for.
                        let fill_errors = fill.errors();
                        failed |= !fill_errors.is_empty();
                        summary
                            .errors
                            .extend(fill_errors.iter().map(|e| format!("{e} ({})", l.locale)));
                        for s in &fill.providers {
                            let p = providers.entry(s.name.clone()).or_insert_with(|| {
                                ProviderSummary { name: s.name.clone(), ..Default::default() }
                            });
                            p.segments_sent += s.segments_sent;
                            p.characters_sent += s.characters_sent;
                            p.cache_hits += s.cache_hits;
                            p.failures += s.failures;
                            if let Some(e) =
                                s.last_error.as_ref().filter(|_| fill_errors.is_empty())
                            {
                                summary.errors.push(format!("{} ({}): {e}", s.name, l.locale));
                            }
                        }
                    }
                    if outcome.interrupted {
                        // Canceled mid-locale: what was sent still counts.
                        summary.providers = providers.into_values().collect();
                        return Ok(Outcome {
                            canceled: true,
                            failed: false,
                            summary,
                            files: Vec::new(),
                        });
                    }
                }
            }
            Step::Build => {
                let outcome = pipeline.build(&BuildOptions::default()).map_err(|e| chain(&e))?;
                summary.errors.extend(errors_of(&outcome.report.diagnostics));
                report = Some(outcome.report);
            }
        }
    }
    let report = match report {
        Some(r) => r,
        None => pipeline.status().map_err(|e| e.to_string())?,
    };
    summary.locales = report
        .locales
        .iter()
        .filter(|l| !l.source)
        .map(|l| LocaleSummary {
            locale: l.locale.clone(),
            coverage: l.percent,
            total: l.coverage.total,
            translated: l.coverage.translated,
            unreviewed: l.coverage.unreviewed,
            stale: l.coverage.stale,
            missing: l.coverage.missing,
        })
        .collect();
    summary.providers = providers.into_values().collect();
    summary.errors.dedup();
    Ok(Outcome { canceled: false, failed, summary, files: Vec::new() })
}

/// An error with its causes, as the CLI prints them: `path: reason`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

fn errors_of(diagnostics: &[diglot_core::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == diglot_core::Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

/// The scratch project of an article job: the article, and a pipeline file
/// whose providers are the project's tables for the kinds asked.
fn write_scratch_project(
    root: &Path,
    dir: &Path,
    format: ArticleFormat,
    text: &str,
    lang: Option<&str>,
    targets: &[String],
    providers: Option<&[String]>,
) -> Result<(), String> {
    // A previous attempt (a worker killed mid-job) may have left one.
    let _ = std::fs::remove_dir_all(dir);
    let source = format!("articles/article.{}", format.extension());
    let mut article = toml::Table::new();
    article.insert("source".into(), source.clone().into());
    article.insert(
        "format".into(),
        match format {
            ArticleFormat::Markdown => "markdown",
            ArticleFormat::Html => "html",
            ArticleFormat::Text => "text",
        }
        .into(),
    );
    if let Some(lang) = lang {
        article.insert("lang".into(), lang.into());
    }
    let mut edition = toml::Table::new();
    edition.insert(
        "locales".into(),
        toml::Value::Array(targets.iter().map(|t| t.clone().into()).collect()),
    );
    let mut translate = toml::Table::new();
    translate.insert("providers".into(), toml::Value::Array(provider_tables(root, providers)?));
    let mut config = toml::Table::new();
    config.insert("article".into(), article.into());
    config.insert("edition".into(), edition.into());
    config.insert("translate".into(), translate.into());
    let toml_text = toml::to_string(&config).map_err(|e| e.to_string())?;
    for (rel, bytes) in
        [(source.as_str(), text.as_bytes()), ("pipelines/article.toml", toml_text.as_bytes())]
    {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // The scratch project's `.diglot/` is the project's: article jobs share
    // its translation memory and MT cache, so no sentence is paid for twice.
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join(".diglot"), dir.join(".diglot"))
        .map_err(|e| format!("{}: {e}", dir.join(".diglot").display()))?;
    Ok(())
}

/// The `[[translate.providers]]` tables for the kinds asked, taken from the
/// project's pipeline files (the operator's settings); a kind no pipeline
/// configures gets its defaults. `None` asks for the providers of the
/// project's first pipeline that has any.
fn provider_tables(root: &Path, kinds: Option<&[String]>) -> Result<Vec<toml::Value>, String> {
    let mut configured: Vec<toml::Table> = Vec::new();
    let mut first_list: Option<Vec<toml::Table>> = None;
    if let Ok(files) = Project::new(root).pipeline_files() {
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let Ok(table) = text.parse::<toml::Table>() else { continue };
            let list: Vec<toml::Table> = table
                .get("translate")
                .and_then(|t| t.get("providers"))
                .and_then(|p| p.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
                .unwrap_or_default();
            if first_list.is_none() && !list.is_empty() {
                first_list = Some(list.clone());
            }
            configured.extend(list);
        }
    }
    let Some(kinds) = kinds else {
        return Ok(first_list.unwrap_or_default().into_iter().map(toml::Value::Table).collect());
    };
    let mut out = Vec::new();
    for kind in kinds {
        let table = configured
            .iter()
            .find(|t| t.get("kind").and_then(|k| k.as_str()) == Some(kind))
            .cloned()
            .unwrap_or_else(|| {
                let mut t = toml::Table::new();
                t.insert("kind".into(), kind.clone().into());
                t
            });
        out.push(toml::Value::Table(table));
    }
    Ok(out)
}

/// Every file below `dir`, as (`prefix/relative path`, bytes), sorted.
fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), String> {
    fn walk(
        base: &Path,
        dir: &Path,
        prefix: &str,
        out: &mut Vec<(String, Vec<u8>)>,
    ) -> Result<(), String> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(base, &path, prefix, out)?;
            } else if path.file_name().is_some_and(|n| n == ".diglot-output") {
                // The marker of diglot's output folder is not a result.
            } else {
                let rel =
                    path.strip_prefix(base).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                out.push((format!("{prefix}/{rel}"), bytes));
            }
        }
        Ok(())
    }
    walk(dir, dir, prefix, out)
}
