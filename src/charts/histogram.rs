//! A histogram (mileage km/day) with optional vertical markers (the filter bounds).

use super::palette;
use super::svg::{
    font, horizontal_title, mesh_classes, nice_axis, text, vertical_title, Doc, Frame, Theme,
};
use super::text::{clean_label, compact, ellipsize, finite, group_thousands, text_width};
use super::{no_data_text, ChartError, ChartOptions};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// More bins than this are merged in groups of neighbours.
pub const MAX_BINS: usize = 200;

/// One bin, `[from, to)`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramBin {
    /// Lower edge.
    pub from: f64,
    /// Upper edge (> `from`; otherwise the bin is skipped).
    pub to: f64,
    /// Height; negative, NaN and ∞ count as 0.
    pub count: f64,
}

/// A vertical line at a value, e.g. a filter bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Position on the x axis; NaN/∞ markers are skipped.
    pub value: f64,
    /// Text at its top, e.g. "下限 5 km/天".
    pub label: String,
}

/// Input of [`histogram`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistogramData {
    /// The bins, in any order.
    pub bins: Vec<HistogramBin>,
    /// Markers; the x range is widened to show them (up to the bins' own width again).
    pub markers: Vec<Marker>,
    /// X axis title, e.g. "日均里程（km/天）".
    pub x_axis: String,
    /// Y axis title, e.g. "车辆数".
    pub y_axis: String,
}

