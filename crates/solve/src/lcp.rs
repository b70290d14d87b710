//! Lemke–Howson: equilibria of two-player games by complementary pivoting.
//!
//! References: C. E. Lemke and J. T. Howson, "Equilibrium points of
//! bimatrix games", *Journal of the Society for Industrial and Applied
//! Mathematics* 12 (1964) 413–423; L. S. Shapley, "A note on the
//! Lemke–Howson algorithm", *Mathematical Programming Study* 1 (1974)
//! 175–189; B. von Stengel, "Computing equilibria for two-person games",
//! *Handbook of Game Theory* 3 (2002), ch. 45.
//!
//! The two best-response polytopes are
//! `P = {x ≥ 0 : B'ᵀx ≤ 1}` and `Q = {y ≥ 0 : A'y ≤ 1}`, where `A'`, `B'`
//! are the payoffs shifted to be positive. Labels are the strategies of both
//! players (`0..m` for the row player, `m..m+n` for the column player). A
//! path starts at the artificial equilibrium `(0, 0)` (or at any completely
//! labelled vertex pair), drops one label and pivots alternately in the two
//! tableaux until the missing label is picked up again.
//!
//! Degeneracy is resolved by the lexicographic minimum-ratio rule (the
//! right-hand side `1` is perturbed to `1 − (ε, ε², …)`; ties are broken by
//! the lexicographically largest row of `B⁻¹` divided by the pivot column),
//! which provably never cycles. Payoffs are shifted exactly as Gambit's
//! `gambit-lcp` does (by `min(min payoff, 0) − 1`), so on degenerate games
//! the same perturbation, and hence the same paths and equilibria, result.
//!
//! Like Gambit, [`lcp`] also searches recursively: from every equilibrium
//! found it follows the path dropping every other label, collecting all
//! *LH-accessible* equilibria (Shapley 1974 shows some equilibria may not be
//! accessible).
//!
//! Exact runs follow the paths in floating point and certify them: a ratio
//! test whose candidates are too close for `f64` to call (ties, which the
//! lexicographic rule decides, are common in integer games) is decided
//! exactly by solving the current basis in integers, and every endpoint's
//! basis is solved exactly (`support_solve.rs`) and checked to be an
//! equilibrium. If anything fails, the search is redone by exact
//! fraction-free pivoting on machine integers (`i128`, switching entry by
//! entry to big integers on overflow), [`lcp_exact_pivoting`], whose result
//! the fast run otherwise reproduces. Exact pivoting alone needs numbers of
//! the size of the basis determinants at every pivot (about 1,000 bits on
//! a 100×100 game, where one path takes 25,000 pivots); the fast run pays
//! for big numbers only at the endpoints and at near-ties.

use crate::bimatrix::equilibrium_2p;
use crate::enummixed::int::Int;
use crate::equilibrium::{Equilibrium, SolveError};
use crate::support_solve::{equilibrium_on_basis, exact_ratio_test, BasisView};
use crate::tableau::{to_integers, TabNum, Tableau, DOUBT_BAND, FLOAT_EPS};
use detente_game::{NormalFormGame, Rational, Scalar};
use num_bigint::BigInt;
use num_traits::Zero;
use std::any::Any;
use std::cmp::Ordering;
use std::collections::HashSet;

/// Options of [`lcp`].
#[derive(Debug, Clone, Default)]
pub struct LcpOptions {
    /// Follow only the path that drops this label (0-based: strategies of
    /// player 1 first, then player 2's) from the artificial equilibrium and
    /// return the one equilibrium it reaches. `None`: search all accessible
    /// equilibria.
    pub start_label: Option<usize>,
    /// Stop after this many distinct equilibria.
    pub stop_after: Option<usize>,
    /// Maximum recursion depth of the search (Gambit's `-r`; `None` or
    /// `Some(0)`: unlimited).
    pub max_depth: Option<usize>,
    /// Maximum total number of pivots before giving up (`None`: 10⁸).
    pub max_pivots: Option<u64>,
    /// Most bytes of tableaux the search for all accessible equilibria may
    /// hold (`None`: 1 GiB); beyond it the search stops with
    /// [`SolveError::Budget`] rather than exhausting the machine.
    pub max_memory: Option<usize>,
}

/// Equilibria found by Lemke–Howson, in the order found.
///
/// With default options this is every equilibrium reachable by
/// Lemke–Howson paths from the artificial equilibrium and, recursively, from
/// every equilibrium found, without duplicates. Exact when `T` is
/// [`Rational`]: the paths are then followed in floating point, every
/// ratio test too close to call is decided exactly, and every endpoint is
/// solved and checked exactly (see [`lcp_with_stats`]).
pub fn lcp<T: Scalar>(
    game: &NormalFormGame,
    opts: &LcpOptions,
) -> Result<Vec<Equilibrium<T>>, SolveError> {
    lcp_with_stats(game, opts).map(|(eqs, _)| eqs)
}

