//! Hybrid integers for fraction-free (integer) pivoting.
//!
//! [`Int`] holds an `i128` while the value fits and switches to a `BigInt`
//! only when it does not, so small games never allocate while large ones stay
//! exact. The one operation the pivoting needs, `(a·b − c·d) / e` with an
//! exact division, is done in `i128` when the intermediate products fit and in
//! `BigInt` otherwise (the idea of lrs's hybrid arithmetic, Avis 2000, applied
//! per entry instead of per run).

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// An exact integer: `Small` whenever the value fits in an `i128`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub enum Int {
    Small(i128),
    Big(Box<BigInt>),
}

impl Clone for Int {
    fn clone(&self) -> Self {
        match self {
            Int::Small(v) => Int::Small(*v),
            Int::Big(b) => Int::Big(b.clone()),
        }
    }
    /// Copies in place when both are `Small` (no drop, no allocation).
    fn clone_from(&mut self, src: &Self) {
        if let (Int::Small(d), Int::Small(s)) = (&mut *self, src) {
            *d = *s;
            return;
        }
        *self = src.clone();
    }
}

impl Int {
    pub fn zero() -> Self {
        Int::Small(0)
    }

    pub fn from_i128(v: i128) -> Self {
        Int::Small(v)
    }

    /// Normalises a big integer: `Small` if it fits.
    pub fn from_big(v: BigInt) -> Self {
        match v.to_i128() {
            Some(s) => Int::Small(s),
            None => Int::Big(Box::new(v)),
        }
    }

    pub fn to_big(&self) -> BigInt {
        match self {
            Int::Small(s) => BigInt::from(*s),
            Int::Big(b) => (**b).clone(),
        }
    }

    /// An `f64` within a relative 1e-15 of the value (infinite beyond
    /// `f64`'s range).
    pub fn to_f64(&self) -> f64 {
        match self {
            // The hardware converts 64-bit integers; 128-bit ones take a
            // software routine.
            Int::Small(s) if fits64(*s) => *s as i64 as f64,
            // hi·2⁶⁴ + lo with lo unsigned; here |s| ≥ 2⁶³, so the three
            // roundings leave a relative error below 1e-15.
            Int::Small(s) => {
                (*s >> 64) as i64 as f64 * 18_446_744_073_709_551_616.0 + *s as u64 as f64
            }
            Int::Big(b) => b.to_f64().unwrap_or(f64::INFINITY),
        }
    }

    pub fn is_zero(&self) -> bool {
        match self {
            Int::Small(s) => *s == 0,
            Int::Big(b) => b.is_zero(),
        }
    }

    pub fn is_positive(&self) -> bool {
        match self {
            Int::Small(s) => *s > 0,
            Int::Big(b) => b.is_positive(),
        }
    }

    pub fn is_negative(&self) -> bool {
        match self {
            Int::Small(s) => *s < 0,
            Int::Big(b) => b.is_negative(),
        }
    }

    pub fn neg(&self) -> Self {
        match self {
            Int::Small(s) => match s.checked_neg() {
                Some(v) => Int::Small(v),
                None => Int::Big(Box::new(-BigInt::from(*s))),
            },
            Int::Big(b) => Int::from_big(-(**b).clone()),
        }
    }

    /// Compares `a·b` with `c·d`.
    #[inline]
    pub fn cmp_products(a: &Int, b: &Int, c: &Int, d: &Int) -> Ordering {
        if let (Int::Small(a), Int::Small(b), Int::Small(c), Int::Small(d)) = (a, b, c, d) {
            if let (Some(x), Some(y)) = (mul_small(*a, *b), mul_small(*c, *d)) {
                return x.cmp(&y);
            }
            return I256::mul(*a, *b).cmp(&I256::mul(*c, *d));
        }
        (a.to_big() * b.to_big()).cmp(&(c.to_big() * d.to_big()))
    }

    /// `(a·b − c·d) / e`, where the division is known to be exact.
    #[inline]
    pub fn pivot(a: &Int, b: &Int, c: &Int, d: &Int, e: &Divisor) -> Int {
        if let (Int::Small(a), Int::Small(b), Int::Small(c), Int::Small(d)) = (a, b, c, d) {
            let n = if fits64(*a) && fits64(*b) && fits64(*c) && fits64(*d) {
                // |a·b|, |c·d| < 2^126: no overflow possible.
                Some(a * b - c * d)
            } else {
                match (a.checked_mul(*b), c.checked_mul(*d)) {
                    (Some(x), Some(y)) => x.checked_sub(y),
                    _ => None,
                }
            };
            if let Some(n) = n {
                return e.divide_small(n);
            }
            // The products overflow i128: 256-bit numerator.
            if let Some(q) = e.divide_wide(I256::mul(*a, *b).sub(I256::mul(*c, *d))) {
                return q;
            }
        }
        Int::from_big((a.to_big() * b.to_big() - c.to_big() * d.to_big()) / e.value.to_big())
    }

