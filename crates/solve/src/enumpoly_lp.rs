//! Exact payoffs and a linear-programming necessary condition for the
//! supports of `enumpoly`.
//!
//! **Exact payoffs.** [`ExactPayoffs`] holds the game's payoffs scaled to
//! integers by the least common multiple of their denominators (stored in
//! `f64`, where integers below `2^53` are exact), or the game's rationals
//! when that scaling does not fit. Comparisons between payoffs (the
//! conditional dominance and equivalence prunings of `enumpoly.rs`) and the
//! certificates below are made on these, so no pruning depends on
//! rounding.
//!
//! **The support LP.** If player `i` mixes over `S_i` against the product
//! of the others' mixtures over `S_-i`, the distribution `μ` they induce
//! over the profiles of `S_-i` makes every strategy of `S_i` earn the same
//! and no strategy outside `S_i` earn more. Relaxing the product to *any*
//! distribution `μ` over `S_-i` (as in the correlated-equilibrium
//! relaxation of R. J. Aumann, "Subjectivity and correlation in randomized
//! strategies", *J. Math. Econ.* 1 (1974) 67–96, restricted to one
//! player's constraints on a support profile) gives a linear feasibility
//! problem: `Σ_s μ_s (u_i(a, s) − u_i(b_0, s)) = 0` for `a ∈ S_i`,
//! `≤ 0` for `a ∉ S_i`, `μ ≥ 0`, `Σ μ = 1`. By Farkas' lemma (Gale's
//! theorem of the alternative) it is infeasible exactly when some
//! combination `g = Σ_a c_a (u_i(a, ·) − u_i(b_0, ·))` — any sign on the
//! support rows, `c_a ≥ 0` off the support — is **strictly positive at
//! every profile of `S_-i`**, i.e. when the zero-sum game whose rows are
//! `±` the support differences and the off-support differences, and
//! whose columns are the profiles of `S_-i`, has positive value. Such a
//! support has no equilibrium. This generalises the conditional dominance
//! test of R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for
//! finding a Nash equilibrium", *Games Econ. Behav.* 63 (2008) 642–662
//! (dominance by one pure strategy) to dominance by mixtures and by the
//! indifference equations themselves.
//!
//! The game is solved by the simplex method in `f64` (G. B. Dantzig, 1951;
//! the column player's problem `max 1ᵀy, M'y ≤ 1, y ≥ 0` with `M'` the
//! shifted matrix, the row strategy from the optimal dual prices); the
//! support is pruned only when the row strategy `c` found is **certified**:
//! `g_s` is recomputed on the exact payoffs (integers, with a bound on the
//! floating-point error of the sum that `g_s` must exceed, or exact
//! rationals) and is positive at every profile. Rounding can therefore
//! only keep a support, never prune one wrongly.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the tableau's formulas.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::nplayer_util::PayoffTensor;
use detente_game::{NormalFormGame, Rational};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// Largest magnitude of a scaled integer payoff: differences and their
/// sums with weights stay far inside `f64`'s exact range.
const INT_LIMIT: f64 = 1.0e12;

/// The game's payoffs, exactly (see the module documentation).
#[derive(Debug, Clone)]
pub(crate) struct ExactPayoffs {
    n: usize,
    /// Integer-scaled payoffs `pay[cell * n + player]` (exact in `f64`).
    ints: Option<Vec<f64>>,
    /// The game's rationals when the integer scaling does not fit.
    rats: Vec<Rational>,
    /// `1 / (max − min)` of the integer payoffs (1 when they are all
    /// equal): converts a weight on rescaled payoff differences into one
    /// on integer differences.
    unit: f64,
}

