//! The raw table every reader produces: rows of loosely typed cells, before any header or
//! column role is known.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// One spreadsheet cell as the file stored it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    /// Nothing in the cell (or only whitespace).
    Empty,
    /// Text as written (trimmed of surrounding whitespace by the readers).
    Text(String),
    /// A number; for spreadsheets this may be an Excel date serial when the column is a date.
    Number(f64),
    /// A boolean cell.
    Bool(bool),
    /// A cell the reader already knows to be a date/time (date-formatted spreadsheet cell).
    DateTime(NaiveDateTime),
    /// A spreadsheet error value such as `#N/A`.
    Error(String),
}

impl Cell {
    /// True when the cell holds nothing useful.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as display text (numbers without a trailing `.0`).
    pub fn to_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(b) => b.to_string(),
            Cell::DateTime(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Cell::Error(e) => e.clone(),
        }
    }
}

/// Formats a number the way a spreadsheet shows it in General format: integers without a
/// decimal point, others with the shortest exact representation.
pub fn format_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{}", n)
    }
}

/// The file formats we read, detected from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
    Tsv,
    Html,
}

impl Format {
    /// Short lowercase name used in the Report (`xlsx`, `csv`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Html => "html",
        }
    }
}

/// A sheet (or the single table of a CSV/HTML file) read into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// Detected format.
    pub format: Format,
    /// Name of the sheet that was read (`None` for CSV).
    pub sheet: Option<String>,
    /// All sheet names in the workbook, in order (empty for CSV).
    pub sheets: Vec<String>,
    /// Text encoding for CSV/HTML (`utf-8`, `utf-8-bom`, `gb18030`, `utf-16le`, `utf-16be`).
    pub encoding: Option<String>,
    /// True when the workbook uses the 1904 date system (Mac Excel).
    pub date_1904: bool,
    /// The rows, top to bottom, starting at the sheet's first row (row 1 is `rows[0]`).
    /// Rows may have different lengths; missing trailing cells are empty.
    pub rows: Vec<Vec<Cell>>,
}

impl RawTable {
    /// The cell at (row, col), `Cell::Empty` when out of range.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// The widest row's length.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}
