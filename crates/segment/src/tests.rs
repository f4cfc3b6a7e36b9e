use diglot_core::{Inline, SegmentId};

use super::*;

/// Splits `text` with the built-in rules for `lang` and compares sentences.
fn check_in(lang: &str, text: &str, expected: &[&str]) {
    let got = split(text, &Rules::for_language(lang));
    assert_eq!(got, expected, "{lang} text: {text:?}");
    let all = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(all(&got.concat()), all(text), "text lost: {text:?}");
}

fn check(text: &str, expected: &[&str]) {
    check_in("en", text, expected);
}

fn check_es(text: &str, expected: &[&str]) {
    check_in("es", text, expected);
}

#[test]
fn english_basics() {
    check("", &[]);
    check("   \n ", &[]);
    check("Hello", &["Hello"]);
    check("Hello world. My name is Jonas.", &["Hello world.", "My name is Jonas."]);
    check("What? Really! Yes.", &["What?", "Really!", "Yes."]);
    check("Hello!! Long time?! No see.", &["Hello!!", "Long time?!", "No see."]);
    check("She works at Yahoo! in the city.", &["She works at Yahoo! in the city."]);
    check("It costs $1.50 today. Tomorrow $2.", &["It costs $1.50 today.", "Tomorrow $2."]);
    check("Hello world.Today is Tuesday.", &["Hello world.", "Today is Tuesday."]);
}

#[test]
fn english_abbreviations() {
    check("Mr. Smith met Dr. Jones.", &["Mr. Smith met Dr. Jones."]);
    check("See p. 55 and No. 7 on Jan. 5.", &["See p. 55 and No. 7 on Jan. 5."]);
    check("He joined Acme Inc. Then he left.", &["He joined Acme Inc.", "Then he left."]);
    check("Pitt & Co. at noon.", &["Pitt & Co. at noon."]);
    check("Roe v. Wade changed it.", &["Roe v. Wade changed it."]);
    check("Fruit, e.g. Apples, etc. are fine.", &["Fruit, e.g. Apples, etc. are fine."]);
    check(
        "At 5 a.m. Mr. Li left. He came back at 6 P.M. Mr. Li slept.",
        &["At 5 a.m. Mr. Li left.", "He came back at 6 P.M.", "Mr. Li slept."],
    );
    check("It ended at 9 a.m. Officials left.", &["It ended at 9 a.m.", "Officials left."]);
    check("It starts at 3 p.m. Monday in Dover.", &["It starts at 3 p.m. Monday in Dover."]);
    check("It opens at 10 a.m. Jan. 5 in Dover.", &["It opens at 10 a.m. Jan. 5 in Dover."]);
    check("It airs at 8 p.m. ET daily.", &["It airs at 8 p.m. ET daily."]);
}

#[test]
fn english_initials_and_us() {
    check("My name is Jonas E. Smith.", &["My name is Jonas E. Smith."]);
    check(
        "You and I. Did you see Albert I. Jones?",
        &["You and I.", "Did you see Albert I. Jones?"],
    );
    check("I live in the U.S. How about you?", &["I live in the U.S.", "How about you?"]);
    check(
        "He spent months in U.S. immigration detention.",
        &["He spent months in U.S. immigration detention."],
    );
    check(
        "On banners outside the U.S. Supreme Court, they marched.",
        &["On banners outside the U.S. Supreme Court, they marched."],
    );
    check("He left the U.S. The end.", &["He left the U.S.", "The end."]);
}

#[test]
fn english_quotations() {
    check(
        "“They told us we would die there,” he recalled. He cried.",
        &["“They told us we would die there,” he recalled.", "He cried."],
    );
    check(
        "But a pastor’s words: “The miracle is done. Tomorrow is new.” On July 18, they left.",
        &[
            "But a pastor’s words: “The miracle is done. Tomorrow is new.”",
            "On July 18, they left.",
        ],
    );
    check(
        "He cried out, “I’m gay,” calling for his mother.",
        &["He cried out, “I’m gay,” calling for his mother."],
    );
    check(
        "She said, \"This is great.\" She smiled.",
        &["She said, \"This is great.\"", "She smiled."],
    );
    check("She said, 'This is great.' she smiled.", &["She said, 'This is great.' she smiled."]);
    check("That is JFK Jr.'s book.", &["That is JFK Jr.'s book."]);
    check(
        "He teaches (he was an engineer. Really.) at school.",
        &["He teaches (he was an engineer. Really.) at school."],
    );
    check(
        "“Libertad para Andry” — Freedom for Andry. Those who saw him cheered.",
        &["“Libertad para Andry” — Freedom for Andry.", "Those who saw him cheered."],
    );
    // The parents’ apostrophe closes nothing; the sentence still ends.
    check("It is his parents’ home. He smiles.", &["It is his parents’ home.", "He smiles."]);
}

