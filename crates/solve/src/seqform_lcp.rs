//! Equilibria of two-player trees with perfect recall by Lemke's algorithm
//! on the sequence-form linear complementarity problem (D. Koller,
//! N. Megiddo, B. von Stengel, "Efficient computation of equilibria for
//! extensive two-person games", Games and Economic Behavior 14 (1996)
//! 247–259; C. E. Lemke, "Bimatrix equilibrium points and mathematical
//! programming", Management Science 11 (1965) 681–689; B. von Stengel,
//! A. van den Elzen, D. Talman, "Computing normal form perfect equilibria
//! for extensive two-person games", Econometrica 70 (2002) 693–715, for
//! other starting points).
//!
//! With payoffs shifted to be negative (which changes no equilibrium), an
//! equilibrium is a solution of
//! `Eᵀp − Ay ≥ 0 ⊥ x ≥ 0`, `Fᵀq − Bᵀx ≥ 0 ⊥ y ≥ 0`, `Ex = e`, `Fy = f`,
//! with `p`, `q` free. Each free variable is split into two nonnegative
//! ones and each equation into two inequalities, giving a standard LCP
//! `w = r + Mz ≥ 0 ⊥ z ≥ 0` that Lemke's method solves with an artificial
//! variable `z₀` along a covering vector `d > 0`. Pivoting is exact
//! (rationals) with the lexicographic ratio test, so degenerate games do not
//! cycle.
//!
//! Several equilibria: the default covering vector (all ones) gives one;
//! further runs use covering vectors biased toward pure starting profiles
//! (player 1 and 2 playing their `k`-th action, cyclically, at every set):
//! sequences of the start get weight 1, others a larger weight, so the path
//! leaves from near that start. Distinct profiles are kept. This finds a
//! subset of the equilibria, not all.

use crate::behavior::{verify_nash, BehaviorEquilibrium};
use crate::equilibrium::SolveError;
use crate::seqform::SequenceForm;
use detente_game::{ExtensiveGame, Rational};
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// Options for [`seqform_lcp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeqLcpOptions {
    /// Number of extra starting points (covering vectors) tried after the
    /// default one; 0 gives Gambit's single equilibrium.
    pub extra_starts: usize,
    /// Stop after this many distinct equilibria.
    pub max_equilibria: usize,
    /// Most pivots per Lemke path.
    pub max_pivots: u64,
    /// Most sequence pairs (dense payoff entries) accepted.
    pub max_cells: usize,
}

impl Default for SeqLcpOptions {
    fn default() -> Self {
        SeqLcpOptions {
            extra_starts: 0,
            max_equilibria: 1,
            max_pivots: 100_000,
            max_cells: 4_000_000,
        }
    }
}

/// Equilibria of a two-player tree with perfect recall by Lemke's
/// algorithm on the sequence form (see the module documentation). The first
/// comes from the default covering vector. Errors: `NotApplicable` (players,
/// imperfect recall, or a path ending on a ray), `Budget`, `TooLarge`.
pub fn seqform_lcp(
    game: &ExtensiveGame,
    opts: &SeqLcpOptions,
) -> Result<Vec<BehaviorEquilibrium>, SolveError> {
    let sf = SequenceForm::new(game, opts.max_cells)?;
    let lcp = build(&sf);
    let mut out: Vec<BehaviorEquilibrium> = Vec::new();
    let want = opts.max_equilibria.max(1);
    for start in 0..=opts.extra_starts {
        let d = covering(&sf, &lcp, start);
        let z = match lemke(&lcp.m, &lcp.r, &d, opts.max_pivots) {
            Ok(z) => z,
            Err(e) if start == 0 => return Err(e),
            Err(_) => continue,
        };
        let n1 = sf.num_seqs[0];
        let n2 = sf.num_seqs[1];
        let profile = sf.profile(&z[..n1], &z[n1..n1 + n2]);
        let eq = verify_nash(game, profile)?;
        if !out.iter().any(|e| e.profile == eq.profile) {
            out.push(eq);
            if out.len() >= want {
                break;
            }
        }
    }
    Ok(out)
}

