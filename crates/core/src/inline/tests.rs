use super::*;
use crate::Inline::*;

fn t(s: &str) -> Inline {
    Text(s.to_string())
}

fn link(href: &str, children: Vec<Inline>) -> Inline {
    Link { href: href.into(), title: String::new(), children }
}

fn check_roundtrip(inlines: Vec<Inline>, markdown: &str) {
    assert_eq!(to_markdown(&inlines), markdown);
    assert_eq!(parse_markdown(markdown), inlines, "parsing {markdown:?}");
}

#[test]
fn markup_round_trips() {
    check_roundtrip(vec![t("plain, U.S. text")], "plain, U.S. text");
    check_roundtrip(vec![t("a "), Emphasis(vec![t("b")]), t(" c")], "a *b* c");
    check_roundtrip(
        vec![Strong(vec![t("bold")]), t(" and "), Code("x = 1".into())],
        "**bold** and `x = 1`",
    );
    check_roundtrip(
        vec![t("see "), link("https://e.org/a", vec![t("this")]), t(".")],
        "see [this](https://e.org/a).",
    );
    check_roundtrip(vec![t("5 * 3 = [15] <b>")], r"5 \* 3 = \[15\] \<b>");
    check_roundtrip(vec![t("1984. That year")], "1984. That year");
    assert_eq!(parse_markdown(r"1984\. That year"), [t("1984. That year")]);
    // Block starts need no escape in a message; one written is read.
    check_roundtrip(vec![t("# not a heading")], "# not a heading");
    check_roundtrip(vec![t("- not a list")], "- not a list");
    assert_eq!(parse_markdown(r"\- not a list"), [t("- not a list")]);
    check_roundtrip(vec![Code("a`b".into())], "``a`b``");
}

#[test]
fn raw_html_is_text() {
    assert_eq!(
        parse_markdown("<script>alert(1)</script> hi"),
        vec![t("<script>alert(1)</script> hi")]
    );
}

#[test]
fn translator_block_syntax_stays_inline() {
    assert_eq!(parse_markdown("1984. Ese año"), vec![t("1984. Ese año")]);
    assert_eq!(parse_markdown("> cita"), vec![t("> cita")]);
}

#[test]
fn split_closes_and_reopens_markup() {
    let inlines = vec![t("One. "), Emphasis(vec![t("Two. Three")]), t(" four.")];
    let plain = plain_text(&inlines);
    let cut1 = plain.find("Two").unwrap();
    let cut2 = plain.find("Three").unwrap();
    let pieces = split_at(&inlines, &[cut1, cut2]);
    assert_eq!(pieces[0], vec![t("One.")]);
    assert_eq!(pieces[1], vec![Emphasis(vec![t("Two.")])]);
    assert_eq!(pieces[2], vec![Emphasis(vec![t("Three")]), t(" four.")]);
}

#[test]
fn split_counts_characters_not_bytes() {
    let inlines = vec![t("¿Qué? ¡Sí!")];
    let pieces = split_at(&inlines, &[6]);
    assert_eq!(pieces, vec![vec![t("¿Qué?")], vec![t("¡Sí!")]]);
}

/// The JSON edition's shape: text as a bare string, other inlines named by
/// their kind key, empty titles left out; it reads back as it was.
#[test]
fn inlines_serialize_as_the_json_editions_inlines() {
    let image =
        |title: &str| Inline::Image { src: "a.png".into(), title: title.into(), alt: "A".into() };
    let inlines = vec![
        t("a "),
        Emphasis(vec![t("b")]),
        Inline::Strong(vec![Inline::Code("c".into())]),
        link("http://x", vec![t("c")]),
        Inline::Link { href: "/y".into(), title: "Y".into(), children: vec![] },
        Inline::RefLink { label: "r".into(), children: vec![t("d")] },
        image(""),
        image("T"),
        Inline::RefImage { label: "logo".into(), alt: "L".into() },
        Break,
        Inline::Raw("<kbd>".into()),
    ];
    let json = serde_json::to_string(&inlines).unwrap();
    assert_eq!(
        json,
        r#"["a ",{"emphasis":["b"]},{"strong":[{"code":"c"}]},{"link":["c"],"href":"http://x"},{"link":[],"href":"/y","title":"Y"},{"ref_link":["d"],"label":"r"},{"image":"A","src":"a.png"},{"image":"A","src":"a.png","title":"T"},{"ref_image":"L","label":"logo"},{"break":true},{"raw":"<kbd>"}]"#
    );
    assert_eq!(serde_json::from_str::<Vec<Inline>>(&json).unwrap(), inlines);
    for bad in [
        r#"{"emphasis":[],"raw":"x"}"#,
        r#"{"link":[]}"#,
        r#"{"code":"x","href":"y"}"#,
        r#"{"break":false}"#,
        r#"{"ref_image":"x","src":"y"}"#,
        r#"{"type":"text"}"#,
        "{}",
    ] {
        assert!(serde_json::from_str::<Inline>(bad).is_err(), "{bad}");
    }
}

