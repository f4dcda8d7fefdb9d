//! Typed values from loosely typed cells: dates, money, identifiers.
//!
//! Every function here is pure and total: any cell ([`Cell`](crate::engine::table::Cell) or [`CellRef`]) or string gives either a value or `None`
//! (never a panic). Money is kept exactly, in fen (1/100 yuan), as [`Cents`]; text amounts are
//! parsed digit by digit, never through a float.

use crate::engine::table::CellRef;
use chrono::{Datelike, Days, NaiveDate};
use std::borrow::Cow;

/// An amount of money in fen (1/100 yuan), kept exactly.
pub type Cents = i64;

/// Earliest year a parsed date may have.
pub const MIN_YEAR: i32 = 1950;
/// Earliest year a parsed birth date may have ([`parse_birth_date`]).
pub const MIN_BIRTH_YEAR: i32 = 1900;
/// Latest year a parsed date may have.
pub const MAX_YEAR: i32 = 2100;

/// Largest accepted magnitude of an amount, exclusive, in yuan (10^13 yuan).
const MAX_YUAN: f64 = 1e13;
/// Largest accepted magnitude of an amount, exclusive, in fen.
const MAX_CENTS: i64 = 1_000_000_000_000_000;

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// Reads a date from a cell.
///
/// - [`CellRef::DateTime`]: its date.
/// - [`CellRef::Number`]: an Excel serial (1900 system, or 1904 system when `date_1904`; the
///   fractional part is the time of day and is ignored), or an 8-digit integer `yyyymmdd`.
/// - [`CellRef::Text`]: `2024-03-05`, `2024-3-5`, `2024/3/5`, `2024.3.5`, `2024年3月5日`
///   (spaces allowed), `20240305`, `5-Mar-2024`, `Mar 5, 2024`, each optionally followed by a
///   time (`10:30`, `10:30:15`, `T10:30:00Z`, `10时30分`, `上午 10:30`, ...), or a number
///   written as text (same rules as a number). `dd/mm/yyyy` and `mm/dd/yyyy` are accepted
///   only when unambiguous (one part above 12, or both parts equal).
/// - Anything else: `None`.
///
/// Every result lies in the years [`MIN_YEAR`]..=[`MAX_YEAR`]; other dates give `None`.
pub fn parse_date<'a>(cell: impl Into<CellRef<'a>>, date_1904: bool) -> Option<NaiveDate> {
    parse_date_from(cell.into(), date_1904).filter(|d| d.year() >= MIN_YEAR)
}

/// [`parse_date`] for birth dates: the same formats, from [`MIN_BIRTH_YEAR`] on (a customer
/// born in 1948 has a real birth date; a service date that old is a misread number).
pub fn parse_birth_date<'a>(cell: impl Into<CellRef<'a>>, date_1904: bool) -> Option<NaiveDate> {
    parse_date_from(cell.into(), date_1904)
}

/// A date of the years [`MIN_BIRTH_YEAR`]..=[`MAX_YEAR`].
fn parse_date_from(cell: CellRef<'_>, date_1904: bool) -> Option<NaiveDate> {
    let date = match cell {
        CellRef::DateTime(dt) => Some(dt.date()),
        CellRef::Number(n) => date_from_number(n, date_1904),
        CellRef::Text(s) => parse_date_text(s, date_1904),
        CellRef::Empty | CellRef::Bool(_) | CellRef::Error(_) => None,
    }?;
    in_year_range(date)
}

/// Converts an Excel date serial to a date, without any year restriction.
///
/// 1900 system: serial 1 = 1900-01-01, serial 59 = 1900-02-28, serial 60 is Excel's fictitious
/// 1900-02-29 (`None`), serial 61 = 1900-03-01; serial 0 and negatives give `None`.
/// 1904 system: serial 0 = 1904-01-01; negatives give `None`.
/// The fractional part (time of day) is ignored; non-finite serials give `None`.
pub fn excel_serial_to_date(serial: f64, date_1904: bool) -> Option<NaiveDate> {
    if !(0.0..10_000_000.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as u64;
    let (base, offset) = if date_1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
    } else if days >= 61 {
        (NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
    } else if (1..60).contains(&days) {
        (NaiveDate::from_ymd_opt(1899, 12, 31)?, days)
    } else {
        return None;
    };
    base.checked_add_days(Days::new(offset))
}

fn in_year_range(d: NaiveDate) -> Option<NaiveDate> {
    (MIN_BIRTH_YEAR..=MAX_YEAR).contains(&d.year()).then_some(d)
}

/// A number that is a date: an integer `yyyymmdd`, else an Excel serial.
fn date_from_number(n: f64, date_1904: bool) -> Option<NaiveDate> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(&n) {
        let v = n as i64;
        let (y, m, d) = (v / 10_000, (v / 100) % 100, v % 100);
        return ymd(y, m, d);
    }
    in_year_range(excel_serial_to_date(n, date_1904)?)
}

