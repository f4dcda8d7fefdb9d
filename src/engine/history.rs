//! One customer's history: every row of the export that was used for them, newest first,
//! with what the dashboard shows when a customer is opened.

use crate::engine::values::Cents;
use crate::engine::Prepared;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Most rows sent for one customer (the newest are kept).
pub const MAX_LINES: usize = 2_000;

/// One row of the export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    /// 1-based row number in the sheet.
    pub row: usize,
    /// Service date.
    pub date: NaiveDate,
    /// Work order number when mapped.
    pub order_id: Option<String>,
    /// Amount in fen.
    pub amount: Cents,
    /// Service type when mapped.
    pub service_type: Option<String>,
    /// Odometer reading when mapped.
    pub mileage: Option<f64>,
    /// Plate when mapped.
    pub plate: Option<String>,
    /// Vehicle model (or series) when mapped.
    pub vehicle: Option<String>,
}

/// A customer and their rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerHistory {
    /// Customer key.
    pub id: String,
    /// The name seen most often.
    pub name: Option<String>,
    /// Every phone number seen, in order of first use.
    pub phones: Vec<String>,
    /// Every plate seen, in order of first use.
    pub plates: Vec<String>,
    /// Distinct visits.
    pub visits: usize,
    /// Net revenue in fen.
    pub revenue: Cents,
    /// Rows used for this customer.
    pub rows: usize,
    /// The newest [`MAX_LINES`] rows, newest first (same date: later row first).
    pub lines: Vec<HistoryLine>,
}

/// Pushes `v` unless it is already there.
fn push_new(list: &mut Vec<String>, seen: &mut BTreeSet<String>, v: Option<&str>) {
    if let Some(v) = v.filter(|v| !v.is_empty()) {
        if seen.insert(v.to_string()) {
            list.push(v.to_string());
        }
    }
}

/// The history of the customer whose key is `id` (None when there is no such customer).
pub fn history(p: &Prepared, id: &str) -> Option<CustomerHistory> {
    let i = p.customers.binary_search_by(|c| (*c.id).cmp(id)).ok()?;
    let c = p.customers.get(i)?;
    let records = &p.extraction.records;
    let text = |sym| p.extraction.strings.text(sym);
    let mut used: Vec<_> = c.records.iter().filter_map(|&r| records.get(r)).collect();
    used.sort_by(|a, b| b.date.cmp(&a.date).then(b.row.cmp(&a.row)));
    let (mut phones, mut plates) = (Vec::new(), Vec::new());
    let (mut seen_phones, mut seen_plates) = (BTreeSet::new(), BTreeSet::new());
    for r in used.iter().rev() {
        push_new(&mut phones, &mut seen_phones, text(r.phone));
        push_new(&mut plates, &mut seen_plates, text(r.plate));
    }
    let lines = used
        .iter()
        .take(MAX_LINES)
        .map(|r| HistoryLine {
            row: r.row,
            date: r.date,
            order_id: text(r.order_id).map(str::to_string),
            amount: r.amount,
            service_type: text(r.service_type).map(str::to_string),
            mileage: r.mileage,
            plate: text(r.plate).map(str::to_string),
            vehicle: text(r.vehicle_model)
                .or(text(r.vehicle_series))
                .map(str::to_string),
        })
        .collect();
    Some(CustomerHistory {
        id: c.id.to_string(),
        name: c.name.as_deref().map(str::to_string),
        phones,
        plates,
        visits: c.visits.len(),
        revenue: c.revenue,
        rows: used.len(),
        lines,
    })
}
