//! The translate step tells the truth: it writes nothing when asked to
//! write nothing, exits 1 when a provider left sentences untranslated, and
//! counts and explains what it did.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use std::sync::Arc;
use std::time::Duration;

use diglot_tests::mock::{MockService, Served};
use diglot_tests::mock_server::Reply;
use diglot_tests::{Project, messages};

const ES: &str = "locales/es-ES/translate.ftl";

/// The fixture project with these `[[translate.providers]]` tables.
fn project(providers: &str) -> Project {
    let p = Project::fixture("translate");
    let toml = p.read("pipelines/translate.toml") + providers;
    p.write("pipelines/translate.toml", &toml);
    p
}

fn libre(url: &str) -> String {
    format!(
        "\n[[translate.providers]]\nkind = \"libretranslate\"\nurl = \"{url}\"\ntimeout_secs = 5\n"
    )
}

/// Asserts that the files below `.diglot` are as they were, naming them if not.
#[track_caller]
fn assert_memory_unchanged(p: &Project, before: &[(String, Vec<u8>)], command: &str) {
    let after = p.snapshot(".diglot");
    let paths: Vec<&str> = after.iter().map(|(p, _)| p.as_str()).collect();
    assert!(after == before, "{command} changed the memory: {paths:?}");
}

fn prefixing() -> MockService {
    MockService::start(|t| format!("ES {t}"), Duration::ZERO)
}

#[test]
fn dry_run_eval_and_export_leave_an_existing_memory_untouched() {
    let service = prefixing();
    let p = project(&libre(&service.url));
    p.run(&["translate", "--locale", "es-ES"]).expect_code(0);
    // A reviewed translation the memory does not hold yet.
    p.run(&["extract"]).expect_code(0);
    let es = p.read(ES);
    let accepted: String = es
        .lines()
        .filter(|l| !l.starts_with("# unreviewed:"))
        .map(|l| l.to_string() + "\n")
        .collect();
    p.write(ES, &accepted);
    let before = p.snapshot(".diglot");
    assert!(!before.is_empty());
    p.run(&["translate", "--dry-run"]).expect_code(0);
    assert_memory_unchanged(&p, &before, "translate --dry-run");
    p.run(&["eval", "--locale", "es-ES"]).expect_code(0);
    assert_memory_unchanged(&p, &before, "eval");
    let run = p.run(&["memory", "export", "--locale", "es-ES"]).expect_code(0);
    assert_eq!(run.stdout.matches("<tu>").count(), messages(&accepted).len(), "{}", run.stdout);
    assert_memory_unchanged(&p, &before, "memory export");
}

#[test]
fn eval_and_export_create_no_memory() {
    let service = prefixing();
    let p = project(&libre(&service.url));
    p.run(&["extract"]).expect_code(0);
    let en = p.read("locales/en-US/translate.ftl");
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == "The house is red").unwrap();
    p.write(ES, &format!("{id} = La casa es roja\n"));
    p.run(&["eval", "--locale", "es-ES"]).expect_code(0);
    let run = p.run(&["memory", "export", "--locale", "es-ES"]).expect_code(0);
    assert!(run.stdout.contains("<seg>La casa es roja</seg>"), "{}", run.stdout);
    // (`extract` left its lock file in .diglot/; no memory is there.)
    assert!(!p.exists(".diglot/memory.sqlite"), "eval and export created a memory");
}

/// Sets `[translate]` keys (`max_retries = 0`...).
fn set_translate(p: &Project, keys: &str) {
    let toml = p
        .read("pipelines/translate.toml")
        .replace("[translate]\n", &format!("[translate]\n{keys}\n"));
    p.write("pipelines/translate.toml", &toml);
}

#[test]
fn a_provider_that_fails_a_two_batch_job_exits_1_with_or_without_json() {
    // Two batches (the headline goes alone): too few to open the breaker.
    let broken = prefixing();
    broken.fail_with(503);
    let p = project(&libre(&broken.url));
    set_translate(&p, "max_retries = 0");
    let run = p.run(&["translate"]).expect_code(1);
    assert!(run.stderr.contains("error: libretranslate:"), "{}", run.stderr);
    assert!(run.stderr.contains("503"), "{}", run.stderr);
    let run = p.run(&["translate", "--json"]).expect_code(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report[0]["fill"]["providers"][0]["failures"], 2, "{}", run.stdout);
    assert!(run.stderr.contains("error: libretranslate:"), "{}", run.stderr);
}

