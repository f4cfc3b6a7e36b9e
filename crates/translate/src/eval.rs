//! Scores translation drafts against reviewed translations with BLEU and
//! chrF, as sacreBLEU 2.x defines them, so that `diglot eval` numbers can be
//! set beside published ones.
//!
//! [`bleu`] and [`chrf`] are the defaults everyone reports (BLEU: 4-grams,
//! tokenizer 13a, `exp` smoothing, mixed case; chrF2: character 6-grams,
//! beta 2, whitespace removed). [`Bleu`] and [`Chrf`] hold every knob
//! sacreBLEU exposes for these metrics, for comparisons that need another
//! setting (chrF++ is [`Chrf::plus_plus`]). Scores run 0 to 100; each
//! [`Score`] carries the components sacreBLEU prints beside it.
//!
//! Every function here is pure and deterministic: no I/O, no randomness.
//! Any deviation from sacreBLEU's numbers is a bug, however small.

use std::collections::HashMap;
use std::hash::Hash;

#[cfg(test)]
mod tests;

/// A corpus or sentence score, 0 to 100, with what it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub score: f64,
    pub components: Components,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Components {
    Bleu(BleuComponents),
    Chrf(ChrfComponents),
}

/// What sacreBLEU prints after a BLEU score.
#[derive(Debug, Clone, PartialEq)]
pub struct BleuComponents {
    /// Matched n-grams, clipped by reference counts; index 0 is unigrams.
    pub counts: Vec<usize>,
    /// Hypothesis n-grams.
    pub totals: Vec<usize>,
    /// n-gram precisions in percent, after smoothing.
    pub precisions: Vec<f64>,
    /// Brevity penalty, 0 to 1.
    pub bp: f64,
    /// Hypothesis tokens in the corpus.
    pub sys_len: usize,
    /// Reference tokens (the closest reference's length, per sentence).
    pub ref_len: usize,
}

/// The parameters a chrF score is named by: `chrF2` is beta 2 with no word
/// order, `chrF2++` adds word order 2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChrfComponents {
    pub char_order: usize,
    pub word_order: usize,
    pub beta: u32,
}

/// Corpus BLEU with sacreBLEU's defaults; `references[i]` is the reference
/// for `hypotheses[i]`.
///
/// # Panics
/// When the two slices differ in length.
pub fn bleu(hypotheses: &[&str], references: &[&str]) -> Score {
    Bleu::default().corpus_score(hypotheses, &[references])
}

/// BLEU of one sentence, as `sacrebleu.sentence_bleu` computes it: the
/// defaults plus effective order, so that a short sentence is not zero just
/// for having no 4-grams.
pub fn sentence_bleu(hypothesis: &str, reference: &str) -> Score {
    Bleu { effective_order: true, ..Bleu::default() }.sentence_score(hypothesis, &[reference])
}

/// Corpus chrF2 with sacreBLEU's defaults; `references[i]` is the reference
/// for `hypotheses[i]`.
///
/// # Panics
/// When the two slices differ in length.
pub fn chrf(hypotheses: &[&str], references: &[&str]) -> Score {
    Chrf::default().corpus_score(hypotheses, &[references])
}

/// Corpus chrF2++: chrF2 plus word unigrams and bigrams.
///
/// # Panics
/// When the two slices differ in length.
pub fn chrf_plus_plus(hypotheses: &[&str], references: &[&str]) -> Score {
    Chrf::plus_plus().corpus_score(hypotheses, &[references])
}

/// chrF2 of one sentence.
pub fn sentence_chrf(hypothesis: &str, reference: &str) -> Score {
    Chrf::default().sentence_score(hypothesis, &[reference])
}

/// How text is split into words before BLEU counts n-grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokenizer {
    /// mteval-v13a.pl, the WMT standard and sacreBLEU's default.
    Mteval13a,
    /// Whitespace only: for text that is already tokenized.
    None,
}

/// What BLEU does with an n-gram order that has no matches
/// (Chen and Cherry 2014).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Smoothing {
    /// The precision stays 0, and so does the score.
    None,
    /// A zero count becomes this value (sacreBLEU's default is 0.1).
    Floor(f64),
    /// Adds this value to matches and totals from bigrams up (default 1).
    AddK(f64),
    /// mteval-v13a's method: the k-th order without matches counts as
    /// 1 / 2^k matches. sacreBLEU's default.
    Exp,
}

