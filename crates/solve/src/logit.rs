//! Logit quantal-response equilibria and the logit-selected Nash
//! equilibrium.
//!
//! R. D. McKelvey and T. R. Palfrey, "Quantal response equilibria for
//! normal form games", *Games and Economic Behavior* 10 (1995) 6–38, define
//! the logit QRE at precision `λ ≥ 0` by
//! `x_{jh} ∝ exp(λ u_j(h, x_{−j}))`. The principal branch starts at the
//! centroid (`λ = 0`) and, for generic games, converges to a Nash
//! equilibrium as `λ → ∞`. Following T. L. Turocy, "A dynamic homotopy
//! interpretation of the logistic quantal response equilibrium
//! correspondence", *Games and Economic Behavior* 51 (2005) 243–263, the
//! branch is traced in log-probabilities `w = ln x` by predictor–corrector
//! continuation in arclength (so turning points in `λ` are passed).
//!
//! Unlike Gambit 16.7 (issue #492: a profile with regret 0.21 returned as
//! Nash on the McKelvey–McLennan 2×2×2 game, where the branch passes a
//! bifurcation near λ ≈ 0.6), tangents are oriented by continuity, which
//! carries the tracer straight through simple bifurcation points (the
//! Jacobian determinant changes sign there, so a determinant-based
//! orientation turns back); on that game the branch is followed to the
//! equilibrium `((1/2, 1/2), (1/2, 1/2), (1, 0))`. A stall (step size
//! collapsing, `λ` not advancing) is detected and reported; the end point
//! is accepted only after a Newton refinement on the support of the limit
//! and an independent regret check; otherwise the result says that no
//! verified equilibrium was reached.
//!
//! `λ` is reported in the game's payoff units (as Gambit does); internally
//! payoffs are rescaled to `[0, 1]`.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::{Budget, Meter};
use crate::equilibrium::SolveError;
use crate::nplayer_util::{
    refine_on_support, trace_path, Collector, Lu, NplayerResult, PathSystem, PayoffTensor,
    TraceEnd, TraceOptions,
};
use detente_game::NormalFormGame;
use std::cell::RefCell;

/// Options of the logit methods.
#[derive(Debug, Clone, PartialEq)]
pub struct LogitOptions {
    /// Acceptance tolerance of the final equilibrium (relative max regret).
    pub max_regret: f64,
    /// First arclength step (Gambit's `first_step`).
    pub first_step: f64,
    /// Largest factor by which the step grows after an easy step
    /// (Gambit's `max_accel`).
    pub max_accel: f64,
    /// Stop tracing when `λ` (in rescaled payoff units) exceeds this.
    pub max_lambda: f64,
    /// Step and time budget.
    pub budget: Budget,
}

impl Default for LogitOptions {
    fn default() -> Self {
        LogitOptions {
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            first_step: 0.03,
            max_accel: 1.1,
            max_lambda: 1e9,
            budget: Budget::default(),
        }
    }
}

/// One point of the principal branch.
#[derive(Debug, Clone, PartialEq)]
pub struct LogitPoint {
    /// Precision, in the game's payoff units.
    pub lambda: f64,
    /// The QRE profile, `profile[player][strategy]`.
    pub profile: Vec<Vec<f64>>,
}

/// The traced principal branch.
#[derive(Debug, Clone, PartialEq)]
pub struct LogitBranch {
    pub points: Vec<LogitPoint>,
    /// Why tracing stopped.
    pub end: String,
    /// `true` if the budget ran out.
    pub budget_exhausted: bool,
}

/// How likely each agent of an agent form is to be called upon: for each
/// agent (a player of the tensor), for each member node of its information
/// set, the product of chance probabilities on the path and the flat
/// indices of the agents' actions on the path. Used to divide an agent's
/// strategy values by the probability of reaching its information set,
/// which turns them into the conditional action values of the agent
/// quantal-response equilibrium (McKelvey and Palfrey 1998).
#[derive(Debug, Clone, Default)]
pub(crate) struct AgentReach {
    pub members: Vec<Vec<(f64, Vec<usize>)>>,
}

