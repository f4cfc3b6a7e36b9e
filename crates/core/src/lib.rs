//! diglot-core: the types every stage of diglot hands to the next.
//!
//! A [`Document`] (title, headings, paragraphs, quotes, list items with inline
//! markup kept as structure) is what `ingest` produces. `segment` turns it into
//! [`Segmented`] blocks of sentences, each with a stable [`SegmentId`]. The
//! `translate` stage fills a localized [`Edition`], which `render` publishes.
//! A Markdown article is also kept as a [`Skeleton`] (its source with the
//! ranges of translatable text marked), from which its Markdown editions
//! are made. Problems found in content are [`Diagnostic`]s: data, not
//! failures.
//!
//! This crate must never do I/O, spawn threads or depend on another diglot crate.

mod date;
mod diag;
mod doc;
mod edition;
pub mod entity;
mod id;
pub mod inline;
mod locale;
mod segmented;
pub mod similarity;
mod skeleton;
mod translations;

pub use date::IsoDate;
pub use diag::{Diagnostic, LineIndex, Severity};
pub use doc::{Block, BlockKind, Document, Inline};
pub use edition::{CountsOnce, Coverage, Edition, EditionBlock, LocalizedSegment, SegmentStatus};
pub use id::{SegmentId, fnv1a64, normalize as normalize_text};
pub use locale::{
    InvalidLocale, LanguageIdentifier, Locale, LocaleError, language_of, parse_locale,
};
pub use segmented::{Segment, Segmented, SegmentedBlock};
pub use skeleton::{
    ColumnAlign, Field, Footnote, FrontMatter, FrontMatterSyntax, HtmlMarkup, Skeleton,
    SourceFormat, Span, SpanKind, Verbatim, VerbatimKind,
};
pub use translations::{Translation, TranslationState, Translations};
