//! Customer segmentation (product.md, Analyses 2 and 4–9): one label per customer for every
//! scheme whose inputs are mapped, and a summary per scheme (customers and revenue per class,
//! or *unavailable* with the missing roles named).
//!
//! Labels are stable snake_case codes; [`label`] gives their Chinese and English names.
//!
//! # Conventions
//! - Day counts are `as_of − date` in whole days, clamped at 0 (a visit after `as_of` counts
//!   as a visit on `as_of`). "No visit for N days" means `days ≥ N`; "within N days" means
//!   `days < N`, so the two are complements.
//! - *Visits in the last 12 months* ([`YEAR_DAYS`]): visits dated `≤ as_of` with
//!   `as_of − date < 365` days.
//! - *Average ticket*: [`CustomerSummary::avg_ticket`] (lifetime revenue / lifetime visits, in
//!   fen; refunds included). Yuan thresholds are compared in fen (`round(yuan × 100)`).
//! - *Average return interval* (回站周期): mean of the days between consecutive visits
//!   = `(last − first) / (visits − 1)`; a one-visit customer has none.
//! - A "most frequent value" over a customer's records breaks ties by the latest record date,
//!   then by the smallest value (string order), so results never depend on row order.
//! - Summary `counts` / `revenue`: customers with that label and their lifetime revenue;
//!   `unassigned`: customers of an available scheme that got no label (no data).
//!
//! # Schemes
//! - **lifecycle** (服务周期, always available): `lost` when no visit for ≥ `lost_days`
//!   (365), else `at_risk` when ≥ `at_risk_days` (180), else `new` when the first visit is
//!   within `new_days` (90, i.e. `< 90` days ago), else `active`.
//! - **value** (客单价 / 回站次数 / 回站周期, always available): `high` when the average ticket
//!   ≥ the high ticket threshold AND visits in the last 12 months ≥ `visits_high` AND the
//!   average return interval exists and ≤ `interval_high_days`; otherwise `low` when the ticket
//!   < the low ticket threshold OR last-12-month visits < `visits_low` OR the interval exists
//!   and > `interval_low_days`; otherwise `mid`. Ticket thresholds are `series_ticket[series]
//!   = [high, low]` when `vehicle_series` is mapped and the customer's series (the most
//!   frequent in their records, trimmed, matched exactly) has an entry, else the shared
//!   `ticket_high` / `ticket_low`. Summary `by_source`: customers graded with `series` or
//!   `shared` thresholds.
//! - **loyalty** (always available), first match wins: `churn_warning` (no visit for
//!   ≥ `warning_days`); `new` (exactly one visit ever: 首次消费); `loyal` (last-12-month visits
//!   ≥ `loyal_visits` and average ticket ≥ `loyal_ticket`); `potential` (last-12-month visits
//!   ≥ `potential_visits` and ticket ≥ `potential_ticket`); `regular` (the rest: repeat
//!   customers without enough recent visits or ticket).
//! - **member** (always available): `platinum` when last-12-month visits ≥
//!   `platinum_visits_year`, else `gold` when lifetime visits ≥ `gold_visits`, else `silver`.
//!   `member_next`: silver → `{gold, gold_visits − visits}`; gold → `{platinum,
//!   platinum_visits_year − last-12-month visits}` (assuming the current window's visits stay
//!   in it); at least 1; platinum → none.
//! - **traditional** (传统分类, always available): `lost` (lifecycle lost) > `at_risk`
//!   (lifecycle at_risk, or loyalty churn_warning) > `loyal` (loyalty loyal) > `general`.
//! - **need** (按进厂作业项目, needs `service_type`): each record's service-type text is mapped
//!   to a need by substring keywords, first match in this order: user keywords
//!   ([`crate::engine::rules::NeedRules`]), then `first_service` (首保, 首次保养, first
//!   service/maintenance, 1st service), `accident` (事故, 理赔, 出险, 定损, accident,
//!   collision, insurance claim), `body_paint` (钣金, 钣喷, 喷漆, 喷涂, 板金, body, paint), `modification`
//!   (改装, 加装, 精品, modif, accessor, tuning), `insurance` (保险, 续保, 投保, insurance),
//!   `maintenance` (保养, 定保, 机油, 常规, 小保, 大保, maintenance, oil, routine, periodic,
//!   scheduled), `repair` (维修, 故障, 机修, 修理, 保修, 索赔, 电器, repair, fault,
//!   breakdown, mechanical, warranty), then a bare `service` / `servicing` → `maintenance`;
//!   anything else is `other`. A visit has every need of
//!   its records. The customer's dominant need is the one present in most visits (ties: more
//!   revenue of that need's records, then the order of [`NEED_CODES`]). No label when none of
//!   the customer's records has a service type.
//! - **habit** (消费习惯, always available): from the intervals between consecutive visits:
//!   `insufficient` with fewer than `min_intervals` intervals (or none); else `irregular`
//!   when the coefficient of variation is above `irregular_cv` (population standard
//!   deviation / mean; 0 when the mean is 0); else `high_frequency` when the mean ≤
//!   `high_frequency_days`; else `low_frequency`.
//! - **vehicle_age** (按车龄, needs `purchase_date`): from the latest purchase date in the
//!   customer's records. Periods are whole months (`round(years × 12)`) added to the purchase
//!   date; the vehicle gets the shortest cover still running: with the defaults (三包 2 years
//!   < warranty 3 years) `in_three_guarantees` while `as_of < purchase + 2 years`, then
//!   `in_warranty` while `as_of < purchase + 3 years`, then `out_of_warranty`. (If the
//!   三包 period is configured longer than the warranty, `in_warranty` comes first.) A purchase
//!   date after `as_of` is the newest class. No label without a purchase date.
//! - **vehicle_use** (按车辆用途, needs `vehicle_use` or `mileage`): from the column, the
//!   most frequent class among the customer's records, each value mapped by keywords (first
//!   match: 非营运 / non-operating → `private`; 营运, 出租, 网约, 货运, 物流, 运输, 租赁,
//!   客运, taxi, commercial, operating, rental, lease, ride-hailing, logistics, freight →
//!   `commercial`; 公务, 单位, 公司, 企业, 政府, 机关, 事业, official, company, corporate,
//!   government, fleet → `official`; 私家, 私人, 家用, 个人, private, personal, family →
//!   `private`; other values ignored). Without a usable value, inferred from the customer's
//!   daily km ([`super::mileage`]): ≥ `commercial_km_per_day` → `commercial`, ≥
//!   `official_km_per_day` → `official`, else `private`. Summary `source`: `column`,
//!   `mileage` or `column+mileage` (whichever is mapped); `by_source` counts customers by
//!   the basis actually used. No label when neither gives anything.
//! - **region**, **occupation**: the column's most frequent value (trimmed) as is.
//!   **age_cohort**: from the most frequent birth date: `post_50` … `post_00`, `post_10`,
//!   `post_20` by decade of the birth year (50后 … 00后), `pre_50` before 1950.

use crate::engine::analysis::{mileage, part, Context};
use crate::engine::customers::CustomerSummary;
use crate::engine::intern::Sym;
use crate::engine::mapping::Role;
use crate::engine::records::ServiceRecord;
use crate::engine::rules::{
    HabitRules, LifecycleRules, LoyaltyRules, MemberRules, MileageRules, NeedRules, Rules,
    ValueRules, VehicleRules,
};
use crate::engine::values::Cents;
use crate::engine::Lang;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Days in "the last 12 months".
pub const YEAR_DAYS: i64 = 365;

