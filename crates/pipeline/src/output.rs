//! Where a pipeline may publish. `build` replaces its output folder whole,
//! so the folder must be diglot's own: inside the project (unless the
//! pipeline allows otherwise), apart from the project's sources, locale
//! files, pipelines and version-control folders, and either new, empty,
//! marked by diglot ([`MARKER`]), or holding only what diglot writes.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::Error;

/// The file diglot writes into every output folder it makes; a folder
/// without it is not replaced (but see [`check_existing`]).
pub(crate) const MARKER: &str = ".diglot-output";

pub(crate) const MARKER_TEXT: &str = "This folder is made by diglot and replaced whole on every \
build. Keep nothing else here.\n";

/// Folders of a project that an output may neither be, hold, nor be inside.
const PROTECTED: &[(&str, &str)] = &[
    ("pipelines", "pipelines"),
    ("locales", "locale files"),
    (".diglot", "translation memory"),
    (".git", "Git repository"),
    (".hg", "Mercurial repository"),
    (".svn", "Subversion checkout"),
    (".jj", "Jujutsu repository"),
    (".bzr", "Bazaar branch"),
    ("_darcs", "Darcs repository"),
    (".pijul", "Pijul repository"),
];

/// `path` (absolute) with `.`, `..` and symlinks resolved as the system
/// would, also where its last parts do not exist yet.
pub(crate) fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink()) {
                    out = fs::canonicalize(&out)?;
                }
            }
        }
    }
    Ok(out)
}

/// What an output folder must keep apart from.
#[derive(Debug)]
pub(crate) struct Protected<'a> {
    /// The project folder, resolved.
    pub root: &'a Path,
    /// Files the project reads (articles, glossaries, TMX), resolved.
    pub files: Vec<PathBuf>,
    /// Whether the output may be outside the project.
    pub allow_outside: bool,
}

/// The resolved output folder `output` of the pipeline file `pipeline`, or
/// why it may not be one.
pub(crate) fn check_output(
    pipeline: &Path,
    output: &Path,
    protected: &Protected<'_>,
) -> Result<PathBuf, Error> {
    let refuse = |problem: String| Error::Output {
        path: pipeline.to_path_buf(),
        output: output.to_path_buf(),
        problem,
    };
    if output.as_os_str().is_empty() {
        return Err(refuse("is empty; name a folder inside the project, such as \"dist\"".into()));
    }
    let root = protected.root;
    let dir = resolve(&root.join(output))
        .map_err(|e| refuse(format!("cannot be resolved ({e}); name a folder such as \"dist\"")))?;
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    if dir == root {
        return Err(refuse(
            "is the project folder itself; name a folder inside it, such as \"dist\"".into(),
        ));
    }
    if root.starts_with(&dir) {
        return Err(refuse(format!("holds the project folder ({})", dir.display())));
    }
    if !dir.starts_with(root) && !protected.allow_outside {
        return Err(refuse(format!(
            "is outside the project ({}): it must be inside the project, because build \
             replaces it whole; name a folder such as \"dist\", or set \
             `allow_outside_project = true` in [edition] if diglot may replace that folder",
            dir.display()
        )));
    }
    for (name, what) in PROTECTED {
        let p = root.join(name);
        if dir.starts_with(&p) || p.starts_with(&dir) {
            return Err(refuse(format!(
                "is, holds or is inside the project's {what} ({name}/); name a folder of \
                 its own, such as \"dist\""
            )));
        }
    }
    for file in &protected.files {
        if file.starts_with(&dir) || dir.starts_with(file) {
            return Err(refuse(format!(
                "is or holds {}, which the project reads; name a folder of its own, such \
                 as \"dist\"",
                shown(file)
            )));
        }
    }
    Ok(dir)
}

