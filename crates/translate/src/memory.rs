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
//! Sources and targets are stored white-space-folded (runs of white space
//! become one space, none at either end); exact matching compares that form
//! and is case-sensitive. Unicode normalization (NFC) is left to callers:
//! diglot's segments are NFC already.
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
//! difference in token count, then to the older entry (lower id).
//!
//! # Index, and why it cannot miss a match
//!
//! Each pair gets an in-memory inverted index (token -> entries holding it),
//! built lazily on the pair's first fuzzy lookup and brought up to date
//! incrementally before each later one (rows are never deleted and an
//! entry's source never changes, so loading the rows with a higher id than
//! the last one seen is enough). With `L = max(n, m)` and `o` the number of
//! tokens query and entry share (as multisets), every edit fixes at most one
//! unshared token on each side, so `d >= L - o`. A match has
//! `d <= (1 - t) * L`, hence `o >= t * L >= t * n` and, as `o <= min(n, m)`,
//! `t * n <= m <= n / t` (length filter). With `k = ceil(t * n)`, an entry
//! sharing none of any `n - k + 1` of the query's token occurrences shares at
//! most `k - 1` < `t * n` of them: so every match holds one of the query's
//! `n - k + 1` *rarest* tokens (prefix filter). Lookup walks those tokens'
//! postings and, when cheap, those of `e` more tokens, counting per entry
//! the walked tokens it holds: a match must count at least `e + 1`, as the
//! `k - 1 - e` unwalked tokens can make up no more (count filter). It then
//! drops entries outside the length range or with `L - o > (1 - t) * L`,
//! and computes the edit distance (bounded, with early exit) on the rest.
//! All the filters are exact consequences of the score, so
//! the index returns the same best match as a scan of every entry would; the
//! tests check that against a scan. Threshold 0 makes every entry a match
//! and falls back to scanning the pair.

use std::cell::{Cell, RefCell, RefMut};
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use diglot_core::Locale;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use rusqlite::{Connection, OptionalExtension, params};

use crate::Pair;

/// The schema this code reads and writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

// AUTOINCREMENT: entry ids only grow, which the fuzzy index relies on to
// load new rows (`id > last seen`).
const SCHEMA: &str = "
CREATE TABLE tm_pair (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    UNIQUE (source, target)
);
CREATE TABLE tm_entry (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id INTEGER NOT NULL REFERENCES tm_pair (id),
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    UNIQUE (pair_id, source)
);
CREATE TABLE mt_cache (
    provider TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pair TEXT NOT NULL,
    glossary_version TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    UNIQUE (provider, fingerprint, pair, glossary_version, text)
);
";

/// Tolerance for floating-point comparisons with the threshold; the filters
/// lean towards keeping a candidate, the exact score decides.
const EPS: f64 = 1e-9;

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

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot {action}: {source}", path.display())]
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
    #[error("{}: cannot {action}: {source}", path.display())]
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

impl Memory {
    /// Opens or creates the memory at `path` (its folder must exist).
    ///
    /// A new memory is made whole (schema, WAL mode) under a temporary name
    /// and then linked into place, so a process that opens `path` at the
    /// same moment finds either no file or a finished one.
    pub fn open(path: &Path) -> Result<Memory, Error> {
        if !path.exists() {
            create(path)?;
        }
        let conn = Connection::open(path).map_err(|e| sqlite(path, "open the database", e))?;
        Memory::init(conn, path.to_path_buf())
    }

    /// A memory that lives as long as the value; for tests and dry runs.
    pub fn in_memory() -> Result<Memory, Error> {
        let path = PathBuf::from(":memory:");
        let conn =
            Connection::open_in_memory().map_err(|e| sqlite(&path, "open the database", e))?;
        Memory::init(conn, path)
    }

