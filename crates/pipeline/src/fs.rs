//! The pipeline's only ways to write: atomically, only when something
//! changed, and never over what someone else changed meanwhile.
//!
//! Temporary names, all removed by the next run that takes the project's
//! lock if a process dies before cleaning up: `.diglot-<pid>-<n>.tmp` beside
//! a file being replaced, `.diglot-out-<pid>-<n>` beside the output folder.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

/// The text of `bytes` read from `path`, without a byte-order mark.
pub(crate) fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    let text = decode_keeping_bom(path, bytes)?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// The text of `bytes` read from `path`, a byte-order mark included: locale
/// files go to `fluent` as saved, so a rewrite keeps the mark.
pub(crate) fn decode_keeping_bom(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        Error::NotUtf8 { path: path.to_path_buf(), line, column }
    })
}

pub(crate) fn read_to_string(path: &Path) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(io(path))?;
    decode(path, bytes)
}

/// The bytes of a file that may not exist yet.
pub(crate) fn read_bytes_optional(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io { path: path.to_path_buf(), source: e }),
    }
}

/// Reads a file that may not exist yet.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    read_bytes_optional(path)?.map(|bytes| decode(path, bytes)).transpose()
}

/// A name for a temporary file or folder no other process or thread uses.
pub(crate) fn temp_name(prefix: &str, suffix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}{}-{n}{nanos:x}{suffix}", std::process::id())
}

/// Whether `name` is one of the temporary names above: leftovers of a run
/// that died, when no other run holds the project's lock.
pub(crate) fn is_leftover(name: &str, is_dir: bool) -> bool {
    if is_dir {
        name.starts_with(".diglot-out-") || name.starts_with(".diglot-old-")
    } else {
        name.starts_with(".diglot-") && name.ends_with(".tmp") && name.len() > ".diglot-.tmp".len()
    }
}

/// Removes the leftovers of dead runs in `dir` (not below it).
pub(crate) fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if kind.is_dir() && is_leftover(name, true) {
            let _ = fs::remove_dir_all(entry.path());
        } else if kind.is_file() && is_leftover(name, false) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The file a write to `path` lands in: `path`, or the file it links to.
fn write_target(path: &Path) -> Result<PathBuf, Error> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(io(path)),
        _ => Ok(path.to_path_buf()),
    }
}

/// A new file at `path` with the permissions a new file gets (0666 less
/// the umask), created exclusively.
fn create_new(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
    options.open(path)
}

/// Replaces the file at `path`, which held `was` when it was read (`None`:
/// it did not exist), with `contents`, atomically: through a temporary file
/// in the same folder and a rename, so readers see the old file or the new
/// one, never a part. Returns false, writing nothing, when the file already
/// holds `contents`.
///
/// If the file no longer holds `was` (someone saved it since it was read)
/// nothing is written and the error is [`Error::Changed`]. A replaced file
/// keeps its permissions; a new one gets the umask's; a symlink is written
/// through to the file it points to.
pub(crate) fn replace_file(
    path: &Path,
    was: Option<&[u8]>,
    contents: &[u8],
) -> Result<bool, Error> {
    if was == Some(contents) {
        // Nothing to change: a save made since stays as it is.
        return Ok(false);
    }
    let target = write_target(path)?;
    let current = read_bytes_optional(&target)?;
    if current.as_deref() != was {
        return Err(Error::Changed { path: path.to_path_buf() });
    }
    if current.as_deref() == Some(contents) {
        return Ok(false);
    }
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io(dir))?;
    let tmp = dir.join(temp_name(".diglot-", ".tmp"));
    let result = (|| {
        let mut file = create_new(&tmp).map_err(io(dir))?;
        file.write_all(contents).map_err(io(&tmp))?;
        if let Ok(meta) = fs::metadata(&target) {
            file.set_permissions(meta.permissions()).map_err(io(&tmp))?;
        }
        file.sync_all().map_err(io(&tmp))?;
        drop(file);
        // The last moment to notice a save made while this command ran.
        if read_bytes_optional(&target)?.as_deref() != was {
            return Err(Error::Changed { path: path.to_path_buf() });
        }
        fs::rename(&tmp, &target).map_err(io(path))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| true)
}

/// Replaces the folder `dir` with exactly `files` (relative paths). The new
/// tree is written beside it and swapped in with one atomic exchange where
/// the system has it (Linux), so every moment there is a complete `dir`,
/// the old one or the new one. Returns false, writing nothing, when the
/// folder already holds exactly these files. A file whose bytes are already
/// there is not rewritten: the new tree links to it (same inode, same
/// modification time), so a tool watching the folder, or a sync, sees only
/// the files that changed.
///
/// The caller has checked that `dir` is diglot's to replace.
pub(crate) fn replace_dir(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<bool, Error> {
    let mut found = Vec::new();
    let listed = list_files(dir, dir, &mut found).is_ok();
    let found: BTreeMap<String, PathBuf> = found.into_iter().collect();
    let kept: BTreeMap<&str, &Path> = files
        .iter()
        .filter_map(|(rel, contents)| {
            let old = found.get(rel)?;
            let same = fs::metadata(old).is_ok_and(|m| m.len() == contents.len() as u64)
                && fs::read(old).is_ok_and(|bytes| bytes == *contents);
            same.then_some((rel.as_str(), old.as_path()))
        })
        .collect();
    if listed && found.len() == files.len() && kept.len() == files.len() {
        return Ok(false);
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io(parent))?;
    let staged = parent.join(temp_name(".diglot-out-", ""));
    let result = (|| {
        fs::create_dir(&staged).map_err(io(parent))?;
        for (rel, contents) in files {
            let path = staged.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(io(p))?;
            }
            if let Some(old) = kept.get(rel.as_str())
                && fs::hard_link(old, &path).is_ok()
            {
                continue;
            }
            let mut file = create_new(&path).map_err(io(&path))?;
            file.write_all(contents).map_err(io(&path))?;
        }
        match fs::metadata(dir) {
            Ok(meta) => {
                fs::set_permissions(&staged, meta.permissions()).map_err(io(&staged))?;
                exchange(&staged, dir).map_err(io(dir))
            }
            Err(_) => fs::rename(&staged, dir).map_err(io(dir)),
        }
    })();
    // After an exchange `staged` holds the previous output.
    let _ = fs::remove_dir_all(&staged);
    result.map(|()| true)
}

