//! `detente solve FILE.efg --method lcp|lp|spe`: equilibria of a game tree in
//! behaviour strategies (sequence form; subgame perfection), each verified by
//! the independent behaviour-profile check (exactly zero regret) before it
//! is printed.
//!
//! `detente solve FILE.efg --method logit|liap` (without `--strategic`):
//! the agent form (each information set an agent), as Gambit does; see
//! [`run_agent`].
//!
//! `--method lcp --stop-after N` with N > 1 restarts Lemke's algorithm on
//! the sequence form from extra starting vectors to look for more
//! equilibria: this is a heuristic, not a complete search; equilibria it
//! does not reach may exist (use `--strategic --method enummixed` for all
//! extreme equilibria of the reduced normal form).
//!
//! Output: text lines `NE,...` with probabilities player by player,
//! information set by information set (Gambit's order), action by action;
//! JSON `{"method", "representation": "behavior", "equilibria": [{"profile":
//! [[[p, ...] per infoset] per player], "payoffs"}], "infosets"}`, exact
//! fractions as strings (JSON numbers with `--float`); CSV
//! `equilibrium,player,infoset,action,probability`.

use super::solve::{
    branch_budget_note, f64_json, print_qre_table, report_notes, thin_rows, Form, Format, Method,
    QreRow, SolveArgs,
};
use anyhow::{anyhow, Result};
use detente_game::{format_rational, ExtensiveGame, Rational, Scalar};
use detente_solve::agent_form::{
    agent_liap, agent_logit, agent_logit_at_lambda, agent_logit_branch, AgentResult,
};
use detente_solve::backward::{backward_induction, BackwardOptions};
use detente_solve::behavior::{verify_nash, BehaviorEquilibrium};
use detente_solve::logit::LogitOptions;
use detente_solve::seqform_lcp::{seqform_lcp, SeqLcpOptions};
use detente_solve::seqform_lp::{seqform_lp, SeqLpOptions};
use detente_solve::subgame::{is_subgame_perfect, subgame_perfect, SubgameOptions};
use serde_json::{json, Value};

