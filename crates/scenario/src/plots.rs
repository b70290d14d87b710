//! SVG plots for the HTML report, drawn with the `plotters` crate (its SVG
//! backend, no font files: text is set in a generic font family and laid
//! out by the browser).
//!
//! Two chart kinds cover the report:
//! - [`range_chart`]: one row per labelled distribution, drawn as a box of
//!   its central 90% (p5..p95), a whisker from min to max, a tick at the
//!   median, a dot at the mean and a diamond at the point estimate, with a
//!   vertical reference line (zero surplus, the status quo). Used for the
//!   surplus distributions per actor and each issue's outcome per policy.
//! - [`tornado`]: the signed importance of each input to a claim, largest
//!   at the top (a tornado diagram; Howard, "Decision analysis: practice and
//!   promise", Management Science 34(6), 1988).
//!
//! Colours are the Okabe-Ito palette (Okabe & Ito, "Color Universal
//! Design", 2002), safe for the common colour-vision deficiencies.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// Okabe-Ito blue.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe-Ito vermillion.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe-Ito orange.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe-Ito sky blue.
pub const SKY: RGBColor = RGBColor(86, 180, 233);
/// Okabe-Ito bluish green.
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
const INK: RGBColor = RGBColor(34, 34, 34);
const GREY: RGBColor = RGBColor(120, 120, 120);

/// The generic font family of every text in the plots.
const FONT: &str = "sans-serif";

/// Pixel height of a row in both chart kinds.
const ROW: u32 = 30;
/// Plot width in pixels (the page scales it down on narrow screens).
const WIDTH: u32 = 860;

/// One row of a [`range_chart`]: a labelled distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRow {
    pub label: String,
    pub min: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    pub mean: f64,
    /// The value at the point estimates, when known.
    pub point: Option<f64>,
    /// Highlight the row (e.g. the world sum) in the second colour.
    pub accent: bool,
}

/// One bar of a [`tornado`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    /// Signed importance, in -1..=1.
    pub value: f64,
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("plot: {e:?}")
}

fn finite(x: f64) -> bool {
    x.is_finite()
}

/// Pixel width of the label area for these labels (the naive layout of
/// plotters estimates 0.7 em a character; 16 px text).
fn label_area(labels: impl Iterator<Item = usize>) -> u32 {
    let longest = labels.max().unwrap_or(4) as u32;
    (longest * 9 + 18).clamp(60, 380)
}

/// A row index `k` (0 = top row) in segmented coordinates, whose index 0
/// is at the bottom.
fn seg(n: usize, k: usize) -> i32 {
    (n - 1 - k) as i32
}

/// An x range that holds `lo..hi` with a margin, never empty.
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.06
    } else {
        lo.abs().max(1.0) * 0.1
    };
    (lo - pad, hi + pad)
}

/// Distributions as horizontal box-and-whisker rows (see the module doc).
/// `reference` draws a labelled vertical line. Rows with a non-finite
/// number are left out; no rows gives `Err`.
pub fn range_chart(
    rows: &[RangeRow],
    reference: Option<(f64, &str)>,
    x_desc: &str,
) -> Result<String, String> {
    let rows: Vec<&RangeRow> = rows
        .iter()
        .filter(|r| {
            [r.min, r.p5, r.p50, r.p95, r.max, r.mean]
                .into_iter()
                .all(finite)
                && r.point.is_none_or(finite)
        })
        .collect();
    if rows.is_empty() {
        return Err("plot: nothing to draw".into());
    }
    let n = rows.len();
    let mut lo = rows
        .iter()
        .map(|r| r.min.min(r.point.unwrap_or(r.min)))
        .fold(f64::INFINITY, f64::min);
    let mut hi = rows
        .iter()
        .map(|r| r.max.max(r.point.unwrap_or(r.max)))
        .fold(f64::NEG_INFINITY, f64::max);
    if let Some((x, _)) = reference.filter(|(x, _)| finite(*x)) {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    let (x0, x1) = padded(lo, hi);
    let height = n as u32 * ROW + 70;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(12)
            .margin_right(24)
            .margin_left(8)
            .x_label_area_size(44)
            .y_label_area_size(label_area(rows.iter().map(|r| r.label.chars().count())))
            .build_cartesian_2d(x0..x1, (0..n as i32).into_segmented())
            .map_err(err)?;
        let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
        let fmt_y = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) if *i >= 0 && (*i as usize) < n => {
                labels[n - 1 - *i as usize].clone()
            }
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&fmt_y)
            .x_labels(8)
            .x_desc(x_desc)
            .max_light_lines(1)
            .light_line_style(RGBColor(240, 240, 240))
            .bold_line_style(RGBColor(215, 215, 215))
            .axis_style(GREY)
            .label_style((FONT, 16).into_font().color(&INK))
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .draw()
            .map_err(err)?;
        if let Some((x, name)) = reference.filter(|(x, _)| finite(*x)) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![
                        (x, SegmentValue::Exact(0)),
                        (x, SegmentValue::Exact(n as i32)),
                    ],
                    INK.stroke_width(1),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    name.to_string(),
                    (x, SegmentValue::Exact(n as i32)),
                    (FONT, 15).into_font().color(&INK),
                )))
                .map_err(err)?;
        }
        for (k, r) in rows.iter().enumerate() {
            let i = seg(n, k);
            let colour = if r.accent { ORANGE } else { SKY };
            let dark = if r.accent { VERMILLION } else { BLUE };
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![
                        (r.min, SegmentValue::CenterOf(i)),
                        (r.max, SegmentValue::CenterOf(i)),
                    ],
                    dark.stroke_width(1),
                )))
                .map_err(err)?;
            let mut bar = Rectangle::new(
                [
                    (r.p5, SegmentValue::Exact(i)),
                    (r.p95, SegmentValue::Exact(i + 1)),
                ],
                colour.mix(0.75).filled(),
            );
            bar.set_margin(8, 8, 0, 0);
            chart.draw_series(std::iter::once(bar)).map_err(err)?;
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((r.p50, SegmentValue::CenterOf(i)))
                        + Rectangle::new([(-1, -7), (1, 7)], dark.filled()),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (r.mean, SegmentValue::CenterOf(i)),
                    4,
                    ShapeStyle::from(&WHITE).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (r.mean, SegmentValue::CenterOf(i)),
                    4,
                    dark.stroke_width(2),
                )))
                .map_err(err)?;
            if let Some(p) = r.point {
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((p, SegmentValue::CenterOf(i)))
                            + Polygon::new(vec![(0, -6), (6, 0), (0, 6), (-6, 0)], INK.filled()),
                    ))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A tornado chart: one bar per input from zero to its signed importance,
