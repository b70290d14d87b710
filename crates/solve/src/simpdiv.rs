//! Simplicial subdivision with restarts for n-player games.
//!
//! The variable-dimension restart algorithm of G. van der Laan, A. J. J.
//! Talman and L. van der Heyden, "Simplicial variable dimension algorithms
//! for solving the nonlinear complementarity problem on a product of unit
//! simplices using a general labelling", *Mathematics of Operations
//! Research* 12 (1987) 377–397, with the choices of R. D. McKelvey's
//! implementation that Gambit's `gambit-simpdiv` (and pygambit's
//! `simpdiv_solve`) runs, so that a run started where Gambit starts ends at
//! Gambit's equilibrium:
//!
//! - **Grid.** A run works on the grid of mesh `d` around a restart point
//!   `v`; the first mesh is `1 / (lcd · refine)`, where `lcd` is the least
//!   common denominator of the start's probabilities, and every later run
//!   restarts from the previous run's best point on a grid `refine` times
//!   finer. The runs stop when the best point's max regret is at most
//!   `gambit_regret` times the payoff range (pygambit's `maxregret`,
//!   `1e-7`).
//! - **Directions.** Player `j`'s moves are the ring `e_{jh} − e_{j,b(h)}`,
//!   where `b(h)` is the cyclic predecessor of `h` among the strategies not
//!   on the boundary (the van der Laan–Talman "vector labelling" system
//!   with cyclic directions). A simplex is a base point plus a sequence of
//!   moves `π_1, …, π_t`; `T` is the set of strategies whose direction is in
//!   use, `U` the strategies held at zero on the boundary.
//! - **Labels.** A grid point gets the label `(j, h)` of the player with the
//!   largest regret `max_h u_j(h, y_{−j}) − u_j(y)` (the first player on a
//!   tie) and that player's best response (the first on a tie).
//! - **Pivots.** Complementary pivoting from the 0-simplex `{v}`: a fresh
//!   label outside `T ∪ U` raises the dimension, a label already in use
//!   replaces the other vertex with that label, a move that would leave the
//!   simplex of probabilities (or go further than the *leash*, 32,000 grid
//!   steps by default, as Gambit) lowers the dimension or puts the
//!   strategy on the boundary. The run ends when the labels of one player
//!   are complete (all but one of that player's strategies in `T ∪ U`), and
//!   returns the best labelled point (least max regret, the first on a tie).
//!
//! Gambit computes every label in exact rational arithmetic. Here a grid
//! point is a vector of integers (multiples of `d`), a label is computed in
//! `f64` with a rigorous bound on its rounding error, and every decision
//! the bound cannot settle (ties between strategies, players or points,
//! frequent in games with integer payoffs) is recomputed exactly in
//! integers (`i128`, or big integers where those could overflow), so the
//! path is the exact path.
//!
//! After the runs, the best grid point is polished by Newton's method on
//! its support ([`refine_on_support`]) and verified independently; when the
//! polish fails, the grid keeps being refined (where Gambit would stop and
//! return the grid point) until it succeeds or the budget runs out.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::{Budget, Meter};
use crate::equilibrium::SolveError;
use crate::nplayer_util::{refine_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64};
use detente_game::{NormalFormGame, Rational};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::ops::{Add, Mul, Sub};

/// Where a run of simplicial subdivision starts.
#[derive(Debug, Clone, PartialEq)]
pub enum SimpdivStart {
    /// Every player plays their first strategy: Gambit's command-line
    /// default (`gambit-simpdiv` without `-s`).
    FirstStrategies,
    /// The uniform mixture for every player: `game.mixed_strategy_profile()`,
    /// the start pygambit's documentation uses.
    Centroid,
    /// A given profile of exact probabilities, `[player][strategy]`
    /// (each player's entries nonnegative with a positive sum; they are
    /// normalised).
    Profile(Vec<Vec<Rational>>),
}

/// Options of [`simpdiv`].
#[derive(Debug, Clone, PartialEq)]
pub struct SimpdivOptions {
    /// Starts; empty means [`SimpdivStart::FirstStrategies`].
    pub starts: Vec<SimpdivStart>,
    /// Additional seeded random starts (rational profiles, denominators up
    /// to 16 per strategy).
    pub random_starts: usize,
    /// Seed of the random starts.
    pub seed: u64,
    /// Grid refinement factor between runs (Gambit's `refine`, at least 2).
    pub refine: u32,
    /// Largest distance, in grid steps, a probability may fall below the
    /// restart point within one run; `None` for no limit. Gambit's default
    /// (`leash` not given) is 32,000.
    pub leash: Option<u64>,
    /// Gambit's stopping rule: refine until the best grid point's max
    /// regret is at most this times the payoff range (pygambit's
    /// `maxregret`, `1e-7`).
    pub gambit_regret: f64,
    /// Acceptance tolerance of the answer after the polish: max regret
    /// relative to the payoff range.
    pub max_regret: f64,
    /// Label evaluations and time (shared by all starts).
    pub budget: Budget,
}

impl Default for SimpdivOptions {
    fn default() -> Self {
        SimpdivOptions {
            starts: Vec::new(),
            random_starts: 0,
            seed: 0,
            refine: 2,
            leash: Some(32_000),
            gambit_regret: 1e-7,
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            budget: Budget::default(),
        }
    }
}

/// Largest grid denominator (`1 / d`) a run may use: grid points are
/// `i64` vectors and their `f64` images must stay meaningful.
const MAX_DENOMINATOR: i64 = 1 << 52;

/// The game's payoffs as integers (all payoffs times the least common
/// multiple of their denominators), for exact labels.
struct ExactPayoffs {
    /// `a[cell * n + player]`.
    big: Vec<BigInt>,
    /// The same in `i64` when every entry fits in 62 bits.
    small: Option<Vec<i64>>,
    /// Bits of the largest absolute entry.
    bits: u64,
    /// Largest minus smallest entry (the payoff range, scaled).
    range: BigInt,
}

