//! Transferable-utility (TU) coalitional games given by their characteristic
//! function `v : 2ᴺ → ℚ`, `v(∅) = 0` (J. von Neumann and O. Morgenstern,
//! *Theory of Games and Economic Behavior*, 1944, ch. VI).
//!
//! A [`TuGame`] holds the whole table, indexed by bitmask (player `i` is bit
//! `i`), so it is limited to [`MAX_TABLE_PLAYERS`] players. Games with more
//! players are described by a [`Characteristic`] (a rule that computes
//! `v(S)`), which the sampling Shapley estimate accepts.

use crate::body::VotingBody;
use detente_game::{format_rational, GameError, Rational};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

/// Most players a full characteristic-function table may have (2²⁵ values).
pub const MAX_TABLE_PLAYERS: usize = 25;

/// The characteristic function stored as integers over one common
/// denominator when they fit in `i64`, else as rationals.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    Scaled { numer: Vec<i64>, denom: BigInt },
    Exact(Vec<Rational>),
}

/// A TU game with its full table of coalition values.
#[derive(Debug, Clone, PartialEq)]
pub struct TuGame {
    players: Vec<String>,
    values: Values,
}

impl TuGame {
    /// A game from a table: `values[mask]` is the value of the coalition
    /// whose members are the set bits of `mask`; `values[0]` must be 0.
    pub fn new(players: Vec<String>, values: Vec<Rational>) -> Result<Self, GameError> {
        let n = check_players(&players)?;
        if values.len() != 1usize << n {
            return Err(GameError::Invalid(format!(
                "a game of {n} players needs {} coalition values, not {}",
                1usize << n,
                values.len()
            )));
        }
        if !values[0].is_zero() {
            return Err(GameError::Invalid(format!(
                "the empty coalition must be worth 0, not {}",
                format_rational(&values[0])
            )));
        }
        let mut denom = BigInt::one();
        for v in &values {
            denom = denom.lcm(v.denom());
            if denom.bits() > 62 {
                break;
            }
        }
        let scaled: Option<Vec<i64>> = if denom.bits() <= 62 {
            let d = Rational::from_integer(denom.clone());
            values
                .iter()
                .map(|v| {
                    (v * &d)
                        .to_integer()
                        .to_i64()
                        .filter(|x| x.unsigned_abs() < (1u64 << 62))
                })
                .collect()
        } else {
            None
        };
        let values = match scaled {
            Some(numer) => Values::Scaled { numer, denom },
            None => {
                if n > 20 {
                    return Err(GameError::Invalid(format!(
                        "a game of {n} players with values that do not fit in 62-bit integers over a common \
                         denominator is too large (at most 20 players then)"
                    )));
                }
                Values::Exact(values)
            }
        };
        Ok(TuGame { players, values })
    }

    /// A game whose integer values over `denom` come from `f(mask)`.
    pub fn from_int_fn(
        players: Vec<String>,
        denom: i64,
        f: impl Fn(u32) -> i64,
    ) -> Result<Self, GameError> {
        let n = check_players(&players)?;
        if denom <= 0 {
            return Err(GameError::Invalid(
                "the common denominator must be positive".into(),
            ));
        }
        let numer: Vec<i64> = (0..(1u32 << n)).map(&f).collect();
        if numer[0] != 0 {
            return Err(GameError::Invalid(
                "the empty coalition must be worth 0".into(),
            ));
        }
        if numer.iter().any(|x| x.unsigned_abs() >= 1u64 << 62) {
            return Err(GameError::Invalid(
                "coalition values must be below 2^62 in magnitude".into(),
            ));
        }
        Ok(TuGame {
            players,
            values: Values::Scaled {
                numer,
                denom: BigInt::from(denom),
            },
        })
    }

    /// The simple game of a voting body: `v(S) = 1` if `S` passes a proposal.
    pub fn from_body(body: &VotingBody) -> Result<Self, GameError> {
        let n = body.len();
        if n > MAX_TABLE_PLAYERS {
            return Err(too_many(n));
        }
        TuGame::from_int_fn(body.members.clone(), 1, |mask| {
            let c: Vec<bool> = (0..n).map(|i| mask >> i & 1 == 1).collect();
            body.is_winning(&c) as i64
        })
    }

