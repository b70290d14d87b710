//! Power indices of voting bodies, computed exactly by generating functions
//! (dynamic programming over weights), never by listing coalitions.
//!
//! * Shapley–Shubik index (L. S. Shapley and M. Shubik, "A method for
//!   evaluating the distribution of power in a committee system", *American
//!   Political Science Review* 48 (1954) 787–792): the share of the `n!`
//!   orderings in which a member is pivotal.
//! * Banzhaf index (J. F. Banzhaf III, "Weighted voting doesn't work: a
//!   mathematical analysis", *Rutgers Law Review* 19 (1965) 317–343): swings
//!   `η_i`, absolute `η_i / 2ⁿ⁻¹` (Penrose's measure) and normalized
//!   `η_i / Σ η`.
//! * Coleman's power of the collectivity to act `|W| / 2ⁿ`, power to prevent
//!   action `η_i / |W|` and power to initiate action `η_i / (2ⁿ − |W|)`
//!   (J. S. Coleman, "Control of collectivities and the power of a
//!   collectivity to act", in B. Lieberman (ed.), *Social Choice*, 1971).
//!
//! Method: generating functions (S. J. Brams and P. J. Affuso, "Power and
//! size: a new paradox", *Theory and Decision* 7 (1976) 29–56; I. Mann and
//! L. S. Shapley, "Values of large games VI: evaluating the Electoral College
//! exactly", RAND RM-3158, 1962). The counts of coalitions by size and by
//! each condition's weight (saturated at the quota) are built once for the
//! whole body; each member's counts without it are then recovered by
//! polynomial division (one subtraction per cell), so the cost is
//! `O(n² · Π quotas)` for all members together, in exact wrapping integer
//! arithmetic of `n + 1` bits (see [`crate::count`]).
//!
//! For a single weighted condition too large for a size-resolved table (a
//! thousand voters with weights in the thousands), the Banzhaf index uses a
//! weight-only table (`O(n q)`, exact) and the Shapley–Shubik index is the
//! integral of Owen's multilinear extension (G. Owen, "Multilinear extensions
//! and the Banzhaf value", *Naval Research Logistics Quarterly* 22 (1975)
//! 741–750) by Gauss–Legendre quadrature, in `f64`.

use crate::body::VotingBody;
use crate::count::Count;
use crate::quadrature::gauss_legendre;
use detente_game::{GameError, Rational};
use num_bigint::{BigInt, BigUint};
use num_traits::{One, Zero};
use std::collections::HashMap;

/// Memory budget for the size-resolved count table, in bytes.
pub const EXACT_TABLE_BYTES: u128 = 1 << 30;

/// Largest body (members) the exact engines accept: counts need `n + 1` bits
/// and the widest counter has 4096.
pub const MAX_EXACT_MEMBERS: usize = 4000;

/// Largest total weight for the floating-point weight tables (2²⁷ entries
/// of 8 bytes).
pub const MAX_FLOAT_TABLE: u64 = 1 << 27;

/// Options for [`power_indices`].
#[derive(Debug, Clone, Default)]
pub struct PowerOptions {
    /// Require exact rational results for every index (an error if the body
    /// is too large for the exact Shapley–Shubik table).
    pub exact: bool,
}

/// Exact power indices (rationals).
#[derive(Debug, Clone, PartialEq)]
pub struct ExactIndices {
    pub shapley_shubik: Vec<Rational>,
    pub banzhaf_normalized: Vec<Rational>,
    pub banzhaf_absolute: Vec<Rational>,
    pub coleman_prevent: Vec<Rational>,
    pub coleman_initiate: Vec<Rational>,
    pub coleman_power_to_act: Rational,
    /// Banzhaf swings `η_i`: coalitions of the others that lose without
    /// member `i` and pass with it.
    pub swings: Vec<BigUint>,
}

/// Power indices of a voting body.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerIndices {
    pub players: Vec<String>,
    pub shapley_shubik: Vec<f64>,
    pub banzhaf_normalized: Vec<f64>,
    pub banzhaf_absolute: Vec<f64>,
    pub coleman_prevent: Vec<f64>,
    pub coleman_initiate: Vec<f64>,
    pub coleman_power_to_act: f64,
    /// The exact values, when the body was small enough for the exact
    /// size-resolved table.
    pub exact: Option<ExactIndices>,
    /// How the indices were computed.
    pub method: String,
}

