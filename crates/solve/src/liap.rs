//! Lyapunov-function minimisation.
//!
//! R. D. McKelvey, "A Liapunov function for Nash equilibria", California
//! Institute of Technology Social Science Working Paper 953 (1991):
//! `L(x) = Σ_j Σ_h max(0, u_j(h, x_{−j}) − u_j(x))²` is nonnegative on the
//! strategy space and zero exactly at Nash equilibria.
//!
//! By default `L` is minimised as Gambit 16.7 does (`liap_solve`), so that
//! from the same start (Gambit's default is the centroid) the method ends
//! at the same equilibrium: Polak–Ribière conjugate gradients with the line
//! search of the GNU Scientific Library (E. Polak and G. Ribière, "Note sur
//! la convergence de méthodes de directions conjuguées", *Revue française
//! d'informatique et de recherche opérationnelle* 3 (1969) 35–43), on `L`
//! plus Gambit's penalties for leaving the product of simplices, the
//! gradient projected onto it. The alternative
//! ([`Minimizer::ProjectedGradient`]) stays on the simplices by Euclidean
//! projection, with Barzilai–Borwein steps (J. Barzilai and J. M. Borwein,
//! "Two-point step size gradient methods", *IMA Journal of Numerical
//! Analysis* 8 (1988) 141–148) and an Armijo safeguard.
//!
//! Starts: the centroid, given profiles and seeded random profiles. Local
//! minima with `L > 0` are not equilibria; every end point is polished by
//! Newton's method on its support and only independently verified
//! equilibria are returned.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::{Budget, Meter};
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
    /// The descent method.
    pub minimizer: Minimizer,
}

/// How `L` is minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Minimizer {
    /// Gambit's: Polak–Ribière conjugate gradients with penalties for the
    /// simplex constraints (the same end points as `liap_solve`).
    #[default]
    ConjugateGradient,
    /// Projected gradient descent with Barzilai–Borwein steps (never
    /// leaves the simplices; a local polish).
    ProjectedGradient,
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
            minimizer: Minimizer::default(),
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

/// `L(x)` with Gambit's penalties for leaving the product of simplices:
/// `100 Σ min(x_a, 0)² + 100 Σ_j (Σ_h x_{jh} − 1)²` (rescaled payoffs, so
/// `L` is Gambit's `m_scale`-weighted sum).
fn penalized_value(t: &PayoffTensor, x: &[f64], v: &mut [f64]) -> f64 {
    t.values_into(x, v);
    let mut value = 0.0;
    let mut penalty = 0.0;
    for j in 0..t.n {
        let o = t.offsets[j];
        let s = t.shape[j];
        let pay: f64 = (0..s).map(|h| x[o + h] * v[o + h]).sum();
        let mut sum = 0.0;
        for h in 0..s {
            let r = (v[o + h] - pay).max(0.0);
            value += r * r;
            let m = x[o + h].min(0.0);
            penalty += m * m;
            sum += x[o + h];
        }
        penalty += (sum - 1.0) * (sum - 1.0);
    }
    value + PENALTY * penalty
}

/// Gambit's weight of the constraint penalties.
const PENALTY: f64 = 100.0;

/// The gradient of [`penalized_value`], projected onto the tangent space of
/// the product of simplices (each player's block has its mean removed).
fn projected_gradient(t: &PayoffTensor, x: &[f64], g: &mut [f64]) {
    let (_, grad) = objective(t, x);
    g.copy_from_slice(&grad);
    for j in 0..t.n {
        let o = t.offsets[j];
        let s = t.shape[j];
        let sum: f64 = x[o..o + s].iter().sum();
        for h in 0..s {
            g[o + h] += 2.0 * PENALTY * (x[o + h].min(0.0) + (sum - 1.0));
        }
        let mean = g[o..o + s].iter().sum::<f64>() / s as f64;
        for h in 0..s {
            g[o + h] -= mean;
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// A function minimised by [`ConjugatePr`]: its value and its gradient
/// projected onto the tangent space of the product of simplices.
pub(crate) trait Objective {
    fn value(&mut self, x: &[f64]) -> f64;
    fn gradient(&mut self, x: &[f64], g: &mut [f64]);
}

/// Gambit's `StrategicLyapunovFunction`: [`penalized_value`] and
/// [`projected_gradient`] on a strategic game.
struct StrategicLyapunov<'a> {
    t: &'a PayoffTensor,
    v: Vec<f64>,
}

impl Objective for StrategicLyapunov<'_> {
    fn value(&mut self, x: &[f64]) -> f64 {
        penalized_value(self.t, x, &mut self.v)
    }
    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        projected_gradient(self.t, x, g)
    }
}

