//! Simplicial subdivision with restarts for n-player games.
//!
//! The variable-dimension restart algorithm of G. van der Laan, A. J. J.
//! Talman and L. van der Heyden, "Simplicial variable dimension algorithms
//! for solving the nonlinear complementarity problem on a product of unit
//! simplices using a general labelling", *Mathematics of Operations
//! Research* 12 (1987) 377–397, as Gambit's `gambit-simpdiv` uses it.
//!
//! From a start `v` in the interior of the product of simplices, the
//! regions `A(T) = {v + Σ_{(j,h)∈T} λ_{jh} (e_{jh} − v_j) : λ ≥ 0}` (one for
//! each set `T` of strategies that is a proper subset for every player)
//! cover the strategy space; each is triangulated by Freudenthal's
//! triangulation of the `λ`-orthant with mesh `1/m`. A point `x` is
//! labelled with the strategy `(j, h)` of largest regret
//! `u_j(h, x_{−j}) − u_j(x)` (ties: the first). Complementary pivoting
//! follows `T`-complete simplices from the 0-simplex `{v}`, raising the
//! dimension when a new label appears and lowering it when a facet
//! `λ_{jh} = 0` is reached. It ends when a simplex carries all labels of one
//! player (then every regret is within `O(1/m)` of zero, since
//! `Σ_h x_{jh} z_{jh} = 0`) or touches the boundary of the strategy space
//! (where the same argument applies to the support). The best vertex is the
//! start of the next run on a grid `refine` times finer; after every run a
//! Newton step on the support tries to turn the approximation into an
//! equilibrium with max regret `≤ max_regret × payoff range`, which is then
//! verified independently.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::{Budget, Meter};
use crate::equilibrium::SolveError;
use crate::nplayer_util::{refine_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64};
use detente_game::NormalFormGame;
use std::cell::RefCell;

/// Options of [`simpdiv`].
#[derive(Debug, Clone, PartialEq)]
pub struct SimpdivOptions {
    /// Start profiles; empty means Gambit's CLI default, "every player plays
    /// strategy 1" (moved slightly into the interior, as the algorithm
    /// needs an interior start).
    pub starts: Vec<Vec<Vec<f64>>>,
    /// Additional random starts (uniform on the strategy space).
    pub random_starts: usize,
    /// Seed of the random starts.
    pub seed: u64,
    /// Grid refinement factor between restarts (Gambit's `-g`, at least 2).
    pub refine: u32,
    /// Mesh of the first grid: steps of `1 / initial_grid`.
    pub initial_grid: u32,
    /// Acceptance tolerance: max regret relative to the payoff range.
    pub max_regret: f64,
    /// Pivot and time budget (shared by all starts).
    pub budget: Budget,
}

impl Default for SimpdivOptions {
    fn default() -> Self {
        SimpdivOptions {
            starts: Vec::new(),
            random_starts: 0,
            seed: 0,
            refine: 2,
            initial_grid: 4,
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            budget: Budget::default(),
        }
    }
}

/// How one run on a fixed grid ended.
#[derive(Debug, Clone, PartialEq)]
enum RunEnd {
    /// A simplex carries every label of one player.
    Complete,
    /// The path reached the boundary of the strategy space.
    Boundary,
    /// The budget ran out.
    Budget,
    /// The path came back to the start (cannot happen in exact arithmetic).
    Failed,
}

struct Run<'a> {
    t: &'a PayoffTensor,
    v: Vec<f64>,
    m: i64,
    owner: Vec<usize>,
    /// Buffers of the labelling (point and strategy values): a label costs
    /// one pass over the payoff table and no allocation.
    scratch: RefCell<(Vec<f64>, Vec<f64>)>,
}

