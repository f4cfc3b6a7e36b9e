use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::SegmentId;

/// What a target locale file holds: one translation per segment ID.
///
/// `fluent` reads it from `locales/<locale>/<slug>.ftl`; `translate` uses it
/// to build an [`crate::Edition`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translations {
    pub entries: BTreeMap<SegmentId, Translation>,
}

impl Translations {
    pub fn get(&self, id: &SegmentId) -> Option<&Translation> {
        self.entries.get(id)
    }
}

/// A translation of one segment and how far it can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// The translated text (Markdown inline).
    pub text: String,
    pub state: TranslationState,
}

/// The review state of a translation, as its locale file records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TranslationState {
    /// Written or accepted by a translator.
    Reviewed,
    /// Made for an earlier version of the source sentence, which it names.
    /// Kept for the translator to update; never published as current.
    Stale { previous_source: String },
    /// A draft from a machine or from translation memory, not yet reviewed.
    /// `checks` lists what a reviewer should look at (a glossary term the
    /// draft does not use, say).
    Unreviewed {
        origin: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        checks: Vec<String>,
    },
}
