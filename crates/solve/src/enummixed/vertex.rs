//! Exact vertex enumeration of a best-response polytope
//! `{ z ≥ 0 : C z ≤ 1 }` with a positive integer matrix `C`.
//!
//! The polytope is written in standard form `[C | I] (z, s) = 1`,
//! `(z, s) ≥ 0`; its vertices are the basic feasible solutions, and the
//! origin (all slacks basic) is a nondegenerate starting vertex. Degeneracy
//! is handled by the lexicographic perturbation of the right-hand side,
//! `1 + (ε, ε², …)` (Dantzig, Orden & Wolfe 1955): the perturbed polytope is
//! simple, each of its vertices is a *lex-feasible* basis, every vertex of the
//! original polytope has at least one, and adjacent lex-feasible bases are
//! joined by the pivots of the lexicographic minimum-ratio rule.
//!
//! The lex-feasible bases are visited by reverse search (Avis & Fukuda 1992;
//! lrs, Avis 2000), without storing them: minimising `Σ z_k` has the origin
//! as its unique optimal basis, and the simplex method with the smallest
//! improving variable entering (Bland's rule) and the lexicographic ratio test
//! leaving defines a parent for every other basis, hence a spanning tree
//! rooted at the origin. The search walks this tree depth first: a pivot
//! `(r, c)` leads to a child exactly when the simplex rule applied to the
//! resulting basis would pivot straight back, which is checked on the current
//! dictionary's objective row without pivoting. Backtracking restores a
//! saved copy of the parent's dictionary (cheaper than pivoting back). The
//! ratio test first compares the ratios in floating point, with a margin
//! that makes the filter exact, and compares exactly only the near-ties.
//! A nondegenerate vertex has a single basis and is reported when its basis
//! is reached; degenerate vertices (more tight constraints than the
//! dimension) are deduplicated through a set of their label sets.
//!
//! Arithmetic is fraction-free integer pivoting (Edmonds 1967; Bareiss 1968):
//! the dictionary is `det(B) · B⁻¹ [C I | 1]` restricted to the nonbasic
//! columns, every entry is a minor of the constraint matrix, and each pivot
//! divides exactly by the previous determinant. Entries are hybrid
//! `Int`s, so small games run on machine integers.

use super::bits::{Bits, FxBuild};
use super::int::{Divisor, Int};
use crate::budget::Watch;
use crate::equilibrium::SolveError;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::time::Instant;

/// Limits on one enumeration.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_vertices: Option<usize>,
    pub max_bases: Option<usize>,
    pub deadline: Option<Instant>,
    /// Progress (bases visited) and stop requests of the run, looked at
    /// when the clock is.
    pub watch: Option<Watch>,
}

/// Work done by one enumeration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Distinct vertices, the origin included.
    pub vertices: usize,
    /// Lex-feasible bases visited.
    pub bases: usize,
    /// Pivots performed (each base is entered by one pivot; backtracking
    /// restores a saved copy instead of pivoting back).
    pub pivots: usize,
}

/// A vertex as reported to the caller.
pub struct VertexRef<'a> {
    /// Tight constraints, in the caller's label numbering.
    pub labels: &'a Bits,
    dict: &'a Dictionary,
}

impl VertexRef<'_> {
    /// Is this the origin (every structural coordinate zero)?
    pub fn is_origin(&self) -> bool {
        (0..self.dict.dims).all(|k| match self.dict.loc[k] {
            Loc::Basic(i) => self.dict.at(i, 0).is_zero(),
            Loc::Nonbasic(_) => true,
        })
    }
}

#[derive(Clone, Copy, Debug)]
enum Loc {
    Basic(usize),
    Nonbasic(usize),
}

struct Dictionary {
    rows: usize,
    dims: usize,
    /// `(rows + 1) × (dims + 1)`: column 0 is the right-hand side, column
    /// `1 + c` the nonbasic variable `cobasis[c]`; row `rows` is the objective
    /// `w = Σ z_k`, written like the others (`w = (t[0] − Σ t[1+c] x_c) / det`),
    /// so a nonbasic variable improves (lowers) `w` when its entry is positive.
    t: Vec<Int>,
    det: Int,
    basis: Vec<usize>,
    cobasis: Vec<usize>,
    loc: Vec<Loc>,
    /// The right-hand side in floating point (for the ratio test's filter).
    rhs_f: Vec<f64>,
    zero: Int,
}

