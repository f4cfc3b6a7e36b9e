//! `diglot segment`: a text's sentences, one per line or as JSON, made safe
//! for a terminal.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::output::escape_for_terminal;

pub(crate) fn run(lang: Option<&str>, json: bool, file: Option<PathBuf>) -> Result<ExitCode> {
    if let Some(tag) = lang {
        diglot_pipeline::segmentation_language(tag)?;
    }
    let text = match file.as_deref() {
        None => std::io::read_to_string(std::io::stdin()).context("reading standard input")?,
        Some(p) if p.as_os_str() == "-" => {
            std::io::read_to_string(std::io::stdin()).context("reading standard input")?
        }
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
    };
    let segmented = diglot_pipeline::segment_text(&text, lang)?;
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
