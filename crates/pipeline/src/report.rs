//! `report.json`: what a build published, for CI and for people.
//!
//! `status --json` prints an array of these reports, one per pipeline. Both
//! are described by `schemas/report.schema.json`, generated from these types
//! by [`report_schema`]; a test fails when the committed file differs. Types
//! that other crates own are described here by schema-only mirrors
//! (`schema::*`), which deny unknown fields so that a test validating real
//! output fails when they drift.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use diglot_core::{Coverage, Diagnostic, Edition, SegmentStatus};

use crate::{Pipeline, Prepared};

/// The machine-readable account of a build: `report.json`, and each item of
/// the array `status --json` prints. Its field order and contents are
/// stable: same inputs, same bytes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BuildReport {
    /// Bumped when a field changes meaning or goes away.
    pub format_version: u32,
    pub pipeline: String,
    pub slug: String,
    pub source: String,
    pub source_locale: String,
    pub locales: Vec<LocaleReport>,
    /// Problems found in the article and the locale files.
    #[schemars(with = "Vec<schema::Diagnostic>")]
    pub diagnostics: Vec<Diagnostic>,
    /// Files written to the output folder, relative to it.
    pub outputs: Vec<String>,
    /// What the translate step did, when the build ran it: per locale and
    /// per provider, segments and characters sent, cache hits, failures,
    /// circuit breaker state.
    #[serde(skip_serializing_if = "Vec::is_empty", skip_deserializing)]
    #[schemars(with = "Vec<schema::LocaleTranslation>", default)]
    pub translation: Vec<crate::LocaleTranslation>,
}

/// One locale's state.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LocaleReport {
    pub locale: String,
    /// Whether this is the article's own language.
    pub source: bool,
    /// The locale file, relative to the project.
    pub file: String,
    #[schemars(with = "schema::Coverage")]
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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SegmentRef {
    pub id: String,
    pub source: String,
}

impl BuildReport {
    pub(crate) fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("report serializes");
        json.push('\n');
        json
    }
}

/// The JSON Schema (draft 2020-12) of `report.json`, as committed in
/// `schemas/report.schema.json`.
pub fn report_schema() -> String {
    // The schema of what diglot writes (the build cache also reads reports
    // back, skipping the translate step's part, which the schema still has).
    let schema = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<BuildReport>();
    let mut json = serde_json::to_string_pretty(&schema).expect("schema serializes");
    json.push('\n');
    json
}

/// The `report.json` of a site (`diglot.toml` `[site]`): every file of the
/// site, and each article's report. Described by
/// `schemas/site-report.schema.json` ([`site_report_schema`]).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SiteReport {
    /// Bumped when a field changes meaning or goes away.
    pub format_version: u32,
    /// Every file of the site folder, relative to it, sorted.
    pub outputs: Vec<String>,
    /// Each article's report, in pipeline order; its `outputs` are the
    /// article's own files.
    pub articles: Vec<BuildReport>,
}

impl SiteReport {
    pub(crate) fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("reports serialize");
        json.push('\n');
        json
    }
}

/// The JSON Schema of a site's `report.json`, committed as
/// `schemas/site-report.schema.json`.
pub fn site_report_schema() -> String {
    let schema = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<SiteReport>();
    let mut json = serde_json::to_string_pretty(&schema).expect("schema serializes");
    json.push('\n');
    json
}

/// How the types of other crates serialize into a report, for the schema
/// only.
#[allow(dead_code)]
mod schema {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    /// An `Option<String>` that serde always writes: a string, or null.
    pub(crate) struct StringOrNull;

    impl JsonSchema for StringOrNull {
        fn schema_name() -> Cow<'static, str> {
            "StringOrNull".into()
        }

