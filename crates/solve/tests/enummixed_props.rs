//! Property tests for `enummixed`: every returned profile has exactly zero
//! regret (computed here independently), the set of extreme equilibria equals
//! the one found by brute-force vertex enumeration (every choice of tight
//! constraints, solved by Gaussian elimination), and `f64` agrees with exact.

use detente_game::{NormalFormGame, Rational, Scalar};
use detente_solve::{enummixed, EnumMixedOptions};
use num_traits::{One, Zero};
use proptest::prelude::*;
use std::collections::BTreeSet;

type Profile = (Vec<Rational>, Vec<Rational>);

fn rat(v: i64) -> Rational {
    Rational::from_integer(v.into())
}

fn game(m: usize, n: usize, a: &[Rational], b: &[Rational]) -> NormalFormGame {
    let mut ta = Vec::new();
    let mut tb = Vec::new();
    for j in 0..n {
        for i in 0..m {
            ta.push(a[i * n + j].clone());
            tb.push(b[i * n + j].clone());
        }
    }
    NormalFormGame::from_tables(&[m, n], &[ta, tb]).expect("valid game")
}

/// Largest gain from a pure deviation, for either player.
fn max_regret(
    m: usize,
    n: usize,
    a: &[Rational],
    b: &[Rational],
    x: &[Rational],
    y: &[Rational],
) -> Rational {
    let ay: Vec<Rational> = (0..m)
        .map(|i| (0..n).map(|j| &a[i * n + j] * &y[j]).sum())
        .collect();
    let bx: Vec<Rational> = (0..n)
        .map(|j| (0..m).map(|i| &b[i * n + j] * &x[i]).sum())
        .collect();
    let u1: Rational = (0..m).map(|i| &x[i] * &ay[i]).sum();
    let u2: Rational = (0..n).map(|j| &y[j] * &bx[j]).sum();
    let best1 = ay.iter().max().cloned().unwrap_or_else(Rational::zero);
    let best2 = bx.iter().max().cloned().unwrap_or_else(Rational::zero);
    let r1 = best1 - u1;
    let r2 = best2 - u2;
    if r1 > r2 {
        r1
    } else {
        r2
    }
}

/// Solves `rows · z = rhs` (k equations, k unknowns); `None` if singular.
fn solve(mut rows: Vec<Vec<Rational>>, mut rhs: Vec<Rational>) -> Option<Vec<Rational>> {
    let k = rhs.len();
    for c in 0..k {
        let p = (c..k).find(|&r| !rows[r][c].is_zero())?;
        rows.swap(c, p);
        rhs.swap(c, p);
        for r in 0..k {
            if r != c && !rows[r][c].is_zero() {
                let f = &rows[r][c] / &rows[c][c];
                let pivot_row = rows[c].clone();
                for (e, p) in rows[r].iter_mut().zip(&pivot_row) {
                    *e -= &f * p;
                }
                let d = &f * &rhs[c];
                rhs[r] -= d;
            }
        }
    }
    Some((0..k).map(|c| &rhs[c] / &rows[c][c]).collect())
}

/// Vertices of `{ z ≥ 0 : C z ≤ 1 }` (`C`: rows × dims) by brute force,
/// with their label sets: label `k < dims` for `z_k = 0`, `dims + r` for
/// row `r` tight.
fn brute_vertices(
    rows: usize,
    dims: usize,
    c: &[Rational],
) -> Vec<(Vec<Rational>, BTreeSet<usize>)> {
    let total = rows + dims;
    let mut out: Vec<(Vec<Rational>, BTreeSet<usize>)> = Vec::new();
    for mask in 0u32..(1 << total) {
        if mask.count_ones() as usize != dims {
            continue;
        }
        let mut eqs = Vec::new();
        let mut rhs = Vec::new();
        for l in 0..total {
            if mask >> l & 1 == 1 {
                if l < dims {
                    let mut e = vec![Rational::zero(); dims];
                    e[l] = Rational::one();
                    eqs.push(e);
                    rhs.push(Rational::zero());
                } else {
                    let r = l - dims;
                    eqs.push(c[r * dims..(r + 1) * dims].to_vec());
                    rhs.push(Rational::one());
                }
            }
        }
        let Some(z) = solve(eqs, rhs) else { continue };
        if z.iter().any(|v| *v < Rational::zero()) {
            continue;
        }
        let mut labels = BTreeSet::new();
        let mut feasible = true;
        for (k, v) in z.iter().enumerate() {
            if v.is_zero() {
                labels.insert(k);
            }
        }
        for r in 0..rows {
            let s: Rational = (0..dims).map(|k| &c[r * dims + k] * &z[k]).sum();
            if s > Rational::one() {
                feasible = false;
            } else if s == Rational::one() {
                labels.insert(dims + r);
            }
        }
        if feasible && !out.iter().any(|(w, _)| *w == z) {
            out.push((z, labels));
        }
    }
    out
}

