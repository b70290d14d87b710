//! Maximal Nash subsets ("cliques") of a two-player game.
//!
//! Two extreme equilibria `(x, y)` and `(x', y')` are compatible when
//! `(x, y')` and `(x', y)` are equilibria too; the convex hull of `X × Y` is
//! then a set of equilibria whenever every pair in `X × Y` is one (Winkels
//! 1979; Jansen 1981). The equilibrium set is the union of the maximal such
//! sets, which are the maximal bicliques of the bipartite graph joining row
//! extreme strategies to column extreme strategies that form an equilibrium
//! (Avis, Rosenberg, Savani & von Stengel 2010, Section 5). This is what
//! Gambit's `enummixed -c` reports.
//!
//! The maximal bicliques are the formal concepts of the graph: their column
//! sets are exactly the nonempty intersections of neighbourhoods of row
//! vertices. We close the family of neighbourhoods under intersection with a
//! work list (the output-sensitive closure of Ganter's concept lattice
//! algorithms, a bipartite form of Bron–Kerbosch), then attach to each column
//! set the rows adjacent to all of it.

use super::bits::{Bits, FxBuild};
use std::collections::HashSet;

/// A maximal convex set of equilibria: every mix of the listed row extreme
/// strategies against every mix of the listed column extreme strategies is
/// an equilibrium. Indices refer to `row_strategies` / `col_strategies` of
/// [`super::EnumMixedResult`]; both lists are sorted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clique {
    pub rows: Vec<usize>,
    pub cols: Vec<usize>,
}

/// All maximal bicliques with both sides nonempty of the bipartite graph with
/// `num_rows` row vertices, `num_cols` column vertices and edges `edges`
/// (row, col). Sorted by rows, then columns.
pub fn maximal_bicliques(
    num_rows: usize,
    num_cols: usize,
    edges: &[(usize, usize)],
) -> Vec<Clique> {
    let mut nbr: Vec<Bits> = (0..num_rows).map(|_| Bits::new(num_cols)).collect();
    for &(r, c) in edges {
        nbr[r].set(c);
    }
    let mut intents: HashSet<Bits, FxBuild> = HashSet::default();
    let mut work: Vec<Bits> = Vec::new();
    for n in &nbr {
        if !n.is_empty() && intents.insert(n.clone()) {
            work.push(n.clone());
        }
    }
    while let Some(i) = work.pop() {
        for n in &nbr {
            let j = i.and(n);
            if !j.is_empty() && !intents.contains(&j) {
                intents.insert(j.clone());
                work.push(j);
            }
        }
    }
    let mut out: Vec<Clique> = intents
        .into_iter()
        .map(|cols| Clique {
            rows: (0..num_rows)
                .filter(|&r| nbr[r].is_superset(&cols))
                .collect(),
            cols: cols.ones().collect(),
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_edge() {
        assert_eq!(
            maximal_bicliques(1, 1, &[(0, 0)]),
            vec![Clique {
                rows: vec![0],
                cols: vec![0]
            }]
        );
    }

    #[test]
    fn complete_bipartite_is_one_clique() {
        let edges: Vec<_> = (0..2).flat_map(|r| (0..3).map(move |c| (r, c))).collect();
        let cl = maximal_bicliques(2, 3, &edges);
        assert_eq!(cl.len(), 1);
        assert_eq!(cl[0].rows, vec![0, 1]);
        assert_eq!(cl[0].cols, vec![0, 1, 2]);
    }

    #[test]
    fn path_gives_two_cliques() {
        // r0 - c0 - r1 - c1 : maximal bicliques {r0,r1}x{c0} and {r1}x{c0,c1}.
        let cl = maximal_bicliques(2, 2, &[(0, 0), (1, 0), (1, 1)]);
        assert_eq!(
            cl,
            vec![
                Clique {
                    rows: vec![0, 1],
                    cols: vec![0]
                },
                Clique {
                    rows: vec![1],
                    cols: vec![0, 1]
                }
            ]
        );
    }

    #[test]
    fn isolated_vertices_are_ignored() {
        assert!(maximal_bicliques(3, 3, &[]).is_empty());
    }
}
