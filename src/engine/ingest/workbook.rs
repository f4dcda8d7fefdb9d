//! Spreadsheet workbooks through calamine: xlsx/xlsm and xlsb stream their cells
//! (`worksheet_cells_reader`, no dense range), xls and ods go through `worksheet_range`.

use super::progress::RowTicker;
use super::{too_large, IngestOptions};
use crate::engine::error::EngineError;
use crate::engine::limits::{self, what, MAX_CELLS, MAX_COLS, MAX_ROWS};
use crate::engine::table::{Cell, CellRef, Columns, ColumnsBuilder, Format, RawTable};
use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

type Rows = Columns;

/// Reads a workbook of the given (sniffed) format.
pub(crate) fn read(
    bytes: &[u8],
    format: Format,
    opts: &IngestOptions,
) -> Result<RawTable, EngineError> {
    match format {
        Format::Xlsx | Format::Xlsb | Format::Ods => super::zipguard::check(bytes, format)?,
        Format::Xls => super::ole2::check(bytes)?,
        _ => {}
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Xlsx => read_xlsx(bytes, opts),
        Format::Xlsb => read_xlsb(bytes, opts),
        Format::Xls => read_xls(bytes, opts),
        Format::Ods => read_ods(bytes, opts),
        other => Err(EngineError::Internal {
            detail: format!("{} is not a workbook format", other.name()),
        }),
    }));
    match outcome {
        Ok(result) => result,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(EngineError::Internal {
                detail: super::short(&format!("the {} reader crashed: {msg}", format.name())),
            })
        }
    }
}