    /// `a·b / e`, where the division is known to be exact.
    #[inline]
    pub fn scale(a: &Int, b: &Int, e: &Divisor) -> Int {
        if let (Int::Small(a), Int::Small(b)) = (a, b) {
            if let Some(x) = mul_small(*a, *b) {
                return e.divide_small(x);
            }
            if let Some(q) = e.divide_wide(I256::mul(*a, *b)) {
                return q;
            }
        }
        Int::from_big(a.to_big() * b.to_big() / e.value.to_big())
    }
}

impl Int {
    /// One row of a fraction-free pivot: `row[j] ← (row[j]·p − a·prow[j]) / d`
    /// for every `j ≠ skip`, where `d` is `div`'s value. Same results as
    /// [`Int::pivot`] entry by entry; the common case (every number a 64-bit
    /// integer) runs without re-examining `p`, `a` and `d` per entry.
    pub fn pivot_row(row: &mut [Int], prow: &[Int], p: &Int, a: &Int, div: &Divisor, skip: usize) {
        if let (Int::Small(ps), Int::Small(as_), Some((k, inv))) = (p, a, div.small) {
            if fits64(*ps) && fits64(*as_) {
                let (ps, as_) = (*ps, *as_);
                for (j, (e, r)) in row.iter_mut().zip(prow).enumerate() {
                    if j == skip {
                        continue;
                    }
                    if let (Int::Small(ev), Int::Small(rv)) = (&mut *e, r) {
                        if fits64(*ev) && fits64(*rv) {
                            // |e·p|, |a·r| < 2^126: the difference fits.
                            let n = mul64(*ev, ps) - mul64(as_, *rv);
                            *ev = ((n >> k) as u128).wrapping_mul(inv) as i128;
                            continue;
                        }
                    }
                    *e = Int::pivot(e, p, a, r, div);
                }
                return;
            }
        }
        for (j, (e, r)) in row.iter_mut().zip(prow).enumerate() {
            if j != skip {
                *e = Int::pivot(e, p, a, r, div);
            }
        }
    }

    /// `row[j] ← row[j]·p / d` for every `j ≠ skip` (exact divisions).
    pub fn scale_row(row: &mut [Int], p: &Int, div: &Divisor, skip: usize) {
        if let (Int::Small(ps), Some((k, inv))) = (p, div.small) {
            if fits64(*ps) {
                let ps = *ps;
                for (j, e) in row.iter_mut().enumerate() {
                    if j == skip {
                        continue;
                    }
                    if let Int::Small(ev) = e {
                        if fits64(*ev) {
                            let n = mul64(*ev, ps);
                            *ev = ((n >> k) as u128).wrapping_mul(inv) as i128;
                            continue;
                        }
                    }
                    *e = Int::scale(e, p, div);
                }
                return;
            }
        }
        for (j, e) in row.iter_mut().enumerate() {
            if j != skip {
                *e = Int::scale(e, p, div);
            }
        }
    }
}

/// `a·b` for `a`, `b` that fit in 64 bits (one widening multiplication).
#[inline]
fn mul64(a: i128, b: i128) -> i128 {
    i128::from(a as i64) * i128::from(b as i64)
}

#[inline]
fn fits64(v: i128) -> bool {
    v as i64 as i128 == v
}

#[inline]
fn mul_small(a: i128, b: i128) -> Option<i128> {
    if fits64(a) && fits64(b) {
        Some(a * b)
    } else {
        a.checked_mul(b)
    }
}

/// A signed 256-bit integer in two's complement, `hi · 2^128 + lo`: the
/// products of two `i128`s. The derived order is the numeric order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct I256 {
    hi: i128,
    lo: u128,
}

