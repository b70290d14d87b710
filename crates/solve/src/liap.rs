//! Lyapunov-function minimisation.
//!
//! R. D. McKelvey, "A Liapunov function for Nash equilibria", California
//! Institute of Technology Social Science Working Paper 953 (1991):
//! `L(x) = Σ_j Σ_h max(0, u_j(h, x_{−j}) − u_j(x))²` is nonnegative on the
//! strategy space and zero exactly at Nash equilibria. It is minimised here
//! by projected gradient descent (Barzilai–Borwein steps with an Armijo
//! backtracking safeguard) from many starts (the centroid, given profiles
//! and seeded random profiles). Local minima with `L > 0` are not
//! equilibria; every end point is polished by Newton's method on its
//! support and only independently verified equilibria are returned.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::Budget;
use crate::equilibrium::SolveError;
use crate::nplayer_util::{
    project_to_simplices, refine_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64,
};
use detente_game::NormalFormGame;

/// Options of [`liap`].
#[derive(Debug, Clone, PartialEq)]
pub struct LiapOptions {
    /// Start from the centroid first (Gambit's default start).
    pub centroid: bool,
    /// Start profiles (after the centroid).
    pub starts: Vec<Vec<Vec<f64>>>,
    /// Number of seeded random starts.
    pub random_starts: usize,
    /// Seed of the random starts.
    pub seed: u64,
    /// Gradient iterations per start (Gambit's `maxiter`).
    pub max_iterations: usize,
    /// Acceptance tolerance (relative max regret).
    pub max_regret: f64,
    /// Budget over all starts (one step per gradient iteration).
    pub budget: Budget,
}

impl Default for LiapOptions {
    fn default() -> Self {
        LiapOptions {
            centroid: true,
            starts: Vec::new(),
            random_starts: 20,
            seed: 0,
            max_iterations: 1000,
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            budget: Budget::default(),
        }
    }
}

/// `L(x)` and its gradient (rescaled payoffs).
fn objective(t: &PayoffTensor, x: &[f64]) -> (f64, Vec<f64>) {
    let k = t.k;
    let (v, d) = t.values_and_pairs(x);
    let pay = t.player_payoffs(x, &v);
    let mut r = vec![0.0; k];
    let mut big_r = vec![0.0; t.n];
    let mut l = 0.0;
    for a in 0..k {
        let j = t.owner(a);
        let g = v[a] - pay[j];
        if g > 0.0 {
            r[a] = g;
            big_r[j] += g;
            l += g * g;
        }
    }
    let mut grad = vec![0.0; k];
    // ∂u_j/∂x_b for b of another player: Σ_h x_{jh} d[(j,h), b].
    for b in 0..k {
        let q = t.owner(b);
        let mut s = 0.0;
        for j in 0..t.n {
            let o = t.offsets[j];
            if j == q {
                // ∂u_q/∂x_b = v[b]; the strategy values of q do not depend
                // on x_q.
                s -= big_r[j] * v[b];
                continue;
            }
            let mut du = 0.0;
            let mut dv = 0.0;
            for h in 0..t.shape[j] {
                let a = o + h;
                let dab = d[a * k + b];
                du += x[a] * dab;
                dv += r[a] * dab;
            }
            s += dv - big_r[j] * du;
        }
        grad[b] = 2.0 * s;
    }
    (l, grad)
}

