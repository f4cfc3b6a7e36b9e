//! Expected values are sacreBLEU's own, ported with the tolerance its test
//! uses; each group names the file of mjpost/sacrebleu it comes from.

use super::*;

fn check_bleu(bleu: Bleu, hyps: &[&str], refs: &[&[&str]], expected: f64, tolerance: f64) {
    let got = bleu.corpus_score(hyps, refs).score;
    assert!(
        (got - expected).abs() < tolerance,
        "BLEU {got} != {expected} ± {tolerance} for {hyps:?} / {refs:?} with {bleu:?}"
    );
}

fn check_chrf(chrf: Chrf, hyps: &[&str], refs: &[&[&str]], expected: f64, tolerance: f64) {
    let got = chrf.corpus_score(hyps, refs).score;
    assert!(
        (got - expected).abs() < tolerance,
        "chrF {got} != {expected} ± {tolerance} for {hyps:?} / {refs:?} with {chrf:?}"
    );
}

fn bleu_components(score: &Score) -> &BleuComponents {
    match &score.components {
        Components::Bleu(c) => c,
        Components::Chrf(_) => panic!("not a BLEU score"),
    }
}

// mjpost/sacrebleu README.md, "Using SacreBLEU from Python", and
// test/test_bleu.py (`_hyps`, `_refs`): three sentences, two reference streams.
const DOG_HYPS: [&str; 3] =
    ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
const DOG_REFS_1: [&str; 3] =
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."];
const DOG_REFS_2: [&str; 3] =
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."];

// test/test_bleu.py uses EPSILON = 1e-8.
const BLEU_EPS: f64 = 1e-8;

#[test]
fn corpus_bleu_matches_sacrebleu() {
    // test/test_bleu.py, test_corpus_bleu_cases.
    let refs: &[&[&str]] = &[&DOG_REFS_1, &DOG_REFS_2];
    check_bleu(Bleu::default(), &DOG_HYPS, refs, 48.530827, BLEU_EPS);
    // Empty hypotheses are scored, not dropped.
    check_bleu(Bleu::default(), &["", "", ""], refs, 0.0, BLEU_EPS);
    let none = Bleu { tokenizer: Tokenizer::None, ..Bleu::default() };
    check_bleu(none, &DOG_HYPS, refs, 49.1919566, BLEU_EPS);
    let unsmoothed = Bleu { smoothing: Smoothing::None, ..Bleu::default() };
    check_bleu(unsmoothed, &DOG_HYPS, refs, 48.530827, BLEU_EPS);
}

#[test]
fn corpus_bleu_components_match_the_readme() {
    // README.md: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944
    // hyp_len = 17 ref_len = 18)
    let score = Bleu::default().corpus_score(&DOG_HYPS, &[&DOG_REFS_1, &DOG_REFS_2]);
    let c = bleu_components(&score);
    let precisions: Vec<String> = c.precisions.iter().map(|p| format!("{p:.1}")).collect();
    assert_eq!(precisions, ["82.4", "50.0", "45.5", "37.5"]);
    assert_eq!(format!("{:.3}", c.bp), "0.943");
    assert_eq!((c.sys_len, c.ref_len), (17, 18));
    assert_eq!(format!("{:.2}", score.score), "48.53");

    // README.md, "Variable Number of References": an empty reference is a
    // reference of length 0. BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889
    // ratio = 0.895 hyp_len = 17 ref_len = 19)
    let first = ["", DOG_REFS_1[1], DOG_REFS_1[2]];
    let score = Bleu::default().corpus_score(&DOG_HYPS, &[&first, &DOG_REFS_2]);
    let c = bleu_components(&score);
    let precisions: Vec<String> = c.precisions.iter().map(|p| format!("{p:.1}")).collect();
    assert_eq!(precisions, ["82.4", "42.9", "27.3", "12.5"]);
    assert_eq!(format!("{:.3}", c.bp), "0.889");
    assert_eq!((c.sys_len, c.ref_len), (17, 19));
    assert_eq!(format!("{:.2}", score.score), "29.44");
}

