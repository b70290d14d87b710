//! Support-wise path following for the global Newton method.
//!
//! S. Govindan and R. Wilson, "A global Newton method to compute Nash
//! equilibria", *Journal of Economic Theory* 110 (2003) 65–86, §3–4: in the
//! Kohlberg–Mertens coordinates `z` the path `z − r(z) − V(r(z)) = λ b` is
//! smooth inside each *support cell* (the set of `z` whose retraction
//! `r(z)` has a given support) and has kinks only where the support
//! changes. Inside a cell `r` is affine (`x_i = z_i − θ_j` on player `j`'s
//! support, `θ_j = (Σ_{S_j} z − 1) / |S_j|`), so the system is a polynomial
//! that extends smoothly past the cell's walls, and the walls are
//! hyperplanes. Like Blum and Shelton's GameTracer (which Gambit's
//! `gnm` runs), the tracer therefore works cell by cell:
//!
//! - the distance along the tangent to the next wall is exact (the walls
//!   are affine), so a step never crosses a wall blindly: it stops on it,
//!   and the corrector puts the point on path *and* wall (Newton with the
//!   wall's equation as the extra row);
//! - inside a cell, Euler predictor and Newton corrector on the cell's
//!   polynomial system (no kinks, so large steps and quadratic
//!   convergence);
//! - at a wall the support changes and tracing goes on in the next cell;
//! - the tangent is oriented by the sign of the determinant of
//!   `[∂H/∂(z, λ); τᵀ]` (the adjugate orientation GameTracer uses:
//!   `(dz, dλ) ∝ (adj(DF) b, det DF)`), kept for the whole path;
//! - each crossing of `λ = 0` is located by Newton with `λ = 0` as the
//!   extra row: the point is an exact zero of the cell's system, an
//!   equilibrium with that support.
//!
//! Where `V` is linear (two players, or the polymatrix approximations of
//! `ipa`) every cell is crossed in one step, and a path that leaves its
//! last cell towards `λ → −∞` is known to end there.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::Meter;
use crate::gnm::{start_of_ray, GnmSystem, RayOutcome, Values};
use crate::nplayer_util::{project_to_simplices, Lu, PayoffTensor, TraceEnd};
use std::collections::HashMap;

/// Half-width of the band around `λ = 0` inside which `λ`'s sign is not
/// read: along a continuum of equilibria the path can run at `λ ≈ 0`, and
/// rounding noise must not count as crossings.
const LAMBDA_BAND: f64 = 1e-9;
/// A slack above this is off its wall.
const WALL_TOL: f64 = 1e-10;

/// The extra row of a Newton corrector.
#[derive(Clone, Copy)]
enum Row<'r> {
    /// Stay on the hyperplane through `point` orthogonal to `tangent`.
    Tangent(&'r [f64], &'r [f64]),
    /// Land on the wall of strategy `i` (its slack is zero).
    Wall(usize),
    /// Land on `λ = 0`.
    Lambda,
}

/// Scratch state of one traced path: the current support and buffers.
struct Cells<'s, 'a> {
    sys: &'s GnmSystem<'a>,
    t: &'s PayoffTensor,
    k: usize,
    owner: Vec<usize>,
    support: Vec<bool>,
    size: Vec<usize>,
    x: Vec<f64>,
    theta: Vec<f64>,
    v: Vec<f64>,
    d: Vec<f64>,
    sums: Vec<f64>,
    /// Residual `H(y)` (k entries) and room for the extra row's residual.
    res: Vec<f64>,
    /// Augmented matrix `[∂H/∂(z, λ); row]`, `(k + 1)²`, row-major.
    a: Vec<f64>,
}

impl<'s, 'a> Cells<'s, 'a> {
    fn new(sys: &'s GnmSystem<'a>, t: &'s PayoffTensor) -> Self {
        let k = t.k;
        Cells {
            sys,
            t,
            k,
            owner: (0..k).map(|a| t.owner(a)).collect(),
            support: vec![false; k],
            size: vec![0; t.n],
            x: vec![0.0; k],
            theta: vec![0.0; t.n],
            v: vec![0.0; k],
            d: vec![0.0; k * k],
            sums: vec![0.0; t.n],
            res: vec![0.0; k + 1],
            a: vec![0.0; (k + 1) * (k + 1)],
        }
    }

