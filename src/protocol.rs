//! Messages between the page and the parsing worker.
//!
//! Every message is a plain JS object `{ msg, file?, bytes? }`:
//!
//! - `msg`: a `Uint8Array`, a [`Request`] (page → worker) or a [`Reply`] (worker → page) in
//!   postcard's compact binary form ([`Reply::encode`], [`Reply::decode`]). Read as JSON, the
//!   Report's dozens of structs took about a fifth of the page's wasm (a field-name matcher
//!   and a text parser per struct); postcard reads the fields in order from bytes, so every
//!   number also arrives with its exact bits. [`FromWorker::Ready`] stays the first variant,
//!   so that a page can always read a worker's version; a worker that still writes JSON
//!   sends a string, which the page takes for a stale worker;
//! - `file`: the `File` the user chose, posted as a handle (not copied) with
//!   [`ToWorker::LoadFile`]; the worker reads it with `FileReaderSync`;
//! - `bytes`: a `Uint8Array` (transferred) with [`FromWorker::File`].
//!
//! The page holds a Report cut down to what it shows at once ([`cut_for_page`]): the first
//! [`HEAD_LINES`] customer lines, the first [`HEAD_CALLS`] entries of each call list and the
//! lists' [`ListFacts`]. The worker keeps every line and entry of the last Report and answers
//! the drill-downs ([`ToWorker::Members`]) and the exports ([`ToWorker::Export`]), so that
//! neither the message nor the page grows with the number of customers.
//!
//! Only serde types live here, so the protocol compiles and is tested natively. The enums
//! are externally tagged (`{"progress":{...}}`, serde's default): an internally tagged enum
//! (`{"type":"progress",...}`) is read through serde's buffered content, which made the
//! page's wasm 37 KB (gzip) larger.
//!
//! ```
//! use dealerlens::protocol::{Request, ToWorker};
//! use dealerlens::engine::Lang;
//! let body = ToWorker::LoadDemo { lang: Lang::Zh, first: Default::default() };
//! let bytes = Request { job: 1, body }.encode().unwrap();
//! assert_eq!(Request::decode(&bytes).unwrap().job, 1);
//! ```

use crate::engine::analysis::reminders::{CallList, Lists};
use crate::engine::history::CustomerHistory;
use crate::engine::report::{CustomerRow, Customers};
use crate::engine::select::MemberQuery;
use crate::engine::values::Cents;
use crate::engine::{
    AnalyzeOptions, EngineError, Lang, LoadOptions, Mapping, Preview, Report, Role,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped whenever a message changes shape; the worker announces it in [`FromWorker::Ready`]
/// so that a page never talks to a stale cached worker.
pub const PROTOCOL_VERSION: u32 = 7;

/// Name of the message field (postcard bytes) of the JS envelope.
pub const FIELD_MSG: &str = "msg";
/// Name of the `File` field of the JS envelope.
pub const FIELD_FILE: &str = "file";
/// Name of the `Uint8Array` field of the JS envelope.
pub const FIELD_BYTES: &str = "bytes";

/// Rows of the file shown on the mapping screen.
pub const PREVIEW_ROWS: usize = 8;

/// Customer lines the page receives with a Report (its top-customers table).
pub const HEAD_LINES: usize = 20;

/// Entries of each call list the page receives with a Report (the rows its table shows), and
/// rows of a drill-down page.
pub const HEAD_CALLS: usize = 200;

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
#[serde(rename_all = "snake_case")]
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
    /// A page of the customers a drill-down shows, from the last Report.
    Members {
        /// Class, search and sort.
        query: MemberQuery,
        /// At most this many rows.
        limit: usize,
    },
    /// Write a table of the last Report (a call list, a drill-down's customers) as a file.
    Export {
        /// Which table.
        table: ExportTable,
        /// CSV or xlsx.
        format: FileFormat,
        /// Language of the headers and labels.
        lang: Lang,
        /// Suggested file name.
        file_name: String,
    },
    /// The rows of one customer of the last analysis.
    History {
        /// Customer key.
        id: String,
    },
}

