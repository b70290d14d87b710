//! Numbers: exact rationals and the [`Scalar`] trait that lets solvers run on
//! exact rationals or on `f64` with the same code.

use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::fmt::{Debug, Display};
use std::ops::{Add, Div, Mul, Neg, Sub};

/// Arbitrary-precision rational number: the exact payoff type.
pub type Rational = num_rational::BigRational;

/// A number type a solver can compute in.
///
/// Two implementations: [`Rational`] (exact: comparisons are exact and
/// [`Scalar::tolerance`] is zero) and `f64` (comparisons within
/// [`Scalar::tolerance`]).
pub trait Scalar:
    Clone
    + Debug
    + Display
    + PartialEq
    + PartialOrd
    + Send
    + Sync
    + 'static
    + Zero
    + One
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// `true` for exact arithmetic.
    const EXACT: bool;
    /// Converts an exact rational into this number type.
    fn from_rational(r: &Rational) -> Self;
    /// A payoff `exact` whose nearest `f64` is `rounded` (as a game keeps
    /// it) in this number type: [`Scalar::from_rational`] of `exact`,
    /// which floats read from `rounded` without converting again.
    fn from_payoff(exact: &Rational, rounded: f64) -> Self {
        let _ = rounded;
        Self::from_rational(exact)
    }
    /// Converts a small integer.
    fn from_i64(v: i64) -> Self;
    /// Best `f64` approximation.
    fn to_f64(&self) -> f64;
    /// Absolute value.
    fn abs_val(&self) -> Self;
    /// Zero for exact types; a small absolute tolerance for floats.
    fn tolerance() -> Self;
    /// `self` is zero within [`Scalar::tolerance`].
    fn is_zero_tol(&self) -> bool {
        self.abs_val() <= Self::tolerance()
    }
    /// `self > other` by more than the tolerance.
    fn gt_tol(&self, other: &Self) -> bool {
        self.clone() - other.clone() > Self::tolerance()
    }
    /// `self < other` by more than the tolerance.
    fn lt_tol(&self, other: &Self) -> bool {
        other.gt_tol(self)
    }
    /// Exact value, where the type is exact (`None` for floats).
    fn to_rational(&self) -> Option<Rational>;
}

impl Scalar for Rational {
    const EXACT: bool = true;
    fn from_rational(r: &Rational) -> Self {
        r.clone()
    }
    fn from_i64(v: i64) -> Self {
        Rational::from_integer(BigInt::from(v))
    }
    fn to_f64(&self) -> f64 {
        rational_to_f64(self)
    }
    fn abs_val(&self) -> Self {
        self.abs()
    }
    fn tolerance() -> Self {
        Rational::zero()
    }
    fn is_zero_tol(&self) -> bool {
        self.is_zero()
    }
    fn gt_tol(&self, other: &Self) -> bool {
        self > other
    }
    fn to_rational(&self) -> Option<Rational> {
        Some(self.clone())
    }
}

impl Scalar for f64 {
    const EXACT: bool = false;
    fn from_rational(r: &Rational) -> Self {
        rational_to_f64(r)
    }
    fn from_payoff(_exact: &Rational, rounded: f64) -> Self {
        rounded
    }
    fn from_i64(v: i64) -> Self {
        v as f64
    }
    fn to_f64(&self) -> f64 {
        *self
    }
    fn abs_val(&self) -> Self {
        self.abs()
    }
    fn tolerance() -> Self {
        1e-9
    }
    fn to_rational(&self) -> Option<Rational> {
        None
    }
}

/// Converts a rational to the nearest `f64` (huge numerators and denominators
/// included, where a naive `n as f64 / d as f64` would give `inf/inf`).
/// Numerators and denominators of magnitude at most 2^53 (every integer
/// and usual fraction of a game file) are read as machine integers, which
/// is exact, then divided once: the same number as the general path, bit
/// for bit, without its big-integer conversions.
pub fn rational_to_f64(r: &Rational) -> f64 {
    const EXACT: u64 = 1 << 53;
    let small = |v: &BigInt| v.to_i64().filter(|x| x.unsigned_abs() <= EXACT);
    if let Some(n) = small(r.numer()) {
        if r.denom().is_one() {
            return n as f64;
        }
        if let Some(d) = small(r.denom()) {
            return n as f64 / d as f64;
        }
    }
    rational_to_f64_general(r)
}

