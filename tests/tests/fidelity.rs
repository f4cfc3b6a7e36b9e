//! Markdown fidelity: a Markdown article comes back as it was written.
//!
//! - Identity: the source locale's Markdown edition is the source, byte for
//!   byte below the front matter; the front matter keeps every line and
//!   gains diglot's keys.
//! - Structure: every target locale's Markdown edition parses to the same
//!   blocks as the source (the same pulldown-cmark events once text is set
//!   aside), with translations from the `pseudo` provider.
//!
//! Over the fixture corpus (`tests/fixtures/fidelity/`, through the `diglot`
//! binary) and over every example of the CommonMark and GFM specs
//! (`tests/fixtures/commonmark/`, through the library crates the binary
//! uses). The tests print what they measured.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use std::collections::BTreeMap;

use diglot_core::inline::{parse_markdown, to_markdown};
use diglot_core::{Edition, Inline, SegmentStatus};
use diglot_tests::{Project, repo_root};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

const ARTICLES: [&str; 4] = ["constructs", "hugo", "zola", "plain"];

/// The options diglot's Markdown reader uses.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The front matter (delimiters included) and the body of a Markdown file.
fn split_front_matter(md: &str) -> (&str, &str) {
    for delimiter in ["---", "+++"] {
        let opening = [format!("{delimiter}\n"), format!("{delimiter}\r\n")];
        let Some(opening) = opening.iter().find(|o| md.starts_with(o.as_str())) else {
            continue;
        };
        let mut pos = opening.len();
        for line in md[pos..].split_inclusive('\n') {
            pos += line.len();
            if line.trim_end() == delimiter || (delimiter == "---" && line.trim_end() == "...") {
                return md.split_at(pos);
            }
        }
    }
    ("", md)
}

/// How much of the source a published edition keeps.
#[derive(Debug, Default)]
struct LineShare {
    kept: usize,
    total: usize,
}

impl LineShare {
    fn add(&mut self, source: &str, edition: &str) {
        let mut published: BTreeMap<&str, usize> = BTreeMap::new();
        for line in edition.lines() {
            *published.entry(line).or_default() += 1;
        }
        for line in source.lines() {
            self.total += 1;
            if let Some(n) = published.get_mut(line).filter(|n| **n > 0) {
                *n -= 1;
                self.kept += 1;
            }
        }
    }

    fn percent(&self) -> f64 {
        if self.total == 0 { 100.0 } else { self.kept as f64 * 100.0 / self.total as f64 }
    }
}

/// A Markdown document's events with translatable text set aside: what
/// must not change under translation, delimiters of emphasis, strong
/// emphasis and hard breaks included. `blocks_only` keeps block-level
/// events (and the content of code and HTML blocks) and drops inline markup.
fn structure(md: &str, blocks_only: bool) -> Vec<String> {
    let (_, body) = split_front_matter(md);
    let mut out = Vec::new();
    let mut verbatim = 0usize;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        // How emphasis and hard breaks are written (`*` or `_`, two spaces
        // or `\`) is part of the structure a translation keeps.
        let delimiter = body[range].chars().next().unwrap_or(' ');
        let item = match event {
            Event::Start(tag) => {
                if matches!(tag, Tag::CodeBlock(_) | Tag::HtmlBlock) {
                    verbatim += 1;
                }
                match tag {
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Superscript
                    | Tag::Subscript
                        if blocks_only =>
                    {
                        continue;
                    }
                    Tag::Link { link_type, dest_url, id, .. } => {
                        if blocks_only {
                            continue;
                        }
                        // `[a][b]`, `[a][]` and `[a]` are one construct: a
                        // translated text keeps the label as `[text][label]`.
                        let link_type = match link_type {
                            LinkType::Collapsed | LinkType::Shortcut => LinkType::Reference,
                            other => other,
                        };
                        format!("link {link_type:?} {dest_url} {}", id.to_lowercase())
                    }
                    Tag::Image { link_type, dest_url, id, .. } => {
                        if blocks_only {
                            continue;
                        }
                        // As for links: `![a][b]`, `![a][]` and `![a]` are
                        // one construct, written `![alt][label]`.
                        let link_type = match link_type {
                            LinkType::Collapsed | LinkType::Shortcut => LinkType::Reference,
                            other => other,
                        };
                        format!("image {link_type:?} {dest_url} {}", id.to_lowercase())
                    }
                    Tag::Emphasis | Tag::Strong => format!("{tag:?} {delimiter}"),
                    tag => format!("{tag:?}"),
                }
            }
            Event::End(tag) => {
                if matches!(tag, TagEnd::CodeBlock | TagEnd::HtmlBlock) {
                    verbatim = verbatim.saturating_sub(1);
                }
                let inline = matches!(
                    tag,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                        | TagEnd::Link
                        | TagEnd::Image
                );
                if inline && blocks_only {
                    continue;
                }
                format!("{tag:?}")
            }
            Event::Text(t) if verbatim > 0 => format!("text {t:?}"),
            Event::Html(t) => format!("html {t:?}"),
            Event::Text(_) | Event::SoftBreak => continue,
            Event::Rule => "rule".into(),
            Event::TaskListMarker(done) => format!("task {done}"),
            _ if blocks_only => continue,
            Event::Code(c) => format!("code {c:?}"),
            Event::InlineHtml(h) => format!("inline html {h:?}"),
            Event::FootnoteReference(f) => format!("footnote {f}"),
            Event::HardBreak => format!("hard break {delimiter:?}"),
            Event::InlineMath(m) | Event::DisplayMath(m) => format!("math {m:?}"),
        };
        out.push(item);
    }
    out
}

/// How many of `want`'s events `got` has too, counting repeats.
fn preserved(want: &[String], got: &[String]) -> usize {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for g in got {
        *left.entry(g).or_default() += 1;
    }
    want.iter()
        .filter(|w| {
            left.get_mut(w.as_str()).is_some_and(|n| n.checked_sub(1).map(|m| *n = m).is_some())
        })
        .count()
}

fn pseudo_pipeline(p: &Project, name: &str) {
    let path = format!("pipelines/{name}.toml");
    let toml = p.read(&path);
    p.write(&path, &format!("{toml}\n[[translate.providers]]\nkind = \"pseudo\"\n"));
}

#[test]
fn fixture_editions_reproduce_the_source_and_keep_its_structure() {
    let p = Project::fixture("fidelity");
    p.run(&["build"]).expect_code(0);
    let mut share = LineShare::default();
    for name in ARTICLES {
        let source = p.read(&format!("articles/{name}.md"));
        let edition = p.read(&format!("dist/{name}/en-US/index.md"));
        share.add(&source, &edition);
        let (source_front, source_body) = split_front_matter(&source);
        let (front, body) = split_front_matter(&edition);
        assert_eq!(body, source_body, "{name}: the body is the source, byte for byte");
        // Every line of the source's front matter, in order, nothing
        // re-quoted; diglot's keys added.
        let mut lines = front.lines();
        for line in source_front.lines() {
            assert!(
                lines.any(|l| l == line),
                "{name}: front matter line {line:?} kept in order:\n{front}"
            );
        }
        assert!(front.contains("translationKey"), "{name}: {front}");
    }
    println!(
        "fidelity: {:.1}% of {} source lines unchanged in the source-locale Markdown editions",
        share.percent(),
        share.total
    );

    // Messages carry what is translated, and only that.
    let messages = p.read("locales/en-US/constructs.ftl");
    // An image alone in a paragraph is a message when it has words.
    for text in [
        "[manual][man]",
        "<kbd>Ctrl</kbd>",
        "[^1]",
        "A guide to what an article",
        "= ![A lighthouse at dusk](images/lighthouse.jpg \"Lighthouse\")",
        // A reference image's alternative text, with its label, in each
        // form; the message always names the label.
        "![the harbour at dawn][harbour]",
        "![Lighthouse][Lighthouse]",
        "= ![A map of the coast][map]",
        // Text that would start a block elsewhere is no escape in a message.
        "= 1. Numbered heading",
        "= 2. A paragraph that starts like a list item.",
        "= 3. An item that starts like a nested list.",
    ] {
        assert!(messages.contains(text), "{text} in a message:\n{messages}");
    }
    for text in [
        "example.org/manual",
        "println",
        "divider.png",
        "layout",
        "images/harbour.jpg",
        "images/map.png",
        "\\.",
    ] {
        assert!(!messages.contains(text), "{text} is no message:\n{messages}");
    }
    let hugo = p.read("locales/en-US/hugo.ftl");
    assert!(hugo.contains("= A note written inside a shortcode pair."), "{hugo}");
    assert!(!hugo.contains("figure"), "{hugo}");

    for name in ARTICLES {
        pseudo_pipeline(&p, name);
    }
    p.run(&["translate"]).expect_code(0);
    p.run(&["build"]).expect_code(0);
    let (mut same_blocks, mut same_all, mut constructs, mut kept) = (0, 0, 0, 0);
    for name in ARTICLES {
        let source = p.read(&format!("articles/{name}.md"));
        let edition = p.read(&format!("dist/{name}/es-ES/index.md"));
        assert_ne!(source, edition, "{name}: the es-ES edition is translated");
        assert_eq!(
            structure(&edition, true),
            structure(&source, true),
            "{name}: same blocks under translation:\n{edition}"
        );
        same_blocks += 1;
        let (want, got) = (structure(&source, false), structure(&edition, false));
        assert_eq!(got, want, "{name}: every inline construct kept under translation:\n{edition}");
        same_all += usize::from(want == got);
        constructs += want.len();
        kept += preserved(&want, &got);
        let (fm, _) = split_front_matter(&edition);
        assert!(!fm.contains("Hijacked"), "{name}: {fm}");
    }
    let constructs_es = p.read("dist/constructs/es-ES/index.md");
    assert!(constructs_es.contains("][man]") && constructs_es.contains("\n[man]: https://"));
    for kept in [
        "][harbour] ",
        "][Lighthouse]",
        "][map]\n",
        "\n[harbour]: images/harbour.jpg \"The harbour\"\n",
        "\n## 1. ",
        "\n2\\. ",
        "\n- 3\\. ",
        // A reference whose text has no letters to change stays a shortcut.
        " ([#1915]) ",
        "][timer].\n",
    ] {
        assert!(constructs_es.contains(kept), "{kept}:\n{constructs_es}");
    }
    for english in ["the harbour at dawn", "![Lighthouse]", "A map of the coast"] {
        assert!(!constructs_es.contains(english), "{english} translated:\n{constructs_es}");
    }
    println!(
        "fidelity: {same_blocks}/{} fixture articles keep their blocks under pseudo-translation, \
         {same_all} every inline construct too ({kept} of {constructs} structural events kept)",
        ARTICLES.len()
    );
}

