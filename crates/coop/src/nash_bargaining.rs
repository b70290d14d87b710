//! The Nash bargaining solution (J. F. Nash, "The bargaining problem",
//! *Econometrica* 18 (1950) 155–162) and its asymmetric generalization with
//! bargaining powers `α_i` (E. Kalai, "Nonsymmetric Nash solutions and
//! replications of 2-person bargaining", *International Journal of Game
//! Theory* 6 (1977) 129–133): the feasible payoff `u ≥ d` maximizing
//! `Π (u_i − d_i)^{α_i}`.
//!
//! Two parties: exact. The maximizer lies on the Pareto frontier (a concave
//! chain of segments); on a segment `A + s(B − A)` the first-order condition
//! `Σ α_i δ_i / (a_i + s δ_i) = 0` is linear in `s`, so the optimum is
//! rational. More parties: the pairwise Frank–Wolfe method over the deal
//! weights (S. Lacoste-Julien and M. Jaggi, "On the global linear convergence
//! of Frank–Wolfe optimization variants", NeurIPS 2015) on the concave
//! objective `Σ α_i ln(u_i − d_i)`, started from the egalitarian point and
//! stopped when the duality gap is below `1e-12` (in `f64`).

use crate::bargaining::{frontier_2d, ray_max, BargainingProblem};
use detente_game::number::rational_to_f64;
use detente_game::{GameError, Rational};
use num_traits::{One, Signed, Zero};

/// A bargaining solution.
#[derive(Debug, Clone, PartialEq)]
pub enum Solution {
    /// Exact payoffs.
    Exact(Vec<Rational>),
    /// Floating-point payoffs, with the optimality gap reached.
    Approx { point: Vec<f64>, gap: f64 },
    /// No feasible payoff gives every party more than its disagreement
    /// payoff: there is no agreement to solve for.
    NoAgreement,
}

impl Solution {
    /// Payoffs as `f64` (`None` when there is no agreement).
    pub fn to_f64(&self) -> Option<Vec<f64>> {
        match self {
            Solution::Exact(v) => Some(v.iter().map(rational_to_f64).collect()),
            Solution::Approx { point, .. } => Some(point.clone()),
            Solution::NoAgreement => None,
        }
    }
}

/// The (asymmetric, with the problem's powers) Nash bargaining solution.
pub fn nash_solution(problem: &BargainingProblem) -> Result<Solution, GameError> {
    let n = problem.num_parties();
    let start = ray_max(problem, &vec![Rational::one(); n])?;
    if !start.t.is_positive() {
        return Ok(Solution::NoAgreement);
    }
    if n == 2 {
        return Ok(nash_2d(problem));
    }
    Ok(nash_frank_wolfe(problem, &start.mixture))
}

fn log_product(alpha: &[f64], u: &[Rational], d: &[Rational]) -> f64 {
    alpha
        .iter()
        .zip(u.iter().zip(d))
        .map(|(a, (x, y))| {
            let g = rational_to_f64(&(x - y));
            if g > 0.0 {
                a * g.ln()
            } else {
                f64::NEG_INFINITY
            }
        })
        .sum()
}

/// Exact two-party solution over the Pareto frontier.
fn nash_2d(problem: &BargainingProblem) -> Solution {
    let d = &problem.disagreement;
    let al = &problem.powers;
    let alpha_f: Vec<f64> = al.iter().map(rational_to_f64).collect();
    let chain = frontier_2d(problem);
    let mut candidates: Vec<Vec<Rational>> = chain.iter().map(|p| p.to_vec()).collect();
    for w in chain.windows(2) {
        let a = &w[0];
        let b = &w[1];
        let delta = [&b[0] - &a[0], &b[1] - &a[1]];
        let gap = [&a[0] - &d[0], &a[1] - &d[1]];
        let den = (&al[0] + &al[1]) * &delta[0] * &delta[1];
        if den.is_zero() {
            continue;
        }
        let s = -(&al[0] * &delta[0] * &gap[1] + &al[1] * &delta[1] * &gap[0]) / den;
        if s.is_positive() && s < Rational::one() {
            candidates.push(vec![&a[0] + &s * &delta[0], &a[1] + &s * &delta[1]]);
        }
    }
    let mut best: Option<(f64, Vec<Rational>)> = None;
    for c in candidates {
        if !c.iter().zip(d).all(|(x, y)| x > y) {
            continue;
        }
        let v = log_product(&alpha_f, &c, d);
        if best.as_ref().is_none_or(|(bv, _)| v > *bv) {
            best = Some((v, c));
        }
    }
    match best {
        Some((_, p)) => Solution::Exact(p),
        None => Solution::NoAgreement,
    }
}

