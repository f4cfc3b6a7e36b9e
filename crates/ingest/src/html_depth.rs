//! A cap on HTML nesting, applied before the HTML parser sees the source.
//!
//! html5ever's tree builder looks through the stack of open elements for
//! most start tags, so a page nested N elements deep takes time quadratic
//! in N (100,000 nested `<div>`s: half a minute). One pass over the tags
//! here counts the elements open at each point and, past [`MAX_OPEN`],
//! deletes the tags (their text stays, read as plain text, as the reader
//! reads anything past its own depth limit) and deletes outright the
//! elements whose content is never article text (`<script>`, `<nav>`, …).
//! A source nested less deeply is handed over unchanged.
//!
//! It is a scan of tags, not a parser: it needs only to count nesting
//! no lower than html5ever will build it. Elements whose end tag is
//! optional (`p`, `li`, `td`, …) are not counted, as html5ever closes them
//! itself; a self-closing `/>` counts as closed only inside `<svg>` or
//! `<math>`, as in HTML.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use diglot_core::{Diagnostic, LineIndex};

/// How many counted elements may be open at once.
pub(crate) const MAX_OPEN: usize = 512;

/// Elements with no content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag is optional, or that html5ever merges or closes
/// on its own: never counted, never deleted.
const SELF_CLOSING: &[&str] = &[
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp",
    "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] =
    &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"];

/// Elements whose content is never article text (as `html::SKIPPED`):
/// past the cap they go with everything inside them.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "form",
    "button", "svg", "math", "iframe", "object", "embed", "canvas", "video", "audio", "select",
    "textarea", "input", "dialog", "pre", "img", "picture",
];

/// The source with nesting capped, and a warning when it was.
pub(crate) fn cap(source: &str) -> (Cow<'_, str>, Option<Diagnostic>) {
    let mut scan = Scan::default();
    scan.run(source);
    let Some(first) = scan.first_cut else { return (Cow::Borrowed(source), None) };
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for cut in &scan.cuts {
        out.push_str(&source[at..cut.start]);
        at = cut.end;
    }
    out.push_str(&source[at..]);
    let warning = Diagnostic::error_in("", &LineIndex::new(source), first, format!(
        "HTML nested more than {MAX_OPEN} elements deep: the structure of the {} elements below \
         that depth is ignored, their text read as plain text",
        scan.capped
    ))
    .with_help("such nesting is not article structure; check the page's markup")
    .warning();
    (Cow::Owned(out), Some(warning))
}

#[derive(Debug, Default)]
struct Scan {
    /// Open elements: name, and whether its tags were cut.
    open: Vec<(String, bool)>,
    /// How many open elements of each name there are.
    by_name: HashMap<String, usize>,
    /// Open elements whose tags were kept.
    kept: usize,
    /// Open `svg` and `math` elements.
    foreign: usize,
    /// Where an element cut with its content started, and its place in
    /// `open`.
    cutting: Option<(usize, usize)>,
    /// Byte ranges to delete, in order.
    cuts: Vec<Range<usize>>,
    first_cut: Option<usize>,
    /// Elements whose tags were cut.
    capped: usize,
}

impl Scan {
    fn run(&mut self, source: &str) {
        let bytes = source.as_bytes();
        let mut i = 0;
        while let Some(lt) = memchr(b'<', bytes, i) {
            i = lt + 1;
            let rest = &bytes[lt..];
            if rest.starts_with(b"<!--") {
                i = find(bytes, b"-->", lt + 4).map_or(bytes.len(), |e| e + 3);
            } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
                i = memchr(b'>', bytes, lt).map_or(bytes.len(), |e| e + 1);
            } else if rest.starts_with(b"</") {
                let Some((name, end)) = tag(bytes, lt + 2) else { continue };
                i = end;
                self.end_tag(&name, lt..end);
            } else if let Some((name, end)) = tag(bytes, lt + 1) {
                i = end;
                let self_closing = end >= 2 && bytes[end - 2] == b'/';
                if RAW_TEXT.contains(&name.as_str()) {
                    let close = find_end_tag(bytes, &name, end);
                    i = close;
                    if self.cutting.is_none() && self.kept >= MAX_OPEN {
                        self.cut(lt..close);
                    }
                } else if name == "plaintext" {
                    // The rest of the page is text.
                    return;
                } else {
                    let closed = VOID.contains(&name.as_str())
                        || SELF_CLOSING.contains(&name.as_str())
                        || (self_closing && self.foreign > 0);
                    if !closed {
                        self.start_tag(name, lt..end);
                    }
                }
            }
        }
        if let Some((from, _)) = self.cutting.take() {
            self.cut(from..bytes.len());
        }
    }

    fn start_tag(&mut self, name: String, range: Range<usize>) {
        if name == "svg" || name == "math" {
            self.foreign += 1;
        }
        let over = self.kept >= MAX_OPEN;
        if over && self.cutting.is_none() {
            if SKIPPED.contains(&name.as_str()) {
                self.cutting = Some((range.start, self.open.len()));
            } else {
                self.cut(range);
            }
        }
        if over {
            self.capped += 1;
        } else {
            self.kept += 1;
        }
        *self.by_name.entry(name.clone()).or_default() += 1;
        self.open.push((name, over));
    }

    fn end_tag(&mut self, name: &str, range: Range<usize>) {
        if self.by_name.get(name).copied().unwrap_or(0) == 0 {
            return;
        }
        // Close everything above the innermost element of that name, as
        // the parser does for the elements counted here.
        while let Some((open, was_cut)) = self.open.pop() {
            if let Some(n) = self.by_name.get_mut(&open) {
                *n -= 1;
            }
            if open == "svg" || open == "math" {
                self.foreign -= 1;
            }
            if !was_cut {
                self.kept -= 1;
            }
            let matched = open == name;
            if let Some((from, at)) = self.cutting {
                if self.open.len() == at {
                    self.cutting = None;
                    let end = if matched { range.end } else { range.start };
                    self.cut(from..end);
                }
            } else if matched && was_cut {
                self.cut(range.clone());
            }
            if matched {
                break;
            }
        }
    }

    fn cut(&mut self, range: Range<usize>) {
        if self.cutting.is_some() && self.cuts.last().is_some_and(|c| c.end > range.start) {
            return;
        }
        self.first_cut.get_or_insert(range.start);
        self.cuts.push(range);
    }
}

