//! The pseudolocalization provider on protected text.

use diglot_translate::protect::{check, protect, restore};
use diglot_translate::providers::pseudo::{Pseudo, PseudoSettings, PseudoStyle};
use diglot_translate::{Batch, Pair, TextKind, Translator};

fn pair() -> Pair {
    Pair::new("en-US".parse().unwrap(), "es-ES".parse().unwrap())
}

async fn translate(pseudo: &Pseudo, texts: &[String]) -> Vec<String> {
    let pair = pair();
    let batch = Batch { texts, pair: &pair, kind: TextKind::Body, glossary: &[] };
    pseudo.translate(batch).await.expect("pseudo never fails")
}

#[tokio::test]
async fn accented_keeps_tags_entities_and_numbers() {
    let source = "Tom & *Jerry* paid 1,474 [dollars](https://example.com/a&b) for `cargo test`.";
    let protected = protect(source);
    let pseudo = Pseudo::new(PseudoSettings::default());
    let out = translate(&pseudo, std::slice::from_ref(&protected.text)).await;
    assert_eq!(
        out[0],
        "Ŧooḿ &amp; <em>Ĵeeřřẏ</em> ƥaaiḓ 1,474 <a id=\"1\">ḓooŀŀaařş</a> ƒooř <code id=\"2\"></code>."
    );
    let restored = restore(&protected, &out[0]).unwrap();
    assert_eq!(
        restored,
        "Ŧooḿ & *Ĵeeřřẏ* ƥaaiḓ 1,474 [ḓooŀŀaařş](https://example.com/a&b) ƒooř `cargo test`."
    );
    assert_eq!(check(&pair(), source, &restored), Ok(()));
    assert_eq!(pseudo.fingerprint(), "accented;elongate");
}

#[tokio::test]
async fn accented_without_elongation() {
    let pseudo = Pseudo::new(PseudoSettings { style: PseudoStyle::Accented, elongate: false });
    let out = translate(&pseudo, &["Hello <strong>World</strong> &lt;3".to_string()]).await;
    assert_eq!(out, ["Ħeŀŀo <strong>Ẇořŀḓ</strong> &lt;3"]);
    assert_eq!(pseudo.fingerprint(), "accented");
}

#[tokio::test]
async fn bidi_flips_letters_inside_an_override() {
    let pseudo = Pseudo::new(PseudoSettings { style: PseudoStyle::Bidi, elongate: true });
    let texts = ["Hello <em>World</em> &amp; 20 more.".to_string(), "Ok".to_string()];
    let out = translate(&pseudo, &texts).await;
    assert_eq!(out, ["\u{202e}Hǝʅʅo <em>Moɹʅp</em> &amp; 20 ɯoɹǝ.\u{202c}", "\u{202e}Oʞ\u{202c}"]);
    assert_eq!(pseudo.fingerprint(), "bidi");
}

#[test]
fn settings_reject_unknown_fields() {
    let settings: PseudoSettings = serde_json::from_str(r#"{"style": "bidi"}"#).unwrap();
    assert_eq!(settings, PseudoSettings { style: PseudoStyle::Bidi, elongate: true });
    assert!(serde_json::from_str::<PseudoSettings>(r#"{"stlye": "bidi"}"#).is_err());
}
