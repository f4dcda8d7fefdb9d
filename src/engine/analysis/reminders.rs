//! Reminders and call lists (product.md, Analyses 11; the seeds' 客服工作 and 保养提醒
//! steps), all relative to `as_of`. Each list holds at most one entry per customer and is
//! sorted by due date, then customer id.
//!
//! # Rules
//! - **Next service due** = the earlier of (last visit + `interval_months`) — `by_date` —
//!   and (date of the latest mileage reading + `ceil(interval_km / daily km)` days) —
//!   `by_mileage`, when the customer has a reading (> 0) and a daily km > 0 (the customer's
//!   own, from [`super::mileage`]). Equal dates count as `by_date`.
//! - The seeds send an SMS 13 days before the due date and call 11 days before. Because the
//!   lists are not guaranteed to be produced every day, they are windows on `d = due −
//!   as_of`:
//!   - **sms**: `phone_days_before < d ≤ sms_days_before` (12 or 13 days ahead), reason
//!     `due`;
//!   - **phone**: `0 ≤ d ≤ phone_days_before` (today to 11 days ahead), reason `due`; and
//!     every customer already past the due date (`d < 0`), reason `overdue`.
//!
//!   Lost customers (no visit for ≥ `lost_days`) are left off both: they belong to the
//!   win-back list.
//! - **callback** (维修后回访 3–7 天): the customer's latest repair-type visit dated
//!   `callback_min_days ≤ as_of − date ≤ callback_max_days` (both ends included). Repair type
//!   = a visit with need `accident`, `body_paint` or `repair` (reason: the first of these
//!   present, in that order); when `service_type` is not mapped, any visit (reason `visit`).
//!   `event` is the visit date; due = visit date + `callback_min_days`.
//! - **first_service** (首保提醒, needs `purchase_date`): per vehicle of the customer (records
//!   grouped by VIN, else plate), the earliest purchase date; listed when `0 ≤ as_of −
//!   purchase < first_service_within_days` and the vehicle has no first-service visit yet
//!   (a record with need `first_service`; when `service_type` is not mapped, any record dated
//!   after the purchase date counts as the first service). Due = purchase +
//!   `first_service_months` (may already be past); `event` = purchase date. With several
//!   vehicles, the earliest due.
//! - **win_back** (流失用户回访): every customer with no visit for ≥ `win_back_days` (3
//!   months), lost ones included; due = last visit + `win_back_days`; reason `lost` (≥
//!   `lost_days`), `at_risk` (≥ `at_risk_days`) or `not_back`. `days_since_last_visit` says
//!   how long.
//! - `phone` / `plate` are taken from the customer's latest record that has one.

use crate::engine::analysis::segments::{NeedFacts, NEED_CODES};
use crate::engine::analysis::Context;
use crate::engine::customers::CustomerSummary;
use crate::engine::intern::Sym;
use crate::engine::mapping::Role;
use crate::engine::records::ServiceRecord;
use crate::engine::rules::{LifecycleRules, NeedRules, ReminderRules};
use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One customer on a list, as an owned value (what a list reads back from JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallItem {
    /// Customer key.
    pub id: Arc<str>,
    /// Customer name.
    pub name: Option<Arc<str>>,
    /// Phone from the latest record that has one.
    pub phone: Option<Arc<str>>,
    /// Plate from the latest record that has one (first_service: the vehicle's).
    pub plate: Option<Arc<str>>,
    /// When the action is due (see the module doc per list).
    pub due: NaiveDate,
    /// `due − as_of` in days (negative: overdue).
    pub days_to_due: i64,
    /// Why the customer is listed: `due`, `overdue`, `repair`, `accident`, `body_paint`,
    /// `visit`, `first_service`, `not_back`, `at_risk`, `lost`.
    pub reason: Cow<'static, str>,
    /// sms / phone: `by_date` or `by_mileage`.
    pub basis: Option<Cow<'static, str>>,
    /// callback: the repair visit; first_service: the purchase date.
    pub event: Option<NaiveDate>,
    /// The customer's last visit.
    pub last_visit: NaiveDate,
    /// Days from the last visit to `as_of`.
    pub days_since_last_visit: i64,
    /// sms / phone: the latest mileage reading.
    pub last_mileage: Option<f64>,
    /// sms / phone: the daily km used.
    pub daily_km: Option<f64>,
}

/// One entry of a [`CallList`], borrowed; serialises as a [`CallItem`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CallRow<'a> {
    /// Customer key.
    pub id: &'a str,
    /// Customer name.
    pub name: Option<&'a str>,
    /// Phone from the latest record that has one.
    pub phone: Option<&'a str>,
    /// Plate from the latest record that has one (first_service: the vehicle's).
    pub plate: Option<&'a str>,
    /// When the action is due.
    pub due: NaiveDate,
    /// `due − as_of` in days (negative: overdue).
    pub days_to_due: i64,
    /// Why the customer is listed (see [`CallItem::reason`]).
    pub reason: &'a str,
    /// sms / phone: `by_date` or `by_mileage`.
    pub basis: Option<&'a str>,
    /// callback: the repair visit; first_service: the purchase date.
    pub event: Option<NaiveDate>,
    /// The customer's last visit.
    pub last_visit: NaiveDate,
    /// Days from the last visit to `as_of`.
    pub days_since_last_visit: i64,
    /// sms / phone: the latest mileage reading.
    pub last_mileage: Option<f64>,
    /// sms / phone: the daily km used.
    pub daily_km: Option<f64>,
}

