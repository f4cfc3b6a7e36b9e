//! XLIFF 2.0 and 1.2, for OmegaT, Trados, memoQ and Weblate.
//!
//! One `<file>` per article, one `<group>` per block of the article (as the
//! locale file groups them), one unit per sentence whose ID is the message
//! ID. Emphasis, strong text and links are paired codes and code spans and
//! line breaks placeholders; their Markdown (`*`, `](https://…)`,
//! `` `x` ``) is native data outside the translatable text: `<originalData>`
//! in 2.0, the content of `<bpt>`, `<ept>` and `<ph>` in 1.2.
//!
//! States: a missing translation is `initial` with no target; a stale one
//! `initial` with the old target and a note naming the old source; a draft
//! `translated` (1.2: `needs-review-translation`) with a note naming its
//! origin; a reviewed one `final`.

use std::collections::HashMap;

use diglot_core::{Diagnostic, LineIndex, TranslationState};
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::markup::{self, Coder, Node, Paired, Placeholder, Read};
use crate::{Catalog, Imported, ImportedState, ImportedUnit, unit_notes};

/// The XLIFF versions diglot writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2_0,
    V1_2,
}

impl Version {
    /// `2.0`, `2`, `1.2`.
    pub fn parse(text: &str) -> Option<Version> {
        match text {
            "2" | "2.0" => Some(Version::V2_0),
            "1.2" => Some(Version::V1_2),
            _ => None,
        }
    }
}

/// Writes a catalog as XLIFF.
pub fn write(catalog: &Catalog, version: Version) -> String {
    match version {
        Version::V2_0 => write_2_0(catalog),
        Version::V1_2 => write_1_2(catalog),
    }
}

const HOW_TO: &str = "Exported by diglot. Translate each unit's target and keep the unit IDs; \
mark a reviewed translation final. Import with `diglot xliff import FILE`: units whose \
source sentence changed since the export are left alone and reported.";

fn write_2_0(catalog: &Catalog) -> String {
    let mut w = String::new();
    w.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.push_str(&format!(
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"{}\" trgLang=\"{}\">\n",
        attr(&catalog.source_locale.to_string()),
        attr(&catalog.target_locale.to_string())
    ));
    w.push_str(&format!(
        "  <file id=\"{}\" original=\"{}\">\n",
        attr(&catalog.slug),
        attr(&catalog.file)
    ));
    w.push_str(&format!(
        "    <notes>\n      <note category=\"diglot\">{}</note>\n    </notes>\n",
        text(HOW_TO)
    ));
    for group in &catalog.groups {
        w.push_str(&format!(
            "    <group id=\"{}\" name=\"{}\">\n",
            attr(&group.id),
            attr(&group.label)
        ));
        for unit in &group.units {
            let mut coder = Coder::default();
            let source = coder.source(&unit.source);
            let target = unit.translation.as_ref().map(|t| coder.target(&t.text));
            w.push_str(&format!(
                "      <unit id=\"{}\" name=\"{}\">\n",
                attr(unit.id.as_str()),
                attr(unit.id.as_str())
            ));
            w.push_str("        <notes>\n");
            w.push_str(&format!(
                "          <note category=\"location\">{}</note>\n",
                text(&unit.location)
            ));
            for (category, note) in unit_notes(unit) {
                let applies = if category == "term" { "" } else { " appliesTo=\"target\"" };
                w.push_str(&format!(
                    "          <note category=\"{category}\"{applies}>{}</note>\n",
                    text(&note)
                ));
            }
            w.push_str("        </notes>\n");
            if !coder.data.is_empty() {
                w.push_str("        <originalData>\n");
                for d in &coder.data {
                    w.push_str(&format!(
                        "          <data id=\"{}\">{}</data>\n",
                        d.id,
                        inline_text_2_0(&d.native)
                    ));
                }
                w.push_str("        </originalData>\n");
            }
            let state = match unit.translation.as_ref().map(|t| &t.state) {
                None | Some(TranslationState::Stale { .. }) => "initial",
                Some(TranslationState::Unreviewed { .. }) => "translated",
                Some(TranslationState::Reviewed) => "final",
            };
            w.push_str(&format!("        <segment state=\"{state}\">\n"));
            w.push_str(&format!("          <source>{}</source>\n", nodes_2_0(&source)));
            if let Some(target) = target {
                w.push_str(&format!("          <target>{}</target>\n", nodes_2_0(&target)));
            }
            w.push_str("        </segment>\n      </unit>\n");
        }
        w.push_str("    </group>\n");
    }
    w.push_str("  </file>\n</xliff>\n");
    w
}

