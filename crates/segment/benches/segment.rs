//! Sentence segmentation throughput: `cargo bench -p diglot-segment`.
//! Reports bytes per second on the example article repeated to book length.

use diglot_segment::{Rules, split};
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const ARTICLE: &str = include_str!("../../../articles/andry-hernandez-romero.txt");

#[divan::bench(args = [1, 10, 100])]
fn english(bencher: divan::Bencher, copies: usize) {
    let text = ARTICLE.repeat(copies);
    let rules = Rules::for_language("en");
    bencher.counter(BytesCount::of_str(&text)).bench(|| split(divan::black_box(&text), &rules));
}
