//! The n-player methods on known games read from files, on von Stengel's
//! 6×6 game with 75 equilibria, and on random games (property tests).

mod common;

use detente_game::{NormalFormGame, Rational, Scalar};
use detente_solve::budget::Budget;
use detente_solve::enumpoly::{enumpoly, EnumpolyOptions};
use detente_solve::gnm::{gnm, GnmOptions};
use detente_solve::ipa::{ipa, IpaOptions};
use detente_solve::liap::{liap, LiapOptions};
use detente_solve::logit::{logit, LogitOptions};
use detente_solve::nplayer_util::NplayerResult;
use detente_solve::simpdiv::{simpdiv, SimpdivOptions};
use proptest::prelude::*;
use std::time::Duration;

fn range(game: &NormalFormGame) -> f64 {
    let (lo, hi) = game.payoff_range();
    (hi.to_f64() - lo.to_f64()).max(f64::MIN_POSITIVE)
}

fn assert_verified(game: &NormalFormGame, res: &NplayerResult, what: &str) {
    for e in res.equilibria.iter().chain(&res.nonisolated) {
        let r = detente_solve::verify::max_regret::<f64>(game, &e.profile);
        assert!(
            r <= 1e-9 * range(game),
            "{what}: regret {r:e} on {:?}",
            e.profile
        );
        for p in &e.profile {
            assert!(p.iter().all(|v| v.is_finite() && *v >= 0.0));
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }
    assert_eq!(res.equilibria.len(), res.max_regret.len());
}

fn budget(secs: u64) -> Budget {
    Budget::new(u64::MAX, Some(Duration::from_secs(secs)))
}

#[test]
fn mckelvey_mclennan_all_methods() {
    let Some(g) = common::shared_normal_form("contrib/2x2x2.nfg") else {
        return;
    };
    let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, "enumpoly");
    assert_eq!(res.equilibria.len(), 9);
    assert!(res.complete);
    // Gambit 16.7's logit stalls at the bifurcation and returns a
    // profile with regret 0.21; ours passes it and verifies the limit.
    let res = logit(&g, &LogitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, "logit");
    assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
    // Gambit's gnm runs for minutes here; ours must stop with answers.
    let res = gnm(
        &g,
        &GnmOptions {
            budget: budget(20),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, "gnm");
    assert!(!res.equilibria.is_empty(), "{:?}", res.notes);
    let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, "simpdiv");
    assert_eq!(res.equilibria.len(), 1);
    let res = ipa(&g, &IpaOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, "ipa");
    let res = liap(
        &g,
        &LiapOptions {
            random_starts: 100,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, "liap");
    assert!(res.equilibria.len() >= 5, "{}", res.equilibria.len());
}

#[test]
fn von_stengel_75_equilibria_terminate() {
    let Some(g) =
        common::shared_normal_form("catalog/journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg")
    else {
        return;
    };
    let start = std::time::Instant::now();
    let res = enumpoly(
        &g,
        &EnumpolyOptions {
            budget: budget(60),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, "enumpoly");
    assert!(res.complete, "{:?}", res.notes);
    assert_eq!(res.equilibria.len(), 75);
    eprintln!("enumpoly on the 6x6 game: {:?}", start.elapsed());
}

fn game_from(shape: &[usize], values: &[i64]) -> NormalFormGame {
    let cells: usize = shape.iter().product();
    let tables: Vec<Vec<Rational>> = (0..shape.len())
        .map(|p| {
            (0..cells)
                .map(|c| Rational::from_integer(values[(p * cells + c) % values.len()].into()))
                .collect()
        })
        .collect();
    NormalFormGame::from_tables(shape, &tables).unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every method returns only verified equilibria, on generic and
    /// degenerate (few distinct payoffs) games; enumpoly contains every
    /// pure equilibrium that enumpure finds.
    #[test]
    fn methods_return_only_equilibria(
        shape in prop::collection::vec(1usize..4, 1..4),
        values in prop::collection::vec(-3i64..4, 1..60),
    ) {
        let g = game_from(&shape, &values);
        let b = || budget(5);
        let res = simpdiv(&g, &SimpdivOptions { budget: b(), ..Default::default() }).unwrap_or_default();
        assert_verified(&g, &res, "simpdiv");
        // Simplicial subdivision always ends near an equilibrium, which
        // the Newton step then makes exact: it must answer.
        prop_assert!(!res.equilibria.is_empty(), "simpdiv found nothing: {:?}", res.notes);
        let res = logit(&g, &LogitOptions { budget: b(), ..Default::default() }).unwrap_or_default();
        assert_verified(&g, &res, "logit");
        let res = gnm(&g, &GnmOptions { budget: b(), ..Default::default() }).unwrap_or_default();
        assert_verified(&g, &res, "gnm");
        let res = ipa(&g, &IpaOptions { budget: b(), ..Default::default() }).unwrap_or_default();
        assert_verified(&g, &res, "ipa");
        let res = liap(&g, &LiapOptions { budget: b(), random_starts: 5, ..Default::default() }).unwrap_or_default();
        assert_verified(&g, &res, "liap");
        let res = enumpoly(&g, &EnumpolyOptions { budget: b(), ..Default::default() }).unwrap_or_default();
        assert_verified(&g, &res, "enumpoly");
        if !res.budget_exhausted {
            let found: Vec<&Vec<Vec<f64>>> =
                res.equilibria.iter().chain(&res.nonisolated).map(|e| &e.profile).collect();
            for pure in detente_solve::pure_equilibria(&g) {
                let hit = found.iter().any(|p| {
                    p.iter().zip(&pure).all(|(probs, &s)| (probs[s] - 1.0).abs() < 1e-9)
                });
                // Singleton supports have a regular system: every pure
                // equilibrium is found, ties or not.
                prop_assert!(hit, "pure equilibrium {:?} missing", pure);
            }
        }
    }
}
