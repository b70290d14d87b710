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
use detente_game::{NormalFormGame, Rational, Scalar};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

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
    check_shape(game, profile)?;
    for (p, probs) in profile.iter().enumerate() {
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

/// One probability vector per player, of the right length.
fn check_shape<T>(game: &NormalFormGame, profile: &[Vec<T>]) -> Result<(), String> {
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
    }
    Ok(())
}

/// `values[p][s]`: the expected payoff to player `p` of playing pure
/// strategy `s` while the others play their mixtures in `profile`.
///
/// The profile must have the game's shape (see [`check_profile`]). Two-player
/// games take a fast path: `A·y` over the support of `y` and `xᵀB` over the
/// support of `x` (exact profiles in integers over common denominators);
/// the result is the same as the general sum over every cell.
pub fn strategy_values<T: Scalar>(game: &NormalFormGame, profile: &[Vec<T>]) -> Vec<Vec<T>> {
    if game.num_players() == 2 && profile.len() == 2 {
        if T::EXACT {
            if let Some(v) = ExactValues2p::new(game, &profile[0], &profile[1]) {
                return v.to_scalars();
            }
        } else {
            return float_values_2p(game, &profile[0], &profile[1]);
        }
    }
    strategy_values_general(game, profile)
}

/// The exact strategy values of a two-player profile: the value of
/// strategy `s` of player `p` is `num[p][s] / den[p]` (`den[p] > 0`), and
/// each probability vector is `int[p] / tot[p]` (`tot[p] > 0`).
struct ExactValues2p {
    num: [Vec<BigInt>; 2],
    den: [BigInt; 2],
    int: [Vec<BigInt>; 2],
    tot: [BigInt; 2],
}

/// `v` as integers over one positive common denominator, or `None` if an
/// entry is not exact.
fn common_denominator<T: Scalar>(v: &[T]) -> Option<(Vec<BigInt>, BigInt)> {
    let rats: Vec<Rational> = v.iter().map(Scalar::to_rational).collect::<Option<_>>()?;
    let mut l = BigInt::one();
    for r in &rats {
        let d = r.denom();
        // The denominators of a solver's profile are usually all equal:
        // a divisibility test is cheaper than a gcd.
        if !d.is_one() && !(&l % d).is_zero() {
            l = l.lcm(d);
        }
    }
    let ints = rats.iter().map(|r| r.numer() * (&l / r.denom())).collect();
    Some((ints, l))
}

impl ExactValues2p {
    fn new<T: Scalar>(game: &NormalFormGame, x: &[T], y: &[T]) -> Option<Self> {
        let shape = game.shape();
        let (m, n) = (shape[0], shape[1]);
        if x.len() != m || y.len() != n {
            return None;
        }
        let (xi, lx) = common_denominator(x)?;
        let (yi, ly) = common_denominator(y)?;
        let sx: Vec<usize> = (0..m).filter(|&i| !xi[i].is_zero()).collect();
        let sy: Vec<usize> = (0..n).filter(|&j| !yi[j].is_zero()).collect();
        // Player 1: Σ_{j ∈ supp y} a_ij y_j; player 2: Σ_{i ∈ supp x} b_ij x_i.
        // Payoff denominators over the cells used, so the sums are integer.
        let lcm_of = |cells: &mut dyn Iterator<Item = (usize, usize)>| -> BigInt {
            let mut l = BigInt::one();
            for (c, p) in cells {
                let d = game.payoff(c, p).denom();
                if !d.is_one() && !(&l % d).is_zero() {
                    l = l.lcm(d);
                }
            }
            l
        };
        let la = lcm_of(&mut (0..m).flat_map(|i| sy.iter().map(move |&j| (i + j * m, 0))));
        let lb = lcm_of(&mut (0..n).flat_map(|j| sx.iter().map(move |&i| (i + j * m, 1))));
        let scaled = |c: usize, p: usize, l: &BigInt| -> BigInt {
            let u = game.payoff(c, p);
            if l.is_one() {
                u.numer().clone()
            } else {
                u.numer() * (l / u.denom())
            }
        };
        let mut v0 = Vec::with_capacity(m);
        for i in 0..m {
            let mut acc = BigInt::zero();
            for &j in &sy {
                let u = scaled(i + j * m, 0, &la);
                if !u.is_zero() {
                    acc += u * &yi[j];
                }
            }
            v0.push(acc);
        }
        let mut v1 = Vec::with_capacity(n);
        for j in 0..n {
            let mut acc = BigInt::zero();
            for &i in &sx {
                let u = scaled(i + j * m, 1, &lb);
                if !u.is_zero() {
                    acc += u * &xi[i];
                }
            }
            v1.push(acc);
        }
        Some(ExactValues2p {
            num: [v0, v1],
            den: [la * &ly, lb * &lx],
            int: [xi, yi],
            tot: [lx, ly],
        })
    }

