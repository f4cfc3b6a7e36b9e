//! A site: every pipeline of a project published into one folder, as
//! `diglot.toml`'s `[site]` table asks. Each article's editions go to
//! `<locale>/<slug>/`, its bilingual page to `bilingual/<slug>/`; each locale
//! gets a home page, and with a `base_url` the site gets `sitemap.xml` and a
//! feed per locale (see `diglot_render::render_site_pages`).
//!
//! The site folder is replaced whole, like a pipeline's output folder, and
//! only when every article built (unless `write_on_failure`). Its
//! `report.json` is a [`crate::SiteReport`]: every file (`outputs`) and each
//! article's report (`articles`, each as `status --json` prints it). Site
//! builds do not use the build cache.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{ProjectConfig, SiteConfig};
use crate::{BuildOptions, BuildOutcome, Error, Pipeline, Project, fs, output};

/// The project settings file, beside `pipelines/`.
pub const PROJECT_FILE: &str = "diglot.toml";

/// What a site build did.
#[derive(Debug)]
pub struct SiteOutcome {
    /// Each article's build, in pipeline order; their `output` is the site.
    pub articles: Vec<(Pipeline, BuildOutcome)>,
    /// The site folder.
    pub output: PathBuf,
    pub output_written: bool,
    /// Left as it was because an article failed.
    pub output_withheld: bool,
    /// Files in the site, `report.json` included.
    pub files: usize,
}

impl Project {
    /// `diglot.toml`, or the defaults when the project has none.
    pub fn config(&self) -> Result<ProjectConfig, Error> {
        let path = self.root.join(PROJECT_FILE);
        match fs::read_optional(&path)? {
            Some(text) => ProjectConfig::parse(&path, &text),
            None => Ok(ProjectConfig::default()),
        }
    }

    /// The `[site]` settings, when the project publishes a site.
    pub fn site(&self) -> Result<Option<SiteConfig>, Error> {
        Ok(self.config()?.site)
    }

    /// The site folder, resolved, if the site may be published there.
    pub(crate) fn site_dir(
        &self,
        site: &SiteConfig,
        pipelines: &[Pipeline],
    ) -> Result<PathBuf, Error> {
        let resolve = |p: &Path| output::resolve(&self.root.join(p)).ok();
        let mut files: Vec<PathBuf> = Vec::new();
        for p in pipelines {
            files.extend(p.source_path().ok());
            files.extend(resolve(&p.path));
            files.extend(p.config.translate.glossary.as_deref().and_then(resolve));
            files.extend(p.config.translate.tmx.iter().filter_map(|t| resolve(t)));
        }
        files.extend(resolve(Path::new(PROJECT_FILE)));
        let protected = output::Protected { root: &self.root, files, allow_outside: false };
        let dir = output::check_output(&self.root.join(PROJECT_FILE), &site.output, &protected)
            .map_err(as_site_error)?;
        output::check_existing(&self.root.join(PROJECT_FILE), &site.output, &dir)
            .map_err(as_site_error)?;
        Ok(dir)
    }

    /// Builds every pipeline into the site.
    pub fn build_site(
        &self,
        site: &SiteConfig,
        options: &BuildOptions,
    ) -> Result<SiteOutcome, Error> {
        let pipelines = self.pipelines()?;
        let dir = self.site_dir(site, &pipelines)?;
        for (i, p) in pipelines.iter().enumerate() {
            if let Some(other) = pipelines[..i].iter().find(|o| o.slug == p.slug) {
                let rel = |p: &Path| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf();
                return Err(Error::OutputCollision {
                    output: rel(&dir).join("<locale>").join(&p.slug),
                    first: rel(&other.path),
                    second: rel(&p.path),
                });
            }
        }
        let mut parts = Vec::new();
        for p in &pipelines {
            parts.push(p.build_parts(options)?);
        }
        let articles: Vec<diglot_render::SiteArticle<'_>> = parts
            .iter()
            .map(|b| diglot_render::SiteArticle {
                editions: &b.editions,
                bilingual: b.bilingual,
                skeleton: b.prepared.skeleton.as_ref(),
            })
            .collect();
        let rendered = diglot_render::render_site_pages(
            &articles,
            &diglot_render::SiteOptions {
                base_url: site.base_url.as_deref(),
                title: site.title.as_deref(),
            },
        )
        .map_err(|source| Error::Render { source })?;
        let mut tree: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut outcomes = Vec::new();
        let mut reports = Vec::new();
        for ((pipeline, mut parts), rendered) in
            pipelines.into_iter().zip(parts).zip(rendered.articles)
        {
            parts.add_render_warnings(&pipeline, rendered.warnings);
            let (mut outcome, files) = pipeline.finish_build(options, parts, rendered.files)?;
            outcome.report.outputs = files.iter().map(|f| f.path.clone()).collect();
            outcome.output = dir.clone();
            reports.push(outcome.report.clone());
            tree.extend(files.into_iter().map(|f| (f.path, f.contents.into_bytes())));
            outcomes.push((pipeline, outcome));
        }
        tree.extend(rendered.shared.into_iter().map(|f| (f.path, f.contents.into_bytes())));
        let mut outputs: Vec<String> = tree.keys().cloned().collect();
        outputs.push("report.json".into());
        outputs.sort();
        let report = crate::SiteReport { format_version: 1, outputs, articles: reports };
        tree.insert("report.json".into(), report.to_json().into_bytes());
        tree.insert(output::MARKER.into(), output::MARKER_TEXT.as_bytes().to_vec());
        let files = tree.len() - 1;
        let failed = outcomes.iter().any(|(_, o)| o.failed());
        let output_withheld = failed && !options.write_on_failure;
        let output_written = if output_withheld {
            false
        } else {
            output::check_existing(&self.root.join(PROJECT_FILE), &site.output, &dir)
                .map_err(as_site_error)?;
            fs::replace_dir(&dir, &tree)?
        };
        for (_, o) in &mut outcomes {
            o.output_written = output_written;
            o.output_withheld = output_withheld;
        }
        Ok(SiteOutcome { articles: outcomes, output: dir, output_written, output_withheld, files })
    }
}

/// An output folder refused, named as `[site] output`.
fn as_site_error(e: Error) -> Error {
    match e {
        Error::Output { path, output, problem } => Error::Config {
            path,
            message: format!(
                "[site] output = {output:?} {}",
                problem.replace(
                    ", or set `allow_outside_project = true` in [edition] if diglot may replace that folder",
                    ""
                )
            ),
        },
        e => e,
    }
}