/// Lyapunov-function minimisation from the centroid, the given starts and
/// `random_starts` seeded random profiles.
pub fn liap(game: &NormalFormGame, opts: &LiapOptions) -> Result<NplayerResult, SolveError> {
    if !(opts.max_regret >= 0.0) {
        return Err(SolveError::NotApplicable(
            "liap: max_regret must be a nonnegative number".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    t.check_size("liap")?;
    let mut starts = if opts.centroid {
        vec![t.centroid()]
    } else {
        Vec::new()
    };
    for s in &opts.starts {
        starts.push(t.flatten(s)?);
    }
    let mut rng = SplitMix64::new(opts.seed);
    for _ in 0..opts.random_starts {
        starts.push(rng.profile(&t));
    }
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    coll.merge_components = true;
    let mut failed = 0usize;
    let mut ran = 0usize;
    'starts: for x0 in &starts {
        ran += 1;
        let mut x = x0.clone();
        let (mut l, mut g) = objective(&t, &x);
        let mut step = 1.0;
        for _ in 0..opts.max_iterations {
            if !meter.tick() {
                break 'starts;
            }
            if l < 1e-24 {
                break;
            }
            // Armijo backtracking along the projection arc.
            let mut accepted = false;
            for _ in 0..40 {
                let z: Vec<f64> = x.iter().zip(&g).map(|(a, b)| a - step * b).collect();
                let xn = project_to_simplices(&t, &z);
                let dec: f64 = g
                    .iter()
                    .zip(xn.iter().zip(&x))
                    .map(|(gi, (a, b))| gi * (a - b))
                    .sum();
                let (ln, gn) = objective(&t, &xn);
                if ln <= l + 1e-4 * dec && ln.is_finite() {
                    // Barzilai–Borwein step for the next iteration.
                    let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
                    let yv: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
                    let sy: f64 = s.iter().zip(&yv).map(|(a, b)| a * b).sum();
                    let ss: f64 = s.iter().map(|a| a * a).sum();
                    step = if sy > 1e-300 {
                        (ss / sy).clamp(1e-8, 1e8)
                    } else {
                        step * 2.0
                    };
                    let moved = ss.sqrt();
                    x = xn;
                    l = ln;
                    g = gn;
                    accepted = moved > 1e-16;
                    break;
                }
                step *= 0.5;
            }
            if !accepted {
                break;
            }
        }
        match refine_on_support(&t, &x, opts.max_regret) {
            Some(y) if coll.offer(&y, true) => {}
            _ => failed += 1,
        }
    }
    if failed > 0 {
        coll.note(format!(
            "liap: {failed} of {ran} starts ended at a local minimum that is not an equilibrium"
        ));
    }
    if coll.merged > 0 {
        let merged = coll.merged;
        coll.note(format!(
            "liap: {merged} further equilibria lay in a convex set of equilibria already reported (one point of each such set is kept)"
        ));
    }
    coll.result.budget_exhausted = meter.exhausted();
    if meter.exhausted() {
        coll.note(format!(
            "liap: {} ({} of {} starts run)",
            meter.describe(),
            ran,
            starts.len()
        ));
    }
    coll.result.complete = !meter.exhausted();
    Ok(coll.result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    #[test]
    fn gradient_matches_finite_differences() {
        let g = mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let x = SplitMix64::new(9).profile(&t);
        let (l, grad) = objective(&t, &x);
        for b in 0..t.k {
            let mut xp = x.clone();
            xp[b] += 1e-7;
            let (lp, _) = objective(&t, &xp);
            assert!(((lp - l) / 1e-7 - grad[b]).abs() < 1e-4, "{b}");
        }
    }

    #[test]
    fn finds_equilibria_of_known_games() {
        let g = matching_pennies();
        let res = liap(&g, &LiapOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
        let g = mckelvey_mclennan();
        let res = liap(
            &g,
            &LiapOptions {
                random_starts: 60,
                ..Default::default()
            },
        )
        .unwrap_or_default();
        assert!(res.equilibria.len() >= 3, "{}", res.equilibria.len());
        for e in &res.equilibria {
            assert!(independent_max_regret(&g, &e.profile) <= 12e-9);
        }
        let g = game(&[1, 2], &[vec![0, 0], vec![1, 2]]);
        let res = liap(&g, &LiapOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
        assert_eq!(res.equilibria[0].profile[1], vec![0.0, 1.0]);
    }
}
