//! diglot-exchange: the files translators take into their CAT tools
//! (OmegaT, Trados, memoQ, Poedit, Lokalize, Weblate) and bring back.
//!
//! A [`Catalog`] is one target locale of one article: its sentences grouped
//! by heading, paragraph and list item as the locale file groups them, each
//! with its translation and that translation's state. [`xliff`] writes it
//! as XLIFF 2.0 or 1.2, [`po`] as a gettext PO file. Reading a file back
//! gives [`Imported`] units; [`plan_import`] compares them with the article
//! and the locale file and says which translations change, and which units
//! it leaves alone and why.
//!
//! Inline markup travels as codes the tools protect (XLIFF) or as the same
//! Markdown the locale files hold (PO); link targets and code spans are
//! checked on the way back.
//!
//! This crate works on strings and `core` values: it never touches the file
//! system, and it never writes Fluent syntax (the pipeline merges the
//! planned translations through `fluent`). Its output is deterministic.

mod markup;
pub mod po;
pub mod xliff;

use std::collections::{BTreeMap, HashMap, HashSet};

use diglot_core::{
    BlockKind, Locale, SegmentId, Segmented, Translation, TranslationState, Translations, inline,
};

/// One target locale of one article, ready to export.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The article's slug.
    pub slug: String,
    pub source_locale: Locale,
    pub target_locale: Locale,
    /// The target locale file, relative to the project: where imports go.
    pub file: String,
    pub groups: Vec<Group>,
}

/// Sentences of one block of the article, under the label its locale file
/// gives it (`Title`, `Heading: …`, `Paragraph 6`).
#[derive(Debug, Clone)]
pub struct Group {
    /// `g1`, `g2`, … in article order.
    pub id: String,
    pub label: String,
    pub units: Vec<Unit>,
}

/// One sentence: a message of the locale file.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: SegmentId,
    /// The source sentence (Markdown inline).
    pub source: String,
    pub translation: Option<Translation>,
    /// Where the sentence stands, for the translator: `Paragraph 6,
    /// sentence 2 of 3`.
    pub location: String,
    /// Glossary terms the sentence contains (empty unless the caller adds
    /// them).
    pub terms: Vec<Term>,
}

/// A glossary term, as a note for the translator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub source: String,
    pub target: String,
    /// Do not translate: keep the source term.
    pub dnt: bool,
}

impl Term {
    fn note(&self) -> String {
        if self.dnt {
            format!("Glossary: {} (do not translate)", self.source)
        } else {
            format!("Glossary: {} → {}", self.source, self.target)
        }
    }
}

impl Catalog {
    /// The catalog of `target_locale` for an article. `file` names the
    /// target locale file; `translations` are what it holds. A sentence that
    /// occurs twice is one unit, at its first place, as in the locale file.
    pub fn new(
        slug: &str,
        file: &str,
        segmented: &Segmented,
        target_locale: &Locale,
        translations: &Translations,
    ) -> Catalog {
        let mut counters: BTreeMap<&str, usize> = BTreeMap::new();
        let mut seen: HashSet<&SegmentId> = HashSet::new();
        let mut groups = Vec::new();
        for block in segmented.blocks.iter().filter(|b| !b.segments.is_empty()) {
            let n = counters.entry(block.kind.label()).or_default();
            *n += 1;
            let label = group_label(block.kind, *n, &block.segments);
            let count = block.segments.len();
            let units: Vec<Unit> = block
                .segments
                .iter()
                .enumerate()
                // A sentence with nothing to translate is no message.
                .filter(|(_, s)| !inline::is_verbatim(&s.text) && seen.insert(&s.id))
                .map(|(i, s)| Unit {
                    id: s.id.clone(),
                    source: s.text.clone(),
                    translation: translations.get(&s.id).cloned(),
                    location: if count == 1 {
                        label.clone()
                    } else {
                        format!("{label}, sentence {} of {count}", i + 1)
                    },
                    terms: Vec::new(),
                })
                .collect();
            if !units.is_empty() {
                groups.push(Group { id: format!("g{}", groups.len() + 1), label, units });
            }
        }
        Catalog {
            slug: slug.to_string(),
            source_locale: segmented.lang.clone(),
            target_locale: target_locale.clone(),
            file: file.to_string(),
            groups,
        }
    }

    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.groups.iter().flat_map(|g| g.units.iter())
    }
}