/// Every need code, in tie-break order.
pub const NEED_CODES: [&str; 8] = [
    "first_service",
    "maintenance",
    "repair",
    "accident",
    "body_paint",
    "modification",
    "insurance",
    "other",
];

/// The scheme names, in display order.
pub const SCHEMES: [&str; 12] = [
    "lifecycle",
    "value",
    "loyalty",
    "member",
    "traditional",
    "need",
    "habit",
    "vehicle_age",
    "vehicle_use",
    "region",
    "age_cohort",
    "occupation",
];

/// A label: a code, or a column's value (region and occupation) shared with the facts it was
/// read from, so that labelling allocates nothing. Behaves as (and serialises as) a string.
#[derive(Clone)]
pub enum Label {
    /// A fixed code.
    Code(&'static str),
    /// A value read from the records.
    Value(Arc<str>),
}

impl std::ops::Deref for Label {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Label::Code(s) => s,
            Label::Value(s) => s,
        }
    }
}

impl AsRef<str> for Label {
    fn as_ref(&self) -> &str {
        self
    }
}

impl PartialEq for Label {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Label {}

impl std::fmt::Debug for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl From<&str> for Label {
    fn from(s: &str) -> Self {
        Label::Value(Arc::from(s))
    }
}

impl From<String> for Label {
    fn from(s: String) -> Self {
        Label::Value(Arc::from(s))
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Arc::<str>::deserialize(d).map(Label::Value)
    }
}

/// How far a customer is from the next member tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberNext {
    /// The next tier's code (`gold` or `platinum`).
    pub tier: Label,
    /// Visits still needed (lifetime visits for gold, visits within the last 12 months for
    /// platinum); at least 1.
    pub visits_needed: u32,
}

/// One customer's labels, one per scheme. `None` when the scheme is unavailable (its column
/// is not mapped) or the customer has no data for it (see the module doc per scheme:
/// lifecycle, value, loyalty, member, traditional and habit always have a label).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSegments {
    /// `new`, `active`, `at_risk`, `lost`.
    pub lifecycle: Option<Label>,
    /// `high`, `mid`, `low`.
    pub value: Option<Label>,
    /// `loyal`, `potential`, `new`, `churn_warning`, `regular`.
    pub loyalty: Option<Label>,
    /// `silver`, `gold`, `platinum`.
    pub member: Option<Label>,
    /// The next member tier and the visits it needs (none for platinum).
    pub member_next: Option<MemberNext>,
    /// `loyal`, `general`, `at_risk`, `lost`.
    pub traditional: Option<Label>,
    /// The dominant need, one of [`NEED_CODES`] (needs `service_type`).
    pub need: Option<Label>,
    /// `high_frequency`, `low_frequency`, `irregular`, `insufficient`.
    pub habit: Option<Label>,
    /// `in_three_guarantees`, `in_warranty`, `out_of_warranty` (needs `purchase_date`).
    pub vehicle_age: Option<Label>,
    /// `private`, `official`, `commercial` (needs `vehicle_use` or `mileage`).
    pub vehicle_use: Option<Label>,
    /// The region column's value (needs `region`).
    pub region: Option<Label>,
    /// `pre_50`, `post_50` … `post_20` (needs `birth_date`).
    pub age_cohort: Option<Label>,
    /// The occupation column's value (needs `occupation`).
    pub occupation: Option<Label>,
}

impl CustomerSegments {
    /// No label at all.
    pub const NONE: CustomerSegments = CustomerSegments {
        lifecycle: None,
        value: None,
        loyalty: None,
        member: None,
        member_next: None,
        traditional: None,
        need: None,
        habit: None,
        vehicle_age: None,
        vehicle_use: None,
        region: None,
        age_cohort: None,
        occupation: None,
    };
}

/// One scheme over all customers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemeSummary {
    /// False when the inputs are not mapped.
    pub available: bool,
    /// Roles that would unlock the scheme (any one of them for vehicle_use); empty when
    /// available.
    pub missing_roles: Vec<String>,
    /// What the labels were derived from, where there is a choice (value: `series` /
    /// `shared`; vehicle_use: `column`, `mileage`, `column+mileage`).
    #[serde(default)]
    pub source: Option<String>,
    /// Customers per basis actually used (value, vehicle_use).
    #[serde(default)]
    pub by_source: BTreeMap<String, usize>,
    /// Customers per label.
    pub counts: BTreeMap<String, usize>,
    /// Lifetime revenue of the customers per label, in yuan.
    #[serde(serialize_with = "yuan_map", deserialize_with = "de_yuan_map")]
    pub revenue: BTreeMap<String, Cents>,
    /// Customers without a label although the scheme is available.
    pub unassigned: usize,
}

/// One [`SchemeSummary`] per scheme.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentsSummary {
    pub lifecycle: SchemeSummary,
    pub value: SchemeSummary,
    pub loyalty: SchemeSummary,
    pub member: SchemeSummary,
    pub traditional: SchemeSummary,
    pub need: SchemeSummary,
    pub habit: SchemeSummary,
    pub vehicle_age: SchemeSummary,
    pub vehicle_use: SchemeSummary,
    pub region: SchemeSummary,
    pub age_cohort: SchemeSummary,
    pub occupation: SchemeSummary,
}

/// Serialises a `{code: fen}` map as `{code: yuan}`.
pub(crate) fn yuan_map<S: Serializer>(
    m: &BTreeMap<String, Cents>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().map(|(k, v)| (k, *v as f64 / 100.0)))
}

/// Reads a `{code: yuan}` map back into fen.
pub(crate) fn de_yuan_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Cents>, D::Error> {
    let m = BTreeMap::<String, f64>::deserialize(d)?;
    Ok(m.into_iter().map(|(k, v)| (k, to_cents(v))).collect())
}

/// A small deterministic FNV-1a hasher for lookup-only maps of short strings (faster than
/// SipHash; no map built with it is ever iterated into an output).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FastHash;

/// The state of [`FastHash`].
pub(crate) struct Fnv(u64);

impl std::hash::BuildHasher for FastHash {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Yuan (a threshold or a JSON number) to fen, rounded; saturating.
pub(crate) fn to_cents(yuan: f64) -> Cents {
    (yuan * 100.0).round() as Cents
}

/// Whole days from `date` to `as_of`, clamped at 0.
pub(crate) fn days_since(date: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - date).num_days().max(0)
}

/// Visits dated `≤ as_of` and less than [`YEAR_DAYS`] days before it.
pub fn visits_last_year(c: &CustomerSummary, as_of: NaiveDate) -> u32 {
    c.visits
        .iter()
        .filter(|v| v.date <= as_of && (as_of - v.date).num_days() < YEAR_DAYS)
        .count() as u32
}

/// Days between consecutive visits.
pub fn intervals(c: &CustomerSummary) -> Vec<i64> {
    c.visits
        .windows(2)
        .map(|w| (w[1].date - w[0].date).num_days())
        .collect()
}

/// The average return interval (回站周期) in days; `None` with fewer than two visits.
pub fn mean_interval(c: &CustomerSummary) -> Option<f64> {
    let n = c.visits.len();
    if n < 2 {
        return None;
    }
    Some((c.last_visit() - c.first_visit()).num_days() as f64 / (n - 1) as f64)
}