/// BLEU's settings; `Bleu::default()` is sacreBLEU's `BLEU()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bleu {
    pub max_order: usize,
    pub tokenizer: Tokenizer,
    pub smoothing: Smoothing,
    /// Averages only over the orders the hypotheses have n-grams of.
    pub effective_order: bool,
    pub lowercase: bool,
}

impl Default for Bleu {
    fn default() -> Self {
        Bleu {
            max_order: 4,
            tokenizer: Tokenizer::Mteval13a,
            smoothing: Smoothing::Exp,
            effective_order: false,
            lowercase: false,
        }
    }
}

impl Bleu {
    /// Corpus BLEU. `references` holds one or more reference streams, each
    /// parallel to `hypotheses` (sacreBLEU's layout); an empty string is a
    /// reference of length 0, not a missing one.
    ///
    /// # Panics
    /// When a stream's length differs from `hypotheses`'.
    pub fn corpus_score(&self, hypotheses: &[&str], references: &[&[&str]]) -> Score {
        check_streams(hypotheses, references);
        let mut stats = vec![0; 2 + 2 * self.max_order];
        for (i, hypothesis) in hypotheses.iter().enumerate() {
            let refs: Vec<&str> = references.iter().map(|stream| stream[i]).collect();
            let segment = self.segment_statistics(hypothesis, &refs);
            stats.iter_mut().zip(segment).for_each(|(total, s)| *total += s);
        }
        self.score_from_statistics(&stats)
    }

    /// BLEU of one sentence against one or more references.
    pub fn sentence_score(&self, hypothesis: &str, references: &[&str]) -> Score {
        let stats = self.segment_statistics(hypothesis, references);
        self.score_from_statistics(&stats)
    }

    fn preprocess(&self, sentence: &str) -> String {
        let sentence = if self.lowercase { sentence.to_lowercase() } else { sentence.to_owned() };
        let sentence = sentence.trim_end_matches(is_python_space);
        match self.tokenizer {
            Tokenizer::Mteval13a => tokenize_13a(sentence),
            Tokenizer::None => sentence.to_owned(),
        }
    }

    /// `[hyp_len, ref_len, matches per order.., totals per order..]`.
    fn segment_statistics(&self, hypothesis: &str, references: &[&str]) -> Vec<usize> {
        let n = self.max_order;
        let hypothesis = self.preprocess(hypothesis);
        let hyp_tokens: Vec<&str> = split_python(&hypothesis).collect();

        let references: Vec<String> = references.iter().map(|r| self.preprocess(r)).collect();
        let ref_tokens: Vec<Vec<&str>> =
            references.iter().map(|r| split_python(r).collect()).collect();
        // With several references an n-gram may match as often as it occurs
        // in any one of them.
        let mut ref_counts: HashMap<&[&str], usize> = HashMap::new();
        for tokens in &ref_tokens {
            for order in 1..=n {
                for (gram, count) in ngram_counts(tokens, order) {
                    let best = ref_counts.entry(gram).or_default();
                    *best = (*best).max(count);
                }
            }
        }
        let hyp_len = hyp_tokens.len();
        let ref_len = closest_ref_len(hyp_len, ref_tokens.iter().map(Vec::len));

        let mut stats = vec![0; 2 + 2 * n];
        stats[0] = hyp_len;
        stats[1] = ref_len;
        for order in 1..=n {
            for (gram, count) in ngram_counts(&hyp_tokens, order) {
                stats[2 + n + order - 1] += count;
                if let Some(&in_ref) = ref_counts.get(gram) {
                    stats[2 + order - 1] += count.min(in_ref);
                }
            }
        }
        stats
    }

    fn score_from_statistics(&self, stats: &[usize]) -> Score {
        let n = self.max_order;
        compute_bleu(
            &stats[2..2 + n],
            &stats[2 + n..],
            stats[0],
            stats[1],
            self.smoothing,
            self.effective_order,
        )
    }
}

