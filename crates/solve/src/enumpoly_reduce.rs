//! Exact reduction of a full support's indifference system, which
//! recognises continua of completely mixed equilibria without subdivision.
//!
//! On the full support (every player mixes over all of its strategies)
//! player `i`'s indifference equations are
//! `E_{i,a}(x) = Σ_s (u_i(a, s) − u_i(0, s)) Π_{q≠i} x_{q,s_q} = 0`
//! (`a ≥ 1`), homogeneous multilinear forms in the other players' mixtures,
//! with no best-response inequality (no strategy is outside the support).
//! On the product of the open simplices every probability is positive, and
//! such a form determines its function on the simplices uniquely, so the
//! following rewritings keep the solution set in the interior exactly
//! (all arithmetic on the game's exact rational payoffs):
//!
//! - a form whose slices along player `q` vanish except at strategy `a` is
//!   `x_{q,a}` times that slice: divide by `x_{q,a} > 0`;
//! - a form whose slices along `q` are all equal does not depend on `x_q`
//!   (`Σ_a x_{q,a} = 1`): drop the axis;
//! - a nonzero constant has no root (the support holds no equilibrium); a
//!   zero form is dropped;
//! - a form in one two-strategy player `q`'s mixture alone,
//!   `c_0 x_{q,0} + c_1 x_{q,1} = 0`, fixes `x_{q,1} = c_0 / (c_0 − c_1)`
//!   when `c_0, c_1` have strictly opposite signs and has no interior root
//!   otherwise; the fixed mixture is substituted into every other form.
//!
//! When what remains is a single form in at least two unknowns (or none
//! with at least one unknown left free), every solution in the interior
//! lies on a continuum: a multi-affine `f` (affine in each coordinate) has
//! no isolated zero in an open set of dimension ≥ 2 (at a zero, along any
//! coordinate `f = α + β y`; if `β ≠ 0` the implicit function theorem gives
//! a hypersurface of zeros, if `β = 0` then `α = 0` and the whole line is
//! zeros). So the support holds **no isolated equilibrium**, and one point
//! of the continuum is reported (as enumpoly reports one point per
//! support). Whether the remaining form has an interior zero is decided
//! exactly from its values at the vertices (its range over the product of
//! simplices): values of both strict signs give one (found by bisection
//! from the centre towards a vertex of the other sign), one strict sign
//! everywhere gives none; a sign touching zero is left to the subdivision.
//!
//! This is the structure of the continuum in R. Nau, S. Gomez Canovas and
//! P. Hansen, "On the geometry of Nash equilibria and correlated
//! equilibria", *Int. J. Game Theory* 32 (2004) 443–453, section 5: player
//! 1's and 2's equations factor as `x_{2,L}(1 − 4r)` and `x_{1,T}(1 − 4r)`,
//! which fixes player 3 at `r = 1/4` and leaves player 3's equation
//! `2pq = 3(1 − p)(1 − q)`, a curve. Anything else (a system that does not
//! reduce that far, or a support with off-support strategies, whose
//! inequalities could cut a continuum down to isolated points) is left to
//! the box subdivision (`enumpoly_box.rs`).

use crate::nplayer_util::PayoffTensor;
use detente_game::{format_rational, NormalFormGame, Rational};
use num_traits::{Signed, Zero};

/// A homogeneous multilinear form in the mixtures of the players `axes`
/// (first axis fastest in `coef`).
#[derive(Debug, Clone)]
struct Form {
    axes: Vec<usize>,
    dims: Vec<usize>,
    coef: Vec<Rational>,
}

impl Form {
    /// Stride of axis `t` in `coef`.
    fn inner(&self, t: usize) -> usize {
        self.dims[..t].iter().product()
    }

    /// The form with axis `t` contracted with `w` (`Σ_a w_a slice_a`).
    fn contract(&self, t: usize, w: &[Rational]) -> Form {
        let inner = self.inner(t);
        let n = self.dims[t];
        let outer = self.coef.len() / (inner * n);
        let mut coef = Vec::with_capacity(outer * inner);
        for o in 0..outer {
            for i in 0..inner {
                let mut s = Rational::zero();
                for (a, wa) in w.iter().enumerate() {
                    if !wa.is_zero() {
                        s += wa * &self.coef[(o * n + a) * inner + i];
                    }
                }
                coef.push(s);
            }
        }
        let mut axes = self.axes.clone();
        let mut dims = self.dims.clone();
        axes.remove(t);
        dims.remove(t);
        Form { axes, dims, coef }
    }

    /// The slice of axis `t` at index `a`.
    fn slice(&self, t: usize, a: usize) -> Form {
        let mut w = vec![Rational::zero(); self.dims[t]];
        w[a] = Rational::from_integer(1.into());
        self.contract(t, &w)
    }

