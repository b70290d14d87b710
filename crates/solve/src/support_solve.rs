//! The exact equilibrium on a complementary basis of a bimatrix game.
//!
//! A Lemke–Howson path followed in floating point ([`crate::lcp`]) ends at a
//! complementary basis: the strategies `I` of player 1 and `J` of player 2
//! whose variables are basic, `|I| = |J| = k`. The vertex pair of that basis
//! is found exactly by solving the two `k × k` systems of the best-response
//! polytopes (von Stengel 2002, §3),
//!
//! ```text
//! A'[I, J] y_J = 1,        B'[I, J]ᵀ x_I = 1,
//! ```
//!
//! with fraction-free Gaussian elimination (E. H. Bareiss, "Sylvester's
//! identity and multistep integer-preserving Gaussian elimination",
//! *Mathematics of Computation* 22 (1968) 565–578): every intermediate
//! number is a minor of the matrix, so each division is exact and no gcd is
//! computed. The pair is then checked exactly to lie in both polytopes
//! (`x, y ≥ 0`, `A'y ≤ 1`, `B'ᵀx ≤ 1`), which together with complementarity
//! makes the normalised pair a Nash equilibrium (Nash 1951; Lemke and Howson
//! 1964).

use detente_game::Rational;
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};

/// Solves `M z = v` for a `k × k` integer matrix `mat` (row-major) and
/// each right-hand side `v` in `rhs` (length `k` each): returns `(Z, d)`
/// with `d = |det M| > 0` and `z = Z / d` for every right-hand side, or
/// `None` if `M` is singular.
pub(crate) fn bareiss_solve(
    k: usize,
    mat: &[BigInt],
    rhs: &[Vec<BigInt>],
) -> Option<(Vec<Vec<BigInt>>, BigInt)> {
    debug_assert_eq!(mat.len(), k * k);
    let nr = rhs.len();
    if k == 0 {
        return Some((vec![Vec::new(); nr], BigInt::one()));
    }
    // Augmented matrix [M | v_1 … v_nr], k × (k + nr).
    let w = k + nr;
    let mut a: Vec<BigInt> = Vec::with_capacity(k * w);
    for i in 0..k {
        a.extend_from_slice(&mat[i * k..(i + 1) * k]);
        a.extend(rhs.iter().map(|v| v[i].clone()));
    }
    let mut prev = BigInt::one();
    for s in 0..k {
        // A nonzero pivot in column s at or below row s.
        let piv = (s..k).find(|&i| !a[i * w + s].is_zero())?;
        if piv != s {
            for j in 0..w {
                a.swap(piv * w + j, s * w + j);
            }
        }
        let (top, bottom) = a.split_at_mut((s + 1) * w);
        let prow = &top[s * w..];
        let p = &prow[s];
        for row in bottom.chunks_exact_mut(w) {
            let f = std::mem::take(&mut row[s]);
            for j in s + 1..w {
                let mut t = &row[j] * p;
                if !f.is_zero() && !prow[j].is_zero() {
                    t -= &f * &prow[j];
                }
                row[j] = if prev.is_one() { t } else { t / &prev };
            }
        }
        prev = prow[s].clone();
    }
    // Upper triangular U with U[k-1][k-1] = ±det M; back substitution on
    // Z = d·z, every division exact (Cramer's rule).
    let d = a[(k - 1) * w + (k - 1)].clone();
    let negative = d.is_negative();
    let mut out = Vec::with_capacity(nr);
    for c in 0..nr {
        let mut z = vec![BigInt::zero(); k];
        for i in (0..k).rev() {
            let mut t = &a[i * w + k + c] * &d;
            for j in i + 1..k {
                let u = &a[i * w + j];
                if !u.is_zero() && !z[j].is_zero() {
                    t -= u * &z[j];
                }
            }
            z[i] = t / &a[i * w + i];
        }
        if negative {
            for v in &mut z {
                *v = -std::mem::take(v);
            }
        }
        out.push(z);
    }
    Some((out, if negative { -d } else { d }))
}

/// [`bareiss_solve`] with the single right-hand side `1`.
pub(crate) fn bareiss_solve_ones(k: usize, mat: &[BigInt]) -> Option<(Vec<BigInt>, BigInt)> {
    let (mut z, d) = bareiss_solve(k, mat, &[vec![BigInt::one(); k]])?;
    Some((z.pop()?, d))
}

