//! The edition as JSON, each segment's published text as parsed inline
//! markup, for front ends that build their own pages.
//!
//! Sized to its content: one line, no field written twice. A segment has
//! its `id`, its `status` unless it is the edition's usual one, and its
//! published text as `inlines`; the source text is in the source edition's
//! file, segment for segment by `id`. `inlines` is core's JSON form of
//! [`Inline`]: text is a bare string; other inlines are objects named by
//! their one kind key (`{"code": "x"}`, `{"emphasis": [...]}`).
//! `schemas/edition.schema.json` describes it;
//! `format_version` changes when a field changes meaning or goes away.

use std::collections::BTreeMap;

use diglot_core::{
    BlockKind, ColumnAlign, Edition, Footnote, FrontMatterSyntax, Inline, Locale, SegmentId,
    SegmentStatus, Verbatim, VerbatimKind,
};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::Error;
use crate::html::Parsed;

/// Bumped when a field changes meaning or goes away. 2: one line, `inlines`
/// alone carries a segment's text (no `source`, no `text`), inline text as
/// bare strings, `status` only when not the edition's usual one.
const FORMAT_VERSION: u32 = 2;

#[derive(Serialize)]
struct JsonEdition<'a> {
    format_version: u32,
    slug: &'a str,
    locale: &'a Locale,
    source_locale: &'a Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
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
    /// The attributes an HTML article's images have beside their source,
    /// alternative text and title (size, `srcset`, loading hints, classes),
    /// by source, in the order the page writes them; those that would run
    /// script or restyle a page are left out, as on the HTML page.
    #[serde(skip_serializing_if = "ImageAttributes::is_empty")]
    image_attributes: ImageAttributes<'a>,
    /// The edition's messages, and the article's data under the keys the
    /// JSON edition has always had them (see [`strings`]).
    strings: BTreeMap<&'a str, String>,
}

/// [`JsonEdition::image_attributes`]: the attributes shown, each image's as
/// an object in source order.
struct ImageAttributes<'a>(Vec<(&'a str, Vec<&'a (String, String)>)>);

impl<'a> ImageAttributes<'a> {
    fn new(images: crate::html::Images<'a>) -> Self {
        let shown = images.into_iter().flatten().map(|(src, attributes)| {
            let attributes: Vec<&(String, String)> = attributes
                .iter()
                .filter(|(name, _)| crate::html::is_shown_image_attribute(name))
                .collect();
            (src.as_str(), attributes)
        });
        ImageAttributes(shown.filter(|(_, a)| !a.is_empty()).collect())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for ImageAttributes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Attributes<'b>(&'b [&'b (String, String)]);
        impl Serialize for Attributes<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (name, value) in self.0 {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (src, attributes) in &self.0 {
            map.serialize_entry(src, &Attributes(attributes))?;
        }
        map.end()
    }
}

/// The JSON edition's `strings`: the edition's messages, with the
/// publication date, author, draft flag and TOML front matter under their
/// `meta-` keys, as format 2 published them when they were strings too.
fn strings(edition: &Edition) -> BTreeMap<&str, String> {
    let mut out: BTreeMap<&str, String> =
        edition.strings.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    if let Some(date) = edition.published {
        out.insert("meta-published", date.to_string());
    }
    if let Some(author) = &edition.author {
        out.insert("meta-author", author.clone());
    }
    if edition.draft {
        out.insert("meta-draft", "true".into());
    }
    if edition.front_matter == FrontMatterSyntax::Toml {
        out.insert("meta-front-matter", "toml".into());
    }
    out
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
    /// Absent when the text is the edition's own: `source` in the source
    /// edition, `translated` in the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<SegmentStatus>,
    /// Core's JSON form of inline markup.
    inlines: &'a [Inline],
}

pub(crate) fn page(
    parsed: &Parsed<'_>,
    verbatim: &[(usize, &Verbatim)],
    aligns: &[Vec<ColumnAlign>],
    footnotes: &BTreeMap<usize, &Footnote>,
) -> Result<String, Error> {
    let edition = parsed.edition;
    let usual = if edition.is_source() { SegmentStatus::Source } else { SegmentStatus::Translated };
    let json = JsonEdition {
        format_version: FORMAT_VERSION,
        slug: &edition.slug,
        locale: &edition.locale,
        source_locale: &edition.source_locale,
        title: edition.title(),
        blocks: edition
            .blocks
            .iter()
            .zip(parsed.blocks())
            .enumerate()
            .map(|(i, (b, inlines))| JsonBlock {
                kind: &b.kind,
                footnote: footnotes.get(&i).map(|f| f.label.as_str()),
                segments: b
                    .segments
                    .iter()
                    .zip(inlines)
                    .map(|(s, inlines)| JsonSegment {
                        id: &s.id,
                        status: (s.status != usual).then_some(s.status),
                        inlines,
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
        image_attributes: ImageAttributes::new(parsed.images),
        strings: strings(edition),
    };
    let mut out = serde_json::to_string(&json)
        .map_err(|source| Error::Json { locale: edition.locale.to_string(), source })?;
    out.push('\n');
    Ok(out)
}