/// The spec's examples: (section, Markdown).
fn spec_examples(file: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/commonmark").join(file))
        .expect("spec file");
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("## ") {
            section = h.to_string();
        }
        if !line.starts_with(&format!("{fence} example")) {
            continue;
        }
        let mut md = String::new();
        for l in lines.by_ref() {
            if l == "." {
                break;
            }
            md.push_str(l);
            md.push('\n');
        }
        for l in lines.by_ref() {
            if l == fence {
                break;
            }
        }
        out.push((section.clone(), md.replace('→', "\t")));
    }
    out
}

/// Accented look-alikes for the letters of every text run: a translation
/// that keeps the markup, as the `pseudo` provider's does.
fn pseudo(markdown: &str) -> String {
    fn walk(inlines: Vec<Inline>) -> Vec<Inline> {
        inlines
            .into_iter()
            .map(|inline| match inline {
                Inline::Text(t) => Inline::Text(
                    t.chars()
                        .map(|c| match c {
                            'a' => 'á',
                            'e' => 'é',
                            'o' => 'ø',
                            'u' => 'ü',
                            'i' => 'ï',
                            c => c,
                        })
                        .collect(),
                ),
                Inline::Emphasis(c) => Inline::Emphasis(walk(c)),
                Inline::Strong(c) => Inline::Strong(walk(c)),
                Inline::Link { href, title, children } => {
                    Inline::Link { href, title, children: walk(children) }
                }
                Inline::RefLink { label, children } => {
                    Inline::RefLink { label, children: walk(children) }
                }
                other => other,
            })
            .collect()
    }
    to_markdown(&walk(parse_markdown(markdown)))
}

/// The Markdown edition of `md` in its own language and in a
/// pseudo-translated one, or `None` when it has no text to translate.
fn editions_of(md: &str) -> Option<(String, String)> {
    editions_translated(md, pseudo)
}

/// Like [`editions_of`], with each segment's translation made by `translate`.
fn editions_translated(md: &str, translate: impl Fn(&str) -> String) -> Option<(String, String)> {
    let (doc, skeleton) =
        diglot_ingest::read_with_skeleton(md, diglot_ingest::Format::Markdown).ok()?;
    let skeleton = skeleton.expect("Markdown has a skeleton");
    let rules = diglot_segment::Rules::for_language("en");
    let mut segmented = diglot_segment::segment(&doc, &rules);
    segmented.lang = "en-US".parse().expect("locale");
    let edition = |translated: bool| {
        let locale = if translated { "es-ES" } else { "en-US" };
        Edition::of_segmented("example", &segmented, &locale.parse().expect("locale"), |s| {
            if translated {
                (translate(&s.text), SegmentStatus::Translated)
            } else {
                (s.text.clone(), SegmentStatus::Source)
            }
        })
    };
    Some((
        diglot_render::render_markdown(&edition(false), &skeleton),
        diglot_render::render_markdown(&edition(true), &skeleton),
    ))
}

#[test]
fn unchanged_references_keep_their_shortcut_and_collapsed_forms() {
    let source = "Fixed a panic ([#1915]) in [the parser][]. Added ![Lighthouse] and \
                  ![a map][]. See [full][full] and [Full][full].\n\n\
                  [#1915]: https://github.com/tokio-rs/tokio/pull/1915\n\
                  [the parser]: https://example.org/parser\n\
                  [lighthouse]: l.png\n[a map]: m.png\n[full]: f.html\n";
    // One sentence of the block is translated, the others are not.
    let (_, edition) = editions_translated(source, |s| {
        s.replace("Fixed a panic", "Se corrigió un pánico").replace("See", "Véase")
    })
    .expect("text");
    let (_, body) = split_front_matter(&edition);
    assert!(
        body.starts_with(
            "Se corrigió un pánico ([#1915]) in [the parser][]. Added ![Lighthouse] and \
             ![a map][]. Véase [full][full] and [Full][full].\n"
        ),
        "{body}"
    );
    // Translated text keeps the label, in the full form.
    let (_, edition) = editions_translated(source, |s| {
        s.replacen("the parser]", "el analizador]", 1).replacen("Lighthouse]", "Faro]", 1)
    })
    .expect("text");
    for part in ["([#1915])", "[el analizador][the parser]", "![Faro][Lighthouse]", "![a map][]"] {
        assert!(edition.contains(part), "{part}:\n{edition}");
    }
}

#[test]
fn commonmark_and_gfm_examples_reproduce_byte_for_byte_and_keep_their_blocks() {
    for file in ["commonmark-spec.txt", "gfm-spec.txt"] {
        let examples = spec_examples(file);
        assert!(examples.len() > 600, "{file}: {} examples", examples.len());
        let (mut identical, mut no_text, mut same_blocks, mut same_all) = (0, 0, 0, 0);
        let mut failures = Vec::new();
        for (n, (section, md)) in examples.iter().enumerate() {
            let Some((source_edition, translated)) = editions_of(md) else {
                no_text += 1;
                continue;
            };
            let (_, body) = split_front_matter(&source_edition);
            let (_, md_body) = split_front_matter(md);
            if body == md_body {
                identical += 1;
            } else {
                failures
                    .push(format!("identity, example {} ({section}): {md:?} -> {body:?}", n + 1));
            }
            if structure(&translated, true) == structure(md, true) {
                same_blocks += 1;
            } else {
                failures.push(format!(
                    "blocks, example {} ({section}): {md:?} -> {translated:?}",
                    n + 1
                ));
            }
            let same = structure(&translated, false) == structure(md, false);
            if !same && std::env::var_os("DIGLOT_SHOW_INLINE").is_some() {
                println!("inline, example {} ({section}): {md:?} -> {translated:?}", n + 1);
            }
            same_all += usize::from(same);
        }
        let with_text = examples.len() - no_text;
        println!(
            "{file}: {identical}/{with_text} examples with text reproduced byte for byte; \
             {same_blocks}/{with_text} keep their blocks under pseudo-translation, \
             {same_all}/{with_text} every inline construct too; \
             {no_text} examples have no text to translate"
        );
        assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
    }
}