/// What a run of [`lcp_with_stats`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LcpStats {
    /// Pivots of the floating-point run (exact runs: of the exact run).
    pub pivots: u64,
    /// Ratio tests of the floating-point paths decided exactly.
    pub exact_ratio_tests: u64,
    /// Whether an exact run fell back to exact pivoting (some
    /// floating-point path could not be vouched for).
    pub exact_pivoting: bool,
}

/// [`lcp`], also reporting what it did.
///
/// Exact runs (`T` = [`Rational`]) follow each path in floating point
/// (payoffs scaled to `[0, 1]`). A ratio test whose two best candidates
/// differ by less than a relative 10⁻⁹ (a tie, or nearly one) is decided
/// exactly: the basis' columns are solved in integers (Bareiss) and the
/// lexicographic rule applied to the exact numbers. Each endpoint's basis
/// is solved exactly and checked to be an equilibrium, and the
/// floating-point endpoint must agree with it to 10⁻⁹. When any of this
/// fails the whole search is redone with exact fraction-free pivoting, so
/// the result is always the exact Lemke–Howson result (the floating-point
/// run reproduces the exact paths whenever every comparison outside the
/// 10⁻⁹ band is decided correctly by `f64`).
pub fn lcp_with_stats<T: Scalar>(
    game: &NormalFormGame,
    opts: &LcpOptions,
) -> Result<(Vec<Equilibrium<T>>, LcpStats), SolveError> {
    let (m, n) = check(game, opts)?;
    let (exact, af, bf) = prepare(game, m, n, T::EXACT);
    let mut stats = LcpStats::default();
    if !T::EXACT {
        let mut found: Vec<FloatProfile> = Vec::new();
        let profiles = run::<f64, FloatProfile>(
            m,
            n,
            af,
            bf,
            opts,
            Endpoints::Tableau,
            &mut stats,
            &mut |s| Ok(s.float_profile()),
            &mut |p| {
                let new = !found.iter().any(|f| same_float_profile(f, p));
                if new {
                    found.push(p.clone());
                }
                new
            },
        )
        .map_err(RunError::into_solve)?;
        return Ok((collect_float(game, profiles), stats));
    }
    let mut seen: HashSet<Profile> = HashSet::new();
    let fast = run::<f64, Profile>(
        m,
        n,
        af,
        bf,
        opts,
        Endpoints::Exact(&exact),
        &mut stats,
        &mut |s| exact_endpoint(s, &exact),
        &mut |p| seen.insert(p.clone()),
    );
    let profiles = match fast {
        Ok(p) => p,
        Err(_) => {
            stats = LcpStats {
                exact_pivoting: true,
                ..LcpStats::default()
            };
            exact_run(&exact, opts, &mut stats)?
        }
    };
    Ok((collect(game, profiles), stats))
}

/// [`lcp`] on exact rationals by exact fraction-free pivoting only: the
/// reference the fast exact run is checked against (same result, slower).
pub fn lcp_exact_pivoting(
    game: &NormalFormGame,
    opts: &LcpOptions,
) -> Result<Vec<Equilibrium<Rational>>, SolveError> {
    let (m, n) = check(game, opts)?;
    let (exact, _, _) = prepare(game, m, n, true);
    let profiles = exact_run(&exact, opts, &mut LcpStats::default())?;
    Ok(collect(game, profiles))
}

/// An exact profile (`[x, y]`).
type Profile = Vec<Vec<Rational>>;
/// A floating-point profile (`[x, y]`).
type FloatProfile = Vec<Vec<f64>>;

fn exact_run(
    g: &ExactGame,
    opts: &LcpOptions,
    stats: &mut LcpStats,
) -> Result<Vec<Profile>, SolveError> {
    let a = g.a.iter().cloned().map(Int::from_big).collect();
    let b = g.b.iter().cloned().map(Int::from_big).collect();
    let mut seen: HashSet<Profile> = HashSet::new();
    run::<Int, Profile>(
        g.m,
        g.n,
        a,
        b,
        opts,
        Endpoints::Tableau,
        stats,
        &mut |s| Ok(s.profile()),
        &mut |p| seen.insert(p.clone()),
    )
    .map_err(RunError::into_solve)
}