fn corrupt(format: Format, detail: impl std::fmt::Display) -> EngineError {
    EngineError::Corrupt {
        format: format.name().to_string(),
        detail: super::short(&detail.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Value conversion.

/// The time of day of an Excel day fraction as `h:mm:ss`, for duration cells.
fn duration_text(days: f64) -> String {
    if !days.is_finite() {
        return days.to_string();
    }
    let secs = (days * 86_400.0).round();
    let sign = if secs < 0.0 { "-" } else { "" };
    let secs = secs.abs().min(1e15) as u64;
    format!(
        "{sign}{}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// A date-formatted Excel serial. calamine's `ExcelDateTime` carries the workbook's 1904
/// flag and `as_datetime` applies it (and the 1900 leap-year bug); values outside Excel's
/// date range stay numbers (calamine's conversion would panic on huge values).
fn excel_datetime(dt: &ExcelDateTime) -> Cell {
    let v = dt.as_f64();
    if dt.is_duration() {
        return Cell::Text(duration_text(v));
    }
    if !(v.is_finite() && (0.0..2_958_466.0).contains(&v)) {
        return Cell::Number(v);
    }
    match dt.as_datetime() {
        Some(d) => Cell::DateTime(d),
        None => Cell::Number(v),
    }
}

fn iso_datetime(s: &str) -> Cell {
    let t = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Cell::DateTime(d);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Cell::DateTime(d.and_time(chrono::NaiveTime::MIN));
    }
    text_cell(t)
}

fn text_cell(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t.to_string())
    }
}

/// A text cell without copying the text: trimmed, empty when blank.
fn text_ref(s: &str) -> CellRef<'_> {
    let t = crate::engine::values::trim(s);
    if t.is_empty() {
        CellRef::Empty
    } else {
        CellRef::Text(t)
    }
}

/// Puts a streamed cell into the grid (texts are not copied on the way).
fn put_ref(grid: &mut Grid, row: u32, col: u32, v: &DataRef<'_>) -> Result<(), EngineError> {
    match v {
        DataRef::String(s) => grid.put(row, col, text_ref(s)),
        DataRef::SharedString(s) => grid.put(row, col, text_ref(s)),
        other => grid.put(row, col, convert_ref(other).view()),
    }
}

fn convert_ref(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => excel_datetime(d),
        DataRef::DateTimeIso(s) => iso_datetime(s),
        DataRef::DurationIso(s) => text_cell(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn convert(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => text_cell(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => excel_datetime(d),
        Data::DateTimeIso(s) => iso_datetime(s),
        Data::DurationIso(s) => text_cell(s),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

// ---------------------------------------------------------------------------------------
// Building rows from positioned cells, with the size guards.

/// Accumulates cells at absolute sheet positions into rows.
#[derive(Default)]
struct Grid {
    rows: ColumnsBuilder,
    /// Cells seen from the reader (including empty ones).
    seen: usize,
    /// Cell slots allocated in `rows`.
    slots: usize,
    /// Text bytes kept (see [`limits::MAX_TEXT_BYTES`]).
    text: u64,
}

impl Grid {
    fn put(&mut self, row: u32, col: u32, cell: CellRef<'_>) -> Result<(), EngineError> {
        let (row, col) = (row as usize, col as usize);
        if row >= MAX_ROWS {
            return Err(too_large(what::ROWS, MAX_ROWS as u64));
        }
        if col >= MAX_COLS {
            return Err(too_large(what::COLUMNS, MAX_COLS as u64));
        }
        self.seen += 1;
        if self.seen > MAX_CELLS {
            return Err(too_large(what::CELLS, MAX_CELLS as u64));
        }
        if cell.is_empty() {
            return Ok(());
        }
        if let CellRef::Text(s) | CellRef::Error(s) = cell {
            super::check_cell_text(s, row, col)?;
            self.text = self.text.saturating_add(s.len() as u64);
            if self.text > limits::MAX_TEXT_BYTES {
                return Err(too_large(what::TEXT_BYTES, limits::MAX_TEXT_BYTES));
            }
        }
        let len = self.rows.row_len(row);
        if len <= col {
            self.slots += col + 1 - len;
            if self.slots > MAX_CELLS {
                return Err(too_large(what::CELLS, MAX_CELLS as u64));
            }
        }
        self.rows.set(row, col, cell)
    }

    fn finish(self) -> Rows {
        self.rows.finish()
    }
}

fn has_data(rows: &Rows) -> bool {
    rows.rows().any(|r| !r.is_blank())
}

/// How much a sheet looks like records: the non-empty cells in rows with at least three
/// non-empty cells; then all non-empty cells.
fn record_score(rows: &Rows) -> (usize, usize) {
    let mut score = 0;
    let mut all = 0;
    for r in rows.rows() {
        let n = r.iter().filter(|c| !c.is_empty()).count();
        all += n;
        if n >= 3 {
            score += n;
        }
    }
    (score, all)
}

/// A sheet as listed by the workbook.
struct SheetInfo {
    name: String,
    visible: bool,
}

/// Chooses and loads the sheet: the one asked for, else the one that looks most like
/// records (visible sheets preferred, the first on ties). A sheet that fails to load is
/// skipped when another has data; with no usable sheet the first error is returned.
fn choose_sheet(
    sheets: &[SheetInfo],
    opts: &IngestOptions,
    mut load: impl FnMut(&str) -> Result<Rows, EngineError>,
) -> Result<(String, Rows), EngineError> {
    let names = || sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    if let Some(want) = &opts.sheet {
        let found = sheets
            .iter()
            .find(|s| &s.name == want)
            .or_else(|| sheets.iter().find(|s| s.name.trim() == want.trim()))
            .ok_or_else(|| EngineError::NoSuchSheet {
                name: want.clone(),
                available: names(),
            })?;
        let rows = load(&found.name)?;
        if !has_data(&rows) {
            return Err(EngineError::NoData);
        }
        return Ok((found.name.clone(), rows));
    }
    if sheets.is_empty() {
        return Err(EngineError::NoData);
    }
    /// (has data, visible, record score, non-empty cells): larger is better.
    type Key = (bool, bool, usize, usize);
    let mut best: Option<(Key, usize, Rows)> = None;
    let mut first_err: Option<EngineError> = None;
    for (i, s) in sheets.iter().enumerate() {
        match load(&s.name) {
            Ok(rows) => {
                let (score, all) = record_score(&rows);
                let key = (all > 0, s.visible, score, all);
                if best.as_ref().is_none_or(|(k, _, _)| key > *k) {
                    best = Some((key, i, rows));
                }
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    match best {
        Some(((true, ..), i, rows)) => Ok((
            sheets.get(i).map(|s| s.name.clone()).unwrap_or_default(),
            rows,
        )),
        _ => Err(first_err.unwrap_or(EngineError::NoData)),
    }
}

fn table(
    format: Format,
    sheets: &[SheetInfo],
    chosen: (String, Rows),
    date_1904: bool,
) -> RawTable {
    RawTable {
        format,
        sheet: Some(chosen.0),
        sheets: sheets.iter().map(|s| s.name.clone()).collect(),
        encoding: None,
        date_1904,
        cells: chosen.1,
    }
}

// ---------------------------------------------------------------------------------------
// The four readers.

fn read_xlsx(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    let f = Format::Xlsx;
    let mut wb: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => EngineError::Encrypted,
        e => corrupt(f, e),
    })?;
    let sheets: Vec<SheetInfo> = infos(wb.sheets_metadata());
    let date_1904 = wb.has_1904_epoch();
    let chosen = choose_sheet(&sheets, opts, |name| {
        let mut reader = wb.worksheet_cells_reader(name).map_err(|e| corrupt(f, e))?;
        let mut ticker = RowTicker::new(reader.dimensions().end.0);
        let mut grid = Grid::default();
        while let Some(c) = reader.next_cell().map_err(|e| corrupt(f, e))? {
            let (r, col) = c.get_position();
            ticker.at(r);
            put_ref(&mut grid, r, col, c.get_value())?;
        }
        Ok(grid.finish())
    })?;
    Ok(table(f, &sheets, chosen, date_1904))
}

fn read_xlsb(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    let f = Format::Xlsb;
    let mut wb: Xlsb<Cursor<&[u8]>> = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsbError::Password => EngineError::Encrypted,
        e => corrupt(f, e),
    })?;
    let sheets: Vec<SheetInfo> = infos(wb.sheets_metadata());
    let date_1904 = wb.has_1904_epoch();
    let chosen = choose_sheet(&sheets, opts, |name| {
        let mut reader = wb.worksheet_cells_reader(name).map_err(|e| corrupt(f, e))?;
        let mut ticker = RowTicker::new(reader.dimensions().end.0);
        let mut grid = Grid::default();
        while let Some(c) = reader.next_cell().map_err(|e| corrupt(f, e))? {
            let (r, col) = c.get_position();
            ticker.at(r);
            put_ref(&mut grid, r, col, c.get_value())?;
        }
        Ok(grid.finish())
    })?;
    Ok(table(f, &sheets, chosen, date_1904))
}

/// Rows of a dense calamine range placed at its absolute position.
fn range_rows(range: &calamine::Range<Data>) -> Result<Rows, EngineError> {
    let mut grid = Grid::default();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, v) in range.used_cells() {
        let row = u32::try_from(r).unwrap_or(u32::MAX).saturating_add(r0);
        let col = u32::try_from(c).unwrap_or(u32::MAX).saturating_add(c0);
        grid.put(row, col, convert(v).view())?;
    }
    Ok(grid.finish())
}

fn read_xls(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    let f = Format::Xls;
    let mut wb: Xls<Cursor<&[u8]>> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => EngineError::Encrypted,
        e => corrupt(f, e),
    })?;
    let sheets: Vec<SheetInfo> = infos(wb.sheets_metadata());
    let date_1904 = wb.has_1904_epoch();
    let chosen = choose_sheet(&sheets, opts, |name| {
        let range = wb.worksheet_range(name).map_err(|e| corrupt(f, e))?;
        range_rows(&range)
    })?;
    Ok(table(f, &sheets, chosen, date_1904))
}

fn read_ods(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    let f = Format::Ods;
    let mut wb: Ods<Cursor<&[u8]>> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => EngineError::Encrypted,
        e => corrupt(f, e),
    })?;
    let sheets: Vec<SheetInfo> = infos(wb.sheets_metadata());
    let chosen = choose_sheet(&sheets, opts, |name| {
        let range = wb.worksheet_range(name).map_err(|e| corrupt(f, e))?;
        range_rows(&range)
    })?;
    Ok(table(f, &sheets, chosen, false))
}

