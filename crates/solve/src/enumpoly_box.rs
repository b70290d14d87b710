//! One support of `enumpoly`: its indifference system in reduced
//! coordinates, solved by box subdivision with exact exclusion tests and
//! Krawczyk's existence and uniqueness test.
//!
//! The unknowns are the probabilities of all but the first support strategy
//! of each player (`y`, one block per player; the first strategy gets
//! `1 − Σ y`). Player `j`'s equations `v_j(b_i) − v_j(b_0) = 0` and its
//! best-response inequalities `v_j(c) − v_j(b_0) ≤ 0` (off-support `c`)
//! depend only on the other players' blocks and are affine in each
//! coordinate (multi-affine), as is every linear combination of them and
//! every entry of their Jacobian. The exact range of such a function over a
//! box is therefore the range of its values at the box's corners; the
//! corner values of the support-restricted payoff differences are computed
//! by contraction over the other players' support blocks only.
//!
//! For each box:
//! 1. exclusion: the box holds no equilibrium of the support when the
//!    corner range of one equation excludes zero, when an off-support
//!    strategy is strictly better everywhere in it than a support strategy,
//!    when a player's rows weighted by their values at the centre
//!    (violated inequalities with positive weight) keep one sign, when the
//!    best such weighting of one player's rows (a zero-sum game with the
//!    rows against the box's corners, solved by the simplex method of
//!    `enumpoly_lp.rs`: the box LP) is positive at every corner, or when
//!    the range of a row of the preconditioned system `M f` (`M` an
//!    approximate inverse of the Jacobian at the centre) excludes zero;
//! 2. Krawczyk's operator (R. Krawczyk, "Newton-Algorithmen zur Bestimmung
//!    von Nullstellen mit Fehlerschranken", *Computing* 4 (1969) 187–201;
//!    R. E. Moore, "A test for existence of solutions to nonlinear
//!    systems", *SIAM J. Numer. Anal.* 14 (1977) 611–615)
//!    `K(X) = c − M f(c) + (I − M J(X))(X − c)`, with the exact corner
//!    ranges of the Jacobian's entries: `K(X) ⊂ int X` proves exactly one
//!    root in `X` (Newton's method from the centre then finds it),
//!    `K(X) ∩ X = ∅` proves none, and otherwise every root of `X` lies in
//!    `X ∩ K(X)`, which replaces `X` when it is markedly smaller;
//! 3. otherwise the box is bisected, a little off the middle (so that roots
//!    at simple fractions do not fall on box faces), along the side where
//!    the equations vary most (width times the Jacobian's range).
//!
//! The search domain is the product of the players' simplices enlarged by
//! `MARGIN` (each probability at least `−MARGIN`); every box is first
//! clipped to it, so the corner tests see few points with negative
//! probabilities, and a root just outside a face is isolated in a box of
//! its own (and discarded by the caller) instead of forcing the boxes
//! along the face to shrink to its distance from it.
//!
//! Every computed range is widened by a rounding allowance relative to the
//! magnitudes involved, so that rounding can only make a test fail, never
//! exclude a root or prove a false uniqueness.
//!
//! Boxes that no test resolves once they are small (singular roots,
//! continua of solutions in degenerate games, roots on a box face) get
//! Newton's method from their centre, with steps no longer than the box:
//! - a root that Krawczyk's test proves isolated in a box around it is
//!   recorded, and boxes inside that proven box are resolved by it;
//! - a singular root within one width of a box narrower than
//!   [`BoxLimits::continuum_width`] that lies on a continuum (Newton's
//!   method from a step along the Jacobian's null direction reaches another
//!   root) resolves the box, so a curve of solutions costs a few boxes per
//!   continuum width instead of the whole box budget; below
//!   [`BoxLimits::leaf_width`] any singular root resolves its box.
//!
//! An isolated root closer than those widths to a singular solution can be
//! missed; the caller reports how many boxes were resolved this way. Boxes
//! narrower than [`BoxLimits::min_width`] with no argument are counted as
//! unresolved and make the search non-exhaustive.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players, equations and variables.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::Meter;
use crate::enumpoly_elim::{contract, ElimWork};
use crate::nplayer_util::{lm_step, Lu, PayoffTensor};

/// Rounding allowance added to computed ranges of payoff differences
/// (payoffs are rescaled to `[0, 1]`; sums of at most a few thousand
/// products of numbers in `[0, 1]` err by far less).
pub(crate) const ROUND: f64 = 1e-11;

/// Where boxes are split along the chosen side (fraction of the width).
const SPLIT: f64 = 0.4858;

/// Residual below which Newton's method has converged.
const NEWTON_TOL: f64 = 1e-12;

/// The payoff differences of one player restricted to a support profile,
/// as polynomials in the other players' reduced coordinates.
#[derive(Debug, Clone)]
pub(crate) struct PlayerRows {
    /// The other players, in order (tensor axes, first axis fastest).
    pub(crate) others: Vec<usize>,
    /// Axis sizes: the others' support sizes `m_q` (index 0: the constant
    /// term, index `i ≥ 1`: the coordinate `y_{q,i}`).
    pub(crate) dims: Vec<usize>,
    /// `(first reduced variable, d_q)` of each axis.
    pub(crate) vars: Vec<(usize, usize)>,
    /// Profiles of the other players' supports (`Π dims`).
    cells: usize,
    /// Equations (`m_j − 1`), then inequalities (off-support strategies).
    pub(crate) neq: usize,
    pub(crate) nrows: usize,
    /// Coefficients of each row in the basis `Π_t (1 | y_{q_t,i})`:
    /// `rows × cells`, rows outermost. Row `r` is `u_j(a_r, ·) − u_j(b_0, ·)`
    /// with each other player's first support strategy eliminated
    /// (`x_{q,0} = 1 − Σ_i y_{q,i}`).
    pub(crate) zval: Vec<f64>,
    /// For each axis `t` with `m_q > 1`: the rows' partial derivatives
    /// with respect to `y_{q_t,i}`, which are the slices `index_t = i`
    /// (rows `r · d_t + i − 1`, the other axes as in `zval`); equations
    /// first, so the first `neq · d_t` rows are the Jacobian's.
    pub(crate) zgrad: Vec<Vec<f64>>,
}

/// The indifference system of one support profile in reduced coordinates.
#[derive(Debug, Clone)]
pub(crate) struct SupportSystem {
    pub(crate) n: usize,
    /// Support size of each player.
    pub(crate) m: Vec<usize>,
    /// First reduced variable (and first equation) of each player.
    pub(crate) voff: Vec<usize>,
    /// Number of unknowns (and equations).
    pub(crate) d: usize,
    /// Owner of each variable.
    var_player: Vec<usize>,
    /// Flat strategy indices of each support (first = reference).
    blocks: Vec<Vec<usize>>,
    pub(crate) players: Vec<PlayerRows>,
    /// Total number of strategies of the game.
    k: usize,
}