/// Pairwise Frank–Wolfe for `n ≥ 3` parties.
fn nash_frank_wolfe(problem: &BargainingProblem, start: &[Rational]) -> Solution {
    let n = problem.num_parties();
    let k = problem.deals.len();
    let pts: Vec<Vec<f64>> = problem
        .deals
        .iter()
        .map(|dl| dl.payoffs.iter().map(rational_to_f64).collect())
        .collect();
    let d: Vec<f64> = problem.disagreement.iter().map(rational_to_f64).collect();
    let total: f64 = problem.powers.iter().map(rational_to_f64).sum();
    let alpha: Vec<f64> = problem
        .powers
        .iter()
        .map(|a| rational_to_f64(a) / total)
        .collect();
    let mut lam: Vec<f64> = start.iter().map(rational_to_f64).collect();
    let point = |lam: &[f64]| -> Vec<f64> {
        let mut u = vec![0.0; n];
        for (l, p) in lam.iter().zip(&pts) {
            if *l != 0.0 {
                for i in 0..n {
                    u[i] += l * p[i];
                }
            }
        }
        u
    };
    let mut u = point(&lam);
    let scale = pts
        .iter()
        .flat_map(|p| p.iter().zip(&d).map(|(x, y)| (x - y).abs()))
        .fold(1e-300, f64::max);
    let mut gap = f64::INFINITY;
    for iter in 0..200_000 {
        if iter % 1000 == 999 {
            u = point(&lam); // limit drift
        }
        let g: Vec<f64> = (0..n).map(|i| alpha[i] / (u[i] - d[i])).collect();
        let dot = |p: &[f64]| p.iter().zip(&g).map(|(a, b)| a * b).sum::<f64>();
        let ug = dot(&u);
        let (mut s, mut best) = (0, f64::NEG_INFINITY);
        let (mut a, mut worst) = (usize::MAX, f64::INFINITY);
        for j in 0..k {
            let v = dot(&pts[j]);
            if v > best {
                best = v;
                s = j;
            }
            if lam[j] > 0.0 && v < worst {
                worst = v;
                a = j;
            }
        }
        gap = best - ug;
        if gap <= 1e-12 || a == usize::MAX || a == s {
            break;
        }
        let delta: Vec<f64> = (0..n).map(|i| pts[s][i] - pts[a][i]).collect();
        // Largest step keeping u > d and λ_a ≥ 0.
        let mut gmax = lam[a];
        for i in 0..n {
            if delta[i] < 0.0 {
                gmax = gmax.min((u[i] - d[i]) / -delta[i] * (1.0 - 1e-12));
            }
        }
        let deriv = |gm: f64| -> f64 {
            (0..n)
                .map(|i| alpha[i] * delta[i] / (u[i] - d[i] + gm * delta[i]))
                .sum()
        };
        let step = if deriv(gmax) >= 0.0 {
            gmax
        } else {
            let (mut lo, mut hi) = (0.0, gmax);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if deriv(mid) > 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
                if hi - lo <= 1e-17 * gmax.max(1e-300) {
                    break;
                }
            }
            0.5 * (lo + hi)
        };
        if step <= 0.0 {
            break;
        }
        lam[a] -= step;
        if lam[a] < 1e-18 {
            lam[a] = 0.0;
        }
        lam[s] += step;
        for i in 0..n {
            u[i] += step * delta[i];
        }
        let _ = scale;
    }
    let u = point(&lam);
    Solution::Approx { point: u, gap }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bargaining::tests::{problem, q, r};

    #[test]
    fn split_the_dollar() {
        let p = problem(&[&[1, 0], &[0, 1]], &[0, 0]);
        assert_eq!(
            nash_solution(&p).unwrap(),
            Solution::Exact(vec![q(1, 2), q(1, 2)])
        );
    }

    #[test]
    fn asymmetric_powers() {
        // Powers 2:1 on the unit simplex: u = (2/3, 1/3).
        let mut p = problem(&[&[1, 0], &[0, 1]], &[0, 0]);
        p.powers = vec![r(2), r(1)];
        assert_eq!(
            nash_solution(&p).unwrap(),
            Solution::Exact(vec![q(2, 3), q(1, 3)])
        );
    }

    #[test]
    fn disagreement_point_shifts_the_split() {
        // Frontier u1 + u2 = 10, d = (2, 0): u = (6, 4).
        let p = problem(&[&[10, 0], &[0, 10], &[0, 0]], &[2, 0]);
        assert_eq!(
            nash_solution(&p).unwrap(),
            Solution::Exact(vec![r(6), r(4)])
        );
    }

    #[test]
    fn vertex_solution() {
        // Deals (4, 1), (1, 4), (3, 3): the Nash point is the kink (3, 3).
        let p = problem(&[&[4, 1], &[1, 4], &[3, 3], &[0, 0]], &[0, 0]);
        assert_eq!(
            nash_solution(&p).unwrap(),
            Solution::Exact(vec![r(3), r(3)])
        );
    }

    #[test]
    fn no_agreement() {
        let p = problem(&[&[4, 0], &[0, 4]], &[3, 3]);
        assert_eq!(nash_solution(&p).unwrap(), Solution::NoAgreement);
    }

    #[test]
    fn three_parties_numeric() {
        let p = problem(&[&[3, 0, 0], &[0, 3, 0], &[0, 0, 3]], &[0, 0, 0]);
        let u = nash_solution(&p).unwrap().to_f64().unwrap();
        for x in u {
            assert!((x - 1.0).abs() < 1e-9, "{x}");
        }
        // With a disagreement point: frontier Σu = 3, d = (1, 0, 0) → u = (5/3, 2/3, 2/3).
        let p = problem(&[&[3, 0, 0], &[0, 3, 0], &[0, 0, 3]], &[1, 0, 0]);
        let u = nash_solution(&p).unwrap().to_f64().unwrap();
        let expect = [5.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0];
        for (x, e) in u.iter().zip(expect) {
            assert!((x - e).abs() < 1e-9, "{u:?}");
        }
    }
}