#[test]
fn html_json_and_bilingual_editions_carry_every_block() {
    let p = Project::fixture("fidelity");
    let run = p.run(&["build", "constructs"]).expect_code(0);
    // What is kept but not translated is said, with where it is.
    for line in [72, 76, 83] {
        let at = format!(
            "articles/constructs.md:{line}:1: warning: an HTML block is published as written"
        );
        assert!(run.stderr.contains(&at), "{at}\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("constructs.md:87:"), "a comment has no text: {}", run.stderr);
    for locale in ["en-US", "es-ES"] {
        let html = p.read(&format!("dist/constructs/{locale}/index.html"));
        for part in [
            "<pre><code class=\"language-rust\">fn main() {",
            "<pre><code>indented code block",
            "<hr>",
            "<details>\n<summary>Click to expand</summary>",
            "<img src=\"images/lighthouse.jpg\" alt=\"A lighthouse at dusk\"",
            "<img src=\"images/harbour.jpg\" alt=\"the harbour at dawn\" title=\"The harbour\">",
            "<img src=\"images/lighthouse.jpg\" alt=\"Lighthouse\">",
            "<img src=\"images/map.png\" alt=\"A map of the coast\">",
            "<kbd>Ctrl</kbd>",
            "<a href=\"#fn-1\">1</a></sup>",
            "<a href=\"https://example.org/manual\" title=\"The manual\">manual</a>",
        ] {
            assert!(html.contains(part), "{locale}: {part}\n{html}");
        }
        assert!(!html.contains("<!--"), "comments are not published");
        let json: serde_json::Value =
            serde_json::from_str(&p.read(&format!("dist/constructs/{locale}/index.json"))).unwrap();
        let kinds: Vec<&str> = json["verbatim"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v["type"].as_str())
            .collect();
        for kind in ["code", "html", "rule", "raw"] {
            assert!(kinds.contains(&kind), "{locale}: {kind} in {kinds:?}");
        }
    }
    let en = p.read("dist/constructs/en-US/index.html");
    assert!(en.contains("Some <del>struck</del> text"), "{en}");
    let bilingual = p.read("dist/constructs/bilingual/index.html");
    assert_eq!(bilingual.matches("fn main() {").count(), 1, "code shown once: {bilingual}");
}

#[test]
fn line_endings_and_tabs_come_back_as_written() {
    let article =
        std::fs::read_to_string(repo_root().join("tests/fixtures/fidelity/articles/constructs.md"))
            .unwrap();
    let (_, body) = split_front_matter(&article);
    for source in [
        body.replace('\n', "\r\n"),
        body.replace("    ", "\t"),
        format!("{}\r\n", body.trim_end()),
        body.trim_end().to_string(),
    ] {
        let (edition, translated) = editions_of(&source).expect("text");
        let (_, out) = split_front_matter(&edition);
        assert_eq!(out, source);
        assert_eq!(structure(&translated, true), structure(&source, true), "{translated}");
    }
    // Front matter diglot writes for a CRLF article without any is CRLF too.
    let (edition, translated) = editions_of(&body.replace('\n', "\r\n")).expect("text");
    for md in [&edition, &translated] {
        assert!(md.starts_with("---\r\ntitle: "), "{md}");
        assert_eq!(md.matches('\n').count(), md.matches("\r\n").count(), "{md}");
    }
    // CRLF front matter keeps its line endings, diglot's keys included.
    let crlf = article.replace('\n', "\r\n");
    let (edition, _) = editions_of(&crlf).expect("text");
    assert!(edition.starts_with("---\r\ntitle: \"Every construct: a field guide\"\r\n"));
    assert!(
        edition.contains("\r\nlang: \"en-US\"\r\ntranslationKey: \"example\"\r\n---\r\n"),
        "{edition}"
    );
}

#[test]
fn html_editions_align_table_columns_as_written() {
    let p = Project::fixture("fidelity");
    p.run(&["build", "constructs"]).expect_code(0);
    for page in ["en-US/index.html", "es-ES/index.html", "bilingual/index.html"] {
        let html = p.read(&format!("dist/constructs/{page}"));
        for cell in [
            "<th scope=\"col\" style=\"text-align: left\">",
            "<th scope=\"col\" style=\"text-align: center\">",
            "<th scope=\"col\" style=\"text-align: right\">",
            "<td style=\"text-align: right\">",
        ] {
            assert!(html.contains(cell), "{page}: {cell}\n{html}");
        }
    }
}

#[test]
fn html_editions_gather_footnotes_with_links_both_ways() {
    let p = Project::fixture("fidelity");
    p.run(&["build", "constructs"]).expect_code(0);
    for locale in ["en-US", "es-ES"] {
        let html = p.read(&format!("dist/constructs/{locale}/index.html"));
        let section = html.find("<section class=\"footnotes\">").expect("a footnotes section");
        for part in [
            "<sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>",
            "<sup class=\"footnote-ref\" id=\"fnref-note\"><a href=\"#fn-note\">note</a></sup>",
        ] {
            assert!(html[..section].contains(part), "{locale}: {part}\n{html}");
        }
        let notes = &html[section..];
        for part in [
            "<li id=\"fn-1\">",
            "<a href=\"#fnref-1\" class=\"footnote-backref\">↩</a></p>",
            "<li id=\"fn-note\">",
            "<a href=\"#fnref-note\" class=\"footnote-backref\">↩</a></p>",
        ] {
            assert!(notes.contains(part), "{locale}: {part}\n{notes}");
        }
        assert!(
            !html[..section].contains("footnote text"),
            "{locale}: definitions are no body paragraphs"
        );
    }
}

#[test]
fn plain_text_short_lines_keep_their_breaks_in_markdown_and_html() {
    let p = Project::fixture("fidelity");
    p.write(
        "articles/letter.txt",
        "A letter home\n\nWrite to us at\n12 Harbour Road\nPortsmouth\n\n\
         This is ordinary prose that was wrapped by an editor at a\n\
         column of about sixty characters, as email often is.\n",
    );
    p.write(
        "pipelines/letter.toml",
        "[article]\nsource = \"articles/letter.txt\"\nlang = \"en-US\"\n\n\
         [edition]\nlocales = [\"es-ES\"]\noutput = \"dist/letter\"\nmin_coverage = 0\n",
    );
    p.run(&["build", "letter"]).expect_code(0);
    let md = p.read("dist/letter/en-US/index.md");
    assert!(md.contains("Write to us at\\\n12 Harbour Road\\\nPortsmouth\n"), "{md}");
    assert!(md.contains("wrapped by an editor at a column of about"), "{md}");
    let html = p.read("dist/letter/en-US/index.html");
    assert!(html.contains("Write to us at<br>12 Harbour Road<br>Portsmouth"), "{html}");
}

#[test]
fn html_articles_keep_code_images_figures_and_tables_in_every_edition() {
    let p = Project::fixture("fidelity");
    pseudo_pipeline(&p, "page");
    p.run(&["translate", "page"]).expect_code(0);
    let run = p.run(&["build", "page"]).expect_code(0);
    // A construct diglot does not translate is kept and said, with where it is.
    let at = "articles/page.html:35:7: warning: a <video> element is published as written";
    assert!(run.stderr.contains(at), "{at}\n{}", run.stderr);
    let messages = p.read("locales/en-US/page.ftl");
    for text in [
        "The north tower seen from the harbour.",
        "Hours lit",
        "Keepers once climbed",
        "![The tower at dusk](/images/tower.jpg \"North tower\")",
        "![A map of the coast](/images/map.png)",
    ] {
        assert!(messages.contains(text), "{text} in a message:\n{messages}");
    }
    for text in ["lit_at", "Copyright", "Archive", "analytics", "A storm at sea", "wave.mp4"] {
        assert!(!messages.contains(text), "{text} is no message:\n{messages}");
    }
    for locale in ["en-US", "es-ES"] {
        let html = p.read(&format!("dist/page/{locale}/index.html"));
        for part in [
            "<pre><code class=\"language-yaml\">lamp:\n  lit_at: sunset",
            // Translated in es-ES: images alone and inside a paragraph.
            "<img src=\"/images/tower.jpg\" alt=\"",
            "<img src=\"/images/book.png\" alt=\"",
            "<img src=\"/images/map.png\" alt=\"",
            "<table>",
            "<video",
        ] {
            assert!(html.contains(part), "{locale}: {part}\n{html}");
        }
        let source = locale == "en-US";
        for part in [
            "<img src=\"/images/tower.jpg\" alt=\"The tower at dusk\" title=\"North tower\">",
            "<img src=\"/images/map.png\" alt=\"A map of the coast\">",
        ] {
            assert_eq!(html.contains(part), source, "{locale}: {part}\n{html}");
        }
        let md = p.read(&format!("dist/page/{locale}/index.md"));
        for part in [
            "```yaml\nlamp:\n  lit_at: sunset\n  checked_every: 2h\n```",
            "](/images/tower.jpg \"",
            "](/images/book.png)",
            "](/images/map.png)",
            "<video src=\"/media/storm.mp4\" controls>A storm at sea.</video>",
        ] {
            assert!(md.contains(part), "{locale}: {part}\n{md}");
        }
        let json: serde_json::Value =
            serde_json::from_str(&p.read(&format!("dist/page/{locale}/index.json"))).unwrap();
        let kinds: Vec<&str> = json["verbatim"]
            .as_array()
            .unwrap_or_else(|| panic!("{locale}: verbatim blocks in {json}"))
            .iter()
            .filter_map(|v| v["type"].as_str())
            .collect();
        // The figure's image and the map have words to translate: they are
        // blocks, no longer verbatim.
        assert_eq!(kinds, ["code", "html", "html"], "{locale}");
    }
    // The figure's caption follows its image; the code comes before it.
    let en = p.read("dist/page/en-US/index.html");
    let at = |text: &str| en.find(text).unwrap_or_else(|| panic!("{text} in {en}"));
    assert!(at("language-yaml") < at("tower.jpg") && at("tower.jpg") < at("harbour"), "{en}");
    assert!(at("map.png") < at("<table>") && at("<table>") < at("<video"), "{en}");
    // Media inside a sentence follows its paragraph.
    assert!(en.contains("<p>Watch the storm break on the rocks.</p>\n<div class=\"html-block\"><video src=\"/media/wave.mp4\"></video></div>"), "{en}");
    let bilingual = p.read("dist/page/bilingual/index.html");
    assert_eq!(bilingual.matches("checked_every").count(), 1, "code shown once: {bilingual}");
}

#[test]
fn front_matter_keys_translated_are_the_pipelines_choice() {
    let p = Project::fixture("fidelity");
    let article = "---\ntitle: Tides\nsubtitle: How the moon moves the sea\ndescription: \
                   Kept as written.\ncategory: science\n---\n\nThe sea rises twice a day.\n";
    p.write("articles/tides.md", article);
    let pipeline = "[article]\nsource = \"articles/tides.md\"\nlang = \"en-US\"\n\
                    front_matter_keys = [\"title\", \"subtitle\"]\n\n[edition]\n\
                    locales = [\"es-ES\"]\noutput = \"dist/tides\"\nmin_coverage = 0\n";
    p.write("pipelines/tides.toml", pipeline);
    pseudo_pipeline(&p, "tides");
    p.run(&["translate", "tides"]).expect_code(0);
    p.run(&["build", "tides"]).expect_code(0);
    let messages = p.read("locales/en-US/tides.ftl");
    assert!(messages.contains("= How the moon moves the sea"), "{messages}");
    assert!(!messages.contains("Kept as written"), "{messages}");
    assert!(!messages.contains("science"), "{messages}");
    let es = p.read("dist/tides/es-ES/index.md");
    assert!(es.contains("description: Kept as written.\ncategory: science\n"), "{es}");
    assert!(!es.contains("subtitle: How the moon"), "subtitle translated: {es}");
    assert_eq!(
        p.read("dist/tides/en-US/index.md").split_once("\n---\n").unwrap().1,
        article.split_once("\n---\n").unwrap().1
    );

    // A key diglot sets itself, or one that is no key, is refused by name.
    for (keys, said) in [
        ("[\"title\", \"lang\"]", "`lang`, which diglot sets for each edition and does not"),
        ("[\"sub title\"]", "`sub title`, which is not a front-matter key; use top-level keys"),
        ("[\"title\", \"title\"]", "twice"),
    ] {
        p.write("pipelines/tides.toml", &pipeline.replace("[\"title\", \"subtitle\"]", keys));
        let run = p.run(&["build", "tides"]).expect_code(2);
        assert!(
            run.stderr.contains("front_matter_keys") && run.stderr.contains(said),
            "{keys}: {}",
            run.stderr
        );
    }
}

#[test]
fn bilingual_footnotes_are_linked_and_json_carries_alignment_and_footnotes() {
    let p = Project::fixture("fidelity");
    p.run(&["build", "constructs"]).expect_code(0);
    let bilingual = p.read("dist/constructs/bilingual/index.html");
    // Each column links its references and notes both ways, with ids of its own.
    for side in ["en-US", "es-ES"] {
        for part in [
            format!(
                "<sup class=\"footnote-ref\" id=\"fnref-{side}-1\"><a href=\"#fn-{side}-1\">1</a></sup>"
            ),
            format!("id=\"fn-{side}-note\""),
            format!("<a href=\"#fnref-{side}-note\" class=\"footnote-backref\">↩</a></p>"),
        ] {
            assert_eq!(bilingual.matches(&part).count(), 1, "{part}\n{bilingual}");
        }
    }
    for locale in ["en-US", "es-ES"] {
        let json: serde_json::Value =
            serde_json::from_str(&p.read(&format!("dist/constructs/{locale}/index.json"))).unwrap();
        assert_eq!(json["table_alignments"], serde_json::json!([["left", "center", "right"]]));
        let notes: Vec<&str> = json["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["footnote"].as_str())
            .collect();
        assert_eq!(notes, ["1", "note"], "{locale}");
    }
}

#[test]
fn html_page_edition_is_the_source_page_with_its_text_translated() {
    let p = Project::fixture("fidelity");
    pseudo_pipeline(&p, "page");
    p.run(&["translate", "page"]).expect_code(0);
    let run = p.run(&["build", "page"]).expect_code(0);
    // What cannot be placed in the page stays as written, and is said.
    for at in ["37:7", "40:7"] {
        let warning = format!(
            "articles/page.html:{at}: warning: this text stays in the source language in page.html"
        );
        assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    }
    let source = p.read("articles/page.html");
    // The source language's page is the source, `lang` and `dir` set.
    let en = p.read("dist/page/en-US/page.html");
    assert_eq!(en, source.replace("<html lang=\"en\">", "<html lang=\"en-US\" dir=\"ltr\">"));
    let es = p.read("dist/page/es-ES/page.html");
    assert!(es.contains("<html lang=\"es-ES\" dir=\"ltr\">"), "{es}");
    // The page's own layout, scripts and styles, and what is not text, as written.
    for line in source.lines().filter(|l| {
        ["<script", "<style", "<nav", "<link", "<meta", "<header", "<footer", "<pre", "body {"]
            .iter()
            .any(|tag| l.trim_start().starts_with(tag))
    }) {
        assert!(es.lines().any(|l| l == line), "{line:?} kept:\n{es}");
    }
    for text in [
        "Keeping a lighthouse</h1>",
        "Keepers once climbed",
        "seen from the harbour",
        "<th>Hours lit</th>",
        "keeper's logbook",
        "The last keeper",
    ] {
        assert!(!es.contains(text), "{text} translated:\n{es}");
    }
    assert!(es.contains("<p class=\"lead\">") && es.contains("<img src=\"/images/book.png\""));
    // An image keeps its tag as written, its alt text and title translated.
    let tower = es.lines().find(|l| l.contains("tower.jpg")).expect(&es);
    assert!(tower.starts_with("        <img src=\"/images/tower.jpg\" alt=\""), "{tower}");
    assert!(!tower.contains("The tower at dusk") && !tower.contains("North tower"), "{tower}");
    // So does the <title>, where it shows the headline: the headline's
    // translation, the site's name as written.
    let h1 = es.split("<h1>").nth(1).and_then(|r| r.split("</h1>").next()).expect(&es);
    assert!(es.contains(&format!("<title>{h1} | The Coast Review</title>")), "{es}");
    assert_eq!(es.lines().count(), source.lines().count(), "{es}");
    for line in [
        "Loose words beside a paragraph.",
        "<p>Watch the storm <video src=\"/media/wave.mp4\"></video> break on the rocks.</p>",
    ] {
        assert!(es.contains(line), "{line} as written:\n{es}");
    }
    assert!(!es.contains("A paragraph inside the same box."), "{es}");
}

/// A page's markup with the text between tags left out.
fn tags_only(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push('>');
                continue;
            }
            _ => {}
        }
        if in_tag {
            out.push(c);
        }
    }
    out
}

