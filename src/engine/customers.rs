//! Per-customer aggregates: visits, first and last visit, revenue, average ticket, recency.

use crate::engine::intern::{Strings, Sym};
use crate::engine::records::ServiceRecord;
use crate::engine::values::Cents;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// One visit: a distinct work order, or a distinct customer-day when orders are not mapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// The visit's date (the earliest date of its rows).
    pub date: NaiveDate,
    /// The visit's total in fen.
    pub amount: Cents,
}

/// Everything known about one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary {
    /// Customer key.
    pub id: String,
    /// The name seen most often (ties: the latest).
    pub name: Option<String>,
    /// Visits in date order.
    pub visits: Vec<Visit>,
    /// Total revenue in fen (refunds included, so it can be negative).
    pub revenue: Cents,
    /// Indexes of this customer's records in the extraction.
    pub records: Vec<usize>,
}

impl CustomerSummary {
    /// Date of the first visit.
    pub fn first_visit(&self) -> NaiveDate {
        self.visits.first().map(|v| v.date).unwrap_or_default()
    }

    /// Date of the last visit.
    pub fn last_visit(&self) -> NaiveDate {
        self.visits.last().map(|v| v.date).unwrap_or_default()
    }

    /// Revenue per visit in fen, rounded half away from zero.
    pub fn avg_ticket(&self) -> Cents {
        let n = self.visits.len() as i64;
        if n == 0 {
            return 0;
        }
        let (q, r) = (self.revenue / n, self.revenue % n);
        if 2 * r.abs() >= n {
            q + self.revenue.signum()
        } else {
            q
        }
    }

    /// Days from the last visit to `as_of` (0 when the last visit is after `as_of`).
    pub fn recency_days(&self, as_of: NaiveDate) -> i64 {
        (as_of - self.last_visit()).num_days().max(0)
    }
}

/// Groups records into customers and visits; `strings` holds the records' texts. Customers
/// come out sorted by key.
pub fn summarise(records: &[ServiceRecord], strings: &Strings) -> Vec<CustomerSummary> {
    // customer → visit key → (date, amount)
    #[derive(Default)]
    struct Acc<'a> {
        visits: HashMap<VisitKey, (NaiveDate, Cents)>,
        records: Vec<usize>,
        revenue: Cents,
        names: BTreeMap<&'a str, (usize, usize)>,
    }
    // Equal texts have equal symbols: orders are told apart by symbol.
    #[derive(Hash, PartialEq, Eq)]
    enum VisitKey {
        Order(Sym),
        Day(NaiveDate),
    }
    let mut by_customer: BTreeMap<&str, Acc> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        let acc = by_customer.entry(strings.get(r.customer)).or_default();
        let key = match r.order_id {
            Some(o) => VisitKey::Order(o),
            None => VisitKey::Day(r.date),
        };
        let v = acc.visits.entry(key).or_insert((r.date, 0));
        v.0 = v.0.min(r.date);
        v.1 = v.1.saturating_add(r.amount);
        acc.revenue = acc.revenue.saturating_add(r.amount);
        acc.records.push(i);
        if let Some(n) = strings.text(r.customer_name) {
            let e = acc.names.entry(n).or_insert((0, 0));
            e.0 += 1;
            e.1 = i;
        }
    }
    by_customer
        .into_iter()
        .map(|(id, acc)| {
            let mut visits: Vec<Visit> = acc
                .visits
                .into_values()
                .map(|(date, amount)| Visit { date, amount })
                .collect();
            visits.sort_by(|a, b| a.date.cmp(&b.date).then(a.amount.cmp(&b.amount)));
            let name = acc
                .names
                .into_iter()
                .max_by_key(|(_, (count, last))| (*count, *last))
                .map(|(n, _)| n.to_string());
            CustomerSummary {
                id: id.to_string(),
                name,
                visits,
                revenue: acc.revenue,
                records: acc.records,
            }
        })
        .collect()
}

/// Distinct visit count over all customers.
pub fn total_visits(customers: &[CustomerSummary]) -> usize {
    customers.iter().map(|c| c.visits.len()).sum()
}

/// The latest record date.
pub fn latest_date(records: &[ServiceRecord]) -> Option<NaiveDate> {
    records.iter().map(|r| r.date).max()
}
