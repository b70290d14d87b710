//! Reading voting bodies, coalitional games and bargaining problems from
//! TOML or JSON files (formats documented in `docs/coop.md`). Errors name
//! the file, and for TOML the line and column of the offending value.

use crate::bargaining::{BargainingProblem, Deal, IssueParty, Wants};
use crate::body::{Condition, VotingBody, MAX_TOTAL_WEIGHT};
use crate::doc::{parse_document, Kind, Node, Source};
use crate::tu::{BankruptcyRule, TuGame, MAX_TABLE_PLAYERS};
use detente_game::{format_rational, GameError, Rational};
use num_traits::{Signed, ToPrimitive, Zero};
use std::collections::HashMap;

/// A vote described in a body file.
#[derive(Debug, Clone, PartialEq)]
pub struct VoteSpec {
    pub proposal: Rational,
    pub status_quo: Rational,
    pub band: Rational,
    /// One position per member.
    pub positions: Vec<Rational>,
}

/// A body file: the body and, optionally, a vote.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyFile {
    pub body: VotingBody,
    pub vote: Option<VoteSpec>,
}

struct Member<'a> {
    name: String,
    veto: bool,
    node: Option<&'a Node>,
}

/// Reads a voting body from `text` (the contents of `file`).
pub fn read_body(file: &str, text: &str) -> Result<BodyFile, GameError> {
    let src = Source { file, text };
    let doc = parse_document(&src)?;
    doc.check_keys(
        &src,
        &[
            "name",
            "description",
            "members",
            "quota",
            "share",
            "weights",
            "conditions",
            "pass_with_members",
            "vote",
        ],
    )?;
    let name = match doc.get("name") {
        Some(n) => n.str(&src)?.to_string(),
        None => file.to_string(),
    };
    // Members.
    let mut members: Vec<Member> = Vec::new();
    if let Some(m) = doc.get("members") {
        for item in m.array(&src)? {
            match &item.kind {
                Kind::Str(s) => members.push(Member {
                    name: s.clone(),
                    veto: false,
                    node: None,
                }),
                Kind::Table(_) => {
                    let name = item.req(&src, "name")?.str(&src)?.to_string();
                    let veto = match item.get("veto") {
                        Some(v) => v.bool(&src)?,
                        None => false,
                    };
                    members.push(Member {
                        name,
                        veto,
                        node: Some(item),
                    });
                }
                _ => return Err(src.error(item, "a member is a name or a table with a 'name'")),
            }
        }
    }
    let mut seen = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        if let Some(j) = seen.insert(m.name.clone(), i) {
            let node = doc
                .get("members")
                .map(|x| x.array(&src))
                .transpose()?
                .map(|a| &a[i]);
            let msg = format!(
                "member '{}' is listed twice (entries {} and {})",
                m.name,
                j + 1,
                i + 1
            );
            return Err(match node {
                Some(n) => src.error(n, msg),
                None => GameError::Invalid(format!("{file}: {msg}")),
            });
        }
    }
    let mut conditions = Vec::new();
    // Plain weighted game.
    if let Some(wn) = doc.get("weights") {
        let ws = wn.array(&src)?;
        if members.is_empty() {
            members = (1..=ws.len())
                .map(|i| Member {
                    name: format!("P{i}"),
                    veto: false,
                    node: None,
                })
                .collect();
        }
        if ws.len() != members.len() {
            return Err(src.error(
                wn,
                format!("{} weights for {} members", ws.len(), members.len()),
            ));
        }
        if ws.is_empty() {
            return Err(src.error(wn, "the body has no members"));
        }
        let weights = ws
            .iter()
            .map(|w| weight_value(&src, w))
            .collect::<Result<Vec<_>, _>>()?;
        let quota = quota_of(&src, &doc, &weights, wn)?;
        conditions.push(Condition {
            label: "weight".into(),
            weights,
            quota,
        });
    } else if doc.get("quota").is_some() || doc.get("share").is_some() {
        // A head-count quota over the members.
        let weights = vec![1u64; members.len()];
        let quota = quota_of(&src, &doc, &weights, &doc)?;
        conditions.push(Condition {
            label: "members".into(),
            weights,
            quota,
        });
    }
    if members.is_empty() {
        return Err(src.error(&doc, "the body has no members: give 'members' or 'weights'"));
    }
    if let Some(cs) = doc.get("conditions") {
        for c in cs.array(&src)? {
            c.check_keys(&src, &["label", "weight", "quota", "share"])?;
            let attr = match c.get("weight") {
                Some(w) => Some(w.str(&src)?.to_string()),
                None => None,
            };
            let weights: Vec<u64> = match &attr {
                None => vec![1; members.len()],
                Some(a) => members
                    .iter()
                    .map(|m| {
                        let node = m.node.and_then(|n| n.get(a)).ok_or_else(|| {
                            let at = m.node.unwrap_or(c);
                            src.error(
                                at,
                                format!("member '{}' has no '{a}' (needed by a condition)", m.name),
                            )
                        })?;
                        weight_value(&src, node)
                    })
                    .collect::<Result<_, _>>()?,
            };
            let quota = quota_of(&src, c, &weights, c)?;
            let label = match c.get("label") {
                Some(l) => l.str(&src)?.to_string(),
                None => attr.clone().unwrap_or_else(|| "members".into()),
            };
            conditions.push(Condition {
                label,
                weights,
                quota,
            });
        }
    }
    let pass_with = match doc.get("pass_with_members") {
        Some(p) => {
            let k = p.u64(&src, "pass_with_members")? as usize;
            if k == 0 || k > members.len() {
                return Err(src.error(
                    p,
                    format!(
                        "pass_with_members must be between 1 and {} (the number of members)",
                        members.len()
                    ),
                ));
            }
            Some(k)
        }
        None => None,
    };
    let names: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
    let required: Vec<bool> = members.iter().map(|m| m.veto).collect();
    let body = VotingBody::new(name, names.clone(), conditions, required, pass_with).map_err(
        |e| match e {
            GameError::Invalid(m) => src.error(&doc, m),
            other => other,
        },
    )?;
    // Vote.
    let vote = match doc.get("vote") {
        None => None,
        Some(v) => {
            v.check_keys(&src, &["proposal", "status_quo", "band", "positions"])?;
            let proposal = v.req(&src, "proposal")?.rational(&src)?;
            let status_quo = v.req(&src, "status_quo")?.rational(&src)?;
            let band = match v.get("band") {
                Some(b) => {
                    let x = b.rational(&src)?;
                    if x.is_negative() {
                        return Err(src.error(b, "the band must be non-negative"));
                    }
                    x
                }
                None => Rational::zero(),
            };
            let table = v.get("positions");
            let mut positions = Vec::with_capacity(members.len());
            for m in &members {
                let node = table
                    .and_then(|t| t.get(&m.name))
                    .or_else(|| m.node.and_then(|n| n.get("position")));
                match node {
                    Some(n) => positions.push(n.rational(&src)?),
                    None => {
                        return Err(src.error(
                            table.unwrap_or(v),
                            format!("no position for member '{}' (give vote.positions.{} or a 'position' on the member)", m.name, m.name),
                        ))
                    }
                }
            }
            if let Some(t) = table {
                for (k, n) in t.table(&src)? {
                    if !names.contains(k) {
                        return Err(src.error(n, format!("'{k}' is not a member of the body")));
                    }
                }
            }
            Some(VoteSpec {
                proposal,
                status_quo,
                band,
                positions,
            })
        }
    };
    Ok(BodyFile { body, vote })
}

