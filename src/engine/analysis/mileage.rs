//! Mileage study (product.md, Analyses 10; the seeds' 进厂习性 study): daily km per vehicle,
//! the seeds' sample filter with the count left after each step, and a histogram.
//!
//! # Rules
//! - **Vehicle**: a record belongs to the vehicle of its VIN when it has one, else of its
//!   plate, else of its customer (records of one car with and without a VIN count as two
//!   vehicles). A VIN or plate seen under several customers is one vehicle.
//! - **Readings**: records with a mileage `> 0` (0 is a common "unknown"); several readings on
//!   one date keep the largest. **Daily km** = (last reading − first reading) / days between
//!   their dates; it needs two readings on different dates.
//! - **Filter** (each step keeps the survivors of the previous one): `vehicles` (every
//!   vehicle) → `two_readings` → `km_per_day_in_range` (`min_km_per_day ≤ km ≤
//!   max_km_per_day`, 5–500) → `registered` (registration date strictly before `as_of −
//!   min_months_registered` months, 7; the registration date is the vehicle's earliest
//!   purchase date, or its first visit when it has none — `registration_basis` counts which,
//!   over the vehicles tested at that step) → `min_returns` (at least `min_returns` visits,
//!   4; a visit is a distinct work order, else a distinct day, as for customers).
//! - **Histogram** of the kept vehicles' daily km: bins `[k·bin_km, (k+1)·bin_km)` from the
//!   lowest to the highest value, empty bins included; the width is widened so that there
//!   are at most [`MAX_BINS`] bins (and is 10 km when `bin_km` is not positive).
//! - **Per-customer daily km** (used to infer vehicle use and by the reminders): among the
//!   customer's vehicles with a daily km in `0 ..= max_km_per_day` (not the 5 km floor: a
//!   car that barely moves is real), the one with the latest reading (ties: the longest
//!   span, i.e. the earliest first reading, then the key: VIN before plate before customer,
//!   then string order). No filter on registration or returns.
//! - Unavailable (`missing_roles = ["mileage"]`) when mileage is not mapped.

use crate::engine::analysis::segments::FastHash;
use crate::engine::analysis::Context;
use crate::engine::intern::Sym;
use crate::engine::mapping::Role;
use crate::engine::records::ServiceRecord;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The most histogram bins produced.
pub const MAX_BINS: usize = 1000;

/// One filter step and the vehicles left after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterStep {
    /// `vehicles`, `two_readings`, `km_per_day_in_range`, `registered`, `min_returns`.
    pub step: String,
    /// Vehicles left.
    pub count: usize,
}

/// One histogram bin `[from, to)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    /// Lower bound, km/day (inclusive).
    pub from: f64,
    /// Upper bound, km/day (exclusive).
    pub to: f64,
    /// Kept vehicles in the bin.
    pub count: usize,
}

/// The study's result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MileageStudy {
    /// False when mileage is not mapped.
    pub available: bool,
    /// `["mileage"]` when unavailable.
    pub missing_roles: Vec<String>,
    /// Vehicles by what identified them: `vin`, `plate`, `customer`.
    pub vehicle_keys: BTreeMap<String, usize>,
    /// The filter steps in order, each with the vehicles left.
    pub steps: Vec<FilterStep>,
    /// Of the vehicles tested at the `registered` step: how many were dated by
    /// `purchase_date` and how many by `first_visit`.
    pub registration_basis: BTreeMap<String, usize>,
    /// Vehicles left after every step.
    pub kept: usize,
    /// `kept / vehicles` (0 when there are no vehicles).
    pub kept_share: f64,
    /// Bin width actually used (km/day).
    pub bin_km: f64,
    /// Histogram of the kept vehicles' daily km.
    pub histogram: Vec<HistogramBin>,
    /// Mean daily km of the kept vehicles.
    pub mean_km_per_day: Option<f64>,
    /// Median daily km of the kept vehicles (mean of the two middle values for an even
    /// count).
    pub median_km_per_day: Option<f64>,
    /// Per customer (aligned with `ctx.customers`): the daily km used for vehicle-use
    /// inference and reminders. Not serialised (per-customer rows carry it).
    #[serde(skip)]
    pub customer_daily_km: Vec<Option<f64>>,
}

/// What identifies a vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum VehicleKey<'a> {
    Vin(&'a str),
    Plate(&'a str),
    Customer(&'a str),
}

/// A visit of a vehicle: its work order (equal texts have equal symbols), else its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum VisitKey {
    Order(Sym),
    Day(NaiveDate),
}

/// One vehicle's aggregates.
#[derive(Debug)]
struct Vehicle<'a> {
    key: VehicleKey<'a>,
    /// The earliest reading date and the largest reading that day.
    first: Option<(NaiveDate, f64)>,
    /// The latest reading date and the largest reading that day.
    last: Option<(NaiveDate, f64)>,
    /// Distinct visits (work orders, else days).
    visits: usize,
    purchase: Option<NaiveDate>,
    first_visit: NaiveDate,
    /// The first customer seen with it, and whether others have it too.
    owner: usize,
    shared: bool,
}