/// Computes the Shapley–Shubik, Banzhaf and Coleman indices of a body.
pub fn power_indices(body: &VotingBody, opts: &PowerOptions) -> Result<PowerIndices, GameError> {
    let n = body.len();
    if n > MAX_EXACT_MEMBERS {
        return Err(GameError::Invalid(format!(
            "voting body '{}' has {n} members; the exact methods handle at most {MAX_EXACT_MEMBERS}",
            body.name
        )));
    }
    let layout = Layout::new(body);
    let bits = n + 2;
    let cells = layout.cells();
    let counter_bytes: u128 = if bits < 64 {
        8
    } else if bits < 128 {
        16
    } else {
        8 * (bits as u128).next_power_of_two() / 64
    };
    if cells.saturating_mul(counter_bytes) <= EXACT_TABLE_BYTES {
        let exact = crate::with_counter!(bits, T, { exact_engine::<T>(&layout) }, {
            return Err(GameError::Invalid(format!(
                "voting body '{}' is too large",
                body.name
            )));
        });
        return Ok(from_exact(
            body,
            exact,
            "exact generating functions (size × saturated weights)",
        ));
    }
    // Too large for the size-resolved table.
    let single = body.conditions.len() == 1
        && !body.required.iter().any(|&r| r)
        && body.pass_with_members.is_none();
    if !single {
        return Err(GameError::Invalid(format!(
            "voting body '{}' is too large for the exact method: the count table would have {cells} cells \
             (members + 1) × Π (quota + 1); scale the weights down (e.g. population in thousands)",
            body.name
        )));
    }
    if opts.exact {
        return Err(GameError::Invalid(format!(
            "voting body '{}' is too large for the exact Shapley–Shubik index ({cells} table cells); \
             drop --exact to get floating-point values (Banzhaf exact by weight counts, Shapley–Shubik by quadrature)",
            body.name
        )));
    }
    let cond = &body.conditions[0];
    let total = cond.total();
    if total > MAX_FLOAT_TABLE {
        return Err(GameError::Invalid(format!(
            "voting body '{}': total weight {total} is too large for the weight tables (at most {MAX_FLOAT_TABLE}); \
             scale the weights down",
            body.name
        )));
    }
    let bz = banzhaf_weighted_f64(&cond.weights, cond.quota);
    let ss = shapley_shubik_quadrature(&cond.weights, cond.quota);
    let total: f64 = bz.swing_prob.iter().sum();
    let act = bz.win_prob;
    let lose = 1.0 - act;
    Ok(PowerIndices {
        players: body.members.clone(),
        shapley_shubik: ss,
        banzhaf_normalized: bz.swing_prob.iter().map(|&b| b / total).collect(),
        banzhaf_absolute: bz.swing_prob.clone(),
        // η_i / |W| = (β_i 2ⁿ⁻¹) / (act 2ⁿ) = β_i / (2 act).
        coleman_prevent: bz.swing_prob.iter().map(|&b| b / (2.0 * act)).collect(),
        coleman_initiate: bz.swing_prob.iter().map(|&b| b / (2.0 * lose)).collect(),
        coleman_power_to_act: act,
        exact: None,
        method: "Banzhaf and Coleman by weight generating function (f64); Shapley–Shubik by Gauss–Legendre \
                 quadrature of the multilinear extension (f64)"
            .into(),
    })
}

fn from_exact(body: &VotingBody, ex: ExactIndices, method: &str) -> PowerIndices {
    let f = |v: &[Rational]| {
        v.iter()
            .map(detente_game::number::rational_to_f64)
            .collect::<Vec<f64>>()
    };
    PowerIndices {
        players: body.members.clone(),
        shapley_shubik: f(&ex.shapley_shubik),
        banzhaf_normalized: f(&ex.banzhaf_normalized),
        banzhaf_absolute: f(&ex.banzhaf_absolute),
        coleman_prevent: f(&ex.coleman_prevent),
        coleman_initiate: f(&ex.coleman_initiate),
        coleman_power_to_act: detente_game::number::rational_to_f64(&ex.coleman_power_to_act),
        exact: Some(ex),
        method: method.into(),
    }
}