impl I256 {
    /// The exact product `a·b`.
    fn mul(a: i128, b: i128) -> I256 {
        const MASK: u128 = u64::MAX as u128;
        let (x, y) = (a.unsigned_abs(), b.unsigned_abs());
        let (x1, x0, y1, y0) = (x >> 64, x & MASK, y >> 64, y & MASK);
        let (p00, p01, p10, p11) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
        let mid = (p00 >> 64) + (p01 & MASK) + (p10 & MASK);
        let lo = (p00 & MASK) | (mid << 64);
        // |a·b| ≤ 2^254, so the high word is a nonnegative i128.
        let hi = (p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64)) as i128;
        let v = I256 { hi, lo };
        if (a < 0) != (b < 0) {
            v.neg()
        } else {
            v
        }
    }

    fn neg(self) -> I256 {
        let lo = (!self.lo).wrapping_add(1);
        let hi = (!self.hi).wrapping_add(i128::from(lo == 0));
        I256 { hi, lo }
    }

    /// `self − o`; exact for differences of two products (|·| < 2^255).
    fn sub(self, o: I256) -> I256 {
        let (lo, borrow) = self.lo.overflowing_sub(o.lo);
        I256 {
            hi: self.hi.wrapping_sub(o.hi).wrapping_sub(i128::from(borrow)),
            lo,
        }
    }

    /// Arithmetic shift right by `k < 128`.
    fn shr(self, k: u32) -> I256 {
        if k == 0 {
            self
        } else {
            I256 {
                hi: self.hi >> k,
                lo: (self.lo >> k) | ((self.hi as u128) << (128 - k)),
            }
        }
    }

    /// Approximate magnitude.
    fn abs_f64(self) -> f64 {
        (self.hi as f64 * 2f64.powi(128) + self.lo as f64).abs()
    }
}

/// A positive divisor prepared for many exact divisions: for a `Small`
/// divisor `e = 2^k · o` (`o` odd) an exact quotient is `(n >> k) · o⁻¹`
/// modulo 2^128, a multiplication instead of a 128-bit division (Jebelean
/// 1993, "An algorithm for exact division").
pub struct Divisor {
    value: Int,
    /// `(k, o⁻¹ mod 2^128)` when the divisor is `Small`.
    small: Option<(u32, u128)>,
}

impl Divisor {
    /// Prepares `value`, which must be positive.
    pub fn new(value: &Int) -> Divisor {
        let small = match value {
            Int::Small(e) if *e > 0 => {
                let k = e.trailing_zeros();
                let o = (*e >> k) as u128;
                // Newton's iteration doubles the correct low bits; o·o ≡ 1
                // (mod 8) gives 3 to start, 3·2^6 ≥ 128.
                let mut x = o;
                for _ in 0..6 {
                    x = x.wrapping_mul(2u128.wrapping_sub(o.wrapping_mul(x)));
                }
                Some((k, x))
            }
            _ => None,
        };
        Divisor {
            value: value.clone(),
            small,
        }
    }

    /// `n / value` for an exact multiple `n` given in 256 bits, when the
    /// quotient surely fits in `i128` (checked with a floating-point bound
    /// that has a wide margin); `None` otherwise.
    #[inline]
    fn divide_wide(&self, n: I256) -> Option<Int> {
        let (k, inv) = self.small?;
        let e = match &self.value {
            Int::Small(e) => *e as f64,
            Int::Big(_) => return None,
        };
        if n.abs_f64() >= e * 2f64.powi(125) {
            return None;
        }
        // n >> k is exact; its low 128 bits times o⁻¹ are the quotient
        // modulo 2^128, which is the quotient since it fits.
        Some(Int::Small(n.shr(k).lo.wrapping_mul(inv) as i128))
    }

