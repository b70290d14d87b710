//! The Kalai–Smorodinsky solution (E. Kalai and M. Smorodinsky, "Other
//! solutions to Nash's bargaining problem", *Econometrica* 43 (1975)
//! 513–518): the maximal feasible point on the segment from the
//! disagreement point `d` to the ideal point `a` (each party's best payoff
//! among the feasible payoffs that give everyone at least `d`), so that
//! every party gets the same share of its possible gain. Exact: one LP per
//! party for `a`, one for the ray ([`crate::bargaining::ray_max`]).

use crate::bargaining::{ideal_point, ray_max, BargainingProblem};
use crate::nash_bargaining::Solution;
use detente_game::{GameError, Rational};
use num_traits::{Signed, Zero};

/// The Kalai–Smorodinsky solution, with the ideal point it used.
pub fn kalai_smorodinsky(
    problem: &BargainingProblem,
) -> Result<(Solution, Option<Vec<Rational>>), GameError> {
    let Some(ideal) = ideal_point(problem)? else {
        return Ok((Solution::NoAgreement, None));
    };
    let dir: Vec<Rational> = ideal
        .iter()
        .zip(&problem.disagreement)
        .map(|(a, d)| a - d)
        .collect();
    if dir.iter().any(|x| !x.is_positive()) {
        // Some party cannot gain at all: no point gives everyone more than d.
        return Ok((Solution::NoAgreement, Some(ideal)));
    }
    let r = ray_max(problem, &dir)?;
    if r.t <= Rational::zero() {
        return Ok((Solution::NoAgreement, Some(ideal)));
    }
    Ok((Solution::Exact(r.point), Some(ideal)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bargaining::tests::{problem, q, r};

    #[test]
    fn textbook_triangle() {
        // Feasible set: hull of (0,0), (1,0), (0,1), (3/4, 3/4)? Use a
        // classic asymmetric case: deals (2, 0), (0, 1), d = 0: frontier
        // u1/2 + u2 = 1, ideal (2, 1), KS = (1, 1/2).
        let p = problem(&[&[2, 0], &[0, 1], &[0, 0]], &[0, 0]);
        let (s, ideal) = kalai_smorodinsky(&p).unwrap();
        assert_eq!(ideal, Some(vec![r(2), r(1)]));
        assert_eq!(s, Solution::Exact(vec![r(1), q(1, 2)]));
    }

    #[test]
    fn differs_from_nash_when_the_frontier_bends() {
        // Deals (10, 0), (8, 8), (0, 10): symmetric, KS = Nash = (8, 8).
        let p = problem(&[&[10, 0], &[8, 8], &[0, 10]], &[0, 0]);
        assert_eq!(
            kalai_smorodinsky(&p).unwrap().0,
            Solution::Exact(vec![r(8), r(8)])
        );
        // Shrink party 2's best deal: (10, 0), (8, 8), (0, 9) — KS moves
        // along the direction (10, 9).
        let p = problem(&[&[10, 0], &[8, 8], &[0, 9]], &[0, 0]);
        let (s, _) = kalai_smorodinsky(&p).unwrap();
        // On segment (8,8)-(10,0): u2 = 8 − 4(u1 − 8); with u2 = 0.9 u1:
        // 0.9 u1 = 40 − 4 u1 → u1 = 400/49.
        assert_eq!(s, Solution::Exact(vec![q(400, 49), q(360, 49)]));
    }

    #[test]
    fn no_agreement() {
        let p = problem(&[&[4, 0], &[0, 4]], &[3, 3]);
        assert_eq!(kalai_smorodinsky(&p).unwrap().0, Solution::NoAgreement);
    }
}
