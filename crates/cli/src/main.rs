//! The `detente` command.
//!
//! Exit codes: 0 success, 1 bad input (message on stderr), 2 usage error.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "detente",
    version,
    about = "Strategic analysis of international cooperation and conflict",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    // Each subcommand lives in its own module under `cmd/`; add a variant
    // here and an arm in `run` below.
}

/// An error in how the command was called (exit code 2), as opposed to bad
/// input (exit code 1).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for UsageError {}

fn run(command: Command) -> anyhow::Result<()> {
    match command {}
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli.command);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<UsageError>().is_some() {
                eprintln!("detente: usage: {e:#}");
                ExitCode::from(2)
            } else {
                eprintln!("detente: error: {e:#}");
                ExitCode::from(1)
            }
        }
    }
}
