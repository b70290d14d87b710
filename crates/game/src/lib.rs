//! Game models for Detente: normal-form games with any number of players,
//! extensive-form games, and Gambit's `.nfg`/`.efg` file formats.
//!
//! Payoffs are stored exactly as [`Rational`]s; solvers convert to any
//! [`Scalar`] (exact rationals or `f64`) with [`NormalFormGame::payoff_table`].

pub mod error;
pub mod normal;
pub mod number;

pub use error::{GameError, Location};
pub use normal::{NormalFormGame, Outcome, MAX_PROFILES};
pub use number::{format_rational, parse_rational, Rational, Scalar};
