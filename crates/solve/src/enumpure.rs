//! All pure-strategy Nash equilibria of an n-player game (exact).
//!
//! A pure profile is a Nash equilibrium (Nash 1951) when every player's
//! strategy is a best response to the others' strategies. Instead of testing
//! every unilateral deviation of every profile (`cells × Σ strategies`
//! payoff look-ups), each player's best responses are computed once along
//! that player's axis of the payoff table: one pass over the table per
//! player marks the cells where the player is best-responding; the
//! equilibria are the cells marked by everyone. Payoffs are compared as
//! machine integers (after scaling by the common denominator) when they fit,
//! exactly as rationals otherwise.

use crate::equilibrium::Equilibrium;
use detente_game::{NormalFormGame, Rational, Scalar};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive};

/// The pure equilibria as strategy indices (one per player), in table order
/// (player 1's strategy varying fastest).
pub fn pure_equilibria(game: &NormalFormGame) -> Vec<Vec<usize>> {
    let cells = game.num_profiles();
    let shape = game.shape();
    let mut best = vec![true; cells];
    let ints = integer_payoffs(game);
    for (p, &k) in shape.iter().enumerate() {
        let stride = game.stride(p);
        match &ints[p] {
            Some(u) => mark_best(&mut best, cells, stride, k, |c| u[c]),
            None => mark_best(&mut best, cells, stride, k, |c| game.payoff(c, p).clone()),
        }
    }
    best.iter()
        .enumerate()
        .filter(|(_, &b)| b)
        .map(|(c, _)| game.profile_at(c))
        .collect()
}

/// All pure equilibria as [`Equilibrium`] records (probability 1 on the
/// chosen strategies).
pub fn enumpure<T: Scalar>(game: &NormalFormGame) -> Vec<Equilibrium<T>> {
    let shape = game.shape();
    pure_equilibria(game)
        .into_iter()
        .map(|pure| {
            let cell = game.profile_index(&pure);
            let profile = pure
                .iter()
                .zip(&shape)
                .map(|(&s, &k)| {
                    (0..k)
                        .map(|t| if t == s { T::one() } else { T::zero() })
                        .collect()
                })
                .collect();
            let payoffs = game.payoffs_at(cell).iter().map(T::from_rational).collect();
            Equilibrium { profile, payoffs }
        })
        .collect()
}

/// Clears `best[c]` wherever the payoff at `c` is below the best payoff on
/// its line along the axis with the given stride and length.
fn mark_best<V: PartialOrd, F: Fn(usize) -> V>(
    best: &mut [bool],
    cells: usize,
    stride: usize,
    k: usize,
    pay: F,
) {
    let block = stride * k;
    for outer in (0..cells).step_by(block) {
        for inner in 0..stride {
            let base = outer + inner;
            let mut top = pay(base);
            for s in 1..k {
                let v = pay(base + s * stride);
                if v > top {
                    top = v;
                }
            }
            for s in 0..k {
                let c = base + s * stride;
                if best[c] && pay(c) < top {
                    best[c] = false;
                }
            }
        }
    }
}

/// Each player's payoffs as `i64` (after scaling by the player's common
/// denominator) if they all fit, else `None`. One pass over the table for
/// integer payoffs (the common case).
fn integer_payoffs(game: &NormalFormGame) -> Vec<Option<Vec<i64>>> {
    let cells = game.num_profiles();
    let n = game.num_players();
    let mut out: Vec<Option<Vec<i64>>> = (0..n).map(|_| Some(Vec::with_capacity(cells))).collect();
    let mut fractional = vec![false; n];
    for c in 0..cells {
        for (p, v) in game.payoffs_at(c).iter().enumerate() {
            let Some(vals) = out[p].as_mut() else {
                continue;
            };
            if !v.denom().is_one() {
                fractional[p] = true;
                out[p] = None;
                continue;
            }
            match v.numer().to_i64() {
                Some(x) => vals.push(x),
                None => out[p] = None,
            }
        }
    }
    for (p, frac) in fractional.iter().enumerate() {
        if *frac {
            out[p] = scaled_payoffs(game, p);
        }
    }
    out
}

/// A player's payoffs times the common denominator, as `i64` if they fit.
fn scaled_payoffs(game: &NormalFormGame, p: usize) -> Option<Vec<i64>> {
    let cells = game.num_profiles();
    let mut l = BigInt::one();
    for c in 0..cells {
        let d = game.payoff(c, p).denom();
        if !d.is_one() {
            l = l.lcm(d);
        }
    }
    let mut out = Vec::with_capacity(cells);
    for c in 0..cells {
        let v: &Rational = game.payoff(c, p);
        out.push((v.numer() * (&l / v.denom())).to_i64()?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn prisoners_dilemma() {
        // Strategies: 0 = cooperate, 1 = defect. Cells (0,0) (1,0) (0,1) (1,1).
        let a = vec![q(3, 1), q(5, 1), q(0, 1), q(1, 1)];
        let b = vec![q(3, 1), q(0, 1), q(5, 1), q(1, 1)];
        let g = NormalFormGame::from_tables(&[2, 2], &[a, b]).unwrap();
        assert_eq!(pure_equilibria(&g), vec![vec![1, 1]]);
        let e = enumpure::<Rational>(&g);
        assert_eq!(e[0].payoffs, vec![q(1, 1), q(1, 1)]);
        assert_eq!(e[0].profile[0], vec![q(0, 1), q(1, 1)]);
    }

    #[test]
    fn coordination_three_players_with_fractions() {
        // Everyone gets 1/3 if all match, else -1/7.
        let t: Vec<Rational> = (0..8)
            .map(|c| if c == 0 || c == 7 { q(1, 3) } else { q(-1, 7) })
            .collect();
        let g = NormalFormGame::from_tables(&[2, 2, 2], &[t.clone(), t.clone(), t]).unwrap();
        assert_eq!(pure_equilibria(&g), vec![vec![0, 0, 0], vec![1, 1, 1]]);
    }

    #[test]
    fn huge_payoffs_use_exact_comparison() {
        let big = Rational::from_integer(num_traits::pow(BigInt::from(10), 30));
        let a = vec![big.clone(), big.clone() + q(1, 2), q(0, 1), q(0, 1)];
        let b = vec![q(1, 1), q(0, 1), q(0, 1), q(1, 1)];
        let g = NormalFormGame::from_tables(&[2, 2], &[a, b]).unwrap();
        // Row prefers strategy 1 against column 0; column prefers 1 against row 1.
        assert_eq!(pure_equilibria(&g), vec![vec![1, 1]]);
    }

    #[test]
    fn matching_pennies_has_none() {
        let a = vec![q(1, 1), q(-1, 1), q(-1, 1), q(1, 1)];
        let b: Vec<Rational> = a.iter().map(|v| -v.clone()).collect();
        let g = NormalFormGame::from_tables(&[2, 2], &[a, b]).unwrap();
        assert!(pure_equilibria(&g).is_empty());
    }
}
