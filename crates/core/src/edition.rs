use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::{BlockKind, FrontMatterSyntax, IsoDate, Locale, Segment, SegmentId, Segmented};

/// One localized edition of an article, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    /// The article's slug: file names and URLs use it.
    pub slug: String,
    /// The locale of this edition.
    pub locale: Locale,
    /// The locale the article was written in.
    pub source_locale: Locale,
    pub blocks: Vec<EditionBlock>,
    /// The edition's own strings (byline label, dates, status notes), already
    /// formatted for `locale` through Fluent, keyed by message ID. Messages
    /// only: the article's data are the fields below.
    pub strings: BTreeMap<String, String>,
    /// The article's publication date, when it has a valid one (`[article]
    /// published`; an invalid date is reported upstream and left out here).
    #[serde(default)]
    pub published: Option<IsoDate>,
    /// The author's name as written (`[article] author`).
    #[serde(default)]
    pub author: Option<String>,
    /// The edition is below its pipeline's draft gate: its Markdown says
    /// `draft: true`, so site generators leave it out.
    #[serde(default)]
    pub draft: bool,
    /// The front matter of Markdown made from the model: YAML, or TOML
    /// with Zola's fields and the rest under `[extra]`.
    #[serde(default)]
    pub front_matter: FrontMatterSyntax,
    /// [`Edition::segment_counts`], once counted: every page's status note,
    /// each `hreflang` alternate and the Markdown front matter ask for them,
    /// and counting reads every source sentence. Not part of the edition's
    /// value: not serialized, not compared, not cloned. The segments are
    /// not to change once it is filled (struct update syntax moves it too).
    #[serde(skip)]
    pub counts: CountsOnce,
}

/// The segment counts of an edition, kept from the first time they are
/// counted (see [`Edition::counts`]). Empty by default and in a clone.
#[derive(Default)]
pub struct CountsOnce(OnceLock<Coverage>);

impl Clone for CountsOnce {
    fn clone(&self) -> Self {
        CountsOnce::default()
    }
}

impl PartialEq for CountsOnce {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for CountsOnce {}

impl std::fmt::Debug for CountsOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CountsOnce")
    }
}

impl Edition {
    /// The edition of `segmented` in `locale`, block for block and segment
    /// for segment, each segment's published text and status as `localize`
    /// says; no strings and no article data yet.
    pub fn of_segmented(
        slug: &str,
        segmented: &Segmented,
        locale: &Locale,
        mut localize: impl FnMut(&Segment) -> (String, SegmentStatus),
    ) -> Edition {
        let blocks = segmented
            .blocks
            .iter()
            .map(|block| EditionBlock {
                kind: block.kind,
                segments: block
                    .segments
                    .iter()
                    .map(|seg| {
                        let (text, status) = localize(seg);
                        LocalizedSegment {
                            id: seg.id.clone(),
                            source: seg.text.clone(),
                            text,
                            status,
                        }
                    })
                    .collect(),
            })
            .collect();
        Edition {
            slug: slug.to_string(),
            locale: locale.clone(),
            source_locale: segmented.lang.clone(),
            blocks,
            strings: BTreeMap::new(),
            published: None,
            author: None,
            draft: false,
            front_matter: FrontMatterSyntax::default(),
            counts: CountsOnce::default(),
        }
    }

    pub fn is_source(&self) -> bool {
        self.locale == self.source_locale
    }

    pub fn segments(&self) -> impl Iterator<Item = &LocalizedSegment> {
        self.blocks.iter().flat_map(|b| b.segments.iter())
    }

    /// The title as plain text in this edition's language.
    pub fn title(&self) -> Option<String> {
        let block = self.blocks.iter().find(|b| b.kind == BlockKind::Title)?;
        let parts: Vec<String> = block.segments.iter().map(|s| title_text(&s.text)).collect();
        Some(parts.join(" "))
    }
}

/// A title segment's text: plain, with tags that are text kept (see
/// [`crate::inline::title_inlines`]).
fn title_text(markdown: &str) -> String {
    use crate::inline::{parse_markdown, plain_text, title_inlines};
    plain_text(&title_inlines(parse_markdown(markdown)))
}

