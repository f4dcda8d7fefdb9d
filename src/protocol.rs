//! Messages between the page and the parsing worker.
//!
//! Every message is a plain JS object `{ msg, file?, bytes? }`:
//!
//! - `msg`: a JSON string, a [`Request`] (page → worker) or a [`Reply`] (worker → page);
//! - `file`: the `File` the user chose, posted as a handle (not copied) with
//!   [`ToWorker::LoadFile`]; the worker reads it with `FileReaderSync`;
//! - `bytes`: a `Uint8Array` (transferred) with [`FromWorker::Xlsx`].
//!
//! Only serde types live here, so the protocol compiles and is tested natively.
//!
//! ```
//! use dealerlens::protocol::{Request, ToWorker};
//! use dealerlens::engine::Lang;
//! let body = ToWorker::LoadDemo { lang: Lang::Zh, first: Default::default() };
//! let json = Request { job: 1, body }.to_json();
//! assert_eq!(Request::from_json(&json).unwrap().job, 1);
//! ```

pub mod columns;

use crate::engine::export::Sheet;
use crate::engine::history::CustomerHistory;
use crate::engine::{
    AnalyzeOptions, EngineError, Lang, LoadOptions, Mapping, Preview, Report, Role,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped whenever a message changes shape; the worker announces it in [`FromWorker::Ready`]
/// so that a page never talks to a stale cached worker.
pub const PROTOCOL_VERSION: u32 = 4;

/// Name of the JSON field of the JS envelope.
pub const FIELD_MSG: &str = "msg";
/// Name of the `File` field of the JS envelope.
pub const FIELD_FILE: &str = "file";
/// Name of the `Uint8Array` field of the JS envelope.
pub const FIELD_BYTES: &str = "bytes";

/// Rows of the file shown on the mapping screen.
pub const PREVIEW_ROWS: usize = 8;

/// A request from the page; `job` is echoed in every reply to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Identifies the request; replies to an older job are ignored by the page.
    pub job: u32,
    /// What to do.
    pub body: ToWorker,
}

/// What the page asks the worker to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWorker {
    /// Read the `File` posted alongside; analyse at once when every required role is mapped.
    LoadFile {
        /// Sheet, encoding and header row.
        options: LoadOptions,
        /// How to analyse and the saved mapping to try.
        #[serde(default)]
        first: FirstAnalysis,
    },
    /// Load the generated demo export; analyse at once.
    LoadDemo {
        /// Language of the demo's headers and values.
        lang: Lang,
        /// How to analyse and the saved mapping to try.
        #[serde(default)]
        first: FirstAnalysis,
    },
    /// Read the kept input again with other options (sheet, encoding, header row) and
    /// answer with a preview for the mapping screen.
    Reload {
        /// Sheet, encoding and header row.
        options: LoadOptions,
    },
    /// Analyse the kept input with this mapping, without reading the file again.
    Remap {
        /// The columns chosen on the mapping screen.
        mapping: Mapping,
        /// Reference date, rules and the like (boxed: it is large).
        options: Box<AnalyzeOptions>,
    },
    /// Build the demo export as an xlsx file.
    DemoXlsx {
        /// Language of the demo's headers and values.
        lang: Lang,
    },
    /// Write a table (a call list, a segment's customers) as an xlsx file.
    SheetXlsx {
        /// Suggested file name.
        file_name: String,
        /// The table.
        sheet: Sheet,
    },
    /// The rows of one customer of the last analysis.
    History {
        /// Customer key.
        id: String,
    },
}

/// How a newly loaded input is analysed: the saved setup's rules, and its mapping when the
/// input has every header it names (else the detected mapping).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FirstAnalysis {
    /// Reference date, rules and the like (boxed: it is large).
    pub options: Box<AnalyzeOptions>,
    /// role → header text of the saved mapping (empty: none).
    pub mapping_by_header: BTreeMap<Role, String>,
}

/// A reply from the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The job this answers (0 for [`FromWorker::Ready`]).
    pub job: u32,
    /// The answer.
    pub body: FromWorker,
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker has started and listens.
    Ready {
        /// The worker's [`PROTOCOL_VERSION`].
        protocol: u32,
    },
    /// Work in progress.
    Progress {
        /// Which step.
        stage: Stage,
        /// Units done: bytes for reading; rows of the sheet (or bytes of a text) for parsing;
        /// 0 or 1 for analysing.
        done: u64,
        /// Units in total (0 when unknown).
        total: u64,
    },
    /// Required roles are missing (or the page asked for a preview): show the mapping screen.
    NeedsMapping {
        /// Headers, sample rows and the detected mapping.
        preview: Preview,
    },
    /// The analysis, with the preview the mapping screen needs to change it.
    Report {
        /// The result, with its customer lines in `customers` and its call lists in `lists`
        /// instead (its own are empty).
        report: Box<Report>,
        /// The Report's customer lines as columns (see [`columns`]).
        customers: Box<columns::CustomerColumns>,
        /// The Report's call lists as columns.
        lists: Box<columns::ListColumns>,
        /// The preview of the input, with the mapping used.
        preview: Preview,
    },
    /// The input was rejected.
    Error {
        /// Why.
        error: EngineError,
    },
    /// An xlsx file (the demo, or a table) is in the envelope's `bytes`.
    Xlsx {
        /// Suggested file name.
        file_name: String,
    },
    /// A customer's history (None: no such customer in the last analysis).
    History {
        /// The customer key asked for.
        id: String,
        /// The rows.
        history: Option<Box<CustomerHistory>>,
    },
}

/// A step of loading a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading the file's bytes.
    Reading,
    /// Parsing the spreadsheet and detecting the columns.
    Parsing,
    /// Building the report.
    Analysing,
}

impl Request {
    /// The request as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a request.
    pub fn from_json(s: &str) -> Result<Request, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }
}

impl Reply {
    /// The reply as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a reply.
    pub fn from_json(s: &str) -> Result<Reply, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_round_trips() {
        let r = Request {
            job: 7,
            body: ToWorker::Remap {
                mapping: Mapping::default(),
                options: Box::default(),
            },
        };
        assert_eq!(Request::from_json(&r.to_json()), Ok(r));
    }

    #[test]
    fn reply_is_tagged_by_type() {
        let r = Reply {
            job: 3,
            body: FromWorker::Progress {
                stage: Stage::Parsing,
                done: 1,
                total: 2,
            },
        };
        let json = r.to_json();
        assert!(json.contains(r#""type":"progress""#), "{json}");
        assert!(json.contains(r#""stage":"parsing""#), "{json}");
        assert_eq!(Reply::from_json(&json), Ok(r));
    }

    #[test]
    fn error_reply_round_trips() {
        let r = Reply {
            job: 1,
            body: FromWorker::Error {
                error: EngineError::UnknownFormat {
                    detected: "pdf".into(),
                },
            },
        };
        assert_eq!(Reply::from_json(&r.to_json()), Ok(r));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(Reply::from_json("{").is_err());
        assert!(Request::from_json("null").is_err());
    }
}
