//! Translation memory lookups per second on memories of 10k, 100k and 1M
//! synthetic entries.
//!
//! Sentences are 8 to 30 words from a vocabulary of 4,096 made-up words,
//! drawn with a Zipf-like (log-uniform) frequency, as words in real text
//! are, from a fixed seed. Fuzzy queries are stored sentences with one word
//! changed (a hit) and, one in four, fresh sentences (most likely a miss).
//! Each memory is built once, on disk, in one transaction per 50,000 entries;
//! its fuzzy index is built before timing starts.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use diglot_translate::Pair;
use diglot_translate::memory::Memory;
use divan::Bencher;
use divan::counter::ItemsCount;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
const QUERIES: usize = 200;
const THRESHOLD: f64 = 0.75;
const CHUNK: usize = 50_000;

fn pair() -> Pair {
    Pair::new("en-US".parse().unwrap(), "es-ES".parse().unwrap())
}

struct Text {
    vocabulary: Vec<String>,
    rng: fastrand::Rng,
}

impl Text {
    fn new(seed: u64) -> Text {
        const SYLLABLES: [&str; 16] = [
            "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "pe", "di", "ba", "fo", "gi",
            "ha", "ju",
        ];
        let vocabulary = (0..4096)
            .map(|i| [i >> 8, (i >> 4) & 15, i & 15].iter().map(|&s| SYLLABLES[s]).collect())
            .collect();
        Text { vocabulary, rng: fastrand::Rng::with_seed(seed) }
    }

    fn word(&mut self) -> &str {
        // Log-uniform rank: word r is about 1/r as frequent as the first.
        let v = self.vocabulary.len() as f64;
        let rank = (v.powf(self.rng.f64()) as usize - 1).min(self.vocabulary.len() - 1);
        &self.vocabulary[rank]
    }

    fn sentence(&mut self) -> Vec<String> {
        let len = self.rng.usize(8..=30);
        (0..len).map(|_| self.word().to_string()).collect()
    }
}

fn render(words: &[String]) -> String {
    let mut out = words.join(" ");
    out.push('.');
    out
}

struct Queries {
    path: PathBuf,
    exact: Vec<String>,
    fuzzy: Vec<String>,
}

struct Fixture {
    dir: tempfile::TempDir,
    built: HashMap<usize, Queries>,
    open: Option<(usize, Memory)>,
}

thread_local! {
    static FIXTURE: RefCell<Fixture> = RefCell::new(Fixture {
        dir: tempfile::tempdir().unwrap(),
        built: HashMap::new(),
        open: None,
    });
}

/// Builds the memory of `size` entries (once) and the queries for it.
fn build(dir: &std::path::Path, size: usize) -> Queries {
    let path = dir.join(format!("memory-{size}.sqlite"));
    let mut mem = Memory::open(&path).unwrap();
    let mut text = Text::new(42);
    let every = size / QUERIES;
    let mut picked = Vec::new();
    let mut chunk = Vec::with_capacity(CHUNK);
    for i in 0..size {
        let words = text.sentence();
        if i % every == every / 2 && picked.len() < QUERIES {
            picked.push(words.clone());
        }
        let mut target = words.clone();
        target.reverse();
        chunk.push((render(&words), render(&target)));
        if chunk.len() == CHUNK || i + 1 == size {
            mem.add_many(&pair(), &chunk, "bench").unwrap();
            chunk.clear();
        }
    }
    let exact = picked.iter().map(|w| render(w)).collect();
    let mut fresh = Text::new(7);
    let fuzzy = picked
        .iter()
        .enumerate()
        .map(|(i, words)| {
            if i % 4 == 3 {
                return render(&fresh.sentence());
            }
            let mut words = words.clone();
            let at = fresh.rng.usize(..words.len());
            words[at] = fresh.word().to_string();
            render(&words)
        })
        .collect();
    Queries { path, exact, fuzzy }
}

/// Runs `f` with the memory of `size` entries open and its queries.
fn with_memory<R>(size: usize, f: impl FnOnce(&Memory, &Queries) -> R) -> R {
    FIXTURE.with_borrow_mut(|fx| {
        if !fx.built.contains_key(&size) {
            let start = std::time::Instant::now();
            let queries = build(fx.dir.path(), size);
            eprintln!("built {size} entries in {:.1?}", start.elapsed());
            fx.built.insert(size, queries);
        }
        let queries = &fx.built[&size];
        if fx.open.as_ref().map(|(n, _)| *n) != Some(size) {
            // One memory (and its index) in RAM at a time.
            fx.open = None;
            fx.open = Some((size, Memory::open(&queries.path).unwrap()));
        }
        f(&fx.open.as_ref().unwrap().1, queries)
    })
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn exact(bencher: Bencher, size: usize) {
    with_memory(size, |mem, queries| {
        assert!(mem.exact(&pair(), &queries.exact[0]).unwrap().is_some());
        bencher.counter(ItemsCount::new(queries.exact.len())).bench_local(|| {
            for q in &queries.exact {
                divan::black_box(mem.exact(&pair(), q).unwrap());
            }
        });
    });
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn fuzzy(bencher: Bencher, size: usize) {
    with_memory(size, |mem, queries| {
        // Builds the index, outside the timing.
        let start = std::time::Instant::now();
        let hits = queries
            .fuzzy
            .iter()
            .filter(|q| mem.fuzzy(&pair(), q, THRESHOLD).unwrap().is_some())
            .count();
        eprintln!(
            "{size}: {hits}/{} fuzzy hits; first pass {:.1?}",
            queries.fuzzy.len(),
            start.elapsed()
        );
        bencher.counter(ItemsCount::new(queries.fuzzy.len())).bench_local(|| {
            for q in &queries.fuzzy {
                divan::black_box(mem.fuzzy(&pair(), q, THRESHOLD).unwrap());
            }
        });
    });
}
