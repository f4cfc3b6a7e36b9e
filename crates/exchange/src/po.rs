//! gettext PO files, for Poedit, Lokalize and Weblate.
//!
//! Each sentence is one entry: `msgctxt` is the message ID, `msgid` the
//! source sentence, `msgstr` the translation, all in the Markdown inline
//! syntax of the locale files. Drafts and stale translations are `fuzzy`;
//! a stale one also has the sentence it was made for as the previous
//! `msgid` (`#|`), which Poedit and Lokalize show as a diff. Extracted
//! comments (`#.`) say where the sentence stands and what to check.
//!
//! The reader is small and strict on purpose: it reads what gettext tools
//! write (comments, flags, continued strings, the escapes of C strings) and
//! reports anything else at its line and column. The `polib` crate was
//! considered: its parse errors carry no position, which translators need.

use diglot_core::Diagnostic;

use crate::{Catalog, Imported, ImportedState, ImportedUnit, unit_notes};

/// Writes a catalog as a PO file.
pub fn write(catalog: &Catalog) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {} translation of “{}” ({} source), exported by diglot.\n",
        catalog.target_locale, catalog.slug, catalog.source_locale
    ));
    out.push_str("# Translate each msgstr; keep msgctxt, the message ID. Clear the fuzzy flag\n");
    out.push_str("# of a translation you have reviewed. Import with `diglot po import FILE`.\n");
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for header in [
        format!("Project-Id-Version: {}", catalog.slug),
        format!("Language: {}", catalog.target_locale.to_string().replace('-', "_")),
        // Filled in by the translator's tool; present so `msgfmt --check`
        // finds a complete header.
        "PO-Revision-Date: ".to_string(),
        "Last-Translator: ".to_string(),
        "Language-Team: ".to_string(),
        "MIME-Version: 1.0".to_string(),
        "Content-Type: text/plain; charset=UTF-8".to_string(),
        "Content-Transfer-Encoding: 8bit".to_string(),
        format!("X-Diglot-Article: {}", catalog.slug),
        format!("X-Diglot-Source-Language: {}", catalog.source_locale),
    ] {
        out.push_str(&format!("\"{}\\n\"\n", escape(&header)));
    }
    for unit in catalog.units() {
        out.push('\n');
        out.push_str(&format!("#. {}\n", unit.location));
        for (_, note) in unit_notes(unit) {
            out.push_str(&format!("#. {note}\n"));
        }
        out.push_str(&format!("#: {}\n", catalog.file));
        let fuzzy = unit
            .translation
            .as_ref()
            .is_some_and(|t| !matches!(t.state, diglot_core::TranslationState::Reviewed));
        if fuzzy {
            out.push_str("#, fuzzy\n");
        }
        if let Some(diglot_core::TranslationState::Stale { previous_source }) =
            unit.translation.as_ref().map(|t| &t.state)
        {
            push_string(&mut out, "#| msgid", previous_source);
        }
        push_string(&mut out, "msgctxt", unit.id.as_str());
        push_string(&mut out, "msgid", &unit.source);
        let target = unit.translation.as_ref().map_or("", |t| t.text.as_str());
        push_string(&mut out, "msgstr", target);
    }
    out
}