/// BLEU from its sufficient statistics, step for step as sacreBLEU's
/// `BLEU.compute_bleu`, so that scores agree to the last bit.
fn compute_bleu(
    correct: &[usize],
    total: &[usize],
    sys_len: usize,
    ref_len: usize,
    smoothing: Smoothing,
    effective_order: bool,
) -> Score {
    let max_order = correct.len();
    let bp = if sys_len >= ref_len {
        1.0
    } else if sys_len > 0 {
        (1.0 - ref_len as f64 / sys_len as f64).exp()
    } else {
        0.0
    };
    let mut precisions = vec![0.0; max_order];
    let components = |score, precisions| Score {
        score,
        components: Components::Bleu(BleuComponents {
            counts: correct.to_vec(),
            totals: total.to_vec(),
            precisions,
            bp,
            sys_len,
            ref_len,
        }),
    };
    // No match at any order is 0 whatever the smoothing (sacreBLEU #141).
    if correct.iter().all(|&c| c == 0) {
        return components(0.0, precisions);
    }

    let mut smooth_mteval = 1.0;
    let mut eff_order = max_order;
    for i in 0..max_order {
        let (mut matched, mut guessed) = (correct[i] as f64, total[i] as f64);
        if let Smoothing::AddK(k) = smoothing {
            if i > 0 {
                matched += k;
                guessed += k;
            }
        }
        if guessed == 0.0 {
            break;
        }
        if effective_order {
            eff_order = i + 1;
        }
        precisions[i] = if matched == 0.0 {
            match smoothing {
                Smoothing::Exp => {
                    smooth_mteval *= 2.0;
                    100.0 / (smooth_mteval * guessed)
                }
                Smoothing::Floor(floor) => 100.0 * floor / guessed,
                Smoothing::None | Smoothing::AddK(_) => 0.0,
            }
        } else {
            100.0 * matched / guessed
        };
    }
    let log_sum: f64 = precisions[..eff_order].iter().map(|&p| floored_ln(p)).sum();
    let score = bp * (log_sum / eff_order as f64).exp();
    components(score, precisions)
}

/// sacreBLEU's `my_log`: ln with 0 mapped to a huge negative number rather
/// than -inf, so the mean stays finite and the score exactly 0.
fn floored_ln(x: f64) -> f64 {
    if x == 0.0 { -9_999_999_999.0 } else { x.ln() }
}

/// The reference length closest to the hypothesis', the shorter on a tie.
fn closest_ref_len(hyp_len: usize, ref_lens: impl Iterator<Item = usize>) -> usize {
    ref_lens.min_by_key(|&len| (len.abs_diff(hyp_len), len)).unwrap_or(0)
}

/// mteval-v13a.pl's tokenization, as sacreBLEU's `Tokenizer13a` and
/// `TokenizerRegexp` do it. Each regex there matches exactly two
/// characters, so each is a left-to-right scan over pairs here.
fn tokenize_13a(line: &str) -> String {
    let mut line = line.replace("<skipped>", "").replace("-\n", "").replace('\n', " ");
    if line.contains('&') {
        line = line
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }

    // Symbols always stand alone: ASCII punctuation except ' , - and .
    let mut chars = vec![' '];
    for c in line.chars() {
        if matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/') {
            chars.extend([' ', c, ' ']);
        } else {
            chars.push(c);
        }
    }
    chars.push(' ');
    let is_period = |c: char| c == '.' || c == ',';
    let is_digit = |c: char| c.is_ascii_digit();
    // Period and comma split off unless preceded by a digit,
    let chars = replace_pairs(&chars, |a, b| !is_digit(a) && is_period(b), |a, b| [a, ' ', b, ' ']);
    // or unless followed by one;
    let chars = replace_pairs(&chars, |a, b| is_period(a) && !is_digit(b), |a, b| [' ', a, ' ', b]);
    // a dash after a digit splits off.
    let chars = replace_pairs(&chars, |a, b| is_digit(a) && b == '-', |a, b| [a, ' ', b, ' ']);

    let line: String = chars.into_iter().collect();
    split_python(&line).collect::<Vec<_>>().join(" ")
}