fn weight_value(src: &Source<'_>, node: &Node) -> Result<u64, GameError> {
    let r = node.rational(src)?;
    if r.is_negative() {
        return Err(src.error(
            node,
            format!(
                "weight {} is negative; weights must be non-negative",
                format_rational(&r)
            ),
        ));
    }
    if !r.is_integer() {
        return Err(src.error(
            node,
            format!(
                "weight {} is not a whole number; scale the weights to integers (e.g. population in thousands)",
                format_rational(&r)
            ),
        ));
    }
    r.to_integer()
        .to_u64()
        .filter(|&w| w <= MAX_TOTAL_WEIGHT)
        .ok_or_else(|| src.error(node, "weight too large (at most 2^53)"))
}

/// `quota` (absolute) or `share` (of the total weight, rounded up) from
/// `table`.
fn quota_of(src: &Source<'_>, table: &Node, weights: &[u64], at: &Node) -> Result<u64, GameError> {
    let total: u64 = weights.iter().sum();
    match (table.get("quota"), table.get("share")) {
        (Some(_), Some(s)) => Err(src.error(s, "give either 'quota' or 'share', not both")),
        (Some(q), None) => {
            let r = q.rational(src)?;
            if r.is_negative() {
                return Err(src.error(q, "the quota must be positive"));
            }
            let qi = r.ceil().to_integer().to_u64().unwrap_or(u64::MAX);
            if qi == 0 {
                return Err(src.error(
                    q,
                    "the quota must be positive (a quota of 0 lets the empty coalition pass)",
                ));
            }
            if qi > total {
                return Err(src.error(
                    q,
                    format!(
                        "quota {} is above the total weight {total}, so nothing can pass",
                        format_rational(&r)
                    ),
                ));
            }
            Ok(qi)
        }
        (None, Some(s)) => {
            let r = s.rational(src)?;
            if !r.is_positive() || r > Rational::from_integer(1.into()) {
                return Err(src.error(s, "a share is a number in (0, 1], e.g. 0.55 or \"2/3\""));
            }
            let q = (r * Rational::from_integer(total.into()))
                .ceil()
                .to_integer();
            Ok(q.to_u64().unwrap_or(total).max(1))
        }
        (None, None) => Err(src.error(at, "missing 'quota' or 'share'")),
    }
}

