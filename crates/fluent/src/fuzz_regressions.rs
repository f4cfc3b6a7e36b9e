//! The failures the `fluent_parse` and `fluent_merge` fuzz targets found
//! (their inputs are in fuzz/regressions/), each a test.

use diglot_core::{
    BlockKind, Locale, Segment, SegmentId, Segmented, SegmentedBlock, Severity, Translations,
};

use crate::text::pattern_from_text;
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

/// The committed inputs, read at compile time (this crate does no I/O).
fn regression(name: &str) -> String {
    let bytes: &[u8] = match name {
        "slow-duplicate-ids.ftl" => {
            include_bytes!("../../../fuzz/regressions/fluent_parse/slow-duplicate-ids.ftl")
        }
        "slow-many-errors.ftl" => {
            include_bytes!("../../../fuzz/regressions/fluent_parse/slow-many-errors.ftl")
        }
        "lone-carriage-return-lines.ftl" => {
            include_bytes!("../../../fuzz/regressions/fluent_parse/lone-carriage-return-lines.ftl")
        }
        "short-unicode-escape-before-multibyte.ftl" => include_bytes!(
            "../../../fuzz/regressions/fluent_parse/short-unicode-escape-before-multibyte.ftl"
        ),
        "short-unicode-escape-after-escaped-backslashes.ftl" => include_bytes!(
            "../../../fuzz/regressions/fluent_parse/short-unicode-escape-after-escaped-backslashes.ftl"
        ),
        "stray-carriage-return.ftl" => {
            include_bytes!("../../../fuzz/regressions/fluent_merge/stray-carriage-return.ftl")
        }
        other => panic!("no input {other}"),
    };
    String::from_utf8_lossy(bytes).into_owned()
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
    let (file, diagnostics) = parse_file("es.ftl", &regression("slow-duplicate-ids.ftl"), &en());
    assert_eq!(file.messages.len(), 2_000);
    assert_eq!(diagnostics.len(), 2_000);
    // The second definition is where the duplicate is reported.
    assert_eq!((diagnostics[0].line, diagnostics[0].col), (2_001, 1));
    assert_eq!(diagnostics[0].message_id.as_deref(), Some("m0"));
    let (file, diagnostics) = parse_file("es.ftl", &regression("slow-many-errors.ftl"), &en());
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

/// A `\\u` or `\\U` escape in a string literal with too few hex digits,
/// followed by a character of more than one byte, made the Fluent parser
/// panic (fuzz/regressions/fluent_parse/short-unicode-escape-…). Whether
/// the parser reads one as an escape depends on paths it tries and abandons
/// (an attribute it gives up on), so each is an error at its line and
/// column, with the escape as written, and the file is not read further: a
/// file with errors is never rewritten.
#[test]
fn a_short_unicode_escape_before_a_multibyte_character_is_an_error() {
    for name in [
        "short-unicode-escape-before-multibyte.ftl",
        "short-unicode-escape-after-escaped-backslashes.ftl",
    ] {
        let (file, diagnostics) = parse_file("es.ftl", &regression(name), &en());
        assert!(file.has_errors, "{name}");
        assert!(
            diagnostics.iter().any(|d| d.message.contains("hex digits")),
            "{name}: {diagnostics:?}"
        );
    }

    let text = "bad = { \"\\u0ó\" }\nplain = C:\\uñas\nworse = { \"\\U1ñ\" } fin\n";
    let (file, diagnostics) = parse_file("es.ftl", text, &en());
    assert!(file.has_errors && file.messages.is_empty());
    let found: Vec<_> = diagnostics.iter().map(|d| (d.line, d.col)).collect();
    assert_eq!(found, [(1, 13), (2, 13), (3, 15)]);
    assert!(diagnostics[0].message.starts_with("`\\u0ó`: "), "{}", diagnostics[0].message);
    assert!(diagnostics.iter().all(|d| d.help.as_deref().is_some_and(|h| h.contains("\\u00F3"))));
}

fn es() -> Locale {
    "es-ES".parse().unwrap()
}

fn article(sentences: &[&str]) -> Segmented {
    Segmented {
        lang: en(),
        blocks: vec![SegmentedBlock {
            kind: BlockKind::Paragraph,
            segments: sentences.iter().map(|s| Segment::new(s.to_string())).collect(),
        }],
    }
}

/// Merges `target` with the article, as `diglot extract` does; the file
/// must have no errors.
fn merge(seg: &Segmented, target: &str) -> String {
    let (file, diagnostics) = parse_file("es.ftl", target, &en());
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty() && !file.has_errors, "{errors:?}\n{target}");
    let article = Article { slug: "a", source_path: "a.txt", segmented: seg };
    merge_target(&article, &es(), &file, None, &Translations::default()).text
}

