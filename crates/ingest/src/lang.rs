//! Language detection, English or Spanish only.

use diglot_core::{Locale, parse_locale};
use whatlang::{Detector, Lang, Script};

/// Below this many letters a guess is noise.
const MIN_LETTERS: usize = 20;
/// Whatlang's confidence (0..1) from which a guess counts even when whatlang
/// does not call it reliable.
const MIN_CONFIDENCE: f64 = 0.5;

/// Guesses whether `text` is English or Spanish: `Some(en)` or `Some(es)`
/// (bare language tags), or `None` when the text is too short, not in Latin
/// script, clearly another language, or the guess is unsure.
pub fn detect_language(text: &str) -> Option<Locale> {
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    // Choosing between two languages always picks one, so first make sure the
    // text is not plainly a third (French, Portuguese, ...).
    if let Some(any) = whatlang::detect(text)
        && any.is_reliable()
        && !matches!(any.lang(), Lang::Eng | Lang::Spa)
    {
        return None;
    }
    let info = Detector::with_allowlist(vec![Lang::Eng, Lang::Spa]).detect(text)?;
    if info.script() != Script::Latin
        || !(info.is_reliable() || info.confidence() >= MIN_CONFIDENCE)
    {
        return None;
    }
    let tag = match info.lang() {
        Lang::Eng => "en",
        Lang::Spa => "es",
        _ => return None,
    };
    parse_locale(tag).ok()
}
