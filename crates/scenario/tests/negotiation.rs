//! Negotiations settled by the field's models (EUM, SMP, the weighted mean
//! and median): the outcome at the point estimate is what
//! `detente-forecast` gives on the same data, the models run on every draw,
//! and the analysis carries the forecast data the report draws.

use detente_forecast::eum::{self, EumOptions};
use detente_forecast::IssueData;
use detente_scenario::analysis::{analyze, AnalyzeOptions};
use detente_scenario::parse_scenario;
use serde_json::Value;
use std::sync::atomic::AtomicBool;

fn run(text: &str, draws: usize) -> Value {
    let s = parse_scenario(text, "t.toml").expect("parses");
    let never = AtomicBool::new(false);
    analyze(
        &s,
        &AnalyzeOptions {
            draws,
            seed: 11,
            sensitivity_keep: 3,
        },
        &never,
        &|_| {},
    )
}

fn issue<'a>(r: &'a Value, id: &str, policy: &str) -> &'a Value {
    r["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["issue"] == id && i["policy"] == policy)
        .unwrap_or_else(|| panic!("no issue {id} under {policy}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn trade_blocs_settlement_is_the_eum_forecast() {
    let text = include_str!("../../../scenarios/trade-blocs.toml");
    let r = run(text, 300);
    let settle = issue(&r, "settlement", "base");
    assert_eq!(settle["rule"]["model"], "eum");
    assert_eq!(settle["rule"]["preset"], "paper");
    // The same data, written out here from the file's point estimates
    // (capability; position = mode; salience / 100).
    let data = IssueData::new(
        "settlement",
        ["A", "B", "A1", "A2", "A4"].map(String::from).to_vec(),
        vec![80.0, 0.0, 35.0, 45.0, 75.0],
        vec![1.0, 1.2, 0.30, 0.25, 0.20],
        vec![0.7, 0.9, 0.8, 0.6, 0.4],
    )
    .unwrap();
    let mut o = EumOptions::paper();
    o.rounds = 10;
    let (expect, _) = eum::run(&data, &o).unwrap();
    assert!((f(&settle["outcome"]) - expect.forecast).abs() < 1e-9);
    let fc = &settle["forecast"];
    assert_eq!(fc["model"], "eum");
    assert!((f(&fc["forecast"]) - expect.forecast).abs() < 1e-9);
    assert_eq!(fc["stop"], expect.stop.clone().unwrap());
    // Rounds: same number, same positions (actor by actor, by id).
    let actors: Vec<&str> = fc["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let rounds = fc["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), expect.rounds.len());
    for (k, round) in rounds.iter().enumerate() {
        for (j, a) in actors.iter().enumerate() {
            let idx = data.actors.iter().position(|x| x == a).unwrap();
            assert!((f(&round[j]) - expect.rounds[k][idx]).abs() < 1e-9);
        }
    }
    // Quadrant: five actors, all focal (fewer than six), four points each,
    // the strongest (B: 1.2 x 0.9) first, the numbers eum::quadrant's.
    let quad = fc["quadrant"].as_array().unwrap();
    assert_eq!(quad.len(), 5);
    assert_eq!(quad[0]["focal"], "B");
    let q = eum::quadrant(&data, 1, &o).unwrap();
    let points = quad[0]["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    for (p, (j, x, y)) in points.iter().zip(&q) {
        assert_eq!(p["actor"], data.actors[*j]);
        assert!((f(&p["x"]) - x).abs() < 1e-9 && (f(&p["y"]) - y).abs() < 1e-9);
    }
    // Over the draws: the model ran on each (positions are uncertain), never
    // failed, and the outcomes lie between the extreme positions.
    assert_eq!(settle["p_model_failed"], 0.0);
    let d = &settle["outcome_draws"];
    assert!(f(&d["min"]) >= 0.0 && f(&d["max"]) <= 90.0);
    assert!(
        f(&d["max"]) > f(&d["min"]),
        "the outcome varies with the draws"
    );
    let counts: u64 = d["histogram"]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(counts, 300);
}

const HEAD: &str = r#"
[scenario]
id = "n"
title = "n"
[actors.A]
name = "A"
capability = 2
[actors.B]
name = "B"
capability = 1
[actors.C]
name = "C"
"#;

fn negotiation(rule: &str, positions: &str) -> String {
    format!(
        "{HEAD}[issues.i]\nname = \"i\"\nstatus_quo = 50\nrule = {rule}\n[issues.i.positions]\n{positions}"
    )
}

const POSITIONS: &str = "A = { position = 20, salience = 50 }\nB = { position = { uniform = [60, 80] }, salience = 100 }\nC = { position = 90, salience = 40 }\n";

#[test]
fn mean_and_median_rounds_are_input_then_forecast() {
    for (model, expect) in [
        // Weights 1, 1, 0.4 at 20, 70, 90.
        ("mean", (20.0 + 70.0 + 0.4 * 90.0) / 2.4),
        ("median", 70.0),
    ] {
        let r = run(
            &negotiation(
                &format!("{{ kind = \"negotiation\", model = \"{model}\" }}"),
                POSITIONS,
            ),
            100,
        );
        let i = issue(&r, "i", "base");
        assert!((f(&i["outcome"]) - expect).abs() < 1e-9, "{model}");
        let fc = &i["forecast"];
        assert_eq!(fc["model"], model);
        assert_eq!(fc["preset"], Value::Null);
        assert_eq!(fc["quadrant"], serde_json::json!([]));
        let rounds = fc["rounds"].as_array().unwrap();
        assert_eq!(rounds.len(), 2);
        assert_eq!(rounds[0], serde_json::json!([20.0, 70.0, 90.0]));
        for x in rounds[1].as_array().unwrap() {
            assert!((f(x) - expect).abs() < 1e-9);
        }
    }
}

#[test]
fn smp_runs_on_every_draw() {
    let r = run(
        &negotiation(
            "{ kind = \"negotiation\", model = \"smp\", rounds = 30 }",
            POSITIONS,
        ),
        200,
    );
    let i = issue(&r, "i", "base");
    assert_eq!(i["rule"]["preset"], "ktab");
    let x = f(&i["outcome"]);
    assert!((20.0..=90.0).contains(&x), "{x}");
    assert_eq!(i["forecast"]["model"], "smp");
    assert!(f(&i["forecast"]["forecast"]) == x);
    assert!(i["forecast"]["rounds"].as_array().unwrap().len() >= 2);
    assert_eq!(i["p_model_failed"], 0.0);
    let d = &i["outcome_draws"];
    assert!(f(&d["min"]) >= 20.0 && f(&d["max"]) <= 90.0);
}

#[test]
fn degenerate_negotiations_give_a_clear_answer() {
    // Everyone at one position: that position, no rounds played.
    let same = "A = { position = 30, salience = 50 }\nB = { position = 30, salience = 60 }\n";
    let r = run(
        &negotiation("{ kind = \"negotiation\", model = \"eum\" }", same),
        50,
    );
    let i = issue(&r, "i", "base");
    assert_eq!(f(&i["outcome"]), 30.0);
    assert_eq!(i["forecast"]["rounds"].as_array().unwrap().len(), 1);
    assert_eq!(
        i["outcome_draws"]["histogram"]["counts"],
        serde_json::json!([50])
    );
    // No weight at all: the status quo stands.
    let zero = "A = { position = 10, salience = 0 }\nB = { position = 90, salience = 0 }\n";
    let r = run(
        &negotiation("{ kind = \"negotiation\", model = \"eum\" }", zero),
        50,
    );
    assert_eq!(f(&issue(&r, "i", "base")["outcome"]), 50.0);
    // One actor: its position.
    let one = "C = { position = 65, salience = 10 }\n";
    let r = run(
        &negotiation("{ kind = \"negotiation\", model = \"smp\" }", one),
        20,
    );
    assert_eq!(f(&issue(&r, "i", "base")["outcome"]), 65.0);
}

fn err(text: &str) -> String {
    match parse_scenario(text, "bad.toml") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_negotiation_rules_are_refused() {
    let e = err(&negotiation(
        "{ kind = \"negotiation\", model = \"eun\" }",
        POSITIONS,
    ));
    assert!(e.starts_with("bad.toml:"), "{e}");
    assert!(e.contains("unknown negotiation model `eun`"), "{e}");
    assert!(e.contains("did you mean `eum`?"), "{e}");
    let e = err(&negotiation(
        "{ kind = \"negotiation\", model = \"eum\", preset = \"papr\" }",
        POSITIONS,
    ));
    assert!(e.contains("unknown eum preset `papr`"), "{e}");
    assert!(e.contains("did you mean `paper`?"), "{e}");
    let e = err(&negotiation(
        "{ kind = \"negotiation\", model = \"median\", rounds = 3 }",
        POSITIONS,
    ));
    assert!(e.contains("the `median` model takes no `rounds`"), "{e}");
    let e = err(&negotiation(
        "{ kind = \"negotiation\", model = \"eum\", rounds = 0 }",
        POSITIONS,
    ));
    assert!(e.contains("`rounds` must be between 1 and 1000"), "{e}");
    let e = err(&negotiation("{ kind = \"negotiation\" }", POSITIONS));
    assert!(e.contains("needs `model`"), "{e}");
}

#[test]
fn histograms_sum_to_the_draws() {
    let text = include_str!("../../../scenarios/trade-blocs.toml");
    let r = run(text, 700);
    let mut seen = 0;
    let mut check = |st: &Value| {
        let edges = st["histogram"]["edges"].as_array().unwrap();
        let counts = st["histogram"]["counts"].as_array().unwrap();
        assert_eq!(edges.len(), counts.len() + 1);
        assert!(counts.len() == 20 || (counts.len() == 1 && st["min"] == st["max"]));
        assert_eq!(edges.first().unwrap(), &st["min"]);
        assert_eq!(edges.last().unwrap(), &st["max"]);
        let total: u64 = counts.iter().map(|c| c.as_u64().unwrap()).sum();
        assert_eq!(total, 700);
        seen += 1;
    };
    for x in r["exchanges"].as_array().unwrap() {
        for st in x["surplus_draws"].as_object().unwrap().values() {
            check(st);
        }
        check(&x["world_sum_draws"]);
    }
    for i in r["issues"].as_array().unwrap() {
        check(&i["outcome_draws"]);
    }
    for p in r["policies"].as_array().unwrap() {
        for m in p["measures"].as_object().unwrap().values() {
            check(&m["draws"]);
        }
    }
    assert!(seen > 10);
}