/// Whether diglot may replace what is at `dir` now: nothing, an empty
/// folder, a folder with [`MARKER`], or one written by a diglot from before
/// the marker (only `report.json` with its `format_version`, and folders of
/// `index.html`, `index.md` and `index.json`). Anything else is someone's.
pub(crate) fn check_existing(pipeline: &Path, output: &Path, dir: &Path) -> Result<(), Error> {
    let refuse = |problem: &str| Error::Output {
        path: pipeline.to_path_buf(),
        output: output.to_path_buf(),
        problem: problem.to_string(),
    };
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(Error::Io { path: dir.to_path_buf(), source }),
    };
    if !meta.is_dir() {
        return Err(refuse("is a file, not a folder diglot made; name a folder such as \"dist\""));
    }
    if fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()) {
        let added = files_diglot_did_not_write(dir)
            .map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        if let Some(first) = added.first() {
            return Err(refuse(&format!(
                "holds {first}{}, which diglot did not write; build replaces its output folder \
                 whole, so move {} out of it first",
                match added.len() {
                    1 => String::new(),
                    n => format!(" and {} more file(s)", n - 1),
                },
                if added.len() == 1 { "it" } else { "them" }
            )));
        }
        return Ok(());
    }
    if made_by_older_diglot(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })? {
        return Ok(());
    }
    if holds_only_diglot_outputs(dir)
        .map_err(|source| Error::Io { path: dir.to_path_buf(), source })?
    {
        return Ok(());
    }
    Err(refuse(&format!(
        "exists and was not made by diglot (it has no {MARKER} file); build replaces its \
         output folder whole, so name another folder, or move this one's files away"
    )))
}

/// Files in a marked output folder that its last build did not write, by
/// the `outputs` its `report.json` lists (relative paths, sorted).
fn files_diglot_did_not_write(dir: &Path) -> std::io::Result<Vec<String>> {
    /// The one field read: the rest of the report (its segment lists can
    /// be megabytes) is skipped without being built.
    #[derive(Default, serde::Deserialize)]
    struct Written {
        #[serde(default)]
        outputs: Option<serde_json::Value>,
    }
    let bytes = fs::read(dir.join("report.json")).unwrap_or_default();
    let outputs = listed_outputs(&bytes)
        .or_else(|| serde_json::from_slice::<Written>(&bytes).ok().and_then(|r| r.outputs));
    let written: Vec<&str> = outputs
        .as_ref()
        .and_then(|o| o.as_array())
        .map(|o| o.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let mut found = Vec::new();
    crate::fs::list_files(dir, dir, &mut found)?;
    // A folder inside that diglot made too (a pipeline's own output, built
    // while the project had no site) is diglot's, though this folder's build
    // did not write it; only the files its own last build did not write are
    // someone else's.
    let mut nested: Vec<(String, Vec<String>)> = Vec::new();
    for (rel, _) in &found {
        let Some(folder) = rel.strip_suffix(&format!("/{MARKER}")) else { continue };
        let foreign = files_diglot_did_not_write(&dir.join(folder))?;
        nested.push((
            format!("{folder}/"),
            foreign.into_iter().map(|f| format!("{folder}/{f}")).collect(),
        ));
    }
    let diglots = |rel: &str| {
        nested.iter().any(|(folder, foreign)| {
            rel.starts_with(folder.as_str()) && !foreign.iter().any(|f| f == rel)
        })
    };
    let mut added: Vec<String> = found
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel != MARKER && rel != "report.json" && !written.contains(&rel.as_str()))
        .filter(|rel| !diglots(rel))
        .collect();
    added.sort();
    Ok(added)
}

/// The top-level `outputs` of a `report.json` as diglot writes it (pretty
/// printed, two spaces a level), found without parsing the rest: a line
/// break followed by two spaces and a key is a top-level key, as strings
/// hold no raw line breaks. None when there is no such line.
fn listed_outputs(report: &[u8]) -> Option<serde_json::Value> {
    const KEY: &[u8] = b"\n  \"outputs\": ";
    let at = report.windows(KEY.len()).rposition(|w| w == KEY)?;
    let mut values = serde_json::Deserializer::from_slice(&report[at + KEY.len()..])
        .into_iter::<serde_json::Value>();
    values.next()?.ok()
}

/// Whether `dir` holds nothing but output folders diglot made, each marked
/// and holding only what its last build wrote: the folders of a project's
/// pipelines (`dist/<slug>/`) that a site (`[site] output = "dist"`) takes
/// the place of.
fn holds_only_diglot_outputs(dir: &Path) -> std::io::Result<bool> {
    let mut any = false;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if !entry.file_type()?.is_dir()
            || !fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file())
            || !files_diglot_did_not_write(&path)?.is_empty()
        {
            return Ok(false);
        }
        any = true;
    }
    Ok(any)
}