/// A block of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionBlock {
    pub kind: BlockKind,
    pub segments: Vec<LocalizedSegment>,
}

/// One segment in an edition's language, with the source it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedSegment {
    pub id: SegmentId,
    /// The source sentence (Markdown inline).
    pub source: String,
    /// The text to publish (Markdown inline): the translation, or the source
    /// when there is no usable translation.
    pub text: String,
    pub status: SegmentStatus,
}

/// Where a segment's published text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentStatus {
    /// The edition is in the source language.
    Source,
    /// A reviewed translation from the locale file.
    Translated,
    /// A draft (machine or fuzzy memory) not yet reviewed by a translator.
    Unreviewed,
    /// The translation was made for an earlier version of the source; the
    /// source text is published instead.
    Stale,
    /// The translation was made for an earlier version of the source, and
    /// the pipeline publishes it (`[edition] stale = "previous"`), labelled.
    Outdated,
    /// No translation exists; the source text is published instead.
    Missing,
}

impl SegmentStatus {
    /// Whether the published text is the source text standing in for a
    /// translation.
    pub fn is_fallback(self) -> bool {
        matches!(self, SegmentStatus::Stale | SegmentStatus::Missing)
    }
}

/// How much of an edition is translated, counted over distinct segments
/// (a sentence that appears twice counts once) and over their source words.
/// Segments with nothing to translate ([`crate::inline::is_verbatim`]) do
/// not count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub total: usize,
    /// Reviewed translations.
    pub translated: usize,
    /// Drafts awaiting review; published, labelled.
    pub unreviewed: usize,
    pub stale: usize,
    pub missing: usize,
    pub words_total: usize,
    pub words_translated: usize,
}

impl Coverage {
    /// The share of segments with a publishable translation (reviewed or
    /// draft), in percent. An edition in its source language is complete.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            return 100.0;
        }
        (self.translated + self.unreviewed) as f64 * 100.0 / self.total as f64
    }
}

impl Edition {
    /// [`Edition::coverage`] by segments alone, without reading any text:
    /// `words_total` and `words_translated` are left at 0. Counted once per
    /// edition (see [`Edition::counts`]).
    pub fn segment_counts(&self) -> Coverage {
        self.counts.0.get_or_init(|| self.count(|_| 0)).clone()
    }

    pub fn coverage(&self) -> Coverage {
        self.coverage_with(crate::inline::words_of_markdown)
    }

    /// [`Edition::coverage`], with the words of each distinct segment's
    /// source text counted by `words`: a caller covering several editions
    /// of one article can count each source sentence once.
    /// The segment counts it finds are kept for [`Edition::segment_counts`].
    pub fn coverage_with<'a>(&'a self, words: impl FnMut(&'a str) -> usize) -> Coverage {
        let c = self.count(words);
        if self.counts.0.get().is_none() {
            let counts = Coverage { words_total: 0, words_translated: 0, ..c.clone() };
            // A thread that counted at the same time kept the same counts.
            let _ = self.counts.0.set(counts);
        }
        c
    }

    fn count<'a>(&'a self, mut words: impl FnMut(&'a str) -> usize) -> Coverage {
        let mut seen = std::collections::HashSet::new();
        let mut c = Coverage::default();
        let counted = self.segments().filter(|s| !crate::inline::is_verbatim(&s.source));
        for seg in counted.filter(|s| seen.insert(&s.id)) {
            let words = words(&seg.source);
            c.total += 1;
            c.words_total += words;
            match seg.status {
                SegmentStatus::Source | SegmentStatus::Translated => {
                    c.translated += 1;
                    c.words_translated += words;
                }
                SegmentStatus::Unreviewed => {
                    c.unreviewed += 1;
                    c.words_translated += words;
                }
                SegmentStatus::Stale | SegmentStatus::Outdated => c.stale += 1,
                SegmentStatus::Missing => c.missing += 1,
            }
        }
        c
    }
}
