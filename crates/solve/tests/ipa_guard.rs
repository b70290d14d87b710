//! Guard of ipa's arithmetic: every n-player game of the Gambit catalog
//! (`shared/games/gambit/**`, three or more players, trees on their
//! reduced strategic form) and every benchmark game
//! (`bench/nplayer/games/*.nfg`) is run with default options but for the
//! shortcut (off: Gametracer's rounds to its own convergence test, as
//! `--gametracer-rounds`), and what the iteration did is compared **bit for
//! bit** with the record in
//! `tests/data/ipa_guard.json`: rounds, support solves, pivoting solves,
//! pivots, a hash of the bits of every iterate (`σ`, `s`, `z` of every
//! round), the unpolished answer's bits and the returned profiles' bits.
//!
//! The record was written by the implementation of the third session
//! (before any speed work), so an optimisation that changes one bit of one
//! iterate fails here. To re-record deliberately (only after checking the
//! answers still match Gambit's):
//! `IPA_GUARD_RECORD=1 cargo test -p detente-solve --test ipa_guard`.
//!
//! The catalog part needs `../shared` (skipped with a notice when absent,
//! a failure under `DETENTE_REQUIRE_SHARED=1`); the benchmark games are in
//! the repository and always run.

use detente_game::{read_game_file, NormalFormGame};
use detente_solve::budget::Budget;
use detente_solve::ipa::{ipa_traced, IpaOptions};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

const RECORD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ipa_guard.json");

mod common;

/// The Gambit catalog, or `None` (after `common::shared_dir`'s notice; the
/// guard then runs on the benchmark games only).
fn shared_games() -> Option<PathBuf> {
    common::shared_dir().map(|d| d.join("games/gambit"))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("nfg") | Some("efg")
        ) {
            out.push(p);
        }
    }
}

/// (name, game) of every guarded game with at least three players.
fn games(shared: Option<&Path>) -> Vec<(String, NormalFormGame)> {
    let mut roots: Vec<(String, PathBuf)> = vec![(
        "bench/".into(),
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../bench/nplayer/games"
        )),
    )];
    if let Some(s) = shared {
        roots.push(("gambit/".into(), s.to_path_buf()));
    }
    let mut out = Vec::new();
    for (prefix, root) in roots {
        let mut files = Vec::new();
        files_under(&root, &mut files);
        files.sort();
        for f in files {
            let rel = f.strip_prefix(&root).unwrap_or(&f).to_string_lossy();
            let name = format!("{prefix}{rel}");
            let Ok(game) = read_game_file(&f.to_string_lossy()) else {
                continue;
            };
            let Ok(nf) = game.to_normal_form() else {
                continue;
            };
            let nf = nf.into_owned();
            // Games too large for a test run in a debug build are left out
            // (none of the catalog's n-player games is near this).
            if nf.num_players() < 3 || nf.num_profiles() > 20_000 {
                continue;
            }
            out.push((name, nf));
        }
    }
    out
}

fn bits(v: &[f64]) -> Value {
    json!(v
        .iter()
        .map(|x| format!("{:016x}", x.to_bits()))
        .collect::<Vec<_>>())
}

/// What ipa did on one game, as recorded.
fn observe(game: &NormalFormGame) -> Value {
    let opts = IpaOptions {
        // No time limit: the record must not depend on the machine's load.
        budget: Budget::new(1_000_000, None),
        // Gametracer's rounds to its own convergence test: the iterates
        // guarded are the emulation's.
        shortcut: false,
        ..IpaOptions::default()
    };
    match ipa_traced(game, &opts) {
        Ok((res, tr)) => {
            let eqs: Vec<Value> = res
                .equilibria
                .iter()
                .map(|e| {
                    let flat: Vec<f64> = e.profile.iter().flatten().cloned().collect();
                    bits(&flat)
                })
                .collect();
            json!({
                "rounds": tr.rounds,
                "support_solves": tr.support_solves,
                "pivot_solves": tr.pivot_solves,
                "pivots": tr.pivots,
                "iterate_hash": format!("{:016x}", tr.iterate_hash),
                "converged": tr.converged.as_deref().map(bits),
                "equilibria": eqs,
                "complete": res.complete,
                "notes": res.notes.len(),
            })
        }
        Err(e) => json!({ "error": e.to_string() }),
    }
}

