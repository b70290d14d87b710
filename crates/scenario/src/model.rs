//! The compiled scenario: names resolved to indices, every number an input
//! (an index into [`Scenario::inputs`]) so that Monte Carlo can draw them
//! all and policies can replace them.

use crate::param::{Dist, Provenance};
use detente_game::NormalFormGame;

pub type ActorId = usize;
pub type InputId = usize;

#[derive(Debug, Clone)]
pub struct Scenario {
    pub meta: Meta,
    pub sources: Vec<Source>,
    pub actors: Vec<Actor>,
    pub inputs: Vec<Input>,
    pub bodies: Vec<Body>,
    pub exchanges: Vec<Exchange>,
    pub coalitions: Vec<Coalition>,
    pub issues: Vec<Issue>,
    pub proposals: Vec<Proposal>,
    pub games: Vec<GameSpec>,
    pub measures: Vec<Measure>,
    pub policies: Vec<Policy>,
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub description: Option<String>,
    pub origin: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub date: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub capability: Option<InputId>,
}

/// One number of the scenario, with its distribution and provenance.
#[derive(Debug, Clone)]
pub struct Input {
    /// A stable path naming the number (`exchanges.deal.flows.shells.value`).
    pub id: String,
    pub dist: Dist,
    pub provenance: Provenance,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub id: String,
    pub name: String,
    pub members: Vec<ActorId>,
    pub quota: u32,
    pub vetoes: Vec<ActorId>,
    pub band: InputId,
}

#[derive(Debug, Clone)]
pub struct Exchange {
    pub id: String,
    pub name: String,
    pub parties: Vec<ActorId>,
    pub flows: Vec<Flow>,
    pub externalities: Vec<(ActorId, InputId)>,
    /// Bargaining power per party (same order as `parties`), if given.
    pub power: Option<Vec<InputId>>,
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub id: String,
    pub from: ActorId,
    pub to: ActorId,
    pub what: Option<String>,
    pub value: InputId,
    pub cost: InputId,
}

#[derive(Debug, Clone)]
pub struct Coalition {
    pub id: String,
    pub name: String,
    pub players: Vec<ActorId>,
    /// Worth of coalitions given explicitly: bit `k` of the mask is
    /// `players[k]`.
    pub values: Vec<(u64, InputId)>,
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub id: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    pub anchors: Vec<(String, String)>,
    pub status_quo: InputId,
    pub rule: Rule,
    pub positions: Vec<Position>,
}

#[derive(Debug, Clone)]
pub struct Position {
    pub actor: ActorId,
    pub position: InputId,
    pub salience: InputId,
}

#[derive(Debug, Clone)]
pub enum Rule {
    BodyVote {
        body: usize,
    },
    Unilateral {
        decider: ActorId,
        floor: Option<InputId>,
        ceiling: Option<InputId>,
    },
    Bargain {
        parties: [ActorId; 2],
        power: InputId,
    },
    MutualConsent {
        deciders: Vec<ActorId>,
        accepts: Vec<(ActorId, Option<InputId>, Option<InputId>)>,
    },
    Negotiation {
        model: NegotiationModel,
    },
}

/// The forecasting model that settles a negotiation, over the issue's
/// actors (their positions, saliences scaled to 0..1, and capabilities).
#[derive(Debug, Clone, PartialEq)]
pub enum NegotiationModel {
    /// The capability x salience weighted mean.
    Mean,
    /// The weighted median (the lowest position at which the cumulative
    /// weight reaches half).
    Median,
    /// Bueno de Mesquita's expected utility model
    /// (`detente_forecast::eum`), with the named preset's options.
    Eum {
        preset: String,
        options: Box<detente_forecast::EumOptions>,
    },
    /// KTAB's spatial model of politics (`detente_forecast::smp`).
    Smp {
        preset: String,
        options: Box<detente_forecast::SmpOptions>,
    },
}

