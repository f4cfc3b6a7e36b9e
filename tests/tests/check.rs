//! `diglot check`: each way a translation can be broken is reported with its
//! code, the message's position in the target file and the right exit code;
//! the example passes; `[check]` silences findings; `build` can gate on it.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, Run};
use serde_json::Value;

const PIPELINE: &str = "pipelines/andry-hernandez-romero.toml";
const ES: &str = "locales/es-ES/andry-hernandez-romero.ftl";
const FOOD: &str = "andry-hernandez-romero-lights-up-753aa2";
const AGE: &str = "the-32-year-old-venezuelan-f56308";
const CRISIS: &str = "at-the-heart-of-it-dbf727";

/// The 1-based line of `id = …` in the Spanish file.
fn line_of(p: &Project, id: &str) -> usize {
    let prefix = format!("{id} =");
    p.read(ES).lines().position(|l| l.starts_with(&prefix)).expect("message in the file") + 1
}

/// The example with the value of message `id` replaced by `value`.
fn with_value(id: &str, value: &str) -> Project {
    let p = Project::example();
    let text = p.read(ES);
    let prefix = format!("{id} =");
    let changed: Vec<String> = text
        .lines()
        .map(|l| if l.starts_with(&prefix) { format!("{id} = {value}") } else { l.to_string() })
        .collect();
    assert_ne!(changed.join("\n") + "\n", text, "message {id} is in the example");
    p.write(ES, &(changed.join("\n") + "\n"));
    p
}

fn findings(run: &Run) -> Vec<Value> {
    serde_json::from_str::<Value>(&run.stdout)
        .unwrap_or_else(|e| panic!("check --json prints JSON ({e}):\n{}", run.stdout))
        .as_array()
        .expect("an array")
        .clone()
}

/// The finding with `code`, asserting its message, severity and position.
#[track_caller]
fn assert_finding(run: &Run, code: &str, id: &str, severity: &str, line: usize) -> Value {
    let all = findings(run);
    let f = all
        .iter()
        .find(|f| f["code"] == code && f["message_id"] == id)
        .unwrap_or_else(|| panic!("a `{code}` finding for {id} in {all:#?}"))
        .clone();
    assert_eq!(f["severity"], severity, "{f:#}");
    assert_eq!(f["file"], ES, "{f:#}");
    assert_eq!(f["line"], line, "{f:#}");
    assert_eq!(f["col"], 1, "{f:#}");
    assert!(!f["hint"].as_str().unwrap_or("").is_empty(), "a hint: {f:#}");
    f
}

#[test]
fn the_example_passes() {
    let p = Project::example();
    let run = p.run(&["check"]).expect_code(0);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_eq!(findings(&run), Vec::<Value>::new());
}

#[test]
fn a_changed_number_is_an_error() {
    let p = with_value(AGE, "El maquillador venezolano de 33 años está en casa.");
    let run = p.run(&["check", "--json"]).expect_code(1);
    assert_finding(&run, "number", AGE, "error", line_of(&p, AGE));
    let text = p.run(&["check"]).expect_code(1);
    let at = format!("{ES}:{}:1: error[number] {AGE}", line_of(&p, AGE));
    assert!(text.stderr.contains(&at), "{}", text.stderr);
}

#[test]
fn markup_the_source_does_not_have_is_an_error() {
    let p = with_value(
        FOOD,
        "A Andry le gusta la *comida* italiana, un placer sencillo que saborea ahora.",
    );
    let run = p.run(&["check", "--json"]).expect_code(1);
    assert_finding(&run, "markup", FOOD, "error", line_of(&p, FOOD));
}

#[test]
fn a_missing_translation_is_an_error() {
    let p = Project::example();
    let prefix = format!("{FOOD} =");
    let original = p.read(ES);
    let text: Vec<&str> = original.lines().filter(|l| !l.starts_with(&prefix)).collect();
    p.write(ES, &(text.join("\n") + "\n"));
    let run = p.run(&["check", "--json"]).expect_code(1);
    assert_finding(&run, "missing", FOOD, "error", 1);
}

