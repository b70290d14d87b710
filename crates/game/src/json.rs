//! A JSON representation of games, for tools that do not read Gambit's
//! formats. All numbers are exact and written as strings (`"3"`,
//! `"-5/2"`); indices in the JSON are 1-based like Gambit's, except node
//! ids, which are 0-based positions in `nodes`.
//!
//! Strategic games:
//!
//! ```json
//! { "format": "nfg", "title": "...", "comment": "...",
//!   "players": ["Player 1", "Player 2"],
//!   "strategies": [["1", "2", "3"], ["1", "2"]],
//!   "shape": [3, 2], "constant_sum": false,
//!   "payoffs": [["1", "1"], ["0", "2"], ...],
//!   "outcomes": [{"label": "", "payoffs": ["1", "1"]}, ...],
//!   "cell_outcomes": [1, 2, 2, 1, 3, 0] }
//! ```
//!
//! `payoffs` has one entry per pure profile, player 1's strategy varying
//! fastest, each with one payoff per player. `outcomes` and `cell_outcomes`
//! (outcome number of each profile, 0 = none) appear only when the game has
//! named or shared outcomes (when it would be written in Gambit's outcome
//! form).
//!
//! Trees:
//!
//! ```json
//! { "format": "efg", "title": "...", "comment": "...",
//!   "players": ["Alice", "Bob"], "constant_sum": true,
//!   "perfect_recall": true, "perfect_information": false,
//!   "outcomes": [{"label": "Alice wins big", "payoffs": ["2", "-2"]}, ...],
//!   "infosets": [[{"label": "", "actions": ["Raise", "Fold"], "members": [1]}, ...], ...],
//!   "chance_infosets": [{"label": "", "actions": ["King", "Queen"], "probs": ["1/2", "1/2"], "members": [0]}],
//!   "nodes": [{"label": "", "kind": "chance", "infoset": 1, "outcome": null, "children": [1, 6]},
//!             {"label": "", "kind": "personal", "player": 1, "infoset": 1, "outcome": null, "children": [2, 5]},
//!             {"label": "", "kind": "terminal", "outcome": 1, "children": []}, ...] }
//! ```
//!
//! `nodes` lists the tree in prefix order (node 0 is the root); `children`
//! are node ids, the k-th following the k-th action of the node's set;
//! `infoset` numbers a set within its player (or chance) in
//! behaviour-profile order, as `infosets` lists them; `outcome` numbers
//! `outcomes`. The list is flat so that deep trees stay cheap to encode.

use crate::extensive::{ExtensiveGame, NodeKind};
use crate::io::Game;
use crate::normal::NormalFormGame;
use crate::number::{format_rational, Rational};
use serde_json::{json, Value};

fn nums(v: &[Rational]) -> Value {
    Value::Array(
        v.iter()
            .map(|x| Value::String(format_rational(x)))
            .collect(),
    )
}

/// The JSON form of a game (see the module documentation).
pub fn game_to_json(game: &Game) -> Value {
    match game {
        Game::Normal(g) => normal_to_json(g),
        Game::Extensive(t) => tree_to_json(t),
    }
}

/// The JSON form of a strategic game.
pub fn normal_to_json(g: &NormalFormGame) -> Value {
    let payoffs: Vec<Value> = (0..g.num_profiles())
        .map(|c| nums(g.payoffs_at(c)))
        .collect();
    let mut v = json!({
        "format": "nfg",
        "title": g.title,
        "comment": g.comment,
        "players": g.players(),
        "strategies": g.strategies(),
        "shape": g.shape(),
        "constant_sum": g.is_constant_sum(),
        "payoffs": payoffs,
    });
    let payoff_form = g.outcomes().len() == g.num_profiles()
        && g.outcomes().iter().all(|o| o.label.is_empty())
        && g.cells().iter().enumerate().all(|(i, c)| *c == Some(i));
    if !payoff_form {
        let outcomes: Vec<Value> = g
            .outcomes()
            .iter()
            .map(|o| json!({"label": o.label, "payoffs": nums(&o.payoffs)}))
            .collect();
        let cells: Vec<usize> = g.cells().iter().map(|c| c.map_or(0, |k| k + 1)).collect();
        v["outcomes"] = Value::Array(outcomes);
        v["cell_outcomes"] = json!(cells);
    }
    v
}

