//! Ingest: bytes in, a [`RawTable`] out. The format is sniffed from the bytes, never from
//! the file name.
//!
//! - [`sniff`]: the format from magic bytes (zip entries, OLE2 directory, HTML markers,
//!   known binary formats), never from the file name.
//! - `text`: encoding detection and decoding for CSV/TSV/HTML.
//! - `csv`: delimiter sniffing and CSV/TSV parsing (every value stays text).
//! - `html`: HTML tables saved as `.xls`.
//! - `workbook`: xlsx/xlsm/xlsb/xls/ods through calamine, with size guards and panics
//!   turned into errors.
//! - `zipguard`: zip containers checked before calamine sees them (entry count, declared
//!   sizes, ratio, total, shared-string count, ods repeat expansion).
//! - `ole2`: xls (OLE2/BIFF) checked before calamine sees it (sector chains, dense
//!   areas, shared-string amplification).
//! - `xmlscan`: the small XML tag scanner the guards use.
//!
//! Every limit lives in [`crate::engine::limits`].

mod csv;
mod html;
mod ole2;
pub mod progress;
mod sniff;
mod text;
mod workbook;
mod xmlscan;
mod zipguard;

pub use crate::engine::limits::{
    MAX_CELLS, MAX_COLS, MAX_PART_BYTES, MAX_RATIO, MAX_ROWS, MAX_SHARED_STRINGS, MAX_TOTAL_BYTES,
    RATIO_CHECK_BYTES,
};
pub use sniff::{sniff, Sniffed};

use crate::engine::error::EngineError;
use crate::engine::limits;
use crate::engine::table::RawTable;
use serde::{Deserialize, Serialize};

/// Which text encoding to use for CSV/TSV/HTML input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncodingChoice {
    /// Detect: BOMs, then UTF-8, else GB18030.
    #[default]
    Auto,
    Utf8,
    Gb18030,
    Utf16,
}

/// How to read a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestOptions {
    /// Sheet to read; `None` picks the sheet that looks most like records.
    pub sheet: Option<String>,
    /// Text encoding for CSV/TSV/HTML.
    pub encoding: EncodingChoice,
}

/// The first check on any input: it has bytes, and no more than
/// [`limits::MAX_INPUT_BYTES`]. The worker runs it on the file's size before reading it.
pub fn check_input_size(len: u64) -> Result<(), EngineError> {
    if len == 0 {
        return Err(EngineError::EmptyFile);
    }
    if len > limits::MAX_INPUT_BYTES {
        return Err(too_large(
            limits::what::INPUT_BYTES,
            limits::MAX_INPUT_BYTES,
        ));
    }
    Ok(())
}

/// Reads a whole file into a [`RawTable`].
///
/// The format is sniffed from the bytes; workbooks get the sheet `opts.sheet` or the one
/// that looks most like records; text gets `opts.encoding` (or detection). Errors:
/// `EmptyFile`, `UnknownFormat`, `Encrypted`, `Corrupt`, `NoSuchSheet`, `NoData`,
/// `BadEncoding`, `TooLarge`, `TooLargeAt`, `Internal` (a reader panicked).
pub fn read_table(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    match sniff::sniff(bytes)? {
        Sniffed::Workbook(format) => workbook::read(bytes, format, opts),
        Sniffed::Html => html::read(bytes, opts),
        Sniffed::Text => self::csv::read(bytes, opts),
    }
}

/// Reads bytes as CSV/TSV whatever they look like (for a user's "open as text anyway",
/// and for fuzzing the text path with every encoding).
pub fn read_csv(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    check_input_size(bytes.len() as u64)?;
    self::csv::read(bytes, opts)
}

/// Reads bytes as an HTML page whatever they look like (see [`read_csv`]).
pub fn read_html(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    check_input_size(bytes.len() as u64)?;
    html::read(bytes, opts)
}

/// The format [`read_table`] would use, without reading the data: `Csv` for any text
/// (TSV is only known after delimiter sniffing).
pub fn detect_format(bytes: &[u8]) -> Result<crate::engine::table::Format, EngineError> {
    use crate::engine::table::Format;
    Ok(match sniff::sniff(bytes)? {
        Sniffed::Workbook(f) => f,
        Sniffed::Html => Format::Html,
        Sniffed::Text => Format::Csv,
    })
}

/// `TooLarge` for a limit key of [`limits::what`].
pub(crate) fn too_large(what: &str, limit: u64) -> EngineError {
    EngineError::TooLarge {
        what: what.to_string(),
        limit,
    }
}

/// `TooLargeAt` for a 0-based row and column.
pub(crate) fn too_large_at(what: &str, limit: u64, row: usize, col: Option<usize>) -> EngineError {
    EngineError::TooLargeAt {
        what: what.to_string(),
        limit,
        row: row.saturating_add(1),
        column: col.map(|c| c.saturating_add(1)),
    }
}

/// Checks a cell's text against [`limits::MAX_CELL_CHARS`] (0-based row and column).
pub(crate) fn check_cell_text(s: &str, row: usize, col: usize) -> Result<(), EngineError> {
    // Bytes bound characters from above: count only when it could matter.
    if s.len() > limits::MAX_CELL_CHARS && s.chars().count() > limits::MAX_CELL_CHARS {
        return Err(too_large_at(
            limits::what::CELL_CHARS,
            limits::MAX_CELL_CHARS as u64,
            row,
            Some(col),
        ));
    }
    Ok(())
}

/// A short single-line version of a library message for error details.
pub(crate) fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}