/// The label diglot's locale files give a block (their `##` comments).
fn group_label(kind: BlockKind, n: usize, segments: &[diglot_core::Segment]) -> String {
    match kind {
        BlockKind::Title => "Title".to_string(),
        BlockKind::Heading { .. } => {
            let text: Vec<String> =
                segments.iter().map(|s| inline::plain_text_of_markdown(&s.text)).collect();
            format!("Heading: {}", one_line(&text.join(" ")))
        }
        BlockKind::TableCell { table, row, col, .. } => {
            format!("Table cell {n} (table {}, row {}, column {})", table + 1, row + 1, col + 1)
        }
        kind => format!("{} {n}", kind.label()),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Notes on a unit's glossary terms and its translation's state, by
/// category, shown in the translator's tool.
fn unit_notes(unit: &Unit) -> Vec<(&'static str, String)> {
    let mut notes: Vec<(&'static str, String)> =
        unit.terms.iter().map(|t| ("term", t.note())).collect();
    notes.extend(state_notes(unit.translation.as_ref()));
    notes
}

fn state_notes(translation: Option<&Translation>) -> Vec<(&'static str, String)> {
    match translation.map(|t| &t.state) {
        Some(TranslationState::Stale { previous_source }) => vec![(
            "stale",
            format!(
                "The source sentence changed since this was translated. It was: {}",
                one_line(previous_source)
            ),
        )],
        Some(TranslationState::Unreviewed { origin, checks }) => {
            let mut notes = vec![("draft", format!("Draft from {origin}, not reviewed yet."))];
            notes.extend(checks.iter().map(|c| ("check", format!("Check: {}", one_line(c)))));
            notes
        }
        Some(TranslationState::Reviewed) | None => Vec::new(),
    }
}

/// A file read back from a translator's tool.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The languages the file declares, when it does.
    pub source_locale: Option<String>,
    pub target_locale: Option<String>,
    /// The article the file was exported from, when it says.
    pub slug: Option<String>,
    pub units: Vec<ImportedUnit>,
}

/// One unit (XLIFF) or entry (PO) of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedUnit {
    /// The message ID.
    pub id: String,
    /// The line the unit starts on, for reports.
    pub line: usize,
    /// The source sentence as the file has it (Markdown inline).
    pub source: String,
    /// The translation (Markdown inline); `None` when empty or absent.
    pub target: Option<String>,
    pub state: ImportedState,
}

/// How far the translator's tool says a translation has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedState {
    /// Not translated, or needing translation (XLIFF `initial`).
    Initial,
    /// Translated, not reviewed (XLIFF `translated`, PO `fuzzy`).
    Translated,
    /// Done (XLIFF `reviewed` and `final`, a PO entry without `fuzzy`).
    Final,
}

/// What an import changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// The translations to write, each `Reviewed` or `Unreviewed`.
    pub updates: Translations,
    /// Units left alone because they no longer fit the article.
    pub skipped: Vec<Skipped>,
    /// Units whose translation and state are already in the locale file.
    pub unchanged: usize,
    /// Units with no translation in the file.
    pub untranslated: usize,
}

/// A unit an import left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub line: usize,
    pub reason: String,
}

/// Decides what importing `imported` into a locale file holding `current`
/// changes, for the article `segmented`.
///
/// A unit is applied only when its message is still a sentence of the
/// article and its source is that sentence's current text; others are
/// skipped with the reason. A translation that drops or changes a link
/// target or a code span is skipped too. A unit whose text is what the
/// locale file has changes nothing unless it is marked final, which
/// accepts a draft or a stale translation as reviewed; a changed text is
/// written reviewed when final, otherwise as a draft whose origin is
/// `origin`.
pub fn plan_import(
    imported: &Imported,
    segmented: &Segmented,
    current: &Translations,
    origin: &str,
) -> ImportPlan {
    let sources: HashMap<&str, &str> =
        segmented.segments().map(|s| (s.id.as_str(), s.text.as_str())).collect();
    let mut plan = ImportPlan::default();
    let mut seen = HashSet::new();
    for unit in &imported.units {
        let skip = |reason: String| Skipped { id: unit.id.clone(), line: unit.line, reason };
        if !seen.insert(unit.id.as_str()) {
            plan.skipped.push(skip("appears twice in the file; the first one was used".into()));
            continue;
        }
        let (Some(source), Some(id)) = (sources.get(unit.id.as_str()), SegmentId::parse(&unit.id))
        else {
            plan.skipped.push(skip(
                "no sentence of the article has this ID any more (it was edited or removed): export again".into(),
            ));
            continue;
        };
        if markup::canonical(&unit.source) != markup::canonical(source) {
            plan.skipped.push(skip(format!(
                "the source differs from the article's sentence, which is now: {}; export again",
                one_line(source)
            )));
            continue;
        }
        let Some(target) = unit.target.as_deref().filter(|t| !t.trim().is_empty()) else {
            plan.untranslated += 1;
            continue;
        };
        let target = markup::canonical(target);
        let (want, have) = (markup::protected(source), markup::protected(&target));
        if want != have {
            plan.skipped.push(skip(format!(
                "the translation must keep the source's links and code ({}) but has ({})",
                want.join(", "),
                have.join(", ")
            )));
            continue;
        }
        let existing = current.get(&id);
        let same_text = existing.is_some_and(|t| markup::canonical(&t.text) == target);
        // A unit not marked done is a draft, and a draft never replaces a
        // reviewed translation: the locale file may have been reviewed
        // after the export, and the file still holds what it had then.
        if unit.state != ImportedState::Final
            && !same_text
            && matches!(existing.map(|t| &t.state), Some(TranslationState::Reviewed))
        {
            plan.skipped.push(skip(
                "the locale file has a reviewed translation and this unit is not marked done (XLIFF final, PO without fuzzy): mark it done to replace that translation"
                    .into(),
            ));
            continue;
        }
        let state = match (unit.state, same_text) {
            (ImportedState::Final, true)
                if matches!(existing.map(|t| &t.state), Some(TranslationState::Reviewed)) =>
            {
                None
            }
            (ImportedState::Final, _) => Some(TranslationState::Reviewed),
            (_, true) => None,
            (_, false) => Some(TranslationState::Unreviewed {
                origin: origin.to_string(),
                checks: Vec::new(),
            }),
        };
        match state {
            None => plan.unchanged += 1,
            Some(state) => {
                plan.updates.entries.insert(id, Translation { text: target, state });
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests;
