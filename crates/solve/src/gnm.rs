//! The global Newton method.
//!
//! S. Govindan and R. Wilson, "A global Newton method to compute Nash
//! equilibria", *Journal of Economic Theory* 110 (2003) 65–86. Give every
//! player a bonus `λ b` on his pure strategies (`b` the perturbation ray).
//! With the Kohlberg–Mertens coordinates `z` (`x = r(z)` the Euclidean
//! projection of each player's block onto his simplex), the equilibria of
//! the perturbed games form the set `F(z) = z − r(z) − V(r(z)) = λ b`
//! (`V` the strategy values), which for generic `b` contains a path that
//! starts at the unique equilibrium for large `λ` (everyone plays his
//! favourite strategy under `b`) and leaves towards `λ → −∞`; each crossing
//! of `λ = 0` is an equilibrium of the game (an odd number of them). The
//! path is piecewise smooth (pieces change where supports change); it is
//! traced support cell by support cell, as GameTracer (B. Blum and C. R.
//! Shelton, which Gambit runs) does: exact distances to the
//! next support change, Newton corrections on each cell's polynomial
//! system, orientation by the sign of the Jacobian determinant
//! ([`crate::gnm_trace`]).
//!
//! Gambit's `gambit-gnm` uses the first strategy of each player as the
//! default ray, which is not generic: on the McKelvey–McLennan 2×2×2 game
//! its path is a closed loop and Gambit runs for minutes. Here a path that
//! comes back to a support cell at a point where it entered it before is
//! stopped as a loop, and every ray has a step budget. Degenerate games
//! (ties, duplicate strategies of reduced strategic forms) put several
//! support walls through one point; the tracer chooses the cell the path
//! goes on in there ([`crate::gnm_trace`]), where Gametracer's Euler steps
//! skip walls at distance zero and often end the path. When the given rays
//! find nothing, seeded random rays are tried, as long as each adds a new
//! equilibrium; when they found equilibria but stopped early, the answer
//! is the equilibria on the traced part of the path (as Gambit's), with a
//! note ([`GnmOptions::restart_after_stop`] restarts there too). The result
//! says which rays were used and how each ended.
//! Every crossing of `λ = 0` by the given rays is reported (on a continuum
//! of equilibria, both ends where the path meets it, as Gambit does);
//! random rays add only equilibria outside the convex sets of equilibria
//! already reported.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::{Budget, Meter};
use crate::equilibrium::SolveError;
use crate::nplayer_util::{
    refine_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64, TraceEnd,
};
use detente_game::NormalFormGame;

/// Relative max regret under which a located crossing is kept as it is
/// (rounding level; above it, Newton's method on its support polishes it).
const EXACT_REGRET: f64 = 1e-13;

/// Options of [`gnm`].
#[derive(Debug, Clone, PartialEq)]
pub struct GnmOptions {
    /// Perturbation rays, one vector per player; empty: Gambit's default,
    /// a bonus on every player's first strategy.
    pub rays: Vec<Vec<Vec<f64>>>,
    /// Seeded random rays to try after the given ones.
    pub random_rays: usize,
    /// Try the random rays only if needed: when the given rays found no
    /// equilibrium (or, with [`Self::restart_after_stop`], stopped early),
    /// and only as long as each random ray adds a new equilibrium.
    /// `false`: every random ray is traced.
    pub random_rays_only_if_needed: bool,
    /// With [`Self::random_rays_only_if_needed`], also restart when the
    /// given rays found equilibria but stopped early (a loop, a stall or
    /// the per-ray budget at a degenerate point). Off by default: like
    /// Gambit's gnm, the answer is then the equilibria on the traced part
    /// of the path, and a note says where it stopped.
    pub restart_after_stop: bool,
    /// Seed of the random rays.
    pub seed: u64,
    /// Stop a ray when `λ` falls below this (rescaled payoffs; Gambit's
    /// `end_lambda`).
    pub end_lambda: f64,
    /// Step budget of one ray.
    pub steps_per_ray: u64,
    /// Acceptance tolerance (relative max regret).
    pub max_regret: f64,
    /// Budget over all rays.
    pub budget: Budget,
}

impl Default for GnmOptions {
    fn default() -> Self {
        GnmOptions {
            rays: Vec::new(),
            random_rays: 4,
            random_rays_only_if_needed: true,
            restart_after_stop: false,
            seed: 0,
            end_lambda: -10.0,
            steps_per_ray: 20_000,
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            budget: Budget::default(),
        }
    }
}

