//! Reads all 234 example games shipped with Gambit and checks them against
//! the answers pygambit 16.7 gave (`../shared/games/gambit/reference.json`):
//! players, strategy labels and shape (the reduced strategic form for
//! trees), constant-sum, payoff range, tree statistics, information sets
//! in behaviour-profile order with their actions, members and chance
//! probabilities, and the payoffs of every exact strategy-profile
//! equilibrium Gambit reported (which checks cells of the reduced
//! strategic form). Every game must also round-trip through its writer.
//!
//! Label rule (see `detente_game::labels`): all 234 files load, including
//! the 8 that 16.7 refused for duplicate node or information-set labels;
//! node and information-set labels are kept as written (so for those 8
//! files the information-set labels are not compared: the reference was
//! made after blanking them), empty/duplicate strategy and action labels
//! are renamed as Gambit renames them.

use detente_game::{read_game_file, write_game, Game, NormalFormGame, Rational};
use num_traits::Zero;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("DETENTE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("{} is missing and DETENTE_REQUIRE_SHARED=1", dir.display());
    }
    eprintln!(
        "notice: {} not found; skipping the Gambit corpus test",
        dir.display()
    );
    None
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("nfg") | Some("efg")
        ) {
            out.push(p);
        }
    }
}

fn q(s: &str) -> Rational {
    detente_game::parse_rational(s).unwrap_or_else(|| panic!("bad rational {s}"))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// Expected payoffs of a mixed profile `probs[player][strategy]`.
fn expected_payoffs(g: &NormalFormGame, probs: &[Vec<Rational>]) -> Vec<Rational> {
    let n = g.num_players();
    let mut out = vec![Rational::zero(); n];
    for c in 0..g.num_profiles() {
        let prof = g.profile_at(c);
        let mut w = Rational::from_integer(1.into());
        for (p, &s) in prof.iter().enumerate() {
            w *= &probs[p][s];
            if w.is_zero() {
                break;
            }
        }
        if w.is_zero() {
            continue;
        }
        for (p, o) in out.iter_mut().enumerate() {
            *o += &w * g.payoff(c, p);
        }
    }
    out
}

/// Checks Gambit's exact strategy-profile equilibria against our table.
fn check_equilibria(name: &str, g: &NormalFormGame, entry: &Value) -> usize {
    let mut checked = 0;
    for method in ["enumpure", "enummixed", "lcp_strategic"] {
        let Some(m) = entry["methods"].get(method) else {
            continue;
        };
        if m["status"] != "ok" {
            continue;
        }
        let Some(eqs) = m["equilibria"].as_array() else {
            continue;
        };
        for eq in eqs {
            let Some(profile) = eq["profile"].as_array() else {
                continue;
            };
            // Strategy profiles only: [player][strategy] of strings.
            if profile.iter().any(|p| {
                p.as_array()
                    .is_none_or(|a| a.iter().any(|x| !x.is_string()))
            }) {
                continue;
            }
            let probs: Vec<Vec<Rational>> = profile
                .iter()
                .map(|p| strs(p).iter().map(|s| q(s)).collect())
                .collect();
            let want: Vec<Rational> = strs(&eq["payoffs"]).iter().map(|s| q(s)).collect();
            assert_eq!(
                expected_payoffs(g, &probs),
                want,
                "{name}: {method} equilibrium payoffs"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_gambit_example_matches_the_reference() {
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("games/gambit");
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("reference.json")).expect("reference.json"),
    )
    .expect("reference.json parses");
    let mut files = Vec::new();
    collect(&root, &mut files);
    assert_eq!(files.len(), 234, "expected the 234 Gambit example games");
    let mut equilibria_checked = 0;
    let mut trees = 0;
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .expect("prefix")
            .to_string_lossy()
            .replace('\\', "/");
        let entry = &reference["games"][&rel];
        assert!(entry.is_object(), "{rel} missing from reference.json");
        let game = read_game_file(&path.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(game.format_name(), entry["format"], "{rel}: format");
        assert_eq!(game.title(), entry["title"], "{rel}: title");
        assert_eq!(game.players(), strs(&entry["players"]), "{rel}: players");
        assert_eq!(
            game.is_constant_sum(),
            entry["constant_sum"],
            "{rel}: constant sum"
        );
        let shape: Vec<usize> = entry["shape"]
            .as_array()
            .expect("shape")
            .iter()
            .map(|x| x.as_u64().expect("int") as usize)
            .collect();
        match &game {
            Game::Normal(g) => {
                assert_eq!(g.shape(), shape, "{rel}: shape");
                let want: Vec<Vec<String>> = entry["strategies"]
                    .as_array()
                    .expect("s")
                    .iter()
                    .map(strs)
                    .collect();
                assert_eq!(g.strategies(), want.as_slice(), "{rel}: strategies");
                let (lo, hi) = g.payoff_range();
                assert_eq!(
                    lo,
                    q(entry["min_payoff"].as_str().expect("min")),
                    "{rel}: min payoff"
                );
                assert_eq!(
                    hi,
                    q(entry["max_payoff"].as_str().expect("max")),
                    "{rel}: max payoff"
                );
                assert_eq!(
                    g.outcomes().len() as u64,
                    entry["n_outcomes"].as_u64().expect("n"),
                    "{rel}: outcomes"
                );
                equilibria_checked += check_equilibria(&rel, g, entry);
            }
            Game::Extensive(t) => {
                trees += 1;
                assert_eq!(t.num_nodes() as u64, entry["n_nodes"], "{rel}: nodes");
                assert_eq!(
                    t.num_terminal() as u64,
                    entry["n_terminal"],
                    "{rel}: terminal nodes"
                );
                assert_eq!(t.has_chance(), entry["has_chance"], "{rel}: chance");
                assert_eq!(
                    t.is_perfect_recall(),
                    entry["perfect_recall"],
                    "{rel}: perfect recall"
                );
                assert_eq!(
                    t.outcomes().len() as u64,
                    entry["n_outcomes"].as_u64().expect("n"),
                    "{rel}: outcomes"
                );
                let (lo, hi) = t.payoff_range();
                assert_eq!(
                    lo,
                    q(entry["min_payoff"].as_str().expect("min")),
                    "{rel}: min payoff"
                );
                assert_eq!(
                    hi,
                    q(entry["max_payoff"].as_str().expect("max")),
                    "{rel}: max payoff"
                );
                let blanked = entry["load"] != "ok";
                for (p, sets) in entry["infosets"]
                    .as_array()
                    .expect("infosets")
                    .iter()
                    .enumerate()
                {
                    let sets = sets.as_array().expect("sets");
                    let ours = t.player_infosets(p);
                    assert_eq!(
                        ours.len(),
                        sets.len(),
                        "{rel}: infosets of player {}",
                        p + 1
                    );
                    for (k, (want, &s)) in sets.iter().zip(ours).enumerate() {
                        let set = t.infoset(s);
                        if !blanked {
                            assert_eq!(
                                set.label(),
                                want["label"],
                                "{rel}: player {} set {k} label",
                                p + 1
                            );
                        }
                        // The reference tidied the spacing of labels in the
                        // files it had to clean; we keep labels verbatim.
                        let ours: Vec<String> = if blanked {
                            set.actions()
                                .iter()
                                .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
                                .collect()
                        } else {
                            set.actions().to_vec()
                        };
                        assert_eq!(
                            ours,
                            strs(&want["actions"]),
                            "{rel}: player {} set {k} actions",
                            p + 1
                        );
                        let members: Vec<Value> = set
                            .members()
                            .iter()
                            .map(|&m| serde_json::json!(t.node_path(m)))
                            .collect();
                        assert_eq!(
                            Value::Array(members),
                            want["members"],
                            "{rel}: player {} set {k} members",
                            p + 1
                        );
                    }
                }
                let chance = entry["chance_infosets"].as_array().expect("chance");
                assert_eq!(
                    t.chance_infosets().len(),
                    chance.len(),
                    "{rel}: chance sets"
                );
                for (want, &s) in chance.iter().zip(t.chance_infosets()) {
                    let set = t.infoset(s);
                    if !blanked {
                        assert_eq!(set.label(), want["label"], "{rel}: chance label");
                    }
                    assert_eq!(
                        set.actions(),
                        strs(&want["actions"]),
                        "{rel}: chance actions"
                    );
                    let probs: Vec<Rational> = strs(&want["probs"]).iter().map(|s| q(s)).collect();
                    assert_eq!(set.probs(), probs.as_slice(), "{rel}: chance probabilities");
                    let members: Vec<Value> = set
                        .members()
                        .iter()
                        .map(|&m| serde_json::json!(t.node_path(m)))
                        .collect();
                    assert_eq!(
                        Value::Array(members),
                        want["members"],
                        "{rel}: chance members"
                    );
                }
                let cells = shape.iter().try_fold(1usize, |acc, &k| acc.checked_mul(k));
                for (p, labels) in entry["strategies"]
                    .as_array()
                    .expect("s")
                    .iter()
                    .enumerate()
                {
                    // Gambit lists no labels for a player with too many.
                    if labels.is_array() {
                        let labels = strs(labels);
                        let ours = t
                            .player_reduced_strategies(p)
                            .unwrap_or_else(|e| panic!("{rel}: {e}"));
                        let ours: Vec<&str> = ours.iter().map(|s| s.label.as_str()).collect();
                        assert_eq!(
                            ours,
                            labels,
                            "{rel}: reduced strategies of player {}",
                            p + 1
                        );
                    }
                }
                if cells.is_some_and(|c| c <= detente_game::MAX_PROFILES) {
                    let nf = t
                        .reduced_normal_form()
                        .unwrap_or_else(|e| panic!("{rel}: {e}"));
                    assert_eq!(nf.shape(), shape, "{rel}: reduced shape");
                    if entry["strategies"]
                        .as_array()
                        .expect("s")
                        .iter()
                        .all(Value::is_array)
                    {
                        let want: Vec<Vec<String>> = entry["strategies"]
                            .as_array()
                            .expect("s")
                            .iter()
                            .map(strs)
                            .collect();
                        assert_eq!(
                            nf.strategies(),
                            want.as_slice(),
                            "{rel}: reduced strategies"
                        );
                    }
                    assert_eq!(nf.title, t.title);
                    equilibria_checked += check_equilibria(&rel, &nf, entry);
                } else {
                    // Too large for Gambit to list: we must refuse cleanly,
                    // naming the same dimensions.
                    let e = t.reduced_normal_form().expect_err("too large").to_string();
                    let dims = shape
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(" x ");
                    assert!(e.contains(&dims), "{rel}: {e}");
                }
            }
        }
        // Round trip: write, read, compare; writing again is stable.
        let text = write_game(&game);
        let back = detente_game::read_game(&text, "written")
            .unwrap_or_else(|e| panic!("{rel}: rereading: {e}\n{text}"));
        assert_eq!(back, game, "{rel}: write/read round trip");
        assert_eq!(write_game(&back), text, "{rel}: writing is stable");
    }
    assert_eq!(trees, 174);
    assert!(
        equilibria_checked > 1000,
        "only {equilibria_checked} equilibria checked"
    );
    eprintln!(
        "checked {} games and {equilibria_checked} equilibrium payoffs",
        files.len()
    );
}
