//! Equilibria of polymatrix games by lexicographic Lemke–Howson pivoting in
//! exact (integer-preserving) arithmetic: the fallback that cannot cycle.
//!
//! The linear complementarity problem is the one of [`crate::polymatrix`]
//! (J. T. Howson Jr., "Equilibria of polymatrix games", *Management
//! Science* 18 (1972) 312–318; the path is C. E. Lemke and J. T. Howson
//! Jr., "Equilibrium points of bimatrix games", *SIAM J. Applied
//! Mathematics* 12 (1964) 413–423, with the covering variable `λ` and the
//! perturbation `g` of S. Govindan and R. Wilson, *J. Economic Dynamics and
//! Control* 28 (2004)): row `a` reads
//! `w_a + Σ_b m_ab s_b − v_p + g_a λ = −c_a` and row `p` reads
//! `w'_p + Σ_{a ∈ S_p} s_a = 1`. Pivoting starts at the pure profile that
//! `g` favours (values `v` basic, `λ` large) and follows the equilibria of
//! the perturbed games down to `λ = 0`.
//!
//! Ties in the ratio test are broken by the lexicographic rule (rows of
//! `(B⁻¹ q, B⁻¹)` divided by the entering column; B. von Stengel,
//! "Computing equilibria for two-person games", *Handbook of Game Theory*
//! vol. 3, ch. 45 (2002), section 6), which amounts to perturbing the
//! right-hand side by `(ε, ε², …)`: every basis on the path is then
//! nondegenerate for small `ε`, the path is unique and visits no basis
//! twice, so it ends after finitely many pivots. The argument needs exact
//! comparisons, so the tableau is kept in integers by Edmonds' and Bareiss'
//! integer-preserving pivots (each entry is the true one times the basis
//! determinant `D`, every division is exact), as in von Stengel's
//! `lemke` code and Avis's `lrs`. Each row of the input is first scaled by
//! a positive number that makes it integral (a positive rescaling of its
//! slack, which leaves complementarity as it is); `f64` inputs are read as
//! the exact dyadic rationals they are.
//!
//! The path cannot end on a secondary ray: along a ray `s` is fixed (it is
//! bounded), `λ` cannot grow (for large `λ` the favourite profile is the
//! only equilibrium), so the entering slack `w_a` and with it `v_p` and all
//! of player `p`'s slacks would grow, forcing all of `p`'s probabilities
//! to zero. Exact arithmetic is bounded by a pivot budget and an optional
//! deadline ([`ExactOptions`]); reaching either is an error, never an
//! answer.

use crate::polymatrix::{block_layout, unique_maxima, PolymatrixError, PolymatrixGame};
use detente_game::{Rational, Scalar};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;
use std::time::Instant;

/// A polymatrix game with rational payoffs: `u_a(s) = c_a + Σ_b m_ab s_b`
/// over the strategies `b` of the other players (entries within a
/// player's own block are ignored).
#[derive(Debug, Clone, PartialEq)]
pub struct ExactPolymatrix {
    shape: Vec<usize>,
    offsets: Vec<usize>,
    owner: Vec<usize>,
    k: usize,
    /// `m[a * k + b]`, own blocks zero.
    m: Vec<Rational>,
    c: Vec<Rational>,
}

impl ExactPolymatrix {
    /// A polymatrix game with `shape[p]` strategies for player `p` and the
    /// `k × k` row-major matrix `m` (`k = Σ shape`); entries within a
    /// player's own block are ignored.
    pub fn new(shape: Vec<usize>, m: Vec<Rational>) -> Result<Self, PolymatrixError> {
        let (offsets, owner, k) = block_layout(&shape, m.len())?;
        let mut m = m;
        for a in 0..k {
            for b in 0..k {
                if owner[a] == owner[b] {
                    m[a * k + b] = Rational::zero();
                }
            }
        }
        Ok(ExactPolymatrix {
            shape,
            offsets,
            owner,
            k,
            m,
            c: vec![Rational::zero(); k],
        })
    }

    /// The same game with a constant payoff `c[a]` added to every strategy.
    pub fn with_constants(mut self, c: Vec<Rational>) -> Result<Self, PolymatrixError> {
        if c.len() != self.k {
            return Err(PolymatrixError::Invalid(format!(
                "the constants need {} numbers",
                self.k
            )));
        }
        self.c = c;
        Ok(self)
    }

