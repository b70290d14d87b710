//! Independent verification of mixed-strategy profiles of n-player games.
//!
//! A profile is a Nash equilibrium (Nash 1951) exactly when no player gains
//! by deviating to a pure strategy: its *regret*, the best pure-strategy
//! payoff against the others' mixture minus the expected payoff, is zero for
//! every player. This module recomputes those numbers from the game's table
//! on its own (it shares no code with the solvers), so a solver bug cannot
//! certify itself.
//!
//! With exact arithmetic ([`detente_game::Rational`]) an equilibrium must
//! have regret exactly zero. With `f64` the regret may be at most a
//! tolerance relative to the game's payoff range, as in Gambit
//! (`max_regret ≤ tol × (max payoff − min payoff)`); the default tolerance
//! is [`DEFAULT_TOLERANCE`].

use crate::equilibrium::Equilibrium;
use detente_game::{NormalFormGame, Scalar};

/// Default relative regret tolerance for floating-point profiles.
pub const DEFAULT_TOLERANCE: f64 = 1e-9;

/// Checks the shape and the probabilities of a profile: one vector per
/// player of the right length, entries `≥ 0` and summing to 1 (exactly for
/// exact types, within `tol` for floats), no NaN or infinity.
pub fn check_profile<T: Scalar>(
    game: &NormalFormGame,
    profile: &[Vec<T>],
    tol: f64,
) -> Result<(), String> {
    let shape = game.shape();
    if profile.len() != shape.len() {
        return Err(format!(
            "the profile has {} players, the game {}",
            profile.len(),
            shape.len()
        ));
    }
    for (p, (probs, &k)) in profile.iter().zip(&shape).enumerate() {
        if probs.len() != k {
            return Err(format!(
                "player {} has {} probabilities for {} strategies",
                p + 1,
                probs.len(),
                k
            ));
        }
        let mut sum = T::zero();
        for (s, v) in probs.iter().enumerate() {
            if !T::EXACT && !v.to_f64().is_finite() {
                return Err(format!(
                    "player {} strategy {}: probability {} is not a number",
                    p + 1,
                    s + 1,
                    v
                ));
            }
            let negative = if T::EXACT {
                *v < T::zero()
            } else {
                v.to_f64() < -tol
            };
            if negative {
                return Err(format!(
                    "player {} strategy {}: negative probability {}",
                    p + 1,
                    s + 1,
                    v
                ));
            }
            sum = sum + v.clone();
        }
        let off = if T::EXACT {
            sum != T::one()
        } else {
            (sum.to_f64() - 1.0).abs() > tol
        };
        if off {
            return Err(format!(
                "player {}'s probabilities sum to {}, not 1",
                p + 1,
                sum
            ));
        }
    }
    Ok(())
}

/// `values[p][s]`: the expected payoff to player `p` of playing pure
/// strategy `s` while the others play their mixtures in `profile`.
///
/// The profile must have the game's shape (see [`check_profile`]).
pub fn strategy_values<T: Scalar>(game: &NormalFormGame, profile: &[Vec<T>]) -> Vec<Vec<T>> {
    let shape = game.shape();
    let n = shape.len();
    let mut values: Vec<Vec<T>> = shape.iter().map(|&k| vec![T::zero(); k]).collect();
    let mut pure = vec![0usize; n];
    let mut prefix = vec![T::one(); n + 1];
    let mut suffix = vec![T::one(); n + 1];
    for cell in 0..game.num_profiles() {
        // prefix[p] = product of probabilities of players < p, suffix[p] of
        // players >= p.
        for p in 0..n {
            prefix[p + 1] = prefix[p].clone() * profile[p][pure[p]].clone();
        }
        for p in (0..n).rev() {
            suffix[p] = suffix[p + 1].clone() * profile[p][pure[p]].clone();
        }
        for p in 0..n {
            let others = prefix[p].clone() * suffix[p + 1].clone();
            if others.is_zero() {
                continue;
            }
            let u = T::from_rational(game.payoff(cell, p));
            let v = &mut values[p][pure[p]];
            *v = v.clone() + others * u;
        }
        // Next pure profile, player 1 fastest.
        for (p, s) in pure.iter_mut().enumerate() {
            *s += 1;
            if *s < shape[p] {
                break;
            }
            *s = 0;
        }
    }
    values
}

