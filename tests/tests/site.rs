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

const FLOOD: &str = "# Flood waters recede\n\n\
The river fell by two metres overnight. Families returned to their homes on Tuesday.\n";

/// The example article and a second one, published in three languages, as
/// one site served at `https://news.example.org/`.
fn two_article_site(site: &str) -> Project {
    let p = Project::example();
    p.write("articles/flood.md", FLOOD);
    p.write(
        "pipelines/flood.toml",
        "[article]\nsource = \"articles/flood.md\"\nlang = \"en-US\"\nauthor = \"Ana Ruiz\"\n\
         published = \"2025-12-01\"\n\n[edition]\nlocales = [\"es-ES\", \"fr-FR\"]\n",
    );
    p.write("diglot.toml", site);
    p
}

const SITE: &str = "[site]\nbase_url = \"https://news.example.org\"\ntitle = \"Example News\"\n";
const BASE: &str = "https://news.example.org/";

fn attr(doc: &Html, css: &str, name: &str) -> Vec<String> {
    select(doc, css).iter().filter_map(|e| e.value().attr(name).map(str::to_string)).collect()
}

fn meta(doc: &Html, property: &str) -> Vec<String> {
    attr(doc, &format!("meta[property=\"{property}\"], meta[name=\"{property}\"]"), "content")
}

fn json_ld(doc: &Html) -> serde_json::Value {
    let scripts = select(doc, "script[type=\"application/ld+json\"]");
    assert_eq!(scripts.len(), 1);
    serde_json::from_str(&scripts[0].text().collect::<String>()).expect("JSON-LD parses")
}

/// Every switcher link of the page at `page` (relative to `dist/`) ends in
/// `index.html` and names a file that exists; returns their `hreflang`s.
#[track_caller]
fn switcher(p: &Project, page: &str) -> Vec<String> {
    let doc = Html::parse_document(&p.read(&format!("dist/{page}")));
    let dir = std::path::Path::new("dist").join(page);
    let dir = dir.parent().unwrap();
    let mut langs = Vec::new();
    for a in select(&doc, ".switcher a") {
        let href = a.value().attr("href").unwrap();
        assert!(href.ends_with("index.html"), "{page}: {href}");
        assert!(p.exists(&dir.join(href).to_string_lossy()), "{page}: {href} does not exist");
        langs.extend(a.value().attr("hreflang").map(str::to_string));
    }
    langs
}

/// An XML element: its name, attributes and text.
type Element = (String, Vec<(String, String)>, String);

/// XML elements with their attributes and text; panics on malformed XML.
fn parse_xml(text: &str) -> Vec<Element> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("an attribute");
                        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        (key, a.unescape_value().unwrap().into_owned())
                    })
                    .collect();
                out.push((name, attrs, String::new()));
                open.push(out.len() - 1);
                if text.as_bytes()[reader.buffer_position() as usize - 2] == b'/' {
                    open.pop();
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].2.push_str(&t.decode().unwrap());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "every element is closed");
    out
}

