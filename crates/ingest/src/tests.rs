use std::path::Path;

use diglot_core::{BlockKind, Document, Inline, inline::to_markdown};

use crate::{Error, Format, detect_language, read};

const ARTICLE: &str = include_str!("../../../articles/andry-hernandez-romero.txt");

/// One line per block: `kind: inline Markdown`.
fn show(doc: &Document) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        let kind = match block.kind {
            BlockKind::Title => "title".to_string(),
            BlockKind::Heading { level } => format!("h{level}"),
            BlockKind::Paragraph => "p".to_string(),
            BlockKind::Quote => "quote".to_string(),
            BlockKind::ListItem { ordered, depth, .. } => {
                format!("{}{depth}", if ordered { "ol" } else { "ul" })
            }
            BlockKind::TableCell { table, row, col, header } => {
                format!("cell{table}.{row}.{col}{}", if header { "h" } else { "" })
            }
            BlockKind::Metadata => "meta".to_string(),
        };
        out.push_str(&format!("{kind}: {}\n", to_markdown(&block.inlines)));
    }
    out
}

/// Reads `source` and compares its blocks, one `kind: text` line each
/// (leading white space of `expected`'s lines ignored).
fn check(format: Format, source: &str, expected: &str) {
    let doc = read(source, format).unwrap_or_else(|e| panic!("{e}\nsource: {source:?}"));
    let expected: String = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(show(&doc), expected, "source: {source:?}");
}

fn inlines(format: Format, source: &str, block: usize) -> Vec<Inline> {
    read(source, format).unwrap().blocks[block].inlines.clone()
}

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn raw(s: &str) -> Inline {
    Inline::Raw(s.to_string())
}

fn lang_of(format: Format, source: &str) -> Option<String> {
    read(source, format).unwrap().lang.map(|l| l.to_string())
}

// --- Format -----------------------------------------------------------------

#[test]
fn format_from_path_and_name() {
    for (path, want) in [
        ("a.txt", Some(Format::Text)),
        ("dir/a.TEXT", Some(Format::Text)),
        ("a.md", Some(Format::Markdown)),
        ("a.markdown", Some(Format::Markdown)),
        ("a.html", Some(Format::Html)),
        ("a.htm", Some(Format::Html)),
        ("a.pdf", None),
        ("README", None),
    ] {
        assert_eq!(Format::from_path(Path::new(path)), want, "{path}");
    }
    for (name, want) in [
        ("text", Some(Format::Text)),
        ("txt", Some(Format::Text)),
        ("Markdown", Some(Format::Markdown)),
        ("md", Some(Format::Markdown)),
        ("html", Some(Format::Html)),
        ("docx", None),
    ] {
        assert_eq!(Format::parse(name), want, "{name}");
    }
    for f in [Format::Text, Format::Markdown, Format::Html] {
        assert_eq!(Format::parse(&f.to_string()), Some(f));
    }
}

// --- Plain text ---------------------------------------------------------------

#[test]
fn article_text_finds_title_headings_and_paragraphs() {
    let doc = read(ARTICLE, Format::Text).unwrap();
    assert_eq!(doc.lang, None, "plain text never states its language");
    let plain = |b: &diglot_core::Block| diglot_core::inline::plain_text(&b.inlines);
    assert_eq!(doc.blocks[0].kind, BlockKind::Title);
    assert_eq!(
        plain(&doc.blocks[0]),
        "Andry Hernández Romero: A life rebuilt after a year marked by detention and resilience"
    );
    let headings: Vec<String> = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Heading { level: 2 })
        .map(plain)
        .collect();
    assert_eq!(
        headings,
        [
            "From California to Texas to CECOT",
            "A daily life that masked fear",
            "A public outcry and a coalition of support",
            "Toward home and a future",
            "A life enriched by gratitude and renewal",
            "A hopeful path forward",
            "Summary",
        ]
    );
    let paragraphs: Vec<String> =
        doc.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).map(plain).collect();
    // The file has 27 lines: the title, 7 headings and 19 paragraphs (the
    // brief said 17, but also "every other line as a paragraph").
    assert_eq!(paragraphs.len(), 19);
    assert!(paragraphs[18].starts_with("Editor’s note for readers:"), "{}", paragraphs[18]);
    assert_eq!(doc.blocks.len(), 1 + 7 + 19, "nothing else");
    assert!(doc.blocks.iter().all(|b| matches!(b.inlines[..], [Inline::Text(_)])));
    let first = &doc.blocks[1];
    assert!(plain(first).starts_with("Andry Hernández Romero lights up"));
    assert!(plain(first).contains("Táchira – right on the border"), "dashes kept");
}

