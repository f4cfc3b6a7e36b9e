//! Machine-translation providers, one module each, and the
//! `[[translate.providers]]` tables of a pipeline that configure them.

pub mod apertium;
pub mod deepl;
pub mod google;
pub mod http;
pub mod libretranslate;
pub mod openai;
pub mod pseudo;

use std::sync::Arc;

use serde::Deserialize;

use crate::{ProviderError, Translator};

/// One `[[translate.providers]]` table: `kind` names the provider, the other
/// keys are its settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ProviderConfig {
    Apertium(apertium::ApertiumSettings),
    Deepl(deepl::DeeplSettings),
    Google(google::GoogleSettings),
    Libretranslate(libretranslate::LibreTranslateSettings),
    Openai(openai::OpenAiSettings),
    Pseudo(pseudo::PseudoSettings),
}

impl ProviderConfig {
    /// Creates the provider, reading secrets through `env` (the process
    /// environment in production).
    pub fn build(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Arc<dyn Translator>, ProviderError> {
        Ok(match self.clone() {
            ProviderConfig::Apertium(s) => Arc::new(apertium::Apertium::new(s)),
            ProviderConfig::Deepl(s) => Arc::new(deepl::Deepl::new(s, env)?),
            ProviderConfig::Google(s) => Arc::new(google::Google::new(s, env)?),
            ProviderConfig::Libretranslate(s) => {
                Arc::new(libretranslate::LibreTranslate::new(s, env)?)
            }
            ProviderConfig::Openai(s) => Arc::new(openai::OpenAi::new(s, env)?),
            ProviderConfig::Pseudo(s) => Arc::new(pseudo::Pseudo::new(s)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<ProviderConfig, String> {
        #[derive(Deserialize)]
        struct T {
            p: ProviderConfig,
        }
        serde_json::from_str::<serde_json::Value>(toml_text)
            .map_err(|e| e.to_string())
            .and_then(|v| {
                serde_json::from_value::<T>(serde_json::json!({ "p": v }))
                    .map_err(|e| e.to_string())
            })
            .map(|t| t.p)
    }

    #[test]
    fn every_kind_parses_and_unknown_fields_are_refused() {
        for kind in ["apertium", "pseudo", "libretranslate"] {
            let config = parse(&format!(r#"{{"kind": "{kind}"}}"#)).unwrap();
            assert!(config.build(&|_| None).is_ok(), "{kind}");
        }
        assert!(
            parse(r#"{"kind": "deepl"}"#).unwrap().build(&|_| None).is_err(),
            "deepl needs a key"
        );
        assert!(parse(r#"{"kind": "apertium", "mdoe": "apy"}"#).is_err());
        assert!(parse(r#"{"kind": "babelfish"}"#).is_err());
    }
}