fn nodes_2_0(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(&inline_text_2_0(t)),
            Node::Paired { id, kind, start, end, children } => {
                let kind = match kind {
                    Paired::Emphasis => "type=\"fmt\" subType=\"xlf:i\"",
                    Paired::Strong => "type=\"fmt\" subType=\"xlf:b\"",
                    Paired::Link => "type=\"link\"",
                    Paired::Image => "type=\"image\"",
                };
                out.push_str(&format!(
                    "<pc id=\"{id}\" {kind} dataRefStart=\"{}\" dataRefEnd=\"{}\">{}</pc>",
                    start.id,
                    end.id,
                    nodes_2_0(children)
                ));
            }
            Node::Placeholder { id, kind, data, equiv } => {
                let kind = match kind {
                    Placeholder::Code => "type=\"other\"",
                    Placeholder::Break => "type=\"fmt\" subType=\"xlf:lb\"",
                };
                out.push_str(&format!(
                    "<ph id=\"{id}\" {kind} dataRef=\"{}\" equiv=\"{}\" disp=\"{}\"/>",
                    data.id,
                    attr(equiv),
                    attr(equiv)
                ));
            }
        }
    }
    out
}

fn write_1_2(catalog: &Catalog) -> String {
    let mut w = String::new();
    w.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.push_str("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\">\n");
    w.push_str(&format!(
        "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\" product-name=\"{}\">\n",
        attr(&catalog.file),
        attr(&catalog.source_locale.to_string()),
        attr(&catalog.target_locale.to_string()),
        attr(&catalog.slug)
    ));
    w.push_str(&format!(
        "    <header>\n      <note from=\"diglot\">{}</note>\n    </header>\n    <body>\n",
        text(HOW_TO)
    ));
    for group in &catalog.groups {
        w.push_str(&format!(
            "      <group id=\"{}\" resname=\"{}\">\n",
            attr(&group.id),
            attr(&group.label)
        ));
        for unit in &group.units {
            let mut coder = Coder::default();
            let source = coder.source(&unit.source);
            let target = unit.translation.as_ref().map(|t| coder.target(&t.text));
            let (state, approved) = match unit.translation.as_ref().map(|t| &t.state) {
                None => ("", false),
                Some(TranslationState::Stale { .. }) => ("needs-translation", false),
                Some(TranslationState::Unreviewed { .. }) => ("needs-review-translation", false),
                Some(TranslationState::Reviewed) => ("final", true),
            };
            w.push_str(&format!(
                "        <trans-unit id=\"{}\" resname=\"{}\"{}>\n",
                attr(unit.id.as_str()),
                attr(unit.id.as_str()),
                if approved { " approved=\"yes\"" } else { "" }
            ));
            w.push_str(&format!(
                "          <source xml:space=\"preserve\">{}</source>\n",
                nodes_1_2(&source)
            ));
            if let Some(target) = target {
                w.push_str(&format!(
                    "          <target xml:space=\"preserve\" state=\"{state}\">{}</target>\n",
                    nodes_1_2(&target)
                ));
            }
            w.push_str(&format!(
                "          <note from=\"diglot\" annotates=\"general\">{}</note>\n",
                text(&unit.location)
            ));
            for (category, note) in unit_notes(unit) {
                let annotates = if category == "term" { "general" } else { "target" };
                w.push_str(&format!(
                    "          <note from=\"diglot\" annotates=\"{annotates}\">{}</note>\n",
                    text(&note)
                ));
            }
            w.push_str("        </trans-unit>\n");
        }
        w.push_str("      </group>\n");
    }
    w.push_str("    </body>\n  </file>\n</xliff>\n");
    w
}

