//! The edition's own strings ("chrome"): byline, publication date, reading
//! time, translation notes, the language menu. diglot has them in several
//! languages (`editions/<language>.ftl`, compiled in); a project overrides
//! any message in `locales/<locale>/edition.ftl`. They are formatted here,
//! through fluent-bundle, into the [`diglot_core::Edition`]'s `strings` map,
//! so `render` never touches Fluent. Language names come from CLDR
//! ([`language_name`]).
//!
//! fluent-rs has no date function and formats numbers as plain `f64`s, so this
//! module adds a `DATETIME` function and a number formatter, both backed by
//! ICU4X data for the bundle's locale.

use std::collections::{BTreeMap, BTreeSet};

use diglot_core::{Diagnostic, IsoDate, Locale};
use fluent_bundle::memoizer::MemoizerKind;
use fluent_bundle::resolver::errors::{ReferenceKind, ResolverError};
use fluent_bundle::types::FluentNumber;
use fluent_bundle::{FluentArgs, FluentBundle, FluentError, FluentResource, FluentValue};
use fluent_syntax::ast;
use icu_calendar::Date;
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};

/// What the edition strings may refer to, as Fluent variables of the same
/// names (`$author`, `$published`, `$minutes`, `$source_language`,
/// `$translated`, `$total`, `$stale`, `$missing`, `$unreviewed`), plus
/// `$remaining` (`$total - $translated`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditionArgs {
    pub author: Option<String>,
    /// The publication date, ISO `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Reading time in minutes.
    pub minutes: u32,
    /// The primary subtag of the source language: `en` or `es`.
    pub source_language: String,
    pub translated: usize,
    pub total: usize,
    pub stale: usize,
    pub missing: usize,
    pub unreviewed: usize,
    /// Another edition of the article has the same language (`en-US` and
    /// `en-GB`): the default language name then names the variety too
    /// ("British English"), so the language menu can tell them apart.
    pub region_in_language_name: bool,
}

/// The project's own strings for an edition's locale.
#[derive(Debug, Clone, Copy)]
pub struct ProjectStrings<'a> {
    /// The file as the user names it (`locales/fr-FR/edition.ftl`), whether
    /// or not it exists: diagnostics name it, and tell to create it.
    pub file: &'a str,
    /// Its text, when the project has the file.
    pub source: Option<&'a str>,
}

/// The message that names the edition's language; CLDR gives its default.
pub(crate) const LANGUAGE_NAME: &str = "edition-language-name";

/// diglot's own edition strings, by language: every message of `en.ftl`
/// except [`LANGUAGE_NAME`], in each language.
const BUILT_IN: &[(&str, &str)] = &[
    ("ca", include_str!("../editions/ca.ftl")),
    ("de", include_str!("../editions/de.ftl")),
    ("en", include_str!("../editions/en.ftl")),
    ("es", include_str!("../editions/es.ftl")),
    ("fr", include_str!("../editions/fr.ftl")),
    ("it", include_str!("../editions/it.ftl")),
    ("pt", include_str!("../editions/pt.ftl")),
];

/// Where a region writes its language differently: only those messages,
/// over the language's.
const BUILT_IN_REGIONAL: &[(&str, &str)] = &[("pt-PT", include_str!("../editions/pt-PT.ftl"))];

/// The languages diglot has edition strings for (primary subtags).
pub(crate) fn built_in_languages() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(lang, _)| *lang)
}

fn built_in(language: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(lang, _)| *lang == language).map(|(_, ftl)| *ftl)
}

/// `language-REGION` of a locale, without script or variants.
fn locale_tag(locale: &Locale) -> String {
    match locale.region {
        Some(region) => format!("{}-{region}", locale.language),
        None => locale.language.to_string(),
    }
}

fn built_in_regional(locale: &Locale) -> Option<&'static str> {
    let tag = locale_tag(locale);
    BUILT_IN_REGIONAL.iter().find(|(t, _)| *t == tag).map(|(_, ftl)| *ftl)
}

/// Where a message's text comes from.
struct Origin<'a> {
    file: &'a str,
    source: &'a str,
}

