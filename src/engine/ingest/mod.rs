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

mod csv;
mod html;
mod sniff;
mod text;
mod workbook;

pub use sniff::{sniff, Sniffed};
pub use workbook::{
    MAX_PART_BYTES, MAX_RATIO, MAX_SHARED_STRINGS, MAX_TOTAL_BYTES, RATIO_CHECK_BYTES,
};

use crate::engine::error::EngineError;
use crate::engine::table::RawTable;
use serde::{Deserialize, Serialize};

/// Most rows a sheet may have (Excel's limit); a cell beyond it is rejected as `TooLarge`.
pub const MAX_ROWS: usize = 1_048_576;
/// Most columns a sheet may have (Excel's limit, XFD).
pub const MAX_COLS: usize = 16_384;
/// Most cells read from one sheet or text file.
pub const MAX_CELLS: usize = 50_000_000;

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

/// Reads a whole file into a [`RawTable`].
///
/// The format is sniffed from the bytes; workbooks get the sheet `opts.sheet` or the one
/// that looks most like records; text gets `opts.encoding` (or detection). Errors:
/// `EmptyFile`, `UnknownFormat`, `Encrypted`, `Corrupt`, `NoSuchSheet`, `NoData`,
/// `BadEncoding`, `TooLarge`, `Internal` (a reader panicked).
pub fn read_table(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    match sniff::sniff(bytes)? {
        Sniffed::Workbook(format) => workbook::read(bytes, format, opts),
        Sniffed::Html => html::read(bytes, opts),
        Sniffed::Text => self::csv::read(bytes, opts),
    }
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

/// A short single-line version of a library message for error details.
pub(crate) fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}