fn nodes_1_2(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(&text(t)),
            Node::Paired { id, kind, start, end, children } => {
                let ctype = match kind {
                    Paired::Emphasis => "italic",
                    Paired::Strong => "bold",
                    Paired::Link => "link",
                    Paired::Image => "image",
                };
                out.push_str(&format!(
                    "<bpt id=\"{id}\" ctype=\"{ctype}\">{}</bpt>{}<ept id=\"{id}\">{}</ept>",
                    text(&start.native),
                    nodes_1_2(children),
                    text(&end.native)
                ));
            }
            Node::Placeholder { id, kind, data, .. } => {
                let ctype = match kind {
                    Placeholder::Code => "x-code",
                    Placeholder::Break => "lb",
                };
                out.push_str(&format!(
                    "<ph id=\"{id}\" ctype=\"{ctype}\">{}</ph>",
                    text(&data.native)
                ));
            }
        }
    }
    out
}

/// Whether XML 1.0 allows a character in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text content; characters XML cannot hold become U+FFFD.
fn text(s: &str) -> String {
    let clean: String = s.chars().map(|c| if xml_char(c) { c } else { '\u{FFFD}' }).collect();
    quick_xml::escape::partial_escape(clean.as_str()).replace('\r', "&#13;")
}

/// Text content of a 2.0 source or target: characters XML cannot hold
/// become `<cp>` elements, as XLIFF 2.0 prescribes.
fn inline_text_2_0(s: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in s.chars() {
        if xml_char(c) && c != '\r' {
            run.push(c);
        } else {
            out.push_str(&quick_xml::escape::partial_escape(run.as_str()));
            run.clear();
            out.push_str(&format!("<cp hex=\"{:04X}\"/>", c as u32));
        }
    }
    out.push_str(&quick_xml::escape::partial_escape(run.as_str()));
    out
}

/// An attribute value: line breaks and tabs as character references, so
/// that no parser folds them into spaces.
fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;").replace('\n', "&#10;").replace('\t', "&#9;")
}

// Reading.

/// An element of the file, with its byte offset for error messages.
#[derive(Debug, Clone)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Content>,
    offset: usize,
}

#[derive(Debug, Clone)]
enum Content {
    Element(Element),
    Text(String),
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Content::Element(e) => Some(e),
            Content::Text(_) => None,
        })
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }
}

/// Local name: `xlf:unit` -> `unit`; `xml:lang` stays whole.
fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.split_once(':') {
        Some(("xml" | "xmlns", _)) => name.into_owned(),
        Some((_, local)) => local.to_string(),
        None => name.into_owned(),
    }
}

