//! Which labels Detente accepts, and how it normalizes them.
//!
//! Labels in Gambit files are cosmetic except where something else refers to
//! them by name (a player chosen on the command line, a strategy or action
//! in a printed equilibrium). The rule, per kind of label, for both readers:
//!
//! | label | rule |
//! |---|---|
//! | title, comment | any text, kept as it is |
//! | player | any text; empty labels become `_1`, `_2`, ... (as Gambit does); two players with the same non-empty label are an **error** (the game would be ambiguous wherever a player is named) |
//! | strategy (`.nfg`) | any text; empty or repeated labels within one player are renamed as Gambit does: `""` → `_1`, `"defect" "defect"` → `defect_1 defect_2` |
//! | action (`.efg`) | as strategies, within one information set (`"1/2" "1/2"` → `1/2_1 1/2_2`) |
//! | information set | any text, kept; several sets may share a label; but when a set is described again at a later node the description (label, actions, probabilities) must repeat the first one exactly, or it is an **error** |
//! | outcome | any text, kept (duplicates allowed); a repeated description must match the first one exactly, or it is an **error** |
//! | node | any text, kept (duplicates allowed: Gambit 16.7 refused those) |
//!
//! Labels may contain any Unicode text, including leading, trailing or
//! repeated spaces and newlines (Gambit 16.7 refused "oddly spaced"
//! labels). Renaming follows Gambit's `NormalizeLabels`, so the strategy
//! and action labels Detente prints are those pygambit prints.

use std::collections::{HashMap, HashSet};

/// Makes a list of labels distinct and non-empty the way Gambit does: a
/// label that occurs once and is not empty is kept; the others get `_1`,
/// `_2`, ... appended, skipping names already in use. Idempotent.
pub fn normalize_labels(labels: &mut [String]) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for l in labels.iter() {
        *counts.entry(l.clone()).or_insert(0) += 1;
        used.insert(l.clone());
    }
    if labels.iter().all(|l| !l.is_empty() && counts[l] == 1) {
        return;
    }
    let mut visited: HashMap<String, usize> = HashMap::new();
    for l in labels.iter_mut() {
        if counts[l.as_str()] == 1 && !l.is_empty() {
            continue;
        }
        let candidate = loop {
            let k = visited.entry(l.clone()).or_insert(0);
            *k += 1;
            let c = format!("{l}_{k}");
            if !used.contains(&c) {
                break c;
            }
        };
        used.insert(candidate.clone());
        *l = candidate;
    }
}

/// The first pair of equal non-empty labels, as 0-based indices.
pub fn first_duplicate(labels: &[String]) -> Option<(usize, usize)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, l) in labels.iter().enumerate() {
        if l.is_empty() {
            continue;
        }
        if let Some(&j) = seen.get(l.as_str()) {
            return Some((j, i));
        }
        seen.insert(l, i);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        normalize_labels(&mut v);
        v
    }

    #[test]
    fn normalizes_like_gambit() {
        assert_eq!(norm(&["", ""]), vec!["_1", "_2"]);
        assert_eq!(norm(&[""]), vec!["_1"]);
        assert_eq!(norm(&["a", "b"]), vec!["a", "b"]);
        assert_eq!(norm(&["defect", "defect"]), vec!["defect_1", "defect_2"]);
        assert_eq!(norm(&["x", "x", "x_1"]), vec!["x_2", "x_3", "x_1"]);
        let once = norm(&["x", "x", "x_1", "", "_1"]);
        let mut twice = once.clone();
        normalize_labels(&mut twice);
        assert_eq!(once, twice);
    }

    #[test]
    fn finds_duplicates() {
        let v: Vec<String> = ["a", "", "b", "", "a"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(first_duplicate(&v), Some((0, 4)));
        assert_eq!(first_duplicate(&v[1..4]), None);
    }
}
