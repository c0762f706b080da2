//! Charts of the activations and of their measured error, as SVG files under `target/plots/`.
//!
//! ```text
//! cargo run --release --example plots
//! ```
//!
//! Writes one chart per activation over [-10, 10] (sigmoid, tanh, ReLU, binary step, identity),
//! one of the softmax of a vector, and for `exp`, sigmoid and `tanh` one chart of the error in
//! ULP across the input range, a panel per tier. The error is the checker's:
//! `reference::ulp_error`, `|y - f(x)| / ulp(f(x))` with `f(x)` from `libm` in `f64` (SPEC.md
//! section 4). Each point is the largest error among 4000 evenly spaced inputs in one of 500
//! bins, so the curve is the envelope of a sample; the exhaustive maximum over all 2^32 inputs
//! is what `cargo run --release --example check` prints.
//!
//! The charts use `plotters` with only its SVG backend: text is written as SVG `<text>` with a
//! generic `sans-serif` family, which the viewer renders; no font library is linked.

use std::error::Error;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use simd_activations::budget::{self, Bound, Function, Tier};
use simd_activations::reference::ulp_error;
use simd_activations::{fast, identity, precise, reference, relu, step};

const FONT: &str = "sans-serif";
const BLUE: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(230, 120, 20);
const RED: RGBColor = RGBColor(200, 40, 40);
const GREY: RGBColor = RGBColor(120, 120, 120);

/// Bins across an error chart's input range, and inputs sampled per bin.
const BINS: usize = 500;
const PER_BIN: usize = 4000;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/plots");
    std::fs::create_dir_all(&dir)?;
    let mut written = Vec::new();

    for a in activations() {
        written.push(activation_chart(&dir, &a)?);
    }
    written.push(softmax_chart(&dir)?);
    for e in error_functions() {
        written.push(error_chart(&dir, &e)?);
    }

    for path in &written {
        println!("{}", path.display());
    }
    Ok(())
}

/// One activation to draw over [-10, 10].
struct Activation {
    file: &'static str,
    title: &'static str,
    y_label: &'static str,
    f: fn(f32) -> f32,
    y_range: (f32, f32),
    /// Segments of the drawn line: piecewise-linear functions need only their corners (more
    /// points would show the pixel rounding of the SVG coordinates as steps).
    segments: usize,
}

fn activations() -> [Activation; 5] {
    [
        Activation {
            file: "sigmoid",
            title: "sigmoid(x) = 1 / (1 + e^-x)",
            y_label: "sigmoid(x)",
            f: precise::sigmoid::<f32>,
            y_range: (-0.1, 1.1),
            segments: 400,
        },
        Activation {
            file: "tanh",
            title: "tanh(x)",
            y_label: "tanh(x)",
            f: precise::tanh::<f32>,
            y_range: (-1.15, 1.15),
            segments: 400,
        },
        Activation {
            file: "relu",
            title: "ReLU(x) = max(x, 0)",
            y_label: "relu(x)",
            f: relu::<f32>,
            y_range: (-1.0, 10.5),
            segments: 2,
        },
        Activation {
            file: "step",
            title: "binary step: 0 for x < 0, 1 for x >= 0",
            y_label: "step(x)",
            f: step::<f32>,
            y_range: (-0.1, 1.1),
            segments: 1,
        },
        Activation {
            file: "identity",
            title: "identity(x) = x",
            y_label: "identity(x)",
            f: identity::<f32>,
            y_range: (-10.5, 10.5),
            segments: 2,
        },
    ]
}

/// An axis label: at most three decimals, without trailing zeros (`-80`, `0.5`, `0.125`).
fn tick(v: &f32) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Evenly spaced `f32` inputs from `lo` to `hi`, both included.
fn grid(lo: f32, hi: f32, n: usize) -> impl Iterator<Item = f32> + Clone {
    (0..=n).map(move |i| lo + (hi - lo) * (i as f32 / n as f32))
}

fn activation_chart(dir: &Path, a: &Activation) -> Result<PathBuf> {
    let path = dir.join(format!("{}.svg", a.file));
    draw_activation(&path, a)?;
    Ok(path)
}

