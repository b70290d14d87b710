//! Gambit's `.efg` format (game trees): reader and writer.
//!
//! ```text
//! EFG 2 R "title" { "player 1" "player 2" ... }
//! "optional comment"
//! c "node" 1 "set" { "a" 1/2 "b" 1/2 } 0          -- chance node
//! p "node" 1 1 "set" { "x" "y" } 1 "o" { 2, -2 }  -- personal node
//! t "node" 3 "o3" { 1, -1 }                       -- terminal node
//! ```
//!
//! Nodes come in prefix order: a node, then the subtrees of its children
//! from first to last; a node has as many children as its information set
//! has actions. After the player number (personal nodes) comes the
//! information-set number, unique per player (chance has its own numbers),
//! then optionally the set's label and actions (with probabilities for
//! chance). After that, the outcome number (0 = none), then optionally its
//! label and payoffs (commas optional). Set and outcome descriptions are
//! required the first time a number appears and may be repeated later; a
//! repetition must match the first description exactly, or the file is
//! refused. Chance probabilities must be nonnegative and sum to exactly 1.
//! Outcome 0 cannot carry a label or payoffs. The tree ends at end-of-file.
//!
//! The reader is iterative (no recursion), so very deep trees cannot
//! overflow the stack. Label rules are in [`crate::labels`].

use crate::error::GameError;
use crate::extensive::{check_probs, ExtensiveGame, InfosetSpec, NodeSpec};
use crate::lexer::{parse_index, Lexer, Token, TokenKind};
use crate::nfg::{expect_number, quote, read_header, read_players};
use crate::normal::Outcome;
use crate::number::{format_rational, Rational};
use std::collections::HashMap;
use std::fmt::Write as _;

/// An information set as first described, with where.
struct SetDef {
    index: usize,
    line: usize,
}

struct OutcomeDef {
    index: usize,
    line: usize,
}

struct Reader<'a, 'b> {
    lx: &'b mut Lexer<'a>,
    n: usize,
    nodes: Vec<NodeSpec>,
    sets: Vec<InfosetSpec>,
    outcomes: Vec<Outcome>,
    set_ids: HashMap<(Option<usize>, usize), SetDef>,
    outcome_ids: HashMap<usize, OutcomeDef>,
}

fn who(player: Option<usize>) -> String {
    match player {
        Some(p) => format!("player {}", p + 1),
        None => "chance".to_string(),
    }
}

