//! `diglot status`: each locale's coverage as a table, or the reports as
//! JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use diglot_core::Severity;
use diglot_pipeline::Project;

use crate::output::{print_diagnostics, shorten};
use crate::pipelines;

pub(crate) fn run(project: &Project, name: Option<&str>, json: bool) -> Result<ExitCode> {
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
