//! `diglot translate` and `diglot eval`: drafts from translation memory and
//! machine translation, and the providers' scores, as text or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use diglot_pipeline::{LocaleTranslation, Project, TranslateOptions};

use crate::output::{print_diagnostics, progress, rel, terminal_progress};
use crate::pipelines;

pub(crate) fn run(
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
pub(crate) fn print_translation(
    out: &mut impl Write,
    locales: &[LocaleTranslation],
) -> Result<bool> {
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

pub(crate) fn eval(
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
