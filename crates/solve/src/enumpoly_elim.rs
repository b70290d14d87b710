//! Linear elimination of one player's block in a box of `enumpoly`'s
//! subdivision: a contractor that narrows each player's probabilities to
//! those the other players' conditions allow, given the box in the other
//! unknowns.
//!
//! On a support profile, player `i`'s equations `f_{i,r}(y) = 0` and
//! best-response inequalities `g_{i,c}(y) ≤ 0` (`enumpoly_box.rs`) do not
//! depend on `i`'s own block and are **affine in every other player's
//! block**. Fix a player `e ≠ i` and write `y_e = lo_e + t` (`t ≥ 0` in the
//! box): each row of `i` is `A(z) + Σ_k c_k(z) t_k`, where `z` are the
//! unknowns of the players other than `i` and `e`, and `A` (the row at
//! `y_e = lo_e`) and every coefficient `c_k` are multi-affine in `z`, so
//! their exact ranges over the box are the ranges of their values at the
//! box's corners. With `t ≥ 0`, every point of the box where the row
//! vanishes satisfies `A_lo + Σ c_k^lo t_k ≤ 0 ≤ A_hi + Σ c_k^hi t_k` (the
//! characterisation of W. Oettli and W. Prager, "Compatibility of
//! approximate solution of linear equations with given error bounds for
//! coefficients and right-hand sides", *Numer. Math.* 6 (1964) 405–409, for
//! nonnegative unknowns), and where an inequality holds, the first half.
//! These linear constraints on `t` — from every row of every other player,
//! plus `Σ_k y_{e,k} ≤ 1 + MARGIN` — bound `y_e` by propagation (each
//! constraint solved for one variable against the others' box ranges,
//! repeated while it narrows), and an infeasible constraint excludes the
//! box. This is the elimination of `y_e` by the linear solve of the others'
//! equations, in a form that cannot lose solutions: where that linear
//! system is singular or ill-conditioned over the box, the constraints are
//! merely weak and the box is subdivided in all its unknowns as before;
//! where it is regular, `y_e` is pinned by the rest of the box, so the
//! subdivision effectively runs over the remaining `d − d_e` unknowns (the
//! split rule of `enumpoly_box.rs` picks the sides where the equations vary
//! most, which are no longer `e`'s). Every player's block is contracted in
//! turn, each with the box already narrowed by the previous ones
//! (constraint propagation, as in interval branch-and-prune solvers: F.
//! Benhamou, D. McAllester and P. Van Hentenryck, "CLP(Intervals)
//! revisited", *Proc. ILPS* 1994, 124–138).
//!
//! Measured (`bench/nplayer/README.md`, "enumpoly (sixth session)"): on
//! the 4-player random games it removes 30–60% of the boxes but each box
//! costs more than the boxes saved, so `enumpoly` runs it only when asked
//! (`EnumpolyOptions::elimination`).
//!
//! Soundness: every computed range is widened by the rounding allowance of
//! `enumpoly_box.rs` (`ROUND`, payoffs rescaled to `[0, 1]`), each
//! propagated bound by a relative and an absolute allowance, so rounding
//! can only keep a point of the box, never remove a solution.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players, rows and variables.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::enumpoly_box::{corner_values, Axes, SupportSystem, MARGIN, ROUND};

/// Most passes of constraint propagation over one player's constraints.
const PASSES: usize = 4;

/// A propagated bound counts as progress when it narrows the variable by
/// more than this fraction of its width.
const PROGRESS: f64 = 0.05;

/// Buffers reused across boxes.
#[derive(Debug, Default)]
pub(crate) struct ElimWork {
    bufs: [Vec<f64>; 2],
    /// Ranges `(lo, hi)` of the coefficients of one player's rows.
    crange: Vec<(f64, f64)>,
    /// Constraints `Σ_k a_k t_k ≤ b`, each `d_e` coefficients then `b`.
    cons: Vec<f64>,
    tlo: Vec<f64>,
    thi: Vec<f64>,
}