/// The JSON form of a tree.
pub fn tree_to_json(t: &ExtensiveGame) -> Value {
    let mut number = vec![0usize; t.infosets().len()];
    for p in 0..t.num_players() {
        for (i, &s) in t.player_infosets(p).iter().enumerate() {
            number[s] = i + 1;
        }
    }
    for (i, &s) in t.chance_infosets().iter().enumerate() {
        number[s] = i + 1;
    }
    let set_json = |s: usize| {
        let set = t.infoset(s);
        let mut v = json!({
            "label": set.label(),
            "actions": set.actions(),
            "members": set.members(),
        });
        if set.is_chance() {
            v["probs"] = nums(set.probs());
        }
        v
    };
    let infosets: Vec<Value> = (0..t.num_players())
        .map(|p| Value::Array(t.player_infosets(p).iter().map(|&s| set_json(s)).collect()))
        .collect();
    let chance: Vec<Value> = t.chance_infosets().iter().map(|&s| set_json(s)).collect();
    let outcomes: Vec<Value> = t
        .outcomes()
        .iter()
        .map(|o| json!({"label": o.label, "payoffs": nums(&o.payoffs)}))
        .collect();
    let nodes: Vec<Value> = (0..t.num_nodes())
        .map(|v| {
            let node = t.node(v);
            let outcome = node.outcome().map(|o| o + 1);
            let mut j = json!({
                "label": node.label(),
                "outcome": outcome,
                "children": node.children(),
            });
            match t.node_kind(v) {
                NodeKind::Terminal => j["kind"] = json!("terminal"),
                NodeKind::Chance => {
                    j["kind"] = json!("chance");
                    j["infoset"] = json!(node.infoset().map(|s| number[s]));
                }
                NodeKind::Personal(p) => {
                    j["kind"] = json!("personal");
                    j["player"] = json!(p + 1);
                    j["infoset"] = json!(node.infoset().map(|s| number[s]));
                }
            }
            j
        })
        .collect();
    json!({
        "format": "efg",
        "title": t.title,
        "comment": t.comment,
        "players": t.players(),
        "constant_sum": t.is_constant_sum(),
        "perfect_recall": t.is_perfect_recall(),
        "perfect_information": t.is_perfect_information(),
        "outcomes": outcomes,
        "infosets": infosets,
        "chance_infosets": chance,
        "nodes": nodes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_game;

    #[test]
    fn strategic_json_has_exact_payoffs() {
        let g = read_game(
            "NFG 1 R \"t\" { \"a\" \"b\" } { 2 1 } \"c\" 1/2 -1 0.25 3",
            "x",
        )
        .unwrap();
        let j = game_to_json(&g);
        assert_eq!(j["format"], "nfg");
        assert_eq!(j["comment"], "c");
        assert_eq!(j["payoffs"], json!([["1/2", "-1"], ["1/4", "3"]]));
        assert_eq!(j["shape"], json!([2, 1]));
        assert!(j.get("outcomes").is_none());
        let o = read_game("NFG 1 R \"t\" { \"a\" } { 2 } { { \"win\" 1 } } 1 0", "y").unwrap();
        let j = game_to_json(&o);
        assert_eq!(j["cell_outcomes"], json!([1, 0]));
        assert_eq!(j["outcomes"][0]["label"], "win");
    }

    #[test]
    fn tree_json_is_a_flat_node_list() {
        let t = read_game(
            "EFG 2 R \"t\" { \"a\" \"b\" } c \"r\" 1 \"\" { \"x\" 1/3 \"y\" 2/3 } 0 p \"\" 2 1 \"s\" { \"l\" } 1 \"o\" { 1, -1 } t \"\" 0 t \"\" 1",
            "t.efg",
        )
        .unwrap();
        let j = game_to_json(&t);
        assert_eq!(j["nodes"][0]["kind"], "chance");
        assert_eq!(j["nodes"][0]["children"], json!([1, 3]));
        assert_eq!(j["nodes"][1]["player"], 2);
        assert_eq!(j["nodes"][1]["outcome"], 1);
        assert_eq!(j["chance_infosets"][0]["probs"], json!(["1/3", "2/3"]));
        assert_eq!(j["infosets"][1][0]["label"], "s");
        assert_eq!(j["constant_sum"], true);
    }
}
