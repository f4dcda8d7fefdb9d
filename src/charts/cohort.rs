//! The cohort retention triangle: one row per first-visit month, one column per month
//! offset, cells coloured by the share of the cohort still returning, with % labels.

use super::palette;
use super::svg::{font, horizontal_title, text, vertical_title, Doc, Theme};
use super::text::{clean_label, compact, ellipsize, finite, group_thousands, percent, text_width};
use super::{no_data_text, ChartError, ChartOptions};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// At most this many cohorts (the latest are kept) and offsets (the first are kept).
pub const MAX_COHORTS: usize = 36;

/// One cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortRow {
    /// The cohort, e.g. "2024-01".
    pub label: String,
    /// Customers in the cohort (shown in the first column); NaN: not shown.
    pub size: f64,
    /// Share (0..1) of the cohort seen again at offset 0, 1, 2 … months; NaN/∞ (or a
    /// shorter vector) mean "not observable yet", which makes the triangle.
    pub shares: Vec<f64>,
}

/// Input of [`cohort_triangle`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortData {
    /// The cohorts, oldest first.
    pub rows: Vec<CohortRow>,
    /// Column headers per offset, e.g. "0", "1" …; missing headers are the offset number.
    pub offset_labels: Vec<String>,
    /// Header of the size column, e.g. "新客数".
    pub size_label: String,
    /// Title of the row axis, e.g. "首次到店月份".
    pub row_axis: String,
    /// Title of the column axis, e.g. "之后第几个月".
    pub col_axis: String,
}

