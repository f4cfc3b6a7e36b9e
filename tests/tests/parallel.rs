//! A build does independent work (each target locale, each edition) on
//! several threads; the files it writes must not depend on how many.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, diglot_bin};

const PIPELINE: &str = "pipelines/andry-hernandez-romero.toml";

/// The example with four target locales, built with `DIGLOT_JOBS=jobs`:
/// the output folder and the locale files.
fn build(jobs: &str) -> Vec<(String, Vec<u8>)> {
    let p = Project::example();
    let pipeline = p
        .read(PIPELINE)
        .replace("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"en-GB\", \"es-MX\", \"fr-FR\"]");
    p.write(PIPELINE, &pipeline.replace("min_coverage = 100", "min_coverage = 0"));
    let out = std::process::Command::new(diglot_bin())
        .arg("build")
        .current_dir(p.path())
        .env("NO_COLOR", "1")
        .env("DIGLOT_JOBS", jobs)
        .output()
        .expect("diglot runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut files = p.snapshot("dist");
    files.extend(
        p.snapshot("locales").into_iter().map(|(rel, bytes)| (format!("locales/{rel}"), bytes)),
    );
    files
}

#[test]
fn one_thread_and_several_write_the_same_bytes() {
    let one = build("1");
    assert!(one.iter().any(|(rel, _)| rel == "fr-FR/index.html"), "every target built");
    assert_eq!(build("4"), one);
    assert_eq!(build("2"), one);
}
