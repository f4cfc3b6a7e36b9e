//! Commands on small fixture projects: formats, languages, segment, status.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, messages};

#[test]
fn segment_prints_one_sentence_per_line() {
    let p = Project::empty();
    let run = p
        .run_with_stdin(
            &["segment", "--lang", "en"],
            Some("Mr. Smith went to the U.S. in 2024. He stayed. Did he?"),
        )
        .expect_code(0);
    assert_eq!(run.stdout, "Mr. Smith went to the U.S. in 2024.\nHe stayed.\nDid he?\n");
    let run = p
        .run_with_stdin(&["segment", "--lang", "es", "-"], Some("¿Qué hora es? Son las 3. ¡Vamos!"))
        .expect_code(0);
    assert_eq!(run.stdout, "¿Qué hora es?\nSon las 3.\n¡Vamos!\n");
}

/// `segment` reads text as a build reads a plain-text article: blank lines
/// separate paragraphs, a wrapped paragraph's lines join, short lines (an
/// address) stay lines, and a line without a letter or digit (`* * *`)
/// separates, it is no sentence.
#[test]
fn segment_reads_paragraphs_as_a_build_does() {
    let text = "A letter home\n\nWrite to us at\n12 Harbour Road\nPortsmouth\n\n\
                This is ordinary prose that was wrapped by an editor at a\n\
                column of about sixty characters. As email often is.\n\n* * *\n \n\n\
                The end.\n";
    let p = Project::empty();
    let run = p.run_with_stdin(&["segment", "--lang", "en"], Some(text)).expect_code(0);
    assert_eq!(
        run.stdout,
        "A letter home\nWrite to us at\n12 Harbour Road\nPortsmouth\n\
         This is ordinary prose that was wrapped by an editor at a column of about sixty \
         characters.\nAs email often is.\nThe end.\n"
    );
    let run = p.run_with_stdin(&["segment", "--json", "--lang", "en"], Some(text)).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let kinds: Vec<&str> = v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"]["type"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(kinds.len(), 4, "{}", run.stdout);
    // Without blank lines, each line is a paragraph.
    let run =
        p.run_with_stdin(&["segment", "--lang", "en"], Some("One. Two.\nThree\n")).expect_code(0);
    assert_eq!(run.stdout, "One.\nTwo.\nThree\n");
}

#[test]
fn segment_refuses_a_language_it_has_no_rules_for() {
    let p = Project::empty();
    for (lang, why) in
        [("xx", "no language has the code `xx`"), ("fr", "no sentence rules for `fr`")]
    {
        let run =
            p.run_with_stdin(&["segment", "--lang", lang], Some("Bonjour. Salut.")).expect_code(2);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(run.stderr.contains(&format!("--lang {lang}: {why}")), "{}", run.stderr);
        assert!(run.stderr.contains("use `en` or `es`"), "{}", run.stderr);
    }
    // A locale of English or Spanish is fine.
    p.run_with_stdin(&["segment", "--lang", "es-MX"], Some("Hola. Adiós.")).expect_code(0);
}

