//! The SVG document around plotters' output.
//!
//! Each chart is drawn in *layers*: a layer is a closure that draws with plotters on a fresh
//! [`SVGBackend`] of the chart's size; its elements are copied into the document inside a
//! `<g class="…">`. While drawing, the closure records one [`Tags`] entry per element it
//! draws (in order), and the copy adds those attributes (`class`, `data-*`) and an optional
//! `<title>` tooltip to the element. The document itself (root `<svg>` with an explicit
//! `viewBox`, the accessible `<title>`, the font stack, the white background) is written here,
//! not by plotters.
//!
//! plotters' SVG backend writes each element on its own line (`<rect …/>`, and `<text …>`,
//! the escaped text, `</text>` on three lines) and never measures text when drawing it; the
//! charts avoid the plotters calls that do measure (captions, series legends, right-hand
//! axis labels, pie labels), so no font and no `window()` is needed.

use super::palette;
use super::text::xml_escape;
use super::{ChartError, ChartOptions};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::ops::Range;

/// A drawing area on a layer's backend, in pixels.
pub type Root<'b> = DrawingArea<SVGBackend<'b>, Shift>;
/// A chart context with linear x and y axes.
pub type Chart2d<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The family plotters writes on each `<text>`; removed afterwards, the root `<svg>` carries
/// the real stack.
const FONT_MARK: &str = "dl-font";
/// System fonts only (no web fonts): CJK first on each platform, then a generic fallback.
pub const FONT_STACK: &str = "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif";

/// Largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 8000;
/// Smallest width or height accepted, in pixels.
pub const MIN_SIDE: u32 = 120;

/// Attributes (and an optional tooltip) for the elements a layer draws, one entry per element.
#[derive(Default)]
pub struct Tags(
    Vec<(String, Option<String>)>,
    Vec<(&'static str, &'static str)>,
);

impl Tags {
    /// Elements with this tag name that get no attributes of their own get this class
    /// (for plotters' own output, e.g. the mesh: `("text", "dl-tick-label")`).
    pub fn default_class(&mut self, tag: &'static str, class: &'static str) {
        self.1.push((tag, class));
    }
    /// The next element gets `class="…"`.
    pub fn class(&mut self, class: &str) {
        self.0.push((format!("class=\"{class}\""), None));
    }
    /// The next element gets these attributes (already formatted, e.g. `class="a" data-i="1"`).
    pub fn attrs(&mut self, attrs: String) {
        self.0.push((attrs, None));
    }
    /// The next element gets these attributes and a `<title>` tooltip.
    pub fn tip(&mut self, attrs: String, tip: &str) {
        self.0.push((attrs, Some(tip.to_string())));
    }
}

/// Sizes derived from the chart width: a projector-legible minimum of 14 px text, growing
/// with charts wider than 1280 px.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Tick labels, cell labels, notes.
    pub small: f64,
    /// Legends, category labels, axis titles.
    pub body: f64,
    /// The chart title.
    pub title: f64,
    /// Outer padding.
    pub pad: f64,
    /// Stroke width of series lines.
    pub line: u32,
}

impl Theme {
    /// The theme for a chart of these options.
    pub fn new(opts: &ChartOptions) -> Self {
        let s = (opts.width as f64 / 1280.0).max(1.0);
        let half = |v: f64| (v * 2.0).round() / 2.0;
        Theme {
            small: half(14.0 * s),
            body: half(16.0 * s),
            title: half(22.0 * s),
            pad: (16.0 * s).round(),
            line: (3.0 * s).round().max(2.0) as u32,
        }
    }
}

/// A text style at `px` pixels (as written in the SVG), anchored as given.
pub fn font(px: f64, color: RGBColor, h: HPos, v: VPos, bold: bool) -> TextStyle<'static> {
    // plotters writes `font-size = size / 1.24`: pick the size that gives exactly `px`.
    let mut size = px * 1.24;
    for candidate in [
        size,
        f64::from_bits(size.to_bits() + 1),
        f64::from_bits(size.to_bits() - 1),
    ] {
        if candidate / 1.24 == px {
            size = candidate;
            break;
        }
    }
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FONT_MARK), size, style)
        .color(&color)
        .pos(Pos::new(h, v))
}

