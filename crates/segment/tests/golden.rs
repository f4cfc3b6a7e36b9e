//! The Golden Rules of sentence segmentation (Pragmatic Segmenter specs, see
//! tests/data/README.md), English and Spanish. Prints the pass count and the
//! failing cases. The cases diglot is known to fail are listed by name: the
//! test fails when any other case fails, and also when a listed case passes,
//! so that the list is kept exact.

use diglot_segment::{Rules, split};
use serde::Deserialize;

/// A line break with no space before it ends a sentence in plain text
/// (`diglot_segment::boundaries`), which this PDF-extraction case rejects.
const KNOWN_FAILURES_EN: &[&str] = &["Errant newlines in the middle of sentences (PDF) #040"];

/// A row of underscores with no letter is not a sentence of its own: it joins
/// the sentence after it, where this case expects it dropped.
const KNOWN_FAILURES_ES: &[&str] = &["Spanish spec: correctly segments text #030"];

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

fn run(lang: &str, json: &str, known: &[&str]) {
    let cases: Vec<Case> = serde_json::from_str(json).expect("golden data parses");
    for name in known {
        assert!(cases.iter().any(|c| c.name == *name), "no {lang} case is named {name:?}");
    }
    let rules = Rules::for_language(lang);
    let mut failed = Vec::new();
    for case in &cases {
        let got: Vec<String> = split(&case.text, &rules).iter().map(|s| fold(s)).collect();
        let want: Vec<String> = case.sentences.iter().map(|s| fold(s)).collect();
        if got != want {
            println!("  {}\n    want: {want:?}\n    got:  {got:?}", case.name);
            failed.push(case.name.as_str());
        }
    }
    let passed = cases.len() - failed.len();
    println!("{lang}: {passed}/{} passed", cases.len());
    let new_failures: Vec<&str> = failed.iter().copied().filter(|f| !known.contains(f)).collect();
    let now_passing: Vec<&str> = known.iter().copied().filter(|k| !failed.contains(k)).collect();
    assert!(new_failures.is_empty(), "{lang} golden rules that now fail: {new_failures:?}");
    assert!(
        now_passing.is_empty(),
        "{lang} golden rules listed as known failures now pass; remove them from the list: \
         {now_passing:?}"
    );
}

#[test]
fn golden_rules_english() {
    run("en", include_str!("data/golden_en.json"), KNOWN_FAILURES_EN);
}

#[test]
fn golden_rules_spanish() {
    run("es", include_str!("data/golden_es.json"), KNOWN_FAILURES_ES);
}
