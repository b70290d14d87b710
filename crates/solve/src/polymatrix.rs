//! Equilibria of polymatrix games by complementary pivoting.
//!
//! J. T. Howson Jr., "Equilibria of polymatrix games", *Management Science*
//! 18 (1972) 312–318: in a polymatrix game the payoff of player `p`'s
//! strategy `a` is linear in the others' mixed strategies,
//! `u_a(s) = c_a + Σ_{q ≠ p} Σ_{b ∈ S_q} m_ab s_b`, so its equilibria are the
//! solutions of a linear complementarity problem
//! `w_a = v_p − u_a(s) ≥ 0`, `s_a ≥ 0`, `s_a w_a = 0`, `Σ_{a ∈ S_p} s_a = 1`,
//! which complementary pivoting solves.
//!
//! [`lemke_howson`] pivots as Gametracer's IPA does (S. Govindan and
//! R. Wilson, "Computing Nash equilibria by iterated polymatrix
//! approximation", *J. Economic Dynamics and Control* 28 (2004)
//! 1229–1241, which solves every approximation this way): a perturbation
//! `g` with a unique largest entry per player gives every strategy the
//! bonus `λ g_a`; for `λ` large the favourite pure profile is an
//! equilibrium; `λ` enters the basis as Lemke's covering variable and the
//! complementary pivots follow the equilibria of the perturbed games down
//! to `λ = 0`. The value variables `v_p` are free and never leave the
//! basis. Three tie rules ([`TieRule`]): lexicographic (by the rows of the
//! basis inverse, on a full floating-point tableau with tolerances), which
//! avoids most cycling on degenerate games but not all; Gametracer's own
//! pivoting repeated operation for operation (fraction-free dictionary
//! tableau, exact ratio tests, lowest row on ties), which `ipa` uses so
//! that it makes Gambit's choices where rounding decides them; and the
//! lexicographic rule in exact integer arithmetic
//! ([`crate::polymatrix_exact`]), which cannot cycle and is the fallback
//! when the other two fail. A pivot limit guards all three.
//!
//! [`solve_on_support`] solves the same system with the support fixed (one
//! linear solve), the shortcut Gametracer takes when the support of the
//! previous approximation's equilibrium is still right.

// Index loops mirror the tableau formulas. Negated comparisons are
// deliberate: they also reject NaN.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

use std::fmt;

/// A polymatrix game: `u_a(s) = c_a + Σ_b m_ab s_b` over the strategies `b`
/// of the other players (entries within a player's own block are ignored).
#[derive(Debug, Clone, PartialEq)]
pub struct PolymatrixGame {
    shape: Vec<usize>,
    offsets: Vec<usize>,
    owner: Vec<usize>,
    k: usize,
    /// `m[a * k + b]`, own blocks zero.
    m: Vec<f64>,
    c: Vec<f64>,
}

/// Why a polymatrix computation failed.
#[derive(Debug, Clone, PartialEq)]
pub enum PolymatrixError {
    /// Malformed input (sizes, non-finite numbers).
    Invalid(String),
    /// The perturbation has no unique largest entry for this player
    /// (0-based).
    NoUniqueFavourite { player: usize },
    /// The entering column has no positive entry (secondary ray).
    Ray { pivots: usize },
    /// More pivots than allowed.
    PivotLimit { pivots: usize },
    /// The deadline passed (exact pivoting only).
    TimeLimit { pivots: usize },
}

impl fmt::Display for PolymatrixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolymatrixError::Invalid(m) => write!(f, "polymatrix game: {m}"),
            PolymatrixError::NoUniqueFavourite { player } => write!(
                f,
                "the perturbation has no unique largest entry for player {}",
                player + 1
            ),
            PolymatrixError::Ray { pivots } => write!(
                f,
                "complementary pivoting ended on a ray after {pivots} pivots"
            ),
            PolymatrixError::PivotLimit { pivots } => {
                write!(f, "complementary pivoting stopped after {pivots} pivots")
            }
            PolymatrixError::TimeLimit { pivots } => write!(
                f,
                "complementary pivoting ran out of time after {pivots} pivots"
            ),
        }
    }
}

impl std::error::Error for PolymatrixError {}

/// The block layout of a polymatrix game with `shape[p]` strategies for
/// player `p`: each player's first index, each strategy's player, and the
/// number of strategies `k`; checks that `entries` is `k²`.
pub(crate) fn block_layout(
    shape: &[usize],
    entries: usize,
) -> Result<(Vec<usize>, Vec<usize>, usize), PolymatrixError> {
    if shape.is_empty() || shape.contains(&0) {
        return Err(PolymatrixError::Invalid(
            "every player needs at least one strategy".into(),
        ));
    }
    let mut offsets = Vec::with_capacity(shape.len());
    let mut owner = Vec::new();
    let mut k = 0;
    for (p, &s) in shape.iter().enumerate() {
        offsets.push(k);
        k += s;
        owner.extend(std::iter::repeat_n(p, s));
    }
    if entries != k * k {
        return Err(PolymatrixError::Invalid(format!(
            "the matrix has {entries} entries, {k} strategies need {}",
            k * k
        )));
    }
    Ok((offsets, owner, k))
}

impl PolymatrixGame {
    /// A polymatrix game with `shape[p]` strategies for player `p` and the
    /// `k × k` row-major matrix `m` (`k = Σ shape`); entries within a
    /// player's own block are ignored.
    pub fn new(shape: Vec<usize>, m: Vec<f64>) -> Result<Self, PolymatrixError> {
        let (offsets, owner, k) = block_layout(&shape, m.len())?;
        let mut m = m;
        for a in 0..k {
            for b in 0..k {
                if owner[a] == owner[b] {
                    m[a * k + b] = 0.0;
                } else if !m[a * k + b].is_finite() {
                    return Err(PolymatrixError::Invalid(format!(
                        "entry ({}, {}) is not a finite number",
                        a + 1,
                        b + 1
                    )));
                }
            }
        }
        Ok(PolymatrixGame {
            shape,
            offsets,
            owner,
            k,
            m,
            c: vec![0.0; k],
        })
    }

