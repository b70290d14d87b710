//! Detente's exact solvers against Gambit 16.7.0 (`shared/games/gambit/
//! reference.json`) on every example game where Gambit's method finished.
//!
//! * `enumpure`: the same set of pure equilibria (trees: on the reduced
//!   strategic form, in pygambit's strategy order);
//! * `lcp` (for `.nfg`; `lcp_strategic` for `.efg`): the same set of distinct
//!   Lemke–Howson-accessible equilibria;
//! * `lp`: the same value; the profile is compared exactly for `.nfg` where
//!   Gambit's is the same extreme point, otherwise checked to be optimal.
//!   On trees Gambit's `lp` is a sequence-form method returning a behaviour
//!   profile, so only the value (player 1's payoff) is compared.
//!
//! Every profile either side returns is checked for exactly zero regret.

mod common;

use common::{profile_of, rat, shared_dir};
use detente_game::{read_game_file, NormalFormGame, Rational};
use detente_solve::enumpure::enumpure;
use detente_solve::lcp::{lcp, LcpOptions};
use detente_solve::lp::lp;
use detente_solve::verify::max_regret;
use num_traits::Zero;
use std::collections::BTreeSet;

type Profile = Vec<Vec<Rational>>;

fn key(p: &Profile) -> String {
    p.iter()
        .map(|v| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn set_of(ps: &[Profile]) -> BTreeSet<String> {
    ps.iter().map(key).collect()
}

/// Games where Detente's lcp set differs from Gambit's, with the reason
/// (every profile on both sides was checked to have zero regret).
/// Empty: on every game where Gambit's `lcp` finished, the sets agree.
const LCP_DIFFERENCES: &[(&str, &str)] = &[];

/// Games where Gambit's `lp` value is wrong, with the reason. There the
/// value is compared with Gambit's `lcp_strategic` payoff instead.
const LP_DIFFERENCES: &[(&str, &str)] = &[
    (
        "contrib/e10a.efg",
        "Gambit 16.7.0's sequence-form lp returns a behaviour profile whose first \
         information set has probabilities (0, 0) (not a distribution) and payoffs \
         (0, 0); all terminal payoffs are +1/-1 and Gambit's own enumpure, \
         enummixed and lcp give the value -1, as Detente's lp does",
    ),
    (
        "contrib/nim.efg",
        "same Gambit lp bug as e10a (Nim with 5 stones, another labelling): \
         probabilities (0, 0) at the root, payoffs (0, 0); true value -1",
    ),
    (
        "contrib/nim7.efg",
        "Gambit's sequence-form lp reports payoffs (0, 0) in a game whose terminal \
         payoffs are all +1/-1; Gambit's enumpure and lcp give -1, as Detente does",
    ),
];

struct Loaded {
    name: String,
    entry: serde_json::Value,
    game: NormalFormGame,
}

fn load_all() -> Option<Vec<Loaded>> {
    let dir = shared_dir()?;
    let base = dir.join("games/gambit");
    let text = std::fs::read_to_string(base.join("reference.json")).expect("reference.json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid json");
    let games = doc["games"].as_object().expect("games");
    let mut out = Vec::new();
    for (name, entry) in games {
        let methods = &entry["methods"];
        let any_ok = ["enumpure", "lcp", "lcp_strategic", "lp"]
            .iter()
            .any(|m| methods[*m]["status"] == "ok");
        if !any_ok {
            continue;
        }
        let path = base.join(name);
        let g = read_game_file(&path.to_string_lossy())
            .unwrap_or_else(|e| panic!("{name}: Detente cannot read it: {e}"));
        let nf = match g.to_normal_form() {
            Ok(nf) => nf.into_owned(),
            Err(e) => panic!("{name}: no strategic form: {e}"),
        };
        let shape: Vec<usize> = entry["shape"]
            .as_array()
            .expect("shape")
            .iter()
            .map(|v| v.as_u64().expect("int") as usize)
            .collect();
        assert_eq!(nf.shape(), shape, "{name}: strategic form shape");
        out.push(Loaded {
            name: name.clone(),
            entry: entry.clone(),
            game: nf,
        });
    }
    Some(out)
}

fn reference_profiles(method: &serde_json::Value) -> Vec<Profile> {
    method["equilibria"]
        .as_array()
        .expect("equilibria")
        .iter()
        .map(|e| profile_of(&e["profile"]))
        .collect()
}

#[test]
fn enumpure_matches_gambit() {
    let Some(games) = load_all() else { return };
    let mut checked = 0;
    for l in &games {
        let m = &l.entry["methods"]["enumpure"];
        if m["status"] != "ok" {
            continue;
        }
        let theirs = reference_profiles(m);
        let ours: Vec<Profile> = enumpure::<Rational>(&l.game)
            .into_iter()
            .map(|e| e.profile)
            .collect();
        for p in &ours {
            assert!(
                max_regret(&l.game, p).is_zero(),
                "{}: not an equilibrium",
                l.name
            );
        }
        assert_eq!(
            set_of(&ours),
            set_of(&theirs),
            "{}: enumpure sets differ",
            l.name
        );
        checked += 1;
    }
    assert!(checked >= 150, "only {checked} games checked");
}

#[test]
fn lcp_matches_gambit() {
    let Some(games) = load_all() else { return };
    let mut checked = 0;
    let mut differences = Vec::new();
    for l in &games {
        let method = if l.name.ends_with(".nfg") {
            "lcp"
        } else {
            "lcp_strategic"
        };
        let m = &l.entry["methods"][method];
        if m["status"] != "ok" || m["representation"] != "strategy" {
            continue;
        }
        let theirs = reference_profiles(m);
        let ours: Vec<Profile> = lcp::<Rational>(&l.game, &LcpOptions::default())
            .unwrap_or_else(|e| panic!("{}: lcp failed: {e}", l.name))
            .into_iter()
            .map(|e| e.profile)
            .collect();
        for p in ours.iter().chain(&theirs) {
            assert!(max_regret(&l.game, p).is_zero(), "{}: regret", l.name);
        }
        let (a, b) = (set_of(&ours), set_of(&theirs));
        if a != b {
            differences.push(format!(
                "{}: ours {} / Gambit {} (only ours: {:?}; only Gambit: {:?})",
                l.name,
                a.len(),
                b.len(),
                a.difference(&b).collect::<Vec<_>>(),
                b.difference(&a).collect::<Vec<_>>()
            ));
        }
        checked += 1;
    }
    let unexplained: Vec<&String> = differences
        .iter()
        .filter(|d| {
            !LCP_DIFFERENCES
                .iter()
                .any(|(n, _)| d.starts_with(&format!("{n}:")))
        })
        .collect();
    assert!(unexplained.is_empty(), "lcp differences:\n{unexplained:#?}");
    assert!(checked >= 100, "only {checked} games checked");
}

#[test]
fn lp_matches_gambit() {
    let Some(games) = load_all() else { return };
    let mut checked = 0;
    for l in &games {
        let m = &l.entry["methods"]["lp"];
        if m["status"] != "ok" {
            continue;
        }
        let r = lp::<Rational>(&l.game).unwrap_or_else(|e| panic!("{}: lp failed: {e}", l.name));
        assert!(
            max_regret(&l.game, &r.equilibrium.profile).is_zero(),
            "{}",
            l.name
        );
        let eq = if LP_DIFFERENCES.iter().any(|(n, _)| *n == l.name) {
            &l.entry["methods"]["lcp_strategic"]["equilibria"][0]
        } else {
            &m["equilibria"][0]
        };
        let value = rat(eq["payoffs"][0].as_str().expect("payoff"));
        assert_eq!(r.value, value, "{}: value", l.name);
        if m["representation"] == "strategy" && !LP_DIFFERENCES.iter().any(|(n, _)| *n == l.name) {
            let theirs = profile_of(&eq["profile"]);
            assert!(max_regret(&l.game, &theirs).is_zero(), "{}", l.name);
        }
        checked += 1;
    }
    assert!(checked >= 35, "only {checked} games checked");
}
