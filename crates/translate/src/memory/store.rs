//! The SQLite file: opening it (race-free creation, WAL mode, checks),
//! reviewed pairs, exact and fuzzy lookups, and the MT cache.

use std::cell::{Cell, RefCell, RefMut};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use super::index::PairIndex;
use super::{CacheKey, Error, Match, Memory, normalize, sqlite};
use crate::Pair;

/// The schema this code reads and writes (`PRAGMA user_version`).
pub(super) const SCHEMA_VERSION: i64 = 1;

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

    /// A memory that lives as long as the value; for tests, dry runs and
    /// the `tmx_import` fuzz target (fuzz/).
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

    pub(super) fn err(&self, action: &'static str) -> impl Fn(rusqlite::Error) -> Error + '_ {
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
        let entries = entries.iter().map(|(s, t)| (normalize(s), normalize(t), origin));
        self.insert_all(pair_id, entries)
    }

    /// [`Memory::add_many`] with an origin per entry: (source, target,
    /// origin).
    pub fn add_with_origins(
        &mut self,
        pair: &Pair,
        entries: &[(String, String, String)],
    ) -> Result<usize, Error> {
        let pair_id = self.ensure_pair(pair)?;
        let entries = entries.iter().map(|(s, t, o)| (normalize(s), normalize(t), o.as_str()));
        self.insert_all(pair_id, entries)
    }

    fn insert_all<'o>(
        &mut self,
        pair_id: i64,
        entries: impl Iterator<Item = (String, String, &'o str)>,
    ) -> Result<usize, Error> {
        let path = &self.path;
        let err = |action| move |e| sqlite(path, action, e);
        let tx = self.conn.transaction().map_err(err("start a transaction"))?;
        let mut stored = 0;
        for (source, target, origin) in entries {
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

    /// Every entry of `pair` scoring at least `threshold` against `source`
    /// (the fuzzy score), best first (ties: older entry first), at most
    /// `limit`. A scan of the pair, for people searching the memory; the
    /// engine's lookups go through the index.
    pub fn search(
        &self,
        pair: &Pair,
        source: &str,
        threshold: f64,
        limit: usize,
    ) -> Result<Vec<Match>, Error> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::Threshold(threshold));
        }
        let Some(pair_id) = self.pair_id(pair)? else { return Ok(Vec::new()) };
        let query = normalize(source);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, source, target, origin FROM tm_entry WHERE pair_id = ?1 ORDER BY id",
            )
            .map_err(self.err("search the memory"))?;
        let rows = st
            .query_map([pair_id], |row| {
                Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .map_err(self.err("search the memory"))?;
        let mut found: Vec<(i64, Match)> = Vec::new();
        for row in rows {
            let (id, source, target, origin): (i64, String, String, String) =
                row.map_err(self.err("search the memory"))?;
            let score = super::similarity(&query, &source);
            if score + 1e-9 >= threshold {
                found.push((id, Match { source, target, score, origin }));
            }
        }
        found.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        Ok(found.into_iter().take(limit).map(|(_, m)| m).collect())
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

    pub(super) fn pair_id(&self, pair: &Pair) -> Result<Option<i64>, Error> {
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
    pub(super) fn ensure_pair(&self, pair: &Pair) -> Result<i64, Error> {
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

pub(super) fn insert_entry(
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