impl AgentReach {
    /// Reach probability of agent `j`'s set and its partial derivatives
    /// (flat index, value).
    fn reach(&self, j: usize, x: &[f64]) -> (f64, Vec<(usize, f64)>) {
        let mut r = 0.0;
        let mut grad = Vec::new();
        for (c, path) in &self.members[j] {
            let prod: f64 = path.iter().map(|&i| x[i]).product::<f64>() * c;
            r += prod;
            for (q, &i) in path.iter().enumerate() {
                let others: f64 = path
                    .iter()
                    .enumerate()
                    .filter(|&(u, _)| u != q)
                    .map(|(_, &i2)| x[i2])
                    .product::<f64>()
                    * c;
                grad.push((i, others));
            }
        }
        (r, grad)
    }
}

/// Largest conditional regret of an agent form (each agent's regret over
/// the probability of reaching it), or the rescaled max regret of a
/// strategic game.
fn branch_regret(t: &PayoffTensor, reach: Option<&AgentReach>, x: &[f64]) -> f64 {
    let Some(reach) = reach else {
        return t.max_regret(x);
    };
    let v = t.values(x);
    let mut worst = 0.0f64;
    for j in 0..t.n {
        let o = t.offsets[j];
        let s = t.shape[j];
        let (r, _) = reach.reach(j, x);
        if !(r > 1e-300) {
            continue;
        }
        let mine: f64 = (0..s).map(|h| x[o + h] * v[o + h]).sum();
        let best = (0..s).map(|h| v[o + h]).fold(f64::NEG_INFINITY, f64::max);
        worst = worst.max((best - mine) / r);
    }
    worst
}

struct LogitSystem<'a> {
    t: &'a PayoffTensor,
    reach: Option<&'a AgentReach>,
    /// Owner of each flat strategy (`PayoffTensor::owner`).
    owner: Vec<usize>,
    /// The profile, strategy values and pair table of the last
    /// evaluation: an evaluation allocates nothing (strategic form).
    scratch: RefCell<(Vec<f64>, Vec<f64>, Vec<f64>)>,
}

impl<'a> LogitSystem<'a> {
    fn new(t: &'a PayoffTensor, reach: Option<&'a AgentReach>) -> Self {
        LogitSystem {
            t,
            reach,
            owner: (0..t.k).map(|a| t.owner(a)).collect(),
            scratch: RefCell::new((vec![0.0; t.k], vec![0.0; t.k], vec![0.0; t.k * t.k])),
        }
    }
}

impl PathSystem for LogitSystem<'_> {
    fn equations(&self) -> usize {
        self.t.k
    }

    fn eval_into(&self, y: &[f64], h: &mut Vec<f64>, jac: &mut Vec<f64>) {
        let t = self.t;
        let k = t.k;
        let cols = k + 1;
        let lambda = y[k];
        let mut scratch = self.scratch.borrow_mut();
        let (x, v, d) = &mut *scratch;
        for (xi, w) in x.iter_mut().zip(&y[..k]) {
            *xi = w.exp();
        }
        t.values_and_pairs_into(x, v, d);
        h.clear();
        h.resize(k, 0.0);
        jac.clear();
        jac.resize(k * cols, 0.0);
        for j in 0..t.n {
            let o = t.offsets[j];
            let s = t.shape[j];
            // Agent form: values divided by the reach probability R_j.
            let (inv, grad) = match self.reach {
                None => (1.0, Vec::new()),
                Some(reach) => {
                    let (r, g) = reach.reach(j, x);
                    if r > 1e-300 {
                        (1.0 / r, g)
                    } else {
                        (0.0, Vec::new())
                    }
                }
            };
            // Row o: Σ x = 1.
            h[o] = x[o..o + s].iter().sum::<f64>() - 1.0;
            for hh in 0..s {
                jac[o * cols + o + hh] = x[o + hh];
            }
            for hh in 1..s {
                let r = o + hh;
                let delta = v[r] - v[o];
                h[r] = y[r] - y[o] - lambda * delta * inv;
                let row = &mut jac[r * cols..(r + 1) * cols];
                row[r] += 1.0;
                row[o] -= 1.0;
                let (dr, d0) = (&d[r * k..(r + 1) * k], &d[o * k..(o + 1) * k]);
                for b in 0..k {
                    if self.owner[b] != j {
                        row[b] -= lambda * x[b] * (dr[b] - d0[b]) * inv;
                    }
                }
                // ∂(Δ / R)/∂w_b = −Δ x_b (∂R/∂x_b) / R².
                for &(b, dr) in &grad {
                    row[b] += lambda * delta * x[b] * dr * inv * inv;
                }
                row[k] = -delta * inv;
            }
        }
    }
}

