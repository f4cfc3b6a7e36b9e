//! diglot-translate: turns a segmented article and a locale's translations
//! into an [`Edition`] for that locale.
//!
//! [`localize`] takes each segment's text from the target locale's
//! [`Translations`]; a missing or stale translation falls back to the source
//! text and is marked so in the edition (and from there in the build report
//! and the rendered page). [`Translator`] is the seam machine-translation
//! providers and translation memory plug into: a batch of texts in, the same
//! number back, in order.
//!
//! This crate never reads or writes locale files; it gets and returns core
//! types.

use std::collections::BTreeMap;

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
    }
}

/// What a translation provider can take in one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Texts per request.
    pub max_texts: usize,
    /// Bytes of text per request.
    pub max_bytes: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
}

/// A source of translations: a machine-translation engine, a translation
/// memory. Given a batch of segment texts (Markdown inline) in `source`, it
/// returns their translations into `target`, one per text, in order.
pub trait Translator {
    /// A short name for reports: `apertium`, `deepl`, `memory`.
    fn name(&self) -> &str;
    fn limits(&self) -> Limits;
    fn translate(
        &self,
        texts: &[&str],
        source: &Locale,
        target: &Locale,
    ) -> Result<Vec<String>, Error>;
}

/// Why a translator produced nothing for a batch.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{provider}: {message}")]
    Provider { provider: String, message: String },
    #[error("{provider} returned {got} translations for {sent} texts")]
    WrongCount { provider: String, sent: usize, got: usize },
}

#[cfg(test)]
mod tests;
