//! Finding sentence boundaries in plain text.
//!
//! One pass over the characters decides, for each run of final marks, whether
//! a sentence ends there; two helper passes first find the quotations (and
//! parentheses) no sentence may end inside, and the list markers that start a
//! new item. Every look-around is bounded, so the work is linear in the text.

use crate::rules::{Abbreviation, Rules};

/// What a line break in the text means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineBreaks {
    /// Plain text: a blank line, or a line break not preceded by a space,
    /// ends a sentence. A space before the break marks a soft wrap
    /// (format=flowed), which does not.
    Boundaries,
    /// Inside a document block: a hard break is white space, so it stays
    /// inside its segment and is not lost between segments.
    WhiteSpace,
}

/// How far back a word is read to look it up as an abbreviation, and how far
/// either way a token is read to tell whether it is an address.
const MAX_WORD: usize = 64;
const MAX_TOKEN: usize = 256;
/// How deep the stack of open quotation marks is searched for a partner.
const MAX_PAIR_SEARCH: usize = 8;

/// Char offsets where sentences 2..n start, ascending.
pub(crate) fn boundaries(text: &str, rules: &Rules, line_breaks: LineBreaks) -> Vec<usize> {
    let chars = decode(text);
    if chars.is_empty() {
        return Vec::new();
    }
    let scan = Scan { quoted: quoted_spans(&chars, rules), chars: &chars, rules };
    let n = chars.len();
    let mut cuts = Vec::new();
    // Full stops of list markers, ascending.
    let mut list_stops = Vec::new();
    scan.list_markers(&mut cuts, &mut list_stops);

    let mut i = 0;
    while i < n {
        let c = chars[i];
        if rules.is_plain(c) {
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            let start = i;
            while i < n && chars[i].is_whitespace() {
                i += 1;
            }
            // A lone space is the common case and never a line break.
            if line_breaks == LineBreaks::Boundaries && !(i == start + 1 && c == ' ') {
                cuts.extend(scan.line_break(start, i));
            }
            continue;
        }
        if rules.bullets.contains(&c) && (i == 0 || chars[i - 1].is_whitespace()) {
            cuts.push(i);
        }
        if rules.is_mark(c) && list_stops.binary_search(&i).is_err() {
            let (end, cut) = scan.sentence_end(i);
            cuts.extend(cut);
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    finish(&chars, cuts)
}

/// The characters of `text`, with runs of ASCII copied without decoding.
fn decode(text: &str) -> Vec<char> {
    let mut chars = Vec::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        chars.extend(rest.as_bytes()[..ascii].iter().map(|&b| char::from(b)));
        let mut other = rest[ascii..].chars();
        chars.extend(other.next());
        rest = other.as_str();
    }
    chars
}

/// Sorts the cuts and drops those that would leave a piece without a letter
/// or digit: a lone bullet, a row of underscores, a stray mark join the
/// sentence after them (or, at the end, the one before).
fn finish(chars: &[char], mut cuts: Vec<usize>) -> Vec<usize> {
    cuts.sort_unstable();
    cuts.dedup();
    let n = chars.len();
    let mut kept = Vec::with_capacity(cuts.len());
    let (mut pos, mut seen) = (0, false);
    for cut in cuts.into_iter().filter(|&c| c > 0 && c < n) {
        seen |= chars[pos..cut].iter().any(|c| c.is_alphanumeric());
        pos = cut;
        if seen {
            kept.push(cut);
            seen = false;
        }
    }
    if !(seen || chars[pos..].iter().any(|c| c.is_alphanumeric())) {
        kept.pop();
    }
    kept
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// ! or ?, alone or with others.
    Strong,
    /// ..., …, or a full stop with spaced dots.
    Ellipsis,
    /// A single full stop.
    Period,
}

/// A word of at most `MAX_WORD` characters, kept on the stack: the scanner
/// reads one at every full stop.
struct Word {
    bytes: [u8; 4 * MAX_WORD],
    len: usize,
}

impl Word {
    fn new(chars: &[char]) -> Word {
        let mut word = Word::default();
        for c in chars.iter().take(MAX_WORD) {
            word.len += c.encode_utf8(&mut word.bytes[word.len..]).len();
        }
        word
    }

    fn as_str(&self) -> &str {
        // Whole characters were encoded, so this never fails.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl Default for Word {
    fn default() -> Word {
        Word { bytes: [0; 4 * MAX_WORD], len: 0 }
    }
}

struct Scan<'a> {
    chars: &'a [char],
    rules: &'a Rules,
    /// Where a protecting pair is open.
    quoted: Spans,
}

impl Scan<'_> {
    fn at(&self, p: usize) -> Option<char> {
        self.chars.get(p).copied()
    }

    fn is_stop(&self, p: usize) -> bool {
        self.at(p).is_some_and(|c| self.rules.full_stop.contains(&c))
    }

    /// A closing mark at `p` that is not an apostrophe inside a word.
    fn is_closer(&self, p: usize) -> bool {
        self.at(p).is_some_and(|c| self.rules.closing.contains(&c)) && !self.between_letters(p)
    }

    fn between_letters(&self, p: usize) -> bool {
        p > 0
            && self.chars[p - 1].is_alphanumeric()
            && self.at(p + 1).is_some_and(char::is_alphanumeric)
    }

    fn skip_closers(&self, mut p: usize) -> usize {
        while self.is_closer(p) {
            p += 1;
        }
        p
    }

    fn next_non_space(&self, mut p: usize) -> Option<usize> {
        while self.at(p)?.is_whitespace() {
            p += 1;
        }
        Some(p)
    }

    /// Where the word starting at `p` begins, after any opening marks.
    fn skip_opening(&self, mut p: usize) -> usize {
        while self.at(p).is_some_and(|c| self.rules.opening.contains(&c)) {
            p += 1;
        }
        p
    }

    /// The word starting at `p`, after any opening marks.
    fn next_word(&self, p: usize) -> Word {
        let p = self.skip_opening(p).min(self.chars.len());
        let len = self.chars[p..].iter().take(MAX_WORD).take_while(|c| c.is_alphanumeric()).count();
        Word::new(&self.chars[p..p + len])
    }

    /// The first letter or digit of the word at `p`, after any opening
    /// marks, or else the character at `p`.
    fn first_of_word(&self, p: usize) -> char {
        self.at(self.skip_opening(p)).filter(|c| c.is_alphanumeric()).unwrap_or(self.chars[p])
    }

    /// Decides whether the marks starting at `i` end a sentence. Returns the
    /// end of the marks (and their closing quotes) and, if they end a
    /// sentence, where the next one starts.
    fn sentence_end(&self, i: usize) -> (usize, Option<usize>) {
        let attached = i > 0 && !self.chars[i - 1].is_whitespace();
        if self.is_stop(i) {
            let dots = self.spaced_dots(i);
            if dots >= 2 {
                return self.spaced_ellipsis(i, dots, attached);
            }
        }
        let mut end = i;
        loop {
            while self.at(end).is_some_and(|c| self.rules.is_mark(c)) {
                end += 1;
            }
            let after = self.skip_closers(end);
            end = after;
            // `?".` : marks after the closing quote belong to the same run.
            if !self.at(after).is_some_and(|c| self.rules.is_mark(c)) {
                break;
            }
        }
        let marks = &self.chars[i..end];
        let stops = marks.iter().filter(|c| self.rules.full_stop.contains(c)).count();
        let kind = if marks.iter().any(|c| self.rules.terminal.contains(c)) {
            Kind::Strong
        } else if stops >= 2 || marks.iter().any(|c| self.rules.ellipsis.contains(c)) {
            Kind::Ellipsis
        } else {
            Kind::Period
        };
        if end >= self.chars.len() || self.quoted.contains(end) {
            return (end, None);
        }
        if !self.chars[end].is_whitespace() {
            let glued = kind == Kind::Period && end == i + 1 && self.glued_sentence(i);
            return (end, glued.then_some(end));
        }
        let Some(next) = self.next_non_space(end) else { return (end, None) };
        let first = self.first_of_word(next);
        let ends = match kind {
            Kind::Strong => !first.is_lowercase(),
            Kind::Ellipsis => self.chars[next].is_uppercase(),
            Kind::Period => self.period_ends(i, next),
        };
        (end, ends.then_some(next))
    }

    /// How many full stops stand at `i`, `i + 2`, `i + 4`... separated by
    /// single spaces: 3 for ". . .".
    fn spaced_dots(&self, i: usize) -> usize {
        let mut count = 1;
        let mut p = i;
        while self.at(p + 1) == Some(' ') && self.is_stop(p + 2) {
            count += 1;
            p += 2;
        }
        count
    }

    /// ". . ." mid-sentence never ends one; ". . . ." (a full stop and an
    /// ellipsis) does before a capital. After a word, "word. . . . The" ends
    /// at the word's own full stop and the ellipsis opens the next sentence.
    fn spaced_ellipsis(&self, i: usize, dots: usize, attached: bool) -> (usize, Option<usize>) {
        let end = self.skip_closers(i + 2 * (dots - 1) + 1);
        let capital_next = end < self.chars.len()
            && !self.quoted.contains(end)
            && self.chars[end].is_whitespace()
            && self.next_non_space(end).is_some_and(|p| self.chars[p].is_uppercase());
        let cut = match (attached, dots) {
            (true, 4..) => capital_next.then_some(i + 2),
            (false, 3) => None,
            _ => capital_next.then(|| self.next_non_space(end)).flatten(),
        };
        (end, cut)
    }

    /// The word before the full stop at `i`, without opening or closing marks.
    fn word_before(&self, i: usize) -> Option<&[char]> {
        let limit = i.saturating_sub(MAX_WORD);
        let mut start = i;
        while start > limit && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        if start == limit && start > 0 && !self.chars[start - 1].is_whitespace() {
            return None;
        }
        let mut word = &self.chars[start..i];
        while let [first, rest @ ..] = word {
            if !self.rules.opening.contains(first) && !self.rules.bullets.contains(first) {
                break;
            }
            word = rest;
        }
        while let [rest @ .., last] = word {
            if !self.rules.closing.contains(last) {
                break;
            }
            word = rest;
        }
        Some(word)
    }

    /// What the word before a full stop is: an abbreviation of some class,
    /// initials ("E", "U.S.A"), or neither.
    fn classify(&self, word: &[char]) -> Option<Abbreviation> {
        if let Some(class) = self.abbreviation(word) {
            return Some(class);
        }
        // "Tuesday.Mr": a sentence glued to the one before.
        if let Some(dot) = word.iter().rposition(|&c| c == '.')
            && let Some(class) = self.abbreviation(&word[dot + 1..])
        {
            return Some(class);
        }
        let initials = word
            .split(|&c| c == '.')
            .all(|part| (1..=3).contains(&part.len()) && part.iter().all(|c| c.is_alphabetic()));
        let single = word.len() == 1;
        (initials && (single || word.contains(&'.'))).then_some(Abbreviation::RarelyFinal)
    }

    fn abbreviation(&self, word: &[char]) -> Option<Abbreviation> {
        // Lower-casing never makes a word shorter in characters.
        if word.is_empty() || word.len() > self.rules.max_abbreviation_chars {
            return None;
        }
        self.rules.abbreviation(Word::new(word).as_str())
    }

    fn period_ends(&self, i: usize, next: usize) -> bool {
        let word = self.word_before(i).unwrap_or_default();
        let first = self.first_of_word(next);
        let unit = self.unit_after_number(i, word, next);
        let class = if unit { None } else { self.classify(word) };
        match class {
            Some(Abbreviation::Prefix) => false,
            Some(Abbreviation::Numeric) if first.is_numeric() => false,
            Some(Abbreviation::Numeric | Abbreviation::Common) => first.is_uppercase(),
            Some(Abbreviation::RarelyFinal) => {
                self.rules.starters.contains(self.next_word(next).as_str())
            }
            Some(Abbreviation::Time) => first.is_uppercase() && !self.continues_time(next),
            None => !first.is_lowercase(),
        }
    }

    /// "2.05 m.": a lower-case letter after a number is a unit, not an
    /// initial, so its full stop ends a sentence before a capital; unless
    /// another lone letter follows, as in "200 a. C.".
    fn unit_after_number(&self, i: usize, word: &[char], next: usize) -> bool {
        matches!(word, [c] if c.is_lowercase())
            && self.abbreviation(word).is_none()
            && i >= 3
            && self.chars[i - 2].is_whitespace()
            && self.chars[i - 3].is_numeric()
            && !(self.chars[next].is_alphabetic() && self.is_stop(next + 1))
    }

    /// After a time of day, whether the word at `next` continues the
    /// sentence: a listed word ("3 p.m. Monday") or an abbreviation
    /// ("5 a.m. Mr. Smith").
    fn continues_time(&self, next: usize) -> bool {
        let start = self.skip_opening(next).min(self.chars.len());
        let len =
            self.chars[start..].iter().take(MAX_WORD).take_while(|c| c.is_alphanumeric()).count();
        let word = &self.chars[start..start + len];
        self.rules.time_words.contains(Word::new(word).as_str())
            || (self.is_stop(start + len) && self.abbreviation(word).is_some())
    }

    /// "world.Today", "1,000.That": a full stop with no space after it ends
    /// a sentence when a capitalized word follows a lower-case word or a
    /// number, unless the token is an address or an abbreviation, or a list
    /// number ("1.Helado, 2.Carne").
    fn glued_sentence(&self, i: usize) -> bool {
        let before = if i > 0 { self.chars[i - 1] } else { return false };
        let (Some(next), Some(after)) = (self.at(i + 1), self.at(i + 2)) else { return false };
        if !(before.is_lowercase() || before.is_numeric())
            || !next.is_uppercase()
            || !after.is_lowercase()
        {
            return false;
        }
        let Some(word) = self.word_before(i) else { return false };
        let small_number = word.len() <= 2 && word.iter().all(|c| c.is_numeric());
        !small_number && self.classify(word).is_none() && !self.in_address(i)
    }

    fn in_address(&self, i: usize) -> bool {
        let n = self.chars.len();
        let mut start = i;
        while start > i.saturating_sub(MAX_TOKEN) && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let mut end = i;
        while end < n.min(i + MAX_TOKEN) && !self.chars[end].is_whitespace() {
            end += 1;
        }
        let token: String = self.chars[start..end].iter().collect();
        self.rules.address_markers.iter().any(|m| token.contains(m.as_str()))
    }

    /// A run of white space `[start, end)` holding line breaks.
    fn line_break(&self, start: usize, end: usize) -> Option<usize> {
        if start == 0 || end >= self.chars.len() {
            return None;
        }
        let run = &self.chars[start..end];
        let mut breaks = 0;
        let mut soft = false;
        let mut spaces_before_first = false;
        for (k, &c) in run.iter().enumerate() {
            match c {
                '\n' | '\u{2028}' | '\u{85}' | '\u{0B}' | '\u{0C}' => breaks += 1,
                '\r' if run.get(k + 1) != Some(&'\n') => breaks += 1,
                '\u{2029}' => breaks += 2,
                '\r' => {}
                _ => {
                    if breaks == 0 {
                        spaces_before_first = true;
                    }
                    continue;
                }
            }
            if breaks == 1 {
                soft = spaces_before_first;
            }
        }
        let hard = match breaks {
            0 => false,
            1 => !soft || self.rules.line_final.contains(&self.chars[start - 1]),
            _ => true,
        };
        hard.then_some(end)
    }

    /// Finds numbered or lettered list markers ("1.", "2.)", "b)") that
    /// continue a sequence, cuts before each and marks their full stops as
    /// not ending a sentence.
    ///
    /// A sequence starts where a list can: at the start of the text or of a
    /// line, or after a bullet. The next marker of the sequence may stand
    /// later on the same line ("1. The first item 2. The second item"), but
    /// a sentence ending in a number ("met on day 2. The council met on day
    /// 3.") starts no list.
    fn list_markers(&self, cuts: &mut Vec<usize>, list_stops: &mut Vec<usize>) {
        struct Marker {
            start: usize,
            value: u32,
            letter: bool,
            stop: Option<usize>,
            line: usize,
        }
        let follows = |a: &Marker, b: &Marker| {
            a.letter == b.letter && a.value.checked_add(1) == Some(b.value)
        };
        let chars = self.chars;
        let n = chars.len();
        // A bullet, the digits, the longest suffix: most words are longer.
        let longest_suffix = self.rules.marker_suffixes.first().map_or(0, Vec::len);
        let max_marker = 1 + self.rules.max_number_digits.max(1) + longest_suffix;
        // Markers that start or continue a sequence, in order.
        let mut items: Vec<Marker> = Vec::new();
        let mut p = 0;
        let mut line = 0;
        let mut line_start = true;
        let mut after_bullet = false;
        let mut first = true;
        while p < n {
            if chars[p].is_whitespace() {
                if is_line_break(chars[p]) {
                    line_start = true;
                    line += 1;
                }
                p += 1;
                continue;
            }
            let start = p;
            while p < n && (self.rules.is_plain(chars[p]) || !chars[p].is_whitespace()) {
                p += 1;
            }
            let token = &chars[start..p];
            let bullet = self.rules.bullets.contains(&token[0]);
            // A marker needs white space after it: "1.Helado" is not one.
            let marker = if p < n && token.len() <= max_marker { self.marker(token) } else { None };
            if let Some((value, letter, stop)) = marker {
                let m = Marker { start, value, letter, stop: stop.map(|s| start + s), line };
                let anchored = line_start || after_bullet || bullet;
                let continues = items.last().is_some_and(|l| l.line == line && follows(l, &m));
                if anchored || continues {
                    items.push(m);
                }
            }
            // A number opening the text ("1. Intro", "2.3. Results") numbers
            // it, a contents entry or a section, whether or not a list goes on.
            if first
                && p < n
                && let Some(stop) = self.section_number(token)
                && !self.quoted.contains(start)
            {
                list_stops.push(start + stop);
            }
            first = false;
            line_start = false;
            after_bullet = bullet && token.len() == 1;
        }
        for (k, m) in items.iter().enumerate() {
            let confirmed = (k > 0 && follows(&items[k - 1], m))
                || items.get(k + 1).is_some_and(|next| follows(m, next));
            if confirmed && !self.quoted.contains(m.start) {
                cuts.push(m.start);
                list_stops.extend(m.stop);
            }
        }
    }

    /// Reads a token as a section number: groups of 1-3 digits (as many as
    /// a list marker's), each followed by a full stop ("1.", "2.3.").
    /// Returns the offset of its last full stop.
    fn section_number(&self, token: &[char]) -> Option<usize> {
        let mut digits = 0;
        for (k, c) in token.iter().enumerate() {
            if c.is_ascii_digit() {
                digits += 1;
                if digits > self.rules.max_number_digits {
                    return None;
                }
            } else if self.rules.full_stop.contains(c) && digits > 0 {
                if k + 1 == token.len() {
                    return Some(k);
                }
                digits = 0;
            } else {
                return None;
            }
        }
        None
    }

    /// Reads a token as a list marker: an optional bullet, 1-3 digits or one
    /// lower-case ASCII letter, then a marker suffix. Returns its value,
    /// whether it is a letter, and the offset of its full stop.
    fn marker(&self, token: &[char]) -> Option<(u32, bool, Option<usize>)> {
        let body = usize::from(self.rules.bullets.contains(token.first()?));
        let digits = token[body..].iter().take_while(|c| c.is_ascii_digit()).count();
        let (letter, len) = if (1..=self.rules.max_number_digits).contains(&digits) {
            (false, digits)
        } else if digits == 0 && token.get(body).is_some_and(char::is_ascii_lowercase) {
            (true, 1)
        } else {
            return None;
        };
        let rest = &token[body + len..];
        if !rest.first().is_some_and(|c| self.rules.marker_suffix_starts.contains(c)) {
            return None;
        }
        self.rules.marker_suffixes.iter().find(|s| s.as_slice() == rest)?;
        let value = if letter {
            u32::from(token[body]) - u32::from('a') + 1
        } else {
            token[body..body + digits]
                .iter()
                .try_fold(0u32, |value, c| value.checked_mul(10)?.checked_add(c.to_digit(10)?))?
        };
        let stop = rest.iter().position(|c| self.rules.full_stop.contains(c));
        Some((value, letter, stop.map(|s| body + len + s)))
    }
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}')
}