impl ExactPayoffs {
    pub fn new(game: &NormalFormGame) -> Self {
        let n = game.num_players();
        let cells = game.num_profiles();
        // Integer payoffs (the usual case): no scaling needed.
        let direct: Option<Vec<f64>> = (0..cells * n)
            .map(|k| {
                let v = game.payoff(k / n, k % n);
                if v.denom().is_one() {
                    v.numer()
                        .to_i64()
                        .map(|i| i as f64)
                        .filter(|f| f.abs() <= INT_LIMIT)
                } else {
                    None
                }
            })
            .collect();
        if let Some(ints) = direct {
            return Self::from_ints(n, ints);
        }
        let mut lcm = BigInt::one();
        for c in 0..cells {
            for p in 0..n {
                let d = game.payoff(c, p).denom();
                lcm = lcm.lcm(d);
            }
        }
        let mut ints = Vec::with_capacity(cells * n);
        let mut fits = true;
        'all: for c in 0..cells {
            for p in 0..n {
                let v = game.payoff(c, p);
                let scaled: BigInt = v.numer() * (&lcm / v.denom());
                match scaled.to_f64() {
                    Some(f) if f.abs() <= INT_LIMIT => ints.push(f),
                    _ => {
                        fits = false;
                        break 'all;
                    }
                }
            }
        }
        if fits {
            Self::from_ints(n, ints)
        } else {
            let rats = (0..cells)
                .flat_map(|c| (0..n).map(move |p| (c, p)))
                .map(|(c, p)| game.payoff(c, p).clone())
                .collect();
            ExactPayoffs {
                n,
                ints: None,
                rats,
                unit: 1.0,
            }
        }
    }

    fn from_ints(n: usize, ints: Vec<f64>) -> Self {
        let lo = ints.iter().fold(f64::INFINITY, |a, &v| a.min(v));
        let hi = ints.iter().fold(f64::NEG_INFINITY, |a, &v| a.max(v));
        let unit = if hi > lo { 1.0 / (hi - lo) } else { 1.0 };
        ExactPayoffs {
            n,
            ints: Some(ints),
            rats: Vec::new(),
            unit,
        }
    }

    /// Exact comparison of `player`'s payoffs at two cells.
    pub fn cmp(&self, a: usize, b: usize, player: usize) -> Ordering {
        let (ia, ib) = (a * self.n + player, b * self.n + player);
        match &self.ints {
            // Integers below 2^53: the comparison is exact.
            Some(v) => v[ia].partial_cmp(&v[ib]).unwrap_or(Ordering::Equal),
            None => self.rats[ia].cmp(&self.rats[ib]),
        }
    }

    /// Whether `Σ_r c_r (u(row_r, s) − u(b0, s)) > 0` for every `s`,
    /// computed exactly (`rows`: game cells with player `i` at strategy
    /// `row_r`, per profile `s`: `cells[r][s]`, and `base[s]` at `b0`).
    fn certifies(&self, i: usize, c: &[f64], cells: &[Vec<usize>], base: &[usize]) -> bool {
        if c.iter().any(|v| !v.is_finite()) {
            return false;
        }
        let n = self.n;
        match &self.ints {
            Some(v) => {
                // Each term c_r · m_rs (m_rs an exact integer below 2^41)
                // errs by at most u|c_r m_rs|, the recursive sum of R + 1
                // terms by γ_{R+1} Σ|terms| (N. J. Higham, *Accuracy and
                // Stability of Numerical Algorithms*, 2002, §3.1); a factor
                // 4 more covers the subtraction forming m_rs (exact).
                let gamma = 4.0 * (c.len() as f64 + 2.0) * f64::EPSILON;
                base.iter().enumerate().all(|(s, &b)| {
                    let ub = v[b * n + i];
                    let (mut g, mut mag) = (0.0f64, 0.0f64);
                    for (r, &cr) in c.iter().enumerate() {
                        if cr == 0.0 {
                            continue;
                        }
                        let term = cr * (v[cells[r][s] * n + i] - ub);
                        g += term;
                        mag += term.abs();
                    }
                    g > gamma * mag && g > 0.0
                })
            }
            None => {
                let cr: Vec<Option<Rational>> = c
                    .iter()
                    .map(|&v| {
                        if v == 0.0 {
                            None
                        } else {
                            Rational::from_float(v)
                        }
                    })
                    .collect();
                base.iter().enumerate().all(|(s, &b)| {
                    let ub = &self.rats[b * n + i];
                    let mut g = Rational::zero();
                    for (r, w) in cr.iter().enumerate() {
                        if let Some(w) = w {
                            g += w * (&self.rats[cells[r][s] * n + i] - ub);
                        }
                    }
                    g.is_positive()
                })
            }
        }
    }
}