    /// An in-memory copy of the memory at `path` (empty if there is none),
    /// for commands that must write nothing: what they add stays in the
    /// copy. The file is read as immutable, so no lock, journal or `-shm`
    /// file is created; commits another process has not yet checkpointed
    /// are not seen, which costs at worst a cache miss.
    pub fn snapshot(path: &Path) -> Result<Memory, Error> {
        let memory = Memory::in_memory()?;
        if !path.exists() {
            return Ok(memory);
        }
        let err = |action| move |e| sqlite(path, action, e);
        memory
            .conn
            .execute("ATTACH DATABASE ?1 AS disk", [immutable_uri(path)])
            .map_err(err("open the database"))?;
        let found: i64 = memory
            .conn
            .pragma_query_value(Some("disk"), "user_version", |row| row.get(0))
            .map_err(err("read the schema version"))?;
        let integrity: String = memory
            .conn
            .pragma_query_value(Some("disk"), "quick_check", |row| row.get(0))
            .map_err(err("check the database"))?;
        if integrity != "ok" {
            return Err(Error::Corrupt { path: path.to_path_buf(), detail: integrity });
        }
        match found {
            SCHEMA_VERSION => {
                memory
                    .conn
                    .execute_batch(
                        "INSERT INTO main.tm_pair SELECT * FROM disk.tm_pair;
                         INSERT INTO main.tm_entry SELECT * FROM disk.tm_entry;
                         INSERT INTO main.mt_cache SELECT * FROM disk.mt_cache;",
                    )
                    .map_err(err("read the memory"))?;
            }
            // A file that was never given a schema holds nothing.
            0 => {}
            v if v > SCHEMA_VERSION => {
                return Err(Error::NewerSchema {
                    path: path.to_path_buf(),
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            _ => return Err(Error::UnknownSchema { path: path.to_path_buf(), found }),
        }
        memory.conn.execute("DETACH DATABASE disk", []).map_err(err("close the database"))?;
        Ok(memory)
    }

    fn init(mut conn: Connection, path: PathBuf) -> Result<Memory, Error> {
        let at = path.as_path();
        let err = |action| move |e| sqlite(at, action, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err("set the busy timeout"))?;
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .map_err(err("read the journal mode"))?;
        // An in-memory database answers "memory"; either is fine.
        if !matches!(mode.to_ascii_lowercase().as_str(), "wal" | "memory") {
            switch_to_wal(&conn).map_err(err("switch to WAL mode"))?;
        }
        // With WAL, NORMAL loses nothing on a crash of the process, only
        // possibly the last commits on a power cut.
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(err("set synchronous"))?;
        // A damaged file may open and answer some queries well: check it
        // whole before trusting (and adding to) it. `quick_check` is
        // `integrity_check` without comparing indexes to their tables: a
        // quarter of the time (0.4 s for 300k entries), and the damage a
        // crash or a disk leaves is in the pages it reads.
        let integrity: String = conn
            .pragma_query_value(None, "quick_check", |row| row.get(0))
            .map_err(err("check the database"))?;
        if integrity != "ok" {
            return Err(Error::Corrupt { path: path.clone(), detail: integrity });
        }
        conn.pragma_update(None, "cache_size", -65536).map_err(err("set the cache size"))?;

        // Two processes creating the same file: the second waits, then sees
        // the version the first wrote.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err("read the schema version"))?;
        let found: i64 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(err("read the schema version"))?;
        match found {
            0 => {
                tx.execute_batch(SCHEMA).map_err(err("create the schema"))?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(err("set the schema version"))?;
            }
            SCHEMA_VERSION => {}
            v if v > SCHEMA_VERSION => {
                return Err(Error::NewerSchema {
                    path: path.clone(),
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            _ => return Err(Error::UnknownSchema { path: path.clone(), found }),
        }
        tx.commit().map_err(err("create the schema"))?;
        Ok(Memory {
            conn,
            path,
            pair_ids: RefCell::default(),
            indexes: RefCell::default(),
            writes: Cell::new(0),
        })
    }

    fn err(&self, action: &'static str) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |e| sqlite(&self.path, action, e)
    }

    /// Adds or updates a reviewed pair; the same (pair, source) keeps the
    /// newest target and origin. A source or target that is empty (or only
    /// white space) is ignored.
    pub fn add(
        &mut self,
        pair: &Pair,
        source: &str,
        target: &str,
        origin: &str,
    ) -> Result<(), Error> {
        let (source, target) = (normalize(source), normalize(target));
        if source.is_empty() || target.is_empty() {
            return Ok(());
        }
        let pair_id = self.ensure_pair(pair)?;
        insert_entry(&self.conn, pair_id, &source, &target, origin)
            .map_err(self.err("add a memory entry"))?;
        self.writes.set(self.writes.get() + 1);
        Ok(())
    }

    /// Adds or updates many pairs in one transaction; returns how many were
    /// stored (entries with an empty source or target are ignored).
    pub fn add_many(
        &mut self,
        pair: &Pair,
        entries: &[(String, String)],
        origin: &str,
    ) -> Result<usize, Error> {
        let pair_id = self.ensure_pair(pair)?;
        let entries = entries.iter().map(|(s, t)| (normalize(s), normalize(t)));
        self.insert_all(pair_id, entries, origin)
    }

    fn insert_all(
        &mut self,
        pair_id: i64,
        entries: impl Iterator<Item = (String, String)>,
        origin: &str,
    ) -> Result<usize, Error> {
        let path = &self.path;
        let err = |action| move |e| sqlite(path, action, e);
        let tx = self.conn.transaction().map_err(err("start a transaction"))?;
        let mut stored = 0;
        for (source, target) in entries {
            if source.is_empty() || target.is_empty() {
                continue;
            }
            insert_entry(&tx, pair_id, &source, &target, origin)
                .map_err(err("add a memory entry"))?;
            stored += 1;
        }
        tx.commit().map_err(err("commit memory entries"))?;
        self.writes.set(self.writes.get() + 1);
        Ok(stored)
    }

    /// The number of entries of `pair`.
    pub fn len(&self, pair: &Pair) -> Result<usize, Error> {
        let Some(pair_id) = self.pair_id(pair)? else { return Ok(0) };
        let count: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM tm_entry WHERE pair_id = ?1")
            .and_then(|mut st| st.query_row([pair_id], |row| row.get(0)))
            .map_err(self.err("count memory entries"))?;
        Ok(count as usize)
    }

    /// The entry whose source is `source` (white-space-folded, case-sensitive).
    pub fn exact(&self, pair: &Pair, source: &str) -> Result<Option<Match>, Error> {
        let Some(pair_id) = self.pair_id(pair)? else { return Ok(None) };
        let source = normalize(source);
        self.conn
            .prepare_cached(
                "SELECT source, target, origin FROM tm_entry WHERE pair_id = ?1 AND source = ?2",
            )
            .and_then(|mut st| {
                st.query_row(params![pair_id, source], |row| {
                    Ok(Match {
                        source: row.get(0)?,
                        target: row.get(1)?,
                        score: 1.0,
                        origin: row.get(2)?,
                    })
                })
                .optional()
            })
            .map_err(self.err("look up an exact match"))
    }

    /// The best entry scoring at least `threshold` (see the module
    /// documentation for the score and the tie-breaks), or `None`.
    pub fn fuzzy(&self, pair: &Pair, source: &str, threshold: f64) -> Result<Option<Match>, Error> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::Threshold(threshold));
        }
        if let Some(found) = self.exact(pair, source)? {
            return Ok(Some(found));
        }
        let Some(pair_id) = self.pair_id(pair)? else { return Ok(None) };
        let mut index = self.index(pair_id)?;
        let Some((id, score)) = index.best(&normalize(source), threshold) else { return Ok(None) };
        drop(index);
        self.conn
            .prepare_cached("SELECT source, target, origin FROM tm_entry WHERE id = ?1")
            .and_then(|mut st| {
                st.query_row([id], |row| {
                    Ok(Match {
                        source: row.get(0)?,
                        target: row.get(1)?,
                        score,
                        origin: row.get(2)?,
                    })
                })
            })
            .map(Some)
            .map_err(self.err("read a fuzzy match"))
    }

    /// The pair's index, loaded or brought up to date.
    fn index(&self, pair_id: i64) -> Result<RefMut<'_, PairIndex>, Error> {
        let data_version: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |row| row.get(0))
            .map_err(self.err("read the data version"))?;
        let seen = (data_version, self.writes.get());
        let mut indexes = self.indexes.borrow_mut();
        let index = indexes.entry(pair_id).or_default();
        if index.seen != Some(seen) {
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT id, source FROM tm_entry WHERE id > ?1 AND pair_id = ?2 ORDER BY id",
                )
                .map_err(self.err("load the fuzzy index"))?;
            let mut rows = st
                .query(params![index.last_id, pair_id])
                .map_err(self.err("load the fuzzy index"))?;
            while let Some(row) = rows.next().map_err(self.err("load the fuzzy index"))? {
                let id: i64 = row.get(0).map_err(self.err("load the fuzzy index"))?;
                let source: String = row.get(1).map_err(self.err("load the fuzzy index"))?;
                index.push(id, &source);
            }
            index.seen = Some(seen);
        }
        Ok(RefMut::map(indexes, |all| all.get_mut(&pair_id).expect("inserted above")))
    }

