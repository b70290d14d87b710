//! Readers for the peers' input formats, with errors at `file:line:col`.
//!
//! * EUM replications (jmckib, dmasad, decisionmechanics): a CSV with a
//!   header naming the columns actor/name/stakeholder (first column),
//!   capability/c/resources/power, position/x and salience/s. Saliences on
//!   0–100 (dmasad's files) are detected and divided by 100, with a note.
//! * KTAB SMP CSV: line 1 `scenario,description,nActors,nDims,`, line 2 the
//!   column titles, then `actor,description,power,pos1,sal1,...`; positions and
//!   saliences on 0–100, each actor's saliences summing to at most 100.
//! * decide-exchange-model: tab-separated, optionally single-quoted fields;
//!   rows `#A` actor, `#P` issue, `#M` scale point, `#D` actor-issue
//!   (actor, issue, position, salience 0–1, power 0–1); `#/`, `#0`, `#O`
//!   are comments/titles.
//!
//! Every reader collects all the problems it finds and returns them together.

use crate::data::{min_max, Cell, Dataset, Format, Issue};
use crate::error::{ForecastError, Result};
use std::collections::HashMap;
use std::path::Path;

/// A field of a split line with its 1-based column.
#[derive(Debug, Clone)]
struct Field {
    text: String,
    col: usize,
}

/// Read a file in any supported format (detected from its content).
pub fn read_file(path: &Path) -> Result<Dataset> {
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ForecastError::Io {
        file: label.clone(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ForecastError::Io {
        file: label.clone(),
        message: format!("not UTF-8 text ({e})"),
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| label.clone());
    parse_str(&text, &label, &stem)
}

/// Parse text in any supported format. `file` labels error messages; `name`
/// names the dataset when the format has no title.
pub fn parse_str(text: &str, file: &str, name: &str) -> Result<Dataset> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty());
    let Some(first) = first else {
        return Err(ForecastError::parse(file, 1, 1, "the file is empty"));
    };
    let t = first.trim_start();
    if t.starts_with('#') || t.starts_with("'#") {
        return parse_decide(text, file, name);
    }
    let fields = split_csv(first);
    if fields.len() >= 4
        && fields[2].text.trim().parse::<usize>().is_ok()
        && fields[3].text.trim().parse::<usize>().is_ok()
    {
        return parse_ktab(text, file);
    }
    parse_eum(text, file, name)
}

/// Split a comma-separated line, honouring double quotes.
fn split_csv(line: &str) -> Vec<Field> {
    split_with(line, ',', '"')
}

fn split_with(line: &str, sep: char, quote: char) -> Vec<Field> {
    let line = line.trim_end_matches(['\r', '\n']);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut col = 1;
    let mut start = 1;
    let mut in_quote = false;
    for ch in line.chars() {
        if ch == quote {
            in_quote = !in_quote;
        } else if ch == sep && !in_quote {
            out.push(Field {
                text: cur.clone(),
                col: start,
            });
            cur.clear();
            start = col + 1;
        } else {
            if cur.trim().is_empty() && ch.is_whitespace() {
                // keep the column of the first visible character
                start = col + 1;
                cur.clear();
                col += 1;
                continue;
            }
            cur.push(ch);
        }
        col += 1;
    }
    out.push(Field {
        text: cur,
        col: start,
    });
    for f in &mut out {
        f.text = f.text.trim().to_string();
    }
    out
}

fn number(file: &str, line: usize, f: &Field, what: &str, errors: &mut Vec<ForecastError>) -> f64 {
    match f.text.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        Ok(_) => {
            errors.push(ForecastError::parse(
                file,
                line,
                f.col,
                format!("{what} must be a finite number, found '{}'", f.text),
            ));
            f64::NAN
        }
        Err(_) => {
            errors.push(ForecastError::parse(
                file,
                line,
                f.col,
                format!("{what} must be a number, found '{}'", f.text),
            ));
            f64::NAN
        }
    }
}

fn finish(dataset: Dataset, mut errors: Vec<ForecastError>) -> Result<Dataset> {
    errors.sort_by_key(|e| match e {
        ForecastError::Parse { location, .. } => (location.line, location.col),
        _ => (usize::MAX, 0),
    });
    match ForecastError::from_list(errors) {
        Some(e) => Err(e),
        None => Ok(dataset),
    }
}

