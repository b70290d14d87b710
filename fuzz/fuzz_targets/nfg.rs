//! Fuzzes the .nfg reader: it must never panic, and every game it accepts
//! must round-trip through the writer.
#![no_main]

use detente_game::{read_nfg, write_nfg};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(g) = read_nfg(text, "fuzz.nfg") {
        let written = write_nfg(&g);
        let back = match read_nfg(&written, "rewritten.nfg") {
            Ok(b) => b,
            Err(e) => panic!("cannot reread what we wrote: {e}\n{written}"),
        };
        assert_eq!(back, g, "round trip changed the game");
        assert_eq!(write_nfg(&back), written, "writing is not stable");
    }
});
