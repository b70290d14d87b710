//! All extreme Nash equilibria of a two-player game, exactly, by vertex
//! enumeration of the best-response polytopes (Gambit's `enummixed`).
//!
//! Method (Mangasarian 1964; Avis, Rosenberg, Savani & von Stengel 2010,
//! "Enumeration of Nash equilibria for two-player games", *Economic Theory*
//! 42:9–37): with payoffs made positive (a positive affine map per player,
//! which leaves equilibria unchanged), the best-response polytopes are
//!
//! * `P = { x ∈ ℝ^m : x ≥ 0, Bᵀx ≤ 1 }` (row player's mixed strategies,
//!   scaled), labels `i` for `x_i = 0` and `m + j` for `(Bᵀx)_j = 1`;
//! * `Q = { y ∈ ℝ^n : Ay ≤ 1, y ≥ 0 }`, labels `i` for `(Ay)_i = 1` and
//!   `m + j` for `y_j = 0`.
//!
//! The extreme equilibria are exactly the completely labelled vertex pairs
//! `(x, y) ≠ (0, 0)`, normalised to sum 1; this holds for degenerate games
//! too. Both polytopes are enumerated exactly with lexicographic pivoting on
//! hybrid machine/big integers ([`vertex`], after lrs: Avis & Fukuda 1992,
//! Avis 2000), on two threads unless [`EnumMixedOptions::parallel`] is off;
//! only label sets are kept. The polytope with fewer vertices is indexed by
//! label set in a hash map, and each vertex `v` of the other is matched
//! against the indexed vertices `u` with `L(u) ⊇ complement(L(v))`: by one
//! hash look-up of the complement when `v` is nondegenerate (plus a scan of
//! the indexed *degenerate* vertices), by a scan otherwise. There is no scan
//! of all pairs unless both polytopes are degenerate everywhere. The few
//! vertices in equilibria are then recomputed exactly from their tight
//! constraints.
//!
//! Arithmetic: the combinatorics are always computed exactly (the game's
//! payoffs are exact rationals), for every [`Scalar`]; `f64` results are the
//! exact equilibria rounded, so no tolerance enters the answer.
//!
//! Output order: equilibria sorted lexicographically by the row player's
//! probabilities, then the column player's, strategy by strategy, larger
//! probability first (so pure strategy 1 comes before pure strategy 2). The
//! distinct row and column extreme strategies are numbered in order of first
//! appearance in that list; [`Clique`]s refer to those numbers.
//!
//! Stopping early: a limit of [`EnumMixedOptions`] (vertices, bases, time)
//! or a stop request through [`EnumMixedOptions::watch`] (Ctrl-C) ends the
//! enumeration. By default that is an error. With
//! [`EnumMixedOptions::partial`] the vertices enumerated so far are paired
//! as above: every completely labelled pair among them is an extreme
//! equilibrium, so the answer is a correct, possibly incomplete list, and
//! [`EnumMixedResult::stopped`] says why it stopped.

mod bits;
pub mod cliques;
pub(crate) mod int;
pub mod vertex;

pub use cliques::Clique;

use crate::bimatrix::equilibrium_2p;
use crate::budget::Watch;
use crate::equilibrium::{Equilibrium, SolveError};
use bits::{Bits, FxBuild};
use detente_game::{NormalFormGame, Rational, Scalar};
use int::Int;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::Zero;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use vertex::{Counts, Limits};

