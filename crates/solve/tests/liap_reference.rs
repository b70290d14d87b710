//! `liap` against Gambit's own `liap_solve` (pygambit 16.7.0), from
//! Gambit's default start, the centroid: `tests/data/liap_gambit.json`
//! holds Gambit's point after 5 iterations and its end point (1,000
//! iterations) on every game with three or more players of
//! `../shared/games/gambit` that has a strategic form, and on the six
//! random games of `bench/nplayer/games`.
//!
//! - The minimiser is Gambit's: after 5 iterations Detente's point equals
//!   Gambit's within 1e-9 on every game.
//! - Where Gambit's end point is an equilibrium by its own test (max regret
//!   below 1e-4 of the payoff range), Detente's answer from the centroid is
//!   Gambit's equilibrium (both polished by Newton's method on the support,
//!   then within 1e-6), except the games of `CONTINUA`, where both lie in
//!   one convex set of equilibria.
//! - The same on trees in behaviour strategies against Gambit's
//!   `liap_agent_solve` (`tests/data/liap_agent_gambit.json`, every
//!   n-player tree of the catalog): Detente's `agent_liap` minimises
//!   Gambit's function of conditional action values.

mod common;

use detente_game::{read_game_file, NormalFormGame};
use detente_solve::liap::{liap, liap_end_point, LiapOptions};
use detente_solve::nplayer_util::{refine_on_support, PayoffTensor};
use detente_solve::verify::max_regret;
use serde_json::Value;
use std::path::PathBuf;

/// Games where the two runs stop at different points of a continuum of
/// equilibria: the paths agree to 1e-13 for the first dozens of
/// iterations, then rounding differences (Gambit computes a tree's
/// strategy payoffs on the tree, Detente on its strategic form) grow
/// along a flat valley of `L` (1e-6 apart after 50 iterations) and the
/// runs end 4e-4 and 1e-4 apart, both within the same convex set.
const CONTINUA: &[&str] = &[
    "catalog/journals/ijgt/selten1975/fig1.efg",
    "contrib/e06.efg",
];

struct Case {
    name: String,
    game: NormalFormGame,
    gambit: Value,
}

fn cases() -> Vec<Case> {
    let data: Value = serde_json::from_str(include_str!("data/liap_gambit.json"))
        .unwrap_or_else(|e| panic!("liap_gambit.json: {e}"));
    let shared = common::shared_dir();
    let mut out = Vec::new();
    let Some(games) = data["games"].as_object() else {
        panic!("liap_gambit.json has no games")
    };
    for (name, g) in games {
        let path = if let Some(file) = name.strip_prefix("bench:") {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../bench/nplayer/games"
            ))
            .join(file)
        } else if let Some(root) = &shared {
            root.join("games/gambit").join(name)
        } else {
            continue;
        };
        let game =
            read_game_file(&path.to_string_lossy()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let nf = game
            .to_normal_form()
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .into_owned();
        let labels: Vec<Vec<String>> = serde_json::from_value(g["strategies"].clone())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            nf.strategies(),
            labels.as_slice(),
            "{name}: strategy labels"
        );
        out.push(Case {
            name: name.clone(),
            game: nf,
            gambit: g.clone(),
        });
    }
    out
}

fn profile(v: &Value) -> Vec<Vec<f64>> {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}"))
}

fn distance(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .zip(b)
        .flat_map(|(u, v)| u.iter().zip(v).map(|(x, y)| (x - y).abs()))
        .fold(0.0, f64::max)
}

fn range(game: &NormalFormGame) -> f64 {
    let (lo, hi, _) = game.payoff_range_f64();
    if hi > lo {
        hi - lo
    } else {
        1.0
    }
}

#[test]
fn first_iterations_follow_gambits_minimiser() {
    let cases = cases();
    assert!(cases.len() >= 6);
    for case in &cases {
        let opts = LiapOptions {
            max_iterations: 5,
            ..Default::default()
        };
        let ours = liap_end_point(&case.game, None, &opts)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name))
            .unwrap_or_else(|| panic!("{}: budget", case.name));
        let gambit = profile(&case.gambit["after_5"]);
        let d = distance(&ours.profile, &gambit);
        assert!(
            d <= 1e-9,
            "{}: {d:e} from Gambit's point after 5 iterations",
            case.name
        );
    }
}