#[test]
fn a_site_publishes_every_article_of_every_pipeline() {
    let p = two_article_site(SITE);
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("wrote dist/"), "{}", run.stdout);
    for file in [
        "en-US/andry-hernandez-romero/index.html",
        "es-ES/andry-hernandez-romero/index.md",
        "es-ES/andry-hernandez-romero/index.json",
        "bilingual/andry-hernandez-romero/index.html",
        "en-US/flood/index.html",
        "es-ES/flood/index.html",
        "fr-FR/flood/index.md",
        "en-US/index.html",
        "es-ES/index.html",
        "fr-FR/index.html",
        "index.html",
        "report.json",
    ] {
        assert!(p.exists(&format!("dist/{file}")), "{file}: {}", run.stdout);
    }
    // Nothing of the one-article layout is left in the site.
    assert!(!p.exists("dist/es-ES/index.md"));

    // Each home page lists the articles that exist in its language, newest
    // first, with their date and translation status.
    let home = Html::parse_document(&p.read("dist/es-ES/index.html"));
    assert_eq!(attr(&home, "html", "lang"), ["es-ES"]);
    let items = select(&home, ".articles li");
    assert_eq!(items.len(), 2);
    assert!(text(&items[0]).contains("Flood waters recede"), "{}", text(&items[0]));
    assert!(text(&items[0]).contains("1 de diciembre de 2025"), "{}", text(&items[0]));
    assert!(text(&items[1]).contains("Traducidas las 68 frases"), "{}", text(&items[1]));
    assert_eq!(
        attr(&home, ".articles a", "href"),
        ["flood/index.html", "andry-hernandez-romero/index.html"]
    );
    assert_eq!(attr(&home, "time", "datetime"), ["2025-12-01", "2025-11-24"]);
    let french = Html::parse_document(&p.read("dist/fr-FR/index.html"));
    assert_eq!(select(&french, ".articles li").len(), 1, "the example has no French edition");
    assert_eq!(switcher(&p, "fr-FR/index.html"), ["en-US", "es-ES"]);

    // The root names every language in itself.
    let root = Html::parse_document(&p.read("dist/index.html"));
    assert_eq!(
        attr(&root, ".articles a", "href"),
        ["en-US/index.html", "es-ES/index.html", "fr-FR/index.html"]
    );
    assert_eq!(
        select(&root, ".articles a").iter().map(text).collect::<Vec<_>>(),
        ["English", "Español", "Français"]
    );

    // The switcher offers only the editions an article has.
    assert_eq!(switcher(&p, "es-ES/andry-hernandez-romero/index.html"), ["en-US"]);
    assert_eq!(switcher(&p, "es-ES/flood/index.html"), ["en-US", "fr-FR"]);
    assert_eq!(switcher(&p, "en-US/flood/index.html"), ["es-ES", "fr-FR"]);

    // A second build changes nothing.
    let before = p.snapshot("dist");
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("unchanged dist/"), "{}", run.stdout);
    assert_eq!(p.snapshot("dist"), before);

    // The site's report lists every file and each article's report, as its
    // committed schema says.
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/report.json")).unwrap();
    let schema =
        std::fs::read_to_string(diglot_tests::repo_root().join("schemas/site-report.schema.json"))
            .unwrap();
    let validator =
        jsonschema::validator_for(&serde_json::from_str(&schema).unwrap()).expect("a JSON Schema");
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut drifted = report.clone();
    drifted["articles"][0]["surprise"] = true.into();
    assert!(!validator.is_valid(&drifted), "the schema denies unknown fields");
    let outputs = report["outputs"].as_array().unwrap();
    assert!(outputs.iter().any(|o| o == "fr-FR/flood/index.html"));
    let slugs: Vec<&str> = report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["andry-hernandez-romero", "flood"]);
}