#[test]
fn text_lines_are_blocks() {
    check(
        Format::Text,
        "  My Title  \nFirst paragraph of text.\nSection\nBody of the section.\nLast line",
        "title: My Title
         p: First paragraph of text.
         h2: Section
         p: Body of the section.
         p: Last line",
    );
}

#[test]
fn text_heading_needs_prose_after_it() {
    // Two short lines in a row: the first is not followed by prose.
    check(
        Format::Text,
        "Title\nNot a heading\nA heading\nProse follows here.",
        "title: Title
         p: Not a heading
         h2: A heading
         p: Prose follows here.",
    );
}

#[test]
fn text_heading_excludes_sentences_and_long_lines() {
    for line in [
        "It ended.",
        "Really?",
        "Note:",
        "Wait;",
        "Pause…",
        "He said “no.”",
        "She said 'yes!'",
        "one two three four five six seven eight nine ten eleven twelve thirteen",
    ] {
        let src = format!("Title\n{line}\nA paragraph follows.");
        let doc = read(&src, Format::Text).unwrap();
        assert_eq!(doc.blocks[1].kind, BlockKind::Paragraph, "{line:?}");
    }
    let src = "Title\nThe “Libertad” campaign\nA paragraph follows.";
    assert_eq!(read(src, Format::Text).unwrap().blocks[1].kind, BlockKind::Heading { level: 2 });
}

#[test]
fn text_wrapped_paragraphs_join() {
    check(
        Format::Text,
        "A Title\n\nThis paragraph is wrapped\nover two lines.\n\nA Heading\n\nAnd another\nwrapped one.\n",
        "title: A Title
         p: This paragraph is wrapped over two lines.
         h2: A Heading
         p: And another wrapped one.",
    );
}

#[test]
fn text_long_lines_are_not_joined_even_with_blank_lines() {
    let long = "This is a long paragraph that goes on and on, far longer than anyone would ever hard-wrap a line of plain text.";
    let src = format!("Title\n\nSection\n{long}\n{long}\n");
    check(Format::Text, &src, &format!("title: Title\nh2: Section\np: {long}\np: {long}"));
}

#[test]
fn text_has_no_markup() {
    check(
        Format::Text,
        "# Not *markdown*\n<b>no html</b> & [no](links)",
        r"title: # Not \*markdown\*
          p: \<b>no html\</b> & \[no\](links)",
    );
    assert_eq!(inlines(Format::Text, "t\n*x*", 1), [text("*x*")]);
}

#[test]
fn text_separator_lines_are_dropped() {
    check(Format::Text, "Title\n* * *\nBody.\n----", "title: Title\np: Body.");
}

// --- Markdown -----------------------------------------------------------------

#[test]
fn markdown_blocks() {
    check(
        Format::Markdown,
        "# The Title\n\nIntro *text*.\n\n## Part one\n\nBody.\n\n### Deeper\n\n> Quoted\n> words.\n\n# Late H1\n",
        "title: The Title
         p: Intro *text*.
         h2: Part one
         p: Body.
         h3: Deeper
         quote: Quoted words.
         h1: Late H1",
    );
}

#[test]
fn markdown_h1_after_text_is_a_heading() {
    check(Format::Markdown, "Lead.\n\n# Heading\n", "p: Lead.\nh1: Heading");
}

