//! Colours: the Okabe–Ito palette for categories (safe for the common colour-vision
//! deficiencies) and a single-hue blue ramp (ColorBrewer "Blues") for heat maps.

use plotters::style::RGBColor;

/// Okabe–Ito (yellow last: weak on white), then three of Paul Tol's "muted" colours, in the
/// order series and segments take them.
pub const CATEGORICAL: [RGBColor; 10] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x33, 0x22, 0x88), // indigo (Tol)
    RGBColor(0x88, 0x22, 0x55), // wine (Tol)
    RGBColor(0x99, 0x99, 0x33), // olive (Tol)
];

/// The "other" bucket and missing data.
pub const OTHER: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Cells without a value.
pub const EMPTY_CELL: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
/// Main text.
pub const INK: RGBColor = RGBColor(0x1F, 0x1F, 0x1F);
/// Secondary text (axis titles, notes).
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Bars of the Pareto chart (sky blue).
pub const BAR: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
/// Lines that must stand out from the bars (vermillion).
pub const ACCENT: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// White.
pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// The `i`-th categorical colour (cycling).
pub fn category(i: usize) -> RGBColor {
    CATEGORICAL[i % CATEGORICAL.len()]
}

const BLUES: [(u8, u8, u8); 9] = [
    (0xF7, 0xFB, 0xFF),
    (0xDE, 0xEB, 0xF7),
    (0xC6, 0xDB, 0xEF),
    (0x9E, 0xCA, 0xE1),
    (0x6B, 0xAE, 0xD6),
    (0x42, 0x92, 0xC6),
    (0x21, 0x71, 0xB5),
    (0x08, 0x51, 0x9C),
    (0x08, 0x30, 0x6B),
];

/// Sequential colour for `t` in 0..=1 (clamped; NaN counts as 0).
pub fn sequential(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (BLUES.len() - 1) as f64;
    let i = (x.floor() as usize).min(BLUES.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (BLUES[i], BLUES[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `bg`.
pub fn text_on(bg: RGBColor) -> RGBColor {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(bg.0) + 0.7152 * lin(bg.1) + 0.0722 * lin(bg.2);
    // Contrast against white vs black: pick the larger.
    if (1.05) / (l + 0.05) > (l + 0.05) / 0.05 {
        WHITE
    } else {
        INK
    }
}

/// `#RRGGBB`.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}
