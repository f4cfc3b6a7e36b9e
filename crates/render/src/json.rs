//! The edition as JSON, each segment with its inline markup parsed, for
//! front ends that build their own pages. It deserializes back into an
//! [`Edition`]: the added fields (`title`, `inlines`) are ignored then.

use std::collections::BTreeMap;

use diglot_core::{
    BlockKind, ColumnAlign, Edition, Footnote, Inline, Locale, SegmentId, SegmentStatus, Verbatim,
    VerbatimKind,
};
use serde::Serialize;

use crate::Error;

#[derive(Serialize)]
struct JsonEdition<'a> {
    slug: &'a str,
    locale: &'a Locale,
    source_locale: &'a Locale,
    title: Option<String>,
    blocks: Vec<JsonBlock<'a>>,
    /// Blocks of a Markdown source with nothing to translate (code, raw
    /// HTML, rules, image or shortcode paragraphs), each placed before the
    /// block of `blocks` it precedes in the source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    verbatim: Vec<JsonVerbatim<'a>>,
    /// Each table's column alignment (`none`, `left`, `center`, `right`),
    /// by the `table` number of its cells.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    table_alignments: &'a [Vec<ColumnAlign>],
    strings: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct JsonVerbatim<'a> {
    /// Index in `blocks` of the block it comes before; absent at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    before_block: Option<usize>,
    #[serde(flatten)]
    kind: &'a VerbatimKind,
}

#[derive(Serialize)]
struct JsonBlock<'a> {
    kind: &'a BlockKind,
    /// The label of the footnote definition the block belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    footnote: Option<&'a str>,
    segments: Vec<JsonSegment<'a>>,
}

#[derive(Serialize)]
struct JsonSegment<'a> {
    id: &'a SegmentId,
    source: &'a str,
    text: &'a str,
    status: SegmentStatus,
    inlines: Vec<JsonInline>,
}

/// Inline markup as JSON objects tagged by `type`. (Core's `Inline` cannot go
/// through serde_json as is: an internally tagged enum cannot hold a bare
/// string, as its `Text` and `Code` variants do.)
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum JsonInline {
    Text {
        text: String,
    },
    Emphasis {
        children: Vec<JsonInline>,
    },
    Strong {
        children: Vec<JsonInline>,
    },
    Code {
        text: String,
    },
    Link {
        href: String,
        title: String,
        children: Vec<JsonInline>,
    },
    /// A reference link whose label has no definition.
    RefLink {
        label: String,
        children: Vec<JsonInline>,
    },
    /// An image, with its translated alternative text and title.
    Image {
        src: String,
        title: String,
        alt: String,
    },
    Break,
    /// Source markup kept as written (inline HTML, a reference image, a
    /// footnote reference, a shortcode).
    Raw {
        text: String,
    },
}

fn json_inlines(inlines: Vec<Inline>) -> Vec<JsonInline> {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(text) => JsonInline::Text { text },
            Inline::Emphasis(c) => JsonInline::Emphasis { children: json_inlines(c) },
            Inline::Strong(c) => JsonInline::Strong { children: json_inlines(c) },
            Inline::Code(text) => JsonInline::Code { text },
            Inline::Link { href, title, children } => {
                JsonInline::Link { href, title, children: json_inlines(children) }
            }
            Inline::RefLink { label, children } => {
                JsonInline::RefLink { label, children: json_inlines(children) }
            }
            Inline::Image { src, title, alt } => JsonInline::Image { src, title, alt },
            Inline::Break => JsonInline::Break,
            Inline::Raw(text) => JsonInline::Raw { text },
        })
        .collect()
}

pub(crate) fn page(
    edition: &Edition,
    verbatim: &[(usize, &Verbatim)],
    aligns: &[Vec<ColumnAlign>],
    footnotes: &BTreeMap<usize, &Footnote>,
) -> Result<String, Error> {
    let json = JsonEdition {
        slug: &edition.slug,
        locale: &edition.locale,
        source_locale: &edition.source_locale,
        title: edition.title(),
        blocks: edition
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| JsonBlock {
                kind: &b.kind,
                footnote: footnotes.get(&i).map(|f| f.label.as_str()),
                segments: b
                    .segments
                    .iter()
                    .map(|s| JsonSegment {
                        id: &s.id,
                        source: &s.source,
                        text: &s.text,
                        status: s.status,
                        inlines: json_inlines(crate::html::segment_inlines(s)),
                    })
                    .collect(),
            })
            .collect(),
        verbatim: verbatim
            .iter()
            .map(|(before, v)| JsonVerbatim {
                before_block: (*before != usize::MAX).then_some(*before),
                kind: &v.kind,
            })
            .collect(),
        table_alignments: aligns,
        strings: &edition.strings,
    };
    let mut out = serde_json::to_string_pretty(&json)
        .map_err(|source| Error::Json { locale: edition.locale.to_string(), source })?;
    out.push('\n');
    Ok(out)
}
