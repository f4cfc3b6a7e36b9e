//! `diglot xliff` and `diglot po`: exchange files for translators' tools,
//! checked by the tools that define the formats (xmllint with the OASIS
//! XLIFF 2.0 schema, GNU msgfmt) and read by third-party parsers (polib,
//! translate-toolkit). A missing tool fails the test with what to install.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use std::path::Path;
use std::process::{Command, Output};

use diglot_tests::{Project, comments_of, messages, repo_root};

const PIP: &str = "install them with `pip install polib translate-toolkit`";

/// Runs an external tool; panics with what to install when it is missing.
fn tool(program: &str, args: &[&str], install: &str) -> Output {
    match Command::new(program).args(args).output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{program}` is missing: {install}")
        }
        Err(e) => panic!("running {program}: {e}"),
    }
}

/// Runs a Python script with the third-party parsers; panics with what to
/// install when Python or a module is missing.
fn python(script: &str, args: &[&str]) -> String {
    let mut all = vec!["-c", script];
    all.extend_from_slice(args);
    let out = tool(
        "python3",
        &all,
        "install Python 3 (Debian's python3), then polib and translate-toolkit",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "a Python module is missing ({PIP}):\n{stderr}"
    );
    assert!(out.status.success(), "python failed:\n{stderr}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn xmllint_schema(file: &Path) {
    let schema = repo_root().join("tests/schemas/xliff/xliff_core_2.0.xsd");
    let out = tool(
        "xmllint",
        &["--noout", "--nonet", "--schema", schema.to_str().unwrap(), file.to_str().unwrap()],
        "install Debian's libxml2-utils",
    );
    assert!(
        out.status.success(),
        "{} does not validate against the XLIFF 2.0 schema:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Validates against the XLIFF 1.2 strict schema, with its import of the
/// W3C `xml.xsd` pointed at the local copy.
fn xmllint_schema_1_2(p: &Project, file: &Path) {
    let schemas = repo_root().join("tests/schemas/xliff");
    let xsd = std::fs::read_to_string(schemas.join("xliff-core-1.2-strict.xsd")).unwrap();
    let local = schemas.join("informativeCopiesOf3rdPartySchemas/w3c/xml.xsd");
    let xsd = xsd.replace("http://www.w3.org/2001/xml.xsd", local.to_str().unwrap());
    assert!(xsd.contains(local.to_str().unwrap()), "the 1.2 schema imports xml.xsd");
    p.write("xliff-core-1.2-strict.xsd", &xsd);
    let schema = p.path().join("xliff-core-1.2-strict.xsd");
    let out = tool(
        "xmllint",
        &["--noout", "--nonet", "--schema", schema.to_str().unwrap(), file.to_str().unwrap()],
        "install Debian's libxml2-utils",
    );
    assert!(
        out.status.success(),
        "{} does not validate against the XLIFF 1.2 schema:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn msgfmt_check(file: &Path) {
    let out = tool(
        "msgfmt",
        &["--check", "-o", "/dev/null", file.to_str().unwrap()],
        "install Debian's gettext",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "msgfmt --check:\n{stderr}");
}

const ARTICLE: &str = "---\ntitle: \"City opens a new library\"\nlang: en\n---\n\n# City opens a new library\n\nThe library opened on *Monday* with **two floors** of books. Read [a link](https://example.org/story) for more.\n\n## Why it matters\n\nRun `make books` tonight. It is free.\n";

const FTL: &str = "locales/es-ES/markdown.ftl";

/// The markdown fixture with its Spanish file holding a reviewed
/// translation (with a translator's note), a draft, a translation made
/// stale by an edit of the article, and missing ones.
fn project() -> Project {
    let p = Project::fixture("markdown");
    p.write("articles/markdown.md", ARTICLE);
    p.write("locales/glossary/en-US.es-ES.tsv", "library\tbiblioteca\nmake\t\tdnt\n");
    p.run(&["extract"]).expect_code(0);
    let ids: Vec<String> =
        messages(&p.read("locales/en-US/markdown.ftl")).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), 6, "{ids:?}");
    let ftl = format!(
        "# Keep it short.\n{} = La ciudad abre una nueva biblioteca\n\n{} = La biblioteca abrió el *lunes* con **dos plantas** de libros.\n\n# unreviewed: apertium\n{} = Leer [un enlace](https://example.org/story) para más.\n\n{} = Por qué importa\n",
        ids[0], ids[1], ids[2], ids[3]
    );
    p.write(FTL, &ftl);
    p.write("articles/markdown.md", &ARTICLE.replace("Why it matters", "Why it matters now"));
    p.run(&["extract"]).expect_code(0);
    let ftl = p.read(FTL);
    assert!(ftl.contains("# stale, source was: Why it matters"), "{ftl}");
    p
}

/// The value of message `id` in a locale file.
fn value(ftl: &str, id: &str) -> Option<String> {
    messages(ftl).into_iter().find(|(i, _)| i == id).map(|(_, v)| v)
}

fn id_of(p: &Project, source_starts: &str) -> String {
    messages(&p.read("locales/en-US/markdown.ftl"))
        .into_iter()
        .find(|(_, v)| v.starts_with(source_starts))
        .unwrap_or_else(|| panic!("no message starting {source_starts}"))
        .0
}

#[test]
fn xliff_2_export_validates_against_the_oasis_schema() {
    let p = project();
    p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    xmllint_schema(&p.path().join("es.xlf"));
    let x = p.read("es.xlf");
    assert!(x.contains("<group id=\"g1\" name=\"Title\">"), "{x}");
    assert!(x.contains("name=\"Heading: Why it matters now\""));
    let unit = |source: &str| {
        let id = id_of(&p, source);
        let start = x.find(&format!("<unit id=\"{id}\"")).unwrap();
        x[start..start + x[start..].find("</unit>").unwrap()].to_string()
    };
    assert!(unit("City opens").contains("<segment state=\"final\">"));
    assert!(
        unit("City opens")
            .contains("<note category=\"term\">Glossary: library → biblioteca</note>")
    );
    assert!(
        unit("Run").contains("<note category=\"term\">Glossary: make (do not translate)</note>")
    );
    let draft = unit("Read");
    assert!(draft.contains("<segment state=\"translated\">"), "{draft}");
    assert!(draft.contains("Draft from apertium"));
    // The link target is native data, not translatable text.
    let source = &draft[draft.find("<source>").unwrap()..draft.find("</source>").unwrap()];
    assert!(!source.contains("example.org"), "{source}");
    assert!(draft.contains("<data id=\"d2\">](https://example.org/story)</data>"), "{draft}");
    let stale = unit("Why it matters now");
    assert!(stale.contains("<segment state=\"initial\">"), "{stale}");
    assert!(stale.contains("<target>Por qué importa</target>"));
    assert!(stale.contains("It was: Why it matters"));
    let missing = unit("Run");
    assert!(missing.contains("<segment state=\"initial\">") && !missing.contains("<target>"));
    assert!(missing.contains("<ph id=\"1\" type=\"other\" dataRef=\"d1\" equiv=\"make books\""));

    // Standard output gives the same file; a second export changes nothing.
    let run = p.run(&["xliff", "export", "--locale", "es-ES"]).expect_code(0);
    assert_eq!(run.stdout, x);
    let run = p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    assert!(run.stdout.starts_with("unchanged es.xlf"), "{}", run.stdout);
}

#[test]
fn export_never_replaces_a_file_diglot_did_not_write() {
    let p = project();
    p.write("notes.xlf", "my own notes\n");
    let run = p.run(&["xliff", "export", "--locale", "es-ES", "-o", "notes.xlf"]).expect_code(2);
    assert!(run.stderr.contains("not exported by diglot"), "{}", run.stderr);
    assert_eq!(p.read("notes.xlf"), "my own notes\n");
    let run = p.run(&["po", "export", "--locale", "fr-FR"]).expect_code(2);
    assert!(run.stderr.contains("not a target locale"), "{}", run.stderr);
}

#[test]
fn po_export_passes_msgfmt_and_polib_reads_it() {
    let p = project();
    p.run(&["po", "export", "--locale", "es-ES", "-o", "es.po"]).expect_code(0);
    msgfmt_check(&p.path().join("es.po"));
    let out = python(
        "import json, sys, polib\n\
         po = polib.pofile(sys.argv[1])\n\
         print(json.dumps([[e.msgctxt, e.msgid, e.msgstr, 'fuzzy' in e.flags, e.previous_msgid, e.comment] for e in po]))",
        &[p.path().join("es.po").to_str().unwrap()],
    );
    let entries: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(entries.len(), 6);
    let entry = |source: &str| {
        let id = id_of(&p, source);
        entries.iter().find(|e| e[0] == id.as_str()).unwrap_or_else(|| panic!("{id}")).clone()
    };
    let reviewed = entry("The library");
    assert_eq!(reviewed[1], "The library opened on *Monday* with **two floors** of books.");
    assert_eq!(reviewed[2], "La biblioteca abrió el *lunes* con **dos plantas** de libros.");
    assert_eq!(reviewed[3], false);
    assert_eq!(entry("Read")[3], true);
    assert!(entry("Read")[5].as_str().unwrap().contains("Draft from apertium"));
    let stale = entry("Why it matters now");
    assert_eq!((stale[3].clone(), stale[4].clone()), (true.into(), "Why it matters".into()));
    assert_eq!(entry("Run")[2], "");
    assert!(entry("Run")[5].as_str().unwrap().contains("Paragraph 2, sentence 1 of 2"));
    assert!(entry("The library")[5].as_str().unwrap().contains("Glossary: library → biblioteca"));
}

#[test]
fn po_round_trip_changes_exactly_the_edited_messages() {
    let p = project();
    let before = p.read(FTL);
    p.run(&["po", "export", "--locale", "es-ES", "-o", "es.po"]).expect_code(0);
    // Importing the file as exported changes nothing.
    let run = p.run(&["po", "import", "es.po"]).expect_code(0);
    assert!(run.stdout.contains("no locale file changed"), "{}", run.stdout);
    assert_eq!(p.read(FTL), before);

    // A translator edits a reviewed translation, fills a missing one and
    // updates the stale one, leaving it fuzzy.
    let (title, run_id, stale) = (id_of(&p, "City"), id_of(&p, "Run"), id_of(&p, "Why"));
    let po = p.read("es.po");
    let po = po.replace(
        "msgstr \"La ciudad abre una nueva biblioteca\"",
        "msgstr \"La ciudad inaugura una biblioteca\"",
    );
    let po = po.replace(
        "msgid \"Run `make books` tonight.\"\nmsgstr \"\"",
        "msgid \"Run `make books` tonight.\"\nmsgstr \"Ejecuta `make books` esta noche.\"",
    );
    let po = po.replace("msgstr \"Por qué importa\"", "msgstr \"Por qué importa ahora\"");
    p.write("es.po", &po);
    let run = p.run(&["po", "import", "es.po"]).expect_code(0);
    assert!(
        run.stdout.contains("2 reviewed, 1 drafts, 2 unchanged, 1 untranslated"),
        "{}",
        run.stdout
    );
    let after = p.read(FTL);
    let (old, new) = (messages(&before), messages(&after));
    let changed: Vec<&String> = new
        .iter()
        .filter(|(id, v)| value(&before, id).as_ref() != Some(v))
        .map(|(id, _)| id)
        .collect();
    let mut expected = vec![&title, &stale, &run_id];
    expected.sort();
    let mut changed_sorted = changed.clone();
    changed_sorted.sort();
    assert_eq!(changed_sorted, expected, "{after}");
    assert_eq!(new.len(), old.len() + 1);
    assert_eq!(value(&after, &run_id).unwrap(), "Ejecuta `make books` esta noche.");
    // The translator's note stays; the reviewed edit has no state line.
    assert_eq!(comments_of(&after, &title), comments_of(&before, &title));
    assert!(comments_of(&after, &title).contains(&"# Keep it short.".to_string()));
    assert_eq!(
        comments_of(&after, &stale),
        ["# en-US: Why it matters now", "# unreviewed: PO import"]
    );
    // The draft left as it was keeps its origin.
    assert!(comments_of(&after, &id_of(&p, "Read")).contains(&"# unreviewed: apertium".into()));
    // Every other line of the file is as it was.
    let diff = |a: &str, b: &str| -> Vec<String> {
        a.lines().filter(|l| !b.lines().any(|m| m == *l)).map(str::to_string).collect()
    };
    assert_eq!(
        diff(&after, &before),
        [
            format!("{title} = La ciudad inaugura una biblioteca"),
            "# unreviewed: PO import".to_string(),
            format!("{stale} = Por qué importa ahora"),
            format!("{run_id} = Ejecuta `make books` esta noche."),
        ]
    );
    // The untranslated sentence was shown in place as `# <id> =`: the
    // import turned that one line into the message.
    assert_eq!(
        diff(&before, &after),
        [
            format!("{title} = La ciudad abre una nueva biblioteca"),
            "# stale, source was: Why it matters".to_string(),
            format!("{stale} = Por qué importa"),
            format!("# {run_id} ="),
        ]
    );
    p.run(&["status"]).expect_code(0);
}

