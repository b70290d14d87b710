//! Behaviour strategy profiles of extensive-form games and their
//! independent, exact check.
//!
//! A behaviour profile gives, for each player, for each of the player's
//! information sets (in [`ExtensiveGame::player_infosets`] order), the
//! probabilities of its actions: `profile[p][k][a]`. This is the layout of
//! Gambit's behaviour profiles (and of `reference.json`).
//!
//! The check computes, in exact rationals:
//! * realisation probabilities of nodes and expected payoffs (Kuhn 1953,
//!   "Extensive games and the problem of information");
//! * the **Nash regret** of each player: the value of a best response in
//!   behaviour strategies minus the current payoff. The best response is
//!   found by a walk over the tree that decides the player's information
//!   sets deepest first (valid under perfect recall, where a player's
//!   information sets are partially ordered; Kuhn's theorem makes a
//!   behaviour best response as good as any mixed one);
//! * the **agent regret** of each information set: the gain of the best
//!   single action there against the profile, weighted by the probability
//!   of reaching the set (Selten 1975, "Reexamination of the perfectness
//!   concept", agent normal form).
//!
//! Every solver for trees verifies its answer with [`verify_nash`] before
//! returning it.

use crate::equilibrium::SolveError;
use detente_game::{ExtensiveGame, NodeKind, Rational};
use num_traits::{One, Signed, Zero};

/// `profile[p][k][a]`: probability that player `p` takes action `a` at its
/// `k`-th information set.
pub type BehaviorProfile = Vec<Vec<Vec<Rational>>>;

/// A behaviour profile with each player's expected payoff.
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviorEquilibrium {
    pub profile: BehaviorProfile,
    pub payoffs: Vec<Rational>,
}

/// For each global information set, its index within its player's list
/// (`usize::MAX` for chance sets).
pub(crate) fn local_indices(game: &ExtensiveGame) -> Vec<usize> {
    let mut local = vec![usize::MAX; game.infosets().len()];
    for p in 0..game.num_players() {
        for (k, &s) in game.player_infosets(p).iter().enumerate() {
            local[s] = k;
        }
    }
    local
}

/// Checks that `profile` has the game's shape and holds probability
/// distributions; the error names the first offending entry.
pub fn check_profile(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
) -> Result<(), SolveError> {
    let bad = |m: String| Err(SolveError::NotApplicable(m));
    if profile.len() != game.num_players() {
        return bad(format!(
            "behaviour profile has {} players, the game has {}",
            profile.len(),
            game.num_players()
        ));
    }
    for (p, sets) in profile.iter().enumerate() {
        let ids = game.player_infosets(p);
        if sets.len() != ids.len() {
            return bad(format!(
                "player {} has {} information sets in the profile, {} in the game",
                p + 1,
                sets.len(),
                ids.len()
            ));
        }
        for (k, (probs, &s)) in sets.iter().zip(ids).enumerate() {
            let want = game.infoset(s).num_actions();
            if probs.len() != want {
                return bad(format!(
                    "player {}, information set {}: {} probabilities for {want} actions",
                    p + 1,
                    k + 1,
                    probs.len()
                ));
            }
            if probs.iter().any(|x| x.is_negative()) {
                return bad(format!(
                    "player {}, information set {}: negative probability",
                    p + 1,
                    k + 1
                ));
            }
            if !probs.iter().sum::<Rational>().is_one() {
                return bad(format!(
                    "player {}, information set {}: probabilities do not sum to 1",
                    p + 1,
                    k + 1
                ));
            }
        }
    }
    Ok(())
}

/// Probability of action `a` at non-terminal node `v` under the profile.
fn action_prob<'a>(
    game: &'a ExtensiveGame,
    profile: &'a [Vec<Vec<Rational>>],
    local: &[usize],
    v: usize,
    a: usize,
) -> &'a Rational {
    let s = game.node(v).infoset().unwrap_or(usize::MAX);
    match game.node_kind(v) {
        NodeKind::Chance => &game.infoset(s).probs()[a],
        NodeKind::Personal(p) => &profile[p][local[s]][a],
        NodeKind::Terminal => unreachable_prob(),
    }
}

