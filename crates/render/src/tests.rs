use diglot_core::{
    BlockKind, EditionBlock, FrontMatterSyntax, IsoDate, LocalizedSegment, SegmentId, SegmentStatus,
};

use super::*;

use SegmentStatus::{Missing, Stale, Translated, Unreviewed};

fn seg(source: &str, text: &str, status: SegmentStatus) -> LocalizedSegment {
    let text = if status.is_fallback() { source } else { text };
    LocalizedSegment {
        id: SegmentId::for_text(source),
        source: source.into(),
        text: text.into(),
        status,
    }
}

fn block(kind: BlockKind, segments: Vec<LocalizedSegment>) -> EditionBlock {
    EditionBlock { kind, segments }
}

fn item(depth: u8, segment: LocalizedSegment) -> EditionBlock {
    block(BlockKind::ListItem { ordered: false, depth, task: None }, vec![segment])
}

fn cell(row: u16, col: u16, segment: LocalizedSegment) -> EditionBlock {
    block(BlockKind::TableCell { table: 0, row, col, header: row == 0 }, vec![segment])
}

/// The Spanish edition of a small article: every block kind, one segment of
/// each status, a hostile translation.
fn spanish() -> Edition {
    let blocks = vec![
        block(BlockKind::Title, vec![seg("Andry lights up", "Andry se ilumina", Translated)]),
        block(
            BlockKind::Paragraph,
            vec![
                seg(
                    "He *loves* [pasta](https://example.com/pasta \"Pasta\").",
                    "Le *encanta* la [pasta](https://example.com/pasta \"Pasta\").",
                    Translated,
                ),
                seg("It was his mother's recipe.", "", Missing),
            ],
        ),
        block(BlockKind::Heading { level: 2 }, vec![seg("The kitchen", "La cocina", Translated)]),
        block(BlockKind::Quote, vec![seg("\"Food is memory,\" he says.", "", Stale)]),
        item(0, seg("Tomatoes", "Tomates", Translated)),
        item(1, seg("San Marzano", "San Marzano, en borrador", Unreviewed)),
        item(0, seg("Basil", "Albahaca", Translated)),
        cell(0, 0, seg("Dish", "Plato", Translated)),
        cell(0, 1, seg("Price", "Precio", Translated)),
        cell(1, 0, seg("Pasta", "Pasta", Translated)),
        cell(1, 1, seg("12 | 14 €", "12 | 14 €", Translated)),
        block(
            BlockKind::Paragraph,
            vec![
                seg("Be careful.", "<script>alert(1)</script> Cuidado.", Translated),
                seg("Click here.", "Pulse [aquí](javascript:alert(1)).", Translated),
            ],
        ),
    ];
    let strings = [
        ("edition-byline", "Por Ana Ruiz"),
        ("edition-published", "Publicado el 26 de noviembre de 2026"),
        ("edition-reading-time", "Tiempo de lectura: 2 minutos"),
        ("edition-translated-from", "Traducido del inglés"),
        ("edition-translation-status", "Traducidas 9 de 12 frases"),
        ("edition-fallback-note", "Aún sin traducir: se muestra en el idioma original."),
        ("edition-language-name", "Español"),
        ("edition-read-in", "También disponible en"),
        (
            "edition-stale-note",
            "El original cambió tras la traducción: se muestra en el idioma original.",
        ),
        ("edition-unreviewed-note", "Traducción provisional, pendiente de revisión."),
        ("edition-bilingual-title", "Edición bilingüe"),
        ("edition-bilingual-label", "Bilingüe"),
        ("edition-skip-to-content", "Ir al contenido"),
    ];
    Edition {
        slug: "andry".into(),
        locale: "es-ES".parse().unwrap(),
        source_locale: "en-US".parse().unwrap(),
        blocks,
        strings: strings.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        published: IsoDate::parse("2026-11-26"),
        author: Some("Ana \"Anita\" Ruiz: reportera".into()),
        draft: false,
        front_matter: FrontMatterSyntax::Yaml,
        counts: Default::default(),
    }
}

