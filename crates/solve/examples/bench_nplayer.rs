//! Times the n-player methods.
//!
//! `cargo run --release -p detente-solve --example bench_nplayer` runs every
//! method on seeded random 3-, 4- and 5-player games (integer payoffs
//! 0..99, like `bench/games/`) and prints a Markdown table;
//! `... -- file PATH [METHOD]` runs one game file (`.nfg`/`.efg`) and prints
//! the equilibria and notes.

use detente_game::{read_game_file, NormalFormGame, Rational};
use detente_solve::budget::Budget;
use detente_solve::enumpoly::{enumpoly, EnumpolyOptions};
use detente_solve::gnm::{gnm, GnmOptions};
use detente_solve::ipa::{ipa, IpaOptions};
use detente_solve::liap::{liap, LiapOptions};
use detente_solve::logit::{logit, LogitOptions};
use detente_solve::nplayer_util::{NplayerResult, SplitMix64};
use detente_solve::simpdiv::{simpdiv, SimpdivOptions};
use detente_solve::SolveError;
use std::time::{Duration, Instant};

const METHODS: &[&str] = &["simpdiv", "gnm", "ipa", "logit", "liap", "enumpoly"];

fn run(method: &str, game: &NormalFormGame, limit: Duration) -> Result<NplayerResult, SolveError> {
    let budget = Budget::new(u64::MAX, Some(limit));
    match method {
        "simpdiv" => simpdiv(
            game,
            &SimpdivOptions {
                budget,
                ..Default::default()
            },
        ),
        "gnm" => gnm(
            game,
            &GnmOptions {
                budget,
                ..Default::default()
            },
        ),
        "ipa" => ipa(
            game,
            &IpaOptions {
                budget,
                ..Default::default()
            },
        ),
        "logit" => logit(
            game,
            &LogitOptions {
                budget,
                ..Default::default()
            },
        ),
        "liap" => liap(
            game,
            &LiapOptions {
                budget,
                ..Default::default()
            },
        ),
        "enumpoly" => enumpoly(
            game,
            &EnumpolyOptions {
                budget,
                ..Default::default()
            },
        ),
        other => Err(SolveError::NotApplicable(format!("unknown method {other}"))),
    }
}

fn random_game(shape: &[usize], seed: u64) -> Result<NormalFormGame, String> {
    let mut rng = SplitMix64::new(seed);
    let cells: usize = shape.iter().product();
    let tables: Vec<Vec<Rational>> = shape
        .iter()
        .map(|_| {
            (0..cells)
                .map(|_| Rational::from_integer(((rng.next_u64() % 100) as i64).into()))
                .collect()
        })
        .collect();
    NormalFormGame::from_tables(shape, &tables).map_err(|e| e.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("file") {
        let Some(path) = args.get(1) else {
            eprintln!("usage: bench_nplayer file PATH [METHOD]");
            std::process::exit(2);
        };
        let game =
            match read_game_file(path).and_then(|g| g.to_normal_form().map(|c| c.into_owned())) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            };
        let methods: Vec<&str> = match args.get(2) {
            Some(m) => vec![m.as_str()],
            None => METHODS.to_vec(),
        };
        for m in methods {
            let start = Instant::now();
            match run(m, &game, Duration::from_secs(60)) {
                Ok(res) => {
                    println!(
                        "{m}: {} equilibria (+{} non-isolated) in {:.3} s, complete {}, budget exhausted {}",
                        res.equilibria.len(),
                        res.nonisolated.len(),
                        start.elapsed().as_secs_f64(),
                        res.complete,
                        res.budget_exhausted
                    );
                    for (e, r) in res.equilibria.iter().zip(&res.max_regret) {
                        println!("  {:?} regret {r:.2e}", e.profile);
                    }
                    for e in &res.nonisolated {
                        println!("  non-isolated {:?}", e.profile);
                    }
                    for n in &res.notes {
                        println!("  note: {n}");
                    }
                }
                Err(e) => println!("{m}: error: {e}"),
            }
        }
        return;
    }
    let limit = Duration::from_secs(20);
    let shapes: &[&[usize]] = &[&[5, 5, 5], &[4, 4, 4, 4], &[3, 3, 3, 3, 3]];
    println!("| game | {} |", METHODS.join(" | "));
    println!("|---|{}", "---|".repeat(METHODS.len()));
    for shape in shapes {
        let name = format!(
            "{}p_{}",
            shape.len(),
            shape
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("x")
        );
        let game = match random_game(shape, 20260101) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        let mut row = vec![name];
        for m in METHODS {
            let start = Instant::now();
            let cell = match run(m, &game, limit) {
                Ok(res) => format!(
                    "{:.3} ({}{}{})",
                    start.elapsed().as_secs_f64(),
                    res.equilibria.len(),
                    if res.budget_exhausted { ", budget" } else { "" },
                    if *m == "enumpoly" && res.complete {
                        ", complete"
                    } else {
                        ""
                    }
                ),
                Err(e) => format!("error: {e}"),
            };
            row.push(cell);
        }
        println!("| {} |", row.join(" | "));
    }
}