impl ExactPayoffs {
    fn new(game: &NormalFormGame) -> Self {
        let n = game.num_players();
        let cells = game.num_profiles();
        let mut lcm = BigInt::one();
        for c in 0..cells {
            for p in 0..n {
                lcm = lcm.lcm(game.payoff(c, p).denom());
            }
        }
        let mut big = Vec::with_capacity(cells * n);
        for c in 0..cells {
            for p in 0..n {
                let q = game.payoff(c, p);
                big.push(q.numer() * (&lcm / q.denom()));
            }
        }
        let max = big.iter().max().cloned().unwrap_or_default();
        let min = big.iter().min().cloned().unwrap_or_default();
        let bits = big.iter().map(|a| a.bits()).max().unwrap_or(0);
        let small = if bits <= 62 {
            big.iter().map(|a| a.to_i64()).collect()
        } else {
            None
        };
        ExactPayoffs {
            big,
            small,
            bits,
            range: max - min,
        }
    }
}

/// Integers the exact labels are computed in.
trait Exact:
    Clone + Ord + Zero + From<i64> + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self>
{
    fn into_big(self) -> BigInt;
}

impl Exact for i128 {
    fn into_big(self) -> BigInt {
        BigInt::from(self)
    }
}

impl Exact for BigInt {
    fn into_big(self) -> BigInt {
        self
    }
}

/// A label and the max regret of the labelled point.
#[derive(Debug, Clone)]
struct Label {
    /// Flat index of the label's strategy.
    strategy: usize,
    /// Max regret in the rescaled game (payoff range 1), rounded.
    regret: f64,
    /// The exact max regret times `N^n · lcm` (`N = 1 / d`), when computed.
    exact: Option<BigInt>,
}

/// Computes labels of grid points: in `f64` with an error bound, exactly
/// where the bound cannot decide.
struct Labeler<'a> {
    t: &'a PayoffTensor,
    game: &'a NormalFormGame,
    /// The exact payoffs, built at the first exact label (generic games
    /// may never need them).
    exact: Option<ExactPayoffs>,
    /// Bound on the rounding error of a strategy value (rescaled game).
    err: f64,
    x: Vec<f64>,
    vals: Vec<f64>,
    /// Exact labels computed (diagnostics).
    exact_labels: u64,
}

impl<'a> Labeler<'a> {
    fn new(t: &'a PayoffTensor, game: &'a NormalFormGame) -> Self {
        // A strategy value is a sum over the others' profiles of a rescaled
        // payoff (itself rounded: the conversion of the exact payoff, the
        // shift and the division, relative to the largest payoff over the
        // range) times a product of n − 1 rounded probabilities; the
        // products sum to 1. Twice the textbook bound, for safety.
        let u = f64::EPSILON / 2.0;
        let rho = (t.min.abs().max((t.min + t.scale).abs()) / t.scale).max(1.0);
        let terms =
            (t.n + t.cells / t.shape.iter().min().copied().unwrap_or(1).max(1) + t.k + 8) as f64;
        let err = 2.0 * (4.0 * rho + 4.0 * t.n as f64 + terms) * u;
        Labeler {
            t,
            game,
            exact: None,
            err,
            x: vec![0.0; t.k],
            vals: vec![0.0; t.k],
            exact_labels: 0,
        }
    }

    /// The label of the grid point `y / nn` (Gambit's rule: the first
    /// player with the largest regret, that player's first best response).
    fn label(&mut self, y: &[i64], nn: i64) -> Label {
        let t = self.t;
        let nf = nn as f64;
        for (x, &v) in self.x.iter_mut().zip(y) {
            *x = v as f64 / nf;
        }
        t.values_into(&self.x, &mut self.vals);
        let e = self.err;
        let mut uncertain = false;
        let mut best_strategy = 0;
        let mut best_regret = f64::NEG_INFINITY;
        for j in 0..t.n {
            let o = t.offsets[j];
            let s = t.shape[j];
            let mut payoff = 0.0;
            let mut maxval = f64::NEG_INFINITY;
            let mut arg = o;
            for a in o..o + s {
                payoff += self.x[a] * self.vals[a];
                if self.vals[a] > maxval {
                    maxval = self.vals[a];
                    arg = a;
                }
            }
            let regret = maxval - payoff;
            let near_regret = (regret - best_regret).abs() <= 5.0 * e;
            if regret > best_regret {
                // Does this player's best response stand clear of the rest?
                let tie = (o..o + s).any(|a| a != arg && self.vals[a] >= maxval - 2.0 * e);
                best_strategy = arg;
                if near_regret {
                    uncertain = true;
                } else {
                    uncertain = tie;
                }
                best_regret = regret;
            } else if near_regret {
                uncertain = true;
            }
        }
        if !uncertain && best_regret.is_finite() {
            return Label {
                strategy: best_strategy,
                regret: best_regret.max(0.0),
                exact: None,
            };
        }
        self.exact_label(y, nn)
    }

    /// The label computed in exact integers.
    fn exact_label(&mut self, y: &[i64], nn: i64) -> Label {
        self.exact_labels += 1;
        let n = self.t.n as u64;
        let nbits = 64 - (nn.unsigned_abs()).leading_zeros() as u64;
        let game = self.game;
        let ex = self.exact.get_or_insert_with(|| ExactPayoffs::new(game));
        let (strategy, r) = match &ex.small {
            Some(a) if ex.bits + n * nbits + 3 <= 126 => {
                exact_label_in::<i64, i128>(self.t, y, nn, a, |v| i128::from(*v))
            }
            _ => exact_label_in::<BigInt, BigInt>(self.t, y, nn, &ex.big, |v| v.clone()),
        };
        let regret = scaled_regret_to_f64(&r, nn, self.t.n, &ex.range);
        Label {
            strategy,
            regret,
            exact: Some(r),
        }
    }

    /// The exact regret of a label (computing it if needed).
    fn exact_regret(&mut self, label: &mut Label, y: &[i64], nn: i64) -> BigInt {
        if let Some(r) = &label.exact {
            return r.clone();
        }
        let l = self.exact_label(y, nn);
        let r = l.exact.clone().unwrap_or_default();
        label.exact = Some(r.clone());
        r
    }
}

