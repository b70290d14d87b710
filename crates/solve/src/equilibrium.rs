//! The result type shared by all strategic-form solvers.

use detente_game::{NormalFormGame, Scalar};

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
    /// fastest, as `NormalFormGame::payoff_table::<f64>` gives them) and the
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
                *o = o.clone() + prob.clone() * game.payoff_as::<T>(cell, p);
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
    use detente_game::Rational;
    use num_bigint::BigInt;
    use proptest::prelude::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
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
            let b = Equilibrium::from_payoff_table(&g.payoff_table::<f64>(), &shape, profile.clone())
                .ok_or_else(|| TestCaseError::fail("shape"))?;
            prop_assert!(Equilibrium::from_payoff_table(&g.payoff_table::<f64>()[1..], &shape, profile.clone()).is_none());
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
