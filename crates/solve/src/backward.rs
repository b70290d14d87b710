//! Subgame-perfect equilibria of games of perfect information by backward
//! induction (Zermelo 1913, "Über eine Anwendung der Mengenlehre auf die
//! Theorie des Schachspiels"; Kuhn 1953, "Extensive games and the problem
//! of information", Corollary 1; Selten 1965/1975 for subgame perfection).
//!
//! Any number of players; chance moves are averaged. Where a player is
//! indifferent between actions, every choice gives a different pure
//! subgame-perfect equilibrium: the method lists them all, up to a cap.
//! Each node keeps the list of pure SPE of its subgame (their payoff vector
//! and the choices made, shared with the children's lists), built bottom
//! up in one pass over the nodes in reverse prefix order; lists are cut at
//! the cap and the result then says it is incomplete.
//!
//! Every returned profile is checked independently: zero Nash regret
//! ([`crate::behavior::verify_nash`]) and subgame perfection
//! ([`crate::subgame::is_subgame_perfect`]).

use crate::behavior::{verify_nash, BehaviorEquilibrium, BehaviorProfile};
use crate::equilibrium::SolveError;
use crate::subgame::is_subgame_perfect;
use detente_game::{ExtensiveGame, NodeKind, Rational};
use num_traits::{One, Zero};
use std::rc::Rc;

/// Options for [`backward_induction`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackwardOptions {
    /// Most equilibria to return (at least 1).
    pub max_equilibria: usize,
    /// Most partial solutions kept over all nodes together; when reached,
    /// each node keeps only one (so one SPE is always found).
    pub max_entries: usize,
}

impl Default for BackwardOptions {
    /// Up to 100 equilibria, two million partial solutions.
    fn default() -> Self {
        BackwardOptions {
            max_equilibria: 100,
            max_entries: 2_000_000,
        }
    }
}

/// The pure subgame-perfect equilibria found.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeSet {
    pub equilibria: Vec<BehaviorEquilibrium>,
    /// True when `equilibria` are all pure SPE of the game (no cap hit).
    pub complete: bool,
}

/// Choices made in one pure SPE of a subgame.
struct Choice {
    node: usize,
    action: Option<usize>,
    kids: Vec<Option<Rc<Choice>>>,
}

#[derive(Clone)]
struct Entry {
    vals: Vec<Rational>,
    choice: Option<Rc<Choice>>,
}

/// All pure subgame-perfect equilibria of a perfect-information game (up
/// to `opts.max_equilibria`), by backward induction. Errors:
/// `NotApplicable` if some player's information set has more than one node.
pub fn backward_induction(
    game: &ExtensiveGame,
    opts: &BackwardOptions,
) -> Result<SpeSet, SolveError> {
    if !game.is_perfect_information() {
        return Err(SolveError::NotApplicable(
            "backward induction needs perfect information (every information set of a player \
             has one node); use subgame-perfect solving with a method instead"
                .into(),
        ));
    }
    let cap = opts.max_equilibria.max(1);
    let np = game.num_players();
    let n = game.num_nodes();
    let mut lists: Vec<Vec<Entry>> = vec![Vec::new(); n];
    let mut complete = true;
    let mut entries = 0usize;
    for v in (0..n).rev() {
        let node = game.node(v);
        let here = game
            .node_payoffs(v)
            .map(|p| p.to_vec())
            .unwrap_or_else(|| vec![Rational::zero(); np]);
        let kids = node.children();
        let mut out: Vec<Entry> = Vec::new();
        if kids.is_empty() {
            out.push(Entry {
                vals: here,
                choice: None,
            });
        } else {
            let node_cap = if entries >= opts.max_entries { 1 } else { cap };
            let sizes: Vec<usize> = kids.iter().map(|&c| lists[c].len()).collect();
            let mut idx = vec![0usize; kids.len()];
            let kind = game.node_kind(v);
            'combos: loop {
                let picked: Vec<&Entry> =
                    kids.iter().zip(&idx).map(|(&c, &i)| &lists[c][i]).collect();
                let kid_choices: Vec<Option<Rc<Choice>>> =
                    picked.iter().map(|e| e.choice.clone()).collect();
                match kind {
                    NodeKind::Personal(p) => {
                        let best = picked
                            .iter()
                            .map(|e| &e.vals[p])
                            .max()
                            .cloned()
                            .unwrap_or_else(Rational::zero);
                        for (a, e) in picked.iter().enumerate() {
                            if e.vals[p] != best {
                                continue;
                            }
                            if out.len() >= node_cap {
                                complete = false;
                                break 'combos;
                            }
                            let vals = here.iter().zip(&e.vals).map(|(h, x)| h + x).collect();
                            out.push(Entry {
                                vals,
                                choice: Some(Rc::new(Choice {
                                    node: v,
                                    action: Some(a),
                                    kids: kid_choices.clone(),
                                })),
                            });
                        }
                    }
                    _ => {
                        if out.len() >= node_cap {
                            complete = false;
                            break 'combos;
                        }
                        let probs = game.chance_probs(v).unwrap_or(&[]);
                        let mut vals = here.clone();
                        for (e, pr) in picked.iter().zip(probs) {
                            for (x, y) in vals.iter_mut().zip(&e.vals) {
                                *x += pr * y;
                            }
                        }
                        out.push(Entry {
                            vals,
                            choice: Some(Rc::new(Choice {
                                node: v,
                                action: None,
                                kids: kid_choices,
                            })),
                        });
                    }
                }
                // Next combination (odometer).
                let mut k = 0;
                loop {
                    if k == idx.len() {
                        break 'combos;
                    }
                    idx[k] += 1;
                    if idx[k] < sizes[k] {
                        break;
                    }
                    idx[k] = 0;
                    k += 1;
                }
            }
            // Children's lists are no longer needed except through Rc.
            for &c in kids {
                lists[c] = Vec::new();
            }
        }
        entries += out.len();
        lists[v] = out;
    }
    let root_list = std::mem::take(&mut lists[0]);
    let mut equilibria = Vec::with_capacity(root_list.len());
    for e in root_list {
        let profile = materialize(game, e.choice.as_ref());
        let eq = verify_nash(game, profile)?;
        if eq.payoffs != e.vals {
            return Err(SolveError::NotApplicable(
                "internal error: backward-induction values disagree with the profile's payoffs"
                    .into(),
            ));
        }
        if !is_subgame_perfect(game, &eq.profile)? {
            return Err(SolveError::NotApplicable(
                "internal error: backward-induction profile failed the subgame-perfection check"
                    .into(),
            ));
        }
        equilibria.push(eq);
    }
    Ok(SpeSet {
        equilibria,
        complete,
    })
}

