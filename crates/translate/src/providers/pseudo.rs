//! Pseudolocalization: a "translation" that keeps every sentence readable
//! while showing which strings are not localized and where a layout breaks
//! on longer or right-to-left text.
//!
//! Letters of the text are replaced with accented look-alikes (`accented`,
//! optionally elongated by doubling vowels, about 30% longer) or with
//! upside-down ones in a right-to-left override (`bidi`), using
//! fluent-pseudo's maps. Tags and entities of the protected text are never
//! touched, so markup and escaping survive; digits are not letters, so
//! numbers survive too. It translates any pair.

use serde::{Deserialize, Serialize};

use crate::{Batch, BoxFuture, Limits, ProviderError, Translator};

/// Which transformation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PseudoStyle {
    /// `Ħeeŀŀoo Ẇoořŀḓ`.
    #[default]
    Accented,
    /// `Hǝʅʅo Moɹʅp` between U+202E and U+202C, so it reads right to left.
    Bidi,
}

/// `[providers.pseudo]` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PseudoSettings {
    pub style: PseudoStyle,
    /// Make text about 30% longer (accented style only, as in Fluent).
    pub elongate: bool,
}

impl Default for PseudoSettings {
    fn default() -> Self {
        PseudoSettings { style: PseudoStyle::Accented, elongate: true }
    }
}

/// The pseudolocalization provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pseudo {
    settings: PseudoSettings,
}

const RIGHT_TO_LEFT_OVERRIDE: char = '\u{202e}';
const POP_DIRECTIONAL_FORMATTING: char = '\u{202c}';

impl Pseudo {
    pub fn new(settings: PseudoSettings) -> Pseudo {
        Pseudo { settings }
    }

    /// Transforms the text between tags and entities of one protected text.
    pub(crate) fn transform(&self, protected: &str) -> String {
        let flipped = self.settings.style == PseudoStyle::Bidi;
        let elongate = self.settings.elongate && !flipped;
        let mut out = String::with_capacity(protected.len() * 2);
        if flipped {
            out.push(RIGHT_TO_LEFT_OVERRIDE);
        }
        let mut rest = protected;
        // fluent_pseudo::transform_dom does this split too, but applies the
        // default style to every run but the last one, so split here.
        while let Some(start) = rest.find(['<', '&']) {
            out.push_str(&fluent_pseudo::transform(&rest[..start], flipped, elongate));
            let close = if rest[start..].starts_with('<') { '>' } else { ';' };
            let end = rest[start..].find(close).map_or(rest.len(), |e| start + e + 1);
            out.push_str(&rest[start..end]);
            rest = &rest[end..];
        }
        out.push_str(&fluent_pseudo::transform(rest, flipped, elongate));
        if flipped {
            out.push(POP_DIRECTIONAL_FORMATTING);
        }
        out
    }
}

impl Translator for Pseudo {
    fn name(&self) -> &str {
        "pseudo"
    }

    fn limits(&self) -> Limits {
        Limits { max_texts: 10_000, max_bytes: 10_000_000, concurrency: 1 }
    }

    fn fingerprint(&self) -> String {
        match (self.settings.style, self.settings.elongate) {
            (PseudoStyle::Accented, true) => "accented;elongate".into(),
            (PseudoStyle::Accented, false) => "accented".into(),
            (PseudoStyle::Bidi, _) => "bidi".into(),
        }
    }

    fn translate<'a>(
        &'a self,
        batch: Batch<'a>,
    ) -> BoxFuture<'a, Result<Vec<String>, ProviderError>> {
        Box::pin(async move { Ok(batch.texts.iter().map(|t| self.transform(t)).collect()) })
    }
}
