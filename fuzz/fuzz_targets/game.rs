//! Fuzzes the format-sniffing reader on raw bytes (UTF-8 or not), and the
//! JSON export of whatever it accepts.
#![no_main]

use detente_game::{game_to_json, read_game, read_game_bytes, write_game};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(g) = read_game_bytes(data, "fuzz") {
        let _ = game_to_json(&g);
        let written = write_game(&g);
        match read_game(&written, "rewritten") {
            Ok(back) => assert_eq!(back, g, "round trip changed the game"),
            Err(e) => panic!("cannot reread what we wrote: {e}\n{written}"),
        }
    }
});
