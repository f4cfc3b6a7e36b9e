use diglot_core::{
    Block, BlockKind, Document, Inline, Locale, Segmented, Translation, TranslationState,
    Translations,
};

use crate::xliff::Version;
use crate::{Catalog, ImportedState, plan_import, po, xliff};

fn locale(tag: &str) -> Locale {
    tag.parse().unwrap()
}

/// A small article: a title, a paragraph of two sentences with markup, and
/// a repeated sentence.
fn article() -> Segmented {
    let s = |text: &str| diglot_core::Segment::new(text.to_string());
    Segmented {
        lang: locale("en-US"),
        blocks: vec![
            diglot_core::SegmentedBlock { kind: BlockKind::Title, segments: vec![s("A title")] },
            diglot_core::SegmentedBlock {
                kind: BlockKind::Paragraph,
                segments: vec![
                    s("Read *the* [report](https://example.org/r?a=1&b=2 \"Report\")."),
                    s("Run `cargo test` now."),
                ],
            },
            diglot_core::SegmentedBlock {
                kind: BlockKind::Paragraph,
                segments: vec![s("A title"), s("Plain & simple <b>.")],
            },
        ],
    }
}

fn id(seg: &Segmented, n: usize) -> diglot_core::SegmentId {
    seg.segments().nth(n).unwrap().id.clone()
}

fn translations(seg: &Segmented) -> Translations {
    let mut t = Translations::default();
    t.entries.insert(
        id(seg, 0),
        Translation { text: "Un título".into(), state: TranslationState::Reviewed },
    );
    t.entries.insert(
        id(seg, 1),
        Translation {
            text: "Lee *el* [informe](https://example.org/r?a=1&b=2 \"Report\").".into(),
            state: TranslationState::Unreviewed { origin: "apertium".into(), checks: vec![] },
        },
    );
    t.entries.insert(
        id(seg, 2),
        Translation {
            text: "Ejecuta `cargo test` ya.".into(),
            state: TranslationState::Stale { previous_source: "Run `cargo test`.".into() },
        },
    );
    t
}

fn catalog(seg: &Segmented) -> Catalog {
    Catalog::new("demo", "locales/es-ES/demo.ftl", seg, &locale("es-ES"), &translations(seg))
}

#[test]
fn catalog_groups_blocks_as_the_locale_file_does() {
    let seg = article();
    let c = catalog(&seg);
    let labels: Vec<&str> = c.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, ["Title", "Paragraph 1", "Paragraph 2"]);
    // The repeated title is one unit, at its first place.
    assert_eq!(c.units().count(), 4);
    assert_eq!(c.groups[2].units.len(), 1);
    assert_eq!(c.groups[1].units[1].location, "Paragraph 1, sentence 2 of 2");
    assert_eq!(c.groups[2].units[0].location, "Paragraph 2, sentence 2 of 2");
}

#[test]
fn po_export_marks_states_and_keeps_markdown() {
    let seg = article();
    let po = po::write(&catalog(&seg));
    assert!(po.contains("\"Language: es_ES\\n\"\n"), "{po}");
    let entry = |n: usize| {
        let ctx = format!("msgctxt \"{}\"", id(&seg, n));
        let at = po.find(&ctx).unwrap_or_else(|| panic!("{ctx} in\n{po}"));
        let start = po[..at].rfind("\n\n").unwrap() + 2;
        let end = po[at..].find("\n\n").map_or(po.len(), |e| at + e);
        po[start..end].to_string()
    };
    assert!(!entry(0).contains("fuzzy"), "{}", entry(0));
    assert!(entry(0).contains("msgstr \"Un título\""));
    assert!(entry(1).contains("#, fuzzy\n"));
    assert!(entry(1).contains("#. Draft from apertium, not reviewed yet.\n"));
    assert!(
        entry(1).contains(
            "msgid \"Read *the* [report](https://example.org/r?a=1&b=2 \\\"Report\\\").\""
        )
    );
    assert!(entry(2).contains("#, fuzzy\n#| msgid \"Run `cargo test`.\"\n"), "{}", entry(2));
    assert!(entry(4).contains("msgstr \"\"\n") || entry(4).ends_with("msgstr \"\""));
}

