use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use diglot_core::{Locale, parse_locale};
use serde::Deserialize;

use crate::Error;

const ENGLISH: &str = include_str!("../rules/en.toml");
const SPANISH: &str = include_str!("../rules/es.toml");

/// Sentence-boundary rules for one language: punctuation sets, abbreviation
/// lists, sentence starters and the like, read from a TOML file.
///
/// The built-in files are `rules/en.toml` and `rules/es.toml` in this crate;
/// their comments document the schema.
#[derive(Debug, Clone)]
pub struct Rules {
    locale: Locale,
    pub(crate) terminal: CharSet,
    pub(crate) full_stop: CharSet,
    pub(crate) ellipsis: CharSet,
    pub(crate) closing: CharSet,
    pub(crate) opening: CharSet,
    pub(crate) line_final: CharSet,
    /// `full_stop`, `terminal` and `ellipsis` together.
    marks: CharSet,
    /// The characters below `TABLE_CHARS` that are neither white space, a
    /// mark nor a bullet: most of any text in a Latin script, which the
    /// scanner passes over.
    plain: CharSet,
    /// Every mark of a pair, to skip the maps for most characters.
    pub(crate) pair_marks: CharSet,
    /// Opening mark -> closing mark.
    pub(crate) pairs: HashMap<char, char>,
    /// Closing mark -> opening mark, for pairs whose marks differ.
    pub(crate) pair_closers: HashMap<char, char>,
    pub(crate) max_pair_chars: usize,
    pub(crate) bullets: CharSet,
    /// Longest first, so `1.)` is not read as `1.` followed by `)`.
    pub(crate) marker_suffixes: Vec<Vec<char>>,
    /// The first character of every marker suffix.
    pub(crate) marker_suffix_starts: CharSet,
    pub(crate) max_number_digits: usize,
    exact: HashMap<String, Abbreviation>,
    folded: HashMap<String, Abbreviation>,
    /// The longest entry of `exact` and `folded`, in characters.
    pub(crate) max_abbreviation_chars: usize,
    pub(crate) starters: HashSet<String>,
    /// Words that continue a sentence after a time of day.
    pub(crate) time_words: HashSet<String>,
    pub(crate) address_markers: Vec<String>,
}

/// A set of characters, cheap to query for every character of a text.
#[derive(Debug, Clone, Default)]
pub(crate) struct CharSet {
    /// Members below `TABLE_CHARS`, one bit each.
    table: [u64; TABLE_CHARS / 64],
    /// Members from `TABLE_CHARS` up, sorted.
    other: Vec<char>,
}

impl CharSet {
    #[inline]
    pub(crate) fn contains(&self, c: &char) -> bool {
        let code = *c as usize;
        if code < TABLE_CHARS {
            self.table[code / 64] >> (code % 64) & 1 == 1
        } else {
            self.other.binary_search(c).is_ok()
        }
    }

    fn iter(&self) -> impl Iterator<Item = char> + '_ {
        (0..TABLE_CHARS)
            .filter_map(|code| char::from_u32(code as u32))
            .filter(|c| self.contains(c))
            .chain(self.other.iter().copied())
    }
}

impl FromIterator<char> for CharSet {
    fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> CharSet {
        let mut set = CharSet::default();
        for c in iter {
            let code = c as usize;
            if code < TABLE_CHARS {
                set.table[code / 64] |= 1 << (code % 64);
            } else {
                set.other.push(c);
            }
        }
        set.other.sort_unstable();
        set.other.dedup();
        set
    }
}

/// How an abbreviation's full stop relates to the end of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abbreviation {
    /// Never ends a sentence (Mr., Dr., Sra.).
    Prefix,
    /// Does not end a sentence before a number (No. 5); else like `Common`.
    Numeric,
    /// Ends a sentence before a capitalized word (Co., etc.).
    Common,
    /// Ends a sentence only before a sentence starter (U.S., initials).
    RarelyFinal,
    /// A time of day (a.m.): ends a sentence before a capitalized word that
    /// is neither an abbreviation nor a word that follows times (Monday).
    Time,
}

