//! Times `lcp` (Lemke–Howson) on game files, for profiling and
//! `bench/gambit`.
//!
//! Usage: `bench_lcp [--float | --exact-pivoting] [--print] [--stop-after N] [--label K] [--max-pivots N] FILE...`
//!
//! Prints one tab-separated line per file: file, shape, equilibria found,
//! the wall-clock seconds of the solver call (file reading excluded) and
//! what the call did (`LcpStats`). `--exact-pivoting` runs the exact
//! reference (`lcp_exact_pivoting`) instead of the fast exact run.

use detente_game::{format_rational, read_game_file, Rational};
use detente_solve::lcp::{lcp_exact_pivoting, lcp_with_stats, LcpOptions, LcpStats};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut float = false;
    let mut exact_pivoting = false;
    let mut print = false;
    let mut opts = LcpOptions::default();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--float" => float = true,
            "--exact-pivoting" => exact_pivoting = true,
            "--print" => print = true,
            "--stop-after" => match args.next().and_then(|s| s.parse::<usize>().ok()) {
                Some(n) => opts.stop_after = Some(n),
                None => {
                    eprintln!("--stop-after needs a number");
                    return ExitCode::from(2);
                }
            },
            "--max-pivots" => match args.next().and_then(|s| s.parse::<u64>().ok()) {
                Some(n) => opts.max_pivots = Some(n),
                None => {
                    eprintln!("--max-pivots needs a number");
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
        eprintln!("usage: bench_lcp [--float | --exact-pivoting] [--print] [--stop-after N] [--label K] [--max-pivots N] FILE...");
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
        let show = |eqs: Vec<Vec<String>>| {
            if print {
                for e in eqs {
                    println!("{}", e.join(";"));
                }
            }
        };
        let count = if float {
            lcp_with_stats::<f64>(&nf, &opts).map(|(r, s)| {
                let n = r.len();
                show(
                    r.iter()
                        .map(|e| e.profile.iter().map(|v| format!("{v:?}")).collect())
                        .collect(),
                );
                (n, s)
            })
        } else {
            let r = if exact_pivoting {
                lcp_exact_pivoting(&nf, &opts).map(|r| (r, LcpStats::default()))
            } else {
                lcp_with_stats::<Rational>(&nf, &opts)
            };
            r.map(|(r, s)| {
                let n = r.len();
                show(
                    r.iter()
                        .map(|e| {
                            e.profile
                                .iter()
                                .map(|v| {
                                    v.iter().map(format_rational).collect::<Vec<_>>().join(",")
                                })
                                .collect()
                        })
                        .collect(),
                );
                (n, s)
            })
        };
        let secs = start.elapsed().as_secs_f64();
        match count {
            Ok((c, s)) => println!(
                "{file}\t{shape}\t{c}\t{secs:.6}\tpivots {} exact ratio tests {}{}",
                s.pivots,
                s.exact_ratio_tests,
                if s.exact_pivoting {
                    " (exact pivoting)"
                } else {
                    ""
                }
            ),
            Err(e) => {
                status = ExitCode::FAILURE;
                println!("{file}\t{shape}\terror: {e}\t{secs:.6}");
            }
        }
    }
    status
}
