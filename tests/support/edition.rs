//! An edition made straight from a segmented article, each segment's text
//! and status given by a function: for the fidelity test and benchmark,
//! which render editions without locale files.

use std::collections::BTreeMap;

use diglot_core::{Edition, EditionBlock, LocalizedSegment, SegmentStatus, Segmented};

/// The edition of `segmented` in `locale` (the source being en-US), each
/// segment's text and status `localize(source text)`.
pub fn edition_of(
    segmented: &Segmented,
    slug: &str,
    locale: &str,
    localize: impl Fn(&str) -> (String, SegmentStatus),
) -> Edition {
    Edition {
        slug: slug.into(),
        locale: locale.parse().expect("locale"),
        source_locale: "en-US".parse().expect("locale"),
        blocks: segmented
            .blocks
            .iter()
            .map(|b| EditionBlock {
                kind: b.kind,
                segments: b
                    .segments
                    .iter()
                    .map(|s| {
                        let (text, status) = localize(&s.text);
                        LocalizedSegment { id: s.id.clone(), source: s.text.clone(), text, status }
                    })
                    .collect(),
            })
            .collect(),
        strings: BTreeMap::new(),
        published: None,
        author: None,
        draft: false,
        front_matter: Default::default(),
        counts: Default::default(),
    }
}
