//! Reading a locale file into what diglot needs from it, keeping everything
//! a translator wrote.

use std::collections::HashMap;
use std::ops::Range;

use diglot_core::{Diagnostic, LineIndex, Locale, SegmentId, Translation, TranslationState};
use fluent_syntax::ast::{self, Entry};
use fluent_syntax::parser::{self, ErrorKind, ParserError};

use crate::marks::{self, CHECK_PREFIX, STALE_PREFIX, UNREVIEWED_PREFIX};
use crate::text::text_from_pattern;

/// A parsed locale file (reference or target) of one article.
#[derive(Debug, Clone, Default)]
pub struct LocaleFile {
    /// Messages in file order.
    pub messages: Vec<FileMessage>,
    /// Entries diglot did not write (a translator's standalone comments,
    /// terms), each anchored to the message that followed it so it can be
    /// put back in the same place.
    pub(crate) kept: Vec<Kept>,
    /// The lines of diglot's header (`### diglot: …`) as read, with
    /// whatever a translator added to them.
    pub(crate) header: Vec<String>,
    /// diglot's group comments (`## Paragraph 2`) as read.
    pub(crate) groups: Vec<Group>,
    /// The notes a translator wrote in placeholders of untranslated
    /// sentences (`# id =`), by message ID.
    pub(crate) placeholders: Vec<(String, Vec<String>)>,
    /// Whether the file had syntax errors (its junk is dropped from
    /// [`LocaleFile::messages`] but reported).
    pub has_errors: bool,
    /// How the file was saved, so a rewrite saves it the same way.
    pub(crate) encoding: Encoding,
}

/// The line endings a file uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum LineEnding {
    #[default]
    Lf,
    CrLf,
    Cr,
}

/// How a locale file was saved: its dominant line ending and whether it
/// started with a UTF-8 byte order mark. diglot reads every convention
/// (editors show a lone CR as a line break, Fluent does not) and writes a
/// file back the way it found it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Encoding {
    pub line_ending: LineEnding,
    pub bom: bool,
}

impl Encoding {
    /// The convention of `source`, and its text with LF line breaks and no
    /// byte order mark: what the Fluent parser reads, and what diagnostics
    /// point into (line numbers are those an editor shows).
    pub fn detect(source: &str) -> (Encoding, std::borrow::Cow<'_, str>) {
        let (bom, text) = match source.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, source),
        };
        let bytes = text.as_bytes();
        let (mut lf, mut crlf, mut cr) = (0usize, 0usize, 0usize);
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' if i > 0 && bytes[i - 1] == b'\r' => crlf += 1,
                b'\n' => lf += 1,
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => cr += 1,
                _ => {}
            }
        }
        // Ties go to LF, the Fluent convention.
        let line_ending = if crlf > lf && crlf >= cr {
            LineEnding::CrLf
        } else if cr > lf && cr > crlf {
            LineEnding::Cr
        } else {
            LineEnding::Lf
        };
        let text = if crlf + cr == 0 {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
        };
        (Encoding { line_ending, bom }, text)
    }

    /// `text` (LF line breaks) saved in this convention.
    pub(crate) fn apply(self, text: String) -> String {
        let text = match self.line_ending {
            LineEnding::Lf => text,
            LineEnding::CrLf => text.replace('\n', "\r\n"),
            LineEnding::Cr => text.replace('\n', "\r"),
        };
        if self.bom { format!("\u{feff}{text}") } else { text }
    }
}

/// An entry to carry over verbatim, before the message `anchor` (or at the
/// end of the file when the anchor is gone).
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    pub anchor: Option<String>,
    pub entry: Entry<String>,
}

/// A group comment diglot wrote, before the message `anchor` (the first of
/// its section; none when no message followed it). A translator's notes on it
/// go with that message's section.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub anchor: Option<String>,
    pub lines: Vec<String>,
    /// The messages of its section, in file order (the anchor first).
    pub messages: Vec<String>,
}