/// `R / (N^n · range)` in `f64` (the rescaled regret) from the exact
/// scaled regret `R`.
fn scaled_regret_to_f64(r: &BigInt, nn: i64, n: usize, range: &BigInt) -> f64 {
    if range.is_zero() {
        return 0.0;
    }
    let den = BigInt::from(nn).pow(n as u32) * range;
    let q = Rational::new(r.clone(), den);
    q.to_f64().unwrap_or(f64::INFINITY)
}

/// Exact label of `y / nn` in the integers `T`: returns the label's flat
/// strategy index and the max regret times `nn^n` (payoffs `a` scaled to
/// integers, `a[cell * n + player]`).
fn exact_label_in<P, T: Exact>(
    t: &PayoffTensor,
    y: &[i64],
    nn: i64,
    a: &[P],
    conv: impl Fn(&P) -> T,
) -> (usize, BigInt) {
    let n = t.n;
    let mut p: Vec<T> = vec![T::zero(); t.k];
    let mut idx = vec![0usize; n];
    let mut pre: Vec<T> = vec![T::zero(); n + 1];
    let mut suf: Vec<T> = vec![T::zero(); n + 1];
    for c in 0..t.cells {
        pre[0] = T::from(1);
        for m in 0..n {
            pre[m + 1] = pre[m].clone() * T::from(y[t.offsets[m] + idx[m]]);
        }
        suf[n] = T::from(1);
        for m in (0..n).rev() {
            suf[m] = suf[m + 1].clone() * T::from(y[t.offsets[m] + idx[m]]);
        }
        for j in 0..n {
            let w = pre[j].clone() * suf[j + 1].clone();
            if !w.is_zero() {
                let slot = t.offsets[j] + idx[j];
                p[slot] = p[slot].clone() + conv(&a[c * n + j]) * w;
            }
        }
        for m in 0..n {
            idx[m] += 1;
            if idx[m] < t.shape[m] {
                break;
            }
            idx[m] = 0;
        }
    }
    let big_n = T::from(nn);
    let mut best: Option<(usize, T)> = None;
    for j in 0..n {
        let o = t.offsets[j];
        let mut arg = o;
        for h in o + 1..o + t.shape[j] {
            if p[h] > p[arg] {
                arg = h;
            }
        }
        let mut payoff = T::zero();
        for h in o..o + t.shape[j] {
            payoff = payoff + T::from(y[h]) * p[h].clone();
        }
        let regret = big_n.clone() * p[arg].clone() - payoff;
        if best.as_ref().is_none_or(|(_, r)| regret > *r) {
            best = Some((arg, regret));
        }
    }
    match best {
        Some((a, r)) => (a, r.into_big()),
        None => (0, BigInt::zero()),
    }
}

/// The best labelled point of a run.
#[derive(Debug, Clone)]
struct Best {
    y: Vec<i64>,
    label: Label,
}

/// How a run on one grid ended.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RunEnd {
    /// The labels of one player are complete.
    Complete,
    /// The budget ran out.
    Budget,
    /// An inconsistent pivoting state (a label or move not found); the
    /// exact algorithm never gets there.
    Failed,
}

/// The next step of the pivoting (the steps of McKelvey's implementation).
enum Go {
    /// Label the current point.
    Label,
    /// Add the move `(strategy)` at position `i`: a new dimension.
    Raise(usize, usize),
    /// Replace the vertex at position `i`.
    Replace(usize),
    /// Drop the move at position `i − 1`: one dimension less.
    Lower(usize),
    /// Shift the base point (the last vertex becomes the first).
    Shift,
}

/// One run of the path on the grid of mesh `1 / nn` around `v`.
struct Path<'a> {
    t: &'a PayoffTensor,
    owner: Vec<usize>,
    nn: i64,
    /// The restart point, in grid steps.
    v: Vec<i64>,
    /// The current point, in grid steps.
    y: Vec<i64>,
    /// `T`: strategies whose direction is in use.
    in_t: Vec<bool>,
    /// `U`: strategies held on the boundary.
    on_u: Vec<bool>,
    /// Offsets of the base point along each direction.
    ab: Vec<i64>,
    /// Moves `π_1..π_t` (index 0 unused).
    pi: Vec<usize>,
    /// Labels of the vertices `1..t + 1` (index 0 unused).
    labels: Vec<usize>,
    dim: usize,
    ibar: usize,
    leash: Option<i64>,
}

impl<'a> Path<'a> {
    fn new(t: &'a PayoffTensor, v: Vec<i64>, nn: i64, leash: Option<i64>) -> Self {
        let k = t.k;
        let on_u = v.iter().map(|&x| x == 0).collect();
        Path {
            t,
            owner: (0..k).map(|a| t.owner(a)).collect(),
            nn,
            y: v.clone(),
            v,
            in_t: vec![false; k],
            on_u,
            ab: vec![0; k],
            pi: vec![0; k + 3],
            labels: vec![0; k + 3],
            dim: 0,
            ibar: 1,
            leash,
        }
    }

    /// Cyclic predecessor of a strategy within its player.
    fn prev(&self, a: usize) -> usize {
        let o = self.t.offsets[self.owner[a]];
        let s = self.t.shape[self.owner[a]];
        o + (a - o + s - 1) % s
    }

    /// Cyclic successor of a strategy within its player.
    fn next(&self, a: usize) -> usize {
        let o = self.t.offsets[self.owner[a]];
        let s = self.t.shape[self.owner[a]];
        o + (a - o + 1) % s
    }

    /// `b(a)`: the cyclic predecessor of `a` not held on the boundary.
    fn b(&self, a: usize) -> usize {
        let s = self.t.shape[self.owner[a]];
        let mut x = self.prev(a);
        for _ in 0..s {
            if !self.on_u[x] {
                return x;
            }
            x = self.prev(x);
        }
        x
    }

    /// `c(a)`: the successor of `b(a)`.
    fn c(&self, a: usize) -> usize {
        self.next(self.b(a))
    }

