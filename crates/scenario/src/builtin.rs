//! The built-in scenario: the essay's situation (`scenarios/dprk-russia-2024.toml`).

/// File name used in messages about the built-in scenario.
pub const BUILTIN_NAME: &str = "<built-in>/dprk-russia-2024.toml";

/// The text of the built-in scenario.
pub const BUILTIN: &str = include_str!("../../../scenarios/dprk-russia-2024.toml");
