//! The raw table every reader produces: rows of loosely typed cells, before any header or
//! column role is known.
//!
//! The cells are stored by column ([`Columns`]): each column keeps its distinct values once
//! (texts in one buffer, numbers and dates typed) and a small code per row pointing at one of
//! them, so a million rows of repeated customer ids, plates and service types cost a few bytes
//! a cell rather than an enum and a heap string each. Readers fill a [`ColumnsBuilder`]; the
//! rest of the engine reads cells through [`CellRef`] views.

use crate::engine::error::EngineError;
use crate::engine::intern::{FoldHash, Index};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

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
    /// The cell as a borrowed view.
    pub fn view(&self) -> CellRef<'_> {
        CellRef::from(self)
    }

    /// True when the cell holds nothing useful.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => crate::engine::values::trim(s).is_empty(),
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

/// A cell as stored in a [`RawTable`], borrowed: what [`Cell`] holds, without owning its text.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum CellRef<'a> {
    /// Nothing in the cell.
    #[default]
    Empty,
    /// Text as written.
    Text(&'a str),
    /// A number (possibly an Excel date serial).
    Number(f64),
    /// A boolean cell.
    Bool(bool),
    /// A date/time the reader recognised.
    DateTime(NaiveDateTime),
    /// A spreadsheet error value such as `#N/A`.
    Error(&'a str),
}

impl<'a> From<&'a Cell> for CellRef<'a> {
    fn from(c: &'a Cell) -> Self {
        match c {
            Cell::Empty => CellRef::Empty,
            Cell::Text(s) => CellRef::Text(s),
            Cell::Number(n) => CellRef::Number(*n),
            Cell::Bool(b) => CellRef::Bool(*b),
            Cell::DateTime(d) => CellRef::DateTime(*d),
            Cell::Error(e) => CellRef::Error(e),
        }
    }
}

impl<'a> From<&&'a Cell> for CellRef<'a> {
    fn from(c: &&'a Cell) -> Self {
        CellRef::from(*c)
    }
}