    fn to_scalars<T: Scalar>(&self) -> Vec<Vec<T>> {
        (0..2)
            .map(|p| {
                self.num[p]
                    .iter()
                    .map(|v| T::from_rational(&Rational::new(v.clone(), self.den[p].clone())))
                    .collect()
            })
            .collect()
    }

    /// Player `p`'s expected payoff as a numerator over
    /// `den[p] · tot[p]`.
    fn expected_num(&self, p: usize) -> BigInt {
        self.num[p]
            .iter()
            .zip(&self.int[p])
            .filter(|(_, w)| !w.is_zero())
            .map(|(v, w)| v * w)
            .sum()
    }

    /// Checks probabilities, regret and payoffs of a two-player exact
    /// profile without any gcd (integers over common denominators).
    fn verify<T: Scalar>(&self, profile: &[Vec<T>], payoffs: &[T]) -> Result<(), String> {
        for (p, probs) in profile.iter().enumerate().take(2) {
            if let Some(s) = self.int[p].iter().position(|v| v.is_negative()) {
                return Err(format!(
                    "player {} strategy {}: negative probability {}",
                    p + 1,
                    s + 1,
                    probs[s]
                ));
            }
            let sum: BigInt = self.int[p].iter().sum();
            if sum != self.tot[p] {
                return Err(format!(
                    "player {}'s probabilities sum to {}, not 1",
                    p + 1,
                    Rational::new(sum, self.tot[p].clone())
                ));
            }
        }
        if payoffs.len() != 2 {
            return Err(format!("{} payoffs given for 2 players", payoffs.len()));
        }
        for (p, given) in payoffs.iter().enumerate() {
            let e = self.expected_num(p);
            let scale = &self.den[p] * &self.tot[p];
            // Σ_s int[p][s] = tot[p], so regret 0 ⟺ max num · tot = e.
            let best = self.num[p].iter().max().cloned().unwrap_or_default();
            if &best * &self.tot[p] != e {
                let regret = Rational::new(best, self.den[p].clone())
                    - Rational::new(e.clone(), scale.clone());
                return Err(format!(
                    "player {} can gain {} by deviating (regret must be exactly 0)",
                    p + 1,
                    regret
                ));
            }
            let ok = given
                .to_rational()
                .is_some_and(|g| g.numer() * &scale == &e * g.denom());
            if !ok {
                return Err(format!(
                    "player {}'s payoff is given as {} but the profile yields {}",
                    p + 1,
                    given,
                    Rational::new(e, scale)
                ));
            }
        }
        Ok(())
    }
}

/// Floating-point two-player strategy values over the supports.
fn float_values_2p<T: Scalar>(game: &NormalFormGame, x: &[T], y: &[T]) -> Vec<Vec<T>> {
    let shape = game.shape();
    let (m, n) = (shape[0], shape[1]);
    let mut v0 = vec![T::zero(); m];
    let mut v1 = vec![T::zero(); n];
    for (j, yj) in y.iter().enumerate().take(n) {
        if yj.is_zero() {
            continue;
        }
        for (i, v) in v0.iter_mut().enumerate() {
            let u = game.payoff_as::<T>(i + j * m, 0);
            *v = v.clone() + yj.clone() * u;
        }
    }
    for (i, xi) in x.iter().enumerate().take(m) {
        if xi.is_zero() {
            continue;
        }
        for (j, v) in v1.iter_mut().enumerate() {
            let u = game.payoff_as::<T>(i + j * m, 1);
            *v = v.clone() + xi.clone() * u;
        }
    }
    vec![v0, v1]
}

/// [`strategy_values`] by the general n-player sum over every cell.
fn strategy_values_general<T: Scalar>(game: &NormalFormGame, profile: &[Vec<T>]) -> Vec<Vec<T>> {
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
            let u = game.payoff_as::<T>(cell, p);
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
    regrets_from_values(&strategy_values(game, profile), profile)
}

