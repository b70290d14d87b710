//! Collective-decision forecasting for Detente.
//!
//! Where will a dispute settle, given who takes part, how much each cares
//! (salience) and what clout each has (capability)? This crate reads the
//! peers' input formats ([`read`]) and runs the field's models, each a pure
//! function of its inputs and of named options:
//!
//! * [`baseline`]: weighted mean (compromise model) and weighted median;
//! * [`eum`]: Bueno de Mesquita's expected utility model (Scholz et al. 2011);
//! * [`exchange`]: Stokman & Van Oosten's exchange model, Equal Gain variant
//!   (as in decide-exchange-model);
//! * [`smp`]: KAPSARC KTAB's spatial model of politics with Probabilistic
//!   Condorcet Elections.
//!
//! [`run`] dispatches on a [`Model`] and returns a [`Forecast`]: the forecast
//! per issue, every actor's trajectory and per-round diagnostics; [`output`]
//! renders it as text, CSV or JSON and [`plot`] as SVG.

pub mod baseline;
pub mod data;
pub mod error;
pub mod eum;
pub mod exchange;
pub mod output;
pub mod plot;
pub mod read;
pub mod result;
pub mod smp;

pub use baseline::{weighted_mean, weighted_median, MedianTie};
pub use data::{Cell, Dataset, Format, Issue, IssueData};
pub use error::{ForecastError, Location, Result};
pub use eum::EumOptions;
pub use exchange::ExchangeOptions;
pub use read::{parse_str, read_file};
pub use result::{Forecast, IssueForecast};
pub use smp::SmpOptions;

/// A model with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    /// Weighted mean `Σ c s x / Σ c s` per issue.
    Mean,
    /// Weighted median (weights c·s) per issue.
    Median(MedianTie),
    /// Expected utility model, run independently per issue.
    Eum(EumOptions),
    /// Exchange model over all issues.
    Exchange(ExchangeOptions),
    /// Spatial model of politics over all dimensions.
    Smp(SmpOptions),
}

impl Model {
    /// The model's short name.
    pub fn name(&self) -> &'static str {
        match self {
            Model::Mean => "mean",
            Model::Median(_) => "median",
            Model::Eum(_) => "eum",
            Model::Exchange(_) => "exchange",
            Model::Smp(_) => "smp",
        }
    }
}

fn baseline_issue(data: &IssueData, median: Option<MedianTie>) -> IssueForecast {
    let w = data.weights();
    let value = match median {
        None => weighted_mean(&data.positions, &w),
        Some(tie) => weighted_median(&data.positions, &w, tie),
    };
    IssueForecast {
        issue: data.name.clone(),
        actors: data.actors.clone(),
        forecast: result::finite(value.unwrap_or(0.0)),
        rounds: vec![data.positions.clone()],
        stop: None,
        diagnostics: Vec::new(),
    }
}

/// Run `model` on every issue of `dataset`.
pub fn run(dataset: &Dataset, model: &Model, preset: Option<&str>) -> Result<Forecast> {
    dataset.validate()?;
    let mut notes = dataset.notes.clone();
    let mut issues = Vec::new();
    let options = match model {
        Model::Mean | Model::Median(_) => {
            for d in 0..dataset.issues.len() {
                let data = dataset.issue(d)?;
                if data.weights().iter().sum::<f64>() <= 0.0 {
                    notes.push(format!(
                        "issue {}: every weight c·s is 0; all actors weighted equally",
                        data.name
                    ));
                }
                issues.push(baseline_issue(
                    &data,
                    match model {
                        Model::Median(t) => Some(*t),
                        _ => None,
                    },
                ));
            }
            match model {
                Model::Median(t) => serde_json::json!({ "tie": t }),
                _ => serde_json::Value::Null,
            }
        }
        Model::Eum(o) => {
            for d in 0..dataset.issues.len() {
                let data = dataset.issue(d)?;
                let (f, _) = eum::run(&data, o)?;
                issues.push(f);
            }
            serde_json::to_value(o).unwrap_or(serde_json::Value::Null)
        }
        Model::Exchange(o) => {
            let (fs, n) = exchange::run(dataset, o)?;
            issues = fs;
            notes.extend(n);
            serde_json::to_value(o).unwrap_or(serde_json::Value::Null)
        }
        Model::Smp(o) => {
            let (fs, n) = smp::run(dataset, o)?;
            issues = fs;
            notes.extend(n);
            serde_json::to_value(o).unwrap_or(serde_json::Value::Null)
        }
    };
    for f in &mut issues {
        f.forecast = result::finite(f.forecast);
        for r in &mut f.rounds {
            for v in r.iter_mut() {
                *v = result::finite(*v);
            }
        }
    }
    Ok(Forecast {
        model: model.name().to_string(),
        preset: preset.map(str::to_string),
        options,
        issues,
        notes,
    })
}
