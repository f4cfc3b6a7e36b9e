//! Segment text <-> Fluent patterns.
//!
//! Segment messages hold plain text (Markdown inline). Fluent reserves `{`
//! and `}`, and a few characters at the start of a continuation line, so
//! those travel as string-literal placeables (`{"{"}`), which every Fluent
//! tool understands and which read back as the character itself. So do
//! control and bidirectional formatting characters ([`safe_entry`]), so that
//! no locale file diglot writes holds one as it is.

use fluent_syntax::ast::{
    Attribute, CallArguments, Comment, Entry, Expression, InlineExpression, Pattern, PatternElement,
};

/// A Fluent pattern that reads back as `text`.
pub(crate) fn pattern_from_text(text: &str) -> Pattern<String> {
    let mut elements = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, elements: &mut Vec<PatternElement<String>>| {
        if !run.is_empty() {
            elements.push(PatternElement::TextElement { value: std::mem::take(run) });
        }
    };
    let literal = |s: &str| PatternElement::Placeable {
        expression: Expression::Inline(InlineExpression::StringLiteral {
            value: s.replace('\\', "\\\\").replace('"', "\\\""),
        }),
    };
    let multiline = text.contains('\n');
    let mut at_line_start = true;
    for c in text.chars() {
        let special_start = at_line_start && (multiline || elements.is_empty() && run.is_empty());
        match c {
            '{' | '}' => {
                flush(&mut run, &mut elements);
                elements.push(literal(&c.to_string()));
            }
            '[' | '*' | '.' if special_start && multiline => {
                flush(&mut run, &mut elements);
                elements.push(literal(&c.to_string()));
            }
            ' ' | '\t' if special_start => {
                // Leading blanks would be taken as indentation.
                flush(&mut run, &mut elements);
                elements.push(literal(&c.to_string()));
            }
            '\n' => {
                run.push('\n');
                // The serializer indents each element that follows a newline,
                // so every line must be its own text element.
                flush(&mut run, &mut elements);
            }
            _ => run.push(c),
        }
        at_line_start = c == '\n';
    }
    flush(&mut run, &mut elements);
    Pattern { elements }
}

/// Whether `message`, as fluent-syntax writes it, parses back without errors
/// and with `text` as its value.
pub(crate) fn reads_back(message: &fluent_syntax::ast::Message<String>, text: &str) -> bool {
    let resource = fluent_syntax::ast::Resource {
        body: vec![Entry::Message(fluent_syntax::ast::Message {
            comment: None,
            ..message.clone()
        })],
    };
    let written = fluent_syntax::serializer::serialize(&resource);
    // An escape the parser cannot read does not read back.
    if !crate::file::unreadable_escapes(&written).is_empty() {
        return false;
    }
    match fluent_syntax::parser::parse(written) {
        Ok(back) => match back.body.as_slice() {
            [Entry::Message(m)] => {
                m.value.as_ref().and_then(|v| text_from_pattern(v).ok()).as_deref() == Some(text)
            }
            _ => false,
        },
        Err(_) => false,
    }
}

/// Why a pattern is not plain text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("placeable `{placeable}` in a sentence message: article messages are plain text")]
pub(crate) struct NotPlainText {
    /// The offending placeable as written, e.g. `{ $name }`.
    pub placeable: String,
}

/// The text a pattern stands for, when it has only text and literals.
pub(crate) fn text_from_pattern(pattern: &Pattern<String>) -> Result<String, NotPlainText> {
    let mut out = String::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => out.push_str(value),
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    out.push_str(&fluent_syntax::unicode::unescape_unicode_to_string(value))
                }
                Expression::Inline(InlineExpression::NumberLiteral { value }) => {
                    out.push_str(value)
                }
                other => {
                    let shown =
                        fluent_syntax::serializer::serialize(&fluent_syntax::ast::Resource {
                            body: vec![fluent_syntax::ast::Entry::Message(
                                fluent_syntax::ast::Message {
                                    id: fluent_syntax::ast::Identifier { name: "x".to_string() },
                                    value: Some(Pattern {
                                        elements: vec![PatternElement::Placeable {
                                            expression: other.clone(),
                                        }],
                                    }),
                                    attributes: vec![],
                                    comment: None,
                                },
                            )],
                        });
                    let placeable = shown.trim_start_matches("x =").trim().to_string();
                    return Err(NotPlainText { placeable });
                }
            },
        }
    }
    Ok(out)
}

