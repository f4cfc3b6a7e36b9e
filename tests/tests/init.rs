//! `diglot init` and `diglot new`: from an article file to a built
//! bilingual site, and the files they must never replace.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::Project;

const ARTICLE: &str = "# Flood waters recede in the valley\n\n\
The river fell by two metres overnight. Families began to return to their homes on Tuesday.\n\n\
The mayor said the bridge will reopen next week.\n";

/// The files of `rel` and their bytes, without diglot's own `.diglot/`.
fn files(p: &Project, rel: &str) -> Vec<(String, Vec<u8>)> {
    p.snapshot(rel).into_iter().filter(|(name, _)| !name.starts_with(".diglot/")).collect()
}

#[track_caller]
fn assert_same(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert!(a == b, "{what}: files differ: {:?} vs {:?}", names(a), names(b));
}

fn with_article() -> Project {
    let p = Project::empty();
    p.write("story.md", ARTICLE);
    p
}

#[test]
fn init_from_an_article_then_build_publishes_a_bilingual_site() {
    let p = with_article();
    let run = p.run(&["init", "--from", "story.md", "--locales", "es-ES", "site"]).expect_code(0);
    assert!(run.stdout.contains("created site/pipelines/story.toml"), "{}", run.stdout);
    assert!(run.stdout.contains("diglot -C site build story"), "next steps: {}", run.stdout);
    assert_eq!(p.read("site/articles/story.md"), ARTICLE, "the article is copied as it is");
    let pipeline = p.read("site/pipelines/story.toml");
    assert!(pipeline.contains("locales = [\"es-ES\"]"), "{pipeline}");
    assert!(pipeline.contains("lang = \"en-US\""), "the language was detected: {pipeline}");
    let gitignore = p.read("site/.gitignore");
    for line in ["/dist", "/.diglot", ".diglot-*.tmp", ".diglot-out-*", ".diglot-old-*"] {
        assert!(gitignore.lines().any(|l| l == line), "{line} in {gitignore}");
    }
    let ci = p.read("site/.github/workflows/diglot.yml");
    assert!(ci.contains("diglot build") && ci.contains("diglot extract --check"), "{ci}");
    // diglot is installed from a source the project names, not a made-up address.
    assert!(!ci.contains(".invalid"), "{ci}");
    assert!(ci.contains("cargo install --locked --git \"$DIGLOT_GIT\""), "{ci}");
    assert!(ci.contains("vars.DIGLOT_GIT"), "{ci}");

    let run = p.run(&["-C", "site", "build"]).expect_code(0);
    for file in [
        "en-US/index.html",
        "es-ES/index.html",
        "es-ES/index.md",
        "es-ES/index.json",
        "bilingual/index.html",
        "report.json",
    ] {
        assert!(p.exists(&format!("site/dist/story/{file}")), "{file}: {}", run.stdout);
    }
    assert!(p.exists("site/locales/es-ES/story.ftl"), "the translators' file is made by build");
    let report: serde_json::Value =
        serde_json::from_str(&p.read("site/dist/story/report.json")).unwrap();
    assert_eq!(report["source_locale"], "en-US");
    // A second build changes nothing.
    let before = files(&p, "site");
    p.run(&["-C", "site", "build"]).expect_code(0);
    assert_same(&files(&p, "site"), &before, "site");
}

#[test]
fn init_without_an_article_builds_the_sample() {
    let p = Project::empty();
    let run = p.run(&["init"]).expect_code(0);
    assert!(run.stdout.contains("created pipelines/first-article.toml"), "{}", run.stdout);
    p.run(&["build"]).expect_code(0);
    assert!(p.exists("dist/first-article/bilingual/index.html"));
    assert!(p.exists("dist/first-article/es-ES/index.html"));
}

#[test]
fn a_spanish_article_gets_english_by_default() {
    let p = Project::empty();
    p.write(
        "nota.md",
        "# Las escuelas abren el lunes\n\nEl gobierno anunció ayer un plan nuevo para las escuelas públicas del país. \
         Los maestros recibirán más formación durante el verano.\n",
    );
    p.run(&["init", "--from", "nota.md", "site"]).expect_code(0);
    let pipeline = p.read("site/pipelines/nota.toml");
    assert!(pipeline.contains("lang = \"es-ES\""), "{pipeline}");
    assert!(pipeline.contains("locales = [\"en-US\"]"), "{pipeline}");
    p.run(&["-C", "site", "build"]).expect_code(0);
    assert!(p.exists("site/dist/nota/en-US/index.html"));
}

