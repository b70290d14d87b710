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
//! Convergence is local, as in the paper. Detente then polishes the answer
//! by Newton's method on its support and verifies it independently. When
//! the Gambit-like run does not converge within [`IpaOptions::max_rounds`]
//! (Gambit would go on for ever) the method restarts from seeded random
//! perturbation rays (as GameTracer's own driver does) and, as a last
//! resort, polishes the best iterate by Lyapunov descent and Newton's
//! method; notes say which route found the answer. Nothing unverified is
//! returned (Gambit issue #406).

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::{Budget, Meter};
use crate::equilibrium::SolveError;
use crate::liap::{liap, LiapOptions};
use crate::nplayer_util::{refine_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64};
use crate::polymatrix::{favourites, lemke_howson_with, solve_on_support, PolymatrixGame, TieRule};
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
        }
    }
}

/// Iterated polymatrix approximation, started as Gambit starts it (see the
/// module documentation).
pub fn ipa(game: &NormalFormGame, opts: &IpaOptions) -> Result<NplayerResult, SolveError> {
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
    let probe = PolymatrixGame::new(t.shape.clone(), vec![0.0; t.k * t.k])
        .map_err(|e| SolveError::NotApplicable(format!("ipa: {e}")))?;
    favourites(&probe, &g).map_err(|e| SolveError::NotApplicable(format!("ipa: {e}")))?;
    let zh0 = match &opts.start {
        Some(s) => t.flatten(s)?,
        None => vec![1.0; t.k],
    };
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut run = Iteration {
        t: &t,
        shifted: Shifted::new(game, &t),
        alpha: opts.alpha,
        fuzz: opts.fuzz,
        max_pivots: usize::try_from(opts.steps_per_round).unwrap_or(usize::MAX),
        best: (f64::INFINITY, t.centroid()),
        lexico_fallbacks: 0,
    };
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
    let best = run.best.clone();
    if !done && !meter.exhausted() && best.0 < opts.polish_below {
        let lo = LiapOptions {
            centroid: false,
            starts: vec![t.nest(&best.1)],
            random_starts: 0,
            max_regret: opts.max_regret,
            budget: meter.sub_budget(20_000),
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
    if run.lexico_fallbacks > 0 {
        coll.note(format!(
            "ipa: Gametracer's pivoting did not finish on {} polymatrix approximation(s) (it cycles on degenerate ones, where Gambit would not stop); those were solved with the lexicographic rule",
            run.lexico_fallbacks
        ));
    }
    coll.result.budget_exhausted = meter.exhausted();
    coll.result.complete = done;
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
    Ok(coll.result)
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
fn retract(t: &PayoffTensor, z: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; t.k];
    let mut y: Vec<f64> = Vec::new();
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
    out
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

impl Shifted {
    fn new(game: &NormalFormGame, t: &PayoffTensor) -> Self {
        let (lo, _) = game.payoff_range();
        let cells = t.cells;
        let mut pay = vec![0.0; t.n * cells];
        // Integers below 2^52 subtract exactly in f64; other payoffs are
        // subtracted exactly, then rounded once (as Gambit does).
        const EXACT: f64 = 4_503_599_627_370_496.0;
        let small = |r: &detente_game::Rational| r.is_integer() && r.to_f64().abs() < EXACT;
        let lo_f = lo.to_f64();
        for p in 0..t.n {
            for cell in 0..cells {
                let x = game.payoff(cell, p);
                pay[p * cells + cell] = if small(x) && small(&lo) {
                    x.to_f64() - lo_f
                } else {
                    (x - &lo).to_f64()
                };
            }
        }
        Shifted {
            n: t.n,
            shape: t.shape.clone(),
            offsets: t.offsets.clone(),
            k: t.k,
            cells,
            pay,
        }
    }

    /// `DG[a * k + b] = u_p(a, b, s_{−p,−q}) / (n − 1)` for strategies `a` of
    /// `p` and `b` of `q ≠ p` (zero within a player): each other player's
    /// strategies summed out from the last player to the first, skipping
    /// those played with probability zero, as Gametracer's
    /// `payoffMatrix` does.
    fn jacobian(&self, s: &[f64]) -> Vec<f64> {
        let (n, k) = (self.n, self.k);
        let mut dg = vec![0.0; k * k];
        let div = (n - 1) as f64;
        for p in 0..n {
            // `cur`: player p's payoffs with the players above the current
            // q summed out (top down), shared by every q below.
            let mut cur = self.pay[p * self.cells..(p + 1) * self.cells].to_vec();
            let mut axes: Vec<usize> = (0..n).collect();
            for q in (0..n).rev() {
                if q == p {
                    continue;
                }
                let mut res = cur.clone();
                let mut rax = axes.clone();
                for r in (0..q).rev() {
                    if r != p {
                        res = self.contract(&res, &mut rax, r, s);
                    }
                }
                let (op, oq) = (self.offsets[p], self.offsets[q]);
                for ia in 0..self.shape[p] {
                    for ib in 0..self.shape[q] {
                        let idx = if p < q {
                            ia + ib * self.shape[p]
                        } else {
                            ib + ia * self.shape[q]
                        };
                        dg[(op + ia) * k + oq + ib] = res[idx] / div;
                    }
                }
                cur = self.contract(&cur, &mut axes, q, s);
            }
        }
        dg
    }

    /// Sums axis `r` out of a tensor over `axes` (ascending, the first
    /// varying fastest), weighting by `s` and skipping zero weights, each
    /// sum in strategy order starting from the first product.
    fn contract(&self, buf: &[f64], axes: &mut Vec<usize>, r: usize, s: &[f64]) -> Vec<f64> {
        let Some(pos) = axes.iter().position(|&x| x == r) else {
            return buf.to_vec();
        };
        let stride: usize = axes[..pos].iter().map(|&x| self.shape[x]).product();
        let outer: usize = axes[pos + 1..].iter().map(|&x| self.shape[x]).product();
        let size = self.shape[r];
        let w = &s[self.offsets[r]..self.offsets[r] + size];
        let mut next = vec![0.0; stride * outer];
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
        next
    }
}

/// The iteration on one game.
struct Iteration<'a> {
    t: &'a PayoffTensor,
    shifted: Shifted,
    alpha: f64,
    fuzz: f64,
    max_pivots: usize,
    /// Best iterate seen (relative max regret, profile).
    best: (f64, Vec<f64>),
    /// Approximations solved by the lexicographic rule because
    /// Gametracer's pivoting did not finish.
    lexico_fallbacks: usize,
}

impl Iteration<'_> {
    /// The polymatrix approximation at `sh`, in the shifted (unscaled)
    /// payoffs Gametracer uses, with the same order of operations.
    fn approximation(&self, sh: &[f64]) -> Result<PolymatrixGame, String> {
        let t = self.t;
        let pm = if t.n >= 2 {
            PolymatrixGame::new(t.shape.clone(), self.shifted.jacobian(sh))
        } else {
            PolymatrixGame::new(t.shape.clone(), vec![0.0; t.k * t.k])
                .and_then(|p| p.with_constants(self.shifted.pay.clone()))
        };
        pm.map_err(|e| e.to_string())
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
        while rounds < max_rounds {
            let m = per_call.min(max_rounds - rounds);
            let (end, used) = self.call(g, &mut zh, m, meter);
            rounds += used;
            match end {
                CallEnd::Converged(s) => {
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

    /// One call of Gametracer's iteration: at most `maxiter` rounds from
    /// `zh` (updated in place). Returns how it ended and the rounds used.
    fn call(
        &mut self,
        g: &[f64],
        zh: &mut Vec<f64>,
        maxiter: usize,
        meter: &mut Meter,
    ) -> (CallEnd, usize) {
        let t = self.t;
        let k = t.k;
        let (alpha, fuzz) = (self.alpha, self.fuzz);
        let mut sh = retract(t, zh);
        let mut so = sh.clone();
        let mut sho = vec![0.0; k];
        let mut y = vec![0.0; k];
        let mut yh = vec![0.0; k];
        for iter in 1..=maxiter {
            if !meter.tick() {
                return (CallEnd::Budget, iter - 1);
            }
            let pm = match self.approximation(&sh) {
                Ok(p) => p,
                Err(e) => return (CallEnd::Failed(e), iter),
            };
            // The approximation's equilibrium: on the previous support if
            // that works, else by pivoting from the ray's favourite.
            let support: Vec<bool> = so.iter().map(|&x| x > 0.0).collect();
            let s: Vec<f64> = match solve_on_support(&pm, &support) {
                Some(v) if v.iter().all(|&x| !(x < 0.0)) => v
                    .iter()
                    .zip(&support)
                    .map(|(&x, &on)| if on { x } else { 0.0 })
                    .collect(),
                _ => match lemke_howson_with(&pm, g, self.max_pivots, TieRule::FirstIndex).or_else(
                    |_| {
                        // Gametracer's pivoting cycled or met a ray (Gambit
                        // would not finish): the lexicographic rule.
                        self.lexico_fallbacks += 1;
                        lemke_howson_with(&pm, g, self.max_pivots, TieRule::Lexicographic)
                    },
                ) {
                    Ok(o) => o.profile,
                    Err(e) => {
                        return (
                            CallEnd::Failed(format!(
                                "could not solve a polymatrix approximation ({e})"
                            )),
                            iter,
                        )
                    }
                },
            };
            let values = pm.values(&s);
            let z: Vec<f64> = values.iter().zip(&s).map(|(v, x)| v + x).collect();
            let same_support = s.iter().zip(&so).all(|(&a, &b)| (a > 0.0) == (b > 0.0));
            // Move zh along zh − sh to the projection of z (when the angle
            // is obtuse or the support has not changed).
            let u: Vec<f64> = zh.iter().zip(&sh).map(|(a, b)| a - b).collect();
            let uu = dot(&u, &u);
            if uu != 0.0 {
                let zs: Vec<f64> = z.iter().zip(&sh).map(|(a, b)| a - b).collect();
                let ell = dot(&zs, &u) / uu;
                if ell <= 0.0 || same_support {
                    for i in 0..k {
                        zh[i] = u[i] * ell + sh[i];
                        yh[i] = (yh[i] - sho[i]) * ell + sho[i];
                    }
                }
            }
            let dz = dist(&z, zh);
            let ds = dist(&s, &sh);
            if !dz.is_finite() || !ds.is_finite() {
                return (CallEnd::Failed("met non-finite numbers".into()), iter);
            }
            // The best iterate (for the last-resort polish), sampled.
            if iter % 8 == 1 {
                let reg = t.max_regret(&s);
                if reg < self.best.0 {
                    self.best = (reg, s.clone());
                }
            }
            if t.n <= 2 || dz < fuzz || ds < fuzz {
                return (CallEnd::Converged(s), iter);
            }
            // First-order step, or the rule of false position once the
            // support has settled.
            let mut target = z.clone();
            if iter > 1 {
                for i in 0..k {
                    let d = z[i] - zh[i] - y[i] + yh[i];
                    if same_support && d > fuzz {
                        target[i] = (yh[i] * z[i] - zh[i] * y[i]) / d;
                    }
                }
            }
            let zt: Vec<f64> = target
                .iter()
                .zip(zh.iter())
                .map(|(a, b)| (a * (alpha / (1.0 - alpha)) + b) * (1.0 - alpha))
                .collect();
            so = s;
            y = z;
            sho = sh;
            yh.clone_from(zh);
            *zh = zt;
            sh = retract(t, zh);
            for x in &mut sh {
                if *x < fuzz {
                    *x = 0.0;
                }
            }
            for j in 0..t.n {
                let o = t.offsets[j];
                let sum: f64 = sh[o..o + t.shape[j]].iter().sum();
                if !(sum > 0.0) {
                    return (
                        CallEnd::Failed("lost a player's whole strategy set".into()),
                        iter,
                    );
                }
                for x in &mut sh[o..o + t.shape[j]] {
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
        let it = Iteration {
            t: &t,
            shifted: Shifted::new(&g, &t),
            alpha: 0.2,
            fuzz: 1e-6,
            max_pivots: 100,
            best: (f64::INFINITY, Vec::new()),
            lexico_fallbacks: 0,
        };
        let mut rng = SplitMix64::new(3);
        for _ in 0..5 {
            let x = rng.profile(&t);
            let pm = it.approximation(&x).unwrap_or_else(|e| panic!("{e}"));
            let v = t.values(&x);
            for (a, b) in pm.values(&x).iter().zip(&v) {
                assert!((a - b * t.scale).abs() < 1e-9, "{a} vs {}", b * t.scale);
            }
        }
    }
}