/// Characters diglot never writes into a locale file as they are: control
/// characters other than tab and newline (NUL, BEL, ESC, DEL, C1), which are
/// invisible or act on a terminal, and the bidirectional embeddings,
/// overrides and isolates, which make an editor show text in another order
/// than it is read ("Trojan Source").
pub(crate) fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `\uHHHH`: how a Fluent string literal writes `c` (every unsafe
/// character is in the Basic Multilingual Plane).
fn unicode_escape(c: char) -> String {
    format!("\\u{:04X}", u32::from(c))
}

/// A comment line with each unsafe character shown as its `\uHHHH` escape:
/// comments have no escapes of their own, and this one is visible.
pub(crate) fn safe_comment(line: &str) -> String {
    if !line.contains(is_unsafe) {
        return line.to_string();
    }
    line.chars().map(|c| if is_unsafe(c) { unicode_escape(c) } else { c.to_string() }).collect()
}

/// `entry` with every unsafe character escaped: in text, as a string-literal
/// placeable (`{ "\u001B" }`), which reads back as the character itself; in
/// string literals, as an escape; in comments, as visible escape text.
/// Everything else stays as it was.
pub(crate) fn safe_entry(entry: Entry<String>) -> Entry<String> {
    let comment = |c: Option<Comment<String>>| c.map(safe_comments);
    match entry {
        Entry::Message(mut m) => {
            m.value = m.value.map(safe_pattern);
            m.attributes = m.attributes.into_iter().map(safe_attribute).collect();
            m.comment = comment(m.comment);
            Entry::Message(m)
        }
        Entry::Term(mut t) => {
            t.value = safe_pattern(t.value);
            t.attributes = t.attributes.into_iter().map(safe_attribute).collect();
            t.comment = comment(t.comment);
            Entry::Term(t)
        }
        Entry::Comment(c) => Entry::Comment(safe_comments(c)),
        Entry::GroupComment(c) => Entry::GroupComment(safe_comments(c)),
        Entry::ResourceComment(c) => Entry::ResourceComment(safe_comments(c)),
        junk @ Entry::Junk { .. } => junk,
    }
}

fn safe_comments(c: Comment<String>) -> Comment<String> {
    Comment { content: c.content.iter().map(|l| safe_comment(l)).collect() }
}

fn safe_attribute(mut a: Attribute<String>) -> Attribute<String> {
    a.value = safe_pattern(a.value);
    a
}

fn safe_pattern(pattern: Pattern<String>) -> Pattern<String> {
    let mut elements = Vec::with_capacity(pattern.elements.len());
    for element in pattern.elements {
        match element {
            PatternElement::TextElement { value } if value.contains(is_unsafe) => {
                let mut run = String::new();
                for c in value.chars() {
                    if is_unsafe(c) {
                        if !run.is_empty() {
                            elements.push(PatternElement::TextElement {
                                value: std::mem::take(&mut run),
                            });
                        }
                        elements.push(PatternElement::Placeable {
                            expression: Expression::Inline(InlineExpression::StringLiteral {
                                value: unicode_escape(c),
                            }),
                        });
                    } else {
                        run.push(c);
                    }
                }
                if !run.is_empty() {
                    elements.push(PatternElement::TextElement { value: run });
                }
            }
            PatternElement::TextElement { value } => {
                elements.push(PatternElement::TextElement { value })
            }
            PatternElement::Placeable { expression } => {
                elements.push(PatternElement::Placeable { expression: safe_expression(expression) })
            }
        }
    }
    Pattern { elements }
}

fn safe_expression(expression: Expression<String>) -> Expression<String> {
    match expression {
        Expression::Inline(e) => Expression::Inline(safe_inline(e)),
        Expression::Select { selector, variants } => Expression::Select {
            selector: safe_inline(selector),
            variants: variants
                .into_iter()
                .map(|mut v| {
                    v.value = safe_pattern(v.value);
                    v
                })
                .collect(),
        },
    }
}

fn safe_inline(e: InlineExpression<String>) -> InlineExpression<String> {
    let args = |a: CallArguments<String>| CallArguments {
        positional: a.positional.into_iter().map(safe_inline).collect(),
        named: a
            .named
            .into_iter()
            .map(|mut n| {
                n.value = safe_inline(n.value);
                n
            })
            .collect(),
    };
    match e {
        InlineExpression::StringLiteral { value } => {
            InlineExpression::StringLiteral { value: safe_comment(&value) }
        }
        InlineExpression::FunctionReference { id, arguments } => {
            InlineExpression::FunctionReference { id, arguments: args(arguments) }
        }
        InlineExpression::TermReference { id, attribute, arguments } => {
            InlineExpression::TermReference { id, attribute, arguments: arguments.map(args) }
        }
        InlineExpression::Placeable { expression } => {
            InlineExpression::Placeable { expression: Box::new(safe_expression(*expression)) }
        }
        other => other,
    }
}
