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
                "payers",
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

/// Renders the whole report. `reproducibility` holds extra lines (version,
/// input hash) that the caller knows.
pub fn render(
    r: &Value,
    s: &Strings,
    flavour: Flavour,
    reproducibility: &[(String, String)],
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
        if x["policy"] != "base" {
            let base = exchanges
                .iter()
                .find(|b| b["exchange"] == x["exchange"] && b["policy"] == "base");
            if base.is_some_and(|b| {
                b["surplus_draws"] == x["surplus_draws"]
                    && b["world_sum_draws"] == x["world_sum_draws"]
            }) {
                continue;
            }
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
            for e in g["equilibria"].as_array().into_iter().flatten() {
                let prof: Vec<String> = e["profile"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| format!("[{}]", strs(p).join(", ")))
                    .collect();
                let pay = strs(&e["payoffs"]).join(", ");
                out.push_str(&format!(
                    "    {}: {}; {}: {}\n",
                    s.get("equilibrium"),
                    prof.join(" "),
                    s.get("payoffs"),
                    pay
                ));
            }
        }
    }

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
}
