//! Writing locale files: the reference file from the article, and each
//! target file merged with what its translators wrote.

use std::collections::{BTreeMap, HashMap, HashSet};

use diglot_core::{
    BlockKind, Locale, Segment, SegmentId, Segmented, Translation, TranslationState, Translations,
    inline,
};
use fluent_syntax::ast::{self, Comment, Entry, Identifier};
use serde::Serialize;

use crate::file::{FileMessage, LocaleFile};
use crate::marks::{self, CHECK_PREFIX, Notes, PREVIOUS_PREFIX, STALE_PREFIX, UNREVIEWED_PREFIX};
use crate::text::pattern_from_text;

/// How similar (0..=1, by words) an old source sentence must be to a new one
/// for its translation to carry over as stale rather than become obsolete.
const STALE_SIMILARITY: f64 = 0.5;

/// How many of the most word-sharing new sentences an orphaned translation
/// is compared with.
const MAX_STALE_CANDIDATES: usize = 16;

/// The article whose messages a locale file holds.
#[derive(Debug, Clone, Copy)]
pub struct Article<'a> {
    /// The article's slug: the locale files are `<slug>.ftl`.
    pub slug: &'a str,
    /// The article's source file, as shown to translators.
    pub source_path: &'a str,
    pub segmented: &'a Segmented,
}

impl Article<'_> {
    fn source_locale(&self) -> &Locale {
        &self.segmented.lang
    }

    /// Source texts by ID, first occurrence only, of the sentences that
    /// are messages (not [`inline::is_verbatim`]).
    fn sources(&self) -> HashMap<&SegmentId, &str> {
        self.messages().map(|s| (&s.id, s.text.as_str())).collect()
    }

    /// The sentences that are messages: all but those with nothing to
    /// translate (`2024`, `3.5%`), which every edition shows as written.
    fn messages(&self) -> impl Iterator<Item = &Segment> {
        self.segmented.segments().filter(|s| !inline::is_verbatim(&s.text))
    }
}

/// A translation that was made for an earlier version of its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleTranslation {
    /// The sentence's current message ID.
    pub id: String,
    /// The ID the translation was filed under before the source changed.
    pub previous_id: String,
    /// The source text the translation was made for.
    pub previous_source: String,
    /// The source text now.
    pub source: String,
}

/// What a merge did to a target file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// Translations whose source is unchanged.
    pub kept: usize,
    /// Translations newly flagged stale by this merge.
    pub stale: Vec<StaleTranslation>,
    /// IDs moved to the obsolete section by this merge.
    pub obsoleted: Vec<String>,
    /// IDs back from the obsolete section because their sentence returned.
    pub revived: Vec<String>,
    /// Drafts written into the file.
    pub drafted: usize,
}

/// What a merge writes beside the translations, as comment lines diglot
/// rewrites each time: see [`merge_target_with`].
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// Drafts offered for stale translations, by sentence: each is written
    /// as `# suggestion (origin): …` above the message, which keeps its
    /// translation. A suggestion stays while the translation is stale.
    pub suggestions: Translations,
    /// The glossary terms (source, target; no target for a term kept as it
    /// is) of each sentence, by message ID, listed as `# glossary: …` above
    /// its message or placeholder.
    pub glossary: BTreeMap<String, Vec<(String, Option<String>)>>,
}

/// A merged locale file and what the merge did.
#[derive(Debug, Clone)]
pub struct Merged {
    pub text: String,
    pub report: MergeReport,
}

/// Writes the reference file: one message per distinct source sentence, in
/// article order, under group comments that name its block. Comments an
/// author left on messages of `previous` that still exist are kept.
pub fn write_reference(article: &Article, previous: Option<&LocaleFile>) -> String {
    let empty = LocaleFile::default();
    let previous = previous.unwrap_or(&empty);
    let by_id: HashMap<&str, &FileMessage> =
        previous.messages.iter().map(|m| (m.id.as_str(), m)).collect();
    let groups = groups(article.segmented);
    let notes = GroupNotes::new(previous, &headings(&groups, previous, None));
    let mut w = Writer::default();
    let header =
        marks::reference_header(article.source_locale(), article.slug, article.source_path);
    w.header(marks::header_notes(&previous.header, &header).write_into(header));
    for (label, segments) in groups {
        let mut section = Vec::new();
        for segment in segments {
            if inline::is_verbatim(&segment.text)
                || !w.emitted.insert(segment.id.as_str().to_string())
            {
                continue;
            }
            let notes = by_id.get(segment.id.as_str()).map(|m| m.notes.clone()).unwrap_or_default();
            let message = simple_message(segment.id.as_str(), &segment.text, notes);
            section.push((Entry::Message(message), Some(segment.id.as_str())));
        }
        w.section(previous, &notes, &label, section, KeptAt::AfterGroup);
    }
    w.orphan_notes(&notes);
    w.kept_orphans(previous);
    previous.encoding.apply(w.finish())
}