/// The state space of the size-resolved table: coalition size (0..=n) times
/// one saturated weight per non-head-count condition (and one counting the
/// veto members present).
struct Layout {
    n: usize,
    /// Per dimension: its cap (the quota; values at the cap mean "≥ quota").
    caps: Vec<u64>,
    strides: Vec<usize>,
    /// Number of weight states, Π (cap + 1).
    p: usize,
    /// Per member, its (saturated) weight in each dimension.
    weights: Vec<Vec<u64>>,
    /// Coalitions of at least this size meet every head-count condition.
    min_size: usize,
    /// Coalitions of at least this size pass regardless (n + 1: never).
    pass_with: usize,
    /// The state where every dimension is saturated.
    full: usize,
    /// `p` did not fit in `usize`, or overflowed: the table is too large.
    overflow: bool,
}

impl Layout {
    fn new(body: &VotingBody) -> Self {
        let n = body.len();
        let mut caps = Vec::new();
        let mut dim_weights: Vec<Vec<u64>> = Vec::new();
        let mut min_size = 0usize;
        for c in &body.conditions {
            if c.is_head_count() {
                min_size = min_size.max(c.quota as usize);
            } else {
                caps.push(c.quota);
                dim_weights.push(c.weights.iter().map(|&w| w.min(c.quota)).collect());
            }
        }
        let r = body.required.iter().filter(|&&x| x).count();
        if r > 0 {
            caps.push(r as u64);
            dim_weights.push(body.required.iter().map(|&x| x as u64).collect());
        }
        let mut strides = Vec::with_capacity(caps.len());
        let mut p: u128 = 1;
        let mut overflow = false;
        for &c in &caps {
            strides.push(p as usize);
            p = p.saturating_mul(c as u128 + 1);
            if p > usize::MAX as u128 / 2 {
                overflow = true;
            }
        }
        let p = if overflow { usize::MAX / 4 } else { p as usize };
        let full = if overflow {
            0
        } else {
            caps.iter()
                .zip(&strides)
                .map(|(&c, &s)| c as usize * s)
                .sum()
        };
        let weights = (0..n)
            .map(|i| dim_weights.iter().map(|w| w[i]).collect())
            .collect();
        Layout {
            n,
            caps,
            strides,
            p,
            weights,
            min_size,
            pass_with: body.pass_with_members.unwrap_or(n + 1),
            full,
            overflow,
        }
    }

    fn cells(&self) -> u128 {
        if self.overflow {
            u128::MAX
        } else {
            (self.n as u128 + 1) * self.p as u128
        }
    }

    #[inline]
    fn wins(&self, size: usize, state: usize) -> bool {
        size >= self.pass_with || (size >= self.min_size && state == self.full)
    }

    /// Where each state goes when a member with these weights joins.
    fn shift_map(&self, w: &[u64]) -> Vec<usize> {
        let dims = self.caps.len();
        let mut map = Vec::with_capacity(self.p);
        let mut digits = vec![0u64; dims];
        for _ in 0..self.p {
            let mut t = 0usize;
            for (k, &d) in digits.iter().enumerate() {
                t += (d + w[k]).min(self.caps[k]) as usize * self.strides[k];
            }
            map.push(t);
            // Increment the mixed-radix counter.
            for (d, &cap) in digits.iter_mut().zip(&self.caps) {
                *d += 1;
                if *d <= cap {
                    break;
                }
                *d = 0;
            }
        }
        map
    }
}

