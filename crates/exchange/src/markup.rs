//! Inline markup as exchange formats carry it: codes a CAT tool protects,
//! holding the Markdown a translator must not retype.
//!
//! On export a sentence's [`Inline`]s become [`Node`]s: text, paired codes
//! (emphasis, strong, links, images) and placeholders (code spans, line
//! breaks),
//! each code naming the Markdown it stands for ("native data": `*`, `**`,
//! `[`, `](https://…)`, `` `x` ``). Link targets and code therefore never
//! appear in the translatable text. An image is a paired code around its
//! alternative text (`![` … `](src "title")`), so the alternative text is
//! translated in the tool; a title of a link or an image is in the code's
//! native data, which XLIFF keeps out of the translatable text (`.ftl` and
//! PO files show it to translate). On import the native data is read back
//! into [`Inline`]s, so the translation's Markdown is rebuilt by
//! [`inline::to_markdown`], whatever the tool did to white space around the
//! codes.

use diglot_core::{Inline, inline};

/// A sentence or translation as an exchange file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Text(String),
    Paired { id: String, kind: Paired, start: DataRef, end: DataRef, children: Vec<Node> },
    Placeholder { id: String, kind: Placeholder, data: DataRef, equiv: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paired {
    Emphasis,
    Strong,
    Link,
    Image,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholder {
    Code,
    Break,
}

/// A reference to an entry of [`Coder::data`]: its ID and its native text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DataRef {
    pub id: String,
    pub native: String,
}

/// Numbers the codes of one unit: source codes first, then the target's,
/// which reuse the ID of the source code they correspond to.
#[derive(Debug, Default)]
pub(crate) struct Coder {
    /// Native data by ID, in order of first use.
    pub data: Vec<DataRef>,
    next_code: usize,
    /// (signature, code ID, already matched by the target).
    source_codes: Vec<(String, String, bool)>,
}

impl Coder {
    /// The source sentence's nodes; registers its codes.
    pub fn source(&mut self, markdown: &str) -> Vec<Node> {
        let inlines = inline::parse_markdown(markdown);
        self.nodes(&inlines, true)
    }

    /// A translation's nodes: each code takes the ID of the first unmatched
    /// source code of the same kind and data, or a new one.
    pub fn target(&mut self, markdown: &str) -> Vec<Node> {
        let inlines = inline::parse_markdown(markdown);
        self.nodes(&inlines, false)
    }

    fn data(&mut self, native: String) -> DataRef {
        if let Some(d) = self.data.iter().find(|d| d.native == native) {
            return d.clone();
        }
        let d = DataRef { id: format!("d{}", self.data.len() + 1), native };
        self.data.push(d.clone());
        d
    }

    fn code_id(&mut self, signature: String, source: bool) -> String {
        if !source {
            if let Some(entry) =
                self.source_codes.iter_mut().find(|(s, _, used)| *s == signature && !*used)
            {
                entry.2 = true;
                return entry.1.clone();
            }
        }
        self.next_code += 1;
        let id = self.next_code.to_string();
        if source {
            self.source_codes.push((signature, id.clone(), false));
        }
        id
    }

    fn nodes(&mut self, inlines: &[Inline], source: bool) -> Vec<Node> {
        let mut out = Vec::new();
        for inline in inlines {
            let node = match inline {
                Inline::Text(t) => Node::Text(t.clone()),
                Inline::Emphasis(children) | Inline::Strong(children) => {
                    let (kind, marker, sig) = match inline {
                        Inline::Emphasis(_) => (Paired::Emphasis, "*", "em"),
                        _ => (Paired::Strong, "**", "strong"),
                    };
                    let id = self.code_id(sig.into(), source);
                    let start = self.data(marker.into());
                    let children = self.nodes(children, source);
                    Node::Paired { id, kind, start: start.clone(), end: start, children }
                }
                Inline::Link { href, title, children } => {
                    let id = self.code_id(format!("link\u{0}{href}\u{0}{title}"), source);
                    let start = self.data("[".into());
                    let end = self.data(link_end(href, title));
                    let children = self.nodes(children, source);
                    Node::Paired { id, kind: Paired::Link, start, end, children }
                }
                Inline::RefLink { label, children } => {
                    let id = self.code_id(format!("reflink\u{0}{label}"), source);
                    let start = self.data("[".into());
                    let end = self.data(format!("][{label}]"));
                    let children = self.nodes(children, source);
                    Node::Paired { id, kind: Paired::Link, start, end, children }
                }
                Inline::Image { src, title, alt } => {
                    let id = self.code_id(format!("image\u{0}{src}\u{0}{title}"), source);
                    let start = self.data("![".into());
                    let end = self.data(link_end(src, title));
                    let children = vec![Node::Text(alt.clone())];
                    Node::Paired { id, kind: Paired::Image, start, end, children }
                }
                Inline::RefImage { label, alt } => {
                    let id = self.code_id(format!("refimage\u{0}{label}"), source);
                    let start = self.data("![".into());
                    let end = self.data(format!("][{label}]"));
                    let children = vec![Node::Text(alt.clone())];
                    Node::Paired { id, kind: Paired::Image, start, end, children }
                }
                // A piece kept from the article as it is (a tag, an
                // autolink, a shortcode): a placeholder, never text to
                // translate.
                Inline::Raw(raw) => {
                    let id = self.code_id(format!("raw\u{0}{raw}"), source);
                    let data = self.data(raw.clone());
                    Node::Placeholder { id, kind: Placeholder::Code, data, equiv: raw.clone() }
                }
                Inline::Code(code) => {
                    let id = self.code_id(format!("code\u{0}{code}"), source);
                    let data = self.data(inline::to_markdown(std::slice::from_ref(inline)));
                    Node::Placeholder { id, kind: Placeholder::Code, data, equiv: code.clone() }
                }
                Inline::Break => {
                    let id = self.code_id("br".into(), source);
                    let data = self.data(BREAK.into());
                    Node::Placeholder { id, kind: Placeholder::Break, data, equiv: "\n".into() }
                }
            };
            out.push(node);
        }
        out
    }
}

/// The Markdown of a hard line break.
const BREAK: &str = "\\\n";

/// What follows a link's text in Markdown: `](href "title")`.
fn link_end(href: &str, title: &str) -> String {
    let link = Inline::Link {
        href: href.to_string(),
        title: title.to_string(),
        children: vec![Inline::Text("x".into())],
    };
    let md = inline::to_markdown(&[link]);
    md.strip_prefix("[x").unwrap_or(&md).to_string()
}

/// Content read back from a file: text and codes with their native data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Read {
    Text(String),
    Paired { start: String, end: String, children: Vec<Read> },
    Placeholder { native: String },
}

