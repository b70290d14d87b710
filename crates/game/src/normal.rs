//! Normal-form (strategic) games with any number of players.
//!
//! Pure profiles are numbered as Gambit numbers them: player 1's strategy
//! varies fastest, then player 2's, and so on. Every cell holds an outcome
//! (or none, the null outcome that pays everyone 0); outcomes carry labels,
//! so both of Gambit's `.nfg` variants round-trip.

use crate::error::GameError;
use crate::number::{Rational, Scalar};
use num_traits::Zero;
use std::sync::OnceLock;

/// The largest number of pure profiles (table cells) a game may have:
/// 2^24, about 16.8 million, so a table of exact payoffs stays within a few
/// GiB. Larger games are refused with an error instead of exhausting memory.
pub const MAX_PROFILES: usize = 1 << 24;

/// An outcome: a label and one payoff per player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub label: String,
    pub payoffs: Vec<Rational>,
}

/// A finite game in normal form.
///
/// The payoffs are exact; their `f64` roundings, range and integrality are
/// computed once, when the game is built (as Gambit's `Number` keeps a
/// double beside each rational), and read by the floating-point methods
/// instead of converting the table at every call. Equality compares the
/// game itself, not these derived numbers.
#[derive(Debug, Clone)]
pub struct NormalFormGame {
    /// Title (Gambit's header string).
    pub title: String,
    /// Free-text comment (Gambit's optional description).
    pub comment: String,
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    /// The outcome list; for a game built from its payoff table (each cell
    /// its own unlabeled outcome, [`NormalFormGame::from_table`]) made from
    /// the table when first asked for.
    outcomes: OnceLock<Vec<Outcome>>,
    /// Outcome index per pure profile, `None` for the null outcome.
    cells: Vec<Option<usize>>,
    /// Dense payoffs: `payoffs[cell * n + player]`.
    payoffs: Vec<Rational>,
    /// Derived from `payoffs` at construction.
    rounded: Rounded,
}

/// The numbers a game's `f64` users need, derived from its exact payoffs.
#[derive(Debug, Clone)]
struct Rounded {
    /// `payoffs` through `rational_to_f64`, entry for entry.
    table: Vec<f64>,
    /// What [`NormalFormGame::payoff_range_f64`] returns.
    range: (f64, f64, f64),
    /// The largest magnitude of a payoff when every payoff is an integer
    /// that fits `i64`.
    integer_bound: Option<u64>,
}

impl Rounded {
    fn of(payoffs: &[Rational]) -> Self {
        let table: Vec<f64> = payoffs.iter().map(crate::number::rational_to_f64).collect();
        // The smallest and largest payoff when every payoff is an integer
        // that fits `i64` (`Some(None)`: no payoffs); `None` otherwise.
        let bounds: Option<Option<(i64, i64)>> =
            payoffs.iter().try_fold(None, |b: Option<(i64, i64)>, v| {
                let i = integer(v)?;
                Some(Some(b.map_or((i, i), |(lo, hi)| (lo.min(i), hi.max(i)))))
            });
        let exact = |x: i64| x.unsigned_abs() <= EXACT_INT.unsigned_abs();
        let range = match bounds {
            Some(None) => (0.0, 0.0, 0.0),
            // |lo|, |hi| ≤ 2^53, so hi - lo fits in i64; at most 2^53 it
            // is exact in f64 too (else the general path).
            Some(Some((lo, hi))) if exact(lo) && exact(hi) && hi - lo <= EXACT_INT => {
                (lo as f64, hi as f64, (hi - lo) as f64)
            }
            _ => {
                let (lo, hi) = range_near(payoffs, &table);
                let d = &hi - &lo;
                (lo.to_f64(), hi.to_f64(), d.to_f64())
            }
        };
        Rounded {
            table,
            range,
            integer_bound: bounds
                .map(|b| b.map_or(0, |(lo, hi)| lo.unsigned_abs().max(hi.unsigned_abs()))),
        }
    }
}