    /// The same game with a constant payoff `c[a]` added to every strategy.
    pub fn with_constants(mut self, c: Vec<f64>) -> Result<Self, PolymatrixError> {
        if c.len() != self.k || c.iter().any(|v| !v.is_finite()) {
            return Err(PolymatrixError::Invalid(format!(
                "the constants need {} finite numbers",
                self.k
            )));
        }
        self.c = c;
        Ok(self)
    }

    /// The bimatrix game `(A, B)` (`rows × cols`, row-major) as a
    /// two-player polymatrix game.
    pub fn from_bimatrix(
        a: &[f64],
        b: &[f64],
        rows: usize,
        cols: usize,
    ) -> Result<Self, PolymatrixError> {
        if a.len() != rows * cols || b.len() != rows * cols {
            return Err(PolymatrixError::Invalid(format!(
                "a {rows}×{cols} bimatrix needs {} entries per matrix",
                rows * cols
            )));
        }
        let k = rows + cols;
        let mut m = vec![0.0; k * k];
        for i in 0..rows {
            for j in 0..cols {
                m[i * k + rows + j] = a[i * cols + j];
                m[(rows + j) * k + i] = b[i * cols + j];
            }
        }
        PolymatrixGame::new(vec![rows, cols], m)
    }

    /// Strategies per player.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// Flat index of each player's first strategy.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// Total number of strategies.
    pub fn num_strategies(&self) -> usize {
        self.k
    }

    /// `m_ab` (zero within a player).
    pub fn entry(&self, a: usize, b: usize) -> f64 {
        self.m[a * self.k + b]
    }

    /// The constant payoff `c_a` of every strategy.
    pub fn constants(&self) -> &[f64] {
        &self.c
    }

    /// The payoff of every strategy against the flat profile `s`.
    pub fn values(&self, s: &[f64]) -> Vec<f64> {
        let k = self.k;
        (0..k)
            .map(|a| {
                self.c[a]
                    + self.m[a * k..(a + 1) * k]
                        .iter()
                        .zip(s)
                        .map(|(m, x)| m * x)
                        .sum::<f64>()
            })
            .collect()
    }

    /// Largest gain any player has from deviating to a pure strategy.
    pub fn max_regret(&self, s: &[f64]) -> f64 {
        let v = self.values(s);
        let mut worst = 0.0f64;
        for (p, &o) in self.offsets.iter().enumerate() {
            let r = o..o + self.shape[p];
            let mine: f64 = v[r.clone()]
                .iter()
                .zip(&s[r.clone()])
                .map(|(a, b)| a * b)
                .sum();
            let best = v[r].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            worst = worst.max(best - mine);
        }
        worst
    }

    /// The matrix `m` (row-major, `k × k`) to overwrite in place. The
    /// caller keeps the entries within a player's own block zero and checks
    /// the others with [`PolymatrixGame::check_finite`].
    pub(crate) fn matrix_mut(&mut self) -> &mut [f64] {
        &mut self.m
    }

    /// The error [`PolymatrixGame::new`] gives for the first non-finite
    /// entry of the matrix (row by row), if any.
    pub(crate) fn check_finite(&self) -> Result<(), PolymatrixError> {
        match self.m.iter().position(|v| !v.is_finite()) {
            None => Ok(()),
            Some(i) => Err(PolymatrixError::Invalid(format!(
                "entry ({}, {}) is not a finite number",
                i / self.k + 1,
                i % self.k + 1
            ))),
        }
    }

    /// [`PolymatrixGame::values`] into `v`.
    pub(crate) fn values_into(&self, s: &[f64], v: &mut Vec<f64>) {
        let k = self.k;
        v.clear();
        v.extend((0..k).map(|a| {
            self.c[a]
                + self.m[a * k..(a + 1) * k]
                    .iter()
                    .zip(s)
                    .map(|(m, x)| m * x)
                    .sum::<f64>()
        }));
    }

    /// Largest absolute payoff entry (at least 1), the scale of tolerances.
    pub(crate) fn magnitude(&self) -> f64 {
        self.m
            .iter()
            .chain(&self.c)
            .fold(1.0f64, |a, v| a.max(v.abs()))
    }
}

/// An equilibrium found by [`lemke_howson`].
#[derive(Debug, Clone, PartialEq)]
pub struct LemkeOutcome {
    /// Flat profile (player 1's strategies first). Under
    /// [`TieRule::FirstIndex`] these are Gametracer's raw values (rounding
    /// left as it is, not renormalised); under the lexicographic rule each
    /// player's block is normalised and, where more accurate, recomputed
    /// from the support's linear system.
    pub profile: Vec<f64>,
    /// Complementary pivots made after `λ` entered (0 when the favourite
    /// pure profile is already an equilibrium).
    pub pivots: usize,
}

/// The strategy each player's perturbation favours (its unique largest
/// entry).
pub fn favourites(game: &PolymatrixGame, g: &[f64]) -> Result<Vec<usize>, PolymatrixError> {
    if g.len() != game.k || g.iter().any(|v| !v.is_finite()) {
        return Err(PolymatrixError::Invalid(format!(
            "the perturbation needs {} finite numbers",
            game.k
        )));
    }
    unique_maxima(&game.shape, &game.offsets, g)
}

/// Each player's unique largest entry of `g` (blocks of `shape[p]` entries
/// from `offsets[p]`), in floating point or exact numbers alike; an error
/// names the first player whose largest entry is tied.
pub(crate) fn unique_maxima<T: PartialOrd>(
    shape: &[usize],
    offsets: &[usize],
    g: &[T],
) -> Result<Vec<usize>, PolymatrixError> {
    let mut im = Vec::with_capacity(shape.len());
    for (p, &o) in offsets.iter().enumerate() {
        let mut best = o;
        let mut tie = false;
        for a in o + 1..o + shape[p] {
            if g[a] > g[best] {
                best = a;
                tie = false;
            } else if g[a] == g[best] {
                tie = true;
            }
        }
        if tie {
            return Err(PolymatrixError::NoUniqueFavourite { player: p });
        }
        im.push(best);
    }
    Ok(im)
}

/// The dense tableau `B⁻¹ [A | b]` of the LCP with all variables as
/// columns: `s` (k), `v` (n), `λ`, then the slacks `w` (k) and `w'` (n),
/// whose columns hold `B⁻¹`.
struct Tableau {
    cols: usize,
    t: Vec<f64>,
    rhs: Vec<f64>,
    basis: Vec<usize>,
}

