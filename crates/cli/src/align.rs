//! `diglot align`: an existing human translation fills a target locale
//! file, as drafts to review.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use diglot_pipeline::Project;

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// Pipeline name or path; the project's only pipeline when omitted.
    #[arg(long, value_name = "PIPELINE")]
    pipeline: Option<String>,
    /// The translation's locale, a target locale of the pipeline.
    #[arg(long, value_name = "LOCALE")]
    locale: String,
    /// The translated article: .txt, .md or .html.
    file: PathBuf,
    /// Print what was paired and what was not as JSON.
    #[arg(long)]
    json: bool,
    /// Align a translation whose language reads as another than --locale's.
    #[arg(long)]
    force: bool,
}

pub fn run(project: &Project, args: AlignArgs) -> Result<ExitCode> {
    let pipelines = crate::pipelines(project, args.pipeline.as_deref())?;
    if pipelines.len() > 1 {
        anyhow::bail!("the project has several pipelines: name the article's with --pipeline");
    }
    let pipeline = &pipelines[0];
    let outcome = pipeline
        .align(&args.locale, &args.file, args.force)
        .with_context(|| format!("aligning {} with {}", args.file.display(), pipeline.slug()))?;
    if crate::print_diagnostics(&outcome.diagnostics) {
        eprintln!("locale files have errors; nothing was written");
        return Ok(ExitCode::from(1));
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&outcome)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} sentences aligned and written as drafts (# unreviewed: aligned), {} already translated and kept",
        outcome.written, outcome.kept
    )?;
    for m in &outcome.merged {
        writeln!(out, "one sentence translates several; not written:")?;
        for s in &m.source {
            writeln!(out, "  {s}")?;
        }
        writeln!(out, "  -> {}", m.target.join(" "))?;
    }
    if !outcome.unpaired_source.is_empty() {
        writeln!(out, "not found in the translation:")?;
        for s in &outcome.unpaired_source {
            writeln!(out, "  {s}")?;
        }
    }
    if !outcome.unpaired_target.is_empty() {
        writeln!(out, "in the translation only:")?;
        for s in &outcome.unpaired_target {
            writeln!(out, "  {s}")?;
        }
    }
    for path in &outcome.extract.written {
        writeln!(out, "wrote {}", crate::rel(project, path))?;
    }
    Ok(ExitCode::SUCCESS)
}
