//! Shared machinery of the n-player floating-point methods.
//!
//! - [`PayoffTensor`]: the payoff table in `f64`, rescaled to `[0, 1]`
//!   (`(u - min) / (max - min)`), with the strategy values
//!   `u_j(h, x_{-j})` of a mixed profile and their derivatives
//!   `∂u_j(h, x_{-j}) / ∂x_{q,t}` (the pair table) for any number of players.
//! - [`refine_on_support`]: Newton's method on the indifference equations
//!   of a support (Levenberg–Marquardt steps where the Jacobian is
//!   singular, e.g. on a continuum of equilibria), the final polish every
//!   method applies before verification.
//! - [`independent_max_regret`]: the regret of a profile recomputed from the
//!   game's exact payoffs by separate code, used to accept or reject every
//!   result ([`Collector`]).
//! - [`NplayerResult`]: the result type shared by all n-player methods.
//! - A predictor–corrector path tracer ([`trace_path`]) used by the logit
//!   method (the global Newton method follows its piecewise path cell by
//!   cell, `gnm_trace`), and a small seeded random generator.
//!
//! Profiles are handled internally as flat vectors: player `j`'s strategy
//! `h` is entry `offsets[j] + h`.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::Meter;
use crate::equilibrium::{Equilibrium, SolveError};
use crate::payoff_terms::PayoffTerms;
use detente_game::NormalFormGame;
use std::sync::Arc;

/// Default acceptance tolerance: max regret relative to the payoff range.
pub const DEFAULT_REGRET_TOL: f64 = 1e-9;

/// Largest number of strategies (all players together) the Jacobian-based
/// methods accept; the pair table has this many squared entries.
pub const MAX_TOTAL_STRATEGIES: usize = 3000;

/// What an n-player method returns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NplayerResult {
    /// Verified equilibria (max regret within the tolerance), distinct.
    pub equilibria: Vec<Equilibrium<f64>>,
    /// Independently recomputed max regret of each equilibrium, in payoff
    /// units of the game (not rescaled).
    pub max_regret: Vec<f64>,
    /// Verified equilibria that are not isolated (singular Jacobian of the
    /// support's indifference system): one representative point of each
    /// continuum met on a support. Only `enumpoly` fills this; other
    /// methods put every verified profile in `equilibria`.
    pub nonisolated: Vec<Equilibrium<f64>>,
    /// `true` when the method claims to have found everything it promises
    /// (only `enumpoly` promises all isolated equilibria; the other methods
    /// set it when their search ran to its natural end).
    pub complete: bool,
    /// `true` when the iteration or time budget ran out.
    pub budget_exhausted: bool,
    /// Plain-language remarks: failures, restarts, rejected candidates.
    pub notes: Vec<String>,
}

/// The payoff table of a game in `f64`, rescaled to `[0, 1]`.
#[derive(Debug, Clone)]
pub struct PayoffTensor {
    /// Number of players.
    pub n: usize,
    /// Strategies per player.
    pub shape: Vec<usize>,
    /// Flat index of each player's first strategy.
    pub offsets: Vec<usize>,
    /// Total number of strategies.
    pub k: usize,
    /// Number of cells.
    pub cells: usize,
    /// Rescaled payoffs, `pay[cell * n + player]`.
    pub pay: Vec<f64>,
    /// Smallest payoff of the game.
    pub min: f64,
    /// Payoff range (1 when all payoffs are equal).
    pub scale: f64,
    /// A tree's agent form given by its outcome paths instead of the table
    /// (`pay` is then empty and `cells` is 0): the values and
    /// pairs come from [`PayoffTerms::contract`], each agent's values less
    /// a part common to all its actions (differences, regrets and Newton
    /// steps are the table's).
    pub terms: Option<Arc<PayoffTerms>>,
}

/// Flat index of each player's first strategy, and the number of
/// strategies in all.
fn layout(shape: &[usize]) -> (Vec<usize>, usize) {
    let mut offsets = Vec::with_capacity(shape.len());
    let mut k = 0;
    for &s in shape {
        offsets.push(k);
        k += s;
    }
    (offsets, k)
}

/// The payoff range as the rescaling unit (1 when all payoffs are equal).
fn scale_of(min: f64, max: f64) -> f64 {
    if max > min && (max - min).is_finite() {
        max - min
    } else {
        1.0
    }
}

impl PayoffTensor {
    /// Builds the rescaled table.
    pub fn new(game: &NormalFormGame) -> Self {
        let shape = game.shape();
        let n = shape.len();
        let (offsets, k) = layout(&shape);
        let (min, max, _) = game.payoff_range_f64();
        let scale = scale_of(min, max);
        let pay = game
            .payoff_table_f64()
            .iter()
            .map(|v| (v - min) / scale)
            .collect();
        PayoffTensor {
            n,
            shape,
            offsets,
            k,
            cells: game.num_profiles(),
            pay,
            min,
            scale,
            terms: None,
        }
    }

    /// The tensor of a game given by payoff terms (a tree's agent form,
    /// [`crate::payoff_terms`]): `shape` strategies per player, payoffs
    /// rescaled by `min` and `max` (bounds of every payoff, e.g. the
    /// tree's outcome range).
    pub fn from_terms(shape: Vec<usize>, terms: PayoffTerms, min: f64, max: f64) -> Self {
        let n = shape.len();
        let (offsets, k) = layout(&shape);
        let scale = scale_of(min, max);
        PayoffTensor {
            n,
            shape,
            offsets,
            k,
            cells: 0,
            pay: Vec::new(),
            min,
            scale,
            terms: Some(Arc::new(terms)),
        }
    }

    /// Refuses games too large for methods that build the pair table.
    pub fn check_size(&self, method: &str) -> Result<(), SolveError> {
        if self.k > MAX_TOTAL_STRATEGIES {
            return Err(SolveError::TooLarge(format!(
                "{method}: the game has {} strategies in all; this method handles at most {}",
                self.k, MAX_TOTAL_STRATEGIES
            )));
        }
        Ok(())
    }

    /// Player owning flat strategy index `a`.
    pub fn owner(&self, a: usize) -> usize {
        match self.offsets.binary_search(&a) {
            Ok(mut j) => {
                // Skip players with no strategies (cannot happen in a valid
                // game, kept for safety).
                while j + 1 < self.n && self.offsets[j + 1] == a {
                    j += 1;
                }
                j
            }
            Err(j) => j - 1,
        }
    }

    /// Strategy values `v[offsets[j] + h] = u_j(h, x_{-j})` (rescaled).
    pub fn values(&self, x: &[f64]) -> Vec<f64> {
        let mut v = vec![0.0; self.k];
        self.values_into(x, &mut v);
        v
    }

    /// [`Self::values`] into a caller-owned buffer of length `k`.
    ///
    /// The table is walked column by column: a column fixes the strategies
    /// of players 2..n, and player 1's strategies (contiguous cells) are
    /// the inner loop. Within a column the products of the other players'
    /// probabilities are shared, and each other player's value gets one
    /// update per column (`Σ_h x_{1h} u_p(h, column)`), not one per cell.
    pub fn values_into(&self, x: &[f64], v: &mut [f64]) {
        self.contract(x, v, None, 1);
    }

    /// Strategy values and the pair table `d[a * k + b] = ∂v[a] / ∂x[b]`
    /// (`u_j(h, t, x_{-j,-q})` for `a = (j, h)`, `b = (q, t)`, `q ≠ j`; zero
    /// within a player).
    pub fn values_and_pairs(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut v = vec![0.0; self.k];
        let mut d = vec![0.0; self.k * self.k];
        self.values_and_pairs_into(x, &mut v, &mut d);
        (v, d)
    }

    /// [`Self::values_and_pairs`] into caller-owned buffers (`v` of length
    /// `k`, `d` of length `k²`, both overwritten), in one pass over the
    /// table (see [`Self::values_into`]; pairs of players 2..n also get one
    /// update per column).
    pub fn values_and_pairs_into(&self, x: &[f64], v: &mut [f64], d: &mut [f64]) {
        self.contract(x, v, Some(d), 2);
    }

    /// The strategy values of [`Self::values_and_pairs_into`] alone, bit
    /// for bit (the same column pass, skipping the same columns), without
    /// the pair table: what Newton's backtracking needs to compare
    /// residuals before it keeps a point.
    pub fn values_as_with_pairs_into(&self, x: &[f64], v: &mut [f64]) {
        self.contract(x, v, None, 2);
    }