    /// The floating-point game `game` read exactly (every `f64` is a
    /// dyadic rational).
    pub fn from_float(game: &PolymatrixGame) -> Result<Self, PolymatrixError> {
        let k = game.num_strategies();
        let mut m = Vec::with_capacity(k * k);
        for a in 0..k {
            for b in 0..k {
                m.push(exact_f64(game.entry(a, b), "payoff entry")?);
            }
        }
        let c = game
            .constants()
            .iter()
            .map(|&x| exact_f64(x, "constant"))
            .collect::<Result<Vec<_>, _>>()?;
        ExactPolymatrix::new(game.shape().to_vec(), m)?.with_constants(c)
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

    /// The payoff of every strategy against the flat profile `s`; `None`
    /// when `s` does not have one entry per strategy.
    pub fn values(&self, s: &[Rational]) -> Option<Vec<Rational>> {
        if s.len() != self.k {
            return None;
        }
        let k = self.k;
        Some(
            (0..k)
                .map(|a| {
                    let mut v = self.c[a].clone();
                    for (m, x) in self.m[a * k..(a + 1) * k].iter().zip(s) {
                        if !m.is_zero() && !x.is_zero() {
                            v += m * x;
                        }
                    }
                    v
                })
                .collect(),
        )
    }

    /// Whether `s` is a profile (nonnegative, each player's block summing
    /// to one) at which no player gains by deviating: an exact check.
    pub fn is_equilibrium(&self, s: &[Rational]) -> bool {
        let Some(v) = self.values(s) else {
            return false;
        };
        if s.iter().any(|x| x.is_negative()) {
            return false;
        }
        self.offsets.iter().enumerate().all(|(p, &o)| {
            let r = o..o + self.shape[p];
            let sum: Rational = s[r.clone()].iter().sum();
            let mine: Rational = v[r.clone()]
                .iter()
                .zip(&s[r.clone()])
                .map(|(a, b)| a * b)
                .sum();
            sum.is_one() && v[r].iter().all(|x| *x <= mine)
        })
    }
}

/// `x` as the exact rational it is.
fn exact_f64(x: f64, what: &str) -> Result<Rational, PolymatrixError> {
    Rational::from_float(x)
        .ok_or_else(|| PolymatrixError::Invalid(format!("a {what} is not a finite number ({x})")))
}

/// Limits of [`lemke_howson_exact`].
#[derive(Debug, Clone, PartialEq)]
pub struct ExactOptions {
    /// Largest number of complementary pivots after `λ` entered.
    pub max_pivots: usize,
    /// Give up (with [`PolymatrixError::TimeLimit`]) after this instant.
    pub deadline: Option<Instant>,
}

impl Default for ExactOptions {
    fn default() -> Self {
        ExactOptions {
            max_pivots: 100_000,
            deadline: None,
        }
    }
}

/// An exact equilibrium found by [`lemke_howson_exact`].
#[derive(Debug, Clone, PartialEq)]
pub struct ExactOutcome {
    /// Flat profile (player 1's strategies first), each player's block
    /// summing to one exactly.
    pub profile: Vec<Rational>,
    /// Complementary pivots made after `λ` entered (0 when the favourite
    /// pure profile is already an equilibrium).
    pub pivots: usize,
}

impl ExactOutcome {
    /// The profile rounded to the nearest `f64`s.
    pub fn to_f64(&self) -> Vec<f64> {
        self.profile.iter().map(Scalar::to_f64).collect()
    }
}

/// The strategy each player's perturbation favours (its unique largest
/// entry).
fn favourites(game: &ExactPolymatrix, g: &[Rational]) -> Result<Vec<usize>, PolymatrixError> {
    if g.len() != game.k {
        return Err(PolymatrixError::Invalid(format!(
            "the perturbation needs {} numbers",
            game.k
        )));
    }
    unique_maxima(&game.shape, &game.offsets, g)
}

/// The integer tableau `D · B⁻¹ [A | q]`: columns `s` (k), `v` (n), `λ`,
/// the slacks `w` (k) and `w'` (n) (whose columns hold `D · B⁻¹`), then the
/// right-hand side; `D > 0` the determinant of the basis (up to sign).
struct IntTableau {
    /// Columns of variables; the right-hand side is column `cols`.
    cols: usize,
    width: usize,
    a: Vec<BigInt>,
    d: BigInt,
    basis: Vec<usize>,
    /// First slack column (start of `B⁻¹`).
    slack0: usize,
    prow: Vec<BigInt>,
}

impl IntTableau {
    fn at(&self, r: usize, c: usize) -> &BigInt {
        &self.a[r * self.width + c]
    }

