//! `detente power FILE|--game "[q; w1, ..., wn]" [--exact] [--format text|json]`:
//! power indices of a voting body (crate `detente-coop`), and the vote on a
//! proposal when the file describes one.

use crate::UsageError;
use anyhow::Context;
use clap::{Args, ValueEnum};
use detente_coop::input::{read_body, VoteSpec};
use detente_coop::vote::{spatial_vote, summary, VoteResult};
use detente_coop::{parse_weighted_game, power_indices, PowerIndices, PowerOptions, VotingBody};
use detente_game::{format_rational, Rational};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// Power indices (Shapley–Shubik, Banzhaf, Coleman) of a voting body.
#[derive(Args, Debug)]
pub struct PowerArgs {
    /// Body file (TOML or JSON; see docs/coop.md), or - for standard input
    pub file: Option<PathBuf>,
    /// A weighted game written [q; w1, w2, ..., wn] instead of a file
    #[arg(long)]
    pub game: Option<String>,
    /// Also give exact fractions (keys suffixed _exact in JSON)
    #[arg(long)]
    pub exact: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Reads a file argument (`-` is standard input); returns its display name
/// and text.
pub fn read_input(path: &std::path::Path) -> anyhow::Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .context("cannot read standard input")?;
        return Ok(("<stdin>".into(), s));
    }
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    Ok((name, text))
}

pub use super::emit;

pub fn run(a: PowerArgs) -> anyhow::Result<()> {
    let (body, vote) = match (&a.file, &a.game) {
        (Some(_), Some(_)) => {
            return Err(UsageError("give a FILE or --game, not both".into()).into())
        }
        (None, None) => {
            return Err(UsageError("give a body FILE or --game \"[q; w1, ..., wn]\"".into()).into())
        }
        (None, Some(g)) => (parse_weighted_game("--game", g)?, None),
        (Some(p), None) => {
            let (name, text) = read_input(p)?;
            let f = read_body(&name, &text)?;
            (f.body, f.vote)
        }
    };
    let idx = power_indices(&body, &PowerOptions { exact: a.exact })?;
    let vote_result = match &vote {
        Some(v) => Some(spatial_vote(
            &body,
            &v.positions,
            &v.proposal,
            &v.status_quo,
            &v.band,
        )?),
        None => None,
    };
    match a.format {
        OutputFormat::Json => {
            let mut out = to_json(&body, &idx, a.exact);
            if let (Some(v), Some(r)) = (&vote, &vote_result) {
                out["vote"] = vote_json(&body, v, r);
            }
            emit(&format!("{}\n", serde_json::to_string_pretty(&out)?))?;
        }
        OutputFormat::Text => {
            let mut s = to_text(&body, &idx, a.exact);
            if let (Some(v), Some(r)) = (&vote, &vote_result) {
                s.push_str(&vote_text(&body, v, r));
            }
            emit(&s)?;
        }
    }
    Ok(())
}

fn fractions(v: &[Rational]) -> Value {
    Value::Array(
        v.iter()
            .map(|x| Value::String(format_rational(x)))
            .collect(),
    )
}

fn finite(v: &[f64]) -> Value {
    Value::Array(
        v.iter()
            .map(|&x| json!(if x.is_finite() { x } else { 0.0 }))
            .collect(),
    )
}

fn to_json(body: &VotingBody, idx: &PowerIndices, exact: bool) -> Value {
    let mut out = json!({
        "body": body.name,
        "players": idx.players,
        "shapley_shubik": finite(&idx.shapley_shubik),
        "banzhaf_normalized": finite(&idx.banzhaf_normalized),
        "banzhaf_absolute": finite(&idx.banzhaf_absolute),
        "coleman_prevent": finite(&idx.coleman_prevent),
        "coleman_initiate": finite(&idx.coleman_initiate),
        "coleman_power_to_act": idx.coleman_power_to_act,
        "method": idx.method,
    });
    if exact {
        if let Some(e) = &idx.exact {
            out["shapley_shubik_exact"] = fractions(&e.shapley_shubik);
            out["banzhaf_normalized_exact"] = fractions(&e.banzhaf_normalized);
            out["banzhaf_absolute_exact"] = fractions(&e.banzhaf_absolute);
            out["coleman_prevent_exact"] = fractions(&e.coleman_prevent);
            out["coleman_initiate_exact"] = fractions(&e.coleman_initiate);
            out["coleman_power_to_act_exact"] =
                Value::String(format_rational(&e.coleman_power_to_act));
            out["swings"] = Value::Array(
                e.swings
                    .iter()
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            );
        }
    }
    out
}