/// Formats the edition strings of `locale`, message by message from the
/// first of:
///
/// 1. the project's file for the locale (`project`);
/// 2. diglot's strings for the locale's language (`fr-CA` uses `fr`),
///    formatted with the locale's own dates and numbers, with the few
///    messages a region writes differently (`pt-PT`) over them;
/// 3. for [`LANGUAGE_NAME`], the language's own name from CLDR;
/// 4. diglot's English strings, only when diglot has no strings in the
///    locale's language: then one warning names the messages shown in
///    English and the file to write them in.
///
/// So a page never shows English chrome while diglot has its language, and
/// never names its language wrongly. Attributes are formatted too, keyed
/// `message-id.attribute`.
///
/// A message that needs `$author` or `$published` when the article has none is
/// left out of the map, without a diagnostic: the page simply has no byline.
pub fn edition_strings(
    locale: &Locale,
    project: ProjectStrings<'_>,
    args: &EditionArgs,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let fluent_args = fluent_args(args);
    let absent: Vec<&str> = [
        ("author", args.author.is_none()),
        ("published", args.published.as_deref().is_none_or(|d| parse_iso_date(d).is_none())),
    ]
    .into_iter()
    .filter_map(|(name, absent)| absent.then_some(name))
    .collect();

    // Read with any line endings, as article locale files are.
    let project_text = project.source.map(|source| crate::file::Encoding::detect(source).1);
    let project_source: Option<&str> = project_text.as_deref();
    let language = locale.language.as_str();
    let built_in_file = format!("(diglot's built-in {language} edition strings)");
    let english_file = "(diglot's built-in en edition strings)";
    // One bundle for the locale: diglot's strings, then the project's over
    // them, so a project message may refer to a built-in one.
    let mut bundle = new_bundle(locale);
    let mut ids: BTreeMap<String, Origin> = BTreeMap::new();
    if let Some(ftl) = built_in(language) {
        let resource = built_in_resource(ftl);
        ids.extend(
            message_ids(&resource).map(|id| (id, Origin { file: &built_in_file, source: ftl })),
        );
        let _ = bundle.add_resource(resource);
    }
    let regional_file = format!("(diglot's built-in {} edition strings)", locale_tag(locale));
    if let Some(ftl) = built_in_regional(locale) {
        let resource = built_in_resource(ftl);
        ids.extend(
            message_ids(&resource).map(|id| (id, Origin { file: &regional_file, source: ftl })),
        );
        bundle.add_resource_overriding(resource);
    }
    if let Some(source) = project_source {
        let escapes = crate::file::unreadable_escapes(source);
        let resource = if !escapes.is_empty() {
            let locator = crate::file::Locator::new(source);
            diagnostics.extend(crate::file::escape_errors(project.file, &locator, &escapes));
            None
        } else {
            Some(match FluentResource::try_new(source.to_string()) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    let locator = crate::file::Locator::new(source);
                    for error in &errors {
                        diagnostics.push(crate::file::parse_error(project.file, &locator, error));
                    }
                    resource
                }
            })
        };
        if let Some(resource) = resource {
            ids.extend(
                message_ids(&resource).map(|id| (id, Origin { file: project.file, source })),
            );
            bundle.add_resource_overriding(resource);
        }
    }
    // English, only for a language diglot has no strings in.
    let english = built_in(language).is_none().then(|| {
        let en: Locale = "en".parse().expect("valid tag");
        let ftl = built_in("en").expect("diglot has English strings");
        let mut bundle = new_bundle(&en);
        let resource = built_in_resource(ftl);
        let english_ids: BTreeSet<String> = message_ids(&resource).collect();
        let _ = bundle.add_resource(resource);
        (bundle, english_ids, ftl)
    });

    if let Some(date) = &args.published
        && parse_iso_date(date).is_none()
    {
        let origin = ids
            .get("edition-published")
            .map_or(Origin { file: project.file, source: project_source.unwrap_or("") }, |o| {
                Origin { file: o.file, source: o.source }
            });
        let offset = message_offset(origin.source, "edition-published").unwrap_or(0);
        diagnostics.push(
            Diagnostic::error_at(
                origin.file,
                origin.source,
                offset,
                format!("the publication date `{date}` is not an ISO date"),
            )
            .with_message_id("edition-published")
            .with_help("give the date as YYYY-MM-DD; the date line is left out meanwhile")
            .warning(),
        );
    }

    let mut strings = BTreeMap::new();
    for (id, origin) in &ids {
        format_message(&bundle, id, origin, &fluent_args, &absent, &mut strings, &mut diagnostics);
    }
    if !ids.contains_key(LANGUAGE_NAME) {
        strings
            .insert(LANGUAGE_NAME.to_string(), language_name(locale, args.region_in_language_name));
    }
    if let Some((bundle, english_ids, ftl)) = &english {
        let in_english: Vec<&str> = english_ids
            .iter()
            .map(String::as_str)
            .filter(|id| !ids.contains_key(*id) && *id != LANGUAGE_NAME)
            .collect();
        let origin = Origin { file: english_file, source: ftl };
        for id in &in_english {
            format_message(
                bundle,
                id,
                &origin,
                &fluent_args,
                &absent,
                &mut strings,
                &mut diagnostics,
            );
        }
        if !in_english.is_empty() {
            diagnostics.push(shown_in_english(locale, project, &in_english));
        }
    }
    (strings, diagnostics)
}

