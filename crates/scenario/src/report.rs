//! Text and Markdown renderings of an analysis (the JSON value built by
//! [`crate::analysis::analyze`]), in any language that has a resource file
//! in `lang/` (one file per language: a third language is a file, not
//! code). Every number comes from the analysis; nothing is written in by
//! hand.

use serde_json::Value;
use std::collections::HashMap;

/// The languages shipped, by code.
pub const LANGUAGES: [(&str, &str); 2] = [
    ("en", include_str!("../lang/en.toml")),
    ("id", include_str!("../lang/id.toml")),
];

/// A language's strings.
pub struct Strings(HashMap<String, String>);

impl Strings {
    /// Loads a shipped language by code (`en`, `id`).
    pub fn load(code: &str) -> Result<Strings, String> {
        let text = LANGUAGES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                format!(
                    "unknown language `{code}` (available: {})",
                    LANGUAGES
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        let table: HashMap<String, String> =
            toml::from_str(text).map_err(|e| format!("language file `{code}`: {e}"))?;
        Ok(Strings(table))
    }

    /// The string for `key` (the key itself if the file lacks it, so a
    /// missing translation shows instead of vanishing).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map(|s| s.as_str()).unwrap_or(key)
    }

    /// The template for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.get(key).to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}

/// Output flavour.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Flavour {
    Text,
    Markdown,
}

pub(crate) fn pct(v: &Value) -> String {
    match v.as_f64().filter(|x| x.is_finite()) {
        Some(p) => {
            let x = p * 100.0;
            if x > 0.0 && x < 1.0 {
                "<1%".to_string()
            } else if x < 100.0 && x > 99.0 {
                ">99%".to_string()
            } else {
                format!("{x:.0}%")
            }
        }
        None => "-".to_string(),
    }
}

pub(crate) fn num(v: &Value) -> String {
    match v.as_f64().filter(|x| x.is_finite()) {
        Some(x) => {
            let s = format!("{x:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".to_string()
            } else {
                s.to_string()
            }
        }
        None => "-".to_string(),
    }
}

fn list(items: &[String], s: &Strings) -> String {
    if items.is_empty() {
        s.get("none").to_string()
    } else {
        items.join(", ")
    }
}

pub(crate) fn case_label(case: &str, s: &Strings) -> String {
    if case == "base" {
        s.get("base").to_string()
    } else {
        case.to_string()
    }
}

/// A plain table: header and rows, columns padded to fit.
fn table(header: &[String], rows: &[Vec<String>], flavour: Flavour) -> String {
    let mut out = String::new();
    match flavour {
        Flavour::Markdown => {
            out.push_str(&format!("| {} |\n", header.join(" | ")));
            out.push_str(&format!(
                "|{}\n",
                header.iter().map(|_| "---|").collect::<String>()
            ));
            for r in rows {
                out.push_str(&format!("| {} |\n", r.join(" | ")));
            }
        }
        Flavour::Text => {
            let n = header.len();
            let mut w = vec![0; n];
            for r in std::iter::once(header).chain(rows.iter().map(|r| r.as_slice())) {
                for (k, c) in r.iter().enumerate().take(n) {
                    w[k] = w[k].max(c.chars().count());
                }
            }
            let line = |r: &[String]| -> String {
                let cells: Vec<String> = r
                    .iter()
                    .enumerate()
                    .map(|(k, c)| {
                        format!("{c}{}", " ".repeat(w[k].saturating_sub(c.chars().count())))
                    })
                    .collect();
                format!("  {}\n", cells.join("  ").trim_end())
            };
            out.push_str(&line(header));
            out.push_str(&format!(
                "  {}\n",
                w.iter()
                    .map(|k| "-".repeat(*k))
                    .collect::<Vec<_>>()
                    .join("  ")
            ));
            for r in rows {
                out.push_str(&line(r));
            }
        }
    }
    out
}

fn heading(title: &str, level: usize, flavour: Flavour) -> String {
    match flavour {
        Flavour::Markdown => format!("\n{} {}\n\n", "#".repeat(level), title),
        Flavour::Text => {
            let bar = if level == 1 { '=' } else { '-' };
            format!(
                "\n{}\n{}\n",
                title,
                bar.to_string().repeat(title.chars().count())
            )
        }
    }
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if col > 0 && col + 1 + len > width {
            out.push('\n');
            col = 0;
        }
        if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
    }
    out
}

fn bullet(text: &str, flavour: Flavour) -> String {
    match flavour {
        Flavour::Markdown => format!("- {text}\n"),
        Flavour::Text => {
            let w = wrap(text, 96);
            let mut out = String::new();
            for (k, l) in w.lines().enumerate() {
                out.push_str(if k == 0 { "- " } else { "  " });
                out.push_str(l);
                out.push('\n');
            }
            out
        }
    }
}

