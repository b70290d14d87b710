//! `detente bargain FILE [--format text|json]`: bargaining solutions (Nash,
//! asymmetric Nash, Kalai–Smorodinsky, egalitarian), the Pareto frontier
//! and the zone of possible agreement (crate `detente-coop`).

use crate::cmd::power::{emit, read_input, OutputFormat};
use clap::Args;
use detente_coop::bargaining::{
    frontier_2d, issue_zone, pareto_efficient, zopa, BargainingProblem,
};
use detente_coop::egalitarian::egalitarian;
use detente_coop::input::read_bargain;
use detente_coop::kalai_smorodinsky::kalai_smorodinsky;
use detente_coop::nash_bargaining::{nash_solution, Solution};
use detente_game::{format_rational, Rational};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Bargaining over a list of deals, or reservation points on one issue.
#[derive(Args, Debug)]
pub struct BargainArgs {
    /// Bargaining file (TOML or JSON; see docs/coop.md), or - for standard input
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

fn fr(v: &[Rational]) -> Vec<String> {
    v.iter().map(format_rational).collect()
}

fn solution_json(s: &Solution) -> Value {
    match s {
        Solution::Exact(v) => json!({
            "payoffs": v.iter().map(detente_game::number::rational_to_f64).collect::<Vec<_>>(),
            "payoffs_exact": fr(v),
        }),
        Solution::Approx { point, gap } => json!({ "payoffs": point, "optimality_gap": gap }),
        Solution::NoAgreement => Value::Null,
    }
}

fn solution_text(s: &Solution) -> String {
    match s {
        Solution::Exact(v) => format!("({})", fr(v).join(", ")),
        Solution::Approx { point, gap } => format!(
            "({}) [numerical, gap {gap:.1e}]",
            point
                .iter()
                .map(|x| format!("{x:.9}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Solution::NoAgreement => "none (no agreement beats the disagreement point)".into(),
    }
}

pub fn run(a: BargainArgs) -> anyhow::Result<()> {
    let (name, text) = read_input(&a.file)?;
    let f = read_bargain(&name, &text)?;
    let mut out = json!({ "title": f.title });
    let mut txt = format!("Bargaining: {}\n", f.title);
    if let Some(p) = &f.problem {
        let (j, t) = solve_problem(p)?;
        out["deals"] = j;
        txt.push_str(&t);
    }
    if let Some((issue, parties)) = &f.issue {
        let z = issue_zone(parties)?;
        out["issue"] = json!({
            "name": issue,
            "zone_exists": z.exists,
            "low": z.low.as_ref().map(|(v, who)| json!({"value": format_rational(v), "party": who})),
            "high": z.high.as_ref().map(|(v, who)| json!({"value": format_rational(v), "party": who})),
            "statement": z.describe(),
        });
        txt.push_str(&format!("\nIssue: {issue}\n"));
        for p in parties {
            txt.push_str(&format!(
                "  {}: reservation {} (wants {})\n",
                p.name,
                format_rational(&p.reservation),
                match p.wants {
                    detente_coop::bargaining::Wants::More => "more",
                    detente_coop::bargaining::Wants::Less => "less",
                }
            ));
        }
        txt.push_str(&format!("  {}\n", z.describe()));
    }
    match a.format {
        OutputFormat::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&out)?))?,
        OutputFormat::Text => emit(&txt)?,
    }
    Ok(())
}

fn solve_problem(p: &BargainingProblem) -> anyhow::Result<(Value, String)> {
    let eff = pareto_efficient(p)?;
    let z = zopa(p)?;
    let nash = nash_solution(p)?;
    let (ks, ideal) = kalai_smorodinsky(p)?;
    let egal = egalitarian(p)?;
    let asym = p.powers.iter().any(|x| x != &p.powers[0]);
    let frontier: Option<Vec<Vec<String>>> = if p.num_parties() == 2 {
        Some(frontier_2d(p).iter().map(|pt| fr(pt)).collect())
    } else {
        None
    };
    let j = json!({
        "parties": p.parties,
        "disagreement": fr(&p.disagreement),
        "powers": fr(&p.powers),
        "deals": p.deals.iter().zip(&eff).map(|(d, e)| json!({
            "name": d.name, "payoffs": fr(&d.payoffs), "pareto_efficient": e
        })).collect::<Vec<_>>(),
        "frontier": frontier,
        "zopa": {
            "exists": z.exists,
            "common_gain": format_rational(&z.common_gain),
            "deals": z.deals.iter().map(|&k| p.deals[k].name.clone()).collect::<Vec<_>>(),
        },
        "nash": solution_json(&nash),
        "nash_asymmetric": asym,
        "kalai_smorodinsky": solution_json(&ks),
        "ideal_point": ideal.as_ref().map(|v| fr(v)),
        "egalitarian": solution_json(&egal),
    });
    let mut t = format!("Parties: {}\n", p.parties.join(", "));
    t.push_str(&format!(
        "Disagreement point: ({})\n",
        fr(&p.disagreement).join(", ")
    ));
    if asym {
        t.push_str(&format!(
            "Bargaining powers: ({})\n",
            fr(&p.powers).join(", ")
        ));
    }
    t.push_str("Deals:\n");
    let w = p
        .deals
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(4);
    for (d, e) in p.deals.iter().zip(&eff) {
        t.push_str(&format!(
            "  {:<w$}  ({}){}\n",
            d.name,
            fr(&d.payoffs).join(", "),
            if *e { "  Pareto-efficient" } else { "" }
        ));
    }
    if let Some(f) = &frontier {
        t.push_str(&format!(
            "Pareto frontier: {}\n",
            f.iter()
                .map(|pt| format!("({})", pt.join(", ")))
                .collect::<Vec<_>>()
                .join(" - ")
        ));
    }
    if z.exists {
        t.push_str(&format!(
            "Zone of possible agreement: yes; every party can gain up to {} at once{}\n",
            format_rational(&z.common_gain),
            if z.deals.is_empty() {
                " (only by mixing deals: no single deal beats the disagreement point for all)"
                    .to_string()
            } else {
                format!(
                    "; deals in the zone: {}",
                    z.deals
                        .iter()
                        .map(|&k| p.deals[k].name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ));
    } else {
        t.push_str("Zone of possible agreement: none. No deal, and no mixture of deals, gives every party more than its disagreement payoff.\n");
    }
    let label = if asym {
        "Asymmetric Nash solution"
    } else {
        "Nash solution"
    };
    t.push_str(&format!("{label}: {}\n", solution_text(&nash)));
    if let Some(i) = &ideal {
        t.push_str(&format!("Ideal point: ({})\n", fr(i).join(", ")));
    }
    t.push_str(&format!(
        "Kalai-Smorodinsky solution: {}\n",
        solution_text(&ks)
    ));
    t.push_str(&format!("Egalitarian solution: {}\n", solution_text(&egal)));
    Ok((j, t))
}
