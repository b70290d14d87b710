//! Actors × issues input data shared by every model.

use crate::error::{ForecastError, Result};
use serde::Serialize;

/// Which file format a [`Dataset`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `Actor,Capability,Position,Salience` (the EUM replications).
    Eum,
    /// KTAB's SMP CSV (`name,desc,nActors,nDims` header).
    Ktab,
    /// decide-exchange-model's tab-separated `#A/#P/#M/#D` format.
    Decide,
    /// Built in code.
    Memory,
}

/// One issue (dimension): its name and the bounds of its scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    pub name: String,
    /// Lowest point of the issue scale.
    pub lower: f64,
    /// Highest point of the issue scale.
    pub upper: f64,
}

/// One actor's data on one issue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cell {
    /// Position on the issue's own scale.
    pub position: f64,
    /// Salience in [0, 1] (KTAB's 0–100 saliences are divided by 100).
    pub salience: f64,
    /// Capability (clout, power), ≥ 0, on any scale.
    pub capability: f64,
}

/// Actors × issues with capability, position and salience.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dataset {
    pub name: String,
    pub format: Format,
    pub actors: Vec<String>,
    pub issues: Vec<Issue>,
    /// `cells[actor][issue]`; `None` when the actor takes no part in the issue.
    pub cells: Vec<Vec<Option<Cell>>>,
    /// Remarks made while reading (e.g. a salience scale that was converted).
    pub notes: Vec<String>,
}

/// One issue's data, restricted to the actors that take part in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueData {
    pub name: String,
    pub lower: f64,
    pub upper: f64,
    pub actors: Vec<String>,
    pub positions: Vec<f64>,
    pub saliences: Vec<f64>,
    pub capabilities: Vec<f64>,
}

impl IssueData {
    /// Build and check one issue's data.
    pub fn new(
        name: &str,
        actors: Vec<String>,
        positions: Vec<f64>,
        capabilities: Vec<f64>,
        saliences: Vec<f64>,
    ) -> Result<Self> {
        let n = actors.len();
        if positions.len() != n || capabilities.len() != n || saliences.len() != n {
            return Err(ForecastError::Invalid(format!(
                "issue {name}: {n} actors but {} positions, {} capabilities, {} saliences",
                positions.len(),
                capabilities.len(),
                saliences.len()
            )));
        }
        let (lower, upper) = min_max(&positions);
        let data = IssueData {
            name: name.to_string(),
            lower,
            upper,
            actors,
            positions,
            saliences,
            capabilities,
        };
        data.validate()?;
        Ok(data)
    }

    /// Number of actors on this issue.
    pub fn len(&self) -> usize {
        self.actors.len()
    }

    /// True when no actor takes part.
    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// Effective weights c_i · s_i.
    pub fn weights(&self) -> Vec<f64> {
        self.capabilities
            .iter()
            .zip(&self.saliences)
            .map(|(c, s)| c * s)
            .collect()
    }

    /// Check values: finite, salience in [0,1], capability ≥ 0, at least one actor.
    pub fn validate(&self) -> Result<()> {
        if self.actors.is_empty() {
            return Err(ForecastError::Invalid(format!(
                "issue {}: no actor takes part",
                self.name
            )));
        }
        for (k, a) in self.actors.iter().enumerate() {
            let (x, s, c) = (self.positions[k], self.saliences[k], self.capabilities[k]);
            if !x.is_finite() {
                return Err(ForecastError::Invalid(format!(
                    "issue {}: actor {a}: position is not a finite number",
                    self.name
                )));
            }
            if !(0.0..=1.0).contains(&s) {
                return Err(ForecastError::Invalid(format!(
                    "issue {}: actor {a}: salience {s} is outside [0, 1]",
                    self.name
                )));
            }
            if !(c.is_finite() && c >= 0.0) {
                return Err(ForecastError::Invalid(format!(
                    "issue {}: actor {a}: capability {c} must be a finite number ≥ 0",
                    self.name
                )));
            }
        }
        Ok(())
    }
}

/// Smallest and largest value (0, 0 for an empty slice).
pub fn min_max(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

impl Dataset {
    /// A one-issue dataset built in code (bounds = range of the positions).
    pub fn single_issue(data: &IssueData) -> Self {
        Dataset {
            name: data.name.clone(),
            format: Format::Memory,
            actors: data.actors.clone(),
            issues: vec![Issue {
                name: data.name.clone(),
                lower: data.lower,
                upper: data.upper,
            }],
            cells: (0..data.len())
                .map(|k| {
                    vec![Some(Cell {
                        position: data.positions[k],
                        salience: data.saliences[k],
                        capability: data.capabilities[k],
                    })]
                })
                .collect(),
            notes: Vec::new(),
        }
    }

    /// The data of issue `d`, restricted to the actors present on it.
    pub fn issue(&self, d: usize) -> Result<IssueData> {
        let issue = self
            .issues
            .get(d)
            .ok_or_else(|| ForecastError::Invalid(format!("no issue number {d}")))?;
        let mut data = IssueData {
            name: issue.name.clone(),
            lower: issue.lower,
            upper: issue.upper,
            actors: Vec::new(),
            positions: Vec::new(),
            saliences: Vec::new(),
            capabilities: Vec::new(),
        };
        for (a, row) in self.actors.iter().zip(&self.cells) {
            if let Some(Some(cell)) = row.get(d) {
                data.actors.push(a.clone());
                data.positions.push(cell.position);
                data.saliences.push(cell.salience);
                data.capabilities.push(cell.capability);
            }
        }
        data.validate()?;
        Ok(data)
    }

    /// Check that the dataset is usable: at least one actor and one issue.
    pub fn validate(&self) -> Result<()> {
        if self.actors.is_empty() {
            return Err(ForecastError::Invalid(format!(
                "{}: the input has no actors",
                self.name
            )));
        }
        if self.issues.is_empty() {
            return Err(ForecastError::Invalid(format!(
                "{}: the input has no issues",
                self.name
            )));
        }
        for d in 0..self.issues.len() {
            self.issue(d)?;
        }
        Ok(())
    }
}