    /// Imports a TMX 1.4b document (TMX 1.1's `lang` is read as `xml:lang`).
    /// Nothing is stored unless the whole document is well-formed XML with a
    /// `<tmx>` root; the error names the line and the element open there.
    ///
    /// Inside `<seg>`, the native codes of `<bpt>`, `<ept>`, `<ph>`, `<it>`
    /// and `<ut>` (`<b>`, `{0}`) are dropped with whatever they hold, and the
    /// text of `<hi>` (and of any other element) is kept; the memory stores
    /// plain text, so the formatting they mark is lost. Each unit gives
    /// one entry per pair from its source language (the unit's `srclang`,
    /// else the header's) to each other language in it; with `*all*` every
    /// language is a source. Language tags match case-insensitively; the
    /// first variant of a language in a unit wins.
    pub fn import_tmx(&mut self, xml: &str, origin: &str) -> Result<TmxImport, Error> {
        let doc = parse_tmx(xml, origin)?;
        let mut report = TmxImport::default();
        let mut batches: BTreeMap<String, (Pair, Vec<(String, String)>)> = BTreeMap::new();
        for unit in &doc.units {
            let mut variants: Vec<(Locale, String)> = Vec::new();
            for (tag, seg) in &unit.variants {
                if let Ok(locale) = tag.parse::<Locale>()
                    && !variants.iter().any(|(l, _)| *l == locale)
                {
                    variants.push((locale, normalize(seg)));
                }
            }
            let srclang = unit.srclang.as_deref().or(doc.srclang.as_deref()).unwrap_or("");
            let sources: Vec<usize> = if srclang.eq_ignore_ascii_case("*all*") {
                (0..variants.len()).collect()
            } else {
                match srclang.parse::<Locale>() {
                    Ok(src) => variants.iter().position(|(l, _)| *l == src).into_iter().collect(),
                    Err(_) => Vec::new(),
                }
            };
            if variants.len() < 2 || sources.is_empty() {
                report.unpaired += 1;
                continue;
            }
            for &s in &sources {
                for t in (0..variants.len()).filter(|&t| t != s) {
                    let pair = Pair::new(variants[s].0.clone(), variants[t].0.clone());
                    let key = pair.key();
                    let counts = report.pairs.entry(key.clone()).or_default();
                    let (source, target) = (&variants[s].1, &variants[t].1);
                    if source.is_empty() || target.is_empty() {
                        counts.skipped += 1;
                        continue;
                    }
                    counts.imported += 1;
                    batches
                        .entry(key)
                        .or_insert_with(|| (pair, Vec::new()))
                        .1
                        .push((source.clone(), target.clone()));
                }
            }
        }
        // Pairs first, each committed on its own, so no cached pair id can
        // point at a rolled-back row.
        let mut ids = Vec::new();
        for (pair, entries) in batches.into_values() {
            ids.push((self.ensure_pair(&pair)?, entries));
        }
        let path = &self.path;
        let err = |action| move |e| sqlite(path, action, e);
        let tx = self.conn.transaction().map_err(err("start a transaction"))?;
        for (pair_id, entries) in &ids {
            for (source, target) in entries {
                insert_entry(&tx, *pair_id, source, target, origin)
                    .map_err(err("add a memory entry"))?;
            }
        }
        tx.commit().map_err(err("commit the TMX import"))?;
        self.writes.set(self.writes.get() + 1);
        Ok(report)
    }