#[test]
fn english_ellipses() {
    check("I never meant that.... She left.", &["I never meant that....", "She left."]);
    check(
        "I wasn’t really ... well, I mean...see . . . I didn’t.",
        &["I wasn’t really ... well, I mean...see . . . I didn’t."],
    );
    check("Wait… What now?", &["Wait…", "What now?"]);
    check("A word. . . . The rest.", &["A word.", ". . . The rest."]);
}

#[test]
fn english_addresses_and_numbers() {
    check("Mail Jane.Doe@example.com. I did.", &["Mail Jane.Doe@example.com.", "I did."]);
    check(
        "See https://www.example.com/a.html. Then go.",
        &["See https://www.example.com/a.html.", "Then go."],
    );
    check(
        "It was 1.5 times bigger. The 32-year-old wore a T-shirt.",
        &["It was 1.5 times bigger.", "The 32-year-old wore a T-shirt."],
    );
}

#[test]
fn english_lists_and_lines() {
    check("1. The first item 2. The second item", &["1. The first item", "2. The second item"]);
    check("a) one b) two", &["a) one", "b) two"]);
    // A sentence ending in a number is not a list item, even when the next
    // one ends in the next number.
    check(
        "The group met on day 2. The council met on day 3. Then it rained.",
        &["The group met on day 2.", "The council met on day 3.", "Then it rained."],
    );
    check(
        "Scores were 1. Then 2. Then 3. Nobody cheered.",
        &["Scores were 1.", "Then 2.", "Then 3.", "Nobody cheered."],
    );
    // Markers at the start of lines, or chained from one there, are items.
    check("Steps:\n1. Call 911.\n2. Wait.", &["Steps:", "1. Call 911.", "2. Wait."]);
    check("1. First. 2. Second. 3. Third.", &["1. First.", "2. Second.", "3. Third."]);
    check("• first • second", &["• first", "• second"]);
    // A number opening the text numbers it (a contents entry, a section).
    check("1. Intro", &["1. Intro"]);
    check("12. The end of it all", &["12. The end of it all"]);
    check("2.3. Results and methods", &["2.3. Results and methods"]);
    check("1. Intro. The text follows.", &["1. Intro.", "The text follows."]);
    check("He came 1. Then he left.", &["He came 1.", "Then he left."]);
    check("2023. That was the year.", &["2023.", "That was the year."]);
    check("features\ncontact manager", &["features", "contact manager"]);
    check("It was a cold \nnight.", &["It was a cold \nnight."]);
    check("One\n\ntwo", &["One", "two"]);
    check("Dear Sir: \nThanks", &["Dear Sir:", "Thanks"]);
}

#[test]
fn spanish() {
    check_es("¿Cómo está hoy? Espero que muy bien.", &["¿Cómo está hoy?", "Espero que muy bien."]);
    check_es("1. Introducción", &["1. Introducción"]);
    check_es("¡Hola Srta. Ledesma! ¿Cómo está?", &["¡Hola Srta. Ledesma!", "¿Cómo está?"]);
    check_es(
        "Soy el Lic. Naser, y él es el Dr. Naser.",
        &["Soy el Lic. Naser, y él es el Dr. Naser."],
    );
    check_es(
        "¡La casa cuesta $170.500.000,00! ¡Muy costosa! Bajó un 12.5%.",
        &["¡La casa cuesta $170.500.000,00!", "¡Muy costosa!", "Bajó un 12.5%."],
    );
    check_es(
        "«Ninguna mente está exenta de demencia.», dijo Aristóteles.",
        &["«Ninguna mente está exenta de demencia.», dijo Aristóteles."],
    );
    check_es("Pablo, ¿adónde vas? ¡¿Qué viste?!", &["Pablo, ¿adónde vas?", "¡¿Qué viste?!"]);
    check_es(
        "Vive en los EE. UU. desde 2010. Le gusta.",
        &["Vive en los EE. UU. desde 2010.", "Le gusta."],
    );
    check_es("Lea la pág. 5 y el art. 4. Gracias.", &["Lea la pág. 5 y el art. 4.", "Gracias."]);
    check_es(
        "Llame al tel. 555 1234 o escriba a Ud. Pérez.",
        &["Llame al tel. 555 1234 o escriba a Ud. Pérez."],
    );
    check_es(
        "Compre frutas, verduras, etc. Luego vuelva.",
        &["Compre frutas, verduras, etc.", "Luego vuelva."],
    );
    check_es("1 + 1 es 2. 2 + 2 es 4.", &["1 + 1 es 2.", "2 + 2 es 4."]);
    check_es(
        "El grupo se reunió el día 2. El consejo se reunió el día 3. Luego llovió.",
        &["El grupo se reunió el día 2.", "El consejo se reunió el día 3.", "Luego llovió."],
    );
    check_es("Lista: 1.Helado, 2.Carne. ¿Cuánto?", &["Lista: 1.Helado, 2.Carne.", "¿Cuánto?"]);
    check_es("Esperó… Nada pasó.", &["Esperó…", "Nada pasó."]);
    check_es("—¿Vienes? —preguntó ella. —Sí.", &["—¿Vienes? —preguntó ella.", "—Sí."]);
}

