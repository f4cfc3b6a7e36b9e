//! Locale files as translators save them: any line-ending convention is read
//! in full and written back the way it was saved.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, messages};

const ARTICLE: &str = "articles/andry-hernandez-romero.txt";
const ES: &str = "locales/es-ES/andry-hernandez-romero.ftl";

#[test]
fn a_locale_file_saved_with_cr_or_crlf_line_endings_keeps_every_translation() {
    for ending in ["\r", "\r\n"] {
        let p = Project::example();
        let lf = p.read(ES);
        let values: Vec<String> = messages(&lf).into_iter().map(|(_, v)| v).collect();
        assert!(values.len() > 60, "the example is translated");
        p.write(ES, &lf.replace('\n', ending));
        // An edit of the article, so that extract rewrites the file.
        let article = p.read(ARTICLE);
        let edited = article.replace(
            "There was no television and few opportunities to go outdoors.",
            "There was no television and very few opportunities to go outside.",
        );
        assert_ne!(article, edited);
        p.write(ARTICLE, &edited);
        let run = p.run(&["extract"]).expect_code(0);
        assert!(run.stdout.contains("1 newly stale"), "{ending:?}: {}", run.stdout);

        let after = p.read(ES);
        let lines = after.replace("\r\n", "\n").replace('\r', "\n");
        assert_eq!(after, lines.replace('\n', ending), "{ending:?}: the convention is kept");
        let kept: Vec<String> = messages(&lines).into_iter().map(|(_, v)| v).collect();
        for value in &values {
            assert!(kept.contains(value), "{ending:?}: lost {value:?}");
        }
        let status = p.run(&["status", "--json"]).expect_code(0);
        let report: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
        let es = report[0]["locales"].as_array().unwrap().iter().find(|l| l["locale"] == "es-ES");
        let coverage = &es.unwrap()["coverage"];
        assert_eq!(coverage["stale"], 1, "{ending:?}: {coverage}");
        assert_eq!(
            coverage["translated"].as_u64().unwrap() + 1,
            coverage["total"].as_u64().unwrap(),
            "{ending:?}: {coverage}"
        );
    }
}

#[test]
fn an_untranslated_sentence_is_shown_in_place_and_one_edit_translates_it() {
    let p = Project::example();
    let es = p.read(ES);
    let (id, value) = messages(&es)[4].clone();
    p.write(ES, &es.replace(&format!("{id} = {value}\n"), ""));
    p.run(&["extract"]).expect_code(0);
    let shown = p.read(ES);
    assert!(shown.contains(&format!("\n# {id} =\n")), "{shown}");
    assert!(shown.contains("### “# <message ID> =” is a sentence not translated yet"), "{shown}");
    let status = p.run(&["status"]).expect_code(0);
    assert!(status.stdout.contains(&format!("es-ES missing {id}")), "{}", status.stdout);

    // Deleting `# ` and typing the translation is all it takes.
    p.write(ES, &shown.replace(&format!("\n# {id} =\n"), &format!("\n{id} = {value}\n")));
    p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), es, "back to the complete file, byte for byte");
}

#[test]
fn translators_notes_on_diglots_lines_survive_extract_build_and_edits() {
    let p = Project::example();
    let es = p.read(ES);
    let header = es.lines().next().unwrap().to_string();
    let noted = es
        .replacen(&header, &format!("{header} Revisado por Ana.\n### Glosario: ver la wiki."), 1)
        .replacen("## Paragraph 2\n", "## Paragraph 2 — tono formal\n## Consultar cifras.\n", 1);
    p.write(ES, &noted);
    p.run(&["extract"]).expect_code(0);
    p.run(&["build"]).expect_code(0);
    assert_eq!(p.read(ES), noted, "nothing to change");

    // A new first paragraph: paragraph 2 becomes 3, its notes go with it.
    let article = p.read(ARTICLE);
    let mut lines: Vec<&str> = article.lines().collect();
    lines.insert(1, "A new opening paragraph.");
    p.write(ARTICLE, &(lines.join("\n") + "\n"));
    p.run(&["extract"]).expect_code(0);
    let after = p.read(ES);
    assert!(after.contains("## Paragraph 3 — tono formal\n## Consultar cifras.\n"), "{after}");
    assert!(after.contains(" Revisado por Ana.\n### Glosario: ver la wiki.\n"), "{after}");
    p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), after, "a second extract changes nothing");
}

