//! Bargaining problems: two or more parties, a finite list of deals (payoff
//! vectors, e.g. the outcomes of a game), the feasible set they span (their
//! convex hull, with free disposal: any payoff vector dominated by a mixture
//! of deals is feasible) and a disagreement point `d`. The solutions are in
//! [`crate::nash_bargaining`], [`crate::kalai_smorodinsky`] and
//! [`crate::egalitarian`]; this module holds the problem, the Pareto
//! frontier, the zone of possible agreement and one-issue reservation-point
//! bargaining.

use crate::simplex::{solve, LpOutcome};
use detente_game::{format_rational, GameError, NormalFormGame, Rational};
use num_traits::{One, Signed, Zero};

/// A named deal: one payoff per party.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub name: String,
    pub payoffs: Vec<Rational>,
}

/// A bargaining problem.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainingProblem {
    pub parties: Vec<String>,
    pub deals: Vec<Deal>,
    /// The disagreement point (what each party gets with no deal).
    pub disagreement: Vec<Rational>,
    /// Bargaining powers for the asymmetric Nash solution (positive; all 1
    /// for the symmetric solution).
    pub powers: Vec<Rational>,
}

impl BargainingProblem {
    /// Builds and validates a problem.
    pub fn new(
        parties: Vec<String>,
        deals: Vec<Deal>,
        disagreement: Vec<Rational>,
        powers: Option<Vec<Rational>>,
    ) -> Result<Self, GameError> {
        let n = parties.len();
        if n < 2 {
            return Err(GameError::Invalid(format!(
                "bargaining needs at least two parties, not {n}"
            )));
        }
        if deals.is_empty() {
            return Err(GameError::Invalid(
                "bargaining needs at least one deal".into(),
            ));
        }
        for d in &deals {
            if d.payoffs.len() != n {
                return Err(GameError::Invalid(format!(
                    "deal '{}' has {} payoffs for {n} parties",
                    d.name,
                    d.payoffs.len()
                )));
            }
        }
        if disagreement.len() != n {
            return Err(GameError::Invalid(format!(
                "the disagreement point has {} payoffs for {n} parties",
                disagreement.len()
            )));
        }
        let powers = powers.unwrap_or_else(|| vec![Rational::one(); n]);
        if powers.len() != n {
            return Err(GameError::Invalid(format!(
                "{} bargaining powers for {n} parties",
                powers.len()
            )));
        }
        if let Some(p) = powers.iter().find(|p| !p.is_positive()) {
            return Err(GameError::Invalid(format!(
                "bargaining powers must be positive, not {}",
                format_rational(p)
            )));
        }
        Ok(BargainingProblem {
            parties,
            deals,
            disagreement,
            powers,
        })
    }

    /// The deals are the outcomes of a game (one per pure profile, named by
    /// the strategies played).
    pub fn from_game(
        game: &NormalFormGame,
        disagreement: Vec<Rational>,
    ) -> Result<Self, GameError> {
        let deals = (0..game.num_profiles())
            .map(|cell| {
                let prof = game.profile_at(cell);
                let name = prof
                    .iter()
                    .enumerate()
                    .map(|(p, &s)| game.strategies()[p][s].clone())
                    .collect::<Vec<_>>()
                    .join("/");
                Deal {
                    name,
                    payoffs: game.payoffs_at(cell).to_vec(),
                }
            })
            .collect();
        BargainingProblem::new(game.players().to_vec(), deals, disagreement, None)
    }

    /// Number of parties.
    pub fn num_parties(&self) -> usize {
        self.parties.len()
    }
}

/// The outcome of "maximize `t` such that `d + t·dir` is feasible".
#[derive(Debug, Clone, PartialEq)]
pub struct RayPoint {
    pub t: Rational,
    /// `d + t·dir`.
    pub point: Vec<Rational>,
    /// Weights on the deals of a mixture that gives every party at least
    /// `point`.
    pub mixture: Vec<Rational>,
}