fn normalise(z: &[Rational]) -> Vec<Rational> {
    let s: Rational = z.iter().sum();
    z.iter().map(|v| v / &s).collect()
}

/// Extreme equilibria by brute force over all vertex pairs.
fn brute_equilibria(m: usize, n: usize, a: &[Rational], b: &[Rational]) -> BTreeSet<Profile> {
    let amin = a.iter().min().cloned().unwrap_or_else(Rational::zero);
    let bmin = b.iter().min().cloned().unwrap_or_else(Rational::zero);
    // P: rows n, dims m, C[j][i] = B[i][j] shifted.
    let pc: Vec<Rational> = (0..n)
        .flat_map(|j| (0..m).map(move |i| (i, j)))
        .map(|(i, j)| &b[i * n + j] - &bmin + Rational::one())
        .collect();
    let qc: Vec<Rational> = a.iter().map(|v| v - &amin + Rational::one()).collect();
    let pv = brute_vertices(n, m, &pc);
    let qv = brute_vertices(m, n, &qc);
    let mut out = BTreeSet::new();
    for (x, lx) in &pv {
        if x.iter().all(Zero::is_zero) {
            continue;
        }
        // P labels: k < m is x_k = 0 (label k); m + j is column j tight.
        for (y, ly) in &qv {
            if y.iter().all(Zero::is_zero) {
                continue;
            }
            // Q labels: k < n is y_k = 0 (game label m + k); n + i is row i
            // tight (game label i).
            let complete = (0..m).all(|i| lx.contains(&i) || ly.contains(&(n + i)))
                && (0..n).all(|j| lx.contains(&(m + j)) || ly.contains(&j));
            if complete {
                out.insert((normalise(x), normalise(y)));
            }
        }
    }
    out
}

fn payoffs(max: i64, len: usize) -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(0..=max, len)
}

fn game_strategy() -> impl Strategy<Value = (usize, usize, Vec<i64>, Vec<i64>)> {
    (1usize..=5, 1usize..=4, 1i64..=6)
        .prop_flat_map(|(m, n, max)| (Just(m), Just(n), payoffs(max, m * n), payoffs(max, m * n)))
}