/// The source edition the Spanish one was made from.
fn english() -> Edition {
    let es = spanish();
    let blocks = es
        .blocks
        .iter()
        .map(|b| EditionBlock {
            kind: b.kind,
            segments: b
                .segments
                .iter()
                .map(|s| LocalizedSegment {
                    text: s.source.clone(),
                    status: SegmentStatus::Source,
                    ..s.clone()
                })
                .collect(),
        })
        .collect();
    let strings = [
        ("edition-byline", "By Ana Ruiz"),
        ("edition-original-language", "Original edition in English"),
        ("edition-language-name", "English"),
    ];
    Edition {
        locale: es.source_locale.clone(),
        blocks,
        strings: strings.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        author: None,
        ..es
    }
}

fn html(edition: &Edition, others: &[&Edition]) -> String {
    render(edition, others, Format::Html).unwrap()
}

/// The page without its stylesheet, for snapshots.
fn without_style(page: &str) -> String {
    let start = page.find("<style>").unwrap();
    let end = page.find("</style>").unwrap();
    format!("{}<style>…{}", &page[..start], &page[end..])
}

#[test]
fn page_declares_its_language_and_alternates() {
    let (en, es) = (english(), spanish());
    let page = html(&es, &[&en]);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"es-ES\" dir=\"ltr\">"), "{page}");
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains("name=\"viewport\""));
    assert!(page.contains("<title>Andry se ilumina</title>"));
    // Without a base URL, links are relative and end in `index.html`, so
    // they work from a web server and from files opened on disk.
    assert!(page.contains("<link rel=\"canonical\" href=\"index.html\">"));
    for (lang, href) in [
        ("en-US", "../en-US/index.html"),
        ("es-ES", "index.html"),
        ("x-default", "../en-US/index.html"),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\">");
        assert!(page.contains(&link), "missing {link}");
    }
    // The switcher links the other edition in its own language, and the
    // bilingual page.
    assert!(
        page.contains(
            "<a href=\"../en-US/index.html\" hreflang=\"en-US\" lang=\"en-US\">English</a>"
        )
    );
    assert!(page.contains("<a href=\"../bilingual/index.html\">Bilingüe</a>"));
    assert!(page.contains("<p class=\"kicker\">Traducido del inglés</p>"));
    assert!(page.contains("Traducidas 9 de 12 frases"));
    assert!(page.ends_with("</html>\n"));
}

#[test]
fn translations_cannot_inject_markup() {
    let mut hostile = spanish();
    hostile.author = Some("</script><script>alert(1)</script>".into());
    let page = html(&hostile, &[]);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; Cuidado. Pulse aquí."), "{page}");
    // The one script is the JSON-LD, which no text can end early.
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert_eq!(page.matches("</script>").count(), 1, "{page}");
    assert!(page.contains("\\u003c/script\\u003e"), "{page}");
    assert!(!page.contains("javascript:"));
    let md = render(&spanish(), &[], Format::Markdown).unwrap();
    assert!(md.contains("\n\\<script>alert(1)\\</script> Cuidado. Pulse aquí.\n"), "{md}");
    // Attribute values are escaped too.
    let mut es = spanish();
    es.strings.insert("edition-fallback-note".into(), "\"><b>x</b>".into());
    let page = html(&es, &[]);
    assert!(page.contains("title=\"&quot;&gt;&lt;b&gt;x&lt;/b&gt;\""), "{page}");
}

#[test]
fn fallbacks_carry_the_source_language() {
    let page = html(&spanish(), &[]);
    assert!(page.contains(
        "<span lang=\"en-US\" class=\"fallback\" title=\"Aún sin traducir: se muestra en el idioma original.\">It was his mother&#39;s recipe.</span>"
    ), "{page}");
    assert!(page.contains("<span lang=\"en-US\" class=\"fallback stale\" title=\"El original cambió tras la traducción: se muestra en el idioma original.\">&quot;Food is memory,&quot; he says.</span>"), "{page}");
    assert!(page.contains(
        "<span class=\"unreviewed\" title=\"Traducción provisional, pendiente de revisión.\">San Marzano, en borrador</span>"
    ));
    // The legend explains each marker the page uses.
    assert_eq!(page.matches("class=\"legend\"").count(), 1);
    assert_eq!(page.matches(" sample\" aria-hidden=\"true\">Aa</span>").count(), 3);
}

