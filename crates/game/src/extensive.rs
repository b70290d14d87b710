//! Extensive-form games (game trees) with chance moves, information sets
//! and outcomes, as in Gambit.
//!
//! A game is a rooted tree. Each non-terminal node belongs to an
//! information set, which belongs to a player or to chance; the k-th child
//! of a node follows the k-th action of its information set. Chance
//! information sets carry exact probabilities (nonnegative, summing to 1).
//! Outcomes may sit on any node, terminal or not: the payoff of a play is
//! the **sum** of the outcomes on its path from the root.
//!
//! The representation is canonical, so two games that are the same game
//! compare equal (`==`) however they were built:
//! * nodes are numbered in prefix (pre-)order, the root is node 0;
//! * each player's information sets are ordered by their first member in
//!   prefix order (this is Gambit's behaviour-profile order, the order of
//!   `infosets` in `reference.json`); chance's likewise;
//! * outcomes are numbered by first appearance in prefix order, and outcomes
//!   no node uses are dropped;
//! * labels follow the rules of [`crate::labels`] (empty or repeated action
//!   labels in one information set are renamed, duplicate player labels are
//!   an error).

use crate::error::GameError;
use crate::labels::{first_duplicate, normalize_labels};
use crate::normal::Outcome;
use crate::number::Rational;
use num_traits::{One, Signed, Zero};

/// A node as given to [`ExtensiveGame::new`]: `infoset` and `outcome` index
/// the `infosets` and `outcomes` lists given with it; `children` index the
/// node list (node 0 is the root). A node without children is terminal and
/// has no information set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeSpec {
    pub label: String,
    pub infoset: Option<usize>,
    pub outcome: Option<usize>,
    pub children: Vec<usize>,
}

/// An information set as given to [`ExtensiveGame::new`]: `player` is a
/// 0-based player index, `None` for chance; `probs` (chance only) has one
/// probability per action.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InfosetSpec {
    pub label: String,
    pub player: Option<usize>,
    pub actions: Vec<String>,
    pub probs: Vec<Rational>,
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    label: String,
    parent: Option<usize>,
    /// Index of the action that leads here from the parent.
    action: Option<usize>,
    children: Vec<usize>,
    infoset: Option<usize>,
    outcome: Option<usize>,
}

impl Node {
    pub fn label(&self) -> &str {
        &self.label
    }
    pub fn parent(&self) -> Option<usize> {
        self.parent
    }
    /// The action (index into the parent's information set) leading here.
    pub fn prior_action(&self) -> Option<usize> {
        self.action
    }
    /// Children, the k-th following action k.
    pub fn children(&self) -> &[usize] {
        &self.children
    }
    /// Global information-set index (see [`ExtensiveGame::infosets`]);
    /// `None` for terminal nodes.
    pub fn infoset(&self) -> Option<usize> {
        self.infoset
    }
    /// Outcome index (see [`ExtensiveGame::outcomes`]), if any.
    pub fn outcome(&self) -> Option<usize> {
        self.outcome
    }
    pub fn is_terminal(&self) -> bool {
        self.children.is_empty()
    }
}

/// Who moves at a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Terminal,
    Chance,
    /// A personal move of the player with this 0-based index.
    Personal(usize),
}

/// An information set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infoset {
    label: String,
    player: Option<usize>,
    actions: Vec<String>,
    probs: Vec<Rational>,
    members: Vec<usize>,
}

impl Infoset {
    pub fn label(&self) -> &str {
        &self.label
    }
    /// 0-based player index; `None` for chance.
    pub fn player(&self) -> Option<usize> {
        self.player
    }
    pub fn is_chance(&self) -> bool {
        self.player.is_none()
    }
    pub fn actions(&self) -> &[String] {
        &self.actions
    }
    pub fn num_actions(&self) -> usize {
        self.actions.len()
    }
    /// Action probabilities (chance sets only; empty for players).
    pub fn probs(&self) -> &[Rational] {
        &self.probs
    }
    /// Member nodes, in prefix order.
    pub fn members(&self) -> &[usize] {
        &self.members
    }
}