impl PartialEq for NormalFormGame {
    fn eq(&self, other: &Self) -> bool {
        // `rounded` is a function of `payoffs`.
        self.title == other.title
            && self.comment == other.comment
            && self.players == other.players
            && self.strategies == other.strategies
            && self.outcomes() == other.outcomes()
            && self.cells == other.cells
            && self.payoffs == other.payoffs
    }
}

impl Eq for NormalFormGame {}

/// Number of cells of a game of `n` players with these strategy lists, or
/// an error when the lists are not one per player or the table is too
/// large.
fn cell_count(n: usize, strategies: &[Vec<String>]) -> Result<usize, GameError> {
    if strategies.len() != n {
        return Err(GameError::Invalid(format!(
            "{} players but strategy lists for {}",
            n,
            strategies.len()
        )));
    }
    let shape: Vec<usize> = strategies.iter().map(|s| s.len()).collect();
    checked_profile_count(&shape)
}

/// Number of pure profiles of a game with these strategy counts, or an error
/// if it is zero-sized or larger than [`MAX_PROFILES`].
pub fn checked_profile_count(shape: &[usize]) -> Result<usize, GameError> {
    if shape.is_empty() {
        return Err(GameError::Invalid(
            "a game needs at least one player".into(),
        ));
    }
    let mut total: usize = 1;
    for (i, &k) in shape.iter().enumerate() {
        if k == 0 {
            return Err(GameError::Invalid(format!(
                "player {} has no strategies; every player needs at least one",
                i + 1
            )));
        }
        total = total
            .checked_mul(k)
            .filter(|&t| t <= MAX_PROFILES)
            .ok_or_else(|| {
                GameError::Invalid(format!(
                    "the game's table ({}) has more than {} cells, the most Detente holds",
                    shape
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join("x"),
                    MAX_PROFILES
                ))
            })?;
    }
    Ok(total)
}

impl NormalFormGame {
    /// A game from dense payoffs: `payoffs[cell][player]` with cells in
    /// Gambit order (player 1 fastest). Each cell gets its own unlabeled
    /// outcome.
    pub fn from_payoffs(
        players: Vec<String>,
        strategies: Vec<Vec<String>>,
        payoffs: Vec<Vec<Rational>>,
    ) -> Result<Self, GameError> {
        let n = players.len();
        let mut table = Vec::with_capacity(payoffs.len() * n);
        for (k, p) in payoffs.into_iter().enumerate() {
            if p.len() != n {
                return Err(GameError::Invalid(format!(
                    "outcome {} has {} payoffs, expected one per player ({})",
                    k + 1,
                    p.len(),
                    n
                )));
            }
            table.extend(p);
        }
        Self::from_table(players, strategies, table)
    }

    /// A game from its dense payoff table: `table[cell * n + player]`,
    /// cells in Gambit order. Each cell gets its own unlabeled outcome, as
    /// with [`NormalFormGame::from_payoffs`] (the outcome list is made from
    /// the table when first asked for).
    pub fn from_table(
        players: Vec<String>,
        strategies: Vec<Vec<String>>,
        table: Vec<Rational>,
    ) -> Result<Self, GameError> {
        let n = players.len();
        let total = cell_count(n, &strategies)?;
        if table.len() != total * n {
            return Err(GameError::Invalid(format!(
                "the table has {total} cells of {n} payoffs ({} numbers) but {} numbers were given",
                total * n,
                table.len()
            )));
        }
        let rounded = Rounded::of(&table);
        Ok(NormalFormGame {
            title: String::new(),
            comment: String::new(),
            players,
            strategies,
            outcomes: OnceLock::new(),
            cells: (0..total).map(Some).collect(),
            payoffs: table,
            rounded,
        })
    }

