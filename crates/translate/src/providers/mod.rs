//! Machine-translation providers, one module each.

pub mod deepl;
pub mod google;
pub mod http;
pub mod libretranslate;
pub mod openai;