/// A finite game in extensive form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensiveGame {
    pub title: String,
    pub comment: String,
    players: Vec<String>,
    nodes: Vec<Node>,
    /// Player 1's sets, ..., player n's sets, then chance's.
    infosets: Vec<Infoset>,
    player_infosets: Vec<Vec<usize>>,
    chance_infosets: Vec<usize>,
    outcomes: Vec<Outcome>,
}

/// A player's previous "last own move", to restore when leaving a subtree.
type EdgeUndo = (usize, Option<(usize, usize)>);

fn invalid(msg: impl Into<String>) -> GameError {
    GameError::Invalid(msg.into())
}

impl ExtensiveGame {
    /// Builds and validates a tree (see the module documentation for the
    /// canonical form it is brought into). Errors name what is wrong: a
    /// node with two parents or not connected to the root, a child count
    /// that differs from the information set's action count, a player index
    /// out of range, chance probabilities that are negative or do not sum
    /// to 1, an outcome with the wrong number of payoffs, duplicate player
    /// labels.
    pub fn new(
        players: Vec<String>,
        nodes: Vec<NodeSpec>,
        infosets: Vec<InfosetSpec>,
        outcomes: Vec<Outcome>,
    ) -> Result<Self, GameError> {
        let n = players.len();
        if n == 0 {
            return Err(invalid("a game needs at least one player"));
        }
        if let Some((i, j)) = first_duplicate(&players) {
            return Err(invalid(format!(
                "players {} and {} are both labelled \"{}\"; player labels must be distinct",
                i + 1,
                j + 1,
                players[j]
            )));
        }
        let mut players = players;
        normalize_labels(&mut players);
        if nodes.is_empty() {
            return Err(invalid("a game tree needs at least a root node"));
        }
        // Information sets.
        for (k, s) in infosets.iter().enumerate() {
            if s.actions.is_empty() {
                return Err(invalid(format!("information set {} has no actions", k + 1)));
            }
            match s.player {
                Some(p) if p >= n => {
                    return Err(invalid(format!(
                        "information set {} belongs to player {}, but there are only {n} players",
                        k + 1,
                        p + 1
                    )))
                }
                Some(_) => {
                    if !s.probs.is_empty() {
                        return Err(invalid(format!(
                            "information set {} belongs to a player but has probabilities",
                            k + 1
                        )));
                    }
                }
                None => check_probs(&s.probs, s.actions.len())
                    .map_err(|m| invalid(format!("chance information set {}: {m}", k + 1)))?,
            }
        }
        for (k, o) in outcomes.iter().enumerate() {
            if o.payoffs.len() != n {
                return Err(invalid(format!(
                    "outcome {} has {} payoffs, expected one per player ({n})",
                    k + 1,
                    o.payoffs.len()
                )));
            }
        }
        // Prefix order, checking the tree structure.
        let mut order = Vec::with_capacity(nodes.len());
        let mut seen = vec![false; nodes.len()];
        let mut stack = vec![0usize];
        seen[0] = true;
        while let Some(v) = stack.pop() {
            order.push(v);
            let spec = &nodes[v];
            match spec.infoset {
                Some(s) => {
                    let set = infosets.get(s).ok_or_else(|| {
                        invalid(format!(
                            "node {} refers to information set {} which does not exist",
                            v + 1,
                            s + 1
                        ))
                    })?;
                    if set.actions.len() != spec.children.len() {
                        return Err(invalid(format!(
                            "node {} has {} children but its information set has {} actions",
                            v + 1,
                            spec.children.len(),
                            set.actions.len()
                        )));
                    }
                }
                None if !spec.children.is_empty() => {
                    return Err(invalid(format!(
                        "node {} has children but no information set",
                        v + 1
                    )))
                }
                None => {}
            }
            if let Some(o) = spec.outcome {
                if o >= outcomes.len() {
                    return Err(invalid(format!(
                        "node {} refers to outcome {} which does not exist",
                        v + 1,
                        o + 1
                    )));
                }
            }
            for &c in spec.children.iter().rev() {
                if c >= nodes.len() || seen[c] {
                    return Err(invalid(format!(
                        "node {} has an invalid child {} (out of range, or already has a parent)",
                        v + 1,
                        c + 1
                    )));
                }
                seen[c] = true;
                stack.push(c);
            }
        }
        if let Some(lost) = seen.iter().position(|s| !s) {
            return Err(invalid(format!(
                "node {} is not connected to the root",
                lost + 1
            )));
        }
        let mut new_id = vec![0usize; nodes.len()];
        for (i, &v) in order.iter().enumerate() {
            new_id[v] = i;
        }
        // First member of each information set; order the sets.
        let mut first: Vec<Option<usize>> = vec![None; infosets.len()];
        for (i, &v) in order.iter().enumerate() {
            if let Some(s) = nodes[v].infoset {
                if first[s].is_none() {
                    first[s] = Some(i);
                }
            }
        }
        if let Some(k) = first.iter().position(Option::is_none) {
            return Err(invalid(format!(
                "information set {} has no member nodes",
                k + 1
            )));
        }
        let mut set_order: Vec<usize> = (0..infosets.len()).collect();
        set_order.sort_by_key(|&s| (infosets[s].player.unwrap_or(n), first[s]));
        let mut new_set = vec![0usize; infosets.len()];
        for (i, &s) in set_order.iter().enumerate() {
            new_set[s] = i;
        }
        // Outcomes by first appearance.
        let mut new_outcome: Vec<Option<usize>> = vec![None; outcomes.len()];
        let mut kept_outcomes: Vec<Outcome> = Vec::new();
        for &v in &order {
            if let Some(o) = nodes[v].outcome {
                if new_outcome[o].is_none() {
                    new_outcome[o] = Some(kept_outcomes.len());
                    kept_outcomes.push(outcomes[o].clone());
                }
            }
        }
        // Build.
        let mut out_nodes: Vec<Node> = order
            .iter()
            .map(|&v| Node {
                label: nodes[v].label.clone(),
                parent: None,
                action: None,
                children: nodes[v].children.iter().map(|&c| new_id[c]).collect(),
                infoset: nodes[v].infoset.map(|s| new_set[s]),
                outcome: nodes[v].outcome.and_then(|o| new_outcome[o]),
            })
            .collect();
        for v in 0..out_nodes.len() {
            let kids = out_nodes[v].children.clone();
            for (a, c) in kids.into_iter().enumerate() {
                out_nodes[c].parent = Some(v);
                out_nodes[c].action = Some(a);
            }
        }
        let mut out_sets: Vec<Infoset> = set_order
            .iter()
            .map(|&s| {
                let mut actions = infosets[s].actions.clone();
                normalize_labels(&mut actions);
                Infoset {
                    label: infosets[s].label.clone(),
                    player: infosets[s].player,
                    actions,
                    probs: infosets[s].probs.clone(),
                    members: Vec::new(),
                }
            })
            .collect();
        for (v, node) in out_nodes.iter().enumerate() {
            if let Some(s) = node.infoset {
                out_sets[s].members.push(v);
            }
        }
        let mut player_infosets = vec![Vec::new(); n];
        let mut chance_infosets = Vec::new();
        for (i, s) in out_sets.iter().enumerate() {
            match s.player {
                Some(p) => player_infosets[p].push(i),
                None => chance_infosets.push(i),
            }
        }
        Ok(ExtensiveGame {
            title: String::new(),
            comment: String::new(),
            players,
            nodes: out_nodes,
            infosets: out_sets,
            player_infosets,
            chance_infosets,
            outcomes: kept_outcomes,
        })
    }

