//! A grid of cells coloured by value (the RFM R × F heat map), with cell labels, row and
//! column labels, axis titles and a colour scale.

use super::palette;
use super::svg::{font, horizontal_title, text, vertical_title, Doc, Theme};
use super::text::{clean_label, compact, ellipsize, finite, text_width};
use super::{no_data_text, ChartError, ChartOptions};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Rows or columns beyond this are dropped (keeps the SVG small; R × F is 5 × 5).
pub const MAX_GRID: usize = 30;

/// Input of [`heatmap`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeatmapData {
    /// Row labels, top to bottom (e.g. R = 5 … 1).
    pub rows: Vec<String>,
    /// Column labels, left to right (e.g. F = 1 … 5).
    pub cols: Vec<String>,
    /// `values[row][col]`; missing entries and NaN/∞ are "no data" (grey).
    pub values: Vec<Vec<f64>>,
    /// Optional `cell_labels[row][col]` (e.g. "128 人"); missing or empty: the value,
    /// abbreviated.
    pub cell_labels: Vec<Vec<String>>,
    /// Title of the row axis (left), e.g. "R（最近消费）".
    pub row_axis: String,
    /// Title of the column axis (bottom), e.g. "F（消费频次）".
    pub col_axis: String,
    /// Name of the value on the colour scale, e.g. "客户数".
    pub value_legend: String,
}

