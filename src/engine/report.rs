//! The Report: what was read, how it was understood, and what came out. Serialised as JSON
//! (schema version 1) by the CLI and sent from the worker to the page.

use crate::engine::analysis::{
    clv::{ClvCustomer, ClvReport},
    migration::Migration,
    mileage::MileageStudy,
    pareto::{AbcClass, ParetoReport},
    reminders::Lists,
    rfm::{RfmScore, RfmSummary},
    segments::{CustomerSegments, SegmentsSummary},
    trends::Trends,
};
use crate::engine::customers::CustomerSummary;
use crate::engine::mapping::RoleGuess;
use crate::engine::rules::Rules;
use crate::engine::values::Cents;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// The Report's schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// Serialises fen as yuan with two decimals (a JSON number).
pub fn yuan<S: Serializer>(c: &Cents, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(*c as f64 / 100.0)
}

fn de_yuan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Cents, D::Error> {
    let v = f64::deserialize(d)?;
    Ok((v * 100.0).round() as Cents)
}

/// The whole result of one analysis run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What was read and what was skipped.
    pub input: InputSummary,
    /// role → header text of the column used.
    pub mapping: BTreeMap<String, String>,
    /// The mapping with columns and confidences.
    pub mapping_detail: Vec<RoleGuess>,
    /// Which role identified customers (customer_id, phone, plate, vin or customer_name).
    pub key_role: String,
    /// Reference date for recency (defaults to the latest record date).
    pub as_of: NaiveDate,
    /// Headline totals.
    pub totals: Totals,
    /// The thresholds the analyses used.
    pub rules: Rules,
    /// Pareto / ABC of customers and of the mapped groups.
    pub pareto: ParetoReport,
    /// RFM scores, the 8-class model and named segments.
    pub rfm: RfmSummary,
    /// Every segmentation scheme: available or not (with the missing roles), counts, revenue.
    pub segments: SegmentsSummary,
    /// Call lists relative to `as_of`.
    pub lists: Lists,
    /// Daily mileage study with the filter steps.
    pub mileage: MileageStudy,
    /// Monthly trends and first-visit cohorts.
    pub trends: Trends,
    /// BG/NBD + Gamma-Gamma fit (per-customer figures are in `customers[].clv`).
    pub clv: Option<ClvReport>,
    /// Why `clv` is missing, when it is.
    pub clv_note: Option<String>,
    /// RFM 8-class migration between a split date and `as_of`.
    pub migration: Migration,
    /// One entry per customer, by revenue (highest first), then id.
    pub customers: Vec<CustomerReport>,
}

/// The data-quality summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputSummary {
    /// Detected format (`xlsx`, `xls`, `csv`, ...).
    pub format: String,
    /// Sheet read (None for CSV/HTML).
    pub sheet: Option<String>,
    /// All sheets of the workbook.
    pub sheets: Vec<String>,
    /// Text encoding for CSV/HTML.
    pub encoding: Option<String>,
    /// 1-based header row.
    pub header_row: usize,
    /// The header texts.
    pub columns: Vec<String>,
    /// Rows below the header up to the last non-empty row.
    pub rows_read: usize,
    /// Rows that became records.
    pub rows_used: usize,
    /// Rows skipped (= sum of `skipped`).
    pub rows_skipped: usize,
    /// reason → count.
    pub skipped: BTreeMap<String, usize>,
    /// reason → up to five example row numbers (1-based, as in the sheet).
    pub skipped_examples: BTreeMap<String, Vec<usize>>,
    /// First and last record date.
    pub date_range: Option<DateRange>,
}

/// An inclusive date range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Headline totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Distinct customers.
    pub customers: usize,
    /// Distinct visits (work orders, or customer-days).
    pub visits: usize,
    /// Revenue in yuan (refunds subtracted).
    #[serde(serialize_with = "yuan", deserialize_with = "de_yuan")]
    pub revenue: Cents,
    /// Records (rows used).
    pub records: usize,
}

/// One customer's basics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerReport {
    /// Customer key.
    pub id: String,
    /// Name, when a name column is mapped.
    pub name: Option<String>,
    /// Distinct visits.
    pub visits: usize,
    pub first_visit: NaiveDate,
    pub last_visit: NaiveDate,
    /// Revenue in yuan.
    #[serde(serialize_with = "yuan", deserialize_with = "de_yuan")]
    pub revenue: Cents,
    /// Revenue per visit in yuan.
    #[serde(serialize_with = "yuan", deserialize_with = "de_yuan")]
    pub avg_ticket: Cents,
    /// Days since the last visit, counted to `as_of`.
    pub recency_days: i64,
    /// Pareto class (A, B, C).
    pub abc: AbcClass,
    /// RFM scores and segments.
    pub rfm: RfmScore,
    /// One label per segmentation scheme.
    pub segments: CustomerSegments,
    /// P(alive) and expected value, when the CLV fit succeeded.
    pub clv: Option<ClvCustomer>,
}

/// Everything the analyses say about one customer.
#[derive(Debug, Clone)]
pub struct CustomerAnalyses {
    pub abc: AbcClass,
    pub rfm: RfmScore,
    pub segments: CustomerSegments,
    pub clv: Option<ClvCustomer>,
}

/// The part of a customer's report line that does not depend on the rules: gathered once
/// per basis, in report order, so that a re-run reads it front to back.
#[derive(Debug, Clone)]
pub struct RowHead {
    /// The customer's index in the prepared customers.
    pub index: usize,
    pub id: String,
    pub name: Option<String>,
    pub visits: usize,
    pub first_visit: NaiveDate,
    pub last_visit: NaiveDate,
    pub revenue: Cents,
    pub avg_ticket: Cents,
    pub recency_days: i64,
}

impl RowHead {
    /// The head of customer `index`'s line at `as_of`.
    pub fn new(index: usize, c: &CustomerSummary, as_of: NaiveDate) -> Self {
        RowHead {
            index,
            id: c.id.clone(),
            name: c.name.clone(),
            visits: c.visits.len(),
            first_visit: c.first_visit(),
            last_visit: c.last_visit(),
            revenue: c.revenue,
            avg_ticket: c.avg_ticket(),
            recency_days: c.recency_days(as_of),
        }
    }
}

impl CustomerReport {
    /// The report line of a row head and the customer's analyses.
    pub fn from_head(h: &RowHead, a: CustomerAnalyses) -> Self {
        CustomerReport {
            id: h.id.clone(),
            name: h.name.clone(),
            visits: h.visits,
            first_visit: h.first_visit,
            last_visit: h.last_visit,
            revenue: h.revenue,
            avg_ticket: h.avg_ticket,
            recency_days: h.recency_days,
            abc: a.abc,
            rfm: a.rfm,
            segments: a.segments,
            clv: a.clv,
        }
    }
}