/// A coalitional game file: a table, or a rule.
#[derive(Debug, Clone)]
pub enum GameSpec {
    /// A full table (at most [`MAX_TABLE_PLAYERS`] players).
    Table(TuGame),
    /// A bankruptcy game by rule (any size; a table is also built when small).
    Bankruptcy {
        players: Vec<String>,
        rule: BankruptcyRule,
        table: Option<TuGame>,
    },
    /// The simple game of a weighted body (any size).
    Weighted {
        body: VotingBody,
        table: Option<TuGame>,
    },
}

/// A coalition file.
#[derive(Debug, Clone)]
pub struct CoalitionFile {
    pub title: String,
    pub game: GameSpec,
    pub samples: usize,
    pub seed: u64,
}

/// Reads a coalitional game.
pub fn read_coalition(file: &str, text: &str) -> Result<CoalitionFile, GameError> {
    let src = Source { file, text };
    let doc = parse_document(&src)?;
    doc.check_keys(
        &src,
        &[
            "title",
            "description",
            "players",
            "values",
            "bankruptcy",
            "weighted",
            "sampling",
        ],
    )?;
    let title = match doc.get("title") {
        Some(t) => t.str(&src)?.to_string(),
        None => file.to_string(),
    };
    let kinds = ["values", "bankruptcy", "weighted"]
        .iter()
        .filter(|k| doc.get(k).is_some())
        .count();
    if kinds != 1 {
        return Err(src.error(
            &doc,
            "give exactly one of [values], [bankruptcy] or [weighted]",
        ));
    }
    let players_node = doc.get("players");
    let players: Option<Vec<String>> = players_node.map(|p| p.strings(&src)).transpose()?;
    if let (Some(p), Some(node)) = (&players, players_node) {
        let mut seen = std::collections::HashSet::new();
        for (i, name) in p.iter().enumerate() {
            if !seen.insert(name) {
                return Err(src.error(
                    &node.array(&src)?[i],
                    format!("player '{name}' is listed twice"),
                ));
            }
        }
        if p.is_empty() {
            return Err(src.error(node, "a coalitional game needs at least one player"));
        }
    }
    let (mut samples, mut seed) = (10_000usize, 1u64);
    if let Some(s) = doc.get("sampling") {
        s.check_keys(&src, &["samples", "seed"])?;
        if let Some(n) = s.get("samples") {
            samples = n.u64(&src, "samples")? as usize;
            if samples < 2 {
                return Err(src.error(n, "at least 2 samples"));
            }
        }
        if let Some(n) = s.get("seed") {
            seed = n.u64(&src, "seed")?;
        }
    }
    let game = if let Some(values) = doc.get("values") {
        let players =
            players.ok_or_else(|| src.error(&doc, "missing 'players' (needed with [values])"))?;
        let n = players.len();
        if n > MAX_TABLE_PLAYERS {
            return Err(src.error(
                players_node.unwrap_or(&doc),
                crate::tu::too_many(n).to_string(),
            ));
        }
        let index: HashMap<&str, usize> = players
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let mut table: HashMap<usize, Rational> = HashMap::new();
        let mut given: HashMap<usize, &Node> = HashMap::new();
        for (key, node) in values.table(&src)? {
            let mut mask = 0usize;
            let trimmed = key.trim();
            if !(trimmed.is_empty() || trimmed == "{}") {
                for part in trimmed.split(['+', ',']) {
                    let name = part.trim();
                    let i = *index.get(name).ok_or_else(|| {
                        src.error(
                            node,
                            format!("'{name}' in coalition '{key}' is not a player"),
                        )
                    })?;
                    if mask >> i & 1 == 1 {
                        return Err(
                            src.error(node, format!("'{name}' appears twice in coalition '{key}'"))
                        );
                    }
                    mask |= 1 << i;
                }
            }
            if given.insert(mask, node).is_some() {
                return Err(src.error(
                    node,
                    format!("coalition '{key}' is given twice (order does not matter)"),
                ));
            }
            let v = node.rational(&src)?;
            if mask == 0 && !v.is_zero() {
                return Err(src.error(node, "the empty coalition must be worth 0"));
            }
            table.insert(mask, v);
        }
        GameSpec::Table(sparse_game(players, &table).map_err(|e| src.error(values, e.to_string()))?)
    } else if let Some(b) = doc.get("bankruptcy") {
        b.check_keys(&src, &["estate", "claims"])?;
        let estate_node = b.req(&src, "estate")?;
        let estate = estate_node.rational(&src)?;
        let claims_node = b.req(&src, "claims")?;
        let claims = claims_node.rationals(&src)?;
        if estate.is_negative() {
            return Err(src.error(estate_node, "the estate must be non-negative"));
        }
        for (c, node) in claims.iter().zip(claims_node.array(&src)?) {
            if c.is_negative() {
                return Err(src.error(node, "claims must be non-negative"));
            }
        }
        let players =
            players.unwrap_or_else(|| (1..=claims.len()).map(|i| format!("P{i}")).collect());
        if players.len() != claims.len() {
            return Err(src.error(
                claims_node,
                format!("{} claims for {} players", claims.len(), players.len()),
            ));
        }
        if claims.is_empty() {
            return Err(src.error(claims_node, "a coalitional game needs at least one player"));
        }
        let table = if players.len() <= 20 {
            Some(
                TuGame::bankruptcy(players.clone(), &estate, &claims)
                    .map_err(|e| src.error(b, e.to_string()))?,
            )
        } else {
            None
        };
        GameSpec::Bankruptcy {
            rule: BankruptcyRule {
                estate: detente_game::number::rational_to_f64(&estate),
                claims: claims
                    .iter()
                    .map(detente_game::number::rational_to_f64)
                    .collect(),
            },
            players,
            table,
        }
    } else if let Some(w) = doc.get("weighted") {
        w.check_keys(&src, &["quota", "share", "weights"])?;
        let wn = w.req(&src, "weights")?;
        let weights = wn
            .array(&src)?
            .iter()
            .map(|x| weight_value(&src, x))
            .collect::<Result<Vec<_>, _>>()?;
        if weights.is_empty() {
            return Err(src.error(wn, "the body has no members"));
        }
        let quota = quota_of(&src, w, &weights, w)?;
        let players =
            players.unwrap_or_else(|| (1..=weights.len()).map(|i| format!("P{i}")).collect());
        if players.len() != weights.len() {
            return Err(src.error(
                wn,
                format!("{} weights for {} players", weights.len(), players.len()),
            ));
        }
        let n = players.len();
        let mut body =
            VotingBody::weighted(quota, weights).map_err(|e| src.error(w, e.to_string()))?;
        body.members = players;
        let table = if n <= 20 {
            Some(TuGame::from_body(&body)?)
        } else {
            None
        };
        GameSpec::Weighted { body, table }
    } else {
        return Err(src.error(
            &doc,
            "give exactly one of [values], [bankruptcy] or [weighted]",
        ));
    };
    Ok(CoalitionFile {
        title,
        game,
        samples,
        seed,
    })
}