/// Limits and switches for [`enummixed`].
#[derive(Clone, Debug, PartialEq)]
pub struct EnumMixedOptions {
    /// Most distinct vertices allowed per best-response polytope before
    /// giving up with [`SolveError::Budget`]; each costs a few dozen bytes
    /// (its label set is kept). Default 5,000,000.
    pub max_vertices: Option<usize>,
    /// Most lexicographic bases (reverse-search tree nodes) visited per
    /// polytope; degenerate polytopes have more bases than vertices. Bases
    /// are not stored, so this bounds time, not memory. Default 50,000,000
    /// (minutes of work on 20×20 games).
    pub max_bases: Option<usize>,
    /// Wall-clock limit for the whole call. Default none.
    pub time_limit: Option<Duration>,
    /// Compute the maximal Nash subsets ([`EnumMixedResult::cliques`]).
    /// Default true.
    pub cliques: bool,
    /// Enumerate the two polytopes on two threads. Default true.
    pub parallel: bool,
    /// When a limit is reached or a stop is requested, return the extreme
    /// equilibria among the vertices enumerated so far (with
    /// [`EnumMixedResult::stopped`] set) instead of [`SolveError::Budget`].
    /// Default false.
    pub partial: bool,
    /// Progress (lexicographic bases visited, both polytopes together) and
    /// stop requests, looked at every 256 bases. Default none.
    pub watch: Option<Watch>,
}

impl Default for EnumMixedOptions {
    fn default() -> Self {
        EnumMixedOptions {
            max_vertices: Some(5_000_000),
            max_bases: Some(50_000_000),
            time_limit: None,
            cliques: true,
            parallel: true,
            partial: false,
            watch: None,
        }
    }
}

/// Work done, for benchmarks and diagnostics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnumMixedStats {
    /// Distinct vertices of `P` and `Q` (origins included).
    pub vertices: [usize; 2],
    /// Lexicographic bases visited in `P` and `Q`.
    pub bases: [usize; 2],
    /// Pivots in `P` and `Q`.
    pub pivots: [usize; 2],
}

/// The extreme equilibria of a two-player game and its maximal Nash subsets.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumMixedResult<T> {
    /// All extreme equilibria, in the order described in the module docs.
    pub equilibria: Vec<Equilibrium<T>>,
    /// `pairs[k] = (r, c)`: `equilibria[k]` is `(row_strategies[r],
    /// col_strategies[c])`.
    pub pairs: Vec<(usize, usize)>,
    /// Distinct mixed strategies of the row player occurring in extreme
    /// equilibria.
    pub row_strategies: Vec<Vec<T>>,
    /// Distinct mixed strategies of the column player occurring in extreme
    /// equilibria.
    pub col_strategies: Vec<Vec<T>>,
    /// Maximal Nash subsets (empty when [`EnumMixedOptions::cliques`] is
    /// off); the equilibrium set is the union over cliques of
    /// `conv(rows) × conv(cols)`.
    pub cliques: Vec<Clique>,
    pub stats: EnumMixedStats,
    /// `None` when the enumeration finished. Otherwise (only with
    /// [`EnumMixedOptions::partial`]) why it stopped: the equilibria are
    /// extreme equilibria, but others may be missing, and the cliques are
    /// the maximal Nash subsets among those found.
    pub stopped: Option<String>,
}

