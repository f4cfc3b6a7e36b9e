//! Aligning an existing human translation with the article, sentence by
//! sentence, so that it can fill a target locale file.
//!
//! Two passes of the same dynamic programme (Gale and Church, 1993): first
//! the blocks (paragraphs, headings, list items), so that a paragraph the
//! translator merged or split, or one added or left out, does not shift
//! everything after it; then the sentences within each group of paired
//! blocks. Each step pairs 1-1, 1-0, 0-1, 2-1 or 1-2 items; its cost is the
//! Gale-Church length cost (lengths in characters of plain text, the
//! expected ratio measured on the whole text) plus the prior of the step,
//! lowered when both sides share anchors (numbers, link targets, code,
//! capitalised names) and raised when their numbers differ. Headings pair
//! with headings whatever their level.
//!
//! [`align`] works on `core` types and does no I/O.

use diglot_core::inline::plain_text_of_markdown;
use diglot_core::{Segment, Segmented};

/// One pairing of source sentences with target sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedPair {
    /// Source sentences, in order (one or two).
    pub source: Vec<Segment>,
    /// Target sentences (Markdown inline), in order (one or two).
    pub target: Vec<String>,
    /// How well their lengths and anchors agree, 0..=1.
    pub score: f64,
}

/// What [`align`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alignment {
    pub pairs: Vec<AlignedPair>,
    /// Source sentences no target sentence was paired with.
    pub unpaired_source: Vec<Segment>,
    /// Target sentences paired with no source sentence.
    pub unpaired_target: Vec<String>,
}

/// Aligns the sentences of `source` (the article) with those of `target`
/// (its translation, segmented by the target language's rules).
pub fn align(source: &Segmented, target: &Segmented) -> Alignment {
    let src_blocks: Vec<Item> = source
        .blocks
        .iter()
        .filter(|b| !b.segments.is_empty())
        .map(|b| Item::block(b.kind.is_heading(), b.segments.iter().map(|s| s.text.as_str())))
        .collect();
    let tgt_blocks: Vec<Item> = target
        .blocks
        .iter()
        .filter(|b| !b.segments.is_empty())
        .map(|b| Item::block(b.kind.is_heading(), b.segments.iter().map(|s| s.text.as_str())))
        .collect();
    let total = |items: &[Item]| items.iter().map(|i| i.len).sum::<f64>();
    let ratio = match total(&src_blocks) {
        0.0 => 1.0,
        s => (total(&tgt_blocks) / s).clamp(0.5, 2.0),
    };
    let src_segments: Vec<Vec<&Segment>> = source
        .blocks
        .iter()
        .filter(|b| !b.segments.is_empty())
        .map(|b| b.segments.iter().collect())
        .collect();
    let tgt_segments: Vec<Vec<&str>> = target
        .blocks
        .iter()
        .filter(|b| !b.segments.is_empty())
        .map(|b| b.segments.iter().map(|s| s.text.as_str()).collect())
        .collect();

    let mut out = Alignment::default();
    for step in dp(&src_blocks, &tgt_blocks, ratio) {
        let sources: Vec<&Segment> =
            step.source.clone().flat_map(|i| src_segments[i].iter().copied()).collect();
        let targets: Vec<&str> =
            step.target.clone().flat_map(|j| tgt_segments[j].iter().copied()).collect();
        let src_items: Vec<Item> = sources.iter().map(|s| Item::sentence(&s.text)).collect();
        let tgt_items: Vec<Item> = targets.iter().map(|t| Item::sentence(t)).collect();
        for s in dp(&src_items, &tgt_items, ratio) {
            let pair_source: Vec<Segment> = s.source.clone().map(|i| sources[i].clone()).collect();
            let pair_target: Vec<String> =
                s.target.clone().map(|j| targets[j].to_string()).collect();
            match (pair_source.is_empty(), pair_target.is_empty()) {
                (false, false) => {
                    out.pairs.push(AlignedPair {
                        source: pair_source,
                        target: pair_target,
                        score: s.score,
                    });
                }
                (false, true) => out.unpaired_source.extend(pair_source),
                (true, false) => out.unpaired_target.extend(pair_target),
                (true, true) => {}
            }
        }
    }
    out
}

/// A block or a sentence as the aligner sees it.
#[derive(Debug, Clone)]
struct Item {
    len: f64,
    heading: bool,
    anchors: Anchors,
}

impl Item {
    fn block<'a>(heading: bool, texts: impl Iterator<Item = &'a str>) -> Item {
        let texts: Vec<&str> = texts.collect();
        let mut item = Item::sentence(&texts.join(" "));
        item.heading = heading;
        item
    }

    fn sentence(markdown: &str) -> Item {
        let plain = plain_text_of_markdown(markdown);
        Item {
            len: plain.chars().filter(|c| !c.is_whitespace()).count() as f64,
            heading: false,
            anchors: Anchors::of(markdown, &plain),
        }
    }

    fn merged(items: &[Item]) -> Item {
        let mut anchors = Anchors::default();
        for i in items {
            anchors.numbers.extend(i.anchors.numbers.iter().cloned());
            anchors.links.extend(i.anchors.links.iter().cloned());
            anchors.names.extend(i.anchors.names.iter().cloned());
        }
        Item {
            len: items.iter().map(|i| i.len).sum(),
            heading: items.iter().all(|i| i.heading),
            anchors,
        }
    }
}

