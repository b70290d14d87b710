//! An exact rational simplex method for small dense linear programs.
//!
//! Solves `maximize c·y subject to A y = b, y ≥ 0` in exact rational
//! arithmetic with a dense tableau, the two-phase method and Bland's rule
//! (R. G. Bland, "New finite pivoting rules for the simplex method",
//! *Mathematics of Operations Research* 2 (1977) 103–107), which cannot cycle.
//! Along with a primal optimum it returns the simplex multipliers
//! `π = c_B B⁻¹`, an optimal solution of the dual `minimize π·b subject to
//! πA ≥ c` (π free). The coalitional-game solvers ([`crate::core`],
//! [`crate::nucleolus`]) state their problems as this dual, so that the
//! tableau has one row per player and one column per coalition.

use detente_game::Rational;
use num_traits::{One, Signed, Zero};

/// The result of [`solve`].
#[derive(Debug, Clone, PartialEq)]
pub enum LpOutcome {
    /// An optimal basic solution.
    Optimal(LpSolution),
    /// No `y ≥ 0` satisfies `A y = b`.
    Infeasible,
    /// The objective is unbounded above.
    Unbounded,
}

/// An optimal solution of `maximize c·y, A y = b, y ≥ 0`.
#[derive(Debug, Clone, PartialEq)]
pub struct LpSolution {
    /// The optimal `y`.
    pub y: Vec<Rational>,
    /// The optimal value `c·y`.
    pub value: Rational,
    /// Simplex multipliers `π` (one per row of `A`): an optimal solution of
    /// the dual `minimize π·b subject to πA ≥ c`.
    pub duals: Vec<Rational>,
}

/// Solves `maximize c·y subject to A y = b, y ≥ 0` exactly.
///
/// `a` holds the rows of `A`; every row must have `c.len()` entries (a
/// malformed problem is reported as [`LpOutcome::Infeasible`] only if it is
/// infeasible; mismatched lengths are a programming error and are treated as
/// zero-padded).
pub fn solve(a: &[Vec<Rational>], b: &[Rational], c: &[Rational]) -> LpOutcome {
    let m = a.len();
    let n = c.len();
    // Tableau columns: n structural, m artificial, then the right-hand side.
    let width = n + m + 1;
    let rhs = n + m;
    let mut sign = vec![Rational::one(); m];
    let mut t: Vec<Vec<Rational>> = Vec::with_capacity(m);
    for i in 0..m {
        let mut row = vec![Rational::zero(); width];
        for (j, v) in a[i].iter().enumerate().take(n) {
            row[j] = v.clone();
        }
        row[n + i] = Rational::one();
        row[rhs] = b.get(i).cloned().unwrap_or_else(Rational::zero);
        if row[rhs].is_negative() {
            sign[i] = -Rational::one();
            for v in row.iter_mut().take(n) {
                *v = -v.clone();
            }
            row[rhs] = -row[rhs].clone();
        }
        t.push(row);
    }
    let mut basis: Vec<usize> = (n..n + m).collect();

    // Phase 1: maximize −Σ artificials. Reduced costs of the structural
    // columns are the column sums; artificial columns start at 0.
    let mut obj = vec![Rational::zero(); width];
    for row in &t {
        for j in 0..n {
            obj[j] += &row[j];
        }
        obj[rhs] += &row[rhs];
    }
    // obj[rhs] holds the current sum of artificials (to be driven to zero).
    if !run(&mut t, &mut obj, &mut basis, n + m, rhs) {
        // Phase 1 is bounded (the objective is at most 0): cannot happen.
        return LpOutcome::Infeasible;
    }
    if !obj[rhs].is_zero() {
        return LpOutcome::Infeasible;
    }
    // Drive zero-level artificials out of the basis where possible.
    for i in 0..m {
        if basis[i] >= n {
            if let Some(j) = (0..n).find(|&j| !t[i][j].is_zero()) {
                pivot(&mut t, &mut obj, i, j);
                basis[i] = j;
            }
        }
    }

    // Phase 2: reduced costs of the real objective, c_j − c_B B⁻¹ A_j, over
    // all columns (artificials included, for the duals; they never enter).
    let cost = |j: usize| -> Rational {
        if j < n {
            c[j].clone()
        } else {
            Rational::zero()
        }
    };
    let mut obj = vec![Rational::zero(); width];
    for (j, o) in obj.iter_mut().enumerate().take(n + m) {
        *o = cost(j);
    }
    for i in 0..m {
        let cb = cost(basis[i]);
        if cb.is_zero() {
            continue;
        }
        for j in 0..width {
            if !t[i][j].is_zero() {
                let d = &cb * &t[i][j];
                obj[j] -= d;
            }
        }
    }
    // obj[rhs] now holds −c_B·x_B.
    if !run(&mut t, &mut obj, &mut basis, n, rhs) {
        return LpOutcome::Unbounded;
    }
    let mut y = vec![Rational::zero(); n];
    for i in 0..m {
        if basis[i] < n {
            y[basis[i]] = t[i][rhs].clone();
        }
    }
    let value = -obj[rhs].clone();
    // Reduced cost of artificial i is 0 − π'_i, where π' are the multipliers
    // of the sign-adjusted rows; undo the sign change.
    let duals = (0..m).map(|i| -obj[n + i].clone() * &sign[i]).collect();
    LpOutcome::Optimal(LpSolution { y, value, duals })
}

