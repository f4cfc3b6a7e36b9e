//! The publication date of an article: an ISO 8601 calendar date.

use std::fmt;

/// A calendar date written `YYYY-MM-DD`, as `[article] published` gives it.
/// Every stage that reads the date (the edition's date line, the page's
/// `article:published_time`, feeds, front matter) accepts exactly the
/// strings [`IsoDate::parse`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl IsoDate {
    /// `Some` for four digits, `-`, two digits, `-`, two digits naming a
    /// day that exists (leap years counted); `None` for anything else.
    pub fn parse(s: &str) -> Option<IsoDate> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b.iter()
                .enumerate()
                .all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
        if !shaped {
            return None;
        }
        let year: u16 = s[0..4].parse().ok()?;
        let month: u8 = s[5..7].parse().ok()?;
        let day: u8 = s[8..10].parse().ok()?;
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(IsoDate { year, month, day })
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Serialized as its `YYYY-MM-DD` text.
impl serde::Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        IsoDate::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a YYYY-MM-DD date: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_that_exist_parse_and_print_as_written() {
        for s in ["2024-01-05", "2024-02-29", "2000-02-29", "0001-12-31"] {
            assert_eq!(IsoDate::parse(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
    }

    #[test]
    fn other_strings_are_not_dates() {
        for s in [
            "",
            "2024-1-5",
            " 2024-01-05",
            "2024-01-05 ",
            "2024/01/05",
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "+202-01-01",
            "March 2024",
        ] {
            assert_eq!(IsoDate::parse(s), None, "{s}");
        }
    }

    #[test]
    fn serializes_as_its_text_and_reads_back_only_a_date() {
        let date = IsoDate::parse("2024-02-29").unwrap();
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, "\"2024-02-29\"");
        assert_eq!(serde_json::from_str::<IsoDate>(&json).unwrap(), date);
        assert!(serde_json::from_str::<IsoDate>("\"2023-02-29\"").is_err());
    }
}