fn draw_activation(path: &Path, a: &Activation) -> Result<()> {
    let root = SVGBackend::new(path, (640, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(a.title, (FONT, 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(-10f32..10f32, a.y_range.0..a.y_range.1)?;
    chart
        .configure_mesh()
        .x_desc("x")
        .y_desc(a.y_label)
        .axis_desc_style((FONT, 16))
        .label_style((FONT, 14))
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.12))
        .draw()?;
    let line = BLUE.stroke_width(2);

    if a.file == "step" {
        // Two flat pieces and the value at 0 marked, instead of a line through the jump.
        chart.draw_series(LineSeries::new(
            grid(-10.0, 0.0, a.segments).map(|x| (x, 0.0)),
            line,
        ))?;
        chart.draw_series(LineSeries::new(
            grid(0.0, 10.0, a.segments).map(|x| (x, 1.0)),
            line,
        ))?;
        chart.draw_series([
            Circle::new((0.0, 0.0), 5, BLUE.stroke_width(2)),
            Circle::new((0.0, (a.f)(0.0)), 5, BLUE.filled()),
        ])?;
        chart.draw_series([Text::new(
            "step(0) = 1",
            (0.6, 0.86),
            (FONT, 15).into_font().color(&BLACK),
        )])?;
    } else {
        chart.draw_series(LineSeries::new(
            grid(-10.0, 10.0, a.segments).map(|x| (x, (a.f)(x))),
            line,
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Logits of the softmax chart.
const LOGITS: [f32; 8] = [-2.0, -1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0];

fn softmax_chart(dir: &Path) -> Result<PathBuf> {
    let path = dir.join("softmax.svg");
    draw_softmax(&path)?;
    Ok(path)
}

fn draw_softmax(path: &Path) -> Result<()> {
    let mut p = LOGITS;
    precise::softmax_in_place(&mut p);

    let root = SVGBackend::new(path, (900, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        "softmax of a vector: p_i = e^(x_i) / sum_j e^(x_j)",
        (FONT, 22),
    )?;
    let (left, right) = root.split_horizontally(450);

    let sum: f32 = p.iter().sum();
    let softmax_caption = format!("softmax(x)_i, precise tier (sum {sum})");
    let panels = [
        (
            left,
            "logits x_i",
            &LOGITS,
            -2.6f32..3.6f32,
            ORANGE,
            "x_i",
            0,
        ),
        (
            right,
            softmax_caption.as_str(),
            &p,
            0f32..0.6f32,
            BLUE,
            "p_i",
            3,
        ),
    ];
    for (area, caption, values, y_range, color, y_label, decimals) in panels {
        let label_lift = 0.015 * (y_range.end - y_range.start);
        let mut chart = ChartBuilder::on(&area)
            .caption(caption, (FONT, 18))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(-0.5f32..7.5f32, y_range)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(8)
            .x_label_formatter(&|i| format!("{}", i.round() as i32))
            .y_label_formatter(&tick)
            .x_desc("index i")
            .y_desc(y_label)
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 14))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        chart.draw_series(values.iter().enumerate().map(|(i, &v)| {
            let x = i as f32;
            Rectangle::new([(x - 0.35, 0.0), (x + 0.35, v)], color.filled())
        }))?;
        // Each value centred above its bar (below it for a negative bar).
        chart.draw_series(values.iter().enumerate().map(|(i, &v)| {
            let (y, v_pos) = if v >= 0.0 {
                (v + label_lift, VPos::Bottom)
            } else {
                (v - label_lift, VPos::Top)
            };
            let text = if decimals == 0 {
                tick(&v)
            } else {
                format!("{v:.decimals$}")
            };
            let style = (FONT, 13)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, v_pos));
            Text::new(text, (i as f32, y), style)
        }))?;
    }
    root.present()?;
    Ok(())
}

/// One function whose error is charted, with the input range per tier.
struct Measured {
    file: &'static str,
    name: &'static str,
    function: Function,
    reference: fn(f32) -> f64,
    tiers: [Panel; 2],
}

/// One tier's panel of an error chart: the kernel, the inputs, and a note on the range.
struct Panel {
    tier: Tier,
    f: fn(f32) -> f32,
    range: (f32, f32),
    note: &'static str,
}

fn error_functions() -> [Measured; 3] {
    // exp(x) >= 2^-126 (a normal result) from x = ln(2^-126) = -87.3365; the fast tier
    // promises its bound only there. exp overflows above ln(f32::MAX) = 88.7228, and the
    // precise exp is 0 below ln(2^-150) = -103.97.
    [
        Measured {
            file: "error_exp",
            name: "exp",
            function: Function::Exp,
            reference: reference::exp,
            tiers: [
                Panel {
                    tier: Tier::Precise,
                    f: precise::exp::<f32>,
                    range: (-103.9, 88.72),
                    note: "every finite, non-zero result",
                },
                Panel {
                    tier: Tier::Fast,
                    f: fast::exp::<f32>,
                    range: (-87.33, 88.72),
                    note: "normal results only",
                },
            ],
        },
        Measured {
            file: "error_sigmoid",
            name: "sigmoid",
            function: Function::Sigmoid,
            reference: reference::sigmoid,
            tiers: [
                Panel {
                    tier: Tier::Precise,
                    f: precise::sigmoid::<f32>,
                    range: (-103.9, 20.0),
                    note: "result 1 above 17.33",
                },
                Panel {
                    tier: Tier::Fast,
                    f: fast::sigmoid::<f32>,
                    range: (-87.33, 20.0),
                    note: "normal results only",
                },
            ],
        },
        Measured {
            file: "error_tanh",
            name: "tanh",
            function: Function::Tanh,
            reference: reference::tanh,
            tiers: [
                Panel {
                    tier: Tier::Precise,
                    f: precise::tanh::<f32>,
                    range: (-10.0, 10.0),
                    note: "result +-1 beyond 9.01",
                },
                Panel {
                    tier: Tier::Fast,
                    f: fast::tanh::<f32>,
                    range: (-10.0, 10.0),
                    note: "result +-1 beyond 9.01",
                },
            ],
        },
    ]
}

/// The largest error in ULP per bin, at the bin's centre.
fn error_envelope(
    f: fn(f32) -> f32,
    reference: fn(f32) -> f64,
    (lo, hi): (f32, f32),
) -> Vec<(f32, f32)> {
    let (lo, hi) = (f64::from(lo), f64::from(hi));
    let width = (hi - lo) / BINS as f64;
    (0..BINS)
        .map(|b| {
            let start = lo + width * b as f64;
            let worst = (0..PER_BIN)
                .map(|k| {
                    let x = (start + width * (k as f64 + 0.5) / PER_BIN as f64) as f32;
                    ulp_error(f(x), reference(x))
                })
                .fold(0.0, f64::max);
            ((start + 0.5 * width) as f32, worst as f32)
        })
        .collect()
}

/// A tier's budget in ULP, as a line to draw and its legend. A relative bound `r` is at least
/// `r * 2^23` ULP (the least, for results just below a power of two).
fn budget_line(function: Function, tier: Tier) -> (f32, String) {
    match budget::budget(function, tier) {
        Some(Bound::Ulp(n)) => (n as f32, format!("budget: {n} ULP")),
        Some(Bound::Relative(r)) => {
            let ulp = r * 8_388_608.0;
            (
                ulp as f32,
                format!("budget: 2^{} relative (>= {ulp} ULP)", r.log2()),
            )
        }
        None => (0.0, "no budget".into()),
    }
}

fn error_chart(dir: &Path, m: &Measured) -> Result<PathBuf> {
    let path = dir.join(format!("{}.svg", m.file));
    draw_error(&path, m)?;
    Ok(path)
}

fn draw_error(path: &Path, m: &Measured) -> Result<()> {
    let root = SVGBackend::new(path, (900, 720)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        &format!(
            "{}: error in ULP of the exact result (largest of {PER_BIN} inputs per bin)",
            m.name
        ),
        (FONT, 20),
    )?;
    let panels = root.split_evenly((2, 1));

    for (area, panel) in panels.iter().zip(&m.tiers) {
        let Panel {
            tier,
            f,
            range,
            note,
        } = *panel;
        let points = error_envelope(f, m.reference, range);
        let worst = points.iter().map(|p| p.1).fold(0.0, f32::max);
        let (budget, budget_label) = budget_line(m.function, tier);
        // The budget is drawn when it is within 4 times the largest error; the fast tier's is
        // far above its errors, so its chart is scaled to the errors and the legend says so.
        let budget_on_chart = budget <= 4.0 * worst;
        let top = if budget_on_chart {
            1.5 * budget.max(worst)
        } else {
            1.5 * worst
        };
        let tier_name = match tier {
            Tier::Precise => "precise",
            Tier::Fast => "fast",
        };
        println!(
            "{:<8} {:<8} inputs [{}, {}]: largest sampled error {worst:.3} ULP",
            m.name, tier_name, range.0, range.1
        );

        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("{tier_name} tier, x in [{}, {}] ({note})", range.0, range.1),
                (FONT, 17),
            )
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(range.0..range.1, 0f32..top)?;
        chart
            .configure_mesh()
            .x_desc("x")
            .y_desc("error (ULP)")
            .axis_desc_style((FONT, 15))
            .label_style((FONT, 13))
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        chart
            .draw_series(LineSeries::new(points, BLUE.stroke_width(1)))?
            .label(format!("largest sampled error: {worst:.3} ULP"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE.stroke_width(2)));
        let budget_points = if budget_on_chart {
            vec![(range.0, budget), (range.1, budget)]
        } else {
            Vec::new()
        };
        let budget_label = if budget_on_chart {
            budget_label
        } else {
            format!(
                "{budget_label}: {:.0}x the largest error, off the chart",
                budget / worst
            )
        };
        chart
            .draw_series(DashedLineSeries::new(
                budget_points,
                8,
                5,
                RED.stroke_width(2),
            ))?
            .label(budget_label)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED.stroke_width(2)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(GREY)
            .label_font((FONT, 14))
            .draw()?;
    }
    root.present()?;
    Ok(())
}
