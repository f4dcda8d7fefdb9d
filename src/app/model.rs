//! What the dashboard shows, computed from a [`Report`]: headline figures, the input of every
//! chart, segment classes in display order, the customers of a segment, and CSV exports.
//!
//! Plain functions with no web crates, so that they are tested natively (`cargo test --lib`);
//! the components in [`super::dashboard`] only call them and insert the results.

use super::format::{count, date, km, percent};
use super::i18n;
use crate::charts::{
    Bar, BarData, CohortData, CohortRow, DonutData, FunnelData, FunnelStage, HeatmapData,
    HistogramBin, HistogramData, LineData, LineSeries, Marker, ParetoData, ParetoItem, Slice,
};
use crate::engine::analysis::reminders::{CallList, Lists};
use crate::engine::analysis::rfm;
use crate::engine::analysis::segments::{self, SchemeSummary, SegmentsSummary, NEED_CODES};
use crate::engine::export::{Sheet, Value};
use crate::engine::report::CustomerRow;
use crate::engine::values::Cents;
use crate::engine::{Lang, Report};
use crate::protocol::ListFacts;
use std::collections::BTreeMap;

/// The headline figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub customers: usize,
    pub visits: usize,
    pub revenue: Cents,
    /// Share of revenue of the top 20 % of customers.
    pub top20_share: f64,
    /// Fewest customers making 80 % of revenue.
    pub count_for_80: usize,
    /// Those customers as a share of all customers.
    pub share_for_80: f64,
    pub new: usize,
    pub active: usize,
    pub at_risk: usize,
    pub lost: usize,
}

/// The headline figures of a report.
pub fn headline(r: &Report) -> Headline {
    let p = &r.pareto.customers;
    let lc = &r.segments.lifecycle.counts;
    let n = |k: &str| lc.get(k).copied().unwrap_or(0);
    Headline {
        customers: r.totals.customers,
        visits: r.totals.visits,
        revenue: r.totals.revenue,
        top20_share: p.top20_share,
        count_for_80: p.count_for_80pct,
        share_for_80: if p.items == 0 {
            0.0
        } else {
            p.count_for_80pct as f64 / p.items as f64
        },
        new: n("new"),
        active: n("active"),
        at_risk: n("at_risk"),
        lost: n("lost"),
    }
}

pub use crate::engine::select::{
    customer_class, in_class, rf_code, SortKey, ABC, RFM8, RFM_NAMED, RFM_RF,
};

/// The summary of a scheme by name.
pub fn scheme_summary<'a>(s: &'a SegmentsSummary, scheme: &str) -> Option<&'a SchemeSummary> {
    Some(match scheme {
        "lifecycle" => &s.lifecycle,
        "value" => &s.value,
        "loyalty" => &s.loyalty,
        "member" => &s.member,
        "traditional" => &s.traditional,
        "need" => &s.need,
        "habit" => &s.habit,
        "vehicle_age" => &s.vehicle_age,
        "vehicle_use" => &s.vehicle_use,
        "region" => &s.region,
        "age_cohort" => &s.age_cohort,
        "occupation" => &s.occupation,
        _ => return None,
    })
}

/// The known classes of a scheme in display order (the rest follow by count).
fn class_order(scheme: &str) -> &'static [&'static str] {
    match scheme {
        "lifecycle" => &["new", "active", "at_risk", "lost"],
        "value" => &["high", "mid", "low"],
        "loyalty" => &["loyal", "potential", "regular", "new", "churn_warning"],
        "member" => &["platinum", "gold", "silver"],
        "traditional" => &["loyal", "general", "at_risk", "lost"],
        "need" => &NEED_CODES,
        "habit" => &[
            "high_frequency",
            "low_frequency",
            "irregular",
            "insufficient",
        ],
        "vehicle_age" => &["in_three_guarantees", "in_warranty", "out_of_warranty"],
        "vehicle_use" => &["private", "official", "commercial"],
        "age_cohort" => &[
            "pre_50", "post_50", "post_60", "post_70", "post_80", "post_90", "post_00", "post_10",
            "post_20",
        ],
        RFM_NAMED => &rfm::NAMED,
        RFM8 => &rfm::RFM8,
        ABC => &["A", "B", "C"],
        _ => &[],
    }
}