#[test]
fn source_edition_has_no_markers() {
    let page = html(&english(), &[&spanish()]);
    assert!(page.contains("<html lang=\"en-US\""));
    assert!(!page.contains("class=\"fallback"));
    assert!(!page.contains("class=\"unreviewed"));
    assert!(!page.contains("<aside class=\"translation-note\""));
    assert!(page.contains("Original edition in English"));
}

#[test]
fn spanish_page_snapshot() {
    insta::assert_snapshot!(without_style(&html(&spanish(), &[&english()])));
}

#[test]
fn missing_strings_fall_back_without_panicking() {
    let mut es = spanish();
    es.strings.clear();
    es.published = None;
    es.author = None;
    let page = html(&es, &[&english()]);
    // No English stands in for Spanish: what is missing is left empty.
    assert!(page.contains("<a class=\"skip\" href=\"#content\"></a>"), "{page}");
    assert!(!page.contains("Skip to content") && !page.contains("Not translated yet"), "{page}");
    assert!(page.contains("<span class=\"edition-name\">es-ES</span>"));
    assert!(!page.contains("class=\"meta\""), "no byline, date or reading time to show");
    let md = render(&es, &[], Format::Markdown).unwrap();
    assert!(!md.contains("date:"));
    render_bilingual(&english(), &es).unwrap();
}

#[test]
fn lists_nest_and_tables_have_headers() {
    let page = html(&spanish(), &[]);
    assert!(page.contains(
        "<ul>\n<li>Tomates<ul>\n<li><span class=\"unreviewed\" title=\"Traducción provisional, pendiente de revisión.\">San Marzano, en borrador</span></li>\n</ul>\n</li>\n<li>Albahaca</li>\n</ul>\n"
    ), "{page}");
    assert!(page.contains("<thead>\n<tr><th scope=\"col\">Plato</th><th scope=\"col\">Precio</th></tr>\n</thead>\n<tbody>\n<tr><td>Pasta</td><td>12 | 14 €</td></tr>\n</tbody>"), "{page}");
    assert!(page.contains(
        "<p>Le <em>encanta</em> la <a href=\"https://example.com/pasta\" title=\"Pasta\">pasta</a>."
    ));
}

#[test]
fn bilingual_pairs_blocks_with_their_languages() {
    let page = render_bilingual(&english(), &spanish()).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"es-ES\" dir=\"ltr\">"));
    assert!(page.contains("<title>Andry se ilumina · Edición bilingüe</title>"));
    // Title, paragraph, heading, quote, list, table, paragraph.
    assert_eq!(page.matches("<div class=\"pair ").count(), 8, "7 rows and the header");
    let heading = page.split("<div class=\"pair heading\">").nth(1).unwrap();
    let heading = &heading[..heading.find("<div class=\"pair ").unwrap()];
    assert!(
        heading.contains("<div class=\"src\" lang=\"en-US\" dir=\"ltr\">\n<h2>The kitchen</h2>")
    );
    assert!(heading.contains("<div class=\"tgt\" lang=\"es-ES\" dir=\"ltr\">\n<h2>La cocina</h2>"));
    assert!(page.contains("<span lang=\"en-US\" class=\"fallback\""));
    assert!(page.contains("grid-template-columns: 1fr 1fr"));
    assert!(page.contains("@media (max-width: 44rem)"));
}

#[test]
fn bilingual_snapshot() {
    insta::assert_snapshot!(without_style(&render_bilingual(&english(), &spanish()).unwrap()));
}

