//! News text in English and Spanish (tests/data/news_en.txt, news_es.txt):
//! each paragraph is segmented and compared with its expected sentences.
//! Prints the pass counts and every failing paragraph; fails if any paragraph
//! is segmented otherwise than expected.
//!
//! Paragraphs joined by spaces also go through `segment`, as an ingested
//! document's paragraph would, and must give the same sentences.

use diglot_core::{Block, BlockKind, Document};
use diglot_segment::{Rules, segment, split};

/// One paragraph of the corpus: the text given to the segmenter and the
/// sentences it should give back.
struct Paragraph {
    line: usize,
    text: String,
    sentences: Vec<String>,
    one_per_line: bool,
}

/// Reads the format described in the header of tests/data/news_en.txt.
fn parse(data: &str) -> Vec<Paragraph> {
    let mut lines = data.lines().enumerate().peekable();
    let mut header = 0;
    while lines.next_if(|(_, l)| l.starts_with('#')).is_some() {
        header += 1;
    }
    assert!(header > 0, "the corpus starts with a header naming its source and licence");
    let mut paragraphs = Vec::new();
    let mut current: Option<Paragraph> = None;
    for (n, line) in lines {
        if line.trim().is_empty() {
            paragraphs.extend(current.take());
            continue;
        }
        assert_eq!(line, line.trim(), "line {}: white space around a sentence", n + 1);
        let p = current.get_or_insert_with(|| Paragraph {
            line: n + 1,
            text: String::new(),
            sentences: Vec::new(),
            one_per_line: false,
        });
        if line == "@lines" && p.sentences.is_empty() {
            p.one_per_line = true;
        } else {
            p.sentences.push(line.to_string());
        }
    }
    paragraphs.extend(current);
    for p in &mut paragraphs {
        assert!(!p.sentences.is_empty(), "line {}: a paragraph without sentences", p.line);
        p.text = p.sentences.join(if p.one_per_line { "\n" } else { " " });
    }
    paragraphs
}

fn run(lang: &str, data: &str) {
    let paragraphs = parse(data);
    let rules = Rules::for_language(lang);
    let sentences: usize = paragraphs.iter().map(|p| p.sentences.len()).sum();
    let mut failed = Vec::new();
    let mut sentences_found = 0;
    for p in &paragraphs {
        let got = split(&p.text, &rules);
        sentences_found += got.iter().filter(|s| p.sentences.contains(s)).count();
        if got != p.sentences {
            failed
                .push(format!("  line {}\n    want: {:?}\n    got:  {got:?}", p.line, p.sentences));
            continue;
        }
        if !p.one_per_line {
            let doc = Document {
                lang: None,
                blocks: vec![Block::text(BlockKind::Paragraph, p.text.as_str())],
            };
            let segmented = segment(&doc, &rules);
            let got: Vec<&str> = segmented.segments().map(|s| s.text.as_str()).collect();
            if got != p.sentences {
                failed.push(format!(
                    "  line {} (segment)\n    want: {:?}\n    got:  {got:?}",
                    p.line, p.sentences
                ));
            }
        }
    }
    println!(
        "{lang}: {}/{} paragraphs passed, {sentences_found}/{sentences} sentences found",
        paragraphs.len() - failed.len(),
        paragraphs.len()
    );
    for f in &failed {
        println!("{f}");
    }
    assert!(sentences >= 150, "{lang}: the corpus has only {sentences} sentences");
    assert!(failed.is_empty(), "{lang}: {} paragraphs segmented wrongly", failed.len());
}

#[test]
fn news_english() {
    run("en", include_str!("data/news_en.txt"));
}

#[test]
fn news_spanish() {
    run("es", include_str!("data/news_es.txt"));
}
