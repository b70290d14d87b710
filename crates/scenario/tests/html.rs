//! The HTML report of the built-in essay scenario, in every shipped
//! language: every section present, every plot drawn, no NaN, no
//! untranslated label, and the numbers of the summary taken from the
//! analysis.

use detente_scenario::analysis::{analyze, AnalyzeOptions};
use detente_scenario::builtin::{BUILTIN, BUILTIN_NAME};
use detente_scenario::html::{render_html, SECTIONS};
use detente_scenario::parse_scenario;
use detente_scenario::report::{summary_sentences, Strings, LANGUAGES};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

fn essay(draws: usize) -> Value {
    let s = parse_scenario(BUILTIN, BUILTIN_NAME).expect("the built-in scenario parses");
    let opts = AnalyzeOptions {
        draws,
        seed: 7,
        ..AnalyzeOptions::default()
    };
    analyze(&s, &opts, &AtomicBool::new(false), &|_| {})
}

#[test]
fn every_language_renders_every_section_with_plots() {
    let r = essay(400);
    for (code, _) in LANGUAGES {
        let s = Strings::load(code).unwrap();
        let html = render_html(&r, &s, &[("v".into(), "0".into())]);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{code}\">")), "{code}");
        for id in SECTIONS {
            assert!(
                html.contains(&format!("<section id=\"{id}\">")),
                "{code}: section {id}"
            );
            assert!(
                html.contains(&format!("<h2>{}</h2>", s.get(id))),
                "{code}: heading {id}"
            );
        }
        // Plots: one per exchange, one per issue, one per claim with sensitivities.
        let exchanges: std::collections::BTreeSet<&str> = r["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x["exchange"].as_str())
            .collect();
        let issues = r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["policy"] == "base")
            .count();
        let claims = r["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["sensitivity"].as_array().is_some_and(|a| !a.is_empty()))
            .count();
        // One per measure across the cases; per negotiated issue one per
        // distinct trajectory and one per focal actor (at most four) of
        // the quadrant chart.
        let measures = r["policies"][0]["measures"]
            .as_object()
            .map_or(0, |m| m.len());
        let mut forecast_plots = 0;
        for b in r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["policy"] == "base")
        {
            let mut seen: Vec<&Value> = Vec::new();
            let mut quads = 0;
            for i in r["issues"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["issue"] == b["issue"])
            {
                let fc = &i["forecast"];
                if !fc.is_object() {
                    continue;
                }
                if !seen.iter().any(|g| {
                    g["rounds"] == fc["rounds"]
                        && g["actors"] == fc["actors"]
                        && g["forecast"] == fc["forecast"]
                }) {
                    seen.push(fc);
                }
                if quads == 0 {
                    quads = fc["quadrant"].as_array().map_or(0, |q| q.len().min(4));
                }
            }
            forecast_plots += seen.len() + quads;
        }
        let svgs = html.matches("<svg").count();
        assert_eq!(
            svgs,
            exchanges.len() + issues + claims + measures + forecast_plots,
            "{code}: plots"
        );
        assert!(
            !html.contains("(no plot") && !html.contains("(tanpa grafik"),
            "{code}: a plot failed"
        );
        assert!(!html.contains("NaN") && !html.contains("inf<"), "{code}");
        // No network: nothing is loaded from elsewhere.
        assert!(
            !html.contains("<script") && !html.contains("src=\"http") && !html.contains("@import")
        );
        // The summary sentences are there, escaped.
        for line in summary_sentences(&r, &s) {
            let escaped = line
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;");
            assert!(html.contains(&escaped), "{code}: summary line {line}");
        }
        // Every ballot of every vote is in a table cell.
        let cells = html.matches("<td class=\"yes\">").count()
            + html.matches("<td class=\"no\">").count()
            + html.matches("<td class=\"abstain\">").count();
        let ballots: usize = r["votes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["ballots"].as_object().unwrap().len())
            .sum();
        assert_eq!(cells, ballots, "{code}");
    }
}

#[test]
fn indonesian_report_has_no_english_label() {
    let r = essay(200);
    let en: HashMap<String, String> = toml::from_str(LANGUAGES[0].1).unwrap();
    let id: HashMap<String, String> = toml::from_str(LANGUAGES[1].1).unwrap();
    let html = render_html(&r, &Strings::load("id").unwrap(), &[]);
    for (k, v) in &en {
        if id.get(k) == Some(v) || v.contains('{') {
            continue;
        }
        for form in [
            format!(">{v}<"),
            format!(">{v}:"),
            format!(">\n{v}\n<"),
            format!("label=\"{v}"),
        ] {
            assert!(
                !html.contains(&form),
                "English `{k}` ({form}) in the Indonesian report"
            );
        }
    }
    assert!(html.contains("Ringkasan") && html.contains("Reproduksibilitas"));
}

#[test]
fn summary_numbers_follow_the_analysis() {
    // The win-win share printed is the one computed, not a constant.
    let r = essay(300);
    let s = Strings::load("en").unwrap();
    let html = render_html(&r, &s, &[]);
    let x = r["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["policy"] == "base")
        .unwrap();
    let p = x["p_win_win"].as_f64().unwrap() * 100.0;
    let shown = if p > 99.0 && p < 100.0 {
        ">99%".to_string()
    } else if p > 0.0 && p < 1.0 {
        "<1%".into()
    } else {
        format!("{p:.0}%")
    };
    let shown = shown.replace('>', "&gt;").replace('<', "&lt;");
    assert!(html.contains(&format!("in {shown} of draws")), "{shown}");
    let mut r2 = r.clone();
    r2["exchanges"][0]["p_win_win"] = Value::from(0.123);
    r2["exchanges"][0]["policy"] = Value::from("base");
    assert!(render_html(&r2, &s, &[]).contains("in 12% of draws"));
}