#[test]
fn markdown_has_front_matter_for_hugo_and_zola() {
    let md = render(&spanish(), &[], Format::Markdown).unwrap();
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "---");
    let end = lines[1..].iter().position(|l| *l == "---").unwrap() + 1;
    let fm = &lines[1..end];
    for expected in [
        "title: \"Andry se ilumina\"",
        "date: 2026-11-26",
        "lang: \"es-ES\"",
        "slug: \"andry\"",
        "translationKey: \"andry\"",
        "draft: false",
        "authors: [\"Ana \\\"Anita\\\" Ruiz: reportera\"]",
    ] {
        assert!(fm.contains(&expected), "missing {expected:?} in {fm:?}");
    }
    // How the translation stands, under `translation:` (13 sentences: 10
    // reviewed, one draft, one stale, one missing; the cell `12 | 14 €` has
    // no letter, so nothing to translate, and does not count).
    let at = fm.iter().position(|l| *l == "translation:").expect("translation fields");
    assert_eq!(
        fm[at + 1..],
        [
            "  coverage: 84.6",
            "  sentences: 13",
            "  reviewed: 10",
            "  unreviewed: 1",
            "  stale: 1",
            "  missing: 1"
        ]
    );
    // Each other front matter line is `key: value`, the value a YAML scalar.
    for line in &fm[..at] {
        let (key, value) = line.split_once(": ").unwrap();
        assert!(key.chars().all(|c| c.is_ascii_alphabetic()), "{line}");
        assert!(!value.is_empty());
    }
    // Below the pipeline's gate, a draft; Zola gets TOML on request.
    let mut draft = spanish();
    draft.draft = true;
    draft.front_matter = FrontMatterSyntax::Toml;
    let zola = render(&draft, &[], Format::Markdown).unwrap();
    assert!(zola.starts_with("+++\ntitle = \"Andry se ilumina\"\ndate = 2026-11-26\n"), "{zola}");
    assert!(zola.contains("\ndraft = true\n"), "{zola}");
    assert!(zola.contains("\n[extra.translation]\ncoverage = 84.6\n"), "{zola}");
    assert!(!md.contains("\n# "), "the title lives in the front matter");
    assert!(md.ends_with('\n') && !md.ends_with("\n\n"));
    insta::assert_snapshot!(md);
}

#[test]
fn json_has_every_block_and_segment_once() {
    let es = spanish();
    let json = render(&es, &[], Format::Json).unwrap();
    assert!(json.ends_with("}\n") && json.lines().count() == 1, "one line: {json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format_version"], 2);
    assert_eq!(value["title"], "Andry se ilumina");
    assert_eq!(value["strings"]["edition-byline"], "Por Ana Ruiz");
    let blocks = value["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), es.blocks.len());
    for (b, block) in blocks.iter().zip(&es.blocks) {
        assert_eq!(b["kind"], serde_json::to_value(block.kind).unwrap());
        let segments = b["segments"].as_array().unwrap();
        assert_eq!(segments.len(), block.segments.len());
        for (s, segment) in segments.iter().zip(&block.segments) {
            assert_eq!(s["id"], segment.id.as_str());
            // The source text is the source edition's, by `id`; a
            // translation's status is said only when it is not `translated`.
            let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
            if segment.status == Translated {
                assert_eq!(keys, ["id", "inlines"], "{s}");
            } else {
                assert_eq!(keys, ["id", "inlines", "status"], "{s}");
                assert_eq!(s["status"], serde_json::to_value(segment.status).unwrap());
            }
        }
    }
    let inlines =
        |block: usize, segment: usize| &value["blocks"][block]["segments"][segment]["inlines"];
    assert_eq!(
        *inlines(1, 0),
        serde_json::json!([
            "Le ",
            {"emphasis": ["encanta"]},
            " la ",
            {"link": ["pasta"], "href": "https://example.com/pasta", "title": "Pasta"},
            "."
        ])
    );
    // A sentence not translated yet is published, and marked, as written.
    assert_eq!(value["blocks"][1]["segments"][1]["status"], "missing");
    assert_eq!(*inlines(1, 1), serde_json::json!(["It was his mother's recipe."]));
}