/// What Python's `re.sub` does with a pattern of two one-character classes:
/// replaces each leftmost, non-overlapping matching pair.
fn replace_pairs(
    chars: &[char],
    matches: impl Fn(char, char) -> bool,
    replace: impl Fn(char, char) -> [char; 4],
) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len() + chars.len() / 2);
    let mut i = 0;
    while i < chars.len() {
        match chars.get(i + 1) {
            Some(&next) if matches(chars[i], next) => {
                out.extend(replace(chars[i], next));
                i += 2;
            }
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// chrF's settings; `Chrf::default()` is sacreBLEU's `CHRF()`, chrF2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chrf {
    pub char_order: usize,
    /// Word n-gram order; 2 makes chrF++.
    pub word_order: usize,
    /// How many times more recall weighs than precision.
    pub beta: u32,
    /// Keep whitespace inside character n-grams.
    pub whitespace: bool,
    /// Average F over all orders with a tiny epsilon for empty ones, as
    /// chrF++.py, Moses and NLTK do; by default (false) only orders that
    /// both sides have n-grams of count, as sacreBLEU does.
    pub eps_smoothing: bool,
    pub lowercase: bool,
}

impl Default for Chrf {
    fn default() -> Self {
        Chrf {
            char_order: 6,
            word_order: 0,
            beta: 2,
            whitespace: false,
            eps_smoothing: false,
            lowercase: false,
        }
    }
}

impl Chrf {
    /// chrF2++: sacreBLEU's `CHRF(word_order=2)`.
    pub fn plus_plus() -> Self {
        Chrf { word_order: 2, ..Chrf::default() }
    }

    /// Corpus chrF: n-gram statistics summed over sentences, then one F.
    /// `references` holds one or more streams parallel to `hypotheses`;
    /// each sentence is matched against the reference that scores best.
    ///
    /// # Panics
    /// When a stream's length differs from `hypotheses`'.
    pub fn corpus_score(&self, hypotheses: &[&str], references: &[&[&str]]) -> Score {
        check_streams(hypotheses, references);
        let mut stats = vec![0; 3 * self.orders()];
        for (i, hypothesis) in hypotheses.iter().enumerate() {
            let refs: Vec<&str> = references.iter().map(|stream| stream[i]).collect();
            let segment = self.segment_statistics(hypothesis, &refs);
            stats.iter_mut().zip(segment).for_each(|(total, s)| *total += s);
        }
        self.score_from_statistics(&stats)
    }

    /// chrF of one sentence against one or more references.
    pub fn sentence_score(&self, hypothesis: &str, references: &[&str]) -> Score {
        let stats = self.segment_statistics(hypothesis, references);
        self.score_from_statistics(&stats)
    }

    fn orders(&self) -> usize {
        self.char_order + self.word_order
    }

    fn score_from_statistics(&self, stats: &[usize]) -> Score {
        Score {
            score: self.f_score(stats),
            components: Components::Chrf(ChrfComponents {
                char_order: self.char_order,
                word_order: self.word_order,
                beta: self.beta,
            }),
        }
    }

    /// `[hyp, ref, match]` per order, character orders first, for the
    /// reference with the best F (the first of equals).
    fn segment_statistics(&self, hypothesis: &str, references: &[&str]) -> Vec<usize> {
        let hypothesis = self.preprocess(hypothesis);
        let hyp = Grams::new(&hypothesis, self);
        let mut best: Option<(f64, Vec<usize>)> = None;
        for reference in references {
            let reference = self.preprocess(reference);
            let reference = Grams::new(&reference, self);
            let mut stats = Vec::with_capacity(3 * self.orders());
            for n in 1..=self.char_order {
                stats.extend(match_statistics(
                    &ngram_counts(&hyp.chars, n),
                    &ngram_counts(&reference.chars, n),
                ));
            }
            for n in 1..=self.word_order {
                stats.extend(match_statistics(
                    &ngram_counts(&hyp.words, n),
                    &ngram_counts(&reference.words, n),
                ));
            }
            let f = self.f_score(&stats);
            if best.as_ref().is_none_or(|(best_f, _)| f > *best_f) {
                best = Some((f, stats));
            }
        }
        best.map(|(_, stats)| stats).unwrap_or_else(|| vec![0; 3 * self.orders()])
    }

    fn preprocess(&self, sentence: &str) -> String {
        if self.lowercase { sentence.to_lowercase() } else { sentence.to_owned() }
    }

    /// sacreBLEU's `CHRF._compute_f_score`, operation for operation.
    fn f_score(&self, stats: &[usize]) -> f64 {
        const EPS: f64 = 1e-16;
        let factor = f64::from(self.beta * self.beta);
        let mut eps_score = 0.0;
        let (mut avg_prec, mut avg_rec, mut effective_order) = (0.0, 0.0, 0usize);
        for order in stats.chunks_exact(3) {
            let (n_hyp, n_ref, n_match) = (order[0], order[1], order[2]);
            let prec = if n_hyp > 0 { n_match as f64 / n_hyp as f64 } else { EPS };
            let rec = if n_ref > 0 { n_match as f64 / n_ref as f64 } else { EPS };
            let denom = factor * prec + rec;
            eps_score += if denom > 0.0 { (1.0 + factor) * prec * rec / denom } else { EPS };
            if n_hyp > 0 && n_ref > 0 {
                avg_prec += prec;
                avg_rec += rec;
                effective_order += 1;
            }
        }
        if self.eps_smoothing {
            return 100.0 * eps_score / self.orders() as f64;
        }
        if effective_order == 0 {
            return 0.0;
        }
        avg_prec /= effective_order as f64;
        avg_rec /= effective_order as f64;
        if avg_prec + avg_rec == 0.0 {
            return 0.0;
        }
        let score = (1.0 + factor) * avg_prec * avg_rec;
        100.0 * (score / (factor * avg_prec + avg_rec))
    }
}

/// A sentence as chrF sees it: characters (whitespace removed unless kept)
/// and words with edge punctuation split off.
struct Grams<'a> {
    chars: Vec<char>,
    words: Vec<&'a str>,
}

