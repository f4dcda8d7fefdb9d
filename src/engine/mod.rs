//! The engine: everything that knows about spreadsheets and customers, nothing about the
//! browser.
//!
//! ```text
//! bytes ─► ingest::read_table ─► RawTable ─► mapping::detect_header_row
//!       ─► mapping::detect_roles (+ overrides) ─► records::extract
//!       ─► customers::summarise ─► Report
//! ```
//!
//! [`load`] does the first half once per file; [`analyze`] the second half, as often as the
//! mapping or the options change, without re-parsing.

pub mod analysis;
pub mod customers;
pub mod demo;
pub mod error;
pub mod export;
pub mod history;
pub mod ingest;
pub mod intern;
pub mod limits;
pub mod mapping;
pub mod records;
pub mod report;
pub mod rules;
pub mod select;
pub mod table;
pub mod values;

pub use error::{EngineError, Lang};
pub use ingest::{EncodingChoice, IngestOptions};
pub use mapping::{Mapping, Role};
pub use report::Report;
pub use rules::Rules;
pub use table::{Cell, CellRef, Columns, ColumnsBuilder, Format, RawTable, Row};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How to read a file: sheet, encoding, and optionally the header row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadOptions {
    /// Sheet and encoding.
    pub ingest: IngestOptions,
    /// 1-based header row; `None` detects it.
    pub header_row: Option<usize>,
}

/// A file read and understood, ready to be analysed (possibly many times).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The sheet as read.
    pub table: RawTable,
    /// 0-based header row.
    pub header_row: usize,
    /// Header texts (empty headers named by column letter).
    pub headers: Vec<String>,
    /// The detected mapping.
    pub detected: Mapping,
    /// True when `table` keeps only its first rows (see [`Loaded::shed`]): preparing
    /// records again needs the file read again.
    pub shed: bool,
}

/// What the mapping screen shows: headers, a few rows, the detected roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub format: String,
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    pub encoding: Option<String>,
    /// 1-based header row.
    pub header_row: usize,
    pub headers: Vec<String>,
    /// The first data rows as text.
    pub rows: Vec<Vec<String>>,
    pub mapping: Mapping,
    /// Required roles still missing.
    pub missing: Vec<String>,
}

/// Options for [`analyze`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeOptions {
    /// Reference date; `None` = the latest record date.
    pub as_of: Option<NaiveDate>,
    /// The thresholds.
    pub rules: Rules,
    /// Where segment migration splits the history; `None` = 180 days before `as_of`.
    pub migration_split: Option<NaiveDate>,
}

/// The records and customers of a loaded file under one mapping: what the analyses read.
/// Built once per mapping; [`report`] can then run as often as the rules change.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The mapping used.
    pub mapping: Mapping,
    /// Rows used and skipped.
    pub extraction: records::Extraction,
    /// Customers sorted by key.
    pub customers: Vec<customers::CustomerSummary>,
    /// The earliest and the latest record date.
    pub date_range: Option<(NaiveDate, NaiveDate)>,
    /// What [`report`] keeps between runs (see [`analysis::Basis`]).
    pub cache: AnalysisCache,
}

/// The [`analysis::Basis`] of the last [`report`] on a [`Prepared`]: re-used while `as_of`
/// stays the same, so that a rule change does not read the records again. A clone starts
/// empty; equality ignores it.
#[derive(Debug, Default)]
pub struct AnalysisCache(std::sync::Mutex<Option<analysis::Basis>>);

impl Clone for AnalysisCache {
    fn clone(&self) -> Self {
        AnalysisCache::default()
    }
}

impl PartialEq for AnalysisCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Extracts the records and customers of a loaded file under a mapping.
pub fn prepare(loaded: &Loaded, mapping: &Mapping) -> Result<Prepared, EngineError> {
    let missing = mapping.missing_required();
    if !missing.is_empty() {
        return Err(EngineError::MissingRoles { missing });
    }
    if loaded.shed {
        return Err(EngineError::Internal {
            detail: "the table's rows were released; read the file again".to_string(),
        });
    }
    let extraction = records::extract(&loaded.table, loaded.header_row, mapping);
    if extraction.records.is_empty() {
        return Err(EngineError::NoUsableRows);
    }
    let customers = customers::summarise(&extraction.records, &extraction.strings);
    let dates = extraction.records.iter().map(|r| r.date);
    let date_range = dates.clone().min().zip(dates.max());
    Ok(Prepared {
        mapping: mapping.clone(),
        extraction,
        customers,
        date_range,
        cache: AnalysisCache::default(),
    })
}

/// Reads a file and detects its header row and column roles.
pub fn load(bytes: &[u8], opts: &LoadOptions) -> Result<Loaded, EngineError> {
    let table = ingest::read_table(bytes, &opts.ingest)?;
    Loaded::from_table(table, opts.header_row)
}

