//! Ingest: bytes in, a [`RawTable`] out. The format is sniffed from the bytes, never from
//! the file name.

use crate::engine::error::EngineError;
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

/// Reads a whole file into a [`RawTable`].
pub fn read_table(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    let _ = (bytes, opts);
    Err(EngineError::Internal {
        detail: "ingest not implemented".into(),
    })
}
