//! Exchange files for translators' CAT tools: a target locale exported as
//! XLIFF or PO, and such a file imported back into the locale file.
//!
//! An import goes through `fluent`'s merge, like machine-translation drafts
//! do, in two passes that use only what `fluent` already offers:
//!
//! 1. Every imported translation is merged as a draft. A message that
//!    already has a translation is first marked stale in the parsed file
//!    (its `state` field), because the merge lets drafts replace only
//!    missing and stale translations, never reviewed ones.
//! 2. The merged text is parsed again; the messages imported as reviewed
//!    get `Reviewed` state, and every imported message gets back the notes
//!    it had (pass 1 added a `previous translation:` note). Merging that
//!    file with no drafts writes the messages with their new values and
//!    states and leaves every other message, comment and term as it was.
//!
//! Nothing is written unless the imported file parses completely and the
//! locale files have no errors; then the reference file and the target
//! file are written atomically, and only when their bytes change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diglot_core::{
    Diagnostic, Locale, SegmentId, Severity, TranslationState, Translations, parse_locale,
};
use diglot_exchange::{Catalog, ImportPlan, Imported, Term};
use diglot_fluent::{Article, LocaleFile};
use diglot_translate::Pair;

pub use diglot_exchange::Skipped;
pub use diglot_exchange::xliff::Version as XliffVersion;

use crate::{Error, Pipeline, Prepared, Project, fs};

/// The exchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeFormat {
    Xliff(XliffVersion),
    Po,
}

impl ExchangeFormat {
    fn name(self) -> &'static str {
        match self {
            ExchangeFormat::Xliff(_) => "XLIFF",
            ExchangeFormat::Po => "PO",
        }
    }
}

/// An exported file, or the locale file errors that prevented it.
#[derive(Debug)]
pub struct Exported {
    pub text: Option<String>,
    /// Units (sentences) in the file.
    pub units: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    /// The pipeline (article) and locale imported into.
    pub slug: String,
    pub locale: String,
    /// The locale file, when one was written.
    pub written: Option<PathBuf>,
    /// Message IDs whose translation became reviewed, and drafts.
    pub reviewed: Vec<String>,
    pub drafts: Vec<String>,
    pub unchanged: usize,
    pub untranslated: usize,
    /// Units left alone because they no longer fit the article.
    pub skipped: Vec<Skipped>,
    /// Problems with the imported file or the locale files; when any is an
    /// error, nothing was written.
    pub diagnostics: Vec<Diagnostic>,
}

impl ImportOutcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

impl Pipeline {
    fn target_locale(&self, tag: &str) -> Result<Locale, Error> {
        let locale = parse_locale(tag)
            .map_err(|source| Error::Locale { path: self.shown.clone(), source })?;
        if !self.targets().contains(&locale) {
            return Err(Error::Config {
                path: self.shown.clone(),
                message: format!(
                    "{locale} is not a target locale of this pipeline (its targets: {})",
                    self.config.edition.locales.join(", ")
                ),
            });
        }
        Ok(locale)
    }

