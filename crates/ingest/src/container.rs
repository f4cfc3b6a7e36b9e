//! Block containers, shared by the Markdown and HTML readers: what a
//! paragraph becomes depends on the innermost one it stands in.

use diglot_core::BlockKind;

/// A block container being read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Container {
    Quote,
    Item { ordered: bool, depth: u8, task: Option<bool> },
    Cell { table: u16, row: u16, col: u16, header: bool },
}

/// A table being read: its number in the document and the next cell's place.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub index: u16,
    pub row: usize,
    pub col: usize,
    pub in_head: bool,
}

/// What a paragraph is inside `containers` (innermost last).
pub(crate) fn paragraph_kind(containers: &[Container]) -> BlockKind {
    match containers.last() {
        None => BlockKind::Paragraph,
        Some(Container::Quote) => BlockKind::Quote,
        Some(&Container::Item { ordered, depth, task }) => {
            BlockKind::ListItem { ordered, depth, task }
        }
        Some(&Container::Cell { table, row, col, header }) => {
            BlockKind::TableCell { table, row, col, header }
        }
    }
}
