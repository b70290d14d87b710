//! Times the n-player methods.
//!
//! `cargo run --release -p detente-solve --example bench_nplayer` runs every
//! method on seeded random 3-, 4- and 5-player games (integer payoffs
//! 0..99, like `bench/games/`) and prints a Markdown table (wall seconds).
//!
//! `... -- file PATH [METHOD] [--max-time S]` runs one game file
//! (`.nfg`/`.efg`; trees on their reduced strategic form, as `detente solve
//! --strategic`) with METHOD (default: every method, one line each) and
//! prints one JSON line per method, for `bench/nplayer/peer.py`:
//! `{"file", "method", "cpu", "reps", "equilibria": [{"profile", "max_regret"}],
//! "strategies", "budget", "complete", "notes"}` or `{"file", "method",
//! "error"}`. The method runs with the CLI's budget (one million steps, S
//! seconds of wall time, default 30).
//!
//! `cpu` is the CPU time of this thread (Linux `/proc/thread-self/schedstat`,
//! nanoseconds) spent in the method call **and** in the independent check
//! (`verify_equilibrium`) of every profile it returns, which `detente solve`
//! runs before printing, plus, for a tree, the conversion to its reduced
//! strategic form (`convert_cpu`, timed separately: pygambit's call
//! computes those payoffs from the tree each time); reading the file,
//! start-up and printing are excluded, as pygambit's call is timed alone. Calls under 0.2 s of CPU
//! (environment `BENCH_MIN_CPU`) are repeated until that much has passed
//! (at most 10,000 times, in doubling batches between clock readings) and
//! the mean is reported. The methods are single-threaded, so the thread's
//! CPU time is all the work.

use detente_game::{read_game_file, Game, NormalFormGame, Rational};
use detente_solve::budget::Budget;
use detente_solve::enumpoly::{enumpoly, EnumpolyOptions};
use detente_solve::gnm::{gnm, GnmOptions};
use detente_solve::ipa::{ipa, IpaOptions};
use detente_solve::liap::{liap, LiapOptions};
use detente_solve::logit::{logit, LogitOptions};
use detente_solve::nplayer_util::{NplayerResult, SplitMix64};
use detente_solve::simpdiv::{simpdiv, SimpdivOptions};
use detente_solve::verify::{max_regret, verify_equilibrium, DEFAULT_TOLERANCE};
use detente_solve::SolveError;
use serde_json::{json, Value};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const METHODS: &[&str] = &["simpdiv", "gnm", "ipa", "logit", "liap", "enumpoly"];

fn run(method: &str, game: &NormalFormGame, limit: Duration) -> Result<NplayerResult, SolveError> {
    run_with(method, game, Budget::new(u64::MAX, Some(limit)))
}