/// A one-page HTML article translated by the `pseudo` provider: its
/// `page.html` edition for es-ES, and the build's warnings.
fn pseudo_page(html: &str) -> (String, String) {
    let (p, warnings) = pseudo_article("page.html", html);
    (p.read("dist/page/es-ES/page.html"), warnings)
}

/// A project with the article `file` translated to es-ES by the `pseudo`
/// provider and built; what `translate` and `build` wrote to stderr.
fn pseudo_article(file: &str, text: &str) -> (Project, String) {
    let p = Project::empty();
    p.write(file, text);
    p.run(&["init", "--from", file, "--locales", "es-ES", "--lang", "en-US"]).expect_code(0);
    let name = file.split('.').next().unwrap_or(file);
    pseudo_pipeline(&p, name);
    let translate = p.run(&["translate", name]).expect_code(0);
    let run = p.run(&["build", name]).expect_code(0);
    (p, translate.stderr + &run.stderr)
}

#[test]
fn html_page_edition_keeps_inline_tags_and_attributes_as_written() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <h2 class=\"title\"><a name=\"intro\"></a>The introduction</h2>\n\
        <p>Read <a class=\"xref\" href=\"#intro\" title=\"Intro\">the first part</a> before you start.</p>\n\
        <dl><dt><span class=\"sect1\"><a href=\"#intro\">1. The introduction</a></span></dt></dl>\n\
        <p>Some <em class=\"x\">words</em>, <code>a&lt;b</code> and<br/>an <img src=\"i.png\" alt=\"i\"> image.</p>\n\
        <p>A <span class=\"k\">partial</span> wrap.</p>\n\
        </body></html>\n";
    let (es, warnings) = pseudo_page(source);
    // The tags as written; the link's title is translated text.
    let tags = tags_only(source)
        .replace("<html>", "<html lang=\"es-ES\" dir=\"ltr\">")
        .replace("title=\"Intro\"", "title=\"Iƞŧřoo\"");
    assert_eq!(tags_only(&es), tags);
    for text in ["The introduction", "the first part", "before you start", "words", "image."] {
        assert!(!es.contains(text), "{text} translated:\n{es}");
    }
    assert!(es.contains("<code>a&lt;b</code>"), "{es}");
    // A tag around some words of a block cannot be placed in its
    // translation: the block stays as written, and the build says so.
    assert!(es.contains("<p>A <span class=\"k\">partial</span> wrap.</p>"), "{es}");
    let warning = "articles/page.html:7:1: warning: this text stays in the source language in \
                   page.html, the translated page: diglot could not tell its inline tags";
    assert!(warnings.contains(warning), "{warnings}");
}

/// Struck text (`<s>`, `<del>`, `<strike>`) is struck in every edition and
/// its translation in page.html, not read as plain text: "Give away most
/// the books" is not what a struck "most" says.
#[test]
fn html_strikethrough_is_struck_in_every_edition_and_translated_in_page_html() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <h1>Moving house</h1>\n\
        <p>Give away <s>most</s> the books. Keep <del class=\"x\">all</del> the best ones.</p>\n\
        <p>Sell <strike>the car </strike>a bike.</p>\n\
        <p>Nothing <del></del>struck here.</p>\n\
        </body></html>\n";
    let (p, warnings) = pseudo_article("page.html", source);
    let en = p.read("locales/en-US/page.ftl");
    for message in [
        "Give away ~~most~~ the books.",
        "Keep ~~all~~ the best ones.",
        "Sell ~~the car~~ a bike.",
        "Nothing struck here.",
    ] {
        assert!(en.contains(message), "{message} not in:\n{en}");
    }
    let html = p.read("dist/page/en-US/index.html");
    assert!(html.contains("Give away <del>most</del> the books."), "{html}");
    let md = p.read("dist/page/en-US/index.md");
    assert!(md.contains("Give away ~~most~~ the books."), "{md}");
    let es = p.read("dist/page/es-ES/page.html");
    let tags = tags_only(source).replace("<html>", "<html lang=\"es-ES\" dir=\"ltr\">");
    assert_eq!(tags_only(&es), tags);
    for text in ["Give away", "most", "the best ones", "the car"] {
        assert!(!es.contains(text), "{text} not translated:\n{es}");
    }
    assert!(!warnings.contains("stays in the source language"), "{warnings}");
}

#[test]
fn html_page_edition_translates_blocks_with_named_character_references() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <p>The caf&eacute; is open today &mdash; come in.</p>\n\
        </body></html>\n";
    let (es, warnings) = pseudo_page(source);
    assert!(!es.contains("is open today"), "{es}");
    assert!(!warnings.contains("articles/page.html:3:"), "{warnings}");
}

