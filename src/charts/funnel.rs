//! The lifecycle funnel: one centred bar per stage, its count and its share of the first stage.

use super::palette;
use super::svg::{font, text, Doc, Frame, Theme};
use super::text::{clean_label, compact, ellipsize, finite, group_thousands, percent, text_width};
use super::{no_data_text, ChartError, ChartOptions};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Stages beyond this are dropped.
pub const MAX_STAGES: usize = 16;

/// One stage.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelStage {
    /// Stage name, e.g. "首次到店".
    pub label: String,
    /// Customers at this stage; negative, NaN and ∞ count as 0.
    pub count: f64,
}

/// Input of [`funnel`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunnelData {
    /// The stages, top to bottom.
    pub stages: Vec<FunnelStage>,
}

/// Draws the funnel: bar widths proportional to the counts, labels "count · % of first".
///
/// ```
/// use dealerlens::charts::{funnel, ChartOptions, FunnelData, FunnelStage};
/// let stages = vec![
///     FunnelStage { label: "首次到店".into(), count: 1000.0 },
///     FunnelStage { label: "二次到店".into(), count: 450.0 },
/// ];
/// let svg = funnel(&FunnelData { stages }, &ChartOptions::default()).unwrap();
/// assert!(svg.contains("45%"));
/// ```
pub fn funnel(data: &FunnelData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("funnel", opts)?;
    let top = doc.title(&theme)? + theme.small;
    let lang = opts.lang;
    let stages: Vec<(String, f64)> = data
        .stages
        .iter()
        .take(MAX_STAGES)
        .map(|s| {
            (
                clean_label(&s.label),
                finite(s.count).unwrap_or(0.0).max(0.0),
            )
        })
        .collect();
    let n = stages.len();
    let max = stages.iter().map(|s| s.1).fold(0.0, f64::max);
    if n == 0 {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }
    let first = stages[0].1;
    let values: Vec<String> = stages
        .iter()
        .map(|(_, c)| {
            let count = if c.fract() == 0.0 && *c < 1e7 {
                group_thousands(*c)
            } else {
                compact(*c, lang)
            };
            if first > 0.0 {
                format!("{count} · {}", percent(c / first))
            } else {
                count
            }
        })
        .collect();

    let plot_h = doc.height() - top - theme.pad;
    let row_h = plot_h / n as f64;
    let px = if row_h >= theme.body * 1.6 {
        theme.body
    } else {
        theme.small
    };
    let label_w = stages
        .iter()
        .map(|s| text_width(&s.0, px))
        .fold(0.0, f64::max)
        .min(doc.width() * 0.25)
        + 16.0;
    let value_w = values.iter().map(|v| text_width(v, px)).fold(0.0, f64::max) + 16.0;
    // x: −1..1 around the centre line; y: one unit per stage, first on top.
    let frame = Frame {
        margin: (
            top as u32,
            (value_w + theme.pad) as u32,
            theme.pad as u32,
            theme.pad as u32,
        ),
        x_label_area: 0,
        y_label_area: label_w as u32,
        x: -1.0..1.0,
        y: 0.0..n as f64,
    };
    let half = |c: f64| if max > 0.0 { (c / max).max(0.0) } else { 0.0 };
    let bar = palette::category(0);

    doc.layer("dl-connectors", |root, tags| {
        let chart = frame.build(root)?;
        for i in 1..n {
            let (a, b) = (half(stages[i - 1].1), half(stages[i].1));
            let (y_top, y_bot) = ((n - i) as f64 + 0.1, (n - i) as f64 - 0.1);
            let pts: Vec<(i32, i32)> = [(-a, y_top), (a, y_top), (b, y_bot), (-b, y_bot)]
                .iter()
                .map(|p| chart.backend_coord(p))
                .collect();
            root.draw(&Polygon::new(pts, bar.mix(0.18).filled()))?;
            tags.attrs(format!("class=\"dl-connector\" data-index=\"{i}\""));
        }
        Ok(())
    })?;

    doc.layer("dl-stages", |root, tags| {
        let chart = frame.build(root)?;
        let area = chart.plotting_area();
        for (i, (label, c)) in stages.iter().enumerate() {
            let a = half(*c);
            let (y0, y1) = ((n - i - 1) as f64 + 0.1, (n - i) as f64 - 0.1);
            area.draw(&Rectangle::new([(-a, y0), (a, y1)], bar.filled()))?;
            tags.tip(
                format!("class=\"dl-stage\" data-index=\"{i}\" data-count=\"{c}\""),
                &format!("{label}: {}", values[i]),
            );
        }
        Ok(())
    })?;

    doc.layer("dl-labels", |root, tags| {
        let chart = frame.build(root)?;
        let (xr, _) = chart.plotting_area().get_pixel_range();
        let cat = font(px, palette::INK, HPos::Right, VPos::Center, true);
        for (i, (label, c)) in stages.iter().enumerate() {
            let yc = (n - i) as f64 - 0.5;
            let (_, y) = chart.backend_coord(&(0.0, yc));
            let label = ellipsize(label, label_w - 16.0, px);
            text(
                root,
                tags,
                format!("class=\"dl-stage-label\" data-index=\"{i}\""),
                &label,
                (xr.start as f64 - 10.0, y as f64),
                &cat,
            )?;
            // Inside the bar when it fits, else right of it.
            let (x0, _) = chart.backend_coord(&(-half(*c), yc));
            let (x1, _) = chart.backend_coord(&(half(*c), yc));
            let inside = (x1 - x0) as f64 >= text_width(&values[i], px) + 12.0;
            let (style, x) = if inside {
                (
                    font(px, palette::text_on(bar), HPos::Center, VPos::Center, true),
                    (x0 + x1) as f64 / 2.0,
                )
            } else {
                (
                    font(px, palette::INK, HPos::Left, VPos::Center, true),
                    x1 as f64 + 8.0,
                )
            };
            text(
                root,
                tags,
                format!("class=\"dl-stage-value\" data-index=\"{i}\""),
                &values[i],
                (x, y as f64),
                &style,
            )?;
        }
        Ok(())
    })?;
    Ok(doc.finish())
}