/// Merges a target locale file with the current article.
///
/// - A translation whose sentence is unchanged is kept as it is.
/// - A translation whose sentence changed moves to the new sentence's ID,
///   flagged stale with a comment naming the source it was made for; when
///   the sentence is back to that source, the flag goes.
/// - A translation whose sentence is gone moves to the obsolete section.
/// - The translator's comments, standalone comments and terms stay with the
///   message they stood before; what they added to diglot's header and group
///   comments stays with that header or with the section of the message the
///   group comment stood before.
///
/// `previous_reference` is the reference file as it was before this
/// extract; it supplies old source texts a target file does not record.
/// `drafts` (unreviewed translations from memory or machine translation)
/// fill missing messages and replace stale ones; a replaced translation is
/// kept in a `# previous translation:` comment.
pub fn merge_target(
    article: &Article,
    locale: &Locale,
    target: &LocaleFile,
    previous_reference: Option<&LocaleFile>,
    drafts: &Translations,
) -> Merged {
    merge_target_with(article, locale, target, previous_reference, drafts, &Annotations::default())
}

/// [`merge_target`], writing `annotations` too: suggestions for stale
/// translations (a stale translation keeps the suggestion it had while no
/// new one comes and it stays stale) and each sentence's glossary terms.
pub fn merge_target_with(
    article: &Article,
    locale: &Locale,
    target: &LocaleFile,
    previous_reference: Option<&LocaleFile>,
    drafts: &Translations,
    annotations: &Annotations,
) -> Merged {
    let source_locale = article.source_locale();
    let mut report = MergeReport::default();
    let (current, orphans) = sort_messages(article, target, previous_reference, &mut report);
    let stale_for = move_stale(article, &current, &orphans, &mut report);

    let groups = groups(article.segmented);
    let notes = GroupNotes::new(target, &headings(&groups, target, previous_reference));
    let mut w = Writer::default();
    let placeholder_notes: HashMap<&str, &[String]> =
        target.placeholders.iter().map(|(id, notes)| (id.as_str(), notes.as_slice())).collect();
    let mut placeholders_written = HashSet::new();
    let mut suggestions_written = 0;
    // Only entries the file kept can be such a leftover line.
    if !target.kept.is_empty() {
        w.source_lines = article
            .segmented
            .segments()
            .map(|s| crate::text::safe_comment(&source_line(source_locale, s)))
            .collect();
    }
    let mut moved: HashSet<&str> = HashSet::new();
    for (label, segments) in groups {
        let mut section = Vec::new();
        for segment in segments {
            let id = segment.id.as_str();
            if w.emitted.contains(id) || inline::is_verbatim(&segment.text) {
                continue;
            }
            let existing = existing(id, &current, &stale_for);
            if let Some((msg, _)) = existing.as_ref().filter(|_| !current.contains_key(id)) {
                moved.insert(msg.id.as_str());
            }
            w.emitted.insert(id.to_string());
            let own_notes = placeholder_notes.get(id).copied().unwrap_or_default();
            let glossary = annotations.glossary.get(id).and_then(|t| marks::glossary_line(t));
            let Some(content) = content(segment, existing, drafts.get(&segment.id)) else {
                // Untranslated: shown in place, commented out.
                placeholders_written.insert(id);
                let source = source_line(source_locale, segment);
                let lines = marks::placeholder(source, glossary, own_notes, id);
                section.push((Entry::Comment(Comment { content: lines }), None));
                continue;
            };
            if matches!(content, Content::Draft { .. }) {
                report.drafted += 1;
            }
            let anchor = content.file_message().map(|m| m.id.as_str());
            let mut message = content.message(source_locale, segment);
            let suggestion = suggestion(&content, id, annotations.suggestions.get(&segment.id));
            suggestions_written += usize::from(suggestion.is_some());
            annotate(&mut message, glossary, suggestion, own_notes);
            section.push((Entry::Message(message), anchor));
        }
        w.section(target, &notes, &label, section, KeptAt::BeforeGroup);
    }

    let section = obsolete_section(source_locale, &orphans, &moved, &mut report);
    let obsolete_group = marks::OBSOLETE_GROUP.map(str::to_string).to_vec();
    w.section(target, &notes, &obsolete_group, section, KeptAt::AfterGroup);
    w.orphan_notes(&notes);
    // Notes in placeholders of sentences no longer in the article.
    let left: Vec<String> = target
        .placeholders
        .iter()
        .filter(|(id, _)| !w.emitted.contains(id.as_str()))
        .flat_map(|(_, notes)| notes.iter().cloned())
        .collect();
    if !left.is_empty() {
        w.push(Entry::Comment(Comment { content: left }));
    }
    w.kept_orphans(target);
    let header = marks::target_header(locale, article.slug, source_locale, article.source_path);
    let notes = marks::header_notes(&target.header, &header);
    w.header(notes.write_into(help_needed(
        header,
        suggestions_written > 0,
        !placeholders_written.is_empty(),
    )));
    Merged { text: target.encoding.apply(w.finish()), report }
}