#[test]
fn markdown_images_alone_in_a_paragraph_are_in_every_edition() {
    let source = "# Badges\n\nIntro.\n\n[![Build](b.svg)](ci)\n\n![One](1.png) ![Two](2.png)\n\n\
        [<img alt=\"docs\" src=\"d.svg\">](docs)\n\nThe end.\n";
    let (p, _) = pseudo_article("story.md", source);
    // Alternative text is translated: pseudo-translated in es-ES.
    for (locale, build, one, two) in
        [("en-US", "Build", "One", "Two"), ("es-ES", "Ɓuuiŀḓ", "Oƞee", "Ŧẇoo")]
    {
        let html = p.read(&format!("dist/story/{locale}/index.html"));
        for img in [
            format!("<a href=\"ci\"><img src=\"b.svg\" alt=\"{build}\"></a>"),
            format!("<img src=\"1.png\" alt=\"{one}\"> <img src=\"2.png\" alt=\"{two}\">"),
            "<a href=\"docs\"><img alt=\"docs\" src=\"d.svg\"></a>".to_string(),
        ] {
            assert!(html.contains(&img), "{locale}: {img}\n{html}");
        }
        let json = p.read(&format!("dist/story/{locale}/index.json"));
        for src in ["b.svg", "1.png", "2.png", "d.svg"] {
            assert!(json.contains(src), "{locale}: {src}\n{json}");
        }
    }
}

#[test]
fn a_link_around_an_image_alone_keeps_its_target_and_source() {
    let source = "# name [![crates.io](x.svg)](y)\n\nSome text [![badge](b.svg)](ci) here \
        [![2024](c.svg)](z).\n";
    let (p, stderr) = pseudo_article("story.md", source);
    assert!(!stderr.contains("rejected"), "{stderr}");
    let md = p.read("dist/story/es-ES/index.md");
    // The alternative text is translated; link target and source stay.
    assert!(md.contains("# ƞaaḿee [![ƈřaaŧeeş.ioo](x.svg)](y)\n"), "{md}");
    assert!(md.contains(" [![ƀaaḓɠee](b.svg)](ci) "), "{md}");
    // An image without words travels whole.
    assert!(md.contains(" [![2024](c.svg)](z)."), "{md}");
}

/// Image alternative text and titles, and link titles, are translated in
/// every edition; image sources stay; the Markdown keeps its blocks.
#[test]
fn image_alt_text_and_titles_and_link_titles_are_translated() {
    let source = "# Pictures\n\nThe harbour ![A boat at sea](boat.png \"The harbour\") is quiet. \
        See [the map](map.html \"Harbour map\").\n\n\
        ![A lighthouse on a rock](light.png \"Lighthouse\")\n\n![](spacer.png)\n\nThe end.\n";
    let (p, stderr) = pseudo_article("story.md", source);
    assert!(!stderr.contains("rejected"), "{stderr}");
    let messages = p.read("locales/en-US/story.ftl");
    // An image alone in a paragraph is a message when it has words.
    assert!(
        messages.contains("= ![A lighthouse on a rock](light.png \"Lighthouse\")"),
        "{messages}"
    );
    assert!(!messages.contains("spacer.png"), "{messages}");

    let md = p.read("dist/story/es-ES/index.md");
    assert_eq!(structure(&md, false), structure(source, false), "{md}");
    for english in ["A boat at sea", "The harbour\"", "Harbour map", "A lighthouse", "Lighthouse\""]
    {
        assert!(!md.contains(english), "{english} translated:\n{md}");
    }
    for kept in ["](boat.png \"", "](map.html \"", "](light.png \"", "![](spacer.png)"] {
        assert!(md.contains(kept), "{kept} kept:\n{md}");
    }
    let html = p.read("dist/story/es-ES/index.html");
    for english in
        ["alt=\"A boat", "title=\"The harbour", "title=\"Harbour map", "alt=\"A lighthouse"]
    {
        assert!(!html.contains(english), "{english} translated:\n{html}");
    }
    for kept in
        ["<img src=\"boat.png\" alt=\"", "<a href=\"map.html\" title=\"", "<img src=\"light.png\""]
    {
        assert!(html.contains(kept), "{kept}:\n{html}");
    }
    let json = p.read("dist/story/es-ES/index.json");
    assert!(
        json.contains(
            "{\"image\":\"A ƀooaaŧ aaŧ şeeaa\",\"src\":\"boat.png\",\"title\":\"Ŧħee ħaařƀoouuř\"}"
        ),
        "{json}"
    );
    let en = p.read("dist/story/en-US/index.html");
    assert!(
        en.contains("<img src=\"boat.png\" alt=\"A boat at sea\" title=\"The harbour\">"),
        "{en}"
    );

    // A translation that changes an image's source is an error, and the
    // edition shows no image from it.
    let ftl = p.read("locales/es-ES/story.ftl");
    let changed: String = ftl
        .lines()
        .map(
            |l| if l.starts_with('#') { l.to_string() } else { l.replace("light.png", "evil.png") },
        )
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(changed.trim_end(), ftl.trim_end());
    p.write("locales/es-ES/story.ftl", &format!("{changed}\n"));
    let check = p.run(&["check", "story"]).expect_code(1);
    let said = check.stdout + &check.stderr;
    assert!(said.contains("error[link]") && said.contains("evil.png"), "{said}");
    p.run(&["build", "story"]).expect_code(0);
    let html = p.read("dist/story/es-ES/index.html");
    assert!(!html.contains("evil.png"), "{html}");
}

/// A reference image's alternative text is translated in every edition, in
/// each of its forms; its label and definition stay, and a translation that
/// changes the label is an error.
#[test]
fn reference_image_alt_text_is_translated_and_its_label_stays() {
    let source = "# Pictures\n\nThe harbour ![A boat at sea][boat] is quiet, the ![Lighthouse][] \
        stands and ![Lighthouse] shines.\n\n![A map of the coast][map]\n\n\
        [boat]: boat.png \"The boat\"\n[lighthouse]: light.png\n[map]: map.png\n";
    let (p, stderr) = pseudo_article("story.md", source);
    assert!(!stderr.contains("rejected"), "{stderr}");
    let messages = p.read("locales/en-US/story.ftl");
    for text in [
        "The harbour ![A boat at sea][boat] is quiet",
        "![Lighthouse][Lighthouse] stands",
        "![Lighthouse][Lighthouse] shines.",
        "= ![A map of the coast][map]",
    ] {
        assert!(messages.contains(text), "{text}:\n{messages}");
    }
    assert!(!messages.contains(".png"), "{messages}");

    let md = p.read("dist/story/es-ES/index.md");
    assert_eq!(structure(&md, false), structure(source, false), "{md}");
    for english in ["A boat at sea", "![Lighthouse]", "A map of the coast"] {
        assert!(!md.contains(english), "{english} translated:\n{md}");
    }
    for kept in ["][boat] ", "][Lighthouse] ", "][map]\n", "\n[boat]: boat.png \"The boat\"\n"] {
        assert!(md.contains(kept), "{kept} kept:\n{md}");
    }
    let en = p.read("dist/story/en-US/index.md");
    assert!(en.ends_with(source), "the source below the front matter:\n{en}");

    let html = p.read("dist/story/es-ES/index.html");
    for kept in [
        "<img src=\"boat.png\" alt=\"A ƀooaaŧ aaŧ şeeaa\" title=\"The boat\">",
        "<img src=\"light.png\" alt=\"",
        "<img src=\"map.png\" alt=\"",
    ] {
        assert!(html.contains(kept), "{kept}:\n{html}");
    }
    for english in ["alt=\"Lighthouse\"", "A map of the coast"] {
        assert!(!html.contains(english), "{english} translated:\n{html}");
    }
    let json = p.read("dist/story/es-ES/index.json");
    assert!(
        json.contains(
            "{\"image\":\"A ƀooaaŧ aaŧ şeeaa\",\"src\":\"boat.png\",\"title\":\"The boat\"}"
        ),
        "{json}"
    );
    let en = p.read("dist/story/en-US/index.html");
    assert!(en.contains("<img src=\"map.png\" alt=\"A map of the coast\">"), "{en}");

    // A translation that points an image at another definition is an
    // error, and the edition shows its text, not the image.
    let ftl = p.read("locales/es-ES/story.ftl");
    let changed: String = ftl
        .lines()
        .map(|l| if l.starts_with('#') { l.to_string() } else { l.replace("][boat]", "][map]") })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(changed.trim_end(), ftl.trim_end());
    p.write("locales/es-ES/story.ftl", &format!("{changed}\n"));
    let check = p.run(&["check", "story"]).expect_code(1);
    let said = check.stdout + &check.stderr;
    assert!(said.contains("error[link]") && said.contains("[boat]"), "{said}");
    p.run(&["build", "story"]).expect_code(0);
    let html = p.read("dist/story/es-ES/index.html");
    assert!(!html.contains("<img src=\"map.png\" alt=\"A ƀooaaŧ"), "{html}");
    assert!(html.contains("A ƀooaaŧ aaŧ şeeaa"), "{html}");
}

