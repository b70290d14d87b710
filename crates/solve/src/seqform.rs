//! The sequence form of a two-player extensive game with perfect recall
//! (D. Koller, N. Megiddo, B. von Stengel, "Efficient computation of
//! equilibria for extensive two-person games", Games and Economic Behavior
//! 14 (1996) 247–259; B. von Stengel, "Efficient computation of behavior
//! strategies", Games and Economic Behavior 14 (1996) 220–246).
//!
//! A player's sequences are the empty sequence (index 0) and one sequence
//! per (information set, action); with perfect recall every information set
//! is reached by one sequence of its own player, its *parent*. A
//! realisation plan `x ≥ 0` satisfies `E x = e`: `x_∅ = 1` and, at each
//! set, the actions' weights sum to the parent's weight. Expected payoffs
//! are bilinear, `xᵀ A y`, where `A[σ][τ]` sums the chance-weighted payoffs
//! of the plays ending with sequences `σ`, `τ`. The size is linear in the
//! tree, unlike the (reduced) normal form.

use crate::behavior::BehaviorProfile;
use crate::equilibrium::SolveError;
use detente_game::{ExtensiveGame, NodeKind, Rational};
use num_traits::{One, Signed, Zero};

/// The sequence form of a two-player game.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceForm {
    /// Number of sequences of each player (including the empty one).
    pub num_seqs: [usize; 2],
    /// `first_seq[p][k]`: sequence of action 0 at player `p`'s `k`-th
    /// information set; action `a` is `first_seq[p][k] + a`.
    pub first_seq: [Vec<usize>; 2],
    /// `parent[p][k]`: the sequence leading to player `p`'s `k`-th set.
    pub parent: [Vec<usize>; 2],
    /// Number of actions at each set.
    pub actions: [Vec<usize>; 2],
    /// `payoff[p][σ1 * num_seqs[1] + σ2]`: payoff matrix of player `p`
    /// (dense, rows player 1's sequences).
    pub payoff: [Vec<Rational>; 2],
    /// `weight[σ1 * num_seqs[1] + σ2]`: total chance probability of the
    /// plays ending with that sequence pair.
    pub weight: Vec<Rational>,
    /// Largest absolute payoff of any play, per player.
    pub max_abs: [Rational; 2],
}

impl SequenceForm {
    /// Builds the sequence form. Errors: `NotApplicable` unless the game has
    /// two players and perfect recall; `TooLarge` if the dense payoff
    /// matrices would exceed `max_cells` entries.
    pub fn new(game: &ExtensiveGame, max_cells: usize) -> Result<Self, SolveError> {
        if game.num_players() != 2 {
            return Err(SolveError::NotApplicable(format!(
                "the sequence form is for two-player games; this game has {} players",
                game.num_players()
            )));
        }
        if !game.is_perfect_recall() {
            return Err(SolveError::NotApplicable(
                "the sequence form needs perfect recall; this game has imperfect recall".into(),
            ));
        }
        let mut first_seq: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut actions: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut num_seqs = [1usize, 1usize];
        let mut local = vec![usize::MAX; game.infosets().len()];
        for p in 0..2 {
            for (k, &s) in game.player_infosets(p).iter().enumerate() {
                local[s] = k;
                first_seq[p].push(num_seqs[p]);
                let na = game.infoset(s).num_actions();
                actions[p].push(na);
                num_seqs[p] += na;
            }
        }
        let cells = num_seqs[0].saturating_mul(num_seqs[1]);
        if cells > max_cells {
            return Err(SolveError::TooLarge(format!(
                "the sequence form has {}x{} sequences, more than {max_cells} payoff entries",
                num_seqs[0], num_seqs[1]
            )));
        }
        let mut parent: [Vec<usize>; 2] = [
            vec![usize::MAX; actions[0].len()],
            vec![usize::MAX; actions[1].len()],
        ];
        let mut payoff = [vec![Rational::zero(); cells], vec![Rational::zero(); cells]];
        // Prefix pass: each node's current sequences and chance weight.
        let n = game.num_nodes();
        let mut weight = vec![Rational::zero(); cells];
        let mut max_abs = [Rational::zero(), Rational::zero()];
        let mut seq = vec![[0usize; 2]; n];
        let mut chance = vec![Rational::zero(); n];
        let mut acc: Vec<Vec<Rational>> = vec![Vec::new(); n];
        chance[0] = Rational::one();
        for v in 0..n {
            let node = game.node(v);
            let mut here = match node.parent() {
                Some(par) => acc[par].clone(),
                None => vec![Rational::zero(); 2],
            };
            if let Some(x) = game.node_payoffs(v) {
                for (h, y) in here.iter_mut().zip(x) {
                    *h += y;
                }
            }
            if let (Some(par), Some(a)) = (node.parent(), node.prior_action()) {
                let mut s = seq[par];
                let mut w = chance[par].clone();
                match game.node_kind(par) {
                    NodeKind::Personal(p) => {
                        let k = local[game.node(par).infoset().unwrap_or(0)];
                        s[p] = first_seq[p][k] + a;
                    }
                    NodeKind::Chance => {
                        if let Some(pr) = game.chance_probs(par) {
                            w *= &pr[a];
                        }
                    }
                    NodeKind::Terminal => {}
                }
                seq[v] = s;
                chance[v] = w;
            }
            match game.node_kind(v) {
                NodeKind::Personal(p) => {
                    let k = local[node.infoset().unwrap_or(0)];
                    let before = seq[v][p];
                    if parent[p][k] == usize::MAX {
                        parent[p][k] = before;
                    } else if parent[p][k] != before {
                        return Err(SolveError::NotApplicable(
                            "the sequence form needs perfect recall".into(),
                        ));
                    }
                }
                NodeKind::Terminal => {
                    for (m, h) in max_abs.iter_mut().zip(&here) {
                        if h.abs() > *m {
                            *m = h.abs();
                        }
                    }
                    if !chance[v].is_zero() {
                        let cell = seq[v][0] * num_seqs[1] + seq[v][1];
                        weight[cell] += &chance[v];
                        for (p, h) in here.iter().enumerate() {
                            payoff[p][cell] += &chance[v] * h;
                        }
                    }
                }
                NodeKind::Chance => {}
            }
            acc[v] = here;
        }
        Ok(SequenceForm {
            num_seqs,
            first_seq,
            parent,
            actions,
            payoff,
            weight,
            max_abs,
        })
    }

