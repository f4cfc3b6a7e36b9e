//! Translation memory (TM) and the machine-translation cache, in one SQLite
//! database file (e.g. `<project>/.diglot/memory.sqlite`).
//!
//! The memory holds reviewed pairs of sentences per language [`Pair`]; the
//! engine asks it for an [`exact`](Memory::exact) match before anything
//! else, then for a [`fuzzy`](Memory::fuzzy) one, and exchanges it with
//! other tools as TMX 1.4b ([`Memory::import_tmx`], [`Memory::export_tmx`]).
//! The MT cache ([`Memory::cached`], [`Memory::store`]) makes sure the same
//! protected text is never paid for twice with the same provider settings.
//!
//! # Text
//!
//! Sources and targets are stored in the form segment IDs are computed
//! from ([`normalize`]): Unicode NFC, runs of white space folded to one
//! space, none at either end. Exact matching compares that form and is
//! case-sensitive.
//!
//! # Fuzzy score
//!
//! Texts are compared as sequences of *tokens*: a word is a run of
//! characters that are neither white space nor punctuation, lower-cased;
//! each punctuation character is a token of its own (so "Hello." and
//! "Hello?" differ, as their translations would). With `d` the edit distance
//! over tokens (insert, delete, substitute, each 1) and `n`, `m` the token
//! counts, `score = 1 - d / max(n, m)`. Only an exact match scores 1.0: an
//! entry whose tokens equal the query's but whose text differs (letter case,
//! spacing around punctuation) counts as half a token edited. A match needs
//! `d <= (1 - threshold) * max(n, m)` (give or take 1e-9 of rounding),
//! which is `score >= threshold`. Ties go to the smaller
//! difference in token count, then to the older entry (lower id). The
//! lookup goes through an index that provably finds the same best match as
//! a scan (see `index.rs`).
//!
//! # Code
//!
//! `store.rs`: the SQLite file (race-free creation, WAL mode, integrity
//! check, read-only snapshots), entries, exact and fuzzy lookups, the MT
//! cache. `index.rs`: the fuzzy index and its tokens. `tmx.rs`: TMX in and
//! out.

mod index;
mod store;
mod tmx;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::Pair;

#[cfg(test)]
use index::tokens;
use index::{PairIndex, similarity};

/// A translation memory and MT cache: one SQLite database.
pub struct Memory {
    conn: Connection,
    path: PathBuf,
    /// Pair ids seen committed; pairs are never deleted.
    pair_ids: RefCell<HashMap<String, i64>>,
    indexes: RefCell<HashMap<i64, PairIndex>>,
    /// Bumped on every write to `tm_entry` through this connection; with
    /// `PRAGMA data_version` (other connections' writes) it tells whether an
    /// index may be behind.
    writes: Cell<u64>,
}

impl fmt::Debug for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memory").field("path", &self.path).finish_non_exhaustive()
    }
}

/// A memory entry found for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub source: String,
    pub target: String,
    /// 1.0 for an exact match.
    pub score: f64,
    /// Where the entry came from: `locales/es-ES/x.ftl`, `tmx:file.tmx`.
    pub origin: String,
}

/// What makes two MT requests the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    /// The provider's name (`deepl`).
    pub provider: String,
    /// The provider's settings ([`crate::Translator::fingerprint`]).
    pub fingerprint: String,
    pub pair: Pair,
    pub glossary_version: String,
    /// The protected text sent.
    pub text: String,
}

/// What [`Memory::import_tmx`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TmxImport {
    /// Per pair (keyed `en-US->es-ES`, as [`Pair::key`]).
    pub pairs: BTreeMap<String, PairCounts>,
    /// Translation units with no pair to import: fewer than two languages
    /// with a valid tag, or none in the source language.
    pub unpaired: usize,
}

/// Counts for one pair of a TMX import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairCounts {
    /// Entries added or updated.
    pub imported: usize,
    /// Units holding both languages where one segment is empty.
    pub skipped: usize,
}

/// The SQLite and OS errors are sources, not part of the message, so a
/// chain of errors names each once.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot {action}", path.display())]
    Sqlite {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{}: translation memory schema version {found} is newer than version {supported}, \
         the newest this diglot knows; use a newer diglot or another memory file",
        path.display()
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("{}: unknown translation memory schema version {found}", path.display())]
    UnknownSchema { path: PathBuf, found: i64 },
    #[error("{origin}:{line}: in <{element}>: {message}")]
    Tmx { origin: String, line: usize, element: String, message: String },
    #[error("{}: cannot {action}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a database, or a damaged one.
    #[error(
        "{}: the translation memory is damaged ({detail}); delete the folder .diglot/ and run \
         the command again: the memory is rebuilt from the locale files (import again any TMX \
         file you imported with `diglot memory import`), and machine translations are asked \
         for again",
        path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("fuzzy threshold {0} is not between 0.0 and 1.0")]
    Threshold(f64),
}

impl Error {
    /// The memory file the error is about, when it names one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Sqlite { path, .. }
            | Error::NewerSchema { path, .. }
            | Error::UnknownSchema { path, .. }
            | Error::Io { path, .. }
            | Error::Corrupt { path, .. } => Some(path),
            Error::Tmx { .. } | Error::Threshold(_) => None,
        }
    }
}

fn sqlite(path: &Path, action: &'static str, source: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(e, _) = &source
        && matches!(
            e.code,
            rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
        )
    {
        return Error::Corrupt { path: path.to_path_buf(), detail: source.to_string() };
    }
    Error::Sqlite { path: path.to_path_buf(), action, source }
}

/// The fuzzy score (see the module documentation) of an entry `b` for a
/// query `a`: 1.0 only when they are equal.
pub fn score(a: &str, b: &str) -> f64 {
    similarity(a, b)
}

/// Unicode NFC, runs of white space folded to one space, none at either end.
pub fn normalize(text: &str) -> String {
    // The same form segment IDs are computed from: NFC, white space folded.
    diglot_core::normalize_text(text)
}

#[cfg(test)]
mod tests;
