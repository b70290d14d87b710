//! Games under uncertainty: inline payoffs may be distributions and
//! policies may change them; the exact equilibria at the point estimate of
//! each case, the pure equilibria over the draws, and `equilibrium` claims.

use detente_scenario::analysis::{analyze, AnalyzeOptions};
use detente_scenario::parse_scenario;
use serde_json::{json, Value};
use std::sync::atomic::AtomicBool;

fn run(text: &str, draws: usize, seed: u64) -> Value {
    let s = parse_scenario(text, "t.toml").expect("parses");
    let never = AtomicBool::new(false);
    analyze(
        &s,
        &AnalyzeOptions {
            draws,
            seed,
            sensitivity_keep: 3,
        },
        &never,
        &|_| {},
    )
}

// The row player's payoff at (Up, Left) is uniform on [0, 10]; at
// (Down, Left) it is 4; the column player always prefers Left. So
// (Up, Left) is the equilibrium when the draw is at least 4 (P = 0.6) and
// (Down, Left) otherwise; exactly one pure equilibrium in every draw.
const GAME: &str = r#"
[scenario]
id = "g"
title = "g"
[actors.R]
name = "Row"
[actors.C]
name = "Column"
[games.g]
name = "g"
players = ["R", "C"]
strategies = [["Up", "Down"], ["Left", "Right"]]
payoffs = [
  [[{ uniform = [0, 10] }, 3], [1, 1]],
  [[4, 3], [0, 0]],
]
[policies.lower]
name = "Up is worth less"
set = { "games.g.payoffs.1.1.R" = 2 }
[claims.up_left]
text = "Up-Left is an equilibrium"
kind = "equilibrium"
game = "g"
profile = ["Up", "Left"]
[claims.up_left_lower]
text = "Up-Left is an equilibrium under the policy"
kind = "equilibrium"
game = "g"
profile = ["Up", "Left"]
policy = "lower"
"#;

fn claim<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn pure_equilibria_over_the_draws() {
    let r = run(GAME, 2000, 5);
    let g = &r["games"][0];
    // At the point estimate (5): Up-Left, exactly.
    assert_eq!(
        g["equilibria"],
        json!([{"profile": [["1", "0"], ["1", "0"]], "payoffs": ["5", "3"]}])
    );
    let d = &g["draws"];
    assert_eq!(d["method"], "enumpure-f64");
    assert_eq!(d["p_unique"], 1.0);
    assert_eq!(d["p_none"], 0.0);
    let eqs = d["equilibria"].as_array().unwrap();
    assert_eq!(eqs.len(), 2);
    assert_eq!(eqs[0]["labels"], json!(["Up", "Left"]));
    assert_eq!(eqs[1]["labels"], json!(["Down", "Left"]));
    let p = eqs[0]["probability"].as_f64().unwrap();
    assert!((p - 0.6).abs() < 0.04, "{p}");
    let q = eqs[1]["probability"].as_f64().unwrap();
    assert!((p + q - 1.0).abs() < 1e-9);
    // The claim is counted on the same draws.
    let c = claim(&r, "up_left");
    assert_eq!(c["holds"], true);
    assert_eq!(c["probability"].as_f64(), Some(p));
    // The policy fixes the payoff at 2: Down-Left, exactly and in every draw.
    let pol = &g["policies"][0];
    assert_eq!(pol["policy"], "lower");
    assert_eq!(
        pol["equilibria"][0]["profile"],
        json!([["0", "1"], ["1", "0"]])
    );
    assert_eq!(
        pol["draws"]["equilibria"][0]["labels"],
        json!(["Down", "Left"])
    );
    assert_eq!(pol["draws"]["equilibria"][0]["probability"], 1.0);
    let c = claim(&r, "up_left_lower");
    assert_eq!(c["holds"], false);
    assert_eq!(c["probability"], 0.0);
    // The claim's sensitivity finds the payoff and where it flips (at 4).
    let sens = claim(&r, "up_left")["sensitivity"].as_array().unwrap();
    assert_eq!(sens[0]["input"], "games.g.payoffs.1.1.R");
    let flip = sens[0]["flips_at"].as_f64().unwrap();
    assert!((flip - 4.0).abs() < 0.01, "{flip}");
}

#[test]
fn same_seed_same_game_draws() {
    assert_eq!(run(GAME, 700, 9)["games"], run(GAME, 700, 9)["games"]);
}

#[test]
fn trade_blocs_tariff_game() {
    let text = include_str!("../../../scenarios/trade-blocs.toml");
    let r = run(text, 500, 2);
    let g = r["games"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["game"] == "tariffs")
        .unwrap();
    // At the point estimate duties are dominant and B accommodates.
    assert!(g["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["profile"] == json!([["1", "0"], ["0", "1"]])));
    let p = g["draws"]["p_unique"].as_f64().unwrap();
    assert!(p > 0.0 && p <= 1.0);
    // Retaliation announced: B hits back against duties.
    let pol = g["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["policy"] == "retaliation")
        .unwrap();
    assert!(pol["equilibria"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["profile"] == json!([["1", "0"], ["1", "0"]])));
    assert_eq!(claim(&r, "duties_stick")["holds"], true);
}

#[test]
fn bad_equilibrium_claims_are_refused() {
    let bad = GAME.replace(
        "profile = [\"Up\", \"Left\"]\npolicy",
        "profile = [\"Up\", \"Lefft\"]\npolicy",
    );
    let e = parse_scenario(&bad, "bad.toml").unwrap_err().to_string();
    assert!(e.starts_with("bad.toml:"), "{e}");
    assert!(e.contains("unknown strategy of C `Lefft`"), "{e}");
    assert!(e.contains("did you mean `Left`?"), "{e}");
    let bad = GAME.replace(
        "profile = [\"Up\", \"Left\"]\npolicy",
        "profile = [\"Up\"]\npolicy",
    );
    let e = parse_scenario(&bad, "bad.toml").unwrap_err().to_string();
    assert!(e.contains("one strategy per player (2), found 1"), "{e}");
    let bad = GAME.replace(
        "game = \"g\"\nprofile = [\"Up\", \"Left\"]\npolicy",
        "game = \"h\"\nprofile = [\"Up\", \"Left\"]\npolicy",
    );
    let e = parse_scenario(&bad, "bad.toml").unwrap_err().to_string();
    assert!(e.contains("unknown game `h`"), "{e}");
}