/// The merged file has no errors, keeps the translation, and merging it
/// again changes nothing.
fn check_merge_settles(seg: &Segmented, target: &str, translation: &str) {
    let once = merge(seg, target);
    let (file, diagnostics) = parse_file("es.ftl", &once, &en());
    assert!(diagnostics.is_empty() && !file.has_errors, "{diagnostics:?}\n{once}");
    assert!(
        file.messages.iter().any(|m| m.text.as_deref() == Some(translation)),
        "{translation:?} is lost:\n{once}"
    );
    assert_eq!(merge(seg, &once), once, "a second merge changes the file");
}

/// A value whose first line starts with a character Fluent reads as the
/// start of a variant or an attribute on an indented line (`[`, `*`, `.`)
/// is valid as `id = [x`, but written back as a multi-line value it must
/// escape that character (fuzz/regressions/fluent_merge/crash-cb352f…).
#[test]
fn a_value_starting_with_a_special_character_is_written_back_valid() {
    let seg = article(&["The river."]);
    let id = SegmentId::for_text("The river.");
    for first in ["[x", "*x", ".x", "[!["] {
        let target = format!("{id} = {first}\n    y\n");
        check_merge_settles(&seg, &target, &format!("{first}\ny"));
        // Also in the obsolete section, where a gone sentence's
        // translation goes.
        let gone = format!("gone-sentence-abcdef = {first}\n    y\n");
        check_merge_settles(&seg, &gone, &format!("{first}\ny"));
    }
}

/// Every text diglot may hold in a message, written with
/// `pattern_from_text`, reads back as itself.
#[test]
fn pattern_from_text_round_trips_every_short_text() {
    const ALPHABET: [char; 12] = ['[', '*', '.', ' ', '\n', '{', '}', 'a', '"', '\\', '#', '-'];
    let mut texts = vec![String::new()];
    let mut checked = 0;
    for _ in 0..4 {
        let mut longer = Vec::new();
        for text in &texts {
            for c in ALPHABET {
                let mut t = text.clone();
                t.push(c);
                longer.push(t);
            }
        }
        for text in &longer {
            // Fluent trims white space at both ends of a value, and a blank
            // line inside one is a line break no translation has.
            if text.trim() != text.as_str() || text.contains("\n\n") || text.contains(" \n") {
                continue;
            }
            let message = fluent_syntax::ast::Message {
                id: fluent_syntax::ast::Identifier { name: "m".to_string() },
                value: Some(pattern_from_text(text)),
                attributes: Vec::new(),
                comment: None,
            };
            let resource = fluent_syntax::ast::Resource {
                body: vec![fluent_syntax::ast::Entry::Message(message)],
            };
            let written = fluent_syntax::serializer::serialize(&resource);
            let (file, diagnostics) = parse_file("es.ftl", &written, &en());
            assert!(diagnostics.is_empty(), "{text:?} written as {written:?}: {diagnostics:?}");
            assert_eq!(file.messages[0].text.as_deref(), Some(text.as_str()), "{written:?}");
            checked += 1;
        }
        texts = longer;
    }
    assert!(checked > 10_000, "{checked}");
}

/// A file that ends in a lone carriage return, or in a lone `#`, settles
/// in one merge (fuzz/regressions/fluent_merge/stray-carriage-return.ftl).
#[test]
fn a_stray_carriage_return_or_hash_at_the_end_settles_in_one_merge() {
    let seg = article(&["The river river."]);
    let target = regression("stray-carriage-return.ftl");
    assert!(target.contains(SegmentId::for_text("The river river.").as_str()));
    check_merge_settles(&seg, &target, "Texto");
    let id = SegmentId::for_text("The river river.");
    for end in ["#", "\n#", "#\r", "\r", "\r\r", "\n\r", " #"] {
        let target = format!("{id} = Texto\n{end}");
        let once = merge(&seg, &target);
        assert_eq!(merge(&seg, &once), once, "{end:?}: a second merge changes the file");
    }
}

/// A lone carriage return ends a line, as editors show it: a diagnostic
/// after one points at the line an editor shows, inside the file
/// (fuzz/regressions/fluent_parse/lone-carriage-return-lines.ftl).
#[test]
fn diagnostics_after_a_lone_carriage_return_lie_inside_the_file() {
    let text = regression("lone-carriage-return-lines.ftl");
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count();
    let (_, diagnostics) = parse_file("es.ftl", &text, &en());
    assert!(!diagnostics.is_empty());
    for d in &diagnostics {
        assert!(d.line >= 1 && d.line <= lines, "line {} of {lines}: {d}", d.line);
        let shown = text.replace("\r\n", "\n").replace('\r', "\n");
        let line = shown.lines().nth(d.line - 1).unwrap_or_default();
        assert_eq!(d.source_line.as_deref(), Some(line), "{d}");
    }
}
