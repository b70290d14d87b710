//! The scenario file as written: serde structures for the TOML format
//! documented in `docs/scenario.md`. Every table refuses unknown keys, and
//! every reference to another entry (an actor, a body, an issue, ...) keeps
//! its position in the file, so that validation errors name line and column.

use crate::param::RawNumber;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;
use toml::Spanned;

/// A map that keeps the order of the file (TOML tables are unordered in
/// most libraries; the order actors are written in is the order they are
/// reported in).
#[derive(Debug, Clone)]
pub struct Ordered<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<Spanned<String>, V>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

pub type Ref = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: RawMeta,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    pub actors: Ordered<RawActor>,
    #[serde(default)]
    pub bodies: Ordered<RawBody>,
    #[serde(default)]
    pub exchanges: Ordered<RawExchange>,
    #[serde(default)]
    pub coalitions: Ordered<RawCoalition>,
    #[serde(default)]
    pub issues: Ordered<RawIssue>,
    #[serde(default)]
    pub proposals: Ordered<RawProposal>,
    #[serde(default)]
    pub games: Ordered<RawGame>,
    #[serde(default)]
    pub measures: Ordered<RawMeasure>,
    #[serde(default)]
    pub policies: Ordered<RawPolicy>,
    #[serde(default)]
    pub claims: Ordered<RawClaim>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Where the scenario comes from (an essay, a report).
    #[serde(default)]
    pub origin: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub name: String,
    #[serde(default)]
    pub capability: Option<Spanned<RawNumber>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    pub name: String,
    pub members: Vec<Ref>,
    /// Yes votes needed.
    pub quota: Spanned<u32>,
    /// Members whose "no" blocks any proposal (an abstention does not).
    #[serde(default)]
    pub vetoes: Vec<Ref>,
    /// The ballot rule: yes when the proposal beats the status quo for the
    /// member by more than `band`, no when it loses by more than `band`,
    /// abstain otherwise.
    #[serde(default)]
    pub ballot: Option<RawBallot>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBallot {
    pub band: Spanned<RawNumber>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExchange {
    pub name: String,
    pub parties: Vec<Ref>,
    pub flows: Ordered<RawFlow>,
    /// Effects on actors outside the exchange (negative: harm).
    #[serde(default)]
    pub externalities: Ordered<Spanned<RawNumber>>,
    /// Bargaining power of each party for the Nash-bargaining terms
    /// (default: equal).
    #[serde(default)]
    pub bargaining_power: Ordered<Spanned<RawNumber>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlow {
    pub from: Ref,
    pub to: Ref,
    #[serde(default)]
    pub what: Option<String>,
    /// Value to the receiver.
    pub value: Spanned<RawNumber>,
    /// Cost to the giver.
    pub cost: Spanned<RawNumber>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoalition {
    pub name: String,
    pub players: Vec<Ref>,
    /// Worth of coalitions, keyed by members joined with `+` (`"KOR+JPN"`);
    /// coalitions not listed are worth 0.
    pub values: Ordered<Spanned<RawNumber>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub name: String,
    #[serde(default)]
    pub scale: Option<RawScale>,
    pub status_quo: Spanned<RawNumber>,
    pub rule: RawRule,
    pub positions: Ordered<RawPosition>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// Meaning of points on the scale, keyed by the point (`"40" = "..."`).
    #[serde(default)]
    pub anchors: Ordered<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPosition {
    pub position: Spanned<RawNumber>,
    pub salience: Spanned<RawNumber>,
}

/// An issue's decision rule. `kind` is one of:
/// - `body_vote` (`body`): a body votes on the proposal for this issue that
///   the case tables; without one, or if it fails, the status quo stays;
/// - `unilateral` (`decider`, optional `floor`, `ceiling`): one actor
///   decides, within bounds (a floor set by a legislature, say);
/// - `bargain` (`parties` = two actors, `power`): the asymmetric Nash
///   bargaining solution with linear utilities between the two positions,
///   `x = (1 - b) * x_first + b * x_second`, `b` the second party's power;
/// - `mutual_consent` (`deciders`, `accepts`): every decider must consent;
///   each accepts outcomes within its `[min, max]`; an empty intersection
///   means no agreement and the status quo stays; otherwise the midpoint of
///   the zone of agreement;
/// - `negotiation` (`model` = `mean`, `median`, `eum` or `smp`; optional
///   `preset` and `rounds` for `eum` and `smp`): a negotiation among the
///   issue's actors settled by a forecasting model, with their
///   capabilities and saliences.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub kind: Spanned<String>,
    #[serde(default)]
    pub body: Option<Ref>,
    #[serde(default)]
    pub decider: Option<Ref>,
    #[serde(default)]
    pub floor: Option<Spanned<RawNumber>>,
    #[serde(default)]
    pub ceiling: Option<Spanned<RawNumber>>,
    #[serde(default)]
    pub parties: Vec<Ref>,
    #[serde(default)]
    pub power: Option<Spanned<RawNumber>>,
    #[serde(default)]
    pub deciders: Vec<Ref>,
    #[serde(default)]
    pub accepts: Ordered<RawAccept>,
    #[serde(default)]
    pub model: Option<Spanned<String>>,
    /// The model's preset (`eum`: `scholz2011` or `paper`; `smp`: `ktab`).
    #[serde(default)]
    pub preset: Option<Spanned<String>>,
    /// Most rounds (`eum`) or turns (`smp`) the model runs.
    #[serde(default)]
    pub rounds: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccept {
    #[serde(default)]
    pub min: Option<Spanned<RawNumber>>,
    #[serde(default)]
    pub max: Option<Spanned<RawNumber>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProposal {
    pub name: String,
    pub issue: Ref,
    pub body: Ref,
    pub value: Spanned<RawNumber>,
    /// The reversion point if the proposal fails (default: the issue's
    /// status quo).
    #[serde(default)]
    pub status_quo: Option<Spanned<RawNumber>>,
    /// Positions that differ from the issue's for this vote (a vote of
    /// another year, say).
    #[serde(default)]
    pub positions: Ordered<Spanned<RawNumber>>,
    /// The policies that table it; empty: voted in the base case and under
    /// every policy.
    #[serde(default)]
    pub tabled_by: Vec<Ref>,
    /// A vote that happened: the model must reproduce it (a check), and it
    /// does not move the issue's outcome.
    #[serde(default)]
    pub recorded: Option<RawRecorded>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecorded {
    pub date: String,
    #[serde(default)]
    pub source: Option<String>,
    /// Counts on record, where the body of that day is the body modelled.
    #[serde(default)]
    pub yes: Option<u32>,
    #[serde(default)]
    pub no: Option<u32>,
    #[serde(default)]
    pub abstain: Option<u32>,
    #[serde(default)]
    pub vetoed_by: Vec<Ref>,
    /// Members whose ballots are on record (checked one by one).
    #[serde(default)]
    pub ballots: Ordered<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGame {
    pub name: String,
    /// A path to an `.nfg`/`.efg` file, relative to the scenario file.
    #[serde(default)]
    pub file: Option<Spanned<String>>,
    /// An inline game: `players`, `strategies` and `payoffs`.
    #[serde(default)]
    pub players: Vec<Ref>,
    #[serde(default)]
    pub strategies: Vec<Vec<String>>,
    /// Payoff rows for a two-player game: `payoffs[i][j] = [u_row, u_col]`.
    #[serde(default)]
    pub payoffs: Vec<Vec<Vec<Spanned<RawNumber>>>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    pub name: String,
    /// `discontent`: the capability- and salience-weighted mean distance
    /// between each issue's outcome and each actor's position (0-100).
    pub kind: Spanned<String>,
    #[serde(default)]
    pub issues: Vec<Ref>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub name: String,
    /// Policies applied first.
    #[serde(default)]
    pub extends: Vec<Ref>,
    /// New values for inputs, keyed by input id (`issues.X.positions.USA.position`).
    #[serde(default)]
    pub set: Ordered<Spanned<RawNumber>>,
    /// Bodies replaced by others (`unsc2024 = "unsc2025"`).
    #[serde(default)]
    pub replace_bodies: Ordered<Ref>,
    #[serde(default)]
    pub note: Option<String>,
    /// Who proposes it (the essay, the notes, ...).
    #[serde(default)]
    pub origin: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub text: String,
    /// Who makes the claim.
    #[serde(default)]
    pub by: Option<String>,
    /// The kind of claim and its arguments.
    pub kind: Spanned<String>,
    #[serde(default)]
    pub exchange: Option<Ref>,
    #[serde(default)]
    pub proposal: Option<Ref>,
    #[serde(default)]
    pub issue: Option<Ref>,
    #[serde(default)]
    pub measure: Option<Ref>,
    #[serde(default)]
    pub actor: Option<Ref>,
    /// An inline game (`equilibrium` claims).
    #[serde(default)]
    pub game: Option<Ref>,
    /// A pure profile: one strategy label per player (`equilibrium`).
    #[serde(default)]
    pub profile: Vec<Ref>,
    /// The policy under which the claim is evaluated (default: the base case).
    #[serde(default)]
    pub policy: Option<Ref>,
    #[serde(default)]
    pub above: Option<f64>,
    #[serde(default)]
    pub below: Option<f64>,
    /// What the claimant asserts (default true); the report says whether
    /// the analysis agrees.
    #[serde(default)]
    pub asserted: Option<bool>,
}
