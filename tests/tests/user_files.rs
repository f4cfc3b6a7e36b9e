//! diglot never deletes or replaces what it did not make: the output folder
//! must be its own, sources stay inside the project, a failed build keeps the
//! previous output, and rewritten files keep their mode and symlinks.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use diglot_tests::{Project, messages};

const PIPELINE: &str = "pipelines/andry-hernandez-romero.toml";
const ARTICLE: &str = "articles/andry-hernandez-romero.txt";
const ES: &str = "locales/es-ES/andry-hernandez-romero.ftl";

/// The example with `output` set to `value` (a TOML string literal).
fn example_with_output(value: &str) -> Project {
    let p = Project::example();
    p.write(".git/HEAD", "ref: refs/heads/main\n");
    let config = p.read(PIPELINE).replace("output = \"dist\"", &format!("output = {value}"));
    p.write(PIPELINE, &config);
    p
}

#[test]
fn an_output_that_is_or_holds_project_files_is_refused() {
    for output in [
        "\"\"",
        "\".\"",
        "\"locales\"",
        "\"locales/es-ES\"",
        "\"articles\"",
        "\"articles/andry-hernandez-romero.txt\"",
        "\"pipelines\"",
        "\".git\"",
        "\".diglot\"",
        "\"dist/..\"",
    ] {
        let p = example_with_output(output);
        let before = p.snapshot("");
        let root = p.path().to_str().unwrap().to_string();
        let run = p.run(&["-C", &root, "build"]);
        assert_eq!(run.code, 2, "output = {output}\n{}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("output"), "output = {output}: {}", run.stderr);
        assert!(p.snapshot("") == before, "output = {output} touched the project");
    }
}

#[test]
fn an_output_symlink_into_the_locales_is_refused() {
    let p = example_with_output("\"published\"");
    std::os::unix::fs::symlink(p.path().join("locales"), p.path().join("published")).unwrap();
    let before = p.snapshot("locales");
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("locales"), "{}", run.stderr);
    assert_eq!(p.snapshot("locales"), before);
    assert!(fs::symlink_metadata(p.path().join("published")).unwrap().is_symlink());
}

#[test]
fn an_output_outside_the_project_is_refused() {
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("keep.txt"), "mine").unwrap();
    let name = elsewhere.path().file_name().unwrap().to_str().unwrap();
    for output in [format!("{:?}", elsewhere.path().to_str().unwrap()), format!("\"../{name}\"")] {
        let p = example_with_output(&output);
        let run = p.run(&["build"]).expect_code(2);
        assert!(run.stderr.contains("inside the project"), "{output}: {}", run.stderr);
        assert_eq!(fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(), "mine");
        let names: Vec<_> =
            fs::read_dir(elsewhere.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["keep.txt"], "{output}");
    }
}

#[test]
fn an_existing_folder_diglot_did_not_make_is_refused() {
    let p = example_with_output("\"site\"");
    p.write("site/notes.txt", "my notes");
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("site") && run.stderr.contains(".diglot-output"), "{}", run.stderr);
    assert_eq!(p.read("site/notes.txt"), "my notes");
}

#[test]
fn the_output_folder_is_marked_and_an_older_unmarked_one_is_adopted() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    assert!(p.exists("dist/.diglot-output"), "the output folder carries diglot's marker");
    // An output folder written by a diglot without the marker holds only
    // report.json and locale folders of index files: it is taken over.
    fs::remove_file(p.path().join("dist/.diglot-output")).unwrap();
    let article = p.read(ARTICLE);
    p.write(ARTICLE, &format!("{article}\nOne more sentence at the end.\n"));
    p.run(&["build", "--min-coverage", "0"]).expect_code(0);
    assert!(p.exists("dist/.diglot-output"));
    // The same folder with a file of its owner's is not.
    fs::remove_file(p.path().join("dist/.diglot-output")).unwrap();
    p.write("dist/es-ES/photo.jpg", "jpeg");
    p.write(ARTICLE, &article);
    p.run(&["build"]).expect_code(2);
    assert_eq!(p.read("dist/es-ES/photo.jpg"), "jpeg");
}