impl CellRef<'_> {
    /// True when the cell holds nothing useful (as [`Cell::is_empty`]).
    pub fn is_empty(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(s) => crate::engine::values::trim(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as display text (as [`Cell::to_text`]).
    pub fn to_text(&self) -> String {
        match self {
            CellRef::Text(s) | CellRef::Error(s) => s.to_string(),
            other => other.to_cell().to_text(),
        }
    }

    /// True when the cell's display text, trimmed, is `text` (`to_text().trim() == text`).
    /// The text of a number or date is built only when `text` could be it: a number's text
    /// reads back as the same number, a date's starts with a digit or a sign (`2024-03-05`,
    /// `-0001-…`, `+10000-…`).
    pub fn text_is(&self, text: &str) -> bool {
        match self {
            CellRef::Text(s) | CellRef::Error(s) => s.trim() == text,
            CellRef::Empty => text.is_empty(),
            CellRef::Bool(b) => text == if *b { "true" } else { "false" },
            CellRef::Number(n) => {
                text.parse::<f64>()
                    .is_ok_and(|x| x == *n || (x.is_nan() && n.is_nan()))
                    && format_number(*n) == text
            }
            CellRef::DateTime(_) => {
                text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
                    && self.to_text() == text
            }
        }
    }

    /// An owned copy.
    pub fn to_cell(&self) -> Cell {
        match *self {
            CellRef::Empty => Cell::Empty,
            CellRef::Text(s) => Cell::Text(s.to_string()),
            CellRef::Number(n) => Cell::Number(n),
            CellRef::Bool(b) => Cell::Bool(b),
            CellRef::DateTime(d) => Cell::DateTime(d),
            CellRef::Error(e) => Cell::Error(e.to_string()),
        }
    }
}

/// Where a text sits in its column's text buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

/// One distinct value of a column.
#[derive(Debug, Clone, Copy)]
enum Value {
    Text(Span),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
    Error(Span),
}

/// One column. Interned (the usual case): its distinct values and, per row, which one the
/// row holds. Plain (a column of mostly distinct values: order numbers, odometer readings,
/// phone numbers): per row its kind and eight bytes, 9 bytes a cell instead of 4 + 16.
#[derive(Debug, Clone, Default)]
struct Column {
    /// Interned: per row 0 for an empty cell, else 1 + the index in `values`. Rows past the
    /// end are empty.
    codes: Vec<u32>,
    /// Interned: the values, each stored once.
    values: Vec<Value>,
    /// True when the column is plain (`codes` and `values` are then empty).
    plain: bool,
    /// Plain: per row the kind of cell ([`Kind`]); rows past the end are empty.
    kinds: Vec<u8>,
    /// Plain: per row the cell's payload (a text's span, a number's bits, a boolean, an index
    /// in `times`).
    slots: Vec<u64>,
    /// Plain: the date-time cells, in the order they came.
    times: Vec<NaiveDateTime>,
    /// The bytes of every text and error value, back to back.
    text: String,
}

/// The kind of a plain column's cell.
struct Kind;

impl Kind {
    const EMPTY: u8 = 0;
    const TEXT: u8 = 1;
    const NUMBER: u8 = 2;
    const BOOL: u8 = 3;
    const DATE_TIME: u8 = 4;
    const ERROR: u8 = 5;
}

impl Span {
    fn to_bits(self) -> u64 {
        (u64::from(self.start) << 32) | u64::from(self.len)
    }

    fn from_bits(bits: u64) -> Span {
        Span {
            start: (bits >> 32) as u32,
            len: bits as u32,
        }
    }
}

impl Column {
    fn get(&self, row: usize) -> CellRef<'_> {
        if self.plain {
            return self.get_plain(row);
        }
        let code = self.codes.get(row).copied().unwrap_or(0);
        let Some(i) = (code as usize).checked_sub(1) else {
            return CellRef::Empty;
        };
        match self.values.get(i) {
            None => CellRef::Empty,
            Some(Value::Text(s)) => CellRef::Text(self.str(*s)),
            Some(Value::Number(n)) => CellRef::Number(*n),
            Some(Value::Bool(b)) => CellRef::Bool(*b),
            Some(Value::DateTime(d)) => CellRef::DateTime(*d),
            Some(Value::Error(s)) => CellRef::Error(self.str(*s)),
        }
    }

    fn get_plain(&self, row: usize) -> CellRef<'_> {
        let kind = self.kinds.get(row).copied().unwrap_or(Kind::EMPTY);
        let bits = self.slots.get(row).copied().unwrap_or(0);
        match kind {
            Kind::TEXT => CellRef::Text(self.str(Span::from_bits(bits))),
            Kind::ERROR => CellRef::Error(self.str(Span::from_bits(bits))),
            Kind::NUMBER => CellRef::Number(f64::from_bits(bits)),
            Kind::BOOL => CellRef::Bool(bits != 0),
            Kind::DATE_TIME => usize::try_from(bits)
                .ok()
                .and_then(|i| self.times.get(i))
                .map_or(CellRef::Empty, |d| CellRef::DateTime(*d)),
            _ => CellRef::Empty,
        }
    }

    fn str(&self, s: Span) -> &str {
        let start = s.start as usize;
        self.text
            .get(start..start.saturating_add(s.len as usize))
            .unwrap_or("")
    }

    /// Values stored: distinct values when interned, non-empty cells when plain.
    fn stored(&self) -> usize {
        if self.plain {
            self.kinds.iter().filter(|&&k| k != Kind::EMPTY).count()
        } else {
            self.values.len()
        }
    }

    /// A value as a plain cell's kind and payload.
    fn plain_slot(&mut self, v: Value) -> (u8, u64) {
        match v {
            Value::Text(s) => (Kind::TEXT, s.to_bits()),
            Value::Error(s) => (Kind::ERROR, s.to_bits()),
            Value::Number(n) => (Kind::NUMBER, n.to_bits()),
            Value::Bool(b) => (Kind::BOOL, u64::from(b)),
            Value::DateTime(d) => {
                self.times.push(d);
                (Kind::DATE_TIME, self.times.len() as u64 - 1)
            }
        }
    }

    /// Turns an interned column into a plain one (the texts stay where they are).
    fn make_plain(&mut self) {
        let codes = std::mem::take(&mut self.codes);
        let values = std::mem::take(&mut self.values);
        self.kinds = Vec::with_capacity(codes.len());
        self.slots = Vec::with_capacity(codes.len());
        for code in codes {
            let value = (code as usize)
                .checked_sub(1)
                .and_then(|i| values.get(i))
                .copied();
            let (kind, bits) = match value {
                Some(v) => self.plain_slot(v),
                None => (Kind::EMPTY, 0),
            };
            self.kinds.push(kind);
            self.slots.push(bits);
        }
        self.plain = true;
    }

    /// Puts a cell in row `row` of a plain column.
    fn put_plain(&mut self, row: usize, v: CellRef<'_>) -> Result<(), EngineError> {
        let Some(value) = store(self, v)? else {
            return Ok(());
        };
        let (kind, bits) = self.plain_slot(value);
        if self.kinds.len() <= row {
            self.kinds.resize(row + 1, Kind::EMPTY);
            self.slots.resize(row + 1, 0);
        }
        if let (Some(k), Some(b)) = (self.kinds.get_mut(row), self.slots.get_mut(row)) {
            *k = kind;
            *b = bits;
        }
        Ok(())
    }
}

