use super::*;
use diglot_core::Severity;

/// The example project's own files, which the built-in strings must match.
const EXAMPLE_EN: &str = include_str!("../../../../locales/en-US/edition.ftl");
const EXAMPLE_ES: &str = include_str!("../../../../locales/es-ES/edition.ftl");

fn locale(tag: &str) -> Locale {
    tag.parse().unwrap()
}

fn args() -> EditionArgs {
    EditionArgs {
        author: Some("Ana Ruiz".into()),
        published: Some("2026-11-26".into()),
        minutes: 2,
        source_language: "en".into(),
        translated: 12_345,
        total: 20_000,
        stale: 1,
        missing: 2,
        unreviewed: 3,
        region_in_language_name: false,
    }
}

fn no_file(tag: &str) -> String {
    format!("locales/{tag}/edition.ftl")
}

/// The strings of `tag` with `project` as the project's file, and the
/// diagnostics.
fn strings_with(
    tag: &str,
    project: Option<&str>,
    args: &EditionArgs,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let file = no_file(tag);
    edition_strings(&locale(tag), ProjectStrings { file: &file, source: project }, args)
}

/// The strings of `tag` from diglot's own, asserting there were no
/// diagnostics.
fn check(tag: &str, args: &EditionArgs) -> BTreeMap<String, String> {
    let (strings, diags) = strings_with(tag, None, args);
    assert!(
        diags.is_empty(),
        "{}",
        diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
    );
    strings
}

#[test]
fn english_strings() {
    let s = check("en-US", &args());
    assert_eq!(s["edition-byline"], "By Ana Ruiz");
    assert_eq!(s["edition-published"], "Published November 26, 2026");
    assert_eq!(s["edition-reading-time"], "Reading time: 2 minutes");
    assert_eq!(s["edition-translated-from"], "Translated from English");
    assert_eq!(s["edition-translation-status"], "12,345 of 20,000 sentences translated");
    assert_eq!(s["edition-language-name"], "English");
}

#[test]
fn spanish_strings() {
    let s = check("es-ES", &args());
    assert_eq!(s["edition-byline"], "Por Ana Ruiz");
    assert_eq!(s["edition-published"], "Publicado el 26 de noviembre de 2026");
    assert_eq!(s["edition-reading-time"], "Tiempo de lectura: 2 minutos");
    assert_eq!(s["edition-translated-from"], "Traducido del inglés");
    assert_eq!(s["edition-translation-status"], "Traducidas 12.345 de 20.000 frases");
    assert_eq!(s["edition-language-name"], "Español");
}

#[test]
fn each_language_has_its_own_chrome() {
    // (locale, byline, date line, kicker, language name, skip link)
    for (tag, byline, published, from, name, skip) in [
        (
            "fr-FR",
            "Par Ana Ruiz",
            "Publié le 26 novembre 2026",
            "Traduit de l’anglais",
            "Français",
            "Aller au contenu",
        ),
        (
            "de-DE",
            "Von Ana Ruiz",
            "Veröffentlicht am 26. November 2026",
            "Aus dem Englischen übersetzt",
            "Deutsch",
            "Zum Inhalt springen",
        ),
        (
            "it-IT",
            "Di Ana Ruiz",
            "Pubblicato il 26 novembre 2026",
            "Tradotto dall’inglese",
            "Italiano",
            "Vai al contenuto",
        ),
        (
            "pt-BR",
            "Por Ana Ruiz",
            "Publicado em 26 de novembro de 2026",
            "Traduzido do inglês",
            "Português",
            "Ir para o conteúdo",
        ),
        (
            "ca-ES",
            "Per Ana Ruiz",
            "Publicat el 26 de novembre del 2026",
            "Traduït de l’anglès",
            "Català",
            "Ves al contingut",
        ),
    ] {
        let s = check(tag, &args());
        assert_eq!(s["edition-byline"], byline, "{tag}");
        assert_eq!(s["edition-published"], published, "{tag}");
        assert_eq!(s["edition-translated-from"], from, "{tag}");
        assert_eq!(s["edition-language-name"], name, "{tag}");
        assert_eq!(s["edition-skip-to-content"], skip, "{tag}");
    }
}