#[test]
fn an_obsolete_message_is_a_warning() {
    let p = Project::example();
    p.write(ES, &(p.read(ES) + "\nan-old-sentence-0a1b2c = Una frase que ya no está.\n"));
    let run = p.run(&["check", "--json"]).expect_code(0);
    let line = line_of(&p, "an-old-sentence-0a1b2c");
    assert_finding(&run, "obsolete", "an-old-sentence-0a1b2c", "warning", line);
}

#[test]
fn a_duplicate_id_and_junk_are_errors() {
    let p = Project::example();
    let original = p.read(ES);
    let food = original.lines().find(|l| l.starts_with(FOOD)).unwrap().to_string();
    let lines = original.lines().count();
    p.write(ES, &format!("{original}\n{food}\n"));
    let run = p.run(&["check", "--json"]).expect_code(1);
    assert_finding(&run, "duplicate", FOOD, "error", lines + 2);

    p.write(ES, &format!("{original}\nthis is not fluent\n"));
    let run = p.run(&["check", "--json"]).expect_code(1);
    let syntax: Vec<Value> = findings(&run).into_iter().filter(|f| f["code"] == "syntax").collect();
    assert_eq!(syntax.len(), 1, "{syntax:#?}");
    assert_eq!(syntax[0]["line"], lines + 2);
}

#[test]
fn an_untranslated_sentence_and_a_length_outlier_are_warnings() {
    let source = "Andry Hernández Romero lights up at the mention of Italian food, a simple pleasure he now savors after a year that tested him in ways few people endure.";
    let p = with_value(FOOD, source);
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_finding(&run, "identical", FOOD, "warning", line_of(&p, FOOD));

    let p = with_value(FOOD, "Le gusta.");
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_finding(&run, "length", FOOD, "warning", line_of(&p, FOOD));
}

#[test]
fn glossary_and_do_not_translate_terms() {
    let heart = Project::example()
        .read(ES)
        .lines()
        .find(|l| l.starts_with(CRISIS))
        .unwrap()
        .split_once(" = ")
        .unwrap()
        .1
        .to_string();
    let p = with_value(CRISIS, &heart.replace("solicitantes de asilo", "demandantes de asilo"));
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_finding(&run, "glossary", CRISIS, "warning", line_of(&p, CRISIS));

    let p = with_value(CRISIS, &heart.replace("CECOT", "el penal"));
    let run = p.run(&["check", "--json"]).expect_code(1);
    assert_finding(&run, "dnt", CRISIS, "error", line_of(&p, CRISIS));
}

#[test]
fn spanish_typography() {
    let p =
        with_value(FOOD, "Qué le gusta a Andry Hernández Romero? La comida italiana , sin duda!");
    let run = p.run(&["check", "--json"]).expect_code(1);
    let line = line_of(&p, FOOD);
    assert_finding(&run, "es-inverted-question", FOOD, "error", line);
    assert_finding(&run, "es-inverted-exclamation", FOOD, "error", line);
    assert_finding(&run, "es-space-before-punctuation", FOOD, "warning", line);

    let p = with_value(FOOD, "A Andry le gusta  la comida italiana, un placer sencillo.");
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_finding(&run, "es-double-space", FOOD, "warning", line_of(&p, FOOD));
}