    /// The bankruptcy game of B. O'Neill ("A problem of rights arbitration
    /// from the Talmud", *Mathematical Social Sciences* 2 (1982) 345–371):
    /// an estate `E` and claims `d_i`; `v(S) = max(0, E − Σ_{i∉S} d_i)`.
    pub fn bankruptcy(
        players: Vec<String>,
        estate: &Rational,
        claims: &[Rational],
    ) -> Result<Self, GameError> {
        let n = check_players(&players)?;
        if claims.len() != n {
            return Err(GameError::Invalid(format!(
                "{} claims for {n} players",
                claims.len()
            )));
        }
        // Fast path: integers over a common denominator.
        let mut denom = BigInt::one();
        for c in claims.iter().chain(std::iter::once(estate)) {
            denom = denom.lcm(c.denom());
        }
        let d = Rational::from_integer(denom.clone());
        let scaled: Option<Vec<i64>> = claims
            .iter()
            .chain(std::iter::once(estate))
            .map(|c| {
                (c * &d)
                    .to_integer()
                    .to_i64()
                    .filter(|x| x.unsigned_abs() < 1u64 << 40)
            })
            .collect();
        if let (Some(sc), Some(den)) = (scaled, denom.to_i64()) {
            let (cl, e) = sc.split_at(n);
            let total: i64 = cl.iter().sum();
            let e = e[0];
            return TuGame::from_int_fn(players, den, |mask| {
                if mask == 0 {
                    return 0;
                }
                let inside: i64 = (0..n).filter(|i| mask >> i & 1 == 1).map(|i| cl[i]).sum();
                (e - (total - inside)).max(0)
            });
        }
        let values = (0..1usize << n)
            .map(|mask| {
                let out: Rational = (0..n)
                    .filter(|i| mask >> i & 1 == 0)
                    .map(|i| claims[i].clone())
                    .sum();
                let v = estate - out;
                if mask == 0 || v < Rational::zero() {
                    Rational::zero()
                } else {
                    v
                }
            })
            .collect();
        TuGame::new(players, values)
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Number of players.
    pub fn num_players(&self) -> usize {
        self.players.len()
    }

    /// `v(S)` for the coalition `mask`.
    pub fn value(&self, mask: usize) -> Rational {
        match &self.values {
            Values::Scaled { numer, denom } => {
                Rational::new(BigInt::from(numer[mask]), denom.clone())
            }
            Values::Exact(v) => v[mask].clone(),
        }
    }

    /// `v(S)` as `f64`.
    pub fn value_f64(&self, mask: usize) -> f64 {
        match &self.values {
            Values::Scaled { numer, denom } => {
                numer[mask] as f64 / denom.to_f64().unwrap_or(f64::INFINITY)
            }
            Values::Exact(v) => detente_game::number::rational_to_f64(&v[mask]),
        }
    }

    /// The grand coalition's mask.
    pub fn grand(&self) -> usize {
        (1usize << self.num_players()) - 1
    }

    /// The integer table and its denominator, if stored that way.
    pub(crate) fn scaled(&self) -> Option<(&[i64], &BigInt)> {
        match &self.values {
            Values::Scaled { numer, denom } => Some((numer, denom)),
            Values::Exact(_) => None,
        }
    }

    /// The rational table, if stored that way.
    pub(crate) fn exact_table(&self) -> Option<&[Rational]> {
        match &self.values {
            Values::Exact(v) => Some(v),
            Values::Scaled { .. } => None,
        }
    }

    /// Names of the members of `mask`, joined with `+`.
    pub fn coalition_name(&self, mask: usize) -> String {
        let names: Vec<&str> = (0..self.num_players())
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| self.players[i].as_str())
            .collect();
        if names.is_empty() {
            "{}".into()
        } else {
            names.join("+")
        }
    }

