use std::time::Duration;

use super::store::SCHEMA_VERSION;
use super::*;

fn pair(source: &str, target: &str) -> Pair {
    Pair::new(source.parse().unwrap(), target.parse().unwrap())
}

fn en_es() -> Pair {
    pair("en-US", "es-ES")
}

/// A memory of en-US->es-ES entries, each with origin `test`.
fn memory(entries: &[(&str, &str)]) -> Memory {
    let mut mem = Memory::in_memory().unwrap();
    for (source, target) in entries {
        mem.add(&en_es(), source, target, "test").unwrap();
    }
    mem
}

/// The fuzzy match's (source, score) for `query` at `threshold`.
fn check_fuzzy(mem: &Memory, query: &str, threshold: f64) -> Option<(String, f64)> {
    mem.fuzzy(&en_es(), query, threshold).unwrap().map(|m| (m.source, m.score))
}

fn assert_score(found: Option<(String, f64)>, source: &str, score: f64) {
    let (found_source, found_score) = found.expect("a match");
    assert_eq!(found_source, source);
    assert!((found_score - score).abs() < 1e-12, "score {found_score}, expected {score}");
}

#[test]
fn exact_match_folds_white_space_and_keeps_case() {
    let mem = memory(&[("The  cat\tsat.", "El gato se sentó.")]);
    let found = mem.exact(&en_es(), "  The cat\n sat. ").unwrap().unwrap();
    assert_eq!(found.source, "The cat sat.");
    assert_eq!(found.target, "El gato se sentó.");
    assert_eq!(found.score, 1.0);
    assert_eq!(found.origin, "test");
    assert_eq!(mem.exact(&en_es(), "the cat sat.").unwrap(), None);
    assert_eq!(mem.exact(&en_es(), "The cat sat").unwrap(), None);
}

#[test]
fn tokens_are_lower_case_words_and_single_punctuation() {
    assert_eq!(tokens("Don't stop, ¿VALE?"), ["don", "'", "t", "stop", ",", "¿", "vale", "?"]);
    assert_eq!(tokens("  "), Vec::<String>::new());
}

#[test]
fn fuzzy_with_one_word_changed() {
    let mem = memory(&[("The cat sat on the mat.", "El gato se sentó en la alfombra.")]);
    // 7 tokens each (6 words and "."), one substitution: 1 - 1/7.
    assert_score(
        check_fuzzy(&mem, "The dog sat on the mat.", 0.8),
        "The cat sat on the mat.",
        1.0 - 1.0 / 7.0,
    );
    // A word more: 8 tokens against 7, one insertion: 1 - 1/8.
    assert_score(
        check_fuzzy(&mem, "The cat sat on the red mat.", 0.8),
        "The cat sat on the mat.",
        0.875,
    );
    let found = mem.fuzzy(&en_es(), "The dog sat on the mat.", 0.8).unwrap().unwrap();
    assert_eq!(found.target, "El gato se sentó en la alfombra.");
    assert_eq!(found.origin, "test");
}

#[test]
fn fuzzy_below_threshold_is_none() {
    let mem = memory(&[("The cat sat on the mat.", "El gato se sentó en la alfombra.")]);
    assert_eq!(check_fuzzy(&mem, "The dog sat on the mat.", 0.86), None);
    assert_eq!(check_fuzzy(&mem, "A dog lay under the mat.", 0.5), None);
    assert_eq!(check_fuzzy(&mem, "Nothing in common here", 0.1), None);
}

#[test]
fn fuzzy_score_is_exactly_the_threshold() {
    // 5 tokens, one changed: 0.8 exactly, which must count as reaching 0.8.
    let mem = memory(&[("one two three four five", "x")]);
    assert_score(check_fuzzy(&mem, "one two three four six", 0.8), "one two three four five", 0.8);
}