impl CallRow<'_> {
    /// The entry as an owned value.
    pub fn to_item(&self) -> CallItem {
        CallItem {
            id: Arc::from(self.id),
            name: self.name.map(Arc::from),
            phone: self.phone.map(Arc::from),
            plate: self.plate.map(Arc::from),
            due: self.due,
            days_to_due: self.days_to_due,
            reason: Cow::Owned(self.reason.to_string()),
            basis: self.basis.map(|b| Cow::Owned(b.to_string())),
            event: self.event,
            last_visit: self.last_visit,
            days_since_last_visit: self.days_since_last_visit,
            last_mileage: self.last_mileage,
            daily_km: self.daily_km,
        }
    }
}

/// Who an entry is about: a customer's key and contact details, kept once per file and
/// shared by every list built from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    pub id: Arc<str>,
    pub name: Option<Arc<str>>,
    pub phone: Option<Arc<str>>,
    pub plate: Option<Arc<str>>,
}

/// An entry of a list without its person's details (see [`CallItem`] for the fields).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Index into the list's people.
    pub who: usize,
    /// The vehicle's plate, where it differs from the person's (first_service).
    pub plate: Option<Arc<str>>,
    pub due: NaiveDate,
    pub days_to_due: i64,
    pub reason: Cow<'static, str>,
    pub basis: Option<Cow<'static, str>>,
    pub event: Option<NaiveDate>,
    pub last_visit: NaiveDate,
    pub days_since_last_visit: i64,
    pub last_mileage: Option<f64>,
    pub daily_km: Option<f64>,
}

/// A call list: entries that point into the customers' contact details (shared by all the
/// lists of a file, so that building a list after a rule change copies no text).
/// Serialised (and deserialised) as the array of its [`CallItem`]s.
#[derive(Debug, Clone, Default)]
pub struct CallList {
    people: Arc<[Person]>,
    calls: Arc<[Call]>,
}

impl CallList {
    /// A list of `calls` about `people`; entries whose person is missing are left out.
    pub fn from_parts(people: Arc<[Person]>, mut calls: Vec<Call>) -> Self {
        calls.retain(|c| c.who < people.len());
        CallList {
            people,
            calls: calls.into(),
        }
    }

    /// The people the entries point into (shared by the lists of one Report).
    pub fn people(&self) -> &Arc<[Person]> {
        &self.people
    }