impl<'a> Grams<'a> {
    fn new(sentence: &'a str, chrf: &Chrf) -> Self {
        let chars = if chrf.whitespace {
            sentence.chars().collect()
        } else {
            sentence.chars().filter(|&c| !is_python_space(c)).collect()
        };
        let words = if chrf.word_order > 0 { chrf_words(sentence) } else { Vec::new() };
        Grams { chars, words }
    }
}

/// chrF++'s word split (sacreBLEU's `_remove_punctuation`, after
/// m-popovic/chrF): one punctuation mark comes off the end of a word, or
/// else off its start. `(hi)` becomes `(hi` and `)`, as in sacreBLEU.
fn chrf_words(sentence: &str) -> Vec<&str> {
    let is_punct = |c: char| c.is_ascii_punctuation();
    let mut words = Vec::new();
    for w in split_python(sentence) {
        let mut chars = w.chars();
        let (first, last) = (chars.next(), chars.next_back());
        match (first, last) {
            (Some(_), Some(last)) if is_punct(last) => {
                let cut = w.len() - 1;
                words.extend([&w[..cut], &w[cut..]]);
            }
            (Some(first), Some(_)) if is_punct(first) => words.extend([&w[..1], &w[1..]]),
            _ => words.push(w),
        }
    }
    words
}

/// `[hyp n-grams, ref n-grams, clipped matches]`; a hypothesis' n-grams of
/// an order the reference has none of are not counted.
fn match_statistics<K: Hash + Eq>(
    hyp: &HashMap<K, usize>,
    reference: &HashMap<K, usize>,
) -> [usize; 3] {
    let mut hyp_count = 0;
    let mut matched = 0;
    for (gram, &count) in hyp {
        hyp_count += count;
        if let Some(&in_ref) = reference.get(gram) {
            matched += count.min(in_ref);
        }
    }
    let hyp_count = if reference.is_empty() { 0 } else { hyp_count };
    [hyp_count, reference.values().sum(), matched]
}

fn ngram_counts<T: Hash + Eq>(items: &[T], n: usize) -> HashMap<&[T], usize> {
    let mut counts = HashMap::new();
    if n > 0 {
        for gram in items.windows(n) {
            *counts.entry(gram).or_default() += 1;
        }
    }
    counts
}

fn check_streams(hypotheses: &[&str], references: &[&[&str]]) {
    assert!(!references.is_empty(), "scoring needs at least one reference stream");
    for stream in references {
        assert_eq!(
            stream.len(),
            hypotheses.len(),
            "each reference stream needs one reference per hypothesis"
        );
    }
}

/// Python's `str.isspace`, which `str.split()` and `str.rstrip()` use: Rust's
/// whitespace plus the ASCII file, group, record and unit separators.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.split()` without arguments.
fn split_python(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_python_space).filter(|w| !w.is_empty())
}
