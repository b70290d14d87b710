//! Property tests of the exact solvers on random games.

use detente_game::{NormalFormGame, Rational};
use detente_solve::dominance::{eliminate_dominated, DominanceKind};
use detente_solve::enumpure::{enumpure, pure_equilibria};
use detente_solve::lcp::{lcp, LcpOptions};
use detente_solve::lp::lp;
use detente_solve::verify::{max_regret, verify_equilibrium, DEFAULT_TOLERANCE};
use num_traits::Zero;
use proptest::prelude::*;

fn game_from(shape: &[usize], payoffs: &[i64]) -> NormalFormGame {
    let cells: usize = shape.iter().product();
    let n = shape.len();
    let tables: Vec<Vec<Rational>> = (0..n)
        .map(|p| {
            (0..cells)
                .map(|c| Rational::from_integer(payoffs[(c * n + p) % payoffs.len()].into()))
                .collect()
        })
        .collect();
    NormalFormGame::from_tables(shape, &tables).expect("valid game")
}

/// A random bimatrix game with small integer payoffs (ties, hence
/// degeneracy, are common).
fn bimatrix() -> impl Strategy<Value = NormalFormGame> {
    (1usize..=5, 1usize..=5)
        .prop_flat_map(|(m, n)| {
            (
                Just(vec![m, n]),
                proptest::collection::vec(-4i64..=4, 2 * m * n),
            )
        })
        .prop_map(|(shape, pay)| game_from(&shape, &pay))
}

fn zero_sum() -> impl Strategy<Value = NormalFormGame> {
    (1usize..=5, 1usize..=5)
        .prop_flat_map(|(m, n)| (Just((m, n)), proptest::collection::vec(-9i64..=9, m * n)))
        .prop_map(|((m, n), a)| {
            let ta: Vec<Rational> = a
                .iter()
                .map(|&v| Rational::from_integer(v.into()))
                .collect();
            let tb = ta.iter().map(|v| -v.clone()).collect();
            NormalFormGame::from_tables(&[m, n], &[ta, tb]).expect("valid")
        })
}

fn nplayer() -> impl Strategy<Value = NormalFormGame> {
    proptest::collection::vec(1usize..=3, 1..=4)
        .prop_flat_map(|shape| {
            let cells: usize = shape.iter().product();
            let n = shape.len();
            (Just(shape), proptest::collection::vec(-3i64..=3, cells * n))
        })
        .prop_map(|(shape, pay)| game_from(&shape, &pay))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn lcp_equilibria_have_zero_regret(g in bimatrix()) {
        let eqs = lcp::<Rational>(&g, &LcpOptions::default()).expect("lcp");
        prop_assert!(!eqs.is_empty());
        for e in &eqs {
            prop_assert!(max_regret(&g, &e.profile).is_zero());
            prop_assert!(verify_equilibrium(&g, e, 0.0).is_ok());
        }
        let f = lcp::<f64>(&g, &LcpOptions::default()).expect("lcp float");
        for e in &f {
            prop_assert!(verify_equilibrium(&g, e, DEFAULT_TOLERANCE).is_ok());
        }
    }

    #[test]
    fn lp_value_equals_lemke_howson_payoff(g in zero_sum()) {
        let r = lp::<Rational>(&g).expect("lp");
        prop_assert!(max_regret(&g, &r.equilibrium.profile).is_zero());
        let lh = detente_solve::lcp::lemke_howson::<Rational>(&g, 0).expect("lh");
        prop_assert_eq!(&lh.payoffs[0], &r.value);
        let f = lp::<f64>(&g).expect("lp float");
        prop_assert!((f.value - detente_game::Scalar::to_f64(&r.value)).abs() < 1e-9);
    }

    #[test]
    fn enumpure_finds_exactly_the_zero_regret_pure_profiles(g in nplayer()) {
        let found = pure_equilibria(&g);
        for cell in 0..g.num_profiles() {
            let pure = g.profile_at(cell);
            let profile: Vec<Vec<Rational>> = pure
                .iter()
                .zip(g.shape())
                .map(|(&s, k)| (0..k).map(|t| Rational::from_integer(((t == s) as i64).into())).collect())
                .collect();
            let is_ne = max_regret(&g, &profile).is_zero();
            prop_assert_eq!(is_ne, found.contains(&pure));
        }
    }

    #[test]
    fn dominance_never_removes_pure_equilibrium_strategies(g in nplayer(), mixed in any::<bool>()) {
        let kind = if mixed { DominanceKind::Mixed } else { DominanceKind::Pure };
        let r = eliminate_dominated(&g, kind).expect("dominance");
        let eqs = pure_equilibria(&g);
        for e in &eqs {
            for (p, s) in e.iter().enumerate() {
                prop_assert!(r.kept[p].contains(s));
            }
        }
        // The reduced game has the same pure equilibria.
        let reduced: Vec<Vec<usize>> = enumpure::<Rational>(&r.game)
            .iter()
            .map(|e| {
                e.profile
                    .iter()
                    .enumerate()
                    .map(|(p, v)| r.kept[p][v.iter().position(|x| !x.is_zero()).expect("pure")])
                    .collect()
            })
            .collect();
        let mut a = reduced;
        a.sort();
        let mut b = eqs;
        b.sort();
        prop_assert_eq!(a, b);
    }
}
