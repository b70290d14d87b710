//! Progress and Ctrl-C for the iterative methods of `detente solve`.
//!
//! [`start`] gives the run a [`Watch`] (through [`watch`], which
//! `SolveArgs::budget` attaches to every budget): the first Ctrl-C asks the
//! method to stop at its next reading of the clock, and the verified
//! equilibria it found so far are printed as after a spent budget; a second
//! Ctrl-C ends the program at once (exit status 130). When standard error
//! is a terminal and the run takes more than half a second, a spinner shows
//! the steps done and the time spent; [`finish`] clears it before anything
//! is printed.

use detente_solve::budget::Watch;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

static WATCH: OnceLock<Watch> = OnceLock::new();

/// The spinner's thread and its stop flag.
static SPINNER: Mutex<Option<(Arc<AtomicBool>, JoinHandle<()>)>> = Mutex::new(None);

/// How long a run goes before the spinner appears.
const QUIET_START: Duration = Duration::from_millis(500);

/// Installs the Ctrl-C handler and, on a terminal, the spinner.
pub(crate) fn start(method: &str, max_time: Option<Duration>) {
    let w = WATCH.get_or_init(Watch::new);
    super::stop_on_ctrl_c(&w.stop_flag());
    if !std::io::stderr().is_terminal() {
        return;
    }
    let done = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&done);
    let w = w.clone();
    let method = method.to_string();
    let handle = std::thread::spawn(move || spin(&method, max_time, &w, &stop));
    if let Ok(mut s) = SPINNER.lock() {
        *s = Some((done, handle));
    }
}

/// The spinner's loop: waits [`QUIET_START`], then shows the steps and
/// the time until [`finish`] is called.
fn spin(method: &str, max_time: Option<Duration>, w: &Watch, done: &AtomicBool) {
    let t0 = Instant::now();
    while t0.elapsed() < QUIET_START {
        if done.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    let limit = max_time.map_or(String::new(), |t| format!(" of {:.0}", t.as_secs_f64()));
    while !done.load(Ordering::Relaxed) {
        let msg = if w.stop_requested() {
            format!("{method}: stopping after {} steps…", w.steps())
        } else {
            format!(
                "{method}: {} steps, {:.1}{limit} s; Ctrl-C: stop, print what was found",
                w.steps(),
                t0.elapsed().as_secs_f64()
            )
        };
        bar.set_message(msg);
        bar.tick();
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}

/// The run's watch, once [`start`] has been called.
pub(crate) fn watch() -> Option<Watch> {
    WATCH.get().cloned()
}

/// Whether the user asked the run to stop.
pub(crate) fn interrupted() -> bool {
    WATCH.get().is_some_and(Watch::stop_requested)
}

/// Why a run that did not finish stopped, in words: Ctrl-C or the budget.
pub(crate) fn why_stopped() -> &'static str {
    if interrupted() {
        "interrupted (Ctrl-C)"
    } else {
        "the budget ran out"
    }
}

/// Stops and clears the spinner (if any); safe to call more than once.
pub(crate) fn finish() {
    let taken = SPINNER.lock().ok().and_then(|mut s| s.take());
    if let Some((done, handle)) = taken {
        done.store(true, Ordering::Relaxed);
        let _ = handle.join();
    }
}