/// A game from the listed coalition values (others are worth 0), stored as
/// integers over a common denominator when they fit.
fn sparse_game(
    players: Vec<String>,
    values: &HashMap<usize, Rational>,
) -> Result<TuGame, GameError> {
    let n = players.len();
    let mut denom = num_bigint::BigInt::from(1);
    for v in values.values() {
        denom = num_integer::Integer::lcm(&denom, v.denom());
    }
    let d = Rational::from_integer(denom.clone());
    let scaled: Option<HashMap<usize, i64>> = values
        .iter()
        .map(|(&m, v)| {
            (v * &d)
                .to_integer()
                .to_i64()
                .filter(|x| x.unsigned_abs() < 1u64 << 62)
                .map(|x| (m, x))
        })
        .collect();
    match (scaled, denom.to_i64()) {
        (Some(map), Some(den)) => TuGame::from_int_fn(players, den, |m| map.get(&(m as usize)).copied().unwrap_or(0)),
        _ if n <= 20 => {
            let mut table = vec![Rational::zero(); 1 << n];
            for (&m, v) in values {
                table[m] = v.clone();
            }
            TuGame::new(players, table)
        }
        _ => Err(GameError::Invalid(format!(
            "{n} players with values that do not fit 62-bit integers over a common denominator: at most 20 players"
        ))),
    }
}

