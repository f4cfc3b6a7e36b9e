//! `diglot init` and `diglot new`: a project's first files and each new
//! article's pipeline.
//!
//! Both only ever add files. A file that exists is never replaced: `init`
//! leaves it alone and says so, `new` refuses before writing anything. Each
//! file is written to a temporary name and linked into place, so it appears
//! whole or not at all, and a file someone creates meanwhile is kept.

use std::path::{Path, PathBuf};

use diglot_core::{Locale, parse_locale};

use crate::{Error, Project, fs};

/// The article `init` publishes when it is given none.
const SAMPLE_ARTICLE: &str = include_str!("init/sample.md");
/// The slug of the sample article.
const SAMPLE_SLUG: &str = "first-article";

/// What diglot makes in a project and never commits: the output folders, the
/// lock and translation memory, and the temporary names of interrupted runs.
pub const GITIGNORE_LINES: [&str; 5] =
    ["/dist", "/.diglot", ".diglot-*.tmp", ".diglot-out-*", ".diglot-old-*"];

/// The article to add: `init`'s first one or `new`'s.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    /// File names and URLs: `pipelines/<slug>.toml`, `articles/<slug>.<ext>`,
    /// `dist/<slug>/`. Derived from the file name when `None`.
    pub slug: Option<String>,
    /// The article to copy into `articles/`; `init` writes a sample without it.
    pub from: Option<PathBuf>,
    /// The article's locale; detected from its text when `None`.
    pub lang: Option<String>,
    /// Target locales; the other of English and Spanish when empty.
    pub locales: Vec<String>,
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    Created,
    /// It existed with exactly these contents.
    Unchanged,
    /// It existed with other contents, and was kept.
    LeftAlone,
}

/// What `init` or `new` did.
#[derive(Debug, Clone)]
pub struct Scaffold {
    /// The project folder.
    pub root: PathBuf,
    /// Each file, relative to `root`, and what happened to it.
    pub files: Vec<(PathBuf, FileState)>,
    pub slug: String,
    pub source_locale: String,
    pub locales: Vec<String>,
    /// The article's output folder, relative to `root`.
    pub output: PathBuf,
    /// Lines of [`GITIGNORE_LINES`] that a `.gitignore` left alone lacks.
    pub gitignore_missing: Vec<String>,
    /// Whether an article was added. `init` without `from` in a project
    /// that already has other pipelines adds none (its pipelines are listed
    /// in `files` as left alone); `slug`, `locales` and `output` are then
    /// empty.
    pub article_added: bool,
}

/// One file to write.
struct Planned {
    rel: PathBuf,
    contents: Vec<u8>,
    state: FileState,
}

/// Creates a project in `dir` (made if missing): the article's pipeline and
/// its copy in `articles/`, a `.gitignore` and a CI example.
///
/// In a folder that already has files, only missing ones are added; the
/// others are left alone and listed. The one refusal: an article given with
/// `from` whose `articles/` copy or pipeline exists with other contents, since
/// building would then not publish that article. Nothing is written then.
pub fn init(dir: &Path, article: &NewArticle) -> Result<Scaffold, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Scaffold {
            message: format!(
                "{} is a file, not a folder: give `diglot init` a folder to create the project in",
                dir.display()
            ),
        });
    }
    std::fs::create_dir_all(dir).map_err(fs::io(dir))?;
    let root = std::fs::canonicalize(dir).map_err(fs::io(dir))?;
    if article.from.is_none() {
        let existing = other_pipelines(&root)?;
        if !existing.is_empty() {
            return restore_scaffolding(root, existing);
        }
    }
    let (prepared, mut plan) = prepare_article(&root, article)?;
    if article.from.is_some() {
        if let Some(p) = plan.iter().find(|p| p.state == FileState::LeftAlone) {
            return Err(Error::Scaffold {
                message: format!(
                    "{} exists and differs from what `init` would write; nothing was written. \
                     Add the article under another name: `diglot -C {} new OTHER-SLUG --from FILE`",
                    dir.join(&p.rel).display(),
                    dir.display()
                ),
            });
        }
    }
    check_output_free(&root, &prepared.output, &prepared.slug)?;
    let gitignore_missing = plan_scaffolding(&root, &mut plan)?;
    let files = write_all(&root, plan)?;
    Ok(prepared.scaffold(root, files, gitignore_missing))
}