    /// One pass over the table. `max_zeros`: zeros among players 2..n
    /// beyond which a column contributes nothing (one for values, two with
    /// pairs). The updates of the pairs never touch `v`, so a pass with
    /// `max_zeros = 2` gives the same values with or without `d`.
    fn contract(&self, x: &[f64], v: &mut [f64], mut d: Option<&mut [f64]>, max_zeros: usize) {
        if let Some(terms) = &self.terms {
            return terms.contract(self, x, v, d);
        }
        let n = self.n;
        v.iter_mut().for_each(|a| *a = 0.0);
        if let Some(d) = d.as_deref_mut() {
            d.iter_mut().for_each(|a| *a = 0.0);
        }
        if n == 0 || self.cells == 0 {
            return;
        }
        // Two to six players: the same pass with the number of players a
        // constant, so that its loops unroll and its small arrays stay in
        // registers.
        macro_rules! fixed {
            ($n:literal) => {
                match d {
                    Some(d) => self.contract_fixed::<$n, true>(x, v, d, max_zeros),
                    None => self.contract_fixed::<$n, false>(x, v, &mut [], max_zeros),
                }
            };
        }
        match n {
            2 => return fixed!(2),
            3 => return fixed!(3),
            4 => return fixed!(4),
            5 => return fixed!(5),
            6 => return fixed!(6),
            _ => {}
        }
        // The pass's small arrays live on the stack for up to
        // `STACK_PLAYERS` players (a call is often a fraction of a
        // microsecond, which five allocations would double).
        const STACK_PLAYERS: usize = 12;
        if n <= STACK_PLAYERS {
            let mut pure = [0usize; STACK_PLAYERS];
            let mut idx = [0usize; STACK_PLAYERS];
            let mut pre = [1.0; STACK_PLAYERS + 1];
            let mut suf = [1.0; STACK_PLAYERS + 1];
            let mut sp = [0.0; STACK_PLAYERS];
            idx[..n].copy_from_slice(&self.offsets);
            let bufs = ContractBufs {
                pure: &mut pure[..n],
                idx: &mut idx[..n],
                pre: &mut pre[..n + 1],
                suf: &mut suf[..n + 1],
                sp: &mut sp[..n],
            };
            self.contract_dispatch(x, v, d, max_zeros, bufs);
        } else {
            let mut pure = vec![0usize; n];
            let mut idx: Vec<usize> = self.offsets.clone();
            let mut pre = vec![1.0; n + 1];
            let mut suf = vec![1.0; n + 1];
            let mut sp = vec![0.0; n];
            let bufs = ContractBufs {
                pure: &mut pure,
                idx: &mut idx,
                pre: &mut pre,
                suf: &mut suf,
                sp: &mut sp,
            };
            self.contract_dispatch(x, v, d, max_zeros, bufs);
        }
    }

    fn contract_dispatch(
        &self,
        x: &[f64],
        v: &mut [f64],
        d: Option<&mut [f64]>,
        max_zeros: usize,
        bufs: ContractBufs<'_>,
    ) {
        match d {
            Some(d) => self.contract_pass::<true>(x, v, d, max_zeros, bufs),
            None => self.contract_pass::<false>(x, v, &mut [], max_zeros, bufs),
        }
    }

    /// [`Self::contract_pass`] for `N` players (`N = self.n`, at most 7),
    /// with the same operations in the same order.
    fn contract_fixed<const N: usize, const PAIRS: bool>(
        &self,
        x: &[f64],
        v: &mut [f64],
        d: &mut [f64],
        max_zeros: usize,
    ) {
        let k = self.k;
        let mut shape = [0usize; 8];
        let mut offsets = [0usize; 8];
        shape[..N].copy_from_slice(&self.shape[..N]);
        offsets[..N].copy_from_slice(&self.offsets[..N]);
        let mut pure = [0usize; 8];
        let mut idx = offsets;
        let mut pre = [1.0f64; 8];
        let mut suf = [1.0f64; 8];
        let s0 = shape[0];
        let cols = self.cells / s0;
        let x0 = &x[..s0];
        for block in self.pay.chunks_exact(s0 * N).take(cols) {
            let mut zeros = 0;
            let mut run = pre[1];
            for p in 1..N {
                let pr = x[idx[p]];
                if pr == 0.0 {
                    zeros += 1;
                }
                run *= pr;
                pre[p + 1] = run;
            }
            if zeros <= max_zeros {
                let mut run = 1.0;
                suf[N] = run;
                for p in (1..N).rev() {
                    run *= x[idx[p]];
                    suf[p] = run;
                }
                let all = pre[N];
                let mut sp = [0.0f64; 8];
                for (h0, (pay, &a)) in block.chunks_exact(N).zip(x0).enumerate() {
                    v[h0] += all * pay[0];
                    for p in 1..N {
                        sp[p] += a * pay[p];
                    }
                    if PAIRS {
                        for p in 1..N {
                            let l1 = pre[p] * suf[p + 1];
                            if l1 != 0.0 {
                                let b = idx[p];
                                d[h0 * k + b] += l1 * pay[0];
                                d[b * k + h0] += l1 * pay[p];
                            }
                        }
                    }
                }
                for p in 1..N {
                    let ap = idx[p];
                    v[ap] += pre[p] * suf[p + 1] * sp[p];
                    if PAIRS {
                        let mut mid = pre[p];
                        for q in (p + 1)..N {
                            let w2 = mid * suf[q + 1];
                            if w2 != 0.0 {
                                let bq = idx[q];
                                d[ap * k + bq] += w2 * sp[p];
                                d[bq * k + ap] += w2 * sp[q];
                            }
                            mid *= x[idx[q]];
                        }
                    }
                }
            }
            for p in 1..N {
                pure[p] += 1;
                idx[p] += 1;
                if pure[p] < shape[p] {
                    break;
                }
                pure[p] = 0;
                idx[p] = offsets[p];
            }
        }
    }

    /// The column pass of [`Self::contract`] (`v` and `d` already zeroed,
    /// at least one player and one cell). `PAIRS` says whether the pair
    /// table `d` is accumulated (else `d` is not touched); the values get
    /// the same operations in the same order either way.
    fn contract_pass<const PAIRS: bool>(
        &self,
        x: &[f64],
        v: &mut [f64],
        d: &mut [f64],
        max_zeros: usize,
        bufs: ContractBufs<'_>,
    ) {
        let n = self.n;
        let k = self.k;
        let ContractBufs {
            pure,
            idx,
            pre,
            suf,
            sp,
        } = bufs;
        let s0 = self.shape[0];
        let cols = self.cells / s0;
        let (x0, _) = x.split_at(s0);
        for block in self.pay.chunks_exact(s0 * n).take(cols) {
            // pre[p + 1] = pre[p] · x_p and suf[p] = suf[p + 1] · x_p, the
            // running product kept in a register.
            let mut zeros = 0;
            let mut run = pre[1];
            for (p, &i) in idx.iter().enumerate().skip(1) {
                let pr = x[i];
                if pr == 0.0 {
                    zeros += 1;
                }
                run *= pr;
                pre[p + 1] = run;
            }
            if zeros <= max_zeros {
                let mut run = 1.0;
                suf[n] = run;
                for p in (1..n).rev() {
                    run *= x[idx[p]];
                    suf[p] = run;
                }
                let all = pre[n];
                sp.iter_mut().for_each(|a| *a = 0.0);
                for (h0, (pay, &a)) in block.chunks_exact(n).zip(x0).enumerate() {
                    v[h0] += all * pay[0];
                    for (acc, &u) in sp[1..].iter_mut().zip(&pay[1..]) {
                        *acc += a * u;
                    }
                    if PAIRS {
                        for p in 1..n {
                            let l1 = pre[p] * suf[p + 1];
                            if l1 != 0.0 {
                                let b = idx[p];
                                d[h0 * k + b] += l1 * pay[0];
                                d[b * k + h0] += l1 * pay[p];
                            }
                        }
                    }
                }
                for p in 1..n {
                    let ap = idx[p];
                    v[ap] += pre[p] * suf[p + 1] * sp[p];
                    if PAIRS {
                        // Pairs (p, q), 2 ≤ p < q: all but p, q and player 1.
                        let mut mid = pre[p];
                        for q in (p + 1)..n {
                            let w2 = mid * suf[q + 1];
                            if w2 != 0.0 {
                                let bq = idx[q];
                                d[ap * k + bq] += w2 * sp[p];
                                d[bq * k + ap] += w2 * sp[q];
                            }
                            mid *= x[idx[q]];
                        }
                    }
                }
            }
            for p in 1..n {
                pure[p] += 1;
                idx[p] += 1;
                if pure[p] < self.shape[p] {
                    break;
                }
                pure[p] = 0;
                idx[p] = self.offsets[p];
            }
        }
    }

    /// Expected (rescaled) payoff of each player given the strategy values.
    pub fn player_payoffs(&self, x: &[f64], v: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|j| {
                let o = self.offsets[j];
                (0..self.shape[j]).map(|h| x[o + h] * v[o + h]).sum()
            })
            .collect()
    }

    /// Max regret of a flat profile, rescaled units.
    pub fn max_regret(&self, x: &[f64]) -> f64 {
        let v = self.values(x);
        self.max_regret_from_values(x, &v)
    }

    /// Max regret given already computed strategy values.
    pub fn max_regret_from_values(&self, x: &[f64], v: &[f64]) -> f64 {
        let mut worst: f64 = 0.0;
        for j in 0..self.n {
            let o = self.offsets[j];
            // Player j's payoff, as `player_payoffs` computes it.
            let pay: f64 = (0..self.shape[j]).map(|h| x[o + h] * v[o + h]).sum();
            for h in 0..self.shape[j] {
                worst = worst.max(v[o + h] - pay);
            }
        }
        worst
    }

    /// The centroid (uniform mixture for every player).
    pub fn centroid(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.k];
        for j in 0..self.n {
            for h in 0..self.shape[j] {
                x[self.offsets[j] + h] = 1.0 / self.shape[j] as f64;
            }
        }
        x
    }

    /// Nested profile from a flat one.
    pub fn nest(&self, x: &[f64]) -> Vec<Vec<f64>> {
        (0..self.n)
            .map(|j| x[self.offsets[j]..self.offsets[j] + self.shape[j]].to_vec())
            .collect()
    }

    /// Flat profile from a nested one, checking its shape.
    pub fn flatten(&self, profile: &[Vec<f64>]) -> Result<Vec<f64>, SolveError> {
        if profile.len() != self.n {
            return Err(SolveError::NotApplicable(format!(
                "the start profile has {} players, the game {}",
                profile.len(),
                self.n
            )));
        }
        let mut x = Vec::with_capacity(self.k);
        for (j, p) in profile.iter().enumerate() {
            if p.len() != self.shape[j] {
                return Err(SolveError::NotApplicable(format!(
                    "the start profile gives player {} {} probabilities for {} strategies",
                    j + 1,
                    p.len(),
                    self.shape[j]
                )));
            }
            let sum: f64 = p.iter().sum();
            if p.iter().any(|v| !v.is_finite() || *v < 0.0) || !(sum > 0.0) || !sum.is_finite() {
                return Err(SolveError::NotApplicable(format!(
                    "the start profile of player {} is not a probability vector",
                    j + 1
                )));
            }
            x.extend(p.iter().map(|v| v / sum));
        }
        Ok(x)
    }

    /// Clamps tiny negative entries to zero and renormalises each player.
    pub fn normalize(&self, x: &mut [f64]) {
        for j in 0..self.n {
            let o = self.offsets[j];
            let s = self.shape[j];
            let mut sum = 0.0;
            for v in &mut x[o..o + s] {
                if !(*v > 0.0) {
                    *v = 0.0;
                }
                sum += *v;
            }
            if sum > 0.0 {
                for v in &mut x[o..o + s] {
                    *v /= sum;
                }
            } else {
                for v in &mut x[o..o + s] {
                    *v = 1.0 / s as f64;
                }
            }
        }
    }
}