#[test]
fn fuzzy_case_only_difference_is_not_exact() {
    let mem = memory(&[("The cat sat on the mat.", "x")]);
    // Same tokens, different case: half an edit out of 7.
    assert_score(
        check_fuzzy(&mem, "the cat sat on the mat.", 0.9),
        "The cat sat on the mat.",
        1.0 - 0.5 / 7.0,
    );
    assert_score(
        check_fuzzy(&mem, "The cat  sat on the mat.", 0.9),
        "The cat sat on the mat.",
        1.0,
    );
}

#[test]
fn fuzzy_picks_the_best_of_several() {
    let mem = memory(&[
        ("one two three four five six seven", "deletion, 1/8"),
        ("one two nine four five ten seven eight", "two changes, 2/8"),
        ("one two three four five six seven nine", "substitution, 1/8"),
        ("one two three four five six", "two deletions, 2/8"),
    ]);
    let found = mem.fuzzy(&en_es(), "one two three four five six seven eight", 0.7).unwrap();
    // Two at 0.875; the substitution has no difference in length.
    assert_eq!(found.unwrap().target, "substitution, 1/8");
}

#[test]
fn fuzzy_ties_go_to_the_older_entry() {
    let mem = memory(&[
        ("alpha beta gamma delta zeta", "first"),
        ("alpha beta gamma delta theta", "second"),
    ]);
    let found = mem.fuzzy(&en_es(), "alpha beta gamma delta epsilon", 0.5).unwrap();
    assert_eq!(found.unwrap().target, "first");
}

#[test]
fn fuzzy_threshold_out_of_range_is_an_error() {
    let mem = memory(&[]);
    assert!(matches!(mem.fuzzy(&en_es(), "x", 1.5), Err(Error::Threshold(_))));
    assert!(matches!(mem.fuzzy(&en_es(), "x", f64::NAN), Err(Error::Threshold(_))));
}

#[test]
fn fuzzy_sees_entries_added_after_the_index_was_built() {
    let mut mem = memory(&[("one two three four", "1")]);
    assert_eq!(check_fuzzy(&mem, "red green blue yellow", 0.7), None);
    mem.add(&en_es(), "red green blue black", "2", "test").unwrap();
    assert_score(check_fuzzy(&mem, "red green blue yellow", 0.7), "red green blue black", 0.75);
}

#[test]
fn fuzzy_sees_entries_added_by_another_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let mut writer = Memory::open(&path).unwrap();
    writer.add(&en_es(), "one two three four", "1", "a").unwrap();
    let reader = Memory::open(&path).unwrap();
    assert_eq!(reader.fuzzy(&en_es(), "red green blue yellow", 0.7).unwrap(), None);
    writer.add(&en_es(), "red green blue black", "2", "b").unwrap();
    let found = reader.fuzzy(&en_es(), "red green blue yellow", 0.7).unwrap().unwrap();
    assert_eq!(found.target, "2");
}

/// The index must find what a scan of every entry finds, at any threshold.
#[test]
fn fuzzy_index_agrees_with_a_full_scan() {
    let words = ["a", "b", "c", "d", "e", "f", "g", "h", ".", ","];
    let mut rng = fastrand::Rng::with_seed(7);
    let sentence = |rng: &mut fastrand::Rng| {
        let len = rng.usize(1..9);
        (0..len).map(|_| words[rng.usize(..words.len())]).collect::<Vec<_>>().join(" ")
    };
    let mut mem = Memory::in_memory().unwrap();
    let mut sources = Vec::new();
    for _ in 0..300 {
        let s = sentence(&mut rng);
        if !sources.contains(&s) {
            mem.add(&en_es(), &s, "t", "test").unwrap();
            sources.push(s);
        }
    }
    let mut compared = 0;
    for _ in 0..200 {
        let query = sentence(&mut rng);
        for threshold in [0.0, 0.3, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0] {
            let expected = sources
                .iter()
                .map(|s| (s, similarity(&query, s)))
                .filter(|(_, score)| *score + 1e-9 >= threshold)
                .map(|(_, score)| score)
                .fold(None, |best: Option<f64>, s| Some(best.map_or(s, |b| b.max(s))));
            let found = mem.fuzzy(&en_es(), &query, threshold).unwrap().map(|m| m.score);
            match (expected, found) {
                (None, None) => {}
                (Some(e), Some(f)) => {
                    assert!((e - f).abs() < 1e-12, "{query:?} at {threshold}: {f}, scan {e}")
                }
                _ => panic!("{query:?} at {threshold}: index {found:?}, scan {expected:?}"),
            }
            compared += usize::from(found.is_some());
        }
    }
    assert!(compared > 500, "too few matches to mean anything: {compared}");
}