/// A paragraph of reference images without words is no message; the HTML
/// pages show its images from their definitions, the Markdown as written.
#[test]
fn a_paragraph_of_reference_images_without_words_shows_them() {
    let source = "# Badges\n\nSome text.\n\n![][logo] [![2024][chart]][data]\n\n\
        [logo]: logo.png\n[chart]: chart.svg \"Chart\"\n[data]: https://example.org/data\n";
    let (p, _) = pseudo_article("story.md", source);
    assert!(!p.read("locales/en-US/story.ftl").contains("logo"));
    for locale in ["en-US", "es-ES"] {
        let html = p.read(&format!("dist/story/{locale}/index.html"));
        assert!(
            html.contains(
                "<p><img src=\"logo.png\" alt=\"\"> <a href=\"https://example.org/data\">\
                 <img src=\"chart.svg\" alt=\"2024\" title=\"Chart\"></a></p>"
            ),
            "{locale}:\n{html}"
        );
        let md = p.read(&format!("dist/story/{locale}/index.md"));
        assert!(md.contains("\n![][logo] [![2024][chart]][data]\n"), "{locale}:\n{md}");
    }
    let bilingual = p.read("dist/story/bilingual/index.html");
    assert!(bilingual.contains("<img src=\"chart.svg\" alt=\"2024\" title=\"Chart\">"));
}

/// An `<img>` in an HTML article's text: its alternative text is
/// translated in the news page.
#[test]
fn html_article_image_alt_text_is_translated_in_the_news_page() {
    let source = "<!DOCTYPE html>\n<html><head><title>Birds</title></head><body>\n\
        <h1>Birds</h1>\n<p>Look up <img src=\"kite.png\" alt=\"a red kite\"> in the sky.</p>\n\
        </body></html>\n";
    let (p, stderr) = pseudo_article("birds.html", source);
    assert!(!stderr.contains("rejected"), "{stderr}");
    let html = p.read("dist/birds/es-ES/index.html");
    assert!(
        html.contains("<img src=\"kite.png\" alt=\"") && !html.contains("a red kite"),
        "{html}"
    );
}

#[test]
fn an_html_line_break_in_markdown_stays_as_written() {
    let source = "# Doc\n\nLine one<br>line two<BR/>and three\\\nand four.\n";
    let (p, _) = pseudo_article("story.md", source);
    let md = p.read("dist/story/es-ES/index.md");
    assert!(md.contains("ooƞee<br>ŀiƞee ŧẇoo<BR/>aaƞḓ ŧħřeeee\\\naaƞḓ ƒoouuř."), "{md}");
    let html = p.read("dist/story/es-ES/index.html");
    assert!(html.contains("ooƞee<br>ŀiƞee ŧẇoo<br>aaƞḓ ŧħřeeee<br>"), "{html}");
}

#[test]
fn markdown_between_the_tags_of_an_html_block_stays_inside_it() {
    let source = "# Doc\n\nIntro.\n\n<details><summary>Click</summary>\n\nHidden text.\n\n</details>\n\nAfter.\n";
    let (p, _) = pseudo_article("story.md", source);
    for (locale, hidden) in [("en-US", "Hidden text."), ("es-ES", "Ħiḓḓeeƞ ŧeeẋŧ.")] {
        let html = p.read(&format!("dist/story/{locale}/index.html"));
        let open = html.find("<details><summary>Click</summary>").expect(&html);
        let text = html.find(hidden).expect(&html);
        let close = html.find("</details>").expect(&html);
        assert!(open < text && text < close, "{locale}:\n{html}");
        assert_eq!(html.matches("</details>").count(), 1, "{html}");
    }
}

#[test]
fn html_page_edition_keeps_the_byte_order_mark_and_the_root_tag_as_written() {
    let source = "\u{feff}<!DOCTYPE html>\n<HTML LANG='en' class=\"x\" DIR=\"ltr\"><head><title>Guide</title></head>\
        <body>\n<p>Some text here.</p>\n</body></HTML>\n";
    let (es, _) = pseudo_page(source);
    let want = "\u{feff}<!DOCTYPE html>\n<HTML LANG='es-ES' class=\"x\" DIR=\"ltr\"><head>";
    assert!(es.starts_with(want), "{es:?}");
    let (es, _) =
        pseudo_page("<!DOCTYPE html>\n<Html data-x=1><body><p>Some text here.</p></body></Html>\n");
    assert!(
        es.starts_with("<!DOCTYPE html>\n<Html lang=\"es-ES\" dir=\"ltr\" data-x=1><body>"),
        "{es:?}"
    );
}

#[test]
fn an_unclosed_tag_in_a_title_is_shown_as_written_text() {
    let source = "# Tips & more <fun>\n\nPress <kbd>Ctrl</kbd> here.\n";
    let (p, _) = pseudo_article("story.md", source);
    let html = p.read("dist/story/en-US/index.html");
    assert!(html.contains("<title>Tips &amp; more &lt;fun&gt;</title>"), "{html}");
    assert!(html.contains("<h1>Tips &amp; more &lt;fun&gt;</h1>"), "{html}");
    let md = p.read("dist/story/es-ES/index.md");
    assert!(md.contains("title: \"Ŧiƥş & ḿoořee <fun>\"\n"), "{md}");
    assert!(md.contains("# Ŧiƥş & ḿoořee <fun>\n"), "{md}");
    let json = p.read("dist/story/es-ES/index.json");
    assert!(json.contains("\"title\":\"Ŧiƥş & ḿoořee <fun>\""), "{json}");
}

/// A one-page HTML article with its Spanish translation, one message a
/// line in article order, built: (project, message IDs, build).
fn translated_page(html: &str, spanish: &[&str]) -> (Project, Vec<String>, diglot_tests::Run) {
    let p = Project::empty();
    p.write("page.html", html);
    p.run(&["init", "--from", "page.html", "--locales", "es-ES", "--lang", "en-US"]).expect_code(0);
    p.run(&["extract"]).expect_code(0);
    let ids: Vec<String> = diglot_tests::messages(&p.read("locales/en-US/page.ftl"))
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(ids.len(), spanish.len(), "{ids:?}");
    let lines: Vec<String> = ids.iter().zip(spanish).map(|(id, v)| format!("{id} = {v}")).collect();
    p.write("locales/es-ES/page.ftl", &(lines.join("\n") + "\n"));
    let run = p.run(&["build"]).expect_code(0);
    (p, ids, run)
}

#[test]
fn html_page_edition_warns_when_a_translation_s_markup_is_not_the_source_s() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <h1>The guide</h1>\n\
        <p>Read <a href=\"/x\" title=\"More\">the guide</a> now.</p>\n\
        <p>Then <em>rest</em>.</p>\n\
        </body></html>\n";
    let (p, ids, run) = translated_page(
        source,
        &["La guía", "Guía", "Lee [la guía](/y \"Más\") ahora.", "Luego **descansa**."],
    );
    let es = p.read("dist/page/es-ES/page.html");
    assert!(es.contains("<h1>La guía</h1>"), "{es}");
    // Blocks whose translation cannot take the source's tags stay as
    // written, and the build says which, where and in which locale.
    assert!(es.contains("<p>Read <a href=\"/x\" title=\"More\">the guide</a> now.</p>"), "{es}");
    assert!(es.contains("<p>Then <em>rest</em>.</p>"), "{es}");
    for (id, at) in [(&ids[2], "4:4"), (&ids[3], "5:4")] {
        let warning = format!(
            "articles/page.html:{at}: warning[{id}]: es-ES: this text stays in the source \
             language in page.html"
        );
        assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    }
    let report: serde_json::Value = serde_json::from_str(&p.read("dist/page/report.json")).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let ours: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("in page.html"))
        .collect();
    assert_eq!(ours.len(), 2, "{diagnostics:?}");
    assert_eq!(ours[0]["message_id"], ids[2].as_str());
    assert_eq!(ours[0]["file"], "articles/page.html");
    assert_eq!(ours[0]["severity"], "warning");
}

#[test]
fn html_page_edition_translates_link_titles_and_image_alt_text_in_the_source_s_tags() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <h1>The guide</h1>\n\
        <p>Read <a class=\"x\" href=\"/x\" title=\"More\">the guide</a> now. \
        See <img src='a.png' alt='A cat' width=3> here.</p>\n\
        </body></html>\n";
    let (p, _, run) = translated_page(
        source,
        &[
            "La guía",
            "Guía",
            "Lee [la guía](/x \"Más \\\"info\\\"\") ahora.",
            "Mira ![Un gato](a.png) aquí.",
        ],
    );
    let es = p.read("dist/page/es-ES/page.html");
    // The source's tags as written, their translatable attributes translated.
    assert!(
        es.contains(
            "<p>Lee <a class=\"x\" href=\"/x\" title=\"Más &quot;info&quot;\">la guía</a> ahora. \
             Mira <img src='a.png' alt='Un gato' width=3> aquí.</p>"
        ),
        "{es}"
    );
    assert!(!run.stderr.contains("page.html"), "{}", run.stderr);
}

#[test]
fn html_page_edition_keeps_comments_inside_translated_blocks() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <p>Some <!-- note --> words in <em>here<!-- x --></em> today.<!-- end --></p>\n\
        <p><!-- start -->Other text <!-- last --> here.</p>\n\
        </body></html>\n";
    let (es, warnings) = pseudo_page(source);
    assert!(!warnings.contains("articles/page.html:3:"), "{warnings}");
    for text in ["Some", "words", "today", "Other text"] {
        assert!(!es.contains(text), "{text} translated:\n{es}");
    }
    // Each comment stays once, where it stood among the block's tags:
    // before the markup it preceded, or at the start or end of its element.
    for comment in ["<!-- note --><em>", "<!-- x --></em>", "<!-- end --></p>", "<p><!-- start -->"]
    {
        assert_eq!(es.matches(comment).count(), 1, "{comment}:\n{es}");
    }
    assert!(es.contains("<!-- last --></p>"), "{es}");
}

