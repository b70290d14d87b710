//! Shared helpers of the solve integration tests.
#![allow(dead_code)]

use detente_game::{parse_rational, read_game_file, NormalFormGame, Rational};
use std::path::PathBuf;

/// The shared reference directory, or `None` (after printing a notice) when
/// it is absent and `DETENTE_REQUIRE_SHARED` is not `1`.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("DETENTE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("shared reference directory {} is missing", dir.display());
    }
    eprintln!(
        "notice: {} not found; skipping reference test",
        dir.display()
    );
    None
}

/// The normal form (a tree's reduced strategic form) of the game at `rel`
/// under `../shared/games/gambit`, or `None` when the shared directory is
/// absent (see [`shared_dir`]).
pub fn shared_normal_form(rel: &str) -> Option<NormalFormGame> {
    let path = shared_dir()?.join("games/gambit").join(rel);
    let g = read_game_file(&path.to_string_lossy()).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Some(
        g.to_normal_form()
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
            .into_owned(),
    )
}

pub fn rat(s: &str) -> Rational {
    parse_rational(s).unwrap_or_else(|| panic!("bad rational {s:?} in reference data"))
}

/// Parses `[[ "1/2", ... ], ...]`.
pub fn profile_of(v: &serde_json::Value) -> Vec<Vec<Rational>> {
    v.as_array()
        .expect("profile array")
        .iter()
        .map(|p| {
            p.as_array()
                .expect("player array")
                .iter()
                .map(|x| rat(x.as_str().expect("exact string")))
                .collect()
        })
        .collect()
}

/// A bimatrix game from row-major integer matrices given as JSON arrays.
pub fn bimatrix_from_json(a: &serde_json::Value, b: &serde_json::Value) -> NormalFormGame {
    let rows = |v: &serde_json::Value| -> Vec<Vec<i64>> {
        v.as_array()
            .expect("matrix")
            .iter()
            .map(|r| {
                r.as_array()
                    .expect("row")
                    .iter()
                    .map(|x| x.as_i64().expect("integer"))
                    .collect()
            })
            .collect()
    };
    let (a, b) = (rows(a), rows(b));
    let (m, n) = (a.len(), a[0].len());
    let mut ta = vec![Rational::from_integer(0.into()); m * n];
    let mut tb = ta.clone();
    for i in 0..m {
        for j in 0..n {
            ta[i + j * m] = Rational::from_integer(a[i][j].into());
            tb[i + j * m] = Rational::from_integer(b[i][j].into());
        }
    }
    NormalFormGame::from_tables(&[m, n], &[ta, tb]).expect("valid game")
}