impl Tableau {
    fn at(&self, r: usize, c: usize) -> f64 {
        self.t[r * self.cols + c]
    }

    fn pivot(&mut self, pr: usize, pc: usize) {
        let cols = self.cols;
        let p = self.t[pr * cols + pc];
        for c in 0..cols {
            self.t[pr * cols + c] /= p;
        }
        self.rhs[pr] /= p;
        self.t[pr * cols + pc] = 1.0;
        let (head, rest) = self.t.split_at_mut(pr * cols);
        let (prow, tail) = rest.split_at_mut(cols);
        for (i, row) in head
            .chunks_mut(cols)
            .chain(tail.chunks_mut(cols))
            .enumerate()
        {
            let i = if i < pr { i } else { i + 1 };
            let f = row[pc];
            if f != 0.0 {
                for (x, y) in row.iter_mut().zip(prow.iter()) {
                    *x -= f * y;
                }
                row[pc] = 0.0;
                self.rhs[i] -= f * self.rhs[pr];
            }
        }
        self.basis[pr] = pc;
    }

    /// Among `cands` (rows with their ratio), the lexicographically
    /// smallest (`min`) or largest row of `(rhs, B⁻¹) / t[·][pc]`.
    fn lexico(&self, cands: &[usize], pc: usize, slack0: usize, min: bool) -> usize {
        let mut best = cands[0];
        for &r in &cands[1..] {
            let pr = self.at(r, pc);
            let pb = self.at(best, pc);
            let mut better = false;
            for c in std::iter::once(usize::MAX).chain(slack0..self.cols) {
                let (x, y) = if c == usize::MAX {
                    (self.rhs[r] / pr, self.rhs[best] / pb)
                } else {
                    (self.at(r, c) / pr, self.at(best, c) / pb)
                };
                if (x - y).abs() > 1e-12 * (1.0 + x.abs().max(y.abs())) {
                    better = if min { x < y } else { x > y };
                    break;
                }
            }
            if better {
                best = r;
            }
        }
        best
    }
}

/// How ties in the ratio test are broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieRule {
    /// Lexicographic rule over the rows of the basis inverse. In exact
    /// arithmetic from a lexicographically positive start it cannot cycle;
    /// here it runs in floating point with tolerances, from the favourite
    /// profile's basis, and on some degenerate games (integer payoffs with
    /// many ties) it still cycles until the pivot limit
    /// (`PolymatrixError::PivotLimit`): callers treat that as a failure to
    /// solve, never as an answer.
    Lexicographic,
    /// Gametracer's pivoting, operation for operation: its dictionary
    /// tableau with fraction-free pivots (a running divisor `D`), exact
    /// floating-point ratio tests and the lowest row on ties. Started
    /// alike on the same numbers it makes the same choices as Gambit's
    /// `ipa`, including in degenerate games where rounding decides; no
    /// protection against cycling beyond the pivot limit.
    FirstIndex,
    /// The lexicographic rule in exact integer-preserving arithmetic
    /// ([`crate::polymatrix_exact`]), on the game and perturbation read as
    /// the exact rationals they are: cannot cycle, so it ends at an exact
    /// equilibrium of the stored game unless the pivot limit is reached
    /// first; the profile is that equilibrium rounded to `f64`. Slower
    /// (big integers): the fallback when the floating-point rules fail.
    Exact,
}

/// An equilibrium of `game` by complementary pivoting from the pure
/// profile favoured by the perturbation `g` (one entry per strategy, a
/// unique largest entry per player), at most `max_pivots` pivots, ties
/// broken lexicographically.
pub fn lemke_howson(
    game: &PolymatrixGame,
    g: &[f64],
    max_pivots: usize,
) -> Result<LemkeOutcome, PolymatrixError> {
    lemke_howson_with(game, g, max_pivots, TieRule::Lexicographic)
}