/// The translation a sentence already has: its own message, or an edited
/// sentence's old message (then stale, since the source it was made for).
fn existing<'a>(
    id: &str,
    current: &HashMap<&str, &'a FileMessage>,
    stale_for: &HashMap<&str, (&'a FileMessage, String)>,
) -> Option<(&'a FileMessage, TranslationState)> {
    if let Some(msg) = current.get(id) {
        Some((*msg, msg.state.clone()))
    } else {
        stale_for.get(id).map(|(msg, previous_source)| {
            (*msg, TranslationState::Stale { previous_source: previous_source.clone() })
        })
    }
}

/// Adds to a message's comment, after its source line: the glossary line,
/// the suggestion, then the notes a translator wrote in its placeholder.
fn annotate(
    message: &mut ast::Message<String>,
    glossary: Option<String>,
    suggestion: Option<(String, String)>,
    own_notes: &[String],
) {
    if glossary.is_some() || suggestion.is_some() {
        let comment = message.comment.get_or_insert_with(|| Comment { content: vec![] });
        // After the source line, which comes first.
        let at = comment.content.len().min(1);
        comment.content.splice(at..at, glossary);
        if let Some((origin, text)) = suggestion {
            comment.content.push(marks::suggestion_line(&origin, &text));
        }
    }
    // Notes written in a placeholder that is now a translation elsewhere in
    // the file go with it.
    if !own_notes.is_empty() {
        let comment = message.comment.get_or_insert_with(|| Comment { content: vec![] });
        comment.content.extend(own_notes.iter().cloned());
    }
}

/// The target header's help lines: how to take a suggestion and how to
/// fill a placeholder, each only when the file has one.
fn help_needed(mut header: Vec<String>, suggestions: bool, placeholders: bool) -> Vec<String> {
    // The later line first: removing it leaves the earlier one's index.
    if !suggestions {
        header.remove(marks::SUGGESTION_HELP);
    }
    if !placeholders {
        header.remove(marks::PLACEHOLDER_HELP);
    }
    header
}

/// Where each orphan paired with an edited sentence goes: by the
/// sentence's ID, the message and the source its translation was made for.
fn move_stale<'a>(
    article: &'a Article,
    current: &HashMap<&str, &FileMessage>,
    orphans: &[Orphan<'a>],
    report: &mut MergeReport,
) -> HashMap<&'a str, (&'a FileMessage, String)> {
    let untranslated: Vec<&Segment> = {
        let mut seen = HashSet::new();
        article
            .messages()
            .filter(|s| !current.contains_key(s.id.as_str()) && seen.insert(s.id.clone()))
            .collect()
    };
    let mut stale_for: HashMap<&str, (&FileMessage, String)> = HashMap::new();
    for (oi, ni) in pair_stale(orphans, &untranslated) {
        let Orphan { msg, old_source } = &orphans[oi];
        let segment = untranslated[ni];
        let previous_source = match &msg.state {
            // Edited twice: the translation still matches the first text.
            TranslationState::Stale { previous_source } => previous_source.clone(),
            _ => old_source.clone(),
        };
        if !matches!(msg.state, TranslationState::Stale { .. }) {
            report.stale.push(StaleTranslation {
                id: segment.id.to_string(),
                previous_id: msg.id.clone(),
                previous_source: previous_source.clone(),
                source: segment.text.clone(),
            });
        }
        stale_for.insert(segment.id.as_str(), (msg, previous_source));
    }
    stale_for
}

