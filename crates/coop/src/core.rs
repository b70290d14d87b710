//! The core and the least core of a TU game, by exact linear programming.
//!
//! The core (D. B. Gillies, "Solutions to general non-zero-sum games", in
//! *Contributions to the Theory of Games IV*, 1959) is the set of payoffs
//! `x` with `x(N) = v(N)` and `x(S) ≥ v(S)` for every coalition. The
//! ε-core relaxes every proper constraint to `x(S) ≥ v(S) − ε`; the least
//! core is the non-empty ε-core with the least ε (M. Maschler, B. Peleg and
//! L. S. Shapley, "Geometric properties of the kernel, nucleolus, and
//! related solution concepts", *Mathematics of Operations Research* 4
//! (1979) 303–338). The core is empty exactly when that least ε is
//! positive.
//!
//! The linear program `min ε s.t. x(S) + ε ≥ v(S)` has a column per player
//! and a row per coalition; it is solved as its dual (a row per player, a
//! column per coalition) by [`crate::simplex`], whose multipliers are `x`
//! and `ε`.

use crate::simplex::{solve, LpOutcome};
use crate::tu::TuGame;
use detente_game::{GameError, Rational};
use num_traits::{One, Zero};

/// Most players the LP-based solutions accept (one LP column per
/// coalition: 2¹² = 4096).
pub const MAX_LP_PLAYERS: usize = 12;

/// The least core.
#[derive(Debug, Clone, PartialEq)]
pub struct LeastCore {
    /// The least `ε` for which the ε-core is non-empty.
    pub epsilon: Rational,
    /// A point of the least core.
    pub point: Vec<Rational>,
}

/// The result of one excess LP.
pub(crate) struct ExcessLp {
    pub x: Vec<Rational>,
    pub epsilon: Rational,
    /// Weight of each active coalition in the optimal dual solution; a
    /// positive weight means the coalition's excess is `ε` in every optimal
    /// solution.
    pub weights: Vec<Rational>,
}

pub(crate) fn check_lp_size(game: &TuGame) -> Result<(), GameError> {
    let n = game.num_players();
    if n > MAX_LP_PLAYERS {
        return Err(GameError::Invalid(format!(
            "{n} players is too many for the core, least core and nucleolus (at most {MAX_LP_PLAYERS}: \
             their linear programs have one column per coalition)"
        )));
    }
    Ok(())
}

/// Solves `min ε s.t. x(S) + ε ≥ v(S) (S ∈ active), x(F) = v(F) − e_F
/// (F ∈ fixed), and x_i ≥ v({i}) if `imputations`.
pub(crate) fn excess_lp(
    game: &TuGame,
    active: &[usize],
    fixed: &[(usize, Rational)],
    imputations: bool,
) -> Result<ExcessLp, GameError> {
    let n = game.num_players();
    let rows = n + 1;
    let mut cols: Vec<Vec<Rational>> = Vec::new();
    let mut cost: Vec<Rational> = Vec::new();
    let indicator = |mask: usize, eps: bool| -> Vec<Rational> {
        let mut c: Vec<Rational> = (0..n)
            .map(|i| {
                if mask >> i & 1 == 1 {
                    Rational::one()
                } else {
                    Rational::zero()
                }
            })
            .collect();
        c.push(if eps {
            Rational::one()
        } else {
            Rational::zero()
        });
        c
    };
    for &s in active {
        cols.push(indicator(s, true));
        cost.push(game.value(s));
    }
    for (f, e) in fixed {
        let c = indicator(*f, false);
        let rhs = game.value(*f) - e;
        cols.push(c.iter().map(|x| -x.clone()).collect());
        cost.push(-rhs.clone());
        cols.push(c);
        cost.push(rhs);
    }
    if imputations {
        for i in 0..n {
            cols.push(indicator(1 << i, false));
            cost.push(game.value(1 << i));
        }
    }
    let a: Vec<Vec<Rational>> = (0..rows)
        .map(|r| cols.iter().map(|c| c[r].clone()).collect())
        .collect();
    let mut b = vec![Rational::zero(); rows];
    b[n] = Rational::one();
    match solve(&a, &b, &cost) {
        LpOutcome::Optimal(sol) => Ok(ExcessLp {
            x: sol.duals[..n].to_vec(),
            epsilon: sol.duals[n].clone(),
            weights: sol.y[..active.len()].to_vec(),
        }),
        LpOutcome::Infeasible => Err(GameError::Invalid(
            "the excess linear program is unbounded (no coalition constrains the payoffs)".into(),
        )),
        LpOutcome::Unbounded => Err(GameError::Invalid(
            "the payoff constraints are inconsistent (the imputation set is empty)".into(),
        )),
    }
}