#[test]
fn pages_of_a_site_with_a_base_url_are_web_ready() {
    let p = two_article_site(SITE);
    // One sentence of the flood article in Spanish; nothing yet in French.
    p.run(&["extract"]).expect_code(0);
    let (id, _) = diglot_tests::messages(&p.read("locales/en-US/flood.ftl"))
        .into_iter()
        .find(|(_, v)| v.starts_with("Families"))
        .expect("the sentence");
    p.write(
        "locales/es-ES/flood.ftl",
        &format!("{id} = Las familias volvieron a casa el martes.\n"),
    );
    p.run(&["build"]).expect_code(0);
    let es = Html::parse_document(&p.read("dist/es-ES/flood/index.html"));
    let url = |dir: &str| format!("{BASE}{dir}/");
    assert_eq!(attr(&es, "link[rel=canonical]", "href"), [url("es-ES/flood")]);
    let mut alternates: Vec<(String, String)> = select(&es, "link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            (l.value().attr("hreflang").unwrap().into(), l.value().attr("href").unwrap().into())
        })
        .collect();
    alternates.sort();
    // The French edition, with no sentence translated yet, is the English
    // text: it is not declared a French version of the article.
    assert_eq!(
        alternates,
        [
            ("en-US".to_string(), url("en-US/flood")),
            ("es-ES".to_string(), url("es-ES/flood")),
            ("x-default".to_string(), url("en-US/flood")),
        ]
    );
    assert_eq!(meta(&es, "og:url"), [url("es-ES/flood")]);
    assert_eq!(meta(&es, "og:type"), ["article"]);
    assert_eq!(meta(&es, "og:title"), ["Flood waters recede"]);
    assert_eq!(meta(&es, "og:locale"), ["es_ES"]);
    assert_eq!(meta(&es, "og:locale:alternate"), ["en_US"]);
    assert!(meta(&es, "og:description")[0].starts_with("The river fell"));
    assert_eq!(meta(&es, "twitter:card"), ["summary"]);
    assert_eq!(meta(&es, "twitter:title"), ["Flood waters recede"]);

    // JSON-LD: a translation names its original; the original its translations.
    let ld = json_ld(&es);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["inLanguage"], "es-ES");
    assert_eq!(ld["headline"], "Flood waters recede");
    assert_eq!(ld["datePublished"], "2025-12-01");
    assert_eq!(ld["author"]["name"], "Ana Ruiz");
    assert_eq!(ld["translationOfWork"]["inLanguage"], "en-US");
    assert_eq!(ld["translationOfWork"]["url"], url("en-US/flood"));
    assert!(ld.get("workTranslation").is_none());
    let en = Html::parse_document(&p.read("dist/en-US/flood/index.html"));
    let ld = json_ld(&en);
    assert_eq!(ld["inLanguage"], "en-US");
    assert!(ld.get("translationOfWork").is_none());
    let translations: Vec<&str> = ld["workTranslation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["inLanguage"].as_str().unwrap())
        .collect();
    // The French edition, with nothing translated, is no translation yet.
    assert_eq!(translations, ["es-ES"]);
    let es_andry = Html::parse_document(&p.read("dist/es-ES/andry-hernandez-romero/index.html"));
    assert_eq!(json_ld(&es_andry)["inLanguage"], "es-ES");
    assert_eq!(json_ld(&es_andry)["author"]["name"], "diglot example desk");

    // The sitemap: every page, with its language versions.
    let sitemap = parse_xml(&p.read("dist/sitemap.xml"));
    assert_eq!(sitemap[0].0, "urlset");
    let locs: Vec<&str> = sitemap.iter().filter(|e| e.0 == "loc").map(|e| e.2.as_str()).collect();
    for loc in &locs {
        let rel = loc.strip_prefix(BASE).expect("absolute");
        assert!(p.exists(&format!("dist/{rel}index.html")), "{loc}");
    }
    assert!(locs.contains(&url("fr-FR/flood").as_str()));
    assert!(locs.contains(&url("es-ES").as_str()), "home pages too");
    let es_flood = sitemap
        .iter()
        .position(|e| e.0 == "loc" && e.2 == url("es-ES/flood"))
        .expect("the Spanish flood page");
    let links: Vec<(String, String)> = sitemap[es_flood + 1..]
        .iter()
        .take_while(|e| e.0 == "xhtml:link")
        .map(|e| {
            let get = |k: &str| e.1.iter().find(|a| a.0 == k).unwrap().1.clone();
            (get("hreflang"), get("href"))
        })
        .collect();
    assert_eq!(links.len(), 3, "{links:?}");
    assert!(links.contains(&("x-default".into(), url("en-US/flood"))));
    assert!(links.contains(&("es-ES".into(), url("es-ES/flood"))));
    assert!(!links.iter().any(|l| l.0 == "fr-FR"), "{links:?}");

    // A feed per locale, newest first.
    let feed = parse_xml(&p.read("dist/es-ES/atom.xml"));
    assert_eq!(feed[0].0, "feed");
    let entries: Vec<&str> = feed.iter().filter(|e| e.0 == "id").map(|e| e.2.as_str()).collect();
    assert_eq!(
        entries,
        [url("es-ES").as_str(), &url("es-ES/flood"), &url("es-ES/andry-hernandez-romero")]
    );
    let french = parse_xml(&p.read("dist/fr-FR/atom.xml"));
    assert_eq!(french.iter().filter(|e| e.0 == "entry").count(), 1);
}

