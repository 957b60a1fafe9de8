//! dyad-plot: charts of a dyad's series and of the actor network, as SVG or PNG.
//!
//! A leaf crate (plotters) that knows nothing of the store: callers hand it plain numbers. PNG text is
//! drawn with DejaVu Sans, embedded in the binary (`data/fonts/`, Bitstream Vera licence), so charts look
//! the same on every machine without system fonts.
//!
//! ```
//! use dyad_plot::{render_series, SeriesChart};
//! let chart = SeriesChart {
//!     title: "RUS–IRN".into(),
//!     periods: vec!["2007".into(), "2009".into()],
//!     quads: vec![[1, 0, 0, 0], [0, 0, 0, 2]],
//!     goldstein: vec![1.9, -8.0],
//!     phases: vec![(0, "cooperative".into()), (1, "hostile".into())],
//! };
//! let path = std::env::temp_dir().join(format!("dyad-plot-doctest-{}.svg", std::process::id()));
//! render_series(&chart, &path).unwrap();
//! # std::fs::remove_file(&path).unwrap();
//! ```

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::OnceLock;

static FONT: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: charts are written as .svg or .png")]
    Extension { path: String },
    #[error("the embedded font could not be loaded")]
    Font,
    #[error("{path}: cannot draw the chart: {detail}")]
    Draw { path: String, detail: String },
    #[error("nothing to draw: {0}")]
    Empty(&'static str),
}

/// A dyad's series: per period the events by quad class, the mean Goldstein, and where phases begin.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesChart {
    pub title: String,
    pub periods: Vec<String>,
    /// Events per quad class 1..=4, one entry per period.
    pub quads: Vec<[u64; 4]>,
    /// Mean Goldstein per period.
    pub goldstein: Vec<f64>,
    /// `(index of the period that opens the phase, label)`.
    pub phases: Vec<(usize, String)>,
}

/// A directed, weighted actor network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkChart {
    pub title: String,
    pub nodes: Vec<String>,
    /// `(source index, target index, cooperation, conflict)`.
    pub edges: Vec<(usize, usize, u64, u64)>,
}

const QUAD_NAMES: [&str; 4] = [
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
];
const QUAD_COLORS: [RGBColor; 4] = [
    RGBColor(140, 200, 140),
    RGBColor(30, 130, 60),
    RGBColor(245, 170, 80),
    RGBColor(200, 40, 40),
];

fn font() -> Result<(), Error> {
    static LOADED: OnceLock<bool> = OnceLock::new();
    let ok = *LOADED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Font)
    }
}

enum Kind {
    Svg,
    Png,
}

fn kind(path: &Path) -> Result<Kind, Error> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => Ok(Kind::Svg),
        Some("png") => Ok(Kind::Png),
        _ => Err(Error::Extension {
            path: path.display().to_string(),
        }),
    }
}

fn draw_err(path: &Path) -> impl Fn(String) -> Error + '_ {
    move |detail| Error::Draw {
        path: path.display().to_string(),
        detail,
    }
}

const SIZE: (u32, u32) = (1000, 600);

/// Draws the series as stacked quad-class bars, the mean Goldstein as a line on a second axis, and
/// phase boundaries as vertical lines labelled with the phase.
pub fn render_series(chart: &SeriesChart, path: &Path) -> Result<(), Error> {
    if chart.periods.is_empty() {
        return Err(Error::Empty("the dyad has no dated events"));
    }
    font()?;
    let e = draw_err(path);
    match kind(path)? {
        Kind::Svg => {
            let root = SVGBackend::new(path, SIZE).into_drawing_area();
            series(&root, chart).map_err(&e)?;
            root.present().map_err(|x| e(x.to_string()))
        }
        Kind::Png => {
            let root = BitMapBackend::new(path, SIZE).into_drawing_area();
            series(&root, chart).map_err(&e)?;
            root.present().map_err(|x| e(x.to_string()))
        }
    }
}

