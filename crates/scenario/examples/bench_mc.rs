//! Monte Carlo throughput on a scenario (the built-in one by default):
//! draws per second on 1 thread and on all threads, and the speed-up.
//!
//! `cargo run --release -p detente-scenario --example bench_mc -- [FILE] [DRAWS]`

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
        for _ in 0..3 {
            let t = Instant::now();
            let r = pool.install(|| montecarlo::run(&s, draws, 1, &never, &|_| {}));
            assert_eq!(r.draws, draws);
            best = best.min(t.elapsed().as_secs_f64());
        }
        let rate = draws as f64 / best;
        println!(
            "threads {threads}: {:.0} draws/s ({:.0} per thread), {:.3} s",
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
