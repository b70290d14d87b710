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
//! accessible). Exact runs use fraction-free integer pivoting on machine
//! integers (`i128`), switching entry by entry to big integers on overflow.

use crate::bimatrix::equilibrium_2p;
use crate::enummixed::int::Int;
use crate::equilibrium::{Equilibrium, SolveError};
use crate::tableau::{to_integers, TabNum, Tableau};
use detente_game::{NormalFormGame, Rational, Scalar};
use num_traits::Zero;
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
}

/// Equilibria found by Lemke–Howson, in the order found.
///
/// With default options this is every equilibrium reachable by
/// Lemke–Howson paths from the artificial equilibrium and, recursively, from
/// every equilibrium found, without duplicates. Exact when `T` is
/// [`Rational`].
pub fn lcp<T: Scalar>(
    game: &NormalFormGame,
    opts: &LcpOptions,
) -> Result<Vec<Equilibrium<T>>, SolveError> {
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
    let profiles = if T::EXACT {
        let (a, b) = shifted_matrices(game);
        let a = to_integers(&a).into_iter().map(Int::from_big).collect();
        let b = to_integers(&b).into_iter().map(Int::from_big).collect();
        run::<Int>(m, n, a, b, opts)?
    } else {
        let (a, b) = shifted_matrices(game);
        let (lo, hi) = shift_bounds(game);
        let scale = (hi - lo).to_f64();
        let af = a.iter().map(|v| v.to_f64() / scale).collect();
        let bf = b.iter().map(|v| v.to_f64() / scale).collect();
        run::<f64>(m, n, af, bf, opts)?
    };
    let mut out: Vec<Equilibrium<T>> = Vec::new();
    for prof in profiles {
        let eq = equilibrium_2p::<T>(game, &prof[0], &prof[1]);
        // Exact profiles are distinct already (`run` removes exact
        // repetitions); floating-point ones may differ by rounding only.
        if !T::EXACT && out.iter().any(|e| same_profile(&e.profile, &eq.profile)) {
            continue;
        }
        out.push(eq);
        if let Some(k) = opts.stop_after {
            if k > 0 && out.len() >= k {
                break;
            }
        }
    }
    Ok(out)
}