/// The game's shape `(m, n)` once the game and options are checked.
fn check(game: &NormalFormGame, opts: &LcpOptions) -> Result<(usize, usize), SolveError> {
    if game.num_players() != 2 {
        return Err(SolveError::NotApplicable(format!(
            "Lemke-Howson (lcp) is for two-player games; this game has {} players",
            game.num_players()
        )));
    }
    let shape = game.shape();
    let (m, n) = (shape[0], shape[1]);
    if let Some(l) = opts.start_label {
        if l >= m + n {
            return Err(SolveError::NotApplicable(format!(
                "start label {} does not exist: labels are 1..={} (strategies of player 1, then player 2)",
                l + 1,
                m + n
            )));
        }
    }
    Ok((m, n))
}

/// Equilibrium records of exact profiles.
fn collect<T: Scalar>(game: &NormalFormGame, profiles: Vec<Profile>) -> Vec<Equilibrium<T>> {
    profiles
        .iter()
        .map(|p| equilibrium_2p::<T>(game, &p[0], &p[1]))
        .collect()
}

/// `v` as a `T` (which is `f64` when this is called).
fn from_f64<T: Scalar>(v: f64) -> T {
    match (&v as &dyn Any).downcast_ref::<T>() {
        Some(t) => t.clone(),
        None => Rational::from_float(v).map_or_else(T::zero, |r| T::from_rational(&r)),
    }
}

/// Equilibrium records of floating-point profiles, payoffs summed over the
/// supports.
fn collect_float<T: Scalar>(
    game: &NormalFormGame,
    profiles: Vec<FloatProfile>,
) -> Vec<Equilibrium<T>> {
    let m = game.shape()[0];
    profiles
        .into_iter()
        .map(|p| {
            let mut u = [0.0f64; 2];
            for (j, &yj) in p[1].iter().enumerate() {
                if yj == 0.0 {
                    continue;
                }
                for (i, &xi) in p[0].iter().enumerate() {
                    if xi == 0.0 {
                        continue;
                    }
                    let w = xi * yj;
                    for (k, uk) in u.iter_mut().enumerate() {
                        *uk += w * game.payoff_as::<f64>(i + j * m, k);
                    }
                }
            }
            Equilibrium {
                profile: p
                    .iter()
                    .map(|v| v.iter().map(|&x| from_f64::<T>(x)).collect())
                    .collect(),
                payoffs: u.iter().map(|&x| from_f64::<T>(x)).collect(),
            }
        })
        .collect()
}

/// Two floating-point profiles equal up to the tolerance.
fn same_float_profile(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.iter().zip(b).all(|(x, y)| {
        x.iter()
            .zip(y)
            .all(|(u, v)| (u - v).abs() <= f64::tolerance())
    })
}

/// `(lo, hi)` with `lo = min(min payoff, 0) − 1`, `hi = max(max payoff, 0)`.
fn shift_bounds(game: &NormalFormGame) -> (Rational, Rational) {
    let (mut lo, mut hi) = game.payoff_range();
    if lo > Rational::zero() {
        lo = Rational::zero();
    }
    lo -= Rational::from_integer(1.into());
    if hi < Rational::zero() {
        hi = Rational::zero();
    }
    (lo, hi)
}

/// The payoff matrices shifted to be positive (Gambit's shift), row-major
/// `m × n`: as integers (each matrix scaled by a positive factor; empty
/// unless `exact`) and in floating point scaled to about `[0, 1]`.
fn prepare(
    game: &NormalFormGame,
    m: usize,
    n: usize,
    exact: bool,
) -> (ExactGame, Vec<f64>, Vec<f64>) {
    let (lo, hi) = shift_bounds(game);
    let scale = (hi - &lo).to_f64();
    let integral =
        (0..m * n).all(|c| game.payoff(c, 0).is_integer() && game.payoff(c, 1).is_integer());
    let mut ai = Vec::new();
    let mut bi = Vec::new();
    let mut af = Vec::with_capacity(m * n);
    let mut bf = Vec::with_capacity(m * n);
    if integral && lo.is_integer() {
        // Integer payoffs (the common case): no fractions at all.
        let lo = lo.to_integer();
        for i in 0..m {
            for j in 0..n {
                let c = i + j * m;
                let a = game.payoff(c, 0).numer() - &lo;
                let b = game.payoff(c, 1).numer() - &lo;
                af.push(num_traits::ToPrimitive::to_f64(&a).unwrap_or(f64::INFINITY) / scale);
                bf.push(num_traits::ToPrimitive::to_f64(&b).unwrap_or(f64::INFINITY) / scale);
                if exact {
                    ai.push(a);
                    bi.push(b);
                }
            }
        }
    } else {
        let mut a = Vec::with_capacity(m * n);
        let mut b = Vec::with_capacity(m * n);
        for i in 0..m {
            for j in 0..n {
                let c = i + j * m;
                a.push(game.payoff(c, 0) - &lo);
                b.push(game.payoff(c, 1) - &lo);
            }
        }
        af = a.iter().map(|v| v.to_f64() / scale).collect();
        bf = b.iter().map(|v| v.to_f64() / scale).collect();
        if exact {
            ai = to_integers(&a);
            bi = to_integers(&b);
        }
    }
    (ExactGame { m, n, a: ai, b: bi }, af, bf)
}

