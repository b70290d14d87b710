//! Errors of the game crate. Every error caused by input names where in the
//! input it is: `file:line:col: message`.

use std::fmt;

/// A position in an input file (1-based line and column, counted in
/// characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file name as the user gave it (`-` or `<stdin>` for standard input).
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// What can go wrong when reading or building a game.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GameError {
    /// Malformed input at a known place.
    #[error("{location}: {message}")]
    Parse { location: Location, message: String },
    /// A game that is well-formed but cannot be built (too large, inconsistent).
    #[error("{0}")]
    Invalid(String),
}

impl GameError {
    pub fn parse(file: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        GameError::Parse {
            location: Location {
                file: file.to_string(),
                line,
                col,
            },
            message: message.into(),
        }
    }
}