/// Swaps two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without the exchange.
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            exchange_by_renames(a, b)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    exchange_by_renames(a, b)
}

/// Two renames: the old folder goes aside, the new one takes its place, and
/// the old one ends at `a`. Between them there is no folder at `b`.
fn exchange_by_renames(a: &Path, b: &Path) -> std::io::Result<()> {
    let parent = b.parent().unwrap_or(Path::new("."));
    let aside = parent.join(temp_name(".diglot-old-", ""));
    fs::rename(b, &aside)?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(e);
    }
    fs::rename(&aside, a)
}

/// Every file below `dir`, as (path relative to `root`, path).
pub(crate) fn list_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_file_skips_identical_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.ftl");
        assert!(replace_file(&path, None, b"x = 1\n").unwrap());
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        assert!(!replace_file(&path, Some(b"x = 1\n"), b"x = 1\n").unwrap());
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
        assert!(replace_file(&path, Some(b"x = 1\n"), b"x = 2\n").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"x = 2\n");
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn replace_file_keeps_a_save_made_after_the_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("es.ftl");
        fs::write(&path, "x = uno\n").unwrap();
        // The command read "x = 1"; a translator saved "x = uno" since.
        let err = replace_file(&path, Some(b"x = 1\n"), b"x = 1\ny = 2\n").unwrap_err();
        assert!(matches!(err, Error::Changed { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"x = uno\n");
        // When the command had nothing to change, there is nothing to report.
        assert!(!replace_file(&path, Some(b"x = 1\n"), b"x = 1\n").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"x = uno\n");
        // A file created since the command found none is kept too.
        let new = dir.path().join("fr.ftl");
        fs::write(&new, "x = un\n").unwrap();
        assert!(matches!(replace_file(&new, None, b"x =\n"), Err(Error::Changed { .. })));
        assert_eq!(fs::read(&new).unwrap(), b"x = un\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file left");
    }

    #[test]
    fn non_utf8_is_located_by_line_and_column() {
        let err = decode(Path::new("es.ftl"), b"a = 1\nb = \xe9t\xe9\n".to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "es.ftl:2:5: not valid UTF-8; save the file as UTF-8");
    }

    #[test]
    fn replace_dir_swaps_whole_trees() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut files = BTreeMap::new();
        files.insert("en/index.html".to_string(), b"one".to_vec());
        files.insert("report.json".to_string(), b"{}".to_vec());
        assert!(replace_dir(&out, &files).unwrap());
        assert!(!replace_dir(&out, &files).unwrap());
        files.remove("report.json");
        assert!(replace_dir(&out, &files).unwrap());
        assert!(!out.join("report.json").exists());
        assert_eq!(fs::read(out.join("en/index.html")).unwrap(), b"one");
        // Only dist remains beside it: no staging or old folders.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A file whose bytes did not change keeps its inode and modification
    /// time; a changed one is new.
    #[cfg(unix)]
    #[test]
    fn replace_dir_keeps_unchanged_files() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let mut files = BTreeMap::new();
        files.insert("en/index.html".to_string(), b"same".to_vec());
        files.insert("es/index.html".to_string(), b"old".to_vec());
        assert!(replace_dir(&out, &files).unwrap());
        let meta = |rel: &str| fs::metadata(out.join(rel)).unwrap();
        let (same, changed) = (meta("en/index.html"), meta("es/index.html"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        files.insert("es/index.html".to_string(), b"new".to_vec());
        assert!(replace_dir(&out, &files).unwrap());
        assert_eq!(meta("en/index.html").ino(), same.ino());
        assert_eq!(meta("en/index.html").modified().unwrap(), same.modified().unwrap());
        assert_ne!(meta("es/index.html").ino(), changed.ino());
        assert_eq!(fs::read(out.join("es/index.html")).unwrap(), b"new");
        assert_eq!(meta("en/index.html").nlink(), 1, "the old tree is gone");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("new"), "new").unwrap();
        fs::write(b.join("old"), "old").unwrap();
        exchange(&a, &b).unwrap();
        assert!(b.join("new").exists() && !b.join("old").exists());
        assert!(a.join("old").exists() && !a.join("new").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "nothing set aside");
    }

    #[test]
    fn leftovers_are_recognised_by_name() {
        assert!(is_leftover(".diglot-123-4.tmp", false));
        assert!(is_leftover(".diglot-abcXYZ.tmp", false));
        assert!(is_leftover(".diglot-out-12-3", true));
        assert!(is_leftover(".diglot-old-12-dist", true));
        assert!(!is_leftover(".diglot-output", false));
        assert!(!is_leftover("notes.tmp", false));
        assert!(!is_leftover(".diglot", true));
    }
}
