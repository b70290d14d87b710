//! The Shapley value (L. S. Shapley, "A value for n-person games", in
//! *Contributions to the Theory of Games II*, Annals of Mathematics Studies
//! 28, 1953, 307–317):
//! `φ_i = Σ_{S ∌ i} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))`.
//!
//! Exact: the sums are grouped by coalition size, so one pass over the
//! table (`n · 2ⁿ⁻¹` additions in 128-bit integers) and `n` rational
//! products per player. Sampling: the mean marginal contribution over
//! random orderings (J. Castro, D. Gómez and J. Tejada, "Polynomial
//! calculation of the Shapley value based on sampling", *Computers &
//! Operations Research* 36 (2009) 1726–1730), with a normal-approximation
//! 95% confidence interval.

use crate::rng::SplitMix64;
use crate::tu::{Characteristic, TuGame};
use detente_game::{GameError, Rational};
use num_bigint::BigInt;
use num_traits::{One, Zero};

/// Sums of `v(T)` over coalitions `T ∋ i` of each size (`with[i][k]`) and
/// over all coalitions of each size (`total[k]`), in the table's scaled
/// integers or as rationals.
struct SizeSums {
    with: Vec<Vec<Rational>>,
    total: Vec<Rational>,
}

fn size_sums(game: &TuGame) -> SizeSums {
    let n = game.num_players();
    if let Some((numer, denom)) = game.scaled() {
        let mut with = vec![vec![0i128; n + 1]; n];
        let mut total = vec![0i128; n + 1];
        for (mask, &v) in numer.iter().enumerate() {
            let k = mask.count_ones() as usize;
            let v = v as i128;
            total[k] += v;
            let mut m = mask;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                with[i][k] += v;
                m &= m - 1;
            }
        }
        let d = denom.clone();
        let conv = |x: i128| Rational::new(BigInt::from(x), d.clone());
        SizeSums {
            with: with
                .into_iter()
                .map(|row| row.into_iter().map(conv).collect())
                .collect(),
            total: total.into_iter().map(conv).collect(),
        }
    } else {
        let table = game.exact_table().unwrap_or(&[]);
        let mut with = vec![vec![Rational::zero(); n + 1]; n];
        let mut total = vec![Rational::zero(); n + 1];
        for (mask, v) in table.iter().enumerate() {
            let k = mask.count_ones() as usize;
            total[k] += v;
            for (i, row) in with.iter_mut().enumerate() {
                if mask >> i & 1 == 1 {
                    row[k] += v;
                }
            }
        }
        SizeSums { with, total }
    }
}

/// The exact Shapley value of a game given by its table.
pub fn shapley_value(game: &TuGame) -> Vec<Rational> {
    let n = game.num_players();
    let sums = size_sums(game);
    let mut fact = vec![BigInt::one()];
    for k in 1..=n {
        let next = &fact[k - 1] * BigInt::from(k);
        fact.push(next);
    }
    (0..n)
        .map(|i| {
            let mut phi = Rational::zero();
            for s in 0..n {
                // Σ_{S∌i,|S|=s} v(S∪i) − v(S).
                let without = &sums.total[s] - &sums.with[i][s];
                let diff = &sums.with[i][s + 1] - without;
                if !diff.is_zero() {
                    phi += diff * Rational::new(&fact[s] * &fact[n - 1 - s], fact[n].clone());
                }
            }
            phi
        })
        .collect()
}

/// The Banzhaf value (J. F. Banzhaf III, 1965; as a value for TU games,
/// G. Owen, "Multilinear extensions and the Banzhaf value", *Naval Research
/// Logistics Quarterly* 22 (1975) 741–750):
/// `β_i = 2^{1−n} Σ_{S∌i} (v(S ∪ {i}) − v(S))`. Not efficient in general.
pub fn banzhaf_value(game: &TuGame) -> Vec<Rational> {
    let n = game.num_players();
    let sums = size_sums(game);
    let scale = Rational::new(BigInt::one(), BigInt::one() << (n - 1));
    (0..n)
        .map(|i| {
            let mut b = Rational::zero();
            for s in 0..n {
                let without = &sums.total[s] - &sums.with[i][s];
                b += &sums.with[i][s + 1] - without;
            }
            b * &scale
        })
        .collect()
}

