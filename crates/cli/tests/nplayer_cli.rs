//! `detente solve` with the n-player methods: the form a tree is solved on
//! (agent form or reduced normal form), logit's `--lambda` and `--branch`,
//! and `--max-time`; running the built binary on real game files.

mod common;

use common::{detente, shared_dir, success_json as json, success_stdout as out};

fn game(rel: &str) -> Option<String> {
    Some(
        shared_dir()?
            .join("games/gambit")
            .join(rel)
            .to_string_lossy()
            .into_owned(),
    )
}

fn nums(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(a) => a.iter().flat_map(nums).collect(),
        serde_json::Value::Number(n) => vec![n.as_f64().unwrap_or(f64::NAN)],
        _ => vec![f64::NAN],
    }
}

#[test]
fn trees_say_which_form() {
    let Some(f) = game("contrib/2x2x2.efg") else {
        return;
    };
    // Agent form by default for logit and liap (behaviour profiles).
    for m in ["logit", "liap"] {
        let o = detente(&["solve", &f, "--method", m]);
        let s = out(&o);
        assert!(s.starts_with("# agent form"), "{m}: {s}");
        let v = json(&detente(&["solve", &f, "--method", m, "--format", "json"]));
        assert_eq!(v["form"], "agent form", "{m}");
        assert_eq!(v["representation"], "behavior");
        for e in v["equilibria"].as_array().cloned().unwrap_or_default() {
            assert_eq!(e["verified"], true);
            // One information set per player, two actions each.
            assert_eq!(e["profile"].as_array().map(Vec::len), Some(3));
            assert!(e["agent_max_regret"].as_f64().is_some_and(|r| r <= 12e-9));
            assert_eq!(e["nash"], true);
        }
    }
    // The reduced normal form with --strategic and for the other methods.
    for (m, extra) in [
        ("logit", Some("--strategic")),
        ("simpdiv", None),
        ("gnm", None),
        ("enumpure", None),
    ] {
        let mut a = vec!["solve", f.as_str(), "--method", m];
        a.extend(extra);
        let s = out(&detente(&a));
        assert!(s.starts_with("# reduced normal form"), "{m}: {s}");
        a.extend(["--format", "json"]);
        assert_eq!(json(&detente(&a))["form"], "reduced normal form", "{m}");
    }
    // Strategic files state their form in JSON only; text stays Gambit's.
    let Some(n) = game("contrib/2x2x2.nfg") else {
        return;
    };
    let s = out(&detente(&["solve", &n, "--method", "logit"]));
    assert!(s.starts_with("NE,"), "{s}");
    let v = json(&detente(&[
        "solve", &n, "--method", "logit", "--format", "json",
    ]));
    assert_eq!(v["form"], "normal form");
}

#[test]
fn agent_logit_passes_gambits_bifurcation() {
    // Gambit's logit returns a profile with regret 0.21 on this tree; ours
    // is verified on the tree (agent and Nash regret).
    let Some(f) = game("contrib/2x2x2.efg") else {
        return;
    };
    let v = json(&detente(&[
        "solve", &f, "--method", "logit", "--format", "json",
    ]));
    let eqs = v["equilibria"].as_array().cloned().unwrap_or_default();
    assert_eq!(eqs.len(), 1);
    assert!(eqs[0]["nash_max_regret"]
        .as_f64()
        .is_some_and(|r| r <= 12e-9));
    let p = nums(&eqs[0]["profile"]);
    let want = [0.5, 0.5, 0.5, 0.5, 1.0, 0.0];
    assert!(
        p.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-9),
        "{p:?}"
    );
}