#[test]
fn bleu_max_order_matches_sacrebleu() {
    // test/test_bleu.py, test_bleu_max_order (compared at two decimals).
    for (order, expected) in
        [(1, "77.65"), (2, "60.50"), (3, "53.93"), (4, "48.53"), (5, "46.14"), (6, "43.28")]
    {
        let bleu = Bleu { max_order: order, ..Bleu::default() };
        let score = bleu.corpus_score(&DOG_HYPS, &[&DOG_REFS_1, &DOG_REFS_2]);
        assert_eq!(format!("{:.2}", score.score), expected, "max order {order}");
    }
}

/// sacreBLEU's `raw_corpus_bleu`: no tokenization, floor smoothing,
/// effective order.
fn raw(floor: f64) -> Bleu {
    Bleu {
        tokenizer: Tokenizer::None,
        smoothing: Smoothing::Floor(floor),
        effective_order: true,
        ..Bleu::default()
    }
}

#[test]
fn raw_bleu_matches_sacrebleu() {
    // test/test_bleu.py, test_raw_bleu_cases and test_case_effective_order,
    // scored as `raw_corpus_bleu(hyps, refs, .01).score / 100`.
    let cases: &[(&[&str], &[&str], f64)] = &[
        // No overlap at all (sacreBLEU #141).
        (&["this is a test", "another test"], &["ref1", "ref2"], 0.0),
        // Perfect match.
        (&["this is a test"], &["this is a test"], 1.0),
        (&["this is a fest"], &["this is a test"], 0.223606797749979),
        // Short hypothesis: brevity penalty e^(1 - 2/1).
        (&["test"], &["a test"], 0.3678794411714425),
        (&["a test"], &["a test"], 1.0),
        (&["a little test"], &["a test"], 0.03218297948685433),
    ];
    for &(hyps, refs, expected) in cases {
        check_bleu(raw(0.01), hyps, &[refs], expected * 100.0, BLEU_EPS * 100.0);
    }
}

#[test]
fn bleu_statistics_and_floor_offset_match_sacrebleu() {
    let hyps = ["am I am a character sequence"];
    let refs: &[&[&str]] = &[&["I am a symbol string sequence a a"]];
    // test/test_bleu.py, test_case_statistics.
    let score = raw(0.01).corpus_score(&hyps, refs);
    let c = bleu_components(&score);
    assert_eq!((c.counts.as_slice(), c.totals.as_slice()), (&[4, 2, 1, 0][..], &[6, 5, 4, 3][..]));
    // test/test_bleu.py, test_case_offset: no floor, and the default 0.1.
    check_bleu(raw(0.0), &hyps, refs, 0.0, BLEU_EPS * 100.0);
    check_bleu(raw(0.1), &hyps, refs, 15.55722182, BLEU_EPS * 100.0);
}