/// [`lemke_howson`] with a choice of tie rule.
pub fn lemke_howson_with(
    game: &PolymatrixGame,
    g: &[f64],
    max_pivots: usize,
    rule: TieRule,
) -> Result<LemkeOutcome, PolymatrixError> {
    let im = favourites(game, g)?;
    if rule == TieRule::FirstIndex {
        return gametracer_pivoting(game, g, &im, max_pivots);
    }
    if rule == TieRule::Exact {
        let opts = crate::polymatrix_exact::ExactOptions {
            max_pivots,
            deadline: None,
        };
        let out = crate::polymatrix_exact::lemke_howson_exact_f64(game, g, &opts)?;
        return Ok(LemkeOutcome {
            profile: out.to_f64(),
            pivots: out.pivots,
        });
    }
    let k = game.k;
    let n = game.shape.len();
    let rows = k + n;
    let lam = k + n;
    let slack0 = lam + 1;
    let cols = slack0 + rows;
    let mut tab = Tableau {
        cols,
        t: vec![0.0; rows * cols],
        rhs: vec![0.0; rows],
        basis: (slack0..slack0 + rows).collect(),
    };
    // Row a: w_a + Σ_b m_ab s_b − v_p + g_a λ = −c_a.
    for a in 0..k {
        let row = &mut tab.t[a * cols..(a + 1) * cols];
        row[..k].copy_from_slice(&game.m[a * k..(a + 1) * k]);
        row[k + game.owner[a]] = -1.0;
        row[lam] = g[a];
        row[slack0 + a] = 1.0;
        tab.rhs[a] = -game.c[a];
    }
    // Row k + p: w'_p + Σ_{a ∈ S_p} s_a = 1.
    for p in 0..n {
        let r = k + p;
        for a in game.offsets[p]..game.offsets[p] + game.shape[p] {
            tab.t[r * cols + a] = 1.0;
        }
        tab.t[r * cols + slack0 + r] = 1.0;
        tab.rhs[r] = 1.0;
    }
    // The favourite pure profile, its values basic.
    for p in 0..n {
        tab.pivot(k + p, im[p]);
        tab.pivot(im[p], k + p);
    }
    let is_value = |c: usize| (k..k + n).contains(&c);
    let tol = 1e-12;
    let scale = game.magnitude();
    let profile_of = |tab: &Tableau| {
        let mut s = vec![0.0; k];
        for r in 0..rows {
            if tab.basis[r] < k {
                s[tab.basis[r]] = tab.rhs[r].max(0.0);
            }
        }
        s
    };
    // λ enters: the smallest λ at which every slack is nonnegative.
    let mut cands: Vec<usize> = Vec::new();
    let mut best = f64::NEG_INFINITY;
    for r in 0..rows {
        let a = tab.at(r, lam);
        if is_value(tab.basis[r]) || !(a < -tol) {
            continue;
        }
        let ratio = tab.rhs[r] / a;
        if ratio > best + tol * scale {
            best = ratio;
            cands.clear();
            cands.push(r);
        } else if ratio >= best - tol * scale {
            cands.push(r);
        }
    }
    if cands.is_empty() || !(best > 0.0) {
        return Ok(LemkeOutcome {
            profile: finish(game, profile_of(&tab)),
            pivots: 0,
        });
    }
    let cands: Vec<usize> = cands
        .iter()
        .cloned()
        .filter(|&r| tab.rhs[r] / tab.at(r, lam) >= best - tol * scale)
        .collect();
    let pr = tab.lexico(&cands, lam, slack0, false);
    let mut leaving = tab.basis[pr];
    tab.pivot(pr, lam);
    let mut pivots = 1;
    while leaving != lam {
        let entering = if leaving < k {
            slack0 + leaving
        } else if (slack0..slack0 + k).contains(&leaving) {
            leaving - slack0
        } else {
            // A value variable or a player's equation slack cannot leave.
            return Err(PolymatrixError::Ray { pivots });
        };
        if pivots >= max_pivots {
            return Err(PolymatrixError::PivotLimit { pivots });
        }
        let colmax = (0..rows).fold(0.0f64, |m, r| m.max(tab.at(r, entering).abs()));
        let eps = 1e-11 * colmax.max(1e-300);
        let mut best = f64::INFINITY;
        let mut ratios: Vec<(usize, f64)> = Vec::new();
        for r in 0..rows {
            let a = tab.at(r, entering);
            if is_value(tab.basis[r]) || !(a > eps) {
                continue;
            }
            let ratio = tab.rhs[r].max(0.0) / a;
            ratios.push((r, ratio));
            best = best.min(ratio);
        }
        if ratios.is_empty() || !best.is_finite() {
            return Err(PolymatrixError::Ray { pivots });
        }
        let cands: Vec<usize> = ratios
            .iter()
            .filter(|(_, q)| *q <= best + 1e-10 * (1.0 + best.abs()))
            .map(|(r, _)| *r)
            .collect();
        let pr = if cands.len() == 1 {
            cands[0]
        } else {
            tab.lexico(&cands, entering, slack0, true)
        };
        leaving = tab.basis[pr];
        tab.pivot(pr, entering);
        pivots += 1;
    }
    Ok(LemkeOutcome {
        profile: finish(game, profile_of(&tab)),
        pivots,
    })
}

/// Gametracer's Lemke–Howson for polymatrix games (the rule
/// [`TieRule::FirstIndex`]): a dictionary tableau `T` of `k + n` rows and
/// `k + n + 2` columns (`s`, `v`, `λ`, right-hand side) whose entries are
/// `D` times the true ones, labels `+i` for column variables and `−i` for
/// row (basic) variables.
fn gametracer_pivoting(
    game: &PolymatrixGame,
    g: &[f64],
    im: &[usize],
    max_pivots: usize,
) -> Result<LemkeOutcome, PolymatrixError> {
    let mut work = GtPivoting::default();
    let mut s = Vec::new();
    let pivots = work.solve(game, g, im, max_pivots, &mut s)?;
    Ok(LemkeOutcome { profile: s, pivots })
}

/// Reusable buffers of Gametracer's pivoting ([`TieRule::FirstIndex`]), so
/// that an iteration solving many approximations allocates nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct GtPivoting {
    /// The tableau, row-major, `rows × (rows + 2)`.
    t: Vec<f64>,
    /// A copy of the pivot row.
    prow: Vec<f64>,
    /// Label of each column (`+i`) and row (`−i`).
    col: Vec<i64>,
    row: Vec<i64>,
    /// Running divisor `D`.
    d: f64,
}

impl GtPivoting {
    /// One pivot on `(pr, pc)`: every entry outside the pivot row and
    /// column becomes `(t·pivot − t_ic·t_rj) / (D·sgn)`; returns the label
    /// that leaves the basis.
    fn pivot(&mut self, pr: usize, pc: usize) -> i64 {
        let cols = self.col.len();
        let rows = self.row.len();
        let t = &mut self.t;
        let pv = t[pr * cols + pc];
        let sgn = if pv < 0.0 { -1.0 } else { 1.0 };
        let div = self.d * sgn;
        self.prow.clear();
        self.prow.extend_from_slice(&t[pr * cols..(pr + 1) * cols]);
        let prow = &self.prow;
        // Each entry outside the pivot row becomes (t·pivot − t_ic·t_rj) /
        // (D·sgn); the pivot column is computed along (one loop over the
        // whole row vectorises) and then restored, as it is not updated.
        // Dividing by ±1 (D = 1, as in the first pivots) is exact, so it
        // is skipped (or is a negation): the same bits.
        for (i, r) in t.chunks_mut(cols).enumerate() {
            if i == pr {
                continue;
            }
            let tic = r[pc];
            if div == 1.0 {
                for (x, &y) in r.iter_mut().zip(prow.iter()) {
                    *x = *x * pv - tic * y;
                }
            } else if div == -1.0 {
                for (x, &y) in r.iter_mut().zip(prow.iter()) {
                    *x = -(*x * pv - tic * y);
                }
            } else {
                for (x, &y) in r.iter_mut().zip(prow.iter()) {
                    *x = (*x * pv - tic * y) / div;
                }
            }
            r[pc] = tic;
        }
        if sgn > 0.0 {
            for i in 0..rows {
                t[i * cols + pc] = -t[i * cols + pc];
            }
        } else {
            for x in &mut t[pr * cols..(pr + 1) * cols] {
                *x = -*x;
            }
        }
        t[pr * cols + pc] = sgn * self.d;
        self.d = pv.abs();
        let p = self.row[pr];
        std::mem::swap(&mut self.row[pr], &mut self.col[pc]);
        if self.d > 1e6 {
            let d = self.d;
            for x in t.iter_mut() {
                *x /= d;
            }
            self.d = 1.0;
        }
        p
    }