    pub fn num_players(&self) -> usize {
        self.players.len()
    }
    pub fn players(&self) -> &[String] {
        &self.players
    }
    pub fn num_nodes(&self) -> usize {
        self.nodes.len()
    }
    /// The root (always node 0).
    pub fn root(&self) -> usize {
        0
    }
    pub fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }
    /// All nodes, in prefix order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    pub fn num_terminal(&self) -> usize {
        self.nodes.iter().filter(|v| v.is_terminal()).count()
    }
    /// Who moves at a node.
    pub fn node_kind(&self, id: usize) -> NodeKind {
        match self.nodes[id].infoset {
            None => NodeKind::Terminal,
            Some(s) => match self.infosets[s].player {
                None => NodeKind::Chance,
                Some(p) => NodeKind::Personal(p),
            },
        }
    }
    /// All information sets: player 1's, ..., player n's, then chance's.
    pub fn infosets(&self) -> &[Infoset] {
        &self.infosets
    }
    pub fn infoset(&self, s: usize) -> &Infoset {
        &self.infosets[s]
    }
    /// Global indices of a player's information sets, in behaviour-profile
    /// order (by first member in prefix order).
    pub fn player_infosets(&self, player: usize) -> &[usize] {
        &self.player_infosets[player]
    }
    /// Global indices of chance's information sets.
    pub fn chance_infosets(&self) -> &[usize] {
        &self.chance_infosets
    }
    /// Outcomes, numbered by first appearance in prefix order.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }
    /// Payoffs of the outcome attached to a node, if any.
    pub fn node_payoffs(&self, id: usize) -> Option<&[Rational]> {
        self.nodes[id]
            .outcome
            .map(|o| self.outcomes[o].payoffs.as_slice())
    }
    /// Probabilities of a chance node's actions (`None` for other nodes).
    pub fn chance_probs(&self, id: usize) -> Option<&[Rational]> {
        let s = self.nodes[id].infoset?;
        let set = &self.infosets[s];
        set.is_chance().then_some(set.probs.as_slice())
    }
    pub fn has_chance(&self) -> bool {
        !self.chance_infosets.is_empty()
    }
    /// Child indices from the root to a node (the `members` paths of
    /// `reference.json`).
    pub fn node_path(&self, mut id: usize) -> Vec<usize> {
        let mut path = Vec::new();
        while let (Some(p), Some(a)) = (self.nodes[id].parent, self.nodes[id].action) {
            path.push(a);
            id = p;
        }
        path.reverse();
        path
    }

    /// Sum of the outcomes on the path from the root to `id`, inclusive:
    /// for a terminal node, the payoff of that play.
    pub fn path_payoffs(&self, mut id: usize) -> Vec<Rational> {
        let mut sum = vec![Rational::zero(); self.players.len()];
        loop {
            if let Some(p) = self.node_payoffs(id) {
                for (s, v) in sum.iter_mut().zip(p) {
                    *s += v;
                }
            }
            match self.nodes[id].parent {
                Some(p) => id = p,
                None => return sum,
            }
        }
    }

    /// Perfect recall (Kuhn 1953, "Extensive games and the problem of
    /// information"): no player ever forgets what they knew or did. Checked as
    /// Gambit does: every member of an information set must be reached
    /// after the same last own action of its player (or none). This also
    /// rules out absent-mindedness (a set met twice on one play). Linear
    /// time; memory proportional to nodes plus players.
    pub fn is_perfect_recall(&self) -> bool {
        let mut seen: Vec<Option<Option<(usize, usize)>>> = vec![None; self.infosets.len()];
        let mut ok = true;
        self.walk_paths(|v, last| {
            if let Some(s) = self.nodes[v].infoset {
                if let Some(p) = self.infosets[s].player {
                    let mine = last[p];
                    match seen[s] {
                        None => seen[s] = Some(mine),
                        Some(prev) if prev != mine => ok = false,
                        Some(_) => {}
                    }
                }
            }
            ok
        });
        ok
    }

    /// Visits the nodes in prefix order, passing each player's last own
    /// (information set, action) on the path to the node; stops when `f`
    /// returns false. Keeps one entry per player and an undo stack along
    /// the current path, so deep or wide trees cost linear time.
    fn walk_paths(&self, mut f: impl FnMut(usize, &[Option<(usize, usize)>]) -> bool) {
        let mut last: Vec<Option<(usize, usize)>> = vec![None; self.players.len()];
        // (node, undo of the edge into it)
        let mut path: Vec<(usize, Option<EdgeUndo>)> = Vec::new();
        for v in 0..self.nodes.len() {
            if let (Some(par), Some(a)) = (self.nodes[v].parent, self.nodes[v].action) {
                while let Some(&(top, undo)) = path.last() {
                    if top == par {
                        break;
                    }
                    if let Some((q, old)) = undo {
                        last[q] = old;
                    }
                    path.pop();
                }
                let undo = self.nodes[par].infoset.and_then(|s| {
                    self.infosets[s].player.map(|q| {
                        let old = last[q];
                        last[q] = Some((s, a));
                        (q, old)
                    })
                });
                path.push((v, undo));
            } else {
                path.push((v, None));
            }
            if !f(v, &last) {
                return;
            }
        }
    }

    /// Constant sum as Gambit decides it: at every node, all children's
    /// subtrees must have the same payoff total (sum over players of the
    /// outcomes below), whatever the chance probabilities.
    pub fn is_constant_sum(&self) -> bool {
        let mut total: Vec<Rational> = vec![Rational::zero(); self.nodes.len()];
        for v in (0..self.nodes.len()).rev() {
            let node = &self.nodes[v];
            let mut sum = match node.children.first() {
                Some(&c0) => {
                    if node.children[1..].iter().any(|&c| total[c] != total[c0]) {
                        return false;
                    }
                    total[c0].clone()
                }
                None => Rational::zero(),
            };
            if let Some(p) = self.node_payoffs(v) {
                for x in p {
                    sum += x;
                }
            }
            total[v] = sum;
        }
        true
    }

    /// Perfect information: every player's information set has one node.
    pub fn is_perfect_information(&self) -> bool {
        self.infosets
            .iter()
            .all(|s| s.is_chance() || s.members.len() == 1)
    }

    /// Smallest and largest payoff of any play (sums of outcomes along
    /// paths to terminal nodes), over all players; as Gambit's payoff range.
    pub fn payoff_range(&self) -> (Rational, Rational) {
        let mut lo: Option<Rational> = None;
        let mut hi: Option<Rational> = None;
        self.for_each_play(|_, sums| {
            for x in sums {
                if lo.as_ref().is_none_or(|l| x < l) {
                    lo = Some(x.clone());
                }
                if hi.as_ref().is_none_or(|h| x > h) {
                    hi = Some(x.clone());
                }
            }
        });
        (
            lo.unwrap_or_else(Rational::zero),
            hi.unwrap_or_else(Rational::zero),
        )
    }

    /// Calls `f(terminal, payoffs)` for every terminal node in prefix order
    /// with the sum of the outcomes on its path. Memory proportional to the
    /// number of players plus the depth.
    pub fn for_each_play(&self, mut f: impl FnMut(usize, &[Rational])) {
        let n = self.players.len();
        let mut sums = vec![Rational::zero(); n];
        // (node, outcome added on entering it)
        let mut path: Vec<(usize, Option<usize>)> = Vec::new();
        for v in 0..self.nodes.len() {
            let parent = self.nodes[v].parent;
            while let Some(&(top, added)) = path.last() {
                if Some(top) == parent {
                    break;
                }
                if let Some(o) = added {
                    for (x, y) in sums.iter_mut().zip(&self.outcomes[o].payoffs) {
                        *x -= y;
                    }
                }
                path.pop();
            }
            let added = self.nodes[v].outcome;
            if let Some(o) = added {
                for (x, y) in sums.iter_mut().zip(&self.outcomes[o].payoffs) {
                    *x += y;
                }
            }
            path.push((v, added));
            if self.nodes[v].is_terminal() {
                f(v, &sums);
            }
        }
    }

    /// The game's description in the builder's terms (for editing a game
    /// and rebuilding it with [`ExtensiveGame::new`]).
    pub fn to_specs(&self) -> (Vec<NodeSpec>, Vec<InfosetSpec>) {
        let nodes = self
            .nodes
            .iter()
            .map(|v| NodeSpec {
                label: v.label.clone(),
                infoset: v.infoset,
                outcome: v.outcome,
                children: v.children.clone(),
            })
            .collect();
        let sets = self
            .infosets
            .iter()
            .map(|s| InfosetSpec {
                label: s.label.clone(),
                player: s.player,
                actions: s.actions.clone(),
                probs: s.probs.clone(),
            })
            .collect();
        (nodes, sets)
    }
}