#[test]
fn pairs_are_isolated() {
    let mut mem = Memory::in_memory().unwrap();
    mem.add(&pair("en-US", "es-ES"), "The cat sat.", "El gato se sentó.", "test").unwrap();
    mem.add(&pair("es-ES", "en-US"), "El perro corre.", "The dog runs.", "test").unwrap();
    assert_eq!(mem.exact(&pair("es-ES", "en-US"), "The cat sat.").unwrap(), None);
    assert_eq!(mem.fuzzy(&pair("es-ES", "en-US"), "The cat sat!", 0.5).unwrap(), None);
    assert_eq!(mem.exact(&pair("en-US", "es-ES"), "El perro corre.").unwrap(), None);
    assert_eq!(mem.exact(&pair("en-US", "fr-FR"), "The cat sat.").unwrap(), None);
    assert_eq!(mem.len(&pair("en-US", "es-ES")).unwrap(), 1);
    assert_eq!(mem.len(&pair("es-ES", "en-US")).unwrap(), 1);
    assert_eq!(mem.len(&pair("en-US", "fr-FR")).unwrap(), 0);
}

#[test]
fn adding_the_same_source_keeps_the_newest_target() {
    let mut mem = memory(&[("The cat sat.", "El gato se sentaba.")]);
    mem.add(&en_es(), " The  cat sat. ", "El gato se sentó.", "locales/es-ES/x.ftl").unwrap();
    assert_eq!(mem.len(&en_es()).unwrap(), 1);
    let found = mem.exact(&en_es(), "The cat sat.").unwrap().unwrap();
    assert_eq!(found.target, "El gato se sentó.");
    assert_eq!(found.origin, "locales/es-ES/x.ftl");
}

#[test]
fn add_many_counts_what_it_stored() {
    let mut mem = Memory::in_memory().unwrap();
    let entries = vec![
        ("One.".to_string(), "Uno.".to_string()),
        ("Two.".to_string(), "Dos.".to_string()),
        ("  ".to_string(), "Nada.".to_string()),
        ("Three.".to_string(), "".to_string()),
        ("One.".to_string(), "Una.".to_string()),
    ];
    assert_eq!(mem.add_many(&en_es(), &entries, "test").unwrap(), 3);
    assert_eq!(mem.len(&en_es()).unwrap(), 2);
    assert_eq!(mem.exact(&en_es(), "One.").unwrap().unwrap().target, "Una.");
}

fn key() -> CacheKey {
    CacheKey {
        provider: "deepl".into(),
        fingerprint: "formality=less".into(),
        pair: en_es(),
        glossary_version: "g1".into(),
        text: "The <em>cat</em> sat.".into(),
    }
}

#[test]
fn cache_stores_and_finds() {
    let mem = Memory::in_memory().unwrap();
    assert_eq!(mem.cached(&key()).unwrap(), None);
    mem.store(&key(), "El <em>gato</em> se sentó.").unwrap();
    assert_eq!(mem.cached(&key()).unwrap().as_deref(), Some("El <em>gato</em> se sentó."));
    mem.store(&key(), "El <em>gato</em> se sentaba.").unwrap();
    assert_eq!(mem.cached(&key()).unwrap().as_deref(), Some("El <em>gato</em> se sentaba."));
}

#[test]
fn every_part_of_the_cache_key_counts() {
    let mem = Memory::in_memory().unwrap();
    mem.store(&key(), "cached").unwrap();
    let variants: [fn(&mut CacheKey); 5] = [
        |k| k.provider = "google".into(),
        |k| k.fingerprint = "formality=more".into(),
        |k| k.pair = pair("en-US", "es-MX"),
        |k| k.glossary_version = "g2".into(),
        |k| k.text = "The <em>cat</em> sat!".into(),
    ];
    for change in variants {
        let mut other = key();
        change(&mut other);
        assert_eq!(mem.cached(&other).unwrap(), None, "{other:?}");
    }
    assert_eq!(mem.cached(&key()).unwrap().as_deref(), Some("cached"));
}

