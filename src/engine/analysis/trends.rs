//! Trends and cohorts (product.md, Analyses 12).
//!
//! # Rules
//! - **Months** (`YYYY-MM`) run from the month of the earliest visit to the month of the
//!   latest visit in the data, every month in between included (zeros when nothing
//!   happened). Visits after `as_of` are included: the trend shows the data as it is.
//! - **Monthly revenue / visits**: each visit (work order, else customer-day) counts in the
//!   month of its date with its amount (refunds included). `by_lifecycle` / `by_value`: the
//!   same split by the customers' *current* lifecycle and value labels (as of `as_of`, not
//!   as of each month); customers without a label are left out of the split.
//! - **Cohorts**: customers grouped by the month of their first visit. For cohort month `c`
//!   and offset `k = 0 … (last month − c)`, `retained[k]` = cohort customers with at least
//!   one visit in month `c + k` (so `retained[0] = size`), `share[k] = retained[k] / size`.
//!   Rows get shorter towards the latest month: a triangle.

use crate::engine::analysis::Context;
use crate::engine::values::Cents;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// Monthly revenue and visits, aligned with [`Trends::months`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Revenue per month, in yuan.
    #[serde(serialize_with = "yuan_vec", deserialize_with = "de_yuan_vec")]
    pub revenue: Vec<Cents>,
    /// Visits per month.
    pub visits: Vec<u64>,
}

/// One first-visit cohort: a row of the retention triangle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// The month of the first visit (`YYYY-MM`).
    pub month: String,
    /// Customers whose first visit is in that month.
    pub size: usize,
    /// `retained[k]`: cohort customers with a visit `k` months later.
    pub retained: Vec<usize>,
    /// `retained[k] / size`.
    pub share: Vec<f64>,
}

/// Monthly trends and cohort retention.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    /// Every month from the first to the last visit, `YYYY-MM`.
    pub months: Vec<String>,
    /// All customers.
    pub total: Series,
    /// Per current lifecycle label.
    pub by_lifecycle: BTreeMap<String, Series>,
    /// Per current value label.
    pub by_value: BTreeMap<String, Series>,
    /// First-visit cohorts, oldest first.
    pub cohorts: Vec<Cohort>,
}

/// Serialises fen as yuan.
fn yuan_vec<S: Serializer>(v: &[Cents], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|c| *c as f64 / 100.0))
}

/// Reads yuan back into fen.
fn de_yuan_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cents>, D::Error> {
    let v = Vec::<f64>::deserialize(d)?;
    Ok(v.into_iter()
        .map(|y| (y * 100.0).round() as Cents)
        .collect())
}

/// Months since year 0.
fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// `YYYY-MM` of a month index.
fn month_name(m: i64) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The rule-independent part of the trends: the months, the total series, the cohorts and
/// each customer's visits as (month offset, amount); computed once per file and mapping.
#[derive(Debug, Clone, Default)]
pub struct TrendFacts {
    base: Trends,
    /// Per customer, `visits[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<usize>,
    visits: Vec<(u32, Cents)>,
}

