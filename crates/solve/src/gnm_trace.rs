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
//!   degenerate games put several walls through one point (a *corner*):
//!   every cell meeting there is a candidate, and the path goes on in one
//!   where its oriented tangent points inside, preferring a cell it has
//!   not entered before (where two pieces of path cross, the other
//!   outgoing piece, so the path does not close on itself); a cell whose
//!   system is singular (duplicate strategies of a reduced strategic form:
//!   a sheet of solutions) is not entered, the path runs along its wall
//!   ([`next_cell`]);
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
use crate::nplayer_util::{project_to_simplices, PayoffTensor, TraceEnd};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Half-width of the band around `λ = 0` inside which `λ`'s sign is not
/// read: along a continuum of equilibria the path can run at `λ ≈ 0`, and
/// rounding noise must not count as crossings.
const LAMBDA_BAND: f64 = 1e-9;
/// A slack above this is off its wall.
const WALL_TOL: f64 = 1e-10;

/// The size of the tracer's square matrices: known at compile time for
/// the small games whose calls are a few hundred microseconds ([`Fixed`],
/// so that the loops of the factorisation and the solves are unrolled and
/// free of bounds checks), or at run time ([`Dyn`]). The same code runs
/// either way: the same operations in the same order, so the same bits.
trait Dim: Copy {
    fn get(self) -> usize;
}

#[derive(Clone, Copy)]
struct Dyn(usize);

impl Dim for Dyn {
    #[inline(always)]
    fn get(self) -> usize {
        self.0
    }
}

#[derive(Clone, Copy)]
struct Fixed<const N: usize>;

impl<const N: usize> Dim for Fixed<N> {
    #[inline(always)]
    fn get(self) -> usize {
        N
    }
}