    /// A target locale as an exchange file, for a translator's tool.
    pub fn export_exchange(&self, locale: &str, format: ExchangeFormat) -> Result<Exported, Error> {
        let locale = self.target_locale(locale)?;
        let prepared = self.prepare()?;
        if prepared.diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Ok(Exported { text: None, units: 0, diagnostics: prepared.diagnostics });
        }
        let target =
            prepared.targets.iter().find(|t| t.locale == locale).ok_or_else(|| Error::Config {
                path: self.shown.clone(),
                message: format!("{locale} is the article's own language"),
            })?;
        let mut catalog = Catalog::new(
            &self.slug,
            &self.rel(&target.path),
            &prepared.segmented,
            &locale,
            &target.file.translations(),
        );
        let pair = Pair::new(prepared.source_locale.clone(), locale.clone());
        // Its warnings are among the prepared diagnostics.
        let (glossary, _) = self.glossary(&pair)?;
        if let Some(glossary) = glossary {
            for unit in catalog.groups.iter_mut().flat_map(|g| g.units.iter_mut()) {
                unit.terms = glossary
                    .terms_in(&unit.source)
                    .into_iter()
                    .map(|t| Term { source: t.source, target: t.target, dnt: t.dnt })
                    .collect();
            }
        }
        let diagnostics = prepared.diagnostics;
        let text = match format {
            ExchangeFormat::Xliff(version) => diglot_exchange::xliff::write(&catalog, version),
            ExchangeFormat::Po => diglot_exchange::po::write(&catalog),
        };
        Ok(Exported { text: Some(text), units: catalog.units().count(), diagnostics })
    }

    fn import_into(
        &self,
        imported: &Imported,
        locale: Locale,
        format: ExchangeFormat,
    ) -> Result<ImportOutcome, Error> {
        let mut outcome = ImportOutcome {
            slug: self.slug.clone(),
            locale: locale.to_string(),
            ..Default::default()
        };
        let prepared = self.prepare()?;
        outcome.diagnostics = prepared.diagnostics.clone();
        if outcome.has_errors() {
            return Ok(outcome);
        }
        let target = prepared
            .targets
            .iter()
            .find(|t| t.locale == locale)
            .expect("target_locale checked the locale");
        let current = target.file.translations();
        let origin = format!("{} import", format.name());
        let plan = diglot_exchange::plan_import(imported, &prepared.segmented, &current, &origin);
        outcome.skipped = plan.skipped.clone();
        outcome.unchanged = plan.unchanged;
        outcome.untranslated = plan.untranslated;
        for (id, t) in &plan.updates.entries {
            match t.state {
                TranslationState::Reviewed => outcome.reviewed.push(id.to_string()),
                _ => outcome.drafts.push(id.to_string()),
            }
        }
        if plan.updates.entries.is_empty() {
            return Ok(outcome);
        }
        let text = self.merge_imported(&prepared, &locale, &target.file, &target.path, &plan)?;
        // The target first, then the reference it was merged against, each
        // only if no one saved it since it was read.
        let written = fs::replace_file(&target.path, target.read.as_deref(), text.as_bytes())?;
        fs::replace_file(
            &prepared.reference_path,
            prepared.reference_read.as_deref(),
            prepared.reference_text.as_bytes(),
        )?;
        if written {
            outcome.written = Some(target.path.clone());
        }
        Ok(outcome)
    }

    /// The target file with the planned translations merged in (see the
    /// module's documentation for the two passes).
    fn merge_imported(
        &self,
        prepared: &Prepared,
        locale: &Locale,
        file: &LocaleFile,
        path: &Path,
        plan: &ImportPlan,
    ) -> Result<String, Error> {
        let source_rel = self.rel(&self.root.join(&self.config.article.source));
        let article =
            Article { slug: &self.slug, source_path: &source_rel, segmented: &prepared.segmented };
        let (reference, _) = diglot_fluent::parse_file(
            &self.rel(&prepared.reference_path),
            &prepared.reference_text,
            &prepared.source_locale,
        );
        let updates = &plan.updates.entries;

        let mut first = file.clone();
        let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for msg in first.messages.iter_mut().filter(|m| !m.obsolete) {
            if SegmentId::parse(&msg.id).is_some_and(|id| updates.contains_key(&id)) {
                notes.insert(msg.id.clone(), msg.notes.clone());
                msg.state = TranslationState::Stale { previous_source: String::new() };
            }
        }
        let mut drafts = Translations::default();
        for (id, t) in updates {
            let mut draft = t.clone();
            draft.state = TranslationState::Unreviewed { origin: "import".into(), checks: vec![] };
            drafts.entries.insert(id.clone(), draft);
        }
        let pass1 =
            diglot_fluent::merge_target(&article, locale, &first, Some(&reference), &drafts);

        let rel = self.rel(path);
        let (mut second, _) = diglot_fluent::parse_file(&rel, &pass1.text, &prepared.source_locale);
        for msg in second.messages.iter_mut().filter(|m| !m.obsolete) {
            let Some(t) = SegmentId::parse(&msg.id).and_then(|id| updates.get(&id)) else {
                continue;
            };
            msg.state = t.state.clone();
            msg.notes = notes.get(&msg.id).cloned().unwrap_or_default();
        }
        let annotations = diglot_fluent::Annotations {
            glossary: self.glossary_terms(locale, &prepared.segmented)?.0,
            ..Default::default()
        };
        let pass2 = diglot_fluent::merge_target_with(
            &article,
            locale,
            &second,
            Some(&reference),
            &Translations::default(),
            &annotations,
        );

        // The merge must have written exactly what the plan says; anything
        // else is a bug, and writing it could lose a translation.
        let (check, _) = diglot_fluent::parse_file(&rel, &pass2.text, &prepared.source_locale);
        let written = check.translations();
        let before = file.translations();
        for (id, t) in &written.entries {
            let expected = updates.get(id).or_else(|| before.get(id));
            if expected != Some(t) {
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    message: format!(
                        "merging the import would change `{id}` unexpectedly; nothing was written"
                    ),
                });
            }
        }
        if written.entries.len() < before.entries.len() {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: "merging the import would drop translations; nothing was written".into(),
            });
        }
        Ok(pass2.text)
    }
}