    /// A game from an outcome list and the outcome of each cell (`None`
    /// for the null outcome).
    pub fn from_outcomes(
        players: Vec<String>,
        strategies: Vec<Vec<String>>,
        outcomes: Vec<Outcome>,
        cells: Vec<Option<usize>>,
    ) -> Result<Self, GameError> {
        let n = players.len();
        let total = cell_count(n, &strategies)?;
        if cells.len() != total {
            return Err(GameError::Invalid(format!(
                "the table has {} cells but {} were given",
                total,
                cells.len()
            )));
        }
        for (k, o) in outcomes.iter().enumerate() {
            if o.payoffs.len() != n {
                return Err(GameError::Invalid(format!(
                    "outcome {} has {} payoffs, expected one per player ({})",
                    k + 1,
                    o.payoffs.len(),
                    n
                )));
            }
        }
        let mut payoffs = Vec::with_capacity(total * n);
        for c in &cells {
            match c {
                Some(k) => {
                    let o = outcomes.get(*k).ok_or_else(|| {
                        GameError::Invalid(format!(
                            "a cell refers to outcome {} but there are only {}",
                            k + 1,
                            outcomes.len()
                        ))
                    })?;
                    payoffs.extend(o.payoffs.iter().cloned());
                }
                None => payoffs.extend(std::iter::repeat_n(Rational::zero(), n)),
            }
        }
        let rounded = Rounded::of(&payoffs);
        Ok(NormalFormGame {
            title: String::new(),
            comment: String::new(),
            players,
            strategies,
            outcomes: OnceLock::from(outcomes),
            cells,
            payoffs,
            rounded,
        })
    }

    /// A game from one payoff array per player, as `Game.from_arrays` in
    /// pygambit: `tables[player][cell]` with cells in Gambit order. Players
    /// and strategies are labelled "1", "2", ...
    pub fn from_tables(shape: &[usize], tables: &[Vec<Rational>]) -> Result<Self, GameError> {
        let total = checked_profile_count(shape)?;
        if tables.len() != shape.len() || tables.iter().any(|t| t.len() != total) {
            return Err(GameError::Invalid(format!(
                "expected {} payoff tables of {} entries",
                shape.len(),
                total
            )));
        }
        let players = (1..=shape.len()).map(|i| i.to_string()).collect();
        let strategies = shape
            .iter()
            .map(|&k| (1..=k).map(|i| i.to_string()).collect())
            .collect();
        let payoffs = (0..total)
            .map(|c| tables.iter().map(|t| t[c].clone()).collect())
            .collect();
        Self::from_payoffs(players, strategies, payoffs)
    }

    pub fn num_players(&self) -> usize {
        self.players.len()
    }
    pub fn players(&self) -> &[String] {
        &self.players
    }
    pub fn strategies(&self) -> &[Vec<String>] {
        &self.strategies
    }
    /// Number of strategies of each player.
    pub fn shape(&self) -> Vec<usize> {
        self.strategies.iter().map(|s| s.len()).collect()
    }
    /// Number of pure profiles (cells).
    pub fn num_profiles(&self) -> usize {
        self.cells.len()
    }
    pub fn outcomes(&self) -> &[Outcome] {
        self.outcomes.get_or_init(|| {
            self.payoffs
                .chunks(self.players.len().max(1))
                .map(|p| Outcome {
                    label: String::new(),
                    payoffs: p.to_vec(),
                })
                .collect()
        })
    }
    /// Outcome index of each cell (`None`: the null outcome).
    pub fn cells(&self) -> &[Option<usize>] {
        &self.cells
    }

    /// Index of a pure profile (one strategy index per player).
    pub fn profile_index(&self, profile: &[usize]) -> usize {
        let mut idx = 0;
        let mut stride = 1;
        for (p, &s) in profile.iter().enumerate() {
            idx += s * stride;
            stride *= self.strategies[p].len();
        }
        idx
    }

    /// The pure profile at a cell index.
    pub fn profile_at(&self, mut index: usize) -> Vec<usize> {
        self.strategies
            .iter()
            .map(|s| {
                let k = s.len();
                let v = index % k;
                index /= k;
                v
            })
            .collect()
    }

    /// Stride of a player's strategy index in the cell numbering.
    pub fn stride(&self, player: usize) -> usize {
        self.strategies[..player].iter().map(|s| s.len()).product()
    }

    /// Payoff to `player` at cell `cell`.
    pub fn payoff(&self, cell: usize, player: usize) -> &Rational {
        &self.payoffs[cell * self.players.len() + player]
    }