fn start_point(t: &PayoffTensor) -> Vec<f64> {
    let mut y: Vec<f64> = t.centroid().iter().map(|x| x.ln()).collect();
    y.push(0.0);
    y
}

fn trace_options(opts: &LogitOptions) -> TraceOptions {
    TraceOptions {
        first_step: opts.first_step,
        max_step: 1e6,
        min_step: 1e-12,
        max_accel: opts.max_accel,
        tol: 1e-11,
        min_cos: 0.9,
        orient_by_det: false,
        kink_step: 0.0,
    }
}

fn check_options(opts: &LogitOptions) -> Result<(), SolveError> {
    if !(opts.first_step > 0.0 && opts.first_step.is_finite()) {
        return Err(SolveError::NotApplicable(
            "logit: first_step must be a positive number".into(),
        ));
    }
    if !(opts.max_accel >= 1.0 && opts.max_accel.is_finite()) {
        return Err(SolveError::NotApplicable(
            "logit: max_accel must be at least 1".into(),
        ));
    }
    if !(opts.max_regret >= 0.0) || !(opts.max_lambda > 0.0) {
        return Err(SolveError::NotApplicable(
            "logit: max_regret must be nonnegative and max_lambda positive".into(),
        ));
    }
    Ok(())
}

/// Traces the principal branch; `on_point(lambda_rescaled, x)` is called at
/// every accepted point and returns `false` to stop.
fn run(
    t: &PayoffTensor,
    reach: Option<&AgentReach>,
    opts: &LogitOptions,
    meter: &mut Meter,
    mut on_point: impl FnMut(f64, &[f64]) -> bool,
) -> (TraceEnd, String) {
    let sys = LogitSystem::new(t, reach);
    let y0 = start_point(t);
    let mut hint = vec![0.0; t.k + 1];
    hint[t.k] = 1.0;
    let mut max_lambda_seen = 0.0f64;
    let mut since_progress = 0usize;
    let mut stalled = false;
    let mut over = false;
    let end = trace_path(&sys, &y0, &hint, &trace_options(opts), meter, |_, y, _| {
        let lambda = y[t.k];
        if lambda > max_lambda_seen * (1.0 + 1e-9) + 1e-12 {
            max_lambda_seen = lambda;
            since_progress = 0;
        } else {
            since_progress += 1;
            if since_progress > 5000 {
                stalled = true;
                return false;
            }
        }
        if lambda > opts.max_lambda {
            over = true;
            return false;
        }
        let x: Vec<f64> = y[..t.k].iter().map(|w| w.exp()).collect();
        on_point(lambda, &x)
    });
    let why = match end {
        TraceEnd::Done if stalled => format!(
            "the branch stopped advancing in λ (cycling near λ = {:.6e}: a bifurcation or turning region)",
            max_lambda_seen / t.scale
        ),
        TraceEnd::Done if over => format!("λ reached the limit {:.3e}", opts.max_lambda / t.scale),
        TraceEnd::Done => "stopped at the requested point".to_string(),
        TraceEnd::Stalled => format!(
            "the step size collapsed near λ = {:.6e} (a bifurcation or singular point)",
            max_lambda_seen / t.scale
        ),
        TraceEnd::Budget => meter.describe(),
        TraceEnd::Singular => "the Jacobian is singular at the start".to_string(),
    };
    let end = if stalled { TraceEnd::Stalled } else { end };
    (end, why)
}