/// Parses the document into elements, with the position of the first
/// problem when it is not well-formed XML.
fn parse_tree(file: &str, xml: &str) -> Result<Element, Box<Diagnostic>> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let error = |pos: u64, message: String| {
        Box::new(Diagnostic::error_at(file, xml, (pos as usize).min(xml.len()), message)
            .with_help("the file is not well-formed XML: fix it in a text editor, or export it again from your tool"))
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = reader.buffer_position();
        let event =
            reader.read_event().map_err(|e| error(reader.error_position(), e.to_string()))?;
        let text_error = |e: &dyn std::fmt::Display| error(pos, e.to_string());
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| text_error(&e))?;
                    let value = a.unescape_value().map_err(|e| text_error(&e))?.into_owned();
                    attrs.push((local(a.key.as_ref()), value));
                }
                let element = Element {
                    name: local(e.name().as_ref()),
                    attrs,
                    children: Vec::new(),
                    offset: pos as usize,
                };
                if root.is_some() && stack.is_empty() {
                    return Err(error(pos, "a second root element after </xliff>".into()));
                }
                if matches!(event, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Content::Element(element)),
                        None => root = Some(element),
                    }
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let element = stack.pop().expect("quick-xml checks end names");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Content::Element(element)),
                    None => root = Some(element),
                }
            }
            Event::Text(ref t) => {
                let s = t.xml10_content().map_err(|e| text_error(&e))?;
                push_text(&mut stack, &s);
            }
            Event::CData(ref t) => {
                let s = t.decode().map_err(|e| text_error(&e))?;
                push_text(&mut stack, &s);
            }
            Event::GeneralRef(ref r) => {
                let name = r.decode().map_err(|e| text_error(&e))?;
                let resolved = match r.resolve_char_ref().map_err(|e| text_error(&e))? {
                    Some(c) => c.to_string(),
                    None => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => s.to_string(),
                        None => return Err(text_error(&format!("unknown entity &{name};"))),
                    },
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(error(pos, format!("the file ends before </{}>", open.name)));
                }
                return root.ok_or_else(|| error(pos, "the file has no <xliff> element".into()));
            }
            _ => {}
        }
    }
}

fn push_text(stack: &mut [Element], s: &str) {
    if let Some(parent) = stack.last_mut() {
        if let Some(Content::Text(prev)) = parent.children.last_mut() {
            prev.push_str(s);
        } else {
            parent.children.push(Content::Text(s.to_string()));
        }
    }
}

/// Reads an XLIFF 2.x or 1.2 file written by diglot and edited in a
/// translator's tool. `file` names it in errors.
pub fn read(file: &str, xml: &str) -> Result<Imported, Box<Diagnostic>> {
    let root = parse_tree(file, xml)?;
    let index = LineIndex::new(xml);
    let at = |e: &Element, message: String, help: &str| {
        Box::new(Diagnostic::error_at(file, xml, e.offset, message).with_help(help))
    };
    if root.name != "xliff" {
        return Err(at(
            &root,
            format!("the root element is <{}>, not <xliff>", root.name),
            "export an XLIFF file with `diglot xliff export`",
        ));
    }
    let version = root.attr("version").unwrap_or_default();
    let mut imported = Imported::default();
    let reader = Reader12Or20 { file, xml, index: &index };
    if version.starts_with("2.") {
        imported.source_locale = root.attr("srcLang").map(str::to_string);
        imported.target_locale = root.attr("trgLang").map(str::to_string);
        for f in root.elements().filter(|e| e.name == "file") {
            imported.slug.get_or_insert_with(|| f.attr("id").unwrap_or_default().to_string());
            reader.units_2_0(f, &mut imported.units)?;
        }
    } else if version == "1.2" || version == "1.1" {
        for f in root.elements().filter(|e| e.name == "file") {
            imported.source_locale = f.attr("source-language").map(str::to_string);
            imported.target_locale = f.attr("target-language").map(str::to_string);
            if let Some(slug) = f.attr("product-name") {
                imported.slug.get_or_insert_with(|| slug.to_string());
            }
            if let Some(body) = f.child("body") {
                reader.units_1_2(body, &mut imported.units)?;
            }
        }
    } else {
        return Err(at(
            &root,
            format!("XLIFF version `{version}` is not one diglot reads"),
            "diglot reads XLIFF 2.x and 1.2",
        ));
    }
    Ok(imported)
}

struct Reader12Or20<'a> {
    file: &'a str,
    xml: &'a str,
    index: &'a LineIndex,
}