/// Draws one text in pixel coordinates and tags it.
#[allow(clippy::too_many_arguments)]
pub fn text(
    root: &Root<'_>,
    tags: &mut Tags,
    attrs: String,
    s: &str,
    (x, y): (f64, f64),
    style: &TextStyle<'static>,
) -> Result<(), ChartError> {
    root.draw(&Text::new(
        s.to_string(),
        (x.round() as i32, y.round() as i32),
        style.clone(),
    ))?;
    tags.attrs(attrs);
    Ok(())
}

/// Where the plotting area sits and what it maps: the same frame built on every layer gives
/// the same pixel mapping.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Margins around everything, top / right / bottom / left, in pixels.
    pub margin: (u32, u32, u32, u32),
    /// Height of the bottom label area (tick labels and axis title).
    pub x_label_area: u32,
    /// Width of the left label area.
    pub y_label_area: u32,
    /// The x range.
    pub x: Range<f64>,
    /// The y range.
    pub y: Range<f64>,
}

impl Frame {
    /// Builds the chart context on `root` (draws nothing).
    pub fn build<'a, 'b>(&self, root: &'a Root<'b>) -> Result<Chart2d<'a, 'b>, ChartError> {
        let (t, r, b, l) = self.margin;
        Ok(ChartBuilder::on(root)
            .margin_top(t)
            .margin_right(r)
            .margin_bottom(b)
            .margin_left(l)
            .x_label_area_size(self.x_label_area)
            .y_label_area_size(self.y_label_area)
            .build_cartesian_2d(
                safe_range(self.x.start, self.x.end),
                safe_range(self.y.start, self.y.end),
            )?)
    }
}

/// A "nice" axis from 0 up to at least `v`: the top (a multiple of a 1/2/5 × 10ⁿ step)
/// and the number of tick labels (at most 7) for which plotters picks that same step.
pub fn nice_axis(v: f64) -> (f64, usize) {
    // Beyond these magnitudes steps underflow or overflow: take the value as it is.
    if !v.is_finite() || v <= 1e-9 {
        return (1.0, 6);
    }
    if v >= 1e300 {
        return (v, 2);
    }
    let mut step = 10f64.powf(v.log10().floor() - 1.0);
    for _ in 0..4 {
        for m in [1.0, 2.0, 5.0] {
            let s = step * m;
            let intervals = (v / s * (1.0 - 1e-12)).ceil().max(1.0);
            if intervals <= 6.0 {
                return (intervals * s, intervals as usize + 1);
            }
        }
        step *= 10.0;
    }
    (v, 2)
}

/// A range plotters can map: finite, and wide enough to be distinguishable from a point.
pub fn safe_range(lo: f64, hi: f64) -> Range<f64> {
    let lo = if lo.is_finite() { lo } else { 0.0 };
    let hi = if hi.is_finite() { hi } else { lo };
    let min_span = (lo.abs().max(hi.abs()) * 1e-6).max(1e-9);
    if hi - lo >= min_span {
        lo..hi
    } else {
        lo..lo + min_span.max(1.0)
    }
}

/// Draws an axis title rotated to read bottom-to-top, centred on (x, y).
pub fn vertical_title(
    root: &Root<'_>,
    tags: &mut Tags,
    label: &str,
    (x, y): (f64, f64),
    max_len: f64,
    theme: &Theme,
) -> Result<(), ChartError> {
    let label = super::text::ellipsize(label, max_len, theme.body);
    if label.is_empty() {
        return Ok(());
    }
    let style = font(
        theme.body,
        palette::MUTED,
        HPos::Center,
        VPos::Center,
        false,
    )
    .transform(FontTransform::Rotate270);
    text(
        root,
        tags,
        "class=\"dl-axis-title\"".into(),
        &label,
        (x, y),
        &style,
    )
}