/// Maximizes `t` with `d + t·dir` in the comprehensive convex hull of the
/// deals: `Σ λ_k p_k ≥ d + t·dir`, `Σ λ = 1`, `λ ≥ 0` (exact LP).
pub fn ray_max(problem: &BargainingProblem, dir: &[Rational]) -> Result<RayPoint, GameError> {
    let n = problem.num_parties();
    let k = problem.deals.len();
    // Columns: λ (k), t⁺, t⁻, slacks (n). Rows: n parties, then Σλ = 1.
    let cols = k + 2 + n;
    let mut a = vec![vec![Rational::zero(); cols]; n + 1];
    for i in 0..n {
        for (j, d) in problem.deals.iter().enumerate() {
            a[i][j] = d.payoffs[i].clone();
        }
        a[i][k] = -dir[i].clone();
        a[i][k + 1] = dir[i].clone();
        a[i][k + 2 + i] = -Rational::one();
    }
    for x in a[n].iter_mut().take(k) {
        *x = Rational::one();
    }
    let mut b = problem.disagreement.clone();
    b.push(Rational::one());
    let mut c = vec![Rational::zero(); cols];
    c[k] = Rational::one();
    c[k + 1] = -Rational::one();
    match solve(&a, &b, &c) {
        LpOutcome::Optimal(s) => {
            let t = &s.y[k] - &s.y[k + 1];
            let point = (0..n)
                .map(|i| &problem.disagreement[i] + &t * &dir[i])
                .collect();
            Ok(RayPoint {
                t,
                point,
                mixture: s.y[..k].to_vec(),
            })
        }
        LpOutcome::Infeasible => Err(GameError::Invalid(
            "the bargaining LP is infeasible (internal error)".into(),
        )),
        LpOutcome::Unbounded => Err(GameError::Invalid(
            "the direction has no positive component, so the ray never leaves the feasible set"
                .into(),
        )),
    }
}

/// The best payoff each party can get in the individually rational part of
/// the feasible set (`u ≥ d`): the ideal (utopia) point. `None` if no
/// feasible payoff gives everyone at least `d`.
pub fn ideal_point(problem: &BargainingProblem) -> Result<Option<Vec<Rational>>, GameError> {
    let n = problem.num_parties();
    let k = problem.deals.len();
    let mut ideal = Vec::with_capacity(n);
    for target in 0..n {
        // max Σ λ p_target s.t. Σ λ p − s = d, Σ λ = 1.
        let cols = k + n;
        let mut a = vec![vec![Rational::zero(); cols]; n + 1];
        for i in 0..n {
            for (j, d) in problem.deals.iter().enumerate() {
                a[i][j] = d.payoffs[i].clone();
            }
            a[i][k + i] = -Rational::one();
        }
        for x in a[n].iter_mut().take(k) {
            *x = Rational::one();
        }
        let mut b = problem.disagreement.clone();
        b.push(Rational::one());
        let mut c = vec![Rational::zero(); cols];
        for (j, d) in problem.deals.iter().enumerate() {
            c[j] = d.payoffs[target].clone();
        }
        match solve(&a, &b, &c) {
            LpOutcome::Optimal(s) => ideal.push(s.value),
            LpOutcome::Infeasible => return Ok(None),
            LpOutcome::Unbounded => {
                return Err(GameError::Invalid(
                    "the ideal-point LP is unbounded (internal error)".into(),
                ))
            }
        }
    }
    Ok(Some(ideal))
}

/// For each deal, whether it is Pareto optimal in the feasible set (no
/// mixture of deals gives everyone at least as much and someone more).
pub fn pareto_efficient(problem: &BargainingProblem) -> Result<Vec<bool>, GameError> {
    let n = problem.num_parties();
    let k = problem.deals.len();
    let mut out = Vec::with_capacity(k);
    for deal in &problem.deals {
        // max Σ s s.t. Σ λ p − s = p_deal, Σ λ = 1.
        let cols = k + n;
        let mut a = vec![vec![Rational::zero(); cols]; n + 1];
        for i in 0..n {
            for (j, d) in problem.deals.iter().enumerate() {
                a[i][j] = d.payoffs[i].clone();
            }
            a[i][k + i] = -Rational::one();
        }
        for x in a[n].iter_mut().take(k) {
            *x = Rational::one();
        }
        let mut b = deal.payoffs.clone();
        b.push(Rational::one());
        let mut c = vec![Rational::zero(); cols];
        for ci in c.iter_mut().skip(k) {
            *ci = Rational::one();
        }
        match solve(&a, &b, &c) {
            LpOutcome::Optimal(s) => out.push(s.value.is_zero()),
            _ => {
                return Err(GameError::Invalid(
                    "the Pareto LP failed (internal error)".into(),
                ))
            }
        }
    }
    Ok(out)
}

