//! `diglot init` and `diglot new`: start a project, add an article. Both
//! only add files, and print what to do next.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use diglot_pipeline::{FileState, NewArticle, Project, Scaffold};

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The project folder, created when missing; the current folder when omitted.
    dir: Option<PathBuf>,
    /// The first article (.txt, .md or .html), copied into articles/; a sample article
    /// when omitted.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    #[command(flatten)]
    article: ArticleArgs,
    /// The article's name in file names and URLs; derived from the file name when omitted.
    #[arg(long, value_name = "SLUG")]
    slug: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The article's name in file names and URLs: lowercase letters, digits, hyphens.
    slug: String,
    /// The article (.txt, .md or .html), copied into articles/.
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    #[command(flatten)]
    article: ArticleArgs,
}

#[derive(Debug, Args)]
struct ArticleArgs {
    /// Target locales, comma-separated (es-ES,fr-FR); Spanish for an English article and
    /// English for a Spanish one when omitted.
    #[arg(long, value_name = "LOCALES", value_delimiter = ',')]
    locales: Vec<String>,
    /// The article's locale (en-US, es-ES); detected from its text when omitted.
    #[arg(long, value_name = "LOCALE")]
    lang: Option<String>,
}

pub(crate) fn init(args: InitArgs, project_dir: &Path) -> Result<ExitCode> {
    // `diglot -C base init site` creates base/site, as `git -C` would.
    let dir = match args.dir {
        None => project_dir.to_path_buf(),
        Some(dir) if project_dir == Path::new(".") => dir,
        Some(dir) => project_dir.join(dir),
    };
    let article = NewArticle {
        slug: args.slug,
        from: args.from,
        lang: args.article.lang,
        locales: args.article.locales,
    };
    let made = diglot_pipeline::init(&dir, &article)?;
    let mut out = std::io::stdout().lock();
    print_files(&mut out, &dir, &made)?;
    if !made.gitignore_missing.is_empty() {
        writeln!(
            out,
            "  add to {}: {}",
            shown(&dir, Path::new(".gitignore")),
            made.gitignore_missing.join(" ")
        )?;
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("-C {} ", shell_word(&dir.display().to_string()))
    };
    if made.article_added {
        next_steps(&mut out, &dir, &cd, &made)?;
    } else {
        writeln!(out)?;
        writeln!(out, "The project has its articles; no sample article was added.")?;
        writeln!(out, "Next:")?;
        writeln!(out, "  diglot {cd}build   writes each pipeline's editions")?;
    }
    writeln!(out, "  diglot {cd}new SLUG --from FILE   adds another article")?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn new(args: NewArgs, project: &Project, project_dir: &Path) -> Result<ExitCode> {
    let article = NewArticle {
        slug: Some(args.slug),
        from: Some(args.from),
        lang: args.article.lang,
        locales: args.article.locales,
    };
    let made = diglot_pipeline::new_article(project, &article)?;
    let mut out = std::io::stdout().lock();
    let shown_root = relative_root(project, project_dir);
    print_files(&mut out, &shown_root, &made)?;
    let cd = if shown_root == Path::new(".") {
        String::new()
    } else {
        format!("-C {} ", shell_word(&shown_root.display().to_string()))
    };
    next_steps(&mut out, &shown_root, &cd, &made)?;
    Ok(ExitCode::SUCCESS)
}

fn print_files(out: &mut impl Write, dir: &Path, made: &Scaffold) -> Result<()> {
    for (file, state) in &made.files {
        let what = match state {
            FileState::Created => "created",
            FileState::Unchanged => "already there",
            FileState::LeftAlone => "left alone (it exists)",
        };
        writeln!(out, "{what} {}", shown(dir, file))?;
    }
    Ok(())
}

fn next_steps(out: &mut impl Write, dir: &Path, cd: &str, made: &Scaffold) -> Result<()> {
    let slug = &made.slug;
    let output = shown(dir, &made.output);
    writeln!(out)?;
    writeln!(out, "Next:")?;
    writeln!(
        out,
        "  diglot {cd}build {slug}   writes {output}/: one edition per locale ({}, {}) and bilingual/",
        made.source_locale,
        made.locales.join(", ")
    )?;
    for locale in &made.locales {
        writeln!(
            out,
            "  translate {}   (written by build; `diglot {cd}status` shows what is missing)",
            shown(dir, &Path::new("locales").join(locale).join(format!("{slug}.ftl")))
        )?;
    }
    Ok(())
}

/// The project root as the user would type it: relative to the folder
/// given with -C (or the current one) when it is that folder or above it.
fn relative_root(project: &Project, project_dir: &Path) -> PathBuf {
    let start = std::fs::canonicalize(project_dir).unwrap_or_else(|_| project_dir.to_path_buf());
    let mut up = PathBuf::new();
    for ancestor in start.ancestors() {
        if ancestor == project.root() {
            let base = if project_dir == Path::new(".") {
                PathBuf::from(".")
            } else {
                project_dir.to_path_buf()
            };
            return if up.as_os_str().is_empty() { base } else { base.join(up) };
        }
        up.push("..");
    }
    project.root().to_path_buf()
}

fn shown(dir: &Path, file: &Path) -> String {
    if dir == Path::new(".") {
        file.display().to_string()
    } else {
        dir.join(file).display().to_string()
    }
}

/// `text` quoted for a POSIX shell when it needs to be.
fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
