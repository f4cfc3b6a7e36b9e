//! `diglot_translate::protect`: what `protect` gives a provider comes back
//! unchanged through `restore` when the provider returns it untouched.
//!
//! - Every sentence diglot makes from a Markdown article (ingest, then
//!   segment) satisfies `restore(protect(x)) == x`, and `check(x, x)` passes.
//!   White space runs are compared folded: the Markdown reader keeps `a  b`
//!   in a segment while `restore` folds it (fuzz/regressions/protect_roundtrip);
//!   drop `fold` once segments come out folded.
//! - For any text at all, `restore` accepts `protect`'s own output, and the
//!   text it gives back is a fixed point of the round trip.
#![no_main]

use std::sync::OnceLock;

use diglot_ingest::{Format, read};
use diglot_segment::{Rules, segment};
use diglot_translate::Pair;
use diglot_translate::protect::{Rejection, check, protect, restore};
use libfuzzer_sys::fuzz_target;

fn round_trip(text: &str) -> String {
    let protected = protect(text);
    restore(&protected, &protected.text).unwrap_or_else(|e| {
        panic!(
            "restore rejects protect's own output: {e}\ntext: {text:?}\nprotected: {:?}",
            protected.text
        )
    })
}

/// Runs of white space as one space.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        let space = c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}');
        if !(space && in_space) {
            out.push(if space { ' ' } else { c });
        }
        in_space = space;
    }
    out
}

fuzz_target!(|text: &str| {
    let once = round_trip(text);
    assert_eq!(round_trip(&once), once, "not a fixed point; first input {text:?}");

    if let Ok(doc) = read(text, Format::Markdown) {
        static RULES: OnceLock<Rules> = OnceLock::new();
        let rules = RULES.get_or_init(|| Rules::for_language("en"));
        static PAIR: OnceLock<Pair> = OnceLock::new();
        let pair = PAIR.get_or_init(|| {
            // A target that writes numbers as the source does: a Spanish
            // draft that keeps `1,000.5` is rightly rejected.
            Pair::new("en-US".parse().expect("valid tag"), "en-GB".parse().expect("valid tag"))
        });
        for s in segment(&doc, rules).segments() {
            let back = round_trip(&s.text);
            assert_eq!(fold(&back), fold(&s.text), "a segment changed in the round trip");
            match check(pair, &s.text, &s.text) {
                Ok(()) => {}
                // No draft with control characters reaches a locale file,
                // even when its source has them.
                Err(Rejection::ControlCharacters(_)) if s.text.chars().any(char::is_control) => {}
                Err(e) => panic!("check rejects a segment compared with itself: {e}\n{:?}", s.text),
            }
        }
    }
});
