//! ipa's fallbacks, on games that reach them:
//! - the lexicographic rule (in floating point when its answer checks,
//!   else exact, `polymatrix_exact`) where Gametracer's pivoting cycles on
//!   a degenerate polymatrix approximation (small games with payoffs 0 or
//!   1: ties everywhere; the exact path itself is tested in `ipa.rs`);
//! - the restarts from seeded random rays and the Lyapunov polish where the
//!   Gambit-like run does not converge in 5000 rounds (Gambit's `ipa`
//!   would loop for ever there);
//! - the budget (`--max-steps`, `--max-time`) bounding all of it.
//!
//! Every call must end with a verified equilibrium or an honest note, and
//! within its budget. The games are seeded random games (SplitMix64,
//! payoffs uniform in 0..R) found by a search over 150 games for each of
//! the shapes 2×2×2, 3×3×3, 2×2×2×2, 3×3×3×3, 2⁵, 4×4×4, 3⁵ and R = 2, 3,
//! 100 (2026-11-27): the lexicographic fallback ran in 59 of the 3150
//! games (55 of them with R = 2 or 3; the floating-point rule's answer
//! always checked, so the exact rule was not needed), the Gambit-like run
//! did not converge in 95,
//! and 13 (all R = 100: 2×2×2×2, 3×3×3×3 and 2⁵) ended with the note that
//! nothing verified; no call returned an error or overran its budget. The
//! games below are written out (not regenerated) so that they stay the
//! same.

use detente_game::{NormalFormGame, Rational};
use detente_solve::budget::Budget;
use detente_solve::ipa::{ipa, ipa_traced, IpaOptions};
use detente_solve::nplayer_util::{independent_max_regret, NplayerResult};
use std::time::{Duration, Instant};

fn game(shape: &[usize], tables: &[&[i64]]) -> NormalFormGame {
    let t: Vec<Vec<Rational>> = tables
        .iter()
        .map(|row| {
            row.iter()
                .map(|&v| Rational::from_integer(v.into()))
                .collect()
        })
        .collect();
    NormalFormGame::from_tables(shape, &t).unwrap_or_else(|e| panic!("bad test game: {e}"))
}

/// Every returned equilibrium is one (checked independently, relative to
/// the payoff range `range`).
fn assert_verified(g: &NormalFormGame, res: &NplayerResult, range: f64) {
    for e in &res.equilibria {
        let r = independent_max_regret(g, &e.profile);
        assert!(r <= 1e-9 * range, "regret {r}: {:?}", e.profile);
    }
}

/// 2×2×2, payoffs 0/1 (seed 25): one approximation on the way is a
/// degenerate polymatrix game on which Gametracer's pivoting cycles.
fn degenerate_2x2x2() -> NormalFormGame {
    game(
        &[2, 2, 2],
        &[
            &[0, 1, 0, 1, 0, 1, 1, 1],
            &[0, 0, 1, 1, 0, 1, 0, 1],
            &[1, 0, 0, 0, 0, 0, 1, 1],
        ],
    )
}

/// 3×3×3, payoffs 0/1 (seed 27): likewise.
fn degenerate_3x3x3() -> NormalFormGame {
    game(
        &[3, 3, 3],
        &[
            &[
                0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1,
            ],
            &[
                1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0,
            ],
            &[
                0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0,
            ],
        ],
    )
}

/// 4×4×4, payoffs 0..2 (seed 24): the Gambit-like run does not converge
/// in 5000 rounds.
fn nonconvergent_4x4x4() -> NormalFormGame {
    game(
        &[4, 4, 4],
        &[
            &[
                0, 0, 1, 1, 2, 0, 2, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 2, 1, 2, 0, 2, 1, 0, 2, 2, 2,
                2, 2, 1, 1, 1, 2, 2, 1, 2, 1, 0, 0, 0, 2, 2, 0, 0, 1, 2, 2, 2, 2, 1, 1, 2, 2, 0, 0,
                2, 2, 2, 1, 1, 2, 2, 2,
            ],
            &[
                0, 1, 2, 1, 0, 0, 0, 2, 1, 2, 1, 1, 2, 0, 1, 0, 0, 0, 0, 2, 0, 2, 2, 1, 1, 0, 1, 1,
                2, 1, 1, 1, 1, 0, 2, 2, 1, 2, 0, 2, 0, 2, 1, 2, 2, 0, 0, 2, 2, 0, 1, 2, 2, 2, 2, 2,
                0, 0, 1, 2, 2, 2, 1, 0,
            ],
            &[
                2, 2, 0, 0, 0, 2, 1, 0, 0, 1, 1, 0, 1, 1, 1, 2, 0, 1, 0, 0, 1, 2, 0, 1, 0, 0, 2, 0,
                2, 0, 2, 1, 0, 0, 2, 0, 0, 2, 1, 0, 0, 0, 1, 1, 0, 2, 1, 1, 0, 1, 1, 2, 1, 0, 0, 2,
                0, 0, 2, 2, 2, 2, 0, 1,
            ],
        ],
    )
}

