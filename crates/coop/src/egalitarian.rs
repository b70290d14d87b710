//! The egalitarian solution (E. Kalai, "Proportional solutions to
//! bargaining situations: interpersonal utility comparisons",
//! *Econometrica* 45 (1977) 1623–1630): the maximal feasible point giving
//! every party the same gain over its disagreement payoff (or gains in fixed
//! proportions, the proportional solution). Exact, by one LP
//! ([`crate::bargaining::ray_max`]).

use crate::bargaining::{ray_max, BargainingProblem};
use crate::nash_bargaining::Solution;
use detente_game::{GameError, Rational};
use num_traits::{One, Signed};

/// The egalitarian solution (equal gains).
pub fn egalitarian(problem: &BargainingProblem) -> Result<Solution, GameError> {
    proportional(problem, &vec![Rational::one(); problem.num_parties()])
}

/// The proportional solution: gains in the proportions `weights` (positive).
pub fn proportional(
    problem: &BargainingProblem,
    weights: &[Rational],
) -> Result<Solution, GameError> {
    if weights.len() != problem.num_parties() || weights.iter().any(|w| !w.is_positive()) {
        return Err(GameError::Invalid(
            "proportional solution: give one positive weight per party".into(),
        ));
    }
    let r = ray_max(problem, weights)?;
    Ok(if r.t.is_positive() {
        Solution::Exact(r.point)
    } else {
        Solution::NoAgreement
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bargaining::tests::{problem, q, r};

    #[test]
    fn equal_gains() {
        // Frontier u1/2 + u2 = 1 from d = 0: equal gains t/2 + t = 1 → 2/3.
        let p = problem(&[&[2, 0], &[0, 1], &[0, 0]], &[0, 0]);
        assert_eq!(
            egalitarian(&p).unwrap(),
            Solution::Exact(vec![q(2, 3), q(2, 3)])
        );
        // Three parties, d = (1, 0, 0) on Σu = 3: gains t each, 1 + 3t = 3.
        let p = problem(&[&[3, 0, 0], &[0, 3, 0], &[0, 0, 3]], &[1, 0, 0]);
        assert_eq!(
            egalitarian(&p).unwrap(),
            Solution::Exact(vec![q(5, 3), q(2, 3), q(2, 3)])
        );
        assert!(proportional(&p, &[r(1), r(0), r(1)]).is_err());
    }
}