#[test]
fn the_pipeline_file_silences_codes_and_messages() {
    let p = with_value(AGE, "El maquillador venezolano de 33 años está en casa.");
    let toml = p.read(PIPELINE);
    p.write(PIPELINE, &format!("{toml}\n[check]\nallow = [\"number\"]\n"));
    p.run(&["check"]).expect_code(0);

    p.write(PIPELINE, &format!("{toml}\n[check.allow_messages]\n\"{FOOD}\" = [\"number\"]\n"));
    p.run(&["check"]).expect_code(1);
    p.write(PIPELINE, &format!("{toml}\n[check.allow_messages]\n\"{AGE}\" = [\"number\"]\n"));
    p.run(&["check"]).expect_code(0);

    p.write(PIPELINE, &format!("{toml}\n[check]\nallow = [\"numbers\"]\n"));
    let run = p.run(&["check"]).expect_code(2);
    assert!(run.stderr.contains("`numbers`"), "{}", run.stderr);
}

#[test]
fn locale_selects_a_target() {
    let p = Project::example();
    p.run(&["check", "--locale", "es-ES"]).expect_code(0);
    let run = p.run(&["check", "--locale", "fr-FR"]).expect_code(2);
    assert!(run.stderr.contains("not a target locale"), "{}", run.stderr);
}

#[test]
fn build_gates_on_check_errors_keeping_the_previous_output() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let before = p.read("dist/es-ES/index.html");
    let broken = with_value(AGE, "El maquillador venezolano de 33 años está en casa.").read(ES);
    p.write(ES, &broken);

    // Not a gate unless asked for.
    p.run(&["build"]).expect_code(0);
    let after_ungated = p.read("dist/es-ES/index.html");

    p.write(ES, &p.read(ES).replace("33 años", "34 años"));
    let run = p.run(&["build", "--check"]).expect_code(1);
    assert!(run.stderr.contains("error[number]"), "{}", run.stderr);
    assert_eq!(p.read("dist/es-ES/index.html"), after_ungated, "the previous output is kept");
    assert_ne!(before, after_ungated);

    let toml = p.read(PIPELINE);
    p.write(PIPELINE, &format!("{toml}\n[check]\nin_build = true\n"));
    p.run(&["build"]).expect_code(1);
    assert_eq!(p.read("dist/es-ES/index.html"), after_ungated);
}

/// A Markdown article with a number, a link and a code span, and its
/// complete Spanish translation, one message a line: (project, ids).
fn markdown_project() -> (Project, Vec<String>) {
    let p = Project::empty();
    p.write(
        "story.md",
        "# Court costs\n\nThe fund paid 1,474.5 dollars to [the court](https://example.org/court).\n\nRun `diglot build` to publish the ruling.\n",
    );
    p.run(&["init", "--from", "story.md", "--locales", "es-ES", "--lang", "en-US"]).expect_code(0);
    p.run(&["extract"]).expect_code(0);
    let ids: Vec<String> = diglot_tests::messages(&p.read("locales/en-US/story.ftl"))
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    (p, ids)
}

fn write_spanish(p: &Project, ids: &[String], values: [&str; 3]) {
    let lines: Vec<String> = ids.iter().zip(values).map(|(id, v)| format!("{id} = {v}")).collect();
    p.write("locales/es-ES/story.ftl", &(lines.join("\n") + "\n"));
}

const COURT: [&str; 3] = [
    "Costas judiciales",
    "El fondo pagó 1.474,5 dólares al [tribunal](https://example.org/court).",
    "Ejecute `diglot build` para publicar la sentencia.",
];

#[test]
fn links_code_and_numbers_by_value_in_each_locale() {
    let (p, ids) = markdown_project();
    write_spanish(&p, &ids, COURT);
    // `1,474.5` in English is `1.474,5` in Spanish.
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_eq!(findings(&run), Vec::<Value>::new());

    let cases = [
        (1, COURT[1].replace("example.org/court", "example.org/tribunal"), "link"),
        (1, COURT[1].replace("1.474,5", "1.474,6"), "number"),
        (1, COURT[1].replace("[tribunal](https://example.org/court)", "tribunal"), "link"),
        (1, COURT[1].replace("El fondo", "El *fondo*"), "markup"),
        (2, COURT[2].replace("`diglot build`", "`diglot construir`"), "code"),
    ];
    for (n, value, code) in cases {
        let mut values = COURT;
        values[n] = &value;
        write_spanish(&p, &ids, values);
        let run = p.run(&["check", "--json"]).expect_code(1);
        let all = findings(&run);
        assert_eq!(all.len(), 1, "{value}: {all:#?}");
        assert_eq!(all[0]["code"], code, "{value}: {all:#?}");
        assert_eq!(all[0]["message_id"], ids[n].as_str());
        assert_eq!(all[0]["file"], "locales/es-ES/story.ftl");
        assert_eq!(all[0]["line"], n + 1);
    }
}

