//! The example article, end to end: the repository's own project, copied to a
//! temporary folder and built with the real binary.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, comments_of, messages};

const ARTICLE: &str = "articles/andry-hernandez-romero.txt";
const EN: &str = "locales/en-US/andry-hernandez-romero.ftl";
const ES: &str = "locales/es-ES/andry-hernandez-romero.ftl";

#[test]
fn builds_every_edition_deterministically() {
    let p = Project::example();
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("es-ES: 100.0% translated"), "{}", run.stdout);
    for file in [
        "dist/en-US/index.html",
        "dist/en-US/index.md",
        "dist/en-US/index.json",
        "dist/es-ES/index.html",
        "dist/es-ES/index.md",
        "dist/es-ES/index.json",
        "dist/bilingual/index.html",
        "dist/report.json",
    ] {
        assert!(p.exists(file), "{file} missing");
    }
    let es = p.read("dist/es-ES/index.html");
    assert!(es.contains(r#"<html lang="es-ES""#), "lang attribute");
    assert!(
        es.contains(r#"hreflang="en-US""#) && es.contains(r#"hreflang="es-ES""#),
        "alternate links"
    );
    assert!(es.contains("Centro de Confinamiento del Terrorismo"), "the Spanish text is published");
    assert!(es.contains("Libertad para Andry"));
    assert!(es.contains("Traducido del inglés"));
    assert!(es.contains("24 de noviembre de 2025"), "Spanish date");
    assert!(!es.contains("class=\"fallback"), "no sentence falls back to English");
    let bilingual = p.read("dist/bilingual/index.html");
    assert!(bilingual.contains("lang=\"en-US\"") && bilingual.contains("lang=\"es-ES\""));
    let md = p.read("dist/es-ES/index.md");
    assert!(md.starts_with("---\n"), "front matter");
    assert!(md.contains("lang: \"es-ES\"") || md.contains("lang: es-ES"), "{md}");

    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    let es_report =
        report["locales"].as_array().unwrap().iter().find(|l| l["locale"] == "es-ES").unwrap();
    assert_eq!(es_report["percent"], 100.0);
    assert_eq!(es_report["missing"].as_array().unwrap().len(), 0);

    // A second build changes nothing, byte for byte, and rewrites nothing.
    let before = p.snapshot("");
    let mtime =
        std::fs::metadata(p.path().join("dist/es-ES/index.html")).unwrap().modified().unwrap();
    let ftl_mtime = std::fs::metadata(p.path().join(ES)).unwrap().modified().unwrap();
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("unchanged dist/"), "{}", run.stdout);
    assert_eq!(p.snapshot(""), before);
    assert_eq!(
        std::fs::metadata(p.path().join("dist/es-ES/index.html")).unwrap().modified().unwrap(),
        mtime
    );
    assert_eq!(std::fs::metadata(p.path().join(ES)).unwrap().modified().unwrap(), ftl_mtime);
}

#[test]
fn the_repository_locale_files_are_up_to_date() {
    // `extract` on the committed project must not change the committed files:
    // the Spanish translation is complete and no message is stale.
    let p = Project::example();
    let before = p.snapshot("locales");
    let run = p.run(&["extract"]).expect_code(0);
    assert_eq!(p.snapshot("locales"), before, "{}", run.stdout);
    // The glossary's terms are listed above the messages that contain them.
    let ftl = p.read(ES);
    assert!(
        ftl.contains("\n# glossary: Alien Enemies Act = Ley de Enemigos Extranjeros\non-march-15-"),
        "{ftl}"
    );
    assert_eq!(ftl.matches("\n# glossary: ").count(), 9, "{ftl}");
    let status = p.run(&["status", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let es =
        report[0]["locales"].as_array().unwrap().iter().find(|l| l["locale"] == "es-ES").unwrap();
    assert_eq!(es["coverage"]["translated"], es["coverage"]["total"]);
    assert_eq!(es["coverage"]["stale"], 0);
}

#[test]
fn editing_one_sentence_makes_only_its_translation_stale() {
    let p = Project::example();
    let old_en = p.read(EN);
    let old_es = p.read(ES);
    let article = p.read(ARTICLE);
    let edited = article.replace(
        "There was no television and few opportunities to go outdoors.",
        "There was no television and very few opportunities to go outside.",
    );
    assert_ne!(article, edited);
    p.write(ARTICLE, &edited);
    let run = p.run(&["extract"]).expect_code(0);
    assert!(
        run.stdout.contains("es-ES: ") && run.stdout.contains("1 newly stale"),
        "{}",
        run.stdout
    );

    let new_es = p.read(ES);
    let (old_msgs, new_msgs) = (messages(&old_es), messages(&new_es));
    assert_eq!(old_msgs.len(), new_msgs.len(), "no translation lost");
    let changed: Vec<_> = new_msgs.iter().filter(|m| !old_msgs.contains(m)).collect();
    assert_eq!(changed.len(), 1, "only one message changed: {changed:?}");
    let (id, value) = changed[0];
    assert!(id.starts_with("there-was-no-television"), "{id}");
    let old_value =
        &old_msgs.iter().find(|(i, _)| i.starts_with("there-was-no-television")).unwrap().1;
    assert_eq!(value, old_value, "the translation itself is kept");
    let comments = comments_of(&new_es, id);
    assert!(
        comments.contains(
            &"# stale, source was: There was no television and few opportunities to go outdoors."
                .to_string()
        ),
        "{comments:?}"
    );
    let stale_count = new_es.matches("\n# stale, source was:").count();
    assert_eq!(stale_count, 1);

    // Only that sentence's message changed in the reference file too.
    let (old_ref, new_ref) = (messages(&old_en), messages(&p.read(EN)));
    assert_eq!(new_ref.iter().filter(|m| !old_ref.contains(m)).count(), 1);

    // The build publishes the English sentence for it, marked, and reports it
    // (it fails the gate, so only with --write-on-failure).
    let run = p.run(&["build", "--min-coverage", "100", "--write-on-failure"]).expect_code(1);
    assert!(run.stderr.contains("below the required 100%"), "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    let es = report["locales"].as_array().unwrap().iter().find(|l| l["locale"] == "es-ES").unwrap();
    assert_eq!(es["stale"].as_array().unwrap().len(), 1);
    assert_eq!(es["stale"][0]["id"], id.as_str());
    let html = p.read("dist/es-ES/index.html");
    assert!(html.contains("very few opportunities to go outside"), "fallback to the source text");
}

#[test]
fn inserting_moving_and_deleting_paragraphs_keeps_other_ids() {
    let p = Project::example();
    let old_ids: Vec<String> = messages(&p.read(EN)).into_iter().map(|(id, _)| id).collect();
    let mut lines: Vec<String> = p.read(ARTICLE).lines().map(str::to_string).collect();
    // Insert a paragraph, move another to the end, delete a third.
    lines.insert(3, "A new paragraph arrives here. It has two sentences.".to_string());
    let moved = lines.remove(5);
    lines.push(moved);
    let deleted = lines.remove(8);
    p.write(ARTICLE, &(lines.join("\n") + "\n"));
    p.run(&["extract"]).expect_code(0);

    let new_ids: Vec<String> = messages(&p.read(EN)).into_iter().map(|(id, _)| id).collect();
    let added: Vec<_> = new_ids.iter().filter(|id| !old_ids.contains(id)).collect();
    assert_eq!(added.len(), 2, "only the new paragraph's two sentences are new: {added:?}");
    assert!(
        added.iter().all(|id| id.starts_with("a-new-paragraph") || id.starts_with("it-has-two"))
    );
    let gone = old_ids.iter().filter(|id| !new_ids.contains(id)).count();
    assert!(gone >= 1 && !deleted.is_empty(), "the deleted paragraph's sentences are gone");

    // The Spanish file keeps every translation: the deleted ones as obsolete.
    let es = p.read(ES);
    assert!(es.contains("## Obsolete"));
    assert_eq!(messages(&es).len(), old_ids.len());
    assert_eq!(es.matches("\n# stale, source was:").count(), 0);
}

#[test]
fn malformed_locale_file_is_located_and_nothing_is_written() {
    let p = Project::example();
    let es = p.read(ES);
    let (id, value) = messages(&es)[5].clone();
    let broken = es.replace(&format!("{id} = {value}"), &format!("{id} = {value} {{ sin cerrar"));
    p.write(ES, &broken);
    // Also change the article, so extract would have something to write.
    p.write(ARTICLE, &p.read(ARTICLE).replace("Summary", "In short"));
    let locales_before = p.snapshot("locales");

    let line = broken.lines().position(|l| l.starts_with(&format!("{id} ="))).unwrap() + 1;
    let run = p.run(&["extract"]).expect_code(1);
    let expected = format!("{ES}:{line}:");
    assert!(run.stderr.contains(&expected), "expected {expected} in:\n{}", run.stderr);
    assert!(run.stderr.contains("error"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(p.snapshot("locales"), locales_before, "no locale file was touched");
}

#[test]
fn translation_markup_is_escaped() {
    let p = Project::example();
    let es = p.read(ES);
    let (id, value) = messages(&es)[3].clone();
    p.write(
        ES,
        &es.replace(
            &format!("{id} = {value}"),
            &format!("{id} = <script>alert(1)</script> {value}"),
        ),
    );
    p.run(&["build"]).expect_code(0);
    let html = p.read("dist/es-ES/index.html");
    assert!(!html.contains("<script>alert(1)</script>"), "raw script in output");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(p.read("dist/bilingual/index.html").contains("&lt;script&gt;"));
}

#[test]
fn missing_translations_fall_back_and_gate_the_build() {
    let p = Project::example();
    let es = p.read(ES);
    let (id, value) = messages(&es)[4].clone();
    p.write(ES, &es.replace(&format!("{id} = {value}\n"), ""));
    p.run(&["build", "--min-coverage", "100"]).expect_code(1);
    let run = p.run(&["build", "--min-coverage", "90"]).expect_code(0);
    assert!(run.stdout.contains("1 missing"), "{}", run.stdout);
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    let es = report["locales"].as_array().unwrap().iter().find(|l| l["locale"] == "es-ES").unwrap();
    assert_eq!(es["missing"][0]["id"], id.as_str());
    let html = p.read("dist/es-ES/index.html");
    assert!(
        html.contains(r#"lang="en-US" class="fallback"#)
            || html.contains(r#"class="fallback" lang="en-US""#),
        "marked fallback"
    );

    let status = p.run(&["status"]).expect_code(0);
    assert!(status.stdout.contains(&format!("es-ES missing {id}")), "{}", status.stdout);
}

#[test]
fn a_failed_build_leaves_the_previous_output() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let before = p.snapshot("dist");
    p.write(ARTICLE, "");
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("articles/andry-hernandez-romero.txt"), "{}", run.stderr);
    assert_eq!(p.snapshot("dist"), before);
}

#[test]
fn translator_comments_survive_extract_and_build() {
    let p = Project::example();
    let es = p.read(ES);
    let (id, _) = messages(&es)[2].clone();
    let noted = es.replacen(&format!("{id} ="), &format!("# Revisar con la redacción.\n{id} ="), 1);
    p.write(ES, &noted);
    p.run(&["extract"]).expect_code(0);
    p.run(&["build"]).expect_code(0);
    assert!(comments_of(&p.read(ES), &id).contains(&"# Revisar con la redacción.".to_string()));
}

#[test]
fn extract_check_reports_out_of_date_files_and_writes_nothing() {
    let p = Project::example();
    p.run(&["extract", "--check"]).expect_code(0);
    p.write(ARTICLE, &p.read(ARTICLE).replace("Summary", "In short"));
    let before = p.snapshot("locales");
    let run = p.run(&["extract", "--check"]).expect_code(1);
    assert!(run.stdout.contains(&format!("out of date: {EN}")), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("out of date: {ES}")), "{}", run.stdout);
    assert_eq!(p.snapshot("locales"), before);
}