fn exact_engine<T: Count>(layout: &Layout) -> ExactIndices {
    let n = layout.n;
    let p = layout.p;
    // Full table: counts[s * p + v] = coalitions of size s in state v.
    let mut table = vec![T::zero(); (n + 1) * p];
    table[0] = T::one();
    let mut maps: HashMap<Vec<u64>, Vec<usize>> = HashMap::new();
    for (j, w) in layout.weights.iter().enumerate() {
        let map = maps.entry(w.clone()).or_insert_with(|| layout.shift_map(w));
        for s in (0..=j).rev() {
            let (lo, hi) = table.split_at_mut((s + 1) * p);
            let src = &lo[s * p..];
            let dst = &mut hi[..p];
            for v in 0..p {
                let c = src[v];
                if !c.is_zero() {
                    let t = map[v];
                    dst[t] = dst[t].add(c);
                }
            }
        }
    }
    // Winning coalitions.
    let mut winning = T::zero();
    for s in 0..=n {
        for v in 0..p {
            if layout.wins(s, v) {
                winning = winning.add(table[s * p + v]);
            }
        }
    }
    // Swings by size for each distinct member type.
    let mut by_type: HashMap<Vec<u64>, Vec<T>> = HashMap::new();
    let mut swings_by_size: Vec<Vec<T>> = Vec::with_capacity(n);
    for w in &layout.weights {
        if let Some(s) = by_type.get(w) {
            swings_by_size.push(s.clone());
            continue;
        }
        let map = maps.entry(w.clone()).or_insert_with(|| layout.shift_map(w));
        let mut sw = vec![T::zero(); n];
        let mut prev = vec![T::zero(); p];
        let mut cur = vec![T::zero(); p];
        for s in 0..n {
            cur.copy_from_slice(&table[s * p..(s + 1) * p]);
            if s > 0 {
                for v in 0..p {
                    let d = prev[v];
                    if !d.is_zero() {
                        let t = map[v];
                        cur[t] = cur[t].sub(d);
                    }
                }
            }
            let mut acc = T::zero();
            for v in 0..p {
                let c = cur[v];
                if !c.is_zero() && !layout.wins(s, v) && layout.wins(s + 1, map[v]) {
                    acc = acc.add(c);
                }
            }
            sw[s] = acc;
            std::mem::swap(&mut prev, &mut cur);
        }
        by_type.insert(w.clone(), sw.clone());
        swings_by_size.push(sw);
    }
    finish_exact(n, &swings_by_size, winning.to_biguint())
}

/// Turns swings by coalition size into the exact indices.
fn finish_exact<T: Count>(n: usize, swings_by_size: &[Vec<T>], winning: BigUint) -> ExactIndices {
    let mut fact = vec![BigUint::one()];
    for k in 1..=n {
        let next = &fact[k - 1] * BigUint::from(k);
        fact.push(next);
    }
    let n_fact = BigInt::from(fact[n].clone());
    let mut ss = Vec::with_capacity(n);
    let mut swings = Vec::with_capacity(n);
    for sw in swings_by_size {
        let mut num = BigUint::zero();
        let mut total = BigUint::zero();
        for (s, c) in sw.iter().enumerate() {
            if c.is_zero() {
                continue;
            }
            let c = c.to_biguint();
            num += &c * &fact[s] * &fact[n - 1 - s];
            total += c;
        }
        ss.push(Rational::new(BigInt::from(num), n_fact.clone()));
        swings.push(total);
    }
    let all: BigUint = swings.iter().sum();
    let two_n1 = BigInt::one() << (n - 1);
    let two_n = BigInt::one() << n;
    let w = BigInt::from(winning);
    let l = &two_n - &w;
    let rat = |a: &BigUint, b: &BigInt| {
        if b.is_zero() {
            Rational::zero()
        } else {
            Rational::new(BigInt::from(a.clone()), b.clone())
        }
    };
    let all_i = BigInt::from(all);
    ExactIndices {
        banzhaf_normalized: swings.iter().map(|s| rat(s, &all_i)).collect(),
        banzhaf_absolute: swings.iter().map(|s| rat(s, &two_n1)).collect(),
        coleman_prevent: swings.iter().map(|s| rat(s, &w)).collect(),
        coleman_initiate: swings.iter().map(|s| rat(s, &l)).collect(),
        coleman_power_to_act: Rational::new(w.clone(), two_n),
        shapley_shubik: ss,
        swings,
    }
}