/// `Actor,Capability,Position,Salience` files.
fn parse_eum(text: &str, file: &str, name: &str) -> Result<Dataset> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((hl, header)) = lines.next() else {
        return Err(ForecastError::parse(file, 1, 1, "the file is empty"));
    };
    let hfields = split_csv(header);
    let find = |names: &[&str]| {
        hfields
            .iter()
            .position(|f| names.contains(&f.text.to_ascii_lowercase().as_str()))
    };
    let name_col = find(&["actor", "name", "stakeholder", "actors"]).unwrap_or(0);
    let cap_col = find(&[
        "capability",
        "c",
        "resources",
        "power",
        "clout",
        "influence",
    ]);
    let pos_col = find(&["position", "x"]);
    let sal_col = find(&["salience", "s"]);
    let mut missing = Vec::new();
    if cap_col.is_none() {
        missing.push("capability (Capability/c/Resources/Power)");
    }
    if pos_col.is_none() {
        missing.push("position (Position/x)");
    }
    if sal_col.is_none() {
        missing.push("salience (Salience/s)");
    }
    let (Some(cap_col), Some(pos_col), Some(sal_col)) = (cap_col, pos_col, sal_col) else {
        return Err(ForecastError::parse(
            file,
            hl + 1,
            1,
            format!(
                "header must name the columns Actor,Capability,Position,Salience; missing {}",
                missing.join(", ")
            ),
        ));
    };
    let need = 1 + name_col.max(cap_col).max(pos_col).max(sal_col);
    let mut errors = Vec::new();
    let mut actors = Vec::new();
    let mut rows: Vec<(usize, Field, f64, f64, f64)> = Vec::new();
    for (ln, line) in lines {
        let f = split_csv(line);
        if f.len() < need {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                line.len().max(1),
                format!("expected {need} fields, found {}", f.len()),
            ));
            continue;
        }
        let c = number(file, ln + 1, &f[cap_col], "capability", &mut errors);
        let x = number(file, ln + 1, &f[pos_col], "position", &mut errors);
        let s = number(file, ln + 1, &f[sal_col], "salience", &mut errors);
        if c.is_finite() && c < 0.0 {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                f[cap_col].col,
                format!("capability must be ≥ 0, found {c}"),
            ));
        }
        if s.is_finite() && !(0.0..=100.0).contains(&s) {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                f[sal_col].col,
                format!("salience must be in [0, 1] (or [0, 100]), found {s}"),
            ));
        }
        let nm = f[name_col].text.clone();
        if actors.contains(&nm) {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                f[name_col].col,
                format!("actor '{nm}' appears twice"),
            ));
        }
        actors.push(nm);
        rows.push((ln + 1, f[sal_col].clone(), c, x, s));
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ForecastError::parse(
            file,
            hl + 2,
            1,
            "no actor rows after the header",
        ));
    }
    // Saliences on 0–100 (dmasad's files) are recognised when some exceed 1
    // and none lies strictly between 0 and 1; otherwise values above 1 are errors.
    let mut notes = Vec::new();
    let percent = rows.iter().any(|r| r.4 > 1.0) && rows.iter().all(|r| r.4 == 0.0 || r.4 >= 1.0);
    if percent {
        notes.push("saliences read on a 0–100 scale and divided by 100".to_string());
    } else {
        for r in &rows {
            if r.4 > 1.0 && r.4 <= 100.0 {
                errors.push(ForecastError::parse(
                    file,
                    r.0,
                    r.1.col,
                    format!("salience must be in [0, 1], found {} (a 0–100 scale needs every salience to be 0 or ≥ 1)", r.4),
                ));
            }
        }
    }
    let positions: Vec<f64> = rows.iter().map(|r| r.3).collect();
    let (lower, upper) = min_max(&positions);
    let cells = rows
        .iter()
        .map(|r| {
            vec![Some(Cell {
                position: r.3,
                salience: if percent { r.4 / 100.0 } else { r.4 },
                capability: r.2,
            })]
        })
        .collect();
    let pos_title = hfields[pos_col].text.clone();
    let issue_name =
        if pos_title.eq_ignore_ascii_case("x") || pos_title.eq_ignore_ascii_case("position") {
            name.to_string()
        } else {
            pos_title
        };
    finish(
        Dataset {
            name: name.to_string(),
            format: Format::Eum,
            actors,
            issues: vec![Issue {
                name: issue_name,
                lower,
                upper,
            }],
            cells,
            notes,
        },
        errors,
    )
}

