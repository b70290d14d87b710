//! Value and optimal strategies of two-player constant-sum games by linear
//! programming.
//!
//! References: J. von Neumann, "Zur Theorie der Gesellschaftsspiele",
//! *Mathematische Annalen* 100 (1928) 295–320 (the minimax theorem);
//! G. B. Dantzig, "A proof of the equivalence of the programming problem
//! and the game problem" (1951), in *Activity Analysis of Production and
//! Allocation* (the LP formulation).
//!
//! With the row player's payoffs `A` shifted to `A' = A − min A + 1 > 0`,
//! the column player's optimal strategies solve `max 1ᵀy` s.t. `A'y ≤ 1`,
//! `y ≥ 0`; the optimum `z` gives the value `1/z` of `A'`, `y/z` is an
//! optimal column strategy and the optimal dual prices divided by `z` an
//! optimal row strategy. The simplex method ([`crate::simplex`], Bland's
//! rule) runs on exact integers for [`detente_game::Rational`] and on
//! `f64` otherwise.

use crate::equilibrium::{Equilibrium, SolveError};
use crate::simplex::{maximize, LpError};
use detente_game::{NormalFormGame, Rational, Scalar};
use num_traits::{One, Zero};

/// The answer of [`lp`]: one optimal strategy pair (an extreme point of the
/// sets of optimal strategies) and the value to player 1.
#[derive(Debug, Clone, PartialEq)]
pub struct LpResult<T> {
    pub equilibrium: Equilibrium<T>,
    /// The value of the game to player 1 (player 2 gets the constant sum
    /// minus this).
    pub value: T,
}

/// Solves a two-player constant-sum game. Errors with
/// [`SolveError::NotApplicable`] for other games.
pub fn lp<T: Scalar>(game: &NormalFormGame) -> Result<LpResult<T>, SolveError> {
    if game.num_players() != 2 {
        return Err(SolveError::NotApplicable(format!(
            "lp is for two-player constant-sum games; this game has {} players",
            game.num_players()
        )));
    }
    if !game.is_constant_sum() {
        return Err(SolveError::NotApplicable(
            "lp is for constant-sum games; in this game the payoffs do not add up to the same total in every cell (use lcp or enummixed)"
                .into(),
        ));
    }
    let shape = game.shape();
    let (m, n) = (shape[0], shape[1]);
    // Row-major A.
    let mut lo: Option<Rational> = None;
    let mut a = Vec::with_capacity(m * n);
    for i in 0..m {
        for j in 0..n {
            let v = game.payoff(i + j * m, 0).clone();
            if lo.as_ref().is_none_or(|l| v < *l) {
                lo = Some(v.clone());
            }
            a.push(v);
        }
    }
    let shift = lo.unwrap_or_else(Rational::zero) - Rational::one();
    for v in &mut a {
        *v -= &shift;
    }
    let ones_m = vec![Rational::one(); m];
    let ones_n = vec![Rational::one(); n];
    let sol = maximize(m, n, &a, &ones_m, &ones_n, T::EXACT).map_err(|e| match e {
        LpError::Unbounded | LpError::Numeric => SolveError::NotApplicable(
            "lp: numerical trouble in floating point (try exact arithmetic)".into(),
        ),
        LpError::Budget => SolveError::Budget("lp: the simplex method did not finish".into()),
    })?;
    if sol.value <= Rational::zero() {
        return Err(SolveError::NotApplicable(
            "lp: numerical trouble in floating point (try exact arithmetic)".into(),
        ));
    }
    let z = sol.value.clone();
    let row: Vec<T> = sol
        .dual
        .iter()
        .map(|v| T::from_rational(&(v / &z)))
        .collect();
    let col: Vec<T> = sol
        .primal
        .iter()
        .map(|v| T::from_rational(&(v / &z)))
        .collect();
    let value = Rational::one() / &z + &shift;
    let total: Rational = game.payoffs_at(0).iter().sum();
    let payoffs = vec![
        T::from_rational(&value),
        T::from_rational(&(total - &value)),
    ];
    Ok(LpResult {
        equilibrium: Equilibrium {
            profile: vec![row, col],
            payoffs,
        },
        value: T::from_rational(&value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{max_regret, verify_equilibrium};
    use num_bigint::BigInt;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    /// Zero-sum game from row-major A.
    fn zero_sum(m: usize, n: usize, a: &[i64]) -> NormalFormGame {
        let mut ta = vec![Rational::zero(); m * n];
        for i in 0..m {
            for j in 0..n {
                ta[i + j * m] = q(a[i * n + j], 1);
            }
        }
        let tb = ta.iter().map(|v| -v.clone()).collect();
        NormalFormGame::from_tables(&[m, n], &[ta, tb]).unwrap()
    }

    #[test]
    fn rock_paper_scissors() {
        let g = zero_sum(3, 3, &[0, -1, 1, 1, 0, -1, -1, 1, 0]);
        let r = lp::<Rational>(&g).unwrap();
        assert_eq!(r.value, q(0, 1));
        assert_eq!(r.equilibrium.profile[0], vec![q(1, 3); 3]);
        assert_eq!(r.equilibrium.profile[1], vec![q(1, 3); 3]);
        assert!(verify_equilibrium(&g, &r.equilibrium, 0.0).is_ok());
        let f = lp::<f64>(&g).unwrap();
        assert!(f.value.abs() < 1e-12);
    }

    #[test]
    fn textbook_two_by_three() {
        let g = zero_sum(2, 3, &[3, -1, 2, -2, 4, 1]);
        let r = lp::<Rational>(&g).unwrap();
        assert_eq!(max_regret(&g, &r.equilibrium.profile), q(0, 1));
        // Row mixes (3/5, 2/5) → against col 0: 9/5-4/5 = 1, col 1: -3/5+8/5 = 1.
        assert_eq!(r.value, q(1, 1));
        assert_eq!(r.equilibrium.profile[0], vec![q(3, 5), q(2, 5)]);
    }

    #[test]
    fn constant_sum_payoffs() {
        // Constant sum 10: player 2 gets 10 - a.
        let a = [q(6, 1), q(4, 1), q(4, 1), q(6, 1)];
        let b: Vec<Rational> = a.iter().map(|v| q(10, 1) - v).collect();
        let g = NormalFormGame::from_tables(&[2, 2], &[a.to_vec(), b]).unwrap();
        let r = lp::<Rational>(&g).unwrap();
        assert_eq!(r.equilibrium.payoffs, vec![q(5, 1), q(5, 1)]);
    }

    #[test]
    fn refuses_general_sum() {
        let a = vec![q(3, 1), q(5, 1), q(0, 1), q(1, 1)];
        let b = vec![q(3, 1), q(0, 1), q(5, 1), q(1, 1)];
        let g = NormalFormGame::from_tables(&[2, 2], &[a, b]).unwrap();
        assert!(matches!(
            lp::<Rational>(&g),
            Err(SolveError::NotApplicable(_))
        ));
    }
}