/// The display name of a class.
pub fn class_label(scheme: &str, code: &str, lang: Lang) -> String {
    match scheme {
        RFM_NAMED | RFM8 => rfm::label(code, lang).to_string(),
        ABC => match lang {
            Lang::Zh => format!("{code} 类"),
            Lang::En => format!("Class {code}"),
        },
        RFM_RF => {
            let (r, f) = code.split_once('-').unwrap_or((code, ""));
            format!("R{r} × F{f}")
        }
        _ => segments::label_or_code(code, lang).to_string(),
    }
}

/// The display name of a scheme.
pub fn scheme_title(scheme: &str, lang: Lang) -> String {
    let d = i18n::dash(lang);
    match scheme {
        RFM_NAMED => d.rfm_named_title.to_string(),
        RFM8 => d.rfm8_title.to_string(),
        ABC => d.abc_title.to_string(),
        RFM_RF => d.rfm_heatmap_title.to_string(),
        _ => segments::label_or_code(scheme, lang).to_string(),
    }
}

/// One class of a scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// The code in the Report (`active`, `市区`, `A` ...).
    pub code: String,
    /// Its display name.
    pub label: String,
    /// Customers.
    pub count: usize,
    /// Their revenue.
    pub revenue: Cents,
}

/// A scheme as the dashboard shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeView {
    /// Scheme name ([`segments::SCHEMES`], [`ABC`], [`RFM_NAMED`], [`RFM8`]).
    pub scheme: String,
    pub title: String,
    pub available: bool,
    /// Labels of the roles that would unlock it.
    pub missing: Vec<String>,
    /// Any one of `missing` is enough (vehicle use).
    pub missing_any: bool,
    /// Non-empty classes in display order.
    pub classes: Vec<Class>,
    /// Customers of an available scheme without a class.
    pub unassigned: usize,
    /// Customers in all classes.
    pub total: usize,
}