/// Formats message `id` (and its attributes) of `bundle` into `strings`.
fn format_message(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    origin: &Origin,
    fluent_args: &FluentArgs,
    absent: &[&str],
    strings: &mut BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(message) = bundle.get_message(id) else { return };
    let offset = message_offset(origin.source, id).unwrap_or(0);
    let patterns = message
        .value()
        .map(|p| (id.to_string(), p))
        .into_iter()
        .chain(message.attributes().map(|a| (format!("{id}.{}", a.id()), a.value())));
    for (key, pattern) in patterns {
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(fluent_args), &mut errors);
        if errors.iter().any(|e| refers_to(e, absent)) {
            continue;
        }
        for error in &errors {
            diagnostics.push(
                Diagnostic::error_at(origin.file, origin.source, offset, format_error(error))
                    .with_message_id(id)
                    .with_help(
                        "variables available: $author, $published, $minutes, $source_language, \
                         $translated, $total, $remaining, $stale, $missing, $unreviewed",
                    ),
            );
        }
        strings.insert(key, text.into_owned());
    }
}

/// The warning for messages shown in English because diglot has no strings
/// in the locale's language and the project's file lacks them.
fn shown_in_english(locale: &Locale, project: ProjectStrings<'_>, ids: &[&str]) -> Diagnostic {
    let language = english_language_name(locale);
    let file = project.file;
    let message = match project.source {
        None => format!(
            "diglot has no edition strings in {language} ({locale}): the byline, dates, \
             translation notes and language menu of the {locale} edition are in English"
        ),
        Some(_) => format!(
            "{file} lacks {} message(s) diglot has no {language} text for, shown in English: {}",
            ids.len(),
            ids.join(", ")
        ),
    };
    let supported: Vec<&str> = built_in_languages().collect();
    let help = match project.source {
        None => format!(
            "create {file}: translate into {language} the English of \
             crates/fluent/editions/en.ftl in diglot's source (diglot has its own strings \
             for {})",
            supported.join(", ")
        ),
        Some(_) => format!(
            "add them, in {language}, to {file}; their English is in \
             crates/fluent/editions/en.ftl in diglot's source"
        ),
    };
    Diagnostic {
        severity: diglot_core::Severity::Warning,
        file: file.to_string(),
        line: 1,
        col: 1,
        message_id: None,
        message,
        help: Some(help),
        source_line: None,
    }
}

fn built_in_resource(ftl: &'static str) -> FluentResource {
    // Their unit tests keep the built-in files free of errors.
    FluentResource::try_new(ftl.to_string()).unwrap_or_else(|(resource, _)| resource)
}

fn message_ids(resource: &FluentResource) -> impl Iterator<Item = String> + '_ {
    resource.entries().filter_map(|entry| match entry {
        ast::Entry::Message(message) => Some(message.id.name.to_string()),
        _ => None,
    })
}

fn new_bundle(locale: &Locale) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new(vec![locale.id().clone()]);
    // Fluent wraps every placeable in FSI/PDI marks so that, say, an English
    // name inside Arabic text keeps its direction. The HTML carries `lang` and
    // `dir` itself, and the marks would leak into Markdown front matter and
    // JSON, where nothing interprets them.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_number));
    bundle.add_builtins().expect("a fresh bundle has no NUMBER");
    bundle
        .add_function("DATETIME", datetime_function(icu_locale(locale)))
        .expect("a fresh bundle has no DATETIME");
    bundle
}

/// `DATETIME($date)`: an ISO date as a long date of the bundle's locale.
fn datetime_function(
    locale: icu_locale_core::Locale,
) -> impl for<'a> Fn(&[FluentValue<'a>], &FluentArgs) -> FluentValue<'a> + Send + Sync + 'static {
    move |positional, _named| {
        let Some(FluentValue::String(iso)) = positional.first() else {
            return FluentValue::Error;
        };
        match format_date(&locale, iso) {
            Some(text) => FluentValue::String(text.into()),
            None => FluentValue::Error,
        }
    }
}

