//! `diglot_pipeline::Config::parse` on any pipeline file: a value or an
//! error, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = diglot_pipeline::Config::parse(Path::new("pipelines/fuzz.toml"), text) {
        let _ = e.to_string();
    }
});