    /// Payoffs of all players at a cell.
    pub fn payoffs_at(&self, cell: usize) -> &[Rational] {
        let n = self.players.len();
        &self.payoffs[cell * n..(cell + 1) * n]
    }

    /// The whole table converted to `T`, `[cell * n + player]`.
    pub fn payoff_table<T: Scalar>(&self) -> Vec<T> {
        self.payoffs
            .iter()
            .zip(&self.rounded.table)
            .map(|(r, &x)| T::from_payoff(r, x))
            .collect()
    }

    /// The table in `f64`, `[cell * n + player]`: each payoff's nearest
    /// `f64` (bit for bit `payoff_table::<f64>()`), computed when the game
    /// was built.
    pub fn payoff_table_f64(&self) -> &[f64] {
        &self.rounded.table
    }

    /// Payoff to `player` at cell `cell` as `T` (from the `f64` table for
    /// floats, exactly for rationals).
    pub fn payoff_as<T: Scalar>(&self, cell: usize, player: usize) -> T {
        let i = cell * self.players.len() + player;
        T::from_payoff(&self.payoffs[i], self.rounded.table[i])
    }

    /// The largest magnitude of a payoff when every payoff is an integer
    /// that fits `i64`; `None` when some payoff is a fraction or a larger
    /// integer.
    pub fn integer_payoff_bound(&self) -> Option<u64> {
        self.rounded.integer_bound
    }

    /// Payoff matrices of a two-player game, row-major: `(A, B)` with
    /// `A[i * cols + j]` the row player's payoff when row plays `i` and
    /// column plays `j`. `None` unless the game has two players.
    pub fn bimatrix<T: Scalar>(&self) -> Option<(Vec<T>, Vec<T>)> {
        if self.players.len() != 2 {
            return None;
        }
        let (m, n) = (self.strategies[0].len(), self.strategies[1].len());
        let mut a = Vec::with_capacity(m * n);
        let mut b = Vec::with_capacity(m * n);
        for i in 0..m {
            for j in 0..n {
                let c = i + j * m;
                a.push(self.payoff_as::<T>(c, 0));
                b.push(self.payoff_as::<T>(c, 1));
            }
        }
        Some((a, b))
    }

    /// Smallest and largest payoff in the game.
    ///
    /// Exact, but only the payoffs whose `f64` value is within a relative
    /// `1e-9` of the extreme ones are compared exactly (by
    /// cross-multiplication): big-rational comparisons of every payoff
    /// dominated the set-up of methods on games with fractional payoffs.
    pub fn payoff_range(&self) -> (Rational, Rational) {
        range_near(&self.payoffs, &self.rounded.table)
    }

    /// Smallest payoff, largest payoff and their difference, each the
    /// nearest `f64` of the exact number: bit for bit
    /// `(lo.to_f64(), hi.to_f64(), (hi - lo).to_f64())` with
    /// `(lo, hi) =` [`Self::payoff_range`], computed when the game was built
    /// (without big-rational arithmetic when every payoff is an integer of
    /// magnitude at most 2^53).
    pub fn payoff_range_f64(&self) -> (f64, f64, f64) {
        self.rounded.range
    }

    /// Whether payoffs sum to the same constant in every cell.
    pub fn is_constant_sum(&self) -> bool {
        let n = self.players.len();
        let sum = |c: usize| -> Rational { self.payoffs[c * n..(c + 1) * n].iter().sum() };
        let first = sum(0);
        (1..self.cells.len()).all(|c| sum(c) == first)
    }