impl<'a> Reader<'a, '_> {
    fn next(&mut self) -> Result<Token<'a>, GameError> {
        self.lx.next_token()
    }

    fn expect_index(&mut self, what: &str) -> Result<(usize, Token<'a>), GameError> {
        let t = self.next()?;
        if t.kind == TokenKind::Word {
            if let Some(k) = parse_index(&t.text) {
                return Ok((k, t));
            }
        }
        Err(self.lx.expected(&t, what))
    }

    /// Reads one node record; returns its index and number of children.
    fn read_node(&mut self, context: &dyn Fn() -> String) -> Result<(usize, usize), GameError> {
        let t = self.next()?;
        let kind = match t.kind {
            TokenKind::Word if t.text == "c" || t.text == "p" || t.text == "t" => t.text.to_string(),
            TokenKind::Word => {
                return Err(self.lx.error(
                    &t,
                    format!(
                        "unknown node type '{}': expected 'c' (chance), 'p' (personal) or 't' (terminal)",
                        t.text
                    ),
                ))
            }
            _ => {
                return Err(self.lx.expected(&t, &format!("a node ('c', 'p' or 't'{})", context())));
            }
        };
        let t = self.next()?;
        if t.kind != TokenKind::Str {
            return Err(self.lx.expected(&t, "the node label (a quoted string)"));
        }
        let label = t.text.into_owned();
        let mut infoset = None;
        let mut arity = 0;
        if kind != "t" {
            let player = if kind == "p" {
                let what = format!("the player number (1 to {})", self.n);
                let (p, tok) = self.expect_index(&what)?;
                if p == 0 || p > self.n {
                    return Err(self.lx.error(
                        &tok,
                        format!(
                            "player {p} is out of range: the game has {} player{}, numbered from 1",
                            self.n,
                            if self.n == 1 { "" } else { "s" }
                        ),
                    ));
                }
                Some(p - 1)
            } else {
                None
            };
            let (id, id_tok) = self.expect_index("the information set number (a whole number)")?;
            let s = self.read_infoset(player, id, &id_tok)?;
            arity = self.sets[s].actions.len();
            infoset = Some(s);
        }
        let outcome = self.read_outcome()?;
        self.nodes.push(NodeSpec {
            label,
            infoset,
            outcome,
            children: Vec::new(),
        });
        Ok((self.nodes.len() - 1, arity))
    }

    fn read_infoset(
        &mut self,
        player: Option<usize>,
        id: usize,
        id_tok: &Token<'_>,
    ) -> Result<usize, GameError> {
        let described = self.lx.peek()?.kind == TokenKind::Str;
        if !described {
            return match self.set_ids.get(&(player, id)) {
                Some(d) => Ok(d.index),
                None => Err(self.lx.error(
                    id_tok,
                    format!(
                        "information set {id} of {} is used before it is described (the first node in a set must give its label and actions)",
                        who(player)
                    ),
                )),
            };
        }
        let label_tok = self.next()?;
        let label = label_tok.text.to_string();
        let open = self.next()?;
        if open.kind != TokenKind::LBrace {
            return Err(self.lx.expected(&open, "'{' opening the list of actions"));
        }
        let mut actions = Vec::new();
        let mut probs = Vec::new();
        loop {
            let t = self.next()?;
            match t.kind {
                TokenKind::RBrace if actions.is_empty() => {
                    return Err(self
                        .lx
                        .error(&t, "an information set needs at least one action"));
                }
                TokenKind::RBrace => break,
                TokenKind::Str => {
                    actions.push(t.text.into_owned());
                    if player.is_none() {
                        let k = actions.len();
                        probs.push(expect_number(self.lx, &|| {
                            format!("the probability of chance action {k}")
                        })?);
                    }
                }
                _ => {
                    let what = if player.is_none() {
                        "an action label (a quoted string, then its probability) or '}'"
                    } else {
                        "an action label (a quoted string) or '}'"
                    };
                    return Err(self.lx.expected(&t, what));
                }
            }
        }
        if let Some(d) = self.set_ids.get(&(player, id)) {
            let first = &self.sets[d.index];
            let diff = if first.label != label {
                Some(format!(
                    "label \"{}\" here, \"{}\" there",
                    label, first.label
                ))
            } else if first.actions != actions {
                Some(format!(
                    "actions {} here, {} there",
                    list(&actions),
                    list(&first.actions)
                ))
            } else if first.probs != probs {
                Some(format!(
                    "probabilities {} here, {} there",
                    prob_list(&probs),
                    prob_list(&first.probs)
                ))
            } else {
                None
            };
            if let Some(diff) = diff {
                return Err(self.lx.error(
                    &label_tok,
                    format!(
                        "information set {id} of {} is described differently from its first description (line {}): {diff}",
                        who(player),
                        d.line
                    ),
                ));
            }
            return Ok(d.index);
        }
        if player.is_none() {
            check_probs(&probs, actions.len()).map_err(|m| {
                self.lx
                    .error(&open, format!("chance information set {id}: {m}"))
            })?;
        }
        self.sets.push(InfosetSpec {
            label,
            player,
            actions,
            probs,
        });
        let index = self.sets.len() - 1;
        self.set_ids.insert(
            (player, id),
            SetDef {
                index,
                line: label_tok.line,
            },
        );
        Ok(index)
    }

    fn read_outcome(&mut self) -> Result<Option<usize>, GameError> {
        let (id, id_tok) = self.expect_index("the outcome number (a whole number, 0 for none)")?;
        if self.lx.peek()?.kind != TokenKind::Str {
            if id == 0 {
                return Ok(None);
            }
            return match self.outcome_ids.get(&id) {
                Some(d) => Ok(Some(d.index)),
                None => Err(self.lx.error(
                    &id_tok,
                    format!("outcome {id} is used before it is described (the first node with an outcome must give its label and payoffs)"),
                )),
            };
        }
        let label_tok = self.next()?;
        if id == 0 {
            return Err(self.lx.error(
                &label_tok,
                "outcome 0 means 'no outcome' and cannot have a label or payoffs",
            ));
        }
        let label = label_tok.text.to_string();
        let open = self.next()?;
        if open.kind != TokenKind::LBrace {
            return Err(self
                .lx
                .expected(&open, &format!("'{{' opening the payoffs of outcome {id}")));
        }
        let mut payoffs = Vec::with_capacity(self.n);
        for p in 0..self.n {
            payoffs.push(expect_number(self.lx, &|| {
                format!("the payoff of player {} in outcome {id}", p + 1)
            })?);
            if self.lx.peek()?.kind == TokenKind::Comma {
                self.next()?;
            }
        }
        let t = self.next()?;
        if t.kind != TokenKind::RBrace {
            return Err(self.lx.expected(
                &t,
                &format!(
                    "'}}' closing the payoffs of outcome {id} (one per player: {})",
                    self.n
                ),
            ));
        }
        if let Some(d) = self.outcome_ids.get(&id) {
            let first = &self.outcomes[d.index];
            let diff = if first.label != label {
                Some(format!(
                    "label \"{}\" here, \"{}\" there",
                    label, first.label
                ))
            } else if first.payoffs != payoffs {
                Some(format!(
                    "payoffs {} here, {} there",
                    prob_list(&payoffs),
                    prob_list(&first.payoffs)
                ))
            } else {
                None
            };
            if let Some(diff) = diff {
                return Err(self.lx.error(
                    &label_tok,
                    format!(
                        "outcome {id} is described differently from its first description (line {}): {diff}",
                        d.line
                    ),
                ));
            }
            return Ok(Some(d.index));
        }
        self.outcomes.push(Outcome { label, payoffs });
        let index = self.outcomes.len() - 1;
        self.outcome_ids.insert(
            id,
            OutcomeDef {
                index,
                line: label_tok.line,
            },
        );
        Ok(Some(index))
    }
}