impl Loaded {
    /// Wraps a table already in memory (e.g. the demo data); `header_row` is 1-based, `None`
    /// detects it.
    pub fn from_table(table: RawTable, header_row: Option<usize>) -> Result<Loaded, EngineError> {
        let header_row = match header_row {
            Some(0) => {
                return Err(EngineError::BadHeaderRow {
                    row: 0,
                    rows: table.len(),
                })
            }
            Some(n) if n > table.len() => {
                return Err(EngineError::BadHeaderRow {
                    row: n,
                    rows: table.len(),
                })
            }
            Some(n) => n - 1,
            None => mapping::detect_header_row(&table),
        };
        Ok(Loaded::new(table, header_row))
    }

    /// Wraps a table with a known 0-based header row, detecting the roles.
    pub fn new(table: RawTable, header_row: usize) -> Self {
        let headers = mapping::header_texts(&table, header_row);
        let detected = mapping::detect_roles(&table, header_row);
        Loaded {
            table,
            header_row,
            headers,
            detected,
            shed: false,
        }
    }

    /// Releases the table's rows past the header and the first `preview_rows` non-blank
    /// rows after it, once the records are prepared: the format, sheet names, headers,
    /// detected mapping and the preview stay as they were; [`prepare`] refuses a shed table.
    /// A big file's raw table is then not held next to its records and Report.
    pub fn shed(&mut self, preview_rows: usize) {
        let mut kept = 0;
        let mut end = self.table.len();
        for (i, row) in self.table.rows().enumerate().skip(self.header_row + 1) {
            if kept == preview_rows {
                end = i;
                break;
            }
            if !row.is_blank() {
                kept += 1;
            }
        }
        let head: Vec<Vec<Cell>> = self
            .table
            .rows()
            .take(end)
            .map(|r| r.iter().map(|c| c.to_cell()).collect())
            .collect();
        self.table.cells = Columns::from_rows(head);
        self.shed = true;
    }

    /// The mapping screen's data, with `rows` sample rows.
    pub fn preview(&self, mapping: &Mapping, rows: usize) -> Preview {
        let t = &self.table;
        Preview {
            format: t.format.name().to_string(),
            sheet: t.sheet.clone(),
            sheets: t.sheets.clone(),
            encoding: t.encoding.clone(),
            header_row: self.header_row + 1,
            headers: self.headers.clone(),
            rows: t
                .rows()
                .skip(self.header_row + 1)
                .filter(|r| !r.is_blank())
                .take(rows)
                .map(|r| {
                    (0..self.headers.len())
                        .map(|c| r.get(c).map(|c| c.to_text()).unwrap_or_default())
                        .collect()
                })
                .collect(),
            mapping: mapping.clone(),
            missing: mapping.missing_required(),
        }
    }
}

/// Turns a loaded file into a Report with the given mapping ([`prepare`] then [`report`]).
pub fn analyze(
    loaded: &Loaded,
    mapping: &Mapping,
    opts: &AnalyzeOptions,
) -> Result<Report, EngineError> {
    let prepared = prepare(loaded, mapping)?;
    Ok(report(loaded, &prepared, opts))
}

