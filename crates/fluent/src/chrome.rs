//! The edition's own strings ("chrome"): byline, publication date, reading
//! time, translation notes. They live in `locales/<locale>/edition.ftl` and are
//! formatted here, through fluent-bundle, into the [`diglot_core::Edition`]'s
//! `strings` map, so `render` never touches Fluent.
//!
//! fluent-rs has no date function and formats numbers as plain `f64`s, so this
//! module adds a `DATETIME` function and a number formatter, both backed by
//! ICU4X data for the bundle's locale.

use std::collections::{BTreeMap, BTreeSet};

use diglot_core::{Diagnostic, Locale};
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
}

/// Formats every message of the edition resources.
///
/// `resources` is in fallback order: `(locale, file name for diagnostics, FTL
/// source)`; the first is the edition's locale, later ones (e.g. en-US) fill
/// in messages it lacks, with a warning for each. Attributes are formatted
/// too, keyed `message-id.attribute`.
///
/// A message that needs `$author` or `$published` when the article has none is
/// left out of the map, without a diagnostic: the page simply has no byline.
///
/// Besides the messages, the map holds the raw [`META_PUBLISHED`] date and
/// [`META_AUTHOR`] name when they are known.
pub fn edition_strings(
    resources: &[(Locale, &str, &str)],
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

    let mut bundles = Vec::new();
    let mut all_ids = BTreeSet::new();
    // Read with any line endings, as article locale files are.
    let texts: Vec<_> =
        resources.iter().map(|(_, _, source)| crate::file::Encoding::detect(source).1).collect();
    for ((locale, file, _), source) in resources.iter().zip(&texts) {
        let source: &str = source;
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                for error in &errors {
                    diagnostics.push(crate::file::parse_error(file, source, error));
                }
                resource
            }
        };
        all_ids.extend(resource.entries().filter_map(|entry| match entry {
            ast::Entry::Message(message) => Some(message.id.name.to_string()),
            _ => None,
        }));
        bundles.push((locale, *file, source, new_bundle(locale, resource)));
    }

    if let Some(date) = &args.published
        && parse_iso_date(date).is_none()
        && let Some((_, file, source, _)) = bundles.first()
    {
        let offset = message_offset(source, "edition-published").unwrap_or(0);
        diagnostics.push(
            Diagnostic::error_at(
                file,
                source,
                offset,
                format!("the publication date `{date}` is not an ISO date"),
            )
            .with_message_id("edition-published")
            .with_help("give the date as YYYY-MM-DD; the date line is left out meanwhile")
            .warning(),
        );
    }

    let mut strings = BTreeMap::new();
    for id in all_ids.iter().map(String::as_str) {
        let Some(found) = bundles.iter().position(|(_, _, _, b)| b.has_message(id)) else {
            continue;
        };
        let (locale, file, source, bundle) = &bundles[found];
        let offset = message_offset(source, id).unwrap_or(0);
        if found > 0 {
            let (first_locale, first_file, _, _) = &bundles[0];
            diagnostics.push(
                Diagnostic::error_at(
                    file,
                    source,
                    offset,
                    format!("`{id}` is missing from {first_file}; the {locale} text is used"),
                )
                .with_message_id(id)
                .with_help(format!("translate it into {first_locale} in {first_file}"))
                .warning(),
            );
        }
        let Some(message) = bundle.get_message(id) else { continue };
        let patterns = message
            .value()
            .map(|p| (id.to_string(), p))
            .into_iter()
            .chain(message.attributes().map(|a| (format!("{id}.{}", a.id()), a.value())));
        for (key, pattern) in patterns {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if errors.iter().any(|e| refers_to(e, &absent)) {
                continue;
            }
            for error in &errors {
                diagnostics.push(
                    Diagnostic::error_at(file, source, offset, format_error(error))
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
    // Data rather than messages, for what needs the raw value (Markdown front
    // matter, `<time datetime>`); diglot-render reads these two keys.
    if let Some(date) = args.published.as_deref().filter(|d| parse_iso_date(d).is_some()) {
        strings.insert(META_PUBLISHED.to_string(), date.trim().to_string());
    }
    if let Some(author) = &args.author {
        strings.insert(META_AUTHOR.to_string(), author.clone());
    }
    (strings, diagnostics)
}

/// Key of the ISO publication date in the returned map.
pub const META_PUBLISHED: &str = "meta-published";
/// Key of the author's name, as written, in the returned map.
pub const META_AUTHOR: &str = "meta-author";

fn new_bundle(locale: &Locale, resource: FluentResource) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new(vec![locale.clone()]);
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
    // Overrides are impossible: each bundle holds one resource, and a
    // duplicate message inside it is a parse-level concern fluent-syntax keeps.
    let _ = bundle.add_resource(resource);
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

fn icu_locale(locale: &Locale) -> icu_locale_core::Locale {
    icu_locale_core::Locale::try_from_str(&locale.to_string())
        .unwrap_or(icu_locale_core::Locale::UNKNOWN)
}

fn parse_iso_date(iso: &str) -> Option<Date<icu_calendar::Iso>> {
    let mut parts = iso.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::try_new_iso(year, month, day).ok()
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

    fn construct(lang: Locale, _: ()) -> Result<Self, ()> {
        Ok(IcuLocale(icu_locale(&lang)))
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

#[cfg(test)]
mod tests;
