//! diglot-translate: turns a segmented article and a locale's translations
//! into an [`Edition`] for that locale.
//!
//! [`localize`] takes each segment's text from the target locale's
//! [`Translations`]; a missing or stale translation falls back to the source
//! text and is marked so in the edition (and from there in the build report
//! and the rendered page). [`Translator`] is the seam machine-translation
//! providers plug into: a batch of texts in, the same number back, in order.
//! [`engine`] fills missing and stale segments from a chain of sources
//! (translation [`memory`], then providers), with markup [`protect`]ion,
//! [`glossary`] checks, retries, a circuit breaker per provider and an MT
//! cache; [`eval`] scores drafts (chrF, BLEU); [`align`] pairs an existing
//! human translation with the article, sentence by sentence.
//!
//! This crate never reads or writes locale files; it gets and returns core
//! types. Its one store on disk is the SQLite database of [`memory`], at a
//! path the caller gives.

pub mod align;
pub mod engine;
pub mod eval;
pub mod glossary;
pub mod memory;
pub mod protect;
mod provider;
pub mod providers;

use std::collections::BTreeMap;

pub use provider::{
    Batch, BoxFuture, GlossaryTerm, Limits, Pair, ProviderError, TextKind, Translator,
};

use diglot_core::{
    Edition, EditionBlock, Locale, LocalizedSegment, SegmentStatus, Segmented, TranslationState,
    Translations,
};

/// Builds the edition of `segmented` in `locale`. When `locale` is the
/// source's own, every segment is published as written.
pub fn localize(
    slug: &str,
    segmented: &Segmented,
    locale: &Locale,
    translations: &Translations,
) -> Edition {
    let is_source = *locale == segmented.lang;
    let blocks = segmented
        .blocks
        .iter()
        .map(|block| EditionBlock {
            kind: block.kind,
            segments: block
                .segments
                .iter()
                .map(|seg| {
                    let (text, status) = if is_source {
                        (seg.text.clone(), SegmentStatus::Source)
                    } else if diglot_core::inline::is_verbatim(&seg.text) {
                        // Nothing to translate (`2024`, `3.5%`): as written.
                        (seg.text.clone(), SegmentStatus::Translated)
                    } else {
                        match translations.get(&seg.id) {
                            None => (seg.text.clone(), SegmentStatus::Missing),
                            Some(t) => match &t.state {
                                TranslationState::Reviewed => {
                                    (t.text.clone(), SegmentStatus::Translated)
                                }
                                TranslationState::Unreviewed { .. } => {
                                    (t.text.clone(), SegmentStatus::Unreviewed)
                                }
                                TranslationState::Stale { .. } => {
                                    (seg.text.clone(), SegmentStatus::Stale)
                                }
                            },
                        }
                    };
                    LocalizedSegment { id: seg.id.clone(), source: seg.text.clone(), text, status }
                })
                .collect(),
        })
        .collect();
    Edition {
        slug: slug.to_string(),
        locale: locale.clone(),
        source_locale: segmented.lang.clone(),
        blocks,
        strings: BTreeMap::new(),
        published: None,
        author: None,
        draft: false,
        front_matter: Default::default(),
        counts: Default::default(),
    }
}

#[cfg(test)]
mod tests;
