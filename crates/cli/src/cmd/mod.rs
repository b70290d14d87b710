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
