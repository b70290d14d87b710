//! All isolated equilibria of small games by support enumeration.
//!
//! Supports are visited in the order of R. Porter, E. Nudelman and Y.
//! Shoham, "Simple search methods for finding a Nash equilibrium", *Games
//! and Economic Behavior* 63 (2008) 642–662 (two players: balanced supports
//! first, then smaller; more players: smaller total size first, then
//! balanced). A support profile is skipped when one of its strategies is
//! dominated given the other players' supports (their conditional
//! dominance test, here weak dominance with one strict inequality, which
//! suffices because every profile of the others' supports has positive
//! probability), or when two strategies of one player are equivalent for
//! every player given the supports (its solutions then form segments, so
//! none is isolated); both tests compare the game's exact payoffs
//! (integers after scaling, or rationals), never rounded ones. A support
//! profile is also skipped when a linear program proves it infeasible
//! (`enumpoly_lp.rs`): for one player, no distribution over the others'
//! support profiles makes its support indifferent and optimal (Farkas:
//! some combination of its payoff differences is positive at every such
//! profile, a certificate checked on the exact payoffs), or, for games of
//! three or more players with at least three mixing, no such distributions,
//! one per player and agreeing on every player's marginal, satisfy all
//! players' conditions at once, or no single distribution over the support
//! profiles gives every player, conditioned on each of its own support
//! strategies, an indifferent and optimal support (the correlated support
//! LP: the product of an equilibrium's mixtures is such a distribution;
//! on the 4-player random games it skips more supports than the others
//! together). For each remaining support the indifference
//! equations (every strategy in a player's support earns the same,
//! probabilities sum to one) are solved:
//!
//! - on the full support (every strategy of every player), the system is
//!   first reduced exactly (`enumpoly_reduce.rs`: equations divided by
//!   positive probabilities, mixtures that one equation fixes substituted);
//!   when one equation in two or more unknowns remains, the support's
//!   equilibria form a continuum (none isolated) and one point of it is
//!   reported without subdivision; when the reduction proves the support
//!   empty, it is skipped; otherwise it is solved as below;
//! - when at most two players mix, the system is linear (each player's
//!   equations depend only on the other's probabilities) and is solved
//!   directly (a singular system means a continuum or nothing);
//! - otherwise, up to [`MAX_SUBDIVISION_DIM`] unknowns, by box subdivision
//!   over the product of simplices (optionally with each box first narrowed
//!   by the linear elimination of every player's block, `enumpoly_elim.rs`:
//!   the other players' conditions are affine in it), with exact exclusion
//!   tests (each
//!   equation, each preconditioned combination of them, each best-response
//!   inequality) and Krawczyk's existence and uniqueness test, so that
//!   every isolated root is proven to be the only one in its box and found
//!   by Newton's method, however close two roots are
//!   (`enumpoly_box.rs`, which cites the papers); boxes that only
//!   hold singular solutions (continua of equilibria in degenerate games,
//!   multiple roots) are resolved by the singular solution Newton's method
//!   finds in them once they are narrower than a leaf width, which the
//!   notes count;
//! - above that, Newton's method from deterministic pseudo-random starts is
//!   used instead and the answer is marked incomplete.
//!
//! A solution is an equilibrium when its probabilities are positive and no
//! strategy outside the support does better; it is reported as isolated
//! when Krawczyk's test proves it the only solution in a box around it, as
//! non-isolated (a point of a continuum, or a multiple root) otherwise.
//! `complete` is `true` only if every support was processed without
//! hitting a cap or the budget; even then the claim is numerical (floating
//! point, with rounding allowances in every test), like Gambit's, and an
//! isolated equilibrium closer to a continuum of solutions than the
//! continuum width could be missed (the notes say when such boxes occurred).

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::Budget;
use crate::enumpoly_box::{solve_support, BoxLimits, SupportSystem};
use crate::enumpoly_lp::{
    correlated_lp_infeasible, joint_lp_infeasible, support_lp_infeasible, ExactPayoffs,
};
use crate::enumpoly_reduce::{reduce_full_support, Reduced};
use crate::equilibrium::SolveError;
use crate::nplayer_util::{newton_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64};
use detente_game::NormalFormGame;
use std::cmp::Ordering;

/// Most strategies per player: beyond this the supports of one player
/// alone number more than 65 thousand.
pub const MAX_STRATEGIES: usize = 16;

/// Most unknowns of a support system solved by subdivision (a box has
/// `2^d` corners); larger systems get Newton's method from many starts.
pub const MAX_SUBDIVISION_DIM: usize = 12;

/// Supports with at least this many unknowns get four times
/// [`EnumpolyOptions::max_boxes_per_support`]: in 10 or more dimensions a
/// support without solutions can need more than 20,000 boxes before every
/// box is excluded (`rand_3p_5x5x5_1.nfg`'s full support: about 25,000).
pub const LARGE_DIM: usize = 10;

/// Smallest number of unknowns for which the joint support LP is tried
/// (smaller systems are solved faster than it runs).
const JOINT_LP_MIN_UNKNOWNS: usize = 6;

/// Smallest number of unknowns for which boxes get the box LP.
const BOX_LP_MIN_UNKNOWNS: usize = 5;

