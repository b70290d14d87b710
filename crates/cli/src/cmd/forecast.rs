//! `detente forecast FILE --model mean|median|eum|smp|exchange`: forecast
//! where a dispute settles (crate `detente-forecast`). FILE is one of the
//! peers' CSV formats, or a Detente scenario (`.toml`), whose issue
//! `--issue ID` is forecast from its actors' positions, saliences and
//! capabilities at their point estimates (under `--policy P` if given).

use crate::UsageError;
use anyhow::Context;
use clap::{Args, ValueEnum};
use detente_forecast::smp::{Accommodation, Transition};
use detente_forecast::{
    eum, output, plot, read_file, run as run_model, Dataset, EumOptions, ExchangeOptions,
    MedianTie, Model, SmpOptions,
};
use detente_scenario::forecast_input::{issue_data, issue_ids};
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
    /// Input file: EUM CSV (Actor,Capability,Position,Salience), KTAB SMP CSV, decide's #A/#P/#M/#D format, or a Detente scenario (.toml)
    pub file: PathBuf,
    /// The issue to forecast: its id in a scenario (required when the scenario has several), its name in a CSV input (default: every issue)
    #[arg(long)]
    pub issue: Option<String>,
    /// Scenario input only: the policy whose changes to apply (default: the base case)
    #[arg(long)]
    pub policy: Option<String>,
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
    /// Seed: random tie-breaking in the exchange model (default: stable order); the draws of --stochastic (default 0)
    #[arg(long)]
    pub seed: Option<u64>,
    /// SMP: stochastic state transitions (each actor's new position drawn from its bargains' probabilities, seeded by --seed)
    #[arg(long)]
    pub stochastic: bool,
    /// SMP: accommodation rate a in [0, 1]: after each turn every ideal moves the fraction a toward the actor's new position (1 = KTAB's default, ideals are positions)
    #[arg(long, value_name = "A")]
    pub accommodation: Option<f64>,
}

fn model_of(a: &ForecastArgs) -> anyhow::Result<Model> {
    let preset = a.preset.as_deref();
    if !matches!(a.model, ModelName::Smp) && (a.stochastic || a.accommodation.is_some()) {
        return Err(UsageError(
            "--stochastic and --accommodation are options of --model smp".into(),
        )
        .into());
    }
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
            if a.stochastic {
                o.transition = Transition::Stochastic {
                    seed: a.seed.unwrap_or(0),
                };
            }
            if let Some(rate) = a.accommodation {
                if !(0.0..=1.0).contains(&rate) {
                    return Err(UsageError(format!(
                        "--accommodation must be between 0 and 1, got {rate}"
                    ))
                    .into());
                }
                o.accommodation = Accommodation::Uniform(rate);
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

/// Whether `path` names a scenario file (by its extension).
fn is_scenario(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// One issue of a scenario as a dataset (see `detente_scenario::forecast_input`).
fn scenario_dataset(a: &ForecastArgs) -> anyhow::Result<Dataset> {
    let path = a.file.display().to_string();
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("{path}: cannot read the scenario file"))?;
    let scenario =
        detente_scenario::parse_scenario(&text, &path).map_err(|e| anyhow::anyhow!("{e}"))?;
    let ids = issue_ids(&scenario);
    let issue = match (a.issue.as_deref(), ids.as_slice()) {
        (Some(i), _) => i.to_string(),
        (None, [only]) => only.to_string(),
        (None, []) => {
            return Err(anyhow::anyhow!(
                "{path}: the scenario has no issues, so there is nothing to forecast"
            ))
        }
        (None, _) => {
            return Err(UsageError(format!(
                "{path}: the scenario has {} issues ({}); choose one with --issue ID",
                ids.len(),
                ids.join(", ")
            ))
            .into())
        }
    };
    let data = issue_data(&scenario, &issue, a.policy.as_deref())
        .map_err(|e| UsageError(format!("{path}: {e}")))?;
    let mut ds = Dataset::single_issue(&data);
    ds.name = format!("{} ({issue})", scenario.meta.id);
    if let Some(p) = &a.policy {
        ds.notes.push(format!(
            "scenario {}: issue {issue} under policy {p}",
            scenario.meta.id
        ));
    }
    Ok(ds)
}

/// The input as a dataset: a scenario's issue, or a CSV file (restricted
/// to `--issue` when given).
fn load(a: &ForecastArgs) -> anyhow::Result<Dataset> {
    if is_scenario(&a.file) {
        return scenario_dataset(a);
    }
    if a.policy.is_some() {
        return Err(UsageError("--policy needs a scenario (.toml) input".into()).into());
    }
    let ds = read_file(&a.file)?;
    match a.issue.as_deref() {
        None => Ok(ds),
        Some(name) => {
            let names: Vec<&str> = ds.issues.iter().map(|i| i.name.as_str()).collect();
            let d = names.iter().position(|n| *n == name).ok_or_else(|| {
                UsageError(format!(
                    "{}: unknown issue `{name}` (the file has: {})",
                    a.file.display(),
                    names.join(", ")
                ))
            })?;
            let mut one = Dataset::single_issue(&ds.issue(d)?);
            one.name = ds.name.clone();
            one.format = ds.format;
            one.notes = ds.notes.clone();
            Ok(one)
        }
    }
}

pub fn run(a: ForecastArgs) -> anyhow::Result<()> {
    let model = model_of(&a)?;
    let dataset = load(&a)?;
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