/// One tableau of a Lemke–Howson pair as the exact ratio test sees it:
/// `rows` constraints `M s + t = 1` with `structural` columns `s` (entry
/// `(i, c)` given by `orig`), one slack `t_i` per row, and the current
/// basis (tableau layout: structural columns, then slacks, then the RHS).
pub(crate) struct BasisView<'a> {
    pub rows: usize,
    pub structural: usize,
    pub basis: &'a [usize],
    pub orig: &'a dyn Fn(usize, usize) -> &'a BigInt,
}

/// The exact tableau columns of a basis, solved on demand.
struct ExactColumns<'v, 'a> {
    view: &'v BasisView<'a>,
    /// Rows whose slack is nonbasic (sorted) and the structural basic
    /// columns with their tableau rows.
    free_rows: Vec<usize>,
    basic: Vec<(usize, usize)>,
    mat: Vec<BigInt>,
}

impl<'v, 'a> ExactColumns<'v, 'a> {
    fn new(view: &'v BasisView<'a>) -> Result<Self, BasisError> {
        let mut slack_basic = vec![false; view.rows];
        let mut basic = Vec::new();
        for (r, &c) in view.basis.iter().enumerate() {
            if c < view.structural {
                basic.push((r, c));
            } else if c < view.structural + view.rows {
                slack_basic[c - view.structural] = true;
            } else {
                return Err(BasisError::Singular);
            }
        }
        let free_rows: Vec<usize> = (0..view.rows).filter(|&i| !slack_basic[i]).collect();
        if free_rows.len() != basic.len() {
            return Err(BasisError::Singular);
        }
        let mat = free_rows
            .iter()
            .flat_map(|&i| basic.iter().map(move |&(_, c)| (view.orig)(i, c).clone()))
            .collect();
        Ok(ExactColumns {
            view,
            free_rows,
            basic,
            mat,
        })
    }

    /// The original column `col` (structural, slack or RHS) as a vector.
    fn original(&self, col: usize) -> Vec<BigInt> {
        let v = self.view;
        (0..v.rows)
            .map(|i| {
                if col < v.structural {
                    (v.orig)(i, col).clone()
                } else if col < v.structural + v.rows {
                    BigInt::from(u8::from(col - v.structural == i))
                } else {
                    BigInt::one()
                }
            })
            .collect()
    }

    /// The tableau columns `B⁻¹ v` of the given original columns, row by
    /// tableau row, all scaled by the same positive factor.
    fn solve(&self, cols: &[usize]) -> Result<Vec<Vec<BigInt>>, BasisError> {
        let v = self.view;
        let full: Vec<Vec<BigInt>> = cols.iter().map(|&c| self.original(c)).collect();
        let rhs: Vec<Vec<BigInt>> = full
            .iter()
            .map(|f| self.free_rows.iter().map(|&i| f[i].clone()).collect())
            .collect();
        let (zs, d) =
            bareiss_solve(self.basic.len(), &self.mat, &rhs).ok_or(BasisError::Singular)?;
        let mut out = Vec::with_capacity(cols.len());
        for (f, z) in full.iter().zip(&zs) {
            let mut w = vec![BigInt::zero(); v.rows];
            for (&(r, _), zv) in self.basic.iter().zip(z) {
                w[r] = zv.clone();
            }
            for (r, &c) in v.basis.iter().enumerate() {
                if c >= v.structural {
                    // Slack of row i basic: d·v_i − Σ_u M[i][c_u] z_u.
                    let i = c - v.structural;
                    let mut t = &d * &f[i];
                    for (&(_, cu), zv) in self.basic.iter().zip(z) {
                        if !zv.is_zero() {
                            t -= (v.orig)(i, cu) * zv;
                        }
                    }
                    w[r] = t;
                }
            }
            out.push(w);
        }
        Ok(out)
    }
}