    fn rhs(&self, r: usize) -> &BigInt {
        self.at(r, self.cols)
    }

    /// Integer-preserving pivot on `(pr, pc)`: every row but `pr` becomes
    /// `(t·p − t_ic·t_rj) / D` (an exact division), `D` becomes `|p|`.
    fn pivot(&mut self, pr: usize, pc: usize) -> Result<(), PolymatrixError> {
        let w = self.width;
        let p = self.a[pr * w + pc].clone();
        if p.is_zero() {
            return Err(PolymatrixError::Invalid(
                "exact pivoting met a zero pivot".into(),
            ));
        }
        self.prow.clear();
        self.prow.extend_from_slice(&self.a[pr * w..(pr + 1) * w]);
        let same_d = p == self.d;
        for (i, row) in self.a.chunks_mut(w).enumerate() {
            if i == pr {
                continue;
            }
            let f = row[pc].clone();
            if f.is_zero() {
                if !same_d {
                    for x in row.iter_mut() {
                        if !x.is_zero() {
                            *x = exact_div(&(&*x * &p), &self.d)?;
                        }
                    }
                }
                continue;
            }
            for (x, y) in row.iter_mut().zip(&self.prow) {
                let num = if y.is_zero() {
                    &*x * &p
                } else {
                    &*x * &p - &f * y
                };
                *x = exact_div(&num, &self.d)?;
            }
        }
        if p.is_negative() {
            for x in &mut self.a {
                *x = -std::mem::take(x);
            }
            self.d = -p;
        } else {
            self.d = p;
        }
        self.basis[pr] = pc;
        Ok(())
    }

