//! `diglot`: the command line. Parses arguments, calls `diglot-pipeline`,
//! prints results and maps outcomes to exit codes: 0 ok, 1 a check failed
//! (a coverage gate, a malformed locale file), 2 usage or I/O error. A
//! closed pipe on stdout counts as success, as in ripgrep.

mod align;
mod check;
mod docs;
mod exchange;
mod memory;
mod scaffold;
mod serve;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use diglot_core::{Diagnostic, Severity};
use diglot_pipeline::{BuildOptions, LocaleTranslation, Pipeline, Project, TranslateOptions};

#[derive(Debug, Parser)]
#[command(
    name = "diglot",
    bin_name = "diglot",
    version,
    about = "Publish an article in several languages through Fluent locale files.",
    long_about = "diglot carries a news article (plain text, Markdown or HTML; English or Spanish) \
through Fluent locale files that translators edit, and publishes localized and bilingual editions.\n\n\
A project holds pipelines/<name>.toml (one per publication), the articles they name, and \
locales/<locale>/<slug>.ftl. Commands take a PIPELINE name (the file's stem) or path; \
without one they run every pipeline of the project.",
    after_help = "Start a project: `diglot init --from article.md --locales es-ES site && diglot -C site build`.\n\n\
Exit status: 0 ok, 1 a check failed (coverage gate, malformed locale file), 2 usage or I/O error, 130 interrupted."
)]
struct Cli {
    /// Run in DIR: the project is the nearest folder holding pipelines/, DIR or above it.
    #[arg(short = 'C', long = "project", global = true, default_value = ".", value_name = "DIR")]
    project: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Update the locale files and publish every edition, with report.json.
    ///
    /// For each pipeline (every one of the project without PIPELINE):
    ///
    /// 1. Checks, before writing anything, that each output folder may be replaced: it is
    ///    inside the project and apart from its articles, pipelines/, locales/, .diglot/ and
    ///    version control, and it is missing, empty, or made by diglot (holds .diglot-output);
    ///    no two pipelines share one. Then takes the project's lock, .diglot/lock.
    ///
    /// 2. With `in_build = true` in [translate], runs `diglot translate` first: drafts from
    ///    translation memory and machine translation go into the target locale files.
    ///
    /// 3. Extracts, like `diglot extract`: rewrites the reference locale file from the article
    ///    and merges each target locale file (a file with syntax errors is not rewritten).
    ///
    /// 4. Builds each locale's edition: reviewed translations, drafts (labelled), and the source
    ///    sentence where a translation is missing or stale. The edition's own strings come from
    ///    locales/<locale>/edition.ftl, else the source locale's or en-US's, else built-in ones.
    ///
    /// 5. Writes <output>/<locale>/index.html, index.md and index.json,
    ///    <output>/bilingual/index.html (the source beside the `bilingual` locale, by default
    ///    the first target), <output>/report.json and .diglot-output. The folder is replaced
    ///    in one atomic swap, and not at all when nothing changed.
    ///
    /// With a [site] table in diglot.toml, every pipeline builds into the one site folder
    /// ([site] output, default dist): <locale>/<slug>/ per edition, bilingual/<slug>/, a
    /// home page per locale, index.html, and with base_url sitemap.xml and
    /// <locale>/atom.xml; the site is replaced whole, only when every article built.
    ///
    /// The build fails (exit 1) when a locale file has errors, a target is below the coverage
    /// gate, unreviewed drafts are published under --require-reviewed, or the translate step
    /// left sentences untranslated because a provider stopped. A failed build keeps the
    /// previous output folder as it was, unless --write-on-failure. Ctrl-C during the
    /// translate step keeps the drafts made so far and exits 130.
    Build {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Fail (exit 1) when a target locale has less than this percent of its sentences
        /// translated. Overrides the pipeline's `min_coverage`.
        #[arg(long, value_name = "PERCENT", value_parser = percent)]
        min_coverage: Option<f64>,
        /// Fail (exit 1) while any unreviewed draft would be published.
        #[arg(long)]
        require_reviewed: bool,
        /// Run `diglot check` and fail (exit 1) on its errors, as `[check] in_build = true`
        /// does.
        #[arg(long)]
        check: bool,
        /// Replace the output folder even when the build fails; by default a failed build
        /// leaves the previous output as it was.
        #[arg(long)]
        write_on_failure: bool,
    },
    /// Fill missing and stale translations with drafts from translation memory and
    /// machine translation.
    ///
    /// Sources are tried in order: translation memory (exact, then fuzzy), then the
    /// providers of the pipeline's [translate] section. Drafts are written into the target
    /// locale files marked `# unreviewed: <origin>`; a translator accepts one by deleting that
    /// line. A translator's stale translation is never replaced: the draft is written above it
    /// as `# suggestion (<origin>): …`, taken by changing `suggestion` to `accept` (or use
    /// --replace-stale). Machine translations are cached in .diglot/memory.sqlite: the same
    /// text is never sent twice.
    Translate {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Only this target locale (repeatable).
        #[arg(long = "locale", value_name = "LOCALE")]
        locales: Vec<String>,
        /// List what would be sent and its character count; send and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace stale translations with the drafts (each kept in a `# previous translation:`
        /// line) instead of offering the drafts as suggestions.
        #[arg(long)]
        replace_stale: bool,
        /// Print what happened as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Score machine-translation providers against the reviewed translations (BLEU, chrF).
    Eval {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// The target locale whose reviewed translations are the references.
        #[arg(long, value_name = "LOCALE")]
        locale: String,
        /// Only this provider (its `kind`).
        #[arg(long, value_name = "NAME")]
        provider: Option<String>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the reference locale file and merge every target locale file.
    ///
    /// Unchanged translations are kept; a translation whose source sentence changed is kept
    /// and marked `# stale, source was: …`; one whose sentence is gone moves to the
    /// Obsolete section. Comments are kept. Nothing is written when any locale file has a
    /// syntax error.
    Extract {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Write nothing; exit 1 if any locale file is out of date with its article.
        #[arg(long)]
        check: bool,
    },
    /// Show how much of each locale is translated. Writes nothing.
    Status {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Print a JSON array with one report per pipeline, each shaped like report.json
        /// (schemas/report.schema.json).
        #[arg(long)]
        json: bool,
    },
    /// Check target locale files before publishing. Writes nothing.
    ///
    /// Reports, each with a stable code, a severity, file:line:col and a hint: syntax errors
    /// and duplicate IDs; missing, obsolete, stale and unreviewed messages; markup, link, code
    /// and number mismatches with the source sentence (numbers compared by value in each
    /// locale's separators); translations identical to the source; length outliers (under
    /// 0.3 or over 3 times the source's characters); glossary and do-not-translate terms; and,
    /// for Spanish, missing `¿`/`¡`, double spaces and spaces before punctuation. `[check]
    /// allow` and `[check.allow_messages]` in the pipeline file silence codes.
    ///
    /// Exit 1 when any finding is an error; warnings alone exit 0.
    Check {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Only this target locale.
        #[arg(long, value_name = "LOCALE")]
        locale: Option<String>,
        /// Print the findings as a JSON array (code, severity, locale, file, line, col,
        /// message_id, message, hint).
        #[arg(long)]
        json: bool,
    },
    /// Search the translation memory, or import or export it (TMX 1.4b).
    ///
    /// The memory lives in .diglot/memory.sqlite. It holds every reviewed translation of the
    /// project's locale files, of every pipeline (refreshed on each `translate`), and the TMX
    /// files imported.
    Memory {
        #[command(subcommand)]
        action: MemoryAction,
    },
    /// Fill a target locale file from an existing human translation of the article.
    ///
    /// Pairs the translation's blocks with the article's by structure and order (merged, split,
    /// added or missing paragraphs allowed), then its sentences by length (Gale-Church) and
    /// anchors (numbers, links, code, names), one-to-one, one-to-two or two-to-one. Each pair
    /// fills a sentence not translated yet, marked `# unreviewed: aligned (score)` for review;
    /// what could not be paired is listed.
    Align(align::AlignArgs),
    /// Export a locale as XLIFF for CAT tools (OmegaT, Trados, memoQ), or import one back.
    Xliff {
        #[command(subcommand)]
        action: exchange::XliffAction,
    },
    /// Export a locale as a gettext PO file (Poedit, Lokalize, Weblate), or import one back.
    Po {
        #[command(subcommand)]
        action: exchange::PoAction,
    },
    /// Start a project: a pipeline for a first article, .gitignore and a CI example.
    ///
    /// Creates DIR when missing. Copies the article (--from, or a sample) into articles/ and
    /// writes pipelines/<slug>.toml, publishing to dist/<slug>/. Only adds files: one that
    /// exists is left alone and listed; with --from, an existing different article or pipeline
    /// of the same slug stops init before it writes anything. No locale files are written:
    /// `diglot build` makes them.
    Init(scaffold::InitArgs),
    /// Add an article to the project: articles/<slug>.<ext> and pipelines/<slug>.toml.
    ///
    /// Refuses, writing nothing, when either file exists, the slug or a locale is invalid, or
    /// another pipeline publishes to a folder that holds dist/<slug>/ or is inside it.
    New(scaffold::NewArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// bash: `diglot completions bash > ~/.local/share/bash-completion/completions/diglot`;
    /// zsh: into a folder of $fpath as `_diglot`; fish: `~/.config/fish/completions/diglot.fish`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `diglot man > diglot.1 && man ./diglot.1`.
    Man,
    /// Split text into sentences, one per line.
    Segment {
        /// The text's language (en, es, or a locale); detected when omitted.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Print segments with their message IDs as JSON.
        #[arg(long)]
        json: bool,
        /// The file to read; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    #[command(flatten)]
    Service(serve::ServiceCommand),
}

#[derive(Debug, Subcommand)]
enum MemoryAction {
    /// Import a TMX file into the project's translation memory.
    Import {
        /// The TMX 1.4b file.
        file: PathBuf,
    },
    /// Print a locale's translation memory as TMX on standard output.
    Export {
        /// Pipeline name or path; the project's only pipeline when omitted.
        pipeline: Option<String>,
        /// The target locale.
        #[arg(long, value_name = "LOCALE")]
        locale: String,
    },
    /// Show what the memory and the project's drafts offer for a sentence, with scores and
    /// origins: reviewed translations of every pipeline (human) and drafts (machine).
    Search(memory::SearchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A percentage for `--min-coverage`: a number from 0 to 100.
fn percent(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(n) if (0.0..=100.0).contains(&n) => Ok(n),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let command = match cli.command {
        Command::Segment { lang, json, file } => return segment(lang.as_deref(), json, file),
        Command::Init(args) => return scaffold::init(args, &cli.project),
        Command::Completions { shell } => return docs::completions::<Cli>(shell),
        Command::Man => return docs::man::<Cli>(),
        command => command,
    };
    let cli = Cli { command, ..cli };
    let project = Project::discover(&cli.project)?;
    // Commands that write hold the project's lock while they run (`build`
    // takes it once it has checked its output folders).
    let writes = match &cli.command {
        Command::Translate { dry_run, .. } => !dry_run,
        Command::New(_) | Command::Align(_) => true,
        Command::Extract { check, .. } => !check,
        Command::Memory { action } => matches!(action, MemoryAction::Import { .. }),
        Command::Xliff { action } => matches!(action, exchange::XliffAction::Import { .. }),
        Command::Po { action } => matches!(action, exchange::PoAction::Import { .. }),
        _ => false,
    };
    let _lock = if writes { Some(lock(&project)?) } else { None };
    match cli.command {
        Command::Build { pipeline, min_coverage, require_reviewed, check, write_on_failure } => {
            let gates = Gates { min_coverage, require_reviewed, check, write_on_failure };
            build(&project, pipeline.as_deref(), gates)
        }
        Command::Translate { pipeline, locales, dry_run, replace_stale, json } => {
            let options =
                TranslateOptions { locales, dry_run, replace_stale, ..Default::default() };
            translate(&project, pipeline.as_deref(), options, json)
        }
        Command::Eval { pipeline, locale, provider, json } => {
            eval(&project, pipeline.as_deref(), &locale, provider.as_deref(), json)
        }
        Command::Memory { action } => memory(&project, action),
        Command::Align(args) => align::run(&project, args),
        Command::Extract { pipeline, check } => extract(&project, pipeline.as_deref(), check),
        Command::Status { pipeline, json } => status(&project, pipeline.as_deref(), json),
        Command::Check { pipeline, locale, json } => {
            check::run(&project, pipeline.as_deref(), locale.as_deref(), json)
        }
        Command::New(args) => scaffold::new(args, &project, &cli.project),
        Command::Segment { .. } | Command::Init(_) | Command::Completions { .. } | Command::Man => {
            unreachable!("handled above")
        }
        Command::Xliff { action } => exchange::xliff(&project, action),
        Command::Po { action } => exchange::po(&project, action),
        Command::Service(command) => serve::run(&cli.project, command),
    }
}

fn lock(project: &Project) -> Result<diglot_pipeline::ProjectLock> {
    Ok(project
        .lock(|| eprintln!("waiting for another diglot command in this project to finish…"))?)
}

fn pipelines(project: &Project, name: Option<&str>) -> Result<Vec<Pipeline>> {
    let pipelines = match name {
        Some(name) => vec![project.pipeline(name)?],
        None => project.pipelines()?,
    };
    if pipelines.is_empty() {
        anyhow::bail!(
            "no pipelines in {}: add a pipelines/<name>.toml",
            project.root().join("pipelines").display()
        );
    }
    Ok(pipelines)
}

/// Prints a step on a terminal; stays quiet in pipes and CI logs.
fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{}", dim(message));
    }
}

/// Dimmed text, unless NO_COLOR asks for none (no-color.org).
fn dim(text: &str) -> String {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        text.to_string()
    } else {
        format!("\x1b[2m{text}\x1b[0m")
    }
}

/// A progress line for machine translation, redrawn in place, on a
/// terminal only.
fn terminal_progress() -> Option<diglot_pipeline::Progress> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    Some(std::sync::Arc::new(|provider: &str, done: usize, total: usize| {
        eprint!("\r\x1b[2K{}", dim(&format!("{provider}: {done}/{total} segments")));
        if done == total {
            eprintln!();
        }
    }))
}

fn print_diagnostics(diagnostics: &[Diagnostic]) -> bool {
    // One write: stderr is unbuffered, and a book can have hundreds.
    let text: String = diagnostics.iter().map(|d| format!("{d}\n\n")).collect();
    eprint!("{text}");
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

fn extract(project: &Project, name: Option<&str>, check: bool) -> Result<ExitCode> {
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for pipeline in pipelines(project, name)? {
        progress(&format!("extracting {}…", pipeline.slug()));
        let outcome = if check { pipeline.extract_check() } else { pipeline.extract() };
        let outcome = outcome.with_context(|| format!("extracting {}", pipeline.slug()))?;
        if check {
            failed |= print_diagnostics(&outcome.diagnostics);
            for path in &outcome.written {
                failed = true;
                writeln!(out, "out of date: {} (run `diglot extract`)", rel(project, path))?;
            }
            continue;
        }
        if print_diagnostics(&outcome.diagnostics) {
            failed = true;
            eprintln!(
                "{}: locale files have errors; nothing was written. Fix them and run `diglot extract` again.",
                pipeline.slug()
            );
            continue;
        }
        for path in &outcome.written {
            writeln!(out, "wrote {}", rel(project, path))?;
        }
        for path in &outcome.unchanged {
            writeln!(out, "unchanged {}", rel(project, path))?;
        }
        for (locale, m) in &outcome.merges {
            writeln!(
                out,
                "{locale}: {} kept, {} newly stale, {} moved to obsolete, {} restored",
                m.kept,
                m.stale.len(),
                m.obsoleted.len(),
                m.revived.len()
            )?;
            for s in &m.stale {
                writeln!(out, "  stale {}: source was “{}”", s.id, s.previous_source)?;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn status(project: &Project, name: Option<&str>, json: bool) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut reports = Vec::new();
    for pipeline in pipelines(project, name)? {
        reports.push(pipeline.status().with_context(|| format!("reading {}", pipeline.slug()))?);
    }
    let failed =
        reports.iter().any(|r| r.diagnostics.iter().any(|d| d.severity == Severity::Error));
    if json {
        // Always an array, however many pipelines: one shape for scripts.
        writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?;
        return Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS });
    }
    for r in &reports {
        print_diagnostics(&r.diagnostics);
    }
    let header =
        ["article", "locale", "translated", "draft", "stale", "missing", "words", "coverage"];
    let mut rows = vec![header.map(String::from).to_vec()];
    for r in &reports {
        for l in &r.locales {
            let c = &l.coverage;
            rows.push(if l.source {
                vec![
                    r.slug.clone(),
                    l.locale.clone(),
                    "source".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                    c.words_total.to_string(),
                    "".into(),
                ]
            } else {
                vec![
                    r.slug.clone(),
                    l.locale.clone(),
                    format!("{}/{}", c.translated, c.total),
                    c.unreviewed.to_string(),
                    c.stale.to_string(),
                    c.missing.to_string(),
                    format!("{}/{}", c.words_translated, c.words_total),
                    format!("{:.1}%", l.percent),
                ]
            });
        }
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> =
            row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
    }
    for r in &reports {
        for l in r.locales.iter().filter(|l| !l.source) {
            for (what, list) in [("missing", &l.missing), ("stale", &l.stale)] {
                for s in list.iter() {
                    writeln!(out, "{} {what} {}: {}", l.locale, s.id, shorten(&s.source, 70))?;
                }
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The options of `build` that decide whether it fails.
#[derive(Debug, Clone, Copy)]
struct Gates {
    min_coverage: Option<f64>,
    require_reviewed: bool,
    check: bool,
    write_on_failure: bool,
}

fn build(project: &Project, name: Option<&str>, gates: Gates) -> Result<ExitCode> {
    let Gates { min_coverage, require_reviewed, check, write_on_failure } = gates;
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let options = BuildOptions {
        min_coverage,
        require_reviewed,
        check,
        stop_on_ctrl_c: true,
        progress: terminal_progress(),
        write_on_failure,
        breakers: Default::default(),
    };
    if let Some(site) = project.site()? {
        if let Some(name) = name {
            anyhow::bail!(
                "this project publishes a site ([site] in {}), which build makes from every \
                 pipeline at once: run `diglot build` without `{name}`",
                diglot_pipeline::PROJECT_FILE
            );
        }
        let _lock = lock(project)?;
        progress("building the site…");
        let site_outcome = project.build_site(&site, &options)?;
        for (pipeline, outcome) in &site_outcome.articles {
            match print_build(&mut out, project, pipeline, outcome, min_coverage, false)? {
                Printed::Interrupted => return Ok(ExitCode::from(130)),
                Printed::Failed => failed = true,
                Printed::Ok => {}
            }
        }
        let output = rel(project, &site_outcome.output);
        if site_outcome.output_withheld {
            writeln!(
                out,
                "kept {output}/ as it was: the build failed (--write-on-failure publishes it anyway)"
            )?;
        } else if site_outcome.output_written {
            writeln!(out, "wrote {output}/ ({} files)", site_outcome.files)?;
        } else {
            writeln!(out, "unchanged {output}/")?;
        }
        return Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS });
    }
    let pipelines = pipelines(project, name)?;
    project.check_outputs(&pipelines)?;
    let _lock = lock(project)?;
    for pipeline in pipelines {
        progress(&format!("building {}…", pipeline.slug()));
        let outcome =
            pipeline.build(&options).with_context(|| format!("building {}", pipeline.slug()))?;
        match print_build(&mut out, project, &pipeline, &outcome, min_coverage, true)? {
            Printed::Interrupted => return Ok(ExitCode::from(130)),
            Printed::Failed => failed = true,
            Printed::Ok => {}
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// How a build went, as printed.
enum Printed {
    Ok,
    Failed,
    Interrupted,
}

/// Prints one pipeline's build: diagnostics, findings, written files, the
/// output folder (when `show_output`), coverage and failed gates.
fn print_build(
    out: &mut impl Write,
    project: &Project,
    pipeline: &diglot_pipeline::Pipeline,
    outcome: &diglot_pipeline::BuildOutcome,
    min_coverage: Option<f64>,
    show_output: bool,
) -> Result<Printed> {
    let mut failed = false;
    if print_diagnostics(&outcome.report.diagnostics) {
        failed = true;
    }
    if let Some(findings) = &outcome.check {
        check::print(findings);
        if findings.iter().any(|f| f.severity == Severity::Error) {
            failed = true;
            eprintln!("error: `diglot check` found errors in {}'s locale files", pipeline.slug());
        }
    }
    if let Some(t) = &outcome.translation {
        failed |= print_translation(out, &t.locales)?;
        if t.interrupted {
            eprintln!(
                "interrupted: the drafts made so far were saved; run the command again to go on"
            );
            return Ok(Printed::Interrupted);
        }
    }
    for path in &outcome.extract.written {
        writeln!(out, "wrote {}", rel(project, path))?;
    }
    if show_output {
        let output = rel(project, &outcome.output);
        if outcome.output_withheld {
            writeln!(
                out,
                "kept {output}/ as it was: the build failed (--write-on-failure publishes it anyway)"
            )?;
        } else if outcome.output_written {
            writeln!(out, "wrote {output}/ ({} files)", outcome.report.outputs.len())?;
        } else {
            writeln!(out, "unchanged {output}/")?;
        }
    }
    for l in &outcome.report.locales {
        if !l.source {
            let c = &l.coverage;
            writeln!(
                out,
                "{}: {:.1}% translated ({} of {} sentences; {} stale, {} missing, {} drafts)",
                l.locale,
                l.percent,
                c.translated + c.unreviewed,
                c.total,
                c.stale,
                c.missing,
                c.unreviewed
            )?;
        }
    }
    for (locale, count) in &outcome.unreviewed {
        failed = true;
        eprintln!(
            "error: {locale} publishes {count} unreviewed drafts; review them (delete their `# unreviewed:` lines) or build without --require-reviewed"
        );
    }
    for (locale, percent) in &outcome.below_coverage {
        failed = true;
        let min = min_coverage.unwrap_or(pipeline.config().edition.min_coverage);
        eprintln!(
            "error: {locale} is {percent:.1}% translated, below the required {min}% (run `diglot status` for what is missing)"
        );
    }
    Ok(if failed { Printed::Failed } else { Printed::Ok })
}

fn translate(
    project: &Project,
    name: Option<&str>,
    options: TranslateOptions,
    json: bool,
) -> Result<ExitCode> {
    let locales = &options.locales;
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let pipelines = pipelines(project, name)?;
    // Every --locale must be a target of a pipeline being translated.
    for tag in locales {
        let locale = diglot_core::parse_locale(tag).map_err(anyhow::Error::msg)?;
        let targets: Vec<&str> = pipelines
            .iter()
            .flat_map(|p| p.config().edition.locales.iter().map(String::as_str))
            .collect();
        if !targets.iter().any(|t| diglot_core::parse_locale(t).is_ok_and(|t| t == locale)) {
            anyhow::bail!(
                "--locale {tag}: not a target locale of {} (targets: {}); add it to [edition] locales first",
                if pipelines.len() == 1 { "this pipeline" } else { "these pipelines" },
                if targets.is_empty() { "none".to_string() } else { targets.join(", ") }
            );
        }
    }
    let options =
        TranslateOptions { stop_on_ctrl_c: true, progress: terminal_progress(), ..options };
    let mut all = Vec::new();
    for pipeline in pipelines {
        progress(&format!("translating {}…", pipeline.slug()));
        let outcome = pipeline
            .translate(&options)
            .with_context(|| format!("translating {}", pipeline.slug()))?;
        if print_diagnostics(&outcome.diagnostics) {
            failed = true;
            if outcome.locales.is_empty() {
                eprintln!(
                    "{}: locale files have errors; nothing was written. Fix them and run `diglot translate` again.",
                    pipeline.slug()
                );
                continue;
            }
        }
        if json {
            failed |= report_problems(&outcome.locales);
            all.extend(outcome.locales.iter().cloned());
        } else {
            failed |= print_translation(&mut out, &outcome.locales)?;
            for path in &outcome.extract.written {
                writeln!(out, "wrote {}", rel(project, path))?;
            }
        }
        if outcome.interrupted {
            eprintln!(
                "interrupted: the drafts made so far were saved; run the command again to go on"
            );
            return Ok(ExitCode::from(130));
        }
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Prints what the translate step did. Returns whether it failed (see
/// [`report_problems`]).
fn print_translation(out: &mut impl Write, locales: &[LocaleTranslation]) -> Result<bool> {
    for l in locales {
        if let Some(plan) = &l.plan {
            writeln!(out, "{}: {} segments to fill (dry run: nothing sent)", l.locale, l.needed)?;
            writeln!(
                out,
                "  memory would fill {} exactly, {} fuzzily",
                plan.memory_exact, plan.memory_fuzzy
            )?;
            match &plan.provider {
                Some(p) => writeln!(
                    out,
                    "  {p} would get {} segments, {} characters ({} from its cache)",
                    plan.to_send.len(),
                    plan.characters,
                    plan.cache_hits
                )?,
                None => writeln!(out, "  no provider configured: the rest would stay missing")?,
            }
            for (id, chars) in &plan.to_send {
                writeln!(out, "    {id} ({chars} characters)")?;
            }
            continue;
        }
        let Some(fill) = &l.fill else {
            writeln!(out, "{}: nothing to fill", l.locale)?;
            continue;
        };
        writeln!(
            out,
            "{}: {} drafts for {} segments ({} from memory, {} fuzzy); {} left missing",
            l.locale,
            fill.drafts.len(),
            l.needed,
            fill.memory_exact,
            fill.memory_fuzzy,
            fill.unfilled.len()
        )?;
        for p in &fill.providers {
            writeln!(
                out,
                "  {}: {} segments and {} characters sent, {} cache hits, {} drafts{}, {} rejected{}, {} failures",
                p.name,
                p.segments_sent,
                p.characters_sent,
                p.cache_hits,
                p.drafts,
                if p.glossary_flagged > 0 {
                    format!(" ({} flagged: glossary)", p.glossary_flagged)
                } else {
                    String::new()
                },
                p.rejected,
                reasons(&p.rejections),
                p.failures
            )?;
        }
        if fill.memory_rejected > 0 {
            let memory: Vec<_> =
                fill.rejected.iter().filter(|r| r.origin.starts_with("memory")).collect();
            let mut by_reason = std::collections::BTreeMap::new();
            for r in &memory {
                *by_reason.entry(r.reason).or_default() += 1;
            }
            writeln!(out, "  memory: {} rejected{}", memory.len(), reasons(&by_reason))?;
        }
        for r in &fill.rejected {
            writeln!(out, "    rejected {} from {}: {}", r.id, r.origin, r.message)?;
        }
    }
    Ok(report_problems(locales))
}

/// ` (number: 2, markup: 1)`, or nothing when there are none.
fn reasons(counts: &std::collections::BTreeMap<diglot_pipeline::Reason, usize>) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts.iter().map(|(reason, n)| format!("{reason}: {n}")).collect();
    format!(" ({})", parts.join(", "))
}

/// Prints, on stderr, each provider failure: an error when it left
/// segments unfilled (returns true then), a warning when the next sources
/// made up for it. A line is printed once per command: a provider switched
/// off stays off for every later locale and pipeline, for the same reason.
fn report_problems(locales: &[LocaleTranslation]) -> bool {
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let mut failed = false;
    for line in locales.iter().filter_map(|l| l.plan.as_ref()).flat_map(|p| &p.problems) {
        failed = true;
        if !seen.contains(line) {
            eprintln!("error: {line}");
            seen.push(line.clone());
        }
    }
    for fill in locales.iter().filter_map(|l| l.fill.as_ref()) {
        for line in fill.errors() {
            failed = true;
            if !seen.contains(&line) {
                eprintln!("error: {line}");
                seen.push(line);
            }
        }
        for line in fill.warnings() {
            if !seen.contains(&line) {
                eprintln!("warning: {line}");
                seen.push(line);
            }
        }
    }
    failed
}

fn eval(
    project: &Project,
    name: Option<&str>,
    locale: &str,
    provider: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut reports = Vec::new();
    for pipeline in pipelines(project, name)? {
        progress(&format!("evaluating on {}…", pipeline.slug()));
        reports.push(
            pipeline
                .eval(locale, provider)
                .with_context(|| format!("evaluating on {}", pipeline.slug()))?,
        );
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &reports {
        writeln!(out, "{}: {} reviewed translations as references", r.locale, r.references)?;
        writeln!(
            out,
            "  {:<16} {:>8} {:>8} {:>9} {:>7}",
            "provider", "BLEU", "chrF2", "segments", "failed"
        )?;
        for e in &r.results {
            writeln!(
                out,
                "  {:<16} {:>8.2} {:>8.2} {:>9} {:>7}",
                e.provider, e.bleu, e.chrf, e.segments, e.failed
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn memory(project: &Project, action: MemoryAction) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match action {
        MemoryAction::Import { file } => {
            for line in project
                .import_tmx(&file)
                .with_context(|| format!("importing {}", file.display()))?
            {
                writeln!(out, "{line}")?;
            }
        }
        MemoryAction::Export { pipeline, locale } => {
            let pipelines = pipelines(project, pipeline.as_deref())?;
            if pipelines.len() > 1 {
                anyhow::bail!(
                    "the project has several pipelines: name the one whose memory to export"
                );
            }
            write!(out, "{}", pipelines[0].export_tmx(&locale)?)?;
        }
        MemoryAction::Search(args) => return memory::search(project, args),
    }
    Ok(ExitCode::SUCCESS)
}

fn segment(lang: Option<&str>, json: bool, file: Option<PathBuf>) -> Result<ExitCode> {
    let text = match file.as_deref() {
        None => std::io::read_to_string(std::io::stdin()).context("reading standard input")?,
        Some(p) if p.as_os_str() == "-" => {
            std::io::read_to_string(std::io::stdin()).context("reading standard input")?
        }
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
    };
    let segmented = diglot_pipeline::segment_text(&text, lang).map_err(anyhow::Error::msg)?;
    let mut out = std::io::stdout().lock();
    if json {
        // JSON escapes control characters itself, but not bidi overrides.
        let text = serde_json::to_string_pretty(&segmented)?;
        writeln!(out, "{}", escape_for_terminal(&text, |c| format!("\\u{:04x}", u32::from(c))))?;
    } else {
        for seg in segmented.segments() {
            let text = diglot_core::inline::plain_text_of_markdown(&seg.text);
            writeln!(out, "{}", escape_for_terminal(&text, |c| c.escape_unicode().to_string()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `text` with each character that acts on a terminal (control characters
/// other than tab and line feed: ESC, BEL, BS, CR, DEL, C1) or reorders what
/// it shows (bidirectional embeddings, overrides, isolates) written as
/// `escape` gives it, so that printing an article cannot drive the terminal.
fn escape_for_terminal(text: &str, escape: impl Fn(char) -> String) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n'))
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.contains(unsafe_char) {
        return text.to_string();
    }
    text.chars().map(|c| if unsafe_char(c) { escape(c) } else { c.to_string() }).collect()
}

fn rel(project: &Project, path: &std::path::Path) -> String {
    path.strip_prefix(project.root()).unwrap_or(path).display().to_string()
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}