/// Draws a horizontal axis title, centred on x, top at y.
pub fn horizontal_title(
    root: &Root<'_>,
    tags: &mut Tags,
    label: &str,
    (x, y): (f64, f64),
    max_len: f64,
    theme: &Theme,
) -> Result<(), ChartError> {
    let label = super::text::ellipsize(label, max_len, theme.body);
    if label.is_empty() {
        return Ok(());
    }
    let style = font(theme.body, palette::MUTED, HPos::Center, VPos::Top, false);
    text(
        root,
        tags,
        "class=\"dl-axis-title\"".into(),
        &label,
        (x, y),
        &style,
    )
}

/// Tags plotters' mesh output: tick labels, grid lines, axis lines and tick marks.
pub fn mesh_classes(tags: &mut Tags) {
    tags.default_class("text", "dl-tick-label");
    tags.default_class("line", "dl-grid");
    tags.default_class("polyline", "dl-axis");
}

/// The SVG document being assembled.
pub struct Doc {
    width: u32,
    height: u32,
    kind: &'static str,
    id: String,
    title: String,
    /// The caller gave a title (drawn on top); otherwise only the `<title>` has a name.
    visible_title: bool,
    body: String,
}

impl Doc {
    /// A new document for chart `kind` (used in the class and the default id).
    pub fn new(kind: &'static str, opts: &ChartOptions) -> Result<Self, ChartError> {
        let ok = |v: u32| (MIN_SIDE..=MAX_SIDE).contains(&v);
        if !ok(opts.width) || !ok(opts.height) {
            return Err(ChartError::InvalidSize {
                width: opts.width,
                height: opts.height,
            });
        }
        let id: String = opts
            .id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let id = if id.is_empty() || !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
            format!("dl-{kind}")
        } else {
            id
        };
        // The accessible name falls back to the kind of chart when no title is given.
        let title = if opts.title.trim().is_empty() {
            fallback_title(kind, opts.lang).to_string()
        } else {
            opts.title.clone()
        };
        Ok(Doc {
            width: opts.width,
            height: opts.height,
            kind,
            id,
            title,
            visible_title: !opts.title.trim().is_empty(),
            body: String::new(),
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> f64 {
        self.width as f64
    }

    /// Height in pixels.
    pub fn height(&self) -> f64 {
        self.height as f64
    }

    /// The chart's id (ids of inner elements are prefixed with it).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Opens a `<g>` with these attributes.
    pub fn open(&mut self, attrs: &str) {
        let _ = writeln!(self.body, "<g {attrs}>");
    }

    /// Closes the last `<g>`.
    pub fn close(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// Draws a layer inside `<g class="{class}">`.
    pub fn layer<F>(&mut self, class: &str, draw: F) -> Result<(), ChartError>
    where
        F: for<'b> FnOnce(&Root<'b>, &mut Tags) -> Result<(), ChartError>,
    {
        self.open(&format!("class=\"{class}\""));
        self.layer_flat(draw)?;
        self.close();
        Ok(())
    }

    /// Draws a layer without a wrapping group.
    pub fn layer_flat<F>(&mut self, draw: F) -> Result<(), ChartError>
    where
        F: for<'b> FnOnce(&Root<'b>, &mut Tags) -> Result<(), ChartError>,
    {
        // The backend set-up and the copy are shared by every layer (one copy in the wasm
        // binary, not one per closure).
        let mut draw = Some(draw);
        self.layer_dyn(&mut |root, tags| match draw.take() {
            Some(f) => f(root, tags),
            None => Ok(()),
        })
    }

    fn layer_dyn(
        &mut self,
        draw: &mut dyn for<'b> FnMut(&Root<'b>, &mut Tags) -> Result<(), ChartError>,
    ) -> Result<(), ChartError> {
        let mut buf = String::new();
        let mut tags = Tags::default();
        {
            let root =
                SVGBackend::with_string(&mut buf, (self.width, self.height)).into_drawing_area();
            draw(&root, &mut tags)?;
            root.present()?;
        }
        copy_elements(&buf, tags, &mut self.body);
        Ok(())
    }

