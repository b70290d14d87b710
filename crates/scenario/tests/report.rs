//! The report's distributions, negotiation forecasts, quadrant charts and
//! game draws, on the built-in scenario's analysis with those parts filled
//! in the shape the analysis gives them (histograms of 20 bins whose counts
//! sum to the draws; `issues[].forecast` with rounds and, for the expected
//! utility model, quadrant points; `games[].draws`): every part is drawn
//! in HTML and written in text and Markdown, in every language, and the
//! numbers shown follow the data.
//!
//! The pages are also written to `CARGO_TARGET_TMPDIR` for a look.

use detente_scenario::analysis::{analyze, AnalyzeOptions};
use detente_scenario::builtin::{BUILTIN, BUILTIN_NAME};
use detente_scenario::html::render_html;
use detente_scenario::parse_scenario;
use detente_scenario::report::{render, summary_sentences, Flavour, Strings, LANGUAGES};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

const DRAWS: usize = 300;

fn essay() -> Value {
    let s = parse_scenario(BUILTIN, BUILTIN_NAME).expect("the built-in scenario parses");
    let opts = AnalyzeOptions {
        draws: DRAWS,
        seed: 11,
        ..AnalyzeOptions::default()
    };
    analyze(&s, &opts, &AtomicBool::new(false), &|_| {})
}

/// A 20-bin histogram over min..max of a statistics object, peaked at its
/// median, counts summing to `DRAWS`.
fn histogram(st: &Value) -> Value {
    let lo = st["min"].as_f64().unwrap();
    let hi = st["max"].as_f64().unwrap();
    let mid = st["p50"].as_f64().unwrap();
    let w = (hi - lo) / 20.0;
    let edges: Vec<f64> = (0..=20).map(|k| lo + w * k as f64).collect();
    let weight: Vec<f64> = (0..20)
        .map(|k| {
            let c = lo + w * (k as f64 + 0.5);
            1.0 / (1.0 + ((c - mid) / (hi - lo + 1e-9) * 6.0).powi(2))
        })
        .collect();
    let total: f64 = weight.iter().sum();
    let mut counts: Vec<u64> = weight
        .iter()
        .map(|x| (x / total * DRAWS as f64).floor() as u64)
        .collect();
    let short = DRAWS as u64 - counts.iter().sum::<u64>();
    counts[10] += short;
    json!({"edges": edges, "counts": counts})
}

