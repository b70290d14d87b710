//! The common result of every model: a forecast per issue with every actor's
//! trajectory and per-round diagnostics.

use serde::Serialize;

/// One issue's forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueForecast {
    /// Issue (dimension) name.
    pub issue: String,
    /// Actors taking part, in input order.
    pub actors: Vec<String>,
    /// The forecast outcome on the input's own scale.
    pub forecast: f64,
    /// `rounds[0]` the input positions, `rounds[k]` the positions after round
    /// `k`, on the input's own scale, one value per actor.
    pub rounds: Vec<Vec<f64>>,
    /// Why the run stopped (`"rounds"`, `"no-move"`, `"cycle of length 2"`,
    /// `"converged"`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
    /// Model-specific diagnostics, one entry per round.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<serde_json::Value>,
}

/// The result of a model run on a dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// `mean`, `median`, `eum`, `smp` or `exchange`.
    pub model: String,
    /// The named option set used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// The options actually used.
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub options: serde_json::Value,
    /// One entry per issue (per dimension for a multi-dimensional SMP).
    pub issues: Vec<IssueForecast>,
    /// Warnings and remarks (degenerate input, conventions applied).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Replace any non-finite value by 0 (used only as a last guard before
/// output; models are written never to produce one).
pub(crate) fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}