fn series<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &SeriesChart,
) -> Result<(), String> {
    let s = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(s)?;
    let n = c.periods.len();
    let max = c
        .quads
        .iter()
        .map(|q| q.iter().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut ch = ChartBuilder::on(root)
        .caption(&c.title, ("sans-serif", 24))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .right_y_label_area_size(55)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..(max * 1.25))
        .map_err(s)?
        .set_secondary_coord(-0.5f64..(n as f64 - 0.5), -10f64..10f64);
    let periods = c.periods.clone();
    let step = n.div_ceil(20).max(1);
    ch.configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(40))
        .x_label_formatter(&move |x| {
            let i = x.round();
            if (x - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            let i = i as usize;
            if i % step == 0 {
                periods.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels((max as usize + 1).min(10))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc("period")
        .y_desc("events")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(s)?;
    ch.configure_secondary_axes()
        .y_desc("mean Goldstein")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(s)?;
    for q in 0..4 {
        let color = QUAD_COLORS[q];
        let bars = c.quads.iter().enumerate().filter_map(move |(i, counts)| {
            let below: u64 = counts[..q].iter().sum();
            let h = counts[q];
            (h > 0).then(|| {
                let x = i as f64;
                Rectangle::new(
                    [(x - 0.35, below as f64), (x + 0.35, (below + h) as f64)],
                    color.filled(),
                )
            })
        });
        ch.draw_series(bars)
            .map_err(s)?
            .label(QUAD_NAMES[q])
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled()));
    }
    let line: Vec<(f64, f64)> = c
        .goldstein
        .iter()
        .enumerate()
        .map(|(i, g)| (i as f64, *g))
        .collect();
    ch.draw_secondary_series(LineSeries::new(line.clone(), BLUE.stroke_width(2)))
        .map_err(s)?
        .label("mean Goldstein")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], BLUE.stroke_width(2)));
    ch.draw_secondary_series(line.iter().map(|p| Circle::new(*p, 3, BLUE.filled())))
        .map_err(s)?;
    for (i, label) in &c.phases {
        let x = *i as f64 - 0.5;
        if *i > 0 {
            ch.draw_secondary_series(DashedLineSeries::new(
                vec![(x, -10.0), (x, 10.0)],
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(s)?;
        }
        ch.draw_secondary_series(std::iter::once(Text::new(
            label.clone(),
            (x + 0.05, 9.5),
            ("sans-serif", 13).into_font().color(&BLACK),
        )))
        .map_err(s)?;
    }
    ch.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()
        .map_err(s)?;
    Ok(())
}

/// Draws the network on a circle: edge width by events, green where cooperation dominates, red where
/// conflict does, grey when even.
pub fn render_network(chart: &NetworkChart, path: &Path) -> Result<(), Error> {
    if chart.nodes.is_empty() {
        return Err(Error::Empty("the network has no edges"));
    }
    font()?;
    let e = draw_err(path);
    match kind(path)? {
        Kind::Svg => {
            let root = SVGBackend::new(path, (900, 900)).into_drawing_area();
            network(&root, chart).map_err(&e)?;
            root.present().map_err(|x| e(x.to_string()))
        }
        Kind::Png => {
            let root = BitMapBackend::new(path, (900, 900)).into_drawing_area();
            network(&root, chart).map_err(&e)?;
            root.present().map_err(|x| e(x.to_string()))
        }
    }
}

fn network<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &NetworkChart,
) -> Result<(), String> {
    let s = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(s)?;
    let mut ch = ChartBuilder::on(root)
        .caption(&c.title, ("sans-serif", 24))
        .margin(20)
        .build_cartesian_2d(-1.3f64..1.3f64, -1.3f64..1.3f64)
        .map_err(s)?;
    let n = c.nodes.len();
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            (a.cos(), a.sin())
        })
        .collect();
    let max = c.edges.iter().map(|e| e.2 + e.3).max().unwrap_or(1).max(1) as f64;
    for &(a, b, coop, conf) in &c.edges {
        let (Some(&p), Some(&q)) = (pos.get(a), pos.get(b)) else {
            continue;
        };
        let color = if coop > conf {
            RGBColor(30, 130, 60)
        } else if conf > coop {
            RGBColor(200, 40, 40)
        } else {
            RGBColor(130, 130, 130)
        };
        let w = 1 + (6.0 * (coop + conf) as f64 / max).round() as u32;
        ch.draw_series(std::iter::once(PathElement::new(
            vec![p, q],
            color.mix(0.7).stroke_width(w),
        )))
        .map_err(s)?;
    }
    ch.draw_series(pos.iter().map(|p| Circle::new(*p, 6, BLACK.filled())))
        .map_err(s)?;
    ch.draw_series(pos.iter().zip(&c.nodes).map(|(p, name)| {
        Text::new(
            name.clone(),
            (p.0 * 1.1 - 0.05, p.1 * 1.1 + 0.03),
            ("sans-serif", 15).into_font().color(&BLACK),
        )
    }))
    .map_err(s)?;
    ch.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0)], BLACK)))
        .map_err(s)?
        .label("cooperation dominates")
        .legend(|(x, y)| {
            PathElement::new(
                vec![(x, y), (x + 14, y)],
                RGBColor(30, 130, 60).stroke_width(3),
            )
        });
    ch.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0)], BLACK)))
        .map_err(s)?
        .label("conflict dominates")
        .legend(|(x, y)| {
            PathElement::new(
                vec![(x, y), (x + 14, y)],
                RGBColor(200, 40, 40).stroke_width(3),
            )
        });
    ch.configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()
        .map_err(s)?;
    Ok(())
}
