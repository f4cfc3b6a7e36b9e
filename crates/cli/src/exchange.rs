//! `diglot xliff` and `diglot po`: exchange files for translators' CAT tools.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use diglot_pipeline::{ExchangeFormat, Project, XliffVersion};

use crate::output::{print_diagnostics, rel};
use crate::pipelines;

#[derive(Debug, Subcommand)]
pub(crate) enum XliffAction {
    /// Write a target locale as XLIFF, one unit per sentence.
    ///
    /// Units are grouped by the article's blocks; states: no target is `initial`, a stale
    /// translation `initial` with a note, a draft `translated`, a reviewed one `final`.
    /// Link targets and code are inline codes, outside the translatable text.
    Export {
        /// Pipeline name or path; the project's only pipeline when omitted.
        pipeline: Option<String>,
        /// The target locale.
        #[arg(long, value_name = "LOCALE")]
        locale: String,
        /// XLIFF version: 2.0 or 1.2.
        #[arg(long = "version", value_name = "VERSION", default_value = "2.0")]
        xliff_version: String,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Bring translations from an XLIFF file (2.x or 1.2) into the locale file.
    ///
    /// Only units whose source sentence is unchanged since the export are applied; the others
    /// are listed. A `final` (or `reviewed`) unit becomes a reviewed translation, any other
    /// changed one a draft. Nothing is written if the file is malformed.
    Import {
        /// The XLIFF file.
        file: PathBuf,
        /// Pipeline name or path; taken from the file when omitted.
        pipeline: Option<String>,
        /// The target locale; taken from the file when omitted.
        #[arg(long, value_name = "LOCALE")]
        locale: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PoAction {
    /// Write a target locale as a gettext PO file (msgctxt is the message ID).
    ///
    /// Drafts and stale translations are `fuzzy`; a stale one shows its old source as the
    /// previous msgid.
    Export {
        /// Pipeline name or path; the project's only pipeline when omitted.
        pipeline: Option<String>,
        /// The target locale.
        #[arg(long, value_name = "LOCALE")]
        locale: String,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Bring translations from a PO file into the locale file.
    ///
    /// Only entries whose msgid is still the sentence's source are applied; the others are
    /// listed. An entry without `fuzzy` becomes a reviewed translation, a changed fuzzy one a
    /// draft. Nothing is written if the file is malformed.
    Import {
        /// The PO file.
        file: PathBuf,
        /// Pipeline name or path; taken from the file when omitted.
        pipeline: Option<String>,
        /// The target locale; taken from the file when omitted.
        #[arg(long, value_name = "LOCALE")]
        locale: Option<String>,
    },
}

pub(crate) fn xliff(project: &Project, action: XliffAction) -> Result<ExitCode> {
    match action {
        XliffAction::Export { pipeline, locale, xliff_version, output } => {
            let version = XliffVersion::parse(&xliff_version).with_context(|| {
                format!("XLIFF version `{xliff_version}`: diglot writes 2.0 or 1.2")
            })?;
            export(project, pipeline, &locale, ExchangeFormat::Xliff(version), output)
        }
        XliffAction::Import { file, pipeline, locale } => {
            import(project, &file, ExchangeFormat::Xliff(XliffVersion::V2_0), pipeline, locale)
        }
    }
}

pub(crate) fn po(project: &Project, action: PoAction) -> Result<ExitCode> {
    match action {
        PoAction::Export { pipeline, locale, output } => {
            export(project, pipeline, &locale, ExchangeFormat::Po, output)
        }
        PoAction::Import { file, pipeline, locale } => {
            import(project, &file, ExchangeFormat::Po, pipeline, locale)
        }
    }
}

fn export(
    project: &Project,
    pipeline: Option<String>,
    locale: &str,
    format: ExchangeFormat,
    output: Option<PathBuf>,
) -> Result<ExitCode> {
    let pipelines = pipelines(project, pipeline.as_deref())?;
    if pipelines.len() > 1 {
        anyhow::bail!("the project has several pipelines: name the one to export");
    }
    let pipeline = &pipelines[0];
    let exported = pipeline
        .export_exchange(locale, format)
        .with_context(|| format!("exporting {} {locale}", pipeline.slug()))?;
    if print_diagnostics(&exported.diagnostics) {
        eprintln!("{}: locale files have errors; fix them, then export again.", pipeline.slug());
        return Ok(ExitCode::from(1));
    }
    let text = exported.text.unwrap_or_default();
    match output {
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
        Some(path) => {
            let written = diglot_pipeline::save_export(&path, &text)?;
            let verb = if written { "wrote" } else { "unchanged" };
            println!("{verb} {} ({} sentences)", path.display(), exported.units);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import(
    project: &Project,
    file: &Path,
    format: ExchangeFormat,
    pipeline: Option<String>,
    locale: Option<String>,
) -> Result<ExitCode> {
    let outcome = project
        .import_exchange(file, format, pipeline.as_deref(), locale.as_deref())
        .context("import")?;
    if print_diagnostics(&outcome.diagnostics) {
        eprintln!("nothing was written: fix the problems above and import again.");
        return Ok(ExitCode::from(1));
    }
    let mut out = std::io::stdout().lock();
    for s in &outcome.skipped {
        eprintln!("{}:{}: warning[{}]: not imported: {}", file.display(), s.line, s.id, s.reason);
    }
    writeln!(
        out,
        "{} {}: {} reviewed, {} drafts, {} unchanged, {} untranslated, {} not imported",
        outcome.slug,
        outcome.locale,
        outcome.reviewed.len(),
        outcome.drafts.len(),
        outcome.unchanged,
        outcome.untranslated,
        outcome.skipped.len()
    )?;
    match &outcome.written {
        Some(path) => writeln!(out, "wrote {}", rel(project, path))?,
        None => writeln!(out, "no locale file changed")?,
    }
    Ok(ExitCode::SUCCESS)
}