#[test]
fn two_pipelines_with_one_output_are_refused_before_anything_is_written() {
    let p = Project::fixture("markdown");
    p.write("articles/second.md", "# Second\n\nAnother article here.\n");
    p.write(
        "pipelines/second.toml",
        "[article]\nsource = \"articles/second.md\"\n\n[edition]\nlocales = [\"es-ES\"]\n",
    );
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("markdown") && run.stderr.contains("second"), "{}", run.stderr);
    assert!(!p.exists("dist"));
    assert!(!p.exists("locales"), "nothing is written");
    // Building one of them alone would still replace the other's edition.
    p.run(&["build", "second"]).expect_code(2);
    assert!(!p.exists("dist"));
}

#[test]
fn sources_outside_the_project_are_refused_unless_allowed() {
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txt");
    fs::write(&secret, "A private note. It must not be published.\n").unwrap();
    let name = elsewhere.path().file_name().unwrap().to_str().unwrap();
    for source in [format!("{:?}", secret.to_str().unwrap()), format!("\"../{name}/secret.txt\"")] {
        let p = Project::fixture("markdown");
        p.write(
            "pipelines/markdown.toml",
            &format!("[article]\nsource = {source}\n\n[edition]\nlocales = [\"es-ES\"]\n"),
        );
        let run = p.run(&["build"]).expect_code(2);
        assert!(run.stderr.contains("outside the project"), "{source}: {}", run.stderr);
        assert!(!p.exists("dist") && !p.exists("locales"));
    }
    // A symlink inside the project that points out of it is outside too.
    let p = Project::fixture("markdown");
    std::os::unix::fs::symlink(&secret, p.path().join("articles/linked.txt")).unwrap();
    p.write(
        "pipelines/markdown.toml",
        "[article]\nsource = \"articles/linked.txt\"\n\n[edition]\nlocales = [\"es-ES\"]\n",
    );
    p.run(&["build"]).expect_code(2);
    assert!(!p.exists("dist"));
    p.write(
        "pipelines/markdown.toml",
        "[article]\nsource = \"articles/linked.txt\"\nallow_outside_project = true\n\n[edition]\nlocales = [\"es-ES\"]\n",
    );
    p.run(&["build"]).expect_code(0);
    assert!(p.read("dist/en-US/index.html").contains("A private note."));
}

#[test]
fn a_failed_build_keeps_the_previous_output_unless_asked() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let before = p.snapshot("dist");
    let es = p.read(ES);
    let (id, value) = messages(&es)[4].clone();
    p.write(ES, &es.replace(&format!("{id} = {value}\n"), ""));
    let run = p.run(&["build"]).expect_code(1);
    assert!(
        run.stdout.contains("dist/") && run.stdout.contains("--write-on-failure"),
        "{}",
        run.stdout
    );
    assert_eq!(p.snapshot("dist"), before, "a build below the coverage gate publishes nothing");
    // A locale file with errors fails the build the same way.
    p.write(ES, &format!("{es}\nbroken = {{\n"));
    p.run(&["build"]).expect_code(1);
    assert_eq!(p.snapshot("dist"), before);
    // --write-on-failure publishes what there is, and still fails.
    p.write(ES, &es.replace(&format!("{id} = {value}\n"), ""));
    p.run(&["build", "--write-on-failure"]).expect_code(1);
    assert_ne!(p.snapshot("dist"), before);
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    let es = report["locales"].as_array().unwrap().iter().find(|l| l["locale"] == "es-ES").unwrap();
    assert_eq!(es["missing"][0]["id"], id.as_str());
}

/// Changes a sentence of the article, so that its Spanish translation
/// becomes stale and the Spanish locale file is rewritten.
fn edit_a_sentence(p: &Project) {
    let article = p.read(ARTICLE);
    let edited = article.replacen("There was no television", "There was no radio", 1);
    assert_ne!(edited, article);
    p.write(ARTICLE, &edited);
}

fn mode(p: &Project, rel: &str) -> u32 {
    fs::metadata(p.path().join(rel)).unwrap().permissions().mode() & 0o777
}