/// [`regrets`] from the strategy values already computed
/// ([`strategy_values`]).
pub fn regrets_from_values<T: Scalar>(values: &[Vec<T>], profile: &[Vec<T>]) -> Vec<T> {
    values
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
    if T::EXACT && game.num_players() == 2 {
        check_shape(game, &eq.profile)?;
        if let Some(v) = ExactValues2p::new(game, &eq.profile[0], &eq.profile[1]) {
            return v.verify(&eq.profile, &eq.payoffs);
        }
    }
    check_profile(game, &eq.profile, tol)?;
    let range = game.payoff_range_f64().2;
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
    use proptest::prelude::*;

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

    fn game_2p(m: usize, n: usize, a: &[(i64, i64)], b: &[(i64, i64)]) -> NormalFormGame {
        let t = |v: &[(i64, i64)]| v.iter().map(|&(p, d)| q(p, d)).collect::<Vec<_>>();
        NormalFormGame::from_tables(&[m, n], &[t(&a[..m * n]), t(&b[..m * n])]).unwrap()
    }

    fn probs(w: &[u8]) -> Vec<Rational> {
        let total: i64 = w.iter().map(|&v| i64::from(v)).sum();
        if total == 0 {
            let mut v = vec![q(0, 1); w.len()];
            v[0] = q(1, 1);
            return v;
        }
        w.iter().map(|&v| q(i64::from(v), total)).collect()
    }

    #[test]
    fn two_player_fast_path_refuses_what_the_general_one_does() {
        let g = pennies();
        let pure = vec![vec![q(1, 1), q(0, 1)], vec![q(1, 1), q(0, 1)]];
        let bad = Equilibrium {
            profile: pure,
            payoffs: vec![q(1, 1), q(-1, 1)],
        };
        let e = verify_equilibrium(&g, &bad, 0.0).unwrap_err();
        assert!(e.contains("player 2 can gain 2"), "{e}");
        let sum = Equilibrium {
            profile: vec![vec![q(1, 3), q(1, 3)], vec![q(1, 2), q(1, 2)]],
            payoffs: vec![q(0, 1), q(0, 1)],
        };
        assert!(verify_equilibrium(&g, &sum, 0.0)
            .unwrap_err()
            .contains("sum"));
        let neg = Equilibrium {
            profile: vec![vec![q(3, 2), q(-1, 2)], vec![q(1, 2), q(1, 2)]],
            payoffs: vec![q(0, 1), q(0, 1)],
        };
        assert!(verify_equilibrium(&g, &neg, 0.0)
            .unwrap_err()
            .contains("negative"));
        let short = Equilibrium {
            profile: vec![vec![q(1, 1)], vec![q(1, 2), q(1, 2)]],
            payoffs: vec![q(0, 1), q(0, 1)],
        };
        assert!(verify_equilibrium(&g, &short, 0.0).is_err());
    }

    proptest! {
        /// The two-player fast path gives exactly the general sum, and
        /// verification agrees with the general regret computation.
        #[test]
        fn two_player_values_equal_the_general_sum(
            m in 1usize..5,
            n in 1usize..5,
            a in proptest::collection::vec((-9i64..10, 1i64..4), 16),
            b in proptest::collection::vec((-9i64..10, 1i64..4), 16),
            wx in proptest::collection::vec(0u8..4, 4),
            wy in proptest::collection::vec(0u8..4, 4),
        ) {
            let g = game_2p(m, n, &a, &b);
            let profile = vec![probs(&wx[..m]), probs(&wy[..n])];
            let fast = strategy_values(&g, &profile);
            let general = strategy_values_general(&g, &profile);
            prop_assert_eq!(&fast, &general);
            let fp: Vec<Vec<f64>> = profile.iter().map(|v| v.iter().map(Scalar::to_f64).collect()).collect();
            let ff = strategy_values(&g, &fp);
            let gf = strategy_values_general(&g, &fp);
            for (u, v) in ff.iter().flatten().zip(gf.iter().flatten()) {
                prop_assert!((u - v).abs() <= 1e-9);
            }
            // Verification: exactly when the general regret is zero.
            let eq = Equilibrium::new(&g, profile.clone());
            let general_ok = general.iter().zip(&profile).all(|(vals, pr)| {
                let expected = vals.iter().zip(pr).fold(q(0, 1), |acc, (v, w)| acc + v * w);
                vals.iter().all(|v| *v <= expected)
            });
            prop_assert_eq!(verify_equilibrium(&g, &eq, 0.0).is_ok(), general_ok);
        }
    }
}
