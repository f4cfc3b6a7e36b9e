//! Numbers compared as values, each read with its own locale's separators:
//! English `1,250.75` and Spanish `1.250,75` are the same number, English
//! `3.5` and Spanish `35` are not.
//!
//! The separators come from a small table (below) for the languages diglot
//! is used with: English and the rest of the world's default (`.` decimal,
//! `,` grouping); Spanish, German, Italian, Portuguese and Catalan (`,`
//! decimal, `.` grouping, with the Latin American regions that write
//! numbers the English way, and Swiss German and Italian with `.` and `’`);
//! French (`,` decimal, spaces grouping). In every locale a space, a
//! no-break space or a thin space followed by exactly three digits groups
//! thousands (`1 474 000`), as SI and many style guides write it.
//!
//! A written number that its locale cannot read (Spanish `3.5`, a group of
//! two digits) is read the other common way, as translators and engines
//! often keep the source's form; but not a draft's number that holds the
//! target's decimal separator (Spanish `1,250.75`), which a reader takes for
//! another number. One that no way reads (`2.4.1`,
//! `192.168.0.1`) is a token compared as written: versions, addresses. A
//! draft's number with one separator followed by exactly three digits
//! (`1,474`) is ambiguous, and matches either reading. Dates and times are
//! their parts (`10:30` is 10 and 30), compared as values.

use diglot_core::Locale;

/// How a locale writes the parts of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Separators {
    decimal: char,
    /// Grouping besides the space-like characters, if any.
    group: Option<char>,
}

const POINT: Separators = Separators { decimal: '.', group: Some(',') };
const COMMA: Separators = Separators { decimal: ',', group: Some('.') };
const COMMA_SPACE: Separators = Separators { decimal: ',', group: None };
const SWISS: Separators = Separators { decimal: '.', group: Some('’') };

/// Regions where Spanish writes `1,250.75` (CLDR).
const SPANISH_POINT_REGIONS: [&str; 9] = ["MX", "US", "PR", "DO", "GT", "HN", "NI", "PA", "SV"];

fn separators(locale: &Locale) -> Separators {
    let region = locale.region.as_ref().map(|r| r.as_str());
    match (locale.language.as_str(), region) {
        ("es", Some(r)) if SPANISH_POINT_REGIONS.contains(&r) => POINT,
        ("de" | "it", Some("CH" | "LI")) => SWISS,
        ("es" | "de" | "it" | "pt" | "ca", _) => COMMA,
        ("fr", _) => COMMA_SPACE,
        _ => POINT,
    }
}

fn is_space_group(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// A number as written: its digit groups and the separators between them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    raw: String,
    parts: Vec<String>,
    seps: Vec<char>,
}

/// What a written number means: a value (`1250.75`, no leading or trailing
/// zeros) or, when no reading fits, the token itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Meaning {
    Value(String),
    Token(String),
}

impl Written {
    /// The value under `s`, if `s` can read it.
    fn read(&self, s: Separators) -> Option<String> {
        let mut int = self.parts[0].clone();
        let mut frac: Option<&str> = None;
        let mut grouped = false;
        for (sep, part) in self.seps.iter().zip(&self.parts[1..]) {
            if frac.is_some() {
                return None;
            }
            if *sep == s.decimal {
                frac = Some(part);
            } else if is_space_group(*sep) || Some(*sep) == s.group {
                if part.len() != 3 {
                    return None;
                }
                grouped = true;
                int.push_str(part);
            } else {
                return None;
            }
        }
        if grouped && self.parts[0].len() > 3 {
            return None;
        }
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        Some(match frac.map(|f| f.trim_end_matches('0')).filter(|f| !f.is_empty()) {
            Some(f) => format!("{int}.{f}"),
            None => int.to_string(),
        })
    }