/// Value-maximising row strategy of the zero-sum game `m` (`rows × cols`,
/// row-major; the row player maximises), by the simplex method on the
/// column player's problem; `None` when the iteration limit is reached,
/// the numbers are not finite, or the value is found not to be positive
/// (the search stops there: only a positive value prunes).
pub(crate) fn row_strategy(m: &[f64], rows: usize, cols: usize) -> Option<(Vec<f64>, f64)> {
    row_strategy_in(m, rows, cols, &mut Vec::new())
}

/// [`row_strategy`] with a reusable tableau buffer.
pub(crate) fn row_strategy_in(
    m: &[f64],
    rows: usize,
    cols: usize,
    tab: &mut Vec<f64>,
) -> Option<(Vec<f64>, f64)> {
    if rows == 0 || cols == 0 {
        return None;
    }
    let lo = m.iter().fold(f64::INFINITY, |a, &v| a.min(v));
    let hi = m.iter().fold(f64::NEG_INFINITY, |a, &v| a.max(v));
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    // M' = M − lo + 1 > 0; tableau rows: M' | I | 1, objective: −1 | 0 | 0.
    let width = cols + rows + 1;
    tab.clear();
    tab.resize((rows + 1) * width, 0.0);
    for r in 0..rows {
        for s in 0..cols {
            tab[r * width + s] = m[r * cols + s] - lo + 1.0;
        }
        tab[r * width + cols + r] = 1.0;
        tab[r * width + width - 1] = 1.0;
    }
    let obj = rows * width;
    for s in 0..cols {
        tab[obj + s] = -1.0;
    }
    let mut basis: Vec<usize> = (cols..cols + rows).collect();
    // The objective `z = Σ y` only grows; once `1/z + lo − 1 ≤ 0` the value
    // is not positive and the caller has no use for the strategy.
    let stop = if 1.0 - lo > 0.0 {
        (1.0 / (1.0 - lo)) * (1.0 + 1e-9)
    } else {
        f64::INFINITY
    };
    let eps = 1e-12;
    let limit = 20 * (rows + cols) + 50;
    let mut iters = 0;
    loop {
        // Dantzig's rule, Bland's (smallest index) after many steps.
        let bland = iters > 4 * (rows + cols);
        let mut enter = None;
        let mut best = -eps;
        for col in 0..cols + rows {
            let v = tab[obj + col];
            if v < best {
                enter = Some(col);
                if bland {
                    break;
                }
                best = v;
            }
        }
        let Some(e) = enter else { break };
        if tab[obj + width - 1] >= stop {
            return None;
        }
        iters += 1;
        if iters > limit {
            return None;
        }
        let mut leave = None;
        let mut ratio = f64::INFINITY;
        for r in 0..rows {
            let a = tab[r * width + e];
            if a > eps {
                let q = tab[r * width + width - 1] / a;
                if q < ratio || (q == ratio && leave.is_some_and(|l: usize| basis[r] < basis[l])) {
                    ratio = q;
                    leave = Some(r);
                }
            }
        }
        // Bounded (M' > 0): a leaving row always exists.
        let p = leave?;
        let pv = tab[p * width + e];
        for k in 0..width {
            tab[p * width + k] /= pv;
        }
        for r in 0..=rows {
            if r == p {
                continue;
            }
            let f = tab[r * width + e];
            if f == 0.0 {
                continue;
            }
            for k in 0..width {
                tab[r * width + k] -= f * tab[p * width + k];
            }
        }
        basis[p] = e;
    }
    let z = tab[obj + width - 1];
    if !(z > 0.0 && z.is_finite()) {
        return None;
    }
    let c: Vec<f64> = (0..rows)
        .map(|r| tab[obj + cols + r].max(0.0) / z)
        .collect();
    Some((c, 1.0 / z + lo - 1.0))
}

