//! `diglot extract`: writes the reference locale file and merges the
//! targets, or with `--check` lists the files out of date.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use diglot_pipeline::Project;

use crate::output::{print_diagnostics, progress, rel};
use crate::pipelines;

pub(crate) fn run(project: &Project, name: Option<&str>, check: bool) -> Result<ExitCode> {
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
