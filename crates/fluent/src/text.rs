//! Segment text <-> Fluent patterns.
//!
//! Segment messages hold plain text (Markdown inline). Fluent reserves `{`
//! and `}`, and a few characters at the start of a continuation line, so
//! those travel as string-literal placeables (`{"{"}`), which every Fluent
//! tool understands and which read back as the character itself.

use fluent_syntax::ast::{Expression, InlineExpression, Pattern, PatternElement};

/// A Fluent pattern that reads back as `text`.
pub fn pattern_from_text(text: &str) -> Pattern<String> {
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

/// Why a pattern is not plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotPlainText {
    /// The offending placeable as written, e.g. `{ $name }`.
    pub placeable: String,
}

/// The text a pattern stands for, when it has only text and literals.
pub fn text_from_pattern(pattern: &Pattern<String>) -> Result<String, NotPlainText> {
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
