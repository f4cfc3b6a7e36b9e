//! What every command prints alike: paths relative to the project,
//! diagnostics, progress lines on a terminal, text shortened or made safe
//! for a terminal.

use std::io::IsTerminal;

use diglot_core::{Diagnostic, Severity};
use diglot_pipeline::Project;

/// Prints a step on a terminal; stays quiet in pipes and CI logs.
pub(crate) fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{}", dim(message));
    }
}

/// Dimmed text, unless NO_COLOR asks for none (no-color.org).
pub(crate) fn dim(text: &str) -> String {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        text.to_string()
    } else {
        format!("\x1b[2m{text}\x1b[0m")
    }
}

/// A progress line for machine translation, redrawn in place, on a
/// terminal only.
pub(crate) fn terminal_progress() -> Option<diglot_pipeline::Progress> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    Some(std::sync::Arc::new(|provider: &str, done: usize, total: usize| {
        eprint!("\r\x1b[2K{}", dim(&format!("{provider}: {done}/{total} segments")));
        if done == total {
            eprintln!();
        }
    }))
}

pub(crate) fn print_diagnostics(diagnostics: &[Diagnostic]) -> bool {
    // One write: stderr is unbuffered, and a book can have hundreds.
    let text: String = diagnostics.iter().map(|d| format!("{d}\n\n")).collect();
    eprint!("{text}");
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// `text` with each character that acts on a terminal (control characters
/// other than tab and line feed: ESC, BEL, BS, CR, DEL, C1) or reorders what
/// it shows (bidirectional embeddings, overrides, isolates) written as
/// `escape` gives it, so that printing an article cannot drive the terminal.
pub(crate) fn escape_for_terminal(text: &str, escape: impl Fn(char) -> String) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n'))
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.contains(unsafe_char) {
        return text.to_string();
    }
    text.chars().map(|c| if unsafe_char(c) { escape(c) } else { c.to_string() }).collect()
}

pub(crate) fn rel(project: &Project, path: &std::path::Path) -> String {
    path.strip_prefix(project.root()).unwrap_or(path).display().to_string()
}

pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}