#[test]
fn segment_json_has_ids() {
    let p = Project::empty();
    p.write("a.txt", "One sentence here. Another one there.\n");
    let run = p.run(&["segment", "--json", "a.txt"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let segs = v["blocks"][0]["segments"].as_array().unwrap();
    assert_eq!(segs.len(), 2);
    assert!(segs[0]["id"].as_str().unwrap().starts_with("one-sentence-here-"));
}

/// Control characters and bidi overrides in an article are printed as
/// escapes: `segment` cannot clear the screen or reorder what it shows.
#[test]
fn segment_escapes_what_would_drive_the_terminal() {
    let p = Project::empty();
    let text =
        "Clear\u{1b}[2J the screen. Ring\u{7} twice. Back\u{8}\rspace. Evil\u{202e}txt.exe here.";
    let run = p.run_with_stdin(&["segment", "--lang", "en"], Some(text)).expect_code(0);
    assert!(!run.stdout.contains(|c: char| (c.is_control() && c != '\n') || c == '\u{202e}'));
    assert!(run.stdout.contains("Clear\\u{1b}[2J the screen."), "{}", run.stdout);
    assert!(run.stdout.contains("Evil\\u{202e}txt.exe"), "{}", run.stdout);
    let run = p.run_with_stdin(&["segment", "--json", "--lang", "en"], Some(text)).expect_code(0);
    assert!(!run.stdout.contains(|c: char| (c.is_control() && c != '\n') || c == '\u{202e}'));
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let first = v["blocks"][0]["segments"][0]["text"].as_str().unwrap();
    assert!(first.contains('\u{1b}'), "the JSON still reads back as the text: {first:?}");
}

#[test]
fn segment_missing_file_exits_2() {
    let run = Project::empty().run(&["segment", "nope.txt"]).expect_code(2);
    assert!(run.stderr.contains("nope.txt"));
}

#[test]
fn unknown_pipeline_lists_the_known_ones() {
    let run = Project::example().run(&["build", "nope"]).expect_code(2);
    assert!(run.stderr.contains("andry-hernandez-romero"), "{}", run.stderr);
}

#[test]
fn bad_pipeline_file_is_reported() {
    let p = Project::fixture("markdown");
    p.write("pipelines/markdown.toml", "[article]\nsource = 3\n");
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("pipelines/markdown.toml"), "{}", run.stderr);
}

/// Translates every message of a target file the way a translator would,
/// prefixing the source text.
fn translate_all(p: &Project, source_file: &str, target_file: &str, prefix: &str) {
    let mut out = String::new();
    for (id, value) in messages(&p.read(source_file)) {
        out.push_str(&format!("{id} = {prefix}{value}\n"));
    }
    p.write(target_file, &out);
}

#[test]
fn markdown_article_keeps_structure() {
    let p = Project::fixture("markdown");
    p.run(&["extract"]).expect_code(0);
    let en = p.read("locales/en-US/markdown.ftl");
    assert!(en.contains("## Heading: Why it matters"), "{en}");
    assert!(
        en.contains("*Monday*") && en.contains("**two floors**"),
        "inline markup stays as Markdown: {en}"
    );
    assert!(en.contains("[a link](https://example.org/story)"), "{en}");
    translate_all(&p, "locales/en-US/markdown.ftl", "locales/es-ES/markdown.ftl", "ES ");
    p.run(&["build"]).expect_code(0);
    let html = p.read("dist/es-ES/index.html");
    assert!(html.contains("<em>Monday</em>"), "{html}");
    assert!(html.contains(r#"<a href="https://example.org/story""#), "{html}");
    assert!(html.contains("<blockquote"), "quote rendered");
    assert!(html.contains("<li"), "list rendered");
    assert!(html.contains("<table"), "table rendered");
}

#[test]
fn html_article_drops_page_chrome() {
    let p = Project::fixture("html");
    p.run(&["extract"]).expect_code(0);
    let en = p.read("locales/en-US/html.ftl");
    assert!(en.contains("## Title"));
    assert!(!en.contains("Subscribe"), "nav text is not article text: {en}");
    assert!(!en.contains("tracker"), "script is not article text: {en}");
    assert!(en.contains("The council met on Tuesday."), "{en}");
}

#[test]
fn spanish_article_is_detected_and_translated_to_english() {
    let p = Project::fixture("spanish");
    p.run(&["extract"]).expect_code(0);
    assert!(p.exists("locales/es-ES/spanish.ftl"), "the reference is Spanish");
    let es = p.read("locales/es-ES/spanish.ftl");
    assert!(es.contains("EE. UU."), "{es}");
    translate_all(&p, "locales/es-ES/spanish.ftl", "locales/en-US/spanish.ftl", "EN ");
    p.run(&["build"]).expect_code(0);
    let en = p.read("dist/en-US/index.html");
    assert!(en.contains("Translated from Spanish"), "{en}");
}

#[test]
fn status_json_reports_every_locale() {
    let p = Project::fixture("markdown");
    let run = p.run(&["status", "--json"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // One report per pipeline, in an array even when there is one.
    let locales = v[0]["locales"].as_array().unwrap();
    assert_eq!(locales.len(), 2);
    assert_eq!(locales[1]["locale"], "es-ES");
    assert_eq!(locales[1]["percent"], 0.0);
    assert!(locales[1]["missing"].as_array().unwrap().len() > 3);
}

// The binary's argument handling, outside any project.

fn diglot(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_diglot"))
        .args(args)
        .output()
        .expect("diglot runs")
}

/// Every subcommand the binary defines (the variants of `enum Command` in
/// `crates/cli/src`, following `#[command(flatten)]`, and the variants of
/// each nested `#[command(subcommand)]` enum: `memory search`, `token
/// create`...) is listed, with its summary, under "Commands:" in the help of
/// the command above it, and nothing else is.
#[test]
fn help_names_every_command() {
    let enums = cli_enums();
    let mut checked = Vec::new();
    check_help(&[], "Command", &enums, &mut checked);
    assert!(checked.len() >= 25, "found only {checked:?} in crates/cli/src");
    for nested in ["memory search", "xliff export", "po import", "token revoke", "serve", "align"] {
        assert!(checked.iter().any(|c| c == nested), "{nested} not among {checked:?}");
    }
    let out = diglot(&["--help"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("Exit status"));
}

/// Checks the "Commands:" list of `diglot PATH --help` against `enum_name`'s
/// variants, then each variant's own subcommands.
fn check_help(
    path: &[&str],
    enum_name: &str,
    enums: &std::collections::HashMap<String, syn::ItemEnum>,
    checked: &mut Vec<String>,
) {
    let mut args = path.to_vec();
    args.push("--help");
    let out = diglot(&args);
    assert!(out.status.success(), "diglot {args:?}");
    let help = String::from_utf8(out.stdout).unwrap();
    let listed: Vec<&str> = help
        .split("Commands:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("a Commands: section in diglot {args:?}"))
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("  ").filter(|l| !l.starts_with(' ')))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let defined = defined_commands(&enums[enum_name], enums);
    for (command, _) in &defined {
        assert!(listed.contains(&command.as_str()), "{command} missing from:\n{help}");
    }
    for command in &listed {
        assert!(
            *command == "help" || defined.iter().any(|(d, _)| d == command),
            "{command} is listed in diglot {args:?} but not defined"
        );
    }
    for (command, nested) in &defined {
        let mut sub = path.to_vec();
        sub.push(command);
        checked.push(sub.join(" "));
        if let Some(nested) = nested {
            check_help(&sub, nested, enums, checked);
        }
    }
}

/// The enums of `crates/cli/src`, by name.
fn cli_enums() -> std::collections::HashMap<String, syn::ItemEnum> {
    let src = diglot_tests::repo_root().join("crates/cli/src");
    let mut enums = std::collections::HashMap::new();
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for item in syn::parse_file(&text).unwrap().items {
            if let syn::Item::Enum(e) = item {
                enums.insert(e.ident.to_string(), e);
            }
        }
    }
    enums
}

/// The subcommand names clap derives from an enum's variants, each with the
/// enum of its own subcommands when it has a `#[command(subcommand)]` field.
fn defined_commands(
    e: &syn::ItemEnum,
    enums: &std::collections::HashMap<String, syn::ItemEnum>,
) -> Vec<(String, Option<String>)> {
    let has = |attrs: &[syn::Attribute], what: &str| {
        attrs.iter().any(|a| {
            a.path().is_ident("command") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == what)
        })
    };
    let type_name = |ty: &syn::Type| {
        let syn::Type::Path(ty) = ty else { panic!("a named type") };
        ty.path.segments.last().unwrap().ident.to_string()
    };
    let mut out = Vec::new();
    for variant in &e.variants {
        if has(&variant.attrs, "flatten") {
            let syn::Fields::Unnamed(fields) = &variant.fields else { panic!("flatten") };
            out.extend(defined_commands(&enums[&type_name(&fields.unnamed[0].ty)], enums));
            continue;
        }
        let mut name = String::new();
        for (i, c) in variant.ident.to_string().chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                name.push('-');
            }
            name.extend(c.to_lowercase());
        }
        let nested =
            variant.fields.iter().find(|f| has(&f.attrs, "subcommand")).map(|f| type_name(&f.ty));
        out.push((name, nested));
    }
    out
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(diglot(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(diglot(&["build", "--min-coverage", "lots"]).status.code(), Some(2));
}

#[test]
fn io_errors_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = diglot(&["-C", dir.path().to_str().unwrap(), "build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("pipelines"), "{err}");
}