impl<'a> Vehicle<'a> {
    fn new(key: VehicleKey<'a>, date: NaiveDate, owner: usize) -> Self {
        Vehicle {
            key,
            first: None,
            last: None,
            visits: 0,
            purchase: None,
            first_visit: date,
            owner,
            shared: false,
        }
    }

    fn add_reading(&mut self, d: NaiveDate, m: f64) {
        match &mut self.first {
            Some((fd, fm)) if d == *fd => *fm = fm.max(m),
            Some((fd, _)) if d > *fd => {}
            f => *f = Some((d, m)),
        }
        match &mut self.last {
            Some((ld, lm)) if d == *ld => *lm = lm.max(m),
            Some((ld, _)) if d < *ld => {}
            l => *l = Some((d, m)),
        }
    }

    /// Daily km between the first and the last reading; `None` without readings on two
    /// different dates.
    fn daily_km(&self) -> Option<f64> {
        let ((d0, m0), (d1, m1)) = (self.first?, self.last?);
        let days = (d1 - d0).num_days();
        if days <= 0 {
            return None;
        }
        let km = (m1 - m0) / days as f64;
        km.is_finite().then_some(km)
    }
}

fn vehicle_key<'a>(ctx: &Context<'a>, r: &ServiceRecord) -> VehicleKey<'a> {
    if let Some(v) = nonempty(ctx.text(r.vin)) {
        VehicleKey::Vin(v)
    } else if let Some(p) = nonempty(ctx.text(r.plate)) {
        VehicleKey::Plate(p)
    } else {
        VehicleKey::Customer(ctx.str(r.customer))
    }
}

/// The trimmed text, unless empty.
fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The vehicles (in order of first appearance, customer by customer), and per customer the
/// indexes of its vehicles (`flat[offsets[i]..offsets[i + 1]]`). The hash map only assigns
/// indexes and is never iterated, so nothing depends on its order.
struct Fleet<'a> {
    vehicles: Vec<Vehicle<'a>>,
    flat: Vec<usize>,
    offsets: Vec<usize>,
}

fn vehicles<'a>(ctx: &Context<'a>) -> Fleet<'a> {
    let mut index: HashMap<VehicleKey<'a>, usize, FastHash> =
        HashMap::with_capacity_and_hasher(ctx.customers.len(), FastHash);
    let mut out: Vec<Vehicle<'a>> = Vec::new();
    let mut flat: Vec<usize> = Vec::new();
    let mut offsets: Vec<usize> = vec![0];
    // record → vehicle, for the visit count
    let mut of_record: Vec<usize> = vec![usize::MAX; ctx.records.len()];
    let mut local: Vec<(VehicleKey<'a>, usize)> = Vec::new();
    for (ci, c) in ctx.customers.iter().enumerate() {
        local.clear();
        for &ri in &c.records {
            let Some(r) = ctx.records.get(ri) else {
                continue;
            };
            let key = vehicle_key(ctx, r);
            let vi = match local.iter().find(|(k, _)| *k == key) {
                Some((_, vi)) => *vi,
                None => {
                    let vi = *index.entry(key).or_insert_with(|| {
                        out.push(Vehicle::new(key, r.date, ci));
                        out.len() - 1
                    });
                    local.push((key, vi));
                    vi
                }
            };
            if let Some(slot) = of_record.get_mut(ri) {
                *slot = vi;
            }
            let Some(v) = out.get_mut(vi) else { continue };
            if v.owner != ci {
                v.shared = true;
            }
            if let Some(m) = r.mileage.filter(|m| m.is_finite() && *m > 0.0) {
                v.add_reading(r.date, m);
            }
            if let Some(p) = r.purchase_date {
                v.purchase = Some(v.purchase.map_or(p, |q| q.min(p)));
            }
            v.first_visit = v.first_visit.min(r.date);
        }
        flat.extend(local.iter().map(|(_, vi)| *vi));
        offsets.push(flat.len());
    }
    // Visits: distinct (vehicle, order or day), counted customer by customer for the
    // vehicles of one customer, over all records for the shared ones.
    let visit = |ri: usize| -> Option<(usize, VisitKey)> {
        let r = ctx.records.get(ri)?;
        let vi = *of_record.get(ri)?;
        Some((
            vi,
            match r.order_id {
                Some(o) => VisitKey::Order(o),
                None => VisitKey::Day(r.date),
            },
        ))
    };
    let mut buf: Vec<(usize, VisitKey)> = Vec::new();
    let mut shared: Vec<(usize, VisitKey)> = Vec::new();
    for c in ctx.customers {
        buf.clear();
        for (vi, k) in c.records.iter().filter_map(|&ri| visit(ri)) {
            match out.get(vi) {
                Some(v) if v.shared => shared.push((vi, k)),
                Some(_) => buf.push((vi, k)),
                None => {}
            }
        }
        count_visits(&mut buf, &mut out);
    }
    count_visits(&mut shared, &mut out);
    Fleet {
        vehicles: out,
        flat,
        offsets,
    }
}