/// All coalitions other than the empty one and the grand coalition.
pub(crate) fn proper_coalitions(n: usize) -> Vec<usize> {
    (1..(1usize << n) - 1).collect()
}

/// The least core (over pre-imputations, as Maschler, Peleg and Shapley
/// define it).
pub fn least_core(game: &TuGame) -> Result<LeastCore, GameError> {
    check_lp_size(game)?;
    let n = game.num_players();
    if n == 1 {
        return Ok(LeastCore {
            epsilon: Rational::zero(),
            point: vec![game.value(1)],
        });
    }
    let lp = excess_lp(
        game,
        &proper_coalitions(n),
        &[(game.grand(), Rational::zero())],
        false,
    )?;
    Ok(LeastCore {
        epsilon: lp.epsilon,
        point: lp.x,
    })
}

/// A point in the core, or `None` if the core is empty.
pub fn core_point(game: &TuGame) -> Result<Option<Vec<Rational>>, GameError> {
    let lc = least_core(game)?;
    Ok(if lc.epsilon <= Rational::zero() {
        Some(lc.point)
    } else {
        None
    })
}

/// Is `x` in the core? (`O(n 2ⁿ)`.)
pub fn in_core(game: &TuGame, x: &[Rational]) -> bool {
    let n = game.num_players();
    if x.len() != n {
        return false;
    }
    let total: Rational = x.iter().sum();
    if total != game.value(game.grand()) {
        return false;
    }
    (1..1usize << n).all(|s| {
        let xs: Rational = (0..n)
            .filter(|i| s >> i & 1 == 1)
            .map(|i| x[i].clone())
            .sum();
        xs >= game.value(s)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    fn r(n: i64) -> Rational {
        Rational::from_integer(BigInt::from(n))
    }
    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }
    fn names(n: usize) -> Vec<String> {
        (1..=n).map(|i| i.to_string()).collect()
    }

    #[test]
    fn glove_game_core_is_one_point() {
        let g = TuGame::from_int_fn(names(3), 1, |m| {
            ((m & 1) as i64).min(((m >> 1 & 1) + (m >> 2 & 1)) as i64)
        })
        .unwrap();
        let x = core_point(&g).unwrap().unwrap();
        assert_eq!(x, vec![r(1), r(0), r(0)]);
        assert!(in_core(&g, &x));
    }

    #[test]
    fn majority_game_has_empty_core() {
        // Three-player majority game: any two win 1. Least core ε = 1/3 at
        // (1/3, 1/3, 1/3).
        let g = TuGame::from_int_fn(names(3), 1, |m| (m.count_ones() >= 2) as i64).unwrap();
        assert_eq!(core_point(&g).unwrap(), None);
        let lc = least_core(&g).unwrap();
        assert_eq!(lc.epsilon, q(1, 3));
        assert_eq!(lc.point, vec![q(1, 3), q(1, 3), q(1, 3)]);
    }

    #[test]
    fn too_many_players_for_lp() {
        let g = TuGame::from_int_fn(names(13), 1, |m| m.count_ones() as i64).unwrap();
        let e = least_core(&g).unwrap_err().to_string();
        assert!(e.contains("at most 12"), "{e}");
    }
}