#[test]
fn po_reads_back_what_it_writes() {
    let seg = article();
    let imported = po::read("es.po", &po::write(&catalog(&seg))).unwrap();
    assert_eq!(imported.target_locale.as_deref(), Some("es-ES"));
    assert_eq!(imported.slug.as_deref(), Some("demo"));
    let states: Vec<ImportedState> = imported.units.iter().map(|u| u.state).collect();
    use ImportedState::*;
    assert_eq!(states, [Final, Translated, Translated, Initial]);
    assert_eq!(imported.units[1].source, seg.segments().nth(1).unwrap().text);
    // Nothing edited: the import changes nothing.
    let plan = plan_import(&imported, &seg, &translations(&seg), "po import");
    assert!(plan.updates.entries.is_empty(), "{plan:?}");
    assert!(plan.skipped.is_empty());
    assert_eq!((plan.unchanged, plan.untranslated), (3, 1));
}

#[test]
fn po_strings_with_line_breaks_round_trip() {
    let mut seg = article();
    seg.blocks[0].segments[0] = diglot_core::Segment::new("Line one\\\nline two".into());
    let po = po::write(&catalog(&seg));
    assert!(po.contains("msgid \"\"\n\"Line one\\\\\\n\"\n\"line two\"\n"), "{po}");
    let imported = po::read("es.po", &po).unwrap();
    assert_eq!(imported.units[0].source, "Line one\\\nline two");
}

#[test]
fn po_errors_name_line_and_column() {
    let check = |text: &str, at: (usize, usize), what: &str| {
        let err = po::read("es.po", text).unwrap_err();
        assert_eq!((err.line, err.col), at, "{err}");
        assert!(err.message.contains(what), "{err}");
        assert!(err.help.is_some());
    };
    check("msgctxt \"a\"\nmsgid \"b\nmsgstr \"\"\n", (2, 7), "no closing quote");
    check("msgctxt \"a\"\nmsgid \"b\"\nmsgstr \"x\\q\"\n", (3, 10), "unknown escape `\\q`");
    check("msgctxt \"a\"\nmsgid \"b\"\nmsgtsr \"\"\n", (3, 1), "`msgtsr` is not a PO keyword");
    check("msgctxt \"a\"\nmsgid \"b\"\n  msgstr[0] \"\"\n", (3, 3), "plural");
    check("\n\"orphan\"\n", (2, 1), "continues nothing");
    check("msgid \"b\"\nmsgstr \"c\"\n", (1, 1), "no msgctxt");
    check("msgctxt \"a\"\nmsgid \"b\"\nmsgstr \"c\" x\n", (3, 12), "after the closing quote");
}

#[test]
fn po_reads_tool_output() {
    // What Poedit writes after an edit: a wrapped string, flags moved, an
    // obsolete entry and a translator comment.
    let text = "msgid \"\"\nmsgstr \"\"\n\"Language: es\\n\"\n\n# mine\n#. where\n#, fuzzy, c-format\nmsgctxt \"x-1\"\nmsgid \"\"\n\"Hello \"\n\"world\"\nmsgstr \"Hola \"\n\"mundo\"\n\n#~ msgid \"old\"\n#~ msgstr \"viejo\"\n";
    let imported = po::read("es.po", text).unwrap();
    assert_eq!(imported.target_locale.as_deref(), Some("es"));
    assert_eq!(imported.units.len(), 1);
    let u = &imported.units[0];
    assert_eq!((u.id.as_str(), u.source.as_str()), ("x-1", "Hello world"));
    assert_eq!(u.target.as_deref(), Some("Hola mundo"));
    assert_eq!(u.state, ImportedState::Translated);
    assert_eq!(u.line, 5);
}