/// One message of a locale file.
#[derive(Debug, Clone)]
pub struct FileMessage {
    pub id: String,
    /// The value's text, when it is plain text (see [`crate::text`]).
    pub text: Option<String>,
    /// The source text the file records for this message (`# en-US: ...`).
    pub source: Option<String>,
    pub state: TranslationState,
    /// The translator's own comment lines, in order.
    pub notes: Vec<String>,
    /// Whether the message stood in the obsolete section.
    pub obsolete: bool,
    /// A draft offered for a stale translation (`# suggestion (origin):
    /// text`), as (origin, text): never a translation until accepted.
    pub suggestion: Option<(String, String)>,
    /// The origin of a draft whose sentence changed (`# unreviewed:` below
    /// the stale line): it stays a draft until a translator deletes that line.
    pub(crate) stale_draft: Option<String>,
    /// The message as parsed, so a value with markup Fluent allows but diglot
    /// does not read (a placeable, attributes) is still written back intact.
    pub(crate) ast: ast::Message<String>,
}

impl FileMessage {
    /// The origin of the draft this message holds, stale or not: `None` for
    /// a translator's own translation.
    pub(crate) fn draft_origin(&self) -> Option<&str> {
        match &self.state {
            TranslationState::Unreviewed { origin, .. } => Some(origin),
            TranslationState::Stale { .. } => self.stale_draft.as_deref(),
            TranslationState::Reviewed => None,
        }
    }

