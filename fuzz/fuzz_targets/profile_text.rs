//! Fuzzes the profile-text reader (`detente check --profile`): it must
//! never panic, and the numbers it accepts, written back as fractions,
//! read back the same and exactly.
#![no_main]

use detente_game::{format_rational, parse_profile_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((nums, _)) = parse_profile_text(text) {
        let written = nums.iter().map(format_rational).collect::<Vec<_>>().join(",");
        match parse_profile_text(&written) {
            Ok((back, decimal)) => {
                assert_eq!(back, nums, "round trip changed the numbers: {written}");
                assert!(!decimal, "fractions read as decimals: {written}");
            }
            Err(e) => panic!("cannot reread {written:?}: {e}"),
        }
    }
});
