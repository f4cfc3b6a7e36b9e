//! Character references (`&amp;`, `&#233;`, `&#x20AC;`, `&laquo;`): the one
//! decoder every stage uses when it reads HTML or XML text by hand.
//!
//! It knows the numeric forms and the named references that machine
//! translation services and hand-written pages use in running text; a name
//! outside that set is not a reference here, and callers decide what an
//! unknown one means (kept as written, or rejected).

/// The character a reference at the start of `text` stands for, and the
/// reference's length in bytes (`&` to `;`). `None` when `text` does not
/// start with a known reference of at most eleven characters between `&`
/// and `;`.
pub fn char_reference(text: &str) -> Option<(char, usize)> {
    let rest = text.strip_prefix('&')?;
    let end = text.char_indices().take(12).find(|&(_, c)| c == ';').map(|(i, _)| i)?;
    let name = &rest[..end - 1];
    let c = match name.strip_prefix('#') {
        Some(num) => {
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
        None => named(name)?,
    };
    Some((c, end + 1))
}

/// The character a named reference (without `&` and `;`) stands for.
pub fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "iexcl" => '¡',
        "iquest" => '¿',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_of_each_form() {
        assert_eq!(char_reference("&amp; b"), Some(('&', 5)));
        assert_eq!(char_reference("&#233;t"), Some(('é', 6)));
        assert_eq!(char_reference("&#x20AC;"), Some(('€', 8)));
        assert_eq!(char_reference("&#X3e;"), Some(('>', 6)));
        assert_eq!(char_reference("&laquo;x"), Some(('«', 7)));
    }

    #[test]
    fn what_is_not_a_reference() {
        assert_eq!(char_reference("amp;"), None);
        assert_eq!(char_reference("& b;"), None);
        assert_eq!(char_reference("&eacute;"), None);
        assert_eq!(char_reference("&#xD800;"), None);
        assert_eq!(char_reference("&#1114112;"), None);
        assert_eq!(char_reference("&amp"), None);
        assert_eq!(char_reference("&aaaaaaaaaaaaaa;"), None);
        assert_eq!(char_reference("&#000000065;"), Some(('A', 12)));
        assert_eq!(char_reference("&#0000000065;"), None);
    }
}