impl Clone for Dictionary {
    fn clone(&self) -> Self {
        Dictionary {
            rows: self.rows,
            dims: self.dims,
            t: self.t.clone(),
            det: self.det.clone(),
            basis: self.basis.clone(),
            cobasis: self.cobasis.clone(),
            loc: self.loc.clone(),
            rhs_f: self.rhs_f.clone(),
            zero: Int::zero(),
        }
    }
    /// Field by field, reusing the allocations (the search saves and
    /// restores dictionaries at every step).
    fn clone_from(&mut self, src: &Self) {
        self.rows = src.rows;
        self.dims = src.dims;
        self.t.clone_from(&src.t);
        self.det.clone_from(&src.det);
        self.basis.clone_from(&src.basis);
        self.cobasis.clone_from(&src.cobasis);
        self.loc.clone_from(&src.loc);
        self.rhs_f.clone_from(&src.rhs_f);
    }
}

impl Dictionary {
    /// The origin: `coef` is `rows × dims`, row-major, positive.
    fn origin(rows: usize, dims: usize, coef: &[Int]) -> Self {
        let w = dims + 1;
        let mut t = Vec::with_capacity((rows + 1) * w);
        for i in 0..rows {
            t.push(Int::from_i128(1));
            t.extend(coef[i * dims..(i + 1) * dims].iter().cloned());
        }
        t.push(Int::zero());
        t.extend((0..dims).map(|_| Int::from_i128(-1)));
        let mut loc = Vec::with_capacity(rows + dims);
        loc.extend((0..dims).map(Loc::Nonbasic));
        loc.extend((0..rows).map(Loc::Basic));
        Dictionary {
            rows,
            dims,
            t,
            det: Int::from_i128(1),
            basis: (dims..dims + rows).collect(),
            cobasis: (0..dims).collect(),
            loc,
            rhs_f: vec![1.0; rows],
            zero: Int::zero(),
        }
    }

    fn at(&self, i: usize, j: usize) -> &Int {
        &self.t[i * (self.dims + 1) + j]
    }

    /// Entry of row `i` in the column of slack `s` of the full tableau.
    fn slack_entry(&self, i: usize, s: usize) -> &Int {
        match self.loc[self.dims + s] {
            Loc::Basic(p) => {
                if p == i {
                    &self.det
                } else {
                    &self.zero
                }
            }
            Loc::Nonbasic(c) => self.at(i, 1 + c),
        }
    }

    /// Is row `i` lexicographically smaller than row `k` after dividing each
    /// by its entry in column `col`? (Both entries are positive.)
    fn lex_less(&self, i: usize, k: usize, col: usize) -> bool {
        let pi = self.at(i, 1 + col);
        let pk = self.at(k, 1 + col);
        match Int::cmp_products(self.at(i, 0), pk, self.at(k, 0), pi) {
            Ordering::Less => return true,
            Ordering::Greater => return false,
            Ordering::Equal => {}
        }
        for s in 0..self.rows {
            match Int::cmp_products(self.slack_entry(i, s), pk, self.slack_entry(k, s), pi) {
                Ordering::Less => return true,
                Ordering::Greater => return false,
                Ordering::Equal => {}
            }
        }
        false
    }

    /// Leaving row of the lexicographic minimum-ratio test for entering
    /// column `col`; `None` if the column has no positive entry (an
    /// unbounded edge, impossible for a polytope).
    ///
    /// A floating-point pass finds the rows whose ratio `rhs / entry` can be
    /// the minimum (each ratio is within 3 roundings of the exact one, so a
    /// row whose float ratio exceeds the smallest by a relative 1e-12 is
    /// certainly not minimal); usually one row remains and no exact
    /// comparison is needed. The others are compared exactly.
    fn ratio_row(&self, col: usize, cand: &mut Vec<(usize, f64)>) -> Option<usize> {
        cand.clear();
        let mut min = f64::INFINITY;
        let mut finite = true;
        for i in 0..self.rows {
            let p = self.at(i, 1 + col);
            if !p.is_positive() {
                continue;
            }
            let f = self.rhs_f[i] / p.to_f64();
            finite &= f.is_finite();
            min = min.min(f);
            cand.push((i, f));
        }
        if finite {
            let bound = min * (1.0 + 1e-12);
            cand.retain(|&(_, f)| f <= bound);
        }
        let mut best: Option<usize> = None;
        for &(i, _) in cand.iter() {
            best = match best {
                None => Some(i),
                Some(k) if self.lex_less(i, k, col) => Some(i),
                keep => keep,
            };
        }
        best
    }

