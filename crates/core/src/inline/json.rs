//! [`Inline`] as JSON, the shape of the JSON edition's `inlines`
//! (`schemas/edition.schema.json`): text is a bare string; any other inline
//! is an object named by its one kind key, with the kind's other fields
//! beside it, empty titles left out:
//! `{"emphasis": [...]}`, `{"strong": [...]}`, `{"code": "x"}`,
//! `{"link": [...], "href": "...", "title": "..."}`,
//! `{"ref_link": [...], "label": "..."}`,
//! `{"image": "alt text", "src": "...", "title": "..."}`,
//! `{"ref_image": "alt text", "label": "..."}`, `{"break": true}`,
//! `{"raw": "<kbd>"}`.

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::Inline;

impl Serialize for Inline {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Inline::Text(text) => serializer.serialize_str(text),
            Inline::Emphasis(children) => one(serializer, "emphasis", children),
            Inline::Strong(children) => one(serializer, "strong", children),
            Inline::Code(text) => one(serializer, "code", text),
            Inline::Link { href, title, children } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("link", children)?;
                map.serialize_entry("href", href)?;
                if !title.is_empty() {
                    map.serialize_entry("title", title)?;
                }
                map.end()
            }
            Inline::RefLink { label, children } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("ref_link", children)?;
                map.serialize_entry("label", label)?;
                map.end()
            }
            Inline::Image { src, title, alt } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("image", alt)?;
                map.serialize_entry("src", src)?;
                if !title.is_empty() {
                    map.serialize_entry("title", title)?;
                }
                map.end()
            }
            // A reference image whose label has no definition.
            Inline::RefImage { label, alt } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("ref_image", alt)?;
                map.serialize_entry("label", label)?;
                map.end()
            }
            Inline::Break => one(serializer, "break", &true),
            Inline::Raw(text) => one(serializer, "raw", text),
        }
    }
}

/// `{key: value}`.
fn one<S: Serializer, T: Serialize + ?Sized>(
    serializer: S,
    key: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Repr {
    Text(String),
    Object(Box<Object>),
}

/// Every field an inline object may have; which kind key is present says
/// which of them belong.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Object {
    emphasis: Option<Vec<Inline>>,
    strong: Option<Vec<Inline>>,
    code: Option<String>,
    link: Option<Vec<Inline>>,
    href: Option<String>,
    title: Option<String>,
    ref_link: Option<Vec<Inline>>,
    label: Option<String>,
    image: Option<String>,
    ref_image: Option<String>,
    src: Option<String>,
    #[serde(rename = "break")]
    line_break: Option<bool>,
    raw: Option<String>,
}

impl Object {
    fn into_inline(self) -> Result<Inline, &'static str> {
        let Object {
            emphasis,
            strong,
            code,
            link,
            href,
            title,
            ref_link,
            label,
            image,
            ref_image,
            src,
            line_break,
            raw,
        } = self;
        let kinds = [
            emphasis.is_some(),
            strong.is_some(),
            code.is_some(),
            link.is_some(),
            ref_link.is_some(),
            image.is_some(),
            ref_image.is_some(),
            line_break.is_some(),
            raw.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err("an inline object has exactly one kind key");
        }
        let extra = |allowed: [bool; 4]| {
            let present = [href.is_some(), title.is_some(), label.is_some(), src.is_some()];
            present.iter().zip(allowed).any(|(p, a)| *p && !a)
        };
        let inline = if let Some(children) = emphasis {
            (!extra([false; 4])).then_some(Inline::Emphasis(children))
        } else if let Some(children) = strong {
            (!extra([false; 4])).then_some(Inline::Strong(children))
        } else if let Some(text) = code {
            (!extra([false; 4])).then_some(Inline::Code(text))
        } else if let Some(children) = link {
            let ok = !extra([true, true, false, false]);
            href.filter(|_| ok).map(|href| Inline::Link {
                href,
                title: title.unwrap_or_default(),
                children,
            })
        } else if let Some(children) = ref_link {
            let ok = !extra([false, false, true, false]);
            label.filter(|_| ok).map(|label| Inline::RefLink { label, children })
        } else if let Some(alt) = image {
            let ok = !extra([false, true, false, true]);
            src.filter(|_| ok).map(|src| Inline::Image {
                src,
                title: title.unwrap_or_default(),
                alt,
            })
        } else if let Some(alt) = ref_image {
            let ok = !extra([false, false, true, false]);
            label.filter(|_| ok).map(|label| Inline::RefImage { label, alt })
        } else if let Some(line_break) = line_break {
            (line_break && !extra([false; 4])).then_some(Inline::Break)
        } else {
            raw.filter(|_| !extra([false; 4])).map(Inline::Raw)
        };
        inline.ok_or("an inline object has the fields of its kind, and no others")
    }
}

impl<'de> Deserialize<'de> for Inline {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Inline, D::Error> {
        match Repr::deserialize(deserializer)? {
            Repr::Text(text) => Ok(Inline::Text(text)),
            Repr::Object(object) => object.into_inline().map_err(de::Error::custom),
        }
    }
}
