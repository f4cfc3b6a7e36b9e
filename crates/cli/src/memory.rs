//! `diglot memory`: TMX import and export, and `search`: what the
//! translation memory and the project's drafts offer for a sentence.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use diglot_pipeline::Project;

use crate::args::MemoryAction;

/// `diglot memory import`, `export` and `search`.
pub(crate) fn run(project: &Project, action: MemoryAction) -> Result<ExitCode> {
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
            let pipelines = crate::pipelines(project, pipeline.as_deref())?;
            if pipelines.len() > 1 {
                anyhow::bail!(
                    "the project has several pipelines: name the one whose memory to export"
                );
            }
            write!(out, "{}", pipelines[0].export_tmx(&locale)?)?;
        }
        MemoryAction::Search(args) => return search(project, args),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The sentence to look for, in the source language.
    text: String,
    /// Only this target locale; every target locale of the project's pipelines when omitted.
    #[arg(long, value_name = "LOCALE")]
    locale: Option<String>,
    /// The lowest score shown, in percent.
    #[arg(long, value_name = "PERCENT", default_value_t = 50.0, value_parser = crate::args::percent)]
    min_score: f64,
    /// The most matches shown.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Print the matches as JSON: score (0 to 1), locale, kind (human or machine), origin
    /// (<pipeline>/<message ID>, or tmx:<file>), draft_origin for machine drafts, source, target.
    #[arg(long)]
    json: bool,
}

fn search(project: &Project, args: SearchArgs) -> Result<ExitCode> {
    let hits = project.search_memory(
        &args.text,
        args.locale.as_deref(),
        args.min_score / 100.0,
        args.limit,
    )?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&hits)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        writeln!(out, "no match at or above {}%", args.min_score)?;
    }
    for hit in &hits {
        let kind = match &hit.draft_origin {
            Some(origin) => format!("machine ({origin})"),
            None => hit.kind.to_string(),
        };
        // Floor, so that only an exact match shows 100%.
        let percent = (hit.score * 100.0 + 1e-9).floor();
        writeln!(out, "{percent:>3}%  {}  {kind}  {}", hit.locale, hit.origin)?;
        writeln!(out, "      {}", hit.source)?;
        writeln!(out, "      {}", hit.target)?;
    }
    Ok(ExitCode::SUCCESS)
}
