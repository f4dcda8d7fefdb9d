//! Pareto / ABC analysis (二八原则, product.md "Analyses" 1): items (customers, or groups such as
//! service types) ranked by revenue, the cumulative share curve, the share held by the top
//! 20 %, how many items make 80 %, ABC classes and the Gini coefficient.
//!
//! **Order and ties.** Items are sorted by total revenue, descending; equal totals are ordered
//! by label, ascending (byte order of the UTF-8 label), then by input position. Every rank-based
//! figure (the top-20 % share, the curve, ABC) follows this order, so it is deterministic.
//!
//! **Refunds.** An item's total is the net of its rows and may be negative. Negative totals
//! keep their place at the bottom of the order (they sort last) but count as 0 revenue in every
//! share: shares are taken against the *positive total* (the sum of the positive item totals),
//! the Gini coefficient clips negatives at 0, and they are listed in `negative_items`. `total`
//! is the net sum (refunds subtracted); `positive_total` the denominator of the shares. When no
//! item has a positive total, every share is 0, `count_for_80pct` is 0, there is no crossing
//! point and every item is class C.
//!
//! **ABC.** Walking down the order, an item is A while the cumulative share *before* it is below
//! `a_share` — so the item that crosses 80 % is A and the A count equals `count_for_80pct` —,
//! B while the share before it is below `b_share`, C otherwise (items with zero or negative
//! totals are therefore C). A class's `revenue` is the net sum of its items' totals.
//!
//! **Exactness.** Shares thresholds are compared exactly in integers: `a_share` is taken as the
//! rational `round(a_share × 10⁹) / 10⁹` and "cumulative ≥ a_share × total" is
//! `cum × 10⁹ ≥ total × round(a_share × 10⁹)` in i128. The top count is
//! `ceil(top_fraction × n)` computed with a 1e-9 tolerance (so 0.2 × 15 = 3, not 4), at least 1
//! when there are items. The Gini coefficient is the rational
//! `(2 Σ i·xᵢ − (n+1) Σ xᵢ) / (n Σ xᵢ)` (xᵢ ascending, i 1-based), exact up to the final
//! division.
//!
//! **Groups.** The Pareto by service type, vehicle model, vehicle series and region sums the
//! record amounts by the role's value; records without a value form one group with the empty
//! label `""` (shown as "(blank)"/"(空白)" by the UI). A group Pareto is `None` when its role is
//! not mapped. The group totals need a pass over every record but do not depend on the rules:
//! [`group_totals`] computes them once, [`run_with`] re-uses them after a rule change.

use crate::engine::analysis::Context;
use crate::engine::intern::Sym;
use crate::engine::mapping::Role;
use crate::engine::records::ServiceRecord;
use crate::engine::rules::ParetoRules;
use crate::engine::values::Cents;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashMap;

/// Serde helper: yuan (f64) back to fen.
pub(crate) fn de_yuan<'de, D: Deserializer<'de>>(d: D) -> Result<Cents, D::Error> {
    let v = f64::deserialize(d)?;
    Ok((v * 100.0).round() as Cents)
}

/// Items listed in `top`.
pub const TOP_ITEMS: usize = 50;
/// At most this many items are listed in `negative_items` (`negative_count` counts them all).
pub const NEGATIVE_ITEMS: usize = 100;
/// Denominator of the rational share thresholds.
const SHARE_DEN: i128 = 1_000_000_000;

/// ABC class of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AbcClass {
    /// Up to and including the item that crosses `a_share` (80 %).
    A,
    /// Up to and including the item that crosses `b_share` (95 %).
    B,
    /// The rest, and every item with a zero or negative total.
    C,
}

/// Count and net revenue of one ABC class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassStat {
    /// Items in the class.
    pub count: usize,
    /// Net revenue of those items (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "de_yuan"
    )]
    pub revenue: Cents,
}

/// The three ABC classes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct AbcSummary {
    #[serde(rename = "A")]
    /// Class A.
    pub a: ClassStat,
    #[serde(rename = "B")]
    /// Class B.
    pub b: ClassStat,
    #[serde(rename = "C")]
    /// Class C.
    pub c: ClassStat,
}

/// One point of the cumulative curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Items counted (0 = the origin).
    pub rank: usize,
    /// rank / n.
    pub item_share: f64,
    /// Cumulative share of the positive total held by the first `rank` items.
    pub revenue_share: f64,
}

/// One of the first [`TOP_ITEMS`] items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopItem {
    /// 1-based rank.
    pub rank: usize,
    /// The item (customer id or group value).
    pub label: String,
    /// Net revenue (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "de_yuan"
    )]
    pub revenue: Cents,
    /// Share of the positive total (0 for negative totals).
    pub share: f64,
    /// Cumulative share up to and including this item.
    pub cumulative_share: f64,
    /// ABC class.
    pub class: AbcClass,
}