/// All extreme Nash equilibria of a two-player game (see the module docs).
///
/// Errors: [`SolveError::NotApplicable`] unless the game has exactly two
/// players; [`SolveError::Budget`] when a limit in `opts` is reached or a
/// stop is requested, unless [`EnumMixedOptions::partial`].
pub fn enummixed<T: Scalar>(
    game: &NormalFormGame,
    opts: &EnumMixedOptions,
) -> Result<EnumMixedResult<T>, SolveError> {
    let (a, b) = game.bimatrix::<Rational>().ok_or_else(|| {
        SolveError::NotApplicable(format!(
            "enummixed needs a two-player game; this game has {} players",
            game.num_players()
        ))
    })?;
    let shape = game.shape();
    let (m, n) = (shape[0], shape[1]);
    let a = positive_integers(&a);
    let b = positive_integers(&b);
    let limits = Limits {
        max_vertices: opts.max_vertices,
        max_bases: opts.max_bases,
        deadline: opts.time_limit.map(|d| Instant::now() + d),
        watch: opts.watch.clone(),
    };

    // P: dims m, one row per column j with coefficients B[i][j].
    let p_coef: Vec<Int> = (0..n)
        .flat_map(|j| (0..m).map(move |i| (i, j)))
        .map(|(i, j)| b[i * n + j].clone())
        .collect();
    let p_labels: Vec<usize> = (0..m + n).collect();
    // Q: dims n, one row per row i with coefficients A[i][j].
    let q_coef = a;
    let q_labels: Vec<usize> = (0..n).map(|j| m + j).chain(0..m).collect();
    let p_side = Side {
        rows: n,
        dims: m,
        coef: &p_coef,
        label_of: &p_labels,
        what: "the row player's best-response polytope",
    };
    let q_side = Side {
        rows: m,
        dims: n,
        coef: &q_coef,
        label_of: &q_labels,
        what: "the column player's best-response polytope",
    };
    let labels = m + n;

    // Enumerate both polytopes, on two threads when asked (the two
    // enumerations are independent; the wall time halves on two free cores).
    let (p_res, q_res) = if opts.parallel {
        std::thread::scope(|scope| {
            let q_handle = scope.spawn(|| collect(&q_side, &limits));
            let p_res = collect(&p_side, &limits);
            let q_res = q_handle.join().unwrap_or_else(|_| {
                Err(SolveError::NotApplicable(
                    "enummixed: internal error: the enumeration thread failed".into(),
                ))
            });
            (p_res, q_res)
        })
    } else {
        let p_res = collect(&p_side, &limits);
        // Without `partial` a stopped first polytope ends the call.
        let q_res = match &p_res {
            Ok(p) if p.stopped.is_none() || opts.partial => collect(&q_side, &limits),
            _ => Ok(Collected::default()),
        };
        (p_res, q_res)
    };
    let (p_all, q_all) = (p_res?, q_res?);
    let stopped = p_all.stopped.clone().or_else(|| q_all.stopped.clone());
    if let (Some(why), false) = (&stopped, opts.partial) {
        return Err(SolveError::Budget(why.clone()));
    }
    let stats = stats_of(&p_all.counts, &q_all.counts);

    // Index the polytope with fewer vertices by label set; for each vertex
    // `v` of the other, the partners are the indexed vertices whose labels
    // contain the complement of `L(v)`.
    let p_indexed = p_all.vertices.len() <= q_all.vertices.len();
    let (indexed, indexed_side, scanned, scanned_side) = if p_indexed {
        (&p_all, &p_side, &q_all, &q_side)
    } else {
        (&q_all, &q_side, &p_all, &p_side)
    };
    let mut by_labels: HashMap<&Bits, usize, FxBuild> = HashMap::default();
    let mut degenerate: Vec<usize> = Vec::new();
    for (u, l) in indexed.vertices.iter().enumerate() {
        by_labels.insert(l, u);
        if l.count() > indexed_side.dims {
            degenerate.push(u);
        }
    }
    // (indexed vertex, scanned vertex) of each completely labelled pair.
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut found: Vec<usize> = Vec::new();
    for (k, l) in scanned.vertices.iter().enumerate() {
        let need = l.complement(labels);
        found.clear();
        if need.count() == indexed_side.dims {
            if let Some(&u) = by_labels.get(&need) {
                found.push(u);
            }
            found.extend(
                degenerate
                    .iter()
                    .copied()
                    .filter(|&u| indexed.vertices[u].is_superset(&need)),
            );
        } else {
            found.extend(
                (0..indexed.vertices.len()).filter(|&u| indexed.vertices[u].is_superset(&need)),
            );
        }
        found.sort_unstable();
        found.dedup();
        matches.extend(found.iter().map(|&u| (u, k)));
    }

    // Exact normalised strategies, recomputed from the tight constraints.
    let mut points: [HashMap<usize, Vec<Rational>>; 2] = [HashMap::new(), HashMap::new()];
    for &(u, k) in &matches {
        for (side, all, idx, cache) in [
            (indexed_side, indexed, u, 0usize),
            (scanned_side, scanned, k, 1usize),
        ] {
            if let std::collections::hash_map::Entry::Vacant(e) = points[cache].entry(idx) {
                let z = vertex_from_labels(side, &all.vertices[idx]).ok_or_else(|| {
                    SolveError::NotApplicable(format!(
                        "enummixed: internal error: a vertex of {} could not be recomputed",
                        side.what
                    ))
                })?;
                e.insert(z);
            }
        }
    }
    let mut eqs: Vec<(Vec<Rational>, Vec<Rational>)> = matches
        .iter()
        .map(|&(u, k)| {
            let zu = points[0][&u].clone();
            let zk = points[1][&k].clone();
            if p_indexed {
                (zu, zk)
            } else {
                (zk, zu)
            }
        })
        .collect();
    eqs.sort_by(|p, q| cmp_desc(&p.0, &q.0).then_with(|| cmp_desc(&p.1, &q.1)));
    eqs.dedup();

    let mut row_index: HashMap<Vec<Rational>, usize> = HashMap::new();
    let mut col_index: HashMap<Vec<Rational>, usize> = HashMap::new();
    let mut row_strategies: Vec<Vec<Rational>> = Vec::new();
    let mut col_strategies: Vec<Vec<Rational>> = Vec::new();
    let mut pairs = Vec::with_capacity(eqs.len());
    for (x, y) in &eqs {
        let r = *row_index.entry(x.clone()).or_insert_with(|| {
            row_strategies.push(x.clone());
            row_strategies.len() - 1
        });
        let c = *col_index.entry(y.clone()).or_insert_with(|| {
            col_strategies.push(y.clone());
            col_strategies.len() - 1
        });
        pairs.push((r, c));
    }
    let cliques = if opts.cliques {
        cliques::maximal_bicliques(row_strategies.len(), col_strategies.len(), &pairs)
    } else {
        Vec::new()
    };

    let conv = |v: &[Rational]| -> Vec<T> { v.iter().map(T::from_rational).collect() };
    let equilibria = eqs
        .iter()
        .map(|(x, y)| equilibrium_2p::<T>(game, x, y))
        .collect();
    Ok(EnumMixedResult {
        equilibria,
        pairs,
        row_strategies: row_strategies.iter().map(|v| conv(v)).collect(),
        col_strategies: col_strategies.iter().map(|v| conv(v)).collect(),
        cliques,
        stats,
        stopped,
    })
}