    /// The entries without their people's details.
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// True without entries.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// Entry `k`.
    pub fn get(&self, k: usize) -> Option<CallRow<'_>> {
        self.calls.get(k).map(|c| self.row(c))
    }

    /// The entries in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = CallRow<'_>> + ExactSizeIterator + '_ {
        self.calls.iter().map(|c| self.row(c))
    }

    fn row<'a>(&'a self, c: &'a Call) -> CallRow<'a> {
        // a built list's entries always have their person
        let p = self.people.get(c.who);
        CallRow {
            id: p.map_or("", |p| &p.id),
            name: p.and_then(|p| p.name.as_deref()),
            phone: p.and_then(|p| p.phone.as_deref()),
            plate: c.plate.as_deref().or(p.and_then(|p| p.plate.as_deref())),
            due: c.due,
            days_to_due: c.days_to_due,
            reason: &c.reason,
            basis: c.basis.as_deref(),
            event: c.event,
            last_visit: c.last_visit,
            days_since_last_visit: c.days_since_last_visit,
            last_mileage: c.last_mileage,
            daily_km: c.daily_km,
        }
    }
}

impl PartialEq for CallList {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl FromIterator<CallItem> for CallList {
    fn from_iter<I: IntoIterator<Item = CallItem>>(items: I) -> Self {
        let (mut people, mut calls) = (Vec::new(), Vec::new());
        for (who, i) in items.into_iter().enumerate() {
            people.push(Person {
                id: i.id,
                name: i.name,
                phone: i.phone,
                plate: None,
            });
            calls.push(Call {
                who,
                plate: i.plate,
                due: i.due,
                days_to_due: i.days_to_due,
                reason: i.reason,
                basis: i.basis,
                event: i.event,
                last_visit: i.last_visit,
                days_since_last_visit: i.days_since_last_visit,
                last_mileage: i.last_mileage,
                daily_km: i.daily_km,
            });
        }
        CallList {
            people: people.into(),
            calls: calls.into(),
        }
    }
}

impl Serialize for CallList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for CallList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<CallItem>::deserialize(d)?.into_iter().collect())
    }
}

/// The call lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lists {
    /// Due in `phone_days_before + 1 ..= sms_days_before` days.
    pub sms: CallList,
    /// Due in `0 ..= phone_days_before` days, or overdue (not lost).
    pub phone: CallList,
    /// 3–7 days after a repair.
    pub callback: CallList,
    /// Recent buyers without a first service.
    pub first_service: CallList,
    /// No visit for 3 months or more.
    pub win_back: CallList,
    /// How lists were built where there is a choice: `due` (`date` or `date+mileage`),
    /// `callback` (`service_type` or `any_visit`), `first_service` (`service_type` or
    /// `visit_after_purchase`).
    pub basis: BTreeMap<String, String>,
    /// Lists that cannot be built, with the roles they need (`first_service`:
    /// `purchase_date`).
    pub unavailable: BTreeMap<String, Vec<String>>,
}

/// The latest non-empty value of a field in the customer's records.
fn latest<'a>(
    ctx: &Context<'a>,
    c: &CustomerSummary,
    f: impl Fn(&ServiceRecord) -> Option<Sym>,
) -> Option<&'a str> {
    c.records
        .iter()
        .filter_map(|&i| {
            let r = ctx.records.get(i)?;
            let v = ctx.text(f(r))?.trim();
            (!v.is_empty()).then_some(((r.date, i), v))
        })
        .max_by_key(|(k, _)| *k)
        .map(|(_, v)| v)
}

/// The latest mileage reading (> 0): date and the largest value that day.
fn last_reading(ctx: &Context, c: &CustomerSummary) -> Option<(NaiveDate, f64)> {
    let mut best: Option<(NaiveDate, f64)> = None;
    for &i in &c.records {
        let Some(r) = ctx.records.get(i) else {
            continue;
        };
        let Some(m) = r.mileage.filter(|m| m.is_finite() && *m > 0.0) else {
            continue;
        };
        best = match best {
            Some((d, b)) if d > r.date || (d == r.date && b >= m) => Some((d, b)),
            _ => Some((r.date, m)),
        };
    }
    best
}

