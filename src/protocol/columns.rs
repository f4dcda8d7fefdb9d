//! The Report's customer lines and call lists as columns, for the worker → page message only (the CLI's JSON
//! keeps the array of line objects). One array per field instead of one object per customer:
//! no field names repeated per customer, amounts as integer fen, dates as day numbers,
//! fractions as their exact bits, and
//! each label column stored as its distinct labels plus one small index per customer — what
//! the page spends most of a report's reading time on otherwise.

use crate::engine::analysis::clv::ClvCustomer;
use crate::engine::analysis::pareto::AbcClass;
use crate::engine::analysis::reminders::{Call, CallList, Lists, Person};
use crate::engine::analysis::rfm::{RfmScore, NAMED, RFM8};
use crate::engine::analysis::segments::{CustomerSegments, FastHash, Label, MemberNext};
use crate::engine::report::{Customers, RowHead};
use crate::engine::values::Cents;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// A column of optional texts: the distinct values once, then per customer the index of its
/// value (`-1`: none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextColumn {
    values: Vec<Arc<str>>,
    at: Vec<i32>,
}

/// Builds a [`TextColumn`] value by value.
#[derive(Default)]
struct TextBuilder<'a> {
    col: TextColumn,
    index: HashMap<&'a str, i32, FastHash>,
}

impl<'a> TextBuilder<'a> {
    fn push(&mut self, t: Option<&'a str>) {
        let i = match t {
            None => -1,
            Some(t) => *self.index.entry(t).or_insert_with(|| {
                self.col.values.push(Arc::from(t));
                self.col.values.len() as i32 - 1
            }),
        };
        self.col.at.push(i);
    }
}

impl TextColumn {
    fn build<'a>(texts: impl Iterator<Item = Option<&'a str>>) -> Self {
        let mut b = TextBuilder::default();
        for t in texts {
            b.push(t);
        }
        b.col
    }

    fn get(&self, k: usize) -> Option<&Arc<str>> {
        let i = usize::try_from(*self.at.get(k)?).ok()?;
        self.values.get(i)
    }

    fn label(&self, k: usize) -> Option<Label> {
        self.get(k).map(|v| Label::Value(v.clone()))
    }
}

/// A code of a fixed list as the `'static` text when it is one, else owned.
fn code(list: &[&'static str], text: Option<&Arc<str>>) -> Cow<'static, str> {
    let text = text.map_or("", |t| t);
    match list.iter().find(|c| **c == text) {
        Some(c) => Cow::Borrowed(c),
        None => Cow::Owned(text.to_string()),
    }
}

/// The labels of every scheme, one column each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentColumns {
    lifecycle: TextColumn,
    value: TextColumn,
    loyalty: TextColumn,
    member: TextColumn,
    member_next_tier: TextColumn,
    member_next_visits: Vec<u32>,
    traditional: TextColumn,
    need: TextColumn,
    habit: TextColumn,
    vehicle_age: TextColumn,
    vehicle_use: TextColumn,
    region: TextColumn,
    age_cohort: TextColumn,
    occupation: TextColumn,
}

/// The CLV figures, one column each; `present[k]` says whether customer `k` has them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClvColumns {
    present: Vec<bool>,
    frequency: Vec<u32>,
    recency_days: Vec<i64>,
    age_days: Vec<i64>,
    monetary: Vec<Cents>,
    /// `f64::to_bits`: JSON's decimal text does not always read back to the same `f64`.
    p_alive: Vec<u64>,
    expected_visits: Vec<u64>,
    expected_avg_value: Vec<Cents>,
    expected_value: Vec<Cents>,
}

/// [`Customers`] as columns (see the module doc). Columns of unequal lengths (never sent by
/// the worker) give only the lines every column has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerColumns {
    id: Vec<String>,
    name: Vec<Option<String>>,
    visits: Vec<usize>,
    /// Days from 0001-01-01 (day 1).
    first_visit: Vec<i32>,
    last_visit: Vec<i32>,
    revenue: Vec<Cents>,
    avg_ticket: Vec<Cents>,
    recency_days: Vec<i64>,
    abc: Vec<AbcClass>,
    r: Vec<u8>,
    f: Vec<u8>,
    m: Vec<u8>,
    rfm8: TextColumn,
    named: TextColumn,
    segments: SegmentColumns,
    clv: ClvColumns,
}

fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn date(n: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n)
}

impl From<&Customers> for CustomerColumns {
    fn from(c: &Customers) -> Self {
        let rows: Vec<_> = c.iter().collect();
        // one pass over the lines for all label columns: each line's labels are read once
        let mut b: [TextBuilder; 14] = Default::default();
        let mut member_next_visits = Vec::with_capacity(rows.len());
        for r in &rows {
            let s = r.segments;
            let labels = [
                &s.lifecycle,
                &s.value,
                &s.loyalty,
                &s.member,
                &s.traditional,
                &s.need,
                &s.habit,
                &s.vehicle_age,
                &s.vehicle_use,
                &s.region,
                &s.age_cohort,
                &s.occupation,
            ];
            for (b, l) in b.iter_mut().zip(labels) {
                b.push(l.as_deref());
            }
            let next = s.member_next.as_ref();
            b[12].push(next.map(|n| &*n.tier));
            member_next_visits.push(next.map_or(0, |n| n.visits_needed));
            b[13].push(Some(&*r.rfm.rfm8));
        }
        let [lifecycle, value, loyalty, member, traditional, need, habit, vehicle_age, vehicle_use, region, age_cohort, occupation, member_next_tier, rfm8] =
            b.map(|b| b.col);
        let segments = SegmentColumns {
            lifecycle,
            value,
            loyalty,
            member,
            member_next_tier,
            member_next_visits,
            traditional,
            need,
            habit,
            vehicle_age,
            vehicle_use,
            region,
            age_cohort,
            occupation,
        };
        let mut clv = ClvColumns::default();
        for r in &rows {
            let v = r.clv;
            clv.present.push(v.is_some());
            let v = v.cloned().unwrap_or(ClvCustomer {
                frequency: 0,
                recency_days: 0,
                age_days: 0,
                monetary: 0,
                p_alive: 0.0,
                expected_visits: 0.0,
                expected_avg_value: 0,
                expected_value: 0,
            });
            clv.frequency.push(v.frequency);
            clv.recency_days.push(v.recency_days);
            clv.age_days.push(v.age_days);
            clv.monetary.push(v.monetary);
            clv.p_alive.push(v.p_alive.to_bits());
            clv.expected_visits.push(v.expected_visits.to_bits());
            clv.expected_avg_value.push(v.expected_avg_value);
            clv.expected_value.push(v.expected_value);
        }
        CustomerColumns {
            id: rows.iter().map(|r| r.id.to_string()).collect(),
            name: rows.iter().map(|r| r.name.map(str::to_string)).collect(),
            visits: rows.iter().map(|r| r.visits).collect(),
            first_visit: rows.iter().map(|r| day(r.first_visit)).collect(),
            last_visit: rows.iter().map(|r| day(r.last_visit)).collect(),
            revenue: rows.iter().map(|r| r.revenue).collect(),
            avg_ticket: rows.iter().map(|r| r.avg_ticket).collect(),
            recency_days: rows.iter().map(|r| r.recency_days).collect(),
            abc: rows.iter().map(|r| r.abc).collect(),
            r: rows.iter().map(|r| r.rfm.r).collect(),
            f: rows.iter().map(|r| r.rfm.f).collect(),
            m: rows.iter().map(|r| r.rfm.m).collect(),
            rfm8,
            named: TextColumn::build(rows.iter().map(|r| Some(&*r.rfm.named))),
            segments,
            clv,
        }
    }
}