/// An item with a negative total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NegativeItem {
    /// The item.
    pub label: String,
    /// Its (negative) net revenue (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "de_yuan"
    )]
    pub revenue: Cents,
}

/// The Pareto analysis of one set of items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoResult {
    /// Number of items.
    pub items: usize,
    /// Net total (refunds subtracted; yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "de_yuan"
    )]
    pub total: Cents,
    /// Sum of the positive item totals: the denominator of every share (yuan).
    #[serde(
        serialize_with = "crate::engine::report::yuan",
        deserialize_with = "de_yuan"
    )]
    pub positive_total: Cents,
    /// ceil(top_fraction × items).
    pub top_count: usize,
    /// Share of the positive total held by the first `top_count` items.
    pub top20_share: f64,
    /// Fewest items whose cumulative revenue reaches `a_share` of the positive total.
    pub count_for_80pct: usize,
    /// Gini coefficient of the item totals (negatives clipped at 0), 0..(n−1)/n.
    pub gini: f64,
    /// ABC classes.
    pub abc: AbcSummary,
    /// The cumulative curve, downsampled to about `curve_points` points; always holds the
    /// origin, rank 1, the crossing point and the last item.
    pub curve: Vec<CurvePoint>,
    /// The exact point where the cumulative share first reaches `a_share`.
    pub crossing: Option<CurvePoint>,
    /// The first [`TOP_ITEMS`] items.
    pub top: Vec<TopItem>,
    /// Items with a negative total.
    pub negative_count: usize,
    /// The first [`NEGATIVE_ITEMS`] of them, in rank order (the most negative last).
    pub negative_items: Vec<NegativeItem>,
}

/// Pareto of customers and, when their roles are mapped, of groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoReport {
    /// Customers ranked by revenue.
    pub customers: ParetoResult,
    /// Service types (`None`: role not mapped).
    pub service_type: Option<ParetoResult>,
    /// Vehicle models.
    pub vehicle_model: Option<ParetoResult>,
    /// Vehicle series.
    pub vehicle_series: Option<ParetoResult>,
    /// Regions.
    pub region: Option<ParetoResult>,
}

/// A share in [0, 1] as the numerator over [`SHARE_DEN`].
fn share_num(share: f64) -> i128 {
    if share.is_nan() {
        return 0;
    }
    (share.clamp(0.0, 1.0) * SHARE_DEN as f64).round() as i128
}

fn ratio(num: i128, den: i128) -> f64 {
    if den <= 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// The Pareto analysis of `values` (label, net revenue) under `rules`.
pub fn curve(values: &[(String, Cents)], rules: &ParetoRules) -> ParetoResult {
    analyse(values, rules).0
}

/// [`curve`] plus each item's ABC class, in the order of `values`.
pub fn curve_with_classes(
    values: &[(String, Cents)],
    rules: &ParetoRules,
) -> (ParetoResult, Vec<AbcClass>) {
    analyse(values, rules)
}

fn analyse<L: AsRef<str>>(
    values: &[(L, Cents)],
    rules: &ParetoRules,
) -> (ParetoResult, Vec<AbcClass>) {
    analyse_ranked(values, &rank(values), rules)
}

/// Positions of `values` by revenue (highest first), then label, then position.
fn rank<L: AsRef<str>>(values: &[(L, Cents)]) -> Vec<usize> {
    // Sort (revenue, label, position) triples in place: contiguous, so fast on 100k items.
    let mut keyed: Vec<(Cents, &str, usize)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.1, v.0.as_ref(), i))
        .collect();
    keyed.sort_unstable_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(y.1)).then(x.2.cmp(&y.2)));
    keyed.into_iter().map(|k| k.2).collect()
}

