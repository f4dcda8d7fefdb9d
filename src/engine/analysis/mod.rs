//! The analyses (product.md, "Analyses" 1–12 and beyond): one module each, all reading the
//! same [`Context`] — the records, the customers, the mapping, the rules and the reference
//! date — so that a change of rules re-runs them without re-reading the file.

pub mod clv;
pub mod migration;
pub mod mileage;
pub mod pareto;
pub mod reminders;
pub mod rfm;
pub mod segments;
pub mod trends;

use crate::engine::customers::CustomerSummary;
use crate::engine::mapping::Mapping;
use crate::engine::records::ServiceRecord;
use crate::engine::rules::Rules;
use chrono::NaiveDate;

/// Everything an analysis may read.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The rows used, in sheet order.
    pub records: &'a [ServiceRecord],
    /// The customers, sorted by key; `customers[i].records` index into `records`.
    pub customers: &'a [CustomerSummary],
    /// Which roles are mapped (an analysis whose inputs are missing says so).
    pub mapping: &'a Mapping,
    /// The thresholds.
    pub rules: &'a Rules,
    /// The reference date: "today" for recency, lists and ages.
    pub as_of: NaiveDate,
}
