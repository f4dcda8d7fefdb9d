//! Segment charts: horizontal bars with value labels, and a donut with a legend.

use super::palette;
use super::svg::{font, horizontal_title, mesh_classes, nice_axis, text, Doc, Frame, Theme};
use super::text::{clean_label, compact, ellipsize, finite, group_thousands, percent, text_width};
use super::{no_data_text, ChartError, ChartOptions};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Category name (left of the bar).
    pub label: String,
    /// Length of the bar; NaN/∞ count as 0.
    pub value: f64,
    /// Text after the bar; empty: the value, abbreviated (e.g. "12.5万").
    pub value_label: String,
}

/// Input of [`bar_chart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarData {
    /// The bars, top to bottom, in the given order.
    pub bars: Vec<Bar>,
    /// Title of the value axis (below the chart), e.g. "客户数".
    pub value_axis: String,
    /// At most this many bars (2..=60; 0 means 20): the rest are summed into one last bar.
    pub max_bars: usize,
    /// Label of that last bar, e.g. "其他"; empty: "…".
    pub other_label: String,
}

/// One donut slice.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    /// Category name (legend).
    pub label: String,
    /// Size; negative, NaN and ∞ count as 0.
    pub value: f64,
}

/// Input of [`donut_chart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DonutData {
    /// The slices, clockwise from 12 o'clock, in the given order.
    pub slices: Vec<Slice>,
    /// Text in the hole, e.g. "3,000 位客户" (may be empty).
    pub center_label: String,
    /// At most this many slices (2..=12; 0 means 8): the rest are summed into one last slice.
    pub max_slices: usize,
    /// Label of that last slice, e.g. "其他"; empty: "…".
    pub other_label: String,
}

/// Keeps the first `max - 1` entries and sums the rest into an "other" entry (flagged true).
fn fold_tail(entries: Vec<(String, f64)>, max: usize, other: &str) -> Vec<(String, f64, bool)> {
    if entries.len() <= max {
        return entries.into_iter().map(|(l, v)| (l, v, false)).collect();
    }
    let mut out: Vec<(String, f64, bool)> = Vec::with_capacity(max);
    let mut rest = 0.0;
    for (i, (l, v)) in entries.into_iter().enumerate() {
        if i + 1 < max {
            out.push((l, v, false));
        } else {
            rest += v;
        }
    }
    let other = if other.trim().is_empty() {
        "…".to_string()
    } else {
        clean_label(other)
    };
    out.push((other, rest, true));
    out
}

