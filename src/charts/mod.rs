//! Charts: one function per chart, a plain input struct in, SVG text out.
//!
//! The app adapts engine results into the small `…Data` structs below (they are not engine
//! types) and calls, on the page's thread:
//!
//! | function | draws |
//! |---|---|
//! | [`pareto_chart`] | revenue bars by rank, cumulative % line, 80 % guide, crossing point |
//! | [`bar_chart`] | horizontal bars with value labels (segments) |
//! | [`donut_chart`] | shares as a donut with a legend (segments) |
//! | [`heatmap`] | a grid coloured by value (R × F) |
//! | [`funnel`] | stages with counts and % of the first (lifecycle) |
//! | [`line_chart`] | monthly series with a legend (trends) |
//! | [`histogram`] | bins with vertical markers (mileage km/day) |
//! | [`cohort_triangle`] | retention share by cohort month and month offset |
//!
//! ```
//! use dealerlens::charts::{pareto_chart, ChartOptions, ParetoData, ParetoItem};
//! let data = ParetoData {
//!     items: vec![
//!         ParetoItem { label: "张三".into(), value: 9000.0 },
//!         ParetoItem { label: "李四".into(), value: 1000.0 },
//!     ],
//!     crossing_label: "前 50% 客户贡献 80% 营收".into(),
//!     ..ParetoData::default()
//! };
//! let svg = pareto_chart(&data, &ChartOptions { title: "客户帕累托".into(), ..ChartOptions::default() }).unwrap();
//! assert!(svg.starts_with("<svg") && svg.contains("dl-crossing"));
//! ```
//!
//! **Text.** All labels are SVG `<text>` drawn by plotters' SVG backend and rendered with the
//! viewer's system fonts (the root `<svg>` carries a CJK-first `font-family` stack). Layout
//! uses a font-free width estimate ([`text::text_width`], CJK = 1 em) and never calls the
//! plotters functions that measure text, so plotters needs no font feature (natively it falls
//! back to its built-in estimator) and never touches `window()`: the same SVG comes out
//! natively and in wasm.
//!
//! **Markup.** Every element carries a stable `class` (`dl-bar`, `dl-cell`, …), items carry
//! `data-index` / `data-row` / `data-col` for drill-down and a `<title>` tooltip; the root has
//! `id` (from [`ChartOptions::id`]), `role="img"` and an explicit `viewBox` so it can be
//! rasterised at 2× or 3×. Text is at least 14 px at 1280 px wide and grows with the width.
//!
//! | chart | elements (`class`, drill-down attributes) |
//! |---|---|
//! | all | root `dl-chart dl-chart-<kind>`, `dl-bg`, `dl-title`, `dl-empty` (no data), `g.dl-legend` (`dl-legend-mark`, `dl-legend-label`), `g.dl-axes` (`dl-grid`, `dl-axis`, `dl-tick-label`), `dl-axis-title` |
//! | pareto | `dl-bar` (`data-index` = input position, `data-rank`; buckets: `data-rank-from`/`-to`), `dl-x-label`, `dl-cum-line`, `dl-cum-point`, `dl-guide-line` (`#<id>-guide`, `data-share`), `dl-guide-label`, `dl-crossing-drop`, `dl-crossing-point` (`#<id>-crossing`, `data-rank`, `data-item-share`, `data-value-share`), `dl-crossing-label` |
//! | bars | `dl-bar` (`data-index`, `data-value`, `data-other`), `dl-bar-label`, `dl-value-label` |
//! | donut | `dl-slice` (`data-index`, `data-value`, `data-share`), `dl-slice-label`, `dl-center-label`, `dl-legend-value` |
//! | heatmap | `dl-cell` (`data-row`, `data-col`, `data-value`), `dl-cell-label`, `dl-row-label`, `dl-col-label`, `dl-scale-step` |
//! | funnel | `dl-stage` (`data-index`, `data-count`), `dl-connector`, `dl-stage-label`, `dl-stage-value` |
//! | line | `g.dl-series` (`data-series`) with `dl-line` and `dl-point` (`data-x`, `data-value`) |
//! | histogram | `dl-bin` (`data-index`, `data-from`, `data-to`, `data-count`), `dl-marker` (`data-value`), `dl-marker-label` |
//! | cohort | `dl-cell` (`data-row`, `data-col`, `data-share`), `dl-cell-label`, `dl-row-label`, `dl-size-label`, `dl-col-label` |
//!
//! **Robustness.** No input panics: NaN/∞ are skipped, long labels are ellipsized, large
//! inputs are aggregated (buckets, "other") so the SVG stays small; empty data gives a valid
//! SVG with a "no data" note. Only an unusable size is an error.

