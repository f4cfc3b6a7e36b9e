//! Sentence segmentation throughput: `cargo bench -p diglot-segment`.
//! Reports bytes per second on the example article (English) and on the
//! Spanish news corpus of the tests, repeated to book length.

use diglot_segment::{Rules, split};
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const ARTICLE: &str = include_str!("../../../articles/andry-hernandez-romero.txt");
const NEWS_ES: &str = include_str!("../tests/data/news_es.txt");

#[divan::bench(args = [1, 10, 100])]
fn english(bencher: divan::Bencher, copies: usize) {
    let text = ARTICLE.repeat(copies);
    let rules = Rules::for_language("en");
    bencher.counter(BytesCount::of_str(&text)).bench(|| split(divan::black_box(&text), &rules));
}

#[divan::bench(args = [1, 10, 100])]
fn spanish(bencher: divan::Bencher, copies: usize) {
    let text = paragraphs(NEWS_ES).repeat(copies);
    let rules = Rules::for_language("es");
    bencher.counter(BytesCount::of_str(&text)).bench(|| split(divan::black_box(&text), &rules));
}

/// The corpus as running text: the header dropped, each record's sentences
/// joined into one paragraph, paragraphs separated by blank lines.
fn paragraphs(corpus: &str) -> String {
    let body = corpus.lines().skip_while(|l| l.starts_with('#')).collect::<Vec<_>>().join("\n");
    let mut text = String::new();
    for record in body.split("\n\n") {
        let lines: Vec<&str> = record.lines().filter(|l| !l.is_empty() && *l != "@lines").collect();
        if !lines.is_empty() {
            text.push_str(&lines.join(" "));
            text.push_str("\n\n");
        }
    }
    text
}
