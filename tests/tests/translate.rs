//! The translate step end to end: the real binary, real Apertium, and a
//! local service speaking LibreTranslate's protocol.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use std::time::Duration;

use diglot_tests::mock::MockService;
use diglot_tests::{Project, comments_of, messages};

const ES: &str = "locales/es-ES/translate.ftl";
const ARTICLE: &str = "articles/translate.txt";

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

/// A service that "translates" by prefixing `ES `, keeping markup and numbers.
fn prefixing() -> MockService {
    MockService::start(|t| format!("ES {t}"), Duration::ZERO)
}

fn unreviewed(ftl: &str) -> usize {
    ftl.matches("\n# unreviewed:").count()
}

#[test]
fn apertium_fills_missing_segments_with_unreviewed_drafts() {
    let p = project("\n[[translate.providers]]\nkind = \"apertium\"\n");
    let run = p.run(&["translate"]).expect_code(0);
    assert!(run.stdout.contains("apertium: 5 segments"), "{}", run.stdout);
    let es = p.read(ES);
    assert_eq!(unreviewed(&es), 5, "{es}");
    assert!(es.contains("# unreviewed: apertium"));
    let values: String = messages(&es).into_iter().map(|(_, v)| v + "\n").collect();
    assert!(values.contains("casa"), "Apertium translated 'house': {values}");
    assert!(values.contains("252"), "numbers survive: {values}");

    // Drafts are published, labelled, but not accepted as reviewed: a build
    // that requires review fails (and publishes only when asked to).
    p.run(&["build", "--require-reviewed"]).expect_code(1);
    assert!(!p.exists("dist"));
    p.run(&["build", "--require-reviewed", "--write-on-failure"]).expect_code(1);
    let html = p.read("dist/es-ES/index.html");
    assert!(html.contains("unreviewed"), "drafts are labelled in the page");

    // A translator accepts every draft by deleting the markers.
    let accepted: String = es
        .lines()
        .filter(|l| !l.starts_with("# unreviewed:") && !l.starts_with("# check:"))
        .map(|l| l.to_string() + "\n")
        .collect();
    p.write(ES, &accepted);
    p.run(&["build", "--require-reviewed", "--min-coverage", "100"]).expect_code(0);
}

#[test]
fn only_what_changed_is_sent_and_never_twice() {
    let service = prefixing();
    let p = project(&libre(&service.url));
    p.run(&["translate"]).expect_code(0);
    assert_eq!(service.requests().iter().flatten().count(), 5);

    // Nothing left to do: nothing sent.
    let before = service.characters();
    p.run(&["translate"]).expect_code(0);
    assert_eq!(service.characters(), before);

    // Edit one sentence: exactly that sentence's characters are sent.
    let edited = "The city has a new public library.";
    p.write(ARTICLE, &p.read(ARTICLE).replace("The city has a new library.", edited));
    let run = p.run(&["translate"]).expect_code(0);
    let sent: Vec<String> = service.requests().into_iter().flatten().collect();
    assert_eq!(sent.last().unwrap(), edited);
    assert_eq!(service.characters() - before, edited.chars().count(), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("1 segments and {} characters sent", edited.chars().count())),
        "{}",
        run.stdout
    );

    // Losing the locale file costs nothing: every answer is cached.
    std::fs::remove_file(p.path().join(ES)).unwrap();
    let paid = service.characters();
    let run = p.run(&["translate"]).expect_code(0);
    assert_eq!(service.characters(), paid, "{}", run.stdout);
    assert!(run.stdout.contains("5 cache hits"), "{}", run.stdout);
    assert_eq!(unreviewed(&p.read(ES)), 5);
}

