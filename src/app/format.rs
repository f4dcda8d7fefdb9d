//! Number and date display. Amounts arrive in fen (`Cents`) and are shown as yuan.

use crate::engine::values::Cents;
use chrono::NaiveDate;

/// Groups the digits of a non-negative integer by thousands: `1234567` → `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An integer count with thousands separators.
pub fn count(n: usize) -> String {
    group(n as u64)
}

/// Fen as `¥1,234,567.89` (`-¥12.00` for refunds); the same in both languages.
pub fn money(c: Cents) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    format!("{sign}¥{}.{:02}", group(a / 100), a % 100)
}

/// Fen as a plain decimal with two places, for `data-value`: `1234567.89`.
pub fn money_value(c: Cents) -> String {
    crate::engine::export::yuan(c)
}

/// A date as `2025-06-30`.
pub fn date(d: NaiveDate) -> String {
    // NaiveDate's Display is `%Y-%m-%d` without chrono's format-string machinery.
    d.to_string()
}

/// A share (0..1) as a percentage with one decimal: `0.6316` → `63.2%`.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1}%", share * 100.0)
    } else {
        "—".to_string()
    }
}

/// A share as a plain number with four decimals, for `data-value`: `0.6316`.
pub fn share_value(share: f64) -> String {
    if share.is_finite() {
        format!("{share:.4}")
    } else {
        String::new()
    }
}

/// Kilometres per day with one decimal: `73.0`.
pub fn km(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "—".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_year_month_day() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert_eq!(date(d(2025, 6, 30)), "2025-06-30");
        assert_eq!(date(d(2024, 2, 29)), "2024-02-29");
        assert_eq!(date(d(987, 1, 2)), "0987-01-02");
    }

    #[test]
    fn numbers() {
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(count(999), "999");
        assert_eq!(money(-1200), "-¥12.00");
        assert_eq!(money_value(123456789), "1234567.89");
        assert_eq!(percent(0.63161), "63.2%");
        assert_eq!(percent(f64::NAN), "—");
        assert_eq!(share_value(0.5), "0.5000");
        assert_eq!(km(73.003), "73.0");
    }
}