impl CustomerColumns {
    /// Line `k`'s parts, if every column has it.
    #[allow(clippy::type_complexity)]
    fn line(
        &self,
        k: usize,
    ) -> Option<(
        RowHead,
        AbcClass,
        RfmScore,
        CustomerSegments,
        Option<ClvCustomer>,
    )> {
        let head = RowHead {
            index: k,
            id: self.id.get(k)?.clone(),
            name: self.name.get(k)?.clone(),
            visits: *self.visits.get(k)?,
            first_visit: date(*self.first_visit.get(k)?)?,
            last_visit: date(*self.last_visit.get(k)?)?,
            revenue: *self.revenue.get(k)?,
            avg_ticket: *self.avg_ticket.get(k)?,
            recency_days: *self.recency_days.get(k)?,
        };
        let rfm = RfmScore {
            r: *self.r.get(k)?,
            f: *self.f.get(k)?,
            m: *self.m.get(k)?,
            rfm8: code(&RFM8, self.rfm8.get(k)),
            named: code(&NAMED, self.named.get(k)),
        };
        let s = &self.segments;
        let segments = CustomerSegments {
            lifecycle: s.lifecycle.label(k),
            value: s.value.label(k),
            loyalty: s.loyalty.label(k),
            member: s.member.label(k),
            member_next: s.member_next_tier.label(k).map(|tier| MemberNext {
                tier,
                visits_needed: s.member_next_visits.get(k).copied().unwrap_or(0),
            }),
            traditional: s.traditional.label(k),
            need: s.need.label(k),
            habit: s.habit.label(k),
            vehicle_age: s.vehicle_age.label(k),
            vehicle_use: s.vehicle_use.label(k),
            region: s.region.label(k),
            age_cohort: s.age_cohort.label(k),
            occupation: s.occupation.label(k),
        };
        let c = &self.clv;
        let clv = if *c.present.get(k)? {
            Some(ClvCustomer {
                frequency: *c.frequency.get(k)?,
                recency_days: *c.recency_days.get(k)?,
                age_days: *c.age_days.get(k)?,
                monetary: *c.monetary.get(k)?,
                p_alive: f64::from_bits(*c.p_alive.get(k)?),
                expected_visits: f64::from_bits(*c.expected_visits.get(k)?),
                expected_avg_value: *c.expected_avg_value.get(k)?,
                expected_value: *c.expected_value.get(k)?,
            })
        } else {
            None
        };
        Some((head, *self.abc.get(k)?, rfm, segments, clv))
    }

    /// The lines back (up to the first one some column lacks).
    pub fn into_customers(self) -> Customers {
        let n = self.id.len();
        let (mut heads, mut abc, mut rfm, mut segments, mut clv) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for k in 0..n {
            let Some((h, a, r, s, c)) = self.line(k) else {
                break;
            };
            heads.push(h);
            abc.push(a);
            rfm.push(r);
            segments.push(s);
            clv.push(c);
        }
        Customers::new(heads.into(), abc.into(), rfm.into(), segments, clv.into())
    }
}

/// The people the call lists name (each once, whichever lists name them), as columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeopleColumns {
    id: Vec<String>,
    name: Vec<Option<String>>,
    phone: Vec<Option<String>>,
    plate: Vec<Option<String>>,
}

/// One call list's entries as columns; `who` indexes [`PeopleColumns`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallColumns {
    who: Vec<u32>,
    /// The vehicle's plate where it differs from the person's.
    plate: TextColumn,
    due: Vec<i32>,
    days_to_due: Vec<i64>,
    reason: TextColumn,
    basis: TextColumn,
    event: Vec<Option<i32>>,
    last_visit: Vec<i32>,
    days_since_last_visit: Vec<i64>,
    /// `f64::to_bits`.
    last_mileage: Vec<Option<u64>>,
    daily_km: Vec<Option<u64>>,
}

/// Reasons and bases of list entries, as `'static` codes.
const CALL_CODES: [&str; 12] = [
    "due",
    "overdue",
    "repair",
    "accident",
    "body_paint",
    "visit",
    "first_service",
    "not_back",
    "at_risk",
    "lost",
    "by_date",
    "by_mileage",
];

/// The five call lists of a Report as columns, with the people they name once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListColumns {
    people: PeopleColumns,
    sms: CallColumns,
    phone: CallColumns,
    callback: CallColumns,
    first_service: CallColumns,
    win_back: CallColumns,
}

fn list_mut(lists: &mut Lists, k: usize) -> Option<&mut CallList> {
    match k {
        0 => Some(&mut lists.sms),
        1 => Some(&mut lists.phone),
        2 => Some(&mut lists.callback),
        3 => Some(&mut lists.first_service),
        4 => Some(&mut lists.win_back),
        _ => None,
    }
}