    /// The translation this message holds, if its value is usable.
    pub fn translation(&self) -> Option<Translation> {
        let text = self.text.clone()?;
        Some(Translation { text, state: self.state.clone() })
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes of a file read to locate its diagnostics (line index, message
    /// definitions), summed over this thread's parses: what a test counts
    /// to tell linear work from quadratic.
    pub(crate) static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `bytes` read to locate diagnostics (tests only).
#[cfg_attr(not(test), allow(unused_variables))]
fn scanned(bytes: usize) {
    #[cfg(test)]
    SCANNED.with(|s| s.set(s.get() + bytes));
}

/// Parses a locale file. `file` names it in diagnostics; `source_locale`
/// tells which comment lines record the source text.
pub fn parse_file(
    file: &str,
    source: &str,
    source_locale: &Locale,
) -> (LocaleFile, Vec<Diagnostic>) {
    // The source locale's prefix, and the one the header names when the
    // article's language changed since the file was written.
    let mut source_prefixes = [Some(marks::source_prefix(source_locale)), None];
    let (encoding, source) = Encoding::detect(source);
    let source = source.as_ref();
    let escapes = unreadable_escapes(source);
    if !escapes.is_empty() {
        let diagnostics = escape_errors(file, &Locator::new(source), &escapes);
        return (LocaleFile { has_errors: true, encoding, ..LocaleFile::default() }, diagnostics);
    }
    let (resource, errors) = match parser::parse(source.to_string()) {
        Ok(resource) => (resource, Vec::new()),
        Err((resource, errors)) => (resource, errors),
    };
    let locator = Locator::new(source);
    let mut diagnostics: Vec<Diagnostic> =
        errors.iter().map(|e| parse_error(file, &locator, e)).collect();
    let mut out = LocaleFile { has_errors: !errors.is_empty(), encoding, ..LocaleFile::default() };
    let mut pending: Vec<Entry<String>> = Vec::new();
    let mut pending_groups: Vec<Vec<String>> = Vec::new();
    // The groups whose section the next messages belong to.
    let mut open_groups = 0..0;
    let mut in_obsolete = false;
    let mut seen = std::collections::HashSet::new();
    for entry in resource.body {
        match entry {
            Entry::Message(mut msg) => {
                let id = msg.id.name.clone();
                out.placeholders.extend(split_placeholder(&mut msg, &source_prefixes));
                for entry in pending.drain(..) {
                    out.kept.push(Kept { anchor: Some(id.clone()), entry });
                }
                if pending_groups.is_empty() {
                    for group in &mut out.groups[open_groups.clone()] {
                        group.messages.push(id.clone());
                    }
                } else {
                    let start = out.groups.len();
                    for lines in pending_groups.drain(..) {
                        let messages = vec![id.clone()];
                        out.groups.push(Group { anchor: Some(id.clone()), lines, messages });
                    }
                    open_groups = start..out.groups.len();
                }
                if !seen.insert(id.clone()) {
                    let offset = locator.definition(&id, 2);
                    diagnostics.push(
                        Diagnostic::error_in(
                            file,
                            &locator.index,
                            offset,
                            format!("message `{id}` is defined twice"),
                        )
                        .with_message_id(&id)
                        .with_help("keep one of the two definitions; diglot reads the first"),
                    );
                    continue;
                }
                out.messages.push(read_message(
                    file,
                    &locator,
                    &source_prefixes,
                    msg,
                    in_obsolete,
                    &mut diagnostics,
                ));
            }
            Entry::GroupComment(ref c) => {
                let first = c.content.first().map(String::as_str).unwrap_or("");
                if marks::is_group(first) {
                    in_obsolete = marks::is_obsolete_group(first);
                    pending_groups.push(c.content.clone());
                    open_groups = 0..0;
                } else {
                    pending.push(entry);
                }
            }
            Entry::ResourceComment(ref c) => {
                let first = c.content.first().map(String::as_str).unwrap_or("");
                if marks::is_header(first) {
                    let current = source_prefixes[0].as_deref().unwrap_or_default();
                    source_prefixes[1] = marks::earlier_source_prefix(first, current);
                    out.header.extend(c.content.iter().cloned());
                } else {
                    pending.push(entry);
                }
            }
            Entry::Comment(ref c) => match marks::read_placeholder(&c.content, &source_prefixes) {
                Some(placeholder) => out.placeholders.push(placeholder),
                None => pending.push(entry),
            },
            Entry::Term(_) => pending.push(entry),
            Entry::Junk { .. } => {}
        }
    }
    for entry in pending {
        out.kept.push(Kept { anchor: None, entry });
    }
    for lines in pending_groups {
        out.groups.push(Group { anchor: None, lines, messages: Vec::new() });
    }
    (out, diagnostics)
}

/// Takes off a message's comment the placeholder (`# en-US: …`, `# id =`)
/// of another sentence that a translator typed this message right below,
/// with no blank line between: it is not this message's comment.
fn split_placeholder(
    msg: &mut ast::Message<String>,
    source_prefixes: &[Option<String>; 2],
) -> Option<(String, Vec<String>)> {
    let comment = msg.comment.as_mut()?;
    let end = comment.content.iter().rposition(|line| {
        line.trim_end().strip_suffix('=').is_some_and(|other| {
            let other = other.trim_end();
            other != msg.id.name && SegmentId::parse(other).is_some()
        })
    })?;
    let placeholder = marks::read_placeholder(&comment.content[..=end], source_prefixes)?;
    comment.content.drain(..=end);
    if comment.content.is_empty() {
        msg.comment = None;
    }
    Some(placeholder)
}

fn read_message(
    file: &str,
    locator: &Locator,
    source_prefixes: &[Option<String>; 2],
    msg: ast::Message<String>,
    obsolete: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> FileMessage {
    let id = msg.id.name.clone();
    let mut notes = Vec::new();
    let mut source_text = None;
    let mut stale = None;
    let mut unreviewed = None;
    let mut checks = Vec::new();
    let mut suggestion = None;
    let mut accepted = None;
    for line in msg.comment.iter().flat_map(|c| c.content.iter()) {
        let source_line =
            source_prefixes.iter().flatten().find_map(|p| line.strip_prefix(p.as_str()));
        if marks::is_glossary_line(line) {
            // Rewritten from the glossary on every merge.
        } else if let Some(offer) = marks::read_suggestion(line) {
            suggestion = Some(offer);
        } else if let Some(text) = marks::read_accepted(line) {
            accepted = Some(text);
        } else if let Some(rest) = source_line {
            source_text = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix(STALE_PREFIX) {
            stale = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix(UNREVIEWED_PREFIX) {
            unreviewed = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix(CHECK_PREFIX) {
            checks.push(rest.trim().to_string());
        } else {
            notes.push(line.clone());
        }
    }
    // A stale draft is both: stale until its sentence is reviewed, a draft
    // until its `unreviewed:` line is deleted. Checks belong to a current
    // draft: once a translator accepts it (deletes the `unreviewed:` line),
    // they go too.
    let mut stale_draft = None;
    let mut state = match (stale, unreviewed) {
        (Some(previous_source), draft) => {
            stale_draft = draft;
            TranslationState::Stale { previous_source }
        }
        (None, Some(origin)) => TranslationState::Unreviewed { origin, checks },
        (None, None) => TranslationState::Reviewed,
    };
    let mut msg = msg;
    // An accepted suggestion is the translation, the translator's own:
    // reviewed, and no longer stale.
    if let Some(text) = accepted {
        msg.value = Some(crate::text::pattern_from_text(&text));
        state = TranslationState::Reviewed;
        stale_draft = None;
        suggestion = None;
    }
    let text = match &msg.value {
        None => {
            let offset = locator.definition(&id, 1);
            diagnostics.push(
                Diagnostic::error_in(
                    file,
                    &locator.index,
                    offset,
                    format!("message `{id}` has no value"),
                )
                .with_message_id(&id)
                .with_help("write the translation after `=` on the same line"),
            );
            None
        }
        Some(pattern) => match text_from_pattern(pattern) {
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) => Some(text),
            Err(e) => {
                let offset = locator.definition(&id, 1);
                let col_offset = locator.source[offset..]
                    .lines()
                    .next()
                    .and_then(|l| l.find('{'))
                    .map_or(offset, |i| offset + i);
                diagnostics.push(
                    Diagnostic::error_in(
                        file,
                        &locator.index,
                        col_offset,
                        format!("placeable `{}` in a sentence message", e.placeable),
                    )
                    .with_message_id(&id)
                    .with_help("article messages are plain text: remove the placeable, or write a literal brace as {\"{\"}"),
                );
                None
            }
        },
    };
    FileMessage {
        id,
        text,
        source: source_text,
        state,
        notes,
        obsolete,
        suggestion,
        stale_draft,
        ast: msg,
    }
}

/// Where things are in a locale file: its line index and the lines that
/// define each message, both built in one pass however many diagnostics
/// the file has.
pub(crate) struct Locator<'a> {
    pub source: &'a str,
    pub index: LineIndex,
    /// Byte offsets of the lines that start `id =`, by ID, in file order.
    definitions: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Locator<'a> {
    pub fn new(source: &'a str) -> Locator<'a> {
        scanned(source.len());
        let mut definitions: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut offset = 0;
        for line in source.split_inclusive('\n') {
            let id_len = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(line.len());
            if id_len > 0 && line[id_len..].trim_start().starts_with('=') {
                definitions.entry(&line[..id_len]).or_default().push(offset);
            }
            offset += line.len();
        }
        Locator { source, index: LineIndex::new(source), definitions }
    }

    /// The byte offset of the `nth` (1-based) line that defines message
    /// `id`, or the start of the file.
    pub fn definition(&self, id: &str, nth: usize) -> usize {
        self.definitions.get(id).and_then(|d| d.get(nth - 1)).copied().unwrap_or(0)
    }
}

/// The identifier a broken FTL entry starts with: the message it was meant to
/// define, when it is a message (not a comment or a term).
fn entry_id(fragment: &str) -> Option<String> {
    let fragment = fragment.trim_start_matches(['\n', '\r']);
    let id: String = fragment
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    id.starts_with(|c: char| c.is_ascii_alphabetic()).then_some(id)
}

/// The diagnostics of [`unreadable_escapes`]: each at the character after
/// the digits.
pub(crate) fn escape_errors(
    file: &str,
    locator: &Locator,
    escapes: &[Range<usize>],
) -> Vec<Diagnostic> {
    let source = locator.source;
    escapes
        .iter()
        .map(|at| {
            let start = source[..at.start].rfind('\\').unwrap_or(at.start);
            let written = &source[start..at.end];
            Diagnostic::error_in(
                file,
                &locator.index,
                at.start,
                format!(
                    "`{written}`: Fluent reads `\\u` with 4 hex digits and `\\U` with 6, and diglot cannot read this file until it is fixed"
                ),
            )
            .with_help(
                "write the character itself, or a whole escape such as `\\u00F3`; a backslash meant as text before `u` is written `{\"\\\\\"}`",
            )
        })
        .collect()
}

/// The escapes of `source` that fluent-syntax 0.12 cannot read, as the byte
/// ranges of the characters after them: a `\u` with fewer than 4 hex digits
/// or a `\U` with fewer than 6, followed by a character of more than one
/// byte. In a string literal the parser cuts its error's text one byte after
/// the digits, inside that character, and panics; whether it reads one as an
/// escape depends on paths it may try and abandon, so a file with one is not
/// parsed at all: each is an error at its place ([`escape_errors`]), and the
/// file, having errors, is never rewritten.
pub(crate) fn unreadable_escapes(source: &str) -> Vec<Range<usize>> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(n) = bytes[at..].iter().position(|b| *b == b'\\') {
        let start = at + n;
        at = start + 1;
        let needed = match bytes.get(start + 1) {
            Some(b'u') => 4,
            Some(b'U') => 6,
            _ => continue,
        };
        let digits = bytes[start + 2..].iter().take(needed).take_while(|b| b.is_ascii_hexdigit());
        let end = start + 2 + digits.count();
        if end - start - 2 < needed
            && let Some(c) = source.get(end..).and_then(|rest| rest.chars().next())
            && c.len_utf8() > 1
        {
            found.push(end..end + c.len_utf8());
        }
    }
    found
}

/// A syntax error as a diagnostic at the place a translator can fix it.
pub(crate) fn parse_error(file: &str, locator: &Locator, error: &ParserError) -> Diagnostic {
    let (source, index) = (locator.source, &locator.index);
    // The parser notices a missing `}` or `"` only on the next line; point at
    // the end of the line where the entry went wrong instead.
    let mut offset = error.pos.start.min(source.len());
    let floor = error.slice.as_ref().map_or(0, |s| s.start);
    if let Some(before) = source.get(floor.min(offset)..offset) {
        let kept = before.trim_end().len();
        if before[kept..].contains('\n') {
            offset = floor.min(offset) + kept;
        }
    }
    let mut diag = Diagnostic::error_in(file, index, offset, error.kind.to_string());
    if let Some(slice) = &error.slice {
        let entry = source.get(slice.start..slice.end.min(source.len())).unwrap_or_default();
        if let Some(id) = entry_id(entry) {
            diag = diag.with_message_id(id);
        }
    }
    let help = match &error.kind {
        ErrorKind::ExpectedToken('=') => {
            "a message is `id = text`: check the ID and the `=`".to_string()
        }
        ErrorKind::ExpectedToken('}') => {
            "a `{` opens a placeable: write a literal brace as {\"{\"}, or close the placeable with `}`"
                .to_string()
        }
        ErrorKind::ExpectedToken(c) => format!("insert `{c}` here"),
        ErrorKind::UnbalancedClosingBrace => "write a literal `}` as {\"}\"}".to_string(),
        ErrorKind::ExpectedInlineExpression => "write a literal `{` as {\"{\"}".to_string(),
        ErrorKind::ExpectedMessageField { .. } => "write the translation after `=`".to_string(),
        ErrorKind::UnterminatedStringLiteral => "close the string with `\"`".to_string(),
        ErrorKind::InvalidUnicodeEscapeSequence(_) => {
            "`\\u` takes 4 hex digits and `\\U` 6 (`\\u00F3` is ó); or write the character itself"
                .to_string()
        }
        _ => "see the Fluent syntax guide: https://projectfluent.org/fluent/guide/".to_string(),
    };
    diag.with_help(help)
}