/// Next service due and its basis (see the module doc).
pub fn next_due(
    last_visit: NaiveDate,
    reading: Option<(NaiveDate, f64)>,
    daily_km: Option<f64>,
    rules: &ReminderRules,
) -> Option<(NaiveDate, &'static str)> {
    let by_date = last_visit.checked_add_months(Months::new(rules.interval_months));
    let by_km = match (reading, daily_km) {
        (Some((d, _)), Some(km)) if km > 0.0 && rules.interval_km > 0.0 => {
            let days = (rules.interval_km / km).ceil();
            if days.is_finite() && days <= 36_500.0 {
                d.checked_add_signed(Duration::days(days as i64))
            } else {
                None
            }
        }
        _ => None,
    };
    match (by_date, by_km) {
        (Some(a), Some(b)) if b < a => Some((b, "by_mileage")),
        (Some(a), _) => Some((a, "by_date")),
        (None, Some(b)) => Some((b, "by_mileage")),
        (None, None) => None,
    }
}

/// A list entry before it becomes a [`Call`]: small, so that sorting moves little.
#[derive(Clone, Copy)]
struct Entry<'a> {
    /// The customer (index into the people).
    who: usize,
    due: NaiveDate,
    reason: &'static str,
    basis: Option<&'static str>,
    event: Option<NaiveDate>,
    last_visit: NaiveDate,
    since: i64,
    last_mileage: Option<f64>,
    daily_km: Option<f64>,
    /// first_service: the vehicle's plate, when it has one.
    plate: Option<&'a Arc<str>>,
}

/// The list's entries sorted by due date, then customer id. Entries are pushed in customer
/// (id) order, so the push position breaks ties; only (due, position) pairs are sorted.
fn finish(entries: Vec<Entry>, as_of: NaiveDate, people: &Arc<[Person]>) -> CallList {
    let mut keys: Vec<(NaiveDate, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.due, i))
        .collect();
    keys.sort_unstable();
    let calls: Vec<Call> = keys
        .iter()
        .filter_map(|&(_, i)| entries.get(i))
        .map(|e| call(e, as_of))
        .collect();
    CallList {
        people: people.clone(),
        calls: calls.into(),
    }
}

/// An entry as a [`Call`].
fn call(e: &Entry, as_of: NaiveDate) -> Call {
    Call {
        who: e.who,
        plate: e.plate.cloned(),
        due: e.due,
        days_to_due: (e.due - as_of).num_days(),
        reason: Cow::Borrowed(e.reason),
        basis: e.basis.map(Cow::Borrowed),
        event: e.event,
        last_visit: e.last_visit,
        days_since_last_visit: e.since,
        last_mileage: e.last_mileage,
        daily_km: e.daily_km,
    }
}

/// A vehicle of a customer with a purchase date, for the first-service list.
#[derive(Debug, Clone)]
struct Bought {
    /// The earliest purchase date of the vehicle's records.
    purchase: NaiveDate,
    /// Whether a record of the vehicle is dated after that.
    visited_after: bool,
    /// The service-type texts of the vehicle's records ([`NeedFacts`] ids).
    texts: Vec<u32>,
    /// The vehicle's latest plate.
    plate: Option<Arc<str>>,
}

/// What the lists read from one customer's records, besides the person.
#[derive(Debug, Clone, Default)]
struct Contact {
    /// Whether the customer has a visit at all.
    visited: bool,
    last_visit: NaiveDate,
    /// Days from the last visit to the basis' `as_of`.
    since: i64,
    reading: Option<(NaiveDate, f64)>,
    /// The latest purchase date on or before the basis' `as_of` among `bought` (read
    /// before `bought`, which most customers need not be looked at for).
    newest_purchase: Option<NaiveDate>,
    bought: Vec<Bought>,
}

/// Each customer's person (key, name, phone, plate), last visit, latest mileage reading and
/// vehicles with a purchase date: computed once per file, mapping and `as_of`, then listed
/// under any rules by [`run_cached`] without reading the records again.
#[derive(Debug, Clone, Default)]
pub struct ReminderFacts {
    /// Aligned with the customers; shared by every list.
    people: Arc<[Person]>,
    customers: Vec<Contact>,
    /// The customers with a visit by last visit, then index (the win-back list's order).
    by_last_visit: Vec<u32>,
}

