//! Two-player constant-sum trees: the sequence-form linear program (D.
//! Koller, N. Megiddo, B. von Stengel, "Fast algorithms for finding
//! randomized strategies in game trees", STOC 1994, and "Efficient
//! computation of equilibria for extensive two-person games", Games and
//! Economic Behavior 14 (1996) 247–259, Theorem 3.1; von Stengel 1996).
//!
//! Player 1 solves `max q₀` over `(x, q)` subject to `Fᵀq ≤ Aᵀx`, `Ex = e`,
//! `x ≥ 0` (`q` free): the dual of player 2's best response `min xᵀAy`,
//! `Fy = f`, `y ≥ 0`. Player 2 solves the same program with its own
//! payoffs, which in a constant-sum game gives its optimal strategy. Both
//! programs are solved exactly by a dense two-phase simplex method with
//! Bland's rule (G. B. Dantzig 1951; R. G. Bland, "New finite pivoting
//! rules for the simplex method", Math. of OR 2 (1977) 103–107), in
//! rationals. The value is player 1's equilibrium payoff.

use crate::behavior::{verify_nash, BehaviorEquilibrium};
use crate::equilibrium::SolveError;
use crate::seqform::SequenceForm;
use detente_game::{ExtensiveGame, Rational};
use num_traits::{One, Signed, Zero};

/// Options for [`seqform_lp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeqLpOptions {
    /// Most simplex pivots per program.
    pub max_pivots: u64,
    /// Most sequence pairs (dense payoff entries) accepted.
    pub max_cells: usize,
}

impl Default for SeqLpOptions {
    fn default() -> Self {
        SeqLpOptions {
            max_pivots: 200_000,
            max_cells: 4_000_000,
        }
    }
}

/// Optimal value (player 1's payoff) and an equilibrium of a two-player
/// constant-sum tree with perfect recall. Errors: `NotApplicable` for other
/// games, `Budget` if a program needs more than `max_pivots` pivots,
/// `TooLarge` for huge sequence forms.
pub fn seqform_lp(
    game: &ExtensiveGame,
    opts: &SeqLpOptions,
) -> Result<(Rational, BehaviorEquilibrium), SolveError> {
    if game.num_players() != 2 {
        return Err(SolveError::NotApplicable(format!(
            "the sequence-form LP is for two-player games; this game has {} players",
            game.num_players()
        )));
    }
    if !game.is_constant_sum() {
        return Err(SolveError::NotApplicable(
            "the sequence-form LP needs a constant-sum game; use the LCP method instead".into(),
        ));
    }
    let sf = SequenceForm::new(game, opts.max_cells)?;
    let (v1, x) = maximin(&sf, 0, opts.max_pivots)?;
    let (_, y) = maximin(&sf, 1, opts.max_pivots)?;
    let eq = verify_nash(game, sf.profile(&x, &y))?;
    if eq.payoffs[0] != v1 {
        return Err(SolveError::NotApplicable(
            "internal error: LP value differs from the equilibrium payoff".into(),
        ));
    }
    Ok((v1, eq))
}

/// Player `me`'s maximin realisation plan and value.
fn maximin(
    sf: &SequenceForm,
    me: usize,
    max_pivots: u64,
) -> Result<(Rational, Vec<Rational>), SolveError> {
    let op = 1 - me;
    let n_me = sf.num_seqs[me];
    let n_op = sf.num_seqs[op];
    let e = sf.constraints(me);
    let f = sf.constraints(op);
    let r_me = e.len();
    let r_op = f.len();
    // Variables: x (n_me), q+ (r_op), q- (r_op), slack s (n_op).
    let nv = n_me + 2 * r_op + n_op;
    let rows = n_op + r_me;
    let mut a = vec![vec![Rational::zero(); nv]; rows];
    let mut b = vec![Rational::zero(); rows];
    for t in 0..n_op {
        let row = &mut a[t];
        for (j, cell) in row.iter_mut().enumerate().take(n_me) {
            let (s1, s2) = if me == 0 { (j, t) } else { (t, j) };
            *cell = -sf.pay(me, s1, s2).clone();
        }
        for (i, fr) in f.iter().enumerate() {
            if !fr[t].is_zero() {
                row[n_me + i] = fr[t].clone();
                row[n_me + r_op + i] = -fr[t].clone();
            }
        }
        row[n_me + 2 * r_op + t] = Rational::one();
    }
    for (i, er) in e.iter().enumerate() {
        a[n_op + i][..n_me].clone_from_slice(er);
    }
    b[n_op] = Rational::one();
    let mut c = vec![Rational::zero(); nv];
    c[n_me] = -Rational::one();
    c[n_me + r_op] = Rational::one();
    let (val, sol) = minimize(&a, &b, &c, max_pivots)?;
    Ok((-val, sol[..n_me].to_vec()))
}