/// The cells of a table, column by column, with the length of every row as read (trailing
/// empty cells included, as the file had them).
#[derive(Debug, Clone, Default)]
pub struct Columns {
    columns: Vec<Column>,
    /// Cells in each row; the number of rows is `row_len.len()`.
    row_len: Vec<u32>,
}

impl Columns {
    /// Stores rows of owned cells (tests, the demo data, small tables). A text that would
    /// take a column's text past 4 GiB is left out (readers stop long before, see
    /// [`ColumnsBuilder::set`]).
    pub fn from_rows(rows: Vec<Vec<Cell>>) -> Columns {
        let mut b = ColumnsBuilder::default();
        for (r, row) in rows.into_iter().enumerate() {
            b.touch_row(r);
            for (c, cell) in row.iter().enumerate() {
                if b.set(r, c, cell.view()).is_err() {
                    b.set(r, c, CellRef::Empty).ok();
                }
            }
        }
        b.finish()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.row_len.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.row_len.is_empty()
    }

    /// The widest row's length.
    pub fn width(&self) -> usize {
        self.row_len.iter().max().map_or(0, |&n| n as usize)
    }

    /// The cell at (row, col), [`CellRef::Empty`] when out of range.
    pub fn cell(&self, row: usize, col: usize) -> CellRef<'_> {
        match self.columns.get(col) {
            Some(c) if col < self.row_length(row) => c.get(row),
            _ => CellRef::Empty,
        }
    }

    /// A row's length as read (0 when out of range).
    fn row_length(&self, row: usize) -> usize {
        self.row_len.get(row).map_or(0, |&n| n as usize)
    }

    /// Row `row`, or an empty row when out of range.
    pub fn row(&self, row: usize) -> Row<'_> {
        Row {
            cells: self,
            index: row,
            len: self.row_length(row),
        }
    }

    /// The rows, top to bottom.
    pub fn rows(&self) -> impl DoubleEndedIterator<Item = Row<'_>> + ExactSizeIterator + '_ {
        (0..self.len()).map(|r| self.row(r))
    }

    /// The number of distinct values column `col` keeps, so that [`Row::get_coded`]'s
    /// numbers are below `distinct + 1`; `None` for a column of mostly distinct values (it
    /// keeps none), 0 for a column past the widest row.
    pub fn distinct(&self, col: usize) -> Option<usize> {
        match self.columns.get(col) {
            None => Some(0),
            Some(c) if c.plain => None,
            Some(c) => Some(c.values.len()),
        }
    }

    /// Bytes this table holds on the heap (its buffers' capacities).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let columns: usize = self
            .columns
            .iter()
            .map(|c| {
                c.codes.capacity() * size_of::<u32>()
                    + c.values.capacity() * size_of::<Value>()
                    + c.kinds.capacity()
                    + c.slots.capacity() * size_of::<u64>()
                    + c.times.capacity() * size_of::<NaiveDateTime>()
                    + c.text.capacity()
            })
            .sum();
        columns
            + self.columns.capacity() * size_of::<Column>()
            + self.row_len.capacity() * size_of::<u32>()
    }

    /// Per column: (plain, values stored, text bytes). For measurements.
    pub fn column_sizes(&self) -> Vec<(bool, usize, usize)> {
        self.columns
            .iter()
            .map(|c| (c.plain, c.stored(), c.text.len()))
            .collect()
    }

    /// Every row as owned cells (for tests and small tables).
    pub fn to_rows(&self) -> Vec<Vec<Cell>> {
        self.rows()
            .map(|r| r.iter().map(|c| c.to_cell()).collect())
            .collect()
    }
}

