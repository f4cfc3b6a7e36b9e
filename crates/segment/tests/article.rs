//! The example article, articles/andry-hernandez-romero.txt: every sentence
//! where a reader would put it, none split at "U.S." or inside a quotation.

use diglot_core::{Block, BlockKind, Document, Segmented};
use diglot_segment::{Rules, segment};

const ARTICLE: &str = include_str!("../../../articles/andry-hernandez-romero.txt");

/// One block a line, the first the title, as the article is written.
fn article() -> Segmented {
    let blocks = ARTICLE
        .lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let kind = if n == 0 { BlockKind::Title } else { BlockKind::Paragraph };
            Block::text(kind, line)
        })
        .collect();
    segment(&Document { lang: None, blocks }, &Rules::for_language("en"))
}

/// The sentences of the block whose text starts with `start`.
fn paragraph(segmented: &Segmented, start: &str) -> Vec<String> {
    let block = segmented
        .blocks
        .iter()
        .find(|b| b.segments.first().is_some_and(|s| s.text.starts_with(start)))
        .unwrap_or_else(|| panic!("no block starts with {start:?}"));
    block.segments.iter().map(|s| s.text.clone()).collect()
}

#[test]
fn sentence_count() {
    // Counted by hand: 27 blocks (title, 7 section headings including
    // "Summary", 19 paragraphs), 68 sentences.
    let s = article();
    assert_eq!(s.blocks.len(), 27);
    assert_eq!(s.segments().count(), 68);
    assert_eq!(s.lang.to_string(), "en");
}

#[test]
fn title_and_headings_are_one_segment() {
    let s = article();
    assert_eq!(
        paragraph(&s, "Andry Hernández Romero: A life"),
        ["Andry Hernández Romero: A life rebuilt after a year marked by detention and resilience",]
    );
    assert_eq!(paragraph(&s, "From California"), ["From California to Texas to CECOT"]);
    assert_eq!(paragraph(&s, "Summary"), ["Summary"]);
}

#[test]
fn dashes_hyphens_and_apostrophes() {
    assert_eq!(
        paragraph(&article(), "Andry Hernández Romero lights up"),
        [
            "Andry Hernández Romero lights up at the mention of Italian food, a simple pleasure he \
         now savors after a year that tested him in ways few people endure.",
            "The 32-year-old Venezuelan makeup artist from Capacho Nuevo in Táchira – right on the \
         border with Colombia – sits at his parents’ home and shares a smile that momentarily \
         lifts the weight of the past year from his shoulders.",
            "He wears a T-shirt bearing an image of himself holding a jeweled crown, a symbol of the \
         unexpected public attention his case drew as he fought to reclaim his name and his \
         freedom.",
        ]
    );
}

#[test]
fn us_abbreviation_does_not_end_sentences() {
    let s = article();
    assert_eq!(
        paragraph(&s, "Before the upheaval"),
        [
            "Before the upheaval in El Salvador, Hernández Romero had already spent months in U.S. \
         immigration detention.",
            "He entered the United States legally at the San Ysidro port of entry in August 2024, \
         seeking asylum on the grounds of political persecution and threats tied to his sexual \
         orientation.",
            "Detained quickly, he was labeled as associated with the Venezuelan Tren de Aragua gang \
         based on only two tattoos, a “mom” and “dad” with a crown, a charge he denies and a \
         label he insists mischaracterized him.",
        ]
    );
    assert_eq!(
        paragraph(&s, "On March 15"),
        [
            "On March 15, he was deported under the Trump administration’s revived use of the Alien \
         Enemies Act, sent to El Salvador without a hearing and with no direct ties to that \
         country.",
            "He has since recounted how U.S. officers described their destination to detainees with \
         staged delays that culminated in a swift transfer to San Salvador, landing on a \
         Saturday when courts were closed.",
            "The account of that moment, described to reporters, includes guards dragging detainees \
         and the chilling sense that the fate of many was decided away from public view.",
        ]
    );
    assert_eq!(
        paragraph(&s, "Once in CECOT"),
        [
            "Once in CECOT, he spent four months behind security barriers that human rights groups \
         have called torturous.",
            "The last time U.S. officials saw him, a Time photographer captured his arrival as guards \
         shaved his head and he cried out, “I’m gay,” calling for his mother’s name in a moment \
         of fear that would become emblematic for a broader narrative about asylum and dignity.",
        ]
    );
    assert_eq!(
        paragraph(&s, "Back home"),
        [
            "Back home and across the United States, Hernández Romero’s case grew into a cause \
         celebre among activists, lawmakers, and everyday Americans who saw in his story a stark \
         example of injustice and resilience.",
            "His image and words appeared at Pride events, on banners outside the U.S. Supreme Court, \
         and across television and podcast discussions about the treatment of migrants seeking \
         asylum.",
        ]
    );
}

#[test]
fn quotations_stay_whole() {
    let s = article();
    assert_eq!(
        paragraph(&s, "The guards kept"),
        [
            "The guards kept a constant watch, with the implied threat that many would never leave.",
            "“They told us we would die there, that we would spend more than 20 years condemned as \
         terrorists,” Hernández Romero recalled.",
            "Yet even in that brutal environment, faith became a lifeline.",
            "He describes the routine of prayer and scripture as something that helped lessen the \
         weight of the days.",
        ]
    );
    assert_eq!(
        paragraph(&s, "Inside CECOT"),
        [
            "Inside CECOT, Hernández Romero was the only openly gay man in his unit.",
            "In a hyper-masculine setting, he says mutual respect became the glue that kept tensions \
         manageable.",
            "“Before being gay, I am a man,” he noted.",
            "He learned to blend in, to listen, and to keep his own counsel, describing a delicate \
         balance between self-respect and adaptation.",
        ]
    );
    assert_eq!(
        paragraph(&s, "The night before"),
        [
            "The night before what would become his release, false promises that had punctuated his \
         captivity contributed to a fragile sense of hope.",
            "But a pastor’s words carried real weight: “The miracle is done. Tomorrow will be a new \
         day for you.”",
            "On July 18, the group of 252 Venezuelan men deported from the United States to El \
         Salvador was told to strip to their boxers, shower, and prepare for a move.",
            "They were loaded onto buses and driven to a military base.",
            "The moment they stepped onto what they believed might be the threshold to a new life, \
         Venezuelan planes appeared on the tarmac, signaling a return to home soil.",
        ]
    );
    assert_eq!(
        paragraph(&s, "He took part"),
        [
            "He took part in a public procession honoring the Virgin Mary, wearing shirts bearing his \
         image and the slogan “Libertad para Andry” — Freedom for Andry.",
            "Those who recognized him in the crowd approached with warmth and encouragement, \
         underscoring how his struggle has resonated beyond borders and across communities.",
        ]
    );
    assert_eq!(
        paragraph(&s, "As he continues"),
        [
            "As he continues to rebuild his life—and his makeup kit—Hernández Romero remains grateful \
         for the coalition that stood with him, for his family’s renewed strength, and for the \
         strangers who offered messages of love and solidarity.",
            "His message to the LGBTQ+ community is one of kinship and reassurance: you are not \
         alone, and the fight for dignity and safety is a shared journey that continues beyond \
         any single court ruling or political moment.",
        ]
    );
}