    /// Gametracer's Lemke–Howson from the favourites `im`; the profile
    /// goes to `s`, the number of pivots is returned.
    pub(crate) fn solve(
        &mut self,
        game: &PolymatrixGame,
        g: &[f64],
        im: &[usize],
        max_pivots: usize,
        s: &mut Vec<f64>,
    ) -> Result<usize, PolymatrixError> {
        const BIG: f64 = 3.0e28;
        let k = game.k;
        let n = game.shape.len();
        let rows = k + n;
        let cols = rows + 2;
        let cg = rows;
        let rhs = rows + 1;
        self.t.clear();
        self.t.resize(rows * cols, 0.0);
        let t = &mut self.t;
        for p in 0..n {
            for a in game.offsets[p]..game.offsets[p] + game.shape[p] {
                t[(k + p) * cols + a] = 1.0;
                t[a * cols + k + p] = -1.0;
            }
            t[(k + p) * cols + rhs] = 1.0;
        }
        for a in 0..k {
            t[a * cols..a * cols + k].copy_from_slice(&game.m[a * k..(a + 1) * k]);
            t[a * cols + cg] = g[a];
            t[a * cols + rhs] = -game.c[a];
        }
        self.col.clear();
        self.col.extend(1..=cols as i64);
        self.row.clear();
        self.row.extend((1..=rows as i64).map(|i| -i));
        self.d = 1.0;
        let find = |v: &[i64], x: i64| v.iter().position(|&y| y == x);
        let missing = || PolymatrixError::Invalid("lost track of a tableau label".into());
        let (ki, ni) = (k as i64, n as i64);
        for p in 0..n {
            let pi = p as i64;
            let pc = find(&self.col, im[p] as i64 + 1).ok_or_else(missing)?;
            let pr = find(&self.row, -ki - pi - 1).ok_or_else(missing)?;
            self.pivot(pr, pc);
            let pc = find(&self.col, ki + pi + 1).ok_or_else(missing)?;
            let pr = find(&self.row, -(im[p] as i64) - 1).ok_or_else(missing)?;
            self.pivot(pr, pc);
        }
        let lam = cg as i64 + 1;
        let pc = find(&self.col, lam).ok_or_else(missing)?;
        let mut m = -BIG;
        let mut pr = None;
        // Value rows are skipped: with nonnegative payoffs (as in IPA) they
        // never win this test, and with negative ones they must not leave.
        for i in 0..rows {
            let a = self.t[i * cols + pc];
            let value_row = self.row[i] > ki && self.row[i] <= ki + ni;
            if a < 0.0 && !value_row && self.t[i * cols + rhs] / a > m {
                m = self.t[i * cols + rhs] / a;
                pr = Some(i);
            }
        }
        let mut pivots = 0;
        if let (true, Some(r0)) = (m > 0.0, pr) {
            let mut p = self.pivot(r0, pc);
            pivots = 1;
            while p != lam {
                if pivots >= max_pivots {
                    return Err(PolymatrixError::PivotLimit { pivots });
                }
                let pc = find(&self.col, -p).ok_or(PolymatrixError::Ray { pivots })?;
                let mut m = BIG;
                let mut pr = None;
                for i in 0..rows {
                    let a = self.t[i * cols + pc];
                    if a > 0.0
                        && (self.row[i] <= ki || self.row[i] > ki + ni)
                        && self.t[i * cols + rhs] / a < m
                    {
                        m = self.t[i * cols + rhs] / a;
                        pr = Some(i);
                    }
                }
                let Some(r) = pr else {
                    return Err(PolymatrixError::Ray { pivots });
                };
                p = self.pivot(r, pc);
                pivots += 1;
            }
        }
        s.clear();
        s.resize(k, 0.0);
        for (a, x) in s.iter_mut().enumerate() {
            if let Some(r) = find(&self.row, a as i64 + 1) {
                *x = self.t[r * cols + rhs] / self.d;
            }
        }
        if s.iter().any(|x| !x.is_finite()) {
            return Err(PolymatrixError::Ray { pivots });
        }
        Ok(pivots)
    }
}

/// Normalises each player's block of a pivoting answer and, when the
/// support's linear system gives a more accurate equilibrium, uses it.
fn finish(game: &PolymatrixGame, mut s: Vec<f64>) -> Vec<f64> {
    for (p, &o) in game.offsets.iter().enumerate() {
        let sum: f64 = s[o..o + game.shape[p]].iter().sum();
        if sum > 0.0 {
            for x in &mut s[o..o + game.shape[p]] {
                *x /= sum;
            }
        }
    }
    let support: Vec<bool> = s.iter().map(|&x| x > 0.0).collect();
    if let Some(y) = solve_on_support(game, &support) {
        let tol = 1e-9 * game.magnitude();
        if y.iter().all(|&x| x >= -tol) {
            let exact: Vec<f64> = y
                .iter()
                .zip(&support)
                .map(|(&x, &on)| if on { x.max(0.0) } else { 0.0 })
                .collect();
            if game.max_regret(&exact) <= game.max_regret(&s) {
                return exact;
            }
        }
    }
    s
}

/// Solves the equilibrium conditions with the support fixed: every
/// strategy in `support` earns its player's value, probabilities on the
/// support sum to one. Returns, per strategy, its probability if it is in
/// the support and its slack `v_p − u_a(s)` otherwise (so the point is an
/// equilibrium exactly when no entry is negative); `None` when a player
/// has an empty support or the system has no finite solution. The linear
/// solve is an LU factorisation with implicitly scaled partial pivoting
/// (Numerical Recipes' order of operations, as in Gametracer).
pub fn solve_on_support(game: &PolymatrixGame, support: &[bool]) -> Option<Vec<f64>> {
    let mut sys = SupportSystem::default();
    let mut out = Vec::new();
    sys.solve(game, support, &mut out).then_some(out)
}