fn unreachable_prob() -> &'static Rational {
    // Terminal nodes have no actions; callers never ask. A static zero
    // keeps this total without panicking.
    use std::sync::OnceLock;
    static ZERO: OnceLock<Rational> = OnceLock::new();
    ZERO.get_or_init(Rational::zero)
}

/// One past the last node of the subtree at `v` (nodes are in prefix
/// order, so a subtree is a contiguous range).
pub fn subtree_end(game: &ExtensiveGame, mut v: usize) -> usize {
    while let Some(&last) = game.node(v).children().last() {
        v = last;
    }
    v + 1
}

/// Probability of reaching each node from the root under the profile
/// (chance and all players). The profile must have passed
/// [`check_profile`].
pub fn realization_probs(game: &ExtensiveGame, profile: &[Vec<Vec<Rational>>]) -> Vec<Rational> {
    reach_from(game, profile, 0, None)
}

/// Reach probabilities from `root` within its subtree (zero outside); when
/// `skip` is `Some(p)`, player `p`'s own moves count as probability 1.
fn reach_from(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
    root: usize,
    skip: Option<usize>,
) -> Vec<Rational> {
    let local = local_indices(game);
    let n = game.num_nodes();
    let end = subtree_end(game, root);
    let mut r = vec![Rational::zero(); n];
    r[root] = Rational::one();
    for v in root..end {
        if r[v].is_zero() {
            continue;
        }
        let own = matches!(game.node_kind(v), NodeKind::Personal(p) if Some(p) == skip);
        for (a, &c) in game.node(v).children().iter().enumerate() {
            r[c] = if own {
                r[v].clone()
            } else {
                &r[v] * action_prob(game, profile, &local, v, a)
            };
        }
    }
    r
}

/// Expected continuation payoff vector at every node: the outcome at the
/// node plus the expected outcomes below it under the profile.
pub fn node_values(game: &ExtensiveGame, profile: &[Vec<Vec<Rational>>]) -> Vec<Vec<Rational>> {
    let local = local_indices(game);
    let np = game.num_players();
    let n = game.num_nodes();
    let mut val: Vec<Vec<Rational>> = vec![Vec::new(); n];
    for v in (0..n).rev() {
        let mut x = match game.node_payoffs(v) {
            Some(p) => p.to_vec(),
            None => vec![Rational::zero(); np],
        };
        for (a, &c) in game.node(v).children().iter().enumerate() {
            let pr = action_prob(game, profile, &local, v, a);
            if pr.is_zero() {
                continue;
            }
            for (xi, ci) in x.iter_mut().zip(&val[c]) {
                *xi += pr * ci;
            }
        }
        val[v] = x;
    }
    val
}

/// Each player's expected payoff under the profile.
pub fn expected_payoffs(game: &ExtensiveGame, profile: &[Vec<Vec<Rational>>]) -> Vec<Rational> {
    node_values(game, profile).swap_remove(0)
}

