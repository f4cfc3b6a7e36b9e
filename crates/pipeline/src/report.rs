//! `report.json`: what a build published, for CI and for people.

use serde::{Deserialize, Serialize};

use diglot_core::{Coverage, Diagnostic, Edition, SegmentStatus};

use crate::{Pipeline, Prepared};

/// The machine-readable account of a build (also what `status --json`
/// prints). Its field order and contents are stable: same inputs, same bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildReport {
    /// Bumped when a field changes meaning or goes away.
    pub format_version: u32,
    pub pipeline: String,
    pub slug: String,
    pub source: String,
    pub source_locale: String,
    pub locales: Vec<LocaleReport>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files written to the output folder, relative to it.
    pub outputs: Vec<String>,
    /// What the translate step did, when the build ran it: per locale and
    /// per provider, segments and characters sent, cache hits, failures,
    /// circuit breaker state.
    #[serde(skip_serializing_if = "Vec::is_empty", skip_deserializing)]
    pub translation: Vec<crate::LocaleTranslation>,
}

/// One locale's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocaleReport {
    pub locale: String,
    /// Whether this is the article's own language.
    pub source: bool,
    /// The locale file, relative to the project.
    pub file: String,
    pub coverage: Coverage,
    /// `coverage` as a percentage, rounded to one decimal.
    pub percent: f64,
    /// Segments published in the source language because no translation
    /// exists.
    pub missing: Vec<SegmentRef>,
    /// Segments whose translation was made for an earlier source text.
    pub stale: Vec<SegmentRef>,
    /// Segments published from an unreviewed draft.
    pub unreviewed: Vec<SegmentRef>,
}

/// A segment named in a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SegmentRef {
    pub id: String,
    pub source: String,
}

impl BuildReport {
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("report serializes");
        json.push('\n');
        json
    }
}

pub(crate) fn build_report(
    pipeline: &Pipeline,
    prepared: &Prepared,
    editions: &[Edition],
    diagnostics: Vec<Diagnostic>,
    outputs: Vec<String>,
) -> BuildReport {
    let locales = editions
        .iter()
        .map(|e| {
            let coverage = e.coverage();
            let mut seen = std::collections::HashSet::new();
            let refs = |status: SegmentStatus| -> Vec<SegmentRef> {
                e.segments()
                    .filter(|s| s.status == status)
                    .map(|s| SegmentRef { id: s.id.to_string(), source: s.source.clone() })
                    .collect()
            };
            let dedupe = |v: Vec<SegmentRef>,
                          seen: &mut std::collections::HashSet<String>|
             -> Vec<SegmentRef> {
                v.into_iter().filter(|r| seen.insert(r.id.clone())).collect()
            };
            let path = if e.is_source() {
                prepared.reference_path.clone()
            } else {
                prepared
                    .targets
                    .iter()
                    .find(|t| t.locale == e.locale)
                    .map(|t| t.path.clone())
                    .unwrap_or_default()
            };
            LocaleReport {
                locale: e.locale.to_string(),
                source: e.is_source(),
                file: pipeline.rel(&path),
                percent: (coverage.percent() * 10.0).round() / 10.0,
                coverage,
                missing: dedupe(refs(SegmentStatus::Missing), &mut seen),
                stale: dedupe(refs(SegmentStatus::Stale), &mut seen),
                unreviewed: dedupe(refs(SegmentStatus::Unreviewed), &mut seen),
            }
        })
        .collect();
    BuildReport {
        format_version: 1,
        pipeline: pipeline.rel(&pipeline.path),
        slug: pipeline.slug.clone(),
        source: pipeline.rel(&pipeline.root.join(&pipeline.config.article.source)),
        source_locale: prepared.source_locale.to_string(),
        locales,
        diagnostics,
        outputs,
        translation: Vec::new(),
    }
}