#[test]
fn markdown_inline_structure_is_kept() {
    assert_eq!(
        inlines(Format::Markdown, "a *b* [c](http://x)", 0),
        [
            text("a "),
            Inline::Emphasis(vec![text("b")]),
            text(" "),
            Inline::Link {
                href: "http://x".into(),
                title: String::new(),
                children: vec![text("c")]
            },
        ]
    );
    assert_eq!(
        inlines(Format::Markdown, "**bold** `co*de` [l](/u \"T\")  \nnext\nline", 0),
        [
            Inline::Strong(vec![text("bold")]),
            text(" "),
            Inline::Code("co*de".into()),
            text(" "),
            Inline::Link { href: "/u".into(), title: "T".into(), children: vec![text("l")] },
            Inline::Break,
            text("next line"),
        ]
    );
}

#[test]
fn markdown_images_html_and_code() {
    check(
        Format::Markdown,
        "See ![a cat](cat.png) here.\n\nSome <span class=\"x\">inline</span> html<br>broken.\n\n\
         ```\nlet code = 1;\n```\n\n    indented code\n\n<div>\nblock html\n</div>\n\n---\n\nEnd.",
        "p: See ![a cat](cat.png) here.
         p: Some <span class=\"x\">inline</span> html\\
         broken.
         p: End.",
    );
    // An image alone with words in its alternative text or title is a
    // block, so they are translated; an image without words, or a shortcode
    // alone, leaves nothing to translate: it stays in the source, untouched.
    let doc = read(
        "![a cat](cat.png)\n\n![](spacer.png) ![2024](y.png)\n\n{{< figure src=\"x\" >}}\n\n\
         ![](logo.png \"Our logo\")\n\n# ![Banner](b.png)\n\nText.",
        Format::Markdown,
    )
    .unwrap();
    assert_eq!(show(&doc), "p: ![a cat](cat.png)\np: ![](logo.png \"Our logo\")\np: Text.\n");
    assert_eq!(
        doc.blocks[0].inlines,
        [Inline::Image { src: "cat.png".into(), title: String::new(), alt: "a cat".into() }]
    );
    // Shortcodes around a paragraph's text stay out of its message.
    let doc = read("{{% note %}}\nInside the note.\n{{% /note %}}\n", Format::Markdown).unwrap();
    assert_eq!(show(&doc), "p: Inside the note.\n");
    let doc =
        read("Para.\n\n```\ncode\n```\n\n<div>\nhtml\n</div>\n\n***\n\nEnd.", Format::Markdown)
            .unwrap();
    assert_eq!(show(&doc), "p: Para.\np: End.\n");
}

#[test]
fn markdown_lists() {
    check(
        Format::Markdown,
        "- one\n- two\n  1. nested *a*\n  2. nested b\n     - deeper\n- three\n",
        "ul0: one
         ul0: two
         ol1: nested *a*
         ol1: nested b
         ul2: deeper
         ul0: three",
    );
}

#[test]
fn markdown_loose_list_item_gives_a_block_per_paragraph() {
    check(
        Format::Markdown,
        "1. First para.\n\n   Second para.\n\n2. Other item.\n",
        "ol0: First para.
         ol0: Second para.
         ol0: Other item.",
    );
}

#[test]
fn markdown_quotes_hold_lists_and_lists_hold_quotes() {
    check(
        Format::Markdown,
        "> Said:\n>\n> - in quote\n\n- item\n\n  > quoted in item\n",
        "quote: Said:
         ul0: in quote
         ul0: item
         quote: quoted in item",
    );
}

#[test]
fn markdown_tables() {
    check(
        Format::Markdown,
        "| Name | *Age* |\n|---|---|\n| Ann | 30 |\n| Bob |  |\n\nBetween.\n\n| X |\n|---|\n| y |\n",
        "cell0.0.0h: Name
         cell0.0.1h: *Age*
         cell0.1.0: Ann
         cell0.1.1: 30
         cell0.2.0: Bob
         p: Between.
         cell1.0.0h: X
         cell1.1.0: y",
    );
}