/// The Pareto frontier of a two-party problem: the vertices of the upper
/// right boundary of the convex hull, from the best point for party 1 to
/// the best point for party 2 (party 1's payoff decreasing). Deals with equal
/// payoffs appear once.
pub fn frontier_2d(problem: &BargainingProblem) -> Vec<[Rational; 2]> {
    let mut pts: Vec<[Rational; 2]> = problem
        .deals
        .iter()
        .map(|d| [d.payoffs[0].clone(), d.payoffs[1].clone()])
        .collect();
    pts.sort();
    pts.dedup();
    // Keep the points not weakly dominated by another point, sorted by
    // u1 decreasing (so u2 increasing).
    let mut nd: Vec<[Rational; 2]> = Vec::new();
    for p in pts.iter().rev() {
        if nd.last().is_none_or(|l: &[Rational; 2]| p[1] > l[1]) {
            nd.push(p.clone());
        }
    }
    // Concave chain (upper hull): drop points below the chord.
    let mut chain: Vec<[Rational; 2]> = Vec::new();
    for p in nd {
        while chain.len() >= 2 {
            let a = &chain[chain.len() - 2];
            let b = &chain[chain.len() - 1];
            // Traversed from the lower right to the upper left, the upper
            // hull turns counterclockwise: drop b unless (b − a) × (p − a)
            // is a strict left turn (b strictly above the chord a–p).
            let cross = (&b[0] - &a[0]) * (&p[1] - &a[1]) - (&b[1] - &a[1]) * (&p[0] - &a[0]);
            if cross <= Rational::zero() {
                chain.pop();
            } else {
                break;
            }
        }
        chain.push(p);
    }
    chain
}

/// The zone of possible agreement: is there a feasible payoff that gives
/// every party strictly more than its disagreement payoff?
#[derive(Debug, Clone, PartialEq)]
pub struct Zopa {
    /// `true` if some feasible payoff gives everyone strictly more than `d`.
    pub exists: bool,
    /// The largest gain every party can get at once (the egalitarian gain);
    /// negative when even `d` itself is out of reach.
    pub common_gain: Rational,
    /// Deals that on their own give every party strictly more than `d`.
    pub deals: Vec<usize>,
}

/// The zone of possible agreement of a problem.
pub fn zopa(problem: &BargainingProblem) -> Result<Zopa, GameError> {
    let ones = vec![Rational::one(); problem.num_parties()];
    let r = ray_max(problem, &ones)?;
    let deals = problem
        .deals
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.payoffs
                .iter()
                .zip(&problem.disagreement)
                .all(|(p, q)| p > q)
        })
        .map(|(k, _)| k)
        .collect();
    Ok(Zopa {
        exists: r.t.is_positive(),
        common_gain: r.t,
        deals,
    })
}

/// Which side of a one-dimensional issue a party wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wants {
    /// Accepts outcomes at or above its reservation point.
    More,
    /// Accepts outcomes at or below its reservation point.
    Less,
}

/// A party on a one-issue bargaining scale.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueParty {
    pub name: String,
    pub reservation: Rational,
    pub wants: Wants,
}

/// The zone of agreement on one issue: the outcomes every party accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueZone {
    /// Lowest acceptable outcome (`None`: unbounded below) and who sets it.
    pub low: Option<(Rational, String)>,
    /// Highest acceptable outcome and who sets it.
    pub high: Option<(Rational, String)>,
    /// `true` if the zone is non-empty.
    pub exists: bool,
}

impl IssueZone {
    /// A sentence: the zone, or the plain statement that there is none.
    pub fn describe(&self) -> String {
        match (&self.low, &self.high) {
            (Some((l, ln)), Some((h, hn))) if !self.exists => format!(
                "no zone of possible agreement: {ln} needs at least {}, {hn} accepts at most {} (gap {})",
                format_rational(l),
                format_rational(h),
                format_rational(&(l - h))
            ),
            (Some((l, ln)), Some((h, hn))) => format!(
                "zone of possible agreement: from {} (set by {ln}) to {} (set by {hn})",
                format_rational(l),
                format_rational(h)
            ),
            (Some((l, ln)), None) => format!("zone of possible agreement: at least {} (set by {ln})", format_rational(l)),
            (None, Some((h, hn))) => format!("zone of possible agreement: at most {} (set by {hn})", format_rational(h)),
            (None, None) => "zone of possible agreement: every outcome".into(),
        }
    }
}