#[test]
fn ends_at_gambits_equilibrium() {
    let mut agree = 0;
    for case in cases() {
        let rel = case.gambit["end_rel_regret"].as_f64().unwrap_or(f64::NAN);
        let res = liap(
            &case.game,
            &LiapOptions {
                random_starts: 0,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let r = range(&case.game);
        for e in &res.equilibria {
            let reg = max_regret::<f64>(&case.game, &e.profile);
            assert!(reg <= 1e-9 * r * 1.0001, "{}: regret {reg:e}", case.name);
        }
        if rel.is_nan() || rel >= 1e-4 {
            continue;
        }
        let t = PayoffTensor::new(&case.game);
        let end: Vec<f64> = profile(&case.gambit["end"]).concat();
        let gambit = refine_on_support(&t, &end, 1e-9)
            .map(|y| t.nest(&y))
            .unwrap_or_else(|| panic!("{}: Gambit's end point does not polish", case.name));
        let ours = match res.equilibria.as_slice() {
            [e] => &e.profile,
            other => panic!("{}: {} answers from one start", case.name, other.len()),
        };
        let d = distance(ours, &gambit);
        if CONTINUA.contains(&case.name.as_str()) {
            assert!(
                d > 1e-6,
                "{}: now agrees with Gambit; remove it from CONTINUA",
                case.name
            );
            for s in [0.25, 0.5, 0.75] {
                let mix: Vec<Vec<f64>> = ours
                    .iter()
                    .zip(&gambit)
                    .map(|(u, v)| {
                        u.iter()
                            .zip(v)
                            .map(|(x, y)| (1.0 - s) * x + s * y)
                            .collect()
                    })
                    .collect();
                let reg = max_regret::<f64>(&case.game, &mix);
                assert!(
                    reg <= 1e-9 * r,
                    "{}: the segment to Gambit's answer leaves the equilibria ({reg:e} at {s})",
                    case.name
                );
            }
        } else {
            assert!(d <= 1e-6, "{}: {d:e} from Gambit's equilibrium", case.name);
            agree += 1;
        }
    }
    eprintln!("liap: {agree} games at Gambit's equilibrium");
}

/// Trees where Detente's behaviour-profile liap from the centroid ends at
/// another equilibrium than Gambit's `liap_agent_solve`, and why.
const AGENT_DIFFERENCES: &[(&str, &str)] = &[];

fn agent_cases() -> Vec<(String, detente_game::ExtensiveGame, Value)> {
    let data: Value = serde_json::from_str(include_str!("data/liap_agent_gambit.json"))
        .unwrap_or_else(|e| panic!("liap_agent_gambit.json: {e}"));
    let Some(root) = common::shared_dir() else {
        return Vec::new();
    };
    let Some(games) = data["games"].as_object() else {
        panic!("liap_agent_gambit.json has no games")
    };
    games
        .iter()
        .map(|(name, g)| {
            let path = root.join("games/gambit").join(name);
            match read_game_file(&path.to_string_lossy()) {
                Ok(detente_game::Game::Extensive(t)) => (name.clone(), t, g.clone()),
                Ok(_) => panic!("{name}: not a tree"),
                Err(e) => panic!("{name}: {e}"),
            }
        })
        .collect()
}

fn flat(p: &[Vec<Vec<f64>>]) -> Vec<f64> {
    p.iter().flatten().flatten().cloned().collect()
}

fn flat_gambit(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}"))
}

fn max_distance(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn agent_first_iterations_follow_gambits_minimiser() {
    for (name, tree, gambit) in agent_cases() {
        let opts = LiapOptions {
            max_iterations: 5,
            ..Default::default()
        };
        let ours = detente_solve::agent_form::agent_liap_end_point(&tree, &opts)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .unwrap_or_else(|| panic!("{name}: budget"));
        let d = max_distance(&flat(&ours), &flat_gambit(&gambit["after_5"]));
        assert!(
            d <= 1e-9,
            "{name}: {d:e} from Gambit's point after 5 iterations"
        );
    }
}

#[test]
fn agent_ends_at_gambits_equilibrium() {
    use detente_solve::agent_form::{agent_liap, AgentForm};
    let mut agree = 0;
    let mut differ = Vec::new();
    for (name, tree, gambit) in agent_cases() {
        let rel = gambit["end_rel_regret"].as_f64().unwrap_or(f64::NAN);
        let res = agent_liap(
            &tree,
            &LiapOptions {
                random_starts: 0,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        if rel.is_nan() || rel >= 1e-4 {
            continue;
        }
        // Gambit's answer polished on the agent form, as Detente's is.
        let af = AgentForm::new(&tree).unwrap_or_else(|e| panic!("{name}: {e}"));
        let t = af.tensor();
        let mut end = flat_gambit(&gambit["end"]);
        t.normalize(&mut end);
        let polished = refine_on_support(t, &end, 1e-9)
            .unwrap_or_else(|| panic!("{name}: Gambit's end point does not polish"));
        let ours: Vec<Vec<f64>> = res.equilibria.iter().map(|e| flat(&e.profile)).collect();
        let d = ours
            .iter()
            .map(|o| max_distance(o, &polished))
            .fold(f64::INFINITY, f64::min);
        let raw = ours
            .iter()
            .map(|o| max_distance(o, &end))
            .fold(f64::INFINITY, f64::min);
        let listed = AGENT_DIFFERENCES.iter().any(|(g, _)| *g == name);
        // Gambit's end point is only as close to an equilibrium as its
        // regret says (its gradient is a central difference; it stops with
        // relative regrets up to 1e-4), and Newton's method from it may
        // pick another point of a continuum: agreement is either polished
        // point within 1e-6, or Detente's answer within ten times Gambit's
        // relative regret of Gambit's raw point.
        if d <= 1e-6 || raw <= 1e-6 + 10.0 * rel {
            assert!(
                !listed,
                "{name}: now agrees; remove it from AGENT_DIFFERENCES"
            );
            agree += 1;
        } else {
            differ.push(format!("{name}: {d:e} (polished), {raw:e} (raw)"));
            assert!(listed, "{name}: {d:e} from Gambit's equilibrium");
        }
    }
    eprintln!("agent liap: {agree} trees at Gambit's equilibrium; differ: {differ:#?}");
}
