//! Dense simplex tableaux shared by the pivoting solvers ([`crate::lcp`],
//! [`crate::lp`], [`crate::dominance`]).
//!
//! Two number systems:
//!
//! * [`BigInt`] with *integer (fraction-free) pivoting* (Edmonds 1967;
//!   Bareiss 1968): the tableau holds `d · B⁻¹ [A | I | b]` with `d` the
//!   (positive) determinant of the current basis, every entry an integer and
//!   every division exact, so no gcd is ever computed;
//! * the hybrid [`Int`] (an `i128` while the value fits, a `BigInt`
//!   otherwise), with the same fraction-free pivoting: machine arithmetic on
//!   small games, exact on all;
//! * `f64` with ordinary Gauss–Jordan pivoting and a small tolerance.
//!
//! A tableau has `rows` constraint rows (plus, optionally, extra rows such
//! as an objective row that are updated but never pivoted on) and `cols`
//! columns, the last of which is the right-hand side.

use crate::enummixed::int::{Divisor, Int};
use detente_game::Rational;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// Numbers a [`Tableau`] can pivot on.
pub(crate) trait TabNum: Clone + std::fmt::Debug + PartialEq {
    fn zero() -> Self;
    fn one() -> Self;
    /// Strictly positive (beyond the tolerance, for floats).
    fn is_pos(&self) -> bool;
    /// Strictly negative (beyond the tolerance, for floats).
    fn is_neg(&self) -> bool;
    /// Compares `a/b` with `c/e` where `b, e > 0`.
    fn cmp_ratio(a: &Self, b: &Self, c: &Self, e: &Self) -> Ordering;
    /// Pivots `data` (row-major, `ncols` columns, all rows updated) on
    /// `(r, e)`, updating only the columns in `active` (the others are
    /// basic columns other than row `r`'s, fixed up by the caller) and column
    /// `e`; `det` is the current scale factor and is updated.
    fn pivot(data: &mut [Self], ncols: usize, r: usize, e: usize, det: &mut Self, active: &[usize]);
    /// Whether [`TabNum::pivot_dense`] is used instead of
    /// [`TabNum::pivot`] (whole rows, no bookkeeping of basic columns).
    const DENSE: bool = false;
    /// Pivots `data` (row-major, `ncols` columns) on `(r, e)`, every column
    /// updated (only for `DENSE` number types).
    fn pivot_dense(data: &mut [Self], ncols: usize, r: usize, e: usize) {
        let mut det = Self::one();
        let all: Vec<usize> = (0..ncols).filter(|&j| j != e).collect();
        Self::pivot(data, ncols, r, e, &mut det, &all);
    }
    /// The exact value `num / den` (`den > 0`), or `None` if not finite.
    fn ratio_to_rational(num: &Self, den: &Self) -> Option<Rational>;
    /// Like [`TabNum::cmp_ratio`]; floating-point numbers also set `*doubt`
    /// when the two ratios differ, but by so little that rounding could
    /// have decided the order (exact numbers never do).
    fn cmp_ratio_checked(a: &Self, b: &Self, c: &Self, e: &Self, doubt: &mut bool) -> Ordering {
        let _ = doubt;
        Self::cmp_ratio(a, b, c, e)
    }
    /// Like [`TabNum::is_pos`]; floating-point numbers also set `*doubt`
    /// when the value is nonzero but so small that its sign is in doubt.
    fn is_pos_checked(&self, doubt: &mut bool) -> bool {
        let _ = doubt;
        self.is_pos()
    }
    /// An approximation (for consistency checks only).
    fn approx(&self) -> f64;
    /// Sum of two numbers.
    fn add(&self, other: &Self) -> Self;
    /// `-self`.
    fn negate(&self) -> Self;
}