#[test]
fn markdown_front_matter() {
    let src =
        "---\ntitle: \"From: front matter\"\nlang: es-ES\ntags:\n  lang: fr\n---\n\nCuerpo.\n";
    check(Format::Markdown, src, "title: From: front matter\np: Cuerpo.");
    assert_eq!(lang_of(Format::Markdown, src).as_deref(), Some("es-ES"));
    // A leading H1 wins over the front matter's title, which is still
    // translated, as front matter.
    check(
        Format::Markdown,
        "---\ntitle: 'Meta'\n---\n# Shown\n\nBody.",
        "title: Shown\nmeta: Meta\np: Body.",
    );
    // The same title in both places is one message.
    check(Format::Markdown, "---\ntitle: Shown\n---\n# Shown\n\nBody.", "title: Shown\np: Body.");
    // Description and summary are translated; other keys are not.
    check(
        Format::Markdown,
        "---\nlayout: post\ndescription: \"A day out.\"\nsummary: Short.\ntags: [a]\n---\n# T\n\nBody.",
        "title: T\nmeta: A day out.\nmeta: Short.\np: Body.",
    );
    check(Format::Markdown, "+++\ntitle = \"Toml\"\n+++\nBody.", "title: Toml\np: Body.");
    // No front matter, or a bad tag: no language.
    assert_eq!(lang_of(Format::Markdown, "# T\n\nBody."), None);
    assert_eq!(lang_of(Format::Markdown, "---\nlang: '!!'\n---\nBody."), None);
}

#[test]
fn markdown_front_matter_only_at_the_start() {
    // A rule in the middle of an article is a rule: the text after it stays
    // text and retitles nothing.
    let src = "# Real\n\nIntro.\n\n---\ntitle: Hijacked\n---\n\nMore.\n";
    check(Format::Markdown, src, "title: Real\np: Intro.\nh2: title: Hijacked\np: More.");
    let src = "Intro.\n\n---\ntitle: Hijacked\n---\n";
    check(Format::Markdown, src, "p: Intro.\nh2: title: Hijacked");
}

// --- HTML -----------------------------------------------------------------------