/// The zone of agreement on a one-dimensional issue.
pub fn issue_zone(parties: &[IssueParty]) -> Result<IssueZone, GameError> {
    if parties.is_empty() {
        return Err(GameError::Invalid(
            "an issue needs at least one party".into(),
        ));
    }
    let mut low: Option<(Rational, String)> = None;
    let mut high: Option<(Rational, String)> = None;
    for p in parties {
        match p.wants {
            Wants::More => {
                if low.as_ref().is_none_or(|(l, _)| p.reservation > *l) {
                    low = Some((p.reservation.clone(), p.name.clone()));
                }
            }
            Wants::Less => {
                if high.as_ref().is_none_or(|(h, _)| p.reservation < *h) {
                    high = Some((p.reservation.clone(), p.name.clone()));
                }
            }
        }
    }
    let exists = match (&low, &high) {
        (Some((l, _)), Some((h, _))) => l <= h,
        _ => true,
    };
    Ok(IssueZone { low, high, exists })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use num_bigint::BigInt;

    pub fn r(n: i64) -> Rational {
        Rational::from_integer(BigInt::from(n))
    }
    pub fn q(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    pub fn problem(points: &[&[i64]], d: &[i64]) -> BargainingProblem {
        let n = d.len();
        BargainingProblem::new(
            (1..=n).map(|i| format!("P{i}")).collect(),
            points
                .iter()
                .enumerate()
                .map(|(k, p)| Deal {
                    name: format!("D{k}"),
                    payoffs: p.iter().map(|&x| r(x)).collect(),
                })
                .collect(),
            d.iter().map(|&x| r(x)).collect(),
            None,
        )
        .unwrap()
    }

    #[test]
    fn frontier_and_efficiency() {
        let p = problem(
            &[&[0, 0], &[4, 0], &[0, 4], &[3, 3], &[1, 1], &[2, 2]],
            &[0, 0],
        );
        let f = frontier_2d(&p);
        assert_eq!(f, vec![[r(4), r(0)], [r(3), r(3)], [r(0), r(4)]]);
        assert_eq!(
            pareto_efficient(&p).unwrap(),
            vec![false, true, true, true, false, false]
        );
    }

    #[test]
    fn zone_of_agreement() {
        let p = problem(&[&[4, 0], &[0, 4]], &[1, 1]);
        let z = zopa(&p).unwrap();
        assert!(z.exists);
        assert_eq!(z.common_gain, r(1));
        assert!(z.deals.is_empty(), "only mixtures are in the zone");
        let p = problem(&[&[4, 0], &[0, 4]], &[3, 3]);
        let z = zopa(&p).unwrap();
        assert!(!z.exists);
        assert_eq!(z.common_gain, r(-1));
    }

    #[test]
    fn us_dprk_talks_have_no_zone() {
        let parties = vec![
            IssueParty {
                name: "DPRK".into(),
                reservation: r(80),
                wants: Wants::More,
            },
            IssueParty {
                name: "USA".into(),
                reservation: r(60),
                wants: Wants::Less,
            },
        ];
        let z = issue_zone(&parties).unwrap();
        assert!(!z.exists);
        assert_eq!(
            z.describe(),
            "no zone of possible agreement: DPRK needs at least 80, USA accepts at most 60 (gap 20)"
        );
    }

    #[test]
    fn ideal_point_of_the_individually_rational_set() {
        let p = problem(&[&[4, 0], &[0, 4]], &[1, 1]);
        assert_eq!(ideal_point(&p).unwrap(), Some(vec![r(3), r(3)]));
        let p = problem(&[&[4, 0], &[0, 4]], &[3, 3]);
        assert_eq!(ideal_point(&p).unwrap(), None);
    }

    #[test]
    fn validation() {
        let e = BargainingProblem::new(vec!["A".into()], vec![], vec![], None).unwrap_err();
        assert!(e.to_string().contains("two parties"));
        let e = BargainingProblem::new(
            vec!["A".into(), "B".into()],
            vec![Deal {
                name: "x".into(),
                payoffs: vec![r(1), r(1)],
            }],
            vec![r(0), r(0)],
            Some(vec![r(1), r(0)]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("positive"));
        let _ = q(1, 2);
    }
}