/// [`analyse`] with the rank order already known (see [`rank`]).
fn analyse_ranked<L: AsRef<str>>(
    values: &[(L, Cents)],
    order: &[usize],
    rules: &ParetoRules,
) -> (ParetoResult, Vec<AbcClass>) {
    let n = values.len();
    let clipped = |i: usize| -> i128 { i128::from(values[i].1.max(0)) };
    let total: i128 = values.iter().map(|v| i128::from(v.1)).sum();
    let positive: i128 = (0..n).map(clipped).sum();
    // cum[k] = clipped revenue of the first k items in rank order.
    let mut cum: Vec<i128> = Vec::with_capacity(n + 1);
    cum.push(0);
    for &i in order {
        let last = cum.last().copied().unwrap_or(0);
        cum.push(last + clipped(i));
    }
    let a_num = share_num(rules.a_share);
    let b_num = share_num(rules.b_share);

    // Fewest items reaching a_share.
    let count_for_80pct = if positive <= 0 || a_num == 0 {
        0
    } else {
        (1..=n)
            .find(|&k| cum[k] * SHARE_DEN >= positive * a_num)
            .unwrap_or(n)
    };

    // ABC.
    let mut classes = vec![AbcClass::C; n];
    let mut abc = AbcSummary::default();
    for (k, &i) in order.iter().enumerate() {
        let before = cum[k] * SHARE_DEN;
        let class = if positive > 0 && before < positive * a_num {
            AbcClass::A
        } else if positive > 0 && before < positive * b_num {
            AbcClass::B
        } else {
            AbcClass::C
        };
        classes[i] = class;
        let stat = match class {
            AbcClass::A => &mut abc.a,
            AbcClass::B => &mut abc.b,
            AbcClass::C => &mut abc.c,
        };
        stat.count += 1;
        stat.revenue = stat.revenue.saturating_add(values[i].1);
    }

    // Top fraction.
    let tf = if rules.top_fraction.is_nan() {
        0.0
    } else {
        rules.top_fraction.clamp(0.0, 1.0)
    };
    let top_count = if n == 0 || tf == 0.0 {
        0
    } else {
        ((tf * n as f64 - 1e-9).ceil() as usize).clamp(1, n)
    };
    let top20_share = ratio(cum[top_count], positive);

    // Gini on clipped values, ascending: Σ i·x_i with i = n − k for the k-th in rank order.
    let gini = if positive <= 0 || n == 0 {
        0.0
    } else {
        let ni = n as i128;
        let weighted: i128 = order
            .iter()
            .enumerate()
            .map(|(k, &i)| (ni - k as i128) * clipped(i))
            .sum();
        ratio(2 * weighted - (ni + 1) * positive, ni * positive)
    };

    let point = |rank: usize| CurvePoint {
        rank,
        item_share: if n == 0 { 0.0 } else { rank as f64 / n as f64 },
        revenue_share: ratio(cum[rank], positive),
    };
    let crossing = (count_for_80pct > 0).then(|| point(count_for_80pct));

    // Downsampled curve.
    let mut ranks: Vec<usize> = Vec::new();
    if n > 0 {
        let want = rules.curve_points.max(2);
        let step = n.div_ceil(want - 1).max(1);
        ranks.extend((0..n).step_by(step));
        ranks.push(n);
        ranks.push(1);
        if count_for_80pct > 0 {
            ranks.push(count_for_80pct);
        }
        ranks.sort_unstable();
        ranks.dedup();
    }
    let curve_points: Vec<CurvePoint> = ranks.into_iter().map(point).collect();

    let top: Vec<TopItem> = order
        .iter()
        .take(TOP_ITEMS)
        .enumerate()
        .map(|(k, &i)| TopItem {
            rank: k + 1,
            label: values[i].0.as_ref().to_string(),
            revenue: values[i].1,
            share: ratio(clipped(i), positive),
            cumulative_share: ratio(cum[k + 1], positive),
            class: classes[i],
        })
        .collect();
    let negatives: Vec<usize> = order.iter().copied().filter(|&i| values[i].1 < 0).collect();
    let negative_items = negatives
        .iter()
        .take(NEGATIVE_ITEMS)
        .map(|&i| NegativeItem {
            label: values[i].0.as_ref().to_string(),
            revenue: values[i].1,
        })
        .collect();
    let to_cents =
        |v: i128| -> Cents { v.clamp(i128::from(Cents::MIN), i128::from(Cents::MAX)) as Cents };
    (
        ParetoResult {
            items: n,
            total: to_cents(total),
            positive_total: to_cents(positive),
            top_count,
            top20_share,
            count_for_80pct,
            gini,
            abc,
            curve: curve_points,
            crossing,
            top,
            negative_count: negatives.len(),
            negative_items,
        },
        classes,
    )
}

/// One text field of a record.
type Field = fn(&ServiceRecord) -> Option<Sym>;

