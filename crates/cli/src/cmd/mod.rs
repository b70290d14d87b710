//! One module per subcommand.
pub mod analyze;
pub mod bargain;
pub mod coalition;
pub mod convert;
pub mod forecast;
pub mod info;
pub mod power;
pub mod solve;
pub mod solve_tree;