    /// `θ` and the cell's affine retraction `x` at `z`.
    fn project(&mut self, z: &[f64]) {
        let t = self.t;
        for j in 0..t.n {
            let o = t.offsets[j];
            let s = t.shape[j];
            let mut sum = 0.0;
            for i in o..o + s {
                if self.support[i] {
                    sum += z[i];
                }
            }
            self.theta[j] = (sum - 1.0) / self.size[j].max(1) as f64;
        }
        for i in 0..self.k {
            self.x[i] = if self.support[i] {
                z[i] - self.theta[self.owner[i]]
            } else {
                0.0
            };
        }
    }

    /// Slack of strategy `i` (after [`Self::project`]): its probability on
    /// the support, `θ_j − z_i` off it; the cell is where all are `≥ 0`.
    fn slack(&self, z: &[f64], i: usize) -> f64 {
        let th = self.theta[self.owner[i]];
        if self.support[i] {
            z[i] - th
        } else {
            th - z[i]
        }
    }

    /// Derivative of the slack of `i` along the direction `dz`.
    fn slack_rate(&self, dz: &[f64], i: usize) -> f64 {
        let t = self.t;
        let j = self.owner[i];
        let o = t.offsets[j];
        let mut dth = 0.0;
        for c in o..o + t.shape[j] {
            if self.support[c] {
                dth += dz[c];
            }
        }
        dth /= self.size[j].max(1) as f64;
        if self.support[i] {
            dz[i] - dth
        } else {
            dth - dz[i]
        }
    }

    /// Residual and the first `k` rows of the augmented matrix at `y`.
    fn eval(&mut self, y: &[f64]) {
        let k = self.k;
        self.project(&y[..k]);
        match &self.sys.values {
            Values::Game(t) => t.values_and_pairs_into(&self.x, &mut self.v, &mut self.d),
            Values::Poly { v0, d0, sigma, .. } => {
                for a in 0..k {
                    let row = &d0[a * k..(a + 1) * k];
                    let mut s = v0[a];
                    for b in 0..k {
                        s += row[b] * (self.x[b] - sigma[b]);
                    }
                    self.v[a] = s;
                }
            }
        }
        self.build(y);
    }

    /// Residual and matrix rows from the values of the last
    /// [`Self::eval`], for the current support (after [`Self::project`]
    /// at `y`): at a wall the values are those of either cell.
    fn build(&mut self, y: &[f64]) {
        let k = self.k;
        let dim = k + 1;
        let lambda = y[k];
        let d: &[f64] = match &self.sys.values {
            Values::Game(_) => &self.d,
            Values::Poly { d0, .. } => d0,
        };
        let ray = &self.sys.ray;
        for a in 0..k {
            self.res[a] = y[a] - self.x[a] - self.v[a] - lambda * ray[a];
            let row_d = &d[a * k..(a + 1) * k];
            self.sums.iter_mut().for_each(|s| *s = 0.0);
            for b in 0..k {
                if self.support[b] {
                    self.sums[self.owner[b]] += row_d[b];
                }
            }
            let ja = self.owner[a];
            let row = &mut self.a[a * dim..(a + 1) * dim];
            for c in 0..k {
                let mut val = if a == c { 1.0 } else { 0.0 };
                if self.support[c] {
                    let q = self.owner[c];
                    let sz = self.size[q] as f64;
                    if q == ja && self.support[a] {
                        val -= if a == c { 1.0 - 1.0 / sz } else { -1.0 / sz };
                    }
                    val -= row_d[c] - self.sums[q] / sz;
                }
                row[c] = val;
            }
            row[k] = -ray[a];
        }
    }

