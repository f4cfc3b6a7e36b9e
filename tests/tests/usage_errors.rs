//! Bad input is a clear error with exit 2, never silently ignored: invalid
//! or unknown locales, impossible percentages, contradictory pipeline
//! files, running outside a project, unreadable files.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::Project;

const PIPELINE: &str = "pipelines/andry-hernandez-romero.toml";

/// The example with `from` replaced by `to` in its pipeline file.
fn example_with(from: &str, to: &str) -> Project {
    let p = Project::example();
    let config = p.read(PIPELINE);
    assert!(config.contains(from), "{from}");
    p.write(PIPELINE, &config.replacen(from, to, 1));
    p
}

#[test]
fn translate_refuses_invalid_and_unknown_locales() {
    let p = Project::example();
    let before = p.snapshot("locales");
    let run = p.run(&["translate", "--locale", "../x"]).expect_code(2);
    assert!(run.stderr.contains("`../x` is not a valid"), "{}", run.stderr);
    let run = p.run(&["translate", "--locale", "fr-FR"]).expect_code(2);
    assert!(run.stderr.contains("fr-FR") && run.stderr.contains("es-ES"), "{}", run.stderr);
    assert!(p.snapshot("locales") == before, "nothing was translated");
}

/// A locale option that names no locale says which option, and the tag.
#[test]
fn locale_options_name_the_option_and_the_tag() {
    let p = Project::example();
    let bad = "--locale: `../x` is not a valid BCP 47 locale";
    for args in [
        &["check", "--locale", "../x"][..],
        &["eval", "--locale", "../x"],
        &["memory", "export", "--locale", "../x"],
    ] {
        let run = p.run(args).expect_code(2);
        assert!(run.stderr.contains(&format!("{PIPELINE}: {bad}")), "{args:?}: {}", run.stderr);
    }
    let run = p.run(&["memory", "search", "hello", "--locale", "../x"]).expect_code(2);
    assert!(run.stderr.contains(&format!("error: {bad}")), "{}", run.stderr);

    let p = Project::empty();
    p.write("story.md", "# A story\n\nIt rained all day.\n");
    let run = p.run(&["init", "--from", "story.md", "--lang", "../x", "site"]).expect_code(2);
    assert!(run.stderr.contains("--lang: `../x` is not a valid BCP 47 locale"), "{}", run.stderr);
    let run =
        p.run(&["init", "--from", "story.md", "--locales", "es", "--locales", "x_y_z", "site"]);
    assert!(run.expect_code(2).stderr.contains("--locales: `x_y_z`"), "x_y_z");
    assert!(!p.exists("site/pipelines"));
}

/// A locale a pipeline file names that is none is reported where it is
/// written, then why.
#[test]
fn a_bad_locale_setting_is_reported_at_its_line() {
    let p = Project::example();
    let toml = p.read(PIPELINE);
    p.write(PIPELINE, &toml.replace("locales = [\"es-ES\"]", "locales = [\"../x\"]"));
    let run = p.run(&["build"]).expect_code(2);
    let want = format!("error: {PIPELINE}:15:12: `../x` is not a valid BCP 47 locale");
    assert!(run.stderr.contains(&want), "{}", run.stderr);
    p.write(PIPELINE, &toml.replace("lang = \"en-US\"", "lang = \"english\""));
    let run = p.run(&["build"]).expect_code(2);
    let want = format!("error: {PIPELINE}:8:8: `english` is not a language code");
    assert!(run.stderr.contains(&want), "{}", run.stderr);
}

#[test]
fn coverage_gates_must_be_percentages() {
    let p = Project::example();
    for bad in ["NaN", "nan", "inf", "101", "-1"] {
        let run = p.run(&["build", &format!("--min-coverage={bad}")]).expect_code(2);
        assert!(run.stderr.contains("percentage"), "{bad}: {}", run.stderr);
    }
    for bad in ["nan", "101.0", "-5"] {
        let p = example_with("min_coverage = 100", &format!("min_coverage = {bad}"));
        let run = p.run(&["build"]).expect_code(2);
        assert!(run.stderr.contains("min_coverage"), "{bad}: {}", run.stderr);
        assert!(!p.exists("dist"));
    }
}

#[test]
fn contradictory_locales_are_config_errors() {
    for (from, to, says) in [
        ("bilingual = \"es-ES\"", "bilingual = \"fr-FR\"", "bilingual"),
        ("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"es-ES\"]", "twice"),
        ("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"en-US\"]", "own language"),
    ] {
        let p = example_with(from, to);
        let run = p.run(&["build"]).expect_code(2);
        assert!(run.stderr.contains(PIPELINE), "{to}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{to}: {}", run.stderr);
        assert!(!p.exists("dist"));
    }
    // The detected language counts too.
    let p = Project::fixture("markdown");
    p.write(
        "pipelines/markdown.toml",
        "[article]\nsource = \"articles/markdown.md\"\n\n[edition]\nlocales = [\"en-US\", \"es-ES\"]\n",
    );
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("own language"), "{}", run.stderr);
}