/// Rebuilds the Markdown of content read from a file. Fails, naming the
/// code, when native data is not markup diglot writes.
pub(crate) fn to_markdown(content: &[Read]) -> Result<String, String> {
    let inlines = to_inlines(content)?;
    Ok(inline::to_markdown(&inlines))
}

fn to_inlines(content: &[Read]) -> Result<Vec<Inline>, String> {
    let mut out: Vec<Inline> = Vec::new();
    for item in content {
        let inline = match item {
            Read::Text(t) => Inline::Text(t.clone()),
            Read::Paired { start, end, children } => {
                let children = to_inlines(children)?;
                match (start.as_str(), end.as_str()) {
                    ("*" | "_", "*" | "_") => Inline::Emphasis(children),
                    ("**" | "__", "**" | "__") => Inline::Strong(children),
                    ("[", end)
                        if end.starts_with("][")
                            && end.ends_with(']')
                            && !end[2..end.len() - 1].contains([']', '[']) =>
                    {
                        Inline::RefLink { label: end[2..end.len() - 1].to_string(), children }
                    }
                    ("![", end) => match inline::parse_markdown(&format!("![x{end}")).as_slice() {
                        [Inline::Image { src, title, .. }] => Inline::Image {
                            src: src.clone(),
                            title: title.clone(),
                            alt: inline::plain_text(&children),
                        },
                        [Inline::RefImage { label, .. }] => Inline::RefImage {
                            label: label.clone(),
                            alt: inline::plain_text(&children),
                        },
                        _ => return Err(format!("`{end}` does not end a Markdown image")),
                    },
                    ("[", end) => match inline::parse_markdown(&format!("[x{end}")).as_slice() {
                        [Inline::Link { href, title, .. }] => {
                            Inline::Link { href: href.clone(), title: title.clone(), children }
                        }
                        _ => return Err(format!("`{end}` does not end a Markdown link")),
                    },
                    _ => {
                        return Err(format!(
                            "paired code `{start}`…`{end}` is not emphasis, strong, a link or an image"
                        ));
                    }
                }
            }
            Read::Placeholder { native } if native == BREAK => Inline::Break,
            Read::Placeholder { native } => match inline::parse_markdown(native).as_slice() {
                [code @ Inline::Code(_)] => code.clone(),
                _ if is_raw_piece(native) => Inline::Raw(native.clone()),
                _ => return Err(format!("placeholder `{native}` is not a Markdown code span")),
            },
        };
        match (out.last_mut(), inline) {
            (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
            (_, inline) => out.push(inline),
        }
    }
    Ok(out)
}

/// Whether `native` is a piece a message keeps as it is (a tag, an image, a
/// shortcode), judged the way messages are read: inside a sentence.
fn is_raw_piece(native: &str) -> bool {
    inline::parse_markdown(&format!("x {native} x"))
        .iter()
        .any(|i| matches!(i, Inline::Raw(r) if r == native))
}

/// The canonical form of a Markdown inline string, for comparing a file's
/// source with the article's sentence.
pub(crate) fn canonical(markdown: &str) -> String {
    inline::to_markdown(&inline::parse_markdown(markdown))
}

/// Link targets and code spans of a Markdown string, sorted: what a
/// translation must keep from its source.
pub(crate) fn protected(markdown: &str) -> Vec<String> {
    fn walk(inlines: &[Inline], out: &mut Vec<String>) {
        for i in inlines {
            match i {
                Inline::Code(c) => out.push(format!("`{c}`")),
                Inline::Link { href, children, .. } => {
                    out.push(format!("link to {href}"));
                    walk(children, out);
                }
                Inline::RefLink { label, children } => {
                    out.push(format!("link to [{label}]"));
                    walk(children, out);
                }
                Inline::Raw(raw) => out.push(raw.clone()),
                Inline::Image { src, .. } => out.push(format!("image {src}")),
                Inline::RefImage { label, .. } => out.push(format!("image [{label}]")),
                Inline::Emphasis(c) | Inline::Strong(c) => walk(c, out),
                Inline::Text(_) | Inline::Break => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&inline::parse_markdown(markdown), &mut out);
    out.sort();
    out
}