/// Whether the support LP of the module documentation proves, for some
/// player, that no equilibrium has the support profile `sets` (strategy
/// indices per player, each nonempty and sorted).
pub(crate) fn support_lp_infeasible(
    t: &PayoffTensor,
    ex: &ExactPayoffs,
    sets: &[Vec<usize>],
) -> bool {
    (0..t.n).any(|i| player_lp_infeasible(t, ex, sets, i))
}

/// [`support_lp_infeasible`] for player `i`.
pub(crate) fn player_lp_infeasible(
    t: &PayoffTensor,
    ex: &ExactPayoffs,
    sets: &[Vec<usize>],
    i: usize,
) -> bool {
    let n = t.n;
    let strides: Vec<usize> = (0..n).map(|j| t.shape[..j].iter().product()).collect();
    // Cells of S_-i with player i at strategy 0.
    let mut base = vec![0usize];
    for q in 0..n {
        if q == i {
            continue;
        }
        let mut next = Vec::with_capacity(base.len() * sets[q].len());
        for &c in &base {
            for &h in &sets[q] {
                next.push(c + h * strides[q]);
            }
        }
        base = next;
    }
    let b0 = sets[i][0];
    // Rows: (strategy, sign).
    let mut rows: Vec<(usize, f64)> = Vec::new();
    for &a in &sets[i][1..] {
        rows.push((a, 1.0));
        rows.push((a, -1.0));
    }
    for h in 0..t.shape[i] {
        if !sets[i].contains(&h) {
            rows.push((h, 1.0));
        }
    }
    if rows.is_empty() {
        return false;
    }
    let cols = base.len();
    let mut m = vec![0.0; rows.len() * cols];
    for (r, &(a, sign)) in rows.iter().enumerate() {
        for (s, &c) in base.iter().enumerate() {
            m[r * cols + s] =
                sign * (t.pay[(c + a * strides[i]) * n + i] - t.pay[(c + b0 * strides[i]) * n + i]);
        }
    }
    let Some((c, value)) = row_strategy(&m, rows.len(), cols) else {
        return false;
    };
    if !(value > 0.0) {
        return false;
    }
    // Merge the signed support rows into one weight per strategy.
    let mut strat: Vec<usize> = Vec::new();
    let mut weight: Vec<f64> = Vec::new();
    for (r, &(a, sign)) in rows.iter().enumerate() {
        if c[r] == 0.0 {
            continue;
        }
        match strat.iter().position(|&x| x == a) {
            Some(k) => weight[k] += sign * c[r],
            None => {
                strat.push(a);
                weight.push(sign * c[r]);
            }
        }
    }
    let cells: Vec<Vec<usize>> = strat
        .iter()
        .map(|&a| base.iter().map(|&c| c + a * strides[i]).collect())
        .collect();
    let base_b0: Vec<usize> = base.iter().map(|&c| c + b0 * strides[i]).collect();
    ex.certifies(i, &weight, &cells, &base_b0)
}

/// Whether `Σ_r w_r m_rc > 0` for every column `c` of the exact matrix
/// `m` (`rows × cols`, entries integers below 2^41 in magnitude, held
/// exactly in `f64`), with a bound on the rounding of the sum
/// (N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2002,
/// §3.1: the recursive sum of `R` products errs by at most `γ_R Σ|terms|`).
fn certify_matrix(w: &[f64], m: &[f64], rows: usize, cols: usize) -> bool {
    if w.iter().any(|v| !v.is_finite()) {
        return false;
    }
    let gamma = 4.0 * (rows as f64 + 2.0) * f64::EPSILON;
    (0..cols).all(|c| {
        let (mut g, mut mag) = (0.0f64, 0.0f64);
        for r in 0..rows {
            let v = m[r * cols + c];
            if v != 0.0 && w[r] != 0.0 {
                let term = w[r] * v;
                g += term;
                mag += term.abs();
            }
        }
        g > 0.0 && g > gamma * mag
    })
}

