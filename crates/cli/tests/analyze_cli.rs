//! `detente analyze --out DIR` end to end: the three report files, and the
//! Markdown report's charts as SVG files in `DIR/figures/`, each linked in
//! place and none left over from an earlier run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("detente-analyze-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn analyze(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_detente"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .arg("analyze")
        .args(args)
        .output()
        .expect("run detente");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `figures/...` targets of the Markdown image links, in order.
fn linked(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with("!["))
        .filter_map(|l| {
            let start = l.find("](")? + 2;
            Some(l[start..l.len() - 1].to_string())
        })
        .collect()
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| format!("figures/{}", e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn markdown_report_links_every_chart_it_writes() {
    let dir = scratch("charts");
    let d = dir.to_str().unwrap();
    let (code, err) = analyze(&[
        "scenarios/trade-blocs.toml",
        "--draws",
        "60",
        "--quiet",
        "--out",
        d,
    ]);
    assert_eq!(code, 0, "{err}");
    for f in ["report.html", "report.md", "report.json"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let links = linked(&md);
    // trade-blocs has an exchange, negotiated issues, claims and policies:
    // surplus histograms, outcome ranges, trajectories, quadrant charts,
    // tornado charts and measure charts.
    assert!(links.len() >= 8, "only {} charts linked", links.len());
    let on_disk = files_in(&dir.join("figures"));
    let linked_set: BTreeSet<String> = links.iter().cloned().collect();
    assert_eq!(linked_set.len(), links.len(), "a chart linked twice");
    assert_eq!(on_disk, linked_set);
    for l in &links {
        let svg = std::fs::read_to_string(dir.join(l)).unwrap();
        assert!(svg.starts_with("<?xml"), "{l}");
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""), "{l}");
        assert!(svg.trim_end().ends_with("</svg>"), "{l}");
    }
    // The exchange section shows its chart instead of character histograms.
    let exchanges = &md[md.find("## Exchanges").unwrap()..md.find("## Votes").unwrap()];
    assert!(
        exchanges.contains("](figures/01-exchanges.svg)"),
        "{exchanges}"
    );
    assert!(!exchanges.contains('█'), "{exchanges}");
    // Every chart the HTML inlines is one file.
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(html.matches("<figure>").count(), links.len());

    // A second run with fewer charts into the same folder leaves only its own.
    let (code, err) = analyze(&["--draws", "60", "--quiet", "--lang", "id", "--out", d]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let links: BTreeSet<String> = linked(&md).into_iter().collect();
    assert!(!links.is_empty());
    assert_eq!(files_in(&dir.join("figures")), links);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unwritable_out_dir_is_a_clear_error() {
    let dir = scratch("blocked");
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    // A file where the directory should be.
    std::fs::write(&dir, "not a directory").unwrap();
    let (code, err) = analyze(&["--draws", "10", "--quiet", "--out", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(dir.to_str().unwrap()), "{err}");
    let _ = std::fs::remove_file(&dir);
}