    /// Whether every coefficient of the slice `a` of axis `t` is zero, or
    /// (with `b`) whether the slices `a` and `b` are equal.
    fn slice_zero(&self, t: usize, a: usize) -> bool {
        let inner = self.inner(t);
        let n = self.dims[t];
        let outer = self.coef.len() / (inner * n);
        (0..outer).all(|o| (0..inner).all(|i| self.coef[(o * n + a) * inner + i].is_zero()))
    }

    fn slices_equal(&self, t: usize, a: usize, b: usize) -> bool {
        let inner = self.inner(t);
        let n = self.dims[t];
        let outer = self.coef.len() / (inner * n);
        (0..outer).all(|o| {
            (0..inner)
                .all(|i| self.coef[(o * n + a) * inner + i] == self.coef[(o * n + b) * inner + i])
        })
    }

    /// Value at the mixtures `x` (one per axis), in `f64`.
    fn eval(&self, x: &[Vec<f64>]) -> f64 {
        let coef: Vec<f64> = self.coef.iter().map(rat_f64).collect();
        let mut cur = coef;
        for t in (0..self.axes.len()).rev() {
            let inner = self.inner(t);
            let n = self.dims[t];
            let outer = cur.len() / (inner * n);
            let mut next = vec![0.0; outer * inner];
            for o in 0..outer {
                for i in 0..inner {
                    next[o * inner + i] =
                        (0..n).map(|a| cur[(o * n + a) * inner + i] * x[t][a]).sum();
                }
            }
            cur = next;
        }
        cur.first().copied().unwrap_or(0.0)
    }
}

fn rat_f64(r: &Rational) -> f64 {
    detente_game::Scalar::to_f64(r)
}

/// What the reduction concludes about the full support.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reduced {
    /// No solution in the interior (proved exactly).
    Empty,
    /// Every interior solution lies on a continuum; one point of it
    /// (a flat profile over all strategies), and a plain description.
    Continuum { point: Vec<f64>, note: String },
}