impl TabNum for BigInt {
    fn zero() -> Self {
        Zero::zero()
    }
    fn one() -> Self {
        One::one()
    }
    fn is_pos(&self) -> bool {
        self.is_positive()
    }
    fn is_neg(&self) -> bool {
        self.is_negative()
    }
    fn cmp_ratio(a: &Self, b: &Self, c: &Self, e: &Self) -> Ordering {
        (a * e).cmp(&(c * b))
    }
    fn pivot(
        data: &mut [Self],
        ncols: usize,
        r: usize,
        e: usize,
        det: &mut Self,
        active: &[usize],
    ) {
        let nrows = data.len() / ncols;
        let p = data[r * ncols + e].clone();
        let d_is_one = det.is_one();
        for i in 0..nrows {
            if i == r {
                continue;
            }
            // Row r lies either before or after row i.
            let (row, prow): (&mut [BigInt], &[BigInt]) = if r < i {
                let (before, rest) = data.split_at_mut(i * ncols);
                (&mut rest[..ncols], &before[r * ncols..(r + 1) * ncols])
            } else {
                let (before, rest) = data.split_at_mut(r * ncols);
                (&mut before[i * ncols..(i + 1) * ncols], &rest[..ncols])
            };
            let f = row[e].clone();
            for &j in active {
                let v = &mut row[j];
                if f.is_zero() {
                    if v.is_zero() || p == *det {
                        continue;
                    }
                    let t = &*v * &p;
                    *v = if d_is_one { t } else { t / &*det };
                    continue;
                }
                let mut t = &*v * &p;
                if !prow[j].is_zero() {
                    t -= &f * &prow[j];
                }
                *v = if d_is_one { t } else { t / &*det };
            }
            row[e] = Zero::zero();
        }
        *det = p;
    }
    fn ratio_to_rational(num: &Self, den: &Self) -> Option<Rational> {
        if den.is_zero() {
            None
        } else {
            Some(Rational::new(num.clone(), den.clone()))
        }
    }
    fn approx(&self) -> f64 {
        num_traits::ToPrimitive::to_f64(self).unwrap_or(f64::NAN)
    }
    fn add(&self, other: &Self) -> Self {
        self + other
    }
    fn negate(&self) -> Self {
        -self
    }
}

impl TabNum for Int {
    fn zero() -> Self {
        Int::zero()
    }
    fn one() -> Self {
        Int::from_i128(1)
    }
    fn is_pos(&self) -> bool {
        self.is_positive()
    }
    fn is_neg(&self) -> bool {
        self.is_negative()
    }
    fn cmp_ratio(a: &Self, b: &Self, c: &Self, e: &Self) -> Ordering {
        Int::cmp_products(a, e, c, b)
    }
    fn pivot(
        data: &mut [Self],
        ncols: usize,
        r: usize,
        e: usize,
        det: &mut Self,
        active: &[usize],
    ) {
        let p = data[r * ncols + e].clone();
        let div = Divisor::new(det);
        let same = p == *det;
        let (before, rest) = data.split_at_mut(r * ncols);
        let (prow, after) = rest.split_at_mut(ncols);
        let prow: &[Int] = prow;
        for row in before
            .chunks_exact_mut(ncols)
            .chain(after.chunks_exact_mut(ncols))
        {
            let f = std::mem::replace(&mut row[e], Int::zero());
            if f.is_zero() {
                if !same {
                    for &j in active {
                        if !row[j].is_zero() {
                            row[j] = Int::scale(&row[j], &p, &div);
                        }
                    }
                }
                continue;
            }
            for &j in active {
                row[j] = Int::pivot(&row[j], &p, &f, &prow[j], &div);
            }
        }
        *det = p;
    }
    fn ratio_to_rational(num: &Self, den: &Self) -> Option<Rational> {
        if den.is_zero() {
            None
        } else {
            Some(Rational::new(num.to_big(), den.to_big()))
        }
    }
    fn approx(&self) -> f64 {
        self.to_f64()
    }
    fn add(&self, other: &Self) -> Self {
        Int::from_big(self.to_big() + other.to_big())
    }
    fn negate(&self) -> Self {
        self.neg()
    }
}

/// Tolerance of the floating-point tableau (payoffs are scaled to about
/// `[0, 1]` before pivoting).
pub(crate) const FLOAT_EPS: f64 = 1e-10;

/// Differences below this (relative to the compared values, at least 1)
/// are "in doubt" for [`TabNum::cmp_ratio_checked`] and
/// [`TabNum::is_pos_checked`]: rounding errors of a long floating-point
/// path could have decided them.
pub(crate) const DOUBT_BAND: f64 = 1e-9;

