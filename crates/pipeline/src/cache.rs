//! The build cache: a `build` with nothing changed since the last one
//! finishes without reading the article, parsing a locale file or
//! rendering anything.
//!
//! `.diglot/build/<pipeline>-<hash>.json` records, for the last build of a
//! pipeline that succeeded, a hash of every file a build may read (the
//! pipeline file, the article, the configured glossary and every
//! `locales/glossary/*.tsv`, and, for every folder of
//! `locales/`, the pipeline's `.ftl` file and `edition.ftl`, present or
//! absent, so that a new locale folder counts too), the diglot binary
//! (version, size, modification time), the options that decide whether a
//! build fails, and a hash of every file of the output folder. A build whose
//! inputs hash the same and whose output folder still holds exactly those
//! files would do nothing (builds are deterministic), so it returns the
//! recorded outcome. The record keeps the report without its per-segment
//! lists (what a build prints and gates on), so such a build reads neither
//! `report.json` nor any other output file whose metadata is unchanged.
//!
//! A record is written only when the inputs hashed the same before and after
//! the build: a build that rewrote a locale file, or ran while someone saved
//! one, is not recorded. Builds that run the translate step (`in_build`)
//! talk to services and are never recorded. Anything unexpected (a file that
//! cannot be read, a record that does not parse) means a full build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use diglot_core::Severity;

use crate::{BuildOptions, BuildOutcome, BuildReport, ExtractOutcome, Pipeline, fs};

/// Hash of a file's bytes (None: there is no such file).
type Digest = Option<String>;

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    /// diglot's version and binary, and the gate options.
    key: String,
    /// Every input, by absolute path.
    inputs: BTreeMap<PathBuf, Digest>,
    /// Every file of the output folder, by path relative to it.
    outputs: BTreeMap<String, Output>,
    /// The build's report, its segment lists left out (see
    /// [`BuildOutcome::report`]).
    summary: BuildReport,
}

/// A file of the output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Output {
    hash: String,
    /// Its metadata, when it was settled (see [`settled`]): while the file
    /// still has it, it holds the bytes hashed, and is not read again.
    stat: Option<Stat>,
}

/// What changes whenever a file's content does. The change time cannot be
/// set by a program (only the clock can), so a write to the file, a
/// rename over it or a `touch -d` leaves a different one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stat {
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    ino: u64,
    dev: u64,
}

#[cfg(unix)]
fn stat(meta: &std::fs::Metadata) -> Option<Stat> {
    use std::os::unix::fs::MetadataExt;
    Some(Stat {
        len: meta.len(),
        mtime: (meta.mtime(), meta.mtime_nsec()),
        ctime: (meta.ctime(), meta.ctime_nsec()),
        ino: meta.ino(),
        dev: meta.dev(),
    })
}

/// Elsewhere every output is checked by its content.
#[cfg(not(unix))]
fn stat(_: &std::fs::Metadata) -> Option<Stat> {
    None
}

/// Whether a file's change time is far enough in the past (2 s) that a
/// write to it now would give it another one, whatever the file system's
/// timestamp granularity (as git treats "racily clean" files).
fn settled(stat: Stat) -> Option<Stat> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?;
    let ctime = i128::from(stat.ctime.0) * 1_000_000_000 + i128::from(stat.ctime.1);
    (ctime < i128::try_from(now.as_nanos()).ok()? - 2_000_000_000).then_some(stat)
}

/// What a build checks before it runs and records after it.
#[derive(Debug)]
pub(crate) struct Cache {
    path: PathBuf,
    key: String,
    inputs: BTreeMap<PathBuf, Digest>,
}

