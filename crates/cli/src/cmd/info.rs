//! `detente info FILE`: what a game file holds: title, players, strategies
//! (of the reduced strategic form for trees), number of cells, whether it
//! is constant-sum, the payoff range, and the strictly dominated strategies
//! found by iterated elimination (by pure strategies, then by pure or mixed
//! strategies). Mixed dominance solves one exact LP per strategy and round,
//! so by default it runs only on games of at most `MIXED_DEFAULT_CELLS`
//! cells; `--dominance mixed` asks for it on any size, `--dominance none`
//! skips both. A tree whose reduced strategic form is too large to build
//! is described from the tree alone ([`tree_only`]).

use super::solve::{csv_field, describe_step, eliminated_json};
use anyhow::{anyhow, Context, Result};
use clap::{Args, ValueEnum};
use detente_game::{format_rational, read_game_file, ExtensiveGame, Game, Rational};
use detente_solve::dominance::{eliminate_dominated, DominanceKind};
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InfoFormat {
    Text,
    Json,
}

/// Which dominance checks `info` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InfoDominance {
    /// Pure; mixed too when the game has at most 10,000 cells
    Auto,
    /// Neither
    None,
    /// Domination by pure strategies only
    Pure,
    /// Pure, then by pure or mixed strategies (one exact LP per strategy)
    Mixed,
}

/// Largest game (in cells) on which `--dominance auto` runs the mixed check.
pub const MIXED_DEFAULT_CELLS: usize = 10_000;

/// Strategy labels listed per player in the text output before "… and N more".
const LABELS_SHOWN: usize = 24;

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Game file (Gambit .nfg or .efg), or - for standard input
    pub file: String,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: InfoFormat,
    /// Dominance checks to run (auto: mixed only on games of at most 10,000 cells)
    #[arg(long, value_enum, default_value = "auto")]
    pub dominance: InfoDominance,
    /// List every strategy label in the text output (default: the first 24 per player)
    #[arg(long)]
    pub all_labels: bool,
}

pub fn run(args: InfoArgs) -> Result<()> {
    let game = read_game_file(&args.file).map_err(|e| anyhow!("{e}"))?;
    let nf = match (game.to_normal_form(), &game) {
        (Ok(nf), _) => nf,
        // A tree too large for its strategic form is still described.
        (Err(e), Game::Extensive(t)) => return tree_only(&args, &game, t, &e.to_string()),
        (Err(e), Game::Normal(_)) => return Err(anyhow!("{}: {e}", args.file)),
    };
    let (run_pure, run_mixed) = match args.dominance {
        InfoDominance::None => (false, false),
        InfoDominance::Pure => (true, false),
        InfoDominance::Mixed => (true, true),
        InfoDominance::Auto => (true, nf.num_profiles() <= MIXED_DEFAULT_CELLS),
    };
    let skipped_mixed = args.dominance == InfoDominance::Auto && !run_mixed;
    let eliminate =
        |kind| eliminate_dominated(&nf, kind).map_err(|e| anyhow!("{}: dominance: {e}", args.file));
    let pure = if run_pure {
        Some(eliminate(DominanceKind::Pure)?)
    } else {
        None
    };
    let mixed = if run_mixed {
        Some(eliminate(DominanceKind::Mixed)?)
    } else {
        None
    };
    let why_not = |kind: &str| -> String {
        if skipped_mixed && kind == "mixed" {
            format!(
                "not checked: {} cells is more than {MIXED_DEFAULT_CELLS}; `--dominance mixed` checks it",
                nf.num_profiles()
            )
        } else {
            "not checked (--dominance)".to_string()
        }
    };
    let (lo, hi) = nf.payoff_range();
    let (form, tree) = match &game {
        Game::Normal(_) => ("nfg", None),
        Game::Extensive(t) => ("efg", Some(t)),
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
                "dominated_pure": pure.as_ref().map(|r| eliminated_json(&nf, r)),
                "dominated_mixed": mixed.as_ref().map(|r| eliminated_json(&nf, r)),
                "undominated_shape": mixed.as_ref().or(pure.as_ref()).map(|r| r.kept.iter().map(Vec::len).collect::<Vec<_>>()),
            });
            let mut unchecked = serde_json::Map::new();
            for (kind, r) in [("pure", &pure), ("mixed", &mixed)] {
                if r.is_none() {
                    unchecked.insert(kind.to_string(), json!(why_not(kind)));
                }
            }
            if !unchecked.is_empty() {
                v["dominance_not_checked"] = json!(unchecked);
            }
            if let Some(t) = tree {
                v["tree"] = tree_json(t);
            }
            let s = serde_json::to_string_pretty(&v).context("writing JSON")?;
            super::emit(&format!("{s}\n"))?;
        }
        InfoFormat::Text => {
            let mut out = String::new();
            out.push_str(&format!("file: {} ({})\n", args.file, form));
            out.push_str(&format!("title: {}\n", game.title()));
            if let Some(t) = tree {
                out.push_str(&format!(
                    "{}; strategies below are the reduced strategic form\n",
                    tree_line(t)
                ));
            }
            out.push_str(&format!("players: {}\n", nf.num_players()));
            for (p, name) in nf.players().iter().enumerate() {
                let all = &nf.strategies()[p];
                let shown = if args.all_labels {
                    all.len()
                } else {
                    all.len().min(LABELS_SHOWN)
                };
                let mut labels: Vec<String> = all[..shown].iter().map(|s| csv_field(s)).collect();
                if shown < all.len() {
                    labels.push(format!(
                        "… and {} more (--all-labels lists them)",
                        all.len() - shown
                    ));
                }
                out.push_str(&format!(
                    "  {} {}: {} strategies: {}\n",
                    p + 1,
                    name,
                    all.len(),
                    labels.join(", ")
                ));
            }
            let shape: Vec<String> = nf.shape().iter().map(|k| k.to_string()).collect();
            out.push_str(&format!(
                "cells: {} ({})\n",
                nf.num_profiles(),
                shape.join("x")
            ));
            out.push_str(&sum_and_range_text(nf.is_constant_sum(), &lo, &hi));
            for (name, r) in [("pure", &pure), ("mixed", &mixed)] {
                let Some(r) = r else {
                    out.push_str(&format!(
                        "strictly dominated strategies ({name} dominance): {}\n",
                        why_not(name)
                    ));
                    continue;
                };
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
            super::emit(&out)?;
        }
    }
    Ok(())
}