/// Adds the distinct (vehicle, visit) pairs of `buf` to the vehicles' visit counts.
fn count_visits(buf: &mut Vec<(usize, VisitKey)>, vehicles: &mut [Vehicle]) {
    buf.sort_unstable();
    buf.dedup();
    for (vi, _) in buf.iter() {
        if let Some(v) = vehicles.get_mut(*vi) {
            v.visits += 1;
        }
    }
}

/// One vehicle, as the study needs it (owned: kept across rule changes).
#[derive(Debug, Clone)]
struct VehicleFacts {
    /// `vin`, `plate` or `customer`.
    kind: &'static str,
    daily_km: Option<f64>,
    purchase: Option<NaiveDate>,
    first_visit: NaiveDate,
    visits: usize,
}

/// The vehicles and, per customer, its vehicles with a daily km, best first (see the module
/// doc): computed once per file and mapping, then filtered under any rules by
/// [`run_cached`] without reading the records again.
#[derive(Debug, Clone, Default)]
pub struct FleetFacts {
    available: bool,
    vehicles: Vec<VehicleFacts>,
    /// Per customer, `ranked[offsets[i]..offsets[i + 1]]`: daily km values, best first.
    offsets: Vec<usize>,
    ranked: Vec<f64>,
}

impl FleetFacts {
    /// Reads the records (nothing when mileage is not mapped).
    pub fn new(ctx: &Context) -> Self {
        if !ctx.mapping.has(Role::Mileage) {
            return FleetFacts {
                offsets: vec![0; ctx.customers.len() + 1],
                ..FleetFacts::default()
            };
        }
        let fleet = vehicles(ctx);
        let mut offsets = vec![0];
        let mut ranked = Vec::new();
        let mut mine: Vec<&Vehicle> = Vec::new();
        for ci in 0..ctx.customers.len() {
            mine.clear();
            if let (Some(&a), Some(&b)) = (fleet.offsets.get(ci), fleet.offsets.get(ci + 1)) {
                mine.extend(
                    fleet
                        .flat
                        .get(a..b)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|&vi| fleet.vehicles.get(vi))
                        .filter(|v| v.daily_km().is_some_and(|km| km >= 0.0)),
                );
            }
            // latest reading, then the longest span (earliest first reading), then key
            let rank = |x: &Vehicle| (x.last.map(|l| l.0), std::cmp::Reverse(x.first.map(|f| f.0)));
            mine.sort_by(|x, y| rank(y).cmp(&rank(x)).then_with(|| x.key.cmp(&y.key)));
            ranked.extend(mine.iter().filter_map(|v| v.daily_km()));
            offsets.push(ranked.len());
        }
        let vehicles = fleet
            .vehicles
            .iter()
            .map(|v| VehicleFacts {
                kind: match v.key {
                    VehicleKey::Vin(_) => "vin",
                    VehicleKey::Plate(_) => "plate",
                    VehicleKey::Customer(_) => "customer",
                },
                daily_km: v.daily_km(),
                purchase: v.purchase,
                first_visit: v.first_visit,
                visits: v.visits,
            })
            .collect();
        FleetFacts {
            available: true,
            vehicles,
            offsets,
            ranked,
        }
    }

    /// Per customer: the daily km of its best vehicle within `0 ..= max`.
    fn per_customer(&self, max: f64) -> Vec<Option<f64>> {
        self.offsets
            .windows(2)
            .map(|w| {
                self.ranked
                    .get(w[0]..w[1])?
                    .iter()
                    .copied()
                    .find(|km| *km <= max)
            })
            .collect()
    }
}

/// Per customer (aligned with `ctx.customers`): the daily km of the customer's vehicle (see
/// the module doc); all `None` when mileage is not mapped.
pub fn customer_daily_km(ctx: &Context) -> Vec<Option<f64>> {
    FleetFacts::new(ctx).per_customer(ctx.rules.mileage.max_km_per_day)
}