/// The lower-cased name of the tag whose name starts at `at`, and the
/// offset after its `>` (quoted attribute values may hold `>`). `None` when
/// no letter starts a name there: then `<` is text.
fn tag(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    if !bytes.get(at)?.is_ascii_alphabetic() {
        return None;
    }
    let name_end = bytes[at..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .map_or(bytes.len(), |p| at + p);
    let name = String::from_utf8_lossy(&bytes[at..name_end]).to_ascii_lowercase();
    let mut quote = None;
    let mut i = name_end;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'>') => return Some((name, i + 1)),
            (None, q @ (b'"' | b'\'')) if i > 0 && bytes[i - 1] == b'=' => quote = Some(q),
            (Some(q), b) if b == q => quote = None,
            _ => {}
        }
        i += 1;
    }
    Some((name, bytes.len()))
}

/// The offset after the end tag `</name …>` of a raw-text element whose
/// content starts at `from`, or the end of the source.
fn find_end_tag(bytes: &[u8], name: &str, from: usize) -> usize {
    let mut i = from;
    while let Some(lt) = find(bytes, b"</", i) {
        let candidate = &bytes[lt + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && candidate
                .get(name.len())
                .is_none_or(|b| b.is_ascii_whitespace() || b"/>".contains(b))
        {
            return memchr(b'>', bytes, lt).map_or(bytes.len(), |e| e + 1);
        }
        i = lt + 2;
    }
    bytes.len()
}

fn memchr(needle: u8, bytes: &[u8], from: usize) -> Option<usize> {
    bytes.get(from..)?.iter().position(|&b| b == needle).map(|p| from + p)
}

fn find(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize, open: &str, close: &str, inner: &str) -> String {
        format!("<body>{}{inner}{}</body>", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn shallow_pages_are_handed_over_unchanged() {
        for page in [
            nested(MAX_OPEN, "<div>", "</div>", "text"),
            nested(5000, "<p>", "", "unclosed paragraphs"),
            nested(5000, "<li>", "", "unclosed items"),
            "<div a='>' b=\"<div>\"><script><div><div></script>x</div>".to_string(),
            nested(5000, "<br>", "", "void"),
        ] {
            let (out, warning) = cap(&page);
            assert!(matches!(out, Cow::Borrowed(_)), "{}", &page[..40]);
            assert!(warning.is_none());
        }
    }

    #[test]
    fn deep_nesting_is_cut_at_the_cap_with_a_warning() {
        let page = nested(100_000, "<div>", "</div>", "deep text");
        let (out, warning) = cap(&page);
        assert_eq!(out.matches("<div>").count(), MAX_OPEN);
        assert_eq!(out.matches("</div>").count(), MAX_OPEN);
        assert!(out.contains("deep text"));
        let warning = warning.expect("a warning");
        // The first tag cut: `<body>` then 512 `<div>`s, on line 1.
        assert_eq!((warning.line, warning.col), (1, 6 + 5 * MAX_OPEN + 1));
        assert!(warning.message.contains(&(100_000 - MAX_OPEN).to_string()), "{warning}");
    }

    #[test]
    fn skipped_elements_past_the_cap_go_with_their_content() {
        let inner =
            "<nav><a href=x>menu</a></nav><script>var a = '<div>';</script><span>kept</span>";
        let page = nested(MAX_OPEN + 10, "<div>", "</div>", inner);
        let (out, _) = cap(&page);
        assert!(!out.contains("menu") && !out.contains("var a"), "{}", &out[out.len() - 200..]);
        assert!(out.contains("kept"));
        assert!(!out.contains("<span>"));
    }
}
