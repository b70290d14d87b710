//! Scenarios: a readable TOML file that describes a strategic situation
//! (actors, exchanges, coalitions, voting bodies, issues with their decision
//! rules, games, policies and the claims to test, any number of them
//! uncertain) and the analyses `detente analyze` runs over it.
//!
//! - [`parse_scenario`] reads and checks a file (errors name file:line:col).
//! - [`eval`] computes one case (the base case or a policy) for one set of
//!   input values.
//! - [`montecarlo`] draws the uncertain inputs, reproducibly, in parallel.
//! - [`sensitivity`] ranks the inputs each claim depends on and finds the
//!   value at which it flips.
//! - [`analysis`] puts it together into a report structure.

pub mod analysis;
pub mod builtin;
pub mod compile;
pub mod error;
pub mod eval;
pub mod forecast_input;
pub mod html;
pub mod model;
pub mod montecarlo;
pub mod param;
pub mod plots;
pub mod raw;
pub mod report;
pub mod schema;
pub mod sensitivity;

pub use compile::parse_scenario;
pub use error::ScenarioError;
pub use model::Scenario;
