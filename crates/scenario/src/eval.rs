//! Evaluating one case (the base case or a policy) of a scenario for one
//! set of input values: the exchanges' surpluses, the votes, each issue's
//! outcome under its decision rule, the measures, and the claims.

use crate::model::*;
use serde::Serialize;

/// A member's ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ballot {
    Yes,
    No,
    Abstain,
}

impl Ballot {
    pub fn as_str(self) -> &'static str {
        match self {
            Ballot::Yes => "yes",
            Ballot::No => "no",
            Ballot::Abstain => "abstain",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeResult {
    /// Each party's surplus: the value of what it receives minus the cost of
    /// what it gives (same order as the exchange's parties).
    pub surplus: Vec<f64>,
    /// Every party gains (surplus > 0).
    pub win_win: bool,
    /// Sum of the parties' surpluses.
    pub dyad_sum: f64,
    /// Effect on each third party (same order as the externalities).
    pub third_party: Vec<f64>,
    pub third_party_sum: f64,
    /// The parties' gains plus the third parties' effects.
    pub world_sum: f64,
    /// Nash-bargaining terms: each party's payoff after the side payment
    /// that splits the joint surplus by bargaining power (equal by default),
    /// with no deal (0) as the disagreement point.
    pub nash_payoff: Vec<f64>,
    /// The side payment each party receives under those terms (negative:
    /// it pays).
    pub nash_transfer: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VoteResult {
    /// The body that votes (after a policy's replacements).
    pub body: usize,
    pub ballots: Vec<(ActorId, Ballot)>,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub passes: bool,
    pub vetoed_by: Vec<ActorId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IssueResult {
    pub outcome: f64,
    /// For mutual-consent issues: whether the deciders' acceptable ranges
    /// overlap; the zone of agreement where they do.
    pub agreement: Option<bool>,
    pub zone: Option<(f64, f64)>,
    /// For body votes: the proposal that passed, if any.
    pub passed: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub exchanges: Vec<ExchangeResult>,
    /// Per proposal: `None` where it is not tabled in this case.
    pub votes: Vec<Option<VoteResult>>,
    pub issues: Vec<IssueResult>,
    pub measures: Vec<f64>,
}

/// The input values of a case: the base values with the policy's
/// replacements applied.
pub fn case_values(s: &Scenario, policy: Option<usize>, base: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.extend_from_slice(base);
    if let Some(p) = policy {
        for &(target, src) in &s.policies[p].overrides {
            out[target] = base[src];
        }
    }
}

/// Whether a proposal is voted on in a case. A recorded (historical) vote
/// is a check of the model, voted in the base case only.
pub fn is_tabled(p: &Proposal, policy: Option<usize>) -> bool {
    if p.recorded.is_some() {
        return policy.is_none();
    }
    p.tabled_by.is_empty() || policy.is_some_and(|k| p.tabled_by.contains(&k))
}

/// Evaluates one case. `values` are the case's input values (see
/// [`case_values`]).
pub fn evaluate_case(s: &Scenario, policy: Option<usize>, values: &[f64]) -> CaseResult {
    let exchanges = s.exchanges.iter().map(|x| exchange(x, values)).collect();
    let swap = |b: usize| -> usize {
        policy
            .and_then(|p| {
                s.policies[p]
                    .body_swaps
                    .iter()
                    .rev()
                    .find(|(f, _)| *f == b)
                    .map(|(_, t)| *t)
            })
            .unwrap_or(b)
    };
    let votes: Vec<Option<VoteResult>> = s
        .proposals
        .iter()
        .map(|p| is_tabled(p, policy).then(|| vote(s, p, swap(p.body), values)))
        .collect();
    let issues: Vec<IssueResult> = s
        .issues
        .iter()
        .enumerate()
        .map(|(k, i)| issue(s, k, i, &votes, values))
        .collect();
    let measures = s
        .measures
        .iter()
        .map(|m| discontent(s, m, &issues, values))
        .collect();
    CaseResult {
        exchanges,
        votes,
        issues,
        measures,
    }
}

fn exchange(x: &Exchange, v: &[f64]) -> ExchangeResult {
    let mut surplus = vec![0.0; x.parties.len()];
    for f in &x.flows {
        if let Some(k) = x.parties.iter().position(|p| *p == f.to) {
            surplus[k] += v[f.value];
        }
        if let Some(k) = x.parties.iter().position(|p| *p == f.from) {
            surplus[k] -= v[f.cost];
        }
    }
    let dyad_sum: f64 = surplus.iter().sum();
    let third_party: Vec<f64> = x.externalities.iter().map(|(_, i)| v[*i]).collect();
    let third_party_sum: f64 = third_party.iter().sum();
    let powers: Vec<f64> = match &x.power {
        Some(p) => p.iter().map(|i| v[*i].max(0.0)).collect(),
        None => vec![1.0; x.parties.len()],
    };
    let total_power: f64 = powers.iter().sum();
    let (nash_payoff, nash_transfer) = if dyad_sum > 0.0 && total_power > 0.0 {
        let pay: Vec<f64> = powers.iter().map(|w| dyad_sum * w / total_power).collect();
        let tr = pay.iter().zip(&surplus).map(|(p, s)| p - s).collect();
        (pay, tr)
    } else {
        // No gains from trade: the disagreement point (no deal) is the
        // Nash-bargaining outcome.
        (
            vec![0.0; surplus.len()],
            surplus.iter().map(|s| -s).collect(),
        )
    };
    ExchangeResult {
        win_win: surplus.iter().all(|s| *s > 0.0),
        surplus,
        dyad_sum,
        third_party,
        third_party_sum,
        world_sum: dyad_sum + third_party_sum,
        nash_payoff,
        nash_transfer,
    }
}

/// A member's position for a vote: the proposal's own, else the issue's.
fn member_position(s: &Scenario, p: &Proposal, actor: ActorId, v: &[f64]) -> Option<f64> {
    if let Some((_, i)) = p.positions.iter().find(|(a, _)| *a == actor) {
        return Some(v[*i]);
    }
    s.issues[p.issue]
        .positions
        .iter()
        .find(|x| x.actor == actor)
        .map(|x| v[x.position])
}

/// The ballot rule: gain = |q - x| - |p - x|; yes if gain > band, no if
/// gain < -band, abstain otherwise. A member with no position abstains.
pub fn ballot(position: Option<f64>, proposal: f64, status_quo: f64, band: f64) -> Ballot {
    match position {
        None => Ballot::Abstain,
        Some(x) => {
            let gain = (status_quo - x).abs() - (proposal - x).abs();
            if gain > band {
                Ballot::Yes
            } else if gain < -band {
                Ballot::No
            } else {
                Ballot::Abstain
            }
        }
    }
}

fn vote(s: &Scenario, p: &Proposal, body: usize, v: &[f64]) -> VoteResult {
    let b = &s.bodies[body];
    let q = p
        .status_quo
        .map(|i| v[i])
        .unwrap_or(v[s.issues[p.issue].status_quo]);
    let value = v[p.value];
    let band = v[b.band];
    let mut ballots = Vec::with_capacity(b.members.len());
    let (mut yes, mut no, mut abstain) = (0, 0, 0);
    let mut vetoed_by = Vec::new();
    for &m in &b.members {
        let bl = ballot(member_position(s, p, m, v), value, q, band);
        match bl {
            Ballot::Yes => yes += 1,
            Ballot::No => {
                no += 1;
                if b.vetoes.contains(&m) {
                    vetoed_by.push(m);
                }
            }
            Ballot::Abstain => abstain += 1,
        }
        ballots.push((m, bl));
    }
    VoteResult {
        body,
        passes: yes >= b.quota && vetoed_by.is_empty(),
        ballots,
        yes,
        no,
        abstain,
        vetoed_by,
    }
}

fn position_of(i: &Issue, actor: ActorId, v: &[f64]) -> f64 {
    i.positions
        .iter()
        .find(|p| p.actor == actor)
        .map(|p| v[p.position])
        .unwrap_or(v[i.status_quo])
}

fn weight(s: &Scenario, p: &Position, v: &[f64]) -> f64 {
    let cap = s.actors[p.actor].capability.map(|c| v[c]).unwrap_or(1.0);
    (cap * v[p.salience]).max(0.0)
}

fn issue(
    s: &Scenario,
    k: usize,
    i: &Issue,
    votes: &[Option<VoteResult>],
    v: &[f64],
) -> IssueResult {
    let sq = v[i.status_quo];
    let plain = |outcome: f64| IssueResult {
        outcome,
        agreement: None,
        zone: None,
        passed: None,
    };
    match &i.rule {
        Rule::BodyVote { .. } => {
            let passed = s.proposals.iter().enumerate().find(|(j, p)| {
                p.issue == k && p.recorded.is_none() && votes[*j].as_ref().is_some_and(|r| r.passes)
            });
            match passed {
                Some((j, p)) => IssueResult {
                    outcome: v[p.value],
                    agreement: None,
                    zone: None,
                    passed: Some(j),
                },
                None => plain(sq),
            }
        }
        Rule::Unilateral {
            decider,
            floor,
            ceiling,
        } => {
            let mut x = position_of(i, *decider, v);
            if let Some(f) = floor {
                x = x.max(v[*f]);
            }
            if let Some(c) = ceiling {
                x = x.min(v[*c]);
            }
            plain(x)
        }
        Rule::Bargain { parties, power } => {
            let b = v[*power].clamp(0.0, 1.0);
            plain((1.0 - b) * position_of(i, parties[0], v) + b * position_of(i, parties[1], v))
        }
        Rule::MutualConsent { accepts, .. } => {
            let mut lo = i.min;
            let mut hi = i.max;
            for (_, min, max) in accepts {
                if let Some(m) = min {
                    lo = lo.max(v[*m]);
                }
                if let Some(m) = max {
                    hi = hi.min(v[*m]);
                }
            }
            if lo <= hi {
                IssueResult {
                    outcome: (lo + hi) / 2.0,
                    agreement: Some(true),
                    zone: Some((lo, hi)),
                    passed: None,
                }
            } else {
                IssueResult {
                    outcome: sq,
                    agreement: Some(false),
                    zone: None,
                    passed: None,
                }
            }
        }
        Rule::Negotiation { model } => {
            // The forecasting baselines of detente-forecast, with capability
            // x salience weights; no weight at all leaves the status quo.
            let positions: Vec<f64> = i.positions.iter().map(|p| v[p.position]).collect();
            let weights: Vec<f64> = i.positions.iter().map(|p| weight(s, p, v)).collect();
            if weights.iter().sum::<f64>() <= 0.0 {
                return plain(sq);
            }
            let x = match model {
                NegotiationModel::Mean => detente_forecast::weighted_mean(&positions, &weights),
                NegotiationModel::Median => detente_forecast::weighted_median(
                    &positions,
                    &weights,
                    detente_forecast::MedianTie::Lower,
                ),
            };
            plain(x.unwrap_or(sq))
        }
    }
}

/// Capability- and salience-weighted mean distance (in percent of the
/// scale) between each issue's outcome and each actor's position.
fn discontent(s: &Scenario, m: &Measure, issues: &[IssueResult], v: &[f64]) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for &k in &m.issues {
        let i = &s.issues[k];
        let range = i.max - i.min;
        for p in &i.positions {
            let w = weight(s, p, v);
            num += w * (issues[k].outcome - v[p.position]).abs() / range * 100.0;
            den += w;
        }
    }
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

/// Whether a claim holds, given every case: `cases[0]` the base case,
/// `cases[k + 1]` policy `k`.
pub fn claim_holds(c: &Claim, cases: &[CaseResult]) -> bool {
    let base = &cases[0];
    let case = match c.policy {
        None => base,
        Some(p) => match cases.get(p + 1) {
            Some(r) => r,
            None => return false,
        },
    };
    match &c.kind {
        ClaimKind::WinWin { exchange } => case.exchanges[*exchange].win_win,
        ClaimKind::PositiveSum { exchange } => case.exchanges[*exchange].world_sum > 0.0,
        ClaimKind::Passes { proposal } => case.votes[*proposal].as_ref().is_some_and(|v| v.passes),
        ClaimKind::Vetoes { proposal, actor } => case.votes[*proposal]
            .as_ref()
            .is_some_and(|v| v.vetoed_by.contains(actor)),
        ClaimKind::Lowers { measure } => case.measures[*measure] < base.measures[*measure],
        ClaimKind::Settles {
            issue,
            above,
            below,
        } => {
            let x = case.issues[*issue].outcome;
            above.is_none_or(|a| x > a) && below.is_none_or(|b| x < b)
        }
        ClaimKind::Agreement { issue } => case.issues[*issue].agreement == Some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballot_rule_with_band() {
        // Russia at 10, China at 42 on the Panel renewal (50 vs 40), band 8.
        assert_eq!(ballot(Some(10.0), 50.0, 40.0, 8.0), Ballot::No);
        assert_eq!(ballot(Some(42.0), 50.0, 40.0, 8.0), Ballot::Abstain);
        assert_eq!(ballot(Some(85.0), 50.0, 40.0, 8.0), Ballot::Yes);
        assert_eq!(ballot(None, 50.0, 40.0, 8.0), Ballot::Abstain);
    }
}