impl SupportSystem {
    /// The system of the support profile `blocks` (flat strategy indices
    /// per player, each nonempty).
    pub fn new(t: &PayoffTensor, blocks: &[Vec<usize>]) -> Self {
        let n = t.n;
        let m: Vec<usize> = blocks.iter().map(|b| b.len()).collect();
        let mut voff = Vec::with_capacity(n);
        let mut vs = 0;
        let mut var_player = Vec::new();
        for j in 0..n {
            voff.push(vs);
            vs += m[j].saturating_sub(1);
            var_player.extend(std::iter::repeat_n(j, m[j].saturating_sub(1)));
        }
        let strides: Vec<usize> = (0..n).map(|j| t.shape[..j].iter().product()).collect();
        let local = |q: usize, a: usize| a - t.offsets[q];
        let mut players = Vec::with_capacity(n);
        for j in 0..n {
            let others: Vec<usize> = (0..n).filter(|&q| q != j).collect();
            let dims: Vec<usize> = others.iter().map(|&q| m[q]).collect();
            let cells: usize = dims.iter().product();
            let no = others.len();
            // Game cell (player j at its strategy 0) of each support cell.
            let mut bases = vec![0usize; cells];
            let mut dg = vec![0usize; no];
            for c in 0..cells {
                bases[c] = others
                    .iter()
                    .enumerate()
                    .map(|(t_, &q)| local(q, blocks[q][dg[t_]]) * strides[q])
                    .sum();
                for t_ in 0..no {
                    dg[t_] += 1;
                    if dg[t_] < dims[t_] {
                        break;
                    }
                    dg[t_] = 0;
                }
            }
            let b0 = local(j, blocks[j][0]);
            let mut row_strats: Vec<usize> = blocks[j][1..].iter().map(|&a| local(j, a)).collect();
            let neq = row_strats.len();
            for h in 0..t.shape[j] {
                if !blocks[j].contains(&(t.offsets[j] + h)) {
                    row_strats.push(h);
                }
            }
            let nrows = row_strats.len();
            let mut zval = vec![0.0; nrows * cells];
            for (r, &h) in row_strats.iter().enumerate() {
                for c in 0..cells {
                    let u = t.pay[(bases[c] + h * strides[j]) * n + j];
                    let u0 = t.pay[(bases[c] + b0 * strides[j]) * n + j];
                    zval[r * cells + c] = u - u0;
                }
            }
            // Change of basis along each axis: Σ_a C_a x_a with
            // x_0 = 1 − Σ y_i, x_i = y_i is C_0 + Σ_i (C_i − C_0) y_i.
            let mut inner = 1;
            for &nt in &dims {
                let outer = nrows * cells / (inner * nt);
                for o in 0..outer {
                    for i in 0..inner {
                        let c0 = zval[(o * nt) * inner + i];
                        for a in 1..nt {
                            zval[(o * nt + a) * inner + i] -= c0;
                        }
                    }
                }
                inner *= nt;
            }
            let mut zgrad = Vec::with_capacity(no);
            let mut inner = 1;
            for t_ in 0..no {
                let nt = dims[t_];
                let mut g = Vec::new();
                if nt > 1 {
                    let rest = cells / (inner * nt);
                    // zgrad[t][((r·d_t + i−1) · rest + o) · inner + k] =
                    // zval[((r · rest + o) · nt + i) · inner + k]
                    g = vec![0.0; nrows * (nt - 1) * rest * inner];
                    for r in 0..nrows {
                        for i in 1..nt {
                            for o in 0..rest {
                                for k in 0..inner {
                                    g[((r * (nt - 1) + i - 1) * rest + o) * inner + k] =
                                        zval[((r * rest + o) * nt + i) * inner + k];
                                }
                            }
                        }
                    }
                }
                zgrad.push(g);
                inner *= nt;
            }
            let vars = others.iter().map(|&q| (voff[q], m[q] - 1)).collect();
            players.push(PlayerRows {
                others,
                dims,
                vars,
                cells,
                neq,
                nrows,
                zval,
                zgrad,
            });
        }
        SupportSystem {
            n,
            m,
            voff,
            d: vs,
            var_player,
            blocks: blocks.to_vec(),
            players,
            k: t.k,
        }
    }

    /// The full flat profile (length `k`, zero off the support) of `y`.
    pub fn profile(&self, y: &[f64]) -> Vec<f64> {
        let mut x = vec![0.0; self.k];
        for q in 0..self.n {
            let vo = self.voff[q];
            let mut s = 0.0;
            for (i, &a) in self.blocks[q][1..].iter().enumerate() {
                x[a] = y[vo + i];
                s += y[vo + i];
            }
            x[self.blocks[q][0]] = 1.0 - s;
        }
        x
    }

    /// Player `j`'s equations at the point `y` into `f[voff_j..]`, and
    /// their derivatives into the rows of `jac` (`d × d`).
    fn eval_player_point(
        &self,
        j: usize,
        y: &[f64],
        f: &mut [f64],
        jac: &mut [f64],
        bufs: &mut [Vec<f64>; 2],
    ) {
        let pr = &self.players[j];
        let d = self.d;
        let vo = self.voff[j];
        if pr.neq == 0 {
            return;
        }
        let axes = &pr.vars;
        let vals = contract_all(
            &pr.zval[..pr.neq * pr.cells],
            pr.neq,
            Axes {
                dims: &pr.dims,
                vars: axes,
                skip: None,
                fixed: None,
            },
            y,
            bufs,
        );
        f[vo..vo + pr.neq].copy_from_slice(&vals[..pr.neq]);
        for r in 0..pr.neq {
            jac[(vo + r) * d..(vo + r + 1) * d]
                .iter_mut()
                .for_each(|v| *v = 0.0);
        }
        for (t, &q) in pr.others.iter().enumerate() {
            let dt = self.m[q] - 1;
            if dt == 0 {
                continue;
            }
            let g = contract_all(
                &pr.zgrad[t],
                pr.neq * dt,
                Axes {
                    dims: &pr.dims,
                    vars: axes,
                    skip: Some(t),
                    fixed: None,
                },
                y,
                bufs,
            );
            let vq = self.voff[q];
            for r in 0..pr.neq {
                for i in 0..dt {
                    jac[(vo + r) * d + vq + i] = g[r * dt + i];
                }
            }
        }
    }
}

/// The axes of a player's tensor: sizes, `(first variable, d_t)` of each,
/// and an axis left out (the derivative slices have one axis less).
#[derive(Clone, Copy)]
pub(crate) struct Axes<'a> {
    pub dims: &'a [usize],
    pub vars: &'a [(usize, usize)],
    pub skip: Option<usize>,
    /// An axis contracted at the box's lower corner only (one corner
    /// along it instead of `2^{d_t}`); only [`corner_values`] reads it.
    pub fixed: Option<usize>,
}

/// Contracts a tensor (`rows` outermost, then the axes `dims`, first
/// fastest; axis `skip` absent) with the vectors `(1, y_{q,1}, …)` of its
/// axes (`axes[t] = (first variable, d_t)`): the value of each row at `y`.
fn contract_all<'b>(
    src: &[f64],
    rows: usize,
    ax: Axes,
    y: &[f64],
    bufs: &'b mut [Vec<f64>; 2],
) -> &'b [f64] {
    let Axes {
        dims, vars, skip, ..
    } = ax;
    let kept_dim = |t: usize| if Some(t) == skip { 1 } else { dims[t] };
    let mut size: usize = rows * (0..dims.len()).map(kept_dim).product::<usize>();
    if binary_axes(ax) {
        // Every axis of two strategies: contracted in place in one buffer
        // (the entry written, `o·inner + i`, never lies after the two
        // read, `2o·inner + i` and `(2o + 1)·inner + i`), with the same
        // operations `c_0 + c_1 y` as the general loop below.
        let buf = &mut bufs[0];
        buf.clear();
        buf.extend_from_slice(&src[..size]);
        let mut inner = size / rows;
        for t in (0..dims.len()).rev() {
            if Some(t) == skip || dims[t] == 1 {
                continue;
            }
            inner /= 2;
            let yv = y[vars[t].0];
            let outer = size / (2 * inner);
            for o in 0..outer {
                for i in 0..inner {
                    buf[o * inner + i] = buf[2 * o * inner + i] + buf[(2 * o + 1) * inner + i] * yv;
                }
            }
            size = outer * inner;
        }
        return &bufs[0][..size];
    }
    contract_general(src, rows, ax, y, bufs)
}

/// [`contract_all`]'s general loop (any axis sizes).
fn contract_general<'b>(
    src: &[f64],
    rows: usize,
    ax: Axes,
    y: &[f64],
    bufs: &'b mut [Vec<f64>; 2],
) -> &'b [f64] {
    let Axes {
        dims, vars, skip, ..
    } = ax;
    let kept_dim = |t: usize| if Some(t) == skip { 1 } else { dims[t] };
    let mut size: usize = rows * (0..dims.len()).map(kept_dim).product::<usize>();
    // The data being contracted: `src` itself for the first axis (no
    // copy), then the buffer last written (`cur`).
    let mut cur: Option<usize> = None;
    // Contract the last axis first: then `inner` is the product of the
    // axes before it.
    for t in (0..dims.len()).rev() {
        if Some(t) == skip {
            continue;
        }
        let n = dims[t];
        let inner: usize = (0..t).map(kept_dim).product();
        let outer = size / (n * inner);
        let (vo, dt) = vars[t];
        let (a, b) = bufs.split_at_mut(1);
        let (src_b, dst): (&[f64], &mut Vec<f64>) = match cur {
            None => (&src[..size], &mut a[0]),
            Some(0) => (&a[0], &mut b[0]),
            Some(_) => (&b[0], &mut a[0]),
        };
        let yv = &y[vo..vo + dt];
        // Every entry is overwritten below: no zeroing needed.
        fit(dst, outer * inner);
        if dt == 1 && n == 2 {
            // The usual two-strategy axis: the same operations as the
            // general loop below, without its inner loop.
            let y0 = yv[0];
            for o in 0..outer {
                let s = &src_b[o * 2 * inner..(o * 2 + 2) * inner];
                let (s0, s1) = s.split_at(inner);
                for ((d, &c0), &c1) in dst[o * inner..(o + 1) * inner].iter_mut().zip(s0).zip(s1) {
                    *d = c0 + c1 * y0;
                }
            }
            size = outer * inner;
            cur = Some(if cur == Some(0) { 1 } else { 0 });
            continue;
        }
        for o in 0..outer {
            for i in 0..inner {
                let mut v = src_b[(o * n) * inner + i];
                for a_ in 1..=dt {
                    v += src_b[(o * n + a_) * inner + i] * yv[a_ - 1];
                }
                dst[o * inner + i] = v;
            }
        }
        size = outer * inner;
        cur = Some(if cur == Some(0) { 1 } else { 0 }); // None or 1 wrote bufs[0]
    }
    match cur {
        Some(c) => &bufs[c][..size],
        None => {
            bufs[0].clear();
            bufs[0].extend_from_slice(&src[..size]);
            &bufs[0][..size]
        }
    }
}