/// Orders `(code, count, revenue)` entries: the scheme's known order, then by count
/// (descending) and code; empty classes are left out.
fn ordered_classes(
    scheme: &str,
    entries: impl IntoIterator<Item = (String, usize, Cents)>,
    lang: Lang,
) -> Vec<Class> {
    let order = class_order(scheme);
    let mut v: Vec<(String, usize, Cents)> = entries.into_iter().filter(|e| e.1 > 0).collect();
    crate::order::sort_stable(&mut v, |a, b| {
        let pos = |c: &str| order.iter().position(|o| *o == c).unwrap_or(usize::MAX);
        pos(&a.0)
            .cmp(&pos(&b.0))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    v.into_iter()
        .map(|(code, count, revenue)| Class {
            label: class_label(scheme, &code, lang),
            code,
            count,
            revenue,
        })
        .collect()
}

fn view_of(scheme: &str, summary: &SchemeSummary, lang: Lang) -> SchemeView {
    let classes = ordered_classes(
        scheme,
        summary
            .counts
            .iter()
            .map(|(k, n)| (k.clone(), *n, summary.revenue.get(k).copied().unwrap_or(0))),
        lang,
    );
    SchemeView {
        scheme: scheme.to_string(),
        title: scheme_title(scheme, lang),
        available: summary.available,
        missing: summary
            .missing_roles
            .iter()
            .map(|r| i18n::role_name_label(r, lang))
            .collect(),
        missing_any: scheme == "vehicle_use",
        total: classes.iter().map(|c| c.count).sum(),
        classes,
        unassigned: summary.unassigned,
    }
}

/// One segmentation scheme of the Report by name.
pub fn scheme(r: &Report, name: &str, lang: Lang) -> Option<SchemeView> {
    scheme_summary(&r.segments, name).map(|sum| view_of(name, sum, lang))
}

/// The RFM named segments ([`RFM_NAMED`]) or 8 classes ([`RFM8`]) as a scheme.
pub fn rfm_view(r: &Report, scheme: &str, lang: Lang) -> SchemeView {
    let map = if scheme == RFM8 {
        &r.rfm.rfm8
    } else {
        &r.rfm.named
    };
    let classes = ordered_classes(
        scheme,
        map.iter().map(|(k, s)| (k.clone(), s.count, s.revenue)),
        lang,
    );
    SchemeView {
        scheme: scheme.to_string(),
        title: scheme_title(scheme, lang),
        available: true,
        missing: Vec::new(),
        missing_any: false,
        total: classes.iter().map(|c| c.count).sum(),
        classes,
        unassigned: 0,
    }
}

/// The ABC classes of customers as a scheme.
pub fn abc_view(r: &Report, lang: Lang) -> SchemeView {
    let abc = &r.pareto.customers.abc;
    let classes = ordered_classes(
        ABC,
        [
            ("A".to_string(), abc.a.count, abc.a.revenue),
            ("B".to_string(), abc.b.count, abc.b.revenue),
            ("C".to_string(), abc.c.count, abc.c.revenue),
        ],
        lang,
    );
    SchemeView {
        scheme: ABC.to_string(),
        title: scheme_title(ABC, lang),
        available: true,
        missing: Vec::new(),
        missing_any: false,
        total: classes.iter().map(|c| c.count).sum(),
        classes,
        unassigned: 0,
    }
}

/// Bars of a scheme: customers per class, labelled "count · share".
pub fn scheme_bars(v: &SchemeView, lang: Lang) -> BarData {
    let total = v.total.max(1) as f64;
    BarData {
        bars: v
            .classes
            .iter()
            .map(|c| Bar {
                label: c.label.clone(),
                value: c.count as f64,
                value_label: format!("{} · {}", count(c.count), percent(c.count as f64 / total)),
            })
            .collect(),
        value_axis: i18n::dash(lang).customers_unit.to_string(),
        max_bars: 60,
        other_label: other(lang).to_string(),
    }
}

/// A donut of a scheme's customers per class.
pub fn scheme_donut(v: &SchemeView, lang: Lang) -> DonutData {
    DonutData {
        slices: v
            .classes
            .iter()
            .map(|c| Slice {
                label: c.label.clone(),
                value: c.count as f64,
            })
            .collect(),
        center_label: i18n::customers_n(lang, &count(v.total)),
        max_slices: 12,
        other_label: other(lang).to_string(),
    }
}

fn other(lang: Lang) -> &'static str {
    segments::label_or_code("other", lang)
}

/// The customers' Pareto chart: revenue by customer, the cumulative share, the A-class
/// threshold (80 %) and its crossing.
pub fn pareto(r: &Report, lang: Lang) -> ParetoData {
    let d = i18n::dash(lang);
    let p = &r.pareto.customers;
    let threshold = r.rules.pareto.a_share;
    let crossing_label = p
        .crossing
        .as_ref()
        .map(|c| i18n::crossing_label(lang, &percent(c.item_share), &percent(threshold)))
        .unwrap_or_default();
    ParetoData {
        items: r
            .customers
            .iter()
            .map(|c| ParetoItem {
                label: c.name.unwrap_or(c.id).to_string(),
                value: c.revenue as f64 / 100.0,
            })
            .collect(),
        threshold,
        max_bars: 50,
        value_legend: d.pareto_value_legend.to_string(),
        share_legend: d.pareto_share_legend.to_string(),
        value_axis: d.pareto_value_axis.to_string(),
        share_axis: d.pareto_share_axis.to_string(),
        item_axis: d.pareto_item_axis.to_string(),
        crossing_label,
        guide_label: String::new(),
    }
}

/// The R × F heat map (R = bins … 1 top to bottom, F = 1 … bins left to right), coloured by
/// customers or by revenue. `data-row` 0 is R = bins; `data-col` 0 is F = 1.
pub fn rfm_heatmap(r: &Report, lang: Lang, by_revenue: bool) -> HeatmapData {
    let d = i18n::dash(lang);
    let bins = r.rfm.heatmap.len();
    let mut values = Vec::with_capacity(bins);
    let mut labels = Vec::with_capacity(bins);
    for ri in (0..bins).rev() {
        let row = &r.rfm.heatmap[ri];
        values.push(
            row.iter()
                .map(|s| {
                    if by_revenue {
                        s.revenue as f64 / 100.0
                    } else {
                        s.count as f64
                    }
                })
                .collect(),
        );
        labels.push(
            row.iter()
                .map(|s| {
                    if by_revenue {
                        String::new()
                    } else {
                        count(s.count)
                    }
                })
                .collect(),
        );
    }
    HeatmapData {
        rows: (1..=bins).rev().map(|i| format!("R{i}")).collect(),
        cols: (1..=bins).map(|i| format!("F{i}")).collect(),
        values,
        cell_labels: labels,
        row_axis: d.rfm_rows.to_string(),
        col_axis: d.rfm_cols.to_string(),
        value_legend: if by_revenue {
            d.pareto_value_axis.to_string()
        } else {
            d.customers_unit.to_string()
        },
    }
}

/// The R and F scores of a heat-map cell (`data-row`, `data-col`).
pub fn rfm_cell(r: &Report, row: usize, col: usize) -> Option<(u8, u8)> {
    let bins = r.rfm.heatmap.len();
    if row >= bins || col >= bins {
        return None;
    }
    Some(((bins - row) as u8, (col + 1) as u8))
}

/// The lifecycle funnel: all customers → seen within `lost_days` → seen within
/// `at_risk_days` (active and new) → new.
pub fn lifecycle_funnel(r: &Report, lang: Lang) -> FunnelData {
    let h = headline(r);
    let lc = &r.rules.lifecycle;
    let total = r.segments.lifecycle.counts.values().sum::<usize>();
    FunnelData {
        stages: vec![
            FunnelStage {
                label: i18n::dash(lang).all_customers.to_string(),
                count: total as f64,
            },
            FunnelStage {
                label: i18n::funnel_stage(lang, "not_lost", lc.lost_days),
                count: (total - h.lost.min(total)) as f64,
            },
            FunnelStage {
                label: i18n::funnel_stage(lang, "recent", lc.at_risk_days),
                count: (h.active + h.new) as f64,
            },
            FunnelStage {
                label: i18n::funnel_stage(lang, "new", lc.new_days),
                count: h.new as f64,
            },
        ],
    }
}

/// Monthly series: all customers, then one per current class of `split` (`lifecycle` or
/// `value`); revenue in yuan, or visits.
pub fn trends(r: &Report, lang: Lang, split: &str, visits: bool) -> LineData {
    let d = i18n::dash(lang);
    let t = &r.trends;
    let values = |s: &crate::engine::analysis::trends::Series| -> Vec<f64> {
        if visits {
            s.visits.iter().map(|v| *v as f64).collect()
        } else {
            s.revenue.iter().map(|c| *c as f64 / 100.0).collect()
        }
    };
    let mut series = vec![LineSeries {
        name: d.all.to_string(),
        values: values(&t.total),
    }];
    let (scheme, by) = if split == "value" {
        ("value", &t.by_value)
    } else {
        ("lifecycle", &t.by_lifecycle)
    };
    let mut keys: Vec<&String> = by.keys().collect();
    let order = class_order(scheme);
    let pos = |k: &String| order.iter().position(|o| o == k).unwrap_or(usize::MAX);
    crate::order::sort_stable(&mut keys, |a, b| pos(a).cmp(&pos(b)));
    for k in keys {
        series.push(LineSeries {
            name: class_label(scheme, k, lang),
            values: values(&by[k]),
        });
    }
    LineData {
        x_labels: t.months.clone(),
        series,
        y_axis: if visits {
            d.visits_axis
        } else {
            d.revenue_axis
        }
        .to_string(),
        x_axis: d.month.to_string(),
    }
}

/// The mileage histogram with the filter bounds and the median as markers; `None` when the
/// study is unavailable.
pub fn mileage(r: &Report, lang: Lang) -> Option<HistogramData> {
    let m = &r.mileage;
    if !m.available {
        return None;
    }
    let d = i18n::dash(lang);
    let rules = &r.rules.mileage;
    let mut markers = vec![
        Marker {
            value: rules.min_km_per_day,
            label: format!("{} {}", d.lower_bound, km(rules.min_km_per_day)),
        },
        Marker {
            value: rules.max_km_per_day,
            label: format!("{} {}", d.upper_bound, km(rules.max_km_per_day)),
        },
    ];
    if let Some(med) = m.median_km_per_day {
        markers.push(Marker {
            value: med,
            label: format!("{} {}", d.median, km(med)),
        });
    }
    Some(HistogramData {
        bins: m
            .histogram
            .iter()
            .map(|b| HistogramBin {
                from: b.from,
                to: b.to,
                count: b.count as f64,
            })
            .collect(),
        markers,
        x_axis: d.mileage_axis.to_string(),
        y_axis: d.vehicles.to_string(),
    })
}

/// The mileage filter steps: (label, vehicles left).
pub fn mileage_steps(r: &Report, lang: Lang) -> Vec<(String, usize)> {
    r.mileage
        .steps
        .iter()
        .map(|s| (i18n::mileage_step(lang, &s.step, &r.rules.mileage), s.count))
        .collect()
}

/// The cohort retention triangle.
pub fn cohorts(r: &Report, lang: Lang) -> CohortData {
    let d = i18n::dash(lang);
    let width = r
        .trends
        .cohorts
        .iter()
        .map(|c| c.share.len())
        .max()
        .unwrap_or(0);
    CohortData {
        rows: r
            .trends
            .cohorts
            .iter()
            .map(|c| CohortRow {
                label: c.month.clone(),
                size: c.size as f64,
                shares: c.share.clone(),
            })
            .collect(),
        offset_labels: (0..width).map(|i| i.to_string()).collect(),
        size_label: d.cohort_size.to_string(),
        row_axis: d.cohort_rows.to_string(),
        col_axis: d.cohort_cols.to_string(),
    }
}

/// The call lists, in display order.
pub const LISTS: [&str; 5] = ["sms", "phone", "callback", "first_service", "win_back"];

/// A call list by name.
pub fn list<'a>(lists: &'a Lists, name: &str) -> &'a CallList {
    static NONE: std::sync::OnceLock<CallList> = std::sync::OnceLock::new();
    match name {
        "sms" => &lists.sms,
        "phone" => &lists.phone,
        "callback" => &lists.callback,
        "first_service" => &lists.first_service,
        "win_back" => &lists.win_back,
        _ => NONE.get_or_init(CallList::default),
    }
}

