//! `diglot check`: the findings of every target locale file, for a reviewer
//! or a CI job.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use diglot_core::Severity;
use diglot_pipeline::{Finding, Project};

/// Prints the findings of the pipelines (all, or `name`) for `locale` (all
/// targets, or one): as text on stderr with a summary on stdout, or as one
/// JSON array on stdout. Exit 1 when any finding is an error.
pub(crate) fn run(
    project: &Project,
    name: Option<&str>,
    locale: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    let mut findings: Vec<Finding> = Vec::new();
    for pipeline in crate::pipelines(project, name)? {
        findings.extend(
            pipeline.check(locale).with_context(|| format!("checking {}", pipeline.slug()))?,
        );
    }
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.len() - errors;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&findings)?)?;
    } else {
        print(&findings);
        writeln!(out, "{errors} errors, {warnings} warnings")?;
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Each finding on stderr, in the `file:line:col` form editors jump to.
pub(crate) fn print(findings: &[Finding]) {
    for f in findings {
        eprintln!("{f}\n");
    }
}