/// Draws the heat map.
///
/// ```
/// use dealerlens::charts::{heatmap, ChartOptions, HeatmapData};
/// let data = HeatmapData {
///     rows: vec!["R5".into(), "R4".into()],
///     cols: vec!["F1".into(), "F2".into()],
///     values: vec![vec![10.0, 20.0], vec![5.0, f64::NAN]],
///     ..HeatmapData::default()
/// };
/// let svg = heatmap(&data, &ChartOptions::default()).unwrap();
/// assert_eq!(svg.matches("class=\"dl-cell\"").count(), 4);
/// ```
pub fn heatmap(data: &HeatmapData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("heatmap", opts)?;
    let top = doc.title(&theme)? + theme.small;
    let lang = opts.lang;
    let nr = data.rows.len().max(data.values.len()).min(MAX_GRID);
    let nc = data
        .cols
        .len()
        .max(data.values.iter().map(|r| r.len()).max().unwrap_or(0))
        .min(MAX_GRID);
    if nr == 0 || nc == 0 {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }
    let value = |r: usize, c: usize| {
        data.values
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .and_then(finite)
    };
    let label_of = |v: &[String], i: usize| v.get(i).map(|s| clean_label(s)).unwrap_or_default();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in 0..nr {
        for c in 0..nc {
            if let Some(v) = value(r, c) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let lo = if lo.is_finite() { lo.min(0.0) } else { 0.0 };
    let hi = if hi.is_finite() { hi } else { 1.0 };
    let t_of = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };

    // Layout: row labels | grid | colour scale.
    let (w, h) = (doc.width(), doc.height());
    let row_label_w = (0..nr)
        .map(|r| text_width(&label_of(&data.rows, r), theme.body))
        .fold(0.0, f64::max)
        .min(w * 0.2)
        + 10.0;
    let row_title_w = if data.row_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.8
    };
    let col_title_h = if data.col_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.8
    };
    let scale_w = theme.body * 1.2
        + 10.0
        + text_width(&compact(hi, lang), theme.small)
            .max(text_width(&compact(lo, lang), theme.small))
        + theme.pad;
    let gx0 = theme.pad / 2.0 + row_title_w + row_label_w;
    let gx1 = w - scale_w - theme.pad;
    let gy0 = top
        + if data.value_legend.trim().is_empty() {
            0.0
        } else {
            theme.small * 1.2
        };
    let gy1 = h - theme.pad / 2.0 - col_title_h - theme.body * 1.6;
    let (cw, ch) = ((gx1 - gx0) / nc as f64, (gy1 - gy0) / nr as f64);
    if cw <= 1.0 || ch <= 1.0 {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }

    doc.layer("dl-cells", |root, tags| {
        for r in 0..nr {
            for c in 0..nc {
                let x0 = (gx0 + c as f64 * cw + 1.0).round() as i32;
                let y0 = (gy0 + r as f64 * ch + 1.0).round() as i32;
                let x1 = (gx0 + (c + 1) as f64 * cw - 1.0).round() as i32;
                let y1 = (gy0 + (r + 1) as f64 * ch - 1.0).round() as i32;
                let v = value(r, c);
                let color = v.map(|v| palette::sequential(t_of(v))).unwrap_or(palette::EMPTY_CELL);
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))?;
                let shown = v.map(|v| v.to_string()).unwrap_or_default();
                let tip_value = cell_text(data, r, c, v, lang);
                tags.tip(
                    format!("class=\"dl-cell\" data-row=\"{r}\" data-col=\"{c}\" data-value=\"{shown}\""),
                    &format!("{} · {}: {}", label_of(&data.rows, r), label_of(&data.cols, c), tip_value),
                );
            }
        }
        Ok(())
    })?;

    doc.layer("dl-cell-labels", |root, tags| {
        for r in 0..nr {
            for c in 0..nc {
                let v = value(r, c);
                let label = cell_text(data, r, c, v, lang);
                let px = if text_width(&label, theme.body) <= cw - 6.0 {
                    theme.body
                } else {
                    theme.small
                };
                if label.is_empty() || text_width(&label, px) > cw - 6.0 || ch < px * 1.3 {
                    continue;
                }
                let bg = v
                    .map(|v| palette::sequential(t_of(v)))
                    .unwrap_or(palette::EMPTY_CELL);
                let style = font(px, palette::text_on(bg), HPos::Center, VPos::Center, false);
                let at = (gx0 + (c as f64 + 0.5) * cw, gy0 + (r as f64 + 0.5) * ch);
                text(
                    root,
                    tags,
                    format!("class=\"dl-cell-label\" data-row=\"{r}\" data-col=\"{c}\""),
                    &label,
                    at,
                    &style,
                )?;
            }
        }
        Ok(())
    })?;

    doc.layer("dl-axis-labels", |root, tags| {
        let style = font(theme.body, palette::INK, HPos::Right, VPos::Center, false);
        for r in 0..nr {
            let label = ellipsize(&label_of(&data.rows, r), row_label_w - 10.0, theme.body);
            let y = gy0 + (r as f64 + 0.5) * ch;
            text(
                root,
                tags,
                format!("class=\"dl-row-label\" data-row=\"{r}\""),
                &label,
                (gx0 - 8.0, y),
                &style,
            )?;
        }
        let style = font(theme.body, palette::INK, HPos::Center, VPos::Top, false);
        for c in 0..nc {
            let label = ellipsize(&label_of(&data.cols, c), cw - 4.0, theme.body);
            let x = gx0 + (c as f64 + 0.5) * cw;
            text(
                root,
                tags,
                format!("class=\"dl-col-label\" data-col=\"{c}\""),
                &label,
                (x, gy1 + 6.0),
                &style,
            )?;
        }
        vertical_title(
            root,
            tags,
            &data.row_axis,
            (theme.pad / 2.0 + theme.body * 0.7, (gy0 + gy1) / 2.0),
            gy1 - gy0,
            &theme,
        )?;
        horizontal_title(
            root,
            tags,
            &data.col_axis,
            ((gx0 + gx1) / 2.0, gy1 + 6.0 + theme.body * 1.6),
            gx1 - gx0,
            &theme,
        )
    })?;

    // Colour scale: a column of steps from low (bottom) to high (top).
    doc.layer("dl-scale", |root, tags| {
        let sx0 = gx1 + theme.pad;
        let sx1 = sx0 + theme.body * 1.2;
        let steps = 24;
        let sh = (gy1 - gy0) / steps as f64;
        for k in 0..steps {
            let t = 1.0 - (k as f64 + 0.5) / steps as f64;
            let y0 = (gy0 + k as f64 * sh).round() as i32;
            let y1 = (gy0 + (k + 1) as f64 * sh).round() as i32;
            root.draw(&Rectangle::new(
                [(sx0 as i32, y0), (sx1 as i32, y1)],
                palette::sequential(t).filled(),
            ))?;
            tags.class("dl-scale-step");
        }
        let style = font(theme.small, palette::MUTED, HPos::Left, VPos::Top, false);
        text(
            root,
            tags,
            "class=\"dl-scale-max\"".into(),
            &compact(hi, lang),
            (sx1 + 6.0, gy0),
            &style,
        )?;
        let style = font(theme.small, palette::MUTED, HPos::Left, VPos::Bottom, false);
        text(
            root,
            tags,
            "class=\"dl-scale-min\"".into(),
            &compact(lo, lang),
            (sx1 + 6.0, gy1),
            &style,
        )?;
        if !data.value_legend.trim().is_empty() {
            let style = font(
                theme.small,
                palette::MUTED,
                HPos::Center,
                VPos::Bottom,
                false,
            );
            let label = ellipsize(&data.value_legend, scale_w + theme.pad, theme.small);
            text(
                root,
                tags,
                "class=\"dl-scale-title\"".into(),
                &label,
                ((sx0 + sx1) / 2.0 + 10.0, gy0 - 6.0),
                &style,
            )?;
        }
        Ok(())
    })?;
    Ok(doc.finish())
}

fn cell_text(
    data: &HeatmapData,
    r: usize,
    c: usize,
    v: Option<f64>,
    lang: crate::engine::Lang,
) -> String {
    let given = data
        .cell_labels
        .get(r)
        .and_then(|row| row.get(c))
        .map(|s| clean_label(s))
        .unwrap_or_default();
    if !given.is_empty() {
        given
    } else {
        v.map(|v| compact(v, lang)).unwrap_or_else(|| "–".into())
    }
}
