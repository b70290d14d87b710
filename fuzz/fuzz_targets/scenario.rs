//! Fuzzes the scenario parser: any text either parses into a scenario that
//! evaluates at its point estimates, or gives an error; never a panic.
#![no_main]

use detente_scenario::{eval, parse_scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(s) = parse_scenario(text, "fuzz.toml") {
            let v = s.point_values();
            let mut scratch = Vec::new();
            eval::case_values(&s, None, &v, &mut scratch);
            let _ = eval::evaluate_case(&s, None, &scratch);
        }
    }
});
