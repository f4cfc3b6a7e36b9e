//! `diglot_fluent::parse_file` on any locale file: never a panic, and every
//! diagnostic points inside the file.
#![no_main]

use diglot_core::Locale;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let en: Locale = "en-US".parse().unwrap();
    let (file, diagnostics) = diglot_fluent::parse_file("fuzz.ftl", source, &en);
    let _ = file.translations();
    // Lines as an editor shows them: LF, CRLF and a lone CR each end one.
    let lines = source.replace("\r\n", "\n").split(['\n', '\r']).count();
    for d in &diagnostics {
        assert!(d.line >= 1 && d.line <= lines, "line {} of {lines}: {d}", d.line);
        assert!(d.col >= 1, "column {}: {d}", d.col);
        let _ = d.to_string();
    }
});
