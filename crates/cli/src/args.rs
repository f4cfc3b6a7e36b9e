//! The command line's definition: clap derive structs for `diglot` and its
//! subcommands (some subcommands' arguments live beside their code:
//! `align::AlignArgs`, `scaffold::InitArgs`, `exchange::XliffAction`...).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::{align, exchange, memory, scaffold, serve};

#[derive(Debug, Parser)]
#[command(
    name = "diglot",
    bin_name = "diglot",
    version,
    about = "Publish an article in several languages through Fluent locale files.",
    long_about = "diglot carries a news article (plain text, Markdown or HTML; English or Spanish) \
through Fluent locale files that translators edit, and publishes localized and bilingual editions.\n\n\
A project holds pipelines/<name>.toml (one per publication), the articles they name, and \
locales/<locale>/<slug>.ftl. Commands take a PIPELINE name (the file's stem) or path; \
without one they run every pipeline of the project.",
    after_help = "Start a project: `diglot init --from article.md --locales es-ES site && diglot -C site build`.\n\n\
Exit status: 0 ok, 1 a check failed (coverage gate, malformed locale file), 2 usage or I/O error, 130 interrupted."
)]
pub(crate) struct Cli {
    /// Run in DIR: the project is the nearest folder holding pipelines/, DIR or above it.
    #[arg(short = 'C', long = "project", global = true, default_value = ".", value_name = "DIR")]
    pub(crate) project: PathBuf,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Update the locale files and publish every edition, with report.json.
    ///
    /// For each pipeline (every one of the project without PIPELINE):
    ///
    /// 1. Checks, before writing anything, that each output folder may be replaced: it is
    ///    inside the project and apart from its articles, pipelines/, locales/, .diglot/ and
    ///    version control, and it is missing, empty, or made by diglot (holds .diglot-output);
    ///    no two pipelines share one. Then takes the project's lock, .diglot/lock.
    ///
    /// 2. With `in_build = true` in [translate], runs `diglot translate` first: drafts from
    ///    translation memory and machine translation go into the target locale files.
    ///
    /// 3. Extracts, like `diglot extract`: rewrites the reference locale file from the article
    ///    and merges each target locale file (a file with syntax errors is not rewritten).
    ///
    /// 4. Builds each locale's edition: reviewed translations, drafts (labelled), and the source
    ///    sentence where a translation is missing or stale. The edition's own strings come from
    ///    locales/<locale>/edition.ftl, else the source locale's or en-US's, else built-in ones.
    ///
    /// 5. Writes <output>/<locale>/index.html, index.md and index.json,
    ///    <output>/bilingual/index.html (the source beside the `bilingual` locale, by default
    ///    the first target), <output>/report.json and .diglot-output. The folder is replaced
    ///    in one atomic swap, and not at all when nothing changed.
    ///
    /// With a [site] table in diglot.toml, every pipeline builds into the one site folder
    /// ([site] output, default dist): <locale>/<slug>/ per edition, bilingual/<slug>/, a
    /// home page per locale, index.html, and with base_url sitemap.xml and
    /// <locale>/atom.xml; the site is replaced whole, only when every article built.
    ///
    /// The build fails (exit 1) when a locale file has errors, a target is below the coverage
    /// gate, unreviewed drafts are published under --require-reviewed, or the translate step
    /// left sentences untranslated because a provider stopped. A failed build keeps the
    /// previous output folder as it was, unless --write-on-failure. Ctrl-C during the
    /// translate step keeps the drafts made so far and exits 130.
    Build {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Fail (exit 1) when a target locale has less than this percent of its sentences
        /// translated. Overrides the pipeline's `min_coverage`.
        #[arg(long, value_name = "PERCENT", value_parser = percent)]
        min_coverage: Option<f64>,
        /// Fail (exit 1) while any unreviewed draft would be published.
        #[arg(long)]
        require_reviewed: bool,
        /// Run `diglot check` and fail (exit 1) on its errors, as `[check] in_build = true`
        /// does.
        #[arg(long)]
        check: bool,
        /// Replace the output folder even when the build fails; by default a failed build
        /// leaves the previous output as it was.
        #[arg(long)]
        write_on_failure: bool,
    },
    /// Fill missing and stale translations with drafts from translation memory and
    /// machine translation.
    ///
    /// Sources are tried in order: translation memory (exact, then fuzzy), then the
    /// providers of the pipeline's [translate] section. Drafts are written into the target
    /// locale files marked `# unreviewed: <origin>`; a translator accepts one by deleting that
    /// line. A translator's stale translation is never replaced: the draft is written above it
    /// as `# suggestion (<origin>): …`, taken by changing `suggestion` to `accept` (or use
    /// --replace-stale). Machine translations are cached in .diglot/memory.sqlite: the same
    /// text is never sent twice.
    Translate {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Only this target locale (repeatable).
        #[arg(long = "locale", value_name = "LOCALE")]
        locales: Vec<String>,
        /// List what would be sent and its character count; send and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace stale translations with the drafts (each kept in a `# previous translation:`
        /// line) instead of offering the drafts as suggestions.
        #[arg(long)]
        replace_stale: bool,
        /// Print what happened as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Score machine-translation providers against the reviewed translations (BLEU, chrF).
    Eval {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// The target locale whose reviewed translations are the references.
        #[arg(long, value_name = "LOCALE")]
        locale: String,
        /// Only this provider (its `kind`).
        #[arg(long, value_name = "NAME")]
        provider: Option<String>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the reference locale file and merge every target locale file.
    ///
    /// Unchanged translations are kept; a translation whose source sentence changed is kept
    /// and marked `# stale, source was: …`; one whose sentence is gone moves to the
    /// Obsolete section. Comments are kept. Nothing is written when any locale file has a
    /// syntax error.
    Extract {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Write nothing; exit 1 if any locale file is out of date with its article.
        #[arg(long)]
        check: bool,
    },
    /// Show how much of each locale is translated. Writes nothing.
    Status {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Print a JSON array with one report per pipeline, each shaped like report.json
        /// (schemas/report.schema.json).
        #[arg(long)]
        json: bool,
    },
    /// Check target locale files before publishing. Writes nothing.
    ///
    /// Reports, each with a stable code, a severity, file:line:col and a hint: syntax errors
    /// and duplicate IDs; missing, obsolete, stale and unreviewed messages; markup, link, code
    /// and number mismatches with the source sentence (numbers compared by value in each
    /// locale's separators); translations identical to the source; length outliers (under
    /// 0.3 or over 3 times the source's characters); glossary and do-not-translate terms; and,
    /// for Spanish, missing `¿`/`¡`, double spaces and spaces before punctuation. `[check]
    /// allow` and `[check.allow_messages]` in the pipeline file silence codes.
    ///
    /// Exit 1 when any finding is an error; warnings alone exit 0.
    Check {
        /// Pipeline name or path; every pipeline when omitted.
        pipeline: Option<String>,
        /// Only this target locale.
        #[arg(long, value_name = "LOCALE")]
        locale: Option<String>,
        /// Print the findings as a JSON array (code, severity, locale, file, line, col,
        /// message_id, message, hint).
        #[arg(long)]
        json: bool,
    },
    /// Search the translation memory, or import or export it (TMX 1.4b).
    ///
    /// The memory lives in .diglot/memory.sqlite. It holds every reviewed translation of the
    /// project's locale files, of every pipeline (refreshed on each `translate`), and the TMX
    /// files imported.
    Memory {
        #[command(subcommand)]
        action: MemoryAction,
    },
    /// Fill a target locale file from an existing human translation of the article.
    ///
    /// Pairs the translation's blocks with the article's by structure and order (merged, split,
    /// added or missing paragraphs allowed), then its sentences by length (Gale-Church) and
    /// anchors (numbers, links, code, names), one-to-one, one-to-two or two-to-one. Each pair
    /// fills a sentence not translated yet, marked `# unreviewed: aligned (score)` for review;
    /// what could not be paired is listed.
    Align(align::AlignArgs),
    /// Export a locale as XLIFF for CAT tools (OmegaT, Trados, memoQ), or import one back.
    Xliff {
        #[command(subcommand)]
        action: exchange::XliffAction,
    },
    /// Export a locale as a gettext PO file (Poedit, Lokalize, Weblate), or import one back.
    Po {
        #[command(subcommand)]
        action: exchange::PoAction,
    },
    /// Start a project: a pipeline for a first article, .gitignore and a CI example.
    ///
    /// Creates DIR when missing. Copies the article (--from, or a sample) into articles/ and
    /// writes pipelines/<slug>.toml, publishing to dist/<slug>/. Only adds files: one that
    /// exists is left alone and listed; with --from, an existing different article or pipeline
    /// of the same slug stops init before it writes anything. No locale files are written:
    /// `diglot build` makes them.
    Init(scaffold::InitArgs),
    /// Add an article to the project: articles/<slug>.<ext> and pipelines/<slug>.toml.
    ///
    /// Refuses, writing nothing, when either file exists, the slug or a locale is invalid, or
    /// another pipeline publishes to a folder that holds dist/<slug>/ or is inside it.
    New(scaffold::NewArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// bash: `diglot completions bash > ~/.local/share/bash-completion/completions/diglot`;
    /// zsh: into a folder of $fpath as `_diglot`; fish: `~/.config/fish/completions/diglot.fish`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `diglot man > diglot.1 && man ./diglot.1`.
    Man,
    /// Split text into sentences, one per line.
    Segment {
        /// The text's language (en, es, or a locale of them); detected when omitted.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Print segments with their message IDs as JSON.
        #[arg(long)]
        json: bool,
        /// The file to read; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    #[command(flatten)]
    Service(serve::ServiceCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum MemoryAction {
    /// Import a TMX file into the project's translation memory.
    Import {
        /// The TMX 1.4b file.
        file: PathBuf,
    },
    /// Print a locale's translation memory as TMX on standard output.
    Export {
        /// Pipeline name or path; the project's only pipeline when omitted.
        pipeline: Option<String>,
        /// The target locale.
        #[arg(long, value_name = "LOCALE")]
        locale: String,
    },
    /// Show what the memory and the project's drafts offer for a sentence, with scores and
    /// origins: reviewed translations of every pipeline (human) and drafts (machine).
    Search(memory::SearchArgs),
}

/// A percentage for `--min-coverage`: a number from 0 to 100.
pub(crate) fn percent(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(n) if (0.0..=100.0).contains(&n) => Ok(n),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}
