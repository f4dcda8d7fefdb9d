//! The Report: what was read, how it was understood, and what came out. Serialised as JSON
//! (schema version 1) by the CLI and sent from the worker to the page.

use crate::engine::analysis::{
    clv::{ClvCustomer, ClvReport},
    migration::Migration,
    mileage::MileageStudy,
    pareto::{AbcClass, ParetoReport},
    reminders::Lists,
    rfm::{RfmScore, RfmSummary},
    segments::{CustomerSegments, SegmentColumns, SegmentsRef, SegmentsSummary},
    trends::Trends,
};
use crate::engine::customers::CustomerSummary;
use crate::engine::mapping::RoleGuess;
use crate::engine::rules::Rules;
use crate::engine::values::Cents;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

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
    pub customers: Customers,
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

/// The part of a customer's report line that does not depend on the rules: gathered once
/// per basis, in report order, and shared by every Report built from that basis.
#[derive(Debug, Clone, PartialEq)]
pub struct RowHead {
    /// The customer's index in the prepared customers (and in the per-customer columns of
    /// [`Customers`]).
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

/// The Report's customer lines, kept by part so that a re-run after a rule change builds only
/// what the rules changed: the rule-independent heads (in line order) and the ABC, RFM and
/// CLV columns are shared with the analyses' memo; only the segment labels are new. Serialised
/// (and deserialised) as the array of [`CustomerReport`] lines.
#[derive(Debug, Clone, Default)]
pub struct Customers {
    /// Line order; `heads[k].index` is the line's customer in the columns below.
    heads: Arc<[RowHead]>,
    abc: Arc<[AbcClass]>,
    rfm: Arc<[RfmScore]>,
    segments: SegmentColumns,
    /// Empty when the CLV fit failed.
    clv: Arc<[Option<ClvCustomer>]>,
}

/// One line of [`Customers`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CustomerRow<'a> {
    /// Customer key.
    pub id: &'a str,
    /// Name, when a name column is mapped.
    pub name: Option<&'a str>,
    /// Distinct visits.
    pub visits: usize,
    pub first_visit: NaiveDate,
    pub last_visit: NaiveDate,
    /// Revenue in fen (yuan in JSON).
    #[serde(serialize_with = "yuan")]
    pub revenue: Cents,
    /// Revenue per visit in fen (yuan in JSON).
    #[serde(serialize_with = "yuan")]
    pub avg_ticket: Cents,
    /// Days since the last visit, counted to `as_of`.
    pub recency_days: i64,
    /// Pareto class (A, B, C).
    pub abc: AbcClass,
    /// RFM scores and segments.
    pub rfm: &'a RfmScore,
    /// One label per segmentation scheme.
    pub segments: SegmentsRef<'a>,
    /// P(alive) and expected value, when the CLV fit succeeded.
    pub clv: Option<&'a ClvCustomer>,
}

impl CustomerRow<'_> {
    /// The line as an owned value.
    pub fn to_owned_line(&self) -> CustomerReport {
        CustomerReport {
            id: self.id.to_string(),
            name: self.name.map(str::to_string),
            visits: self.visits,
            first_visit: self.first_visit,
            last_visit: self.last_visit,
            revenue: self.revenue,
            avg_ticket: self.avg_ticket,
            recency_days: self.recency_days,
            abc: self.abc,
            rfm: self.rfm.clone(),
            segments: self.segments.to_owned_segments(),
            clv: self.clv.cloned(),
        }
    }
}

impl Customers {
    /// The lines `heads` (in line order) with the per-customer columns they index. A head
    /// whose customer has no ABC class or RFM score in the columns is left out.
    pub fn new(
        heads: Arc<[RowHead]>,
        abc: Arc<[AbcClass]>,
        rfm: Arc<[RfmScore]>,
        segments: SegmentColumns,
        clv: Arc<[Option<ClvCustomer>]>,
    ) -> Self {
        let whole = heads
            .iter()
            .all(|h| h.index < abc.len() && h.index < rfm.len());
        let heads = if whole {
            heads
        } else {
            heads
                .iter()
                .filter(|h| h.index < abc.len() && h.index < rfm.len())
                .cloned()
                .collect()
        };
        Customers {
            heads,
            abc,
            rfm,
            segments,
            clv,
        }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// True without lines.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// Line `k` (0 = highest revenue).
    pub fn get(&self, k: usize) -> Option<CustomerRow<'_>> {
        let h = self.heads.get(k)?;
        let i = h.index;
        Some(CustomerRow {
            id: &h.id,
            name: h.name.as_deref(),
            visits: h.visits,
            first_visit: h.first_visit,
            last_visit: h.last_visit,
            revenue: h.revenue,
            avg_ticket: h.avg_ticket,
            recency_days: h.recency_days,
            abc: *self.abc.get(i)?,
            rfm: self.rfm.get(i)?,
            segments: self.segments.row(i),
            clv: self.clv.get(i).and_then(Option::as_ref),
        })
    }

