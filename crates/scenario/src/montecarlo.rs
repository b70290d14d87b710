//! Monte Carlo over a scenario's uncertain inputs.
//!
//! Draws are split into fixed chunks of [`CHUNK`] draws; chunk `c` draws
//! from `ChaCha8Rng::seed_from_u64(seed)` on stream `c`, so every draw's
//! numbers depend only on the seed and the draw's index, never on the
//! number of threads or on scheduling. Chunks run in parallel (rayon) and
//! are put back in chunk order. A cancel flag (set on Ctrl-C) stops the run
//! between chunks; what was drawn is kept and reported.
//!
//! Memory stays small: per draw only the numbers whose distribution is
//! reported (surpluses, world sums, issue outcomes, measures: a few per
//! case) are kept; everything reported as a probability is counted.

use crate::eval::{case_values, claim_holds, evaluate_case_into, CaseResult};
use crate::model::Scenario;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Draws per chunk (the unit of reproducibility and of parallel work).
pub const CHUNK: usize = 256;

/// Where each kept number and each counted event lives.
#[derive(Debug, Clone)]
pub struct Layout {
    pub ncases: usize,
    nactors: usize,
    metrics_per_case: usize,
    flags_per_case: usize,
    ex_metric: Vec<usize>,
    issue_metric: usize,
    measure_metric: usize,
    ex_flag: Vec<usize>,
    prop_flag: usize,
    issue_flag: usize,
    measure_flag: usize,
    game_flag: Vec<usize>,
    claim_flag: usize,
    pub nclaims: usize,
    /// Uncertain inputs (indices into `Scenario::inputs`), for importance.
    pub uncertain: Vec<usize>,
    /// Their split points (point estimates).
    split: Vec<f64>,
}

