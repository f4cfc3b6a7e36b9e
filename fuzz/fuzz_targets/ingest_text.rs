//! `diglot_ingest::read` on any Text input: it promises never to panic.
#![no_main]

use diglot_ingest::{Format, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let _ = read(source, Format::Text);
});
