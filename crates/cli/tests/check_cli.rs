//! `detente check`: a given profile checked for Nash equilibrium and, on a
//! tree, subgame perfection; profiles in Gambit's and Detente's formats;
//! clear errors on malformed profiles.

mod common;

use common::{detente, shared_dir, success_json as json, success_stdout as stdout};
use serde_json::Value;
use std::path::PathBuf;

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("detente-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

const TALKS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/games/talks.nfg"
);

/// Entry deterrence: (Out, Fight) is a Nash equilibrium that is not
/// subgame perfect (the incumbent's threat is not credible); (In,
/// Accommodate) is the subgame-perfect one.
const ENTRY: &str = r#"EFG 2 R "Entry deterrence" { "Entrant" "Incumbent" }
""

p "" 1 1 "Entrant" { "Out" "In" } 0
t "" 1 "Out" { 0, 2 }
p "" 2 1 "Incumbent" { "Fight" "Accommodate" } 0
t "" 2 "Fight" { -1, -1 }
t "" 3 "Accommodate" { 1, 1 }
"#;

fn check(file: &str, profile: &str, extra: &[&str]) -> Value {
    let mut a = vec!["check", file, "--profile", profile, "--format", "json"];
    a.extend_from_slice(extra);
    json(&detente(&a))
}

#[test]
fn every_equilibrium_solve_prints_checks_and_others_do_not() {
    let o = detente(&["solve", TALKS]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("NE,")).collect();
    assert_eq!(lines.len(), 3, "{text}");
    for l in lines {
        let v = check(TALKS, l, &[]);
        assert_eq!(v["nash"], true, "{l}: {v}");
        assert_eq!(v["exact"], true);
        assert_eq!(v["regrets"], serde_json::json!(["0", "0"]));
        assert!(v.get("subgame_perfect").is_none(), "{v}");
    }
    // (Negotiate, Expand): each player gains 1 by switching.
    let v = check(TALKS, "1,0,0,1", &[]);
    assert_eq!(v["nash"], false);
    assert_eq!(v["regrets"], serde_json::json!(["1", "1"]));
    let t = stdout(&detente(&["check", TALKS, "--profile", "1,0,0,1"]));
    assert!(t.contains("Nash equilibrium: no"), "{t}");
    assert!(t.contains("regret 1"), "{t}");
}

