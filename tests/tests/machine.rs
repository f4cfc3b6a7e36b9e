//! Interfaces for programs: report.json, `status --json` and the JSON
//! editions against the committed JSON Schemas, shell completions, the
//! manual page, `--help`.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, repo_root};
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("a valid JSON Schema")
}

#[track_caller]
fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> =
        validator.iter_errors(value).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(
        errors.is_empty(),
        "{what} does not match schemas/report.schema.json:\n{}",
        errors.join("\n")
    );
}

#[test]
fn report_json_and_status_json_match_the_schema() {
    let validator = schema();
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let report: Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    assert_valid(&validator, &report, "report.json");

    let status: Value =
        serde_json::from_str(&p.run(&["status", "--json"]).expect_code(0).stdout).unwrap();
    let items = status.as_array().expect("status --json is an array, even for one pipeline");
    assert_eq!(items.len(), 1);
    assert_valid(&validator, &items[0], "status --json");
    // status reports the coverage build published.
    assert_eq!(items[0]["locales"], report["locales"]);
}

#[test]
fn reports_with_diagnostics_translation_and_drafts_match_the_schema() {
    let validator = schema();
    let p = Project::fixture("markdown");
    // The translate step runs in the build, with the offline pseudo provider.
    let pipeline = p.read("pipelines/markdown.toml");
    p.write(
        "pipelines/markdown.toml",
        &format!("{pipeline}\n[translate]\nin_build = true\n\n[[translate.providers]]\nkind = \"pseudo\"\n"),
    );
    p.run(&["build"]).expect_code(0);
    let report: Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    assert!(!report["translation"].as_array().unwrap().is_empty(), "{report}");
    assert!(!report["locales"][1]["unreviewed"].as_array().unwrap().is_empty(), "{report}");
    assert_valid(&validator, &report, "report.json with a translate step");
    // A field written as null when empty is still required.
    let mut dropped = report.clone();
    dropped["translation"][0]["fill"]["providers"][0].as_object_mut().unwrap().remove("last_error");
    assert!(!validator.is_valid(&dropped));

    // A malformed locale file: a diagnostic in the report.
    let es = p.read("locales/es-ES/markdown.ftl");
    p.write("locales/es-ES/markdown.ftl", &format!("{es}\nbroken = {{ \n"));
    let run = p.run(&["status", "--json"]).expect_code(1);
    let status: Value = serde_json::from_str(&run.stdout).unwrap();
    let item = &status.as_array().unwrap()[0];
    assert!(!item["diagnostics"].as_array().unwrap().is_empty(), "{item}");
    assert_valid(&validator, item, "status --json with diagnostics");
}

#[test]
fn status_json_is_one_array_for_several_pipelines() {
    let validator = schema();
    let p = Project::example();
    p.write("second.md", "# Second\n\nThe council met on Monday. It approved the budget.\n");
    // The example publishes to dist/, so the second pipeline publishes elsewhere.
    p.write(
        "pipelines/second.toml",
        "[article]\nsource = \"second.md\"\n\n[edition]\nlocales = [\"es-ES\"]\noutput = \"public\"\n",
    );
    let status: Value =
        serde_json::from_str(&p.run(&["status", "--json"]).expect_code(0).stdout).unwrap();
    let items = status.as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        assert_valid(&validator, item, "status --json");
    }
}

#[test]
fn a_report_that_drifts_from_the_schema_is_caught() {
    // The validation above can fail: an unknown field or a missing one is refused.
    let validator = schema();
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let mut report: Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    report["locales"][0]["coverage"]["surprise"] = Value::from(1);
    assert!(!validator.is_valid(&report));
    let mut report: Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    report.as_object_mut().unwrap().remove("slug");
    assert!(!validator.is_valid(&report));
}

fn edition_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo_root().join("schemas/edition.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("a valid JSON Schema")
}

/// The JSON edition of `locale` in `dir`, checked against
/// `schemas/edition.schema.json`, with its size in bytes.
#[track_caller]
fn json_edition(p: &Project, dir: &str, locale: &str) -> (Value, usize) {
    let text = p.read(&format!("{dir}/{locale}/index.json"));
    let value: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = edition_schema()
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{dir}/{locale}/index.json does not match schemas/edition.schema.json:\n{}",
        errors.join("\n")
    );
    (value, text.len())
}