#[test]
fn entries_and_cache_persist_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    {
        let mut mem = Memory::open(&path).unwrap();
        mem.add(&en_es(), "The cat sat on the mat.", "El gato se sentó en la alfombra.", "a")
            .unwrap();
        mem.store(&key(), "cached").unwrap();
    }
    let mem = Memory::open(&path).unwrap();
    assert_eq!(mem.len(&en_es()).unwrap(), 1);
    assert_eq!(mem.exact(&en_es(), "The cat sat on the mat.").unwrap().unwrap().origin, "a");
    assert!(mem.fuzzy(&en_es(), "The dog sat on the mat.", 0.8).unwrap().is_some());
    assert_eq!(mem.cached(&key()).unwrap().as_deref(), Some("cached"));
}

#[test]
fn a_newer_schema_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    drop(Memory::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    drop(conn);
    let err = Memory::open(&path).unwrap_err();
    assert!(
        matches!(err, Error::NewerSchema { found, supported: SCHEMA_VERSION, .. } if found == SCHEMA_VERSION + 1),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("memory.sqlite") && message.contains("newer"), "{message}");
}

const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" datatype="plaintext" segtype="sentence"
          adminlang="en" srclang="en-US" o-tmf="test"/>
  <body>
    <tu tuid="1">
      <prop type="x-note">ignored</prop>
      <tuv xml:lang="en-us"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> now &amp; <hi type="x">then</hi> <ph x="1">{0}</ph>wait.</seg></tuv>
      <tuv xml:lang="ES-ES"><seg>Pulse <bpt i="1">&lt;b&gt;</bpt>Guardar<ept i="1">&lt;/b&gt;</ept> ahora y <hi>luego</hi> espere.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Appuyez <it pos="begin">&lt;i&gt;</it>maintenant.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-US"><seg><![CDATA[Fish & chips]]></seg></tuv>
      <tuv xml:lang="es-ES"><seg>Pescado con patatas &#x2014; fritas</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>  </seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-US"><seg>Alone.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="es-ES"><seg>Sin fuente.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Sans source.</seg></tuv>
    </tu>
    <tu srclang="es-ES">
      <tuv xml:lang="es-ES"><seg>Hola.</seg></tuv>
      <tuv xml:lang="en-US"><seg>Hello.</seg></tuv>
    </tu>
  </body>
</tmx>
"#;

#[test]
fn tmx_import_reads_inline_elements_and_every_language() {
    let mut mem = Memory::in_memory().unwrap();
    let report = mem.import_tmx(TMX, "tmx:test.tmx").unwrap();
    let counts = |imported, skipped| PairCounts { imported, skipped };
    assert_eq!(
        report.pairs,
        BTreeMap::from([
            ("en-US->es-ES".to_string(), counts(2, 0)),
            ("en-US->fr-FR".to_string(), counts(1, 1)),
            ("es-ES->en-US".to_string(), counts(1, 0)),
        ])
    );
    assert_eq!(report.unpaired, 2);

    let found = mem.exact(&en_es(), "Press Save now & then wait.").unwrap().unwrap();
    assert_eq!(found.target, "Pulse Guardar ahora y luego espere.");
    assert_eq!(found.origin, "tmx:test.tmx");
    let found = mem.exact(&en_es(), "Fish & chips").unwrap().unwrap();
    assert_eq!(found.target, "Pescado con patatas \u{2014} fritas");
    let found = mem.exact(&pair("en-US", "fr-FR"), "Press Save now & then wait.").unwrap();
    assert_eq!(found.unwrap().target, "Appuyez maintenant.");
    assert_eq!(mem.exact(&pair("es-ES", "en-US"), "Hola.").unwrap().unwrap().target, "Hello.");
    assert_eq!(mem.len(&pair("es-ES", "fr-FR")).unwrap(), 0);
}

