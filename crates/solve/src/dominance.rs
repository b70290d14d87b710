//! Iterated elimination of strictly dominated strategies, n players.
//!
//! A strategy `s` of player `p` is strictly dominated when another strategy
//! (pure), or a mixture of `p`'s other strategies (mixed), pays `p` strictly
//! more against every profile of the other players' remaining strategies.
//! No strictly dominated strategy is ever played in a Nash equilibrium, and
//! the result of iterated strict elimination does not depend on the order
//! of elimination (Gilboa, Kalai and Zemel, "On the order of eliminating
//! dominated strategies", *Operations Research Letters* 9 (1990) 85–89;
//! Osborne and Rubinstein, *A Course in Game Theory*, 1994, §4.2). Mixed
//! dominance is decided by an exact linear program per strategy (Myerson,
//! *Game Theory*, 1991, §3.3): with `U > 0` the player's payoffs shifted,
//! `s` is strictly dominated by a mixture iff
//! `max Σ_c w_c U(s,c)` s.t. `Σ_c w_c U(t,c) ≤ 1` (`t ≠ s`), `w ≥ 0`, is
//! below 1; the optimal dual prices, normalised, are a dominating mixture.
//!
//! Everything is exact (rational arithmetic).

use crate::equilibrium::SolveError;
use crate::simplex::{maximize_until, LpOutcome};
use detente_game::{NormalFormGame, Rational};
use num_traits::{One, Zero};

/// Which dominance to test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DominanceKind {
    /// Domination by another pure strategy only.
    Pure,
    /// Domination by pure strategies and by mixtures of the player's other
    /// strategies.
    Mixed,
}

/// What dominated an eliminated strategy (original strategy indices).
#[derive(Debug, Clone, PartialEq)]
pub enum Dominator {
    Pure(usize),
    /// `(strategy, probability)` pairs with positive probabilities.
    Mixed(Vec<(usize, Rational)>),
}

/// One elimination: `strategy` of `player` (0-based original indices) was
/// strictly dominated by `by` in the game that remained at that point.
#[derive(Debug, Clone, PartialEq)]
pub struct EliminationStep {
    pub player: usize,
    pub strategy: usize,
    pub by: Dominator,
    /// 1-based pass over the players in which it was removed.
    pub round: usize,
}

/// The reduced game and how it was obtained.
#[derive(Debug, Clone)]
pub struct Reduction {
    /// The game restricted to the surviving strategies.
    pub game: NormalFormGame,
    /// Per player, the original indices of the surviving strategies, in
    /// original order.
    pub kept: Vec<Vec<usize>>,
    /// Eliminations in the order they were made.
    pub steps: Vec<EliminationStep>,
}

/// Iteratively removes strictly dominated strategies until none is left.
pub fn eliminate_dominated(
    game: &NormalFormGame,
    kind: DominanceKind,
) -> Result<Reduction, SolveError> {
    let shape = game.shape();
    let n = shape.len();
    let mut kept: Vec<Vec<usize>> = shape.iter().map(|&k| (0..k).collect()).collect();
    let mut steps = Vec::new();
    let mut round = 0;
    // removed[p]: strategies of player p removed so far. A strategy found
    // undominated stays undominated while the other players keep all their
    // strategies (its own player's set only shrinks), so it is rechecked
    // only after some other player lost a strategy.
    let mut removed = vec![0usize; n];
    let mut checked_at: Vec<Vec<Option<usize>>> = shape.iter().map(|&k| vec![None; k]).collect();
    loop {
        round += 1;
        let mut changed = false;
        for p in 0..n {
            let others: usize = removed.iter().sum::<usize>() - removed[p];
            let mut bases: Option<Vec<usize>> = None;
            let mut idx = 0;
            while idx < kept[p].len() {
                let s = kept[p][idx];
                if kept[p].len() > 1 && checked_at[p][s] != Some(others) {
                    let bases = bases.get_or_insert_with(|| opponent_bases(game, &kept, p));
                    let found = dominated(game, &kept[p], bases, p, s, kind)?;
                    checked_at[p][s] = Some(others);
                    if let Some(by) = found {
                        kept[p].remove(idx);
                        removed[p] += 1;
                        steps.push(EliminationStep {
                            player: p,
                            strategy: s,
                            by,
                            round,
                        });
                        changed = true;
                        continue;
                    }
                }
                idx += 1;
            }
        }
        if !changed {
            break;
        }
    }
    let reduced = game
        .restrict(&kept)
        .map_err(|e| SolveError::NotApplicable(e.to_string()))?;
    Ok(Reduction {
        game: reduced,
        kept,
        steps,
    })
}

