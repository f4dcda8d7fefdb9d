//! Tables the user downloads (a call list, a segment's customers): one [`Sheet`] written as
//! CSV (on the page) or as xlsx (in the worker), so that both files hold the same cells.
//!
//! CSV: UTF-8 with a byte-order mark (so that Excel reads Chinese), CRLF line ends, fields
//! quoted when needed, and text that a spreadsheet would run as a formula prefixed with `'`.
//! xlsx: a bold frozen header row with a filter, text as text (never a formula), amounts as
//! numbers formatted `#,##0.00`, dates as real date cells.

use crate::engine::values::Cents;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number shown with this many decimals.
    Fixed(f64, u8),
    /// An amount in fen, shown in yuan with two decimals.
    Money(Cents),
    /// A date.
    Date(NaiveDate),
}

/// A table to download: a sheet name, a header row and data rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// The worksheet's name (cleaned and cut to 31 characters in the xlsx).
    pub name: String,
    /// Column titles.
    pub headers: Vec<String>,
    /// Data rows (a row may be shorter than the header).
    pub rows: Vec<Vec<Value>>,
}

/// Most decimals a [`Value::Fixed`] keeps.
const MAX_DECIMALS: u8 = 6;

/// Text that a spreadsheet would run as a formula gets a leading `'`; then the field is
/// quoted when it holds a separator, a quote, a line break or outer spaces.
fn csv_text(s: &str, out: &mut String) {
    let guarded;
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// An amount in fen as yuan with two decimals: `-123456` → `-1234.56`.
pub fn yuan(c: Cents) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

impl Value {
    /// The cell as a CSV field.
    fn write_csv(&self, out: &mut String) {
        match self {
            Value::Empty => {}
            Value::Text(s) => csv_text(s, out),
            Value::Int(n) => out.push_str(&n.to_string()),
            Value::Fixed(v, d) if v.is_finite() => {
                let d = usize::from((*d).min(MAX_DECIMALS));
                out.push_str(&format!("{v:.d$}"));
            }
            Value::Fixed(..) => {}
            Value::Money(c) => out.push_str(&yuan(*c)),
            Value::Date(d) => out.push_str(&d.format("%Y-%m-%d").to_string()),
        }
    }
}

impl Sheet {
    /// The table as CSV text (see the module's notes).
    pub fn to_csv(&self) -> String {
        let mut out = String::from('\u{feff}');
        for (i, h) in self.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_text(h, &mut out);
        }
        out.push_str("\r\n");
        for row in &self.rows {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                v.write_csv(&mut out);
            }
            out.push_str("\r\n");
        }
        out
    }
}

/// Excel's limits: rows per sheet, characters per cell, characters per sheet name.
const MAX_ROWS: usize = 1_048_576;
const MAX_CELL_CHARS: usize = 32_767;
const MAX_SHEET_NAME: usize = 31;

/// A worksheet name Excel accepts: no `[]:*?/\`, no outer `'`, at most 31 characters,
/// never empty.
pub fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cut: String = cleaned
        .trim_matches(|c: char| c == '\'' || c.is_whitespace())
        .chars()
        .take(MAX_SHEET_NAME)
        .collect();
    let cut = cut.trim_matches('\'').to_string();
    if cut.is_empty() {
        "Sheet1".to_string()
    } else {
        cut
    }
}

/// Days since Excel's day 0 (1899-12-30) for dates from 1900-03-01, where Excel's serials
/// are continuous.
fn excel_serial(d: NaiveDate) -> Option<f64> {
    let first = NaiveDate::from_ymd_opt(1900, 3, 1)?;
    let zero = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (d >= first).then(|| (d - zero).num_days() as f64)
}