impl TabNum for f64 {
    fn zero() -> Self {
        0.0
    }
    fn one() -> Self {
        1.0
    }
    fn is_pos(&self) -> bool {
        *self > FLOAT_EPS
    }
    fn is_neg(&self) -> bool {
        *self < -FLOAT_EPS
    }
    fn cmp_ratio(a: &Self, b: &Self, c: &Self, e: &Self) -> Ordering {
        let x = a / b;
        let y = c / e;
        let scale = 1.0f64.max(x.abs()).max(y.abs());
        if (x - y).abs() <= FLOAT_EPS * scale {
            Ordering::Equal
        } else if x < y {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    }
    fn cmp_ratio_checked(a: &Self, b: &Self, c: &Self, e: &Self, doubt: &mut bool) -> Ordering {
        let x = a / b;
        let y = c / e;
        let d = (x - y).abs();
        let scale = 1.0f64.max(x.abs()).max(y.abs());
        if d != 0.0 && d <= DOUBT_BAND * scale {
            *doubt = true;
        }
        Self::cmp_ratio(a, b, c, e)
    }
    fn is_pos_checked(&self, doubt: &mut bool) -> bool {
        if *self != 0.0 && self.abs() <= DOUBT_BAND {
            *doubt = true;
        }
        self.is_pos()
    }
    fn approx(&self) -> f64 {
        *self
    }
    fn pivot(
        data: &mut [Self],
        ncols: usize,
        r: usize,
        e: usize,
        _det: &mut Self,
        active: &[usize],
    ) {
        let nrows = data.len() / ncols;
        let p = data[r * ncols + e];
        for &j in active {
            data[r * ncols + j] /= p;
        }
        data[r * ncols + e] = 1.0;
        let prow: Vec<f64> = data[r * ncols..(r + 1) * ncols].to_vec();
        for i in 0..nrows {
            if i == r {
                continue;
            }
            let row = &mut data[i * ncols..(i + 1) * ncols];
            let f = row[e];
            if f == 0.0 {
                continue;
            }
            for &j in active {
                row[j] -= f * prow[j];
            }
            row[e] = 0.0;
        }
    }
    const DENSE: bool = true;
    fn pivot_dense(data: &mut [Self], ncols: usize, r: usize, e: usize) {
        let (before, rest) = data.split_at_mut(r * ncols);
        let (prow, after) = rest.split_at_mut(ncols);
        let p = prow[e];
        for v in prow.iter_mut() {
            *v /= p;
        }
        prow[e] = 1.0;
        let prow: &[f64] = prow;
        for row in before
            .chunks_exact_mut(ncols)
            .chain(after.chunks_exact_mut(ncols))
        {
            let f = row[e];
            if f == 0.0 {
                continue;
            }
            for (v, &pv) in row.iter_mut().zip(prow) {
                *v -= f * pv;
            }
            row[e] = 0.0;
        }
    }
    fn ratio_to_rational(num: &Self, den: &Self) -> Option<Rational> {
        let v = num / den;
        if v.is_finite() {
            // Snap values within the tolerance of zero to zero.
            let v = if v.abs() <= FLOAT_EPS { 0.0 } else { v };
            Rational::from_float(v)
        } else {
            None
        }
    }
    fn add(&self, other: &Self) -> Self {
        self + other
    }
    fn negate(&self) -> Self {
        -self
    }
}

/// A dense tableau: `pivot_rows` rows that carry basic variables, followed
/// by `extra_rows` rows (objective) that are only updated.
#[derive(Debug, Clone)]
pub(crate) struct Tableau<N: TabNum> {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<N>,
    /// Basic variable (column index) of each pivot row.
    pub basis: Vec<usize>,
    /// Scale factor: true tableau = `data / det` (always 1 for floats).
    pub det: N,
}

impl<N: TabNum> Tableau<N> {
    /// `data` has `(rows + extra) * cols` entries; `basis[i]` is the column
    /// that is basic in row `i` (its column must be the unit vector `e_i`).
    pub fn new(rows: usize, cols: usize, data: Vec<N>, basis: Vec<usize>) -> Self {
        debug_assert_eq!(data.len() % cols, 0);
        debug_assert_eq!(basis.len(), rows);
        Tableau {
            rows,
            cols,
            data,
            basis,
            det: N::one(),
        }
    }

    #[inline]
    pub fn at(&self, i: usize, j: usize) -> &N {
        &self.data[i * self.cols + j]
    }

    /// Right-hand side of row `i` (scaled by `det`).
    #[inline]
    pub fn rhs(&self, i: usize) -> &N {
        self.at(i, self.cols - 1)
    }