#[test]
fn shortcodes_footnotes_and_html_are_raw() {
    let raw = |s: &str| Inline::Raw(s.to_string());
    let text = |s: &str| Inline::Text(s.to_string());
    assert_eq!(
        parse_markdown("See {{< ref \"x.md\" >}} and{{% n %}}[^1] ![a *b*][c] <kbd>K</kbd>."),
        [
            text("See "),
            raw("{{< ref \"x.md\" >}}"),
            text(" and"),
            raw("{{% n %}}"),
            raw("[^1]"),
            text(" "),
            RefImage { label: "c".into(), alt: "a b".into() },
            text(" "),
            raw("<kbd>"),
            text("K"),
            raw("</kbd>"),
            text("."),
        ]
    );
    // Hugo shortcodes written without spaces hold an HTML-like tag.
    let md = "A {{<note>}}b{{</note>}} c";
    assert_eq!(
        parse_markdown(md),
        [text("A "), raw("{{<note>}}"), text("b"), raw("{{</note>}}"), text(" c")]
    );
    assert_eq!(to_markdown(&parse_markdown(md)), md);
    // Raw pieces are written back as they were.
    let md = "Zola {{ youtube(id=\"x\") }} and {% note() %} here";
    assert_eq!(to_markdown(&parse_markdown(md)), md);
    // Shortcode syntax in text is escaped, and stays text.
    let escaped = to_markdown(&[text("a {{% param \"secret\" %}} {{< x >}} [^1]")]);
    assert_eq!(escaped, "a {\\{\\% param \"secret\" %}} {\\{\\< x >}} \\[^1\\]");
    assert_eq!(parse_markdown(&escaped), [text("a {{% param \"secret\" %}} {{< x >}} [^1]")]);
    assert_eq!(raw_pieces("a {{< x >}} b <i>"), ["{{< x >}}", "<i>"]);
    assert_eq!(
        image_parts("![An *alt*](p.png \"T\")"),
        Some(ImageParts { src: "p.png".into(), title: "T".into(), alt: "An alt".into() })
    );
}

#[test]
fn reference_links_and_autolinks_round_trip() {
    let md = "Read [the *manual*][man] at <https://x.org> or <a@b.org>.";
    let inlines = parse_markdown(md);
    assert_eq!(
        inlines,
        [
            Text("Read ".into()),
            RefLink { label: "man".into(), children: vec![t("the "), Emphasis(vec![t("manual")])] },
            t(" at "),
            Raw("<https://x.org>".into()),
            t(" or "),
            Raw("<a@b.org>".into()),
            t("."),
        ]
    );
    assert_eq!(to_markdown(&inlines), md);
    // A footnote reference is no reference link.
    assert_eq!(parse_markdown("a[^1]"), [t("a"), Raw("[^1]".into())]);
}

#[test]
fn nested_emphasis_stays_emphasis() {
    for md in ["*_foo_*", "_*foo*_"] {
        let inlines = parse_markdown(md);
        assert_eq!(inlines, [Emphasis(vec![Emphasis(vec![t("foo")])])], "{md}");
        assert_eq!(parse_markdown(&to_markdown(&inlines)), inlines, "{md}");
    }
}