impl ReminderFacts {
    /// Reads the customers' records; `needs` gives the service-type text ids.
    pub fn new(ctx: &Context, needs: &NeedFacts) -> Self {
        let purchase_on = ctx.mapping.has(Role::PurchaseDate);
        let people = ctx
            .customers
            .iter()
            .map(|c| Person {
                id: Arc::from(c.id.as_str()),
                name: c.name.as_deref().map(Arc::from),
                phone: latest(ctx, c, |r| r.phone).map(Arc::from),
                plate: latest(ctx, c, |r| r.plate).map(Arc::from),
            })
            .collect();
        let customers = ctx
            .customers
            .iter()
            .map(|c| {
                let bought = if purchase_on {
                    bought(ctx, c, needs)
                } else {
                    Vec::new()
                };
                Contact {
                    visited: !c.visits.is_empty(),
                    last_visit: c.last_visit(),
                    since: c.recency_days(ctx.as_of),
                    reading: last_reading(ctx, c),
                    newest_purchase: bought
                        .iter()
                        .map(|b| b.purchase)
                        .filter(|&p| p <= ctx.as_of)
                        .max(),
                    bought,
                }
            })
            .collect::<Vec<Contact>>();
        let mut by_last_visit: Vec<u32> = customers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.visited)
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        by_last_visit.sort_by_key(|&i| (customers.get(i as usize).map(|c| c.last_visit), i));
        ReminderFacts {
            people,
            customers,
            by_last_visit,
        }
    }
}

/// The customer's vehicles (records grouped by VIN, else plate) with a purchase date.
fn bought(ctx: &Context, c: &CustomerSummary, needs: &NeedFacts) -> Vec<Bought> {
    if !c.records.iter().any(|&i| {
        ctx.records
            .get(i)
            .is_some_and(|r| r.purchase_date.is_some())
    }) {
        return Vec::new();
    }
    // vehicle (vin, else plate, else "") → records
    let mut by_vehicle: BTreeMap<&str, Vec<&ServiceRecord>> = BTreeMap::new();
    for &i in &c.records {
        let Some(r) = ctx.records.get(i) else {
            continue;
        };
        let key = ctx
            .text(r.vin)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or_else(|| ctx.text(r.plate).map(str::trim).filter(|s| !s.is_empty()))
            .unwrap_or("");
        by_vehicle.entry(key).or_default().push(r);
    }
    let mut out = Vec::new();
    for recs in by_vehicle.values() {
        let Some(purchase) = recs.iter().filter_map(|r| r.purchase_date).min() else {
            continue;
        };
        let mut texts: Vec<u32> = recs
            .iter()
            .filter_map(|r| needs.text_id(ctx.text(r.service_type)?))
            .collect();
        texts.sort_unstable();
        texts.dedup();
        let plate = recs
            .iter()
            .filter_map(|r| {
                let p = ctx.text(r.plate)?.trim();
                (!p.is_empty()).then_some((r.date, p))
            })
            .max()
            .map(|(_, p)| Arc::from(p));
        out.push(Bought {
            purchase,
            visited_after: recs.iter().any(|r| r.date > purchase),
            texts,
            plate,
        });
    }
    out
}

/// Builds every list. `daily_km`: per customer (aligned with `ctx.customers`), from
/// [`super::mileage::MileageStudy::customer_daily_km`].
pub fn run(ctx: &Context, daily_km: &[Option<f64>]) -> Lists {
    let needs = NeedFacts::new(ctx);
    run_cached(ctx, &ReminderFacts::new(ctx, &needs), &needs, daily_km)
}

/// [`run`] from facts gathered beforehand on the same customers.
pub fn run_cached(
    ctx: &Context,
    facts: &ReminderFacts,
    need_facts: &NeedFacts,
    daily_km: &[Option<f64>],
) -> Lists {
    run_memoised(ctx, facts, need_facts, daily_km, &mut ListMemo::default())
}

/// The rules the sms and phone lists read: the reminder rules, `lost_days` (lost customers
/// are left off) and the mileage rules (the daily km).
type DueKey = (ReminderRules, i64, crate::engine::rules::MileageRules);

