//! The built-in scenario parses, reproduces the two recorded Security
//! Council votes, and gives the verdicts the development notes derive by hand.

use detente_scenario::analysis::{analyze, AnalyzeOptions};
use detente_scenario::builtin::{BUILTIN, BUILTIN_NAME};
use detente_scenario::parse_scenario;
use serde_json::Value;
use std::sync::atomic::AtomicBool;

fn report(draws: usize) -> Value {
    let s = parse_scenario(BUILTIN, BUILTIN_NAME).expect("the built-in scenario parses");
    let never = AtomicBool::new(false);
    analyze(
        &s,
        &AnalyzeOptions {
            draws,
            seed: 7,
            sensitivity_keep: 5,
        },
        &never,
        &|_| {},
    )
}

fn find<'a>(list: &'a Value, pairs: &[(&str, &str)]) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| pairs.iter().all(|(k, x)| v[*k] == *x))
        .unwrap_or_else(|| panic!("no entry with {pairs:?}"))
}

#[test]
fn recorded_votes_are_reproduced() {
    let r = report(200);
    let poe = find(
        &r["votes"],
        &[("proposal", "poe_renewal_2024"), ("policy", "base")],
    );
    assert_eq!(poe["yes"], 13);
    assert_eq!(poe["no"], 1);
    assert_eq!(poe["abstain"], 1);
    assert_eq!(poe["ballots"]["RUS"], "no");
    assert_eq!(poe["ballots"]["CHN"], "abstain");
    assert_eq!(poe["vetoed_by"], serde_json::json!(["RUS"]));
    assert_eq!(poe["passes"], false);
    assert_eq!(poe["recorded"]["reproduced"], true);
    let d22 = find(
        &r["votes"],
        &[("proposal", "sanctions_draft_2022"), ("policy", "base")],
    );
    assert_eq!(d22["vetoed_by"], serde_json::json!(["CHN", "RUS"]));
    assert_eq!(d22["recorded"]["reproduced"], true);
    // In every draw the recorded outcome stands.
    assert_eq!(poe["p_passes"], 0.0);
}

#[test]
fn the_notes_verdicts() {
    let r = report(2000);
    let claim = |id: &str| find(&r["claims"], &[("id", id)]).clone();
    // Bilateral win-win, negative-sum for the world.
    assert_eq!(claim("win_win")["holds"], true);
    assert_eq!(claim("positive_sum")["holds"], false);
    assert!(claim("positive_sum")["probability"].as_f64().unwrap() < 0.05);
    // (b) fails: Russia and China veto; 11 yes, DZA and MOZ abstain.
    assert_eq!(claim("sanctions_pass")["holds"], false);
    assert_eq!(claim("russia_vetoes")["probability"], 1.0);
    let b = find(
        &r["votes"],
        &[("proposal", "new_sanctions"), ("policy", "b_sanctions")],
    );
    assert_eq!(b["yes"], 11);
    assert_eq!(b["ballots"]["DZA"], "abstain");
    // (a) no zone of agreement; arms-control talks have one at the point estimate.
    assert_eq!(claim("talks_agree")["holds"], false);
    assert_eq!(claim("arms_control_talks_agree")["holds"], true);
    // Technology transfer: x* = 40 + 0.25 * 60 = 55.
    let tech = find(
        &r["issues"],
        &[("issue", "tech_transfer"), ("policy", "base")],
    );
    assert!((tech["outcome"].as_f64().unwrap() - 55.0).abs() < 1e-9);
    let troops = find(
        &r["issues"],
        &[("issue", "us_troops"), ("policy", "c_pullback")],
    );
    assert_eq!(troops["outcome"], 20.0);
    // Every claim has a probability in [0, 1] and ranked sensitivities.
    for c in r["claims"].as_array().unwrap() {
        let p = c["probability"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
    }
    // Security Council power: each permanent member about 0.1963, each
    // elected member about 0.001865 (Shapley-Shubik).
    let power = &b["power"];
    assert!(
        (power["RUS"]["shapley_shubik"].as_f64().unwrap() - 0.19627).abs() < 1e-4,
        "{power}"
    );
    assert!(
        (power["SLE"]["shapley_shubik"].as_f64().unwrap() - 0.001865).abs() < 1e-5,
        "{power}"
    );
    // The trilateral coalition: the Shapley value splits the grand coalition's worth.
    let tri = &r["coalitions"][0];
    let sum: f64 = tri["shapley"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!(
        (sum - tri["grand_coalition"].as_f64().unwrap()).abs() < 1e-9,
        "{tri}"
    );
    assert_eq!(tri["core"]["empty"], false);
    // The stag hunt has two pure equilibria and one mixed.
    let g = &r["games"][0];
    assert_eq!(g["equilibria"].as_array().unwrap().len(), 3, "{g}");
    let s = &claim("tech_above_50")["sensitivity"];
    assert!(!s.as_array().unwrap().is_empty(), "{s}");
}

#[test]
fn same_seed_same_report() {
    assert_eq!(report(300), report(300));
}

#[test]
fn policies_can_be_selected() {
    let mut s = parse_scenario(BUILTIN, BUILTIN_NAME).unwrap();
    s.retain_policies(&["b_sanctions".to_string()]).unwrap();
    assert_eq!(s.policies.len(), 1);
    assert!(s
        .claims
        .iter()
        .all(|c| c.policy.is_none() || c.policy == Some(0)));
    assert!(s.proposals.iter().any(|p| p.id == "new_sanctions"));
    assert!(!s.proposals.iter().any(|p| p.id == "restore_monitoring"));
    let never = AtomicBool::new(false);
    let r = analyze(
        &s,
        &AnalyzeOptions {
            draws: 100,
            seed: 1,
            sensitivity_keep: 3,
        },
        &never,
        &|_| {},
    );
    let c = find(&r["claims"], &[("id", "russia_vetoes")]);
    assert_eq!(c["holds"], true);
    let e = parse_scenario(BUILTIN, BUILTIN_NAME)
        .unwrap()
        .retain_policies(&["b_sanction".to_string()])
        .unwrap_err();
    assert!(e.contains("did you mean `b_sanctions`"), "{e}");
}

#[test]
fn the_second_scenario_shows_the_language_is_general() {
    let text = include_str!("../../../scenarios/trade-blocs.toml");
    let s = parse_scenario(text, "trade-blocs.toml").expect("parses");
    let never = AtomicBool::new(false);
    let r = analyze(
        &s,
        &AnalyzeOptions {
            draws: 500,
            seed: 3,
            sensitivity_keep: 3,
        },
        &never,
        &|_| {},
    );
    for key in [
        "scenario",
        "exchanges",
        "votes",
        "issues",
        "games",
        "claims",
        "policies",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    let full = find(
        &r["votes"],
        &[("proposal", "full_duties"), ("policy", "base")],
    );
    assert_eq!(full["passes"], false);
    // The settlement is negotiated (EUM; checked against detente-forecast
    // in tests/negotiation.rs): it lands between B's 0 and A's 80.
    let settle = find(&r["issues"], &[("issue", "settlement"), ("policy", "base")]);
    let x = settle["outcome"].as_f64().unwrap();
    assert!(x > 0.0 && x < 80.0, "{x}");
}