/// The lifecycle code of a customer (see the module doc).
pub fn lifecycle_of(c: &CustomerSummary, rules: &Rules, as_of: NaiveDate) -> &'static str {
    lifecycle_by_days(
        c.recency_days(as_of),
        days_since(c.first_visit(), as_of),
        &rules.lifecycle,
    )
}

/// The lifecycle code from the days since the last and the first visit.
fn lifecycle_by_days(recency: i64, first_days: i64, r: &LifecycleRules) -> &'static str {
    if recency >= r.lost_days {
        "lost"
    } else if recency >= r.at_risk_days {
        "at_risk"
    } else if first_days < r.new_days {
        "new"
    } else {
        "active"
    }
}

/// Built-in need keywords, checked in this order (lower-case for Latin letters).
const NEED_KEYWORDS: [(&str, &[&str]); 8] = [
    (
        "first_service",
        &[
            "首保",
            "首次保养",
            "首次维护",
            "first service",
            "first maintenance",
            "1st service",
            "first_service",
        ],
    ),
    (
        "accident",
        &[
            "事故",
            "理赔",
            "出险",
            "定损",
            "accident",
            "collision",
            "insurance claim",
        ],
    ),
    (
        "body_paint",
        &["钣金", "钣喷", "喷漆", "喷涂", "板金", "body", "paint"],
    ),
    (
        "modification",
        &["改装", "加装", "精品", "modif", "accessor", "tuning"],
    ),
    ("insurance", &["保险", "续保", "投保", "insurance"]),
    (
        "maintenance",
        &[
            "保养",
            "定保",
            "机油",
            "常规",
            "小保",
            "大保",
            "maintenance",
            "oil",
            "routine",
            "periodic",
            "scheduled",
        ],
    ),
    (
        "repair",
        &[
            "维修",
            "故障",
            "机修",
            "修理",
            "保修",
            "索赔",
            "电器",
            "repair",
            "fault",
            "breakdown",
            "mechanical",
            "warranty",
        ],
    ),
    // Last resort: a bare "service" is routine maintenance.
    ("maintenance", &["service", "servicing"]),
];

/// Maps a service-type text to a need code (see the module doc); `other` when nothing
/// matches.
pub fn classify_need(text: &str, rules: &NeedRules) -> &'static str {
    let lower = text.trim().to_lowercase();
    for (code, words) in &rules.keywords {
        let Some(code) = NEED_CODES.iter().find(|c| **c == code.as_str()) else {
            continue;
        };
        if words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .any(|w| !w.is_empty() && lower.contains(&w))
        {
            return code;
        }
    }
    NEED_KEYWORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| lower.contains(w)))
        .map(|(code, _)| *code)
        .unwrap_or("other")
}

/// Index of a need code in [`NEED_CODES`].
fn need_index(code: &str) -> usize {
    NEED_CODES
        .iter()
        .position(|c| *c == code)
        .unwrap_or(NEED_CODES.len() - 1)
}

/// One visit's needs, rebuilt from the records the same way visits are formed (work order
/// when present, else the day).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VisitNeeds {
    /// The visit date (earliest record date).
    pub date: NaiveDate,
    /// Bit `i` set when the visit has need `NEED_CODES[i]`.
    pub needs: u16,
}

/// Whether a vehicle-use text is private, official or commercial (see the module doc).
pub fn classify_vehicle_use(text: &str) -> Option<&'static str> {
    const PRIVATE_FIRST: [&str; 4] = ["非营运", "non-operating", "non operating", "non-commercial"];
    const COMMERCIAL: [&str; 18] = [
        "营运",
        "出租",
        "网约",
        "货运",
        "物流",
        "运输",
        "租赁",
        "客运",
        "taxi",
        "commercial",
        "operating",
        "rental",
        "lease",
        "leasing",
        "ride-hailing",
        "ride hailing",
        "logistics",
        "freight",
    ];
    const OFFICIAL: [&str; 12] = [
        "公务",
        "单位",
        "公司",
        "企业",
        "政府",
        "机关",
        "事业",
        "official",
        "company",
        "corporate",
        "government",
        "fleet",
    ];
    const PRIVATE: [&str; 7] = [
        "私家", "私人", "家用", "个人", "private", "personal", "family",
    ];
    let t = text.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&PRIVATE_FIRST) {
        Some("private")
    } else if has(&COMMERCIAL) {
        Some("commercial")
    } else if has(&OFFICIAL) {
        Some("official")
    } else if has(&PRIVATE) {
        Some("private")
    } else {
        None
    }
}

/// The vehicle use inferred from daily km (see the module doc).
pub fn vehicle_use_from_km(km_per_day: f64, rules: &Rules) -> &'static str {
    if km_per_day >= rules.vehicle.commercial_km_per_day {
        "commercial"
    } else if km_per_day >= rules.vehicle.official_km_per_day {
        "official"
    } else {
        "private"
    }
}

/// The age cohort code of a birth year.
pub fn age_cohort(year: i32) -> &'static str {
    match year {
        i32::MIN..=1949 => "pre_50",
        1950..=1959 => "post_50",
        1960..=1969 => "post_60",
        1970..=1979 => "post_70",
        1980..=1989 => "post_80",
        1990..=1999 => "post_90",
        2000..=2009 => "post_00",
        2010..=2019 => "post_10",
        _ => "post_20",
    }
}

/// `date` plus `years` (rounded to whole months); `None` past the calendar's end.
fn add_years(date: NaiveDate, years: f64) -> Option<NaiveDate> {
    let months = (years * 12.0).round();
    if !months.is_finite() || months.abs() > 1.0e6 {
        return None;
    }
    let m = Months::new(months.abs() as u32);
    if months >= 0.0 {
        date.checked_add_months(m)
    } else {
        date.checked_sub_months(m)
    }
}

/// The vehicle-age code for a purchase date (see the module doc).
pub fn vehicle_age_of(purchase: NaiveDate, rules: &Rules, as_of: NaiveDate) -> &'static str {
    let v = &rules.vehicle;
    let three = add_years(purchase, v.three_guarantees_years);
    let warranty = add_years(purchase, v.warranty_years);
    let running = |end: Option<NaiveDate>| end.is_none_or(|e| as_of < e);
    let (first, first_end, second, second_end) = if v.three_guarantees_years <= v.warranty_years {
        ("in_three_guarantees", three, "in_warranty", warranty)
    } else {
        ("in_warranty", warranty, "in_three_guarantees", three)
    };
    if running(first_end) {
        first
    } else if running(second_end) {
        second
    } else {
        "out_of_warranty"
    }
}

/// The most frequent value; ties: the latest date, then the smallest value.
fn mode<T: Ord + Copy>(items: impl Iterator<Item = (T, NaiveDate)>) -> Option<T> {
    let mut v: Vec<(T, NaiveDate)> = items.collect();
    // the usual case: one value throughout
    if let Some(&(first, _)) = v.first() {
        if v.iter().all(|(x, _)| *x == first) {
            return Some(first);
        }
    }
    v.sort_unstable_by_key(|a| a.0);
    let mut best: Option<(T, usize, NaiveDate)> = None;
    let mut i = 0;
    while let Some(&(value, _)) = v.get(i) {
        let mut n = 0;
        let mut latest = NaiveDate::MIN;
        while let Some(&(x, d)) = v.get(i) {
            if x != value {
                break;
            }
            n += 1;
            latest = latest.max(d);
            i += 1;
        }
        // values ascend and only strictly better runs replace: ties keep the smallest value
        if best.is_none_or(|(_, bn, bd)| (n, latest) > (bn, bd)) {
            best = Some((value, n, latest));
        }
    }
    best.map(|(v, _, _)| v)
}