/// Calls `$f(dim, args…)` with `dim` a [`Fixed`] size for `$n` in
/// `3..=17` (games of 2 to 16 strategies in all), else [`Dyn`].
macro_rules! with_dim {
    ($n:expr, $f:ident ( $($arg:expr),* $(,)? )) => {
        match $n {
            3 => $f(Fixed::<3>, $($arg),*),
            4 => $f(Fixed::<4>, $($arg),*),
            5 => $f(Fixed::<5>, $($arg),*),
            6 => $f(Fixed::<6>, $($arg),*),
            7 => $f(Fixed::<7>, $($arg),*),
            8 => $f(Fixed::<8>, $($arg),*),
            9 => $f(Fixed::<9>, $($arg),*),
            10 => $f(Fixed::<10>, $($arg),*),
            11 => $f(Fixed::<11>, $($arg),*),
            12 => $f(Fixed::<12>, $($arg),*),
            13 => $f(Fixed::<13>, $($arg),*),
            14 => $f(Fixed::<14>, $($arg),*),
            15 => $f(Fixed::<15>, $($arg),*),
            16 => $f(Fixed::<16>, $($arg),*),
            17 => $f(Fixed::<17>, $($arg),*),
            n => $f(Dyn(n), $($arg),*),
        }
    };
}

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
    /// The support's strategies, player by player (`sup[sup_at[j]..sup_at[j
    /// + 1]]` are player `j`'s, in increasing order).
    sup: Vec<usize>,
    sup_at: Vec<usize>,
    /// The support the matrix rows were last built for (with the current
    /// values), if any.
    built: Vec<bool>,
    built_ok: bool,
    x: Vec<f64>,
    theta: Vec<f64>,
    /// The owner of each strategy of `sup`, and (for [`Self::build`]) a
    /// row's mean derivative over each player's support.
    sup_owner: Vec<usize>,
    means: Vec<f64>,
    /// [`build_rows`]'s means of every row over each player's support.
    row_means: Vec<f64>,
    /// [`build_rows`]'s scratch column.
    base: Vec<f64>,
    /// Per player: the support's size (at least 1) as a float, its
    /// inverse, and whether the size is a power of two (see [`div_size`]).
    sizes_f: Vec<f64>,
    invs: Vec<f64>,
    pow2: Vec<bool>,
    v: Vec<f64>,
    d: Vec<f64>,
    /// Residual `H(y)` (k entries) and room for the extra row's residual.
    res: Vec<f64>,
    /// Augmented matrix `[∂H/∂(z, λ); row]`, `(k + 1)²`, row-major.
    a: Vec<f64>,
    /// Factorisation of `a`, the Newton right-hand side and step, and the
    /// last unit vector `e_{k+1}`.
    fact: Fact,
    rhs: Vec<f64>,
    dx: Vec<f64>,
    e_last: Vec<f64>,
    /// Spare vectors for points and tangents ([`Self::take`],
    /// [`Self::recycle`]): a step of the path hands its old point and
    /// tangent back instead of freeing them.
    pool: Vec<Vec<f64>>,
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
            sup: Vec::with_capacity(k),
            sup_at: vec![0; t.n + 1],
            built: vec![false; k],
            built_ok: false,
            x: vec![0.0; k],
            theta: vec![0.0; t.n],
            sup_owner: Vec::with_capacity(k),
            means: vec![0.0; t.n],
            row_means: vec![0.0; t.n * k],
            base: vec![0.0; k],
            sizes_f: vec![0.0; t.n],
            invs: vec![0.0; t.n],
            pow2: vec![false; t.n],
            v: vec![0.0; k],
            d: vec![0.0; k * k],
            res: vec![0.0; k + 1],
            a: vec![0.0; (k + 1) * (k + 1)],
            fact: Fact::with_size(k + 1),
            rhs: vec![0.0; k + 1],
            dx: vec![0.0; k + 1],
            e_last: (0..=k).map(|i| if i == k { 1.0 } else { 0.0 }).collect(),
            pool: Vec::new(),
        }
    }

    /// A vector holding `src` (a spare one if there is one).
    fn take(&mut self, src: &[f64]) -> Vec<f64> {
        let mut v = self.pool.pop().unwrap_or_default();
        v.clear();
        v.extend_from_slice(src);
        v
    }

    /// Keeps `v` for [`Self::take`].
    fn recycle(&mut self, v: Vec<f64>) {
        if self.pool.len() < 8 {
            self.pool.push(v);
        }
    }

    /// The solution of `A t = e_{k+1}` with the last factorisation, in a
    /// spare vector.
    fn solve_last(&mut self) -> Vec<f64> {
        let mut t = self.pool.pop().unwrap_or_default();
        t.clear();
        t.resize(self.k + 1, 0.0);
        self.fact.solve_into(&self.e_last, &mut t);
        t
    }

    /// Makes `support` the current support.
    fn set_support(&mut self, support: &[bool]) {
        self.support.copy_from_slice(support);
        self.sup.clear();
        self.sup_owner.clear();
        for j in 0..self.t.n {
            let o = self.t.offsets[j];
            self.sup_at[j] = self.sup.len();
            for c in o..o + self.t.shape[j] {
                if self.support[c] {
                    self.sup.push(c);
                    self.sup_owner.push(j);
                }
            }
            self.size[j] = self.sup.len() - self.sup_at[j];
            let den = self.size[j].max(1);
            self.sizes_f[j] = den as f64;
            self.invs[j] = 1.0 / den as f64;
            self.pow2[j] = den.is_power_of_two();
        }
        self.sup_at[self.t.n] = self.sup.len();
    }

    /// `θ` and the cell's affine retraction `x` at `z`.
    fn project(&mut self, z: &[f64]) {
        let k = self.k;
        let z = &z[..k];
        // Each player's sum over his support (its strategies in increasing
        // order, as a scan of the player's block adds them), in one pass.
        self.theta.iter_mut().for_each(|th| *th = 0.0);
        for (&i, &j) in self.sup.iter().zip(&self.sup_owner) {
            self.theta[j] += z[i];
        }
        for (j, th) in self.theta.iter_mut().enumerate() {
            *th = div_size(*th - 1.0, self.sizes_f[j], self.invs[j], self.pow2[j]);
        }
        let theta = &self.theta;
        for (((x, &zi), &on), &j) in self.x.iter_mut().zip(z).zip(&self.support).zip(&self.owner) {
            *x = if on { zi - theta[j] } else { 0.0 };
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

    /// The derivatives of every slack along `dz` into `rates`: those of
    /// [`Self::slack_rate`], to the bit (each player's mean rate over the
    /// support computed once instead of once per strategy).
    fn slack_rates(&mut self, dz: &[f64], rates: &mut [f64]) {
        self.means.iter_mut().for_each(|m| *m = 0.0);
        for (&c, &j) in self.sup.iter().zip(&self.sup_owner) {
            self.means[j] += dz[c];
        }
        for (j, m) in self.means.iter_mut().enumerate() {
            *m = div_size(*m, self.sizes_f[j], self.invs[j], self.pow2[j]);
        }
        let means = &self.means;
        for (((r, &d), &on), &j) in rates
            .iter_mut()
            .zip(&dz[..self.k])
            .zip(&self.support)
            .zip(&self.owner)
        {
            let dth = means[j];
            *r = if on { d - dth } else { dth - d };
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
        self.build(y, true);
    }

    /// Matrix rows (and, with `residual`, the residual) from the values of
    /// the last [`Self::eval`], for the current support (after
    /// [`Self::project`] at `y`): at a wall the values are those of either
    /// cell.
    ///
    /// Entry `(a, c)` is `δ_ac` off the support; on it, starting from
    /// `δ_ac`, minus the projection's term (`δ_ac − 1/|S_j|` when `a` and
    /// `c` are both in player `j`'s support) and minus the centred
    /// derivative `d_ac − mean_{c' ∈ S_q} d_ac'` (`q` the owner of `c`).
    /// The identity rows are written first, then the support's columns
    /// ([`build_rows`]), every entry with the same operations in the same
    /// order as [`Self::rebuild`] (the test `rebuild_matches_build` holds
    /// them to the bit).
    fn build(&mut self, y: &[f64], residual: bool) {
        let k = self.k;
        let dim = k + 1;
        let lambda = y[k];
        let d: &[f64] = match &self.sys.values {
            Values::Game(_) => &self.d,
            Values::Poly { d0, .. } => d0,
        };
        let ray = &self.sys.ray;
        if residual {
            for a in 0..k {
                self.res[a] = y[a] - self.x[a] - self.v[a] - lambda * ray[a];
            }
        }
        let rows = Rows {
            d,
            ray,
            owner: &self.owner,
            support: &self.support,
            sup: &self.sup,
            sup_at: &self.sup_at,
            sizes: &self.sizes_f,
            invs: &self.invs,
            pow2: &self.pow2,
        };
        with_dim!(
            dim,
            build_rows(&rows, &mut self.a, &mut self.row_means, &mut self.base)
        );
        self.built.copy_from_slice(&self.support);
        self.built_ok = true;
    }

    /// The matrix rows of [`Self::build`] for the current support, the
    /// values unchanged since the last build: only the column blocks of
    /// players whose support changed are computed again (a player's
    /// columns depend on the values and on his own support alone), each
    /// entry as [`Self::build`] computes it.
    fn rebuild(&mut self, y: &[f64]) {
        if !self.built_ok {
            self.build(y, false);
            return;
        }
        let t = self.t;
        let k = self.k;
        let dim = k + 1;
        let d: &[f64] = match &self.sys.values {
            Values::Game(_) => &self.d,
            Values::Poly { d0, .. } => d0,
        };
        for q in 0..t.n {
            let o = t.offsets[q];
            let s = t.shape[q];
            if self.support[o..o + s] == self.built[o..o + s] {
                continue;
            }
            let cols = &self.sup[self.sup_at[q]..self.sup_at[q + 1]];
            let sz = self.size[q] as f64;
            for a in 0..k {
                let row_d = &d[a * k..(a + 1) * k];
                let row = &mut self.a[a * dim..(a + 1) * dim];
                row[o..o + s].iter_mut().for_each(|v| *v = 0.0);
                if self.owner[a] == q {
                    row[a] = 1.0;
                }
                let mut sum = 0.0;
                for &c in cols {
                    sum += row_d[c];
                }
                let mean = sum / sz;
                if self.owner[a] == q && self.support[a] {
                    let inv = 1.0 / sz;
                    for &c in cols {
                        let mut val = row[c];
                        val -= if c == a { 1.0 - inv } else { -inv };
                        val -= row_d[c] - mean;
                        row[c] = val;
                    }
                } else {
                    for &c in cols {
                        let mut val = row[c];
                        val -= row_d[c] - mean;
                        row[c] = val;
                    }
                }
            }
        }
        self.built.copy_from_slice(&self.support);
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
        let mut y = self.take(start);
        match self.correct_in(&mut y, row, step, orient) {
            Some((iters, tangent)) => Some((y, iters, tangent)),
            None => {
                self.recycle(y);
                None
            }
        }
    }

    /// [`Self::correct`] from the point in `y`, which it moves.
    fn correct_in(
        &mut self,
        y: &mut [f64],
        row: Row<'_>,
        step: f64,
        orient: f64,
    ) -> Option<(usize, Option<Vec<f64>>)> {
        let y: &mut [f64] = y;
        let k = self.k;
        let mut last_dn = f64::INFINITY;
        for it in 0..8 {
            self.eval(y);
            let extra = self.set_row(y, row);
            self.res[k] = extra;
            let rn = inf_norm(&self.res);
            if !rn.is_finite() {
                return None;
            }
            if !self.fact.refactor(&self.a) {
                return None;
            }
            for (r, v) in self.rhs.iter_mut().zip(&self.res) {
                *r = -v;
            }
            self.fact.solve_into(&self.rhs, &mut self.dx);
            let dn = inf_norm(&self.dx);
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
            for (a, d) in y.iter_mut().zip(&self.dx) {
                *a += d;
            }
            last_dn = dn;
            // Quadratic convergence: the error left is of the order of
            // the square of the last correction.
            if dn <= 1e-7 * (1.0 + inf_norm(y)) {
                let tangent = match row {
                    Row::Tangent(..) => {
                        let mut t = self.solve_last();
                        let norm = t.iter().map(|v| v * v).sum::<f64>().sqrt();
                        if norm > 0.0 && norm.is_finite() {
                            let s = if self.fact.det_sign != orient {
                                -1.0
                            } else {
                                1.0
                            } / norm;
                            t.iter_mut().for_each(|v| *v *= s);
                            Some(t)
                        } else {
                            self.recycle(t);
                            None
                        }
                    }
                    _ => None,
                };
                return Some((it + 1, tangent));
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
        self.tangent_with(y, reference, orient, reuse_values, None)
    }

    /// [`Self::tangent`]; where `[∂H; referenceᵀ]` is singular, the unit
    /// rows tried instead are those of `rows` (default: all, `λ` first),
    /// so that a singular `∂H` (candidate cells at a corner) costs few
    /// factorisations.
    fn tangent_with(
        &mut self,
        y: &[f64],
        reference: &[f64],
        orient: f64,
        reuse_values: bool,
        rows: Option<&[usize]>,
    ) -> Option<Vec<f64>> {
        let k = self.k;
        let dim = k + 1;
        if reuse_values {
            // The tangent needs the matrix alone.
            self.project(&y[..k]);
            self.rebuild(y);
        } else {
            self.eval(y);
        }
        self.a[k * dim..].copy_from_slice(reference);
        // det [J; tᵀ] = det [J; rᵀ] · |t|² for t = [J; rᵀ]⁻¹ e (matrix
        // determinant lemma, rᵀ t = 1), so one factorisation gives the
        // direction and its orientation.
        if !self.fact.refactor(&self.a) {
            // A right-angle turn: any unit row that works, `rows` in turn
            // (default: all, `λ` first). The matrices differ only in
            // their last row, so their common rows are eliminated once.
            let count = rows.map_or(dim, <[usize]>::len);
            let unit = |j: usize| match rows {
                Some(r) => r[j],
                None => dim - 1 - j,
            };
            let fill = |j: usize, row: &mut [f64]| {
                row.iter_mut().for_each(|v| *v = 0.0);
                row[unit(j)] = 1.0;
            };
            self.fact.refactor_first(&self.a, count, fill)?;
        }
        let mut t = self.solve_last();
        let norm = t.iter().map(|v| v * v).sum::<f64>().sqrt();
        if !(norm > 0.0) || !norm.is_finite() {
            self.recycle(t);
            return None;
        }
        let flip = self.fact.det_sign != orient;
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

/// `x / s` for a support size `s` with inverse `inv`: computed as
/// `x · inv` when `s` is a power of two (`pow2`), where `inv` is exact and
/// both are the correctly rounded value of the same real number, so the
/// same bits without the division's latency.
#[inline(always)]
fn div_size(x: f64, s: f64, inv: f64, pow2: bool) -> f64 {
    if pow2 {
        x * inv
    } else {
        x / s
    }
}

/// What [`build_rows`] reads: the pair table `d` (`k × k`), the ray, and
/// the support with its per-player lists, sizes and inverse sizes.
struct Rows<'r> {
    d: &'r [f64],
    ray: &'r [f64],
    owner: &'r [usize],
    support: &'r [bool],
    sup: &'r [usize],
    sup_at: &'r [usize],
    sizes: &'r [f64],
    invs: &'r [f64],
    pow2: &'r [bool],
}

/// The first `k` rows of the augmented matrix `mat` (`dim = k + 1`
/// square) for [`Cells::build`]: entry `(a, c)` is `δ_ac` off the
/// support; on it, from `δ_ac`, minus the projection's term (`δ_ac −
/// 1/|S_q|` when `a` is player `q`'s too and on the support), minus the
/// centred derivative `d_ac − mean_{c' ∈ S_q} d_ac'` (`q` the owner of
/// `c`). First the means of every row over each player's support
/// (`means`, `n · k` scratch: player `q`'s at `q · k`), then the identity
/// rows and the `λ` column, then the support's columns, column by column:
/// every entry with the operations of the sixth session's row-by-row
/// loop, in the same order (`build_project_and_rates_match_the_sixth_session`
/// holds them to the bit). `base` (`k` scratch): each row's entry before
/// the centred derivative is taken off, off the diagonal.
#[inline(always)]
fn build_rows<D: Dim>(dim: D, r: &Rows<'_>, mat: &mut [f64], means: &mut [f64], base: &mut [f64]) {
    let dn = dim.get();
    let k = dn - 1;
    let mat = &mut mat[..dn * dn];
    let d = &r.d[..k * k];
    let base = &mut base[..k];
    let players = r.sizes.len();
    // Each row's sum over a player's support, its terms in increasing
    // column order (as a scan of the row adds them), the rows' sums side
    // by side so that their chains of additions overlap.
    for q in 0..players {
        let m = &mut means[q * k..(q + 1) * k];
        m.fill(0.0);
        for &c in &r.sup[r.sup_at[q]..r.sup_at[q + 1]] {
            for (s, &v) in m.iter_mut().zip(d[c..].iter().step_by(k)) {
                *s += v;
            }
        }
        for s in m.iter_mut() {
            *s = div_size(*s, r.sizes[q], r.invs[q], r.pow2[q]);
        }
    }
    for (a, row) in mat[..k * dn].chunks_exact_mut(dn).enumerate() {
        // Off the support a column holds its identity entry alone.
        row[..k].fill(0.0);
        row[a] = 1.0;
        row[k] = -r.ray[a];
    }
    for q in 0..players {
        let cols = &r.sup[r.sup_at[q]..r.sup_at[q + 1]];
        if cols.is_empty() {
            continue;
        }
        let inv = r.invs[q];
        let own = 1.0 - inv;
        let mq = &means[q * k..(q + 1) * k];
        // Off the diagonal: `0 − (−1/|S_q|)` in player `q`'s rows on the
        // support, else `0` (no projection's term).
        for ((b, &j), &on) in base.iter_mut().zip(r.owner).zip(r.support) {
            *b = if j == q && on { 0.0 - -inv } else { 0.0 };
        }
        for &c in cols {
            let col = mat[c..].iter_mut().step_by(dn).take(k);
            for (((x, &b), &dv), &m) in col.zip(base.iter()).zip(d[c..].iter().step_by(k)).zip(mq) {
                *x = b - (dv - m);
            }
            // The diagonal: `c` is player `q`'s and on the support.
            mat[c * dn + c] = (1.0 - own) - (d[c * k + c] - mq[c]);
        }
    }
}

/// The LU factorisation of the tracer's augmented matrices: partial
/// pivoting, rejecting a pivot at or below `1e-13` times the largest
/// entry, as [`crate::nplayer_util::Lu`] (the same operations in the same
/// order, so the same bits), plus [`Fact::refactor_first`]: the first of
/// several matrices that differ only in their last row that factorises,
/// sharing the elimination of the common rows.
struct Fact {
    n: usize,
    lu: Vec<f64>,
    perm: Vec<usize>,
    /// Sign of the determinant.
    det_sign: f64,
    /// [`Fact::refactor_first`]'s shared elimination of the common rows and
    /// its row order.
    w: Vec<f64>,
    wperm: Vec<usize>,
    /// One per last row tried: the row as eliminated so far, and where the
    /// elimination of its matrix left the shared one (see [`Attempt`]).
    attempts: Vec<Attempt>,
}

/// One last row of [`Fact::refactor_first`].
struct Attempt {
    row: Vec<f64>,
    amax: f64,
    state: AttemptState,
    /// The matrix, row order and determinant sign at the column where its
    /// last row became the pivot (then it is eliminated on its own).
    snap: Vec<f64>,
    snap_perm: Vec<usize>,
    snap_sign: f64,
    snap_col: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum AttemptState {
    /// Eliminated with the shared rows so far.
    Shared,
    /// Its last row is the pivot of column `snap_col`.
    Own,
    /// A pivot too small: the matrix does not factorise.
    Failed,
}

/// Largest absolute entry, as [`crate::nplayer_util::Lu`] measures it:
/// `max(0, max |a_i|)` over the entries that are not NaN (the maximum is
/// exact, so four running maxima give the same value as one).
fn abs_max(a: &[f64]) -> f64 {
    let mut m = [0.0f64; 4];
    let mut chunks = a.chunks_exact(4);
    for ch in &mut chunks {
        for (mi, v) in m.iter_mut().zip(ch) {
            let v = v.abs();
            if v > *mi {
                *mi = v;
            }
        }
    }
    let mut r = inf_norm(chunks.remainder());
    for v in m {
        if v > r {
            r = v;
        }
    }
    r
}

/// Eliminates row `row` (length `n`) with the pivot row of column `c`
/// (`pivot_row`: its entries after column `c`), as
/// [`crate::nplayer_util::Lu::refactor`] updates every row below a pivot.
#[inline]
fn eliminate_row(row: &mut [f64], c: usize, d: f64, pivot_row: &[f64]) {
    // A zero entry gives `f = ±0` (the pivot is finite and not zero):
    // skip the division (these matrices are sparse).
    if row[c] == 0.0 {
        row[c] = 0.0;
        return;
    }
    let f = row[c] / d;
    if f != 0.0 {
        row[c] = f;
        for (x, y) in row[c + 1..].iter_mut().zip(pivot_row) {
            *x -= f * y;
        }
    } else {
        row[c] = 0.0;
    }
}

/// Columns `c0..n` of the partial-pivoting elimination of `lu` (`n × n`,
/// row-major, columns before `c0` done), with determinant sign `sign` so
/// far; the sign, or `None` when a pivot is too small.
fn eliminate_from(
    lu: &mut [f64],
    perm: &mut [usize],
    n: usize,
    c0: usize,
    sign: f64,
    amax: f64,
) -> Option<f64> {
    with_dim!(n, eliminate_dim(lu, perm, c0, sign, amax))
}

/// [`eliminate_from`] for a size `dim`: up to 64 rows, each column's
/// pivot search also notes the rows below with a nonzero entry, and only
/// those are eliminated ([`eliminate_listed`]); larger matrices visit
/// every row twice ([`eliminate_dense`]).
#[inline(always)]
fn eliminate_dim<D: Dim>(
    dim: D,
    lu: &mut [f64],
    perm: &mut [usize],
    c0: usize,
    sign: f64,
    amax: f64,
) -> Option<f64> {
    if dim.get() <= 64 {
        eliminate_listed(dim, lu, perm, c0, sign, amax)
    } else {
        eliminate_dense(dim, lu, perm, c0, sign, amax)
    }
}

/// [`eliminate_dense`]'s elimination, the same operations on the same
/// entries in the same order (so the same bits), in one pass over each
/// pivot column below the diagonal instead of two: the pivot search also
/// writes `+0.0` over the zero entries (what the elimination does to them:
/// nothing else of their rows changes, and a zero entry never wins the
/// search: `0 > best` is false, and a zero best fails the pivot test, and
/// then the matrix is discarded) and notes the other rows in a bit mask;
/// the elimination visits those alone. The tracer's matrices are sparse
/// (unit columns off the support), so most rows are passed over once.
#[inline(always)]
fn eliminate_listed<D: Dim>(
    dim: D,
    lu: &mut [f64],
    perm: &mut [usize],
    c0: usize,
    mut sign: f64,
    amax: f64,
) -> Option<f64> {
    let n = dim.get();
    let lu = &mut lu[..n * n];
    let perm = &mut perm[..n];
    for c in c0..n {
        let mut piv = c;
        let mut best = lu[c * n + c].abs();
        // Rows below `c` whose entry in column `c` is not zero (NaN
        // included, as `== 0.0` is false for it).
        let mut rows = 0u64;
        for r in (c + 1)..n {
            let e = &mut lu[r * n + c];
            if *e == 0.0 {
                *e = 0.0;
            } else {
                rows |= 1 << r;
                let v = e.abs();
                if v > best {
                    best = v;
                    piv = r;
                }
            }
        }
        if !(best > 1e-13 * amax) {
            return None;
        }
        if piv != c {
            let (upper, lower) = lu.split_at_mut(piv * n);
            upper[c * n..(c + 1) * n].swap_with_slice(&mut lower[..n]);
            perm.swap(c, piv);
            sign = -sign;
            // Row `piv` now holds the old row `c`, whose entry was not
            // looked at yet.
            let e = &mut lu[piv * n + c];
            if *e == 0.0 {
                *e = 0.0;
                rows &= !(1 << piv);
            }
        }
        let d = lu[c * n + c];
        if d < 0.0 {
            sign = -sign;
        }
        let (top, below) = lu.split_at_mut((c + 1) * n);
        let pivot_row = &top[c * n..(c + 1) * n];
        while rows != 0 {
            let r = rows.trailing_zeros() as usize;
            rows &= rows - 1;
            let row = &mut below[(r - c - 1) * n..(r - c) * n];
            // [`eliminate_row`] on an entry known not to be zero (a short
            // loop over whole-row slices of the fixed size: no bounds
            // checks, no vector prologue).
            let f = row[c] / d;
            if f != 0.0 {
                row[c] = f;
                for j in c + 1..n {
                    row[j] -= f * pivot_row[j];
                }
            } else {
                row[c] = 0.0;
            }
        }
    }
    Some(sign)
}

/// The partial-pivoting elimination of [`eliminate_from`]: for each
/// column the pivot search over the rows below, then every row below
/// eliminated.
#[inline(always)]
fn eliminate_dense<D: Dim>(
    dim: D,
    lu: &mut [f64],
    perm: &mut [usize],
    c0: usize,
    mut sign: f64,
    amax: f64,
) -> Option<f64> {
    let n = dim.get();
    let lu = &mut lu[..n * n];
    let perm = &mut perm[..n];
    for c in c0..n {
        let mut piv = c;
        let mut best = lu[c * n + c].abs();
        for r in (c + 1)..n {
            let v = lu[r * n + c].abs();
            if v > best {
                best = v;
                piv = r;
            }
        }
        if !(best > 1e-13 * amax) {
            return None;
        }
        if piv != c {
            let (upper, lower) = lu.split_at_mut(piv * n);
            upper[c * n..(c + 1) * n].swap_with_slice(&mut lower[..n]);
            perm.swap(c, piv);
            sign = -sign;
        }
        let d = lu[c * n + c];
        if d < 0.0 {
            sign = -sign;
        }
        let (top, below) = lu.split_at_mut((c + 1) * n);
        let pivot_row = &top[c * n + c + 1..(c + 1) * n];
        for row in below.chunks_exact_mut(n) {
            eliminate_row(row, c, d, pivot_row);
        }
    }
    Some(sign)
}

/// Solves `A y = b` with the factorisation `lu`, `perm` of size `dim`, as
/// [`crate::nplayer_util::Lu::solve_into`] does (each `y[r]` gets
/// `y[r] -= L[r][c] · y[c]` for `c = 0, 1, …, r − 1` in that order, then
/// the back substitution row by row, each row's terms in increasing
/// column order).
#[inline(always)]
fn solve_dim<D: Dim>(dim: D, lu: &[f64], perm: &[usize], b: &[f64], y: &mut [f64]) {
    let n = dim.get();
    let lu = &lu[..n * n];
    let perm = &perm[..n];
    let y = &mut y[..n];
    for (yi, &p) in y.iter_mut().zip(perm) {
        *yi = b[p];
    }
    // Forward substitution column by column: once `y[c]` is known, every
    // later row subtracts its term (each `y[r]` still gets its terms for
    // `c = 0, 1, …, r − 1` in that order, but the rows' chains of
    // subtractions overlap instead of waiting on one another).
    for c in 0..n {
        let (done, rest) = y.split_at_mut(c + 1);
        let yc = done[c];
        for (r, yr) in rest.iter_mut().enumerate() {
            *yr -= lu[(c + 1 + r) * n + c] * yc;
        }
    }
    for r in (0..n).rev() {
        let row = &lu[r * n + r..(r + 1) * n];
        let (head, done) = y.split_at_mut(r + 1);
        let mut s = head[r];
        for (l, v) in row[1..].iter().zip(done.iter()) {
            s -= l * v;
        }
        head[r] = s / row[0];
    }
}

impl Fact {
    fn with_size(n: usize) -> Fact {
        Fact {
            n,
            lu: vec![0.0; n * n],
            perm: (0..n).collect(),
            det_sign: 1.0,
            w: vec![0.0; n * n],
            wperm: (0..n).collect(),
            attempts: Vec::new(),
        }
    }

    /// Factorises `a` (`n × n`, row-major); `false` when a pivot is too
    /// small (the factorisation is then unusable).
    fn refactor(&mut self, a: &[f64]) -> bool {
        let n = self.n;
        self.lu.copy_from_slice(a);
        self.perm.iter_mut().enumerate().for_each(|(i, p)| *p = i);
        let amax = abs_max(&self.lu);
        if !(amax > 0.0) || !amax.is_finite() {
            return false;
        }
        match eliminate_from(&mut self.lu, &mut self.perm, n, 0, 1.0, amax) {
            Some(sign) => {
                self.det_sign = sign;
                true
            }
            None => false,
        }
    }

    /// Factorises the first of the matrices `[a's first n − 1 rows;
    /// last(j)ᵀ]`, `j = 0..count`, that factorises, and returns its `j`:
    /// the same factorisation, bit for bit, as [`Fact::refactor`] tried on
    /// each in turn. The common rows are eliminated once for all: a last
    /// row is carried along (updated as the row below every pivot) until
    /// it would be the pivot of a column (then its matrix is finished on
    /// its own) or a pivot of the common rows is too small for it (its
    /// matrix fails there, as [`Fact::refactor`] would, which scans the
    /// last row last).
    fn refactor_first(
        &mut self,
        a: &[f64],
        count: usize,
        mut last: impl FnMut(usize, &mut [f64]),
    ) -> Option<usize> {
        let n = self.n;
        let m = n - 1;
        while self.attempts.len() < count {
            self.attempts.push(Attempt {
                row: vec![0.0; n],
                amax: 0.0,
                state: AttemptState::Failed,
                snap: vec![0.0; n * n],
                snap_perm: vec![0; n],
                snap_sign: 1.0,
                snap_col: 0,
            });
        }
        self.w[..m * n].copy_from_slice(&a[..m * n]);
        self.wperm.iter_mut().enumerate().for_each(|(i, p)| *p = i);
        let amax_top = abs_max(&self.w[..m * n]);
        let mut live = 0;
        for (j, at) in self.attempts[..count].iter_mut().enumerate() {
            last(j, &mut at.row);
            at.amax = amax_top.max(abs_max(&at.row));
            at.state = if !(at.amax > 0.0) || !at.amax.is_finite() {
                AttemptState::Failed
            } else {
                live += 1;
                AttemptState::Shared
            };
        }
        let mut sign = 1.0;
        for c in 0..m {
            if live == 0 {
                break;
            }
            let mut piv = c;
            let mut best = self.w[c * n + c].abs();
            for r in (c + 1)..m {
                let v = self.w[r * n + c].abs();
                if v > best {
                    best = v;
                    piv = r;
                }
            }
            // Whether every attempt before the current one failed.
            let mut first = true;
            for (j, at) in self.attempts[..count].iter_mut().enumerate() {
                if at.state != AttemptState::Shared {
                    first = first && at.state == AttemptState::Failed;
                    continue;
                }
                if at.row[c].abs() > best {
                    // Its last row is this column's pivot: its matrix is
                    // finished on its own, right away if it is the one
                    // that counts now.
                    live -= 1;
                    if first {
                        self.lu[..m * n].copy_from_slice(&self.w[..m * n]);
                        self.lu[m * n..].copy_from_slice(&at.row);
                        self.perm.copy_from_slice(&self.wperm);
                        if let Some(s) =
                            eliminate_from(&mut self.lu, &mut self.perm, n, c, sign, at.amax)
                        {
                            self.det_sign = s;
                            return Some(j);
                        }
                        at.state = AttemptState::Failed;
                        continue;
                    }
                    at.snap[..m * n].copy_from_slice(&self.w[..m * n]);
                    at.snap[m * n..].copy_from_slice(&at.row);
                    at.snap_perm.copy_from_slice(&self.wperm);
                    at.snap_sign = sign;
                    at.snap_col = c;
                    at.state = AttemptState::Own;
                } else if !(best > 1e-13 * at.amax) {
                    at.state = AttemptState::Failed;
                    live -= 1;
                } else {
                    first = false;
                }
            }
            if live == 0 {
                break;
            }
            if piv != c {
                for col in 0..n {
                    self.w.swap(c * n + col, piv * n + col);
                }
                self.wperm.swap(c, piv);
                sign = -sign;
            }
            let d = self.w[c * n + c];
            if d < 0.0 {
                sign = -sign;
            }
            let (top, below) = self.w.split_at_mut((c + 1) * n);
            let pivot_row = &top[c * n + c + 1..(c + 1) * n];
            for row in below[..(m - c - 1) * n].chunks_exact_mut(n) {
                eliminate_row(row, c, d, pivot_row);
            }
            for at in self.attempts[..count].iter_mut() {
                if at.state == AttemptState::Shared {
                    eliminate_row(&mut at.row, c, d, pivot_row);
                }
            }
        }
        for j in 0..count {
            let at = &mut self.attempts[j];
            match at.state {
                AttemptState::Failed => {}
                AttemptState::Shared => {
                    // Every common row was a pivot: the last row is the
                    // last pivot.
                    let d = at.row[m];
                    if d.abs() > 1e-13 * at.amax {
                        self.lu[..m * n].copy_from_slice(&self.w[..m * n]);
                        self.lu[m * n..].copy_from_slice(&at.row);
                        self.perm.copy_from_slice(&self.wperm);
                        self.det_sign = if d < 0.0 { -sign } else { sign };
                        return Some(j);
                    }
                }
                AttemptState::Own => {
                    self.lu.copy_from_slice(&at.snap);
                    self.perm.copy_from_slice(&at.snap_perm);
                    if let Some(s) = eliminate_from(
                        &mut self.lu,
                        &mut self.perm,
                        n,
                        at.snap_col,
                        at.snap_sign,
                        at.amax,
                    ) {
                        self.det_sign = s;
                        return Some(j);
                    }
                }
            }
        }
        None
    }

    /// Solves `A y = b` with the factorisation, into `y`.
    fn solve_into(&self, b: &[f64], y: &mut [f64]) {
        with_dim!(self.n, solve_dim(&self.lu, &self.perm, b, y));
    }

    /// Solves `A y = b` with the factorisation.
    #[cfg(test)]
    fn solve(&self, b: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.n];
        self.solve_into(b, &mut y);
        y
    }
}

/// Support cells already entered, by (support and orientation, `λ`
/// rounded to 1e-6), with the points where they were entered.
type Passed = HashMap<(u64, i64), Vec<Vec<f64>>, BuildHasherDefault<KeyHasher>>;

/// The hasher of [`Passed`]'s keys: the state is already a hash of the
/// support (FNV-style, [`state_key`]), so mixing in `λ`'s bucket with one
/// multiplication is enough (a few passed walls per path; SipHash's
/// per-call cost showed in the profile of small games).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(29) ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }
}

/// Most strategies considered at one corner (several walls through one
/// point): the candidate cells are the `2^m − 1` toggles of those walls.
const MAX_TIGHT: usize = 8;
/// Most candidate cells tried at one corner (by number of walls
/// crossed at once: all single and double crossings of up to 8 walls),
/// and in games with more than `LARGE` strategies (each candidate costs a
/// factorisation of the whole system).
const MAX_CANDIDATES: usize = 36;
const MAX_CANDIDATES_LARGE: usize = 8;
const LARGE: usize = 60;
/// A slack rate below `-RATE_TOL` leaves its cell.
const RATE_TOL: f64 = 1e-9;

fn state_key(support: &[bool], orient: f64) -> u64 {
    support.iter().fold(u64::from(orient > 0.0), |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn was_passed(passed: &Passed, state: u64, key: i64, y: &[f64], tol: f64) -> bool {
    (key - 1..=key + 1).any(|q| {
        passed
            .get(&(state, q))
            .is_some_and(|ps| ps.iter().any(|p| distance(p, y) <= tol))
    })
}

/// Where the path goes from a wall point.
enum NextCell {
    /// Into the cell of `support`, along `tangent`, with orientation
    /// `orient`; `along` lists the strategies whose walls the path runs
    /// along (slack zero and not increasing).
    Enter {
        support: Vec<bool>,
        tangent: Vec<f64>,
        orient: f64,
        along: Vec<usize>,
    },
    /// On along the wall in the current cell, along this tangent.
    Along(Vec<f64>),
}

/// The cell the path enters at wall point `y` (reached along `tau` on the
/// wall of strategy `i`), after [`Cells::eval`] at `y`.
///
/// At a simple wall this is the neighbour across it. Degenerate games put
/// several walls through one point (a *corner*: every strategy whose slack
/// is zero there): every cell meeting there is a candidate, and the path
/// goes on in one whose oriented tangent points into it (no tight slack
/// decreasing). Where two pieces of path cross at the corner, both
/// outgoing pieces qualify: the one not entered before is taken, so that
/// the path does not close on itself; Gametracer (whose Euler steps stop
/// at the first wall and skip walls at distance zero) wanders at such
/// points and often ends its path there. A cell whose system is singular
/// (duplicate strategies: a sheet of solutions) is not entered; if no
/// cell qualifies and the path can run along the wall in the current
/// cell, it does. If nothing qualifies with the path's orientation, the
/// opposite one is tried (a wall point where the determinant's sign is not
/// kept).
fn next_cell(
    cells: &mut Cells<'_, '_>,
    y: &[f64],
    tau: &[f64],
    orient: f64,
    i: usize,
    passed: &Passed,
) -> Option<NextCell> {
    let k = cells.k;
    cells.project(&y[..k]);
    let tight_tol = 1e-9 * (1.0 + inf_norm(y));
    let mut tight = vec![i];
    for c in 0..k {
        if c != i && cells.slack(&y[..k], c).abs() <= tight_tol {
            tight.push(c);
        }
    }
    // The walls the path meets here (slack decreasing along `tau`); the
    // other tight ones it runs along (duplicate strategies) and keeps.
    let mut hit = vec![i];
    for &c in &tight[1..] {
        if hit.len() < MAX_TIGHT && cells.slack_rate(&tau[..k], c) < -RATE_TOL {
            hit.push(c);
        }
    }
    let old = cells.support.clone();
    let search = Search {
        old: &old,
        tight: &tight,
        y,
        tau,
        i,
        passed,
    };
    for o in [orient, -orient] {
        let mut best = search.run(cells, &hit, o);
        if best.is_none() && o == orient && tight.len() > hit.len() {
            // Toggling the walls met is not enough: the tight ones too.
            let some: Vec<usize> = tight.iter().copied().take(MAX_TIGHT - 2).collect();
            best = search.run(cells, &some, o);
        }
        cells.set_support(&old);
        if let Some((support, tangent, along)) = best {
            return Some(NextCell::Enter {
                support,
                tangent,
                orient: o,
                along,
            });
        }
        if o == orient {
            // Along the wall in the current cell?
            if let Some(nt) = cells.tangent(y, tau, orient, true) {
                if tight
                    .iter()
                    .all(|&c| cells.slack_rate(&nt[..k], c) >= -RATE_TOL)
                {
                    return Some(NextCell::Along(nt));
                }
            }
        }
    }
    None
}

/// The candidate cells at a corner (see [`next_cell`]).
struct Search<'q> {
    old: &'q [bool],
    tight: &'q [usize],
    y: &'q [f64],
    tau: &'q [f64],
    i: usize,
    passed: &'q Passed,
}

impl Search<'_> {
    /// The best cell among the toggles of subsets of `toggles` (the first
    /// being the wall hit), for orientation `o`: by number of walls
    /// crossed at once (a simple crossing first), preferring a cell not
    /// entered before, the tangent strictly inside (no tight slack
    /// constant), crossing the wall hit, fewer walls, the most inward. The
    /// search stops after the first level that has a new cell with the
    /// tangent strictly inside that crosses the wall hit.
    fn run(
        &self,
        cells: &mut Cells<'_, '_>,
        toggles: &[usize],
        o: f64,
    ) -> Option<(Vec<bool>, Vec<f64>, Vec<usize>)> {
        type Rank = (bool, bool, bool, std::cmp::Reverse<u32>, f64);
        type Ranked = (Rank, Vec<bool>, Vec<f64>, Vec<usize>);
        let k = cells.k;
        let n = cells.t.n;
        let y = self.y;
        let key = (y[k] * 1e6).round() as i64;
        let tol = 1e-8 * (1.0 + inf_norm(y));
        let m = toggles.len();
        // Unit rows for a tangent orthogonal to `tau`: λ and the wall hit.
        let rows = [k, self.i];
        let mut best: Option<Ranked> = None;
        let mut tried = 0;
        let mut sup = self.old.to_vec();
        let cap = if k > LARGE {
            MAX_CANDIDATES_LARGE
        } else {
            MAX_CANDIDATES
        };
        for level in 1..=m as u32 {
            for mask in 1u32..(1u32 << m) {
                if mask.count_ones() != level || tried >= cap {
                    continue;
                }
                tried += 1;
                sup.copy_from_slice(self.old);
                for (b, &c) in toggles.iter().enumerate() {
                    if mask & (1 << b) != 0 {
                        sup[c] = !sup[c];
                    }
                }
                let empty = (0..n).any(|j| {
                    let off = cells.t.offsets[j];
                    !(off..off + cells.t.shape[j]).any(|c| sup[c])
                });
                if empty {
                    continue;
                }
                cells.set_support(&sup);
                let Some(nt) = cells.tangent_with(y, self.tau, o, true, Some(&rows)) else {
                    continue;
                };
                let mut score = f64::INFINITY;
                let mut along = vec![self.i];
                for &c in self.tight {
                    let r = cells.slack_rate(&nt[..k], c);
                    score = score.min(r);
                    if r <= RATE_TOL && !along.contains(&c) {
                        along.push(c);
                    }
                }
                if !(score >= -RATE_TOL) {
                    continue;
                }
                let fresh = !was_passed(self.passed, state_key(&sup, o), key, y, tol);
                let rank: Rank = (
                    fresh,
                    score > RATE_TOL,
                    toggles.first() == Some(&self.i) && mask & 1 != 0,
                    std::cmp::Reverse(level),
                    score,
                );
                let better = match &best {
                    None => true,
                    Some((r, ..)) => rank.partial_cmp(r) == Some(std::cmp::Ordering::Greater),
                };
                if better {
                    best = Some((rank, sup.clone(), nt, along));
                }
            }
            if best.as_ref().is_some_and(|(r, ..)| r.0 && r.1 && r.2) {
                break;
            }
        }
        best.map(|(_, s, t, a)| (s, t, a))
    }
}

/// `max(0, max |v_i|)` over the entries that are not NaN: the value of
/// `v.iter().fold(0.0, |m, x| m.max(x.abs()))` (the running maximum is
/// never NaN, and a comparison with NaN is false), without `f64::max`'s
/// NaN handling.
fn inf_norm(v: &[f64]) -> f64 {
    let mut m = 0.0f64;
    for x in v {
        let a = x.abs();
        if a > m {
            m = a;
        }
    }
    m
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
    let mut cells = Cells::new(sys, t);
    let mut last = LastPoint {
        set: false,
        y: vec![0.0; k + 1],
        support: vec![false; k],
    };
    let mut outcome = trace_path(&mut cells, end_lambda, first_only, meter, &mut last);
    if last.set {
        // The profile at the last point reached, in the cell it was
        // reached in (computed once, here, rather than at every step).
        cells.set_support(&last.support);
        outcome.last = (cells.profile(&last.y[..k]), last.y[k]);
    }
    outcome
}

/// The last point a path reached and the support it was in there.
struct LastPoint {
    set: bool,
    y: Vec<f64>,
    support: Vec<bool>,
}

impl LastPoint {
    fn record(&mut self, y: &[f64], support: &[bool]) {
        self.set = true;
        self.y.copy_from_slice(y);
        self.support.copy_from_slice(support);
    }
}

/// [`trace_cells`] with its buffers; `last` receives the last point
/// reached (the outcome's `last` is left at the start).
fn trace_path(
    cells: &mut Cells<'_, '_>,
    end_lambda: f64,
    first_only: bool,
    meter: &mut Meter,
    last: &mut LastPoint,
) -> RayOutcome {
    let sys = cells.sys;
    let t = cells.t;
    let k = t.k;
    let dim = k + 1;
    let linear = matches!(sys.values, Values::Poly { .. }) || t.n <= 2;
    let mut y = start_of_ray(sys);
    let mut start = vec![false; k];
    // The start cell: each player's favourite strategy under the ray.
    for j in 0..t.n {
        let o = t.offsets[j];
        let mut best = o;
        for i in o + 1..o + t.shape[j] {
            if sys.ray[i] > sys.ray[best] {
                best = i;
            }
        }
        start[best] = true;
    }
    cells.set_support(&start);
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
    let mut orient = if cells.fact.refactor(&cells.a) {
        cells.fact.det_sign
    } else {
        outcome.end = TraceEnd::Singular;
        return outcome;
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
    let mut excluded: Vec<usize> = Vec::new();
    let mut slack = vec![0.0; k];
    let mut rates = vec![0.0; k];
    // Walls passed, by (strategy, support and orientation, λ rounded to
    // 1e-6): a path that passes the same wall at the same point in the
    // same state again runs in a loop.
    let mut passed: Passed = HashMap::default();
    // The predicted point of a step.
    let mut yp: Vec<f64> = Vec::with_capacity(dim);
    loop {
        if !meter.tick() {
            outcome.end = TraceEnd::Budget;
            return outcome;
        }
        // Distance along the tangent to the nearest wall ahead.
        cells.project(&y[..k]);
        let mut wall_dist = f64::INFINITY;
        let mut wall = usize::MAX;
        cells.slack_rates(&tau[..k], &mut rates);
        for i in 0..k {
            slack[i] = cells.slack(&y[..k], i);
            let rate = rates[i];
            if !(rate < 0.0) || (excluded.contains(&i) && slack[i] <= WALL_TOL) {
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
        yp.clear();
        yp.extend(y.iter().zip(&tau).map(|(a, b)| a + step * b));
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
            if s_new < -WALL_TOL
                && !(excluded.contains(&i) && slack[i] <= WALL_TOL && s_new > -1e-7)
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
                        c == i || excluded.contains(&c) || cells.slack(&yb[..k], c) >= -WALL_TOL
                    })
                });
            match landed {
                Some((yb, _, _)) => {
                    let old = std::mem::replace(&mut yc, yb);
                    cells.recycle(old);
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
                last.record(&yc, &cells.support);
                outcome.end = TraceEnd::Done;
                return outcome;
            }
        }
        if new_sign != 0 {
            sign = new_sign;
        }
        let old = std::mem::replace(&mut y, yc);
        cells.recycle(old);
        last.record(&y, &cells.support);
        if y[k] < end_lambda {
            outcome.reached_end = true;
            outcome.end = TraceEnd::Done;
            return outcome;
        }
        match hit {
            Some(i) => {
                if excluded.contains(&i) && advance <= 1e-12 {
                    // Back through the wall just crossed without moving:
                    // a degenerate point the path cannot pass.
                    outcome.end = TraceEnd::Stalled;
                    return outcome;
                }
                // The values at the wall point, shared by every cell that
                // meets there (the profile is the same in all of them).
                if crossed {
                    cells.eval(&y);
                }
                let step = next_cell(cells, &y, &tau, orient, i, &passed);
                let Some(step) = step else {
                    outcome.end = TraceEnd::Stalled;
                    return outcome;
                };
                match step {
                    NextCell::Enter {
                        support,
                        tangent,
                        orient: o,
                        along,
                    } => {
                        cells.set_support(&support);
                        orient = o;
                        let old = std::mem::replace(&mut tau, tangent);
                        cells.recycle(old);
                        excluded = along;
                    }
                    NextCell::Along(nt) => {
                        // The cell beyond is singular (a sheet of
                        // equilibria of duplicate strategies): the path
                        // runs along this wall in the current cell.
                        if !excluded.contains(&i) {
                            excluded.push(i);
                        }
                        let old = std::mem::replace(&mut tau, nt);
                        cells.recycle(old);
                    }
                }
                if y[k].is_finite() && y[k].abs() < 1e12 {
                    // The state is the support, the orientation and the
                    // point: a path that comes back to it runs in a loop.
                    let state = state_key(&cells.support, orient);
                    let key = (y[k] * 1e6).round() as i64;
                    let tol = 1e-8 * (1.0 + inf_norm(&y));
                    if was_passed(&passed, state, key, &y, tol) {
                        outcome.cycled = true;
                        outcome.end = TraceEnd::Stalled;
                        return outcome;
                    }
                    passed.entry((state, key)).or_default().push(y.clone());
                }
            }
            None => {
                if let Some(nt) = new_tangent {
                    let old = std::mem::replace(&mut tau, nt);
                    cells.recycle(old);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Budget;
    use crate::nplayer_util::tests::game;
    use crate::nplayer_util::SplitMix64;

    /// Traces the first-strategy ray (Gambit's default) of `g`.
    fn first_ray(g: &detente_game::NormalFormGame) -> (PayoffTensor, RayOutcome) {
        let t = PayoffTensor::new(g);
        let mut ray = vec![0.0; t.k];
        for j in 0..t.n {
            ray[t.offsets[j]] = 1.0;
        }
        let sys = GnmSystem {
            values: Values::Game(&t),
            ray,
        };
        let mut meter = Budget::new(20_000, None).start();
        let out = trace_cells(&sys, -10.0, false, &mut meter);
        (t, out)
    }

    /// Bits of a factorisation: the index found, and the solutions of
    /// `A y = e_i` for every `i` with the determinant's sign.
    fn fact_bits(f: &Fact, found: Option<usize>) -> (Option<usize>, Vec<u64>, u64) {
        let n = f.n;
        let mut bits = Vec::new();
        if found.is_some() {
            for i in 0..n {
                let e: Vec<f64> = (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect();
                bits.extend(f.solve(&e).iter().map(|v| v.to_bits()));
            }
            bits.extend(f.lu.iter().map(|v| v.to_bits()));
            bits.extend(f.perm.iter().map(|&p| p as u64));
        }
        (found, bits, f.det_sign.to_bits())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// The one-pass elimination (`eliminate_listed`, the tracer's
        /// sizes) and the dense one give the same factorisation to the
        /// bit, and fail alike: sparse matrices with signed zeros, tiny
        /// entries, NaNs and infinities, from any starting column, at
        /// fixed sizes and at run-time sizes.
        #[test]
        fn listed_elimination_is_the_dense_one(
            n in 2usize..20,
            entries in proptest::collection::vec(0u32..40, 400),
            c0 in 0usize..4,
        ) {
            let value = |v: u32| match v {
                0..=17 => 0.0,
                18..=21 => -0.0,
                22 => f64::NAN,
                23 => f64::INFINITY,
                24 => 1e-300,
                25 => -1e-310,
                v => f64::from(v) / 7.0 - 4.0,
            };
            let a: Vec<f64> = entries[..n * n].iter().map(|&v| value(v)).collect();
            let c0 = c0.min(n - 1);
            let amax = abs_max(&a);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
            let run = |listed: bool, fixed: bool| {
                let mut lu = a.clone();
                let mut perm: Vec<usize> = (0..n).collect();
                let sign = match (listed, fixed) {
                    (true, true) => with_dim!(n, eliminate_listed(&mut lu, &mut perm, c0, 1.0, amax)),
                    (true, false) => eliminate_listed(Dyn(n), &mut lu, &mut perm, c0, 1.0, amax),
                    (false, _) => eliminate_dense(Dyn(n), &mut lu, &mut perm, c0, 1.0, amax),
                };
                (sign.map(f64::to_bits), bits(&lu), perm)
            };
            let dense = run(false, false);
            for fixed in [true, false] {
                let listed = run(true, fixed);
                proptest::prop_assert_eq!(listed.0, dense.0);
                if dense.0.is_some() {
                    proptest::prop_assert_eq!(&listed.1, &dense.1);
                    proptest::prop_assert_eq!(&listed.2, &dense.2);
                }
            }
        }

        /// `refactor_first` factorises the same matrix, to the bit, as
        /// `refactor` tried on each last row in turn, and `refactor`
        /// solves as `nplayer_util::Lu` does; singular matrices (repeated
        /// rows, zero columns) included.
        #[test]
        fn refactor_first_is_refactor_in_turn(
            n in 2usize..7,
            entries in proptest::collection::vec(-3i32..4, 49),
            lasts in proptest::collection::vec(proptest::collection::vec(-2i32..3, 7), 1..5),
            dup in 0usize..8,
            zero_col in 0usize..9,
        ) {
            let scale = |v: i32| f64::from(v) / 3.0;
            let mut a: Vec<f64> = entries[..n * n].iter().map(|&v| scale(v)).collect();
            if dup + 1 < n {
                // Two equal common rows: every matrix is singular.
                let (top, rest) = a.split_at_mut((dup + 1) * n);
                rest[..n].copy_from_slice(&top[dup * n..(dup + 1) * n]);
            }
            if zero_col < n {
                for r in 0..n - 1 {
                    a[r * n + zero_col] = 0.0;
                }
            }
            let rows: Vec<Vec<f64>> = lasts
                .iter()
                .map(|l| l[..n].iter().map(|&v| scale(v)).collect())
                .collect();
            let mut seq = Fact::with_size(n);
            let mut found = None;
            let mut m = a.clone();
            for (j, r) in rows.iter().enumerate() {
                m[(n - 1) * n..].copy_from_slice(r);
                if seq.refactor(&m) {
                    found = Some(j);
                    // The matrix factorised is the one `Lu` gets too.
                    let lu = crate::nplayer_util::Lu::new(&m, n);
                    proptest::prop_assert!(lu.is_some());
                    if let Some(lu) = lu {
                        proptest::prop_assert_eq!(lu.det_sign.to_bits(), seq.det_sign.to_bits());
                        for i in 0..n {
                            let e: Vec<f64> = (0..n).map(|c| if c == i { 1.0 } else { 0.0 }).collect();
                            let x: Vec<u64> = lu.solve(&e).iter().map(|v| v.to_bits()).collect();
                            let y: Vec<u64> = seq.solve(&e).iter().map(|v| v.to_bits()).collect();
                            proptest::prop_assert_eq!(x, y);
                        }
                    }
                    break;
                }
                proptest::prop_assert!(crate::nplayer_util::Lu::new(&m, n).is_none());
            }
            let mut multi = Fact::with_size(n);
            let got = multi.refactor_first(&a, rows.len(), |j, row| row.copy_from_slice(&rows[j]));
            proptest::prop_assert_eq!(got, found);
            if found.is_some() {
                proptest::prop_assert_eq!(fact_bits(&multi, got), fact_bits(&seq, found));
            }
        }
    }

    /// The rows of `build` as the sixth session computed them (per row:
    /// zero it, set the identity entry, then player by player the mean
    /// over the support and the support's entries), for the comparison
    /// below.
    fn build_before(cells: &mut Cells<'_, '_>, y: &[f64]) {
        let k = cells.k;
        let dim = k + 1;
        let lambda = y[k];
        let t = cells.t;
        let ray = &cells.sys.ray;
        for a in 0..k {
            cells.res[a] = y[a] - cells.x[a] - cells.v[a] - lambda * ray[a];
            let row_d = &cells.d[a * k..(a + 1) * k];
            let ja = cells.owner[a];
            let row = &mut cells.a[a * dim..(a + 1) * dim];
            row.iter_mut().for_each(|v| *v = 0.0);
            row[a] = 1.0;
            for q in 0..t.n {
                let cols: Vec<usize> = (t.offsets[q]..t.offsets[q] + t.shape[q])
                    .filter(|&c| cells.support[c])
                    .collect();
                let mut sum = 0.0;
                for &c in &cols {
                    sum += row_d[c];
                }
                let sz = cols.len() as f64;
                let mean = sum / sz;
                if q == ja && cells.support[a] {
                    let inv = 1.0 / sz;
                    for &c in &cols {
                        let mut val = row[c];
                        val -= if c == a { 1.0 - inv } else { -inv };
                        val -= row_d[c] - mean;
                        row[c] = val;
                    }
                } else {
                    for &c in &cols {
                        let mut val = row[c];
                        val -= row_d[c] - mean;
                        row[c] = val;
                    }
                }
            }
            row[k] = -ray[a];
        }
    }

    /// `build`, `project` and `slack_rates` give, to the bit, what the
    /// sixth session's code gave (matrix, residual, `θ`, `x`, slack rates),
    /// for every support of a 3×3×2 game and of a 4×2×3 game (supports of
    /// 1 to 4 strategies: sizes that are powers of two and sizes that are
    /// not), at mixed points with negative entries and a zero ray entry.
    #[test]
    fn build_project_and_rates_match_the_sixth_session() {
        for shape in [[3usize, 3, 2], [4, 2, 3]] {
            let cells_n: usize = shape.iter().product();
            let g = game(
                &shape,
                &[
                    (0..cells_n).map(|c| (c * 7 % 11) as i64).collect(),
                    (0..cells_n).map(|c| (c * 5 % 13) as i64 - 4).collect(),
                    (0..cells_n).map(|c| (c * 3 % 7) as i64).collect(),
                ],
            );
            let t = PayoffTensor::new(&g);
            let k = t.k;
            let mut ray: Vec<f64> = (0..k).map(|i| 0.1 * (i + 1) as f64).collect();
            ray[1] = 0.0;
            let sys = GnmSystem {
                values: Values::Game(&t),
                ray,
            };
            let mut rng = SplitMix64::new(7);
            let mut cells = Cells::new(&sys, &t);
            let mut old = Cells::new(&sys, &t);
            let mut checked = 0;
            for mask in 1u32..(1 << k) {
                let sup: Vec<bool> = (0..k).map(|i| mask & (1 << i) != 0).collect();
                let empty = (0..t.n).any(|j| !(0..t.shape[j]).any(|h| sup[t.offsets[j] + h]));
                if empty {
                    continue;
                }
                let y: Vec<f64> = (0..=k).map(|_| 1.5 * rng.next_f64() - 0.5).collect();
                cells.set_support(&sup);
                cells.eval(&y);
                // The sixth session's projection and rows.
                old.set_support(&sup);
                for j in 0..t.n {
                    let o = t.offsets[j];
                    let mut sum = 0.0;
                    for i in o..o + t.shape[j] {
                        if sup[i] {
                            sum += y[i];
                        }
                    }
                    old.theta[j] = (sum - 1.0) / old.size[j].max(1) as f64;
                }
                for i in 0..k {
                    old.x[i] = if sup[i] {
                        y[i] - old.theta[old.owner[i]]
                    } else {
                        0.0
                    };
                }
                t.values_and_pairs_into(&old.x, &mut old.v, &mut old.d);
                build_before(&mut old, &y);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
                assert_eq!(bits(&cells.theta), bits(&old.theta), "{sup:?}");
                assert_eq!(bits(&cells.x), bits(&old.x), "{sup:?}");
                assert_eq!(bits(&cells.res[..k]), bits(&old.res[..k]), "{sup:?}");
                let top = k * (k + 1);
                assert_eq!(bits(&cells.a[..top]), bits(&old.a[..top]), "{sup:?}");
                let dz: Vec<f64> = (0..k).map(|_| rng.next_f64() - 0.5).collect();
                let mut rates = vec![0.0; k];
                cells.slack_rates(&dz, &mut rates);
                let one: Vec<f64> = (0..k).map(|i| cells.slack_rate(&dz, i)).collect();
                assert_eq!(bits(&rates), bits(&one), "{sup:?}");
                checked += 1;
            }
            assert!(checked >= 147, "{checked}");
        }
    }

    /// The factorisation and solves of a fixed size (every size with a
    /// fixed version, and two beyond) are those of `nplayer_util::Lu`, to
    /// the bit: sparse matrices with signed zeros, and singular ones.
    #[test]
    fn fixed_and_dynamic_sizes_match_lu() {
        let mut rng = SplitMix64::new(11);
        for n in 2..=19 {
            for trial in 0..40 {
                let mut a: Vec<f64> = (0..n * n)
                    .map(|_| {
                        let u = rng.next_f64();
                        if u < 0.45 {
                            if u < 0.1 {
                                -0.0
                            } else {
                                0.0
                            }
                        } else {
                            (u - 0.7) * 3.0
                        }
                    })
                    .collect();
                if trial % 5 == 4 && n > 2 {
                    // Two equal rows: singular.
                    let (top, rest) = a.split_at_mut(n);
                    rest[..n].copy_from_slice(top);
                }
                let mut f = Fact::with_size(n);
                let ok = f.refactor(&a);
                let lu = crate::nplayer_util::Lu::new(&a, n);
                assert_eq!(ok, lu.is_some(), "n {n} trial {trial}");
                let Some(lu) = lu else { continue };
                assert_eq!(f.det_sign.to_bits(), lu.det_sign.to_bits());
                let b: Vec<f64> = (0..n).map(|_| rng.next_f64() - 0.5).collect();
                let x: Vec<u64> = lu.solve(&b).iter().map(|v| v.to_bits()).collect();
                let y: Vec<u64> = f.solve(&b).iter().map(|v| v.to_bits()).collect();
                assert_eq!(x, y, "n {n} trial {trial}");
            }
        }
    }

    /// Dividing by a power of two and multiplying by its inverse give the
    /// same bits (subnormal, huge and signed-zero values included); other
    /// sizes divide.
    #[test]
    fn div_size_is_division() {
        let mut rng = SplitMix64::new(3);
        let specials = [0.0, -0.0, 5e-324, -1e-310, 1e308, -3.0, 1.0 / 3.0];
        for s in 1usize..=17 {
            let sf = s as f64;
            let inv = 1.0 / sf;
            let pow2 = s.is_power_of_two();
            let mut xs: Vec<f64> = specials.to_vec();
            xs.extend((0..200).map(|_| (rng.next_f64() - 0.5) * 1e3));
            for x in xs {
                assert_eq!(
                    div_size(x, sf, inv, pow2).to_bits(),
                    (x / sf).to_bits(),
                    "{x} / {s}"
                );
            }
        }
    }

    /// The matrix rows `rebuild` updates block by block are those `build`
    /// computes from scratch, to the bit, for every support of a 3×3×2
    /// game at a mixed point.
    #[test]
    fn rebuild_matches_build() {
        let g = game(
            &[3, 3, 2],
            &[
                (0..18).map(|c| (c * 7 % 11) as i64).collect(),
                (0..18).map(|c| (c * 5 % 13) as i64).collect(),
                (0..18).map(|c| (c * 3 % 7) as i64).collect(),
            ],
        );
        let t = PayoffTensor::new(&g);
        let k = t.k;
        let sys = GnmSystem {
            values: Values::Game(&t),
            ray: (0..k).map(|i| 0.1 * (i + 1) as f64).collect(),
        };
        let mut cells = Cells::new(&sys, &t);
        let y: Vec<f64> = (0..=k).map(|i| 0.37 * i as f64 - 0.5).collect();
        cells.set_support(&vec![true; k]);
        cells.eval(&y);
        let mut fresh = Cells::new(&sys, &t);
        fresh.set_support(&vec![true; k]);
        fresh.eval(&y);
        let mut checked = 0;
        for mask in 1u32..(1 << k) {
            let sup: Vec<bool> = (0..k).map(|i| mask & (1 << i) != 0).collect();
            let empty = (0..t.n).any(|j| !(0..t.shape[j]).any(|h| sup[t.offsets[j] + h]));
            if empty {
                continue;
            }
            cells.set_support(&sup);
            cells.project(&y[..k]);
            cells.rebuild(&y);
            fresh.set_support(&sup);
            fresh.project(&y[..k]);
            fresh.build(&y, false);
            let top = k * (k + 1);
            let a: Vec<u64> = cells.a[..top].iter().map(|v| v.to_bits()).collect();
            let b: Vec<u64> = fresh.a[..top].iter().map(|v| v.to_bits()).collect();
            assert_eq!(a, b, "support {sup:?}");
            checked += 1;
        }
        // (2³ − 1)² (2² − 1) supports with every player playing.
        assert_eq!(checked, 147);
    }

    fn near(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
    }

    /// `contrib/g3.nfg` of the Gambit catalog (2×2×2×2). Its first-strategy
    /// path passes twice through a corner where three walls meet, once on
    /// each of two crossing pieces; the tracer used to leave the second
    /// time along the piece it had taken the first time and loop. Now it
    /// takes the other piece, reaches the end of the path, and its
    /// crossings are Gambit 16.7's five equilibria (`gnm_solve`).
    #[test]
    fn corner_where_two_pieces_cross_takes_the_new_one() {
        let g = game(
            &[2, 2, 2, 2],
            &[
                vec![
                    -3, -4, -3, -1, -4, -4, -4, -6, -3, -1, -3, -1, -2, -3, -1, -8,
                ],
                vec![
                    -4, -5, -5, -8, -2, -3, -7, -3, -6, -3, -2, -6, -4, -6, -4, -5,
                ],
                vec![
                    -1, -3, -3, -3, -2, -4, -6, -1, -6, -3, -3, -2, -2, -6, -5, -5,
                ],
                vec![
                    -6, -3, -5, -3, -3, -2, -1, -2, -2, -4, -5, -1, -6, -7, -3, -5,
                ],
            ],
        );
        let (t, out) = first_ray(&g);
        assert!(out.reached_end && !out.cycled, "{out:?}");
        assert_eq!(out.crossings.len(), 5, "{out:?}");
        let gambit: [[f64; 8]; 5] = [
            [
                0.711114, 0.288886, 0.693791, 0.306209, 0.620119, 0.379881, 0.364556, 0.635444,
            ],
            [
                1.0, 0.0, 0.564313, 0.435687, 0.531843, 0.468157, 0.425474, 0.574526,
            ],
            [1.0, 0.0, 1.0, 0.0, 0.428571, 0.571429, 0.8, 0.2],
            [
                0.63175, 0.36825, 1.0, 0.0, 0.633815, 0.366185, 0.587161, 0.412839,
            ],
            [0.2, 0.8, 1.0, 0.0, 1.0, 0.0, 0.666667, 0.333333],
        ];
        for e in &gambit {
            assert!(
                out.crossings.iter().any(|x| near(x, e, 1e-5)),
                "Gambit's {e:?} not among {:?}",
                out.crossings
            );
        }
        for x in &out.crossings {
            assert!(t.max_regret(x) < 1e-12, "{x:?}");
        }
    }

    /// The reduced strategic form of Selten's (1975) Figure 3 tree
    /// (`catalog/journals/ijgt/selten1975/fig3.efg`): player 1's
    /// strategies 2 and 3 differ only after player 2's first strategy, so
    /// where player 2 plays his second they are duplicates and the cell
    /// with both in the support is singular (a sheet of solutions). The
    /// tracer used to stop there after 3 of the 5 equilibria Gambit's gnm
    /// finds; it now runs along the sheet's wall and reaches the end: the
    /// first three crossings are Gambit's, the last two lie in the same
    /// convex sets of equilibria as Gambit's (player 1 on strategy 2
    /// where Gambit has the duplicate 3: a tie that rounding decides in
    /// Gametracer).
    #[test]
    fn duplicate_strategies_singular_cell_is_passed() {
        let g = game(
            &[3, 2, 2],
            &[
                vec![3, 4, 2, 3, 1, 1, 0, 0, 2, 0, 1, 1],
                vec![0, 4, 0, 0, 3, 3, 0, 0, 0, 0, 3, 3],
                vec![3, 0, 0, 3, 0, 0, 0, 5, 0, 0, 0, 0],
            ],
        );
        let (t, out) = first_ray(&g);
        assert!(out.reached_end, "{out:?}");
        assert_eq!(out.crossings.len(), 5, "{out:?}");
        let exact: [[f64; 7]; 3] = [
            [25.0 / 49.0, 24.0 / 49.0, 0.0, 0.625, 0.375, 0.75, 0.25],
            [1.0, 0.0, 0.0, 2.0 / 3.0, 1.0 / 3.0, 1.0, 0.0],
            [1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0],
        ];
        for e in &exact {
            assert!(out.crossings.iter().any(|x| near(x, e, 1e-9)), "{e:?}");
        }
        // Gambit: (0, 0, 1; 0, 1; 1/3, 2/3) and (0, 0, 1; 0, 1; 0, 1).
        for p3 in [1.0 / 3.0, 0.0] {
            assert!(
                out.crossings.iter().any(|x| {
                    x[0].abs() < 1e-9 && near(&x[3..], &[0.0, 1.0, p3, 1.0 - p3], 1e-9)
                }),
                "{:?}",
                out.crossings
            );
        }
        for x in &out.crossings {
            assert!(t.max_regret(x) < 1e-12, "{x:?}");
        }
    }
}