fn digest(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// The hash of a file, None when it does not exist; Err on any other error.
fn digest_file(path: &Path) -> std::io::Result<Digest> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(digest(&bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// diglot's own identity: a rebuilt binary invalidates every record even
/// when its version number did not change.
fn binary() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let mtime = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{} {} {}", env!("CARGO_PKG_VERSION"), meta.len(), mtime.as_nanos()))
}

impl Cache {
    /// The cache of `pipeline`'s builds with `options`, with its inputs
    /// hashed now; None when such a build is not cached.
    pub(crate) fn new(pipeline: &Pipeline, options: &BuildOptions) -> Option<Cache> {
        // A build that translates or runs the reviewer's checks reports
        // more than its files: it always runs.
        if pipeline.config.translate.in_build || options.check || pipeline.config.check.in_build {
            return None;
        }
        let key = format!(
            "{} min_coverage={:?} require_reviewed={}",
            binary()?,
            options.min_coverage,
            options.require_reviewed
        );
        let name = format!(
            "{}-{}.json",
            pipeline.path.file_stem()?.to_string_lossy(),
            &digest(pipeline.path.as_os_str().as_encoded_bytes())[..8]
        );
        let path = pipeline.root.join(".diglot").join("build").join(name);
        let inputs = inputs(pipeline).ok()?;
        Some(Cache { path, key, inputs })
    }

    /// The outcome of the recorded build, if nothing changed since it.
    pub(crate) fn lookup(&self, pipeline: &Pipeline, output: &Path) -> Option<BuildOutcome> {
        let bytes = std::fs::read(&self.path).ok()?;
        let record: Record = serde_json::from_slice(&bytes).ok()?;
        if record.key != self.key || record.inputs != self.inputs {
            return None;
        }
        let outputs = self.check_outputs(&record, output)?;
        let record = if outputs != record.outputs {
            // Checked by content, and settled since: recorded as they are
            // now, so the next build reads none of them.
            let record = Record { outputs, ..record };
            self.write(&record);
            record
        } else {
            record
        };
        let report = record.summary;
        let unchanged = report.locales.iter().map(|l| pipeline.root.join(&l.file)).collect();
        Some(BuildOutcome {
            extract: ExtractOutcome { unchanged, ..Default::default() },
            report,
            output: output.to_path_buf(),
            output_written: false,
            output_withheld: false,
            below_coverage: Vec::new(),
            unreviewed: Vec::new(),
            translation: None,
            check: None,
        })
    }

    /// Records a build that succeeded, if no input changed while it ran.
    /// A failure to record only costs the next build its shortcut.
    /// `tree` is what the build published (or found already there).
    pub(crate) fn store(
        self,
        pipeline: &Pipeline,
        outcome: &BuildOutcome,
        tree: &BTreeMap<String, Vec<u8>>,
    ) {
        let succeeded = !outcome.output_withheld
            && outcome.below_coverage.is_empty()
            && outcome.unreviewed.is_empty()
            && outcome.translation.is_none()
            && !outcome.extract.has_errors()
            && !outcome.report.diagnostics.iter().any(|d| d.severity == Severity::Error);
        if !succeeded || inputs(pipeline).ok().as_ref() != Some(&self.inputs) {
            let _ = std::fs::remove_file(&self.path);
            return;
        }
        // The folder must hold what this build published, and nothing else.
        // A file's metadata stands for its content only once it is settled:
        // a file changed since this build published it is not yet.
        let mut found = Vec::new();
        if fs::list_files(&outcome.output, &outcome.output, &mut found).is_err()
            || found.len() != tree.len()
        {
            let _ = std::fs::remove_file(&self.path);
            return;
        }
        let mut outputs = BTreeMap::new();
        for (rel, path) in found {
            let (Some(bytes), Ok(meta)) = (tree.get(&rel), std::fs::metadata(&path)) else {
                let _ = std::fs::remove_file(&self.path);
                return;
            };
            let stat = stat(&meta).and_then(settled);
            outputs.insert(rel, Output { hash: digest(bytes), stat });
        }
        let mut summary = outcome.report.clone();
        for l in &mut summary.locales {
            l.missing.clear();
            l.stale.clear();
            l.unreviewed.clear();
        }
        let record =
            Record { key: self.key.clone(), inputs: self.inputs.clone(), outputs, summary };
        self.write(&record);
    }

    fn write(&self, record: &Record) {
        let Some(dir) = self.path.parent() else { return };
        if std::fs::create_dir_all(dir).is_ok() {
            let json = serde_json::to_vec(record).expect("a record serializes");
            let temp = self.path.with_extension(format!("json.{}.tmp", std::process::id()));
            if std::fs::write(&temp, json).is_err() || std::fs::rename(&temp, &self.path).is_err() {
                let _ = std::fs::remove_file(&temp);
            }
        }
    }

    /// Whether the output folder holds exactly the recorded files: each
    /// with its settled metadata unchanged, or else with the recorded
    /// bytes. Returns the files as they stand now.
    fn check_outputs(&self, record: &Record, output: &Path) -> Option<BTreeMap<String, Output>> {
        let mut files = Vec::new();
        fs::list_files(output, output, &mut files).ok()?;
        if files.len() != record.outputs.len() {
            return None;
        }
        let mut outputs = BTreeMap::new();
        for (rel, path) in files {
            let recorded = record.outputs.get(&rel)?;
            // Metadata first: a write after it shows in the bytes read.
            let now = stat(&std::fs::metadata(&path).ok()?);
            let by_content = recorded.stat.is_none() || recorded.stat != now;
            if by_content {
                let bytes = std::fs::read(&path).ok()?;
                if digest(&bytes) != recorded.hash {
                    return None;
                }
            }
            let stat = if by_content { now.and_then(settled) } else { recorded.stat };
            outputs.insert(rel, Output { hash: recorded.hash.clone(), stat });
        }
        Some(outputs)
    }
}

/// Every file a build of `pipeline` may read, hashed.
fn inputs(pipeline: &Pipeline) -> Result<BTreeMap<PathBuf, Digest>, crate::Error> {
    let mut files = vec![pipeline.path.clone(), pipeline.source_path()?];
    if let Some(glossary) = &pipeline.config.translate.glossary {
        files.push(pipeline.root.join(glossary));
    }
    let locales = pipeline.root.join("locales");
    let mut folders: Vec<PathBuf> = match std::fs::read_dir(&locales) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(fs::io(&locales)(e)),
    };
    folders.sort();
    for folder in folders {
        files.push(folder.join(format!("{}.ftl", pipeline.slug)));
        files.push(folder.join("edition.ftl"));
    }
    // The default glossaries, `locales/glossary/<source>.<target>.tsv`:
    // their terms are listed in the locale files a build writes. Every one,
    // as telling which pair is this pipeline's would mean reading the
    // article.
    let glossaries = locales.join("glossary");
    if let Ok(entries) = std::fs::read_dir(&glossaries) {
        let mut tsv: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
            .collect();
        tsv.sort();
        files.extend(tsv);
    }
    files
        .into_iter()
        .map(|path| {
            let digest = digest_file(&path).map_err(fs::io(&path))?;
            Ok((path, digest))
        })
        .collect()
}