#[test]
fn drafts_and_stale_translations_are_warnings() {
    let p = Project::example();
    let text = p.read(ES);
    let food = format!("{FOOD} =");
    let age = format!("{AGE} =");
    let marked: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(&food) {
                format!("# unreviewed: apertium\n{l}")
            } else if l.starts_with(&age) {
                format!("# stale, source was: The 31-year-old makeup artist.\n{l}")
            } else {
                l.to_string()
            }
        })
        .collect();
    p.write(ES, &(marked.join("\n") + "\n"));
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_finding(&run, "unreviewed", FOOD, "warning", line_of(&p, FOOD));
    assert_finding(&run, "stale", AGE, "warning", line_of(&p, AGE));
}

#[test]
fn a_checked_build_reports_its_warnings_every_time() {
    let p = with_value(FOOD, "Le gusta.");
    let toml = p.read(PIPELINE);
    p.write(PIPELINE, &format!("{toml}\n[check]\nin_build = true\n"));
    for run in 1..=2 {
        let build = p.run(&["build"]).expect_code(0);
        assert!(build.stderr.contains("warning[length]"), "build {run}: {}", build.stderr);
    }
}

/// Spanish punctuation is checked in the prose only: a `?` or `!` inside a
/// code span, a URL or kept markup is not a question, an exclamation or a
/// space before punctuation.
#[test]
fn spanish_typography_skips_code_urls_and_kept_markup() {
    let p = Project::empty();
    p.write(
        "e.md",
        "# Errors in Rust\n\nUse the `?` operator to pass errors up.\n\nCall the `bail!` macro to return early.\n\nThen chain `.map_err` on the result.\n\nSee https://example.org/faq?q=1 for more.\n",
    );
    p.run(&["init", "--from", "e.md", "--locales", "es-ES", "--lang", "en-US"]).expect_code(0);
    p.run(&["extract"]).expect_code(0);
    let ids: Vec<String> =
        diglot_tests::messages(&p.read("locales/en-US/e.ftl")).into_iter().map(|m| m.0).collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    let values = [
        "Errores en Rust",
        "Usa el operador `?` para propagar errores.",
        "Llama a la macro `bail!` para volver antes.",
        "Luego encadena `.map_err` al resultado.",
        "Consulta https://example.org/faq?q=1 para más.",
    ];
    let lines: Vec<String> = ids.iter().zip(values).map(|(id, v)| format!("{id} = {v}")).collect();
    p.write("locales/es-ES/e.ftl", &(lines.join("\n") + "\n"));
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_eq!(findings(&run), Vec::<Value>::new());

    // The prose around the code is still checked.
    let mut broken = lines.clone();
    broken[1] = format!("{} = Usa el operador `?` , por qué no?", ids[1]);
    p.write("locales/es-ES/e.ftl", &(broken.join("\n") + "\n"));
    let run = p.run(&["check", "--json"]).expect_code(1);
    let codes: Vec<String> =
        findings(&run).iter().filter_map(|f| f["code"].as_str().map(str::to_string)).collect();
    assert!(codes.iter().any(|c| c == "es-inverted-question"), "{codes:?}");
    assert!(codes.iter().any(|c| c == "es-space-before-punctuation"), "{codes:?}");
}