/// Exact Banzhaf swings of a weighted game `[q; w]` from the weight-only
/// generating function (`O(n q)` counter additions): coalitions of the
/// others with weight in `[q − w_i, q)`, recovered from prefix sums of the
/// full counts by an alternating sum (the polynomial division by
/// `1 + x^{w_i}`). Returns `(swings, winning coalitions)`.
pub fn banzhaf_swings_weighted(
    weights: &[u64],
    quota: u64,
) -> Result<(Vec<BigUint>, BigUint), GameError> {
    let n = weights.len();
    if n == 0 {
        return Err(GameError::Invalid("the body has no members".into()));
    }
    let total: u128 = weights.iter().map(|&w| w as u128).sum();
    if quota == 0 || quota as u128 > total {
        return Err(GameError::Invalid(format!(
            "quota {quota} must be between 1 and the total weight {total}"
        )));
    }
    if n > MAX_EXACT_MEMBERS {
        return Err(GameError::Invalid(format!(
            "{n} members: at most {MAX_EXACT_MEMBERS}"
        )));
    }
    let q = usize::try_from(quota)
        .ok()
        .filter(|&q| (q as u128) < (1u128 << 28))
        .ok_or_else(|| {
            GameError::Invalid(format!(
                "quota {quota} is too large for a weight table (at most 2^28)"
            ))
        })?;
    let bits = n + 2;
    crate::with_counter!(bits, T, { Ok(banzhaf_weighted_exact::<T>(weights, q)) }, {
        Err(GameError::Invalid("too many members".into()))
    })
}

fn banzhaf_weighted_exact<T: Count>(weights: &[u64], q: usize) -> (Vec<BigUint>, BigUint) {
    let n = weights.len();
    let mut c = vec![T::zero(); q];
    c[0] = T::one();
    for &w in weights {
        let w = w as usize;
        if w == 0 {
            for x in c.iter_mut() {
                *x = x.add(*x);
            }
        } else if w < q {
            for v in (w..q).rev() {
                c[v] = c[v].add(c[v - w]);
            }
        }
    }
    let mut prefix = vec![T::zero(); q + 1];
    for v in 0..q {
        prefix[v + 1] = prefix[v].add(c[v]);
    }
    let mut cache: HashMap<u64, BigUint> = HashMap::new();
    let mut swings = Vec::with_capacity(n);
    for &w in weights {
        if let Some(s) = cache.get(&w) {
            swings.push(s.clone());
            continue;
        }
        let s = if w == 0 {
            BigUint::zero()
        } else {
            let w = w as usize;
            // Σ_k (−1)^k (S[q − k w] − S[q − (k+1) w]), clamped at 0.
            let mut acc = T::zero();
            let mut k = 0usize;
            while k * w < q {
                let hi = q - k * w;
                let lo = hi.saturating_sub(w);
                let term = prefix[hi].sub(prefix[lo]);
                acc = if k % 2 == 0 {
                    acc.add(term)
                } else {
                    acc.sub(term)
                };
                k += 1;
            }
            acc.to_biguint()
        };
        cache.insert(w, s.clone());
        swings.push(s);
    }
    // Winning = 2ⁿ − (coalitions with weight < q).
    let losing = prefix[q].to_biguint();
    let winning = (BigUint::one() << n) - losing;
    (swings, winning)
}

/// Banzhaf swing probabilities in `f64` for a weighted game.
struct BanzhafF64 {
    /// `η_i / 2ⁿ⁻¹` (the absolute Banzhaf index).
    swing_prob: Vec<f64>,
    /// `|W| / 2ⁿ`.
    win_prob: f64,
}

