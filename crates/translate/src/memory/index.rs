//! The fuzzy index, and why it cannot miss a match.
//!
//! Each pair gets an in-memory inverted index (token -> entries holding it),
//! built lazily on the pair's first fuzzy lookup and brought up to date
//! incrementally before each later one (rows are never deleted and an
//! entry's source never changes, so loading the rows with a higher id than
//! the last one seen is enough). With `L = max(n, m)` and `o` the number of
//! tokens query and entry share (as multisets), every edit fixes at most one
//! unshared token on each side, so `d >= L - o`. A match has
//! `d <= (1 - t) * L`, hence `o >= t * L >= t * n` and, as `o <= min(n, m)`,
//! `t * n <= m <= n / t` (length filter). With `k = ceil(t * n)`, an entry
//! sharing none of any `n - k + 1` of the query's token occurrences shares at
//! most `k - 1` < `t * n` of them: so every match holds one of the query's
//! `n - k + 1` *rarest* tokens (prefix filter). Lookup walks those tokens'
//! postings and, when cheap, those of `e` more tokens, counting per entry
//! the walked tokens it holds: a match must count at least `e + 1`, as the
//! `k - 1 - e` unwalked tokens can make up no more (count filter). It then
//! drops entries outside the length range or with `L - o > (1 - t) * L`,
//! and computes the edit distance (bounded, with early exit) on the rest.
//! All the filters are exact consequences of the score, so
//! the index returns the same best match as a scan of every entry would; the
//! tests check that against a scan. Threshold 0 makes every entry a match
//! and falls back to scanning the pair.
//!
//! The edit distance is core's (`diglot_core::similarity`), shared with
//! `fluent`'s pairing of edited sentences; the tokens are not. Memory
//! sources are plain text and a punctuation mark counts as a token of its
//! own (so "Hola." and "Hola" are near, not equal, matches), while `fluent`
//! strips Markdown and drops punctuation to pair a reworded sentence with
//! its old message. One tokenisation for both would change which memory
//! entries match (and the fuzzy counts in `report.json`), so each keeps
//! its own.

use std::collections::HashMap;

use diglot_core::similarity::edit_distance;

use super::normalize;

/// Tolerance for floating-point comparisons with the threshold; the filters
/// lean towards keeping a candidate, the exact score decides.
const EPS: f64 = 1e-9;

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{a1}' | '\u{a7}' | '\u{ab}' | '\u{b6}' | '\u{b7}' | '\u{bb}' | '\u{bf}')
        || ('\u{2010}'..='\u{205e}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff01}'..='\u{ff0f}').contains(&c)
}

/// Calls `f` with each token of `text`, lower-cased (see the module docs).
fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || is_punctuation(c) {
            if !word.is_empty() {
                f(&word);
                word.clear();
            }
            if !c.is_whitespace() {
                f(c.encode_utf8(&mut [0; 4]));
            }
        } else {
            word.extend(c.to_lowercase());
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// The tokens of `text` (see the module docs).
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// The fuzzy score of two texts, computed directly (no index): what
/// [`Memory::fuzzy`] reports for an entry `b` and a query `a`.
pub(crate) fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize(a), normalize(b));
    if a == b {
        return 1.0;
    }
    let (ta, tb) = (tokens(&a), tokens(&b));
    let len = ta.len().max(tb.len());
    if len == 0 {
        return 0.0;
    }
    let d = edit_distance(&ta, &tb, usize::MAX).expect("no bound");
    score(d, len)
}

fn score(distance: usize, len: usize) -> f64 {
    // Equal tokens, different text: half an edit, so only exact is 1.0.
    let d = if distance == 0 { 0.5 } else { distance as f64 };
    1.0 - d / len as f64
}

/// A token id that no entry holds: a query word the pair has never seen.
const UNKNOWN: u32 = u32::MAX;

/// One pair's inverted index. Entries are numbered by *slot*, in id order.
#[derive(Debug, Default)]
pub(super) struct PairIndex {
    /// `(PRAGMA data_version, Memory::writes)` when last brought up to date.
    pub(super) seen: Option<(i64, u64)>,
    pub(super) last_id: i64,
    vocab: HashMap<String, u32>,
    /// Token -> slots holding it (once per slot), ascending.
    postings: Vec<Vec<u32>>,
    /// Slot -> entry id.
    ids: Vec<i64>,
    /// Slot `s`'s tokens are `tokens[starts[s]..starts[s + 1]]`.
    starts: Vec<usize>,
    tokens: Vec<u32>,
    /// Scratch: slot -> hits among the posting lists walked for a query.
    hits: Vec<u16>,
    /// Scratch per token: occurrences in the query; in the candidate.
    in_query: Vec<u16>,
    in_candidate: Vec<u16>,
}