/// A variable of one of the two tableaux, by label: the strategy variable
/// (`x_k` or `y_k`) or the slack of that label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    Strat(usize),
    Slack(usize),
}

/// The shifted payoff matrices as integers (row-major, `m × n`, each scaled
/// by a positive factor), for the exact solution of path endpoints.
struct ExactGame {
    m: usize,
    n: usize,
    a: Vec<BigInt>,
    b: Vec<BigInt>,
}

/// How the endpoint of each path becomes a profile.
#[derive(Clone, Copy)]
enum Endpoints<'a> {
    /// Read off the tableau (exact tableaux; plain floating point).
    Tableau,
    /// Solve the endpoint's basis exactly and check it; any doubt about the
    /// path aborts the run with [`RunError::Doubt`].
    Exact(&'a ExactGame),
}

/// Largest difference allowed between a floating-point endpoint and its
/// exact solution (normalised probabilities) before the path is doubted.
const DRIFT: f64 = 1e-9;

/// Largest memory the depth-first search may hold in tableaux (one pair
/// per vertex pair on the current branch) before it stops with a clear
/// error instead of exhausting the machine (a random 50×50 game's search
/// grew past 4.8 GB).
const MAX_STACK_BYTES: usize = 1 << 30;

/// Why [`run`] stopped.
#[derive(Debug)]
enum RunError {
    Solve(SolveError),
    /// A floating-point run can not vouch for its paths.
    Doubt,
}

impl RunError {
    fn into_solve(self) -> SolveError {
        match self {
            RunError::Solve(e) => e,
            RunError::Doubt => {
                SolveError::NotApplicable("Lemke-Howson: floating-point path in doubt".into())
            }
        }
    }
}

/// The pair of tableaux. `ty` (rows: player 1's strategies) holds the
/// constraints `A'y + r = 1` with variables `y_j` (label `m+j`) and slacks
/// `r_i` (label `i`); `tx` (rows: player 2's strategies) holds
/// `B'ᵀx + s = 1` with `x_i` (label `i`) and slacks `s_j` (label `m+j`).
/// Column layout of each: strategy variables, then slacks, then the RHS.
#[derive(Debug, Clone)]
struct LhState<N: TabNum> {
    m: usize,
    n: usize,
    ty: Tableau<N>,
    tx: Tableau<N>,
}

/// Outcome of a pivoting step that could not proceed.
#[derive(Debug)]
enum PathError {
    Budget,
    Unbounded,
    /// A floating-point path could not be vouched for.
    Doubt,
}

impl<N: TabNum> LhState<N> {
    fn new(m: usize, n: usize, a: Vec<N>, b: Vec<N>) -> Self {
        // ty: m rows, columns y_0..y_{n-1}, r_0..r_{m-1}, rhs.
        let cy = n + m + 1;
        let mut dy = vec![N::zero(); m * cy];
        for i in 0..m {
            for j in 0..n {
                dy[i * cy + j] = a[i * n + j].clone();
            }
            dy[i * cy + n + i] = N::one();
            dy[i * cy + n + m] = N::one();
        }
        // tx: n rows, columns x_0..x_{m-1}, s_0..s_{n-1}, rhs.
        let cx = m + n + 1;
        let mut dx = vec![N::zero(); n * cx];
        for j in 0..n {
            for i in 0..m {
                dx[j * cx + i] = b[i * n + j].clone();
            }
            dx[j * cx + m + j] = N::one();
            dx[j * cx + m + n] = N::one();
        }
        LhState {
            m,
            n,
            ty: Tableau::new(m, cy, dy, (n..n + m).collect()),
            tx: Tableau::new(n, cx, dx, (m..m + n).collect()),
        }
    }

    /// Which tableau holds `v`, and its column there. `true` = `ty`.
    fn locate(&self, v: Var) -> (bool, usize) {
        let (m, n) = (self.m, self.n);
        match v {
            Var::Strat(k) if k < m => (false, k),
            Var::Strat(k) => (true, k - m),
            Var::Slack(k) if k < m => (true, n + k),
            Var::Slack(k) => (false, m + (k - m)),
        }
    }

