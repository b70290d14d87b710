//! Cooperative game theory for Detente: bargaining over a feasible set,
//! transferable-utility coalitional games, and the power of members of voting
//! bodies (weighted games, vetoes, several conditions at once).
//!
//! Each algorithm lives in its own module and cites its source. Exact
//! results are [`Rational`](detente_game::Rational)s; linear programs are
//! solved by the exact simplex method of [`simplex`].

pub mod body;
pub mod count;
pub mod power;
pub mod quadrature;
pub mod simplex;

pub use body::{parse_weighted_game, Condition, VotingBody};
pub use power::{power_indices, ExactIndices, PowerIndices, PowerOptions};
pub mod bargaining;
pub mod core;
pub mod doc;
pub mod egalitarian;
pub mod input;
pub mod kalai_smorodinsky;
pub mod nash_bargaining;
pub mod nucleolus;
pub mod rng;
pub mod shapley;
pub mod tu;
pub mod vote;
