use unic_langid::LanguageIdentifier;

/// A BCP 47 locale such as `en-US` or `es-ES`.
pub type Locale = LanguageIdentifier;

/// Parses a BCP 47 tag, with a message that names the tag on failure.
pub fn parse_locale(tag: &str) -> Result<Locale, String> {
    tag.parse::<Locale>().map_err(|e| format!("`{tag}` is not a valid BCP 47 locale: {e}"))
}

/// The primary language subtag: `es` for `es-ES`, `en` for `en-US`.
pub fn language_of(locale: &Locale) -> &str {
    locale.language.as_str()
}