struct Lcp {
    m: Vec<Vec<Rational>>,
    r: Vec<Rational>,
}

/// The LCP `w = r + Mz` with `z = (x, y, p⁺, p⁻, q⁺, q⁻)`.
fn build(sf: &SequenceForm) -> Lcp {
    let n1 = sf.num_seqs[0];
    let n2 = sf.num_seqs[1];
    let e = sf.constraints(0);
    let f = sf.constraints(1);
    let (k1, k2) = (e.len(), f.len());
    let size = n1 + n2 + 2 * k1 + 2 * k2;
    // Shift every play's payoff below zero: A' = A - c·W, where W[σ][τ]
    // is the chance weight of the plays ending in (σ, τ) and c exceeds
    // every play payoff.
    let w = &sf.weight;
    let mut m = vec![vec![Rational::zero(); size]; size];
    let mut r = vec![Rational::zero(); size];
    let (px, py, pp, pm, qp, qm) = (
        0,
        n1,
        n1 + n2,
        n1 + n2 + k1,
        n1 + n2 + 2 * k1,
        n1 + n2 + 2 * k1 + k2,
    );
    let c = [
        &sf.max_abs[0] + Rational::one(),
        &sf.max_abs[1] + Rational::one(),
    ];
    for i in 0..n1 {
        for j in 0..n2 {
            let wij = &w[i * n2 + j];
            // Row x_i: -A'[i][j] y_j.
            let a = sf.pay(0, i, j) - &c[0] * wij;
            m[px + i][py + j] = -a;
            // Row y_j: -B'[i][j] x_i.
            let b = sf.pay(1, i, j) - &c[1] * wij;
            m[py + j][px + i] = -b;
        }
        for (k, er) in e.iter().enumerate() {
            if !er[i].is_zero() {
                m[px + i][pp + k] = er[i].clone();
                m[px + i][pm + k] = -er[i].clone();
                m[pp + k][px + i] = -er[i].clone();
                m[pm + k][px + i] = er[i].clone();
            }
        }
    }
    for j in 0..n2 {
        for (k, fr) in f.iter().enumerate() {
            if !fr[j].is_zero() {
                m[py + j][qp + k] = fr[j].clone();
                m[py + j][qm + k] = -fr[j].clone();
                m[qp + k][py + j] = -fr[j].clone();
                m[qm + k][py + j] = fr[j].clone();
            }
        }
    }
    r[pp] = Rational::one();
    r[pm] = -Rational::one();
    r[qp] = Rational::one();
    r[qm] = -Rational::one();
    Lcp { m, r }
}

/// Covering vector for start `k` (0 = all ones).
fn covering(sf: &SequenceForm, lcp: &Lcp, k: usize) -> Vec<Rational> {
    let size = lcp.r.len();
    let mut d = vec![Rational::one(); size];
    if k == 0 {
        return d;
    }
    let big = Rational::from_integer(3.into());
    for p in 0..2 {
        let off = if p == 0 { 0 } else { sf.num_seqs[0] };
        for (s, &na) in sf.actions[p].iter().enumerate() {
            let chosen = (k + s * (p + 1)) % na;
            for a in 0..na {
                if a != chosen {
                    d[off + sf.first_seq[p][s] + a] = big.clone();
                }
            }
        }
    }
    d
}