/// The lexicographic minimum-ratio test of [`crate::lcp`] in exact
/// arithmetic on the basis `view.basis`, for entering tableau column `col`:
/// among rows with a positive entry, the smallest `rhs / entry`, ties
/// broken by the largest `B⁻¹[r][s] / entry` for `s = 0, 1, …`. `None`: no
/// positive entry (an unbounded ray).
pub(crate) fn exact_ratio_test(
    view: &BasisView<'_>,
    col: usize,
) -> Result<Option<usize>, BasisError> {
    let ex = ExactColumns::new(view)?;
    let rhs_col = view.structural + view.rows;
    let mut sol = ex.solve(&[col, rhs_col])?;
    let rhs = sol.pop().ok_or(BasisError::Singular)?;
    let entry = sol.pop().ok_or(BasisError::Singular)?;
    let mut best: Vec<usize> = (0..view.rows).filter(|&r| entry[r].is_positive()).collect();
    let mut stage: Option<usize> = None;
    let mut column = rhs;
    while best.len() > 1 {
        let minimise = stage.is_none();
        let mut keep = vec![best[0]];
        for &i in &best[1..] {
            let k = keep[0];
            // column[i]/entry[i] against column[k]/entry[k], entries > 0.
            let ord = (&column[i] * &entry[k]).cmp(&(&column[k] * &entry[i]));
            let better = if minimise {
                ord == std::cmp::Ordering::Less
            } else {
                ord == std::cmp::Ordering::Greater
            };
            if better {
                keep.clear();
                keep.push(i);
            } else if ord == std::cmp::Ordering::Equal {
                keep.push(i);
            }
        }
        best = keep;
        let s = stage.map_or(0, |s| s + 1);
        if s >= view.rows || best.len() <= 1 {
            break;
        }
        stage = Some(s);
        column = ex
            .solve(&[view.structural + s])?
            .pop()
            .ok_or(BasisError::Singular)?;
    }
    Ok(best.first().copied())
}

/// Why a basis gave no equilibrium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BasisError {
    /// The basis matrix is singular (not a basis).
    Singular,
    /// The basic solution leaves a polytope (a negative probability or a
    /// violated best-response constraint).
    Infeasible,
}

