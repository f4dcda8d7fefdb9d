//! The Pareto chart: revenue bars by rank, the cumulative share line on a 0–100 % axis, the
//! dashed threshold guide (80 %) and the point where the curve first reaches it.

use super::palette;
use super::svg::{
    font, horizontal_title, legend, mesh_classes, nice_axis, text, vertical_title, Doc, Frame,
    Mark, Theme,
};
use super::text::{clean_label, compact, ellipsize, finite, percent, text_width};
use super::{no_data_text, ChartError, ChartOptions};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One ranked item: a customer or a group.
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoItem {
    /// Name shown under its bar (when items are few) and in its tooltip.
    pub label: String,
    /// Revenue. Negative counts as 0 in every share (as the engine does); NaN/∞ are skipped.
    pub value: f64,
}

/// Input of [`pareto_chart`]. Labels are already in the user's language.
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoData {
    /// The items, in any order (ranked here by value, descending; ties by label).
    pub items: Vec<ParetoItem>,
    /// The share the guide and the crossing refer to (0 < t ≤ 1; otherwise 0.8).
    pub threshold: f64,
    /// At most this many bars (1..=200; 0 means 40). With more items, bar *k* sums the
    /// *k*-th equal slice of the ranking and the x axis shows the share of items.
    pub max_bars: usize,
    /// Legend of the bars, e.g. "营收".
    pub value_legend: String,
    /// Legend of the line, e.g. "累计占比".
    pub share_legend: String,
    /// Left axis title, e.g. "营收（元）".
    pub value_axis: String,
    /// Right axis title, e.g. "累计营收占比".
    pub share_axis: String,
    /// X axis title, e.g. "客户（按营收排名）".
    pub item_axis: String,
    /// Text next to the crossing point, e.g. "前 35.7% 客户贡献 80% 营收".
    pub crossing_label: String,
    /// Text of the guide (legend and line); empty: the threshold as a percentage ("80%").
    pub guide_label: String,
}

impl Default for ParetoData {
    fn default() -> Self {
        ParetoData {
            items: Vec::new(),
            threshold: 0.8,
            max_bars: 40,
            value_legend: String::new(),
            share_legend: String::new(),
            value_axis: String::new(),
            share_axis: String::new(),
            item_axis: String::new(),
            crossing_label: String::new(),
            guide_label: String::new(),
        }
    }
}

/// A bar: one item, or a slice of the ranking.
struct Bucket {
    /// First rank in the bar (0-based) and one past the last.
    from: usize,
    to: usize,
    /// Sum of the (non-negative) values.
    sum: f64,
    /// The item's position in the input, when the bar is one item.
    index: Option<usize>,
    /// Cumulative share (0..1) at the end of the bar.
    cum_share: f64,
}