/// A table the page can export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportTable {
    /// A call list by name (`sms`, `phone`, `callback`, `first_service`, `win_back`).
    List {
        /// The list's name.
        name: String,
    },
    /// The customers a drill-down shows, searched and sorted as on screen.
    Members {
        /// Class, search and sort.
        query: MemberQuery,
    },
}

/// An export's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// UTF-8 CSV with a byte-order mark.
    Csv,
    /// Excel workbook.
    Xlsx,
}

impl FileFormat {
    /// The file name extension.
    pub fn ext(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }

    /// The MIME type of the file.
    pub fn mime(self) -> &'static str {
        match self {
            FileFormat::Csv => "text/csv;charset=utf-8",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
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
#[serde(rename_all = "snake_case")]
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
        /// The result, cut down by [`cut_for_page`].
        report: Box<Report>,
        /// Length and due dates of each call list, by name.
        lists: BTreeMap<String, ListFacts>,
        /// The preview of the input, with the mapping used.
        preview: Preview,
    },
    /// A page of a drill-down's customers.
    Members {
        /// The query answered.
        query: MemberQuery,
        /// The answer; None when the worker holds no Report (it was restarted).
        page: Option<MembersPage>,
    },
    /// The input was rejected.
    Error {
        /// Why.
        error: EngineError,
    },
    /// A file (the demo, or an export) is in the envelope's `bytes`.
    File {
        /// Suggested file name.
        file_name: String,
        /// Its MIME type.
        mime: String,
    },
    /// A customer's history (None: no such customer in the last analysis).
    History {
        /// The customer key asked for.
        id: String,
        /// The rows.
        history: Option<Box<CustomerHistory>>,
    },
}

/// A page of a drill-down's customers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MembersPage {
    /// Customers in the class (no search).
    pub class_size: usize,
    /// Customers the search finds.
    pub found: usize,
    /// The first of them, in the query's order.
    pub rows: Vec<MemberRow>,
}

/// A customer as a drill-down table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    /// Customer key.
    pub id: String,
    /// Name, when a name column is mapped.
    pub name: Option<String>,
    /// Distinct visits.
    pub visits: usize,
    pub first_visit: NaiveDate,
    pub last_visit: NaiveDate,
    /// Revenue in fen.
    pub revenue: Cents,
    /// Days since the last visit.
    pub recency_days: i64,
}

impl From<&CustomerRow<'_>> for MemberRow {
    fn from(c: &CustomerRow<'_>) -> Self {
        MemberRow {
            id: c.id.to_string(),
            name: c.name.map(str::to_string),
            visits: c.visits,
            first_visit: c.first_visit,
            last_visit: c.last_visit,
            revenue: c.revenue,
            recency_days: c.recency_days,
        }
    }
}

/// Answers a drill-down query from the kept lines (one pass over them: the class, then the
/// search within it).
pub fn members_page(lines: &Customers, query: &MemberQuery, limit: usize) -> MembersPage {
    let mut found = crate::engine::select::members(lines, &query.scheme, &query.code, "");
    let class_size = found.len();
    crate::engine::select::keep_matches(&mut found, &query.search);
    crate::engine::select::sort_members(&mut found, query.sort, query.desc);
    MembersPage {
        class_size,
        found: found.len(),
        rows: found.iter().take(limit).map(MemberRow::from).collect(),
    }
}

/// What the page shows of a call list without its entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFacts {
    /// Entries.
    pub len: usize,
    /// Earliest and latest due date (None: empty list).
    pub due: Option<(NaiveDate, NaiveDate)>,
    /// Entries already overdue.
    pub overdue: usize,
}

impl ListFacts {
    /// The facts of a list.
    pub fn of(list: &CallList) -> Self {
        let from = list.iter().map(|i| i.due).min();
        let to = list.iter().map(|i| i.due).max();
        ListFacts {
            len: list.len(),
            due: from.zip(to),
            overdue: list.iter().filter(|i| i.days_to_due < 0).count(),
        }
    }
}

/// The call lists by name, in display order.
pub fn named_lists(l: &Lists) -> [(&'static str, &CallList); 5] {
    [
        ("sms", &l.sms),
        ("phone", &l.phone),
        ("callback", &l.callback),
        ("first_service", &l.first_service),
        ("win_back", &l.win_back),
    ]
}

/// What the worker keeps of a Report after sending it: every customer line and list entry.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// All customer lines.
    pub customers: Customers,
    /// All call lists.
    pub lists: Lists,
}

