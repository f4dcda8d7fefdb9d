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

/// Runs the trends. `lifecycle` and `value`: the customers' labels (aligned with
/// `ctx.customers`, as from [`super::segments::run`]).
pub fn run(ctx: &Context, lifecycle: &[Option<String>], value: &[Option<String>]) -> Trends {
    let dates = ctx
        .customers
        .iter()
        .flat_map(|c| c.visits.iter().map(|v| v.date));
    let (Some(first), Some(last)) = (
        dates.clone().map(month_index).min(),
        dates.map(month_index).max(),
    ) else {
        return Trends::default();
    };
    let n = (last - first + 1) as usize;
    let empty = || Series {
        revenue: vec![0; n],
        visits: vec![0; n],
    };
    let add = |s: &mut Series, k: usize, amount: Cents| {
        if let (Some(r), Some(v)) = (s.revenue.get_mut(k), s.visits.get_mut(k)) {
            *r = r.saturating_add(amount);
            *v += 1;
        }
    };
    let mut total = empty();
    let mut by_lifecycle: BTreeMap<String, Series> = BTreeMap::new();
    let mut by_value: BTreeMap<String, Series> = BTreeMap::new();
    // cohort month → (size, months with a visit → customers)
    let mut cohorts: BTreeMap<i64, (usize, Vec<usize>)> = BTreeMap::new();
    // per segment series, without a string allocation per visit
    fn series<'m>(
        map: &'m mut BTreeMap<String, Series>,
        label: Option<&str>,
        empty: &dyn Fn() -> Series,
    ) -> Option<&'m mut Series> {
        let l = label?;
        if !map.contains_key(l) {
            map.insert(l.to_string(), empty());
        }
        map.get_mut(l)
    }
    let mut active: Vec<i64> = Vec::new();
    for (i, c) in ctx.customers.iter().enumerate() {
        let Some(fv) = c.visits.first() else { continue };
        let life = lifecycle.get(i).and_then(|l| l.as_deref());
        let val = value.get(i).and_then(|l| l.as_deref());
        active.clear();
        for v in &c.visits {
            let m = month_index(v.date);
            add(&mut total, (m - first) as usize, v.amount);
            // visits are in date order: months ascend
            if active.last() != Some(&m) {
                active.push(m);
            }
        }
        for l in [
            series(&mut by_lifecycle, life, &empty),
            series(&mut by_value, val, &empty),
        ]
        .into_iter()
        .flatten()
        {
            for v in &c.visits {
                add(l, (month_index(v.date) - first) as usize, v.amount);
            }
        }
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
    Trends {
        months: (first..=last).map(month_name).collect(),
        total,
        by_lifecycle,
        by_value,
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
    }
}