    /// Its meaning in a text of locale `s`, then the other readings that
    /// fit when the number is ambiguous (`allow_ambiguous`, for drafts).
    ///
    /// A number `s` cannot read is read the other common way, unless it is a
    /// draft's and holds `s`'s decimal separator: then a reader of the
    /// target language takes it for another number (Spanish `1,250.75`
    /// starts with 1,250, one and a quarter), and it is compared as written.
    fn meanings(&self, s: Separators, allow_ambiguous: bool) -> Vec<Meaning> {
        let misread = allow_ambiguous && self.seps.contains(&s.decimal);
        let fallback =
            || [POINT, COMMA].into_iter().filter(|_| !misread).find_map(|o| self.read(o));
        let Some(value) = self.read(s).or_else(fallback) else {
            return vec![Meaning::Token(self.raw.clone())];
        };
        let mut out = vec![Meaning::Value(value)];
        let ambiguous = self.seps.len() == 1
            && matches!(self.seps[0], '.' | ',')
            && self.parts[0].len() <= 3
            && self.parts[1].len() == 3;
        if allow_ambiguous && ambiguous {
            for other in [POINT, COMMA] {
                if let Some(v) = self.read(other).map(Meaning::Value)
                    && !out.contains(&v)
                {
                    out.push(v);
                }
            }
        }
        out
    }
}

/// The numbers written in `text`, in order.
///
/// A number is a run of ASCII digits with separators between digit groups:
/// `.`, `,`, `'` or `’` followed by a digit, or a space-like character
/// followed by exactly three digits when the number so far is one group of
/// one to three digits or already grouped that way (`1 474 000`, but not
/// `2019 100`).
fn written(text: &str) -> Vec<Written> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut parts = vec![String::new()];
        let mut seps = Vec::new();
        loop {
            while i < chars.len() && chars[i].is_ascii_digit() {
                parts.last_mut().expect("one part at least").push(chars[i]);
                i += 1;
            }
            let Some(&sep) = chars.get(i) else { break };
            let digit_at = |k: usize| chars.get(k).is_some_and(char::is_ascii_digit);
            let groupable = parts.iter().all(|p| p.len() <= 3);
            let joins = if matches!(sep, '.' | ',' | '\'' | '’') {
                digit_at(i + 1)
            } else {
                is_space_group(sep)
                    && groupable
                    && (1..=3).all(|k| digit_at(i + k))
                    && !digit_at(i + 4)
            };
            if !joins {
                break;
            }
            seps.push(sep);
            parts.push(String::new());
            i += 1;
        }
        out.push(Written { raw: chars[start..i].iter().collect(), parts, seps });
    }
    out
}