    /// The game restricted to the given strategies of each player (indices
    /// into the original lists, kept in the order given). Used by dominance
    /// elimination; outcomes and labels are kept.
    pub fn restrict(&self, keep: &[Vec<usize>]) -> Result<Self, GameError> {
        let strategies: Vec<Vec<String>> = keep
            .iter()
            .enumerate()
            .map(|(p, ks)| ks.iter().map(|&s| self.strategies[p][s].clone()).collect())
            .collect();
        let shape: Vec<usize> = strategies.iter().map(|s| s.len()).collect();
        let total = checked_profile_count(&shape)?;
        let mut cells = Vec::with_capacity(total);
        let mut sub = vec![0usize; keep.len()];
        for _ in 0..total {
            let orig: Vec<usize> = sub.iter().enumerate().map(|(p, &s)| keep[p][s]).collect();
            cells.push(self.cells[self.profile_index(&orig)]);
            for (p, s) in sub.iter_mut().enumerate() {
                *s += 1;
                if *s < shape[p] {
                    break;
                }
                *s = 0;
            }
        }
        let mut g = Self::from_outcomes(
            self.players.clone(),
            strategies,
            self.outcomes().to_vec(),
            cells,
        )?;
        g.title = self.title.clone();
        g.comment = self.comment.clone();
        Ok(g)
    }

    /// Replaces player labels (used by readers).
    pub fn set_players(&mut self, players: Vec<String>) {
        assert_eq!(players.len(), self.players.len());
        self.players = players;
    }
}

/// Integers and fractions whose terms are at most this in magnitude convert
/// to `f64` exactly.
const EXACT_INT: i64 = 1 << 53;

/// `r` as a machine integer when it is an integer that fits `i64`.
fn integer(r: &Rational) -> Option<i64> {
    use num_traits::{One, ToPrimitive};
    if !r.denom().is_one() {
        return None;
    }
    r.numer().to_i64()
}