#[test]
fn a_site_without_a_base_url_links_relatively_and_has_no_sitemap() {
    let p = two_article_site("[site]\n");
    p.run(&["build"]).expect_code(0);
    let es = Html::parse_document(&p.read("dist/es-ES/flood/index.html"));
    assert_eq!(attr(&es, "link[rel=canonical]", "href"), ["index.html"]);
    assert!(
        attr(&es, "link[rel=alternate]", "href")
            .contains(&"../../en-US/flood/index.html".to_string())
    );
    assert!(meta(&es, "og:url").is_empty(), "og:url must be absolute, so there is none");
    assert_eq!(meta(&es, "og:locale"), ["es_ES"]);
    assert_eq!(json_ld(&es)["translationOfWork"]["inLanguage"], "en-US");
    assert!(!p.exists("dist/sitemap.xml"));
    assert!(!p.exists("dist/es-ES/atom.xml"));
    assert!(p.exists("dist/es-ES/index.html"));
}

#[test]
fn bad_site_settings_are_refused() {
    for (site, expected) in [
        ("[site]\nbase_url = \"news.example.org\"\n", "not an absolute URL"),
        ("[site]\nbase_url = \"ftp://news.example.org/\"\n", "not an http or https URL"),
        ("[site]\nbase_url = \"https://\"\n", "has no host"),
        ("[site]\nbaseurl = \"https://news.example.org/\"\n", "unknown field"),
        (
            "[site]\noutput = \"locales\"\n",
            "[site] output = \"locales\" is, holds or is inside the project's locale files",
        ),
    ] {
        let p = two_article_site(site);
        let run = p.run(&["build"]);
        assert_eq!(run.code, 2, "{site}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("diglot.toml"), "{site}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{site}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"));
        assert!(!p.exists("dist"), "{site}");
    }
    // Two pipelines of one slug would publish to the same folders.
    let p = two_article_site(SITE);
    p.write(
        "pipelines/flood2.toml",
        &p.read("pipelines/flood.toml").replace("[article]\n", "[article]\nslug = \"flood\"\n"),
    );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("pipelines/flood.toml") && run.stderr.contains("pipelines/flood2.toml"),
        "{}",
        run.stderr
    );
    // The site is built whole.
    let p = two_article_site(SITE);
    let run = p.run(&["build", "flood"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("without `flood`"), "{}", run.stderr);
}

/// Without `[site]`, each pipeline keeps its own folder: the example builds
/// as it did, and its links work from files opened on disk.
#[test]
fn one_article_links_work_from_disk() {
    let p = Project::example();
    p.run(&["build"]).expect_code(0);
    assert_eq!(switcher(&p, "es-ES/index.html"), ["en-US"]);
    let es = Html::parse_document(&p.read("dist/es-ES/index.html"));
    assert_eq!(attr(&es, "link[rel=canonical]", "href"), ["index.html"]);
    assert!(attr(&es, ".switcher a", "href").contains(&"../bilingual/index.html".to_string()));
    assert!(!p.exists("dist/sitemap.xml"));
    let bilingual = Html::parse_document(&p.read("dist/bilingual/index.html"));
    assert_eq!(
        attr(&bilingual, ".switcher a", "href"),
        ["../en-US/index.html", "../es-ES/index.html"]
    );
}

/// Translates every sentence of `slug` into `locale`, as a translator would
/// (reviewed): `<text> (<locale>)`.
fn translate_all(p: &Project, slug: &str, locale: &str) {
    let reference = p.read(&format!("locales/en-US/{slug}.ftl"));
    let mut out = String::new();
    for (id, text) in diglot_tests::messages(&reference) {
        out.push_str(&format!("{id} = {text} ({locale})\n"));
    }
    p.write(&format!("locales/{locale}/{slug}.ftl"), &out);
}

/// Front matter of a Markdown edition, as YAML text between `---` lines.
fn yaml_front_matter(md: &str) -> String {
    let rest = md.strip_prefix("---\n").expect("YAML front matter");
    rest[..=rest.find("\n---\n").expect("closed")].to_string()
}

/// A target's Markdown tells how much of it is reviewed, and is a draft
/// while that is below the pipeline's `draft_below` (by default its
/// `min_coverage`).
#[test]
fn markdown_editions_tell_the_truth() {
    let p = two_article_site("[site]\n");
    p.write(
        "pipelines/flood.toml",
        &p.read("pipelines/flood.toml").replace("[edition]\n", "[edition]\ndraft_below = 50\n"),
    );
    p.run(&["build"]).expect_code(0);
    translate_all(&p, "flood", "es-ES");
    p.run(&["build"]).expect_code(0);
    let es = yaml_front_matter(&p.read("dist/es-ES/flood/index.md"));
    assert!(es.contains("draft: false"), "{es}");
    let truth = "translation:\n  coverage: 100.0\n  sentences: 3\n  reviewed: 3\n  unreviewed: 0\n  \
                 stale: 0\n  missing: 0";
    assert!(es.contains(truth), "{es}");
    let fr = yaml_front_matter(&p.read("dist/fr-FR/flood/index.md"));
    assert!(fr.contains("draft: true"), "below draft_below: {fr}");
    assert!(fr.contains("  reviewed: 0\n") && fr.contains("  missing: 3\n"), "{fr}");
    let en = yaml_front_matter(&p.read("dist/en-US/flood/index.md"));
    assert!(en.contains("draft: false") && !en.contains("translation:"), "{en}");

    // Unreviewed drafts count as unreviewed, not reviewed.
    let es_ftl = p.read("locales/es-ES/flood.ftl");
    let first = es_ftl.lines().find(|l| l.contains(" = ")).unwrap().to_string();
    p.write(
        "locales/es-ES/flood.ftl",
        &es_ftl.replacen(&first, &format!("# unreviewed: apertium\n{first}"), 1),
    );
    p.run(&["build"]).expect_code(0);
    let es = yaml_front_matter(&p.read("dist/es-ES/flood/index.md"));
    assert!(es.contains("  reviewed: 2\n  unreviewed: 1\n"), "{es}");

    // Zola: TOML front matter with its own fields, the rest under [extra].
    p.write(
        "pipelines/flood.toml",
        &p.read("pipelines/flood.toml")
            .replace("[edition]\n", "[edition]\nfront_matter = \"toml\"\n"),
    );
    p.write(
        "articles/flood.txt",
        "Flood waters recede\n\nThe river fell by two metres overnight.\n",
    );
    p.write(
        "pipelines/flood.toml",
        &p.read("pipelines/flood.toml").replace("flood.md", "flood.txt"),
    );
    p.run(&["build"]).expect_code(0);
    let md = p.read("dist/fr-FR/flood/index.md");
    let rest = md.strip_prefix("+++\n").expect("TOML front matter");
    let fm: toml::Table =
        toml::from_str(&rest[..rest.find("+++\n").unwrap()]).expect("TOML parses");
    assert_eq!(fm["draft"].as_bool(), Some(true));
    assert_eq!(fm["slug"].as_str(), Some("flood"));
    assert_eq!(fm["extra"]["lang"].as_str(), Some("fr-FR"));
    assert_eq!(fm["extra"]["translation"]["missing"].as_integer(), Some(2));
    let zola_fields = ["title", "date", "slug", "draft", "authors", "extra"];
    assert!(fm.keys().all(|k| zola_fields.contains(&k.as_str())), "{fm:?}");

    let bad = two_article_site("[site]\n");
    bad.write(
        "pipelines/flood.toml",
        &bad.read("pipelines/flood.toml")
            .replace("[edition]\n", "[edition]\nfront_matter = \"json\"\n"),
    );
    let run = bad.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("front_matter") && run.stderr.contains("toml"), "{}", run.stderr);
}