    /// The variable at column `col` of tableau `in_y`.
    fn var_at(&self, in_y: bool, col: usize) -> Var {
        let (m, n) = (self.m, self.n);
        if in_y {
            if col < n {
                Var::Strat(m + col)
            } else {
                Var::Slack(col - n)
            }
        } else if col < m {
            Var::Strat(col)
        } else {
            Var::Slack(m + (col - m))
        }
    }

    fn is_basic(&self, v: Var) -> bool {
        let (in_y, col) = self.locate(v);
        let t = if in_y { &self.ty } else { &self.tx };
        t.basis.contains(&col)
    }

    /// Brings `v` into the basis with the lexicographic ratio test and
    /// returns the variable that left. A floating-point ratio test too
    /// close to call is decided exactly when `how` has the exact game, and
    /// as the floating-point numbers say otherwise.
    fn pivot_in(
        &mut self,
        v: Var,
        how: Endpoints<'_>,
        stats: &mut LcpStats,
    ) -> Result<Var, PathError> {
        let (in_y, col) = self.locate(v);
        let (m, n) = (self.m, self.n);
        let t = if in_y { &mut self.ty } else { &mut self.tx };
        let mut doubt = false;
        let mut row = exit_row(t, col, &mut doubt);
        if doubt {
            if let Endpoints::Exact(g) = how {
                let orig_y = |i: usize, c: usize| &g.a[i * n + c];
                let orig_x = |j: usize, c: usize| &g.b[c * n + j];
                let view = BasisView {
                    rows: t.rows,
                    structural: if in_y { n } else { m },
                    basis: &t.basis,
                    orig: if in_y { &orig_y } else { &orig_x },
                };
                stats.exact_ratio_tests += 1;
                row = exact_ratio_test(&view, col).map_err(|_| PathError::Doubt)?;
                // A pivot on a number this small would ruin the
                // floating-point tableau.
                if let Some(r) = row {
                    if t.at(r, col).approx().abs() <= DOUBT_BAND {
                        return Err(PathError::Doubt);
                    }
                }
            }
        }
        let r = row.ok_or(PathError::Unbounded)?;
        let leaving = t.basis[r];
        t.pivot(r, col);
        Ok(self.var_at(in_y, leaving))
    }

    /// Follows the path that drops label `k` until a completely labelled
    /// pair is reached. Pivots count against `budget`.
    fn lemke_path(
        &mut self,
        k: usize,
        stats: &mut LcpStats,
        budget: u64,
        how: Endpoints<'_>,
    ) -> Result<(), PathError> {
        let mut enter = if self.is_basic(Var::Strat(k)) {
            Var::Slack(k)
        } else {
            Var::Strat(k)
        };
        loop {
            stats.pivots += 1;
            if stats.pivots > budget {
                return Err(PathError::Budget);
            }
            let exit = self.pivot_in(enter, how, stats)?;
            let label = match exit {
                Var::Strat(l) | Var::Slack(l) => l,
            };
            if label == k {
                return Ok(());
            }
            enter = match exit {
                Var::Strat(l) => Var::Slack(l),
                Var::Slack(l) => Var::Strat(l),
            };
        }
    }

    /// The labels whose strategy variable is basic (sorted): identifies the
    /// complementary basis.
    fn keys(&self) -> Vec<usize> {
        let mut k: Vec<usize> = Vec::new();
        for &c in &self.ty.basis {
            if let Var::Strat(l) = self.var_at(true, c) {
                k.push(l);
            }
        }
        for &c in &self.tx.basis {
            if let Var::Strat(l) = self.var_at(false, c) {
                k.push(l);
            }
        }
        k.sort_unstable();
        k
    }

    /// The basic strategies of player 1 and of player 2 (sorted).
    fn supports(&self) -> (Vec<usize>, Vec<usize>) {
        let (rows, cols): (Vec<usize>, Vec<usize>) =
            self.keys().into_iter().partition(|&l| l < self.m);
        (rows, cols.into_iter().map(|l| l - self.m).collect())
    }

    /// Whether the tableau's normalised profile is within [`DRIFT`] of `p`.
    fn close_to(&self, p: &[Vec<Rational>]) -> bool {
        let side = |t: &Tableau<N>, exact: &[Rational]| -> bool {
            let mut vals = vec![0.0f64; exact.len()];
            for (r, &c) in t.basis.iter().enumerate() {
                if c < exact.len() {
                    vals[c] = t.rhs(r).approx();
                }
            }
            let sum: f64 = vals.iter().sum();
            sum > 0.0
                && vals
                    .iter()
                    .zip(exact)
                    .all(|(v, e)| (v / sum - e.to_f64()).abs() <= DRIFT)
        };
        side(&self.tx, &p[0]) && side(&self.ty, &p[1])
    }

