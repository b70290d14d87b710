//! `detente forecast FILE --model mean|median|eum|smp|exchange`: forecast
//! where a dispute settles (crate `detente-forecast`).

use crate::UsageError;
use anyhow::Context;
use clap::{Args, ValueEnum};
use detente_forecast::{
    eum, output, plot, read_file, run as run_model, EumOptions, ExchangeOptions, MedianTie, Model,
    SmpOptions,
};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ModelName {
    /// Weighted mean Σ c·s·x / Σ c·s (compromise model)
    Mean,
    /// Weighted median with weights c·s
    Median,
    /// Bueno de Mesquita's expected utility model
    Eum,
    /// KTAB's spatial model of politics
    Smp,
    /// Stokman & Van Oosten exchange model (Equal Gain)
    Exchange,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Csv,
}

/// Forecast a collective decision from actors' capabilities, positions and saliences.
#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Input file: EUM CSV (Actor,Capability,Position,Salience), KTAB SMP CSV or decide's #A/#P/#M/#D format
    pub file: PathBuf,
    /// Model to run
    #[arg(long, value_enum, default_value = "mean")]
    pub model: ModelName,
    /// Named option set: eum: scholz2011 (default) | paper; median: lower (default) | midpoint; smp: ktab (default)
    #[arg(long)]
    pub preset: Option<String>,
    /// Number of rounds (maximum for models that stop by themselves)
    #[arg(long)]
    pub rounds: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Write SVG plots (positions by round; EUM quadrant charts) into this directory
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Seed for random tie-breaking in the exchange model (default: stable order)
    #[arg(long)]
    pub seed: Option<u64>,
}

fn model_of(a: &ForecastArgs) -> anyhow::Result<Model> {
    let preset = a.preset.as_deref();
    Ok(match a.model {
        ModelName::Mean => {
            if let Some(p) = preset {
                return Err(UsageError(format!("--model mean has no preset (got '{p}')")).into());
            }
            Model::Mean
        }
        ModelName::Median => Model::Median(match preset {
            None | Some("lower") => MedianTie::Lower,
            Some("midpoint") => MedianTie::Midpoint,
            Some(p) => {
                return Err(
                    UsageError(format!("unknown median preset '{p}' (lower, midpoint)")).into(),
                )
            }
        }),
        ModelName::Eum => {
            let mut o = match preset {
                None => EumOptions::scholz2011(),
                Some(p) => EumOptions::preset(p).ok_or_else(|| {
                    UsageError(format!("unknown eum preset '{p}' (scholz2011, paper)"))
                })?,
            };
            if let Some(r) = a.rounds {
                o.rounds = r;
            }
            Model::Eum(o)
        }
        ModelName::Exchange => {
            if let Some(p) = preset {
                if p != "decide" {
                    return Err(
                        UsageError(format!("unknown exchange preset '{p}' (decide)")).into(),
                    );
                }
            }
            let mut o = ExchangeOptions::default();
            if let Some(r) = a.rounds {
                o.rounds = r;
            }
            if let Some(s) = a.seed {
                o.tie_break = detente_forecast::exchange::TieBreak::Random(s);
            }
            Model::Exchange(o)
        }
        ModelName::Smp => {
            let mut o = match preset {
                None => SmpOptions::default(),
                Some(p) => SmpOptions::preset(p)
                    .ok_or_else(|| UsageError(format!("unknown smp preset '{p}' (ktab)")))?,
            };
            if let Some(r) = a.rounds {
                o.max_turns = r;
            }
            Model::Smp(o)
        }
    })
}

fn file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub fn run(a: ForecastArgs) -> anyhow::Result<()> {
    let model = model_of(&a)?;
    let dataset = read_file(&a.file)?;
    let preset = match (&model, a.preset.as_deref()) {
        (Model::Eum(_), None) => Some("scholz2011"),
        (_, p) => p,
    };
    let result = run_model(&dataset, &model, preset)?;
    let text = match a.format {
        OutputFormat::Json => output::to_json(&result) + "\n",
        OutputFormat::Csv => output::to_csv(&result),
        OutputFormat::Text => output::to_text(&result),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => return Err(e).context("writing the output"),
    }
    if let Some(dir) = &a.plot {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (d, issue) in result.issues.iter().enumerate() {
            let path = dir.join(format!("positions-{}.svg", file_name(&issue.issue)));
            std::fs::write(&path, plot::positions_svg(issue))
                .with_context(|| format!("writing {}", path.display()))?;
            if let Model::Eum(o) = &model {
                let data = dataset.issue(d)?;
                for focal in 0..data.len() {
                    let pts = eum::quadrant(&data, focal, o)?
                        .into_iter()
                        .map(|(j, x, y)| (data.actors[j].clone(), x, y))
                        .collect::<Vec<_>>();
                    let path = dir.join(format!(
                        "quadrant-{}-{}.svg",
                        file_name(&issue.issue),
                        file_name(&data.actors[focal])
                    ));
                    std::fs::write(
                        &path,
                        plot::quadrant_svg(&issue.issue, &data.actors[focal], &pts),
                    )
                    .with_context(|| format!("writing {}", path.display()))?;
                }
            }
        }
    }
    Ok(())
}
