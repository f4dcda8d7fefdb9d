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
use crate::engine::intern::{Strings, Sym};
use crate::engine::mapping::Mapping;
use crate::engine::records::ServiceRecord;
use crate::engine::rules::Rules;
use chrono::NaiveDate;

/// `items[offsets[i]..offsets[i + 1]]`: the part of a flat list that belongs to item `i`;
/// empty when `i` or the offsets are out of range.
pub(crate) fn part<'a, T>(items: &'a [T], offsets: &[usize], i: usize) -> &'a [T] {
    match (offsets.get(i), offsets.get(i + 1)) {
        (Some(&a), Some(&b)) => items.get(a..b).unwrap_or(&[]),
        _ => &[],
    }
}

/// Everything an analysis may read.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The rows used, in sheet order.
    pub records: &'a [ServiceRecord],
    /// The records' texts.
    pub strings: &'a Strings,
    /// The customers, sorted by key; `customers[i].records` index into `records`.
    pub customers: &'a [CustomerSummary],
    /// Which roles are mapped (an analysis whose inputs are missing says so).
    pub mapping: &'a Mapping,
    /// The thresholds.
    pub rules: &'a Rules,
    /// The reference date: "today" for recency, lists and ages.
    pub as_of: NaiveDate,
}

impl<'a> Context<'a> {
    /// The text of a record's symbol.
    pub fn str(&self, sym: Sym) -> &'a str {
        self.strings.get(sym)
    }

    /// The text of a record's optional field.
    pub fn text(&self, sym: Option<Sym>) -> Option<&'a str> {
        self.strings.text(sym)
    }
}

/// Everything the analyses read from the records that does not depend on the rules, for one
/// set of customers and one `as_of`: built once ([`Basis::new`]), then every rule change
/// re-runs the analyses from it (and from the results of sections whose rules did not
/// change) without touching the records again.
#[derive(Debug, Default)]
pub struct Basis {
    /// The reference date the facts were gathered for.
    pub as_of: NaiveDate,
    /// Revenue per group of the mapped group roles (Pareto by group).
    pub groups: pareto::GroupTotals,
    /// Per-customer facts of the segment schemes.
    pub segments: segments::SegmentFacts,
    /// Visits with their service types (need scheme, callback and first-service lists).
    pub needs: segments::NeedFacts,
    /// The vehicles of the mileage study.
    pub fleet: mileage::FleetFacts,
    /// Phones, plates, readings and purchases of the call lists.
    pub reminders: reminders::ReminderFacts,
    /// Months, totals and cohorts of the trends.
    pub trends: trends::TrendFacts,
    /// Customer indexes by revenue (highest first), then id: the Report's row order and the
    /// Pareto rank order.
    pub order: Vec<usize>,
    /// The rule-independent part of the Report's rows, in row order.
    pub rows: std::sync::Arc<[crate::engine::report::RowHead]>,
    /// Results kept for reuse while their inputs stay the same.
    pub memo: Memo,
}

/// The Pareto report and each customer's ABC class (shared with the Reports' lines).
pub type ParetoResult = (pareto::ParetoReport, std::sync::Arc<[pareto::AbcClass]>);

/// The RFM summary and each customer's scores (shared with the Reports' lines).
pub type RfmResult = (rfm::RfmSummary, std::sync::Arc<[rfm::RfmScore]>);

/// Results of the sections whose work does not depend on most rules, with what they were
/// computed from.
#[derive(Debug, Default)]
pub struct Memo {
    /// Pareto / ABC and its rules.
    pub pareto: Option<(crate::engine::rules::ParetoRules, ParetoResult)>,
    /// RFM and its rules.
    pub rfm: Option<(crate::engine::rules::RfmRules, RfmResult)>,
    /// The CLV fit and the `min_customers` it was checked against.
    pub clv_fit: Option<(usize, Result<clv::ClvFit, String>)>,
    /// The scored CLV and the rules it was scored with.
    pub clv: Option<(
        crate::engine::rules::ClvRules,
        Result<clv::ClvReport, String>,
    )>,
    /// Segment migration and its split date.
    pub migration: Option<(NaiveDate, migration::Migration)>,
    /// Each customer's dominant need and the need rules it was derived with.
    pub need: Option<(crate::engine::rules::NeedRules, Vec<Option<u8>>)>,
    /// The mileage study and its rules.
    pub mileage: Option<(crate::engine::rules::MileageRules, mileage::MileageStudy)>,
    /// The monthly trends by lifecycle label, and the lifecycle rules (the only rules the
    /// label reads).
    pub trends_lifecycle: Option<(crate::engine::rules::LifecycleRules, TrendSplit)>,
    /// The monthly trends by value label, and the value rules (the only rules the label
    /// reads).
    pub trends_value: Option<(crate::engine::rules::ValueRules, TrendSplit)>,
    /// The call lists, each with the rules it reads.
    pub lists: reminders::ListMemo,
    /// The segment schemes, each with the rules it reads.
    pub segments: segments::SegmentMemo,
}

/// Monthly series per label.
pub type TrendSplit = std::collections::BTreeMap<String, trends::Series>;

impl Basis {
    /// Reads the records once for `ctx.customers` at `ctx.as_of` (`ctx.rules` is not read).
    pub fn new(ctx: &Context) -> Self {
        let needs = segments::NeedFacts::new(ctx);
        let mut order: Vec<usize> = (0..ctx.customers.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&ctx.customers[a], &ctx.customers[b]);
            b.revenue.cmp(&a.revenue).then_with(|| a.id.cmp(&b.id))
        });
        Basis {
            as_of: ctx.as_of,
            groups: pareto::group_totals(ctx),
            segments: segments::SegmentFacts::new(ctx),
            reminders: reminders::ReminderFacts::new(ctx, &needs),
            needs,
            fleet: mileage::FleetFacts::new(ctx),
            trends: trends::TrendFacts::new(ctx),
            rows: order
                .iter()
                .filter_map(|&i| {
                    let c = ctx.customers.get(i)?;
                    Some(crate::engine::report::RowHead::new(i, c, ctx.as_of))
                })
                .collect(),
            order,
            memo: Memo::default(),
        }
    }
}

/// The value kept in `slot` when it was computed for `key`, else `compute()` (kept for next
/// time).
pub(crate) fn memoised<K: PartialEq, V>(
    slot: &mut Option<(K, V)>,
    key: K,
    compute: impl FnOnce() -> V,
) -> &V {
    if slot.as_ref().is_some_and(|(k, _)| *k != key) {
        *slot = None;
    }
    &slot.get_or_insert_with(|| (key, compute())).1
}