/// [`rational_to_f64`] through big-integer conversions, for any size.
pub(crate) fn rational_to_f64_general(r: &Rational) -> f64 {
    if let (Some(n), Some(d)) = (r.numer().to_f64(), r.denom().to_f64()) {
        if n.is_finite() && d.is_finite() && d != 0.0 {
            return n / d;
        }
    }
    // Scale both down by the same power of two.
    let nb = r.numer().bits() as i64;
    let db = r.denom().bits() as i64;
    let shift = (nb.max(db) - 1000).max(0) as usize;
    let n = (r.numer() >> shift).to_f64().unwrap_or(f64::NAN);
    let d = (r.denom() >> shift).to_f64().unwrap_or(f64::NAN);
    if d == 0.0 {
        if r.is_negative() {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }
    } else {
        n / d
    }
}

/// Formats a rational as Gambit and Detente's JSON do: `"3"`, `"-5/2"`.
pub fn format_rational(r: &Rational) -> String {
    if r.denom().is_one() {
        r.numer().to_string()
    } else {
        format!("{}/{}", r.numer(), r.denom())
    }
}

/// Parses an exact number as Gambit writes them: an optional sign, digits,
/// then optionally `/digits` (a fraction), `.digits` and/or an exponent
/// (`e±digits`). A number may start with `.` (`.5`). Decimals are exact:
/// `0.1` is 1/10. Returns `None` if `s` is not such a number, or if the
/// exponent is absurdly large (more than 10,000 in magnitude).
pub fn parse_rational(s: &str) -> Option<Rational> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let neg = match bytes.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let start_int = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_part = &s[start_int..i];
    let mut value: Rational;
    if i < bytes.len() && bytes[i] == b'/' {
        if int_part.is_empty() {
            return None;
        }
        let den_str = &s[i + 1..];
        if den_str.is_empty() || !den_str.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num: BigInt = int_part.parse().ok()?;
        let den: BigInt = den_str.parse().ok()?;
        if den.is_zero() {
            return None;
        }
        value = Rational::new(num, den);
    } else {
        let mut frac_part = "";
        if i < bytes.len() && bytes[i] == b'.' {
            let fs = i + 1;
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            frac_part = &s[fs..i];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let mut exp: i64 = 0;
        if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            let es = i;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                i += 1;
            }
            let ds = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if ds == i || i - ds > 6 {
                return None;
            }
            exp = s[es..i].parse().ok()?;
        }
        if i != bytes.len() {
            return None;
        }
        exp -= frac_part.len() as i64;
        if exp.abs() > 10_000 {
            return None;
        }
        let digits = format!("{int_part}{frac_part}");
        let mantissa: BigInt = if digits.is_empty() {
            BigInt::zero()
        } else {
            digits.parse().ok()?
        };
        let ten = BigInt::from(10u32);
        value = if exp >= 0 {
            Rational::from_integer(mantissa * num_traits::pow(ten, exp as usize))
        } else {
            Rational::new(mantissa, num_traits::pow(ten, (-exp) as usize))
        };
    }
    if neg {
        value = -value;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn parses_gambit_numbers() {
        assert_eq!(parse_rational("3"), Some(q(3, 1)));
        assert_eq!(parse_rational("-3/4"), Some(q(-3, 4)));
        assert_eq!(parse_rational("+2"), Some(q(2, 1)));
        assert_eq!(parse_rational("0.1"), Some(q(1, 10)));
        assert_eq!(parse_rational(".5"), Some(q(1, 2)));
        assert_eq!(parse_rational("1e-3"), Some(q(1, 1000)));
        assert_eq!(parse_rational("1.5E2"), Some(q(150, 1)));
        assert_eq!(parse_rational("1e5"), Some(q(100000, 1)));
        assert_eq!(parse_rational("-0"), Some(q(0, 1)));
    }

    #[test]
    fn rejects_non_numbers() {
        for s in [
            "",
            "-",
            ".",
            "1/0",
            "1/",
            "/2",
            "1.2.3",
            "abc",
            "1e",
            "1e99999999",
            "1/2/3",
            "1x",
        ] {
            assert_eq!(parse_rational(s), None, "{s}");
        }
    }

    #[test]
    fn formats_rationals() {
        assert_eq!(format_rational(&q(-5, 2)), "-5/2");
        assert_eq!(format_rational(&q(4, 2)), "2");
        assert_eq!(format_rational(&q(0, 7)), "0");
    }

    #[test]
    fn huge_rationals_convert_to_f64() {
        let big = num_traits::pow(BigInt::from(10), 400);
        let r = Rational::new(big.clone() * BigInt::from(3), big * BigInt::from(4));
        assert!((rational_to_f64(&r) - 0.75).abs() < 1e-15);
    }
}