#[test]
fn import_reports_units_whose_source_changed_and_applies_the_rest() {
    let p = project();
    p.run(&["po", "export", "--locale", "es-ES", "-o", "es.po"]).expect_code(0);
    let run_id = id_of(&p, "Run");
    let po = p.read("es.po");
    let po = po.replace(
        "msgid \"It is free.\"\nmsgstr \"\"",
        "msgid \"It is free.\"\nmsgstr \"Es gratis.\"",
    );
    let po = po.replace(
        "msgid \"Run `make books` tonight.\"\nmsgstr \"\"",
        "msgid \"Run `make books` tonight.\"\nmsgstr \"Ejecuta `make books` esta noche.\"",
    );
    p.write("es.po", &po);
    // The article changes after the export.
    p.write(
        "articles/markdown.md",
        &ARTICLE
            .replace("Why it matters", "Why it matters now")
            .replace("Run `make books` tonight.", "Run `make books` today."),
    );
    let run = p.run(&["po", "import", "es.po"]).expect_code(0);
    // The entry starts after the blank line before its msgctxt.
    let at = po.find(&format!("msgctxt \"{run_id}\"")).unwrap();
    let line = po[..po[..at].rfind("\n\n").unwrap() + 2].lines().count() + 1;
    assert!(
        run.stderr.contains(&format!("es.po:{line}: warning[{run_id}]: not imported: no sentence of the article has this ID any more")),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 not imported"), "{}", run.stdout);
    let ftl = p.read(FTL);
    assert!(ftl.contains("= Es gratis."), "{ftl}");
    assert!(!ftl.contains("esta noche"));
}

#[test]
fn malformed_files_are_refused_with_line_and_column() {
    let p = project();
    let before = p.read(FTL);
    p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    let x = p.read("es.xlf").replace("La ciudad abre", "La ciudad <b>abre").replacen(
        "<target>La biblioteca",
        "<target>La nueva biblioteca",
        1,
    );
    p.write("es.xlf", &x);
    let run = p.run(&["xliff", "import", "es.xlf"]).expect_code(1);
    let line = x[..x.find("<b>").unwrap()].lines().count();
    assert!(run.stderr.contains(&format!("es.xlf:{line}:")), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"));
    assert_eq!(p.read(FTL), before);

    p.run(&["po", "export", "--locale", "es-ES", "-o", "es.po"]).expect_code(0);
    let po = p.read("es.po").replacen(
        "msgstr \"La ciudad abre una nueva biblioteca\"",
        "msgstr \"La ciudad",
        1,
    );
    p.write("es.po", &po);
    let run = p.run(&["po", "import", "es.po"]).expect_code(1);
    let line = po[..po.find("msgstr \"La ciudad").unwrap()].lines().count() + 1;
    assert!(
        run.stderr.contains(&format!("es.po:{line}:8: error: the string has no closing quote")),
        "{}",
        run.stderr
    );
    assert_eq!(p.read(FTL), before);
}

#[test]
fn xliff_2_edited_by_translate_toolkit_imports_back() {
    let p = project();
    p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    let (run_id, free_id) = (id_of(&p, "Run"), id_of(&p, "It is"));
    // translate-toolkit (Weblate's format library) fills a unit, marks
    // another final and saves the file.
    python(
        "import sys\n\
         from translate.storage import xliff2\n\
         store = xliff2.Xliff2File.parsefile(sys.argv[1])\n\
         for u in store.units:\n\
         \x20   if u.getid() == sys.argv[2]:\n\
         \x20       u.target = 'Es gratis.'\n\
         \x20       u.markapproved(True)\n\
         store.savefile(sys.argv[1])\n",
        &[p.path().join("es.xlf").to_str().unwrap(), &free_id],
    );
    xmllint_schema(&p.path().join("es.xlf"));
    let run = p.run(&["xliff", "import", "es.xlf"]).expect_code(0);
    assert!(run.stdout.contains("1 reviewed, 0 drafts"), "{}\n{}", run.stdout, run.stderr);
    let ftl = p.read(FTL);
    assert_eq!(value(&ftl, &free_id).unwrap(), "Es gratis.");
    assert_eq!(comments_of(&ftl, &free_id), ["# en-US: It is free."]);
    assert!(value(&ftl, &run_id).is_none());
}

#[test]
fn xliff_import_applies_edited_markup_and_states() {
    let p = project();
    p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    let (read_id, run_id) = (id_of(&p, "Read"), id_of(&p, "Run"));
    let x = p.read("es.xlf");
    // The draft is accepted with its link moved; the missing unit gets a
    // translation that keeps its code placeholder, still a draft.
    let start = x.find(&format!("<unit id=\"{read_id}\"")).unwrap();
    let unit = &x[start..start + x[start..].find("</unit>").unwrap()];
    let target = &unit[unit.find("<target>").unwrap()..unit.find("</target>").unwrap()];
    let pc = &target[target.find("<pc").unwrap()..target.find("</pc>").unwrap() + 5];
    let edited_unit = unit
        .replace(target, &format!("<target>Más en {}.", pc.replace("un enlace", "este enlace")))
        .replace("state=\"translated\"", "state=\"final\"");
    let x = x.replace(unit, &edited_unit);
    let start = x.find(&format!("<unit id=\"{run_id}\"")).unwrap();
    let unit = &x[start..start + x[start..].find("</unit>").unwrap()];
    let source = &unit[unit.find("<source>").unwrap()..unit.find("</source>").unwrap() + 9];
    let target = source
        .replace("<source>Run", "<target>Ejecuta")
        .replace(" tonight.</source>", " esta noche.</target>");
    let edited_unit = unit
        .replace(source, &format!("{source}\n          {target}"))
        .replace("initial", "translated");
    let x = x.replace(unit, &edited_unit);
    p.write("es.xlf", &x);
    xmllint_schema(&p.path().join("es.xlf"));
    let run = p.run(&["xliff", "import", "es.xlf"]).expect_code(0);
    assert!(run.stdout.contains("1 reviewed, 1 drafts"), "{}\n{}", run.stdout, run.stderr);
    let ftl = p.read(FTL);
    assert_eq!(value(&ftl, &read_id).unwrap(), "Más en [este enlace](https://example.org/story).");
    assert_eq!(
        comments_of(&ftl, &read_id),
        ["# en-US: Read [a link](https://example.org/story) for more."]
    );
    assert_eq!(value(&ftl, &run_id).unwrap(), "Ejecuta `make books` esta noche.");
    assert!(comments_of(&ftl, &run_id).contains(&"# unreviewed: XLIFF import".into()));
}

#[test]
fn xliff_1_2_round_trips_and_translate_toolkit_reads_it() {
    let p = project();
    let before = p.read(FTL);
    p.run(&["xliff", "export", "--locale", "es-ES", "--version", "1.2", "-o", "es12.xlf"])
        .expect_code(0);
    xmllint_schema_1_2(&p, &p.path().join("es12.xlf"));
    let out = python(
        "import json, sys\n\
         from translate.storage import xliff\n\
         store = xliff.xlifffile.parsefile(sys.argv[1])\n\
         print(json.dumps([[u.getid().split('\\x04')[-1], u.isapproved(), u.isfuzzy(), u.target or ''] for u in store.units]))",
        &[p.path().join("es12.xlf").to_str().unwrap()],
    );
    let units: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(units.len(), 6);
    let title = id_of(&p, "City");
    let t = units.iter().find(|u| u[0] == title.as_str()).expect("title unit");
    assert_eq!(
        (t[1].clone(), t[3].clone()),
        (true.into(), "La ciudad abre una nueva biblioteca".into())
    );
    let run = p.run(&["xliff", "import", "es12.xlf"]).expect_code(0);
    assert!(run.stdout.contains("no locale file changed"), "{}", run.stdout);
    let x = p
        .read("es12.xlf")
        .replace(">La ciudad abre una nueva biblioteca<", ">La ciudad estrena biblioteca<");
    p.write("es12.xlf", &x);
    p.run(&["xliff", "import", "es12.xlf"]).expect_code(0);
    let after = p.read(FTL);
    assert_eq!(value(&after, &title).unwrap(), "La ciudad estrena biblioteca");
    assert_eq!(
        after.replace("La ciudad estrena biblioteca", "La ciudad abre una nueva biblioteca"),
        before
    );
}

#[test]
fn po_from_a_tool_that_writes_only_the_language_imports_and_reimports_as_a_no_op() {
    let p = project();
    p.run(&["po", "export", "--locale", "es-ES", "-o", "es.po"]).expect_code(0);
    let po = p.read("es.po").replace("\"Language: es_ES\\n\"", "\"Language: es\\n\"").replace(
        "msgid \"It is free.\"\nmsgstr \"\"",
        "msgid \"It is free.\"\nmsgstr \"Es gratis.\"",
    );
    assert!(po.contains("Language: es\\n"), "{po}");
    p.write("es.po", &po);
    let run = p.run(&["po", "import", "es.po"]).expect_code(0);
    assert!(run.stdout.contains("markdown es-ES: 1 reviewed"), "{}", run.stdout);
    let after = p.read(FTL);
    let run = p.run(&["po", "import", "es.po", "--locale", "es-ES"]).expect_code(0);
    assert!(run.stdout.contains("no locale file changed"), "{}", run.stdout);
    assert_eq!(p.read(FTL), after);
    let run = p.run(&["po", "import", "es.po", "--locale", "fr-FR"]).expect_code(2);
    assert!(run.stderr.contains("not fr-FR"), "{}", run.stderr);
}

#[test]
fn import_writes_nothing_while_the_locale_file_has_errors() {
    let p = project();
    p.run(&["po", "export", "--locale", "es-ES", "-o", "es.po"]).expect_code(0);
    let po = p.read("es.po").replace(
        "msgid \"It is free.\"\nmsgstr \"\"",
        "msgid \"It is free.\"\nmsgstr \"Es gratis.\"",
    );
    p.write("es.po", &po);
    let broken = format!("{}\nbroken = {{\n", p.read(FTL));
    p.write(FTL, &broken);
    let run = p.run(&["po", "import", "es.po"]).expect_code(1);
    assert!(run.stderr.contains("locales/es-ES/markdown.ftl:"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(p.read(FTL), broken);
}

#[test]
fn a_stale_translation_marked_final_becomes_reviewed() {
    let p = project();
    let stale = id_of(&p, "Why");
    p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    let x = p.read("es.xlf");
    let start = x.find(&format!("<unit id=\"{stale}\"")).unwrap();
    let end = start + x[start..].find("</unit>").unwrap();
    let unit = x[start..end].replace("state=\"initial\"", "state=\"final\"");
    p.write("es.xlf", &format!("{}{unit}{}", &x[..start], &x[end..]));
    let run = p.run(&["xliff", "import", "es.xlf"]).expect_code(0);
    assert!(run.stdout.contains("1 reviewed, 0 drafts"), "{}", run.stdout);
    let ftl = p.read(FTL);
    assert_eq!(value(&ftl, &stale).unwrap(), "Por qué importa");
    assert_eq!(comments_of(&ftl, &stale), ["# en-US: Why it matters now"]);
}

#[test]
fn an_unreviewed_unit_never_replaces_a_reviewed_translation() {
    // The translator exports, then reviews a draft in the locale file
    // itself; the file exported before, imported later, still holds the
    // draft (PO: fuzzy). It must not undo the review.
    let p = project();
    let read = id_of(&p, "Read");
    p.run(&["po", "export", "--locale", "es-ES", "-o", "es.po"]).expect_code(0);
    p.run(&["xliff", "export", "--locale", "es-ES", "-o", "es.xlf"]).expect_code(0);
    let reviewed = "Lee [un enlace](https://example.org/story) para saber más.";
    let ftl = p.read(FTL).replace("# unreviewed: apertium\n", "");
    let ftl = ftl.replace("Leer [un enlace](https://example.org/story) para más.", reviewed);
    p.write(FTL, &ftl);
    for file in ["es.po", "es.xlf"] {
        let kind = if file.ends_with("po") { "po" } else { "xliff" };
        let run = p.run(&[kind, "import", file]).expect_code(0);
        let after = p.read(FTL);
        assert_eq!(value(&after, &read).unwrap(), reviewed, "{file}: {after}");
        assert_eq!(after, ftl, "{file}");
        assert!(
            run.stderr.contains(&format!("warning[{read}]: not imported"))
                && run.stderr.contains("reviewed translation"),
            "{file}: {}",
            run.stderr
        );
        assert!(run.stdout.contains("1 not imported"), "{file}: {}", run.stdout);
    }
}