/// Value for `player` of a best response (in the subgame at `root`)
/// against the others' behaviour, by the deepest-first walk described in
/// the module documentation. Needs perfect recall.
pub fn best_response_value(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
    player: usize,
    root: usize,
) -> Result<Rational, SolveError> {
    let local = local_indices(game);
    let end = subtree_end(game, root);
    let rho = reach_from(game, profile, root, Some(player));
    let n = game.num_nodes();
    // Own information sets inside the subtree, deepest (largest first
    // member) first.
    let mut sets: Vec<usize> = game
        .player_infosets(player)
        .iter()
        .copied()
        .filter(|&s| {
            let m = game.infoset(s).members();
            m.iter().all(|&v| v >= root && v < end)
        })
        .collect();
    sets.sort_by_key(|&s| std::cmp::Reverse(game.infoset(s).members()[0]));
    let mut decision: Vec<Option<usize>> = vec![None; game.infosets().len()];
    let mut memo: Vec<Option<Rational>> = vec![None; n];
    let own_payoff = |v: usize| -> Rational {
        game.node_payoffs(v)
            .map(|p| p[player].clone())
            .unwrap_or_else(Rational::zero)
    };
    // Iterative memoised evaluation of W(v).
    let eval = |v: usize,
                memo: &mut Vec<Option<Rational>>,
                decision: &Vec<Option<usize>>|
     -> Result<Rational, SolveError> {
        let mut stack = vec![v];
        while let Some(&u) = stack.last() {
            if memo[u].is_some() {
                stack.pop();
                continue;
            }
            let node = game.node(u);
            let needed: Vec<(usize, Rational)> = match game.node_kind(u) {
                NodeKind::Terminal => Vec::new(),
                NodeKind::Personal(p) if p == player => {
                    let s = node.infoset().unwrap_or(usize::MAX);
                    let d = decision.get(s).copied().flatten().ok_or_else(|| {
                        SolveError::NotApplicable(format!(
                            "cannot compute a best response below node {}: it does not root a \
                             subgame, or the game lacks perfect recall",
                            root + 1
                        ))
                    })?;
                    vec![(node.children()[d], Rational::one())]
                }
                _ => node
                    .children()
                    .iter()
                    .enumerate()
                    .map(|(a, &c)| (c, action_prob(game, profile, &local, u, a).clone()))
                    .filter(|(_, pr)| !pr.is_zero())
                    .collect(),
            };
            let missing: Vec<usize> = needed
                .iter()
                .filter(|(c, _)| memo[*c].is_none())
                .map(|(c, _)| *c)
                .collect();
            if missing.is_empty() {
                let mut w = own_payoff(u);
                for (c, pr) in &needed {
                    if let Some(x) = &memo[*c] {
                        w += pr * x;
                    }
                }
                memo[u] = Some(w);
                stack.pop();
            } else {
                stack.extend(missing);
            }
        }
        Ok(memo[v].clone().unwrap_or_else(Rational::zero))
    };
    for s in sets {
        let set = game.infoset(s);
        let mut best: Option<(Rational, usize)> = None;
        for a in 0..set.num_actions() {
            let mut total = Rational::zero();
            for &m in set.members() {
                if rho[m].is_zero() {
                    continue;
                }
                let c = game.node(m).children()[a];
                total += &rho[m] * eval(c, &mut memo, &decision)?;
            }
            if best.as_ref().is_none_or(|(b, _)| total > *b) {
                best = Some((total, a));
            }
        }
        decision[s] = best.map(|(_, a)| a);
    }
    eval(root, &mut memo, &decision)
}

/// Nash regret of each player in the subgame rooted at `root` (use node 0
/// for the whole game): best-response value minus current value. Zero for
/// every player exactly when the profile is a Nash equilibrium there.
pub fn nash_regrets_at(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
    root: usize,
) -> Result<Vec<Rational>, SolveError> {
    check_profile(game, profile)?;
    if !game.is_perfect_recall() {
        return Err(SolveError::NotApplicable(
            "Nash regret of behaviour profiles needs perfect recall; this game has imperfect recall"
                .into(),
        ));
    }
    let vals = node_values(game, profile);
    (0..game.num_players())
        .map(|p| Ok(best_response_value(game, profile, p, root)? - &vals[root][p]))
        .collect()
}

/// Nash regret of each player in the whole game.
pub fn nash_regrets(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
) -> Result<Vec<Rational>, SolveError> {
    nash_regrets_at(game, profile, game.root())
}