/// Chance probabilities must be one per action, nonnegative, summing to 1.
pub(crate) fn check_probs(probs: &[Rational], actions: usize) -> Result<(), String> {
    if probs.len() != actions {
        return Err(format!(
            "{} probabilities for {actions} actions",
            probs.len()
        ));
    }
    if let Some((k, p)) = probs.iter().enumerate().find(|(_, p)| p.is_negative()) {
        return Err(format!(
            "the probability of action {} is negative ({})",
            k + 1,
            crate::number::format_rational(p)
        ));
    }
    let sum: Rational = probs.iter().sum();
    if !sum.is_one() {
        return Err(format!(
            "the probabilities sum to {}, not 1",
            crate::number::format_rational(&sum)
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use num_bigint::BigInt;

    pub(crate) fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn leaf(o: usize) -> NodeSpec {
        NodeSpec {
            outcome: Some(o),
            ..Default::default()
        }
    }

    /// Myerson's one-card poker (Gambit's doc/poker.efg), built by hand
    /// with nodes deliberately out of prefix order.
    pub(crate) fn poker() -> ExtensiveGame {
        let o = |a: i64, b: i64| Outcome {
            label: String::new(),
            payoffs: vec![q(a, 1), q(b, 1)],
        };
        let outcomes = vec![o(2, -2), o(1, -1), o(-1, 1), o(-2, 2)];
        let sets = vec![
            InfosetSpec {
                label: "deal".into(),
                player: None,
                actions: vec!["King".into(), "Queen".into()],
                probs: vec![q(1, 2), q(1, 2)],
            },
            InfosetSpec {
                label: String::new(),
                player: Some(0),
                actions: vec!["Raise".into(), "Fold".into()],
                probs: vec![],
            },
            InfosetSpec {
                label: String::new(),
                player: Some(0),
                actions: vec!["Raise".into(), "Fold".into()],
                probs: vec![],
            },
            InfosetSpec {
                label: String::new(),
                player: Some(1),
                actions: vec!["Meet".into(), "Pass".into()],
                probs: vec![],
            },
        ];
        let p = |s: usize, c: Vec<usize>| NodeSpec {
            infoset: Some(s),
            children: c,
            ..Default::default()
        };
        // 0 root; 1 Alice-K; 2 Alice-Q (listed before Bob's nodes).
        let nodes = vec![
            p(0, vec![1, 2]),
            p(1, vec![3, 4]),
            p(2, vec![5, 6]),
            p(3, vec![7, 8]),
            leaf(2),
            p(3, vec![9, 10]),
            leaf(2),
            leaf(0),
            leaf(1),
            leaf(3),
            leaf(1),
        ];
        ExtensiveGame::new(vec!["Alice".into(), "Bob".into()], nodes, sets, outcomes).unwrap()
    }

    #[test]
    fn canonical_form_is_prefix_ordered() {
        let g = poker();
        assert_eq!(g.num_nodes(), 11);
        assert_eq!(g.num_terminal(), 6);
        assert_eq!(g.node_kind(0), NodeKind::Chance);
        assert_eq!(g.node_kind(1), NodeKind::Personal(0));
        assert_eq!(g.node_kind(2), NodeKind::Personal(1));
        assert_eq!(g.node_path(7), vec![1, 0]);
        // Bob's single set has members [0,0] and [1,0].
        let bob = g.player_infosets(1);
        assert_eq!(bob.len(), 1);
        let paths: Vec<Vec<usize>> = g
            .infoset(bob[0])
            .members()
            .iter()
            .map(|&m| g.node_path(m))
            .collect();
        assert_eq!(paths, vec![vec![0, 0], vec![1, 0]]);
        // Outcomes renumbered by first appearance: (2,-2) first.
        assert_eq!(g.outcomes()[0].payoffs, vec![q(2, 1), q(-2, 1)]);
        assert!(g.is_perfect_recall());
        assert!(g.is_constant_sum());
        assert!(!g.is_perfect_information());
        assert_eq!(g.payoff_range(), (q(-2, 1), q(2, 1)));
        // Rebuilding from the specs gives the same game.
        let (nodes, sets) = g.to_specs();
        let h =
            ExtensiveGame::new(g.players().to_vec(), nodes, sets, g.outcomes().to_vec()).unwrap();
        assert_eq!(g, h);
    }

    #[test]
    fn absent_minded_driver_has_imperfect_recall() {
        let o = |a: i64| Outcome {
            label: String::new(),
            payoffs: vec![q(a, 1)],
        };
        let set = InfosetSpec {
            label: String::new(),
            player: Some(0),
            actions: vec!["exit".into(), "continue".into()],
            probs: vec![],
        };
        let nodes = vec![
            NodeSpec {
                infoset: Some(0),
                children: vec![1, 2],
                ..Default::default()
            },
            leaf(0),
            NodeSpec {
                infoset: Some(0),
                children: vec![3, 4],
                ..Default::default()
            },
            leaf(1),
            leaf(2),
        ];
        let g = ExtensiveGame::new(
            vec!["driver".into()],
            nodes,
            vec![set],
            vec![o(0), o(4), o(1)],
        )
        .unwrap();
        assert!(!g.is_perfect_recall());
        assert_eq!(g.path_payoffs(3), vec![q(4, 1)]);
    }

    #[test]
    fn bad_trees_are_refused() {
        let set = |p: Option<usize>, probs: Vec<Rational>| InfosetSpec {
            label: String::new(),
            player: p,
            actions: vec!["a".into(), "b".into()],
            probs,
        };
        let root = NodeSpec {
            infoset: Some(0),
            children: vec![1, 2],
            ..Default::default()
        };
        let mk = |sets: Vec<InfosetSpec>, nodes: Vec<NodeSpec>| {
            ExtensiveGame::new(vec!["x".into()], nodes, sets, vec![])
                .unwrap_err()
                .to_string()
        };
        let leaves = || vec![NodeSpec::default(), NodeSpec::default()];
        let with = |extra: Vec<NodeSpec>| {
            let mut v = vec![root.clone()];
            v.extend(extra);
            v
        };
        assert!(mk(vec![set(Some(1), vec![])], with(leaves())).contains("only 1 players"));
        assert!(mk(vec![set(None, vec![q(1, 2), q(1, 3)])], with(leaves())).contains("sum to 5/6"));
        assert!(mk(vec![set(None, vec![q(3, 2), q(-1, 2)])], with(leaves())).contains("negative"));
        let mut bad = with(leaves());
        bad[0].children = vec![1, 1];
        assert!(mk(vec![set(Some(0), vec![])], bad).contains("invalid child"));
        let mut lost = with(leaves());
        lost.push(NodeSpec::default());
        assert!(mk(vec![set(Some(0), vec![])], lost).contains("not connected"));
        let e = ExtensiveGame::new(
            vec!["x".into(), "x".into()],
            with(leaves()),
            vec![set(Some(0), vec![])],
            vec![],
        );
        assert!(e.unwrap_err().to_string().contains("both labelled"));
    }
}