fn list(v: &[String]) -> String {
    let q: Vec<String> = v.iter().map(|s| format!("\"{s}\"")).collect();
    format!("{{ {} }}", q.join(" "))
}

fn prob_list(v: &[Rational]) -> String {
    let q: Vec<String> = v.iter().map(format_rational).collect();
    format!("{{ {} }}", q.join(" "))
}

/// Reads a game in `.efg` format. `file` names the input in errors.
pub fn read_efg(text: &str, file: &str) -> Result<ExtensiveGame, GameError> {
    let mut lx = Lexer::new(text, file);
    let title = read_header(&mut lx, "EFG", "2")?;
    let players = read_players(&mut lx)?;
    let mut comment = String::new();
    if lx.peek()?.kind == TokenKind::Str {
        comment = lx.next_token()?.text.into_owned();
    }
    let start = lx.peek()?.clone();
    let (start_line, start_col) = (start.line, start.col);
    let mut r = Reader {
        lx: &mut lx,
        n: players.len(),
        nodes: Vec::new(),
        sets: Vec::new(),
        outcomes: Vec::new(),
        set_ids: HashMap::new(),
        outcome_ids: HashMap::new(),
    };
    // Stack of (node, children still to read, number of children, line).
    let (root, arity) = r.read_node(&|| ", the root of the tree".to_string())?;
    let mut stack: Vec<(usize, usize, usize, usize)> = Vec::new();
    if arity > 0 {
        stack.push((root, arity, arity, start_line));
    }
    while let Some(&(parent, remaining, total, line)) = stack.last() {
        if remaining == 0 {
            stack.pop();
            continue;
        }
        let k = total - remaining + 1;
        if let Some(top) = stack.last_mut() {
            top.1 -= 1;
        }
        let node_line = r.lx.peek()?.line;
        let (child, arity) = r.read_node(&|| {
            format!("; child {k} of {total} of the node on line {line} comes next")
        })?;
        r.nodes[parent].children.push(child);
        if arity > 0 {
            stack.push((child, arity, arity, node_line));
        }
    }
    let t = r.lx.next_token()?;
    if t.kind != TokenKind::Eof {
        let count = r.nodes.len();
        return Err(r.lx.expected(
            &t,
            &format!(
                "end of file: the tree is complete after {count} node{}",
                if count == 1 { "" } else { "s" }
            ),
        ));
    }
    let Reader {
        nodes,
        sets,
        outcomes,
        ..
    } = r;
    let mut g = ExtensiveGame::new(players, nodes, sets, outcomes).map_err(|e| match e {
        GameError::Invalid(m) => lx.error_at(start_line, start_col, m),
        other => other,
    })?;
    g.title = title;
    g.comment = comment;
    Ok(g)
}