/// Equal when every row has the same length and the same cells (however they are stored).
impl PartialEq for Columns {
    fn eq(&self, other: &Self) -> bool {
        self.row_len == other.row_len
            && self
                .rows()
                .zip(other.rows())
                .all(|(a, b)| a.iter().eq(b.iter()))
    }
}

/// One row of a [`Columns`]: a cheap view.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    cells: &'a Columns,
    index: usize,
    len: usize,
}

impl<'a> Row<'a> {
    /// Cells in the row as read (trailing empty cells included).
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the row has no cells at all (see [`Row::is_blank`] for empty cells).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.iter().all(|c| c.is_empty())
    }

    /// The cell in column `col`, `None` past the end of the row.
    pub fn get(&self, col: usize) -> Option<CellRef<'a>> {
        (col < self.len).then(|| {
            self.cells
                .columns
                .get(col)
                .map_or(CellRef::Empty, |c| c.get(self.index))
        })
    }

    /// The cell in column `col` with its value's number in the column (see
    /// [`Columns::distinct`]): equal numbers are equal cells, 0 is an empty cell. The number
    /// is `None` in a column of mostly distinct values, which keeps none. `None` past the end
    /// of the row, as [`Row::get`].
    pub fn get_coded(&self, col: usize) -> Option<(CellRef<'a>, Option<u32>)> {
        (col < self.len).then(|| match self.cells.columns.get(col) {
            None => (CellRef::Empty, Some(0)),
            Some(c) if c.plain => (c.get_plain(self.index), None),
            Some(c) => (
                c.get(self.index),
                Some(c.codes.get(self.index).copied().unwrap_or(0)),
            ),
        })
    }

    /// The cells, left to right.
    pub fn iter(&self) -> impl Iterator<Item = CellRef<'a>> + 'a {
        let (cells, index) = (self.cells, self.index);
        (0..self.len).map(move |c| {
            cells
                .columns
                .get(c)
                .map_or(CellRef::Empty, |col| col.get(index))
        })
    }
}

/// A column being filled: the column and the index of its values by content.
#[derive(Default)]
struct ColumnBuilder {
    column: Column,
    /// The column's values by content. Dropped when the column proves to hold mostly
    /// distinct values (order numbers, odometer readings), where it would cost more than
    /// it saves, and the column turns plain.
    index: Index,
}

/// Distinct values a column may reach before the builder first checks whether interning
/// pays (it stops when more than half the column's rows so far brought a new value); it
/// checks again each time the count doubles. Early, so that identifier columns spend few
/// rows on hashing and cache-missing lookups.
const INTERN_CHECK: usize = 1 << 12;

impl ColumnBuilder {
    /// The code of `v` in this interned column, adding it when new.
    fn code(&mut self, v: CellRef<'_>) -> Result<u32, EngineError> {
        let col = &mut self.column;
        let tag = (hash_value(&v) >> 32) as u32;
        let found = self.index.find(tag, |code| {
            (code as usize)
                .checked_sub(1)
                .and_then(|i| col.values.get(i))
                .is_some_and(|x| same(col, x, &v))
        });
        let slot = match found {
            Ok(code) => return Ok(code),
            Err(slot) => slot,
        };
        let code = push_value(col, v)?;
        self.index.insert_at(slot, tag, code);
        Ok(code)
    }

    /// Puts a cell in row `row`; stops interning when it does not pay.
    fn set(&mut self, row: usize, v: CellRef<'_>) -> Result<(), EngineError> {
        if self.column.plain {
            return self.column.put_plain(row, v);
        }
        let code = self.code(v)?;
        let col = &mut self.column;
        if col.codes.len() <= row {
            col.codes.resize(row + 1, 0);
        }
        if let Some(slot) = col.codes.get_mut(row) {
            *slot = code;
        }
        let n = col.values.len();
        if n >= INTERN_CHECK && n.is_power_of_two() && n > col.codes.len() / 2 {
            self.stop();
        }
        Ok(())
    }

    /// Stops interning: the index goes and the column turns plain.
    fn stop(&mut self) {
        self.index = Index::default();
        self.column.make_plain();
    }
}

