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
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// The grid, axis and label style every chart of the report shares.
trait HouseStyle {
    fn house_style(&mut self) -> &mut Self;
}

impl<X, Y, DB> HouseStyle for plotters::chart::MeshStyle<'_, '_, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
{
    fn house_style(&mut self) -> &mut Self {
        self.light_line_style(RGBColor(240, 240, 240))
            .bold_line_style(RGBColor(215, 215, 215))
            .axis_style(GREY)
            .label_style((FONT, 16).into_font().color(&INK))
            .axis_desc_style((FONT, 16).into_font().color(&INK))
    }
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
            .x_label_formatter(&plain)
            .x_desc(x_desc)
            .max_light_lines(1)
            .house_style()
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
            .house_style()
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

/// One row of a [`histogram_rows`] chart: a distribution as equal-width
/// bins, with its quantiles and the value at the point estimates marked.
#[derive(Debug, Clone, PartialEq)]
pub struct HistRow {
    pub label: String,
    /// Bin edges, one more than the counts, ascending.
    pub edges: Vec<f64>,
    /// Draws per bin.
    pub counts: Vec<f64>,
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    /// The value at the point estimates, when known.
    pub point: Option<f64>,
    /// Highlight the row (e.g. the world sum) in the second colour.
    pub accent: bool,
}

impl HistRow {
    /// Whether the row can be drawn: edges and counts agree in length, all
    /// finite, edges ascending, counts non-negative and not all zero.
    fn valid(&self) -> bool {
        self.counts.len() + 1 == self.edges.len()
            && self.edges.iter().all(|e| e.is_finite())
            && self.edges.windows(2).all(|w| w[0] <= w[1])
            && self.counts.iter().all(|c| c.is_finite() && *c >= 0.0)
            && self.counts.iter().any(|c| *c > 0.0)
            && [self.p5, self.p50, self.p95, self.point]
                .into_iter()
                .all(|x| x.is_none_or(finite))
    }
}

/// Pixel height of a histogram row.
const HIST_ROW: u32 = 64;

/// Distributions as histograms stacked in rows over one shared x axis (a
/// "ridgeline" of small multiples, so that rows compare by position): each
/// row's bars are scaled to its own tallest bin; dashed lines mark the 5th
/// and 95th percentiles, a solid line the median, a diamond under the bars
/// the value at the point estimates. `reference` draws a labelled vertical
/// line. Rows that cannot be drawn are left out; none gives `Err`.
pub fn histogram_rows(
    rows: &[HistRow],
    reference: Option<(f64, &str)>,
    x_desc: &str,
) -> Result<String, String> {
    let rows: Vec<&HistRow> = rows.iter().filter(|r| r.valid()).collect();
    if rows.is_empty() {
        return Err("plot: nothing to draw".into());
    }
    let n = rows.len();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for r in &rows {
        for x in r.edges.iter().copied().chain(r.point) {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    if let Some((x, _)) = reference.filter(|(x, _)| finite(*x)) {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    let (x0, x1) = padded(lo, hi);
    // A degenerate histogram (all draws equal) is drawn as a thin spike.
    let spike = (x1 - x0) * 0.004;
    let height = n as u32 * HIST_ROW + 64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let area = label_area(rows.iter().map(|r| r.label.chars().count()));
        let mut chart = ChartBuilder::on(&root)
            .margin_top(20)
            .margin_right(24)
            .margin_left(8)
            .x_label_area_size(44)
            .y_label_area_size(area)
            .build_cartesian_2d(x0..x1, 0.0..n as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_labels(8)
            .x_label_formatter(&plain)
            .x_desc(x_desc)
            .max_light_lines(1)
            .house_style()
            .draw()
            .map_err(err)?;
        if let Some((x, name)) = reference.filter(|(x, _)| finite(*x)) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, n as f64)],
                    INK.stroke_width(1),
                )))
                .map_err(err)?;
            let (px, py) = chart.backend_coord(&(x, n as f64));
            root.draw(&Text::new(
                name.to_string(),
                (px, py - 4),
                (FONT, 15)
                    .into_font()
                    .color(&INK)
                    .pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(err)?;
        }
        for (k, r) in rows.iter().enumerate() {
            let base = (n - 1 - k) as f64;
            let colour = if r.accent { ORANGE } else { SKY };
            let dark = if r.accent { VERMILLION } else { BLUE };
            let top = r.counts.iter().copied().fold(0.0, f64::max);
            let bars = r
                .counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0.0)
                .map(|(b, c)| {
                    let (mut a, mut z) = (r.edges[b], r.edges[b + 1]);
                    if z - a < spike {
                        a -= spike / 2.0;
                        z += spike / 2.0;
                    }
                    Rectangle::new(
                        [(a, base + 0.06), (z, base + 0.06 + 0.8 * c / top)],
                        colour.mix(0.8).filled(),
                    )
                });
            chart.draw_series(bars).map_err(err)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x0, base + 0.06), (x1, base + 0.06)],
                    RGBColor(200, 200, 200).stroke_width(1),
                )))
                .map_err(err)?;
            for q in [r.p5, r.p95].into_iter().flatten() {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        vec![(q, base + 0.06), (q, base + 0.92)],
                        4,
                        3,
                        dark.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            if let Some(q) = r.p50 {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(q, base + 0.06), (q, base + 0.92)],
                        dark.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            if let Some(p) = r.point {
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((p, base + 0.06))
                            + Polygon::new(vec![(0, -6), (6, 0), (0, 6), (-6, 0)], INK.filled()),
                    ))
                    .map_err(err)?;
            }
            let (px, py) = chart.backend_coord(&(x0, base + 0.5));
            root.draw(&Text::new(
                r.label.clone(),
                (px - 10, py),
                (FONT, 16)
                    .into_font()
                    .color(&INK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The Okabe-Ito palette in the order lines take it (black last).
const LINES: [RGBColor; 8] = [
    BLUE,
    VERMILLION,
    GREEN,
    ORANGE,
    RGBColor(204, 121, 167),
    SKY,
    RGBColor(160, 140, 0),
    INK,
];

/// Moves label positions (pixel y, in any order) apart so that neighbours
/// are at least `gap` pixels apart, keeping them within `lo..=hi` where
/// room allows. Returns the new positions in the input order.
fn spread(ys: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by_key(|&k| (ys[k], k));
    let mut placed = vec![0; ys.len()];
    let mut prev = i32::MIN / 2;
    for &k in &order {
        let y = ys[k].max(prev + gap).max(lo);
        placed[k] = y;
        prev = y;
    }
    // Push back up from the bottom if the last ones overflowed.
    let mut next = i32::MAX / 2;
    for &k in order.iter().rev() {
        let y = placed[k].min(next - gap).min(hi);
        placed[k] = y;
        next = y;
    }
    placed
}

/// Positions by round in a negotiation, one line per actor (labelled at its
/// last position), the forecast as a dashed line. `rounds[t][a]` is actor
/// `a`'s position in round `t` (round 0 is the input). The y axis holds
/// `0..=100` (the issue scale) and every position. Non-finite positions
/// break the line; no finite position gives `Err`.
pub fn trajectories(
    actors: &[String],
    rounds: &[Vec<f64>],
    forecast: Option<(f64, &str)>,
    x_desc: &str,
    y_desc: &str,
) -> Result<String, String> {
    let pts = |a: usize| -> Vec<(f64, f64)> {
        rounds
            .iter()
            .enumerate()
            .filter_map(|(t, r)| {
                r.get(a)
                    .copied()
                    .filter(|y| finite(*y))
                    .map(|y| (t as f64, y))
            })
            .collect()
    };
    let lines: Vec<(usize, Vec<(f64, f64)>)> = (0..actors.len())
        .map(|a| (a, pts(a)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if lines.is_empty() {
        return Err("plot: nothing to draw".into());
    }
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 100.0;
    for (_, p) in &lines {
        for (_, y) in p {
            lo = lo.min(*y);
            hi = hi.max(*y);
        }
    }
    if let Some((y, _)) = forecast.filter(|(y, _)| finite(*y)) {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    let last = rounds.len().saturating_sub(1) as f64;
    let (t0, t1) = if last > 0.0 { (0.0, last) } else { (-0.5, 0.5) };
    let longest = actors.iter().map(|a| a.chars().count()).max().unwrap_or(3) as u32;
    let right = (longest * 9 + 30).clamp(60, 240);
    let height = 420;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(16)
            .margin_right(right)
            .margin_left(8)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(t0..t1, lo..hi)
            .map_err(err)?;
        let whole = |x: &f64| {
            if (x - x.round()).abs() < 1e-9 && *x >= 0.0 {
                format!("{}", x.round() as i64)
            } else {
                String::new()
            }
        };
        let n_rounds = rounds.len().clamp(2, 12);
        chart
            .configure_mesh()
            .x_labels(n_rounds)
            .x_label_formatter(&whole)
            .y_labels(6)
            .y_label_formatter(&plain)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .max_light_lines(1)
            .house_style()
            .draw()
            .map_err(err)?;
        if let Some((y, name)) = forecast.filter(|(y, _)| finite(*y)) {
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(t0, y), (t1, y)],
                    8,
                    5,
                    INK.stroke_width(2),
                )))
                .map_err(err)?;
            let (px, py) = chart.backend_coord(&(t0, y));
            root.draw(&Text::new(
                name.to_string(),
                (px + 6, py - 4),
                (FONT, 15)
                    .into_font()
                    .color(&INK)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            ))
            .map_err(err)?;
        }
        let markers = rounds.len() <= 25;
        let mut ends = Vec::new();
        for (k, (a, p)) in lines.iter().enumerate() {
            let c = LINES[k % LINES.len()];
            chart
                .draw_series(std::iter::once(PathElement::new(
                    p.clone(),
                    c.stroke_width(2),
                )))
                .map_err(err)?;
            if markers {
                chart
                    .draw_series(p.iter().map(|&q| Circle::new(q, 3, c.filled())))
                    .map_err(err)?;
            }
            if let Some(&end) = p.last() {
                ends.push((*a, c, chart.backend_coord(&end)));
            }
        }
        let (_, top) = chart.backend_coord(&(t0, hi));
        let (x_end, bottom) = chart.backend_coord(&(t1, lo));
        let ys: Vec<i32> = ends.iter().map(|e| e.2 .1).collect();
        let placed = spread(&ys, 17, top, bottom);
        for ((a, c, (_, y)), ly) in ends.iter().zip(placed) {
            root.draw(&PathElement::new(
                vec![(x_end + 3, *y), (x_end + 12, ly)],
                c.stroke_width(1),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                actors[*a].clone(),
                (x_end + 15, ly),
                (FONT, 15)
                    .into_font()
                    .color(c)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The four quadrant labels of [`quadrant`], in the report's language.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadrantLabels {
    /// Both expect to gain by challenging (top right).
    pub conflict: String,
    /// The other expects to gain, the focal actor to lose: the focal actor
    /// gives in (top left).
    pub focal_yields: String,
    /// The focal actor expects to gain, the other to lose: the other gives
    /// in (bottom right).
    pub other_yields: String,
    /// Neither expects to gain (bottom left).
    pub status_quo: String,
}

/// A tick label for an axis spanning `-m..m`: plain decimals unless the
/// span is tiny, then scientific notation.
fn tick(x: f64, m: f64) -> String {
    if x.abs() < m * 1e-9 {
        "0".into()
    } else if m < 0.01 {
        format!("{x:.1e}")
    } else if m < 1.0 {
        trimmed(format!("{x:.3}"))
    } else {
        trimmed(format!("{x:.1}"))
    }
}

/// A decimal without trailing zeros (`40.0` is `40`, `0.250` is `0.25`).
fn trimmed(s: String) -> String {
    if !s.contains('.') {
        return s;
    }
    let t = s.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" {
        "0".into()
    } else {
        t.to_string()
    }
}

/// An axis tick label: at most two decimals, no trailing zeros.
fn plain(x: &f64) -> String {
    trimmed(format!("{x:.2}"))
}

/// Bueno de Mesquita's quadrant chart for one focal actor ("The War Trap",
/// 1981; "Forecasting policy decisions: an expected utility approach to
/// post-Khomeini Iran", PS 17(2), 1984; KTAB calls it a quad map): for each
/// other actor j a point at x = the focal actor's expected utility of
/// challenging j, y = j's expected utility of challenging the focal actor,
/// as the focal actor sees it. Both axes share one symmetric scale so the
/// diagonal |x| = |y| (drawn dashed: which side of it says whether the one
/// who yields compromises or capitulates) is true. Non-finite points are
/// left out; none gives `Err`.
pub fn quadrant(
    points: &[(String, f64, f64)],
    labels: &QuadrantLabels,
    x_desc: &str,
    y_desc: &str,
) -> Result<String, String> {
    let points: Vec<&(String, f64, f64)> = points
        .iter()
        .filter(|p| finite(p.1) && finite(p.2))
        .collect();
    if points.is_empty() {
        return Err("plot: nothing to draw".into());
    }
    let m = points
        .iter()
        .flat_map(|p| [p.1.abs(), p.2.abs()])
        .fold(0.0, f64::max);
    let m = if m > 0.0 { m * 1.25 } else { 1.0 };
    let size = 560;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size, size)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(-m..m, -m..m)
            .map_err(err)?;
        let fmt = |x: &f64| tick(*x, m);
        chart
            .configure_mesh()
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&fmt)
            .y_label_formatter(&fmt)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .max_light_lines(1)
            .light_line_style(RGBColor(244, 244, 244))
            .bold_line_style(RGBColor(225, 225, 225))
            .axis_style(GREY)
            .label_style((FONT, 14).into_font().color(&INK))
            .axis_desc_style((FONT, 14).into_font().color(&INK))
            .draw()
            .map_err(err)?;
        // Quadrant tints: conflict warm, status quo grey.
        chart
            .draw_series([
                Rectangle::new([(0.0, 0.0), (m, m)], VERMILLION.mix(0.06).filled()),
                Rectangle::new([(-m, -m), (0.0, 0.0)], GREY.mix(0.08).filled()),
            ])
            .map_err(err)?;
        for line in [vec![(-m, 0.0), (m, 0.0)], vec![(0.0, -m), (0.0, m)]] {
            chart
                .draw_series(std::iter::once(PathElement::new(line, INK.stroke_width(1))))
                .map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(-m, m), (m, -m)],
                5,
                5,
                GREY.stroke_width(1),
            )))
            .map_err(err)?;
        let corner = |x: f64, y: f64| chart.backend_coord(&(x, y));
        let style = |h: HPos, v: VPos| (FONT, 15).into_font().color(&GREY).pos(Pos::new(h, v));
        let (l, t) = corner(-m, m);
        let (r, b) = corner(m, -m);
        let (_, zero) = corner(0.0, 0.0);
        // The two "gives in" labels sit along the x axis, clear of the
        // diagonal that runs into their corners.
        for (text, at, h, v) in [
            (&labels.conflict, (r - 8, t + 8), HPos::Right, VPos::Top),
            (
                &labels.focal_yields,
                (l + 8, zero - 8),
                HPos::Left,
                VPos::Bottom,
            ),
            (
                &labels.other_yields,
                (r - 8, zero + 8),
                HPos::Right,
                VPos::Top,
            ),
            (&labels.status_quo, (l + 8, b - 8), HPos::Left, VPos::Bottom),
        ] {
            root.draw(&Text::new(text.clone(), at, style(h, v)))
                .map_err(err)?;
        }
        for (k, p) in points.iter().enumerate() {
            let c = LINES[k % LINES.len()];
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((p.1, p.2))
                        + Circle::new((0, 0), 5, c.filled())
                        + Text::new(
                            p.0.clone(),
                            (8, -4),
                            (FONT, 15)
                                .into_font()
                                .color(&c)
                                .pos(Pos::new(HPos::Left, VPos::Bottom)),
                        ),
                ))
                .map_err(err)?;
        }
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

    fn hist(label: &str, lo: f64, hi: f64) -> HistRow {
        let k = 20;
        let w = (hi - lo) / k as f64;
        HistRow {
            label: label.into(),
            edges: (0..=k).map(|j| lo + w * j as f64).collect(),
            counts: (0..k).map(|j| (10 - (j - 10_i32).abs()) as f64).collect(),
            p5: Some(lo + w),
            p50: Some((lo + hi) / 2.0),
            p95: Some(hi - w),
            point: Some(lo + 3.0 * w),
            accent: false,
        }
    }

    #[test]
    fn histogram_draws_one_bar_per_non_empty_bin() {
        let svg = histogram_rows(
            &[hist("PRK", 0.0, 40.0), hist("world", -90.0, -10.0)],
            Some((0.0, "no gain")),
            "surplus",
        )
        .unwrap();
        assert!(svg.contains("PRK") && svg.contains("world") && svg.contains("no gain"));
        // 19 non-empty bins per row, drawn in the sky-blue fill.
        let bars = svg.matches("<rect").count();
        assert!(bars >= 38, "{bars} rects");
        assert!(!svg.contains("NaN"));
        // Dashed quantile lines are several short segments.
        assert!(svg.matches("<polyline").count() > 6);
    }

    #[test]
    fn histogram_rejects_bad_rows() {
        let mut bad = hist("bad", 0.0, 1.0);
        bad.counts.pop();
        assert!(histogram_rows(&[bad], None, "x").is_err());
        let mut zero = hist("zero", 0.0, 1.0);
        zero.counts = vec![0.0; 20];
        assert!(histogram_rows(&[zero], None, "x").is_err());
        let mut nan = hist("nan", 0.0, 1.0);
        nan.p50 = Some(f64::NAN);
        assert!(histogram_rows(&[nan], None, "x").is_err());
        // A constant sample (all edges equal) is a spike, not an error.
        let spike = HistRow {
            label: "const".into(),
            edges: vec![5.0; 21],
            counts: (0..20).map(|j| if j == 19 { 300.0 } else { 0.0 }).collect(),
            p5: Some(5.0),
            p50: Some(5.0),
            p95: Some(5.0),
            point: Some(5.0),
            accent: true,
        };
        let svg = histogram_rows(&[spike], None, "x").unwrap();
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn trajectories_label_every_actor_and_the_forecast() {
        let actors: Vec<String> = ["A", "B&C", "D"].iter().map(|s| s.to_string()).collect();
        let rounds = vec![
            vec![0.0, 50.0, 100.0],
            vec![20.0, 50.0, 80.0],
            vec![40.0, 50.0, 60.0],
        ];
        let svg = trajectories(
            &actors,
            &rounds,
            Some((50.0, "forecast 50")),
            "round",
            "position",
        )
        .unwrap();
        assert!(svg.contains(">\nA\n<") || svg.contains(">A<"));
        assert!(svg.contains("B&amp;C"), "labels are escaped");
        assert!(svg.contains("forecast 50") && svg.contains("round"));
        assert!(!svg.contains("NaN"));
        // One round only (a one-shot model) still draws.
        assert!(trajectories(&actors, &rounds[..1], None, "r", "p").is_ok());
        // Nothing finite: an error.
        assert!(trajectories(&actors, &[vec![f64::NAN; 3]], None, "r", "p").is_err());
        assert!(trajectories(&[], &[], None, "r", "p").is_err());
    }

    #[test]
    fn spread_keeps_labels_apart_and_in_bounds() {
        let placed = spread(&[100, 101, 102, 300], 15, 0, 400);
        let mut sorted = placed.clone();
        sorted.sort();
        assert!(sorted.windows(2).all(|w| w[1] - w[0] >= 15), "{placed:?}");
        assert_eq!(placed[3], 300);
        let placed = spread(&[395, 396, 397], 10, 0, 400);
        assert!(placed.iter().all(|y| *y <= 400), "{placed:?}");
    }

    #[test]
    fn quadrant_labels_each_quadrant_and_point() {
        let labels = QuadrantLabels {
            conflict: "conflict".into(),
            focal_yields: "USA gives in".into(),
            other_yields: "the other gives in".into(),
            status_quo: "status quo".into(),
        };
        let pts = vec![
            ("PRK".to_string(), 0.4, 0.2),
            ("RUS".to_string(), -0.1, 0.3),
            ("bad".to_string(), f64::NAN, 0.0),
        ];
        let svg = quadrant(&pts, &labels, "x", "y").unwrap();
        for t in [
            "conflict",
            "USA gives in",
            "the other gives in",
            "status quo",
            "PRK",
            "RUS",
        ] {
            assert!(svg.contains(t), "{t}");
        }
        assert!(!svg.contains("NaN") && !svg.contains(">bad<"));
        // Tiny utilities get scientific ticks, not a row of zeros.
        let tiny = quadrant(&[("A".into(), 2e-5, -1e-5)], &labels, "x", "y").unwrap();
        assert!(tiny.contains("e-5"), "scientific ticks");
        assert!(quadrant(&[], &labels, "x", "y").is_err());
    }

    #[test]
    fn ticks_are_short() {
        assert_eq!(plain(&40.0), "40");
        assert_eq!(plain(&-0.001), "0");
        assert_eq!(plain(&2.5), "2.5");
        assert_eq!(tick(0.25, 0.5), "0.25");
        assert_eq!(tick(0.0, 0.5), "0");
        assert_eq!(tick(50.0, 120.0), "50");
    }
}