/// KTAB SMP CSV.
fn parse_ktab(text: &str, file: &str) -> Result<Dataset> {
    let all: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let mut errors = Vec::new();
    let (l1, first) = all[0];
    let f1 = split_csv(first);
    let scen = f1[0].text.clone();
    let n_actors: usize = f1[2].text.parse().unwrap_or(0);
    let n_dims: usize = f1[3].text.parse().unwrap_or(0);
    if n_actors == 0 {
        errors.push(ForecastError::parse(
            file,
            l1 + 1,
            f1[2].col,
            "number of actors must be at least 1",
        ));
    }
    if n_dims == 0 {
        errors.push(ForecastError::parse(
            file,
            l1 + 1,
            f1[3].col,
            "number of dimensions must be at least 1",
        ));
    }
    if !errors.is_empty() {
        return Err(ForecastError::from_list(errors)
            .unwrap_or_else(|| ForecastError::Invalid("bad header".into())));
    }
    let Some(&(_, header)) = all.get(1) else {
        return Err(ForecastError::parse(
            file,
            l1 + 2,
            1,
            "missing the column-title line",
        ));
    };
    let hf = split_csv(header);
    let issues: Vec<Issue> = (0..n_dims)
        .map(|d| Issue {
            name: hf
                .get(3 + 2 * d)
                .map(|f| f.text.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| format!("Dim{}", d + 1)),
            lower: 0.0,
            upper: 100.0,
        })
        .collect();
    let need = 3 + 2 * n_dims;
    let mut actors = Vec::new();
    let mut cells = Vec::new();
    for &(ln, line) in &all[2..] {
        let f = split_csv(line);
        let used = f
            .iter()
            .rposition(|x| !x.text.is_empty())
            .map_or(0, |p| p + 1);
        if used != need {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                1,
                format!("expected {need} fields (actor, description, power, then position and salience for {n_dims} dimensions), found {used}"),
            ));
            continue;
        }
        let name = f[0].text.clone();
        if name.chars().count() > 25 {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                f[0].col,
                format!("actor name '{name}' is longer than KTAB's 25 characters"),
            ));
        }
        if actors.contains(&name) {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                f[0].col,
                format!("actor '{name}' appears twice"),
            ));
        }
        let power = number(file, ln + 1, &f[2], "power", &mut errors);
        if power.is_finite() && power < 0.0 {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                f[2].col,
                format!("power must be ≥ 0, found {power}"),
            ));
        }
        let mut row = Vec::new();
        let mut total = 0.0;
        for d in 0..n_dims {
            let pf = &f[3 + 2 * d];
            let sf = &f[4 + 2 * d];
            let x = number(file, ln + 1, pf, "position", &mut errors);
            let s = number(file, ln + 1, sf, "salience", &mut errors);
            if x.is_finite() && !(0.0..=100.0).contains(&x) {
                errors.push(ForecastError::parse(
                    file,
                    ln + 1,
                    pf.col,
                    format!(
                        "position on dimension {} must be in [0, 100], found {x}",
                        d + 1
                    ),
                ));
            }
            if s.is_finite() && !(0.0..=100.0).contains(&s) {
                errors.push(ForecastError::parse(
                    file,
                    ln + 1,
                    sf.col,
                    format!(
                        "salience on dimension {} must be in [0, 100], found {s}",
                        d + 1
                    ),
                ));
            }
            total += s;
            row.push(Some(Cell {
                position: x,
                salience: s / 100.0,
                capability: power,
            }));
        }
        if total > 100.0 + 1e-9 {
            errors.push(ForecastError::parse(
                file,
                ln + 1,
                f[4].col,
                format!("saliences of actor '{name}' sum to {total}, more than 100"),
            ));
        }
        actors.push(name);
        cells.push(row);
    }
    if errors.is_empty() && actors.len() != n_actors {
        let (ln, _) = all[all.len() - 1];
        errors.push(ForecastError::parse(
            file,
            ln + 1,
            1,
            format!(
                "line 1 announces {n_actors} actors but the file has {}",
                actors.len()
            ),
        ));
    }
    finish(
        Dataset {
            name: scen,
            format: Format::Ktab,
            actors,
            issues,
            cells,
            notes: Vec::new(),
        },
        errors,
    )
}