#[test]
fn plan_applies_edits_and_reports_what_no_longer_fits() {
    let seg = article();
    let current = translations(&seg);
    let mut imported = po::read("es.po", &po::write(&catalog(&seg))).unwrap();
    // Reviewed text changed and final: reviewed.
    imported.units[0].target = Some("Un titular".into());
    // A draft accepted as is: reviewed.
    imported.units[1].state = ImportedState::Final;
    // The stale translation edited, still fuzzy: a draft.
    imported.units[2].target = Some("Ejecuta `cargo test` ahora.".into());
    // A missing one translated, but its source changed since the export.
    imported.units[3].target = Some("Sencillo.".into());
    imported.units[3].source = "Plain and simple.".into();
    imported.units[3].state = ImportedState::Final;
    let plan = plan_import(&imported, &seg, &current, "po import");
    let get = |n: usize| plan.updates.get(&id(&seg, n)).cloned();
    assert_eq!(get(0).unwrap().text, "Un titular");
    assert_eq!(get(0).unwrap().state, TranslationState::Reviewed);
    assert_eq!(get(1).unwrap().state, TranslationState::Reviewed);
    assert_eq!(get(1).unwrap().text, current.get(&id(&seg, 1)).unwrap().text);
    assert_eq!(
        get(2).unwrap().state,
        TranslationState::Unreviewed { origin: "po import".into(), checks: vec![] }
    );
    assert!(get(4).is_none());
    assert_eq!(plan.skipped.len(), 1);
    assert!(plan.skipped[0].reason.contains("source differs"), "{:?}", plan.skipped);
    assert_eq!(plan.skipped[0].line, imported.units[3].line);
}

#[test]
fn plan_skips_unknown_ids_duplicates_and_lost_links() {
    let seg = article();
    let mut imported = po::read("es.po", &po::write(&catalog(&seg))).unwrap();
    let mut unknown = imported.units[0].clone();
    unknown.id = "gone-sentence-abcdef".into();
    let duplicate = imported.units[0].clone();
    imported.units[1].target = Some("Lee *el* informe.".into());
    imported.units[1].state = ImportedState::Final;
    imported.units.push(unknown);
    imported.units.push(duplicate);
    let plan = plan_import(&imported, &seg, &translations(&seg), "po import");
    let reasons: Vec<&str> = plan.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("must keep the source's links"), "{reasons:?}");
    assert!(reasons[1].contains("no sentence of the article has this ID"));
    assert!(reasons[2].contains("appears twice"));
    assert!(plan.updates.entries.is_empty());
}

#[test]
fn xliff_2_keeps_link_targets_and_code_out_of_the_text() {
    let seg = article();
    let x = xliff::write(&catalog(&seg), Version::V2_0);
    let unit = &x[x.find(&format!("<unit id=\"{}\"", id(&seg, 1))).unwrap()..];
    let unit = &unit[..unit.find("</unit>").unwrap()];
    let source = &unit[unit.find("<source>").unwrap()..unit.find("</source>").unwrap()];
    assert_eq!(
        source,
        "<source>Read <pc id=\"1\" type=\"fmt\" subType=\"xlf:i\" dataRefStart=\"d1\" dataRefEnd=\"d1\">the</pc> <pc id=\"2\" type=\"link\" dataRefStart=\"d2\" dataRefEnd=\"d3\">report</pc>."
    );
    assert!(
        unit.contains("<data id=\"d3\">](https://example.org/r?a=1&amp;b=2 \"Report\")</data>")
    );
    assert!(unit.contains("<segment state=\"translated\">"));
    assert!(unit.contains("<note category=\"draft\" appliesTo=\"target\">Draft from apertium"));
    // Target codes reuse the source's ids.
    assert!(unit.contains("<target>Lee <pc id=\"1\""), "{unit}");
    let code_unit = &x[x.find(&format!("<unit id=\"{}\"", id(&seg, 2))).unwrap()..];
    assert!(code_unit.contains("<source>Run <ph id=\"1\" type=\"other\" dataRef=\"d1\" equiv=\"cargo test\" disp=\"cargo test\"/> now.</source>"), "{code_unit}");
    assert!(code_unit.contains("<segment state=\"initial\">"));
    assert!(code_unit.contains(
        "The source sentence changed since this was translated. It was: Run `cargo test`."
    ));
    // Inline HTML is a piece kept from the article: a placeholder, not text.
    let plain = &x[x.find("<source>Plain").unwrap()..];
    assert!(plain.starts_with("<source>Plain &amp; simple <ph id=\"1\" type=\"other\" dataRef=\"d1\" equiv=\"&lt;b&gt;\""), "{plain}");
}

