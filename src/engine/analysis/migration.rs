//! Segment migration (product.md, "Beyond the seeds"): each customer's RFM 8-class segment
//! (see [`crate::engine::analysis::rfm`]) computed twice and compared.
//!
//! * **from** — only the visits on or before `split`, with `as_of = split`: recency is counted
//!   to the split, frequency and revenue are those visits' count and net amount, and the means
//!   are taken over the customers who had such a visit. A customer with no visit on or before
//!   the split is `"new"`.
//! * **to** — all visits, with `as_of = ctx.as_of` (exactly the `rfm8` of [`rfm::run`]).
//!
//! The matrix counts every customer (`from → to → count`, stayers included; only non-zero
//! cells are present); `moved` lists,
//! in `ctx.customers` order, the customers whose two segments differ, new customers included
//! (`"new"` → their segment). Refunds and ties follow the RFM module: revenue is net, a value
//! equal to the mean counts as high. The default split is `as_of` − 180 days
//! ([`default_split`]).
//!
//! [`rfm::run`]: crate::engine::analysis::rfm::run

use crate::engine::analysis::rfm::{rfm8_indexes, RFM8};
use crate::engine::analysis::Context;
use crate::engine::values::Cents;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The from-segment of customers without a visit on or before the split.
pub const NEW: &str = "new";

/// Days between the default split and `as_of`.
pub const DEFAULT_SPLIT_DAYS: u64 = 180;

/// One customer whose segment changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// Customer key.
    pub id: String,
    /// Segment at the split (`"new"` if not yet a customer).
    pub from: Cow<'static, str>,
    /// Segment at `as_of`.
    pub to: Cow<'static, str>,
}

/// Migration between the split and `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Migration {
    /// The split date (the from-side's reference date).
    pub split: NaiveDate,
    /// The to-side's reference date.
    pub as_of: NaiveDate,
    /// `from → to → customers`, every customer counted once.
    pub matrix: BTreeMap<String, BTreeMap<String, usize>>,
    /// Customers in the same segment on both sides.
    pub stayed: usize,
    /// Customers whose segment changed (new customers included).
    pub moved_count: usize,
    /// Customers with no visit on or before the split.
    pub new_count: usize,
    /// The customers whose segment changed, in customer order.
    pub moved: std::sync::Arc<[Move]>,
}

/// `as_of` − 180 days (or `as_of` itself if that is out of range).
pub fn default_split(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_days(Days::new(DEFAULT_SPLIT_DAYS))
        .unwrap_or(as_of)
}

/// Each customer's 8-class segment at `split` (visits on or before it) and at `ctx.as_of`
/// (all visits), and who moved.
pub fn run(ctx: &Context, split: NaiveDate) -> Migration {
    // From-side: (index, recency, visits, revenue) of customers with a visit by the split.
    let mut before_idx: Vec<usize> = Vec::new();
    let mut before_rows: Vec<(i64, i64, Cents)> = Vec::new();
    for (i, c) in ctx.customers.iter().enumerate() {
        let mut last: Option<NaiveDate> = None;
        let mut visits = 0i64;
        let mut revenue: Cents = 0;
        for v in c.visits.iter().filter(|v| v.date <= split) {
            last = Some(last.map_or(v.date, |l| l.max(v.date)));
            visits += 1;
            revenue = revenue.saturating_add(v.amount);
        }
        if let Some(last) = last {
            before_idx.push(i);
            before_rows.push(((split - last).num_days().max(0), visits, revenue));
        }
    }
    // Class indexes into RFM8; NEW_INDEX for "new".
    const NEW_INDEX: usize = RFM8.len();
    let mut from: Vec<usize> = vec![NEW_INDEX; ctx.customers.len()];
    for (k, class) in rfm8_indexes(&before_rows).into_iter().enumerate() {
        from[before_idx[k]] = class;
    }
    let after_rows: Vec<(i64, i64, Cents)> = ctx
        .customers
        .iter()
        .map(|c| (c.recency_days(ctx.as_of), c.visits.len() as i64, c.revenue))
        .collect();
    let to: Vec<usize> = rfm8_indexes(&after_rows);
    let name = |i: usize| RFM8.get(i).copied().unwrap_or(NEW);

    let mut counts = [[0usize; RFM8.len()]; RFM8.len() + 1];
    let mut moved = Vec::new();
    let mut stayed = 0;
    for (i, c) in ctx.customers.iter().enumerate() {
        counts[from[i]][to[i].min(RFM8.len() - 1)] += 1;
        if from[i] == to[i] {
            stayed += 1;
        } else {
            moved.push(Move {
                id: c.id.clone(),
                from: Cow::Borrowed(name(from[i])),
                to: Cow::Borrowed(name(to[i])),
            });
        }
    }
    let mut matrix: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (f, row) in counts.iter().enumerate() {
        for (t, &n) in row.iter().enumerate() {
            if n > 0 {
                matrix
                    .entry(name(f).to_string())
                    .or_default()
                    .insert(name(t).to_string(), n);
            }
        }
    }
    Migration {
        split,
        as_of: ctx.as_of,
        matrix,
        stayed,
        moved_count: moved.len(),
        new_count: ctx.customers.len() - before_idx.len(),
        moved: moved.into(),
    }
}
