//! One module per subcommand.
pub mod analyze;
pub mod convert;
pub mod forecast;
pub mod info;
pub mod solve;
pub mod solve_tree;
pub mod bargain;
pub mod coalition;
pub mod power;