/// What a translation keeps as it is.
#[derive(Debug, Clone, Default)]
struct Anchors {
    /// Digit runs, separators removed (`1,250.75` and `1.250,75` agree).
    numbers: Vec<String>,
    /// Link targets and code spans.
    links: Vec<String>,
    /// Capitalised words not at the start of the text.
    names: Vec<String>,
}

impl Anchors {
    fn of(markdown: &str, plain: &str) -> Anchors {
        let mut numbers = Vec::new();
        let mut current = String::new();
        let mut chars = plain.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                current.push(c);
            } else if (c == ',' || c == '.') && !current.is_empty() {
                if !chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                    numbers.push(std::mem::take(&mut current));
                }
            } else if !current.is_empty() {
                numbers.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            numbers.push(current);
        }
        numbers.sort();
        let mut links = Vec::new();
        for (open, close) in [("](", ')'), ("`", '`')] {
            let mut rest = markdown;
            while let Some(at) = rest.find(open) {
                let after = &rest[at + open.len()..];
                let Some(end) = after.find(close) else { break };
                links.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
        }
        let names = plain
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 1)
            .skip(1)
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .map(str::to_string)
            .collect();
        Anchors { numbers, links, names }
    }

    /// A change to a step's cost: negative when the two sides share
    /// anchors, positive when their numbers or link targets differ.
    fn cost(&self, other: &Anchors) -> f64 {
        let mut cost = 0.0;
        if !self.numbers.is_empty() || !other.numbers.is_empty() {
            cost += if self.numbers == other.numbers { -2.0 } else { 3.0 };
        }
        let shared = |a: &[String], b: &[String]| a.iter().filter(|x| b.contains(x)).count();
        let links = shared(&self.links, &other.links);
        cost -= 1.0 * links.min(3) as f64;
        if links < self.links.len().max(other.links.len()) {
            cost += 1.5;
        }
        cost -= 0.7 * shared(&self.names, &other.names).min(3) as f64;
        cost
    }
}

/// One step of an alignment: items `source` paired with items `target`.
#[derive(Debug, Clone)]
struct Step {
    source: std::ops::Range<usize>,
    target: std::ops::Range<usize>,
    score: f64,
}

/// Gale and Church's variance of the length ratio, per character.
const VARIANCE: f64 = 6.8;
/// The steps (source items, target items) and their prior probabilities.
const STEPS: [(usize, usize, f64); 5] =
    [(1, 1, 0.89), (1, 0, 0.0099), (0, 1, 0.0099), (2, 1, 0.045), (1, 2, 0.045)];
/// Pairing a heading with something that is not one.
const KIND_MISMATCH: f64 = 6.0;

/// The cheapest sequence of steps aligning `src` with `tgt`.
fn dp(src: &[Item], tgt: &[Item], ratio: f64) -> Vec<Step> {
    let (n, m) = (src.len(), tgt.len());
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut back: Vec<Vec<Option<(usize, usize, f64)>>> = vec![vec![None; m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            for &(di, dj, prior) in &STEPS {
                if di > i || dj > j || cost[i - di][j - dj].is_infinite() {
                    continue;
                }
                let (step_cost, score) = step_cost(&src[i - di..i], &tgt[j - dj..j], ratio, prior);
                let total = cost[i - di][j - dj] + step_cost;
                if total < cost[i][j] {
                    cost[i][j] = total;
                    back[i][j] = Some((di, dj, score));
                }
            }
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some((di, dj, score)) = back[i][j] else { break };
        steps.push(Step { source: i - di..i, target: j - dj..j, score });
        i -= di;
        j -= dj;
    }
    steps.reverse();
    steps
}

/// The cost of pairing `src` with `tgt` and the pairing's score (0..=1).
fn step_cost(src: &[Item], tgt: &[Item], ratio: f64, prior: f64) -> (f64, f64) {
    let prior_cost = -prior.ln();
    if src.is_empty() || tgt.is_empty() {
        return (prior_cost, 0.0);
    }
    let (s, t) = (Item::merged(src), Item::merged(tgt));
    let mean = (s.len + t.len / ratio) / 2.0;
    let delta = if mean == 0.0 { 0.0 } else { (t.len - s.len * ratio) / (mean * VARIANCE).sqrt() };
    let p = (2.0 * (1.0 - normal_cdf(delta.abs()))).max(1e-12);
    let mut cost = -p.ln() + prior_cost + s.anchors.cost(&t.anchors);
    if s.heading != t.heading {
        cost += KIND_MISMATCH;
    }
    let bonus = (-s.anchors.cost(&t.anchors)).max(0.0) / 4.0;
    (cost, (p + bonus).min(1.0))
}

/// The standard normal distribution function (Abramowitz and Stegun 7.1.26).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs() / std::f64::consts::SQRT_2);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-(x * x) / 2.0).exp();
    if x >= 0.0 { (1.0 + erf) / 2.0 } else { (1.0 - erf) / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-6);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-3);
        assert!((normal_cdf(-1.0) - 0.1587).abs() < 1e-3);
    }

    #[test]
    fn numbers_are_anchors_whatever_the_separators() {
        let a =
            Anchors::of("It cost 1,250.75 dollars in 2024.", "It cost 1,250.75 dollars in 2024.");
        let b = Anchors::of("Costó 1.250,75 dólares en 2024.", "Costó 1.250,75 dólares en 2024.");
        assert_eq!(a.numbers, b.numbers);
        assert!(a.cost(&b) < 0.0);
    }
}