/// Options of [`enumpoly`].
#[derive(Debug, Clone, PartialEq)]
pub struct EnumpolyOptions {
    /// Acceptance tolerance (relative max regret).
    pub max_regret: f64,
    /// Largest number of boxes examined for one support (four times this
    /// for supports of [`LARGE_DIM`] or more unknowns).
    pub max_boxes_per_support: usize,
    /// Stop after this many equilibria.
    pub stop_after: Option<usize>,
    /// Budget: one step per support and per box.
    pub budget: Budget,
    /// Skip support profiles that the support LPs prove infeasible
    /// (`enumpoly_lp.rs`) and exclude boxes by the box LP
    /// (`enumpoly_box.rs`); `false` only to compare answers with and
    /// without them.
    pub support_lp: bool,
    /// Contract every box of the subdivision by the linear elimination of
    /// each player's block (`enumpoly_elim.rs`). Off by default: on the
    /// 4-player random games it saves 30–60% of the boxes but costs about
    /// 1.4× the CPU time (`bench/nplayer/README.md`, "enumpoly (sixth
    /// session)"), and it moves Newton's starting points, so the last
    /// digits of some equilibria change.
    pub elimination: bool,
    /// Reduce the full support's system exactly before subdividing it
    /// (`enumpoly_reduce.rs`: dividing by positive probabilities, fixing
    /// mixtures that one equation determines): when a single equation in
    /// two or more unknowns remains, its equilibria form a continuum and
    /// one point is reported without subdivision; `false` only to compare
    /// answers with and without it.
    pub reduce: bool,
}

impl Default for EnumpolyOptions {
    fn default() -> Self {
        EnumpolyOptions {
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            max_boxes_per_support: 20_000,
            stop_after: None,
            budget: Budget::default(),
            support_lp: true,
            elimination: false,
            reduce: true,
        }
    }
}

/// All `size`-subsets of `0..n`, in lexicographic order.
fn combinations(n: usize, size: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut c: Vec<usize> = (0..size).collect();
    loop {
        out.push(c.clone());
        let mut i = size;
        loop {
            if i == 0 {
                return out;
            }
            i -= 1;
            if c[i] < n - size + i {
                c[i] += 1;
                for r in (i + 1)..size {
                    c[r] = c[r - 1] + 1;
                }
                break;
            }
        }
    }
}

/// Support-size profiles in Porter–Nudelman–Shoham order.
fn size_profiles(shape: &[usize]) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = Vec::new();
    let mut cur = vec![1usize; shape.len()];
    loop {
        all.push(cur.clone());
        let mut p = 0;
        loop {
            if p == shape.len() {
                let two = shape.len() == 2;
                all.sort_by_key(|s| {
                    let sum: usize = s.iter().sum();
                    let mx = s.iter().copied().max().unwrap_or(0);
                    let mn = s.iter().copied().min().unwrap_or(0);
                    if two {
                        (mx - mn, sum, s.clone())
                    } else {
                        (sum, mx - mn, s.clone())
                    }
                });
                return all;
            }
            cur[p] += 1;
            if cur[p] <= shape[p] {
                break;
            }
            cur[p] = 1;
            p += 1;
        }
    }
}