/// Adds the project files (`.gitignore`, the CI example) to `plan`; returns
/// the lines a `.gitignore` left alone lacks.
fn plan_scaffolding(root: &Path, plan: &mut Vec<Planned>) -> Result<Vec<String>, Error> {
    plan.push(planned(root, ".gitignore", gitignore().into_bytes())?);
    plan.push(planned(root, ".github/workflows/diglot.yml", ci_workflow().into_bytes())?);
    Ok(match plan.iter().find(|p| p.rel == Path::new(".gitignore")) {
        Some(p) if p.state == FileState::LeftAlone => {
            let text = std::fs::read_to_string(root.join(".gitignore")).unwrap_or_default();
            GITIGNORE_LINES
                .iter()
                .filter(|line| !text.lines().any(|l| l.trim() == **line))
                .map(|l| l.to_string())
                .collect()
        }
        _ => Vec::new(),
    })
}

/// The pipeline files of the project at `root` other than the sample's,
/// relative to `root`, sorted.
fn other_pipelines(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let dir = root.join("pipelines");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(fs::io(&dir)(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let name = entry.map_err(fs::io(&dir))?.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".toml") && name != format!("{SAMPLE_SLUG}.toml") {
            found.push(PathBuf::from("pipelines").join(name.as_ref()));
        }
    }
    found.sort();
    Ok(found)
}

/// `init` in a project that has its articles: only the missing project
/// files are added, and no sample article joins the publication.
fn restore_scaffolding(root: PathBuf, pipelines: Vec<PathBuf>) -> Result<Scaffold, Error> {
    let mut plan = Vec::new();
    let gitignore_missing = plan_scaffolding(&root, &mut plan)?;
    let mut files: Vec<(PathBuf, FileState)> =
        pipelines.into_iter().map(|p| (p, FileState::LeftAlone)).collect();
    files.extend(write_all(&root, plan)?);
    Ok(Scaffold {
        root,
        files,
        slug: String::new(),
        source_locale: String::new(),
        locales: Vec::new(),
        output: PathBuf::new(),
        gitignore_missing,
        article_added: false,
    })
}

/// Adds an article to `project`: copies `article.from` into
/// `articles/<slug>.<ext>` and writes `pipelines/<slug>.toml`. Refuses,
/// writing nothing, when either exists or when another pipeline publishes
/// to a folder that holds or is inside `dist/<slug>`.
pub fn new_article(project: &Project, article: &NewArticle) -> Result<Scaffold, Error> {
    let root = project.root().to_path_buf();
    if article.from.is_none() {
        return Err(Error::Scaffold {
            message: "`diglot new` needs the article: --from FILE".into(),
        });
    }
    let (prepared, plan) = prepare_article(&root, article)?;
    if let Some(p) = plan.iter().find(|p| p.state != FileState::Created) {
        return Err(Error::Scaffold {
            message: format!(
                "{} already exists; nothing was written. Choose another slug (`diglot new OTHER-SLUG --from FILE`)",
                p.rel.display()
            ),
        });
    }
    check_output_free(&root, &prepared.output, &prepared.slug)?;
    let files = write_all(&root, plan)?;
    Ok(prepared.scaffold(root, files, Vec::new()))
}

/// Whether `slug` can name a pipeline, an article file and an output
/// folder: lowercase ASCII letters, digits and single hyphens, starting
/// with a letter or digit, at most 64 characters.
pub(crate) fn check_slug(slug: &str) -> Result<(), Error> {
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok { Ok(()) } else { Err(Error::Slug { slug: slug.to_string() }) }
}

/// A slug from a file name: `Flood Report (2026).md` -> `flood-report-2026`.
fn slug_from_name(name: &str) -> String {
    // Accented letters become their plain ones (`Artículo`, `artículo`):
    // a slug reads like the name it comes from.
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    let words: Vec<&str> =
        ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut slug = String::new();
    for w in words {
        if slug.len() + w.len() + 1 > 64 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(w);
    }
    slug
}

/// The article's pipeline, checked, with the files to write for it.
struct Prepared {
    slug: String,
    source_locale: String,
    locales: Vec<String>,
    output: PathBuf,
}

impl Prepared {
    /// What `init` or `new` did, having added this article.
    fn scaffold(
        self,
        root: PathBuf,
        files: Vec<(PathBuf, FileState)>,
        gitignore_missing: Vec<String>,
    ) -> Scaffold {
        Scaffold {
            root,
            files,
            slug: self.slug,
            source_locale: self.source_locale,
            locales: self.locales,
            output: self.output,
            gitignore_missing,
            article_added: true,
        }
    }
}