fn same_profile<T: Scalar>(a: &[Vec<T>], b: &[Vec<T>]) -> bool {
    a.iter().zip(b).all(|(x, y)| {
        x.iter()
            .zip(y)
            .all(|(u, v)| (u.clone() - v.clone()).is_zero_tol())
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

/// Payoff matrices shifted to be positive, row-major (`m × n`).
fn shifted_matrices(game: &NormalFormGame) -> (Vec<Rational>, Vec<Rational>) {
    let (lo, _) = shift_bounds(game);
    let shape = game.shape();
    let (m, n) = (shape[0], shape[1]);
    let mut a = Vec::with_capacity(m * n);
    let mut b = Vec::with_capacity(m * n);
    for i in 0..m {
        for j in 0..n {
            let c = i + j * m;
            a.push(game.payoff(c, 0) - &lo);
            b.push(game.payoff(c, 1) - &lo);
        }
    }
    (a, b)
}

/// A variable of one of the two tableaux, by label: the strategy variable
/// (`x_k` or `y_k`) or the slack of that label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    Strat(usize),
    Slack(usize),
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
    /// returns the variable that left.
    fn pivot_in(&mut self, v: Var) -> Result<Var, PathError> {
        let (in_y, col) = self.locate(v);
        let t = if in_y { &mut self.ty } else { &mut self.tx };
        let r = exit_row(t, col).ok_or(PathError::Unbounded)?;
        let leaving = t.basis[r];
        t.pivot(r, col);
        Ok(self.var_at(in_y, leaving))
    }

    /// Follows the path that drops label `k` until a completely labelled
    /// pair is reached. `pivots` counts against `budget`.
    fn lemke_path(&mut self, k: usize, pivots: &mut u64, budget: u64) -> Result<(), PathError> {
        let mut enter = if self.is_basic(Var::Strat(k)) {
            Var::Slack(k)
        } else {
            Var::Strat(k)
        };
        loop {
            *pivots += 1;
            if *pivots > budget {
                return Err(PathError::Budget);
            }
            let exit = self.pivot_in(enter)?;
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
fn exit_row<N: TabNum>(t: &Tableau<N>, col: usize) -> Option<usize> {
    let rows = t.rows;
    let slack0 = t.cols - 1 - rows;
    let mut best: Vec<usize> = (0..rows).filter(|&i| t.at(i, col).is_pos()).collect();
    if best.is_empty() {
        return None;
    }
    let rhs_col = t.cols - 1;
    // First the ratio test proper (minimise), then the tie-break columns
    // (maximise).
    let mut stage: Option<usize> = None;
    while best.len() > 1 {
        let (c, minimise) = match stage {
            None => (rhs_col, true),
            Some(s) if s < rows => (slack0 + s, false),
            Some(_) => break,
        };
        let mut keep = vec![best[0]];
        for &i in &best[1..] {
            let k = keep[0];
            let ord = N::cmp_ratio(t.at(i, c), t.at(i, col), t.at(k, c), t.at(k, col));
            let better = if minimise {
                ord == Ordering::Less
            } else {
                ord == Ordering::Greater
            };
            if better {
                keep.clear();
                keep.push(i);
            } else if ord == Ordering::Equal {
                keep.push(i);
            }
        }
        best = keep;
        stage = Some(stage.map_or(0, |s| s + 1));
    }
    best.first().copied()
}

fn path_error(e: PathError, budget: u64) -> SolveError {
    match e {
        PathError::Budget => SolveError::Budget(format!(
            "Lemke-Howson stopped after {budget} pivots without finishing"
        )),
        PathError::Unbounded => SolveError::NotApplicable(
            "Lemke-Howson hit an unbounded ray (numerical trouble in floating point; try exact arithmetic)"
                .into(),
        ),
    }
}

/// Runs the search, returning profiles (with repetitions removed later).
fn run<N: TabNum>(
    m: usize,
    n: usize,
    a: Vec<N>,
    b: Vec<N>,
    opts: &LcpOptions,
) -> Result<Vec<Vec<Vec<Rational>>>, SolveError> {
    let budget = opts.max_pivots.unwrap_or(100_000_000);
    let mut pivots = 0u64;
    let start = LhState::new(m, n, a, b);
    let labels = m + n;
    if let Some(k) = opts.start_label {
        let mut s = start;
        s.lemke_path(k, &mut pivots, budget)
            .map_err(|e| path_error(e, budget))?;
        return Ok(s.profile().into_iter().collect());
    }
    let max_depth = opts.max_depth.unwrap_or(0);
    let stop_after = opts.stop_after.unwrap_or(0);
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    // Lemke-Howson paths of the (lexicographically perturbed) system are
    // reversible: if dropping label k leads from basis S to basis S', then
    // dropping k at S' leads back to S, which has been seen. Such known
    // back-edges (keys of S', k) are skipped; Gambit's rule of not dropping
    // the label a basis was reached by is the special case S = parent.
    let mut back_edges: HashSet<(Vec<usize>, usize)> = HashSet::new();
    let mut found: Vec<Vec<Vec<Rational>>> = Vec::new();
    // Depth-first search in Gambit's order: from each vertex pair, drop
    // every label except the one the pair was reached by.
    struct Frame<N: TabNum> {
        state: LhState<N>,
        keys: Vec<usize>,
        next: usize,
        depth: usize,
    }
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
        s.lemke_path(k, &mut pivots, budget)
            .map_err(|e| path_error(e, budget))?;
        let keys = s.keys();
        back_edges.insert((keys.clone(), k));
        if !seen.insert(keys.clone()) {
            continue;
        }
        let Some(p) = s.profile() else {
            continue;
        };
        if !found.contains(&p) {
            found.push(p);
        }
        if stop_after > 0 && found.len() >= stop_after {
            break;
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