    /// `n / value` for an exact multiple `n` that fits in `i128`.
    #[inline]
    fn divide_small(&self, n: i128) -> Int {
        match self.small {
            // The quotient's magnitude is at most |n|, so it fits and the
            // residue modulo 2^128 is the quotient itself.
            Some((k, inv)) => Int::Small(((n >> k) as u128).wrapping_mul(inv) as i128),
            None => Int::from_big(BigInt::from(n) / self.value.to_big()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_big_agree() {
        let big = Int::from_i128(i128::MAX / 3);
        let two = Int::from_i128(2);
        let one = Int::from_i128(1);
        // (big*2 - 0)/1 still fits; (big*4)/2 overflows i128 in the product.
        assert_eq!(
            Int::scale(&big, &two, &Divisor::new(&one)),
            Int::Small(i128::MAX / 3 * 2)
        );
        let four = Int::from_i128(4);
        assert_eq!(
            Int::scale(&big, &four, &Divisor::new(&two)),
            Int::Small(i128::MAX / 3 * 2)
        );
        let huge = Int::scale(&big, &big, &Divisor::new(&one));
        assert!(matches!(huge, Int::Big(_)));
        // (huge * 1 - big * big) / 1 = 0, back to Small.
        assert_eq!(
            Int::pivot(&huge, &one, &big, &big, &Divisor::new(&one)),
            Int::Small(0)
        );
        assert_eq!(
            Int::cmp_products(&big, &big, &huge, &one),
            std::cmp::Ordering::Equal
        );
        assert_eq!(Int::from_i128(i128::MIN).neg().neg(), Int::Small(i128::MIN));
        assert!(Int::from_big(BigInt::from(5)).is_positive());
    }

    #[test]
    fn wide_products_are_exact() {
        let vals = [
            0i128,
            1,
            -1,
            3,
            i128::MAX,
            i128::MIN + 1,
            1 << 100,
            -(1 << 90) + 7,
            (1 << 64) - 1,
            -(1 << 64),
        ];
        for &a in &vals {
            for &b in &vals {
                let w = I256::mul(a, b);
                let big = BigInt::from(a) * BigInt::from(b);
                let back = (BigInt::from(w.hi) << 128) + BigInt::from(w.lo);
                assert_eq!(back, big, "{a} * {b}");
                for &c in &vals {
                    let x = I256::mul(a, b).sub(I256::mul(c, 5));
                    let big2 = &big - BigInt::from(c) * BigInt::from(5);
                    assert_eq!((BigInt::from(x.hi) << 128) + BigInt::from(x.lo), big2);
                    assert_eq!(
                        I256::mul(a, b).cmp(&I256::mul(c, 5)),
                        big.cmp(&(BigInt::from(c) * BigInt::from(5)))
                    );
                }
            }
        }
        // Exact division of 256-bit numerators by small divisors.
        let v = |x: i128| Int::from_i128(x);
        for e in [1i128, 3, 8, 12, (1 << 61) * 5, 999_999_937] {
            // A numerator of ~2^200: (2^100·e)·(2^100) / e = 2^200 does not
            // fit; (2^100·e)·(2^20) / e = 2^120 does.
            if let Some(x) = (1i128 << 100).checked_mul(e) {
                assert_eq!(
                    Int::scale(&v(x), &v(1 << 20), &Divisor::new(&v(e))),
                    v(1 << 120)
                );
                let big = Int::scale(&v(x), &v(1 << 100), &Divisor::new(&v(e)));
                assert_eq!(big.to_big(), BigInt::from(1) << 200);
            }
        }
        // pivot through the wide path: (a·b − c·d)/e with products ~2^190.
        let (a, b, c, d) = (v(1 << 95), v(3 << 95), v(1 << 95), v((3 << 95) - 6));
        // a·b − c·d = 6·2^95 ; divided by 3 gives 2^96.
        assert_eq!(Int::pivot(&a, &b, &c, &d, &Divisor::new(&v(3))), v(1 << 96));
        assert_eq!(
            Int::pivot(&c, &d, &a, &b, &Divisor::new(&v(6))),
            v(-(1 << 95))
        );
    }

    #[test]
    fn to_f64_is_close() {
        let vals = [
            0i128,
            -1,
            (1 << 63) - 1,
            1 << 63,
            -(1 << 63) - 1,
            -(1 << 64) + 12345,
            (1 << 100) + 7,
            i128::MAX,
            i128::MIN + 1,
        ];
        for v in vals {
            let want = BigInt::from(v).to_f64().unwrap();
            let got = Int::from_i128(v).to_f64();
            assert!(
                (got - want).abs() <= 1e-15 * want.abs(),
                "{v}: {got} vs {want}"
            );
        }
        let big = Int::from_big(BigInt::from(3) << 300);
        assert!((big.to_f64() / 2f64.powi(300) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn pivot_small() {
        let v = |x: i128| Int::from_i128(x);
        assert_eq!(
            Int::pivot(&v(7), &v(3), &v(2), &v(5), &Divisor::new(&v(11))),
            v(1)
        );
        assert_eq!(
            Int::pivot(&v(-7), &v(3), &v(0), &v(5), &Divisor::new(&v(3))),
            v(-7)
        );
        // Even divisors and negative quotients.
        for e in [1i128, 2, 4, 6, 12, 96, 1 << 40, 3 << 70, 7 * (1 << 100)] {
            for q in [0i128, 1, -1, 5, -12345, 1 << 20, -(1 << 25)] {
                let n = e.checked_mul(q);
                if let Some(n) = n {
                    assert_eq!(
                        Int::scale(&v(n), &v(1), &Divisor::new(&v(e))),
                        v(q),
                        "{n}/{e}"
                    );
                }
            }
        }
        let big_e = Int::from_big(BigInt::from(3) << 200);
        let big_n = Int::from_big(BigInt::from(-21) << 200);
        assert_eq!(Int::scale(&big_n, &v(1), &Divisor::new(&big_e)), v(-7));
    }
}