    /// The lines in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = CustomerRow<'_>> + '_ {
        // `new` keeps only heads whose columns exist, so every `get` answers
        (0..self.heads.len()).filter_map(|k| self.get(k))
    }
}

impl PartialEq for Customers {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl FromIterator<CustomerReport> for Customers {
    fn from_iter<I: IntoIterator<Item = CustomerReport>>(lines: I) -> Self {
        let (mut heads, mut abc, mut rfm, mut segments, mut clv) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (index, l) in lines.into_iter().enumerate() {
            heads.push(RowHead {
                index,
                id: l.id,
                name: l.name,
                visits: l.visits,
                first_visit: l.first_visit,
                last_visit: l.last_visit,
                revenue: l.revenue,
                avg_ticket: l.avg_ticket,
                recency_days: l.recency_days,
            });
            abc.push(l.abc);
            rfm.push(l.rfm);
            segments.push(l.segments);
            clv.push(l.clv);
        }
        Customers {
            heads: heads.into(),
            abc: abc.into(),
            rfm: rfm.into(),
            segments: SegmentColumns::from_rows(&segments),
            clv: clv.into(),
        }
    }
}

impl Serialize for Customers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        // The length first (the page's binary messages need it): the lines `iter` yields.
        let mut seq = s.serialize_seq(Some(self.iter().count()))?;
        for line in self.iter() {
            seq.serialize_element(&line)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Customers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<CustomerReport>::deserialize(d)?.into_iter().collect())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn head(index: usize, id: &str, revenue: Cents) -> RowHead {
        let day = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap_or_default();
        RowHead {
            index,
            id: id.to_string(),
            name: (index == 0).then(|| "张三".to_string()),
            visits: 2,
            first_visit: day,
            last_visit: day,
            revenue,
            avg_ticket: revenue / 2,
            recency_days: 3,
        }
    }

    fn score(r: u8) -> RfmScore {
        RfmScore {
            r,
            f: 1,
            m: 2,
            rfm8: Cow::Borrowed("general_retain"),
            named: Cow::Borrowed("hibernating"),
        }
    }

    /// Two customers, listed highest revenue first: customer 1 (¥300.00), then 0 (¥100.00).
    fn two() -> Customers {
        Customers::new(
            vec![head(1, "B", 30_000), head(0, "A", 10_000)].into(),
            vec![AbcClass::C, AbcClass::A].into(),
            vec![score(1), score(5)].into(),
            SegmentColumns::from_rows(&[CustomerSegments::NONE, CustomerSegments::NONE]),
            Arc::from([]),
        )
    }

    #[test]
    fn lines_follow_the_heads_and_index_the_columns() {
        let c = two();
        assert_eq!(c.len(), 2);
        let first = c.get(0).expect("line 0");
        assert_eq!((first.id, first.abc, first.rfm.r), ("B", AbcClass::A, 5));
        assert_eq!(first.name, None);
        assert_eq!(first.clv, None);
        let second = c.get(1).expect("line 1");
        assert_eq!((second.id, second.abc, second.rfm.r), ("A", AbcClass::C, 1));
        assert_eq!(second.name, Some("张三"));
        assert!(c.get(2).is_none());
        let ids: Vec<&str> = c.iter().rev().map(|l| l.id).collect();
        assert_eq!(ids, ["A", "B"]);
    }

    #[test]
    fn a_head_without_its_columns_is_left_out() {
        let c = Customers::new(
            vec![head(0, "A", 10_000), head(7, "X", 5)].into(),
            vec![AbcClass::A].into(),
            vec![score(3)].into(),
            SegmentColumns::default(),
            Arc::from([]),
        );
        assert_eq!(c.len(), 1);
        let only = c.get(0).expect("line 0");
        assert_eq!(only.id, "A");
        // no segment column: every scheme unlabelled
        assert_eq!(only.segments.to_owned_segments(), CustomerSegments::NONE);
    }

    #[test]
    fn json_is_the_array_of_lines_and_reads_back() {
        let c = two();
        let json = serde_json::to_value(&c).expect("serialises");
        assert_eq!(json[0]["id"], "B");
        assert_eq!(json[0]["revenue"], 300.0);
        assert_eq!(json[0]["avg_ticket"], 150.0);
        assert_eq!(json[0]["abc"], "A");
        assert_eq!(json[0]["rfm"]["r"], 5);
        assert_eq!(json[1]["name"], "张三");
        assert_eq!(json[1]["clv"], serde_json::Value::Null);
        let back: Customers = serde_json::from_value(json.clone()).expect("reads back");
        assert_eq!(back, c);
        assert_eq!(serde_json::to_value(&back).expect("again"), json);
        // the owned line serialises the same way
        let owned = c.get(1).expect("line").to_owned_line();
        assert_eq!(serde_json::to_value(&owned).expect("owned"), json[1]);
    }
}
