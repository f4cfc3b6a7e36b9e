//! Publishing a site: pages readers trust, web-ready HTML, several articles
//! in one site, Markdown editions that site generators read right.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use diglot_tests::Project;
use scraper::{Html, Selector};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("selector")).collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bilingual page has one `h1` (the translation's title), its rows in an
/// `article`, and a legend for the highlights it uses.
#[test]
fn the_bilingual_page_has_one_h1_an_article_and_a_legend() {
    let p = Project::example();
    // One sentence left untranslated: shown in English, highlighted.
    let es = p.read("locales/es-ES/andry-hernandez-romero.ftl");
    let line = es.lines().find(|l| l.starts_with("andry-") && l.contains(" = ")).unwrap();
    p.write("locales/es-ES/andry-hernandez-romero.ftl", &es.replacen(&format!("{line}\n"), "", 1));
    p.run(&["build", "--min-coverage", "0"]).expect_code(0);
    let doc = Html::parse_document(&p.read("dist/bilingual/index.html"));
    let h1 = select(&doc, "h1");
    assert_eq!(h1.len(), 1, "one h1");
    assert!(
        h1[0].ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "article"))
    );
    assert_eq!(
        h1[0].value().attr("lang").or_else(|| h1[0]
            .parent()
            .and_then(|p| p.value().as_element())
            .and_then(|e| e.attr("lang"))),
        Some("es-ES")
    );
    assert_eq!(select(&doc, "article").len(), 1);
    assert_eq!(
        select(&doc, "article .pair").len(),
        select(&doc, ".pair").len() - 1,
        "every row but the column heads is in the article"
    );
    let legend = select(&doc, ".legend li");
    assert_eq!(legend.len(), 1, "one marker is used: the fallback");
    assert!(text(&legend[0]).contains("Aún sin traducir"), "{}", text(&legend[0]));
    assert!(!select(&doc, ".tgt .fallback").is_empty(), "the marker the legend explains");
}

/// A fully translated edition does not tell readers so ("All 68 sentences
/// translated"); a partial one does, with its legend.
#[test]
fn the_full_coverage_note_is_not_shown_to_readers() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let doc = Html::parse_document(&p.read("dist/es-ES/index.html"));
    let body = text(&select(&doc, "body")[0]);
    assert!(!body.contains("68"), "{body}");
    assert!(select(&doc, ".translation-note").is_empty());

    let es = p.read("locales/es-ES/andry-hernandez-romero.ftl");
    let line = es.lines().find(|l| l.starts_with("andry-") && l.contains(" = ")).unwrap();
    p.write("locales/es-ES/andry-hernandez-romero.ftl", &es.replacen(&format!("{line}\n"), "", 1));
    p.run(&["build", "--min-coverage", "0"]).expect_code(0);
    let doc = Html::parse_document(&p.read("dist/es-ES/index.html"));
    let note = text(&select(&doc, ".translation-note")[0]);
    assert!(note.contains("67 de 68"), "{note}");
    assert!(note.contains("Aún sin traducir"), "{note}");
}

/// The Spanish edition starts "A Andry …": a drop cap there would float the
/// one-letter word against the next ("AAndry"), so only the English edition,
/// whose first word is long, gets one.
#[test]
fn drop_caps_do_not_split_a_one_letter_first_word() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    let es = Html::parse_document(&p.read("dist/es-ES/index.html"));
    let first = select(&es, ".article-body > p")[0];
    assert!(text(&first).starts_with("A Andry"));
    assert!(select(&es, ".drop-cap").is_empty(), "no drop cap on \"A Andry\"");
    let en = Html::parse_document(&p.read("dist/en-US/index.html"));
    assert_eq!(select(&en, ".article-body.drop-cap").len(), 1);
    // The stylesheet gives the drop cap only where the page asks for one.
    let style = text(&select(&en, "style")[0]);
    assert!(style.contains(".drop-cap > p:first-child::first-letter"), "{style}");
    assert!(!style.contains(".article-body > p:first-child::first-letter"), "{style}");
}