    /// The normalised profile in floating point (values within the
    /// tableau's tolerance of 0 are 0), or `None` at the artificial
    /// equilibrium.
    fn float_profile(&self) -> Option<FloatProfile> {
        let side = |t: &Tableau<N>, count: usize| -> Option<Vec<f64>> {
            let mut vals = vec![0.0f64; count];
            for (r, &c) in t.basis.iter().enumerate() {
                if c < count {
                    vals[c] = t.rhs(r).approx();
                }
            }
            let sum: f64 = vals.iter().sum();
            if sum <= FLOAT_EPS || !sum.is_finite() {
                return None;
            }
            Some(
                vals.iter()
                    .map(|v| {
                        let p = v / sum;
                        if p.abs() <= FLOAT_EPS {
                            0.0
                        } else {
                            p
                        }
                    })
                    .collect(),
            )
        };
        let x = side(&self.tx, self.m)?;
        let y = side(&self.ty, self.n)?;
        Some(vec![x, y])
    }

    /// The normalised profile, or `None` at the artificial equilibrium.
    fn profile(&self) -> Option<Vec<Vec<Rational>>> {
        let side = |t: &Tableau<N>, count: usize| -> Option<Vec<Rational>> {
            let mut vals = vec![N::zero(); count];
            for (r, &c) in t.basis.iter().enumerate() {
                if c < count {
                    vals[c] = t.rhs(r).clone();
                }
            }
            let sum = vals.iter().fold(N::zero(), |s, v| s.add(v));
            if !sum.is_pos() {
                return None;
            }
            vals.iter().map(|v| N::ratio_to_rational(v, &sum)).collect()
        };
        let x = side(&self.tx, self.m)?;
        let y = side(&self.ty, self.n)?;
        Some(vec![x, y])
    }
}

/// The lexicographic minimum-ratio test: among rows with a positive entry in
/// column `col`, the smallest `rhs / entry`; ties broken by the largest
/// `B⁻¹[i][c] / entry` for `c = 0, 1, …` (the slack columns hold `B⁻¹`).
fn exit_row<N: TabNum>(t: &Tableau<N>, col: usize, doubt: &mut bool) -> Option<usize> {
    let rows = t.rows;
    let slack0 = t.cols - 1 - rows;
    let rhs_col = t.cols - 1;
    // The ratio test proper (minimise) in one pass; the rows tied with the
    // best are kept (no allocation unless there is a tie).
    let mut best: Option<usize> = None;
    let mut ties: Vec<usize> = Vec::new();
    for i in 0..rows {
        if !t.at(i, col).is_pos_checked(doubt) {
            continue;
        }
        let Some(k) = best else {
            best = Some(i);
            continue;
        };
        match N::cmp_ratio_checked(
            t.at(i, rhs_col),
            t.at(i, col),
            t.at(k, rhs_col),
            t.at(k, col),
            doubt,
        ) {
            Ordering::Less => {
                best = Some(i);
                ties.clear();
            }
            Ordering::Equal => {
                if ties.is_empty() {
                    ties.push(k);
                }
                ties.push(i);
            }
            Ordering::Greater => {}
        }
    }
    if ties.is_empty() {
        return best;
    }
    // Then the tie-break columns (maximise).
    let mut cand = ties;
    for s in 0..rows {
        if cand.len() <= 1 {
            break;
        }
        let c = slack0 + s;
        let mut keep = vec![cand[0]];
        for &i in &cand[1..] {
            let k = keep[0];
            match N::cmp_ratio_checked(t.at(i, c), t.at(i, col), t.at(k, c), t.at(k, col), doubt) {
                Ordering::Greater => {
                    keep.clear();
                    keep.push(i);
                }
                Ordering::Equal => keep.push(i),
                Ordering::Less => {}
            }
        }
        cand = keep;
    }
    cand.first().copied()
}

fn path_error(e: PathError, budget: u64) -> RunError {
    RunError::Solve(match e {
        PathError::Doubt => return RunError::Doubt,
        PathError::Budget => SolveError::Budget(format!(
            "Lemke-Howson stopped after {budget} pivots without finishing"
        )),
        PathError::Unbounded => SolveError::NotApplicable(
            "Lemke-Howson hit an unbounded ray (numerical trouble in floating point; try exact arithmetic)"
                .into(),
        ),
    })
}