    /// Is the game superadditive (`v(S ∪ T) ≥ v(S) + v(T)` for disjoint
    /// `S`, `T`)? `O(3ⁿ)`; only call for small games.
    pub fn is_superadditive(&self) -> bool {
        let n = self.num_players();
        let full = (1usize << n) - 1;
        for s in 1..=full {
            let rest = full & !s;
            let mut t = rest;
            while t > 0 {
                if t > s && self.value(s | t) < self.value(s) + self.value(t) {
                    return false;
                }
                t = (t - 1) & rest;
            }
        }
        true
    }
}

pub(crate) fn too_many(n: usize) -> GameError {
    GameError::Invalid(format!(
        "{n} players is too many for a full coalition table (at most {MAX_TABLE_PLAYERS}: 2^{MAX_TABLE_PLAYERS} coalitions); \
         describe the game by a rule (weighted, bankruptcy) and use the sampling Shapley estimate"
    ))
}

fn check_players(players: &[String]) -> Result<usize, GameError> {
    let n = players.len();
    if n == 0 {
        return Err(GameError::Invalid(
            "a coalitional game needs at least one player".into(),
        ));
    }
    if n > MAX_TABLE_PLAYERS {
        return Err(too_many(n));
    }
    let mut seen = std::collections::HashSet::new();
    for p in players {
        if !seen.insert(p.as_str()) {
            return Err(GameError::Invalid(format!("player '{p}' is listed twice")));
        }
    }
    Ok(n)
}

/// A characteristic function given by a rule, for games too large for a
/// table.
pub trait Characteristic: Sync {
    /// Number of players.
    fn num_players(&self) -> usize;
    /// `v(S)` for the members flagged in `coalition`.
    fn value(&self, coalition: &[bool]) -> f64;
}

impl Characteristic for TuGame {
    fn num_players(&self) -> usize {
        self.players.len()
    }
    fn value(&self, coalition: &[bool]) -> f64 {
        let mask = coalition
            .iter()
            .enumerate()
            .filter(|(_, &b)| b)
            .fold(0usize, |m, (i, _)| m | 1 << i);
        self.value_f64(mask)
    }
}

impl Characteristic for VotingBody {
    fn num_players(&self) -> usize {
        self.len()
    }
    fn value(&self, coalition: &[bool]) -> f64 {
        self.is_winning(coalition) as u8 as f64
    }
}

/// A bankruptcy game by rule (any number of players).
#[derive(Debug, Clone)]
pub struct BankruptcyRule {
    pub estate: f64,
    pub claims: Vec<f64>,
}

impl Characteristic for BankruptcyRule {
    fn num_players(&self) -> usize {
        self.claims.len()
    }
    fn value(&self, coalition: &[bool]) -> f64 {
        let out: f64 = self
            .claims
            .iter()
            .zip(coalition)
            .filter(|(_, &b)| !b)
            .map(|(c, _)| c)
            .sum();
        (self.estate - out).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn r(n: i64) -> Rational {
        Rational::from_integer(BigInt::from(n))
    }

    #[test]
    fn table_storage_and_errors() {
        let g = TuGame::new(vec!["A".into(), "B".into()], vec![r(0), r(1), r(2), r(4)]).unwrap();
        assert!(g.scaled().is_some());
        assert_eq!(g.value(3), r(4));
        assert_eq!(g.coalition_name(3), "A+B");
        assert!(g.is_superadditive());
        assert!(TuGame::new(vec!["A".into()], vec![r(1), r(1)]).is_err());
        assert!(TuGame::new(vec!["A".into()], vec![r(0)]).is_err());
        assert!(TuGame::new(vec![], vec![r(0)]).is_err());
        let many: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        let e = TuGame::new(many, vec![]).unwrap_err().to_string();
        assert!(e.contains("too many"), "{e}");
    }

    #[test]
    fn bankruptcy_values() {
        let g = TuGame::bankruptcy(
            vec!["1".into(), "2".into(), "3".into()],
            &r(200),
            &[r(100), r(200), r(300)],
        )
        .unwrap();
        assert_eq!(g.value(0b111), r(200));
        assert_eq!(g.value(0b110), r(100));
        assert_eq!(g.value(0b001), r(0));
    }
}
