//! Front matter: a YAML block between `---` lines or a TOML block between
//! `+++` lines, only at the very start of a file. A `---` line anywhere else
//! is Markdown (a thematic break or a setext underline).
//!
//! Only what diglot needs is read: each top-level key, and the value of
//! those whose value is a single-line string or scalar, with its byte range,
//! so a translation can replace that value and nothing else.

use diglot_core::{Field, FrontMatter, FrontMatterSyntax};

/// The front matter at the start of `source`, if there is one.
pub(crate) fn find(source: &str) -> Option<FrontMatter> {
    let (syntax, delimiter) = if source.starts_with("---") {
        (FrontMatterSyntax::Yaml, "---")
    } else if source.starts_with("+++") {
        (FrontMatterSyntax::Toml, "+++")
    } else {
        return None;
    };
    let mut lines = Lines { source, pos: 0 };
    let (first, _) = lines.next()?;
    if first.trim_end() != delimiter {
        return None;
    }
    let newline = if source[..lines.pos].ends_with("\r\n") { "\r\n" } else { "\n" };
    let mut entries: Vec<(usize, &str)> = Vec::new();
    while let Some((line, start)) = lines.next() {
        let trimmed = line.trim_end();
        let closes =
            trimmed == delimiter || (syntax == FrontMatterSyntax::Yaml && trimmed == "...");
        if closes {
            let mut fm = FrontMatter {
                syntax,
                range: 0..lines.pos,
                insert_at: start,
                newline: newline.to_string(),
                fields: Vec::new(),
                keys: Vec::new(),
            };
            // TOML keys after a `[table]` header belong to that table.
            if let Some(&(table, _)) = entries
                .iter()
                .find(|(_, l)| syntax == FrontMatterSyntax::Toml && l.starts_with('['))
            {
                fm.insert_at = table;
            }
            read_entries(&entries, &mut fm);
            return Some(fm);
        }
        entries.push((start, line));
    }
    None
}

/// Lines with their start offsets; each line without its line ending.
struct Lines<'a> {
    source: &'a str,
    pos: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<(&'a str, usize)> {
        if self.pos >= self.source.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.source[start..];
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        self.pos = start + end;
        let line = rest[..end].trim_end_matches('\n').trim_end_matches('\r');
        Some((line, start))
    }
}

fn read_entries(lines: &[(usize, &str)], fm: &mut FrontMatter) {
    let mut in_toml_table = false;
    for (i, &(start, line)) in lines.iter().enumerate() {
        if line.is_empty() || line.starts_with([' ', '\t', '#']) {
            continue;
        }
        let parsed = match fm.syntax {
            FrontMatterSyntax::Yaml => yaml_entry(line),
            FrontMatterSyntax::Toml => {
                if line.starts_with('[') {
                    in_toml_table = true;
                }
                if in_toml_table { None } else { toml_entry(line) }
            }
        };
        let Some((key, value)) = parsed else { continue };
        fm.keys.push(key.to_string());
        // A value continued on indented lines is not a single-line scalar.
        let continued = lines.get(i + 1).is_some_and(|(_, next)| next.starts_with([' ', '\t']));
        if continued {
            continue;
        }
        let Some((raw, unquoted)) = scalar(value, fm.syntax) else { continue };
        let at = start + (value.as_ptr() as usize - line.as_ptr() as usize);
        let raw = at + raw.start..at + raw.end;
        fm.fields.push(Field { key: key.to_string(), raw, value: unquoted });
    }
}

/// `key: value` at the top level of a YAML mapping; `value` may be empty.
fn yaml_entry(line: &str) -> Option<(&str, &str)> {
    if line.starts_with(['-', '?', '&', '*', '!', '|', '>', '{', '[', '%', '@', '`']) {
        return None;
    }
    let (key, rest) = if let Some(q) = line.strip_prefix(['"', '\'']) {
        let quote = line.as_bytes()[0] as char;
        let end = q.find(quote)?;
        (&q[..end], q[end + 1..].strip_prefix(':')?)
    } else {
        let colon = line.find(": ").or_else(|| line.strip_suffix(':').map(|k| k.len()))?;
        (&line[..colon], &line[colon + 1..])
    };
    if rest.starts_with(|c: char| !c.is_whitespace()) {
        return None;
    }
    Some((key.trim(), rest.trim_start()))
}