/// decide-exchange-model input.
fn parse_decide(text: &str, file: &str, name: &str) -> Result<Dataset> {
    let mut errors = Vec::new();
    let mut actors: Vec<String> = Vec::new();
    let mut actor_index: HashMap<String, usize> = HashMap::new();
    let mut issues: Vec<String> = Vec::new();
    let mut issue_index: HashMap<String, usize> = HashMap::new();
    let mut scale: HashMap<usize, Vec<f64>> = HashMap::new();
    // (line, actor, issue, position field col, position, salience, power)
    let mut data: Vec<(usize, usize, usize, usize, f64, f64, f64)> = Vec::new();
    let mut title = name.to_string();
    for (ln0, line) in text.lines().enumerate() {
        let ln = ln0 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let f = split_with(line, '\t', '\'');
        let kind = f[0].text.as_str();
        match kind {
            "#/" | "#0" => {}
            "#O" => {
                if let Some(t) = f.get(1) {
                    title = t.text.clone();
                }
            }
            "#A" => {
                let Some(key) = f.get(1).filter(|k| !k.text.is_empty()) else {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[0].col,
                        "#A row needs an actor key",
                    ));
                    continue;
                };
                if actor_index.contains_key(&key.text) {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        key.col,
                        format!("actor '{}' is defined twice", key.text),
                    ));
                    continue;
                }
                actor_index.insert(key.text.clone(), actors.len());
                actors.push(key.text.clone());
            }
            "#P" => {
                let Some(key) = f.get(1).filter(|k| !k.text.is_empty()) else {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[0].col,
                        "#P row needs an issue key",
                    ));
                    continue;
                };
                if issue_index.contains_key(&key.text) {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        key.col,
                        format!("issue '{}' is defined twice", key.text),
                    ));
                    continue;
                }
                issue_index.insert(key.text.clone(), issues.len());
                issues.push(key.text.clone());
            }
            "#M" => {
                if f.len() < 3 {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[0].col,
                        "#M row needs an issue key and a value",
                    ));
                    continue;
                }
                let Some(&d) = issue_index.get(&f[1].text) else {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[1].col,
                        format!(
                            "unknown issue '{}' (define it with a #P row first)",
                            f[1].text
                        ),
                    ));
                    continue;
                };
                let v = number(file, ln, &f[2], "scale value", &mut errors);
                if v.is_finite() {
                    scale.entry(d).or_default().push(v);
                }
            }
            "#D" => {
                if f.len() < 6 {
                    errors.push(ForecastError::parse(file, ln, f[0].col, format!("#D row needs actor, issue, position, salience and power; found {} fields", f.len() - 1)));
                    continue;
                }
                let a = actor_index.get(&f[1].text).copied();
                if a.is_none() {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[1].col,
                        format!("unknown actor '{}' (no #A row defines it)", f[1].text),
                    ));
                }
                let d = issue_index.get(&f[2].text).copied();
                if d.is_none() {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[2].col,
                        format!("unknown issue '{}' (no #P row defines it)", f[2].text),
                    ));
                }
                let x = number(file, ln, &f[3], "position", &mut errors);
                let s = number(file, ln, &f[4], "salience", &mut errors);
                let c = number(file, ln, &f[5], "power", &mut errors);
                if s.is_finite() && !(0.0..=1.0).contains(&s) {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[4].col,
                        format!("salience must be in [0, 1], found {s}"),
                    ));
                }
                if c.is_finite() && !(0.0..=1.0).contains(&c) {
                    errors.push(ForecastError::parse(
                        file,
                        ln,
                        f[5].col,
                        format!("power must be in [0, 1], found {c}"),
                    ));
                }
                if let (Some(a), Some(d)) = (a, d) {
                    if data.iter().any(|r| r.1 == a && r.2 == d) {
                        errors.push(ForecastError::parse(
                            file,
                            ln,
                            f[1].col,
                            format!(
                                "actor '{}' has two #D rows for issue '{}'",
                                f[1].text, f[2].text
                            ),
                        ));
                        continue;
                    }
                    if x.is_finite() && s.is_finite() && c.is_finite() {
                        data.push((ln, a, d, f[3].col, x, s, c));
                    }
                }
            }
            other => {
                errors.push(ForecastError::parse(
                    file,
                    ln,
                    f[0].col,
                    format!("unknown row type '{other}' (expected #A, #P, #M, #D, #/ or #0)"),
                ));
            }
        }
    }
    let bounds: Vec<(f64, f64)> = (0..issues.len())
        .map(|d| match scale.get(&d) {
            Some(v) if v.len() >= 2 => min_max(v),
            _ => (0.0, 100.0),
        })
        .collect();
    for (d, (lo, hi)) in bounds.iter().enumerate() {
        if hi <= lo {
            errors.push(ForecastError::Invalid(format!(
                "{file}: issue '{}': #M rows give an empty scale [{lo}, {hi}]",
                issues[d]
            )));
        }
    }
    let mut cells = vec![vec![None; issues.len()]; actors.len()];
    for &(ln, a, d, col, x, s, c) in &data {
        let (lo, hi) = bounds[d];
        if x < lo || x > hi {
            errors.push(ForecastError::parse(
                file,
                ln,
                col,
                format!(
                    "position {x} of actor '{}' is outside the scale [{lo}, {hi}] of issue '{}'",
                    actors[a], issues[d]
                ),
            ));
            continue;
        }
        cells[a][d] = Some(Cell {
            position: x,
            salience: s,
            capability: c,
        });
    }
    if errors.is_empty() && data.is_empty() {
        errors.push(ForecastError::parse(file, 1, 1, "no #D (actor-issue) rows"));
    }
    finish(
        Dataset {
            name: title,
            format: Format::Decide,
            actors,
            issues: issues
                .into_iter()
                .zip(bounds)
                .map(|(name, (lower, upper))| Issue { name, lower, upper })
                .collect(),
            cells,
            notes: Vec::new(),
        },
        errors,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eum_reader_and_percent_salience() {
        let d = parse_str(
            "Actor,Capability,Position,Salience\nA,1,4,80\nB,2,10,50\n",
            "t.csv",
            "t",
        )
        .unwrap();
        assert_eq!(d.actors, vec!["A", "B"]);
        let i = d.issue(0).unwrap();
        assert_eq!(i.saliences, vec![0.8, 0.5]);
        assert_eq!((i.lower, i.upper), (4.0, 10.0));
        assert_eq!(d.notes.len(), 1);
    }

    #[test]
    fn eum_errors_have_locations() {
        let e = parse_str(
            "Actor,Capability,Position,Salience\nA,x,4,0.5\nB,1,NaN,0.5\n",
            "t.csv",
            "t",
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(s.contains("t.csv:2:3: capability must be a number"), "{s}");
        assert!(
            s.contains("t.csv:3:5: position must be a finite number"),
            "{s}"
        );
        let e = parse_str(
            "Actor,Capability,Position,Salience\nA,1,4,1.5\nB,1,5,0.5\n",
            "s.csv",
            "s",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("s.csv:2:7: salience must be in [0, 1]"),
            "{e}"
        );
        let e = parse_str("Name,Pos\nA,1\n", "h.csv", "h").unwrap_err();
        assert!(
            e.to_string().starts_with("h.csv:1:1: header must name"),
            "{e}"
        );
    }

    #[test]
    fn empty_file_is_an_error() {
        let e = parse_str("  \n\n", "e.csv", "e").unwrap_err();
        assert_eq!(e.to_string(), "e.csv:1:1: the file is empty");
    }

    #[test]
    fn ktab_reader() {
        let text = "S ,\"desc, quoted\",2,2,\nActor,Description,Power,P1,S1,P2,S2,\nA, a, 10, 20, 30, 40, 50,\nB, b, 5, 60, 10, 70, 20\n";
        let d = parse_str(text, "k.csv", "k").unwrap();
        assert_eq!(d.format, Format::Ktab);
        assert_eq!(d.issues.len(), 2);
        assert_eq!(d.issues[1].name, "P2");
        let i = d.issue(1).unwrap();
        assert_eq!(i.positions, vec![40.0, 70.0]);
        assert_eq!(i.saliences, vec![0.5, 0.2]);
        assert_eq!(i.capabilities, vec![10.0, 5.0]);
        let bad = "S,d,1,1,\nActor,Description,Power,P1,S1,\nA, a, 10, 120, 30,\n";
        let e = parse_str(bad, "k.csv", "k").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("k.csv:3:11: position on dimension 1"),
            "{e}"
        );
    }

    #[test]
    fn decide_reader() {
        let text = "'#A'\t'X'\t'X'\t''\n#A\tY\tY\n#P\tp\tp\n#M\tp\t0\n#M\tp\t10\n#D\tX\tp\t5\t0.5\t1\n#D\tY\tp\t10\t1\t0.5\n";
        let d = parse_str(text, "d.csv", "d").unwrap();
        assert_eq!(d.format, Format::Decide);
        assert_eq!((d.issues[0].lower, d.issues[0].upper), (0.0, 10.0));
        let e = parse_str("#A\tX\n#P\tp\n#D\tZ\tq\t5\t2\t1\n", "d.csv", "d").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("d.csv:3:4: unknown actor 'Z'"), "{s}");
        assert!(s.contains("d.csv:3:6: unknown issue 'q'"), "{s}");
        assert!(s.contains("d.csv:3:10: salience must be in [0, 1]"), "{s}");
    }
}