/// Whether every axis kept (all but `skip`) has two strategies (one
/// variable) or one (no variable: contracting it changes nothing, so the
/// in-place loops skip it): the case of the in-place loops.
fn binary_axes(ax: Axes) -> bool {
    ax.dims
        .iter()
        .zip(ax.vars)
        .enumerate()
        .all(|(t, (&n, &(_, dt)))| Some(t) == ax.skip || (n == 2 && dt == 1) || (n == 1 && dt == 0))
}

/// Sets the length of `v` to `len` without clearing what is kept (every
/// entry is overwritten by the caller).
fn fit(v: &mut Vec<f64>, len: usize) {
    if v.len() < len {
        v.resize(len, 0.0);
    } else {
        v.truncate(len);
    }
}

/// The values of each row of a tensor (as in [`contract_all`]) at every
/// corner of the box `[lo, hi]` restricted to its axes' variables: `rows ×
/// 2^{Σ d_t}`, corner bits in axis order (first axis lowest). Along each
/// axis the corner values follow from one another by one addition each
/// (`v(S ∪ {i}) = v(S) + c_i (hi_i − lo_i)`).
pub(crate) fn corner_values<'b>(
    src: &[f64],
    rows: usize,
    ax: Axes,
    lo: &[f64],
    hi: &[f64],
    bufs: &'b mut [Vec<f64>; 2],
) -> &'b [f64] {
    let Axes {
        dims,
        vars,
        skip,
        fixed,
    } = ax;
    let kept_dim = |t: usize| if Some(t) == skip { 1 } else { dims[t] };
    let size: usize = rows * (0..dims.len()).map(kept_dim).product::<usize>();
    if fixed.is_none() && binary_axes(ax) {
        // Every axis of two strategies: each pair of entries `(c_0, c_1)`
        // along an axis becomes its two corner values in place, with the
        // same operations as the general loop below (`base = c_0 + c_1
        // lo`, then `base + c_1 (hi − lo)`).
        let buf = &mut bufs[0];
        buf.clear();
        buf.extend_from_slice(&src[..size]);
        let mut inner = size / rows;
        for t in (0..dims.len()).rev() {
            if Some(t) == skip || dims[t] == 1 {
                continue;
            }
            inner /= 2;
            let vo = vars[t].0;
            let (l, wd) = (lo[vo], hi[vo] - lo[vo]);
            let outer = size / (2 * inner);
            for o in 0..outer {
                let pair = &mut buf[2 * o * inner..(2 * o + 2) * inner];
                let (p0, p1) = pair.split_at_mut(inner);
                for (c0, c1) in p0.iter_mut().zip(p1.iter_mut()) {
                    let base = *c0 + *c1 * l;
                    *c1 = base + *c1 * wd;
                    *c0 = base;
                }
            }
        }
        return &bufs[0][..size];
    }
    corner_values_general(src, rows, ax, lo, hi, bufs)
}

/// [`corner_values`]'s general loop (any axis sizes, a `fixed` axis).
fn corner_values_general<'b>(
    src: &[f64],
    rows: usize,
    ax: Axes,
    lo: &[f64],
    hi: &[f64],
    bufs: &'b mut [Vec<f64>; 2],
) -> &'b [f64] {
    let Axes {
        dims,
        vars,
        skip,
        fixed,
    } = ax;
    let kept_dim = |t: usize| if Some(t) == skip { 1 } else { dims[t] };
    let mut size: usize = rows * (0..dims.len()).map(kept_dim).product::<usize>();
    // As in `contract_all`: the first axis reads `src` directly.
    let mut cur: Option<usize> = None;
    for t in (0..dims.len()).rev() {
        if Some(t) == skip {
            continue;
        }
        let n = dims[t];
        let inner: usize = (0..t).map(kept_dim).product();
        let outer = size / (n * inner);
        let (vo, dt) = vars[t];
        let nc = if Some(t) == fixed { 1 } else { 1usize << dt };
        let (a, b) = bufs.split_at_mut(1);
        let (src_b, dst): (&[f64], &mut Vec<f64>) = match cur {
            None => (&src[..size], &mut a[0]),
            Some(0) => (&a[0], &mut b[0]),
            Some(_) => (&b[0], &mut a[0]),
        };
        // Every entry is overwritten below.
        fit(dst, outer * nc * inner);
        if dt == 1 && n == 2 && nc == 2 {
            // The usual two-strategy axis: the same operations as the
            // general loop below (`base = c_0 + c_1 lo`, then `base + c_1
            // (hi − lo)`), without its closures and inner loops.
            let (l, wd) = (lo[vo], hi[vo] - lo[vo]);
            for o in 0..outer {
                let s = &src_b[o * 2 * inner..(o * 2 + 2) * inner];
                let (s0, s1) = s.split_at(inner);
                let out = &mut dst[o * 2 * inner..(o + 1) * 2 * inner];
                let (out0, out1) = out.split_at_mut(inner);
                for (((d0, d1), &c0), &c1) in out0.iter_mut().zip(out1.iter_mut()).zip(s0).zip(s1) {
                    let base = c0 + c1 * l;
                    *d0 = base;
                    *d1 = base + c1 * wd;
                }
            }
            size = outer * nc * inner;
            cur = Some(if cur == Some(0) { 1 } else { 0 });
            continue;
        }
        for o in 0..outer {
            let out = &mut dst[o * nc * inner..(o + 1) * nc * inner];
            for i in 0..inner {
                let c = |a_: usize| src_b[(o * n + a_) * inner + i];
                let mut base = c(0);
                for a_ in 1..=dt {
                    base += c(a_) * lo[vo + a_ - 1];
                }
                out[i] = base;
                for mask in 1..nc {
                    let bit = mask.trailing_zeros() as usize;
                    let prev = out[(mask ^ (1 << bit)) * inner + i];
                    out[mask * inner + i] = prev + c(bit + 1) * (hi[vo + bit] - lo[vo + bit]);
                }
            }
        }
        size = outer * nc * inner;
        cur = Some(if cur == Some(0) { 1 } else { 0 }); // None or 1 wrote bufs[0]
    }
    match cur {
        Some(c) => &bufs[c][..size],
        None => {
            bufs[0].clear();
            bufs[0].extend_from_slice(&src[..size]);
            &bufs[0][..size]
        }
    }
}

/// A root of a support system found by [`solve_support`].
#[derive(Debug, Clone)]
pub(crate) struct FoundRoot {
    /// Full flat profile (zero off the support; entries may be slightly
    /// negative when the root lies on or outside a face).
    pub x: Vec<f64>,
    /// Proven isolated (Krawczyk's test succeeded on a box around it).
    pub regular: bool,
}

/// What [`solve_support`] found and how.
#[derive(Debug, Clone, Default)]
pub(crate) struct BoxOutcome {
    pub roots: Vec<FoundRoot>,
    /// Every box was excluded, proven to hold one root, or resolved by a
    /// singular root; no cap or budget was hit.
    pub exhaustive: bool,
    /// Boxes examined.
    pub boxes: usize,
    /// Boxes proven to hold exactly one root.
    pub unique: usize,
    /// Leaf boxes resolved by a singular root within their width.
    pub singular_leaves: usize,
    /// Boxes resolved by a point of a continuum of solutions in them.
    pub continuum_boxes: usize,
    /// Smallest boxes left with no argument (not excluded, no root found).
    pub unresolved: usize,
    /// The box limit or the budget stopped the search.
    pub capped: bool,
}