/// The logit-selected Nash equilibrium: the limit of the principal branch,
/// polished by Newton's method on its support and verified. Returns no
/// equilibrium (with a note) when the branch stalls or the limit does not
/// verify.
pub fn logit(game: &NormalFormGame, opts: &LogitOptions) -> Result<NplayerResult, SolveError> {
    logit_impl(game, None, opts)
}

pub(crate) fn logit_impl(
    game: &NormalFormGame,
    reach: Option<&AgentReach>,
    opts: &LogitOptions,
) -> Result<NplayerResult, SolveError> {
    check_options(opts)?;
    let t = PayoffTensor::new(game);
    t.check_size("logit")?;
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut found: Option<Vec<f64>> = None;
    let mut last = t.centroid();
    let mut last_lambda = 0.0;
    let mut next_try = 0.0f64;
    let (end, why) = run(&t, reach, opts, &mut meter, |lambda, x| {
        last = x.to_vec();
        last_lambda = lambda;
        let r = branch_regret(&t, reach, x);
        // Agent form: information sets that the limit does not reach keep
        // whatever mixture Newton's method leaves them on a continuum of
        // equilibria, so follow the branch closer to its limit first.
        let (start_refine, max_dist) = if reach.is_some() {
            (1e-7, 1e-5)
        } else {
            (1e-3, 0.05)
        };
        if r < start_refine && lambda >= next_try {
            next_try = lambda * 1.25;
            if let Some(y) = refine_on_support(&t, x, opts.max_regret) {
                let dist = y
                    .iter()
                    .zip(x)
                    .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                if dist <= max_dist {
                    found = Some(y);
                    return false;
                }
            }
        }
        true
    });
    match found {
        Some(y) => {
            if !coll.offer(&y, true) {
                coll.note("logit: the refined limit failed the independent regret check");
            }
            coll.result.complete = !coll.result.equilibria.is_empty();
        }
        None => {
            // Last chance: refine the last point reached.
            let refined = refine_on_support(&t, &last, opts.max_regret);
            let ok = refined.as_ref().is_some_and(|y| coll.offer(y, true));
            if ok {
                coll.note(format!(
                    "logit: tracing ended early ({why}); the equilibrium was obtained by Newton refinement of the last point (λ = {:.6e}) and verified",
                    last_lambda / t.scale
                ));
            } else {
                coll.note(format!(
                    "logit: no verified equilibrium reached: {why}; last point λ = {:.6e} with max regret {:.3e} of the payoff range",
                    last_lambda / t.scale,
                    t.max_regret(&last)
                ));
            }
        }
    }
    coll.result.budget_exhausted = end == TraceEnd::Budget;
    Ok(coll.result)
}

/// The principal branch as a table of `(λ, profile)` points, from `λ = 0`
/// until `λ` exceeds `max_lambda` (game payoff units) or tracing stops.
pub fn logit_branch(
    game: &NormalFormGame,
    max_lambda: f64,
    opts: &LogitOptions,
) -> Result<LogitBranch, SolveError> {
    logit_branch_to(game, Some(max_lambda), opts)
}

/// The principal branch from `λ = 0` until `λ` exceeds `max_lambda` (game
/// payoff units) or, when `max_lambda` is `None`, until the branch is
/// within `1e-8` × payoff range of a Nash equilibrium (max regret), or
/// tracing stops.
pub fn logit_branch_to(
    game: &NormalFormGame,
    max_lambda: Option<f64>,
    opts: &LogitOptions,
) -> Result<LogitBranch, SolveError> {
    logit_branch_impl(game, None, max_lambda, opts)
}