/// Why a conjugate-gradient run cannot continue.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CgStop {
    /// The direction or the gradient vanished, or no downhill step exists.
    Stalled,
    /// The line search met a flat bracket (Gambit throws
    /// `FunctionMinimizerError` there).
    FlatBracket,
}

/// The Polak–Ribière conjugate-gradient minimiser of the GNU Scientific
/// Library 1.2 (`multimin/conjugate_pr.c` and its directional line
/// search, by F. Rossi), in the form Gambit 16.7 uses for `liap`
/// (`core/function.cc`): a trial step of length `step` along the current
/// direction, doubled after every success; otherwise a parabolic
/// intermediate point and at most ten bracketing steps (parabolic or
/// golden-section), ending when the directional derivative is small
/// relative to the gradient; a restart along the gradient every `k`
/// line searches. The same choices are made here so that the method ends
/// where Gambit's does.
struct ConjugatePr<'a, F: Objective + ?Sized> {
    obj: &'a mut F,
    /// Search direction.
    p: Vec<f64>,
    /// The gradient of the last line search's end (not updated by a
    /// successful trial step, as in GSL).
    g0: Vec<f64>,
    pnorm: f64,
    g0norm: f64,
    step: f64,
    tol: f64,
    restart: usize,
    x1: Vec<f64>,
    x2: Vec<f64>,
}

impl<'a, F: Objective + ?Sized> ConjugatePr<'a, F> {
    /// Starts at `x`: returns the minimiser, `f(x)` and the gradient.
    fn new(obj: &'a mut F, x: &[f64], step: f64, tol: f64) -> (Self, f64, Vec<f64>) {
        let k = x.len();
        let f = obj.value(x);
        let mut g = vec![0.0; k];
        obj.gradient(x, &mut g);
        let gnorm = norm(&g);
        let me = ConjugatePr {
            obj,
            p: g.clone(),
            g0: g.clone(),
            pnorm: gnorm,
            g0norm: gnorm,
            step,
            tol,
            restart: 0,
            x1: vec![0.0; k],
            x2: vec![0.0; k],
        };
        (me, f, g)
    }

    /// The objective at the trial point `x1`.
    fn value_at_x1(&mut self) -> f64 {
        self.obj.value(&self.x1)
    }

    /// `x1 = x − step · lambda · p`.
    fn take_step(&mut self, x: &[f64], step: f64, lambda: f64) {
        let a = -step * lambda;
        for ((y, xi), pi) in self.x1.iter_mut().zip(x).zip(&self.p) {
            let dx = 0.0 + a * pi;
            *y = xi + dx;
        }
    }

    /// One iteration from `(x, f, g)`, updating them in place.
    fn iterate(&mut self, x: &mut [f64], f: &mut f64, g: &mut [f64]) -> Result<(), CgStop> {
        if self.pnorm == 0.0 || self.g0norm == 0.0 {
            return Err(CgStop::Stalled);
        }
        let fa = *f;
        let stepc = self.step;
        let pg = dot(&self.p, g);
        let lambda = if pg >= 0.0 { 1.0 } else { -1.0 } / self.pnorm;
        self.take_step(x, stepc, lambda);
        let fc = self.value_at_x1();
        if fc < fa {
            // Downhill at the trial step: take it, double the next one.
            self.step = stepc * 2.0;
            *f = fc;
            x.copy_from_slice(&self.x1);
            self.obj.gradient(x, g);
            self.g0norm = norm(g);
            return Ok(());
        }
        // A point between 0 and stepc below fa, by parabolic interpolation
        // from the slope at 0, halving while it is not downhill.
        let (mut sc, mut fcc) = (stepc, fc);
        let (stepb, fb) = loop {
            let u = (pg * lambda * sc).abs();
            let den = (fcc - fa) + u;
            if den == 0.0 {
                return Err(CgStop::FlatBracket);
            }
            let sb = 0.5 * sc * u / den;
            self.take_step(x, sb, lambda);
            let fb = self.value_at_x1();
            if fb >= fa && sb > 0.0 {
                fcc = fb;
                sc = sb;
                continue;
            }
            break (sb, fb);
        };
        self.obj.gradient(&self.x1, g);
        if stepb == 0.0 {
            return Err(CgStop::Stalled);
        }
        let g1norm = self.minimize(x, lambda, [0.0, stepb, stepc], [fa, fb, fc], f, g);
        x.copy_from_slice(&self.x2);
        // The next direction: Polak–Ribière, restarted every k searches.
        self.restart = (self.restart + 1) % x.len();
        if self.restart == 0 {
            self.p.copy_from_slice(g);
            self.pnorm = g1norm;
        } else {
            for (a, b) in self.g0.iter_mut().zip(g.iter()) {
                *a -= b;
            }
            let beta = dot(&self.g0, g) / (self.g0norm * self.g0norm);
            for (pi, gi) in self.p.iter_mut().zip(g.iter()) {
                *pi = *pi * -beta + gi;
            }
            self.pnorm = norm(&self.p);
        }
        self.g0norm = g1norm;
        self.g0.copy_from_slice(g);
        Ok(())
    }

