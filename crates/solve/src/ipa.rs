//! Iterated polymatrix approximation.
//!
//! S. Govindan and R. Wilson, "Computing Nash equilibria by iterated
//! polymatrix approximation", *Journal of Economic Dynamics and Control*
//! 28 (2004) 1229–1241. At the current profile `σ` the game is replaced by
//! its polymatrix (first-order) approximation
//! `V(x) ≈ V(σ) + Σ_q ∂V/∂x_q (σ) (x_q − σ_q)`, whose strategy values are
//! linear in the profile; an equilibrium of the approximation is found by
//! the global Newton method from the perturbation ray (here the path is
//! piecewise linear), and becomes the next `σ` (with step halving when the
//! regret grows). When the path of an approximation stalls (degenerate
//! approximations), up to three seeded random rays are tried for it. A fixed point is an equilibrium of the game: the
//! approximation at an equilibrium has that equilibrium as an equilibrium.
//! Convergence is local, as in the paper; the result is polished by Newton's
//! method on its support and verified independently, and the method says
//! when it did not converge instead of returning a non-equilibrium (Gambit
//! issue #406).

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::Budget;
use crate::equilibrium::SolveError;
use crate::gnm::{trace_ray, GnmSystem, Values};
use crate::nplayer_util::{refine_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64};
use detente_game::NormalFormGame;

/// Options of [`ipa`].
#[derive(Debug, Clone, PartialEq)]
pub struct IpaOptions {
    /// Perturbation ray, one vector per player; `None`: a bonus on every
    /// player's first strategy (Gambit's default).
    pub ray: Option<Vec<Vec<f64>>>,
    /// Start profile; `None`: the favourite strategies under the ray.
    pub start: Option<Vec<Vec<f64>>>,
    /// Largest number of approximation rounds.
    pub max_rounds: usize,
    /// Path-step budget for solving one polymatrix approximation from one
    /// ray.
    pub steps_per_round: u64,
    /// Acceptance tolerance (relative max regret).
    pub max_regret: f64,
    /// Step and time budget (path steps of all rounds).
    pub budget: Budget,
}

impl Default for IpaOptions {
    fn default() -> Self {
        IpaOptions {
            ray: None,
            start: None,
            max_rounds: 200,
            steps_per_round: 20_000,
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            budget: Budget::default(),
        }
    }
}

