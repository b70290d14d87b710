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

#[derive(Debug, Clone, PartialEq, Default)]
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

#[derive(Debug, Clone, PartialEq, Default)]
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
    /// For negotiations: the model failed on this draw's data (degenerate
    /// input), so the status quo stands.
    pub failed: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseResult {
    pub exchanges: Vec<ExchangeResult>,
    /// Per proposal: `None` where it is not tabled in this case.
    pub votes: Vec<Option<VoteResult>>,
    pub issues: Vec<IssueResult>,
    pub measures: Vec<f64>,
    /// Per game: for an inline game, whether each pure profile (cell,
    /// Gambit order) is a Nash equilibrium at these values (in f64); empty
    /// for a game read from a file.
    pub games: Vec<Vec<bool>>,
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
    let mut out = CaseResult::default();
    evaluate_case_into(s, policy, values, &mut out);
    out
}

/// [`evaluate_case`] into `out`, reusing its vectors: after the first call
/// with a given scenario and case, a call allocates nothing (but for the
/// negotiation models), which is what Monte Carlo needs.
pub fn evaluate_case_into(
    s: &Scenario,
    policy: Option<usize>,
    values: &[f64],
    out: &mut CaseResult,
) {
    out.exchanges
        .resize_with(s.exchanges.len(), ExchangeResult::default);
    for (x, r) in s.exchanges.iter().zip(out.exchanges.iter_mut()) {
        exchange_into(x, values, r);
    }
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
    out.votes.resize_with(s.proposals.len(), || None);
    for (p, slot) in s.proposals.iter().zip(out.votes.iter_mut()) {
        if is_tabled(p, policy) {
            let r = slot.get_or_insert_with(VoteResult::default);
            vote_into(s, p, swap(p.body), values, r);
        } else {
            *slot = None;
        }
    }
    out.issues.clear();
    for (k, i) in s.issues.iter().enumerate() {
        let r = issue(s, k, i, &out.votes, values);
        out.issues.push(r);
    }
    out.measures.clear();
    for m in &s.measures {
        let x = discontent(s, m, &out.issues, values);
        out.measures.push(x);
    }
    out.games.resize_with(s.games.len(), Vec::new);
    for (g, r) in s.games.iter().zip(out.games.iter_mut()) {
        pure_equilibria_into(g, values, r);
    }
}

/// Which pure profiles of an inline two-player game are Nash equilibria at
/// `values`: no player gains by a unilateral deviation (a tie is no gain,
/// as in the exact solvers). `out` is left empty for a file game.
pub fn pure_equilibria_into(g: &GameSpec, values: &[f64], out: &mut Vec<bool>) {
    out.clear();
    let Some(cells) = &g.payoffs else {
        return;
    };
    let (m, n) = match g.game.strategies() {
        [a, b] => (a.len(), b.len()),
        _ => return,
    };
    let u = |i: usize, j: usize, p: usize| values[cells[i + j * m][p]];
    for j in 0..n {
        for i in 0..m {
            let row_best = (0..m).all(|k| u(k, j, 0) <= u(i, j, 0));
            let col_best = row_best && (0..n).all(|l| u(i, l, 1) <= u(i, j, 1));
            out.push(col_best);
        }
    }
}