/// `keyword "text"`, or, for text with line breaks, `keyword ""` followed
/// by one line per line of the text, as gettext writes them.
fn push_string(out: &mut String, keyword: &str, text: &str) {
    let prefix = if keyword.starts_with("#|") { "#| " } else { "" };
    if !text.contains('\n') || text.trim_end_matches('\n').is_empty() {
        out.push_str(&format!("{keyword} \"{}\"\n", escape(text)));
        return;
    }
    out.push_str(&format!("{keyword} \"\"\n"));
    for line in text.split_inclusive('\n') {
        out.push_str(&format!("{prefix}\"{}\"\n", escape(line)));
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// One entry as read, before it becomes an [`ImportedUnit`].
#[derive(Debug, Default)]
struct Entry {
    line: usize,
    fuzzy: bool,
    msgctxt: Option<String>,
    msgid: Option<String>,
    msgstr: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Msgctxt,
    Msgid,
    Msgstr,
}

/// Reads a PO file written by diglot and edited in a translator's tool.
/// `file` names it in the error.
pub fn read(file: &str, text: &str) -> Result<Imported, Box<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut imported = Imported::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut entry = Entry::default();
    let mut field: Option<Field> = None;
    let mut offset = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = n + 1;
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let err = |col: usize, message: String, help: &str| {
            Box::new(Diagnostic::error_at(file, text, line_start + col, message).with_help(help))
        };
        if trimmed.is_empty() {
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            // A comment after a complete entry starts the next one.
            if entry.msgstr.is_some() {
                entries.push(std::mem::take(&mut entry));
                field = None;
            }
            if entry.line == 0 {
                entry.line = line_no;
            }
            if let Some(flags) = comment.strip_prefix(',') {
                if flags.split(',').any(|f| f.trim() == "fuzzy") {
                    entry.fuzzy = true;
                }
            }
            // `#~` marks an obsolete entry: gettext tools keep them, diglot
            // does not need them. Other comments are for people.
            continue;
        }
        if trimmed.starts_with('"') {
            let Some(f) = field else {
                return Err(err(
                    indent,
                    "a string continues nothing: it must follow msgctxt, msgid or msgstr".into(),
                    "remove the line, or put the keyword it belongs to before it",
                ));
            };
            let value = string(trimmed).map_err(|(col, m)| err(indent + col, m, STRING_HELP))?;
            let slot = match f {
                Field::Msgctxt => &mut entry.msgctxt,
                Field::Msgid => &mut entry.msgid,
                Field::Msgstr => &mut entry.msgstr,
            };
            slot.get_or_insert_with(String::new).push_str(&value);
            continue;
        }
        let (keyword, rest) =
            trimmed.split_at(trimmed.find(|c: char| c.is_whitespace()).unwrap_or(trimmed.len()));
        let f = match keyword {
            "msgctxt" => Field::Msgctxt,
            "msgid" => Field::Msgid,
            "msgstr" => Field::Msgstr,
            "msgid_plural" => {
                return Err(err(
                    indent,
                    "plural forms (msgid_plural) are not used by diglot's sentences".into(),
                    "remove this entry: it was not exported by diglot",
                ));
            }
            k if k.starts_with("msgstr[") => {
                return Err(err(
                    indent,
                    "plural forms (msgstr[n]) are not used by diglot's sentences".into(),
                    "write the translation as `msgstr \"…\"`",
                ));
            }
            _ => {
                return Err(err(
                    indent,
                    format!("`{keyword}` is not a PO keyword"),
                    "lines are comments (#), msgctxt, msgid, msgstr or continued \"strings\"",
                ));
            }
        };
        let starts_new = match f {
            Field::Msgctxt => entry.msgctxt.is_some() || entry.msgid.is_some(),
            Field::Msgid => entry.msgid.is_some(),
            Field::Msgstr => entry.msgstr.is_some(),
        };
        if starts_new && entry.msgstr.is_some() {
            entries.push(std::mem::take(&mut entry));
        } else if starts_new {
            return Err(err(
                indent,
                format!("a second `{keyword}` in one entry"),
                "each entry is msgctxt, msgid and msgstr, once each, separated by a blank line",
            ));
        }
        if f == Field::Msgstr && entry.msgid.is_none() {
            return Err(err(
                indent,
                "msgstr without a msgid before it".into(),
                "restore the entry's msgid line",
            ));
        }
        if entry.line == 0 {
            entry.line = line_no;
        }
        let rest_trimmed = rest.trim_start();
        let col = indent + keyword.len() + (rest.len() - rest_trimmed.len());
        if !rest_trimmed.starts_with('"') {
            return Err(err(
                col,
                format!("`{keyword}` must be followed by a \"string\""),
                STRING_HELP,
            ));
        }
        let value = string(rest_trimmed).map_err(|(c, m)| err(col + c, m, STRING_HELP))?;
        match f {
            Field::Msgctxt => entry.msgctxt = Some(value),
            Field::Msgid => entry.msgid = Some(value),
            Field::Msgstr => entry.msgstr = Some(value),
        }
        field = Some(f);
    }
    if entry.msgid.is_some() || entry.msgstr.is_some() {
        if entry.msgstr.is_none() {
            let d = Diagnostic::error_at(file, text, text.len(), "the last entry has no msgstr");
            return Err(Box::new(d.with_help("add `msgstr \"\"` after its msgid")));
        }
        entries.push(entry);
    }

    for e in entries {
        let msgid = e.msgid.unwrap_or_default();
        match e.msgctxt {
            None if msgid.is_empty() => read_header(&e.msgstr.unwrap_or_default(), &mut imported),
            None => {
                let offset = line_offset(text, e.line);
                return Err(Box::new(Diagnostic::error_at(
                    file,
                    text,
                    offset,
                    "this entry has no msgctxt, so diglot cannot tell which message it translates",
                )
                .with_help("diglot's PO files name each message in msgctxt: export the file again, or remove this entry")));
            }
            Some(id) => {
                let target = e.msgstr.filter(|s| !s.is_empty());
                let state = match (&target, e.fuzzy) {
                    (None, _) => ImportedState::Initial,
                    (Some(_), true) => ImportedState::Translated,
                    (Some(_), false) => ImportedState::Final,
                };
                imported.units.push(ImportedUnit {
                    id,
                    line: e.line,
                    source: msgid,
                    target,
                    state,
                });
            }
        }
    }
    Ok(imported)
}

const STRING_HELP: &str = "PO strings are in double quotes, with \\\" for a quote, \\\\ for a backslash and \\n for a line break";

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum()
}

/// The header entry's fields that diglot uses.
fn read_header(header: &str, imported: &mut Imported) {
    for line in header.lines() {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim().to_string();
        match name.trim() {
            "Language" if !value.is_empty() => {
                imported.target_locale = Some(value.replace('_', "-"))
            }
            "X-Diglot-Article" => imported.slug = Some(value),
            "X-Diglot-Source-Language" => imported.source_locale = Some(value),
            _ => {}
        }
    }
}

/// Reads a C string literal at the start of `s` (which starts with `"`):
/// its value, or the column (from 0, in bytes) of the problem.
fn string(s: &str) -> Result<String, (usize, String)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let after = &s[i + 1..];
                let rest = after.trim();
                if !rest.is_empty() {
                    let col = i + 1 + after.len() - after.trim_start().len();
                    return Err((col, format!("unexpected `{rest}` after the closing quote")));
                }
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'a')) => out.push('\u{7}'),
                Some((_, 'b')) => out.push('\u{8}'),
                Some((_, 'f')) => out.push('\u{c}'),
                Some((_, 'v')) => out.push('\u{b}'),
                Some((j, other)) => return Err((j - 1, format!("unknown escape `\\{other}`"))),
                None => return Err((i, "the string ends with a lone backslash".into())),
            },
            c => out.push(c),
        }
    }
    Err((0, "the string has no closing quote".into()))
}