/// Agent regret of each information set, `[p][k]`: the most that player
/// `p` gains, weighted by the probability of reaching the set, by
/// switching to a single action there while everything else stays.
/// Works for imperfect recall too.
pub fn agent_regrets(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
) -> Result<Vec<Vec<Rational>>, SolveError> {
    check_profile(game, profile)?;
    let reach = realization_probs(game, profile);
    let vals = node_values(game, profile);
    let mut out = Vec::with_capacity(game.num_players());
    for p in 0..game.num_players() {
        let mut row = Vec::new();
        for &s in game.player_infosets(p) {
            let set = game.infoset(s);
            let mut current = Rational::zero();
            let mut best: Option<Rational> = None;
            for a in 0..set.num_actions() {
                let mut t = Rational::zero();
                for &m in set.members() {
                    let c = game.node(m).children()[a];
                    t += &reach[m] * &vals[c][p];
                }
                if best.as_ref().is_none_or(|b| t > *b) {
                    best = Some(t);
                }
            }
            for &m in set.members() {
                let own = game
                    .node_payoffs(m)
                    .map(|x| x[p].clone())
                    .unwrap_or_else(Rational::zero);
                current += &reach[m] * (&vals[m][p] - own);
            }
            row.push(best.unwrap_or_else(Rational::zero) - current);
        }
        out.push(row);
    }
    Ok(out)
}

/// The independent check every tree solver runs before returning: the
/// profile is well formed and every player's Nash regret is exactly zero.
/// Returns the equilibrium record (with expected payoffs).
pub fn verify_nash(
    game: &ExtensiveGame,
    profile: BehaviorProfile,
) -> Result<BehaviorEquilibrium, SolveError> {
    let regrets = nash_regrets(game, &profile)?;
    if let Some((p, r)) = regrets.iter().enumerate().find(|(_, r)| !r.is_zero()) {
        return Err(SolveError::NotApplicable(format!(
            "internal error: computed profile failed the equilibrium check (player {} regret {})",
            p + 1,
            detente_game::format_rational(r)
        )));
    }
    let payoffs = expected_payoffs(game, &profile);
    Ok(BehaviorEquilibrium { profile, payoffs })
}

/// For every information set of a tree (global index), whether its player's own earlier
/// choices in `profile` let play reach one of its nodes (the others'
/// moves and chance aside). A set its own player never reaches can be
/// left unspecified, as Gambit prints sequence-form answers: no other
/// player's deviation reaches it either (perfect recall), so the Nash
/// check does not depend on what is played there.
pub fn reached_by_own_play(t: &ExtensiveGame, profile: &[Vec<Vec<Rational>>]) -> Vec<bool> {
    let local = local_indices(t);
    let mut reached = vec![false; t.infosets().len()];
    let mut stack = vec![(t.root(), vec![true; t.num_players()])];
    while let Some((v, own)) = stack.pop() {
        let kids = t.node(v).children();
        match (t.node_kind(v), t.node(v).infoset()) {
            (NodeKind::Personal(p), Some(set)) => {
                reached[set] |= own[p];
                let probs = &profile[p][local[set]];
                for (a, &c) in kids.iter().enumerate() {
                    let mut next = own.clone();
                    next[p] = own[p] && probs.get(a).is_some_and(|x| x.is_positive());
                    stack.push((c, next));
                }
            }
            _ => stack.extend(kids.iter().map(|&c| (c, own.clone()))),
        }
    }
    reached
}