#[test]
fn styled_markdown_keeps_the_sources_delimiters_where_they_read_the_same() {
    let style = InlineStyle {
        underscore_emphasis: true,
        underscore_strong: true,
        space_breaks: vec![true, false],
        ..InlineStyle::default()
    };
    let inlines = parse_markdown("*a* **b** c\\\nd\\\ne ~~f~~");
    assert_eq!(to_markdown_styled(&inlines, &style, 0), "_a_ __b__ c  \nd\\\ne ~~f~~");
    // A break written as a tag stays one.
    let tags = InlineStyle {
        html_breaks: vec![String::new(), "<BR/>".into()],
        space_breaks: vec![false, false],
        ..InlineStyle::default()
    };
    assert_eq!(to_markdown_styled(&parse_markdown("a\\\nb\\\nc"), &tags, 0), "a\\\nb<BR/>c");
    // The third break of the block follows the last style known.
    assert_eq!(to_markdown_styled(&parse_markdown("x\\\ny"), &style, 2), "x\\\ny");
    // `_` cannot emphasize inside a word: that markup keeps `*`.
    let inword = parse_markdown("un*b*c");
    assert_eq!(to_markdown_styled(&inword, &style, 0), "un*b*c");
    // A strikethrough delimiter is a raw piece; a text's tildes are escaped.
    assert_eq!(parse_markdown("~~x~~")[0], Raw("~~".into()));
    assert_eq!(to_markdown(&[t("a ~~ b")]), "a \\~~ b");
}

#[test]
fn styled_markdown_writes_references_in_the_sources_form_where_the_text_is_the_label() {
    let style = InlineStyle {
        shortcut_refs: vec!["#1915".into(), "Lighthouse".into()],
        collapsed_refs: vec!["the parser".into()],
        ..InlineStyle::default()
    };
    let md = "([#1915][#1915]) [the parser][the parser] ![Lighthouse][Lighthouse] [x][x]";
    assert_eq!(
        to_markdown_styled(&parse_markdown(md), &style, 0),
        "([#1915]) [the parser][] ![Lighthouse] [x][x]"
    );
    // Messages always name the label.
    assert_eq!(to_markdown(&parse_markdown("([#1915])")), "([#1915][#1915])");
    // Changed text keeps the label in the full form.
    let changed = parse_markdown("[el analizador][the parser] ![Faro][Lighthouse]");
    assert_eq!(
        to_markdown_styled(&changed, &style, 0),
        "[el analizador][the parser] ![Faro][Lighthouse]"
    );
    // A shortcut that would read as a link with what follows stays full.
    let joined = vec![RefLink { label: "#1915".into(), children: vec![t("#1915")] }, t("(x)")];
    assert_eq!(to_markdown_styled(&joined, &style, 0), to_markdown(&joined));
}

/// `parse_markdown(to_markdown(x)) == x`.
fn check_reads_back(inlines: Vec<Inline>) {
    let md = to_markdown(&inlines);
    assert_eq!(parse_markdown(&md), inlines, "written as {md:?}");
}

/// Inputs of fuzz/regressions/protect_roundtrip: emphasis nested at the
/// edge of emphasis, which `*` markers would turn into strong text.
#[test]
fn emphasis_at_the_edge_of_emphasis_reads_back() {
    // `***t*t*`, as the Markdown reader gives it.
    check_reads_back(vec![t("*"), Emphasis(vec![Emphasis(vec![t("t")]), t("t")])]);
    check_reads_back(vec![Emphasis(vec![t("t"), Emphasis(vec![t("u")])]), t(".")]);
    check_reads_back(vec![
        Emphasis(vec![
            Emphasis(vec![t("Nexen u")]),
            t("nested "),
            Strong(vec![t("strong")]),
            t(" "),
            link("http://x", vec![t("link "), Emphasis(vec![t("em")])]),
        ]),
        t("."),
    ]);
}

/// `***very important***` (emphasis around strong, the whole of it) is
/// written as the author wrote it, not `_**very important**_`.
#[test]
fn emphasis_around_strong_is_written_with_three_stars() {
    for md in ["This is ***very important*** news.", "***All of it***"] {
        assert_eq!(to_markdown(&parse_markdown(md)), md, "{md}");
    }
    check_reads_back(vec![t("a "), Emphasis(vec![Strong(vec![t("b")])]), t(" c")]);
    check_reads_back(vec![t("a "), Emphasis(vec![Strong(vec![t("b")]), t(" c")]), t(" d")]);
    check_reads_back(vec![Emphasis(vec![Strong(vec![t("b"), Emphasis(vec![t("c")])])])]);
    check_reads_back(vec![Emphasis(vec![Strong(vec![Emphasis(vec![t("c")]), t("b")])])]);
}

