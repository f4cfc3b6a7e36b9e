//! TMX 1.4b in and out of the memory.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use diglot_core::Locale;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::store::insert_entry;
use super::{Error, Memory, TmxImport, normalize, sqlite};
use crate::Pair;

impl Memory {
    /// Imports a TMX 1.4b document (TMX 1.1's `lang` is read as `xml:lang`).
    /// Nothing is stored unless the whole document is well-formed XML with a
    /// `<tmx>` root; the error names the line and the element open there.
    ///
    /// Inside `<seg>`, the native codes of `<bpt>`, `<ept>`, `<ph>`, `<it>`
    /// and `<ut>` (`<b>`, `{0}`) are dropped with whatever they hold, and the
    /// text of `<hi>` (and of any other element) is kept; the memory stores
    /// plain text, so the formatting they mark is lost. Each unit gives
    /// one entry per pair from its source language (the unit's `srclang`,
    /// else the header's) to each other language in it; with `*all*` every
    /// language is a source. Language tags match case-insensitively; the
    /// first variant of a language in a unit wins.
    pub fn import_tmx(&mut self, xml: &str, origin: &str) -> Result<TmxImport, Error> {
        let doc = parse_tmx(xml, origin)?;
        let mut report = TmxImport::default();
        let mut batches: BTreeMap<String, (Pair, Vec<(String, String)>)> = BTreeMap::new();
        for unit in &doc.units {
            let mut variants: Vec<(Locale, String)> = Vec::new();
            for (tag, seg) in &unit.variants {
                if let Ok(locale) = tag.parse::<Locale>()
                    && !variants.iter().any(|(l, _)| *l == locale)
                {
                    variants.push((locale, normalize(seg)));
                }
            }
            let srclang = unit.srclang.as_deref().or(doc.srclang.as_deref()).unwrap_or("");
            let sources: Vec<usize> = if srclang.eq_ignore_ascii_case("*all*") {
                (0..variants.len()).collect()
            } else {
                match srclang.parse::<Locale>() {
                    Ok(src) => variants.iter().position(|(l, _)| *l == src).into_iter().collect(),
                    Err(_) => Vec::new(),
                }
            };
            if variants.len() < 2 || sources.is_empty() {
                report.unpaired += 1;
                continue;
            }
            for &s in &sources {
                for t in (0..variants.len()).filter(|&t| t != s) {
                    let pair = Pair::new(variants[s].0.clone(), variants[t].0.clone());
                    let key = pair.key();
                    let counts = report.pairs.entry(key.clone()).or_default();
                    let (source, target) = (&variants[s].1, &variants[t].1);
                    if source.is_empty() || target.is_empty() {
                        counts.skipped += 1;
                        continue;
                    }
                    counts.imported += 1;
                    batches
                        .entry(key)
                        .or_insert_with(|| (pair, Vec::new()))
                        .1
                        .push((source.clone(), target.clone()));
                }
            }
        }
        // Pairs first, each committed on its own, so no cached pair id can
        // point at a rolled-back row.
        let mut ids = Vec::new();
        for (pair, entries) in batches.into_values() {
            ids.push((self.ensure_pair(&pair)?, entries));
        }
        let path = &self.path;
        let err = |action| move |e| sqlite(path, action, e);
        let tx = self.conn.transaction().map_err(err("start a transaction"))?;
        for (pair_id, entries) in &ids {
            for (source, target) in entries {
                insert_entry(&tx, *pair_id, source, target, origin)
                    .map_err(err("add a memory entry"))?;
            }
        }
        tx.commit().map_err(err("commit the TMX import"))?;
        self.writes.set(self.writes.get() + 1);
        Ok(report)
    }

