//! From the file to the compiled [`Scenario`]: parse the TOML, resolve every
//! name, check every number, and report the first problem with its file,
//! line and column (and the nearest valid name where a name is unknown).

use crate::error::{suggestion, Locator, ScenarioError};
use crate::eval::Ballot;
use crate::model::*;
use crate::param::{Dist, RawNumber};
use crate::raw::*;
use detente_game::{NormalFormGame, Rational};
use std::collections::HashMap;
use toml::Spanned;

/// Most players a coalition table may name (its worth is kept per subset).
pub const MAX_COALITION_PLAYERS: usize = 25;

/// Most rounds (EUM) or turns (SMP) a negotiation model may run.
pub const MAX_ROUNDS: u32 = 1000;

/// Parses and checks a scenario. `file` names the input in errors.
pub fn parse_scenario(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let loc = Locator { file, text };
    let raw: RawScenario = toml::from_str(text).map_err(|e| toml_error(&loc, &e))?;
    Compiler {
        loc,
        inputs: Vec::new(),
        input_index: HashMap::new(),
        actors: Vec::new(),
        clamps: Vec::new(),
    }
    .compile(raw)
}

fn toml_error(loc: &Locator, e: &toml::de::Error) -> ScenarioError {
    let offset = e.span().map(|s| s.start).unwrap_or(0);
    let mut message = e.message().trim().to_string();
    // serde's "unknown field `x`, expected one of `a`, `b`": add the nearest.
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((name, tail)) = rest.split_once('`') {
            let candidates: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
            let hint = suggestion(name, candidates.iter().copied());
            message.push_str(&hint);
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((name, tail)) = rest.split_once('`') {
            let candidates: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
            message.push_str(&suggestion(name, candidates.iter().copied()));
        }
    }
    if message.starts_with("data did not match any variant of untagged enum RawNumber") {
        message = "expected a number, or a table such as `{ value = 5, source = \"F1\" }` or `{ triangular = [low, mode, high] }` with only the keys value, uniform, triangular, normal, pert, discrete, source, judgment, note".into();
    }
    loc.error(offset, message)
}

/// The range a number must lie in.
#[derive(Clone, Copy)]
struct Range {
    min: f64,
    max: f64,
    what: &'static str,
}

const ANY: Range = Range {
    min: f64::NEG_INFINITY,
    max: f64::INFINITY,
    what: "",
};
const SALIENCE: Range = Range {
    min: 0.0,
    max: 100.0,
    what: "a salience (0 to 100)",
};
const SHARE: Range = Range {
    min: 0.0,
    max: 1.0,
    what: "a bargaining power (0 to 1)",
};
const NONNEG: Range = Range {
    min: 0.0,
    max: f64::INFINITY,
    what: "a non-negative number",
};

struct Compiler<'a> {
    loc: Locator<'a>,
    inputs: Vec<Input>,
    input_index: HashMap<String, InputId>,
    actors: Vec<Actor>,
    /// Per input: the range it is clamped to when drawn.
    clamps: Vec<(f64, f64)>,
}

fn names<T>(items: &[(Spanned<String>, T)]) -> Vec<&str> {
    items.iter().map(|(k, _)| k.get_ref().as_str()).collect()
}

impl<'a> Compiler<'a> {
    fn err(&self, offset: usize, msg: impl Into<String>) -> ScenarioError {
        self.loc.error(offset, msg)
    }

    fn actor(&self, r: &Ref) -> Result<ActorId, ScenarioError> {
        let name = r.get_ref();
        self.actors
            .iter()
            .position(|a| &a.id == name)
            .ok_or_else(|| {
                self.err(
                    r.span().start,
                    format!(
                        "unknown actor `{name}`{}",
                        suggestion(name, self.actors.iter().map(|a| a.id.as_str()))
                    ),
                )
            })
    }

    fn lookup(&self, r: &Ref, what: &str, ids: &[&str]) -> Result<usize, ScenarioError> {
        let name = r.get_ref();
        ids.iter().position(|i| i == name).ok_or_else(|| {
            self.err(
                r.span().start,
                format!(
                    "unknown {what} `{name}`{}",
                    suggestion(name, ids.iter().copied())
                ),
            )
        })
    }

    fn input(
        &mut self,
        id: String,
        num: &Spanned<RawNumber>,
        range: Range,
    ) -> Result<InputId, ScenarioError> {
        let at = num.span().start;
        let (dist, provenance) = num.get_ref().to_dist().map_err(|m| self.err(at, m))?;
        self.check_range(&dist, range, at)?;
        Ok(self.push_input(id, dist, provenance, range))
    }

    fn check_range(&self, dist: &Dist, range: Range, at: usize) -> Result<(), ScenarioError> {
        if range.what.is_empty() {
            return Ok(());
        }
        let check = |v: f64| v >= range.min && v <= range.max;
        let (lo, hi) = match dist {
            // A normal's tails are clamped into the range when drawn; its
            // mean must lie inside.
            Dist::Normal { mean, .. } => (*mean, *mean),
            d => d.support(),
        };
        for v in [lo, hi] {
            if !check(v) {
                return Err(self.err(at, format!("{v} is not {}", range.what)));
            }
        }
        Ok(())
    }

