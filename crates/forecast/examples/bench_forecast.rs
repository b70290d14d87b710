//! Times one forecasting model call in-process, for `bench/forecast`.
//!
//! Usage: `bench_forecast FILE MODEL [ROUNDS]` with MODEL one of `mean`,
//! `median`, `eum`, `smp`, `exchange` and the options `detente forecast FILE
//! --model MODEL [--rounds ROUNDS]` uses (EUM: the `scholz2011` preset; SMP:
//! KTAB's defaults, ROUNDS = at most that many turns; exchange: the stable
//! tie order). Prints one JSON line:
//! `{"file", "model", "cpu", "reps", "forecast": <the JSON of detente forecast
//! --format json>}` or `{"file", "error"}` (exit code 1).
//!
//! `cpu` is the CPU time of this thread (Linux `/proc/thread-self/schedstat`,
//! nanoseconds) spent in the model call, [`detente_forecast::run`], which
//! checks the dataset and runs the model, as the CLI does; reading the file
//! and rendering the output are excluded, as the peers' scripts exclude them.
//! Calls under 0.2 s of CPU (environment `BENCH_MIN_CPU`) are repeated until
//! that much has passed (at most 10,000 times) and the mean is reported. The
//! models are single-threaded, so the thread's CPU time is all the work.

use detente_forecast::{
    output, read_file, run, EumOptions, ExchangeOptions, MedianTie, Model, SmpOptions,
};
use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;

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

/// The model and preset name `detente forecast --model NAME [--rounds R]` runs.
fn model_of(name: &str, rounds: Option<usize>) -> Result<(Model, Option<&'static str>), String> {
    Ok(match name {
        "mean" => (Model::Mean, None),
        "median" => (Model::Median(MedianTie::Lower), None),
        "eum" => {
            let mut o = EumOptions::scholz2011();
            if let Some(r) = rounds {
                o.rounds = r;
            }
            (Model::Eum(o), Some("scholz2011"))
        }
        "exchange" => {
            let mut o = ExchangeOptions::default();
            if let Some(r) = rounds {
                o.rounds = r;
            }
            (Model::Exchange(o), None)
        }
        "smp" => {
            let mut o = SmpOptions::default();
            if let Some(r) = rounds {
                o.max_turns = r;
            }
            (Model::Smp(o), None)
        }
        other => {
            return Err(format!(
                "unknown model '{other}' (mean, median, eum, smp, exchange)"
            ))
        }
    })
}

fn bench(file: &str, model: &str, rounds: Option<usize>) -> Result<Value, String> {
    let (model, preset) = model_of(model, rounds)?;
    let data = read_file(Path::new(file)).map_err(|e| e.to_string())?;
    let min_cpu = std::env::var("BENCH_MIN_CPU")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(0.2);
    // The first run gives the result; a second one checks that the model
    // is deterministic. Then runs are timed in doubling batches, the clock
    // read (a file read) and no comparison between runs of a batch, until
    // `min_cpu` has passed.
    let result = run(&data, &model, preset).map_err(|e| e.to_string())?;
    if run(&data, &model, preset).map_err(|e| e.to_string())? != result {
        return Err("two runs of the same model gave different results".into());
    }
    let start = thread_cpu().ok_or("no thread CPU clock (/proc/thread-self/schedstat)")?;
    let mut reps = 0u32;
    let mut batch = 1u32;
    let cpu = loop {
        for _ in 0..batch {
            std::hint::black_box(run(&data, &model, preset).map_err(|e| e.to_string())?);
        }
        reps += batch;
        let cpu = thread_cpu().map_or(0.0, |t| t - start);
        if cpu >= min_cpu || reps >= 100_000 {
            break cpu;
        }
        batch = batch.saturating_mul(2).min(100_000 - reps);
    };
    let forecast: Value = serde_json::from_str(&output::to_json(&result))
        .map_err(|e| format!("rendering the result: {e}"))?;
    Ok(json!({
        "file": file,
        "model": model.name(),
        "cpu": cpu / f64::from(reps),
        "reps": reps,
        "forecast": forecast,
    }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (file, model) = match (args.first(), args.get(1)) {
        (Some(f), Some(m)) if args.len() <= 3 => (f.as_str(), m.as_str()),
        _ => {
            eprintln!("usage: bench_forecast FILE MODEL [ROUNDS]");
            return ExitCode::from(2);
        }
    };
    let rounds = match args.get(2).map(|r| r.parse::<usize>()) {
        None => None,
        Some(Ok(r)) => Some(r),
        Some(Err(_)) => {
            eprintln!(
                "bench_forecast: ROUNDS must be a whole number, got '{}'",
                args[2]
            );
            return ExitCode::from(2);
        }
    };
    match bench(file, model, rounds) {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{}", json!({"file": file, "error": e}));
            eprintln!("{file}: {e}");
            ExitCode::FAILURE
        }
    }
}