/// True when the stored value `x` is `v` (numbers compared bit for bit).
fn same(col: &Column, x: &Value, v: &CellRef<'_>) -> bool {
    match (x, v) {
        (Value::Text(s), CellRef::Text(t)) | (Value::Error(s), CellRef::Error(t)) => {
            col.str(*s) == *t
        }
        (Value::Number(a), CellRef::Number(b)) => a.to_bits() == b.to_bits(),
        (Value::Bool(a), CellRef::Bool(b)) => a == b,
        (Value::DateTime(a), CellRef::DateTime(b)) => a == b,
        _ => false,
    }
}

/// `v` as a value, its text appended to the column's text (`None` for an empty cell).
fn store(col: &mut Column, v: CellRef<'_>) -> Result<Option<Value>, EngineError> {
    let mut span = |t: &str| -> Result<Span, EngineError> {
        let start = u32::try_from(col.text.len()).ok();
        let len = u32::try_from(t.len()).ok();
        match (start, len) {
            (Some(start), Some(len)) if start.checked_add(len).is_some() => {
                col.text.push_str(t);
                Ok(Span { start, len })
            }
            _ => Err(text_too_large()),
        }
    };
    Ok(Some(match v {
        CellRef::Empty => return Ok(None),
        CellRef::Text(t) => Value::Text(span(t)?),
        CellRef::Error(t) => Value::Error(span(t)?),
        CellRef::Number(n) => Value::Number(n),
        CellRef::Bool(b) => Value::Bool(b),
        CellRef::DateTime(d) => Value::DateTime(d),
    }))
}

/// Appends `v` to an interned column's values; its code.
fn push_value(col: &mut Column, v: CellRef<'_>) -> Result<u32, EngineError> {
    let Some(value) = store(col, v)? else {
        return Ok(0);
    };
    col.values.push(value);
    u32::try_from(col.values.len()).map_err(|_| text_too_large())
}

fn text_too_large() -> EngineError {
    use crate::engine::limits::what;
    EngineError::TooLarge {
        what: what::TEXT_BYTES.to_string(),
        limit: u64::from(u32::MAX),
    }
}

/// A hash of a cell value (type and content) for interning.
fn hash_value(v: &CellRef<'_>) -> u64 {
    let mut h = FoldHash(0);
    match v {
        CellRef::Empty => h.write_u64(0),
        CellRef::Text(t) => {
            h.write_u64(1);
            h.write(t.as_bytes());
        }
        CellRef::Error(t) => {
            h.write_u64(2);
            h.write(t.as_bytes());
        }
        CellRef::Number(n) => {
            h.write_u64(3);
            h.write_u64(n.to_bits());
        }
        CellRef::Bool(b) => h.write_u64(4 + u64::from(*b)),
        CellRef::DateTime(d) => {
            h.write_u64(6);
            h.write_u64(d.and_utc().timestamp() as u64);
            h.write_u64(u64::from(d.and_utc().timestamp_subsec_nanos()));
        }
    }
    h.finish()
}

/// Fills a [`Columns`] cell by cell, in any order (readers usually go row by row).
#[derive(Default)]
pub struct ColumnsBuilder {
    columns: Vec<ColumnBuilder>,
    row_len: Vec<u32>,
}

impl ColumnsBuilder {
    /// Rows so far.
    pub fn len(&self) -> usize {
        self.row_len.len()
    }

    /// True when no row was started.
    pub fn is_empty(&self) -> bool {
        self.row_len.is_empty()
    }

    /// The length of row `row` so far (0 when it does not exist yet).
    pub fn row_len(&self, row: usize) -> usize {
        self.row_len.get(row).map_or(0, |&n| n as usize)
    }

    /// Makes sure row `row` exists (rows above it too, empty).
    pub fn touch_row(&mut self, row: usize) {
        if self.row_len.len() <= row {
            self.row_len.resize(row + 1, 0);
        }
    }

    /// Appends an empty row; its index.
    pub fn push_row(&mut self) -> usize {
        self.row_len.push(0);
        self.row_len.len() - 1
    }