/// A valid calendar date within the accepted year range.
fn ymd(y: i64, m: i64, d: i64) -> Option<NaiveDate> {
    let y = i32::try_from(y).ok()?;
    let m = u32::try_from(m).ok()?;
    let d = u32::try_from(d).ok()?;
    in_year_range(NaiveDate::from_ymd_opt(y, m, d)?)
}

fn parse_date_text(s: &str, date_1904: bool) -> Option<NaiveDate> {
    let norm = normalize_width(s);
    let s = norm.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Some(n) = plain_decimal(s) {
        return date_from_number(n, date_1904);
    }
    if s.contains('年') {
        return parse_cjk_date(s);
    }
    parse_numeric_date(s).or_else(|| parse_month_name_date(s))
}

/// `2024年3月5日`, with optional spaces, optional `日`/`号`, optional time after it.
fn parse_cjk_date(s: &str) -> Option<NaiveDate> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let y = y.trim();
    let m = m.trim();
    let (d, rest) = take_digits(rest.trim_start());
    if y.len() != 4 || !all_digits(y) || !(1..=2).contains(&m.len()) || !all_digits(m) {
        return None;
    }
    if !(1..=2).contains(&d.len()) {
        return None;
    }
    let rest = rest.trim_start();
    let (rest, needs_sep) = match rest.strip_prefix(['日', '号']) {
        Some(r) => (r, false),
        None => (rest, true),
    };
    if !is_time_suffix(rest, needs_sep) {
        return None;
    }
    ymd(num(y)?, num(m)?, num(d)?)
}

/// `2024-03-05`, `2024/3/5`, `2024.3.5`, `05/03/2024` (if unambiguous), `20240305 10:30`.
fn parse_numeric_date(s: &str) -> Option<NaiveDate> {
    let (g1, rest) = take_digits(s);
    if g1.len() == 8 {
        // Compact yyyymmdd followed by a time (plain 8 digits are handled as a number).
        if !is_time_suffix(rest, true) {
            return None;
        }
        return ymd(num(&g1[..4])?, num(&g1[4..6])?, num(&g1[6..])?);
    }
    let sep = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '/' | '.'))?;
    let (g2, rest) = take_digits(&rest[sep.len_utf8()..]);
    let rest = rest.strip_prefix(sep)?;
    let (g3, rest) = take_digits(rest);
    if !is_time_suffix(rest, true) {
        return None;
    }
    let short = |g: &str| (1..=2).contains(&g.len());
    if g1.len() == 4 && short(g2) && short(g3) {
        return ymd(num(g1)?, num(g2)?, num(g3)?);
    }
    if short(g1) && short(g2) && g3.len() == 4 {
        let (a, b, y) = (num(g1)?, num(g2)?, num(g3)?);
        let (m, d) = match (a > 12, b > 12) {
            (true, false) => (b, a),
            (false, true) => (a, b),
            (false, false) if a == b => (a, b),
            _ => return None,
        };
        return ymd(y, m, d);
    }
    None
}

/// `5-Mar-2024`, `05 March 2024`, `Mar 5, 2024`, `March 5 2024`, optionally with a time.
fn parse_month_name_date(s: &str) -> Option<NaiveDate> {
    let is_sep = |c: char| matches!(c, ' ' | '-' | '/' | ',' | '.');
    let (t1, rest) = take_alnum(s);
    let (t2, rest) = take_alnum(rest.trim_start_matches(is_sep));
    let rest = rest.trim_start_matches(is_sep);
    let (t3, rest) = take_digits(rest);
    if t3.len() != 4 || !is_time_suffix(rest, true) {
        return None;
    }
    let (m, d) = match (month_from_name(t1), month_from_name(t2)) {
        (None, Some(m)) => (m, t1),
        (Some(m), None) => (m, t2),
        _ => return None,
    };
    if !(1..=2).contains(&d.len()) || !all_digits(d) {
        return None;
    }
    ymd(num(t3)?, m, num(d)?)
}

