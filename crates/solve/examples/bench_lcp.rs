//! Times `lcp` (Lemke–Howson) on game files, for profiling and
//! `bench/gambit`.
//!
//! Usage: `bench_lcp [--float] [--stop-after N] [--label K] FILE...`
//!
//! Prints one tab-separated line per file: file, shape, equilibria found,
//! and the wall-clock seconds of the solver call (file reading excluded).

use detente_game::{read_game_file, Rational};
use detente_solve::{lcp, LcpOptions};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut float = false;
    let mut opts = LcpOptions::default();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--float" => float = true,
            "--stop-after" => match args.next().and_then(|s| s.parse::<usize>().ok()) {
                Some(n) => opts.stop_after = Some(n),
                None => {
                    eprintln!("--stop-after needs a number");
                    return ExitCode::from(2);
                }
            },
            "--label" => match args.next().and_then(|s| s.parse::<usize>().ok()) {
                Some(n) if n > 0 => opts.start_label = Some(n - 1),
                _ => {
                    eprintln!("--label needs a positive number");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: bench_lcp [--float] [--stop-after N] [--label K] FILE...");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    for file in &files {
        let nf = match read_game_file(file).and_then(|g| g.to_normal_form().map(|c| c.into_owned()))
        {
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
        let start = Instant::now();
        let count = if float {
            lcp::<f64>(&nf, &opts).map(|r| r.len())
        } else {
            lcp::<Rational>(&nf, &opts).map(|r| r.len())
        };
        let secs = start.elapsed().as_secs_f64();
        match count {
            Ok(c) => println!("{file}\t{shape}\t{c}\t{secs:.6}"),
            Err(e) => {
                status = ExitCode::FAILURE;
                println!("{file}\t{shape}\terror: {e}\t{secs:.6}");
            }
        }
    }
    status
}
