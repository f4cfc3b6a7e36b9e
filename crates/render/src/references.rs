//! Reference links (`[text][label]`) and reference images (`![alt][label]`)
//! keep their label in messages and in the Markdown edition; the HTML and JSON editions need the URL, from the
//! article's link reference definitions.

use std::collections::BTreeMap;

use diglot_core::inline::{parse_markdown, to_markdown};
use diglot_core::{Edition, Inline, Verbatim, VerbatimKind};

/// The edition with every reference link and image whose label is defined
/// turned into an ordinary link or image. Labels match as CommonMark says: case-folded,
/// white space collapsed.
pub(crate) fn resolve(
    edition: &Edition,
    references: &BTreeMap<String, (String, String)>,
) -> Edition {
    let by_label: BTreeMap<String, &(String, String)> =
        references.iter().map(|(label, def)| (normalize(label), def)).collect();
    let mut out = edition.clone();
    for segment in out.blocks.iter_mut().flat_map(|b| b.segments.iter_mut()) {
        let fix = |text: &str| {
            if !text.contains("][") {
                return text.to_string();
            }
            to_markdown(&resolve_inlines(parse_markdown(text), &by_label))
        };
        segment.text = fix(&segment.text);
        segment.source = fix(&segment.source);
    }
    out
}

/// A paragraph kept as written that holds reference images or links
/// (`![][logo]`, `[![2024][chart]][data]`) with them resolved, for the HTML
/// editions; `None` when it needs nothing resolved.
pub(crate) fn resolve_verbatim(
    verbatim: &Verbatim,
    references: &BTreeMap<String, (String, String)>,
) -> Option<Verbatim> {
    let VerbatimKind::Raw { markdown } = &verbatim.kind else { return None };
    if references.is_empty() || !markdown.contains('[') {
        return None;
    }
    let by_label: BTreeMap<String, &(String, String)> =
        references.iter().map(|(label, def)| (normalize(label), def)).collect();
    let markdown = to_markdown(&resolve_inlines(parse_markdown(markdown.trim()), &by_label));
    Some(Verbatim { kind: VerbatimKind::Raw { markdown }, ..verbatim.clone() })
}

fn resolve_inlines(
    inlines: Vec<Inline>,
    by_label: &BTreeMap<String, &(String, String)>,
) -> Vec<Inline> {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::RefLink { label, children } => {
                let children = resolve_inlines(children, by_label);
                match by_label.get(&normalize(&label)) {
                    Some((href, title)) => {
                        Inline::Link { href: href.clone(), title: title.clone(), children }
                    }
                    None => Inline::RefLink { label, children },
                }
            }
            Inline::RefImage { label, alt } => match by_label.get(&normalize(&label)) {
                Some((src, title)) => Inline::Image { src: src.clone(), title: title.clone(), alt },
                None => Inline::RefImage { label, alt },
            },
            Inline::Emphasis(c) => Inline::Emphasis(resolve_inlines(c, by_label)),
            Inline::Strong(c) => Inline::Strong(resolve_inlines(c, by_label)),
            Inline::Link { href, title, children } => {
                Inline::Link { href, title, children: resolve_inlines(children, by_label) }
            }
            other => other,
        })
        .collect()
}

fn normalize(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}
