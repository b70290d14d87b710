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
    /// Forecast where a dispute settles (mean, median, EUM, SMP, exchange models)
    Forecast(cmd::forecast::ForecastArgs),
    /// Nash equilibria of a game file (.nfg; .efg in behaviour strategies or on its reduced strategic form)
    Solve(cmd::solve::SolveArgs),
    /// Describe a game file: players, strategies, payoffs, dominated strategies
    Info(cmd::info::InfoArgs),
    /// Check a given profile: a Nash equilibrium? On a tree, subgame perfect?
    Check(cmd::check::CheckArgs),
    /// Power indices of a voting body (Shapley-Shubik, Banzhaf, Coleman), and a vote on a proposal
    Power(cmd::power::PowerArgs),
    /// Bargaining solutions (Nash, Kalai-Smorodinsky, egalitarian) and the zone of agreement
    Bargain(cmd::bargain::BargainArgs),
    /// Coalitional game solutions (Shapley, Banzhaf, core, least core, nucleolus)
    Coalition(cmd::coalition::CoalitionArgs),
    /// Analyze a scenario (the essay's, built in, when no file is given): exchanges, votes, issues, games, claims, policies
    Analyze(cmd::analyze::AnalyzeArgs),
    /// Print the JSON Schema of scenario files (for editors)
    Schema,
    /// Convert a game between .nfg, .efg and JSON
    Convert(cmd::convert::ConvertArgs),
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

/// `detente check --exit-code` found that the profile fails the check
/// (exit code 3); the report has been printed already.
#[derive(Debug)]
pub struct CheckFailed;

impl std::fmt::Display for CheckFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the profile does not pass the check")
    }
}
impl std::error::Error for CheckFailed {}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Forecast(a) => cmd::forecast::run(a),
        Command::Solve(a) => cmd::solve::run(a),
        Command::Info(a) => cmd::info::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Power(a) => cmd::power::run(a),
        Command::Bargain(a) => cmd::bargain::run(a),
        Command::Coalition(a) => cmd::coalition::run(a),
        Command::Analyze(a) => cmd::analyze::run(a),
        Command::Convert(a) => cmd::convert::run(a),
        Command::Schema => cmd::emit(&format!("{}\n", detente_scenario::schema::SCHEMA)),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli.command);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<CheckFailed>().is_some() {
                ExitCode::from(3)
            } else if e.downcast_ref::<UsageError>().is_some() {
                eprintln!("detente: usage: {e:#}");
                ExitCode::from(2)
            } else {
                eprintln!("detente: error: {e:#}");
                ExitCode::from(1)
            }
        }
    }
}