/// The exact smallest and largest of `payoffs`, whose `f64` roundings
/// (`rational_to_f64`) are `approx`.
fn range_near(payoffs: &[Rational], approx: &[f64]) -> (Rational, Rational) {
    let Some(first) = payoffs.first() else {
        return (Rational::zero(), Rational::zero());
    };
    // `rational_to_f64` is within a few units in the last place of the
    // exact value (or infinite beyond f64's range), so the exact
    // extremes are among the values whose approximations are this
    // close to the extreme approximation (NaN, which cannot occur, is
    // kept as a candidate too).
    let near = |x: f64, m: f64| {
        x == m
            || x.is_nan()
            || m.is_infinite()
            || (x - m).abs() <= 1e-9 * x.abs().max(m.abs()) + 1e-300
    };
    let amin = approx.iter().copied().fold(f64::INFINITY, f64::min);
    let amax = approx.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let less = |a: &Rational, b: &Rational| a.numer() * b.denom() < b.numer() * a.denom();
    let mut lo = first;
    let mut hi = first;
    let mut lo_set = false;
    let mut hi_set = false;
    for (v, &x) in payoffs.iter().zip(approx) {
        if near(x, amin) && (!lo_set || less(v, lo)) {
            lo = v;
            lo_set = true;
        }
        if near(x, amax) && (!hi_set || less(hi, v)) {
            hi = v;
            hi_set = true;
        }
    }
    (lo.clone(), hi.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    fn r(v: i64) -> Rational {
        Rational::from_integer(BigInt::from(v))
    }

    /// Selten's Figure 2 in normal form, from Gambit's format documentation.
    fn selten() -> NormalFormGame {
        let pay = [1, 1, 0, 2, 0, 2, 1, 1, 0, 3, 2, 0];
        let payoffs = pay.chunks(2).map(|c| vec![r(c[0]), r(c[1])]).collect();
        NormalFormGame::from_payoffs(
            vec!["Player 1".into(), "Player 2".into()],
            vec![
                vec!["1".into(), "2".into(), "3".into()],
                vec!["1".into(), "2".into()],
            ],
            payoffs,
        )
        .unwrap()
    }

    #[test]
    fn a_game_from_its_table_is_the_game_from_its_outcomes() {
        let g = selten();
        let players = g.players().to_vec();
        let strategies = g.strategies().to_vec();
        let table: Vec<Rational> = (0..g.num_profiles())
            .flat_map(|c| g.payoffs_at(c).to_vec())
            .collect();
        let t =
            NormalFormGame::from_table(players.clone(), strategies.clone(), table.clone()).unwrap();
        // The outcome list is made on demand: one unlabeled outcome per cell.
        assert_eq!(t.outcomes().len(), 6);
        assert!(t.outcomes().iter().all(|o| o.label.is_empty()));
        assert_eq!(t, g);
        assert_eq!(t.payoff_table_f64(), g.payoff_table_f64());
        let err = NormalFormGame::from_table(players, strategies, table[1..].to_vec())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("12 numbers") && err.contains("11 numbers"),
            "{err}"
        );
    }

    #[test]
    fn the_f64_table_and_range_are_the_exact_ones_rounded() {
        let q = |n: i64, d: i64| Rational::new(BigInt::from(n), BigInt::from(d));
        let big = Rational::from_integer(BigInt::from(10).pow(20) + 1);
        for (vals, bound) in [
            (vec![r(3), r(-5), r(7), r(0)], Some(7u64)),
            (vec![q(1, 3), r(-5), q(22, 7), r(2)], None),
            (vec![big.clone(), r(1), -big, r(0)], None),
            // The most negative i64: its magnitude is 2^63.
            (vec![r(i64::MIN), r(1), r(2), r(0)], Some(1u64 << 63)),
        ] {
            let g = game_of(vals.clone());
            let want: Vec<u64> = vals.iter().map(|v| v.to_f64().to_bits()).collect();
            let have: Vec<u64> = g.payoff_table_f64().iter().map(|v| v.to_bits()).collect();
            assert_eq!(have, want);
            let (lo, hi) = g.payoff_range();
            let (flo, fhi, frange) = g.payoff_range_f64();
            assert_eq!(flo.to_bits(), lo.to_f64().to_bits());
            assert_eq!(fhi.to_bits(), hi.to_f64().to_bits());
            assert_eq!(frange.to_bits(), (&hi - &lo).to_f64().to_bits());
            assert_eq!(g.integer_payoff_bound(), bound);
        }
    }

    #[test]
    fn profiles_are_numbered_player_one_fastest() {
        let g = selten();
        assert_eq!(g.num_profiles(), 6);
        assert_eq!(g.profile_at(1), vec![1, 0]);
        assert_eq!(g.profile_index(&[2, 1]), 5);
        assert_eq!(g.payoffs_at(5), &[r(2), r(0)]);
        let (a, b) = g.bimatrix::<Rational>().unwrap();
        assert_eq!(a[2 * 2 + 1], r(2));
        assert_eq!(b[2], r(2));
        assert!(!g.is_constant_sum());
    }

    #[test]
    fn restriction_keeps_cells() {
        let g = selten();
        let h = g.restrict(&[vec![2, 0], vec![1]]).unwrap();
        assert_eq!(h.shape(), vec![2, 1]);
        assert_eq!(h.payoffs_at(0), &[r(2), r(0)]);
        assert_eq!(h.payoffs_at(1), &[r(1), r(1)]);
    }

    #[test]
    fn oversized_tables_are_refused() {
        let e = checked_profile_count(&[1 << 13, 1 << 13, 2]).unwrap_err();
        assert!(e.to_string().contains("more than"));
        assert!(checked_profile_count(&[usize::MAX, 3]).is_err());
        assert!(checked_profile_count(&[3, 0]).is_err());
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    fn game_of(vals: Vec<Rational>) -> NormalFormGame {
        let cells = vals.len() / 2;
        let (a, b): (Vec<_>, Vec<_>) = vals.chunks(2).map(|c| (c[0].clone(), c[1].clone())).unzip();
        NormalFormGame::from_tables(&[cells, 1], &[a, b]).unwrap()
    }

    fn general_range(g: &NormalFormGame) -> (u64, u64, u64) {
        let (lo, hi) = g.payoff_range();
        let d = &hi - &lo;
        (
            lo.to_f64().to_bits(),
            hi.to_f64().to_bits(),
            d.to_f64().to_bits(),
        )
    }

    /// The table converted through big-integer conversions (the general
    /// path of `rational_to_f64`, without its machine-integer shortcut).
    fn general_table(g: &NormalFormGame) -> Vec<u64> {
        g.payoffs
            .iter()
            .map(|x| crate::number::rational_to_f64_general(x).to_bits())
            .collect()
    }

    fn fast_range(g: &NormalFormGame) -> (u64, u64, u64) {
        let (a, b, c) = g.payoff_range_f64();
        (a.to_bits(), b.to_bits(), c.to_bits())
    }

    #[test]
    fn f64_table_and_range_equal_the_general_conversion_bit_for_bit() {
        let big = |s: &str| s.parse::<BigInt>().unwrap();
        let q = |n: BigInt, d: BigInt| Rational::new(n, d);
        let two53 = BigInt::from(1i64 << 53);
        let cases: Vec<Vec<Rational>> = vec![
            vec![r(3), r(-7), r(0), r(12), r(-1), r(5)],
            vec![
                q(BigInt::from(1), BigInt::from(3)),
                q(BigInt::from(-22), BigInt::from(7)),
                r(2),
                q(BigInt::from(9_007_199_254_740_991i64), BigInt::from(10)),
            ],
            // Terms just above 2^53, and huge ones.
            vec![
                q(&two53 + BigInt::from(1), BigInt::from(1)),
                q(-(&two53 + BigInt::from(3)), BigInt::from(1)),
                q(BigInt::from(5), &two53 + BigInt::from(7)),
                q(big("123456789012345678901234567890123"), big("7")),
                q(big("1"), big("98765432109876543210987654321")),
                q(big("-3").pow(700), big("2").pow(1100) + BigInt::from(1)),
            ],
            // Range above 2^53 with both bounds within it.
            vec![r(1i64 << 53), r(-(1i64 << 53)), r(0), r(1)],
            vec![r(4), r(4)],
        ];
        for vals in cases {
            let g = game_of(vals);
            assert_eq!(bits(&g.payoff_table::<f64>()), general_table(&g));
            assert_eq!(fast_range(&g), general_range(&g));
        }
    }

    proptest::proptest! {
        #[test]
        fn f64_table_matches_on_random_fractions(
            v in proptest::collection::vec((-(1i64 << 60)..(1i64 << 60), 1i64..(1i64 << 58)), 2..12),
            ints in proptest::bool::ANY,
        ) {
            let vals: Vec<Rational> = v
                .iter()
                .take(v.len() / 2 * 2)
                .map(|&(n, d)| {
                    if ints {
                        r(n)
                    } else {
                        Rational::new(BigInt::from(n), BigInt::from(d))
                    }
                })
                .collect();
            let g = game_of(vals);
            proptest::prop_assert_eq!(bits(&g.payoff_table::<f64>()), general_table(&g));
            proptest::prop_assert_eq!(fast_range(&g), general_range(&g));
        }

        /// The filtered exact range equals the plain fold over exact
        /// comparisons, also when payoffs differ far below f64's precision
        /// (a/b and a/b ± 1/(b·10^30)) and beyond its range.
        #[test]
        fn payoff_range_is_the_exact_range(
            v in proptest::collection::vec((-1000i64..1000, 1i64..50, 0u8..4), 2..16),
        ) {
            let tiny = Rational::new(BigInt::from(1), BigInt::from(10).pow(30));
            let huge = Rational::from_integer(BigInt::from(10).pow(400));
            let vals: Vec<Rational> = v
                .iter()
                .take(v.len() / 2 * 2)
                .map(|&(n, d, k)| {
                    let base = Rational::new(BigInt::from(n % 7), BigInt::from(d % 3 + 1));
                    match k {
                        0 => base,
                        1 => base + &tiny * Rational::from_integer(BigInt::from(n)),
                        2 => base - &tiny / Rational::from_integer(BigInt::from(d)),
                        _ => &huge * Rational::from_integer(BigInt::from(n.signum())) + base,
                    }
                })
                .collect();
            let g = game_of(vals.clone());
            let lo = vals.iter().min().cloned();
            let hi = vals.iter().max().cloned();
            let (glo, ghi) = g.payoff_range();
            proptest::prop_assert_eq!(Some(glo), lo);
            proptest::prop_assert_eq!(Some(ghi), hi);
        }
    }
}