/// Working arrays of one column pass ([`PayoffTensor::contract`]): the
/// other players' pure strategies, their flat indices, prefix and suffix
/// products of their probabilities, and the per-player sums of a column.
struct ContractBufs<'a> {
    pure: &'a mut [usize],
    idx: &'a mut [usize],
    pre: &'a mut [f64],
    suf: &'a mut [f64],
    sp: &'a mut [f64],
}

/// Euclidean projection of each player's block of `z` onto the simplex
/// (the retraction of Kohlberg and Mertens used by the global Newton
/// method).
pub fn project_to_simplices(t: &PayoffTensor, z: &[f64]) -> Vec<f64> {
    let mut x = vec![0.0; t.k];
    for j in 0..t.n {
        let o = t.offsets[j];
        let s = t.shape[j];
        let mut sorted: Vec<f64> = z[o..o + s].to_vec();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let mut cum = 0.0;
        let mut theta = 0.0;
        for (i, &u) in sorted.iter().enumerate() {
            cum += u;
            let th = (cum - 1.0) / (i + 1) as f64;
            if u - th > 0.0 {
                theta = th;
            }
        }
        for h in 0..s {
            x[o + h] = (z[o + h] - theta).max(0.0);
        }
    }
    x
}

/// A seeded pseudo-random generator (SplitMix64): deterministic across
/// platforms, no dependency.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A profile drawn uniformly from the product of simplices.
    pub fn profile(&mut self, t: &PayoffTensor) -> Vec<f64> {
        let mut x = vec![0.0; t.k];
        for j in 0..t.n {
            let o = t.offsets[j];
            let mut sum = 0.0;
            for h in 0..t.shape[j] {
                let e = -(1.0 - self.next_f64()).ln();
                x[o + h] = e;
                sum += e;
            }
            for h in 0..t.shape[j] {
                x[o + h] /= sum;
            }
        }
        x
    }
}

/// LU factorisation with partial pivoting of a square row-major matrix.
/// Returns `None` when a pivot is below `1e-13` times the largest entry.
pub struct Lu {
    n: usize,
    lu: Vec<f64>,
    perm: Vec<usize>,
    /// Sign of the determinant.
    pub det_sign: f64,
}

impl Lu {
    /// The factorisation of `a` (`n × n`), or `None` when a pivot is too
    /// small.
    pub fn new(a: &[f64], n: usize) -> Option<Lu> {
        let mut lu = Lu::with_size(n);
        lu.refactor(a).then_some(lu)
    }

    /// Room for `n × n` factorisations, to be filled by [`Lu::refactor`]
    /// (no allocation per factorisation).
    pub fn with_size(n: usize) -> Lu {
        Lu {
            n,
            lu: vec![0.0; n * n],
            perm: (0..n).collect(),
            det_sign: 1.0,
        }
    }

    /// Makes room for `n × n` factorisations (keeps the buffers when the
    /// size is unchanged).
    pub fn resize(&mut self, n: usize) {
        if self.n != n {
            self.n = n;
            self.lu.resize(n * n, 0.0);
            self.perm.resize(n, 0);
        }
    }

    /// Factorises `a` (`n × n`, row-major) in place of the previous
    /// factorisation; `false` when a pivot is below `1e-13` times the
    /// largest entry (the factorisation is then unusable).
    pub fn refactor(&mut self, a: &[f64]) -> bool {
        let n = self.n;
        let lu = &mut self.lu;
        lu.copy_from_slice(a);
        self.perm.iter_mut().enumerate().for_each(|(i, p)| *p = i);
        let mut sign = 1.0;
        let amax = abs_max(lu);
        if !(amax > 0.0) || !amax.is_finite() {
            return false;
        }
        for c in 0..n {
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
                return false;
            }
            if piv != c {
                for col in 0..n {
                    lu.swap(c * n + col, piv * n + col);
                }
                self.perm.swap(c, piv);
                sign = -sign;
            }
            let d = lu[c * n + c];
            if d < 0.0 {
                sign = -sign;
            }
            // Row `c` and the rows below as separate slices, so that the
            // update of a row is a loop the compiler vectorises (each entry
            // still gets the one operation `x -= f · y`, as before).
            let (top, below) = lu.split_at_mut((c + 1) * n);
            let pivot_row = &top[c * n + c + 1..(c + 1) * n];
            for row in below.chunks_exact_mut(n) {
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
        }
        self.det_sign = sign;
        true
    }

    /// Solves `A y = b` with the factorisation, into `y`.
    ///
    /// The forward substitution runs column by column: once `y[c]` is
    /// known, every later row subtracts its term. Each `y[r]` still gets
    /// `y[r] -= L[r][c] · y[c]` for `c = 0, 1, …, r − 1` in that order (the
    /// row-by-row loop's operations, so the same bits), but the rows'
    /// updates no longer wait on one another.
    pub fn solve_into(&self, b: &[f64], y: &mut [f64]) {
        let n = self.n;
        for (yi, &p) in y.iter_mut().zip(&self.perm) {
            *yi = b[p];
        }
        for c in 0..n {
            let yc = y[c];
            for r in (c + 1)..n {
                y[r] -= self.lu[r * n + c] * yc;
            }
        }
        for r in (0..n).rev() {
            let mut s = y[r];
            for c in (r + 1)..n {
                s -= self.lu[r * n + c] * y[c];
            }
            y[r] = s / self.lu[r * n + r];
        }
    }

    /// Solves `A y = b` with the factorisation.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.n];
        self.solve_into(b, &mut y);
        y
    }
}

/// `max(0, max |a_i|)` over the entries that are not NaN: what
/// `a.iter().fold(0.0, |m, v| m.max(v.abs()))` computes (`f64::max`
/// ignores NaN and is exact, so the order does not matter), with four
/// independent running maxima instead of one chain.
fn abs_max(a: &[f64]) -> f64 {
    let mut m = [0.0f64; 4];
    let mut chunks = a.chunks_exact(4);
    for c in &mut chunks {
        for (mi, v) in m.iter_mut().zip(c) {
            *mi = mi.max(v.abs());
        }
    }
    let rest = chunks
        .remainder()
        .iter()
        .fold(0.0f64, |acc, v| acc.max(v.abs()));
    m[0].max(m[1]).max(m[2].max(m[3])).max(rest)
}

/// Solves `J d = -f` in the least-squares sense with a Levenberg–Marquardt
/// damping `mu` (`(JᵀJ + mu I) d = -Jᵀ f`); `J` is `m × n` row-major.
pub fn lm_step(j: &[f64], f: &[f64], m: usize, n: usize, mu: f64) -> Option<Vec<f64>> {
    let mut a = Vec::new();
    let mut g = Vec::new();
    let mut lu = Lu::with_size(n);
    let mut step = vec![0.0; n];
    lm_step_into(j, f, (m, n), mu, (&mut a, &mut g, &mut lu), &mut step).then_some(step)
}

/// [`lm_step`] with the caller's buffers (the normal matrix, the gradient
/// and the factorisation), into `step` (length `n`); `false` when the
/// damped normal matrix is singular.
fn lm_step_into(
    j: &[f64],
    f: &[f64],
    (m, n): (usize, usize),
    mu: f64,
    (a, g, lu): (&mut Vec<f64>, &mut Vec<f64>, &mut Lu),
    step: &mut [f64],
) -> bool {
    a.clear();
    a.resize(n * n, 0.0);
    g.clear();
    g.resize(n, 0.0);
    for r in 0..m {
        let row = &j[r * n..(r + 1) * n];
        for c1 in 0..n {
            if row[c1] == 0.0 {
                continue;
            }
            g[c1] -= row[c1] * f[r];
            for c2 in 0..n {
                a[c1 * n + c2] += row[c1] * row[c2];
            }
        }
    }
    let diag = (0..n).fold(0.0f64, |s, i| s.max(a[i * n + i]));
    for i in 0..n {
        a[i * n + i] += mu * diag.max(1e-300) + 1e-300;
    }
    lu.resize(n);
    if !lu.refactor(a) {
        return false;
    }
    lu.solve_into(g, step);
    true
}