/// The numbers of `source` (locale `from`) that `draft` (locale `to`)
/// lacks, and those it has in excess, as written; both empty when every
/// number has its counterpart.
pub(super) fn diff(
    source: &str,
    from: &Locale,
    draft: &str,
    to: &Locale,
) -> (Vec<String>, Vec<String>) {
    let source: Vec<(String, Meaning)> = written(source)
        .into_iter()
        .map(|w| {
            let meaning = w.meanings(separators(from), false).remove(0);
            (w.raw, meaning)
        })
        .collect();
    let draft: Vec<(String, Vec<Meaning>)> = written(draft)
        .into_iter()
        .map(|w| {
            let meanings = w.meanings(separators(to), true);
            (w.raw, meanings)
        })
        .collect();
    let mut taken = vec![false; source.len()];
    let mut unmatched = Vec::new();
    // Unambiguous numbers first, so an ambiguous one cannot take the
    // counterpart another needs.
    let mut order: Vec<usize> = (0..draft.len()).collect();
    order.sort_by_key(|&d| draft[d].1.len());
    for d in order {
        let found = draft[d]
            .1
            .iter()
            .find_map(|m| source.iter().enumerate().position(|(s, (_, sm))| !taken[s] && sm == m));
        match found {
            Some(s) => taken[s] = true,
            None => unmatched.push(d),
        }
    }
    let mut missing: Vec<String> =
        source.iter().zip(&taken).filter(|(_, t)| !**t).map(|((raw, _), _)| raw.clone()).collect();
    unmatched.sort_unstable();
    let mut extra: Vec<String> = unmatched.into_iter().map(|d| draft[d].0.clone()).collect();
    missing.sort();
    extra.sort();
    (missing, extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(tag: &str) -> Locale {
        tag.parse().unwrap()
    }

    /// The meanings of each number of `text` in `tag`, as a draft.
    fn meanings(text: &str, tag: &str) -> Vec<Vec<Meaning>> {
        written(text).iter().map(|w| w.meanings(separators(&locale(tag)), true)).collect()
    }

    fn value(v: &str) -> Meaning {
        Meaning::Value(v.into())
    }

    #[test]
    fn each_locale_reads_its_own_separators() {
        assert_eq!(meanings("1,250.75", "en-US"), [vec![value("1250.75")]]);
        assert_eq!(meanings("1.250,75", "es-ES"), [vec![value("1250.75")]]);
        assert_eq!(meanings("1\u{202f}250,75", "fr-FR"), [vec![value("1250.75")]]);
        assert_eq!(meanings("1.250,75", "de-DE"), [vec![value("1250.75")]]);
        assert_eq!(meanings("1’250.75", "de-CH"), [vec![value("1250.75")]]);
        assert_eq!(meanings("1,250.75", "es-MX"), [vec![value("1250.75")]]);
        assert_eq!(meanings("3,5 and 12.00", "pt-PT"), [vec![value("3.5")], vec![value("12")]]);
        // Ambiguous: one separator, three digits after it.
        assert_eq!(meanings("1,474", "es-ES"), [vec![value("1.474"), value("1474")]]);
        // Versions and addresses are tokens.
        assert_eq!(meanings("2.4.1", "en-US"), [vec![Meaning::Token("2.4.1".into())]]);
        assert_eq!(meanings("192.168.0.1", "es-ES"), [vec![Meaning::Token("192.168.0.1".into())]]);
        // Leading zeros, dates and times.
        assert_eq!(meanings("06/14 10:30", "en-US").len(), 4);
        assert_eq!(meanings("007", "en-US"), [vec![value("7")]]);
    }

    /// A draft's number that the target locale reads as another number
    /// is not read the other way: Spanish `1,250.75` is 1,250 (one and a
    /// quarter) followed by something, not English 1,250.75.
    #[test]
    fn a_draft_number_in_the_source_form_that_reads_otherwise_is_rejected() {
        let (en, es) = (locale("en-US"), locale("es-ES"));
        let (missing, extra) = diff("It cost 1,250.75 euros.", &en, "Costó 1,250.75 euros.", &es);
        assert_eq!((missing, extra), (vec!["1,250.75".to_string()], vec!["1,250.75".to_string()]));
        let (missing, extra) = diff("It cost 1.250,75 euros.", &es, "It cost 1.250,75 euros.", &en);
        assert!(!missing.is_empty() && !extra.is_empty());
        // The target's own form, and a form the target cannot read at all
        // (kept from the source, as engines do), still match.
        assert_eq!(diff("1,250.75", &en, "1.250,75", &es), (vec![], vec![]));
        assert_eq!(diff("3.5%", &en, "3.5%", &es), (vec![], vec![]));
        assert_eq!(diff("3.5%", &en, "3,5%", &es), (vec![], vec![]));
    }

    #[test]
    fn space_grouping_needs_groups_of_three() {
        let raw = |text: &str| written(text).into_iter().map(|w| w.raw).collect::<Vec<_>>();
        assert_eq!(raw("1 474 000 and 3 4567"), ["1 474 000", "3", "4567"]);
        assert_eq!(raw("in 2019 100 people"), ["2019", "100"]);
        assert_eq!(raw("in 2020. 21 people"), ["2020", "21"]);
        assert_eq!(raw("COVID-19, 10:30"), ["19", "10", "30"]);
    }
}