/// Labels from a text column: the most frequent trimmed value of the customer's records.
fn text_mode<'a>(
    ctx: &Context<'a>,
    c: &CustomerSummary,
    field: impl Fn(&ServiceRecord) -> Option<Sym>,
) -> Option<&'a str> {
    mode(c.records.iter().filter_map(|&i| {
        let r = ctx.records.get(i)?;
        let t = ctx.text(field(r))?.trim();
        (!t.is_empty()).then_some((t, r.date))
    }))
}

/// The dominant need index from the visits per need and the revenue per need.
fn dominant_need(
    counts: &[usize; NEED_CODES.len()],
    revenue: &[Cents; NEED_CODES.len()],
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for i in 0..NEED_CODES.len() {
        if counts[i] == 0 {
            continue;
        }
        let better = match best {
            None => true,
            Some(b) => (counts[i], revenue[i]) > (counts[b], revenue[b]),
        };
        if better {
            best = Some(i);
        }
    }
    best
}

/// The customers' visits with the service-type texts of their records, interned: what the
/// need scheme, the callback list and the first-service list read, kept so that the needs can
/// be derived again under other keyword rules without going back to the records.
#[derive(Debug, Clone, Default)]
pub struct NeedFacts {
    /// Distinct service-type texts, as in the records.
    texts: Vec<String>,
    /// Per customer, `visits[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<usize>,
    /// Visits in date order: date and a range of `visit_texts`.
    visits: Vec<(NaiveDate, u32, u32)>,
    /// The distinct texts of each visit.
    visit_texts: Vec<u32>,
    /// Per customer, `revenue[rev_offsets[i]..rev_offsets[i + 1]]`.
    rev_offsets: Vec<usize>,
    /// Revenue of the customer's records per text.
    revenue: Vec<(u32, Cents)>,
    /// Text → id; looked up only.
    ids: HashMap<String, u32, FastHash>,
}

impl NeedFacts {
    /// Reads the records once (empty when `service_type` is not mapped).
    pub fn new(ctx: &Context) -> Self {
        let mut f = NeedFacts {
            offsets: vec![0],
            rev_offsets: vec![0],
            ..NeedFacts::default()
        };
        if !ctx.mapping.has(Role::ServiceType) {
            f.offsets.resize(ctx.customers.len() + 1, 0);
            f.rev_offsets.resize(ctx.customers.len() + 1, 0);
            return f;
        }
        #[derive(PartialEq, Eq, PartialOrd, Ord)]
        enum Key<'k> {
            Order(&'k str),
            Day(NaiveDate),
        }
        let mut ids: HashMap<&str, u32, FastHash> = HashMap::default();
        let mut rows: Vec<(Key, NaiveDate, Option<u32>)> = Vec::new();
        let mut visits: Vec<(NaiveDate, Vec<u32>)> = Vec::new();
        let mut rev: Vec<(u32, Cents)> = Vec::new();
        for c in ctx.customers {
            rows.clear();
            rev.clear();
            for &ri in &c.records {
                let Some(r) = ctx.records.get(ri) else {
                    continue;
                };
                let key = match r.order_id {
                    Some(o) => Key::Order(ctx.str(o)),
                    None => Key::Day(r.date),
                };
                let text = ctx.text(r.service_type).map(|t| {
                    let next = f.texts.len() as u32;
                    let id = *ids.entry(t).or_insert(next);
                    if id == next {
                        f.texts.push(t.to_string());
                    }
                    match rev.iter_mut().find(|(x, _)| *x == id) {
                        Some((_, v)) => *v = v.saturating_add(r.amount),
                        None => rev.push((id, r.amount)),
                    }
                    id
                });
                rows.push((key, r.date, text));
            }
            rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            visits.clear();
            let mut prev: Option<&Key> = None;
            for (key, date, text) in &rows {
                match visits.last_mut() {
                    Some(v) if prev == Some(key) => {
                        v.0 = v.0.min(*date);
                        if let Some(t) = text {
                            if !v.1.contains(t) {
                                v.1.push(*t);
                            }
                        }
                    }
                    _ => visits.push((*date, text.iter().copied().collect())),
                }
                prev = Some(key);
            }
            visits.sort_by_key(|v| v.0);
            for (date, texts) in &visits {
                let a = f.visit_texts.len() as u32;
                f.visit_texts.extend_from_slice(texts);
                f.visits.push((*date, a, f.visit_texts.len() as u32));
            }
            f.offsets.push(f.visits.len());
            rev.sort_unstable();
            f.revenue.extend_from_slice(&rev);
            f.rev_offsets.push(f.revenue.len());
        }
        f.ids = f
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        f
    }

    /// The need index of every text under these rules.
    pub fn classes(&self, rules: &NeedRules) -> Vec<u8> {
        self.texts
            .iter()
            .map(|t| need_index(classify_need(t, rules)) as u8)
            .collect()
    }

    /// Customer `ci`'s visits with their needs (bit `i`: `NEED_CODES[i]`), in date order.
    pub(crate) fn visits<'s>(
        &'s self,
        ci: usize,
        classes: &'s [u8],
    ) -> impl DoubleEndedIterator<Item = VisitNeeds> + 's {
        part(&self.visits, &self.offsets, ci)
            .iter()
            .map(|&(date, x, y)| {
                let needs = self
                    .visit_texts
                    .get(x as usize..y as usize)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|&t| classes.get(t as usize))
                    .fold(0u16, |m, &i| m | (1 << i));
                VisitNeeds { date, needs }
            })
    }

    /// Each customer's dominant need (index into [`NEED_CODES`]): the need of most visits,
    /// then of most revenue, then the first in [`NEED_CODES`]; `None` without a typed visit.
    /// `classes` from [`Self::classes`].
    pub fn dominant(&self, classes: &[u8]) -> Vec<Option<u8>> {
        let n = self.offsets.len().saturating_sub(1);
        (0..n)
            .map(|ci| {
                let mut counts = [0usize; NEED_CODES.len()];
                for visit in self.visits(ci, classes) {
                    for (i, n) in counts.iter_mut().enumerate() {
                        if visit.needs & (1 << i) != 0 {
                            *n += 1;
                        }
                    }
                }
                let revenue = self.revenue(ci, classes);
                dominant_need(&counts, &revenue).map(|i| i as u8)
            })
            .collect()
    }

    /// Customer `ci`'s revenue per need.
    pub(crate) fn revenue(&self, ci: usize, classes: &[u8]) -> [Cents; NEED_CODES.len()] {
        let mut out = [0 as Cents; NEED_CODES.len()];
        for &(t, v) in part(&self.revenue, &self.rev_offsets, ci) {
            if let Some(slot) = classes
                .get(t as usize)
                .and_then(|&i| out.get_mut(i as usize))
            {
                *slot = slot.saturating_add(v);
            }
        }
        out
    }

    /// The id of a text, if any record has it.
    pub(crate) fn text_id(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }
}

/// What the schemes need to know about one customer that does not depend on the rules.
#[derive(Debug, Clone, Default)]
struct CustomerFacts {
    visits: usize,
    visits_year: u32,
    recency: i64,
    first_days: i64,
    ticket: Cents,
    interval: Option<f64>,
    /// Intervals between visits, their mean and coefficient of variation.
    habit: (usize, f64, f64),
    series: Option<u32>,
    purchase: Option<NaiveDate>,
    use_column: Option<&'static str>,
    region: Option<u32>,
    occupation: Option<u32>,
    cohort: Option<&'static str>,
}