impl Rules {
    /// The built-in rules for a language, by its primary subtag (`en`,
    /// `es-MX`, `es_ES`). Any other language gets the English rules.
    pub fn for_language(lang: &str) -> Rules {
        let primary = lang.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "es" => builtin(&SPANISH_RULES, SPANISH).clone(),
            _ => builtin(&ENGLISH_RULES, ENGLISH).clone(),
        }
    }

    /// Reads rules from the TOML format of `rules/en.toml`, so a project can
    /// ship its own. Unknown keys are errors, to catch typos.
    pub(crate) fn from_toml(src: &str) -> Result<Rules, Error> {
        let file: File = toml::from_str(src)?;
        file.compile()
    }

    /// The language these rules are for (`en`, `es`).
    pub fn locale(&self) -> Locale {
        self.locale.clone()
    }

    pub(crate) fn abbreviation(&self, word: &str) -> Option<Abbreviation> {
        if word.is_empty() {
            return None;
        }
        let found = self.exact.get(word);
        let found = if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            found.or_else(|| self.folded.get(word))
        } else {
            found.or_else(|| self.folded.get(&word.to_lowercase()))
        };
        found.copied()
    }

    pub(crate) fn is_mark(&self, c: char) -> bool {
        self.marks.contains(&c)
    }

    /// Neither white space, nor a mark, nor a bullet.
    #[inline]
    pub(crate) fn is_plain(&self, c: char) -> bool {
        if (c as usize) < TABLE_CHARS { self.plain.contains(&c) } else { self.is_plain_uncached(c) }
    }

    fn is_plain_uncached(&self, c: char) -> bool {
        !c.is_whitespace() && !self.marks.contains(&c) && !self.bullets.contains(&c)
    }
}

/// Character sets keep a bit for each character below this: Latin, Greek,
/// Cyrillic, Hebrew, Arabic, all that UTF-8 writes in one or two bytes.
const TABLE_CHARS: usize = 0x800;

static ENGLISH_RULES: OnceLock<Rules> = OnceLock::new();
static SPANISH_RULES: OnceLock<Rules> = OnceLock::new();