    /// The pair's entries as a TMX 1.4b document, sorted by source, with no
    /// dates: the same memory always gives the same bytes.
    pub fn export_tmx(&self, pair: &Pair) -> Result<String, Error> {
        let mut out = String::new();
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
        let _ = writeln!(
            out,
            "  <header creationtool=\"diglot\" creationtoolversion=\"{}\" datatype=\"plaintext\" \
             segtype=\"sentence\" adminlang=\"en\" srclang=\"{}\" o-tmf=\"diglot\"/>",
            env!("CARGO_PKG_VERSION"),
            xml_escape(&pair.source.to_string()),
        );
        out.push_str("  <body>\n");
        if let Some(pair_id) = self.pair_id(pair)? {
            let (src, tgt) =
                (xml_escape(&pair.source.to_string()), xml_escape(&pair.target.to_string()));
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT source, target, origin FROM tm_entry WHERE pair_id = ?1 ORDER BY source",
                )
                .map_err(self.err("export the memory"))?;
            let mut rows = st.query([pair_id]).map_err(self.err("export the memory"))?;
            while let Some(row) = rows.next().map_err(self.err("export the memory"))? {
                let get = |i| row.get::<_, String>(i).map_err(self.err("export the memory"));
                let (source, target, origin) = (get(0)?, get(1)?, get(2)?);
                let _ = write!(
                    out,
                    "    <tu>\n      <prop type=\"x-origin\">{}</prop>\n      \
                     <tuv xml:lang=\"{src}\"><seg>{}</seg></tuv>\n      \
                     <tuv xml:lang=\"{tgt}\"><seg>{}</seg></tuv>\n    </tu>\n",
                    xml_escape(&origin),
                    xml_escape(&source),
                    xml_escape(&target),
                );
            }
        }
        out.push_str("  </body>\n</tmx>\n");
        Ok(out)
    }

    /// The cached translation of `key`'s text, if any.
    pub fn cached(&self, key: &CacheKey) -> Result<Option<String>, Error> {
        self.conn
            .prepare_cached(
                "SELECT translation FROM mt_cache WHERE provider = ?1 AND fingerprint = ?2 \
                 AND pair = ?3 AND glossary_version = ?4 AND text = ?5",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![
                        key.provider,
                        key.fingerprint,
                        key.pair.key(),
                        key.glossary_version,
                        key.text
                    ],
                    |row| row.get(0),
                )
                .optional()
            })
            .map_err(self.err("read the MT cache"))
    }

    /// Caches a translation; committed at once, so an interrupted run keeps
    /// what it paid for.
    pub fn store(&self, key: &CacheKey, translation: &str) -> Result<(), Error> {
        self.conn
            .prepare_cached(
                "INSERT INTO mt_cache (provider, fingerprint, pair, glossary_version, text, translation) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (provider, fingerprint, pair, glossary_version, text) \
                 DO UPDATE SET translation = excluded.translation",
            )
            .and_then(|mut st| {
                st.execute(params![
                    key.provider,
                    key.fingerprint,
                    key.pair.key(),
                    key.glossary_version,
                    key.text,
                    translation
                ])
            })
            .map(drop)
            .map_err(self.err("write the MT cache"))
    }

    fn pair_id(&self, pair: &Pair) -> Result<Option<i64>, Error> {
        let key = pair.key();
        if let Some(&id) = self.pair_ids.borrow().get(&key) {
            return Ok(Some(id));
        }
        let id: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM tm_pair WHERE source = ?1 AND target = ?2")
            .and_then(|mut st| {
                st.query_row(params![pair.source.to_string(), pair.target.to_string()], |row| {
                    row.get(0)
                })
                .optional()
            })
            .map_err(self.err("look up a language pair"))?;
        if let Some(id) = id {
            self.pair_ids.borrow_mut().insert(key, id);
        }
        Ok(id)
    }

    /// The pair's id, creating (and committing) its row if needed. Never
    /// call inside a transaction: the id is cached.
    fn ensure_pair(&self, pair: &Pair) -> Result<i64, Error> {
        if let Some(id) = self.pair_id(pair)? {
            return Ok(id);
        }
        self.conn
            .execute(
                "INSERT OR IGNORE INTO tm_pair (source, target) VALUES (?1, ?2)",
                params![pair.source.to_string(), pair.target.to_string()],
            )
            .map_err(self.err("add a language pair"))?;
        Ok(self.pair_id(pair)?.expect("the pair was just inserted"))
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

fn insert_entry(
    conn: &Connection,
    pair_id: i64,
    source: &str,
    target: &str,
    origin: &str,
) -> rusqlite::Result<()> {
    // An upsert, not INSERT OR REPLACE: the row keeps its id, so the fuzzy
    // index (which maps ids to the source's tokens) stays right.
    conn.prepare_cached(
        "INSERT INTO tm_entry (pair_id, source, target, origin) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (pair_id, source) DO UPDATE SET target = excluded.target, origin = excluded.origin",
    )?
    .execute(params![pair_id, source, target, origin])?;
    Ok(())
}

/// Unicode NFC, runs of white space folded to one space, none at either end.
pub fn normalize(text: &str) -> String {
    // The same form segment IDs are computed from: NFC, white space folded.
    diglot_core::normalize_text(text)
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{a1}' | '\u{a7}' | '\u{ab}' | '\u{b6}' | '\u{b7}' | '\u{bb}' | '\u{bf}')
        || ('\u{2010}'..='\u{205e}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff01}'..='\u{ff0f}').contains(&c)
}

/// Calls `f` with each token of `text`, lower-cased (see the module docs).
fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || is_punctuation(c) {
            if !word.is_empty() {
                f(&word);
                word.clear();
            }
            if !c.is_whitespace() {
                f(c.encode_utf8(&mut [0; 4]));
            }
        } else {
            word.extend(c.to_lowercase());
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// The tokens of `text` (see the module docs).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// The fuzzy score of two texts, computed directly (no index): what
/// [`Memory::fuzzy`] reports for an entry `b` and a query `a`.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize(a), normalize(b));
    if a == b {
        return 1.0;
    }
    let (ta, tb) = (tokens(&a), tokens(&b));
    let len = ta.len().max(tb.len());
    if len == 0 {
        return 0.0;
    }
    let d = edit_distance(&ta, &tb, usize::MAX).expect("no bound");
    score(d, len)
}

fn score(distance: usize, len: usize) -> f64 {
    // Equal tokens, different text: half an edit, so only exact is 1.0.
    let d = if distance == 0 { 0.5 } else { distance as f64 };
    1.0 - d / len as f64
}

/// Levenshtein distance over tokens, or `None` once it must exceed `max`.
fn edit_distance<T: PartialEq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= max)
}

