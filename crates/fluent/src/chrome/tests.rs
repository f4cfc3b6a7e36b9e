use super::*;
use diglot_core::Severity;

const EN: &str = include_str!("../../../../locales/en-US/edition.ftl");
const ES: &str = include_str!("../../../../locales/es-ES/edition.ftl");

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
    }
}

/// Formats the real edition.ftl of `tag` (with en-US behind it) and returns
/// the strings, asserting there were no diagnostics.
fn check(tag: &str, args: &EditionArgs) -> BTreeMap<String, String> {
    let (strings, diags) = edition_strings(&resources(tag), args);
    assert!(
        diags.is_empty(),
        "{}",
        diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
    );
    strings
}

fn resources(tag: &str) -> Vec<(Locale, &'static str, &'static str)> {
    let mut out = Vec::new();
    if tag == "es-ES" {
        out.push((locale("es-ES"), "locales/es-ES/edition.ftl", ES));
    }
    out.push((locale("en-US"), "locales/en-US/edition.ftl", EN));
    out
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
    ] {
        let s = check(tag, &EditionArgs { minutes, ..args() });
        assert_eq!(s["edition-reading-time"], expected, "{tag} {minutes}");
    }
}

#[test]
fn no_isolation_marks() {
    let s = check("es-ES", &args());
    for (id, text) in &s {
        assert!(!text.contains(['\u{2068}', '\u{2069}']), "{id}: {text:?}");
    }
}

#[test]
fn both_locales_define_the_same_messages() {
    let en = check("en-US", &args());
    let (es, diags) = edition_strings(&resources("es-ES")[..1], &args());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(en.keys().collect::<Vec<_>>(), es.keys().collect::<Vec<_>>());
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
    let (s, diags) = edition_strings(&resources("es-ES"), &a);
    assert!(!s.contains_key("edition-published"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].message_id.as_deref(), Some("edition-published"));
}

#[test]
fn fallback_fills_missing_messages_with_a_warning() {
    let es = "edition-byline = Por { $author }\n";
    let en = "edition-byline = By { $author }\n\nedition-bilingual-title = Bilingual edition\n";
    let (s, diags) = edition_strings(
        &[(locale("es-ES"), "es.ftl", es), (locale("en-US"), "en.ftl", en)],
        &args(),
    );
    assert_eq!(s["edition-byline"], "Por Ana Ruiz");
    assert_eq!(s["edition-bilingual-title"], "Bilingual edition");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.message_id.as_deref(), Some("edition-bilingual-title"));
    assert_eq!((d.file.as_str(), d.line, d.col), ("en.ftl", 3, 1));
    assert!(d.message.contains("es.ftl"), "{d}");
}

#[test]
fn malformed_file_gives_line_and_column() {
    let es = "edition-byline = Por { $author }\nedition-published: Publicado el { DATETIME($published) }\nedition-language-name = Español\n";
    let (s, diags) =
        edition_strings(&[(locale("es-ES"), "locales/es-ES/edition.ftl", es)], &args());
    assert_eq!(s["edition-byline"], "Por Ana Ruiz");
    assert_eq!(s["edition-language-name"], "Español", "the rest of the file still builds");
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
    let (s, diags) = edition_strings(&[(locale("en-US"), "en.ftl", en)], &args());
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
    let (s, diags) = edition_strings(&[(locale("es-ES"), "x.ftl", ftl)], &args());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(s["n"], "20000");
    assert_eq!(s["m"], "20.000,00");
}

#[test]
fn raw_date_and_author_ride_along() {
    let s = check("es-ES", &args());
    assert_eq!(s[META_PUBLISHED], "2026-11-26");
    assert_eq!(s[META_AUTHOR], "Ana Ruiz");
    let s = check("es-ES", &EditionArgs { author: None, published: None, ..args() });
    assert!(!s.contains_key(META_PUBLISHED) && !s.contains_key(META_AUTHOR));
}

#[test]
fn edition_files_saved_with_cr_or_crlf_read_the_same() {
    let lf = check("es-ES", &args());
    for ending in ["\r", "\r\n"] {
        let (es, en) = (ES.replace('\n', ending), EN.replace('\n', ending));
        let resources = vec![
            (locale("es-ES"), "locales/es-ES/edition.ftl", es.as_str()),
            (locale("en-US"), "locales/en-US/edition.ftl", en.as_str()),
        ];
        let (strings, diags) = edition_strings(&resources, &args());
        assert!(diags.is_empty(), "{ending:?}: {diags:?}");
        assert_eq!(strings, lf, "{ending:?}");
    }
}