impl Run<'_> {
    fn point(&self, lam: &[i64]) -> Vec<f64> {
        let mut x = vec![0.0; self.t.k];
        self.point_into(lam, &mut x);
        x
    }

    fn point_into(&self, lam: &[i64], x: &mut [f64]) {
        let t = self.t;
        let mf = self.m as f64;
        for j in 0..t.n {
            let o = t.offsets[j];
            let s = t.shape[j];
            let total: i64 = lam[o..o + s].iter().sum();
            let rest = 1.0 - total as f64 / mf;
            for h in 0..s {
                x[o + h] = self.v[o + h] * rest + lam[o + h] as f64 / mf;
            }
        }
    }

    fn feasible(&self, lam: &[i64]) -> bool {
        let t = self.t;
        (0..t.n).all(|j| {
            let o = t.offsets[j];
            lam[o..o + t.shape[j]].iter().sum::<i64>() <= self.m
        })
    }

    fn label(&self, lam: &[i64]) -> usize {
        let t = self.t;
        let mut scratch = self.scratch.borrow_mut();
        let (x, vals) = &mut *scratch;
        self.point_into(lam, x);
        t.values_into(x, vals);
        let mut best = 0;
        let mut best_z = f64::NEG_INFINITY;
        for j in 0..t.n {
            let o = t.offsets[j];
            let s = t.shape[j];
            let pay: f64 = (o..o + s).map(|a| x[a] * vals[a]).sum();
            for a in o..o + s {
                let z = vals[a] - pay;
                if z > best_z {
                    best_z = z;
                    best = a;
                }
            }
        }
        best
    }

    fn vertex(base: &[i64], pi: &[usize], i: usize) -> Vec<i64> {
        let mut y = base.to_vec();
        for &a in &pi[..i] {
            y[a] += 1;
        }
        y
    }

    /// Follows the path; returns how it ended and the final simplex's
    /// vertices (as points).
    fn follow(&self, meter: &mut Meter) -> (RunEnd, Vec<Vec<f64>>) {
        let t = self.t;
        let k = t.k;
        let mut in_t = vec![false; k];
        let mut count = vec![0usize; t.n];
        let mut base = vec![0i64; k];
        let mut pi: Vec<usize> = Vec::new();
        let mut labels = vec![self.label(&base)];
        // Pending action: a vertex with a fresh label (`Some(index)`), or a
        // vertex to remove.
        enum Step {
            Fresh(usize),
            Remove(usize),
        }
        let mut step = Step::Fresh(0);
        let points = |base: &[i64], pi: &[usize]| -> Vec<Vec<f64>> {
            (0..=pi.len())
                .map(|i| self.point(&Self::vertex(base, pi, i)))
                .collect()
        };
        loop {
            if !meter.tick() {
                return (RunEnd::Budget, points(&base, &pi));
            }
            match step {
                Step::Fresh(newest) => {
                    let l = labels[newest];
                    if !in_t[l] {
                        let j = self.owner[l];
                        if count[j] + 1 == t.shape[j] {
                            return (RunEnd::Complete, points(&base, &pi));
                        }
                        // Raise the dimension.
                        in_t[l] = true;
                        count[j] += 1;
                        pi.push(l);
                        let y = Self::vertex(&base, &pi, pi.len());
                        if !self.feasible(&y) {
                            pi.pop();
                            return (RunEnd::Boundary, points(&base, &pi));
                        }
                        labels.push(self.label(&y));
                        step = Step::Fresh(labels.len() - 1);
                    } else {
                        match (0..labels.len()).find(|&i| i != newest && labels[i] == l) {
                            Some(i) => step = Step::Remove(i),
                            None => return (RunEnd::Failed, points(&base, &pi)),
                        }
                    }
                }
                Step::Remove(i) => {
                    let dim = pi.len();
                    if dim == 0 {
                        return (RunEnd::Failed, points(&base, &pi));
                    }
                    if i == 0 {
                        let mut nb = base.clone();
                        nb[pi[0]] += 1;
                        let mut npi = pi.clone();
                        npi.rotate_left(1);
                        let y = Self::vertex(&nb, &npi, dim);
                        if !self.feasible(&y) {
                            return (RunEnd::Boundary, points(&base, &pi));
                        }
                        base = nb;
                        pi = npi;
                        labels.remove(0);
                        labels.push(self.label(&y));
                        step = Step::Fresh(dim);
                    } else if i == dim {
                        let last = pi[dim - 1];
                        if base[last] == 0 {
                            // The facet lies on λ_last = 0: lower the
                            // dimension and drop the vertex labelled `last`.
                            pi.pop();
                            labels.pop();
                            in_t[last] = false;
                            count[self.owner[last]] -= 1;
                            match labels.iter().position(|&x| x == last) {
                                Some(r) if !pi.is_empty() => step = Step::Remove(r),
                                _ => return (RunEnd::Failed, points(&base, &pi)),
                            }
                        } else {
                            base[last] -= 1;
                            pi.rotate_right(1);
                            labels.pop();
                            labels.insert(0, self.label(&base));
                            step = Step::Fresh(0);
                        }
                    } else {
                        pi.swap(i - 1, i);
                        let y = Self::vertex(&base, &pi, i);
                        if !self.feasible(&y) {
                            pi.swap(i - 1, i);
                            return (RunEnd::Boundary, points(&base, &pi));
                        }
                        labels[i] = self.label(&y);
                        step = Step::Fresh(i);
                    }
                }
            }
        }
    }
}

/// Moves `x` into the interior: `(1 − δ) x + δ · centroid`.
fn interior(t: &PayoffTensor, x: &[f64], delta: f64) -> Vec<f64> {
    let c = t.centroid();
    x.iter()
        .zip(&c)
        .map(|(a, b)| (1.0 - delta) * a + delta * b)
        .collect()
}