/// Draws the Pareto chart.
///
/// ```
/// use dealerlens::charts::{pareto_chart, ChartOptions, ParetoData, ParetoItem};
/// let items = (1..=10).map(|i| ParetoItem { label: format!("客户{i}"), value: 100.0 / i as f64 }).collect();
/// let svg = pareto_chart(&ParetoData { items, ..ParetoData::default() }, &ChartOptions::default()).unwrap();
/// assert_eq!(svg.matches("class=\"dl-bar\"").count(), 10);
/// ```
pub fn pareto_chart(data: &ParetoData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("pareto", opts)?;
    let top = doc.title(&theme)?;

    let mut ranked: Vec<(usize, f64)> = data
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| finite(it.value).map(|v| (i, v)))
        .collect();
    if ranked.is_empty() {
        doc.no_data(&theme, no_data_text(opts.lang))?;
        return Ok(doc.finish());
    }
    crate::order::sort_stable(&mut ranked, |a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| data.items[a.0].label.cmp(&data.items[b.0].label))
            .then(a.0.cmp(&b.0))
    });
    let n = ranked.len();
    let pos = |v: f64| v.max(0.0);
    let total: f64 = ranked.iter().map(|r| pos(r.1)).sum();
    let threshold = if data.threshold.is_finite() && data.threshold > 0.0 && data.threshold <= 1.0 {
        data.threshold
    } else {
        0.8
    };

    // Prefix sums give both the buckets and the exact crossing (first count reaching t).
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(0.0);
    for r in &ranked {
        let last = prefix.last().copied().unwrap_or(0.0);
        prefix.push(last + pos(r.1));
    }
    let share_at = |k: usize| if total > 0.0 { prefix[k] / total } else { 0.0 };
    let crossing = if total > 0.0 {
        (1..=n).find(|&k| prefix[k] >= threshold * total * (1.0 - 1e-12))
    } else {
        None
    };

    let max_bars = match data.max_bars {
        0 => 40,
        m => m.min(200),
    };
    let individual = n <= max_bars;
    let nb = n.min(max_bars);
    let buckets: Vec<Bucket> = (0..nb)
        .map(|j| {
            let (from, to) = (j * n / nb, (j + 1) * n / nb);
            Bucket {
                from,
                to,
                sum: prefix[to] - prefix[from],
                index: individual.then(|| ranked[from].0),
                cum_share: share_at(to),
            }
        })
        .collect();

    // Legend.
    let guide_label = if data.guide_label.trim().is_empty() {
        percent(threshold)
    } else {
        clean_label(&data.guide_label)
    };
    let mut entries = Vec::new();
    if !data.value_legend.trim().is_empty() {
        entries.push((Mark::Swatch(palette::BAR), data.value_legend.clone()));
    }
    if !data.share_legend.trim().is_empty() {
        entries.push((Mark::Line(palette::ACCENT), data.share_legend.clone()));
    }
    entries.push((Mark::Dashed(palette::AXIS), guide_label.clone()));
    let top = legend(&mut doc, &theme, top, &entries)? + theme.small;

    // Frame: left axis for values, a hand-drawn right axis for shares.
    let lang = opts.lang;
    let (y_max, y_ticks) = nice_axis(buckets.iter().map(|b| b.sum).fold(0.0, f64::max));
    let tick_w = (0..=10)
        .map(|i| text_width(&compact(y_max * i as f64 / 10.0, lang), theme.small))
        .fold(0.0, f64::max);
    let y_desc_w = if data.value_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.6
    };
    let share_desc_w = if data.share_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.6
    };
    let right = text_width("100%", theme.small) + 16.0 + share_desc_w + theme.pad;
    let x_desc_h = if data.item_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.6
    };
    let frame = Frame {
        margin: (
            top as u32,
            right as u32,
            (theme.pad / 2.0) as u32,
            (theme.pad / 2.0) as u32,
        ),
        x_label_area: (theme.small * 1.8 + 10.0 + x_desc_h) as u32,
        y_label_area: (tick_w + 16.0 + y_desc_w) as u32,
        x: 0.0..n as f64,
        y: 0.0..y_max,
    };
    let pct = Frame {
        y: 0.0..100.0,
        ..frame.clone()
    };

    // Axes and grid (plotters mesh: left and bottom only, which never measure text).
    let small_muted = font(
        theme.small,
        palette::MUTED,
        HPos::Center,
        VPos::Center,
        false,
    );
    let width = doc.width();
    doc.layer("dl-axes", |root, tags| {
        mesh_classes(tags);
        let mut chart = frame.build(root)?;
        let fmt = |v: &f64| compact(*v, lang);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(y_ticks)
            .y_label_formatter(&fmt)
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
        let plot_h = (yr.end - yr.start) as f64;
        vertical_title(
            root,
            tags,
            &data.value_axis,
            (theme.pad / 2.0 + theme.body * 0.7, mid_y),
            plot_h,
            &theme,
        )?;
        vertical_title(
            root,
            tags,
            &data.share_axis,
            (width - theme.pad - theme.body * 0.7, mid_y),
            plot_h,
            &theme,
        )?;
        let x_title_y = yr.end as f64 + theme.small * 1.8 + 10.0;
        horizontal_title(
            root,
            tags,
            &data.item_axis,
            ((xr.start + xr.end) as f64 / 2.0, x_title_y),
            (xr.end - xr.start) as f64,
            &theme,
        )
    })?;

    // Right axis: 0–100 %.
    doc.layer("dl-axis-right", |root, tags| {
        let chart = pct.build(root)?;
        let (x, y0) = chart.backend_coord(&(n as f64, 0.0));
        let (_, y1) = chart.backend_coord(&(n as f64, 100.0));
        root.draw(&PathElement::new(
            vec![(x, y0), (x, y1)],
            palette::AXIS.stroke_width(1),
        ))?;
        tags.class("dl-axis");
        let style = font(theme.small, palette::MUTED, HPos::Left, VPos::Center, false);
        // 0 % sits above its tick, clear of the x labels below the corner.
        let bottom = font(theme.small, palette::MUTED, HPos::Left, VPos::Bottom, false);
        for p in (0..=100).step_by(20) {
            let (_, y) = chart.backend_coord(&(n as f64, p as f64));
            root.draw(&PathElement::new(
                vec![(x, y), (x + 5, y)],
                palette::AXIS.stroke_width(1),
            ))?;
            tags.class("dl-axis");
            let style = if p == 0 { &bottom } else { &style };
            text(
                root,
                tags,
                "class=\"dl-tick-label\"".into(),
                &format!("{p}%"),
                (x as f64 + 10.0, y as f64),
                style,
            )?;
        }
        Ok(())
    })?;

    // X labels: item names (few items) or the share of items (buckets).
    doc.layer("dl-x-labels", |root, tags| {
        let chart = frame.build(root)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let plot_w = (xr.end - xr.start).max(1) as f64;
        let y = yr.end as f64 + 10.0;
        let style = font(theme.small, palette::MUTED, HPos::Center, VPos::Top, false);
        if individual {
            let bar_px = plot_w / nb as f64;
            let step = if bar_px >= theme.small * 2.5 {
                1
            } else {
                (theme.small * 4.0 / bar_px).ceil() as usize
            };
            for (j, b) in buckets.iter().enumerate().step_by(step.max(1)) {
                let (cx, _) = chart.backend_coord(&((b.from + b.to) as f64 / 2.0, 0.0));
                let label = ellipsize(
                    &data.items[ranked[b.from].0].label,
                    bar_px * step as f64 - 4.0,
                    theme.small,
                );
                text(
                    root,
                    tags,
                    format!("class=\"dl-x-label\" data-index=\"{j}\""),
                    &label,
                    (cx as f64, y),
                    &style,
                )?;
            }
        } else {
            let step = if plot_w / 10.0 >= theme.small * 3.5 {
                10
            } else {
                20
            };
            for p in (0..=100).step_by(step) {
                let (cx, cy) = chart.backend_coord(&(n as f64 * p as f64 / 100.0, 0.0));
                root.draw(&PathElement::new(
                    vec![(cx, cy), (cx, cy + 5)],
                    palette::AXIS.stroke_width(1),
                ))?;
                tags.class("dl-axis");
                text(
                    root,
                    tags,
                    "class=\"dl-tick-label\"".into(),
                    &format!("{p}%"),
                    (cx as f64, y),
                    &style,
                )?;
            }
        }
        Ok(())
    })?;

    // Bars.
    doc.layer("dl-bars", |root, tags| {
        let chart = frame.build(root)?;
        let area = chart.plotting_area();
        for (j, b) in buckets.iter().enumerate() {
            let w = (b.to - b.from) as f64;
            let gap = w * 0.12;
            area.draw(&Rectangle::new(
                [(b.from as f64 + gap, 0.0), (b.to as f64 - gap, b.sum)],
                palette::BAR.filled(),
            ))?;
            match b.index {
                Some(i) => {
                    let item = &data.items[i];
                    tags.tip(
                        format!("class=\"dl-bar\" data-index=\"{i}\" data-rank=\"{}\"", b.from + 1),
                        &format!("{}. {}: {}", b.from + 1, clean_label(&item.label), compact(item.value, lang)),
                    );
                }
                None => tags.tip(
                    format!(
                        "class=\"dl-bar\" data-bucket=\"{j}\" data-rank-from=\"{}\" data-rank-to=\"{}\"",
                        b.from + 1,
                        b.to
                    ),
                    &format!("{}–{}: {}", b.from + 1, b.to, compact(b.sum, lang)),
                ),
            }
        }
        Ok(())
    })?;

    // Threshold guide.
    let guide_id = format!("{}-guide", doc.id());
    doc.layer("dl-guide", |root, tags| {
        let chart = pct.build(root)?;
        let p = threshold * 100.0;
        chart.plotting_area().draw(&PathElement::new(
            vec![(0.0, p), (n as f64, p)],
            palette::AXIS.stroke_width(2),
        ))?;
        tags.attrs(format!(
            "class=\"dl-guide-line\" id=\"{guide_id}\" data-share=\"{threshold}\" stroke-dasharray=\"8 6\""
        ));
        let (x, y) = chart.backend_coord(&(n as f64, p));
        let style = font(theme.small, palette::MUTED, HPos::Right, VPos::Bottom, false);
        text(root, tags, "class=\"dl-guide-label\"".into(), &guide_label, (x as f64 - 6.0, y as f64 - 4.0), &style)
    })?;

    // Cumulative line, with the crossing as a vertex so the marker sits on it.
    let mut points: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    for b in &buckets {
        if let Some(k) = crossing {
            if b.from < k && k < b.to && !individual {
                points.push((k as f64, share_at(k) * 100.0));
            }
        }
        points.push((b.to as f64, b.cum_share * 100.0));
    }
    let show_points = buckets.len() <= 60;
    doc.layer("dl-cumulative", |root, tags| {
        let chart = pct.build(root)?;
        let area = chart.plotting_area();
        area.draw(&PathElement::new(
            points.clone(),
            palette::ACCENT.stroke_width(theme.line),
        ))?;
        tags.class("dl-cum-line");
        if show_points {
            for (j, b) in buckets.iter().enumerate() {
                area.draw(&Circle::new(
                    (b.to as f64, b.cum_share * 100.0),
                    theme.line + 1,
                    palette::ACCENT.filled(),
                ))?;
                tags.tip(
                    format!(
                        "class=\"dl-cum-point\" data-index=\"{j}\" data-rank=\"{}\"",
                        b.to
                    ),
                    &format!("{}: {}", b.to, percent(b.cum_share)),
                );
            }
        }
        Ok(())
    })?;

    // Crossing point and its label.
    if let Some(k) = crossing {
        let share = share_at(k);
        let item_share = k as f64 / n as f64;
        let id = format!("{}-crossing", doc.id());
        let label = clean_label(&data.crossing_label);
        doc.layer("dl-crossing", |root, tags| {
            let chart = pct.build(root)?;
            let area = chart.plotting_area();
            let (xr, _) = area.get_pixel_range();
            area.draw(&PathElement::new(
                vec![(k as f64, 0.0), (k as f64, share * 100.0)],
                palette::INK.stroke_width(1),
            ))?;
            tags.attrs("class=\"dl-crossing-drop\" stroke-dasharray=\"4 4\"".into());
            area.draw(&Circle::new((k as f64, share * 100.0), theme.line + 4, palette::INK.filled()))?;
            tags.tip(
                format!(
                    "class=\"dl-crossing-point\" id=\"{id}\" data-rank=\"{k}\" data-item-share=\"{item_share}\" data-value-share=\"{share}\""
                ),
                &format!("{} → {}", percent(item_share), percent(share)),
            );
            if !label.is_empty() {
                let (px, py) = chart.backend_coord(&(k as f64, share * 100.0));
                let right_room = xr.end as f64 - px as f64 - 14.0;
                let left_room = px as f64 - xr.start as f64 - 14.0;
                let to_right = right_room >= text_width(&label, theme.body) || right_room >= left_room;
                let (anchor, x, room) = if to_right {
                    (HPos::Left, px as f64 + 14.0, right_room)
                } else {
                    (HPos::Right, px as f64 - 14.0, left_room)
                };
                let label = ellipsize(&label, room.max(theme.body * 3.0), theme.body);
                let w = text_width(&label, theme.body);
                let y = py as f64 + 12.0;
                let x0 = if to_right { x - 4.0 } else { x - w - 4.0 };
                root.draw(&Rectangle::new(
                    [(x0 as i32, y as i32 - 2), ((x0 + w + 8.0) as i32, (y + theme.body * 1.3) as i32)],
                    palette::WHITE.mix(0.85).filled(),
                ))?;
                tags.class("dl-crossing-label-bg");
                let style = font(theme.body, palette::INK, anchor, VPos::Top, true);
                text(root, tags, format!("class=\"dl-crossing-label\" id=\"{id}-label\""), &label, (x, y), &style)?;
            }
            Ok(())
        })?;
    }
    Ok(doc.finish())
}