/// `min cᵀx` subject to `Ax = b`, `x ≥ 0` by the two-phase simplex method
/// with Bland's rule, exact. Returns the value and an optimal `x`.
pub(crate) fn minimize(
    a: &[Vec<Rational>],
    b: &[Rational],
    c: &[Rational],
    max_pivots: u64,
) -> Result<(Rational, Vec<Rational>), SolveError> {
    let m = a.len();
    let n = c.len();
    // Tableau columns: n originals, m artificials, rhs.
    let w = n + m + 1;
    let mut t: Vec<Vec<Rational>> = Vec::with_capacity(m);
    for i in 0..m {
        let mut row = vec![Rational::zero(); w];
        let neg = b[i].is_negative();
        for j in 0..n {
            row[j] = if neg {
                -a[i][j].clone()
            } else {
                a[i][j].clone()
            };
        }
        row[n + i] = Rational::one();
        row[w - 1] = if neg { -b[i].clone() } else { b[i].clone() };
        t.push(row);
    }
    let mut basis: Vec<usize> = (n..n + m).collect();
    let mut pivots = 0u64;
    // Phase 1: minimise the sum of artificials.
    let mut cost1 = vec![Rational::zero(); n + m];
    for x in cost1.iter_mut().skip(n) {
        *x = Rational::one();
    }
    run(&mut t, &mut basis, &cost1, n + m, &mut pivots, max_pivots)?;
    let infeas: Rational = basis
        .iter()
        .enumerate()
        .filter(|(_, &j)| j >= n)
        .map(|(i, _)| t[i][w - 1].clone())
        .sum();
    if !infeas.is_zero() {
        return Err(SolveError::NotApplicable(
            "internal error: sequence-form program infeasible".into(),
        ));
    }
    // Drive artificials out of the basis where possible.
    for i in 0..m {
        if basis[i] >= n {
            if let Some(j) = (0..n).find(|&j| !t[i][j].is_zero()) {
                pivot(&mut t, &mut basis, i, j);
            }
        }
    }
    // Phase 2 over the original columns only.
    let mut cost2 = c.to_vec();
    cost2.resize(n + m, Rational::zero());
    run(&mut t, &mut basis, &cost2, n, &mut pivots, max_pivots)?;
    let mut x = vec![Rational::zero(); n];
    for (i, &j) in basis.iter().enumerate() {
        if j < n {
            x[j] = t[i][w - 1].clone();
        }
    }
    let val = c.iter().zip(&x).map(|(ci, xi)| ci * xi).sum();
    Ok((val, x))
}

fn pivot(t: &mut [Vec<Rational>], basis: &mut [usize], r: usize, c: usize) {
    let p = t[r][c].clone();
    for x in t[r].iter_mut() {
        *x /= &p;
    }
    let prow = t[r].clone();
    for (i, row) in t.iter_mut().enumerate() {
        if i == r || row[c].is_zero() {
            continue;
        }
        let f = row[c].clone();
        for (x, y) in row.iter_mut().zip(&prow) {
            if !y.is_zero() {
                *x -= &f * y;
            }
        }
    }
    basis[r] = c;
}

/// Primal simplex iterations (Bland's rule) on columns `< ncols`.
fn run(
    t: &mut [Vec<Rational>],
    basis: &mut [usize],
    cost: &[Rational],
    ncols: usize,
    pivots: &mut u64,
    max_pivots: u64,
) -> Result<(), SolveError> {
    let w = t.first().map_or(0, Vec::len);
    loop {
        // Reduced costs: c_j - c_B B⁻¹ A_j.
        let entering = (0..ncols).find(|&j| {
            if basis.contains(&j) {
                return false;
            }
            let mut rc = cost[j].clone();
            for (i, &bi) in basis.iter().enumerate() {
                if !cost[bi].is_zero() && !t[i][j].is_zero() {
                    rc -= &cost[bi] * &t[i][j];
                }
            }
            rc.is_negative()
        });
        let Some(j) = entering else {
            return Ok(());
        };
        let mut best: Option<(Rational, usize)> = None;
        for (i, row) in t.iter().enumerate() {
            if row[j].is_positive() {
                let ratio = &row[w - 1] / &row[j];
                let better = match &best {
                    None => true,
                    Some((r, bi)) => ratio < *r || (ratio == *r && basis[i] < basis[*bi]),
                };
                if better {
                    best = Some((ratio, i));
                }
            }
        }
        let Some((_, r)) = best else {
            return Err(SolveError::NotApplicable(
                "internal error: sequence-form program unbounded".into(),
            ));
        };
        *pivots += 1;
        if *pivots > max_pivots {
            return Err(SolveError::Budget(format!(
                "the sequence-form LP needed more than {max_pivots} simplex pivots"
            )));
        }
        pivot(t, basis, r, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behavior::tests::{poker, q};

    #[test]
    fn poker_value_and_unique_equilibrium() {
        let g = poker();
        let (v, eq) = seqform_lp(&g, &SeqLpOptions::default()).unwrap();
        assert_eq!(v, q(1, 3));
        assert_eq!(
            eq.profile,
            vec![
                vec![vec![q(1, 1), q(0, 1)], vec![q(1, 3), q(2, 3)]],
                vec![vec![q(2, 3), q(1, 3)]],
            ]
        );
    }

    #[test]
    fn small_lp() {
        // min -x1 - x2, x1 + 2 x2 + s = 4, 3 x1 + x2 + s' = 6.
        let a = vec![
            vec![q(1, 1), q(2, 1), q(1, 1), q(0, 1)],
            vec![q(3, 1), q(1, 1), q(0, 1), q(1, 1)],
        ];
        let (v, x) = minimize(
            &a,
            &[q(4, 1), q(6, 1)],
            &[q(-1, 1), q(-1, 1), q(0, 1), q(0, 1)],
            100,
        )
        .unwrap();
        assert_eq!(v, q(-14, 5));
        assert_eq!(&x[..2], &[q(8, 5), q(6, 5)]);
    }
}