/// Everything the schemes read from the records, per customer, for one `as_of`: computed
/// once per file, mapping and reference date, then labelled under any rules by
/// [`run_cached`] without reading the records again.
#[derive(Debug, Clone, Default)]
pub struct SegmentFacts {
    as_of: NaiveDate,
    customers: Vec<CustomerFacts>,
    /// Interned series, region and occupation values.
    names: Vec<Arc<str>>,
    /// Each customer's lifetime revenue (the summaries' revenue per label).
    revenue: Vec<Cents>,
}

impl SegmentFacts {
    /// Reads the customers' records.
    pub fn new<'a>(ctx: &Context<'a>) -> Self {
        let as_of = ctx.as_of;
        let has = |r: Role| ctx.mapping.has(r);
        let mut names: Vec<Arc<str>> = Vec::new();
        let mut ids: HashMap<&str, u32, FastHash> = HashMap::default();
        let mut intern = |s: Option<&'a str>| -> Option<u32> {
            let s = s?;
            if let Some(&i) = ids.get(s) {
                return Some(i);
            }
            let i = names.len() as u32;
            names.push(Arc::from(s));
            ids.insert(s, i);
            Some(i)
        };
        let mut use_cache: HashMap<&str, Option<&'static str>, FastHash> = HashMap::default();
        let mut customers = Vec::with_capacity(ctx.customers.len());
        for c in ctx.customers {
            let visits = c.visits.len();
            let n_iv = visits.saturating_sub(1);
            let habit = if n_iv == 0 {
                (0, 0.0, 0.0)
            } else {
                let iv = || {
                    c.visits
                        .windows(2)
                        .map(|w| (w[1].date - w[0].date).num_days())
                };
                let n = n_iv as f64;
                let mean = iv().sum::<i64>() as f64 / n;
                let var = iv().map(|x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
                let cv = if mean > 0.0 { var.sqrt() / mean } else { 0.0 };
                (n_iv, mean, cv)
            };
            let mut f = CustomerFacts {
                visits,
                visits_year: visits_last_year(c, as_of),
                recency: c.recency_days(as_of),
                first_days: days_since(c.first_visit(), as_of),
                ticket: c.avg_ticket(),
                interval: mean_interval(c),
                habit,
                ..CustomerFacts::default()
            };
            if has(Role::VehicleSeries) {
                f.series = intern(text_mode(ctx, c, |r| r.vehicle_series));
            }
            if has(Role::PurchaseDate) {
                f.purchase = c
                    .records
                    .iter()
                    .filter_map(|&i| ctx.records.get(i).and_then(|r| r.purchase_date))
                    .max();
            }
            if has(Role::VehicleUse) {
                f.use_column = mode(c.records.iter().filter_map(|&i| {
                    let r = ctx.records.get(i)?;
                    let text = ctx.text(r.vehicle_use)?;
                    let class = *use_cache
                        .entry(text)
                        .or_insert_with(|| classify_vehicle_use(text));
                    Some((class?, r.date))
                }));
            }
            if has(Role::Region) {
                f.region = intern(text_mode(ctx, c, |r| r.region));
            }
            if has(Role::BirthDate) {
                f.cohort = mode(c.records.iter().filter_map(|&i| {
                    let r = ctx.records.get(i)?;
                    Some((r.birth_date?, r.date))
                }))
                .map(|b| age_cohort(b.year()));
            }
            if has(Role::Occupation) {
                f.occupation = intern(text_mode(ctx, c, |r| r.occupation));
            }
            customers.push(f);
        }
        SegmentFacts {
            as_of,
            customers,
            names,
            revenue: ctx.customers.iter().map(|c| c.revenue).collect(),
        }
    }

    fn name(&self, i: Option<u32>) -> Option<Label> {
        i.and_then(|i| self.names.get(i as usize))
            .map(|s| Label::Value(s.clone()))
    }
}

/// Runs every scheme, computing the customers' daily km for vehicle-use inference with
/// [`mileage::customer_daily_km`].
pub fn run(ctx: &Context) -> (SegmentsSummary, Vec<CustomerSegments>) {
    let km = mileage::customer_daily_km(ctx);
    run_with(ctx, &km)
}

/// Runs every scheme with the customers' daily km already computed (aligned with
/// `ctx.customers`; see [`mileage::MileageStudy::customer_daily_km`]).
pub fn run_with(
    ctx: &Context,
    daily_km: &[Option<f64>],
) -> (SegmentsSummary, Vec<CustomerSegments>) {
    let needs = NeedFacts::new(ctx);
    let dominant = needs.dominant(&needs.classes(&ctx.rules.need));
    run_cached(ctx, &SegmentFacts::new(ctx), &dominant, daily_km)
}

/// Runs every scheme from facts gathered beforehand ([`SegmentFacts::new`] on the same
/// customers and `as_of`) and each customer's dominant need under `ctx.rules.need`
/// ([`NeedFacts::dominant`]; used when `service_type` is mapped).
pub fn run_cached(
    ctx: &Context,
    facts: &SegmentFacts,
    dominant: &[Option<u8>],
    daily_km: &[Option<f64>],
) -> (SegmentsSummary, Vec<CustomerSegments>) {
    let (summary, columns) =
        run_memoised(ctx, facts, dominant, daily_km, &mut SegmentMemo::default());
    (summary, columns.to_rows())
}

/// One scheme's label per customer (aligned with the customers).
pub type Column = Arc<[Option<Label>]>;

/// Every scheme's labels, a column per scheme (each as long as the customers), shared between
/// Reports whose rules for that scheme are equal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentColumns {
    pub lifecycle: Column,
    pub value: Column,
    pub loyalty: Column,
    pub member: Column,
    pub member_next: Arc<[Option<MemberNext>]>,
    pub traditional: Column,
    pub need: Column,
    pub habit: Column,
    pub vehicle_age: Column,
    pub vehicle_use: Column,
    pub region: Column,
    pub age_cohort: Column,
    pub occupation: Column,
}

/// One customer's labels, borrowed from [`SegmentColumns`]; serialises as
/// [`CustomerSegments`] does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SegmentsRef<'a> {
    pub lifecycle: Option<&'a Label>,
    pub value: Option<&'a Label>,
    pub loyalty: Option<&'a Label>,
    pub member: Option<&'a Label>,
    pub member_next: Option<&'a MemberNext>,
    pub traditional: Option<&'a Label>,
    pub need: Option<&'a Label>,
    pub habit: Option<&'a Label>,
    pub vehicle_age: Option<&'a Label>,
    pub vehicle_use: Option<&'a Label>,
    pub region: Option<&'a Label>,
    pub age_cohort: Option<&'a Label>,
    pub occupation: Option<&'a Label>,
}

impl<'a> SegmentsRef<'a> {
    /// The labels as an owned value.
    pub fn to_owned_segments(&self) -> CustomerSegments {
        CustomerSegments {
            lifecycle: self.lifecycle.cloned(),
            value: self.value.cloned(),
            loyalty: self.loyalty.cloned(),
            member: self.member.cloned(),
            member_next: self.member_next.cloned(),
            traditional: self.traditional.cloned(),
            need: self.need.cloned(),
            habit: self.habit.cloned(),
            vehicle_age: self.vehicle_age.cloned(),
            vehicle_use: self.vehicle_use.cloned(),
            region: self.region.cloned(),
            age_cohort: self.age_cohort.cloned(),
            occupation: self.occupation.cloned(),
        }
    }