/// The roles a list needs when it cannot be built.
pub fn list_missing(lists: &Lists, name: &str, lang: Lang) -> Option<Vec<String>> {
    lists.unavailable.get(name).map(|roles| {
        roles
            .iter()
            .map(|r| i18n::role_name_label(r, lang))
            .collect()
    })
}

/// The earliest and latest due dates of a list, and how many are overdue.
pub fn due_summary(facts: &ListFacts) -> Option<(String, String, usize)> {
    let (from, to) = facts.due?;
    Some((date(from), date(to), facts.overdue))
}

/// Makes the chart elements of `class` keyboard-focusable (`tabindex="0"`).
pub fn focusable(svg: &str, class: &str) -> String {
    let tag = format!("class=\"{class}\"");
    svg.replace(&tag, &format!("{tag} tabindex=\"0\""))
}

/// A CSS attribute selector value: `"…"` with `\` and `"` escaped.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\a "),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A reading in km: whole kilometres, or one decimal when the file had one.
fn mileage_value(v: f64) -> Value {
    Value::Fixed(v, if v.fract() == 0.0 { 0 } else { 1 })
}

/// Text or nothing.
fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Empty, |s| Value::Text(s.to_string()))
}

/// A call list as a table (header in the UI language), for CSV and xlsx.
pub fn list_sheet(items: &CallList, name: &str, lang: Lang) -> Sheet {
    let s = i18n::strings(lang);
    let d = i18n::dash(lang);
    let headers = [
        s.customer_id,
        s.name,
        d.phone,
        d.plate,
        d.due,
        d.days_to_due,
        s.reason,
        d.basis,
        d.event,
        s.last_visit,
        d.days_since,
        d.last_mileage,
        d.daily_km,
    ];
    let label = |code: &str| Value::Text(segments::label_or_code(code, lang).to_string());
    Sheet {
        name: i18n::list_title(lang, name).to_string(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: items
            .iter()
            .map(|i| {
                vec![
                    Value::Text(i.id.to_string()),
                    text(i.name),
                    text(i.phone),
                    text(i.plate),
                    Value::Date(i.due),
                    Value::Int(i.days_to_due),
                    label(i.reason),
                    i.basis.map_or(Value::Empty, label),
                    i.event.map_or(Value::Empty, Value::Date),
                    Value::Date(i.last_visit),
                    Value::Int(i.days_since_last_visit),
                    i.last_mileage.map_or(Value::Empty, mileage_value),
                    i.daily_km.map_or(Value::Empty, |v| Value::Fixed(v, 1)),
                ]
            })
            .collect(),
    }
}

/// Customers as a table (header in the UI language), with their class in `scheme`.
pub fn customers_sheet(customers: &[CustomerRow], scheme: &str, code: &str, lang: Lang) -> Sheet {
    let s = i18n::strings(lang);
    let d = i18n::dash(lang);
    let headers = [
        s.customer_id,
        s.name,
        d.segment,
        s.visits,
        s.first_visit,
        s.last_visit,
        s.revenue,
        s.avg_ticket,
        d.days_since,
    ];
    Sheet {
        name: class_label(scheme, code, lang),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: customers
            .iter()
            .map(|c| {
                let class = if scheme == RFM_RF {
                    format!("R{} × F{}", c.rfm.r, c.rfm.f)
                } else {
                    customer_class(c, scheme)
                        .map(|code| class_label(scheme, code, lang))
                        .unwrap_or_default()
                };
                vec![
                    Value::Text(c.id.to_string()),
                    text(c.name),
                    Value::Text(class),
                    Value::Int(c.visits as i64),
                    Value::Date(c.first_visit),
                    Value::Date(c.last_visit),
                    Value::Money(c.revenue),
                    Value::Money(c.avg_ticket),
                    Value::Int(c.recency_days.max(0)),
                ]
            })
            .collect(),
    }
}

/// A file name for an export: `<stem>-<as_of>.<ext>`, with characters file systems dislike
/// replaced.
pub fn file_name(stem: &str, r: &Report, ext: &str) -> String {
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{clean}-{}.{ext}", date(r.as_of))
}

/// The Report's counts per class of a scheme (for checks): code → customers.
pub fn counts(r: &Report, scheme: &str) -> BTreeMap<String, usize> {
    match scheme {
        RFM_NAMED | RFM8 => rfm_view(r, scheme, Lang::En)
            .classes
            .into_iter()
            .map(|c| (c.code, c.count))
            .collect(),
        ABC => abc_view(r, Lang::En)
            .classes
            .into_iter()
            .map(|c| (c.code, c.count))
            .collect(),
        _ => scheme_summary(&r.segments, scheme)
            .map(|s| s.counts.clone())
            .unwrap_or_default(),
    }
}

/// One row of the migration table: the segment at the split and its customers by segment
/// at `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationRow {
    /// Segment code at the split (`"new"` for customers without a visit by then).
    pub code: String,
    /// Its label.
    pub label: String,
    /// Customers per column of [`MigrationTable::cols`].
    pub cells: Vec<usize>,
    /// Row total.
    pub total: usize,
}