fn inf_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

/// Buffers of Newton's method on a support ([`newton_on_support`]), kept
/// across the supports that [`refine_on_support`] tries: one iteration
/// allocates nothing.
pub(crate) struct NewtonWork {
    /// Owner of each flat strategy (`PayoffTensor::owner`).
    owner: Vec<usize>,
    v: Vec<f64>,
    d: Vec<f64>,
    f: Vec<f64>,
    jac: Vec<f64>,
    f_trial: Vec<f64>,
    jac_trial: Vec<f64>,
    x: Vec<f64>,
    x_trial: Vec<f64>,
    neg: Vec<f64>,
    step: Vec<f64>,
    lu: Lu,
    lm_a: Vec<f64>,
    lm_g: Vec<f64>,
    lm_lu: Lu,
}

impl NewtonWork {
    pub(crate) fn new(t: &PayoffTensor) -> Self {
        NewtonWork {
            owner: (0..t.k).map(|a| t.owner(a)).collect(),
            v: vec![0.0; t.k],
            d: vec![0.0; t.k * t.k],
            f: Vec::new(),
            jac: Vec::new(),
            f_trial: Vec::new(),
            jac_trial: Vec::new(),
            x: vec![0.0; t.k],
            x_trial: vec![0.0; t.k],
            neg: Vec::new(),
            step: Vec::new(),
            lu: Lu::with_size(0),
            lm_a: Vec::new(),
            lm_g: Vec::new(),
            lm_lu: Lu::with_size(0),
        }
    }

    /// The residual of the support's system at `x` into `f` and, when
    /// asked, its Jacobian into `jac`. Unknowns: the probabilities of the
    /// support strategies (in flat order); equations per player:
    /// `v(s_k) - v(s_0) = 0` for the other support strategies and
    /// `Σ x = 1`. Without
    /// the Jacobian the values come from the same pass over the table
    /// ([`PayoffTensor::values_as_with_pairs_into`]), so the residual is
    /// the same bit for bit.
    fn system_into(
        &mut self,
        t: &PayoffTensor,
        support: &[usize],
        x: &[f64],
        f: &mut Vec<f64>,
        jac: Option<&mut Vec<f64>>,
    ) {
        let m = support.len();
        let k = t.k;
        let v = &mut self.v;
        let owner = &self.owner;
        f.clear();
        let mut jac = match jac {
            Some(j) => {
                t.values_and_pairs_into(x, v, &mut self.d);
                j.clear();
                Some(j)
            }
            None => {
                t.values_as_with_pairs_into(x, v);
                None
            }
        };
        let d = &self.d;
        let mut idx = 0;
        for j in 0..t.n {
            let start = idx;
            while idx < m && owner[support[idx]] == j {
                idx += 1;
            }
            let block = &support[start..idx];
            if block.is_empty() {
                continue;
            }
            let a0 = block[0];
            for &a in &block[1..] {
                f.push(v[a] - v[a0]);
                if let Some(jac) = jac.as_deref_mut() {
                    let (ra, r0) = (&d[a * k..(a + 1) * k], &d[a0 * k..(a0 + 1) * k]);
                    jac.extend(support.iter().map(|&b| ra[b] - r0[b]));
                }
            }
            f.push(block.iter().map(|&a| x[a]).sum::<f64>() - 1.0);
            if let Some(jac) = jac.as_deref_mut() {
                jac.extend(
                    support
                        .iter()
                        .map(|&b| if owner[b] == j { 1.0 } else { 0.0 }),
                );
            }
        }
    }

    /// [`newton_on_support`] with these buffers. The full step's trial
    /// point gets its Jacobian along with its residual (near a solution it
    /// is the point kept: one pass over the table per step instead of
    /// two); shorter trials get their residual only, and the Jacobian is
    /// computed at the point kept. Either way these are the numbers of
    /// computing both at every trial (the residual is the same bit for bit
    /// with or without the Jacobian).
    pub(crate) fn newton(
        &mut self,
        t: &PayoffTensor,
        support: &[usize],
        x0: &[f64],
        max_iter: usize,
    ) -> Option<(Vec<f64>, bool)> {
        let m = support.len();
        let mut x = std::mem::take(&mut self.x);
        let mut xn = std::mem::take(&mut self.x_trial);
        let mut f = std::mem::take(&mut self.f);
        let mut jac = std::mem::take(&mut self.jac);
        let mut fn_ = std::mem::take(&mut self.f_trial);
        let mut jac_trial = std::mem::take(&mut self.jac_trial);
        x.iter_mut().for_each(|v| *v = 0.0);
        for &a in support {
            x[a] = x0[a];
        }
        self.system_into(t, support, &x, &mut f, Some(&mut jac));
        self.lu.resize(m);
        let mut norm = inf_norm(&f);
        let mut failed = false;
        for _ in 0..max_iter {
            if !norm.is_finite() {
                failed = true;
                break;
            }
            if norm < 1e-14 {
                break;
            }
            if self.lu.refactor(&jac) {
                self.neg.clear();
                self.neg.extend(f.iter().map(|v| -v));
                self.step.resize(m, 0.0);
                self.lu.solve_into(&self.neg, &mut self.step);
            } else {
                self.step.resize(m, 0.0);
                let bufs = (&mut self.lm_a, &mut self.lm_g, &mut self.lm_lu);
                if !lm_step_into(&jac, &f, (m, m), 1e-10, bufs, &mut self.step) {
                    failed = true;
                    break;
                }
            }
            // Backtracking on the residual.
            let mut alpha = 1.0;
            let mut accepted = false;
            for trial in 0..12 {
                xn.copy_from_slice(&x);
                for (i, &a) in support.iter().enumerate() {
                    xn[a] += alpha * self.step[i];
                }
                let full = trial == 0;
                let with_jac = if full { Some(&mut jac_trial) } else { None };
                self.system_into(t, support, &xn, &mut fn_, with_jac);
                let nn = inf_norm(&fn_);
                if nn.is_finite() && (nn < norm || nn < 1e-14) {
                    std::mem::swap(&mut x, &mut xn);
                    if full {
                        std::mem::swap(&mut f, &mut fn_);
                        std::mem::swap(&mut jac, &mut jac_trial);
                    } else {
                        self.system_into(t, support, &x, &mut f, Some(&mut jac));
                    }
                    norm = nn;
                    accepted = true;
                    break;
                }
                alpha *= 0.5;
            }
            if !accepted {
                break;
            }
        }
        let out = if failed || !(norm < 1e-11) {
            None
        } else {
            let regular = self.lu.refactor(&jac);
            Some((x.clone(), regular))
        };
        self.x = x;
        self.x_trial = xn;
        self.f = f;
        self.jac = jac;
        self.f_trial = fn_;
        self.jac_trial = jac_trial;
        out
    }
}

/// Newton's method on a support's indifference system from `x0` (entries
/// outside the support are set to zero). Returns the solution and whether
/// its Jacobian was nonsingular, or `None` if Newton did not converge.
pub(crate) fn newton_on_support(
    t: &PayoffTensor,
    support: &[usize],
    x0: &[f64],
    max_iter: usize,
) -> Option<(Vec<f64>, bool)> {
    NewtonWork::new(t).newton(t, support, x0, max_iter)
}

/// Polishes an approximate equilibrium: for several guesses of its support
/// (entries above thresholds), solves the indifference equations by
/// Newton's method and keeps the first solution that is a probability
/// profile with rescaled max regret `≤ tol`. Falls back to `x` itself if it
/// already meets the tolerance.
pub fn refine_on_support(t: &PayoffTensor, x: &[f64], tol: f64) -> Option<Vec<f64>> {
    const THRESHOLDS: [f64; 5] = [1e-7, 1e-5, 1e-3, 1e-2, 5e-2];
    const MARGINS: [f64; 3] = [2.0, 10.0, 50.0];
    let mut tried: Vec<Vec<usize>> = Vec::new();
    let mut work: Option<NewtonWork> = None;
    // The values at `x` and its max regret, for the best-response guesses
    // (computed when the threshold guesses have all failed).
    let mut at_x: Option<(Vec<f64>, f64)> = None;
    // Each guess is built when its turn comes, in the order: thresholds,
    // then best responses; the first that solves is kept.
    for g in 0..THRESHOLDS.len() + 2 * MARGINS.len() {
        let mut support = Vec::with_capacity(t.k);
        if let Some(&thr) = THRESHOLDS.get(g) {
            for j in 0..t.n {
                let o = t.offsets[j];
                let s = t.shape[j];
                let mx = x[o..o + s].iter().cloned().fold(0.0, f64::max);
                for h in 0..s {
                    if x[o + h] > thr * mx.max(1e-300) || x[o + h] == mx {
                        support.push(o + h);
                    }
                }
            }
        } else {
            // Then the best responses: at an approximate equilibrium with
            // max regret r the strategies of the support have values
            // within O(r) of the best, and (generically) the others a fixed
            // margin below; these guesses catch supports whose small
            // probabilities the thresholds above cut or keep wrongly
            // (approximations on a grid).
            let (v, r) = at_x.get_or_insert_with(|| {
                let v = t.values(x);
                let r = t.max_regret_from_values(x, &v).max(1e-12);
                (v, r)
            });
            let (v, r) = (&*v, *r);
            let i = g - THRESHOLDS.len();
            let c = MARGINS[i / 2];
            let with_mass = i % 2 == 0;
            for j in 0..t.n {
                let o = t.offsets[j];
                let s = t.shape[j];
                let best = v[o..o + s]
                    .iter()
                    .cloned()
                    .fold(f64::NEG_INFINITY, f64::max);
                let mx = x[o..o + s].iter().cloned().fold(0.0, f64::max);
                for h in 0..s {
                    let near = best - v[o + h] <= c * r || v[o + h] == best;
                    if near && (!with_mass || x[o + h] > 1e-3 * mx || v[o + h] == best) {
                        support.push(o + h);
                    }
                }
            }
        }
        if tried.contains(&support) {
            continue;
        }
        // One strategy per player: the only profile with that support is
        // pure, which is what Newton's method would return; it is checked
        // the same way without building Newton's buffers.
        if support.len() == t.n {
            let mut y = vec![0.0; t.k];
            for &a in &support {
                y[a] = 1.0;
            }
            tried.push(support);
            if t.max_regret(&y) <= tol {
                return Some(y);
            }
            continue;
        }
        let work = work.get_or_insert_with(|| NewtonWork::new(t));
        if let Some((mut y, _)) = work.newton(t, &support, x, 40) {
            tried.push(support);
            if y.iter().any(|v| *v < -1e-9 || !v.is_finite()) {
                continue;
            }
            t.normalize(&mut y);
            if t.max_regret(&y) <= tol {
                return Some(y);
            }
        } else {
            tried.push(support);
        }
    }
    let mut y = x.to_vec();
    t.normalize(&mut y);
    if t.max_regret(&y) <= tol {
        return Some(y);
    }
    None
}