mod bars;
mod cohort;
mod funnel;
mod heatmap;
mod histogram;
mod line;
pub mod palette;
mod pareto;
mod svg;
pub mod text;

pub use bars::{bar_chart, donut_chart, Bar, BarData, DonutData, Slice};
pub use cohort::{cohort_triangle, CohortData, CohortRow};
pub use funnel::{funnel, FunnelData, FunnelStage};
pub use heatmap::{heatmap, HeatmapData};
pub use histogram::{histogram, HistogramBin, HistogramData, Marker};
pub use line::{line_chart, LineData, LineSeries};
pub use pareto::{pareto_chart, ParetoData, ParetoItem};
pub use svg::{FONT_STACK, MAX_SIDE, MIN_SIDE};

use crate::engine::Lang;
use std::fmt;

/// The `width` and `height` of the root `<svg>` of a chart (whole CSS pixels), e.g. to
/// render it as a PNG at 2× or 3×.
pub fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let start = svg.find("<svg")?;
    let end = start + svg[start..].find('>')?;
    let tag = &svg[start..end];
    let attr = |name: &str| -> Option<u32> {
        let key = format!(" {name}=\"");
        let from = tag.find(&key)? + key.len();
        let len = tag[from..].find('"')?;
        let v = tag[from..from + len].parse::<u32>().ok()?;
        (MIN_SIDE..=MAX_SIDE).contains(&v).then_some(v)
    };
    Some((attr("width")?, attr("height")?))
}

/// Size, title and number style of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    /// Width in CSS pixels at which the chart is shown (the SVG's `width` and `viewBox`).
    pub width: u32,
    /// Height in CSS pixels.
    pub height: u32,
    /// The title, already in the user's language (shown on top and as the SVG `<title>`).
    pub title: String,
    /// The root element's `id` (ASCII letters, digits, `-`, `_`); inner ids are prefixed
    /// with it. Empty: `dl-<kind>` (e.g. `dl-pareto`). Give each chart on a page its own.
    pub id: String,
    /// How numbers are abbreviated on axes and labels (万/亿 or k/M) and the "no data" note.
    pub lang: Lang,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            width: 1280,
            height: 720,
            title: String::new(),
            id: String::new(),
            lang: Lang::Zh,
        }
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartError {
    /// Width or height outside [`MIN_SIDE`]..=[`MAX_SIDE`].
    InvalidSize {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
    },
    /// plotters reported an error (a bug: the message says what failed).
    Draw {
        /// plotters' message.
        detail: String,
    },
}

impl ChartError {
    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ChartError::InvalidSize { width, height }, Lang::Zh) => format!(
                "图表尺寸 {width}×{height} 无效（宽和高须在 {MIN_SIDE} 到 {MAX_SIDE} 像素之间）。"
            ),
            (ChartError::InvalidSize { width, height }, Lang::En) => format!(
                "Invalid chart size {width}×{height} (width and height must be {MIN_SIDE} to {MAX_SIDE} pixels)."
            ),
            (ChartError::Draw { detail }, Lang::Zh) => format!("绘制图表失败：{detail}"),
            (ChartError::Draw { detail }, Lang::En) => format!("Drawing the chart failed: {detail}"),
        }
    }
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ChartError {}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw {
            detail: e.to_string(),
        }
    }
}

/// The "no data" note in the chart's language.
fn no_data_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "暂无数据",
        Lang::En => "No data",
    }
}