/// Draws horizontal bars, one row per category, each with its value label.
///
/// ```
/// use dealerlens::charts::{bar_chart, Bar, BarData, ChartOptions};
/// let bars = vec![
///     Bar { label: "活跃".into(), value: 1200.0, value_label: String::new() },
///     Bar { label: "流失".into(), value: 300.0, value_label: "300 人".into() },
/// ];
/// let svg = bar_chart(&BarData { bars, ..BarData::default() }, &ChartOptions::default()).unwrap();
/// assert!(svg.contains("300 人"));
/// ```
pub fn bar_chart(data: &BarData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("bars", opts)?;
    let top = doc.title(&theme)? + theme.small;
    if data.bars.is_empty() {
        doc.no_data(&theme, no_data_text(opts.lang))?;
        return Ok(doc.finish());
    }
    let lang = opts.lang;
    let max = match data.max_bars {
        0 => 20,
        m => m.clamp(2, 60),
    };
    let labels_given: Vec<String> = data.bars.iter().map(|b| b.value_label.clone()).collect();
    let entries: Vec<(String, f64)> = data
        .bars
        .iter()
        .map(|b| (clean_label(&b.label), finite(b.value).unwrap_or(0.0)))
        .collect();
    let rows = fold_tail(entries, max, &data.other_label);
    let n = rows.len();
    let value_text = |i: usize, v: f64, other: bool| {
        if !other && !labels_given[i].trim().is_empty() {
            clean_label(&labels_given[i])
        } else {
            compact(v, lang)
        }
    };
    let value_texts: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| value_text(i, r.1, r.2))
        .collect();

    let lo = rows.iter().map(|r| r.1).fold(0.0, f64::min);
    let hi = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    let (hi_n, ticks) = nice_axis(hi);
    let hi_n = if hi > 0.0 || lo == 0.0 { hi_n } else { 0.0 };
    let lo_n = if lo < 0.0 { -nice_axis(-lo).0 } else { 0.0 };
    let ticks = if lo < 0.0 { 7 } else { ticks };

    // Row height decides the label font.
    let x_desc_h = if data.value_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.6
    };
    let bottom_area = theme.small * 1.8 + 10.0 + x_desc_h;
    let plot_h = doc.height() - top - bottom_area - theme.pad / 2.0;
    let row_h = plot_h / n as f64;
    let px = if row_h >= theme.body * 1.3 {
        theme.body
    } else {
        theme.small
    };
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.0, px))
        .fold(0.0, f64::max)
        .min(doc.width() * 0.3)
        + 12.0;
    let value_w = value_texts
        .iter()
        .map(|t| text_width(t, px))
        .fold(0.0, f64::max)
        + 12.0;
    let frame = Frame {
        margin: (
            top as u32,
            (value_w + theme.pad) as u32,
            (theme.pad / 2.0) as u32,
            theme.pad as u32,
        ),
        x_label_area: bottom_area as u32,
        y_label_area: label_w as u32,
        x: lo_n..hi_n.max(lo_n + 1e-9),
        y: 0.0..n as f64,
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
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(ticks)
            .x_label_formatter(&fmt)
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
        let y = yr.end as f64 + theme.small * 1.8 + 10.0;
        horizontal_title(
            root,
            tags,
            &data.value_axis,
            ((xr.start + xr.end) as f64 / 2.0, y),
            (xr.end - xr.start) as f64,
            &theme,
        )
    })?;
    doc.layer("dl-bars", |root, tags| {
        let chart = frame.build(root)?;
        let area = chart.plotting_area();
        for (i, (label, v, other)) in rows.iter().enumerate() {
            let y1 = (n - i) as f64 - 0.15;
            let y0 = (n - i - 1) as f64 + 0.15;
            let color = if *other {
                palette::OTHER
            } else {
                palette::category(i)
            };
            area.draw(&Rectangle::new([(0.0, y0), (*v, y1)], color.filled()))?;
            let kind = if *other { " data-other=\"true\"" } else { "" };
            tags.tip(
                format!("class=\"dl-bar\" data-index=\"{i}\" data-value=\"{v}\"{kind}"),
                &format!("{label}: {}", value_texts[i]),
            );
        }
        Ok(())
    })?;
    doc.layer("dl-labels", |root, tags| {
        let chart = frame.build(root)?;
        let (xr, _) = chart.plotting_area().get_pixel_range();
        let cat = font(px, palette::INK, HPos::Right, VPos::Center, false);
        let val = font(px, palette::INK, HPos::Left, VPos::Center, true);
        let val_neg = font(px, palette::INK, HPos::Right, VPos::Center, true);
        for (i, (label, v, _)) in rows.iter().enumerate() {
            let yc = (n - i) as f64 - 0.5;
            let (_, y) = chart.backend_coord(&(0.0, yc));
            let label = ellipsize(label, label_w - 12.0, px);
            text(
                root,
                tags,
                format!("class=\"dl-bar-label\" data-index=\"{i}\""),
                &label,
                (xr.start as f64 - 8.0, y as f64),
                &cat,
            )?;
            let (x, _) = chart.backend_coord(&(*v, yc));
            let (style, x) = if *v < 0.0 {
                (&val_neg, x as f64 - 6.0)
            } else {
                (&val, x as f64 + 6.0)
            };
            text(
                root,
                tags,
                format!("class=\"dl-value-label\" data-index=\"{i}\""),
                &value_texts[i],
                (x, y as f64),
                style,
            )?;
        }
        Ok(())
    })?;
    Ok(doc.finish())
}

