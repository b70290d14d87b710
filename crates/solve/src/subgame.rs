//! Subgames and subgame-perfect equilibria (Selten 1965, "Spieltheoretische
//! Behandlung eines Oligopolmodells mit Nachfrageträgheit", Zeitschrift für
//! die gesamte Staatswissenschaft 121; Selten 1975, "Reexamination of the
//! perfectness concept for equilibrium points in extensive games", IJGT 4).
//!
//! A subgame root is a non-terminal node whose subtree contains every
//! member of every player information set it touches. A profile is subgame
//! perfect when it is a Nash equilibrium of every subgame; this is checked
//! exactly, subgame by subgame, with the best-response walk of
//! [`crate::behavior`] (for perfect-information games, equivalently and in
//! linear time, by the one-shot deviation principle).
//!
//! [`subgame_perfect`] finds one SPE of a game with imperfect information
//! by solving the smallest subgames first, replacing each solved subgame by
//! a terminal node carrying its equilibrium payoffs, and going up (Kuhn
//! 1953; the standard construction, e.g. Osborne & Rubinstein 1994, §6.2):
//! two-player subgames are solved by the sequence-form LCP
//! ([`crate::seqform_lcp`]), others by pure equilibria of the reduced
//! normal form ([`crate::enumpure`]), which may have none.

use crate::behavior::{
    check_profile, local_indices, nash_regrets_at, node_values, subtree_end, verify_nash,
    BehaviorEquilibrium, BehaviorProfile,
};
use crate::equilibrium::SolveError;
use detente_game::{ExtensiveGame, InfosetSpec, NodeKind, NodeSpec, Outcome, Rational};
use num_traits::Zero;

/// Non-terminal nodes that root a subgame, in prefix order (the root is
/// always first).
pub fn subgame_roots(game: &ExtensiveGame) -> Vec<usize> {
    let n = game.num_nodes();
    let sets = game.infosets();
    let mut lo = vec![usize::MAX; sets.len()];
    let mut hi = vec![0usize; sets.len()];
    for (s, set) in sets.iter().enumerate() {
        if set.is_chance() {
            continue;
        }
        for &m in set.members() {
            lo[s] = lo[s].min(m);
            hi[s] = hi[s].max(m);
        }
    }
    let mut mn = vec![usize::MAX; n];
    let mut mx = vec![0usize; n];
    for v in (0..n).rev() {
        let node = game.node(v);
        if let Some(s) = node.infoset() {
            if !sets[s].is_chance() {
                mn[v] = lo[s];
                mx[v] = hi[s];
            } else {
                mx[v] = v;
                mn[v] = v;
            }
        } else {
            mn[v] = v;
            mx[v] = v;
        }
        for &c in node.children() {
            mn[v] = mn[v].min(mn[c]);
            mx[v] = mx[v].max(mx[c]);
        }
    }
    (0..n)
        .filter(|&v| !game.node(v).is_terminal() && mn[v] >= v && mx[v] < subtree_end(game, v))
        .collect()
}

/// Each player's Nash regret in every proper subgame (the whole game
/// excluded), subgame by subgame in prefix order of their roots: the
/// profile is subgame perfect exactly when these and the whole game's
/// regrets are all zero. Used to say where a profile fails; needs perfect
/// recall.
pub fn subgame_regrets(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
) -> Result<Vec<(usize, Vec<Rational>)>, SolveError> {
    subgame_roots(game)
        .into_iter()
        .filter(|&r| r != game.root())
        .map(|r| Ok((r, nash_regrets_at(game, profile, r)?)))
        .collect()
}

