//! Large inputs: a 1000 x 1000 two-player game (two million payoffs) in
//! both `.nfg` bodies parses correctly and quickly, and a header that
//! announces a huge table is refused at once, before any allocation.

use detente_game::{read_game, read_nfg, write_nfg, Game};
use std::fmt::Write as _;
use std::time::Instant;

fn big_payoff_file(m: usize) -> String {
    let mut s = format!("NFG 1 R \"big\" {{ \"A\" \"B\" }} {{ {m} {m} }}\n\"\"\n");
    for c in 0..m * m {
        let (i, j) = (c % m, c / m);
        // Integers and short decimals, as real files have.
        let _ = write!(s, "{} {}.{} ", (i * 7 + j) % 101, j % 13, i % 10);
    }
    s.push('\n');
    s
}

#[test]
fn two_million_payoffs_parse_quickly() {
    let m = 1000;
    let text = big_payoff_file(m);
    let t0 = Instant::now();
    let g = read_nfg(&text, "big.nfg").expect("parses");
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "parsed {} payoffs ({} MB) in {secs:.3} s: {:.2} s per million numbers",
        2 * m * m,
        text.len() / 1_000_000,
        secs / 2.0
    );
    assert_eq!(g.shape(), vec![m, m]);
    let c = g.profile_index(&[999, 998]);
    assert_eq!(
        g.payoff(c, 0).to_string(),
        ((999 * 7 + 998) % 101).to_string()
    );
    // Player 2's payoff is "{j % 13}.{i % 10}" = "10.9".
    assert_eq!(g.payoff(c, 1).to_string(), "109/10");
    // A generous bound that only a pathological slowdown breaks (the
    // test profile is barely optimized and the machine is shared).
    assert!(secs < 30.0, "parsing took {secs} s");
}

#[test]
fn outcome_form_round_trips_at_scale() {
    let m = 300;
    let mut s = format!("NFG 1 R \"big\" {{ \"A\" \"B\" }} {{ {m} {m} }}\n\"\"\n{{\n");
    for k in 0..50 {
        let _ = writeln!(s, "{{ \"o{k}\" {k}, -{k} }}");
    }
    s.push_str("}\n");
    for c in 0..m * m {
        let _ = write!(s, "{} ", c % 51);
    }
    let g = read_game(&s, "out.nfg").expect("parses");
    let Game::Normal(g) = g else {
        panic!("not a strategic game")
    };
    assert!(g.is_constant_sum());
    let w = write_nfg(&g);
    assert_eq!(read_nfg(&w, "w.nfg").expect("rereads"), g);
}

#[test]
fn huge_headers_are_refused_before_allocating() {
    let t0 = Instant::now();
    let e = read_nfg(
        "NFG 1 R \"t\" { \"a\" \"b\" \"c\" } { 100000 100000 100000 }\n1 2 3",
        "h.nfg",
    )
    .expect_err("too large");
    assert!(e.to_string().contains("more than 16777216 cells"), "{e}");
    // 2^24 cells exactly is allowed by the header; the missing payoffs are
    // reported without reserving memory for all of them first.
    let e = read_nfg("NFG 1 R \"t\" { \"a\" } { 16777216 }\n1 2 3", "h.nfg")
        .expect_err("too few payoffs");
    assert_eq!(
        e.to_string(),
        "h.nfg:2:6: expected a number (payoff 4 of 16777216: player 1 at strategy profile (4)), found end of file"
    );
    assert!(t0.elapsed().as_secs_f64() < 5.0);
}