/// Draws a donut of shares with a legend (label, value, share) on its right.
///
/// ```
/// use dealerlens::charts::{donut_chart, ChartOptions, DonutData, Slice};
/// let slices = vec![Slice { label: "活跃".into(), value: 3.0 }, Slice { label: "流失".into(), value: 1.0 }];
/// let svg = donut_chart(&DonutData { slices, ..DonutData::default() }, &ChartOptions::default()).unwrap();
/// assert!(svg.contains("75%"));
/// ```
pub fn donut_chart(data: &DonutData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("donut", opts)?;
    let top = doc.title(&theme)? + theme.small;
    let lang = opts.lang;
    let max = match data.max_slices {
        0 => 8,
        m => m.clamp(2, 12),
    };
    let entries: Vec<(String, f64)> = data
        .slices
        .iter()
        .map(|s| {
            (
                clean_label(&s.label),
                finite(s.value).unwrap_or(0.0).max(0.0),
            )
        })
        .collect();
    let slices = fold_tail(entries, max, &data.other_label);
    let total: f64 = slices.iter().map(|s| s.1).sum();
    if slices.is_empty() || total <= 0.0 || !total.is_finite() {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }

    // Layout: donut and legend side by side, the pair centred.
    let (w, h) = (doc.width(), doc.height());
    let avail_h = h - top - theme.pad;
    let rows = slices.len() as f64;
    let row_h = (avail_h / rows).min(theme.body * 2.0);
    let px = if row_h >= theme.body * 1.3 {
        theme.body
    } else {
        theme.small
    };
    let values: Vec<String> = slices
        .iter()
        .map(|(_, v, _)| format!("{} · {}", compact_or_count(*v, lang), percent(v / total)))
        .collect();
    let value_w = values.iter().map(|t| text_width(t, px)).fold(0.0, f64::max);
    let label_w = slices
        .iter()
        .map(|s| text_width(&s.0, px))
        .fold(0.0, f64::max);
    let r_out = (avail_h / 2.0).min(w * 0.25).max(10.0);
    let r_in = r_out * 0.58;
    let gap = theme.pad * 2.0;
    let swatch = px * 0.9;
    let legend_max = w - 2.0 * r_out - gap - 2.0 * theme.pad;
    let legend_w = (swatch + 8.0 + label_w + px * 1.5 + value_w)
        .min(legend_max)
        .max(0.0);
    let x0 = ((w - (2.0 * r_out + gap + legend_w)) / 2.0).max(theme.pad);
    let cx = x0 + r_out;
    let cy = top + avail_h / 2.0;
    let color = |i: usize, other: bool| {
        if other {
            palette::OTHER
        } else {
            palette::category(i)
        }
    };

    doc.layer("dl-slices", |root, tags| {
        let mut a0 = -std::f64::consts::FRAC_PI_2;
        for (i, (label, v, other)) in slices.iter().enumerate() {
            let share = v / total;
            let sweep = share * std::f64::consts::TAU;
            if sweep <= 0.0 {
                continue;
            }
            let a1 = a0 + sweep;
            let steps = ((sweep / 0.03).ceil() as usize).max(2);
            let pt = |r: f64, a: f64| ((cx + r * a.cos()).round() as i32, (cy + r * a.sin()).round() as i32);
            let mut poly: Vec<(i32, i32)> = (0..=steps).map(|k| pt(r_out, a0 + sweep * k as f64 / steps as f64)).collect();
            poly.extend((0..=steps).rev().map(|k| pt(r_in, a0 + sweep * k as f64 / steps as f64)));
            root.draw(&Polygon::new(poly, color(i, *other).filled()))?;
            tags.tip(
                format!("class=\"dl-slice\" data-index=\"{i}\" data-value=\"{v}\" data-share=\"{share}\""),
                &format!("{label}: {} ({})", compact(*v, lang), percent(share)),
            );
            a0 = a1;
        }
        // Thin white separators between slices.
        if slices.iter().filter(|s| s.1 > 0.0).count() > 1 {
            let mut a = -std::f64::consts::FRAC_PI_2;
            for (_, v, _) in slices.iter() {
                if *v > 0.0 {
                    let p = |r: f64| ((cx + r * a.cos()).round() as i32, (cy + r * a.sin()).round() as i32);
                    root.draw(&PathElement::new(vec![p(r_in - 1.0), p(r_out + 1.0)], palette::WHITE.stroke_width(2)))?;
                    tags.class("dl-slice-gap");
                }
                a += v / total * std::f64::consts::TAU;
            }
        }
        Ok(())
    })?;

    // Percentages on slices wide enough to hold them.
    doc.layer("dl-slice-labels", |root, tags| {
        let mut a0 = -std::f64::consts::FRAC_PI_2;
        for (i, (_, v, other)) in slices.iter().enumerate() {
            let share = v / total;
            let sweep = share * std::f64::consts::TAU;
            let mid = a0 + sweep / 2.0;
            a0 += sweep;
            let label = percent(share);
            let r_mid = (r_in + r_out) / 2.0;
            let arc = sweep * r_mid;
            if arc < text_width(&label, theme.small) + 8.0 || r_out - r_in < theme.small * 1.4 {
                continue;
            }
            let style = font(
                theme.small,
                palette::text_on(color(i, *other)),
                HPos::Center,
                VPos::Center,
                true,
            );
            text(
                root,
                tags,
                format!("class=\"dl-slice-label\" data-index=\"{i}\""),
                &label,
                (cx + r_mid * mid.cos(), cy + r_mid * mid.sin()),
                &style,
            )?;
        }
        Ok(())
    })?;

    if !data.center_label.trim().is_empty() {
        let label = ellipsize(&data.center_label, r_in * 1.8, theme.body);
        doc.layer("dl-center", |root, tags| {
            let style = font(theme.body, palette::INK, HPos::Center, VPos::Center, true);
            text(
                root,
                tags,
                "class=\"dl-center-label\"".into(),
                &label,
                (cx, cy),
                &style,
            )
        })?;
    }

    // Legend: swatch, label, value and share.
    let lx = cx + r_out + gap;
    let avail_w = legend_w;
    let y0 = cy - row_h * rows / 2.0;
    doc.layer("dl-legend", |root, tags| {
        for (i, (label, _, other)) in slices.iter().enumerate() {
            let yc = y0 + row_h * (i as f64 + 0.5);
            let s = px * 0.9;
            let (x0, y0s) = (lx.round() as i32, (yc - s / 2.0).round() as i32);
            root.draw(&Rectangle::new(
                [(x0, y0s), (x0 + s as i32, y0s + s as i32)],
                color(i, *other).filled(),
            ))?;
            tags.attrs(format!("class=\"dl-legend-mark\" data-index=\"{i}\""));
            let label_room = (avail_w - s - 8.0 - value_w - px).max(px * 3.0);
            let label = ellipsize(label, label_room, px);
            let style = font(px, palette::INK, HPos::Left, VPos::Center, false);
            text(
                root,
                tags,
                format!("class=\"dl-legend-label\" data-index=\"{i}\""),
                &label,
                (lx + s + 8.0, yc),
                &style,
            )?;
            let style = font(px, palette::MUTED, HPos::Right, VPos::Center, false);
            text(
                root,
                tags,
                format!("class=\"dl-legend-value\" data-index=\"{i}\""),
                &values[i],
                (lx + avail_w, yc),
                &style,
            )?;
        }
        Ok(())
    })?;
    Ok(doc.finish())
}

/// Whole counts below 10,000 in full (1,234), larger values abbreviated.
fn compact_or_count(v: f64, lang: crate::engine::Lang) -> String {
    if v.fract() == 0.0 && v.abs() < 1e4 {
        group_thousands(v)
    } else {
        compact(v, lang)
    }
}
