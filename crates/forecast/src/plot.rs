//! Plain, well-formed SVG plots: positions by round, and Bueno de Mesquita's
//! quadrant chart of expected utilities (the chart KTAB calls a "quad map").

use crate::result::IssueForecast;

const W: f64 = 720.0;
const H: f64 = 440.0;
const PAL: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn f(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "0".into()
    }
}

/// Line chart of every actor's position by round, with the forecast dashed.
pub fn positions_svg(issue: &IssueForecast) -> String {
    let (ml, mr, mt, mb) = (60.0, 170.0, 40.0, 45.0);
    let pw = W - ml - mr;
    let ph = H - mt - mb;
    let mut lo = issue.forecast;
    let mut hi = issue.forecast;
    for r in &issue.rounds {
        for &x in r {
            if x.is_finite() {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    if hi.is_nan() || lo.is_nan() || hi <= lo {
        lo -= 1.0;
        hi += 1.0;
    }
    let nr = issue.rounds.len().max(2) - 1;
    let sx = |k: usize| ml + pw * k as f64 / nr as f64;
    let sy = |x: f64| mt + ph * (1.0 - (x - lo) / (hi - lo));
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{}\" y=\"22\" font-size=\"14\">{}</text>\n",
        ml,
        esc(&format!("Positions by round: {}", issue.issue))
    );
    s.push_str(&format!(
        "<rect x=\"{ml}\" y=\"{mt}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#444\"/>\n"
    ));
    for t in 0..=4 {
        let v = lo + (hi - lo) * t as f64 / 4.0;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
            ml - 6.0,
            f(sy(v) + 4.0),
            esc(&format!("{v:.3}"))
        ));
    }
    for k in 0..=nr {
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{k}</text>\n",
            f(sx(k)),
            H - mb + 16.0
        ));
    }
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">round</text>\n",
        ml + pw / 2.0,
        H - 8.0
    ));
    for (a, name) in issue.actors.iter().enumerate() {
        let col = PAL[a % PAL.len()];
        let pts: Vec<String> = issue
            .rounds
            .iter()
            .enumerate()
            .map(|(k, r)| format!("{},{}", f(sx(k)), f(sy(r.get(a).copied().unwrap_or(lo)))))
            .collect();
        s.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{col}\" stroke-width=\"1.5\" points=\"{}\"><title>{}</title></polyline>\n",
            pts.join(" "),
            esc(name)
        ));
        if a < 28 {
            let y = mt + 12.0 + 14.0 * a as f64;
            s.push_str(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{col}\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
                W - mr + 10.0,
                f(y - 4.0),
                W - mr + 26.0,
                f(y - 4.0),
                W - mr + 30.0,
                f(y),
                esc(name)
            ));
        }
    }
    s.push_str(&format!(
        "<line x1=\"{ml}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"black\" stroke-dasharray=\"6,4\"/><text x=\"{}\" y=\"{}\">forecast {}</text>\n",
        ml + pw,
        ml + 4.0,
        f(sy(issue.forecast) - 4.0),
        esc(&format!("{:.4}", issue.forecast)),
        y = f(sy(issue.forecast))
    ));
    s.push_str("</svg>\n");
    s
}

/// Bueno de Mesquita's quadrant chart for one focal actor: for each other
/// actor j a point at (E^f(U_fj), E^f(U_jf)): the focal actor's expected
/// utility of challenging j (x) against j's of challenging the focal actor
/// (y), as the focal actor perceives them.
pub fn quadrant_svg(issue: &str, focal: &str, points: &[(String, f64, f64)]) -> String {
    let m = 50.0;
    let size = 440.0;
    let span = points
        .iter()
        .flat_map(|p| [p.1.abs(), p.2.abs()])
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.1;
    let c = m + size / 2.0;
    let sx = |v: f64| c + v / span * size / 2.0;
    let sy = |v: f64| c - v / span * size / 2.0;
    let total = size + 2.0 * m;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"{total}\" viewBox=\"0 0 {total} {total}\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{m}\" y=\"22\" font-size=\"14\">{}</text>\n",
        esc(&format!("Expected utilities of {focal} ({issue})"))
    );
    s.push_str(&format!(
        "<rect x=\"{m}\" y=\"{m}\" width=\"{size}\" height=\"{size}\" fill=\"none\" stroke=\"#444\"/>\n<line x1=\"{m}\" y1=\"{c}\" x2=\"{}\" y2=\"{c}\" stroke=\"#888\"/>\n<line x1=\"{c}\" y1=\"{m}\" x2=\"{c}\" y2=\"{}\" stroke=\"#888\"/>\n",
        m + size,
        m + size
    ));
    for (x, y, label) in [
        (m + size - 6.0, m + 14.0, "conflict"),
        (m + 6.0, m + 14.0, "they compel / compromise"),
        (m + 6.0, m + size - 6.0, "stalemate"),
        (m + size - 6.0, m + size - 6.0, "we compel / compromise"),
    ] {
        let anchor = if x > c { "end" } else { "start" };
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" fill=\"#666\">{}</text>\n",
            esc(label)
        ));
    }
    s.push_str(&format!(
        "<text x=\"{c}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n<text x=\"14\" y=\"{c}\" transform=\"rotate(-90 14 {c})\" text-anchor=\"middle\">{}</text>\n",
        total - 12.0,
        esc(&format!("E({focal} challenges j)")),
        esc(&format!("E(j challenges {focal})"))
    ));
    for (k, (name, x, y)) in points.iter().enumerate() {
        let col = PAL[k % PAL.len()];
        s.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{col}\"><title>{}</title></circle><text x=\"{}\" y=\"{}\">{}</text>\n",
            f(sx(*x)),
            f(sy(*y)),
            esc(&format!("{name}: ({x:.5}, {y:.5})")),
            f(sx(*x) + 6.0),
            f(sy(*y) - 4.0),
            esc(name)
        ));
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_closed_and_escaped() {
        let i = IssueForecast {
            issue: "a<b".into(),
            actors: vec!["X&Y".into(), "Z".into()],
            forecast: 2.0,
            rounds: vec![vec![1.0, 3.0], vec![2.0, 2.0]],
            stop: None,
            diagnostics: vec![],
        };
        let s = positions_svg(&i);
        assert!(s.starts_with("<svg") && s.trim_end().ends_with("</svg>"));
        assert!(s.contains("a&lt;b") && s.contains("X&amp;Y"));
        assert!(!s.contains("NaN"));
        let q = quadrant_svg("i", "F", &[("A".into(), 0.1, -0.2)]);
        assert!(q.contains("<circle") && q.trim_end().ends_with("</svg>"));
    }
}