fn banzhaf_weighted_f64(weights: &[u64], quota: u64) -> BanzhafF64 {
    let q = quota as usize;
    let mut p = vec![0.0f64; q];
    p[0] = 1.0;
    for &w in weights {
        let w = w as usize;
        if w == 0 {
            continue;
        }
        let top = q.min(w);
        for v in (w..q).rev() {
            p[v] = 0.5 * (p[v] + p[v - w]);
        }
        for x in p.iter_mut().take(top) {
            *x *= 0.5;
        }
    }
    let mut prefix = vec![0.0f64; q + 1];
    for v in 0..q {
        prefix[v + 1] = prefix[v] + p[v];
    }
    let mut cache: HashMap<u64, f64> = HashMap::new();
    let swing_prob = weights
        .iter()
        .map(|&w| {
            *cache.entry(w).or_insert_with(|| {
                if w == 0 {
                    return 0.0;
                }
                let w = w as usize;
                let mut acc = 0.0;
                let mut k = 0usize;
                while k * w < q {
                    let hi = q - k * w;
                    let lo = hi.saturating_sub(w);
                    let term = prefix[hi] - prefix[lo];
                    acc += if k % 2 == 0 { term } else { -term };
                    k += 1;
                }
                (2.0 * acc).clamp(0.0, 1.0)
            })
        })
        .collect();
    BanzhafF64 {
        swing_prob,
        win_prob: (1.0 - prefix[q]).clamp(0.0, 1.0),
    }
}