/// Runs simplex pivots with Bland's rule, letting only columns `< enter_limit`
/// enter. Returns `false` if the objective is unbounded.
fn run(
    t: &mut [Vec<Rational>],
    obj: &mut [Rational],
    basis: &mut [usize],
    enter_limit: usize,
    rhs: usize,
) -> bool {
    loop {
        let Some(col) = (0..enter_limit).find(|&j| obj[j].is_positive()) else {
            return true;
        };
        let mut best: Option<(usize, Rational)> = None;
        for i in 0..t.len() {
            if t[i][col].is_positive() {
                let ratio = &t[i][rhs] / &t[i][col];
                let better = match &best {
                    None => true,
                    Some((bi, br)) => ratio < *br || (ratio == *br && basis[i] < basis[*bi]),
                };
                if better {
                    best = Some((i, ratio));
                }
            }
        }
        let Some((row, _)) = best else {
            return false;
        };
        pivot(t, obj, row, col);
        basis[row] = col;
    }
}

fn pivot(t: &mut [Vec<Rational>], obj: &mut [Rational], row: usize, col: usize) {
    let p = t[row][col].clone();
    if !p.is_one() {
        for v in t[row].iter_mut() {
            if !v.is_zero() {
                *v = &*v / &p;
            }
        }
    }
    let prow = t[row].clone();
    let nz: Vec<usize> = (0..prow.len()).filter(|&j| !prow[j].is_zero()).collect();
    for (i, r) in t.iter_mut().enumerate() {
        if i == row || r[col].is_zero() {
            continue;
        }
        let f = r[col].clone();
        for &j in &nz {
            let d = &f * &prow[j];
            r[j] -= d;
        }
    }
    if !obj[col].is_zero() {
        let f = obj[col].clone();
        for &j in &nz {
            let d = &f * &prow[j];
            obj[j] -= d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    fn r(n: i64) -> Rational {
        Rational::from_integer(BigInt::from(n))
    }
    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn textbook_max() {
        // max 3x + 2y s.t. x + y + s1 = 4, x + 3y + s2 = 6 → x = 4, y = 0, value 12.
        let a = vec![vec![r(1), r(1), r(1), r(0)], vec![r(1), r(3), r(0), r(1)]];
        let b = vec![r(4), r(6)];
        let c = vec![r(3), r(2), r(0), r(0)];
        match solve(&a, &b, &c) {
            LpOutcome::Optimal(s) => {
                assert_eq!(s.value, r(12));
                assert_eq!(s.y[0], r(4));
                // Dual: min 4π1 + 6π2, π1 + π2 ≥ 3, π1 + 3π2 ≥ 2, π ≥ 0 → (3, 0).
                assert_eq!(s.duals, vec![r(3), r(0)]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fractional_optimum_and_negative_rhs() {
        // max x + y s.t. 2x + y + s1 = 4, x + 2y + s2 = 4, written with the
        // second row negated: −x − 2y − s2 = −4.
        let a = vec![
            vec![r(2), r(1), r(1), r(0)],
            vec![r(-1), r(-2), r(0), r(-1)],
        ];
        let b = vec![r(4), r(-4)];
        let c = vec![r(1), r(1), r(0), r(0)];
        match solve(&a, &b, &c) {
            LpOutcome::Optimal(s) => {
                assert_eq!(s.value, q(8, 3));
                assert_eq!(s.y[0], q(4, 3));
                assert_eq!(s.y[1], q(4, 3));
                // πA ≥ c with equality on the basis; π·b = value.
                let pb = &s.duals[0] * r(4) + &s.duals[1] * r(-4);
                assert_eq!(pb, q(8, 3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn infeasible_and_unbounded() {
        // x = −1 with x ≥ 0.
        assert_eq!(
            solve(&[vec![r(1)]], &[r(-1)], &[r(1)]),
            LpOutcome::Infeasible
        );
        // max x s.t. x − y = 0.
        assert_eq!(
            solve(&[vec![r(1), r(-1)]], &[r(0)], &[r(1), r(0)]),
            LpOutcome::Unbounded
        );
    }

    #[test]
    fn redundant_rows() {
        // x + y = 1 twice; max x.
        let a = vec![vec![r(1), r(1)], vec![r(1), r(1)]];
        match solve(&a, &[r(1), r(1)], &[r(1), r(0)]) {
            LpOutcome::Optimal(s) => {
                assert_eq!(s.value, r(1));
                let pb = &s.duals[0] + &s.duals[1];
                assert_eq!(pb, r(1));
            }
            other => panic!("{other:?}"),
        }
    }
}
