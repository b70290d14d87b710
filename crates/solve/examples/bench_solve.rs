//! Runs one two-player method on game files and prints, per file, one JSON
//! line like `bench/gambit/peer.py` does for pygambit:
//! `{"file", "cpu", "equilibria": [[[p11, ...], [p21, ...]], ...],
//! "payoffs": [[u1, u2], ...]}` or `{"file", "error"}`.
//!
//! Usage: `bench_solve METHOD FILE...` with METHOD one of `enumpure`,
//! `enummixed`, `enummixed_float`, `lcp`, `lcp_float`, `lcp_first`, `lp`,
//! `lp_float`.
//!
//! `cpu` is the CPU time of this thread (Linux `/proc/thread-self/schedstat`,
//! nanoseconds) spent in the solver call **and** in the independent regret
//! check of every equilibrium it returns (`verify_equilibrium`), which the
//! CLI runs before printing; reading the file and start-up are excluded, as
//! in peer.py. Calls under 0.2 s (environment `BENCH_MIN_CPU`) are repeated
//! until that much CPU time has passed (at most 1000 times) and the mean is
//! reported, since the clock advances in scheduler ticks. `enummixed` runs
//! on one thread here so that the thread's CPU time is all the work. Trees
//! are solved on their reduced strategic form.

use detente_game::{format_rational, read_game_file, NormalFormGame, Rational, Scalar};
use detente_solve::verify::{verify_equilibrium, DEFAULT_TOLERANCE};
use detente_solve::{enummixed, enumpure, lcp, lp, EnumMixedOptions, Equilibrium, LcpOptions};
use serde_json::{json, Value};
use std::process::ExitCode;

fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns * 1e-9)
}

trait Out: Scalar {
    fn json(&self) -> Value;
}
impl Out for Rational {
    fn json(&self) -> Value {
        Value::String(format_rational(self))
    }
}
impl Out for f64 {
    fn json(&self) -> Value {
        json!(self)
    }
}

fn solve<T: Out>(method: &str, g: &NormalFormGame) -> Result<Vec<Equilibrium<T>>, String> {
    let eqs = match method {
        "enumpure" => enumpure::<T>(g),
        "enummixed" => {
            let opts = EnumMixedOptions {
                parallel: false,
                max_vertices: None,
                max_bases: None,
                ..EnumMixedOptions::default()
            };
            enummixed::<T>(g, &opts)
                .map_err(|e| e.to_string())?
                .equilibria
        }
        "lcp" => lcp::<T>(g, &LcpOptions::default()).map_err(|e| e.to_string())?,
        "lcp_first" => lcp::<T>(
            g,
            &LcpOptions {
                stop_after: Some(1),
                ..LcpOptions::default()
            },
        )
        .map_err(|e| e.to_string())?,
        "lp" => vec![lp::<T>(g).map_err(|e| e.to_string())?.equilibrium],
        _ => return Err(format!("unknown method {method}")),
    };
    for e in &eqs {
        verify_equilibrium(g, e, DEFAULT_TOLERANCE).map_err(|m| format!("not verified: {m}"))?;
    }
    Ok(eqs)
}

fn run<T: Out>(method: &str, file: &str, g: &NormalFormGame) -> Value {
    let t = thread_cpu();
    let r = solve::<T>(method, g);
    let mut cpu = thread_cpu() - t;
    // The thread's CPU clock advances in scheduler ticks: repeat short
    // calls until 0.2 s have passed and report the mean.
    let min_cpu = std::env::var("BENCH_MIN_CPU")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(0.2);
    let mut reps = 1u32;
    while r.is_ok() && cpu < min_cpu && reps < 1000 {
        let _ = solve::<T>(method, g);
        reps += 1;
        cpu = thread_cpu() - t;
    }
    let cpu = cpu / f64::from(reps);
    match r {
        Ok(eqs) => json!({
            "file": file,
            "cpu": cpu,
            "equilibria": eqs.iter().map(|e| e.profile.iter().map(|s| s.iter().map(Out::json).collect::<Vec<_>>()).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "payoffs": eqs.iter().map(|e| e.payoffs.iter().map(Out::json).collect::<Vec<_>>()).collect::<Vec<_>>(),
        }),
        Err(e) => json!({"file": file, "error": e}),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: bench_solve METHOD FILE...");
        return ExitCode::from(2);
    }
    let method = args[0].as_str();
    let (base, float) = match method.strip_suffix("_float") {
        Some(b) => (b, true),
        None => (method, false),
    };
    for file in &args[1..] {
        let game = read_game_file(file).and_then(|g| g.to_normal_form().map(|c| c.into_owned()));
        let out = match game {
            Err(e) => json!({"file": file, "error": e.to_string()}),
            Ok(g) if float => run::<f64>(base, file, &g),
            Ok(g) => run::<Rational>(base, file, &g),
        };
        println!("{out}");
    }
    ExitCode::SUCCESS
}
