//! All isolated equilibria of small games by support enumeration.
//!
//! Supports are visited in the order of R. Porter, E. Nudelman and Y.
//! Shoham, "Simple search methods for finding a Nash equilibrium", *Games
//! and Economic Behavior* 63 (2008) 642–662 (two players: balanced supports
//! first, then smaller; more players: smaller total size first, then
//! balanced), and a support profile is skipped when one of its strategies
//! is strictly dominated given the other players' supports (their
//! conditional dominance test). For each remaining support the
//! indifference equations (every strategy in a player's support earns the
//! same, probabilities sum to one) are solved:
//!
//! - when at most two players mix, the system is linear and is solved
//!   directly (a singular system means a continuum or nothing);
//! - otherwise the system is multi-affine in the players' probability
//!   blocks, so its exact range over a box is given by the values at the
//!   box's corners: boxes whose range excludes zero are discarded, the rest
//!   bisected (at most `max_boxes_per_support`), and Newton's method is run
//!   from the centres of the small boxes (width 0.02) that remain; boxes
//!   within 0.02 of a root already found count as resolved by it, so two
//!   equilibria closer than that can be missed (the subdivision idea of
//!   Gambit's `gambit-enumpoly`, with an exact exclusion test that also
//!   uses the best-response inequalities); probabilities are searched in
//!   `[1e-6, 1 − 1e-6]` (equilibria with smaller probabilities belong to
//!   smaller supports, where they are found);
//! - above 8 unknowns, Newton's method from deterministic pseudo-random
//!   starts is used instead and the answer is marked incomplete.
//!
//! A solution is an equilibrium when its probabilities are positive and no
//! strategy outside the support does better; it is reported as isolated
//! when the Jacobian of its support system is nonsingular, as non-isolated
//! (a point of a continuum) otherwise. `complete` is `true` only if every
//! support was processed without hitting a cap or the budget; even then the
//! claim is numerical (floating point), like Gambit's.

// Negated comparisons are deliberate: they also reject NaN. Index loops
// mirror the formulas over players and strategies.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]

use crate::budget::Budget;
use crate::equilibrium::SolveError;
use crate::nplayer_util::{newton_on_support, Collector, NplayerResult, PayoffTensor, SplitMix64};
use detente_game::NormalFormGame;

/// Most strategies per player: beyond this the supports of one player
/// alone number more than 65 thousand.
pub const MAX_STRATEGIES: usize = 16;

/// Options of [`enumpoly`].
#[derive(Debug, Clone, PartialEq)]
pub struct EnumpolyOptions {
    /// Acceptance tolerance (relative max regret).
    pub max_regret: f64,
    /// Largest number of boxes examined for one support.
    pub max_boxes_per_support: usize,
    /// Stop after this many equilibria.
    pub stop_after: Option<usize>,
    /// Budget: one step per support and per box.
    pub budget: Budget,
}