#[test]
fn init_in_a_folder_with_files_adds_only_what_is_missing() {
    let p = with_article();
    p.write("site/.gitignore", "target/\n");
    p.write("site/notes.txt", "mine\n");
    let run = p.run(&["init", "--from", "story.md", "site"]).expect_code(0);
    assert!(run.stdout.contains("left alone (it exists) site/.gitignore"), "{}", run.stdout);
    assert!(run.stdout.contains("/dist"), "says what .gitignore lacks: {}", run.stdout);
    assert_eq!(p.read("site/.gitignore"), "target/\n");
    assert_eq!(p.read("site/notes.txt"), "mine\n");
    assert!(p.exists("site/pipelines/story.toml"));
    // Run again: everything is already there, nothing changes.
    let before = files(&p, "site");
    let run = p.run(&["init", "--from", "story.md", "site"]).expect_code(0);
    assert!(run.stdout.contains("already there site/pipelines/story.toml"), "{}", run.stdout);
    assert_same(&files(&p, "site"), &before, "site");
}

/// `init` without `--from` in a project that has its articles only restores
/// the missing scaffolding: no sample article joins the publication.
#[test]
fn init_again_in_a_project_adds_no_sample_article() {
    let p = with_article();
    p.run(&["init", "--from", "story.md", "--lang", "en-US", "site"]).expect_code(0);
    std::fs::remove_file(p.path().join("site/.gitignore")).unwrap();
    let run = p.run(&["-C", "site", "init"]).expect_code(0);
    assert!(!p.exists("site/articles/first-article.md"), "{}", run.stdout);
    assert!(!p.exists("site/pipelines/first-article.toml"), "{}", run.stdout);
    assert!(run.stdout.contains("created site/.gitignore"), "{}", run.stdout);
    assert!(
        run.stdout.contains("left alone (it exists) site/pipelines/story.toml"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("first-article"), "{}", run.stdout);
    // Again: nothing changes.
    let before = files(&p, "site");
    let run = p.run(&["-C", "site", "init"]).expect_code(0);
    assert!(run.stdout.contains("already there site/.gitignore"), "{}", run.stdout);
    assert_same(&files(&p, "site"), &before, "site");
    p.run(&["-C", "site", "build"]).expect_code(0);
    assert!(!p.exists("site/dist/first-article"));

    // The sample project itself: init again changes nothing either.
    let q = Project::empty();
    q.run(&["init"]).expect_code(0);
    let before = files(&q, ".");
    let run = q.run(&["init"]).expect_code(0);
    assert!(run.stdout.contains("already there pipelines/first-article.toml"), "{}", run.stdout);
    assert_same(&files(&q, "."), &before, "sample project");
}

#[test]
fn init_refuses_to_put_another_article_in_place_of_an_existing_one() {
    let p = with_article();
    p.write("site/articles/story.md", "# Someone else's story\n\nIt is theirs and it stays.\n");
    let before = files(&p, "site");
    let run = p.run(&["init", "--from", "story.md", "site"]).expect_code(2);
    assert!(run.stderr.contains("site/articles/story.md exists"), "{}", run.stderr);
    assert!(run.stderr.contains("new OTHER-SLUG"), "{}", run.stderr);
    assert_same(&files(&p, "site"), &before, "nothing written");
}

#[test]
fn init_refuses_a_file_as_its_folder() {
    let p = with_article();
    let run = p.run(&["init", "story.md"]).expect_code(2);
    assert!(run.stderr.contains("is a file, not a folder"), "{}", run.stderr);
    assert_eq!(p.read("story.md"), ARTICLE);
}

#[test]
fn new_adds_an_article_that_builds_beside_the_first() {
    let p = with_article();
    p.run(&["init", "--from", "story.md", "site"]).expect_code(0);
    p.write("second.txt", "Second story\n\nThe council met on Monday. It approved the budget.\n");
    let run = p
        .run(&[
            "-C",
            "site",
            "new",
            "council-budget",
            "--from",
            "second.txt",
            "--locales",
            "es-ES,fr-FR",
        ])
        .expect_code(0);
    assert!(run.stdout.contains("created site/articles/council-budget.txt"), "{}", run.stdout);
    assert!(run.stdout.contains("build council-budget"), "{}", run.stdout);
    let pipeline = p.read("site/pipelines/council-budget.toml");
    assert!(pipeline.contains("locales = [\"es-ES\", \"fr-FR\"]"), "{pipeline}");
    p.run(&["-C", "site", "build"]).expect_code(0);
    assert!(p.exists("site/dist/council-budget/fr-FR/index.html"));
    assert!(p.exists("site/dist/story/es-ES/index.html"));
}

#[test]
fn new_refuses_existing_files_bad_slugs_and_bad_locales() {
    let p = with_article();
    p.run(&["init", "--from", "story.md", "site"]).expect_code(0);
    let before = files(&p, "site");
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["-C", "site", "new"];
        all.extend_from_slice(args);
        let run = p.run(&all).expect_code(2);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert_same(&files(&p, "site"), &before, &format!("{args:?} wrote nothing"));
    };
    refused(&["story", "--from", "story.md"], "articles/story.md already exists");
    p.write("site/pipelines/taken.toml", "[article]\nsource = \"articles/other.md\"\n");
    let before = files(&p, "site");
    let run = p.run(&["-C", "site", "new", "taken", "--from", "story.md"]).expect_code(2);
    assert!(run.stderr.contains("pipelines/taken.toml already exists"), "{}", run.stderr);
    assert_same(&files(&p, "site"), &before, "site");
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["-C", "site", "new"];
        all.extend_from_slice(args);
        let run = p.run(&all).expect_code(2);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert_same(&files(&p, "site"), &before, &format!("{args:?} wrote nothing"));
    };
    refused(&["Bad_Slug", "--from", "story.md"], "not a valid slug");
    refused(&["../escape", "--from", "story.md"], "not a valid slug");
    refused(&["ok", "--from", "story.md", "--locales", "es_ES!"], "not a valid BCP 47 locale");
    refused(&["ok", "--from", "story.md", "--locales", "en-US"], "the article's own language");
    refused(&["ok", "--from", "story.md", "--locales", "es-ES,es-ES"], "listed twice");
    refused(&["ok", "--from", "missing.md"], "missing.md");
    p.write("notes.docx", "binary");
    refused(&["ok", "--from", "notes.docx"], "cannot tell the format");
}