/// 2×2×2×2, payoffs 0..99 (seed 17): neither the Gambit-like run nor the
/// restarts converge, and the best iterate is far from an equilibrium.
fn hard_2x2x2x2() -> NormalFormGame {
    game(
        &[2, 2, 2, 2],
        &[
            &[
                64, 58, 57, 43, 51, 1, 17, 56, 74, 41, 99, 43, 86, 65, 44, 69,
            ],
            &[16, 77, 64, 11, 27, 30, 67, 99, 34, 6, 2, 90, 10, 94, 66, 25],
            &[29, 47, 47, 4, 53, 51, 9, 55, 19, 85, 57, 2, 56, 87, 79, 31],
            &[14, 44, 39, 91, 84, 28, 76, 1, 62, 3, 23, 51, 52, 45, 75, 57],
        ],
    )
}

/// 2×2×2×2×2, payoffs 0..99 (seed 4): no run converges; the local polish
/// of the best iterate finds an equilibrium.
fn polished_2x2x2x2x2() -> NormalFormGame {
    game(
        &[2, 2, 2, 2, 2],
        &[
            &[
                41, 23, 81, 46, 91, 65, 74, 86, 83, 62, 2, 98, 81, 41, 9, 83, 19, 19, 75, 86, 35,
                17, 81, 30, 72, 86, 34, 16, 68, 65, 59, 81,
            ],
            &[
                27, 81, 7, 58, 69, 60, 55, 57, 91, 74, 27, 65, 91, 90, 60, 86, 17, 39, 36, 61, 4,
                47, 25, 63, 57, 68, 94, 84, 14, 19, 8, 11,
            ],
            &[
                8, 38, 45, 50, 5, 25, 84, 16, 96, 31, 65, 80, 63, 60, 62, 78, 93, 53, 40, 29, 3,
                54, 22, 39, 91, 46, 25, 94, 6, 34, 66, 5,
            ],
            &[
                3, 30, 15, 2, 27, 42, 70, 52, 23, 40, 70, 13, 55, 70, 52, 17, 32, 42, 79, 2, 71,
                62, 40, 30, 5, 52, 27, 50, 76, 35, 5, 89,
            ],
            &[
                51, 2, 85, 19, 99, 69, 2, 96, 3, 36, 94, 85, 69, 82, 19, 74, 8, 61, 78, 54, 75, 79,
                6, 72, 69, 63, 89, 61, 76, 61, 62, 43,
            ],
        ],
    )
}

fn no_time_limit() -> IpaOptions {
    IpaOptions {
        budget: Budget::new(1_000_000, None),
        ..IpaOptions::default()
    }
}

fn note_with<'a>(res: &'a NplayerResult, what: &str) -> Option<&'a String> {
    res.notes.iter().find(|n| n.contains(what))
}

