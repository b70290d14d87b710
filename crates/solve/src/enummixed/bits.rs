//! Fixed-size bit sets, used for label sets and bases.

/// A set of small integers `0..len` as a packed bit vector; sets over at
/// most 128 elements are stored inline (no allocation, one-word compares).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bits {
    Inline(u128),
    Heap(Box<[u64]>),
}

impl Bits {
    /// The empty set over `0..len`.
    pub fn new(len: usize) -> Self {
        if len <= 128 {
            Bits::Inline(0)
        } else {
            Bits::Heap(vec![0u64; len.div_ceil(64)].into_boxed_slice())
        }
    }

    pub fn set(&mut self, i: usize) {
        match self {
            Bits::Inline(w) => *w |= 1u128 << i,
            Bits::Heap(v) => v[i / 64] |= 1u64 << (i % 64),
        }
    }

    pub fn clear(&mut self, i: usize) {
        match self {
            Bits::Inline(w) => *w &= !(1u128 << i),
            Bits::Heap(v) => v[i / 64] &= !(1u64 << (i % 64)),
        }
    }

    pub fn get(&self, i: usize) -> bool {
        match self {
            Bits::Inline(w) => i < 128 && w >> i & 1 == 1,
            Bits::Heap(v) => v[i / 64] >> (i % 64) & 1 == 1,
        }
    }

    pub fn count(&self) -> usize {
        match self {
            Bits::Inline(w) => w.count_ones() as usize,
            Bits::Heap(v) => v.iter().map(|w| w.count_ones() as usize).sum(),
        }
    }

    /// `self ⊇ other` (both over the same range).
    pub fn is_superset(&self, other: &Bits) -> bool {
        match (self, other) {
            (Bits::Inline(a), Bits::Inline(b)) => b & !a == 0,
            (Bits::Heap(a), Bits::Heap(b)) => a.iter().zip(b.iter()).all(|(a, b)| b & !a == 0),
            _ => other.ones().all(|i| self.get(i)),
        }
    }

    /// The complement within `0..len`.
    pub fn complement(&self, len: usize) -> Bits {
        match self {
            Bits::Inline(w) if len <= 128 => {
                let mask = if len == 128 {
                    u128::MAX
                } else {
                    (1u128 << len) - 1
                };
                Bits::Inline(!w & mask)
            }
            _ => {
                let mut out = Bits::new(len);
                for i in 0..len {
                    if !self.get(i) {
                        out.set(i);
                    }
                }
                out
            }
        }
    }

    /// `self ∩ other` (both over the same range).
    pub fn and(&self, other: &Bits) -> Bits {
        match (self, other) {
            (Bits::Inline(a), Bits::Inline(b)) => Bits::Inline(a & b),
            (Bits::Heap(a), Bits::Heap(b)) => {
                Bits::Heap(a.iter().zip(b.iter()).map(|(a, b)| a & b).collect())
            }
            _ => {
                let mut out = self.clone();
                for i in self.ones().collect::<Vec<_>>() {
                    if !other.get(i) {
                        out.clear(i);
                    }
                }
                out
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Bits::Inline(w) => *w == 0,
            Bits::Heap(v) => v.iter().all(|w| *w == 0),
        }
    }

    /// The members in increasing order.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        let words: Vec<u64> = match self {
            Bits::Inline(w) => vec![*w as u64, (*w >> 64) as u64],
            Bits::Heap(v) => v.to_vec(),
        };
        words.into_iter().enumerate().flat_map(|(k, w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    None
                } else {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    Some(k * 64 + b)
                }
            })
        })
    }
}

/// A fast non-cryptographic hasher for bit sets (FxHash's multiply-rotate;
/// the keys are not attacker-controlled hash-flooding targets in any way
/// that matters more than a slow search would).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        // Mix the high bits down: hash tables index by the low bits.
        let h = self.0 ^ (self.0 >> 33);
        h.wrapping_mul(0xff51_afd7_ed55_8ccd) ^ (h >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

/// `BuildHasher` for [`FxHasher`].
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_ops() {
        let mut a = Bits::new(130);
        assert!(matches!(a, Bits::Heap(_)));
        let mut small = Bits::new(100);
        small.set(3);
        small.set(99);
        assert_eq!(small.complement(100).count(), 98);
        assert_eq!(small.ones().collect::<Vec<_>>(), vec![3, 99]);
        a.set(0);
        a.set(64);
        a.set(129);
        assert_eq!(a.count(), 3);
        assert_eq!(a.ones().collect::<Vec<_>>(), vec![0, 64, 129]);
        let mut b = Bits::new(130);
        b.set(64);
        assert!(a.is_superset(&b));
        assert!(!b.is_superset(&a));
        assert_eq!(a.and(&b), b);
        let c = a.complement(130);
        assert_eq!(c.count(), 127);
        assert!(!c.get(129) && c.get(128));
        b.clear(64);
        assert!(b.is_empty());
    }
}
