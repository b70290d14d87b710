//! Times `enummixed` on game files (used by `bench/enummixed/run.sh`).
//!
//! Usage: `bench_enummixed [--float] [--no-cliques] [--time-limit SECS]
//! [--repeat N] FILE...`
//!
//! Prints one tab-separated line per file: file, shape, extreme equilibria,
//! maximal Nash subsets, vertices of P and Q, lexicographic bases of P and Q,
//! and the best wall-clock seconds of the solver call over `--repeat` runs
//! (file reading excluded). A game that hits the limit prints `budget` and
//! the message instead of the counts.

use detente_game::{read_game_file, Rational};
use detente_solve::{enummixed, EnumMixedOptions, SolveError};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let mut float = false;
    let mut opts = EnumMixedOptions::default();
    let mut repeat = 1usize;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--float" => float = true,
            "--no-cliques" => opts.cliques = false,
            "--time-limit" => match args.next().and_then(|s| s.parse::<f64>().ok()) {
                Some(s) if s > 0.0 && s.is_finite() => {
                    opts.time_limit = Some(Duration::from_secs_f64(s))
                }
                _ => {
                    eprintln!("--time-limit needs a positive number of seconds");
                    return ExitCode::from(2);
                }
            },
            "--repeat" => match args.next().and_then(|s| s.parse::<usize>().ok()) {
                Some(n) if n > 0 => repeat = n,
                _ => {
                    eprintln!("--repeat needs a positive integer");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                eprintln!(
                    "usage: bench_enummixed [--float] [--no-cliques] [--time-limit SECS] [--repeat N] FILE..."
                );
                return ExitCode::SUCCESS;
            }
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: bench_enummixed [--float] [--no-cliques] [--time-limit SECS] [--repeat N] FILE...");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    for file in &files {
        let game = match read_game_file(file) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("{e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        let nf = match game.to_normal_form() {
            Ok(g) => g,
            Err(e) => {
                eprintln!("{file}: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        let shape = nf
            .shape()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("x");
        let mut best = f64::INFINITY;
        let mut line = String::new();
        for _ in 0..repeat {
            let start = Instant::now();
            let summary: Result<_, SolveError> = if float {
                enummixed::<f64>(&nf, &opts).map(|r| (r.equilibria.len(), r.cliques.len(), r.stats))
            } else {
                enummixed::<Rational>(&nf, &opts)
                    .map(|r| (r.equilibria.len(), r.cliques.len(), r.stats))
            };
            let secs = start.elapsed().as_secs_f64();
            best = best.min(secs);
            line = match summary {
                Ok((eq, cl, st)) => format!(
                    "{}\t{}\t{}\t{}\t{}/{}\t{}/{}",
                    file, shape, eq, cl, st.vertices[0], st.vertices[1], st.bases[0], st.bases[1]
                ),
                Err(e) => {
                    status = ExitCode::FAILURE;
                    format!("{file}\t{shape}\tbudget\t{e}\t-\t-")
                }
            };
        }
        println!("{line}\t{best:.6}");
    }
    status
}