    /// The label of a scheme of [`SCHEMES`] (`None` for another name).
    pub fn scheme(&self, scheme: &str) -> Option<&'a str> {
        let l = match scheme {
            "lifecycle" => self.lifecycle,
            "value" => self.value,
            "loyalty" => self.loyalty,
            "member" => self.member,
            "traditional" => self.traditional,
            "need" => self.need,
            "habit" => self.habit,
            "vehicle_age" => self.vehicle_age,
            "vehicle_use" => self.vehicle_use,
            "region" => self.region,
            "age_cohort" => self.age_cohort,
            "occupation" => self.occupation,
            _ => None,
        };
        l.map(|l| &**l)
    }
}

impl SegmentColumns {
    /// Customer `i`'s labels (none beyond the columns).
    pub fn row(&self, i: usize) -> SegmentsRef<'_> {
        fn at(c: &Column, i: usize) -> Option<&Label> {
            c.get(i).and_then(Option::as_ref)
        }
        SegmentsRef {
            lifecycle: at(&self.lifecycle, i),
            value: at(&self.value, i),
            loyalty: at(&self.loyalty, i),
            member: at(&self.member, i),
            member_next: self.member_next.get(i).and_then(Option::as_ref),
            traditional: at(&self.traditional, i),
            need: at(&self.need, i),
            habit: at(&self.habit, i),
            vehicle_age: at(&self.vehicle_age, i),
            vehicle_use: at(&self.vehicle_use, i),
            region: at(&self.region, i),
            age_cohort: at(&self.age_cohort, i),
            occupation: at(&self.occupation, i),
        }
    }

    /// Customers covered (the longest column).
    pub fn len(&self) -> usize {
        [
            &self.lifecycle,
            &self.value,
            &self.loyalty,
            &self.member,
            &self.traditional,
            &self.need,
            &self.habit,
            &self.vehicle_age,
            &self.vehicle_use,
            &self.region,
            &self.age_cohort,
            &self.occupation,
        ]
        .iter()
        .map(|c| c.len())
        .chain([self.member_next.len()])
        .max()
        .unwrap_or(0)
    }

    /// True without customers.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One [`CustomerSegments`] per customer.
    pub fn to_rows(&self) -> Vec<CustomerSegments> {
        (0..self.len())
            .map(|i| self.row(i).to_owned_segments())
            .collect()
    }

    /// Columns from one [`CustomerSegments`] per customer.
    pub fn from_rows(rows: &[CustomerSegments]) -> Self {
        let col = |f: fn(&CustomerSegments) -> &Option<Label>| -> Column {
            rows.iter().map(|r| f(r).clone()).collect()
        };
        SegmentColumns {
            lifecycle: col(|r| &r.lifecycle),
            value: col(|r| &r.value),
            loyalty: col(|r| &r.loyalty),
            member: col(|r| &r.member),
            member_next: rows.iter().map(|r| r.member_next.clone()).collect(),
            traditional: col(|r| &r.traditional),
            need: col(|r| &r.need),
            habit: col(|r| &r.habit),
            vehicle_age: col(|r| &r.vehicle_age),
            vehicle_use: col(|r| &r.vehicle_use),
            region: col(|r| &r.region),
            age_cohort: col(|r| &r.age_cohort),
            occupation: col(|r| &r.occupation),
        }
    }
}

/// A scheme's labels and summary.
type Labelled = (Column, SchemeSummary);

/// The member tiers and each customer's next tier.
type Tiers = (Labelled, Arc<[Option<MemberNext>]>);

/// Each scheme's labels and summary, kept for reuse while the rules the scheme reads stay the
/// same (for one [`SegmentFacts`]: the memo lives next to them).
#[derive(Debug, Default)]
pub struct SegmentMemo {
    lifecycle: Option<(LifecycleRules, Labelled)>,
    value: Option<(ValueRules, Labelled)>,
    loyalty: Option<(LoyaltyRules, Labelled)>,
    member: Option<(MemberRules, Tiers)>,
    traditional: Option<((LifecycleRules, LoyaltyRules), Labelled)>,
    need: Option<(NeedRules, Labelled)>,
    habit: Option<(HabitRules, Labelled)>,
    vehicle_age: Option<(VehicleRules, Labelled)>,
    vehicle_use: Option<((VehicleRules, MileageRules), Labelled)>,
    /// Region, age cohort and occupation: no rules.
    fixed: Option<((), [Labelled; 3])>,
}

/// Customers and revenue per label of `column`; `roles`: the scheme's inputs, any one of
/// which makes it available (empty: always available).
fn summarise(
    ctx: &Context,
    facts: &SegmentFacts,
    column: &[Option<Label>],
    roles: &[Role],
) -> SchemeSummary {
    let mut t = Tally::default();
    for (l, &revenue) in column.iter().zip(&facts.revenue) {
        t.add(l.as_deref(), revenue);
    }
    t.into_summary(ctx, roles)
}

/// A column of codes, one per customer's facts.
fn codes(facts: &SegmentFacts, f: impl FnMut(&CustomerFacts) -> Option<&'static str>) -> Column {
    facts
        .customers
        .iter()
        .map(f)
        .map(|c| c.map(Label::Code))
        .collect()
}

/// `{source: customers}` for [`SchemeSummary::by_source`], sources without customers left
/// out.
fn by_source(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.to_string(), *n))
        .collect()
}

/// The lifecycle code of a customer's facts.
fn lifecycle_code(f: &CustomerFacts, life: &LifecycleRules) -> &'static str {
    lifecycle_by_days(f.recency, f.first_days, life)
}

/// The loyalty code of a customer (see the module doc).
fn loyalty_code(f: &CustomerFacts, l: &LoyaltyRules) -> &'static str {
    if f.recency >= l.warning_days {
        "churn_warning"
    } else if f.visits == 1 {
        "new"
    } else if f.visits_year >= l.loyal_visits && f.ticket >= to_cents(l.loyal_ticket) {
        "loyal"
    } else if f.visits_year >= l.potential_visits && f.ticket >= to_cents(l.potential_ticket) {
        "potential"
    } else {
        "regular"
    }
}

