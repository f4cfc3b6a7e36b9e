//! How alike two token sequences are: the one edit distance diglot uses to
//! pair an edited sentence with its old translation (`fluent`) and to find
//! fuzzy matches in translation memory (`translate`). Each caller splits
//! text into tokens its own way.

/// Levenshtein distance between two token sequences (insertions, deletions
/// and substitutions of whole tokens), or `None` once it must exceed `max`
/// (pass `usize::MAX` for no bound).
pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= max)
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    fn d(a: &str, b: &str, max: usize) -> Option<usize> {
        let (a, b): (Vec<&str>, Vec<&str>) =
            (a.split_whitespace().collect(), b.split_whitespace().collect());
        edit_distance(&a, &b, max)
    }

    #[test]
    fn counts_token_edits() {
        assert_eq!(d("a b c", "a b c", usize::MAX), Some(0));
        assert_eq!(d("a b c", "a x c", usize::MAX), Some(1));
        assert_eq!(d("a b c", "b c", usize::MAX), Some(1));
        assert_eq!(d("a b c", "c b a", usize::MAX), Some(2));
        assert_eq!(d("", "a b", usize::MAX), Some(2));
    }

    #[test]
    fn stops_past_the_bound() {
        assert_eq!(d("a b c d", "w x y z", 3), None);
        assert_eq!(d("a b c d", "w x y z", 4), Some(4));
        assert_eq!(d("a", "a b c d", 2), None);
    }
}
