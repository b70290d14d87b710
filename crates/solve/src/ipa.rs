//! Iterated polymatrix approximation.
//!
//! S. Govindan and R. Wilson, "Computing Nash equilibria by iterated
//! polymatrix approximation", *Journal of Economic Dynamics and Control*
//! 28 (2004) 1229–1241. At the current profile `σ` the game is replaced by
//! its polymatrix (first-order) approximation: the payoff of strategy `a`
//! of player `p` is `Σ_{q ≠ p} Σ_b DG_ab s_b` with
//! `DG_ab = u_p(a, b, σ_{−p,−q}) / (n − 1)`, which equals the game's payoff
//! at `s = σ`. An equilibrium of the approximation is computed by
//! complementary pivoting ([`crate::polymatrix`], J. T. Howson, "Equilibria
//! of polymatrix games", *Management Science* 18 (1972)), and the iteration
//! moves towards it.
//!
//! The iteration follows Gametracer's implementation (B. Blum,
//! C. Shelton and D. Koller, GameTracer 0.2, as run by Gambit 16.7's
//! `ipa_solve`), so that started alike it reaches the same equilibrium:
//! - payoffs are shifted so that the smallest is 0 (not rescaled); the
//!   perturbation `g` (default: 1 on every player's first strategy) is
//!   normalised to unit length;
//! - the iteration runs in the space of games `z` (Gül, Pearce and
//!   Stacchetti's structure: `σ = r(z)`, the Euclidean retraction onto
//!   the simplices), from `z = (1, …, 1)`, i.e. the centroid;
//! - each round first solves the approximation on the support of the
//!   previous round's answer (one linear solve) and pivots from the
//!   favourite pure profile of `g` only when that fails;
//! - with `s` the approximation's equilibrium and `ẑ = s + DG s`, the
//!   current `z` is first moved along `z − σ` to the projection of `ẑ`
//!   (when the support is unchanged or the angle is obtuse), then
//!   `z ← α ẑ' + (1 − α) z` with `α = 0.2`, where `ẑ'` is `ẑ` or, once the
//!   support has settled, its rule-of-false-position extrapolation;
//!   `σ ← r(z)` with entries below `10⁻⁶` set to zero;
//! - it stops when `‖ẑ − z‖` or `‖s − σ‖` is below `10⁻⁶` (two-player
//!   games: after the first round, the approximation being the game) and
//!   returns `s`; a call runs 100 rounds and the next call continues from
//!   the last `z`.
//!
//! The arithmetic, too, repeats Gametracer's operation for operation
//! (the Jacobian's summation order, Numerical Recipes' LU for the support
//! system, fraction-free pivots with exact ratio tests): on degenerate
//! games and on long runs, rounding decides which equilibrium is reached.
//! On every reference game where Gambit's `ipa` answered (39) and on the
//! benchmark games, Detente's answer is Gambit's (`bench/nplayer/README.md`).
//!
//! Speed work keeps every iterate to the bit (`tests/ipa_guard.rs` checks a
//! hash of all iterates on every n-player catalog and benchmark game):
//! buffers are allocated once per call (approximation, support system,
//! tableau, per-round vectors), the Jacobian is written in place, sums
//! Gametracer computes and never uses are skipped, loops are interchanged
//! where each entry keeps its own order of operations, and only exact
//! shortcuts are taken (division by ±1 or by a power of two).
//!
//! **Detente's shortcut** ([`IpaOptions::shortcut`], on by default; `detente
//! solve --gametracer-rounds` turns it off). Once the approximation's
//! support has settled, the iteration converges only linearly (each round
//! moves `z` by `α` towards its target), and at a regular equilibrium with
//! that support the limit is determined: it solves the game's indifference
//! equations on the support. So when the support has stayed the same for
//! two rounds and `‖s − σ‖ < 10⁻²`, Newton's method on those equations is
//! run from `s`; if it converges within a few steps to a regular,
//! quasi-strict equilibrium with margins (probabilities on the support and
//! payoff gaps off it at least `10⁻²`, payoffs rescaled to a range of 1),
//! verified, the run ends there instead of some tens of rounds later. The
//! margins keep the shortcut away from points where the iteration's
//! cut-off of small probabilities can still change its course. Started
//! alike, the shortcut ends at the equilibrium of Gametracer's full rounds
//! on every guarded catalog and benchmark game (within 10⁻¹⁴,
//! `tests/ipa_guard.rs`) and on every seeded random game of the tests whose
//! Gambit-like run converges; on 4,200 random 3- to 5-player games (half of
//! them with payoffs in {0, 1, 2}, full of ties) it differed on three,
//! each with payoffs in {0, 1, 2} or where Gametracer's run did not
//! converge at all. With the shortcut off every iterate is Gametracer's,
//! bit for bit.
//!
//! Convergence is local, as in the paper. Detente then polishes the answer
//! by Newton's method on its support and verifies it independently. When
//! the Gambit-like run does not converge within [`IpaOptions::max_rounds`]
//! (Gambit would go on for ever) the method restarts from seeded random
//! perturbation rays (as GameTracer's own driver does) and, as a last
//! resort, polishes the best iterate by Lyapunov descent and Newton's
//! method; notes say which route found the answer. Nothing unverified is
//! returned (Gambit issue #406). An approximation on which Gametracer's
//! pivoting does not finish (it cycles on degenerate ones, where Gambit
//! would never return) is solved by the lexicographic rule, in floating
//! point when that finishes with an answer that checks, else in exact
//! arithmetic ([`crate::polymatrix_exact`]), which cannot cycle; the pivot
//! limit ([`IpaOptions::steps_per_round`]) and the time budget bound it.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::{Budget, Meter};
use crate::equilibrium::SolveError;
use crate::liap::{liap, LiapOptions, Minimizer};
use crate::nplayer_util::{
    refine_on_support, Collector, NewtonWork, NplayerResult, PayoffTensor, SplitMix64,
};
use crate::polymatrix::LemkeOutcome;
use crate::polymatrix::{
    favourites, lemke_howson_with, GtPivoting, PolymatrixGame, SupportSystem, TieRule,
};
use crate::polymatrix_exact::{lemke_howson_exact_f64, ExactOptions};
use detente_game::{NormalFormGame, Scalar};

/// Options of [`ipa`].
#[derive(Debug, Clone, PartialEq)]
pub struct IpaOptions {
    /// Perturbation ray, one vector per player, each with a unique largest
    /// entry; `None`: 1 on every player's first strategy, 0 elsewhere
    /// (Gambit's default).
    pub ray: Option<Vec<Vec<f64>>>,
    /// Start point of the iteration in the space of games (its retraction
    /// is the first profile; a profile is its own retraction); `None`:
    /// all ones, i.e. the centroid (Gambit's start).
    pub start: Option<Vec<Vec<f64>>>,
    /// Largest number of approximation rounds of the Gambit-like run
    /// (Gambit: no limit, in calls of [`IpaOptions::rounds_per_call`]).
    pub max_rounds: usize,
    /// Pivot limit for solving one polymatrix approximation.
    pub steps_per_round: u64,
    /// Acceptance tolerance (relative max regret).
    pub max_regret: f64,
    /// Restarts from seeded random perturbation rays when the Gambit-like
    /// run does not converge.
    pub restarts: usize,
    /// Approximation rounds per restart.
    pub restart_rounds: usize,
    /// Seed of the restart rays.
    pub seed: u64,
    /// Polish the best iterate locally when its relative max regret is
    /// below this and no run converged.
    pub polish_below: f64,
    /// Step and time budget (one step per approximation round).
    pub budget: Budget,
    /// Step size `α` in the space of games (Gambit: 0.2).
    pub alpha: f64,
    /// Convergence distance and cut-off of tiny probabilities (Gambit:
    /// 1e-6).
    pub fuzz: f64,
    /// Rounds per call of the iteration; a new call keeps the point in the
    /// space of games and restarts the extrapolation (Gambit: 100).
    pub rounds_per_call: usize,
    /// Detente's acceleration: once the approximation's support has stayed
    /// the same for 2, 4, 8, … rounds, solve the game's own indifference
    /// equations on that support by Newton's method from the
    /// approximation's equilibrium, and stop there when the solution is a
    /// verified equilibrium (the point the iteration is converging to,
    /// reached without its remaining first-order rounds). `false`: run
    /// Gametracer's rounds to its own convergence test (then every iterate
    /// is Gametracer's, bit for bit).
    pub shortcut: bool,
}