/// Limits of [`solve_support`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct BoxLimits {
    pub max_boxes: usize,
    /// Below this width, boxes that no test resolves get Newton's method
    /// from their centre.
    pub leaf_width: f64,
    /// Below this width, a box in which Newton's method finds a singular
    /// solution that lies on a continuum of solutions is resolved by it.
    pub continuum_width: f64,
    /// Below this width, boxes are not subdivided further.
    pub min_width: f64,
    /// Run the box LP (the best combination of a player's rows).
    pub box_lp: bool,
    /// Contract every box by the linear elimination of each player's
    /// block (`enumpoly_elim.rs`) before the tests (opt-in, see
    /// `EnumpolyOptions::elimination`).
    pub elimination: bool,
}

impl Default for BoxLimits {
    fn default() -> Self {
        BoxLimits {
            max_boxes: 20_000,
            leaf_width: 1.0 / 128.0,
            continuum_width: 1.0 / 16.0,
            min_width: 1e-9,
            box_lp: true,
            elimination: false,
        }
    }
}

/// Verdict of the tests on one box.
enum Verdict {
    /// No root in the box.
    Empty,
    /// Exactly one root in the box; the centre and preconditioner are kept
    /// in the workspace for Newton's method.
    Unique,
    /// All roots lie in this smaller box (bounds in `work.klo/khi`).
    Contract,
    /// No conclusion.
    Unknown,
}

/// Buffers reused across boxes.
struct Work {
    bufs: [Vec<f64>; 2],
    yc: Vec<f64>,
    f: Vec<f64>,
    jac: Vec<f64>,
    minv: Vec<f64>,
    /// Corner values of each equation (`foff` per equation).
    fcorner: Vec<f64>,
    foff: Vec<usize>,
    jlo: Vec<f64>,
    jhi: Vec<f64>,
    klo: Vec<f64>,
    khi: Vec<f64>,
    scratch: Vec<f64>,
    /// Per player, a row of `M f` summed over that player's equations, at
    /// the corners of the others' variables (offsets `goff`).
    gsum: Vec<f64>,
    goff: Vec<usize>,
    /// Weights of a player's rows.
    lam: Vec<f64>,
    /// Matrix and tableau of the box LP.
    lpm: Vec<f64>,
    tab: Vec<f64>,
    /// Corner values of each player's rows (for the box LP).
    pvals: Vec<Vec<f64>>,
    /// Whether the box LP runs.
    box_lp: bool,
}

impl Work {
    fn new(sys: &SupportSystem) -> Self {
        let d = sys.d;
        let mut foff = Vec::with_capacity(d + 1);
        let mut tot = 0usize;
        for e in 0..d {
            foff.push(tot);
            let mut goff = Vec::with_capacity(sys.n);
            let mut gtot = 0usize;
            for q in 0..sys.n {
                goff.push(gtot);
                gtot += 1usize << (d - (sys.m[q] - 1));
            }
            let j = sys.var_player[e];
            tot += 1usize << (d - (sys.m[j] - 1));
        }
        foff.push(tot);
        let mut goff = Vec::with_capacity(sys.n);
        let mut gtot = 0usize;
        for q in 0..sys.n {
            goff.push(gtot);
            gtot += 1usize << (d - (sys.m[q] - 1));
        }
        Work {
            bufs: [Vec::new(), Vec::new()],
            yc: vec![0.0; d],
            f: vec![0.0; d],
            jac: vec![0.0; d * d],
            minv: vec![0.0; d * d],
            fcorner: vec![0.0; tot],
            foff,
            jlo: vec![0.0; d * d],
            jhi: vec![0.0; d * d],
            klo: vec![0.0; d],
            khi: vec![0.0; d],
            scratch: vec![0.0; d * d],
            gsum: vec![0.0; gtot],
            goff,
            lam: vec![0.0; sys.players.iter().map(|p| p.nrows).max().unwrap_or(0)],
            lpm: Vec::new(),
            tab: Vec::new(),
            pvals: vec![Vec::new(); sys.n],
            box_lp: true,
        }
    }
}

/// Residual and Jacobian of the whole system at `y` (into `w.f`, `w.jac`).
fn eval_point(sys: &SupportSystem, y: &[f64], w: &mut Work) {
    for j in 0..sys.n {
        sys.eval_player_point(j, y, &mut w.f, &mut w.jac, &mut w.bufs);
    }
}

/// Most corners for which the box LP is tried (its matrix has one column
/// per corner).
const LP_MAX_CORNERS: usize = 256;

/// The box LP for each player in turn (after the cheaper tests have
/// failed): whether one of them excludes the box. Uses the corner values
/// kept in `w.pvals`.
fn box_lp_any(sys: &SupportSystem, w: &mut Work) -> bool {
    if !w.box_lp {
        return false;
    }
    let d = sys.d;
    for j in 0..sys.n {
        let pr = &sys.players[j];
        let corners = 1usize << (d - (sys.m[j] - 1));
        if pr.nrows >= 2
            && corners <= LP_MAX_CORNERS
            && box_lp_excludes(
                &w.pvals[j],
                pr.neq,
                pr.nrows,
                corners,
                &mut w.lpm,
                &mut w.tab,
            )
        {
            return true;
        }
    }
    false
}

/// Whether some combination of one player's rows (equations with any
/// sign, inequalities with nonnegative weights) is positive at every corner
/// of the box, hence everywhere in it (the combination is multi-affine):
/// then no point of the box satisfies that player's conditions (Farkas;
/// the weights are the optimal row strategy of the zero-sum game with
/// these rows and the corners as columns, `enumpoly_lp.rs`). `vals`:
/// `nrows × corners` corner values, equations first.
fn box_lp_excludes(
    vals: &[f64],
    neq: usize,
    nrows: usize,
    corners: usize,
    m: &mut Vec<f64>,
    tab: &mut Vec<f64>,
) -> bool {
    let rows = 2 * neq + (nrows - neq);
    m.clear();
    m.reserve(rows * corners);
    for r in 0..nrows {
        let row = &vals[r * corners..(r + 1) * corners];
        m.extend_from_slice(row);
        if r < neq {
            m.extend(row.iter().map(|v| -v));
        }
    }
    let Some((c, value)) = crate::enumpoly_lp::row_strategy_in(m, rows, corners, tab) else {
        return false;
    };
    if !(value > 0.0) {
        return false;
    }
    // Weights per row (the signed equation pair merged), and the check on
    // the corner values with the rounding allowance of the other tests.
    let mut wts = Vec::with_capacity(nrows);
    let mut k = 0;
    for r in 0..nrows {
        if r < neq {
            wts.push(c[k] - c[k + 1]);
            k += 2;
        } else {
            wts.push(c[k]);
            k += 1;
        }
    }
    let scale: f64 = wts.iter().map(|v| v.abs()).sum();
    let slack = 2.0 * ROUND * (1.0 + scale);
    (0..corners).all(|cn| {
        let g: f64 = (0..nrows).map(|r| wts[r] * vals[r * corners + cn]).sum();
        g > slack
    })
}

/// Inverse of the `d × d` matrix `a` into `inv` by Gauss–Jordan
/// elimination with partial pivoting (`scratch`: `d²` numbers); `false`
/// when a pivot is below `1e-13` times the largest entry (singular for
/// this purpose) or the result is not finite.
fn invert(a: &[f64], d: usize, inv: &mut [f64], scratch: &mut [f64]) -> bool {
    let m = &mut scratch[..d * d];
    m.copy_from_slice(&a[..d * d]);
    let amax = m.iter().fold(0.0f64, |x, v| x.max(v.abs()));
    if !(amax > 0.0) || !amax.is_finite() {
        return false;
    }
    for (i, v) in inv[..d * d].iter_mut().enumerate() {
        *v = if i % (d + 1) == 0 { 1.0 } else { 0.0 };
    }
    for c in 0..d {
        let mut piv = c;
        for r in c + 1..d {
            if m[r * d + c].abs() > m[piv * d + c].abs() {
                piv = r;
            }
        }
        if !(m[piv * d + c].abs() > 1e-13 * amax) {
            return false;
        }
        if piv != c {
            for k in 0..d {
                m.swap(c * d + k, piv * d + k);
                inv.swap(c * d + k, piv * d + k);
            }
        }
        let p = 1.0 / m[c * d + c];
        for k in 0..d {
            m[c * d + k] *= p;
            inv[c * d + k] *= p;
        }
        for r in 0..d {
            if r == c {
                continue;
            }
            let f = m[r * d + c];
            if f == 0.0 {
                continue;
            }
            for k in 0..d {
                m[r * d + k] -= f * m[c * d + k];
                inv[r * d + k] -= f * inv[c * d + k];
            }
        }
    }
    inv[..d * d].iter().all(|v| v.is_finite())
}