    /// The pair's entries as a TMX 1.4b document, sorted by source, with no
    /// dates: the same memory always gives the same bytes.
    pub fn export_tmx(&self, pair: &Pair) -> Result<String, Error> {
        let mut out = String::new();
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
        let _ = writeln!(
            out,
            "  <header creationtool=\"diglot\" creationtoolversion=\"{}\" datatype=\"plaintext\" \
             segtype=\"sentence\" adminlang=\"en\" srclang=\"{}\" o-tmf=\"diglot\"/>",
            env!("CARGO_PKG_VERSION"),
            xml_escape(&pair.source.to_string()),
        );
        out.push_str("  <body>\n");
        if let Some(pair_id) = self.pair_id(pair)? {
            let (src, tgt) =
                (xml_escape(&pair.source.to_string()), xml_escape(&pair.target.to_string()));
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT source, target, origin FROM tm_entry WHERE pair_id = ?1 ORDER BY source",
                )
                .map_err(self.err("export the memory"))?;
            let mut rows = st.query([pair_id]).map_err(self.err("export the memory"))?;
            while let Some(row) = rows.next().map_err(self.err("export the memory"))? {
                let get = |i| row.get::<_, String>(i).map_err(self.err("export the memory"));
                let (source, target, origin) = (get(0)?, get(1)?, get(2)?);
                let _ = write!(
                    out,
                    "    <tu>\n      <prop type=\"x-origin\">{}</prop>\n      \
                     <tuv xml:lang=\"{src}\"><seg>{}</seg></tuv>\n      \
                     <tuv xml:lang=\"{tgt}\"><seg>{}</seg></tuv>\n    </tu>\n",
                    xml_escape(&origin),
                    xml_escape(&source),
                    xml_escape(&target),
                );
            }
        }
        out.push_str("  </body>\n</tmx>\n");
        Ok(out)
    }
}