/// largest magnitude at the top; positive bars in blue, negative in
/// vermillion. No bars gives `Err`.
pub fn tornado(bars: &[TornadoBar], x_desc: &str) -> Result<String, String> {
    let mut bars: Vec<&TornadoBar> = bars.iter().filter(|b| finite(b.value)).collect();
    if bars.is_empty() {
        return Err("plot: nothing to draw".into());
    }
    bars.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
    let n = bars.len();
    let m = bars.iter().map(|b| b.value.abs()).fold(0.0, f64::max);
    let m = (m * 1.15).clamp(0.05, 1.0);
    let height = n as u32 * ROW + 70;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(12)
            .margin_right(24)
            .margin_left(8)
            .x_label_area_size(44)
            .y_label_area_size(label_area(bars.iter().map(|b| b.label.chars().count())))
            .build_cartesian_2d(-m..m, (0..n as i32).into_segmented())
            .map_err(err)?;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let fmt_y = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) if *i >= 0 && (*i as usize) < n => {
                labels[n - 1 - *i as usize].clone()
            }
            _ => String::new(),
        };
        let fmt_x = |x: &f64| {
            let s = format!("{x:+.2}");
            if s == "+0.00" || s == "-0.00" {
                "0".to_string()
            } else {
                s
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&fmt_y)
            .x_labels(9)
            .x_label_formatter(&fmt_x)
            .x_desc(x_desc)
            .max_light_lines(1)
            .light_line_style(RGBColor(240, 240, 240))
            .bold_line_style(RGBColor(215, 215, 215))
            .axis_style(GREY)
            .label_style((FONT, 16).into_font().color(&INK))
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .draw()
            .map_err(err)?;
        for (k, b) in bars.iter().enumerate() {
            let i = seg(n, k);
            let colour = if b.value >= 0.0 { BLUE } else { VERMILLION };
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (b.value, SegmentValue::Exact(i + 1)),
                ],
                colour.filled(),
            );
            bar.set_margin(6, 6, 0, 0);
            chart.draw_series(std::iter::once(bar)).map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![
                    (0.0, SegmentValue::Exact(0)),
                    (0.0, SegmentValue::Exact(n as i32)),
                ],
                INK.stroke_width(1),
            )))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, lo: f64, hi: f64) -> RangeRow {
        RangeRow {
            label: label.into(),
            min: lo,
            p5: lo + 1.0,
            p50: (lo + hi) / 2.0,
            p95: hi - 1.0,
            max: hi,
            mean: (lo + hi) / 2.0,
            point: Some(lo + 2.0),
            accent: false,
        }
    }

    #[test]
    fn range_chart_is_svg_with_labels() {
        let svg = range_chart(
            &[row("DPRK", -5.0, 20.0), row("RUS", 0.0, 9.0)],
            Some((0.0, "zero")),
            "surplus",
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(
            svg.contains("DPRK")
                && svg.contains("RUS")
                && svg.contains("zero")
                && svg.contains("surplus")
        );
        assert!(svg.contains("sans-serif"));
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn range_chart_skips_non_finite_and_rejects_empty() {
        let mut bad = row("bad", 0.0, 1.0);
        bad.mean = f64::NAN;
        assert!(range_chart(&[bad.clone()], None, "x").is_err());
        let svg = range_chart(&[bad, row("good", 1.0, 1.0)], None, "x").unwrap();
        assert!(svg.contains("good") && !svg.contains(">\nbad\n<"));
        assert!(range_chart(&[], None, "x").is_err());
    }

    #[test]
    fn tornado_orders_by_magnitude() {
        let bars = [
            TornadoBar {
                label: "small".into(),
                value: 0.1,
            },
            TornadoBar {
                label: "large".into(),
                value: -0.8,
            },
        ];
        let svg = tornado(&bars, "importance").unwrap();
        // The largest bar is at the top: its label comes first in y order.
        let y_of = |l: &str| {
            let at = svg.find(&format!(">\n{l}\n<")).unwrap();
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            let y = tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap();
            y.parse::<f64>().unwrap()
        };
        assert!(y_of("large") < y_of("small"));
        assert!(
            svg.contains("rgb(213,94,0)") || svg.contains("#D55E00") || svg.contains("#d55e00")
        );
        assert!(tornado(&[], "x").is_err());
    }
}
