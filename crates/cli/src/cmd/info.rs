//! `detente info FILE`: what a game file holds: title, players, strategies
//! (of the reduced strategic form for trees), number of cells, whether it
//! is constant-sum, the payoff range, and the strictly dominated strategies
//! found by iterated elimination (by pure strategies, then by pure or mixed
//! strategies).

use super::solve::{csv_field, describe_step, eliminated_json};
use anyhow::{anyhow, Context, Result};
use clap::{Args, ValueEnum};
use detente_game::{format_rational, read_game_file, Game};
use detente_solve::dominance::{eliminate_dominated, DominanceKind};
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InfoFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Game file (Gambit .nfg or .efg), or - for standard input
    pub file: String,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: InfoFormat,
}

pub fn run(args: InfoArgs) -> Result<()> {
    let game = read_game_file(&args.file).map_err(|e| anyhow!("{e}"))?;
    let nf = game
        .to_normal_form()
        .map_err(|e| anyhow!("{}: {e}", args.file))?;
    let pure = eliminate_dominated(&nf, DominanceKind::Pure)
        .map_err(|e| anyhow!("{}: dominance: {e}", args.file))?;
    let mixed = eliminate_dominated(&nf, DominanceKind::Mixed)
        .map_err(|e| anyhow!("{}: dominance: {e}", args.file))?;
    let (lo, hi) = nf.payoff_range();
    let (form, tree) = match &game {
        Game::Normal(_) => ("nfg", None),
        Game::Extensive(t) => (
            "efg",
            Some(json!({
                "nodes": t.num_nodes(),
                "terminal_nodes": t.num_terminal(),
                "perfect_recall": t.is_perfect_recall(),
            })),
        ),
    };
    match args.format {
        InfoFormat::Json => {
            let mut v = json!({
                "file": args.file,
                "format": form,
                "title": game.title(),
                "comment": game.comment(),
                "players": nf.players(),
                "strategies": nf.strategies(),
                "shape": nf.shape(),
                "cells": nf.num_profiles(),
                "constant_sum": nf.is_constant_sum(),
                "min_payoff": format_rational(&lo),
                "max_payoff": format_rational(&hi),
                "dominated_pure": eliminated_json(&nf, &pure),
                "dominated_mixed": eliminated_json(&nf, &mixed),
                "undominated_shape": mixed.kept.iter().map(Vec::len).collect::<Vec<_>>(),
            });
            if let Some(t) = tree {
                v["tree"] = t;
            }
            let s = serde_json::to_string_pretty(&v).context("writing JSON")?;
            println!("{s}");
        }
        InfoFormat::Text => {
            let mut out = String::new();
            out.push_str(&format!("file: {} ({})\n", args.file, form));
            out.push_str(&format!("title: {}\n", game.title()));
            if let Some(t) = &tree {
                out.push_str(&format!(
                    "tree: {} nodes, {} terminal, {} recall; strategies below are the reduced strategic form\n",
                    t["nodes"],
                    t["terminal_nodes"],
                    if t["perfect_recall"] == true { "perfect" } else { "imperfect" }
                ));
            }
            out.push_str(&format!("players: {}\n", nf.num_players()));
            for (p, name) in nf.players().iter().enumerate() {
                let labels: Vec<String> = nf.strategies()[p].iter().map(|s| csv_field(s)).collect();
                out.push_str(&format!(
                    "  {} {}: {} strategies: {}\n",
                    p + 1,
                    name,
                    labels.len(),
                    labels.join(", ")
                ));
            }
            let shape: Vec<String> = nf.shape().iter().map(|k| k.to_string()).collect();
            out.push_str(&format!(
                "cells: {} ({})\n",
                nf.num_profiles(),
                shape.join("x")
            ));
            out.push_str(&format!(
                "constant-sum: {}\n",
                if nf.is_constant_sum() { "yes" } else { "no" }
            ));
            out.push_str(&format!(
                "payoff range: [{}, {}]\n",
                format_rational(&lo),
                format_rational(&hi)
            ));
            for (name, r) in [("pure", &pure), ("mixed", &mixed)] {
                if r.steps.is_empty() {
                    out.push_str(&format!(
                        "strictly dominated strategies ({name} dominance): none\n"
                    ));
                } else {
                    out.push_str(&format!(
                        "strictly dominated strategies ({name} dominance, iterated): {}\n",
                        r.steps.len()
                    ));
                    for s in &r.steps {
                        out.push_str(&format!("  {}\n", describe_step(&nf, s)));
                    }
                    let left: Vec<String> = r.kept.iter().map(|k| k.len().to_string()).collect();
                    out.push_str(&format!("  remaining game: {}\n", left.join("x")));
                }
            }
            print!("{out}");
        }
    }
    Ok(())
}
