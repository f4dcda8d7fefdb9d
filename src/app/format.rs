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
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// A date as `2025-06-30`.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