    fn push_input(
        &mut self,
        id: String,
        dist: Dist,
        provenance: crate::param::Provenance,
        range: Range,
    ) -> InputId {
        let k = self.inputs.len();
        self.input_index.insert(id.clone(), k);
        self.inputs.push(Input {
            id,
            dist,
            provenance,
        });
        self.clamps.push((range.min, range.max));
        k
    }

    fn compile(mut self, raw: RawScenario) -> Result<Scenario, ScenarioError> {
        let meta = Meta {
            id: raw.scenario.id,
            title: raw.scenario.title,
            date: raw.scenario.date,
            description: raw.scenario.description,
            origin: raw.scenario.origin,
        };
        let mut sources = Vec::new();
        for s in raw.sources {
            if sources.iter().any(|x: &Source| &x.id == s.id.get_ref()) {
                return Err(self.err(
                    s.id.span().start,
                    format!("source `{}` is listed twice", s.id.get_ref()),
                ));
            }
            sources.push(Source {
                id: s.id.into_inner(),
                title: s.title,
                url: s.url,
                date: s.date,
                note: s.note,
            });
        }

        // Actors first: everything else refers to them.
        if raw.actors.0.is_empty() {
            return Err(self.err(0, "a scenario needs at least one actor in [actors]"));
        }
        for (id, a) in &raw.actors.0 {
            self.actors.push(Actor {
                id: id.get_ref().clone(),
                name: a.name.clone(),
                capability: None,
            });
        }
        for (k, (id, a)) in raw.actors.0.iter().enumerate() {
            if let Some(c) = &a.capability {
                let i = self.input(format!("actors.{}.capability", id.get_ref()), c, NONNEG)?;
                self.actors[k].capability = Some(i);
            }
        }

        let bodies = self.bodies(&raw.bodies)?;
        let body_ids: Vec<&str> = names(&raw.bodies.0);
        let exchanges = self.exchanges(&raw.exchanges)?;
        let coalitions = self.coalitions(&raw.coalitions)?;
        let issues = self.issues(&raw.issues, &body_ids)?;
        let issue_ids: Vec<&str> = names(&raw.issues.0);
        let policy_ids: Vec<&str> = names(&raw.policies.0);
        let proposals =
            self.proposals(&raw.proposals, &issues, &issue_ids, &body_ids, &policy_ids)?;
        let games = self.games(&raw.games)?;
        let measures = self.measures(&raw.measures, &issue_ids)?;
        let policies = self.policies(&raw.policies, &body_ids)?;
        let claims = self.claims(
            &raw.claims,
            &ClaimNames {
                exchanges: names(&raw.exchanges.0),
                proposals: names(&raw.proposals.0),
                issues: issue_ids.clone(),
                measures: names(&raw.measures.0),
                policies: policy_ids.clone(),
                games: names(&raw.games.0),
            },
            &issues,
            &proposals,
            &games,
        )?;
        let mut inputs = self.inputs;
        // Clamp ranges travel with the distribution.
        for (inp, (lo, hi)) in inputs.iter_mut().zip(self.clamps) {
            if let Dist::Normal { low, high, .. } = &mut inp.dist {
                *low = lo;
                *high = hi;
            }
        }
        Ok(Scenario {
            meta,
            sources,
            actors: self.actors,
            inputs,
            bodies,
            exchanges,
            coalitions,
            issues,
            proposals,
            games,
            measures,
            policies,
            claims,
        })
    }

    fn bodies(&mut self, raw: &Ordered<RawBody>) -> Result<Vec<Body>, ScenarioError> {
        let mut out = Vec::new();
        for (id, b) in &raw.0 {
            let mut members = Vec::new();
            for m in &b.members {
                let a = self.actor(m)?;
                if members.contains(&a) {
                    return Err(self.err(
                        m.span().start,
                        format!("`{}` is listed twice among the members", m.get_ref()),
                    ));
                }
                members.push(a);
            }
            if members.is_empty() {
                return Err(self.err(
                    id.span().start,
                    format!("body `{}` has no members", id.get_ref()),
                ));
            }
            let quota = *b.quota.get_ref();
            if quota == 0 || quota as usize > members.len() {
                return Err(self.err(
                    b.quota.span().start,
                    format!(
                        "quota {quota} is impossible for a body of {} members (it must be 1 to {})",
                        members.len(),
                        members.len()
                    ),
                ));
            }
            let mut vetoes = Vec::new();
            for v in &b.vetoes {
                let a = self.actor(v)?;
                if !members.contains(&a) {
                    return Err(self.err(
                        v.span().start,
                        format!(
                            "veto holder `{}` is not a member of `{}`",
                            v.get_ref(),
                            id.get_ref()
                        ),
                    ));
                }
                vetoes.push(a);
            }
            let band_id = format!("bodies.{}.ballot.band", id.get_ref());
            let band = match &b.ballot {
                Some(bb) => self.input(band_id, &bb.band, NONNEG)?,
                None => self.push_input(
                    band_id,
                    Dist::Point(0.0),
                    crate::param::Provenance::Unstated,
                    NONNEG,
                ),
            };
            out.push(Body {
                id: id.get_ref().clone(),
                name: b.name.clone(),
                members,
                quota,
                vetoes,
                band,
            });
        }
        Ok(out)
    }

