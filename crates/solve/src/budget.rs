//! A shared iteration and wall-time budget for the iterative n-player
//! methods (`simpdiv`, `gnm`, `ipa`, `logit`, `liap`, `enumpoly`).
//!
//! Every iterative method counts its basic steps (pivots, predictor
//! steps, Newton iterations, subdivided boxes) against a [`Budget`] through a
//! [`Meter`]; when either limit is reached the method stops and says so in
//! its result (`budget_exhausted`) instead of running on.
//!
//! The step limit is exact: the step after the last one allowed is
//! refused. The clock is not read at every step (a reading costs as much
//! as a whole step of the cheapest methods): the meter reads it at the
//! first step, then at intervals of steps it adapts to the time steps
//! take, aiming at one reading per [`CHECK_PERIOD`] and never more than
//! [`MAX_STRIDE`] steps apart (the interval at most doubles from one
//! reading to the next). A run therefore stops within about one
//! [`CHECK_PERIOD`] of its time limit while its steps take about as long
//! as the ones before, and in any case within [`MAX_STRIDE`] steps.
//!
//! A caller that wants to show progress or stop a run early (Ctrl-C in the
//! CLI) gives the budget a [`Watch`]: at each reading of the clock the
//! meter adds the steps done to the watch's counter and, when a stop was
//! requested, stops as if a limit had been reached; the method then returns
//! the verified answers it has, like a method whose budget ran out, and its
//! note says it was interrupted. With a watch the clock is read on the same
//! schedule as with a time limit.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Shared between a running method and its caller: the steps done so far
/// (updated at each reading of the clock) and a stop request.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    stop: Arc<AtomicBool>,
    steps: Arc<AtomicU64>,
}

impl Watch {
    /// A new watch: no steps, no stop request.
    pub fn new() -> Self {
        Self::default()
    }

    /// The stop flag itself, e.g. for a signal handler to set.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Asks the method to stop at its next reading of the clock.
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was requested.
    pub fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Steps reported so far (all meters of the run together).
    pub fn steps(&self) -> u64 {
        self.steps.load(Ordering::Relaxed)
    }

    /// Adds `n` steps to the run's count (meters at their readings of
    /// the clock; enummixed every 256 bases).
    pub(crate) fn add_steps(&self, n: u64) {
        self.steps.fetch_add(n, Ordering::Relaxed);
    }
}

/// Two watches are equal when they are the same watch.
impl PartialEq for Watch {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.stop, &other.stop) && Arc::ptr_eq(&self.steps, &other.steps)
    }
}

/// The time the meter aims to let pass between two readings of the clock.
pub const CHECK_PERIOD: Duration = Duration::from_millis(1);

/// Most steps between two readings of the clock.
pub const MAX_STRIDE: u64 = 1024;

/// Limits on the work an iterative method may do.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Largest number of basic steps (the unit is the method's own: pivots
    /// for `simpdiv`, path steps for `gnm`/`logit`, ...).
    pub max_iterations: u64,
    /// Wall-clock limit; `None` for no limit.
    pub max_time: Option<Duration>,
    /// Progress counter and stop request shared with the caller.
    pub watch: Option<Watch>,
}

impl Default for Budget {
    /// One million steps and 30 seconds.
    fn default() -> Self {
        Budget {
            max_iterations: 1_000_000,
            max_time: Some(Duration::from_secs(30)),
            watch: None,
        }
    }
}

impl Budget {
    /// A budget with the given step and time limits.
    pub fn new(max_iterations: u64, max_time: Option<Duration>) -> Self {
        Budget {
            max_iterations,
            max_time,
            watch: None,
        }
    }

    /// This budget, watched by `watch` (see [`Watch`]).
    pub fn with_watch(mut self, watch: Watch) -> Self {
        self.watch = Some(watch);
        self
    }

    /// Starts measuring against this budget.
    pub fn start(&self) -> Meter {
        Meter {
            budget: self.clone(),
            start: Instant::now(),
            iterations: 0,
            exhausted: false,
            interrupted: false,
            published: 0,
            next_check: if self.max_time.is_some() || self.watch.is_some() {
                1
            } else {
                u64::MAX
            },
            stride: 1,
            last_check: (0, Duration::ZERO),
            #[cfg(test)]
            readings: 0,
        }
    }
}

/// Counts steps and time against a [`Budget`].
#[derive(Debug, Clone)]
pub struct Meter {
    budget: Budget,
    start: Instant,
    iterations: u64,
    exhausted: bool,
    /// Stopped by the watch's stop request.
    interrupted: bool,
    /// Steps already added to the watch's counter.
    published: u64,
    /// The step count at which the clock is read next (`u64::MAX`: never,
    /// without a time limit).
    next_check: u64,
    /// Steps between the last two readings of the clock.
    stride: u64,
    /// Step count and time (since `start`) at the last reading.
    last_check: (u64, Duration),
    /// Readings of the clock so far.
    #[cfg(test)]
    readings: u64,
}

