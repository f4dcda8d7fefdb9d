//! Segments, mileage study, call lists and trends on small hand-computed fixtures. Dates are
//! written as "n days before as_of" where the boundaries matter; the arithmetic is in the
//! comments.

use chrono::{Duration, NaiveDate};
use dealerlens::engine::analysis::{mileage, reminders, segments, trends, Context};
use dealerlens::engine::customers::{summarise, CustomerSummary};
use dealerlens::engine::records::{Extraction, ServiceRecord};

/// A record with its texts owned, as the tests write them.
type Rec = ServiceRecord<String>;
use dealerlens::engine::rules::NeedRules;
use dealerlens::engine::{Lang, Mapping, Role, Rules};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A record of `yuan` for `customer` on `date`, nothing else set.
fn rec(customer: &str, date: NaiveDate, yuan: f64) -> Rec {
    ServiceRecord::new(customer.to_string(), date, (yuan * 100.0).round() as i64)
}

/// customer_id, date, amount, plus `extra` roles, each on its own column.
fn mapping(extra: &[Role]) -> Mapping {
    let mut m = Mapping::default();
    let base = [Role::CustomerId, Role::Date, Role::Amount];
    for (i, r) in base.iter().chain(extra).enumerate() {
        m.set(*r, Some(i), &[]);
    }
    m
}

struct Fx {
    records: Vec<Rec>,
    /// `records` with their texts pooled, as the analyses read them.
    ex: Extraction,
    customers: Vec<CustomerSummary>,
    mapping: Mapping,
    rules: Rules,
    as_of: NaiveDate,
}

impl Fx {
    fn new(records: Vec<Rec>, extra: &[Role], as_of: NaiveDate) -> Fx {
        let mut records = records;
        for (i, r) in records.iter_mut().enumerate() {
            r.row = i + 2;
        }
        let ex = Extraction::from_records(&records).expect("texts fit");
        let customers = summarise(&ex.records, &ex.strings);
        Fx {
            records,
            ex,
            customers,
            mapping: mapping(extra),
            rules: Rules::default(),
            as_of,
        }
    }
    fn ctx(&self) -> Context<'_> {
        Context {
            records: &self.ex.records,
            strings: &self.ex.strings,
            customers: &self.customers,
            mapping: &self.mapping,
            rules: &self.rules,
            as_of: self.as_of,
        }
    }
    fn idx(&self, id: &str) -> usize {
        self.customers.iter().position(|c| c.id == id).unwrap()
    }
    fn segs(&self) -> (segments::SegmentsSummary, Vec<segments::CustomerSegments>) {
        segments::run(&self.ctx())
    }
    /// One scheme's label per customer id.
    fn label(
        &self,
        segs: &[segments::CustomerSegments],
        id: &str,
        pick: fn(&segments::CustomerSegments) -> &Option<segments::Label>,
    ) -> Option<String> {
        pick(&segs[self.idx(id)]).as_deref().map(str::to_string)
    }
}

const AS_OF: (i32, u32, u32) = (2024, 6, 30);

