//! The failures the `fluent_parse` and `fluent_merge` fuzz targets found
//! (their inputs are in fuzz/regressions/), each a test.

use diglot_core::Locale;

use crate::*;

/// Bytes of the file that locating its diagnostics read while parsing
/// `text` (see `file::scanned`): a count of work, not a time.
fn parse_cost(text: &str) -> usize {
    let before = crate::file::SCANNED.with(std::cell::Cell::get);
    let (_, diagnostics) = parse_file("es.ftl", text, &en());
    assert!(!diagnostics.is_empty());
    crate::file::SCANNED.with(std::cell::Cell::get) - before
}

fn en() -> Locale {
    "en-US".parse().unwrap()
}

fn regression(target: &str, name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target)
        .join(name);
    String::from_utf8_lossy(&std::fs::read(&path).expect("the input is committed")).into_owned()
}

/// `n` messages, then the same `n` again (a file pasted twice).
fn duplicate_ids(n: usize) -> String {
    let once: String = (0..n).map(|i| format!("m{i} = x\n")).collect();
    once.repeat(2)
}

/// `n` messages, each followed by a line of junk.
fn many_errors(n: usize) -> String {
    (0..n).map(|i| format!("m{i} = x\n= junk\n")).collect()
}

/// A file with four times the problems costs about four times as much, not
/// sixteen: one line index per file,, and one pass to find every message's
/// definitions (fuzz/regressions/fluent_parse/slow-*.ftl).
#[test]
fn parse_work_is_linear_in_duplicates_and_errors() {
    for (name, make) in
        [("duplicate IDs", duplicate_ids as fn(usize) -> String), ("syntax errors", many_errors)]
    {
        let small = parse_cost(&make(1_000));
        let large = parse_cost(&make(4_000));
        let ratio = large as f64 / small as f64;
        assert!(
            ratio < 6.0,
            "{name}: 4x the input reads {ratio:.1}x as much to locate diagnostics"
        );
    }
}

#[test]
fn the_slow_inputs_are_read_with_every_diagnostic() {
    let (file, diagnostics) =
        parse_file("es.ftl", &regression("fluent_parse", "slow-duplicate-ids.ftl"), &en());
    assert_eq!(file.messages.len(), 2_000);
    assert_eq!(diagnostics.len(), 2_000);
    // The second definition is where the duplicate is reported.
    assert_eq!((diagnostics[0].line, diagnostics[0].col), (2_001, 1));
    assert_eq!(diagnostics[0].message_id.as_deref(), Some("m0"));
    let (file, diagnostics) =
        parse_file("es.ftl", &regression("fluent_parse", "slow-many-errors.ftl"), &en());
    assert!(file.has_errors);
    assert_eq!(diagnostics.len(), file.messages.len());
    assert_eq!(diagnostics[1].line, 4);
}

/// 50,000 duplicate messages and 50,000 lines of junk are read, each
/// reported at its own line.
#[test]
fn fifty_thousand_problems_are_each_reported() {
    let (_, diagnostics) = parse_file("es.ftl", &duplicate_ids(50_000), &en());
    assert_eq!(diagnostics.len(), 50_000);
    assert_eq!(diagnostics[49_999].line, 100_000);
    let (_, diagnostics) = parse_file("es.ftl", &many_errors(50_000), &en());
    assert_eq!(diagnostics.len(), 50_000);
    assert_eq!(diagnostics[49_999].line, 100_000);
}