impl PairIndex {
    pub(super) fn push(&mut self, id: i64, source: &str) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let slot = self.ids.len() as u32;
        let first = self.tokens.len();
        for_each_token(source, |token| {
            let next = self.vocab.len() as u32;
            let tok = match self.vocab.get(token) {
                Some(&tok) => tok,
                None => {
                    self.vocab.insert(token.to_string(), next);
                    self.postings.push(Vec::new());
                    next
                }
            };
            self.tokens.push(tok);
        });
        let mut distinct = self.tokens[first..].to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        for tok in distinct {
            self.postings[tok as usize].push(slot);
        }
        self.starts.push(self.tokens.len());
        self.ids.push(id);
        self.hits.push(0);
        self.last_id = id;
        self.in_query.resize(self.vocab.len(), 0);
        self.in_candidate.resize(self.vocab.len(), 0);
    }

    fn entry(&self, slot: usize) -> &[u32] {
        &self.tokens[self.starts[slot]..self.starts[slot + 1]]
    }

    /// The entries that can share `min_overlap` (k >= 1) tokens with the
    /// query `q` (token ids, [`UNKNOWN`] for words the pair never saw).
    ///
    /// Order the query's n occurrences rarest first (unknown words, then by
    /// posting-list length). Walk the lists of the first n - k + 1 + e
    /// occurrences: an entry gets, for each listed token it holds, that
    /// token's count among them. The n - k + 1 + e walked occurrences and
    /// the k - 1 - e others split the overlap, so an entry sharing k tokens
    /// scores at least e + 1; an entry below that cannot match. e = 0 is the
    /// plain prefix filter; each extra list walked costs its length but
    /// lets fewer entries through to be checked token by token.
    fn candidates(&mut self, q: &[u32], min_overlap: usize) -> Vec<u32> {
        let n = q.len();
        let mut known: Vec<u32> = q.iter().copied().filter(|&tok| tok != UNKNOWN).collect();
        let unknown = n - known.len();
        // Known occurrences that must be walked; none: nothing can match.
        let Some(required) = (n - min_overlap + 1).checked_sub(unknown).filter(|&r| r > 0) else {
            return Vec::new();
        };
        known.sort_unstable_by_key(|&tok| (self.postings[tok as usize].len(), tok));
        let walked = |count: usize| -> usize {
            known[..count].iter().map(|&tok| self.postings[tok as usize].len()).sum()
        };
        // Walk more lists while that costs at most three times as much as the
        // required ones, up to the k - 1 occurrences that may be missing.
        let budget = 4 * walked(required);
        let mut extra = 0;
        while extra < min_overlap - 1 && walked(required + extra + 1) <= budget {
            extra += 1;
        }
        let need = extra as u16 + 1;
        let walk = &known[..required + extra];
        let mut touched = Vec::new();
        let mut i = 0;
        while i < walk.len() {
            // Sorted by (list length, id): a token's occurrences are adjacent.
            let tok = walk[i];
            let count = walk[i..].iter().take_while(|&&t| t == tok).count();
            i += count;
            let count = u16::try_from(count).unwrap_or(u16::MAX);
            for &slot in &self.postings[tok as usize] {
                let hits = &mut self.hits[slot as usize];
                if *hits == 0 {
                    touched.push(slot);
                }
                *hits = hits.saturating_add(count);
            }
        }
        touched.retain(|&slot| {
            let hits = std::mem::take(&mut self.hits[slot as usize]);
            hits >= need
        });
        touched
    }

    /// The best entry's id and score for `query` (normalized), where no
    /// entry equals `query`.
    pub(super) fn best(&mut self, query: &str, threshold: f64) -> Option<(i64, f64)> {
        let mut q = Vec::new();
        for_each_token(query, |t| q.push(self.vocab.get(t).copied().unwrap_or(UNKNOWN)));
        let n = q.len();
        if n == 0 || self.ids.is_empty() {
            return None;
        }
        let t = threshold;
        let min_overlap = (t * n as f64 - EPS).ceil().max(0.0) as usize;
        let max_len = if t > 0.0 { ((n as f64 + EPS) / t).floor() as usize } else { usize::MAX };

        for &tok in q.iter().filter(|&&tok| tok != UNKNOWN) {
            self.in_query[tok as usize] += 1;
        }

        let candidates: Vec<u32> = if min_overlap == 0 {
            (0..self.ids.len() as u32).collect()
        } else {
            self.candidates(&q, min_overlap)
        };

        // (twice the distance, length, length difference, slot): the best
        // score (compared exactly, as fractions), then the smaller
        // difference in length, then the older entry.
        let mut best: Option<(usize, usize, usize, u32)> = None;
        for slot in candidates {
            let start = self.starts[slot as usize];
            let m = self.starts[slot as usize + 1] - start;
            if m < min_overlap || m > max_len {
                continue;
            }
            let len = n.max(m);
            let allowed = (1.0 - t) * len as f64 + EPS;
            let max_d = allowed.floor() as usize;
            let mut overlap = 0;
            for &tok in &self.tokens[start..start + m] {
                let seen = &mut self.in_candidate[tok as usize];
                if *seen < self.in_query[tok as usize] {
                    overlap += 1;
                }
                *seen += 1;
            }
            for &tok in &self.tokens[start..start + m] {
                self.in_candidate[tok as usize] = 0;
            }
            if len - overlap > max_d {
                continue;
            }
            let Some(d) = edit_distance(&q, self.entry(slot as usize), max_d) else { continue };
            // Equal tokens, different text: half an edit (see `score`).
            let d2 = if d == 0 { 1 } else { 2 * d };
            if d2 as f64 / 2.0 > allowed {
                continue;
            }
            let better = match best {
                None => true,
                Some((bd2, blen, bdiff, bslot)) => match (d2 * blen).cmp(&(bd2 * len)) {
                    std::cmp::Ordering::Less => true,
                    std::cmp::Ordering::Greater => false,
                    std::cmp::Ordering::Equal => (n.abs_diff(m), slot) < (bdiff, bslot),
                },
            };
            if better {
                best = Some((d2, len, n.abs_diff(m), slot));
            }
        }
        for &tok in q.iter().filter(|&&tok| tok != UNKNOWN) {
            self.in_query[tok as usize] = 0;
        }
        best.map(|(d2, len, _, slot)| (self.ids[slot as usize], 1.0 - d2 as f64 / 2.0 / len as f64))
    }
}
