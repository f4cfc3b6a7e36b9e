//! diglot-fluent: the article's Fluent locale files.
//!
//! Every sentence of an article is one Fluent message whose ID is the
//! sentence's [`diglot_core::SegmentId`]. This crate writes the reference file
//! (`locales/<source>/<slug>.ftl`, see [`write_reference`]), merges each
//! target file with the current article ([`merge_target`]: unchanged
//! translations kept, changed sentences flagged stale with their previous
//! source, vanished sentences moved to an obsolete section, untranslated
//! ones shown in place as commented-out messages, translators' comments and
//! their notes on diglot's own lines kept), reads target files into
//! [`diglot_core::Translations`] ([`parse_file`],
//! [`LocaleFile::translations`]) with `file:line:col` diagnostics, and
//! formats the edition's own strings ([`chrome`]). Files are read with any
//! line endings and written back with the ones they had; no control or
//! bidirectional formatting character is ever written as it is.
//!
//! It works on strings: it never touches the file system, so a caller can
//! check every file before writing any. Its output is deterministic and a
//! fixpoint: merging a file it wrote, with nothing changed, gives the same
//! bytes.

pub mod chrome;
mod file;
mod marks;
mod merge;
mod text;

pub use file::{FileMessage, LocaleFile, parse_file};
pub use merge::{
    Annotations, Article, MergeReport, Merged, StaleTranslation, merge_target, merge_target_with,
    write_reference,
};

use diglot_core::{SegmentId, Translations};

impl LocaleFile {
    /// The usable translations in this file, by segment ID. Messages in the
    /// obsolete section, or whose value is not plain text, are left out.
    pub fn translations(&self) -> Translations {
        let mut out = Translations::default();
        for msg in self.messages.iter().filter(|m| !m.obsolete) {
            if let (Some(id), Some(t)) = (SegmentId::parse(&msg.id), msg.translation()) {
                out.entries.insert(id, t);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fuzz_regressions;