#[test]
fn xliff_reads_back_what_it_writes_in_both_versions() {
    let seg = article();
    for version in [Version::V2_0, Version::V1_2] {
        let x = xliff::write(&catalog(&seg), version);
        let imported = xliff::read("es.xlf", &x).unwrap_or_else(|e| panic!("{e}\n{x}"));
        assert_eq!(imported.target_locale.as_deref(), Some("es-ES"));
        assert_eq!(imported.slug.as_deref(), Some("demo"));
        let sources: Vec<&str> = imported.units.iter().map(|u| u.source.as_str()).collect();
        let canon: Vec<String> =
            catalog(&seg).units().map(|u| crate::markup::canonical(&u.source)).collect();
        assert_eq!(sources, canon, "{version:?}");
        use ImportedState::*;
        let states: Vec<ImportedState> = imported.units.iter().map(|u| u.state).collect();
        assert_eq!(states, [Final, Translated, Initial, Initial], "{version:?}");
        let plan = plan_import(&imported, &seg, &translations(&seg), "xliff import");
        assert!(plan.updates.entries.is_empty(), "{version:?}: {plan:?}");
        assert!(plan.skipped.is_empty(), "{version:?}: {plan:?}");
    }
}

#[test]
fn xliff_2_target_edited_in_a_tool() {
    let seg = article();
    let x = xliff::write(&catalog(&seg), Version::V2_0);
    // A tool moves the codes, leaves out their data references (they are
    // the source's) and marks the segment final.
    let old = x[x.find("<target>Lee").unwrap()..].split("</target>").next().unwrap().to_string();
    let edited =
        x.replace(&old, "<target>Lee el <pc id=\"2\">informe</pc> <pc id=\"1\">completo</pc>");
    let edited = edited.replacen("<segment state=\"translated\">", "<segment state=\"final\">", 1);
    let imported = xliff::read("es.xlf", &edited).unwrap();
    let plan = plan_import(&imported, &seg, &translations(&seg), "xliff import");
    let t = plan.updates.get(&id(&seg, 1)).unwrap();
    assert_eq!(t.text, "Lee el [informe](https://example.org/r?a=1&b=2 \"Report\") *completo*");
    assert_eq!(t.state, TranslationState::Reviewed);
}

#[test]
fn xliff_errors_name_line_and_column() {
    let seg = article();
    let x = xliff::write(&catalog(&seg), Version::V2_0);
    let broken = x.replacen("</source>", "</sorce>", 1);
    let err = xliff::read("es.xlf", &broken).unwrap_err();
    let line = broken[..broken.find("</sorce>").unwrap()].lines().count();
    assert_eq!(err.line, line, "{err}");
    assert!(err.col > 1, "{err}");
    assert!(err.to_string().starts_with(&format!("es.xlf:{line}:")), "{err}");

    let bad_ref = x.replacen("dataRefEnd=\"d3\"", "dataRefEnd=\"d9\"", 1);
    let err = xliff::read("es.xlf", &bad_ref).unwrap_err();
    assert!(err.message.contains("`d9`"), "{err}");
    let line = bad_ref[..bad_ref.find("d9").unwrap()].lines().count();
    assert_eq!(err.line, line);

    let err = xliff::read("es.xlf", "<tmx version=\"1.4\"/>").unwrap_err();
    assert!(err.message.contains("not <xliff>"), "{err}");
    let err = xliff::read("es.xlf", "<xliff version=\"3.0\"/>").unwrap_err();
    assert!(err.message.contains("`3.0`"), "{err}");
}

#[test]
fn xliff_1_2_uses_native_codes() {
    let seg = article();
    let x = xliff::write(&catalog(&seg), Version::V1_2);
    assert!(
        x.contains("Read <bpt id=\"1\" ctype=\"italic\">*</bpt>the<ept id=\"1\">*</ept> <bpt id=\"2\" ctype=\"link\">[</bpt>report<ept id=\"2\">](https://example.org/r?a=1&amp;b=2 \"Report\")</ept>."),
        "{x}"
    );
    assert!(x.contains("<target xml:space=\"preserve\" state=\"needs-review-translation\">"));
    assert!(x.contains("approved=\"yes\""));
}

#[test]
fn text_that_is_markup_only_in_appearance_stays_text() {
    let doc = Document {
        lang: None,
        blocks: vec![Block::new(
            BlockKind::Paragraph,
            vec![
                Inline::Text("Sum: 2 * 3 = [6]".into()),
                Inline::Strong(vec![Inline::Text("!".into())]),
            ],
        )],
    };
    let md = diglot_core::inline::to_markdown(&doc.blocks[0].inlines);
    let seg = Segmented {
        lang: locale("en-US"),
        blocks: vec![diglot_core::SegmentedBlock {
            kind: BlockKind::Paragraph,
            segments: vec![diglot_core::Segment::new(md.clone())],
        }],
    };
    let c = Catalog::new("d", "f.ftl", &seg, &locale("es-ES"), &Translations::default());
    for version in [Version::V2_0, Version::V1_2] {
        let imported = xliff::read("x.xlf", &xliff::write(&c, version)).unwrap();
        assert_eq!(imported.units[0].source, md, "{version:?}");
    }
}