pub fn run(args: &SolveArgs, g: &ExtensiveGame) -> Result<()> {
    let file = &args.file;
    let method = args.method.unwrap_or(Method::Lcp);
    let fail = |e: detente_solve::SolveError| {
        // Most solver messages already start with the method's name.
        let text = e.to_string();
        let prefix = format!("{}: ", method.name());
        let text = text.strip_prefix(&prefix).unwrap_or(&text);
        anyhow!("{file}: {}: {text}", method.name())
    };
    let mut value: Option<Rational> = None;
    let mut equilibria: Vec<BehaviorEquilibrium> = match method {
        Method::Lp => {
            let (v, e) = seqform_lp(g, &SeqLpOptions::default()).map_err(fail)?;
            value = Some(v);
            vec![e]
        }
        Method::Lcp => {
            let n = args.stop_after.unwrap_or(1);
            let opts = SeqLcpOptions {
                extra_starts: if n > 1 { 4 * n } else { 0 },
                max_equilibria: n,
                ..SeqLcpOptions::default()
            };
            seqform_lcp(g, &opts).map_err(fail)?
        }
        _ => {
            if g.is_perfect_information() {
                let set = backward_induction(g, &BackwardOptions::default()).map_err(fail)?;
                if !set.complete {
                    eprintln!("detente: spe: the cap on equilibria was reached; more subgame-perfect equilibria exist");
                }
                set.equilibria
            } else {
                vec![subgame_perfect(g, &SubgameOptions::default()).map_err(fail)?]
            }
        }
    };
    if let Some(k) = args.stop_after {
        equilibria.truncate(k);
    }
    // The independent check, and for spe subgame perfection, before printing.
    for (i, e) in equilibria.iter().enumerate() {
        let checked = verify_nash(g, e.profile.clone()).map_err(|m| {
            anyhow!("internal error: {} returned profile {} that fails verification ({m}); it was not printed", method.name(), i + 1)
        })?;
        if checked.payoffs != e.payoffs {
            return Err(anyhow!(
                "internal error: {} reported wrong payoffs for profile {}",
                method.name(),
                i + 1
            ));
        }
        if method == Method::Spe && !is_subgame_perfect(g, &e.profile).map_err(fail)? {
            return Err(anyhow!(
                "internal error: spe returned profile {} that is not subgame perfect",
                i + 1
            ));
        }
    }
    let num = |r: &Rational| -> Value {
        if args.float {
            serde_json::Number::from_f64(r.to_f64()).map_or(Value::Null, Value::Number)
        } else {
            Value::String(format_rational(r))
        }
    };
    let txt = |r: &Rational| -> String {
        if args.float {
            format!("{}", r.to_f64())
        } else {
            format_rational(r)
        }
    };
    let out = match args.format {
        Format::Text => behavior_text(equilibria.iter().map(|e| &e.profile), txt),
        Format::Csv => behavior_csv(g, equilibria.iter().map(|e| &e.profile), txt),
        Format::Json => {
            let infosets: Vec<Value> = (0..g.num_players())
                .map(|p| {
                    Value::Array(
                        g.player_infosets(p)
                            .iter()
                            .map(|&i| json!({"label": g.infoset(i).label(), "actions": g.infoset(i).actions()}))
                            .collect(),
                    )
                })
                .collect();
            let eqs: Vec<Value> = equilibria
                .iter()
                .map(|e| {
                    json!({
                        "profile": e.profile.iter().map(|sets| sets.iter().map(|ps| ps.iter().map(num).collect::<Vec<_>>()).collect::<Vec<_>>()).collect::<Vec<_>>(),
                        "payoffs": e.payoffs.iter().map(num).collect::<Vec<_>>(),
                        "verified": true,
                    })
                })
                .collect();
            let mut v = json!({
                "method": method.name(),
                "form": if method == Method::Spe { "extensive form (subgames)" } else { "sequence form" },
                "representation": "behavior",
                "arithmetic": if args.float { "float" } else { "exact" },
                "players": g.players(),
                "infosets": infosets,
                "equilibria": eqs,
                "complete": true,
            });
            if let Some(val) = &value {
                v["value"] = num(val);
            }
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
    };
    super::emit(&out)?;
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Column labels `player:infoset k:action` of a behaviour table.
fn behavior_columns(g: &ExtensiveGame) -> Vec<String> {
    let mut cols = Vec::new();
    for p in 0..g.num_players() {
        for (k, &s) in g.player_infosets(p).iter().enumerate() {
            for a in g.infoset(s).actions() {
                cols.push(format!("{}:{}:{}", g.players()[p], k + 1, a));
            }
        }
    }
    cols
}

fn infosets_json(g: &ExtensiveGame) -> Vec<Value> {
    (0..g.num_players())
        .map(|p| {
            Value::Array(
                g.player_infosets(p)
                    .iter()
                    .map(|&i| json!({"label": g.infoset(i).label(), "actions": g.infoset(i).actions()}))
                    .collect(),
            )
        })
        .collect()
}

fn behavior_json(profile: &[Vec<Vec<f64>>]) -> Value {
    json!(profile
        .iter()
        .map(|sets| sets
            .iter()
            .map(|ps| ps.iter().map(|x| f64_json(*x)).collect::<Vec<_>>())
            .collect::<Vec<_>>())
        .collect::<Vec<_>>())
}

/// `logit` and `liap` on the agent form of a tree: behaviour profiles,
/// each checked on the tree (agent regret within the tolerance; Nash regret
/// reported, and a note when a profile is an agent-form equilibrium only).
pub fn run_agent(args: &SolveArgs, g: &ExtensiveGame) -> Result<()> {
    let file = &args.file;
    let method = args.method.unwrap_or(Method::Logit);
    let fail =
        |e: detente_solve::SolveError| anyhow!("{file}: {} (agent form): {e}", method.name());
    let logit_opts = LogitOptions {
        budget: args.budget(),
        ..LogitOptions::default()
    };
    if method == Method::Logit && (args.lambda.is_some() || args.branch) {
        let columns = behavior_columns(g);
        let row = |lambda: f64, p: Vec<Vec<Vec<f64>>>| QreRow {
            lambda,
            probs: p.iter().flatten().flatten().cloned().collect(),
            profile: behavior_json(&p),
        };
        let mut bifurcations = Vec::new();
        let (rows, end) = if let Some(l) = args.lambda {
            let p = agent_logit_at_lambda(g, l, &logit_opts).map_err(fail)?;
            (vec![row(l, p)], None)
        } else {
            let (af, b) = agent_logit_branch(g, args.max_lambda, &logit_opts).map_err(fail)?;
            bifurcations.clone_from(&b.bifurcations);
            branch_budget_note(b.budget_exhausted);
            let rows = b
                .points
                .into_iter()
                .map(|pt| {
                    let lambda = pt.lambda;
                    row(lambda, af.to_behavior(g, &pt.profile))
                })
                .collect();
            (
                thin_rows(rows, args.max_points.unwrap_or(40)),
                Some(super::solve::branch_end(b.end, &bifurcations)),
            )
        };
        let mut head = json!({
            "method": "logit",
            "representation": "behavior",
            "arithmetic": "float",
            "players": g.players(),
            "infosets": infosets_json(g),
        });
        if args.branch {
            head["bifurcations"] = json!(bifurcations);
        }
        return print_qre_table(args, Form::Agent, &columns, &rows, head, end.as_deref());
    }
    let res: AgentResult = match method {
        Method::Logit => agent_logit(g, &logit_opts).map_err(fail)?,
        _ => agent_liap(g, &args.liap_options()).map_err(fail)?,
    };
    report_notes(
        method.name(),
        &res.notes,
        res.budget_exhausted,
        0,
        res.equilibria.len(),
    );
    let mut equilibria = res.equilibria;
    if let Some(k) = args.stop_after {
        equilibria.truncate(k);
    }
    // The check on the tree was done by the library (exact, on the
    // rounded profile); refuse anything that does not pass it here too.
    let limit = 1e-9 * res.payoff_range.max(f64::MIN_POSITIVE) * 1.0001;
    for (i, e) in equilibria.iter().enumerate() {
        if e.agent_regret.is_nan() || e.agent_regret > limit {
            return Err(anyhow!(
                "internal error: {} returned behaviour profile {} with agent regret {:e}; it was not printed",
                method.name(),
                i + 1,
                e.agent_regret
            ));
        }
        match e.nash_regret {
            Some(r) if r > limit => {
                // Small gains in scientific notation: six decimals would
                // print "0.000000" for a gain above the tolerance.
                let gain = if r >= 1e-3 {
                    format!("{r:.6}")
                } else {
                    format!("{r:.3e}")
                };
                eprintln!(
                    "detente: {}: profile {} is an equilibrium of the agent form (no gain from changing one information set) but not a Nash equilibrium: a player gains {gain} by changing several information sets at once",
                    method.name(),
                    i + 1
                )
            }
            None => eprintln!(
                "detente: {}: profile {} is an equilibrium of the agent form; the tree has imperfect recall, so Nash regret in behaviour strategies is not checked",
                method.name(),
                i + 1
            ),
            _ => {}
        }
    }
    let out = match args.format {
        Format::Text => {
            let mut s = Form::Agent.header().unwrap_or_default();
            s.push_str(&behavior_text(equilibria.iter().map(|e| &e.profile), |v| {
                v.to_string()
            }));
            s
        }
        Format::Csv => behavior_csv(g, equilibria.iter().map(|e| &e.profile), |v| v.to_string()),
        Format::Json => {
            let eqs: Vec<Value> = equilibria
                .iter()
                .map(|e| {
                    json!({
                        "profile": behavior_json(&e.profile),
                        "payoffs": e.payoffs.iter().map(|x| f64_json(*x)).collect::<Vec<_>>(),
                        "agent_max_regret": f64_json(e.agent_regret),
                        "nash_max_regret": e.nash_regret.map(f64_json),
                        "nash": e.nash_regret.map(|r| r <= limit),
                        "verified": true,
                    })
                })
                .collect();
            let mut v = json!({
                "method": method.name(),
                "form": Form::Agent.name(),
                "representation": "behavior",
                "arithmetic": "float",
                "players": g.players(),
                "infosets": infosets_json(g),
                "equilibria": eqs,
                "complete": !res.budget_exhausted,
            });
            if res.budget_exhausted {
                v["stopped"] = json!(super::solve_progress::why_stopped());
            }
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
    };
    super::emit(&out)?;
    Ok(())
}

/// Behaviour profiles as text lines: `NE` and every action probability,
/// player by player, information set by information set.
fn behavior_text<'a, T: 'a>(
    profiles: impl Iterator<Item = &'a Vec<Vec<Vec<T>>>>,
    num: impl Fn(&T) -> String,
) -> String {
    let mut s = String::new();
    for profile in profiles {
        s.push_str("NE");
        for v in profile.iter().flatten().flatten() {
            s.push(',');
            s.push_str(&num(v));
        }
        s.push('\n');
    }
    s
}

/// Behaviour profiles as CSV: one row per equilibrium, player, information
/// set and action.
fn behavior_csv<'a, T: 'a>(
    g: &ExtensiveGame,
    profiles: impl Iterator<Item = &'a Vec<Vec<Vec<T>>>>,
    num: impl Fn(&T) -> String,
) -> String {
    let mut s = String::from("equilibrium,player,infoset,action,probability\n");
    for (k, profile) in profiles.enumerate() {
        for (p, sets) in profile.iter().enumerate() {
            for (j, probs) in sets.iter().enumerate() {
                let info = g.infoset(g.player_infosets(p)[j]);
                for (a, v) in probs.iter().enumerate() {
                    s.push_str(&format!(
                        "{},{},{},{},{}\n",
                        k + 1,
                        csv_field(&g.players()[p]),
                        j + 1,
                        csv_field(info.actions().get(a).map(|x| x.as_str()).unwrap_or("")),
                        num(v)
                    ));
                }
            }
        }
    }
    s
}