fn exchange_into(x: &Exchange, v: &[f64], out: &mut ExchangeResult) {
    let n = x.parties.len();
    out.surplus.clear();
    out.surplus.resize(n, 0.0);
    for f in &x.flows {
        if let Some(k) = x.parties.iter().position(|p| *p == f.to) {
            out.surplus[k] += v[f.value];
        }
        if let Some(k) = x.parties.iter().position(|p| *p == f.from) {
            out.surplus[k] -= v[f.cost];
        }
    }
    let dyad_sum: f64 = out.surplus.iter().sum();
    out.third_party.clear();
    out.third_party
        .extend(x.externalities.iter().map(|(_, i)| v[*i]));
    let third_party_sum: f64 = out.third_party.iter().sum();
    let power = |k: usize| match &x.power {
        Some(p) => v[p[k]].max(0.0),
        None => 1.0,
    };
    let total_power: f64 = (0..n).map(power).sum();
    out.nash_payoff.clear();
    out.nash_transfer.clear();
    if dyad_sum > 0.0 && total_power > 0.0 {
        for k in 0..n {
            let pay = dyad_sum * power(k) / total_power;
            out.nash_payoff.push(pay);
            out.nash_transfer.push(pay - out.surplus[k]);
        }
    } else {
        // No gains from trade: the disagreement point (no deal) is the
        // Nash-bargaining outcome.
        for k in 0..n {
            out.nash_payoff.push(0.0);
            out.nash_transfer.push(-out.surplus[k]);
        }
    }
    out.win_win = out.surplus.iter().all(|s| *s > 0.0);
    out.dyad_sum = dyad_sum;
    out.third_party_sum = third_party_sum;
    out.world_sum = dyad_sum + third_party_sum;
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

fn vote_into(s: &Scenario, p: &Proposal, body: usize, v: &[f64], out: &mut VoteResult) {
    let b = &s.bodies[body];
    let q = p
        .status_quo
        .map(|i| v[i])
        .unwrap_or(v[s.issues[p.issue].status_quo]);
    let value = v[p.value];
    let band = v[b.band];
    out.body = body;
    out.ballots.clear();
    out.vetoed_by.clear();
    let (mut yes, mut no, mut abstain) = (0, 0, 0);
    for &m in &b.members {
        let bl = ballot(member_position(s, p, m, v), value, q, band);
        match bl {
            Ballot::Yes => yes += 1,
            Ballot::No => {
                no += 1;
                if b.vetoes.contains(&m) {
                    out.vetoed_by.push(m);
                }
            }
            Ballot::Abstain => abstain += 1,
        }
        out.ballots.push((m, bl));
    }
    out.passes = yes >= b.quota && out.vetoed_by.is_empty();
    out.yes = yes;
    out.no = no;
    out.abstain = abstain;
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
        failed: false,
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
                    failed: false,
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
                    failed: false,
                }
            } else {
                IssueResult {
                    outcome: sq,
                    agreement: Some(false),
                    zone: None,
                    passed: None,
                    failed: false,
                }
            }
        }
        Rule::Negotiation { model } => {
            // The forecasting models of detente-forecast over the issue's
            // actors; no weight at all leaves the status quo, and so does a
            // model that fails on the draw's data (counted in `failed`).
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
                _ => negotiate(s, i, model, v).ok().map(|f| f.forecast),
            };
            match x {
                Some(x) if x.is_finite() => plain(x),
                _ => IssueResult {
                    failed: true,
                    ..plain(sq)
                },
            }
        }
    }
}

/// The data a negotiation model reads: the issue's actors in the order of
/// its positions, their positions on the issue's scale, their capabilities
/// (1 where none is given) and their saliences scaled from 0..100 to 0..1;
/// the issue's scale as the model's bounds.
pub fn negotiation_data(s: &Scenario, i: &Issue, v: &[f64]) -> detente_forecast::IssueData {
    detente_forecast::IssueData {
        name: i.id.clone(),
        lower: i.min,
        upper: i.max,
        actors: i
            .positions
            .iter()
            .map(|p| s.actors[p.actor].id.clone())
            .collect(),
        positions: i.positions.iter().map(|p| v[p.position]).collect(),
        saliences: i
            .positions
            .iter()
            .map(|p| (v[p.salience] / 100.0).clamp(0.0, 1.0))
            .collect(),
        capabilities: i
            .positions
            .iter()
            .map(|p| {
                s.actors[p.actor]
                    .capability
                    .map(|c| v[c].max(0.0))
                    .unwrap_or(1.0)
            })
            .collect(),
    }
}

/// Runs a negotiation's forecasting model on the issue's data (see
/// [`negotiation_data`]). For `mean` and `median` the rounds are the input
/// positions and every actor at the forecast. An error names the issue and
/// what the model refused; a forecast that is not a finite number is an
/// error too.
pub fn negotiate(
    s: &Scenario,
    i: &Issue,
    model: &NegotiationModel,
    v: &[f64],
) -> Result<detente_forecast::IssueForecast, String> {
    use detente_forecast::{eum, smp, Dataset, IssueForecast, MedianTie};
    let data = negotiation_data(s, i, v);
    let fail = |e: String| format!("issue `{}`: the {} model: {e}", i.id, model.name());
    let f = match model {
        NegotiationModel::Mean | NegotiationModel::Median => {
            let w = data.weights();
            let x = if matches!(model, NegotiationModel::Mean) {
                detente_forecast::weighted_mean(&data.positions, &w)
            } else {
                detente_forecast::weighted_median(&data.positions, &w, MedianTie::Lower)
            }
            .ok_or_else(|| fail("no actor takes part".into()))?;
            IssueForecast {
                issue: data.name.clone(),
                actors: data.actors.clone(),
                forecast: x,
                rounds: vec![data.positions.clone(), vec![x; data.len()]],
                stop: None,
                diagnostics: Vec::new(),
            }
        }
        NegotiationModel::Eum { options, .. } => {
            eum::forecast(&data, options).map_err(|e| fail(e.to_string()))?
        }
        NegotiationModel::Smp { options, .. } => {
            let ds = Dataset::single_issue(&data);
            smp::run(&ds, options)
                .map_err(|e| fail(e.to_string()))?
                .0
                .into_iter()
                .next()
                .ok_or_else(|| fail("no forecast".into()))?
        }
    };
    if !f.forecast.is_finite() || f.rounds.iter().flatten().any(|x| !x.is_finite()) {
        return Err(fail("the forecast is not a finite number".into()));
    }
    Ok(f)
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
        ClaimKind::Equilibrium { game, cell } => case.games[*game].get(*cell) == Some(&true),
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
