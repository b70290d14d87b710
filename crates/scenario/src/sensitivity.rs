//! Which inputs a claim depends on, and where it flips.
//!
//! Two complementary measures per (claim, uncertain input):
//! - **importance**, from the Monte Carlo draws: the probability that the
//!   claim holds when the input is above its point estimate minus the
//!   probability when it is at or below it (a signed, model-free measure:
//!   positive when raising the input makes the claim likelier);
//! - **flips_at**, one input at a time from the point estimate (every other
//!   input at its point value): the value nearest to the point estimate, within
//!   the input's range, at which the claim's verdict changes, found by a
//!   grid scan and bisection. `None` when it never flips in the range.

use crate::model::Scenario;
use crate::montecarlo::{evaluate_all, Layout, McRun};

/// Grid points scanned over an input's range.
const GRID: usize = 40;
/// Bisection steps after the grid (range / 2^40: far below any printed digit).
const BISECT: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub input: usize,
    /// P(claim | input above its point estimate) - P(claim | at or below).
    pub importance: f64,
    pub flips_at: Option<f64>,
    /// The input's point estimate.
    pub point: f64,
}

/// The claims' verdicts at the point estimates with one input set to `x`.
fn verdicts_with(
    s: &Scenario,
    base: &[f64],
    input: usize,
    x: f64,
    scratch: &mut Vec<f64>,
) -> Vec<bool> {
    let mut v = base.to_vec();
    v[input] = x;
    evaluate_all(s, &v, scratch).1
}

/// Sensitivities of every claim (outer index: claim), ranked by the size of
/// the importance, then by whether the claim flips in range; at most
/// `keep` per claim, and only inputs that matter (importance of at least
/// 0.005 or a flip within range).
pub fn sensitivities(s: &Scenario, run: &McRun, keep: usize) -> Vec<Vec<Sensitivity>> {
    let point = s.point_values();
    let mut scratch = Vec::new();
    let at_point = evaluate_all(s, &point, &mut scratch).1;
    let nclaims = s.claims.len();
    let layout = Layout::new(s);
    let mut per_claim: Vec<Vec<Sensitivity>> = vec![Vec::new(); nclaims];
    for (k, input) in s.inputs.iter().enumerate() {
        if !input.dist.is_uncertain() {
            continue;
        }
        let importance = importance(run, &layout, k);
        let (lo, hi) = input.dist.support();
        let p0 = point[k];
        // Grid scan, all claims at once.
        let grid: Vec<f64> = (0..=GRID)
            .map(|g| lo + (hi - lo) * g as f64 / GRID as f64)
            .collect();
        let verdicts: Vec<Vec<bool>> = grid
            .iter()
            .map(|&x| verdicts_with(s, &point, k, x, &mut scratch))
            .collect();
        for c in 0..nclaims {
            let truth = at_point[c];
            // The flip nearest to the point estimate.
            let mut best: Option<(f64, f64)> = None; // (distance, grid x)
            for (g, x) in grid.iter().enumerate() {
                if verdicts[g][c] != truth {
                    let d = (x - p0).abs();
                    if best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, *x));
                    }
                }
            }
            let flips_at = best.map(|(_, far)| {
                // Bisect between the point (verdict = truth) and `far`.
                let (mut a, mut b) = (p0, far);
                for _ in 0..BISECT {
                    let m = (a + b) / 2.0;
                    if verdicts_with(s, &point, k, m, &mut scratch)[c] == truth {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                b
            });
            let imp = importance[c];
            if imp.abs() >= 0.005 || flips_at.is_some() {
                per_claim[c].push(Sensitivity {
                    input: k,
                    importance: imp,
                    flips_at,
                    point: p0,
                });
            }
        }
    }
    for list in &mut per_claim {
        list.sort_by(|a, b| {
            b.importance
                .abs()
                .total_cmp(&a.importance.abs())
                .then(b.flips_at.is_some().cmp(&a.flips_at.is_some()))
                .then(a.input.cmp(&b.input))
        });
        list.truncate(keep);
    }
    per_claim
}

/// Per claim: P(holds | input above its point estimate) - P(holds | at or
/// below), from the run's counts (0 where either side has no draws).
fn importance(run: &McRun, layout: &Layout, input: usize) -> Vec<f64> {
    let Some(u) = layout.uncertain.iter().position(|&k| k == input) else {
        return vec![0.0; layout.nclaims];
    };
    (0..layout.nclaims)
        .map(|c| {
            let [hi_true, hi, lo_true, lo] = run.importance[u * layout.nclaims + c];
            if hi == 0 || lo == 0 {
                0.0
            } else {
                hi_true as f64 / hi as f64 - lo_true as f64 / lo as f64
            }
        })
        .collect()
}
