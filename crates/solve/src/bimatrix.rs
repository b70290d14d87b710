//! Small helpers shared by the two-player solvers ([`crate::lcp`],
//! [`crate::enummixed`]).

use crate::equilibrium::Equilibrium;
use detente_game::{NormalFormGame, Rational, Scalar};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Zero};

/// The equilibrium record of the exact two-player profile `(x, y)`, its
/// payoffs computed exactly over the supports only (`|supp x|·|supp y|`
/// terms instead of the whole table), then converted to `T`.
///
/// Same numbers as [`Equilibrium::new`] on the exact profile; for `f64`
/// the payoffs are those of the rounded profile, as there.
pub(crate) fn equilibrium_2p<T: Scalar>(
    game: &NormalFormGame,
    x: &[Rational],
    y: &[Rational],
) -> Equilibrium<T> {
    let conv = |v: &[Rational]| -> Vec<T> { v.iter().map(T::from_rational).collect() };
    let profile = vec![conv(x), conv(y)];
    if !T::EXACT {
        return Equilibrium::new(game, profile);
    }
    let m = x.len();
    // Integers over common denominators: x = X / lx, y = Y / ly, and each
    // player's payoffs on the supports' cells over their common
    // denominator; one fraction per player at the end, no gcd on the way.
    let (xi, lx) = over_common_denominator(x);
    let (yi, ly) = over_common_denominator(y);
    let sx: Vec<usize> = (0..m).filter(|&i| !xi[i].is_zero()).collect();
    let sy: Vec<usize> = (0..y.len()).filter(|&j| !yi[j].is_zero()).collect();
    let mut u = Vec::with_capacity(2);
    for p in 0..2 {
        let mut l = BigInt::one();
        for &j in &sy {
            for &i in &sx {
                let d = game.payoff(i + j * m, p).denom();
                if !d.is_one() && !(&l % d).is_zero() {
                    l = l.lcm(d);
                }
            }
        }
        let mut total = BigInt::zero();
        for &j in &sy {
            let mut col = BigInt::zero();
            for &i in &sx {
                let a = game.payoff(i + j * m, p);
                if a.is_zero() {
                    continue;
                }
                if l.is_one() {
                    col += a.numer() * &xi[i];
                } else {
                    col += a.numer() * (&l / a.denom()) * &xi[i];
                }
            }
            if !col.is_zero() {
                total += col * &yi[j];
            }
        }
        u.push(Rational::new(total, l * &lx * &ly));
    }
    Equilibrium {
        profile,
        payoffs: u.iter().map(T::from_rational).collect(),
    }
}

/// `v` as integers over a positive common denominator.
fn over_common_denominator(v: &[Rational]) -> (Vec<BigInt>, BigInt) {
    let mut l = BigInt::one();
    for r in v {
        let d = r.denom();
        if !d.is_one() && !(&l % d).is_zero() {
            l = l.lcm(d);
        }
    }
    let ints = v.iter().map(|r| r.numer() * (&l / r.denom())).collect();
    (ints, l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payoffs_match_the_full_sum() {
        let q = |n: i64, d: i64| Rational::new(BigInt::from(n), BigInt::from(d));
        // 2x3 game with rational payoffs.
        let ta: Vec<Rational> = (0..6).map(|k| q(k * 7 - 11, k + 2)).collect();
        let tb: Vec<Rational> = (0..6).map(|k| q(5 - k * k, 3)).collect();
        let g = NormalFormGame::from_tables(&[2, 3], &[ta, tb]).unwrap();
        let x = vec![q(1, 3), q(2, 3)];
        let y = vec![q(1, 2), q(0, 1), q(1, 2)];
        let e = equilibrium_2p::<Rational>(&g, &x, &y);
        let full = Equilibrium::new(&g, vec![x.clone(), y.clone()]);
        assert_eq!(e, full);
        let f = equilibrium_2p::<f64>(&g, &x, &y);
        assert!((f.payoffs[0] - full.payoffs[0].to_f64()).abs() < 1e-12);
    }
}
