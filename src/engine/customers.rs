//! Per-customer aggregates: visits, first and last visit, revenue, average ticket, recency.

use crate::engine::intern::{Strings, Sym};
use crate::engine::records::ServiceRecord;
use crate::engine::values::Cents;
use chrono::NaiveDate;

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
    // Equal texts have equal symbols: customers are told apart by symbol, then put in the
    // order of their keys' texts. Each customer gets a slot, in order of first appearance.
    // A symbol of another pool (its text reads "") shares the one slot past the pool's end.
    let mut slot_of: Vec<u32> = vec![u32::MAX; strings.len() + 1];
    let mut keys: Vec<Sym> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut slots: Vec<u32> = Vec::with_capacity(records.len());
    for r in records {
        let Some(slot) = slot_of.get_mut(r.customer.index().min(strings.len())) else {
            continue;
        };
        if *slot == u32::MAX {
            *slot = keys.len() as u32;
            keys.push(r.customer);
            counts.push(0);
        }
        slots.push(*slot);
        if let Some(c) = counts.get_mut(*slot as usize) {
            *c += 1;
        }
    }
    // Record indexes grouped by customer, each group in record order (a counting sort).
    let mut starts: Vec<usize> = Vec::with_capacity(counts.len() + 1);
    let mut at = 0;
    for &c in &counts {
        starts.push(at);
        at += c as usize;
    }
    starts.push(at);
    let mut next = starts.clone();
    let mut grouped = vec![0usize; slots.len()];
    for (i, &s) in slots.iter().enumerate() {
        if let Some(n) = next.get_mut(s as usize) {
            if let Some(g) = grouped.get_mut(*n) {
                *g = i;
            }
            *n += 1;
        }
    }
    drop(slots);
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| {
        let text = |s: usize| keys.get(s).map_or("", |&k| strings.get(k));
        text(a).cmp(text(b))
    });
    order
        .into_iter()
        .map(|s| {
            let mine = starts
                .get(s)
                .zip(starts.get(s + 1))
                .and_then(|(&a, &b)| grouped.get(a..b))
                .unwrap_or(&[]);
            summarise_one(records, strings, keys.get(s).copied(), mine)
        })
        .collect()
}

/// One customer from the indexes of its records (in record order).
fn summarise_one(
    records: &[ServiceRecord],
    strings: &Strings,
    key: Option<Sym>,
    mine: &[usize],
) -> CustomerSummary {
    // A visit is an order, or a day when the row has no order number.
    #[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
    enum VisitKey {
        Order(Sym),
        Day(NaiveDate),
    }
    let mut rows: Vec<(VisitKey, NaiveDate, Cents)> = Vec::with_capacity(mine.len());
    let mut revenue: Cents = 0;
    // (name, rows with it, last row with it)
    let mut names: Vec<(Sym, usize, usize)> = Vec::new();
    for &i in mine {
        let Some(r) = records.get(i) else {
            continue;
        };
        let key = match r.order_id {
            Some(o) => VisitKey::Order(o),
            None => VisitKey::Day(r.date),
        };
        rows.push((key, r.date, r.amount));
        revenue = revenue.saturating_add(r.amount);
        if let Some(n) = r.customer_name {
            match names.iter_mut().find(|(m, _, _)| *m == n) {
                Some(e) => {
                    e.1 += 1;
                    e.2 = i;
                }
                None => names.push((n, 1, i)),
            }
        }
    }
    // Stable: a visit's amounts add up in record order, as the rows came.
    rows.sort_by_key(|(k, _, _)| *k);
    let mut visits: Vec<Visit> = Vec::new();
    let mut last: Option<VisitKey> = None;
    for (key, date, amount) in rows {
        match visits.last_mut() {
            Some(v) if last == Some(key) => {
                v.date = v.date.min(date);
                v.amount = v.amount.saturating_add(amount);
            }
            _ => visits.push(Visit { date, amount }),
        }
        last = Some(key);
    }
    visits.sort_by(|a, b| a.date.cmp(&b.date).then(a.amount.cmp(&b.amount)));
    // The most frequent name; of equally frequent ones, the one seen last.
    let name = names
        .into_iter()
        .max_by_key(|&(_, count, last)| (count, last))
        .map(|(n, _, _)| strings.get(n).to_string());
    CustomerSummary {
        id: key.map_or("", |k| strings.get(k)).to_string(),
        name,
        visits,
        revenue,
        records: mine.to_vec(),
    }
}

/// Distinct visit count over all customers.
pub fn total_visits(customers: &[CustomerSummary]) -> usize {
    customers.iter().map(|c| c.visits.len()).sum()
}

/// The latest record date.
pub fn latest_date(records: &[ServiceRecord]) -> Option<NaiveDate> {
    records.iter().map(|r| r.date).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::records::Extraction;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rec(
        customer: &str,
        name: Option<&str>,
        order: Option<&str>,
        date: NaiveDate,
        amount: Cents,
    ) -> ServiceRecord<String> {
        ServiceRecord {
            customer_name: name.map(str::to_string),
            order_id: order.map(str::to_string),
            ..ServiceRecord::new(customer.to_string(), date, amount)
        }
    }

    fn visit(date: NaiveDate, amount: Cents) -> Visit {
        Visit { date, amount }
    }

    #[test]
    fn customers_visits_and_names_by_hand() {
        let records = vec![
            // 0: "B" comes first in the file but sorts after "A"
            rec("B", Some("王五"), Some("W1"), d(2024, 3, 2), 10_000),
            // 1: order W1 again, a day earlier: one visit dated 3-1, 100.00 + 50.00
            rec("B", Some("王老五"), Some("W1"), d(2024, 3, 1), 5_000),
            // 2, 3: no order number: one visit per day; two rows of 5-5 make one visit
            rec("A", Some("李四"), None, d(2024, 5, 5), 2_000),
            rec("A", None, None, d(2024, 5, 5), 3_000),
            // 4: a refund on another day (its own visit, negative)
            rec("A", Some("李四"), None, d(2024, 1, 9), -1_500),
            // 5: order W2 of B, and B's names are tied 2 to 2 after it: the later one wins
            rec("B", Some("王老五"), Some("W2"), d(2024, 6, 1), 7_000),
            rec("B", Some("王五"), Some("W3"), d(2024, 2, 1), 1_000),
        ];
        let ex = Extraction::from_records(&records).unwrap();
        let cs = summarise(&ex.records, &ex.strings);
        assert_eq!(cs.len(), 2);
        let (a, b) = (&cs[0], &cs[1]);
        assert_eq!(a.id, "A");
        assert_eq!(a.name.as_deref(), Some("李四"));
        assert_eq!(
            a.visits,
            [visit(d(2024, 1, 9), -1_500), visit(d(2024, 5, 5), 5_000)]
        );
        assert_eq!(a.revenue, 3_500);
        assert_eq!(a.records, [2, 3, 4]);
        assert_eq!(b.id, "B");
        // 王五 rows 0 and 6, 王老五 rows 1 and 5: tied, 王五 seen last
        assert_eq!(b.name.as_deref(), Some("王五"));
        assert_eq!(
            b.visits,
            [
                visit(d(2024, 2, 1), 1_000),
                visit(d(2024, 3, 1), 15_000),
                visit(d(2024, 6, 1), 7_000),
            ]
        );
        assert_eq!(b.revenue, 23_000);
        assert_eq!(b.records, [0, 1, 5, 6]);
        assert_eq!(b.avg_ticket(), 7_667);
        assert_eq!(total_visits(&cs), 5);
    }
}