#[test]
fn tmx_import_with_all_languages_as_source() {
    let xml = r#"<tmx version="1.4"><header srclang="*all*"/><body>
        <tu><tuv xml:lang="en-US"><seg>Yes.</seg></tuv><tuv xml:lang="es-ES"><seg>Sí.</seg></tuv></tu>
    </body></tmx>"#;
    let mut mem = Memory::in_memory().unwrap();
    let report = mem.import_tmx(xml, "tmx:all.tmx").unwrap();
    assert_eq!(report.pairs.len(), 2);
    assert_eq!(mem.exact(&en_es(), "Yes.").unwrap().unwrap().target, "Sí.");
    assert_eq!(mem.exact(&pair("es-ES", "en-US"), "Sí.").unwrap().unwrap().target, "Yes.");
}

#[test]
fn tmx_export_then_import_gives_the_same_entries() {
    let mut mem = memory(&[
        ("Zebras & <lions> say \"hi\".", "Las cebras y <leones> dicen 'hola'."),
        ("Apples.", "Manzanas."),
        ("Ünïcode — “quotes”.", "Ünïcode — «comillas»."),
    ]);
    mem.add(&pair("en-US", "fr-FR"), "Other pair.", "Autre paire.", "test").unwrap();
    let exported = mem.export_tmx(&en_es()).unwrap();
    assert_eq!(exported, mem.export_tmx(&en_es()).unwrap());
    assert!(
        exported.contains(r#"creationtool="diglot""#) && exported.contains(r#"srclang="en-US""#)
    );
    assert!(!exported.contains("Other pair"));
    let apples = exported.find("Apples.").unwrap();
    let zebras = exported.find("Zebras").unwrap();
    let unicode = exported.find("Ünïcode").unwrap();
    assert!(apples < zebras && zebras < unicode, "sorted by source:\n{exported}");

    let mut fresh = Memory::in_memory().unwrap();
    let report = fresh.import_tmx(&exported, "tmx:roundtrip.tmx").unwrap();
    assert_eq!(report.pairs["en-US->es-ES"], PairCounts { imported: 3, skipped: 0 });
    assert_eq!(report.pairs.len(), 1);
    assert_eq!(fresh.len(&en_es()).unwrap(), 3);
    let target = fresh.exact(&en_es(), "Zebras & <lions> say \"hi\".").unwrap().unwrap().target;
    assert_eq!(target, "Las cebras y <leones> dicen 'hola'.");
    // Same entries, so the same file (origins are the source's: both `test`
    // there, the import's here, so compare without the origin lines).
    let without_origin =
        |s: &str| s.lines().filter(|l| !l.contains("x-origin")).collect::<Vec<_>>().join("\n");
    assert_eq!(without_origin(&fresh.export_tmx(&en_es()).unwrap()), without_origin(&exported));
}

fn tmx_error(xml: &str) -> (usize, String, String) {
    match Memory::in_memory().unwrap().import_tmx(xml, "bad.tmx") {
        Err(Error::Tmx { origin, line, element, message }) => {
            assert_eq!(origin, "bad.tmx");
            (line, element, message)
        }
        other => panic!("expected a TMX error, got {other:?}"),
    }
}

#[test]
fn malformed_tmx_is_an_error_with_a_line() {
    let (line, element, _) = tmx_error(
        "<tmx version=\"1.4\">\n<header srclang=\"en-US\"/>\n<body>\n<tu>\n<tuv xml:lang=\"en-US\"><seg>x</tuv>\n</tu></body></tmx>",
    );
    assert_eq!((line, element.as_str()), (5, "seg"));
    let (line, _, message) = tmx_error("<tmx version=\"1.4\">\n<body>\n<tu>");
    assert_eq!(line, 3);
    assert!(message.contains("</tu>"), "{message}");
    let (_, _, message) = tmx_error("<html><body/></html>");
    assert!(message.contains("<html>"), "{message}");
    let (_, _, message) = tmx_error("just text");
    assert!(message.contains("no <tmx>"), "{message}");
    let (_, _, message) =
        tmx_error("<tmx><body><tu><tuv xml:lang=\"en\"><seg>&nbsp;</seg></tuv></tu></body></tmx>");
    assert!(message.contains("&nbsp;"), "{message}");
    tmx_error("<tmx><body attr=\"x></body></tmx>");
}

#[test]
fn malformed_tmx_stores_nothing() {
    let mut mem = Memory::in_memory().unwrap();
    let xml = "<tmx><header srclang=\"en-US\"/><body><tu><tuv xml:lang=\"en-US\"><seg>A.</seg></tuv><tuv xml:lang=\"es-ES\"><seg>B.</seg></tuv></tu><tu></body></tmx>";
    assert!(mem.import_tmx(xml, "bad.tmx").is_err());
    assert_eq!(mem.len(&en_es()).unwrap(), 0);
}

#[test]
fn a_snapshot_reads_the_file_and_never_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a memory?#%.sqlite");
    assert_eq!(Memory::snapshot(&path).unwrap().len(&en_es()).unwrap(), 0);
    assert!(!path.exists(), "a snapshot of nothing creates nothing");
    {
        let mut mem = Memory::open(&path).unwrap();
        mem.add(&en_es(), "The cat sat.", "El gato se sentó.", "test").unwrap();
    }
    let files = || {
        let mut all: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        all.sort();
        all
    };
    let before = files();
    let mut snap = Memory::snapshot(&path).unwrap();
    assert_eq!(snap.exact(&en_es(), "The cat sat.").unwrap().unwrap().target, "El gato se sentó.");
    snap.add(&en_es(), "The dog sat.", "El perro se sentó.", "test").unwrap();
    assert_eq!(snap.len(&en_es()).unwrap(), 2);
    drop(snap);
    assert!(files() == before, "the file is as it was, with no journal beside it");
    assert_eq!(Memory::open(&path).unwrap().len(&en_es()).unwrap(), 1);
}