/// A token id that no entry holds: a query word the pair has never seen.
const UNKNOWN: u32 = u32::MAX;

/// One pair's inverted index. Entries are numbered by *slot*, in id order.
#[derive(Debug, Default)]
struct PairIndex {
    /// `(PRAGMA data_version, Memory::writes)` when last brought up to date.
    seen: Option<(i64, u64)>,
    last_id: i64,
    vocab: HashMap<String, u32>,
    /// Token -> slots holding it (once per slot), ascending.
    postings: Vec<Vec<u32>>,
    /// Slot -> entry id.
    ids: Vec<i64>,
    /// Slot `s`'s tokens are `tokens[starts[s]..starts[s + 1]]`.
    starts: Vec<usize>,
    tokens: Vec<u32>,
    /// Scratch: slot -> hits among the posting lists walked for a query.
    hits: Vec<u16>,
    /// Scratch per token: occurrences in the query; in the candidate.
    in_query: Vec<u16>,
    in_candidate: Vec<u16>,
}

impl PairIndex {
    fn push(&mut self, id: i64, source: &str) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let slot = self.ids.len() as u32;
        let first = self.tokens.len();
        for_each_token(source, |token| {
            let next = self.vocab.len() as u32;
            let tok = match self.vocab.get(token) {
                Some(&tok) => tok,
                None => {
                    self.vocab.insert(token.to_string(), next);
                    self.postings.push(Vec::new());
                    next
                }
            };
            self.tokens.push(tok);
        });
        let mut distinct = self.tokens[first..].to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        for tok in distinct {
            self.postings[tok as usize].push(slot);
        }
        self.starts.push(self.tokens.len());
        self.ids.push(id);
        self.hits.push(0);
        self.last_id = id;
        self.in_query.resize(self.vocab.len(), 0);
        self.in_candidate.resize(self.vocab.len(), 0);
    }

    fn entry(&self, slot: usize) -> &[u32] {
        &self.tokens[self.starts[slot]..self.starts[slot + 1]]
    }

    /// The entries that can share `min_overlap` (k >= 1) tokens with the
    /// query `q` (token ids, [`UNKNOWN`] for words the pair never saw).
    ///
    /// Order the query's n occurrences rarest first (unknown words, then by
    /// posting-list length). Walk the lists of the first n - k + 1 + e
    /// occurrences: an entry gets, for each listed token it holds, that
    /// token's count among them. The n - k + 1 + e walked occurrences and
    /// the k - 1 - e others split the overlap, so an entry sharing k tokens
    /// scores at least e + 1; an entry below that cannot match. e = 0 is the
    /// plain prefix filter; each extra list walked costs its length but
    /// lets fewer entries through to be checked token by token.
    fn candidates(&mut self, q: &[u32], min_overlap: usize) -> Vec<u32> {
        let n = q.len();
        let mut known: Vec<u32> = q.iter().copied().filter(|&tok| tok != UNKNOWN).collect();
        let unknown = n - known.len();
        // Known occurrences that must be walked; none: nothing can match.
        let Some(required) = (n - min_overlap + 1).checked_sub(unknown).filter(|&r| r > 0) else {
            return Vec::new();
        };
        known.sort_unstable_by_key(|&tok| (self.postings[tok as usize].len(), tok));
        let walked = |count: usize| -> usize {
            known[..count].iter().map(|&tok| self.postings[tok as usize].len()).sum()
        };
        // Walk more lists while that costs at most three times as much as the
        // required ones, up to the k - 1 occurrences that may be missing.
        let budget = 4 * walked(required);
        let mut extra = 0;
        while extra < min_overlap - 1 && walked(required + extra + 1) <= budget {
            extra += 1;
        }
        let need = extra as u16 + 1;
        let walk = &known[..required + extra];
        let mut touched = Vec::new();
        let mut i = 0;
        while i < walk.len() {
            // Sorted by (list length, id): a token's occurrences are adjacent.
            let tok = walk[i];
            let count = walk[i..].iter().take_while(|&&t| t == tok).count();
            i += count;
            let count = u16::try_from(count).unwrap_or(u16::MAX);
            for &slot in &self.postings[tok as usize] {
                let hits = &mut self.hits[slot as usize];
                if *hits == 0 {
                    touched.push(slot);
                }
                *hits = hits.saturating_add(count);
            }
        }
        touched.retain(|&slot| {
            let hits = std::mem::take(&mut self.hits[slot as usize]);
            hits >= need
        });
        touched
    }

    /// The best entry's id and score for `query` (normalized), where no
    /// entry equals `query`.
    fn best(&mut self, query: &str, threshold: f64) -> Option<(i64, f64)> {
        let mut q = Vec::new();
        for_each_token(query, |t| q.push(self.vocab.get(t).copied().unwrap_or(UNKNOWN)));
        let n = q.len();
        if n == 0 || self.ids.is_empty() {
            return None;
        }
        let t = threshold;
        let min_overlap = (t * n as f64 - EPS).ceil().max(0.0) as usize;
        let max_len = if t > 0.0 { ((n as f64 + EPS) / t).floor() as usize } else { usize::MAX };

        for &tok in q.iter().filter(|&&tok| tok != UNKNOWN) {
            self.in_query[tok as usize] += 1;
        }

        let candidates: Vec<u32> = if min_overlap == 0 {
            (0..self.ids.len() as u32).collect()
        } else {
            self.candidates(&q, min_overlap)
        };

        // (twice the distance, length, length difference, slot): the best
        // score (compared exactly, as fractions), then the smaller
        // difference in length, then the older entry.
        let mut best: Option<(usize, usize, usize, u32)> = None;
        for slot in candidates {
            let start = self.starts[slot as usize];
            let m = self.starts[slot as usize + 1] - start;
            if m < min_overlap || m > max_len {
                continue;
            }
            let len = n.max(m);
            let allowed = (1.0 - t) * len as f64 + EPS;
            let max_d = allowed.floor() as usize;
            let mut overlap = 0;
            for &tok in &self.tokens[start..start + m] {
                let seen = &mut self.in_candidate[tok as usize];
                if *seen < self.in_query[tok as usize] {
                    overlap += 1;
                }
                *seen += 1;
            }
            for &tok in &self.tokens[start..start + m] {
                self.in_candidate[tok as usize] = 0;
            }
            if len - overlap > max_d {
                continue;
            }
            let Some(d) = edit_distance(&q, self.entry(slot as usize), max_d) else { continue };
            // Equal tokens, different text: half an edit (see `score`).
            let d2 = if d == 0 { 1 } else { 2 * d };
            if d2 as f64 / 2.0 > allowed {
                continue;
            }
            let better = match best {
                None => true,
                Some((bd2, blen, bdiff, bslot)) => match (d2 * blen).cmp(&(bd2 * len)) {
                    std::cmp::Ordering::Less => true,
                    std::cmp::Ordering::Greater => false,
                    std::cmp::Ordering::Equal => (n.abs_diff(m), slot) < (bdiff, bslot),
                },
            };
            if better {
                best = Some((d2, len, n.abs_diff(m), slot));
            }
        }
        for &tok in q.iter().filter(|&&tok| tok != UNKNOWN) {
            self.in_query[tok as usize] = 0;
        }
        best.map(|(d2, len, _, slot)| (self.ids[slot as usize], 1.0 - d2 as f64 / 2.0 / len as f64))
    }
}

