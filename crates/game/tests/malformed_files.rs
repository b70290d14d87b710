//! Every file in `tests/malformed/` must be refused with exactly the error
//! text in the file of the same name plus `.expected` (the message names
//! the file, line and column). Set `DETENTE_BLESS=1` to (re)write the
//! `.expected` files after reviewing a change of wording.
//!
//! The corpus covers: empty and whitespace-only files, files that are not
//! Gambit games, truncated headers and trees, unsupported versions and
//! number types, too few and too many payoffs, bad numbers, commas in a
//! payoff list, players without strategies, tables too large to hold
//! (refused before anything is allocated), duplicate player labels,
//! outcome indices out of range, outcomes with the wrong number of
//! payoffs, unterminated strings and a backslash escaping the closing
//! quote, non-UTF-8 bytes, unknown node types, player numbers out of
//! range, chance probabilities that are negative, missing or do not sum
//! to 1, outcome 0 with payoffs, information sets and outcomes described
//! inconsistently, sets or outcomes used before they are described, empty
//! action lists and nodes after a complete tree.
//!
//! Label rule checked here and in `gambit_corpus.rs`: duplicate player
//! labels and inconsistent re-descriptions are errors; duplicate node,
//! information-set and outcome labels are not (see `detente_game::labels`).

use detente_game::read_game_bytes;
use std::path::PathBuf;

#[test]
fn malformed_files_give_exact_errors() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/malformed"));
    let bless = std::env::var("DETENTE_BLESS").as_deref() == Ok("1");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/malformed")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".expected"))
        .collect();
    names.sort();
    assert!(names.len() >= 50, "only {} malformed files", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let bytes = std::fs::read(dir.join(name)).expect("read");
        let got = match read_game_bytes(&bytes, name) {
            Ok(_) => "(accepted, but must be refused)".to_string(),
            Err(e) => e.to_string(),
        };
        let expected_path = dir.join(format!("{name}.expected"));
        if bless {
            std::fs::write(&expected_path, format!("{got}\n")).expect("write expected");
            continue;
        }
        let want = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        if got != want.trim_end_matches('\n') {
            failures.push(format!(
                "{name}:\n   got: {got}\n  want: {}",
                want.trim_end()
            ));
        }
        assert!(
            got.starts_with(&format!("{name}:")),
            "{name}: error does not name the file: {got}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
