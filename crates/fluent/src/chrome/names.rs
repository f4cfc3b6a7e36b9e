//! Language names from CLDR, through ICU4X: what an edition calls its own
//! language, in that language ("Français", "Deutsch", "Català").

use diglot_core::Locale;
use icu_casemap::TitlecaseMapper;
use icu_casemap::options::{TitlecaseOptions, TrailingCase};
use icu_experimental::displaynames::{
    DisplayNamesOptions, LanguageDisplayNames, LocaleDisplayNamesFormatter,
};

use super::icu_locale;

/// The locale's language as it names itself: its CLDR autonym, or with
/// `with_region` the name of its variety ("British English", "Français
/// canadien") when CLDR has one.
///
/// CLDR writes many autonyms in lower case ("français", "català") and asks
/// for a capital where a name stands alone or heads a menu item, which is
/// where an edition shows it; the capital is the language's own
/// (ICU4X titlecasing). A language CLDR has no name for in its own
/// language gets its English name, and an unknown one its tag.
pub fn language_name(locale: &Locale, with_region: bool) -> String {
    let icu = icu_locale(locale);
    let own = LanguageDisplayNames::try_new((&icu).into(), DisplayNamesOptions::default())
        .ok()
        .and_then(|names| names.of(icu.id.language).map(str::to_string));
    let name = match own {
        Some(own) if with_region && icu.id.region.is_some() => {
            LocaleDisplayNamesFormatter::try_new((&icu).into(), DisplayNamesOptions::default())
                .map(|f| f.of(&icu).into_owned())
                .unwrap_or(own)
        }
        Some(own) => own,
        None => return english_language_name(locale),
    };
    let mut options = TitlecaseOptions::default();
    options.trailing_case = Some(TrailingCase::Unchanged);
    TitlecaseMapper::new().titlecase_segment_to_string(&name, &icu.id, options).into_owned()
}

/// The locale's language named in English ("Dutch"), for messages to the
/// user; its tag when CLDR does not know it.
pub(crate) fn english_language_name(locale: &Locale) -> String {
    let en = icu_locale_core::locale!("en");
    LanguageDisplayNames::try_new((&en).into(), DisplayNamesOptions::default())
        .ok()
        .and_then(|names| names.of(icu_locale(locale).id.language).map(str::to_string))
        .unwrap_or_else(|| locale.language.to_string())
}

/// Whether CLDR knows the locale's language (has an English name for it):
/// `xx` or `qq` is well-formed but names no language.
pub fn is_known_language(locale: &Locale) -> bool {
    let en = icu_locale_core::locale!("en");
    LanguageDisplayNames::try_new((&en).into(), DisplayNamesOptions::default())
        .ok()
        .is_some_and(|names| names.of(icu_locale(locale).id.language).is_some())
}
