//! Monte Carlo throughput on a scenario (the built-in one by default):
//! draws per second on 1 thread and on all threads, and the speed-up.
//!
//! `cargo run --release -p detente-scenario --example bench_mc -- [FILE] [DRAWS]`
//!
//! Besides wall time it prints the process's CPU time (user + system, from
//! `/proc/self/stat` on Linux) per run, so that a run on a busy machine
//! still gives draws per CPU-second.

use detente_scenario::builtin::{BUILTIN, BUILTIN_NAME};
use detente_scenario::{montecarlo, parse_scenario};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (text, name) = match args.first() {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => (t, p.clone()),
            Err(e) => {
                eprintln!("{p}: {e}");
                std::process::exit(1);
            }
        },
        None => (BUILTIN.to_string(), BUILTIN_NAME.to_string()),
    };
    let draws: usize = args.get(1).and_then(|d| d.parse().ok()).unwrap_or(200_000);
    let s = match parse_scenario(&text, &name) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let never = AtomicBool::new(false);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "scenario: {name}; {} inputs, {} policies, {} claims; {draws} draws",
        s.inputs.len(),
        s.policies.len(),
        s.claims.len()
    );
    let mut rates = Vec::new();
    for threads in [1, cores] {
        let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("thread pool: {e}");
                std::process::exit(1);
            }
        };
        // Warm-up, then the best of three.
        pool.install(|| montecarlo::run(&s, draws / 10, 1, &never, &|_| {}));
        let mut best = f64::INFINITY;
        let mut best_cpu = f64::INFINITY;
        for _ in 0..3 {
            let c0 = cpu_seconds();
            let t = Instant::now();
            let r = pool.install(|| montecarlo::run(&s, draws, 1, &never, &|_| {}));
            assert_eq!(r.draws, draws);
            best = best.min(t.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
                best_cpu = best_cpu.min(b - a);
            }
        }
        let rate = draws as f64 / best;
        let cpu = if best_cpu.is_finite() && best_cpu > 0.0 {
            format!(
                "; {best_cpu:.2} CPU s, {:.0} draws per CPU-second",
                draws as f64 / best_cpu
            )
        } else {
            String::new()
        };
        println!(
            "threads {threads}: {:.0} draws/s ({:.0} per thread), {:.3} s{cpu}",
            rate,
            rate / threads as f64,
            best
        );
        rates.push(rate);
    }
    if rates.len() == 2 {
        println!("speed-up on {cores} threads: {:.2}x", rates[1] / rates[0]);
    }
}

/// User + system CPU time of this process, in seconds (Linux; `None`
/// elsewhere). Clock ticks are taken as 100 per second (USER_HZ).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