#[test]
fn never_panics_and_loses_nothing() {
    let rules = Rules::for_language("en");
    let alphabet: Vec<char> = "aZ1 .!?…\"'“”‘’«»()[]¿¡•\n\t-:@/".chars().collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for len in 0..400 {
        let text: String = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize]
            })
            .collect();
        let cuts = boundaries(&text, &rules);
        assert!(cuts.windows(2).all(|w| w[0] < w[1]), "{text:?}");
        assert!(cuts.iter().all(|&c| c > 0 && c < text.chars().count()), "{text:?}");
        let all = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(all(&split(&text, &rules).concat()), all(&text), "{text:?}");
    }
    for text in ["", ".", "...", "!?!", "“", "”", "\"", "(((", ")))", "¿¡", "1.", "a.", "•", "\n\n"]
    {
        split(text, &rules);
    }
}

#[test]
fn long_inputs_are_linear() {
    let rules = Rules::for_language("en");
    let long_word = "a".repeat(200_000);
    assert_eq!(split(&long_word, &rules).len(), 1);
    let no_punctuation = "word ".repeat(50_000);
    assert_eq!(split(&no_punctuation, &rules).len(), 1);
    let quoted = format!("“{}", "A b. ".repeat(20_000));
    assert_eq!(split(&quoted, &rules).len(), 20_000);
    let dots = ". ".repeat(50_000);
    assert_eq!(split(&dots, &rules).len(), 1);
    let markers = (1..20_000).map(|n| format!("{n}. item ")).collect::<String>();
    assert_eq!(split(&markers, &rules).len(), 999);
}

#[test]
fn rules_by_language() {
    assert_eq!(Rules::for_language("en").locale().to_string(), "en");
    assert_eq!(Rules::for_language("es-MX").locale().to_string(), "es");
    assert_eq!(Rules::for_language("ES_es").locale().to_string(), "es");
    assert_eq!(Rules::for_language("fr").locale().to_string(), "en");
    assert_eq!(Rules::for_language("").locale().to_string(), "en");
    assert_eq!(Rules::for_language("es-ES-u-ca-buddhist").locale().to_string(), "es");
}

#[test]
fn builtin_rules_parse() {
    Rules::from_toml(include_str!("../rules/en.toml")).unwrap();
    Rules::from_toml(include_str!("../rules/es.toml")).unwrap();
}

#[test]
fn bad_rules_are_errors() {
    let en = include_str!("../rules/en.toml");
    let err = Rules::from_toml("language = \"en\"").unwrap_err();
    assert!(matches!(err, Error::Toml(_)), "{err}");
    let err =
        Rules::from_toml(&en.replace("full_stop = [\".\"]", "full_stop = [\"..\"]")).unwrap_err();
    assert!(err.to_string().contains("punctuation.full_stop"), "{err}");
    let err = Rules::from_toml(&en.replace("\"Inc\",", "\"Mr\",")).unwrap_err();
    assert!(err.to_string().contains("`Mr` is already listed"), "{err}");
    let err = Rules::from_toml(&en.replace("language = \"en\"", "language = \"!!\"")).unwrap_err();
    assert!(err.to_string().contains("language"), "{err}");
    let err = Rules::from_toml(&format!("{en}\n[extra]\nkey = 1\n")).unwrap_err();
    assert!(matches!(err, Error::Toml(_)), "{err}");
}

