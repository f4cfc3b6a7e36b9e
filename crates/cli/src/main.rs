//! `diglot`: the command line. Parses arguments, calls `diglot-pipeline`,
//! prints results and maps outcomes to exit codes: 0 ok, 1 a check failed
//! (a coverage gate, a malformed locale file), 2 usage or I/O error. A
//! closed pipe on stdout counts as success, as in ripgrep.
//!
//! `args.rs` defines the arguments, `output.rs` what every command prints
//! alike; each command's work and printing lives in its own module.

mod align;
mod args;
mod build;
mod check;
mod docs;
mod exchange;
mod extract;
mod memory;
mod output;
mod scaffold;
mod segment;
mod serve;
mod status;
mod translate;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use diglot_pipeline::{Pipeline, Project, TranslateOptions};

use args::{Cli, Command, MemoryAction};
// Command modules reach these as `crate::print_diagnostics`, `crate::rel`.
use output::{print_diagnostics, rel};

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

fn run(cli: Cli) -> Result<ExitCode> {
    let command = match cli.command {
        Command::Segment { lang, json, file } => return segment::run(lang.as_deref(), json, file),
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
            let gates = build::Gates { min_coverage, require_reviewed, check, write_on_failure };
            build::run(&project, pipeline.as_deref(), gates)
        }
        Command::Translate { pipeline, locales, dry_run, replace_stale, json } => {
            let options =
                TranslateOptions { locales, dry_run, replace_stale, ..Default::default() };
            translate::run(&project, pipeline.as_deref(), options, json)
        }
        Command::Eval { pipeline, locale, provider, json } => {
            translate::eval(&project, pipeline.as_deref(), &locale, provider.as_deref(), json)
        }
        Command::Memory { action } => memory::run(&project, action),
        Command::Align(args) => align::run(&project, args),
        Command::Extract { pipeline, check } => extract::run(&project, pipeline.as_deref(), check),
        Command::Status { pipeline, json } => status::run(&project, pipeline.as_deref(), json),
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