/// Where Gametracer's pivoting cycles, the lexicographic rule solves the
/// approximation, the run converges as usual, and a note says so.
#[test]
fn lexicographic_pivoting_where_gametracers_cycles() {
    for g in [degenerate_2x2x2(), degenerate_3x3x3()] {
        let (res, tr) = ipa_traced(&g, &no_time_limit()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        assert!(res.complete, "{:?}", res.notes);
        assert_verified(&g, &res, 1.0);
        let note = note_with(&res, "Gametracer's pivoting did not finish on");
        assert!(
            note.is_some_and(
                |n| n.contains("by the lexicographic rule") && !n.contains("could not be solved")
            ),
            "{:?}",
            res.notes
        );
        // The Gambit-like run itself converged (no restart).
        assert!(tr.rounds < 5000, "{} rounds", tr.rounds);
        assert!(tr.converged.is_some());
        assert!(note_with(&res, "random perturbation ray").is_none());
    }
}

/// The Gambit-like run does not converge: a seeded restart does, within
/// the rounds allowed (5000 + 8 restarts of 1000).
#[test]
fn restart_after_nonconvergent_run() {
    let g = nonconvergent_4x4x4();
    let (res, tr) = ipa_traced(&g, &no_time_limit()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
    assert_verified(&g, &res, 2.0);
    assert!(
        note_with(&res, "did not converge after 5000 rounds").is_some(),
        "{:?}",
        res.notes
    );
    assert!(
        note_with(&res, "random perturbation ray").is_some(),
        "{:?}",
        res.notes
    );
    assert!(
        tr.rounds > 5000 && tr.rounds <= 5000 + 8 * 1000,
        "{}",
        tr.rounds
    );
    // Seeded: the same call gives the same answer.
    let again = ipa(&g, &no_time_limit()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.equilibria[0].profile, res.equilibria[0].profile);
}

/// No run converges and the best iterate is far from an equilibrium: the
/// answer is "none verified", said plainly, after exactly the rounds
/// allowed; or, should a later change find one, a verified equilibrium.
#[test]
fn honest_note_when_nothing_verifies() {
    let g = hard_2x2x2x2();
    let (res, tr) = ipa_traced(&g, &no_time_limit()).unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, 99.0);
    assert!(tr.rounds <= 5000 + 8 * 1000, "{}", tr.rounds);
    if res.equilibria.is_empty() {
        assert!(!res.complete);
        assert!(!res.budget_exhausted);
        let note = note_with(&res, "no verified equilibrium after");
        assert!(note.is_some(), "{:?}", res.notes);
        assert!(
            note.is_some_and(|n| n.contains("best max regret")),
            "{note:?}"
        );
    }
}

/// No run converges; the Lyapunov polish of the best iterate finds an
/// equilibrium, verified, with a note naming the route.
#[test]
fn polish_after_nonconvergent_runs() {
    let g = polished_2x2x2x2x2();
    let res = ipa(&g, &no_time_limit()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
    assert_verified(&g, &res, 99.0);
    assert!(
        note_with(&res, "local polish").is_some()
            || note_with(&res, "is an equilibrium and was verified").is_some(),
        "{:?}",
        res.notes
    );
}

/// `--max-steps` (one step per round) and `--max-time` stop the
/// non-converging runs, restarts and polish included, and say so.
#[test]
fn budget_bounds_the_fallbacks() {
    let g = hard_2x2x2x2();
    let steps = IpaOptions {
        budget: Budget::new(700, None),
        ..IpaOptions::default()
    };
    let (res, tr) = ipa_traced(&g, &steps).unwrap_or_else(|e| panic!("{e}"));
    assert!(tr.rounds <= 700, "{} rounds", tr.rounds);
    assert!(res.budget_exhausted);
    assert!(res.equilibria.is_empty() && !res.complete);
    assert!(
        note_with(&res, "budget exhausted after").is_some(),
        "{:?}",
        res.notes
    );
    let time = IpaOptions {
        budget: Budget::new(u64::MAX, Some(Duration::from_millis(5))),
        ..IpaOptions::default()
    };
    let t0 = Instant::now();
    let res = ipa(&g, &time).unwrap_or_else(|e| panic!("{e}"));
    let took = t0.elapsed();
    // The budget meter reads the clock about once a millisecond of rounds
    // (and the fallback pivoting checks its own deadline); a round of this
    // game takes microseconds (generous bound for loaded machines and
    // debug builds).
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_verified(&g, &res, 99.0);
    assert!(res.budget_exhausted, "{:?}", res.notes);
    assert!(
        note_with(&res, "budget exhausted after").is_some(),
        "{:?}",
        res.notes
    );
}

/// The fallback pivoting (floating-point and exact) is bounded by the
/// pivot limit per approximation (`steps_per_round`): reaching it is
/// reported, never taken for an answer.
#[test]
fn fallback_pivot_limit_is_reported() {
    let g = degenerate_3x3x3();
    let opts = IpaOptions {
        steps_per_round: 1,
        ..no_time_limit()
    };
    let res = ipa(&g, &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_verified(&g, &res, 1.0);
    assert!(
        note_with(
            &res,
            "by exact pivoting (complementary pivoting stopped after 1 pivots)"
        )
        .is_some(),
        "{:?}",
        res.notes
    );
    // The summary counts the failures.
    let summary = note_with(&res, "Gametracer's pivoting did not finish on");
    assert!(
        summary.is_some_and(|n| n.contains("could not be solved within the same pivot limit")),
        "{summary:?}"
    );
}
