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
//! equilibrium `((1/2, 1/2), (1/2, 1/2), (1, 0))`. Every bifurcation the
//! branch passes (a sign change of that determinant over a step) is
//! reported in a note and in [`LogitBranch::bifurcations`]: where it is
//! passed, Gambit's answer can be another equilibrium (Battle of the Sexes,
//! Shapley's 1974 game, 11 games of Gambit's catalog). A stall (step size
//! collapsing, `λ` not advancing) is detected and reported; the end point
//! is accepted only after a Newton refinement on the support of the limit
//! and an independent regret check; otherwise the result says that no
//! verified equilibrium was reached.
//!
//! The limit is polished early (max regret 1e-3), which is fast and exact
//! where it is an isolated equilibrium. Where it is not (the polished
//! point is not quasi-strict or its support's indifference system is
//! singular: a continuum, as in many trees' reduced strategic forms), the
//! early polish lands on *some* point of the continuum and the branch's
//! end depends on where tracing stops. There the branch is traced again
//! as Gambit 16.7's `logit_solve` traces it (its predictor–corrector and
//! step control, `PathTracer::TracePath`, stopped at max regret < 1e-8 ×
//! payoff range) and that point is polished by a move of at most 1e-6,
//! which gives Gambit's equilibrium (issue #3).
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
    /// Where the branch passed a simple bifurcation point (`λ`, game
    /// payoff units): another branch of QREs crosses it there; the trace
    /// continued smoothly through ([`bifurcation_note`]).
    pub bifurcations: Vec<f64>,
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

/// Below this probability of reaching an information set, the agent
/// form's branch is not followed further: its conditional action values
/// are ratios of numbers of this size, and a few hundred orders of
/// magnitude further down they become subnormal and then zero, where the
/// corrector can no longer converge and the tracer creeps (`contrib/e16.efg`
/// and `contrib/holdout7.efg` beyond λ ≈ 1500 once crept there until the
/// budget ran out). Above it every number keeps full precision.
const MIN_REACH: f64 = 1e-250;

impl AgentReach {
    /// The smallest probability of reaching an agent's information set.
    fn min_reach(&self, x: &[f64]) -> f64 {
        (0..self.members.len())
            .map(|j| self.reach_prob(j, x))
            .fold(f64::INFINITY, f64::min)
    }

    /// Probability of reaching agent `j`'s set.
    pub(crate) fn reach_prob(&self, j: usize, x: &[f64]) -> f64 {
        self.members[j]
            .iter()
            .map(|(c, path)| path.iter().map(|&i| x[i]).product::<f64>() * c)
            .sum()
    }

    /// Reach probability of agent `j`'s set; its partial derivatives
    /// (flat index, value) into `grad`.
    fn reach_into(&self, j: usize, x: &[f64], grad: &mut Vec<(usize, f64)>) -> f64 {
        grad.clear();
        for (c, path) in &self.members[j] {
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
        self.reach_prob(j, x)
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
        let r = reach.reach_prob(j, x);
        if !(r > 1e-300) {
            continue;
        }
        let mine: f64 = (0..s).map(|h| x[o + h] * v[o + h]).sum();
        let best = (0..s).map(|h| v[o + h]).fold(f64::NEG_INFINITY, f64::max);
        worst = worst.max((best - mine) / r);
    }
    worst
}

/// Buffers of [`LogitSystem::eval_into`]: the profile, the values, the
/// pair table and an agent's reach gradient (allocated once per system).
type Scratch = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<(usize, f64)>);

pub(crate) struct LogitSystem<'a> {
    t: &'a PayoffTensor,
    reach: Option<&'a AgentReach>,
    /// Owner of each flat strategy (`PayoffTensor::owner`).
    owner: Vec<usize>,
    /// The profile, strategy values and pair table of the last
    /// evaluation: an evaluation allocates nothing (strategic form).
    scratch: RefCell<Scratch>,
}