fn fluent_args(args: &EditionArgs) -> FluentArgs<'static> {
    let mut out = FluentArgs::new();
    if let Some(author) = &args.author {
        out.set("author", author.clone());
    }
    if let Some(date) = &args.published
        && parse_iso_date(date).is_some()
    {
        out.set("published", date.clone());
    }
    out.set("minutes", args.minutes);
    out.set("source_language", args.source_language.clone());
    out.set("translated", args.translated);
    // Fluent cannot compare two variables, so "all translated" is a select on this.
    out.set("remaining", args.total.saturating_sub(args.translated));
    out.set("total", args.total);
    out.set("stale", args.stale);
    out.set("missing", args.missing);
    out.set("unreviewed", args.unreviewed);
    out
}

/// Whether an error is only the absence of an optional variable.
fn refers_to(error: &FluentError, absent: &[&str]) -> bool {
    matches!(
        error,
        FluentError::ResolverError(ResolverError::Reference(ReferenceKind::Variable { id }))
            if absent.contains(&id.as_str())
    )
}

fn format_error(error: &FluentError) -> String {
    match error {
        FluentError::ResolverError(ResolverError::Reference(ReferenceKind::Variable { id })) => {
            format!("unknown variable `${id}`")
        }
        FluentError::ResolverError(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// The byte offset of a message's definition in FTL source.
fn message_offset(source: &str, id: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(id)
            && rest.trim_start_matches(' ').starts_with('=')
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Number and date formats go by the language identifier (extensions
/// aside).
fn icu_locale(locale: &Locale) -> icu_locale_core::Locale {
    icu_locale_core::Locale::try_from_str(&locale.id().to_string())
        .unwrap_or(icu_locale_core::Locale::UNKNOWN)
}

/// The date as ICU4X takes it, for strings core's [`IsoDate`] accepts.
fn parse_iso_date(iso: &str) -> Option<Date<icu_calendar::Iso>> {
    let date = IsoDate::parse(iso)?;
    Date::try_new_iso(i32::from(date.year), date.month, date.day).ok()
}

/// A long date in the locale's own calendar and pattern.
fn format_date(locale: &icu_locale_core::Locale, iso: &str) -> Option<String> {
    let date = parse_iso_date(iso)?;
    let formatter = DateTimeFormatter::try_new(locale.into(), YMD::long()).ok()?;
    Some(formatter.format(&date).to_string())
}

/// The bundle's locale as ICU4X spells it. The number formatter callback gets
/// no locale, only the bundle's memoizer, which hands it to `construct`.
/// (ICU4X formatters themselves cannot be memoized: with compiled data they
/// are not `Send`, which the memoizer requires. Building one is a lookup in
/// static data.)
struct IcuLocale(icu_locale_core::Locale);

impl intl_memoizer::Memoizable for IcuLocale {
    type Args = ();
    type Error = ();

    fn construct(lang: diglot_core::LanguageIdentifier, _: ()) -> Result<Self, ()> {
        Ok(IcuLocale(icu_locale(&Locale::from(lang))))
    }
}

fn format_number<M: MemoizerKind>(value: &FluentValue<'_>, intls: &M) -> Option<String> {
    let FluentValue::Number(number) = value else { return None };
    let decimal = to_decimal(number)?;
    intls
        .with_try_get_threadsafe::<IcuLocale, _, _>((), |locale| {
            // `Auto` applies CLDR's minimum grouping digits: Spanish writes
            // 1234 but 12.345.
            let strategy = if number.options.use_grouping {
                GroupingStrategy::Auto
            } else {
                GroupingStrategy::Never
            };
            let options: DecimalFormatterOptions = strategy.into();
            let formatter = DecimalFormatter::try_new((&locale.0).into(), options).ok()?;
            Some(formatter.format(&decimal).to_string())
        })
        .ok()
        .flatten()
}

fn to_decimal(number: &FluentNumber) -> Option<Decimal> {
    if !number.value.is_finite() {
        return None;
    }
    Decimal::try_from_str(&number.as_string()).ok()
}

mod names;

use names::english_language_name;
pub use names::{is_known_language, language_name};

#[cfg(test)]
mod tests;
