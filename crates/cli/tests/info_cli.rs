//! `detente info`: which dominance checks run on which sizes, and the text
//! output's strategy lists, on games written by the test itself.

use std::path::PathBuf;
use std::process::{Command, Output};

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .output()
        .expect("run detente")
}

/// A two-player game with `m` × `n` strategies in Gambit's payoff-list form,
/// where player 1's last strategy is strictly dominated by the mixture of
/// its first two (and by no pure strategy).
fn write_game(name: &str, m: usize, n: usize) -> PathBuf {
    let mut s = format!("NFG 1 R \"info test\" {{ \"1\" \"2\" }} {{ {m} {n} }}\n");
    for j in 0..n {
        for i in 0..m {
            // Row 0 pays 4 against even columns, row 1 against odd ones;
            // the last row pays 1 everywhere; the rest pay 0.
            let u1 = match i {
                0 if j % 2 == 0 => 4,
                1 if j % 2 == 1 => 4,
                _ if i == m - 1 => 1,
                _ => 0,
            };
            // Player 2 is indifferent: none of its strategies is dominated.
            let u2 = 0;
            s.push_str(&format!("{u1} {u2} "));
        }
    }
    s.push('\n');
    write_temp(name, &s)
}

/// Writes `text` to `name` in this test run's temporary folder.
fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("detente-info-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("json")
}

#[test]
fn small_games_get_mixed_dominance_by_default() {
    let f = write_game("small.nfg", 3, 4);
    let v = json(&detente(&[
        "info",
        f.to_str().expect("path"),
        "--format",
        "json",
    ]));
    assert_eq!(v["dominated_pure"].as_array().expect("checked").len(), 0);
    let mixed = v["dominated_mixed"].as_array().expect("checked");
    assert!(!mixed.is_empty(), "{v}");
    assert!(v.get("dominance_not_checked").is_none(), "{v}");
}

#[test]
fn large_games_skip_mixed_dominance_unless_asked() {
    // 101 × 100 = 10,100 cells: over the default limit of 10,000.
    let f = write_game("large.nfg", 101, 100);
    let path = f.to_str().expect("path");
    let v = json(&detente(&["info", path, "--format", "json"]));
    assert!(v["dominated_mixed"].is_null(), "{v}");
    assert!(v["dominated_pure"].is_array(), "{v}");
    let why = v["dominance_not_checked"]["mixed"]
        .as_str()
        .expect("reason");
    assert!(why.contains("10100 cells"), "{why}");
    assert!(why.contains("--dominance mixed"), "{why}");

    let o = detente(&["info", path]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("(mixed dominance): not checked"), "{text}");
    // Long strategy lists are cut in the text output.
    assert!(
        text.contains("… and 77 more (--all-labels lists them)"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() < 400), "{text}");

    let v = json(&detente(&[
        "info",
        path,
        "--format",
        "json",
        "--dominance",
        "mixed",
    ]));
    let mixed = v["dominated_mixed"].as_array().expect("checked when asked");
    assert!(
        !mixed.is_empty(),
        "the last row is dominated by a mixture: {v}"
    );
}

#[test]
fn dominance_none_checks_nothing() {
    let f = write_game("none.nfg", 3, 4);
    let v = json(&detente(&[
        "info",
        f.to_str().expect("path"),
        "--format",
        "json",
        "--dominance",
        "none",
    ]));
    assert!(
        v["dominated_pure"].is_null() && v["dominated_mixed"].is_null(),
        "{v}"
    );
    assert!(v["undominated_shape"].is_null(), "{v}");
    assert_eq!(
        v["dominance_not_checked"]["pure"],
        "not checked (--dominance)"
    );
}

#[test]
fn all_labels_lists_every_strategy() {
    let f = write_game("labels.nfg", 30, 2);
    let o = detente(&[
        "info",
        f.to_str().expect("path"),
        "--all-labels",
        "--dominance",
        "none",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("more (--all-labels"), "{text}");
    assert!(text.contains("30 strategies: 1, 2,"), "{text}");
}

/// A perfect-information binary tree of depth `depth`, the players
/// alternating, every node its own information set; leaf `i` pays
/// `(i, -i)` (a zero-sum game).
fn write_binary_tree(name: &str, depth: u32) -> PathBuf {
    fn node(s: &mut String, level: u32, depth: u32, next_set: &mut [usize; 2], leaf: &mut usize) {
        if level == depth {
            *leaf += 1;
            s.push_str(&format!(
                "t \"\" {leaf} \"\" {{ {leaf}, -{leaf} }}\n",
                leaf = *leaf
            ));
            return;
        }
        let p = (level % 2) as usize;
        next_set[p] += 1;
        s.push_str(&format!(
            "p \"\" {} {} \"\" {{ \"l\" \"r\" }} 0\n",
            p + 1,
            next_set[p]
        ));
        node(s, level + 1, depth, next_set, leaf);
        node(s, level + 1, depth, next_set, leaf);
    }
    let mut s = String::from("EFG 2 R \"binary tree\" { \"1\" \"2\" }\n\"\"\n\n");
    node(&mut s, 0, depth, &mut [0, 0], &mut 0);
    write_temp(name, &s)
}

#[test]
fn trees_too_large_for_a_strategic_form_are_described() {
    // Depth 12: player 1 moves at levels 0, 2, …, 10 (1,365 sets), player 2
    // at 1, 3, …, 11 (2,730): far beyond the strategic form's limit.
    let f = write_binary_tree("big.efg", 12);
    let f = f.to_string_lossy();
    let o = detente(&["info", &f]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    for want in [
        "tree: 8191 nodes, 4096 terminal, perfect recall, perfect information",
        "1 1: 1365 information sets, 2730 actions",
        "2 2: 2730 information sets, 5460 actions",
        "constant-sum: yes",
        "payoff range: [-4096, 4096]",
        "strategic form: not built (the reduced strategic form",
        "methods that solve the tree itself: lcp, lp, logit, liap, spe",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    let v = json(&detente(&["info", &f, "--format", "json"]));
    assert_eq!(
        v["tree"]["information_sets"],
        serde_json::json!([1365, 2730])
    );
    assert_eq!(v["constant_sum"], true);
    assert!(v["strategic_form_not_built"]
        .as_str()
        .is_some_and(|s| s.contains("more than")));
    // A small tree still lists its strategic form.
    let small = write_binary_tree("small.efg", 3);
    let v = json(&detente(&[
        "info",
        &small.to_string_lossy(),
        "--format",
        "json",
    ]));
    assert_eq!(v["shape"], serde_json::json!([8, 4]));
    // The `tree` object has the same fields on both paths.
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v["tree"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    };
    let big = json(&detente(&["info", &f, "--format", "json"]));
    assert_eq!(keys(&v), keys(&big));
    assert_eq!(v["tree"]["information_sets"], serde_json::json!([5, 2]));
    assert_eq!(v["tree"]["perfect_information"], true);
    let text =
        String::from_utf8_lossy(&detente(&["info", &small.to_string_lossy()]).stdout).into_owned();
    assert!(
        text.contains("tree: 15 nodes, 8 terminal, perfect recall, perfect information; strategies below are the reduced strategic form"),
        "{text}"
    );
}