    /// Compares the rows `i` and `j` of `(q, B⁻¹)` divided by their entries
    /// in column `c` (of the same sign), lexicographically.
    fn compare(&self, i: usize, j: usize, c: usize) -> Ordering {
        let (ti, tj) = (self.at(i, c), self.at(j, c));
        for col in std::iter::once(self.cols).chain(self.slack0..self.cols) {
            // x_i / t_i against x_j / t_j, times t_i t_j > 0.
            let l = self.at(i, col) * tj;
            let r = self.at(j, col) * ti;
            match l.cmp(&r) {
                Ordering::Equal => continue,
                o => return o,
            }
        }
        Ordering::Equal
    }
}

/// `n / d`, which must be exact.
fn exact_div(n: &BigInt, d: &BigInt) -> Result<BigInt, PolymatrixError> {
    let (q, r) = n.div_rem(d);
    if r.is_zero() {
        Ok(q)
    } else {
        Err(PolymatrixError::Invalid(
            "exact pivoting met an inexact division".into(),
        ))
    }
}

/// Scales a row of rationals by the positive number that makes its entries
/// coprime integers.
fn integer_row(row: &[Rational]) -> Vec<BigInt> {
    let mut l = BigInt::one();
    for x in row {
        if !x.is_zero() {
            l = l.lcm(x.denom());
        }
    }
    let ints: Vec<BigInt> = row.iter().map(|x| x.numer() * (&l / x.denom())).collect();
    let mut g = BigInt::zero();
    for x in &ints {
        if !x.is_zero() {
            g = g.gcd(x);
        }
    }
    if g.is_zero() || g.is_one() {
        ints
    } else {
        ints.into_iter().map(|x| x / &g).collect()
    }
}

/// An exact equilibrium of `game` by lexicographic complementary pivoting
/// from the pure profile favoured by the perturbation `g` (one entry per
/// strategy, a unique largest entry per player). Cannot cycle; stops with
/// [`PolymatrixError::PivotLimit`] or [`PolymatrixError::TimeLimit`] when
/// the budget in `opts` is spent.
pub fn lemke_howson_exact(
    game: &ExactPolymatrix,
    g: &[Rational],
    opts: &ExactOptions,
) -> Result<ExactOutcome, PolymatrixError> {
    let im = favourites(game, g)?;
    let k = game.k;
    let n = game.shape.len();
    let rows = k + n;
    let lam = k + n;
    let slack0 = lam + 1;
    let cols = slack0 + rows;
    let width = cols + 1;
    let mut a = vec![BigInt::zero(); rows * width];
    // Row a: w_a + Σ_b m_ab s_b − v_p + g_a λ = −c_a, scaled to integers
    // (the scale is a positive rescaling of w_a, whose column stays a unit
    // column).
    let mut row = vec![Rational::zero(); k + 3];
    for r in 0..k {
        row[..k].clone_from_slice(&game.m[r * k..(r + 1) * k]);
        row[k] = -Rational::one();
        row[k + 1] = g[r].clone();
        row[k + 2] = -game.c[r].clone();
        let ints = integer_row(&row);
        let dst = &mut a[r * width..(r + 1) * width];
        dst[..k].clone_from_slice(&ints[..k]);
        dst[k + game.owner[r]] = ints[k].clone();
        dst[lam] = ints[k + 1].clone();
        dst[slack0 + r] = BigInt::one();
        dst[cols] = ints[k + 2].clone();
    }
    // Row k + p: w'_p + Σ_{a ∈ S_p} s_a = 1.
    for p in 0..n {
        let r = k + p;
        for s in game.offsets[p]..game.offsets[p] + game.shape[p] {
            a[r * width + s] = BigInt::one();
        }
        a[r * width + slack0 + r] = BigInt::one();
        a[r * width + cols] = BigInt::one();
    }
    let mut tab = IntTableau {
        cols,
        width,
        a,
        d: BigInt::one(),
        basis: (slack0..slack0 + rows).collect(),
        slack0,
        prow: Vec::with_capacity(width),
    };
    // The favourite pure profile, its values basic.
    for (p, &fav) in im.iter().enumerate() {
        tab.pivot(k + p, fav)?;
        tab.pivot(fav, k + p)?;
    }
    let is_value = |c: usize| (k..k + n).contains(&c);
    // Every sign-constrained basic variable that λ does not raise must be
    // lexicographically positive, or the no-cycling argument fails.
    for r in 0..rows {
        if is_value(tab.basis[r]) || tab.at(r, lam).is_negative() {
            continue;
        }
        let first = std::iter::once(cols)
            .chain(slack0..cols)
            .map(|c| tab.at(r, c))
            .find(|x| !x.is_zero());
        if !first.is_some_and(|x| x.is_positive()) {
            return Err(PolymatrixError::Invalid(
                "the favourite profile's basis is not lexicographically feasible".into(),
            ));
        }
    }
    // λ enters at the lexicographically largest of (q, B⁻¹)_r / t_rλ over
    // the rows it must raise (t_rλ < 0): the smallest feasible λ.
    let mut best: Option<usize> = None;
    for r in 0..rows {
        if is_value(tab.basis[r]) || !tab.at(r, lam).is_negative() {
            continue;
        }
        best = match best {
            Some(b) if tab.compare(r, b, lam) != Ordering::Greater => Some(b),
            _ => Some(r),
        };
    }
    let profile_of = |tab: &IntTableau| {
        let mut s = vec![Rational::zero(); k];
        for r in 0..rows {
            if tab.basis[r] < k {
                s[tab.basis[r]] = Rational::new(tab.rhs(r).clone(), tab.d.clone());
            }
        }
        s
    };
    // λ* = q_r / t_rλ ≤ 0: the favourite profile is an equilibrium.
    let Some(pr) = best.filter(|&r| tab.rhs(r).is_negative()) else {
        return Ok(ExactOutcome {
            profile: profile_of(&tab),
            pivots: 0,
        });
    };
    let mut leaving = tab.basis[pr];
    tab.pivot(pr, lam)?;
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
        if pivots >= opts.max_pivots {
            return Err(PolymatrixError::PivotLimit { pivots });
        }
        if opts.deadline.is_some_and(|t| Instant::now() >= t) {
            return Err(PolymatrixError::TimeLimit { pivots });
        }
        let mut best: Option<usize> = None;
        for r in 0..rows {
            if is_value(tab.basis[r]) || !tab.at(r, entering).is_positive() {
                continue;
            }
            best = match best {
                Some(b) if tab.compare(r, b, entering) != Ordering::Less => Some(b),
                _ => Some(r),
            };
        }
        let Some(pr) = best else {
            return Err(PolymatrixError::Ray { pivots });
        };
        leaving = tab.basis[pr];
        tab.pivot(pr, entering)?;
        pivots += 1;
    }
    Ok(ExactOutcome {
        profile: profile_of(&tab),
        pivots,
    })
}

