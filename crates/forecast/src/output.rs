//! Rendering a [`Forecast`] as text, CSV or JSON.

use crate::result::Forecast;

/// Pretty JSON: `{"model": ..., "issues": [{"issue", "actors", "forecast",
/// "rounds", "stop", "diagnostics"}], ...}`.
pub fn to_json(f: &Forecast) -> String {
    serde_json::to_string_pretty(f).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn num(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Long-format CSV: `issue,round,actor,position`, one row per actor and
/// round, then one `forecast` row per issue (`round` = last round).
pub fn to_csv(f: &Forecast) -> String {
    let mut out = String::from("issue,round,actor,position\n");
    for i in &f.issues {
        for (k, r) in i.rounds.iter().enumerate() {
            for (a, x) in i.actors.iter().zip(r) {
                out.push_str(&format!(
                    "{},{k},{},{}\n",
                    csv_field(&i.issue),
                    csv_field(a),
                    x
                ));
            }
        }
        out.push_str(&format!(
            "{},{},(forecast),{}\n",
            csv_field(&i.issue),
            i.rounds.len().saturating_sub(1),
            i.forecast
        ));
    }
    out
}

/// Human-readable text: per issue the forecast and a table of positions by
/// round (actors as columns when there are few, as rows otherwise).
pub fn to_text(f: &Forecast) -> String {
    let mut out = format!("model: {}", f.model);
    if let Some(p) = &f.preset {
        out.push_str(&format!(" (preset {p})"));
    }
    out.push('\n');
    for n in &f.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    for i in &f.issues {
        out.push_str(&format!(
            "\nissue: {}\nforecast: {}\n",
            i.issue,
            num(i.forecast)
        ));
        if let Some(s) = &i.stop {
            out.push_str(&format!(
                "rounds: {} (stopped: {s})\n",
                i.rounds.len().saturating_sub(1)
            ));
        }
        if i.rounds.len() <= 1 {
            out.push_str("positions:\n");
            for (a, x) in i.actors.iter().zip(&i.rounds[0]) {
                out.push_str(&format!("  {a:<24} {}\n", num(*x)));
            }
            continue;
        }
        // actors as rows, rounds as columns
        let width = i
            .actors
            .iter()
            .map(|a| a.chars().count())
            .max()
            .unwrap_or(5)
            .clamp(5, 32);
        out.push_str(&format!("{:<width$}", "actor"));
        for k in 0..i.rounds.len() {
            out.push_str(&format!(" {:>9}", format!("r{k}")));
        }
        out.push('\n');
        for (ai, a) in i.actors.iter().enumerate() {
            let name: String = a.chars().take(width).collect();
            out.push_str(&format!("{name:<width$}"));
            for r in &i.rounds {
                out.push_str(&format!(" {:>9}", num(r.get(ai).copied().unwrap_or(0.0))));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::IssueForecast;

    fn sample() -> Forecast {
        Forecast {
            model: "mean".into(),
            preset: None,
            options: serde_json::Value::Null,
            issues: vec![IssueForecast {
                issue: "a,b".into(),
                actors: vec!["X".into(), "Y".into()],
                forecast: 2.5,
                rounds: vec![vec![1.0, 4.0]],
                stop: None,
                diagnostics: vec![],
            }],
            notes: vec![],
        }
    }

    #[test]
    fn formats() {
        let f = sample();
        let j: serde_json::Value = serde_json::from_str(&to_json(&f)).unwrap();
        assert_eq!(j["model"], "mean");
        assert_eq!(j["issues"][0]["forecast"], 2.5);
        assert_eq!(j["issues"][0]["rounds"][0][1], 4.0);
        let c = to_csv(&f);
        assert!(c.contains("\"a,b\",0,Y,4\n"), "{c}");
        assert!(c.contains("(forecast),2.5"));
        assert!(to_text(&f).contains("forecast: 2.5"));
    }
}
