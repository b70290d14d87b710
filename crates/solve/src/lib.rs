//! Nash equilibria of games in normal and extensive form.
//!
//! Every solver is generic over [`detente_game::Scalar`] where exactness
//! matters: run it on [`detente_game::Rational`] for exact answers or on
//! `f64` for speed. Every profile a solver returns can be (and, in the CLI,
//! is) checked independently by [`verify`] before it is printed.

pub mod equilibrium;

pub use equilibrium::{Equilibrium, SolveError};