/// Each player's regret: best pure-strategy value minus expected payoff.
pub fn regrets<T: Scalar>(game: &NormalFormGame, profile: &[Vec<T>]) -> Vec<T> {
    strategy_values(game, profile)
        .iter()
        .zip(profile)
        .map(|(vals, probs)| {
            let expected = vals
                .iter()
                .zip(probs)
                .fold(T::zero(), |acc, (v, p)| acc + v.clone() * p.clone());
            let best =
                vals.iter().skip(1).fold(
                    vals[0].clone(),
                    |b, v| {
                        if *v > b {
                            v.clone()
                        } else {
                            b
                        }
                    },
                );
            best - expected
        })
        .collect()
}

/// The largest regret of any player (Gambit's `max_regret`).
pub fn max_regret<T: Scalar>(game: &NormalFormGame, profile: &[Vec<T>]) -> T {
    regrets(game, profile)
        .into_iter()
        .fold(T::zero(), |m, r| if r > m { r } else { m })
}

/// Verifies that `eq` is a Nash equilibrium of `game` and that its payoffs
/// are right: exactly (regret 0, payoffs equal) for exact types; for floats,
/// within `tol × (max payoff − min payoff)` (absolute `tol` if all payoffs
/// are equal). Probabilities are checked with [`check_profile`].
pub fn verify_equilibrium<T: Scalar>(
    game: &NormalFormGame,
    eq: &Equilibrium<T>,
    tol: f64,
) -> Result<(), String> {
    check_profile(game, &eq.profile, tol)?;
    let (lo, hi) = game.payoff_range();
    let range = (hi - lo).to_f64();
    let abs_tol = if range > 0.0 { tol * range } else { tol };
    let values = strategy_values(game, &eq.profile);
    if eq.payoffs.len() != values.len() {
        return Err(format!(
            "{} payoffs given for {} players",
            eq.payoffs.len(),
            values.len()
        ));
    }
    for (p, (vals, probs)) in values.iter().zip(&eq.profile).enumerate() {
        let expected = vals
            .iter()
            .zip(probs)
            .fold(T::zero(), |acc, (v, q)| acc + v.clone() * q.clone());
        let best = vals
            .iter()
            .skip(1)
            .fold(vals[0].clone(), |b, v| if *v > b { v.clone() } else { b });
        let regret = best - expected.clone();
        let (bad_regret, bad_payoff) = if T::EXACT {
            (!regret.is_zero(), eq.payoffs[p] != expected)
        } else {
            let r = regret.to_f64();
            let d = (eq.payoffs[p].clone() - expected.clone()).to_f64();
            // NaN counts as a failure.
            (r.is_nan() || r > abs_tol, d.is_nan() || d.abs() > abs_tol)
        };
        if bad_regret {
            return Err(format!(
                "player {} can gain {} by deviating (regret must be {})",
                p + 1,
                regret,
                if T::EXACT {
                    "exactly 0".to_string()
                } else {
                    format!("at most {abs_tol:e}")
                }
            ));
        }
        if bad_payoff {
            return Err(format!(
                "player {}'s payoff is given as {} but the profile yields {}",
                p + 1,
                eq.payoffs[p],
                expected
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_game::Rational;
    use num_bigint::BigInt;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn pennies() -> NormalFormGame {
        // Cells: (0,0) (1,0) (0,1) (1,1).
        NormalFormGame::from_tables(
            &[2, 2],
            &[
                vec![q(1, 1), q(-1, 1), q(-1, 1), q(1, 1)],
                vec![q(-1, 1), q(1, 1), q(1, 1), q(-1, 1)],
            ],
        )
        .unwrap()
    }

    #[test]
    fn exact_regret_of_pennies() {
        let g = pennies();
        let half = vec![vec![q(1, 2), q(1, 2)], vec![q(1, 2), q(1, 2)]];
        assert_eq!(max_regret(&g, &half), q(0, 1));
        let eq = Equilibrium {
            profile: half.clone(),
            payoffs: vec![q(0, 1), q(0, 1)],
        };
        assert!(verify_equilibrium(&g, &eq, DEFAULT_TOLERANCE).is_ok());
        let pure = vec![vec![q(1, 1), q(0, 1)], vec![q(1, 1), q(0, 1)]];
        assert_eq!(max_regret(&g, &pure), q(2, 1));
        let bad = Equilibrium {
            profile: pure,
            payoffs: vec![q(1, 1), q(-1, 1)],
        };
        let e = verify_equilibrium(&g, &bad, DEFAULT_TOLERANCE).unwrap_err();
        assert!(e.contains("player 2 can gain 2"), "{e}");
        let wrong_payoff = Equilibrium {
            profile: half,
            payoffs: vec![q(1, 1), q(0, 1)],
        };
        assert!(verify_equilibrium(&g, &wrong_payoff, DEFAULT_TOLERANCE).is_err());
    }

    #[test]
    fn bad_profiles_are_refused() {
        let g = pennies();
        assert!(check_profile(&g, &[vec![q(1, 2), q(1, 2)]], 0.0).is_err());
        assert!(check_profile(&g, &[vec![q(1, 2), q(1, 2)], vec![q(1, 1)]], 0.0).is_err());
        let neg = vec![vec![q(3, 2), q(-1, 2)], vec![q(1, 2), q(1, 2)]];
        assert!(check_profile(&g, &neg, 0.0)
            .unwrap_err()
            .contains("negative"));
        let sum = vec![vec![q(1, 3), q(1, 3)], vec![q(1, 2), q(1, 2)]];
        assert!(check_profile(&g, &sum, 0.0).unwrap_err().contains("sum"));
        let nan = vec![vec![f64::NAN, 1.0], vec![0.5, 0.5]];
        assert!(check_profile(&g, &nan, 1e-9).is_err());
    }

    #[test]
    fn float_tolerance_is_relative() {
        let g = pennies();
        let near = Equilibrium {
            profile: vec![vec![0.5 + 1e-12, 0.5 - 1e-12], vec![0.5, 0.5]],
            payoffs: vec![0.0, 0.0],
        };
        assert!(verify_equilibrium(&g, &near, DEFAULT_TOLERANCE).is_ok());
        let far = Equilibrium {
            profile: vec![vec![0.6, 0.4], vec![0.5, 0.5]],
            payoffs: vec![0.0, 0.0],
        };
        assert!(verify_equilibrium(&g, &far, DEFAULT_TOLERANCE).is_err());
    }

    #[test]
    fn three_player_values() {
        // Everyone gets 1 if all choose the same strategy, else 0.
        let t: Vec<Rational> = (0..8)
            .map(|c| if c == 0 || c == 7 { q(1, 1) } else { q(0, 1) })
            .collect();
        let g = NormalFormGame::from_tables(&[2, 2, 2], &[t.clone(), t.clone(), t]).unwrap();
        let pure = vec![vec![q(1, 1), q(0, 1)]; 3];
        assert_eq!(max_regret(&g, &pure), q(0, 1));
        let mixed = vec![vec![q(1, 2), q(1, 2)]; 3];
        let v = strategy_values(&g, &mixed);
        assert_eq!(v[2], vec![q(1, 4), q(1, 4)]);
        assert_eq!(max_regret(&g, &mixed), q(0, 1));
    }
}
