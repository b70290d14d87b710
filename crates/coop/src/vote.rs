//! A vote on a proposal: spatial ballots and the tally of a voting body.
//!
//! Each member has an ideal point `x_i` on a one-dimensional issue. Facing a
//! proposal `p` against the status quo (reversion point) `q`, it gains
//! `g_i = |q − x_i| − |p − x_i|` from the proposal (the spatial model of
//! D. Black, *The Theory of Committees and Elections*, 1958, with
//! city-block utility). It votes yes if `g_i > δ`, no if `g_i < −δ`, and
//! abstains otherwise, where `δ ≥ 0` is an indifference band.
//!
//! The tally follows the body's rule with abstention: conditions count the
//! yes-voters' weights; a veto member blocks only by voting no (an
//! abstaining permanent member of the UN Security Council does not veto,
//! Charter Art. 27(3) as applied since 1946).

use crate::body::VotingBody;
use detente_game::{format_rational, GameError, Rational};
use num_traits::Signed;
use std::fmt;

/// A member's ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ballot {
    Yes,
    No,
    Abstain,
}

impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ballot::Yes => "yes",
            Ballot::No => "no",
            Ballot::Abstain => "abstain",
        })
    }
}

/// The spatial ballot rule: yes when the proposal is closer than the status
/// quo by more than `band`, no when farther by more than `band`.
pub fn spatial_ballot(
    position: &Rational,
    proposal: &Rational,
    status_quo: &Rational,
    band: &Rational,
) -> Ballot {
    let gain = (status_quo - position).abs() - (proposal - position).abs();
    if &gain > band {
        Ballot::Yes
    } else if gain < -band.clone() {
        Ballot::No
    } else {
        Ballot::Abstain
    }
}

/// One condition's count in a tally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionTally {
    pub label: String,
    pub yes_weight: u64,
    pub quota: u64,
    pub met: bool,
}

/// The result of a vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteResult {
    /// Each member's ballot, in member order.
    pub ballots: Vec<Ballot>,
    /// Each member's gain `|q − x| − |p − x|`, when ballots came from
    /// positions.
    pub gains: Option<Vec<Rational>>,
    pub yes: usize,
    pub no: usize,
    pub abstain: usize,
    pub conditions: Vec<ConditionTally>,
    /// Veto members who voted no.
    pub vetoed_by: Vec<String>,
    /// Whether the proposal passes.
    pub passes: bool,
    /// Passed by the `pass_with_members` clause.
    pub passed_by_member_count: bool,
}

/// Tallies a vote of `body` with these ballots.
pub fn tally(body: &VotingBody, ballots: &[Ballot]) -> Result<VoteResult, GameError> {
    if ballots.len() != body.len() {
        return Err(GameError::Invalid(format!(
            "{} ballots for the {} members of '{}'",
            ballots.len(),
            body.len(),
            body.name
        )));
    }
    let yes_set: Vec<bool> = ballots.iter().map(|&b| b == Ballot::Yes).collect();
    let count = |k: Ballot| ballots.iter().filter(|&&b| b == k).count();
    let yes = count(Ballot::Yes);
    let conditions: Vec<ConditionTally> = body
        .conditions
        .iter()
        .map(|c| {
            let w: u64 = c
                .weights
                .iter()
                .zip(&yes_set)
                .filter(|(_, &y)| y)
                .map(|(&w, _)| w)
                .sum();
            ConditionTally {
                label: c.label.clone(),
                yes_weight: w,
                quota: c.quota,
                met: w >= c.quota,
            }
        })
        .collect();
    let vetoed_by: Vec<String> = body
        .members
        .iter()
        .zip(&body.required)
        .zip(ballots)
        .filter(|((_, &r), &b)| r && b == Ballot::No)
        .map(|((m, _), _)| m.clone())
        .collect();
    let by_count = body.pass_with_members.is_some_and(|k| yes >= k);
    let passes = by_count || (vetoed_by.is_empty() && conditions.iter().all(|c| c.met));
    Ok(VoteResult {
        ballots: ballots.to_vec(),
        gains: None,
        yes,
        no: count(Ballot::No),
        abstain: count(Ballot::Abstain),
        conditions,
        vetoed_by,
        passes,
        passed_by_member_count: by_count,
    })
}

