//! Opens the HTML report of the built-in scenario in headless Chromium
//! (Debian's `chromium` package), in English and Indonesian: takes a
//! screenshot, checks that every section is in the rendered DOM and that
//! the console shows no error.
//!
//! Without `/usr/bin/chromium` the test prints a notice and passes, unless
//! `DETENTE_REQUIRE_CHROMIUM=1` (CI), where that is a failure. With
//! `DETENTE_UPDATE_SCREENSHOTS=1` the screenshots are also copied to
//! `docs/report-<lang>.png`.

use detente_scenario::analysis::{analyze, AnalyzeOptions};
use detente_scenario::builtin::{BUILTIN, BUILTIN_NAME};
use detente_scenario::html::{render_html, SECTIONS};
use detente_scenario::parse_scenario;
use detente_scenario::report::{fnv1a64, Strings};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

const CHROMIUM: &str = "/usr/bin/chromium";

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("detente-chromium-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn chromium(dir: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    let profile = dir.join("profile");
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd.args(extra);
    cmd.arg(format!("file://{}", page.display()));
    cmd.output().expect("running chromium")
}

/// Console messages (the page has no script, so any is unexpected; Chromium
/// logs even `console.error` at INFO level), uncaught exceptions and failed
/// loads in Chromium's log.
fn console_errors(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Failed to load resource")
                || l.contains("net::ERR_")
        })
        .map(String::from)
        .collect()
}

#[test]
fn console_scan_catches_errors() {
    let log = "[1:1:1127/095105.798309:INFO:CONSOLE:1] \"boom\", source: file:///x.html (1)\n\
               [1:1:1127/095105.800327:INFO:CONSOLE:1] \"Uncaught ReferenceError: f is not defined\"\n\
               [1:1:1127/095105.800327:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n";
    assert_eq!(console_errors(log).len(), 2);
}

fn chromium_missing() -> bool {
    if Path::new(CHROMIUM).exists() {
        return false;
    }
    if std::env::var("DETENTE_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
        panic!("{CHROMIUM} is missing and DETENTE_REQUIRE_CHROMIUM=1");
    }
    eprintln!("notice: {CHROMIUM} not found; skipping the headless browser test");
    true
}

/// Renders `r` in `lang`, opens it in Chromium, takes a screenshot and
/// dumps the DOM; checks the sections, the console, and that every string
/// in `expect` is in the rendered DOM. Returns the screenshot's path (in a
/// scratch directory the caller removes) and the DOM.
fn open_report(
    r: &serde_json::Value,
    lang: &str,
    name: &str,
    input: &str,
    expect: &[String],
) -> (PathBuf, PathBuf) {
    let s = Strings::load(lang).unwrap();
    let repro = vec![
        (
            s.get("version").to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        (s.get("input_hash").to_string(), fnv1a64(input.as_bytes())),
        ("scenario".to_string(), name.to_string()),
    ];
    let dir = scratch(&format!("{name}-{lang}").replace(['/', '.'], "_"));
    let page = dir.join("report.html");
    std::fs::write(&page, render_html(r, &s, &repro)).unwrap();

    let shot = dir.join("report.png");
    let out = chromium(
        &dir,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,3000",
        ],
        &page,
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{lang}: chromium failed: {log}");
    let png = std::fs::read(&shot).unwrap_or_default();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{lang}: no screenshot; {log}"
    );
    assert!(
        png.len() > 20_000,
        "{lang}: the screenshot is nearly empty ({} bytes)",
        png.len()
    );
    assert_eq!(
        console_errors(&log),
        Vec::<String>::new(),
        "{lang}: console errors"
    );

    let out = chromium(&dir, &["--dump-dom"], &page);
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{lang}: chromium --dump-dom failed: {log}"
    );
    for id in SECTIONS {
        assert!(
            dom.contains(&format!("<section id=\"{id}\">")),
            "{name} {lang}: section {id} not in the DOM"
        );
    }
    assert!(
        dom.matches("<svg").count() >= 3,
        "{name} {lang}: plots missing from the DOM"
    );
    for e in expect {
        assert!(
            dom.contains(e.as_str()),
            "{name} {lang}: `{e}` not in the DOM"
        );
    }
    assert_eq!(
        console_errors(&log),
        Vec::<String>::new(),
        "{lang}: console errors"
    );
    (dir, shot)
}

/// The escaped form of a label as the DOM dump shows it.
fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

#[test]
fn report_opens_in_headless_chromium() {
    if chromium_missing() {
        return;
    }
    let scenario = parse_scenario(BUILTIN, BUILTIN_NAME).unwrap();
    let opts = AnalyzeOptions {
        draws: 2000,
        seed: 2024,
        ..AnalyzeOptions::default()
    };
    let r = analyze(&scenario, &opts, &AtomicBool::new(false), &|_| {});
    for lang in ["en", "id"] {
        let s = Strings::load(lang).unwrap();
        // The surplus histograms and the chart of each measure per case.
        let mut expect = vec![esc(s.get("surplus_plot"))];
        let measure = r["policies"][0]["measures"]
            .as_object()
            .and_then(|m| m.values().next())
            .and_then(|m| m["name"].as_str())
            .map(|n| n.split(':').next().unwrap_or("").to_string());
        if let Some(m) = measure {
            expect.push(esc(&s.fill("measure_plot", &[("name", m)])));
        }
        let (dir, shot) = open_report(&r, lang, BUILTIN_NAME, BUILTIN, &expect);
        if std::env::var("DETENTE_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
            std::fs::copy(&shot, docs.join(format!("report-{lang}.png"))).unwrap();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The second scenario settles an issue by negotiation (the expected
/// utility model): the forecast table, the trajectory and the quadrant
/// charts render in the browser too.
#[test]
fn negotiation_report_opens_in_headless_chromium() {
    if chromium_missing() {
        return;
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/trade-blocs.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let scenario = parse_scenario(&text, path).unwrap();
    let opts = AnalyzeOptions {
        draws: 500,
        seed: 2024,
        ..AnalyzeOptions::default()
    };
    let r = analyze(&scenario, &opts, &AtomicBool::new(false), &|_| {});
    let negotiated: Vec<&serde_json::Value> = r["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["policy"] == "base" && i["forecast"].is_object())
        .collect();
    assert!(!negotiated.is_empty(), "trade-blocs negotiates an issue");
    for lang in ["en", "id"] {
        let s = Strings::load(lang).unwrap();
        let mut expect = Vec::new();
        for i in &negotiated {
            let id = i["issue"].as_str().unwrap();
            let name = i["name"].as_str().unwrap().to_string();
            expect.push(format!("<h4 id=\"forecast-{id}\">"));
            expect.push(
                esc(&s.fill(
                    "trajectory_plot",
                    &[("name", name.clone()), ("cases", String::new())],
                ))
                .trim_end()
                .to_string(),
            );
            if let Some(q) = i["forecast"]["quadrant"].as_array().and_then(|q| q.first()) {
                let focal = q["focal"].as_str().unwrap().to_string();
                expect.push("class=\"quads\"".to_string());
                expect.push(esc(&s.fill(
                    "quadrant_plot",
                    &[("focal", focal.clone()), ("name", name.clone())],
                )));
                expect.push(esc(&s.fill("quad_focal_yields", &[("focal", focal)])));
            }
        }
        let (dir, _) = open_report(&r, lang, "trade-blocs.toml", &text, &expect);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