/// Reusable buffers of [`solve_on_support`], so that an iteration solving
/// one support system per round allocates nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct SupportSystem {
    /// The matrix, column-major (`a[c * dim + r]`).
    a: Vec<f64>,
    b: Vec<f64>,
    vv: Vec<f64>,
    ix: Vec<usize>,
    fin: Vec<bool>,
}

impl SupportSystem {
    /// [`solve_on_support`] into `out` (the first `k` entries of the
    /// solution); `false` where it returns `None`.
    pub(crate) fn solve(
        &mut self,
        game: &PolymatrixGame,
        support: &[bool],
        out: &mut Vec<f64>,
    ) -> bool {
        let k = game.k;
        let n = game.shape.len();
        if support.len() != k {
            return false;
        }
        let dim = k + n;
        self.a.clear();
        self.a.resize(dim * dim, 0.0);
        self.b.clear();
        self.b.resize(dim, 0.0);
        let a = &mut self.a;
        // Column c of a support strategy: its column of the matrix and a 1
        // in its player's equation; otherwise the unit column (the slack).
        for c in 0..k {
            let col = &mut a[c * dim..(c + 1) * dim];
            if support[c] {
                for r in 0..k {
                    col[r] = game.m[r * k + c];
                }
                col[k + game.owner[c]] = 1.0;
            } else {
                col[c] = 1.0;
            }
        }
        for r in 0..k {
            a[(k + game.owner[r]) * dim + r] = -1.0;
            self.b[r] = -game.c[r];
        }
        for p in 0..n {
            self.b[k + p] = 1.0;
        }
        if !lu_solve_in(
            &mut self.a,
            &mut self.b,
            dim,
            &mut self.vv,
            &mut self.ix,
            &mut self.fin,
        ) {
            return false;
        }
        if self.b.iter().any(|v| !v.is_finite()) {
            return false;
        }
        out.clear();
        out.extend_from_slice(&self.b[..k]);
        true
    }
}

/// Solves `a x = b` (`n × n`, **column-major**) in place (`b` becomes `x`)
/// by Crout's LU factorisation with implicitly scaled partial pivoting,
/// exact-zero pivots replaced by 1e-20; `false` when a row is zero or not
/// finite.
///
/// Every entry goes through the operations of Numerical Recipes'
/// `ludcmp`/`lubksb` (which Gametracer uses) in the same order, so the
/// result is the same to the last bit; only the loops are interchanged
/// (each column's updates `a_ij −= a_ik a_kj` run over `i` for each `k`,
/// independent entries side by side instead of one dot product at a
/// time), which lets them run in parallel.
fn lu_solve_in(
    a: &mut [f64],
    b: &mut [f64],
    n: usize,
    vv: &mut Vec<f64>,
    ix: &mut Vec<usize>,
    fin: &mut Vec<bool>,
) -> bool {
    // Exact zeros are skipped where that cannot change a bit: an update
    // x − l·(+0) leaves x as it is when l is finite and x is not −0. No
    // entry of the column being updated is −0 when the matrix starts
    // without one (a difference of equal numbers is +0 in round to
    // nearest, +0 − (±0) = +0; only the scaling of L makes −0, in columns
    // already done), and each column of L is checked to be finite.
    // (A fold without early exit: it vectorises; the scan is a tenth of
    // the solve on small systems otherwise.)
    let neg_zero = (-0.0f64).to_bits();
    let may_skip = !a
        .iter()
        .fold(false, |seen, x| seen | (x.to_bits() == neg_zero));
    fin.clear();
    fin.resize(n, false);
    vv.clear();
    vv.resize(n, 0.0);
    for i in 0..n {
        let mut big = a[i].abs();
        for j in 1..n {
            let x = a[j * n + i].abs();
            if big < x {
                big = x;
            }
        }
        if big == 0.0 || !big.is_finite() {
            return false;
        }
        vv[i] = 1.0 / big;
    }
    ix.clear();
    ix.resize(n, 0);
    for j in 0..n {
        let (done, rest) = a.split_at_mut(j * n);
        let colj = &mut rest[..n];
        // a_ij −= a_ik a_kj for k < min(i, j), in increasing k.
        for kk in 0..j {
            let akj = colj[kk];
            if akj == 0.0 && fin[kk] {
                continue;
            }
            let colk = &done[kk * n..(kk + 1) * n];
            for (x, &l) in colj[kk + 1..].iter_mut().zip(&colk[kk + 1..]) {
                *x -= l * akj;
            }
        }
        let mut big = 0.0;
        let mut imax = j;
        for i in j..n {
            let dum = vv[i] * colj[i].abs();
            if dum >= big {
                big = dum;
                imax = i;
            }
        }
        if j != imax {
            for c in 0..n {
                a.swap(c * n + imax, c * n + j);
            }
            vv[imax] = vv[j];
        }
        ix[j] = imax;
        let d = j * n + j;
        if a[d] == 0.0 {
            a[d] = 1e-20;
        }
        if j != n - 1 {
            let dum = 1.0 / a[d];
            for x in &mut a[d + 1..(j + 1) * n] {
                *x *= dum;
            }
        }
        fin[j] = may_skip && a[d + 1..(j + 1) * n].iter().all(|x| x.is_finite());
    }
    // Forward substitution. NR interleaves the row swaps with it, but each
    // swap only reads entries not yet substituted, so swapping first is the
    // same; then each b_i −= a_ij b_j in increasing j (from the first
    // nonzero entry on), one column at a time.
    for i in 0..n {
        b.swap(i, ix[i]);
    }
    if let Some(first) = b.iter().position(|&x| x != 0.0) {
        for j in first..n {
            let bj = b[j];
            for (x, &l) in b[j + 1..].iter_mut().zip(&a[j * n + j + 1..(j + 1) * n]) {
                *x -= l * bj;
            }
        }
    }
    for i in (0..n).rev() {
        let mut sum = b[i];
        for j in i + 1..n {
            sum -= a[j * n + i] * b[j];
        }
        b[i] = sum / a[i * n + i];
    }
    true
}