/// The positions inside quotation marks or brackets whose partner was found. Straight quotes (the same mark opening and
/// closing) are told apart by what stands beside them; a closing mark between
/// two letters is an apostrophe.
fn quoted_spans(chars: &[char], rules: &Rules) -> Spans {
    let n = chars.len();
    let mut spans = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    // A pair protects the positions after its opening mark, up to and
    // including its closing mark.
    let record = |open: usize, close: usize, spans: &mut Vec<(usize, usize)>| {
        if close - open <= rules.max_pair_chars {
            spans.push((open + 1, close + 1));
        }
    };
    // Pops to the nearest open mark `open` near the top of the stack.
    let find = |stack: &[(char, usize)], open: char| {
        stack
            .iter()
            .rev()
            .take(MAX_PAIR_SEARCH)
            .position(|&(c, _)| c == open)
            .map(|k| stack.len() - 1 - k)
    };
    for p in 0..n {
        let c = chars[p];
        if !rules.pair_marks.contains(&c) {
            continue;
        }
        let prev = p.checked_sub(1).map(|k| chars[k]);
        let next = chars.get(p + 1).copied();
        let between_letters =
            prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
        match rules.pairs.get(&c) {
            Some(&close) if close == c => {
                if between_letters {
                    continue;
                }
                let opens = prev.is_none_or(|q| q.is_whitespace() || rules.opening.contains(&q))
                    && next.is_some_and(|q| q.is_alphanumeric() || rules.opening.contains(&q));
                let closes =
                    next.is_none_or(|q| !q.is_alphanumeric() && !rules.opening.contains(&q));
                match find(&stack, c) {
                    Some(k) if closes || !opens => {
                        record(stack[k].1, p, &mut spans);
                        stack.truncate(k);
                    }
                    _ if opens => stack.push((c, p)),
                    _ => {}
                }
            }
            Some(_) => stack.push((c, p)),
            None => {
                if let Some(&open) = rules.pair_closers.get(&c) {
                    if between_letters {
                        continue;
                    }
                    if let Some(k) = find(&stack, open) {
                        record(stack[k].1, p, &mut spans);
                        stack.truncate(k);
                    }
                }
            }
        }
    }
    Spans::new(spans)
}

/// A set of positions kept as sorted, disjoint, half-open ranges.
struct Spans(Vec<(usize, usize)>);

impl Spans {
    fn new(mut ranges: Vec<(usize, usize)>) -> Spans {
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Spans(merged)
    }

    fn contains(&self, p: usize) -> bool {
        let k = self.0.partition_point(|&(start, _)| start <= p);
        k > 0 && p < self.0[k - 1].1
    }
}