/// A code span that starts and ends with a space loses one of each when
/// read, unless the writer pads it.
#[test]
fn code_with_spaces_at_both_ends_reads_back() {
    check_reads_back(vec![t("a "), Code(" x  ".into()), t(" b")]);
    check_reads_back(vec![Code(" ".into())]);
    check_reads_back(vec![Code(" x".into())]);
}

/// Sentences that start like a block (a list item, a heading, a quote) stay
/// sentences, whatever white space follows the marker.
#[test]
fn block_starts_read_back_as_text() {
    for text in [
        "- a",
        "+ a",
        "* a",
        "1. a",
        "1) a",
        "**a",
        "# a",
        "###### a",
        "> a",
        "-",
        "#",
        "-\tA",
        "-\u{b}A line",
        "2.\u{b}A",
    ] {
        check_reads_back(vec![t(text)]);
        check_reads_back(vec![t(text), Break, t(text)]);
    }
    check_reads_back(vec![Strong(vec![t("a")]), t(" b")]);
}

/// What restore does to a sentence that starts `-` and a vertical tab
/// (it folds the white space): a block-start escape treats both the same
/// way.
#[test]
fn marker_then_any_white_space_is_escaped() {
    assert_eq!(escape_block_starts("-\u{b}A"), "\\-\u{b}A");
    assert_eq!(escape_block_starts("- A"), "\\- A");
}

/// A message is inline content wherever it starts: `1. Intro` needs no
/// escape to read back as text, and is the same sentence as `1\. Intro`.
#[test]
fn messages_write_no_block_start_escapes_and_ids_ignore_them() {
    for text in ["1. Intro", "# a", "- a", "> a", "2) b"] {
        check_roundtrip(vec![t(text)], text);
        assert_eq!(
            crate::SegmentId::for_text(text),
            crate::SegmentId::for_text(&escape_block_starts(text)),
            "{text}"
        );
    }
    check_roundtrip(vec![t("a"), Break, t("1. b")], "a\\\n1. b");
    assert_eq!(escape_block_starts("a\\\n1. b"), "a\\\n1\\. b");
}

/// A reference image is its alternative text and its label; a message
/// always writes the label, so a translated alternative text keeps it.
#[test]
fn reference_images_carry_their_alternative_text_and_label() {
    let inlines = parse_markdown("See ![the *harbour*][boat] and ![Lighthouse][].");
    assert_eq!(
        inlines,
        [
            t("See "),
            RefImage { label: "boat".into(), alt: "the harbour".into() },
            t(" and "),
            RefImage { label: "Lighthouse".into(), alt: "Lighthouse".into() },
            t("."),
        ]
    );
    assert_eq!(to_markdown(&inlines), "See ![the harbour][boat] and ![Lighthouse][Lighthouse].");
    check_roundtrip(
        vec![RefImage { label: "Lighthouse".into(), alt: "El faro".into() }],
        "![El faro][Lighthouse]",
    );
    assert!(raw_pieces_only(&[RefImage { label: "x".into(), alt: "2024".into() }]));
    assert_eq!(
        translatable_text(&[t("a "), RefImage { label: "x".into(), alt: "boat".into() }]),
        "a  boat "
    );
    assert_eq!(plain_text(&[t("a "), RefImage { label: "x".into(), alt: "boat".into() }]), "a ");
}

/// A shortcode opener followed by a long line is looked at over a bounded
/// length, cut at a character boundary, never inside a character
/// (fuzz/regressions/protect_roundtrip/crash-b9ab9f…).
#[test]
fn a_long_line_after_a_shortcode_opener_is_no_panic() {
    for pad in 995..1000 {
        let text = format!("{{{{{}éé }}}} x", "a".repeat(pad));
        assert!(raw_ranges(&text).is_empty(), "{pad}");
        let _ = parse_markdown(&text);
    }
}