/// Running sums of the record amounts by the value of one field.
#[derive(Default)]
struct Grouper<'a> {
    index: HashMap<&'a str, usize>,
    sums: Vec<(&'a str, Cents)>,
    /// Consecutive records often share the value (one customer's rows): no hashing then.
    last: Option<(&'a str, usize)>,
}

impl<'a> Grouper<'a> {
    fn add(&mut self, label: &'a str, amount: Cents) {
        let i = match self.last {
            Some((l, i)) if l == label => i,
            _ => {
                let sums = &mut self.sums;
                *self.index.entry(label).or_insert_with(|| {
                    sums.push((label, 0));
                    sums.len() - 1
                })
            }
        };
        self.last = Some((label, i));
        self.sums[i].1 = self.sums[i].1.saturating_add(amount);
    }
}

/// Sums the record amounts by each field, in one pass over the records (they are large, so
/// the pass is memory-bound); records without a value go to the `""` group. Groups come out
/// sorted by label.
fn groups<'a>(ctx: &Context<'a>, fields: &[Field]) -> Vec<Vec<(&'a str, Cents)>> {
    let mut groupers: Vec<Grouper<'a>> = fields.iter().map(|_| Grouper::default()).collect();
    if !fields.is_empty() {
        for r in ctx.records {
            for (g, field) in groupers.iter_mut().zip(fields) {
                g.add(ctx.text(field(r)).unwrap_or(""), r.amount);
            }
        }
    }
    groupers
        .into_iter()
        .map(|g| {
            let mut sums = g.sums;
            sums.sort_unstable_by(|a, b| a.0.cmp(b.0));
            sums
        })
        .collect()
}

/// Revenue per group value for each mapped group role (`None`: role not mapped), labels
/// sorted. Depends only on the records and the mapping, not on the rules: compute it once per
/// file and mapping ([`group_totals`]) and re-use it with [`run_with`] when the rules change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupTotals {
    /// By service type.
    pub service_type: Option<Vec<(String, Cents)>>,
    /// By vehicle model.
    pub vehicle_model: Option<Vec<(String, Cents)>>,
    /// By vehicle series.
    pub vehicle_series: Option<Vec<(String, Cents)>>,
    /// By region.
    pub region: Option<Vec<(String, Cents)>>,
}

/// The group totals of the mapped roles, in one pass over the records.
pub fn group_totals(ctx: &Context) -> GroupTotals {
    let roles: [(Role, Field); 4] = [
        (Role::ServiceType, |r| r.service_type),
        (Role::VehicleModel, |r| r.vehicle_model),
        (Role::VehicleSeries, |r| r.vehicle_series),
        (Role::Region, |r| r.region),
    ];
    let mapped: Vec<(Role, Field)> = roles
        .into_iter()
        .filter(|(role, _)| ctx.mapping.has(*role))
        .collect();
    let fields: Vec<Field> = mapped.iter().map(|m| m.1).collect();
    let mut out = GroupTotals::default();
    for ((role, _), sums) in mapped.iter().zip(groups(ctx, &fields)) {
        let owned: Vec<(String, Cents)> =
            sums.into_iter().map(|(l, v)| (l.to_string(), v)).collect();
        let slot = match role {
            Role::ServiceType => &mut out.service_type,
            Role::VehicleModel => &mut out.vehicle_model,
            Role::VehicleSeries => &mut out.vehicle_series,
            _ => &mut out.region,
        };
        *slot = Some(owned);
    }
    out
}

/// Pareto of customers (by customer id) and of the mapped groups; plus each customer's ABC
/// class, aligned with `ctx.customers`.
pub fn run(ctx: &Context) -> (ParetoReport, Vec<AbcClass>) {
    run_with(ctx, &group_totals(ctx))
}

/// [`run`] with group totals computed beforehand.
pub fn run_with(ctx: &Context, groups: &GroupTotals) -> (ParetoReport, Vec<AbcClass>) {
    run_cached(ctx, groups, &[])
}

/// [`run_with`] with the customers' rank order known: their indexes by revenue (highest
/// first), then id, as in [`crate::engine::analysis::Basis::order`]. An `order` that is not
/// a permutation of the customers is ignored (the rank is then computed).
pub fn run_cached(
    ctx: &Context,
    groups: &GroupTotals,
    order: &[usize],
) -> (ParetoReport, Vec<AbcClass>) {
    let rules = &ctx.rules.pareto;
    let values: Vec<(&str, Cents)> = ctx
        .customers
        .iter()
        .map(|c| (c.id.as_str(), c.revenue))
        .collect();
    let n = values.len();
    let is_permutation = order.len() == n && {
        let mut seen = vec![false; n];
        order
            .iter()
            .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
    };
    let (customers, classes) = if is_permutation {
        analyse_ranked(&values, order, rules)
    } else {
        analyse(&values, rules)
    };
    let by = |g: &Option<Vec<(String, Cents)>>| g.as_ref().map(|v| analyse(v, rules).0);
    let report = ParetoReport {
        customers,
        service_type: by(&groups.service_type),
        vehicle_model: by(&groups.vehicle_model),
        vehicle_series: by(&groups.vehicle_series),
        region: by(&groups.region),
    };
    (report, classes)
}