/// Votes on `proposal` against `status_quo` with members at `positions`
/// (one per member) and indifference band `band ≥ 0`.
pub fn spatial_vote(
    body: &VotingBody,
    positions: &[Rational],
    proposal: &Rational,
    status_quo: &Rational,
    band: &Rational,
) -> Result<VoteResult, GameError> {
    if band.is_negative() {
        return Err(GameError::Invalid(format!(
            "the indifference band must be non-negative, not {}",
            format_rational(band)
        )));
    }
    if positions.len() != body.len() {
        return Err(GameError::Invalid(format!(
            "{} positions for the {} members of '{}'",
            positions.len(),
            body.len(),
            body.name
        )));
    }
    let ballots: Vec<Ballot> = positions
        .iter()
        .map(|x| spatial_ballot(x, proposal, status_quo, band))
        .collect();
    let gains = positions
        .iter()
        .map(|x| (status_quo - x).abs() - (proposal - x).abs())
        .collect();
    let mut r = tally(body, &ballots)?;
    r.gains = Some(gains);
    Ok(r)
}

/// Summary line such as `13 yes, 1 no, 1 abstain: vetoed by RUS, fails`.
pub fn summary(r: &VoteResult) -> String {
    let mut s = format!("{} yes, {} no, {} abstain", r.yes, r.no, r.abstain);
    if !r.vetoed_by.is_empty() && !r.passes {
        s.push_str(&format!(": vetoed by {}", r.vetoed_by.join(" and ")));
    }
    s.push_str(if r.passes { ", passes" } else { ", fails" });
    if r.passes && r.passed_by_member_count {
        s.push_str(" (by member count)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Condition;
    use num_bigint::BigInt;

    fn r(n: i64) -> Rational {
        Rational::from_integer(BigInt::from(n))
    }

    /// The 2024 Council and issue-1 positions of the scenario notes.
    fn council() -> (VotingBody, Vec<Rational>) {
        let rows = [
            ("CHN", 42, true),
            ("FRA", 80, true),
            ("RUS", 10, true),
            ("GBR", 80, true),
            ("USA", 85, true),
            ("DZA", 55, false),
            ("ECU", 70, false),
            ("GUY", 70, false),
            ("JPN", 90, false),
            ("KOR", 90, false),
            ("MLT", 75, false),
            ("MOZ", 55, false),
            ("SLE", 65, false),
            ("SVN", 80, false),
            ("CHE", 75, false),
        ];
        let body = VotingBody::new(
            "UNSC 2024",
            rows.iter().map(|r| r.0.to_string()).collect(),
            vec![Condition {
                label: "members".into(),
                weights: vec![1; 15],
                quota: 9,
            }],
            rows.iter().map(|r| r.2).collect(),
            None,
        )
        .unwrap();
        (body, rows.iter().map(|x| r(x.1)).collect())
    }

    #[test]
    fn panel_of_experts_2024() {
        let (b, pos) = council();
        let v = spatial_vote(&b, &pos, &r(50), &r(40), &r(8)).unwrap();
        assert_eq!((v.yes, v.no, v.abstain), (13, 1, 1));
        assert_eq!(v.ballots[0], Ballot::Abstain, "China abstains");
        assert_eq!(v.vetoed_by, vec!["RUS"]);
        assert!(!v.passes);
        assert_eq!(summary(&v), "13 yes, 1 no, 1 abstain: vetoed by RUS, fails");
    }

    #[test]
    fn new_sanctions_double_veto() {
        let (b, pos) = council();
        let v = spatial_vote(&b, &pos, &r(70), &r(40), &r(8)).unwrap();
        assert_eq!(v.vetoed_by, vec!["CHN", "RUS"]);
        assert_eq!((v.yes, v.no, v.abstain), (11, 2, 2));
        assert!(!v.passes);
    }

    #[test]
    fn abstaining_veto_member_does_not_block() {
        let (b, _) = council();
        let mut ballots = vec![Ballot::Yes; 15];
        ballots[0] = Ballot::Abstain;
        assert!(tally(&b, &ballots).unwrap().passes);
        ballots[0] = Ballot::No;
        assert!(!tally(&b, &ballots).unwrap().passes);
        // Eight yes votes are too few even without a veto.
        let ballots: Vec<Ballot> = (0..15)
            .map(|i| if i < 8 { Ballot::Yes } else { Ballot::Abstain })
            .collect();
        assert!(!tally(&b, &ballots).unwrap().passes);
    }

    #[test]
    fn bad_inputs() {
        let (b, pos) = council();
        assert!(spatial_vote(&b, &pos[..3], &r(1), &r(0), &r(0)).is_err());
        assert!(spatial_vote(&b, &pos, &r(1), &r(0), &r(-1)).is_err());
    }
}