impl Default for EnumpolyOptions {
    fn default() -> Self {
        EnumpolyOptions {
            max_regret: crate::nplayer_util::DEFAULT_REGRET_TOL,
            max_boxes_per_support: 20_000,
            stop_after: None,
            budget: Budget::default(),
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

/// Whether some strategy of some player's support is strictly dominated,
/// given the other players' supports, by another strategy of that player.
fn conditionally_dominated(t: &PayoffTensor, sets: &[Vec<usize>]) -> bool {
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
                let dominated = bases.iter().all(|&c| {
                    t.pay[(c + s2 * strides[j]) * n + j] > t.pay[(c + s * strides[j]) * n + j]
                });
                if dominated {
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

/// Box subdivision on the reduced coordinates (all but the first support
/// strategy of each mixing player).
fn solve_boxes(
    t: &PayoffTensor,
    support: &[usize],
    blocks: &[Vec<usize>],
    max_boxes: usize,
    meter: &mut crate::budget::Meter,
) -> SupportOutcome {
    // Reduced variables and the block each belongs to.
    let mut vars: Vec<usize> = Vec::new();
    let mut var_block: Vec<usize> = Vec::new();
    for (bi, b) in blocks.iter().enumerate() {
        for &a in &b[1..] {
            vars.push(a);
            var_block.push(bi);
        }
    }
    let d = vars.len();
    let eqs: Vec<(usize, usize)> = blocks
        .iter()
        .flat_map(|b| b[1..].iter().map(move |&a| (a, b[0])))
        .collect();
    let to_x = |y: &[f64]| -> Vec<f64> {
        let mut x = vec![0.0; t.k];
        for b in blocks {
            x[b[0]] = 1.0;
        }
        for (i, &a) in vars.iter().enumerate() {
            x[a] = y[i];
            x[blocks[var_block[i]][0]] -= y[i];
        }
        x
    };
    // Off-support strategies must not beat the support: `v[b] − v[a0] ≤ 0`.
    let in_support: Vec<bool> = (0..t.k).map(|a| support.contains(&a)).collect();
    let ineqs: Vec<(usize, usize)> = blocks
        .iter()
        .flat_map(|b| {
            let j = t.owner(b[0]);
            let o = t.offsets[j];
            let a0 = b[0];
            let in_s = &in_support;
            (o..o + t.shape[j])
                .filter(move |&c| !in_s[c])
                .map(move |c| (c, a0))
        })
        .collect();
    let eval = |y: &[f64]| -> (Vec<f64>, Vec<f64>) {
        let v = t.values(&to_x(y));
        (
            eqs.iter().map(|&(a, a0)| v[a] - v[a0]).collect(),
            ineqs.iter().map(|&(c, a0)| v[c] - v[a0]).collect(),
        )
    };
    // Solutions with a zero probability belong to a smaller support (and
    // are found there): search probabilities in [DELTA, 1 − DELTA], which
    // keeps the continua that degenerate games have on the faces out.
    const DELTA: f64 = 1e-6;
    let mut stack: Vec<(Vec<f64>, Vec<f64>)> = vec![(vec![DELTA; d], vec![1.0 - DELTA; d])];
    let mut boxes = 0usize;
    let mut roots: Vec<(Vec<f64>, bool)> = Vec::new();
    let mut exhaustive = true;
    let mut leaves = 0usize;
    while let Some((lo, hi)) = stack.pop() {
        boxes += 1;
        if boxes > max_boxes || !meter.tick() {
            exhaustive = false;
            break;
        }
        // Simplex constraint per block: Σ lo ≤ 1.
        let mut sums = vec![0.0; blocks.len()];
        for i in 0..d {
            sums[var_block[i]] += lo[i];
        }
        if sums.iter().any(|s| *s > 1.0 - DELTA) {
            continue;
        }
        // Exact range of every equation over the box (corner values: the
        // equations are affine in each coordinate).
        let mut mins = vec![f64::INFINITY; d];
        let mut maxs = vec![f64::NEG_INFINITY; d];
        let mut ineq_min = vec![f64::INFINITY; ineqs.len()];
        for corner in 0..(1usize << d) {
            let y: Vec<f64> = (0..d)
                .map(|i| if corner >> i & 1 == 1 { hi[i] } else { lo[i] })
                .collect();
            let (e_vals, i_vals) = eval(&y);
            for (e, val) in e_vals.into_iter().enumerate() {
                mins[e] = mins[e].min(val);
                maxs[e] = maxs[e].max(val);
            }
            for (e, val) in i_vals.into_iter().enumerate() {
                ineq_min[e] = ineq_min[e].min(val);
            }
        }
        if (0..d).any(|e| mins[e] > 1e-15 || maxs[e] < -1e-15)
            || ineq_min.iter().any(|&m| m > 1e-12)
        {
            continue;
        }
        let (wi, width) =
            (0..d)
                .map(|i| (i, hi[i] - lo[i]))
                .fold((0, 0.0), |b, c| if c.1 > b.1 { c } else { b });
        // A box within `NEAR` of a root already found (in every
        // coordinate) is taken as resolved by it.
        const NEAR: f64 = 0.02;
        let near_known = roots.iter().any(|(x, _)| {
            vars.iter()
                .enumerate()
                .all(|(i, &a)| lo[i] >= x[a] - NEAR && hi[i] <= x[a] + NEAR)
        });
        if near_known {
            continue;
        }
        if width < NEAR {
            leaves += 1;
            let centre: Vec<f64> = (0..d).map(|i| 0.5 * (lo[i] + hi[i])).collect();
            if let Some((x, regular)) = newton_on_support(t, support, &to_x(&centre), 40) {
                let same = roots
                    .iter()
                    .any(|(r, _)| r.iter().zip(&x).all(|(a, b)| (a - b).abs() < 1e-9));
                if !same {
                    roots.push((x, regular));
                }
            }
            continue;
        }
        let mid = 0.5 * (lo[wi] + hi[wi]);
        let mut hi1 = hi.clone();
        hi1[wi] = mid;
        let mut lo2 = lo.clone();
        lo2[wi] = mid;
        stack.push((lo2, hi));
        stack.push((lo, hi1));
    }
    let note = if !exhaustive {
        Some(format!(
            "enumpoly: support {:?}: stopped after {} boxes ({} small boxes left unresolved; a continuum of solutions or a budget limit)",
            support,
            boxes.min(max_boxes),
            leaves
        ))
    } else {
        None
    };
    SupportOutcome {
        roots,
        exhaustive,
        note,
    }
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
        return Err(SolveError::TooLarge(format!(
            "enumpoly: player {} has {s} strategies; support enumeration handles at most {MAX_STRATEGIES} per player (2^{MAX_STRATEGIES} supports each)",
            j + 1
        )));
    }
    let mut meter = opts.budget.start();
    let mut coll = Collector::new(game, &t, opts.max_regret);
    let mut complete = true;
    let mut supports_done = 0u64;
    let mut skipped = 0u64;
    let mut continua = 0u64;
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
            if conditionally_dominated(&t, &sets) {
                skipped += 1;
            } else {
                let blocks: Vec<Vec<usize>> = sets
                    .iter()
                    .enumerate()
                    .map(|(j, s)| s.iter().map(|&h| t.offsets[j] + h).collect())
                    .collect();
                let support: Vec<usize> = blocks.iter().flatten().copied().collect();
                let mixing = blocks.iter().filter(|b| b.len() > 1).count();
                let d: usize = blocks.iter().map(|b| b.len() - 1).sum();
                let outcome = if mixing <= 2 {
                    solve_linear(&t, &support, &blocks)
                } else if d <= 8 {
                    solve_boxes(
                        &t,
                        &support,
                        &blocks,
                        opts.max_boxes_per_support,
                        &mut meter,
                    )
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
        // One player, ties: a continuum; the two pure optima are isolated.
        let g = game(&[3], &[vec![0, 4, 4]]);
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 2);
        assert_eq!(res.nonisolated.len(), 1);
        let g = game(&[1, 1, 1], &[vec![1], vec![2], vec![3]]);
        let res = enumpoly(&g, &EnumpolyOptions::default()).unwrap_or_default();
        assert_eq!(res.equilibria.len(), 1);
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