/// Information sets and actions of each player of a tree.
pub(crate) fn infosets_and_actions(t: &ExtensiveGame) -> Vec<(usize, usize)> {
    (0..t.num_players())
        .map(|p| {
            let sets = t.player_infosets(p);
            let actions = sets.iter().map(|&s| t.infoset(s).num_actions()).sum();
            (sets.len(), actions)
        })
        .collect()
}

/// The JSON output's `tree` object: the same fields whether or not the
/// strategic form was built.
fn tree_json(t: &ExtensiveGame) -> serde_json::Value {
    let per_player = infosets_and_actions(t);
    json!({
        "nodes": t.num_nodes(),
        "terminal_nodes": t.num_terminal(),
        "perfect_recall": t.is_perfect_recall(),
        "perfect_information": t.is_perfect_information(),
        "chance": t.has_chance(),
        "information_sets": per_player.iter().map(|p| p.0).collect::<Vec<_>>(),
        "actions": per_player.iter().map(|p| p.1).collect::<Vec<_>>(),
    })
}

/// The text output's line on a tree (size, recall, information, chance).
fn tree_line(t: &ExtensiveGame) -> String {
    let word = |b: bool| if b { "perfect" } else { "imperfect" };
    format!(
        "tree: {} nodes, {} terminal, {} recall, {} information{}",
        t.num_nodes(),
        t.num_terminal(),
        word(t.is_perfect_recall()),
        word(t.is_perfect_information()),
        if t.has_chance() { ", chance moves" } else { "" }
    )
}

/// The text output's constant-sum and payoff-range lines.
fn sum_and_range_text(constant_sum: bool, lo: &Rational, hi: &Rational) -> String {
    format!(
        "constant-sum: {}\npayoff range: [{}, {}]\n",
        if constant_sum { "yes" } else { "no" },
        format_rational(lo),
        format_rational(hi)
    )
}

/// `info` on a tree whose reduced strategic form is too large to build
/// (`contrib/ttt.efg`: 16,529 × 668,360 strategies): what the tree itself
/// tells (size, recall, information sets and actions per player, chance,
/// constant sum, payoff range), why the strategic form and the dominance
/// checks are absent, and which methods solve the tree directly.
fn tree_only(args: &InfoArgs, game: &Game, t: &ExtensiveGame, why: &str) -> Result<()> {
    let per_player = infosets_and_actions(t);
    let (lo, hi) = t.payoff_range();
    let methods = match (t.num_players(), t.is_constant_sum()) {
        (2, true) => "lcp, lp, logit, liap, spe",
        (2, false) => "lcp, logit, liap, spe",
        _ => "logit, liap, spe",
    };
    match args.format {
        InfoFormat::Json => {
            let v = json!({
                "file": args.file,
                "format": "efg",
                "title": game.title(),
                "comment": game.comment(),
                "players": t.players(),
                "constant_sum": t.is_constant_sum(),
                "min_payoff": format_rational(&lo),
                "max_payoff": format_rational(&hi),
                "tree": tree_json(t),
                "strategic_form_not_built": why,
                "tree_methods": methods,
            });
            let s = serde_json::to_string_pretty(&v).context("writing JSON")?;
            super::emit(&format!("{s}\n"))
        }
        InfoFormat::Text => {
            let mut out = format!("file: {} (efg)\ntitle: {}\n", args.file, game.title());
            out.push_str(&format!("{}\n", tree_line(t)));
            out.push_str(&format!("players: {}\n", t.num_players()));
            for (p, (name, (sets, actions))) in t.players().iter().zip(&per_player).enumerate() {
                out.push_str(&format!(
                    "  {} {name}: {sets} information sets, {actions} actions\n",
                    p + 1
                ));
            }
            out.push_str(&sum_and_range_text(t.is_constant_sum(), &lo, &hi));
            out.push_str(&format!(
                "strategic form: not built ({why}); no strategy list, no dominance checks\n"
            ));
            out.push_str(&format!("methods that solve the tree itself: {methods}\n"));
            super::emit(&out)
        }
    }
}