/// Strategy values as a function of the profile: the game itself, or a
/// polymatrix approximation `V(x) = v0 + D0 (x − σ)` (used by `ipa`).
pub(crate) enum Values<'a> {
    Game(&'a PayoffTensor),
    /// `ipa` now solves its approximations by Lemke–Howson
    /// (`polymatrix`); the tracer keeps handling them (one step per cell,
    /// tested below).
    #[allow(dead_code)]
    Poly {
        t: &'a PayoffTensor,
        v0: Vec<f64>,
        d0: Vec<f64>,
        sigma: Vec<f64>,
    },
}

impl Values<'_> {
    pub(crate) fn tensor(&self) -> &PayoffTensor {
        match self {
            Values::Game(t) => t,
            Values::Poly { t, .. } => t,
        }
    }

    fn eval(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        match self {
            Values::Game(t) => t.values_and_pairs(x),
            Values::Poly { t, v0, d0, sigma } => {
                let k = t.k;
                let mut v = v0.clone();
                for (a, va) in v.iter_mut().enumerate() {
                    let row = &d0[a * k..(a + 1) * k];
                    *va += row
                        .iter()
                        .zip(x.iter().zip(sigma))
                        .map(|(d, (xi, si))| d * (xi - si))
                        .sum::<f64>();
                }
                (v, d0.clone())
            }
        }
    }
}

pub(crate) struct GnmSystem<'a> {
    pub values: Values<'a>,
    pub ray: Vec<f64>,
}

/// Start of the path for ray `b`: the pure profile of favourite strategies
/// and a `λ` large enough for it to be the unique perturbed equilibrium.
pub(crate) fn start_of_ray(sys: &GnmSystem<'_>) -> Vec<f64> {
    let t = sys.values.tensor();
    let k = t.k;
    let mut sigma = vec![0.0; k];
    let mut min_gap = f64::INFINITY;
    for j in 0..t.n {
        let o = t.offsets[j];
        let s = t.shape[j];
        let mut best = 0;
        for h in 1..s {
            if sys.ray[o + h] > sys.ray[o + best] {
                best = h;
            }
        }
        sigma[o + best] = 1.0;
        for h in 0..s {
            if h != best {
                min_gap = min_gap.min(sys.ray[o + best] - sys.ray[o + h]);
            }
        }
    }
    // Values of the approximation lie within [min, max] of the payoffs,
    // [0, 1] for the game; polymatrix values may stray, so measure them.
    let (v, _) = sys.values.eval(&sigma);
    let spread = v.iter().fold(0.0f64, |m, a| m.max(a.abs())) * 2.0 + 1.0;
    let lambda0 = if min_gap.is_finite() && min_gap > 0.0 {
        (spread + 1.0) / min_gap
    } else {
        1.0
    };
    let mut y: Vec<f64> = (0..k)
        .map(|a| sigma[a] + v[a] + lambda0 * sys.ray[a])
        .collect();
    y.push(lambda0);
    y
}

/// How a traced ray ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RayOutcome {
    pub crossings: Vec<Vec<f64>>,
    pub end: TraceEnd,
    pub reached_end: bool,
    /// The path came back to a point where it had been: a closed loop
    /// (possible for a nongeneric ray), which it would follow forever.
    pub cycled: bool,
    /// Crossings of `λ = 0` whose exact point could not be located in
    /// the cell the path was in (counted, not reported).
    pub unlocated: usize,
    /// Profile and `λ` at the last point reached.
    pub last: (Vec<f64>, f64),
}

/// Traces one ray; `first_only` stops at the first crossing of `λ = 0`.
/// The path is followed support cell by support cell
/// ([`crate::gnm_trace`]).
pub(crate) fn trace_ray(
    sys: &GnmSystem<'_>,
    end_lambda: f64,
    first_only: bool,
    meter: &mut Meter,
) -> RayOutcome {
    crate::gnm_trace::trace_cells(sys, end_lambda, first_only, meter)
}