/// Lists kept for reuse while the rules each one reads stay the same (for one
/// [`ReminderFacts`]: the memo lives next to them).
#[derive(Debug, Default)]
pub struct ListMemo {
    due: Option<(DueKey, (CallList, CallList))>,
    callback: Option<((ReminderRules, NeedRules), CallList)>,
    first_service: Option<((ReminderRules, NeedRules), CallList)>,
    win_back: Option<(LifecycleRules, CallList)>,
}

/// [`run_cached`], re-using from `memo` each list whose rules did not change (a list's
/// entries are shared, not copied).
pub fn run_memoised(
    ctx: &Context,
    facts: &ReminderFacts,
    need_facts: &NeedFacts,
    daily_km: &[Option<f64>],
    memo: &mut ListMemo,
) -> Lists {
    let rules = &ctx.rules;
    let typed = ctx.mapping.has(Role::ServiceType);
    let purchase_on = ctx.mapping.has(Role::PurchaseDate);
    let mut lists = Lists::default();
    lists.basis.insert(
        "due".into(),
        if ctx.mapping.has(Role::Mileage) {
            "date+mileage"
        } else {
            "date"
        }
        .into(),
    );
    lists.basis.insert(
        "callback".into(),
        if typed { "service_type" } else { "any_visit" }.into(),
    );
    if purchase_on {
        lists.basis.insert(
            "first_service".into(),
            if typed {
                "service_type"
            } else {
                "visit_after_purchase"
            }
            .into(),
        );
    } else {
        lists.unavailable.insert(
            "first_service".into(),
            vec![Role::PurchaseDate.name().to_string()],
        );
    }
    // The service-type classes under the need rules, computed once for the lists that need
    // them.
    let classes = std::cell::OnceCell::new();
    let classes = || classes.get_or_init(|| need_facts.classes(&rules.need));
    let due_key = (
        rules.reminders.clone(),
        rules.lifecycle.lost_days,
        rules.mileage.clone(),
    );
    let (sms, phone) = super::memoised(&mut memo.due, due_key, || due_lists(ctx, facts, daily_km));
    lists.sms = sms.clone();
    lists.phone = phone.clone();
    let need_key = (rules.reminders.clone(), rules.need.clone());
    lists.callback = super::memoised(&mut memo.callback, need_key.clone(), || {
        callback_list(ctx, facts, need_facts, classes())
    })
    .clone();
    lists.first_service = super::memoised(&mut memo.first_service, need_key, || {
        first_service_list(ctx, facts, classes())
    })
    .clone();
    lists.win_back = super::memoised(&mut memo.win_back, rules.lifecycle.clone(), || {
        win_back_list(ctx, facts)
    })
    .clone();
    lists
}

/// A list entry for customer `who` with the fields every list fills.
fn entry<'a>(who: usize, contact: &Contact, due: NaiveDate, reason: &'static str) -> Entry<'a> {
    Entry {
        who,
        due,
        reason,
        basis: None,
        event: None,
        last_visit: contact.last_visit,
        since: contact.since,
        last_mileage: None,
        daily_km: None,
        plate: None,
    }
}

/// The customers with a visit, with their index.
fn visited(facts: &ReminderFacts) -> impl Iterator<Item = (usize, &Contact)> {
    facts
        .customers
        .iter()
        .enumerate()
        .filter(|(_, c)| c.visited)
}

/// The sms and phone lists (see the module doc).
fn due_lists(
    ctx: &Context,
    facts: &ReminderFacts,
    daily_km: &[Option<f64>],
) -> (CallList, CallList) {
    let rules = &ctx.rules.reminders;
    let lost_days = ctx.rules.lifecycle.lost_days;
    let as_of = ctx.as_of;
    let (mut sms, mut phone) = (Vec::new(), Vec::new());
    for (ci, contact) in visited(facts) {
        if contact.since >= lost_days {
            continue;
        }
        let km = daily_km.get(ci).copied().flatten();
        let reading = contact.reading;
        let Some((due, basis)) = next_due(contact.last_visit, reading, km, rules) else {
            continue;
        };
        let d = (due - as_of).num_days();
        let list = if d < 0 {
            Some((&mut phone, "overdue"))
        } else if d <= rules.phone_days_before {
            Some((&mut phone, "due"))
        } else if d <= rules.sms_days_before {
            Some((&mut sms, "due"))
        } else {
            None
        };
        if let Some((list, reason)) = list {
            let mut it = entry(ci, contact, due, reason);
            it.basis = Some(basis);
            it.last_mileage = reading.map(|(_, m)| m);
            it.daily_km = km;
            list.push(it);
        }
    }
    let people = &facts.people;
    (finish(sms, as_of, people), finish(phone, as_of, people))
}

