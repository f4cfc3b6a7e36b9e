//! `align`: an existing human translation of the article fills a target
//! locale file, sentence by sentence, as drafts to review.

use std::collections::BTreeMap;
use std::path::Path;

use diglot_core::{
    BlockKind, Diagnostic, Locale, Severity, Translation, TranslationState, Translations,
};
use serde::Serialize;

use crate::{Error, ExtractOutcome, Pipeline, fs, parse_locale};

/// Two or more sentences paired with one or more, as the report shows them.
#[derive(Debug, Clone, Serialize)]
pub struct AlignedRef {
    pub source: Vec<String>,
    pub target: Vec<String>,
    pub score: f64,
}

/// What [`Pipeline::align`] did.
#[derive(Debug, Default, Serialize)]
pub struct AlignOutcome {
    /// Sentences that got a draft (`# unreviewed: aligned (score)`).
    pub written: usize,
    /// Sentences paired but already translated in the locale file: kept.
    pub kept: usize,
    /// Two source sentences rendered by one target sentence: not written,
    /// since a message holds one sentence's translation.
    pub merged: Vec<AlignedRef>,
    /// Source sentences nothing in the translation was paired with.
    pub unpaired_source: Vec<String>,
    /// Sentences of the translation paired with no source sentence.
    pub unpaired_target: Vec<String>,
    #[serde(skip)]
    pub extract: ExtractOutcome,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Pipeline {
    /// Aligns `file`, a translation of the article into `locale` (text,
    /// Markdown or HTML), with the article, and writes each sentence it
    /// pairs into the locale file as a draft, where the sentence has no
    /// translation yet. A one-to-two pairing is written as the two
    /// sentences; a two-to-one pairing is reported, not written.
    ///
    /// A translation whose language is stated or detected (English or
    /// Spanish) as another than `locale`'s is refused, unless `force`.
    pub fn align(&self, locale: &str, file: &Path, force: bool) -> Result<AlignOutcome, Error> {
        let locale: Locale = parse_locale(locale)
            .map_err(|source| Error::Locale { path: self.shown.clone(), source })?;
        let prepared = self.prepare()?;
        let mut outcome =
            AlignOutcome { diagnostics: prepared.diagnostics.clone(), ..Default::default() };
        if outcome.diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Ok(outcome);
        }
        let target =
            prepared.targets.iter().find(|t| t.locale == locale).ok_or_else(|| Error::Config {
                path: self.shown.clone(),
                message: format!(
                    "{locale} is not a target locale of this pipeline ([edition] locales: {})",
                    self.config.edition.locales.join(", ")
                ),
            })?;
        let text = fs::read_to_string(file)?;
        let format = diglot_ingest::Format::from_path(file).ok_or_else(|| Error::Article {
            path: file.to_path_buf(),
            message: "cannot tell the format from the extension: use .txt, .md or .html".into(),
        })?;
        let (mut doc, skeleton) = diglot_ingest::read_with_skeleton(&text, format)
            .map_err(|source| Error::Ingest { path: file.to_path_buf(), source })?;
        // Values shown beside the text (a page's own <title>, front-matter
        // descriptions) pair only with the article's own: without any,
        // they would take the place of its first sentences.
        if !prepared.segmented.blocks.iter().any(|b| b.kind == BlockKind::Metadata) {
            doc.blocks.retain(|b| b.kind != BlockKind::Metadata);
        }
        let found = doc.lang.clone().or_else(|| diglot_ingest::detect_language(&doc.plain_text()));
        if let Some(found) = found.filter(|f| f.language != locale.language && !force) {
            return Err(Error::Article {
                path: file.to_path_buf(),
                message: format!(
                    "the translation reads as {}, not as {locale}: align it into a locale of its \
                     language, or pass --force if it is meant for {locale}",
                    language_name(&found)
                ),
            });
        }
        let rules = diglot_segment::Rules::for_language(locale.language.as_str());
        let mut translated = diglot_segment::segment(&doc, &rules);
        translated.lang = locale.clone();

        let no_references = BTreeMap::new();
        fn references<'a>(
            skeleton: &'a Option<diglot_core::Skeleton>,
            none: &'a BTreeMap<String, (String, String)>,
        ) -> &'a BTreeMap<String, (String, String)> {
            skeleton.as_ref().map_or(none, |s| &s.references)
        }
        let alignment = diglot_translate::align::align(
            diglot_translate::align::Side {
                segmented: &prepared.segmented,
                references: references(&prepared.skeleton, &no_references),
            },
            diglot_translate::align::Side {
                segmented: &translated,
                references: references(&skeleton, &no_references),
            },
        );
        let existing = target.file.translations();
        let mut drafts = Translations::default();
        for pair in &alignment.pairs {
            if pair.source.len() > 1 {
                outcome.merged.push(AlignedRef {
                    source: pair.source.iter().map(|s| s.text.clone()).collect(),
                    target: pair.target.clone(),
                    score: pair.score,
                });
                continue;
            }
            let segment = &pair.source[0];
            if existing.get(&segment.id).is_some() {
                outcome.kept += 1;
                continue;
            }
            let text = pair.target.join(" ");
            // What a reviewer should look at first: markup, links, code or
            // numbers that differ from the source's.
            let pair_of_locales =
                diglot_translate::Pair::new(prepared.source_locale.clone(), locale.clone());
            let checks =
                match diglot_translate::protect::check(&pair_of_locales, &segment.text, &text) {
                    Ok(()) => Vec::new(),
                    Err(rejection) => vec![rejection.to_string()],
                };
            let state = TranslationState::Unreviewed {
                origin: format!("aligned ({:.2})", pair.score),
                checks,
            };
            let draft = Translation { text, state };
            if drafts.entries.insert(segment.id.clone(), draft).is_none() {
                outcome.written += 1;
            }
        }
        outcome.unpaired_source =
            alignment.unpaired_source.iter().map(|s| s.text.clone()).collect();
        outcome.unpaired_target = alignment.unpaired_target;
        let drafts = BTreeMap::from([(locale, drafts)]);
        let prepared = self.prepare_with(&drafts, &BTreeMap::new())?;
        outcome.extract = self.write_locales(&prepared)?;
        Ok(outcome)
    }
}

/// `Spanish (es)`, `English (en)`: the languages diglot detects, by name.
fn language_name(locale: &Locale) -> String {
    let name = match locale.language.as_str() {
        "en" => "English",
        "es" => "Spanish",
        _ => return locale.to_string(),
    };
    format!("{name} ({locale})")
}