/// The segment migration as a from × to table (RFM 8 classes, "new" as the last row).
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationTable {
    /// (code, label) of the to-segments.
    pub cols: Vec<(String, String)>,
    /// From-segments with at least one customer, in class order.
    pub rows: Vec<MigrationRow>,
}

/// The Report's migration as a table.
pub fn migration_table(r: &Report, lang: Lang, new_label: &str) -> MigrationTable {
    let m = &r.migration;
    let cols: Vec<(String, String)> = rfm::RFM8
        .iter()
        .map(|c| (c.to_string(), class_label(RFM8, c, lang)))
        .collect();
    let froms = rfm::RFM8
        .iter()
        .copied()
        .chain([crate::engine::analysis::migration::NEW]);
    let rows = froms
        .filter_map(|from| {
            let to = m.matrix.get(from)?;
            let cells: Vec<usize> = cols
                .iter()
                .map(|(c, _)| to.get(c.as_str()).copied().unwrap_or(0))
                .collect();
            let total = to.values().sum();
            let label = if from == crate::engine::analysis::migration::NEW {
                new_label.to_string()
            } else {
                class_label(RFM8, from, lang)
            };
            Some(MigrationRow {
                code: from.to_string(),
                label,
                cells,
                total,
            })
        })
        .collect();
    MigrationTable { cols, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every segmentation scheme of the Report, in [`segments::SCHEMES`] order.
    fn schemes(r: &Report, lang: Lang) -> Vec<SchemeView> {
        segments::SCHEMES
            .iter()
            .filter_map(|s| scheme(r, s, lang))
            .collect()
    }
    use crate::engine::report::CustomerRow;
    use crate::engine::select::sort_members;
    use chrono::NaiveDate;

    fn members<'a>(r: &'a Report, scheme: &str, code: &str, q: &str) -> Vec<CustomerRow<'a>> {
        crate::engine::select::members(&r.customers, scheme, code, q)
    }
    use crate::charts::{
        bar_chart, cohort_triangle, donut_chart, funnel, heatmap, histogram, line_chart,
        pareto_chart, ChartOptions,
    };
    use crate::engine::demo::{demo_table, DemoOptions};
    use crate::engine::{analyze, AnalyzeOptions, Loaded};
    use std::sync::OnceLock;

    fn demo() -> &'static Report {
        static R: OnceLock<Report> = OnceLock::new();
        R.get_or_init(|| {
            let table = demo_table(&DemoOptions {
                customers: 400,
                ..DemoOptions::default()
            });
            let loaded = Loaded::from_table(table, None).unwrap();
            analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap()
        })
    }

    #[test]
    fn headline_matches_the_report() {
        let r = demo();
        let h = headline(r);
        assert_eq!(h.customers, r.totals.customers);
        assert_eq!(h.count_for_80, r.pareto.customers.count_for_80pct);
        assert_eq!(
            h.new + h.active + h.at_risk + h.lost,
            r.segments.lifecycle.counts.values().sum::<usize>()
        );
        assert_eq!(h.lost, r.segments.lifecycle.counts["lost"]);
    }

    #[test]
    fn every_scheme_has_a_view_and_members_match_the_counts() {
        let r = demo();
        let views = schemes(r, Lang::Zh);
        assert_eq!(views.len(), segments::SCHEMES.len());
        let mut checked = 0;
        for v in views.iter().chain(
            [
                rfm_view(r, RFM_NAMED, Lang::Zh),
                rfm_view(r, RFM8, Lang::En),
                abc_view(r, Lang::Zh),
            ]
            .iter(),
        ) {
            if !v.available {
                assert!(!v.missing.is_empty(), "{} says what unlocks it", v.scheme);
                continue;
            }
            let expected = counts(r, &v.scheme);
            for c in &v.classes {
                assert_eq!(
                    members(r, &v.scheme, &c.code, "").len(),
                    expected[&c.code],
                    "{} / {}",
                    v.scheme,
                    c.code
                );
                checked += 1;
            }
        }
        assert!(checked > 20);
        let lc = &views[0];
        let codes: Vec<&str> = lc.classes.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["new", "active", "at_risk", "lost"]);
        assert_eq!(lc.classes[3].label, "流失客户");
    }

    #[test]
    fn rfm_cells_select_their_customers() {
        let r = demo();
        let (rs, fs) = rfm_cell(r, 0, 0).unwrap();
        assert_eq!((rs, fs), (r.rfm.bins, 1));
        let n = members(r, RFM_RF, &rf_code(rs, fs), "").len();
        assert_eq!(n, r.rfm.heatmap[rs as usize - 1][0].count);
        assert!(rfm_cell(r, 99, 0).is_none());
    }

    #[test]
    fn search_filters_by_id_and_name() {
        let r = demo();
        let all = members(r, "lifecycle", "active", "");
        let first = all[0];
        let found = members(r, "lifecycle", "active", &first.id.to_lowercase());
        assert!(found.iter().any(|c| c.id == first.id));
        assert!(members(r, "lifecycle", "active", "no such customer ✗").is_empty());
    }

    #[test]
    fn every_chart_draws() {
        let r = demo();
        let o = ChartOptions::default();
        for lang in [Lang::Zh, Lang::En] {
            let p = pareto_chart(&pareto(r, lang), &o).unwrap();
            assert!(p.contains("dl-crossing-point"));
            for v in schemes(r, lang).iter().filter(|v| v.available) {
                assert!(bar_chart(&scheme_bars(v, lang), &o)
                    .unwrap()
                    .contains("dl-bar"));
                assert!(donut_chart(&scheme_donut(v, lang), &o)
                    .unwrap()
                    .contains("dl-slice"));
            }
            let h = heatmap(&rfm_heatmap(r, lang, false), &o).unwrap();
            assert_eq!(h.matches("class=\"dl-cell\"").count(), 25);
            let f = focusable(&h, "dl-cell");
            assert_eq!(f.matches("class=\"dl-cell\" tabindex=\"0\"").count(), 25);
            assert_eq!(f.matches("tabindex").count(), 25);
            heatmap(&rfm_heatmap(r, lang, true), &o).unwrap();
            assert!(funnel(&lifecycle_funnel(r, lang), &o)
                .unwrap()
                .contains("dl-stage"));
            for (split, visits) in [("lifecycle", false), ("value", true)] {
                let t = trends(r, lang, split, visits);
                let by = if split == "value" {
                    &r.trends.by_value
                } else {
                    &r.trends.by_lifecycle
                };
                assert_eq!(t.series.len(), 1 + by.len());
                assert!(line_chart(&t, &o).unwrap().contains("dl-line"));
            }
            let v = trends(r, lang, "value", true);
            let sum: f64 = v.series[0].values.iter().sum();
            assert_eq!(sum as u64, r.trends.total.visits.iter().sum::<u64>());
            let m = mileage(r, lang).expect("the demo has mileage");
            assert!(histogram(&m, &o).unwrap().contains("dl-marker"));
            assert!(cohort_triangle(&cohorts(r, lang), &o)
                .unwrap()
                .contains("dl-cell"));
        }
        let steps = mileage_steps(r, Lang::Zh);
        assert_eq!(steps.len(), r.mileage.steps.len());
        assert_eq!(steps[0].1, r.mileage.steps[0].count);
    }

    #[test]
    fn funnel_narrows() {
        let r = demo();
        let f = lifecycle_funnel(r, Lang::En);
        assert_eq!(f.stages[0].count, r.totals.customers as f64);
        for w in f.stages.windows(2) {
            assert!(w[0].count >= w[1].count);
        }
    }

    #[test]
    fn list_csv_has_bom_header_and_one_line_per_item() {
        let r = demo();
        let items = &r.lists.win_back;
        assert!(!items.is_empty());
        let text = list_sheet(items, "win_back", Lang::Zh).to_csv();
        assert!(text.starts_with("\u{feff}客户,名称,电话,车牌,到期日"));
        assert_eq!(text.matches("\r\n").count(), items.len() + 1);
        assert!(text.contains(items.get(0).expect("an item").id));
        let en = list_sheet(&CallList::default(), "sms", Lang::En).to_csv();
        assert_eq!(en.matches("\r\n").count(), 1);
        assert!(en.starts_with("\u{feff}Customer,Name,Phone,Plate,Due"));
    }

    #[test]
    fn customers_csv_lists_the_class() {
        let r = demo();
        let m = members(r, "lifecycle", "lost", "");
        let text = customers_sheet(&m, "lifecycle", "lost", Lang::Zh).to_csv();
        assert_eq!(text.matches("\r\n").count(), m.len() + 1);
        assert!(text.lines().nth(1).unwrap().contains(",流失客户,"));
    }

    #[test]
    fn members_sort_by_any_column() {
        let r = demo();
        let mut m = members(r, "lifecycle", "active", "");
        sort_members(&mut m, SortKey::Visits, true);
        assert!(m.windows(2).all(|w| w[0].visits >= w[1].visits));
        sort_members(&mut m, SortKey::LastVisit, false);
        assert!(m.windows(2).all(|w| w[0].last_visit <= w[1].last_visit));
        sort_members(&mut m, SortKey::Id, false);
        assert!(m.windows(2).all(|w| w[0].id <= w[1].id));
        sort_members(&mut m, SortKey::Revenue, true);
        assert!(m.windows(2).all(|w| w[0].revenue >= w[1].revenue));
        assert_eq!(css_string(r#"a"b\c"#), r#""a\"b\\c""#);
    }

    #[test]
    fn due_summary_and_file_names() {
        let r = demo();
        // Facts by hand: due 2025-03-01 … 2025-04-15, 3 overdue.
        let facts = ListFacts {
            len: 9,
            due: NaiveDate::from_ymd_opt(2025, 3, 1).zip(NaiveDate::from_ymd_opt(2025, 4, 15)),
            overdue: 3,
        };
        assert_eq!(
            due_summary(&facts),
            Some(("2025-03-01".to_string(), "2025-04-15".to_string(), 3))
        );
        assert!(due_summary(&ListFacts::default()).is_none());
        assert_eq!(
            file_name("短信 提醒/x", r, "csv"),
            format!("短信_提醒_x-{}.csv", date(r.as_of))
        );
    }

    #[test]
    fn the_migration_table_counts_every_customer_once() {
        let r = demo();
        let t = migration_table(r, Lang::Zh, "新客户");
        let all: usize = t.rows.iter().map(|row| row.total).sum();
        assert_eq!(all, r.customers.len());
        // Row totals are the sums of their cells (every to-segment is an RFM 8 class).
        for row in &t.rows {
            assert_eq!(row.cells.iter().sum::<usize>(), row.total, "{}", row.code);
        }
        let stayed: usize = t
            .rows
            .iter()
            .filter_map(|row| {
                t.cols
                    .iter()
                    .position(|(c, _)| *c == row.code)
                    .map(|i| row.cells[i])
            })
            .sum();
        assert_eq!(stayed, r.migration.stayed);
        let new = t
            .rows
            .iter()
            .find(|row| row.code == "new")
            .map_or(0, |row| row.total);
        assert_eq!(new, r.migration.new_count);
        assert_eq!(t.cols.len(), 8);
        // The to-side is the Report's own rfm8 labelling.
        for (i, (code, _)) in t.cols.iter().enumerate() {
            let col: usize = t.rows.iter().map(|row| row.cells[i]).sum();
            let labelled = r.customers.iter().filter(|c| *c.rfm.rfm8 == **code).count();
            assert_eq!(col, labelled, "{code}");
        }
    }
}