/// Pure behaviour profile from the choices of one SPE.
fn materialize(game: &ExtensiveGame, root: Option<&Rc<Choice>>) -> BehaviorProfile {
    let mut act: Vec<Option<usize>> = vec![None; game.num_nodes()];
    let mut stack: Vec<&Rc<Choice>> = root.into_iter().collect();
    while let Some(c) = stack.pop() {
        act[c.node] = c.action;
        stack.extend(c.kids.iter().flatten());
    }
    (0..game.num_players())
        .map(|p| {
            game.player_infosets(p)
                .iter()
                .map(|&s| {
                    let set = game.infoset(s);
                    let a = set.members().first().and_then(|&m| act[m]).unwrap_or(0);
                    (0..set.num_actions())
                        .map(|b| {
                            if a == b {
                                Rational::one()
                            } else {
                                Rational::zero()
                            }
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behavior::tests::q;
    use detente_game::Game;

    fn efg(text: &str) -> ExtensiveGame {
        match detente_game::read_game(text, "t.efg") {
            Ok(Game::Extensive(g)) => g,
            other => panic!("bad test game: {other:?}"),
        }
    }

    /// Entry game: entrant In/Out; incumbent Fight/Accommodate.
    #[test]
    fn entry_game_has_one_spe_and_not_the_threat() {
        let g = efg(r#"EFG 2 R "entry" { "E" "I" } ""
p "" 1 1 "" { "In" "Out" } 0
p "" 2 1 "" { "Fight" "Acc" } 0
t "" 1 "" { -1, -1 }
t "" 2 "" { 1, 1 }
t "" 3 "" { 0, 2 }
"#);
        let r = backward_induction(&g, &BackwardOptions::default()).unwrap();
        assert!(r.complete);
        assert_eq!(r.equilibria.len(), 1);
        let e = &r.equilibria[0];
        assert_eq!(e.profile[0][0], vec![q(1, 1), q(0, 1)]);
        assert_eq!(e.profile[1][0], vec![q(0, 1), q(1, 1)]);
        assert_eq!(e.payoffs, vec![q(1, 1), q(1, 1)]);
    }

    /// Ties give several SPE; chance is averaged; the cap is honoured.
    #[test]
    fn ties_and_chance() {
        let g = efg(r#"EFG 2 R "tie" { "A" "B" } ""
c "" 1 "" { "h" 1/2 "t" 1/2 } 0
p "" 1 1 "" { "x" "y" } 0
t "" 1 "" { 1, 0 }
t "" 2 "" { 1, 5 }
p "" 2 1 "" { "l" "r" } 0
t "" 3 "" { 2, 1 }
t "" 4 "" { 0, 1 }
"#);
        let r = backward_induction(&g, &BackwardOptions::default()).unwrap();
        assert!(r.complete);
        assert_eq!(r.equilibria.len(), 4);
        let capped = backward_induction(
            &g,
            &BackwardOptions {
                max_equilibria: 3,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!capped.complete);
        assert_eq!(capped.equilibria.len(), 3);
    }

    #[test]
    fn imperfect_information_is_refused() {
        let g = crate::behavior::tests::poker();
        assert!(matches!(
            backward_induction(&g, &BackwardOptions::default()),
            Err(SolveError::NotApplicable(_))
        ));
    }
}