struct Side<'a> {
    rows: usize,
    dims: usize,
    coef: &'a [Int],
    label_of: &'a [usize],
    what: &'a str,
}

/// The nonzero vertices of one polytope, as label sets (a vertex is
/// determined by its tight constraints).
#[derive(Default)]
struct Collected {
    vertices: Vec<Bits>,
    counts: Counts,
    /// Why the enumeration stopped before the end (a limit or a stop
    /// request): `vertices` are those found until then.
    stopped: Option<String>,
}

/// The vertices of one polytope; a limit or a stop request ends the
/// enumeration with the vertices found so far (and the work counted).
fn collect(side: &Side<'_>, limits: &Limits) -> Result<Collected, SolveError> {
    let mut vertices = Vec::new();
    let mut counts = Counts::default();
    let done = vertex::enumerate(
        side.rows,
        side.dims,
        side.coef,
        side.label_of,
        limits,
        side.what,
        &mut counts,
        |v| {
            if !v.is_origin() {
                vertices.push(v.labels.clone());
            }
            Ok(())
        },
    );
    match done {
        Ok(()) => Ok(Collected {
            vertices,
            counts,
            stopped: None,
        }),
        Err(SolveError::Budget(why)) => Ok(Collected {
            vertices,
            counts,
            stopped: Some(why),
        }),
        Err(e) => Err(e),
    }
}