#[test]
fn logit_lambda_and_branch() {
    let Some(f) = game("contrib/2x2x2.nfg") else {
        return;
    };
    // The QRE at λ = 2: λ echoed, an interior distribution per player.
    let v = json(&detente(&[
        "solve", &f, "--method", "logit", "--lambda", "2", "--format", "json",
    ]));
    assert_eq!(v["qre"]["lambda"].as_f64(), Some(2.0));
    let p = nums(&v["qre"]["profile"]);
    assert_eq!(p.len(), 6);
    for pair in p.chunks(2) {
        assert!((pair[0] + pair[1] - 1.0).abs() < 1e-12 && pair.iter().all(|x| *x > 0.0));
    }
    // Branch: rows increase in λ, at most --max-points, start at the
    // centroid, end near the Nash equilibrium ((1/2,1/2),(1/2,1/2),(1,0)).
    let v = json(&detente(&[
        "solve",
        &f,
        "--method",
        "logit",
        "--branch",
        "--max-points",
        "7",
        "--format",
        "json",
    ]));
    let rows = v["branch"].as_array().cloned().unwrap_or_default();
    assert!(rows.len() <= 7 && rows.len() >= 3, "{}", rows.len());
    let lambdas: Vec<f64> = rows.iter().filter_map(|r| r["lambda"].as_f64()).collect();
    assert_eq!(lambdas.len(), rows.len());
    assert!(lambdas.windows(2).all(|w| w[1] > w[0]), "{lambdas:?}");
    assert_eq!(lambdas[0], 0.0);
    let last = nums(&rows[rows.len() - 1]["profile"]);
    assert!((last[4] - 1.0).abs() < 1e-6, "{last:?}");
    // The McKelvey–McLennan branch passes one bifurcation near λ ≈ 0.6,
    // listed in JSON, said in the note of `solve`.
    let bif = nums(&v["bifurcations"]);
    assert!(bif.len() == 1 && (0.5..0.7).contains(&bif[0]), "{bif:?}");
    let o = detente(&["solve", &f, "--method", "logit"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bifurcation point near λ = "), "{err}");
    // CSV: header lambda + one column per strategy; text: a table.
    let csv = out(&detente(&[
        "solve",
        &f,
        "--method",
        "logit",
        "--branch",
        "--max-lambda",
        "5",
        "--format",
        "csv",
    ]));
    let mut lines = csv.lines();
    assert_eq!(lines.next().map(|h| h.split(',').count()), Some(7));
    for l in lines {
        let cells: Vec<f64> = l.split(',').filter_map(|c| c.parse().ok()).collect();
        assert_eq!(cells.len(), 7, "{l}");
        assert!(cells[0] <= 5.5, "{l}");
    }
    let text = out(&detente(&["solve", &f, "--method", "logit", "--branch"]));
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("lambda")),
        "{text}"
    );
    // On a tree: the agent QRE, columns per information set and action.
    let Some(t) = game("contrib/2x2x2.efg") else {
        return;
    };
    let v = json(&detente(&[
        "solve", &t, "--method", "logit", "--lambda", "1", "--format", "json",
    ]));
    assert_eq!(v["form"], "agent form");
    assert_eq!(nums(&v["qre"]["profile"]).len(), 6);
}