fn builtin(cell: &'static OnceLock<Rules>, src: &str) -> &'static Rules {
    // The built-in files are tested (`builtin_rules_parse`), so this cannot fail at run time.
    cell.get_or_init(|| Rules::from_toml(src).expect("built-in rules file is valid"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    language: String,
    punctuation: Punctuation,
    quotations: Quotations,
    lists: Lists,
    abbreviations: Abbreviations,
    starters: Starters,
    /// Added after the others, so optional: older rules files lack it.
    #[serde(default)]
    times: Times,
    addresses: Addresses,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Punctuation {
    terminal: Vec<String>,
    full_stop: Vec<String>,
    ellipsis: Vec<String>,
    closing: Vec<String>,
    opening: Vec<String>,
    line_final: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Quotations {
    pairs: Vec<(String, String)>,
    max_chars: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lists {
    bullets: Vec<String>,
    marker_suffixes: Vec<String>,
    max_number_digits: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Abbreviations {
    prefix: Vec<String>,
    numeric: Vec<String>,
    common: Vec<String>,
    rarely_final: Vec<String>,
    /// Added after the others, so optional: older rules files lack it.
    #[serde(default)]
    time: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Starters {
    words: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Times {
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Addresses {
    markers: Vec<String>,
}

fn invalid(field: &str, message: String) -> Error {
    Error::Invalid { field: field.to_string(), message }
}

fn one_char(field: &str, s: &str) -> Result<char, Error> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(invalid(field, format!("`{s}` must be exactly one character"))),
    }
}

fn char_set(field: &str, list: &[String]) -> Result<CharSet, Error> {
    list.iter().map(|s| one_char(field, s)).collect()
}

impl File {
    fn compile(self) -> Result<Rules, Error> {
        let locale =
            parse_locale(&self.language).map_err(|m| invalid("language", m.to_string()))?;
        let p = &self.punctuation;
        let mut pairs = HashMap::new();
        let mut pair_closers = HashMap::new();
        for (open, close) in &self.quotations.pairs {
            let open = one_char("quotations.pairs", open)?;
            let close = one_char("quotations.pairs", close)?;
            pairs.insert(open, close);
            if open != close {
                pair_closers.insert(close, open);
            }
        }
        let mut marker_suffixes = Vec::new();
        for suffix in &self.lists.marker_suffixes {
            if suffix.is_empty() {
                return Err(invalid("lists.marker_suffixes", "an empty suffix".to_string()));
            }
            marker_suffixes.push(suffix.chars().collect::<Vec<_>>());
        }
        marker_suffixes.sort_by_key(|s| std::cmp::Reverse(s.len()));

        let mut rules = Rules {
            locale,
            terminal: char_set("punctuation.terminal", &p.terminal)?,
            full_stop: char_set("punctuation.full_stop", &p.full_stop)?,
            ellipsis: char_set("punctuation.ellipsis", &p.ellipsis)?,
            closing: char_set("punctuation.closing", &p.closing)?,
            opening: char_set("punctuation.opening", &p.opening)?,
            line_final: char_set("punctuation.line_final", &p.line_final)?,
            marks: CharSet::default(),
            plain: CharSet::default(),
            pair_marks: pairs.iter().flat_map(|(&o, &c)| [o, c]).collect(),
            pairs,
            pair_closers,
            max_pair_chars: self.quotations.max_chars,
            bullets: char_set("lists.bullets", &self.lists.bullets)?,
            marker_suffix_starts: marker_suffixes.iter().map(|s| s[0]).collect(),
            marker_suffixes,
            max_number_digits: self.lists.max_number_digits,
            exact: HashMap::new(),
            folded: HashMap::new(),
            max_abbreviation_chars: 0,
            starters: self.starters.words.iter().cloned().collect(),
            time_words: self.times.words.iter().cloned().collect(),
            address_markers: self.addresses.markers.clone(),
        };
        rules.marks = rules
            .full_stop
            .iter()
            .chain(rules.terminal.iter())
            .chain(rules.ellipsis.iter())
            .collect();
        rules.plain = (0..TABLE_CHARS)
            .filter_map(|code| char::from_u32(code as u32))
            .filter(|&c| rules.is_plain_uncached(c))
            .collect();
        let a = &self.abbreviations;
        for (field, list, class) in [
            ("abbreviations.prefix", &a.prefix, Abbreviation::Prefix),
            ("abbreviations.numeric", &a.numeric, Abbreviation::Numeric),
            ("abbreviations.common", &a.common, Abbreviation::Common),
            ("abbreviations.rarely_final", &a.rarely_final, Abbreviation::RarelyFinal),
            ("abbreviations.time", &a.time, Abbreviation::Time),
        ] {
            for entry in list {
                rules.add_abbreviation(field, entry, class)?;
            }
        }
        rules.max_abbreviation_chars = rules
            .exact
            .keys()
            .chain(rules.folded.keys())
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        Ok(rules)
    }
}

impl Rules {
    /// "EE. UU" registers "EE" as a prefix and "UU" in `class`.
    fn add_abbreviation(
        &mut self,
        field: &str,
        entry: &str,
        class: Abbreviation,
    ) -> Result<(), Error> {
        let words: Vec<&str> = entry.split_whitespace().collect();
        let Some((last, leading)) = words.split_last() else {
            return Err(invalid(field, "an empty abbreviation".to_string()));
        };
        for word in leading {
            let word = word.strip_suffix('.').unwrap_or(word);
            self.exact.entry(word.to_string()).or_insert(Abbreviation::Prefix);
            self.folded.entry(word.to_lowercase()).or_insert(Abbreviation::Prefix);
        }
        let word = last.strip_suffix('.').unwrap_or(last);
        if word.is_empty() {
            return Err(invalid(field, format!("`{entry}` has no letters")));
        }
        match self.exact.get(word) {
            Some(&other) if other != class => {
                return Err(invalid(
                    field,
                    format!("`{word}` is already listed as {other:?}; list it in one class only"),
                ));
            }
            _ => {}
        }
        self.exact.insert(word.to_string(), class);
        // Case-folded lookups keep the first class listed, so "P.M" (common)
        // and "p.m" (rarely final) can both be exact.
        self.folded.entry(word.to_lowercase()).or_insert(class);
        Ok(())
    }
}