        fn inline_schema() -> bool {
            true
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "type": ["string", "null"] })
        }
    }

    /// How much of an edition is translated, over distinct segments.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    pub struct Coverage {
        pub total: usize,
        /// Reviewed translations (every segment, for the source locale).
        pub translated: usize,
        /// Drafts awaiting review; published, labelled.
        pub unreviewed: usize,
        pub stale: usize,
        pub missing: usize,
        pub words_total: usize,
        pub words_translated: usize,
    }

    #[derive(JsonSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum Severity {
        Warning,
        Error,
    }

    /// A problem in the article or a locale file, at file:line:col.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    pub struct Diagnostic {
        pub severity: Severity,
        /// The file, relative to the project.
        pub file: String,
        /// 1-based line.
        pub line: usize,
        /// 1-based column, in characters.
        pub col: usize,
        pub message_id: StringOrNull,
        /// What is wrong.
        pub message: String,
        /// How to fix it.
        pub help: StringOrNull,
        /// The source line the position points into.
        pub source_line: StringOrNull,
    }

    /// What the translate step did for one locale.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    pub struct LocaleTranslation {
        pub locale: String,
        /// Segments that were missing or stale.
        pub needed: usize,
        /// With `--dry-run`: what would be sent.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub plan: Option<Plan>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fill: Option<Fill>,
    }

    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    pub struct Plan {
        pub memory_exact: usize,
        pub memory_fuzzy: usize,
        pub provider: StringOrNull,
        pub cache_hits: usize,
        /// Segment IDs with their character counts.
        pub to_send: Vec<(String, usize)>,
        pub characters: usize,
        /// The memory or MT cache could not be read.
        pub problems: Vec<String>,
    }

    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    pub struct Fill {
        /// Segment IDs no source could fill.
        pub unfilled: Vec<String>,
        pub memory_exact: usize,
        pub memory_fuzzy: usize,
        pub memory_rejected: usize,
        /// Every draft refused, and why.
        pub rejected: Vec<RejectedDraft>,
        /// What went wrong in the engine itself (memory, cache, a panicked
        /// batch, the runtime).
        pub problems: Vec<String>,
        pub providers: Vec<ProviderStats>,
        pub interrupted: bool,
    }

    /// A draft the checks refused.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    pub struct RejectedDraft {
        /// The segment's message ID.
        pub id: String,
        /// Where the draft came from (`memory 82%`, a provider's name).
        pub origin: String,
        pub reason: Reason,
        /// What exactly differs.
        pub message: String,
    }

    /// Why a draft was refused.
    #[derive(JsonSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum Reason {
        Markup,
        Link,
        Code,
        Number,
        Empty,
        Count,
        Control,
    }

    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    pub struct ProviderStats {
        pub name: String,
        pub requests: usize,
        pub retries: usize,
        pub segments_sent: usize,
        pub characters_sent: usize,
        pub cache_hits: usize,
        pub drafts: usize,
        /// Drafts kept but flagged because they miss a glossary term.
        pub glossary_flagged: usize,
        pub rejected: usize,
        /// `rejected`, by reason.
        pub rejections: std::collections::BTreeMap<Reason, usize>,
        pub failures: usize,
        pub breaker: Breaker,
        pub last_error: StringOrNull,
    }

    /// A provider's circuit breaker at the end of the run.
    #[derive(JsonSchema)]
    #[serde(tag = "state", rename_all = "snake_case")]
    pub enum Breaker {
        Closed,
        Open { reason: String },
    }
}

/// Editions with their coverage, computed once.
#[derive(Clone, Copy)]
pub(crate) struct Covered<'a> {
    pub(crate) editions: &'a [Edition],
    pub(crate) coverages: &'a [Coverage],
}

pub(crate) fn build_report(
    pipeline: &Pipeline,
    prepared: &Prepared,
    covered: Covered<'_>,
    diagnostics: Vec<Diagnostic>,
    outputs: Vec<String>,
) -> BuildReport {
    let locales = covered
        .editions
        .iter()
        .zip(covered.coverages)
        .map(|(e, coverage)| {
            let coverage = coverage.clone();
            let mut seen = std::collections::HashSet::new();
            let refs = |status: SegmentStatus| -> Vec<SegmentRef> {
                // A stale translation published as it is is still stale.
                let shown_as = |s: SegmentStatus| match s {
                    SegmentStatus::Outdated => SegmentStatus::Stale,
                    s => s,
                };
                e.segments()
                    .filter(|s| shown_as(s.status) == status)
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

#[cfg(test)]
mod tests {
    /// `schemas/report.schema.json` is what the types generate. To update
    /// it after changing them: `DIGLOT_UPDATE_SCHEMA=1 cargo test -p diglot-pipeline`.
    #[test]
    fn the_committed_schema_is_up_to_date() {
        check_schema("report.schema.json", super::report_schema());
        check_schema("site-report.schema.json", super::site_report_schema());
    }

    fn check_schema(name: &str, generated: String) {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas").join(name);
        if std::env::var_os("DIGLOT_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is out of date with the report types: run `DIGLOT_UPDATE_SCHEMA=1 cargo test -p diglot-pipeline` and commit it",
            path.display()
        );
    }
}