fn infos(meta: &[calamine::Sheet]) -> Vec<SheetInfo> {
    meta.iter()
        .map(|s| SheetInfo {
            name: s.name.clone(),
            visible: s.visible == SheetVisible::Visible,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn date_conversion_both_epochs() {
        let d = |v, is_1904| {
            excel_datetime(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904))
        };
        let ymd = |y, m, dd| {
            Cell::DateTime(
                NaiveDate::from_ymd_opt(y, m, dd)
                    .unwrap()
                    .and_time(chrono::NaiveTime::MIN),
            )
        };
        assert_eq!(d(45356.0, false), ymd(2024, 3, 5));
        assert_eq!(d(45356.0 - 1462.0, true), ymd(2024, 3, 5));
        assert_eq!(d(0.0, true), ymd(1904, 1, 1));
        assert_eq!(d(1.0, false), ymd(1900, 1, 1));
        // Out of range: stays a number instead of panicking.
        assert_eq!(d(-1e300, false), Cell::Number(-1e300));
        assert!(matches!(d(f64::NAN, false), Cell::Number(n) if n.is_nan()));
        let dur = excel_datetime(&ExcelDateTime::new(
            1.5,
            ExcelDateTimeType::TimeDelta,
            false,
        ));
        assert_eq!(dur, Cell::Text("36:00:00".into()));
    }

    #[test]
    fn grid_guards() {
        let mut g = Grid::default();
        assert!(matches!(
            g.put(1_048_576, 0, CellRef::Number(1.0)),
            Err(EngineError::TooLarge { .. })
        ));
        assert!(matches!(
            g.put(0, 16_384, CellRef::Number(1.0)),
            Err(EngineError::TooLarge { .. })
        ));
        g.put(2, 1, CellRef::Number(1.0)).unwrap();
        g.put(5, 0, CellRef::Empty).unwrap();
        let rows = g.finish().to_rows();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], vec![Cell::Empty, Cell::Number(1.0)]);
    }
}
