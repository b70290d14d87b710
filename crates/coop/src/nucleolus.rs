//! The nucleolus (D. Schmeidler, "The nucleolus of a characteristic function
//! game", *SIAM Journal on Applied Mathematics* 17 (1969) 1163–1170): the
//! imputation that lexicographically minimizes the vector of excesses
//! `e(S, x) = v(S) − x(S)` sorted in decreasing order.
//!
//! Computed by the sequence of linear programs of M. Maschler, B. Peleg and
//! L. S. Shapley (1979): minimize the largest excess `ε_k` over the
//! coalitions not yet fixed; every coalition with positive weight in the
//! optimal dual solution has excess `ε_k` at every optimum (complementary
//! slackness), so it is fixed at that level; coalitions whose indicator
//! vectors lie in the span of the fixed ones have constant excess and are
//! dropped. Each round raises the rank of the fixed set, so at most `n`
//! exact LPs ([`crate::simplex`]) are solved.

use crate::core::{check_lp_size, excess_lp, proper_coalitions};
use crate::tu::TuGame;
use detente_game::{format_rational, GameError, Rational};
use num_traits::{Signed, Zero};

/// The nucleolus and the excess levels met on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Nucleolus {
    /// The nucleolus.
    pub point: Vec<Rational>,
    /// `ε₁ > ε₂ > …`: the largest excess, then the next, as fixed by each LP.
    pub levels: Vec<Rational>,
}

/// Row-echelon basis over the rationals, for rank tests.
struct Span {
    rows: Vec<(usize, Vec<Rational>)>, // (pivot column, row)
}

impl Span {
    fn new() -> Self {
        Span { rows: Vec::new() }
    }
    fn reduce(&self, mut v: Vec<Rational>) -> Vec<Rational> {
        for (p, row) in &self.rows {
            if !v[*p].is_zero() {
                let f = v[*p].clone() / &row[*p];
                for (a, b) in v.iter_mut().zip(row) {
                    if !b.is_zero() {
                        *a -= &f * b;
                    }
                }
            }
        }
        v
    }
    /// Adds `v`; returns `false` if it was already in the span.
    fn insert(&mut self, v: Vec<Rational>) -> bool {
        let v = self.reduce(v);
        match v.iter().position(|x| !x.is_zero()) {
            Some(p) => {
                self.rows.push((p, v));
                true
            }
            None => false,
        }
    }
    fn contains(&self, v: Vec<Rational>) -> bool {
        self.reduce(v).iter().all(|x| x.is_zero())
    }
    fn rank(&self) -> usize {
        self.rows.len()
    }
}

fn indicator(n: usize, mask: usize) -> Vec<Rational> {
    (0..n)
        .map(|i| Rational::from_integer(((mask >> i & 1) as i64).into()))
        .collect()
}

/// The nucleolus of a game with a non-empty imputation set
/// (`v(N) ≥ Σ v({i})`).
pub fn nucleolus(game: &TuGame) -> Result<Nucleolus, GameError> {
    check_lp_size(game)?;
    let n = game.num_players();
    let singles: Rational = (0..n).map(|i| game.value(1 << i)).sum();
    let grand = game.value(game.grand());
    if grand < singles {
        return Err(GameError::Invalid(format!(
            "the game has no imputations: v(N) = {} is less than the sum of the players' own values {}",
            format_rational(&grand),
            format_rational(&singles)
        )));
    }
    if n == 1 {
        return Ok(Nucleolus {
            point: vec![grand],
            levels: vec![],
        });
    }
    let mut span = Span::new();
    span.insert(indicator(n, game.grand()));
    let mut fixed: Vec<(usize, Rational)> = vec![(game.grand(), Rational::zero())];
    let mut active = proper_coalitions(n);
    let mut levels = Vec::new();
    let mut point = Vec::new();
    while span.rank() < n && !active.is_empty() {
        let lp = excess_lp(game, &active, &fixed, true)?;
        let eps = lp.epsilon.clone();
        let mut progressed = false;
        for (k, w) in lp.weights.iter().enumerate() {
            if w.is_positive() {
                let s = active[k];
                if span.insert(indicator(n, s)) {
                    progressed = true;
                }
                fixed.push((s, eps.clone()));
            }
        }
        point = lp.x;
        levels.push(eps);
        if !progressed {
            // Cannot happen for a correct LP solution (the dual weights sum
            // to 1 over coalitions outside the span); guard against a loop.
            return Err(GameError::Invalid(
                "nucleolus: the linear programs made no progress (internal error)".into(),
            ));
        }
        active.retain(|&s| !span.contains(indicator(n, s)));
    }
    if point.is_empty() {
        // Only possible when every proper coalition was in the span at the
        // start, which needs n = 1.
        point = vec![grand];
    }
    Ok(Nucleolus { point, levels })
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

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
    fn talmud_bankruptcy_problems() {
        // Aumann and Maschler (1985): the Talmud's division of estates 100,
        // 200, 300 among claims 100, 200, 300 is the nucleolus.
        let claims = [r(100), r(200), r(300)];
        for (estate, expect) in [
            (100, vec![q(100, 3), q(100, 3), q(100, 3)]),
            (200, vec![r(50), r(75), r(75)]),
            (300, vec![r(50), r(100), r(150)]),
        ] {
            let g = TuGame::bankruptcy(names(3), &r(estate), &claims).unwrap();
            assert_eq!(nucleolus(&g).unwrap().point, expect, "estate {estate}");
        }
    }

    #[test]
    fn glove_and_majority() {
        let g = TuGame::from_int_fn(names(3), 1, |m| {
            ((m & 1) as i64).min(((m >> 1 & 1) + (m >> 2 & 1)) as i64)
        })
        .unwrap();
        assert_eq!(nucleolus(&g).unwrap().point, vec![r(1), r(0), r(0)]);
        let g = TuGame::from_int_fn(names(3), 1, |m| (m.count_ones() >= 2) as i64).unwrap();
        let nu = nucleolus(&g).unwrap();
        assert_eq!(nu.point, vec![q(1, 3), q(1, 3), q(1, 3)]);
        assert_eq!(nu.levels[0], q(1, 3));
    }

    #[test]
    fn no_imputations() {
        let g = TuGame::from_int_fn(names(2), 1, |m| match m {
            1 | 2 => 2,
            3 => 1,
            _ => 0,
        })
        .unwrap();
        assert!(nucleolus(&g)
            .unwrap_err()
            .to_string()
            .contains("no imputations"));
    }
}