fn inf_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

/// Newton's method on the reduced system from `y` (in place), with
/// backtracking; steps longer than `radius` (max norm) are replaced by
/// Levenberg–Marquardt steps with the damping raised until they fit, so
/// that near a continuum of solutions the iteration goes to a nearby point
/// of it instead of sliding along it. Returns whether the residual fell
/// below the tolerance.
fn newton(sys: &SupportSystem, y: &mut [f64], max_iter: usize, radius: f64, w: &mut Work) -> bool {
    let d = sys.d;
    eval_point(sys, y, w);
    let mut norm = inf_norm(&w.f);
    let mut trial = vec![0.0; d];
    let mut neg = vec![0.0; d];
    for _ in 0..max_iter {
        if !norm.is_finite() {
            return false;
        }
        if norm < 1e-15 {
            break;
        }
        for i in 0..d {
            neg[i] = -w.f[i];
        }
        let mut step = Lu::new(&w.jac, d).map(|lu| lu.solve(&neg));
        let mut mu = 1e-10;
        while step.as_ref().is_none_or(|s| !(inf_norm(s) <= radius)) && mu < 1e10 {
            step = lm_step(&w.jac, &w.f, d, d, mu);
            mu *= 100.0;
        }
        let step = match step {
            Some(s) if inf_norm(&s).is_finite() => s,
            _ => return norm < NEWTON_TOL,
        };
        let mut alpha = 1.0;
        let mut accepted = false;
        for _ in 0..12 {
            for i in 0..d {
                trial[i] = y[i] + alpha * step[i];
            }
            eval_point(sys, &trial, w);
            let nn = inf_norm(&w.f);
            if nn.is_finite() && (nn < norm || nn < 1e-15) {
                y.copy_from_slice(&trial);
                norm = nn;
                accepted = true;
                break;
            }
            alpha *= 0.5;
        }
        if !accepted {
            eval_point(sys, y, w);
            break;
        }
    }
    norm < NEWTON_TOL
}

/// The exact ranges over the box of the Jacobian's entries (slices of each
/// player's tensor at the corners of the remaining axes), into `w.jlo`,
/// `w.jhi`; entries within a player's own block are zero.
fn jacobian_ranges(sys: &SupportSystem, lo: &[f64], hi: &[f64], w: &mut Work) {
    let d = sys.d;
    w.jlo.iter_mut().for_each(|v| *v = 0.0);
    w.jhi.iter_mut().for_each(|v| *v = 0.0);
    for j in 0..sys.n {
        let pr = &sys.players[j];
        let vo = sys.voff[j];
        let axes = &pr.vars;
        // Ranges of the derivatives (slices of the tensor, corners of the
        // remaining axes).
        for (t, &q) in pr.others.iter().enumerate() {
            let dt = sys.m[q] - 1;
            if dt == 0 || pr.neq == 0 {
                continue;
            }
            let g = corner_values(
                &pr.zgrad[t],
                pr.neq * dt,
                Axes {
                    dims: &pr.dims,
                    vars: axes,
                    skip: Some(t),
                    fixed: None,
                },
                lo,
                hi,
                &mut w.bufs,
            );
            let cc = g.len() / (pr.neq * dt);
            let vq = sys.voff[q];
            for r in 0..pr.neq {
                for i in 0..dt {
                    let row = &g[(r * dt + i) * cc..(r * dt + i + 1) * cc];
                    let (mn, mx) = row
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                            (a.min(v), b.max(v))
                        });
                    w.jlo[(vo + r) * d + vq + i] = mn;
                    w.jhi[(vo + r) * d + vq + i] = mx;
                }
            }
        }
    }
}

/// The tests of the module documentation on the box `[lo, hi]`.
fn examine(
    sys: &SupportSystem,
    lo: &[f64],
    hi: &[f64],
    equations_only: bool,
    w: &mut Work,
) -> Verdict {
    let d = sys.d;
    let n = sys.n;
    // Simplex: each player's first probability `1 − Σ y` must be able to
    // be nonnegative.
    for q in 0..n {
        let vo = sys.voff[q];
        let s: f64 = lo[vo..vo + sys.m[q] - 1].iter().sum();
        if s > 1.0 + MARGIN + 1e-12 && !equations_only {
            return Verdict::Empty;
        }
    }
    // Corner values of every row, ranges of the Jacobian's entries.
    for j in 0..n {
        let pr = &sys.players[j];
        let dj = sys.m[j] - 1;
        let vo = sys.voff[j];
        let corners = 1usize << (d - dj);
        let nin = pr.nrows - pr.neq;
        let axes = &pr.vars;
        let vals = corner_values(
            &pr.zval,
            pr.nrows,
            Axes {
                dims: &pr.dims,
                vars: axes,
                skip: None,
                fixed: None,
            },
            lo,
            hi,
            &mut w.bufs,
        );
        // Inequalities: an off-support strategy strictly better everywhere
        // than the first support strategy, or than another one (at a root
        // all support strategies earn the same: `v(c) − v(b_r) = g_c − f_r`).
        if !equations_only {
            for r in 0..nin {
                let row = &vals[(pr.neq + r) * corners..(pr.neq + r + 1) * corners];
                if row.iter().all(|&v| v > ROUND) {
                    return Verdict::Empty;
                }
                for e in 0..pr.neq {
                    let eq = &vals[e * corners..(e + 1) * corners];
                    if row.iter().zip(eq).all(|(&g, &f)| g - f > 2.0 * ROUND) {
                        return Verdict::Empty;
                    }
                }
            }
        }
        for r in 0..pr.neq {
            let row = &vals[r * corners..(r + 1) * corners];
            let (mn, mx) = row
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            if mn > ROUND || mx < -ROUND {
                return Verdict::Empty;
            }
            let off = w.foff[vo + r];
            w.fcorner[off..off + corners].copy_from_slice(row);
        }
        // The player's rows combined along their values at the centre
        // (the mean of the corner values, the rows being multi-affine):
        // `Σ f_r(c) f_r + Σ max(g_i(c), 0) g_i` is zero or negative at
        // every equilibrium of the support, so a box where it is positive
        // everywhere holds none (without inequalities, negative
        // everywhere excludes too).
        if pr.nrows >= 2 && !equations_only || pr.neq >= 2 {
            let rows = if equations_only { pr.neq } else { pr.nrows };
            let inv = 1.0 / corners as f64;
            let lam = &mut w.lam[..rows];
            for r in 0..rows {
                let mean = vals[r * corners..(r + 1) * corners].iter().sum::<f64>() * inv;
                lam[r] = if r < pr.neq { mean } else { mean.max(0.0) };
            }
            let one_sided = lam[pr.neq..].iter().any(|&v| v > 0.0);
            let scale: f64 = lam.iter().map(|v| v.abs()).sum();
            if scale > 0.0 {
                let (mut mn, mut mx) = (f64::INFINITY, f64::NEG_INFINITY);
                for c in 0..corners {
                    let mut s = 0.0;
                    for r in 0..rows {
                        if lam[r] != 0.0 {
                            s += lam[r] * vals[r * corners + c];
                        }
                    }
                    mn = mn.min(s);
                    mx = mx.max(s);
                    if mn <= 0.0 && (one_sided || mx >= 0.0) {
                        break;
                    }
                }
                let slack = ROUND * (1.0 + scale);
                if mn > slack || (!one_sided && mx < -slack) {
                    return Verdict::Empty;
                }
            }
        }
        // Kept for the box LP below, which runs once every player's cheap
        // tests have failed.
        if !equations_only && pr.nrows >= 2 && corners <= LP_MAX_CORNERS {
            w.pvals[j].clear();
            w.pvals[j].extend_from_slice(vals);
        }
    }
    if d == 0 {
        return Verdict::Unique;
    }
    // Centre, residual, Jacobian, approximate inverse.
    for i in 0..d {
        w.yc[i] = 0.5 * (lo[i] + hi[i]);
    }
    let yc = std::mem::take(&mut w.yc);
    eval_point(sys, &yc, w);
    w.yc = yc;
    if !invert(&w.jac, d, &mut w.minv, &mut w.scratch) {
        if !equations_only && box_lp_any(sys, w) {
            return Verdict::Empty;
        }
        jacobian_ranges(sys, lo, hi, w);
        return Verdict::Unknown;
    }
    // Preconditioned exclusion: exact corner range of each row of M f,
    // summed player by player (`G_j = Σ_{e of j} M_ke f_e` over the corners
    // of the others' variables).
    let all = 1usize << d;
    for k in 0..d {
        let mrow = &w.minv[k * d..(k + 1) * d];
        let scale: f64 = mrow.iter().map(|v| v.abs()).sum();
        let slack = ROUND * (1.0 + scale);
        for j in 0..n {
            let dj = sys.m[j] - 1;
            if dj == 0 {
                continue;
            }
            let vo = sys.voff[j];
            let corners = 1usize << (d - dj);
            let g = &mut w.gsum[w.goff[j]..w.goff[j] + corners];
            g.iter_mut().for_each(|v| *v = 0.0);
            for r in 0..dj {
                let c = mrow[vo + r];
                if c == 0.0 {
                    continue;
                }
                let off = w.foff[vo + r];
                for (gv, fv) in g.iter_mut().zip(&w.fcorner[off..off + corners]) {
                    *gv += c * fv;
                }
            }
        }
        let (mut mn, mut mx) = (f64::INFINITY, f64::NEG_INFINITY);
        for gi in 0..all {
            let mut s = 0.0;
            for j in 0..n {
                let dj = sys.m[j] - 1;
                if dj == 0 {
                    continue;
                }
                let vo = sys.voff[j];
                let oc = (gi & ((1usize << vo) - 1)) | ((gi >> (vo + dj)) << vo);
                s += w.gsum[w.goff[j] + oc];
            }
            mn = mn.min(s);
            mx = mx.max(s);
            if mn < -slack && mx > slack {
                break;
            }
        }
        if mn > slack || mx < -slack {
            return Verdict::Empty;
        }
    }
    if !equations_only && box_lp_any(sys, w) {
        return Verdict::Empty;
    }
    // Krawczyk: K = z ± Σ_l |A_kl| r_l, z = c − M f(c), A = I − M J(X)
    // enclosed as I − M·Jmid ± |M|·Jrad.
    jacobian_ranges(sys, lo, hi, w);
    let mut contained = true;
    for k in 0..d {
        let mrow = &w.minv[k * d..(k + 1) * d];
        let scale: f64 = mrow.iter().map(|v| v.abs()).sum();
        let mf: f64 = (0..d).map(|e| mrow[e] * w.f[e]).sum();
        let z = w.yc[k] - mf;
        let mut rad = 0.0;
        for l in 0..d {
            let r_l = 0.5 * (hi[l] - lo[l]);
            if r_l == 0.0 {
                continue;
            }
            let mut mid = if k == l { 1.0 } else { 0.0 };
            let mut arad = 0.0;
            for e in 0..d {
                let i = e * d + l;
                let (a, b) = (w.jlo[i], w.jhi[i]);
                mid -= mrow[e] * 0.5 * (a + b);
                arad += mrow[e].abs() * (0.5 * (b - a) + ROUND);
            }
            rad += (mid.abs() + arad + ROUND * (1.0 + scale)) * r_l;
        }
        let slack = ROUND * (1.0 + scale) + 4.0 * f64::EPSILON * (z.abs() + rad);
        let (kl, kh) = (z - rad - slack, z + rad + slack);
        if !(kl.is_finite() && kh.is_finite()) {
            return Verdict::Unknown;
        }
        if kh < lo[k] || kl > hi[k] {
            return Verdict::Empty;
        }
        if !(kl > lo[k] && kh < hi[k]) {
            contained = false;
        }
        w.klo[k] = kl.max(lo[k]);
        w.khi[k] = kh.min(hi[k]);
    }
    if contained {
        return Verdict::Unique;
    }
    Verdict::Contract
}