/// The joint support LP: one distribution `ν_i` over `S_-i` per player
/// (each with player `i`'s conditions of [`player_lp_infeasible`]), the
/// distributions agreeing on every single player's marginal (`ν_i` and
/// `ν_j` give player `q`'s strategies the same probabilities, as the
/// product of the true mixtures does). A relaxation of the product
/// structure stronger than the per-player LPs, which it couples (the
/// pairwise-consistency idea of the local marginal polytope, e.g. M. J.
/// Wainwright and M. I. Jordan, "Graphical models, exponential families,
/// and variational inference", *Found. Trends Mach. Learn.* 1 (2008),
/// §4.1). Infeasibility is again read off a zero-sum game by Farkas'
/// lemma (rows: the conditions with both signs for equations, columns:
/// the variables of all `ν_i`) and certified on the exact integer payoffs;
/// games whose payoffs do not scale to integers skip this test.
pub(crate) fn joint_lp_infeasible(
    t: &PayoffTensor,
    ex: &ExactPayoffs,
    sets: &[Vec<usize>],
) -> bool {
    let Some(ints) = &ex.ints else {
        return false;
    };
    let n = t.n;
    if n < 3 {
        return false;
    }
    let strides: Vec<usize> = (0..n).map(|j| t.shape[..j].iter().product()).collect();
    // Variables: per player i, the profiles of S_-i as (game cell with i at
    // strategy 0, per other player q its index in S_q).
    let mut coff = Vec::with_capacity(n + 1);
    let mut vars: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..n {
        coff.push(vars.len());
        let mut list: Vec<(usize, Vec<usize>)> = vec![(0, vec![0; n])];
        for q in 0..n {
            if q == i {
                continue;
            }
            let mut next = Vec::with_capacity(list.len() * sets[q].len());
            for (c, idx) in &list {
                for (k, &h) in sets[q].iter().enumerate() {
                    let mut idx2 = idx.clone();
                    idx2[q] = k;
                    next.push((c + h * strides[q], idx2));
                }
            }
            list = next;
        }
        vars.extend(list);
    }
    coff.push(vars.len());
    let cols = vars.len();
    // Rows: (f64 row on rescaled payoffs for the LP, exact row, is_equation).
    let mut lp_rows: Vec<Vec<f64>> = Vec::new();
    let mut ex_rows: Vec<Vec<f64>> = Vec::new();
    let mut is_eq: Vec<bool> = Vec::new();
    let mut is_pay: Vec<bool> = Vec::new();
    for i in 0..n {
        let b0 = sets[i][0];
        let mut strats: Vec<(usize, bool)> = sets[i][1..].iter().map(|&a| (a, true)).collect();
        strats.extend(
            (0..t.shape[i])
                .filter(|h| !sets[i].contains(h))
                .map(|h| (h, false)),
        );
        for (a, eq) in strats {
            let mut lr = vec![0.0; cols];
            let mut er = vec![0.0; cols];
            for v in coff[i]..coff[i + 1] {
                let c = vars[v].0;
                let (ca, cb) = (c + a * strides[i], c + b0 * strides[i]);
                lr[v] = t.pay[ca * n + i] - t.pay[cb * n + i];
                er[v] = ints[ca * n + i] - ints[cb * n + i];
            }
            lp_rows.push(lr);
            ex_rows.push(er);
            is_eq.push(eq);
            is_pay.push(true);
        }
    }
    // Marginal agreement: for each q, consecutive players i, i' ≠ q.
    for q in 0..n {
        let owners: Vec<usize> = (0..n).filter(|&i| i != q).collect();
        for pair in owners.windows(2) {
            let (i, i2) = (pair[0], pair[1]);
            for k in 0..sets[q].len() {
                let mut r = vec![0.0; cols];
                for v in coff[i]..coff[i + 1] {
                    if vars[v].1[q] == k {
                        r[v] = 1.0;
                    }
                }
                for v in coff[i2]..coff[i2 + 1] {
                    if vars[v].1[q] == k {
                        r[v] = -1.0;
                    }
                }
                lp_rows.push(r.clone());
                ex_rows.push(r);
                is_eq.push(true);
                is_pay.push(false);
            }
        }
    }
    // The zero-sum game: equations with both signs.
    let mut m = Vec::new();
    let mut origin: Vec<(usize, f64)> = Vec::new();
    for (r, row) in lp_rows.iter().enumerate() {
        m.extend_from_slice(row);
        origin.push((r, 1.0));
        if is_eq[r] {
            m.extend(row.iter().map(|v| -v));
            origin.push((r, -1.0));
        }
    }
    let Some((c, value)) = row_strategy(&m, origin.len(), cols) else {
        return false;
    };
    if !(value > 0.0) {
        return false;
    }
    let mut w = vec![0.0; lp_rows.len()];
    for (k, &(r, sign)) in origin.iter().enumerate() {
        w[r] += sign * c[k];
    }
    for (r, wr) in w.iter_mut().enumerate() {
        if is_pay[r] {
            *wr *= ex.unit;
        }
    }
    let flat: Vec<f64> = ex_rows.concat();
    certify_matrix(&w, &flat, ex_rows.len(), cols)
}