pub(crate) fn logit_branch_impl(
    game: &NormalFormGame,
    reach: Option<&AgentReach>,
    max_lambda: Option<f64>,
    opts: &LogitOptions,
) -> Result<LogitBranch, SolveError> {
    check_options(opts)?;
    if let Some(m) = max_lambda {
        if !(m > 0.0) || !m.is_finite() {
            return Err(SolveError::NotApplicable(
                "logit: the largest λ must be a positive number".into(),
            ));
        }
    }
    let t = PayoffTensor::new(game);
    t.check_size("logit")?;
    let mut meter = opts.budget.start();
    let mut points = vec![LogitPoint {
        lambda: 0.0,
        profile: t.nest(&t.centroid()),
    }];
    let mut near_nash = false;
    let (end, why) = run(&t, reach, opts, &mut meter, |lambda, x| {
        points.push(LogitPoint {
            lambda: lambda / t.scale,
            profile: t.nest(x),
        });
        match max_lambda {
            Some(m) => lambda <= m * t.scale,
            None => {
                near_nash = branch_regret(&t, reach, x) <= 1e-8;
                !near_nash
            }
        }
    });
    let why = if near_nash {
        "the branch is within 1e-8 × payoff range of a Nash equilibrium".to_string()
    } else if end == TraceEnd::Done && max_lambda.is_some() && why.starts_with("stopped") {
        "λ passed the requested largest λ".to_string()
    } else {
        why
    };
    Ok(LogitBranch {
        points,
        end: why,
        budget_exhausted: end == TraceEnd::Budget,
    })
}

/// The QRE on the principal branch at precision `lambda` (game payoff
/// units): the first point of the branch where `λ` reaches `lambda`,
/// solved to full accuracy by Newton's method at fixed `λ`.
pub fn logit_at_lambda(
    game: &NormalFormGame,
    lambda: f64,
    opts: &LogitOptions,
) -> Result<Vec<Vec<f64>>, SolveError> {
    logit_at_lambda_impl(game, None, lambda, opts)
}