/// A box around `y` in which Krawczyk's test proves `y` the only root
/// (the largest of a few radii from `r0` down), if any: the proof that `y`
/// is isolated.
fn isolating_box(
    sys: &SupportSystem,
    y: &[f64],
    r0: f64,
    w: &mut Work,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let d = sys.d;
    // A numerically singular Jacobian at `y`: no proof will succeed.
    eval_point(sys, y, w);
    let jac = std::mem::take(&mut w.jac);
    let regular = invert(&jac, d, &mut w.minv, &mut w.scratch);
    w.jac = jac;
    if !regular {
        return None;
    }
    let mut lo = vec![0.0; d];
    let mut hi = vec![0.0; d];
    let mut r = r0;
    for _ in 0..4 {
        for i in 0..d {
            let ri = r.max(1e-7 * (1.0 + y[i].abs()));
            lo[i] = y[i] - ri;
            hi[i] = y[i] + ri;
        }
        if let Verdict::Unique = examine(sys, &lo, &hi, true, w) {
            return Some((lo, hi));
        }
        if r <= 1e-7 {
            break;
        }
        r = (r / 16.0).max(1e-7);
    }
    None
}

/// Whether the singular root `y` lies on a continuum of solutions:
/// Newton's method (steps at most `h/2`) from `y ± h v`, `v` an
/// approximate null vector of the Jacobian at `y` and `h` a quarter of
/// `width`, reaches another root at least `h/4` away.
fn on_continuum(sys: &SupportSystem, y: &[f64], width: f64, w: &mut Work) -> bool {
    let d = sys.d;
    eval_point(sys, y, w);
    // Inverse iteration on JᵀJ + μI.
    let mut a = vec![0.0; d * d];
    for r in 0..d {
        for c1 in 0..d {
            let j1 = w.jac[r * d + c1];
            if j1 == 0.0 {
                continue;
            }
            for c2 in 0..d {
                a[c1 * d + c2] += j1 * w.jac[r * d + c2];
            }
        }
    }
    let diag = (0..d).fold(0.0f64, |m, i| m.max(a[i * d + i]));
    for i in 0..d {
        a[i * d + i] += 1e-10 * diag + 1e-300;
    }
    let lu = match Lu::new(&a, d) {
        Some(lu) => lu,
        None => return false,
    };
    let mut v: Vec<f64> = (0..d).map(|i| 1.0 + 0.37 * i as f64).collect();
    for _ in 0..4 {
        v = lu.solve(&v);
        let nv = inf_norm(&v);
        if !(nv > 0.0 && nv.is_finite()) {
            return false;
        }
        v.iter_mut().for_each(|x| *x /= nv);
    }
    let h = 0.25 * width;
    for sign in [1.0, -1.0] {
        let mut y1: Vec<f64> = y.iter().zip(&v).map(|(a, b)| a + sign * h * b).collect();
        if newton(sys, &mut y1, 40, 0.5 * h, w) {
            let dist = y1
                .iter()
                .zip(y)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            if dist >= 0.25 * h {
                return true;
            }
        }
    }
    false
}

fn record(out: &mut BoxOutcome, sys: &SupportSystem, y: &[f64], regular: bool) {
    let x = sys.profile(y);
    let dup = out
        .roots
        .iter()
        .any(|r| r.x.iter().zip(&x).all(|(a, b)| (a - b).abs() < 1e-9));
    if !dup {
        out.roots.push(FoundRoot { x, regular });
    }
}

/// How far the search domain extends beyond the product of simplices
/// (each probability `≥ −MARGIN`): a root just outside a face is then
/// inside the domain, where Krawczyk's test isolates it in a box of its own
/// size (the caller discards it), instead of leaving the boxes along the
/// face to shrink to its distance from the face.
pub(crate) const MARGIN: f64 = 1.0 / 1024.0;

/// Shrinks the box to the product of (slightly enlarged) simplices:
/// `y_{q,i} ≤ 1 + MARGIN − Σ_{k≠i} lo_{q,k}` (the first probability
/// `1 − Σ y_q` is at least `−MARGIN`). Every
/// point of the box with all probabilities nonnegative stays in it, so the
/// corner-based tests see fewer points outside the simplices.
fn clip_to_simplex(sys: &SupportSystem, lo: &mut [f64], hi: &mut [f64]) {
    for q in 0..sys.n {
        let dq = sys.m[q] - 1;
        if dq == 0 {
            continue;
        }
        let vo = sys.voff[q];
        let s: f64 = lo[vo..vo + dq].iter().sum();
        for i in vo..vo + dq {
            // Rounded up, so that the bound never cuts a feasible point.
            let cap = (1.0 + MARGIN - (s - lo[i])) * (1.0 + 4.0 * f64::EPSILON) + 1e-15;
            if cap < hi[i] && cap >= lo[i] {
                hi[i] = cap;
            }
        }
    }
}

