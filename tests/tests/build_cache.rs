//! The build cache (`.diglot/build/`): a build with nothing changed returns
//! the recorded outcome; a change to any input, to the output folder or to
//! the gate options is seen by the next build.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::Project;

const ARTICLE: &str = "articles/andry-hernandez-romero.txt";
const PIPELINE: &str = "pipelines/andry-hernandez-romero.toml";
const ES: &str = "locales/es-ES/andry-hernandez-romero.ftl";
const EN: &str = "locales/en-US/andry-hernandez-romero.ftl";

/// The example, built twice: the second build is the one that may be
/// answered from the cache.
fn built() -> Project {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let again = p.run(&["build"]).expect_code(0);
    assert!(again.stdout.contains("unchanged dist/"), "{}", again.stdout);
    assert!(p.exists(".diglot/build"), "the build was recorded");
    p
}

fn replace(p: &Project, rel: &str, from: &str, to: &str) {
    let text = p.read(rel);
    assert!(text.contains(from), "{rel} holds {from:?}");
    p.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn a_rebuild_with_nothing_changed_reports_what_the_build_did() {
    let p = Project::example();
    let first = p.run(&["build"]).expect_code(0);
    let before = p.snapshot("dist");
    let second = p.run(&["build"]).expect_code(0);
    let third = p.run(&["build"]).expect_code(0);
    assert_eq!(p.snapshot("dist"), before);
    assert!(first.stdout.contains("wrote dist/"), "{}", first.stdout);
    fn coverage(s: &str) -> Vec<&str> {
        s.lines().filter(|l| l.contains("translated")).collect()
    }
    assert_eq!(coverage(&second.stdout), coverage(&first.stdout));
    assert_eq!(third.stdout, second.stdout);
    assert_eq!(third.stderr, second.stderr);
}

#[test]
fn an_edited_translation_is_published() {
    let p = built();
    replace(&p, ES, "con camisetas que mostraban", "con camisetas que llevaban");
    p.run(&["build"]).expect_code(0);
    assert!(p.read("dist/es-ES/index.html").contains("con camisetas que llevaban"));
}

#[test]
fn an_edited_article_is_published() {
    let p = built();
    replace(&p, ARTICLE, "Italian food", "Italian cooking");
    let run = p.run(&["build", "--min-coverage", "0"]).expect_code(0);
    assert!(run.stdout.contains(&format!("wrote {ES}")), "{}", run.stdout);
    assert!(p.read("dist/en-US/index.html").contains("Italian cooking"));
    assert!(p.read(EN).contains("Italian cooking"));
}

#[test]
fn an_edited_pipeline_file_is_published() {
    let p = built();
    replace(&p, PIPELINE, "diglot example desk", "the night desk");
    p.run(&["build"]).expect_code(0);
    assert!(p.read("dist/en-US/index.html").contains("the night desk"));
}

#[test]
fn edited_edition_strings_are_published() {
    let p = built();
    replace(&p, "locales/es-ES/edition.ftl", "Publicado el", "Publicado el día");
    p.run(&["build"]).expect_code(0);
    assert!(p.read("dist/es-ES/index.html").contains("Publicado el día"));
}

#[test]
fn a_new_edition_file_is_read() {
    // en-US strings come from the built-in file when the project has none:
    // a new file must be seen.
    let p = built();
    let en = p.read("locales/en-US/edition.ftl");
    std::fs::remove_file(p.path().join("locales/en-US/edition.ftl")).unwrap();
    p.run(&["build"]).expect_code(0);
    p.run(&["build"]).expect_code(0);
    p.write("locales/en-US/edition.ftl", &en.replacen("By {", "Written by {", 1));
    assert!(p.read("locales/en-US/edition.ftl").contains("Written by {"));
    p.run(&["build"]).expect_code(0);
    assert!(p.read("dist/en-US/index.html").contains("Written by"));
}

#[test]
fn a_broken_locale_file_fails_the_rebuild() {
    let p = built();
    replace(&p, ES, "con camisetas que mostraban", "con camisetas { que mostraban");
    let run = p.run(&["build"]).expect_code(1);
    assert!(run.stderr.contains("es-ES"), "{}", run.stderr);
}

#[test]
fn a_stricter_gate_is_checked() {
    let p = built();
    // Leave one sentence untranslated: 100% is the pipeline's gate, so the
    // build fails; with a gate of 0 it passes, and the next run with the
    // default gate must fail again, not reuse the passing one.
    let es = p.read(ES);
    let line = es.lines().find(|l| l.starts_with("at-the-heart-of-it-")).unwrap().to_string();
    p.write(ES, &es.replace(&line, &format!("# {}", line.split(" =").next().unwrap())));
    p.run(&["build", "--min-coverage", "0"]).expect_code(0);
    p.run(&["build", "--min-coverage", "0"]).expect_code(0);
    p.run(&["build"]).expect_code(1);
}

#[test]
fn a_changed_output_folder_is_rebuilt() {
    let p = built();
    let before = p.snapshot("dist");
    // Same size, different bytes.
    replace(&p, "dist/es-ES/index.html", "<html", "<HTML");
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("wrote dist/"), "{}", run.stdout);
    assert_eq!(p.snapshot("dist"), before);

    std::fs::remove_file(p.path().join("dist/es-ES/index.md")).unwrap();
    p.run(&["build"]).expect_code(0);
    assert_eq!(p.snapshot("dist"), before);

    // An added file is seen too: not served from the cache, and not
    // deleted either (it is not diglot's), so the build stops.
    p.write("dist/es-ES/extra.html", "not diglot's");
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("es-ES/extra.html"), "{}", run.stderr);
    assert_eq!(p.read("dist/es-ES/extra.html"), "not diglot's");
    std::fs::remove_file(p.path().join("dist/es-ES/extra.html")).unwrap();
    p.run(&["build"]).expect_code(0);
    assert_eq!(p.snapshot("dist"), before);

    std::fs::remove_dir_all(p.path().join("dist")).unwrap();
    p.run(&["build"]).expect_code(0);
    assert_eq!(p.snapshot("dist"), before);
}