impl Layout {
    pub fn new(s: &Scenario) -> Layout {
        let ncases = s.policies.len() + 1;
        let mut m = 0;
        let mut ex_metric = Vec::new();
        for x in &s.exchanges {
            ex_metric.push(m);
            m += x.parties.len() + 1;
        }
        let issue_metric = m;
        m += s.issues.len();
        let measure_metric = m;
        m += s.measures.len();
        let mut f = 0;
        let mut ex_flag = Vec::new();
        for x in &s.exchanges {
            ex_flag.push(f);
            f += 2 + x.parties.len();
        }
        let prop_flag = f;
        let nactors = s.actors.len();
        f += s.proposals.len() * (1 + nactors);
        let issue_flag = f;
        f += 2 * s.issues.len();
        let measure_flag = f;
        f += s.measures.len();
        // Per inline game: each cell is an equilibrium; exactly one pure
        // equilibrium; none.
        let mut game_flag = Vec::new();
        for g in &s.games {
            game_flag.push(f);
            if let Some(cells) = &g.payoffs {
                f += cells.len() + 2;
            }
        }
        let point = s.point_values();
        let uncertain: Vec<usize> = (0..s.inputs.len())
            .filter(|&k| s.inputs[k].dist.is_uncertain())
            .collect();
        let split = uncertain.iter().map(|&k| point[k]).collect();
        Layout {
            ncases,
            nactors,
            metrics_per_case: m,
            flags_per_case: f,
            ex_metric,
            issue_metric,
            measure_metric,
            ex_flag,
            prop_flag,
            issue_flag,
            measure_flag,
            game_flag,
            claim_flag: f * ncases,
            nclaims: s.claims.len(),
            uncertain,
            split,
        }
    }
    pub fn metrics(&self) -> usize {
        self.metrics_per_case * self.ncases
    }
    pub fn flags(&self) -> usize {
        self.claim_flag + self.nclaims
    }
    // Kept numbers.
    pub fn surplus(&self, case: usize, x: usize, party: usize) -> usize {
        case * self.metrics_per_case + self.ex_metric[x] + party
    }
    pub fn world_sum(&self, s: &Scenario, case: usize, x: usize) -> usize {
        case * self.metrics_per_case + self.ex_metric[x] + s.exchanges[x].parties.len()
    }
    pub fn outcome(&self, case: usize, issue: usize) -> usize {
        case * self.metrics_per_case + self.issue_metric + issue
    }
    pub fn measure(&self, case: usize, m: usize) -> usize {
        case * self.metrics_per_case + self.measure_metric + m
    }
    // Counted events.
    pub fn win_win(&self, case: usize, x: usize) -> usize {
        case * self.flags_per_case + self.ex_flag[x]
    }
    pub fn positive_sum(&self, case: usize, x: usize) -> usize {
        self.win_win(case, x) + 1
    }
    pub fn gains(&self, case: usize, x: usize, party: usize) -> usize {
        self.win_win(case, x) + 2 + party
    }
    pub fn passes(&self, case: usize, p: usize) -> usize {
        case * self.flags_per_case + self.prop_flag + p * (1 + self.nactors)
    }
    pub fn vetoed_by(&self, case: usize, p: usize, actor: usize) -> usize {
        self.passes(case, p) + 1 + actor
    }
    pub fn agreement(&self, case: usize, issue: usize) -> usize {
        case * self.flags_per_case + self.issue_flag + 2 * issue
    }
    /// A negotiation's model failed on the draw (the status quo stood).
    pub fn model_failed(&self, case: usize, issue: usize) -> usize {
        self.agreement(case, issue) + 1
    }
    /// The measure under this case is below the base case.
    pub fn lower(&self, case: usize, m: usize) -> usize {
        case * self.flags_per_case + self.measure_flag + m
    }
    /// Pure profile `cell` of inline game `g` is an equilibrium.
    pub fn game_cell(&self, case: usize, g: usize, cell: usize) -> usize {
        case * self.flags_per_case + self.game_flag[g] + 2 + cell
    }
    /// Inline game `g` has exactly one pure equilibrium.
    pub fn game_unique(&self, case: usize, g: usize) -> usize {
        case * self.flags_per_case + self.game_flag[g]
    }
    /// Inline game `g` has no pure equilibrium.
    pub fn game_none(&self, case: usize, g: usize) -> usize {
        self.game_unique(case, g) + 1
    }
    pub fn claim(&self, c: usize) -> usize {
        self.claim_flag + c
    }
}

/// A finished (or interrupted) run.
#[derive(Debug, Clone, PartialEq)]
pub struct McRun {
    pub seed: u64,
    pub requested: usize,
    pub interrupted: bool,
    /// Draws done.
    pub draws: usize,
    /// Kept numbers, draw by draw (`draws × layout.metrics()`).
    pub metrics: Vec<f64>,
    /// How many draws had each event.
    pub counts: Vec<u64>,
    /// Per (uncertain input, claim): draws with the input above its point
    /// estimate where the claim held, draws above, held at or below, at or
    /// below.
    pub importance: Vec<[u64; 4]>,
}

impl McRun {
    /// The kept number `k` of every draw.
    pub fn column(&self, layout: &Layout, k: usize) -> Vec<f64> {
        let m = layout.metrics();
        (0..self.draws).map(|d| self.metrics[d * m + k]).collect()
    }
    /// The share of draws with event `k` (`None` without draws).
    pub fn frac(&self, k: usize) -> Option<f64> {
        (self.draws > 0).then(|| self.counts[k] as f64 / self.draws as f64)
    }
}

/// Evaluates every case (`[0]` the base case, `[k + 1]` policy `k`) and
/// every claim for one set of base input values.
pub fn evaluate_all(
    s: &Scenario,
    values: &[f64],
    scratch: &mut Vec<f64>,
) -> (Vec<CaseResult>, Vec<bool>) {
    let mut cases = Vec::new();
    let mut claims = Vec::new();
    evaluate_all_into(s, values, scratch, &mut cases, &mut claims);
    (cases, claims)
}