#[test]
fn html_page_edition_translates_a_headline_that_only_the_title_element_gives() {
    let source = "<!DOCTYPE html>\n<html><head>\n<meta charset=\"utf-8\">\n\
        <title>Keeping a lighthouse &amp; its lamp</title>\n</head><body>\n\
        <p>Some text here.</p>\n\
        </body></html>\n";
    let (es, warnings) = pseudo_page(source);
    assert!(!warnings.contains("articles/page.html:4:"), "{warnings}");
    assert!(!es.contains("Keeping a lighthouse"), "{es}");
    let title = es.lines().find(|l| l.starts_with("<title>")).expect(&es);
    assert!(title.ends_with("</title>") && title.contains(" &amp; "), "{title}");
    assert!(!es.contains("Some text here."), "{es}");
}

#[test]
fn a_numbered_contents_entry_is_one_message() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <h1>Guide</h1>\n\
        <ol class=\"toc\"><li><a href=\"#intro\">1. Intro</a></li>\
        <li><a href=\"#use\">2.1. Daily use</a></li></ol>\n\
        <p>1. Intro</p>\n\
        </body></html>\n";
    let p = Project::empty();
    p.write("page.html", source);
    p.run(&["init", "--from", "page.html", "--locales", "es-ES", "--lang", "en-US"]).expect_code(0);
    p.run(&["extract"]).expect_code(0);
    let values: Vec<String> = diglot_tests::messages(&p.read("locales/en-US/page.ftl"))
        .into_iter()
        .map(|m| m.1)
        .collect();
    // (A message needs no escape: the Markdown edition escapes a
    // paragraph's number, so that it starts no list.)
    assert_eq!(values, ["Guide", "[1. Intro](#intro)", "[2.1. Daily use](#use)", "1. Intro"]);
    p.run(&["build"]).expect_code(0);
    let md = p.read("dist/page/en-US/index.md");
    assert!(md.contains("\n1\\. Intro\n"), "{md}");
}

#[test]
fn markdown_editions_keep_the_byte_order_mark() {
    for source in [
        "\u{feff}# Tips\n\nSome text here.\n",
        "\u{feff}---\ntitle: Tips\n---\n\nSome text here.\n",
    ] {
        let (p, _) = pseudo_article("story.md", source);
        let body = split_front_matter(source.trim_start_matches('\u{feff}')).1;
        for locale in ["en-US", "es-ES"] {
            let md = p.read(&format!("dist/story/{locale}/index.md"));
            assert!(md.starts_with("\u{feff}---\n"), "{locale}: {md:?}");
            assert_eq!(md.matches('\u{feff}').count(), 1, "{locale}: {md:?}");
            if locale == "en-US" {
                assert_eq!(split_front_matter(&md[3..]).1, body, "{md:?}");
            }
        }
    }
}

#[test]
fn strikethrough_across_sentences_is_struck_in_html_editions() {
    let source = "# Doc\n\nIntro here. ~~One is here. Two is there.~~ After that.\n";
    let (p, _) = pseudo_article("story.md", source);
    let en = p.read("dist/story/en-US/index.html");
    assert!(
        en.contains("Intro here. <del>One is here.</del> <del>Two is there.</del> After that."),
        "{en}"
    );
    for page in ["es-ES/index.html", "bilingual/index.html"] {
        let html = p.read(&format!("dist/story/{page}"));
        let struck = if page.starts_with("es") { 2 } else { 4 };
        assert_eq!(html.matches("<del>").count(), struck, "{page}: {html}");
        assert_eq!(html.matches("</del>").count(), struck, "{page}: {html}");
        assert!(!html.contains("~~"), "{page}: {html}");
    }
}

#[test]
fn bilingual_page_keeps_html_blocks_around_their_text_and_tags_in_titles() {
    let source = "# Tips & more <fun>\n\nIntro.\n\n<details><summary>Click</summary>\n\n\
        Hidden text.\n\n</details>\n\nAfter.\n";
    let (p, _) = pseudo_article("story.md", source);
    let html = p.read("dist/story/bilingual/index.html");
    // Each column's text of the block stays inside its own <details>.
    assert_eq!(html.matches("<summary>Click</summary>").count(), 2, "{html}");
    assert_eq!(html.matches("</details>").count(), 2, "{html}");
    for hidden in ["Hidden text.", "Ħiḓḓeeƞ ŧeeẋŧ."] {
        let text = html.find(hidden).expect(&html);
        let open = html[..text].rfind("<details>").expect(&html);
        let close = html[text..].find("</details>").expect(&html) + text;
        assert!(!html[open..text].contains("</details>"), "{hidden}:\n{html}");
        assert!(html[open..close].contains(hidden), "{html}");
    }
    // A tag in the title is text there, as on the single-language pages.
    assert!(html.contains("Tips &amp; more &lt;fun&gt;"), "{html}");
    assert!(html.contains("Ŧiƥş &amp; ḿoořee &lt;fun&gt;"), "{html}");
}

#[test]
fn media_kept_as_written_keep_their_attributes_in_source_order() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <h1>Guide</h1>\n<p>Some text here.</p>\n\
        <video width=\"320\" src=\"/m.mp4\" poster=\"/p.jpg\" controls></video>\n\
        <p>More text here.</p>\n\
        </body></html>\n";
    let (p, _) = pseudo_article("page.html", source);
    for locale in ["en-US", "es-ES"] {
        let html = p.read(&format!("dist/page/{locale}/index.html"));
        let video = html.find("<video").expect(&html);
        let tag = &html[video..video + html[video..].find('>').expect(&html) + 1];
        assert_eq!(tag, "<video width=\"320\" src=\"/m.mp4\" poster=\"/p.jpg\" controls=\"\">");
        let md = p.read(&format!("dist/page/{locale}/index.md"));
        assert!(
            md.contains("<video width=\"320\" src=\"/m.mp4\" poster=\"/p.jpg\" controls></video>"),
            "{md}"
        );
    }
}

#[test]
fn task_list_items_keep_their_state_in_every_edition() {
    let source = "# Chores\n\nThe list for today.\n\n- [x] Done task here.\n- [ ] Open task here.\n- Plain item here.\n";
    let (p, _) = pseudo_article("chores.md", source);
    for locale in ["en-US", "es-ES"] {
        let html = p.read(&format!("dist/chores/{locale}/index.html"));
        assert!(
            html.contains("<li class=\"task\"><input type=\"checkbox\" disabled checked> "),
            "{html}"
        );
        assert!(html.contains("<li class=\"task\"><input type=\"checkbox\" disabled> "), "{html}");
        assert_eq!(html.matches("<li class=\"task\">").count(), 2, "{html}");
        let json = p.read(&format!("dist/chores/{locale}/index.json"));
        assert!(
            json.contains("\"type\":\"list_item\",\"ordered\":false,\"depth\":0,\"task\":true"),
            "{json}"
        );
        assert!(
            json.contains("\"type\":\"list_item\",\"ordered\":false,\"depth\":0,\"task\":false"),
            "{json}"
        );
        let md = p.read(&format!("dist/chores/{locale}/index.md"));
        assert!(md.contains("- [x] ") && md.contains("- [ ] "), "{md}");
    }
    let bilingual = p.read("dist/chores/bilingual/index.html");
    assert_eq!(bilingual.matches("<input type=\"checkbox\" disabled checked>").count(), 2);
}

/// The news web page of `tests/fixtures/news` (WordPress markup: a
/// featured image, figures with captions, `srcset`, a byline in the
/// article's header, a credit in its footer) translated by the `pseudo`
/// provider and built; what `translate` and `build` wrote to stderr.
fn news_page() -> (Project, String) {
    let p = Project::fixture("news");
    let translate = p.run(&["translate", "harbour"]).expect_code(0);
    let build = p.run(&["build", "harbour"]).expect_code(0);
    (p, translate.stderr + &build.stderr)
}

/// The start tag of the `<img>` whose `src` is `src`, in `html`.
fn img_tag<'h>(html: &'h str, src: &str) -> &'h str {
    let at = html.find(&format!("src=\"{src}\"")).unwrap_or_else(|| panic!("{src} in {html}"));
    let start = html[..at].rfind("<img").expect(html);
    &html[start..start + html[start..].find('>').expect(html) + 1]
}

const HARBOUR_WALL: &str = "/wp-content/uploads/2026/03/harbour-wall.jpg";
const STORM: &str = "/wp-content/uploads/2026/03/storm-damage-1024x683.jpg";
const QUARRY: &str = "/wp-content/uploads/2026/03/quarry-300x200.jpg";

