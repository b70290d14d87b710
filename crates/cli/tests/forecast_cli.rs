//! `detente forecast` end to end, on the reference data in ../shared (skipped
//! with a notice when absent, unless DETENTE_REQUIRE_SHARED=1).

mod common;

use std::path::PathBuf;
use std::process::Command;

/// A file of the shared reference data (`common::shared_dir`: `None`, after
/// its notice, when the directory is absent).
fn shared(rel: &str) -> Option<PathBuf> {
    common::shared_dir().map(|d| d.join(rel))
}

fn detente(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .output()
        .expect("run detente");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn eum_json_has_the_documented_shape() {
    let Some(p) = shared("data/forecast/eum/jmckib_ExampleActors.csv") else {
        return;
    };
    let (code, out, err) = detente(&[
        "forecast",
        p.to_str().unwrap(),
        "--model",
        "eum",
        "--preset",
        "scholz2011",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["model"], "eum");
    let issue = &j["issues"][0];
    assert_eq!(issue["actors"][1], "Belgium");
    assert_eq!(issue["rounds"].as_array().unwrap().len(), 11);
    assert_eq!(issue["rounds"][0][1], 7.0);
    let b1 = issue["rounds"][1][1].as_f64().unwrap();
    assert!((b1 - 8.4159).abs() < 5e-5, "{b1}");
    assert_eq!(issue["forecast"], 7.0);
}

#[test]
fn mean_text_and_csv() {
    let Some(p) = shared("data/forecast/eum/jmckib_ExampleActors.csv") else {
        return;
    };
    let (code, out, _) = detente(&["forecast", p.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("forecast: 7.389956"), "{out}");
    let (code, out, _) = detente(&[
        "forecast",
        p.to_str().unwrap(),
        "--model",
        "median",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("issue,round,actor,position\n"));
    assert!(out.trim_end().ends_with(",0,(forecast),7"), "{out}");
}

#[test]
fn smp_and_exchange_run_on_reference_files() {
    let (Some(k), Some(d)) = (
        shared("data/forecast/ktab/dummyData_3Dim.csv"),
        shared("data/forecast/decide/sample_data.csv"),
    ) else {
        return;
    };
    let (code, out, err) = detente(&[
        "forecast",
        k.to_str().unwrap(),
        "--model",
        "smp",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["issues"].as_array().unwrap().len(), 3);
    assert_eq!(j["issues"][0]["rounds"].as_array().unwrap().len(), 11);
    let (code, out, err) = detente(&[
        "forecast",
        d.to_str().unwrap(),
        "--model",
        "exchange",
        "--rounds",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["issues"].as_array().unwrap().len(), 6);
    assert_eq!(j["issues"][0]["rounds"].as_array().unwrap().len(), 4);
}

#[test]
fn bad_input_and_bad_usage() {
    let Some(p) = shared("data/forecast/decide/copenhagen_with_errors.csv") else {
        return;
    };
    let (code, _, err) = detente(&["forecast", p.to_str().unwrap(), "--model", "exchange"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("copenhagen_with_errors.csv:86:19: position 160"),
        "{err}"
    );
    let q = shared("data/forecast/eum/jmckib_ExampleActors.csv").unwrap_or_default();
    let (code, _, err) = detente(&[
        "forecast",
        q.to_str().unwrap_or(""),
        "--model",
        "eum",
        "--preset",
        "nope",
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = detente(&["forecast", "/nonexistent/file.csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent/file.csv"), "{err}");
}

#[test]
fn plots_are_written() {
    let Some(p) = shared("data/forecast/eum/jmckib_ExampleActors.csv") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("detente-forecast-plot-{}", std::process::id()));
    let (code, _, err) = detente(&[
        "forecast",
        p.to_str().unwrap(),
        "--model",
        "eum",
        "--plot",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let pos = std::fs::read_to_string(dir.join("positions-jmckib_ExampleActors.svg")).unwrap();
    assert!(pos.starts_with("<svg") && pos.trim_end().ends_with("</svg>"));
    let quad =
        std::fs::read_to_string(dir.join("quadrant-jmckib_ExampleActors-Belgium.svg")).unwrap();
    assert!(quad.contains("<circle"));
    let _ = std::fs::remove_dir_all(&dir);
}

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/dprk-russia-2024.toml"
);

fn json_of(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = detente(&all);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

#[test]
fn scenario_issue_is_forecast_from_its_point_estimates() {
    // tech_transfer: PRK 100 (s 90), RUS 40 (mode of [30, 40, 50], s 60),
    // CHN 15 (s 45), USA, KOR, JPN, UKR, GBR, FRA at 0; capabilities = CINC.
    // Σ c·s·x / Σ c·s by hand = 12.92758354402968.
    let j = json_of(&[
        "forecast",
        SCENARIO,
        "--issue",
        "tech_transfer",
        "--model",
        "mean",
    ]);
    let issue = &j["issues"][0];
    assert_eq!(issue["issue"], "tech_transfer");
    assert_eq!(issue["actors"][0], "PRK");
    assert_eq!(issue["actors"].as_array().unwrap().len(), 9);
    assert_eq!(issue["rounds"][0][0], 100.0);
    assert_eq!(issue["rounds"][0][1], 40.0);
    let f = issue["forecast"].as_f64().unwrap();
    assert!((f - 12.927_583_544_029_68).abs() < 1e-9, "{f}");
    let (code, out, err) = detente(&["forecast", SCENARIO, "--issue", "tech_transfer"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("issue: tech_transfer\nforecast: 12.927584"),
        "{out}"
    );
    // every model runs on the scenario's issue and stays on its 0-100 scale
    for model in ["median", "eum", "smp"] {
        let j = json_of(&[
            "forecast",
            SCENARIO,
            "--issue",
            "un_sanctions",
            "--model",
            model,
        ]);
        let f = j["issues"][0]["forecast"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&f), "{model}: {f}");
        assert_eq!(j["model"], model);
    }
}

#[test]
fn scenario_policy_changes_the_inputs() {
    let usa = |j: &serde_json::Value| {
        let i = &j["issues"][0];
        let k = i["actors"]
            .as_array()
            .unwrap()
            .iter()
            .position(|a| a == "USA")
            .unwrap();
        i["rounds"][0][k].as_f64().unwrap()
    };
    let base = json_of(&["forecast", SCENARIO, "--issue", "us_troops"]);
    let pull = json_of(&[
        "forecast",
        SCENARIO,
        "--issue",
        "us_troops",
        "--policy",
        "c_pullback",
    ]);
    assert_eq!(usa(&pull), 20.0);
    assert_ne!(usa(&base), 20.0);
    assert!(pull["issues"][0]["forecast"].as_f64() < base["issues"][0]["forecast"].as_f64());
}

#[test]
fn scenario_errors_name_the_choices() {
    let (code, _, err) = detente(&["forecast", SCENARIO, "--issue", "tech_transfr"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown issue `tech_transfr`"), "{err}");
    assert!(err.contains("did you mean `tech_transfer`?"), "{err}");
    let (code, _, err) = detente(&["forecast", SCENARIO]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("has 5 issues (un_sanctions, tech_transfer, us_troops, talks, rok_aid_ukraine); choose one with --issue ID"),
        "{err}"
    );
    let (code, _, err) = detente(&[
        "forecast", SCENARIO, "--issue", "talks", "--policy", "a_talk",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did you mean `a_talks`?"), "{err}");
    // a broken scenario: the parser's file:line:col error
    let dir = std::env::temp_dir().join(format!("detente-forecast-scen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[meta]\nid = \"x\"\ntitle = \n").unwrap();
    let (code, _, err) = detente(&["forecast", bad.to_str().unwrap(), "--issue", "a"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("bad.toml:3:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
    // --policy needs a scenario
    let Some(p) = shared("data/forecast/eum/jmckib_ExampleActors.csv") else {
        return;
    };
    let (code, _, err) = detente(&["forecast", p.to_str().unwrap(), "--policy", "x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--policy needs a scenario"), "{err}");
}

#[test]
fn csv_issue_selects_one_dimension() {
    let Some(p) = shared("data/forecast/decide/sample_data.csv") else {
        return;
    };
    let j = json_of(&[
        "forecast",
        p.to_str().unwrap(),
        "--issue",
        "tol-hoogte",
        "--model",
        "median",
    ]);
    assert_eq!(j["issues"].as_array().unwrap().len(), 1);
    assert_eq!(j["issues"][0]["issue"], "tol-hoogte");
    let (code, _, err) = detente(&["forecast", p.to_str().unwrap(), "--issue", "nope"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("unknown issue `nope`") && err.contains("tol-hoogte"),
        "{err}"
    );
}

/// Every output path (text, csv, json, --plot) of every model.
#[test]
fn every_output_of_every_model() {
    let (Some(eum_file), Some(ktab), Some(decide)) = (
        shared("data/forecast/eum/jmckib_ExampleActors.csv"),
        shared("data/forecast/ktab/dummyData_3Dim.csv"),
        shared("data/forecast/decide/sample_data.csv"),
    ) else {
        return;
    };
    let cases: [(&str, &PathBuf, &[&str], usize); 5] = [
        ("mean", &eum_file, &[], 1),
        ("median", &eum_file, &[], 1),
        ("eum", &eum_file, &["--rounds", "3"], 1),
        ("smp", &ktab, &["--rounds", "3"], 3),
        ("exchange", &decide, &["--rounds", "2"], 6),
    ];
    let dir = std::env::temp_dir().join(format!("detente-forecast-all-{}", std::process::id()));
    for (model, file, extra, n_issues) in cases {
        let base: Vec<&str> = ["forecast", file.to_str().unwrap(), "--model", model]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        // json
        let j = json_of(&base);
        assert_eq!(j["model"], model);
        let issues = j["issues"].as_array().unwrap();
        assert_eq!(issues.len(), n_issues, "{model}");
        let rounds = issues[0]["rounds"].as_array().unwrap().len();
        // text
        let (code, text, err) = detente(&[&base[..], &["--format", "text"][..]].concat());
        assert_eq!(code, 0, "{model}: {err}");
        assert!(
            text.starts_with(&format!("model: {model}")),
            "{model}: {text}"
        );
        assert_eq!(
            text.matches("\nforecast: ").count(),
            n_issues,
            "{model}: {text}"
        );
        // csv: one row per actor per round, plus the forecast row, per issue
        let (code, csv, err) = detente(&[&base[..], &["--format", "csv"][..]].concat());
        assert_eq!(code, 0, "{model}: {err}");
        assert!(csv.starts_with("issue,round,actor,position\n"), "{model}");
        let actors = issues[0]["actors"].as_array().unwrap().len();
        let first = issues[0]["issue"].as_str().unwrap();
        let rows = csv
            .lines()
            .filter(|l| l.starts_with(&format!("{first},")))
            .count();
        assert_eq!(rows, actors * rounds + 1, "{model}");
        assert_eq!(csv.matches(",(forecast),").count(), n_issues, "{model}");
        // plots: positions by round per issue; quadrant charts for the EUM only
        let out = dir.join(model);
        let (code, _, err) = detente(&[&base[..], &["--plot", out.to_str().unwrap()][..]].concat());
        assert_eq!(code, 0, "{model}: {err}");
        let files: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let positions = files.iter().filter(|f| f.starts_with("positions-")).count();
        let quadrants = files.iter().filter(|f| f.starts_with("quadrant-")).count();
        assert_eq!(positions, n_issues, "{model}: {files:?}");
        assert_eq!(quadrants, if model == "eum" { 10 } else { 0 }, "{model}");
        for f in &files {
            let svg = std::fs::read_to_string(out.join(f)).unwrap();
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{f}"
            );
            assert!(!svg.contains("NaN"), "{f}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn smp_variants_from_the_command_line() {
    let Some(k) = shared("data/forecast/ktab/SOE-Pol-Comp.csv") else {
        return;
    };
    let f = k.to_str().unwrap();
    let run = |extra: &[&str]| json_of(&[&["forecast", f, "--model", "smp"][..], extra].concat());
    let a = run(&["--stochastic", "--seed", "3"]);
    assert_eq!(a, run(&["--stochastic", "--seed", "3"]));
    assert_eq!(a["options"]["transition"]["stochastic"]["seed"], 3);
    let det = run(&[]);
    assert_eq!(det["options"]["transition"], "deterministic");
    assert_eq!(det["options"]["accommodation"], "identity");
    // a = 1 is the identity: the same run as the default
    let one = run(&["--accommodation", "1"]);
    for (x, y) in one["issues"]
        .as_array()
        .unwrap()
        .iter()
        .zip(det["issues"].as_array().unwrap())
    {
        assert_eq!(x["rounds"], y["rounds"]);
        assert_eq!(x["forecast"], y["forecast"]);
    }
    let half = run(&["--accommodation", "0.5"]);
    assert_eq!(half["options"]["accommodation"]["uniform"], 0.5);
    assert!(half["issues"][0]["diagnostics"][1]["ideals"].is_array());
    for bad in [
        &["--model", "smp", "--accommodation", "1.5"][..],
        &["--model", "mean", "--stochastic"][..],
    ] {
        let (code, _, err) = detente(&[&["forecast", f][..], bad].concat());
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
}
