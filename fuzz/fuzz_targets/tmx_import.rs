//! `Memory::import_tmx` on any TMX file, into an in-memory database: an
//! import report or an error, never a panic. What diglot exports from an
//! import must import again.
#![no_main]

use diglot_translate::Pair;
use diglot_translate::memory::Memory;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|xml: &str| {
    let mut memory = Memory::in_memory().expect("an in-memory database opens");
    let report = match memory.import_tmx(xml, "tmx:fuzz.tmx") {
        Ok(report) => report,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    for (key, counts) in &report.pairs {
        if counts.imported == 0 {
            continue;
        }
        let (source, target) = key.split_once("->").expect("pair keys are `source->target`");
        let pair = Pair::new(source.parse().unwrap(), target.parse().unwrap());
        let exported = memory.export_tmx(&pair).expect("an imported pair exports");
        let mut fresh = Memory::in_memory().unwrap();
        let again = fresh
            .import_tmx(&exported, "tmx:export.tmx")
            .unwrap_or_else(|e| panic!("diglot cannot read its own export: {e}\n{exported}"));
        assert_eq!(
            again.pairs.get(key).map(|c| c.imported),
            Some(memory.len(&pair).unwrap()),
            "the export of {key} does not import as many entries as the memory holds\n{exported}"
        );
    }
});