#[test]
fn html_article_standalone_images_have_their_alt_text_and_title_translated() {
    let (p, warnings) = news_page();
    let messages = p.read("locales/en-US/harbour.ftl");
    let texts = [
        "Workers lay stone blocks on the new harbour wall",
        "A gap in the old wall after the January storm",
        "The breach in January",
        "The quarry above the town",
    ];
    for text in texts {
        assert!(messages.contains(text), "{text} in a message:\n{messages}");
    }
    let source = p.read("articles/harbour.html");
    let en = p.read("dist/harbour/en-US/page.html");
    assert_eq!(en, source.replace("<html lang=\"en-US\">", "<html lang=\"en-US\" dir=\"ltr\">"));
    let es = p.read("dist/harbour/es-ES/page.html");
    for src in [HARBOUR_WALL, STORM, QUARRY] {
        // The source's own tag, only its alt (and title) translated.
        let (ours, theirs) = (img_tag(&es, src), img_tag(&source, src));
        assert_ne!(ours, theirs, "{src} translated");
        let mut kept = theirs.to_string();
        for text in texts {
            kept = kept.replace(text, "");
        }
        let mut got = ours.to_string();
        for attr in ["alt", "title"] {
            for tag in [&mut kept, &mut got] {
                if let Some(at) = tag.find(&format!(" {attr}=\"")) {
                    let end = at + attr.len() + 3;
                    let close = tag[end..].find('"').unwrap() + end;
                    tag.replace_range(at..=close, "");
                }
            }
        }
        assert_eq!(got, kept, "{src}: only alt and title change");
    }
    for text in texts {
        assert!(!es.contains(text), "{text} translated in page.html:\n{es}");
    }
    // The figure's caption and the paragraphs around the images too.
    assert!(!es.contains("twenty metres"), "{es}");
    for file in ["index.html", "index.md", "index.json"] {
        let edition = p.read(&format!("dist/harbour/es-ES/{file}"));
        for text in texts {
            assert!(!edition.contains(text), "{file}: {text} translated:\n{edition}");
        }
        assert!(edition.contains(QUARRY) && edition.contains(STORM), "{file}: {edition}");
        let en = p.read(&format!("dist/harbour/en-US/{file}"));
        for text in texts {
            assert!(en.contains(text), "en-US {file}: {text}:\n{en}");
        }
    }
    let md = p.read("dist/harbour/es-ES/index.md");
    assert!(md.contains(&format!("]({STORM} \"")), "{md}");
    for line in [23, 26, 28] {
        assert!(!warnings.contains(&format!("harbour.html:{line}:")), "line {line}: {warnings}");
    }
}

#[test]
fn html_article_images_keep_the_attributes_the_author_wrote_in_the_news_page_and_json() {
    let (p, _) = news_page();
    for locale in ["en-US", "es-ES"] {
        let html = p.read(&format!("dist/harbour/{locale}/index.html"));
        let bilingual = p.read("dist/harbour/bilingual/index.html");
        for page in [&html, &bilingual] {
            let wall = img_tag(page, HARBOUR_WALL);
            for attr in [
                "width=\"1200\"",
                "height=\"800\"",
                "class=\"attachment-post-thumbnail size-post-thumbnail wp-post-image\"",
                "decoding=\"async\"",
                "fetchpriority=\"high\"",
                "srcset=\"/wp-content/uploads/2026/03/harbour-wall.jpg 1200w, \
                 /wp-content/uploads/2026/03/harbour-wall-600x400.jpg 600w\"",
                "sizes=\"(max-width: 1200px) 100vw, 1200px\"",
            ] {
                assert!(wall.contains(attr), "{locale}: {attr} in {wall}");
            }
            let storm = img_tag(page, STORM);
            for attr in ["loading=\"lazy\"", "width=\"1024\"", "class=\"wp-image-1051\"", "title="]
            {
                assert!(storm.contains(attr), "{locale}: {attr} in {storm}");
            }
            assert!(
                img_tag(page, QUARRY)
                    .contains("loading=\"lazy\" decoding=\"async\" width=\"300\" height=\"200\"")
            );
        }
        let json: serde_json::Value =
            serde_json::from_str(&p.read(&format!("dist/harbour/{locale}/index.json"))).unwrap();
        let wall = &json["image_attributes"][HARBOUR_WALL];
        assert_eq!(wall["width"], "1200", "{locale}: {json}");
        assert_eq!(wall["sizes"], "(max-width: 1200px) 100vw, 1200px", "{locale}: {json}");
        assert_eq!(json["image_attributes"][QUARRY]["loading"], "lazy", "{locale}: {json}");
        // In the order the page writes them, src and alt apart.
        let raw = p.read(&format!("dist/harbour/{locale}/index.json"));
        let written = format!(
            "\"{HARBOUR_WALL}\":{{\"width\":\"1200\",\"height\":\"800\",\"class\":\"attachment-post-thumbnail size-post-thumbnail wp-post-image\",\"decoding\":\"async\",\"fetchpriority\":\"high\",\"srcset\":"
        );
        assert!(raw.contains(&written), "{written}\n{raw}");
    }
}

#[test]
fn an_image_s_attributes_that_run_script_or_style_stay_out_of_the_news_page() {
    let source = "<!DOCTYPE html>\n<html><head><title>Guide</title></head><body>\n\
        <h1>Guide</h1>\n<p>Some text here.</p>\n\
        <p><img src=\"/a.png\" alt=\"A harbour\" onerror=\"alert(1)\" style=\"float:left\" width=\"5\"></p>\n\
        </body></html>\n";
    let (p, _) = pseudo_article("page.html", source);
    let html = p.read("dist/page/es-ES/index.html");
    let tag = img_tag(&html, "/a.png");
    assert!(tag.contains("width=\"5\""), "{tag}");
    assert!(!tag.contains("onerror") && !tag.contains("style"), "{tag}");
    let json = p.read("dist/page/es-ES/index.json");
    assert!(!json.contains("onerror") && !json.contains("float"), "{json}");
}

#[test]
fn html_page_edition_translates_the_title_element_with_the_headline() {
    let (p, _) = news_page();
    let messages = p.read("locales/en-US/harbour.ftl");
    // The site's name after the headline is the page's chrome: no message.
    assert!(!messages.contains("Coastal Times"), "{messages}");
    let es = p.read("dist/harbour/es-ES/page.html");
    let h1 = es.split("<h1 class=\"entry-title\">").nth(1).and_then(|r| r.split("</h1>").next());
    let h1 = h1.expect(&es);
    assert!(!h1.contains("harbour wall"), "{h1}");
    assert!(
        es.contains(&format!("<title>{h1} &#8211; The Coastal Times</title>")),
        "the headline's translation in <title>:\n{es}"
    );
}

#[test]
fn html_page_edition_translates_a_title_element_other_than_the_headline_as_its_own_message() {
    let source = "<!DOCTYPE html>\n<html><head><title>Storm season: what to know</title></head>\
        <body>\n<article>\n<h1>The harbour wall is rebuilt</h1>\n\
        <p>The town finished the wall on Friday.</p>\n</article>\n</body></html>\n";
    let (p, ids, run) = translated_page(
        source,
        &[
            "Se reconstruye el muro del puerto",
            "Temporada de tormentas: qué saber",
            "El pueblo terminó el muro el viernes.",
        ],
    );
    assert_eq!(ids[1], diglot_core::SegmentId::for_text("Storm season: what to know").to_string());
    let es = p.read("dist/page/es-ES/page.html");
    assert!(es.contains("<title>Temporada de tormentas: qué saber</title>"), "{es}");
    assert!(es.contains("<h1>Se reconstruye el muro del puerto</h1>"), "{es}");
    assert!(!run.stderr.contains("page.html"), "{}", run.stderr);
    // The other editions' headline is the article's.
    let html = p.read("dist/page/es-ES/index.html");
    assert!(html.contains("<h1>Se reconstruye el muro del puerto</h1>"), "{html}");
    assert!(!html.contains("Temporada de tormentas"), "{html}");
}

#[test]
fn html_article_header_and_footer_text_is_translated() {
    let (p, warnings) = news_page();
    let messages = p.read("locales/en-US/harbour.ftl");
    for text in [
        "fishing boats can use the harbour again",
        "Photographs by the harbour office.",
        "Posted in",
        "Mara Quinn",
    ] {
        assert!(messages.contains(text), "{text} in a message:\n{messages}");
    }
    // The site's own header, navigation and footer stay out.
    for text in ["All rights reserved", "Sport", "rel=\"home\""] {
        assert!(!messages.contains(text), "{text} is no message:\n{messages}");
    }
    let es = p.read("dist/harbour/es-ES/page.html");
    for text in ["fishing boats can use", "Photographs by the harbour office.", "Posted in"] {
        assert!(!es.contains(text), "{text} translated:\n{es}");
    }
    assert!(es.contains("<a href=\"/category/news/\" rel=\"category tag\">"), "{es}");
    assert!(es.contains("All rights reserved"), "{es}");
    let html = p.read("dist/harbour/es-ES/index.html");
    assert!(!html.contains("Photographs by the harbour office."), "{html}");
    // A byline whose inline tags (a <span> around some of its words)
    // cannot be told from its text stays as written there, and is said
    // with where it is.
    let at =
        "articles/harbour.html:21:1: warning: this text stays in the source language in page.html";
    assert!(warnings.contains(at), "{at}\n{warnings}");
    let report: serde_json::Value =
        serde_json::from_str(&p.read("dist/harbour/report.json")).unwrap();
    let said = report["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["file"] == "articles/harbour.html" && d["line"] == 21 && d["severity"] == "warning"
    });
    assert!(said, "{report}");
}

#[test]
fn html_page_edition_translates_the_alt_text_of_a_picture_s_image_and_keeps_its_sources() {
    let source = "<!DOCTYPE html>\n<html><head><title>Boats</title></head><body><article>\n\
        <h1>Boats</h1>\n<p>Some text here.</p>\n\
        <figure><picture><source srcset=\"/a.webp\" type=\"image/webp\"><img src=\"/a.jpg\" alt=\"A boat in the harbour\" loading=\"lazy\"></picture><figcaption>A boat.</figcaption></figure>\n\
        </article></body></html>\n";
    let (p, warnings) = pseudo_article("page.html", source);
    assert!(!warnings.contains("page.html:5:"), "{warnings}");
    let es = p.read("dist/page/es-ES/page.html");
    let figure = es.lines().find(|l| l.starts_with("<figure>")).expect(&es);
    assert!(
        figure.starts_with(
            "<figure><picture><source srcset=\"/a.webp\" type=\"image/webp\"><img src=\"/a.jpg\" alt=\""
        ),
        "{figure}"
    );
    assert!(figure.contains("\" loading=\"lazy\"></picture><figcaption>"), "{figure}");
    assert!(!figure.contains("A boat"), "{figure}");
}