fn to_text(body: &VotingBody, idx: &PowerIndices, exact: bool) -> String {
    let mut s = format!("Voting body: {} ({} members)\n", body.name, body.len());
    for c in &body.conditions {
        let kind = if c.is_head_count() {
            "members"
        } else {
            "weight"
        };
        s.push_str(&format!(
            "  condition '{}': {kind} ≥ {} of {}\n",
            c.label,
            c.quota,
            c.total()
        ));
    }
    let vetoes: Vec<&str> = body
        .members
        .iter()
        .zip(&body.required)
        .filter(|(_, &r)| r)
        .map(|(m, _)| m.as_str())
        .collect();
    if !vetoes.is_empty() {
        s.push_str(&format!("  veto: {}\n", vetoes.join(", ")));
    }
    if let Some(k) = body.pass_with_members {
        s.push_str(&format!("  or any {k} members\n"));
    }
    let w = idx
        .players
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    s.push_str(&format!(
        "\n{:<w$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}\n",
        "member", "Shapley-S.", "Banzhaf", "Bz (abs)", "Col. prev.", "Col. init."
    ));
    for i in 0..idx.players.len() {
        s.push_str(&format!(
            "{:<w$}  {:>10.6}  {:>10.6}  {:>10.6}  {:>10.6}  {:>10.6}\n",
            idx.players[i],
            idx.shapley_shubik[i],
            idx.banzhaf_normalized[i],
            idx.banzhaf_absolute[i],
            idx.coleman_prevent[i],
            idx.coleman_initiate[i]
        ));
    }
    s.push_str(&format!(
        "\nColeman's power of the body to act: {:.6}\nMethod: {}\n",
        idx.coleman_power_to_act, idx.method
    ));
    if exact {
        if let Some(e) = &idx.exact {
            s.push_str(&format!(
                "\nExact values:\n{:<w$}  {:>20}  {:>20}  swings\n",
                "member", "Shapley-Shubik", "Banzhaf"
            ));
            for i in 0..idx.players.len() {
                s.push_str(&format!(
                    "{:<w$}  {:>20}  {:>20}  {}\n",
                    idx.players[i],
                    format_rational(&e.shapley_shubik[i]),
                    format_rational(&e.banzhaf_normalized[i]),
                    e.swings[i]
                ));
            }
        }
    }
    s
}

fn vote_json(body: &VotingBody, v: &VoteSpec, r: &VoteResult) -> Value {
    let members: Vec<Value> = (0..body.len())
        .map(|i| {
            json!({
                "member": body.members[i],
                "position": format_rational(&v.positions[i]),
                "gain": r.gains.as_ref().map(|g| format_rational(&g[i])),
                "ballot": r.ballots[i].to_string(),
                "veto": body.required[i],
            })
        })
        .collect();
    json!({
        "proposal": format_rational(&v.proposal),
        "status_quo": format_rational(&v.status_quo),
        "band": format_rational(&v.band),
        "ballots": members,
        "yes": r.yes,
        "no": r.no,
        "abstain": r.abstain,
        "conditions": r.conditions.iter().map(|c| json!({
            "label": c.label, "yes_weight": c.yes_weight, "quota": c.quota, "met": c.met
        })).collect::<Vec<_>>(),
        "vetoed_by": r.vetoed_by,
        "passes": r.passes,
        "summary": summary(r),
    })
}

fn vote_text(body: &VotingBody, v: &VoteSpec, r: &VoteResult) -> String {
    let mut s = format!(
        "\nVote: proposal {} against status quo {} (a member votes yes if the proposal is closer by more than {}, no if farther by more than {})\n",
        format_rational(&v.proposal),
        format_rational(&v.status_quo),
        format_rational(&v.band),
        format_rational(&v.band)
    );
    let w = body
        .members
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    s.push_str(&format!(
        "{:<w$}  {:>8}  {:>6}  ballot\n",
        "member", "position", "gain"
    ));
    for i in 0..body.len() {
        let gain = r
            .gains
            .as_ref()
            .map(|g| format_rational(&g[i]))
            .unwrap_or_default();
        let veto = if body.required[i] { " (veto)" } else { "" };
        s.push_str(&format!(
            "{:<w$}  {:>8}  {:>6}  {}{veto}\n",
            body.members[i],
            format_rational(&v.positions[i]),
            gain,
            r.ballots[i]
        ));
    }
    for c in &r.conditions {
        s.push_str(&format!(
            "condition '{}': {} of {} needed{}\n",
            c.label,
            c.yes_weight,
            c.quota,
            if c.met { " (met)" } else { " (not met)" }
        ));
    }
    s.push_str(&format!("Result: {}\n", summary(r)));
    s
}