/// A multilingual Hugo site made of diglot's Markdown editions: Hugo links
/// each article's translations through `translationKey` and publishes no
/// draft. Runs the real `hugo` (Debian package `hugo`, which scripts/test
/// installs); fails when it is missing.
#[test]
fn hugo_builds_a_multilingual_site_from_the_markdown_editions() {
    let p = two_article_site("[site]\n");
    p.write(
        "pipelines/flood.toml",
        &p.read("pipelines/flood.toml").replace("[edition]\n", "[edition]\ndraft_below = 50\n"),
    );
    p.run(&["build"]).expect_code(0);
    translate_all(&p, "flood", "es-ES");
    p.run(&["build"]).expect_code(0);

    // Each locale's Markdown editions are that language's content folder.
    let hugo = p.path().join("hugo");
    std::fs::create_dir_all(hugo.join("layouts/_default")).unwrap();
    let dist = p.path().join("dist");
    for file in walk(&dist).iter().filter(|f| f.ends_with(".md")) {
        let rel = std::path::Path::new(file).strip_prefix(&dist).unwrap();
        let to = hugo.join("content").join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(file, to).unwrap();
    }
    let dist = "content";
    std::fs::write(
        hugo.join("hugo.toml"),
        format!(
            "baseURL = \"https://news.example.org/\"\n\
             defaultContentLanguage = \"en\"\n\
             disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n\
             [languages.en]\nlanguageCode = \"en-US\"\ncontentDir = \"{d}/en-US\"\nweight = 1\n\
             [languages.es]\nlanguageCode = \"es-ES\"\ncontentDir = \"{d}/es-ES\"\nweight = 2\n\
             [languages.fr]\nlanguageCode = \"fr-FR\"\ncontentDir = \"{d}/fr-FR\"\nweight = 3\n",
            d = dist
        ),
    )
    .unwrap();
    std::fs::write(
        hugo.join("layouts/_default/single.html"),
        "<html lang=\"{{ .Site.LanguageCode }}\"><body><h1>{{ .Title }}</h1>\n\
         {{ range .Translations }}<a class=\"translation\" hreflang=\"{{ .Site.LanguageCode }}\" \
         href=\"{{ .RelPermalink }}\">{{ .Title }}</a>\n{{ end }}{{ .Content }}</body></html>\n",
    )
    .unwrap();
    std::fs::write(
        hugo.join("layouts/_default/list.html"),
        "{{ range .Pages }}{{ .Title }}\n{{ end }}",
    )
    .unwrap();
    std::fs::write(
        hugo.join("layouts/index.html"),
        "{{ range .Site.RegularPages }}{{ .Title }}\n{{ end }}",
    )
    .unwrap();
    let output = std::process::Command::new("hugo")
        .args(["--source", &hugo.to_string_lossy(), "--destination", "public"])
        .output()
        .expect("hugo runs (Debian package `hugo`; scripts/test installs it)");
    assert!(
        output.status.success(),
        "hugo failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let page = |rel: &str| std::fs::read_to_string(hugo.join("public").join(rel)).ok();
    let es = page("es/flood/index.html").expect("the Spanish flood page");
    let doc = Html::parse_document(&es);
    assert_eq!(attr(&doc, "html", "lang"), ["es-ES"]);
    assert_eq!(
        attr(&doc, "a.translation", "hreflang"),
        ["en-US"],
        "the draft is not a translation"
    );
    assert_eq!(attr(&doc, "a.translation", "href"), ["/flood/"]);
    assert!(es.contains("(es-ES)"), "the Spanish text: {es}");
    let en = Html::parse_document(&page("flood/index.html").expect("the English flood page"));
    assert_eq!(attr(&en, "a.translation", "hreflang"), ["es-ES"]);
    let andry = Html::parse_document(
        &page("es/andry-hernandez-romero/index.html").expect("the Spanish example"),
    );
    assert_eq!(attr(&andry, "a.translation", "hreflang"), ["en-US"]);
    // The French flood edition is below draft_below: a draft, not published.
    assert!(page("fr/flood/index.html").is_none());
    assert!(!walk(&hugo.join("public")).iter().any(|f| f.contains("/fr/flood")));
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    out
}

/// A dry run with a third locale that no provider has (the example uses
/// Apertium, which diglot runs for English <-> Spanish only) warns, instead
/// of planning a run that will fail.
#[test]
fn a_dry_run_warns_when_no_provider_has_the_pair() {
    let p = Project::example();
    p.write(
        "pipelines/andry-hernandez-romero.toml",
        &p.read("pipelines/andry-hernandez-romero.toml")
            .replace("locales = [\"es-ES\"]", "locales = [\"es-ES\", \"fr-FR\"]"),
    );
    p.run(&["extract"]).expect_code(0);
    // One Spanish sentence to translate, so Spanish has a plan too.
    let es = p.read("locales/es-ES/andry-hernandez-romero.ftl");
    let line = es.lines().find(|l| l.starts_with("andry-") && l.contains(" = ")).unwrap();
    p.write("locales/es-ES/andry-hernandez-romero.ftl", &es.replacen(&format!("{line}\n"), "", 1));
    let run = p.run(&["translate", "--dry-run"]).expect_code(0);
    assert!(
        run.stderr.contains("no configured provider translates en-US -> fr-FR"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("apertium has no en-US -> fr-FR pair"), "{}", run.stderr);
    assert!(run.stderr.contains("68 sentence(s) of fr-FR"), "{}", run.stderr);
    assert!(!run.stderr.contains("-> es-ES"), "Apertium has English -> Spanish: {}", run.stderr);
    // With a provider that may have the pair, no warning.
    p.write(
        "pipelines/andry-hernandez-romero.toml",
        &format!(
            "{}\n[[translate.providers]]\nkind = \"pseudo\"\n",
            p.read("pipelines/andry-hernandez-romero.toml")
        ),
    );
    let run = p.run(&["translate", "--dry-run"]).expect_code(0);
    assert!(!run.stderr.contains("no configured provider"), "{}", run.stderr);
}

#[test]
fn build_help_tells_of_sites() {
    let run = Project::empty().run(&["build", "--help"]).expect_code(0);
    let help = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for says in ["[site] table in diglot.toml", "<locale>/<slug>/", "sitemap.xml", "home page"] {
        assert!(help.contains(says), "{says}: {}", run.stdout);
    }
}

/// A project started with `init` publishes to `dist/<slug>/`; given a
/// `[site]`, its site takes the place of those folders, which diglot made.
/// A file of someone else's among them still stops the build.
#[test]
fn a_site_replaces_the_folders_its_pipelines_published_to() {
    let p = Project::empty();
    p.write("story.md", FLOOD);
    p.run(&["init", "--from", "story.md", "--locales", "es-ES"]).expect_code(0);
    p.run(&["build"]).expect_code(0);
    assert!(p.exists("dist/story/es-ES/index.html"));
    p.write("dist/notes.txt", "mine");
    p.write("diglot.toml", "[site]\n");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("was not made by diglot"), "{}", run.stderr);
    assert_eq!(p.read("dist/notes.txt"), "mine");
    std::fs::remove_file(p.path().join("dist/notes.txt")).unwrap();
    p.run(&["build"]).expect_code(0);
    assert!(p.exists("dist/es-ES/story/index.html"));
    assert!(!p.exists("dist/story"));
}

/// A site turned off and on again: the pipelines' own folders written inside
/// the site's folder while it was off are diglot's, and the site replaces
/// them; a reader's file anywhere in there is still never deleted.
#[test]
fn a_site_can_be_turned_off_and_on_again() {
    let p = Project::empty();
    p.write("town.md", "# Town\n\nThe cat sleeps in the house.\n");
    p.write("lib.md", "# Library\n\nThe city has a new library.\n");
    p.run(&["init", "--lang", "en-US", "--from", "town.md", "--locales", "es-ES", "."])
        .expect_code(0);
    p.run(&["new", "lib", "--lang", "en-US", "--from", "lib.md"]).expect_code(0);
    let site = "[site]\nbase_url = \"https://x.org/\"\n";
    p.write("diglot.toml", site);
    p.run(&["build"]).expect_code(0);
    let as_site = p.snapshot("dist");

    std::fs::remove_file(p.path().join("diglot.toml")).unwrap();
    p.run(&["build"]).expect_code(0);
    assert!(p.exists("dist/town/es-ES/index.html") && p.exists("dist/lib/es-ES/index.html"));

    p.write("diglot.toml", site);
    let run = p.run(&["build"]).expect_code(0);
    assert!(run.stdout.contains("wrote dist/"), "{}", run.stdout);
    assert_eq!(p.snapshot("dist"), as_site, "the site alone, as before");

    // Off again, then a file of someone's inside a pipeline's folder: the
    // site refuses to replace it.
    std::fs::remove_file(p.path().join("diglot.toml")).unwrap();
    p.run(&["build"]).expect_code(0);
    p.write("dist/town/notes.txt", "mine\n");
    p.write("diglot.toml", site);
    let run = p.run(&["build"]).expect_code(2);
    assert!(run.stderr.contains("town/notes.txt"), "{}", run.stderr);
    assert_eq!(p.read("dist/town/notes.txt"), "mine\n");
}