fn made_by_older_diglot(dir: &Path) -> std::io::Result<bool> {
    let mut report = false;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let name = entry.file_name();
        if kind.is_file() && name == "report.json" {
            let text = fs::read(entry.path())?;
            let value: serde_json::Value = serde_json::from_slice(&text).unwrap_or_default();
            if value.get("format_version").is_none() {
                return Ok(false);
            }
            report = true;
        } else if kind.is_dir() {
            for inner in fs::read_dir(entry.path())? {
                let inner = inner?;
                let ok = inner.file_type()?.is_file()
                    && ["index.html", "index.md", "index.json"]
                        .iter()
                        .any(|n| inner.file_name() == *n);
                if !ok {
                    return Ok(false);
                }
            }
        } else {
            return Ok(false);
        }
    }
    // An empty folder holds nothing to lose either.
    Ok(report || fs::read_dir(dir)?.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick read of `outputs` agrees with parsing the whole report,
    /// and is not fooled by the same words inside a string.
    #[test]
    fn listed_outputs_reads_the_top_level_field() {
        let report = serde_json::json!({
            "format_version": 1,
            "locales": [{ "missing": [{ "source": "\n  \"outputs\": [\"x\"]" }] }],
            "outputs": ["en-US/index.html", "report.json"],
            "translation": [{ "outputs": ["no"] }],
        });
        let pretty = serde_json::to_vec_pretty(&report).unwrap();
        assert_eq!(listed_outputs(&pretty), Some(report["outputs"].clone()));
        assert_eq!(listed_outputs(&serde_json::to_vec(&report).unwrap()), None);
    }

    fn check(output: &str) -> Result<PathBuf, String> {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(root.join("articles")).unwrap();
        fs::write(root.join("articles/a.txt"), "A.").unwrap();
        let protected = Protected {
            root: &root,
            files: vec![root.join("articles/a.txt")],
            allow_outside: false,
        };
        check_output(Path::new("pipelines/a.toml"), Path::new(output), &protected)
            .map(|p| p.strip_prefix(&root).unwrap().to_path_buf())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn outputs_are_folders_of_their_own_inside_the_project() {
        assert_eq!(check("dist").unwrap(), Path::new("dist"));
        assert_eq!(check("site/./public").unwrap(), Path::new("site/public"));
        assert_eq!(check("articles/out").unwrap(), Path::new("articles/out"));
        for bad in ["", ".", "x/..", "..", "../x", "/tmp", "locales", "locales/es-ES", ".git/x"] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        let err = check("articles").unwrap_err();
        assert!(err.contains("articles/a.txt"), "{err}");
        let err = check("articles/a.txt").unwrap_err();
        assert!(err.contains("articles/a.txt"), "{err}");
    }

    #[test]
    fn only_folders_diglot_made_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let ok = |d: &Path| check_existing(Path::new("p.toml"), Path::new("dist"), d).is_ok();
        assert!(ok(&out), "nothing there yet");
        fs::create_dir(&out).unwrap();
        assert!(ok(&out), "empty");
        fs::create_dir(out.join("es-ES")).unwrap();
        fs::write(out.join("es-ES/index.html"), "<html>").unwrap();
        assert!(!ok(&out), "no report.json: not recognisably diglot's");
        fs::write(out.join("report.json"), r#"{"format_version": 1}"#).unwrap();
        assert!(ok(&out), "an older diglot's output");
        fs::write(out.join("es-ES/photo.jpg"), "jpeg").unwrap();
        assert!(!ok(&out), "someone's file");
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(
            out.join("report.json"),
            r#"{"format_version": 1, "outputs": ["es-ES/index.html", "report.json"]}"#,
        )
        .unwrap();
        assert!(!ok(&out), "marked, but holding a file its last build did not write");
        fs::remove_file(out.join("es-ES/photo.jpg")).unwrap();
        assert!(ok(&out), "marked, holding only what its last build wrote");
    }
}