#[test]
fn rewritten_files_keep_their_mode_and_new_ones_follow_the_umask() {
    let p = Project::example();
    fs::set_permissions(p.path().join(ES), fs::Permissions::from_mode(0o664)).unwrap();
    edit_a_sentence(&p);
    let run = p.run_with_umask(0o022, &["build", "--min-coverage", "0"]).expect_code(0);
    assert!(run.stdout.contains(&format!("wrote {ES}")), "{}", run.stdout);
    assert_eq!(mode(&p, ES), 0o664);
    assert_eq!(mode(&p, "dist/es-ES/index.html"), 0o644);
    assert_eq!(mode(&p, "dist"), 0o755);

    let p = Project::fixture("markdown");
    p.run_with_umask(0o002, &["build"]).expect_code(0);
    assert_eq!(mode(&p, "locales/es-ES/markdown.ftl"), 0o664);
    assert_eq!(mode(&p, "dist/report.json"), 0o664);
    assert_eq!(mode(&p, "dist/es-ES"), 0o775);
}

#[test]
fn a_symlinked_locale_file_is_written_through() {
    let p = Project::example();
    p.write("shared/es.ftl", &p.read(ES));
    fs::remove_file(p.path().join(ES)).unwrap();
    std::os::unix::fs::symlink("../../shared/es.ftl", p.path().join(ES)).unwrap();
    edit_a_sentence(&p);
    p.run(&["extract"]).expect_code(0);
    assert!(fs::symlink_metadata(p.path().join(ES)).unwrap().is_symlink(), "still a link");
    assert!(p.read("shared/es.ftl").contains("# stale, source was:"), "written through");
}

#[test]
fn leftovers_of_an_interrupted_run_are_cleaned_up() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    p.write(".diglot-out-4000000-abc/es-ES/index.html", "half");
    p.write(".diglot-old-4000000-dist/report.json", "{}");
    p.write("locales/es-ES/.diglot-4000000-7.tmp", "half");
    p.write("locales/es-ES/.diglot-Ab3xYz.tmp", "half");
    p.run(&["build"]).expect_code(0);
    let left: Vec<String> = p
        .snapshot("")
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.contains(".diglot-") && !rel.ends_with(".diglot-output"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(p.exists(".diglot/lock"), "writing commands take the project's lock");
}

#[test]
fn overlapping_builds_both_succeed_and_leave_one_output() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let before = p.snapshot("dist");
    let article = p.read(ARTICLE);
    for round in 0..3 {
        p.write(ARTICLE, &format!("{article}\nRound {round} adds this sentence.\n"));
        let a = p.spawn(&["build", "--min-coverage", "0"]);
        let b = p.spawn(&["build", "--min-coverage", "0"]);
        a.finish().expect_code(0);
        b.finish().expect_code(0);
    }
    let names: Vec<String> = fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with(".diglot-")), "{names:?}");
    assert_ne!(p.snapshot("dist"), before);
}

#[test]
fn a_command_that_writes_waits_for_the_one_holding_the_lock() {
    let p = Project::example();
    p.write(".diglot/lock", "");
    let lock = fs::File::options().write(true).open(p.path().join(".diglot/lock")).unwrap();
    lock.lock().unwrap();
    let build = p.spawn(&["build"]);
    // Long enough for an unlocked build of the example to finish.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(!p.exists("dist"), "the build waits while another command holds the lock");
    lock.unlock().unwrap();
    let run = build.finish().expect_code(0);
    assert!(run.stderr.contains("waiting for another diglot command"), "{}", run.stderr);
    assert!(p.exists("dist/report.json"));
    // Commands that only read do not wait.
    lock.lock().unwrap();
    p.run(&["status"]).expect_code(0);
    p.run(&["extract", "--check"]).expect_code(0);
}

#[test]
fn a_file_added_to_the_output_folder_is_never_deleted() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    p.write("dist/es-ES/notes.txt", "mine\n");
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("es-ES/notes.txt"), "{}", run.stderr);
    assert_eq!(p.read("dist/es-ES/notes.txt"), "mine\n");
    // Once it is moved away, builds go on.
    std::fs::remove_file(p.path().join("dist/es-ES/notes.txt")).unwrap();
    p.run(&["build"]).expect_code(0);
}