/// The obsolete section: orphans no sentence took, with the source they
/// were translated from.
fn obsolete_section<'a>(
    source_locale: &Locale,
    orphans: &'a [Orphan],
    moved: &HashSet<&str>,
    report: &mut MergeReport,
) -> Vec<(Entry<String>, Option<&'a str>)> {
    let obsolete: Vec<&Orphan> =
        orphans.iter().filter(|o| !moved.contains(o.msg.id.as_str())).collect();
    let mut section = Vec::new();
    for Orphan { msg, old_source } in obsolete {
        if !msg.obsolete {
            report.obsoleted.push(msg.id.clone());
        }
        let mut lines = Vec::new();
        if !old_source.is_empty() {
            lines.push(format!("{} {}", marks::source_prefix(source_locale), one_line(old_source)));
        }
        lines.extend(state_line(&msg.state));
        lines.extend(msg.notes.iter().cloned());
        section.push((Entry::Message(with_comment(msg, &msg.id, lines)), Some(msg.id.as_str())));
    }
    section
}

/// A message of a target file whose sentence is no longer in the article,
/// with the source text it was translated from, when known.
#[derive(Debug, Clone)]
pub(crate) struct Orphan<'a> {
    pub msg: &'a FileMessage,
    pub old_source: String,
}

/// Splits a target file's messages into those whose sentence is in the
/// article (by ID) and orphans, counting kept and revived ones.
fn sort_messages<'a>(
    article: &Article,
    target: &'a LocaleFile,
    previous_reference: Option<&LocaleFile>,
    report: &mut MergeReport,
) -> (HashMap<&'a str, &'a FileMessage>, Vec<Orphan<'a>>) {
    let sources = article.sources();
    let old_sources: HashMap<&str, &str> = previous_reference
        .map(|r| {
            r.messages.iter().filter_map(|m| Some((m.id.as_str(), m.text.as_deref()?))).collect()
        })
        .unwrap_or_default();
    let mut current = HashMap::new();
    let mut orphans = Vec::new();
    for msg in &target.messages {
        if sources
            .contains_key(&SegmentId::parse(&msg.id).unwrap_or_else(|| SegmentId::for_text("")))
        {
            if msg.obsolete {
                report.revived.push(msg.id.clone());
            }
            report.kept += 1;
            current.insert(msg.id.as_str(), msg);
        } else {
            let old = msg
                .source
                .clone()
                .or_else(|| old_sources.get(msg.id.as_str()).map(|s| s.to_string()));
            orphans.push(Orphan { msg, old_source: old.unwrap_or_default() });
        }
    }
    (current, orphans)
}

