//! One module per subcommand.
pub mod analyze;
pub mod bargain;
pub mod check;
pub mod coalition;
pub mod convert;
pub mod forecast;
pub mod info;
pub mod power;
pub mod solve;
pub mod solve_progress;
pub mod solve_tree;

/// Writes `text` to standard output; a closed pipe (`detente ... | head`) is
/// not an error.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other.context("cannot write to standard output")?),
    }
}

/// Ctrl-C for long runs: the first one sets `flag` (the run stops at its
/// next check and reports what it has done); a second one, with `flag`
/// already set, ends the program at once (exit status 130).
pub fn stop_on_ctrl_c(flag: &std::sync::Arc<std::sync::atomic::AtomicBool>) {
    use signal_hook::{consts::SIGINT, flag as sig};
    let _ = sig::register_conditional_shutdown(SIGINT, 130, std::sync::Arc::clone(flag));
    let _ = sig::register(SIGINT, std::sync::Arc::clone(flag));
}
