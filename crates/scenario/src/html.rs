//! The analysis report as one self-contained HTML page: inline CSS and
//! inline SVG plots (from [`crate::plots`]), no script, no web font, no
//! network. Every label and sentence comes from the language's resource
//! file (see [`crate::report::Strings`]); every number from the analysis
//! JSON built by [`crate::analysis::analyze`].

use crate::plots::{
    histogram_rows, quadrant, range_chart, tornado, trajectories, HistRow, RangeRow, TornadoBar,
};
use crate::report::{
    case_label, claim_sentence, draw_equilibria, forecast_groups, game_draws_line, histogram_of,
    model_label, num, party_distribution, pct, profile_text, quadrant_labels, same_as_base,
    stop_text, strs, summary_sentences, vote_sentence, Strings, MAX_FOCALS,
};
use serde_json::Value;
use std::fmt::Write as _;

/// The section ids of the page, in order (each is an `<section id=..>`).
pub const SECTIONS: [&str; 9] = [
    "summary",
    "exchanges",
    "votes",
    "issues",
    "games",
    "claims",
    "policies",
    "assumptions",
    "reproducibility",
];

const CSS: &str = r#"
:root { --ink: #222; --muted: #5f5f5f; --rule: #d9d9d9; --zebra: #f6f7f9; --accent: #0072b2;
  --yes: #d4efe6; --no: #f8dccb; --abstain: #ececec; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0 auto; max-width: 62rem; padding: 2rem 1.5rem 4rem; color: var(--ink); background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 1.4rem; margin: 2.6rem 0 .8rem; padding-bottom: .25rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 1.8rem 0 .5rem; }
p, li { max-width: 48rem; }
.lede { color: var(--muted); margin: 0 0 1rem; }
nav { font-size: .95rem; border: 1px solid var(--rule); border-radius: 6px; padding: .6rem 1rem; margin: 1rem 0; }
nav ol { margin: .2rem 0; padding-left: 1.4rem; columns: 2; }
nav a { color: var(--accent); text-decoration: none; }
a { color: var(--accent); }
.summary li { margin: .35rem 0; }
.summary { font-size: 1.05rem; }
.notice { background: #fff4d6; border-left: 4px solid #e69f00; padding: .5rem .8rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .92rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .65rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #999; background: #fafafa; }
tbody tr:nth-child(even) { background: var(--zebra); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.yes { background: var(--yes); }
td.no { background: var(--no); font-weight: 600; }
td.abstain { background: var(--abstain); color: var(--muted); }
.wrap { overflow-x: auto; }
figure { margin: .8rem 0 1.4rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
.quads { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 0 1.2rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .4rem; }
figcaption { font-size: .88rem; color: var(--muted); margin-top: .3rem; max-width: 48rem; }
.sentence { margin: .4rem 0; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  tbody tr:nth-child(even) { background: none; }
}
"#;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn arr(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

fn f(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite())
}

/// A [`RangeRow`] from a statistics object (`mean`, `p5`, `p50`, `p95`,
/// `min`, `max`), or `None` when one is missing.
fn range_row(label: String, st: &Value, point: Option<f64>, accent: bool) -> Option<RangeRow> {
    Some(RangeRow {
        label,
        min: f(&st["min"])?,
        p5: f(&st["p5"])?,
        p50: f(&st["p50"])?,
        p95: f(&st["p95"])?,
        max: f(&st["max"])?,
        mean: f(&st["mean"])?,
        point,
        accent,
    })
}

/// A [`HistRow`] from a statistics object with a `histogram` (`edges`,
/// `counts`) and its `p5`, `p50`, `p95`, or `None` without a histogram.
fn hist_row(label: String, st: &Value, point: Option<f64>, accent: bool) -> Option<HistRow> {
    let (edges, counts) = histogram_of(st)?;
    Some(HistRow {
        label,
        edges,
        counts,
        p5: f(&st["p5"]),
        p50: f(&st["p50"]),
        p95: f(&st["p95"]),
        point,
        accent,
    })
}

/// Gives the SVG a `viewBox` (so CSS can scale it) and an accessible label.
fn svg_scalable(svg: &str, label: &str) -> String {
    let Some(rest) = svg.strip_prefix("<svg") else {
        return svg.to_string();
    };
    let dim = |name: &str| -> Option<String> {
        let head = &rest[..rest.find('>')?];
        let at = head.find(&format!("{name}=\""))? + name.len() + 2;
        Some(head[at..].split('"').next()?.to_string())
    };
    let mut attrs = format!(" role=\"img\" aria-label=\"{}\"", esc(label));
    if !rest[..rest.find('>').unwrap_or(0)].contains("viewBox") {
        if let (Some(w), Some(h)) = (dim("width"), dim("height")) {
            let _ = write!(attrs, " viewBox=\"0 0 {w} {h}\"");
        }
    }
    format!("<svg{attrs}{rest}")
}

/// A chart of the report: the section it belongs to, its title (the
/// accessible label), its caption and the SVG document. The HTML report
/// inlines it; the Markdown report under `--out` writes it to a file beside
/// `report.md` and links it in place.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The id of the section (one of [`SECTIONS`]).
    pub section: &'static str,
    pub title: String,
    pub caption: String,
    /// A standalone SVG document (with `viewBox` and the SVG namespace).
    pub svg: String,
}

/// The HTML being written and the figures drawn so far.
struct Page {
    html: String,
    section: &'static str,
    figures: Vec<Figure>,
}

impl std::fmt::Write for Page {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        Ok(())
    }
}

impl Page {
    fn push_str(&mut self, s: &str) {
        self.html.push_str(s);
    }

    /// Inlines a chart with its caption (and records it), or says why it
    /// could not be drawn.
    fn figure(&mut self, plot: Result<String, String>, label: &str, caption: &str, s: &Strings) {
        match plot {
            Ok(svg) => {
                let svg = svg_scalable(&svg, label);
                let _ = writeln!(
                    self.html,
                    "<figure>{svg}<figcaption>{}</figcaption></figure>",
                    esc(caption)
                );
                self.figures.push(Figure {
                    section: self.section,
                    title: label.to_string(),
                    caption: caption.to_string(),
                    svg,
                });
            }
            Err(why) => {
                let _ = writeln!(
                    self.html,
                    "<p class=\"lede\">{}</p>",
                    esc(&s.fill("plot_missing", &[("why", why)]))
                );
            }
        }
    }
}

/// A table; `num_cols` marks right-aligned columns. Cells are escaped.
fn table(header: &[String], rows: &[Vec<String>], num_cols: &[usize]) -> String {
    let mut out = String::from("<div class=\"wrap\"><table>\n<thead><tr>");
    for (k, h) in header.iter().enumerate() {
        let class = if num_cols.contains(&k) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(out, "<th{class}>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            let class = if num_cols.contains(&k) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

fn provenance(p: &Value, s: &Strings) -> String {
    match p {
        Value::String(j) if j == "judgment" => s.get("judgment").to_string(),
        Value::Object(m) => match m.get("source").and_then(|x| x.as_str()) {
            Some(src) => format!("{}: {src}", s.get("source")),
            None => s.get("unstated").to_string(),
        },
        _ => s.get("unstated").to_string(),
    }
}

fn section_exchanges(r: &Value, s: &Strings, out: &mut Page) {
    let exchanges: Vec<&Value> = arr(&r["exchanges"]).collect();
    let mut ids: Vec<&str> = Vec::new();
    for x in &exchanges {
        if let Some(id) = x["exchange"].as_str() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    for id in ids {
        let cases: Vec<&&Value> = exchanges
            .iter()
            .filter(|x| x["exchange"] == id && !same_as_base(x, &exchanges))
            .collect();
        let Some(first) = cases.first() else { continue };
        let _ = writeln!(out, "<h3>{}</h3>", esc(text(&first["name"])));
        let mut rows = Vec::new();
        let mut plot_rows = Vec::new();
        let mut hist_rows = Vec::new();
        for x in &cases {
            let case = case_label(text(&x["policy"]), s);
            let suffix = if x["policy"] == "base" {
                String::new()
            } else {
                format!(" ({case})")
            };
            for (party, st) in x["surplus_draws"].as_object().into_iter().flatten() {
                let dist = party_distribution(x, party);
                rows.push(vec![
                    case.clone(),
                    party.clone(),
                    num(&x["surplus"][party]),
                    num(&st["mean"]),
                    format!("{} .. {}", num(&st["p5"]), num(&st["p95"])),
                    pct(&st["p_gain"]),
                ]);
                plot_rows.extend(range_row(
                    format!("{party}{suffix}"),
                    st,
                    f(&x["surplus"][party]),
                    false,
                ));
                hist_rows.push(hist_row(
                    format!("{party}{suffix}"),
                    dist,
                    f(&x["surplus"][party]),
                    false,
                ));
            }
            for (party, v) in x["third_parties"].as_object().into_iter().flatten() {
                rows.push(vec![
                    case.clone(),
                    format!("{party} ({})", s.get("third_parties")),
                    num(v),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            let world = s.get("world").to_string();
            rows.push(vec![
                case.clone(),
                world.clone(),
                num(&x["world_sum"]),
                num(&x["world_sum_draws"]["mean"]),
                format!(
                    "{} .. {}",
                    num(&x["world_sum_draws"]["p5"]),
                    num(&x["world_sum_draws"]["p95"])
                ),
                pct(&x["p_positive_sum"]),
            ]);
            plot_rows.extend(range_row(
                format!("{world}{suffix}"),
                &x["world_sum_draws"],
                f(&x["world_sum"]),
                true,
            ));
            hist_rows.push(hist_row(
                format!("{world}{suffix}"),
                &x["world_sum_draws"],
                f(&x["world_sum"]),
                true,
            ));
        }
        let header: Vec<String> = ["case", "party", "surplus", "mean", "range_90", "p_gain"]
            .iter()
            .map(|k| s.get(k).to_string())
            .collect();
        out.push_str(&table(&header, &rows, &[2, 3, 4, 5]));
        // Histograms where the analysis has them for every row; otherwise
        // the range chart, so that no row is lost.
        let hist_rows: Option<Vec<HistRow>> = hist_rows.into_iter().collect();
        let hist = hist_rows
            .filter(|h| !h.is_empty())
            .map(|h| histogram_rows(&h, Some((0.0, s.get("no_gain"))), s.get("surplus")));
        match hist {
            Some(Ok(svg)) => {
                let caption = format!("{}. {}", s.get("surplus_plot"), s.get("hist_legend"));
                out.figure(Ok(svg), s.get("surplus_plot"), &caption, s);
            }
            // No histogram, or none that can be drawn: the range chart.
            _ => {
                let caption = format!("{}. {}", s.get("surplus_plot"), s.get("range_legend"));
                out.figure(
                    range_chart(&plot_rows, Some((0.0, s.get("no_gain"))), s.get("surplus")),
                    s.get("surplus_plot"),
                    &caption,
                    s,
                );
            }
        }
    }
}

fn section_votes(r: &Value, s: &Strings, out: &mut Page) {
    let votes: Vec<&Value> = arr(&r["votes"]).collect();
    let mut proposals: Vec<&str> = Vec::new();
    for v in &votes {
        if let Some(p) = v["proposal"].as_str() {
            if !proposals.contains(&p) {
                proposals.push(p);
            }
        }
    }
    for p in proposals {
        let cases: Vec<&&Value> = votes.iter().filter(|v| v["proposal"] == p).collect();
        let Some(first) = cases.first() else { continue };
        let _ = writeln!(
            out,
            "<h3>{} <small>({})</small></h3>",
            esc(text(&first["name"])),
            esc(text(&first["body"]))
        );
        out.push_str("<ul>\n");
        for v in &cases {
            let _ = writeln!(
                out,
                "<li class=\"sentence\">{}</li>",
                esc(&vote_sentence(v, s))
            );
        }
        out.push_str("</ul>\n");
        if let Some(rec) = first["recorded"].as_object() {
            let verdict = if rec.get("reproduced") == Some(&Value::Bool(true)) {
                s.get("reproduced")
            } else {
                s.get("not_reproduced")
            };
            let mut line = format!(
                "{} {}",
                s.get("recorded"),
                rec.get("date").and_then(|d| d.as_str()).unwrap_or("")
            );
            if let (Some(y), Some(n), Some(a)) = (
                rec.get("yes").and_then(|x| x.as_u64()),
                rec.get("no").and_then(|x| x.as_u64()),
                rec.get("abstain").and_then(|x| x.as_u64()),
            ) {
                let _ = write!(line, ": {y}-{n}-{a}");
            }
            let vetoed = rec.get("vetoed_by").map(strs).unwrap_or_default();
            if !vetoed.is_empty() {
                line.push_str(&s.fill("vetoed_by", &[("list", vetoed.join(", "))]));
            }
            if let Some(src) = rec.get("source").and_then(|x| x.as_str()) {
                let _ = write!(line, " [{src}]");
            }
            let _ = writeln!(out, "<p>{}: {}.</p>", esc(&line), esc(verdict));
        }
        // Ballots: members down, cases across.
        let mut members: Vec<String> = Vec::new();
        for v in &cases {
            for m in v["ballots"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                if !members.contains(m) {
                    members.push(m.clone());
                }
            }
        }
        let vetoers: Vec<String> = cases
            .iter()
            .flat_map(|v| {
                v["p_vetoed_by"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.clone())
            })
            .collect();
        out.push_str("<div class=\"wrap\"><table>\n<thead><tr>");
        let _ = write!(out, "<th>{}</th>", esc(s.get("member")));
        for v in &cases {
            let _ = write!(out, "<th>{}</th>", esc(&case_label(text(&v["policy"]), s)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for m in &members {
            let mark = if vetoers.contains(m) {
                format!(
                    " <span title=\"{0}\">({0})</span>",
                    esc(s.get("veto_power"))
                )
            } else {
                String::new()
            };
            let _ = write!(out, "<tr><th>{}{mark}</th>", esc(m));
            for v in &cases {
                let b = v["ballots"][m.as_str()].as_str().unwrap_or("");
                let (class, label) = match b {
                    "yes" => ("yes", s.get("yes")),
                    "no" => ("no", s.get("no")),
                    "abstain" => ("abstain", s.get("abstain")),
                    _ => ("", "-"),
                };
                let _ = write!(out, "<td class=\"{class}\">{}</td>", esc(label));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody><tfoot>\n");
        let _ = write!(out, "<tr><th>{}</th>", esc(s.get("result")));
        for v in &cases {
            let verdict = s.get(if v["passes"] == true {
                "passes"
            } else {
                "fails"
            });
            let _ = write!(
                out,
                "<td>{} ({}-{}-{})</td>",
                esc(verdict),
                v["yes"],
                v["no"],
                v["abstain"]
            );
        }
        out.push_str("</tr>\n");
        let _ = write!(out, "<tr><th>{}</th>", esc(s.get("p_passes")));
        for v in &cases {
            let _ = write!(out, "<td class=\"num\">{}</td>", esc(&pct(&v["p_passes"])));
        }
        out.push_str("</tr>\n</tfoot></table></div>\n");
    }
}

fn section_issues(r: &Value, s: &Strings, out: &mut Page) {
    let issues: Vec<&Value> = arr(&r["issues"]).collect();
    let base: Vec<&&Value> = issues.iter().filter(|i| i["policy"] == "base").collect();
    // Outcomes side by side: cases down, issues across.
    let mut header = vec![s.get("case").to_string()];
    header.extend(base.iter().map(|i| text(&i["issue"]).to_string()));
    let mut rows = Vec::new();
    let mut sq = vec![s.get("status_quo").to_string()];
    sq.extend(base.iter().map(|i| num(&i["status_quo"])));
    rows.push(sq);
    for p in arr(&r["policies"]) {
        let mut row = vec![case_label(text(&p["id"]), s)];
        for b in &base {
            let cell = issues
                .iter()
                .find(|i| i["issue"] == b["issue"] && i["policy"] == p["id"])
                .map(|i| {
                    format!(
                        "{} ({} .. {})",
                        num(&i["outcome"]),
                        num(&i["outcome_draws"]["p5"]),
                        num(&i["outcome_draws"]["p95"])
                    )
                })
                .unwrap_or_default();
            row.push(cell);
        }
        rows.push(row);
    }
    let cols: Vec<usize> = (1..header.len()).collect();
    out.push_str(&table(&header, &rows, &cols));
    for b in &base {
        let name = text(&b["name"]);
        let _ = writeln!(out, "<h3>{}</h3>", esc(name));
        let rule = &b["rule"];
        let mut rule_text = text(&rule["kind"]).replace('_', " ");
        for key in ["body", "decider", "model"] {
            if let Some(x) = rule[key].as_str() {
                let _ = write!(rule_text, ": {x}");
            }
        }
        for key in ["parties", "deciders"] {
            let l = strs(&rule[key]);
            if !l.is_empty() {
                let _ = write!(rule_text, ": {}", l.join(", "));
            }
        }
        let _ = writeln!(out, "<p>{}: {}</p>", esc(s.get("rule")), esc(&rule_text));
        let cases: Vec<&&Value> = issues.iter().filter(|i| i["issue"] == b["issue"]).collect();
        if cases.iter().any(|i| !i["agreement"].is_null()) {
            let header: Vec<String> = ["case", "outcome", "p_agreement"]
                .iter()
                .map(|k| s.get(k).to_string())
                .collect();
            let rows: Vec<Vec<String>> = cases
                .iter()
                .map(|i| {
                    let verdict = if i["agreement"] == true {
                        s.fill(
                            "zone",
                            &[("lo", num(&i["zone"][0])), ("hi", num(&i["zone"][1]))],
                        )
                    } else {
                        s.get("no_zone").to_string()
                    };
                    vec![
                        case_label(text(&i["policy"]), s),
                        verdict,
                        pct(&i["p_agreement"]),
                    ]
                })
                .collect();
            out.push_str(&table(&header, &rows, &[2]));
        }
        let plot_rows: Vec<RangeRow> = cases
            .iter()
            .filter_map(|i| {
                range_row(
                    case_label(text(&i["policy"]), s),
                    &i["outcome_draws"],
                    f(&i["outcome"]),
                    false,
                )
            })
            .collect();
        let title = s.fill("outcome_plot", &[("name", name.to_string())]);
        let caption = format!("{title}. {}", s.get("range_legend"));
        out.figure(
            range_chart(
                &plot_rows,
                f(&b["status_quo"]).map(|x| (x, s.get("status_quo"))),
                s.get("outcome"),
            ),
            &title,
            &caption,
            s,
        );
        issue_forecast(b, &cases, s, out);
    }
}

/// The negotiation forecast of one issue: a table per case, the positions
/// by round (one chart per distinct trajectory, naming the cases that
/// share it) and, for the expected utility model, BDM's quadrant charts of
/// the base case.
fn issue_forecast(b: &Value, cases: &[&&Value], s: &Strings, out: &mut Page) {
    let name = text(&b["name"]);
    let cases: Vec<&Value> = cases.iter().map(|c| **c).collect();
    let groups = forecast_groups(&cases);
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h4 id=\"forecast-{}\">{}</h4>",
        esc(text(&b["issue"])),
        esc(&s.fill("forecast_heading", &[("name", name.to_string())]))
    );
    let header: Vec<String> = ["case", "model", "rounds", "forecast", "range_90", "stop"]
        .iter()
        .map(|k| s.get(k).to_string())
        .collect();
    let rows: Vec<Vec<String>> = cases
        .iter()
        .filter(|i| i["forecast"].is_object())
        .map(|i| {
            let fc = &i["forecast"];
            let stop = match (fc["error"].as_str(), fc["stop"].as_str()) {
                (Some(e), _) => format!("{}: {e}", s.get("error")),
                (None, _) => stop_text(&fc["stop"], s),
            };
            vec![
                case_label(text(&i["policy"]), s),
                model_label(fc, s),
                fc["rounds"]
                    .as_array()
                    .map(|r| r.len().saturating_sub(1).to_string())
                    .unwrap_or_default(),
                num(&fc["forecast"]),
                format!(
                    "{} .. {}",
                    num(&i["outcome_draws"]["p5"]),
                    num(&i["outcome_draws"]["p95"])
                ),
                stop,
            ]
        })
        .collect();
    out.push_str(&table(&header, &rows, &[2, 3, 4]));
    for (ids, fc) in &groups {
        // A model that failed has no rounds; the table says why.
        if fc["rounds"].as_array().is_none_or(|r| r.is_empty()) {
            continue;
        }
        let actors = strs(&fc["actors"]);
        let rounds: Vec<Vec<f64>> = arr(&fc["rounds"])
            .map(|r| arr(r).map(|x| f(x).unwrap_or(f64::NAN)).collect())
            .collect();
        let label = s.fill("forecast_line", &[("x", num(&fc["forecast"]))]);
        let who: Vec<String> = ids.iter().map(|c| case_label(c, s)).collect();
        let title = s.fill(
            "trajectory_plot",
            &[("name", name.to_string()), ("cases", who.join(", "))],
        );
        let caption = format!("{title}. {}", s.get("trajectory_legend"));
        out.figure(
            trajectories(
                &actors,
                &rounds,
                f(&fc["forecast"]).map(|x| (x, label.as_str())),
                s.get("round"),
                s.get("position"),
            ),
            &title,
            &caption,
            s,
        );
    }
    // Quadrant charts of the base case (or the first case that has them).
    let Some(fc) = cases
        .iter()
        .map(|i| &i["forecast"])
        .find(|fc| fc["quadrant"].as_array().is_some_and(|q| !q.is_empty()))
    else {
        return;
    };
    let quads: Vec<&Value> = arr(&fc["quadrant"]).collect();
    out.push_str("<div class=\"quads\">\n");
    for q in quads.iter().take(MAX_FOCALS) {
        let focal = text(&q["focal"]);
        let points: Vec<(String, f64, f64)> = arr(&q["points"])
            .filter_map(|p| Some((text(&p["actor"]).to_string(), f(&p["x"])?, f(&p["y"])?)))
            .collect();
        let title = s.fill(
            "quadrant_plot",
            &[("focal", focal.to_string()), ("name", name.to_string())],
        );
        let x_desc = s.fill("quad_x", &[("focal", focal.to_string())]);
        let y_desc = s.fill("quad_y", &[("focal", focal.to_string())]);
        out.figure(
            quadrant(&points, &quadrant_labels(focal, s), &x_desc, &y_desc),
            &title,
            &title,
            s,
        );
    }
    out.push_str("</div>\n");
    let mut note = s.get("quadrant_legend").to_string();
    if quads.len() > MAX_FOCALS {
        let _ = write!(
            note,
            " {}",
            s.fill(
                "quadrant_more",
                &[
                    ("n", MAX_FOCALS.to_string()),
                    ("total", quads.len().to_string())
                ]
            )
        );
    }
    let _ = writeln!(out, "<p class=\"lede\">{}</p>", esc(&note));
}

fn section_games(r: &Value, s: &Strings, out: &mut Page) {
    for g in arr(&r["games"]) {
        let _ = writeln!(
            out,
            "<h3>{} <small>({})</small></h3>",
            esc(text(&g["name"])),
            esc(text(&g["method"]))
        );
        let players = strs(&g["players"]);
        let strategies: Vec<Vec<String>> = arr(&g["strategies"]).map(strs).collect();
        let mut header = vec![s.get("equilibrium").to_string()];
        header.extend(players.iter().cloned());
        header.push(s.get("payoffs").to_string());
        let rows: Vec<Vec<String>> = arr(&g["equilibria"])
            .enumerate()
            .map(|(k, e)| {
                let mut row = vec![format!("{}", k + 1)];
                for (p, probs) in arr(&e["profile"]).enumerate() {
                    let parts: Vec<String> = strs(probs)
                        .iter()
                        .enumerate()
                        .filter(|(_, q)| q.as_str() != "0")
                        .map(|(j, q)| {
                            let name = strategies
                                .get(p)
                                .and_then(|st| st.get(j))
                                .cloned()
                                .unwrap_or_else(|| format!("#{}", j + 1));
                            if q == "1" {
                                name
                            } else {
                                format!("{name} {q}")
                            }
                        })
                        .collect();
                    row.push(parts.join(", "));
                }
                row.push(strs(&e["payoffs"]).join(", "));
                row
            })
            .collect();
        out.push_str(&table(&header, &rows, &[]));
        game_draws(g, &strategies, s, out);
        for n in strs(&g["notes"]) {
            let _ = writeln!(out, "<p class=\"lede\">{}</p>", esc(&n));
        }
    }
}

/// The equilibria of a game over the Monte Carlo draws, when the analysis
/// has them: how often each profile is an equilibrium, and how often the
/// equilibrium is unique.
fn game_draws(g: &Value, strategies: &[Vec<String>], s: &Strings, out: &mut Page) {
    let d = &g["draws"];
    if !d.is_object() {
        return;
    }
    let _ = writeln!(out, "<p>{}</p>", esc(&game_draws_line(d, s)));
    let players = strs(&g["players"]);
    let eqs = draw_equilibria(d);
    // A column per player when every equilibrium names its strategies.
    let by_player = !players.is_empty()
        && eqs
            .iter()
            .all(|e| strs(&e["labels"]).len() == players.len());
    let rows: Vec<Vec<String>> = eqs
        .iter()
        .map(|e| {
            let mut row = if by_player {
                strs(&e["labels"])
            } else {
                vec![profile_text(&e["profile"], strategies)]
            };
            row.push(pct(&e["probability"]));
            row
        })
        .collect();
    if !rows.is_empty() {
        let mut header = if by_player {
            players
        } else {
            vec![s.get("equilibrium").to_string()]
        };
        header.push(s.get("share_of_draws").to_string());
        let last = header.len() - 1;
        out.push_str(&table(&header, &rows, &[last]));
    }
}

fn section_claims(r: &Value, s: &Strings, out: &mut Page) {
    for c in arr(&r["claims"]) {
        let _ = writeln!(out, "<h3>{}</h3>", esc(text(&c["text"])));
        let _ = writeln!(
            out,
            "<p class=\"sentence\">{}</p>",
            esc(&claim_sentence(c, s))
        );
        let sens: Vec<&Value> = arr(&c["sensitivity"]).collect();
        if sens.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"lede\">{}</p>",
                esc(s.get("no_sensitivity"))
            );
            continue;
        }
        let bars: Vec<TornadoBar> = sens
            .iter()
            .filter_map(|x| {
                Some(TornadoBar {
                    label: text(&x["input"]).to_string(),
                    value: f(&x["importance"])?,
                })
            })
            .collect();
        let label = format!("{}: {}", s.get("sensitive_to"), text(&c["text"]));
        out.figure(
            tornado(&bars, s.get("tornado_axis")),
            &label,
            s.get("tornado_legend"),
            s,
        );
        let header: Vec<String> = [
            "input",
            "point",
            "range",
            "importance",
            "flips_at",
            "provenance",
        ]
        .iter()
        .map(|k| s.get(k).to_string())
        .collect();
        let rows: Vec<Vec<String>> = sens
            .iter()
            .map(|x| {
                vec![
                    text(&x["input"]).to_string(),
                    num(&x["point"]),
                    format!("{} .. {}", num(&x["range"][0]), num(&x["range"][1])),
                    f(&x["importance"])
                        .map(|v| format!("{v:+.2}"))
                        .unwrap_or_else(|| "-".into()),
                    if x["flips_at"].is_null() {
                        s.get("never_flips").to_string()
                    } else {
                        num(&x["flips_at"])
                    },
                    provenance(&x["provenance"], s),
                ]
            })
            .collect();
        out.push_str(&table(&header, &rows, &[1, 2, 3]));
    }
}

fn section_policies(r: &Value, s: &Strings, out: &mut Page) {
    let policies: Vec<&Value> = arr(&r["policies"]).collect();
    // Measures down, cases across.
    let mut header = vec![s.get("measure").to_string()];
    header.extend(policies.iter().map(|p| case_label(text(&p["id"]), s)));
    let mut measure_ids: Vec<String> = Vec::new();
    for p in &policies {
        for (k, _) in p["measures"].as_object().into_iter().flatten() {
            if !measure_ids.contains(k) {
                measure_ids.push(k.clone());
            }
        }
    }
    let mut rows = Vec::new();
    for m in &measure_ids {
        let name = policies
            .iter()
            .find_map(|p| p["measures"][m.as_str()]["name"].as_str())
            .unwrap_or(m)
            .split(':')
            .next()
            .unwrap_or("")
            .to_string();
        let mut row = vec![name];
        for p in &policies {
            let x = &p["measures"][m.as_str()];
            let cell = if x.is_null() {
                String::new()
            } else if p["id"] == "base" {
                num(&x["value"])
            } else {
                let ch = f(&x["change"]).unwrap_or(0.0);
                let sign = if ch > 0.0 { "+" } else { "" };
                format!(
                    "{} ({sign}{}; {} {})",
                    num(&x["value"]),
                    num(&x["change"]),
                    s.get("p_lower"),
                    pct(&x["p_lower_than_base"])
                )
            };
            row.push(cell);
        }
        rows.push(row);
    }
    // Issue outcomes at the point estimates, per case.
    let mut issue_ids: Vec<String> = Vec::new();
    for p in &policies {
        for (k, _) in p["outcomes"].as_object().into_iter().flatten() {
            if !issue_ids.contains(k) {
                issue_ids.push(k.clone());
            }
        }
    }
    for i in &issue_ids {
        let mut row = vec![format!("{}: {i}", s.get("outcome"))];
        row.extend(policies.iter().map(|p| num(&p["outcomes"][i.as_str()])));
        rows.push(row);
    }
    let cols: Vec<usize> = (1..header.len()).collect();
    out.push_str(&table(&header, &rows, &cols));
    // Each measure over the draws, per case, against the base case's value.
    for m in &measure_ids {
        let name = policies
            .iter()
            .find_map(|p| p["measures"][m.as_str()]["name"].as_str())
            .unwrap_or(m)
            .split(':')
            .next()
            .unwrap_or("")
            .to_string();
        let plot_rows: Vec<RangeRow> = policies
            .iter()
            .filter_map(|p| {
                let x = &p["measures"][m.as_str()];
                range_row(
                    case_label(text(&p["id"]), s),
                    &x["draws"],
                    f(&x["value"]),
                    p["id"] == "base",
                )
            })
            .collect();
        if plot_rows.is_empty() {
            continue;
        }
        let base_value = policies
            .iter()
            .find(|p| p["id"] == "base")
            .and_then(|p| f(&p["measures"][m.as_str()]["value"]));
        let title = s.fill("measure_plot", &[("name", name.clone())]);
        let caption = format!("{title}. {}", s.get("range_legend"));
        out.figure(
            range_chart(&plot_rows, base_value.map(|v| (v, s.get("base"))), &name),
            &title,
            &caption,
            s,
        );
    }
    for p in policies.iter().filter(|p| p["id"] != "base") {
        let _ = writeln!(
            out,
            "<h3>{} <small>({})</small></h3>",
            esc(text(&p["name"])),
            esc(text(&p["id"]))
        );
        out.push_str("<ul>\n");
        for (key, field) in [("origin", "origin"), ("note", "note")] {
            if let Some(x) = p[field].as_str() {
                let _ = writeln!(out, "<li>{}: {}</li>", esc(s.get(key)), esc(x));
            }
        }
        let changes: Vec<String> = arr(&p["changes"])
            .map(|c| {
                if let Some(b) = c["body"].as_str() {
                    s.fill(
                        "replaced_by",
                        &[
                            ("body", b.to_string()),
                            ("other", text(&c["replaced_by"]).to_string()),
                        ],
                    )
                } else {
                    s.fill(
                        "set_to",
                        &[
                            ("input", text(&c["input"]).to_string()),
                            ("from", num(&c["from"])),
                            ("to", num(&c["to"])),
                        ],
                    )
                }
            })
            .collect();
        if !changes.is_empty() {
            let _ = writeln!(
                out,
                "<li>{}: {}</li>",
                esc(s.get("changes")),
                esc(&changes.join("; "))
            );
        }
        out.push_str("</ul>\n");
    }
}

fn section_assumptions(r: &Value, s: &Strings, out: &mut Page) {
    let sc = &r["scenario"];
    if let (Some(n), Some(k)) = (sc["inputs"].as_u64(), sc["uncertain_inputs"].as_u64()) {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            esc(&s.fill(
                "inputs_count",
                &[("n", n.to_string()), ("k", k.to_string())]
            ))
        );
    }
    out.push_str("<ul class=\"sources\">\n");
    for src in arr(&sc["sources"]) {
        let id = text(&src["id"]);
        let _ = write!(
            out,
            "<li id=\"src-{}\"><strong>[{}]</strong> {}",
            esc(id),
            esc(id),
            esc(text(&src["title"]))
        );
        if let Some(d) = src["date"].as_str() {
            let _ = write!(out, " ({})", esc(d));
        }
        if let Some(u) = src["url"].as_str() {
            let _ = write!(out, " <a href=\"{0}\">{0}</a>", esc(u));
        }
        if let Some(n) = src["note"].as_str() {
            let _ = write!(out, "<br><span class=\"lede\">{}</span>", esc(n));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    // The inputs the claims depend on, once each, with their provenance.
    let mut seen: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for c in arr(&r["claims"]) {
        for x in arr(&c["sensitivity"]) {
            let id = text(&x["input"]).to_string();
            if seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            rows.push(vec![
                id,
                num(&x["point"]),
                format!("{} .. {}", num(&x["range"][0]), num(&x["range"][1])),
                provenance(&x["provenance"], s),
            ]);
        }
    }
    if !rows.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", esc(s.get("inputs_used")));
        let header: Vec<String> = ["input", "point", "range", "provenance"]
            .iter()
            .map(|k| s.get(k).to_string())
            .collect();
        out.push_str(&table(&header, &rows, &[1, 2]));
    }
}

/// Renders the whole report as one HTML page. `reproducibility` holds the
/// lines the caller knows (version, input hash, input name); the seed and
/// the number of draws come from the analysis.
pub fn render_html(r: &Value, s: &Strings, reproducibility: &[(String, String)]) -> String {
    render_html_with_figures(r, s, reproducibility).0
}

/// The HTML report and the figures it inlines, in order (for the Markdown
/// report, which links them as files).
pub fn render_html_with_figures(
    r: &Value,
    s: &Strings,
    reproducibility: &[(String, String)],
) -> (String, Vec<Figure>) {
    let title = format!("{}: {}", s.get("title"), text(&r["scenario"]["title"]));
    let mut out = Page {
        html: String::new(),
        section: "summary",
        figures: Vec::new(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Detente {}\">\n<link rel=\"icon\" href=\"data:,\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        esc(s.get("html_lang")),
        env!("CARGO_PKG_VERSION"),
        esc(&title),
        esc(&title)
    );
    let sc = &r["scenario"];
    let lede: Vec<&str> = [&sc["date"], &sc["description"]]
        .into_iter()
        .filter_map(|v| v.as_str())
        .collect();
    if !lede.is_empty() {
        let _ = writeln!(out, "<p class=\"lede\">{}</p>", esc(&lede.join(". ")));
    }
    if let Some(o) = sc["origin"].as_str() {
        let _ = writeln!(
            out,
            "<p class=\"lede\">{}: {}</p>",
            esc(s.get("origin")),
            esc(o)
        );
    }
    if r["run"]["interrupted"] == true {
        let _ = writeln!(
            out,
            "<p class=\"notice\">{}</p>",
            esc(&s.fill("interrupted", &[("n", r["run"]["draws"].to_string())]))
        );
    }
    out.push_str("</header>\n<nav>\n");
    let _ = write!(out, "<strong>{}</strong>\n<ol>\n", esc(s.get("contents")));
    for id in SECTIONS {
        let _ = writeln!(out, "<li><a href=\"#{id}\">{}</a></li>", esc(s.get(id)));
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    for id in SECTIONS {
        out.section = id;
        let _ = writeln!(out, "<section id=\"{id}\">\n<h2>{}</h2>", esc(s.get(id)));
        match id {
            "summary" => {
                out.push_str("<ul class=\"summary\">\n");
                for line in summary_sentences(r, s) {
                    let _ = writeln!(out, "<li>{}</li>", esc(&line));
                }
                out.push_str("</ul>\n");
            }
            "exchanges" => section_exchanges(r, s, &mut out),
            "votes" => section_votes(r, s, &mut out),
            "issues" => section_issues(r, s, &mut out),
            "games" => section_games(r, s, &mut out),
            "claims" => section_claims(r, s, &mut out),
            "policies" => section_policies(r, s, &mut out),
            "assumptions" => section_assumptions(r, s, &mut out),
            _ => {
                out.push_str("<dl>\n");
                let mut lines: Vec<(String, String)> = reproducibility.to_vec();
                lines.push((s.get("seed").into(), r["run"]["seed"].to_string()));
                lines.push((s.get("draws").into(), r["run"]["draws"].to_string()));
                for (k, v) in lines {
                    let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(&k), esc(&v));
                }
                out.push_str("</dl>\n");
            }
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>\n",
        esc(&s.fill(
            "made_with",
            &[("version", env!("CARGO_PKG_VERSION").to_string())]
        ))
    );
    (out.html, out.figures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn numbers_never_nan() {
        assert_eq!(num(&json!(f64::NAN)), "-");
        assert_eq!(num(&json!(-0.001)), "0");
        assert_eq!(num(&json!(2.5)), "2.5");
        assert_eq!(pct(&json!(0.995)), ">99%");
        assert_eq!(pct(&json!(0.004)), "<1%");
        assert_eq!(pct(&Value::Null), "-");
    }

    #[test]
    fn svg_gets_a_view_box() {
        let svg = svg_scalable("<svg width=\"10\" height=\"20\" xmlns=\"x\"></svg>", "a<b");
        assert!(svg.contains("viewBox=\"0 0 10 20\""), "{svg}");
        assert!(svg.contains("aria-label=\"a&lt;b\""));
    }

    #[test]
    fn empty_analysis_renders_every_section() {
        let s = Strings::load("en").unwrap();
        let html = render_html(
            &json!({"scenario": {"title": "<T>"}, "run": {"seed": 1, "draws": 2}}),
            &s,
            &[],
        );
        for id in SECTIONS {
            assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
        }
        assert!(html.contains("&lt;T&gt;") && !html.contains("<T>"));
        assert!(!html.contains("NaN"));
    }
}