/// `key = value` at the top level of a TOML table.
fn toml_entry(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim().trim_matches('"').trim_matches('\'');
    if key.is_empty() {
        return None;
    }
    Some((key, value.trim_start()))
}

/// The range (within `value`) of a single-line string scalar and its text.
fn scalar(value: &str, syntax: FrontMatterSyntax) -> Option<(std::ops::Range<usize>, String)> {
    let value = value.trim_end();
    let first = value.chars().next()?;
    match first {
        '"' => {
            let (len, text) = double_quoted(value)?;
            Some((0..len, text))
        }
        '\'' => {
            let body = &value[1..];
            let mut text = String::new();
            let mut chars = body.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    // YAML doubles a quote inside single quotes; TOML has no escape.
                    if syntax == FrontMatterSyntax::Yaml
                        && chars.peek().is_some_and(|&(_, n)| n == '\'')
                    {
                        chars.next();
                        text.push('\'');
                        continue;
                    }
                    return Some((0..i + 2, text));
                }
                text.push(c);
            }
            None
        }
        _ if syntax == FrontMatterSyntax::Toml => None,
        '|' | '>' | '[' | '{' | '&' | '*' | '!' | '%' | '@' | '`' => None,
        _ => {
            // A plain YAML scalar ends at a comment.
            let end = value.find(" #").unwrap_or(value.len());
            let text = value[..end].trim_end();
            Some((0..text.len(), text.to_string()))
        }
    }
}

/// A double-quoted string at the start of `value`: its length and its text.
fn double_quoted(value: &str) -> Option<(usize, String)> {
    let mut text = String::new();
    let mut chars = value.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((i + 1, text)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    '0' => text.push('\0'),
                    'u' => {
                        let hex: String =
                            (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        let code = u32::from_str_radix(&hex, 16).ok()?;
                        text.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    other => text.push(other),
                }
            }
            c => text.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(source: &str) -> Vec<(String, String, String)> {
        let fm = find(source).expect("front matter");
        fm.fields
            .iter()
            .map(|f| (f.key.clone(), source[f.raw.clone()].to_string(), f.value.clone()))
            .collect()
    }

    #[test]
    fn yaml_fields_and_their_ranges() {
        let src = "---\ntitle: \"A \\\"quoted\\\" title\"\ndate: 2024-01-02\ntags:\n  - a\ndescription: It's plain # note\nsummary: 'It''s'\n---\nBody\n";
        assert_eq!(
            fields(src),
            vec![
                ("title".into(), "\"A \\\"quoted\\\" title\"".into(), "A \"quoted\" title".into()),
                ("date".into(), "2024-01-02".into(), "2024-01-02".into()),
                ("description".into(), "It's plain".into(), "It's plain".into()),
                ("summary".into(), "'It''s'".into(), "It's".into()),
            ]
        );
        let fm = find(src).unwrap();
        assert_eq!(fm.keys, ["title", "date", "tags", "description", "summary"]);
        assert_eq!(&src[fm.range.clone()], &src[..src.find("Body").unwrap()]);
        assert_eq!(&src[fm.insert_at..fm.range.end], "---\n");
    }

    #[test]
    fn toml_fields_stop_at_the_first_table() {
        let src = "+++\ntitle = \"Hello\"\ndraft = true\n[extra]\nsummary = \"no\"\n+++\n";
        assert_eq!(fields(src), vec![("title".into(), "\"Hello\"".into(), "Hello".into())]);
        // New top-level keys go before the first table.
        assert_eq!(&src[find(src).unwrap().insert_at..][..7], "[extra]");
    }

    #[test]
    fn only_at_the_very_start_and_closed() {
        assert!(find("Intro.\n\n---\ntitle: Hijacked\n---\n").is_none());
        assert!(find("\n---\ntitle: x\n---\n").is_none());
        assert!(find("---\ntitle: never closed\n").is_none());
        assert!(find("---\r\ntitle: x\r\n---\r\nBody").is_some_and(|f| f.newline == "\r\n"));
    }
}