/// Draws the cohort triangle. Colours run from 0 to the largest share after offset 0 (so
/// later months are not washed out by the 100 % of month 0).
///
/// ```
/// use dealerlens::charts::{cohort_triangle, ChartOptions, CohortData, CohortRow};
/// let rows = vec![
///     CohortRow { label: "2024-01".into(), size: 100.0, shares: vec![1.0, 0.4, 0.3] },
///     CohortRow { label: "2024-02".into(), size: 80.0, shares: vec![1.0, 0.35] },
/// ];
/// let svg = cohort_triangle(&CohortData { rows, ..CohortData::default() }, &ChartOptions::default()).unwrap();
/// assert_eq!(svg.matches("class=\"dl-cell\"").count(), 5);
/// ```
pub fn cohort_triangle(data: &CohortData, opts: &ChartOptions) -> Result<String, ChartError> {
    let theme = Theme::new(opts);
    let mut doc = Doc::new("cohort", opts)?;
    let top = doc.title(&theme)? + theme.small;
    let lang = opts.lang;
    let skip = data.rows.len().saturating_sub(MAX_COHORTS);
    let rows = &data.rows[skip..];
    let nr = rows.len();
    let nc = rows
        .iter()
        .map(|r| r.shares.len())
        .max()
        .unwrap_or(0)
        .min(MAX_COHORTS);
    let share = |r: usize, c: usize| {
        rows[r]
            .shares
            .get(c)
            .copied()
            .and_then(finite)
            .map(|v| v.max(0.0))
    };
    if nr == 0 || nc == 0 || !(0..nr).any(|r| (0..nc).any(|c| share(r, c).is_some())) {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }
    let scale_max = (0..nr)
        .flat_map(|r| (1..nc).filter_map(move |c| share(r, c)))
        .fold(0.0, f64::max);
    let scale_max = if scale_max > 0.0 {
        scale_max.min(1.0)
    } else {
        1.0
    };
    let color_of = |v: f64| palette::sequential(v / scale_max);
    let col_label = |c: usize| {
        data.offset_labels
            .get(c)
            .map(|s| clean_label(s))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| c.to_string())
    };

    // Layout: row title | row labels | size column | grid.
    let (w, h) = (doc.width(), doc.height());
    let row_title_w = if data.row_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.8
    };
    let col_title_h = if data.col_axis.trim().is_empty() {
        0.0
    } else {
        theme.body * 1.6
    };
    let gy0 = top + col_title_h + theme.small * 1.6;
    let gy1 = h - theme.pad;
    let ch = (gy1 - gy0) / nr as f64;
    let px = if ch >= theme.body * 1.3 {
        theme.body
    } else {
        theme.small
    };
    let row_label_w = rows
        .iter()
        .map(|r| text_width(&clean_label(&r.label), px))
        .fold(0.0, f64::max)
        .min(w * 0.15)
        + 10.0;
    let sizes: Vec<String> = rows
        .iter()
        .map(|r| {
            finite(r.size)
                .map(|s| {
                    if s.fract() == 0.0 && s < 1e7 {
                        group_thousands(s)
                    } else {
                        compact(s, lang)
                    }
                })
                .unwrap_or_default()
        })
        .collect();
    let size_w = sizes.iter().map(|s| text_width(s, px)).fold(
        text_width(&clean_label(&data.size_label), theme.small),
        f64::max,
    ) + 16.0;
    let sx0 = theme.pad / 2.0 + row_title_w + row_label_w;
    let gx0 = sx0 + size_w;
    let gx1 = w - theme.pad;
    let cw = (gx1 - gx0) / nc as f64;
    if cw <= 1.0 || ch <= 1.0 {
        doc.no_data(&theme, no_data_text(lang))?;
        return Ok(doc.finish());
    }

    doc.layer("dl-cells", |root, tags| {
        for (r, row) in rows.iter().enumerate() {
            for c in 0..nc {
                let Some(v) = share(r, c) else { continue };
                let x0 = (gx0 + c as f64 * cw + 1.0).round() as i32;
                let y0 = (gy0 + r as f64 * ch + 1.0).round() as i32;
                let x1 = (gx0 + (c + 1) as f64 * cw - 1.0).round() as i32;
                let y1 = (gy0 + (r + 1) as f64 * ch - 1.0).round() as i32;
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color_of(v).filled()))?;
                tags.tip(
                    format!(
                        "class=\"dl-cell\" data-row=\"{}\" data-col=\"{c}\" data-share=\"{v}\"",
                        r + skip
                    ),
                    &format!(
                        "{} · {}: {}",
                        clean_label(&row.label),
                        col_label(c),
                        percent(v)
                    ),
                );
            }
        }
        Ok(())
    })?;

    doc.layer("dl-cell-labels", |root, tags| {
        for r in 0..nr {
            for c in 0..nc {
                let Some(v) = share(r, c) else { continue };
                let full = percent(v);
                let short = format!("{:.0}%", v * 100.0);
                let fits = |s: &str, p: f64| text_width(s, p) <= cw - 4.0 && ch >= p * 1.2;
                let (label, p) = if fits(&full, px) {
                    (full, px)
                } else if fits(&short, px) {
                    (short, px)
                } else if fits(&short, theme.small) {
                    (short, theme.small)
                } else {
                    continue;
                };
                let style = font(
                    p,
                    palette::text_on(color_of(v)),
                    HPos::Center,
                    VPos::Center,
                    false,
                );
                let at = (gx0 + (c as f64 + 0.5) * cw, gy0 + (r as f64 + 0.5) * ch);
                text(
                    root,
                    tags,
                    format!(
                        "class=\"dl-cell-label\" data-row=\"{}\" data-col=\"{c}\"",
                        r + skip
                    ),
                    &label,
                    at,
                    &style,
                )?;
            }
        }
        Ok(())
    })?;

    doc.layer("dl-axis-labels", |root, tags| {
        let row_style = font(px, palette::INK, HPos::Right, VPos::Center, false);
        let size_style = font(px, palette::MUTED, HPos::Right, VPos::Center, false);
        for (r, row) in rows.iter().enumerate() {
            let y = gy0 + (r as f64 + 0.5) * ch;
            let label = ellipsize(&row.label, row_label_w - 10.0, px);
            text(
                root,
                tags,
                format!("class=\"dl-row-label\" data-row=\"{}\"", r + skip),
                &label,
                (sx0 - 8.0, y),
                &row_style,
            )?;
            if !sizes[r].is_empty() {
                text(
                    root,
                    tags,
                    format!("class=\"dl-size-label\" data-row=\"{}\"", r + skip),
                    &sizes[r],
                    (gx0 - 8.0, y),
                    &size_style,
                )?;
            }
        }
        let head_y = gy0 - 6.0;
        let head = font(
            theme.small,
            palette::MUTED,
            HPos::Center,
            VPos::Bottom,
            false,
        );
        let every = ((text_width(&col_label(nc - 1), theme.small) + 6.0) / cw)
            .ceil()
            .max(1.0) as usize;
        for c in (0..nc).step_by(every) {
            let label = ellipsize(&col_label(c), cw * every as f64 - 2.0, theme.small);
            text(
                root,
                tags,
                format!("class=\"dl-col-label\" data-col=\"{c}\""),
                &label,
                (gx0 + (c as f64 + 0.5) * cw, head_y),
                &head,
            )?;
        }
        if !data.size_label.trim().is_empty() {
            let style = font(
                theme.small,
                palette::MUTED,
                HPos::Right,
                VPos::Bottom,
                false,
            );
            text(
                root,
                tags,
                "class=\"dl-size-title\"".into(),
                &clean_label(&data.size_label),
                (gx0 - 8.0, head_y),
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
            ((gx0 + gx1) / 2.0, top),
            gx1 - gx0,
            &theme,
        )
    })?;
    Ok(doc.finish())
}
