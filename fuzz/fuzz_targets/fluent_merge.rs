//! `diglot_fluent::merge_target` never loses a translation.
//!
//! The input is structured (`arbitrary`): an article made of sentences over
//! a small vocabulary, so that edits leave sentences similar enough to be
//! paired as stale; translations of some of its sentences; edits to the
//! article (change a word, insert, delete, move a sentence); and free text a
//! translator appended to the locale file. As in `diglot extract`:
//!
//! 1. diglot writes the target file for the old article, with the drafts,
//!    and the translator accepts some of them and appends the free text;
//! 2. the article is edited, and the target file is merged with it.
//!
//! When the edited target file has no errors (diglot writes nothing
//! otherwise), every message it translates is in the merged file, as kept,
//! stale or obsolete text; the merged file parses without errors; and
//! merging it again changes nothing.
#![no_main]

use arbitrary::Arbitrary;
use diglot_core::{
    BlockKind, Locale, Segment, Segmented, SegmentedBlock, Severity, Translation, TranslationState,
    Translations,
};
use diglot_fluent::{Article, LocaleFile, merge_target, parse_file, write_reference};
use libfuzzer_sys::fuzz_target;

const WORDS: [&str; 12] = [
    "cat", "dog", "red", "house", "river", "old", "new", "city", "night", "day", "*bright*", "`x`",
];

#[derive(Debug, Arbitrary)]
enum Sentence {
    Words(Vec<u8>),
    Text(String),
}

impl Sentence {
    fn text(&self) -> Option<String> {
        match self {
            Sentence::Words(w) => {
                let words: Vec<&str> =
                    w.iter().take(12).map(|&i| WORDS[i as usize % WORDS.len()]).collect();
                Some(format!("The {}.", words.join(" ")))
            }
            // Segment texts are one line of normalized Markdown inline text.
            Sentence::Text(t) => {
                let t = diglot_core::normalize_text(t);
                (!t.is_empty() && !t.chars().any(char::is_control)).then_some(t)
            }
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Edit {
    ChangeWord { sentence: u8, word: u8, to: u8 },
    Insert { at: u8, sentence: Sentence },
    Delete { sentence: u8 },
    Move { from: u8, to: u8 },
}

#[derive(Debug, Arbitrary)]
struct Input {
    sentences: Vec<Sentence>,
    /// Sentences (by index) and their translations.
    translations: Vec<(u8, String)>,
    /// Whether the translator accepted the drafts (deleted `# unreviewed:`).
    accept: bool,
    edits: Vec<Edit>,
    appended: String,
}

fn article(sentences: &[String]) -> Segmented {
    let mut blocks = vec![SegmentedBlock {
        kind: BlockKind::Title,
        segments: vec![Segment::new("Title".to_string())],
    }];
    for chunk in sentences.chunks(3) {
        blocks.push(SegmentedBlock {
            kind: BlockKind::Paragraph,
            segments: chunk.iter().cloned().map(Segment::new).collect(),
        });
    }
    Segmented { lang: "en-US".parse().unwrap(), blocks }
}

fn article_ref(segmented: &Segmented) -> Article<'_> {
    Article { slug: "fuzz", source_path: "articles/fuzz.txt", segmented }
}

fn parse(text: &str) -> (LocaleFile, bool) {
    let en: Locale = "en-US".parse().unwrap();
    let (file, diagnostics) = parse_file("fuzz.ftl", text, &en);
    let clean = !file.has_errors && diagnostics.iter().all(|d| d.severity != Severity::Error);
    (file, clean)
}

fn edit(sentences: &mut Vec<String>, e: &Edit) {
    let n = sentences.len();
    match e {
        Edit::ChangeWord { sentence, word, to } if n > 0 => {
            let s = &mut sentences[*sentence as usize % n];
            let mut words: Vec<String> = s.split(' ').map(String::from).collect();
            let i = *word as usize % words.len();
            words[i] = WORDS[*to as usize % WORDS.len()].to_string();
            *s = words.join(" ");
        }
        Edit::Insert { at, sentence } => {
            if let Some(t) = sentence.text() {
                sentences.insert(*at as usize % (n + 1), t);
            }
        }
        Edit::Delete { sentence } if n > 0 => {
            sentences.remove(*sentence as usize % n);
        }
        Edit::Move { from, to } if n > 0 => {
            let s = sentences.remove(*from as usize % n);
            sentences.insert(*to as usize % n, s);
        }
        _ => {}
    }
}

fuzz_target!(|input: Input| {
    let es: Locale = "es-ES".parse().unwrap();
    let mut sentences: Vec<String> = input.sentences.iter().filter_map(Sentence::text).collect();
    sentences.truncate(64);
    let old = article(&sentences);

    // The target file diglot writes for the old article, with drafts.
    let mut drafts = Translations::default();
    let segments: Vec<&Segment> = old.segments().collect();
    for (i, text) in &input.translations {
        let segment = segments[*i as usize % segments.len()];
        let text = diglot_core::normalize_text(text);
        if text.is_empty() || text.chars().any(char::is_control) {
            continue;
        }
        let state = TranslationState::Unreviewed { origin: "fuzz".into(), checks: Vec::new() };
        drafts.entries.insert(segment.id.clone(), Translation { text, state });
    }
    let old_reference_text = write_reference(&article_ref(&old), None);
    let (old_reference, _) = parse(&old_reference_text);
    let written = merge_target(&article_ref(&old), &es, &LocaleFile::default(), None, &drafts).text;

    // The translator's edits.
    let mut target_text: String = if input.accept {
        written
            .lines()
            .filter(|l| !l.starts_with("# unreviewed:"))
            .map(|l| l.to_string() + "\n")
            .collect()
    } else {
        written
    };
    target_text.push_str(&input.appended);
    let (target, clean) = parse(&target_text);

    // The author's edits, then the merge.
    for e in input.edits.iter().take(32) {
        edit(&mut sentences, e);
    }
    let new = article(&sentences);
    let merged = merge_target(
        &article_ref(&new),
        &es,
        &target,
        Some(&old_reference),
        &Translations::default(),
    );
    if !clean {
        return;
    }

    let (merged_file, merged_clean) = parse(&merged.text);
    assert!(merged_clean, "the merged file has errors:\n{}", merged.text);
    for msg in &target.messages {
        let Some(text) = &msg.text else { continue };
        assert!(
            merged_file.messages.iter().any(|m| m.text.as_deref() == Some(text.as_str())),
            "the translation of `{}` is lost: {text:?}\n--- target\n{target_text}\n--- merged\n{}",
            msg.id,
            merged.text
        );
    }

    let new_reference_text = write_reference(&article_ref(&new), Some(&old_reference));
    let (new_reference, _) = parse(&new_reference_text);
    let again = merge_target(
        &article_ref(&new),
        &es,
        &merged_file,
        Some(&new_reference),
        &Translations::default(),
    );
    assert_eq!(again.text, merged.text, "merging a merged file again changes it");
});