    /// Puts a cell at (row, col); the row becomes at least `col + 1` cells long, even for
    /// an empty cell (as a CSV line with trailing delimiters). Errors only when a column's
    /// text passes 4 GiB.
    pub fn set(&mut self, row: usize, col: usize, cell: CellRef<'_>) -> Result<(), EngineError> {
        self.touch_row(row);
        let len = u32::try_from(col.saturating_add(1)).unwrap_or(u32::MAX);
        if let Some(n) = self.row_len.get_mut(row) {
            *n = (*n).max(len);
        }
        if matches!(cell, CellRef::Empty) {
            return Ok(());
        }
        if self.columns.len() <= col {
            self.columns.resize_with(col + 1, ColumnBuilder::default);
        }
        let Some(b) = self.columns.get_mut(col) else {
            return Ok(());
        };
        b.set(row, cell)
    }

    /// The finished cells (the interning indexes are dropped).
    pub fn finish(self) -> Columns {
        let columns = self
            .columns
            .into_iter()
            .map(|b| {
                let mut c = b.column;
                c.codes.shrink_to_fit();
                c.values.shrink_to_fit();
                c.kinds.shrink_to_fit();
                c.slots.shrink_to_fit();
                c.times.shrink_to_fit();
                c.text.shrink_to_fit();
                c
            })
            .collect();
        let mut row_len = self.row_len;
        row_len.shrink_to_fit();
        Columns { columns, row_len }
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
    /// The cells, starting at the sheet's first row (row 1 is row 0 here). Rows may have
    /// different lengths; missing trailing cells are empty.
    pub cells: Columns,
}

impl RawTable {
    /// The cell at (row, col), [`CellRef::Empty`] when out of range.
    pub fn cell(&self, row: usize, col: usize) -> CellRef<'_> {
        self.cells.cell(row, col)
    }

    /// The widest row's length.
    pub fn width(&self) -> usize {
        self.cells.width()
    }