#[test]
fn json_inlines_of_every_kind() {
    let source = "A `x`, **b**\\\nc <kbd>K</kbd>[^1] [d][nope] [e](/f).";
    let json = render(&one_paragraph(source, source), &[], Format::Json).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["blocks"][0]["segments"][0]["inlines"],
        serde_json::json!([
            "A ",
            {"code": "x"},
            ", ",
            {"strong": ["b"]},
            {"break": true},
            "c ",
            {"raw": "<kbd>"},
            "K",
            {"raw": "</kbd>"},
            {"raw": "[^1]"},
            " ",
            {"ref_link": ["d"], "label": "nope"},
            " ",
            {"link": ["e"], "href": "/f"},
            "."
        ]),
        "{json}"
    );
}

#[test]
fn site_lays_out_every_edition() {
    let files = render_site(&[spanish(), english()], Some((1, 0))).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "bilingual/index.html",
            "en-US/index.html",
            "en-US/index.json",
            "en-US/index.md",
            "es-ES/index.html",
            "es-ES/index.json",
            "es-ES/index.md",
        ]
    );
    assert!(files.iter().all(|f| f.contents.ends_with('\n')));
    let again = render_site(&[spanish(), english()], Some((1, 0))).unwrap();
    assert_eq!(files, again, "output is deterministic");
    let bilingual = &files[0].contents;
    assert!(bilingual.contains("<div class=\"src\" lang=\"en-US\""));

    // Without a bilingual page, nothing links one.
    let files = render_site(&[spanish(), english()], None).unwrap();
    assert_eq!(files.len(), 6);
    assert!(files.iter().all(|f| !f.contents.contains("../bilingual/")));
}

#[test]
fn site_rejects_bad_input() {
    let err = render_site(&[english()], Some((0, 3))).unwrap_err();
    assert!(matches!(err, Error::BilingualPair { count: 1, .. }), "{err}");
    let err = render_site(&[english(), english()], None).unwrap_err();
    assert!(matches!(err, Error::DuplicateLocale { .. }), "{err}");
}

#[test]
fn markdown_lists_and_quotes() {
    let mut es = spanish();
    es.blocks.push(EditionBlock {
        kind: BlockKind::ListItem { ordered: true, depth: 0, task: None },
        segments: vec![seg("One", "Uno", Translated)],
    });
    es.blocks.push(EditionBlock {
        kind: BlockKind::ListItem { ordered: true, depth: 1, task: None },
        segments: vec![seg("Two", "Dos\\\nlíneas", Translated)],
    });
    let md = render(&es, &[], Format::Markdown).unwrap();
    assert!(md.contains("\n1. Uno\n   1. Dos\\\n      líneas\n"), "{md}");
    assert!(md.contains("\n> \"Food is memory,\" he says.\n"), "{md}");
}

/// One paragraph block with one segment.
fn one_paragraph(source: &str, text: &str) -> Edition {
    let mut e = spanish();
    e.blocks = vec![block(BlockKind::Paragraph, vec![seg(source, text, Translated)])];
    e
}