    /// Strategies of player `j` in `T ∪ U`.
    fn used(&self, j: usize) -> usize {
        let o = self.t.offsets[j];
        (o..o + self.t.shape[j])
            .filter(|&a| self.in_t[a] || self.on_u[a])
            .count()
    }

    /// Does the current point leave the simplex (or the leash) at `a`?
    fn too_far(&self, a: usize) -> bool {
        self.y[a] <= 0 || self.leash.is_some_and(|l| self.v[a] - self.y[a] >= l)
    }

    /// Moves the current point along `π_i`.
    fn step(&mut self, i: usize) {
        let a = self.pi[i];
        let b = self.b(a);
        self.y[a] += 1;
        self.y[b] -= 1;
    }

    /// Sets the current point to vertex `k` (1-based) of the simplex.
    fn vertex(&mut self, k: usize) {
        self.y.copy_from_slice(&self.v);
        for a in 0..self.t.k {
            if (self.in_t[a] || self.on_u[a]) && self.ab[a] != 0 {
                let p = self.prev(a);
                self.y[a] += self.ab[a];
                self.y[p] -= self.ab[a];
            }
        }
        for i in 2..=k {
            self.step(i - 1);
        }
    }

    /// Adds `delta` to the base offsets of player `owner(a)`'s directions
    /// from `c(a)` round to `a`.
    fn shift_offsets(&mut self, a: usize, delta: i64) {
        let mut m = self.c(a);
        loop {
            let last = m == a;
            self.ab[m] += delta;
            m = self.next(m);
            if last {
                break;
            }
        }
    }

    /// The bookkeeping of a vertex replacement at position `i` for a move
    /// of player `j`.
    fn update(&mut self, j: usize, i: usize) {
        let t = self.dim;
        if 2 <= i && i <= t {
            self.pi.swap(i, i - 1);
            self.ibar = i;
        } else if i == 1 {
            self.labels[1..=t + 1].rotate_left(1);
            self.ibar = t + 1;
            let a = self.pi[1];
            if self.owner[a] == j {
                self.shift_offsets(a, 1);
                self.pi[1..=t].rotate_left(1);
            }
        } else if i == t + 1 {
            self.labels[1..=t + 1].rotate_right(1);
            self.ibar = 1;
            let a = self.pi[t];
            if self.owner[a] == j {
                self.shift_offsets(a, -1);
                self.pi[1..=t].rotate_right(1);
            }
        }
    }

    /// Is `cur` a strictly better point than `best` (smaller max regret)?
    fn better(lab: &mut Labeler, cur: &mut Label, y: &[i64], best: &mut Best, nn: i64) -> bool {
        let margin = 5.0 * lab.err;
        if cur.regret < best.label.regret - margin {
            return true;
        }
        if cur.regret > best.label.regret + margin {
            return false;
        }
        let rc = lab.exact_regret(cur, y, nn);
        let by = best.y.clone();
        let rb = lab.exact_regret(&mut best.label, &by, nn);
        rc < rb
    }

    /// Follows the path until the labels of one player are complete;
    /// returns how it ended and the best labelled point.
    fn run(&mut self, lab: &mut Labeler, meter: &mut Meter) -> (RunEnd, Option<Best>) {
        let mut best: Option<Best> = None;
        let mut go = Go::Label;
        // The move being handled (`(j, h)`) and the candidate strategy `kk`
        // of a base shift, carried between steps.
        let mut cur = 0usize;
        let mut kk = 0usize;
        loop {
            match go {
                Go::Label => {
                    if !meter.tick() {
                        return (RunEnd::Budget, best);
                    }
                    let mut l = lab.label(&self.y, self.nn);
                    let replace = match &mut best {
                        None => true,
                        Some(b) => Self::better(lab, &mut l, &self.y, b, self.nn),
                    };
                    let a = l.strategy;
                    if replace {
                        best = Some(Best {
                            y: self.y.clone(),
                            label: l,
                        });
                    }
                    let j = self.owner[a];
                    self.labels[self.ibar] = a;
                    let t = self.dim;
                    if !self.in_t[a] && !self.on_u[a] {
                        if self.used(j) + 1 == self.t.shape[j] {
                            return (RunEnd::Complete, best);
                        }
                        go = Go::Raise(t + 1, a);
                    } else if self.in_t[a] {
                        match (1..=t + 1).find(|&i| self.labels[i] == a && i != self.ibar) {
                            Some(i) => go = Go::Replace(i),
                            None => return (RunEnd::Failed, best),
                        }
                    } else {
                        let mut k = a;
                        let mut guard = 0;
                        while self.on_u[k] {
                            k = self.next(k);
                            guard += 1;
                            if guard > self.t.shape[j] {
                                return (RunEnd::Failed, best);
                            }
                        }
                        let i = if !self.in_t[k] {
                            t + 1
                        } else {
                            (1..=t).find(|&i| self.pi[i] == k).unwrap_or(t + 1)
                        };
                        go = Go::Raise(i, a);
                    }
                }
                Go::Raise(i, a) => {
                    let t = self.dim;
                    self.vertex(i);
                    self.pi[i..=t + 1].rotate_right(1);
                    self.pi[i] = a;
                    self.labels[i + 1..=t + 2].rotate_right(1);
                    self.ibar = i + 1;
                    self.dim += 1;
                    self.step(i);
                    self.in_t[a] = true;
                    self.on_u[a] = false;
                    go = Go::Label;
                }
                Go::Replace(i) => {
                    let t = self.dim;
                    let ii = if i == t + 1 { t } else { i };
                    if ii == 0 {
                        return (RunEnd::Failed, best);
                    }
                    cur = self.pi[ii];
                    let mut j = self.owner[cur];
                    let k = if i < t + 1 { self.b(cur) } else { cur };
                    kk = self.c(cur);
                    let before = if i == 1 {
                        t + 1
                    } else if i == t + 1 {
                        1
                    } else {
                        i - 1
                    };
                    self.vertex(before);
                    if i == 1 && self.too_far(k) {
                        if self.used(j) + 1 == self.t.shape[j] {
                            self.on_u[k] = true;
                            return (RunEnd::Complete, best);
                        }
                        self.update(j, i);
                        self.on_u[k] = true;
                        self.step(self.dim);
                        go = Go::Label;
                    } else if 2 <= i && i <= t && self.too_far(k) {
                        go = Go::Lower(i);
                    } else if i == t + 1 && self.ab[kk] == 0 {
                        if self.too_far(cur) {
                            go = Go::Lower(i);
                        } else {
                            let mut passed = false;
                            while self.ab[kk] == 0 && !passed {
                                if kk == cur {
                                    passed = true;
                                }
                                kk = self.next(kk);
                            }
                            kk = self.prev(kk);
                            go = if kk == cur { Go::Lower(i) } else { Go::Shift };
                        }
                    } else {
                        if i <= t {
                            self.step(i);
                        } else {
                            cur = self.pi[t];
                            j = self.owner[cur];
                            let b = self.b(cur);
                            self.y[cur] -= 1;
                            self.y[b] += 1;
                        }
                        self.update(j, i);
                        go = Go::Label;
                    }
                }
                Go::Lower(i) => {
                    let t = self.dim;
                    if i < 2 || t == 0 {
                        return (RunEnd::Failed, best);
                    }
                    self.vertex(1);
                    cur = self.pi[i - 1];
                    self.in_t[cur] = false;
                    if self.too_far(cur) {
                        self.on_u[cur] = true;
                    }
                    self.labels[i..=t + 1].rotate_left(1);
                    self.pi[i - 1..=t].rotate_left(1);
                    self.dim -= 1;
                    match (1..=self.dim + 1).find(|&p| self.labels[p] == cur) {
                        Some(p) => go = Go::Replace(p),
                        None => return (RunEnd::Failed, best),
                    }
                }
                Go::Shift => {
                    let t = self.dim;
                    let k = kk;
                    self.labels[1..=t + 1].rotate_right(1);
                    self.ibar = 1;
                    self.pi[1..=t].rotate_right(1);
                    self.on_u[k] = false;
                    let a1 = self.pi[1];
                    let b1 = self.b(a1);
                    self.y[a1] -= 1;
                    self.y[b1] += 1;
                    self.shift_offsets(cur, -1);
                    go = Go::Label;
                }
            }
        }
    }
}