/// A detail line under a bullet: nested in Markdown, indented and wrapped
/// in text.
fn sub_bullet(line: &str, flavour: Flavour) -> String {
    match flavour {
        Flavour::Markdown => format!("  - {line}\n"),
        Flavour::Text => format!(
            "{}\n",
            wrap(line, 92)
                .lines()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

pub(crate) fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The histogram of a statistics object, `{"histogram": {"edges": [..],
/// "counts": [..]}}`, as (edges, counts), when it is there and well formed
/// (one more edge than counts, all finite).
pub(crate) fn histogram_of(st: &Value) -> Option<(Vec<f64>, Vec<f64>)> {
    let h = &st["histogram"];
    let nums = |v: &Value| -> Option<Vec<f64>> {
        v.as_array()?
            .iter()
            .map(|x| x.as_f64().filter(|x| x.is_finite()))
            .collect()
    };
    let edges = nums(&h["edges"])?;
    let counts = nums(&h["counts"])?;
    (!counts.is_empty() && edges.len() == counts.len() + 1).then_some((edges, counts))
}

/// The distribution of a party's surplus in an exchange: `distribution`
/// where the analysis gives it, else `surplus_draws`.
pub(crate) fn party_distribution<'a>(x: &'a Value, party: &str) -> &'a Value {
    let d = &x["distribution"][party];
    if d.is_object() {
        d
    } else {
        &x["surplus_draws"][party]
    }
}

/// Counts as a row of block characters, one per bin, height by count
/// (an empty bin is a blank).
pub(crate) fn sparkline(counts: &[f64]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = counts.iter().copied().fold(0.0, f64::max);
    counts
        .iter()
        .map(|&c| {
            if c <= 0.0 || top <= 0.0 {
                ' '
            } else {
                let k = ((c / top) * 7.0).round() as usize;
                BLOCKS[k.min(7)]
            }
        })
        .collect()
}

/// A forecasting model's name in the report's language.
pub(crate) fn model_name(model: &str, s: &Strings) -> String {
    let key = format!("model_{model}");
    match s.0.get(&key) {
        Some(name) => name.clone(),
        None => model.to_string(),
    }
}

/// Why a forecasting model stopped, in the report's language (the codes of
/// `detente-forecast`: `rounds`, `no-move`, `cycle of length N`; any other
/// reason as given).
pub(crate) fn stop_text(stop: &Value, s: &Strings) -> String {
    match stop.as_str() {
        None => "-".to_string(),
        Some("rounds") => s.get("stop_rounds").to_string(),
        Some("no-move") => s.get("stop_no_move").to_string(),
        Some(x) => match x.strip_prefix("cycle of length ") {
            Some(n) => s.fill("stop_cycle", &[("n", n.to_string())]),
            None => x.to_string(),
        },
    }
}

/// A forecast's model and preset, e.g. "expected utility model (Bueno de
/// Mesquita); preset paper".
pub(crate) fn model_label(fc: &Value, s: &Strings) -> String {
    let mut label = model_name(fc["model"].as_str().unwrap_or(""), s);
    if let Some(p) = fc["preset"].as_str() {
        label.push_str(&format!("; {} {p}", s.get("preset")));
    }
    label
}

/// The most focal actors whose quadrant charts a report shows per issue.
pub const MAX_FOCALS: usize = 4;

/// The quadrant labels for a focal actor, in the report's language.
pub(crate) fn quadrant_labels(focal: &str, s: &Strings) -> crate::plots::QuadrantLabels {
    let f = |k: &str| s.fill(k, &[("focal", focal.to_string())]);
    crate::plots::QuadrantLabels {
        conflict: f("quad_conflict"),
        focal_yields: f("quad_focal_yields"),
        other_yields: f("quad_other_yields"),
        status_quo: f("quad_status_quo"),
    }
}

/// Which quadrant a point of the quadrant chart is in, as a key of the
/// language file: x is the focal actor's expected utility of challenging
/// the other, y the other's of challenging the focal actor.
pub(crate) fn quadrant_key(x: f64, y: f64) -> &'static str {
    match (x > 0.0, y > 0.0) {
        (true, true) => "quad_conflict",
        (false, true) => "quad_focal_yields",
        (true, false) => "quad_other_yields",
        (false, false) => "quad_status_quo",
    }
}

/// The cases of one issue grouped by identical forecast (same actors,
/// rounds and forecast), in the order the cases come: (case ids, the
/// `forecast` object). Cases without a forecast are left out.
pub(crate) fn forecast_groups<'a>(cases: &[&'a Value]) -> Vec<(Vec<String>, &'a Value)> {
    let mut groups: Vec<(Vec<String>, &Value)> = Vec::new();
    for i in cases {
        let fc = &i["forecast"];
        if !fc.is_object() {
            continue;
        }
        let case = i["policy"].as_str().unwrap_or("").to_string();
        match groups.iter_mut().find(|(_, g)| {
            g["rounds"] == fc["rounds"]
                && g["actors"] == fc["actors"]
                && g["forecast"] == fc["forecast"]
        }) {
            Some(g) => g.0.push(case),
            None => groups.push((vec![case], fc)),
        }
    }
    groups
}