impl Default for IpaOptions {
    fn default() -> Self {
        IpaOptions {
            ray: None,
            start: None,
            max_rounds: 5000,
            steps_per_round: 20_000,
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            restarts: 8,
            restart_rounds: 1000,
            seed: 0,
            polish_below: 0.1,
            budget: Budget::default(),
            alpha: 0.2,
            fuzz: 1e-6,
            rounds_per_call: 100,
            shortcut: true,
        }
    }
}

/// What an [`ipa`] call did, for tests and profiling: counts, and a hash
/// of every iterate, so that a change of the arithmetic that alters a
/// single bit of one iterate is seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IpaTrace {
    /// Approximation rounds over all runs (Gambit-like run and restarts).
    pub rounds: usize,
    /// Rounds whose approximation was solved on the previous support.
    pub support_solves: usize,
    /// Rounds whose approximation was solved by pivoting.
    pub pivot_solves: usize,
    /// Complementary pivots over all rounds.
    pub pivots: usize,
    /// FNV-1a hash of the bits of every round's profile `σ`, the
    /// approximation's equilibrium `s` and the point `z` (after its
    /// projection); computed by [`ipa_traced`] only.
    pub iterate_hash: u64,
    /// The approximation's equilibrium at the last convergence, before
    /// Newton's polish (bit for bit).
    pub converged: Option<Vec<f64>>,
    /// Newton attempts of the shortcut ([`IpaOptions::shortcut`]).
    pub shortcut_tries: usize,
    /// Runs ended by the shortcut.
    pub shortcut_hits: usize,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn hash_into(h: &mut u64, v: &[f64]) {
    for x in v {
        *h ^= x.to_bits();
        *h = h.wrapping_mul(FNV_PRIME);
    }
}

/// Iterated polymatrix approximation, started as Gambit starts it (see the
/// module documentation).
pub fn ipa(game: &NormalFormGame, opts: &IpaOptions) -> Result<NplayerResult, SolveError> {
    run_ipa(game, opts, false).map(|(r, _)| r)
}

/// [`ipa`], also returning what the iteration did ([`IpaTrace`], with the
/// hash of every iterate, which [`ipa`] does not compute).
pub fn ipa_traced(
    game: &NormalFormGame,
    opts: &IpaOptions,
) -> Result<(NplayerResult, IpaTrace), SolveError> {
    run_ipa(game, opts, true)
}