/// Max regret of a profile recomputed from the game's exact payoffs
/// (converted to `f64`), in the game's payoff units. Separate code from
/// [`PayoffTensor`] so that a bug there cannot certify its own output.
pub fn independent_max_regret(game: &NormalFormGame, profile: &[Vec<f64>]) -> f64 {
    regret_on_table(game.payoff_table_f64(), &game.shape(), profile)
}

/// Max regret of `profile` from a table of raw payoffs: every player's
/// strategy values by one pass over the cells (player 1's strategy
/// fastest).
fn regret_on_table(raw: &[f64], shape: &[usize], profile: &[Vec<f64>]) -> f64 {
    let n = shape.len();
    if profile.len() != n || profile.iter().zip(shape).any(|(p, &s)| p.len() != s) {
        return f64::INFINITY;
    }
    let mut vals: Vec<Vec<f64>> = shape.iter().map(|&s| vec![0.0f64; s]).collect();
    let mut pure = vec![0usize; n];
    let cells = raw.len() / n.max(1);
    for cell in 0..cells {
        for p in 0..n {
            let mut w = 1.0;
            for q in 0..n {
                if q != p {
                    w *= profile[q][pure[q]];
                }
            }
            if w != 0.0 {
                vals[p][pure[p]] += w * raw[cell * n + p];
            }
        }
        for (p, s) in pure.iter_mut().enumerate() {
            *s += 1;
            if *s < shape[p] {
                break;
            }
            *s = 0;
        }
    }
    let mut worst = 0.0f64;
    for p in 0..n {
        let mine: f64 = vals[p].iter().zip(&profile[p]).map(|(v, x)| v * x).sum();
        for v in &vals[p] {
            worst = worst.max(v - mine);
        }
    }
    if worst.is_finite() {
        worst
    } else {
        f64::INFINITY
    }
}

/// Accumulates verified, distinct equilibria.
pub(crate) struct Collector<'a> {
    /// The game's payoffs in `f64` (`raw[cell * n + p]`, not rescaled,
    /// [`NormalFormGame::payoff_table_f64`]), for the independent regret
    /// check and the answers' payoffs: the game's numbers, not a method's
    /// intermediate results.
    raw: &'a [f64],
    shape: Vec<usize>,
    tensor: &'a PayoffTensor,
    tol: f64,
    pub result: NplayerResult,
    /// Keep one point per convex set of equilibria: a new equilibrium is
    /// dropped when the segment to a known one consists of equilibria.
    pub merge_components: bool,
    /// Equilibria dropped by `merge_components`.
    pub merged: usize,
}

impl<'a> Collector<'a> {
    /// A collector for `game`, whose `tensor` is `PayoffTensor::new(game)`:
    /// the independent check reads the game's own payoffs.
    pub fn new(game: &'a NormalFormGame, tensor: &'a PayoffTensor, tol: f64) -> Self {
        Collector {
            raw: game.payoff_table_f64(),
            shape: game.shape(),
            tensor,
            tol,
            result: NplayerResult::default(),
            merge_components: false,
            merged: 0,
        }
    }

    /// [`Collector::new`] for `game`, or [`Collector::for_terms`] when there
    /// is no game table (a tensor given by payoff terms).
    pub fn for_game(game: Option<&'a NormalFormGame>, tensor: &'a PayoffTensor, tol: f64) -> Self {
        match game {
            Some(g) if tensor.terms.is_none() => Collector::new(g, tensor, tol),
            _ => Collector::for_terms(tensor, tol),
        }
    }

    /// A collector for a tensor given by payoff terms (a tree's agent form
    /// without its table): the independent check recomputes the regrets
    /// from the terms by separate code ([`PayoffTerms::regret_and_payoffs`]).
    pub fn for_terms(tensor: &'a PayoffTensor, tol: f64) -> Self {
        Collector {
            raw: &[],
            shape: tensor.shape.clone(),
            tensor,
            tol,
            result: NplayerResult::default(),
            merge_components: false,
            merged: 0,
        }
    }

    /// Max regret of a profile (game units) by the independent check, and
    /// the equilibrium record when it is one of the right shape.
    fn regret_of(&self, profile: &[Vec<f64>]) -> f64 {
        match &self.tensor.terms {
            Some(terms) => terms
                .regret_and_payoffs(&self.shape, profile)
                .map_or(f64::INFINITY, |(r, _)| r),
            None => regret_on_table(self.raw, &self.shape, profile),
        }
    }

    fn record(&self, profile: Vec<Vec<f64>>) -> Option<Equilibrium<f64>> {
        match &self.tensor.terms {
            Some(terms) => {
                let (_, by_player) = terms.regret_and_payoffs(&self.shape, &profile)?;
                let payoffs = terms.owner.iter().map(|&p| by_player[p]).collect();
                Some(Equilibrium { profile, payoffs })
            }
            None => Equilibrium::from_payoff_table(self.raw, &self.shape, profile),
        }
    }

    fn known(&self, x: &[Vec<f64>]) -> bool {
        let same = |e: &Equilibrium<f64>| {
            e.profile
                .iter()
                .zip(x)
                .all(|(a, b)| a.iter().zip(b).all(|(u, v)| (u - v).abs() <= 1e-6))
        };
        self.result.equilibria.iter().any(same) || self.result.nonisolated.iter().any(same)
    }

    /// Checks a flat profile independently; adds it if it is a new
    /// equilibrium. Returns `true` if it is an equilibrium (new or not).
    pub fn offer(&mut self, x: &[f64], isolated: bool) -> bool {
        if x.len() != self.tensor.k || x.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return false;
        }
        let profile = self.tensor.nest(x);
        if profile
            .iter()
            .any(|p| (p.iter().sum::<f64>() - 1.0).abs() > 1e-9)
        {
            return false;
        }
        let regret = self.regret_of(&profile);
        if !(regret <= self.tol * self.tensor.scale) {
            return false;
        }
        if self.known(&profile) {
            return true;
        }
        if self.merge_components {
            let limit = self.tol * self.tensor.scale;
            let joined = self.result.equilibria.iter().any(|e| {
                [0.25, 0.5, 0.75].iter().all(|&s| {
                    let mix: Vec<Vec<f64>> = e
                        .profile
                        .iter()
                        .zip(&profile)
                        .map(|(u, v)| {
                            u.iter()
                                .zip(v)
                                .map(|(a, b)| (1.0 - s) * a + s * b)
                                .collect()
                        })
                        .collect();
                    self.regret_of(&mix) <= limit
                })
            });
            if joined {
                self.merged += 1;
                return true;
            }
        }
        let Some(eq) = self.record(profile) else {
            return false;
        };
        if isolated {
            self.result.equilibria.push(eq);
            self.result.max_regret.push(regret);
        } else {
            self.result.nonisolated.push(eq);
        }
        true
    }

    pub fn note(&mut self, s: impl Into<String>) {
        self.result.notes.push(s.into());
    }
}

/// A system `H(y) = 0` with `K` equations in `K + 1` unknowns whose
/// solution set is a path.
pub(crate) trait PathSystem {
    /// `K`.
    fn equations(&self) -> usize;
    /// Residual `H(y)` into `h` and Jacobian (`K × (K + 1)`, row-major)
    /// into `jac`, both overwritten (resized as needed).
    fn eval_into(&self, y: &[f64], h: &mut Vec<f64>, jac: &mut Vec<f64>);
    /// Residual `H(y)` and Jacobian (`K × (K + 1)`, row-major).
    fn eval(&self, y: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let (mut h, mut jac) = (Vec::new(), Vec::new());
        self.eval_into(y, &mut h, &mut jac);
        (h, jac)
    }
}