impl Meter {
    /// Counts one step. Returns `false` (and stays exhausted) once either
    /// limit has been reached: the step limit exactly, the time limit at
    /// the next reading of the clock (see the module's documentation).
    #[inline]
    pub fn tick(&mut self) -> bool {
        if self.exhausted {
            return false;
        }
        self.iterations += 1;
        if self.iterations > self.budget.max_iterations {
            self.exhausted = true;
            return false;
        }
        if self.iterations >= self.next_check {
            return self.check_clock();
        }
        true
    }

    /// Reads the clock at a step: `false` (exhausted) once the time limit
    /// has passed; otherwise chooses the step of the next reading.
    fn check_clock(&mut self) -> bool {
        if self.budget.max_time.is_none() && self.budget.watch.is_none() {
            self.next_check = u64::MAX;
            return true;
        }
        let now = self.start.elapsed();
        #[cfg(test)]
        {
            self.readings += 1;
        }
        if let Some(w) = &self.budget.watch {
            let new = self.iterations.saturating_sub(self.published);
            w.add_steps(new);
            self.published = self.iterations;
            if w.stop_requested() {
                self.exhausted = true;
                self.interrupted = true;
                return false;
            }
        }
        let left = match self.budget.max_time {
            Some(limit) if now >= limit => {
                self.exhausted = true;
                return false;
            }
            Some(limit) => limit - now,
            None => CHECK_PERIOD,
        };
        let (steps_then, time_then) = self.last_check;
        let steps = self.iterations.saturating_sub(steps_then).max(1);
        let per_step = now.saturating_sub(time_then).as_secs_f64() / steps as f64;
        // Aim at one reading per period, or at the limit if it is nearer,
        // at most doubling the interval (the time of a step can grow).
        let target = CHECK_PERIOD.min(left).as_secs_f64();
        let wanted = if per_step > 0.0 {
            target / per_step
        } else {
            f64::INFINITY
        };
        let cap = self.stride.saturating_mul(2).min(MAX_STRIDE);
        // `wanted` is positive or infinite (never NaN): the casts saturate.
        self.stride = (wanted.floor() as u64).clamp(1, cap);
        self.last_check = (self.iterations, now);
        self.next_check = self.iterations.saturating_add(self.stride);
        true
    }

    /// Whether a limit has been reached (or a stop was requested).
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    /// Whether the run was stopped by its watch's stop request.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// Steps counted so far.
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// Time since the meter started.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// A budget for a sub-task: at most `max_iterations` steps and what is
    /// left of this meter's steps and time.
    pub fn sub_budget(&self, max_iterations: u64) -> Budget {
        let left = self.budget.max_iterations.saturating_sub(self.iterations);
        let time = self
            .budget
            .max_time
            .map(|t| t.saturating_sub(self.start.elapsed()));
        Budget {
            max_iterations: max_iterations.min(left),
            max_time: time,
            watch: self.budget.watch.clone(),
        }
    }

    /// Adds the steps of a sub-task's meter to this one (and notices if the
    /// time ran out meanwhile).
    pub fn absorb(&mut self, other: &Meter) {
        self.iterations = self.iterations.saturating_add(other.iterations);
        // The sub-task reported its own steps to the watch.
        self.published = self.published.saturating_add(other.published);
        if other.interrupted {
            self.exhausted = true;
            self.interrupted = true;
        }
        if self.iterations >= self.budget.max_iterations {
            self.exhausted = true;
        }
        if let Some(limit) = self.budget.max_time {
            if self.start.elapsed() >= limit {
                self.exhausted = true;
            }
        }
    }