    /// Number of constraint rows of player `p`: one for the empty sequence
    /// plus one per information set.
    pub fn num_rows(&self, p: usize) -> usize {
        1 + self.actions[p].len()
    }

    /// The constraint matrix `E` (or `F`) of player `p`, dense row-major
    /// `num_rows(p) × num_seqs[p]`, with `E x = e`, `e = (1, 0, ..., 0)`.
    pub fn constraints(&self, p: usize) -> Vec<Vec<Rational>> {
        let mut rows = vec![vec![Rational::zero(); self.num_seqs[p]]; self.num_rows(p)];
        rows[0][0] = Rational::one();
        for k in 0..self.actions[p].len() {
            rows[k + 1][self.parent[p][k]] = -Rational::one();
            for a in 0..self.actions[p][k] {
                rows[k + 1][self.first_seq[p][k] + a] = Rational::one();
            }
        }
        rows
    }

    /// Payoff of player `q` at sequence pair (σ1, σ2).
    pub fn pay(&self, q: usize, s1: usize, s2: usize) -> &Rational {
        &self.payoff[q][s1 * self.num_seqs[1] + s2]
    }

    /// Behaviour strategy of player `p` from a realisation plan: each
    /// action's weight over its parent's; sets the plan does not reach get
    /// the first action.
    pub fn behavior(&self, p: usize, plan: &[Rational]) -> Vec<Vec<Rational>> {
        (0..self.actions[p].len())
            .map(|k| {
                let w = &plan[self.parent[p][k]];
                let f = self.first_seq[p][k];
                (0..self.actions[p][k])
                    .map(|a| {
                        if w.is_zero() {
                            if a == 0 {
                                Rational::one()
                            } else {
                                Rational::zero()
                            }
                        } else {
                            &plan[f + a] / w
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Behaviour profile of a pair of realisation plans.
    pub fn profile(&self, x: &[Rational], y: &[Rational]) -> BehaviorProfile {
        vec![self.behavior(0, x), self.behavior(1, y)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behavior::tests::{poker, q};

    #[test]
    fn poker_sequence_form() {
        let g = poker();
        let sf = SequenceForm::new(&g, 1000).unwrap();
        assert_eq!(sf.num_seqs, [5, 3]);
        assert_eq!(sf.parent[0], vec![0, 0]);
        assert_eq!(sf.parent[1], vec![0]);
        // King-Raise, Meet: 1/2 * 2.
        assert_eq!(*sf.pay(0, 1, 1), q(1, 1));
        // Queen-Fold, no Bob move: 1/2 * -1.
        assert_eq!(*sf.pay(0, 4, 0), q(-1, 2));
        assert_eq!(*sf.pay(1, 4, 0), q(1, 2));
        let e = sf.constraints(0);
        assert_eq!(e.len(), 3);
        assert_eq!(e[1][0], q(-1, 1));
        assert!(SequenceForm::new(&g, 10).is_err());
    }
}