/// Step control of [`trace_path`].
#[derive(Debug, Clone)]
pub(crate) struct TraceOptions {
    pub first_step: f64,
    pub max_step: f64,
    pub min_step: f64,
    pub max_accel: f64,
    /// Tolerance of the corrector on the residual.
    pub tol: f64,
    /// Reject steps whose tangent turns by more than this cosine (unless
    /// the step is at most `kink_step`).
    pub min_cos: f64,
    /// At or below this step size a failed corrector is retried along the
    /// tangent of the piece the predictor lands in, and sharp turns are
    /// accepted: this lets the tracer pass the kinks of piecewise-smooth
    /// paths. Set it below `min_step` for smooth paths.
    pub kink_step: f64,
    /// Orient tangents by the sign of `det [J; τᵀ]` (right for
    /// piecewise-smooth paths with kinks); otherwise by continuity
    /// (`τ_new · τ_old > 0`), which passes straight through simple
    /// bifurcation points, where the determinant changes sign.
    pub orient_by_det: bool,
}

/// Why [`trace_path`] stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TraceEnd {
    /// The callback asked to stop.
    Done,
    /// The step size fell below the minimum (a stall, a bifurcation or a
    /// singular point).
    Stalled,
    /// The budget ran out.
    Budget,
    /// The Jacobian was singular at the start.
    Singular,
}

fn augmented(jac: &[f64], tangent: &[f64]) -> Vec<f64> {
    let mut a = jac.to_vec();
    a.extend_from_slice(tangent);
    a
}

fn normalized(v: Vec<f64>) -> Vec<f64> {
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if n > 0.0 && n.is_finite() {
        v.into_iter().map(|x| x / n).collect()
    } else {
        v
    }
}

/// Buffers of [`trace_path`]: the corrector's residual, Jacobian, right
/// side and step, the augmented matrix `[J; τᵀ]` and its factorisation,
/// so that a corrector iteration allocates nothing.
struct TraceWork {
    dim: usize,
    f: Vec<f64>,
    jac: Vec<f64>,
    b: Vec<f64>,
    dx: Vec<f64>,
    aug: Vec<f64>,
    lu: Lu,
    rhs: Vec<f64>,
}

impl TraceWork {
    fn new(dim: usize) -> Self {
        let mut rhs = vec![0.0; dim];
        if dim > 0 {
            rhs[dim - 1] = 1.0;
        }
        TraceWork {
            dim,
            f: Vec::new(),
            jac: Vec::new(),
            b: Vec::with_capacity(dim),
            dx: vec![0.0; dim],
            aug: Vec::with_capacity(dim * dim),
            lu: Lu::with_size(dim),
            rhs,
        }
    }

    /// Factorises `[jac; row]` (what `Lu::new(&augmented(jac, row), dim)`
    /// computes); `false` when singular.
    fn factor_augmented(&mut self, jac: &[f64], row: &[f64]) -> bool {
        self.aug.clear();
        self.aug.extend_from_slice(jac);
        self.aug.extend_from_slice(row);
        self.lu.refactor(&self.aug)
    }
}

/// Traces the path `H(y) = 0` from `y0` by predictor–corrector
/// continuation in arclength (Allgower and Georg 1990): Euler predictor
/// along the tangent, Newton corrector on `[J; τᵀ]`, orientation kept by
/// the sign of `det [J; τᵀ]` (so kinks and turning points are passed the
/// way the path goes) or by continuity. `hint` orients the first tangent.
/// After each accepted step `on_step(previous, current, tangent, crossed)`
/// is called, `crossed` telling whether the sign of `det [J; τᵀ]` changed
/// over the step: under orientation by continuity, that the step passed a
/// simple bifurcation point (another branch of solutions crosses the path
/// there; at a turning point the sign does not change). Returning `false`
/// stops the trace.
pub(crate) fn trace_path<S: PathSystem>(
    sys: &S,
    y0: &[f64],
    hint: &[f64],
    opts: &TraceOptions,
    meter: &mut Meter,
    mut on_step: impl FnMut(&[f64], &[f64], &[f64], bool) -> bool,
) -> TraceEnd {
    let k = sys.equations();
    let dim = k + 1;
    let mut rhs = vec![0.0; dim];
    rhs[k] = 1.0;
    let (_, jac) = sys.eval(y0);
    let lu = match Lu::new(&augmented(&jac, hint), dim) {
        Some(l) => l,
        None => return TraceEnd::Singular,
    };
    let mut tangent = normalized(lu.solve(&rhs));
    if tangent.iter().zip(hint).map(|(a, b)| a * b).sum::<f64>() < 0.0 {
        tangent.iter_mut().for_each(|v| *v = -*v);
    }
    let (orientation, mut det_sign) = match Lu::new(&augmented(&jac, &tangent), dim) {
        Some(l) if opts.orient_by_det => (Some(l.det_sign), l.det_sign),
        Some(l) => (None, l.det_sign),
        None => return TraceEnd::Singular,
    };
    let mut w = TraceWork::new(dim);
    let mut y = y0.to_vec();
    let mut h = opts.first_step;
    loop {
        if !meter.tick() {
            return TraceEnd::Budget;
        }
        let mut used = tangent.clone();
        let mut attempt = correct(sys, &y, &used, h, opts, &mut w);
        if attempt.is_none() && h <= opts.kink_step {
            // A kink of a piecewise-smooth path: continue along the tangent
            // of the piece the predictor lands in.
            let yp: Vec<f64> = y.iter().zip(&tangent).map(|(a, t)| a + h * t).collect();
            let (_, jp) = sys.eval(&yp);
            if let Some((t2, _)) = oriented_tangent(&jp, &tangent, orientation, &mut w) {
                attempt = correct(sys, &y, &t2, h, opts, &mut w);
                used = t2;
            }
        }
        if let Some((yc, jac_c, iters)) = attempt {
            if let Some((nt, sign)) = oriented_tangent(&jac_c, &used, orientation, &mut w) {
                let cos: f64 = nt.iter().zip(&tangent).map(|(a, b)| a * b).sum();
                if cos >= opts.min_cos || h <= opts.kink_step {
                    let prev = std::mem::replace(&mut y, yc);
                    tangent = nt;
                    let crossed = sign != det_sign;
                    det_sign = sign;
                    if !on_step(&prev, &y, &tangent, crossed) {
                        return TraceEnd::Done;
                    }
                    if iters <= 3 {
                        h = (h * opts.max_accel).min(opts.max_step);
                    }
                    continue;
                }
            }
        }
        h *= 0.5;
        if h < opts.min_step {
            return TraceEnd::Stalled;
        }
    }
}

/// The unit tangent at a point with Jacobian `jac`, oriented so that
/// `det [J; τᵀ]` has the sign `orientation` (or, without one, so that it
/// points the way of `reference`), and the sign of `det [J; τᵀ]`.
fn oriented_tangent(
    jac: &[f64],
    reference: &[f64],
    orientation: Option<f64>,
    w: &mut TraceWork,
) -> Option<(Vec<f64>, f64)> {
    let dim = w.dim;
    // The reference row must not be orthogonal to the tangent; if it is
    // (a right-angle turn), any unit vector that works will do, the
    // determinant fixes the orientation.
    if !w.factor_augmented(jac, reference) {
        let found = (0..dim).rev().any(|i| {
            let mut e = vec![0.0; dim];
            e[i] = 1.0;
            w.factor_augmented(jac, &e)
        });
        if !found {
            return None;
        }
    }
    let mut sol = vec![0.0; dim];
    w.lu.solve_into(&w.rhs, &mut sol);
    // `sol` solves `[J; r] sol = e_last` for the row `r` just factorised,
    // so `J sol = 0` and `r · sol = 1`. The cofactors `C` of the last row
    // satisfy `J C = 0` and `det [J; v] = v · C` for every row `v`, so
    // `C = det [J; r] · sol` and `det [J; sol] = det [J; r] · |sol|²`:
    // the same sign as the factorised matrix.
    let mut sign = w.lu.det_sign;
    let mut nt = normalized(sol);
    let flip = match orientation {
        Some(o) => {
            if !w.factor_augmented(jac, &nt) {
                return None;
            }
            sign = w.lu.det_sign;
            sign != o
        }
        None => nt.iter().zip(reference).map(|(a, b)| a * b).sum::<f64>() < 0.0,
    };
    if flip {
        nt.iter_mut().for_each(|v| *v = -*v);
        sign = -sign;
    }
    Some((nt, sign))
}