/// The callback list: the latest visit in the window that qualifies (visits are in date
/// order: walk back from the latest and stop before the window).
fn callback_list(
    ctx: &Context,
    facts: &ReminderFacts,
    need_facts: &NeedFacts,
    classes: &[u8],
) -> CallList {
    let rules = &ctx.rules.reminders;
    let as_of = ctx.as_of;
    let typed = ctx.mapping.has(Role::ServiceType);
    let idx = |code: &str| NEED_CODES.iter().position(|c| *c == code).unwrap_or(0);
    let repair_needs = [idx("accident"), idx("body_paint"), idx("repair")];
    // callback window as dates: `callback_min_days ≤ as_of − date ≤ callback_max_days`
    let Some((lo, hi)) = (match (
        Duration::try_days(rules.callback_max_days).and_then(|d| as_of.checked_sub_signed(d)),
        Duration::try_days(rules.callback_min_days).and_then(|d| as_of.checked_sub_signed(d)),
    ) {
        (Some(lo), Some(hi)) if rules.callback_min_days <= rules.callback_max_days => {
            Some((lo, hi))
        }
        _ => None,
    }) else {
        return finish(Vec::new(), as_of, &facts.people);
    };
    let mut list = Vec::new();
    for (ci, contact) in visited(facts) {
        // nothing in the window when the last visit is before it
        if contact.last_visit < lo {
            continue;
        }
        let callback: Option<(NaiveDate, &'static str)> = if typed {
            need_facts
                .visits(ci, classes)
                .rev()
                .skip_while(|v| v.date > hi)
                .take_while(|v| v.date >= lo)
                .find_map(|v| {
                    repair_needs
                        .iter()
                        .find(|&&i| v.needs & (1 << i) != 0)
                        .map(|&i| (v.date, NEED_CODES[i]))
                })
        } else {
            ctx.customers
                .get(ci)
                .into_iter()
                .flat_map(|c| c.visits.iter().rev())
                .skip_while(|v| v.date > hi)
                .find(|v| v.date >= lo)
                .map(|v| (v.date, "visit"))
        };
        if let Some((date, reason)) = callback {
            let due = date + Duration::days(rules.callback_min_days);
            let mut it = entry(ci, contact, due, reason);
            it.event = Some(date);
            list.push(it);
        }
    }
    finish(list, as_of, &facts.people)
}

/// The first-service list: per customer, the vehicle bought recently without a first
/// service, earliest due.
fn first_service_list(ctx: &Context, facts: &ReminderFacts, classes: &[u8]) -> CallList {
    let rules = &ctx.rules.reminders;
    let as_of = ctx.as_of;
    let typed = ctx.mapping.has(Role::ServiceType);
    let first_need = NEED_CODES
        .iter()
        .position(|c| *c == "first_service")
        .unwrap_or(0);
    let recent = |p: NaiveDate| {
        let age = (as_of - p).num_days();
        age >= 0 && age < rules.first_service_within_days
    };
    let mut list = Vec::new();
    for (ci, contact) in visited(facts) {
        // no vehicle is recent when the newest purchase is not
        if !contact.newest_purchase.is_some_and(recent) {
            continue;
        }
        let mut best: Option<(NaiveDate, &Bought)> = None;
        for b in contact.bought.iter().filter(|b| recent(b.purchase)) {
            let done = if typed {
                b.texts.iter().any(|&t| {
                    classes
                        .get(t as usize)
                        .is_some_and(|&i| i as usize == first_need)
                })
            } else {
                b.visited_after
            };
            if done {
                continue;
            }
            let Some(due) = b
                .purchase
                .checked_add_months(Months::new(rules.first_service_months))
            else {
                continue;
            };
            if best.is_none_or(|(d, _)| due < d) {
                best = Some((due, b));
            }
        }
        if let Some((due, b)) = best {
            let mut it = entry(ci, contact, due, "first_service");
            it.event = Some(b.purchase);
            it.plate = b.plate.as_ref();
            list.push(it);
        }
    }
    finish(list, as_of, &facts.people)
}