#[test]
fn subgame_perfection_on_a_tree() {
    let f = write_temp("entry.efg", ENTRY);
    let f = f.to_string_lossy();
    // (Out, Fight): Nash, not subgame perfect; the subgame and the gain named.
    let v = check(&f, "1,0,1,0", &[]);
    assert_eq!(v["form"], "behaviour strategies");
    assert_eq!(v["nash"], true);
    assert_eq!(v["subgame_perfect"], false);
    assert_eq!(v["subgames_checked"], 1);
    assert_eq!(v["failing_subgame"]["node"], 3);
    assert_eq!(v["failing_subgame"]["player"], 2);
    assert_eq!(v["failing_subgame"]["regret"], "2");
    let t = stdout(&detente(&["check", &f, "--profile", "1,0,1,0"]));
    assert!(
        t.contains("subgame perfect: no: in the subgame at node 3 of the file, where player 2 (\"Incumbent\") moves at information set 1 (\"Incumbent\"), player 2 (\"Incumbent\") gains 2 by deviating"),
        "{t}"
    );
    // (In, Accommodate): subgame perfect.
    let v = check(&f, "0,1,0,1", &[]);
    assert_eq!(
        (v["nash"].clone(), v["subgame_perfect"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(v["payoffs"], serde_json::json!(["1", "1"]));
    // (In, Fight) is not even Nash.
    let v = check(&f, "0,1,1,0", &[]);
    assert_eq!(v["nash"], false);
    assert_eq!(v["subgame_perfect"], false);
    assert_eq!(v["failing_subgame"], Value::Null);
    // The reduced strategic form: (Out, Fight) is an equilibrium there too.
    let v = check(&f, "1,0,1,0", &["--strategic"]);
    assert_eq!(v["form"], "reduced normal form");
    assert_eq!(v["nash"], true);
    assert!(v.get("subgame_perfect").is_none());
}

/// `--exit-code`: status 3 after the report when the profile fails (not
/// Nash, or Nash but not subgame perfect), 0 when it passes; without the
/// flag the status is 0 whenever the check ran.
#[test]
fn exit_code_says_whether_the_profile_passes() {
    let status = |file: &str, profile: &str, extra: &[&str]| {
        let mut a = vec!["check", file, "--profile", profile];
        a.extend_from_slice(extra);
        let o = detente(&a);
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Nash equilibrium:"),
            "the report is printed"
        );
        o.status.code()
    };
    assert_eq!(status(TALKS, "1/2,1/2,1/2,1/2", &["--exit-code"]), Some(0));
    assert_eq!(status(TALKS, "1,0,0,1", &["--exit-code"]), Some(3));
    assert_eq!(status(TALKS, "1,0,0,1", &[]), Some(0));
    let f = write_temp("entry-exit.efg", ENTRY);
    let f = f.to_string_lossy();
    assert_eq!(status(&f, "0,1,0,1", &["--exit-code"]), Some(0));
    // Nash but not subgame perfect.
    assert_eq!(status(&f, "1,0,1,0", &["--exit-code"]), Some(3));
    assert_eq!(
        status(&f, "1,0,1,0", &["--exit-code", "--strategic"]),
        Some(0)
    );
    // Errors keep their own status.
    let o = detente(&["check", TALKS, "--profile", "1,0,0", "--exit-code"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Imperfect recall: the player forgets its first move. The check is
/// the agent form's: (1/2, 1/2) at both sets is an equilibrium of the
/// agent form (no single set gains) though playing L then l earns 1;
/// (L, r) is not (switching at the second set gains 1).
const FORGETFUL: &str = r#"EFG 2 R "Forgetful" { "P1" "P2" }
""

p "" 1 1 "first" { "L" "R" } 0
p "" 1 2 "second" { "l" "r" } 0
t "" 1 "Ll" { 1, 0 }
t "" 2 "Lr" { 0, 0 }
p "" 1 2 "second" { "l" "r" } 0
t "" 3 "Rl" { 0, 0 }
t "" 4 "Rr" { 1, 0 }
"#;

#[test]
fn imperfect_recall_is_checked_in_the_agent_form() {
    let f = write_temp("forgetful.efg", FORGETFUL);
    let f = f.to_string_lossy();
    let v = check(&f, "1/2,1/2,1/2,1/2", &[]);
    assert_eq!(v["agent_equilibrium"], true, "{v}");
    assert_eq!(v["nash"], Value::Null);
    assert_eq!(v["regret_kind"], "agent");
    assert_eq!(v["payoffs"], serde_json::json!(["1/2", "0"]));
    assert!(v.get("subgame_perfect").is_none(), "{v}");
    let v = check(&f, "1,0,0,1", &[]);
    assert_eq!(v["agent_equilibrium"], false, "{v}");
    assert_eq!(v["regrets"], serde_json::json!(["1", "0"]));
    let t = stdout(&detente(&["check", &f, "--profile", "1,0,0,1"]));
    assert!(t.contains("equilibrium of the agent form: no"), "{t}");
    assert!(
        t.contains("Nash equilibrium: not checked (imperfect recall)"),
        "{t}"
    );
    assert!(t.contains("agent regret 1"), "{t}");
    let o = detente(&["check", &f, "--profile", "1,0,0,1", "--exit-code"]);
    assert_eq!(o.status.code(), Some(3));
    // Every set needs a distribution here.
    let o = detente(&["check", &f, "--profile", "1,0,0,0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("are all zero"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn decimals_are_checked_within_a_tolerance() {
    // Sums exactly 1 but is not exactly the mixed equilibrium.
    let p = "0.5000001,0.4999999,0.5,0.5";
    let v = check(TALKS, p, &[]);
    assert_eq!(v["exact"], false);
    assert_eq!(v["nash"], true, "{v}");
    let v = check(TALKS, p, &["--tol", "0"]);
    assert_eq!(v["nash"], false, "{v}");
    // Gambit's rounded output: sums within 1e-6 of 1 are normalised, with a note.
    let v = check(TALKS, "NE,0.3333333,0.6666666,1,0", &[]);
    assert!(v["notes"][0]
        .as_str()
        .is_some_and(|n| n.contains("summed to 0.9999999")));
    // Decimal checks print decimals (JSON numbers), not huge fractions.
    assert!(v["regrets"][0].is_number(), "{v}");
    // Fractions that do not sum to 1 are an error.
    let o = detente(&["check", TALKS, "--profile", "1/3,1/3,1,0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("sum to 2/3, not 1"));
}

#[test]
fn detentes_own_json_profiles_are_accepted() {
    let Some(shared) = shared_dir() else {
        return;
    };
    // Every equilibrium lcp finds on these trees is Nash; every spe answer
    // is subgame perfect.
    for name in ["contrib/cent2.efg", "contrib/bhg1.efg", "doc/poker.efg"] {
        let f = shared.join("games/gambit").join(name);
        let f = f.to_string_lossy();
        for (method, perfect) in [("lcp", false), ("spe", true)] {
            let v = json(&detente(&[
                "solve", &f, "--method", method, "--format", "json",
            ]));
            let eqs = v["equilibria"].as_array().cloned().unwrap_or_default();
            assert!(!eqs.is_empty(), "{name} {method}");
            for e in eqs {
                let p = e["profile"].to_string();
                let c = check(&f, &p, &[]);
                assert_eq!(c["nash"], true, "{name} {method}: {c}");
                assert_eq!(c["exact"], true);
                if perfect {
                    assert_eq!(c["subgame_perfect"], true, "{name}: {c}");
                }
            }
        }
    }
}

#[test]
fn malformed_profiles_are_usage_errors() {
    let f = write_temp("entry2.efg", ENTRY);
    let f = f.to_string_lossy();
    for (p, want) in [
        ("1,0,1", "--profile has 3 numbers; this game needs 4"),
        ("1,0,1,x", "item 4 (\"x\") is not a number"),
        ("1,0,2,-1", "has a negative probability (-1)"),
        ("", "no numbers given"),
        ("[[1,0],[1", "not valid JSON"),
        ("[[1,0],[true,false]]", "expected numbers"),
    ] {
        let o = detente(&["check", &f, "--profile", p]);
        assert_eq!(o.status.code(), Some(2), "{p}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{p}: {err}");
    }
    let o = detente(&["check", &f, "--profile", "1,0,1,0", "--tol", "-1"]);
    assert_eq!(o.status.code(), Some(2));
    // A missing file is bad input (exit 1), named.
    let o = detente(&["check", "/nonexistent/x.nfg", "--profile", "1,0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/x.nfg"));
}

/// Gambit's own answers on the catalog's trees (`reference.json`), checked
/// by `detente check` in behaviour strategies: every exact lcp and lp
/// answer is a Nash equilibrium with Gambit's payoffs (sets Gambit leaves
/// empty because their player never reaches them are accepted), except
/// five malformed lp answers, which are refused: four leave empty a set
/// their own player does reach (`vonstengelforges2008/fig6`, `e10a`,
/// `nim`, `nim7`) and one has a distribution summing to 5/6
/// (`reduction_generic_payoffs`); logit's floating-point
/// answers are accepted exactly where Gambit's own max regret is small and
/// refused where it is large (Gambit's logit returns some
/// non-equilibria).
#[test]
fn gambits_answers_on_trees_check_as_gambit_says() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let dir = shared.join("games/gambit");
    let text = std::fs::read_to_string(dir.join("reference.json"))
        .unwrap_or_else(|e| panic!("reference.json: {e}"));
    let reference: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let games = reference["games"].as_object().cloned().unwrap_or_default();
    let (mut exact, mut accepted, mut refused) = (0, 0, 0);
    let mut malformed = Vec::new();
    for (name, g) in &games {
        if g["format"] != "efg" || g["perfect_recall"] != true {
            continue;
        }
        let file = dir.join(name);
        let file = file.to_string_lossy();
        let range = {
            let num = |k: &str| {
                g[k].as_str()
                    .and_then(|s| {
                        let (a, b) = s.split_once('/').unwrap_or((s, "1"));
                        Some(a.parse::<f64>().ok()? / b.parse::<f64>().ok()?)
                    })
                    .unwrap_or(0.0)
            };
            (num("max_payoff") - num("min_payoff")).max(f64::MIN_POSITIVE)
        };
        for method in ["lcp", "lp", "logit"] {
            let m = &g["methods"][method];
            if m["status"] != "ok" || m["representation"] != "behavior" {
                continue;
            }
            for e in m["equilibria"].as_array().cloned().unwrap_or_default() {
                let profile = e["profile"].to_string();
                let o = detente(&["check", &file, "--profile", &profile, "--format", "json"]);
                let err = String::from_utf8_lossy(&o.stderr);
                if o.status.code() == Some(2)
                    && (err.contains("are all zero, but the player's own play reaches it")
                        || err.contains("not 1"))
                {
                    malformed.push(format!("{name} {method}"));
                    continue;
                }
                let c = json(&o);
                if method == "logit" {
                    let r = e["max_regret"].as_f64().unwrap_or(f64::NAN);
                    if r <= 1e-8 * range {
                        assert_eq!(c["nash"], true, "{name} logit (regret {r}): {c}");
                        accepted += 1;
                    } else if r >= 1e-4 * range {
                        assert_eq!(c["nash"], false, "{name} logit (regret {r}): {c}");
                        refused += 1;
                    }
                } else {
                    assert_eq!(c["nash"], true, "{name} {method}: {c}");
                    assert_eq!(c["exact"], true);
                    assert_eq!(c["payoffs"], e["payoffs"], "{name} {method}");
                    exact += 1;
                }
            }
        }
    }
    eprintln!(
        "Gambit's tree answers: {exact} exact ones checked as equilibria, {accepted} logit answers accepted, {refused} refused; malformed: {malformed:?}"
    );
    malformed.sort();
    assert_eq!(
        malformed,
        [
            "catalog/journals/mor/vonstengelforges2008/fig6.efg lp",
            "contrib/e10a.efg lp",
            "contrib/nim.efg lp",
            "contrib/nim7.efg lp",
            "tests/reduction_generic_payoffs.efg lp"
        ]
    );
    assert!(exact >= 100, "only {exact} exact answers checked");
    assert!(accepted >= 50, "only {accepted} logit answers accepted");
}

/// A set its own player's earlier choice cuts off may be left empty (all
/// zeros), as Gambit prints sequence-form answers: the Nash check does not
/// depend on it; subgame perfection does and is left undecided. A set the
/// player's own play reaches may not be left empty.
#[test]
fn sets_the_player_never_reaches_may_be_left_empty() {
    let tree = r#"EFG 2 R "Entry, then the entrant moves again" { "Entrant" "Incumbent" }
""

p "" 1 1 "Enter?" { "Out" "In" } 0
t "" 1 "Out" { 0, 2 }
p "" 2 1 "Respond" { "Fight" "Accommodate" } 0
t "" 2 "Fight" { -1, -1 }
p "" 1 2 "Expand?" { "Stay" "Expand" } 0
t "" 3 "Stay" { 1, 1 }
t "" 4 "Expand" { 2, 0 }
"#;
    let f = write_temp("entry3.efg", tree);
    let f = f.to_string_lossy();
    // Out, (empty), Fight.
    let v = check(&f, "1,0,0,0,1,0", &[]);
    assert_eq!(v["nash"], true, "{v}");
    assert_eq!(v["subgame_perfect"], Value::Null, "{v}");
    assert!(v["notes"][0]
        .as_str()
        .is_some_and(|n| n.contains("information set 2 (\"Expand?\") is left empty")));
    let t = stdout(&detente(&["check", &f, "--profile", "1,0,0,0,1,0"]));
    assert!(t.contains("subgame perfect: not decided"), "{t}");
    // In, (empty), Accommodate: the entrant's own play reaches the set.
    let o = detente(&["check", &f, "--profile", "0,1,0,0,0,1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("are all zero, but the player's own play reaches it"));
    // Completed: In, Expand, Accommodate is subgame perfect.
    let v = check(&f, "0,1,0,1,0,1", &[]);
    assert_eq!(
        (v["nash"].clone(), v["subgame_perfect"].clone()),
        (true.into(), true.into())
    );
}

/// The n-player methods' floating-point answers (JSON numbers whose sums
/// are 1 only up to rounding) check as equilibria within the tolerance,
/// silently normalised.
#[test]
fn numeric_methods_answers_check() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let f = shared.join("games/gambit/contrib/2x2x2.nfg");
    let f = f.to_string_lossy();
    for method in ["simpdiv", "gnm", "ipa", "logit", "liap"] {
        let v = json(&detente(&[
            "solve", &f, "--method", method, "--format", "json",
        ]));
        let eqs = v["equilibria"].as_array().cloned().unwrap_or_default();
        assert!(!eqs.is_empty(), "{method}");
        for e in eqs {
            let c = check(&f, &e["profile"].to_string(), &[]);
            assert_eq!(c["nash"], true, "{method}: {c}");
            assert_eq!(c["exact"], false);
            assert_eq!(c["notes"], serde_json::json!([]), "{method}: {c}");
        }
    }
}