/// The elimination contractor (`enumpoly_elim.rs`), repeated while it
/// narrows the box markedly; `false` when it proves the box empty.
fn contract_box(sys: &SupportSystem, lo: &mut [f64], hi: &mut [f64], ew: &mut ElimWork) -> bool {
    let d = sys.d;
    for _ in 0..3 {
        let before: f64 = (0..d).map(|i| hi[i] - lo[i]).sum();
        if !contract(sys, lo, hi, ew) {
            return false;
        }
        clip_to_simplex(sys, lo, hi);
        let after: f64 = (0..d).map(|i| hi[i] - lo[i]).sum();
        if !(after < 0.8 * before) {
            break;
        }
    }
    true
}

/// Distance (max norm) from `y` to the box `[lo, hi]`.
fn dist_to_box(y: &[f64], lo: &[f64], hi: &[f64]) -> f64 {
    y.iter()
        .zip(lo.iter().zip(hi))
        .fold(0.0f64, |m, (v, (a, b))| m.max(a - v).max(v - b))
}

/// All roots of the support system in the product of simplices (reduced
/// coordinates in `[0, 1]^d`), by the box subdivision of the module
/// documentation. Roots on or outside the faces are returned too (the
/// caller keeps those with positive probabilities).
pub(crate) fn solve_support(
    sys: &SupportSystem,
    limits: &BoxLimits,
    meter: &mut Meter,
) -> BoxOutcome {
    let d = sys.d;
    let mut w = Work::new(sys);
    w.box_lp = limits.box_lp;
    let mut ew = ElimWork::default();
    let mut out = BoxOutcome {
        exhaustive: true,
        ..Default::default()
    };
    if d == 0 {
        record(&mut out, sys, &[], true);
        return out;
    }
    // Boxes as `lo ‖ hi`, 2d numbers each.
    let mut stack: Vec<f64> = Vec::with_capacity(64 * 2 * d.max(1));
    stack.extend(std::iter::repeat_n(-MARGIN, d));
    stack.extend(std::iter::repeat_n(1.0 + MARGIN, d));
    let mut lo = vec![0.0; d];
    let mut hi = vec![0.0; d];
    // Boxes proven (Krawczyk) to hold exactly one root, already recorded.
    let mut proven: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    while stack.len() >= 2 * d && !stack.is_empty() {
        let base = stack.len() - 2 * d;
        lo.copy_from_slice(&stack[base..base + d]);
        hi.copy_from_slice(&stack[base + d..]);
        stack.truncate(base);
        out.boxes += 1;
        if out.boxes > limits.max_boxes || !meter.tick() {
            out.exhaustive = false;
            out.capped = true;
            break;
        }
        // Inside a box proven to hold one root, already recorded.
        if proven
            .iter()
            .any(|(plo, phi)| (0..d).all(|i| plo[i] <= lo[i] && hi[i] <= phi[i]))
        {
            continue;
        }
        clip_to_simplex(sys, &mut lo, &mut hi);
        if limits.elimination && !contract_box(sys, &mut lo, &mut hi, &mut ew) {
            continue;
        }
        let mut verdict = examine(sys, &lo, &hi, false, &mut w);
        // Krawczyk contraction, repeated while it shrinks the box well.
        let mut rounds = 0;
        while let Verdict::Contract = verdict {
            let old: f64 = (0..d).map(|i| hi[i] - lo[i]).fold(0.0, f64::max);
            let new: f64 = (0..d).map(|i| w.khi[i] - w.klo[i]).fold(0.0, f64::max);
            lo.copy_from_slice(&w.klo);
            hi.copy_from_slice(&w.khi);
            clip_to_simplex(sys, &mut lo, &mut hi);
            rounds += 1;
            if !(new < 0.7 * old) || rounds > 20 {
                verdict = Verdict::Unknown;
                break;
            }
            verdict = examine(sys, &lo, &hi, false, &mut w);
        }
        match verdict {
            Verdict::Empty => continue,
            Verdict::Unique => {
                out.unique += 1;
                let mut y: Vec<f64> = (0..d).map(|i| 0.5 * (lo[i] + hi[i])).collect();
                let ok = newton(sys, &mut y, 50, f64::INFINITY, &mut w);
                let width: f64 = (0..d).map(|i| hi[i] - lo[i]).fold(0.0, f64::max);
                if ok && dist_to_box(&y, &lo, &hi) <= 1e-9 * (1.0 + width) {
                    record(&mut out, sys, &y, true);
                } else {
                    // Newton left the box (should not happen): fall back to
                    // the simplified iteration, which stays in it.
                    let mut y: Vec<f64> = (0..d).map(|i| 0.5 * (lo[i] + hi[i])).collect();
                    let minv = w.minv.clone();
                    let mut conv = false;
                    for _ in 0..200 {
                        eval_point(sys, &y, &mut w);
                        if inf_norm(&w.f) < NEWTON_TOL {
                            conv = true;
                            break;
                        }
                        for k in 0..d {
                            let s: f64 = (0..d).map(|e| minv[k * d + e] * w.f[e]).sum();
                            y[k] -= s;
                        }
                    }
                    if conv {
                        record(&mut out, sys, &y, true);
                    } else {
                        out.unresolved += 1;
                        out.exhaustive = false;
                    }
                }
                continue;
            }
            Verdict::Contract | Verdict::Unknown => {}
        }
        let width = (0..d).map(|i| hi[i] - lo[i]).fold(0.0, f64::max);
        // Split where the equations vary most over the box (largest smear
        // `w_l · Σ_e max |∂f_e/∂y_l|`, the ranges of the last test),
        // the widest side when that says nothing.
        let mut wi = 0;
        let mut best = -1.0;
        for l in 0..d {
            let wl = hi[l] - lo[l];
            let mut sm = 0.0;
            for e in 0..d {
                sm += w.jlo[e * d + l].abs().max(w.jhi[e * d + l].abs());
            }
            let score = wl * (sm + 1e-9);
            if score > best && wl > 0.0 {
                best = score;
                wi = l;
            }
        }
        if !(best > 0.0) {
            wi = (0..d)
                .map(|i| (i, hi[i] - lo[i]))
                .fold((0, 0.0), |b, c| if c.1 > b.1 { c } else { b })
                .0;
        }
        if width < limits.continuum_width {
            let mut y: Vec<f64> = (0..d).map(|i| 0.5 * (lo[i] + hi[i])).collect();
            if newton(sys, &mut y, 60, width, &mut w) && dist_to_box(&y, &lo, &hi) <= width {
                match isolating_box(sys, &y, 2.0 * width, &mut w) {
                    Some((plo, phi)) => {
                        record(&mut out, sys, &y, true);
                        let inside = (0..d).all(|i| plo[i] <= lo[i] && hi[i] <= phi[i]);
                        proven.push((plo, phi));
                        if inside {
                            continue;
                        }
                    }
                    None => {
                        let leaf = width < limits.leaf_width;
                        if leaf || on_continuum(sys, &y, width, &mut w) {
                            record(&mut out, sys, &y, false);
                            if leaf {
                                out.singular_leaves += 1;
                            } else {
                                out.continuum_boxes += 1;
                            }
                            continue;
                        }
                    }
                }
            }
            if width < limits.min_width {
                out.unresolved += 1;
                out.exhaustive = false;
                continue;
            }
        }
        // Split a little off the middle, so that roots at simple fractions
        // (frequent in games with small integer payoffs) do not fall on the
        // faces of the boxes, where no box can prove them unique.
        let mid = lo[wi] + SPLIT * (hi[wi] - lo[wi]);
        // Push the upper half first so the lower half is examined first.
        stack.extend_from_slice(&lo);
        let s = stack.len();
        stack[s - d + wi] = mid;
        stack.extend_from_slice(&hi);
        stack.extend_from_slice(&lo);
        stack.extend_from_slice(&hi);
        let s = stack.len();
        stack[s - d + wi] = mid;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::tests::game;

    /// A 2×2×2 game whose full-support system has two regular roots
    /// 0.01 apart: `p = q = r = 0.5` and `p = q = r = 0.51` (player 1's
    /// difference is `(t − 0.5)(t − 0.51)` on the diagonal, players 2 and 3
    /// copy player 1).
    fn twin_roots() -> NormalFormGame {
        game(
            &[2, 2, 2],
            &[
                vec![0, 255, 0, -250, 0, -250, 0, 245],
                vec![0, 0, 0, -1, 0, 0, 1, 0],
                vec![0, 0, 0, 0, 0, -1, 1, 0],
            ],
        )
    }

    fn full_support(t: &PayoffTensor) -> Vec<Vec<usize>> {
        (0..t.n)
            .map(|j| (0..t.shape[j]).map(|h| t.offsets[j] + h).collect())
            .collect()
    }

    use detente_game::NormalFormGame;

    #[test]
    fn two_roots_closer_than_the_old_leaf_are_both_found() {
        let g = twin_roots();
        let t = PayoffTensor::new(&g);
        let sys = SupportSystem::new(&t, &full_support(&t));
        let mut meter = crate::budget::Budget::default().start();
        let out = solve_support(&sys, &BoxLimits::default(), &mut meter);
        assert!(out.exhaustive && !out.capped);
        let mut diag: Vec<f64> = out
            .roots
            .iter()
            .filter(|r| r.regular && r.x.iter().all(|&v| v > 1e-9))
            .map(|r| r.x[1])
            .collect();
        diag.sort_by(|a, b| a.total_cmp(b));
        assert_eq!(diag.len(), 2, "{:?}", out.roots);
        assert!((diag[0] - 0.5).abs() < 1e-12 && (diag[1] - 0.51).abs() < 1e-12);
        // And through the public entry point, as two equilibria.
        let res = crate::enumpoly::enumpoly(&g, &Default::default()).unwrap_or_default();
        let mixed = res
            .equilibria
            .iter()
            .filter(|e| e.profile.iter().flatten().all(|&p| p > 0.0))
            .count();
        assert_eq!(mixed, 2, "{:?}", res.notes);
    }

    #[test]
    fn krawczyk_proves_a_regular_root_unique_and_excludes_far_boxes() {
        let g = twin_roots();
        let t = PayoffTensor::new(&g);
        let sys = SupportSystem::new(&t, &full_support(&t));
        let mut w = Work::new(&sys);
        // A box around (0.5, 0.5, 0.5) that does not reach 0.51.
        let lo = [0.497; 3];
        let hi = [0.503; 3];
        assert!(matches!(
            examine(&sys, &lo, &hi, false, &mut w),
            Verdict::Unique
        ));
        // A box holding both roots: neither excluded nor proven unique.
        let lo = [0.49; 3];
        let hi = [0.52; 3];
        assert!(!matches!(
            examine(&sys, &lo, &hi, false, &mut w),
            Verdict::Unique | Verdict::Empty
        ));
        // Boxes away from the roots are excluded.
        for (lo, hi) in [([0.8; 3], [0.9; 3]), ([0.1, 0.6, 0.1], [0.2, 0.7, 0.2])] {
            assert!(matches!(
                examine(&sys, &lo, &hi, false, &mut w),
                Verdict::Empty
            ));
        }
        // The isolation proof of each root.
        assert!(isolating_box(&sys, &[0.5; 3], 1e-3, &mut w).is_some());
        assert!(isolating_box(&sys, &[0.51; 3], 1e-3, &mut w).is_some());
    }

    /// The in-place loops for two-strategy axes give the general loops'
    /// numbers bit for bit (same operations in the same order), on every
    /// player's rows and derivative slices of 2×2×2×2 and 2×1×2×2
    /// supports, at random boxes and points.
    #[test]
    fn binary_fast_paths_are_bit_for_bit_the_general_loops() {
        let mut rng = crate::nplayer_util::SplitMix64::new(7);
        for seed in 0..6u64 {
            let tables: Vec<Vec<i64>> = (0..4)
                .map(|p| {
                    (0..16)
                        .map(|c| ((c * (7 + 2 * p) + 3 * seed as usize) % 17) as i64 - 8)
                        .collect()
                })
                .collect();
            let g = game(&[2, 2, 2, 2], &tables);
            let t = PayoffTensor::new(&g);
            let full = full_support(&t);
            let mut partial = full.clone();
            partial[1].truncate(1);
            for blocks in [full, partial] {
                let sys = SupportSystem::new(&t, &blocks);
                let d = sys.d;
                let mut bufs = [Vec::new(), Vec::new()];
                let mut bufs2 = [Vec::new(), Vec::new()];
                for _ in 0..5 {
                    let lo: Vec<f64> = (0..d).map(|_| rng.next_f64() * 0.5).collect();
                    let hi: Vec<f64> = lo.iter().map(|l| l + rng.next_f64() * 0.5).collect();
                    for pr in &sys.players {
                        let mut cases = vec![(&pr.zval[..], pr.nrows, None)];
                        for (tx, g) in pr.zgrad.iter().enumerate() {
                            if !g.is_empty() {
                                cases.push((&g[..], pr.neq, Some(tx)));
                            }
                        }
                        for (src, rows, skip) in cases {
                            if rows == 0 {
                                continue;
                            }
                            let ax = Axes {
                                dims: &pr.dims,
                                vars: &pr.vars,
                                skip,
                                fixed: None,
                            };
                            assert!(binary_axes(ax));
                            let fast = corner_values(src, rows, ax, &lo, &hi, &mut bufs).to_vec();
                            let gen = corner_values_general(src, rows, ax, &lo, &hi, &mut bufs2);
                            assert_eq!(fast.len(), gen.len());
                            assert!(fast
                                .iter()
                                .zip(gen)
                                .all(|(a, b)| a.to_bits() == b.to_bits()));
                            let fast = contract_all(src, rows, ax, &lo, &mut bufs).to_vec();
                            let gen = contract_general(src, rows, ax, &lo, &mut bufs2);
                            assert_eq!(fast.len(), gen.len());
                            assert!(fast
                                .iter()
                                .zip(gen)
                                .all(|(a, b)| a.to_bits() == b.to_bits()));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn corner_values_match_pointwise_contraction() {
        let g = game(
            &[3, 2, 3],
            &[
                (0..18).map(|v| (v * 7) % 11).collect(),
                (0..18).map(|v| (v * 5) % 13 - 6).collect(),
                (0..18).map(|v| (v * 3) % 7).collect(),
            ],
        );
        let t = PayoffTensor::new(&g);
        let sys = SupportSystem::new(&t, &full_support(&t));
        let d = sys.d;
        let lo = [0.1, 0.2, 0.3, 0.05, 0.2];
        let hi = [0.3, 0.25, 0.6, 0.4, 0.5];
        let mut w = Work::new(&sys);
        for j in 0..sys.n {
            let pr = sys.players[j].clone();
            let axes = &pr.vars;
            let vals = corner_values(
                &pr.zval,
                pr.nrows,
                Axes {
                    dims: &pr.dims,
                    vars: axes,
                    skip: None,
                    fixed: None,
                },
                &lo,
                &hi,
                &mut w.bufs,
            )
            .to_vec();
            let free: Vec<usize> = (0..d).filter(|&v| sys.var_player[v] != j).collect();
            let corners = 1usize << free.len();
            for c in 0..corners {
                let mut y = lo.to_vec();
                for (b, &v) in free.iter().enumerate() {
                    if c >> b & 1 == 1 {
                        y[v] = hi[v];
                    }
                }
                // Direct value from the payoff table.
                let x = sys.profile(&y);
                let v = t.values(&x);
                let b0 = sys.blocks[j][0];
                let mut rows: Vec<usize> = sys.blocks[j][1..].to_vec();
                rows.extend(
                    (0..t.shape[j])
                        .map(|h| t.offsets[j] + h)
                        .filter(|a| !sys.blocks[j].contains(a)),
                );
                for (r, &a) in rows.iter().enumerate() {
                    let direct = v[a] - v[b0];
                    let got = vals[r * corners + c];
                    assert!(
                        (direct - got).abs() < 1e-12,
                        "player {j} row {r}: {direct} vs {got}"
                    );
                }
            }
        }
        // The Jacobian at a point against finite differences.
        let y = [0.2, 0.22, 0.4, 0.3, 0.35];
        eval_point(&sys, &y, &mut w);
        let (f0, jac) = (w.f.clone(), w.jac.clone());
        for l in 0..d {
            let mut yp = y;
            yp[l] += 1e-7;
            eval_point(&sys, &yp, &mut w);
            for e in 0..d {
                let fd = (w.f[e] - f0[e]) / 1e-7;
                assert!((fd - jac[e * d + l]).abs() < 1e-6, "J[{e}][{l}]");
            }
        }
    }
}