impl NegotiationModel {
    pub fn name(&self) -> &'static str {
        match self {
            NegotiationModel::Mean => "mean",
            NegotiationModel::Median => "median",
            NegotiationModel::Eum { .. } => "eum",
            NegotiationModel::Smp { .. } => "smp",
        }
    }
    pub fn preset(&self) -> Option<&str> {
        match self {
            NegotiationModel::Eum { preset, .. } | NegotiationModel::Smp { preset, .. } => {
                Some(preset)
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Proposal {
    pub id: String,
    pub name: String,
    pub issue: usize,
    pub body: usize,
    pub value: InputId,
    pub status_quo: Option<InputId>,
    pub positions: Vec<(ActorId, InputId)>,
    /// Policies that table it; empty: every case.
    pub tabled_by: Vec<usize>,
    pub recorded: Option<Recorded>,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub date: String,
    pub source: Option<String>,
    pub yes: Option<u32>,
    pub no: Option<u32>,
    pub abstain: Option<u32>,
    pub vetoed_by: Vec<ActorId>,
    pub ballots: Vec<(ActorId, crate::eval::Ballot)>,
}

#[derive(Debug, Clone)]
pub struct GameSpec {
    pub id: String,
    pub name: String,
    /// The game at the point estimates (its payoffs exact rationals).
    pub game: NormalFormGame,
    /// For an inline game: each cell's payoffs as inputs (cells in Gambit
    /// order, row player's strategy fastest; one input per player), so that
    /// they may be uncertain and policies may change them.
    pub payoffs: Option<Vec<Vec<InputId>>>,
}

impl GameSpec {
    /// The game with the payoffs of `values` (an inline game; a file game
    /// is returned as it is). Errors if a value cannot be made exact.
    pub fn game_at(&self, values: &[f64]) -> Result<NormalFormGame, String> {
        let Some(cells) = &self.payoffs else {
            return Ok(self.game.clone());
        };
        let mut pay = Vec::with_capacity(cells.len());
        for c in cells {
            let mut row = Vec::with_capacity(c.len());
            for &i in c {
                row.push(
                    detente_game::Rational::from_float(values[i])
                        .ok_or_else(|| format!("game `{}`: a payoff is not finite", self.id))?,
                );
            }
            pay.push(row);
        }
        let mut g = NormalFormGame::from_payoffs(
            self.game.players().to_vec(),
            self.game.strategies().to_vec(),
            pay,
        )
        .map_err(|e| format!("game `{}`: {e}", self.id))?;
        g.title = self.game.title.clone();
        Ok(g)
    }
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub id: String,
    pub name: String,
    pub issues: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub origin: Option<String>,
    pub note: Option<String>,
    /// `(target input, replacement input)`, in the order applied (the
    /// policies it extends first).
    pub overrides: Vec<(InputId, InputId)>,
    /// `(body, replacement body)`.
    pub body_swaps: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub text: String,
    pub by: Option<String>,
    pub kind: ClaimKind,
    /// `None`: the base case.
    pub policy: Option<usize>,
    pub asserted: bool,
}

#[derive(Debug, Clone)]
pub enum ClaimKind {
    /// Every party of the exchange gains.
    WinWin { exchange: usize },
    /// The exchange's gains to its parties outweigh its harm to third parties.
    PositiveSum { exchange: usize },
    /// The proposal passes its body.
    Passes { proposal: usize },
    /// The actor vetoes the proposal.
    Vetoes { proposal: usize, actor: ActorId },
    /// The claim's policy lowers the measure below its base-case value.
    Lowers { measure: usize },
    /// The issue settles above / below a value.
    Settles {
        issue: usize,
        above: Option<f64>,
        below: Option<f64>,
    },
    /// The deciders of a mutual-consent issue reach agreement.
    Agreement { issue: usize },
    /// A pure profile (a cell, Gambit order) is a Nash equilibrium of an
    /// inline game.
    Equilibrium { game: usize, cell: usize },
}

impl Scenario {
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }
    pub fn policy_index(&self, id: &str) -> Option<usize> {
        self.policies.iter().position(|p| p.id == id)
    }
    /// Point estimates of every input.
    pub fn point_values(&self) -> Vec<f64> {
        self.inputs.iter().map(|i| i.dist.point()).collect()
    }
}

impl Scenario {
    /// Keeps only the named policies (and the base case): the others, the
    /// claims made under them and the proposals only they table are
    /// dropped. An unknown name is an error that suggests the nearest.
    pub fn retain_policies(&mut self, keep: &[String]) -> Result<(), String> {
        for k in keep {
            if self.policy_index(k).is_none() {
                return Err(format!(
                    "unknown policy `{k}` (the scenario has: {}){}",
                    self.policies
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    crate::error::suggestion(k, self.policies.iter().map(|p| p.id.as_str()))
                ));
            }
        }
        let new_policy: Vec<Option<usize>> = {
            let mut n = 0;
            self.policies
                .iter()
                .map(|p| {
                    keep.contains(&p.id).then(|| {
                        n += 1;
                        n - 1
                    })
                })
                .collect()
        };
        let mut new_proposal = Vec::with_capacity(self.proposals.len());
        let mut proposals = Vec::new();
        for mut p in std::mem::take(&mut self.proposals) {
            let tabled_anywhere = p.tabled_by.is_empty();
            p.tabled_by = p.tabled_by.iter().filter_map(|&t| new_policy[t]).collect();
            if !tabled_anywhere && p.tabled_by.is_empty() {
                new_proposal.push(None);
            } else {
                new_proposal.push(Some(proposals.len()));
                proposals.push(p);
            }
        }
        self.proposals = proposals;
        let mut claims = Vec::new();
        for mut c in std::mem::take(&mut self.claims) {
            if let Some(p) = c.policy {
                match new_policy[p] {
                    Some(n) => c.policy = Some(n),
                    None => continue,
                }
            }
            match &mut c.kind {
                ClaimKind::Passes { proposal } | ClaimKind::Vetoes { proposal, .. } => {
                    match new_proposal[*proposal] {
                        Some(n) => *proposal = n,
                        None => continue,
                    }
                }
                _ => {}
            }
            claims.push(c);
        }
        self.claims = claims;
        self.policies = std::mem::take(&mut self.policies)
            .into_iter()
            .zip(&new_policy)
            .filter_map(|(p, n)| n.map(|_| p))
            .collect();
        Ok(())
    }
}
