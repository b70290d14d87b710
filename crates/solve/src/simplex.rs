//! A small dense primal simplex method for `max cᵀx` subject to `Ax ≤ b`,
//! `x ≥ 0`, with `b ≥ 0` (so the slack basis is feasible and no phase 1 is
//! needed), used by [`crate::lp`] and [`crate::dominance`].
//!
//! References: G. B. Dantzig, "Maximization of a linear function of
//! variables subject to linear inequalities" (1951), in *Activity Analysis
//! of Production and Allocation*; R. G. Bland, "New finite pivoting rules
//! for the simplex method", *Mathematics of Operations Research* 2 (1977)
//! 103–107 (the smallest-index rule used here, which never cycles).
//!
//! Exact runs pivot on integers ([`crate::tableau`]); the optimal value,
//! primal and dual solutions are returned as exact rationals.

use crate::tableau::{to_integers, TabNum, Tableau};
use detente_game::{Rational, Scalar};
use num_bigint::BigInt;
use num_traits::Zero;
use std::cmp::Ordering;

/// An optimal solution.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LpSolution {
    pub value: Rational,
    /// `x`, one per column of `A`.
    pub primal: Vec<Rational>,
    /// Optimal dual prices `y ≥ 0`, one per row of `A` (`Aᵀy ≥ c`, `bᵀy`
    /// equal to the value).
    pub dual: Vec<Rational>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LpError {
    Unbounded,
    Budget,
    /// Floating-point result not finite.
    Numeric,
}

/// Solves `max cᵀx, Ax ≤ b, x ≥ 0` (`A` row-major `m × n`, `b ≥ 0`) with
/// exact integer pivoting when `exact`, in `f64` otherwise.
pub(crate) fn maximize(
    m: usize,
    n: usize,
    a: &[Rational],
    b: &[Rational],
    c: &[Rational],
    exact: bool,
) -> Result<LpSolution, LpError> {
    match maximize_until(m, n, a, b, c, exact, None)? {
        LpOutcome::Optimal(sol) => Ok(sol),
        LpOutcome::Reached => Err(LpError::Numeric),
    }
}

/// Result of [`maximize_until`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LpOutcome {
    Optimal(LpSolution),
    /// A feasible point with objective `≥ stop` was found (the optimum is
    /// at least `stop`); the simplex method was stopped there.
    Reached,
}

/// Like [`maximize`], but stops as soon as the objective reaches `stop`
/// (when given), which is all a caller asking "is the optimum below
/// `stop`?" needs.
pub(crate) fn maximize_until(
    m: usize,
    n: usize,
    a: &[Rational],
    b: &[Rational],
    c: &[Rational],
    exact: bool,
    stop: Option<&Rational>,
) -> Result<LpOutcome, LpError> {
    debug_assert!(b.iter().all(|v| *v >= Rational::zero()));
    if exact {
        // One common positive scale keeps x and y; the value scales.
        let mut all: Vec<Rational> = Vec::with_capacity(a.len() + b.len() + c.len());
        all.extend_from_slice(a);
        all.extend_from_slice(b);
        all.extend_from_slice(c);
        let ints = to_integers(&all);
        let scale = if let Some((v, i)) = all.iter().zip(&ints).find(|(v, _)| !v.is_zero()) {
            Rational::from_integer(i.clone()) / v
        } else {
            Rational::from_integer(1.into())
        };
        let (ia, rest) = ints.split_at(a.len());
        let (ib, ic) = rest.split_at(b.len());
        let threshold = stop.map(|s| {
            let t = s * &scale;
            (t.numer().clone(), t.denom().clone())
        });
        let mut out = solve::<BigInt>(m, n, ia, ib, ic, threshold)?;
        if let LpOutcome::Optimal(sol) = &mut out {
            sol.value /= scale;
        }
        Ok(out)
    } else {
        let f = |v: &[Rational]| -> Vec<f64> { v.iter().map(Scalar::to_f64).collect() };
        let threshold = stop.map(|s| (s.to_f64(), 1.0));
        solve::<f64>(m, n, &f(a), &f(b), &f(c), threshold)
    }
}

fn solve<N: TabNum>(
    m: usize,
    n: usize,
    a: &[N],
    b: &[N],
    c: &[N],
    stop: Option<(N, N)>,
) -> Result<LpOutcome, LpError> {
    let cols = n + m + 1;
    let mut data = vec![N::zero(); (m + 1) * cols];
    for i in 0..m {
        for j in 0..n {
            data[i * cols + j] = a[i * n + j].clone();
        }
        data[i * cols + n + i] = N::one();
        data[i * cols + n + m] = b[i].clone();
    }
    for j in 0..n {
        // Objective row holds -c.
        data[m * cols + j] = c[j].negate();
    }
    let mut t = Tableau::new(m, cols, data, (n..n + m).collect());
    let budget = 1_000_000usize;
    // Dantzig's rule (most negative reduced cost) first; after this many
    // pivots, Bland's rule, which terminates from any basis.
    let switch = 20 * (m + n);
    for pivots in 0..budget {
        if let Some((num, den)) = &stop {
            if N::cmp_ratio(t.at(m, n + m), &t.det, num, den) != Ordering::Less {
                return Ok(LpOutcome::Reached);
            }
        }
        let entering = if pivots < switch {
            let mut best: Option<usize> = None;
            for j in 0..n + m {
                if t.at(m, j).is_neg()
                    && best.is_none_or(|k| {
                        N::cmp_ratio(t.at(m, j), &N::one(), t.at(m, k), &N::one()) == Ordering::Less
                    })
                {
                    best = Some(j);
                }
            }
            best
        } else {
            (0..n + m).find(|&j| t.at(m, j).is_neg())
        };
        let Some(e) = entering else {
            return extract(&t, m, n).map(LpOutcome::Optimal);
        };
        let mut best: Option<usize> = None;
        for i in 0..m {
            if !t.at(i, e).is_pos() {
                continue;
            }
            best = match best {
                None => Some(i),
                Some(k) => match N::cmp_ratio(t.rhs(i), t.at(i, e), t.rhs(k), t.at(k, e)) {
                    Ordering::Less => Some(i),
                    Ordering::Equal if t.basis[i] < t.basis[k] => Some(i),
                    _ => Some(k),
                },
            };
        }
        let r = best.ok_or(LpError::Unbounded)?;
        t.pivot(r, e);
    }
    Err(LpError::Budget)
}

fn extract<N: TabNum>(t: &Tableau<N>, m: usize, n: usize) -> Result<LpSolution, LpError> {
    let value = N::ratio_to_rational(t.at(m, n + m), &t.det).ok_or(LpError::Numeric)?;
    let mut primal = vec![Rational::zero(); n];
    for (r, &col) in t.basis.iter().enumerate() {
        if col < n {
            primal[col] = N::ratio_to_rational(t.rhs(r), &t.det).ok_or(LpError::Numeric)?;
        }
    }
    let dual = (0..m)
        .map(|i| N::ratio_to_rational(t.at(m, n + i), &t.det).ok_or(LpError::Numeric))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(LpSolution {
        value,
        primal,
        dual,
    })
}