#[test]
fn numbers_follow_each_locale() {
    for (tag, expected) in [
        ("fr-FR", "Phrases traduites\u{a0}: 12\u{202f}345 sur 20\u{202f}000"),
        ("de-DE", "12.345 von 20.000 Sätzen übersetzt"),
        ("it-IT", "Frasi tradotte: 12.345 su 20.000"),
        ("pt-BR", "Frases traduzidas: 12.345 de 20.000"),
        ("ca-ES", "Traduïdes 12.345 de 20.000 frases"),
    ] {
        assert_eq!(check(tag, &args())["edition-translation-status"], expected, "{tag}");
    }
}

#[test]
fn spanish_numbers_follow_minimum_grouping() {
    let a = EditionArgs { translated: 1234, total: 1234, ..args() };
    assert_eq!(check("es-ES", &a)["edition-translation-status"], "Traducidas las 1234 frases");
    assert_eq!(check("en-US", &a)["edition-translation-status"], "All 1,234 sentences translated");
}

#[test]
fn reading_time_plurals() {
    for (tag, minutes, expected) in [
        ("en-US", 1, "Reading time: 1 minute"),
        ("en-US", 2, "Reading time: 2 minutes"),
        ("es-ES", 1, "Tiempo de lectura: 1 minuto"),
        ("es-ES", 2, "Tiempo de lectura: 2 minutos"),
        ("es-ES", 0, "Menos de un minuto de lectura"),
        ("fr-FR", 0, "Moins d’une minute de lecture"),
        ("fr-FR", 1, "Temps de lecture\u{a0}: 1 minute"),
        ("fr-FR", 2, "Temps de lecture\u{a0}: 2 minutes"),
        ("de-DE", 1, "Lesezeit: 1 Minute"),
        ("de-DE", 5, "Lesezeit: 5 Minuten"),
        ("it-IT", 1, "Tempo di lettura: 1 minuto"),
        ("it-IT", 3, "Tempo di lettura: 3 minuti"),
        ("pt-PT", 1, "Tempo de leitura: 1 minuto"),
        ("pt-BR", 2, "Tempo de leitura: 2 minutos"),
        ("ca-ES", 1, "Temps de lectura: 1 minut"),
        ("ca-ES", 2, "Temps de lectura: 2 minuts"),
    ] {
        let s = check(tag, &EditionArgs { minutes, ..args() });
        assert_eq!(s["edition-reading-time"], expected, "{tag} {minutes}");
    }
}

#[test]
fn french_singular_covers_zero_and_one() {
    // CLDR: French `one` is 0 and 1, so a message without a [0] variant
    // still reads well for nothing.
    let ftl = "n =\n    { $translated ->\n        [one] { $translated } phrase\n       *[other] { $translated } phrases\n    }\n";
    for (translated, expected) in [(0, "0 phrase"), (1, "1 phrase"), (2, "2 phrases")] {
        let (s, diags) = strings_with("fr-FR", Some(ftl), &EditionArgs { translated, ..args() });
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(s["n"], expected);
    }
}

#[test]
fn no_isolation_marks() {
    let s = check("es-ES", &args());
    for (id, text) in &s {
        assert!(!text.contains(['\u{2068}', '\u{2069}']), "{id}: {text:?}");
    }
}