/// The min and max of a nonempty slice (`(inf, -inf)` when empty).
fn range(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

/// The linear constraints on `t = y_e − lo_e` from the rows of every player
/// but `e` over the box `[lo, hi]` (module documentation), into `w.cons`.
fn constraints_for(sys: &SupportSystem, e: usize, lo: &[f64], hi: &[f64], w: &mut ElimWork) {
    let de = sys.m[e] - 1;
    w.cons.clear();
    for i in 0..sys.n {
        if i == e {
            continue;
        }
        let pr = &sys.players[i];
        if pr.nrows == 0 {
            continue;
        }
        let Some(te) = pr.others.iter().position(|&q| q == e) else {
            continue;
        };
        // Coefficient of `y_{e,k}` in each row, at the corners of the
        // remaining axes.
        let c = corner_values(
            &pr.zgrad[te],
            pr.nrows * de,
            Axes {
                dims: &pr.dims,
                vars: &pr.vars,
                skip: Some(te),
                fixed: None,
            },
            lo,
            hi,
            &mut w.bufs,
        );
        let cc = c.len() / (pr.nrows * de);
        w.crange.clear();
        for rk in 0..pr.nrows * de {
            let (a, b) = range(&c[rk * cc..(rk + 1) * cc]);
            w.crange.push((a - ROUND, b + ROUND));
        }
        // Each row at `y_e = lo_e`, at the same corners.
        let a = corner_values(
            &pr.zval,
            pr.nrows,
            Axes {
                dims: &pr.dims,
                vars: &pr.vars,
                skip: None,
                fixed: Some(te),
            },
            lo,
            hi,
            &mut w.bufs,
        );
        for r in 0..pr.nrows {
            let (amin, amax) = range(&a[r * cc..(r + 1) * cc]);
            // A_lo + Σ c_lo t ≤ 0.
            for k in 0..de {
                w.cons.push(w.crange[r * de + k].0);
            }
            w.cons.push(-(amin - ROUND));
            if r < pr.neq {
                // −A_hi − Σ c_hi t ≤ 0.
                for k in 0..de {
                    w.cons.push(-w.crange[r * de + k].1);
                }
                w.cons.push(amax + ROUND);
            }
        }
    }
    // The first probability of `e` is at least `−MARGIN`.
    let s: f64 = lo[sys.voff[e]..sys.voff[e] + de].iter().sum();
    w.cons.extend(std::iter::repeat_n(1.0, de));
    w.cons.push(1.0 + MARGIN - s);
}

/// Propagates the constraints `w.cons` (`Σ a_k t_k ≤ b`) on the box
/// `[w.tlo, w.thi]`; `false` when one of them has no solution in it.
fn propagate(de: usize, w: &mut ElimWork) -> bool {
    let stride = de + 1;
    let ncons = w.cons.len() / stride;
    for _ in 0..PASSES {
        let mut progress = false;
        for c in 0..ncons {
            let row = &w.cons[c * stride..(c + 1) * stride];
            let b = row[de];
            let mut total = 0.0;
            let mut scale = b.abs();
            for k in 0..de {
                let (p, q) = (row[k] * w.tlo[k], row[k] * w.thi[k]);
                total += p.min(q);
                scale += p.abs().max(q.abs());
            }
            if !total.is_finite() || !b.is_finite() {
                continue;
            }
            // Rounding of the sums above (a few operations on numbers
            // below `scale`).
            let slack = 16.0 * f64::EPSILON * scale + 1e-300;
            if total > b + slack {
                return false;
            }
            for k in 0..de {
                let a = row[k];
                if a.abs() < 1e-9 {
                    continue;
                }
                let own = (a * w.tlo[k]).min(a * w.thi[k]);
                let rest = total - own;
                let q = (b + slack - rest) / a;
                let allowance = 4.0 * f64::EPSILON * q.abs() + 1e-15;
                let width = w.thi[k] - w.tlo[k];
                if a > 0.0 {
                    let bound = q + allowance;
                    if bound < w.thi[k] {
                        if bound < w.tlo[k] {
                            return false;
                        }
                        progress |= w.thi[k] - bound > PROGRESS * width;
                        w.thi[k] = bound;
                    }
                } else {
                    let bound = q - allowance;
                    if bound > w.tlo[k] {
                        if bound > w.thi[k] {
                            return false;
                        }
                        progress |= bound - w.tlo[k] > PROGRESS * width;
                        w.tlo[k] = bound;
                    }
                }
            }
        }
        if !progress {
            break;
        }
    }
    true
}

/// Narrows every player's block of the box `[lo, hi]` to the points where
/// the other players' equations and inequalities can hold (module
/// documentation); `false` when the box holds no solution of the support's
/// conditions (equations and best-response inequalities).
pub(crate) fn contract(
    sys: &SupportSystem,
    lo: &mut [f64],
    hi: &mut [f64],
    w: &mut ElimWork,
) -> bool {
    for e in 0..sys.n {
        let de = sys.m[e].saturating_sub(1);
        if de == 0 {
            continue;
        }
        let ve = sys.voff[e];
        constraints_for(sys, e, lo, hi, w);
        w.tlo.clear();
        w.thi.clear();
        for k in 0..de {
            w.tlo.push(0.0);
            w.thi.push(hi[ve + k] - lo[ve + k]);
        }
        if !propagate(de, w) {
            return false;
        }
        for k in 0..de {
            let base = lo[ve + k];
            let nl = base + w.tlo[k];
            let nh = base + w.thi[k];
            // Outward rounding of the sums.
            let pad = 2.0 * f64::EPSILON * (nl.abs().max(nh.abs()) + 1.0);
            let nl = (nl - pad).max(lo[ve + k]);
            let nh = (nh + pad).min(hi[ve + k]);
            if nl > nh {
                return false;
            }
            lo[ve + k] = nl;
            hi[ve + k] = nh;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::tests::game;
    use crate::nplayer_util::PayoffTensor;

    fn full_support(t: &PayoffTensor) -> Vec<Vec<usize>> {
        (0..t.n)
            .map(|j| (0..t.shape[j]).map(|h| t.offsets[j] + h).collect())
            .collect()
    }

    #[test]
    fn contraction_keeps_the_root_and_pins_the_eliminated_block() {
        // McKelvey and McLennan's 2×2×2 game with two totally mixed
        // equilibria (`nplayer_util`'s test game): around each, the
        // contracted box still holds it, and in small boxes the contractor
        // narrows the unknowns well below the box width.
        let g = crate::nplayer_util::tests::mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let sys = SupportSystem::new(&t, &full_support(&t));
        let res = crate::enumpoly::enumpoly(&g, &Default::default()).unwrap_or_default();
        let mixed: Vec<Vec<f64>> = res
            .equilibria
            .iter()
            .filter(|e| e.profile.iter().flatten().all(|&p| p > 0.0))
            .map(|e| e.profile.iter().map(|b| b[1]).collect())
            .collect();
        assert_eq!(mixed.len(), 2);
        let mut w = ElimWork::default();
        for y in &mixed {
            for r in [0.2, 0.01, 1e-5] {
                let mut lo: Vec<f64> = y.iter().map(|v| v - r).collect();
                let mut hi: Vec<f64> = y.iter().map(|v| v + r).collect();
                assert!(contract(&sys, &mut lo, &mut hi, &mut w), "{y:?} {r}");
                for i in 0..3 {
                    assert!(lo[i] <= y[i] && y[i] <= hi[i], "{y:?} {r} {lo:?} {hi:?}");
                }
            }
            // Player 3's block fixed: the others' equations pin theirs
            // (player 2's pins player 1's only once player 2's own block is
            // narrow, hence two passes, as `solve_support` repeats them).
            let r = 1e-3;
            let mut lo: Vec<f64> = y.iter().map(|v| v - r).collect();
            let mut hi: Vec<f64> = y.iter().map(|v| v + r).collect();
            lo[2] = y[2];
            hi[2] = y[2];
            assert!(contract(&sys, &mut lo, &mut hi, &mut w));
            assert!(contract(&sys, &mut lo, &mut hi, &mut w));
            assert!((0..3).all(|i| lo[i] <= y[i] && y[i] <= hi[i]));
            assert!(
                hi[0] - lo[0] < 0.5 * r && hi[1] - lo[1] < 0.5 * r,
                "{lo:?} {hi:?}"
            );
        }
    }

    #[test]
    fn boxes_without_solutions_are_excluded() {
        // Matching pennies for three: player 2 copies player 1, player 3
        // copies player 2, player 1 wants to differ from player 3. The only
        // equilibrium is (1/2, 1/2, 1/2); a box far from it is excluded, and
        // random boxes are excluded only when they hold no root.
        let g = game(
            &[2, 2, 2],
            &[
                vec![0, 1, 0, 1, 1, 0, 1, 0],
                vec![1, 0, 0, 1, 1, 0, 0, 1],
                vec![1, 1, 0, 0, 0, 0, 1, 1],
            ],
        );
        let t = PayoffTensor::new(&g);
        let sys = SupportSystem::new(&t, &full_support(&t));
        let mut w = ElimWork::default();
        let mut lo = vec![0.6, 0.0, 0.0];
        let mut hi = vec![0.9, 1.0, 1.0];
        assert!(!contract(&sys, &mut lo, &mut hi, &mut w));
        let mut rng = crate::nplayer_util::SplitMix64::new(5);
        for _ in 0..500 {
            let mut lo = vec![0.0; 3];
            let mut hi = vec![0.0; 3];
            for i in 0..3 {
                let a = rng.next_f64();
                let b = rng.next_f64();
                lo[i] = a.min(b);
                hi[i] = a.max(b);
            }
            let holds = (0..3).all(|i| lo[i] <= 0.5 && 0.5 <= hi[i]);
            let kept = contract(&sys, &mut lo, &mut hi, &mut w);
            if holds {
                assert!(kept && (0..3).all(|i| lo[i] <= 0.5 && 0.5 <= hi[i]));
            }
        }
    }
}
