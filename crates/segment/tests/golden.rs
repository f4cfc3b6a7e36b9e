//! The Golden Rules of sentence segmentation (Pragmatic Segmenter specs, see
//! tests/data/README.md), English and Spanish. Prints the pass rate and the
//! failing cases; fails below 90%.

use diglot_segment::{Rules, split};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    sentences: Vec<String>,
}

/// Sentences are compared trimmed with runs of white space folded to one
/// space, as segment IDs are computed: the expected output of the line-wrap
/// cases ("It was a cold \nnight") joins the lines with a space, while `split`
/// keeps the text as it was.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run(lang: &str, json: &str) -> f64 {
    let cases: Vec<Case> = serde_json::from_str(json).expect("golden data parses");
    let rules = Rules::for_language(lang);
    let mut failed = Vec::new();
    for case in &cases {
        let got: Vec<String> = split(&case.text, &rules).iter().map(|s| fold(s)).collect();
        let want: Vec<String> = case.sentences.iter().map(|s| fold(s)).collect();
        if got != want {
            failed.push(format!("  {}\n    want: {want:?}\n    got:  {got:?}", case.name));
        }
    }
    let passed = cases.len() - failed.len();
    let rate = passed as f64 / cases.len() as f64 * 100.0;
    println!("{lang}: {passed}/{} passed ({rate:.1}%)", cases.len());
    for f in &failed {
        println!("{f}");
    }
    rate
}

#[test]
fn golden_rules_english() {
    let rate = run("en", include_str!("data/golden_en.json"));
    assert!(rate >= 90.0, "English golden rules: {rate:.1}% < 90%");
}

#[test]
fn golden_rules_spanish() {
    let rate = run("es", include_str!("data/golden_es.json"));
    assert!(rate >= 90.0, "Spanish golden rules: {rate:.1}% < 90%");
}
