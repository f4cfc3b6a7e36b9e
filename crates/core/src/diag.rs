use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A problem found in content (a locale file, a source article), located
/// precisely enough for a translator to jump to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the user named it (relative to the project).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// The message the problem concerns, when there is one.
    pub message_id: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The source line the position points into, for display.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error at a byte offset of `source`.
    pub fn error_at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> Self {
        Diagnostic::error_in(file, &LineIndex::new(source), offset, message)
    }

    /// An error at a byte offset of the text `index` was built from. A
    /// parser that reports many problems in one file builds the index once
    /// and locates each with it, so the work stays linear.
    pub fn error_in(
        file: &str,
        index: &LineIndex,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = index.line_col(offset);
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            col,
            message_id: None,
            message: message.into(),
            help: None,
            source_line: index.line_text(&index.text, line).map(str::to_string),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_message_id(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

/// `file:line:col: error[message-id]: message`, then the help on its own line.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}:{}:{}: {sev}", self.file, self.line, self.col)?;
        if let Some(id) = &self.message_id {
            write!(f, "[{id}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{} | {src}\n{:gutter$} | {:>col$}",
                "",
                self.line,
                "",
                "^",
                col = self.col
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Maps byte offsets to 1-based line and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    text: String,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, text: source.to_string() }
    }

    /// 1-based (line, column) of a byte offset; offsets past the end point
    /// just after the last character.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line without its line ending.
    pub fn line_text<'a>(&self, source: &'a str, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(source.len(), |&e| e - 1);
        source.get(start..end).map(|l| l.trim_end_matches('\r'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "a = b\nñé = {\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(6), (2, 1));
        // "ñé = {": the brace is the 6th character, at byte 7 of the line.
        assert_eq!(idx.line_col(6 + 7), (2, 6));
        assert_eq!(idx.line_text(src, 2), Some("ñé = {"));
    }

    #[test]
    fn display_is_file_line_col() {
        let d =
            Diagnostic::error_at("locales/es-ES/a.ftl", "a = b\nc = {\n", 10, "unbalanced brace")
                .with_help("close it with `}`");
        let shown = d.to_string();
        assert!(shown.starts_with("locales/es-ES/a.ftl:2:5: error: unbalanced brace"), "{shown}");
        assert!(shown.contains("help: close it"));
    }
}