/// Whether `profile` is a subgame-perfect equilibrium (exact). Needs
/// perfect recall unless the game has perfect information.
pub fn is_subgame_perfect(
    game: &ExtensiveGame,
    profile: &[Vec<Vec<Rational>>],
) -> Result<bool, SolveError> {
    check_profile(game, profile)?;
    if game.is_perfect_information() {
        // One-shot deviation principle: at every node the mover only
        // mixes over actions that are best given the continuation values.
        let vals = node_values(game, profile);
        let local = local_indices(game);
        for v in 0..game.num_nodes() {
            if let NodeKind::Personal(p) = game.node_kind(v) {
                let s = game.node(v).infoset().unwrap_or(usize::MAX);
                let kids = game.node(v).children();
                let best = kids.iter().map(|&c| &vals[c][p]).max();
                let probs = &profile[p][local[s]];
                for (a, &c) in kids.iter().enumerate() {
                    if !probs[a].is_zero() && Some(&vals[c][p]) != best {
                        return Ok(false);
                    }
                }
            }
        }
        return Ok(true);
    }
    for r in subgame_roots(game) {
        if nash_regrets_at(game, profile, r)?
            .iter()
            .any(|x| !x.is_zero())
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// How [`subgame_perfect`] solves each subgame.
#[derive(Debug, Clone, PartialEq)]
pub struct SubgameOptions {
    /// Options for the two-player sequence-form LCP.
    pub lcp: crate::seqform_lcp::SeqLcpOptions,
    /// Largest reduced normal form (number of pure profiles) enumerated
    /// for subgames with three or more players.
    pub max_profiles: usize,
}

impl Default for SubgameOptions {
    fn default() -> Self {
        SubgameOptions {
            lcp: crate::seqform_lcp::SeqLcpOptions::default(),
            max_profiles: 1_000_000,
        }
    }
}

/// The subgame at `root` as a game of its own; returns it with the map
/// from its nodes to the original nodes. Nodes in `solved` (other subgame
/// roots already solved) become terminal with the given payoffs.
fn extract_subgame(
    game: &ExtensiveGame,
    root: usize,
    solved: &[Option<Vec<Rational>>],
) -> Result<(ExtensiveGame, Vec<usize>), SolveError> {
    let end = subtree_end(game, root);
    let mut keep: Vec<usize> = Vec::new();
    let mut new_id = vec![usize::MAX; game.num_nodes()];
    // Prefix walk skipping below solved roots.
    let mut v = root;
    while v < end {
        new_id[v] = keep.len();
        keep.push(v);
        if v != root && solved[v].is_some() {
            v = subtree_end(game, v);
        } else {
            v += 1;
        }
    }
    let mut set_id = vec![usize::MAX; game.infosets().len()];
    let mut sets: Vec<InfosetSpec> = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut nodes: Vec<NodeSpec> = Vec::with_capacity(keep.len());
    for &u in &keep {
        let node = game.node(u);
        let mut spec = NodeSpec {
            label: node.label().to_string(),
            ..Default::default()
        };
        let own = game.node_payoffs(u).map(|p| p.to_vec());
        let pay = match (u != root, &solved[u]) {
            (true, Some(val)) => Some(val.clone()),
            _ => {
                if let Some(s) = node.infoset() {
                    if set_id[s] == usize::MAX {
                        set_id[s] = sets.len();
                        let set = game.infoset(s);
                        sets.push(InfosetSpec {
                            label: set.label().to_string(),
                            player: set.player(),
                            actions: set.actions().to_vec(),
                            probs: set.probs().to_vec(),
                        });
                    }
                    spec.infoset = Some(set_id[s]);
                    spec.children = node.children().iter().map(|&c| new_id[c]).collect();
                }
                own
            }
        };
        if let Some(p) = pay {
            spec.outcome = Some(outcomes.len());
            outcomes.push(Outcome {
                label: String::new(),
                payoffs: p,
            });
        }
        nodes.push(spec);
    }
    let g = ExtensiveGame::new(game.players().to_vec(), nodes, sets, outcomes).map_err(|e| {
        SolveError::NotApplicable(format!("internal error building a subgame: {e}"))
    })?;
    Ok((g, keep))
}

/// One subgame-perfect equilibrium, solving subgames bottom-up (see the
/// module documentation). Errors: `NotApplicable` for imperfect recall or
/// when some subgame with three or more players has no pure equilibrium.
pub fn subgame_perfect(
    game: &ExtensiveGame,
    opts: &SubgameOptions,
) -> Result<BehaviorEquilibrium, SolveError> {
    if !game.is_perfect_recall() {
        return Err(SolveError::NotApplicable(
            "subgame-perfect solving needs perfect recall; this game has imperfect recall".into(),
        ));
    }
    let roots = subgame_roots(game);
    let mut solved: Vec<Option<Vec<Rational>>> = vec![None; game.num_nodes()];
    let local = local_indices(game);
    let mut profile: BehaviorProfile = crate::behavior::uniform_profile(game);
    for &r in roots.iter().rev() {
        let (sub, map) = extract_subgame(game, r, &solved)?;
        let eq = solve_one(&sub, opts)?;
        // Copy the subgame's behaviour into the full profile.
        let sub_local = local_indices(&sub);
        for (sv, &orig) in map.iter().enumerate() {
            if let (NodeKind::Personal(p), Some(ss)) = (sub.node_kind(sv), sub.node(sv).infoset()) {
                if let Some(s) = game.node(orig).infoset() {
                    profile[p][local[s]] = eq.profile[p][sub_local[ss]].clone();
                }
            }
        }
        // The subgame's payoffs include the outcome on r itself, which is
        // what r carries when it becomes a terminal node of a larger subgame.
        solved[r] = Some(eq.payoffs);
    }
    let eq = verify_nash(game, profile)?;
    if !is_subgame_perfect(game, &eq.profile)? {
        return Err(SolveError::NotApplicable(
            "internal error: the assembled profile failed the subgame-perfection check".into(),
        ));
    }
    Ok(eq)
}

fn solve_one(
    sub: &ExtensiveGame,
    opts: &SubgameOptions,
) -> Result<BehaviorEquilibrium, SolveError> {
    if sub.num_players() == 2 {
        let mut eqs = crate::seqform_lcp::seqform_lcp(sub, &opts.lcp)?;
        if eqs.is_empty() {
            return Err(SolveError::NotApplicable(
                "the sequence-form LCP found no equilibrium of a subgame".into(),
            ));
        }
        return Ok(eqs.swap_remove(0));
    }
    // n players: pure equilibria of the reduced normal form.
    let shape = sub
        .reduced_shape()
        .map_err(|e| SolveError::TooLarge(format!("subgame reduced normal form: {e}")))?;
    let cells = shape.iter().try_fold(1usize, |a, &b| a.checked_mul(b));
    if cells.is_none_or(|c| c > opts.max_profiles) {
        return Err(SolveError::TooLarge(format!(
            "a subgame's reduced normal form has {shape:?} strategies, more than {} pure profiles",
            opts.max_profiles
        )));
    }
    let strategies = sub
        .reduced_strategies()
        .map_err(|e| SolveError::TooLarge(format!("subgame reduced normal form: {e}")))?;
    let nf = sub
        .reduced_normal_form()
        .map_err(|e| SolveError::TooLarge(format!("subgame reduced normal form: {e}")))?;
    let pure = crate::enumpure::pure_equilibria(&nf);
    let first = pure.first().ok_or_else(|| {
        SolveError::NotApplicable(
            "a subgame with three or more players has no pure equilibrium in its reduced normal \
             form; no subgame-perfect equilibrium found with this method"
                .into(),
        )
    })?;
    let profile = pure_to_behavior(sub, &strategies, first);
    verify_nash(sub, profile)
}

/// Behaviour profile of a pure reduced-strategy profile.
fn pure_to_behavior(
    game: &ExtensiveGame,
    strategies: &[Vec<detente_game::ReducedStrategy>],
    pure: &[usize],
) -> BehaviorProfile {
    let mut profile = crate::behavior::uniform_profile(game);
    for (p, &s) in pure.iter().enumerate() {
        let strat = &strategies[p][s];
        for (k, probs) in profile[p].iter_mut().enumerate() {
            if let Some(a) = strat.choices.get(k).copied().flatten() {
                for (b, x) in probs.iter_mut().enumerate() {
                    *x = if a == b {
                        Rational::from_integer(1.into())
                    } else {
                        Rational::zero()
                    };
                }
            }
        }
    }
    profile
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behavior::tests::{poker, q, tree};

    #[test]
    fn poker_has_one_subgame_and_its_equilibrium_is_perfect() {
        let g = poker();
        assert_eq!(subgame_roots(&g), vec![0]);
        let prof = vec![
            vec![vec![q(1, 1), q(0, 1)], vec![q(1, 3), q(2, 3)]],
            vec![vec![q(2, 3), q(1, 3)]],
        ];
        assert!(is_subgame_perfect(&g, &prof).unwrap());
    }

    /// Entry followed by a simultaneous coordination subgame: staying out
    /// against a miscoordinating threat is Nash but not subgame perfect.
    #[test]
    fn entry_with_coordination_subgame() {
        let text = r#"EFG 2 R "entry-coord" { "P1" "P2" } ""
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 2, 2 }
p "" 1 2 "" { "A" "B" } 0
p "" 2 1 "" { "a" "b" } 0
t "" 2 "" { 3, 1 }
t "" 3 "" { -1, -1 }
p "" 2 1 "" { "a" "b" } 0
t "" 3 "" { -1, -1 }
t "" 4 "" { 1, 3 }
"#;
        let g = tree(text, "t.efg");
        assert_eq!(subgame_roots(&g), vec![0, 2]);
        let one = || vec![q(1, 1), q(0, 1)];
        let two = || vec![q(0, 1), q(1, 1)];
        let threat = vec![vec![one(), one()], vec![two()]];
        assert!(crate::behavior::nash_regrets(&g, &threat)
            .unwrap()
            .iter()
            .all(|r| r.is_zero()));
        assert!(!is_subgame_perfect(&g, &threat).unwrap());
        // Where it fails: in the subgame at node 2, (A, b) gives both −1;
        // B (against b) or a (against A) gives the deviator 1: both gain 2.
        let per = subgame_regrets(&g, &threat).unwrap();
        assert_eq!(per.len(), 1);
        assert_eq!(per[0].0, 2);
        assert_eq!(per[0].1, vec![q(2, 1), q(2, 1)]);
        let spe = subgame_perfect(&g, &SubgameOptions::default()).unwrap();
        assert!(is_subgame_perfect(&g, &spe.profile).unwrap());
        assert!(subgame_regrets(&g, &spe.profile)
            .unwrap()
            .iter()
            .all(|(_, r)| r.iter().all(|x| x.is_zero())));
        // Either coordinated outcome of the subgame is possible; the entry
        // decision must be optimal against it.
        let sub_val = &spe.payoffs;
        assert!(sub_val[0] >= q(2, 1));
    }
}