/// Message IDs, and per message the variables it uses and those it
/// selects on, of an FTL source.
fn shape(ftl: &str) -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    fn walk(
        pattern: &ast::Pattern<&str>,
        vars: &mut BTreeSet<String>,
        selectors: &mut BTreeSet<String>,
    ) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expr(expression, vars, selectors);
            }
        }
    }
    fn expr(
        e: &ast::Expression<&str>,
        vars: &mut BTreeSet<String>,
        selectors: &mut BTreeSet<String>,
    ) {
        match e {
            ast::Expression::Select { selector, variants } => {
                if let ast::InlineExpression::VariableReference { id } = selector {
                    selectors.insert(id.name.to_string());
                }
                inline(selector, vars, selectors);
                for v in variants {
                    walk(&v.value, vars, selectors);
                }
            }
            ast::Expression::Inline(i) => inline(i, vars, selectors),
        }
    }
    fn inline(
        i: &ast::InlineExpression<&str>,
        vars: &mut BTreeSet<String>,
        selectors: &mut BTreeSet<String>,
    ) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_string());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline(a, vars, selectors);
                }
            }
            ast::InlineExpression::Placeable { expression } => expr(expression, vars, selectors),
            _ => {}
        }
    }
    let resource = fluent_syntax::parser::parse(ftl).expect("no syntax errors");
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            ast::Entry::Message(m) => {
                let (mut vars, mut selectors) = (BTreeSet::new(), BTreeSet::new());
                if let Some(value) = &m.value {
                    walk(value, &mut vars, &mut selectors);
                }
                Some((m.id.name.to_string(), (vars, selectors)))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_language_has_the_messages_variables_and_selectors_of_the_example() {
    let mut reference = shape(EXAMPLE_EN);
    assert_eq!(shape(EXAMPLE_ES), reference, "the example's own files agree");
    reference.remove(LANGUAGE_NAME);
    for (language, ftl) in BUILT_IN {
        assert_eq!(&shape(ftl), &reference, "{language}.ftl");
    }
    assert_eq!(
        built_in_languages().collect::<Vec<_>>(),
        ["ca", "de", "en", "es", "fr", "it", "pt"]
    );
}

#[test]
fn regional_strings_only_refine_their_language() {
    let reference = shape(built_in("pt").unwrap());
    for (tag, ftl) in BUILT_IN_REGIONAL {
        for (id, message) in shape(ftl) {
            assert_eq!(reference.get(&id), Some(&message), "{tag}: {id}");
        }
    }
    assert_eq!(check("pt-PT", &args())["edition-bilingual-title"], "Edição bilingue");
    assert_eq!(check("pt-BR", &args())["edition-bilingual-title"], "Edição bilíngue");
    assert_eq!(check("pt-PT", &args())["edition-byline"], "Por Ana Ruiz");
    let (s, _) = strings_with("pt-PT", Some("edition-bilingual-label = Duas línguas\n"), &args());
    assert_eq!(s["edition-bilingual-label"], "Duas línguas", "the project comes first");
}

#[test]
fn every_language_formats_without_diagnostics() {
    for language in built_in_languages() {
        for minutes in [0, 1, 2, 25] {
            for translated in [0, 1, 20_000] {
                check(language, &EditionArgs { minutes, translated, ..args() });
            }
        }
        let a = EditionArgs { author: None, published: None, ..args() };
        let s = check(language, &a);
        assert!(!s.contains_key("edition-byline"), "{language}");
    }
}

#[test]
fn built_in_strings_match_the_example_files() {
    for (tag, example) in [("en-US", EXAMPLE_EN), ("es-ES", EXAMPLE_ES)] {
        for source_language in ["en", "es", "de"] {
            let a = EditionArgs { source_language: source_language.into(), ..args() };
            let built_in = check(tag, &a);
            let (from_example, diags) = strings_with(tag, Some(example), &a);
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(built_in, from_example, "{tag}");
        }
    }
}

#[test]
fn a_region_uses_the_strings_of_its_language_and_its_own_dates() {
    let s = check("fr-CA", &args());
    assert_eq!(s["edition-byline"], "Par Ana Ruiz");
    assert_eq!(s["edition-published"], "Publié le 26 novembre 2026");
    assert_eq!(s["edition-language-name"], "Français");
    let s = check("en-GB", &args());
    assert_eq!(s["edition-published"], "Published 26 November 2026");
}

#[test]
fn a_project_message_overrides_only_itself() {
    let ftl = "edition-byline = Un texte de { $author }\n";
    let (s, diags) = strings_with("fr-FR", Some(ftl), &args());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(s["edition-byline"], "Un texte de Ana Ruiz");
    assert_eq!(s["edition-published"], "Publié le 26 novembre 2026");
    assert_eq!(s["edition-language-name"], "Français");
    assert_eq!(s.len(), check("fr-FR", &args()).len());
}

#[test]
fn a_project_message_may_use_a_built_in_one() {
    let ftl = "edition-bilingual-label = { edition-bilingual-title } (FR · EN)\n";
    let (s, diags) = strings_with("fr-FR", Some(ftl), &args());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(s["edition-bilingual-label"], "Édition bilingue (FR · EN)");
}

#[test]
fn the_project_may_rename_the_language() {
    let (s, _) = strings_with("es-MX", Some("edition-language-name = Español (México)\n"), &args());
    assert_eq!(s["edition-language-name"], "Español (México)");
}

#[test]
fn a_language_without_strings_is_english_with_a_warning() {
    let (s, diags) = strings_with("nl-NL", None, &args());
    assert_eq!(s["edition-byline"], "By Ana Ruiz");
    assert_eq!(s["edition-published"], "Published November 26, 2026", "dated as the text reads");
    assert_eq!(s["edition-language-name"], "Nederlands", "named by CLDR all the same");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.file, "locales/nl-NL/edition.ftl");
    assert!(d.message.contains("Dutch (nl-NL)") && d.message.contains("English"), "{d}");
    let help = d.help.as_deref().unwrap();
    assert!(help.contains("create locales/nl-NL/edition.ftl"), "{d}");
    assert!(help.contains("crates/fluent/editions/en.ftl"), "{d}");
}