/// The correlated support LP: one distribution `μ` over the support
/// profiles `S = Π_q S_q` such that, for every player `i` and every
/// strategy `a ∈ S_i`, the conditional distribution of the others given
/// `a` makes `i`'s support indifferent and optimal:
/// `Σ_{s_-i} μ(a, s_-i) (u_i(r, s_-i) − u_i(b_0, s_-i))` is `0` for
/// `r ∈ S_i` and `≤ 0` for `r ∉ S_i`. The product of the mixtures of an
/// equilibrium with support `S` satisfies it (`μ(a, ·) = x_i(a) ·
/// Π_{q≠i} x_q`, and each factor `Π_{q≠i} x_q` satisfies `i`'s
/// conditions), so infeasibility proves the support empty. These are the
/// correlated-equilibrium constraints of R. J. Aumann, "Subjectivity and
/// correlation in randomized strategies", *J. Math. Econ.* 1 (1974) 67–96,
/// restricted to `S`, with the support deviations as equalities; one
/// common `μ` makes the players' conditions hold for the marginals of one
/// joint distribution, which the per-player and joint LPs do not require.
/// Infeasibility is read off a zero-sum game by Farkas' lemma (rows: the
/// constraints, equations with both signs; columns: the profiles of `S`)
/// and certified on the exact integer payoffs; games whose payoffs do not
/// scale to integers skip this test.
pub(crate) fn correlated_lp_infeasible(
    t: &PayoffTensor,
    ex: &ExactPayoffs,
    sets: &[Vec<usize>],
) -> bool {
    let Some(ints) = &ex.ints else {
        return false;
    };
    let n = t.n;
    let strides: Vec<usize> = (0..n).map(|j| t.shape[..j].iter().product()).collect();
    // Columns: the game cells of the profiles of S, and each one's
    // strategy per player.
    let mut cells: Vec<(usize, Vec<usize>)> = vec![(0, vec![0; n])];
    for q in 0..n {
        let mut next = Vec::with_capacity(cells.len() * sets[q].len());
        for (c, st) in &cells {
            for &h in &sets[q] {
                let mut st2 = st.clone();
                st2[q] = h;
                next.push((c + h * strides[q], st2));
            }
        }
        cells = next;
    }
    let cols = cells.len();
    // Rows: (player, recommended strategy, deviation, is_equation).
    let mut rows: Vec<(usize, usize, usize, bool)> = Vec::new();
    for i in 0..n {
        let mut devs: Vec<(usize, bool)> = sets[i][1..].iter().map(|&a| (a, true)).collect();
        devs.extend(
            (0..t.shape[i])
                .filter(|h| !sets[i].contains(h))
                .map(|h| (h, false)),
        );
        for &a in &sets[i] {
            for &(r, eq) in &devs {
                rows.push((i, a, r, eq));
            }
        }
    }
    if rows.is_empty() {
        return false;
    }
    let mut m = Vec::new();
    let mut exm = Vec::new();
    let mut origin: Vec<(usize, f64)> = Vec::new();
    for (k, &(i, a, r, eq)) in rows.iter().enumerate() {
        let b0 = sets[i][0];
        let mut lr = vec![0.0; cols];
        let mut er = vec![0.0; cols];
        for (v, (c, st)) in cells.iter().enumerate() {
            if st[i] != a {
                continue;
            }
            let base = c - a * strides[i];
            let (cr, cb) = (base + r * strides[i], base + b0 * strides[i]);
            lr[v] = t.pay[cr * n + i] - t.pay[cb * n + i];
            er[v] = ints[cr * n + i] - ints[cb * n + i];
        }
        m.extend_from_slice(&lr);
        origin.push((k, 1.0));
        if eq {
            m.extend(lr.iter().map(|v| -v));
            origin.push((k, -1.0));
        }
        exm.extend(er);
    }
    let Some((c, value)) = row_strategy(&m, origin.len(), cols) else {
        return false;
    };
    if !(value > 0.0) {
        return false;
    }
    let mut w = vec![0.0; rows.len()];
    for (k, &(r, sign)) in origin.iter().enumerate() {
        w[r] += sign * c[k];
    }
    certify_matrix(&w, &exm, rows.len(), cols)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::tests::game;

    #[test]
    fn matrix_game_values() {
        // Matching pennies: value 0 (or stopped as soon as it is not positive).
        assert!(row_strategy(&[1.0, -1.0, -1.0, 1.0], 2, 2).is_none_or(|(_, v)| v.abs() < 1e-12));
        // Shifted by one: value 1, strategy (1/2, 1/2).
        let (c, v) = row_strategy(&[2.0, 0.0, 0.0, 2.0], 2, 2).unwrap_or_default();
        assert!((v - 1.0).abs() < 1e-12 && (c[0] - 0.5).abs() < 1e-12);
        // A dominant second row: value 2.
        let (c, v) = row_strategy(&[0.0, 1.0, 2.0, 3.0], 2, 2).unwrap_or_default();
        assert!((v - 2.0).abs() < 1e-12 && (c[1] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn mixed_dominance_prunes_a_support_pure_dominance_does_not() {
        // Player 1 (3 strategies) against player 2 (2 strategies):
        // strategy 3 (payoffs 0, 0) is dominated by the mixture of 1 and 2
        // (3, −1 and −1, 3 average to 1, 1) but by neither alone, so the
        // support {3} of player 1 is infeasible for every support of
        // player 2 containing both columns; {1, 2} with player 2 mixing is
        // not.
        let g = game(&[3, 2], &[vec![3, -1, 0, -1, 3, 0], vec![1, 0, 0, 0, 1, 0]]);
        let t = PayoffTensor::new(&g);
        let ex = ExactPayoffs::new(&g);
        assert!(player_lp_infeasible(&t, &ex, &[vec![2], vec![0, 1]], 0));
        assert!(!player_lp_infeasible(&t, &ex, &[vec![0, 1], vec![0, 1]], 0));
        // An equation no distribution satisfies: against {column 1} only,
        // strategies 1 and 2 earn 3 and −1.
        assert!(player_lp_infeasible(&t, &ex, &[vec![0, 1], vec![0]], 0));
        // A real equilibrium's support is never pruned: (1/2, 1/2, 0)
        // against (1/2, 1/2) — player 2 is indifferent there as well.
        assert!(!support_lp_infeasible(&t, &ex, &[vec![0, 1], vec![0, 1]]));
    }

    #[test]
    fn exact_payoffs_scale_rationals_and_compare_exactly() {
        use detente_game::parse_rational;
        let p = |s: &str| parse_rational(s).unwrap_or_default();
        let g = NormalFormGame::from_tables(&[3], &[vec![p("1/3"), p("1/3"), p("2/7")]]);
        let g = match g {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        };
        let ex = ExactPayoffs::new(&g);
        assert!(ex.ints.is_some());
        assert_eq!(ex.cmp(0, 1, 0), Ordering::Equal);
        assert_eq!(ex.cmp(0, 2, 0), Ordering::Greater);
        // Too large to scale: the rationals are kept and compared.
        let big = p("1/1000000007");
        let g = NormalFormGame::from_tables(&[3], &[vec![big, p("1/999999937"), p("5")]]);
        let g = match g {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        };
        let ex = ExactPayoffs::new(&g);
        assert!(ex.ints.is_none());
        assert_eq!(ex.cmp(0, 1, 0), Ordering::Less);
    }
}