/// Runs simplicial subdivision with restarts from one start; returns a
/// verified-ready refined profile, or `None` with a note.
fn solve_from(
    t: &PayoffTensor,
    start: &[f64],
    opts: &SimpdivOptions,
    meter: &mut Meter,
    notes: &mut Vec<String>,
) -> Option<Vec<f64>> {
    let owner: Vec<usize> = (0..t.k).map(|a| t.owner(a)).collect();
    let mut m = i64::from(opts.initial_grid.max(1));
    let refine = i64::from(opts.refine.max(2));
    let mut v = interior(t, start, 1.0 / (8.0 * m as f64));
    let mut best_regret = f64::INFINITY;
    for _round in 0..60 {
        let run = Run {
            t,
            v: v.clone(),
            m,
            owner: owner.clone(),
            scratch: RefCell::new((vec![0.0; t.k], vec![0.0; t.k])),
        };
        let (end, pts) = run.follow(meter);
        let mut best: Option<(f64, Vec<f64>)> = None;
        for p in pts {
            let r = t.max_regret(&p);
            if best.as_ref().is_none_or(|(br, _)| r < *br) {
                best = Some((r, p));
            }
        }
        let (r, x) = best?;
        best_regret = best_regret.min(r);
        if r <= 0.25 {
            if let Some(y) = refine_on_support(t, &x, opts.max_regret) {
                return Some(y);
            }
        }
        match end {
            RunEnd::Budget => {
                notes.push(format!(
                    "simpdiv: budget exhausted on the grid of mesh 1/{m} (best max regret {:.3e} of the payoff range)",
                    best_regret
                ));
                return None;
            }
            RunEnd::Failed => {
                notes.push(format!(
                    "simpdiv: the path returned to its start on the grid of mesh 1/{m} (rounding); restarting from the best vertex"
                ));
            }
            RunEnd::Complete | RunEnd::Boundary => {}
        }
        m = match m.checked_mul(refine) {
            Some(v) if v <= 1 << 40 => v,
            _ => break,
        };
        v = interior(t, &x, 1.0 / (8.0 * m as f64));
    }
    notes.push(format!(
        "simpdiv: no verified equilibrium after refining to mesh 1/{m} (best max regret {:.3e} of the payoff range)",
        best_regret
    ));
    None
}

/// Simplicial subdivision from each start (default: every player's first
/// strategy); one verified equilibrium per successful start, duplicates
/// removed.
pub fn simpdiv(game: &NormalFormGame, opts: &SimpdivOptions) -> Result<NplayerResult, SolveError> {
    if !(opts.max_regret >= 0.0) {
        return Err(SolveError::NotApplicable(
            "simpdiv: max_regret must be a nonnegative number".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    let mut starts: Vec<Vec<f64>> = Vec::new();
    for s in &opts.starts {
        starts.push(t.flatten(s)?);
    }
    if opts.starts.is_empty() {
        let mut x = vec![0.0; t.k];
        for j in 0..t.n {
            x[t.offsets[j]] = 1.0;
        }
        starts.push(x);
    }
    let mut rng = SplitMix64::new(opts.seed);
    for _ in 0..opts.random_starts {
        starts.push(rng.profile(&t));
    }
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut notes = Vec::new();
    let mut all_ok = true;
    for (i, s) in starts.iter().enumerate() {
        match solve_from(&t, s, opts, &mut meter, &mut notes) {
            Some(y) => {
                if !coll.offer(&y, true) {
                    all_ok = false;
                    notes.push(format!(
                        "simpdiv: start {}: the result failed the independent regret check and was dropped",
                        i + 1
                    ));
                }
            }
            None => all_ok = false,
        }
        if meter.exhausted() {
            break;
        }
    }
    coll.result.notes.extend(notes);
    coll.result.budget_exhausted = meter.exhausted();
    coll.result.complete = all_ok && !meter.exhausted();
    if meter.exhausted() {
        coll.note(format!("simpdiv: {}", meter.describe()));
    }
    Ok(coll.result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    fn check(res: &NplayerResult, game: &NormalFormGame) {
        assert!(!res.equilibria.is_empty(), "notes: {:?}", res.notes);
        let (lo, hi) = game.payoff_range();
        let range =
            (detente_game::Scalar::to_f64(&hi) - detente_game::Scalar::to_f64(&lo)).max(1.0);
        for e in &res.equilibria {
            assert!(independent_max_regret(game, &e.profile) <= 1e-9 * range);
        }
    }

    #[test]
    fn matching_pennies_mixed() {
        let g = matching_pennies();
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
        assert!((res.equilibria[0].profile[0][0] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn mckelvey_mclennan_from_many_starts() {
        let g = mckelvey_mclennan();
        let opts = SimpdivOptions {
            random_starts: 10,
            seed: 5,
            ..Default::default()
        };
        let res = simpdiv(&g, &opts).unwrap_or_default();
        check(&res, &g);
        assert!(res.complete, "{:?}", res.notes);
    }

    #[test]
    fn trivial_games() {
        // One player.
        let g = game(&[3], &[vec![1, 5, 2]]);
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
        assert_eq!(res.equilibria[0].profile[0], vec![0.0, 1.0, 0.0]);
        // One strategy each.
        let g = game(&[1, 1, 1], &[vec![1], vec![2], vec![3]]);
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
        // All payoffs equal.
        let g = game(&[2, 2, 2], &[vec![0; 8], vec![0; 8], vec![0; 8]]);
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
    }

    #[test]
    fn bad_start_is_an_error() {
        let g = matching_pennies();
        let opts = SimpdivOptions {
            starts: vec![vec![vec![1.0, 0.0]]],
            ..Default::default()
        };
        assert!(simpdiv(&g, &opts).is_err());
    }
}