#[test]
fn html_article_blocks() {
    check(
        Format::Html,
        r#"<!doctype html><html lang="en-US"><head><title>Page | Site</title>
        <style>p { color: red }</style><script>var x = "<p>no</p>";</script></head>
        <body><nav><a href="/">Home</a></nav>
        <article>
          <header><h1>The  <em>Headline</em></h1><p class="byline">By someone</p></header>
          <p>First
             paragraph   with <a href="http://x" title="T">a link</a>.</p>
          <script>alert("no")</script>
          <h2>Section</h2>
          <blockquote><p>Quoted.</p>Bare quote text.</blockquote>
          <div>Text directly in a div.</div>
          <aside>Related stories</aside>
          <figure><img src="a.jpg" alt="alt text"><figcaption>A caption.</figcaption></figure>
          <h3>Sub</h3><h1>Another h1</h1>
        </article>
        <footer>Copyright</footer></body></html>"#,
        "title: The *Headline*
         meta: Page | Site
         p: By someone
         p: First paragraph with [a link](http://x \"T\").
         h2: Section
         quote: Quoted.
         quote: Bare quote text.
         p: Text directly in a div.
         p: ![alt text](a.jpg)
         p: A caption.
         h3: Sub
         h1: Another h1",
    );
}

#[test]
fn html_title_element_showing_the_headline_is_no_message_of_its_own() {
    let page = |title: &str| {
        format!(
            "<html><head><title>{title}</title></head><body><h1>The Headline</h1><p>Text.</p></body></html>"
        )
    };
    for title in [
        "The Headline",
        " the  headline ",
        "The Headline | Site",
        "The Headline &#8211; The Site",
        "Site &raquo; The headline",
        "Site: The Headline",
    ] {
        check(Format::Html, &page(title), "title: The Headline\np: Text.");
    }
    for (title, meta) in [
        ("The Headline and more", "The Headline and more"),
        ("Site | Other words", "Site | Other words"),
        ("The Headlines | Site", "The Headlines | Site"),
    ] {
        check(Format::Html, &page(title), &format!("title: The Headline\nmeta: {meta}\np: Text."));
    }
}

#[test]
fn html_header_and_footer_of_an_article_are_read_those_of_the_page_are_not() {
    check(
        Format::Html,
        "<body><header><p>Site name.</p></header><main><section><header><p>Standfirst.</p></header>\
         <p>Body.</p><footer><p>Credit.</p></footer></section></main><footer>Copyright.</footer></body>",
        "p: Standfirst.\np: Body.\np: Credit.",
    );
}

#[test]
fn html_content_root_fallbacks_and_title() {
    // No article: main; and the <title> is the title when the root has no h1.
    check(
        Format::Html,
        "<title> Page\n title </title><body><p>Outside.</p><main><p>Inside.</p></main></body>",
        "title: Page title\np: Inside.",
    );
    // Neither: body; an article inside an aside is not the content.
    check(
        Format::Html,
        "<body><aside><article><p>Related.</p></article></aside><h1>T</h1><p>Body.</p></body>",
        "title: T\np: Body.",
    );
    // A fragment with no title at all.
    check(Format::Html, "<p>Just <b>this</b>.</p>", "p: Just **this**.");
}

#[test]
fn html_skips_non_article_elements() {
    check(
        Format::Html,
        "<article><p>Keep.</p><nav>n</nav><noscript>ns</noscript><form><p>f</p></form>\
         <button>b</button><svg><text>s</text></svg><iframe>i</iframe><template><p>t</p></template>\
         <pre>code</pre><p hidden>hidden</p><style>.x{}</style><p>Keep <script>x()</script>too.</p></article>",
        "p: Keep.\np: Keep too.",
    );
}

#[test]
fn html_inline_structure_is_kept() {
    assert_eq!(
        inlines(
            Format::Html,
            "<p>a <i>b</i> <strong>c</strong> <code> x  y </code><br>\n next <span>s</span> <a name=n>plain</a></p>",
            0
        ),
        [
            text("a "),
            Inline::Emphasis(vec![text("b")]),
            text(" "),
            Inline::Strong(vec![text("c")]),
            text(" "),
            Inline::Code("x y".into()),
            Inline::Break,
            text("next s plain"),
        ]
    );
    // Spaces fold across markup boundaries.
    assert_eq!(
        inlines(Format::Html, "<p>a <em> b </em> c</p>", 0),
        [text("a "), Inline::Emphasis(vec![text("b ")]), text("c")]
    );
    // Links without text (anchor icons) and empty markup disappear.
    assert_eq!(inlines(Format::Html, "<p><a href='#x'></a>Text<b> </b></p>", 0), [text("Text")]);
}

#[test]
fn html_lists_and_tables() {
    check(
        Format::Html,
        "<ul><li>one</li><li>two<ol><li><p>nested</p></li></ol></li></ul>\
         <table><thead><tr><th>H1</th><th>H2</th></tr></thead>\
         <tbody><tr><td>a</td><td><em>b</em></td></tr><tr><th>r</th><td></td></tr></tbody></table>\
         <table><tr><td>z</td></tr></table>",
        "ul0: one
         ul0: two
         ol1: nested
         cell0.0.0h: H1
         cell0.0.1h: H2
         cell0.1.0: a
         cell0.1.1: *b*
         cell0.2.0h: r
         cell1.0.0: z",
    );
}

#[test]
fn html_block_inside_inline_element() {
    check(
        Format::Html,
        "<div>Lead <a href='/x'><p>Card text</p></a> tail</div>",
        "p: Lead\np: Card text\np: tail",
    );
}

#[test]
fn html_lang() {
    assert_eq!(lang_of(Format::Html, "<html lang=es><p>Hola.</p></html>").as_deref(), Some("es"));
    assert_eq!(
        lang_of(Format::Html, "<html lang=en><article lang='es-MX'><p>Hola.</p></article>")
            .as_deref(),
        Some("es-MX")
    );
    assert_eq!(lang_of(Format::Html, "<html lang='??'><p>x</p></html>"), None);
    assert_eq!(lang_of(Format::Html, "<p>x</p>"), None);
}

#[test]
fn html_entities_and_nbsp() {
    assert_eq!(
        inlines(Format::Html, "<p>Tom &amp; Jerry&nbsp;&mdash; &lt;b&gt;</p>", 0),
        [text("Tom & Jerry\u{a0}— <b>")]
    );
}

// --- Errors and robustness ---------------------------------------------------------

#[test]
fn empty_inputs_are_errors() {
    for (format, src) in [
        (Format::Text, ""),
        (Format::Text, " \n\n\t\n"),
        (Format::Markdown, ""),
        (Format::Markdown, "```\ncode only\n```\n\n<div>html</div>\n\n---"),
        (Format::Html, ""),
        (Format::Html, "<html><head><script>x</script></head><body><nav>menu</nav></body></html>"),
        (Format::Text, "\u{feff}"),
    ] {
        match read(src, format) {
            Err(Error::Empty { format: f }) => assert_eq!(f, format),
            other => panic!("{src:?}: expected Empty, got {other:?}"),
        }
    }
    let msg = read("", Format::Html).unwrap_err().to_string();
    assert!(msg.starts_with("no article text found in the html input"), "{msg}");
}

#[test]
fn garbage_never_panics() {
    let binaryish: String = (0u8..=255).map(char::from).cycle().take(5000).collect();
    // Deeper than the reader recurses (html5ever's own parsing is quadratic in
    // nesting, so not much deeper).
    let deep_html = "<div><b><i>".repeat(400) + "deep text";
    let deep_md = "> ".repeat(500) + &"*a _b ".repeat(500) + "\n" + &"- x\n  ".repeat(300);
    let inputs = [
        binaryish.as_str(),
        "\0\u{1}\u{fffd}\u{feff}\u{202e}",
        "<<<>>><p><b><i></p></b>unclosed <a href=",
        "<table><td><tr><th><li></ul></ol></table><blockquote><h1>",
        "</article><article><h1></h1><h2></h2>",
        "# \n## \n| a |\n|---|---|\n| b |\n[x](\n***bold *mixed**\n> > > \n1. \n- - -",
        "---\ntitle\nlang: : :\n---",
        "---\n",
        deep_html.as_str(),
        deep_md.as_str(),
    ];
    for src in inputs {
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let _ = read(src, format);
        }
        let _ = detect_language(src);
    }
    let doc = read(&deep_html, Format::Html).unwrap();
    assert!(doc.plain_text().contains("deep text"), "deep content still read");
}