/// The global Newton method from the given rays (default: first strategy
/// of each player), then seeded random rays where needed.
pub fn gnm(game: &NormalFormGame, opts: &GnmOptions) -> Result<NplayerResult, SolveError> {
    if !(opts.max_regret >= 0.0) || !(opts.end_lambda < 0.0) {
        return Err(SolveError::NotApplicable(
            "gnm: max_regret must be nonnegative and end_lambda negative".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    t.check_size("gnm")?;
    let mut rays: Vec<Vec<f64>> = Vec::new();
    for r in &opts.rays {
        if r.len() != t.n || r.iter().zip(&t.shape).any(|(v, &s)| v.len() != s) {
            return Err(SolveError::NotApplicable(
                "gnm: a ray needs one number per strategy of every player".into(),
            ));
        }
        let flat: Vec<f64> = r.iter().flatten().cloned().collect();
        if flat.iter().any(|v| !v.is_finite()) {
            return Err(SolveError::NotApplicable(
                "gnm: ray entries must be finite".into(),
            ));
        }
        rays.push(flat);
    }
    if rays.is_empty() {
        let mut b = vec![0.0; t.k];
        for j in 0..t.n {
            b[t.offsets[j]] = 1.0;
        }
        rays.push(b);
    }
    let given = rays.len();
    let mut rng = SplitMix64::new(opts.seed);
    for _ in 0..opts.random_rays {
        rays.push((0..t.k).map(|_| rng.next_f64()).collect());
    }
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut all_clean = true;
    // Found by the given rays; whether the last random ray added one.
    let mut given_found = 0;
    let mut last_added = true;
    let mut given_clean = true;
    let mut restarts = 0;
    for (i, ray) in rays.iter().enumerate() {
        if i >= given && opts.random_rays_only_if_needed {
            let needed = given_found == 0 || (opts.restart_after_stop && !given_clean);
            // Restarts stop as soon as one adds nothing new.
            if !needed || !last_added {
                break;
            }
        }
        if meter.exhausted() {
            break;
        }
        // Every crossing of the given rays is reported, as Gambit reports
        // every crossing of its path (on a continuum of equilibria, both
        // ends where the path meets it); the random rays' finds are kept
        // only when they lie outside the convex sets already reported.
        coll.merge_components = i >= given;
        let before = coll.result.equilibria.len();
        let sys = GnmSystem {
            values: Values::Game(&t),
            ray: ray.clone(),
        };
        let mut sub = meter.sub_budget(opts.steps_per_ray).start();
        let out = trace_ray(&sys, opts.end_lambda, false, &mut sub);
        meter.absorb(&sub);
        let mut found = 0;
        let mut rejected = out.unlocated;
        for x in &out.crossings {
            // Crossings are located as exact zeros of their cell's system:
            // polish only those that are not already equilibria to
            // rounding.
            let polished = if t.max_regret(x) <= EXACT_REGRET {
                Some(x.clone())
            } else {
                refine_on_support(&t, x, opts.max_regret)
            };
            match polished {
                Some(y) if coll.offer(&y, true) => found += 1,
                _ => rejected += 1,
            }
        }
        let mut rescued = false;
        if !out.reached_end && out.last.1.abs() < 1e-3 {
            // The path stopped next to λ = 0 (typically where a continuum
            // of equilibria meets it): the point reached may be one.
            if let Some(y) = refine_on_support(&t, &out.last.0, opts.max_regret) {
                if coll.offer(&y, true) {
                    found += 1;
                    rescued = true;
                }
            }
        }
        let label = if i < given {
            format!("ray {}", i + 1)
        } else {
            format!("random ray {} (seed {})", i + 1 - given, opts.seed)
        };
        let how = if out.reached_end {
            "reached the end of the path".to_string()
        } else {
            all_clean = false;
            match out.end {
                TraceEnd::Budget => format!("stopped by its budget ({})", sub.describe()),
                TraceEnd::Stalled if out.cycled => {
                    "stopped: the path closed on itself (a loop; the ray is not generic)"
                        .to_string()
                }
                TraceEnd::Stalled => "stalled (step size collapsed)".to_string(),
                TraceEnd::Singular => "could not start (singular Jacobian)".to_string(),
                TraceEnd::Done => "stopped".to_string(),
            }
        };
        coll.note(format!(
            "gnm: {label}: {} crossings of λ = 0, {found} verified{}, {rejected} rejected; {how}",
            out.crossings.len() + out.unlocated,
            if rescued {
                " (one at the point where the path stopped, next to λ = 0)"
            } else {
                ""
            }
        ));
        if rejected > 0 {
            all_clean = false;
        }
        let added = coll.result.equilibria.len() - before;
        if i < given {
            given_found += added;
            given_clean = all_clean;
        } else {
            last_added = added > 0;
            restarts += 1;
        }
    }
    if !given_clean && given_found > 0 && restarts == 0 {
        coll.note(
            "gnm: the path stopped early (see above) after the equilibria listed; equilibria further along it were not traced (Gambit's gnm also reports the equilibria on the part of the path it traces)",
        );
    }
    if coll.merged > 0 {
        let merged = coll.merged;
        coll.note(format!(
            "gnm: {merged} further equilibria lay in a convex set of equilibria already reported (one point of each such set is kept)"
        ));
    }
    coll.result.budget_exhausted = meter.exhausted();
    coll.result.complete = all_clean && !meter.exhausted();
    if coll.result.equilibria.is_empty() {
        coll.note("gnm: no verified equilibrium found");
    }
    Ok(coll.result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    #[test]
    fn matching_pennies_mixed() {
        let g = matching_pennies();
        let res = gnm(&g, &GnmOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
    }

    #[test]
    fn mckelvey_mclennan_terminates_with_verified_equilibria() {
        let g = mckelvey_mclennan();
        let opts = GnmOptions {
            random_rays: 3,
            random_rays_only_if_needed: false,
            seed: 11,
            ..Default::default()
        };
        let res = gnm(&g, &opts).unwrap_or_default();
        assert!(!res.equilibria.is_empty(), "{:?}", res.notes);
        for e in &res.equilibria {
            assert!(independent_max_regret(&g, &e.profile) <= 12e-9);
        }
    }

    #[test]
    fn coordination_game_default_ray() {
        // 2x2 coordination: the default ray leads to (1, 1).
        let g = game(&[2, 2], &[vec![2, 0, 0, 1], vec![2, 0, 0, 1]]);
        let res = gnm(&g, &GnmOptions::default()).unwrap_or_default();
        assert!(!res.equilibria.is_empty());
        assert_eq!(
            res.equilibria[0].profile,
            vec![vec![1.0, 0.0], vec![1.0, 0.0]]
        );
    }

    #[test]
    fn trivial_games() {
        let g = game(&[1, 1, 1], &[vec![1], vec![2], vec![3]]);
        let res = gnm(&g, &GnmOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let g = game(&[2, 2], &[vec![0; 4], vec![0; 4]]);
        let res = gnm(&g, &GnmOptions::default()).unwrap_or_default();
        assert!(!res.equilibria.is_empty(), "{:?}", res.notes);
    }

    /// With two players the strategy values are linear, so the
    /// polymatrix approximation at any point is the game itself: tracing
    /// with `Values::Poly` must meet the same equilibria as with the game.
    #[test]
    fn polymatrix_values_trace_like_the_game() {
        // 3x3 with three equilibria (two pure, one mixed).
        let g = game(
            &[3, 3],
            &[
                vec![3, 0, 0, 0, 2, 0, 0, 0, 1],
                vec![3, 0, 0, 0, 2, 0, 0, 0, 1],
            ],
        );
        let t = PayoffTensor::new(&g);
        let mut ray = vec![0.0; t.k];
        ray[0] = 1.0;
        ray[3] = 1.0;
        ray[1] = 0.3;
        ray[5] = 0.6;
        let game_sys = GnmSystem {
            values: Values::Game(&t),
            ray: ray.clone(),
        };
        let sigma = t.centroid();
        let (v0, d0) = t.values_and_pairs(&sigma);
        let poly_sys = GnmSystem {
            values: Values::Poly {
                t: &t,
                v0,
                d0,
                sigma,
            },
            ray,
        };
        let mut m1 = Budget::default().start();
        let mut m2 = Budget::default().start();
        let a = trace_ray(&game_sys, -10.0, false, &mut m1);
        let b = trace_ray(&poly_sys, -10.0, false, &mut m2);
        assert!(a.reached_end && b.reached_end, "{a:?} {b:?}");
        assert_eq!(a.crossings.len() % 2, 1);
        assert_eq!(a.crossings.len(), b.crossings.len());
        for (x, y) in a.crossings.iter().zip(&b.crossings) {
            assert!(x.iter().zip(y).all(|(u, v)| (u - v).abs() < 1e-9));
            assert!(t.max_regret(x) < 1e-12, "{x:?}");
        }
    }

    /// The first-strategy ray of the McKelvey–McLennan game is not
    /// generic: Gambit's gnm follows a loop for minutes. The tracer sees
    /// the path come back to a wall point it passed and stops that ray;
    /// random rays then find equilibria.
    #[test]
    fn mckelvey_mclennan_default_ray_loop_is_detected() {
        let g = mckelvey_mclennan();
        let t = PayoffTensor::new(&g);
        let mut ray = vec![0.0; t.k];
        for j in 0..t.n {
            ray[t.offsets[j]] = 1.0;
        }
        let sys = GnmSystem {
            values: Values::Game(&t),
            ray,
        };
        let mut meter = Budget::new(20_000, None).start();
        let out = trace_ray(&sys, -10.0, false, &mut meter);
        assert!(out.cycled || out.reached_end, "{out:?}");
        for x in &out.crossings {
            assert!(t.max_regret(x) < 1e-9, "{x:?}");
        }
        let res = gnm(&g, &GnmOptions::default()).unwrap_or_default();
        assert!(!res.equilibria.is_empty(), "{:?}", res.notes);
    }

    /// The reduced strategic form of `contrib/2s2x2x2.efg` (Gambit
    /// catalog): the first-strategy path meets 6 equilibria (Gambit's gnm
    /// reports the first) and then closes on itself. By default the answer
    /// is those 6 with a note, without restarts; `restart_after_stop`
    /// restarts with random rays, which stop once one adds nothing new.
    #[test]
    fn stopped_path_keeps_its_equilibria_and_restarts_only_on_request() {
        let g = game(
            &[3, 3, 3],
            &[
                vec![
                    18, 9, 0, 9, 18, 0, 0, 0, 9, 9, 12, 0, 12, 9, 0, 0, 0, 9, 0, 0, 3, 0, 0, 3, 3,
                    3, 0,
                ],
                vec![
                    16, 8, 0, 8, 16, 0, 0, 0, 8, 8, 12, 0, 12, 8, 0, 0, 0, 8, 0, 0, 4, 0, 0, 4, 4,
                    4, 0,
                ],
                vec![
                    24, 12, 0, 12, 14, 0, 0, 0, 2, 12, 18, 0, 18, 12, 0, 0, 0, 2, 0, 0, 6, 0, 0, 6,
                    6, 6, 0,
                ],
            ],
        );
        let res = gnm(&g, &GnmOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 6, "{:?}", res.notes);
        assert!(!res.complete);
        assert!(
            res.notes.iter().any(|n| n.contains("were not traced")),
            "{:?}",
            res.notes
        );
        assert!(!res.notes.iter().any(|n| n.contains("random ray")));
        // Gambit's equilibrium: everyone's first strategy.
        assert_eq!(
            res.equilibria[0].profile,
            vec![vec![1.0, 0.0, 0.0]; 3],
            "{:?}",
            res.notes
        );
        let opts = GnmOptions {
            restart_after_stop: true,
            ..Default::default()
        };
        let more = gnm(&g, &opts).unwrap_or_default();
        let restarts = more
            .notes
            .iter()
            .filter(|n| n.contains("random ray"))
            .count();
        assert!((1..=4).contains(&restarts), "{:?}", more.notes);
        assert!(more.equilibria.len() >= res.equilibria.len());
        for e in res.equilibria.iter().chain(&more.equilibria) {
            assert!(independent_max_regret(&g, &e.profile) <= 24e-9);
        }
    }

    /// Random 3-player games: a ray that reaches the end of its path
    /// crosses `λ = 0` an odd number of times (the path starts at `λ > 0`
    /// and ends at `λ < 0`), and every crossing is an equilibrium.
    #[test]
    fn random_games_odd_crossings_all_equilibria() {
        let mut rng = SplitMix64::new(2026);
        let mut ended = 0;
        for _ in 0..30 {
            let shape = [3usize, 3, 2];
            let cells: usize = shape.iter().product();
            let tables: Vec<Vec<i64>> = (0..3)
                .map(|_| (0..cells).map(|_| (rng.next_u64() % 20) as i64).collect())
                .collect();
            let g = game(&shape, &tables);
            let t = PayoffTensor::new(&g);
            let ray: Vec<f64> = (0..t.k).map(|_| rng.next_f64()).collect();
            let sys = GnmSystem {
                values: Values::Game(&t),
                ray,
            };
            let mut meter = Budget::new(20_000, None).start();
            let out = trace_ray(&sys, -10.0, false, &mut meter);
            for x in &out.crossings {
                assert!(t.max_regret(x) < 1e-9, "{x:?}");
            }
            if out.reached_end {
                ended += 1;
                assert_eq!((out.crossings.len() + out.unlocated) % 2, 1, "{out:?}");
                assert!(out.unlocated <= 1, "{out:?}");
            }
        }
        assert!(
            ended >= 27,
            "only {ended} of 30 random rays reached the end"
        );
    }
}
