//! The pipeline's only ways to write: atomically, and only when something
//! changed.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

pub(crate) fn read_to_string(path: &Path) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(io(path))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// Reads a file that may not exist yet.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    match path.try_exists() {
        Ok(false) => Ok(None),
        Ok(true) => read_to_string(path).map(Some),
        Err(e) => Err(Error::Io { path: path.to_path_buf(), source: e }),
    }
}

/// Writes `contents` to `path` through a temporary file in the same folder
/// and a rename, so readers see the old file or the new one, never a part.
/// Returns false, writing nothing, when the file already holds `contents`.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<bool, Error> {
    if fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".diglot-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io(dir))?;
    tmp.write_all(contents).map_err(io(path))?;
    tmp.as_file().sync_all().map_err(io(path))?;
    tmp.persist(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e.error })?;
    Ok(true)
}

/// Replaces the folder `dir` with exactly `files` (relative paths). The new
/// tree is written beside it and swapped in by renames, so a failure leaves
/// the previous folder as it was. Returns false, writing nothing, when the
/// folder already holds exactly these files.
pub(crate) fn replace_dir(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<bool, Error> {
    if same_tree(dir, files) {
        return Ok(false);
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io(parent))?;
    let staging =
        tempfile::Builder::new().prefix(".diglot-out-").tempdir_in(parent).map_err(io(parent))?;
    for (rel, contents) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io(p))?;
        }
        fs::write(&path, contents).map_err(io(&path))?;
    }
    let staged = staging.keep();
    let old = if dir.exists() {
        let old = parent.join(format!(
            ".diglot-old-{}-{}",
            std::process::id(),
            dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        if let Err(e) = fs::rename(dir, &old) {
            let _ = fs::remove_dir_all(&staged);
            return Err(Error::Io { path: dir.to_path_buf(), source: e });
        }
        Some(old)
    } else {
        None
    };
    if let Err(e) = fs::rename(&staged, dir) {
        // Put the previous output back before reporting.
        if let Some(old) = &old {
            let _ = fs::rename(old, dir);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(Error::Io { path: dir.to_path_buf(), source: e });
    }
    if let Some(old) = old {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(true)
}

fn same_tree(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> bool {
    let mut found = Vec::new();
    if list_files(dir, dir, &mut found).is_err() {
        return false;
    }
    found.sort();
    found.len() == files.len()
        && found.iter().all(|(rel, path)| {
            files.get(rel).is_some_and(|c| fs::read(path).is_ok_and(|old| &old == c))
        })
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
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
    fn write_atomic_skips_identical_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.ftl");
        assert!(write_atomic(&path, b"x = 1\n").unwrap());
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        assert!(!write_atomic(&path, b"x = 1\n").unwrap());
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
        assert!(write_atomic(&path, b"x = 2\n").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"x = 2\n");
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
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
}