    fn exchanges(&mut self, raw: &Ordered<RawExchange>) -> Result<Vec<Exchange>, ScenarioError> {
        let mut out = Vec::new();
        for (id, x) in &raw.0 {
            let xid = id.get_ref();
            let mut parties = Vec::new();
            for p in &x.parties {
                parties.push(self.actor(p)?);
            }
            if parties.len() < 2 {
                return Err(self.err(
                    id.span().start,
                    format!("exchange `{xid}` needs at least two parties"),
                ));
            }
            let mut flows = Vec::new();
            for (fid, f) in &x.flows.0 {
                let from = self.actor(&f.from)?;
                let to = self.actor(&f.to)?;
                for (r, a) in [(&f.from, from), (&f.to, to)] {
                    if !parties.contains(&a) {
                        return Err(self.err(
                            r.span().start,
                            format!(
                                "`{}` is not a party to exchange `{xid}` (parties: {})",
                                r.get_ref(),
                                x.parties
                                    .iter()
                                    .map(|p| p.get_ref().as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
                if from == to {
                    return Err(self.err(
                        f.to.span().start,
                        "a flow goes from one party to another, not to itself",
                    ));
                }
                let base = format!("exchanges.{xid}.flows.{}", fid.get_ref());
                let value = self.input(format!("{base}.value"), &f.value, ANY)?;
                let cost = self.input(format!("{base}.cost"), &f.cost, ANY)?;
                flows.push(Flow {
                    id: fid.get_ref().clone(),
                    from,
                    to,
                    what: f.what.clone(),
                    value,
                    cost,
                });
            }
            let mut externalities = Vec::new();
            for (a, v) in &x.externalities.0 {
                let actor = self.actor(a)?;
                if parties.contains(&actor) {
                    return Err(self.err(
                        a.span().start,
                        format!(
                            "`{}` is a party to the exchange; externalities are for third parties",
                            a.get_ref()
                        ),
                    ));
                }
                let i = self.input(
                    format!("exchanges.{xid}.externalities.{}", a.get_ref()),
                    v,
                    ANY,
                )?;
                externalities.push((actor, i));
            }
            let power = if x.bargaining_power.0.is_empty() {
                None
            } else {
                let mut pw = vec![None; parties.len()];
                for (a, v) in &x.bargaining_power.0 {
                    let actor = self.actor(a)?;
                    let k = parties.iter().position(|p| *p == actor).ok_or_else(|| {
                        self.err(
                            a.span().start,
                            format!("`{}` is not a party to exchange `{xid}`", a.get_ref()),
                        )
                    })?;
                    pw[k] = Some(self.input(
                        format!("exchanges.{xid}.bargaining_power.{}", a.get_ref()),
                        v,
                        NONNEG,
                    )?);
                }
                let mut all = Vec::new();
                for (k, p) in pw.into_iter().enumerate() {
                    match p {
                        Some(i) => all.push(i),
                        None => {
                            return Err(self.err(
                                id.span().start,
                                format!(
                                    "exchange `{xid}`: bargaining_power is missing for party `{}`",
                                    self.actors[parties[k]].id
                                ),
                            ))
                        }
                    }
                }
                Some(all)
            };
            out.push(Exchange {
                id: xid.clone(),
                name: x.name.clone(),
                parties,
                flows,
                externalities,
                power,
            });
        }
        Ok(out)
    }

    fn coalitions(&mut self, raw: &Ordered<RawCoalition>) -> Result<Vec<Coalition>, ScenarioError> {
        let mut out = Vec::new();
        for (id, c) in &raw.0 {
            let cid = id.get_ref();
            let mut players = Vec::new();
            for p in &c.players {
                let a = self.actor(p)?;
                if players.contains(&a) {
                    return Err(
                        self.err(p.span().start, format!("`{}` is listed twice", p.get_ref()))
                    );
                }
                players.push(a);
            }
            if players.is_empty() || players.len() > MAX_COALITION_PLAYERS {
                return Err(self.err(id.span().start, format!("coalition game `{cid}` has {} players; it needs 1 to {MAX_COALITION_PLAYERS}", players.len())));
            }
            let mut values = Vec::new();
            for (key, v) in &c.values.0 {
                let mut mask = 0u64;
                for part in key.get_ref().split('+') {
                    let part = part.trim();
                    let k = c
                        .players
                        .iter()
                        .position(|p| p.get_ref() == part)
                        .ok_or_else(|| {
                            self.err(
                                key.span().start,
                                format!(
                                    "`{part}` in coalition `{}` is not a player of `{cid}`{}",
                                    key.get_ref(),
                                    suggestion(
                                        part,
                                        c.players.iter().map(|p| p.get_ref().as_str())
                                    )
                                ),
                            )
                        })?;
                    mask |= 1 << k;
                }
                if values.iter().any(|(m, _)| *m == mask) {
                    return Err(self.err(
                        key.span().start,
                        format!("coalition `{}` is given twice", key.get_ref()),
                    ));
                }
                let i = self.input(format!("coalitions.{cid}.values.{}", key.get_ref()), v, ANY)?;
                values.push((mask, i));
            }
            out.push(Coalition {
                id: cid.clone(),
                name: c.name.clone(),
                players,
                values,
            });
        }
        Ok(out)
    }

    fn issues(
        &mut self,
        raw: &Ordered<RawIssue>,
        body_ids: &[&str],
    ) -> Result<Vec<Issue>, ScenarioError> {
        let mut out = Vec::new();
        for (id, x) in &raw.0 {
            let iid = id.get_ref();
            let (min, max) = match &x.scale {
                Some(s) => (s.min.unwrap_or(0.0), s.max.unwrap_or(100.0)),
                None => (0.0, 100.0),
            };
            if min.partial_cmp(&max) != Some(std::cmp::Ordering::Less) {
                return Err(self.err(
                    id.span().start,
                    format!("issue `{iid}`: the scale's min {min} is not below its max {max}"),
                ));
            }
            let scale = Range {
                min,
                max,
                what: "on the issue's scale",
            };
            let anchors = x
                .scale
                .as_ref()
                .map(|s| {
                    s.anchors
                        .0
                        .iter()
                        .map(|(k, v)| (k.get_ref().clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            let status_quo =
                self.input(format!("issues.{iid}.status_quo"), &x.status_quo, scale)?;
            let mut positions = Vec::new();
            for (a, p) in &x.positions.0 {
                let actor = self.actor(a)?;
                let base = format!("issues.{iid}.positions.{}", a.get_ref());
                let position = self.input(format!("{base}.position"), &p.position, scale)?;
                let salience = self.input(format!("{base}.salience"), &p.salience, SALIENCE)?;
                positions.push(Position {
                    actor,
                    position,
                    salience,
                });
            }
            if positions.is_empty() {
                return Err(self.err(id.span().start, format!("issue `{iid}` has no positions")));
            }
            let rule = self.rule(&x.rule, iid, &positions, scale, body_ids)?;
            out.push(Issue {
                id: iid.clone(),
                name: x.name.clone(),
                min,
                max,
                anchors,
                status_quo,
                rule,
                positions,
            });
        }
        Ok(out)
    }

    fn rule(
        &mut self,
        r: &RawRule,
        iid: &str,
        positions: &[Position],
        scale: Range,
        body_ids: &[&str],
    ) -> Result<Rule, ScenarioError> {
        const KINDS: [&str; 5] = [
            "body_vote",
            "unilateral",
            "bargain",
            "mutual_consent",
            "negotiation",
        ];
        let at = r.kind.span().start;
        let kind = r.kind.get_ref().as_str();
        let has_pos = |a: ActorId| positions.iter().any(|p| p.actor == a);
        // Which keys each kind takes; any other key given is an error.
        let allowed: &[&str] = match kind {
            "body_vote" => &["body"],
            "unilateral" => &["decider", "floor", "ceiling"],
            "bargain" => &["parties", "power"],
            "mutual_consent" => &["deciders", "accepts"],
            "negotiation" => &["model", "preset", "rounds"],
            other => {
                return Err(self.err(
                    at,
                    format!(
                        "unknown rule kind `{other}` (expected one of {}){}",
                        KINDS.join(", "),
                        suggestion(other, KINDS)
                    ),
                ))
            }
        };
        let given = [
            ("body", r.body.is_some()),
            ("decider", r.decider.is_some()),
            ("floor", r.floor.is_some()),
            ("ceiling", r.ceiling.is_some()),
            ("parties", !r.parties.is_empty()),
            ("power", r.power.is_some()),
            ("deciders", !r.deciders.is_empty()),
            ("accepts", !r.accepts.0.is_empty()),
            ("model", r.model.is_some()),
            ("preset", r.preset.is_some()),
            ("rounds", r.rounds.is_some()),
        ];
        for (key, present) in given {
            if present && !allowed.contains(&key) {
                return Err(self.err(
                    at,
                    format!(
                        "a `{kind}` rule takes {}, not `{key}`",
                        allowed
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let need = |present: bool, key: &str| -> Result<(), ScenarioError> {
            if present {
                Ok(())
            } else {
                Err(self.err(at, format!("a `{kind}` rule needs `{key}`")))
            }
        };
        Ok(match kind {
            "body_vote" => {
                need(r.body.is_some(), "body")?;
                let body = r
                    .body
                    .as_ref()
                    .map(|b| self.lookup(b, "body", body_ids))
                    .transpose()?
                    .unwrap_or(0);
                Rule::BodyVote { body }
            }
            "unilateral" => {
                let Some(decider) = &r.decider else {
                    return Err(self.err(at, "a `unilateral` rule needs `decider`"));
                };
                let d = self.actor(decider)?;
                if !has_pos(d) {
                    return Err(self.err(
                        decider.span().start,
                        format!(
                            "the decider `{}` has no position on issue `{iid}`",
                            decider.get_ref()
                        ),
                    ));
                }
                let floor = match &r.floor {
                    Some(f) => Some(self.input(format!("issues.{iid}.rule.floor"), f, scale)?),
                    None => None,
                };
                let ceiling = match &r.ceiling {
                    Some(f) => Some(self.input(format!("issues.{iid}.rule.ceiling"), f, scale)?),
                    None => None,
                };
                Rule::Unilateral {
                    decider: d,
                    floor,
                    ceiling,
                }
            }
            "bargain" => {
                if r.parties.len() != 2 {
                    return Err(self.err(
                        at,
                        format!(
                            "a `bargain` has exactly two parties, found {}",
                            r.parties.len()
                        ),
                    ));
                }
                let a = self.actor(&r.parties[0])?;
                let b = self.actor(&r.parties[1])?;
                for (rf, x) in [(&r.parties[0], a), (&r.parties[1], b)] {
                    if !has_pos(x) {
                        return Err(self.err(
                            rf.span().start,
                            format!(
                                "the party `{}` has no position on issue `{iid}`",
                                rf.get_ref()
                            ),
                        ));
                    }
                }
                let Some(power) = &r.power else {
                    return Err(self.err(at, "a `bargain` rule needs `power` (the second party's bargaining power, 0 to 1)"));
                };
                let power = self.input(format!("issues.{iid}.rule.power"), power, SHARE)?;
                Rule::Bargain {
                    parties: [a, b],
                    power,
                }
            }
            "mutual_consent" => {
                let mut ds = Vec::new();
                for d in &r.deciders {
                    ds.push(self.actor(d)?);
                }
                if ds.len() < 2 {
                    return Err(self.err(at, "`mutual_consent` needs at least two deciders"));
                }
                let mut acc = Vec::new();
                for (a, x) in &r.accepts.0 {
                    let actor = self.actor(a)?;
                    if !ds.contains(&actor) {
                        return Err(self.err(
                            a.span().start,
                            format!("`{}` is not a decider of issue `{iid}`", a.get_ref()),
                        ));
                    }
                    let base = format!("issues.{iid}.rule.accepts.{}", a.get_ref());
                    let lo = match &x.min {
                        Some(v) => Some(self.input(format!("{base}.min"), v, scale)?),
                        None => None,
                    };
                    let hi = match &x.max {
                        Some(v) => Some(self.input(format!("{base}.max"), v, scale)?),
                        None => None,
                    };
                    acc.push((actor, lo, hi));
                }
                Rule::MutualConsent {
                    deciders: ds,
                    accepts: acc,
                }
            }
            _ => {
                const MODELS: [&str; 4] = ["mean", "median", "eum", "smp"];
                let Some(model) = &r.model else {
                    return Err(self.err(
                        at,
                        "a `negotiation` rule needs `model` (`mean`, `median`, `eum` or `smp`)",
                    ));
                };
                let name = model.get_ref().as_str();
                let presets: &[&str] = match name {
                    "eum" => &["scholz2011", "paper"],
                    "smp" => &["ktab"],
                    _ => &[],
                };
                if presets.is_empty() {
                    for (key, span) in [
                        ("preset", r.preset.as_ref().map(|p| p.span().start)),
                        ("rounds", r.rounds.as_ref().map(|p| p.span().start)),
                    ] {
                        if let (Some(span), true) = (span, MODELS.contains(&name)) {
                            return Err(self.err(
                                span,
                                format!(
                                    "the `{name}` model takes no `{key}` (only `eum` and `smp` do)"
                                ),
                            ));
                        }
                    }
                }
                let preset = match &r.preset {
                    Some(p) => {
                        if !presets.contains(&p.get_ref().as_str()) {
                            return Err(self.err(
                                p.span().start,
                                format!(
                                    "unknown {name} preset `{}` (expected {}){}",
                                    p.get_ref(),
                                    presets
                                        .iter()
                                        .map(|x| format!("`{x}`"))
                                        .collect::<Vec<_>>()
                                        .join(" or "),
                                    suggestion(p.get_ref(), presets.iter().copied())
                                ),
                            ));
                        }
                        p.get_ref().clone()
                    }
                    None => presets.first().map(|p| p.to_string()).unwrap_or_default(),
                };
                let rounds = match &r.rounds {
                    Some(n) if *n.get_ref() == 0 || *n.get_ref() > MAX_ROUNDS => {
                        return Err(self.err(
                            n.span().start,
                            format!(
                                "`rounds` must be between 1 and {MAX_ROUNDS}, found {}",
                                n.get_ref()
                            ),
                        ))
                    }
                    Some(n) => Some(*n.get_ref() as usize),
                    None => None,
                };
                let m = match name {
                    "mean" => NegotiationModel::Mean,
                    "median" => NegotiationModel::Median,
                    "eum" => {
                        let mut options =
                            detente_forecast::EumOptions::preset(&preset).unwrap_or_default();
                        if let Some(n) = rounds {
                            options.rounds = n;
                        }
                        NegotiationModel::Eum {
                            preset,
                            options: Box::new(options),
                        }
                    }
                    "smp" => {
                        let mut options =
                            detente_forecast::SmpOptions::preset(&preset).unwrap_or_default();
                        if let Some(n) = rounds {
                            options.max_turns = n;
                        }
                        NegotiationModel::Smp {
                            preset,
                            options: Box::new(options),
                        }
                    }
                    other => {
                        return Err(self.err(
                            model.span().start,
                            format!(
                                "unknown negotiation model `{other}` (expected one of {}){}",
                                MODELS.join(", "),
                                suggestion(other, MODELS)
                            ),
                        ))
                    }
                };
                Rule::Negotiation { model: m }
            }
        })
    }

    fn proposals(
        &mut self,
        raw: &Ordered<RawProposal>,
        issues: &[Issue],
        issue_ids: &[&str],
        body_ids: &[&str],
        policy_ids: &[&str],
    ) -> Result<Vec<Proposal>, ScenarioError> {
        let mut out = Vec::new();
        for (id, p) in &raw.0 {
            let pid = id.get_ref();
            let issue = self.lookup(&p.issue, "issue", issue_ids)?;
            let body = self.lookup(&p.body, "body", body_ids)?;
            let scale = Range {
                min: issues[issue].min,
                max: issues[issue].max,
                what: "on the issue's scale",
            };
            let value = self.input(format!("proposals.{pid}.value"), &p.value, scale)?;
            let status_quo = match &p.status_quo {
                Some(v) => Some(self.input(format!("proposals.{pid}.status_quo"), v, scale)?),
                None => None,
            };
            let mut positions = Vec::new();
            for (a, v) in &p.positions.0 {
                let actor = self.actor(a)?;
                positions.push((
                    actor,
                    self.input(
                        format!("proposals.{pid}.positions.{}", a.get_ref()),
                        v,
                        scale,
                    )?,
                ));
            }
            let mut tabled_by = Vec::new();
            for t in &p.tabled_by {
                tabled_by.push(self.lookup(t, "policy", policy_ids)?);
            }
            let recorded = match &p.recorded {
                None => None,
                Some(r) => {
                    let mut vetoed_by = Vec::new();
                    for v in &r.vetoed_by {
                        vetoed_by.push(self.actor(v)?);
                    }
                    let mut ballots = Vec::new();
                    for (a, b) in &r.ballots.0 {
                        let actor = self.actor(a)?;
                        let ballot = match b.as_str() {
                            "yes" => Ballot::Yes,
                            "no" => Ballot::No,
                            "abstain" => Ballot::Abstain,
                            other => {
                                return Err(self.err(
                                    a.span().start,
                                    format!(
                                        "a ballot is `yes`, `no` or `abstain`, found `{other}`"
                                    ),
                                ))
                            }
                        };
                        ballots.push((actor, ballot));
                    }
                    Some(Recorded {
                        date: r.date.clone(),
                        source: r.source.clone(),
                        yes: r.yes,
                        no: r.no,
                        abstain: r.abstain,
                        vetoed_by,
                        ballots,
                    })
                }
            };
            out.push(Proposal {
                id: pid.clone(),
                name: p.name.clone(),
                issue,
                body,
                value,
                status_quo,
                positions,
                tabled_by,
                recorded,
            });
        }
        Ok(out)
    }

    fn games(&mut self, raw: &Ordered<RawGame>) -> Result<Vec<GameSpec>, ScenarioError> {
        let mut out = Vec::new();
        for (id, g) in &raw.0 {
            let gid = id.get_ref();
            if let Some(f) = &g.file {
                if !g.players.is_empty() || !g.strategies.is_empty() || !g.payoffs.is_empty() {
                    return Err(self.err(f.span().start, format!("game `{gid}`: give either `file` or an inline table (`players`, `strategies`, `payoffs`), not both")));
                }
                // Relative paths are relative to the scenario file.
                let path = std::path::Path::new(self.loc.file)
                    .parent()
                    .filter(|d| d.is_dir())
                    .map(|d| d.join(f.get_ref()))
                    .unwrap_or_else(|| std::path::PathBuf::from(f.get_ref()));
                let shown = path.to_string_lossy().to_string();
                let game = detente_game::read_game_file(&shown)
                    .map_err(|e| self.err(f.span().start, format!("game `{gid}`: {e}")))?;
                let mut nf = game
                    .to_normal_form()
                    .map_err(|e| self.err(f.span().start, format!("game `{gid}`: {e}")))?
                    .into_owned();
                if nf.title.is_empty() {
                    nf.title = g.name.clone();
                }
                out.push(GameSpec {
                    id: gid.clone(),
                    name: g.name.clone(),
                    game: nf,
                    payoffs: None,
                });
                continue;
            }
            if g.players.len() != 2 || g.strategies.len() != 2 {
                return Err(self.err(
                    id.span().start,
                    format!("game `{gid}`: an inline game has two players and two strategy lists"),
                ));
            }
            for p in &g.players {
                self.actor(p)?;
            }
            let (m, n) = (g.strategies[0].len(), g.strategies[1].len());
            if m == 0 || n == 0 || g.payoffs.len() != m || g.payoffs.iter().any(|r| r.len() != n) {
                return Err(self.err(id.span().start, format!("game `{gid}`: payoffs must be {m} rows of {n} cells, one per pair of strategies")));
            }
            let mut cells = vec![Vec::new(); m * n];
            let mut inputs = vec![Vec::new(); m * n];
            for (i, row) in g.payoffs.iter().enumerate() {
                for (j, cell) in row.iter().enumerate() {
                    if cell.len() != 2 {
                        let at = cell
                            .first()
                            .map(|c| c.span().start)
                            .unwrap_or(id.span().start);
                        return Err(self.err(at, format!("game `{gid}`: cell ({}, {}) needs two payoffs [row player, column player]", i + 1, j + 1)));
                    }
                    let mut pay = Vec::new();
                    for (k, v) in cell.iter().enumerate() {
                        let input = self.input(
                            format!(
                                "games.{gid}.payoffs.{}.{}.{}",
                                i + 1,
                                j + 1,
                                g.players[k].get_ref()
                            ),
                            v,
                            ANY,
                        )?;
                        let x = self.inputs[input].dist.point();
                        let r = Rational::from_float(x)
                            .ok_or_else(|| self.err(v.span().start, "not a finite number"))?;
                        pay.push(r);
                        inputs[i + j * m].push(input);
                    }
                    cells[i + j * m] = pay;
                }
            }
            let mut game = NormalFormGame::from_payoffs(
                g.players.iter().map(|p| p.get_ref().clone()).collect(),
                g.strategies.clone(),
                cells,
            )
            .map_err(|e| self.err(id.span().start, format!("game `{gid}`: {e}")))?;
            game.title = g.name.clone();
            out.push(GameSpec {
                id: gid.clone(),
                name: g.name.clone(),
                game,
                payoffs: Some(inputs),
            });
        }
        Ok(out)
    }

    fn measures(
        &mut self,
        raw: &Ordered<RawMeasure>,
        issue_ids: &[&str],
    ) -> Result<Vec<Measure>, ScenarioError> {
        let mut out = Vec::new();
        for (id, m) in &raw.0 {
            if m.kind.get_ref() != "discontent" {
                return Err(self.err(
                    m.kind.span().start,
                    format!(
                        "unknown measure kind `{}` (expected `discontent`){}",
                        m.kind.get_ref(),
                        suggestion(m.kind.get_ref(), ["discontent"])
                    ),
                ));
            }
            let mut issues = Vec::new();
            for i in &m.issues {
                issues.push(self.lookup(i, "issue", issue_ids)?);
            }
            if issues.is_empty() {
                issues = (0..issue_ids.len()).collect();
            }
            out.push(Measure {
                id: id.get_ref().clone(),
                name: m.name.clone(),
                issues,
            });
        }
        Ok(out)
    }

    fn policies(
        &mut self,
        raw: &Ordered<RawPolicy>,
        body_ids: &[&str],
    ) -> Result<Vec<Policy>, ScenarioError> {
        let ids: Vec<&str> = names(&raw.0);
        // Own overrides first, then resolve `extends` depth-first.
        let mut own: Vec<Vec<(InputId, InputId)>> = Vec::new();
        let mut swaps: Vec<Vec<(usize, usize)>> = Vec::new();
        let input_ids: Vec<String> = self.inputs.iter().map(|i| i.id.clone()).collect();
        for (id, p) in &raw.0 {
            let mut ov = Vec::new();
            for (target, v) in &p.set.0 {
                let t = *self.input_index.get(target.get_ref()).ok_or_else(|| {
                    self.err(
                        target.span().start,
                        format!(
                            "policy `{}` sets `{}`, which is not an input of this scenario{}",
                            id.get_ref(),
                            target.get_ref(),
                            suggestion(target.get_ref(), input_ids.iter().map(|s| s.as_str()))
                        ),
                    )
                })?;
                let (lo, hi) = self.clamps[t];
                let range = Range {
                    min: lo,
                    max: hi,
                    what: if lo.is_finite() || hi.is_finite() {
                        "in the range of the number it replaces"
                    } else {
                        ""
                    },
                };
                let src = self.input(
                    format!("policies.{}.set.{}", id.get_ref(), target.get_ref()),
                    v,
                    range,
                )?;
                ov.push((t, src));
            }
            own.push(ov);
            let mut sw = Vec::new();
            for (from, to) in &p.replace_bodies.0 {
                let f = self.lookup(from, "body", body_ids)?;
                let t = self.lookup(to, "body", body_ids)?;
                sw.push((f, t));
            }
            swaps.push(sw);
        }
        let mut order: Vec<Vec<usize>> = vec![Vec::new(); raw.0.len()];
        for (k, slot) in order.iter_mut().enumerate() {
            let mut stack = vec![k];
            let mut seq = Vec::new();
            self.resolve_extends(raw, &ids, k, &mut stack, &mut seq)?;
            *slot = seq;
        }
        let mut out = Vec::new();
        for (k, (id, p)) in raw.0.iter().enumerate() {
            let mut overrides = Vec::new();
            let mut body_swaps = Vec::new();
            for &j in &order[k] {
                overrides.extend(own[j].iter().copied());
                body_swaps.extend(swaps[j].iter().copied());
            }
            out.push(Policy {
                id: id.get_ref().clone(),
                name: p.name.clone(),
                origin: p.origin.clone(),
                note: p.note.clone(),
                overrides,
                body_swaps,
            });
        }
        Ok(out)
    }

    /// Appends to `seq` the policies `k` applies, in order (those it extends
    /// first, each once), detecting cycles.
    fn resolve_extends(
        &self,
        raw: &Ordered<RawPolicy>,
        ids: &[&str],
        k: usize,
        stack: &mut Vec<usize>,
        seq: &mut Vec<usize>,
    ) -> Result<(), ScenarioError> {
        for e in &raw.0[k].1.extends {
            let j = self.lookup(e, "policy", ids)?;
            if stack.contains(&j) {
                let mut cycle: Vec<&str> = stack.iter().map(|&s| ids[s]).collect();
                cycle.push(ids[j]);
                return Err(self.err(
                    e.span().start,
                    format!(
                        "policies extend each other in a cycle: {}",
                        cycle.join(" -> ")
                    ),
                ));
            }
            stack.push(j);
            self.resolve_extends(raw, ids, j, stack, seq)?;
            stack.pop();
        }
        if !seq.contains(&k) {
            seq.push(k);
        }
        Ok(())
    }

    fn claims(
        &mut self,
        raw: &Ordered<RawClaim>,
        n: &ClaimNames,
        issues: &[Issue],
        proposals: &[Proposal],
        games: &[GameSpec],
    ) -> Result<Vec<Claim>, ScenarioError> {
        const KINDS: [&str; 8] = [
            "win_win",
            "positive_sum",
            "passes",
            "vetoes",
            "lowers",
            "settles",
            "agreement",
            "equilibrium",
        ];
        let mut out = Vec::new();
        for (id, c) in &raw.0 {
            let cid = id.get_ref();
            let need = |r: &Option<Ref>, what: &str| -> Result<Ref, ScenarioError> {
                r.clone().ok_or_else(|| {
                    self.err(
                        c.kind.span().start,
                        format!(
                            "claim `{cid}` of kind `{}` needs `{what}`",
                            c.kind.get_ref()
                        ),
                    )
                })
            };
            let policy = match &c.policy {
                Some(p) => Some(self.lookup(p, "policy", &n.policies)?),
                None => None,
            };
            let kind = match c.kind.get_ref().as_str() {
                "win_win" => ClaimKind::WinWin {
                    exchange: self.lookup(
                        &need(&c.exchange, "exchange")?,
                        "exchange",
                        &n.exchanges,
                    )?,
                },
                "positive_sum" => ClaimKind::PositiveSum {
                    exchange: self.lookup(
                        &need(&c.exchange, "exchange")?,
                        "exchange",
                        &n.exchanges,
                    )?,
                },
                "passes" => ClaimKind::Passes {
                    proposal: self.lookup(
                        &need(&c.proposal, "proposal")?,
                        "proposal",
                        &n.proposals,
                    )?,
                },
                "vetoes" => {
                    let proposal =
                        self.lookup(&need(&c.proposal, "proposal")?, "proposal", &n.proposals)?;
                    let ar = need(&c.actor, "actor")?;
                    let actor = self.actor(&ar)?;
                    ClaimKind::Vetoes { proposal, actor }
                }
                "lowers" => {
                    if policy.is_none() {
                        return Err(self.err(c.kind.span().start, format!("claim `{cid}`: `lowers` compares a policy with the base case, so it needs `policy`")));
                    }
                    ClaimKind::Lowers {
                        measure: self.lookup(
                            &need(&c.measure, "measure")?,
                            "measure",
                            &n.measures,
                        )?,
                    }
                }
                "settles" => {
                    let issue = self.lookup(&need(&c.issue, "issue")?, "issue", &n.issues)?;
                    if c.above.is_none() && c.below.is_none() {
                        return Err(self.err(
                            c.kind.span().start,
                            format!("claim `{cid}`: `settles` needs `above` or `below`"),
                        ));
                    }
                    ClaimKind::Settles {
                        issue,
                        above: c.above,
                        below: c.below,
                    }
                }
                "agreement" => {
                    let ir = need(&c.issue, "issue")?;
                    let issue = self.lookup(&ir, "issue", &n.issues)?;
                    if !matches!(issues[issue].rule, Rule::MutualConsent { .. }) {
                        return Err(self.err(
                            ir.span().start,
                            format!(
                                "claim `{cid}`: issue `{}` is not decided by mutual consent",
                                ir.get_ref()
                            ),
                        ));
                    }
                    ClaimKind::Agreement { issue }
                }
                "equilibrium" => {
                    let gr = need(&c.game, "game")?;
                    let game = self.lookup(&gr, "game", &n.games)?;
                    let spec = &games[game];
                    if spec.payoffs.is_none() {
                        return Err(self.err(
                            gr.span().start,
                            format!("claim `{cid}`: game `{}` is read from a file; `equilibrium` claims take inline games", gr.get_ref()),
                        ));
                    }
                    let strategies = spec.game.strategies();
                    if c.profile.len() != strategies.len() {
                        return Err(self.err(
                            c.kind.span().start,
                            format!(
                                "claim `{cid}`: `profile` names one strategy per player ({}), found {}",
                                strategies.len(),
                                c.profile.len()
                            ),
                        ));
                    }
                    let mut cell = 0;
                    let mut stride = 1;
                    for (p, label) in c.profile.iter().enumerate() {
                        let names: Vec<&str> = strategies[p].iter().map(|x| x.as_str()).collect();
                        let k = self.lookup(
                            label,
                            &format!("strategy of {}", spec.game.players()[p]),
                            &names,
                        )?;
                        cell += k * stride;
                        stride *= names.len();
                    }
                    ClaimKind::Equilibrium { game, cell }
                }
                other => {
                    return Err(self.err(
                        c.kind.span().start,
                        format!(
                            "unknown claim kind `{other}` (expected one of {}){}",
                            KINDS.join(", "),
                            suggestion(other, KINDS)
                        ),
                    ))
                }
            };
            if let ClaimKind::Passes { proposal } | ClaimKind::Vetoes { proposal, .. } = &kind {
                let t = &proposals[*proposal].tabled_by;
                let tabled = t.is_empty() || policy.is_some_and(|p| t.contains(&p));
                if !tabled {
                    return Err(self.err(c.kind.span().start, format!("claim `{cid}`: proposal `{}` is not tabled in this case; set `policy` to one that tables it", proposals[*proposal].id)));
                }
            }
            out.push(Claim {
                id: cid.clone(),
                text: c.text.clone(),
                by: c.by.clone(),
                kind,
                policy,
                asserted: c.asserted.unwrap_or(true),
            });
        }
        Ok(out)
    }
}

struct ClaimNames<'a> {
    exchanges: Vec<&'a str>,
    proposals: Vec<&'a str>,
    issues: Vec<&'a str>,
    measures: Vec<&'a str>,
    policies: Vec<&'a str>,
    games: Vec<&'a str>,
}