/// A sampled estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Sample mean.
    pub mean: f64,
    /// Half-width of the 95% confidence interval (1.96 standard errors).
    pub half_width: f64,
}

/// Estimates the Shapley value from `samples` random orderings (seeded,
/// reproducible). Each ordering costs `n` evaluations of `v`.
pub fn shapley_sample<G: Characteristic + ?Sized>(
    game: &G,
    samples: usize,
    seed: u64,
) -> Result<Vec<Estimate>, GameError> {
    let n = game.num_players();
    if n == 0 {
        return Err(GameError::Invalid(
            "a coalitional game needs at least one player".into(),
        ));
    }
    if samples < 2 {
        return Err(GameError::Invalid(
            "the sampling estimate needs at least 2 samples".into(),
        ));
    }
    let mut rng = SplitMix64::new(seed);
    let mut sum = vec![0.0f64; n];
    let mut sum_sq = vec![0.0f64; n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut coalition = vec![false; n];
    for _ in 0..samples {
        rng.shuffle(&mut order);
        coalition.iter_mut().for_each(|c| *c = false);
        let mut prev = game.value(&coalition);
        for &i in &order {
            coalition[i] = true;
            let v = game.value(&coalition);
            let m = v - prev;
            sum[i] += m;
            sum_sq[i] += m * m;
            prev = v;
        }
    }
    let k = samples as f64;
    Ok((0..n)
        .map(|i| {
            let mean = sum[i] / k;
            let var = ((sum_sq[i] - k * mean * mean) / (k - 1.0)).max(0.0);
            Estimate {
                mean,
                half_width: 1.96 * (var / k).sqrt(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::parse_weighted_game;

    fn r(n: i64) -> Rational {
        Rational::from_integer(BigInt::from(n))
    }
    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }
    fn names(n: usize) -> Vec<String> {
        (1..=n).map(|i| i.to_string()).collect()
    }

    #[test]
    fn glove_game() {
        // Player 1 holds a left glove, 2 and 3 right gloves: (2/3, 1/6, 1/6).
        let g = TuGame::from_int_fn(names(3), 1, |m| {
            let l = (m & 1) as i64;
            let rr = ((m >> 1 & 1) + (m >> 2 & 1)) as i64;
            l.min(rr)
        })
        .unwrap();
        assert_eq!(shapley_value(&g), vec![q(2, 3), q(1, 6), q(1, 6)]);
        assert_eq!(banzhaf_value(&g), vec![q(3, 4), q(1, 4), q(1, 4)]);
    }

    #[test]
    fn bankruptcy_shapley_is_the_random_arrival_rule() {
        // Estate 200, claims 100, 200, 300: Shapley (O'Neill's random
        // arrival) = (33 1/3, 83 1/3, 83 1/3).
        let g = TuGame::bankruptcy(names(3), &r(200), &[r(100), r(200), r(300)]).unwrap();
        assert_eq!(shapley_value(&g), vec![q(100, 3), q(250, 3), q(250, 3)]);
    }

    #[test]
    fn rational_table_path_agrees() {
        // Values with a huge common denominator go through the rational path.
        let big = Rational::new(BigInt::one(), BigInt::one() << 80);
        let vals = vec![r(0), big.clone(), r(0), r(1)];
        let g = TuGame::new(names(2), vals).unwrap();
        assert!(g.exact_table().is_some());
        let phi = shapley_value(&g);
        assert_eq!(&phi[0] + &phi[1], r(1));
        assert_eq!(&phi[0] - &phi[1], big);
    }

    #[test]
    fn sampling_covers_the_exact_value() {
        let body = parse_weighted_game("t", "[6; 4, 3, 2, 1]").unwrap();
        let g = TuGame::from_body(&body).unwrap();
        let exact = shapley_value(&g);
        let est = shapley_sample(&body, 20_000, 7).unwrap();
        for (e, x) in est.iter().zip(&exact) {
            let x = detente_game::number::rational_to_f64(x);
            assert!(
                (e.mean - x).abs() <= 1.5 * e.half_width + 1e-12,
                "{e:?} vs {x}"
            );
            assert!(e.half_width < 0.02);
        }
        assert!(shapley_sample(&body, 1, 7).is_err());
    }
}
