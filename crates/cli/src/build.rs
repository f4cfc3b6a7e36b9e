//! `diglot build`: runs the pipelines (or the site) and prints what each
//! build wrote, its coverage and the gates it failed.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use diglot_core::Severity;
use diglot_pipeline::{BuildOptions, Project};

use crate::output::{print_diagnostics, progress, rel, terminal_progress};
use crate::translate::print_translation;
use crate::{check, lock, pipelines};

/// The options of `build` that decide whether it fails.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gates {
    pub(crate) min_coverage: Option<f64>,
    pub(crate) require_reviewed: bool,
    pub(crate) check: bool,
    pub(crate) write_on_failure: bool,
}

pub(crate) fn run(project: &Project, name: Option<&str>, gates: Gates) -> Result<ExitCode> {
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
        let written = site_outcome.output_written.then_some(site_outcome.files);
        print_output(&mut out, &output, site_outcome.output_withheld, written)?;
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
        let written = outcome.output_written.then_some(outcome.report.outputs.len());
        print_output(out, &output, outcome.output_withheld, written)?;
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

/// What a build did to its output folder: kept it (`withheld`, a failed
/// build), wrote it (`written`: how many files), or found it current.
fn print_output(
    out: &mut impl Write,
    output: &str,
    withheld: bool,
    written: Option<usize>,
) -> std::io::Result<()> {
    if withheld {
        writeln!(
            out,
            "kept {output}/ as it was: the build failed (--write-on-failure publishes it anyway)"
        )
    } else if let Some(files) = written {
        writeln!(out, "wrote {output}/ ({files} files)")
    } else {
        writeln!(out, "unchanged {output}/")
    }
}
