//! `detente solve FILE.efg --method lcp|lp|spe`: equilibria of a game tree in
//! behaviour strategies (sequence form; subgame perfection), each verified by
//! the independent behaviour-profile check (exactly zero regret) before it
//! is printed.
//!
//! Output: text lines `NE,...` with probabilities player by player,
//! information set by information set (Gambit's order), action by action;
//! JSON `{"method", "representation": "behavior", "equilibria": [{"profile":
//! [[[p, ...] per infoset] per player], "payoffs"}], "infosets"}`, exact
//! fractions as strings (JSON numbers with `--float`); CSV
//! `equilibrium,player,infoset,action,probability`.

use super::solve::{Format, Method, SolveArgs};
use anyhow::{anyhow, Result};
use detente_game::{format_rational, ExtensiveGame, Rational, Scalar};
use detente_solve::backward::{backward_induction, BackwardOptions};
use detente_solve::behavior::{verify_nash, BehaviorEquilibrium};
use detente_solve::seqform_lcp::{seqform_lcp, SeqLcpOptions};
use detente_solve::seqform_lp::{seqform_lp, SeqLpOptions};
use detente_solve::subgame::{is_subgame_perfect, subgame_perfect, SubgameOptions};
use serde_json::{json, Value};

pub fn run(args: &SolveArgs, g: &ExtensiveGame) -> Result<()> {
    let file = &args.file;
    let method = args.method.unwrap_or(Method::Lcp);
    let fail = |e: detente_solve::SolveError| anyhow!("{file}: {}: {e}", method.name());
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
        Format::Text => {
            let mut s = String::new();
            for e in &equilibria {
                s.push_str("NE");
                for v in e.profile.iter().flatten().flatten() {
                    s.push(',');
                    s.push_str(&txt(v));
                }
                s.push('\n');
            }
            s
        }
        Format::Csv => {
            let mut s = String::from("equilibrium,player,infoset,action,probability\n");
            for (k, e) in equilibria.iter().enumerate() {
                for (p, sets) in e.profile.iter().enumerate() {
                    for (j, probs) in sets.iter().enumerate() {
                        let info = g.infoset(g.player_infosets(p)[j]);
                        for (a, v) in probs.iter().enumerate() {
                            s.push_str(&format!(
                                "{},{},{},{},{}\n",
                                k + 1,
                                csv_field(&g.players()[p]),
                                j + 1,
                                csv_field(info.actions().get(a).map(|x| x.as_str()).unwrap_or("")),
                                txt(v)
                            ));
                        }
                    }
                }
            }
            s
        }
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
                "representation": "behavior",
                "arithmetic": if args.float { "float" } else { "exact" },
                "players": g.players(),
                "infosets": infosets,
                "equilibria": eqs,
            });
            if let Some(val) = &value {
                v["value"] = num(val);
            }
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
    };
    print!("{out}");
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
