//! Fuzzes the .efg reader: it must never panic; every tree it accepts must
//! round-trip through the writer, and (when small) reduce to a strategic
//! form without panicking.
#![no_main]

use detente_game::{read_efg, write_efg};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = read_efg(text, "fuzz.efg") {
        let written = write_efg(&t);
        let back = match read_efg(&written, "rewritten.efg") {
            Ok(b) => b,
            Err(e) => panic!("cannot reread what we wrote: {e}\n{written}"),
        };
        assert_eq!(back, t, "round trip changed the tree");
        assert_eq!(write_efg(&back), written, "writing is not stable");
        let _ = t.is_perfect_recall();
        let _ = t.is_constant_sum();
        if t.num_nodes() <= 200 {
            if let Ok(shape) = t.reduced_shape() {
                if shape.iter().product::<usize>() <= 4096 {
                    let nf = match t.reduced_normal_form() {
                        Ok(nf) => nf,
                        Err(e) => panic!("reduced_shape accepted but reduction failed: {e}"),
                    };
                    assert_eq!(nf.shape(), shape);
                }
            }
        }
    }
});
