//! The result type shared by all strategic-form solvers.

use detente_game::{NormalFormGame, Rational, Scalar};
use num_bigint::BigInt;
use num_traits::{One, ToPrimitive};

/// A mixed-strategy profile with the payoff it gives each player.
///
/// `profile[p][s]` is the probability that player `p` plays strategy `s`
/// (players and strategies in file order).
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium<T> {
    pub profile: Vec<Vec<T>>,
    pub payoffs: Vec<T>,
}

impl<T: Scalar> Equilibrium<T> {
    /// Builds an equilibrium record, computing each player's expected payoff.
    pub fn new(game: &NormalFormGame, profile: Vec<Vec<T>>) -> Self {
        let payoffs = expected_payoffs(game, &profile);
        Equilibrium { profile, payoffs }
    }
}

impl Equilibrium<f64> {
    /// [`Equilibrium::new`] from the game's payoffs already converted to
    /// `f64` (`table[cell * n + player]`, cells with player 1's strategy
    /// fastest, as `NormalFormGame::payoff_table_f64` gives them) and the
    /// game's `shape`: the same operations in the same order, so the same
    /// payoffs bit for bit, without converting the payoffs again. `None`
    /// when the table or the profile does not have the shape's size.
    pub fn from_payoff_table(
        table: &[f64],
        shape: &[usize],
        profile: Vec<Vec<f64>>,
    ) -> Option<Self> {
        let n = shape.len();
        let mut out = vec![0.0f64; n];
        let cells = shape.iter().try_fold(1usize, |c, &s| c.checked_mul(s))?;
        let fits = profile.len() == n
            && profile.iter().zip(shape).all(|(p, &s)| p.len() == s)
            && cells.checked_mul(n) == Some(table.len());
        if !fits {
            return None;
        }
        if n > 0 {
            let mut pure = vec![0usize; n];
            for pay in table.chunks_exact(n) {
                let mut prob = 1.0f64;
                for (probs, &s) in profile.iter().zip(&pure) {
                    prob *= probs[s];
                    if prob == 0.0 {
                        break;
                    }
                }
                if prob != 0.0 {
                    for (o, u) in out.iter_mut().zip(pay) {
                        *o += prob * u;
                    }
                }
                next_profile(&mut pure, shape);
            }
        }
        Some(Equilibrium {
            profile,
            payoffs: out,
        })
    }
}

/// Advances a pure profile, player 1's strategy fastest (Gambit order).
fn next_profile(pure: &mut [usize], shape: &[usize]) {
    for (s, &k) in pure.iter_mut().zip(shape) {
        *s += 1;
        if *s < k {
            return;
        }
        *s = 0;
    }
}

/// `T::from_rational(r)`, faster for floating-point `T` when `r`'s terms
/// are machine integers of magnitude at most 2^53: they convert exactly,
/// and the one division is the same as the general conversion's, so the
/// result is the same bit for bit. Exact types take the general path.
pub(crate) fn payoff_as<T: Scalar>(r: &Rational) -> T {
    if !T::EXACT {
        let small = |v: &BigInt| v.to_i64().filter(|x| x.abs() <= 1 << 53);
        if let Some(n) = small(r.numer()) {
            if r.denom().is_one() {
                return T::from_i64(n);
            }
            if let Some(d) = small(r.denom()) {
                return T::from_i64(n) / T::from_i64(d);
            }
        }
    }
    T::from_rational(r)
}

/// Expected payoff of each player under a mixed profile.
pub fn expected_payoffs<T: Scalar>(game: &NormalFormGame, profile: &[Vec<T>]) -> Vec<T> {
    let n = game.num_players();
    let shape = game.shape();
    let mut out = vec![T::zero(); n];
    let mut pure = vec![0usize; n];
    for cell in 0..game.num_profiles() {
        let mut prob = T::one();
        for (p, &s) in pure.iter().enumerate() {
            prob = prob * profile[p][s].clone();
            if prob.is_zero() {
                break;
            }
        }
        if !prob.is_zero() {
            for (p, o) in out.iter_mut().enumerate() {
                *o = o.clone() + prob.clone() * payoff_as::<T>(game.payoff(cell, p));
            }
        }
        next_profile(&mut pure, &shape);
    }
    out
}

/// Why a solver could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// The method does not apply to this game (e.g. `lp` on a game that is
    /// not constant-sum, or a two-player method on three players).
    #[error("{0}")]
    NotApplicable(String),
    /// The method ran out of its budget (iterations, time, size).
    #[error("{0}")]
    Budget(String),
    /// The game is too large for the method.
    #[error("{0}")]
    TooLarge(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn fast_conversion_is_the_general_one() {
        let huge = Rational::new(
            BigInt::from(3).pow(200),
            BigInt::from(7).pow(150) + BigInt::from(1),
        );
        let edge = Rational::from_integer(BigInt::from((1i64 << 53) + 1));
        for r in [q(5, 1), q(-7, 3), q(1, 10), huge, edge, q(0, 1)] {
            assert_eq!(
                payoff_as::<f64>(&r).to_bits(),
                f64::from_rational(&r).to_bits()
            );
            assert_eq!(payoff_as::<Rational>(&r), r);
        }
    }

    proptest! {
        /// The payoffs from the converted table equal `Equilibrium::new`'s
        /// bit for bit (integer, fractional and huge payoffs; zero
        /// probabilities included).
        #[test]
        fn payoffs_from_the_table_equal_the_general_ones(
            pay in proptest::collection::vec((-40i64..40, 1i64..9, 0u8..8), 36),
            w in proptest::collection::vec(0u8..5, 7),
        ) {
            let shape = [2usize, 3, 2];
            let tables: Vec<Vec<Rational>> = (0..3)
                .map(|p| {
                    (0..12)
                        .map(|c| {
                            let (n, d, kind) = pay[p * 12 + c];
                            match kind {
                                0 => Rational::new(BigInt::from(n) * BigInt::from(10).pow(40), BigInt::from(d)),
                                1 | 2 => q(n, d),
                                _ => q(n, 1),
                            }
                        })
                        .collect()
                })
                .collect();
            let g = NormalFormGame::from_tables(&shape, &tables).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut profile = Vec::new();
            let mut i = 0;
            for &s in &shape {
                let ws: Vec<f64> = (0..s).map(|h| f64::from(w[i + h])).collect();
                i += s;
                let tot: f64 = ws.iter().sum();
                profile.push(if tot > 0.0 { ws.iter().map(|v| v / tot).collect() } else { vec![1.0 / s as f64; s] });
            }
            let a = Equilibrium::new(&g, profile.clone());
            let b = Equilibrium::from_payoff_table(&g.payoff_table_f64(), &shape, profile.clone())
                .ok_or_else(|| TestCaseError::fail("shape"))?;
            prop_assert!(Equilibrium::from_payoff_table(&g.payoff_table_f64()[1..], &shape, profile.clone()).is_none());
            prop_assert_eq!(bits(&a.payoffs), bits(&b.payoffs));
            // The general sum with the general conversion, as before.
            let mut slow = vec![0.0f64; 3];
            for cell in 0..g.num_profiles() {
                let pure = g.profile_at(cell);
                let mut prob = 1.0f64;
                for (p, &s) in pure.iter().enumerate() {
                    prob *= profile[p][s];
                    if prob == 0.0 {
                        break;
                    }
                }
                if prob == 0.0 {
                    continue;
                }
                for (p, o) in slow.iter_mut().enumerate() {
                    *o += prob * f64::from_rational(g.payoff(cell, p));
                }
            }
            prop_assert_eq!(bits(&a.payoffs), bits(&slow));
        }
    }
}
