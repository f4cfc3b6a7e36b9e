//! Groups an edition's flat blocks into what a page shows: consecutive quote
//! paragraphs form one quote, consecutive list items one (nested) list,
//! cells of one table one table. HTML and Markdown share this.

use std::collections::BTreeMap;

use diglot_core::{BlockKind, EditionBlock, Skeleton, Verbatim, VerbatimKind};

#[derive(Debug)]
pub(crate) enum Group<'a> {
    Title(&'a EditionBlock),
    /// Level 2 to 6 (see [`heading_shift`]).
    Heading(u8, &'a EditionBlock),
    Paragraph(&'a EditionBlock),
    Quote(Vec<&'a EditionBlock>),
    List(Vec<ListItem<'a>>),
    Table(Table<'a>),
    /// A block of a Markdown source with nothing to translate.
    Verbatim(&'a Verbatim),
}

impl Group<'_> {
    /// A CSS class naming the kind, for the bilingual rows.
    pub(crate) fn class(&self) -> &'static str {
        match self {
            Group::Title(_) => "title",
            Group::Heading(..) => "heading",
            Group::Paragraph(_) => "paragraph",
            Group::Quote(_) => "quote",
            Group::List(_) => "list",
            Group::Table(_) => "table",
            Group::Verbatim(v) => match v.kind {
                VerbatimKind::Code { .. } => "code",
                VerbatimKind::Html { .. } => "html",
                VerbatimKind::Rule => "rule",
                VerbatimKind::Raw { .. } => "raw",
            },
        }
    }
}

#[derive(Debug)]
pub(crate) struct ListItem<'a> {
    pub ordered: bool,
    pub depth: u8,
    /// A task list item's state: done or open.
    pub task: Option<bool>,
    pub block: &'a EditionBlock,
}

#[derive(Debug)]
pub(crate) struct Table<'a> {
    id: u16,
    cells: Vec<(u16, u16, bool, &'a EditionBlock)>,
}

/// A table cell: its block and whether it is a header cell. Absent cells of a
/// ragged table are `None`.
pub(crate) type Cell<'a> = Option<(&'a EditionBlock, bool)>;

impl<'a> Table<'a> {
    /// The table's number in the document.
    pub(crate) fn id(&self) -> u16 {
        self.id
    }

    /// Rows in order, each padded to the widest row.
    pub(crate) fn rows(&self) -> Vec<Vec<Cell<'a>>> {
        let mut by_row: BTreeMap<u16, BTreeMap<u16, (&'a EditionBlock, bool)>> = BTreeMap::new();
        for &(row, col, header, block) in &self.cells {
            by_row.entry(row).or_default().insert(col, (block, header));
        }
        let width = self.cells.iter().map(|c| usize::from(c.1) + 1).max().unwrap_or(0);
        by_row
            .into_values()
            .map(|cells| (0..width).map(|c| cells.get(&(c as u16)).copied()).collect())
            .collect()
    }

    /// How many leading rows are header rows (every present cell a header).
    pub(crate) fn header_rows(rows: &[Vec<Cell<'_>>]) -> usize {
        rows.iter()
            .take_while(|r| r.iter().flatten().next().is_some() && r.iter().flatten().all(|c| c.1))
            .count()
    }
}

/// How many levels headings move down so that the title alone is an h1.
///
/// The title is the page's h1. When the article has further H1s below it
/// (`#` headings, setext `===` headings), every heading moves down one level
/// (`#` to h2, `##` to h3, …, capped at h6), so `#` and `##` stay apart.
/// Otherwise levels are kept as written: an article whose sections are `##`
/// keeps h2 sections.
fn heading_shift(blocks: &[EditionBlock]) -> u8 {
    let has_h1 = blocks.iter().any(|b| matches!(b.kind, BlockKind::Heading { level: 1 }));
    u8::from(has_h1)
}

/// Where each verbatim block of a skeleton goes among an edition's blocks:
/// before the block the source places it before (HTML), or else before the
/// first block whose text comes after it in the source (Markdown).
pub(crate) fn placements(skeleton: Option<&Skeleton>) -> Vec<(usize, &Verbatim)> {
    let Some(skeleton) = skeleton else { return Vec::new() };
    let body_start = skeleton.front_matter.as_ref().map_or(0, |f| f.range.end);
    let mut starts: Vec<(usize, usize)> = skeleton
        .spans
        .iter()
        .filter(|s| s.range.start >= body_start)
        .map(|s| (s.range.start, s.block))
        .collect();
    starts.sort();
    skeleton
        .verbatim
        .iter()
        .map(|v| {
            if let Some(before) = v.before_block {
                return (before, v);
            }
            let next = starts.partition_point(|(start, _)| *start < v.range.start);
            (starts.get(next).map_or(usize::MAX, |(_, block)| *block), v)
        })
        .collect()
}

/// Like [`group`], with verbatim blocks placed before the block index each
/// is paired with (`usize::MAX`: at the end).
pub(crate) fn group_with<'a>(
    blocks: &'a [EditionBlock],
    verbatim: &[(usize, &'a Verbatim)],
) -> Vec<Group<'a>> {
    let shift = heading_shift(blocks);
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut pending = verbatim.iter().peekable();
    for (index, block) in blocks.iter().enumerate() {
        while let Some((_, v)) = pending.next_if(|(before, _)| *before <= index) {
            groups.push(Group::Verbatim(v));
        }
        match (block.kind, groups.last_mut()) {
            (BlockKind::Title, _) => groups.push(Group::Title(block)),
            // Front-matter values belong to the page's metadata, not its body.
            (BlockKind::Metadata, _) => {}
            (BlockKind::Heading { level }, _) => {
                groups.push(Group::Heading((level + shift).clamp(2, 6), block))
            }
            (BlockKind::Paragraph, _) => groups.push(Group::Paragraph(block)),
            (BlockKind::Quote, Some(Group::Quote(quote))) => quote.push(block),
            (BlockKind::Quote, _) => groups.push(Group::Quote(vec![block])),
            (BlockKind::ListItem { ordered, depth, task }, last) => {
                let item = ListItem { ordered, depth, task, block };
                match last {
                    Some(Group::List(items)) => items.push(item),
                    _ => groups.push(Group::List(vec![item])),
                }
            }
            (BlockKind::TableCell { table, row, col, header }, last) => {
                let cell = (row, col, header, block);
                match last {
                    Some(Group::Table(t)) if t.id == table => t.cells.push(cell),
                    _ => groups.push(Group::Table(Table { id: table, cells: vec![cell] })),
                }
            }
        }
    }
    groups.extend(pending.map(|(_, v)| Group::Verbatim(v)));
    groups
}