#[test]
fn raw_pieces_are_published_only_when_the_source_has_them() {
    let source = "Press <kbd>K</kbd> or see {{< ref \"a.md\" >}}.";
    let e = one_paragraph(
        source,
        "Pulse <kbd>K</kbd> o vea {{< ref \"a.md\" >}} {{% param \"secret\" %}} <script>x</script>.",
    );
    let md = render(&e, &[], Format::Markdown).unwrap();
    assert!(md.contains("Pulse <kbd>K</kbd> o vea {{< ref \"a.md\" >}}"), "{md}");
    assert!(md.contains("{\\{\\% param \"secret\" %}}"), "a new shortcode is text: {md}");
    assert!(md.contains("\\<script>"), "{md}");
    let page = html(&e, &[]);
    assert!(page.contains("Pulse <kbd>K</kbd> o vea  "), "shortcodes have no HTML: {page}");
    assert!(page.contains("{{% param &quot;secret&quot; %}} &lt;script&gt;"), "{page}");
    let json = render(&e, &[], Format::Json).unwrap();
    assert!(json.contains(r#"{"raw":"<kbd>"}"#), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let inlines = value["blocks"][0]["segments"][0]["inlines"].as_array().unwrap().clone();
    assert!(inlines.iter().any(|i| i == "<script>"), "a tag the source lacks is text: {json}");
    assert!(!inlines.iter().any(|i| i["raw"] == "<script>"), "{json}");
}

#[test]
fn json_drops_links_that_run_script() {
    for href in ["javascript:alert(1)", "data:text/html,x", "VBScript:x", " javascript:x"] {
        let e = one_paragraph("Click [here](https://a.org).", &format!("Pulse [aquí]({href})."));
        let json = render(&e, &[], Format::Json).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let inlines = &value["blocks"][0]["segments"][0]["inlines"];
        assert!(!inlines.to_string().contains(r#""link""#), "{href}: {inlines}");
        assert!(inlines.to_string().contains("aquí"), "text kept: {inlines}");
    }
}

#[test]
fn images_and_footnote_references_in_html() {
    let source = "A map ![The *route*](map.png \"Route\") and a note[^1].";
    let page = html(&one_paragraph(source, source), &[]);
    assert!(
        page.contains(r#"<img src="map.png" alt="The route" title="Route">"#)
            && page.contains(r#"<sup class="footnote-ref">1</sup>"#),
        "{page}"
    );
    let script = "![x](javascript:alert(1)) text";
    assert!(!html(&one_paragraph(script, script), &[]).contains("<img"));
}

#[test]
fn reference_links_resolve_in_html_and_json_and_stay_references_in_markdown() {
    let source = "Read [the manual][man] or [the other][nope].";
    let mut es = one_paragraph(source, "Lea [el manual][man] o [el otro][nope].");
    es.blocks[0].kind = BlockKind::Paragraph;
    let mut en = english();
    en.blocks = vec![block(
        BlockKind::Paragraph,
        vec![LocalizedSegment {
            id: SegmentId::for_text(source),
            source: source.into(),
            text: source.into(),
            status: SegmentStatus::Source,
        }],
    )];
    let text = format!("{source}\n\n[man]: https://example.org/m \"The manual\"\n");
    let skeleton = Skeleton {
        spans: vec![diglot_core::Span {
            range: 0..source.len(),
            block: 0,
            kind: diglot_core::SpanKind::Inline {
                prefix: String::new(),
                one_line: false,
                table_cell: false,
                style: Default::default(),
            },
        }],
        references: [("Man".to_string(), ("https://example.org/m".into(), "The manual".into()))]
            .into(),
        source: text,
        ..Skeleton::default()
    };
    let files = render_site_with(&[en, es], None, Some(&skeleton)).unwrap().files;
    let get = |path: &str| &files.iter().find(|f| f.path == path).unwrap().contents;
    assert!(
        get("es-ES/index.html").contains(
            r#"Lea <a href="https://example.org/m" title="The manual">el manual</a> o el otro."#
        ),
        "{}",
        get("es-ES/index.html")
    );
    assert!(get("es-ES/index.json").contains(r#""href":"https://example.org/m""#));
    let md = get("es-ES/index.md");
    assert!(
        md.contains("Lea [el manual][man] o [el otro][nope].\n\n[man]: https://example.org/m"),
        "{md}"
    );
}

#[test]
fn hrefs_are_judged_as_browsers_read_them() {
    let page = |href: &str| html(&one_paragraph("[a](b)", &format!("[x]({href})")), &[]);
    assert!(page("foo%29:").contains("<a href=\"foo%29:\">"), "a relative reference");
    assert!(page("<foo):>").contains("<a href=\"foo):\">"), "not a scheme: {}", page("<foo):>"));
    for bad in ["<java\tscript:alert(1)>", "JavaScript:alert(1)", "<\u{1}javascript:x>"] {
        assert!(!page(bad).contains("<a href"), "{bad:?}");
    }
}

#[test]
fn headings_keep_their_levels_below_the_title() {
    let heading =
        |level, text| block(BlockKind::Heading { level }, vec![seg(text, text, Translated)]);
    let mut e = spanish();
    e.blocks = vec![
        block(BlockKind::Title, vec![seg("Title", "Título", Translated)]),
        heading(1, "Part one"),
        heading(2, "A section"),
        heading(6, "Deep"),
    ];
    let page = html(&e, &[]);
    assert!(
        page.contains("<h2>Part one</h2>")
            && page.contains("<h3>A section</h3>")
            && page.contains("<h6>Deep</h6>"),
        "`#` and `##` below the title stay apart: {page}"
    );
    // Without `#` headings below the title, `##` stays h2.
    e.blocks.remove(1);
    let page = html(&e, &[]);
    assert!(page.contains("<h2>A section</h2>"), "{page}");
}

#[test]
fn images_show_their_translated_alt_text_and_only_the_sources_images() {
    let html_of = |segment: &LocalizedSegment| {
        let mut out = String::new();
        html::inlines_html(&html::segment_inlines(segment), &mut out);
        out
    };
    let source = "A ![red kite](kite.png \"Kite\") flies.";
    let translated = seg(source, "Un ![milano real](kite.png \"Milano\") vuela.", Translated);
    assert_eq!(
        html_of(&translated),
        "Un <img src=\"kite.png\" alt=\"milano real\" title=\"Milano\"> vuela."
    );
    // An image the source does not have is its alternative text only.
    let injected = seg(source, "Un ![milano](evil.png) vuela.", Translated);
    assert_eq!(html_of(&injected), "Un milano vuela.");
}

#[test]
fn a_translated_attribute_is_set_in_the_piece_s_own_tag_as_written() {
    use crate::html::set_attribute;
    assert_eq!(
        set_attribute("<a href=\"/x\" title=\"More\">", "title", "Más"),
        "<a href=\"/x\" title=\"Más\">"
    );
    // Its own tag comes last, after wrappers, empty elements and comments.
    assert_eq!(
        set_attribute(
            "<span title='w>'><!-- <a title=x> --><a name=\"n\"></a><A HREF=/x TITLE=More>",
            "title",
            "a \"b\""
        ),
        "<span title='w>'><!-- <a title=x> --><a name=\"n\"></a><A HREF=/x TITLE=\"a &quot;b&quot;\">"
    );
    assert_eq!(
        set_attribute("<img data-alt=\"no\" src='a.png' alt = 'A cat'/>", "alt", "Un gato"),
        "<img data-alt=\"no\" src='a.png' alt = 'Un gato'/>"
    );
    // No such attribute: as written.
    assert_eq!(set_attribute("<img src=a.png>", "alt", "x"), "<img src=a.png>");
    assert_eq!(set_attribute("<img disabled src=a.png>", "title", "x"), "<img disabled src=a.png>");
}

#[test]
fn json_strings_keep_the_article_data_under_their_meta_keys() {
    let json = render(&spanish(), &[], Format::Json).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let strings = &v["strings"];
    assert_eq!(strings["meta-published"], "2026-11-26");
    assert_eq!(strings["meta-author"], "Ana \"Anita\" Ruiz: reportera");
    assert!(strings.get("meta-draft").is_none() && strings.get("meta-front-matter").is_none());
    let mut draft = spanish();
    draft.draft = true;
    draft.front_matter = FrontMatterSyntax::Toml;
    draft.published = None;
    let json = render(&draft, &[], Format::Json).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let strings = &v["strings"];
    assert_eq!(strings["meta-draft"], "true");
    assert_eq!(strings["meta-front-matter"], "toml");
    assert!(strings.get("meta-published").is_none());
}