    /// Draws the visible title (top centre) in its own group; returns the y below it.
    pub fn title(&mut self, theme: &Theme) -> Result<f64, ChartError> {
        if !self.visible_title {
            return Ok(theme.pad);
        }
        let t = super::text::ellipsize(&self.title, self.width() - 2.0 * theme.pad, theme.title);
        let (x, y) = (self.width() / 2.0, theme.pad);
        let style = font(theme.title, palette::INK, HPos::Center, VPos::Top, true);
        let id = format!("{}-heading", self.id);
        self.layer_flat(|root, tags| {
            text(
                root,
                tags,
                format!("class=\"dl-title\" id=\"{id}\""),
                &t,
                (x, y),
                &style,
            )
        })?;
        Ok(theme.pad + theme.title * 1.5)
    }

    /// A centred "no data" note (for empty inputs).
    pub fn no_data(&mut self, theme: &Theme, message: &str) -> Result<(), ChartError> {
        let (x, y) = (self.width() / 2.0, self.height() / 2.0);
        let style = font(
            theme.body,
            palette::MUTED,
            HPos::Center,
            VPos::Center,
            false,
        );
        self.layer_flat(|root, tags| {
            text(
                root,
                tags,
                "class=\"dl-empty\"".into(),
                message,
                (x, y),
                &style,
            )
        })
    }

    /// The finished SVG text.
    pub fn finish(self) -> String {
        let (w, h) = (self.width, self.height);
        let title = xml_escape(&self.title);
        let mut out = String::with_capacity(self.body.len() + 600);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             id=\"{id}\" class=\"dl-chart dl-chart-{kind}\" role=\"img\" aria-labelledby=\"{id}-title\" \
             font-family=\"{FONT_STACK}\">\n<title id=\"{id}-title\">{title}</title>\n\
             <rect class=\"dl-bg\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>\n",
            id = self.id,
            kind = self.kind,
        );
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

/// A generic name for a chart of this kind.
fn fallback_title(kind: &str, lang: crate::engine::Lang) -> &'static str {
    use crate::engine::Lang::{En, Zh};
    match (kind, lang) {
        ("pareto", Zh) => "帕累托图",
        ("pareto", En) => "Pareto chart",
        ("bars", Zh) => "条形图",
        ("bars", En) => "Bar chart",
        ("donut", Zh) => "环形图",
        ("donut", En) => "Donut chart",
        ("heatmap", Zh) => "热力图",
        ("heatmap", En) => "Heat map",
        ("funnel", Zh) => "漏斗图",
        ("funnel", En) => "Funnel",
        ("line", Zh) => "趋势图",
        ("line", En) => "Line chart",
        ("histogram", Zh) => "直方图",
        ("histogram", En) => "Histogram",
        ("cohort", Zh) => "留存三角",
        ("cohort", En) => "Cohort retention",
        (_, Zh) => "图表",
        (_, En) => "Chart",
    }
}

/// Copies the elements of one plotters SVG into `out`, adding the recorded attributes.
fn copy_elements(svg: &str, tags: Tags, out: &mut String) {
    let defaults = tags.1;
    let mut tags = tags.0.into_iter();
    let mut lines = svg.lines();
    // The first line is plotters' own `<svg …>`.
    lines.next();
    let font_attr = format!(" font-family=\"{FONT_MARK}\"");
    while let Some(line) = lines.next() {
        if line.is_empty() || line.starts_with("</") {
            continue; // `</svg>`; text elements consume their own closing tag below
        }
        if !line.starts_with('<') {
            continue;
        }
        let line = line.replace(&font_attr, "").replace(" opacity=\"1\"", "");
        let name_end = line.find([' ', '/', '>']).unwrap_or(line.len());
        let name = &line[1..name_end];
        let (mut attrs, tip) = tags.next().unwrap_or_default();
        if attrs.is_empty() {
            if let Some((_, class)) = defaults.iter().find(|(t, _)| *t == name) {
                attrs = format!("class=\"{class}\"");
            }
        }
        let mut open = String::with_capacity(line.len() + attrs.len() + 1);
        open.push_str(&line[..name_end]);
        if !attrs.is_empty() {
            open.push(' ');
            open.push_str(&attrs);
        }
        open.push_str(&line[name_end..]);
        let tip = tip
            .map(|t| format!("<title>{}</title>", xml_escape(&t)))
            .unwrap_or_default();
        if let Some(head) = open.strip_suffix("/>") {
            if tip.is_empty() {
                out.push_str(&open);
            } else {
                let _ = write!(out, "{head}>{tip}</{name}>");
            }
        } else {
            // `<text …>`, then the escaped text on its own line, then `</text>`.
            let content = lines.next().unwrap_or("");
            let _ = lines.next();
            let _ = write!(out, "{open}{tip}{content}</{name}>");
        }
        out.push('\n');
    }
}

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A filled square.
    Swatch(RGBColor),
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
}

