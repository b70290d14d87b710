//! Baselines: the weighted mean ("compromise model") and the weighted median.
//!
//! The compromise model of Achen in Thomson, Stokman, Achen & König (eds.),
//! *The European Union Decides* (Cambridge UP, 2006) forecasts
//! `O = Σ c_i s_i x_i / Σ c_i s_i`; it is also the exchange model's "NBS" and
//! KTAB's effective-power weighting. The weighted median is the median voter
//! position with weights `c_i s_i`; with linear (distance) utilities on one
//! issue it is the Condorcet winner among the actors' positions whenever one
//! exists (Black 1948), which is the "median voter position" of the expected
//! utility model (Bueno de Mesquita 1994).

use serde::Serialize;

/// What the weighted median does when the cumulative weight reaches exactly
/// half the total at a boundary between two positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MedianTie {
    /// The lower of the two positions (always one of the actors' positions).
    #[default]
    Lower,
    /// The midpoint of the two positions.
    Midpoint,
}

/// Weighted mean `Σ w_i x_i / Σ w_i`. With zero total weight, the plain mean
/// (`None` for no values).
pub fn weighted_mean(positions: &[f64], weights: &[f64]) -> Option<f64> {
    if positions.is_empty() {
        return None;
    }
    let total: f64 = weights.iter().sum();
    if total > 0.0 {
        Some(
            positions
                .iter()
                .zip(weights)
                .map(|(x, w)| x * w)
                .sum::<f64>()
                / total,
        )
    } else {
        Some(positions.iter().sum::<f64>() / positions.len() as f64)
    }
}

/// Weighted median: sort by position, accumulate weights; the smallest
/// position where the cumulative weight reaches half the total. When it
/// reaches exactly half at a position and more weight lies above, `tie`
/// decides. With zero total weight every actor counts 1.
pub fn weighted_median(positions: &[f64], weights: &[f64], tie: MedianTie) -> Option<f64> {
    if positions.is_empty() {
        return None;
    }
    let total: f64 = weights.iter().sum();
    let w = |k: usize| if total > 0.0 { weights[k] } else { 1.0 };
    let total = if total > 0.0 {
        total
    } else {
        positions.len() as f64
    };
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|&a, &b| positions[a].total_cmp(&positions[b]));
    // merge equal positions
    let mut groups: Vec<(f64, f64)> = Vec::new();
    for &k in &order {
        match groups.last_mut() {
            Some(g) if g.0 == positions[k] => g.1 += w(k),
            _ => groups.push((positions[k], w(k))),
        }
    }
    let half = total / 2.0;
    let mut cum = 0.0;
    let eps = 1e-12 * total;
    for (g, &(x, wx)) in groups.iter().enumerate() {
        cum += wx;
        if cum >= half - eps {
            if (cum - half).abs() <= eps && g + 1 < groups.len() && tie == MedianTie::Midpoint {
                return Some((x + groups[g + 1].0) / 2.0);
            }
            return Some(x);
        }
    }
    groups.last().map(|g| g.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_matches_decide_two_actor_case() {
        // decide/tests/test_rex.py: (0, s=10) and (100, s=60), c = 1
        let m = weighted_mean(&[0.0, 100.0], &[10.0, 60.0]).unwrap();
        assert!((m - (85.0 + 5.0 / 7.0)).abs() < 1e-12);
        let m = weighted_mean(&[0.0, 100.0], &[90.0, 50.0]).unwrap();
        assert!((m - (35.0 + 5.0 / 7.0)).abs() < 1e-12);
    }

    #[test]
    fn median_tie_rules() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let w = [1.0, 1.0, 1.0, 1.0];
        assert_eq!(weighted_median(&x, &w, MedianTie::Lower), Some(2.0));
        assert_eq!(weighted_median(&x, &w, MedianTie::Midpoint), Some(2.5));
        assert_eq!(
            weighted_median(&[5.0, 1.0, 9.0], &[1.0, 1.0, 5.0], MedianTie::Lower),
            Some(9.0)
        );
        assert_eq!(weighted_median(&[], &[], MedianTie::Lower), None);
        assert_eq!(
            weighted_median(&[3.0, 7.0], &[0.0, 0.0], MedianTie::Lower),
            Some(3.0)
        );
    }
}
