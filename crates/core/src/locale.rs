use unic_langid::LanguageIdentifier;

/// A BCP 47 locale such as `en-US` or `es-ES`.
pub type Locale = LanguageIdentifier;

/// Parses a BCP 47 tag, with a message that names the tag on failure.
pub fn parse_locale(tag: &str) -> Result<Locale, String> {
    let locale =
        tag.parse::<Locale>().map_err(|e| format!("`{tag}` is not a valid BCP 47 locale: {e}"))?;
    // BCP 47 reserves 5- to 8-letter language subtags for registration and
    // none is registered: `spanish` or `english` is a name, not a code.
    if locale.language.as_str().len() > 3 {
        return Err(format!(
            "`{tag}` is not a language code: use an ISO 639 code, such as `es` or `es-ES`"
        ));
    }
    Ok(locale)
}

/// The primary language subtag: `es` for `es-ES`, `en` for `en-US`.
pub fn language_of(locale: &Locale) -> &str {
    locale.language.as_str()
}

#[cfg(test)]
mod tests {
    use super::parse_locale;

    #[test]
    fn language_names_are_not_language_codes() {
        for tag in ["spanish", "English-US", "francais"] {
            let error = parse_locale(tag).unwrap_err();
            assert!(error.contains("not a language code"), "{tag}: {error}");
        }
        for tag in ["es", "es-ES", "ast", "zh-Hant-TW", "en-US"] {
            assert!(parse_locale(tag).is_ok(), "{tag}");
        }
        assert!(parse_locale("../x").unwrap_err().contains("not a valid BCP 47 locale"));
    }
}