fn run_with(
    method: &str,
    game: &NormalFormGame,
    budget: Budget,
) -> Result<NplayerResult, SolveError> {
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
        // liap as pygambit's `liap_solve` runs it: the centroid alone.
        "liap1" => liap(
            game,
            &LiapOptions {
                budget,
                random_starts: 0,
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

/// CPU seconds of the calling thread, or `None` where the kernel does not
/// report them.
fn thread_cpu() -> Option<f64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse::<f64>()
        .ok()
        .map(|ns| ns * 1e-9)
}

/// The method call and the CLI's check of every profile it returns.
fn solve_and_verify(
    method: &str,
    game: &NormalFormGame,
    budget: &Budget,
) -> Result<NplayerResult, String> {
    let res = run_with(method, game, budget.clone()).map_err(|e| e.to_string())?;
    for (i, e) in res.equilibria.iter().chain(&res.nonisolated).enumerate() {
        verify_equilibrium(game, e, DEFAULT_TOLERANCE)
            .map_err(|m| format!("profile {} fails verification: {m}", i + 1))?;
    }
    Ok(res)
}

/// Most repetitions of one timed call.
const MAX_REPS: u32 = 10_000;

/// Least CPU seconds a timing accumulates (environment `BENCH_MIN_CPU`).
fn min_cpu() -> f64 {
    std::env::var("BENCH_MIN_CPU")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(0.2)
}

/// CPU seconds of one conversion of a tree to its reduced strategic form.
fn time_conversion(game: &Game) -> f64 {
    let Some(start) = thread_cpu() else {
        return 0.0;
    };
    let mut reps = 0u32;
    let mut cpu = 0.0;
    let mut batch = 1u32;
    while (reps == 0 || cpu < min_cpu() / 4.0) && reps < MAX_REPS {
        for _ in 0..batch {
            let _ = std::hint::black_box(game.to_normal_form().map(|c| c.num_profiles()));
        }
        reps += batch;
        batch = batch.saturating_mul(2);
        cpu = thread_cpu().map_or(0.0, |t| t - start);
    }
    cpu / f64::from(reps)
}

/// One method on one game, timed in-process (see the module docs); `convert`
/// (the tree's conversion, 0 for a strategic form) is added to the call.
fn time_method(
    method: &str,
    game: &NormalFormGame,
    budget: &Budget,
    convert: f64,
) -> Result<Value, String> {
    let min_cpu = min_cpu();
    let start = thread_cpu().ok_or("no thread CPU clock (/proc/thread-self/schedstat)")?;
    let res = solve_and_verify(method, game, budget)?;
    let mut reps = 1u32;
    let mut cpu = thread_cpu().map_or(0.0, |t| t - start);
    // A call that ran out of its time budget is not repeated: its answer
    // depends on the time it was given. Repetitions run in doubling
    // batches, so that reading the clock (a file read, several
    // microseconds) is done a dozen times, not once per call of a few
    // microseconds.
    let mut batch = 1u32;
    while cpu < min_cpu && reps < MAX_REPS && !res.budget_exhausted {
        let n = batch.min(MAX_REPS - reps);
        for _ in 0..n {
            solve_and_verify(method, game, budget)?;
        }
        reps += n;
        batch = batch.saturating_mul(2);
        cpu = thread_cpu().map_or(0.0, |t| t - start);
    }
    let eqs: Vec<Value> = res
        .equilibria
        .iter()
        .chain(&res.nonisolated)
        .map(|e| json!({"profile": e.profile, "max_regret": max_regret(game, &e.profile)}))
        .collect();
    Ok(json!({
        "method": method,
        "cpu": cpu / f64::from(reps) + convert,
        "convert_cpu": convert,
        "reps": reps,
        "equilibria": eqs,
        "nonisolated": res.nonisolated.len(),
        "strategies": game.strategies(),
        "budget": res.budget_exhausted,
        "complete": res.complete,
        "notes": res.notes,
    }))
}

/// `file PATH [METHOD] [--max-time S]`: JSON lines, one per method.
fn file_mode(args: &[String]) -> ExitCode {
    let mut rest: Vec<&str> = Vec::new();
    let mut max_time = 30.0;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--max-time" {
            match it.next().map(|v| v.parse::<f64>()) {
                Some(Ok(v)) if v.is_finite() && v > 0.0 => max_time = v,
                _ => {
                    eprintln!("bench_nplayer: --max-time needs a positive number of seconds");
                    return ExitCode::from(2);
                }
            }
        } else {
            rest.push(a);
        }
    }
    let (path, methods) = match rest.as_slice() {
        [path] => (*path, METHODS.to_vec()),
        [path, m] => (*path, vec![*m]),
        _ => {
            eprintln!("usage: bench_nplayer file PATH [METHOD] [--max-time S]");
            return ExitCode::from(2);
        }
    };
    let read = read_game_file(path);
    let game = match read.as_ref().map_err(|e| e.to_string()).and_then(|g| {
        g.to_normal_form()
            .map(|c| c.into_owned())
            .map_err(|e| e.to_string())
    }) {
        Ok(g) => g,
        Err(e) => {
            println!("{}", json!({"file": path, "error": e}));
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // A tree is solved on its reduced strategic form; pygambit's call
    // computes those payoffs from the tree every time, so the conversion is
    // part of Detente's call too.
    let convert = match &read {
        Ok(g) if !matches!(g, Game::Normal(_)) => time_conversion(g),
        _ => 0.0,
    };
    let budget = Budget {
        max_time: Some(Duration::from_secs_f64(max_time)),
        ..Budget::default()
    };
    let mut code = ExitCode::SUCCESS;
    for m in methods {
        let mut v = match time_method(m, &game, &budget, convert) {
            Ok(v) => v,
            Err(e) => {
                code = ExitCode::FAILURE;
                json!({"method": m, "error": e})
            }
        };
        v["file"] = json!(path);
        println!("{v}");
    }
    code
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("file") {
        return file_mode(&args[1..]);
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
    ExitCode::SUCCESS
}