/// A link target with `<`, `>` or a backslash reads back as it was, not
/// percent-encoded (which made `restore(protect(x))` change the target once,
/// then not again: fuzz/regressions/protect_roundtrip/crash-21c922…).
#[test]
fn link_targets_with_angle_brackets_read_back() {
    for href in ["https://e.org/st>ory", "https://e.org/a<b", "https://e.org/a b\\(c)", "a\\b"] {
        check_reads_back(vec![t("see "), link(href, vec![t("this")]), t(".")]);
    }
}

/// The shortcut for text without markup counts what parsing would.
#[test]
fn words_of_markdown_counts_the_plain_text() {
    for text in [
        "A plain sentence, with a comma.",
        "Wait! Is it 3 > 2? Yes: 100% - of it.",
        "# Not a heading",
        "- - -",
        "1. Not a list",
        "> Not a quote",
        "Ends with two spaces  ",
        "\u{a0}no-break space first",
        "*Emphasis* and **strong** and `code`",
        "A [link](https://example.com) and ![an image](a.png)",
        "An entity&nbsp;joins and &amp; stands",
        "Line one\nline two",
        "    indented four",
        "<b>html</b> words",
        "back\\*slash",
        "",
    ] {
        assert_eq!(
            words_of_markdown(text),
            plain_text_of_markdown(text).split_whitespace().count(),
            "{text:?}"
        );
    }
}

#[test]
fn a_titles_unclosed_tags_are_text_and_its_markup_is_not() {
    let title = |md: &str| plain_text(&title_inlines(parse_markdown(md)));
    assert_eq!(title("Tips & more <fun>"), "Tips & more <fun>");
    assert_eq!(title("Press <kbd>Ctrl</kbd> now"), "Press Ctrl now");
    // Void elements, self-closed tags and autolinks are not text.
    assert!(!title("One<br>two <x/> <https://a.org>").contains('<'));
}

fn image(src: &str, title: &str, alt: &str) -> Inline {
    Image { src: src.into(), title: title.into(), alt: alt.into() }
}

#[test]
fn images_carry_their_alternative_text_and_title() {
    check_roundtrip(
        vec![t("A "), image("cat.png", "The cat", "sleeping cat"), t(" sleeps.")],
        "A ![sleeping cat](cat.png \"The cat\") sleeps.",
    );
    check_roundtrip(vec![image("a b.png", "", "")], "![](<a b.png>)");
    // Markup in alternative text is plain text, as HTML's `alt` is.
    assert_eq!(parse_markdown("![An *alt* [x](y)](p.png)"), [image("p.png", "", "An alt x")]);
    // Characters that would be markup are escaped in the alternative text.
    check_roundtrip(vec![image("p.png", "", "a [b] *c*")], r"![a \[b\] \*c\*](p.png)");
    // Linked images are images inside links.
    check_roundtrip(
        vec![link("https://e.org", vec![image("p.png", "", "Logo")])],
        "[![Logo](p.png)](https://e.org)",
    );
    // An image is no text of the sentence, but its words are translatable.
    let inlines = parse_markdown("![A dog](d.png \"Rex\") barks.");
    assert_eq!(plain_text(&inlines), " barks.");
    assert_eq!(translatable_text(&inlines), " A dog Rex  barks.");
    assert!(!is_verbatim("![A dog](d.png)"));
    assert!(is_verbatim("![2024](d.png)"));
    assert!(raw_pieces_only(&parse_markdown("![](d.png) ![1](e.png)")));
    assert!(!raw_pieces_only(&parse_markdown("![A dog](d.png)")));
}

#[test]
fn a_sentence_is_never_split_inside_an_image() {
    let inlines = parse_markdown("One. ![Alt. Text](a.png \"T. U\") Two.");
    let plain = plain_text(&inlines);
    let cut = plain.find("Two").unwrap();
    let pieces = split_at(&inlines, &[cut]);
    // Between sentences, the image goes with the one it follows, whole.
    assert_eq!(pieces[0], vec![t("One. "), image("a.png", "T. U", "Alt. Text")]);
    assert_eq!(pieces[1], vec![t("Two.")]);
}

