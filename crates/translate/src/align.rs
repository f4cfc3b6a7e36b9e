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
//! with headings whatever their level. A reference link (`[text][label]`)
//! is read as the URL its side defines for the label, so that it matches
//! the same link written inline, or under another label, on the other side.
//!
//! [`align`] works on `core` types and does no I/O.

use std::collections::BTreeMap;

use diglot_core::inline::{parse_markdown, plain_text_of_markdown};
use diglot_core::{Inline, Segment, Segmented};

/// One side of an alignment: a text's sentences and the link reference
/// definitions (`[label]: URL`) its sentences use.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub segmented: &'a Segmented,
    /// (URL, title) by label as written, as in `Skeleton::references`.
    pub references: &'a BTreeMap<String, (String, String)>,
}

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
pub fn align(source: Side<'_>, target: Side<'_>) -> Alignment {
    let (src_refs, tgt_refs) = (Urls::of(source.references), Urls::of(target.references));
    let (source, target) = (source.segmented, target.segmented);
    let blocks = |segmented: &Segmented, urls: &Urls| -> Vec<Item> {
        segmented
            .blocks
            .iter()
            .filter(|b| !b.segments.is_empty())
            .map(|b| {
                Item::block(b.kind.is_heading(), b.segments.iter().map(|s| s.text.as_str()), urls)
            })
            .collect()
    };
    let src_blocks = blocks(source, &src_refs);
    let tgt_blocks = blocks(target, &tgt_refs);
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
        let src_items: Vec<Item> =
            sources.iter().map(|s| Item::sentence(&s.text, &src_refs)).collect();
        let tgt_items: Vec<Item> = targets.iter().map(|t| Item::sentence(t, &tgt_refs)).collect();
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
    fn block<'a>(heading: bool, texts: impl Iterator<Item = &'a str>, urls: &Urls) -> Item {
        let texts: Vec<&str> = texts.collect();
        let mut item = Item::sentence(&texts.join(" "), urls);
        item.heading = heading;
        item
    }

    fn sentence(markdown: &str, urls: &Urls) -> Item {
        let plain = plain_text_of_markdown(markdown);
        Item {
            len: plain.chars().filter(|c| !c.is_whitespace()).count() as f64,
            heading: false,
            anchors: Anchors::of(markdown, &plain, urls),
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

/// The URLs of one side's link reference definitions, by label matched as
/// CommonMark matches them (case and runs of white space do not count).
#[derive(Debug, Default)]
struct Urls(BTreeMap<String, String>);

impl Urls {
    fn of(references: &BTreeMap<String, (String, String)>) -> Urls {
        Urls(references.iter().map(|(label, (url, _))| (Urls::key(label), url.clone())).collect())
    }

    fn key(label: &str) -> String {
        label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    }

    /// The URL of `label`, or the label itself (marked as one) when this
    /// side does not define it.
    fn resolve(&self, label: &str) -> String {
        let key = Urls::key(label);
        self.0.get(&key).cloned().unwrap_or_else(|| format!("[{key}]"))
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
    fn of(markdown: &str, plain: &str, urls: &Urls) -> Anchors {
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
        fn walk(inlines: &[Inline], urls: &Urls, links: &mut Vec<String>) {
            for inline in inlines {
                match inline {
                    Inline::Code(code) => links.push(code.clone()),
                    Inline::Image { src, .. } => links.push(src.clone()),
                    Inline::RefImage { label, .. } => links.push(urls.resolve(label)),
                    Inline::Link { href, children, .. } => {
                        links.push(href.clone());
                        walk(children, urls, links);
                    }
                    Inline::RefLink { label, children } => {
                        links.push(urls.resolve(label));
                        walk(children, urls, links);
                    }
                    Inline::Emphasis(children) | Inline::Strong(children) => {
                        walk(children, urls, links)
                    }
                    Inline::Text(_) | Inline::Break | Inline::Raw(_) => {}
                }
            }
        }
        walk(&parse_markdown(markdown), urls, &mut links);
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
        let none = Urls::default();
        let a = Anchors::of(
            "It cost 1,250.75 dollars in 2024.",
            "It cost 1,250.75 dollars in 2024.",
            &none,
        );
        let b = Anchors::of(
            "Costó 1.250,75 dólares en 2024.",
            "Costó 1.250,75 dólares en 2024.",
            &none,
        );
        assert_eq!(a.numbers, b.numbers);
        assert!(a.cost(&b) < 0.0);
    }

    #[test]
    fn reference_links_are_anchors() {
        let none = Urls::default();
        let a = Anchors::of("See [the notes][notes].", "See the notes.", &none);
        let b = Anchors::of("Vea [las notas][notes].", "Vea las notas.", &none);
        assert_eq!(a.links, b.links);
        assert!(a.cost(&b) < 0.0);
        // By the URL each side defines: inline on the other side, or under
        // another label, or the same label in other case, it is the same link.
        let defined = |label: &str| {
            Urls::of(&BTreeMap::from([(label.to_string(), ("https://x.org/n".into(), "".into()))]))
        };
        let a = Anchors::of(
            "See [the notes][Release  Notes].",
            "See the notes.",
            &defined("release notes"),
        );
        for (markdown, urls) in [
            ("Vea [las notas](https://x.org/n).", Urls::default()),
            ("Vea [las notas][notas].", defined("notas")),
        ] {
            let b = Anchors::of(markdown, "Vea las notas.", &urls);
            assert_eq!(a.links, b.links, "{markdown}");
        }
        let other = Anchors::of("Vea [las notas](https://x.org/m).", "Vea las notas.", &none);
        assert!(a.cost(&other) > 0.0);
    }
}