pub(crate) fn logit_at_lambda_impl(
    game: &NormalFormGame,
    reach: Option<&AgentReach>,
    lambda: f64,
    opts: &LogitOptions,
) -> Result<Vec<Vec<f64>>, SolveError> {
    check_options(opts)?;
    if !(lambda >= 0.0) || !lambda.is_finite() {
        return Err(SolveError::NotApplicable(
            "logit: λ must be a nonnegative number".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    t.check_size("logit")?;
    if lambda == 0.0 {
        return Ok(t.nest(&t.centroid()));
    }
    let target = lambda * t.scale;
    let mut meter = opts.budget.start();
    let mut bracket: Option<(Vec<f64>, f64, Vec<f64>, f64)> = None;
    let mut prev_w = start_point(&t);
    let (end, why) = {
        let sys = LogitSystem::new(&t, reach);
        let y0 = start_point(&t);
        let mut hint = vec![0.0; t.k + 1];
        hint[t.k] = 1.0;
        let end = trace_path(
            &sys,
            &y0,
            &hint,
            &trace_options(opts),
            &mut meter,
            |a, b, _| {
                prev_w = b.to_vec();
                if b[t.k] >= target {
                    bracket = Some((a.to_vec(), a[t.k], b.to_vec(), b[t.k]));
                    return false;
                }
                true
            },
        );
        (end, format!("{end:?}"))
    };
    let (a, la, b, lb) = match bracket {
        Some(v) => v,
        None => {
            return Err(if end == TraceEnd::Budget {
                SolveError::Budget(format!("logit: {}", meter.describe()))
            } else {
                SolveError::NotApplicable(format!(
                    "logit: the branch did not reach λ = {lambda} ({why}, last λ = {:.6e})",
                    prev_w[t.k] / t.scale
                ))
            })
        }
    };
    let s = if lb > la {
        (target - la) / (lb - la)
    } else {
        1.0
    };
    let mut y: Vec<f64> = a.iter().zip(&b).map(|(p, q)| p + s * (q - p)).collect();
    y[t.k] = target;
    // Newton at fixed λ.
    let sys = LogitSystem::new(&t, reach);
    let k = t.k;
    for _ in 0..50 {
        let (h, jac) = sys.eval(&y);
        let norm = h.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if norm < 1e-13 {
            break;
        }
        let sq: Vec<f64> = (0..k)
            .flat_map(|r| jac[r * (k + 1)..r * (k + 1) + k].to_vec())
            .collect();
        let lu = Lu::new(&sq, k).ok_or_else(|| {
            SolveError::NotApplicable(format!(
                "logit: singular QRE equations at λ = {lambda} (a bifurcation point)"
            ))
        })?;
        let dx = lu.solve(&h.iter().map(|v| -v).collect::<Vec<_>>());
        for (yi, d) in y.iter_mut().zip(&dx) {
            *yi += d;
        }
    }
    let mut x: Vec<f64> = y[..k].iter().map(|w| w.exp()).collect();
    t.normalize(&mut x);
    Ok(t.nest(&x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    #[test]
    fn matching_pennies_limit_is_the_mixed_equilibrium() {
        let g = matching_pennies();
        let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        for p in &res.equilibria[0].profile {
            assert!((p[0] - 0.5).abs() < 1e-9);
        }
    }

    #[test]
    fn mckelvey_mclennan_passes_the_bifurcation() {
        let g = mckelvey_mclennan();
        let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let e = &res.equilibria[0];
        assert!(independent_max_regret(&g, &e.profile) <= 1e-9 * 12.0);
        let want = [[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]];
        for (p, w) in e.profile.iter().zip(&want) {
            assert!((p[0] - w[0]).abs() < 1e-9, "{:?}", e.profile);
        }
    }

    #[test]
    fn stall_is_reported_not_hidden() {
        // A step budget far too small: the early end is said (and any
        // answer is still verified).
        let g = mckelvey_mclennan();
        let opts = LogitOptions {
            budget: Budget::new(3, None),
            ..Default::default()
        };
        let res = logit(&g, &opts).unwrap_or_default();
        assert!(res.budget_exhausted);
        assert!(res.notes.iter().any(|n| n.contains("budget exhausted")));
    }

    #[test]
    fn prisoners_dilemma_branch_and_lambda() {
        // Row/column: cooperate, defect.
        let g = game(&[2, 2], &[vec![3, 5, 0, 1], vec![3, 0, 5, 1]]);
        let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
        assert!((res.equilibria[0].profile[0][1] - 1.0).abs() < 1e-12);
        let q = logit_at_lambda(&g, 0.5, &LogitOptions::default()).unwrap_or_default();
        // Defection is dominant by 1 or 2: check the logit equations.
        let p = &q[0];
        let u_c = 3.0 * q[1][0];
        let u_d = 5.0 * q[1][0] + q[1][1];
        assert!(((p[1] / p[0]).ln() - 0.5 * (u_d - u_c)).abs() < 1e-9);
        let b = logit_branch(&g, 2.0, &LogitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(b.points.len() > 2);
        assert!(b
            .points
            .windows(2)
            .all(|w| w[1].lambda >= w[0].lambda - 1e-12));
    }

    #[test]
    fn trivial_games() {
        let g = game(&[1, 1], &[vec![1], vec![2]]);
        let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let g = game(&[3], &[vec![0, 4, 4]]);
        let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        assert!((res.equilibria[0].profile[0][1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn bad_options_are_errors() {
        let g = matching_pennies();
        let opts = LogitOptions {
            first_step: -1.0,
            ..Default::default()
        };
        assert!(logit(&g, &opts).is_err());
        assert!(logit_at_lambda(&g, f64::NAN, &LogitOptions::default()).is_err());
    }
}
