//! `diglot align`: a human translation of different structure fills the
//! target locale file, sentence by sentence, as drafts to review.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, comments_of, messages};

const ES: &str = "locales/es-ES/market.ftl";
const EN: &str = "locales/en-US/market.ftl";

/// The value written for the sentence whose source is `source`.
fn translation_of(p: &Project, source: &str) -> Option<(String, Vec<String>)> {
    let en = p.read(EN);
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == source)?;
    let es = p.read(ES);
    let (_, value) = messages(&es).into_iter().find(|(i, _)| *i == id)?;
    Some((value, comments_of(&es, &id)))
}

#[test]
fn a_translation_of_different_structure_aligns_sentence_by_sentence() {
    let p = Project::fixture("align");
    let run = p.run(&["align", "--locale", "es-ES", "translations/market.es.md"]).expect_code(0);
    let pairs = [
        ("A Day at the Market", "Un día en el mercado"),
        ("The market opens at 7 in the morning.", "El mercado abre a las 7 de la mañana."),
        // One sentence, two in the translation.
        (
            "Farmers bring vegetables from the valley, and they sell most of them before noon.",
            "Los agricultores traen verduras del valle. Venden casi todas antes del mediodía.",
        ),
        // A heading whose level changed.
        ("Prices", "Precios"),
        (
            "Prices have risen by 12 percent this year.",
            "Los precios han subido un 12 por ciento este año.",
        ),
        (
            "The council blames the cost of fuel, which doubled in 2023.",
            "El ayuntamiento culpa al coste del combustible, que se duplicó en 2023.",
        ),
        ("The new hall", "La nueva nave"),
        // Two paragraphs merged into one.
        ("The mayor visited the market on Tuesday.", "La alcaldesa visitó el mercado el martes."),
        (
            "She promised a new roof for the hall by [next spring](https://example.org/plan).",
            "Prometió un tejado nuevo para la nave antes de [la próxima primavera](https://example.org/plan).",
        ),
        ("Work will cost 1,250,000 euros.", "Las obras costarán 1.250.000 euros."),
    ];
    for (source, expected) in pairs {
        let (value, comments) = translation_of(&p, source)
            .unwrap_or_else(|| panic!("`{source}` not aligned:\n{}\n{}", run.stdout, p.read(ES)));
        assert_eq!(value, expected, "{}", run.stdout);
        assert!(comments.iter().any(|c| c.starts_with("# unreviewed: aligned (")), "{comments:?}");
    }
    // Two sentences rendered as one are reported, not written.
    for source in ["Many buyers complain.", "Some stop coming."] {
        assert!(translation_of(&p, source).is_none(), "{source}");
        assert!(run.stdout.contains(&format!("  {source}\n")), "{}", run.stdout);
    }
    assert!(run.stdout.contains("  -> Muchos compradores se quejan y algunos dejan de venir."));
    // A paragraph only the translation has is listed.
    assert!(
        run.stdout.contains(
            "in the translation only:\n  Nota de la traductora: el mercado se fundó en 1901.\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("10 sentences aligned and written as drafts"), "{}", run.stdout);

    // A translator's own translation is never replaced; a second run keeps all.
    let es = p.read(ES);
    let run = p.run(&["align", "--locale", "es-ES", "translations/market.es.md"]).expect_code(0);
    assert!(
        run.stdout.contains("0 sentences aligned and written as drafts (# unreviewed: aligned), 10 already translated"),
        "{}",
        run.stdout
    );
    assert_eq!(p.read(ES), es);
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let p = Project::fixture("align");
    let run = p.run(&["align", "--locale", "fr-FR", "translations/market.es.md"]).expect_code(2);
    assert!(run.stderr.contains("fr-FR is not a target locale"), "{}", run.stderr);
    // A locale without its region is not guessed; the error names the ones there are.
    let run = p.run(&["align", "--locale", "es", "translations/market.es.md"]).expect_code(2);
    assert!(run.stderr.contains("es is not a target locale"), "{}", run.stderr);
    assert!(run.stderr.contains("[edition] locales: es-ES"), "{}", run.stderr);
    let run = p.run(&["align", "--locale", "es-ES", "translations/missing.md"]).expect_code(2);
    assert!(run.stderr.contains("translations/missing.md"), "{}", run.stderr);
    p.write("translations/market.es.rtf", "{\\rtf1}");
    let run = p.run(&["align", "--locale", "es-ES", "translations/market.es.rtf"]).expect_code(2);
    assert!(run.stderr.contains("cannot tell the format"), "{}", run.stderr);
}

/// The example's professional Spanish translation, rebuilt as a Markdown
/// article from its locale file: one paragraph per section, headings as
/// `###` (the article's are level 2), and the paragraphs listed in `merge`
/// joined with the one after them and those in `split` cut in two after
/// their first sentence, as a translator of different habits would have
/// written it.
fn spanish_article(ftl: &str, merge: &[usize], split: &[usize]) -> String {
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    for line in ftl.lines() {
        if let Some(label) = line.strip_prefix("## ") {
            blocks.push((label.to_string(), Vec::new()));
        } else if !line.starts_with('#') && line.contains(" = ") {
            let (_, value) = line.split_once(" = ").unwrap();
            blocks.last_mut().unwrap().1.push(value.to_string());
        }
    }
    let mut out = String::new();
    let mut paragraph = 0;
    for (label, sentences) in blocks {
        let text = sentences.join(" ");
        if label == "Title" {
            out.push_str(&format!("# {text}\n\n"));
        } else if label.starts_with("Heading") {
            // A heading is its own block, after a merged paragraph too.
            let body = out.trim_end().to_string();
            out = format!("{body}\n\n### {text}\n\n");
        } else {
            paragraph += 1;
            let text = match sentences.split_first() {
                Some((first, rest)) if split.contains(&paragraph) && !rest.is_empty() => {
                    format!("{first}\n\n{}", rest.join(" "))
                }
                _ => text,
            };
            let sep = if merge.contains(&paragraph) { " " } else { "\n\n" };
            out.push_str(&format!("{text}{sep}"));
        }
    }
    out
}

#[test]
fn the_example_s_human_translation_aligns_with_its_article() {
    let p = Project::example();
    const EXAMPLE_ES: &str = "locales/es-ES/andry-hernandez-romero.ftl";
    let reference = p.read(EXAMPLE_ES);
    let expected = messages(&reference);
    p.write("es.md", &spanish_article(&reference, &[4, 11], &[2, 7, 15]));
    std::fs::remove_file(p.path().join(EXAMPLE_ES)).unwrap();
    let run = p.run(&["align", "--locale", "es-ES", "es.md"]).expect_code(0);
    let aligned = messages(&p.read(EXAMPLE_ES));
    let correct = expected.iter().filter(|pair| aligned.contains(pair)).count();
    let share = correct as f64 / expected.len() as f64;
    assert!(share >= 0.95, "{correct} of {} aligned correctly:\n{}", expected.len(), run.stdout);
    eprintln!("{correct} of {} sentence pairs aligned correctly", expected.len());
    let wrong: Vec<_> = aligned.iter().filter(|pair| !expected.contains(pair)).collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn an_html_translation_aligns_and_differences_are_flagged_for_review() {
    let p = Project::fixture("align");
    p.write(
        "translations/market.es.html",
        "<!DOCTYPE html><html lang=\"es\"><head><title>x</title></head><body><article>\n\
         <h1>Un día en el mercado</h1>\n\
         <p>El mercado abre a las 8 de la mañana. Los agricultores traen verduras del valle y venden casi todas antes del mediodía.</p>\n\
         <h2>Precios</h2>\n\
         <p>Los precios han subido un 12 por ciento este año. Muchos compradores se quejan. Algunos dejan de venir.</p>\n\
         <p>El ayuntamiento culpa al coste del combustible, que se duplicó en 2023.</p>\n\
         <h2>La nueva nave</h2>\n\
         <p>La alcaldesa visitó el mercado el martes.</p>\n\
         <p>Prometió un tejado nuevo para la nave antes de <a href=\"https://example.org/plan\">la próxima primavera</a>.</p>\n\
         <p>Las obras costarán 1.250.000 euros.</p>\n\
         </article></body></html>\n",
    );
    let run = p.run(&["align", "--locale", "es-ES", "translations/market.es.html"]).expect_code(0);
    assert!(run.stdout.contains("12 sentences aligned"), "{}", run.stdout);
    let (value, _) = translation_of(&p, "Some stop coming.").unwrap();
    assert_eq!(value, "Algunos dejan de venir.");
    let (value, _) = translation_of(
        &p,
        "She promised a new roof for the hall by [next spring](https://example.org/plan).",
    )
    .unwrap();
    assert_eq!(
        value,
        "Prometió un tejado nuevo para la nave antes de [la próxima primavera](https://example.org/plan)."
    );
    // A number the translation changed is flagged on the draft.
    let (value, comments) = translation_of(&p, "The market opens at 7 in the morning.").unwrap();
    assert_eq!(value, "El mercado abre a las 8 de la mañana.");
    assert!(comments.iter().any(|c| c.starts_with("# check: ")), "{comments:?}");
    // In plain words, not as lists of strings.
    let check = comments.iter().find(|c| c.starts_with("# check: ")).unwrap();
    assert_eq!(check, "# check: numbers differ: the source has 7, the translation 8 instead");
}

/// A translation in another language than the locale it is aligned into
/// is refused, writing nothing, unless `--force` says it is meant.
#[test]
fn a_translation_in_another_language_is_refused() {
    let p = Project::fixture("align");
    let toml = p.read("pipelines/market.toml");
    p.write("pipelines/market.toml", &toml.replace("[\"es-ES\"]", "[\"es-ES\", \"fr-FR\"]"));
    let run = p.run(&["align", "--locale", "fr-FR", "translations/market.es.md"]).expect_code(2);
    assert!(run.stderr.contains("Spanish"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert!(!p.exists("locales/fr-FR/market.ftl"), "nothing written");
    // An English file is not Spanish either.
    let run = p.run(&["align", "--locale", "es-ES", "articles/market.md"]).expect_code(2);
    assert!(run.stderr.contains("English"), "{}", run.stderr);

    let run = p
        .run(&["align", "--locale", "fr-FR", "--force", "translations/market.es.md"])
        .expect_code(0);
    assert!(run.stdout.contains("aligned"), "{}", run.stdout);
    assert!(p.read("locales/fr-FR/market.ftl").contains("Un día en el mercado"));
}

/// `text` without Markdown markup, link targets or shortcodes, white space
/// collapsed, as the gold standards of `tests/fixtures/align-real` write
/// sentences.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ']' if matches!(chars.peek(), Some('(' | '[')) => {
                let close = if chars.next() == Some('(') { ')' } else { ']' };
                chars.by_ref().find(|&c| c == close);
            }
            // A shortcode, `{{< … >}}` or `{{% … %}}` (`{\{` as a message
            // writes one the article has as text).
            '{' if matches!(chars.peek(), Some('{' | '\\')) => {
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '}' && c == '}' {
                        break;
                    }
                    last = c;
                }
            }
            '[' | ']' | '`' | '*' | '_' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Aligns `translations/<name>.es.md` of `tests/fixtures/align-real` with
/// the article of pipeline `name` and compares the result with the correct
/// alignment made by hand, `<name>.gold.tsv`: the sentences that got their
/// right translation (or rightly none, or were rightly reported as rendered
/// together by one sentence), all sentences, and what went wrong.
fn measure(p: &Project, name: &str) -> (usize, usize, Vec<String>) {
    let gold_tsv = p.read(&format!("{name}.gold.tsv"));
    let gold: Vec<(&str, &str)> = gold_tsv
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once('\t').expect("source TAB target"))
        .collect();
    // What each gold sentence should come out as: its translation, nothing,
    // or (`=`: translated by the sentence before's translation) a pair
    // reported as merged.
    let mut expected: Vec<Option<String>> =
        gold.iter().map(|(_, t)| (!t.is_empty()).then(|| t.to_string())).collect();
    for i in 1..gold.len() {
        if gold[i].1 == "=" {
            let merged = expected[i - 1].as_ref().map(|t| format!("merged: {t}"));
            expected[i - 1] = merged.clone();
            expected[i] = merged;
        }
    }
    let translation = format!("translations/{name}.es.md");
    let run = p.run(&["align", "--pipeline", name, "--locale", "es-ES", "--json", &translation]);
    let run = run.expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let source = messages(&p.read(&format!("locales/en-US/{name}.ftl")));
    let aligned = messages(&p.read(&format!("locales/es-ES/{name}.ftl")));
    let outcome = |id: &str, text: &str| -> Option<String> {
        if let Some((_, value)) = aligned.iter().find(|(i, _)| i == id) {
            return Some(plain(value));
        }
        report["merged"].as_array().unwrap().iter().find_map(|m| {
            let sources = m["source"].as_array().unwrap();
            sources.iter().any(|s| plain(s.as_str().unwrap()) == text).then(|| {
                let target: Vec<&str> =
                    m["target"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
                format!("merged: {}", plain(&target.join(" ")))
            })
        })
    };

    // Each message holds one or more of the gold standard's sentences (the
    // segmenter keeps a parenthesis whole); each of them counts as aligned
    // correctly when the message came out as their translation.
    let mut next = 0;
    let (mut correct, mut wrong) = (0, Vec::new());
    for (id, text) in &source {
        let text = plain(text);
        let start = next;
        while gold[start..next].iter().map(|(s, _)| *s).collect::<Vec<_>>().join(" ") != text {
            assert!(next < gold.len(), "`{text}` is not in {name}.gold.tsv");
            next += 1;
        }
        let want: Vec<&String> = expected[start..next].iter().flatten().collect();
        let want = match want.first() {
            Some(first) if first.starts_with("merged: ") => Some(first.to_string()),
            _ => (!want.is_empty())
                .then(|| want.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
        };
        let got = outcome(id, &text);
        if got == want {
            correct += next - start;
        } else {
            wrong.push(format!("{text}\n  expected: {want:?}\n  aligned:  {got:?}"));
        }
    }
    assert_eq!(next, gold.len(), "{name}.gold.tsv has sentences the article has not");
    (correct, gold.len(), wrong)
}

/// Published articles and their human Spanish translations, byte for byte
/// (a Kubernetes blog post and a Kubernetes documentation page, see
/// tests/fixtures/align-real/SOURCE.md), aligned and compared with the
/// correct alignments made by hand.
#[test]
fn published_human_translations_align_with_their_articles() {
    let p = Project::fixture("align-real");
    let (mut all_correct, mut all) = (0, 0);
    for (name, at_least) in [("gateway-api-v0-8", 0.96), ("finalizers", 1.0)] {
        let (correct, total, wrong) = measure(&p, name);
        let share = correct as f64 / total as f64;
        eprintln!(
            "{name}: {correct} of {total} sentences aligned correctly ({:.1}%)\n{}",
            share * 100.0,
            wrong.join("\n")
        );
        assert!(share >= at_least, "{name}: {}", wrong.join("\n"));
        all_correct += correct;
        all += total;
    }
    let share = all_correct as f64 / all as f64;
    eprintln!("together: {all_correct} of {all} ({:.1}%)", share * 100.0);
    assert!(share >= 0.97);
}