/// Cuts `report` down to what the page shows at once: the first [`HEAD_LINES`] customer
/// lines, the first [`HEAD_CALLS`] entries of each call list, and no migration movers (the
/// page shows their counts only). Returns the lines and lists taken out, and each list's facts.
pub fn cut_for_page(report: &mut Report) -> (Kept, BTreeMap<String, ListFacts>) {
    let customers = std::mem::take(&mut report.customers);
    report.customers = customers
        .iter()
        .take(HEAD_LINES)
        .map(|c| c.to_owned_line())
        .collect();
    report.migration.moved = Default::default();
    let lists = std::mem::take(&mut report.lists);
    let mut facts = BTreeMap::new();
    for (name, list) in named_lists(&lists) {
        facts.insert(name.to_string(), ListFacts::of(list));
    }
    let head = |l: &CallList| {
        let calls = l.calls();
        CallList::from_parts(
            l.people().clone(),
            calls[..calls.len().min(HEAD_CALLS)].to_vec(),
        )
    };
    report.lists = Lists {
        sms: head(&lists.sms),
        phone: head(&lists.phone),
        callback: head(&lists.callback),
        first_service: head(&lists.first_service),
        win_back: head(&lists.win_back),
        basis: lists.basis.clone(),
        unavailable: lists.unavailable.clone(),
    };
    (Kept { customers, lists }, facts)
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

/// Implements the JSON and byte forms of a message type (see the module doc).
macro_rules! message_forms {
    ($t:ident) => {
        impl $t {
            /// The message as JSON (for logs and tests; the messages use `encode`).
            pub fn to_json(&self) -> String {
                serde_json::to_string(self).unwrap_or_default()
            }

            /// Parses a message written by `to_json`.
            pub fn from_json(s: &str) -> Result<$t, String> {
                serde_json::from_str(s).map_err(|e| e.to_string())
            }

            /// The message as the bytes of the envelope's `msg`.
            pub fn encode(&self) -> Result<Vec<u8>, String> {
                postcard::to_allocvec(self).map_err(|e| e.to_string())
            }

            /// Reads the bytes of a message; any bytes give a message or an error.
            pub fn decode(bytes: &[u8]) -> Result<$t, String> {
                postcard::from_bytes(bytes).map_err(|e| e.to_string())
            }
        }
    };
}

message_forms!(Request);
message_forms!(Reply);

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
    fn reply_is_tagged_by_variant() {
        let r = Reply {
            job: 3,
            body: FromWorker::Progress {
                stage: Stage::Parsing,
                done: 1,
                total: 2,
            },
        };
        let json = r.to_json();
        assert!(json.contains(r#""progress":{"#), "{json}");
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
        assert!(Reply::decode(&[]).is_err());
        assert!(Request::decode(&[0xff; 3]).is_err());
    }

    #[test]
    fn messages_round_trip_as_bytes() {
        let r = Request {
            job: 7,
            body: ToWorker::Remap {
                mapping: Mapping::default(),
                options: Box::default(),
            },
        };
        let bytes = r.encode().expect("written");
        assert_eq!(Request::decode(&bytes), Ok(r));
        let e = Reply {
            job: 1,
            body: FromWorker::Error {
                error: EngineError::UnknownFormat {
                    detected: "pdf".into(),
                },
            },
        };
        assert_eq!(Reply::decode(&e.encode().expect("written")), Ok(e));
        // Every shorter prefix of a message is refused, not misread.
        let bytes = Reply {
            job: 2,
            body: FromWorker::History {
                id: "C001".into(),
                history: None,
            },
        }
        .encode()
        .expect("written");
        for n in 0..bytes.len() {
            assert!(Reply::decode(&bytes[..n]).is_err(), "{n} bytes");
        }
    }

    #[test]
    fn ready_is_the_first_variant_whatever_the_version() {
        // Job 0 as one varint byte, variant 0, then the version as a varint.
        let bytes = Reply {
            job: 0,
            body: FromWorker::Ready { protocol: 5 },
        }
        .encode()
        .expect("written");
        assert_eq!(bytes, [0, 0, 5]);
    }
}