#[test]
fn a_provider_that_times_out_exits_1() {
    let slow = MockService::start(|t| format!("ES {t}"), Duration::from_millis(2500));
    let p = project(&format!(
        "\n[[translate.providers]]\nkind = \"libretranslate\"\nurl = \"{}\"\ntimeout_secs = 1\n",
        slow.url
    ));
    set_translate(&p, "max_retries = 0");
    let run = p.run(&["translate"]).expect_code(1);
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);
}

#[test]
fn a_provider_that_fails_but_is_made_up_for_exits_0() {
    let broken = prefixing();
    broken.fail_with(503);
    let p = project(&(libre(&broken.url) + "\n[[translate.providers]]\nkind = \"pseudo\"\n"));
    set_translate(&p, "max_retries = 0");
    let run = p.run(&["translate", "--json"]).expect_code(0);
    assert!(!run.stderr.contains("error:"), "{}", run.stderr);
}

#[test]
fn characters_sent_count_only_requests_that_reached_the_provider() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let missing =
        "\n[[translate.providers]]\nkind = \"apertium\"\ncommand = \"/nonexistent/apertium\"\n";
    for providers in [libre(&closed), missing.to_string()] {
        let p = project(&providers);
        let run = p.run(&["translate", "--json"]).expect_code(1);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let stats = &report[0]["fill"]["providers"][0];
        assert_eq!(stats["characters_sent"], 0, "{stats}");
        assert_eq!(stats["segments_sent"], 0, "{stats}");
    }
}

#[test]
fn a_breaker_opened_once_stays_open_across_locales_and_pipelines() {
    let broken = prefixing();
    broken.fail_with(503);
    let p = project(&format!(
        "\n[[translate.providers]]\nkind = \"libretranslate\"\nurl = \"{}\"\nmax_texts = 1\nconcurrency = 1\n",
        broken.url
    ));
    set_translate(&p, "max_retries = 1\nbackoff_ms = 1");
    let toml = p
        .read("pipelines/translate.toml")
        .replace("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"fr-FR\", \"de-DE\"]");
    p.write("pipelines/translate.toml", &toml);
    p.write("pipelines/second.toml", &toml);
    let run = p.run(&["translate"]).expect_code(1);
    // Three failed batches of two attempts each open the breaker.
    assert_eq!(broken.requests().len(), 6, "{}", run.stdout);
    assert_eq!(run.stderr.matches("error: libretranslate").count(), 1, "{}", run.stderr);

    let refused = prefixing();
    refused.fail_with(403);
    let p = project(&libre(&refused.url));
    let toml = p
        .read("pipelines/translate.toml")
        .replace("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"fr-FR\", \"de-DE\"]");
    p.write("pipelines/translate.toml", &toml);
    p.write("pipelines/second.toml", &toml);
    p.run(&["translate"]).expect_code(1);
    assert!(refused.requests().len() <= 2, "one per batch in flight: {:?}", refused.requests());
}