#[test]
fn a_partial_file_in_a_language_without_strings_names_what_is_missing() {
    let ftl = "edition-byline = Door { $author }\nedition-read-in = Ook beschikbaar in\n";
    let (s, diags) = strings_with("nl-NL", Some(ftl), &args());
    assert_eq!(s["edition-byline"], "Door Ana Ruiz");
    assert_eq!(s["edition-skip-to-content"], "Skip to content");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0].message;
    assert!(d.contains("edition-skip-to-content") && !d.contains("edition-byline"), "{d}");
    assert!(!d.contains(LANGUAGE_NAME), "CLDR names the language: {d}");

    let full: String = shape(EXAMPLE_EN)
        .keys()
        .filter(|id| *id != LANGUAGE_NAME)
        .map(|id| format!("{id} = {id}\n"))
        .collect();
    let (s, diags) = strings_with("nl-NL", Some(&full), &args());
    assert!(diags.is_empty(), "a complete file needs nothing more: {diags:?}");
    assert_eq!(s["edition-skip-to-content"], "edition-skip-to-content");
}

#[test]
fn language_names_come_from_cldr() {
    for (tag, with_region, expected) in [
        ("fr-FR", false, "Français"),
        ("de-DE", false, "Deutsch"),
        ("ca-ES", false, "Català"),
        ("eu-ES", false, "Euskara"),
        ("nl-NL", false, "Nederlands"),
        ("el-GR", false, "Ελληνικά"),
        ("ja-JP", false, "日本語"),
        ("en-GB", true, "British English"),
        ("fr-CA", true, "Français canadien"),
        ("en", true, "English"),
    ] {
        assert_eq!(language_name(&locale(tag), with_region), expected, "{tag}");
    }
    assert_eq!(english_language_name(&locale("nl-NL")), "Dutch");
}

