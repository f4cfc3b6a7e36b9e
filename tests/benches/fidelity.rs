//! Markdown extraction and re-publication throughput:
//! `cargo bench -p diglot-cli --bench fidelity`. Reports bytes per second
//! on the fidelity fixture article repeated to about 1 MB: reading it into
//! a document and its skeleton (and segmenting it), and writing a
//! translated Markdown edition back from the skeleton.

use diglot_core::{Edition, SegmentStatus};
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const ARTICLE: &str = include_str!("../fixtures/fidelity/articles/constructs.md");

/// The article's body repeated to about 1 MB, with its front matter once.
fn megabyte() -> String {
    let body_start = ARTICLE[3..].find("\n---\n").map_or(0, |i| i + 8);
    let (front, body) = ARTICLE.split_at(body_start);
    let copies = (1 << 20) / body.len() + 1;
    format!("{front}{}", body.repeat(copies))
}

#[divan::bench]
fn extract(bencher: divan::Bencher) {
    let text = megabyte();
    let rules = diglot_segment::Rules::for_language("en");
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        let (doc, skeleton) = diglot_ingest::read_with_skeleton(
            divan::black_box(&text),
            diglot_ingest::Format::Markdown,
        )
        .expect("article");
        (diglot_segment::segment(&doc, &rules), skeleton)
    });
}

#[divan::bench]
fn republish(bencher: divan::Bencher) {
    let text = megabyte();
    let (doc, skeleton) =
        diglot_ingest::read_with_skeleton(&text, diglot_ingest::Format::Markdown).expect("article");
    let skeleton = skeleton.expect("Markdown has a skeleton");
    let mut segmented = diglot_segment::segment(&doc, &diglot_segment::Rules::for_language("en"));
    segmented.lang = "en-US".parse().expect("locale");
    let es = "es-ES".parse().expect("locale");
    let edition = Edition::of_segmented("bench", &segmented, &es, |s| {
        (format!("ES {}", s.text), SegmentStatus::Translated)
    });
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| diglot_render::render_markdown(divan::black_box(&edition), &skeleton));
}