/// An equilibrium profile as text: per player, the strategies played with
/// their probabilities (`Negotiate` or `Negotiate 1/2, Pressure 1/2`),
/// players in brackets. Accepts probabilities as strings or numbers, and a
/// profile already given as labels.
pub(crate) fn profile_text(profile: &Value, strategies: &[Vec<String>]) -> String {
    match profile {
        Value::String(t) => t.clone(),
        Value::Array(players) => players
            .iter()
            .enumerate()
            .map(|(p, probs)| match probs {
                Value::Array(q) => {
                    let parts: Vec<String> = q
                        .iter()
                        .enumerate()
                        .filter_map(|(j, x)| {
                            let txt = match x {
                                Value::String(t) => t.clone(),
                                Value::Number(_) => num(x),
                                _ => return None,
                            };
                            if txt == "0" {
                                return None;
                            }
                            let name = strategies
                                .get(p)
                                .and_then(|st| st.get(j))
                                .cloned()
                                .unwrap_or_else(|| format!("#{}", j + 1));
                            Some(if txt == "1" {
                                name
                            } else {
                                format!("{name} {txt}")
                            })
                        })
                        .collect();
                    format!("[{}]", parts.join(", "))
                }
                Value::String(t) => format!("[{t}]"),
                other => format!("[{other}]"),
            })
            .collect::<Vec<_>>()
            .join(" "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The line on a game's equilibria over the draws: the method, how often
/// the equilibrium is unique and how often none is found.
pub(crate) fn game_draws_line(d: &Value, s: &Strings) -> String {
    let mut line = s.get("game_draws").to_string();
    if let Some(m) = d["method"].as_str() {
        line.push_str(&format!(" ({m})"));
    }
    let mut parts = Vec::new();
    if d["p_unique"].is_number() {
        parts.push(s.fill("p_unique", &[("p", pct(&d["p_unique"]))]));
    }
    if d["p_none"].as_f64().is_some_and(|p| p > 0.0) {
        parts.push(s.fill("p_none", &[("p", pct(&d["p_none"]))]));
    }
    if !parts.is_empty() {
        line.push_str(&format!(": {}", parts.join("; ")));
    }
    line
}

/// A game's equilibria over the draws, most frequent first (ties in the
/// analysis's order).
pub(crate) fn draw_equilibria(d: &Value) -> Vec<&Value> {
    let mut eqs: Vec<&Value> = d["equilibria"].as_array().into_iter().flatten().collect();
    let p = |e: &Value| {
        e["probability"]
            .as_f64()
            .filter(|x| x.is_finite())
            .unwrap_or(0.0)
    };
    eqs.sort_by(|a, b| p(b).total_cmp(&p(a)));
    eqs
}

/// The sentence on an issue settled by negotiation: the model's forecast
/// in the base case, the spread over the draws, and the policies that move
/// it. `None` for other issues.
pub(crate) fn forecast_sentence(r: &Value, base: &Value, s: &Strings) -> Option<String> {
    if base["rule"]["kind"] != "negotiation" {
        return None;
    }
    let fc = &base["forecast"];
    if let Some(e) = fc["error"].as_str() {
        return Some(s.fill(
            "forecast_failed_sentence",
            &[
                ("name", base["name"].as_str().unwrap_or("").to_string()),
                ("error", e.to_string()),
                ("status_quo", num(&base["status_quo"])),
            ],
        ));
    }
    let value = if fc["forecast"].is_number() {
        &fc["forecast"]
    } else {
        &base["outcome"]
    };
    let model = fc["model"]
        .as_str()
        .or(base["rule"]["model"].as_str())
        .unwrap_or("");
    let shown = num(value);
    let moves: Vec<String> = r["issues"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["issue"] == base["issue"] && i["policy"] != "base")
        .filter_map(|i| {
            let v = if i["forecast"]["forecast"].is_number() {
                &i["forecast"]["forecast"]
            } else {
                &i["outcome"]
            };
            let x = num(v);
            (x != shown && x != "-").then(|| format!("{} {x}", i["policy"].as_str().unwrap_or("")))
        })
        .collect();
    let mut text = s.fill(
        "forecast_sentence",
        &[
            ("name", base["name"].as_str().unwrap_or("").to_string()),
            ("model", model_name(model, s)),
            ("forecast", shown),
            ("status_quo", num(&base["status_quo"])),
            ("lo", num(&base["outcome_draws"]["p5"])),
            ("hi", num(&base["outcome_draws"]["p95"])),
        ],
    );
    if !moves.is_empty() {
        text = format!(
            "{} {}",
            text,
            s.fill("forecast_moves", &[("list", moves.join(", "))])
        );
    }
    Some(text)
}

/// The summary: plain sentences answering the scenario's questions.
pub fn summary_sentences(r: &Value, s: &Strings) -> Vec<String> {
    let mut out = Vec::new();
    for x in r["exchanges"].as_array().into_iter().flatten() {
        if x["policy"] != "base" {
            continue;
        }
        let mut payers: Vec<(String, f64)> = x["third_parties"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_f64().filter(|v| *v < 0.0).map(|v| (k.clone(), v)))
                    .collect()
            })
            .unwrap_or_default();
        payers.sort_by(|a, b| a.1.total_cmp(&b.1));
        let world_pos = x["positive_sum"].as_bool().unwrap_or(false);
        let p_world = if world_pos {
            pct(&x["p_positive_sum"])
        } else {
            x["p_positive_sum"]
                .as_f64()
                .map(|p| pct(&Value::from(1.0 - p)))
                .unwrap_or_default()
        };
        let payer_text = if payers.is_empty() {
            String::new()
        } else {
            s.fill(
                if payers.len() == 1 {
                    "payers_one"
                } else {
                    "payers"
                },
                &[(
                    "list",
                    payers
                        .iter()
                        .map(|p| p.0.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            )
        };
        out.push(
            s.fill(
                "exchange_sentence",
                &[
                    ("name", x["name"].as_str().unwrap_or("").to_string()),
                    ("parties", strs(&x["parties"]).join(" & ")),
                    ("p_win", pct(&x["p_win_win"])),
                    (
                        "world",
                        s.get(if world_pos {
                            "positive_sum"
                        } else {
                            "negative_sum"
                        })
                        .to_string(),
                    ),
                    ("p_world", p_world),
                    ("payers", payer_text),
                ],
            ),
        );
    }
    for v in r["votes"].as_array().into_iter().flatten() {
        if let Some(rec) = v["recorded"].as_object() {
            if v["policy"] != "base" {
                continue;
            }
            let date = rec
                .get("date")
                .and_then(|d| d.as_str())
                .unwrap_or("")
                .to_string();
            let name = v["name"].as_str().unwrap_or("").to_string();
            if rec.get("reproduced") == Some(&Value::Bool(true)) {
                let veto = if strs(&v["vetoed_by"]).is_empty() {
                    String::new()
                } else {
                    s.fill("vetoed_by", &[("list", strs(&v["vetoed_by"]).join(", "))])
                };
                // The counts on record where they are checked; otherwise the
                // ballots that are.
                let result = if rec.get("yes").is_some_and(|x| !x.is_null()) {
                    format!("{}-{}-{}{veto}", v["yes"], v["no"], v["abstain"])
                } else {
                    format!(
                        "{}{veto}",
                        rec.get("checked_ballots")
                            .map(strs)
                            .unwrap_or_default()
                            .iter()
                            // "CHN no": the ballot word in the report's language.
                            .map(|b| match b.split_once(' ') {
                                Some((a, x)) => format!("{a} {}", s.get(x)),
                                None => b.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                out.push(s.fill(
                    "recorded_sentence",
                    &[("date", date), ("name", name), ("result", result)],
                ));
            } else {
                out.push(s.fill("recorded_mismatch", &[("date", date), ("name", name)]));
            }
            continue;
        }
        out.push(vote_sentence(v, s));
    }
    let base_agreement = |id: &Value| -> Value {
        r["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["issue"] == *id && i["policy"] == "base")
            .map(|i| i["p_agreement"].clone())
            .unwrap_or(Value::Null)
    };
    for i in r["issues"].as_array().into_iter().flatten() {
        if i["agreement"].is_null() {
            continue;
        }
        // Policies that leave the answer as in the base case add nothing.
        if i["policy"] != "base" && i["p_agreement"] == base_agreement(&i["issue"]) {
            continue;
        }
        let verdict = if i["agreement"] == true {
            let z = &i["zone"];
            s.fill("zone", &[("lo", num(&z[0])), ("hi", num(&z[1]))])
        } else {
            s.get("no_zone").to_string()
        };
        out.push(s.fill(
            "agreement_sentence",
            &[
                ("name", i["name"].as_str().unwrap_or("").to_string()),
                ("case", case_label(i["policy"].as_str().unwrap_or(""), s)),
                ("verdict", verdict),
                ("p", pct(&i["p_agreement"])),
            ],
        ));
    }
    for i in r["issues"].as_array().into_iter().flatten() {
        if i["policy"] == "base" {
            out.extend(forecast_sentence(r, i, s));
        }
    }
    for p in r["policies"].as_array().into_iter().flatten() {
        if p["id"] == "base" {
            continue;
        }
        for (_, m) in p["measures"].as_object().into_iter().flatten() {
            let delta = m["change"].as_f64().unwrap_or(0.0);
            if delta == 0.0 && m["p_lower_than_base"].as_f64().unwrap_or(0.0) == 0.0 {
                continue;
            }
            out.push(
                s.fill(
                    "measure_sentence",
                    &[
                        ("policy", p["name"].as_str().unwrap_or("").to_string()),
                        (
                            "measure",
                            m["name"]
                                .as_str()
                                .unwrap_or("")
                                .split(':')
                                .next()
                                .unwrap_or("")
                                .to_string(),
                        ),
                        (
                            "direction",
                            s.get(if delta <= 0.0 { "falls" } else { "rises" })
                                .to_string(),
                        ),
                        ("delta", num(&Value::from(delta.abs()))),
                        ("p", pct(&m["p_lower_than_base"])),
                    ],
                ),
            );
        }
    }
    out
}

pub(crate) fn vote_sentence(v: &Value, s: &Strings) -> String {
    let vetoes = strs(&v["vetoed_by"]);
    s.fill(
        "vote_sentence",
        &[
            ("name", v["name"].as_str().unwrap_or("").to_string()),
            ("case", case_label(v["policy"].as_str().unwrap_or(""), s)),
            (
                "verdict",
                s.get(if v["passes"] == true {
                    "passes"
                } else {
                    "fails"
                })
                .to_string(),
            ),
            ("body", v["body"].as_str().unwrap_or("").to_string()),
            ("yes", v["yes"].to_string()),
            ("no", v["no"].to_string()),
            ("abstain", v["abstain"].to_string()),
            (
                "veto",
                if vetoes.is_empty() {
                    String::new()
                } else {
                    s.fill("vetoed_by", &[("list", vetoes.join(", "))])
                },
            ),
            ("p", pct(&v["p_passes"])),
        ],
    )
}

pub(crate) fn claim_sentence(c: &Value, s: &Strings) -> String {
    s.fill(
        "claim_sentence",
        &[
            ("text", c["text"].as_str().unwrap_or("").to_string()),
            ("by", c["by"].as_str().unwrap_or("-").to_string()),
            (
                "verdict",
                s.get(if c["holds"] == true {
                    "holds"
                } else {
                    "does_not_hold"
                })
                .to_string(),
            ),
            ("p", pct(&c["probability"])),
            (
                "agree",
                s.get(if c["agrees_with_claimant"] == true {
                    "claimant_right"
                } else {
                    "claimant_wrong"
                })
                .to_string(),
            ),
        ],
    )
}

/// Whether `x`, an exchange under a policy, has the same surplus and world
/// distributions as that exchange in the base case (so reports show it
/// once, under the base case).
pub(crate) fn same_as_base(x: &Value, exchanges: &[&Value]) -> bool {
    x["policy"] != "base"
        && exchanges
            .iter()
            .find(|b| b["exchange"] == x["exchange"] && b["policy"] == "base")
            .is_some_and(|b| {
                b["surplus_draws"] == x["surplus_draws"]
                    && b["world_sum_draws"] == x["world_sum_draws"]
            })
}

/// The surplus distributions of the exchanges as rows of block characters
/// (one per histogram bin, lowest to highest edge), for the cases shown in
/// the exchanges table. Empty when the analysis has no histograms.
fn distributions(exchanges: &[&Value], s: &Strings, flavour: Flavour) -> String {
    let mut rows = Vec::new();
    for x in exchanges {
        if same_as_base(x, exchanges) {
            continue;
        }
        let case = case_label(x["policy"].as_str().unwrap_or(""), s);
        let mut add = |who: String, st: &Value| {
            if let Some((edges, counts)) = histogram_of(st) {
                let spark = sparkline(&counts);
                let lo = num(&Value::from(edges[0]));
                let hi = num(&Value::from(edges[edges.len() - 1]));
                let shape = match flavour {
                    Flavour::Markdown => format!("`{spark}`"),
                    Flavour::Text => spark,
                };
                rows.push(vec![
                    x["exchange"].as_str().unwrap_or("").to_string(),
                    case.clone(),
                    who,
                    lo,
                    shape,
                    hi,
                ]);
            }
        };
        for (party, _) in x["surplus_draws"].as_object().into_iter().flatten() {
            add(party.clone(), party_distribution(x, party));
        }
        add(s.get("world").to_string(), &x["world_sum_draws"]);
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut out = match flavour {
        Flavour::Markdown => format!("\n{}\n\n", s.get("distribution_note")),
        Flavour::Text => format!("\n{}\n", wrap(s.get("distribution_note"), 98)),
    };
    let header: Vec<String> = ["exchange", "case", "party", "min", "distribution", "max"]
        .iter()
        .map(|k| s.get(k).to_string())
        .collect();
    out.push_str(&table(&header, &rows, flavour));
    out
}

/// The negotiation forecasts: per issue, each case's forecast, the base
/// case's positions at the start and the end, and for the expected utility
/// model who is in which quadrant of BDM's chart, per focal actor.
fn forecasts(r: &Value, s: &Strings, flavour: Flavour) -> String {
    let issues: Vec<&Value> = r["issues"].as_array().into_iter().flatten().collect();
    let mut out = String::new();
    for b in issues.iter().filter(|i| i["policy"] == "base") {
        let cases: Vec<&Value> = issues
            .iter()
            .filter(|i| i["issue"] == b["issue"])
            .copied()
            .collect();
        let groups = forecast_groups(&cases);
        if groups.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(&heading(s.get("forecasts"), 3, flavour));
        }
        out.push_str(&bullet(
            &format!(
                "{}: {}",
                b["name"].as_str().unwrap_or(""),
                model_label(groups[0].1, s)
            ),
            flavour,
        ));
        for (ids, fc) in &groups {
            let case = cases
                .iter()
                .find(|i| i["policy"].as_str() == ids.first().map(|x| x.as_str()));
            let draws = |q: &str| {
                case.map(|i| num(&i["outcome_draws"][q]))
                    .unwrap_or_default()
            };
            if let Some(e) = fc["error"].as_str() {
                out.push_str(&sub_bullet(
                    &s.fill(
                        "forecast_failed",
                        &[
                            ("error", e.to_string()),
                            (
                                "cases",
                                ids.iter()
                                    .map(|c| case_label(c, s))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                        ],
                    ),
                    flavour,
                ));
                continue;
            }
            out.push_str(&sub_bullet(
                &s.fill(
                    "forecast_case_line",
                    &[
                        ("forecast", num(&fc["forecast"])),
                        (
                            "n",
                            fc["rounds"]
                                .as_array()
                                .map(|r| r.len().saturating_sub(1).to_string())
                                .unwrap_or_else(|| "-".into()),
                        ),
                        ("lo", draws("p5")),
                        ("hi", draws("p95")),
                        ("stop", stop_text(&fc["stop"], s)),
                        (
                            "cases",
                            ids.iter()
                                .map(|c| case_label(c, s))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    ],
                ),
                flavour,
            ));
        }
        // The base case's moves, start to end, and its quadrants.
        let Some((_, fc)) = groups
            .iter()
            .find(|(ids, _)| ids.iter().any(|c| c == "base"))
        else {
            continue;
        };
        let actors = strs(&fc["actors"]);
        let rounds: Vec<&Value> = fc["rounds"].as_array().into_iter().flatten().collect();
        if let (Some(first), Some(last)) = (rounds.first(), rounds.last()) {
            let moves: Vec<String> = actors
                .iter()
                .enumerate()
                .map(|(k, a)| format!("{a} {} → {}", num(&first[k]), num(&last[k])))
                .collect();
            out.push_str(&sub_bullet(
                &format!(
                    "{}: {}",
                    case_label("base", s),
                    s.fill(
                        "positions_moved",
                        &[
                            ("n", rounds.len().saturating_sub(1).to_string()),
                            ("list", moves.join(", ")),
                        ],
                    )
                ),
                flavour,
            ));
        }
        let quads: Vec<&Value> = fc["quadrant"].as_array().into_iter().flatten().collect();
        for q in &quads {
            let focal = q["focal"].as_str().unwrap_or("");
            let mut by: Vec<(&str, Vec<String>)> = [
                "quad_conflict",
                "quad_focal_yields",
                "quad_other_yields",
                "quad_status_quo",
            ]
            .iter()
            .map(|k| (*k, Vec::new()))
            .collect();
            for p in q["points"].as_array().into_iter().flatten() {
                let (Some(x), Some(y)) = (
                    p["x"].as_f64().filter(|v| v.is_finite()),
                    p["y"].as_f64().filter(|v| v.is_finite()),
                ) else {
                    continue;
                };
                let key = quadrant_key(x, y);
                if let Some(slot) = by.iter_mut().find(|(k, _)| *k == key) {
                    slot.1.push(p["actor"].as_str().unwrap_or("").to_string());
                }
            }
            let parts: Vec<String> = by
                .iter()
                .filter(|(_, l)| !l.is_empty())
                .map(|(k, l)| {
                    format!(
                        "{}: {}",
                        s.fill(k, &[("focal", focal.to_string())]),
                        l.join(", ")
                    )
                })
                .collect();
            out.push_str(&sub_bullet(
                &format!(
                    "{}: {}",
                    s.fill("quadrant_of", &[("focal", focal.to_string())]),
                    parts.join("; ")
                ),
                flavour,
            ));
        }
    }
    out
}

/// A chart written as a file beside the Markdown report: the section it
/// belongs to (`exchanges`, `votes`, `issues`, `games`, `claims`,
/// `policies`), the path relative to the report, its title and caption.
#[derive(Debug, Clone, Copy)]
pub struct FigureLink<'a> {
    pub section: &'a str,
    pub path: &'a str,
    pub title: &'a str,
    pub caption: &'a str,
}

/// The Markdown image links of one section's charts, in order.
fn figure_links(links: &[FigureLink], section: &str) -> String {
    let mut out = String::new();
    for l in links.iter().filter(|l| l.section == section) {
        let alt: String = l
            .title
            .chars()
            .map(|c| if matches!(c, '[' | ']') { ' ' } else { c })
            .collect();
        out.push_str(&format!("\n![{alt}]({})\n", l.path.replace(' ', "%20")));
        if l.caption != l.title {
            out.push_str(&format!("\n*{}*\n", l.caption.replace('*', "\\*")));
        }
    }
    out
}

/// Renders the whole report. `reproducibility` holds extra lines (version,
/// input hash) that the caller knows.
pub fn render(
    r: &Value,
    s: &Strings,
    flavour: Flavour,
    reproducibility: &[(String, String)],
) -> String {
    render_with_figures(r, s, flavour, reproducibility, &[])
}

/// [`render`], with the charts of `figures` linked at the end of their
/// sections (Markdown written with its figure files, `detente analyze
/// --out`); where a section has charts, the character-drawn histograms are
/// left out.
pub fn render_with_figures(
    r: &Value,
    s: &Strings,
    flavour: Flavour,
    reproducibility: &[(String, String)],
    figures: &[FigureLink],
) -> String {
    let mut out = String::new();
    let title = format!(
        "{}: {}",
        s.get("title"),
        r["scenario"]["title"].as_str().unwrap_or("")
    );
    out.push_str(&match flavour {
        Flavour::Markdown => format!("# {title}\n"),
        Flavour::Text => format!("{title}\n{}\n", "=".repeat(title.chars().count().min(100))),
    });
    if r["run"]["interrupted"] == true {
        out.push_str(&format!(
            "\n{}\n",
            s.fill("interrupted", &[("n", r["run"]["draws"].to_string())])
        ));
    }

    out.push_str(&heading(s.get("summary"), 2, flavour));
    for line in summary_sentences(r, s) {
        out.push_str(&bullet(&line, flavour));
    }

    // Exchanges.
    out.push_str(&heading(s.get("exchanges"), 2, flavour));
    let mut rows = Vec::new();
    let exchanges: Vec<&Value> = r["exchanges"].as_array().into_iter().flatten().collect();
    for x in &exchanges {
        // A policy that leaves an exchange as in the base case is not repeated.
        if same_as_base(x, &exchanges) {
            continue;
        }
        for (party, st) in x["surplus_draws"].as_object().into_iter().flatten() {
            rows.push(vec![
                x["exchange"].as_str().unwrap_or("").to_string(),
                case_label(x["policy"].as_str().unwrap_or(""), s),
                party.clone(),
                num(&x["surplus"][party]),
                num(&st["mean"]),
                format!("{} .. {}", num(&st["p5"]), num(&st["p95"])),
                pct(&st["p_gain"]),
            ]);
        }
        let third: Vec<String> = x["third_parties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k} {}", num(v)))
            .collect();
        rows.push(vec![
            String::new(),
            String::new(),
            s.get("world").to_string(),
            num(&x["world_sum"]),
            num(&x["world_sum_draws"]["mean"]),
            format!(
                "{} .. {}",
                num(&x["world_sum_draws"]["p5"]),
                num(&x["world_sum_draws"]["p95"])
            ),
            pct(&x["p_positive_sum"]),
        ]);
        if flavour == Flavour::Markdown {
            rows.push(vec![
                String::new(),
                String::new(),
                s.get("third_parties").to_string(),
                third.join(", "),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    let header: Vec<String> = [
        "exchange", "case", "party", "surplus", "mean", "range_90", "p_gain",
    ]
    .iter()
    .map(|k| s.get(k).to_string())
    .collect();
    out.push_str(&table(&header, &rows, flavour));
    if figures.iter().any(|f| f.section == "exchanges") {
        out.push_str(&figure_links(figures, "exchanges"));
    } else {
        out.push_str(&distributions(&exchanges, s, flavour));
    }

    // Votes.
    out.push_str(&heading(s.get("votes"), 2, flavour));
    for v in r["votes"].as_array().into_iter().flatten() {
        out.push_str(&bullet(&vote_sentence(v, s), flavour));
        let mut by: Vec<(String, Vec<String>)> = vec![
            (s.get("yes").into(), vec![]),
            (s.get("no").into(), vec![]),
            (s.get("abstain").into(), vec![]),
        ];
        for (a, b) in v["ballots"].as_object().into_iter().flatten() {
            let k = match b.as_str() {
                Some("yes") => 0,
                Some("no") => 1,
                _ => 2,
            };
            by[k].1.push(a.clone());
        }
        let line = by
            .iter()
            .map(|(k, l)| format!("{k}: {}", list(l, s)))
            .collect::<Vec<_>>()
            .join("; ");
        out.push_str(&sub_bullet(&line, flavour));
    }

    out.push_str(&figure_links(figures, "votes"));

    // Issues: outcome per case, side by side.
    out.push_str(&heading(s.get("issues"), 2, flavour));
    let issue_ids: Vec<String> = r["issues"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["policy"] == "base")
        .filter_map(|i| i["issue"].as_str().map(String::from))
        .collect();
    let mut header = vec![s.get("case").to_string()];
    header.extend(issue_ids.iter().cloned());
    let mut rows = Vec::new();
    let mut sq = vec![s.get("status_quo").to_string()];
    for id in &issue_ids {
        let i = r["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["issue"] == id.as_str() && i["policy"] == "base");
        sq.push(i.map(|i| num(&i["status_quo"])).unwrap_or_default());
    }
    rows.push(sq);
    for p in r["policies"].as_array().into_iter().flatten() {
        let mut row = vec![case_label(p["id"].as_str().unwrap_or(""), s)];
        for id in &issue_ids {
            let i = r["issues"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|i| i["issue"] == id.as_str() && i["policy"] == p["id"]);
            row.push(
                i.map(|i| {
                    format!(
                        "{} ({}..{})",
                        num(&i["outcome"]),
                        num(&i["outcome_draws"]["p5"]),
                        num(&i["outcome_draws"]["p95"])
                    )
                })
                .unwrap_or_default(),
            );
        }
        rows.push(row);
    }
    out.push_str(&table(&header, &rows, flavour));
    out.push_str(&forecasts(r, s, flavour));

    out.push_str(&figure_links(figures, "issues"));

    // Games.
    if let Some(games) = r["games"].as_array().filter(|g| !g.is_empty()) {
        out.push_str(&heading(s.get("games"), 2, flavour));
        for g in games {
            out.push_str(&bullet(
                &format!(
                    "{} ({})",
                    g["name"].as_str().unwrap_or(""),
                    g["method"].as_str().unwrap_or("")
                ),
                flavour,
            ));
            // Strategies by name: "[Negotiate] [Freeze]", mixed ones with
            // their probabilities.
            let strategies: Vec<Vec<String>> = g["strategies"]
                .as_array()
                .into_iter()
                .flatten()
                .map(strs)
                .collect();
            for e in g["equilibria"].as_array().into_iter().flatten() {
                let pay = strs(&e["payoffs"]).join(", ");
                out.push_str(&sub_bullet(
                    &format!(
                        "{}: {}; {}: {}",
                        s.get("equilibrium"),
                        profile_text(&e["profile"], &strategies),
                        s.get("payoffs"),
                        pay
                    ),
                    flavour,
                ));
            }
            let d = &g["draws"];
            if d.is_object() {
                out.push_str(&sub_bullet(&game_draws_line(d, s), flavour));
                for e in draw_equilibria(d) {
                    out.push_str(&sub_bullet(
                        &format!(
                            "{}: {}",
                            profile_text(&e["profile"], &strategies),
                            pct(&e["probability"])
                        ),
                        flavour,
                    ));
                }
            }
        }
    }

    out.push_str(&figure_links(figures, "games"));

    // Claims.
    out.push_str(&heading(s.get("claims"), 2, flavour));
    for c in r["claims"].as_array().into_iter().flatten() {
        out.push_str(&bullet(&claim_sentence(c, s), flavour));
        let sens: Vec<String> = c["sensitivity"]
            .as_array()
            .into_iter()
            .flatten()
            .take(3)
            .map(|x| {
                let flip = if x["flips_at"].is_null() {
                    s.get("never_flips").to_string()
                } else {
                    format!("{} {}", s.get("flips_at"), num(&x["flips_at"]))
                };
                format!(
                    "{} ({} {}, {})",
                    x["input"].as_str().unwrap_or(""),
                    s.get("point"),
                    num(&x["point"]),
                    flip
                )
            })
            .collect();
        if !sens.is_empty() {
            let line = format!("{}: {}", s.get("sensitive_to"), sens.join("; "));
            out.push_str(&sub_bullet(&line, flavour));
        }
    }

    out.push_str(&figure_links(figures, "claims"));

    // Policies.
    out.push_str(&heading(s.get("policies"), 2, flavour));
    let mut rows = Vec::new();
    for p in r["policies"].as_array().into_iter().flatten() {
        for (_, m) in p["measures"].as_object().into_iter().flatten() {
            rows.push(vec![
                case_label(p["id"].as_str().unwrap_or(""), s),
                m["name"]
                    .as_str()
                    .unwrap_or("")
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                num(&m["value"]),
                num(&m["change"]),
                pct(&m["p_lower_than_base"]),
            ]);
        }
    }
    let header: Vec<String> = ["case", "measure", "point", "change", "p_lower"]
        .iter()
        .map(|k| s.get(k).to_string())
        .collect();
    out.push_str(&table(&header, &rows, flavour));

    out.push_str(&figure_links(figures, "policies"));

    // Sources.
    out.push_str(&heading(s.get("assumptions"), 2, flavour));
    for src in r["scenario"]["sources"].as_array().into_iter().flatten() {
        let mut line = format!(
            "[{}] {}",
            src["id"].as_str().unwrap_or(""),
            src["title"].as_str().unwrap_or("")
        );
        if let Some(d) = src["date"].as_str() {
            line.push_str(&format!(" ({d})"));
        }
        if let Some(u) = src["url"].as_str() {
            line.push_str(&format!(" {u}"));
        }
        out.push_str(&bullet(&line, flavour));
    }

    // Reproducibility.
    out.push_str(&heading(s.get("reproducibility"), 2, flavour));
    let mut lines: Vec<(String, String)> = reproducibility.to_vec();
    lines.push((s.get("seed").into(), r["run"]["seed"].to_string()));
    lines.push((s.get("draws").into(), r["run"]["draws"].to_string()));
    for (k, v) in lines {
        out.push_str(&bullet(&format!("{k}: {v}"), flavour));
    }
    out
}

/// FNV-1a, 64 bit: a short, dependency-free fingerprint of the input text
/// for the reproducibility block (not a cryptographic hash).
pub fn fnv1a64(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key() {
        let en: HashMap<String, String> = toml::from_str(LANGUAGES[0].1).unwrap();
        for (code, text) in LANGUAGES {
            let t: HashMap<String, String> = toml::from_str(text).unwrap();
            for k in en.keys() {
                assert!(t.contains_key(k), "language {code} lacks `{k}`");
            }
            for k in t.keys() {
                assert!(
                    en.contains_key(k),
                    "language {code} has `{k}`, English lacks it"
                );
            }
            // Placeholders match.
            for (k, v) in &en {
                let ph = |s: &str| -> Vec<String> {
                    let mut p: Vec<String> = s
                        .split('{')
                        .skip(1)
                        .filter_map(|x| x.split_once('}').map(|y| y.0.to_string()))
                        .collect();
                    p.sort();
                    p
                };
                assert_eq!(ph(v), ph(&t[k]), "placeholders of `{k}` in {code}");
            }
        }
    }

    #[test]
    fn fills_templates() {
        let s = Strings::load("en").unwrap();
        assert_eq!(
            s.fill("vetoed_by", &[("list", "RUS".into())]),
            ", vetoed by RUS"
        );
        assert!(Strings::load("xx").is_err());
        assert_eq!(fnv1a64(b""), "cbf29ce484222325");
    }

    #[test]
    fn sparkline_scales_to_the_tallest_bin() {
        assert_eq!(sparkline(&[0.0, 1.0, 4.0, 8.0]), " ▂▅█");
        assert_eq!(sparkline(&[0.0, 0.0]), "  ");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn reads_histograms_only_when_well_formed() {
        let st = serde_json::json!({"histogram": {"edges": [0, 1, 2], "counts": [3, 4]}});
        assert_eq!(
            histogram_of(&st),
            Some((vec![0.0, 1.0, 2.0], vec![3.0, 4.0]))
        );
        for bad in [
            serde_json::json!({"histogram": {"edges": [0, 1], "counts": [3, 4]}}),
            serde_json::json!({"histogram": {"edges": [0, "x", 2], "counts": [3, 4]}}),
            serde_json::json!({"histogram": {"edges": [0], "counts": []}}),
            serde_json::json!({"p5": 1}),
        ] {
            assert_eq!(histogram_of(&bad), None, "{bad}");
        }
        // An exchange's `distribution` wins over `surplus_draws`.
        let x = serde_json::json!({
            "surplus_draws": {"A": {"p5": 1}, "B": {"p5": 2}},
            "distribution": {"A": {"p5": 9}}
        });
        assert_eq!(party_distribution(&x, "A")["p5"], 9);
        assert_eq!(party_distribution(&x, "B")["p5"], 2);
    }

    #[test]
    fn quadrants_follow_bdm() {
        assert_eq!(quadrant_key(0.2, 0.1), "quad_conflict");
        assert_eq!(quadrant_key(-0.2, 0.1), "quad_focal_yields");
        assert_eq!(quadrant_key(0.2, -0.1), "quad_other_yields");
        assert_eq!(quadrant_key(-0.2, -0.1), "quad_status_quo");
        let s = Strings::load("id").unwrap();
        assert_eq!(quadrant_labels("USA", &s).focal_yields, "USA mengalah");
    }

    #[test]
    fn profiles_read_as_strategy_names() {
        let strategies = vec![
            vec!["Negotiate".to_string(), "Pressure".to_string()],
            vec!["Freeze".to_string(), "Expand".to_string()],
        ];
        let p = serde_json::json!([["1", "0"], ["1/2", "1/2"]]);
        assert_eq!(
            profile_text(&p, &strategies),
            "[Negotiate] [Freeze 1/2, Expand 1/2]"
        );
        let p = serde_json::json!([[0.0, 1.0], [1, 0]]);
        assert_eq!(profile_text(&p, &strategies), "[Pressure] [Freeze]");
        assert_eq!(profile_text(&serde_json::json!("x"), &strategies), "x");
        assert_eq!(profile_text(&Value::Null, &strategies), "");
    }

    #[test]
    fn forecasts_group_identical_trajectories() {
        let fc = |x: f64| serde_json::json!({"actors": ["A"], "rounds": [[0], [x]], "forecast": x});
        let cases = [
            serde_json::json!({"policy": "base", "forecast": fc(1.0)}),
            serde_json::json!({"policy": "p", "forecast": fc(2.0)}),
            serde_json::json!({"policy": "q", "forecast": fc(1.0)}),
            serde_json::json!({"policy": "r"}),
        ];
        let refs: Vec<&Value> = cases.iter().collect();
        let g = forecast_groups(&refs);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].0, vec!["base".to_string(), "q".to_string()]);
        assert_eq!(g[1].0, vec!["p".to_string()]);
    }

    #[test]
    fn every_model_has_a_name() {
        for code in ["en", "id"] {
            let s = Strings::load(code).unwrap();
            for m in ["mean", "median", "eum", "smp"] {
                assert_ne!(model_name(m, &s), m, "{code} {m}");
            }
            assert_eq!(model_name("other", &s), "other");
        }
    }

    #[test]
    fn one_payer_is_singular() {
        let s = Strings::load("en").unwrap();
        let x = |third: Value| {
            serde_json::json!({"exchanges": [{"policy": "base", "name": "X", "parties": ["A", "B"],
                "p_win_win": 1.0, "positive_sum": true, "p_positive_sum": 1.0,
                "third_parties": third}]})
        };
        let one = summary_sentences(&x(serde_json::json!({"C": -1.0, "D": 2.0})), &s);
        assert!(one[0].ends_with(": C pays for it."), "{}", one[0]);
        let two = summary_sentences(&x(serde_json::json!({"C": -1.0, "D": -2.0})), &s);
        assert!(two[0].ends_with(": D, C pay for it."), "{}", two[0]);
    }

    #[test]
    fn figure_links_go_to_their_sections() {
        let link = |section, path, title, caption| FigureLink {
            section,
            path,
            title,
            caption,
        };
        let links = [
            link(
                "votes",
                "figures/01-votes.svg",
                "Ballots [A]",
                "Ballots [A]",
            ),
            link(
                "claims",
                "figures/02-claims.svg",
                "Tornado",
                "Longest bar *first*",
            ),
        ];
        let votes = figure_links(&links, "votes");
        assert_eq!(votes, "\n![Ballots  A ](figures/01-votes.svg)\n");
        let claims = figure_links(&links, "claims");
        assert!(
            claims.contains("![Tornado](figures/02-claims.svg)"),
            "{claims}"
        );
        assert!(claims.contains("*Longest bar \\*first\\**"), "{claims}");
        assert!(figure_links(&links, "issues").is_empty());
        let s = Strings::load("en").unwrap();
        let r = serde_json::json!({"scenario": {"title": "T"}, "run": {"seed": 1, "draws": 1}});
        let md = render_with_figures(&r, &s, Flavour::Markdown, &[], &links);
        let at = |needle: &str| {
            md.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {md}"))
        };
        assert!(at("## Votes") < at("01-votes.svg") && at("01-votes.svg") < at("## Issues"));
        assert!(at("## Claims") < at("02-claims.svg") && at("02-claims.svg") < at("## Policies"));
    }
}