/// How long to wait for another process holding the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Sets WAL mode, waiting for other connections. SQLite does not call the
/// busy handler when waiting could deadlock (two connections each holding
/// a shared lock and wanting the exclusive one the switch needs), so this
/// retries until [`BUSY_TIMEOUT`].
fn switch_to_wal(conn: &Connection) -> Result<(), rusqlite::Error> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
        {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10 + fastrand::u64(..20)));
            }
            other => return other.map(drop),
        }
    }
}

/// Creates a memory at `path` race-free: built whole under a temporary
/// name, then hard-linked into place, which fails if another process got
/// there first (its memory is then used).
fn create(path: &Path) -> Result<(), Error> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp =
        path.with_file_name(format!(".{name}.{}-{:x}.tmp", std::process::id(), fastrand::u64(..)));
    let conn = Connection::open(&tmp).map_err(|e| sqlite(&tmp, "create the database", e))?;
    let built = Memory::init(conn, tmp.clone());
    // Closing the only connection checkpoints the journal into the file.
    let linked = built.map(drop).and_then(|()| {
        std::fs::hard_link(&tmp, path)
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Ok(()),
                // A file system without hard links: rename, unless someone
                // else's memory appeared meanwhile.
                _ if !path.exists() => std::fs::rename(&tmp, path),
                _ => Ok(()),
            })
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                action: "create the database",
                source,
            })
    });
    let _ = std::fs::remove_file(&tmp);
    linked
}

