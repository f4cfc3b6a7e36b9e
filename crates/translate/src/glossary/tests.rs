use super::*;

const FILE: &str = "locales/glossary/en-US.es-ES.tsv";

const TSV: &str = "\
# Terms for the immigration series.
source\ttarget\tnote
Alien Enemies Act\tLey de Enemigos Extranjeros\t1798 law
Act\tLey
Tren de Aragua\t=\ta gang's name
ICE\t\t
Pedro Sánchez\tPedro Sánchez\tname, DNT
deportation\tdeportación
";

fn glossary() -> Glossary {
    let (g, diags) = Glossary::parse(FILE, TSV);
    assert_eq!(diags, vec![]);
    g
}

fn sources(terms: &[GlossaryTerm]) -> Vec<&str> {
    terms.iter().map(|t| t.source.as_str()).collect()
}

#[test]
fn parses_terms_and_do_not_translate() {
    let g = glossary();
    assert_eq!(g.len(), 6);
    let terms: Vec<_> = g.terms().map(|t| (t.source.as_str(), t.target.as_str(), t.dnt)).collect();
    assert_eq!(
        terms,
        [
            ("Alien Enemies Act", "Ley de Enemigos Extranjeros", false),
            ("Act", "Ley", false),
            ("Tren de Aragua", "Tren de Aragua", true),
            ("ICE", "ICE", true),
            ("Pedro Sánchez", "Pedro Sánchez", true),
            ("deportation", "deportación", false),
        ]
    );
}

#[test]
fn bad_lines_are_diagnostics() {
    let text = "source\ttarget\tnote\nok\tbien\n\textra\nsome  spaces  here\na\tb\tc\td\nOK\tvale\nalone\n";
    let (g, diags) = Glossary::parse(FILE, text);
    assert_eq!(g.len(), 1);
    let shown: Vec<String> =
        diags.iter().map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.col, d.message)).collect();
    assert_eq!(
        shown,
        [
            format!("{FILE}:3:1: the source term is empty"),
            format!("{FILE}:4:5: columns must be separated by tabs, not spaces"),
            format!("{FILE}:5:7: expected at most 3 tab-separated columns, found 4"),
            format!("{FILE}:6:1: `OK` is already defined on line 2"),
            format!("{FILE}:7:6: expected 2 or 3 tab-separated columns, found 1"),
        ]
    );

    let (g, diags) = Glossary::parse(FILE, "# no header\nICE\t=\n");
    assert_eq!(g.len(), 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, diglot_core::Severity::Warning);
    assert_eq!((diags[0].line, diags[0].message.as_str()), (2, "the header line is missing"));
}

#[test]
fn version_ignores_comments_notes_and_order() {
    let a = Glossary::parse(FILE, "source\ttarget\tnote\nA\tB\tx\nC\tD\n").0;
    let b = Glossary::parse(FILE, "# other\r\nC\tD\t\r\nA\tB\tother note\r\n").0;
    let c = Glossary::parse(FILE, "A\tB\nC\tE\n").0;
    assert_eq!(a.version(), b.version());
    assert_ne!(a.version(), c.version());
    assert_eq!(a.version().len(), 16);
    // Cache keys hold it: the hash (core's FNV-1a) never changes.
    assert_eq!(Glossary::default().version(), "cbf29ce484222325");
}

#[test]
fn terms_in_whole_words_longest_first() {
    let g = glossary();
    let cases: &[(&str, &[&str])] = &[
        ("Trump invoked the Alien Enemies Act.", &["Alien Enemies Act"]),
        ("The alien  enemies\nact and the Act.", &["Alien Enemies Act", "Act"]),
        ("Members of *Tren de Aragua* face deportation.", &["Tren de Aragua", "deportation"]),
        ("The deportations continued.", &[]),
        ("Practice makes perfect; nICE try.", &[]),
        ("ICE agents and Pedro Sánchez.", &["Pedro Sánchez", "ICE"]),
        ("Pedro Sánchezz spoke.", &[]),
        ("The [Act](https://example.com/act) passed.", &["Act"]),
    ];
    for (text, expected) in cases {
        assert_eq!(sources(&g.terms_in(text)), *expected, "{text}");
    }
}

#[test]
fn check_reports_unhonoured_terms() {
    let g = glossary();
    let check = |source: &str, draft: &str| -> Vec<String> {
        g.check(source, draft).iter().map(ToString::to_string).collect()
    };
    assert_eq!(
        check(
            "Trump invoked the Alien Enemies Act against Tren de Aragua.",
            "Trump invocó la ley de enemigos extranjeros contra el Tren de Aragua.",
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        check(
            "Trump invoked the Alien Enemies Act against Tren de Aragua.",
            "Trump invocó la Ley de Enemigos Alienígenas contra el Tren de Aragón.",
        ),
        [
            "`Alien Enemies Act` must be translated as `Ley de Enemigos Extranjeros`",
            "`Tren de Aragua` must stay untranslated",
        ]
    );
    // Exact forms only: the plural is not the glossary's form.
    assert_eq!(
        check("The deportation began.", "Las deportaciones comenzaron."),
        ["`deportation` must be translated as `deportación`"]
    );
    assert_eq!(check("The deportation began.", "La *deportación* comenzó."), Vec::<String>::new());
    assert_eq!(check("ICE said so.", "El HIELO lo dijo."), ["`ICE` must stay untranslated"]);
}