fn prepare_article(root: &Path, article: &NewArticle) -> Result<(Prepared, Vec<Planned>), Error> {
    // The article is copied byte for byte; its text is only read to check it.
    let (name, raw, text) = match &article.from {
        Some(from) => {
            let bytes = std::fs::read(from).map_err(fs::io(from))?;
            (from.clone(), bytes.clone(), fs::decode(from, bytes)?)
        }
        None => (
            PathBuf::from(format!("{SAMPLE_SLUG}.md")),
            SAMPLE_ARTICLE.as_bytes().to_vec(),
            SAMPLE_ARTICLE.to_string(),
        ),
    };
    let bad = |message: String| Error::Article { path: name.clone(), message };
    let format = diglot_ingest::Format::from_path(&name).ok_or_else(|| {
        bad("cannot tell the format from the extension: name the file .txt, .md or .html".into())
    })?;
    let ext = name.extension().and_then(|e| e.to_str()).unwrap_or("txt").to_ascii_lowercase();
    let slug = match &article.slug {
        Some(slug) => slug.clone(),
        None => {
            let stem =
                name.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let slug = slug_from_name(&stem);
            if slug.is_empty() {
                return Err(bad(
                    "no slug can be made from this file name: give one (`--slug NAME`)".into(),
                ));
            }
            slug
        }
    };
    check_slug(&slug)?;
    let doc = diglot_ingest::read(&text, format)
        .map_err(|source| Error::Ingest { path: name.clone(), source })?;
    let source: Locale = match &article.lang {
        Some(tag) => parse_locale(tag).map_err(|source| Error::LocaleOption {
            path: Some(name.clone()),
            option: "--lang",
            source,
        })?,
        None => {
            let found =
                doc.lang.clone().or_else(|| diglot_ingest::detect_language(&doc.plain_text()));
            let found = found.ok_or_else(|| {
                bad("cannot tell the article's language: give it (`--lang en-US`)".into())
            })?;
            crate::with_default_region(found)
        }
    };
    let mut locales: Vec<Locale> = Vec::new();
    for tag in &article.locales {
        let locale = parse_locale(tag).map_err(|source| Error::LocaleOption {
            path: Some(name.clone()),
            option: "--locales",
            source,
        })?;
        if locale == source {
            return Err(bad(format!(
                "{tag} is the article's own language: list only the languages to translate into"
            )));
        }
        if locales.contains(&locale) {
            return Err(bad(format!("{tag} is listed twice in --locales")));
        }
        locales.push(locale);
    }
    if locales.is_empty() {
        let other = if source.language.as_str() == "es" { "en-US" } else { "es-ES" };
        locales.push(other.parse().expect("valid tag"));
    }
    let locales: Vec<String> = locales.iter().map(Locale::to_string).collect();
    let output = PathBuf::from("dist").join(&slug);
    let article_rel = PathBuf::from("articles").join(format!("{slug}.{ext}"));
    let pipeline_text = pipeline_toml(&article_rel, &source.to_string(), &locales, &output);
    let plan = vec![
        planned(root, &article_rel, raw)?,
        planned(root, format!("pipelines/{slug}.toml"), pipeline_text.into_bytes())?,
    ];
    let prepared = Prepared { slug, source_locale: source.to_string(), locales, output };
    Ok((prepared, plan))
}

fn planned(root: &Path, rel: impl AsRef<Path>, contents: Vec<u8>) -> Result<Planned, Error> {
    let rel = rel.as_ref().to_path_buf();
    let path = root.join(&rel);
    // A dangling symlink counts as a file that exists: never written through.
    let exists = std::fs::symlink_metadata(&path).is_ok();
    let state = if !exists {
        FileState::Created
    } else if fs::read_bytes_optional(&path)?.as_deref() == Some(&contents[..]) {
        FileState::Unchanged
    } else {
        FileState::LeftAlone
    };
    Ok(Planned { rel, contents, state })
}

/// Refuses an output folder that another pipeline's holds or is inside.
fn check_output_free(root: &Path, output: &Path, slug: &str) -> Result<(), Error> {
    let Ok(project) = Project::discover(root) else { return Ok(()) };
    if project.root() != root {
        return Ok(());
    }
    let mine = root.join(output);
    for file in project.pipeline_files()? {
        if file.file_stem().is_some_and(|s| s == slug) {
            continue;
        }
        let Ok(pipeline) = crate::Pipeline::load(root, &file) else { continue };
        let Ok(theirs) = pipeline.output_dir() else { continue };
        if mine.starts_with(&theirs) || theirs.starts_with(&mine) {
            let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
            return Err(Error::Scaffold {
                message: format!(
                    "{} publishes to {}/, which would overlap {}/, this article's output; nothing was written. \
                     Give that pipeline an [edition] output of its own (like dist/{}), then run this again",
                    rel(&file),
                    rel(&theirs),
                    output.display(),
                    file.file_stem().unwrap_or_default().to_string_lossy()
                ),
            });
        }
    }
    Ok(())
}