/// Draws a centred legend (wrapping into rows) starting at `y`; returns the y below it.
pub fn legend(
    doc: &mut Doc,
    theme: &Theme,
    y: f64,
    entries: &[(Mark, String)],
) -> Result<f64, ChartError> {
    if entries.is_empty() {
        return Ok(y);
    }
    let px = theme.body;
    let mark_w = px * 1.6;
    let gap = px * 0.4;
    let spacing = px * 1.4;
    let avail = doc.width() - 2.0 * theme.pad;
    let labels: Vec<String> = entries
        .iter()
        .map(|(_, l)| super::text::ellipsize(l, (avail * 0.45).max(px * 4.0), px))
        .collect();
    // Lay out rows.
    let mut rows: Vec<Vec<usize>> = vec![vec![]];
    let mut row_w = 0.0;
    let widths: Vec<f64> = labels
        .iter()
        .map(|l| mark_w + gap + super::text::text_width(l, px))
        .collect();
    for (i, w) in widths.iter().enumerate() {
        let extra = if row_w > 0.0 { spacing } else { 0.0 };
        if row_w > 0.0 && row_w + extra + w > avail {
            rows.push(vec![]);
            row_w = 0.0;
        }
        row_w += if row_w > 0.0 { spacing } else { 0.0 } + w;
        if let Some(r) = rows.last_mut() {
            r.push(i);
        }
    }
    let row_h = px * 1.6;
    let width = doc.width();
    doc.layer("dl-legend", |root, tags| {
        for (ri, row) in rows.iter().enumerate() {
            let total: f64 = row.iter().map(|&i| widths[i]).sum::<f64>()
                + spacing * (row.len().saturating_sub(1)) as f64;
            let mut x = (width - total) / 2.0;
            let cy = y + ri as f64 * row_h + row_h / 2.0;
            for &i in row {
                let attrs = |class: &str| format!("class=\"{class}\" data-index=\"{i}\"");
                match entries[i].0 {
                    Mark::Swatch(c) => {
                        let s = px * 0.9;
                        let x0 = (x + (mark_w - s) / 2.0).round() as i32;
                        let y0 = (cy - s / 2.0).round() as i32;
                        root.draw(&Rectangle::new(
                            [(x0, y0), (x0 + s as i32, y0 + s as i32)],
                            c.filled(),
                        ))?;
                        tags.attrs(attrs("dl-legend-mark"));
                    }
                    Mark::Line(c) | Mark::Dashed(c) => {
                        let yy = cy.round() as i32;
                        root.draw(&PathElement::new(
                            vec![(x.round() as i32, yy), ((x + mark_w).round() as i32, yy)],
                            c.stroke_width(theme.line),
                        ))?;
                        let dash = if matches!(entries[i].0, Mark::Dashed(_)) {
                            " stroke-dasharray=\"6 4\""
                        } else {
                            ""
                        };
                        tags.attrs(format!("{}{dash}", attrs("dl-legend-mark")));
                    }
                }
                let style = font(px, palette::INK, HPos::Left, VPos::Center, false);
                text(
                    root,
                    tags,
                    attrs("dl-legend-label"),
                    &labels[i],
                    (x + mark_w + gap, cy),
                    &style,
                )?;
                x += widths[i] + spacing;
            }
        }
        Ok(())
    })?;
    Ok(y + rows.len() as f64 * row_h + px * 0.4)
}
