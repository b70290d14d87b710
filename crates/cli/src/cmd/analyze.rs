//! `detente analyze [FILE]`: every analysis over a scenario (the built-in
//! essay scenario when no file is given), with Monte Carlo over its
//! uncertain inputs, as text, Markdown or JSON, in English or Indonesian.

use anyhow::{anyhow, Context};
use clap::{Args, ValueEnum};
use detente_scenario::analysis::{analyze, AnalyzeOptions};
use detente_scenario::builtin::{BUILTIN, BUILTIN_NAME};
use detente_scenario::html;
use detente_scenario::parse_scenario;
use detente_scenario::report::{
    fnv1a64, render, render_with_figures, FigureLink, Flavour, Strings,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Md,
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Scenario file (TOML; `-` reads standard input). Without one, the
    /// built-in scenario of the essay (scenarios/dprk-russia-2024.toml).
    pub file: Option<String>,
    /// Monte Carlo draws over the uncertain inputs.
    #[arg(long, default_value_t = 10_000)]
    pub draws: usize,
    /// Seed: the same seed gives the same numbers, whatever the number of threads.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Analyze only these policies (besides the base case); repeatable.
    #[arg(long = "policy", value_name = "P")]
    pub policies: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the text, Markdown and HTML report: en or id (Bahasa Indonesia).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Never show a progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Write the report into this directory (created if needed) as
    /// report.html (self-contained: opens with no network), report.md (with
    /// its charts as SVG files in figures/) and report.json, instead of
    /// printing it.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

const MAX_DRAWS: usize = 100_000_000;

pub fn run(a: AnalyzeArgs) -> anyhow::Result<()> {
    let strings = Strings::load(&a.lang).map_err(crate::UsageError)?;
    if a.draws == 0 || a.draws > MAX_DRAWS {
        return Err(crate::UsageError(format!(
            "--draws must be between 1 and {MAX_DRAWS}, got {}",
            a.draws
        ))
        .into());
    }
    let (text, name) = match a.file.as_deref() {
        None => (BUILTIN.to_string(), BUILTIN_NAME.to_string()),
        Some("-") => {
            let mut t = String::new();
            std::io::stdin()
                .read_to_string(&mut t)
                .context("reading the scenario from standard input")?;
            (t, "<stdin>".to_string())
        }
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("{path}: cannot read the scenario file"))?,
            path.to_string(),
        ),
    };
    let mut scenario = parse_scenario(&text, &name).map_err(|e| anyhow!("{e}"))?;
    if !a.policies.is_empty() {
        scenario
            .retain_policies(&a.policies)
            .map_err(crate::UsageError)?;
    }

    // Ctrl-C: the first stops the run between chunks and reports what was
    // drawn; a second one ends the program at once.
    let cancel = Arc::new(AtomicBool::new(false));
    super::stop_on_ctrl_c(&cancel);

    let bar = if !a.quiet && std::io::stderr().is_terminal() {
        let b = ProgressBar::with_draw_target(Some(a.draws as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} draws {pos}/{len} [{bar:40}] {per_sec} eta {eta}",
            )
            .map_err(|e| anyhow!("progress bar: {e}"))?
            .progress_chars("=> "),
        );
        Some(b)
    } else {
        None
    };
    let progress = |done: usize| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    };
    let opts = AnalyzeOptions {
        draws: a.draws,
        seed: a.seed,
        ..AnalyzeOptions::default()
    };
    let report = analyze(&scenario, &opts, &cancel, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if cancel.load(Ordering::Relaxed) {
        eprintln!(
            "detente: interrupted: reporting the {} draws finished",
            report["run"]["draws"]
        );
    }
    let repro = vec![
        (
            strings.get("version").to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        (
            strings.get("input_hash").to_string(),
            fnv1a64(text.as_bytes()),
        ),
        ("scenario".to_string(), name.clone()),
    ];
    if let Some(dir) = &a.out {
        let mut json = report.clone();
        if let Some(run) = json.get_mut("run").and_then(|r| r.as_object_mut()) {
            run.insert("version".into(), env!("CARGO_PKG_VERSION").into());
            run.insert("input_hash".into(), fnv1a64(text.as_bytes()).into());
            run.insert("input".into(), name.clone().into());
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
        let (page, figures) = html::render_html_with_figures(&report, &strings, &repro);
        let fig_dir = dir.join("figures");
        let paths = write_figures(&fig_dir, &figures)?;
        let links: Vec<FigureLink> = figures
            .iter()
            .zip(&paths)
            .map(|(f, p)| FigureLink {
                section: f.section,
                path: p,
                title: &f.title,
                caption: &f.caption,
            })
            .collect();
        let files = [
            ("report.html", page),
            (
                "report.md",
                render_with_figures(&report, &strings, Flavour::Markdown, &repro, &links),
            ),
            (
                "report.json",
                format!("{}\n", serde_json::to_string_pretty(&json)?),
            ),
        ];
        for (file, body) in files {
            let path = dir.join(file);
            std::fs::write(&path, body)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            eprintln!("detente: wrote {}", path.display());
        }
        if !figures.is_empty() {
            eprintln!(
                "detente: wrote {} charts into {}",
                figures.len(),
                fig_dir.display()
            );
        }
        return Ok(());
    }
    match a.format {
        Format::Json => {
            let mut report = report;
            if let Some(run) = report.get_mut("run").and_then(|r| r.as_object_mut()) {
                run.insert("version".into(), env!("CARGO_PKG_VERSION").into());
                run.insert("input_hash".into(), fnv1a64(text.as_bytes()).into());
                run.insert("input".into(), name.into());
            }
            super::emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
        }
        Format::Text => super::emit(&render(&report, &strings, Flavour::Text, &repro))?,
        Format::Md => super::emit(&render(&report, &strings, Flavour::Markdown, &repro))?,
    }
    Ok(())
}

/// Writes each chart as `figures/NN-SECTION.svg` (a standalone SVG file) and
/// returns the paths relative to the report. Charts of an earlier run in the
/// same directory (files named like ours) are removed first, so the folder
/// holds exactly the charts report.md links.
fn write_figures(
    fig_dir: &std::path::Path,
    figures: &[html::Figure],
) -> anyhow::Result<Vec<String>> {
    let ours = |name: &str| {
        name.len() > 3
            && name.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && name.as_bytes()[2] == b'-'
            && name.ends_with(".svg")
    };
    if let Ok(old) = std::fs::read_dir(fig_dir) {
        for entry in old.flatten() {
            if entry.file_name().to_str().is_some_and(ours) {
                let path = entry.path();
                std::fs::remove_file(&path)
                    .with_context(|| format!("{}: cannot remove the old chart", path.display()))?;
            }
        }
    }
    if figures.is_empty() {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(fig_dir)
        .with_context(|| format!("{}: cannot create the directory", fig_dir.display()))?;
    let mut paths = Vec::with_capacity(figures.len());
    for (k, f) in figures.iter().enumerate() {
        let name = format!("{:02}-{}.svg", k + 1, f.section);
        let path = fig_dir.join(&name);
        let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n", f.svg);
        std::fs::write(&path, body).with_context(|| format!("{}: cannot write", path.display()))?;
        paths.push(format!("figures/{name}"));
    }
    Ok(paths)
}