    /// The bracketing line search from the intermediate point (in `x1`,
    /// gradient in `g`): leaves the best point in `x2`, its value in `f`
    /// and its gradient in `g`, sets the next trial step, and returns the
    /// gradient's norm.
    fn minimize(
        &mut self,
        x: &[f64],
        lambda: f64,
        [mut stepa, mut stepb, mut stepc]: [f64; 3],
        [fa, mut fb, fc]: [f64; 3],
        f: &mut f64,
        g: &mut [f64],
    ) -> f64 {
        let (mut u, mut v, mut w) = (stepb, stepa, stepc);
        let (mut fu, mut fv, mut fw) = (fb, fa, fc);
        let mut old2 = (w - v).abs();
        let mut old1 = (v - u).abs();
        self.x2.copy_from_slice(&self.x1);
        *f = fb;
        self.step = stepb;
        let mut gnorm = norm(g);
        for _ in 0..10 {
            let dw = w - u;
            let dv = v - u;
            let e1 = (fv - fu) * dw * dw + (fu - fw) * dv * dv;
            let e2 = 2.0 * ((fv - fu) * dw + (fu - fw) * dv);
            let du = if e2 != 0.0 { e1 / e2 } else { 0.0 };
            let inside = (du > 0.0 && du < stepc - stepb) || (du < 0.0 && du > stepa - stepb);
            let stepm = if inside && du.abs() < 0.5 * old2 {
                u + du
            } else if stepc - stepb > stepb - stepa {
                0.38 * (stepc - stepb) + stepb
            } else {
                stepb - 0.38 * (stepb - stepa)
            };
            self.take_step(x, stepm, lambda);
            let fm = self.value_at_x1();
            if fm > fb {
                if fm < fv {
                    w = v;
                    v = stepm;
                    fw = fv;
                    fv = fm;
                } else if fm < fw {
                    w = stepm;
                    fw = fm;
                }
                if stepm < stepb {
                    stepa = stepm;
                } else {
                    stepc = stepm;
                }
                continue;
            }
            if !(fm <= fb) {
                // NaN: Gambit's search falls through and ends here.
                break;
            }
            old2 = old1;
            old1 = (u - stepm).abs();
            w = v;
            v = u;
            u = stepm;
            fw = fv;
            fv = fu;
            fu = fm;
            self.x2.copy_from_slice(&self.x1);
            self.obj.gradient(&self.x1, g);
            let pg = dot(&self.p, g);
            let gnorm1 = norm(g);
            *f = fm;
            self.step = stepm;
            gnorm = gnorm1;
            if gnorm1 == 0.0 || (pg * lambda / gnorm1).abs() < self.tol {
                break;
            }
            if stepm < stepb {
                stepc = stepb;
            } else {
                stepa = stepb;
            }
            stepb = stepm;
            fb = fm;
        }
        gnorm
    }
}

/// Gambit's end of a run: the gradient's norm below this stops it.
const CG_GRADIENT_TOL: f64 = 1e-8;

/// One conjugate-gradient run from `x0` (Gambit's `LiapStrategySolve`:
/// first trial step 0.001, line-search tolerance 1e-5, at most
/// `max_iterations` iterations, stop when the projected gradient's norm
/// is below 1e-8). Returns the end point with negative entries cut to 0
/// and each player's block renormalised, or `None` when the budget ran
/// out first.
fn run_conjugate_gradient(
    t: &PayoffTensor,
    x0: &[f64],
    max_iterations: usize,
    meter: &mut Meter,
) -> Option<Vec<f64>> {
    let mut obj = StrategicLyapunov {
        t,
        v: vec![0.0; t.k],
    };
    let mut x = minimize_as_gambit(&mut obj, x0, max_iterations, meter)?;
    t.normalize(&mut x);
    Some(x)
}