fn as_of() -> NaiveDate {
    d(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// `n` days before as_of.
fn ago(n: i64) -> NaiveDate {
    as_of() - Duration::days(n)
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn lifecycle_boundaries() {
    // Defaults: new < 90 days since first visit, at_risk ≥ 180, lost ≥ 365 days since last.
    let fx = Fx::new(
        vec![
            rec("lost365", ago(400), 100.0),
            rec("lost365", ago(365), 100.0), // 365 ≥ 365 → lost
            rec("risk364", ago(400), 100.0),
            rec("risk364", ago(364), 100.0), // 364 < 365, ≥ 180 → at_risk
            rec("risk180", ago(300), 100.0),
            rec("risk180", ago(180), 100.0), // exactly 180 → at_risk
            rec("act179", ago(179), 100.0),  // 179: not at risk; first 179 ≥ 90 → active
            rec("new89", ago(89), 100.0),    // first visit 89 < 90 → new
            rec("act90", ago(90), 100.0),    // first visit 90, not < 90 → active
            rec("future", as_of() + Duration::days(5), 100.0), // after as_of: 0 days → new
        ],
        &[],
        as_of(),
    );
    let (sum, segs) = fx.segs();
    let lc = |id| fx.label(&segs, id, |s| &s.lifecycle);
    assert_eq!(lc("lost365"), s("lost"));
    assert_eq!(lc("risk364"), s("at_risk"));
    assert_eq!(lc("risk180"), s("at_risk"));
    assert_eq!(lc("act179"), s("active"));
    assert_eq!(lc("new89"), s("new"));
    assert_eq!(lc("act90"), s("active"));
    assert_eq!(lc("future"), s("new"));
    assert!(sum.lifecycle.available);
    assert_eq!(sum.lifecycle.counts["at_risk"], 2);
    assert_eq!(sum.lifecycle.counts["active"], 2);
    assert_eq!(sum.lifecycle.counts["new"], 2);
    assert_eq!(sum.lifecycle.counts["lost"], 1);
    // revenue per class: at_risk = 2 customers × 200 yuan = 40000 fen
    assert_eq!(sum.lifecycle.revenue["at_risk"], 40_000);

    // traditional from lifecycle: lost → lost, at_risk → at_risk
    let tr = |id| fx.label(&segs, id, |s| &s.traditional);
    assert_eq!(tr("lost365"), s("lost"));
    assert_eq!(tr("risk180"), s("at_risk"));
    assert_eq!(tr("act179"), s("general"));
}

#[test]
fn value_grading_shared_thresholds() {
    // Defaults: high = ticket ≥ 1500 AND last-12-month visits ≥ 3 AND interval ≤ 150;
    // low = ticket < 500 OR visits < 2 OR interval > 365.
    let three = |id: &str, gap: i64, yuan: f64| {
        (0..3)
            .map(|k| rec(id, ago(k * gap), yuan))
            .collect::<Vec<_>>()
    };
    let mut r = Vec::new();
    r.extend(three("hi", 100, 1500.0)); // ticket 1500, 3 visits, interval 200/2 = 100 → high
    r.extend(three("hi150", 150, 1500.0)); // visits at 0,150,300 (< 365): interval 150 → high
    r.extend(three("mid151", 151, 1500.0)); // interval 151 > 150 → not high; ≤ 365 → mid
    r.extend(three("midtk", 100, 1499.99)); // ticket 1499.99 < 1500 → mid
    r.extend(three("lowtk", 100, 499.99)); // ticket < 500 → low
    r.extend(three("tk500", 100, 500.0)); // ticket exactly 500 → not low → mid
                                          // visits at 365 and 10 days ago: the 365-day one is outside the window → 1 visit → low
    r.push(rec("old", ago(365), 2000.0));
    r.push(rec("old", ago(10), 2000.0));
    r.push(rec("one", ago(5), 5000.0)); // one visit: 1 < 2 → low
    let fx = Fx::new(r, &[], as_of());
    let (sum, segs) = fx.segs();
    let v = |id| fx.label(&segs, id, |s| &s.value);
    assert_eq!(v("hi"), s("high"));
    assert_eq!(v("hi150"), s("high"));
    assert_eq!(v("mid151"), s("mid"));
    assert_eq!(v("midtk"), s("mid"));
    assert_eq!(v("lowtk"), s("low"));
    assert_eq!(v("tk500"), s("mid"));
    assert_eq!(v("old"), s("low"));
    assert_eq!(v("one"), s("low"));
    assert_eq!(sum.value.source.as_deref(), Some("shared"));
    assert_eq!(sum.value.by_source["shared"], 8);
    assert_eq!(sum.value.counts["high"], 2);

    // With visits_low = 1 the interval rule decides alone.
    let r = vec![
        rec("one", ago(5), 5000.0), // no interval: not high, not low → mid
        rec("i365", ago(365), 1000.0),
        rec("i365", ago(0), 1000.0), // interval 365: not > 365 → mid
        rec("i366", ago(366), 1000.0),
        rec("i366", ago(0), 1000.0), // interval 366 > 365 → low
    ];
    let mut fx = Fx::new(r, &[], as_of());
    fx.rules.value.visits_low = 1;
    let (_, segs) = fx.segs();
    let v = |id| fx.label(&segs, id, |s| &s.value);
    assert_eq!(v("one"), s("mid"));
    assert_eq!(v("i365"), s("mid"));
    assert_eq!(v("i366"), s("low"));
}

#[test]
fn value_grading_per_series() {
    // series_ticket {"A系列": [3000, 1000]}; visit thresholds shared.
    let mut r = Vec::new();
    for (id, series, yuan) in [
        ("a2000", ["A系列", "A系列", "B系列"], 2000.0), // series A (2 of 3): 2000 < 3000 → mid
        ("b2000", ["B系列", "B系列", "B系列"], 2000.0), // B has no entry: shared 1500 → high
        ("a900", ["A系列", "A系列", "A系列"], 900.0),   // A: 900 < 1000 → low (shared: mid)
        ("a3000", [" A系列 ", "A系列", "A系列"], 3000.0), // trimmed A: 3000 ≥ 3000 → high
    ] {
        for (k, sr) in series.iter().enumerate() {
            let mut x = rec(id, ago(k as i64 * 100), yuan);
            x.vehicle_series = Some(sr.to_string());
            r.push(x);
        }
    }
    let mut fx = Fx::new(r, &[Role::VehicleSeries], as_of());
    fx.rules
        .value
        .series_ticket
        .insert("A系列".into(), [3000.0, 1000.0]);
    let (sum, segs) = fx.segs();
    let v = |id| fx.label(&segs, id, |s| &s.value);
    assert_eq!(v("a2000"), s("mid"));
    assert_eq!(v("b2000"), s("high"));
    assert_eq!(v("a900"), s("low"));
    assert_eq!(v("a3000"), s("high"));
    assert_eq!(sum.value.source.as_deref(), Some("series"));
    assert_eq!(sum.value.by_source["series"], 3);
    assert_eq!(sum.value.by_source["shared"], 1);

    // Same data, series not mapped: shared thresholds for everyone.
    let mut fx2 = Fx::new(fx.records.clone(), &[], as_of());
    fx2.rules = fx.rules.clone();
    let (sum2, segs2) = fx2.segs();
    assert_eq!(fx2.label(&segs2, "a2000", |s| &s.value), s("high"));
    assert_eq!(fx2.label(&segs2, "a900", |s| &s.value), s("mid"));
    assert_eq!(sum2.value.source.as_deref(), Some("shared"));
}

#[test]
fn loyalty_member_traditional() {
    // Loyalty defaults: loyal ≥ 3 visits/12 months & ticket ≥ 1000; potential ≥ 2 & ≥ 500;
    // churn warning: no visit for ≥ 180 days; new: one visit.
    // Member: silver; gold ≥ 2 lifetime visits; platinum ≥ 5 visits in 12 months.
    let mut r = Vec::new();
    let visits = |r: &mut Vec<Rec>, id: &str, days: &[i64], yuan: f64| {
        for &k in days {
            r.push(rec(id, ago(k), yuan));
        }
    };
    visits(&mut r, "warn180", &[300, 180], 2000.0); // recency 180 → churn_warning
    visits(&mut r, "ok179", &[400, 179], 2000.0); // recency 179; 1 visit in year → regular
    visits(&mut r, "new", &[10], 2000.0); // one visit → new
    visits(&mut r, "loyal", &[10, 50, 90], 1000.0); // 3 in year, ticket 1000 → loyal
    visits(&mut r, "pot999", &[10, 50, 90], 999.99); // ticket < 1000, ≥ 500 → potential
    visits(&mut r, "pot500", &[10, 50], 500.0); // 2 visits, 500 → potential
    visits(&mut r, "reg499", &[10, 50], 499.99); // ticket < 500 → regular
    visits(&mut r, "plat", &[1, 2, 3, 4, 5], 100.0); // 5 in year → platinum
    visits(&mut r, "gold4", &[1, 2, 3, 4], 100.0); // 4 in year → gold, 1 to platinum
    visits(&mut r, "gold_old", &[400, 10], 100.0); // 2 lifetime, 1 in year → gold, 4 more
    let fx = Fx::new(r, &[], as_of());
    let (sum, segs) = fx.segs();
    let l = |id| fx.label(&segs, id, |s| &s.loyalty);
    assert_eq!(l("warn180"), s("churn_warning"));
    assert_eq!(l("ok179"), s("regular"));
    assert_eq!(l("new"), s("new"));
    assert_eq!(l("loyal"), s("loyal"));
    assert_eq!(l("pot999"), s("potential"));
    assert_eq!(l("pot500"), s("potential"));
    assert_eq!(l("reg499"), s("regular"));

    let m = |id| fx.label(&segs, id, |s| &s.member);
    let next = |id: &str| {
        segs[fx.idx(id)]
            .member_next
            .as_ref()
            .map(|n| (n.tier.clone(), n.visits_needed))
    };
    assert_eq!(m("new"), s("silver"));
    assert_eq!(next("new"), Some(("gold".into(), 1))); // 2 − 1
    assert_eq!(m("plat"), s("platinum"));
    assert_eq!(next("plat"), None);
    assert_eq!(m("gold4"), s("gold"));
    assert_eq!(next("gold4"), Some(("platinum".into(), 1))); // 5 − 4
    assert_eq!(m("gold_old"), s("gold"));
    assert_eq!(next("gold_old"), Some(("platinum".into(), 4))); // 5 − 1
    assert_eq!(sum.member.counts["silver"], 1);

    // traditional: churn warning → at_risk (lifecycle is at_risk too); loyal → loyal
    let t = |id| fx.label(&segs, id, |s| &s.traditional);
    assert_eq!(t("warn180"), s("at_risk"));
    assert_eq!(t("loyal"), s("loyal"));
    assert_eq!(t("pot500"), s("general"));

    // Churn warning before the lifecycle's at-risk threshold still makes 准流失.
    let mut fx = Fx::new(
        vec![rec("w", ago(300), 2000.0), rec("w", ago(120), 2000.0)],
        &[],
        as_of(),
    );
    fx.rules.loyalty.warning_days = 100;
    let (_, segs) = fx.segs();
    assert_eq!(fx.label(&segs, "w", |s| &s.lifecycle), s("active"));
    assert_eq!(fx.label(&segs, "w", |s| &s.loyalty), s("churn_warning"));
    assert_eq!(fx.label(&segs, "w", |s| &s.traditional), s("at_risk"));
}

#[test]
fn need_keywords() {
    let r = NeedRules::default();
    for (text, code) in [
        ("首保", "first_service"),
        ("首次保养", "first_service"),
        ("定期保养", "maintenance"),
        ("更换机油", "maintenance"),
        ("常规保养", "maintenance"),
        ("一般维修", "repair"),
        ("故障维修", "repair"),
        ("机修", "repair"),
        ("事故车维修", "accident"),
        ("保险理赔", "accident"),
        ("出险", "accident"),
        ("钣喷", "body_paint"),
        ("钣金喷漆", "body_paint"),
        ("改装", "modification"),
        ("加装精品", "modification"),
        ("保险", "insurance"),
        ("续保", "insurance"),
        ("First Service", "first_service"),
        ("Routine maintenance", "maintenance"),
        ("OIL CHANGE", "maintenance"),
        ("Engine repair", "repair"),
        ("Accident", "accident"),
        ("Body & Paint", "body_paint"),
        ("Modification", "modification"),
        ("Accessories", "modification"),
        ("Insurance renewal", "insurance"),
        ("Service", "maintenance"),
        ("洗车", "other"),
        ("A保", "other"),
    ] {
        assert_eq!(segments::classify_need(text, &r), code, "{text}");
    }
    // User keywords come first.
    let mut r = NeedRules::default();
    r.keywords
        .insert("maintenance".into(), vec!["A保".into(), "b保".into()]);
    r.keywords.insert("nonsense".into(), vec!["洗车".into()]); // unknown code: ignored
    assert_eq!(segments::classify_need("A保", &r), "maintenance");
    assert_eq!(segments::classify_need("B保套餐", &r), "maintenance");
    assert_eq!(segments::classify_need("洗车", &r), "other");
}

#[test]
fn dominant_need() {
    let typed = |id: &str, order: &str, date: NaiveDate, st: &str, yuan: f64| {
        let mut x = rec(id, date, yuan);
        x.order_id = Some(order.into());
        x.service_type = Some(st.into());
        x
    };
    let fx = Fx::new(
        vec![
            // 2 maintenance visits vs 1 repair visit of more revenue → maintenance
            typed("m", "1", ago(200), "定期保养", 300.0),
            typed("m", "2", ago(100), "保养", 300.0),
            typed("m", "3", ago(10), "维修", 2000.0),
            // 1 visit each: repair has more revenue (800 > 300) → repair
            typed("r", "4", ago(100), "保养", 300.0),
            typed("r", "5", ago(10), "Repair", 800.0),
            // 1 visit each, same revenue → code order: maintenance before repair
            typed("t", "6", ago(100), "维修", 500.0),
            typed("t", "7", ago(10), "保养", 500.0),
            // one visit with two lines (maintenance + accident) and one accident visit:
            // accident in 2 visits, maintenance in 1 → accident
            typed("x", "8", ago(100), "保养", 300.0),
            typed("x", "8", ago(100), "事故", 100.0),
            typed("x", "9", ago(10), "理赔", 100.0),
            // no service type at all → no label
            rec("none", ago(10), 100.0),
        ],
        &[Role::OrderId, Role::ServiceType],
        as_of(),
    );
    let (sum, segs) = fx.segs();
    let n = |id| fx.label(&segs, id, |s| &s.need);
    assert_eq!(n("m"), s("maintenance"));
    assert_eq!(n("r"), s("repair"));
    assert_eq!(n("t"), s("maintenance"));
    assert_eq!(n("x"), s("accident"));
    assert_eq!(n("none"), None);
    assert!(sum.need.available);
    assert_eq!(sum.need.unassigned, 1);
    assert_eq!(sum.need.counts["maintenance"], 2);
}

#[test]
fn habit_classes() {
    // Defaults: insufficient with < 2 intervals; irregular when cv > 0.6; high_frequency
    // when the mean interval ≤ 120; else low_frequency.
    let by_gaps = |id: &str, gaps: &[i64]| {
        // visits at ago(sum of gaps) ... ago(0)
        let total: i64 = gaps.iter().sum();
        let mut at = total;
        let mut v = vec![rec(id, ago(at), 100.0)];
        for g in gaps {
            at -= g;
            v.push(rec(id, ago(at), 100.0));
        }
        v
    };
    let mut r = vec![rec("one", ago(5), 100.0)]; // 0 intervals
    r.extend(by_gaps("two", &[30])); // 1 interval → insufficient
    r.extend(by_gaps("hf100", &[100, 100])); // mean 100, cv 0 → high_frequency
    r.extend(by_gaps("hf120", &[120, 120])); // mean 120 ≤ 120 → high_frequency
    r.extend(by_gaps("lf121", &[121, 121])); // mean 121 → low_frequency
    r.extend(by_gaps("irr", &[30, 270])); // mean 150, sd 120, cv 0.8 → irregular
    r.extend(by_gaps("cv06", &[40, 160])); // mean 100, sd 60, cv 0.6 (not > 0.6) → hf
    r.extend(by_gaps("cv05", &[60, 180])); // mean 120, sd 60, cv 0.5 → high_frequency
    let fx = Fx::new(r, &[], as_of());
    let (_, segs) = fx.segs();
    let h = |id| fx.label(&segs, id, |s| &s.habit);
    assert_eq!(h("one"), s("insufficient"));
    assert_eq!(h("two"), s("insufficient"));
    assert_eq!(h("hf100"), s("high_frequency"));
    assert_eq!(h("hf120"), s("high_frequency"));
    assert_eq!(h("lf121"), s("low_frequency"));
    assert_eq!(h("irr"), s("irregular"));
    assert_eq!(h("cv06"), s("high_frequency"));
    assert_eq!(h("cv05"), s("high_frequency"));
}

#[test]
fn vehicle_age_classes() {
    // as_of 2024-06-30; 三包 2 years, warranty 3 years.
    let bought = |id: &str, p: NaiveDate| {
        let mut x = rec(id, ago(10), 100.0);
        x.purchase_date = Some(p);
        x
    };
    let mut r = vec![
        bought("tg", d(2022, 7, 1)), // + 2y = 2024-07-01 > as_of → in_three_guarantees
        bought("w2y", d(2022, 6, 30)), // + 2y = as_of: not before → in_warranty
        bought("w", d(2021, 7, 1)),  // + 3y = 2024-07-01 > as_of → in_warranty
        bought("out", d(2021, 6, 30)), // + 3y = as_of → out_of_warranty
        bought("fut", d(2024, 8, 1)), // bought after as_of → newest class
        bought("two", d(2015, 1, 1)), // the latest purchase (2024-01-01) counts
        bought("two", d(2024, 1, 1)),
        rec("nodate", ago(10), 100.0), // no purchase date → no label
    ];
    r[6].plate = Some("粤B2".into());
    let fx = Fx::new(r.clone(), &[Role::PurchaseDate], as_of());
    let (sum, segs) = fx.segs();
    let a = |id| fx.label(&segs, id, |s| &s.vehicle_age);
    assert_eq!(a("tg"), s("in_three_guarantees"));
    assert_eq!(a("w2y"), s("in_warranty"));
    assert_eq!(a("w"), s("in_warranty"));
    assert_eq!(a("out"), s("out_of_warranty"));
    assert_eq!(a("fut"), s("in_three_guarantees"));
    assert_eq!(a("two"), s("in_three_guarantees"));
    assert_eq!(a("nodate"), None);
    assert_eq!(sum.vehicle_age.unassigned, 1);

    // 三包 longer than the warranty: warranty 1 year, 三包 2 years.
    let mut fx = Fx::new(r, &[Role::PurchaseDate], as_of());
    fx.rules.vehicle.warranty_years = 1.0;
    fx.rules.vehicle.three_guarantees_years = 2.0;
    let (_, segs) = fx.segs();
    let a = |id| fx.label(&segs, id, |s| &s.vehicle_age);
    assert_eq!(a("two"), s("in_warranty")); // 0.5 years
    assert_eq!(a("tg"), s("in_three_guarantees")); // 2022-07-01: 1.99 years
    assert_eq!(a("w2y"), s("out_of_warranty"));
}

#[test]
fn vehicle_use_column_and_inference() {
    for (text, code) in [
        ("私家车", Some("private")),
        ("非营运", Some("private")),
        ("家用", Some("private")),
        ("营运", Some("commercial")),
        ("出租车", Some("commercial")),
        ("网约车", Some("commercial")),
        ("租赁公司", Some("commercial")),
        ("公务用车", Some("official")),
        ("企业用车", Some("official")),
        ("Private", Some("private")),
        ("Non-operating", Some("private")),
        ("Taxi", Some("commercial")),
        ("Company car", Some("official")),
        ("其他", None),
    ] {
        assert_eq!(segments::classify_vehicle_use(text), code, "{text}");
    }

    // Inference: 100 days between readings.
    // 10000 km / 100 d = 100 km/d ≥ 100 → commercial; 7000/100 = 70 ≥ 70 → official;
    // 6999/100 = 69.99 → private.
    let driven = |id: &str, km: f64, use_: Option<&str>| {
        let mut a = rec(id, ago(110), 100.0);
        a.mileage = Some(1000.0);
        let mut b = rec(id, ago(10), 100.0);
        b.mileage = Some(1000.0 + km);
        b.vehicle_use = use_.map(str::to_string);
        vec![a, b]
    };
    let mut r = Vec::new();
    r.extend(driven("c", 10000.0, None));
    r.extend(driven("o", 7000.0, None));
    r.extend(driven("p", 6999.0, None));
    r.extend(driven("col", 10000.0, Some("私家车"))); // column wins over 100 km/d
    r.push(rec("nothing", ago(5), 100.0)); // no value, no readings → no label

    let fx = Fx::new(r.clone(), &[Role::Mileage], as_of());
    let (sum, segs) = fx.segs();
    let u = |id| fx.label(&segs, id, |s| &s.vehicle_use);
    assert_eq!(u("c"), s("commercial"));
    assert_eq!(u("o"), s("official"));
    assert_eq!(u("p"), s("private"));
    assert_eq!(u("col"), s("commercial")); // column not mapped: inferred
    assert_eq!(u("nothing"), None);
    assert_eq!(sum.vehicle_use.source.as_deref(), Some("mileage"));
    assert_eq!(sum.vehicle_use.by_source["mileage"], 4);

    let fx = Fx::new(r.clone(), &[Role::Mileage, Role::VehicleUse], as_of());
    let (sum, segs) = fx.segs();
    assert_eq!(fx.label(&segs, "col", |s| &s.vehicle_use), s("private"));
    assert_eq!(fx.label(&segs, "c", |s| &s.vehicle_use), s("commercial"));
    assert_eq!(sum.vehicle_use.source.as_deref(), Some("column+mileage"));
    assert_eq!(sum.vehicle_use.by_source["column"], 1);
    assert_eq!(sum.vehicle_use.by_source["mileage"], 3);

    // Column only: the column's most frequent class.
    let mut r = Vec::new();
    for (k, v) in ["营运", "营运", "私家车"].iter().enumerate() {
        let mut x = rec("m", ago(k as i64 * 10), 100.0);
        x.vehicle_use = Some(v.to_string());
        r.push(x);
    }
    let fx = Fx::new(r, &[Role::VehicleUse], as_of());
    let (sum, segs) = fx.segs();
    assert_eq!(fx.label(&segs, "m", |s| &s.vehicle_use), s("commercial"));
    assert_eq!(sum.vehicle_use.source.as_deref(), Some("column"));
}

#[test]
fn region_cohort_occupation() {
    let mut r = Vec::new();
    for (id, region, birth, occ) in [
        ("a", "县城", d(1985, 3, 1), "公务员"),
        ("a", " 县城 ", d(1985, 3, 1), "公务员 "),
        ("a", "市区", d(1985, 3, 1), "农民"),
        ("b", "乡镇", d(2001, 1, 1), "务工人员"),
        ("c", "市区", d(1949, 12, 31), "农民"),
        ("e", "市区", d(1960, 1, 1), "农民"),
    ] {
        let mut x = rec(id, ago(r.len() as i64), 100.0);
        x.region = Some(region.into());
        x.birth_date = Some(birth);
        x.occupation = Some(occ.into());
        r.push(x);
    }
    // tie: 1 × 市区 (ago 10) vs 1 × 乡镇 (ago 20) → the latest, 市区
    let mut t1 = rec("tie", ago(10), 1.0);
    t1.region = Some("市区".into());
    let mut t2 = rec("tie", ago(20), 1.0);
    t2.region = Some("乡镇".into());
    r.push(t1);
    r.push(t2);
    let fx = Fx::new(
        r,
        &[Role::Region, Role::BirthDate, Role::Occupation],
        as_of(),
    );
    let (sum, segs) = fx.segs();
    assert_eq!(fx.label(&segs, "a", |s| &s.region), s("县城"));
    assert_eq!(fx.label(&segs, "a", |s| &s.age_cohort), s("post_80"));
    assert_eq!(fx.label(&segs, "a", |s| &s.occupation), s("公务员"));
    assert_eq!(fx.label(&segs, "b", |s| &s.age_cohort), s("post_00"));
    assert_eq!(fx.label(&segs, "c", |s| &s.age_cohort), s("pre_50"));
    assert_eq!(fx.label(&segs, "e", |s| &s.age_cohort), s("post_60"));
    assert_eq!(fx.label(&segs, "tie", |s| &s.region), s("市区"));
    assert_eq!(fx.label(&segs, "tie", |s| &s.age_cohort), None);
    assert_eq!(sum.region.counts["市区"], 3);
    assert_eq!(sum.age_cohort.unassigned, 1);
    assert_eq!(segments::label("post_60", Lang::Zh), "60后");
    assert_eq!(segments::label("县城", Lang::En), "County town");
    assert_eq!(segments::label_or_code("东区", Lang::En), "东区");
}

#[test]
fn missing_roles_make_schemes_unavailable() {
    let fx = Fx::new(
        vec![rec("a", ago(10), 100.0), rec("a", ago(100), 100.0)],
        &[],
        as_of(),
    );
    let (sum, segs) = fx.segs();
    for (name, sc, roles) in [
        ("need", &sum.need, vec!["service_type"]),
        ("vehicle_age", &sum.vehicle_age, vec!["purchase_date"]),
        (
            "vehicle_use",
            &sum.vehicle_use,
            vec!["vehicle_use", "mileage"],
        ),
        ("region", &sum.region, vec!["region"]),
        ("age_cohort", &sum.age_cohort, vec!["birth_date"]),
        ("occupation", &sum.occupation, vec!["occupation"]),
    ] {
        assert!(!sc.available, "{name}");
        assert_eq!(sc.missing_roles, roles, "{name}");
        assert!(sc.counts.is_empty(), "{name}");
    }
    for sc in [
        &sum.lifecycle,
        &sum.value,
        &sum.loyalty,
        &sum.member,
        &sum.habit,
    ] {
        assert!(sc.available);
        assert!(sc.missing_roles.is_empty());
    }
    let c = &segs[0];
    assert!(c.need.is_none() && c.vehicle_age.is_none() && c.vehicle_use.is_none());
    assert!(c.region.is_none() && c.age_cohort.is_none() && c.occupation.is_none());

    let m = mileage::run(&fx.ctx());
    assert!(!m.available);
    assert_eq!(m.missing_roles, vec!["mileage"]);
    assert_eq!(m.customer_daily_km, vec![None]);

    let lists = reminders::run(&fx.ctx(), &m.customer_daily_km);
    assert_eq!(lists.unavailable["first_service"], vec!["purchase_date"]);
    assert_eq!(lists.basis["callback"], "any_visit");
}

#[test]
fn single_customer_one_visit_and_json() {
    let fx = Fx::new(vec![rec("solo", ago(0), 1280.5)], &[], as_of());
    let (sum, segs) = fx.segs();
    assert_eq!(segs.len(), 1);
    let c = &segs[0];
    assert_eq!(c.lifecycle.as_deref().map(str::to_string), s("new"));
    assert_eq!(c.value.as_deref().map(str::to_string), s("low")); // 1 visit < 2
    assert_eq!(c.loyalty.as_deref().map(str::to_string), s("new"));
    assert_eq!(c.member.as_deref().map(str::to_string), s("silver"));
    assert_eq!(c.traditional.as_deref().map(str::to_string), s("general"));
    assert_eq!(c.habit.as_deref().map(str::to_string), s("insufficient"));
    assert_eq!(sum.lifecycle.counts["new"], 1);

    let json = serde_json::to_value(c).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    for k in [
        "lifecycle",
        "value",
        "loyalty",
        "member",
        "member_next",
        "traditional",
        "need",
        "habit",
        "vehicle_age",
        "vehicle_use",
        "region",
        "age_cohort",
        "occupation",
    ] {
        assert!(keys.contains(&k), "{k}");
    }
    assert_eq!(json["member_next"]["tier"], "gold");
    assert_eq!(json["member_next"]["visits_needed"], 1);
    let sj = serde_json::to_value(&sum).unwrap();
    assert_eq!(sj["lifecycle"]["revenue"]["new"], 1280.5);
    assert_eq!(sj["need"]["available"], false);
    assert_eq!(sj["need"]["missing_roles"][0], "service_type");
    // round trip
    let back: segments::SegmentsSummary = serde_json::from_value(sj).unwrap();
    assert_eq!(back, sum);

    // Every code emitted has both labels.
    for code in [
        "new",
        "active",
        "at_risk",
        "lost",
        "high",
        "mid",
        "low",
        "loyal",
        "potential",
        "churn_warning",
        "regular",
        "silver",
        "gold",
        "platinum",
        "general",
        "first_service",
        "maintenance",
        "repair",
        "accident",
        "body_paint",
        "modification",
        "insurance",
        "other",
        "high_frequency",
        "low_frequency",
        "irregular",
        "insufficient",
        "in_warranty",
        "in_three_guarantees",
        "out_of_warranty",
        "private",
        "official",
        "commercial",
        "pre_50",
        "post_50",
        "post_60",
        "post_70",
        "post_80",
        "post_90",
        "post_00",
        "post_10",
        "post_20",
        "due",
        "overdue",
        "not_back",
        "visit",
        "by_date",
        "by_mileage",
    ] {
        assert!(!segments::label(code, Lang::Zh).is_empty(), "{code}");
        assert!(!segments::label(code, Lang::En).is_empty(), "{code}");
    }
    for scheme in segments::SCHEMES {
        assert!(!segments::label(scheme, Lang::Zh).is_empty(), "{scheme}");
    }
    assert_eq!(segments::label("at_risk", Lang::Zh), "准流失客户");
    assert_eq!(segments::label("platinum", Lang::Zh), "铂金会员");
}

#[test]
fn mileage_filter_steps() {
    // as_of 2024-12-31; registered before 2024-05-31 (7 months earlier).
    let as_of = d(2024, 12, 31);
    let base = d(2024, 1, 1);
    let at = |n: i64| base + Duration::days(n);
    // A vehicle: `visits` visits at days 0, 10, 20, …, the last one at day 100; readings at
    // day 0 (10000 km) and day 100 (10000 + 100 × km/day).
    let vehicle = |cust: &str,
                   vin: Option<&str>,
                   plate: Option<&str>,
                   km_day: f64,
                   visits: usize,
                   purchase: Option<NaiveDate>| {
        let mut out = Vec::new();
        for k in 0..visits {
            let day = if k + 1 == visits { 100 } else { k as i64 * 10 };
            let mut x = rec(cust, at(day), 100.0);
            x.vin = vin.map(str::to_string);
            x.plate = plate.map(str::to_string);
            x.purchase_date = purchase;
            if k == 0 {
                x.mileage = Some(10_000.0);
            } else if k + 1 == visits {
                x.mileage = Some(10_000.0 + 100.0 * km_day);
            }
            out.push(x);
        }
        out
    };
    let mut r = Vec::new();
    // V1 kept: 50 km/d, purchase 2022, 4 visits
    r.extend(vehicle(
        "c1",
        Some("VIN1"),
        None,
        50.0,
        4,
        Some(d(2022, 1, 1)),
    ));
    // V2: one reading only (a single visit) → out at two_readings
    r.extend(vehicle(
        "c2",
        Some("VIN2"),
        None,
        50.0,
        1,
        Some(d(2022, 1, 1)),
    ));
    // V3: 4.99 km/d < 5 → out at km range
    r.extend(vehicle(
        "c3",
        None,
        Some("粤B3"),
        4.99,
        4,
        Some(d(2022, 1, 1)),
    ));
    // V4: 500.01 km/d > 500 → out at km range
    r.extend(vehicle(
        "c4",
        None,
        Some("粤B4"),
        500.01,
        4,
        Some(d(2022, 1, 1)),
    ));
    // V5: 5 km/d (in range, inclusive); purchased 2024-05-31 = the cutoff, not before → out
    r.extend(vehicle(
        "c5",
        None,
        Some("粤B5"),
        5.0,
        4,
        Some(d(2024, 5, 31)),
    ));
    // V6: 500 km/d (inclusive); no purchase date → first visit 2024-01-01 < cutoff; but only
    // 3 visits → out at min_returns
    r.extend(vehicle("c6", None, None, 500.0, 3, None));
    // V7 kept: 20 km/d, purchased 2024-05-30 (the day before the cutoff), 5 visits
    r.extend(vehicle(
        "c7",
        Some("VIN7"),
        None,
        20.0,
        5,
        Some(d(2024, 5, 30)),
    ));
    let fx = Fx::new(
        r,
        &[Role::Mileage, Role::Vin, Role::Plate, Role::PurchaseDate],
        as_of,
    );
    let m = mileage::run(&fx.ctx());
    assert!(m.available);
    let steps: Vec<(&str, usize)> = m.steps.iter().map(|s| (s.step.as_str(), s.count)).collect();
    assert_eq!(
        steps,
        vec![
            ("vehicles", 7),
            ("two_readings", 6),        // V2 out
            ("km_per_day_in_range", 4), // V3, V4 out
            ("registered", 3),          // V5 out
            ("min_returns", 2),         // V6 out
        ]
    );
    assert_eq!(m.kept, 2);
    assert!((m.kept_share - 2.0 / 7.0).abs() < 1e-12);
    assert_eq!(m.vehicle_keys["vin"], 3);
    assert_eq!(m.vehicle_keys["plate"], 3);
    assert_eq!(m.vehicle_keys["customer"], 1);
    // tested at the registered step: V1, V5, V7 by purchase date, V6 by first visit
    assert_eq!(m.registration_basis["purchase_date"], 3);
    assert_eq!(m.registration_basis["first_visit"], 1);
    // kept 20 and 50: mean = median = 35
    assert!((m.mean_km_per_day.unwrap() - 35.0).abs() < 1e-9);
    assert!((m.median_km_per_day.unwrap() - 35.0).abs() < 1e-9);
    // bins of 10: [20,30) 1, [30,40) 0, [40,50) 0, [50,60) 1
    let bins: Vec<(f64, usize)> = m.histogram.iter().map(|b| (b.from, b.count)).collect();
    assert_eq!(bins, vec![(20.0, 1), (30.0, 0), (40.0, 0), (50.0, 1)]);
    // per customer: c2 has one reading → none; c4 (500.01 > 500) → none; others their km
    let km = |id: &str| m.customer_daily_km[fx.idx(id)];
    assert!((km("c1").unwrap() - 50.0).abs() < 1e-9);
    assert_eq!(km("c2"), None);
    assert!((km("c3").unwrap() - 4.99).abs() < 1e-9);
    assert_eq!(km("c4"), None);
    assert!((km("c6").unwrap() - 500.0).abs() < 1e-9);
    assert_eq!(mileage::customer_daily_km(&fx.ctx()), m.customer_daily_km);
}

#[test]
fn mileage_customer_with_two_vehicles() {
    // Car A read last on day 50, car B on day 80 → B's daily km is the customer's.
    let base = d(2024, 1, 1);
    let at = |n: i64| base + Duration::days(n);
    let read = |plate: &str, day: i64, km: f64| {
        let mut x = rec("c", at(day), 100.0);
        x.plate = Some(plate.into());
        x.mileage = Some(km);
        x
    };
    let r = vec![
        read("A", 0, 1000.0),
        read("A", 50, 2000.0), // 20 km/d
        read("B", 0, 1000.0),
        read("B", 10, 0.0),    // 0 = unknown reading: ignored
        read("B", 80, 3400.0), // 30 km/d
    ];
    let fx = Fx::new(r, &[Role::Mileage, Role::Plate], d(2024, 12, 31));
    let km = mileage::customer_daily_km(&fx.ctx());
    assert!((km[0].unwrap() - 30.0).abs() < 1e-9);
}

fn ids(list: &reminders::CallList) -> Vec<&str> {
    list.iter().map(|c| c.id).collect()
}

#[test]
fn due_lists_sms_and_phone() {
    // as_of 2024-06-30; due = last visit + 6 months; sms: 11 < d ≤ 13; phone: 0 ≤ d ≤ 11 or
    // overdue (not lost).
    let mut r = vec![
        rec("s13", d(2024, 1, 13), 100.0),  // due 07-13, d = 13 → sms
        rec("s12", d(2024, 1, 12), 100.0),  // due 07-12, d = 12 → sms
        rec("p11", d(2024, 1, 11), 100.0),  // due 07-11, d = 11 → phone
        rec("p00", d(2023, 12, 30), 100.0), // due 06-30, d = 0 → phone
        rec("x14", d(2024, 1, 14), 100.0),  // due 07-14, d = 14 → none
        rec("ovd", d(2023, 12, 1), 100.0),  // due 06-01, d = −29 → phone, overdue
        rec("lost", d(2023, 6, 30), 100.0), // 366 days ≥ 365 → lost: not on phone
    ];
    // km-based: last visit 06-18 at 20000 km, 200 km/d → 5000/200 = 25 d → 07-13 (d = 13),
    // earlier than the date rule (12-18) → sms by_mileage
    let mut k = rec("km", d(2024, 6, 18), 100.0);
    k.mileage = Some(20_000.0);
    r.push(k);
    // km-based with a fraction: 5000/300 = 16.67 → 17 days after 06-24 → 07-11 → phone
    let mut k = rec("km17", d(2024, 6, 24), 100.0);
    k.mileage = Some(30_000.0);
    k.phone = Some("13800138000".into());
    r.push(k);
    let fx = Fx::new(r, &[Role::Mileage, Role::Phone], as_of());
    let mut km = vec![None; fx.customers.len()];
    km[fx.idx("km")] = Some(200.0);
    km[fx.idx("km17")] = Some(300.0);
    let lists = reminders::run(&fx.ctx(), &km);
    assert_eq!(ids(&lists.sms), vec!["s12", "km", "s13"]); // due 07-12, 07-13, 07-13 (by id)
    assert_eq!(ids(&lists.phone), vec!["ovd", "p00", "km17", "p11"]);
    let find = |l: &reminders::CallList, id: &str| l.iter().find(|c| c.id == id).unwrap().to_item();
    let kmi = find(&lists.sms, "km");
    assert_eq!(kmi.basis.as_deref(), Some("by_mileage"));
    assert_eq!(kmi.due, d(2024, 7, 13));
    assert_eq!(kmi.days_to_due, 13);
    assert_eq!(kmi.last_mileage, Some(20_000.0));
    assert_eq!(find(&lists.sms, "s13").basis.as_deref(), Some("by_date"));
    let o = find(&lists.phone, "ovd");
    assert_eq!(o.reason, "overdue");
    assert_eq!(o.days_to_due, -29);
    assert_eq!(find(&lists.phone, "p11").reason, "due");
    let k17 = find(&lists.phone, "km17");
    assert_eq!(k17.due, d(2024, 7, 11));
    assert_eq!(k17.phone.as_deref(), Some("13800138000"));
    assert_eq!(lists.basis["due"], "date+mileage");
}

#[test]
fn callback_list() {
    // as_of 2024-06-30: repair visits 3..=7 days earlier are called back.
    let typed = |id: &str, date: NaiveDate, st: &str| {
        let mut x = rec(id, date, 100.0);
        x.service_type = Some(st.into());
        x
    };
    let r = vec![
        typed("d3", ago(3), "一般维修"),    // 3 days → in
        typed("d7", ago(7), "钣喷"),        // 7 days → in (body_paint)
        typed("d2", ago(2), "维修"),        // 2 → out
        typed("d8", ago(8), "维修"),        // 8 → out
        typed("maint", ago(5), "定期保养"), // not a repair → out
        typed("acc", ago(20), "维修"),      // the latest in-window repair counts
        typed("acc", ago(6), "事故车"),     // 6 days, accident → in
        typed("acc", ago(1), "洗车"),
    ];
    let fx = Fx::new(r.clone(), &[Role::ServiceType], as_of());
    let lists = reminders::run(&fx.ctx(), &vec![None; fx.customers.len()]);
    // due = repair date + 3: d7 → 06-26, acc → 06-27, d3 → 06-30
    assert_eq!(ids(&lists.callback), vec!["d7", "acc", "d3"]);
    let reasons: Vec<&str> = lists.callback.iter().map(|c| c.reason).collect();
    assert_eq!(reasons, vec!["body_paint", "accident", "repair"]);
    assert_eq!(lists.callback.get(0).unwrap().event, Some(ago(7)));
    assert_eq!(lists.basis["callback"], "service_type");

    // Without service_type any visit 3–7 days ago counts (maint too).
    let fx = Fx::new(r, &[], as_of());
    let lists = reminders::run(&fx.ctx(), &vec![None; fx.customers.len()]);
    assert_eq!(ids(&lists.callback), vec!["d7", "acc", "maint", "d3"]);
    assert!(lists.callback.iter().all(|c| c.reason == "visit"));
}

#[test]
fn first_service_list() {
    // as_of 2024-06-30; recent = bought < 180 days ago; due = purchase + 3 months.
    let bought = |id: &str, p: NaiveDate, date: NaiveDate, st: Option<&str>| {
        let mut x = rec(id, date, 100.0);
        x.purchase_date = Some(p);
        x.service_type = st.map(str::to_string);
        x.plate = Some(format!("粤B{id}"));
        x
    };
    // 2024-01-02 → 06-30 = 29 + 29 + 31 + 30 + 31 + 30 = 180 days → not within
    let r = vec![
        bought("p180", d(2024, 1, 2), d(2024, 1, 2), Some("新车交付")),
        bought("p179", d(2024, 1, 3), d(2024, 1, 3), Some("新车交付")), // due 04-03
        bought("done", d(2024, 5, 1), d(2024, 6, 1), Some("首保")),     // first service done
        bought("wash", d(2024, 5, 1), d(2024, 6, 1), Some("洗车")),     // due 08-01
        bought("fut", d(2024, 7, 1), d(2024, 6, 1), Some("洗车")),      // bought after as_of
    ];
    let fx = Fx::new(
        r.clone(),
        &[Role::PurchaseDate, Role::ServiceType, Role::Plate],
        as_of(),
    );
    let lists = reminders::run(&fx.ctx(), &vec![None; fx.customers.len()]);
    assert_eq!(ids(&lists.first_service), vec!["p179", "wash"]);
    assert_eq!(lists.first_service.get(0).unwrap().due, d(2024, 4, 3));
    assert_eq!(
        lists.first_service.get(0).unwrap().event,
        Some(d(2024, 1, 3))
    );
    assert_eq!(lists.first_service.get(1).unwrap().due, d(2024, 8, 1));
    assert_eq!(lists.first_service.get(1).unwrap().plate, Some("粤Bwash"));

    // Without service_type: a visit after the purchase date counts as the first service, so
    // "done" and "wash" (visited 06-01 > 05-01) are off; p179 visited on the purchase day.
    let fx = Fx::new(r, &[Role::PurchaseDate, Role::Plate], as_of());
    let lists = reminders::run(&fx.ctx(), &vec![None; fx.customers.len()]);
    assert_eq!(ids(&lists.first_service), vec!["p179"]);
    assert_eq!(lists.basis["first_service"], "visit_after_purchase");
}

#[test]
fn win_back_list() {
    // as_of 2024-06-30; 2024-04-01 → 06-30 = 29 + 31 + 30 = 90 days.
    let r = vec![
        rec("d90", d(2024, 4, 1), 100.0), // 90 ≥ 90 → not_back
        rec("d89", d(2024, 4, 2), 100.0), // 89 → off
        rec("d180", ago(180), 100.0),     // at_risk
        rec("d365", ago(365), 100.0),     // lost (still listed)
    ];
    let fx = Fx::new(r, &[], as_of());
    let lists = reminders::run(&fx.ctx(), &vec![None; fx.customers.len()]);
    assert_eq!(ids(&lists.win_back), vec!["d365", "d180", "d90"]);
    let reasons: Vec<(&str, i64)> = lists
        .win_back
        .iter()
        .map(|c| (c.reason, c.days_since_last_visit))
        .collect();
    assert_eq!(
        reasons,
        vec![("lost", 365), ("at_risk", 180), ("not_back", 90)]
    );
    assert_eq!(lists.win_back.get(2).unwrap().due, d(2024, 6, 30)); // last visit + 90
}

#[test]
fn trends_and_cohort_triangle() {
    let r = vec![
        rec("A", d(2024, 1, 5), 100.0),
        rec("A", d(2024, 3, 10), 200.0),
        rec("B", d(2024, 1, 20), 50.0),
        rec("C", d(2024, 2, 2), 300.0),
        rec("C", d(2024, 3, 1), 10.0),
        rec("D", d(2024, 5, 15), 70.0),
    ];
    let fx = Fx::new(r, &[], d(2024, 5, 31));
    let lifecycle = vec![s("active"), s("lost"), s("active"), s("new")]; // A, B, C, D
    let value = vec![s("high"), s("low"), None, s("low")];
    let t = trends::run(&fx.ctx(), &lifecycle, &value);
    assert_eq!(
        t.months,
        vec!["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    );
    // Jan: A 100 + B 50; Feb: C 300; Mar: A 200 + C 10; Apr: none; May: D 70
    assert_eq!(t.total.revenue, vec![15_000, 30_000, 21_000, 0, 7_000]);
    assert_eq!(t.total.visits, vec![2, 1, 2, 0, 1]);
    // active = A + C
    assert_eq!(
        t.by_lifecycle["active"].revenue,
        vec![10_000, 30_000, 21_000, 0, 0]
    );
    assert_eq!(t.by_lifecycle["lost"].visits, vec![1, 0, 0, 0, 0]);
    // C has no value label: left out
    assert_eq!(t.by_value["low"].revenue, vec![5_000, 0, 0, 0, 7_000]);
    assert_eq!(t.by_value.len(), 2);
    // Cohorts: Jan {A, B}: Jan 2, Feb 0, Mar 1 (A), Apr 0, May 0
    //          Feb {C}: Feb 1, Mar 1, Apr 0, May 0;  May {D}: 1
    let rows: Vec<(&str, usize, Vec<usize>)> = t
        .cohorts
        .iter()
        .map(|c| (c.month.as_str(), c.size, c.retained.clone()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2024-01", 2, vec![2, 0, 1, 0, 0]),
            ("2024-02", 1, vec![1, 1, 0, 0]),
            ("2024-05", 1, vec![1]),
        ]
    );
    assert_eq!(t.cohorts[0].share, vec![1.0, 0.0, 0.5, 0.0, 0.0]);
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["total"]["revenue"][0], 150.0);

    // Nothing at all: empty trends.
    let empty = Fx::new(Vec::new(), &[], d(2024, 5, 31));
    let t = trends::run::<String>(&empty.ctx(), &[], &[]);
    assert!(t.months.is_empty() && t.cohorts.is_empty());
    let (sum, segs) = empty.segs();
    assert!(segs.is_empty());
    assert!(sum.lifecycle.counts.is_empty());
}
