//! `detente coalition FILE [--samples N] [--seed S] [--format text|json]`:
//! solutions of a transferable-utility coalitional game (crate
//! `detente-coop`): Shapley value (exact, or sampled with a confidence
//! interval for large games), Banzhaf value, core, least core, nucleolus.

use crate::cmd::power::{emit, read_input, OutputFormat};
use clap::Args;
use detente_coop::core::{core_point, least_core, MAX_LP_PLAYERS};
use detente_coop::input::{read_coalition, GameSpec};
use detente_coop::nucleolus::nucleolus;
use detente_coop::shapley::{banzhaf_value, shapley_sample, shapley_value, Estimate};
use detente_coop::tu::{Characteristic, TuGame};
use detente_game::number::rational_to_f64;
use detente_game::{format_rational, Rational};
use serde_json::json;
use std::path::PathBuf;

/// Shapley value, Banzhaf value, core, least core and nucleolus of a TU game.
#[derive(Args, Debug)]
pub struct CoalitionArgs {
    /// Coalitional game file (TOML or JSON; see docs/coop.md), or - for standard input
    pub file: PathBuf,
    /// Random orderings for the sampled Shapley value of games too large for a table
    #[arg(long)]
    pub samples: Option<usize>,
    /// Seed for the sampled Shapley value
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

fn fr(v: &[Rational]) -> Vec<String> {
    v.iter().map(format_rational).collect()
}
fn fl(v: &[Rational]) -> Vec<f64> {
    v.iter().map(rational_to_f64).collect()
}

pub fn run(a: CoalitionArgs) -> anyhow::Result<()> {
    let (name, text) = read_input(&a.file)?;
    let f = read_coalition(&name, &text)?;
    let samples = a.samples.unwrap_or(f.samples);
    if samples < 2 {
        return Err(crate::UsageError("--samples must be at least 2".into()).into());
    }
    let seed = a.seed.unwrap_or(f.seed);
    let (players, table, rule): (Vec<String>, Option<&TuGame>, &dyn Characteristic) = match &f.game
    {
        GameSpec::Table(g) => (g.players().to_vec(), Some(g), g),
        GameSpec::Bankruptcy {
            players,
            rule,
            table,
        } => (players.clone(), table.as_ref(), rule),
        GameSpec::Weighted { body, table } => (body.members.clone(), table.as_ref(), body),
    };
    let mut out = json!({ "title": f.title, "players": players });
    let mut txt = format!(
        "Coalitional game: {} ({} players)\n",
        f.title,
        players.len()
    );
    let w = players
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    match table {
        Some(g) => {
            let phi = shapley_value(g);
            let bz = banzhaf_value(g);
            out["shapley"] = json!(fl(&phi));
            out["shapley_exact"] = json!(fr(&phi));
            out["banzhaf"] = json!(fl(&bz));
            out["banzhaf_exact"] = json!(fr(&bz));
            out["grand_coalition_value"] = json!(format_rational(&g.value(g.grand())));
            txt.push_str(&format!(
                "v(N) = {}\n\n",
                format_rational(&g.value(g.grand()))
            ));
            txt.push_str(&format!(
                "{:<w$}  {:>14}  {:>14}\n",
                "player", "Shapley", "Banzhaf"
            ));
            for i in 0..players.len() {
                txt.push_str(&format!(
                    "{:<w$}  {:>14}  {:>14}\n",
                    players[i],
                    format_rational(&phi[i]),
                    format_rational(&bz[i])
                ));
            }
            if g.num_players() <= MAX_LP_PLAYERS {
                let lc = least_core(g)?;
                let core = core_point(g)?;
                let nu = nucleolus(g);
                out["core"] = json!({
                    "empty": core.is_none(),
                    "point": core.as_ref().map(|c| fl(c)),
                    "point_exact": core.as_ref().map(|c| fr(c)),
                });
                out["least_core"] = json!({
                    "epsilon": rational_to_f64(&lc.epsilon),
                    "epsilon_exact": format_rational(&lc.epsilon),
                    "point": fl(&lc.point),
                    "point_exact": fr(&lc.point),
                });
                txt.push_str(&match &core {
                    Some(c) => {
                        format!("\nCore: non-empty; a point in it: ({})\n", fr(c).join(", "))
                    }
                    None => "\nCore: empty\n".to_string(),
                });
                txt.push_str(&format!(
                    "Least core: epsilon = {}, point ({})\n",
                    format_rational(&lc.epsilon),
                    fr(&lc.point).join(", ")
                ));
                match nu {
                    Ok(nu) => {
                        out["nucleolus"] = json!({
                            "point": fl(&nu.point),
                            "point_exact": fr(&nu.point),
                            "excess_levels": fr(&nu.levels),
                        });
                        txt.push_str(&format!("Nucleolus: ({})\n", fr(&nu.point).join(", ")));
                    }
                    Err(e) => {
                        out["nucleolus"] = json!({ "error": e.to_string() });
                        txt.push_str(&format!("Nucleolus: not defined ({e})\n"));
                    }
                }
            } else {
                let note = format!(
                    "core, least core and nucleolus need at most {MAX_LP_PLAYERS} players (one LP column per coalition)"
                );
                txt.push_str(&format!("\n({note})\n"));
                out["note"] = json!(note);
            }
        }
        None => {
            let est: Vec<Estimate> = shapley_sample(rule, samples, seed)?;
            out["shapley"] = json!(est.iter().map(|e| e.mean).collect::<Vec<_>>());
            out["shapley_ci95_half_width"] =
                json!(est.iter().map(|e| e.half_width).collect::<Vec<_>>());
            out["samples"] = json!(samples);
            out["seed"] = json!(seed);
            let note = format!(
                "{} players: too many for a coalition table; Shapley value estimated from {samples} random orderings (seed {seed}); core, least core and nucleolus not computed",
                players.len()
            );
            out["note"] = json!(note);
            txt.push_str(&format!(
                "{note}\n\n{:<w$}  {:>12}  {:>12}\n",
                "player", "Shapley", "95% CI ±"
            ));
            for (p, e) in players.iter().zip(&est) {
                txt.push_str(&format!(
                    "{:<w$}  {:>12.6}  {:>12.6}\n",
                    p, e.mean, e.half_width
                ));
            }
        }
    }
    match a.format {
        OutputFormat::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&out)?))?,
        OutputFormat::Text => emit(&txt)?,
    }
    Ok(())
}