#[test]
fn logit_options_are_checked() {
    let Some(f) = game("contrib/2x2x2.nfg") else {
        return;
    };
    for bad in [
        vec!["--method", "gnm", "--lambda", "1"],
        vec!["--method", "logit", "--lambda", "-1"],
        vec!["--method", "logit", "--lambda", "1", "--branch"],
        vec!["--method", "logit", "--max-points", "3"],
        vec!["--method", "gnm", "--max-time", "0"],
        vec!["--method", "gnm", "--max-steps", "0"],
        vec!["--method", "gnm", "--random-starts", "3"],
        vec!["--method", "ipa", "--seed", "3"],
        vec!["--method", "gnm", "--gametracer-rounds"],
        vec!["--method", "liap", "--random-starts", "-1"],
        vec!["--method", "liap", "--random-starts", "2000000"],
        vec!["--method", "gnm", "--start", "centroid"],
        vec!["--method", "simpdiv", "--start", "middle"],
    ] {
        let mut a = vec!["solve", f.as_str()];
        a.extend(bad.iter().copied());
        let o = detente(&a);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{bad:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn help_documents_the_new_options() {
    let o = detente(&["solve", "--help"]);
    let h = out(&o);
    for s in [
        "--lambda",
        "--branch",
        "--max-points",
        "--max-time",
        "--max-steps",
        "--random-starts",
        "--seed",
        "--gametracer-rounds",
        "agent form",
        "heuristic",
    ] {
        assert!(h.contains(s), "{s} missing from solve --help");
    }
}

#[test]
fn a_step_budget_is_obeyed_and_said() {
    // Two basic steps are too few for any iterative method on this game
    // (nine equilibria, none found by a first step): each must stop, say
    // that its budget ran out, and print only verified equilibria.
    let Some(f) = game("contrib/2x2x2.nfg") else {
        return;
    };
    for method in ["simpdiv", "gnm", "ipa", "logit", "liap", "enumpoly"] {
        let mut a = vec![
            "solve",
            f.as_str(),
            "--method",
            method,
            "--max-steps",
            "2",
            "--format",
            "json",
        ];
        // simpdiv's default start (everyone's first strategy) is itself an
        // equilibrium of this game, found at the first label.
        if method == "simpdiv" {
            a.extend(["--start", "centroid"]);
        }
        let o = detente(&a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("the budget ran out"),
            "{method}: no word on the budget: {err}"
        );
        if o.status.success() {
            let v = json(&o);
            for e in v["equilibria"].as_array().into_iter().flatten() {
                assert_eq!(e["verified"], true, "{method}: {e}");
            }
        }
    }
}

#[test]
fn liap_starts_are_the_users_to_choose() {
    // `--random-starts 0` runs Gambit's single start (the centroid); more
    // starts find more of this game's nine equilibria; a seed gives the
    // same answers every time, on strategic forms and on trees alike.
    let (Some(f), Some(t)) = (game("contrib/2x2x2.nfg"), game("contrib/2x2x2.efg")) else {
        return;
    };
    let count = |file: &str, extra: &[&str]| {
        let mut a = vec!["solve", file, "--method", "liap", "--format", "json"];
        a.extend(extra.iter().copied());
        let v = json(&detente(&a));
        let eqs = v["equilibria"].as_array().cloned().unwrap_or_default();
        for e in &eqs {
            assert_eq!(e["verified"], true, "{extra:?}: {e}");
        }
        (eqs.len(), v["equilibria"].to_string())
    };
    for file in [f.as_str(), t.as_str()] {
        let (one, _) = count(file, &["--random-starts", "0"]);
        assert_eq!(one, 1, "{file}: the centroid alone gives one equilibrium");
        let (many, a) = count(file, &["--random-starts", "40", "--seed", "7"]);
        assert!(many > one, "{file}: 40 random starts found {many}");
        let (_, b) = count(file, &["--random-starts", "40", "--seed", "7"]);
        assert_eq!(a, b, "{file}: the same seed must give the same answers");
    }
}

#[test]
fn simpdiv_starts_where_gambit_starts() {
    // gambit-simpdiv starts at everyone's first strategy, pygambit's
    // documentation at the centroid; Detente reaches Gambit's answer from
    // either (`reference.json` and pygambit 16.7 on contrib/2x2x2.nfg), and
    // random starts are reproducible.
    let Some(f) = game("contrib/2x2x2.nfg") else {
        return;
    };
    let run = |extra: &[&str]| {
        let mut a = vec![
            "solve",
            f.as_str(),
            "--method",
            "simpdiv",
            "--format",
            "json",
        ];
        a.extend(extra.iter().copied());
        let v = json(&detente(&a));
        let eqs = v["equilibria"].as_array().cloned().unwrap_or_default();
        for e in &eqs {
            assert_eq!(e["verified"], true, "{extra:?}: {e}");
        }
        eqs.iter().map(|e| nums(&e["profile"])).collect::<Vec<_>>()
    };
    assert_eq!(run(&[]), vec![vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]]);
    assert_eq!(run(&["--start", "first"]), run(&[]));
    assert_eq!(
        run(&["--start", "centroid"]),
        vec![vec![0.5, 0.5, 0.5, 0.5, 1.0, 0.0]]
    );
    let a = run(&["--random-starts", "6", "--seed", "4"]);
    assert!(a.len() >= 2, "6 random starts found {} equilibria", a.len());
    assert_eq!(a, run(&["--random-starts", "6", "--seed", "4"]));
}

/// ipa's shortcut and Gametracer's full rounds reach the same equilibrium
/// on `contrib/g1.nfg` (Gambit 16.7's `ipa_solve`: (1/5, 4/5), (3/7, 4/7),
/// (2/3, 1/3)), the shortcut in fewer rounds.
#[test]
fn ipa_shortcut_and_gametracer_rounds_agree() {
    let Some(f) = game("contrib/g1.nfg") else {
        return;
    };
    let gambit = [0.2, 0.8, 3.0 / 7.0, 4.0 / 7.0, 2.0 / 3.0, 1.0 / 3.0];
    for extra in [&[][..], &["--gametracer-rounds"][..]] {
        let mut a = vec!["solve", f.as_str(), "--method", "ipa", "--format", "json"];
        a.extend(extra.iter().copied());
        let v = json(&detente(&a));
        let eqs = v["equilibria"].as_array().cloned().unwrap_or_default();
        assert_eq!(eqs.len(), 1, "{extra:?}: {v}");
        let p = nums(&eqs[0]["profile"]);
        assert_eq!(p.len(), gambit.len(), "{extra:?}: {v}");
        for (x, y) in p.iter().zip(&gambit) {
            assert!((x - y).abs() < 1e-9, "{extra:?}: {p:?}");
        }
    }
}

/// Ctrl-C (SIGINT) stops a long run without losing what it found: the
/// verified equilibria so far are printed and the run says it was
/// interrupted (enumpoly on a 4-player game runs 30 s to its budget).
#[test]
fn an_interrupted_run_prints_what_it_found() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../bench/nplayer/games/rand_4p_4x4x4x4_1.nfg"
    );
    let o = common::interrupted_after(
        &["solve", file, "--method", "enumpoly", "--format", "json"],
        2,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("enumpoly: interrupted (Ctrl-C); the equilibria printed are verified"),
        "{err}"
    );
    assert!(err.contains("interrupted (stop requested) after"), "{err}");
    let v = json(&o);
    let eqs = v["equilibria"].as_array().cloned().unwrap_or_default();
    for e in &eqs {
        assert_eq!(nums(&e["profile"]).len(), 16, "{e}");
    }
    eprintln!("interrupted after 2 s: {} equilibria printed", eqs.len());
}
