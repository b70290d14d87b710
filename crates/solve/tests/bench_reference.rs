//! Lemke–Howson and LP against exact pygambit answers on the seeded random
//! games of `shared/games/bench/random_2p_seed12345.json`.

mod common;

use common::{bimatrix_from_json, profile_of, rat, shared_dir};
use detente_game::{NormalFormGame, Rational};
use detente_solve::lcp::{lcp, LcpOptions};
use detente_solve::lp::lp;
use detente_solve::verify::{max_regret, verify_equilibrium, DEFAULT_TOLERANCE};
use num_traits::Zero;

fn load() -> Option<serde_json::Value> {
    let dir = shared_dir()?;
    let path = dir.join("games/bench/random_2p_seed12345.json");
    let text = std::fs::read_to_string(&path).expect("read bench json");
    Some(serde_json::from_str(&text).expect("valid json"))
}

fn zero_sum(g: &NormalFormGame) -> NormalFormGame {
    let cells = g.num_profiles();
    let a: Vec<Rational> = (0..cells).map(|c| g.payoff(c, 0).clone()).collect();
    let b: Vec<Rational> = a.iter().map(|v| -v.clone()).collect();
    NormalFormGame::from_tables(&g.shape(), &[a, b]).expect("valid")
}

#[test]
fn first_label_path_matches_gambit() {
    let Some(doc) = load() else { return };
    for size in ["10", "20", "40"] {
        let gj = &doc["games"][size];
        let g = bimatrix_from_json(&gj["A"], &gj["B"]);
        let expected = profile_of(
            &doc["reference_solutions"]["by_size"][size]["lemke_howson_first_label_exact"],
        );
        let eq = detente_solve::lcp::lemke_howson::<Rational>(&g, 0).expect("lh");
        assert_eq!(eq.profile, expected, "size {size}");
        assert!(verify_equilibrium(&g, &eq, 0.0).is_ok());
        // Floating point reaches the same vertex.
        let f = detente_solve::lcp::lemke_howson::<f64>(&g, 0).expect("lh float");
        assert!(
            verify_equilibrium(&g, &f, DEFAULT_TOLERANCE).is_ok(),
            "size {size}"
        );
        for (pf, pe) in f.profile.iter().zip(&expected) {
            for (x, y) in pf.iter().zip(pe) {
                assert!((x - detente_game::Scalar::to_f64(y)).abs() < 1e-9);
            }
        }
    }
}

#[test]
fn all_accessible_are_extreme_equilibria() {
    let Some(doc) = load() else { return };
    let gj = &doc["games"]["10"];
    let g = bimatrix_from_json(&gj["A"], &gj["B"]);
    let extreme: Vec<Vec<Vec<Rational>>> = doc["reference_solutions"]["by_size"]["10"]
        ["all_extreme_equilibria_exact"]
        .as_array()
        .expect("list")
        .iter()
        .map(profile_of)
        .collect();
    let eqs = lcp::<Rational>(&g, &LcpOptions::default()).expect("lcp");
    assert!(!eqs.is_empty());
    for e in &eqs {
        assert!(max_regret(&g, &e.profile).is_zero());
        assert!(
            extreme.contains(&e.profile),
            "{:?} is not extreme",
            e.profile
        );
    }
}

#[test]
fn zero_sum_values_match_gambit() {
    let Some(doc) = load() else { return };
    for size in ["10", "20", "40"] {
        let gj = &doc["games"][size];
        let g = zero_sum(&bimatrix_from_json(&gj["A"], &gj["B"]));
        let reference = &doc["reference_solutions"]["by_size"][size]["zero_sum_A_vs_minus_A"];
        let value = rat(reference["value_exact"].as_str().expect("value"));
        let r = lp::<Rational>(&g).expect("lp");
        assert_eq!(r.value, value, "size {size}");
        assert!(verify_equilibrium(&g, &r.equilibrium, 0.0).is_ok());
        // Gambit's optimal pair is also optimal here (same value, zero
        // regret); it need not be the same extreme point.
        let theirs = profile_of(&reference["profile_exact"]);
        assert!(max_regret(&g, &theirs).is_zero());
        // Lemke-Howson on the zero-sum game gives the same value.
        let lh = detente_solve::lcp::lemke_howson::<Rational>(&g, 0).expect("lh");
        assert_eq!(lh.payoffs[0], value);
    }
}
