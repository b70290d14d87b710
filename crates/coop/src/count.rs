//! Exact coalition counters for the power-index dynamic programmes.
//!
//! A body of `n` voters has at most `2ⁿ` coalitions, so every count fits in an
//! unsigned integer of `n + 1` bits. The dynamic programmes only add and
//! subtract counts, so they can run in fixed-width wrapping arithmetic: the
//! result is exact modulo `2^bits`, and since every true count is below
//! that, exact. [`Wide`] is a fixed array of 64-bit limbs, chosen by the
//! caller from `n`, so no big-integer allocation happens in the inner loops.

use num_bigint::BigUint;

/// A counter: a commutative group under wrapping addition, convertible to a
/// big integer at the end.
pub trait Count: Copy + Send + Sync + 'static {
    /// Zero.
    fn zero() -> Self;
    /// One.
    fn one() -> Self;
    /// `self + other` (wrapping).
    fn add(self, other: Self) -> Self;
    /// `self − other` (wrapping).
    fn sub(self, other: Self) -> Self;
    /// The exact value (assuming no true overflow happened).
    fn to_biguint(self) -> BigUint;
    /// `true` if zero.
    fn is_zero(self) -> bool;
}

impl Count for u64 {
    fn zero() -> Self {
        0
    }
    fn one() -> Self {
        1
    }
    #[inline]
    fn add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    #[inline]
    fn sub(self, other: Self) -> Self {
        self.wrapping_sub(other)
    }
    fn to_biguint(self) -> BigUint {
        BigUint::from(self)
    }
    fn is_zero(self) -> bool {
        self == 0
    }
}

impl Count for u128 {
    fn zero() -> Self {
        0
    }
    fn one() -> Self {
        1
    }
    #[inline]
    fn add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    #[inline]
    fn sub(self, other: Self) -> Self {
        self.wrapping_sub(other)
    }
    fn to_biguint(self) -> BigUint {
        BigUint::from(self)
    }
    fn is_zero(self) -> bool {
        self == 0
    }
}

/// A `64·L`-bit unsigned integer with wrapping arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wide<const L: usize>(pub [u64; L]);

impl<const L: usize> Count for Wide<L> {
    fn zero() -> Self {
        Wide([0; L])
    }
    fn one() -> Self {
        let mut a = [0; L];
        a[0] = 1;
        Wide(a)
    }
    #[inline]
    fn add(self, other: Self) -> Self {
        let mut out = [0u64; L];
        let mut carry = false;
        for (k, o) in out.iter_mut().enumerate() {
            let (s1, c1) = self.0[k].overflowing_add(other.0[k]);
            let (s2, c2) = s1.overflowing_add(carry as u64);
            *o = s2;
            carry = c1 || c2;
        }
        Wide(out)
    }
    #[inline]
    fn sub(self, other: Self) -> Self {
        let mut out = [0u64; L];
        let mut borrow = false;
        for (k, o) in out.iter_mut().enumerate() {
            let (d1, b1) = self.0[k].overflowing_sub(other.0[k]);
            let (d2, b2) = d1.overflowing_sub(borrow as u64);
            *o = d2;
            borrow = b1 || b2;
        }
        Wide(out)
    }
    fn to_biguint(self) -> BigUint {
        let mut digits = Vec::with_capacity(2 * L);
        for limb in self.0 {
            digits.push(limb as u32);
            digits.push((limb >> 32) as u32);
        }
        BigUint::new(digits)
    }
    fn is_zero(self) -> bool {
        self.0.iter().all(|&x| x == 0)
    }
}

/// Calls `$body` with the type alias `$t` bound to the narrowest counter that
/// holds `2^$bits`.
#[macro_export]
#[doc(hidden)]
macro_rules! with_counter {
    ($bits:expr, $t:ident, $body:block, $too_big:block) => {{
        let bits: usize = $bits;
        if bits < 64 {
            type $t = u64;
            $body
        } else if bits < 128 {
            type $t = u128;
            $body
        } else if bits < 256 {
            type $t = $crate::count::Wide<4>;
            $body
        } else if bits < 512 {
            type $t = $crate::count::Wide<8>;
            $body
        } else if bits < 1024 {
            type $t = $crate::count::Wide<16>;
            $body
        } else if bits < 2048 {
            type $t = $crate::count::Wide<32>;
            $body
        } else if bits < 4096 {
            type $t = $crate::count::Wide<64>;
            $body
        } else {
            $too_big
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_arithmetic_carries() {
        let a = Wide::<2>([u64::MAX, 0]);
        let b = a.add(Wide::one());
        assert_eq!(b.0, [0, 1]);
        assert_eq!(b.sub(Wide::one()).0, [u64::MAX, 0]);
        assert_eq!(b.to_biguint(), BigUint::from(1u128 << 64));
        // Wrapping below zero and back.
        let z = Wide::<2>::zero().sub(Wide::one());
        assert_eq!(z.add(Wide::one()), Wide::zero());
    }
}