#[test]
fn rejected_drafts_say_why_and_are_not_cached() {
    // This service drops digits: two sentences have numbers.
    let service =
        MockService::start(|t| t.chars().filter(|c| !c.is_ascii_digit()).collect(), Duration::ZERO);
    let p = project(&libre(&service.url));
    let run = p.run(&["translate"]).expect_code(0);
    assert!(run.stdout.contains("2 rejected (number: 2)"), "{}", run.stdout);

    let run = p.run(&["translate", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let fill = &report[0]["fill"];
    assert_eq!(fill["providers"][0]["cache_hits"], 0, "a rejected answer is not a cache hit");
    assert_eq!(fill["providers"][0]["segments_sent"], 2, "it is asked again");
    assert_eq!(fill["providers"][0]["rejections"]["number"], 2, "{fill}");
    let rejected = fill["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2, "{fill}");
    assert_eq!(rejected[0]["reason"], "number");
    assert_eq!(rejected[0]["origin"], "libretranslate");
    assert!(rejected[0]["message"].as_str().unwrap().contains("numbers differ"), "{fill}");
    let id = rejected[0]["id"].as_str().unwrap();
    assert!(p.read("locales/en-US/translate.ftl").contains(&format!("{id} = ")), "{id}");

    let toml = p
        .read("pipelines/translate.toml")
        .replace("[translate]\n", "[translate]\nin_build = true\n");
    p.write("pipelines/translate.toml", &toml);
    p.run(&["build"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    assert_eq!(report["translation"][0]["fill"]["rejected"][0]["reason"], "number", "{report}");
}

#[test]
fn control_characters_from_a_provider_never_reach_a_locale_file() {
    let service = MockService::start(|t| format!("\u{1b}[2J\u{202e}{t}\u{7}"), Duration::ZERO);
    let p = project(&libre(&service.url));
    let run = p.run(&["translate"]).expect_code(0);
    assert!(run.stdout.contains("5 rejected (control: 5)"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}') && !run.stderr.contains('\u{1b}'), "{run:?}");
    let es = p.read(ES);
    assert!(!es.contains('\u{1b}') && !es.contains('\u{202e}') && !es.contains('\u{7}'), "{es:?}");
}

#[test]
fn provider_error_bodies_cannot_drive_the_terminal() {
    // Whatever was asked, a 500 whose body is terminal escapes.
    let server = Served::start(Arc::new(|_| {
        Reply::text(500, "\u{1b}[2J\u{1b}]0;owned\u{7}cleared your screen")
            .header("content-type", "text/plain")
    }));
    let p = project(&libre(&server.url));
    set_translate(&p, "max_retries = 0");
    for args in [&["translate"][..], &["translate", "--json"]] {
        let run = p.run(args).expect_code(1);
        assert!(run.stderr.contains("cleared your screen"), "{run:?}");
        for out in [&run.stdout, &run.stderr] {
            assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        }
    }
}

#[test]
fn a_damaged_memory_says_to_delete_the_diglot_folder() {
    let p = project("\n[[translate.providers]]\nkind = \"pseudo\"\n");
    p.write(".diglot/memory.sqlite", &"not a database at all. ".repeat(100));
    let run = p.run(&["translate"]).expect_code(2);
    assert!(run.stderr.contains("delete the folder .diglot/"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("memory.sqlite").count(), 1, "{}", run.stderr);
}

#[test]
fn drafts_flagged_for_the_glossary_are_counted() {
    let service = MockService::start(|t| t.replace("CECOT", "Centro"), Duration::ZERO);
    // CECOT must stay as it is, and "library" is "biblioteca": three drafts
    // break one of those.
    let p = project(&libre(&service.url));
    let run = p.run(&["translate"]).expect_code(0);
    assert!(run.stdout.contains("5 drafts (3 flagged: glossary)"), "{}", run.stdout);
    let p = project(&libre(&service.url));
    let run = p.run(&["translate", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report[0]["fill"]["providers"][0]["glossary_flagged"], 3, "{}", run.stdout);
}

#[test]
fn a_breaker_opened_in_one_build_stays_open_for_the_next_pipeline() {
    let broken = prefixing();
    broken.fail_with(503);
    let p = project(&format!(
        "\n[[translate.providers]]\nkind = \"libretranslate\"\nurl = \"{}\"\nmax_texts = 1\nconcurrency = 1\n",
        broken.url
    ));
    set_translate(&p, "max_retries = 1\nbackoff_ms = 1\nin_build = true");
    let toml = p.read("pipelines/translate.toml");
    p.write(
        "pipelines/second.toml",
        &toml.replace("[edition]\n", "[edition]\noutput = \"dist2\"\n"),
    );
    let run = p.run(&["build"]).expect_code(1);
    assert_eq!(broken.requests().len(), 6, "{}", run.stdout);
}