/// [`run_cached`], re-using from `memo` each scheme whose rules did not change: a rule change
/// labels only the schemes that read it. `dominant` must be for `ctx.rules.need` and
/// `daily_km` for `ctx.rules.mileage` (the memo keys those schemes by these rules).
pub fn run_memoised(
    ctx: &Context,
    facts: &SegmentFacts,
    dominant: &[Option<u8>],
    daily_km: &[Option<f64>],
    memo: &mut SegmentMemo,
) -> (SegmentsSummary, SegmentColumns) {
    use super::memoised;
    let rules = ctx.rules;
    let as_of = ctx.as_of;
    debug_assert_eq!(facts.as_of, as_of);
    let has = |r: Role| ctx.mapping.has(r);
    let sum = |column: &[Option<Label>], roles: &[Role]| summarise(ctx, facts, column, roles);
    let labelled = |column: Column, roles: &[Role]| -> Labelled {
        let s = sum(&column, roles);
        (column, s)
    };

    let (lifecycle, lifecycle_sum) = memoised(&mut memo.lifecycle, rules.lifecycle.clone(), || {
        let c = codes(facts, |f| Some(lifecycle_code(f, &rules.lifecycle)));
        labelled(c, &[])
    })
    .clone();

    let (value, value_sum) = memoised(&mut memo.value, rules.value.clone(), || {
        let v = &rules.value;
        let series_on = has(Role::VehicleSeries) && !v.series_ticket.is_empty();
        let series_cents: Vec<Option<(Cents, Cents)>> = facts
            .names
            .iter()
            .map(|n| {
                series_on
                    .then(|| v.series_ticket.get(&**n).copied())
                    .flatten()
                    .map(|[h, l]| (to_cents(h), to_cents(l)))
            })
            .collect();
        let shared_cents = (to_cents(v.ticket_high), to_cents(v.ticket_low));
        let (mut by_series, mut by_shared) = (0, 0);
        let c = codes(facts, |f| {
            let series = f
                .series
                .and_then(|i| series_cents.get(i as usize).copied().flatten());
            let (hi, lo) = match series {
                Some(t) => {
                    by_series += 1;
                    t
                }
                None => {
                    by_shared += 1;
                    shared_cents
                }
            };
            let high = f.ticket >= hi
                && f.visits_year >= v.visits_high
                && f.interval.is_some_and(|m| m <= v.interval_high_days);
            let low = f.ticket < lo
                || f.visits_year < v.visits_low
                || f.interval.is_some_and(|m| m > v.interval_low_days);
            Some(if high {
                "high"
            } else if low {
                "low"
            } else {
                "mid"
            })
        });
        let mut s = sum(&c, &[]);
        s.source = Some(if series_on { "series" } else { "shared" }.into());
        s.by_source = by_source(&[("series", by_series), ("shared", by_shared)]);
        (c, s)
    })
    .clone();

    let (loyalty, loyalty_sum) = memoised(&mut memo.loyalty, rules.loyalty.clone(), || {
        let c = codes(facts, |f| Some(loyalty_code(f, &rules.loyalty)));
        labelled(c, &[])
    })
    .clone();

    let ((member, member_sum), member_next) =
        memoised(&mut memo.member, rules.member.clone(), || {
            let m = &rules.member;
            let mut next = Vec::with_capacity(facts.customers.len());
            let c = codes(facts, |f| {
                let visits = u32::try_from(f.visits).unwrap_or(u32::MAX);
                let (tier, n) = if f.visits_year >= m.platinum_visits_year {
                    ("platinum", None)
                } else if visits >= m.gold_visits {
                    (
                        "gold",
                        Some((
                            "platinum",
                            m.platinum_visits_year.saturating_sub(f.visits_year),
                        )),
                    )
                } else {
                    (
                        "silver",
                        Some(("gold", m.gold_visits.saturating_sub(visits))),
                    )
                };
                next.push(n.map(|(t, n)| MemberNext {
                    tier: Label::Code(t),
                    visits_needed: n.max(1),
                }));
                Some(tier)
            });
            let s = sum(&c, &[]);
            ((c, s), next.into())
        })
        .clone();

    let traditional_key = (rules.lifecycle.clone(), rules.loyalty.clone());
    let (traditional, traditional_sum) = memoised(&mut memo.traditional, traditional_key, || {
        let c = codes(facts, |f| {
            let lifecycle = lifecycle_code(f, &rules.lifecycle);
            let loyalty = loyalty_code(f, &rules.loyalty);
            Some(if lifecycle == "lost" {
                "lost"
            } else if lifecycle == "at_risk" || loyalty == "churn_warning" {
                "at_risk"
            } else if loyalty == "loyal" {
                "loyal"
            } else {
                "general"
            })
        });
        labelled(c, &[])
    })
    .clone();

    let (need, need_sum) = memoised(&mut memo.need, rules.need.clone(), || {
        let typed = has(Role::ServiceType);
        let c: Column = (0..facts.customers.len())
            .map(|ci| {
                typed
                    .then(|| dominant.get(ci).copied().flatten())
                    .flatten()
                    .and_then(|i| NEED_CODES.get(i as usize))
                    .map(|&code| Label::Code(code))
            })
            .collect();
        labelled(c, &[Role::ServiceType])
    })
    .clone();

    let (habit, habit_sum) = memoised(&mut memo.habit, rules.habit.clone(), || {
        let h = &rules.habit;
        let c = codes(facts, |f| {
            let (n_iv, mean, cv) = f.habit;
            Some(if n_iv == 0 || n_iv < h.min_intervals {
                "insufficient"
            } else if cv > h.irregular_cv {
                "irregular"
            } else if mean <= h.high_frequency_days {
                "high_frequency"
            } else {
                "low_frequency"
            })
        });
        labelled(c, &[])
    })
    .clone();

    let (vehicle_age, vehicle_age_sum) =
        memoised(&mut memo.vehicle_age, rules.vehicle.clone(), || {
            // the classes depend only on the purchase date: a few thousand distinct dates
            let mut cache: HashMap<NaiveDate, &'static str, FastHash> = HashMap::default();
            let c = codes(facts, |f| {
                let p = f.purchase?;
                Some(
                    *cache
                        .entry(p)
                        .or_insert_with(|| vehicle_age_of(p, rules, as_of)),
                )
            });
            labelled(c, &[Role::PurchaseDate])
        })
        .clone();

    let use_key = (rules.vehicle.clone(), rules.mileage.clone());
    let (vehicle_use, vehicle_use_sum) = memoised(&mut memo.vehicle_use, use_key, || {
        let (mut by_column, mut by_mileage) = (0, 0);
        let mileage_on = has(Role::Mileage);
        let c: Column = facts
            .customers
            .iter()
            .enumerate()
            .map(|(ci, f)| {
                if let Some(u) = f.use_column {
                    by_column += 1;
                    return Some(Label::Code(u));
                }
                let km = daily_km.get(ci).copied().flatten().filter(|_| mileage_on)?;
                by_mileage += 1;
                Some(Label::Code(vehicle_use_from_km(km, rules)))
            })
            .collect();
        let mut s = sum(&c, &[Role::VehicleUse, Role::Mileage]);
        if s.available {
            s.source = Some(
                match (has(Role::VehicleUse), mileage_on) {
                    (true, true) => "column+mileage",
                    (true, false) => "column",
                    _ => "mileage",
                }
                .into(),
            );
            s.by_source = by_source(&[("column", by_column), ("mileage", by_mileage)]);
        }
        (c, s)
    })
    .clone();

    let [(region, region_sum), (age_cohort, age_cohort_sum), (occupation, occupation_sum)] =
        memoised(&mut memo.fixed, (), || {
            let names = |pick: fn(&CustomerFacts) -> Option<u32>| -> Column {
                facts
                    .customers
                    .iter()
                    .map(|f| facts.name(pick(f)))
                    .collect()
            };
            let region = names(|f| f.region);
            let cohort = codes(facts, |f| f.cohort);
            let occupation = names(|f| f.occupation);
            [
                (region.clone(), sum(&region, &[Role::Region])),
                (cohort.clone(), sum(&cohort, &[Role::BirthDate])),
                (occupation.clone(), sum(&occupation, &[Role::Occupation])),
            ]
        })
        .clone();

    let summary = SegmentsSummary {
        lifecycle: lifecycle_sum,
        value: value_sum,
        loyalty: loyalty_sum,
        member: member_sum,
        traditional: traditional_sum,
        need: need_sum,
        habit: habit_sum,
        vehicle_age: vehicle_age_sum,
        vehicle_use: vehicle_use_sum,
        region: region_sum,
        age_cohort: age_cohort_sum,
        occupation: occupation_sum,
    };
    let columns = SegmentColumns {
        lifecycle,
        value,
        loyalty,
        member,
        member_next,
        traditional,
        need,
        habit,
        vehicle_age,
        vehicle_use,
        region,
        age_cohort,
        occupation,
    };
    (summary, columns)
}