/// Draws the histogram.
///
/// ```
/// use dealerlens::charts::{histogram, ChartOptions, HistogramBin, HistogramData, Marker};
/// let data = HistogramData {
///     bins: (0..10).map(|i| HistogramBin { from: i as f64 * 10.0, to: (i + 1) as f64 * 10.0, count: 5.0 }).collect(),
///     markers: vec![Marker { value: 5.0, label: "5".into() }],
///     ..HistogramData::default()
/// };
/// let svg = histogram(&data, &ChartOptions::default()).unwrap();
/// assert_eq!(svg.matches("class=\"dl-bin\"").count(), 10);
/// ```
pub fn histogram(data: &HistogramData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("histogram", opts)?;
    let top = doc.title(&theme)? + theme.small;
    let lang = opts.lang;
    let mut bins: Vec<(f64, f64, f64)> = data
        .bins
        .iter()
        .filter_map(|b| {
            let (from, to) = (finite(b.from)?, finite(b.to)?);
            (to > from).then(|| (from, to, finite(b.count).unwrap_or(0.0).max(0.0)))
        })
        .collect();
    if bins.is_empty() {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }
    crate::order::sort_stable(&mut bins, |a, b| a.0.total_cmp(&b.0));
    if bins.len() > MAX_BINS {
        let group = bins.len().div_ceil(MAX_BINS);
        bins = bins
            .chunks(group)
            .map(|c| (c[0].0, c[c.len() - 1].1, c.iter().map(|b| b.2).sum()))
            .collect();
    }
    let (mut lo, mut hi) = (
        bins[0].0,
        bins.iter().map(|b| b.1).fold(f64::NEG_INFINITY, f64::max),
    );
    let span = hi - lo;
    let markers: Vec<(f64, String)> = data
        .markers
        .iter()
        .filter_map(|m| finite(m.value).map(|v| (v, clean_label(&m.label))))
        .filter(|(v, _)| *v >= lo - span && *v <= hi + span)
        .collect();
    for (v, _) in &markers {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    let pad_x = (hi - lo) * 0.02;
    let (lo, hi) = (lo - pad_x, hi + pad_x);
    let (y_max, y_ticks) = nice_axis(bins.iter().map(|b| b.2).fold(0.0, f64::max));

    let tick_w = (0..=10)
        .map(|i| text_width(&compact(y_max * i as f64 / 10.0, lang), theme.small))
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
    let marker_rows = markers.len().min(3);
    let marker_h =
        marker_rows as f64 * theme.small * 1.4 + if markers.is_empty() { 0.0 } else { 4.0 };
    let frame = Frame {
        margin: (
            (top + marker_h) as u32,
            (theme.pad * 2.0) as u32,
            (theme.pad / 2.0) as u32,
            (theme.pad / 2.0) as u32,
        ),
        x_label_area: (theme.small * 1.8 + 10.0 + x_desc_h) as u32,
        y_label_area: (tick_w + 16.0 + y_desc_w) as u32,
        x: lo..hi.max(lo + 1e-9),
        y: 0.0..y_max,
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
        let fmt_y = |v: &f64| compact(*v, lang);
        let fmt_x = |v: &f64| compact(*v, lang);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(10)
            .y_labels(y_ticks)
            .x_label_formatter(&fmt_x)
            .y_label_formatter(&fmt_y)
            .label_style(small_muted.clone())
            .light_line_style(TRANSPARENT)
            .bold_line_style(palette::GRID.stroke_width(1))
            .axis_style(palette::AXIS.stroke_width(1))
            .draw()?;
        Ok(())
    })?;
    doc.layer("dl-axis-titles", |root, tags| {
        let chart = frame.build(root)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
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
    doc.layer("dl-bins", |root, tags| {
        let chart = frame.build(root)?;
        let area = chart.plotting_area();
        for (i, (from, to, count)) in bins.iter().enumerate() {
            area.draw(&Rectangle::new([(*from, 0.0), (*to, *count)], palette::category(0).filled()))?;
            tags.tip(
                format!("class=\"dl-bin\" data-index=\"{i}\" data-from=\"{from}\" data-to=\"{to}\" data-count=\"{count}\""),
                &format!("{}–{}: {}", compact(*from, lang), compact(*to, lang), group_thousands(*count)),
            );
            // A hairline between neighbouring bins keeps them apart without gaps in the data.
            let (x, y0) = chart.backend_coord(&(*from, 0.0));
            let (_, y1) = chart.backend_coord(&(*from, *count));
            if i > 0 && y1 < y0 {
                root.draw(&PathElement::new(vec![(x, y0), (x, y1)], palette::WHITE.stroke_width(1)))?;
                tags.class("dl-bin-edge");
            }
        }
        Ok(())
    })?;
    if !markers.is_empty() {
        doc.layer("dl-markers", |root, tags| {
            let chart = frame.build(root)?;
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            let mut placed: Vec<(f64, f64, usize)> = Vec::new();
            for (i, (v, label)) in markers.iter().enumerate() {
                let (x, _) = chart.backend_coord(&(*v, 0.0));
                root.draw(&PathElement::new(vec![(x, yr.end), (x, yr.start - 4)], palette::ACCENT.stroke_width(2)))?;
                tags.attrs(format!("class=\"dl-marker\" data-index=\"{i}\" data-value=\"{v}\" stroke-dasharray=\"6 4\""));
                if !label.is_empty() {
                    // Labels sit above the plot, on the side of the line with more room.
                    let right = (xr.end - x) as f64 >= (x - xr.start) as f64;
                    let room = if right { (xr.end - x) as f64 } else { (x - xr.start) as f64 } + theme.pad;
                    let label = ellipsize(label, room.max(theme.small * 4.0), theme.small);
                    let (h, lx) = if right { (HPos::Left, x as f64 + 4.0) } else { (HPos::Right, x as f64 - 4.0) };
                    let w = text_width(&label, theme.small);
                    let (a, b) = if right { (lx, lx + w) } else { (lx - w, lx) };
                    // The lowest row where it does not overlap an earlier label.
                    let row = (0..marker_rows.max(1))
                        .find(|r| !placed.iter().any(|p| p.2 == *r && a < p.1 + 6.0 && p.0 < b + 6.0))
                        .unwrap_or(0);
                    placed.push((a, b, row));
                    let y = yr.start as f64 - 6.0 - row as f64 * theme.small * 1.4;
                    let style = font(theme.small, palette::ACCENT, h, VPos::Bottom, true);
                    text(root, tags, format!("class=\"dl-marker-label\" data-index=\"{i}\""), &label, (lx, y), &style)?;
                }
            }
            Ok(())
        })?;
    }
    Ok(doc.finish())
}