/// The exact normalised profile `(x, y)` of the complementary basis with
/// supports `rows` (player 1's basic strategies, sorted) and `cols` (player
/// 2's) of the game with positive integer payoff matrices `a`, `b`
/// (row-major, `m × n`), checked to be an equilibrium as described in the
/// module documentation. `rows` and `cols` must have equal, nonzero length.
pub(crate) fn equilibrium_on_basis(
    m: usize,
    n: usize,
    a: &[BigInt],
    b: &[BigInt],
    rows: &[usize],
    cols: &[usize],
) -> Result<Vec<Vec<Rational>>, BasisError> {
    let k = rows.len();
    if k == 0 || cols.len() != k {
        return Err(BasisError::Singular);
    }
    // y: A'[I, J] y = 1.
    let my: Vec<BigInt> = rows
        .iter()
        .flat_map(|&i| cols.iter().map(move |&j| a[i * n + j].clone()))
        .collect();
    let (ny, dy) = bareiss_solve_ones(k, &my).ok_or(BasisError::Singular)?;
    // x: B'[I, J]ᵀ x = 1 (row j of the system: Σ_i b_ij x_i = 1).
    let mx: Vec<BigInt> = cols
        .iter()
        .flat_map(|&j| rows.iter().map(move |&i| b[i * n + j].clone()))
        .collect();
    let (nx, dx) = bareiss_solve_ones(k, &mx).ok_or(BasisError::Singular)?;
    if ny.iter().chain(&nx).any(Signed::is_negative) {
        return Err(BasisError::Infeasible);
    }
    // Best-response constraints outside the supports: (A'y)_i ≤ 1 for
    // i ∉ I, (B'ᵀx)_j ≤ 1 for j ∉ J (equalities on the supports hold by
    // construction).
    let mut in_rows = vec![false; m];
    for &i in rows {
        in_rows[i] = true;
    }
    let mut in_cols = vec![false; n];
    for &j in cols {
        in_cols[j] = true;
    }
    for i in (0..m).filter(|&i| !in_rows[i]) {
        let mut s = BigInt::zero();
        for (&j, v) in cols.iter().zip(&ny) {
            if !v.is_zero() {
                s += &a[i * n + j] * v;
            }
        }
        if s > dy {
            return Err(BasisError::Infeasible);
        }
    }
    for j in (0..n).filter(|&j| !in_cols[j]) {
        let mut s = BigInt::zero();
        for (&i, v) in rows.iter().zip(&nx) {
            if !v.is_zero() {
                s += &b[i * n + j] * v;
            }
        }
        if s > dx {
            return Err(BasisError::Infeasible);
        }
    }
    let normalise = |len: usize, idx: &[usize], nums: &[BigInt]| -> Option<Vec<Rational>> {
        let total: BigInt = nums.iter().sum();
        if !total.is_positive() {
            return None;
        }
        let mut out = vec![Rational::zero(); len];
        for (&i, v) in idx.iter().zip(nums) {
            if !v.is_zero() {
                out[i] = Rational::new(v.clone(), total.clone());
            }
        }
        Some(out)
    };
    let x = normalise(m, rows, &nx).ok_or(BasisError::Infeasible)?;
    let y = normalise(n, cols, &ny).ok_or(BasisError::Infeasible)?;
    Ok(vec![x, y])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bi(v: &[i64]) -> Vec<BigInt> {
        v.iter().map(|&x| BigInt::from(x)).collect()
    }

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn solves_a_small_system() {
        // 2x + y = 1, x + 3y = 1: x = 2/5, y = 1/5.
        let (z, d) = bareiss_solve_ones(2, &bi(&[2, 1, 1, 3])).unwrap();
        assert_eq!(d, BigInt::from(5));
        assert_eq!(z, bi(&[2, 1]));
        // A zero leading entry needs a row swap: y = 1, x + y = 1.
        let (z, d) = bareiss_solve_ones(2, &bi(&[0, 1, 1, 1])).unwrap();
        assert_eq!(z, vec![BigInt::zero(), d]);
        assert!(bareiss_solve_ones(2, &bi(&[1, 2, 2, 4])).is_none());
    }

    #[test]
    fn battle_of_the_sexes_mixed_equilibrium() {
        // Payoffs shifted to be positive: A' = [[3,1],[1,2]], B' = [[2,1],[1,3]].
        let a = bi(&[3, 1, 1, 2]);
        let b = bi(&[2, 1, 1, 3]);
        let p = equilibrium_on_basis(2, 2, &a, &b, &[0, 1], &[0, 1]).unwrap();
        assert_eq!(p, vec![vec![q(2, 3), q(1, 3)], vec![q(1, 3), q(2, 3)]]);
        let pure = equilibrium_on_basis(2, 2, &a, &b, &[0], &[0]).unwrap();
        assert_eq!(pure, vec![vec![q(1, 1), q(0, 1)], vec![q(1, 1), q(0, 1)]]);
        // (row 0, column 1) is not an equilibrium.
        assert_eq!(
            equilibrium_on_basis(2, 2, &a, &b, &[0], &[1]),
            Err(BasisError::Infeasible)
        );
        assert_eq!(
            equilibrium_on_basis(2, 2, &a, &b, &[], &[]),
            Err(BasisError::Singular)
        );
    }

    #[test]
    fn exact_ratio_test_on_a_small_tableau() {
        // Constraints [2 1; 1 3] s + t = 1, slack basis: entering s_0 has
        // ratios 1/2 and 1/1, so row 0 leaves.
        let m = bi(&[2, 1, 1, 3]);
        let orig = |i: usize, c: usize| &m[i * 2 + c];
        let view = BasisView {
            rows: 2,
            structural: 2,
            basis: &[2, 3],
            orig: &orig,
        };
        assert_eq!(exact_ratio_test(&view, 0), Ok(Some(0)));
        // Tie: [1 1; 1 1], entering s_0: ratios 1 and 1; B⁻¹ = I, the
        // first tie-break column (slack 0) has 1/1 in row 0, 0 in row 1.
        let t = bi(&[1, 1, 1, 1]);
        let orig_t = |i: usize, c: usize| &t[i * 2 + c];
        let tie = BasisView {
            rows: 2,
            structural: 2,
            basis: &[2, 3],
            orig: &orig_t,
        };
        assert_eq!(exact_ratio_test(&tie, 0), Ok(Some(0)));
        // After s_0 enters in row 0 the tableau is [1 1 1 0 | 1; 0 0 -1 1 | 0]:
        // entering s_1 (column 1) has a positive entry in row 0 only.
        let after = BasisView {
            rows: 2,
            structural: 2,
            basis: &[0, 3],
            orig: &orig_t,
        };
        assert_eq!(exact_ratio_test(&after, 1), Ok(Some(0)));
        // Entering slack 0 (column 2): entries 1 (row 0) and -1: row 0.
        assert_eq!(exact_ratio_test(&after, 2), Ok(Some(0)));
    }

    proptest! {
        /// The solution satisfies the system exactly.
        #[test]
        fn bareiss_solution_satisfies_the_system(
            k in 1usize..7,
            vals in proptest::collection::vec(-20i64..20, 49),
        ) {
            let mat: Vec<BigInt> = vals[..k * k].iter().map(|&v| BigInt::from(v)).collect();
            if let Some((z, d)) = bareiss_solve_ones(k, &mat) {
                prop_assert!(d.is_positive());
                for i in 0..k {
                    let s: BigInt = (0..k).map(|j| &mat[i * k + j] * &z[j]).sum();
                    prop_assert_eq!(s, d.clone());
                }
            }
        }
    }
}