    /// Integer pivot on row `r`, nonbasic column `s` (entry must be positive).
    fn pivot(&mut self, r: usize, s: usize) {
        let w = self.dims + 1;
        let p = self.t[r * w + 1 + s].clone();
        let d = std::mem::replace(&mut self.det, Int::zero());
        let div = Divisor::new(&d);
        let same = p == d;
        let (before, rest) = self.t.split_at_mut(r * w);
        let (row_r, after) = rest.split_at_mut(w);
        let row_r: &[Int] = row_r;
        for row in before.chunks_exact_mut(w).chain(after.chunks_exact_mut(w)) {
            let a_is = std::mem::replace(&mut row[1 + s], Int::zero());
            if a_is.is_zero() {
                if !same {
                    Int::scale_row(row, &p, &div, 1 + s);
                }
            } else {
                Int::pivot_row(row, row_r, &p, &a_is, &div, 1 + s);
                row[1 + s] = a_is.neg();
            }
        }
        self.t[r * w + 1 + s] = d;
        self.det = p;
        let entering = self.cobasis[s];
        let leaving = self.basis[r];
        self.basis[r] = entering;
        self.cobasis[s] = leaving;
        self.loc[entering] = Loc::Basic(r);
        self.loc[leaving] = Loc::Nonbasic(s);
        for i in 0..self.rows {
            self.rhs_f[i] = self.t[i * w].to_f64();
        }
    }

    /// Does the pivot `(r, c)` lead to a child in the reverse-search tree,
    /// i.e. would the simplex rule (smallest improving variable enters) at
    /// the new basis choose the variable leaving now? Evaluated on the
    /// current dictionary: after the pivot, the objective entry of column
    /// `j ≠ c` is `(o_j·p − o_c·t_rj)/d` and that of column `c` is `−o_c`.
    fn is_child(&self, r: usize, c: usize) -> bool {
        let o = self.rows;
        let o_c = self.at(o, 1 + c);
        if !o_c.is_negative() {
            return false;
        }
        let leaving = self.basis[r];
        let p = self.at(r, 1 + c);
        (0..self.dims).all(|j| {
            j == c
                || self.cobasis[j] > leaving
                || Int::cmp_products(self.at(o, 1 + j), p, o_c, self.at(r, 1 + j))
                    != Ordering::Greater
        })
    }

    /// Tight constraints of the current vertex, as labels.
    fn labels(&self, label_of: &[usize]) -> Bits {
        let mut b = Bits::new(self.rows + self.dims);
        for &v in &self.cobasis {
            b.set(label_of[v]);
        }
        for (i, &v) in self.basis.iter().enumerate() {
            if self.at(i, 0).is_zero() {
                b.set(label_of[v]);
            }
        }
        b
    }
}