/// A bargaining file: deals and/or a one-issue reservation-point problem.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainFile {
    pub title: String,
    pub problem: Option<BargainingProblem>,
    pub issue: Option<(String, Vec<IssueParty>)>,
}

/// Reads a bargaining problem.
pub fn read_bargain(file: &str, text: &str) -> Result<BargainFile, GameError> {
    let src = Source { file, text };
    let doc = parse_document(&src)?;
    doc.check_keys(
        &src,
        &[
            "title",
            "description",
            "parties",
            "disagreement",
            "powers",
            "deals",
            "issue",
        ],
    )?;
    let title = match doc.get("title") {
        Some(t) => t.str(&src)?.to_string(),
        None => file.to_string(),
    };
    let problem = match doc.get("deals") {
        None => None,
        Some(dn) => {
            let parties_node = doc.req(&src, "parties")?;
            let parties = parties_node.strings(&src)?;
            let n = parties.len();
            if n < 2 {
                return Err(src.error(
                    parties_node,
                    format!("bargaining needs at least two parties, not {n}"),
                ));
            }
            let mut deals = Vec::new();
            for (k, d) in dn.array(&src)?.iter().enumerate() {
                d.check_keys(&src, &["name", "payoffs"])?;
                let name = match d.get("name") {
                    Some(x) => x.str(&src)?.to_string(),
                    None => format!("deal {}", k + 1),
                };
                let pn = d.req(&src, "payoffs")?;
                let payoffs = pn.rationals(&src)?;
                if payoffs.len() != n {
                    return Err(src.error(pn, format!("{} payoffs for {n} parties", payoffs.len())));
                }
                deals.push(Deal { name, payoffs });
            }
            if deals.is_empty() {
                return Err(src.error(dn, "bargaining needs at least one deal"));
            }
            let dis = match doc.get("disagreement") {
                Some(x) => {
                    let v = x.rationals(&src)?;
                    if v.len() != n {
                        return Err(src.error(
                            x,
                            format!("{} disagreement payoffs for {n} parties", v.len()),
                        ));
                    }
                    v
                }
                None => vec![Rational::zero(); n],
            };
            let powers = match doc.get("powers") {
                Some(x) => {
                    let v = x.rationals(&src)?;
                    if v.len() != n {
                        return Err(
                            src.error(x, format!("{} bargaining powers for {n} parties", v.len()))
                        );
                    }
                    if let Some((_, node)) =
                        v.iter().zip(x.array(&src)?).find(|(p, _)| !p.is_positive())
                    {
                        return Err(src.error(node, "bargaining powers must be positive"));
                    }
                    Some(v)
                }
                None => None,
            };
            Some(
                BargainingProblem::new(parties, deals, dis, powers)
                    .map_err(|e| src.error(dn, e.to_string()))?,
            )
        }
    };
    let issue = match doc.get("issue") {
        None => None,
        Some(i) => {
            i.check_keys(&src, &["name", "parties", "scale"])?;
            let name = match i.get("name") {
                Some(x) => x.str(&src)?.to_string(),
                None => "issue".into(),
            };
            let pn = i.req(&src, "parties")?;
            let mut parties = Vec::new();
            for p in pn.array(&src)? {
                p.check_keys(&src, &["name", "reservation", "wants"])?;
                let wants_node = p.req(&src, "wants")?;
                let wants = match wants_node.str(&src)? {
                    "more" | "high" => Wants::More,
                    "less" | "low" => Wants::Less,
                    other => {
                        return Err(src.error(
                            wants_node,
                            format!("wants is \"more\" or \"less\", not \"{other}\""),
                        ))
                    }
                };
                parties.push(IssueParty {
                    name: p.req(&src, "name")?.str(&src)?.to_string(),
                    reservation: p.req(&src, "reservation")?.rational(&src)?,
                    wants,
                });
            }
            if parties.is_empty() {
                return Err(src.error(pn, "an issue needs at least one party"));
            }
            Some((name, parties))
        }
    };
    if problem.is_none() && issue.is_none() {
        return Err(src.error(&doc, "give [[deals]] (with parties) or an [issue]"));
    }
    Ok(BargainFile {
        title,
        problem,
        issue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_errors_point_at_values() {
        let e = read_body("b.toml", "weights = [3, -1]\nquota = 2\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("b.toml:1:15: weights[1]: weight -1 is negative"),
            "{e}"
        );
        let e = read_body("b.toml", "weights = [3, 1]\nquota = 5\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("b.toml:2:9: quota: quota 5 is above the total weight 4"),
            "{e}"
        );
        let e = read_body("b.toml", "weights = []\nquota = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no members"), "{e}");
        let e = read_body("b.toml", "weights = [1]\nquota = 1\nquorum = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown key 'quorum'"), "{e}");
    }

    #[test]
    fn coalition_table() {
        let f = read_coalition(
            "g.toml",
            "players = [\"A\", \"B\"]\n[values]\nA = 1\n\"A+B\" = 3\n",
        )
        .unwrap();
        match f.game {
            GameSpec::Table(g) => {
                assert_eq!(g.value(3), Rational::from_integer(3.into()));
                assert_eq!(g.value(2), Rational::zero());
            }
            _ => panic!("expected a table"),
        }
        let e = read_coalition(
            "g.toml",
            "players = [\"A\", \"B\"]\n[values]\n\"A+C\" = 1\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("g.toml:3:9:") && e.contains("'C'"), "{e}");
        let e = read_coalition(
            "g.toml",
            "players = [\"A\", \"B\"]\n[values]\n\"A+B\" = 1\n\"B+A\" = 2\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("given twice"), "{e}");
    }

    #[test]
    fn bargain_file() {
        let f = read_bargain(
            "x.json",
            r#"{"parties": ["A", "B"], "deals": [{"payoffs": [1, 0]}, {"payoffs": [0, "1/2"]}]}"#,
        )
        .unwrap();
        assert_eq!(f.problem.unwrap().deals.len(), 2);
        let e = read_bargain(
            "x.toml",
            "parties = [\"A\", \"B\"]\n[[deals]]\npayoffs = [1]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("x.toml:3:11:"), "{e}");
    }
}