#[test]
fn a_project_can_ship_its_own_rules() {
    let en = include_str!("../rules/en.toml");
    let custom =
        Rules::from_toml(&en.replace("prefix = [", "prefix = [\"Approx\", \"Ald\",")).unwrap();
    assert_eq!(split("Ald. Brown spoke.", &custom), ["Ald. Brown spoke."]);
    assert_eq!(split("Ald. Brown spoke.", &Rules::for_language("en")), ["Ald.", "Brown spoke."]);
}

#[test]
fn rules_files_without_times_still_load() {
    let en = include_str!("../rules/en.toml");
    let (head, rest) = en.split_at(en.find("\n[times]").unwrap());
    let older = format!("{head}{}", &rest[rest.find("\n[addresses]").unwrap()..])
        .replace("time = [\"a.m\", \"p.m\"]", "");
    assert_ne!(older, en);
    let rules = Rules::from_toml(&older).unwrap();
    assert_eq!(split("Mr. Li left. He came back.", &rules), ["Mr. Li left.", "He came back."]);
}

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn doc(blocks: Vec<Block>) -> Document {
    Document { lang: None, blocks }
}

fn texts(segmented: &Segmented) -> Vec<Vec<String>> {
    segmented.blocks.iter().map(|b| b.segments.iter().map(|s| s.text.clone()).collect()).collect()
}

#[test]
fn segment_reopens_markup_across_a_boundary() {
    let d = doc(vec![Block::new(
        BlockKind::Paragraph,
        vec![
            text("He said "),
            Inline::Emphasis(vec![text("it works. Then it")]),
            text(" broke. "),
            Inline::Strong(vec![text("Really.")]),
        ],
    )]);
    let s = segment(&d, &Rules::for_language("en"));
    assert_eq!(texts(&s), [["He said *it works.*", "*Then it* broke.", "**Really.**"]]);
    for seg in s.segments() {
        assert_eq!(seg.id, SegmentId::for_text(&seg.text));
    }
}

#[test]
fn segment_keeps_titles_headings_and_cells_whole() {
    let rules = Rules::for_language("en");
    let d = doc(vec![
        Block::text(BlockKind::Title, "Hello world. Second part."),
        Block::text(BlockKind::Heading { level: 2 }, "One. Two."),
        Block::text(BlockKind::TableCell { table: 0, row: 0, col: 0, header: true }, "A. B."),
        Block::text(BlockKind::Quote, "One. Two."),
        Block::text(BlockKind::ListItem { ordered: false, depth: 0, task: None }, "One. Two."),
        Block::text(BlockKind::Paragraph, "   "),
    ]);
    let s = segment(&d, &rules);
    assert_eq!(
        texts(&s),
        vec![
            vec!["Hello world. Second part."],
            vec!["One. Two."],
            vec!["A. B."],
            vec!["One.", "Two."],
            vec!["One.", "Two."],
            vec![],
        ]
    );
    assert_eq!(s.lang.to_string(), "en");
}

#[test]
fn segment_language_and_hard_breaks() {
    let rules = Rules::for_language("es");
    let mut d = doc(vec![Block::new(
        BlockKind::Paragraph,
        vec![text("Calle Mayor 5"), Inline::Break, text("Madrid. ¿Vienes?")],
    )]);
    let s = segment(&d, &rules);
    assert_eq!(s.lang.to_string(), "es");
    assert_eq!(texts(&s), [["Calle Mayor 5\\\nMadrid.", "¿Vienes?"]]);
    d.lang = Some("es-MX".parse().unwrap());
    assert_eq!(segment(&d, &rules).lang.to_string(), "es-MX");
}

#[test]
fn segment_links_and_code() {
    let d = doc(vec![Block::new(
        BlockKind::Paragraph,
        vec![
            text("Read "),
            Inline::Link {
                href: "https://example.com".into(),
                title: String::new(),
                children: vec![text("this. And that")],
            },
            text(" now. Run "),
            Inline::Code("a. B".into()),
            text(" please."),
        ],
    )]);
    let s = segment(&d, &Rules::for_language("en"));
    assert_eq!(
        texts(&s),
        [[
            "Read [this.](https://example.com)",
            "[And that](https://example.com) now.",
            "Run `a. B` please.",
        ]]
    );
}