#[test]
fn xliff_pretty_printed_by_a_tool_still_matches() {
    let seg = article();
    let x = xliff::write(&catalog(&seg), Version::V2_0);
    let x = x.replace(
        "<source>A title</source>",
        "<source>\n            A\n            title\n          </source>",
    );
    let x = x.replace("<target>Un título</target>", "<target>\n  Un\n  titular\n</target>");
    let imported = xliff::read("x.xlf", &x).unwrap();
    assert_eq!(imported.units[0].source, "A title");
    assert_eq!(imported.units[0].target.as_deref(), Some("Un titular"));
    let mut seg2 = article();
    seg2.blocks[0].segments[0] = diglot_core::Segment::new("Line one\\\nline two".into());
    let x = xliff::write(&catalog(&seg2), Version::V2_0);
    let imported = xliff::read("x.xlf", &x).unwrap();
    assert_eq!(imported.units[0].source, "Line one\\\nline two");
}

#[test]
fn characters_xml_cannot_hold_travel_as_cp_in_xliff_2() {
    let mut seg = article();
    seg.blocks[0].segments[0] = diglot_core::Segment::new("Bell\u{7} here".into());
    let x = xliff::write(&catalog(&seg), Version::V2_0);
    assert!(x.contains("<source>Bell<cp hex=\"0007\"/> here</source>"), "{x}");
    let imported = xliff::read("x.xlf", &x).unwrap();
    assert_eq!(imported.units[0].source, "Bell\u{7} here");
}

#[test]
fn xliff_images_carry_their_alt_text_to_translate_and_keep_their_source() {
    let s = |text: &str| diglot_core::Segment::new(text.to_string());
    let seg = Segmented {
        lang: locale("en-US"),
        blocks: vec![diglot_core::SegmentedBlock {
            kind: BlockKind::Paragraph,
            segments: vec![s("A ![red kite](kite.png \"Kite\") flies.")],
        }],
    };
    let catalog = Catalog::new(
        "demo",
        "locales/es-ES/demo.ftl",
        &seg,
        &locale("es-ES"),
        &Translations::default(),
    );
    for version in [Version::V2_0, Version::V1_2] {
        let x = xliff::write(&catalog, version);
        // The alternative text is text of the unit; the source is code
        // (in 1.2 inside `<ept>`, in 2.0 in the unit's original data).
        let source = &x[x.find("<source").unwrap()..x.find("</source>").unwrap()];
        assert!(source.contains(">red kite<"), "{source}");
        if version == Version::V2_0 {
            assert!(!source.contains("kite.png"), "{source}");
            assert!(source.contains("type=\"image\""), "{source}");
            assert!(x.contains("<data id=\"d2\">](kite.png \"Kite\")</data>"), "{x}");
        }
        let imported = xliff::read("es.xlf", &x).unwrap_or_else(|e| panic!("{e}\n{x}"));
        assert_eq!(imported.units[0].source, "A ![red kite](kite.png \"Kite\") flies.");
    }
    // A tool's translation of the alternative text comes back as the image's.
    let x = xliff::write(&catalog, Version::V2_0);
    let start = x.find("<source>").unwrap();
    let end = x.find("</source>").unwrap() + "</source>".len();
    let source = &x[start..end];
    let target = source
        .replace("<source>A ", "<target>Un ")
        .replace(">red kite<", ">milano real<")
        .replace(" flies.</source>", " vuela.</target>");
    let edited = x.replacen(source, &format!("{source}\n          {target}"), 1);
    let imported = xliff::read("es.xlf", &edited).unwrap_or_else(|e| panic!("{e}\n{edited}"));
    let plan = plan_import(&imported, &seg, &Translations::default(), "xliff import");
    let t = plan.updates.get(&seg.segments().next().unwrap().id).expect("imported");
    assert_eq!(t.text, "Un ![milano real](kite.png \"Kite\") vuela.");
}