#[test]
fn sentences_without_images_keep_their_ids_and_image_sentences_their_source() {
    // The ID of a sentence depends on its Markdown: the common image
    // syntax is written as it was read, so its ID stays too.
    for md in [
        "See ![a map](map.png) here.",
        "See ![a map](map.png \"Map\") here.",
        "[![Logo](l.png)](https://e.org) here.",
    ] {
        assert_eq!(to_markdown(&parse_markdown(md)), md);
    }
}

#[test]
fn underscore_around_edge_emphasis_inside_a_word_reads_back() {
    // `_` cannot close inside `wi_h`: the nested emphasis takes the `_`.
    for inlines in [
        vec![t("g*"), Emphasis(vec![Emphasis(vec![t("b * m")]), t(" wi")]), t("h")],
        vec![t("a"), Emphasis(vec![t("x "), Strong(vec![t("b")])]), t("c")],
    ] {
        check_reads_back(inlines);
    }
    let md = "theig***b * `c` saym*]m wi*h tn.";
    let once = to_markdown(&parse_markdown(md));
    assert_eq!(to_markdown(&parse_markdown(&once)), once);
}

fn check_verbatim_as_written(markdown: &str) -> bool {
    let written = verbatim_as_written(markdown);
    if let Some(verbatim) = written {
        assert_eq!(verbatim, verbatim_as_parsed(markdown), "is_verbatim({markdown:?})");
    }
    written.is_some()
}

#[test]
fn verbatim_without_parsing_agrees_with_the_parse() {
    for text in [
        "2024",
        "3.5%",
        "—",
        "Hello, world.",
        "(1) a",
        "# 1",
        "1. a",
        "- b",
        "> c",
        "=== d",
        "é",
        "١٢٣",
        "ǅ!",
        "a: b; c | d",
        "{{< note >}}",
        "{{% 1 %}}",
        "{{ note }}",
        "{% if x %}",
        "[^a]",
        "~~a~~",
        "&auml;",
        "&#65;",
        "[^1]",
        "![a](1.png)",
        "<https://e.org>",
        "a\nb",
        "    code",
        "\u{a0}x",
        "`x`",
        "Hello `x`",
        "See [a](b).",
        "a<b>c</b>",
        "a&amp;",
        "x{{< y >}}",
        "é\n# 1",
        "a![b](c.png)",
        "Note [^1]",
        "1 `x`",
    ] {
        check_verbatim_as_written(text);
    }
    // Short strings over an alphabet of markup characters, letters, digits
    // and white space, from a fixed seed.
    let alphabet: Vec<char> =
        "aZé1 .,;:!?()#->=+-|%^'\"\\`*_[]<>&{}~\n\r\t\u{a0}/.".chars().collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut written, mut with_letters) = (0, 0);
    for _ in 0..30_000 {
        let len = next(9);
        let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
        if check_verbatim_as_written(&text) {
            written += 1;
            with_letters += usize::from(text.chars().any(char::is_alphabetic));
        }
    }
    // The loop checks the shortcut, not only the parse.
    assert!(written > 3_000 && with_letters > 1_000, "{written} {with_letters}");
}

/// What a translation of a shortcode must keep: everything but the words
/// of its `text=` parameters.
#[test]
fn a_shortcodes_text_value_is_no_part_of_its_key() {
    let tooltip = "{{< glossary_tooltip text=\"cluster\" term_id=\"cluster\" >}}";
    assert_eq!(raw_key(tooltip), "{{< glossary_tooltip text=\"\" term_id=\"cluster\" >}}");
    assert_eq!(
        raw_key("{{< glossary_tooltip text=\"clúster\" term_id=\"cluster\" >}}"),
        raw_key(tooltip)
    );
    assert_ne!(
        raw_key("{{< glossary_tooltip text=\"clúster\" term_id=\"clúster\" >}}"),
        raw_key(tooltip)
    );
    assert_eq!(raw_key("{{ tip(text=\"a\", id=\"b\") }}"), "{{ tip(text=\"\", id=\"b\") }}");
    for kept in ["{{< x alt_text=\"a\" >}}", "<abbr text=\"a\">", "{{< x text=\"open >}}"] {
        assert_eq!(raw_key(kept), kept);
    }
}