/// Runs the analyses on prepared records and assembles the Report. No parsing happens here;
/// the first run at an `as_of` gathers what the analyses need from the records
/// ([`analysis::Basis`], kept in `prepared.cache`), later runs with other rules re-use it.
pub fn report(loaded: &Loaded, prepared: &Prepared, opts: &AnalyzeOptions) -> Report {
    let ex = &prepared.extraction;
    let mapping = &prepared.mapping;
    let customers = &prepared.customers;
    // the records are large: their date range was taken once, in `prepare`
    let (from, to) = (
        prepared.date_range.map(|d| d.0),
        prepared.date_range.map(|d| d.1),
    );
    let as_of = opts.as_of.or(to).unwrap_or_default();
    let ctx = analysis::Context {
        records: &ex.records,
        strings: &ex.strings,
        customers,
        mapping,
        rules: &opts.rules,
        as_of,
    };
    // A poisoned lock only means an earlier run panicked: start afresh.
    let mut guard = match prepared.cache.0.lock() {
        Ok(g) => g,
        Err(p) => {
            let mut g = p.into_inner();
            *g = None;
            g
        }
    };
    if guard.as_ref().is_some_and(|b| b.as_of != as_of) {
        *guard = None;
    }
    let basis = guard.get_or_insert_with(|| analysis::Basis::new(&ctx));
    let rules = &opts.rules;
    let analysis::Memo {
        pareto: pareto_memo,
        rfm: rfm_memo,
        clv_fit,
        clv: clv_memo,
        migration: migration_memo,
        mileage: mileage_memo,
        need: need_memo,
        trends_lifecycle,
        trends_value,
        lists: lists_memo,
        segments: segments_memo,
    } = &mut basis.memo;

    let (pareto, abc) = analysis::memoised(pareto_memo, rules.pareto.clone(), || {
        let (p, abc) = analysis::pareto::run_cached(&ctx, &basis.groups, &basis.order);
        (p, abc.into())
    });
    let (rfm, rfm_scores) = analysis::memoised(rfm_memo, rules.rfm.clone(), || {
        let (summary, scores) = analysis::rfm::run(&ctx);
        (summary, scores.into())
    });
    let mileage = analysis::memoised(mileage_memo, rules.mileage.clone(), || {
        analysis::mileage::run_cached(&ctx, &basis.fleet)
    })
    .clone();
    let km = &mileage.customer_daily_km;
    let dominant = analysis::memoised(need_memo, rules.need.clone(), || {
        basis.needs.dominant(&basis.needs.classes(&rules.need))
    });
    let (segments, segs) =
        analysis::segments::run_memoised(&ctx, &basis.segments, dominant, km, segments_memo);
    let lists =
        analysis::reminders::run_memoised(&ctx, &basis.reminders, &basis.needs, km, lists_memo);
    // A customer's lifecycle label reads only the lifecycle rules, its value label only the
    // value rules (and facts of this `as_of`): each split is memoised by those rules.
    let label_split = |column: &[Option<analysis::segments::Label>]| {
        let labels: Vec<Option<&str>> = column.iter().map(|l| l.as_deref()).collect();
        analysis::trends::split(&basis.trends, &labels)
    };
    let by_lifecycle = analysis::memoised(trends_lifecycle, rules.lifecycle.clone(), || {
        label_split(&segs.lifecycle)
    })
    .clone();
    let by_value = analysis::memoised(trends_value, rules.value.clone(), || {
        label_split(&segs.value)
    })
    .clone();
    let trends = analysis::trends::with_splits(&basis.trends, by_lifecycle, by_value);
    let split = opts
        .migration_split
        .unwrap_or_else(|| analysis::migration::default_split(as_of));
    let migration = analysis::memoised(migration_memo, split, || {
        analysis::migration::run(&ctx, split)
    })
    .clone();
    // The fit depends on `min_customers` only; the score on all the CLV rules (which include
    // `min_customers`, so a new fit always gets a new score).
    let fit = analysis::memoised(clv_fit, rules.clv.min_customers, || {
        analysis::clv::fit(&ctx)
    });
    let scored = analysis::memoised(clv_memo, rules.clv.clone(), || match fit {
        Ok(fit) => Ok(analysis::clv::score(fit, rules.clv.horizon_days)),
        Err(e) => Err(e.clone()),
    });
    let (clv, clv_note, clv_rows) = match scored {
        Ok(c) => (Some(c.clone_without_customers()), None, c.customers.clone()),
        Err(note) => (None, Some(note.clone()), Arc::from([])),
    };
    // The lines share the rule-independent heads and the memoised columns; only the segment
    // labels are new.
    let rows = report::Customers::new(
        basis.rows.clone(),
        abc.clone(),
        rfm_scores.clone(),
        segs,
        clv_rows,
    );
    let (pareto, rfm) = (pareto.clone(), rfm.clone());
    drop(guard);
    let t = &loaded.table;
    Report {
        schema_version: report::SCHEMA_VERSION,
        input: report::InputSummary {
            format: t.format.name().to_string(),
            sheet: t.sheet.clone(),
            sheets: t.sheets.clone(),
            encoding: t.encoding.clone(),
            header_row: loaded.header_row + 1,
            columns: loaded.headers.clone(),
            rows_read: ex.rows_read,
            rows_used: ex.records.len(),
            rows_skipped: ex.rows_skipped(),
            skipped: ex
                .skipped
                .iter()
                .map(|(k, v)| (k.name().to_string(), *v))
                .collect(),
            skipped_examples: ex
                .examples
                .iter()
                .map(|(k, v)| (k.name().to_string(), v.clone()))
                .collect(),
            date_range: from
                .zip(to)
                .map(|(from, to)| report::DateRange { from, to }),
        },
        mapping: mapping.to_headers(),
        mapping_detail: mapping.roles.values().cloned().collect(),
        key_role: mapping
            .key_role()
            .map(|r| r.name())
            .unwrap_or("")
            .to_string(),
        as_of,
        totals: report::Totals {
            customers: customers.len(),
            visits: customers::total_visits(customers),
            revenue: customers.iter().map(|c| c.revenue).sum(),
            records: ex.records.len(),
        },
        rules: opts.rules.clone(),
        pareto,
        rfm,
        segments,
        lists,
        mileage,
        trends,
        clv,
        clv_note,
        migration,
        customers: rows,
    }
}
