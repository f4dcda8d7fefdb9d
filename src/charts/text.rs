//! Text helpers: label clean-up, a font-free width estimate, ellipsizing and number formats.
//!
//! The charts never ask a font (or the browser) how wide a text is: every layout decision uses
//! [`text_width`], a conservative per-character estimate (CJK = 1 em), so the SVG is the same
//! natively and in wasm and needs no font file and no `window()`.

use crate::engine::Lang;

/// Replaces characters that XML 1.0 forbids or that would break a one-line label (control
/// characters, line breaks, U+FFFE/U+FFFF) by spaces, and trims.
pub fn clean_label(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' || c == '\u{2028}' {
                ' '
            } else {
                c
            }
        })
        .collect();
    cleaned.trim().to_string()
}

/// Width of one character in em, erring wide so that labels do not collide.
fn char_em(c: char) -> f64 {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD);
    // Punctuation that CJK fonts draw full-width (East Asian "ambiguous" width).
    let ambiguous = "·×÷—–…“”‘’°±√→←↑↓•●○■□▲△★☆※‰℃".contains(c);
    if wide || ambiguous {
        1.0
    } else if " il.,:;'|!`".contains(c) {
        0.3
    } else if "fjrtI()[]{}-/\\\"".contains(c) {
        0.4
    } else if "mwMW@%".contains(c) {
        0.9
    } else if c.is_ascii_uppercase() || c.is_ascii_digit() {
        0.65
    } else {
        0.58
    }
}

/// Estimated width in pixels of `s` at `px` font size (no font needed; CJK counts 1 em).
pub fn text_width(s: &str, px: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * px
}

/// Cleans `s` and shortens it with "…" so that it fits `max_px` at `px` font size.
pub fn ellipsize(s: &str, max_px: f64, px: f64) -> String {
    let s = clean_label(s);
    if text_width(&s, px) <= max_px {
        return s;
    }
    let budget = max_px - text_width("…", px);
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        let w = char_em(c) * px;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    let out = out.trim_end().to_string();
    if out.is_empty() {
        // Not even one character fits: the ellipsis alone still tells that something is there.
        "…".to_string()
    } else {
        out + "…"
    }
}

/// Largest magnitude a chart value may have; larger values are clamped (sums of 100k such
/// values stay finite and axis ranges stay computable).
pub const MAX_VALUE: f64 = 1e15;

/// A finite value clamped to ±[`MAX_VALUE`], or `None` (NaN and ±∞ are skipped by every
/// chart).
pub fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v.clamp(-MAX_VALUE, MAX_VALUE))
}

fn trim_zero(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A short number for axes and labels: 12.5万 / 3.2亿 in Chinese, 125k / 3.2M in English.
pub fn compact(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    let scaled = |d: f64, unit: &str| {
        let x = a / d;
        let digits = if x >= 100.0 { 0 } else { 1 };
        format!("{sign}{}{unit}", trim_zero(format!("{x:.digits$}")))
    };
    match lang {
        Lang::Zh if a >= 1e8 => scaled(1e8, "亿"),
        Lang::Zh if a >= 1e4 => scaled(1e4, "万"),
        Lang::En if a >= 1e9 => scaled(1e9, "B"),
        Lang::En if a >= 1e6 => scaled(1e6, "M"),
        Lang::En if a >= 1e4 => scaled(1e3, "k"),
        _ if a >= 100.0 || a.fract() == 0.0 => format!("{sign}{}", group_thousands(a.round())),
        _ => format!("{sign}{}", trim_zero(format!("{a:.2}"))),
    }
}

/// An integer with thousands separators: 12,345.
pub fn group_thousands(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs().round());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// A share (0..1) as a percentage with at most one decimal: 0.357 → "35.7%", 0.8 → "80%".
pub fn percent(share: f64) -> String {
    if !share.is_finite() {
        return "–".into();
    }
    format!("{}%", trim_zero(format!("{:.1}", share * 100.0)))
}

/// Escapes text for XML content or a double-quoted attribute.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean_label(s).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(125_000.0, Lang::Zh), "12.5万");
        assert_eq!(compact(1_250_000.0, Lang::Zh), "125万");
        assert_eq!(compact(320_000_000.0, Lang::Zh), "3.2亿");
        assert_eq!(compact(125_000.0, Lang::En), "125k");
        assert_eq!(compact(3_200_000.0, Lang::En), "3.2M");
        assert_eq!(compact(9_999.0, Lang::En), "9,999");
        assert_eq!(compact(0.25, Lang::En), "0.25");
        assert_eq!(compact(-20_000.0, Lang::Zh), "-2万");
        assert_eq!(compact(f64::NAN, Lang::Zh), "–");
    }

    #[test]
    fn percents_and_groups() {
        assert_eq!(percent(0.357), "35.7%");
        assert_eq!(percent(0.8), "80%");
        assert_eq!(group_thousands(1234567.0), "1,234,567");
        assert_eq!(group_thousands(999.0), "999");
    }

    #[test]
    fn ellipsize_long_cjk() {
        let s = ellipsize("这是一个非常非常长的客户名称用于测试", 100.0, 14.0);
        assert!(s.ends_with('…'));
        assert!(text_width(&s, 14.0) <= 100.0 + 0.001);
        assert_eq!(ellipsize("短", 100.0, 14.0), "短");
        assert_eq!(ellipsize("很长的名字", 1.0, 14.0), "…");
        assert_eq!(clean_label("a\nb\u{0}c"), "a b c");
    }
}
