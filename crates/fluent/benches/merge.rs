//! Locale file throughput: `cargo bench -p diglot-fluent`. Reports messages
//! per second for writing a reference file and merging a translated target
//! file, on articles of 100 to 10,000 sentences.

use diglot_core::{BlockKind, Locale, Segment, Segmented, SegmentedBlock, Translations};
use diglot_fluent::{Article, merge_target, parse_file, write_reference};
use divan::counter::ItemsCount;

fn main() {
    divan::main();
}

fn article(sentences: usize) -> Segmented {
    let blocks = (0..sentences.div_ceil(5))
        .map(|b| SegmentedBlock {
            kind: BlockKind::Paragraph,
            segments: (0..5)
                .map(|s| {
                    Segment::new(format!(
                        "Sentence {s} of paragraph {b} says something about the city."
                    ))
                })
                .collect(),
        })
        .collect();
    Segmented { lang: "en-US".parse().unwrap(), blocks }
}

fn target(seg: &Segmented) -> String {
    seg.segments().map(|s| format!("{} = Traducción de {}\n", s.id, s.text)).collect()
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn reference(bencher: divan::Bencher, sentences: usize) {
    let seg = article(sentences);
    let a = Article { slug: "bench", source_path: "bench.txt", segmented: &seg };
    bencher.counter(ItemsCount::new(sentences)).bench(|| write_reference(&a, None));
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn parse_and_merge(bencher: divan::Bencher, sentences: usize) {
    let seg = article(sentences);
    let en: Locale = "en-US".parse().unwrap();
    let es: Locale = "es-ES".parse().unwrap();
    let text = target(&seg);
    let a = Article { slug: "bench", source_path: "bench.txt", segmented: &seg };
    bencher.counter(ItemsCount::new(sentences)).bench(|| {
        let (file, _) = parse_file("es.ftl", &text, &en);
        merge_target(&a, &es, &file, None, &Translations::default())
    });
}

/// Every sentence edited since it was translated: each translation must be
/// paired with its edited sentence and flagged stale. The worst case: the
/// sentences differ in a number only, so every pair shares most words.
#[divan::bench(args = [100, 1_000], sample_count = 20)]
fn merge_after_rewriting_every_sentence(bencher: divan::Bencher, sentences: usize) {
    let old = article(sentences);
    let text = target(&old);
    let mut new = old.clone();
    for block in &mut new.blocks {
        for seg in &mut block.segments {
            *seg = Segment::new(seg.text.replace("city", "whole city"));
        }
    }
    let en: Locale = "en-US".parse().unwrap();
    let es: Locale = "es-ES".parse().unwrap();
    let (file, _) = parse_file("es.ftl", &text, &en);
    let old_article = Article { slug: "bench", source_path: "bench.txt", segmented: &old };
    let (old_ref, _) = parse_file("en.ftl", &write_reference(&old_article, None), &en);
    let old_ref = Some(&old_ref);
    let a = Article { slug: "bench", source_path: "bench.txt", segmented: &new };
    let check = merge_target(&a, &es, &file, old_ref, &Translations::default());
    assert_eq!(check.report.stale.len(), old.segments().count());
    bencher
        .counter(ItemsCount::new(sentences))
        .bench(|| merge_target(&a, &es, &file, old_ref, &Translations::default()));
}