/// Writes a game in `.efg` format as Gambit's `to_efg()` does: one node
/// per line in prefix order, full information-set and outcome descriptions
/// on every node, payoffs separated by `, `. Information sets are numbered
/// per player in behaviour-profile order, outcomes in order of first
/// appearance. [`read_efg`] reads the result back to the same game.
pub fn write_efg(g: &ExtensiveGame) -> String {
    let mut out = String::new();
    let players: Vec<String> = g.players().iter().map(|p| quote(p)).collect();
    let _ = writeln!(
        out,
        "EFG 2 R {} {{ {} }}",
        quote(&g.title),
        players.join(" ")
    );
    let _ = writeln!(out, "{}", quote(&g.comment));
    out.push('\n');
    // Number of each set within its player (or chance).
    let mut number = vec![0usize; g.infosets().len()];
    for p in 0..g.num_players() {
        for (i, &s) in g.player_infosets(p).iter().enumerate() {
            number[s] = i + 1;
        }
    }
    for (i, &s) in g.chance_infosets().iter().enumerate() {
        number[s] = i + 1;
    }
    for node in g.nodes() {
        match node.infoset() {
            None => out.push_str("t "),
            Some(s) => {
                let set = g.infoset(s);
                match set.player() {
                    None => {
                        let _ = write!(
                            out,
                            "c {} {} {} {{ ",
                            quote(node.label()),
                            number[s],
                            quote(set.label())
                        );
                        for (a, p) in set.actions().iter().zip(set.probs()) {
                            let _ = write!(out, "{} {} ", quote(a), format_rational(p));
                        }
                    }
                    Some(p) => {
                        let _ = write!(
                            out,
                            "p {} {} {} {} {{ ",
                            quote(node.label()),
                            p + 1,
                            number[s],
                            quote(set.label())
                        );
                        for a in set.actions() {
                            let _ = write!(out, "{} ", quote(a));
                        }
                    }
                }
                out.push_str("} ");
            }
        }
        if node.infoset().is_none() {
            let _ = write!(out, "{} ", quote(node.label()));
        }
        match node.outcome() {
            None => out.push_str("0\n"),
            Some(o) => {
                let oc = &g.outcomes()[o];
                let vals: Vec<String> = oc.payoffs.iter().map(format_rational).collect();
                let _ = writeln!(
                    out,
                    "{} {} {{ {} }}",
                    o + 1,
                    quote(&oc.label),
                    vals.join(", ")
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extensive::tests::{poker, q};

    const POKER: &str = r#"EFG 2 R "One card poker game, after Myerson (1991)" { "Alice" "Bob" }
""

c "" 1 "" { "King" 1/2 "Queen" 1/2 } 0
p "" 1 1 "" { "Raise" "Fold" } 0
p "" 2 1 "" { "Meet" "Pass" } 0
t "" 1 "Alice wins big" { 2, -2 }
t "" 2 "Alice wins" { 1, -1 }
t "" 4 "Bob wins" { -1, 1 }
p "" 1 2 "" { "Raise" "Fold" } 0
p "" 2 1 "" { "Meet" "Pass" } 0
t "" 3 "Bob wins big" { -2, 2 }
t "" 2 "Alice wins" { 1, -1 }
t "" 4 "Bob wins" { -1, 1 }
"#;

    #[test]
    fn reads_poker() {
        let g = read_efg(POKER, "poker.efg").unwrap();
        assert_eq!(g.num_nodes(), 11);
        assert_eq!(g.players(), &["Alice".to_string(), "Bob".to_string()]);
        assert_eq!(g.outcomes().len(), 4);
        assert_eq!(g.outcomes()[2].label, "Bob wins");
        assert_eq!(g.chance_probs(0), Some(&[q(1, 2), q(1, 2)][..]));
        // Same structure as the hand-built tree (labels aside).
        let h = poker();
        assert_eq!(g.num_nodes(), h.num_nodes());
        for v in 0..g.num_nodes() {
            assert_eq!(g.node_kind(v), h.node_kind(v));
            assert_eq!(g.path_payoffs(v), h.path_payoffs(v));
        }
        // Outcomes are renumbered by first appearance, as Gambit does.
        let w = write_efg(&g);
        let expected = POKER
            .replace("t \"\" 4", "t \"\" X")
            .replace("t \"\" 3", "t \"\" 4")
            .replace("t \"\" X", "t \"\" 3");
        assert_eq!(w, expected);
        assert_eq!(read_efg(&w, "w").unwrap(), g);
    }

    #[test]
    fn inconsistent_redescription_is_an_error() {
        let bad = POKER.replacen(
            "p \"\" 2 1 \"\" { \"Meet\" \"Pass\" } 0\nt \"\" 3",
            "p \"\" 2 1 \"\" { \"Meet\" \"Fold\" } 0\nt \"\" 3",
            1,
        );
        let e = read_efg(&bad, "p.efg").unwrap_err().to_string();
        assert_eq!(
            e,
            "p.efg:11:10: information set 1 of player 2 is described differently from its first description (line 6): actions { \"Meet\" \"Fold\" } here, { \"Meet\" \"Pass\" } there"
        );
    }

    #[test]
    fn deep_trees_do_not_overflow() {
        let mut s = String::from("EFG 2 R \"deep\" { \"a\" }\n");
        s.push_str("p \"\" 1 1 \"\" { \"go\" } 0\n");
        for _ in 0..200_000 {
            s.push_str("p \"\" 1 1 0\n");
        }
        s.push_str("t \"\" 1 \"end\" { 1 }\n");
        let g = read_efg(&s, "deep.efg").unwrap();
        assert_eq!(g.num_nodes(), 200_002);
        assert!(!g.is_perfect_recall());
        assert!(g.is_constant_sum());
        let _ = write_efg(&g);
        assert_eq!(g.reduced_shape().unwrap(), vec![1]);
    }
}