// --- Language detection --------------------------------------------------------------

#[test]
fn detects_english_and_spanish() {
    let lang = |t: &str| detect_language(t).map(|l| l.to_string());
    assert_eq!(lang(ARTICLE).as_deref(), Some("en"));
    assert_eq!(
        lang(
            "Andry Hernández Romero se ilumina cuando se menciona la comida italiana, un placer \
             sencillo que ahora saborea después de un año que lo puso a prueba de maneras que \
             pocas personas soportan. Quiere que el mundo entienda que ser venezolano no es un delito."
        )
        .as_deref(),
        Some("es")
    );
    assert_eq!(lang(""), None);
    assert_eq!(lang("Hola"), None, "too short");
    assert_eq!(lang("Привет, как дела? Это совсем не английский и не испанский текст."), None);
    assert_eq!(
        lang(
            "Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les \
             familles touchées par la hausse des prix de l'énergie, selon le ministre."
        ),
        None,
        "French is neither"
    );
}

#[test]
fn markdown_setext_autolinks_and_inline_breaks() {
    check(
        Format::Markdown,
        "Title\n=====\n\nSub\n---\n\nMail <https://x.org> now<br/>then <BR> end.\n",
        r"title: Title
          h2: Sub
          p: Mail <https://x.org> now\
          then\
          end.",
    );
    assert_eq!(
        inlines(Format::Markdown, "a<br/>b <kbd>c</kbd>", 0),
        [text("a"), Inline::Break, text("b "), raw("<kbd>"), text("c"), raw("</kbd>")],
        "inline tags kept as written, around their text"
    );
    assert_eq!(
        inlines(Format::Markdown, "See {{< ref \"x.md\" >}} and note[^1].\n\n[^1]: Note.", 0),
        [text("See "), raw("{{< ref \"x.md\" >}}"), text(" and note"), raw("[^1]"), text(".")],
        "shortcodes and footnote references are raw pieces"
    );
    // Reference links keep their label; the URL stays in the definition.
    assert_eq!(
        inlines(
            Format::Markdown,
            "Read [the *manual*][Man] or [this].\n\n[man]: /m\n[this]: /t",
            0
        ),
        [
            text("Read "),
            Inline::RefLink {
                label: "Man".into(),
                children: vec![text("the "), Inline::Emphasis(vec![text("manual")])]
            },
            text(" or "),
            Inline::RefLink { label: "this".into(), children: vec![text("this")] },
            text("."),
        ]
    );
    // A shortcode without spaces holds what pulldown-cmark reads as an
    // inline HTML tag (`<note>`); it is still one raw piece.
    assert_eq!(
        inlines(Format::Markdown, "Read {{<note>}}this{{</note>}} and {{<x a=\"b\">}}.", 0),
        [
            text("Read "),
            raw("{{<note>}}"),
            text("this"),
            raw("{{</note>}}"),
            text(" and "),
            raw("{{<x a=\"b\">}}"),
            text(".")
        ],
    );
    check(
        Format::Markdown,
        "Before.\n\n{{<note>}}\nIn cases where it is stuck, wait.\n{{</note>}}\n",
        r"p: Before.
          p: In cases where it is stuck, wait.",
    );
    assert_eq!(
        inlines(Format::Markdown, "Escaped \\{{< no >}} stays text.", 0),
        [text("Escaped {{< no >}} stays text.")],
    );
}