/// The exact profile at the end of a floating-point path (`None`: the
/// artificial equilibrium): the basis solved and checked exactly, and
/// within [`DRIFT`] of the floating-point tableau's.
fn exact_endpoint(s: &LhState<f64>, g: &ExactGame) -> Result<Option<Profile>, RunError> {
    let (rows, cols) = s.supports();
    if rows.is_empty() && cols.is_empty() {
        return Ok(None);
    }
    let p =
        equilibrium_on_basis(g.m, g.n, &g.a, &g.b, &rows, &cols).map_err(|_| RunError::Doubt)?;
    if !s.close_to(&p) {
        return Err(RunError::Doubt);
    }
    Ok(Some(p))
}

/// Makes the profile at the end of a path.
type EndpointFn<'a, N, P> = dyn FnMut(&LhState<N>) -> Result<Option<P>, RunError> + 'a;

/// Runs the search, returning the distinct profiles in the order found:
/// `endpoint` makes the profile at the end of a path (`None`: the
/// artificial equilibrium), `is_new` says whether it was not found before.
#[allow(clippy::too_many_arguments)]
fn run<N: TabNum, P>(
    m: usize,
    n: usize,
    a: Vec<N>,
    b: Vec<N>,
    opts: &LcpOptions,
    how: Endpoints<'_>,
    stats: &mut LcpStats,
    endpoint: &mut EndpointFn<'_, N, P>,
    is_new: &mut dyn FnMut(&P) -> bool,
) -> Result<Vec<P>, RunError> {
    let budget = opts.max_pivots.unwrap_or(100_000_000);
    let fail = |e| path_error(e, budget);
    let start = LhState::new(m, n, a, b);
    let labels = m + n;
    if let Some(k) = opts.start_label {
        let mut s = start;
        s.lemke_path(k, stats, budget, how).map_err(fail)?;
        return Ok(endpoint(&s)?.into_iter().collect());
    }
    let max_depth = opts.max_depth.unwrap_or(0);
    let max_memory = opts.max_memory.unwrap_or(MAX_STACK_BYTES);
    let stop_after = opts.stop_after.unwrap_or(0);
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    // Lemke-Howson paths of the (lexicographically perturbed) system are
    // reversible: if dropping label k leads from basis S to basis S', then
    // dropping k at S' leads back to S, which has been seen. Such known
    // back-edges (keys of S', k) are skipped; Gambit's rule of not dropping
    // the label a basis was reached by is the special case S = parent.
    let mut back_edges: HashSet<(Vec<usize>, usize)> = HashSet::new();
    let mut found: Vec<P> = Vec::new();
    // Depth-first search in Gambit's order: from each vertex pair, drop
    // every label except the one the pair was reached by.
    struct Frame<N: TabNum> {
        state: LhState<N>,
        keys: Vec<usize>,
        next: usize,
        depth: usize,
    }
    // Each frame holds both tableaux; their size bounds the search's memory
    // (an entry's heap part, for big integers, comes on top).
    let state_bytes = (m * (n + m + 1) + n * (m + n + 1))
        .saturating_mul(std::mem::size_of::<N>().max(8))
        .max(1);
    let start_keys = start.keys();
    let mut stack = vec![Frame {
        state: start,
        keys: start_keys,
        next: 0,
        depth: 0,
    }];
    while let Some(top) = stack.last_mut() {
        if top.next >= labels {
            stack.pop();
            continue;
        }
        let k = top.next;
        top.next += 1;
        if back_edges.contains(&(top.keys.clone(), k)) {
            continue;
        }
        let depth = top.depth + 1;
        if max_depth != 0 && depth > max_depth {
            continue;
        }
        let mut s = top.state.clone();
        s.lemke_path(k, stats, budget, how).map_err(fail)?;
        let keys = s.keys();
        back_edges.insert((keys.clone(), k));
        if !seen.insert(keys.clone()) {
            continue;
        }
        let Some(p) = endpoint(&s)? else {
            continue;
        };
        if is_new(&p) {
            found.push(p);
        }
        if stop_after > 0 && found.len() >= stop_after {
            break;
        }
        if (stack.len() + 1).saturating_mul(state_bytes) > max_memory {
            return Err(RunError::Solve(SolveError::Budget(format!(
                "Lemke-Howson: the search for all accessible equilibria would hold more than \
                 {} MiB of tableaux ({} vertex pairs on the current branch, {} equilibria \
                 found so far); use --stop-after N or --max-depth D",
                max_memory >> 20,
                stack.len() + 1,
                found.len()
            ))));
        }
        stack.push(Frame {
            state: s,
            keys,
            next: 0,
            depth,
        });
    }
    Ok(found)
}