/// Runs the study.
pub fn run(ctx: &Context) -> MileageStudy {
    run_cached(ctx, &FleetFacts::new(ctx))
}

/// Runs the study on vehicles gathered beforehand ([`FleetFacts::new`]).
pub fn run_cached(ctx: &Context, fleet: &FleetFacts) -> MileageStudy {
    if !fleet.available {
        return MileageStudy {
            available: false,
            missing_roles: vec![Role::Mileage.name().to_string()],
            customer_daily_km: vec![None; ctx.customers.len()],
            ..MileageStudy::default()
        };
    }
    let rules = &ctx.rules.mileage;
    let customer_daily_km = fleet.per_customer(rules.max_km_per_day);
    let all = &fleet.vehicles;

    let mut vehicle_keys: BTreeMap<String, usize> = BTreeMap::new();
    for v in all {
        *vehicle_keys.entry(v.kind.into()).or_default() += 1;
    }

    let mut steps = vec![FilterStep {
        step: "vehicles".into(),
        count: all.len(),
    }];
    let mut step = |name: &str, n: usize| {
        steps.push(FilterStep {
            step: name.into(),
            count: n,
        })
    };
    let with_km: Vec<(&VehicleFacts, f64)> = all
        .iter()
        .filter_map(|v| v.daily_km.map(|km| (v, km)))
        .collect();
    step("two_readings", with_km.len());
    let in_range: Vec<(&VehicleFacts, f64)> = with_km
        .into_iter()
        .filter(|(_, km)| *km >= rules.min_km_per_day && *km <= rules.max_km_per_day)
        .collect();
    step("km_per_day_in_range", in_range.len());
    let cutoff = ctx
        .as_of
        .checked_sub_months(Months::new(rules.min_months_registered));
    let (mut by_purchase, mut by_first_visit) = (0, 0);
    let registered: Vec<(&VehicleFacts, f64)> = in_range
        .into_iter()
        .filter(|(v, _)| {
            let date = match v.purchase {
                Some(p) => {
                    by_purchase += 1;
                    p
                }
                None => {
                    by_first_visit += 1;
                    v.first_visit
                }
            };
            cutoff.is_some_and(|c| date < c)
        })
        .collect();
    let mut registration_basis: BTreeMap<String, usize> = BTreeMap::new();
    for (k, n) in [
        ("purchase_date", by_purchase),
        ("first_visit", by_first_visit),
    ] {
        if n > 0 {
            registration_basis.insert(k.into(), n);
        }
    }
    step("registered", registered.len());
    let mut kept: Vec<f64> = registered
        .into_iter()
        .filter(|(v, _)| v.visits >= rules.min_returns as usize)
        .map(|(_, km)| km)
        .collect();
    step("min_returns", kept.len());

    kept.sort_by(f64::total_cmp);
    let n = kept.len();
    let mean = (n > 0).then(|| kept.iter().sum::<f64>() / n as f64);
    let median = match n {
        0 => None,
        _ if n % 2 == 1 => Some(kept[n / 2]),
        _ => Some((kept[n / 2 - 1] + kept[n / 2]) / 2.0),
    };
    let (bin_km, histogram) = histogram(&kept, rules.bin_km);
    MileageStudy {
        available: true,
        missing_roles: Vec::new(),
        vehicle_keys,
        steps,
        registration_basis,
        kept: n,
        kept_share: if all.is_empty() {
            0.0
        } else {
            n as f64 / all.len() as f64
        },
        bin_km,
        histogram,
        mean_km_per_day: mean,
        median_km_per_day: median,
        customer_daily_km,
    }
}

/// Bins of sorted values; returns the width used.
fn histogram(sorted: &[f64], bin_km: f64) -> (f64, Vec<HistogramBin>) {
    let mut width = if bin_km.is_finite() && bin_km > 0.0 {
        bin_km
    } else {
        10.0
    };
    let (Some(&lo), Some(&hi)) = (sorted.first(), sorted.last()) else {
        return (width, Vec::new());
    };
    if (hi - lo) / width >= MAX_BINS as f64 {
        width = (hi - lo) / (MAX_BINS as f64 - 1.0);
    }
    let first = (lo / width).floor();
    let last = (hi / width).floor();
    let count = ((last - first) as usize + 1).min(MAX_BINS);
    let mut bins: Vec<HistogramBin> = (0..count)
        .map(|k| {
            let from = (first + k as f64) * width;
            HistogramBin {
                from,
                to: from + width,
                count: 0,
            }
        })
        .collect();
    for &x in sorted {
        let k = ((x / width).floor() - first).max(0.0) as usize;
        if let Some(b) = bins.get_mut(k.min(count - 1)) {
            b.count += 1;
        }
    }
    (width, bins)
}