/// Iterated polymatrix approximation from the ray's favourite profile.
pub fn ipa(game: &NormalFormGame, opts: &IpaOptions) -> Result<NplayerResult, SolveError> {
    if !(opts.max_regret >= 0.0) {
        return Err(SolveError::NotApplicable(
            "ipa: max_regret must be a nonnegative number".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    t.check_size("ipa")?;
    let ray: Vec<f64> = match &opts.ray {
        Some(r) => {
            if r.len() != t.n || r.iter().zip(&t.shape).any(|(v, &s)| v.len() != s) {
                return Err(SolveError::NotApplicable(
                    "ipa: the ray needs one number per strategy of every player".into(),
                ));
            }
            let flat: Vec<f64> = r.iter().flatten().cloned().collect();
            if flat.iter().any(|v| !v.is_finite()) {
                return Err(SolveError::NotApplicable(
                    "ipa: ray entries must be finite".into(),
                ));
            }
            flat
        }
        None => {
            let mut b = vec![0.0; t.k];
            for j in 0..t.n {
                b[t.offsets[j]] = 1.0;
            }
            b
        }
    };
    let mut sigma = match &opts.start {
        Some(s) => t.flatten(s)?,
        None => {
            let mut x = vec![0.0; t.k];
            for j in 0..t.n {
                let o = t.offsets[j];
                let mut best = 0;
                for h in 1..t.shape[j] {
                    if ray[o + h] > ray[o + best] {
                        best = h;
                    }
                }
                x[o + best] = 1.0;
            }
            x
        }
    };
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut regret = t.max_regret(&sigma);
    let mut done = false;
    let mut rounds = 0;
    while rounds < opts.max_rounds && !meter.exhausted() {
        rounds += 1;
        if regret < 1e-3 {
            if let Some(y) = refine_on_support(&t, &sigma, opts.max_regret) {
                if coll.offer(&y, true) {
                    done = true;
                    break;
                }
            }
        }
        let (v0, d0) = t.values_and_pairs(&sigma);
        let (v0c, d0c) = (v0.clone(), d0.clone());
        let sys = GnmSystem {
            values: Values::Poly {
                t: &t,
                v0,
                d0,
                sigma: sigma.clone(),
            },
            ray: ray.clone(),
        };
        // The approximation's equilibrium from the ray; if that path stalls
        // (a degenerate approximation), from seeded random rays.
        let mut found = None;
        let mut last_end = None;
        for attempt in 0..4u64 {
            let sys_ray = if attempt == 0 {
                None
            } else {
                let mut rng = SplitMix64::new(attempt * 7919 + rounds as u64);
                Some((0..t.k).map(|_| rng.next_f64()).collect::<Vec<f64>>())
            };
            let sys_a;
            let sys_ref = match sys_ray {
                None => &sys,
                Some(r) => {
                    sys_a = GnmSystem {
                        values: Values::Poly {
                            t: &t,
                            v0: v0c.clone(),
                            d0: d0c.clone(),
                            sigma: sigma.clone(),
                        },
                        ray: r,
                    };
                    &sys_a
                }
            };
            let mut sub = meter.sub_budget(opts.steps_per_round).start();
            let out = trace_ray(sys_ref, -1e9, true, &mut sub);
            meter.absorb(&sub);
            let stopped_near_zero = !out.reached_end && out.last.1.abs() < 1e-3;
            last_end = Some(out.end);
            if let Some(x) = out.crossings.into_iter().next() {
                found = Some(x);
                break;
            }
            if stopped_near_zero {
                found = Some(out.last.0);
                break;
            }
            if meter.exhausted() {
                break;
            }
        }
        let tau = match found {
            Some(x) => x,
            None => {
                coll.note(format!(
                    "ipa: round {rounds}: no equilibrium of the polymatrix approximation found from its ray or 3 random rays ({:?})",
                    last_end
                ));
                break;
            }
        };
        // Damped step towards the approximation's equilibrium.
        let mut alpha = 1.0;
        let mut next = tau.clone();
        let mut next_regret = t.max_regret(&next);
        for _ in 0..6 {
            if next_regret < regret {
                break;
            }
            alpha *= 0.5;
            next = sigma
                .iter()
                .zip(&tau)
                .map(|(s, u)| s + alpha * (u - s))
                .collect();
            next_regret = t.max_regret(&next);
        }
        let moved = next
            .iter()
            .zip(&sigma)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        sigma = next;
        regret = next_regret;
        if moved < 1e-15 {
            break;
        }
    }
    if !done {
        if let Some(y) = refine_on_support(&t, &sigma, opts.max_regret) {
            done = coll.offer(&y, true);
        }
    }
    coll.result.budget_exhausted = meter.exhausted();
    coll.result.complete = done;
    if !done {
        coll.note(format!(
            "ipa: no verified equilibrium after {rounds} rounds (last max regret {:.3e} of the payoff range){}",
            regret,
            if meter.exhausted() {
                format!("; {}", meter.describe())
            } else {
                String::new()
            }
        ));
    }
    Ok(coll.result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    #[test]
    fn known_games() {
        let g = matching_pennies();
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let g = mckelvey_mclennan();
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        for e in &res.equilibria {
            assert!(independent_max_regret(&g, &e.profile) <= 12e-9);
        }
        assert!(res.complete || !res.notes.is_empty());
        let g = game(&[1, 3], &[vec![0, 0, 0], vec![1, 3, 2]]);
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
        assert_eq!(res.equilibria[0].profile[1], vec![0.0, 1.0, 0.0]);
    }
}