#[test]
fn new_refuses_an_output_folder_another_pipeline_publishes_over() {
    // The repository's example publishes to dist/ itself.
    let p = Project::example();
    p.write("second.md", ARTICLE);
    let before = p.snapshot("pipelines");
    let run = p.run(&["new", "second", "--from", "second.md"]).expect_code(2);
    assert!(
        run.stderr.contains("pipelines/andry-hernandez-romero.toml publishes to dist/"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("dist/second/"), "{}", run.stderr);
    assert_eq!(p.snapshot("pipelines"), before);
    assert!(!p.exists("articles/second.md"));
}

#[test]
fn new_outside_a_project_says_so() {
    let p = with_article();
    let run = p.run(&["new", "story", "--from", "story.md"]).expect_code(2);
    assert!(run.stderr.contains("not a diglot project"), "{}", run.stderr);
    assert!(!p.exists("pipelines"));
}

#[test]
fn init_with_a_project_folder_creates_inside_it() {
    let p = with_article();
    std::fs::create_dir(p.path().join("work")).unwrap();
    let run = p.run(&["-C", "work", "init", "--from", "story.md", "site"]).expect_code(0);
    assert!(run.stdout.contains("diglot -C work/site build story"), "{}", run.stdout);
    assert!(p.exists("work/site/pipelines/story.toml"));
    p.run(&["-C", "work/site", "build"]).expect_code(0);
    assert!(p.exists("work/site/dist/story/bilingual/index.html"));
}

#[test]
fn a_slug_from_an_accented_file_name_keeps_its_letters() {
    let p = Project::empty();
    p.write(
        "Mi Artículo (v2).md",
        "# Mi artículo\n\nEl río bajó dos metros. Las familias volvieron a casa.\n",
    );
    let run = p.run(&["init", "--from", "Mi Artículo (v2).md", "site"]).expect_code(0);
    assert!(run.stdout.contains("created site/pipelines/mi-articulo-v2.toml"), "{}", run.stdout);
}
