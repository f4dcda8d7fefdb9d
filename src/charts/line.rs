//! Monthly trends: several named series over `YYYY-MM` labels, with a legend.

use super::palette;
use super::svg::{
    font, horizontal_title, legend, mesh_classes, nice_axis, text, vertical_title, Doc, Frame,
    Mark, Theme,
};
use super::text::{clean_label, compact, ellipsize, finite, text_width};
use super::{no_data_text, ChartError, ChartOptions};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// At most this many points per series (the latest are kept).
pub const MAX_POINTS: usize = 240;
/// At most this many series (the first are kept).
pub const MAX_SERIES: usize = 12;

/// One named series.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    /// Legend name, e.g. "活跃客户".
    pub name: String,
    /// One value per x label; NaN/∞ leave a gap.
    pub values: Vec<f64>,
}

/// Input of [`line_chart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineData {
    /// The x labels, e.g. "2024-01" …; missing labels are numbered.
    pub x_labels: Vec<String>,
    /// The series.
    pub series: Vec<LineSeries>,
    /// Y axis title, e.g. "营收（元）".
    pub y_axis: String,
    /// X axis title, e.g. "月份".
    pub x_axis: String,
}

/// Draws the line chart.
///
/// ```
/// use dealerlens::charts::{line_chart, ChartOptions, LineData, LineSeries};
/// let data = LineData {
///     x_labels: vec!["2024-01".into(), "2024-02".into(), "2024-03".into()],
///     series: vec![LineSeries { name: "营收".into(), values: vec![1.0, 2.0, 1.5] }],
///     ..LineData::default()
/// };
/// let svg = line_chart(&data, &ChartOptions::default()).unwrap();
/// assert_eq!(svg.matches("class=\"dl-point\"").count(), 3);
/// ```
pub fn line_chart(data: &LineData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("line", opts)?;
    let top = doc.title(&theme)?;
    let lang = opts.lang;
    let full = data.x_labels.len().max(
        data.series
            .iter()
            .map(|s| s.values.len())
            .max()
            .unwrap_or(0),
    );
    let skip = full.saturating_sub(MAX_POINTS);
    let n = full - skip;
    let series: Vec<(String, Vec<Option<f64>>)> = data
        .series
        .iter()
        .take(MAX_SERIES)
        .map(|s| {
            let vals = (skip..full)
                .map(|i| s.values.get(i).copied().and_then(finite))
                .collect();
            (clean_label(&s.name), vals)
        })
        .collect();
    let all = series.iter().flat_map(|s| s.1.iter().flatten().copied());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if n == 0 || !lo.is_finite() {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }
    let x_label = |i: usize| {
        data.x_labels
            .get(skip + i)
            .map(|s| clean_label(s))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| (skip + i + 1).to_string())
    };
    let entries: Vec<(Mark, String)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (Mark::Line(palette::category(i)), s.0.clone()))
        .collect();
    let top = legend(&mut doc, &theme, top, &entries)? + theme.small;

    let (y_hi, ticks) = nice_axis(hi.max(0.0));
    let y_lo = if lo < 0.0 { -nice_axis(-lo).0 } else { 0.0 };
    let ticks = if lo < 0.0 { 7 } else { ticks };
    let y_hi = if hi <= 0.0 && lo < 0.0 { 0.0 } else { y_hi };
    let tick_w = (0..=10)
        .map(|i| {
            text_width(
                &compact(y_lo + (y_hi - y_lo) * i as f64 / 10.0, lang),
                theme.small,
            )
        })
        .fold(0.0, f64::max);
    let y_desc_w = if data.y_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.6
    };
    let x_desc_h = if data.x_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.6
    };
    let label_max_w = (0..n)
        .map(|i| text_width(&x_label(i), theme.small))
        .fold(0.0, f64::max);
    let frame = Frame {
        margin: (
            top as u32,
            (theme.pad + label_max_w / 2.0) as u32,
            (theme.pad / 2.0) as u32,
            (theme.pad / 2.0) as u32,
        ),
        x_label_area: (theme.small * 1.8 + 10.0 + x_desc_h) as u32,
        y_label_area: (tick_w + 16.0 + y_desc_w) as u32,
        x: -0.5..(n as f64 - 0.5),
        y: y_lo..y_hi.max(y_lo + 1e-9),
    };
    let small_muted = font(
        theme.small,
        palette::MUTED,
        HPos::Center,
        VPos::Center,
        false,
    );
    doc.layer("dl-axes", |root, tags| {
        mesh_classes(tags);
        let mut chart = frame.build(root)?;
        let fmt = |v: &f64| compact(*v, lang);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(ticks)
            .y_label_formatter(&fmt)
            .label_style(small_muted.clone())
            .light_line_style(TRANSPARENT)
            .bold_line_style(palette::GRID.stroke_width(1))
            .axis_style(palette::AXIS.stroke_width(1))
            .draw()?;
        Ok(())
    })?;
    doc.layer("dl-x-labels", |root, tags| {
        let chart = frame.build(root)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let step_px = (xr.end - xr.start) as f64 / n as f64;
        let every = ((label_max_w + theme.small) / step_px).ceil().max(1.0) as usize;
        let style = font(theme.small, palette::MUTED, HPos::Center, VPos::Top, false);
        // Count back from the last label so the latest month is always labelled.
        for i in (0..n).rev().step_by(every) {
            let (x, y) = chart.backend_coord(&(i as f64, y_lo));
            root.draw(&PathElement::new(
                vec![(x, yr.end), (x, yr.end + 5)],
                palette::AXIS.stroke_width(1),
            ))?;
            tags.class("dl-axis");
            let label = ellipsize(&x_label(i), step_px * every as f64 - 4.0, theme.small);
            text(
                root,
                tags,
                format!("class=\"dl-tick-label\" data-x=\"{i}\""),
                &label,
                (x as f64, y.max(yr.end) as f64 + 10.0),
                &style,
            )?;
        }
        let mid_y = (yr.start + yr.end) as f64 / 2.0;
        vertical_title(
            root,
            tags,
            &data.y_axis,
            (theme.pad / 2.0 + theme.body * 0.7, mid_y),
            (yr.end - yr.start) as f64,
            &theme,
        )?;
        let y = yr.end as f64 + theme.small * 1.8 + 10.0;
        horizontal_title(
            root,
            tags,
            &data.x_axis,
            ((xr.start + xr.end) as f64 / 2.0, y),
            (xr.end - xr.start) as f64,
            &theme,
        )
    })?;
    let show_points = n <= 60;
    for (k, (name, vals)) in series.iter().enumerate() {
        let color = palette::category(k);
        doc.open(&format!("class=\"dl-series\" data-series=\"{k}\""));
        doc.layer_flat(|root, tags| {
            let chart = frame.build(root)?;
            let area = chart.plotting_area();
            // Consecutive runs of values; a lone point shows as a dot.
            let mut run: Vec<(f64, f64)> = Vec::new();
            let mut runs = Vec::new();
            for (i, v) in vals.iter().enumerate() {
                match v {
                    Some(v) => run.push((i as f64, *v)),
                    None => runs.push(std::mem::take(&mut run)),
                }
            }
            runs.push(run);
            for r in runs.into_iter().filter(|r| r.len() >= 2) {
                area.draw(&PathElement::new(r, color.stroke_width(theme.line)))?;
                tags.class("dl-line");
            }
            for (i, v) in vals.iter().enumerate() {
                let Some(v) = v else { continue };
                let lonely = (i == 0 || vals[i - 1].is_none()) && vals.get(i + 1).is_none_or(|x| x.is_none());
                if show_points || lonely {
                    area.draw(&Circle::new((i as f64, *v), theme.line + 1, color.filled()))?;
                    tags.tip(
                        format!("class=\"dl-point\" data-series=\"{k}\" data-x=\"{i}\" data-value=\"{v}\""),
                        &format!("{name} · {}: {}", x_label(i), compact(*v, lang)),
                    );
                }
            }
            Ok(())
        })?;
        doc.close();
    }
    Ok(doc.finish())
}