    /// Number of rows (up to the last row the file had).
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Row `row` (empty when out of range).
    pub fn row(&self, row: usize) -> Row<'_> {
        self.cells.row(row)
    }

    /// The rows, top to bottom.
    pub fn rows(&self) -> impl DoubleEndedIterator<Item = Row<'_>> + ExactSizeIterator + '_ {
        self.cells.rows()
    }

    /// Every row as owned cells (for tests and small tables).
    pub fn to_rows(&self) -> Vec<Vec<Cell>> {
        self.cells.to_rows()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn dt(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_time(chrono::NaiveTime::MIN)
    }

    #[test]
    fn repeated_texts_are_stored_once() {
        let mut b = ColumnsBuilder::default();
        for r in 0..1000 {
            b.set(r, 0, CellRef::Text(["C001", "C002", "C003"][r % 3]))
                .unwrap();
            b.set(r, 1, CellRef::Text("保养")).unwrap();
        }
        let t = b.finish();
        assert_eq!(t.len(), 1000);
        assert_eq!(t.columns[0].stored(), 3);
        assert_eq!(t.columns[0].text, "C001C002C003");
        assert_eq!(t.columns[1].stored(), 1);
        assert_eq!(t.cell(4, 0), CellRef::Text("C002"));
        assert_eq!(t.cell(999, 1), CellRef::Text("保养"));
    }

    #[test]
    fn typed_cells_round_trip() {
        let rows = vec![
            vec![
                Cell::Text("a".into()),
                Cell::Number(1.5),
                Cell::Bool(true),
                Cell::DateTime(dt(2024, 3, 5)),
                Cell::Error("#N/A".into()),
            ],
            // The same values again, and values equal as text but of another type.
            vec![
                Cell::Text("1.5".into()),
                Cell::Number(1.5),
                Cell::Bool(false),
                Cell::DateTime(dt(2024, 3, 5)),
                Cell::Text("#N/A".into()),
            ],
            vec![
                Cell::Number(-0.0),
                Cell::Number(0.0),
                Cell::Number(f64::NAN),
            ],
        ];
        let t = Columns::from_rows(rows.clone());
        let back = t.to_rows();
        assert_eq!(back[..2], rows[..2]);
        assert!(matches!(t.cell(2, 0), CellRef::Number(n) if n == 0.0 && n.is_sign_negative()));
        assert!(matches!(t.cell(2, 1), CellRef::Number(n) if n == 0.0 && n.is_sign_positive()));
        assert!(matches!(t.cell(2, 2), CellRef::Number(n) if n.is_nan()));
        // 1.5 is stored once in column 1; texts and errors are kept apart.
        assert_eq!(t.columns[1].stored(), 2);
        assert_eq!(t.cell(0, 4), CellRef::Error("#N/A"));
        assert_eq!(t.cell(1, 4), CellRef::Text("#N/A"));
    }

    #[test]
    fn empty_cells_and_row_lengths() {
        let rows = vec![
            vec![Cell::Text("x".into())],
            vec![],
            vec![Cell::Empty, Cell::Empty, Cell::Number(3.0), Cell::Empty],
            vec![Cell::Text("   ".into())],
        ];
        let t = Columns::from_rows(rows.clone());
        assert_eq!(t.to_rows(), rows);
        assert_eq!(t.width(), 4);
        assert_eq!(t.row(1).len(), 0);
        assert!(t.row(1).is_empty() && t.row(1).is_blank());
        assert!(!t.row(2).is_blank());
        // Whitespace-only text is kept as written but counts as empty.
        assert!(t.row(3).is_blank() && !t.row(3).is_empty());
        assert_eq!(t.row(2).get(3), Some(CellRef::Empty));
        assert_eq!(t.row(2).get(4), None);
        assert_eq!(t.cell(0, 1), CellRef::Empty);
    }

    #[test]
    fn out_of_range_is_empty() {
        let t = Columns::from_rows(vec![vec![Cell::Number(1.0)]]);
        assert_eq!(t.cell(0, 0), CellRef::Number(1.0));
        assert_eq!(t.cell(1, 0), CellRef::Empty);
        assert_eq!(t.cell(0, 1), CellRef::Empty);
        assert_eq!(t.cell(usize::MAX, usize::MAX), CellRef::Empty);
        assert!(t.row(7).is_empty());
        assert_eq!(t.row(7).get(0), None);
        assert_eq!(t.row(usize::MAX).iter().count(), 0);
        let none = Columns::default();
        assert!(none.is_empty());
        assert_eq!(none.width(), 0);
        assert_eq!(none.cell(0, 0), CellRef::Empty);
    }

    #[test]
    fn cells_in_any_order() {
        let mut b = ColumnsBuilder::default();
        b.set(5, 2, CellRef::Text("late")).unwrap();
        b.set(0, 0, CellRef::Number(1.0)).unwrap();
        b.set(5, 2, CellRef::Text("again")).unwrap();
        b.set(3, 1, CellRef::Empty).unwrap();
        let t = b.finish();
        assert_eq!(t.len(), 6);
        assert_eq!(t.cell(5, 2), CellRef::Text("again"));
        assert_eq!(t.row(3).len(), 2);
        assert_eq!(t.row(4).len(), 0);
    }

    #[test]
    fn mostly_distinct_columns_stop_interning() {
        let mut b = ColumnsBuilder::default();
        let n = INTERN_CHECK * 3;
        for r in 0..n {
            b.set(r, 0, CellRef::Number(r as f64)).unwrap();
            b.set(r, 1, CellRef::Text(if r % 2 == 0 { "a" } else { "b" }))
                .unwrap();
        }
        assert!(b.columns[0].column.plain && b.columns[0].index.capacity() == 0);
        assert!(!b.columns[1].column.plain);
        // A value seen again after interning stopped is stored again, and still read back.
        b.set(n, 0, CellRef::Number(1.0)).unwrap();
        let t = b.finish();
        assert_eq!(t.columns[0].stored(), n + 1);
        assert_eq!(t.cell(n, 0), CellRef::Number(1.0));
        assert_eq!(t.cell(1, 0), CellRef::Number(1.0));
        assert_eq!(t.columns[1].stored(), 2);
    }

    #[test]
    fn repeated_ids_keep_interning_past_the_check() {
        // 20,000 customers with four visits each, in runs (the export sorted by customer):
        // a quarter of the rows bring a new value, so the column stays interned.
        let mut b = ColumnsBuilder::default();
        let n = 80_000;
        for r in 0..n {
            let id = format!("C{:05}", (r / 4 * 7919) % 20_000);
            b.set(r, 0, CellRef::Text(&id)).unwrap();
        }
        assert!(!b.columns[0].column.plain);
        let t = b.finish();
        assert_eq!(t.columns[0].stored(), 20_000);
        assert_eq!(t.cell(5, 0), CellRef::Text("C07919"));
    }

    #[test]
    fn coded_cells_number_equal_values_alike() {
        let mut b = ColumnsBuilder::default();
        for (r, t) in ["保养", "维修", "保养", ""].iter().enumerate() {
            let cell = if t.is_empty() {
                CellRef::Empty
            } else {
                CellRef::Text(t)
            };
            b.set(r, 0, cell).unwrap();
            b.set(r, 1, CellRef::Number(r as f64)).unwrap();
        }
        b.columns[1].stop();
        let t = b.finish();
        assert_eq!(t.distinct(0), Some(2));
        assert_eq!(t.distinct(1), None);
        assert_eq!(t.distinct(5), Some(0));
        let coded = |r: usize, c: usize| t.row(r).get_coded(c);
        let (c0, c2) = (coded(0, 0).unwrap(), coded(2, 0).unwrap());
        assert_eq!(c0, (CellRef::Text("保养"), c2.1));
        assert!(c0.1.is_some_and(|n| (1..=2).contains(&n)));
        assert_ne!(coded(1, 0).unwrap().1, c0.1);
        assert_eq!(coded(3, 0), Some((CellRef::Empty, Some(0))));
        assert_eq!(coded(2, 1), Some((CellRef::Number(2.0), None)));
        assert_eq!(coded(2, 2), None);
    }

    #[test]
    fn equality_ignores_storage() {
        let a = Columns::from_rows(vec![
            vec![Cell::Text("x".into())],
            vec![Cell::Text("x".into())],
        ]);
        let mut b = ColumnsBuilder::default();
        b.set(0, 0, CellRef::Text("x")).unwrap();
        b.columns[0].stop();
        b.set(1, 0, CellRef::Text("x")).unwrap();
        let b = b.finish();
        assert_eq!(b.columns[0].stored(), 2);
        assert_eq!(a, b);
        assert_ne!(a, Columns::from_rows(vec![vec![Cell::Text("x".into())]]));
    }

    #[test]
    fn plain_columns_hold_every_kind_of_cell() {
        let cells = [
            Cell::Text("订单-1".into()),
            Cell::Number(-2.5),
            Cell::Bool(true),
            Cell::DateTime(dt(2023, 12, 31)),
            Cell::Error("#REF!".into()),
            Cell::Empty,
            Cell::Number(f64::from_bits(0x7ff8_0000_0000_0001)),
            Cell::Bool(false),
            Cell::DateTime(dt(1900, 1, 1)),
        ];
        // Column 0 turns plain after its first rows (interned ones converted), column 1
        // after one; both are filled bottom-up for the last rows.
        let mut b = ColumnsBuilder::default();
        for (r, c) in cells.iter().enumerate().take(4) {
            b.set(r, 0, c.view()).unwrap();
        }
        b.columns[0].stop();
        b.set(0, 1, CellRef::Text("overwritten")).unwrap();
        b.columns[1].stop();
        for (r, c) in cells.iter().enumerate().skip(4).rev() {
            b.set(r, 0, c.view()).unwrap();
        }
        for (r, c) in cells.iter().enumerate().rev() {
            b.set(r, 1, c.view()).unwrap();
        }
        let t = b.finish();
        assert!(t.columns[0].plain && t.columns[1].plain);
        for (r, c) in cells.iter().enumerate() {
            for col in 0..2 {
                match (t.cell(r, col), c) {
                    (CellRef::Number(x), Cell::Number(y)) => assert_eq!(x.to_bits(), y.to_bits()),
                    (got, want) => assert_eq!(got, want.view(), "row {r} column {col}"),
                }
            }
        }
        assert_eq!(t.columns[0].stored(), 8);
        assert_eq!(t.cell(cells.len(), 0), CellRef::Empty);
        // A kind and a slot a row; no codes or distinct values.
        let c = &t.columns[1];
        assert_eq!((c.kinds.len(), c.slots.len(), c.times.len()), (9, 9, 2));
        assert!(c.codes.is_empty() && c.values.is_empty());
        assert_eq!(c.text, "overwritten#REF!订单-1");
    }

    #[test]
    fn text_comparison_without_copies() {
        assert!(CellRef::Text(" 金额 ").text_is("金额"));
        assert!(CellRef::Number(12.0).text_is("12"));
        assert!(CellRef::Empty.text_is(""));
        assert!(!CellRef::Bool(true).text_is("1"));
    }
}
