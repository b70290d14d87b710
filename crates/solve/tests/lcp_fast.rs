//! The fast exact Lemke–Howson run (floating-point paths, exact decisions
//! of close ratio tests, exact endpoints) against the exact-pivoting
//! reference: the same equilibria in the same order, on games with many
//! ties (tiny payoff ranges, where the lexicographic rule decides) and on
//! generic ones.

use detente_game::{NormalFormGame, Rational};
use detente_solve::lcp::{lcp_exact_pivoting, lcp_with_stats, LcpOptions};
use detente_solve::verify::verify_equilibrium;
use num_bigint::BigInt;
use proptest::prelude::*;

/// An `m × n` game from row-major payoff lists.
fn game(m: usize, n: usize, a: &[i64], b: &[i64]) -> NormalFormGame {
    let mut ta = Vec::with_capacity(m * n);
    let mut tb = Vec::with_capacity(m * n);
    for j in 0..n {
        for i in 0..m {
            ta.push(Rational::from_integer(BigInt::from(a[i * n + j])));
            tb.push(Rational::from_integer(BigInt::from(b[i * n + j])));
        }
    }
    NormalFormGame::from_tables(&[m, n], &[ta, tb]).expect("valid game")
}

/// A seeded game with payoffs `0..range` (SplitMix64).
fn seeded(m: usize, n: usize, range: u64, seed: u64) -> NormalFormGame {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % range) as i64
    };
    let a: Vec<i64> = (0..m * n).map(|_| next()).collect();
    let b: Vec<i64> = (0..m * n).map(|_| next()).collect();
    game(m, n, &a, &b)
}

fn same_as_reference(g: &NormalFormGame, opts: &LcpOptions) -> Result<(), TestCaseError> {
    let reference = lcp_exact_pivoting(g, opts);
    let fast = lcp_with_stats::<Rational>(g, opts);
    match (reference, fast) {
        (Ok(r), Ok((f, _))) => {
            prop_assert_eq!(&f, &r);
            for e in &f {
                prop_assert!(verify_equilibrium(g, e, 0.0).is_ok());
            }
        }
        (Err(r), Err(f)) => prop_assert_eq!(r, f),
        (r, f) => prop_assert!(false, "reference {:?}, fast {:?}", r, f),
    }
    Ok(())
}

#[test]
fn seeded_games_match_the_reference() {
    for (m, n, range) in [
        (3, 3, 3),
        (4, 4, 2),
        (5, 5, 4),
        (6, 6, 100),
        (8, 8, 100),
        (7, 9, 5),
    ] {
        for seed in 0..6 {
            let g = seeded(m, n, range, seed);
            same_as_reference(&g, &LcpOptions::default()).expect("same as the reference");
            for label in 0..m + n {
                let opts = LcpOptions {
                    start_label: Some(label),
                    ..LcpOptions::default()
                };
                same_as_reference(&g, &opts).expect("same path end");
            }
        }
    }
}

/// On generic games the fast run needs no exact pivoting.
#[test]
fn generic_games_stay_in_floating_point() {
    let g = seeded(10, 10, 1000, 7);
    let (eqs, stats) = lcp_with_stats::<Rational>(&g, &LcpOptions::default()).expect("solved");
    assert!(!eqs.is_empty());
    assert!(!stats.exact_pivoting, "{stats:?}");
    assert_eq!(
        eqs,
        lcp_exact_pivoting(&g, &LcpOptions::default()).expect("solved")
    );
    // A larger one: one path, checked exactly.
    let big = seeded(40, 40, 100, 3);
    let opts = LcpOptions {
        stop_after: Some(1),
        ..LcpOptions::default()
    };
    let (one, stats) = lcp_with_stats::<Rational>(&big, &opts).expect("solved");
    assert_eq!(one.len(), 1);
    assert!(!stats.exact_pivoting, "{stats:?}");
    assert!(verify_equilibrium(&big, &one[0], 0.0).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Tiny payoff ranges make ties everywhere: the fast run must take the
    /// exact run's lexicographic decisions.
    #[test]
    fn fast_equals_exact_pivoting(
        m in 1usize..6,
        n in 1usize..6,
        range in 1u64..5,
        seed in any::<u64>(),
    ) {
        let g = seeded(m, n, range, seed);
        same_as_reference(&g, &LcpOptions::default())?;
        same_as_reference(&g, &LcpOptions { stop_after: Some(1), ..LcpOptions::default() })?;
    }
}