#[test]
fn a_locale_file_saved_with_a_byte_order_mark_keeps_it() {
    let p = Project::example();
    let text = p.read(ES);
    p.write(ES, &format!("\u{feff}{text}"));
    // Nothing changed in the article: the file is not touched at all.
    p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), format!("\u{feff}{text}"));
    // An edit of the article rewrites it, with its mark still first.
    let article = p.read(ARTICLE);
    p.write(
        ARTICLE,
        &article.replace(
            "There was no television and few opportunities to go outdoors.",
            "There was no television and very few opportunities to go outside.",
        ),
    );
    p.run(&["extract"]).expect_code(0);
    let after = p.read(ES);
    assert!(after.starts_with('\u{feff}'), "the byte order mark was dropped");
    assert_eq!(messages(&after).len(), messages(&text).len());
}

/// `extract --check` agrees with `extract`: a locale file saved with a
/// byte-order mark that `extract` would leave alone is up to date.
#[test]
fn extract_check_passes_on_a_locale_file_with_a_byte_order_mark() {
    let p = Project::example();
    let text = p.read(ES);
    p.write(ES, &format!("\u{feff}{text}"));
    let run = p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), format!("\u{feff}{text}"), "extract changed the file: {}", run.stdout);
    let check = p.run(&["extract", "--check"]);
    assert_eq!(check.code, 0, "extract --check: {}{}", check.stdout, check.stderr);
    assert!(!check.stdout.contains("out of date"), "{}", check.stdout);
}

/// A table cell with no letters (`1`, `2024`, `3.5%`) has nothing to
/// translate: it is no message of a locale file, and every edition shows
/// it as written, not as a missing translation.
#[test]
fn number_only_table_cells_are_not_messages() {
    let p = Project::fixture("markdown");
    let article = p.read("articles/markdown.md");
    p.write(
        "articles/markdown.md",
        &article
            .replace("| 2     | Archives   |", "| 2     | Archives   |\n| 2024  | 3.5%       |"),
    );
    p.run(&["extract"]).expect_code(0);
    let es = p.read("locales/es-ES/markdown.ftl");
    let en = p.read("locales/en-US/markdown.ftl");
    for cell in ["1", "2", "2024", "3.5%"] {
        for (name, file) in [("es-ES", &es), ("en-US", &en)] {
            assert!(
                !file.lines().any(|l| l.ends_with(&format!(": {cell}")) || l.ends_with(&format!("= {cell}"))),
                "{name} has a message for {cell}:\n{file}"
            );
        }
    }
    p.run(&["build"]).expect_code(0);
    let status = p.run(&["status", "--json"]).expect_code(0);
    assert!(!status.stdout.contains("2024"), "not listed as missing: {}", status.stdout);
    let html = p.read("dist/es-ES/index.html");
    for cell in ["<td>1</td>", "<td>2024</td>", "<td>3.5%</td>"] {
        assert!(html.contains(cell), "{cell} in the Spanish edition");
    }
    // Nor a unit for a CAT tool.
    p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    let xliff = p.read("es.xlf");
    assert!(xliff.contains("Archives") && !xliff.contains(">2024<"), "{xliff}");
}

#[test]
fn a_moved_article_or_a_new_source_locale_leaves_no_old_diglot_lines() {
    let p = Project::example();
    let es = p.read(ES);
    let header = es.lines().next().unwrap().to_string();
    p.write(ES, &es.replacen(&header, &format!("{header} Revisado por Ana."), 1));
    // The article moves to another folder, and its locale gets a region of
    // its own: diglot's header lines say so, and only once.
    std::fs::create_dir_all(p.path().join("articles/2025")).unwrap();
    std::fs::rename(p.path().join(ARTICLE), p.path().join("articles/2025/story.txt")).unwrap();
    let pipeline = "pipelines/andry-hernandez-romero.toml";
    let config = p.read(pipeline).replace(ARTICLE, "articles/2025/story.txt");
    p.write(pipeline, &config);
    p.run(&["extract"]).expect_code(0);
    let config = config.replace("lang = \"en-US\"", "lang = \"en-GB\"");
    p.write(pipeline, &config);
    p.run(&["extract"]).expect_code(0);
    let after = p.read(ES);
    let header: Vec<&str> = after.lines().take_while(|l| l.starts_with("###")).collect();
    assert!(
        header[0].ends_with("(en-GB source: articles/2025/story.txt). Revisado por Ana."),
        "{header:#?}"
    );
    assert_eq!(header.iter().filter(|l| l.contains("diglot:")).count(), 1, "{header:#?}");
    assert_eq!(header.iter().filter(|l| l.contains("“# en-")).count(), 1, "{header:#?}");
    // Each message's source line is the new locale's, not one more line.
    assert!(!after.contains("# en-US:"), "{after}");
    assert_eq!(after.matches("# en-GB: ").count(), messages(&p.read(ES)).len(), "{after}");
    let reference = p.read("locales/en-GB/andry-hernandez-romero.ftl");
    assert_eq!(reference.matches("diglot:").count(), 1, "{reference}");
    p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), after, "a second extract changes nothing");
}