/// Cell offsets of every profile of the other players' kept strategies
/// (with player `p`'s strategy 0).
fn opponent_bases(game: &NormalFormGame, kept: &[Vec<usize>], p: usize) -> Vec<usize> {
    let mut bases = vec![0usize];
    for (q, ks) in kept.iter().enumerate() {
        if q == p {
            continue;
        }
        let stride = game.stride(q);
        let mut next = Vec::with_capacity(bases.len() * ks.len());
        for &s in ks {
            for &b in &bases {
                next.push(b + s * stride);
            }
        }
        bases = next;
    }
    bases
}

/// Whether `s` is strictly dominated among `alive` (which contains `s`).
fn dominated(
    game: &NormalFormGame,
    alive: &[usize],
    bases: &[usize],
    p: usize,
    s: usize,
    kind: DominanceKind,
) -> Result<Option<Dominator>, SolveError> {
    let stride = game.stride(p);
    let pay = |t: usize, b: usize| game.payoff(b + t * stride, p);
    for &t in alive {
        if t != s && bases.iter().all(|&b| pay(t, b) > pay(s, b)) {
            return Ok(Some(Dominator::Pure(t)));
        }
    }
    if kind == DominanceKind::Pure {
        return Ok(None);
    }
    let others: Vec<usize> = alive.iter().copied().filter(|&t| t != s).collect();
    if others.len() < 2 {
        return Ok(None);
    }
    // Shift so every payoff is positive.
    let mut lo = pay(s, bases[0]).clone();
    for &t in alive {
        for &b in bases {
            if *pay(t, b) < lo {
                lo = pay(t, b).clone();
            }
        }
    }
    let shift = lo - Rational::one();
    let rows = others.len();
    let cols = bases.len();
    let mut a = Vec::with_capacity(rows * cols);
    for &t in &others {
        for &b in bases {
            a.push(pay(t, b) - &shift);
        }
    }
    let c: Vec<Rational> = bases.iter().map(|&b| pay(s, b) - &shift).collect();
    let ones = vec![Rational::one(); rows];
    if float_certifies_undominated(rows, cols, &a, &ones, &c) {
        return Ok(None);
    }
    let outcome =
        maximize_until(rows, cols, &a, &ones, &c, true, Some(&Rational::one())).map_err(|e| {
            SolveError::Budget(format!(
                "dominance LP for player {} strategy {} failed: {:?}",
                p + 1,
                s + 1,
                e
            ))
        })?;
    let sol = match outcome {
        LpOutcome::Reached => return Ok(None),
        LpOutcome::Optimal(sol) => sol,
    };
    if sol.value >= Rational::one() {
        return Ok(None);
    }
    let total: Rational = sol.dual.iter().sum();
    if total.is_zero() {
        return Ok(None);
    }
    let mix: Vec<(usize, Rational)> = others
        .iter()
        .zip(&sol.dual)
        .filter(|(_, w)| !w.is_zero())
        .map(|(&t, w)| (t, w / &total))
        .collect();
    // Independent check of the certificate: strictly better everywhere.
    let ok = bases.iter().all(|&b| {
        let v: Rational = mix.iter().map(|(t, w)| w * pay(*t, b)).sum();
        v > *pay(s, b)
    });
    if !ok {
        return Err(SolveError::NotApplicable(format!(
            "internal error: dominance certificate for player {} strategy {} failed its check",
            p + 1,
            s + 1
        )));
    }
    Ok(Some(Dominator::Mixed(mix)))
}