/// Predictor `y + h τ` and Newton corrector on `[J; τᵀ]`; returns the
/// corrected point, its Jacobian and the number of corrector iterations.
fn correct<S: PathSystem>(
    sys: &S,
    y: &[f64],
    tangent: &[f64],
    h: f64,
    opts: &TraceOptions,
    w: &mut TraceWork,
) -> Option<(Vec<f64>, Vec<f64>, usize)> {
    let mut yc: Vec<f64> = y.iter().zip(tangent).map(|(a, t)| a + h * t).collect();
    let mut last_dx = f64::INFINITY;
    let mut f = std::mem::take(&mut w.f);
    let mut jac = std::mem::take(&mut w.jac);
    let mut out = None;
    for it in 0..8 {
        sys.eval_into(&yc, &mut f, &mut jac);
        if f.iter().any(|v| !v.is_finite()) {
            break;
        }
        w.b.clear();
        w.b.extend(f.iter().map(|v| -v));
        w.b.push(0.0);
        if !w.factor_augmented(&jac, tangent) {
            break;
        }
        w.dx.resize(w.dim, 0.0);
        w.lu.solve_into(&w.b, &mut w.dx);
        let dn = inf_norm(&w.dx);
        let diverging = !dn.is_finite()
            || (it == 0 && dn > (2.0 * h).max(1e-12))
            || (it > 0 && dn > 0.5 * last_dx && dn > 1e-10);
        if diverging {
            break;
        }
        for (a, d) in yc.iter_mut().zip(&w.dx) {
            *a += d;
        }
        last_dx = dn;
        if dn <= opts.tol * (1.0 + inf_norm(&yc)) {
            sys.eval_into(&yc, &mut f, &mut jac);
            if inf_norm(&f) <= opts.tol * 100.0 {
                out = Some((yc, jac.clone(), it + 1));
            }
            break;
        }
    }
    w.f = f;
    w.jac = jac;
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use detente_game::Rational;
    use num_bigint::BigInt;

    pub fn game(shape: &[usize], tables: &[Vec<i64>]) -> NormalFormGame {
        let t: Vec<Vec<Rational>> = tables
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&v| Rational::from_integer(BigInt::from(v)))
                    .collect()
            })
            .collect();
        match NormalFormGame::from_tables(shape, &t) {
            Ok(g) => g,
            Err(e) => panic!("bad test game: {e}"),
        }
    }

    /// The 2x2x2 game of McKelvey and McLennan with 9 equilibria
    /// (`contrib/2x2x2.nfg`), cells in Gambit order.
    pub fn mckelvey_mclennan() -> NormalFormGame {
        game(
            &[2, 2, 2],
            &[
                vec![9, 0, 0, 9, 0, 3, 3, 0],
                vec![8, 0, 0, 8, 0, 4, 4, 0],
                vec![12, 0, 0, 2, 0, 6, 6, 0],
            ],
        )
    }

    pub fn matching_pennies() -> NormalFormGame {
        game(&[2, 2], &[vec![1, -1, -1, 1], vec![-1, 1, 1, -1]])
    }

    #[test]
    fn values_match_independent_regret() {
        let g = mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let mut rng = SplitMix64::new(7);
        for _ in 0..20 {
            let x = rng.profile(&t);
            let r1 = t.max_regret(&x) * t.scale;
            let r2 = independent_max_regret(&g, &t.nest(&x));
            assert!((r1 - r2).abs() < 1e-12, "{r1} vs {r2}");
        }
    }

    #[test]
    fn pair_table_is_the_derivative() {
        let g = mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let mut rng = SplitMix64::new(3);
        let x = rng.profile(&t);
        let (v, d) = t.values_and_pairs(&x);
        assert_eq!(v, t.values(&x));
        let eps = 1e-6;
        for b in 0..t.k {
            let mut xp = x.clone();
            xp[b] += eps;
            let vp = t.values(&xp);
            for a in 0..t.k {
                if t.owner(a) == t.owner(b) {
                    assert_eq!(d[a * t.k + b], 0.0);
                    continue;
                }
                let fd = (vp[a] - v[a]) / eps;
                assert!((fd - d[a * t.k + b]).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn projection_lands_on_simplices() {
        let g = mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let x = project_to_simplices(&t, &[3.0, 1.0, 0.2, 0.4, -1.0, -1.0]);
        assert_eq!(x[0..2], [1.0, 0.0]);
        assert!((x[2] - 0.4).abs() < 1e-12 && (x[3] - 0.6).abs() < 1e-12);
        assert!((x[4] - 0.5).abs() < 1e-12);
    }

    /// Newton's method on a support as it was written before its buffers
    /// and residual-only trial points: the reference of the bit-for-bit
    /// test below.
    fn reference_support_system(
        t: &PayoffTensor,
        support: &[usize],
        x: &[f64],
    ) -> (Vec<f64>, Vec<f64>) {
        let m = support.len();
        let (v, d) = t.values_and_pairs(x);
        let k = t.k;
        let mut f = Vec::with_capacity(m);
        let mut jac = Vec::with_capacity(m * m);
        let mut idx = 0;
        for j in 0..t.n {
            let start = idx;
            while idx < m && t.owner(support[idx]) == j {
                idx += 1;
            }
            let block = &support[start..idx];
            if block.is_empty() {
                continue;
            }
            let a0 = block[0];
            for &a in &block[1..] {
                f.push(v[a] - v[a0]);
                for &b in support {
                    jac.push(d[a * k + b] - d[a0 * k + b]);
                }
            }
            f.push(block.iter().map(|&a| x[a]).sum::<f64>() - 1.0);
            for &b in support {
                jac.push(if t.owner(b) == j { 1.0 } else { 0.0 });
            }
        }
        (f, jac)
    }

    fn reference_newton(
        t: &PayoffTensor,
        support: &[usize],
        x0: &[f64],
        max_iter: usize,
    ) -> Option<(Vec<f64>, bool)> {
        let m = support.len();
        let mut x = vec![0.0; t.k];
        for &a in support {
            x[a] = x0[a];
        }
        let (mut f, mut jac) = reference_support_system(t, support, &x);
        let mut norm = inf_norm(&f);
        for _ in 0..max_iter {
            if !norm.is_finite() {
                return None;
            }
            if norm < 1e-14 {
                break;
            }
            let step = match Lu::new(&jac, m) {
                Some(lu) => lu.solve(&f.iter().map(|v| -v).collect::<Vec<_>>()),
                None => lm_step(&jac, &f, m, m, 1e-10)?,
            };
            let mut alpha = 1.0;
            let mut accepted = false;
            for _ in 0..12 {
                let mut xn = x.clone();
                for (i, &a) in support.iter().enumerate() {
                    xn[a] += alpha * step[i];
                }
                let (fn_, jn) = reference_support_system(t, support, &xn);
                let nn = inf_norm(&fn_);
                if nn.is_finite() && (nn < norm || nn < 1e-14) {
                    x = xn;
                    f = fn_;
                    jac = jn;
                    norm = nn;
                    accepted = true;
                    break;
                }
                alpha *= 0.5;
            }
            if !accepted {
                break;
            }
        }
        if !(norm < 1e-11) {
            return None;
        }
        let regular = Lu::new(&jac, m).is_some();
        Some((x, regular))
    }

    /// The reference contraction: the column pass as first written, with
    /// its arrays on the heap and the number of players a variable.
    fn reference_values(t: &PayoffTensor, x: &[f64], pairs: bool) -> (Vec<f64>, Vec<f64>) {
        let (n, k) = (t.n, t.k);
        let mut v = vec![0.0; k];
        let mut d = vec![0.0; k * k];
        let s0 = t.shape[0];
        let mut pure = vec![0usize; n];
        let mut idx: Vec<usize> = t.offsets.clone();
        let mut pre = vec![1.0; n + 1];
        let mut suf = vec![1.0; n + 1];
        let mut sp = vec![0.0; n];
        let max_zeros = if pairs { 2 } else { 1 };
        for col in 0..t.cells / s0 {
            let mut zeros = 0;
            for p in 1..n {
                let pr = x[idx[p]];
                if pr == 0.0 {
                    zeros += 1;
                }
                pre[p + 1] = pre[p] * pr;
            }
            if zeros <= max_zeros {
                suf[n] = 1.0;
                for p in (1..n).rev() {
                    suf[p] = suf[p + 1] * x[idx[p]];
                }
                let all = pre[n];
                sp.iter_mut().for_each(|a| *a = 0.0);
                let base = col * s0;
                for h0 in 0..s0 {
                    let pay = &t.pay[(base + h0) * n..(base + h0 + 1) * n];
                    v[h0] += all * pay[0];
                    for p in 1..n {
                        sp[p] += x[h0] * pay[p];
                    }
                    if pairs {
                        for p in 1..n {
                            let l1 = pre[p] * suf[p + 1];
                            if l1 != 0.0 {
                                d[h0 * k + idx[p]] += l1 * pay[0];
                                d[idx[p] * k + h0] += l1 * pay[p];
                            }
                        }
                    }
                }
                for p in 1..n {
                    let ap = idx[p];
                    v[ap] += pre[p] * suf[p + 1] * sp[p];
                    if pairs {
                        let mut mid = pre[p];
                        for q in (p + 1)..n {
                            let w2 = mid * suf[q + 1];
                            if w2 != 0.0 {
                                d[ap * k + idx[q]] += w2 * sp[p];
                                d[idx[q] * k + ap] += w2 * sp[q];
                            }
                            mid *= x[idx[q]];
                        }
                    }
                }
            }
            for p in 1..n {
                pure[p] += 1;
                idx[p] += 1;
                if pure[p] < t.shape[p] {
                    break;
                }
                pure[p] = 0;
                idx[p] = t.offsets[p];
            }
        }
        (v, d)
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    proptest::proptest! {
        /// Values, pairs, Newton on a support and the triangular solves
        /// are the first-written code's numbers bit for bit, for two to
        /// seven players (fixed-size and general passes), profiles with
        /// zeros and negative entries (Newton's iterates) included.
        #[test]
        fn fast_paths_equal_the_reference_bit_for_bit(
            shape in proptest::collection::vec(1usize..4, 2..8),
            seed in 0u64..1000,
            zeros in proptest::collection::vec(proptest::bool::ANY, 24),
            negative in proptest::bool::ANY,
        ) {
            let cells: usize = shape.iter().product();
            let mut rng = SplitMix64::new(seed);
            let tables: Vec<Vec<i64>> = shape
                .iter()
                .map(|_| (0..cells).map(|_| (rng.next_u64() % 41) as i64 - 20).collect())
                .collect();
            let g = game(&shape, &tables);
            let t = PayoffTensor::new(&g);
            let mut x = rng.profile(&t);
            for (i, z) in zeros.iter().enumerate().take(t.k) {
                if *z && i % 3 == 0 {
                    x[i] = 0.0;
                }
            }
            if negative {
                x[t.k - 1] = -0.75;
            }
            let (rv1, _) = reference_values(&t, &x, false);
            let (rv2, rd2) = reference_values(&t, &x, true);
            proptest::prop_assert_eq!(bits(&t.values(&x)), bits(&rv1));
            let (v2, d2) = t.values_and_pairs(&x);
            proptest::prop_assert_eq!(bits(&v2), bits(&rv2));
            proptest::prop_assert_eq!(bits(&d2), bits(&rd2));
            let mut v3 = vec![0.0; t.k];
            t.values_as_with_pairs_into(&x, &mut v3);
            proptest::prop_assert_eq!(bits(&v3), bits(&rv2));
            // Newton from a perturbed profile on the full support and on
            // a smaller one.
            let full: Vec<usize> = (0..t.k).collect();
            let part: Vec<usize> = (0..t.k).filter(|a| !zeros[a % 24] || t.shape[t.owner(*a)] == 1).collect();
            let x0 = rng.profile(&t);
            for support in [&full, &part] {
                let want = reference_newton(&t, support, &x0, 40);
                let got = newton_on_support(&t, support, &x0, 40);
                proptest::prop_assert_eq!(
                    want.map(|(y, r)| (bits(&y), r)),
                    got.map(|(y, r)| (bits(&y), r))
                );
            }
            // The column-ordered forward substitution.
            let m = t.k.min(8);
            let a: Vec<f64> = (0..m * m).map(|_| rng.next_f64() - 0.5).collect();
            let b: Vec<f64> = (0..m).map(|_| rng.next_f64()).collect();
            if let Some(lu) = Lu::new(&a, m) {
                let mut y: Vec<f64> = lu.perm.iter().map(|&p| b[p]).collect();
                for r in 0..m {
                    let mut s = y[r];
                    for c in 0..r {
                        s -= lu.lu[r * m + c] * y[c];
                    }
                    y[r] = s;
                }
                for r in (0..m).rev() {
                    let mut s = y[r];
                    for c in (r + 1)..m {
                        s -= lu.lu[r * m + c] * y[c];
                    }
                    y[r] = s / lu.lu[r * m + r];
                }
                proptest::prop_assert_eq!(bits(&lu.solve(&b)), bits(&y));
            }
        }
    }

    proptest::proptest! {
        /// The tensor's bounds are `payoff_range_f64`'s, bit for bit, for
        /// integer, decimal and huge payoffs.
        #[test]
        fn tensor_bounds_are_the_exact_range(
            nums in proptest::collection::vec(-3000i64..3000, 8),
            dens in proptest::collection::vec(prop_oneof_dens(), 8),
            huge in proptest::bool::ANY,
        ) {
            use num_bigint::BigInt;
            let mut q: Vec<Rational> = nums
                .iter()
                .zip(&dens)
                .map(|(&n, &d)| Rational::new(BigInt::from(n), BigInt::from(d)))
                .collect();
            if huge {
                q[3] = Rational::new(BigInt::from(10).pow(25) + 1, BigInt::from(3));
            }
            let tables = vec![q[..4].to_vec(), q[4..].to_vec()];
            let g = match NormalFormGame::from_tables(&[2, 2], &tables) {
                Ok(g) => g,
                Err(e) => return Err(proptest::test_runner::TestCaseError::fail(e.to_string())),
            };
            let t = PayoffTensor::new(&g);
            let (lo, hi, _) = g.payoff_range_f64();
            proptest::prop_assert_eq!(t.min.to_bits(), lo.to_bits());
            let scale = if hi > lo && (hi - lo).is_finite() { hi - lo } else { 1.0 };
            proptest::prop_assert_eq!(t.scale.to_bits(), scale.to_bits());
        }
    }

    fn prop_oneof_dens() -> impl proptest::strategy::Strategy<Value = i64> {
        proptest::prop_oneof![proptest::strategy::Just(1i64), 1i64..2000]
    }

    #[test]
    fn refine_finds_matching_pennies_equilibrium() {
        let g = matching_pennies();
        let t = PayoffTensor::new(&g);
        let y = refine_on_support(&t, &[0.45, 0.55, 0.6, 0.4], 1e-9);
        let y = match y {
            Some(y) => y,
            None => panic!("no refinement"),
        };
        for v in y {
            assert!((v - 0.5).abs() < 1e-12);
        }
    }

    /// Near a pure equilibrium the polish returns the pure profile itself
    /// (what Newton's method gives on a one-strategy support); near a pure
    /// profile that is not an equilibrium it goes on to larger supports.
    #[test]
    fn refine_returns_pure_equilibria_exactly() {
        // 2x2x2 coordination: everyone gets 1 when all choose alike.
        let same: Vec<i64> = (0..8).map(|c| i64::from(c == 0 || c == 7)).collect();
        let g = game(&[2, 2, 2], &[same.clone(), same.clone(), same]);
        let t = PayoffTensor::new(&g);
        let x = [1.0 - 1e-9, 1e-9, 1.0, 0.0, 0.999_999, 1e-6];
        assert_eq!(
            refine_on_support(&t, &x, 1e-9),
            Some(vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
        );
        // Matching pennies, even from a pure profile: the pure guess fails
        // and the best-response guesses lead to the mixed equilibrium.
        let t = PayoffTensor::new(&matching_pennies());
        for x in [[0.6, 0.4, 0.45, 0.55], [1.0, 0.0, 1.0, 0.0]] {
            let y = refine_on_support(&t, &x, 1e-9);
            assert!(y.is_some_and(|y| y.iter().all(|v| (v - 0.5).abs() < 1e-12)));
        }
    }

    /// The LU as it was written before its row updates were vectorised
    /// (indexed loops), for the bit-for-bit comparison below.
    fn reference_lu(a: &[f64], n: usize) -> Option<(Vec<f64>, Vec<usize>, f64)> {
        let mut lu = a.to_vec();
        let mut perm: Vec<usize> = (0..n).collect();
        let mut sign = 1.0;
        let amax = lu.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if !(amax > 0.0) || !amax.is_finite() {
            return None;
        }
        for c in 0..n {
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
                for col in 0..n {
                    lu.swap(c * n + col, piv * n + col);
                }
                perm.swap(c, piv);
                sign = -sign;
            }
            let d = lu[c * n + c];
            if d < 0.0 {
                sign = -sign;
            }
            for r in (c + 1)..n {
                let f = lu[r * n + c] / d;
                if f != 0.0 {
                    lu[r * n + c] = f;
                    for col in (c + 1)..n {
                        lu[r * n + col] -= f * lu[c * n + col];
                    }
                } else {
                    lu[r * n + c] = 0.0;
                }
            }
        }
        Some((lu, perm, sign))
    }

    proptest::proptest! {
        /// The vectorised LU is the indexed one bit for bit (zeros, signed
        /// zeros and singular matrices included).
        #[test]
        fn lu_equals_the_indexed_loops_bit_for_bit(
            n in 1usize..9,
            entries in proptest::collection::vec((-4i32..5, 0u8..4), 64),
        ) {
            let a: Vec<f64> = entries[..n * n]
                .iter()
                .map(|&(v, kind)| match kind {
                    0 => 0.0,
                    1 => -0.0,
                    2 => f64::from(v) / 3.0,
                    _ => f64::from(v) * 1.1,
                })
                .collect();
            let mut lu = Lu::with_size(n);
            let ok = lu.refactor(&a);
            match reference_lu(&a, n) {
                None => proptest::prop_assert!(!ok),
                Some((r, perm, sign)) => {
                    proptest::prop_assert!(ok);
                    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    proptest::prop_assert_eq!(bits(&lu.lu), bits(&r));
                    proptest::prop_assert_eq!(&lu.perm, &perm);
                    proptest::prop_assert_eq!(lu.det_sign, sign);
                }
            }
        }
    }

    #[test]
    fn the_game_table_is_the_per_payoff_conversion_and_is_shared() {
        use num_bigint::BigInt;
        let q = |n: BigInt, d: i64| Rational::new(n, BigInt::from(d));
        let big = BigInt::from(10).pow(30) + BigInt::from(7);
        let tables = vec![
            vec![
                q(BigInt::from(3), 1),
                q(BigInt::from(-1), 3),
                q(big.clone(), 7),
                q(BigInt::from(0), 1),
            ],
            vec![
                q(BigInt::from(2), 5),
                q(-big, 3),
                q(BigInt::from(9_007_199_254_740_993i64), 1),
                q(BigInt::from(1), 1),
            ],
        ];
        let g = match NormalFormGame::from_tables(&[2, 2], &tables) {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        };
        let t = PayoffTensor::new(&g);
        let slow: Vec<u64> = (0..g.num_profiles())
            .flat_map(|c| (0..2).map(move |p| (c, p)))
            .map(|(c, p)| detente_game::Scalar::to_f64(g.payoff(c, p)).to_bits())
            .collect();
        let fast: Vec<u64> = g.payoff_table_f64().iter().map(|v| v.to_bits()).collect();
        assert_eq!(fast, slow);
        let (lo, hi) = g.payoff_range();
        assert_eq!(t.min.to_bits(), detente_game::Scalar::to_f64(&lo).to_bits());
        let max = detente_game::Scalar::to_f64(&hi);
        assert_eq!(t.scale.to_bits(), (max - t.min).to_bits());
        let coll = Collector::new(&g, &t, 1e-9);
        assert_eq!(
            coll.raw.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            slow
        );
    }
}