    /// Puts `row` in the last row of the matrix and returns its residual at
    /// `y` (after [`Self::eval`] at `y`).
    fn set_row(&mut self, y: &[f64], row: Row<'_>) -> f64 {
        let k = self.k;
        let dim = k + 1;
        let last = &mut self.a[k * dim..];
        match row {
            Row::Tangent(tau, point) => {
                last.copy_from_slice(tau);
                tau.iter()
                    .zip(y.iter().zip(point))
                    .map(|(t, (a, b))| t * (a - b))
                    .sum()
            }
            Row::Wall(i) => {
                let t = self.t;
                let j = self.owner[i];
                let o = t.offsets[j];
                let inv = 1.0 / self.size[j].max(1) as f64;
                let sign = if self.support[i] { 1.0 } else { -1.0 };
                last.iter_mut().for_each(|v| *v = 0.0);
                for c in o..o + t.shape[j] {
                    if self.support[c] {
                        last[c] = -sign * inv;
                    }
                }
                last[i] += sign;
                self.slack(&y[..k], i)
            }
            Row::Lambda => {
                last.iter_mut().for_each(|v| *v = 0.0);
                last[k] = 1.0;
                y[k]
            }
        }
    }

    /// Newton's method on `H = 0` plus the extra row from `start`; returns
    /// the point, the number of iterations and, for a [`Row::Tangent`]
    /// row, the oriented unit tangent from the last factorisation (at a
    /// point within the last correction of the result, so no further
    /// evaluation is needed).
    fn correct(
        &mut self,
        start: &[f64],
        row: Row<'_>,
        step: f64,
        orient: f64,
    ) -> Option<(Vec<f64>, usize, Option<Vec<f64>>)> {
        let k = self.k;
        let dim = k + 1;
        let mut y = start.to_vec();
        let mut last_dn = f64::INFINITY;
        for it in 0..8 {
            self.eval(&y);
            let extra = self.set_row(&y, row);
            self.res[k] = extra;
            let rn = inf_norm(&self.res);
            if !rn.is_finite() {
                return None;
            }
            let lu = Lu::new(&self.a, dim)?;
            let rhs: Vec<f64> = self.res.iter().map(|v| -v).collect();
            let dx = lu.solve(&rhs);
            let dn = inf_norm(&dx);
            let limit = match row {
                Row::Tangent(..) => (0.5 * step).max(1e-9),
                _ => step.max(1e-9),
            };
            if !dn.is_finite()
                || (it == 0 && dn > limit)
                || (it > 0 && dn > 0.5 * last_dn && dn > 1e-10)
            {
                return None;
            }
            for (a, d) in y.iter_mut().zip(&dx) {
                *a += d;
            }
            last_dn = dn;
            // Quadratic convergence: the error left is of the order of
            // the square of the last correction.
            if dn <= 1e-7 * (1.0 + inf_norm(&y)) {
                let tangent = match row {
                    Row::Tangent(..) => {
                        let mut e = vec![0.0; dim];
                        e[k] = 1.0;
                        let mut t = lu.solve(&e);
                        let norm = t.iter().map(|v| v * v).sum::<f64>().sqrt();
                        if norm > 0.0 && norm.is_finite() {
                            let s = if lu.det_sign != orient { -1.0 } else { 1.0 } / norm;
                            t.iter_mut().for_each(|v| *v *= s);
                            Some(t)
                        } else {
                            None
                        }
                    }
                    _ => None,
                };
                return Some((y, it + 1, tangent));
            }
        }
        None
    }

    /// The unit tangent at `y` in the current cell, oriented so that
    /// `det [∂H; τᵀ]` has the sign `orient`; `reference` must not be
    /// orthogonal to it (the previous tangent).
    /// With `reuse_values` the strategy values of the last evaluation are
    /// kept (right after a change of support at a wall, where the profile
    /// is the same in both cells).
    fn tangent(
        &mut self,
        y: &[f64],
        reference: &[f64],
        orient: f64,
        reuse_values: bool,
    ) -> Option<Vec<f64>> {
        let k = self.k;
        let dim = k + 1;
        if reuse_values {
            self.project(&y[..k]);
            self.build(y);
        } else {
            self.eval(y);
        }
        let mut e = vec![0.0; dim];
        e[k] = 1.0;
        self.a[k * dim..].copy_from_slice(reference);
        // det [J; tᵀ] = det [J; rᵀ] · |t|² for t = [J; rᵀ]⁻¹ e (matrix
        // determinant lemma, rᵀ t = 1), so one factorisation gives the
        // direction and its orientation.
        let (lu, mut t) = match Lu::new(&self.a, dim) {
            Some(lu) => {
                let t = lu.solve(&e);
                (lu, t)
            }
            None => {
                // A right-angle turn: any row that works.
                let mut found = None;
                for i in (0..dim).rev() {
                    let last = &mut self.a[k * dim..];
                    last.iter_mut().for_each(|v| *v = 0.0);
                    last[i] = 1.0;
                    if let Some(lu) = Lu::new(&self.a, dim) {
                        let t = lu.solve(&e);
                        found = Some((lu, t));
                        break;
                    }
                }
                found?
            }
        };
        let norm = t.iter().map(|v| v * v).sum::<f64>().sqrt();
        if !(norm > 0.0) || !norm.is_finite() {
            return None;
        }
        let flip = lu.det_sign != orient;
        let s = if flip { -1.0 / norm } else { 1.0 / norm };
        t.iter_mut().for_each(|v| *v *= s);
        Some(t)
    }