#[test]
fn json_editions_match_their_schema_and_are_at_most_twice_the_source() {
    // The example: a translated edition and the source's.
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let source = p.read("articles/andry-hernandez-romero.txt").len();
    for locale in ["en-US", "es-ES"] {
        let (value, size) = json_edition(&p, "dist", locale);
        assert!(
            size <= 2 * source,
            "{locale}/index.json is {size} bytes, more than twice the article's {source}"
        );
        // Every sentence is the edition's own (`source`, `translated`): no
        // status said.
        let segments: Vec<&Value> = value["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["segments"].as_array().unwrap())
            .collect();
        assert_eq!(segments.len(), 68, "{locale}");
        assert!(segments.iter().all(|s| s.get("status").is_none()), "{locale}: {value}");
    }
    // Markdown with every construct (code, HTML, rules, images, footnotes,
    // aligned tables), nothing translated yet. (Its blocks are a few words
    // each, shorter than their IDs: the size bound is an article's.)
    let p = Project::fixture("fidelity");
    p.run(&["build", "constructs"]).expect_code(0);
    for locale in ["en-US", "es-ES"] {
        let (value, _) = json_edition(&p, "dist/constructs", locale);
        assert!(value["verbatim"].as_array().is_some_and(|v| v.len() > 3), "{value}");
        let statuses: Vec<Option<&str>> = value["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["segments"].as_array().unwrap())
            .map(|s| s.get("status").map(|s| s.as_str().unwrap()))
            .collect();
        let want = (locale == "es-ES").then_some("missing");
        assert!(statuses.iter().all(|s| *s == want), "{locale}: {statuses:?}");
    } // An HTML news page: its images' attributes beside the blocks.
    let p = Project::fixture("news");
    p.run(&["build", "harbour"]).expect_code(0);
    for locale in ["en-US", "es-ES"] {
        let (value, _) = json_edition(&p, "dist/harbour", locale);
        assert!(value["image_attributes"].as_object().is_some_and(|i| i.len() == 3), "{value}");
    }
}

#[test]
fn an_edition_that_drifts_from_its_schema_is_caught() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let (edition, _) = json_edition(&p, "dist", "es-ES");
    let validator = edition_schema();
    let mut changed = edition.clone();
    changed["blocks"][1]["segments"][0]["text"] = Value::from("a field written twice");
    assert!(!validator.is_valid(&changed));
    let mut changed = edition.clone();
    changed["blocks"][1]["segments"][0]["inlines"][0] = serde_json::json!({"type": "text"});
    assert!(!validator.is_valid(&changed));
    let mut changed = edition;
    changed["blocks"][1]["segments"][0]["status"] = Value::from("done");
    assert!(!validator.is_valid(&changed));
}

#[test]
fn completions_for_each_shell() {
    let p = Project::empty();
    for (shell, marker) in
        [("bash", "complete -F"), ("zsh", "#compdef diglot"), ("fish", "complete -c diglot")]
    {
        let run = p.run(&["completions", shell]).expect_code(0);
        assert!(run.stdout.contains(marker), "{shell}: {}", run.stdout);
        for sub in ["build", "init", "new", "status"] {
            assert!(run.stdout.contains(sub), "{shell} completes {sub}");
        }
    }
    let run = p.run(&["completions", "tcsh"]).expect_code(2);
    assert!(run.stderr.contains("tcsh"), "{}", run.stderr);
}

#[test]
fn man_page_documents_every_command() {
    let p = Project::empty();
    let run = p.run(&["man"]).expect_code(0);
    assert!(
        run.stdout.starts_with(".ie \\n(.g .ds Aq") || run.stdout.contains(".TH diglot"),
        "{}",
        &run.stdout[..200.min(run.stdout.len())]
    );
    for section in
        ["DIGLOT BUILD", "DIGLOT INIT", "DIGLOT NEW", "DIGLOT STATUS", "\\-\\-min\\-coverage"]
    {
        assert!(run.stdout.contains(section), "{section} in the man page");
    }
    // One page holds every command: no references to pages that do not exist.
    assert!(!run.stdout.contains("(1)"), "{}", run.stdout);
}

#[test]
fn build_help_says_what_build_does() {
    let p = Project::empty();
    let run = p.run(&["build", "--help"]).expect_code(0);
    // Whatever the width the help is wrapped to.
    let help = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for says in [
        "in_build = true",
        "report.json",
        ".diglot-output",
        ".diglot/lock",
        "bilingual",
        "--write-on-failure",
        "exits 130",
        "coverage gate",
    ] {
        assert!(help.contains(says), "{says}: {}", run.stdout);
    }
}