/// Checks `enummixed` on one game against the brute-force oracle.
fn check_game(m: usize, n: usize, a: &[Rational], b: &[Rational]) -> Result<(), TestCaseError> {
    let g = game(m, n, a, b);
    let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).expect("solves");
    let got: Vec<Profile> = r
        .equilibria
        .iter()
        .map(|e| (e.profile[0].clone(), e.profile[1].clone()))
        .collect();
    for (x, y) in &got {
        prop_assert!(
            max_regret(m, n, a, b, x, y).is_zero(),
            "positive regret at {:?} {:?}",
            x,
            y
        );
        prop_assert_eq!(x.iter().sum::<Rational>(), Rational::one());
        prop_assert_eq!(y.iter().sum::<Rational>(), Rational::one());
    }
    let set: BTreeSet<Profile> = got.iter().cloned().collect();
    prop_assert_eq!(set.len(), got.len(), "duplicates");
    prop_assert_eq!(set, brute_equilibria(m, n, a, b));
    prop_assert!(!got.is_empty());
    // Cliques cover every extreme equilibrium and contain only equilibria.
    for (k, &(ri, ci)) in r.pairs.iter().enumerate() {
        prop_assert_eq!(&r.row_strategies[ri], &got[k].0);
        prop_assert_eq!(&r.col_strategies[ci], &got[k].1);
        prop_assert!(r
            .cliques
            .iter()
            .any(|c| c.rows.contains(&ri) && c.cols.contains(&ci)));
    }
    for c in &r.cliques {
        for &ri in &c.rows {
            for &ci in &c.cols {
                prop_assert!(r.pairs.contains(&(ri, ci)));
            }
        }
    }
    // One thread or two: the same answer in the same order.
    let seq = EnumMixedOptions {
        parallel: false,
        ..EnumMixedOptions::default()
    };
    let r1 = enummixed::<Rational>(&g, &seq).expect("solves");
    prop_assert_eq!(&r1.equilibria, &r.equilibria);
    prop_assert_eq!(&r1.cliques, &r.cliques);
    let f = enummixed::<f64>(&g, &EnumMixedOptions::default()).expect("solves");
    prop_assert_eq!(f.equilibria.len(), r.equilibria.len());
    for (ef, er) in f.equilibria.iter().zip(&r.equilibria) {
        for (pf, pr) in ef.profile.iter().zip(&er.profile) {
            for (vf, vr) in pf.iter().zip(pr) {
                prop_assert!((vf - vr.to_f64()).abs() < 1e-12);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Small payoff ranges make most of these games degenerate.
    #[test]
    fn matches_brute_force_with_zero_regret((m, n, a, b) in game_strategy()) {
        let a: Vec<Rational> = a.into_iter().map(rat).collect();
        let b: Vec<Rational> = b.into_iter().map(rat).collect();
        check_game(m, n, &a, &b)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Payoffs around 10^12 with small distinct parts: tableau entries fit
    /// in 128 bits but their products do not (the 256-bit path).
    #[test]
    fn large_payoffs_match_brute_force((m, n, a, b) in game_strategy(), scale in 0i64..3) {
        let big = rat(1_000_000_000_000 + scale);
        let a: Vec<Rational> = a.iter().enumerate().map(|(k, &v)| &big * rat(v) + rat(k as i64 % 3)).collect();
        let b: Vec<Rational> = b.iter().enumerate().map(|(k, &v)| &big * rat(v) + rat(k as i64 % 2)).collect();
        check_game(m, n, &a, &b)?;
    }

    /// Payoffs around 10^40 with small distinct parts: every tableau entry
    /// overflows machine integers, exercising the big-integer path.
    #[test]
    fn huge_payoffs_match_brute_force((m, n, a, b) in game_strategy(), scale in 0i64..3) {
        let big = Rational::from_integer(num_bigint::BigInt::from(10).pow(40)) + rat(scale);
        let a: Vec<Rational> = a.iter().enumerate().map(|(k, &v)| &big * rat(v) + rat(k as i64 % 3)).collect();
        let b: Vec<Rational> = b.iter().enumerate().map(|(k, &v)| &big * rat(v) + rat(k as i64 % 2)).collect();
        check_game(m, n, &a, &b)?;
    }
}

#[test]
fn brute_force_oracle_sanity() {
    let r = |v: &[i64]| v.iter().map(|&x| rat(x)).collect::<Vec<_>>();
    // Battle of the sexes: 3 equilibria.
    assert_eq!(
        brute_equilibria(2, 2, &r(&[2, 0, 0, 1]), &r(&[1, 0, 0, 2])).len(),
        3
    );
    // All-zero 2x2: 4 pure equilibria.
    assert_eq!(brute_equilibria(2, 2, &r(&[0; 4]), &r(&[0; 4])).len(), 4);
}

/// More than 128 labels: label sets no longer fit in one machine word.
#[test]
fn wide_games_use_large_label_sets() {
    let (m, n) = (2, 130);
    let zero = vec![Rational::zero(); m * n];
    let g = game(m, n, &zero, &zero);
    let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).expect("solves");
    // Every pure profile is an extreme equilibrium; one Nash subset.
    assert_eq!(r.equilibria.len(), m * n);
    assert_eq!(r.cliques.len(), 1);
    // A generic wide game: row player's payoff equal to the column index
    // parity, column player prefers column 77 against row 0 and 3 against
    // row 1.
    let a: Vec<Rational> = (0..m * n).map(|k| rat((k % n) as i64 % 2)).collect();
    let b: Vec<Rational> = (0..m * n)
        .map(|k| {
            let (i, j) = (k / n, k % n);
            rat(if (i == 0 && j == 77) || (i == 1 && j == 3) {
                5
            } else {
                0
            })
        })
        .collect();
    let g = game(m, n, &a, &b);
    let r = enummixed::<Rational>(&g, &EnumMixedOptions::default()).expect("solves");
    for e in &r.equilibria {
        let (x, y) = (&e.profile[0], &e.profile[1]);
        assert!(max_regret(m, n, &a, &b, x, y).is_zero());
    }
    // (row 1, col 77), (row 2, col 3), and the half-half mix against each;
    // Nash subsets {row 1, mix} x {col 77}, {row 2, mix} x {col 3} and
    // {mix} x {col 3, col 77}.
    assert_eq!(r.equilibria.len(), 4);
    let mut sizes: Vec<(usize, usize)> = r
        .cliques
        .iter()
        .map(|c| (c.rows.len(), c.cols.len()))
        .collect();
    sizes.sort();
    assert_eq!(sizes, vec![(1, 2), (2, 1), (2, 1)]);
}
