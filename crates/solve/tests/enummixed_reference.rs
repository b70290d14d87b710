//! `enummixed` against Gambit 16.7's exact `enummixed_solve` on every game of
//! `shared/games/gambit/reference.json` where Gambit finished (`status ok`),
//! and on the seeded random 10×10 game of
//! `shared/games/bench/random_2p_seed12345.json`. Sets of equilibria are
//! compared exactly as rationals; trees are solved on their reduced strategic
//! form. Every profile Detente returns is also checked here for exactly zero
//! regret, computed independently.

mod common;

use detente_game::{parse_rational, read_game_file, NormalFormGame, Rational};
use detente_solve::{enummixed, EnumMixedOptions};
use num_traits::Zero;
use std::collections::BTreeSet;

type Profile = Vec<Vec<Rational>>;

/// Games where Detente's answer differs from Gambit's on purpose, and why.
/// Each listed game is still checked: Detente's profiles must have exactly
/// zero regret and be at least one.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[(
    "tests/large_payoff_game.efg",
    "Gambit 16.7 reports no equilibrium at all (status ok, count 0), which \
     is impossible for a finite game (Nash 1951); Detente's answer has exact \
     zero regret. Its payoffs are around 1e18 and overflow Gambit's \
     arithmetic.",
)];

fn q(v: &serde_json::Value) -> Rational {
    match v {
        serde_json::Value::String(s) => {
            parse_rational(s).unwrap_or_else(|| panic!("not a rational: {s}"))
        }
        serde_json::Value::Number(n) => {
            parse_rational(&n.to_string()).unwrap_or_else(|| panic!("not a number: {n}"))
        }
        other => panic!("expected a number, got {other}"),
    }
}

fn profile(v: &serde_json::Value) -> Profile {
    v.as_array()
        .expect("profile is a list")
        .iter()
        .map(|p| p.as_array().expect("player list").iter().map(q).collect())
        .collect()
}

/// Largest gain from a pure deviation (either player), computed from the
/// payoff table directly.
fn max_regret(g: &NormalFormGame, prof: &Profile) -> Rational {
    let shape = g.shape();
    let (m, n) = (shape[0], shape[1]);
    let mut worst = Rational::zero();
    let u = |c: usize, p: usize| g.payoff(c, p).clone();
    let row_vals: Vec<Rational> = (0..m)
        .map(|i| (0..n).map(|j| u(i + j * m, 0) * &prof[1][j]).sum())
        .collect();
    let col_vals: Vec<Rational> = (0..n)
        .map(|j| (0..m).map(|i| u(i + j * m, 1) * &prof[0][i]).sum())
        .collect();
    let u1: Rational = (0..m).map(|i| &prof[0][i] * &row_vals[i]).sum();
    let u2: Rational = (0..n).map(|j| &prof[1][j] * &col_vals[j]).sum();
    for v in &row_vals {
        let r = v - &u1;
        if r > worst {
            worst = r;
        }
    }
    for v in &col_vals {
        let r = v - &u2;
        if r > worst {
            worst = r;
        }
    }
    worst
}

fn check_profiles(name: &str, g: &NormalFormGame, got: &[Profile]) {
    for p in got {
        assert!(
            max_regret(g, p).is_zero(),
            "{name}: positive regret at {p:?}"
        );
        for s in p {
            assert!(
                s.iter().all(|v| *v >= Rational::zero()),
                "{name}: negative probability"
            );
            assert_eq!(
                s.iter().sum::<Rational>(),
                Rational::from_integer(1.into()),
                "{name}"
            );
        }
    }
}

#[test]
fn every_gambit_enummixed_result_is_reproduced() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("games/gambit/reference.json"))
        .expect("read reference.json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid json");
    let games = doc["games"].as_object().expect("games object");
    let mut checked = 0;
    let mut equilibria = 0;
    for (name, entry) in games {
        let method = &entry["methods"]["enummixed"];
        if method["status"].as_str() != Some("ok") {
            continue;
        }
        let path = dir.join("games/gambit").join(name);
        let path = path.to_str().expect("utf-8 path");
        let game = read_game_file(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let nf = game
            .to_normal_form()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // The reduced form's strategies must be Gambit's, in Gambit's order.
        let labels: Vec<Vec<String>> = nf.strategies().to_vec();
        let expected_labels: Vec<Vec<String>> = entry["strategies"]
            .as_array()
            .expect("strategies")
            .iter()
            .map(|p| {
                p.as_array()
                    .expect("labels")
                    .iter()
                    .map(|s| s.as_str().expect("label").to_string())
                    .collect()
            })
            .collect();
        assert_eq!(labels, expected_labels, "{name}: strategy labels differ");

        let res = enummixed::<Rational>(&nf, &EnumMixedOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<Profile> = res.equilibria.iter().map(|e| e.profile.clone()).collect();
        check_profiles(name, &nf, &got);
        let got_set: BTreeSet<Profile> = got.iter().cloned().collect();
        assert_eq!(got_set.len(), got.len(), "{name}: duplicate equilibria");
        let want: BTreeSet<Profile> = method["equilibria"]
            .as_array()
            .expect("equilibria")
            .iter()
            .map(|e| profile(&e["profile"]))
            .collect();
        if let Some((_, why)) = KNOWN_DIFFERENCES.iter().find(|(g, _)| g == name) {
            assert_ne!(
                got_set, want,
                "{name} is listed as differing but agrees: {why}"
            );
            assert!(!got.is_empty(), "{name}");
        } else {
            let missing: Vec<_> = want.difference(&got_set).collect();
            let extra: Vec<_> = got_set.difference(&want).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{name}: {} missing {missing:?}, {} extra {extra:?}",
                missing.len(),
                extra.len()
            );
        }
        // Every extreme equilibrium lies in a clique, and cliques hold only
        // equilibria.
        for &(r, c) in &res.pairs {
            assert!(
                res.cliques
                    .iter()
                    .any(|k| k.rows.contains(&r) && k.cols.contains(&c)),
                "{name}"
            );
        }
        for k in &res.cliques {
            for &r in &k.rows {
                for &c in &k.cols {
                    assert!(
                        res.pairs.contains(&(r, c)),
                        "{name}: clique pair not an equilibrium"
                    );
                }
            }
        }
        checked += 1;
        equilibria += got.len();
    }
    eprintln!("checked {checked} games, {equilibria} extreme equilibria");
    assert!(checked >= 140, "only {checked} games with Gambit results");
}

