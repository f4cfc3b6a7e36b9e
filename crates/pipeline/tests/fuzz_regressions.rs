//! The inputs of failures the fuzz targets found (fuzz/regressions/), each
//! checked against its target's invariant, for the targets whose code spans
//! several stages.

use diglot_ingest::{Format, read};
use diglot_segment::{Rules, segment};
use diglot_translate::Pair;
use diglot_translate::protect::{Rejection, check, protect, restore};

fn regressions(target: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.expect("readable folder").path();
            let bytes = std::fs::read(&path).expect("readable file");
            // libFuzzer hands a `&str` target only the inputs that are UTF-8.
            let name = path.file_name().expect("a file").to_string_lossy().into_owned();
            (name, String::from_utf8(bytes).unwrap_or_default())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs in {}", dir.display());
    out
}

/// Runs of white space as one space: the Markdown reader keeps `a  b`, and
/// `restore` folds it.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn round_trip(text: &str) -> String {
    let protected = protect(text);
    restore(&protected, &protected.text)
        .unwrap_or_else(|e| panic!("restore rejects protect's own output for {text:?}: {e}"))
}

/// fuzz/fuzz_targets/protect_roundtrip.rs: every sentence diglot makes from
/// a Markdown article comes back from `restore(protect(x))` as it was.
#[test]
fn protect_roundtrip_regressions() {
    let rules = Rules::for_language("en");
    // A target that writes numbers as the source does: a Spanish draft that
    // keeps `1,000.5` is rightly rejected.
    let pair = Pair::new("en-US".parse().unwrap(), "en-GB".parse().unwrap());
    for (name, text) in regressions("protect_roundtrip") {
        let once = round_trip(&text);
        assert_eq!(round_trip(&once), once, "{name}: not a fixed point");
        let Ok(doc) = read(&text, Format::Markdown) else { continue };
        for s in segment(&doc, &rules).segments() {
            assert_eq!(fold(&round_trip(&s.text)), fold(&s.text), "{name}: {:?}", s.text);
            match check(&pair, &s.text, &s.text) {
                Ok(()) => {}
                // No draft with control characters reaches a locale file,
                // even when its source has them.
                Err(Rejection::ControlCharacters(_)) if s.text.chars().any(char::is_control) => {}
                Err(e) => panic!("{name}: check rejects {:?} against itself: {e}", s.text),
            }
        }
    }
}