#[test]
fn markdown_warns_of_what_it_keeps_untranslated() {
    let warnings = |src: &str| -> Vec<String> {
        let (_, skeleton) = crate::read_with_skeleton(src, Format::Markdown).unwrap();
        skeleton
            .unwrap()
            .warnings
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect()
    };
    assert_eq!(
        warnings("---\ntitle: x\nBody text.\n"),
        ["1:1 front matter is never closed, so the file is read as Markdown from its first line"]
    );
    assert_eq!(
        warnings("---\ntitle: T\ndescription: >-\n  Folded\n  text.\n---\nBody.\n"),
        [
            "3:1 this front-matter value is published as written: only single-line strings are translated"
        ]
    );
    assert_eq!(
        warnings("Text.\n\n<div>\nInside.\n</div>\n\n<!-- note -->\n\n<br>\n"),
        ["3:1 an HTML block is published as written: its text is not translated"]
    );
}

/// The deepest element of the tree html5ever builds for what the HTML
/// reader hands it.
fn parsed_depth(source: &str) -> usize {
    let (capped, _) = crate::html_depth::cap(source);
    let html = scraper::Html::parse_document(&capped);
    html.tree.root().descendants().map(|n| n.ancestors().count() + 1).max().unwrap_or(0)
}

/// Nesting deeper than 512 elements is not built, so that reading a page
/// stays linear (html5ever's tree builder is quadratic in depth); the text
/// is all read, and the page gets a warning where the cap applied.
#[test]
fn html_nesting_is_capped() {
    let nested = |n: usize| {
        format!("<html><body>{}Deep text.{}</body></html>", "<div>".repeat(n), "</div>".repeat(n))
    };
    // html, body, 512 divs, the text node, and the document itself.
    let cap = 2 + crate::html_depth::MAX_OPEN + 2;
    assert_eq!(parsed_depth(&nested(2_000)), cap);
    assert_eq!(parsed_depth(&nested(100_000)), cap);
    let page = nested(100_000);
    let doc = read(&page, Format::Html).unwrap();
    assert_eq!(show(&doc), "p: Deep text.\n");
    let warnings = crate::warnings(&page, Format::Html);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!((warnings[0].line, warnings[0].col), (1, 12 + 5 * 512 + 1));
    // A page nested less deeply is read as it was.
    assert!(crate::warnings(&nested(500), Format::Html).is_empty());
    assert_eq!(parsed_depth(&nested(500)), 2 + 500 + 2);
}