/// Enumerates the vertices of `{ z ∈ ℝ^dims : z ≥ 0, coef · z ≤ 1 }`
/// (`coef`: `rows × dims`, row-major, every entry positive), calling
/// `on_vertex` once per distinct vertex, the origin first. Variable `k`
/// (structural `0..dims`, then the slack of row `i` as `dims + i`) carries
/// label `label_of[k]`. `what` names the polytope in budget errors. The
/// work done goes into `counts`, which keeps it when a limit or a stop
/// request ends the enumeration with an error.
#[allow(clippy::too_many_arguments)]
pub fn enumerate<F>(
    rows: usize,
    dims: usize,
    coef: &[Int],
    label_of: &[usize],
    limits: &Limits,
    what: &str,
    counts: &mut Counts,
    mut on_vertex: F,
) -> Result<(), SolveError>
where
    F: FnMut(VertexRef<'_>) -> Result<(), SolveError>,
{
    let mut dict = Dictionary::origin(rows, dims, coef);
    let mut seen_degenerate: HashSet<Bits, FxBuild> = HashSet::default();

    let mut visit = |dict: &Dictionary, counts: &mut Counts| -> Result<(), SolveError> {
        let labels = dict.labels(label_of);
        if labels.count() > dims {
            // Degenerate: other bases may show the same vertex.
            if seen_degenerate.contains(&labels) {
                return Ok(());
            }
            seen_degenerate.insert(labels.clone());
        }
        counts.vertices += 1;
        if let Some(max) = limits.max_vertices {
            if counts.vertices > max {
                return Err(SolveError::Budget(format!(
                    "enummixed: {what} has more than {max} vertices (the max_vertices limit)"
                )));
            }
        }
        on_vertex(VertexRef {
            labels: &labels,
            dict,
        })
    };

    counts.bases = 1;
    visit(&dict, counts)?;

    // Depth-first reverse search; each frame is a copy of the parent's
    // dictionary and the next column to try there. Restoring the copy is
    // much cheaper than pivoting back (a copy moves the entries, a pivot
    // recomputes every one of them); spare copies are reused.
    let mut stack: Vec<(Dictionary, usize)> = Vec::new();
    let mut spare: Vec<Dictionary> = Vec::new();
    let mut cand: Vec<(usize, f64)> = Vec::new();
    let mut next_col = 0usize;
    loop {
        if next_col < dims {
            let col = next_col;
            next_col += 1;
            // Only a variable that worsens the objective can lead to a child.
            if !dict.at(rows, 1 + col).is_negative() {
                continue;
            }
            let row = dict.ratio_row(col, &mut cand).ok_or_else(|| {
                SolveError::NotApplicable(format!(
                    "enummixed: {what} is unbounded (internal error: payoffs were not made positive)"
                ))
            })?;
            if !dict.is_child(row, col) {
                continue;
            }
            counts.bases += 1;
            if let Some(max) = limits.max_bases {
                if counts.bases > max {
                    return Err(SolveError::Budget(format!(
                        "enummixed: {what} has more than {max} lexicographic bases (the max_bases limit)"
                    )));
                }
            }
            if counts.bases % 256 == 0 {
                if let Some(w) = &limits.watch {
                    w.add_steps(256);
                    if w.stop_requested() {
                        return Err(SolveError::Budget(format!(
                            "enummixed: stopped (stop requested) while enumerating {what} ({} vertices so far)",
                            counts.vertices
                        )));
                    }
                }
                if let Some(deadline) = limits.deadline {
                    if Instant::now() > deadline {
                        return Err(SolveError::Budget(format!(
                            "enummixed: time limit reached while enumerating {what} ({} vertices so far)",
                            counts.vertices
                        )));
                    }
                }
            }
            let saved = match spare.pop() {
                Some(mut d) => {
                    d.clone_from(&dict);
                    d
                }
                None => dict.clone(),
            };
            stack.push((saved, next_col));
            dict.pivot(row, col);
            counts.pivots += 1;
            visit(&dict, counts)?;
            next_col = 0;
        } else {
            match stack.pop() {
                None => break,
                Some((parent, resume)) => {
                    spare.push(std::mem::replace(&mut dict, parent));
                    next_col = resume;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i128]) -> Vec<Int> {
        v.iter().map(|&x| Int::from_i128(x)).collect()
    }

    fn no_limits() -> Limits {
        Limits {
            max_vertices: None,
            max_bases: None,
            deadline: None,
            watch: None,
        }
    }

    #[test]
    fn square_has_four_vertices() {
        // x ≤ 1, y ≤ 1 as rows (1,0), (0,1).
        let coef = ints(&[1, 0, 0, 1]);
        let mut found = Vec::new();
        let mut counts = Counts::default();
        let lim = no_limits();
        enumerate(
            2,
            2,
            &coef,
            &[0, 1, 2, 3],
            &lim,
            "square",
            &mut counts,
            |v| {
                found.push(v.labels.ones().collect::<Vec<_>>());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(counts.vertices, 4);
        found.sort();
        assert_eq!(found, vec![vec![0, 1], vec![0, 3], vec![1, 2], vec![2, 3]]);
    }

    #[test]
    fn degenerate_pyramid() {
        // Simplex x+y+z ≤ 1 written three times plus x ≤ 1: the vertex
        // (1,0,0) has 6 tight constraints. Vertices: origin and 3 units.
        let coef = ints(&[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
        let label_of: Vec<usize> = (0..7).collect();
        let mut n = 0;
        let mut counts = Counts::default();
        enumerate(
            4,
            3,
            &coef,
            &label_of,
            &no_limits(),
            "p",
            &mut counts,
            |_| {
                n += 1;
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(n, 4);
        assert_eq!(counts.vertices, 4);
        assert!(counts.bases >= 4);
    }

    #[test]
    fn budget_is_reported() {
        let coef = ints(&[1, 0, 0, 1]);
        let limits = Limits {
            max_vertices: Some(2),
            ..no_limits()
        };
        let mut counts = Counts::default();
        let err = enumerate(
            2,
            2,
            &coef,
            &[0, 1, 2, 3],
            &limits,
            "square",
            &mut counts,
            |_| Ok(()),
        );
        assert!(matches!(err, Err(SolveError::Budget(_))));
        // The vertices met before the limit are counted.
        assert_eq!(counts.vertices, 3);
    }
}
