//! Errors of the forecast crate.

use std::fmt;

/// Where in an input file a problem was found (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// An error from reading input or running a model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// Malformed input, with the place it was found.
    #[error("{location}: {message}")]
    Parse { location: Location, message: String },
    /// Input that parses but cannot be used (names the problem).
    #[error("{0}")]
    Invalid(String),
    /// Reading the file failed.
    #[error("{file}: {message}")]
    Io { file: String, message: String },
    /// Several problems in one input (each on its own line).
    #[error("{}", join_errors(.0))]
    Multiple(Vec<ForecastError>),
}

fn join_errors(errors: &[ForecastError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl ForecastError {
    /// A parse error at `file:line:col`.
    pub fn parse(file: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        ForecastError::Parse {
            location: Location {
                file: file.to_string(),
                line,
                col,
            },
            message: message.into(),
        }
    }
}

impl ForecastError {
    /// One error for a non-empty list of errors (`None` when the list is empty).
    pub fn from_list(mut errors: Vec<ForecastError>) -> Option<Self> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(ForecastError::Multiple(errors)),
        }
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, ForecastError>;