/// The profile in which every player mixes uniformly at every set.
pub fn uniform_profile(game: &ExtensiveGame) -> BehaviorProfile {
    (0..game.num_players())
        .map(|p| {
            game.player_infosets(p)
                .iter()
                .map(|&s| {
                    let k = game.infoset(s).num_actions();
                    vec![Rational::new(1.into(), (k as i64).into()); k]
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use detente_game::{Game, InfosetSpec, NodeSpec, Outcome};

    pub(crate) fn q(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
    }

    /// Myerson's one-card poker (doc/poker.efg).
    pub(crate) fn poker() -> ExtensiveGame {
        let text = r#"EFG 2 R "One card poker game, after Myerson (1991)" { "Alice" "Bob" }
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
        tree(text, "poker.efg")
    }

    /// A test tree from `.efg` text (`name` for messages).
    pub(crate) fn tree(text: &str, name: &str) -> ExtensiveGame {
        match detente_game::read_game(text, name) {
            Ok(Game::Extensive(g)) => g,
            other => panic!("test game {name} did not parse: {other:?}"),
        }
    }

    /// In poker every player set is reached by its own player's play (only
    /// chance and the other player come first; chance sets count as not
    /// reached). A set after its player's own zero-probability action is
    /// not reached.
    #[test]
    fn sets_reached_by_own_play() {
        let g = poker();
        let prof = vec![
            vec![vec![q(0, 1), q(1, 1)], vec![q(0, 1), q(1, 1)]],
            vec![vec![q(1, 1), q(0, 1)]],
        ];
        let reached = reached_by_own_play(&g, &prof);
        for p in 0..2 {
            for &set in g.player_infosets(p) {
                assert!(reached[set], "player {p} set {set}");
            }
        }
        let text = r#"EFG 2 R "own" { "A" "B" }
""
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 0, 0 }
p "" 2 1 "" { "l" "r" } 0
p "" 1 2 "" { "x" "y" } 0
t "" 2 "" { 1, 1 }
t "" 3 "" { 2, 2 }
t "" 4 "" { 3, 3 }
"#;
        let g = tree(text, "own.efg");
        let out_first = vec![
            vec![vec![q(1, 1), q(0, 1)], vec![q(1, 1), q(0, 1)]],
            vec![vec![q(0, 1), q(1, 1)]],
        ];
        let reached = reached_by_own_play(&g, &out_first);
        let a2 = g.player_infosets(0)[1];
        let b1 = g.player_infosets(1)[0];
        // A's second set follows A's own "In", played with probability 0;
        // B's set is reached by B's own play (B has moved before nowhere).
        assert!(!reached[a2]);
        assert!(reached[b1]);
    }

    #[test]
    fn poker_equilibrium_has_zero_regret() {
        let g = poker();
        let prof = vec![
            vec![vec![q(1, 1), q(0, 1)], vec![q(1, 3), q(2, 3)]],
            vec![vec![q(2, 3), q(1, 3)]],
        ];
        let eq = verify_nash(&g, prof.clone()).unwrap();
        assert_eq!(eq.payoffs, vec![q(1, 3), q(-1, 3)]);
        let ag = agent_regrets(&g, &prof).unwrap();
        assert!(ag.iter().flatten().all(|r| r.is_zero()));
        // Bob always passing: Alice should always raise; regret positive.
        let bad = vec![
            vec![vec![q(1, 1), q(0, 1)], vec![q(1, 3), q(2, 3)]],
            vec![vec![q(0, 1), q(1, 1)]],
        ];
        let r = nash_regrets(&g, &bad).unwrap();
        // Alice: raising with Queen too gives 1 instead of 1/2*1+1/2*(1/3*1+2/3*(-1)) = 1/3.
        assert_eq!(r[0], q(2, 3));
        assert!(verify_nash(&g, bad).is_err());
    }

    #[test]
    fn malformed_profiles_are_refused() {
        let g = poker();
        let short = vec![vec![vec![q(1, 1), q(0, 1)]], vec![vec![q(1, 2), q(1, 2)]]];
        assert!(check_profile(&g, &short).is_err());
        let neg = vec![
            vec![vec![q(2, 1), q(-1, 1)], vec![q(1, 2), q(1, 2)]],
            vec![vec![q(1, 2), q(1, 2)]],
        ];
        assert!(check_profile(&g, &neg)
            .unwrap_err()
            .to_string()
            .contains("negative"));
        assert!(check_profile(&g, &uniform_profile(&g)).is_ok());
    }

    #[test]
    fn imperfect_recall_is_not_applicable_for_nash_regret() {
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
        let leaf = |o: usize| NodeSpec {
            outcome: Some(o),
            ..Default::default()
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
        let g =
            ExtensiveGame::new(vec!["d".into()], nodes, vec![set], vec![o(0), o(4), o(1)]).unwrap();
        let prof = uniform_profile(&g);
        assert!(matches!(
            nash_regrets(&g, &prof),
            Err(SolveError::NotApplicable(_))
        ));
        assert!(agent_regrets(&g, &prof).is_ok());
    }
}
