//! Zip containers (xlsx, xlsm, xlsb, ods) checked before calamine sees them; calamine has
//! no inflate limit and trusts the counts a file announces.
//!
//! - [`precheck`]: the entry count from the end-of-central-directory record, before the
//!   zip crate builds its index.
//! - [`check`]: every entry's declared size, the compression ratio beyond a grace size, the
//!   total, encryption; xlsx `uniqueCount`; ods repeat expansion (see [`ods_guard`]).
//!
//! Actual inflated sizes: the zip crate (v9) fails any read that goes past the declared
//! uncompressed size ("File is larger than its declared uncompressed size"), so declared
//! sizes bound what calamine can inflate. `tests/hostile.rs` checks this.

use super::xmlscan::{self, Token};
use super::{too_large, too_large_at};
use crate::engine::error::EngineError;
use crate::engine::limits::{self, what};
use crate::engine::table::Format;
use std::io::{Cursor, Read};

fn corrupt(format: &str, detail: impl std::fmt::Display) -> EngineError {
    EngineError::Corrupt {
        format: format.to_string(),
        detail: super::short(&detail.to_string()),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u64::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

/// The entry count the end-of-central-directory record announces (zip64 aware), if one
/// can be found.
fn declared_entries(b: &[u8]) -> Option<u64> {
    // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
    let from = b.len().saturating_sub(22 + 65_535);
    let tail = &b[from..];
    let pos = tail.windows(4).rposition(|w| w == b"PK\x05\x06")? + from;
    let entries = u16_at(b, pos + 10)?;
    if entries != 0xFFFF {
        return Some(entries);
    }
    // Zip64: the locator sits just before the record and points at the zip64 record.
    let loc = pos.checked_sub(20)?;
    if b.get(loc..loc + 4)? != b"PK\x06\x07" {
        return Some(entries);
    }
    let rec = usize::try_from(u64_at(b, loc + 8)?).ok()?;
    if b.get(rec..rec.checked_add(4)?)? != b"PK\x06\x06" {
        return Some(entries);
    }
    u64_at(b, rec + 32)
}

/// Rejects a zip announcing more than [`limits::MAX_ZIP_ENTRIES`] entries before the zip
/// crate reads its central directory.
pub(crate) fn precheck(bytes: &[u8]) -> Result<(), EngineError> {
    if declared_entries(bytes).is_some_and(|n| n > limits::MAX_ZIP_ENTRIES) {
        return Err(too_large(what::ZIP_ENTRIES, limits::MAX_ZIP_ENTRIES));
    }
    Ok(())
}

/// Checks the zip entries of a workbook of the given (sniffed) format before calamine
/// opens it.
pub(crate) fn check(bytes: &[u8], format: Format) -> Result<(), EngineError> {
    let name = format.name();
    precheck(bytes)?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(name, e))?;
    if zip.len() as u64 > limits::MAX_ZIP_ENTRIES {
        return Err(too_large(what::ZIP_ENTRIES, limits::MAX_ZIP_ENTRIES));
    }
    let mut total: u64 = 0;
    let mut sst: Vec<(usize, u64)> = Vec::new();
    let mut content: Option<(usize, u64)> = None;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| corrupt(name, e))?;
        let size = f.size();
        if size > limits::MAX_PART_BYTES {
            return Err(too_large(what::PART_BYTES, limits::MAX_PART_BYTES));
        }
        total = total.saturating_add(size);
        if total > limits::MAX_TOTAL_BYTES {
            return Err(too_large(what::TOTAL_BYTES, limits::MAX_TOTAL_BYTES));
        }
        if size > limits::RATIO_CHECK_BYTES && size / f.compressed_size().max(1) > limits::MAX_RATIO
        {
            return Err(too_large(what::RATIO, limits::MAX_RATIO));
        }
        if f.encrypted() {
            return Err(EngineError::Encrypted);
        }
        let lower = f.name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        match format {
            Format::Xlsx if lower.ends_with("sharedstrings.xml") => sst.push((i, size)),
            Format::Ods if lower == "content.xml" => content = Some((i, size)),
            _ => {}
        }
    }
    for (i, size) in sst {
        sst_guard(&mut zip, i, size, name)?;
    }
    if let Some((i, size)) = content {
        let f = zip.by_index(i).map_err(|e| corrupt(name, e))?;
        let mut xml = Vec::new();
        // Bounded by the declared size (checked above); a read error is left to calamine.
        if f.take(size).read_to_end(&mut xml).is_ok() {
            ods_guard(&xml)?;
        }
    }
    Ok(())
}