/// The built-in analysis with histograms, a negotiation forecast (EUM,
/// with quadrants) on the first issue and draws on every game.
fn filled(forecast: f64) -> Value {
    let mut r = essay();
    for x in r["exchanges"].as_array_mut().unwrap() {
        let parties: Vec<String> = x["surplus_draws"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut dist = serde_json::Map::new();
        for p in parties {
            let mut st = x["surplus_draws"][&p].clone();
            st["histogram"] = histogram(&st);
            dist.insert(p, st);
        }
        x["distribution"] = Value::Object(dist);
        let h = histogram(&x["world_sum_draws"]);
        x["world_sum_draws"]["histogram"] = h;
    }
    let actors = ["PRK", "RUS", "USA", "KOR", "JPN", "CHN"];
    for i in r["issues"].as_array_mut().unwrap() {
        if i["issue"] != "talks" {
            continue;
        }
        // The base case and one policy share a trajectory; the others move
        // the forecast by 10.
        let shift = if i["policy"] == "base" || i["policy"] == "a_talks" {
            0.0
        } else {
            10.0
        };
        let start = [0.0, 20.0, 90.0, 70.0, 80.0, 30.0];
        let rounds: Vec<Vec<f64>> = (0..6)
            .map(|t| {
                start
                    .iter()
                    .map(|x| x + (forecast + shift - x) * t as f64 / 5.0)
                    .collect()
            })
            .collect();
        i["rule"] = json!({"kind": "negotiation", "model": "eum"});
        i["forecast"] = json!({
            "model": "eum",
            "preset": "scholz",
            "actors": actors,
            "rounds": rounds,
            "stop": "converged",
            "forecast": forecast + shift,
            "quadrant": [
                {"focal": "USA", "points": [
                    {"actor": "PRK", "x": 0.4, "y": 0.2},
                    {"actor": "RUS", "x": -0.1, "y": 0.3},
                    {"actor": "KOR", "x": -0.2, "y": -0.1},
                    {"actor": "JPN", "x": 0.3, "y": -0.25},
                    {"actor": "CHN", "x": 0.05, "y": 0.01}
                ]},
                {"focal": "PRK", "points": [
                    {"actor": "USA", "x": -0.3, "y": 0.35},
                    {"actor": "RUS", "x": 0.2, "y": -0.05}
                ]}
            ]
        });
        i["outcome"] = json!(forecast + shift);
    }
    for g in r["games"].as_array_mut().unwrap() {
        g["draws"] = json!({
            "method": "enummixed",
            "equilibria": [
                {"profile": [["1", "0"], ["1", "0"]], "probability": 0.75,
                 "labels": ["Negotiate", "Freeze"]},
                {"profile": [["0", "1"], ["0", "1"]], "probability": 1.0,
                 "labels": ["Pressure", "Expand"]}
            ],
            "p_unique": 0.25,
            "p_none": 0.0
        });
    }
    r
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn dump(name: &str, text: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let _ = std::fs::write(dir.join(name), text);
}

#[test]
fn html_draws_histograms_trajectories_and_quadrants() {
    let r = filled(40.0);
    for (code, _) in LANGUAGES {
        let s = Strings::load(code).unwrap();
        let html = render_html(&r, &s, &[]);
        dump(&format!("report-synthetic-{code}.html"), &html);
        if code != "en" {
            no_english_label(&html, code);
        }
        assert!(!html.contains("NaN") && !html.contains("(no plot") && !html.contains("(tanpa"));
        // Histogram bars: at least one rectangle per non-empty bin per row.
        let legend = esc(s.get("hist_legend"));
        assert!(html.contains(&legend), "{code}: histogram legend");
        assert!(
            !html.contains(s.get("range_legend").split(';').next().unwrap()) || {
                // The range legend remains for the issue and measure charts only.
                html.matches(&format!(". {}", s.get("range_legend")))
                    .count()
                    == r["issues"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|i| i["policy"] == "base")
                        .count()
                        + r["policies"][0]["measures"].as_object().unwrap().len()
            }
        );
        // Two distinct trajectories (the shift of 10 and none), each charted
        // once, naming the cases that share it.
        let traj = s.fill(
            "trajectory_plot",
            &[("name", String::new()), ("cases", String::new())],
        );
        let stem = traj.split(':').next().unwrap().trim();
        let figures = html.matches("<figcaption>").filter(|_| true).count();
        assert!(figures > 0);
        let n_traj = html.matches(&format!("aria-label=\"{stem}")).count();
        assert_eq!(n_traj, 2, "{code}: trajectory charts");
        let both = format!("{}, a_talks", s.get("base"));
        assert!(
            html.contains(&both),
            "{code}: shared trajectory names its cases"
        );
        // Quadrant charts: one per focal actor, labelled in the language.
        assert_eq!(html.matches("class=\"quads\"").count(), 1);
        for key in ["quad_conflict", "quad_status_quo", "quad_other_yields"] {
            assert!(
                html.contains(&format!(">\n{}\n<", s.get(key)))
                    || html.contains(&format!(">{}<", s.get(key))),
                "{code}: quadrant label {key}"
            );
        }
        assert!(html.contains(&s.fill("quad_focal_yields", &[("focal", "USA".into())])));
        assert!(html.contains(&s.fill("quad_focal_yields", &[("focal", "PRK".into())])));
        // Game draws as a table.
        assert!(
            html.contains(&s.fill("p_unique", &[("p", "25%".into())])),
            "{code}"
        );
        assert!(
            html.contains("<tr><td>Negotiate</td><td>Freeze</td><td class=\"num\">75%</td></tr>"),
            "{code}: draws table, a column per player"
        );
        // Most frequent first.
        let draws = &html[html.find(&esc(s.get("share_of_draws"))).unwrap()..];
        let hi = draws.find("<td>Pressure</td><td>Expand</td>").unwrap();
        let lo = draws.find("<td>Negotiate</td><td>Freeze</td>").unwrap();
        assert!(hi < lo, "{code}: most frequent equilibrium first");
        assert!(!html.contains(&s.fill("p_none", &[("p", "0%".into())])));
        // The forecast sentence, with the forecast computed.
        assert!(summary_sentences(&r, &s)
            .iter()
            .any(|l| l.contains(&s.get("model_eum").to_string()) && l.contains("40")));
    }
}

#[test]
fn svg_counts_follow_the_data() {
    let r = filled(40.0);
    let s = Strings::load("en").unwrap();
    let html = render_html(&r, &s, &[]);
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
    let measures = r["policies"][0]["measures"].as_object().unwrap().len();
    // exchanges (histograms) + issues (outcome per case) + 2 trajectories
    // + 2 quadrant charts + claims (tornado) + measures.
    assert_eq!(
        html.matches("<svg").count(),
        exchanges.len() + issues + 2 + 2 + claims + measures
    );
}

#[test]
fn text_and_markdown_carry_forecasts_and_distributions() {
    let r = filled(40.0);
    for (code, _) in LANGUAGES {
        let s = Strings::load(code).unwrap();
        let text = render(&r, &s, Flavour::Text, &[]);
        dump(&format!("report-synthetic-{code}.txt"), &text);
        for (k, line) in text.lines().enumerate() {
            // A single unbreakable word (a long URL) may run over.
            assert!(
                line.chars().count() <= 100 || !line.trim().contains(' '),
                "{code}: line {} is {} columns: {line}",
                k + 1,
                line.chars().count()
            );
        }
        assert!(text.contains(s.get("forecasts")), "{code}");
        assert!(text.contains('█'), "{code}: sparklines");
        assert!(
            text.contains("PRK 0 → 40"),
            "{code}: positions start to end"
        );
        assert!(text.contains(&s.fill("quadrant_of", &[("focal", "USA".into())])));
        assert!(text.contains(&format!("{}: PRK", s.get("quad_conflict"))));
        assert!(text.contains(&s.fill("p_unique", &[("p", "25%".into())])));
        let md = render(&r, &s, Flavour::Markdown, &[]);
        dump(&format!("report-synthetic-{code}.md"), &md);
        assert!(
            md.contains(&format!("### {}", s.get("forecasts"))),
            "{code}"
        );
        assert!(
            md.contains(" `") && md.contains('█'),
            "{code}: md sparklines"
        );
    }
}

#[test]
fn forecast_sentence_follows_the_forecast() {
    let s = Strings::load("en").unwrap();
    let line = |r: &Value| -> String {
        summary_sentences(r, &s)
            .into_iter()
            .find(|l| l.contains("the negotiation settles at"))
            .expect("a forecast sentence")
    };
    let a = line(&filled(40.0));
    let b = line(&filled(62.5));
    assert!(a.contains("at 40 on"), "{a}");
    assert!(b.contains("at 62.5 on"), "{b}");
    // The policies that move it are named with their forecasts.
    assert!(a.contains("b_sanctions 50"), "{a}");
    assert!(!a.contains("a_talks"), "{a}");
}

#[test]
fn malformed_parts_are_skipped_not_fatal() {
    let mut r = filled(40.0);
    r["exchanges"][0]["distribution"]["PRK"]["histogram"] =
        json!({"edges": [0, 1], "counts": [1, 2]});
    r["issues"][1]["forecast"] = json!({"model": "eum", "rounds": "x", "quadrant": 3});
    r["games"][0]["draws"] = json!({"equilibria": [{"profile": null}]});
    // A model that failed: no rounds, an error, the status quo instead.
    for i in r["issues"].as_array_mut().unwrap() {
        if i["issue"] == "talks" && i["policy"] == "base" {
            i["forecast"] = json!({"model": "smp", "preset": null, "actors": ["A"], "rounds": [],
                "stop": null, "forecast": 0.0, "quadrant": [], "error": "salience all zero"});
        }
    }
    let s = Strings::load("en").unwrap();
    let html = render_html(&r, &s, &[]);
    assert!(!html.contains("NaN"));
    // A histogram that cannot be drawn (all bins empty) gives way to the
    // range chart instead of a missing plot.
    let mut z = filled(40.0);
    for x in z["exchanges"].as_array_mut().unwrap() {
        for (_, d) in x["distribution"].as_object_mut().unwrap() {
            d["histogram"]["counts"] = json!(vec![0; 20]);
        }
        x["world_sum_draws"]["histogram"]["counts"] = json!(vec![0; 20]);
    }
    let html_z = render_html(&z, &s, &[]);
    assert!(!html_z.contains("(no plot"));
    assert!(html_z.contains(&esc(s.get("range_legend"))));
    assert!(!html_z.contains(&esc(s.get("hist_legend"))));
    let text = render(&r, &s, Flavour::Text, &[]);
    assert!(!text.contains("NaN"));
    assert!(html.contains("salience all zero") && text.contains("salience all zero"));
    assert!(!html.contains("(no plot"));
    assert!(summary_sentences(&r, &s)
        .iter()
        .any(|l| l.contains("model failed (salience all zero)")));
}

/// The second shipped scenario settles an issue by negotiation with the
/// expected utility model: its report charts the trajectory and the
/// quadrants, and the summary gives the forecast the analysis computed.
#[test]
fn trade_blocs_negotiation_is_charted() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/trade-blocs.toml"
    );
    let text = std::fs::read_to_string(path).expect("scenarios/trade-blocs.toml");
    let sc = parse_scenario(&text, path).expect("trade-blocs parses");
    let opts = AnalyzeOptions {
        draws: 200,
        seed: 3,
        ..AnalyzeOptions::default()
    };
    let r = analyze(&sc, &opts, &AtomicBool::new(false), &|_| {});
    let negotiated: Vec<&Value> = r["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["policy"] == "base" && i["rule"]["kind"] == "negotiation")
        .collect();
    assert!(!negotiated.is_empty(), "trade-blocs has a negotiated issue");
    for (code, _) in LANGUAGES {
        let s = Strings::load(code).unwrap();
        let html = render_html(&r, &s, &[]);
        dump(&format!("report-trade-blocs-{code}.html"), &html);
        let md = render(&r, &s, Flavour::Markdown, &[]);
        dump(&format!("report-trade-blocs-{code}.md"), &md);
        let txt = render(&r, &s, Flavour::Text, &[]);
        dump(&format!("report-trade-blocs-{code}.txt"), &txt);
        assert!(!html.contains("NaN") && !html.contains("(no plot") && !html.contains("(tanpa"));
        let summary = summary_sentences(&r, &s);
        for b in &negotiated {
            let fc = &b["forecast"];
            assert!(fc.is_object(), "{}: a forecast", b["issue"]);
            assert!(
                html.contains(&format!(
                    "<h4 id=\"forecast-{}\">",
                    b["issue"].as_str().unwrap()
                )),
                "{code}: forecast heading"
            );
            let shown = {
                let x = format!("{:.2}", fc["forecast"].as_f64().unwrap());
                let x = x.trim_end_matches('0').trim_end_matches('.').to_string();
                if x == "-0" {
                    "0".to_string()
                } else {
                    x
                }
            };
            let name = b["name"].as_str().unwrap();
            assert!(
                summary
                    .iter()
                    .any(|l| l.starts_with(name) && l.contains(&shown)),
                "{code}: forecast {shown} of {name} in the summary {summary:?}"
            );
            if fc["model"] == "eum" && fc["quadrant"].as_array().is_some_and(|q| !q.is_empty()) {
                assert!(html.contains("class=\"quads\""), "{code}: quadrant charts");
                assert!(txt.contains(&s.fill(
                    "quadrant_of",
                    &[(
                        "focal",
                        fc["quadrant"][0]["focal"].as_str().unwrap().to_string()
                    )]
                )));
            }
        }
        assert!(txt.contains(s.get("forecasts")) && md.contains(s.get("forecasts")));
        if code != "en" {
            no_english_label(&html, code);
        }
    }
}

/// No English label of the language file shows in a page in another
/// language (labels the two languages share excepted).
fn no_english_label(html: &str, code: &str) {
    let table = |c: &str| -> HashMap<String, String> {
        let text = LANGUAGES.iter().find(|l| l.0 == c).unwrap().1;
        toml::from_str(text).unwrap()
    };
    let (en, other) = (table("en"), table(code));
    for (k, v) in &en {
        if other.get(k) == Some(v) || v.contains('{') {
            continue;
        }
        let v = esc(v);
        for form in [
            format!(">{v}<"),
            format!(">{v}:"),
            format!(">\n{v}\n<"),
            format!("label=\"{v}"),
        ] {
            assert!(
                !html.contains(&form),
                "English `{k}` ({form}) in the {code} report"
            );
        }
    }
}