/// Fast path: solve the LP in floating point and check its answer exactly.
/// A point `w ≥ 0` with `Σ_c w_c U(t,c) ≤ 1` for all `t ≠ s` and
/// `Σ_c w_c U(s,c) ≥ 1` proves the optimum is at least 1, i.e. that `s` is
/// not strictly dominated. The float solution, converted exactly to
/// rationals and scaled to be feasible, is such a certificate when the
/// check passes; otherwise the exact LP decides.
fn float_certifies_undominated(
    rows: usize,
    cols: usize,
    a: &[Rational],
    ones: &[Rational],
    c: &[Rational],
) -> bool {
    let Ok(LpOutcome::Optimal(sol)) = maximize_until(rows, cols, a, ones, c, false, None) else {
        return false;
    };
    if sol.value <= Rational::one() {
        return false;
    }
    let w: Vec<Rational> = sol
        .primal
        .iter()
        .map(|v| {
            if *v < Rational::zero() {
                Rational::zero()
            } else {
                v.clone()
            }
        })
        .collect();
    let mut worst = Rational::zero();
    for t in 0..rows {
        let lhs: Rational = (0..cols)
            .filter(|&j| !w[j].is_zero())
            .map(|j| &a[t * cols + j] * &w[j])
            .sum();
        if lhs > worst {
            worst = lhs;
        }
    }
    if worst.is_zero() {
        return false;
    }
    let obj: Rational = (0..cols)
        .filter(|&j| !w[j].is_zero())
        .map(|j| &c[j] * &w[j])
        .sum();
    obj >= worst
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    fn q(n: i64) -> Rational {
        Rational::from_integer(BigInt::from(n))
    }

    /// Two-player game from row-major matrices.
    fn bimatrix(m: usize, n: usize, a: &[i64], b: &[i64]) -> NormalFormGame {
        let mut ta = vec![Rational::zero(); m * n];
        let mut tb = vec![Rational::zero(); m * n];
        for i in 0..m {
            for j in 0..n {
                ta[i + j * m] = q(a[i * n + j]);
                tb[i + j * m] = q(b[i * n + j]);
            }
        }
        NormalFormGame::from_tables(&[m, n], &[ta, tb]).unwrap()
    }

    #[test]
    fn prisoners_dilemma_reduces_to_defect() {
        let g = bimatrix(2, 2, &[3, 0, 5, 1], &[3, 5, 0, 1]);
        let r = eliminate_dominated(&g, DominanceKind::Pure).unwrap();
        assert_eq!(r.kept, vec![vec![1], vec![1]]);
        assert_eq!(r.steps.len(), 2);
        assert_eq!(r.steps[0].by, Dominator::Pure(1));
        assert_eq!(r.game.shape(), vec![1, 1]);
    }

    #[test]
    fn iterated_elimination_needs_rounds() {
        // Classic: column R dominated by M; then row D dominated by U; then
        // column L dominated by M.
        let a = [1, 1, 0, 0, 0, 2];
        let b = [0, 2, 1, 3, 1, 0];
        let g = bimatrix(2, 3, &a, &b);
        let r = eliminate_dominated(&g, DominanceKind::Pure).unwrap();
        assert_eq!(r.kept, vec![vec![0], vec![1]]);
        assert_eq!(r.steps.len(), 3);
    }

    #[test]
    fn mixed_dominance_found_by_lp() {
        // Row 2 pays (1,1) and is dominated by no pure row but by 1/2-1/2
        // of rows 0 (3,0) and 1 (0,3).
        let a = [3, 0, 0, 3, 1, 1];
        let b = [0, 0, 0, 0, 0, 0];
        let g = bimatrix(3, 2, &a, &b);
        let pure = eliminate_dominated(&g, DominanceKind::Pure).unwrap();
        assert!(pure.steps.is_empty());
        let mixed = eliminate_dominated(&g, DominanceKind::Mixed).unwrap();
        assert_eq!(mixed.kept[0], vec![0, 1]);
        match &mixed.steps[0].by {
            Dominator::Mixed(mix) => {
                assert_eq!(mix.len(), 2);
                let total: Rational = mix.iter().map(|(_, w)| w.clone()).sum();
                assert_eq!(total, q(1));
            }
            other => panic!("expected a mixed dominator, got {other:?}"),
        }
    }

    #[test]
    fn weak_dominance_is_not_strict() {
        let a = [1, 1, 1, 0];
        let b = [0, 0, 0, 0];
        let g = bimatrix(2, 2, &a, &b);
        let r = eliminate_dominated(&g, DominanceKind::Mixed).unwrap();
        assert!(r.steps.is_empty());
    }

    #[test]
    fn three_players() {
        // Player 3's strategy 1 pays 0 everywhere, strategy 0 pays 1.
        let t0: Vec<Rational> = (0..8).map(|_| q(0)).collect();
        let t2: Vec<Rational> = (0..8).map(|c| if c < 4 { q(1) } else { q(0) }).collect();
        let g = NormalFormGame::from_tables(&[2, 2, 2], &[t0.clone(), t0, t2]).unwrap();
        let r = eliminate_dominated(&g, DominanceKind::Pure).unwrap();
        assert_eq!(r.kept, vec![vec![0, 1], vec![0, 1], vec![0]]);
    }
}
