use serde::{Deserialize, Serialize};

use crate::{BlockKind, Locale, SegmentId};

/// A document split into sentences, block by block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segmented {
    pub lang: Locale,
    pub blocks: Vec<SegmentedBlock>,
}

impl Segmented {
    /// Every segment in reading order, duplicates included.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.blocks.iter().flat_map(|b| b.segments.iter())
    }
}

/// One block of the source document and its sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentedBlock {
    pub kind: BlockKind,
    pub segments: Vec<Segment>,
}

/// One sentence (or heading) of the source: the unit of translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub id: SegmentId,
    /// The sentence with its inline markup as Markdown (see [`crate::inline`]).
    pub text: String,
}

impl Segment {
    /// A segment whose ID is derived from its text.
    pub fn new(text: String) -> Segment {
        Segment { id: SegmentId::for_text(&text), text }
    }
}