/// Writes the files planned as new, each atomically and only if it still
/// does not exist.
fn write_all(root: &Path, plan: Vec<Planned>) -> Result<Vec<(PathBuf, FileState)>, Error> {
    let mut done = Vec::new();
    for p in plan {
        let state = if p.state == FileState::Created {
            if create_file(&root.join(&p.rel), &p.contents)? {
                FileState::Created
            } else {
                FileState::LeftAlone
            }
        } else {
            p.state
        };
        done.push((p.rel, state));
    }
    Ok(done)
}

/// Creates `path` with `contents`: written under a temporary name, then
/// hard-linked into place, which fails rather than replace a file that
/// appeared meanwhile. Returns false when one did.
fn create_file(path: &Path, contents: &[u8]) -> Result<bool, Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fs::io(dir))?;
    let tmp = dir.join(fs::temp_name(".diglot-", ".tmp"));
    std::fs::write(&tmp, contents).map_err(fs::io(&tmp))?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(fs::io(path)(e)),
    }
}

fn pipeline_toml(article: &Path, lang: &str, locales: &[String], output: &Path) -> String {
    let list: Vec<String> = locales.iter().map(|l| format!("\"{l}\"")).collect();
    format!(
        "# One publication: the article, its languages and where the editions go.\n\
         # Every setting is described in diglot's README (\"A project\").\n\
         \n\
         [article]\n\
         source = \"{article}\"\n\
         lang = \"{lang}\"\n\
         # author = \"Your Name\"\n\
         # published = \"2026-01-31\"\n\
         \n\
         [edition]\n\
         locales = [{list}]\n\
         output = \"{output}\"\n\
         # `diglot build` exits 1 while a target locale is below this percentage.\n\
         min_coverage = 0\n",
        article = article.display().to_string().replace('\\', "/"),
        list = list.join(", "),
        output = output.display().to_string().replace('\\', "/"),
    )
}

fn gitignore() -> String {
    let mut text = String::from(
        "# diglot: the editions it builds, its lock and translation memory, and the\n\
         # temporary files of interrupted runs.\n",
    );
    for line in GITIGNORE_LINES {
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn ci_workflow() -> String {
    "# Builds every edition on each push and keeps them as an artifact.\n\
     # The build fails (exit 1) when a locale file has errors or a target locale is\n\
     # below its pipeline's min_coverage; `extract --check` fails when the locale\n\
     # files are out of date with the articles (run `diglot extract` and commit).\n\
     #\n\
     # diglot is built from its source: set the repository variable DIGLOT_GIT\n\
     # (Settings > Secrets and variables > Actions > Variables) to the Git URL of\n\
     # the diglot repository you install from.\n\
     name: diglot\n\
     on: [push, pull_request]\n\
     jobs:\n\
     \x20 build:\n\
     \x20   runs-on: ubuntu-latest\n\
     \x20   env:\n\
     \x20     DIGLOT_GIT: ${{ vars.DIGLOT_GIT }}\n\
     \x20   steps:\n\
     \x20     - uses: actions/checkout@v4\n\
     \x20     - uses: dtolnay/rust-toolchain@stable\n\
     \x20     - name: Install diglot\n\
     \x20       run: |\n\
     \x20         if [ -z \"$DIGLOT_GIT\" ]; then\n\
     \x20           echo \"::error::set the repository variable DIGLOT_GIT to the Git URL of diglot's source\"\n\
     \x20           exit 1\n\
     \x20         fi\n\
     \x20         cargo install --locked --git \"$DIGLOT_GIT\" diglot-cli\n\
     \x20     - run: diglot extract --check\n\
     \x20     - run: diglot build\n\
     \x20     - uses: actions/upload-artifact@v4\n\
     \x20       if: always()\n\
     \x20       with:\n\
     \x20         name: editions\n\
     \x20         path: dist/\n"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for good in ["a", "flood-report-2026", "x1"] {
            assert!(check_slug(good).is_ok(), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a/b", "..", "é", &"a".repeat(65)] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert_eq!(slug_from_name("Flood Report (2026)"), "flood-report-2026");
        assert_eq!(slug_from_name("--__"), "");
        assert_eq!(slug_from_name("Mi Artículo (v2)"), "mi-articulo-v2");
        assert_eq!(slug_from_name("Año Ñandú Über"), "ano-nandu-uber");
    }

    #[test]
    fn the_pipeline_written_parses() {
        let text = pipeline_toml(
            Path::new("articles/a.md"),
            "en-US",
            &["es-ES".into(), "fr-FR".into()],
            Path::new("dist/a"),
        );
        let config = crate::Config::parse(Path::new("a.toml"), &text).unwrap();
        assert_eq!(config.edition.locales, ["es-ES", "fr-FR"]);
        assert_eq!(config.edition.output, Path::new("dist/a"));
        assert_eq!(config.article.lang.as_deref(), Some("en-US"));
    }
}