#[test]
fn absent_author_and_date_leave_their_lines_out() {
    let a = EditionArgs { author: None, published: None, ..args() };
    let s = check("es-ES", &a);
    assert!(!s.contains_key("edition-byline"));
    assert!(!s.contains_key("edition-published"));
    assert!(s.contains_key("edition-reading-time"));
}

#[test]
fn invalid_date_is_a_warning() {
    let a = EditionArgs { published: Some("26/11/2026".into()), ..args() };
    let (s, diags) = strings_with("es-ES", Some(EXAMPLE_ES), &a);
    assert!(!s.contains_key("edition-published"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].message_id.as_deref(), Some("edition-published"));
    assert_eq!(diags[0].file, "locales/es-ES/edition.ftl");
}

#[test]
fn malformed_file_gives_line_and_column() {
    let es = "edition-byline = Por { $author }\nedition-published: Publicado el { DATETIME($published) }\nedition-language-name = Castellano\n";
    let (s, diags) = strings_with("es-ES", Some(es), &args());
    assert_eq!(s["edition-byline"], "Por Ana Ruiz");
    assert_eq!(s["edition-language-name"], "Castellano", "the rest of the file still builds");
    assert_eq!(s["edition-published"], "Publicado el 26 de noviembre de 2026", "built in");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.file, "locales/es-ES/edition.ftl");
    assert_eq!((d.line, d.col), (2, 18), "{d}");
    assert_eq!(d.message_id.as_deref(), Some("edition-published"));
    assert!(d.to_string().starts_with("locales/es-ES/edition.ftl:2:"), "{d}");
}

#[test]
fn unknown_variable_is_an_error_with_the_message_id() {
    let en = "a = x\nedition-byline = By { $writer }\n";
    let (s, diags) = strings_with("en-US", Some(en), &args());
    assert_eq!(s["edition-byline"], "By {$writer}");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.message_id.as_deref(), Some("edition-byline"));
    assert_eq!((d.line, d.col), (2, 1));
    assert!(d.message.contains("$writer"), "{d}");
}

#[test]
fn number_function_options_are_respected() {
    let ftl = "n = { NUMBER($total, useGrouping: \"false\") }\nm = { NUMBER($total, minimumFractionDigits: 2) }\n";
    let (s, diags) = strings_with("es-ES", Some(ftl), &args());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(s["n"], "20000");
    assert_eq!(s["m"], "20.000,00");
}

#[test]
fn the_map_holds_messages_only() {
    // The raw date and author are the edition's fields, not strings.
    let s = check("es-ES", &args());
    assert!(s.keys().all(|k| !k.starts_with("meta-")), "{s:?}");
    assert!(!s.values().any(|v| v == "2026-11-26" || v == "Ana Ruiz"), "{s:?}");
}

#[test]
fn edition_files_saved_with_cr_or_crlf_read_the_same() {
    let (lf, diags) = strings_with("es-ES", Some(EXAMPLE_ES), &args());
    assert!(diags.is_empty(), "{diags:?}");
    for ending in ["\r", "\r\n"] {
        let es = EXAMPLE_ES.replace('\n', ending);
        let (strings, diags) = strings_with("es-ES", Some(&es), &args());
        assert!(diags.is_empty(), "{ending:?}: {diags:?}");
        assert_eq!(strings, lf, "{ending:?}");
    }
}

/// A project's `edition.ftl` with an escape the Fluent parser cannot read
/// (a `\u` with too few digits before `ó`) is an error at its place, and the
/// edition keeps diglot's own strings.
#[test]
fn an_unreadable_escape_in_a_project_file_is_an_error_and_the_built_in_strings_stay() {
    let ftl = "edition-bilingual-label = { \"\\u0ó\" }\n";
    let (s, diags) = strings_with("es-ES", Some(ftl), &args());
    assert!(
        diags.iter().any(|d| d.severity == Severity::Error && (d.line, d.col) == (1, 33)),
        "{diags:?}"
    );
    assert_eq!(s, check("es-ES", &args()));
}