/// Customers and revenue per label of one scheme, in order of first appearance.
#[derive(Default)]
struct Tally<'a> {
    acc: Vec<(&'a str, usize, Cents)>,
    /// label → index in `acc`; looked up only (the output is ordered by label).
    slots: HashMap<&'a str, usize, FastHash>,
    unassigned: usize,
}

impl<'a> Tally<'a> {
    fn add(&mut self, label: Option<&'a str>, revenue: Cents) {
        let Some(code) = label else {
            self.unassigned += 1;
            return;
        };
        // codes are mostly the same few literals: compare addresses first
        let hit = if self.acc.len() <= 16 {
            self.acc.iter().position(|a| std::ptr::eq(a.0, code))
        } else {
            None
        };
        let k = match hit {
            Some(k) => k,
            None => {
                let acc = &mut self.acc;
                *self.slots.entry(code).or_insert_with(|| {
                    acc.push((code, 0, 0));
                    acc.len() - 1
                })
            }
        };
        if let Some(a) = self.acc.get_mut(k) {
            a.1 += 1;
            a.2 = a.2.saturating_add(revenue);
        }
    }

    /// The scheme's summary. `roles`: the scheme's inputs, any one of which makes it
    /// available (empty: always available).
    fn into_summary(self, ctx: &Context, roles: &[Role]) -> SchemeSummary {
        let available = roles.is_empty() || roles.iter().any(|r| ctx.mapping.has(*r));
        let mut s = SchemeSummary {
            available,
            missing_roles: if available {
                Vec::new()
            } else {
                roles.iter().map(|r| r.name().to_string()).collect()
            },
            ..SchemeSummary::default()
        };
        if !available {
            return s;
        }
        s.unassigned = self.unassigned;
        for (code, n, revenue) in self.acc {
            *s.counts.entry(code.to_string()).or_default() += n;
            let r = s.revenue.entry(code.to_string()).or_default();
            *r = r.saturating_add(revenue);
        }
        s
    }
}

/// A label for a code, or the code itself when [`label`] does not know it (region and
/// occupation values are shown as they are).
pub fn label_or_code(code: &str, lang: Lang) -> &str {
    match label(code, lang) {
        "" => code,
        l => l,
    }
}

/// The Chinese or English name of a scheme, a segment code, a list reason or a common
/// region / occupation value; `""` for a code it does not know (see [`label_or_code`]).
pub fn label(code: &str, lang: Lang) -> &'static str {
    let (zh, en) = match code {
        // schemes
        "lifecycle" => ("服务周期", "Lifecycle"),
        "value" => ("客户价值", "Value"),
        "loyalty" => ("忠诚度", "Loyalty"),
        "member" => ("会员等级", "Member tier"),
        "traditional" => ("传统分类", "Traditional class"),
        "need" => ("进厂需求", "Need"),
        "habit" => ("消费习惯", "Habit"),
        "vehicle_age" => ("车龄", "Vehicle age"),
        "vehicle_use" => ("车辆用途", "Vehicle use"),
        "region" => ("区域", "Region"),
        "age_cohort" => ("年龄段", "Age cohort"),
        "occupation" => ("职业", "Occupation"),
        // lifecycle, loyalty, traditional
        "new" => ("新客户", "New"),
        "active" => ("活跃客户", "Active"),
        "at_risk" => ("准流失客户", "At risk"),
        "lost" => ("流失客户", "Lost"),
        "loyal" => ("忠诚客户", "Loyal"),
        "potential" => ("潜力客户", "Potential"),
        "churn_warning" => ("流失预警", "Churn warning"),
        "regular" => ("普通客户", "Regular"),
        "general" => ("一般客户", "General"),
        // value
        "high" => ("高价值客户", "High value"),
        "mid" => ("中价值客户", "Mid value"),
        "low" => ("低价值客户", "Low value"),
        // member
        "silver" => ("银卡会员", "Silver"),
        "gold" => ("金卡会员", "Gold"),
        "platinum" => ("铂金会员", "Platinum"),
        // need
        "first_service" => ("首保", "First service"),
        "maintenance" => ("定期保养", "Routine maintenance"),
        "repair" => ("一般维修", "Repair"),
        "accident" => ("事故车", "Accident"),
        "body_paint" => ("钣喷", "Body & paint"),
        "modification" => ("改装", "Modification"),
        "insurance" => ("保险", "Insurance"),
        "other" => ("其他", "Other"),
        // habit
        "high_frequency" => ("高频", "High frequency"),
        "low_frequency" => ("低频", "Low frequency"),
        "irregular" => ("不规律", "Irregular"),
        "insufficient" => ("数据不足", "Too few visits"),
        // vehicle age
        "in_warranty" => ("保修期内", "In warranty"),
        "in_three_guarantees" => ("三包期内", "In 三包 period"),
        "out_of_warranty" => ("保修期外", "Out of warranty"),
        // vehicle use
        "private" => ("私家车", "Private"),
        "official" => ("公务车", "Official"),
        "commercial" => ("营运车", "Commercial"),
        // age cohorts
        "pre_50" => ("50前", "Born before 1950"),
        "post_50" => ("50后", "Born 1950s"),
        "post_60" => ("60后", "Born 1960s"),
        "post_70" => ("70后", "Born 1970s"),
        "post_80" => ("80后", "Born 1980s"),
        "post_90" => ("90后", "Born 1990s"),
        "post_00" => ("00后", "Born 2000s"),
        "post_10" => ("10后", "Born 2010s"),
        "post_20" => ("20后", "Born 2020s"),
        // sources
        "series" => ("按车系阈值", "Per-series thresholds"),
        "shared" => ("统一阈值", "Shared thresholds"),
        "column" => ("数据列", "Column"),
        "mileage" => ("日均里程推断", "Inferred from daily mileage"),
        "column+mileage" => ("数据列 + 日均里程推断", "Column + daily mileage"),
        // lists (reminders)
        "sms" => ("短信提醒", "SMS reminder"),
        "phone" => ("电话提醒", "Phone reminder"),
        "callback" => ("维修回访", "Post-repair callback"),
        "win_back" => ("流失用户回访", "Win-back"),
        "due" => ("保养到期", "Service due"),
        "overdue" => ("保养逾期", "Service overdue"),
        "not_back" => ("3个月未回站", "Not back for 3 months"),
        "visit" => ("进厂", "Visit"),
        "by_date" => ("按时间", "By date"),
        "by_mileage" => ("按里程", "By mileage"),
        // common region values
        "市区" => ("市区", "City"),
        "县城" => ("县城", "County town"),
        "乡镇" => ("乡镇", "Township"),
        // common occupation values
        "公务员" => ("公务员", "Civil servant"),
        "企事业单位" => ("企事业单位", "Company / institution employee"),
        "务工人员" => ("务工人员", "Worker"),
        "农民" => ("农民", "Farmer"),
        _ => ("", ""),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
