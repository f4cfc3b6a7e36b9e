//! Editions in locales beyond the example's two: diglot's built-in edition
//! strings, per-message overrides from the project, language names from
//! CLDR, and the warning for a locale diglot has no strings for.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::{Project, Run};
use scraper::{Html, Selector};

const PIPELINE: &str = "pipelines/andry-hernandez-romero.toml";

/// The example project with `locales` as its target locales.
fn example_with(locales: &[&str]) -> Project {
    let p = Project::example();
    let toml = p.read(PIPELINE);
    let list: Vec<String> = locales.iter().map(|l| format!("\"{l}\"")).collect();
    let changed =
        toml.replace(r#"locales = ["es-ES"]"#, &format!("locales = [{}]", list.join(", ")));
    assert_ne!(toml, changed, "the example pipeline lists its locales as expected");
    p.write(PIPELINE, &changed);
    p
}

/// Builds with no coverage gate: the new locales have no translations yet.
fn build(p: &Project) -> Run {
    p.run(&["build", "--min-coverage", "0"]).expect_code(0)
}

fn page(p: &Project, locale: &str) -> Html {
    Html::parse_document(&p.read(&format!("dist/{locale}/index.html")))
}

/// The trimmed text of every element matching `selector`.
fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    html.select(&selector).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

fn text(html: &Html, selector: &str) -> String {
    let found = texts(html, selector);
    assert_eq!(found.len(), 1, "one `{selector}` expected, found {found:?}");
    found.into_iter().next().expect("one")
}

fn attr(html: &Html, selector: &str, name: &str) -> String {
    let selector = Selector::parse(selector).expect("valid selector");
    let element = html.select(&selector).next().expect("element present");
    element.value().attr(name).expect("attribute present").to_string()
}

/// The switcher's links: (hreflang, name).
fn switcher(html: &Html) -> Vec<(String, String)> {
    let selector = Selector::parse("nav.switcher a[hreflang]").expect("valid selector");
    html.select(&selector)
        .map(|a| {
            let lang = a.value().attr("hreflang").unwrap_or_default().to_string();
            (lang, a.text().collect::<String>().trim().to_string())
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn french_and_german_editions_speak_their_own_language() {
    let p = example_with(&["es-ES", "fr-FR", "de-DE"]);
    let run = build(&p);
    assert!(!run.stderr.contains("warning"), "built-in locales need no warning:\n{}", run.stderr);

    let fr = page(&p, "fr-FR");
    assert_eq!(attr(&fr, "html", "lang"), "fr-FR");
    assert_eq!(text(&fr, ".edition-name"), "Français");
    assert_eq!(text(&fr, ".switcher-label"), "Également disponible en");
    assert_eq!(text(&fr, ".kicker"), "Traduit de l’anglais");
    assert_eq!(text(&fr, ".meta .byline"), "Par diglot example desk");
    assert_eq!(text(&fr, ".meta time"), "Publié le 24 novembre 2025");
    assert_eq!(attr(&fr, ".meta time", "datetime"), "2025-11-24");
    assert!(text(&fr, ".meta .reading").starts_with("Temps de lecture\u{a0}: "));
    assert_eq!(text(&fr, "a.skip"), "Aller au contenu");
    assert_eq!(
        switcher(&fr),
        pairs(&[("de-DE", "Deutsch"), ("en-US", "English"), ("es-ES", "Español")])
    );
    // Nothing is translated yet: the English sentences are marked in French.
    assert_eq!(
        attr(&fr, "main .fallback[title]", "title"),
        "Pas encore traduit\u{a0}: affiché dans la langue d’origine."
    );
    assert_eq!(text(&fr, ".translation-note p"), "Phrases traduites\u{a0}: 0 sur 68");

    let de = page(&p, "de-DE");
    assert_eq!(attr(&de, "html", "lang"), "de-DE");
    assert_eq!(text(&de, ".edition-name"), "Deutsch");
    assert_eq!(text(&de, ".kicker"), "Aus dem Englischen übersetzt");
    assert_eq!(text(&de, ".meta time"), "Veröffentlicht am 24. November 2025");
    assert_eq!(text(&de, "a.skip"), "Zum Inhalt springen");
    assert_eq!(
        switcher(&de),
        pairs(&[("en-US", "English"), ("es-ES", "Español"), ("fr-FR", "Français")])
    );

    // The example's own editions name the new ones correctly too.
    let en = page(&p, "en-US");
    assert_eq!(text(&en, ".edition-name"), "English");
    assert_eq!(
        switcher(&en),
        pairs(&[("de-DE", "Deutsch"), ("es-ES", "Español"), ("fr-FR", "Français")])
    );
}

#[test]
fn a_project_file_overrides_built_in_strings_one_message_at_a_time() {
    let p = example_with(&["es-ES", "fr-CA"]);
    p.write("locales/fr-CA/edition.ftl", "edition-byline = Un texte de { $author }\n");
    let run = build(&p);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let fr = page(&p, "fr-CA");
    assert_eq!(attr(&fr, "html", "lang"), "fr-CA");
    assert_eq!(text(&fr, ".meta .byline"), "Un texte de diglot example desk");
    // Every other message comes from diglot's French, dated the Canadian way.
    assert_eq!(text(&fr, ".kicker"), "Traduit de l’anglais");
    assert_eq!(text(&fr, ".meta time"), "Publié le 24 novembre 2025");
    assert_eq!(text(&fr, ".edition-name"), "Français");
}

#[test]
fn a_locale_without_strings_warns_and_still_names_itself() {
    let p = example_with(&["es-ES", "nl-NL"]);
    let run = build(&p);
    let warning = run
        .stderr
        .lines()
        .find(|l| l.contains("warning") && l.contains("nl-NL"))
        .unwrap_or_else(|| panic!("a warning names nl-NL:\n{}", run.stderr));
    assert!(warning.contains("English"), "{warning}");
    assert!(run.stderr.contains("locales/nl-NL/edition.ftl"), "{}", run.stderr);

    let nl = page(&p, "nl-NL");
    assert_eq!(attr(&nl, "html", "lang"), "nl-NL");
    assert_eq!(text(&nl, ".edition-name"), "Nederlands");
    let es = page(&p, "es-ES");
    assert_eq!(switcher(&es), pairs(&[("en-US", "English"), ("nl-NL", "Nederlands")]));

    // `status` shows the same warning, without building.
    let status = p.run(&["status"]);
    assert!(status.stderr.contains("locales/nl-NL/edition.ftl"), "{}", status.stderr);

    // Once the project translates them, the warning is gone.
    let dutch =
        diglot_fluent_messages().iter().map(|id| format!("{id} = {id} (nl)\n")).collect::<String>();
    p.write("locales/nl-NL/edition.ftl", &dutch);
    let run = build(&p);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

/// The messages of an edition.ftl, as the example's English file has them.
fn diglot_fluent_messages() -> Vec<String> {
    let en = std::fs::read_to_string(diglot_tests::repo_root().join("locales/en-US/edition.ftl"))
        .expect("the example's edition.ftl");
    en.lines()
        .filter(|l| l.starts_with("edition-"))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.to_string()))
        .collect()
}

#[test]
fn the_example_editions_do_not_change() {
    let p = Project::example();
    build(&p);
    let before = p.snapshot("dist");
    // Without the project's own edition.ftl files, diglot's built-in strings
    // give the same pages.
    std::fs::remove_file(p.path().join("locales/en-US/edition.ftl")).expect("removed");
    std::fs::remove_file(p.path().join("locales/es-ES/edition.ftl")).expect("removed");
    let run = build(&p);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let after = p.snapshot("dist");
    assert_eq!(before.len(), after.len());
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{name} differs without the project's edition.ftl");
    }
}
