//! Small helpers shared by the two-player solvers ([`crate::lcp`],
//! [`crate::enummixed`]).

use crate::equilibrium::Equilibrium;
use detente_game::{NormalFormGame, Rational, Scalar};
use num_traits::Zero;

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
    let mut u = [Rational::zero(), Rational::zero()];
    for (j, yj) in y.iter().enumerate() {
        if yj.is_zero() {
            continue;
        }
        // Σ_i x_i a_ij for both players, then weighted by y_j.
        let mut col = [Rational::zero(), Rational::zero()];
        for (i, xi) in x.iter().enumerate() {
            if xi.is_zero() {
                continue;
            }
            let cell = i + j * m;
            for (p, c) in col.iter_mut().enumerate() {
                let a = game.payoff(cell, p);
                if !a.is_zero() {
                    *c += xi * a;
                }
            }
        }
        for (p, c) in col.iter().enumerate() {
            if !c.is_zero() {
                u[p] += c * yj;
            }
        }
    }
    Equilibrium {
        profile,
        payoffs: u.iter().map(T::from_rational).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

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