/// Shapley–Shubik index of `[q; w]` as `∫₀¹ P(q − w_i ≤ Σ_{j≠i} w_j X_j(t) < q) dt`
/// with independent `X_j ~ Bernoulli(t)` (Owen's multilinear extension),
/// by Gauss–Legendre quadrature split at `t = q / Σw`, where the integrand
/// peaks. The integrand is a polynomial of degree `n − 1`, so the rule is
/// exact (up to rounding) when each panel has at least `n / 2` nodes, as for
/// up to 128 members; larger bodies use 40 nodes on each of the two panels
/// within 8 standard deviations of the peak and 16 on each tail.
pub fn shapley_shubik_quadrature(weights: &[u64], quota: u64) -> Vec<f64> {
    let n = weights.len();
    let total: u64 = weights.iter().sum();
    let q = quota as usize;
    let big_w = total as usize;
    let len = (q - 1).max(big_w - q) + 1;
    let peak = (quota as f64 / total as f64).clamp(0.01, 0.99);
    // Panels: where the integrand lives.
    let var: f64 = weights
        .iter()
        .map(|&w| (w as f64) * (w as f64))
        .sum::<f64>()
        * 0.25;
    let width = (8.0 * var.sqrt() / total as f64).max(0.02);
    let mut cuts = vec![0.0, peak - width, peak, peak + width, 1.0];
    cuts.retain(|&c| (0.0..=1.0).contains(&c));
    cuts.sort_by(|a, b| a.total_cmp(b));
    cuts.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
    // Up to 128 members the rule is exact; beyond, 40 nodes on each panel
    // next to the peak (8 standard deviations wide) and 16 on the tails,
    // where the integrand is below e^-32 of its peak.
    let exact_m = n.div_ceil(2).max(2);
    let rule_near = gauss_legendre(if n <= 128 { exact_m } else { 40 });
    let rule_far = gauss_legendre(if n <= 128 { exact_m } else { 16 });
    let mut ss = vec![0.0f64; n];
    let mut p = vec![0.0f64; len];
    let mut scratch = vec![0.0f64; len];
    let mut prefix = vec![0.0f64; len + 1];
    let mut cache: HashMap<u64, f64> = HashMap::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let near = (a - peak).abs() < 1e-12 || (b - peak).abs() < 1e-12;
        let (xs, ws) = if near { &rule_near } else { &rule_far };
        for (x, wt) in xs.iter().zip(ws) {
            let t = 0.5 * (a + b) + 0.5 * (b - a) * x;
            let weight = 0.5 * (b - a) * wt;
            let flip = t > 0.5;
            let s = if flip { 1.0 - t } else { t };
            // Distribution of the weight of a random coalition (each member
            // in with probability s).
            p.iter_mut().for_each(|x| *x = 0.0);
            p[0] = 1.0;
            // `support`: entries at or above it are still zero.
            let mut support = 1usize;
            let (keep, join) = (1.0 - s, s);
            for &w in weights {
                let w = w as usize;
                if w == 0 {
                    continue;
                }
                let hi = (support + w).min(len);
                // New p[v] = keep·p[v] + join·p[v − w], from two buffers so
                // that the loop vectorizes.
                scratch[..hi].copy_from_slice(&p[..hi]);
                for x in p[..w.min(hi)].iter_mut() {
                    *x *= keep;
                }
                if w < hi {
                    for ((pv, qv), qw) in p[w..hi]
                        .iter_mut()
                        .zip(&scratch[w..hi])
                        .zip(&scratch[..hi - w])
                    {
                        *pv = keep * qv + join * qw;
                    }
                }
                support = hi;
            }
            for v in 0..len {
                prefix[v + 1] = prefix[v] + p[v];
            }
            let r = s / (1.0 - s);
            cache.clear();
            for (i, &w) in weights.iter().enumerate() {
                let g = *cache.entry(w).or_insert_with(|| {
                    if w == 0 {
                        return 0.0;
                    }
                    let w = w as usize;
                    // Window of the counted variable, inclusive.
                    let (lo, hi) = if flip {
                        // Weight of the others who are out.
                        ((big_w - q + 1).saturating_sub(w), big_w - q)
                    } else {
                        (q.saturating_sub(w), q - 1)
                    };
                    let mut acc = 0.0;
                    let mut factor = 1.0;
                    let mut k = 0usize;
                    while k * w <= hi {
                        let top = hi + 1 - k * w;
                        let bot = lo.saturating_sub(k * w).min(top);
                        acc += factor * (prefix[top] - prefix[bot]);
                        factor *= -r;
                        if factor.abs() < 1e-300 {
                            break;
                        }
                        k += 1;
                    }
                    (acc / (1.0 - s)).max(0.0)
                });
                ss[i] += weight * g;
            }
        }
    }
    ss
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{parse_weighted_game, Condition};
    use num_bigint::BigInt;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn exact(body: &VotingBody) -> ExactIndices {
        power_indices(body, &PowerOptions { exact: true })
            .unwrap()
            .exact
            .unwrap()
    }

    /// Brute force over all coalitions, for checking.
    pub(crate) fn brute(body: &VotingBody) -> (Vec<Rational>, Vec<u64>) {
        let n = body.len();
        let mut fact = vec![1u128];
        for k in 1..=n as u128 {
            fact.push(fact[fact.len() - 1] * k);
        }
        let mut ss = vec![Rational::zero(); n];
        let mut sw = vec![0u64; n];
        for mask in 0u32..(1 << n) {
            let c: Vec<bool> = (0..n).map(|i| mask >> i & 1 == 1).collect();
            if body.is_winning(&c) {
                continue;
            }
            let s = c.iter().filter(|&&b| b).count();
            for i in 0..n {
                if !c[i] {
                    let mut d = c.clone();
                    d[i] = true;
                    if body.is_winning(&d) {
                        sw[i] += 1;
                        ss[i] += Rational::new(
                            BigInt::from(fact[s] * fact[n - 1 - s]),
                            BigInt::from(fact[n]),
                        );
                    }
                }
            }
        }
        (ss, sw)
    }

    #[test]
    fn textbook_weighted_game() {
        // [51; 50, 49, 1]: the two small parties are symmetric.
        let b = parse_weighted_game("t", "[51; 50, 49, 1]").unwrap();
        let e = exact(&b);
        assert_eq!(e.shapley_shubik, vec![q(2, 3), q(1, 6), q(1, 6)]);
        assert_eq!(e.banzhaf_normalized, vec![q(3, 5), q(1, 5), q(1, 5)]);
        assert_eq!(e.banzhaf_absolute, vec![q(3, 4), q(1, 4), q(1, 4)]);
        // Winning: {1,2}, {1,3}, {1,2,3}: 3 of 8.
        assert_eq!(e.coleman_power_to_act, q(3, 8));
        assert_eq!(e.coleman_prevent, vec![q(1, 1), q(1, 3), q(1, 3)]);
        assert_eq!(e.coleman_initiate, vec![q(3, 5), q(1, 5), q(1, 5)]);
    }

    fn unsc() -> VotingBody {
        let members: Vec<String> = (0..15).map(|i| format!("M{i}")).collect();
        VotingBody::new(
            "UNSC",
            members,
            vec![Condition {
                label: "members".into(),
                weights: vec![1; 15],
                quota: 9,
            }],
            (0..15).map(|i| i < 5).collect(),
            None,
        )
        .unwrap()
    }

    #[test]
    fn security_council_known_values() {
        let e = exact(&unsc());
        assert_eq!(e.shapley_shubik[0], q(421, 2145));
        assert_eq!(e.shapley_shubik[14], q(4, 2145));
        // Banzhaf swings: permanent 848, elected 84 (Felsenthal & Machover).
        assert_eq!(e.swings[0], BigUint::from(848u32));
        assert_eq!(e.swings[5], BigUint::from(84u32));
        let f = detente_game::number::rational_to_f64(&e.banzhaf_normalized[0]);
        assert!((f - 0.16693).abs() < 1e-5, "{f}");
        // The same game as [39; 7×5, 1×10].
        let w = parse_weighted_game("t", "[39; 7,7,7,7,7,1,1,1,1,1,1,1,1,1,1]").unwrap();
        assert_eq!(exact(&w), e);
    }

    #[test]
    fn composite_matches_brute_force() {
        // Two weighted conditions, a veto, and an override.
        let members: Vec<String> = (0..7).map(|i| format!("M{i}")).collect();
        let b = VotingBody::new(
            "x",
            members,
            vec![
                Condition {
                    label: "a".into(),
                    weights: vec![3, 1, 4, 1, 5, 9, 2],
                    quota: 14,
                },
                Condition {
                    label: "b".into(),
                    weights: vec![6, 5, 3, 5, 8, 9, 7],
                    quota: 20,
                },
                Condition {
                    label: "heads".into(),
                    weights: vec![1; 7],
                    quota: 3,
                },
            ],
            vec![false, true, false, false, false, false, false],
            Some(6),
        )
        .unwrap();
        let e = exact(&b);
        let (ss, sw) = brute(&b);
        assert_eq!(e.shapley_shubik, ss);
        assert_eq!(
            e.swings,
            sw.iter().map(|&x| BigUint::from(x)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn weight_only_banzhaf_matches_exact() {
        let w = vec![5, 0, 3, 3, 8, 1, 2, 7, 4];
        let quota = 17;
        let body = VotingBody::weighted(quota, w.clone()).unwrap();
        let e = exact(&body);
        let (sw, win) = banzhaf_swings_weighted(&w, quota).unwrap();
        assert_eq!(sw, e.swings);
        let n = w.len();
        assert_eq!(
            Rational::new(BigInt::from(win), BigInt::one() << n),
            e.coleman_power_to_act
        );
        let f = banzhaf_weighted_f64(&w, quota);
        for (a, b) in f.swing_prob.iter().zip(&e.banzhaf_absolute) {
            assert!((a - detente_game::number::rational_to_f64(b)).abs() < 1e-12);
        }
    }

    #[test]
    fn quadrature_matches_exact() {
        // Small body: the rule is exact.
        let w = vec![10u64, 7, 7, 3, 1, 1, 0, 12];
        let quota = 21;
        let body = VotingBody::weighted(quota, w.clone()).unwrap();
        let e = exact(&body);
        let ss = shapley_shubik_quadrature(&w, quota);
        for (a, b) in ss.iter().zip(&e.shapley_shubik) {
            assert!(
                (a - detente_game::number::rational_to_f64(b)).abs() < 1e-12,
                "{a} vs {b}"
            );
        }
        // A 300-member body (well past the exact node count).
        let mut x: u64 = 12345;
        let w: Vec<u64> = (0..300)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                1 + (x >> 33) % 20
            })
            .collect();
        let total: u64 = w.iter().sum();
        let quota = total / 2 + 1;
        let body = VotingBody::weighted(quota, w.clone()).unwrap();
        let e = exact(&body);
        let ss = shapley_shubik_quadrature(&w, quota);
        for (a, b) in ss.iter().zip(&e.shapley_shubik) {
            let b = detente_game::number::rational_to_f64(b);
            assert!((a - b).abs() < 1e-9 * b.max(1e-3), "{a} vs {b}");
        }
    }
}
