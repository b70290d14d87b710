//! logit on trees whose reduced strategic forms have continua of
//! equilibria (issue #3): Detente's answer against pygambit's.
//!
//! On a continuum the end of the principal branch depends on where
//! tracing stops, so Detente follows the branch there as Gambit does
//! (Gambit's step control, stopped at max regret < 1e-8 × payoff range)
//! before polishing; before this, the early Newton polish landed
//! 8e-4 to 2.5e-3 away from pygambit's point.
//!
//! The constants are pygambit 16.7.0's answers, recorded 2026-11-28 with
//! full digits (`repr` of each probability): `g = gbt.read_efg(path)`,
//! `gbt.nash.logit_solve(g, use_strategic=True)` (maxregret 1e-8,
//! first_step 0.03, max_accel 1.1), profile in the reduced strategic
//! form's strategy order (the labels are checked to be Detente's order).
//! Two games need a word:
//! - `contrib/e08.efg`: along this branch the profile still moves like
//!   9/λ at Gambit's stopping point (λ ≈ 4e4), and Gambit's step sizes
//!   react to round-off, so pygambit itself stops at different points by
//!   route: `logit_solve(g, use_strategic=True)` on the tree and
//!   `logit_solve` on the same strategic form as a table (`g.to_nfg()`)
//!   end 1.2e-5 apart. Detente's answer is within 1e-6 of the table
//!   route's (recorded too) and within 2e-5 of the tree route's.
//! - `jakobsen2016/fig3.efg`: the equilibrium is strict (isolated); the
//!   branch's limit is the pure profile, which Detente reports. pygambit
//!   stops short of it (regret 9.2e-9 × range, 7.4e-6 on the inferior
//!   strategy by the tree route, 1.1e-6 by the table route), and a point
//!   that far from the limit would fail Detente's own 1e-9 check.

mod common;

use detente_solve::logit::{logit, LogitOptions};

fn distance(a: &[Vec<f64>], b: &[&[f64]]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .flat_map(|(p, q)| {
            assert_eq!(p.len(), q.len());
            p.iter().zip(q.iter()).map(|(x, y)| (x - y).abs())
        })
        .fold(0.0, f64::max)
}

/// Detente's logit answer on `rel`, after checking the strategy labels.
fn answer(rel: &str, labels: &[&[&str]]) -> Option<Vec<Vec<f64>>> {
    let g = common::shared_normal_form(rel)?;
    let ours = g.strategies().to_vec();
    let want: Vec<Vec<String>> = labels
        .iter()
        .map(|p| p.iter().map(|s| s.to_string()).collect())
        .collect();
    assert_eq!(ours, want, "{rel}: strategy order");
    let res = logit(&g, &LogitOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(res.equilibria.len(), 1, "{rel}: {:?}", res.notes);
    Some(res.equilibria[0].profile.clone())
}

/// A game file, its strategy labels and pygambit's profile.
type Case = (
    &'static str,
    &'static [&'static [&'static str]],
    &'static [&'static [f64]],
);

#[test]
fn perfect_information_trees_reach_gambits_point() {
    let cases: [Case; 3] = [
        (
            "tests/3_player_PI_2_dev_off_eq_path.efg",
            &[
                &["1", "2"],
                &["11", "12", "13", "14", "2*"],
                &["1", "2", "3", "4", "5"],
            ],
            &[
                &[1.75680455445672e-09, 0.9999999982431954],
                &[
                    0.19999999970486076,
                    0.19999999822916179,
                    0.19999999822916179,
                    0.19999999822916179,
                    0.20000000560765657,
                ],
                &[
                    0.20000000472223697,
                    0.19999999881944122,
                    0.19999999881944122,
                    0.19999999881944122,
                    0.19999999881944122,
                ],
            ],
        ),
        (
            "tests/3_player_PI_2_dev_off_eq_path_strict_dom_for_p1.efg",
            &[
                &["1", "2"],
                &["11", "12", "13", "14", "2*"],
                &["1", "2", "3", "4", "5"],
            ],
            &[
                &[7.3979048659806105e-09, 0.9999999926020959],
                &[
                    0.19999999889197204,
                    0.1999999933518082,
                    0.1999999933518082,
                    0.1999999933518082,
                    0.2000000210526263,
                ],
                &[
                    0.20000001772852616,
                    0.19999999556787237,
                    0.19999999556787237,
                    0.19999999556787237,
                    0.19999999556787237,
                ],
            ],
        ),
        (
            "tests/3_player_perfect_info_1_move_each.efg",
            &[&["1", "2"], &["1", "2"], &["1", "2", "3", "4", "5"]],
            &[
                &[3.4428986178580996e-09, 0.9999999965571016],
                &[0.4999999850907602, 0.5000000149092492],
                &[
                    0.20000000596369819,
                    0.19999999850907602,
                    0.19999999850907602,
                    0.19999999850907602,
                    0.19999999850907602,
                ],
            ],
        ),
    ];
    for (rel, labels, gambit) in cases {
        let Some(p) = answer(rel, labels) else {
            return;
        };
        let d = distance(&p, gambit);
        assert!(d <= 1e-6, "{rel}: {d:e} from pygambit's point: {p:?}");
    }
}

#[test]
fn plurality_voting_e08_reaches_gambits_point() {
    let rel = "contrib/e08.efg";
    let labels: &[&[&str]] = &[&["1", "2", "3"], &["1", "2", "3"], &["1", "2", "3"]];
    let Some(p) = answer(rel, labels) else {
        return;
    };
    // logit_solve(g, use_strategic=True) on the tree.
    let tree: &[&[f64]] = &[
        &[0.3331015897672135, 0.3333332796148148, 0.33356513061797666],
        &[0.0, 1.0, 0.0],
        &[
            8.681837447411548e-09,
            0.9999999826363193,
            8.681837447411548e-09,
        ],
    ];
    // logit_solve(h) on h = read_nfg of g.to_nfg(): the same strategic
    // form as a table.
    let table: &[&[f64]] = &[
        &[0.3330896775680498, 0.33333327394886175, 0.3335770484830939],
        &[0.0, 1.0, 0.0],
        &[
            9.652543085178792e-09,
            0.9999999806949074,
            9.652543085178792e-09,
        ],
    ];
    let (dt, dn) = (distance(&p, tree), distance(&p, table));
    assert!(dn <= 1e-6, "{rel}: {dn:e} from the table route: {p:?}");
    assert!(dt <= 2e-5, "{rel}: {dt:e} from the tree route: {p:?}");
}

#[test]
fn jakobsen_fig3_ends_at_the_strict_limit() {
    let rel = "catalog/conf/itcs/jakobsen2016/fig3.efg";
    let labels: &[&[&str]] = &[&["1", "2"], &["1", "2"], &["1", "2"], &["1", "2"]];
    let Some(p) = answer(rel, labels) else {
        return;
    };
    let tree: &[&[f64]] = &[
        &[7.39090832891665e-06, 0.9999926090929799],
        &[7.3909083289166374e-06, 0.9999926090929798],
        &[7.3909083289166374e-06, 0.9999926090929799],
        &[7.39090832891665e-06, 0.9999926090929799],
    ];
    let limit: &[&[f64]] = &[&[0.0, 1.0], &[0.0, 1.0], &[0.0, 1.0], &[0.0, 1.0]];
    let (dt, dl) = (distance(&p, tree), distance(&p, limit));
    assert!(dl <= 1e-9, "{rel}: {dl:e} from the pure limit: {p:?}");
    assert!(dt <= 1e-5, "{rel}: {dt:e} from pygambit's point: {p:?}");
}