impl<'a> LogitSystem<'a> {
    pub(crate) fn new(t: &'a PayoffTensor, reach: Option<&'a AgentReach>) -> Self {
        LogitSystem {
            t,
            reach,
            owner: (0..t.k).map(|a| t.owner(a)).collect(),
            scratch: RefCell::new((
                vec![0.0; t.k],
                vec![0.0; t.k],
                vec![0.0; t.k * t.k],
                Vec::new(),
            )),
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
        let (x, v, d, grad) = &mut *scratch;
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
            let inv = match self.reach {
                None => {
                    grad.clear();
                    1.0
                }
                Some(reach) => {
                    let r = reach.reach_into(j, x, grad);
                    if r > 1e-300 {
                        1.0 / r
                    } else {
                        grad.clear();
                        0.0
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
                // ∂(Δ / R)/∂w_b = −Δ x_b (∂R/∂x_b) / R², as the product of
                // two ratios of similar size: on rarely reached sets Δ, R
                // and x_b ∂R/∂x_b are all tiny (1e-160 on `contrib/e16.efg`
                // near λ ≈ 990), and `Δ · x_b · ∂R/∂x_b` would underflow
                // to zero before the division (a wrong Jacobian, the
                // corrector converging linearly and the tracer creeping).
                let ratio = delta * inv;
                for &(b, dr) in grad.iter() {
                    row[b] += lambda * ratio * (x[b] * dr * inv);
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
/// The end of [`run`]: how and why tracing stopped, and the bifurcation
/// points the branch passed (`λ`, game payoff units).
struct RunEnd {
    end: TraceEnd,
    why: String,
    bifurcations: Vec<f64>,
    /// Stopped at [`MIN_REACH`]: the branch's designed end on an agent
    /// form, not a failure.
    unreached: bool,
}

fn run(
    t: &PayoffTensor,
    reach: Option<&AgentReach>,
    opts: &LogitOptions,
    meter: &mut Meter,
    mut on_point: impl FnMut(f64, &[f64]) -> bool,
) -> RunEnd {
    let sys = LogitSystem::new(t, reach);
    let y0 = start_point(t);
    let mut hint = vec![0.0; t.k + 1];
    hint[t.k] = 1.0;
    let mut max_lambda_seen = 0.0f64;
    let mut since_progress = 0usize;
    let mut stalled = false;
    let mut over = false;
    let mut unreached = false;
    let mut bifurcations = Vec::new();
    let end = trace_path(
        &sys,
        &y0,
        &hint,
        &trace_options(opts),
        meter,
        |a, y, _, crossed| {
            let lambda = y[t.k];
            if crossed {
                bifurcations.push(0.5 * (a[t.k] + lambda) / t.scale);
            }
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
            if reach.is_some_and(|r| r.min_reach(&x) < MIN_REACH) {
                unreached = true;
                return false;
            }
            on_point(lambda, &x)
        },
    );
    let why = match end {
        TraceEnd::Done if stalled => format!(
            "the branch stopped advancing in λ (cycling near λ = {:.6e}: a bifurcation or turning region)",
            max_lambda_seen / t.scale
        ),
        TraceEnd::Done if over => format!("λ reached the limit {:.3e}", opts.max_lambda / t.scale),
        TraceEnd::Done if unreached => format!(
            "an information set came to be reached with probability below {MIN_REACH:e}, \
             beyond which floating point cannot carry its conditional action values"
        ),
        TraceEnd::Done => "stopped at the requested point".to_string(),
        TraceEnd::Stalled => format!(
            "the step size collapsed near λ = {:.6e} (a bifurcation or singular point)",
            max_lambda_seen / t.scale
        ),
        TraceEnd::Budget => meter.describe(),
        TraceEnd::Singular => "the Jacobian is singular at the start".to_string(),
    };
    let end = if stalled { TraceEnd::Stalled } else { end };
    RunEnd {
        end,
        why,
        bifurcations,
        unreached,
    }
}

/// What a result says when the principal branch passed bifurcation
/// points (`λ` in game payoff units), `None` when it passed none.
///
/// For generic games the branch has none, but symmetric games and trees
/// with ties have them (Battle of the Sexes, Shapley's 1974 game, the
/// McKelvey–McLennan 2×2×2 game): there a second branch of QREs crosses
/// the principal one, and `det [J; τᵀ]` changes sign. Tangents here are
/// oriented by continuity, so the trace continues smoothly along the branch
/// it came on, a choice that does not depend on the order of players or
/// strategies. Gambit 16.7 orients by the determinant's sign, so at such a
/// point it turns onto the crossing branch (and on the 2×2×2 game fails
/// there): its answer can then be another equilibrium.
pub fn bifurcation_note(bifurcations: &[f64]) -> Option<String> {
    let (first, rest) = bifurcations.split_first()?;
    let at = if rest.is_empty() {
        format!("a bifurcation point near λ = {first:.4e}")
    } else {
        let all: Vec<String> = bifurcations.iter().map(|l| format!("{l:.4e}")).collect();
        format!(
            "{} bifurcation points, near λ = {}",
            bifurcations.len(),
            all.join(", ")
        )
    };
    Some(format!(
        "logit: the branch passed {at}, where another branch of quantal-response equilibria \
         crosses it; it was continued smoothly through (Gambit's logit turns onto the crossing \
         branch there and can end at another equilibrium)"
    ))
}

/// Gambit 16.7's acceptance rule of `logit_solve`: the branch is followed
/// until its max regret is below this fraction of the payoff range
/// (pygambit's default `maxregret`).
const GAMBIT_MAX_REGRET: f64 = 1e-8;

/// Largest move of the Newton polish from the end of the branch on a
/// continuum of equilibria (there the end point is already within about
/// `GAMBIT_MAX_REGRET` of an equilibrium; a longer move would land
/// elsewhere on the continuum).
const CONTINUUM_POLISH_DIST: f64 = 1e-6;

/// Two polished equilibria closer than this are the same point.
const SAME_POINT: f64 = 1e-9;

/// Whether the polished equilibrium `y` (zeros outside its support) is
/// locally unique by the implicit function theorem: every strategy
/// outside the support earns clearly less than the best (quasi-strict),
/// and the Jacobian of the support's indifference system (as
/// `refine_on_support` solves it: `v(s_k) − v(s_0) = 0` and `Σ x = 1` per
/// player) is well conditioned (smallest pivot of Gaussian elimination
/// with complete pivoting above `1e-9` of the largest entry). When either
/// fails the equilibrium may lie on a continuum, where the polish of an
/// early branch point lands on *some* point of the continuum rather than
/// at the branch's end.
fn looks_isolated(t: &PayoffTensor, y: &[f64]) -> bool {
    let k = t.k;
    let (v, d) = t.values_and_pairs(y);
    let support: Vec<usize> = (0..k).filter(|&a| y[a] > 0.0).collect();
    for j in 0..t.n {
        let o = t.offsets[j];
        let s = t.shape[j];
        let best = (0..s).map(|h| v[o + h]).fold(f64::NEG_INFINITY, f64::max);
        if (0..s).any(|h| y[o + h] <= 0.0 && !(v[o + h] < best - 1e-7)) {
            return false;
        }
    }
    let m = support.len();
    let mut a: Vec<f64> = Vec::with_capacity(m * m);
    let mut idx = 0;
    for j in 0..t.n {
        let start = idx;
        while idx < m && t.owner(support[idx]) == j {
            idx += 1;
        }
        let block = &support[start..idx];
        let Some((&a0, rest)) = block.split_first() else {
            return false;
        };
        for &r in rest {
            a.extend(support.iter().map(|&b| d[r * k + b] - d[a0 * k + b]));
        }
        a.extend(
            support
                .iter()
                .map(|&b| if t.owner(b) == j { 1.0 } else { 0.0 }),
        );
    }
    if a.len() != m * m {
        return false;
    }
    min_pivot_ratio(&mut a, m) > 1e-9
}

/// Smallest pivot of Gaussian elimination with complete pivoting on the
/// `n × n` row-major matrix `a` (destroyed), relative to its largest
/// entry; 0 for a zero or non-finite matrix.
fn min_pivot_ratio(a: &mut [f64], n: usize) -> f64 {
    let amax = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if !(amax > 0.0) || !amax.is_finite() {
        return 0.0;
    }
    let mut worst = f64::INFINITY;
    for c in 0..n {
        let (mut pr, mut pc, mut best) = (c, c, -1.0f64);
        for r in c..n {
            for q in c..n {
                let x = a[r * n + q].abs();
                if x > best {
                    (pr, pc, best) = (r, q, x);
                }
            }
        }
        worst = worst.min(best / amax);
        if !(best > 0.0) {
            return 0.0;
        }
        for q in 0..n {
            a.swap(c * n + q, pr * n + q);
        }
        for r in 0..n {
            a.swap(r * n + c, r * n + pc);
        }
        let p = a[c * n + c];
        for r in c + 1..n {
            let f = a[r * n + c] / p;
            if f != 0.0 {
                for q in c..n {
                    a[r * n + q] -= f * a[c * n + q];
                }
            }
        }
    }
    worst
}

/// Gambit's max regret of the (not quite normalised) profile `x`, in
/// payoff units: for each player, best strategy value minus the value of
/// the profile, the values computed from the unscaled payoffs and the other
/// players' probabilities as they are (as `MixedStrategyProfile::
/// GetMaxRegret` computes it on a point of the traced path).
fn unscaled_max_regret(t: &PayoffTensor, x: &[f64]) -> f64 {
    let v = t.values(x);
    let sums: Vec<f64> = (0..t.n)
        .map(|j| x[t.offsets[j]..t.offsets[j] + t.shape[j]].iter().sum())
        .collect();
    let mut worst = 0.0f64;
    for j in 0..t.n {
        let o = t.offsets[j];
        let s = t.shape[j];
        // A strategy's unscaled value: scale · v + min · Π_{i≠j} Σ x_i.
        let others: f64 = (0..t.n).filter(|&i| i != j).map(|i| sums[i]).product();
        let u = |h: usize| t.scale * v[o + h] + t.min * others;
        let best = (0..s).map(u).fold(f64::NEG_INFINITY, f64::max);
        let mine: f64 = (0..s).map(|h| x[o + h] * u(h)).sum();
        worst = worst.max(best - mine);
    }
    worst
}

/// The plane rotation of rows `l1`, `l2` that zeroes `b[l2][col]` against
/// `b[l1][col]`, applied to the `d × c` matrix `b` (columns after `col`;
/// column `col` becomes `(r, 0)`) and accumulated in the `d × d` matrix
/// `q` (as Gambit's `Givens`).
fn givens(b: &mut [f64], c: usize, q: &mut [f64], d: usize, col: usize, l1: usize, l2: usize) {
    let (c1, c2) = (b[l1 * c + col], b[l2 * c + col]);
    if c1.abs() + c2.abs() == 0.0 {
        return;
    }
    let sn = if c2.abs() >= c1.abs() {
        (1.0 + (c1 / c2) * (c1 / c2)).sqrt() * c2.abs()
    } else {
        (1.0 + (c2 / c1) * (c2 / c1)).sqrt() * c1.abs()
    };
    let (s1, s2) = (c1 / sn, c2 / sn);
    for kk in 0..d {
        let (v1, v2) = (q[l1 * d + kk], q[l2 * d + kk]);
        q[l1 * d + kk] = s1 * v1 + s2 * v2;
        q[l2 * d + kk] = -s2 * v1 + s1 * v2;
    }
    for kk in col + 1..c {
        let (v1, v2) = (b[l1 * c + kk], b[l2 * c + kk]);
        b[l1 * c + kk] = s1 * v1 + s2 * v2;
        b[l2 * c + kk] = -s2 * v1 + s1 * v2;
    }
    b[l1 * c + col] = sn;
    b[l2 * c + col] = 0.0;
}

/// Buffers of [`gambit_branch_end`]: `R` and `q` of the last QR
/// decomposition, the point in Detente's variables, the residual and the
/// Jacobian (no allocation per corrector iteration).
struct GambitWork {
    b: Vec<f64>,
    q: Vec<f64>,
    ys: Vec<f64>,
    f: Vec<f64>,
    jac: Vec<f64>,
}

/// QR decomposition of the transposed Jacobian `Jᵀ` (`d × k`, `d = k + 1`)
/// at `y` in Gambit's variables (`w`, then `λ` in payoff units):
/// `work.b` receives `R` (upper triangular, `q Jᵀ = [R; 0]`) and `work.q`
/// the accumulated Givens rotations, whose last row is the path's unit
/// tangent.
fn qr_at(sys: &LogitSystem, t: &PayoffTensor, y: &[f64], work: &mut GambitWork) {
    let k = t.k;
    let d = k + 1;
    let GambitWork {
        b, q, ys, f, jac, ..
    } = work;
    ys.clear();
    ys.extend_from_slice(y);
    ys[k] *= t.scale;
    sys.eval_into(ys, f, jac);
    for eq in 0..k {
        for var in 0..d {
            let dv = jac[eq * d + var];
            b[var * k + eq] = if var == k { dv * t.scale } else { dv };
        }
    }
    q.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..d {
        q[i * d + i] = 1.0;
    }
    for m in 0..k {
        for r in m + 1..d {
            givens(b, k, q, d, m, m, r);
        }
    }
}

/// Gambit's path tracer (`PathTracer::TracePath`, `src/solvers/logit/
/// path.cc`, after E. L. Allgower and K. Georg, *Introduction to Numerical
/// Continuation Methods*, 1990/2003, the chord corrector with
/// contraction-based step control) on the logit system, in Gambit's
/// variables (`λ` in payoff units), stopped by Gambit's rule of
/// `logit_solve` (max regret below `GAMBIT_MAX_REGRET` × payoff range).
/// Used only on continua of equilibria, where the branch's end point
/// depends on where tracing stops: following the same steps as Gambit
/// gives Gambit's point. Returns the end point (profile, `λ` in payoff
/// units), or `None` when the tracer fails (step below its minimum, too
/// many corrector iterations, the budget or `max_lambda`). At a change of
/// orientation (a bifurcation) it perturbs the first equation by `1e-7`
/// for twice the step's arclength, as Gambit does; the third value says
/// whether that happened (the trace then turned onto a crossing branch).
fn gambit_branch_end(
    t: &PayoffTensor,
    opts: &LogitOptions,
    meter: &mut Meter,
) -> Option<(Vec<f64>, f64, bool)> {
    const TOL: f64 = 1e-4;
    const MAX_DIST: f64 = 0.4;
    const MAX_CONTR: f64 = 0.6;
    const ETA: f64 = 0.1;
    const H_MIN: f64 = 1e-8;
    const MAX_ITER: usize = 100;
    const PERT: f64 = 1e-7;
    let k = t.k;
    let d = k + 1;
    let sys = LogitSystem::new(t, None);
    let regret_limit = GAMBIT_MAX_REGRET * t.scale;
    let max_decel = opts.max_accel;
    let mut x = start_point(t);
    let mut w = GambitWork {
        b: vec![0.0; d * k],
        q: vec![0.0; d * d],
        ys: Vec::with_capacity(d),
        f: Vec::with_capacity(k),
        jac: Vec::with_capacity(k * d),
    };
    qr_at(&sys, t, &x, &mut w);
    let mut tan = w.q[k * d..].to_vec();
    let mut h = opts.first_step;
    let mut u = vec![0.0; d];
    let mut rhs = vec![0.0; k];
    let profile = |y: &[f64]| -> Vec<f64> { y[..k].iter().map(|w| w.exp()).collect() };
    let (mut pert, mut pert_countdown) = (0.0f64, 0.0f64);
    let mut turned = false;
    loop {
        if x[k] < 0.0 || !x[k].is_finite() {
            return None;
        }
        if unscaled_max_regret(t, &profile(&x)) < regret_limit {
            return Some((profile(&x), x[k], turned));
        }
        if x[k] * t.scale > opts.max_lambda || !meter.tick() || h.abs() <= H_MIN {
            return None;
        }
        for i in 0..d {
            u[i] = x[i] + h * tan[i];
        }
        let mut decel = 1.0 / max_decel;
        qr_at(&sys, t, &u, &mut w);
        let mut accept = true;
        let mut iter = 1;
        let mut disto = 0.0;
        loop {
            w.ys.clear();
            w.ys.extend_from_slice(&u);
            w.ys[k] *= t.scale;
            sys.eval_into(&w.ys, &mut w.f, &mut w.jac);
            rhs.copy_from_slice(&w.f);
            if let Some(r0) = rhs.first_mut() {
                *r0 += pert;
            }
            // Solve Rᵀ z = f, then u -= qᵀ-part · z.
            for c in 0..k {
                for l in 0..c {
                    rhs[c] -= w.b[l * k + c] * rhs[l];
                }
                rhs[c] /= w.b[c * k + c];
            }
            let mut dist = 0.0;
            for r in 0..d {
                let s: f64 = (0..k).map(|l| w.q[l * d + r] * rhs[l]).sum();
                u[r] -= s;
                dist += s * s;
            }
            let dist = dist.sqrt();
            if !(dist < MAX_DIST) {
                accept = false;
                break;
            }
            decel = decel.max((dist / MAX_DIST).sqrt() * max_decel);
            if iter >= 2 {
                let contr = dist / (disto + TOL * ETA);
                if contr > MAX_CONTR {
                    accept = false;
                    break;
                }
                decel = decel.max((contr / MAX_CONTR).sqrt() * max_decel);
            }
            if dist <= TOL {
                break;
            }
            disto = dist;
            iter += 1;
            if iter > MAX_ITER {
                return None;
            }
        }
        let new_tan = &w.q[k * d..];
        if tan.iter().zip(new_tan).map(|(a, c)| a * c).sum::<f64>() < 0.0 {
            // The orientation flipped (a bifurcation): as Gambit does,
            // perturb the first equation for an arclength of twice the
            // step and retry with a shorter step.
            turned = true;
            if pert_countdown == 0.0 {
                pert = PERT;
                pert_countdown = (2.0 * h).abs();
            }
            accept = false;
        }
        if !accept {
            h /= max_decel;
            continue;
        }
        decel = decel.min(max_decel);
        h = (h / decel).abs();
        x.copy_from_slice(&u);
        tan.copy_from_slice(new_tan);
        if pert_countdown > 0.0 {
            pert_countdown -= h.abs();
            if pert_countdown < 0.0 {
                pert = 0.0;
                pert_countdown = 0.0;
            }
        }
    }
}

/// The end of the principal branch on a continuum of equilibria: the point
/// where Gambit's tracer stops ([`gambit_branch_end`]), polished on its
/// support by a move of at most `CONTINUUM_POLISH_DIST`; `None` if either
/// step fails. Where Gambit's tracer turns at a bifurcation (or fails),
/// it leaves the branch Detente follows: the branch is then followed by
/// Detente's own tracer to the same stopping rule (max regret below
/// `GAMBIT_MAX_REGRET` × payoff range), so that the answer stays on the
/// smooth continuation the notes describe. Returns the point, its `λ`,
/// whether Detente's own tracer gave it, and the bifurcations that run
/// passed.
fn continuum_end(
    t: &PayoffTensor,
    opts: &LogitOptions,
    meter: &mut Meter,
) -> Option<(Vec<f64>, f64, bool, Vec<f64>)> {
    let gambit = gambit_branch_end(t, opts, meter);
    let own = !matches!(gambit, Some((_, _, false)));
    let (mut x, lambda, bifurcations) = if own {
        let mut end = None;
        let RunEnd { bifurcations, .. } = run(t, None, opts, meter, |lambda, x| {
            if unscaled_max_regret(t, x) < GAMBIT_MAX_REGRET * t.scale {
                end = Some((x.to_vec(), lambda / t.scale));
                return false;
            }
            true
        });
        let (x, lambda) = end?;
        (x, lambda, bifurcations)
    } else {
        let (x, lambda, _) = gambit?;
        (x, lambda, Vec::new())
    };
    t.normalize(&mut x);
    if t.max_regret(&x) <= opts.max_regret {
        // Already an equilibrium to the acceptance tolerance (for example
        // a branch that stays at the centroid): nothing to polish.
        return Some((x, lambda, own, bifurcations));
    }
    let y = refine_on_support(t, &x, opts.max_regret)?;
    (max_diff(&y, &x) <= CONTINUUM_POLISH_DIST).then_some((y, lambda, own, bifurcations))
}

/// Largest entry-wise difference of two flat profiles.
fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (p, q)| m.max((p - q).abs()))
}

/// The logit-selected Nash equilibrium: the limit of the principal branch,
/// polished by Newton's method on its support and verified. Returns no
/// equilibrium (with a note) when the branch stalls or the limit does not
/// verify.
pub fn logit(game: &NormalFormGame, opts: &LogitOptions) -> Result<NplayerResult, SolveError> {
    logit_impl(&PayoffTensor::new(game), Some(game), None, opts)
}

/// [`logit`] on `t`, the tensor of `game` (or of a tree's agent form
/// given by payoff terms when `game` is `None`).
pub(crate) fn logit_impl(
    t: &PayoffTensor,
    game: Option<&NormalFormGame>,
    reach: Option<&AgentReach>,
    opts: &LogitOptions,
) -> Result<NplayerResult, SolveError> {
    check_options(opts)?;
    t.check_size("logit")?;
    let mut meter = opts.budget.start();
    let mut coll = Collector::for_game(game, t, opts.max_regret);
    let mut found: Option<Vec<f64>> = None;
    let mut last = t.centroid();
    let mut last_lambda = 0.0;
    let mut next_try = 0.0f64;
    let RunEnd {
        end,
        why,
        mut bifurcations,
        unreached,
    } = run(t, reach, opts, &mut meter, |lambda, x| {
        last = x.to_vec();
        last_lambda = lambda;
        let r = branch_regret(t, reach, x);
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
            if let Some(y) = refine_on_support(t, x, opts.max_regret) {
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
        Some(mut y) => {
            // On a continuum of equilibria the early polish lands on some
            // point of the continuum near the branch point; follow the
            // branch as Gambit does to where its regret criterion holds.
            // Gambit's tracer stops at its start when the centroid already
            // meets its criterion: nothing to follow if that is `y`.
            let at_start = || {
                let c = t.centroid();
                max_diff(&c, &y) <= SAME_POINT
                    && unscaled_max_regret(t, &c) < GAMBIT_MAX_REGRET * t.scale
            };
            if reach.is_none() && !at_start() && !looks_isolated(t, &y) {
                match continuum_end(t, opts, &mut meter) {
                    // The same equilibrium to round-off (an isolated one
                    // the test could not tell): keep the first polish, bit
                    // for bit.
                    Some((z, lambda, own, more)) if max_diff(&z, &y) > SAME_POINT => {
                        y = z;
                        let how = if own {
                            "further, with Gambit's stopping rule,"
                        } else {
                            "as Gambit follows it,"
                        };
                        coll.note(format!(
                            "logit: the limit lies on a continuum of equilibria; the branch was \
                             followed {how} to max regret {GAMBIT_MAX_REGRET:e} × \
                             payoff range (λ = {lambda:.6e}), and that point polished on its support"
                        ));
                        if more.len() > bifurcations.len() {
                            bifurcations = more;
                        }
                    }
                    Some(_) => {}
                    None => coll.note(
                        "logit: the limit may lie on a continuum of equilibria; the branch could \
                         not be followed to Gambit's stopping point (its tracer stalled or the \
                         budget ran out), so the polish of an earlier branch point is reported",
                    ),
                }
            }
            if !coll.offer(&y, true) {
                coll.note("logit: the refined limit failed the independent regret check");
            }
            coll.result.complete = !coll.result.equilibria.is_empty();
        }
        None => {
            // Last chance: refine the last point reached.
            let refined = refine_on_support(t, &last, opts.max_regret);
            let ok = refined.as_ref().is_some_and(|y| coll.offer(y, true));
            if ok && unreached {
                coll.note(format!(
                    "logit: the branch was followed until {why} (λ = {:.6e}); the equilibrium is the Newton refinement of that point, verified",
                    last_lambda / t.scale
                ));
                coll.result.complete = true;
            } else if ok {
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
    if let Some(note) = bifurcation_note(&bifurcations) {
        coll.note(note);
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
    logit_branch_impl(&PayoffTensor::new(game), None, max_lambda, opts)
}

pub(crate) fn logit_branch_impl(
    t: &PayoffTensor,
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
    t.check_size("logit")?;
    let mut meter = opts.budget.start();
    let mut points = vec![LogitPoint {
        lambda: 0.0,
        profile: t.nest(&t.centroid()),
    }];
    let mut near_nash = false;
    let RunEnd {
        end,
        why,
        bifurcations,
        ..
    } = run(t, reach, opts, &mut meter, |lambda, x| {
        points.push(LogitPoint {
            lambda: lambda / t.scale,
            profile: t.nest(x),
        });
        match max_lambda {
            Some(m) => lambda <= m * t.scale,
            None => {
                near_nash = branch_regret(t, reach, x) <= 1e-8;
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
        bifurcations,
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
    logit_at_lambda_impl(&PayoffTensor::new(game), None, lambda, opts)
}

pub(crate) fn logit_at_lambda_impl(
    t: &PayoffTensor,
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
    t.check_size("logit")?;
    if lambda == 0.0 {
        return Ok(t.nest(&t.centroid()));
    }
    let target = lambda * t.scale;
    let mut meter = opts.budget.start();
    let mut bracket: Option<(Vec<f64>, f64, Vec<f64>, f64)> = None;
    let mut prev_w = start_point(t);
    let (end, why) = {
        let sys = LogitSystem::new(t, reach);
        let y0 = start_point(t);
        let mut hint = vec![0.0; t.k + 1];
        hint[t.k] = 1.0;
        let end = trace_path(
            &sys,
            &y0,
            &hint,
            &trace_options(opts),
            &mut meter,
            |a, b, _, _| {
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
    let sys = LogitSystem::new(t, reach);
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
        assert!(
            res.notes.iter().any(|n| n.contains("bifurcation")),
            "{:?}",
            res.notes
        );
    }

    /// Battle of the Sexes (Nau, Gomez Canovas and Hansen 2004, section 3,
    /// in Gambit's catalog): the principal branch is symmetric under
    /// swapping the players and their strategies, and a second branch
    /// crosses it near λ ≈ 0.84 (checked with an independent small-step
    /// tracer). Continued smoothly, it ends at the mixed equilibrium; the
    /// emulation of Gambit's tracer turns onto the crossing branch and ends
    /// at (Top, Left), which is what Gambit 16.7 reports, and on the same
    /// game relabelled at the other pure equilibrium.
    #[test]
    fn battle_of_the_sexes_bifurcation_is_passed_and_said() {
        let g = game(&[2, 2], &[vec![3, 0, 0, 2], vec![2, 0, 0, 3]]);
        let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let p = &res.equilibria[0].profile;
        assert!(
            (p[0][0] - 0.6).abs() < 1e-9 && (p[1][0] - 0.4).abs() < 1e-9,
            "{p:?}"
        );
        let note = res
            .notes
            .iter()
            .find(|n| n.contains("bifurcation point near λ = "));
        let lambda: f64 = note
            .and_then(|n| n.split("λ = ").nth(1))
            .and_then(|r| r.split(',').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no bifurcation note: {:?}", res.notes));
        assert!((0.6..0.96).contains(&lambda), "{lambda}");
        let branch =
            logit_branch_to(&g, None, &LogitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(branch.bifurcations.len(), 1, "{:?}", branch.bifurcations);

        let t = PayoffTensor::new(&g);
        let opts = LogitOptions::default();
        let (x, _, turned) = gambit_branch_end(&t, &opts, &mut opts.budget.start())
            .unwrap_or_else(|| panic!("Gambit's tracer failed"));
        assert!(x[0] > 1.0 - 1e-6 && x[2] > 1.0 - 1e-6, "{x:?}");
        assert!(turned, "Gambit's tracer did not see the bifurcation");
        // The same game relabelled (players swapped, the old player 1's
        // strategies reversed): (Bottom, Right) is now (strategy 2,
        // strategy 1), (Top, Left) is (1, 2).
        let h = game(&[2, 2], &[vec![0, 3, 2, 0], vec![0, 2, 3, 0]]);
        let th = PayoffTensor::new(&h);
        let (xh, _, _) = gambit_branch_end(&th, &opts, &mut opts.budget.start())
            .unwrap_or_else(|| panic!("Gambit's tracer failed"));
        // Gambit's turn now ends at (2, 1), the old (Bottom, Right): its
        // choice follows the labels. Ours is the same mixed equilibrium,
        // relabelled.
        assert!(xh[1] > 1.0 - 1e-6 && xh[2] > 1.0 - 1e-6, "{xh:?}");
        let rh = logit(&h, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(rh.equilibria.len(), 1, "{:?}", rh.notes);
        let q = &rh.equilibria[0].profile;
        assert!(
            (q[0][0] - 0.4).abs() < 1e-9 && (q[1][1] - 0.6).abs() < 1e-9,
            "{q:?}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// In a symmetric two-player game (`B = Aᵀ`) the QRE at small λ is
        /// symmetric, and continuing smoothly through any bifurcation the
        /// branch stays on the symmetric profiles: the answer gives both
        /// players the same mixture, whatever crossings the branch met
        /// (determinant orientation would leave the symmetric branch at the
        /// first symmetry-breaking crossing).
        #[test]
        fn symmetric_games_keep_a_symmetric_answer(
            m in 2usize..4,
            a in proptest::collection::vec(0i64..12, 9),
        ) {
            let mut p1 = vec![0i64; m * m];
            let mut p2 = vec![0i64; m * m];
            for i in 0..m {
                for j in 0..m {
                    // Both layouts index (row i, column j) the same way
                    // for a player and its transpose for the other.
                    p1[i * m + j] = a[i * 3 + j];
                    p2[j * m + i] = a[i * 3 + j];
                }
            }
            let g = game(&[m, m], &[p1, p2]);
            let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
            for e in &res.equilibria {
                let d = e.profile[0]
                    .iter()
                    .zip(&e.profile[1])
                    .fold(0.0f64, |w, (x, y)| w.max((x - y).abs()));
                proptest::prop_assert!(d <= 1e-6, "{:?}: {:?} {:?}", a, e.profile, res.notes);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// logit's answer does not depend on the order of the players or
        /// of their strategies: the game with the players swapped and
        /// player 1's strategies reversed gives the same equilibrium,
        /// relabelled, or one in the same convex set of equilibria
        /// (payoffs 0..6 make ties, continua and bifurcations common).
        #[test]
        fn answers_do_not_depend_on_labels(
            m in 2usize..4,
            n in 2usize..4,
            u in proptest::collection::vec(0i64..6, 18),
        ) {
            // u1(i, j) = u[i * 3 + j], u2(i, j) = u[9 + i * 3 + j]; cells
            // in Gambit's order (player 1's strategy fastest).
            let pay = |p: usize, i: usize, j: usize| u[p * 9 + i * 3 + j];
            let mut a = vec![vec![0i64; m * n]; 2];
            // The relabelled game: player 1 is the old player 2 (strategy
            // j), player 2 the old player 1 with strategies reversed.
            let mut b = vec![vec![0i64; m * n]; 2];
            for i in 0..m {
                for j in 0..n {
                    a[0][i + m * j] = pay(0, i, j);
                    a[1][i + m * j] = pay(1, i, j);
                    let r = m - 1 - i;
                    b[0][j + n * r] = pay(1, i, j);
                    b[1][j + n * r] = pay(0, i, j);
                }
            }
            let ga = game(&[m, n], &a);
            let gb = game(&[n, m], &b);
            let ra = logit(&ga, &LogitOptions::default()).unwrap_or_default();
            let rb = logit(&gb, &LogitOptions::default()).unwrap_or_default();
            proptest::prop_assert_eq!(ra.equilibria.len(), rb.equilibria.len());
            if let (Some(ea), Some(eb)) = (ra.equilibria.first(), rb.equilibria.first()) {
                // `eb` in `ga`'s labels.
                let mapped = vec![
                    (0..m).map(|i| eb.profile[1][m - 1 - i]).collect::<Vec<f64>>(),
                    eb.profile[0].clone(),
                ];
                let d = ea
                    .profile
                    .iter()
                    .flatten()
                    .zip(mapped.iter().flatten())
                    .fold(0.0f64, |w, (x, y)| w.max((x - y).abs()));
                // On a continuum of equilibria the branch's end is where
                // tracing stops, and the two runs step differently: then
                // both must lie in one convex set of equilibria.
                let range = 6.0;
                let one_set = [0.25, 0.5, 0.75].iter().all(|&w| {
                    let mix: Vec<Vec<f64>> = ea
                        .profile
                        .iter()
                        .zip(&mapped)
                        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| (1.0 - w) * p + w * q).collect())
                        .collect();
                    independent_max_regret(&ga, &mix) <= 1e-9 * range
                });
                proptest::prop_assert!(
                    d <= 1e-6 || one_set,
                    "{:?}: {:?} vs {:?}; {:?} / {:?}",
                    u, ea.profile, eb.profile, ra.notes, rb.notes
                );
            }
        }
    }

    /// A generic game's branch passes no bifurcation, and says none.
    #[test]
    fn generic_branches_pass_no_bifurcation() {
        for g in [
            matching_pennies(),
            game(&[2, 2], &[vec![3, 0, 0, 1], vec![2, 0, 0, 3]]),
        ] {
            let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
            assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
            assert!(
                res.notes.iter().all(|n| !n.contains("bifurcation")),
                "{:?}",
                res.notes
            );
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

    /// Player 1: Out (2) or In (1); player 2's choice (L pays 1, R 0)
    /// matters only after In. Every profile with Out is an equilibrium: a
    /// continuum in player 2's mixture. On the branch (λ in payoff units)
    /// `x_In ≈ e^{−λ}` and player 2's log-odds are `λ · x_In → 0`, so the
    /// branch ends at `(1/2, 1/2)`; the polish of an early branch point
    /// (regret 1e-3) landed at 0.50216 before issue #3's fix.
    fn entry_game() -> NormalFormGame {
        game(&[2, 2], &[vec![2, 1, 2, 1], vec![0, 1, 0, 0]])
    }

    #[test]
    fn continuum_ends_where_the_branch_ends() {
        let g = entry_game();
        let t = PayoffTensor::new(&g);
        let res = logit(&g, &LogitOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let p = &res.equilibria[0].profile;
        assert!(p[0][0] == 1.0 && p[0][1] == 0.0, "{p:?}");
        assert!((p[1][0] - 0.5).abs() < 1e-6, "{p:?}");
        assert!(res.notes.iter().any(|n| n.contains("continuum")));
        // The continuum is seen as such; a strict equilibrium is not.
        assert!(!looks_isolated(&t, &t.flatten(p).unwrap_or_default()));
        let pd = game(&[2, 2], &[vec![3, 5, 0, 1], vec![3, 0, 5, 1]]);
        let tp = PayoffTensor::new(&pd);
        assert!(looks_isolated(&tp, &[0.0, 1.0, 0.0, 1.0]));
        // Gambit's tracer on the branch: its end point has Gambit's
        // regret and lies on the branch (player 2's log-odds λ · x_In).
        let mut meter = LogitOptions::default().budget.start();
        let Some((x, lambda, _)) = gambit_branch_end(&t, &LogitOptions::default(), &mut meter)
        else {
            panic!("Gambit's tracer failed on the entry game");
        };
        assert!(unscaled_max_regret(&t, &x) < GAMBIT_MAX_REGRET * t.scale);
        assert!(
            ((x[2] / x[3]).ln() - lambda * x[1]).abs() < 1e-6,
            "{x:?} at {lambda}"
        );
    }

    #[test]
    fn min_pivot_ratio_sees_singular_matrices() {
        let mut a = vec![1.0, 2.0, 2.0, 4.0];
        assert!(min_pivot_ratio(&mut a, 2) < 1e-12);
        let mut b = vec![2.0, 1.0, 1.0, 3.0];
        // Pivots 3 (the largest entry), then 2 − 1/3.
        assert!((min_pivot_ratio(&mut b, 2) - 5.0 / 9.0).abs() < 1e-12);
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
