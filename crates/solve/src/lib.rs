//! Nash equilibria of games in normal and extensive form.
//!
//! Every solver is generic over [`detente_game::Scalar`] where exactness
//! matters: run it on [`detente_game::Rational`] for exact answers or on
//! `f64` for speed. Every profile a solver returns can be (and, in the CLI,
//! is) checked independently by [`verify`] before it is printed.

mod bimatrix;
pub mod dominance;
pub mod enummixed;
pub mod enumpure;
pub mod equilibrium;
pub mod lcp;
pub mod lp;
mod simplex;
mod support_solve;
mod tableau;
pub mod verify;

pub use dominance::{eliminate_dominated, DominanceKind, Dominator, EliminationStep, Reduction};
pub use enummixed::{enummixed, Clique, EnumMixedOptions, EnumMixedResult, EnumMixedStats};
pub use enumpure::{enumpure, pure_equilibria};
pub use equilibrium::{Equilibrium, SolveError};
pub use lcp::{lcp, LcpOptions};
pub use lp::{lp, LpResult};
pub use verify::{max_regret, verify_equilibrium};
pub mod agent_form;
mod agent_liap;
pub mod backward;
pub mod behavior;
pub mod budget;
pub mod enumpoly;
mod enumpoly_box;
mod enumpoly_elim;
mod enumpoly_lp;
mod enumpoly_reduce;
pub mod gnm;
mod gnm_trace;
pub mod ipa;
pub mod liap;
pub mod logit;
pub mod nplayer_util;
pub mod payoff_terms;
pub mod polymatrix;
pub mod polymatrix_exact;
pub mod seqform;
pub mod seqform_lcp;
pub mod seqform_lp;
pub mod simpdiv;
pub mod subgame;