fn stats_of(p: &Counts, q: &Counts) -> EnumMixedStats {
    EnumMixedStats {
        vertices: [p.vertices, q.vertices],
        bases: [p.bases, q.bases],
        pivots: [p.pivots, q.pivots],
    }
}

/// Maps a payoff matrix to positive integers by `v ↦ (v − min)·L/g + 1`
/// (`L` the common denominator, `g` the gcd of the scaled differences), a
/// positive affine map that leaves best responses unchanged.
fn positive_integers(v: &[Rational]) -> Vec<Int> {
    let min = v.iter().min().cloned().unwrap_or_else(Rational::zero);
    let lcm = v.iter().fold(BigInt::from(1), |acc, x| acc.lcm(x.denom()));
    let scaled: Vec<BigInt> = v
        .iter()
        .map(|x| ((x - &min) * Rational::from_integer(lcm.clone())).to_integer())
        .collect();
    let g = scaled.iter().fold(BigInt::zero(), |acc, x| acc.gcd(x));
    scaled
        .into_iter()
        .map(|x| {
            let x = if g.is_zero() { x } else { x / &g };
            Int::from_big(x + 1)
        })
        .collect()
}

/// The vertex of `side`'s polytope with tight constraints `labels`,
/// normalised to sum 1: solves `C[R, S] z_S = 1` (`R` the tight rows, `S` the
/// structural variables not at zero) by Gaussian elimination over the
/// rationals. `None` if the system has no unique solution (not a vertex).
fn vertex_from_labels(side: &Side<'_>, labels: &Bits) -> Option<Vec<Rational>> {
    let (rows, dims) = (side.rows, side.dims);
    let support: Vec<usize> = (0..dims)
        .filter(|&k| !labels.get(side.label_of[k]))
        .collect();
    let tight: Vec<usize> = (0..rows)
        .filter(|&r| labels.get(side.label_of[dims + r]))
        .collect();
    let k = support.len();
    // Augmented matrix [C[R, S] | 1].
    let mut mat: Vec<Vec<Rational>> = tight
        .iter()
        .map(|&r| {
            let mut row: Vec<Rational> = support
                .iter()
                .map(|&c| Rational::from_integer(side.coef[r * dims + c].to_big()))
                .collect();
            row.push(Rational::from_integer(BigInt::from(1)));
            row
        })
        .collect();
    for col in 0..k {
        let p = (col..mat.len()).find(|&r| !mat[r][col].is_zero())?;
        mat.swap(col, p);
        let pivot_row = mat[col].clone();
        for (r, row) in mat.iter_mut().enumerate() {
            if r != col && !row[col].is_zero() {
                let f = &row[col] / &pivot_row[col];
                for (e, pv) in row.iter_mut().zip(&pivot_row) {
                    *e -= &f * pv;
                }
            }
        }
    }
    let mut z = vec![Rational::zero(); dims];
    for (i, &c) in support.iter().enumerate() {
        z[c] = &mat[i][k] / &mat[i][i];
    }
    let sum: Rational = z.iter().sum();
    if sum.is_zero() {
        return None;
    }
    Some(z.iter().map(|v| v / &sum).collect())
}