fn month_from_name(t: &str) -> Option<i64> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = t.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    if lower == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|name| *name == lower || (lower.len() == 3 && name.starts_with(&lower)))
        .map(|i| i as i64 + 1)
}

/// True when `rest` (what follows a date) is empty or a time of day. `needs_sep`: the time must
/// be separated from the date by whitespace or `T`.
fn is_time_suffix(rest: &str, needs_sep: bool) -> bool {
    if rest.trim().is_empty() {
        return true;
    }
    let t = if let Some(r) = rest.strip_prefix(['T', 't']) {
        r
    } else if rest.starts_with(char::is_whitespace) || !needs_sep {
        rest.trim_start()
    } else {
        return false;
    };
    let mut t = t.trim();
    // Meridiem before or after the clock.
    const MERIDIEMS: [&str; 11] = [
        "上午", "下午", "中午", "晚上", "凌晨", "早上", "a.m.", "p.m.", "am", "pm", "午前",
    ];
    for m in MERIDIEMS {
        if let Some(r) = strip_prefix_ci(t, m) {
            t = r.trim_start();
            break;
        }
    }
    for m in MERIDIEMS {
        if let Some(r) = strip_suffix_ci(t, m) {
            t = r.trim_end();
            break;
        }
    }
    t = strip_zone(t);
    is_clock(t)
}

/// Removes a trailing `Z` or UTC offset (`+08:00`, `+0800`, `-05`).
fn strip_zone(t: &str) -> &str {
    if let Some(r) = t.strip_suffix(['Z', 'z']) {
        return r.trim_end();
    }
    if let Some(pos) = t.rfind(['+', '-']) {
        let (head, zone) = t.split_at(pos);
        let z = zone.get(1..).unwrap_or("").as_bytes();
        let digits = |x: &[u8]| x.iter().all(u8::is_ascii_digit);
        let ok = match z {
            [_, _] | [_, _, _, _] => digits(z),
            [a, b, b':', c, d] => digits(&[*a, *b, *c, *d]),
            _ => false,
        };
        if ok && !head.trim().is_empty() {
            return head.trim_end();
        }
    }
    t
}

/// `H:MM`, `H:MM:SS`, `H:MM:SS.fff`, `H时`, `H时M分`, `H时M分S秒`, `H点M分`, `H点半`.
fn is_clock(t: &str) -> bool {
    let (h, rest) = take_digits(t);
    if !(1..=2).contains(&h.len()) || num(h).is_none_or(|h| h > 23) {
        return false;
    }
    let in_range =
        |g: &str, max: i64| (1..=2).contains(&g.len()) && num(g).is_some_and(|v| v <= max);
    if let Some(rest) = rest.strip_prefix(':') {
        let (m, rest) = take_digits(rest);
        if !in_range(m, 59) {
            return false;
        }
        if rest.is_empty() {
            return true;
        }
        let Some(rest) = rest.strip_prefix(':') else {
            return false;
        };
        let (s, rest) = take_digits(rest);
        if !in_range(s, 60) {
            return false;
        }
        if rest.is_empty() {
            return true;
        }
        return rest
            .strip_prefix('.')
            .is_some_and(|f| !f.is_empty() && all_digits(f));
    }
    let Some(rest) = rest.strip_prefix(['时', '点']) else {
        return false;
    };
    let rest = rest.trim_start();
    if rest.is_empty() || rest == "整" || rest == "半" {
        return true;
    }
    let (m, rest) = take_digits(rest);
    if !in_range(m, 59) {
        return false;
    }
    let Some(rest) = rest.trim_start().strip_prefix('分') else {
        return false;
    };
    let rest = rest.trim_start();
    if rest.is_empty() {
        return true;
    }
    let (s, rest) = take_digits(rest);
    in_range(s, 60) && rest.trim() == "秒"
}

// ---------------------------------------------------------------------------------------------
// Money and numbers
// ---------------------------------------------------------------------------------------------

