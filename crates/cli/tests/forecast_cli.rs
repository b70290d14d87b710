//! `detente forecast` end to end, on the reference data in ../shared (skipped
//! with a notice when absent, unless DETENTE_REQUIRE_SHARED=1).

use std::path::PathBuf;
use std::process::Command;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")).join(rel);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("DETENTE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("DETENTE_REQUIRE_SHARED=1 but {} is missing", p.display());
    }
    eprintln!("notice: {} not found; skipping", p.display());
    None
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
