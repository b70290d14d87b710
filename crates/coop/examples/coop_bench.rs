//! Benchmark driver for `bench/coop/bench.py`, independent of the CLI:
//! `coop_bench power FILE` prints the power indices as JSON;
//! `coop_bench coalition FILE` prints the exact Shapley and Banzhaf values.
//! Each prints the computation time (excluding file reading) as `seconds`.

use detente_coop::input::{read_body, read_coalition, GameSpec};
use detente_coop::shapley::{banzhaf_value, shapley_value};
use detente_coop::{power_indices, PowerOptions};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: coop_bench power|coalition FILE");
        std::process::exit(2);
    }
    let text = match std::fs::read_to_string(&args[2]) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args[2]);
            std::process::exit(1);
        }
    };
    let result = match args[1].as_str() {
        "power" => read_body(&args[2], &text).and_then(|f| {
            let t = Instant::now();
            let p = power_indices(&f.body, &PowerOptions::default())?;
            Ok(serde_json::json!({
                "seconds": t.elapsed().as_secs_f64(),
                "method": p.method,
                "shapley_shubik": p.shapley_shubik,
                "banzhaf_normalized": p.banzhaf_normalized,
            }))
        }),
        "coalition" => read_coalition(&args[2], &text).and_then(|f| {
            let t = Instant::now();
            let g = match &f.game {
                GameSpec::Table(g) => g.clone(),
                GameSpec::Bankruptcy { table: Some(g), .. } | GameSpec::Weighted { table: Some(g), .. } => g.clone(),
                _ => return Err(detente_game::GameError::Invalid("game too large for a table".into())),
            };
            let phi = shapley_value(&g);
            let bz = banzhaf_value(&g);
            Ok(serde_json::json!({
                "seconds": t.elapsed().as_secs_f64(),
                "shapley": phi.iter().map(detente_game::number::rational_to_f64).collect::<Vec<_>>(),
                "banzhaf": bz.iter().map(detente_game::number::rational_to_f64).collect::<Vec<_>>(),
            }))
        }),
        other => {
            eprintln!("unknown command {other}");
            std::process::exit(2);
        }
    };
    match result {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