/// Reads an amount of money, exactly, in fen.
///
/// - [`CellRef::Number`]: the number's shortest decimal form, rounded half away from zero to the
///   fen (so float noise such as `0.1 + 0.2` is harmless and `1.005` gives 101); non-finite
///   numbers and magnitudes of 10^13 yuan or more give `None`.
/// - [`CellRef::Text`]: currency marks `¥ ￥ $ RMB CNY 人民币 元` (before or after, any case),
///   spaces, full-width characters and thousands separators (`,` or `，`, in groups of three)
///   are accepted; a leading `+`/`-`, or parentheses for a negative (`(30.00)`); decimals beyond
///   the second are rounded half away from zero using the digits, never floats.
///   Anything else (letters, two dots, misplaced commas, empty) gives `None`.
/// - Other cells: `None`.
pub fn parse_amount<'a>(cell: impl Into<CellRef<'a>>) -> Option<Cents> {
    match cell.into() {
        CellRef::Number(n) => number_to_cents(n),
        CellRef::Text(s) => text_to_cents(s),
        _ => None,
    }
}

/// Reads a unit price, exactly, in fen: the same rules as [`parse_amount`].
pub fn parse_price<'a>(cell: impl Into<CellRef<'a>>) -> Option<Cents> {
    parse_amount(cell)
}

/// Reads a plain quantity (quantity, mileage, ...) as a finite float.
///
/// - [`CellRef::Number`]: as is, if finite.
/// - [`CellRef::Text`]: optional sign, optional thousands separators (groups of three), optional
///   decimals, optional unit suffix (`km`, `公里`, `千米`, `件`, `个`, `升`, `L`, any case);
///   full-width digits and spaces are accepted.
/// - Other cells: `None`.
pub fn parse_number<'a>(cell: impl Into<CellRef<'a>>) -> Option<f64> {
    match cell.into() {
        CellRef::Number(n) => n.is_finite().then_some(n),
        CellRef::Text(s) => text_to_number(s),
        _ => None,
    }
}

fn number_to_cents(n: f64) -> Option<Cents> {
    if !n.is_finite() || n.abs() >= MAX_YUAN {
        return None;
    }
    // Rust's `{}` for f64 is the shortest string that reads back to the same float, never in
    // exponent form: exactly what a spreadsheet user sees.
    let text = format!("{}", n.abs());
    let cents = decimal_to_cents(&text)?;
    Some(if n.is_sign_negative() { -cents } else { cents })
}

fn text_to_cents(s: &str) -> Option<Cents> {
    let cleaned = compact(s)?;
    let mut t = cleaned.as_str();
    let mut sign: Option<bool> = None; // Some(true) = negative
    let mut paren = false;
    loop {
        let before = t.len();
        t = strip_currency(t);
        if sign.is_none() && !paren {
            if let Some(r) = t.strip_prefix('-') {
                sign = Some(true);
                t = r;
            } else if let Some(r) = t.strip_prefix('+') {
                sign = Some(false);
                t = r;
            }
        }
        if !paren && sign.is_none() {
            if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
                paren = true;
                t = inner;
            }
        }
        if t.len() == before {
            break;
        }
    }
    let cents = decimal_to_cents(t)?;
    Some(if paren || sign == Some(true) {
        -cents
    } else {
        cents
    })
}

fn text_to_number(s: &str) -> Option<f64> {
    let cleaned = compact(s)?;
    let mut t = cleaned.as_str();
    const UNITS: [&str; 8] = ["公里", "千米", "km", "件", "个", "升", "l", "kms"];
    for u in UNITS {
        if let Some(r) = strip_suffix_ci(t, u) {
            t = r;
            break;
        }
    }
    let negative = match t.strip_prefix(['-', '+']) {
        Some(r) => {
            let neg = t.starts_with('-');
            t = r;
            neg
        }
        None => false,
    };
    let (int, frac) = split_decimal(t)?;
    let mut plain = String::with_capacity(int.len() + frac.len() + 2);
    if negative {
        plain.push('-');
    }
    plain.push_str(if int.is_empty() { "0" } else { &int });
    if !frac.is_empty() {
        plain.push('.');
        plain.push_str(frac);
    }
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Full-width to ASCII, then every whitespace character removed. `None` when nothing is left.
fn compact(s: &str) -> Option<String> {
    let out: String = normalize_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{FEFF}'))
        .collect();
    (!out.is_empty()).then_some(out)
}

/// Strips currency marks before and after, repeatedly.
fn strip_currency(mut t: &str) -> &str {
    const MARKS: [&str; 7] = ["¥", "￥", "$", "rmb", "cny", "人民币", "元"];
    loop {
        let before = t.len();
        for m in MARKS {
            if let Some(r) = strip_prefix_ci(t, m) {
                t = r;
            }
            if let Some(r) = strip_suffix_ci(t, m) {
                t = r;
            }
        }
        if t.len() == before {
            return t;
        }
    }
}

/// Splits an unsigned decimal `1,234.56` into its integer digits (commas removed, checked as
/// groups of three) and its fraction digits. `None` for anything else.
fn split_decimal(t: &str) -> Option<(String, &str)> {
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !all_digits(frac) {
        return None;
    }
    let digits = if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || !all_digits(first) {
            return None;
        }
        let mut out = String::from(first);
        for g in groups {
            if g.len() != 3 || !all_digits(g) {
                return None;
            }
            out.push_str(g);
        }
        out
    } else {
        if !all_digits(int) {
            return None;
        }
        int.to_string()
    };
    Some((digits, frac))
}