/// A changed shortcode is reported as one, with a hint about shortcodes;
/// the words a shortcode shows (`text="…"`) may be translated, and the
/// edition publishes the translated shortcode.
#[test]
fn a_changed_shortcode_is_a_shortcode_change_and_its_text_may_be_translated() {
    let p = Project::empty();
    p.write(
        "k.md",
        "# Nodes\n\nA {{< glossary_tooltip text=\"cluster\" term_id=\"cluster\" >}} runs your workloads.\n",
    );
    p.run(&["init", "--from", "k.md", "--locales", "es-ES", "--lang", "en-US"]).expect_code(0);
    p.run(&["extract"]).expect_code(0);
    let ids: Vec<String> =
        diglot_tests::messages(&p.read("locales/en-US/k.ftl")).into_iter().map(|m| m.0).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    let write = |sentence: &str| {
        // Braces are Fluent syntax: written `{"{"}` and `{"}"}`.
        let value: String = sentence
            .chars()
            .map(|c| match c {
                '{' | '}' => format!("{{\"{c}\"}}"),
                c => c.to_string(),
            })
            .collect();
        p.write("locales/es-ES/k.ftl", &format!("{} = Nodos\n{} = {value}\n", ids[0], ids[1]));
    };

    // A machine-translated shortcode: its name and a parameter changed.
    write("Un {{< glosario_tooltip text=\"clúster\" plazo=\"cluster\" >}} ejecuta sus cargas.");
    let run = p.run(&["check", "--json"]).expect_code(1);
    let all = findings(&run);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["code"], "code", "{all:#?}");
    let message = all[0]["message"].as_str().unwrap_or("");
    assert!(message.starts_with("shortcodes changed:"), "{message}");
    assert!(!message.contains("code span"), "{message}");
    assert!(message.contains("{{< glossary_tooltip text=\"cluster\" term_id=\"cluster\" >}}"));
    assert!(message.contains("{{< glosario_tooltip"), "{message}");
    let hint = all[0]["hint"].as_str().unwrap_or("");
    assert!(hint.contains("shortcode") && hint.contains("text="), "{hint}");

    // A shortcode escaped by a provider is no shortcode any more.
    write(
        "Un {{\\< glossary\\_tooltip text=\"clúster\" term\\_id=\"cluster\" >}} ejecuta sus cargas.",
    );
    let run = p.run(&["check", "--json"]).expect_code(1);
    let all = findings(&run);
    assert_eq!(all[0]["code"], "code", "{all:#?}");
    assert!(all[0]["message"].as_str().unwrap_or("").contains("shortcodes"), "{all:#?}");

    // Its `text=` translated, nothing else: no finding, and published so.
    write("Un {{< glossary_tooltip text=\"clúster\" term_id=\"cluster\" >}} ejecuta sus cargas.");
    let run = p.run(&["check", "--json"]).expect_code(0);
    assert_eq!(findings(&run), Vec::<Value>::new());
    p.run(&["build"]).expect_code(0);
    let md = p.read("dist/k/es-ES/index.md");
    assert!(
        md.contains("Un {{< glossary_tooltip text=\"clúster\" term_id=\"cluster\" >}} ejecuta"),
        "{md}"
    );
}

#[test]
fn a_message_with_a_syntax_error_is_not_also_missing() {
    let p = Project::example();
    let line = line_of(&p, FOOD);
    let broken = p.read(ES).replacen(&format!("{FOOD} ="), FOOD, 1);
    p.write(ES, &broken);
    let run = p.run(&["check", "--json"]).expect_code(1);
    let about: Vec<Value> =
        findings(&run).into_iter().filter(|f| f["message_id"] == FOOD).collect();
    assert_eq!(about.len(), 1, "only the syntax error: {about:#?}");
    assert_eq!(about[0]["code"], "syntax", "{about:#?}");
    assert_eq!(about[0]["line"], line, "{about:#?}");
}