/// Lexicographic order, larger entries first.
fn cmp_desc(p: &[Rational], q: &[Rational]) -> Ordering {
    for (a, b) in p.iter().zip(q) {
        match b.cmp(a) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    p.len().cmp(&q.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        detente_game::parse_rational(s).unwrap_or_else(|| panic!("bad number {s}"))
    }

    /// Game from row-major matrices A, B (m × n).
    fn bimatrix(m: usize, n: usize, a: &[i64], b: &[i64]) -> NormalFormGame {
        let mut ta = Vec::new();
        let mut tb = Vec::new();
        for j in 0..n {
            for i in 0..m {
                ta.push(Rational::from_integer(a[i * n + j].into()));
                tb.push(Rational::from_integer(b[i * n + j].into()));
            }
        }
        NormalFormGame::from_tables(&[m, n], &[ta, tb]).unwrap()
    }

    fn profiles(r: &EnumMixedResult<Rational>) -> Vec<Vec<Vec<Rational>>> {
        r.equilibria.iter().map(|e| e.profile.clone()).collect()
    }

    fn qs(v: &[&str]) -> Vec<Rational> {
        v.iter().map(|s| q(s)).collect()
    }

    #[test]
    fn matching_pennies() {
        let g = bimatrix(2, 2, &[1, -1, -1, 1], &[-1, 1, 1, -1]);
        let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        assert_eq!(
            profiles(&r),
            vec![vec![qs(&["1/2", "1/2"]), qs(&["1/2", "1/2"])]]
        );
        assert_eq!(r.equilibria[0].payoffs, qs(&["0", "0"]));
        assert_eq!(r.cliques.len(), 1);
    }

    #[test]
    fn battle_of_the_sexes() {
        let g = bimatrix(2, 2, &[2, 0, 0, 1], &[1, 0, 0, 2]);
        let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        assert_eq!(
            profiles(&r),
            vec![
                vec![qs(&["1", "0"]), qs(&["1", "0"])],
                vec![qs(&["2/3", "1/3"]), qs(&["1/3", "2/3"])],
                vec![qs(&["0", "1"]), qs(&["0", "1"])],
            ]
        );
        // Three isolated equilibria: three singleton cliques.
        assert_eq!(r.cliques.len(), 3);
        assert!(r
            .cliques
            .iter()
            .all(|c| c.rows.len() == 1 && c.cols.len() == 1));
    }

    #[test]
    fn all_zero_game_has_every_pure_profile() {
        let g = bimatrix(2, 3, &[0; 6], &[0; 6]);
        let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        assert_eq!(r.equilibria.len(), 6);
        assert_eq!(r.row_strategies.len(), 2);
        assert_eq!(r.col_strategies.len(), 3);
        // The whole strategy space is one Nash subset.
        assert_eq!(
            r.cliques,
            vec![Clique {
                rows: vec![0, 1],
                cols: vec![0, 1, 2]
            }]
        );
    }

    #[test]
    fn one_by_n_games_give_the_best_replies() {
        let g = bimatrix(1, 4, &[3, 1, 4, 1], &[5, 9, 2, 9]);
        let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        assert_eq!(
            profiles(&r),
            vec![
                vec![qs(&["1"]), qs(&["0", "1", "0", "0"])],
                vec![qs(&["1"]), qs(&["0", "0", "0", "1"])],
            ]
        );
        let g = bimatrix(3, 1, &[1, 7, 7], &[0, 0, 0]);
        let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        assert_eq!(r.equilibria.len(), 2);
        assert_eq!(r.cliques.len(), 1);
    }

    #[test]
    fn rational_payoffs_and_float_agree() {
        let mut g = bimatrix(2, 2, &[0; 4], &[0; 4]);
        let ta = qs(&["1/3", "-1/7", "-2/5", "1/2"]);
        let tb = qs(&["-1/3", "1/7", "2/5", "-1/2"]);
        g = NormalFormGame::from_tables(&g.shape(), &[ta, tb]).unwrap();
        let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        let f = enummixed::<f64>(&g, &EnumMixedOptions::default()).unwrap();
        assert_eq!(r.equilibria.len(), 1);
        assert_eq!(f.equilibria.len(), 1);
        for (pr, pf) in r.equilibria[0].profile.iter().zip(&f.equilibria[0].profile) {
            for (a, b) in pr.iter().zip(pf) {
                assert!((a.to_f64() - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn three_players_are_refused() {
        let t = vec![Rational::zero(); 8];
        let g = NormalFormGame::from_tables(&[2, 2, 2], &[t.clone(), t.clone(), t]).unwrap();
        let e = enummixed::<Rational>(&g, &EnumMixedOptions::default());
        assert!(matches!(e, Err(SolveError::NotApplicable(_))));
    }

    #[test]
    fn budget_errors_instead_of_running_on() {
        let g = bimatrix(
            3,
            3,
            &[1, 2, 3, 4, 5, 6, 7, 8, 0],
            &[3, 1, 2, 8, 0, 5, 6, 4, 7],
        );
        let opts = EnumMixedOptions {
            max_vertices: Some(2),
            ..EnumMixedOptions::default()
        };
        let e = enummixed::<Rational>(&g, &opts);
        assert!(matches!(e, Err(SolveError::Budget(_))));
    }

    /// With `partial`, a limit gives the extreme equilibria among the
    /// vertices found so far, each one of the complete list's.
    #[test]
    fn partial_results_are_equilibria_of_the_complete_list() {
        let g = bimatrix(
            3,
            3,
            &[1, 2, 3, 4, 5, 6, 7, 8, 0],
            &[3, 1, 2, 8, 0, 5, 6, 4, 7],
        );
        let all = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        assert_eq!(all.stopped, None);
        for parallel in [true, false] {
            let opts = EnumMixedOptions {
                max_vertices: Some(4),
                partial: true,
                parallel,
                ..EnumMixedOptions::default()
            };
            let some = enummixed::<Rational>(&g, &opts).unwrap();
            assert!(some
                .stopped
                .as_deref()
                .unwrap_or("")
                .contains("max_vertices"));
            assert!(some.equilibria.len() < all.equilibria.len());
            for e in &some.equilibria {
                assert!(
                    all.equilibria.contains(e),
                    "{e:?} is not in the complete list"
                );
            }
        }
    }

    /// A stop request (Ctrl-C) ends the enumeration at the next check;
    /// with `partial` the equilibria found so far come back.
    #[test]
    fn a_stop_request_ends_the_enumeration() {
        let mut rng = 7u64;
        let mut next = || {
            rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((rng >> 33) % 50) as i64
        };
        let (m, n) = (12, 12);
        let a: Vec<i64> = (0..m * n).map(|_| next()).collect();
        let b: Vec<i64> = (0..m * n).map(|_| next()).collect();
        let g = bimatrix(m, n, &a, &b);
        let full = enummixed::<Rational>(&g, &EnumMixedOptions::default()).unwrap();
        assert!(
            full.stats.bases[0] + full.stats.bases[1] > 512,
            "too small a test"
        );
        let watch = Watch::new();
        watch.request_stop();
        let opts = EnumMixedOptions {
            partial: true,
            watch: Some(watch.clone()),
            ..EnumMixedOptions::default()
        };
        let r = enummixed::<Rational>(&g, &opts).unwrap();
        assert!(r
            .stopped
            .as_deref()
            .unwrap_or("")
            .contains("stop requested"));
        assert!(watch.steps() >= 256);
        // The work done before the stop is counted.
        assert!(r.stats.bases[0] + r.stats.bases[1] >= 256, "{:?}", r.stats);
        for e in &r.equilibria {
            assert!(full.equilibria.contains(e));
        }
        // Without `partial` the same stop is an error.
        let opts = EnumMixedOptions {
            partial: false,
            ..opts
        };
        assert!(matches!(
            enummixed::<Rational>(&g, &opts),
            Err(SolveError::Budget(_))
        ));
    }

    #[test]
    fn positive_integers_is_an_increasing_positive_map() {
        let v = positive_integers(&qs(&["-1/2", "3/4", "0", "-1/2"]));
        assert_eq!(
            v,
            vec![
                Int::from_i128(1),
                Int::from_i128(6),
                Int::from_i128(3),
                Int::from_i128(1)
            ]
        );
    }
}