/// Convenience: the single equilibrium reached from the artificial
/// equilibrium by dropping `label` (0-based).
pub fn lemke_howson<T: Scalar>(
    game: &NormalFormGame,
    label: usize,
) -> Result<Equilibrium<T>, SolveError> {
    let opts = LcpOptions {
        start_label: Some(label),
        ..Default::default()
    };
    lcp::<T>(game, &opts)?
        .into_iter()
        .next()
        .ok_or_else(|| SolveError::NotApplicable("Lemke-Howson found no equilibrium".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::max_regret;
    use num_bigint::BigInt;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn bimatrix(m: usize, n: usize, a: &[i64], b: &[i64]) -> NormalFormGame {
        // a, b row-major m x n.
        let mut ta = vec![Rational::zero(); m * n];
        let mut tb = vec![Rational::zero(); m * n];
        for i in 0..m {
            for j in 0..n {
                ta[i + j * m] = q(a[i * n + j], 1);
                tb[i + j * m] = q(b[i * n + j], 1);
            }
        }
        NormalFormGame::from_tables(&[m, n], &[ta, tb]).unwrap()
    }

    #[test]
    fn matching_pennies() {
        let g = bimatrix(2, 2, &[1, -1, -1, 1], &[-1, 1, 1, -1]);
        let eqs = lcp::<Rational>(&g, &LcpOptions::default()).unwrap();
        assert_eq!(eqs.len(), 1);
        assert_eq!(
            eqs[0].profile,
            vec![vec![q(1, 2), q(1, 2)], vec![q(1, 2), q(1, 2)]]
        );
        assert_eq!(eqs[0].payoffs, vec![q(0, 1), q(0, 1)]);
    }

    #[test]
    fn battle_of_the_sexes_has_three_accessible() {
        let g = bimatrix(2, 2, &[2, 0, 0, 1], &[1, 0, 0, 2]);
        let eqs = lcp::<Rational>(&g, &LcpOptions::default()).unwrap();
        assert_eq!(eqs.len(), 3);
        for e in &eqs {
            assert_eq!(max_regret(&g, &e.profile), q(0, 1));
        }
        assert!(eqs
            .iter()
            .any(|e| e.profile == vec![vec![q(2, 3), q(1, 3)], vec![q(1, 3), q(2, 3)]]));
        let f = lcp::<f64>(&g, &LcpOptions::default()).unwrap();
        assert_eq!(f.len(), 3);
        let one = lcp::<Rational>(
            &g,
            &LcpOptions {
                stop_after: Some(1),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn degenerate_game_terminates() {
        // All-zero payoffs: every profile is an equilibrium.
        let g = bimatrix(2, 2, &[0, 0, 0, 0], &[0, 0, 0, 0]);
        let eqs = lcp::<Rational>(&g, &LcpOptions::default()).unwrap();
        assert!(!eqs.is_empty());
        for e in &eqs {
            assert_eq!(max_regret(&g, &e.profile), q(0, 1));
        }
    }

    #[test]
    fn options_limit_the_search() {
        // 3x3 coordination: 7 equilibria, all accessible.
        let id = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        let g = bimatrix(3, 3, &id, &id);
        let all = lcp::<Rational>(&g, &LcpOptions::default()).unwrap();
        assert_eq!(all.len(), 7);
        let shallow = lcp::<Rational>(
            &g,
            &LcpOptions {
                max_depth: Some(1),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(shallow.len() < all.len());
        for k in 0..6 {
            let e = lemke_howson::<Rational>(&g, k).unwrap();
            assert!(all.contains(&e));
        }
        assert!(matches!(
            lemke_howson::<Rational>(&g, 6),
            Err(SolveError::NotApplicable(_))
        ));
        let tight = lcp::<Rational>(
            &g,
            &LcpOptions {
                max_pivots: Some(1),
                ..Default::default()
            },
        );
        assert!(matches!(tight, Err(SolveError::Budget(_))));
        // A search that would hold more tableaux than allowed stops with a
        // clear error; one path needs no stack.
        let small = LcpOptions {
            max_memory: Some(1),
            ..Default::default()
        };
        match lcp::<f64>(&g, &small) {
            Err(SolveError::Budget(msg)) => assert!(msg.contains("--stop-after"), "{msg}"),
            other => panic!("expected a memory budget error, got {other:?}"),
        }
        let one = LcpOptions {
            start_label: Some(0),
            ..small
        };
        assert_eq!(lcp::<Rational>(&g, &one).unwrap().len(), 1);
    }

    #[test]
    fn rejects_three_players() {
        let t = vec![Rational::zero(); 8];
        let g = NormalFormGame::from_tables(&[2, 2, 2], &[t.clone(), t.clone(), t]).unwrap();
        assert!(matches!(
            lcp::<Rational>(&g, &LcpOptions::default()),
            Err(SolveError::NotApplicable(_))
        ));
    }
}