/// An unsigned decimal text to fen, rounding half away from zero at the third decimal.
fn decimal_to_cents(t: &str) -> Option<Cents> {
    let (int, frac) = split_decimal(t)?;
    let int = int.trim_start_matches('0');
    if int.len() > 13 {
        return None;
    }
    let mut whole: i64 = 0;
    for b in int.bytes() {
        whole = whole * 10 + i64::from(b - b'0');
    }
    let digit = |i: usize| frac.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
    let round_up = i64::from(digit(2) >= 5);
    let cents = whole * 100 + digit(0) * 10 + digit(1) + round_up;
    (cents < MAX_CENTS).then_some(cents)
}

/// Formats fen as yuan with exactly two decimals: `1280.00`, `-30.00`.
pub fn format_cents(c: Cents) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let abs = c.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Fen as a float number of yuan (for charts and statistics, never for sums).
pub fn cents_to_f64(c: Cents) -> f64 {
    c as f64 / 100.0
}

// ---------------------------------------------------------------------------------------------
// Identifiers and labels
// ---------------------------------------------------------------------------------------------

/// Reads an identifier (customer id, phone, plate, order number, ...).
///
/// - [`CellRef::Text`]: trimmed, otherwise kept as written (leading zeros, inner spaces); a leading
///   apostrophe (Excel's force-text mark) and the `="00123"` CSV form are removed.
/// - [`CellRef::Number`]: integers without `.0` or exponent (`13800138000`), others in their
///   shortest decimal form.
/// - [`CellRef::DateTime`]: `YYYY-MM-DD`. [`CellRef::Bool`]: `true`/`false`.
/// - Empty, blank, errors and placeholders (`-`, `--`, `/`, `无`, `N/A`, `null`, `#N/A`, ...)
///   give `None`.
pub fn parse_id<'a>(cell: impl Into<CellRef<'a>>) -> Option<String> {
    parse_id_ref(cell.into()).map(Cow::into_owned)
}

/// [`parse_id`] borrowing the cell's text when it needs no change (no copy per cell).
pub fn parse_id_ref(cell: CellRef<'_>) -> Option<Cow<'_, str>> {
    let text = match cell {
        CellRef::Text(s) => Cow::Borrowed(clean_text(s)?),
        CellRef::Number(n) => Cow::Owned(format_id_number(n)?),
        CellRef::DateTime(dt) => Cow::Owned(dt.format("%Y-%m-%d").to_string()),
        CellRef::Bool(b) => Cow::Owned(b.to_string()),
        CellRef::Empty | CellRef::Error(_) => return None,
    };
    (!is_placeholder(&text)).then_some(text)
}

/// Reads a label (customer name, service type, model, region, ...): the same rules as
/// [`parse_id`].
pub fn parse_text<'a>(cell: impl Into<CellRef<'a>>) -> Option<String> {
    parse_id(cell)
}

/// `s.trim()`, answered from its first and last bytes when neither end can be whitespace
/// (nearly every cell: a letter, a digit or a CJK character at each end), else by
/// `str::trim`. Every Unicode white space character starts with an ASCII byte up to 0x20
/// or with 0xC2, 0xE1, 0xE2 or 0xE3, and ends with a byte up to 0x20 or in 0x80..=0xAF.
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let clean_start =
        |f: u8| (0x21..0x7f).contains(&f) || (f >= 0xc3 && !(0xe1..=0xe3).contains(&f));
    let clean_end = |l: u8| (0x21..0x7f).contains(&l) || (0xb0..0xc0).contains(&l);
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) if clean_start(f) && clean_end(l) => s,
        _ => s.trim(),
    }
}