    /// Pivots column `e` into the basis in row `r`.
    pub fn pivot(&mut self, r: usize, e: usize) {
        if N::DENSE {
            // Basic columns of other rows have a 0 in row r, so a whole-row
            // update leaves them unit vectors.
            N::pivot_dense(&mut self.data, self.cols, r, e);
            self.basis[r] = e;
            return;
        }
        // Basic columns other than row r's stay unit vectors (scaled by the
        // new determinant); only the others need computing.
        let mut basic = vec![false; self.cols];
        for (i, &b) in self.basis.iter().enumerate() {
            if i != r {
                basic[b] = true;
            }
        }
        let active: Vec<usize> = (0..self.cols).filter(|&j| j != e && !basic[j]).collect();
        N::pivot(&mut self.data, self.cols, r, e, &mut self.det, &active);
        for (i, &b) in self.basis.iter().enumerate() {
            if i != r {
                self.data[i * self.cols + b] = self.det.clone();
            }
        }
        self.basis[r] = e;
    }

    /// Row holding basic column `j`, if `j` is basic.
    #[cfg(test)]
    pub fn row_of(&self, j: usize) -> Option<usize> {
        self.basis.iter().position(|&b| b == j)
    }

    /// The exact value of basic column `j` (0 if nonbasic).
    #[cfg(test)]
    pub fn value_of(&self, j: usize) -> Option<Rational> {
        match self.row_of(j) {
            Some(r) => N::ratio_to_rational(self.rhs(r), &self.det),
            None => Some(Rational::zero()),
        }
    }
}

/// Converts exact numbers to integers by multiplying by the least common
/// multiple of their denominators (a positive factor).
pub(crate) fn to_integers(values: &[Rational]) -> Vec<BigInt> {
    let mut l = <BigInt as One>::one();
    for v in values {
        l = l.lcm(v.denom());
    }
    values
        .iter()
        .map(|v| v.numer() * (&l / v.denom()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(v: i64) -> BigInt {
        BigInt::from(v)
    }

    /// Integer pivoting gives the same basic solution as float pivoting.
    #[test]
    fn integer_and_float_pivots_agree() {
        // x + 2y + s1 = 4 ; 3x + y + s2 = 5
        let rows = [[1, 2, 1, 0, 4], [3, 1, 0, 1, 5]];
        let mut ti = Tableau::new(
            2,
            5,
            rows.iter().flatten().map(|&v| b(v)).collect(),
            vec![2, 3],
        );
        let mut tf = Tableau::new(
            2,
            5,
            rows.iter().flatten().map(|&v| v as f64).collect(),
            vec![2, 3],
        );
        for t in [(1, 0), (0, 1)] {
            ti.pivot(t.0, t.1);
            tf.pivot(t.0, t.1);
        }
        // Solution x = 6/5, y = 7/5.
        let q = |n: i64, d: i64| Rational::new(b(n), b(d));
        assert_eq!(ti.value_of(0), Some(q(6, 5)));
        assert_eq!(ti.value_of(1), Some(q(7, 5)));
        assert!((tf.value_of(0).unwrap() - q(6, 5)).abs() < q(1, 1_000_000));
        assert_eq!(ti.value_of(2), Some(q(0, 1)));
        assert_eq!(ti.det, b(5));
    }

    /// The hybrid `Int` tableau pivots exactly like the `BigInt` one, also
    /// when entries leave the machine range.
    #[test]
    fn hybrid_and_big_pivots_agree() {
        let big = 1i128 << 100;
        let rows: [[i128; 6]; 3] = [
            [big, 3, 7, 1, 0, 5],
            [2, big - 1, 5, 0, 1, 9],
            [4, 6, 1 << 70, 0, 0, 11],
        ];
        let mut tb = Tableau::new(
            3,
            6,
            rows.iter().flatten().map(|&v| BigInt::from(v)).collect(),
            vec![3, 4, 5],
        );
        let mut ti = Tableau::new(
            3,
            6,
            rows.iter().flatten().map(|&v| Int::from_i128(v)).collect(),
            vec![3, 4, 5],
        );
        for (r, e) in [(0, 0), (1, 1), (2, 2)] {
            tb.pivot(r, e);
            ti.pivot(r, e);
            let back: Vec<BigInt> = ti.data.iter().map(Int::to_big).collect();
            assert_eq!(back, tb.data);
            assert_eq!(ti.det.to_big(), tb.det);
        }
    }

    #[test]
    fn integers_keep_ratios() {
        let v = vec![
            Rational::new(b(1), b(2)),
            Rational::new(b(-2), b(3)),
            Rational::from_integer(b(4)),
        ];
        assert_eq!(to_integers(&v), vec![b(3), b(-4), b(24)]);
    }
}