/// The reduction of the module documentation on the full support of
/// `game` (`shape[q]` strategies each, flat offsets `offsets`); `None`
/// when it does not conclude (the caller subdivides as usual).
pub(crate) fn reduce_full_support(game: &NormalFormGame, t: &PayoffTensor) -> Option<Reduced> {
    let shape = &t.shape;
    let offsets = &t.offsets;
    let n = shape.len();
    let strides: Vec<usize> = (0..n).map(|j| shape[..j].iter().product()).collect();
    let cells: usize = shape.iter().product();
    // The forms' coefficients (first axis fastest) of player `i`'s
    // equation `a`, as game cells: `(cell at a, cell at 0)`.
    let form_cells = |i: usize, a: usize| -> (Vec<usize>, Vec<usize>) {
        let axes: Vec<usize> = (0..n).filter(|&q| q != i).collect();
        let others = cells / shape[i];
        let mut idx = vec![0usize; axes.len()];
        let mut base = Vec::with_capacity(others);
        for _ in 0..others {
            base.push(axes.iter().zip(&idx).map(|(&q, &s)| s * strides[q]).sum());
            for (k, v) in idx.iter_mut().enumerate() {
                *v += 1;
                if *v < shape[axes[k]] {
                    break;
                }
                *v = 0;
            }
        }
        (base.iter().map(|&b| b + a * strides[i]).collect(), base)
    };
    // Cheap exit for generic games: a reduction needs, in some equation,
    // an axis with a zero slice or two equal slices. Tested first on the
    // rescaled `f64` payoffs with a tolerance (a "maybe" only), then
    // exactly on the rationals below.
    const MAYBE: f64 = 1e-9;
    let mut maybe = false;
    'pre: for i in 0..n {
        for a in 1..shape[i] {
            let (at, at0) = form_cells(i, a);
            let coef: Vec<f64> = at
                .iter()
                .zip(&at0)
                .map(|(&c, &c0)| t.pay[c * n + i] - t.pay[c0 * n + i])
                .collect();
            let mut inner = 1;
            for q in (0..n).filter(|&q| q != i) {
                let m = shape[q];
                let outer = coef.len() / (inner * m);
                let slice_close = |a1: usize, a2: Option<usize>| {
                    (0..outer).all(|o| {
                        (0..inner).all(|k| {
                            let v1 = coef[(o * m + a1) * inner + k];
                            let v2 = a2.map_or(0.0, |b| coef[(o * m + b) * inner + k]);
                            (v1 - v2).abs() <= MAYBE
                        })
                    })
                };
                if (0..m).any(|b| slice_close(b, None)) || (1..m).any(|b| slice_close(0, Some(b))) {
                    maybe = true;
                    break 'pre;
                }
                inner *= m;
            }
        }
    }
    if !maybe {
        return None;
    }
    let mut forms: Vec<Form> = Vec::new();
    for i in 0..n {
        let axes: Vec<usize> = (0..n).filter(|&q| q != i).collect();
        let dims: Vec<usize> = axes.iter().map(|&q| shape[q]).collect();
        for a in 1..shape[i] {
            let (at, at0) = form_cells(i, a);
            let coef = at
                .iter()
                .zip(&at0)
                .map(|(&c, &c0)| game.payoff(c, i) - game.payoff(c0, i))
                .collect();
            forms.push(Form {
                axes: axes.clone(),
                dims: dims.clone(),
                coef,
            });
        }
    }
    let mut pinned: Vec<Option<Vec<Rational>>> = vec![None; n];
    let mut changed = true;
    while changed {
        changed = false;
        let mut k = 0;
        while k < forms.len() {
            // Divide by positive probabilities, drop constant axes.
            let mut t = 0;
            while t < forms[k].axes.len() {
                let f = &forms[k];
                let nz: Vec<usize> = (0..f.dims[t]).filter(|&a| !f.slice_zero(t, a)).collect();
                if nz.is_empty() {
                    // The zero form (dropped below).
                    forms[k] = Form {
                        axes: Vec::new(),
                        dims: Vec::new(),
                        coef: vec![Rational::zero()],
                    };
                    break;
                }
                if nz.len() == 1 {
                    forms[k] = f.slice(t, nz[0]);
                    changed = true;
                    continue;
                }
                if (1..f.dims[t]).all(|b| f.slices_equal(t, 0, b)) {
                    forms[k] = f.slice(t, 0);
                    changed = true;
                    continue;
                }
                t += 1;
            }
            let f = &forms[k];
            if f.axes.is_empty() {
                if !f.coef[0].is_zero() {
                    return Some(Reduced::Empty);
                }
                forms.remove(k);
                changed = true;
                continue;
            }
            if f.axes.len() == 1 && f.dims[0] == 2 {
                let q = f.axes[0];
                let (c0, c1) = (f.coef[0].clone(), f.coef[1].clone());
                if !(c0.is_positive() && c1.is_negative() || c0.is_negative() && c1.is_positive()) {
                    return Some(Reduced::Empty);
                }
                let den = &c0 - &c1;
                let x1 = &c0 / &den;
                let x0 = -&c1 / &den;
                let w = vec![x0, x1];
                forms.remove(k);
                for g in forms.iter_mut() {
                    if let Some(t) = g.axes.iter().position(|&p| p == q) {
                        *g = g.contract(t, &w);
                    }
                }
                pinned[q] = Some(w);
                changed = true;
                continue;
            }
            k += 1;
        }
    }
    let free_unknowns: usize = (0..n)
        .filter(|&q| pinned[q].is_none())
        .map(|q| shape[q] - 1)
        .sum();
    // Mixtures: pinned ones exact, free ones at the centre.
    let mut mix: Vec<Vec<f64>> = (0..n)
        .map(|q| match &pinned[q] {
            Some(w) => w.iter().map(rat_f64).collect(),
            None => vec![1.0 / shape[q] as f64; shape[q]],
        })
        .collect();
    let what = match forms.len() {
        0 if free_unknowns >= 1 => "no equation".to_string(),
        1 if free_unknowns >= 2 => {
            let f = &forms[0];
            let pos = f.coef.iter().any(|c| c.is_positive());
            let neg = f.coef.iter().any(|c| c.is_negative());
            if !(pos && neg) {
                if f.coef.iter().all(|c| !c.is_zero()) {
                    return Some(Reduced::Empty);
                }
                return None;
            }
            let centre: Vec<Vec<f64>> = f.axes.iter().map(|&q| mix[q].clone()).collect();
            let fc = f.eval(&centre);
            if fc != 0.0 {
                // The first vertex of the other sign.
                let want_pos = fc < 0.0;
                let v = f.coef.iter().position(|c| {
                    if want_pos {
                        c.is_positive()
                    } else {
                        c.is_negative()
                    }
                })?;
                let mut vert: Vec<Vec<f64>> = f.dims.iter().map(|&m| vec![0.0; m]).collect();
                let mut rest = v;
                for (t, &m) in f.dims.iter().enumerate() {
                    vert[t][rest % m] = 1.0;
                    rest /= m;
                }
                let at = |s: f64| -> Vec<Vec<f64>> {
                    centre
                        .iter()
                        .zip(&vert)
                        .map(|(c, e)| {
                            c.iter()
                                .zip(e)
                                .map(|(a, b)| (1.0 - s) * a + s * b)
                                .collect()
                        })
                        .collect()
                };
                let (mut lo, mut hi) = (0.0f64, 1.0f64);
                for _ in 0..80 {
                    let mid = 0.5 * (lo + hi);
                    if !(mid > lo && mid < hi) {
                        break;
                    }
                    let fm = f.eval(&at(mid));
                    if fm == 0.0 {
                        lo = mid;
                        hi = mid;
                        break;
                    }
                    if (fm < 0.0) == (fc < 0.0) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let point = at(0.5 * (lo + hi));
                for (t, &q) in f.axes.iter().enumerate() {
                    mix[q] = point[t].clone();
                }
            }
            format!(
                "one equation in {free_unknowns} unknowns (players {})",
                f.axes
                    .iter()
                    .map(|q| (q + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        _ => return None,
    };
    // Every probability must be clearly positive (the caller keeps only
    // interior points); otherwise let the subdivision decide.
    if mix.iter().flatten().any(|&p| !(p > 1e-9 && p.is_finite())) {
        return None;
    }
    let mut point =
        vec![0.0; offsets.last().map_or(0, |&o| o) + shape.last().copied().unwrap_or(0)];
    for q in 0..n {
        let s: f64 = mix[q].iter().sum();
        for (a, &p) in mix[q].iter().enumerate() {
            point[offsets[q] + a] = p / s;
        }
    }
    let fixed: Vec<String> = (0..n)
        .filter_map(|q| {
            pinned[q].as_ref().map(|w| {
                format!(
                    "player {} at ({})",
                    q + 1,
                    w.iter().map(format_rational).collect::<Vec<_>>().join(", ")
                )
            })
        })
        .collect();
    let note = format!(
        "enumpoly: full support: the indifference equations, divided by positive probabilities{}, leave {what}: every equilibrium on this support lies on a continuum (none is isolated); one point is reported",
        if fixed.is_empty() {
            String::new()
        } else {
            format!(", fix {}", fixed.join(" and "))
        }
    );
    Some(Reduced::Continuum { point, note })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::nplayer_util::tests::{game, mckelvey_mclennan};

    /// Nau et al. (2004), section 5: a 2×2×2 game with a curve of
    /// equilibria.
    pub(crate) fn nau_sec5() -> NormalFormGame {
        // Cells with player 1 fastest: (T,L,1) (B,L,1) (T,R,1) (B,R,1)
        // (T,L,2) (B,L,2) (T,R,2) (B,R,2).
        let cells = [
            [0, 0, 2],
            [3, 0, 0],
            [0, 3, 0],
            [0, 0, 0],
            [1, 1, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 3],
        ];
        let tables: Vec<Vec<i64>> = (0..3)
            .map(|p| cells.iter().map(|c| c[p]).collect())
            .collect();
        game(&[2, 2, 2], &tables)
    }

    #[test]
    fn nau_section5_curve_is_recognised() {
        let g = nau_sec5();
        match reduce_full_support(&g, &PayoffTensor::new(&g)) {
            Some(Reduced::Continuum { point, note }) => {
                // Player 3 fixed at r = 1/4; the point on 2pq = 3(1-p)(1-q).
                assert_eq!(point[4], 0.25);
                let (p, q) = (point[0], point[2]);
                assert!((2.0 * p * q - 3.0 * (1.0 - p) * (1.0 - q)).abs() < 1e-14);
                assert!(p > 0.0 && p < 1.0 && q > 0.0 && q < 1.0);
                assert!(note.contains("player 3 at (1/4, 3/4)"), "{note}");
                assert!(note.contains("continuum"), "{note}");
            }
            other => panic!("expected a continuum, got {other:?}"),
        }
    }

    #[test]
    fn generic_games_are_left_to_subdivision() {
        let g = mckelvey_mclennan();
        assert_eq!(reduce_full_support(&g, &PayoffTensor::new(&g)), None);
    }

    #[test]
    fn a_constant_equation_proves_the_support_empty() {
        // Player 1's second strategy earns 1 more than its first against
        // every profile: its equation is the constant 1.
        let tables: Vec<Vec<i64>> = vec![
            (0..8).map(|c| (c % 2) as i64).collect(),
            (0..8).map(|c| (c * 7 % 5) as i64).collect(),
            (0..8).map(|c| (c * 3 % 4) as i64).collect(),
        ];
        let g = game(&[2, 2, 2], &tables);
        assert_eq!(
            reduce_full_support(&g, &PayoffTensor::new(&g)),
            Some(Reduced::Empty)
        );
    }
}