/// Lemke's algorithm for `w = r + Mz ≥ 0 ⊥ z ≥ 0` with covering vector
/// `d > 0`, exact, lexicographic ratio test. Returns `z`.
fn lemke(
    m: &[Vec<Rational>],
    r: &[Rational],
    d: &[Rational],
    max_pivots: u64,
) -> Result<Vec<Rational>, SolveError> {
    let n = r.len();
    if r.iter().all(|x| !x.is_negative()) {
        return Ok(vec![Rational::zero(); n]);
    }
    // Columns: w (0..n), z (n..2n), z0 (2n), rhs (2n+1).
    let width = 2 * n + 2;
    let z0 = 2 * n;
    let rhs = 2 * n + 1;
    let mut t: Vec<Vec<Rational>> = (0..n)
        .map(|i| {
            let mut row = vec![Rational::zero(); width];
            row[i] = Rational::one();
            for j in 0..n {
                if !m[i][j].is_zero() {
                    row[n + j] = -m[i][j].clone();
                }
            }
            row[z0] = -d[i].clone();
            row[rhs] = r[i].clone();
            row
        })
        .collect();
    let mut basis: Vec<usize> = (0..n).collect();
    // First pivot: z0 enters, the row with lexicographically smallest
    // (r_i, e_i) / d_i leaves.
    let mut lead = 0usize;
    for i in 1..n {
        if lex_less(&t, i, lead, rhs, n, |row| -row[z0].clone()) {
            lead = i;
        }
    }
    pivot(&mut t, &mut basis, lead, z0);
    let mut entering = complement(lead, n);
    let mut pivots = 1u64;
    loop {
        // Ratio test on the entering column.
        let mut best: Option<usize> = None;
        for i in 0..n {
            if t[i][entering].is_positive() {
                best = match best {
                    None => Some(i),
                    Some(b) => {
                        if lex_less(&t, i, b, rhs, n, |row| row[entering].clone()) {
                            Some(i)
                        } else {
                            Some(b)
                        }
                    }
                };
            }
        }
        let Some(row) = best else {
            return Err(SolveError::NotApplicable(
                "Lemke's algorithm ended on a ray (no equilibrium found from this start)".into(),
            ));
        };
        let leaving = basis[row];
        pivot(&mut t, &mut basis, row, entering);
        pivots += 1;
        if leaving == z0 {
            break;
        }
        if pivots > max_pivots {
            return Err(SolveError::Budget(format!(
                "Lemke's algorithm needed more than {max_pivots} pivots"
            )));
        }
        entering = complement(leaving, n);
    }
    let mut z = vec![Rational::zero(); n];
    for (i, &b) in basis.iter().enumerate() {
        if (n..2 * n).contains(&b) {
            z[b - n] = t[i][rhs].clone();
        }
    }
    Ok(z)
}

fn complement(var: usize, n: usize) -> usize {
    if var < n {
        var + n
    } else {
        var - n
    }
}

/// Lexicographic comparison of rows `i` and `j` by
/// `(rhs, w-columns) / key(row)` (key positive).
fn lex_less(
    t: &[Vec<Rational>],
    i: usize,
    j: usize,
    rhs: usize,
    n: usize,
    key: impl Fn(&[Rational]) -> Rational,
) -> bool {
    let (ki, kj) = (key(&t[i]), key(&t[j]));
    let cols = std::iter::once(rhs).chain(0..n);
    for c in cols {
        let a = &t[i][c] * &kj;
        let b = &t[j][c] * &ki;
        match a.cmp(&b) {
            Ordering::Less => return true,
            Ordering::Greater => return false,
            Ordering::Equal => {}
        }
    }
    false
}

fn pivot(t: &mut [Vec<Rational>], basis: &mut [usize], r: usize, c: usize) {
    let p = t[r][c].clone();
    for x in t[r].iter_mut() {
        if !x.is_zero() {
            *x /= &p;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behavior::tests::{poker, q};

    #[test]
    fn poker_unique_equilibrium() {
        let g = poker();
        let eqs = seqform_lcp(&g, &SeqLcpOptions::default()).unwrap();
        assert_eq!(eqs.len(), 1);
        assert_eq!(
            eqs[0].profile,
            vec![
                vec![vec![q(1, 1), q(0, 1)], vec![q(1, 3), q(2, 3)]],
                vec![vec![q(2, 3), q(1, 3)]],
            ]
        );
        assert_eq!(eqs[0].payoffs, vec![q(1, 3), q(-1, 3)]);
    }

    #[test]
    fn three_players_refused() {
        let g = detente_game::ExtensiveGame::new(
            vec!["a".into(), "b".into(), "c".into()],
            vec![detente_game::NodeSpec::default()],
            vec![],
            vec![],
        )
        .unwrap();
        assert!(matches!(
            seqform_lcp(&g, &SeqLcpOptions::default()),
            Err(SolveError::NotApplicable(_))
        ));
    }
}
