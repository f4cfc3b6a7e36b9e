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

    /// A `[[translate.providers]]` table, as a pipeline file holds it.
    fn parse(table: &str) -> Result<ProviderConfig, String> {
        #[derive(Deserialize)]
        struct Translate {
            providers: Vec<ProviderConfig>,
        }
        #[derive(Deserialize)]
        struct Pipeline {
            translate: Translate,
        }
        let text = format!("[[translate.providers]]\n{table}\n");
        let mut pipeline: Pipeline = toml::from_str(&text).map_err(|e| e.to_string())?;
        Ok(pipeline.translate.providers.remove(0))
    }

    /// The `kind` a config was read from; a new provider must be added here,
    /// and so to the test below.
    fn kind(config: &ProviderConfig) -> &'static str {
        match config {
            ProviderConfig::Apertium(_) => "apertium",
            ProviderConfig::Deepl(_) => "deepl",
            ProviderConfig::Google(_) => "google",
            ProviderConfig::Libretranslate(_) => "libretranslate",
            ProviderConfig::Openai(_) => "openai",
            ProviderConfig::Pseudo(_) => "pseudo",
        }
    }

    /// Every `kind` the enum accepts, as serde lists them when refusing one.
    fn every_kind() -> Vec<String> {
        let err = parse("kind = \"babelfish\"").unwrap_err();
        let expected = err.split("expected one of ").nth(1).unwrap_or_else(|| panic!("{err}"));
        let kinds: Vec<String> = expected
            .split(", ")
            .map(|k| k.trim().trim_matches('`').to_string())
            .take_while(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase()))
            .collect();
        assert!(kinds.len() >= 6, "{err}");
        kinds
    }

    #[test]
    fn every_kind_parses_and_unknown_fields_are_refused() {
        let kinds = every_kind();
        let keyless = ["apertium", "pseudo", "libretranslate"];
        let keyed = ["deepl", "google", "openai"];
        for name in &kinds {
            assert!(
                keyless.contains(&name.as_str()) || keyed.contains(&name.as_str()),
                "{name}: say below whether it builds without a key"
            );
        }
        for name in &kinds {
            let config = parse(&format!("kind = \"{name}\"")).unwrap();
            assert_eq!(kind(&config), name);
            let unknown = parse(&format!("kind = \"{name}\"\nmdoe = \"apy\""));
            assert!(unknown.is_err(), "{name} accepted an unknown field");
        }
        for name in keyless {
            assert!(
                parse(&format!("kind = \"{name}\"")).unwrap().build(&|_| None).is_ok(),
                "{name}"
            );
        }
        for name in keyed {
            let built = parse(&format!("kind = \"{name}\"")).unwrap().build(&|_| None);
            assert!(built.is_err(), "{name} needs a key");
        }
        assert!(parse("kind = \"babelfish\"").is_err());
    }
}