fn clean_text(s: &str) -> Option<&str> {
    let mut t = trim(s);
    if let Some(inner) = t.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        t = trim(inner);
    }
    if let Some(r) = t.strip_prefix('\'') {
        t = trim(r);
    }
    (!t.is_empty()).then_some(t)
}

fn format_id_number(n: f64) -> Option<String> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Some(format!("{}", n as i64))
    } else {
        Some(format!("{}", n))
    }
}

fn is_placeholder(t: &str) -> bool {
    const PLACEHOLDERS: [&str; 23] = [
        "-", "--", "---", "—", "——", "－", "/", "\\", "无", "暂无", "空", "n/a", "na", "null",
        "none", "nil", "#n/a", "#value!", "#ref!", "#div/0!", "#name?", "#null!", "#num!",
    ];
    let t = trim(t);
    // The placeholders' letters are ASCII, and the only other character that lowercases to
    // an ASCII letter (the Kelvin sign, to `k`) is in none of them: an ASCII
    // case-insensitive comparison is the same as comparing lowercased texts.
    PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(t))
}

/// True when a cell's text marks a totals row: `合计`, `总计`, `小计`, `总合计`, `本页合计`,
/// `合 计`, `Total`, `Grand Total`, `Subtotal`, `Sum` (any case, spaces ignored), optionally
/// wrapped in punctuation (`合计：`, `【合计】`), or followed by a colon and anything
/// (`合计：25笔`, `Total: 3 orders`).
pub fn is_totals_label(text: &str) -> bool {
    if text.len() > 200 {
        return false;
    }
    let norm: String = normalize_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    let is_punct = |c: char| {
        c.is_ascii_punctuation()
            || matches!(
                c,
                '：' | '。' | '、' | '，' | '【' | '】' | '《' | '》' | '「' | '」' | '·' | '…'
            )
    };
    let key = norm.trim_matches(is_punct);
    if is_totals_word(key) {
        return true;
    }
    match norm.split_once(':') {
        Some((head, _)) => is_totals_word(head.trim_matches(is_punct)),
        None => false,
    }
}

fn is_totals_word(w: &str) -> bool {
    const WORDS: [&str; 20] = [
        "合计",
        "总计",
        "小计",
        "总合计",
        "本页合计",
        "本页小计",
        "本页总计",
        "共计",
        "总共",
        "全部合计",
        "本月合计",
        "本期合计",
        "本日合计",
        "累计合计",
        "total",
        "totals",
        "grandtotal",
        "subtotal",
        "sum",
        "pagetotal",
    ];
    WORDS.contains(&w)
}

// ---------------------------------------------------------------------------------------------
// Small text helpers (all slicing is on char boundaries)
// ---------------------------------------------------------------------------------------------

/// Full-width ASCII forms (U+FF01..U+FF5E) to ASCII, ideographic space to a space, the minus
/// sign U+2212 to `-`.
fn normalize_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2212}' => '-',
            _ => c,
        })
        .collect()
}

/// The leading ASCII digits and the rest.
fn take_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// The leading ASCII letters-or-digits and the rest.
fn take_alnum(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(s.len());
    s.split_at(end)
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// A short all-digit string as a number.
fn num(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !all_digits(s) {
        return None;
    }
    s.parse().ok()
}

/// Digits with at most one dot (`45356`, `45356.5`) as a float; `None` for anything else.
fn plain_decimal(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !all_digits(int) || !all_digits(frac) || s.ends_with('.') {
        return None;
    }
    s.parse().ok()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix)
        .then(|| s.get(..cut))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn trim_is_str_trim_for_every_character_at_either_end() {
        // Every Unicode scalar value alone, at the start, at the end and at both ends of a
        // text, with ASCII, CJK and white space around it.
        let around = ["", "a", "王", " ", "\u{3000}", "\u{a0}"];
        let mut s = String::new();
        for c in (0..=0x10_ffffu32).filter_map(char::from_u32) {
            for o in around {
                for (before, after) in [(false, false), (true, false), (false, true), (true, true)]
                {
                    s.clear();
                    if before {
                        s.push_str(o);
                    }
                    s.push(c);
                    if after {
                        s.push_str(o);
                    }
                    if before && after {
                        s.push(c);
                    }
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
        assert_eq!(trim(""), "");
    }
}