#[test]
fn ipa_iterates_are_unchanged() {
    let shared = shared_games();
    let games = games(shared.as_deref());
    assert!(
        games.len() >= 6,
        "only {} games found for the ipa guard",
        games.len()
    );
    let mut seen = Map::new();
    for (name, game) in &games {
        seen.insert(name.clone(), observe(game));
    }
    if std::env::var("IPA_GUARD_RECORD").as_deref() == Ok("1") {
        let text =
            serde_json::to_string_pretty(&Value::Object(seen)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(RECORD, text + "\n").unwrap_or_else(|e| panic!("{RECORD}: {e}"));
        eprintln!("ipa guard: recorded {} games in {RECORD}", games.len());
        return;
    }
    let text = std::fs::read_to_string(RECORD).unwrap_or_else(|e| panic!("{RECORD}: {e}"));
    let record: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{RECORD}: {e}"));
    let Some(record) = record.as_object() else {
        panic!("{RECORD}: not an object")
    };
    let mut failures = Vec::new();
    for (name, now) in &seen {
        match record.get(name) {
            Some(was) if was == now => {}
            Some(was) => failures.push(format!("{name}:\n  recorded {was}\n  now      {now}")),
            None => failures.push(format!("{name}: not in the record")),
        }
    }
    // Every recorded game must still be run (the catalog part only when
    // the shared games are present).
    for name in record.keys() {
        if !seen.contains_key(name) && (shared.is_some() || name.starts_with("bench/")) {
            failures.push(format!("{name}: recorded but not run"));
        }
    }
    eprintln!(
        "ipa guard: {} games compared, {} differ",
        seen.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The shortcut (`IpaOptions::shortcut`, the default) ends at the
/// equilibrium of Gametracer's full rounds on every guarded game (within
/// 1e-9), with fewer rounds in all.
#[test]
fn shortcut_reaches_the_equilibrium_of_the_full_rounds() {
    let shared = shared_games();
    let games = games(shared.as_deref());
    let opts = |shortcut| IpaOptions {
        budget: Budget::new(1_000_000, None),
        shortcut,
        ..IpaOptions::default()
    };
    let (mut hits, mut rounds_on, mut rounds_off) = (0, 0, 0);
    let mut differ = Vec::new();
    for (name, game) in &games {
        let (Ok((on, t_on)), Ok((off, t_off))) = (
            ipa_traced(game, &opts(true)),
            ipa_traced(game, &opts(false)),
        ) else {
            panic!("{name}: ipa failed");
        };
        hits += t_on.shortcut_hits;
        rounds_on += t_on.rounds;
        rounds_off += t_off.rounds;
        assert!(
            t_on.rounds <= t_off.rounds,
            "{name}: more rounds with the shortcut"
        );
        let flat = |r: &detente_solve::nplayer_util::NplayerResult| -> Vec<Vec<f64>> {
            r.equilibria
                .iter()
                .map(|e| e.profile.iter().flatten().cloned().collect())
                .collect()
        };
        let (a, b) = (flat(&on), flat(&off));
        let same = a.len() == b.len()
            && a.iter().zip(&b).all(|(x, y)| {
                x.len() == y.len() && x.iter().zip(y).all(|(u, v)| (u - v).abs() <= 1e-9)
            });
        if !same {
            differ.push(format!("{name}: shortcut {a:?}, full rounds {b:?}"));
        }
    }
    eprintln!(
        "ipa shortcut: {} games, ended {hits} runs early, {rounds_on} rounds instead of {rounds_off}",
        games.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The shortcut is not idle: it ends runs on the benchmark games (and,
    // with the catalog, on g1, g2, g3 and others).
    let least = if shared.is_some() { 15 } else { 4 };
    assert!(hits >= least, "the shortcut ended only {hits} runs");
    assert!(rounds_on < rounds_off);
}