/// Display width of a text in Excel's character units (CJK characters count double).
fn text_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// Text cut to Excel's cell limit.
fn cell_text(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl Sheet {
    /// The table as an xlsx workbook of one sheet (see the module's notes); an error names
    /// what could not be written.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, String> {
        use rust_xlsxwriter::{Format, FormatBorder, Workbook};
        let err = |e: rust_xlsxwriter::XlsxError| format!("xlsx: {e}");
        if self.rows.len() >= MAX_ROWS {
            return Err(format!(
                "xlsx: {} rows do not fit in one sheet (at most {})",
                self.rows.len(),
                MAX_ROWS - 1
            ));
        }
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        let last_col = u16::try_from(columns.max(1) - 1)
            .ok()
            .filter(|&c| c < 16_384)
            .ok_or_else(|| format!("xlsx: {columns} columns do not fit in one sheet"))?;

        let header_fmt = Format::new()
            .set_bold()
            .set_background_color(0xDDEBF7)
            .set_border(FormatBorder::Thin);
        let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
        let money_fmt = Format::new().set_num_format("#,##0.00");
        let fixed_fmts: Vec<Format> = (0..=MAX_DECIMALS)
            .map(|d| {
                let pattern = if d == 0 {
                    "0".to_string()
                } else {
                    format!("0.{}", "0".repeat(usize::from(d)))
                };
                Format::new().set_num_format(pattern)
            })
            .collect();

        let mut workbook = Workbook::new();
        let ws = workbook.add_worksheet();
        ws.set_name(sheet_name(&self.name)).map_err(err)?;
        let mut widths: Vec<usize> = vec![8; columns];
        for (c, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, cell_text(h), &header_fmt)
                .map_err(err)?;
            widths[c] = widths[c].max(text_width(h) + 2);
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, v) in row.iter().enumerate() {
                let col = c as u16;
                let shown = match v {
                    Value::Empty => 0,
                    Value::Text(s) => {
                        let s = cell_text(s);
                        ws.write_string(r, col, s).map_err(err)?;
                        text_width(s)
                    }
                    Value::Int(n) => {
                        ws.write_number(r, col, *n as f64).map_err(err)?;
                        n.to_string().len()
                    }
                    Value::Fixed(x, d) if x.is_finite() => {
                        let d = (*d).min(MAX_DECIMALS);
                        ws.write_number_with_format(r, col, *x, &fixed_fmts[usize::from(d)])
                            .map_err(err)?;
                        format!("{x:.0}").len() + usize::from(d) + 1
                    }
                    Value::Fixed(..) => 0,
                    Value::Money(cents) => {
                        ws.write_number_with_format(r, col, *cents as f64 / 100.0, &money_fmt)
                            .map_err(err)?;
                        yuan(*cents).len() + 3
                    }
                    Value::Date(d) => {
                        match excel_serial(*d) {
                            Some(serial) => ws
                                .write_number_with_format(r, col, serial, &date_fmt)
                                .map_err(err)?,
                            None => ws
                                .write_string(r, col, d.format("%Y-%m-%d").to_string())
                                .map_err(err)?,
                        };
                        10
                    }
                };
                // Widths from the first thousand rows are enough to size the columns.
                if r <= 1000 {
                    widths[c] = widths[c].max(shown + 2);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w).min(60) as f64)
                .map_err(err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        if !self.headers.is_empty() {
            ws.autofilter(0, 0, self.rows.len() as u32, last_col)
                .map_err(err)?;
        }
        workbook.save_to_buffer().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sample() -> Sheet {
        Sheet {
            name: "电话回访 [3/5]".into(),
            headers: vec![
                "客户".into(),
                "金额".into(),
                "日期".into(),
                "次数".into(),
                "km/日".into(),
            ],
            rows: vec![
                vec![
                    Value::Text("C001".into()),
                    Value::Money(-123_456),
                    Value::Date(day(2025, 6, 30)),
                    Value::Int(3),
                    Value::Fixed(41.25, 1),
                ],
                vec![
                    Value::Text("=SUM(A1)".into()),
                    Value::Money(5),
                    Value::Empty,
                    Value::Int(-2),
                    Value::Fixed(f64::NAN, 1),
                ],
                vec![Value::Text("a, \"b\"".into())],
            ],
        }
    }

    #[test]
    fn csv_has_bom_crlf_guards_and_quotes() {
        let csv = sample().to_csv();
        let expected = "\u{feff}客户,金额,日期,次数,km/日\r\n\
                        C001,-1234.56,2025-06-30,3,41.2\r\n\
                        '=SUM(A1),0.05,,-2,\r\n\
                        \"a, \"\"b\"\"\"\r\n";
        assert_eq!(csv, expected);
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        let field = |s: &str| {
            let mut out = String::new();
            csv_text(s, &mut out);
            out
        };
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("-3"), "'-3");
        assert_eq!(field("张三"), "张三");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(" pad"), "\" pad\"");
    }

    #[test]
    fn sheet_names_are_ones_excel_accepts() {
        assert_eq!(sheet_name("电话回访 [3/5]"), "电话回访 _3_5_");
        assert_eq!(sheet_name("''"), "Sheet1");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name("'a'"), "a");
    }

    #[test]
    fn xlsx_reads_back_with_the_same_cells() {
        let bytes = sample().to_xlsx().unwrap();
        let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), vec!["电话回访 _3_5_".to_string()]);
        let range = book.worksheet_range("电话回访 _3_5_").unwrap();
        assert_eq!(range.get_size(), (4, 5));
        assert_eq!(range.get((0, 0)), Some(&Data::String("客户".into())));
        assert_eq!(range.get((1, 0)), Some(&Data::String("C001".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::Float(-1234.56)));
        match range.get((1, 2)) {
            // 2025-06-30 is day 45838 counted from 1899-12-30.
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 45838.0),
            other => panic!("not a date: {other:?}"),
        }
        assert_eq!(range.get((1, 3)), Some(&Data::Float(3.0)));
        assert_eq!(range.get((1, 4)), Some(&Data::Float(41.25)));
        // In xlsx a formula-like text is a text cell, kept as typed.
        assert_eq!(range.get((2, 0)), Some(&Data::String("=SUM(A1)".into())));
        assert_eq!(range.get((2, 1)), Some(&Data::Float(0.05)));
        assert_eq!(range.get((2, 2)), Some(&Data::Empty));
        assert_eq!(range.get((2, 4)), Some(&Data::Empty));
        assert_eq!(range.get((3, 0)), Some(&Data::String("a, \"b\"".into())));
    }

    #[test]
    fn xlsx_cuts_overlong_text_and_refuses_too_many_rows() {
        let long = Sheet {
            name: "x".into(),
            headers: vec!["t".into()],
            rows: vec![vec![Value::Text("字".repeat(40_000))]],
        };
        let mut book = Xlsx::new(Cursor::new(long.to_xlsx().unwrap())).unwrap();
        let range = book.worksheet_range("x").unwrap();
        match range.get((1, 0)) {
            Some(Data::String(s)) => assert_eq!(s.chars().count(), MAX_CELL_CHARS),
            other => panic!("{other:?}"),
        }
        let big = Sheet {
            rows: vec![Vec::new(); MAX_ROWS],
            ..Sheet::default()
        };
        assert!(big.to_xlsx().unwrap_err().contains("1048576 rows"));
    }

    #[test]
    fn old_dates_are_written_as_text() {
        assert_eq!(excel_serial(day(1900, 2, 28)), None);
        assert_eq!(excel_serial(day(1900, 3, 1)), Some(61.0));
    }
}