/// Gambit's minimisation loop around [`ConjugatePr`] (first trial step
/// 0.001, line-search tolerance 1e-5, at most `max_iterations`
/// iterations, stop when the projected gradient's norm is below 1e-8):
/// the raw end point (`x0` itself if the run diverged), or `None` when
/// the budget ran out first.
pub(crate) fn minimize_as_gambit<F: Objective + ?Sized>(
    obj: &mut F,
    x0: &[f64],
    max_iterations: usize,
    meter: &mut Meter,
) -> Option<Vec<f64>> {
    let mut x = x0.to_vec();
    let (mut cg, mut f, mut g) = ConjugatePr::new(obj, &x, 0.001, 1e-5);
    let mut point = x.clone();
    for _ in 0..max_iterations {
        if !meter.tick() {
            return None;
        }
        point.copy_from_slice(&x);
        if cg.iterate(&mut point, &mut f, &mut g).is_err() || !f.is_finite() {
            break;
        }
        x.copy_from_slice(&point);
        if norm(&g) < CG_GRADIENT_TOL {
            break;
        }
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Some(x0.to_vec());
    }
    Some(x)
}

/// Projected gradient descent with Barzilai–Borwein steps and an Armijo
/// safeguard along the projection arc (stays on the simplices). Returns
/// the end point, or `None` when the budget ran out first.
fn run_projected_gradient(
    t: &PayoffTensor,
    x0: &[f64],
    max_iterations: usize,
    meter: &mut Meter,
) -> Option<Vec<f64>> {
    let mut x = x0.to_vec();
    let (mut l, mut g) = objective(t, &x);
    let mut step = 1.0;
    for _ in 0..max_iterations {
        if !meter.tick() {
            return None;
        }
        if l < 1e-24 {
            break;
        }
        let mut accepted = false;
        for _ in 0..40 {
            let z: Vec<f64> = x.iter().zip(&g).map(|(a, b)| a - step * b).collect();
            let xn = project_to_simplices(t, &z);
            let dec: f64 = g
                .iter()
                .zip(xn.iter().zip(&x))
                .map(|(gi, (a, b))| gi * (a - b))
                .sum();
            let (ln, gn) = objective(t, &xn);
            if ln <= l + 1e-4 * dec && ln.is_finite() {
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
    Some(x)
}

/// The end of one minimisation run ([`liap_end_point`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LiapEnd {
    /// `profile[player][strategy]`.
    pub profile: Vec<Vec<f64>>,
    /// Its max regret relative to the payoff range.
    pub regret: f64,
}

/// One run of the chosen minimiser from `x0`.
pub(crate) fn run_minimizer(
    t: &PayoffTensor,
    x0: &[f64],
    opts: &LiapOptions,
    meter: &mut Meter,
) -> Option<Vec<f64>> {
    match opts.minimizer {
        Minimizer::ConjugateGradient => run_conjugate_gradient(t, x0, opts.max_iterations, meter),
        Minimizer::ProjectedGradient => run_projected_gradient(t, x0, opts.max_iterations, meter),
    }
}

/// The unpolished end of one run from `start` (the centroid if `None`):
/// what Gambit's `liap_solve` returns, before Detente's Newton polish and
/// check (negative entries cut to zero, each player renormalised), with its
/// max regret relative to the payoff range. `None` if the budget ran out.
pub fn liap_end_point(
    game: &NormalFormGame,
    start: Option<&[Vec<f64>]>,
    opts: &LiapOptions,
) -> Result<Option<LiapEnd>, SolveError> {
    let t = PayoffTensor::new(game);
    t.check_size("liap")?;
    let x0 = match start {
        Some(s) => t.flatten(s)?,
        None => t.centroid(),
    };
    let mut meter = opts.budget.start();
    let end = run_minimizer(&t, &x0, opts, &mut meter);
    Ok(end.map(|x| LiapEnd {
        regret: t.max_regret(&x),
        profile: t.nest(&x),
    }))
}

/// Lyapunov-function minimisation from the centroid, the given starts and
/// `random_starts` seeded random profiles.
pub fn liap(game: &NormalFormGame, opts: &LiapOptions) -> Result<NplayerResult, SolveError> {
    liap_with(
        &PayoffTensor::new(game),
        Some(game),
        opts,
        |t, x0, meter| run_minimizer(t, x0, opts, meter),
    )
}

/// [`liap`] on `t`, the tensor of `game` (or of a tree's agent form given
/// by payoff terms when `game` is `None`), with another minimisation run:
/// `end(tensor, start, meter)` returns a run's end point on the strategy
/// space (or `None` when
/// the budget ran out); the starts, the Newton polish, the check and the
/// notes are [`liap`]'s.
pub(crate) fn liap_with(
    t: &PayoffTensor,
    game: Option<&NormalFormGame>,
    opts: &LiapOptions,
    mut end: impl FnMut(&PayoffTensor, &[f64], &mut Meter) -> Option<Vec<f64>>,
) -> Result<NplayerResult, SolveError> {
    if !(opts.max_regret >= 0.0) {
        return Err(SolveError::NotApplicable(
            "liap: max_regret must be a nonnegative number".into(),
        ));
    }
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
        starts.push(rng.profile(t));
    }
    let mut meter = opts.budget.start();
    let mut coll = Collector::for_game(game, t, opts.max_regret);
    coll.merge_components = true;
    let mut failed = 0usize;
    let mut ran = 0usize;
    for x0 in &starts {
        ran += 1;
        let Some(x) = end(t, x0, &mut meter) else {
            break;
        };
        match refine_on_support(t, &x, opts.max_regret) {
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
    fn penalized_gradient_matches_finite_differences_along_the_simplices() {
        // Off the simplices (negative entries, sums away from one) the
        // penalties are active; the projected gradient must be the
        // derivative along every direction that keeps each player's sum.
        let g = mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let mut x = SplitMix64::new(5).profile(&t);
        x[0] -= 0.7;
        x[3] += 0.05;
        let mut v = vec![0.0; t.k];
        let mut grad = vec![0.0; t.k];
        projected_gradient(&t, &x, &mut grad);
        let f = penalized_value(&t, &x, &mut v);
        for j in 0..t.n {
            let o = t.offsets[j];
            for h in 1..t.shape[j] {
                let mut d = vec![0.0; t.k];
                d[o] = -1.0;
                d[o + h] = 1.0;
                let xp: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + 1e-7 * b).collect();
                let fd = (penalized_value(&t, &xp, &mut v) - f) / 1e-7;
                assert!(
                    (fd - dot(&grad, &d)).abs() < 1e-4,
                    "{j} {h}: {fd} {}",
                    dot(&grad, &d)
                );
            }
            let block: f64 = grad[o..o + t.shape[j]].iter().sum();
            assert!(block.abs() < 1e-12);
        }
    }

    #[test]
    fn conjugate_gradient_decreases_and_stops_at_an_equilibrium() {
        let g = mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let x0 = t.centroid();
        let mut meter = Budget::default().start();
        let mut obj = StrategicLyapunov {
            t: &t,
            v: vec![0.0; t.k],
        };
        let (mut cg, mut f, mut grad) = ConjugatePr::new(&mut obj, &x0, 0.001, 1e-5);
        let mut x = x0.clone();
        let mut last = f;
        for _ in 0..200 {
            if cg.iterate(&mut x, &mut f, &mut grad).is_err() || norm(&grad) < CG_GRADIENT_TOL {
                break;
            }
            assert!(f <= last, "{f} > {last}");
            last = f;
        }
        let end = run_conjugate_gradient(&t, &x0, 1000, &mut meter).unwrap_or_default();
        assert!(t.max_regret(&end) < 1e-4, "{}", t.max_regret(&end));
        // A spent budget stops the run without an answer.
        let mut spent = Budget {
            max_iterations: 0,
            ..Budget::default()
        }
        .start();
        assert!(run_conjugate_gradient(&t, &x0, 1000, &mut spent).is_none());
    }

    #[test]
    fn both_minimizers_find_equilibria() {
        for minimizer in [Minimizer::ConjugateGradient, Minimizer::ProjectedGradient] {
            let g = mckelvey_mclennan();
            let res = liap(
                &g,
                &LiapOptions {
                    random_starts: 60,
                    minimizer,
                    ..Default::default()
                },
            )
            .unwrap_or_default();
            assert!(
                res.equilibria.len() >= 3,
                "{minimizer:?}: {}",
                res.equilibria.len()
            );
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