impl TrendFacts {
    /// Reads the customers' visits.
    pub fn new(ctx: &Context) -> Self {
        let dates = ctx
            .customers
            .iter()
            .flat_map(|c| c.visits.iter().map(|v| v.date));
        let (Some(first), Some(last)) = (
            dates.clone().map(month_index).min(),
            dates.map(month_index).max(),
        ) else {
            return TrendFacts {
                offsets: vec![0; ctx.customers.len() + 1],
                ..TrendFacts::default()
            };
        };
        let n = (last - first + 1) as usize;
        let mut total = empty(n);
        // cohort month → (size, months with a visit → customers)
        let mut cohorts: BTreeMap<i64, (usize, Vec<usize>)> = BTreeMap::new();
        let mut active: Vec<i64> = Vec::new();
        let mut offsets = vec![0];
        let mut visits = Vec::new();
        for c in ctx.customers {
            let Some(fv) = c.visits.first() else {
                offsets.push(visits.len());
                continue;
            };
            active.clear();
            for v in &c.visits {
                let m = month_index(v.date);
                add(&mut total, (m - first) as usize, v.amount);
                visits.push(((m - first) as u32, v.amount));
                // visits are in date order: months ascend
                if active.last() != Some(&m) {
                    active.push(m);
                }
            }
            offsets.push(visits.len());
            let cm = month_index(fv.date);
            let row = cohorts
                .entry(cm)
                .or_insert_with(|| (0, vec![0; (last - cm + 1) as usize]));
            row.0 += 1;
            for &m in &active {
                if let Some(x) = row.1.get_mut((m - cm) as usize) {
                    *x += 1;
                }
            }
        }
        let base = Trends {
            months: (first..=last).map(month_name).collect(),
            total,
            by_lifecycle: BTreeMap::new(),
            by_value: BTreeMap::new(),
            cohorts: cohorts
                .into_iter()
                .map(|(m, (size, retained))| Cohort {
                    month: month_name(m),
                    size,
                    share: retained
                        .iter()
                        .map(|&r| {
                            if size == 0 {
                                0.0
                            } else {
                                r as f64 / size as f64
                            }
                        })
                        .collect(),
                    retained,
                })
                .collect(),
        };
        TrendFacts {
            base,
            offsets,
            visits,
        }
    }

    /// Customer `ci`'s visits.
    fn of(&self, ci: usize) -> &[(u32, Cents)] {
        super::part(&self.visits, &self.offsets, ci)
    }
}

/// A series of `n` months of zeros.
fn empty(n: usize) -> Series {
    Series {
        revenue: vec![0; n],
        visits: vec![0; n],
    }
}

/// Adds one visit to month `k` of a series.
fn add(s: &mut Series, k: usize, amount: Cents) {
    if let (Some(r), Some(v)) = (s.revenue.get_mut(k), s.visits.get_mut(k)) {
        *r = r.saturating_add(amount);
        *v += 1;
    }
}

/// Runs the trends. `lifecycle` and `value`: the customers' labels (aligned with
/// `ctx.customers`, as from [`super::segments::run`]).
pub fn run<L: AsRef<str>>(ctx: &Context, lifecycle: &[Option<L>], value: &[Option<L>]) -> Trends {
    fn pick<L: AsRef<str>>(v: &[Option<L>]) -> Vec<Option<&str>> {
        v.iter().map(|l| l.as_ref().map(AsRef::as_ref)).collect()
    }
    run_cached(&TrendFacts::new(ctx), &pick(lifecycle), &pick(value))
}

/// [`run`] from facts gathered beforehand.
pub fn run_cached(
    facts: &TrendFacts,
    lifecycle: &[Option<&str>],
    value: &[Option<&str>],
) -> Trends {
    with_splits(facts, split(facts, lifecycle), split(facts, value))
}

/// The trends of `facts` with the given splits by lifecycle and by value label.
pub fn with_splits(
    facts: &TrendFacts,
    by_lifecycle: BTreeMap<String, Series>,
    by_value: BTreeMap<String, Series>,
) -> Trends {
    let mut out = facts.base.clone();
    out.by_lifecycle = by_lifecycle;
    out.by_value = by_value;
    out
}

/// Monthly figures per label: each customer's visits go to the series of its label
/// (`labels[ci]`; customers without one are left out).
pub fn split(facts: &TrendFacts, labels: &[Option<&str>]) -> BTreeMap<String, Series> {
    let n = facts.base.months.len();
    // label → series, few labels: a linear search
    let mut acc: Vec<(&str, Series)> = Vec::new();
    for (ci, label) in labels.iter().enumerate() {
        let Some(l) = label else { continue };
        let visits = facts.of(ci);
        if visits.is_empty() {
            continue;
        }
        let k = match acc.iter().position(|(x, _)| x == l) {
            Some(k) => k,
            None => {
                acc.push((l, empty(n)));
                acc.len() - 1
            }
        };
        if let Some((_, s)) = acc.get_mut(k) {
            for &(m, amount) in visits {
                add(s, m as usize, amount);
            }
        }
    }
    acc.into_iter().map(|(l, s)| (l.to_string(), s)).collect()
}
