use std::fmt;
use std::ops::{Deref, DerefMut};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use unic_langid::LanguageIdentifier;

/// A BCP 47 locale such as `en-US`, `es-ES` or `es-ES-u-ca-buddhist`.
///
/// It reads as its language identifier (language, script, region,
/// variants: what segmentation rules, plural rules, number and date
/// formats go by) and keeps any extensions (`-u-…`, `-t-…`, private use
/// `-x-…`) as written, lower-cased: the full tag names the locale's files
/// and folders and is what diglot shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale {
    id: LanguageIdentifier,
    /// `""`, or the extension subtags with their leading `-`.
    extensions: String,
}

impl Locale {
    /// The language identifier, without extensions.
    pub fn id(&self) -> &LanguageIdentifier {
        &self.id
    }

    /// The extensions as written (`-u-ca-buddhist`), or `""`.
    pub fn extensions(&self) -> &str {
        &self.extensions
    }
}

impl From<LanguageIdentifier> for Locale {
    fn from(id: LanguageIdentifier) -> Locale {
        Locale { id, extensions: String::new() }
    }
}

impl Deref for Locale {
    type Target = LanguageIdentifier;
    fn deref(&self) -> &LanguageIdentifier {
        &self.id
    }
}

impl DerefMut for Locale {
    fn deref_mut(&mut self) -> &mut LanguageIdentifier {
        &mut self.id
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.id, self.extensions)
    }
}

/// Why a tag is not a BCP 47 locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleError(String);

impl fmt::Display for LocaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LocaleError {}

impl FromStr for Locale {
    type Err = LocaleError;

    fn from_str(tag: &str) -> Result<Locale, LocaleError> {
        let subtags: Vec<&str> = tag.split(['-', '_']).collect();
        // Extensions start at the first singleton subtag (`u`, `t`, `x`, …).
        let start = subtags.iter().position(|s| s.len() == 1).unwrap_or(subtags.len());
        let id: LanguageIdentifier = subtags[..start]
            .join("-")
            .parse()
            .map_err(|e: unic_langid::LanguageIdentifierError| LocaleError(e.to_string()))?;
        let mut extensions = String::new();
        let mut i = start;
        while i < subtags.len() {
            let singleton = subtags[i].to_ascii_lowercase();
            let private = singleton == "x";
            if singleton.len() != 1 || !singleton.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(LocaleError(format!("`{}` is not an extension", subtags[i])));
            }
            let mut j = i + 1;
            while j < subtags.len() && (private || subtags[j].len() > 1) {
                let s = subtags[j];
                let min = if private { 1 } else { 2 };
                if s.len() < min || s.len() > 8 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(LocaleError(format!("`{s}` is not a valid extension subtag")));
                }
                j += 1;
            }
            if j == i + 1 {
                return Err(LocaleError(format!("the `{singleton}` extension is empty")));
            }
            extensions.push('-');
            extensions.push_str(&subtags[i..j].join("-").to_ascii_lowercase());
            i = j;
        }
        Ok(Locale { id, extensions })
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Locale, D::Error> {
        let tag = String::deserialize(deserializer)?;
        tag.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a tag is no locale diglot takes; its message names the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidLocale {
    /// Not a BCP 47 tag.
    Syntax { tag: String, source: LocaleError },
    /// A language subtag of 5 to 8 letters: BCP 47 reserves them and none
    /// is registered, so `spanish` or `english` is a name, not a code.
    NotACode { tag: String },
}

impl fmt::Display for InvalidLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidLocale::Syntax { tag, source } => {
                write!(f, "`{tag}` is not a valid BCP 47 locale: {source}")
            }
            InvalidLocale::NotACode { tag } => {
                write!(
                    f,
                    "`{tag}` is not a language code: use an ISO 639 code, such as `es` or `es-ES`"
                )
            }
        }
    }
}

/// The syntax error is part of the message (callers show it as a setting's
/// or a form field's message), so it is not also given as a source, which
/// would print it twice in a chain of causes.
impl std::error::Error for InvalidLocale {}

/// For callers whose errors are messages (a setting, a form field).
impl From<InvalidLocale> for String {
    fn from(e: InvalidLocale) -> String {
        e.to_string()
    }
}

/// Parses a BCP 47 tag, with an error that names the tag on failure.
pub fn parse_locale(tag: &str) -> Result<Locale, InvalidLocale> {
    let locale = tag
        .parse::<Locale>()
        .map_err(|source| InvalidLocale::Syntax { tag: tag.to_string(), source })?;
    if locale.language.as_str().len() > 3 {
        return Err(InvalidLocale::NotACode { tag: tag.to_string() });
    }
    Ok(locale)
}

/// The primary language subtag: `es` for `es-ES`, `en` for `en-US`.
pub fn language_of(locale: &Locale) -> &str {
    locale.language.as_str()
}

#[cfg(test)]
mod tests {
    use super::{InvalidLocale, parse_locale};

    #[test]
    fn language_names_are_not_language_codes() {
        for tag in ["spanish", "English-US", "francais"] {
            let error = parse_locale(tag).unwrap_err();
            assert_eq!(error, InvalidLocale::NotACode { tag: tag.into() });
            assert!(error.to_string().contains("not a language code"), "{tag}: {error}");
        }
        for tag in ["es", "es-ES", "ast", "zh-Hant-TW", "en-US"] {
            assert!(parse_locale(tag).is_ok(), "{tag}");
        }
        // The syntax error is kept, and said.
        let error = parse_locale("../x").unwrap_err();
        let InvalidLocale::Syntax { tag, source } = &error else { panic!("{error:?}") };
        assert_eq!(tag, "../x");
        assert_eq!(error.to_string(), format!("`../x` is not a valid BCP 47 locale: {source}"));
    }

    /// Tags with extensions are locales; the extensions stay in the tag
    /// (which names files) and out of the language identifier.
    #[test]
    fn extensions_are_kept_in_the_tag() {
        for (tag, shown, id) in [
            ("es-ES-u-ca-buddhist", "es-ES-u-ca-buddhist", "es-ES"),
            ("en-US-x-private", "en-US-x-private", "en-US"),
            ("de-DE-u-co-phonebk-x-a-b", "de-DE-u-co-phonebk-x-a-b", "de-DE"),
            ("ES-es-U-CA-Buddhist", "es-ES-u-ca-buddhist", "es-ES"),
            ("es-ES", "es-ES", "es-ES"),
        ] {
            let locale = parse_locale(tag).unwrap_or_else(|e| panic!("{tag}: {e}"));
            assert_eq!(locale.to_string(), shown);
            assert_eq!(locale.id().to_string(), id);
            assert_eq!(locale.language.as_str(), &id[..2]);
            let json = serde_json::to_string(&locale).unwrap();
            assert_eq!(json, format!("\"{shown}\""));
            assert_eq!(serde_json::from_str::<super::Locale>(&json).unwrap(), locale);
        }
        for tag in ["es-ES-u", "es-ES-u-x", "es-ES-x-", "es-ES-u-toolongsubtag", "es-ES-x-../a"] {
            assert!(parse_locale(tag).is_err(), "{tag}");
        }
    }
}
