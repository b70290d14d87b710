//! `detente solve` and `detente info` on real game files, running the built
//! binary.

mod common;

use common::{detente, shared_dir};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn game(rel: &str) -> Option<String> {
    Some(
        shared_dir()?
            .join("games/gambit")
            .join(rel)
            .to_string_lossy()
            .into_owned(),
    )
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn reference(rel: &str, method: &str) -> Vec<String> {
    let dir = shared_dir().expect("shared");
    let text = std::fs::read_to_string(dir.join("games/gambit/reference.json")).expect("ref");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut lines: Vec<String> = doc["games"][rel]["methods"][method]["equilibria"]
        .as_array()
        .expect("equilibria")
        .iter()
        .map(|e| {
            let mut s = String::from("NE");
            for p in e["profile"].as_array().expect("profile") {
                for v in p.as_array().expect("player") {
                    s.push(',');
                    s.push_str(v.as_str().expect("exact"));
                }
            }
            s
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

fn sorted_lines(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s.lines().map(str::to_string).collect();
    v.sort();
    v
}

#[test]
fn default_method_for_two_players_is_enummixed() {
    let Some(f) = game("contrib/coord3.nfg") else {
        return;
    };
    let o = detente(&["solve", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sorted_lines(&stdout(&o)),
        reference("contrib/coord3.nfg", "enummixed")
    );
}

#[test]
fn lcp_text_matches_gambit_lines() {
    for rel in [
        "catalog/journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg",
        "catalog/journals/other/shapley1974/fig3.nfg",
        "contrib/deg2.nfg",
    ] {
        let Some(f) = game(rel) else { return };
        let o = detente(&["solve", &f, "--method", "lcp"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(sorted_lines(&stdout(&o)), reference(rel, "lcp"), "{rel}");
    }
}

#[test]
fn json_exact_numbers_are_strings() {
    let Some(f) = game("contrib/e04.nfg") else {
        return;
    };
    let o = detente(&["solve", &f, "--method", "lcp", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(v["method"], "lcp");
    let eqs = v["equilibria"].as_array().expect("list");
    assert_eq!(eqs.len(), 3);
    for e in eqs {
        assert_eq!(e["profile"].as_array().expect("players").len(), 2);
        assert_eq!(e["profile"][0].as_array().expect("p1").len(), 3);
        assert!(e["profile"][0][0].is_string());
        assert!(e["payoffs"][1].is_string());
        assert_eq!(e["verified"], true);
        assert_eq!(e["max_regret"], "0");
    }
}

#[test]
fn float_json_numbers_are_numbers() {
    let Some(f) = game("contrib/coord3.nfg") else {
        return;
    };
    let o = detente(&[
        "solve", &f, "--method", "lcp", "--float", "--format", "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["arithmetic"], "float");
    let eqs = v["equilibria"].as_array().expect("list");
    assert_eq!(eqs.len(), 7);
    for e in eqs {
        let p: f64 = e["profile"][0]
            .as_array()
            .expect("p1")
            .iter()
            .map(|x| x.as_f64().expect("number"))
            .sum();
        assert!((p - 1.0).abs() < 1e-9);
    }
}

#[test]
fn lp_on_a_tree_gives_the_value() {
    let Some(f) = game("doc/poker.efg") else {
        return;
    };
    let o = detente(&["solve", &f, "--method", "lp", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["value"], "1/3");
    assert_eq!(v["equilibria"][0]["payoffs"][0], "1/3");
}

#[test]
fn lp_refuses_general_sum_games_as_bad_input() {
    let Some(f) = game("contrib/pd.nfg") else {
        return;
    };
    let o = detente(&["solve", &f, "--method", "lp"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("constant-sum") && e.contains("pd.nfg"), "{e}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn usage_errors_exit_two() {
    let Some(f) = game("contrib/pd.nfg") else {
        return;
    };
    let o = detente(&["solve", &f, "--method", "simplex-magic"]);
    assert_eq!(o.status.code(), Some(2));
    let o = detente(&["solve", &f, "--start-label", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = detente(&["solve", &f, "--method", "lcp", "--start-label", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let Some(t) = game("contrib/e04.efg") else {
        return;
    };
    let o = detente(&["solve", &t, "--method", "spe", "--strategic"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--strategic does not apply"),
        "{}",
        stderr(&o)
    );
}

/// enummixed honours --max-time: the 81x256 reduced form of a poker tree
/// (Gambit's enummixed does not finish it in 20 s) stops at the limit,
/// says so once, and prints the extreme equilibria among the vertices
/// enumerated so far, marked incomplete in JSON.
#[test]
fn enummixed_stops_at_the_time_limit() {
    let Some(f) = game("contrib/4cards.efg") else {
        return;
    };
    let start = std::time::Instant::now();
    let o = detente(&[
        "solve",
        &f,
        "--method",
        "enummixed",
        "--max-time",
        "0.5",
        "--format",
        "json",
    ]);
    let v = common::success_json(&o);
    let e = stderr(&o);
    assert!(
        e.contains("detente: enummixed: time limit reached while enumerating"),
        "{e}"
    );
    assert!(e.contains("the enumeration did not finish"), "{e}");
    assert!(!e.contains("enummixed: enummixed"), "{e}");
    assert_eq!(e.matches("time limit reached").count(), 1, "{e}");
    assert_eq!(v["complete"], false, "{v}");
    assert!(v["stopped"]
        .as_str()
        .unwrap_or("")
        .starts_with("time limit reached"));
    for eq in v["equilibria"].as_array().cloned().unwrap_or_default() {
        assert_eq!(eq["verified"], true);
    }
    assert!(start.elapsed().as_secs_f64() < 20.0);
    // The text output says so in a comment line.
    let o = detente(&["solve", &f, "--max-time", "0.2"]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.lines()
            .any(|l| l.starts_with("# incomplete: time limit reached")),
        "{t}"
    );
}

/// Ctrl-C stops enummixed as it stops the iterative methods: what was
/// found is printed, marked incomplete.
#[test]
fn enummixed_stops_on_ctrl_c() {
    let Some(f) = game("contrib/4cards.efg") else {
        return;
    };
    let o = common::interrupted_after(
        &["solve", &f, "--method", "enummixed", "--format", "json"],
        1,
    );
    let e = stderr(&o);
    assert!(
        e.contains("detente: enummixed: interrupted (Ctrl-C); "),
        "{e}"
    );
    assert!(e.contains("the enumeration did not finish"), "{e}");
    let v = common::success_json(&o);
    assert_eq!(v["complete"], false, "{v}");
    assert_eq!(v["stopped"], "interrupted (Ctrl-C)");
}

#[test]
fn two_player_methods_refuse_three_players() {
    let Some(f) = game("contrib/2x2x2.nfg") else {
        return;
    };
    for m in ["lcp", "lp", "enummixed"] {
        let o = detente(&["solve", &f, "--method", m]);
        assert_eq!(o.status.code(), Some(1), "{m}");
        assert!(stderr(&o).contains("two-player"), "{m}: {}", stderr(&o));
    }
    // Default for three players: all pure equilibria.
    let o = detente(&["solve", &f]);
    assert!(o.status.success());
    assert_eq!(
        sorted_lines(&stdout(&o)),
        reference("contrib/2x2x2.nfg", "enumpure")
    );
}

#[test]
fn reads_standard_input() {
    let Some(f) = game("contrib/pd.nfg") else {
        return;
    };
    let text = std::fs::read(&f).expect("read");
    let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(["solve", "-", "--method", "enumpure"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&text)
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sorted_lines(&stdout(&o)),
        reference("contrib/pd.nfg", "enumpure")
    );
}

#[test]
fn malformed_file_names_line_and_column() {
    let dir = std::env::temp_dir().join(format!("detente-solve-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let path = dir.join("bad.nfg");
    std::fs::write(&path, "NFG 1 R \"bad\" { \"a\" \"b\" } { 2 2 }\n1 2 3 x\n").expect("write");
    let p = path.to_string_lossy().into_owned();
    let o = detente(&["solve", &p]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains(&format!("{p}:2:")), "{e}");
    let o = detente(&["info", &p]);
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
    let o = detente(&["solve", "/nonexistent/game.nfg"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/game.nfg"));
}

#[test]
fn csv_long_form() {
    let Some(f) = game("contrib/pd.nfg") else {
        return;
    };
    let o = detente(&["solve", &f, "--method", "enumpure", "--format", "csv"]);
    assert!(o.status.success());
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("equilibrium,player,strategy,probability")
    );
    assert_eq!(lines.count(), 4);
}

#[test]
fn eliminating_dominated_strategies_keeps_equilibria() {
    for rel in ["contrib/mixdom.nfg", "contrib/todd3.nfg", "contrib/sh3.nfg"] {
        let Some(f) = game(rel) else { return };
        let plain = detente(&["solve", &f]);
        assert!(plain.status.success());
        for kind in ["--eliminate-dominated", "--eliminate-dominated=mixed"] {
            let o = detente(&["solve", &f, kind]);
            assert!(o.status.success(), "{rel} {kind}: {}", stderr(&o));
            assert_eq!(
                sorted_lines(&stdout(&o)),
                sorted_lines(&stdout(&plain)),
                "{rel} {kind}"
            );
        }
    }
}

#[test]
fn solve_stop_after_and_start_label() {
    let Some(f) = game("contrib/coord4.nfg") else {
        return;
    };
    let o = detente(&["solve", &f, "--method", "lcp", "--stop-after", "2"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().count(), 2);
    let o = detente(&["solve", &f, "--method", "lcp", "--start-label", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1);
    let o = detente(&["solve", &f, "--method", "lcp", "--start-label", "9"]);
    assert_eq!(o.status.code(), Some(1), "label beyond 8 strategies");
}

#[test]
fn info_reports_dominance() {
    let Some(f) = game("contrib/mixdom.nfg") else {
        return;
    };
    let o = detente(&["info", &f, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["shape"], serde_json::json!([4, 4]));
    assert_eq!(v["cells"], 16);
    assert_eq!(v["constant_sum"], true);
    assert_eq!(v["dominated_pure"].as_array().expect("list").len(), 0);
    assert!(!v["dominated_mixed"].as_array().expect("list").is_empty());
    assert_eq!(v["undominated_shape"], serde_json::json!([1, 1]));
    let o = detente(&["info", &f]);
    assert!(o.status.success());
    let t = stdout(&o);
    assert!(t.contains("constant-sum: yes"), "{t}");
    assert!(t.contains("mixture"), "{t}");
}

#[test]
fn info_on_a_tree() {
    let Some(f) = game("doc/poker.efg") else {
        return;
    };
    let o = detente(&["info", &f, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["format"], "efg");
    assert_eq!(v["shape"], serde_json::json!([4, 2]));
    assert_eq!(v["tree"]["perfect_recall"], true);
}