#[test]
fn bleu_from_statistics_matches_sacrebleu() {
    // test/test_bleu.py, test_case_scoring: compute_bleu with no smoothing.
    let score = compute_bleu(&[9, 7, 5, 3], &[10, 8, 6, 4], 11, 11, Smoothing::None, false);
    assert!((score.score / 100.0 - 0.8375922397).abs() < BLEU_EPS, "{}", score.score);

    // test/test_bleu.py, test_case_degenerate_stats: exactly zero.
    let cases = [
        ([0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0),
        ([0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0),
        ([0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0),
        ([6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0),
        ([0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1),
        ([0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01),
    ];
    for (correct, total, sys_len, ref_len, floor) in cases {
        let score =
            compute_bleu(&correct, &total, sys_len, ref_len, Smoothing::Floor(floor), false);
        assert_eq!(score.score, 0.0, "{correct:?} {total:?} {sys_len} {ref_len} {floor}");
    }
}

#[test]
fn sentence_bleu_matches_sacrebleu() {
    // test/test_sentence_bleu.py (sacreBLEU #98): Romanian with a cedilla ţ
    // in the reference and a comma-below ț in the hypothesis; effective
    // order on; EPSILON = 1e-3.
    const REF: &str = "producţia de zahăr brut se exprimă în zahăr alb;";
    const SYS: &str = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
    let cases = [
        (Smoothing::Exp, Tokenizer::Mteval13a, 8.493),
        (Smoothing::None, Tokenizer::Mteval13a, 0.0),
        (Smoothing::Floor(0.1), Tokenizer::Mteval13a, 4.51688),
        (Smoothing::Floor(0.5), Tokenizer::Mteval13a, 10.10),
        (Smoothing::AddK(1.0), Tokenizer::Mteval13a, 14.882),
        (Smoothing::AddK(2.0), Tokenizer::Mteval13a, 21.389),
        (Smoothing::Exp, Tokenizer::None, 7.347),
    ];
    for (smoothing, tokenizer, expected) in cases {
        let bleu = Bleu { smoothing, tokenizer, effective_order: true, ..Bleu::default() };
        let got = bleu.sentence_score(SYS, &[REF]).score;
        assert!((got - expected).abs() < 1e-3, "{got} != {expected} with {bleu:?}");
    }
    let got = sentence_bleu(SYS, REF).score;
    assert!((got - 8.493).abs() < 1e-3, "{got}");

    // test/test_sentence_bleu.py, test_cases_zero_bleu (sacreBLEU #141).
    for smoothing in [Smoothing::Exp, Smoothing::None, Smoothing::Floor(0.1), Smoothing::AddK(1.0)]
    {
        let bleu = Bleu { smoothing, effective_order: true, ..Bleu::default() };
        assert_eq!(bleu.sentence_score("this is a cat", &["okay thanks"]).score, 0.0);
    }
}

#[test]
fn the_defaults_are_sacrebleus() {
    let refs: &[&[&str]] = &[&DOG_REFS_1];
    let ours = bleu(&DOG_HYPS, &DOG_REFS_1);
    assert_eq!(ours, Bleu::default().corpus_score(&DOG_HYPS, refs));
    assert!(matches!(ours.components, Components::Bleu(ref c) if c.precisions.len() == 4));
    let ours = chrf(&DOG_HYPS, &DOG_REFS_1);
    assert_eq!(ours, Chrf::default().corpus_score(&DOG_HYPS, refs));
    assert_eq!(
        ours.components,
        Components::Chrf(ChrfComponents { char_order: 6, word_order: 0, beta: 2 })
    );
    assert_eq!(
        chrf_plus_plus(&DOG_HYPS, &DOG_REFS_1).components,
        Components::Chrf(ChrfComponents { char_order: 6, word_order: 2, beta: 2 })
    );
    assert_eq!(bleu(&[], &[]).score, 0.0);
    assert_eq!(chrf(&[], &[]).score, 0.0);
}

#[test]
#[should_panic(expected = "one reference per hypothesis")]
fn unequal_lengths_are_a_bug() {
    bleu(&["a", "b"], &["a"]);
}

// test/test_chrf.py uses EPSILON = 1e-4.
const CHRF_EPS: f64 = 1e-4;

#[test]
fn corpus_chrf_default_matches_the_readme() {
    // README.md: CHRF().corpus_score(sys, refs) -> chrF2 = 59.73
    let score = Chrf::default().corpus_score(&DOG_HYPS, &[&DOG_REFS_1, &DOG_REFS_2]);
    assert_eq!(format!("{:.2}", score.score), "59.73");
}

#[test]
fn chrf_effective_order_matches_sacrebleu() {
    // test/test_chrf.py, test_cases_effective_order: beta 3, sacreBLEU's
    // default (no eps smoothing).
    let chrf = Chrf { beta: 3, ..Chrf::default() };
    let cases: &[(&[&str], &[&str], f64)] = &[
        (&["a"], &["a"], 100.0),
        (&[""], &["reference"], 0.0),
        (&["a b c"], &["a b c"], 100.0),
        (&["a b c"], &["abc"], 100.0),
        (&[""], &["c"], 0.0),
        (&["a", "b"], &["a", "c"], 50.0),
        (&["aa"], &["ab"], 25.0),
    ];
    for &(hyps, refs, expected) in cases {
        check_chrf(chrf, hyps, &[refs], expected, CHRF_EPS);
    }
}

#[test]
fn chrf_eps_smoothing_matches_sacrebleu() {
    // test/test_chrf.py, test_cases: beta 3 with eps smoothing, where orders
    // a short sentence lacks still count in the average.
    let chrf = Chrf { beta: 3, eps_smoothing: true, ..Chrf::default() };
    let cases: &[(&[&str], &[&str], f64)] = &[
        (&["abcdefg"], &["hijklmnop"], 0.0),
        (&["a"], &["b"], 0.0),
        (&[""], &["b"], 0.0),
        (&[""], &["ref"], 0.0),
        (&[""], &["reference"], 0.0),
        (&["aa"], &["ab"], 8.3333),
        (&["a", "b"], &["a", "c"], 8.3333),
        (&["a"], &["a"], 16.6667),
        (&["a b c"], &["a b c"], 50.0),
        (&["a b c"], &["abc"], 50.0),
        (
            &[
                " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
            ],
            &[
                "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .",
            ],
            63.361730,
        ),
        (
            &[" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
            &["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."],
            64.1302698,
        ),
        (
            &["Niemand hat die Absicht, eine Mauer zu errichten"],
            &["Niemand hat die Absicht, eine Mauer zu errichten"],
            100.0,
        ),
    ];
    for &(hyps, refs, expected) in cases {
        check_chrf(chrf, hyps, &[refs], expected, CHRF_EPS);
    }
}

#[test]
fn chrf_keeping_whitespace_matches_sacrebleu() {
    // test/test_chrf.py, test_cases_keep_whitespace: beta 3.
    let chrf = Chrf { beta: 3, whitespace: true, ..Chrf::default() };
    let cases: &[(&str, &str, f64)] = &[
        (
            "Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
            "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.",
            67.3481606,
        ),
        (
            "risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
            "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .",
            65.2414427,
        ),
    ];
    for &(hyp, reference, expected) in cases {
        check_chrf(chrf, &[hyp], &[&[reference]], expected, CHRF_EPS);
    }
}

#[test]
fn sentence_chrf_matches_sacrebleu() {
    // test/test_chrf.py, test_sentence_level_chrf: chrF2 with eps smoothing,
    // Czech.
    let chrf = Chrf { eps_smoothing: true, ..Chrf::default() };
    let cases = [
        (
            "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
            "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.",
            39.14078509,
        ),
        (
            "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
            "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.",
            31.22557079,
        ),
        (
            "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
            "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.",
            57.15704367,
        ),
    ];
    for (hyp, reference, expected) in cases {
        let got = chrf.sentence_score(hyp, &[reference]).score;
        assert!((got - expected).abs() < CHRF_EPS, "{got} != {expected} for {hyp}");
    }
}

#[test]
fn chrf_sentence_and_corpus_edges() {
    assert_eq!(sentence_chrf("", "").score, 0.0);
    assert_eq!(sentence_chrf("", "Hola.").score, 0.0);
    assert_eq!(sentence_chrf("Hola.", "").score, 0.0);
    assert_eq!(sentence_chrf("Buenos días.", "Buenos  días.").score, 100.0);
    assert_eq!(chrf_plus_plus(&["Buenos días."], &["Buenos días."]).score, 100.0);
    // Word order only adds word statistics: with no word in common, chrF++
    // averages in a zero-precision order (the reference has no bigrams).
    assert_eq!(chrf(&["ab cd"], &["abcd"]).score, 100.0);
    assert!((chrf_plus_plus(&["ab cd"], &["abcd"]).score - 80.0).abs() < 1e-9);
}

// sacreBLEU publishes no chrF++ value that ships with its inputs, so these
// were computed by running sacrebleu/metrics/{bleu,chrf}.py of
// mjpost/sacrebleu (commit f615c72) with default settings.
#[test]
fn defaults_agree_with_a_sacrebleu_run() {
    let eps = 1e-9;
    let refs: &[&[&str]] = &[&DOG_REFS_1, &DOG_REFS_2];
    let pp = Chrf::plus_plus().corpus_score(&DOG_HYPS, refs).score;
    assert!((pp - 59.15310444399262).abs() < eps, "{pp}");
    for (got, expected) in [
        (bleu(&DOG_HYPS, &DOG_REFS_1).score, 45.06750632106114),
        (chrf(&DOG_HYPS, &DOG_REFS_1).score, 50.043063606582294),
        (chrf_plus_plus(&DOG_HYPS, &DOG_REFS_1).score, 51.7309698503746),
    ] {
        assert!((got - expected).abs() < eps, "{got} != {expected}");
    }

    let hyps = [
        "El perro mordió al hombre.",
        "¿No fue una sorpresa?",
        "El hombre (al final) lo había mordido antes.",
    ];
    let refs = [
        "El perro mordió al hombre.",
        "No fue ninguna sorpresa.",
        "El hombre lo había mordido primero.",
    ];
    for (got, expected) in [
        (bleu(&hyps, &refs).score, 37.283563624353555),
        (chrf(&hyps, &refs).score, 71.74840049515197),
        (chrf_plus_plus(&hyps, &refs).score, 69.49965390849557),
        (sentence_bleu(hyps[1], refs[1]).score, 12.703318703865365),
        (sentence_chrf(hyps[1], refs[1]).score, 60.17367554924928),
    ] {
        assert!((got - expected).abs() < eps, "{got} != {expected}");
    }
}

#[test]
fn chrf_words_split_edge_punctuation_once() {
    // sacreBLEU's `_remove_punctuation`, including its `(hi)` quirk (#124).
    assert_eq!(
        chrf_words("(hi) there, \"x\" . ok"),
        ["(hi", ")", "there", ",", "\"x", "\"", ".", "ok"]
    );
    assert_eq!(chrf_words("'quoted"), ["'", "quoted"]);
}

fn check_13a(input: &str, expected: &str) {
    assert_eq!(tokenize_13a(input), expected, "13a of {input:?}");
}

// Not published values: each expectation was checked against the four
// regexes of sacrebleu/tokenizers/tokenizer_re.py run by Python's `re`.
#[test]
fn tokenizer_13a_follows_mteval() {
    // Symbols stand alone; apostrophes and inner dashes stay.
    check_13a(
        "Hello, world! It's a well-known (test).",
        "Hello , world ! It's a well-known ( test ) .",
    );
    // Period and comma stay inside numbers, split elsewhere.
    check_13a("Pi is 3.14, or 3,14; 1,000.", "Pi is 3.14 , or 3,14 ; 1,000 .");
    check_13a("x,y a.b 1.a a.1", "x , y a . b 1 . a a . 1");
    check_13a("end...", "end . . .");
    check_13a("$5.00 50%", "$ 5.00 50 %");
    // A dash after a digit splits off.
    check_13a("1990-2000 and -5", "1990 - 2000 and -5");
    // Entities are unescaped once each, in mteval's order.
    check_13a("&quot;a&quot; &amp; &lt;b&gt; &amp;lt;", "\" a \" & < b > <");
    check_13a("<skipped>co-\noperate\nnow", "cooperate now");
    check_13a("  many   spaces\t", "many spaces");
    check_13a("Ünïcödé «guillemets» ¿qué? 1.º", "Ünïcödé «guillemets» ¿qué ? 1 . º");
    check_13a("", "");
}

#[test]
fn python_whitespace_is_used_for_splitting() {
    assert_eq!(split_python("a\u{1f}b\u{a0}c\u{3000}d").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    // A zero-width space is not whitespace, to Python or Rust.
    assert_eq!(split_python("a\u{200b}b").count(), 1);
}
