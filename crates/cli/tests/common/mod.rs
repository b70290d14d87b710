//! Shared helpers of the CLI integration tests: running the built binary
//! and finding `../shared`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs the built `detente` binary with `args`.
pub fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run detente: {e}"))
}

/// Runs the built `detente` binary with `args`, sends it SIGINT (Ctrl-C)
/// after `secs` seconds and waits for it.
pub fn interrupted_after(args: &[&str], secs: u64) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run detente: {e}"));
    std::thread::sleep(std::time::Duration::from_secs(secs));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(kill.success());
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("wait: {e}"))
}

/// Standard output of a run that must have succeeded (the exit status and
/// standard error are shown otherwise).
pub fn success_stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The JSON printed by a run that must have succeeded.
pub fn success_json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&success_stdout(o)).unwrap_or_else(|e| panic!("{e}"))
}

/// The shared reference directory, or `None` (after printing a notice) when
/// it is absent and `DETENTE_REQUIRE_SHARED` is not `1`.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("DETENTE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("shared reference directory {} is missing", dir.display());
    }
    eprintln!("notice: {} not found; skipping", dir.display());
    None
}