/// How far into `sharedStrings.xml` the `<sst>` start tag must be.
const SST_HEAD_BYTES: u64 = 64 * 1024;

/// calamine reserves `<sst uniqueCount>` strings up front: a count of 4294967295 aborts the
/// process. The first element must be `<sst>` (any prefix) within [`SST_HEAD_BYTES`]; its
/// `uniqueCount` must be at most [`limits::MAX_SHARED_STRINGS`] and fit the part (`<si/>`,
/// five bytes, is the shortest entry).
fn sst_guard(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
    size: u64,
    name: &str,
) -> Result<(), EngineError> {
    let f = zip.by_index(i).map_err(|e| corrupt(name, e))?;
    let mut head = Vec::new();
    if f.take(SST_HEAD_BYTES).read_to_end(&mut head).is_err() {
        // An unreadable part is left to calamine to report.
        return Ok(());
    }
    for tok in xmlscan::Scanner::new(&head) {
        if let Token::Start {
            name: tag, attrs, ..
        } = tok
        {
            if xmlscan::local_name(tag) != b"sst" {
                // calamine looks for `sst` past other elements too; a real part starts
                // with it.
                continue;
            }
            let n = xmlscan::attributes(attrs)
                .filter(|(k, _)| xmlscan::local_name(k) == b"uniqueCount")
                .filter_map(|(_, v)| xmlscan::count(v))
                .max();
            if let Some(n) = n {
                if n > limits::MAX_SHARED_STRINGS {
                    return Err(too_large(what::SHARED_STRINGS, limits::MAX_SHARED_STRINGS));
                }
                if n > size / 5 + 1 {
                    return Err(corrupt(
                        name,
                        format!("sharedStrings announces {n} strings in {size} bytes"),
                    ));
                }
            }
            return Ok(());
        }
    }
    if size > SST_HEAD_BYTES {
        return Err(corrupt(
            name,
            "sharedStrings.xml does not start with an <sst> element",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// ods

/// An ods cell being scanned.
#[derive(Default)]
struct OdsCell {
    repeats: u64,
    /// A value, a formula or a string content makes the cell non-empty for calamine.
    nonempty: bool,
    /// calamine reads the element's content as the value (string type, no string-value).
    reads_content: bool,
    /// Characters of the value calamine builds.
    chars: u64,
    /// Bytes of the value and formula calamine builds (an upper bound).
    bytes: u64,
    paragraphs: u64,
    /// Depth of `office:annotation` (its content is skipped).
    annotation: usize,
}

/// A table being scanned.
#[derive(Default)]
struct OdsTable {
    /// Rows so far (repeats included, capped like calamine at [`limits::MAX_ROWS`]).
    rows: u64,
    /// Rows from the first non-empty row to the last one so far (repeats included).
    dense_rows: u64,
    /// Empty rows since the last non-empty one.
    pending_rows: u64,
    any_nonempty: bool,
    /// Columns up to the last non-empty cell of the widest row.
    width: u64,
    any_formula: bool,
}

/// calamine's ods reader expands `number-rows-repeated` / `number-columns-repeated` into a
/// dense range, clones each value into every repeat and expands `<text:s text:c>` into
/// spaces: a few hundred bytes can ask for terabytes. This mirrors its rules (empty rows
/// and cells before the last non-empty one count, trailing ones do not) and bounds:
/// - the dense area of all tables by [`limits::MAX_DENSE_CELLS`],
/// - the text of all cloned values by [`limits::MAX_TEXT_BYTES`],
/// - each cell's text by [`limits::MAX_CELL_CHARS`] (rejected with its row and column).
pub(crate) fn ods_guard(xml: &[u8]) -> Result<(), EngineError> {
    const ROWS: u64 = limits::MAX_ROWS as u64;
    let mut dense: u64 = 0;
    let mut text: u64 = 0;
    let mut table: Option<OdsTable> = None;
    // Row: (capped repeats, columns pushed, pending empty columns, first/last non-empty
    // column, text bytes of one copy of the row).
    let mut row: Option<(u64, u64, u64, Option<u64>, u64, u64)> = None;
    let mut cell: Option<OdsCell> = None;

    let finish_table = |t: OdsTable, dense: &mut u64| -> Result<(), EngineError> {
        let area = t.dense_rows.saturating_mul(t.width);
        let area = if t.any_formula {
            area.saturating_mul(2)
        } else {
            area
        };
        *dense = dense.saturating_add(area);
        if *dense > limits::MAX_DENSE_CELLS {
            return Err(too_large(what::DENSE_CELLS, limits::MAX_DENSE_CELLS));
        }
        Ok(())
    };

    for tok in xmlscan::Scanner::new(xml) {
        match tok {
            Token::Start { name, attrs, empty } => {
                if let Some(c) = cell.as_mut() {
                    // Inside a cell: content elements.
                    if name == b"office:annotation" {
                        if !empty {
                            c.annotation += 1;
                        }
                    } else if c.annotation == 0 && c.reads_content {
                        let add = match name {
                            b"text:s" => xmlscan::attr(attrs, b"text:c")
                                .map_or(Some(1), xmlscan::count)
                                .unwrap_or(0),
                            b"text:tab" | b"text:line-break" => 1,
                            b"text:p" => {
                                c.paragraphs += 1;
                                u64::from(c.paragraphs > 1)
                            }
                            _ => 0,
                        };
                        c.chars = c.chars.saturating_add(add);
                        c.bytes = c.bytes.saturating_add(add);
                    }
                    continue;
                }
                match name {
                    b"table:table" if !empty => {
                        if let Some(t) = table.take() {
                            finish_table(t, &mut dense)?;
                        }
                        table = Some(OdsTable::default());
                    }
                    b"table:table-row" => {
                        let Some(t) = table.as_mut() else { continue };
                        let repeats = xmlscan::attr(attrs, b"table:number-rows-repeated")
                            .map_or(Some(1), xmlscan::count)
                            .unwrap_or(1);
                        let capped = repeats.min(ROWS.saturating_sub(t.rows));
                        let r = (capped, 0, 0, None, 0, 0);
                        if empty {
                            // calamine expands empty elements: an empty row.
                            close_row(t, r);
                        } else {
                            row = Some(r);
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" if row.is_some() => {
                        let mut c = OdsCell {
                            repeats: xmlscan::attr(attrs, b"table:number-columns-repeated")
                                .map_or(Some(1), xmlscan::count)
                                .unwrap_or(1),
                            ..OdsCell::default()
                        };
                        let mut value_set = false;
                        let mut is_string = false;
                        for (k, v) in xmlscan::attributes(attrs) {
                            match k {
                                b"office:value" | b"office:boolean-value" if !value_set => {
                                    value_set = true;
                                    c.nonempty = true;
                                }
                                b"office:string-value"
                                | b"office:date-value"
                                | b"office:time-value"
                                    if !value_set =>
                                {
                                    value_set = true;
                                    c.nonempty = true;
                                    c.chars = xmlscan::text_chars(v);
                                    c.bytes = v.len() as u64;
                                }
                                b"office:value-type" if !value_set => {
                                    is_string = v == b"string";
                                }
                                b"calcext:value-type" if v == b"error" => is_string = true,
                                b"table:formula" => {
                                    c.nonempty = true;
                                    c.bytes = c.bytes.saturating_add(v.len() as u64);
                                    if let Some(t) = table.as_mut() {
                                        t.any_formula = true;
                                    }
                                }
                                _ => {}
                            }
                        }
                        if is_string && !value_set {
                            c.nonempty = true;
                            c.reads_content = !empty;
                        }
                        if empty {
                            close_cell(c, &mut row, &table)?;
                        } else {
                            cell = Some(c);
                        }
                    }
                    _ => {}
                }
            }
            Token::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    if c.annotation == 0 && c.reads_content {
                        c.chars = c.chars.saturating_add(xmlscan::text_chars(t));
                        c.bytes = c.bytes.saturating_add(t.len() as u64);
                    }
                }
            }
            Token::End { name } => {
                if let Some(c) = cell.as_mut() {
                    if name == b"office:annotation" {
                        c.annotation = c.annotation.saturating_sub(1);
                        continue;
                    }
                    if name != b"table:table-cell" && name != b"table:covered-table-cell" {
                        continue;
                    }
                    if let Some(c) = cell.take() {
                        close_cell(c, &mut row, &table)?;
                    }
                    continue;
                }
                match name {
                    b"table:table-row" => {
                        if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                            let copies = r.0.saturating_add(1);
                            text = text.saturating_add(r.5.saturating_mul(copies));
                            if text > limits::MAX_TEXT_BYTES {
                                return Err(too_large(what::TEXT_BYTES, limits::MAX_TEXT_BYTES));
                            }
                            close_row(t, r);
                        }
                    }
                    b"table:table" => {
                        row = None;
                        if let Some(t) = table.take() {
                            finish_table(t, &mut dense)?;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(t) = table.take() {
        finish_table(t, &mut dense)?;
    }
    Ok(())
}

type OdsRow = (u64, u64, u64, Option<u64>, u64, u64);

/// Adds a finished row to its table: its repeats count toward the dense rows when it has a
/// non-empty cell (and the empty rows since the previous non-empty one with it).
fn close_row(t: &mut OdsTable, r: OdsRow) {
    let (repeats, _, _, first, last_end, _) = r;
    t.rows = t.rows.saturating_add(repeats);
    if first.is_some() {
        if t.any_nonempty {
            t.dense_rows = t.dense_rows.saturating_add(t.pending_rows);
        }
        t.dense_rows = t.dense_rows.saturating_add(repeats);
        t.pending_rows = 0;
        t.any_nonempty = true;
        t.width = t.width.max(last_end);
    } else {
        t.pending_rows = t.pending_rows.saturating_add(repeats);
    }
}

/// Adds a finished cell to its row the way calamine's `read_row` pushes cells.
fn close_cell(
    c: OdsCell,
    row: &mut Option<OdsRow>,
    table: &Option<OdsTable>,
) -> Result<(), EngineError> {
    const COLS: u64 = limits::MAX_COLS as u64;
    let Some(r) = row.as_mut() else {
        return Ok(());
    };
    let (_, cols, pending, first, last_end, bytes) = r;
    // The previous run of empty cells is pushed before this cell.
    *cols += (*pending).min(COLS - *cols);
    *pending = 0;
    let k = c.repeats.min(COLS - *cols);
    if !c.nonempty {
        *pending = k;
        return Ok(());
    }
    if c.chars > limits::MAX_CELL_CHARS as u64 {
        let row_index = table.as_ref().map_or(0, |t| t.rows);
        return Err(too_large_at(
            what::CELL_CHARS,
            limits::MAX_CELL_CHARS as u64,
            usize::try_from(row_index).unwrap_or(usize::MAX),
            Some(usize::try_from(*cols).unwrap_or(usize::MAX)),
        ));
    }
    if k > 0 {
        first.get_or_insert(*cols);
        *cols += k;
        *last_end = *cols;
        *bytes = bytes.saturating_add(k.saturating_mul(c.bytes));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(rows: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0"?><office:document-content><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
        .into_bytes()
    }

    #[test]
    fn trailing_empty_repeats_are_free() {
        let xml = wrap(
            r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        );
        assert_eq!(ods_guard(&xml), Ok(()));
    }

    #[test]
    fn repeated_values_are_bounded() {
        let bomb = wrap(
            r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        assert!(matches!(
            ods_guard(&bomb),
            Err(EngineError::TooLarge { what, .. }) if what == what::DENSE_CELLS
        ));
        let spaces = wrap(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row>"#,
        );
        assert!(matches!(
            ods_guard(&spaces),
            Err(EngineError::TooLargeAt {
                row: 1,
                column: Some(1),
                ..
            })
        ));
        let long = "x".repeat(30_000);
        let clones = wrap(&format!(
            r#"<table:table-row table:number-rows-repeated="100"><table:table-cell table:number-columns-repeated="500" office:value-type="string"><text:p>{long}</text:p></table:table-cell></table:table-row>"#
        ));
        assert!(matches!(
            ods_guard(&clones),
            Err(EngineError::TooLarge { what, .. }) if what == what::TEXT_BYTES
        ));
    }
}
