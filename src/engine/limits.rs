//! Every size limit applied to an input, in one place.
//!
//! The limits are checked before the bytes reach a parser that could be made to allocate
//! or loop without bound (calamine, the zip and csv crates), or, for what only a parser
//! can see, as the cells arrive. Each rejection is an [`EngineError`] naming the limit with
//! one of the `what` keys below, which [`EngineError::message`] renders in both languages.
//!
//! [`EngineError`]: crate::engine::EngineError
//! [`EngineError::message`]: crate::engine::EngineError::message

/// Largest input accepted at all (bytes).
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Most entries in a zip container (xlsx, xlsb, ods). Real workbooks have tens to hundreds.
pub const MAX_ZIP_ENTRIES: u64 = 10_000;
/// Largest uncompressed size of one zip part (bytes). Declared in the central directory;
/// the zip crate (v9) stops any read at the declared size with an error, so the declared
/// size bounds the real one (see `tests/hostile.rs`, `zip_reader_stops_at_declared_size`).
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// Largest uncompressed size of all zip parts together (bytes).
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
/// Largest compression ratio (uncompressed : compressed) of a part above the grace size.
pub const MAX_RATIO: u64 = 100;
/// The ratio grace: parts up to this size (uncompressed) may be compressed arbitrarily well.
pub const RATIO_CHECK_BYTES: u64 = 1 << 20;
/// Largest shared-string count accepted in `<sst uniqueCount>` (calamine reserves it).
pub const MAX_SHARED_STRINGS: u64 = 20_000_000;

/// Most rows in a sheet (Excel's limit); a cell beyond it rejects the file.
pub const MAX_ROWS: usize = 1_048_576;
/// Most columns in a sheet (Excel's limit, XFD); also the most fields in a CSV record.
pub const MAX_COLS: usize = 16_384;
/// Most cells read from one sheet or text file.
pub const MAX_CELLS: usize = 50_000_000;
/// Longest cell text (characters, Excel's limit). A longer cell rejects the file with its
/// row and column.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Most text kept from one file, all cells together (bytes). Bounds the amplification of
/// shared strings (one long string referenced by a million cells).
pub const MAX_TEXT_BYTES: u64 = 512 << 20;
/// Largest dense cell area calamine may build for xls and ods sheets (all sheets
/// together): those readers materialise every cell of the used rectangle (32 bytes each,
/// and `worksheet_range` returns a copy), so this is about 270 MB at most. 65,536 rows ×
/// 64 columns; a full BIFF8 sheet (IV65536) would be four times as much.
pub const MAX_DENSE_CELLS: u64 = 65_536 * 64;

/// Longest CSV/TSV record (bytes; usually one line, more when a quoted field spans lines).
pub const MAX_LINE_BYTES: usize = 10 << 20;

/// Deepest nesting of HTML tables.
pub const MAX_HTML_DEPTH: usize = 64;
/// Most HTML tables in one page.
pub const MAX_HTML_TABLES: usize = 10_000;

/// The `what` keys of [`crate::engine::EngineError::TooLarge`] and `TooLargeAt`.
pub mod what {
    pub const INPUT_BYTES: &str = "input size (bytes)";
    pub const ZIP_ENTRIES: &str = "zip entries";
    pub const PART_BYTES: &str = "uncompressed part size (bytes)";
    pub const TOTAL_BYTES: &str = "uncompressed size (bytes)";
    pub const RATIO: &str = "compression ratio";
    pub const SHARED_STRINGS: &str = "shared strings";
    pub const ROWS: &str = "rows";
    pub const COLUMNS: &str = "columns";
    pub const CELLS: &str = "cells";
    pub const CELL_CHARS: &str = "cell text (characters)";
    pub const TEXT_BYTES: &str = "text (bytes)";
    pub const DENSE_CELLS: &str = "dense cells";
    pub const LINE_BYTES: &str = "line length (bytes)";
    pub const HTML_DEPTH: &str = "html nesting";
    pub const HTML_TABLES: &str = "html tables";
}