/// Pairs orphaned translations with the untranslated sentences they were
/// most likely made for, as (orphan index, sentence index): a stale
/// translation with the sentence that is back to the text it was made for,
/// then each orphan with the most similar sentence, at least
/// [`STALE_SIMILARITY`] alike by words.
pub(crate) fn pair_stale(orphans: &[Orphan], untranslated: &[&Segment]) -> Vec<(usize, usize)> {
    // A first merge, or one after no sentence changed: nothing to pair, and
    // the untranslated sentences' words are not worth reading.
    if orphans.is_empty() {
        return Vec::new();
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    // A stale translation whose sentence is back to the text it was made
    // for goes back to that sentence before any other pairing.
    let by_text: HashMap<String, usize> =
        untranslated.iter().enumerate().rev().map(|(ni, s)| (as_shown(&s.text), ni)).collect();
    for (oi, Orphan { msg, .. }) in orphans.iter().enumerate() {
        if let (TranslationState::Stale { previous_source }, Some(_)) = (&msg.state, &msg.text) {
            if let Some(&ni) = by_text.get(&as_shown(previous_source)) {
                pairs.push((f64::INFINITY, oi, ni));
            }
        }
    }
    // Words are split once per sentence, and only pairs that share enough
    // words to reach the threshold are compared: an edit distance d over
    // words is at least (longer length - shared words), so a pair needs
    // shared >= threshold * longer. A rewrite of a long article stays fast.
    let new_words: Vec<Vec<String>> = untranslated.iter().map(|s| words(&s.text)).collect();
    let mut index: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (ni, ws) in new_words.iter().enumerate() {
        for (w, n) in counts(ws) {
            index.entry(w).or_default().push((ni, n));
        }
    }
    // Words shared with each new sentence, reset after each orphan.
    let mut shared = vec![0usize; new_words.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (oi, Orphan { msg, old_source }) in orphans.iter().enumerate() {
        if old_source.is_empty() || msg.text.is_none() {
            continue;
        }
        let old_words = words(old_source);
        touched.clear();
        for (w, n) in counts(&old_words) {
            for &(ni, m) in index.get(w).map(Vec::as_slice).unwrap_or_default() {
                if shared[ni] == 0 {
                    touched.push(ni);
                }
                shared[ni] += n.min(m);
            }
        }
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for &ni in &touched {
            let o = std::mem::take(&mut shared[ni]);
            if o as f64 >= STALE_SIMILARITY * old_words.len().max(new_words[ni].len()) as f64 {
                candidates.push((ni, o));
            }
        }
        // The sentences sharing the most words, so that repetitive text
        // (lists, tables) cannot make this quadratic.
        candidates.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.truncate(MAX_STALE_CANDIDATES);
        for (ni, _) in candidates {
            let sim = word_similarity(&old_words, &new_words[ni]);
            if sim >= STALE_SIMILARITY {
                pairs.push((sim, oi, ni));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_o, mut used_n) = (HashSet::new(), HashSet::new());
    let mut out = Vec::new();
    for (_, oi, ni) in pairs {
        if used_o.contains(&oi) || used_n.contains(&ni) {
            continue;
        }
        used_o.insert(oi);
        used_n.insert(ni);
        out.push((oi, ni));
    }
    out
}

/// What a sentence's message in a target file holds.
#[derive(Debug)]
pub(crate) enum Content<'a> {
    /// A draft, replacing a stale translation (kept in a comment) or none.
    Draft { draft: &'a Translation, replaces: Option<&'a FileMessage> },
    /// The file's translation, in the state the merge found for it.
    Kept { msg: &'a FileMessage, state: TranslationState },
}

/// The draft policy: a draft fills a missing translation or replaces a
/// stale one, never a reviewed translation or an earlier draft. A stale
/// translation made for exactly the current text is not stale: the edit
/// that made it stale was taken back. `None` when there is nothing to write.
pub(crate) fn content<'a>(
    segment: &Segment,
    existing: Option<(&'a FileMessage, TranslationState)>,
    draft: Option<&'a Translation>,
) -> Option<Content<'a>> {
    let existing = existing.map(|(msg, state)| match state {
        TranslationState::Stale { previous_source }
            if as_shown(&previous_source) == as_shown(&segment.text) =>
        {
            let state = match msg.draft_origin() {
                Some(origin) => {
                    TranslationState::Unreviewed { origin: origin.to_string(), checks: Vec::new() }
                }
                None => TranslationState::Reviewed,
            };
            (msg, state)
        }
        state => (msg, state),
    });
    let draft = draft
        .filter(|d| matches!(d.state, TranslationState::Unreviewed { .. }))
        .filter(|_| matches!(existing, None | Some((_, TranslationState::Stale { .. }))));
    match (existing, draft) {
        (existing, Some(draft)) => Some(Content::Draft { draft, replaces: existing.map(|e| e.0) }),
        (Some((msg, state)), None) => Some(Content::Kept { msg, state }),
        (None, None) => None,
    }
}

/// The suggestion (origin, text) to write above a stale translation: the
/// new draft, or the one the message had for this same sentence.
fn suggestion(
    content: &Content,
    id: &str,
    draft: Option<&Translation>,
) -> Option<(String, String)> {
    let Content::Kept { msg, state: TranslationState::Stale { .. } } = content else {
        return None;
    };
    let new = draft.and_then(|d| match &d.state {
        TranslationState::Unreviewed { origin, .. } => Some((origin.clone(), one_line(&d.text))),
        _ => None,
    });
    new.or_else(|| msg.suggestion.clone().filter(|_| msg.id == id))
}

impl<'a> Content<'a> {
    /// The message of the file this content comes from.
    fn file_message(&self) -> Option<&'a FileMessage> {
        match self {
            Content::Draft { replaces, .. } => *replaces,
            Content::Kept { msg, .. } => Some(msg),
        }
    }

    /// The message to write for `segment`, with its comment lines: the
    /// source, the state, the translator's notes.
    fn message(&self, source_locale: &Locale, segment: &Segment) -> ast::Message<String> {
        let id = segment.id.as_str();
        let mut source_line = source_line(source_locale, segment);
        // What a translator wrote after the source line of this very
        // sentence stays there.
        if let Some(note) = self
            .file_message()
            .filter(|m| m.id == id)
            .and_then(|m| m.source.as_deref()?.strip_prefix(&as_shown(&segment.text)))
            .filter(|note| !note.trim().is_empty())
        {
            source_line.push_str(note);
        }
        let mut lines = vec![source_line];
        match self {
            Content::Draft { draft, replaces } => {
                lines.extend(state_line(&draft.state));
                let mut message = simple_message(id, &draft.text, Vec::new());
                if let Some(msg) = replaces {
                    lines.extend(msg.notes.iter().cloned());
                    if let Some(old) = &msg.text {
                        lines.push(format!("{PREVIOUS_PREFIX} {}", one_line(old)));
                    }
                }
                message.comment = Some(Comment { content: lines });
                message
            }
            Content::Kept { msg, state } => {
                lines.extend(state_line(state));
                // A draft whose sentence changed is still a draft.
                if let (TranslationState::Stale { .. }, Some(origin)) = (state, msg.draft_origin())
                {
                    lines.push(format!("{UNREVIEWED_PREFIX} {origin}"));
                }
                lines.extend(msg.notes.iter().cloned());
                with_comment(msg, id, lines)
            }
        }
    }
}

/// The comment line showing a sentence's source.
fn source_line(source_locale: &Locale, segment: &Segment) -> String {
    format!("{} {}", marks::source_prefix(source_locale), one_line(&segment.text))
}

fn state_line(state: &TranslationState) -> Vec<String> {
    match state {
        TranslationState::Reviewed => Vec::new(),
        TranslationState::Stale { previous_source } => {
            vec![format!("{STALE_PREFIX} {}", one_line(previous_source))]
        }
        TranslationState::Unreviewed { origin, checks } => {
            let mut lines = vec![format!("{UNREVIEWED_PREFIX} {origin}")];
            lines.extend(checks.iter().map(|c| format!("{CHECK_PREFIX} {}", one_line(c))));
            lines
        }
    }
}

/// A text as a comment line shows it, which is how a `# stale, source
/// was:` line records it.
fn as_shown(text: &str) -> String {
    crate::text::safe_comment(&one_line(text))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The article's blocks as (group comment lines, segments).
fn groups(segmented: &Segmented) -> Vec<(Vec<String>, &[Segment])> {
    let mut counters: BTreeMap<&str, usize> = BTreeMap::new();
    segmented
        .blocks
        .iter()
        .filter(|b| !b.segments.is_empty())
        .map(|block| {
            let n = counters.entry(block.kind.label()).or_default();
            *n += 1;
            let heading = if matches!(block.kind, BlockKind::Heading { .. }) {
                let text: Vec<String> = block
                    .segments
                    .iter()
                    .map(|s| inline::plain_text_of_markdown(&s.text))
                    .collect();
                one_line(&text.join(" "))
            } else {
                String::new()
            };
            let label = marks::block_label(&block.kind, *n, &heading);
            (vec![label], block.segments.as_slice())
        })
        .collect()
}

fn simple_message(id: &str, text: &str, notes: Vec<String>) -> ast::Message<String> {
    ast::Message {
        id: Identifier { name: id.to_string() },
        value: Some(pattern_from_text(text)),
        attributes: Vec::new(),
        comment: (!notes.is_empty()).then_some(Comment { content: notes }),
    }
}

fn with_comment(msg: &FileMessage, id: &str, lines: Vec<String>) -> ast::Message<String> {
    let mut out = msg.ast.clone();
    // The serializer writes a multi-line value from its second line on,
    // where a line starting `[`, `*` or `.` is a variant or an attribute:
    // `id = [x` then an indented line is valid, but not as written back.
    // Plain text is rewritten with the escapes such lines need.
    if let Some(text) = msg.text.as_deref().filter(|t| t.contains('\n')) {
        if !crate::text::reads_back(&out, text) {
            out.value = Some(pattern_from_text(text));
        }
    }
    out.id = Identifier { name: id.to_string() };
    out.comment = (!lines.is_empty()).then_some(Comment { content: lines });
    out
}

/// Word-level similarity of two sentences: 1 minus their edit distance over
/// lower-cased words, divided by the longer length.
#[cfg(test)]
pub(crate) fn similarity(a: &str, b: &str) -> f64 {
    word_similarity(&words(a), &words(b))
}

/// Each distinct word with how often it occurs.
fn counts(words: &[String]) -> Vec<(&str, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in words {
        *counts.entry(w.as_str()).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// A sentence's words, lower-cased, without markup or punctuation (but
/// with its images' alternative text and titles).
fn words(markdown: &str) -> Vec<String> {
    inline::translatable_text(&inline::parse_markdown(markdown))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// 1 minus the word edit distance divided by the longer length.
fn word_similarity(a: &[String], b: &[String]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    let d = diglot_core::similarity::edit_distance(a, b, usize::MAX).unwrap_or(longest);
    1.0 - d as f64 / longest as f64
}

/// The `Heading: …` labels diglot writes for this article, and those it
/// wrote before (so that a heading's old label is taken for diglot's, not
/// for a note, after the heading changed): the labels of `file`'s and the
/// previous reference's heading sections, rebuilt from the source of their
/// messages.
fn headings(
    groups: &[(Vec<String>, &[Segment])],
    file: &LocaleFile,
    previous: Option<&LocaleFile>,
) -> Vec<String> {
    let mut out: Vec<String> = groups
        .iter()
        .filter_map(|(label, _)| label.first())
        .filter(|l| marks::is_heading_label(l))
        .cloned()
        .collect();
    for file in std::iter::once(file).chain(previous) {
        let sources: HashMap<&str, &str> = file
            .messages
            .iter()
            // A reference file's values are the sources.
            .filter_map(|m| Some((m.id.as_str(), m.source.as_deref().or(m.text.as_deref())?)))
            .collect();
        for group in &file.groups {
            if !group.lines.first().is_some_and(|l| marks::is_heading_label(l)) {
                continue;
            }
            let text: Vec<String> = group
                .messages
                .iter()
                .filter_map(|id| sources.get(id.as_str()))
                .map(|s| inline::plain_text_of_markdown(s))
                .collect();
            out.push(marks::heading_label(&one_line(&text.join(" "))));
        }
    }
    out
}

/// What translators added to diglot's group comments, by the message each
/// comment stood before.
#[derive(Debug, Default)]
struct GroupNotes {
    by_anchor: HashMap<String, Notes>,
    /// Notes on group comments no message followed.
    trailing: Notes,
}

impl GroupNotes {
    fn new(file: &LocaleFile, headings: &[String]) -> GroupNotes {
        let mut out = GroupNotes::default();
        for group in &file.groups {
            let notes = marks::group_notes(&group.lines, headings);
            if notes.is_empty() {
                continue;
            }
            match &group.anchor {
                Some(anchor) => out.by_anchor.entry(anchor.clone()).or_default().extend(notes),
                None => out.trailing.extend(notes),
            }
        }
        out
    }
}

/// Where a section writes the entries kept before its first message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeptAt {
    BeforeGroup,
    AfterGroup,
}

/// Lays out a locale file: entries separated by blank lines, each
/// serialized by fluent-syntax.
#[derive(Default)]
struct Writer {
    out: String,
    emitted: HashSet<String>,
    kept_done: HashSet<usize>,
    /// Source lines diglot writes for this article's sentences: a comment
    /// that is only one of them was left behind by a deleted message.
    source_lines: HashSet<String>,
    notes_done: HashSet<String>,
}

impl Writer {
    fn push(&mut self, entry: Entry<String>) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        // fluent-syntax ends a free comment with a blank line of its own.
        let entry = crate::text::safe_entry(entry);
        // A comment sign alone on its line is a comment with no lines, which
        // fluent-syntax writes as nothing: write the sign, as it was read.
        let sign = match &entry {
            Entry::Comment(c) if c.content.is_empty() => Some("#"),
            Entry::GroupComment(c) if c.content.is_empty() => Some("##"),
            Entry::ResourceComment(c) if c.content.is_empty() => Some("###"),
            _ => None,
        };
        if let Some(sign) = sign {
            self.out.push_str(sign);
            self.out.push('\n');
            return;
        }
        let text = fluent_syntax::serializer::serialize(&ast::Resource { body: vec![entry] });
        self.out.push_str(text.trim_end_matches('\n'));
        self.out.push('\n');
    }

    /// Writes the header before everything written so far.
    fn header(&mut self, lines: Vec<String>) {
        let body = std::mem::take(&mut self.out);
        self.push(Entry::ResourceComment(Comment { content: lines }));
        if !body.is_empty() {
            self.out.push('\n');
            self.out.push_str(&body);
        }
    }

    /// Writes a section: its group comment (with the notes translators
    /// added to the group comments its messages stood under), then its
    /// messages, each after the entries `file` kept before the message it
    /// comes from (given with it). Nothing when there are no messages.
    fn section(
        &mut self,
        file: &LocaleFile,
        notes: &GroupNotes,
        label: &[String],
        messages: Vec<(Entry<String>, Option<&str>)>,
        kept_at: KeptAt,
    ) {
        let mut section_notes = Notes::default();
        for anchor in messages.iter().filter_map(|(_, a)| *a) {
            if let Some(n) = notes.by_anchor.get(anchor) {
                if self.notes_done.insert(anchor.to_string()) {
                    section_notes.extend(n.clone());
                }
            }
        }
        for (i, (message, anchor)) in messages.into_iter().enumerate() {
            if i == 0 && kept_at == KeptAt::AfterGroup {
                self.group(section_notes.write_into(label.to_vec()));
            }
            if let Some(anchor) = anchor {
                self.kept(file, anchor);
            }
            if i == 0 && kept_at == KeptAt::BeforeGroup {
                self.group(section_notes.write_into(label.to_vec()));
            }
            self.push(message);
        }
    }

    fn group(&mut self, lines: Vec<String>) {
        self.push(Entry::GroupComment(Comment { content: lines }));
    }

    /// Writes the entries a file kept just before message `anchor`.
    fn kept(&mut self, file: &LocaleFile, anchor: &str) {
        for (i, k) in file.kept.iter().enumerate() {
            if k.anchor.as_deref() == Some(anchor)
                && self.kept_done.insert(i)
                && !self.is_leftover(&k.entry)
            {
                self.push(k.entry.clone());
            }
        }
    }

    /// Writes group notes whose message was not written, and those that
    /// followed no message, as a group comment of their own.
    fn orphan_notes(&mut self, notes: &GroupNotes) {
        let mut left = Notes::default();
        let mut anchors: Vec<&String> =
            notes.by_anchor.keys().filter(|a| !self.notes_done.contains(*a)).collect();
        anchors.sort();
        for anchor in anchors {
            left.extend(notes.by_anchor[anchor].clone());
        }
        left.extend(notes.trailing.clone());
        if !left.is_empty() {
            let mut lines = left.write_into(Vec::new());
            for line in &mut lines {
                *line = line.trim_start().to_string();
            }
            self.group(lines);
        }
    }

    /// Whether a kept entry is a source line diglot wrote above a message
    /// the translator deleted (the sentence is shown again in its place).
    fn is_leftover(&self, entry: &Entry<String>) -> bool {
        let Entry::Comment(c) = entry else { return false };
        // The glossary line diglot wrote below it goes too.
        let mut lines = c.content.iter().filter(|l| !marks::is_glossary_line(l));
        matches!((lines.next(), lines.next()), (Some(line), None) if self.source_lines.contains(line))
    }

    /// Writes kept entries whose anchor message was not written.
    fn kept_orphans(&mut self, file: &LocaleFile) {
        for (i, k) in file.kept.iter().enumerate() {
            if self.kept_done.insert(i) && !self.is_leftover(&k.entry) {
                self.push(k.entry.clone());
            }
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod parts {
    use super::*;

    fn comment(message: &ast::Message<String>) -> Vec<String> {
        message.comment.as_ref().map(|c| c.content.clone()).unwrap_or_default()
    }

    #[test]
    fn annotate_puts_glossary_after_the_source_line_then_suggestion_then_notes() {
        let mut message = simple_message("a", "Hola.", vec!["en-US: Hello.".into()]);
        let suggestion = Some(("deepl".to_string(), "Buenas.".to_string()));
        annotate(&mut message, Some("glossary".into()), suggestion, &["mine".to_string()]);
        assert_eq!(
            comment(&message),
            [
                "en-US: Hello.".to_string(),
                "glossary".into(),
                marks::suggestion_line("deepl", "Buenas."),
                "mine".into()
            ]
        );
        let mut bare = simple_message("b", "Hola.", Vec::new());
        annotate(&mut bare, None, None, &[]);
        assert!(bare.comment.is_none());
    }

    #[test]
    fn help_lines_stay_only_for_what_the_file_has() {
        let es: Locale = "es-ES".parse().unwrap();
        let en: Locale = "en-US".parse().unwrap();
        let full = marks::target_header(&es, "a", &en, "a.md");
        let suggestion = &full[marks::SUGGESTION_HELP];
        let placeholder = &full[marks::PLACEHOLDER_HELP];
        assert_eq!(help_needed(full.clone(), true, true), full);
        let none = help_needed(full.clone(), false, false);
        assert_eq!(none.len(), full.len() - 2);
        assert!(!none.contains(suggestion) && !none.contains(placeholder));
        let only_placeholders = help_needed(full.clone(), false, true);
        assert!(only_placeholders.contains(placeholder) && !only_placeholders.contains(suggestion));
        let only_suggestions = help_needed(full.clone(), true, false);
        assert!(only_suggestions.contains(suggestion) && !only_suggestions.contains(placeholder));
    }
}
