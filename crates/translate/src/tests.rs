use diglot_core::{BlockKind, Segment, SegmentedBlock, Translation};

use super::*;

fn segmented(sentences: &[&str]) -> Segmented {
    Segmented {
        lang: "en-US".parse().unwrap(),
        blocks: vec![SegmentedBlock {
            kind: BlockKind::Paragraph,
            segments: sentences.iter().map(|s| Segment::new(s.to_string())).collect(),
        }],
    }
}

fn check(state: Option<TranslationState>, expected_text: &str, expected: SegmentStatus) {
    let seg = segmented(&["Hello."]);
    let mut translations = Translations::default();
    if let Some(state) = state {
        translations.entries.insert(
            seg.blocks[0].segments[0].id.clone(),
            Translation { text: "Hola.".into(), state },
        );
    }
    let edition = localize("a", &seg, &"es-ES".parse().unwrap(), &translations);
    let out = &edition.blocks[0].segments[0];
    assert_eq!((out.text.as_str(), out.status), (expected_text, expected));
    assert_eq!(out.source, "Hello.");
}

#[test]
fn each_state_publishes_the_right_text() {
    check(Some(TranslationState::Reviewed), "Hola.", SegmentStatus::Translated);
    check(
        Some(TranslationState::Unreviewed { origin: "pseudo".into(), checks: vec![] }),
        "Hola.",
        SegmentStatus::Unreviewed,
    );
    check(
        Some(TranslationState::Stale { previous_source: "Hi.".into() }),
        "Hello.",
        SegmentStatus::Stale,
    );
    check(None, "Hello.", SegmentStatus::Missing);
}

#[test]
fn source_edition_is_the_source() {
    let seg = segmented(&["Hello.", "Bye."]);
    let edition = localize("a", &seg, &"en-US".parse().unwrap(), &Translations::default());
    assert!(edition.is_source());
    assert!(edition.segments().all(|s| s.status == SegmentStatus::Source && s.text == s.source));
    assert_eq!(edition.coverage().percent(), 100.0);
}

#[test]
fn coverage_counts_distinct_segments() {
    let seg = segmented(&["Same.", "Same.", "Other words here."]);
    let edition = localize("a", &seg, &"es-ES".parse().unwrap(), &Translations::default());
    let c = edition.coverage();
    assert_eq!((c.total, c.missing, c.words_total), (2, 2, 4));
    assert_eq!(c.percent(), 0.0);
}