impl Reader12Or20<'_> {
    fn error(&self, e: &Element, message: String, help: &str) -> Box<Diagnostic> {
        Box::new(Diagnostic::error_at(self.file, self.xml, e.offset, message).with_help(help))
    }

    fn id(&self, e: &Element) -> Result<String, Box<Diagnostic>> {
        e.attr("id").map(str::to_string).ok_or_else(|| {
            self.error(e, format!("<{}> has no id", e.name), "restore the unit's id attribute")
        })
    }

    fn units_2_0(
        &self,
        parent: &Element,
        out: &mut Vec<ImportedUnit>,
    ) -> Result<(), Box<Diagnostic>> {
        for e in parent.elements() {
            match e.name.as_str() {
                "group" => self.units_2_0(e, out)?,
                "unit" => out.push(self.unit_2_0(e)?),
                _ => {}
            }
        }
        Ok(())
    }

    fn unit_2_0(&self, unit: &Element) -> Result<ImportedUnit, Box<Diagnostic>> {
        let id = self.id(unit)?;
        let data: HashMap<&str, String> = unit
            .child("originalData")
            .into_iter()
            .flat_map(|o| o.elements())
            .filter(|d| d.name == "data")
            .map(|d| (d.attr("id").unwrap_or_default(), plain_2_0(d)))
            .collect();
        let mut source = Vec::new();
        let mut target = Vec::new();
        let mut has_target = false;
        let mut state = ImportedState::Final;
        let mut codes: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
        for seg in unit.elements().filter(|e| e.name == "segment" || e.name == "ignorable") {
            if seg.name == "segment" {
                let s = match seg.attr("state").unwrap_or("initial") {
                    "initial" => ImportedState::Initial,
                    "translated" => ImportedState::Translated,
                    _ => ImportedState::Final,
                };
                state = min_state(state, s);
            }
            if let Some(s) = seg.child("source") {
                collect_codes(s, &mut codes);
                source.extend(self.content_2_0(s, &data, &codes)?);
            }
            if let Some(t) = seg.child("target") {
                has_target = true;
                target.extend(self.content_2_0(t, &data, &codes)?);
            } else if let Some(s) = seg.child("source") {
                // An ignorable without a target (white space between
                // segments) stands for itself.
                if seg.name == "ignorable" {
                    target.extend(self.content_2_0(s, &data, &codes)?);
                }
            }
        }
        self.unit(unit, id, &source, has_target.then_some(&target[..]), state)
    }

    fn unit(
        &self,
        e: &Element,
        id: String,
        source: &[Read],
        target: Option<&[Read]>,
        state: ImportedState,
    ) -> Result<ImportedUnit, Box<Diagnostic>> {
        let help =
            "the unit's inline codes must hold diglot's Markdown markup: export the file again";
        let source = markup::to_markdown(source).map_err(|m| self.error(e, m, help))?;
        let target = match target {
            Some(t) => Some(markup::to_markdown(t).map_err(|m| self.error(e, m, help))?),
            None => None,
        };
        // A tool that pretty-prints the file indents text on new lines; a
        // sentence has no line breaks but its hard breaks, which are codes.
        let source = fold_layout(&source);
        let target = target.map(|t| fold_layout(&t)).filter(|t| !t.is_empty());
        let state = if target.is_none() { ImportedState::Initial } else { state };
        Ok(ImportedUnit { id, line: self.index.line_col(e.offset).0, source, target, state })
    }

    fn content_2_0(
        &self,
        e: &Element,
        data: &HashMap<&str, String>,
        codes: &HashMap<String, (Option<String>, Option<String>)>,
    ) -> Result<Vec<Read>, Box<Diagnostic>> {
        let mut out = Vec::new();
        for c in &e.children {
            let el = match c {
                Content::Text(t) => {
                    out.push(Read::Text(t.clone()));
                    continue;
                }
                Content::Element(el) => el,
            };
            let code = el.attr("id").and_then(|id| codes.get(id));
            let native = |attr: &str, fallback: Option<&Option<String>>| {
                let reference = el
                    .attr(attr)
                    .map(str::to_string)
                    .or_else(|| fallback.cloned().flatten())
                    .ok_or_else(|| {
                        self.error(
                            el,
                            format!(
                                "<{}> has no {attr}, and no source code with its id has one",
                                el.name
                            ),
                            "keep the codes of the source in the target, with their ids",
                        )
                    })?;
                data.get(reference.as_str()).cloned().ok_or_else(|| {
                    self.error(
                        el,
                        format!(
                            "<{}> refers to data `{reference}`, which <originalData> does not have",
                            el.name
                        ),
                        "restore the unit's <originalData>, or export the file again",
                    )
                })
            };
            match el.name.as_str() {
                "pc" => out.push(Read::Paired {
                    start: native("dataRefStart", code.map(|c| &c.0))?,
                    end: native("dataRefEnd", code.map(|c| &c.1))?,
                    children: self.content_2_0(el, data, codes)?,
                }),
                "ph" => {
                    out.push(Read::Placeholder { native: native("dataRef", code.map(|c| &c.0))? })
                }
                "cp" => {
                    let c = el
                        .attr("hex")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                        .ok_or_else(|| {
                            self.error(
                                el,
                                "<cp> needs a hex attribute naming a character".into(),
                                "write <cp hex=\"000C\"/>",
                            )
                        })?;
                    out.push(Read::Text(c.to_string()));
                }
                // Annotations (terms, comments) and their markers wrap text
                // without changing it.
                "mrk" => out.extend(self.content_2_0(el, data, codes)?),
                "sm" | "em" => {}
                other => {
                    return Err(self.error(
                        el,
                        format!("<{other}> codes are not used by diglot's sentences"),
                        "keep the source's <pc> and <ph> codes; diglot writes no <sc>/<ec>",
                    ));
                }
            }
        }
        Ok(out)
    }

    fn units_1_2(
        &self,
        parent: &Element,
        out: &mut Vec<ImportedUnit>,
    ) -> Result<(), Box<Diagnostic>> {
        for e in parent.elements() {
            match e.name.as_str() {
                "group" => self.units_1_2(e, out)?,
                "trans-unit" => out.push(self.unit_1_2(e)?),
                _ => {}
            }
        }
        Ok(())
    }

    fn unit_1_2(&self, unit: &Element) -> Result<ImportedUnit, Box<Diagnostic>> {
        let id = self.id(unit)?;
        let source = match unit.child("source") {
            Some(s) => self.content_1_2(s)?,
            None => {
                return Err(self.error(
                    unit,
                    "<trans-unit> has no <source>".into(),
                    "export the file again",
                ));
            }
        };
        let target = unit.child("target");
        let mut state = match target.and_then(|t| t.attr("state")) {
            Some("final" | "signed-off") => ImportedState::Final,
            Some(s) if s == "translated" || s.starts_with("needs-review") => {
                ImportedState::Translated
            }
            _ => ImportedState::Initial,
        };
        if unit.attr("approved") == Some("yes") {
            state = ImportedState::Final;
        }
        let target = match target {
            Some(t) => Some(self.content_1_2(t)?),
            None => None,
        };
        self.unit(unit, id, &source, target.as_deref(), state)
    }

    /// 1.2 content: native codes are the text of `<bpt>`, `<ept>`, `<ph>`;
    /// pairs are matched by id.
    fn content_1_2(&self, e: &Element) -> Result<Vec<Read>, Box<Diagnostic>> {
        // (id, start, children) of each open pair; the bottom is the root.
        let mut stack: Vec<(Option<String>, String, Vec<Read>)> =
            vec![(None, String::new(), Vec::new())];
        self.flat_1_2(e, &mut stack)?;
        if stack.len() > 1 {
            return Err(self.error(
                e,
                "a <bpt> has no <ept> with its id".into(),
                "keep each <bpt> with the <ept> that closes it",
            ));
        }
        Ok(stack.pop().map(|(_, _, c)| c).unwrap_or_default())
    }

    fn flat_1_2(
        &self,
        e: &Element,
        stack: &mut Vec<(Option<String>, String, Vec<Read>)>,
    ) -> Result<(), Box<Diagnostic>> {
        for c in &e.children {
            let top = &mut stack.last_mut().expect("root stays").2;
            let el = match c {
                Content::Text(t) => {
                    top.push(Read::Text(t.clone()));
                    continue;
                }
                Content::Element(el) => el,
            };
            match el.name.as_str() {
                "bpt" => stack.push((el.attr("id").map(str::to_string), plain_1_2(el), Vec::new())),
                "ept" => {
                    let matches = stack.len() > 1
                        && stack.last().and_then(|s| s.0.as_deref()) == el.attr("id");
                    if !matches {
                        return Err(self.error(
                            el,
                            "this <ept> closes no open <bpt> with its id".into(),
                            "keep each <bpt>/<ept> pair in order, with the same id",
                        ));
                    }
                    let (_, start, children) = stack.pop().expect("checked");
                    let end = plain_1_2(el);
                    stack.last_mut().expect("root stays").2.push(Read::Paired {
                        start,
                        end,
                        children,
                    });
                }
                "ph" => top.push(Read::Placeholder { native: plain_1_2(el) }),
                "g" | "mrk" => self.flat_1_2(el, stack)?,
                "x" | "bx" | "ex" | "it" | "sub" => {}
                other => {
                    return Err(self.error(
                        el,
                        format!("<{other}> is not XLIFF 1.2 inline content"),
                        "keep the source's <bpt>, <ept> and <ph> codes",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Folds each run of white space that holds a line break into one space,
/// and trims the ends. Hard breaks (`\` before the newline) stay.
fn fold_layout(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut run = String::new();
    for c in markdown.chars() {
        if c.is_whitespace() {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            let hard_break = out.ends_with('\\') && run.starts_with('\n');
            if run.contains('\n') && !hard_break {
                out.push(' ');
            } else {
                out.push_str(&run);
            }
            run.clear();
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// The least advanced of two states: a unit split into segments is as far
/// as its least advanced segment.
fn min_state(a: ImportedState, b: ImportedState) -> ImportedState {
    use ImportedState::*;
    match (a, b) {
        (Initial, _) | (_, Initial) => Initial,
        (Translated, _) | (_, Translated) => Translated,
        _ => Final,
    }
}

/// The data references of the source's codes, by code id, for target codes
/// that leave them out.
fn collect_codes(e: &Element, codes: &mut HashMap<String, (Option<String>, Option<String>)>) {
    for el in e.elements() {
        if let Some(id) = el.attr("id") {
            let refs = match el.name.as_str() {
                "pc" => (el.attr("dataRefStart"), el.attr("dataRefEnd")),
                "ph" => (el.attr("dataRef"), None),
                _ => (None, None),
            };
            codes.insert(id.to_string(), (refs.0.map(str::to_string), refs.1.map(str::to_string)));
        }
        collect_codes(el, codes);
    }
}

/// The text of a 2.0 `<data>` element, `<cp>`s included.
fn plain_2_0(e: &Element) -> String {
    let mut out = String::new();
    for c in &e.children {
        match c {
            Content::Text(t) => out.push_str(t),
            Content::Element(el) if el.name == "cp" => {
                if let Some(c) = el
                    .attr("hex")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                {
                    out.push(c);
                }
            }
            Content::Element(_) => {}
        }
    }
    out
}

/// The native code a 1.2 `<bpt>`, `<ept>` or `<ph>` holds (its text; a
/// `<sub>` flow inside is not code).
fn plain_1_2(e: &Element) -> String {
    e.children
        .iter()
        .filter_map(|c| match c {
            Content::Text(t) => Some(t.as_str()),
            Content::Element(_) => None,
        })
        .collect()
}