/// Escapes text for XML; characters XML 1.0 cannot carry at all (C0
/// controls other than tab and line breaks) become U+FFFD.
fn xml_escape(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

/// A parsed TMX document: only what the memory keeps.
#[derive(Debug, Default)]
struct TmxDoc {
    /// The header's `srclang`.
    srclang: Option<String>,
    units: Vec<TmxUnit>,
}

#[derive(Debug, Default)]
struct TmxUnit {
    srclang: Option<String>,
    /// `(xml:lang, segment text)` in document order.
    variants: Vec<(String, String)>,
}

/// Elements inside `<seg>` whose content is a native code (`<b>`, `{0}`),
/// not text: dropped with what they contain (`<sub>` included). The text
/// inside `<hi>` (and any other element) is kept.
const NATIVE_CODES: [&[u8]; 5] = [b"bpt", b"ept", b"ph", b"it", b"ut"];

/// Reads a TMX document: `<tmx>`, `<header srclang>`, `<body>`, `<tu
/// srclang?>`, `<tuv xml:lang>` (or TMX 1.1's `lang`), `<seg>`; notes,
/// props and unknown elements outside segments are ignored. Errors on XML
/// that is not well-formed, name the line and the element open there.
fn parse_tmx(xml: &str, origin: &str) -> Result<TmxDoc, Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let error = |pos: u64, stack: &[Vec<u8>], message: String| {
        let pos = (pos as usize).min(xml.len());
        Error::Tmx {
            origin: origin.to_string(),
            line: xml.as_bytes()[..pos].iter().filter(|&&b| b == b'\n').count() + 1,
            element: stack.last().map_or("document".into(), |e| String::from_utf8_lossy(e).into()),
            message,
        }
    };

    let mut doc = TmxDoc::default();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut seen_root = false;
    let mut unit: Option<TmxUnit> = None;
    let mut lang: Option<String> = None;
    let mut seg: Option<String> = None;
    let mut seg_text: Option<String> = None;
    // Depth inside a native-code element within <seg>.
    let mut skip = 0usize;

    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| error(reader.error_position(), &stack, e.to_string()))?;
        let text_error = |e: &dyn fmt::Display| error(pos, &stack, e.to_string());
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name().as_ref().to_vec();
                if seg.is_some() {
                    if skip > 0 || NATIVE_CODES.contains(&name.as_slice()) {
                        skip += usize::from(!empty);
                    }
                } else {
                    let parent = stack.last().map(Vec::as_slice);
                    match (parent, name.as_slice()) {
                        (None, b"tmx") if !seen_root => seen_root = true,
                        (None, _) => {
                            return Err(error(
                                pos,
                                &stack,
                                format!(
                                    "the root element is <{}>, not <tmx>",
                                    String::from_utf8_lossy(&name)
                                ),
                            ));
                        }
                        (Some(b"tmx"), b"header") => {
                            doc.srclang =
                                attribute(e, &[b"srclang"]).map_err(|m| text_error(&m))?;
                        }
                        (Some(b"body"), b"tu") => {
                            unit = Some(TmxUnit {
                                srclang: attribute(e, &[b"srclang"]).map_err(|m| text_error(&m))?,
                                variants: Vec::new(),
                            });
                        }
                        (Some(b"tu"), b"tuv") => {
                            lang = attribute(e, &[b"xml:lang", b"lang"])
                                .map_err(|m| text_error(&m))?;
                            seg_text = None;
                        }
                        (Some(b"tuv"), b"seg") if !empty => seg = Some(String::new()),
                        (Some(b"tuv"), b"seg") => seg_text = Some(String::new()),
                        _ => {}
                    }
                }
                if !empty {
                    stack.push(name);
                } else if seg.is_none() {
                    close(&name, &mut unit, &mut lang, &mut seg_text, &mut doc);
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if seg.is_some() {
                    if skip > 0 {
                        skip -= 1;
                    } else if name == b"seg" {
                        seg_text = seg.take();
                    }
                } else {
                    close(&name, &mut unit, &mut lang, &mut seg_text, &mut doc);
                }
            }
            Event::Text(ref t) if skip == 0 => {
                if let Some(seg) = &mut seg {
                    seg.push_str(&t.xml10_content().map_err(|e| text_error(&e))?);
                }
            }
            Event::CData(ref t) if skip == 0 => {
                if let Some(seg) = &mut seg {
                    seg.push_str(&t.decode().map_err(|e| text_error(&e))?);
                }
            }
            Event::GeneralRef(ref r) => {
                let name = r.decode().map_err(|e| text_error(&e))?;
                let resolved = match r.resolve_char_ref().map_err(|e| text_error(&e))? {
                    Some(c) => c.to_string(),
                    None => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(text_error(&format!("unknown entity &{name};")));
                        }
                    },
                };
                if let (Some(seg), 0) = (&mut seg, skip) {
                    seg.push_str(&resolved);
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(error(
                        pos,
                        &stack,
                        format!("the document ends before </{}>", String::from_utf8_lossy(open)),
                    ));
                }
                if !seen_root {
                    return Err(error(pos, &stack, "no <tmx> element".into()));
                }
                return Ok(doc);
            }
            _ => {}
        }
    }
}

/// Handles the end of a TMX element outside segments.
fn close(
    name: &[u8],
    unit: &mut Option<TmxUnit>,
    lang: &mut Option<String>,
    seg_text: &mut Option<String>,
    doc: &mut TmxDoc,
) {
    match name {
        b"tuv" => {
            if let (Some(unit), Some(lang), Some(text)) =
                (unit.as_mut(), lang.take(), seg_text.take())
            {
                unit.variants.push((lang, text));
            }
        }
        b"tu" => doc.units.extend(unit.take()),
        _ => {}
    }
}

/// The unescaped value of the first of `names` present on `e`.
fn attribute(e: &BytesStart<'_>, names: &[&[u8]]) -> Result<Option<String>, String> {
    for name in names {
        if let Some(attr) = e.try_get_attribute(name).map_err(|e| e.to_string())? {
            return Ok(Some(attr.unescape_value().map_err(|e| e.to_string())?.into_owned()));
        }
    }
    Ok(None)
}