    /// The profile of a point of the current cell, clipped to the
    /// strategy space.
    fn profile(&mut self, z: &[f64]) -> Vec<f64> {
        self.project(z);
        let mut x = self.x.clone();
        self.t.normalize(&mut x);
        x
    }
}

fn inf_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
}

fn band_sign(lambda: f64) -> i8 {
    if lambda > LAMBDA_BAND {
        1
    } else if lambda < -LAMBDA_BAND {
        -1
    } else {
        0
    }
}

/// Traces the path of ray `sys.ray` from its start (see
/// [`start_of_ray`]) until `λ < end_lambda`, the first crossing of
/// `λ = 0` (`first_only`), a stall, or the end of the budget.
pub(crate) fn trace_cells(
    sys: &GnmSystem<'_>,
    end_lambda: f64,
    first_only: bool,
    meter: &mut Meter,
) -> RayOutcome {
    let t = sys.values.tensor();
    let k = t.k;
    let dim = k + 1;
    let linear = matches!(sys.values, Values::Poly { .. }) || t.n <= 2;
    let mut y = start_of_ray(sys);
    let mut cells = Cells::new(sys, t);
    // The start cell: each player's favourite strategy under the ray.
    for j in 0..t.n {
        let o = t.offsets[j];
        let mut best = o;
        for i in o + 1..o + t.shape[j] {
            if sys.ray[i] > sys.ray[best] {
                best = i;
            }
        }
        cells.support[best] = true;
        cells.size[j] = 1;
    }
    let mut outcome = RayOutcome {
        crossings: Vec::new(),
        end: TraceEnd::Done,
        reached_end: false,
        cycled: false,
        unlocated: 0,
        last: (project_to_simplices(t, &y[..k]), y[k]),
    };
    let mut hint = vec![0.0; dim];
    hint[k] = -1.0;
    cells.eval(&y);
    cells.a[k * dim..].copy_from_slice(&hint);
    let mut orient = match Lu::new(&cells.a, dim) {
        Some(lu) => lu.det_sign,
        None => {
            outcome.end = TraceEnd::Singular;
            return outcome;
        }
    };
    let Some(mut tau) = cells.tangent(&y, &hint, orient, false) else {
        outcome.end = TraceEnd::Singular;
        return outcome;
    };
    let max_step = 1.0 + y[k].abs();
    let min_step = 1e-10;
    let mut h = 0.05 * max_step;
    let mut sign = band_sign(y[k]);
    // The wall crossed last: its slack starts at zero and is not a wall
    // ahead until the path has left it.
    let mut excluded: Option<usize> = None;
    let mut slack = vec![0.0; k];
    // Walls passed, by (strategy, support and orientation, λ rounded to
    // 1e-6): a path that passes the same wall at the same point in the
    // same state again runs in a loop.
    let mut passed: HashMap<(usize, u64, i64), Vec<Vec<f64>>> = HashMap::new();
    loop {
        if !meter.tick() {
            outcome.end = TraceEnd::Budget;
            return outcome;
        }
        // Distance along the tangent to the nearest wall ahead.
        cells.project(&y[..k]);
        let mut wall_dist = f64::INFINITY;
        let mut wall = usize::MAX;
        for i in 0..k {
            slack[i] = cells.slack(&y[..k], i);
            let rate = cells.slack_rate(&tau[..k], i);
            if !(rate < 0.0) || (excluded == Some(i) && slack[i] <= WALL_TOL) {
                continue;
            }
            let dist = slack[i].max(0.0) / -rate;
            if dist < wall_dist {
                wall_dist = dist;
                wall = i;
            }
        }
        if linear && wall == usize::MAX && y[k] < 0.0 && tau[k] < 0.0 {
            // A straight ray in an unbounded cell, away from λ = 0.
            outcome.reached_end = true;
            outcome.end = TraceEnd::Done;
            return outcome;
        }
        let at_wall = wall_dist <= h;
        let step = if at_wall { wall_dist } else { h };
        let yp: Vec<f64> = y.iter().zip(&tau).map(|(a, b)| a + step * b).collect();
        let attempt = if at_wall && wall_dist <= 1e-13 {
            // Already on this wall too (several walls meet here): change
            // the support without moving.
            Some((y.clone(), 0, None))
        } else if at_wall {
            cells.correct(&yp, Row::Wall(wall), step.max(h), orient)
        } else {
            cells.correct(&yp, Row::Tangent(&tau, &yp), step, orient)
        };
        let Some((mut yc, iters, mut new_tangent)) = attempt else {
            h *= 0.5;
            if h < min_step {
                outcome.end = TraceEnd::Stalled;
                return outcome;
            }
            continue;
        };
        let mut hit = if at_wall { Some(wall) } else { None };
        // Did the path leave the cell before `yc` (curvature)?
        cells.project(&yc[..k]);
        let mut first: Option<(f64, usize)> = None;
        for i in 0..k {
            if Some(i) == hit {
                continue;
            }
            let s_new = cells.slack(&yc[..k], i);
            if s_new < -WALL_TOL && !(excluded == Some(i) && slack[i] <= WALL_TOL && s_new > -1e-7)
            {
                let f = if slack[i] > s_new {
                    (slack[i].max(0.0) / (slack[i].max(0.0) - s_new)).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                if first.is_none_or(|(g, _)| f < g) {
                    first = Some((f, i));
                }
            }
        }
        if let Some((f, i)) = first {
            let guess: Vec<f64> = y.iter().zip(&yc).map(|(a, b)| a + f * (b - a)).collect();
            let dist = distance(&yc, &y);
            let landed = cells
                .correct(&guess, Row::Wall(i), dist, orient)
                .filter(|(yb, _, _)| {
                    cells.project(&yb[..k]);
                    (0..k).all(|c| {
                        c == i || excluded == Some(c) || cells.slack(&yb[..k], c) >= -WALL_TOL
                    })
                });
            match landed {
                Some((yb, _, _)) => {
                    yc = yb;
                    hit = Some(i);
                    new_tangent = None;
                }
                None => {
                    h = step * 0.5;
                    if h < min_step {
                        outcome.end = TraceEnd::Stalled;
                        return outcome;
                    }
                    continue;
                }
            }
        }
        // Progress along the path, and a tangent that turned little.
        let advance: f64 = tau
            .iter()
            .zip(yc.iter().zip(&y))
            .map(|(t, (a, b))| t * (a - b))
            .sum();
        if advance < -1e-12 {
            h = step.min(h) * 0.5;
            if h < min_step {
                outcome.end = TraceEnd::Stalled;
                return outcome;
            }
            continue;
        }
        if hit.is_none() {
            let nt = match new_tangent.take() {
                Some(nt) => nt,
                None => match cells.tangent(&yc, &tau, orient, false) {
                    Some(nt) => nt,
                    None => {
                        h = step.min(h) * 0.5;
                        if h < min_step {
                            outcome.end = TraceEnd::Stalled;
                            return outcome;
                        }
                        continue;
                    }
                },
            };
            let cos: f64 = nt.iter().zip(&tau).map(|(a, b)| a * b).sum();
            if cos < 0.8 && step > 1e-7 {
                h = step * 0.5;
                continue;
            }
            new_tangent = Some(nt);
        }
        // Meetings with λ = 0 on the segment from y to yc: a crossing in
        // one step, an entry into the band around 0 (the path may run
        // there along a continuum of equilibria and leave on either side),
        // and the exit of a stretch in the band back to the side it came
        // from (a touch: its two ends may be different equilibria).
        let old_sign = band_sign(y[k]);
        let new_sign = band_sign(yc[k]);
        let crossed = (old_sign != 0 && new_sign != old_sign)
            || (old_sign == 0 && new_sign != 0 && new_sign == sign);
        if crossed {
            let (l0, l1) = (y[k], yc[k]);
            let f = if (l0 > 0.0) != (l1 > 0.0) && l0 != l1 {
                l0 / (l0 - l1)
            } else {
                0.0
            };
            let guess: Vec<f64> = y.iter().zip(&yc).map(|(a, b)| a + f * (b - a)).collect();
            let dist = distance(&yc, &y) + LAMBDA_BAND;
            // The zero of the cell's system at λ = 0, which must lie in the
            // cell (all slacks nonnegative) to be an equilibrium.
            let mut located = None;
            for start in [&guess, &y, &yc] {
                if let Some((y0, _, _)) = cells.correct(start, Row::Lambda, dist, orient) {
                    cells.project(&y0[..k]);
                    if (0..k).all(|i| cells.slack(&y0[..k], i) >= -1e-9) {
                        located = Some(cells.profile(&y0[..k]));
                        break;
                    }
                }
            }
            match located {
                Some(x) => outcome.crossings.push(x),
                None => outcome.unlocated += 1,
            }
            if first_only {
                outcome.last = (cells.profile(&yc[..k]), yc[k]);
                outcome.end = TraceEnd::Done;
                return outcome;
            }
        }
        if new_sign != 0 {
            sign = new_sign;
        }
        y = yc;
        outcome.last = (cells.profile(&y[..k]), y[k]);
        if y[k] < end_lambda {
            outcome.reached_end = true;
            outcome.end = TraceEnd::Done;
            return outcome;
        }
        match hit {
            Some(i) => {
                let j = cells.owner[i];
                if cells.support[i] {
                    if cells.size[j] == 1 {
                        // A player's last strategy cannot leave.
                        outcome.end = TraceEnd::Stalled;
                        return outcome;
                    }
                    cells.support[i] = false;
                    cells.size[j] -= 1;
                } else {
                    cells.support[i] = true;
                    cells.size[j] += 1;
                }
                if excluded == Some(i) && advance <= 1e-12 {
                    // Back through the wall just crossed without moving:
                    // a degenerate point the path cannot pass.
                    outcome.end = TraceEnd::Stalled;
                    return outcome;
                }
                excluded = Some(i);
                if y[k].is_finite() && y[k].abs() < 1e12 {
                    // The state is the wall, the new support, the
                    // orientation and the point: several walls can meet
                    // at one point, and passing them one by one is no loop.
                    let state = cells.support.iter().fold(u64::from(orient > 0.0), |h, &b| {
                        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                    });
                    let key = (y[k] * 1e6).round() as i64;
                    let tol = 1e-8 * (1.0 + inf_norm(&y));
                    let seen = (key - 1..=key + 1).any(|q| {
                        passed
                            .get(&(i, state, q))
                            .is_some_and(|ps| ps.iter().any(|p| distance(p, &y) <= tol))
                    });
                    if seen {
                        outcome.cycled = true;
                        outcome.end = TraceEnd::Stalled;
                        return outcome;
                    }
                    passed.entry((i, state, key)).or_default().push(y.clone());
                }
                // The new cell's tangent; the profile, hence the values,
                // are those just computed at the wall (unless a crossing
                // was located since).
                match cells.tangent(&y, &tau, orient, !crossed) {
                    Some(mut nt) => {
                        if cells.slack_rate(&nt[..k], i) < 0.0 {
                            // The oriented tangent leads back through the
                            // wall (a degenerate wall point, where the
                            // determinant's sign is not kept): go into the
                            // new cell and keep that orientation from here.
                            nt.iter_mut().for_each(|v| *v = -*v);
                            orient = -orient;
                        }
                        tau = nt;
                    }
                    None => {
                        outcome.end = TraceEnd::Stalled;
                        return outcome;
                    }
                }
            }
            None => {
                if let Some(nt) = new_tangent {
                    tau = nt;
                }
                if iters <= 2 {
                    h = (h * 2.0).min(max_step);
                } else if iters >= 5 {
                    h *= 0.7;
                }
            }
        }
    }
}