    /// A plain-language description of the limit that was reached.
    pub fn describe(&self) -> String {
        if self.interrupted {
            return format!(
                "interrupted (stop requested) after {} steps and {:.3} s",
                self.iterations,
                self.start.elapsed().as_secs_f64()
            );
        }
        let time = match self.budget.max_time {
            Some(t) => format!("{:.3} s", t.as_secs_f64()),
            None => "no time limit".to_string(),
        };
        format!(
            "budget exhausted after {} steps and {:.3} s (limits: {} steps, {})",
            self.iterations,
            self.start.elapsed().as_secs_f64(),
            self.budget.max_iterations,
            time
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iteration_limit_is_enforced() {
        let mut m = Budget::new(3, None).start();
        assert!(m.tick());
        assert!(m.tick());
        assert!(m.tick());
        assert!(!m.tick());
        assert!(m.exhausted());
        assert!(!m.tick());
        assert!(m.describe().contains("3 steps"));
    }

    #[test]
    fn time_limit_is_enforced() {
        let mut m = Budget::new(u64::MAX, Some(Duration::from_millis(0))).start();
        assert!(!m.tick());
        assert!(m.exhausted());
        assert!(!m.tick());
        assert!(m.describe().contains("budget exhausted after 1 steps"));
    }

    /// The step limit is exact with a time limit too (the clock is read
    /// only now and then, the step count at every step).
    #[test]
    fn step_limit_is_exact_with_a_time_limit() {
        for limit in [1u64, 2, 3, 1000, 5000] {
            let mut m = Budget::new(limit, Some(Duration::from_secs(3600))).start();
            for i in 0..limit {
                assert!(m.tick(), "step {} of {limit}", i + 1);
            }
            assert!(!m.exhausted());
            assert!(!m.tick());
            assert!(m.exhausted());
            assert_eq!(m.iterations(), limit + 1);
            assert!(m.describe().contains(&format!("limits: {limit} steps")));
        }
    }

    /// Cheap steps read the clock rarely, and never more than
    /// `MAX_STRIDE` steps apart.
    #[test]
    fn the_clock_is_read_rarely() {
        let mut m = Budget::new(u64::MAX, Some(Duration::from_secs(3600))).start();
        for _ in 0..200_000 {
            assert!(m.tick());
            assert!(m.next_check - m.iterations <= MAX_STRIDE);
        }
        // At least one reading per `MAX_STRIDE` steps (195), and far fewer
        // than one per step.
        assert!(m.readings >= 200_000 / MAX_STRIDE, "{}", m.readings);
        assert!(m.readings < 20_000, "{}", m.readings);
        // Without a time limit, never.
        let mut m = Budget::new(u64::MAX, None).start();
        for _ in 0..10_000 {
            assert!(m.tick());
        }
        assert_eq!(m.readings, 0);
    }

    /// A run stops at most `MAX_STRIDE` steps after its time limit has
    /// passed, however cheap or dear its steps.
    #[test]
    fn the_time_limit_stops_within_a_bounded_overshoot() {
        for spin in [0u32, 200, 20_000] {
            let limit = Duration::from_millis(5);
            let mut m = Budget::new(u64::MAX, Some(limit)).start();
            let mut passed_at: Option<u64> = None;
            let mut step = 0u64;
            loop {
                if passed_at.is_none() && m.elapsed() >= limit {
                    passed_at = Some(step);
                }
                step += 1;
                // A step of some work.
                let mut acc = 0u64;
                for i in 0..spin {
                    acc = std::hint::black_box(acc.wrapping_add(u64::from(i)));
                }
                std::hint::black_box(acc);
                if !m.tick() {
                    break;
                }
                assert!(step < 100_000_000, "the time limit never stopped the run");
            }
            assert!(m.exhausted());
            assert!(m.elapsed() >= limit);
            let p = passed_at.unwrap_or(step);
            assert!(
                step <= p + MAX_STRIDE,
                "stopped at {step}, limit passed at {p}"
            );
            assert!(m.describe().contains("0.005 s"), "{}", m.describe());
        }
    }

    /// A sub-budget gets what is left, and absorbing its steps counts them.
    #[test]
    fn sub_budget_and_absorb() {
        let mut m = Budget::new(10, None).start();
        for _ in 0..4 {
            assert!(m.tick());
        }
        let b = m.sub_budget(100);
        assert_eq!(b.max_iterations, 6);
        let mut sub = b.start();
        while sub.tick() {}
        assert_eq!(sub.iterations(), 7);
        m.absorb(&sub);
        assert!(m.exhausted());
        assert!(!m.tick());
    }

    /// A stop request stops a meter at its next reading of the clock
    /// (within `MAX_STRIDE` steps), with or without a time limit; the steps
    /// are reported to the watch, sub-budgets share it.
    #[test]
    fn a_watch_reports_steps_and_stops_the_run() {
        for time in [None, Some(Duration::from_secs(3600))] {
            let w = Watch::new();
            let mut m = Budget::new(u64::MAX, time).with_watch(w.clone()).start();
            for _ in 0..5000 {
                assert!(m.tick());
            }
            assert!(w.steps() > 0 && w.steps() <= 5000, "{}", w.steps());
            let sub = m.sub_budget(100);
            assert_eq!(sub.watch.as_ref(), Some(&w));
            w.request_stop();
            let mut more = 0;
            while m.tick() {
                more += 1;
                assert!(more <= MAX_STRIDE, "not stopped");
            }
            assert!(m.exhausted() && m.interrupted());
            assert!(m.describe().starts_with("interrupted"), "{}", m.describe());
            // A sub-task's interruption reaches its parent.
            let w2 = Watch::new();
            let mut parent = Budget::new(u64::MAX, time).with_watch(w2.clone()).start();
            let mut child = parent.sub_budget(1_000_000).start();
            w2.request_stop();
            while child.tick() {}
            parent.absorb(&child);
            assert!(parent.interrupted() && !parent.tick());
        }
        // Without a watch nothing changes: never interrupted.
        let mut m = Budget::new(10, None).start();
        while m.tick() {}
        assert!(!m.interrupted());
    }
}