/// [`evaluate_all`] into reused buffers (no allocation once they have
/// their sizes).
pub fn evaluate_all_into(
    s: &Scenario,
    values: &[f64],
    scratch: &mut Vec<f64>,
    cases: &mut Vec<CaseResult>,
    claims: &mut Vec<bool>,
) {
    let ncases = s.policies.len() + 1;
    cases.resize_with(ncases, CaseResult::default);
    for (c, out) in cases.iter_mut().enumerate() {
        let policy = c.checked_sub(1);
        case_values(s, policy, values, scratch);
        evaluate_case_into(s, policy, scratch, out);
    }
    claims.clear();
    claims.extend(s.claims.iter().map(|c| claim_holds(c, cases)));
}

/// Records one draw's kept numbers (into `row`, `layout.metrics()` long)
/// and events.
fn record(
    s: &Scenario,
    l: &Layout,
    cases: &[CaseResult],
    claims: &[bool],
    row: &mut [f64],
    counts: &mut [u64],
) {
    let mut count = |k: usize, yes: bool| {
        if yes {
            counts[k] += 1;
        }
    };
    for (c, r) in cases.iter().enumerate() {
        for (x, e) in r.exchanges.iter().enumerate() {
            for (j, v) in e.surplus.iter().enumerate() {
                row[l.surplus(c, x, j)] = *v;
                count(l.gains(c, x, j), *v > 0.0);
            }
            row[l.world_sum(s, c, x)] = e.world_sum;
            count(l.win_win(c, x), e.win_win);
            count(l.positive_sum(c, x), e.world_sum > 0.0);
        }
        for (p, v) in r.votes.iter().enumerate() {
            if let Some(v) = v {
                count(l.passes(c, p), v.passes);
                for a in &v.vetoed_by {
                    count(l.vetoed_by(c, p, *a), true);
                }
            }
        }
        for (i, x) in r.issues.iter().enumerate() {
            row[l.outcome(c, i)] = x.outcome;
            count(l.agreement(c, i), x.agreement == Some(true));
            count(l.model_failed(c, i), x.failed);
        }
        for (m, v) in r.measures.iter().enumerate() {
            row[l.measure(c, m)] = *v;
            count(l.lower(c, m), *v < cases[0].measures[m]);
        }
        for (g, cells) in r.games.iter().enumerate() {
            if s.games[g].payoffs.is_none() {
                continue;
            }
            let mut found = 0;
            for (k, &e) in cells.iter().enumerate() {
                count(l.game_cell(c, g, k), e);
                found += usize::from(e);
            }
            count(l.game_unique(c, g), found == 1);
            count(l.game_none(c, g), found == 0);
        }
    }
    for (k, h) in claims.iter().enumerate() {
        count(l.claim(k), *h);
    }
}

/// What one worker accumulates over the chunks it runs: its reused
/// evaluation buffers, its event counts and the chunks it finished. Counts
/// are integers, so merging them in any order gives the same totals.
struct Worker {
    scratch: Vec<f64>,
    inputs: Vec<f64>,
    cases: Vec<CaseResult>,
    claims: Vec<bool>,
    counts: Vec<u64>,
    importance: Vec<[u64; 4]>,
    /// `(chunk, draws)` of the chunks finished.
    done: Vec<(usize, usize)>,
}

impl Worker {
    fn new(s: &Scenario, l: &Layout) -> Worker {
        Worker {
            scratch: Vec::with_capacity(s.inputs.len()),
            inputs: vec![0.0; s.inputs.len()],
            cases: Vec::new(),
            claims: Vec::new(),
            counts: vec![0; l.flags()],
            importance: vec![[0; 4]; l.uncertain.len() * l.nclaims],
            done: Vec::new(),
        }
    }
    fn merge(mut self, other: Worker) -> Worker {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.importance.iter_mut().zip(&other.importance) {
            for k in 0..4 {
                a[k] += b[k];
            }
        }
        self.done.extend(other.done);
        self
    }
}

