//! Monte Carlo over a scenario's uncertain inputs.
//!
//! Draws are split into fixed chunks of [`CHUNK`] draws; chunk `c` draws
//! from `ChaCha8Rng::seed_from_u64(seed)` on stream `c`, so every draw's
//! numbers depend only on the seed and the draw's index, never on the
//! number of threads or on scheduling. Chunks run in parallel (rayon) and
//! results are put back in chunk order. A cancel flag (set on Ctrl-C) stops
//! the run between chunks; what was drawn is kept and reported.

use crate::eval::{case_values, claim_holds, evaluate_case, CaseResult};
use crate::model::Scenario;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Draws per chunk (the unit of reproducibility and of parallel work).
pub const CHUNK: usize = 256;

/// The numbers kept from one draw.
#[derive(Debug, Clone)]
pub struct Draw {
    /// The drawn value of every input (base inputs and policies' values).
    pub inputs: Vec<f64>,
    /// Whether each claim holds.
    pub claims: Vec<bool>,
    /// The base case and each policy's case, in scenario order.
    pub cases: Vec<CaseResult>,
}

/// A finished (or interrupted) run.
#[derive(Debug, Clone)]
pub struct McRun {
    pub seed: u64,
    pub requested: usize,
    pub draws: Vec<Draw>,
    pub interrupted: bool,
}

/// Evaluates every case and claim for one set of base input values.
pub fn evaluate_all(
    s: &Scenario,
    values: &[f64],
    scratch: &mut Vec<f64>,
) -> (Vec<CaseResult>, Vec<bool>) {
    let mut cases = Vec::with_capacity(s.policies.len() + 1);
    case_values(s, None, values, scratch);
    cases.push(evaluate_case(s, None, scratch));
    for p in 0..s.policies.len() {
        case_values(s, Some(p), values, scratch);
        cases.push(evaluate_case(s, Some(p), scratch));
    }
    let policy_cases: Vec<Option<CaseResult>> = cases[1..].iter().cloned().map(Some).collect();
    let claims = s
        .claims
        .iter()
        .map(|c| claim_holds(c, &cases[0], &policy_cases))
        .collect();
    (cases, claims)
}

/// Runs `draws` draws with `seed`. `progress` is called with the number of
/// draws finished so far; `cancel` stops the run between chunks.
pub fn run(
    s: &Scenario,
    draws: usize,
    seed: u64,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize) + Sync),
) -> McRun {
    let chunks = draws.div_ceil(CHUNK);
    let done = AtomicUsize::new(0);
    let results: Vec<Option<Vec<Draw>>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let n = CHUNK.min(draws - c * CHUNK);
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(c as u64);
            let mut scratch = Vec::with_capacity(s.inputs.len());
            let mut out = Vec::with_capacity(n);
            for _ in 0..n {
                let inputs: Vec<f64> = s.inputs.iter().map(|i| i.dist.sample(&mut rng)).collect();
                let (cases, claims) = evaluate_all(s, &inputs, &mut scratch);
                out.push(Draw {
                    inputs,
                    claims,
                    cases,
                });
            }
            let d = done.fetch_add(n, Ordering::Relaxed) + n;
            progress(d);
            Some(out)
        })
        .collect();
    let interrupted = results.iter().any(|r| r.is_none());
    McRun {
        seed,
        requested: draws,
        draws: results.into_iter().flatten().flatten().collect(),
        interrupted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_scenario;

    const SMALL: &str = r#"
[scenario]
id = "t"
title = "test"
[actors.A]
name = "A"
[actors.B]
name = "B"
[exchanges.x]
name = "x"
parties = ["A", "B"]
[exchanges.x.flows.ab]
from = "A"
to = "B"
value = { uniform = [0, 10] }
cost = 4
[exchanges.x.flows.ba]
from = "B"
to = "A"
value = { triangular = [0, 5, 10] }
cost = 3
[claims.ww]
text = "win-win"
kind = "win_win"
exchange = "x"
"#;

    #[test]
    fn same_seed_same_numbers_whatever_the_threads() {
        let s = parse_scenario(SMALL, "t.toml").unwrap();
        let never = AtomicBool::new(false);
        let a = run(&s, 1000, 42, &never, &|_| {});
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = pool.install(|| run(&s, 1000, 42, &never, &|_| {}));
        assert_eq!(a.draws.len(), 1000);
        for (x, y) in a.draws.iter().zip(&b.draws) {
            assert_eq!(x.inputs, y.inputs);
            assert_eq!(x.claims, y.claims);
        }
        let c = run(&s, 1000, 43, &never, &|_| {});
        assert_ne!(a.draws[0].inputs, c.draws[0].inputs);
        // win-win iff value_ab > 3 and value_ba > 4: P = 0.7 * 0.68 = 0.476.
        let p = a.draws.iter().filter(|d| d.claims[0]).count() as f64 / 1000.0;
        assert!((p - 0.476).abs() < 0.06, "{p}");
    }

    #[test]
    fn cancel_keeps_what_was_drawn() {
        let s = parse_scenario(SMALL, "t.toml").unwrap();
        let stop = AtomicBool::new(true);
        let r = run(&s, 1000, 1, &stop, &|_| {});
        assert!(r.interrupted);
        assert!(r.draws.is_empty());
    }
}