/// [`lemke_howson_exact`] on a floating-point game and perturbation, each
/// number read as the exact rational it is: an exact equilibrium of the
/// game as stored.
pub fn lemke_howson_exact_f64(
    game: &PolymatrixGame,
    g: &[f64],
    opts: &ExactOptions,
) -> Result<ExactOutcome, PolymatrixError> {
    let exact = ExactPolymatrix::from_float(game)?;
    if g.len() != exact.k {
        return Err(PolymatrixError::Invalid(format!(
            "the perturbation needs {} finite numbers",
            exact.k
        )));
    }
    let g = g
        .iter()
        .map(|&x| exact_f64(x, "perturbation entry"))
        .collect::<Result<Vec<_>, _>>()?;
    lemke_howson_exact(&exact, &g, opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polymatrix::{lemke_howson_with, TieRule};
    use proptest::prelude::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
    }

    fn ints(v: &[i64]) -> Vec<Rational> {
        v.iter().map(|&x| q(x, 1)).collect()
    }

    /// The bimatrix game `(A, B)` (`rows × cols`, row-major) as a
    /// two-player polymatrix game.
    fn bimatrix(a: &[i64], b: &[i64], rows: usize, cols: usize) -> ExactPolymatrix {
        let k = rows + cols;
        let mut m = vec![Rational::zero(); k * k];
        for i in 0..rows {
            for j in 0..cols {
                m[i * k + rows + j] = q(a[i * cols + j], 1);
                m[(rows + j) * k + i] = q(b[i * cols + j], 1);
            }
        }
        ExactPolymatrix::new(vec![rows, cols], m).unwrap_or_else(|e| panic!("{e}"))
    }

    fn solve(g: &ExactPolymatrix, ray: &[i64]) -> ExactOutcome {
        lemke_howson_exact(g, &ints(ray), &ExactOptions::default())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn matching_pennies() {
        let g = bimatrix(&[1, -1, -1, 1], &[-1, 1, 1, -1], 2, 2);
        let out = solve(&g, &[1, 0, 1, 0]);
        assert_eq!(out.profile, vec![q(1, 2); 4]);
        assert!(out.pivots > 0);
        assert!(g.is_equilibrium(&out.profile));
    }

    /// von Stengel's 3×2 game (Handbook ch. 45, fig. 2.2): equilibria
    /// ((1,0,0),(1,0)), ((4/5,1/5,0),(2/3,1/3)), ((0,1/3,2/3),(1/3,2/3)),
    /// each reached exactly from some favourite.
    #[test]
    fn von_stengel_3x2() {
        let g = bimatrix(&[3, 3, 2, 5, 0, 6], &[3, 2, 2, 6, 3, 1], 3, 2);
        let eqs = [
            vec![q(1, 1), q(0, 1), q(0, 1), q(1, 1), q(0, 1)],
            vec![q(4, 5), q(1, 5), q(0, 1), q(2, 3), q(1, 3)],
            vec![q(0, 1), q(1, 3), q(2, 3), q(1, 3), q(2, 3)],
        ];
        let mut reached = [false; 3];
        for (r, c) in [(0, 0), (1, 0), (2, 1), (1, 1), (2, 0), (0, 1)] {
            let mut ray = vec![0; 5];
            ray[r] = 1;
            ray[3 + c] = 1;
            let out = solve(&g, &ray);
            let i = eqs.iter().position(|e| *e == out.profile);
            assert!(i.is_some(), "from ({r}, {c}): {:?}", out.profile);
            reached[i.unwrap_or(0)] = true;
            assert!(g.is_equilibrium(&out.profile));
            // Without ties the exact path is the floating-point one.
            let pm = crate::polymatrix::PolymatrixGame::from_bimatrix(
                &[3.0, 3.0, 2.0, 5.0, 0.0, 6.0],
                &[3.0, 2.0, 2.0, 6.0, 3.0, 1.0],
                3,
                2,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let fl: Vec<f64> = ray.iter().map(|&x| x as f64).collect();
            let lex = lemke_howson_with(&pm, &fl, 100, TieRule::Lexicographic)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(lex.pivots, out.pivots);
            let ex =
                lemke_howson_with(&pm, &fl, 100, TieRule::Exact).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(ex.profile, out.to_f64());
        }
        // Lemke–Howson from a pure favourite need not reach every
        // equilibrium: here the first and third.
        assert_eq!(reached, [true, false, true]);
    }

    /// Three players in a cycle of matching pennies (1 matches 2, 2
    /// mismatches 3, 3 matches 1): the only equilibrium is all half-half.
    #[test]
    fn three_player_cycle() {
        let k = 6;
        let mut m = vec![Rational::zero(); k * k];
        for (p, qq, sign) in [(0usize, 1usize, 1i64), (1, 2, -1), (2, 0, 1)] {
            for i in 0..2 {
                for j in 0..2 {
                    m[(2 * p + i) * k + 2 * qq + j] = q(if i == j { sign } else { -sign }, 1);
                }
            }
        }
        let g = ExactPolymatrix::new(vec![2, 2, 2], m).unwrap_or_else(|e| panic!("{e}"));
        for ray in [[1, 0, 1, 0, 1, 0], [0, 1, 1, 0, 0, 1]] {
            let out = solve(&g, &ray);
            assert_eq!(out.profile, vec![q(1, 2); 6]);
        }
    }

    /// Fully degenerate games: all payoffs equal (the favourite is an
    /// equilibrium at once), and a game where every strategy ties.
    #[test]
    fn degenerate_games() {
        let g = ExactPolymatrix::new(vec![2, 3, 2], vec![Rational::zero(); 49])
            .unwrap_or_else(|e| panic!("{e}"));
        let out = solve(&g, &[0, 1, 0, 0, 5, 2, 3]);
        assert_eq!(out.pivots, 0);
        assert_eq!(out.profile, ints(&[0, 1, 0, 0, 1, 0, 1]));
        // Player 2 copies player 1 (coordination with ties): 1's payoff is
        // 1 whatever happens, 2's is 1 on the diagonal.
        let mut m = vec![Rational::zero(); 36];
        for i in 0..3 {
            for j in 0..3 {
                m[i * 6 + 3 + j] = q(1, 1);
                m[(3 + j) * 6 + i] = q(i64::from(i == j), 1);
            }
        }
        let g = ExactPolymatrix::new(vec![3, 3], m).unwrap_or_else(|e| panic!("{e}"));
        for fav in 0..3 {
            for fav2 in 0..3 {
                let mut ray = vec![0; 6];
                ray[fav] = 1;
                ray[3 + fav2] = 1;
                let out = solve(&g, &ray);
                assert!(g.is_equilibrium(&out.profile), "{:?}", out.profile);
            }
        }
    }

    #[test]
    fn constants_and_one_player() {
        let g = ExactPolymatrix::new(vec![3], vec![Rational::zero(); 9])
            .and_then(|g| g.with_constants(vec![q(1, 3), q(5, 7), q(2, 3)]))
            .unwrap_or_else(|e| panic!("{e}"));
        let out = solve(&g, &[1, 0, 0]);
        assert_eq!(out.profile, ints(&[0, 1, 0]));
        assert!(out.pivots > 0);
    }

    #[test]
    fn bad_input_and_budget() {
        assert!(ExactPolymatrix::new(vec![2, 2], vec![Rational::zero(); 15]).is_err());
        assert!(ExactPolymatrix::new(vec![], vec![]).is_err());
        let g = bimatrix(&[1, -1, -1, 1], &[-1, 1, 1, -1], 2, 2);
        assert_eq!(
            lemke_howson_exact(&g, &ints(&[1, 1, 1, 0]), &ExactOptions::default()),
            Err(PolymatrixError::NoUniqueFavourite { player: 0 })
        );
        assert!(lemke_howson_exact(&g, &ints(&[1, 0]), &ExactOptions::default()).is_err());
        let tight = ExactOptions {
            max_pivots: 1,
            deadline: None,
        };
        assert_eq!(
            lemke_howson_exact(&g, &ints(&[1, 0, 1, 0]), &tight),
            Err(PolymatrixError::PivotLimit { pivots: 1 })
        );
        let past = ExactOptions {
            max_pivots: 100,
            deadline: Some(Instant::now()),
        };
        assert_eq!(
            lemke_howson_exact(&g, &ints(&[1, 0, 1, 0]), &past),
            Err(PolymatrixError::TimeLimit { pivots: 1 })
        );
        let pm = PolymatrixGame::new(vec![1, 1], vec![0.0; 4]).unwrap_or_else(|e| panic!("{e}"));
        assert!(lemke_howson_exact_f64(&pm, &[1.0, f64::NAN], &ExactOptions::default()).is_err());
        assert!(g.values(&[q(1, 1)]).is_none());
        assert!(!g.is_equilibrium(&ints(&[1, 0, 1, 0])));
    }

    /// The game and ray of `polymatrix::tests::returns_equilibria` for a
    /// proptest case (its construction, repeated).
    fn regression_case(shape: &[usize], seed: &[i32], ray: &[u32]) -> (PolymatrixGame, Vec<f64>) {
        let k: usize = shape.iter().sum();
        let m: Vec<f64> = (0..k * k)
            .map(|i| seed[i % seed.len()] as f64 + (i / seed.len()) as f64)
            .collect();
        let g = PolymatrixGame::new(shape.to_vec(), m).unwrap_or_else(|e| panic!("{e}"));
        let mut r: Vec<f64> = (0..k)
            .map(|i| ray[i % ray.len()] as f64 + i as f64 * 1e-3)
            .collect();
        for (p, &o) in g.offsets().iter().enumerate() {
            let mx = r[o..o + shape[p]]
                .iter()
                .cloned()
                .fold(f64::NEG_INFINITY, f64::max);
            r[o] = mx + 1.0;
        }
        (g, r)
    }

    /// Solves a regression case exactly and checks the answer exactly.
    fn check_regression(shape: &[usize], seed: &[i32], ray: &[u32]) -> (ExactOutcome, Cycling) {
        let (g, r) = regression_case(shape, seed, ray);
        let out = lemke_howson_exact_f64(&g, &r, &ExactOptions::default())
            .unwrap_or_else(|e| panic!("{shape:?}: {e}"));
        let exact = ExactPolymatrix::from_float(&g).unwrap_or_else(|e| panic!("{e}"));
        assert!(exact.is_equilibrium(&out.profile), "{:?}", out.profile);
        // The f64 rounding of the exact answer is an equilibrium to
        // rounding error.
        assert!(g.max_regret(&out.to_f64()) <= 1e-12 * 64.0);
        let cycles = |rule| {
            matches!(
                lemke_howson_with(&g, &r, 10_000, rule),
                Err(PolymatrixError::PivotLimit { .. })
            )
        };
        let cycling = Cycling {
            lexicographic: cycles(TieRule::Lexicographic),
            first_index: cycles(TieRule::FirstIndex),
        };
        (out, cycling)
    }

    /// Which floating-point rules reach the pivot limit on a case.
    #[derive(Debug, PartialEq)]
    struct Cycling {
        lexicographic: bool,
        first_index: bool,
    }

    /// The inputs `(shape, seed, ray)` of the case with hash prefix `cc` in
    /// `proptest-regressions/polymatrix.txt` (read from its "shrinks to"
    /// comment, so the tests follow the file).
    fn regression_inputs(cc: &str) -> (Vec<usize>, Vec<i32>, Vec<u32>) {
        const FILE: &str = include_str!("../proptest-regressions/polymatrix.txt");
        let line = FILE
            .lines()
            .find(|l| l.starts_with(&format!("cc {cc}")))
            .unwrap_or_else(|| panic!("seed {cc} not in the regression file"));
        let list = |name: &str| -> Vec<i64> {
            let from = line
                .find(&format!("{name} = ["))
                .unwrap_or_else(|| panic!("{cc}: no {name}"));
            let rest = &line[from + name.len() + 4..];
            let to = rest.find(']').unwrap_or_else(|| panic!("{cc}: {name}"));
            rest[..to]
                .split(',')
                .map(|x| x.trim().parse().unwrap_or_else(|e| panic!("{cc}: {e}")))
                .collect()
        };
        let shape = list("shape").iter().map(|&x| x as usize).collect();
        let seed = list("seed").iter().map(|&x| x as i32).collect();
        let ray = list("ray").iter().map(|&x| x as u32).collect();
        (shape, seed, ray)
    }

    /// First regression seed (cc 8be1a75e…): shape [3, 2, 3, 3].
    #[test]
    fn regression_seed_8be1a75e_shape_3233() {
        let (shape, seed, ray) = regression_inputs("8be1a75e");
        assert_eq!(shape, [3, 2, 3, 3]);
        let (out, _) = check_regression(&shape, &seed, &ray);
        assert_eq!(out.pivots, 11);
    }

    /// Second regression seed (cc 4e314216…): shape [2, 3, 3, 2], where
    /// Gametracer's rule cycles.
    #[test]
    fn regression_seed_4e314216_shape_2332_first_index_cycles() {
        let (shape, seed, ray) = regression_inputs("4e314216");
        assert_eq!(shape, [2, 3, 3, 2]);
        let (out, cycling) = check_regression(&shape, &seed, &ray);
        assert!(cycling.first_index, "{cycling:?}");
        assert!(out.pivots > 0);
    }

    /// Third regression seed (cc b9646686…): shape [3, 3, 3, 3], where the
    /// floating-point lexicographic rule cycles to its pivot limit; the
    /// exact rule ends at an exact equilibrium.
    #[test]
    fn regression_seed_b9646686_shape_3333_lexicographic_cycles() {
        let (shape, seed, ray) = regression_inputs("b9646686");
        assert_eq!(shape, [3, 3, 3, 3]);
        let (out, cycling) = check_regression(&shape, &seed, &ray);
        assert!(cycling.lexicographic, "{cycling:?}");
        assert!(out.pivots > 0);
    }

    /// Fourth regression seed (cc b4cba5ec…, found by a 20000-case run):
    /// shape [3, 3, 3, 2], where Gametracer's rule does not cycle but ends,
    /// by rounding, at a point that is no equilibrium (a player's
    /// probabilities sum to 0.991, regret 0.07); both lexicographic rules
    /// find the pure equilibrium, the exact one exactly.
    #[test]
    fn regression_seed_b4cba5ec_shape_3332_first_index_is_wrong() {
        let (shape, seed, ray) = regression_inputs("b4cba5ec");
        assert_eq!(shape, [3, 3, 3, 2]);
        let (out, cycling) = check_regression(&shape, &seed, &ray);
        assert_eq!(
            cycling,
            Cycling {
                lexicographic: false,
                first_index: false
            }
        );
        assert_eq!(out.profile, ints(&[0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0]));
        let (g, r) = regression_case(&shape, &seed, &ray);
        let first = lemke_howson_with(&g, &r, 10_000, TieRule::FirstIndex)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(g.max_regret(&first.profile) > 1e-3, "{first:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// On random small degenerate integer polymatrix games (entries in
        /// −2..=2, mostly zero, so ties everywhere) the exact rule always
        /// ends, within a pivot count bounded by the number of bases, at
        /// an exact equilibrium, from any favourite profile.
        #[test]
        fn exact_rule_ends_at_exact_equilibria(
            shape in proptest::collection::vec(1usize..4, 1..5),
            entries in proptest::collection::vec(
                prop_oneof![3 => Just(0i64), 1 => -2i64..=2],
                144,
            ),
            consts in proptest::collection::vec(0i64..2, 12),
            favs in proptest::collection::vec(0usize..3, 4),
            den in 1i64..4,
        ) {
            let k: usize = shape.iter().sum();
            let m: Vec<Rational> = (0..k * k).map(|i| q(entries[i], den)).collect();
            let c: Vec<Rational> = (0..k).map(|i| q(consts[i], 1)).collect();
            let g = ExactPolymatrix::new(shape.clone(), m)
                .and_then(|g| g.with_constants(c))
                .unwrap_or_else(|e| panic!("{e}"));
            let mut ray = vec![Rational::zero(); k];
            for (p, &o) in g.offsets().iter().enumerate() {
                ray[o + favs[p] % shape[p]] = q(1, 1);
            }
            let out = lemke_howson_exact(&g, &ray, &ExactOptions::default());
            prop_assert!(out.is_ok(), "{out:?}");
            let out = out.unwrap_or_else(|e| panic!("{e}"));
            prop_assert!(g.is_equilibrium(&out.profile), "{:?}", out.profile);
        }
    }
}