/// Numerical Recipes' `ludcmp`/`lubksb` as written (row-major, one dot
/// product at a time): the reference [`lu_solve_in`] must match bit for
/// bit.
#[cfg(test)]
fn lu_solve_reference(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    let mut vv = vec![0.0; n];
    for i in 0..n {
        let mut big = a[i * n].abs();
        for j in 1..n {
            let x = a[i * n + j].abs();
            if big < x {
                big = x;
            }
        }
        if big == 0.0 || !big.is_finite() {
            return None;
        }
        vv[i] = 1.0 / big;
    }
    let mut ix = vec![0usize; n];
    for j in 0..n {
        for i in 0..j {
            let mut sum = a[i * n + j];
            for k in 0..i {
                sum -= a[i * n + k] * a[k * n + j];
            }
            a[i * n + j] = sum;
        }
        let mut big = 0.0;
        let mut imax = j;
        for i in j..n {
            let mut sum = a[i * n + j];
            for k in 0..j {
                sum -= a[i * n + k] * a[k * n + j];
            }
            a[i * n + j] = sum;
            let dum = vv[i] * sum.abs();
            if dum >= big {
                big = dum;
                imax = i;
            }
        }
        if j != imax {
            for k in 0..n {
                a.swap(imax * n + k, j * n + k);
            }
            vv[imax] = vv[j];
        }
        ix[j] = imax;
        if a[j * n + j] == 0.0 {
            a[j * n + j] = 1e-20;
        }
        if j != n - 1 {
            let dum = 1.0 / a[j * n + j];
            for i in j + 1..n {
                a[i * n + j] *= dum;
            }
        }
    }
    let mut ii: Option<usize> = None;
    for i in 0..n {
        let ip = ix[i];
        let mut sum = b[ip];
        b[ip] = b[i];
        if let Some(start) = ii {
            for j in start..i {
                sum -= a[i * n + j] * b[j];
            }
        } else if sum != 0.0 {
            ii = Some(i);
        }
        b[i] = sum;
    }
    for i in (0..n).rev() {
        let mut sum = b[i];
        for j in i + 1..n {
            sum -= a[i * n + j] * b[j];
        }
        b[i] = sum / a[i * n + i];
    }
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn first_ray(game: &PolymatrixGame) -> Vec<f64> {
        let mut g = vec![0.0; game.num_strategies()];
        for &o in game.offsets() {
            g[o] = 1.0;
        }
        g
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    #[test]
    fn matching_pennies() {
        let g =
            PolymatrixGame::from_bimatrix(&[1.0, -1.0, -1.0, 1.0], &[-1.0, 1.0, 1.0, -1.0], 2, 2)
                .unwrap_or_else(|e| panic!("{e}"));
        let out = lemke_howson(&g, &first_ray(&g), 100).unwrap_or_else(|e| panic!("{e}"));
        assert!(close(&out.profile, &[0.5, 0.5, 0.5, 0.5]), "{out:?}");
        assert!(out.pivots > 0);
    }

    /// The 3×2 bimatrix game of von Stengel ("Computing equilibria for
    /// two-person games", 2002, fig. 2.2 / section 2.5): equilibria
    /// ((1,0,0),(1,0)), ((4/5,1/5,0),(2/3,1/3)) and
    /// ((0,1/3,2/3),(1/3,2/3)); the Lemke–Howson paths from different
    /// missing labels end at different ones.
    #[test]
    fn von_stengel_3x3() {
        let a = [3.0, 3.0, 2.0, 5.0, 0.0, 6.0];
        let b = [3.0, 2.0, 2.0, 6.0, 3.0, 1.0];
        // 3×2 game (rows × cols).
        let g = PolymatrixGame::from_bimatrix(&a, &b, 3, 2).unwrap_or_else(|e| panic!("{e}"));
        let eqs: [[f64; 5]; 3] = [
            [1.0, 0.0, 0.0, 1.0, 0.0],
            [0.8, 0.2, 0.0, 2.0 / 3.0, 1.0 / 3.0],
            [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0],
        ];
        for fav in [[0usize, 0], [1, 0], [2, 1], [1, 1], [2, 0], [0, 1]] {
            let mut ray = vec![0.0; 5];
            ray[fav[0]] = 1.0;
            ray[3 + fav[1]] = 1.0;
            let out = lemke_howson(&g, &ray, 100).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                eqs.iter().any(|e| close(&out.profile, e)),
                "from {fav:?}: {:?}",
                out.profile
            );
            assert!(g.max_regret(&out.profile) < 1e-12);
            // Gametracer's pivoting follows the same path here (no ties).
            let gt = lemke_howson_with(&g, &ray, 100, TieRule::FirstIndex)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(close(&gt.profile, &out.profile), "{gt:?} vs {out:?}");
        }
        // The favourite profile (row 1, column 1) is already an equilibrium.
        let out = lemke_howson(&g, &first_ray(&g), 100).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.pivots, 0);
        assert!(close(&out.profile, &eqs[0]));
    }

    /// A three-player polymatrix game (a cycle of matching pennies: 1
    /// matches 2, 2 mismatches 3, 3 matches 1) whose only equilibrium is
    /// everyone mixing half-half.
    #[test]
    fn three_player_cycle() {
        let k = 6;
        let mut m = vec![0.0; k * k];
        let mut set = |p: usize, q: usize, sign: f64| {
            for i in 0..2 {
                for j in 0..2 {
                    m[(2 * p + i) * k + 2 * q + j] = if i == j { sign } else { -sign };
                }
            }
        };
        set(0, 1, 1.0);
        set(1, 2, -1.0);
        set(2, 0, 1.0);
        let g = PolymatrixGame::new(vec![2, 2, 2], m).unwrap_or_else(|e| panic!("{e}"));
        let out = lemke_howson(&g, &first_ray(&g), 100).unwrap_or_else(|e| panic!("{e}"));
        assert!(close(&out.profile, &[0.5; 6]), "{:?}", out.profile);
    }

    #[test]
    fn one_player_with_constants() {
        let g = PolymatrixGame::new(vec![3], vec![0.0; 9])
            .and_then(|g| g.with_constants(vec![1.0, 5.0, 2.0]))
            .unwrap_or_else(|e| panic!("{e}"));
        let out = lemke_howson(&g, &[1.0, 0.0, 0.0], 100).unwrap_or_else(|e| panic!("{e}"));
        assert!(close(&out.profile, &[0.0, 1.0, 0.0]), "{out:?}");
    }

    #[test]
    fn support_system() {
        let g =
            PolymatrixGame::from_bimatrix(&[1.0, -1.0, -1.0, 1.0], &[-1.0, 1.0, 1.0, -1.0], 2, 2)
                .unwrap_or_else(|e| panic!("{e}"));
        let y = solve_on_support(&g, &[true; 4]).unwrap_or_default();
        assert!(close(&y, &[0.5; 4]));
        // Pure support (1, 1): player 2 would rather play 2 (slack −2).
        let y = solve_on_support(&g, &[true, false, true, false]).unwrap_or_default();
        assert_eq!(y.len(), 4);
        assert!(y.iter().any(|&v| v < 0.0), "{y:?}");
    }

    #[test]
    fn bad_input() {
        assert!(PolymatrixGame::new(vec![2, 2], vec![0.0; 15]).is_err());
        assert!(PolymatrixGame::new(vec![2, 0], vec![]).is_err());
        let mut m = vec![0.0; 16];
        m[3] = f64::NAN;
        assert!(PolymatrixGame::new(vec![2, 2], m).is_err());
        let g = PolymatrixGame::new(vec![2, 2], vec![0.0; 16]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            lemke_howson(&g, &[1.0, 1.0, 1.0, 0.0], 10),
            Err(PolymatrixError::NoUniqueFavourite { player: 0 })
        );
        assert!(lemke_howson(&g, &[1.0, 0.0], 10).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// The interchanged-loop LU gives Numerical Recipes' result bit for
        /// bit (same operations on every entry in the same order),
        /// including on singular and sparse systems (small integers, many
        /// zeros and unit columns, as in the support systems).
        #[test]
        fn lu_matches_numerical_recipes_bitwise(
            n in 1usize..9,
            entries in proptest::collection::vec(-3i32..5, 81),
            scale in proptest::collection::vec(0.1f64..10.0, 9),
            rhs in proptest::collection::vec(-5i32..6, 9),
        ) {
            // 3 stands for −0 (which turns the skipping of zeros off).
            let a: Vec<f64> = (0..n * n)
                .map(|i| if entries[i] == 3 { -0.0 } else { f64::from(entries[i]) * scale[i % n] / 3.0 })
                .collect();
            // 5 stands for −0 on the right-hand side.
            let b: Vec<f64> = (0..n)
                .map(|i| if rhs[i] == 5 { -0.0 } else { f64::from(rhs[i]) })
                .collect();
            let want = lu_solve_reference(a.clone(), b.clone(), n);
            let mut cm = vec![0.0; n * n];
            for r in 0..n {
                for c in 0..n {
                    cm[c * n + r] = a[r * n + c];
                }
            }
            let mut got = b.clone();
            let ok = lu_solve_in(
                &mut cm,
                &mut got,
                n,
                &mut Vec::new(),
                &mut Vec::new(),
                &mut Vec::new(),
            );
            match want {
                None => prop_assert!(!ok),
                Some(w) => {
                    prop_assert!(ok);
                    let same = w.iter().zip(&got).all(|(x, y)| x.to_bits() == y.to_bits());
                    prop_assert!(same, "{w:?} vs {got:?}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Every answer is an equilibrium of the polymatrix game, from any
        /// perturbation, on random games with 2–4 players (integer
        /// payoffs, so degenerate ties occur).
        #[test]
        fn returns_equilibria(
            shape in proptest::collection::vec(1usize..4, 2..5),
            seed in proptest::collection::vec(-5i32..6, 256),
            ray in proptest::collection::vec(0u32..1000, 16),
        ) {
            let k: usize = shape.iter().sum();
            let m: Vec<f64> = (0..k * k).map(|i| seed[i % seed.len()] as f64 + (i / seed.len()) as f64).collect();
            let g = PolymatrixGame::new(shape.clone(), m).unwrap_or_else(|e| panic!("{e}"));
            let mut r: Vec<f64> = (0..k).map(|i| ray[i % ray.len()] as f64 + i as f64 * 1e-3).collect();
            // Unique favourites: bump the first strategy of any tied player.
            for (p, &o) in g.offsets().iter().enumerate() {
                let mx = r[o..o + shape[p]].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                r[o] = mx + 1.0;
            }
            for rule in [TieRule::Lexicographic, TieRule::FirstIndex] {
            match lemke_howson_with(&g, &r, 10_000, rule) {
                Ok(out) => {
                    let reg = g.max_regret(&out.profile);
                    let sums = g.offsets().iter().enumerate().all(|(p, &o)| {
                        let s: f64 = out.profile[o..o + shape[p]].iter().sum();
                        (s - 1.0).abs() < 1e-9
                    });
                    // Gametracer's rule has no tolerances: on degenerate
                    // games rounding can also end it at a point that is no
                    // equilibrium (regression seed b4cba5ec; Gambit's code
                    // does the same). The lexicographic rule's answers
                    // must be equilibria.
                    if rule != TieRule::FirstIndex {
                        prop_assert!(reg <= 1e-9 * g.magnitude(), "{rule:?}: regret {reg} of {:?}", out.profile);
                        prop_assert!(sums, "{rule:?}: a player's sum is not 1: {:?}", out.profile);
                    }
                }
                // Both rules may cycle on degenerate games in floating
                // point (Gametracer's own code would not stop; the
                // lexicographic rule's tolerances can be defeated, see the
                // regression seeds): only the pivot limit may end it.
                Err(PolymatrixError::PivotLimit { .. }) => {}
                Err(e) => prop_assert!(false, "{rule:?}: {e}"),
            }
            }
            // The exact rule cannot cycle: it always ends, at an exact
            // equilibrium of the game as stored.
            let exact = crate::polymatrix_exact::lemke_howson_exact_f64(
                &g,
                &r,
                &crate::polymatrix_exact::ExactOptions::default(),
            );
            prop_assert!(exact.is_ok(), "exact: {exact:?}");
            let exact = exact.unwrap_or_else(|e| panic!("{e}"));
            let eg = crate::polymatrix_exact::ExactPolymatrix::from_float(&g)
                .unwrap_or_else(|e| panic!("{e}"));
            prop_assert!(eg.is_equilibrium(&exact.profile), "{:?}", exact.profile);
        }
    }
}