/// Whether some strategy of some player's support is dominated, given the
/// other players' supports, by another strategy of that player: weakly at
/// every profile of the others' supports and strictly at one (all those
/// profiles have positive probability when the others mix over exactly
/// their supports, so the dominated strategy earns strictly less).
fn conditionally_dominated(t: &PayoffTensor, ex: &ExactPayoffs, sets: &[Vec<usize>]) -> bool {
    let n = t.n;
    let strides: Vec<usize> = (0..n).map(|j| t.shape[..j].iter().product()).collect();
    for j in 0..n {
        // Enumerate the others' pure profiles within their supports.
        let others: Vec<usize> = (0..n).filter(|&q| q != j).collect();
        let mut idx = vec![0usize; others.len()];
        let mut bases = Vec::new();
        loop {
            let mut cell = 0;
            for (i, &q) in others.iter().enumerate() {
                cell += sets[q][idx[i]] * strides[q];
            }
            bases.push(cell);
            let mut p = 0;
            loop {
                if p == others.len() {
                    break;
                }
                idx[p] += 1;
                if idx[p] < sets[others[p]].len() {
                    break;
                }
                idx[p] = 0;
                p += 1;
            }
            if p == others.len() {
                break;
            }
        }
        for &s in &sets[j] {
            for s2 in 0..t.shape[j] {
                if s2 == s {
                    continue;
                }
                // Every profile of the others' supports has positive
                // probability, so weak dominance with one strict
                // inequality already makes `s` a worse reply than `s2`.
                let mut strict = false;
                let weakly = bases.iter().all(|&c| {
                    let o = ex.cmp(c + s2 * strides[j], c + s * strides[j], j);
                    strict |= o == Ordering::Greater;
                    o != Ordering::Less
                });
                if weakly && strict {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether two strategies `a`, `b` of one player's support are equivalent
/// given the supports: every player earns the same against `a` as against
/// `b` at every profile of the other players' supports (for the player
/// owning them: `u_j(a, ·) = u_j(b, ·)`; for another player `p`: with any
/// strategy of `p`, the rest in their supports). Then every solution of the
/// support's system with both probabilities positive lies on a segment of
/// solutions (shift probability between `a` and `b`), so the support has
/// no isolated equilibrium.
fn equivalent_pair(t: &PayoffTensor, ex: &ExactPayoffs, sets: &[Vec<usize>]) -> bool {
    let n = t.n;
    let strides: Vec<usize> = (0..n).map(|j| t.shape[..j].iter().product()).collect();
    for j in 0..n {
        if sets[j].len() < 2 {
            continue;
        }
        // Profiles of everyone but j: players in their supports, except
        // that player `free` ranges over all its strategies.
        let cells_with = |free: Option<usize>| -> Vec<usize> {
            let ranges: Vec<Vec<usize>> = (0..n)
                .map(|q| {
                    if q == j {
                        vec![0]
                    } else if Some(q) == free {
                        (0..t.shape[q]).collect()
                    } else {
                        sets[q].clone()
                    }
                })
                .collect();
            let mut out = vec![0usize];
            for q in 0..n {
                let mut next = Vec::with_capacity(out.len() * ranges[q].len());
                for &c in &out {
                    for &h in &ranges[q] {
                        next.push(c + h * strides[q]);
                    }
                }
                out = next;
            }
            out
        };
        let own = cells_with(None);
        let per_player: Vec<Vec<usize>> = (0..n)
            .map(|p| {
                if p == j {
                    Vec::new()
                } else {
                    cells_with(Some(p))
                }
            })
            .collect();
        for (i, &a) in sets[j].iter().enumerate() {
            for &b in &sets[j][i + 1..] {
                let same = |c: usize, p: usize| {
                    ex.cmp(c + a * strides[j], c + b * strides[j], p) == Ordering::Equal
                };
                if own.iter().all(|&c| same(c, j))
                    && (0..n)
                        .filter(|&p| p != j)
                        .all(|p| per_player[p].iter().all(|&c| same(c, p)))
                {
                    return true;
                }
            }
        }
    }
    false
}

/// Solutions found for one support: `(profile, regular)`, and whether the
/// search of this support was exhaustive.
struct SupportOutcome {
    roots: Vec<(Vec<f64>, bool)>,
    exhaustive: bool,
    note: Option<String>,
}

fn solve_linear(t: &PayoffTensor, support: &[usize], blocks: &[Vec<usize>]) -> SupportOutcome {
    let mut x0 = vec![0.0; t.k];
    for b in blocks {
        for &a in b {
            x0[a] = 1.0 / b.len() as f64;
        }
    }
    let roots = newton_on_support(t, support, &x0, 8).into_iter().collect();
    SupportOutcome {
        roots,
        exhaustive: true,
        note: None,
    }
}

/// The support outcome of an exact reduction (`enumpoly_reduce.rs`):
/// nothing, or one point of a continuum (never isolated).
fn reduced_outcome(r: Reduced) -> SupportOutcome {
    match r {
        Reduced::Empty => SupportOutcome {
            roots: Vec::new(),
            exhaustive: true,
            note: None,
        },
        Reduced::Continuum { point, note } => SupportOutcome {
            roots: vec![(point, false)],
            exhaustive: true,
            note: Some(note),
        },
    }
}

/// Box subdivision with exclusion and Krawczyk tests
/// (`enumpoly_box.rs`).
fn solve_boxes(
    t: &PayoffTensor,
    support: &[usize],
    blocks: &[Vec<usize>],
    opts: &EnumpolyOptions,
    meter: &mut crate::budget::Meter,
    stats: &mut BoxStats,
) -> SupportOutcome {
    let max_boxes = opts.max_boxes_per_support;
    let sys = SupportSystem::new(t, blocks);
    let d: usize = blocks.iter().map(|b| b.len() - 1).sum();
    let limits = BoxLimits {
        max_boxes: if d >= LARGE_DIM {
            max_boxes.saturating_mul(4)
        } else {
            max_boxes
        },
        box_lp: opts.support_lp && d >= BOX_LP_MIN_UNKNOWNS,
        elimination: opts.elimination,
        ..Default::default()
    };
    let out = solve_support(&sys, &limits, meter);
    stats.boxes += out.boxes;
    stats.singular_leaves += out.singular_leaves;
    stats.continuum_boxes += out.continuum_boxes;
    stats.unresolved += out.unresolved;
    let note = if out.capped {
        Some(format!(
            "enumpoly: support {:?}: stopped after {} boxes ({} proven to hold one root, {} resolved by a point of a continuum, {} small boxes around singular solutions): a continuum of solutions of higher dimension or a budget limit",
            support,
            out.boxes.min(limits.max_boxes),
            out.unique,
            out.continuum_boxes,
            out.singular_leaves
        ))
    } else if out.unresolved > 0 {
        Some(format!(
            "enumpoly: support {:?}: {} boxes narrower than {:e} left without a root or an exclusion",
            support,
            out.unresolved,
            limits.min_width
        ))
    } else {
        None
    };
    SupportOutcome {
        roots: out.roots.into_iter().map(|r| (r.x, r.regular)).collect(),
        exhaustive: out.exhaustive,
        note,
    }
}

/// Counters over all supports solved by subdivision.
#[derive(Debug, Default)]
struct BoxStats {
    boxes: usize,
    singular_leaves: usize,
    continuum_boxes: usize,
    unresolved: usize,
}

fn solve_multistart(t: &PayoffTensor, support: &[usize], seed: u64) -> SupportOutcome {
    let mut rng = SplitMix64::new(seed);
    let mut roots: Vec<(Vec<f64>, bool)> = Vec::new();
    for _ in 0..40 {
        let full = rng.profile(t);
        let mut x = vec![0.0; t.k];
        for &a in support {
            x[a] = full[a];
        }
        t.normalize(&mut x);
        if let Some((y, regular)) = newton_on_support(t, support, &x, 40) {
            if !roots
                .iter()
                .any(|(r, _)| r.iter().zip(&y).all(|(a, b)| (a - b).abs() < 1e-9))
            {
                roots.push((y, regular));
            }
        }
    }
    SupportOutcome {
        roots,
        exhaustive: false,
        note: Some(format!(
            "enumpoly: support {support:?} has too many unknowns for subdivision; Newton from 40 starts (may miss solutions)"
        )),
    }
}

/// All isolated equilibria (and, separately, the non-isolated ones met)
/// by support enumeration; see the module documentation for the claim.
pub fn enumpoly(
    game: &NormalFormGame,
    opts: &EnumpolyOptions,
) -> Result<NplayerResult, SolveError> {
    if !(opts.max_regret >= 0.0) {
        return Err(SolveError::NotApplicable(
            "enumpoly: max_regret must be a nonnegative number".into(),
        ));
    }
    let t = PayoffTensor::new(game);
    t.check_size("enumpoly")?;
    if let Some((j, &s)) = t
        .shape
        .iter()
        .enumerate()
        .find(|(_, &s)| s > MAX_STRATEGIES)
    {
        let hint = if t.n == 2 {
            "; with two players, enummixed finds every extreme equilibrium and lcp those Lemke–Howson reaches"
        } else {
            ""
        };
        return Err(SolveError::TooLarge(format!(
            "enumpoly: player {} has {s} strategies; support enumeration handles at most {MAX_STRATEGIES} per player (2^{MAX_STRATEGIES} supports each){hint}",
            j + 1
        )));
    }
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut complete = true;
    let mut supports_done = 0u64;
    let mut skipped = 0u64;
    let mut equivalent = 0u64;
    let mut lp_pruned = 0u64;
    let mut joint_pruned = 0u64;
    let mut ce_pruned = 0u64;
    let ex = ExactPayoffs::new(game);
    let mut continua = 0u64;
    let mut box_stats = BoxStats::default();
    let mut combos: Vec<Vec<Option<Vec<Vec<usize>>>>> =
        t.shape.iter().map(|&s| vec![None; s + 1]).collect();
    'outer: for sizes in size_profiles(&t.shape) {
        for (j, &s) in sizes.iter().enumerate() {
            if combos[j][s].is_none() {
                combos[j][s] = Some(combinations(t.shape[j], s));
            }
        }
        let lists: Vec<&Vec<Vec<usize>>> = sizes
            .iter()
            .enumerate()
            .filter_map(|(j, &s)| combos[j][s].as_ref())
            .collect();
        if lists.len() != t.n {
            continue;
        }
        let mut idx = vec![0usize; t.n];
        loop {
            if !meter.tick() {
                complete = false;
                break 'outer;
            }
            if let Some(limit) = opts.stop_after {
                if coll.result.equilibria.len() >= limit {
                    complete = false;
                    coll.note(format!(
                        "enumpoly: stopped after {limit} equilibria as asked"
                    ));
                    break 'outer;
                }
            }
            let sets: Vec<Vec<usize>> = (0..t.n).map(|j| lists[j][idx[j]].clone()).collect();
            supports_done += 1;
            // The LPs pay where the support would go to subdivision (three
            // or more players mixing); the joint one on larger systems.
            let mixing_sets = sets.iter().filter(|s| s.len() > 1).count();
            let unknowns: usize = sets.iter().map(|s| s.len() - 1).sum();
            let lps = opts.support_lp && mixing_sets > 2;
            if conditionally_dominated(&t, &ex, &sets) {
                skipped += 1;
            } else if equivalent_pair(&t, &ex, &sets) {
                equivalent += 1;
            } else if lps && support_lp_infeasible(&t, &ex, &sets) {
                lp_pruned += 1;
            } else if lps
                && unknowns >= JOINT_LP_MIN_UNKNOWNS
                && joint_lp_infeasible(&t, &ex, &sets)
            {
                joint_pruned += 1;
            } else if lps && correlated_lp_infeasible(&t, &ex, &sets) {
                ce_pruned += 1;
            } else {
                let blocks: Vec<Vec<usize>> = sets
                    .iter()
                    .enumerate()
                    .map(|(j, s)| s.iter().map(|&h| t.offsets[j] + h).collect())
                    .collect();
                let support: Vec<usize> = blocks.iter().flatten().copied().collect();
                let mixing = blocks.iter().filter(|b| b.len() > 1).count();
                let d: usize = blocks.iter().map(|b| b.len() - 1).sum();
                let full = sets.iter().zip(&t.shape).all(|(s, &m)| s.len() == m);
                let reduced = if opts.reduce && full && mixing > 2 {
                    reduce_full_support(game, &t)
                } else {
                    None
                };
                let outcome = if let Some(r) = reduced {
                    reduced_outcome(r)
                } else if mixing <= 2 {
                    solve_linear(&t, &support, &blocks)
                } else if d <= MAX_SUBDIVISION_DIM {
                    solve_boxes(&t, &support, &blocks, opts, &mut meter, &mut box_stats)
                } else {
                    solve_multistart(&t, &support, supports_done)
                };
                if !outcome.exhaustive {
                    complete = false;
                }
                if let Some(n) = outcome.note {
                    coll.note(n);
                }
                // Every isolated solution, and one representative point of
                // the continua met on this support.
                let mut continuum_shown = false;
                for (x, regular) in outcome.roots {
                    if !regular && continuum_shown {
                        continue;
                    }
                    if support.iter().all(|&a| x[a] > 1e-12) && x.iter().all(|v| v.is_finite()) {
                        let mut y = x;
                        t.normalize(&mut y);
                        if coll.offer(&y, regular) && !regular {
                            continuum_shown = true;
                            continua += 1;
                        }
                    }
                }
            }
            let mut p = 0;
            loop {
                if p == t.n {
                    break;
                }
                idx[p] += 1;
                if idx[p] < lists[p].len() {
                    break;
                }
                idx[p] = 0;
                p += 1;
            }
            if p == t.n {
                break;
            }
        }
    }
    coll.note(format!(
        "enumpoly: {supports_done} support profiles examined, {skipped} skipped by conditional dominance"
    ));
    if lp_pruned > 0 {
        coll.note(format!(
            "enumpoly: {lp_pruned} support profiles skipped by the support LP (no distribution over the others' supports makes one player's support indifferent and optimal; certified on the exact payoffs)"
        ));
    }
    if joint_pruned > 0 {
        coll.note(format!(
            "enumpoly: {joint_pruned} more support profiles skipped by the joint support LP (no distributions over the others' supports, one per player, agreeing on every player's marginal, satisfy all players' conditions; certified on the exact payoffs)"
        ));
    }
    if ce_pruned > 0 {
        coll.note(format!(
            "enumpoly: {ce_pruned} more support profiles skipped by the correlated support LP (no distribution over the support profiles gives every player, conditioned on each of its support strategies, an indifferent and optimal support; certified on the exact payoffs)"
        ));
    }
    if equivalent > 0 {
        coll.note(format!(
            "enumpoly: {equivalent} support profiles skipped because two strategies of one player in them are equivalent for every player given the others' supports: their equilibria form continua (none is isolated)"
        ));
    }
    if box_stats.boxes > 0 {
        coll.note(format!(
            "enumpoly: {} boxes examined by subdivision",
            box_stats.boxes
        ));
    }
    if box_stats.continuum_boxes > 0 {
        coll.note(format!(
            "enumpoly: {} boxes narrower than {} resolved by a point of a continuum of solutions found in them; an isolated equilibrium that close to a continuum would be missed",
            box_stats.continuum_boxes,
            BoxLimits::default().continuum_width
        ));
    }
    if box_stats.singular_leaves > 0 {
        coll.note(format!(
            "enumpoly: {} boxes narrower than {} resolved by a singular solution (a point of a continuum or a multiple root) found in them; an isolated equilibrium that close to a singular one would be missed",
            box_stats.singular_leaves,
            BoxLimits::default().leaf_width
        ));
    }
    if continua > 0 {
        coll.note(format!(
            "enumpoly: equilibria that are not isolated (continua) on {continua} supports; one point of each is reported apart (`nonisolated`)"
        ));
    }
    coll.result.budget_exhausted = meter.exhausted();
    if meter.exhausted() {
        coll.note(format!("enumpoly: {}", meter.describe()));
    }
    coll.result.complete = complete;
    Ok(coll.result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nplayer_util::tests::{game, matching_pennies, mckelvey_mclennan};

    #[test]
    fn combinations_and_order() {
        assert_eq!(combinations(3, 2), vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
        assert_eq!(combinations(2, 2), vec![vec![0, 1]]);
        let s = size_profiles(&[2, 3]);
        assert_eq!(s[0], vec![1, 1]);
        assert_eq!(s.len(), 6);
        assert_eq!(s[1], vec![2, 2]);
    }

    #[test]
    fn mckelvey_mclennan_has_nine() {
        let g = mckelvey_mclennan();
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 9, "{:?}", res.notes);
        assert!(res.complete);
        let totally_mixed = res
            .equilibria
            .iter()
            .filter(|e| e.profile.iter().flatten().all(|&p| p > 0.0))
            .count();
        assert_eq!(totally_mixed, 2);
    }

    #[test]
    fn small_games() {
        let res = enumpoly(&matching_pennies(), &EnumpolyOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
        // One player, ties: a continuum (strategies 2 and 3 are
        // equivalent, so their support is skipped and said so); the two
        // pure optima are isolated.
        let g = game(&[3], &[vec![0, 4, 4]]);
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 2);
        assert!(res.nonisolated.is_empty());
        assert!(res.notes.iter().any(|n| n.contains("equivalent")));
        // Two players with a segment of equilibria not made by equivalent
        // strategies: player 2 is indifferent, player 1 strictly prefers
        // row 1 when player 2's first column has probability above 1/2.
        let g = game(&[2, 2], &[vec![1, 0, 0, 1], vec![0, 0, 0, 0]]);
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert!(res.complete);
        for e in res.equilibria.iter().chain(&res.nonisolated) {
            let r = crate::nplayer_util::independent_max_regret(&g, &e.profile);
            assert!(r <= 1e-9, "{:?}", e.profile);
        }
        let g = game(&[1, 1, 1], &[vec![1], vec![2], vec![3]]);
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
    }

    #[test]
    fn a_curve_of_mixed_equilibria_is_resolved_not_capped() {
        // Nau, Gomez Canovas and Hansen (2004), section 5
        // (`nau2004/sec5.nfg`): 3 pure equilibria and a curve of
        // completely mixed ones, whose boxes used to exhaust the box cap.
        let g = game(
            &[2, 2, 2],
            &[
                vec![0, 3, 0, 0, 1, 0, 0, 0],
                vec![0, 0, 3, 0, 1, 0, 0, 0],
                vec![2, 0, 0, 0, 0, 0, 0, 3],
            ],
        );
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert!(res.complete, "{:?}", res.notes);
        assert_eq!(res.equilibria.len(), 3, "{:?}", res.equilibria);
        assert!(res.equilibria.iter().all(|e| e
            .profile
            .iter()
            .flatten()
            .all(|&p| p == 0.0 || p == 1.0)));
        let mixed = res
            .nonisolated
            .iter()
            .filter(|e| e.profile.iter().flatten().all(|&p| p > 0.0))
            .count();
        assert_eq!(mixed, 1, "{:?}", res.nonisolated);
        assert!(res.notes.iter().any(|n| n.contains("continuum")));
    }

    #[test]
    fn weakly_dominated_and_equivalent_supports_are_skipped() {
        // Coordination: with player 3 on its strategy 2 and player 1
        // mixing, player 2's strategy 1 earns nothing and its strategy 2
        // earns 1 against player 1's strategy 2: weak dominance with one
        // strict inequality (not strict dominance) skips the support.
        let g = game(
            &[2, 2, 2],
            &[
                vec![1, 0, 0, 0, 0, 0, 0, 1],
                vec![1, 0, 0, 0, 0, 0, 0, 1],
                vec![1, 0, 0, 0, 0, 0, 0, 1],
            ],
        );
        let t = PayoffTensor::new(&g);
        let ex = ExactPayoffs::new(&g);
        assert!(conditionally_dominated(
            &t,
            &ex,
            &[vec![0, 1], vec![0], vec![1]]
        ));
        assert!(!conditionally_dominated(
            &t,
            &ex,
            &[vec![0, 1], vec![0, 1], vec![0, 1]]
        ));
        // Player 1's two strategies are the same for everyone.
        let g = game(
            &[2, 2, 2],
            &[
                vec![3, 3, 1, 1, 0, 0, 2, 2],
                vec![1, 1, 0, 0, 4, 4, 2, 2],
                vec![0, 0, 5, 5, 1, 1, 2, 2],
            ],
        );
        let t = PayoffTensor::new(&g);
        let ex = ExactPayoffs::new(&g);
        assert!(equivalent_pair(
            &t,
            &ex,
            &[vec![0, 1], vec![0, 1], vec![0, 1]]
        ));
        // Not when one of the others' payoffs tells them apart.
        let g = game(
            &[2, 2, 2],
            &[
                vec![3, 3, 1, 1, 0, 0, 2, 2],
                vec![1, 1, 0, 0, 4, 4, 2, 3],
                vec![0, 0, 5, 5, 1, 1, 2, 2],
            ],
        );
        let t = PayoffTensor::new(&g);
        let ex = ExactPayoffs::new(&g);
        assert!(!equivalent_pair(
            &t,
            &ex,
            &[vec![0, 1], vec![0, 1], vec![0, 1]]
        ));
    }

    /// enumpoly with and without the support LPs on `g`: both complete,
    /// with as many equilibria.
    fn with_and_without_lp(g: &NormalFormGame, seed: u64) -> (NplayerResult, NplayerResult) {
        let with = enumpoly(g, &EnumpolyOptions::default()).unwrap_or_default();
        let without = enumpoly(
            g,
            &EnumpolyOptions {
                support_lp: false,
                ..Default::default()
            },
        )
        .unwrap_or_default();
        assert!(with.complete && without.complete, "{:?}", with.notes);
        assert_eq!(
            with.equilibria.len(),
            without.equilibria.len(),
            "seed {seed}"
        );
        (with, without)
    }

    #[test]
    fn lp_prunings_fire_on_random_games_and_change_nothing() {
        // Seeded random 3×3×3 and 4×3×3 games (payoffs 0..19): the support
        // LPs skip supports and the answers equal those without them.
        let (mut per_player, mut joint, mut correlated) = (0, 0, 0);
        for seed in 1..=12u64 {
            let mut rng = SplitMix64::new(seed);
            let shape = if seed % 2 == 0 {
                vec![3, 3, 3]
            } else {
                vec![4, 3, 3]
            };
            let cells: usize = shape.iter().product();
            let tables: Vec<Vec<i64>> = (0..3)
                .map(|_| (0..cells).map(|_| (rng.next_u64() % 20) as i64).collect())
                .collect();
            let g = game(&shape, &tables);
            let (with, without) = with_and_without_lp(&g, seed);
            for e in &with.equilibria {
                assert!(without.equilibria.iter().any(|f| e
                    .profile
                    .iter()
                    .flatten()
                    .zip(f.profile.iter().flatten())
                    .all(|(a, b)| (a - b).abs() < 1e-9)));
            }
            let count = |key: &str| {
                with.notes
                    .iter()
                    .filter(|n| n.contains(key))
                    .filter_map(|n| n.split_whitespace().nth(1)?.parse::<u64>().ok())
                    .sum::<u64>()
            };
            per_player += count("skipped by the support LP");
            joint += count("skipped by the joint support LP");
            correlated += count("skipped by the correlated support LP");
            // No support of an equilibrium found without the LPs is
            // infeasible for the correlated LP.
            let t = PayoffTensor::new(&g);
            let ex = ExactPayoffs::new(&g);
            for e in without.equilibria.iter().chain(&without.nonisolated) {
                let sets: Vec<Vec<usize>> = e
                    .profile
                    .iter()
                    .map(|b| (0..b.len()).filter(|&h| b[h] > 1e-9).collect())
                    .collect();
                assert!(
                    !correlated_lp_infeasible(&t, &ex, &sets),
                    "seed {seed}: {:?}",
                    e.profile
                );
            }
        }
        assert!(
            per_player > 0 && joint > 0 && correlated > 0,
            "{per_player} {joint} {correlated}"
        );
    }

    #[test]
    fn correlated_lp_prunes_four_player_supports_and_keeps_equilibria() {
        // Seeded random 2×2×2×2 and 3×2×2×2 games: the correlated support
        // LP skips supports, every equilibrium's support passes it, and the
        // answers equal those without the LPs.
        let mut correlated = 0;
        for seed in 21..=28u64 {
            let mut rng = SplitMix64::new(seed);
            let shape = if seed % 2 == 0 {
                vec![2, 2, 2, 2]
            } else {
                vec![3, 2, 2, 2]
            };
            let cells: usize = shape.iter().product();
            let tables: Vec<Vec<i64>> = (0..4)
                .map(|_| (0..cells).map(|_| (rng.next_u64() % 20) as i64).collect())
                .collect();
            let g = game(&shape, &tables);
            let (with, without) = with_and_without_lp(&g, seed);
            let t = PayoffTensor::new(&g);
            let ex = ExactPayoffs::new(&g);
            for e in &without.equilibria {
                assert!(with.equilibria.iter().any(|f| e
                    .profile
                    .iter()
                    .flatten()
                    .zip(f.profile.iter().flatten())
                    .all(|(a, b)| (a - b).abs() < 1e-9)));
                let sets: Vec<Vec<usize>> = e
                    .profile
                    .iter()
                    .map(|b| (0..b.len()).filter(|&h| b[h] > 1e-9).collect())
                    .collect();
                assert!(!correlated_lp_infeasible(&t, &ex, &sets), "seed {seed}");
            }
            correlated += with
                .notes
                .iter()
                .filter(|n| n.contains("skipped by the correlated support LP"))
                .filter_map(|n| n.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>();
        }
        assert!(correlated > 0);
    }

    #[test]
    fn too_many_strategies_is_an_error() {
        let g = game(&[17, 1], &[vec![0; 17], vec![0; 17]]);
        assert!(matches!(
            enumpoly(&g, &EnumpolyOptions::default()),
            Err(SolveError::TooLarge(_))
        ));
    }

    #[test]
    fn budget_is_reported() {
        let g = mckelvey_mclennan();
        let opts = EnumpolyOptions {
            budget: Budget::new(5, None),
            ..Default::default()
        };
        let res = enumpoly(&g, &opts).unwrap_or_default();
        assert!(res.budget_exhausted && !res.complete);
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::nplayer_util::independent_max_regret;
    use crate::nplayer_util::tests::game;
    use detente_game::Scalar;
    use proptest::prelude::*;

    /// Totally mixed solutions of the full support's system found by
    /// Newton's method from a grid of starts, with regular Jacobian.
    fn multistart_mixed(t: &PayoffTensor) -> Vec<Vec<f64>> {
        let support: Vec<usize> = (0..t.k).collect();
        let mut rng = SplitMix64::new(11);
        let mut found: Vec<Vec<f64>> = Vec::new();
        for _ in 0..300 {
            let x0 = rng.profile(t);
            if let Some((x, true)) = newton_on_support(t, &support, &x0, 60) {
                if x.iter().all(|&v| v > 1e-6)
                    && !found
                        .iter()
                        .any(|y| y.iter().zip(&x).all(|(a, b)| (a - b).abs() < 1e-7))
                {
                    found.push(x);
                }
            }
        }
        found
    }

    fn same_profiles(a: &[crate::Equilibrium<f64>], b: &[crate::Equilibrium<f64>]) -> bool {
        let close = |x: &crate::Equilibrium<f64>, y: &crate::Equilibrium<f64>| {
            x.profile
                .iter()
                .flatten()
                .zip(y.profile.iter().flatten())
                .all(|(p, q)| (p - q).abs() < 1e-7)
        };
        a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| close(x, y)))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// The LP prunings (support, joint and box LPs) never change the
        /// answer: same isolated equilibria, same completeness.
        #[test]
        fn lp_pruning_keeps_the_equilibria(
            shape_pick in 0usize..3,
            pay in proptest::collection::vec(-4i64..5, 81),
        ) {
            let shape: Vec<usize> = match shape_pick {
                0 => vec![3, 3, 2],
                1 => vec![3, 3, 3],
                _ => vec![2, 2, 2],
            };
            let cells: usize = shape.iter().product();
            let tables: Vec<Vec<i64>> = (0..3).map(|p| pay[p * cells..(p + 1) * cells].to_vec()).collect();
            let g = game(&shape, &tables);
            let with = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
            let without = enumpoly(&g, &EnumpolyOptions { support_lp: false, ..Default::default() })
                .unwrap_or_default();
            prop_assert!(with.complete || !without.complete, "{:?}", with.notes);
            prop_assert!(
                same_profiles(&with.equilibria, &without.equilibria),
                "with {:?}\nwithout {:?}\nnotes {:?}",
                with.equilibria.iter().map(|e| &e.profile).collect::<Vec<_>>(),
                without.equilibria.iter().map(|e| &e.profile).collect::<Vec<_>>(),
                with.notes
            );
        }
    }

    /// Games with many zero payoffs (`0..6` with 3, 4, 5 read as 0), whose
    /// full-support systems often factor (the structure of Nau et al.'s
    /// section 5 game).
    fn sparse_game(shape: &[usize], pay: &[i64]) -> NormalFormGame {
        let n = shape.len();
        let cells: usize = shape.iter().product();
        let tables: Vec<Vec<i64>> = (0..n)
            .map(|p| {
                pay[p * cells..(p + 1) * cells]
                    .iter()
                    .map(|&v| if v >= 3 { 0 } else { v })
                    .collect()
            })
            .collect();
        game(shape, &tables)
    }

    /// The exact reduction of the full support (`enumpoly_reduce.rs`)
    /// fires on sparse games (empty supports and continua) and keeps every
    /// isolated equilibrium: the same as the subdivision without it.
    #[test]
    fn full_support_reduction_fires_and_changes_no_isolated_equilibrium() {
        let mut rng = SplitMix64::new(2026);
        let mut int = |lo: i64, hi: i64| lo + (rng.next_u64() % (hi - lo + 1) as u64) as i64;
        let (mut continua, mut total) = (0, 0);
        for k in 0..80 {
            let g = if k % 2 == 0 {
                let shape: Vec<usize> = if k % 4 == 0 {
                    vec![2, 2, 2]
                } else {
                    vec![2, 2, 2, 2]
                };
                let cells: usize = shape.iter().product();
                let pay: Vec<i64> = (0..cells * shape.len()).map(|_| int(0, 5)).collect();
                sparse_game(&shape, &pay)
            } else {
                // Section 5's structure with random numbers: player 1's
                // gain from B is `x_L (d_1 r + d_2 (1 − r))`, player 2's
                // from R is `x_T λ (d_1 r + d_2 (1 − r))` (the same root
                // `r`), player 3's payoffs random.
                let (d1, d2, lam) = (int(1, 5), int(-5, -1), int(1, 3));
                let (c1, c2) = (int(-3, 3), int(-3, 3));
                let mut t1 = vec![0i64; 8];
                let mut t2 = vec![0i64; 8];
                let t3: Vec<i64> = (0..8).map(|_| int(-3, 3)).collect();
                // Cells (p1, p2, p3), player 1 fastest; p2 = 0 is L,
                // p3 = 0 is strategy 1 (probability r).
                for c in 0..8usize {
                    let (a, b, e) = (c & 1, c >> 1 & 1, c >> 2 & 1);
                    let d = if e == 0 { d1 } else { d2 };
                    t1[c] = if b == 0 && a == 1 { d } else { c1 };
                    t2[c] = if a == 0 && b == 1 { lam * d } else { c2 };
                }
                game(&[2, 2, 2], &[t1, t2, t3])
            };
            let with = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
            let without = enumpoly(
                &g,
                &EnumpolyOptions {
                    reduce: false,
                    ..Default::default()
                },
            )
            .unwrap_or_default();
            if with.notes.iter().any(|n| n.contains("full support:")) {
                continuum_checks(&with);
                continua += 1;
            }
            total += 1;
            assert!(with.complete || !without.complete, "{:?}", with.notes);
            assert!(
                same_profiles(&with.equilibria, &without.equilibria),
                "game {k}: with {:?}\nwithout {:?}\nnotes {:?}",
                with.equilibria
                    .iter()
                    .map(|e| &e.profile)
                    .collect::<Vec<_>>(),
                without
                    .equilibria
                    .iter()
                    .map(|e| &e.profile)
                    .collect::<Vec<_>>(),
                with.notes
            );
        }
        assert!(continua > 0, "no continuum recognised in {total} games");
    }

    /// A continuum reported by the reduction is a verified, completely
    /// mixed equilibrium listed as non-isolated.
    fn continuum_checks(res: &NplayerResult) {
        assert!(!res.nonisolated.is_empty());
        assert!(res
            .nonisolated
            .iter()
            .any(|e| e.profile.iter().flatten().all(|&p| p > 1e-9)));
    }

    #[test]
    fn nau_section5_reports_the_curve_without_subdivision() {
        let g = crate::enumpoly_reduce::tests::nau_sec5();
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert!(res.complete);
        // The three pure equilibria are isolated; the two partly mixed
        // points lie on segments, the completely mixed one on the curve
        // r = 1/4, 2pq = 3(1 − p)(1 − q).
        assert_eq!(res.equilibria.len(), 3, "{:?}", res.notes);
        assert_eq!(res.nonisolated.len(), 3, "{:?}", res.notes);
        let mixed = res
            .nonisolated
            .iter()
            .find(|e| e.profile.iter().flatten().all(|&p| p > 0.0))
            .map(|e| e.profile.clone())
            .unwrap_or_default();
        assert_eq!(mixed.len(), 3);
        let (p, q, r) = (mixed[0][0], mixed[1][0], mixed[2][0]);
        assert_eq!(r, 0.25);
        assert!((2.0 * p * q - 3.0 * (1.0 - p) * (1.0 - q)).abs() < 1e-14);
        assert!(res
            .notes
            .iter()
            .any(|n| n.contains("player 3 at (1/4, 3/4)")));
        assert!(
            !res.notes.iter().any(|n| n.contains("boxes examined")),
            "{:?}",
            res.notes
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// The full-support reduction never changes the isolated
        /// equilibria, and never makes a complete search incomplete.
        #[test]
        fn reduction_keeps_the_equilibria(
            shape_pick in 0usize..3,
            pay in proptest::collection::vec(0i64..6, 96),
        ) {
            let shape: Vec<usize> = match shape_pick {
                0 => vec![2, 2, 2],
                1 => vec![2, 2, 2, 2],
                _ => vec![3, 2, 2],
            };
            let g = sparse_game(&shape, &pay);
            let with = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
            let without = enumpoly(&g, &EnumpolyOptions { reduce: false, ..Default::default() })
                .unwrap_or_default();
            prop_assert!(with.complete || !without.complete, "{:?}", with.notes);
            prop_assert!(
                same_profiles(&with.equilibria, &without.equilibria),
                "with {:?}\nwithout {:?}\nnotes {:?}",
                with.equilibria.iter().map(|e| &e.profile).collect::<Vec<_>>(),
                without.equilibria.iter().map(|e| &e.profile).collect::<Vec<_>>(),
                with.notes
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// The elimination contractor (`enumpoly_elim.rs`) never changes
        /// the answer: same isolated equilibria, same completeness, on
        /// random 3- and 4-player games whose supports go to subdivision.
        #[test]
        fn elimination_keeps_the_equilibria(
            shape_pick in 0usize..3,
            pay in proptest::collection::vec(-4i64..5, 96),
        ) {
            let shape: Vec<usize> = match shape_pick {
                0 => vec![3, 3, 2],
                1 => vec![2, 2, 2, 2],
                _ => vec![3, 2, 2, 2],
            };
            let n = shape.len();
            let cells: usize = shape.iter().product();
            let tables: Vec<Vec<i64>> = (0..n).map(|p| pay[p * cells..(p + 1) * cells].to_vec()).collect();
            let g = game(&shape, &tables);
            let with = enumpoly(&g, &EnumpolyOptions { elimination: true, ..Default::default() })
                .unwrap_or_default();
            let without = enumpoly(&g, &EnumpolyOptions { elimination: false, ..Default::default() })
                .unwrap_or_default();
            prop_assert_eq!(with.complete, without.complete, "{:?}", with.notes);
            prop_assert!(
                same_profiles(&with.equilibria, &without.equilibria),
                "with {:?}\nwithout {:?}\nnotes {:?}",
                with.equilibria.iter().map(|e| &e.profile).collect::<Vec<_>>(),
                without.equilibria.iter().map(|e| &e.profile).collect::<Vec<_>>(),
                with.notes
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn enumpoly_is_verified_and_finds_every_mixed_root(
            three in any::<bool>(),
            pay in proptest::collection::vec(-9i64..10, 36),
        ) {
            let shape: Vec<usize> = if three { vec![3, 2, 2] } else { vec![2, 2, 2] };
            let cells: usize = shape.iter().product();
            let tables: Vec<Vec<i64>> = (0..3).map(|p| pay[p * cells..(p + 1) * cells].to_vec()).collect();
            let g = game(&shape, &tables);
            let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
            let (lo, hi) = g.payoff_range();
            let range = (hi - lo).to_f64().max(1e-300);
            for e in res.equilibria.iter().chain(&res.nonisolated) {
                let r = independent_max_regret(&g, &e.profile);
                prop_assert!(r <= 1e-8 * range, "regret {r}");
            }
            let t = PayoffTensor::new(&g);
            for x in multistart_mixed(&t) {
                let nested = t.nest(&x);
                if independent_max_regret(&g, &nested) > 1e-8 * range {
                    continue;
                }
                let hit = res.equilibria.iter().chain(&res.nonisolated).any(|e| {
                    e.profile.iter().flatten().zip(&x).all(|(a, b)| (a - b).abs() < 1e-6)
                });
                prop_assert!(hit, "totally mixed equilibrium {x:?} missed; notes {:?}", res.notes);
            }
        }
    }
}