fn run_ipa(
    game: &NormalFormGame,
    opts: &IpaOptions,
    hash: bool,
) -> Result<(NplayerResult, IpaTrace), SolveError> {
    if !(opts.max_regret >= 0.0) {
        return Err(SolveError::NotApplicable(
            "ipa: max_regret must be a nonnegative number".into(),
        ));
    }
    if !(opts.alpha > 0.0 && opts.alpha < 1.0) {
        return Err(SolveError::NotApplicable(
            "ipa: alpha must lie strictly between 0 and 1".into(),
        ));
    }
    if !(opts.fuzz > 0.0 && opts.fuzz < 1.0) {
        return Err(SolveError::NotApplicable(
            "ipa: fuzz must lie strictly between 0 and 1".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    t.check_size("ipa")?;
    let ray: Vec<f64> = match &opts.ray {
        Some(r) => {
            if r.len() != t.n || r.iter().zip(&t.shape).any(|(v, &s)| v.len() != s) {
                return Err(SolveError::NotApplicable(
                    "ipa: the ray needs one number per strategy of every player".into(),
                ));
            }
            let flat: Vec<f64> = r.iter().flatten().cloned().collect();
            if flat.iter().any(|v| !v.is_finite()) {
                return Err(SolveError::NotApplicable(
                    "ipa: ray entries must be finite".into(),
                ));
            }
            flat
        }
        None => {
            let mut b = vec![0.0; t.k];
            for j in 0..t.n {
                b[t.offsets[j]] = 1.0;
            }
            b
        }
    };
    let g = normalised(&ray);
    let mut run = Iteration::new(game, &t, opts)?;
    run.hash = hash;
    favourites(&run.pm, &g).map_err(|e| SolveError::NotApplicable(format!("ipa: {e}")))?;
    let zh0 = match &opts.start {
        Some(s) => t.flatten(s)?,
        None => vec![1.0; t.k],
    };
    let mut meter = opts.budget.start();
    run.deadline = opts
        .budget
        .max_time
        .and_then(|t| std::time::Instant::now().checked_add(t));
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let first = run.run(&g, zh0, opts.max_rounds, opts, &mut meter, &mut coll);
    let mut done = first.done;
    let mut rounds = first.rounds;
    if !done {
        coll.note(format!(
            "ipa: the run started as Gambit starts it {} after {} rounds",
            first.why, first.rounds
        ));
    }
    // Restarts: the iteration converges only locally (Govindan and Wilson
    // 2004, section 4); GameTracer's own driver draws new random rays.
    let mut restarts_used = 0;
    if !done {
        let mut rng = SplitMix64::new(opts.seed);
        for r in 0..opts.restarts {
            if meter.exhausted() {
                break;
            }
            let ray2: Vec<f64> = (0..t.k).map(|_| rng.next_f64()).collect();
            let out = run.run(
                &normalised(&ray2),
                vec![1.0; t.k],
                opts.restart_rounds,
                opts,
                &mut meter,
                &mut coll,
            );
            rounds += out.rounds;
            restarts_used = r + 1;
            if out.done {
                done = true;
                coll.note(format!(
                    "ipa: equilibrium found from random perturbation ray {} (seed {})",
                    r + 1,
                    opts.seed
                ));
                break;
            }
        }
    }
    // Last resort: a local polish of the best iterate (Lyapunov descent,
    // then Newton on its support). Always verified before it is kept.
    // The best sampled iterate, only needed when no run converged.
    let best = if done {
        (f64::INFINITY, Vec::new())
    } else {
        run.best()
    };
    // An iterate that already is an equilibrium (the budget may have
    // stopped the run before its convergence test) is offered as it is:
    // the collector verifies it like any other answer.
    if !done && best.0.is_finite() && coll.offer(&best.1, true) {
        done = true;
        coll.note(format!(
            "ipa: the iteration stopped before it converged; its best iterate (max regret {:.3e} of the payoff range) is an equilibrium and was verified",
            best.0
        ));
    }
    if !done && !meter.exhausted() && best.0 < opts.polish_below {
        let lo = LiapOptions {
            centroid: false,
            starts: vec![t.nest(&best.1)],
            random_starts: 0,
            max_regret: opts.max_regret,
            budget: meter.sub_budget(20_000),
            minimizer: Minimizer::ProjectedGradient,
            ..LiapOptions::default()
        };
        if let Ok(res) = liap(game, &lo) {
            for e in res.equilibria {
                let x: Vec<f64> = e.profile.iter().flatten().cloned().collect();
                if coll.offer(&x, true) {
                    done = true;
                    coll.note(format!(
                        "ipa: the iteration did not converge (best max regret {:.3e} of the payoff range); the equilibrium was obtained by a local polish (Lyapunov descent and Newton's method) of the best iterate and verified",
                        best.0
                    ));
                    break;
                }
            }
        }
    }
    if run.exact_fallbacks > 0 {
        let exact_ok = run.exact_solves - run.exact_failures;
        let float_ok = run.exact_fallbacks - run.exact_solves;
        let mut parts = Vec::new();
        if float_ok > 0 {
            parts.push(format!(
                "{float_ok} solved by the lexicographic rule in floating point (answer checked)"
            ));
        }
        if exact_ok > 0 {
            parts.push(format!(
                "{exact_ok} solved exactly by the lexicographic rule in rational arithmetic, which cannot cycle"
            ));
        }
        if run.exact_failures > 0 {
            parts.push(format!(
                "{} could not be solved within the same pivot limit or the time budget",
                run.exact_failures
            ));
        }
        coll.note(format!(
            "ipa: Gametracer's pivoting did not finish on {} polymatrix approximation(s) (it cycles on degenerate ones, where Gambit would not stop, or its pivot limit of {} was too low); {}",
            run.exact_fallbacks,
            run.max_pivots,
            parts.join("; ")
        ));
    }
    coll.result.budget_exhausted = meter.exhausted();
    coll.result.complete = done;
    run.trace.rounds = rounds;
    if !done {
        coll.note(format!(
            "ipa: no verified equilibrium after {rounds} rounds and {restarts_used} restarts (best max regret {:.3e} of the payoff range){}",
            best.0,
            if meter.exhausted() {
                format!("; {}", meter.describe())
            } else {
                String::new()
            }
        ));
    }
    Ok((coll.result, run.trace))
}

/// `v / ‖v‖` (unchanged when `v` is zero).
fn normalised(v: &[f64]) -> Vec<f64> {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        v.iter().map(|x| x / norm).collect()
    } else {
        v.to_vec()
    }
}

/// The retraction of Gül, Pearce and Stacchetti: each player's block of
/// `z` minus the constant that leaves a probability vector after
/// negative entries are cut to zero.
#[cfg(test)]
fn retract(t: &PayoffTensor, z: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    retract_into(t, z, &mut out, &mut Vec::new());
    out
}

/// [`retract`] into `out`, `y` a scratch buffer.
fn retract_into(t: &PayoffTensor, z: &[f64], out: &mut Vec<f64>, y: &mut Vec<f64>) {
    out.clear();
    out.resize(t.k, 0.0);
    for j in 0..t.n {
        let o = t.offsets[j];
        let m = t.shape[j];
        y.clear();
        y.extend_from_slice(&z[o..o + m]);
        y.sort_by(|a, b| b.total_cmp(a));
        let mut sum = y[0];
        let mut i = 1;
        while i < m {
            if sum - i as f64 * y[i] > 1.0 {
                break;
            }
            sum += y[i];
            i += 1;
        }
        let v = (sum - 1.0) / i as f64;
        for h in 0..m {
            out[o + h] = (z[o + h] - v).max(0.0);
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// How one call of the iteration ended.
enum CallEnd {
    /// Converged: the approximation's equilibrium `s`.
    Converged(Vec<f64>),
    /// Ran its rounds without converging.
    Rounds,
    /// The shortcut's Newton solution, verified and offered.
    Shortcut,
    /// Budget exhausted.
    Budget,
    /// The approximation could not be solved or numbers became infinite.
    Failed(String),
}

/// What one run (several calls) reached.
struct RunOutcome {
    done: bool,
    rounds: usize,
    why: String,
}

/// The payoff table as Gametracer holds it: `pay[player * cells + cell]`,
/// each payoff minus the game's smallest (computed exactly, then rounded).
struct Shifted {
    n: usize,
    shape: Vec<usize>,
    offsets: Vec<usize>,
    k: usize,
    cells: usize,
    pay: Vec<f64>,
}

/// Scratch tensors and axis lists of [`Shifted::jacobian_into`].
#[derive(Default)]
struct JacobianWork {
    cur: Vec<f64>,
    res: Vec<f64>,
    tmp: Vec<f64>,
    axes: Vec<usize>,
    rax: Vec<usize>,
}

impl Shifted {
    fn new(game: &NormalFormGame, t: &PayoffTensor) -> Self {
        let cells = t.cells;
        let pay = Self::integer_table(game, t.n, cells)
            .or_else(|| Self::small_fractions(game, t.n, cells))
            .unwrap_or_else(|| Self::exact_table(game, t.n, cells));
        Shifted {
            n: t.n,
            shape: t.shape.clone(),
            offsets: t.offsets.clone(),
            k: t.k,
            cells,
            pay,
        }
    }

    /// The shifted table from the game's `f64` table when every payoff is
    /// an integer of magnitude below 2^52: each is exact in `f64`, and so
    /// is its difference to the smallest, the number both other paths
    /// compute for such payoffs. `None` otherwise.
    fn integer_table(game: &NormalFormGame, n: usize, cells: usize) -> Option<Vec<f64>> {
        if game.integer_payoff_bound()? >= 1 << 52 {
            return None;
        }
        let lo = game.payoff_range_f64().0;
        let raw = game.payoff_table_f64();
        let mut pay = vec![0.0; n * cells];
        for (p, row) in pay.chunks_exact_mut(cells.max(1)).enumerate().take(n) {
            for (cell, x) in row.iter_mut().enumerate() {
                *x = raw[cell * n + p] - lo;
            }
        }
        Some(pay)
    }

    /// The shifted table in rationals: integers below 2^52 subtract
    /// exactly in f64; other payoffs are subtracted exactly, then rounded
    /// once (as Gambit does).
    fn exact_table(game: &NormalFormGame, n: usize, cells: usize) -> Vec<f64> {
        let (lo, _) = game.payoff_range();
        let mut pay = vec![0.0; n * cells];
        const EXACT: f64 = 4_503_599_627_370_496.0;
        let small = |r: &detente_game::Rational| r.is_integer() && r.to_f64().abs() < EXACT;
        let lo_f = lo.to_f64();
        let lo_small = small(&lo);
        for p in 0..n {
            for cell in 0..cells {
                let x = game.payoff(cell, p);
                pay[p * cells + cell] = if lo_small && small(x) {
                    x.to_f64() - lo_f
                } else {
                    (x - &lo).to_f64()
                };
            }
        }
        pay
    }

    /// The shifted table computed in machine integers when every payoff is
    /// a reduced fraction `a/b` with `|a|, b < 2^62` (integers and the
    /// usual decimals): the same numbers as the general path, bit for bit,
    /// without its big-number arithmetic. Integer differences are taken in
    /// `f64` as there; other differences are reduced exactly (`i128`) and
    /// converted as `rational_to_f64` converts them (numerator and
    /// denominator, each exact below 2^53, then one division). `None` when
    /// a payoff or a difference is outside these bounds.
    fn small_fractions(game: &NormalFormGame, n: usize, cells: usize) -> Option<Vec<f64>> {
        const EXACT: i64 = 1 << 52;
        const LIMIT: i64 = 1 << 62;
        const F64_EXACT: u128 = 1 << 53;
        let mut q: Vec<(i64, i64)> = Vec::with_capacity(n * cells);
        for p in 0..n {
            for cell in 0..cells {
                let x = game.payoff(cell, p);
                let a = num_traits::ToPrimitive::to_i64(x.numer()).filter(|v| v.abs() < LIMIT)?;
                let b =
                    num_traits::ToPrimitive::to_i64(x.denom()).filter(|&v| v > 0 && v < LIMIT)?;
                if b != 1 && gcd(a.unsigned_abs() as u128, b as u128) != 1 {
                    return None;
                }
                q.push((a, b));
            }
        }
        // The exact minimum (the first of equal ones).
        let mut lo = *q.first()?;
        for &(a, b) in &q[1..] {
            if (a as i128) * (lo.1 as i128) < (lo.0 as i128) * (b as i128) {
                lo = (a, b);
            }
        }
        let lo_small = lo.1 == 1 && lo.0.abs() < EXACT;
        let lo_f = lo.0 as f64;
        let mut pay = Vec::with_capacity(q.len());
        for (a, b) in q {
            if lo_small && b == 1 && a.abs() < EXACT {
                pay.push(a as f64 - lo_f);
                continue;
            }
            let num = (a as i128) * (lo.1 as i128) - (lo.0 as i128) * (b as i128);
            let den = (b as i128) * (lo.1 as i128);
            let g = gcd(num.unsigned_abs(), den as u128);
            let (num, den) = (num.unsigned_abs() / g, den as u128 / g);
            if num >= F64_EXACT || den >= F64_EXACT {
                return None;
            }
            // x − lo ≥ 0.
            pay.push(num as f64 / den as f64);
        }
        Some(pay)
    }

    /// `DG[a * k + b] = u_p(a, b, s_{−p,−q}) / (n − 1)` for strategies `a` of
    /// `p` and `b` of `q ≠ p` (zero within a player, left untouched): each
    /// other player's strategies summed out from the last player to the
    /// first, skipping those played with probability zero, as Gametracer's
    /// `payoffMatrix` does. Sums that Gametracer computes and never uses
    /// (the last player's fully summed-out table) are skipped.
    fn jacobian_into(&self, s: &[f64], dg: &mut [f64], w: &mut JacobianWork) {
        let (n, k) = (self.n, self.k);
        if n == 3 {
            self.jacobian3_into(s, dg, &mut w.axes);
            return;
        }
        let div = (n - 1) as f64;
        // Dividing by a power of two is multiplying by its reciprocal,
        // exactly (the same real number is rounded): 3 and 5 players.
        let pow2 = (n - 1).is_power_of_two();
        let inv = 1.0 / div;
        let JacobianWork {
            cur,
            res,
            tmp,
            axes,
            rax,
        } = w;
        for p in 0..n {
            // `cur`: player p's payoffs with the players above the current
            // q summed out (top down), shared by every q below.
            cur.clear();
            cur.extend_from_slice(&self.pay[p * self.cells..(p + 1) * self.cells]);
            axes.clear();
            axes.extend(0..n);
            // The lowest player other than p: after it, `cur` is not needed.
            let last_q = if p == 0 { 1 } else { 0 };
            for q in (0..n).rev() {
                if q == p {
                    continue;
                }
                // res = cur with every player below q (but p) summed out,
                // top down; the first sum reads `cur` directly.
                rax.clone_from(axes);
                let mut in_res = false;
                for r in (0..q).rev() {
                    if r != p {
                        if in_res {
                            self.contract(res, tmp, rax, r, s);
                            std::mem::swap(res, tmp);
                        } else {
                            self.contract(cur, res, rax, r, s);
                            in_res = true;
                        }
                    }
                }
                let table: &[f64] = if in_res { &res[..] } else { &cur[..] };
                let (op, oq) = (self.offsets[p], self.offsets[q]);
                for ia in 0..self.shape[p] {
                    for ib in 0..self.shape[q] {
                        let idx = if p < q {
                            ia + ib * self.shape[p]
                        } else {
                            ib + ia * self.shape[q]
                        };
                        dg[(op + ia) * k + oq + ib] = if pow2 {
                            table[idx] * inv
                        } else {
                            table[idx] / div
                        };
                    }
                }
                if q != last_q {
                    self.contract(cur, tmp, axes, q, s);
                    std::mem::swap(cur, tmp);
                }
            }
        }
    }

    /// [`Shifted::jacobian_into`] for three players, without the tensor
    /// bookkeeping: each block `(p, q)` sums out the one other player `r`,
    /// which is the single contraction the general code does for it, so
    /// every entry is the same sum in the same order (`r`'s strategies in
    /// order, from the first product, those of probability zero skipped),
    /// halved (`n − 1 = 2`, exact). `on` is a scratch list of the played
    /// strategies.
    fn jacobian3_into(&self, s: &[f64], dg: &mut [f64], on: &mut Vec<usize>) {
        let k = self.k;
        let shape = &self.shape;
        let stride = [1, shape[0], shape[0] * shape[1]];
        for p in 0..3 {
            let pay = &self.pay[p * self.cells..(p + 1) * self.cells];
            for q in 0..3 {
                if q == p {
                    continue;
                }
                let r = 3 - p - q;
                let w = &s[self.offsets[r]..self.offsets[r] + shape[r]];
                // r's played strategies.
                on.clear();
                on.extend((0..shape[r]).filter(|&i| w[i] > 0.0));
                let (op, oq) = (self.offsets[p], self.offsets[q]);
                for ia in 0..shape[p] {
                    let row = &mut dg[(op + ia) * k + oq..(op + ia) * k + oq + shape[q]];
                    for (ib, d) in row.iter_mut().enumerate() {
                        let base = ia * stride[p] + ib * stride[q];
                        let mut sum = 0.0;
                        if let Some((&first, rest)) = on.split_first() {
                            sum = pay[base + first * stride[r]] * w[first];
                            for &i in rest {
                                sum += w[i] * pay[base + i * stride[r]];
                            }
                        }
                        *d = sum * 0.5;
                    }
                }
            }
        }
    }

    /// Sums axis `r` out of the tensor `buf` over `axes` (ascending, the
    /// first varying fastest) into `next`, weighting by `s` and skipping
    /// zero weights, each sum in strategy order starting from the first
    /// product; `r` is removed from `axes`.
    fn contract(
        &self,
        buf: &[f64],
        next: &mut Vec<f64>,
        axes: &mut Vec<usize>,
        r: usize,
        s: &[f64],
    ) {
        let Some(pos) = axes.iter().position(|&x| x == r) else {
            next.clear();
            next.extend_from_slice(buf);
            return;
        };
        let stride: usize = axes[..pos].iter().map(|&x| self.shape[x]).product();
        let outer: usize = axes[pos + 1..].iter().map(|&x| self.shape[x]).product();
        let size = self.shape[r];
        let w = &s[self.offsets[r]..self.offsets[r] + size];
        next.clear();
        next.resize(stride * outer, 0.0);
        if stride == 1 {
            // Summing out the fastest axis: one dot product per entry, in
            // the same order.
            for (o, dst) in next.iter_mut().enumerate() {
                let src = &buf[o * size..(o + 1) * size];
                let mut first = true;
                for (&x, &wi) in src.iter().zip(w) {
                    if !(wi > 0.0) {
                        continue;
                    }
                    if first {
                        *dst = x * wi;
                        first = false;
                    } else {
                        *dst += wi * x;
                    }
                }
            }
            axes.remove(pos);
            return;
        }
        for o in 0..outer {
            let dst = &mut next[o * stride..(o + 1) * stride];
            let mut first = true;
            for (i, &wi) in w.iter().enumerate() {
                if !(wi > 0.0) {
                    continue;
                }
                let src = &buf[(o * size + i) * stride..(o * size + i + 1) * stride];
                if first {
                    for (d, &x) in dst.iter_mut().zip(src) {
                        *d = x * wi;
                    }
                    first = false;
                } else {
                    for (d, &x) in dst.iter_mut().zip(src) {
                        *d += wi * x;
                    }
                }
            }
        }
        axes.remove(pos);
    }
}

/// Greatest common divisor (`gcd(0, b) = b`).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The per-round vectors of [`Iteration::call`], allocated once.
#[derive(Default)]
struct RoundBuffers {
    /// Current profile `σ = r(z)` (cut and renormalised).
    sh: Vec<f64>,
    /// Previous answer, profile and points.
    so: Vec<f64>,
    sho: Vec<f64>,
    y: Vec<f64>,
    yh: Vec<f64>,
    /// This round's answer, values, point and next point.
    s: Vec<f64>,
    values: Vec<f64>,
    z: Vec<f64>,
    zt: Vec<f64>,
    u: Vec<f64>,
    zs: Vec<f64>,
    support: Vec<bool>,
    sol: Vec<f64>,
    sort: Vec<f64>,
}

/// The iteration on one game.
struct Iteration<'a> {
    t: &'a PayoffTensor,
    shifted: Shifted,
    alpha: f64,
    fuzz: f64,
    max_pivots: usize,
    /// Every 8th round's answer `s` (for the last-resort polish), flat;
    /// their regrets are computed only when no run converges.
    samples: Vec<f64>,
    /// Best of the samples already evaluated (relative max regret,
    /// profile), when the sample store grew large.
    best_so_far: (f64, Vec<f64>),
    /// Approximations on which Gametracer's pivoting did not finish,
    /// handed to the lexicographic rule.
    exact_fallbacks: usize,
    /// Of those, the ones the floating-point lexicographic rule did not
    /// solve (cycled or answered wrongly), handed to the exact rule.
    exact_solves: usize,
    /// Whether to try the floating-point lexicographic rule before the
    /// exact one (always, but for tests of the exact path).
    float_lexicographic: bool,
    /// Of those, the ones the exact rule could not solve within its pivot
    /// limit or the time budget.
    exact_failures: usize,
    /// When the time budget ends (bounds the exact pivoting).
    deadline: Option<std::time::Instant>,
    /// Counts and the iterates' hash.
    trace: IpaTrace,
    /// Whether to hash the iterates.
    hash: bool,
    /// The polymatrix approximation, rewritten in place every round.
    pm: PolymatrixGame,
    jac: JacobianWork,
    sys: SupportSystem,
    gt: GtPivoting,
    b: RoundBuffers,
    /// Whether to try the shortcut ([`IpaOptions::shortcut`]).
    shortcut: bool,
    /// Newton's buffers for the shortcut (made at its first try).
    newton: Option<NewtonWork>,
    /// The shortcut's support, as indices.
    short_support: Vec<usize>,
}

/// The shortcut is tried once the support has stayed the same for two
/// rounds and `‖s − σ‖` is below this; after a failed try, again when it
/// is ten times smaller (or the support changes). Gametracer's own test
/// stops at `10⁻⁶`.
const SHORTCUT_GATE: f64 = 1e-2;
/// Least probability on the support, and least payoff gap (rescaled, the
/// range being 1) to any strategy off it, of an equilibrium the shortcut
/// accepts.
const SHORTCUT_MARGIN: f64 = 1e-2;

/// Samples kept before their regrets are folded into the best one.
const MAX_SAMPLE_FLOATS: usize = 1 << 20;

impl<'a> Iteration<'a> {
    fn new(
        game: &NormalFormGame,
        t: &'a PayoffTensor,
        opts: &IpaOptions,
    ) -> Result<Self, SolveError> {
        let shifted = Shifted::new(game, t);
        let mut pm = PolymatrixGame::new(t.shape.clone(), vec![0.0; t.k * t.k])
            .map_err(|e| SolveError::NotApplicable(format!("ipa: {e}")))?;
        if t.n < 2 {
            // One player: the approximation is the game itself.
            pm = pm
                .with_constants(shifted.pay.clone())
                .map_err(|e| SolveError::NotApplicable(format!("ipa: {e}")))?;
        }
        Ok(Iteration {
            t,
            shifted,
            alpha: opts.alpha,
            fuzz: opts.fuzz,
            max_pivots: usize::try_from(opts.steps_per_round).unwrap_or(usize::MAX),
            samples: Vec::new(),
            best_so_far: (f64::INFINITY, t.centroid()),
            exact_fallbacks: 0,
            exact_failures: 0,
            exact_solves: 0,
            float_lexicographic: true,
            deadline: None,
            trace: IpaTrace {
                iterate_hash: FNV_OFFSET,
                ..IpaTrace::default()
            },
            hash: false,
            pm,
            jac: JacobianWork::default(),
            sys: SupportSystem::default(),
            gt: GtPivoting::default(),
            b: RoundBuffers::default(),
            shortcut: opts.shortcut && t.n > 2,
            newton: None,
            short_support: Vec::new(),
        })
    }

    /// Folds the stored samples into `best_so_far` (in the order they were
    /// taken, the first of equal regrets kept).
    fn fold_samples(&mut self) {
        let k = self.t.k;
        if k == 0 {
            return;
        }
        for x in self.samples.chunks(k) {
            let reg = self.t.max_regret(x);
            if reg < self.best_so_far.0 {
                self.best_so_far = (reg, x.to_vec());
            }
        }
        self.samples.clear();
    }

    /// Best sampled iterate (relative max regret, profile).
    fn best(&mut self) -> (f64, Vec<f64>) {
        self.fold_samples();
        self.best_so_far.clone()
    }

    /// The polymatrix approximation at `sh` in `self.pm`, in the shifted
    /// (unscaled) payoffs Gametracer uses, with the same order of
    /// operations.
    fn approximate(&mut self, sh: &[f64]) -> Result<(), String> {
        if self.t.n >= 2 {
            self.shifted
                .jacobian_into(sh, self.pm.matrix_mut(), &mut self.jac);
            self.pm.check_finite().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Calls of the iteration from `zh` with ray `g` until it converges,
    /// fails or `max_rounds` rounds are spent; offers the polished answer.
    fn run(
        &mut self,
        g: &[f64],
        mut zh: Vec<f64>,
        max_rounds: usize,
        opts: &IpaOptions,
        meter: &mut Meter,
        coll: &mut Collector,
    ) -> RunOutcome {
        let mut rounds = 0;
        let per_call = opts.rounds_per_call.max(1);
        // Gametracer's pivoting needs the ray's favourites; without them
        // (a tie) every pivoting attempt fails as `lemke_howson_with` does.
        let im = favourites(&self.pm, g).ok();
        while rounds < max_rounds {
            let m = per_call.min(max_rounds - rounds);
            let (end, used) = self.call(g, im.as_deref(), &mut zh, m, meter, coll);
            rounds += used;
            match end {
                CallEnd::Converged(s) => {
                    self.trace.converged = Some(s.clone());
                    let ok = match refine_on_support(self.t, &s, opts.max_regret) {
                        Some(y) => coll.offer(&y, true),
                        None => false,
                    };
                    return RunOutcome {
                        done: ok,
                        rounds,
                        why: if ok {
                            "converged".into()
                        } else {
                            format!(
                                "converged to a profile that did not verify (max regret {:.3e} of the payoff range)",
                                self.t.max_regret(&s)
                            )
                        },
                    };
                }
                CallEnd::Shortcut => {
                    self.trace.shortcut_hits += 1;
                    return RunOutcome {
                        done: true,
                        rounds,
                        why: "converged".into(),
                    };
                }
                CallEnd::Rounds => {}
                CallEnd::Budget => {
                    return RunOutcome {
                        done: false,
                        rounds,
                        why: "ran out of budget".into(),
                    }
                }
                CallEnd::Failed(why) => {
                    return RunOutcome {
                        done: false,
                        rounds,
                        why,
                    }
                }
            }
        }
        RunOutcome {
            done: false,
            rounds,
            why: "did not converge".into(),
        }
    }

    /// The approximation's equilibrium into `self.b.s`: on the previous
    /// support if that works, else by pivoting from the ray's favourite.
    fn solve_approximation(&mut self, g: &[f64], im: Option<&[usize]>) -> Result<(), String> {
        let b = &mut self.b;
        b.support.clear();
        b.support.extend(b.so.iter().map(|&x| x > 0.0));
        if self.sys.solve(&self.pm, &b.support, &mut b.sol) && b.sol.iter().all(|&x| !(x < 0.0)) {
            self.trace.support_solves += 1;
            b.s.clear();
            b.s.extend(
                b.sol
                    .iter()
                    .zip(&b.support)
                    .map(|(&x, &on)| if on { x } else { 0.0 }),
            );
            return Ok(());
        }
        let first = match im {
            Some(im) => self.gt.solve(&self.pm, g, im, self.max_pivots, &mut b.s),
            None => Err(crate::polymatrix::PolymatrixError::Invalid(String::new())),
        };
        let pivots = match first {
            Ok(p) => p,
            Err(_) => {
                // Gametracer's pivoting cycled or met a ray (Gambit would
                // not finish). The lexicographic rule in floating point
                // first (fast; its answer kept only if it is an equilibrium
                // of the approximation up to rounding), else the same rule
                // in exact arithmetic, which cannot cycle (the
                // approximation as stored, read exactly; its exact
                // equilibrium rounded to f64): only its pivot limit and the
                // time budget can stop it.
                self.exact_fallbacks += 1;
                let tol = 1e-9 * self.pm.magnitude();
                let float = if self.float_lexicographic {
                    lemke_howson_with(&self.pm, g, self.max_pivots, TieRule::Lexicographic)
                        .ok()
                        .filter(|o| self.pm.max_regret(&o.profile) <= tol)
                } else {
                    None
                };
                let eo = ExactOptions {
                    max_pivots: self.max_pivots,
                    deadline: self.deadline,
                };
                match float.map(Ok).unwrap_or_else(|| {
                    self.exact_solves += 1;
                    lemke_howson_exact_f64(&self.pm, g, &eo).map(|o| LemkeOutcome {
                        profile: o.profile.iter().map(Scalar::to_f64).collect(),
                        pivots: o.pivots,
                    })
                }) {
                    Ok(o) => {
                        b.s.clone_from(&o.profile);
                        o.pivots
                    }
                    Err(e) => {
                        self.exact_failures += 1;
                        return Err(format!(
                            "could not solve a polymatrix approximation by exact pivoting ({e})"
                        ));
                    }
                }
            }
        };
        self.trace.pivot_solves += 1;
        self.trace.pivots += pivots;
        Ok(())
    }

    /// The shortcut ([`IpaOptions::shortcut`]): Newton's method on the
    /// game's indifference equations on the support of this round's answer
    /// `s`, from `s`, a few steps at most. The solution ends the run only
    /// if it is a regular, quasi-strict equilibrium with margins (every
    /// probability on the support at least [`SHORTCUT_MARGIN`], every
    /// strategy off it at least [`SHORTCUT_MARGIN`] of the payoff range
    /// below the best): near such a point the iteration keeps its support
    /// and converges to it. At a point without those margins (a strategy
    /// of probability near zero, a tie with an unused strategy) the
    /// iteration's cut-off of small probabilities can change the support
    /// and lead elsewhere, so it goes on. The collector verifies the
    /// solution as any answer.
    fn try_shortcut(&mut self, coll: &mut Collector) -> bool {
        /// Newton steps: from a point near the limit a handful suffice;
        /// needing more means the point is not near it.
        const STEPS: usize = 8;
        let t = self.t;
        self.trace.shortcut_tries += 1;
        let s = &self.b.s;
        self.short_support.clear();
        self.short_support.extend((0..t.k).filter(|&i| s[i] > 0.0));
        let work = self.newton.get_or_insert_with(|| NewtonWork::new(t));
        let Some((y, true)) = work.newton(t, &self.short_support, s, STEPS) else {
            return false;
        };
        // Values in the rescaled payoffs (range 1).
        let v = t.values(&y);
        for j in 0..t.n {
            let block = t.offsets[j]..t.offsets[j] + t.shape[j];
            let best = block
                .clone()
                .filter(|&i| s[i] > 0.0)
                .map(|i| v[i])
                .fold(f64::NEG_INFINITY, f64::max);
            let with_margin = block.into_iter().all(|i| {
                if s[i] > 0.0 {
                    y[i] >= SHORTCUT_MARGIN
                } else {
                    best - v[i] >= SHORTCUT_MARGIN
                }
            });
            if !with_margin {
                return false;
            }
        }
        coll.offer(&y, true)
    }

    /// One call of Gametracer's iteration: at most `maxiter` rounds from
    /// `zh` (updated in place). Returns how it ended and the rounds used.
    fn call(
        &mut self,
        g: &[f64],
        im: Option<&[usize]>,
        zh: &mut Vec<f64>,
        maxiter: usize,
        meter: &mut Meter,
        coll: &mut Collector,
    ) -> (CallEnd, usize) {
        let t = self.t;
        let k = t.k;
        let (alpha, fuzz) = (self.alpha, self.fuzz);
        {
            let b = &mut self.b;
            retract_into(t, zh, &mut b.sh, &mut b.sort);
            b.so.clone_from(&b.sh);
            for v in [&mut b.sho, &mut b.y, &mut b.yh] {
                v.clear();
                v.resize(k, 0.0);
            }
        }
        // Rounds the approximation's support has stayed the same, and when
        // the shortcut is tried next.
        let mut settled = 0usize;
        let mut gate = SHORTCUT_GATE;
        for iter in 1..=maxiter {
            if !meter.tick() {
                return (CallEnd::Budget, iter - 1);
            }
            let sh = std::mem::take(&mut self.b.sh);
            let ready = self.approximate(&sh);
            self.b.sh = sh;
            if let Err(e) = ready {
                return (CallEnd::Failed(e), iter);
            }
            if let Err(e) = self.solve_approximation(g, im) {
                return (CallEnd::Failed(e), iter);
            }
            let b = &mut self.b;
            self.pm.values_into(&b.s, &mut b.values);
            b.z.clear();
            b.z.extend(b.values.iter().zip(&b.s).map(|(v, x)| v + x));
            let same_support = b.s.iter().zip(&b.so).all(|(&a, &c)| (a > 0.0) == (c > 0.0));
            // Move zh along zh − sh to the projection of z (when the angle
            // is obtuse or the support has not changed).
            b.u.clear();
            b.u.extend(zh.iter().zip(&b.sh).map(|(a, c)| a - c));
            let uu = dot(&b.u, &b.u);
            if uu != 0.0 {
                b.zs.clear();
                b.zs.extend(b.z.iter().zip(&b.sh).map(|(a, c)| a - c));
                let ell = dot(&b.zs, &b.u) / uu;
                if ell <= 0.0 || same_support {
                    for i in 0..k {
                        zh[i] = b.u[i] * ell + b.sh[i];
                        b.yh[i] = (b.yh[i] - b.sho[i]) * ell + b.sho[i];
                    }
                }
            }
            if self.hash {
                hash_into(&mut self.trace.iterate_hash, &b.sh);
                hash_into(&mut self.trace.iterate_hash, &b.s);
                hash_into(&mut self.trace.iterate_hash, zh);
            }
            let dz = dist(&b.z, zh);
            let ds = dist(&b.s, &b.sh);
            if !dz.is_finite() || !ds.is_finite() {
                return (CallEnd::Failed("met non-finite numbers".into()), iter);
            }
            // The best iterate (for the last-resort polish), sampled; its
            // regret is computed only if no run converges.
            if iter % 8 == 1 {
                self.samples.extend_from_slice(&b.s);
                if self.samples.len() >= MAX_SAMPLE_FLOATS {
                    self.fold_samples();
                }
            }
            let b = &mut self.b;
            if t.n <= 2 || dz < fuzz || ds < fuzz {
                return (CallEnd::Converged(b.s.clone()), iter);
            }
            if self.shortcut {
                if same_support {
                    settled += 1;
                } else {
                    settled = 0;
                    gate = SHORTCUT_GATE;
                }
                if settled >= 2 && ds < gate {
                    gate = ds / 10.0;
                    if self.try_shortcut(coll) {
                        return (CallEnd::Shortcut, iter);
                    }
                }
            }
            let b = &mut self.b;
            // First-order step, or the rule of false position once the
            // support has settled: zt = α z' + (1 − α) zh.
            b.zt.clear();
            for i in 0..k {
                let mut target = b.z[i];
                if iter > 1 {
                    let d = b.z[i] - zh[i] - b.y[i] + b.yh[i];
                    if same_support && d > fuzz {
                        target = (b.yh[i] * b.z[i] - zh[i] * b.y[i]) / d;
                    }
                }
                b.zt.push((target * (alpha / (1.0 - alpha)) + zh[i]) * (1.0 - alpha));
            }
            std::mem::swap(&mut b.so, &mut b.s);
            std::mem::swap(&mut b.y, &mut b.z);
            std::mem::swap(&mut b.sho, &mut b.sh);
            b.yh.clone_from(zh);
            std::mem::swap(zh, &mut b.zt);
            retract_into(t, zh, &mut b.sh, &mut b.sort);
            for x in &mut b.sh {
                if *x < fuzz {
                    *x = 0.0;
                }
            }
            for j in 0..t.n {
                let o = t.offsets[j];
                let sum: f64 = b.sh[o..o + t.shape[j]].iter().sum();
                if !(sum > 0.0) {
                    return (
                        CallEnd::Failed("lost a player's whole strategy set".into()),
                        iter,
                    );
                }
                for x in &mut b.sh[o..o + t.shape[j]] {
                    *x /= sum;
                }
            }
        }
        (CallEnd::Rounds, maxiter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    /// A seeded random game with integer payoffs 0..99.
    fn random_game(shape: &[usize], seed: u64) -> NormalFormGame {
        let mut rng = SplitMix64::new(seed);
        let cells: usize = shape.iter().product();
        let tables: Vec<Vec<i64>> = (0..shape.len())
            .map(|_| (0..cells).map(|_| (rng.next_u64() % 100) as i64).collect())
            .collect();
        game(shape, &tables)
    }

    /// Every seeded 4- and 5-player game gets a verified equilibrium (the
    /// Gambit-like run or, where it does not converge, a restart).
    #[test]
    fn random_four_and_five_player_games() {
        let mut found = 0;
        let mut total = 0;
        for seed in 1..=4u64 {
            for shape in [&[4usize, 4, 4, 4][..], &[3, 3, 3, 3, 3][..]] {
                let g = random_game(shape, seed);
                let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
                total += 1;
                for e in &res.equilibria {
                    assert!(independent_max_regret(&g, &e.profile) <= 1e-9 * 99.0);
                }
                if !res.equilibria.is_empty() {
                    found += 1;
                } else {
                    eprintln!("{shape:?} seed {seed}: {:?}", res.notes);
                }
            }
        }
        eprintln!("ipa: verified equilibrium on {found} of {total} random games");
        assert!(
            found >= 7,
            "ipa found an equilibrium on only {found} of {total}"
        );
    }

    /// On seeded random 3- and 4-player games where the Gambit-like run
    /// converges, the shortcut ends at the same equilibrium as
    /// Gametracer's full rounds, and saves rounds.
    #[test]
    fn shortcut_ends_where_the_full_rounds_end() {
        let opts = |shortcut| IpaOptions {
            budget: Budget::new(1_000_000, None),
            shortcut,
            ..IpaOptions::default()
        };
        let (mut compared, mut hits, mut on_rounds, mut off_rounds) = (0, 0, 0, 0);
        for seed in 0..60u64 {
            for shape in [&[3usize, 3, 3][..], &[4, 4, 4][..], &[3, 3, 3, 3][..]] {
                let g = random_game(shape, 1000 + seed);
                let (Ok((on, t_on)), Ok((off, t_off))) =
                    (ipa_traced(&g, &opts(true)), ipa_traced(&g, &opts(false)))
                else {
                    panic!("ipa failed on {shape:?} seed {seed}");
                };
                // Only runs that converged as Gambit's would.
                if !off.notes.is_empty() || off.equilibria.len() != 1 {
                    continue;
                }
                compared += 1;
                hits += t_on.shortcut_hits;
                on_rounds += t_on.rounds;
                off_rounds += t_off.rounds;
                assert_eq!(on.equilibria.len(), 1, "{shape:?} seed {seed}");
                let d = on.equilibria[0]
                    .profile
                    .iter()
                    .flatten()
                    .zip(off.equilibria[0].profile.iter().flatten())
                    .map(|(x, y)| (x - y).abs())
                    .fold(0.0, f64::max);
                assert!(
                    d <= 1e-9,
                    "{shape:?} seed {seed}: the answers differ by {d}"
                );
            }
        }
        eprintln!("ipa shortcut: {compared} games, {hits} ended early, {on_rounds} rounds instead of {off_rounds}");
        assert!(compared >= 150, "only {compared} games compared");
        assert!(hits >= 20, "the shortcut ended only {hits} runs");
        assert!(on_rounds < off_rounds);
    }

    #[test]
    fn known_games() {
        let g = matching_pennies();
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let g = mckelvey_mclennan();
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        for e in &res.equilibria {
            assert!(independent_max_regret(&g, &e.profile) <= 12e-9);
        }
        assert!(res.complete || !res.notes.is_empty());
        let g = game(&[1, 3], &[vec![0, 0, 0], vec![1, 3, 2]]);
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
        assert_eq!(res.equilibria[0].profile[1], vec![0.0, 1.0, 0.0]);
        // All payoffs equal: every profile is an equilibrium.
        let g = game(&[2, 3, 2], &[vec![7; 12], vec![7; 12], vec![7; 12]]);
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        // One player: the best strategy.
        let g = game(&[3], &[vec![2, 7, 1]]);
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        assert_eq!(res.equilibria[0].profile[0], vec![0.0, 1.0, 0.0]);
    }

    /// Myerson's exercise 3.4 (`contrib/my_3-4.efg`, reduced strategic
    /// form): symmetric, so a polymatrix approximation has exact ties that
    /// rounding decides. Gambit 16.7's `ipa_solve` returns (y1, x2, x3)
    /// (`reference.json`); a textbook tableau with lexicographic ties ends
    /// at (x1, y2, x3) instead.
    #[test]
    fn reaches_gambits_equilibrium_where_rounding_decides() {
        let g = game(
            &[2, 2, 2],
            &[
                vec![0, 4, 5, 0, 6, 0, 0, 0],
                vec![0, 6, 4, 0, 5, 0, 0, 0],
                vec![0, 5, 6, 0, 4, 0, 0, 0],
            ],
        );
        let res = ipa(&g, &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        assert_eq!(
            res.equilibria[0].profile,
            vec![vec![0.0, 1.0], vec![1.0, 0.0], vec![1.0, 0.0]]
        );
        // McKelvey and McLennan's game: Gambit's ipa returns the pure
        // profile (1, 1, 1).
        let res = ipa(&mckelvey_mclennan(), &IpaOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        assert_eq!(res.equilibria[0].profile, vec![vec![1.0, 0.0]; 3]);
    }

    /// The fallback chain on one approximation where Gametracer's pivoting
    /// cycles (regression seed 4e314216 of `polymatrix`, shape
    /// [2, 3, 3, 2]): the floating-point lexicographic rule solves it;
    /// without it the exact rule does, at the same equilibrium, and the
    /// note counts each route.
    #[test]
    fn fallback_chain_on_a_cycling_approximation() {
        let seed: Vec<f64> = {
            let mut v = vec![0.0; 256];
            for (i, x) in [
                (2, -2.0),
                (5, -1.0),
                (8, -3.0),
                (12, -2.0),
                (15, -3.0),
                (18, 5.0),
                (80, -5.0),
                (82, -1.0),
                (85, -1.0),
                (92, 4.0),
                (95, -5.0),
            ] {
                v[i] = x;
            }
            v
        };
        let shape = [2usize, 3, 3, 2];
        let k = 10;
        let m: Vec<f64> = (0..k * k)
            .map(|i| seed[i % 256] + (i / 256) as f64)
            .collect();
        let mut ray: Vec<f64> = (0..k)
            .map(|i| [0.0, 32.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0][i] + i as f64 * 1e-3)
            .collect();
        let offs = [0usize, 2, 5, 8];
        for (p, &o) in offs.iter().enumerate() {
            let mx = ray[o..o + shape[p]]
                .iter()
                .cloned()
                .fold(f64::NEG_INFINITY, f64::max);
            ray[o] = mx + 1.0;
        }
        let g = game(
            &shape,
            &[vec![0; 36], vec![0; 36], vec![0; 36], vec![0; 36]],
        );
        let t = PayoffTensor::new(&g);
        let mut answers = Vec::new();
        for float_first in [true, false] {
            let mut it =
                Iteration::new(&g, &t, &IpaOptions::default()).unwrap_or_else(|e| panic!("{e}"));
            it.float_lexicographic = float_first;
            it.pm.matrix_mut().copy_from_slice(
                PolymatrixGame::new(shape.to_vec(), m.clone())
                    .unwrap_or_else(|e| panic!("{e}"))
                    .matrix_mut(),
            );
            // No previous support: the round pivots.
            it.b.so = vec![0.0; k];
            let im = favourites(&it.pm, &ray).unwrap_or_else(|e| panic!("{e}"));
            it.solve_approximation(&ray, Some(&im))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(it.exact_fallbacks, 1);
            assert_eq!(it.exact_solves, usize::from(!float_first));
            assert_eq!(it.exact_failures, 0);
            assert!(it.pm.max_regret(&it.b.s) <= 1e-12, "{:?}", it.b.s);
            answers.push(it.b.s.clone());
        }
        assert!(answers[0]
            .iter()
            .zip(&answers[1])
            .all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    fn retraction_is_gametracers() {
        let g = matching_pennies();
        let t = PayoffTensor::new(&g);
        assert_eq!(retract(&t, &[1.0; 4]), vec![0.5; 4]);
        assert_eq!(retract(&t, &[0.3, 0.7, 5.0, 2.0]), vec![0.3, 0.7, 1.0, 0.0]);
        let r = retract(&t, &[1.0, 0.5, 0.0, 0.0]);
        assert!((r[0] - 0.75).abs() < 1e-15 && (r[1] - 0.25).abs() < 1e-15);
    }

    #[test]
    fn bad_options() {
        let g = mckelvey_mclennan();
        let tie = IpaOptions {
            ray: Some(vec![vec![1.0, 1.0], vec![1.0, 0.0], vec![1.0, 0.0]]),
            ..Default::default()
        };
        assert!(ipa(&g, &tie).is_err());
        let alpha = IpaOptions {
            alpha: 1.0,
            ..Default::default()
        };
        assert!(ipa(&g, &alpha).is_err());
    }

    /// The polymatrix approximation at any profile reproduces the game's
    /// strategy values there (the 1/(n − 1) scaling).
    #[test]
    fn approximation_matches_values() {
        let g = random_game(&[3, 2, 4], 5);
        let t = PayoffTensor::new(&g);
        let mut it =
            Iteration::new(&g, &t, &IpaOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let mut rng = SplitMix64::new(3);
        for _ in 0..5 {
            let x = rng.profile(&t);
            it.approximate(&x).unwrap_or_else(|e| panic!("{e}"));
            let v = t.values(&x);
            for (a, b) in it.pm.values(&x).iter().zip(&v) {
                assert!((a - b * t.scale).abs() < 1e-9, "{a} vs {}", b * t.scale);
            }
        }
    }

    /// The machine-integer shifted table is the rational one, bit for bit,
    /// on integer, decimal and fractional payoffs (and falls back where the
    /// numbers are too large).
    #[test]
    fn shifted_table_fast_path_is_exact() {
        use detente_game::Rational;
        let mut rng = SplitMix64::new(7);
        let dens = [1i64, 2, 3, 10, 7, 100, 1000, 12, 999_983];
        for case in 0..40 {
            let shape = [2usize, 3, 2];
            let cells = 12;
            let big = case % 10 == 9;
            let tables: Vec<Vec<Rational>> = (0..3)
                .map(|_| {
                    (0..cells)
                        .map(|_| {
                            let a = (rng.next_u64() % 2001) as i64 - 1000;
                            let d = if case % 4 == 0 {
                                1
                            } else {
                                dens[(rng.next_u64() % dens.len() as u64) as usize]
                            };
                            let a = num_bigint::BigInt::from(a);
                            let a = if big { a << 62 } else { a };
                            Rational::new(a, d.into())
                        })
                        .collect()
                })
                .collect();
            let g = NormalFormGame::from_tables(&shape, &tables).unwrap_or_else(|e| panic!("{e}"));
            let exact = Shifted::exact_table(&g, 3, cells);
            if let Some(ints) = Shifted::integer_table(&g, 3, cells) {
                assert!(case % 4 == 0 && !big, "case {case}: integer path");
                let same = ints
                    .iter()
                    .zip(&exact)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "case {case}: {ints:?} vs {exact:?}");
            } else {
                assert!(case % 4 != 0 || big, "case {case}: no integer path");
            }
            match Shifted::small_fractions(&g, 3, cells) {
                Some(fast) => {
                    let same = fast
                        .iter()
                        .zip(&exact)
                        .all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(same, "case {case}: {fast:?} vs {exact:?}");
                }
                None => assert!(big, "case {case}: no fast path"),
            }
        }
    }

    /// Gametracer's `payoffMatrix` as the third session wrote it (fresh
    /// tensors for every sum, the unused last sum included): the in-place
    /// Jacobian must equal it bit for bit.
    fn jacobian_reference(sh: &Shifted, s: &[f64]) -> Vec<f64> {
        fn contract(
            sh: &Shifted,
            buf: &[f64],
            axes: &mut Vec<usize>,
            r: usize,
            s: &[f64],
        ) -> Vec<f64> {
            let Some(pos) = axes.iter().position(|&x| x == r) else {
                return buf.to_vec();
            };
            let stride: usize = axes[..pos].iter().map(|&x| sh.shape[x]).product();
            let outer: usize = axes[pos + 1..].iter().map(|&x| sh.shape[x]).product();
            let size = sh.shape[r];
            let w = &s[sh.offsets[r]..sh.offsets[r] + size];
            let mut next = vec![0.0; stride * outer];
            for o in 0..outer {
                let dst = &mut next[o * stride..(o + 1) * stride];
                let mut first = true;
                for (i, &wi) in w.iter().enumerate() {
                    if !(wi > 0.0) {
                        continue;
                    }
                    let src = &buf[(o * size + i) * stride..(o * size + i + 1) * stride];
                    for (d, &x) in dst.iter_mut().zip(src) {
                        *d = if first { x * wi } else { *d + wi * x };
                    }
                    first = false;
                }
            }
            axes.remove(pos);
            next
        }
        let (n, k) = (sh.n, sh.k);
        let mut dg = vec![0.0; k * k];
        let div = (n - 1) as f64;
        for p in 0..n {
            let mut cur = sh.pay[p * sh.cells..(p + 1) * sh.cells].to_vec();
            let mut axes: Vec<usize> = (0..n).collect();
            for q in (0..n).rev() {
                if q == p {
                    continue;
                }
                let mut res = cur.clone();
                let mut rax = axes.clone();
                for r in (0..q).rev() {
                    if r != p {
                        res = contract(sh, &res, &mut rax, r, s);
                    }
                }
                for ia in 0..sh.shape[p] {
                    for ib in 0..sh.shape[q] {
                        let idx = if p < q {
                            ia + ib * sh.shape[p]
                        } else {
                            ib + ia * sh.shape[q]
                        };
                        dg[(sh.offsets[p] + ia) * k + sh.offsets[q] + ib] = res[idx] / div;
                    }
                }
                cur = contract(sh, &cur, &mut axes, q, s);
            }
        }
        dg
    }

    /// The in-place Jacobian is the third session's, bit for bit, on
    /// random profiles with and without zero probabilities.
    #[test]
    fn jacobian_is_unchanged() {
        let mut rng = SplitMix64::new(11);
        for (shape, seed) in [
            (&[3usize, 2, 4][..], 1u64),
            (&[2, 2, 2][..], 5),
            (&[5, 5, 5][..], 6),
            (&[2, 2, 2, 2, 2][..], 2),
            (&[4, 1, 3, 2][..], 3),
            (&[2, 3][..], 4),
        ] {
            let g = random_game(shape, seed);
            let t = PayoffTensor::new(&g);
            let sh = Shifted::new(&g, &t);
            let mut work = JacobianWork::default();
            let mut dg = vec![0.0; t.k * t.k];
            for round in 0..6 {
                let mut x = rng.profile(&t);
                if round % 2 == 1 {
                    // Zero probabilities are skipped in the sums.
                    for v in x.iter_mut().step_by(3) {
                        *v = 0.0;
                    }
                }
                sh.jacobian_into(&x, &mut dg, &mut work);
                let want = jacobian_reference(&sh, &x);
                let same = dg
                    .iter()
                    .zip(&want)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "{shape:?} round {round}");
            }
        }
    }
}