impl Project {
    /// Imports an exchange file (XLIFF or PO, as `format` says) into the
    /// target locale file it was exported from. `pipeline` names the
    /// pipeline when the file does not, or to check that it matches;
    /// `locale` likewise.
    pub fn import_exchange(
        &self,
        file: &Path,
        format: ExchangeFormat,
        pipeline: Option<&str>,
        locale: Option<&str>,
    ) -> Result<ImportOutcome, Error> {
        let text = fs::read_to_string(file)?;
        let shown = file.strip_prefix(self.root()).unwrap_or(file).to_string_lossy().into_owned();
        let parsed = match format {
            ExchangeFormat::Xliff(_) => diglot_exchange::xliff::read(&shown, &text),
            ExchangeFormat::Po => diglot_exchange::po::read(&shown, &text),
        };
        let imported = match parsed {
            Ok(imported) => imported,
            Err(diagnostic) => {
                return Ok(ImportOutcome { diagnostics: vec![*diagnostic], ..Default::default() });
            }
        };
        let pipeline = match (pipeline, imported.slug.as_deref()) {
            (Some(name), _) => self.pipeline(name)?,
            (None, Some(slug)) => {
                let all = self.pipelines()?;
                let found = all.iter().find(|p| p.slug() == slug).cloned();
                found.ok_or_else(|| Error::Config {
                    path: file.to_path_buf(),
                    message: format!(
                        "the file was exported from the article `{slug}`, which no pipeline of this project publishes; name the pipeline to import into"
                    ),
                })?
            }
            (None, None) => {
                let mut all = self.pipelines()?;
                if all.len() != 1 {
                    return Err(Error::Config {
                        path: file.to_path_buf(),
                        message: "the file does not say which article it is from; name the pipeline to import into".into(),
                    });
                }
                all.remove(0)
            }
        };
        if let Some(slug) = imported.slug.as_deref().filter(|s| *s != pipeline.slug()) {
            return Err(Error::Config {
                path: file.to_path_buf(),
                message: format!(
                    "the file was exported from the article `{slug}`, not `{}`",
                    pipeline.slug()
                ),
            });
        }
        let tag = match (locale, imported.target_locale.as_deref()) {
            (Some(given), Some(found)) if !compatible(given, found) => {
                return Err(Error::Config {
                    path: file.to_path_buf(),
                    message: format!("the file holds {found} translations, not {given}"),
                });
            }
            (Some(given), _) => given.to_string(),
            (None, Some(found)) => found.to_string(),
            (None, None) => match pipeline.config.edition.locales.as_slice() {
                [only] => only.clone(),
                _ => {
                    return Err(Error::Config {
                        path: file.to_path_buf(),
                        message: "the file does not say its language; pass --locale".into(),
                    });
                }
            },
        };
        // Tools may write only the language (`es` for `es-ES`): that names the
        // pipeline's one target in that language.
        let locale = match pipeline.target_locale(&tag) {
            Ok(locale) => locale,
            Err(e) => {
                let language = parse_locale(&tag).ok().filter(|l| l.region.is_none());
                let same: Vec<Locale> = pipeline
                    .targets()
                    .into_iter()
                    .filter(|t| language.as_ref().is_some_and(|l| l.language == t.language))
                    .collect();
                match same.as_slice() {
                    [only] => only.clone(),
                    _ => return Err(e),
                }
            }
        };
        pipeline.import_into(&imported, locale, format)
    }
}

/// Whether two tags name the same locale, or one is the other's language
/// alone (`es` and `es-ES`).
fn compatible(a: &str, b: &str) -> bool {
    match (parse_locale(a), parse_locale(b)) {
        (Ok(a), Ok(b)) => {
            a == b || (a.language == b.language && (a.region.is_none() || b.region.is_none()))
        }
        _ => false,
    }
}

/// The first line of every file diglot exports, by format: what tells a
/// file diglot may replace from one a person wrote.
const EXPORT_MARKS: [&str; 2] = ["Exported by diglot.", "exported by diglot."];

/// Writes an exported file to `path` (atomically; skipped when unchanged).
/// Refuses to replace an existing file that diglot did not export.
pub fn save_export(path: &Path, text: &str) -> Result<bool, Error> {
    let existing = fs::read_bytes_optional(path)?;
    if let Some(existing) = &existing {
        let existing = String::from_utf8_lossy(existing);
        if !EXPORT_MARKS.iter().any(|m| existing.contains(m)) {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the file exists and was not exported by diglot; choose another name or move it away",
                ),
            });
        }
    }
    fs::replace_file(path, existing.as_deref(), text.as_bytes())
}