/// Runs `draws` draws with `seed`. `progress` is called with the number of
/// draws finished so far; `cancel` stops the run between chunks.
///
/// Each chunk writes its kept numbers straight into its own rows of the
/// result (no copy at the end) and each worker reuses its buffers from
/// chunk to chunk.
pub fn run(
    s: &Scenario,
    draws: usize,
    seed: u64,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize) + Sync),
) -> McRun {
    let l = Layout::new(s);
    let m = l.metrics();
    let chunks = draws.div_ceil(CHUNK);
    let done = AtomicUsize::new(0);
    let mut metrics = vec![0.0; draws * m];
    let rows: Vec<&mut [f64]> = if m > 0 {
        metrics.chunks_mut(CHUNK * m).collect()
    } else {
        (0..chunks).map(|_| <&mut [f64]>::default()).collect()
    };
    let acc = rows
        .into_par_iter()
        .enumerate()
        .fold(
            || Worker::new(s, &l),
            |mut w, (c, rows)| {
                if cancel.load(Ordering::Relaxed) {
                    return w;
                }
                let n = CHUNK.min(draws - c * CHUNK);
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(c as u64);
                for d in 0..n {
                    for (v, i) in w.inputs.iter_mut().zip(&s.inputs) {
                        *v = i.dist.sample(&mut rng);
                    }
                    evaluate_all_into(s, &w.inputs, &mut w.scratch, &mut w.cases, &mut w.claims);
                    record(
                        s,
                        &l,
                        &w.cases,
                        &w.claims,
                        &mut rows[d * m..(d + 1) * m],
                        &mut w.counts,
                    );
                    for (u, (&k, &split)) in l.uncertain.iter().zip(&l.split).enumerate() {
                        let up = w.inputs[k] > split;
                        for (c, &h) in w.claims.iter().enumerate() {
                            let cell = &mut w.importance[u * l.nclaims + c];
                            if up {
                                cell[1] += 1;
                                cell[0] += u64::from(h);
                            } else {
                                cell[3] += 1;
                                cell[2] += u64::from(h);
                            }
                        }
                    }
                }
                let total = done.fetch_add(n, Ordering::Relaxed) + n;
                progress(total);
                w.done.push((c, n));
                w
            },
        )
        .reduce(|| Worker::new(s, &l), Worker::merge);
    let mut finished = acc.done;
    finished.sort_unstable();
    let interrupted = finished.len() < chunks;
    let mut kept = 0;
    if interrupted {
        // Keep the finished chunks' rows, in chunk order, at the front.
        for &(c, n) in &finished {
            let from = c * CHUNK * m;
            metrics.copy_within(from..from + n * m, kept * m);
            kept += n;
        }
        metrics.truncate(kept * m);
    } else {
        kept = draws;
    }
    McRun {
        seed,
        requested: draws,
        interrupted,
        draws: kept,
        metrics,
        counts: acc.counts,
        importance: acc.importance,
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
        assert_eq!(a.draws, 1000);
        assert_eq!(a, b);
        let c = run(&s, 1000, 43, &never, &|_| {});
        assert_ne!(a.metrics, c.metrics);
        // win-win iff value_ab > 3 and value_ba > 4: P = 0.7 * 0.68 = 0.476.
        let l = Layout::new(&s);
        let p = a.frac(l.claim(0)).unwrap();
        assert!((p - 0.476).abs() < 0.06, "{p}");
        assert_eq!(a.frac(l.win_win(0, 0)), Some(p));
    }

    #[test]
    fn cancel_keeps_what_was_drawn() {
        let s = parse_scenario(SMALL, "t.toml").unwrap();
        let stop = AtomicBool::new(true);
        let r = run(&s, 1000, 1, &stop, &|_| {});
        assert!(r.interrupted);
        assert_eq!(r.draws, 0);
        assert_eq!(r.frac(0), None);
    }
}