#[test]
fn opening_waits_for_another_process_creating_the_file() {
    // Another process has just created the file and is writing its schema
    // (a reserved lock on a file not yet in WAL mode).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let creator = rusqlite::Connection::open(&path).unwrap();
    creator.execute_batch("BEGIN IMMEDIATE; CREATE TABLE t (x);").unwrap();
    let released = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        creator.execute_batch("ROLLBACK").unwrap();
    });
    let opened = Memory::open(&path);
    released.join().unwrap();
    let mut mem = opened.unwrap();
    mem.add(&en_es(), "The cat sat.", "El gato se sentó.", "test").unwrap();
}

#[test]
fn processes_opening_a_new_memory_at_once_all_succeed() {
    for round in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memory.sqlite");
        let barrier = std::sync::Barrier::new(6);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        let mut mem = Memory::open(&path)?;
                        mem.add(&en_es(), "The cat sat.", "El gato se sentó.", "test")
                    })
                })
                .collect();
            for h in handles {
                if let Err(e) = h.join().unwrap() {
                    panic!("round {round}: {e}");
                }
            }
        });
        assert_eq!(Memory::open(&path).unwrap().len(&en_es()).unwrap(), 1);
    }
}

#[test]
fn a_damaged_memory_says_how_to_start_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    std::fs::write(
        &path,
        "this is not a database, but it is long enough to look like one".repeat(20),
    )
    .unwrap();
    let err = Memory::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("delete the folder .diglot/"), "{err}");

    // A valid header, damaged pages: only a check of the whole file sees it.
    std::fs::remove_file(&path).unwrap();
    {
        let mut mem = Memory::open(&path).unwrap();
        let entries: Vec<(String, String)> =
            (0..2000).map(|i| (format!("Sentence number {i}."), format!("Frase {i}."))).collect();
        mem.add_many(&en_es(), &entries, "test").unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 40_000, "several pages");
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 3000] {
        *b = 0x55;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Memory::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("delete the folder .diglot/"), "{err}");
}