/// `file:<path>?immutable=1`, the path percent-encoded as SQLite's URI
/// file names require.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Escapes text for XML; characters XML 1.0 cannot carry at all (C0
/// controls other than tab and line breaks) become U+FFFD.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A parsed TMX document: only what the memory keeps.
#[derive(Debug, Default)]
struct TmxDoc {
    /// The header's `srclang`.
    srclang: Option<String>,
    units: Vec<TmxUnit>,
}

#[derive(Debug, Default)]
struct TmxUnit {
    srclang: Option<String>,
    /// `(xml:lang, segment text)` in document order.
    variants: Vec<(String, String)>,
}

/// Elements inside `<seg>` whose content is a native code (`<b>`, `{0}`),
/// not text: dropped with what they contain (`<sub>` included). The text
/// inside `<hi>` (and any other element) is kept.
const NATIVE_CODES: [&[u8]; 5] = [b"bpt", b"ept", b"ph", b"it", b"ut"];

/// Reads a TMX document: `<tmx>`, `<header srclang>`, `<body>`, `<tu
/// srclang?>`, `<tuv xml:lang>` (or TMX 1.1's `lang`), `<seg>`; notes,
/// props and unknown elements outside segments are ignored. Errors on XML
/// that is not well-formed, name the line and the element open there.
fn parse_tmx(xml: &str, origin: &str) -> Result<TmxDoc, Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let error = |pos: u64, stack: &[Vec<u8>], message: String| {
        let pos = (pos as usize).min(xml.len());
        Error::Tmx {
            origin: origin.to_string(),
            line: xml.as_bytes()[..pos].iter().filter(|&&b| b == b'\n').count() + 1,
            element: stack.last().map_or("document".into(), |e| String::from_utf8_lossy(e).into()),
            message,
        }
    };

    let mut doc = TmxDoc::default();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut seen_root = false;
    let mut unit: Option<TmxUnit> = None;
    let mut lang: Option<String> = None;
    let mut seg: Option<String> = None;
    let mut seg_text: Option<String> = None;
    // Depth inside a native-code element within <seg>.
    let mut skip = 0usize;

    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| error(reader.error_position(), &stack, e.to_string()))?;
        let text_error = |e: &dyn fmt::Display| error(pos, &stack, e.to_string());
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name().as_ref().to_vec();
                if seg.is_some() {
                    if skip > 0 || NATIVE_CODES.contains(&name.as_slice()) {
                        skip += usize::from(!empty);
                    }
                } else {
                    let parent = stack.last().map(Vec::as_slice);
                    match (parent, name.as_slice()) {
                        (None, b"tmx") if !seen_root => seen_root = true,
                        (None, _) => {
                            return Err(error(
                                pos,
                                &stack,
                                format!(
                                    "the root element is <{}>, not <tmx>",
                                    String::from_utf8_lossy(&name)
                                ),
                            ));
                        }
                        (Some(b"tmx"), b"header") => {
                            doc.srclang =
                                attribute(e, &[b"srclang"]).map_err(|m| text_error(&m))?;
                        }
                        (Some(b"body"), b"tu") => {
                            unit = Some(TmxUnit {
                                srclang: attribute(e, &[b"srclang"]).map_err(|m| text_error(&m))?,
                                variants: Vec::new(),
                            });
                        }
                        (Some(b"tu"), b"tuv") => {
                            lang = attribute(e, &[b"xml:lang", b"lang"])
                                .map_err(|m| text_error(&m))?;
                            seg_text = None;
                        }
                        (Some(b"tuv"), b"seg") if !empty => seg = Some(String::new()),
                        (Some(b"tuv"), b"seg") => seg_text = Some(String::new()),
                        _ => {}
                    }
                }
                if !empty {
                    stack.push(name);
                } else if seg.is_none() {
                    close(&name, &mut unit, &mut lang, &mut seg_text, &mut doc);
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if seg.is_some() {
                    if skip > 0 {
                        skip -= 1;
                    } else if name == b"seg" {
                        seg_text = seg.take();
                    }
                } else {
                    close(&name, &mut unit, &mut lang, &mut seg_text, &mut doc);
                }
            }
            Event::Text(ref t) if skip == 0 => {
                if let Some(seg) = &mut seg {
                    seg.push_str(&t.xml10_content().map_err(|e| text_error(&e))?);
                }
            }
            Event::CData(ref t) if skip == 0 => {
                if let Some(seg) = &mut seg {
                    seg.push_str(&t.decode().map_err(|e| text_error(&e))?);
                }
            }
            Event::GeneralRef(ref r) => {
                let name = r.decode().map_err(|e| text_error(&e))?;
                let resolved = match r.resolve_char_ref().map_err(|e| text_error(&e))? {
                    Some(c) => c.to_string(),
                    None => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(text_error(&format!("unknown entity &{name};")));
                        }
                    },
                };
                if let (Some(seg), 0) = (&mut seg, skip) {
                    seg.push_str(&resolved);
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(error(
                        pos,
                        &stack,
                        format!("the document ends before </{}>", String::from_utf8_lossy(open)),
                    ));
                }
                if !seen_root {
                    return Err(error(pos, &stack, "no <tmx> element".into()));
                }
                return Ok(doc);
            }
            _ => {}
        }
    }
}

/// Handles the end of a TMX element outside segments.
fn close(
    name: &[u8],
    unit: &mut Option<TmxUnit>,
    lang: &mut Option<String>,
    seg_text: &mut Option<String>,
    doc: &mut TmxDoc,
) {
    match name {
        b"tuv" => {
            if let (Some(unit), Some(lang), Some(text)) =
                (unit.as_mut(), lang.take(), seg_text.take())
            {
                unit.variants.push((lang, text));
            }
        }
        b"tu" => doc.units.extend(unit.take()),
        _ => {}
    }
}

/// The unescaped value of the first of `names` present on `e`.
fn attribute(e: &BytesStart<'_>, names: &[&[u8]]) -> Result<Option<String>, String> {
    for name in names {
        if let Some(attr) = e.try_get_attribute(name).map_err(|e| e.to_string())? {
            return Ok(Some(attr.unescape_value().map_err(|e| e.to_string())?.into_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