#[test]
fn the_project_is_found_from_a_folder_inside_it() {
    let p = Project::example();
    let run = p.run_in("articles", &["status"]).expect_code(0);
    assert!(run.stdout.contains("es-ES"), "{}", run.stdout);
    p.run_in("locales/es-ES", &["build"]).expect_code(0);
    assert!(p.exists("dist/es-ES/index.html"), "the project's output, not one in locales/");
    assert!(!p.exists("locales/es-ES/dist"));
}

#[test]
fn outside_a_project_says_so() {
    let p = Project::empty();
    p.write("notes/a.txt", "Not a project.");
    for args in [&["status"][..], &["build"], &["extract"], &["translate"]] {
        let run = p.run_in("notes", args).expect_code(2);
        assert!(
            run.stderr.contains("not a diglot project (no pipelines/ here or above"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(p.snapshot(""), vec![("notes/a.txt".to_string(), b"Not a project.".to_vec())]);
}

#[test]
fn io_errors_name_their_file_once() {
    let p = Project::example();
    std::fs::remove_file(p.path().join("articles/andry-hernandez-romero.txt")).unwrap();
    let run = p.run(&["build"]).expect_code(2);
    assert_eq!(run.stderr.matches("andry-hernandez-romero.txt").count(), 1, "{}", run.stderr);
    assert_eq!(run.stderr.to_lowercase().matches("no such file").count(), 1, "{}", run.stderr);
}

#[test]
fn a_locale_file_that_is_not_utf8_is_located() {
    let p = Project::example();
    let es = "locales/es-ES/andry-hernandez-romero.ftl";
    let mut bytes = std::fs::read(p.path().join(es)).unwrap();
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    bytes.extend_from_slice(b"caf\xe9 = x\n");
    std::fs::write(p.path().join(es), &bytes).unwrap();
    let run = p.run(&["status"]).expect_code(2);
    assert!(run.stderr.contains(&format!("{es}:{}:4", lines + 1)), "{}", run.stderr);
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
}

#[test]
fn language_names_are_refused_where_codes_belong() {
    let p = example_with("locales = [\"es-ES\"]", "locales = [\"spanish\"]");
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("not a language code"), "{}", run.stderr);
    assert!(!p.exists("dist") && !p.exists("locales/spanish"));

    let p = Project::empty();
    p.write("story.md", "# A story\n\nIt rained all day.\n");
    let run = p.run(&["init", "--from", "story.md", "--locales", "spanish", "site"]).expect_code(2);
    assert!(run.stderr.contains("not a language code"), "{}", run.stderr);
    assert!(!p.exists("site/pipelines"));
}

/// A well-formed tag naming no language (`xx`, `qq-ZZ`) is a config error
/// naming the pipeline file and the tag, not an ICU4X error.
#[test]
fn unknown_languages_are_config_errors() {
    for tag in ["xx", "qq-ZZ"] {
        let p = example_with("locales = [\"es-ES\"]", &format!("locales = [\"es-ES\", \"{tag}\"]"));
        let run = p.run(&["build"]).expect_code(2);
        assert!(run.stderr.contains(PIPELINE) && run.stderr.contains(tag), "{tag}: {}", run.stderr);
        assert!(run.stderr.contains("no language"), "{tag}: {}", run.stderr);
        assert!(!run.stderr.contains("ICU4X"), "{tag}: {}", run.stderr);
        assert!(!p.exists(&format!("locales/{tag}")), "{tag}: nothing written");
        let run = p.run(&["translate", "--locale", tag, "--dry-run"]).expect_code(2);
        assert!(run.stderr.contains(tag), "{tag}: {}", run.stderr);
    }
    let p = Project::example();
    let run = p.run(&["translate", "--locale", "xx", "--dry-run"]).expect_code(2);
    assert!(run.stderr.contains("xx"), "{}", run.stderr);
}

/// Tags with extensions are locales: the full tag names the folder, the
/// language goes by its identifier.
#[test]
fn locales_with_extensions_are_accepted() {
    for tag in ["es-ES-u-ca-buddhist", "en-GB-x-private"] {
        let p = example_with("locales = [\"es-ES\"]", &format!("locales = [\"es-ES\", \"{tag}\"]"));
        p.run(&["extract"]).expect_code(0);
        assert!(p.exists(&format!("locales/{tag}/andry-hernandez-romero.ftl")), "{tag}");
        let run = p.run(&["translate", "--locale", tag, "--dry-run"]);
        assert!(!run.stderr.contains("not a valid"), "{tag}: {}", run.stderr);
    }
}

/// Errors about `output`, `min_coverage`, `locales`, `bilingual`, `lang`,
/// `published`, `fuzzy_threshold`, `draft_below` and `front_matter` point at the line and column of the
/// value, as TOML syntax errors do.
#[test]
fn setting_errors_name_their_line_and_column() {
    let line_of = |config: &str, key: &str| {
        config.lines().position(|l| l.starts_with(key)).expect("the key is there") + 1
    };
    for (from, to, key, col) in [
        ("output = \"dist\"", "output = \"\"", "output", 10),
        ("output = \"dist\"", "output = \"locales\"", "output", 10),
        ("min_coverage = 100", "min_coverage = 101", "min_coverage", 16),
        ("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"../x\"]", "locales", 21),
        ("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"es-es\"]", "locales", 21),
        ("locales = [\"es-ES\"]", "locales = [\"xx\"]", "locales", 12),
        ("bilingual = \"es-ES\"", "bilingual = \"fr-FR\"", "bilingual", 13),
        // diglot reads articles in English or Spanish only.
        ("lang = \"en-US\"", "lang = \"fr-FR\"", "lang", 8),
        // A percentage, as min_coverage is.
        ("fuzzy_threshold = 75", "fuzzy_threshold = 200", "fuzzy_threshold", 19),
        ("fuzzy_threshold = 75", "fuzzy_threshold = -10", "fuzzy_threshold", 19),
        // A date that is not YYYY-MM-DD, or a day that does not exist.
        ("published = \"2025-11-24\"", "published = \"2025-02-30\"", "published", 13),
        ("published = \"2025-11-24\"", "published = \"24/11/2025\"", "published", 13),
        // A percentage; one of the two front matter syntaxes.
        ("min_coverage = 100", "min_coverage = 100\ndraft_below = 101", "draft_below", 15),
        ("min_coverage = 100", "min_coverage = 100\nfront_matter = \"json\"", "front_matter", 16),
        // What the TOML reader refuses: a value of the wrong type, a key
        // written twice.
        ("locales = [\"es-ES\"]", "locales = [\"es-ES\", 5]", "locales", 21),
        ("min_coverage = 100", "min_coverage = \"all\"", "min_coverage", 16),
        ("min_coverage = 100", "min_coverage = 100\nmin_coverage = 90", "min_coverage = 90", 1),
    ] {
        let p = example_with(from, to);
        let config = p.read(PIPELINE);
        let line = line_of(&config, key);
        let run = p.run(&["build"]).expect_code(2);
        // The path as the project names it, wherever diglot runs from.
        let at = format!("error: {PIPELINE}:{line}:{col}: ");
        assert!(run.stderr.starts_with(&at), "{to}: expected {at}\n{}", run.stderr);
        assert!(!p.exists("dist"));
    }
}

#[test]
fn a_missing_article_names_the_setting_and_its_path_in_the_project() {
    let p = example_with(
        "source = \"articles/andry-hernandez-romero.txt\"",
        "source = \"articles/nope.md\"",
    );
    let run = p.run(&["build"]).expect_code(2);
    assert!(
        run.stderr.contains("[article] source = \"articles/nope.md\": no such file in the project"),
        "{}",
        run.stderr
    );
    let line = p.read(PIPELINE).lines().position(|l| l.starts_with("source")).unwrap() + 1;
    assert!(run.stderr.contains(&format!("{PIPELINE}:{line}:10: ")), "{}", run.stderr);
    let root = p.path().display().to_string();
    assert!(!run.stderr.contains(&root), "no absolute path: {}", run.stderr);
}

#[test]
fn a_pipeline_with_no_target_locale_is_warned_about() {
    let p = example_with("locales = [\"es-ES\"]\n", "locales = []\n");
    let toml = p.read(PIPELINE).replace("bilingual = \"es-ES\"\n", "");
    p.write(PIPELINE, &toml);
    let line = toml.lines().position(|l| l.starts_with("locales")).unwrap() + 1;
    let run = p.run(&["build"]).expect_code(0);
    let at = format!("{PIPELINE}:{line}:11: warning");
    assert!(run.stderr.contains(&at), "expected {at}:\n{}", run.stderr);
    assert!(run.stderr.contains("[edition] locales lists no locale"), "{}", run.stderr);
}