/// Output files older than a few seconds are checked by their metadata
/// alone: a change that keeps the size and the modification time is seen
/// all the same (by the change time, which no program can set back).
#[test]
fn a_changed_settled_output_file_is_rebuilt() {
    let p = built();
    let before = p.snapshot("dist");
    std::thread::sleep(std::time::Duration::from_millis(3000));
    // Records the files' settled metadata.
    p.run(&["build"]).expect_code(0);
    let path = p.path().join("dist/es-ES/index.html");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    replace(&p, "dist/es-ES/index.html", "<html", "<HTML");
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(mtime).unwrap();
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("wrote dist/"), "{}", run.stdout);
    assert_eq!(p.snapshot("dist"), before);
}

/// A rebuild after one translation changed rewrites the files that show it
/// and leaves the others as they were: same inode, same modification time.
#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_the_files_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let p = built();
    let before = p.snapshot("dist");
    let meta = |rel: &str| std::fs::metadata(p.path().join("dist").join(rel)).unwrap();
    let stamp = |rel: &str| (meta(rel).ino(), meta(rel).modified().unwrap());
    let stamps: Vec<_> = before.iter().map(|(rel, _)| (rel.clone(), stamp(rel))).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    replace(&p, ES, "con camisetas que mostraban", "con camisetas que llevaban");
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("wrote dist/"), "{}", run.stdout);
    let after = p.snapshot("dist");
    let mut kept = 0;
    for ((rel, old), (_, new)) in before.iter().zip(&after) {
        let was = &stamps.iter().find(|(r, _)| r == rel).unwrap().1;
        if old == new {
            assert_eq!(&stamp(rel), was, "{rel} is unchanged and was not rewritten");
            kept += 1;
        } else {
            assert_ne!(stamp(rel).0, was.0, "{rel} changed");
        }
    }
    assert!(p.read("dist/es-ES/index.html").contains("con camisetas que llevaban"));
    assert!(kept >= 3 && kept < before.len(), "{kept} of {} files kept", before.len());
    assert!(after.iter().any(|(rel, _)| rel.starts_with("en-US/")));
    assert_eq!(
        before.iter().map(|(r, _)| r).collect::<Vec<_>>(),
        after.iter().map(|(r, _)| r).collect::<Vec<_>>()
    );
}