/// The win-back list. Its order (due = last visit + `win_back_days`, then customer) is the
/// facts' order by last visit, and its customers (no visit for ≥ `win_back_days`) are a
/// prefix of that order: the list is built in order, without sorting.
fn win_back_list(ctx: &Context, facts: &ReminderFacts) -> CallList {
    let life = &ctx.rules.lifecycle;
    let as_of = ctx.as_of;
    let calls = facts
        .by_last_visit
        .iter()
        .filter_map(|&ci| Some((ci as usize, facts.customers.get(ci as usize)?)))
        .take_while(|(_, c)| c.since >= life.win_back_days)
        .map(|(ci, contact)| {
            let since = contact.since;
            let reason = if since >= life.lost_days {
                "lost"
            } else if since >= life.at_risk_days {
                "at_risk"
            } else {
                "not_back"
            };
            let due = contact.last_visit + Duration::days(life.win_back_days);
            call(&entry(ci, contact, due, reason), as_of)
        })
        .collect::<Vec<_>>();
    CallList {
        people: facts.people.clone(),
        calls: calls.into(),
    }
}

#[cfg(test)]
mod list_tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, d).unwrap_or_default()
    }

    /// Two people; a list naming the second, then the first with a vehicle's own plate.
    fn list() -> CallList {
        let people: Arc<[Person]> = vec![
            Person {
                id: Arc::from("C1"),
                name: Some(Arc::from("张三")),
                phone: Some(Arc::from("13800138000")),
                plate: Some(Arc::from("粤A11111")),
            },
            Person {
                id: Arc::from("C2"),
                ..Person::default()
            },
        ]
        .into();
        let vehicle: Arc<str> = Arc::from("粤B22222");
        let entry = |who, plate, due| Entry {
            who,
            due,
            reason: "first_service",
            basis: None,
            event: Some(day(1)),
            last_visit: day(2),
            since: 28,
            last_mileage: None,
            daily_km: Some(31.5),
            plate,
        };
        finish(
            vec![entry(0, Some(&vehicle), day(20)), entry(1, None, day(10))],
            day(30),
            &people,
        )
    }

    #[test]
    fn rows_read_their_person_and_sort_by_due() {
        let l = list();
        assert_eq!(l.len(), 2);
        let first = l.get(0).expect("entry 0");
        assert_eq!((first.id, first.name, first.plate), ("C2", None, None));
        assert_eq!(first.days_to_due, -20);
        let second = l.get(1).expect("entry 1");
        assert_eq!(second.id, "C1");
        assert_eq!(second.phone, Some("13800138000"));
        // the vehicle's plate wins over the person's
        assert_eq!(second.plate, Some("粤B22222"));
        assert!(l.get(2).is_none());
    }

    #[test]
    fn json_is_the_array_of_items_and_reads_back() {
        let l = list();
        let json = serde_json::to_value(&l).expect("serialises");
        assert_eq!(json[1]["id"], "C1");
        assert_eq!(json[1]["plate"], "粤B22222");
        assert_eq!(json[1]["due"], "2025-06-20");
        assert_eq!(json[1]["days_to_due"], -10);
        assert_eq!(json[1]["reason"], "first_service");
        assert_eq!(json[1]["basis"], serde_json::Value::Null);
        assert_eq!(json[1]["daily_km"], 31.5);
        let back: CallList = serde_json::from_value(json.clone()).expect("reads back");
        assert_eq!(back, l);
        assert_eq!(serde_json::to_value(&back).expect("again"), json);
        let owned = l.get(1).expect("entry").to_item();
        assert_eq!(serde_json::to_value(&owned).expect("owned"), json[1]);
    }
}