/// The simplest fraction within `1e-15` (relative) of `x ≥ 0`, by
/// continued fractions: `1e-7` becomes `1/10^7`, as Gambit's rational
/// tolerance.
fn simple_rational(x: f64) -> Rational {
    if !(x > 0.0) || !x.is_finite() {
        return Rational::zero();
    }
    let exact = Rational::from_float(x).unwrap_or_default();
    let (mut h0, mut h1) = (BigInt::zero(), BigInt::one());
    let (mut k0, mut k1) = (BigInt::one(), BigInt::zero());
    let mut rest = exact.clone();
    for _ in 0..64 {
        let a = rest.floor().to_integer();
        let h2 = &a * &h1 + &h0;
        let k2 = &a * &k1 + &k0;
        let q = Rational::new(h2.clone(), k2.clone());
        if ((&q - &exact).abs() / &exact) <= Rational::new(BigInt::one(), BigInt::from(10).pow(15))
        {
            return q;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        let frac = &rest - Rational::from_integer(a);
        if frac.is_zero() {
            break;
        }
        rest = frac.recip();
    }
    exact
}

/// Gambit's stopping rule on the best point of a run: max regret at most
/// `tol` times the payoff range (exactly where rounding could matter).
fn meets(
    lab: &mut Labeler,
    best: &mut Best,
    nn: i64,
    tol: &mut Option<Rational>,
    tol_f: f64,
) -> bool {
    let margin = 5.0 * lab.err;
    if best.label.regret < tol_f - margin {
        return true;
    }
    if best.label.regret > tol_f + margin {
        return false;
    }
    let y = best.y.clone();
    let r = lab.exact_regret(&mut best.label, &y, nn);
    let game = lab.game;
    let range = &lab
        .exact
        .get_or_insert_with(|| ExactPayoffs::new(game))
        .range;
    if range.is_zero() {
        return true;
    }
    // R / (N^n · range) ≤ p / q  ⇔  R · q ≤ p · N^n · range.
    let tol = tol.get_or_insert_with(|| simple_rational(tol_f));
    let n = lab.t.n as u32;
    r * tol.denom() <= tol.numer() * BigInt::from(nn).pow(n) * range
}

/// A start as integer numerators over their least common denominator.
fn start_point(
    t: &PayoffTensor,
    start: &SimpdivStart,
    refine: i64,
) -> Result<(Vec<i64>, i64), SolveError> {
    let profile: Vec<Vec<Rational>> = match start {
        SimpdivStart::FirstStrategies => (0..t.n)
            .map(|j| {
                (0..t.shape[j])
                    .map(|h| Rational::from_integer(BigInt::from(i64::from(h == 0))))
                    .collect()
            })
            .collect(),
        SimpdivStart::Centroid => (0..t.n)
            .map(|j| vec![Rational::new(BigInt::one(), BigInt::from(t.shape[j])); t.shape[j]])
            .collect(),
        SimpdivStart::Profile(p) => {
            if p.len() != t.n {
                return Err(SolveError::NotApplicable(format!(
                    "simpdiv: the start profile has {} players, the game {}",
                    p.len(),
                    t.n
                )));
            }
            let mut out = Vec::with_capacity(t.n);
            for (j, row) in p.iter().enumerate() {
                if row.len() != t.shape[j] {
                    return Err(SolveError::NotApplicable(format!(
                        "simpdiv: the start profile gives player {} {} probabilities for {} strategies",
                        j + 1,
                        row.len(),
                        t.shape[j]
                    )));
                }
                let sum: Rational = row.iter().sum();
                if row.iter().any(|q| q.is_negative()) || !sum.is_positive() {
                    return Err(SolveError::NotApplicable(format!(
                        "simpdiv: the start profile of player {} is not a probability vector",
                        j + 1
                    )));
                }
                out.push(row.iter().map(|q| q / &sum).collect());
            }
            out
        }
    };
    let mut lcd = BigInt::one();
    for q in profile.iter().flatten() {
        lcd = lcd.lcm(q.denom());
    }
    let lcd_i = lcd
        .to_i64()
        .filter(|&l| l.checked_mul(refine).is_some_and(|m| m <= MAX_DENOMINATOR));
    let Some(lcd_i) = lcd_i else {
        return Err(SolveError::NotApplicable(format!(
            "simpdiv: the start profile's common denominator {lcd} is too large (at most {} / refine)",
            MAX_DENOMINATOR
        )));
    };
    let mut v = Vec::with_capacity(t.k);
    for q in profile.iter().flatten() {
        let num = q.numer() * (&lcd / q.denom());
        v.push(num.to_i64().unwrap_or(0));
    }
    Ok((v, lcd_i))
}

/// A seeded random rational start: weights 1..=16 per strategy.
fn random_start(t: &PayoffTensor, rng: &mut SplitMix64) -> SimpdivStart {
    SimpdivStart::Profile(
        (0..t.n)
            .map(|j| {
                (0..t.shape[j])
                    .map(|_| Rational::from_integer(BigInt::from(1 + rng.next_u64() % 16)))
                    .collect()
            })
            .collect(),
    )
}

/// The grids of one start: the restart point and the current mesh.
struct Grids {
    v: Vec<i64>,
    nn: i64,
    refine: i64,
    leash: Option<i64>,
}

/// The outcome of one run on the next finer grid.
struct GridRun {
    end: RunEnd,
    best: Best,
    /// Mesh `1 / nn` of the run.
    nn: i64,
}

impl Grids {
    fn new(start: (Vec<i64>, i64), opts: &SimpdivOptions) -> Self {
        Grids {
            v: start.0,
            nn: start.1,
            refine: i64::from(opts.refine.max(2)),
            leash: opts.leash.map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
        }
    }

    /// Refines the grid and runs the path from the restart point; the
    /// run's best point becomes the next restart point. `Err` with a note
    /// when the grid cannot be refined further or the budget ran out
    /// before the first label.
    fn next(&mut self, lab: &mut Labeler, meter: &mut Meter) -> Result<GridRun, String> {
        let next = self
            .nn
            .checked_mul(self.refine)
            .filter(|&m| m <= MAX_DENOMINATOR);
        let Some(next) = next else {
            return Err(format!("the grid reached mesh 1/{}", self.nn));
        };
        self.nn = next;
        for x in &mut self.v {
            *x *= self.refine;
        }
        let mut path = Path::new(lab.t, self.v.clone(), self.nn, self.leash);
        let (end, best) = path.run(lab, meter);
        let Some(best) = best else {
            return Err("the budget ran out before the first label".into());
        };
        self.v.clone_from(&best.y);
        Ok(GridRun {
            end,
            best,
            nn: self.nn,
        })
    }
}

/// The grid point as probabilities.
fn to_f64(y: &[i64], nn: i64) -> Vec<f64> {
    let nf = nn as f64;
    y.iter().map(|&a| a as f64 / nf).collect()
}

/// Runs the grids from one start until Gambit's stopping rule holds and
/// the best point polishes into a verified equilibrium; `None` with a note
/// otherwise.
fn solve_from(
    t: &PayoffTensor,
    lab: &mut Labeler,
    start: (Vec<i64>, i64),
    opts: &SimpdivOptions,
    meter: &mut Meter,
    notes: &mut Vec<String>,
) -> Option<Vec<f64>> {
    let mut tol: Option<Rational> = None;
    let mut grids = Grids::new(start, opts);
    let mut gambit_met = false;
    loop {
        let mut run = match grids.next(lab, meter) {
            Ok(run) => run,
            Err(why) => {
                notes.push(format!(
                    "simpdiv: {why} without a verified equilibrium{}",
                    if gambit_met {
                        " (Gambit's stopping rule was met; Newton's method on the support did not verify)"
                    } else {
                        ""
                    }
                ));
                return None;
            }
        };
        let x = to_f64(&run.best.y, run.nn);
        match run.end {
            RunEnd::Budget => {
                let polished = refine_on_support(t, &x, opts.max_regret);
                if polished.is_none() {
                    notes.push(format!(
                        "simpdiv: budget exhausted on the grid of mesh 1/{} (best max regret {:.3e} of the payoff range)",
                        run.nn, run.best.label.regret
                    ));
                }
                return polished;
            }
            RunEnd::Failed => notes.push(format!(
                "simpdiv: the pivoting lost its way on the grid of mesh 1/{}; restarting from the best point",
                run.nn
            )),
            RunEnd::Complete => {}
        }
        if gambit_met || meets(lab, &mut run.best, run.nn, &mut tol, opts.gambit_regret) {
            gambit_met = true;
            if let Some(z) = refine_on_support(t, &x, opts.max_regret) {
                return Some(z);
            }
        }
    }
}

/// Gambit's answer itself: the grid point where the runs from `start`
/// stop (max regret at most `opts.gambit_regret` times the payoff range),
/// exactly, before any polish; what `gambit-simpdiv` and pygambit's
/// `simpdiv_solve` return (an approximate equilibrium).
#[derive(Debug, Clone, PartialEq)]
pub struct SimpdivGridPoint {
    /// The grid point, `[player][strategy]`.
    pub profile: Vec<Vec<Rational>>,
    /// Its max regret relative to the payoff range (rounded).
    pub regret: f64,
    /// The final mesh is `1 / denominator`.
    pub denominator: i64,
    /// Number of runs (grids).
    pub runs: u32,
}

/// Runs simplicial subdivision from `start` exactly as Gambit does and
/// returns its grid point (see [`SimpdivGridPoint`]), unpolished and
/// unverified; `Err` when the budget runs out or the grid cannot be
/// refined further.
pub fn simpdiv_grid_point(
    game: &NormalFormGame,
    start: &SimpdivStart,
    opts: &SimpdivOptions,
) -> Result<SimpdivGridPoint, SolveError> {
    if opts.refine < 2 || !(opts.gambit_regret >= 0.0) {
        return Err(SolveError::NotApplicable(
            "simpdiv: refine must be at least 2 and gambit_regret nonnegative".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    let mut lab = Labeler::new(&t, game);
    let mut meter = opts.budget.start();
    let mut tol: Option<Rational> = None;
    let mut grids = Grids::new(start_point(&t, start, i64::from(opts.refine))?, opts);
    let mut runs = 0;
    loop {
        let mut run = grids
            .next(&mut lab, &mut meter)
            .map_err(|why| SolveError::NotApplicable(format!("simpdiv: {why}")))?;
        runs += 1;
        if run.end == RunEnd::Budget {
            return Err(SolveError::NotApplicable(format!(
                "simpdiv: {}",
                meter.describe()
            )));
        }
        if meets(
            &mut lab,
            &mut run.best,
            run.nn,
            &mut tol,
            opts.gambit_regret,
        ) {
            let den = BigInt::from(run.nn);
            let profile = (0..t.n)
                .map(|j| {
                    let o = t.offsets[j];
                    (o..o + t.shape[j])
                        .map(|a| Rational::new(BigInt::from(run.best.y[a]), den.clone()))
                        .collect()
                })
                .collect();
            return Ok(SimpdivGridPoint {
                profile,
                regret: run.best.label.regret,
                denominator: run.nn,
                runs,
            });
        }
    }
}

/// Simplicial subdivision from each start (default: every player's first
/// strategy, as `gambit-simpdiv`); one verified equilibrium per successful
/// start, duplicates removed.
pub fn simpdiv(game: &NormalFormGame, opts: &SimpdivOptions) -> Result<NplayerResult, SolveError> {
    if !(opts.max_regret >= 0.0) || !(opts.gambit_regret >= 0.0) || !opts.gambit_regret.is_finite()
    {
        return Err(SolveError::NotApplicable(
            "simpdiv: max_regret and gambit_regret must be nonnegative numbers".into(),
        ));
    }
    if opts.refine < 2 {
        return Err(SolveError::NotApplicable(format!(
            "simpdiv: refine must be at least 2 (got {})",
            opts.refine
        )));
    }
    let t = PayoffTensor::new(game);
    let refine = i64::from(opts.refine);
    let mut starts = Vec::new();
    let mut rng = SplitMix64::new(opts.seed);
    let given: Vec<SimpdivStart> = if opts.starts.is_empty() {
        vec![SimpdivStart::FirstStrategies]
    } else {
        opts.starts.clone()
    };
    for s in &given {
        starts.push(start_point(&t, s, refine)?);
    }
    for _ in 0..opts.random_starts {
        starts.push(start_point(&t, &random_start(&t, &mut rng), refine)?);
    }
    let mut lab = Labeler::new(&t, game);
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut notes = Vec::new();
    let mut all_ok = true;
    for (i, s) in starts.into_iter().enumerate() {
        match solve_from(&t, &mut lab, s, opts, &mut meter, &mut notes) {
            Some(y) => {
                if !coll.offer(&y, true) {
                    all_ok = false;
                    notes.push(format!(
                        "simpdiv: start {}: the result failed the independent regret check and was dropped",
                        i + 1
                    ));
                }
            }
            None => all_ok = false,
        }
        if meter.exhausted() {
            break;
        }
    }
    coll.result.notes.extend(notes);
    coll.result.budget_exhausted = meter.exhausted();
    coll.result.complete = all_ok && !meter.exhausted();
    if meter.exhausted() {
        coll.note(format!("simpdiv: {}", meter.describe()));
    }
    Ok(coll.result)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    fn check(res: &NplayerResult, game: &NormalFormGame) {
        assert!(!res.equilibria.is_empty(), "notes: {:?}", res.notes);
        let (lo, hi) = game.payoff_range();
        let range =
            (detente_game::Scalar::to_f64(&hi) - detente_game::Scalar::to_f64(&lo)).max(1.0);
        for e in &res.equilibria {
            assert!(independent_max_regret(game, &e.profile) <= 1e-9 * range);
        }
    }

    #[test]
    fn matching_pennies_mixed() {
        let g = matching_pennies();
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
        assert!((res.equilibria[0].profile[0][0] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn mckelvey_mclennan_from_many_starts() {
        let g = mckelvey_mclennan();
        let opts = SimpdivOptions {
            random_starts: 10,
            seed: 5,
            ..Default::default()
        };
        let res = simpdiv(&g, &opts).unwrap_or_default();
        check(&res, &g);
        assert!(res.complete, "{:?}", res.notes);
    }

    #[test]
    fn trivial_games() {
        // One player.
        let g = game(&[3], &[vec![1, 5, 2]]);
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
        assert_eq!(res.equilibria[0].profile[0], vec![0.0, 1.0, 0.0]);
        // One strategy each.
        let g = game(&[1, 1, 1], &[vec![1], vec![2], vec![3]]);
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
        // All payoffs equal.
        let g = game(&[2, 2, 2], &[vec![0; 8], vec![0; 8], vec![0; 8]]);
        let res = simpdiv(&g, &SimpdivOptions::default()).unwrap_or_default();
        check(&res, &g);
    }

    /// Gambit's own answer from the centroid of `contrib/2x2x2.nfg`
    /// (`reference.json`: pygambit 16.7 `simpdiv_solve`), exactly.
    #[test]
    fn gambits_grid_point_on_mckelvey_mclennan() {
        let g = mckelvey_mclennan();
        let p = simpdiv_grid_point(&g, &SimpdivStart::Centroid, &SimpdivOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let text: Vec<Vec<String>> = p
            .profile
            .iter()
            .map(|r| r.iter().map(detente_game::format_rational).collect())
            .collect();
        assert_eq!(
            text,
            vec![vec!["1/2", "1/2"], vec!["1/2", "1/2"], vec!["1", "0"]]
        );
        assert_eq!(p.regret, 0.0);
        // The polished answer is the same point.
        let opts = SimpdivOptions {
            starts: vec![SimpdivStart::Centroid],
            ..Default::default()
        };
        let res = simpdiv(&g, &opts).unwrap_or_default();
        check(&res, &g);
        assert_eq!(
            res.equilibria[0].profile,
            vec![vec![0.5, 0.5], vec![0.5, 0.5], vec![1.0, 0.0]]
        );
    }

    #[test]
    fn options_are_checked() {
        let g = matching_pennies();
        for opts in [
            SimpdivOptions {
                refine: 1,
                ..Default::default()
            },
            SimpdivOptions {
                max_regret: f64::NAN,
                ..Default::default()
            },
            SimpdivOptions {
                gambit_regret: -1.0,
                ..Default::default()
            },
            SimpdivOptions {
                starts: vec![SimpdivStart::Profile(vec![
                    vec![
                        Rational::zero(),
                        Rational::zero()
                    ];
                    2
                ])],
                ..Default::default()
            },
            SimpdivOptions {
                starts: vec![SimpdivStart::Profile(vec![
                    vec![
                        Rational::new(BigInt::one(), BigInt::from(3).pow(40)),
                        Rational::one()
                    ];
                    2
                ])],
                ..Default::default()
            },
        ] {
            assert!(simpdiv(&g, &opts).is_err(), "{opts:?}");
        }
    }

    #[test]
    fn budget_is_reported() {
        let g = mckelvey_mclennan();
        let opts = SimpdivOptions {
            starts: vec![SimpdivStart::Centroid],
            budget: Budget::new(3, None),
            ..Default::default()
        };
        let res = simpdiv(&g, &opts).unwrap_or_default();
        assert!(res.budget_exhausted && !res.complete, "{res:?}");
        assert!(
            res.notes.iter().any(|n| n.contains("budget")),
            "{:?}",
            res.notes
        );
    }

    /// Generic payoffs at an interior point: the label is settled in
    /// floating point (the exact path is the exception, not the rule).
    #[test]
    fn generic_labels_need_no_exact_arithmetic() {
        let tables: Vec<Vec<i64>> = (0..3)
            .map(|p| {
                (0..27)
                    .map(|c| (c * 37 + p * 101 + c * c * 7) % 997)
                    .collect()
            })
            .collect();
        let g = game(&[3, 3, 3], &tables);
        let t = PayoffTensor::new(&g);
        let mut lab = Labeler::new(&t, &g);
        let nn = 1 << 20;
        let y = [
            300_000, 400_000, 348_576, 1, 524_287, 524_288, 700_000, 48_576, 300_000,
        ];
        let l = lab.label(&y, nn);
        assert_eq!(lab.exact_labels, 0);
        let e = lab.exact_label(&y, nn);
        assert_eq!(l.strategy, e.strategy);
    }

    #[test]
    fn simple_rational_recovers_decimal_tolerances() {
        assert_eq!(
            simple_rational(1e-7),
            Rational::new(BigInt::one(), BigInt::from(10_000_000))
        );
        assert_eq!(
            simple_rational(0.25),
            Rational::new(BigInt::one(), BigInt::from(4))
        );
        assert_eq!(simple_rational(0.0), Rational::zero());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// A random grid point with denominator `nn` (zeros included).
        fn grid_point(t: &PayoffTensor, nn: i64, seeds: &[u64]) -> Vec<i64> {
            let mut y = vec![0i64; t.k];
            let mut it = seeds.iter().cycle();
            for j in 0..t.n {
                let o = t.offsets[j];
                let mut left = nn;
                for h in 0..t.shape[j] - 1 {
                    let r = it.next().copied().unwrap_or(0);
                    // Zero now and then, otherwise a random share.
                    let take = if r % 4 == 0 {
                        0
                    } else {
                        (r as i64 % (left + 1)).abs()
                    };
                    y[o + h] = take;
                    left -= take;
                }
                y[o + t.shape[j] - 1] = left;
            }
            y
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            /// The floating-point filter never changes a label or the order
            /// of two points: its answers are the exact ones (degenerate
            /// payoffs 0..3 make ties common; a grid of mesh 1/2 puts
            /// points on pure profiles).
            #[test]
            fn filtered_labels_are_exact(
                shape in prop::sample::select(vec![vec![2usize, 2, 2], vec![3, 2, 2], vec![2, 3, 2, 2], vec![3, 3, 3], vec![2, 2]]),
                high in prop::sample::select(vec![2i64, 4, 100]),
                payoffs in prop::collection::vec(0i64..1000, 200),
                nn in prop::sample::select(vec![1i64, 2, 3, 4, 6, 8, 1 << 20, 3 << 30]),
                seeds in prop::collection::vec(any::<u64>(), 12),
                seeds2 in prop::collection::vec(any::<u64>(), 12),
            ) {
                let cells: usize = shape.iter().product();
                let n = shape.len();
                let tables: Vec<Vec<i64>> = (0..n)
                    .map(|p| (0..cells).map(|c| payoffs[(c * n + p) % payoffs.len()] % high).collect())
                    .collect();
                let g = game(&shape, &tables);
                let t = PayoffTensor::new(&g);
                let mut lab = Labeler::new(&t, &g);
                let y1 = grid_point(&t, nn, &seeds);
                let y2 = grid_point(&t, nn, &seeds2);
                let mut l1 = lab.label(&y1, nn);
                let e1 = lab.exact_label(&y1, nn);
                prop_assert_eq!(l1.strategy, e1.strategy);
                prop_assert!((l1.regret - e1.regret).abs() <= 5.0 * lab.err);
                let l2 = lab.label(&y2, nn);
                let e2 = lab.exact_label(&y2, nn);
                let mut best = Best { y: y2.clone(), label: l2 };
                let exact_better = e1.exact.clone().unwrap_or_default() < e2.exact.clone().unwrap_or_default();
                prop_assert_eq!(Path::better(&mut lab, &mut l1, &y1, &mut best, nn), exact_better);
            }
        }
    }

    #[test]
    fn bad_start_is_an_error() {
        let g = matching_pennies();
        let opts = SimpdivOptions {
            starts: vec![SimpdivStart::Profile(vec![vec![
                Rational::one(),
                Rational::zero(),
            ]])],
            ..Default::default()
        };
        assert!(simpdiv(&g, &opts).is_err());
    }
}