#[test]
fn dry_run_lists_what_would_be_sent_and_sends_nothing() {
    let service = prefixing();
    let p = project(&libre(&service.url));
    let before = p.snapshot("");
    let run = p.run(&["translate", "--dry-run"]).expect_code(0);
    assert!(service.requests().is_empty());
    assert!(run.stdout.contains("libretranslate would get 5 segments"), "{}", run.stdout);
    let total: usize = [
        "The house is red",
        "The house is red and the garden is green.",
        "The city has a new library.",
    ]
    .iter()
    .map(|s| s.chars().count())
    .sum::<usize>()
        + "The prison known as CECOT held 252 men for four months.".chars().count()
        + "The library opens at 9 in the morning.".chars().count();
    assert!(run.stdout.contains(&format!("{total} characters")), "{}", run.stdout);
    let after = p.snapshot("");
    let paths = |s: &[(String, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert!(after == before, "a dry run writes nothing, not even the memory: {:?}", paths(&after));
}

#[test]
fn a_failing_provider_falls_through_to_the_next() {
    let broken = prefixing();
    broken.fail_with(503);
    let p = project(&(libre(&broken.url) + "\n[[translate.providers]]\nkind = \"pseudo\"\n"));
    let toml = p
        .read("pipelines/translate.toml")
        .replace("[translate]\n", "[translate]\nmax_retries = 2\nbackoff_ms = 5\n");
    p.write("pipelines/translate.toml", &toml);
    let run = p.run(&["translate", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let providers = &report[0]["fill"]["providers"];
    assert_eq!(providers[0]["name"], "libretranslate");
    // Two batches (the headline goes alone), each tried 1 + 2 times.
    assert_eq!(providers[0]["requests"], 6, "5xx is retried, a bounded number of times");
    assert_eq!(providers[0]["retries"], 4);
    assert_eq!(providers[0]["failures"], 2);
    assert!(providers[0]["last_error"].as_str().unwrap().contains("503"), "{providers}");
    assert_eq!(providers[1]["drafts"], 5);
    assert!(p.read(ES).contains("# unreviewed: pseudo"));
}

#[test]
fn markup_and_number_damage_is_rejected() {
    // This service drops numbers: its drafts must not reach the file.
    let service =
        MockService::start(|t| t.chars().filter(|c| !c.is_ascii_digit()).collect(), Duration::ZERO);
    let p = project(&libre(&service.url));
    let run = p.run(&["translate", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report[0]["fill"]["providers"][0]["rejected"], 2, "{}", run.stdout);
    let es = p.read(ES);
    assert!(!es.contains("held  men"), "{es}");
    assert_eq!(unreviewed(&es), 3);
}

#[test]
fn glossary_violations_are_flagged_on_the_draft() {
    let service = MockService::start(
        |t| t.replace("CECOT", "Centro").replace("library", "librería"),
        Duration::ZERO,
    );
    let p = project(&libre(&service.url));
    p.run(&["translate"]).expect_code(0);
    let es = p.read(ES);
    let (id, _) = messages(&es).into_iter().find(|(_, v)| v.contains("Centro")).unwrap();
    let comments = comments_of(&es, &id);
    assert!(
        comments.iter().any(|c| c.starts_with("# check: glossary") && c.contains("CECOT")),
        "{comments:?}"
    );
}

#[test]
fn translation_memory_drafts_come_first() {
    let service = prefixing();
    let p = project(&libre(&service.url));
    // A reviewed translation of one sentence, from an earlier article.
    p.write(
        "memories/old.tmx",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en-US" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en-US"><seg>The city has a new library.</seg></tuv><tuv xml:lang="es-ES"><seg>La ciudad tiene una biblioteca nueva.</seg></tuv></tu>
<tu><tuv xml:lang="en-US"><seg>The house is red and the garden is blue.</seg></tuv><tuv xml:lang="es-ES"><seg>La casa es roja y el jardín es azul.</seg></tuv></tu>
</body></tmx>
"#,
    );
    let toml = p
        .read("pipelines/translate.toml")
        .replace("[translate]\n", "[translate]\ntmx = [\"memories/old.tmx\"]\n");
    p.write("pipelines/translate.toml", &toml);
    let run = p.run(&["translate"]).expect_code(0);
    let es = p.read(ES);
    assert!(es.contains("# unreviewed: memory 100%\n"), "{es}");
    assert!(es.contains("La ciudad tiene una biblioteca nueva."));
    assert_eq!(es.matches("# unreviewed: memory ").count(), 2, "one exact, one fuzzy match:\n{es}");
    assert!(
        es.contains("La casa es roja y el jardín es azul."),
        "the fuzzy match is a draft to edit"
    );
    assert_eq!(service.requests().iter().flatten().count(), 3, "{}", run.stdout);
}

#[test]
fn unconfigured_and_missing_providers_say_what_to_do() {
    let p = project(
        "\n[[translate.providers]]\nkind = \"deepl\"\nauth_key_env = \"DIGLOT_TEST_NO_SUCH_KEY\"\n",
    );
    let run = p.run(&["translate"]).expect_code(2);
    assert!(run.stderr.contains("DIGLOT_TEST_NO_SUCH_KEY"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "one line: {}", run.stderr);

    let p = project(
        "\n[[translate.providers]]\nkind = \"apertium\"\ncommand = \"/nonexistent/apertium\"\n",
    );
    let run = p.run(&["translate"]).expect_code(1);
    assert!(
        run.stderr
            .contains("apertium not found: install apertium-eng-spa or choose another provider"),
        "{}",
        run.stderr
    );
}

#[test]
fn interrupting_keeps_files_whole_and_a_rerun_goes_on() {
    let service = MockService::start(|t| format!("ES {t}"), Duration::from_millis(700));
    let p = project(&format!(
        "\n[[translate.providers]]\nkind = \"libretranslate\"\nurl = \"{}\"\nmax_texts = 1\nconcurrency = 1\n",
        service.url
    ));
    let child = std::process::Command::new(diglot_tests::diglot_bin())
        .arg("translate")
        .current_dir(p.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until two requests have gone out, then press Ctrl-C.
    let start = std::time::Instant::now();
    while service.requests().len() < 2 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    let sent_before = service.requests().len();
    assert!(sent_before < 5);

    // The file is whole (it parses, no temporary files remain) and keeps the
    // drafts that were finished.
    let es = p.read(ES);
    p.run(&["status"]).expect_code(0);
    let done = unreviewed(&es);
    assert!(std::fs::read_dir(p.path().join("locales/es-ES")).unwrap().count() == 1);

    // The re-run sends only what is left.
    p.run(&["translate"]).expect_code(0);
    assert_eq!(unreviewed(&p.read(ES)), 5);
    let resent = service.requests().len() - sent_before;
    assert!(resent <= 5 - done, "re-sent {resent}, {done} were done before");
}

#[test]
fn eval_scores_a_provider_against_reviewed_translations() {
    // A service that answers with the reviewed translation scores 100.
    let service = MockService::start(
        |t| match t {
            "The house is red" => "La casa es roja".into(),
            other => format!("ES {other}"),
        },
        Duration::ZERO,
    );
    let p = project(&libre(&service.url));
    p.run(&["extract"]).expect_code(0);
    let en = p.read("locales/en-US/translate.ftl");
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == "The house is red").unwrap();
    p.write(ES, &format!("{id} = La casa es roja\n"));
    let run = p.run(&["eval", "--locale", "es-ES", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let result = &report[0]["results"][0];
    assert_eq!(result["provider"], "libretranslate");
    assert_eq!(result["segments"], 1);
    assert!((result["chrf"].as_f64().unwrap() - 100.0).abs() < 1e-9, "{result}");
    assert!((result["bleu"].as_f64().unwrap() - 100.0).abs() < 1e-9, "{result}");
}

#[test]
fn memory_exports_and_imports_tmx() {
    let p = Project::example();
    let run = p.run(&["memory", "export", "--locale", "es-ES"]).expect_code(0);
    assert_eq!(run.stdout.matches("<tu>").count(), 68, "one unit per reviewed translation");
    assert!(run.stdout.contains("<seg>De California a Texas y de ahí al CECOT</seg>"));
    let again = p.run(&["memory", "export", "--locale", "es-ES"]).expect_code(0);
    assert_eq!(again.stdout, run.stdout, "exports are deterministic");

    // A project with no pipeline yet still has a memory.
    let q = Project::empty();
    std::fs::create_dir(q.path().join("pipelines")).unwrap();
    q.write("example.tmx", &run.stdout);
    let imported = q.run(&["memory", "import", "example.tmx"]).expect_code(0);
    assert_eq!(imported.stdout, "en-US->es-ES: 68 imported\n");
    q.write("broken.tmx", "<tmx><body><tu>");
    let err = q.run(&["memory", "import", "broken.tmx"]).expect_code(2);
    assert!(err.stderr.contains("broken.tmx"), "{}", err.stderr);
}

#[test]
fn a_build_with_the_translate_step_reports_what_it_cost() {
    let service = prefixing();
    let p = project(&libre(&service.url));
    let toml = p
        .read("pipelines/translate.toml")
        .replace("[translate]\n", "[translate]\nin_build = true\n");
    p.write("pipelines/translate.toml", &toml);
    p.run(&["build"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    let provider = &report["translation"][0]["fill"]["providers"][0];
    assert_eq!(provider["name"], "libretranslate");
    assert_eq!(provider["segments_sent"], 5);
    assert_eq!(provider["characters_sent"].as_u64().unwrap() as usize, service.characters());
    assert_eq!(provider["cache_hits"], 0);
    assert_eq!(provider["failures"], 0);
    assert_eq!(provider["breaker"]["state"], "closed");
    let html = p.read("dist/es-ES/index.html");
    assert!(html.contains(r#"class="unreviewed""#), "drafts are labelled");
    p.run(&["build", "--require-reviewed"]).expect_code(1);
}

const EN: &str = "locales/en-US/translate.ftl";
const LIBRARY: &str = "The city has a new library.";
const LIBRARY_ES: &str = "La ciudad tiene una biblioteca nueva.";
const PUBLIC_LIBRARY: &str = "The city has a new public library.";
const GLOSSARY_LIBRARY: &str = "# glossary: library = biblioteca";

/// The fixture with a reviewed translation of [`LIBRARY`], then the
/// sentence edited in the article so that translation is stale.
fn stale_project(service: &MockService) -> Project {
    let p = project(&libre(&service.url));
    p.run(&["extract"]).expect_code(0);
    let en = p.read(EN);
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == LIBRARY).unwrap();
    p.write(ES, &format!("{id} = {LIBRARY_ES}\n"));
    p.write(ARTICLE, &p.read(ARTICLE).replace(LIBRARY, PUBLIC_LIBRARY));
    p
}

/// The ID and comment lines of the message whose value is `value`.
fn message_with(ftl: &str, value: &str) -> (String, Vec<String>) {
    let (id, _) = messages(ftl)
        .into_iter()
        .find(|(_, v)| v == value)
        .unwrap_or_else(|| panic!("no message `{value}`:\n{ftl}"));
    let comments = comments_of(ftl, &id);
    (id, comments)
}

#[test]
fn a_stale_translation_is_kept_and_the_draft_offered_as_a_suggestion() {
    let service = prefixing();
    let p = stale_project(&service);
    p.run(&["translate"]).expect_code(0);
    let es = p.read(ES);
    let (id, comments) = message_with(&es, LIBRARY_ES);
    let suggestion = format!("# suggestion (libretranslate): ES {PUBLIC_LIBRARY}");
    assert!(comments.contains(&format!("# stale, source was: {LIBRARY}")), "{comments:?}");
    assert_eq!(comments.last(), Some(&suggestion), "right above the message: {comments:?}");
    assert!(es.contains("change “suggestion” to “accept”"), "the header says how:\n{es}");
    // Not a translation: the sentence is still stale, the page shows the source.
    let status = p.run(&["status", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(report[0]["locales"][1]["coverage"]["stale"], 1, "{}", status.stdout);
    assert_eq!(report[0]["locales"][1]["coverage"]["unreviewed"], 4, "{}", status.stdout);

    // Running again neither duplicates it nor asks for more than the cache holds.
    let paid = service.characters();
    p.run(&["translate"]).expect_code(0);
    p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), es, "a re-run changes nothing");
    assert_eq!(service.characters(), paid);

    // One edit takes the suggestion: it becomes the reviewed translation.
    p.write(ES, &es.replace("\n# suggestion (", "\n# accept ("));
    p.run(&["extract"]).expect_code(0);
    let accepted = p.read(ES);
    let (new_id, comments) = message_with(&accepted, &format!("ES {PUBLIC_LIBRARY}"));
    assert_eq!(new_id, id);
    assert_eq!(
        comments,
        [format!("# en-US: {PUBLIC_LIBRARY}"), GLOSSARY_LIBRARY.to_string()],
        "{accepted}"
    );
    assert!(!accepted.contains("suggestion"), "{accepted}");
    let status = p.run(&["status", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(report[0]["locales"][1]["coverage"]["translated"], 1, "{}", status.stdout);
    assert_eq!(report[0]["locales"][1]["coverage"]["stale"], 0, "{}", status.stdout);
}

#[test]
fn a_suggestion_goes_when_the_translation_is_no_longer_stale() {
    let service = prefixing();
    // The translator reviews their translation: deletes the stale line.
    let p = stale_project(&service);
    p.run(&["translate"]).expect_code(0);
    let es = p.read(ES);
    let reviewed: String = es
        .lines()
        .filter(|l| !l.starts_with("# stale, source was:"))
        .map(|l| format!("{l}\n"))
        .collect();
    p.write(ES, &reviewed);
    p.run(&["extract"]).expect_code(0);
    let es = p.read(ES);
    let (_, comments) = message_with(&es, LIBRARY_ES);
    assert_eq!(
        comments,
        [format!("# en-US: {PUBLIC_LIBRARY}"), GLOSSARY_LIBRARY.to_string()],
        "{es}"
    );
    assert!(!es.contains("suggestion"), "{es}");

    // The sentence is edited back: the translation is current again.
    let p = stale_project(&service);
    p.run(&["translate"]).expect_code(0);
    p.write(ARTICLE, &p.read(ARTICLE).replace(PUBLIC_LIBRARY, LIBRARY));
    p.run(&["extract"]).expect_code(0);
    let es = p.read(ES);
    let (_, comments) = message_with(&es, LIBRARY_ES);
    assert_eq!(comments, [format!("# en-US: {LIBRARY}"), GLOSSARY_LIBRARY.to_string()], "{es}");
    assert!(!es.contains("suggestion"), "{es}");
}

#[test]
fn replace_stale_lets_the_draft_replace_a_stale_translation() {
    let service = prefixing();
    let p = stale_project(&service);
    p.run(&["translate", "--replace-stale"]).expect_code(0);
    let es = p.read(ES);
    let (_, comments) = message_with(&es, &format!("ES {PUBLIC_LIBRARY}"));
    assert!(comments.contains(&"# unreviewed: libretranslate".to_string()), "{comments:?}");
    assert!(comments.contains(&format!("# previous translation: {LIBRARY_ES}")), "{comments:?}");
    assert!(!es.contains("suggestion"), "{es}");
}

/// The JSON edition's segment whose source is `source`: the es-ES one with
/// the `id` of the en-US one that reads `source`.
fn json_segment(p: &Project, source: &str) -> serde_json::Value {
    let segments = |locale: &str| -> Vec<serde_json::Value> {
        let json: serde_json::Value =
            serde_json::from_str(&p.read(&format!("dist/{locale}/index.json"))).unwrap();
        let blocks = json["blocks"].as_array().unwrap();
        blocks.iter().flat_map(|b| b["segments"].as_array().unwrap().clone()).collect()
    };
    let en = segments("en-US");
    let id = &en
        .iter()
        .find(|s| s["inlines"] == serde_json::json!([source]))
        .unwrap_or_else(|| panic!("no segment `{source}` in {en:?}"))["id"];
    segments("es-ES").into_iter().find(|s| s["id"] == *id).expect("the same segment in es-ES")
}

#[test]
fn readers_see_the_source_or_the_previous_translation_of_a_stale_sentence() {
    let service = prefixing();
    let p = stale_project(&service);
    // By default, the source sentence, marked.
    p.run(&["build"]).expect_code(0);
    let html = p.read("dist/es-ES/index.html");
    assert!(html.contains(r#"class="fallback stale""#) && html.contains(PUBLIC_LIBRARY), "{html}");
    assert!(!html.contains(LIBRARY_ES));
    let md = p.read("dist/es-ES/index.md");
    assert!(md.contains("\n  stale: 1\n") && !md.contains("outdated"), "{md}");
    let segment = json_segment(&p, PUBLIC_LIBRARY);
    assert_eq!(
        (segment["status"].as_str(), &segment["inlines"]),
        (Some("stale"), &serde_json::json!([PUBLIC_LIBRARY]))
    );

    // `stale = "previous"`: the translation made for the old sentence, labelled.
    let toml = p
        .read("pipelines/translate.toml")
        .replace("[edition]\n", "[edition]\nstale = \"previous\"\n");
    p.write("pipelines/translate.toml", &toml);
    p.run(&["build"]).expect_code(0);
    let html = p.read("dist/es-ES/index.html");
    let span = format!(
        r#"class="outdated" title="El original cambió tras la traducción: esta traducción puede estar desactualizada.">{LIBRARY_ES}</span>"#
    );
    assert!(html.contains(&span), "{html}");
    assert!(!html.contains("fallback stale"), "{html}");
    assert!(html.contains(r#"<span class="outdated sample""#), "the legend explains it: {html}");
    // The Markdown edition is the article's structure, so its label is the
    // page's: how many of its stale sentences show their old translation.
    let md = p.read("dist/es-ES/index.md");
    assert!(md.contains("\n  stale: 1\n  outdated: 1\n"), "{md}");
    assert!(md.contains(LIBRARY_ES), "{md}");
    let segment = json_segment(&p, PUBLIC_LIBRARY);
    assert_eq!(
        (segment["status"].as_str(), &segment["inlines"]),
        (Some("outdated"), &serde_json::json!([LIBRARY_ES]))
    );
    // Still stale for the translator and the report.
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    assert_eq!(report["locales"][1]["coverage"]["stale"], 1, "{report}");
    assert_eq!(report["locales"][1]["stale"][0]["source"], PUBLIC_LIBRARY, "{report}");

    let toml = toml.replace("stale = \"previous\"", "stale = \"old\"");
    p.write("pipelines/translate.toml", &toml);
    let run = p.run(&["build"]).expect_code(2);
    assert!(
        run.stderr.contains("unknown variant `old`, expected `source` or `previous`"),
        "{}",
        run.stderr
    );
}

const GLOSSARY: &str = "locales/glossary/en-US.es-ES.tsv";

#[test]
fn glossary_terms_are_listed_above_each_message_and_rewritten_every_time() {
    let p = project("");
    p.run(&["extract"]).expect_code(0);
    let es = p.read(ES);
    // Listed above placeholders of untranslated sentences too.
    let cecot = "# glossary: CECOT (do not translate)";
    assert!(
        es.contains(&format!(
            "# en-US: The prison known as CECOT held 252 men for four months.\n{cecot}\n"
        )),
        "{es}"
    );
    assert!(es.contains("# glossary: library = biblioteca\n# the-city-has-a-new-"), "{es}");

    // Once translated, above the message; a line the translator edits or
    // deletes is written afresh, never kept as a note.
    let en = p.read(EN);
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == LIBRARY).unwrap();
    let es = es.replace(&format!("# {id} ="), &format!("{id} = {LIBRARY_ES}"));
    p.write(ES, &es.replace("# glossary: library = biblioteca", "# glossary: library = librería"));
    p.run(&["extract"]).expect_code(0);
    let es = p.read(ES);
    assert_eq!(
        comments_of(&es, &id),
        vec![format!("# en-US: {LIBRARY}"), "# glossary: library = biblioteca".to_string()]
    );
    assert!(!es.contains("librería"), "{es}");
    p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), es, "a second extract rewrites nothing");

    // A new term shows up, a removed one goes.
    p.write(GLOSSARY, "source\ttarget\tnote\ncity\tciudad\n");
    p.run(&["extract"]).expect_code(0);
    let es = p.read(ES);
    assert_eq!(comments_of(&es, &id)[1], "# glossary: city = ciudad", "{es}");
    assert!(!es.contains("CECOT (do not"), "{es}");
    p.run(&["status"]).expect_code(0);
}

#[test]
fn a_broken_glossary_stops_the_command_naming_each_line() {
    let p = project("");
    p.write(
        GLOSSARY,
        "source\ttarget\tnote\nlibrary\tbiblioteca\n\tvacío\nLibrary\tlibrería\ncity\tciudad\tnote\textra\nhouse\n",
    );
    for command in [&["extract"][..], &["build"], &["translate"], &["status"]] {
        let run = p.run(command).expect_code(2);
        for expected in [
            format!("{GLOSSARY}:3:1: the source term is empty"),
            format!("{GLOSSARY}:4:1: `Library` is already defined on line 2"),
            format!("{GLOSSARY}:5:"),
            "expected at most 3 tab-separated columns, found 4".to_string(),
            format!("{GLOSSARY}:6:6: expected 2 or 3 tab-separated columns, found 1"),
        ] {
            assert!(run.stderr.contains(&expected), "{command:?}: {expected} in\n{}", run.stderr);
        }
        assert!(!run.stderr.contains("panicked"));
    }
    assert!(!p.exists(ES), "nothing was written");
}

/// The fixture with a reviewed translation of [`LIBRARY`] and a second
/// pipeline whose article has that sentence and a close one.
fn two_pipelines() -> (Project, String) {
    let p = project("");
    p.run(&["extract"]).expect_code(0);
    let en = p.read(EN);
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == LIBRARY).unwrap();
    p.write(ES, &format!("{id} = {LIBRARY_ES}\n"));
    p.write(
        "articles/second.txt",
        "A second story\n\nThe city has a new library. The town has a new library.\n",
    );
    p.write(
        "pipelines/second.toml",
        "[article]\nsource = \"articles/second.txt\"\nlang = \"en-US\"\n\n[edition]\nlocales = [\"es-ES\"]\noutput = \"second-dist\"\n",
    );
    (p, id)
}

#[test]
fn a_sentence_translated_in_one_article_is_offered_in_the_next() {
    let (p, id) = two_pipelines();
    // Only the second pipeline runs: the first one's files feed the memory.
    let run = p.run(&["translate", "second"]).expect_code(0);
    let es = p.read("locales/es-ES/second.ftl");
    let offered: Vec<(String, String)> =
        messages(&es).into_iter().filter(|(_, v)| v == LIBRARY_ES).collect();
    assert_eq!(offered.len(), 2, "an exact and a fuzzy match: {}\n{es}", run.stdout);
    let origins: Vec<String> = offered
        .iter()
        .flat_map(|(id, _)| comments_of(&es, id))
        .filter(|c| c.starts_with("# unreviewed: "))
        .collect();
    assert_eq!(origins[0], "# unreviewed: memory 100%", "{es}");
    assert!(origins[1].starts_with("# unreviewed: memory 8"), "{es}");

    // `memory search` shows where each match comes from, human or machine.
    let run = p.run(&["memory", "search", LIBRARY]).expect_code(0);
    let first = run.stdout.lines().next().unwrap_or_default().to_string();
    assert_eq!(first, format!("100%  es-ES  human  translate/{id}"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("      {LIBRARY_ES}\n")), "{}", run.stdout);
    assert!(
        run.stdout.contains("machine (memory 100%)  second/the-city-has-a-new-"),
        "{}",
        run.stdout
    );

    let town = "The town has a new library.";
    let run = p.run(&["memory", "search", town, "--locale", "es-ES", "--json"]).expect_code(0);
    let hits: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    let human = hits.iter().find(|h| h["kind"] == "human").expect("a human match");
    assert_eq!(human["origin"], format!("translate/{id}"));
    assert_eq!(human["target"], LIBRARY_ES);
    let score = human["score"].as_f64().unwrap();
    assert!((0.8..0.9).contains(&score), "{score}");
    let machine = hits.iter().find(|h| h["kind"] == "machine" && h["source"] == town).unwrap();
    assert_eq!(machine["score"], 1.0);
    assert!(machine["draft_origin"].as_str().unwrap().starts_with("memory 8"), "{machine}");
    assert!(machine["origin"].as_str().unwrap().starts_with("second/the-town-has-a-new-"));

    let run = p.run(&["memory", "search", "Nothing like any sentence here at all"]).expect_code(0);
    assert_eq!(run.stdout, "no match at or above 50%\n");
    let run = p.run(&["memory", "search", LIBRARY, "--locale", "spanish"]).expect_code(2);
    assert!(run.stderr.contains("spanish"), "{}", run.stderr);
}

#[test]
fn a_deleted_translation_leaves_no_glossary_line_behind() {
    let p = project("");
    p.run(&["extract"]).expect_code(0);
    let en = p.read(EN);
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == LIBRARY).unwrap();
    let es = p.read(ES).replace(&format!("# {id} ="), &format!("{id} = {LIBRARY_ES}"));
    p.write(ES, &es);
    p.run(&["extract"]).expect_code(0);
    let translated = p.read(ES);
    // The translator deletes the message line: the sentence is shown again
    // as a placeholder, once, with its glossary line.
    p.write(ES, &translated.replace(&format!("{id} = {LIBRARY_ES}\n"), ""));
    p.run(&["extract"]).expect_code(0);
    let es = p.read(ES);
    assert_eq!(es.matches(GLOSSARY_LIBRARY).count(), 2, "{es}");
    assert!(es.contains(&format!("{GLOSSARY_LIBRARY}\n# {id} =\n")), "{es}");
    assert_eq!(es.matches(&format!("# en-US: {LIBRARY}\n")).count(), 1, "{es}");
}

#[test]
fn a_glossary_edit_reaches_the_locale_file_through_a_cached_build() {
    let p = project("");
    p.run(&["build"]).expect_code(0);
    p.run(&["build"]).expect_code(0);
    assert!(p.read(ES).contains(GLOSSARY_LIBRARY));
    p.write(GLOSSARY, "source\ttarget\tnote\nlibrary\tbiblioteca pública\n");
    p.run(&["build"]).expect_code(0);
    let es = p.read(ES);
    assert!(es.contains("# glossary: library = biblioteca pública\n"), "{es}");
}

/// The comment lines of the message that translates `source` in the es-ES
/// file (found by its ID in the en-US file).
fn comments_for(p: &Project, source: &str) -> Vec<String> {
    let en = p.read(EN);
    let (id, _) = messages(&en).into_iter().find(|(_, v)| v == source).unwrap();
    comments_of(&p.read(ES), &id)
}

fn coverage(p: &Project, what: &str) -> u64 {
    let status = p.run(&["status", "--json"]).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    report[0]["locales"][1]["coverage"][what].as_u64().unwrap()
}

#[test]
fn a_draft_whose_sentence_changed_stays_unreviewed_until_reviewed() {
    let p = project("\n[[translate.providers]]\nkind = \"pseudo\"\n");
    p.run(&["translate"]).expect_code(0);
    let drafts = coverage(&p, "unreviewed");
    assert!(drafts > 1, "{}", p.read(ES));
    p.write(ARTICLE, &p.read(ARTICLE).replace(LIBRARY, PUBLIC_LIBRARY));
    p.run(&["extract"]).expect_code(0);
    let comments = comments_for(&p, PUBLIC_LIBRARY);
    assert!(comments.contains(&format!("# stale, source was: {LIBRARY}")), "{comments:?}");
    assert!(comments.contains(&"# unreviewed: pseudo".to_string()), "{comments:?}");
    assert_eq!(coverage(&p, "stale"), 1);
    assert_eq!(coverage(&p, "translated"), 0);
    // Running again keeps both marks.
    let es = p.read(ES);
    p.run(&["extract"]).expect_code(0);
    assert_eq!(p.read(ES), es);

    // The translator deletes the stale line: still a draft, not a translation.
    let kept: String = es
        .lines()
        .filter(|l| !l.starts_with("# stale, source was:"))
        .map(|l| format!("{l}\n"))
        .collect();
    p.write(ES, &kept);
    p.run(&["extract"]).expect_code(0);
    let comments = comments_for(&p, PUBLIC_LIBRARY);
    assert!(comments.contains(&"# unreviewed: pseudo".to_string()), "{comments:?}");
    assert_eq!(coverage(&p, "stale"), 0);
    assert_eq!(coverage(&p, "translated"), 0);
    assert_eq!(coverage(&p, "unreviewed"), drafts);
    let build = p.run(&["build", "--require-reviewed"]).expect_code(1);
    assert!(
        build.stderr.contains(&format!("publishes {drafts} unreviewed drafts")),
        "{}",
        build.stderr
    );

    // A stale draft whose sentence is edited back is a draft again.
    p.write(ES, &es);
    p.write(ARTICLE, &p.read(ARTICLE).replace(PUBLIC_LIBRARY, LIBRARY));
    p.run(&["extract"]).expect_code(0);
    let comments = comments_for(&p, LIBRARY);
    assert!(comments.contains(&"# unreviewed: pseudo".to_string()), "{comments:?}");
    assert!(!comments.iter().any(|c| c.starts_with("# stale")), "{comments:?}");
    assert_eq!(coverage(&p, "unreviewed"), drafts);
}