impl ListColumns {
    /// Takes the five lists out of `lists` (leaving them empty) as columns; their basis and
    /// unavailable lists stay.
    pub fn take(lists: &mut Lists) -> Self {
        let mut out = ListColumns::default();
        // (people table, index in it) → index in `out.people`
        let mut seen: HashMap<(usize, usize), u32, FastHash> = HashMap::default();
        for k in 0..5 {
            let Some(list) = list_mut(lists, k).map(std::mem::take) else {
                continue;
            };
            let people = list.people();
            let table = Arc::as_ptr(people) as *const () as usize;
            let calls = list.calls();
            let mut col = CallColumns::default();
            for c in calls {
                let Some(p) = people.get(c.who) else {
                    continue;
                };
                let who = *seen.entry((table, c.who)).or_insert_with(|| {
                    let o = &mut out.people;
                    o.id.push(p.id.to_string());
                    o.name.push(p.name.as_deref().map(str::to_string));
                    o.phone.push(p.phone.as_deref().map(str::to_string));
                    o.plate.push(p.plate.as_deref().map(str::to_string));
                    o.id.len() as u32 - 1
                });
                col.who.push(who);
                col.due.push(day(c.due));
                col.days_to_due.push(c.days_to_due);
                col.event.push(c.event.map(day));
                col.last_visit.push(day(c.last_visit));
                col.days_since_last_visit.push(c.days_since_last_visit);
                col.last_mileage.push(c.last_mileage.map(f64::to_bits));
                col.daily_km.push(c.daily_km.map(f64::to_bits));
            }
            let kept = || calls.iter().filter(|c| c.who < people.len());
            col.plate = TextColumn::build(kept().map(|c| c.plate.as_deref()));
            col.reason = TextColumn::build(kept().map(|c| Some(&*c.reason)));
            col.basis = TextColumn::build(kept().map(|c| c.basis.as_deref()));
            match k {
                0 => out.sms = col,
                1 => out.phone = col,
                2 => out.callback = col,
                3 => out.first_service = col,
                _ => out.win_back = col,
            }
        }
        out
    }

    /// Puts the lists back into `lists` (entries some column lacks are left out).
    pub fn restore(self, lists: &mut Lists) {
        let p = self.people;
        let n =
            p.id.len()
                .min(p.name.len())
                .min(p.phone.len())
                .min(p.plate.len());
        let arc = |s: Option<String>| s.map(Arc::from);
        let people: Arc<[Person]> =
            p.id.into_iter()
                .zip(p.name)
                .zip(p.phone)
                .zip(p.plate)
                .take(n)
                .map(|(((id, name), phone), plate)| Person {
                    id: Arc::from(id),
                    name: arc(name),
                    phone: arc(phone),
                    plate: arc(plate),
                })
                .collect();
        let columns = [
            self.sms,
            self.phone,
            self.callback,
            self.first_service,
            self.win_back,
        ];
        for (k, col) in columns.into_iter().enumerate() {
            let calls = (0..col.who.len()).map_while(|i| col.call(i)).collect();
            if let Some(list) = list_mut(lists, k) {
                *list = CallList::from_parts(people.clone(), calls);
            }
        }
    }
}

impl CallColumns {
    fn call(&self, i: usize) -> Option<Call> {
        Some(Call {
            who: *self.who.get(i)? as usize,
            plate: self.plate.get(i).cloned(),
            due: date(*self.due.get(i)?)?,
            days_to_due: *self.days_to_due.get(i)?,
            reason: code(&CALL_CODES, Some(self.reason.get(i)?)),
            basis: self.basis.get(i).map(|b| code(&CALL_CODES, Some(b))),
            event: match *self.event.get(i)? {
                Some(d) => Some(date(d)?),
                None => None,
            },
            last_visit: date(*self.last_visit.get(i)?)?,
            days_since_last_visit: *self.days_since_last_visit.get(i)?,
            last_mileage: self.last_mileage.get(i)?.map(f64::from_bits),
            daily_km: self.daily_km.get(i)?.map(f64::from_bits),
        })
    }
}
