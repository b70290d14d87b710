//! A shared iteration and wall-time budget for the iterative n-player
//! methods (`simpdiv`, `gnm`, `ipa`, `logit`, `liap`, `enumpoly`).
//!
//! Every iterative method counts its basic steps (pivots, predictor
//! steps, Newton iterations, subdivided boxes) against a [`Budget`] through a
//! [`Meter`]; when either limit is reached the method stops and says so in
//! its result (`budget_exhausted`) instead of running on.

use std::time::{Duration, Instant};

/// Limits on the work an iterative method may do.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Largest number of basic steps (the unit is the method's own: pivots
    /// for `simpdiv`, path steps for `gnm`/`logit`, ...).
    pub max_iterations: u64,
    /// Wall-clock limit; `None` for no limit.
    pub max_time: Option<Duration>,
}

impl Default for Budget {
    /// One million steps and 30 seconds.
    fn default() -> Self {
        Budget {
            max_iterations: 1_000_000,
            max_time: Some(Duration::from_secs(30)),
        }
    }
}

impl Budget {
    /// A budget with the given step and time limits.
    pub fn new(max_iterations: u64, max_time: Option<Duration>) -> Self {
        Budget {
            max_iterations,
            max_time,
        }
    }

    /// Starts measuring against this budget.
    pub fn start(&self) -> Meter {
        Meter {
            budget: self.clone(),
            start: Instant::now(),
            iterations: 0,
            exhausted: false,
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
}

impl Meter {
    /// Counts one step. Returns `false` (and stays exhausted) once either
    /// limit has been reached.
    pub fn tick(&mut self) -> bool {
        if self.exhausted {
            return false;
        }
        self.iterations += 1;
        if self.iterations > self.budget.max_iterations {
            self.exhausted = true;
            return false;
        }
        if let Some(limit) = self.budget.max_time {
            // Checking the clock costs little next to a step of any method.
            if self.start.elapsed() >= limit {
                self.exhausted = true;
                return false;
            }
        }
        true
    }

    /// Whether a limit has been reached.
    pub fn exhausted(&self) -> bool {
        self.exhausted
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
        Budget::new(max_iterations.min(left), time)
    }

    /// Adds the steps of a sub-task's meter to this one (and notices if the
    /// time ran out meanwhile).
    pub fn absorb(&mut self, other: &Meter) {
        self.iterations = self.iterations.saturating_add(other.iterations);
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
    }
}