/// Gambit 16.7 lists some extreme equilibria of degenerate games more than
/// once (`contrib/csg2.nfg`: 9 lines, 4 distinct profiles; also `csg4`,
/// `work3`, `2_player_chance`, the GTE-survey reduction game and the STOC'94
/// game): each degenerate vertex is reported once per basis. Detente reports
/// each extreme equilibrium once; the reference comparison above is on sets.
#[test]
fn gambit_duplicates_are_reported_once() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("games/gambit/reference.json"))
        .expect("read reference.json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid json");
    let name = "contrib/csg2.nfg";
    let method = &doc["games"][name]["methods"]["enummixed"];
    let listed: Vec<Profile> = method["equilibria"]
        .as_array()
        .expect("equilibria")
        .iter()
        .map(|e| profile(&e["profile"]))
        .collect();
    let distinct: BTreeSet<Profile> = listed.iter().cloned().collect();
    assert_eq!((listed.len(), distinct.len()), (9, 4));
    let path = dir.join("games/gambit").join(name);
    let game = read_game_file(path.to_str().expect("utf-8")).expect("reads");
    let nf = game.to_normal_form().expect("normal form");
    let res = enummixed::<Rational>(&nf, &EnumMixedOptions::default()).expect("solves");
    let got: BTreeSet<Profile> = res.equilibria.iter().map(|e| e.profile.clone()).collect();
    assert_eq!(res.equilibria.len(), 4);
    assert_eq!(got, distinct);
}

#[test]
fn von_stengel_6x6_has_75_equilibria() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    for file in [
        "6x6_game_with_75_eq.nfg",
        "6x6_game_with_75_eq_small_payoffs.nfg",
    ] {
        let path = dir
            .join("games/gambit/catalog/journals/dcg/vonstengel1999")
            .join(file);
        let game = read_game_file(path.to_str().expect("utf-8")).expect("reads");
        let nf = game.to_normal_form().expect("normal form");
        let res = enummixed::<Rational>(&nf, &EnumMixedOptions::default()).expect("solves");
        assert_eq!(res.equilibria.len(), 75, "{file}");
        // Nondegenerate: every equilibrium is its own clique.
        assert_eq!(res.cliques.len(), 75, "{file}");
        let got: Vec<Profile> = res.equilibria.iter().map(|e| e.profile.clone()).collect();
        check_profiles(file, &nf, &got);
        let f = enummixed::<f64>(&nf, &EnumMixedOptions::default()).expect("solves");
        assert_eq!(f.equilibria.len(), 75);
    }
}

#[test]
fn degenerate_contrib_games() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    // (file, extreme equilibria, maximal Nash subsets)
    for (file, count) in [
        ("contrib/deg1.nfg", 6),
        ("contrib/deg2.nfg", 7),
        ("contrib/zero.nfg", 4),
        ("tests/2x2_bimatrix_all_zero_payoffs.nfg", 4),
    ] {
        let path = dir.join("games/gambit").join(file);
        let game = read_game_file(path.to_str().expect("utf-8")).expect("reads");
        let nf = game.to_normal_form().expect("normal form");
        let res = enummixed::<Rational>(&nf, &EnumMixedOptions::default()).expect("solves");
        assert_eq!(res.equilibria.len(), count, "{file}");
        let got: Vec<Profile> = res.equilibria.iter().map(|e| e.profile.clone()).collect();
        check_profiles(file, &nf, &got);
        if file.ends_with("zero.nfg") || file.contains("all_zero") {
            // All payoffs equal: the whole strategy space is one Nash subset.
            assert_eq!(res.cliques.len(), 1, "{file}");
        }
    }
}

#[test]
fn random_10x10_matches_gambit() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("games/bench/random_2p_seed12345.json"))
        .expect("read bench json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid json");
    let g = &doc["games"]["10"];
    let rows = |k: &str| -> Vec<Vec<Rational>> {
        g[k].as_array()
            .expect("matrix")
            .iter()
            .map(|r| r.as_array().expect("row").iter().map(q).collect())
            .collect()
    };
    let (a, b) = (rows("A"), rows("B"));
    let (m, n) = (a.len(), a[0].len());
    let mut ta = Vec::new();
    let mut tb = Vec::new();
    for j in 0..n {
        for i in 0..m {
            ta.push(a[i][j].clone());
            tb.push(b[i][j].clone());
        }
    }
    let nf = NormalFormGame::from_tables(&[m, n], &[ta, tb]).expect("game");
    let res = enummixed::<Rational>(&nf, &EnumMixedOptions::default()).expect("solves");
    let got: Vec<Profile> = res.equilibria.iter().map(|e| e.profile.clone()).collect();
    check_profiles("random 10x10", &nf, &got);
    let want: BTreeSet<Profile> = doc["reference_solutions"]["by_size"]["10"]
        ["all_extreme_equilibria_exact"]
        .as_array()
        .expect("list")
        .iter()
        .map(profile)
        .collect();
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
}
