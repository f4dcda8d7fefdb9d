//! Value analyses: Pareto / ABC, RFM, CLV (BG/NBD + Gamma-Gamma) and segment migration, on
//! hand-computed fixtures (the arithmetic is in the comments) and cross-checked against
//! independent tools: `lifetimes` 0.11.3 on the CDNOW data it ships
//! (scripts/crosscheck/clv_cdnow.py → tests/data/crosscheck/clv_cdnow.json) and pandas on a
//! synthetic transactions file (scripts/crosscheck/pareto_rfm.py →
//! tests/data/crosscheck/pareto_rfm.json).

use chrono::NaiveDate;
use dealerlens::engine::analysis::pareto::{self, AbcClass};
use dealerlens::engine::analysis::{clv, migration, rfm, Context};
use dealerlens::engine::customers::{summarise, CustomerSummary};
use dealerlens::engine::records::{Extraction, ServiceRecord};

/// A record with its texts owned, as the tests write them.
type Rec = ServiceRecord<String>;
use dealerlens::engine::rules::{ParetoRules, Rules};
use dealerlens::engine::{Mapping, Role};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Helpers

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn rec(customer: &str, date: NaiveDate, amount: i64) -> Rec {
    ServiceRecord::new(customer.to_string(), date, amount)
}

/// Owned data behind a [`Context`].
struct Fixture {
    /// The records, their texts pooled as the analyses read them.
    ex: Extraction,
    customers: Vec<CustomerSummary>,
    mapping: Mapping,
    rules: Rules,
    as_of: NaiveDate,
}

impl Fixture {
    fn new(mut records: Vec<Rec>, as_of: NaiveDate) -> Fixture {
        for (i, r) in records.iter_mut().enumerate() {
            r.row = i + 2;
        }
        let ex = Extraction::from_records(&records).expect("texts fit");
        let customers = summarise(&ex.records, &ex.strings);
        let headers: Vec<String> = ["customer", "date", "amount", "service_type", "region"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut mapping = Mapping::default();
        mapping.set(Role::CustomerId, Some(0), &headers);
        mapping.set(Role::Date, Some(1), &headers);
        mapping.set(Role::Amount, Some(2), &headers);
        Fixture {
            ex,
            customers,
            mapping,
            rules: Rules::default(),
            as_of,
        }
    }

    fn map(&mut self, role: Role, col: usize) {
        let headers: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
        self.mapping.set(role, Some(col), &headers);
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

    fn index(&self, id: &str) -> usize {
        self.customers
            .iter()
            .position(|c| c.id == id)
            .expect("customer in fixture")
    }
}

fn items(v: &[(&str, i64)]) -> Vec<(String, i64)> {
    v.iter().map(|(l, x)| (l.to_string(), *x)).collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

#[track_caller]
fn assert_rel(ours: f64, theirs: f64, rel: f64, what: &str) {
    assert!(
        close(ours, theirs, rel),
        "{what}: ours {ours} vs expected {theirs} (rel diff {:.3e}, allowed {rel:e})",
        (ours - theirs).abs() / theirs.abs().max(1e-300)
    );
}

fn load_json(path: &str) -> Value {
    let text = std::fs::read_to_string(path).expect("cross-check json");
    serde_json::from_str(&text).expect("valid json")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

// ---------------------------------------------------------------------------------------------
// Pareto

#[test]
fn gini_of_known_vectors() {
    let r = ParetoRules::default();
    // [1,1,1,1]: perfectly equal → 0.
    let g = pareto::curve(&items(&[("a", 1), ("b", 1), ("c", 1), ("d", 1)]), &r).gini;
    assert!(g.abs() < 1e-15, "{g}");
    // [0,0,0,1]: Σ i·x = 4·1 = 4; G = 2·4/(4·1) − 5/4 = 0.75.
    let g = pareto::curve(&items(&[("a", 0), ("b", 0), ("c", 0), ("d", 1)]), &r).gini;
    assert!((g - 0.75).abs() < 1e-15, "{g}");
    // [1,2,3,4]: Σ i·x = 1+4+9+16 = 30; G = 60/40 − 5/4 = 0.25.
    let g = pareto::curve(&items(&[("a", 4), ("b", 3), ("c", 2), ("d", 1)]), &r).gini;
    assert!((g - 0.25).abs() < 1e-15, "{g}");
    // One item: G = 2·x/x − 2 = 0.
    let g = pareto::curve(&items(&[("a", 500)]), &r).gini;
    assert_eq!(g, 0.0);
    // No items: 0.
    assert_eq!(pareto::curve(&[], &r).gini, 0.0);
}

#[test]
fn pareto_ties_are_ordered_by_label() {
    let r = ParetoRules::default();
    let p = pareto::curve(&items(&[("b", 100), ("c", 50), ("a", 100)]), &r);
    let labels: Vec<&str> = p.top.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["a", "b", "c"]);
    // Positive total 250; cumulative 100, 200, 250 → 0.4, 0.8, 1.0.
    assert_eq!(p.top[1].cumulative_share, 0.8);
    // 200·10⁹ ≥ 250·0.8·10⁹ exactly: 2 items make 80 %.
    assert_eq!(p.count_for_80pct, 2);
    // top count = ceil(0.2·3) = 1 → 100/250.
    assert_eq!(p.top_count, 1);
    assert!((p.top20_share - 0.4).abs() < 1e-15);
}

#[test]
fn pareto_refund_keeps_its_place_at_the_bottom() {
    // x 600, y 400, z −200: net total 800, positive total 1000.
    let (p, classes) = pareto::curve_with_classes(
        &items(&[("z", -200), ("x", 600), ("y", 400)]),
        &ParetoRules::default(),
    );
    assert_eq!(p.total, 800);
    assert_eq!(p.positive_total, 1000);
    let labels: Vec<&str> = p.top.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["x", "y", "z"]);
    // z counts 0 in the shares.
    assert_eq!(p.top[2].share, 0.0);
    assert_eq!(p.top[2].cumulative_share, 1.0);
    // ceil(0.2·3) = 1 → 600/1000.
    assert!((p.top20_share - 0.6).abs() < 1e-15);
    // cum 600 (60 %) < 80 %, 1000 (100 %) ≥ 80 % → 2.
    assert_eq!(p.count_for_80pct, 2);
    // before-shares 0, 0.6, 1.0 → A, A, C (classes returned in input order z, x, y).
    assert_eq!(classes, vec![AbcClass::C, AbcClass::A, AbcClass::A]);
    assert_eq!((p.abc.a.count, p.abc.a.revenue), (2, 1000));
    assert_eq!(
        (p.abc.b.count, p.abc.c.count, p.abc.c.revenue),
        (0, 1, -200)
    );
    // Gini on [0, 400, 600]: Σ i·x = 2·400 + 3·600 = 2600; 5200/3000 − 4/3 = 0.4.
    assert!((p.gini - 0.4).abs() < 1e-15, "{}", p.gini);
    assert_eq!(p.negative_count, 1);
    assert_eq!(p.negative_items[0].label, "z");
    assert_eq!(p.negative_items[0].revenue, -200);
}

#[test]
fn abc_boundaries_exactly_at_80_and_95_percent() {
    // 50, 30, 15, 5 (total 100): cumulative 50 %, 80 %, 95 %, 100 %.
    // count_for_80pct: 80 ≥ 80 at the 2nd item → 2.
    // ABC by the share *before* the item: 0 → A, 0.5 → A, 0.8 (not < 0.8, < 0.95) → B,
    // 0.95 (not < 0.95) → C.
    let (p, classes) = pareto::curve_with_classes(
        &items(&[("a", 5000), ("b", 3000), ("c", 1500), ("d", 500)]),
        &ParetoRules::default(),
    );
    assert_eq!(p.count_for_80pct, 2);
    assert_eq!(
        classes,
        vec![AbcClass::A, AbcClass::A, AbcClass::B, AbcClass::C]
    );
    let c = p.crossing.expect("crossing");
    assert_eq!((c.rank, c.item_share, c.revenue_share), (2, 0.5, 0.8));
    // The same with shares that are not exact in binary: 7, 1 of 10 → 0.7 then 0.8 exactly.
    let (p, classes) = pareto::curve_with_classes(
        &items(&[("a", 7), ("b", 1), ("c", 1), ("d", 1)]),
        &ParetoRules::default(),
    );
    // cum 0.7, 0.8 (= 80 % exactly in integers: 8·10⁹ ≥ 10·8·10⁸) → 2.
    assert_eq!(p.count_for_80pct, 2);
    // before 0, 0.7, 0.8, 0.9 → A, A, B, B (0.9 < 0.95).
    assert_eq!(
        classes,
        vec![AbcClass::A, AbcClass::A, AbcClass::B, AbcClass::B]
    );
}

#[test]
fn top_count_rounds_up_without_float_noise() {
    let r = ParetoRules::default();
    let many = |n: usize| -> Vec<(String, i64)> {
        (0..n)
            .map(|i| (format!("{i:03}"), 100 + i as i64))
            .collect()
    };
    // 0.2 × 15 = 3.0000000000000004 in binary: still 3.
    assert_eq!(pareto::curve(&many(15), &r).top_count, 3);
    assert_eq!(pareto::curve(&many(10), &r).top_count, 2);
    assert_eq!(pareto::curve(&many(11), &r).top_count, 3);
    assert_eq!(pareto::curve(&many(3), &r).top_count, 1);
    assert_eq!(pareto::curve(&many(1), &r).top_count, 1);
}

#[test]
fn curve_is_downsampled_with_first_last_and_crossing() {
    let rules = ParetoRules {
        curve_points: 5,
        ..ParetoRules::default()
    };
    // 100 items of 100 − i: total 5050; 80 % = 4040.
    let v: Vec<(String, i64)> = (0..100).map(|i| (format!("{i:03}"), 100 - i)).collect();
    let p = pareto::curve(&v, &rules);
    let ranks: Vec<usize> = p.curve.iter().map(|c| c.rank).collect();
    // Crossing: cum_k = k(201 − k)/2 ≥ 4040 → k = 56 (55: 4070? 55·146/2 = 4015 < 4040;
    // 56·145/2 = 4060 ≥ 4040).
    assert_eq!(p.count_for_80pct, 56);
    // step = ceil(100 / 4) = 25: 0, 25, 50, 75, 100, plus rank 1 and the crossing 56.
    assert_eq!(ranks, vec![0, 1, 25, 50, 56, 75, 100]);
    assert_eq!(p.curve.last().map(|c| c.revenue_share), Some(1.0));
    assert_eq!(p.curve[0].revenue_share, 0.0);
    let c56 = p
        .curve
        .iter()
        .find(|c| c.rank == 56)
        .expect("crossing point");
    assert!((c56.revenue_share - 4060.0 / 5050.0).abs() < 1e-15);
    assert_eq!(p.crossing.map(|c| c.rank), Some(56));
}

#[test]
fn all_zero_or_negative_revenue() {
    let p = pareto::curve(&items(&[("a", 0), ("b", -5)]), &ParetoRules::default());
    assert_eq!((p.count_for_80pct, p.top20_share, p.gini), (0, 0.0, 0.0));
    assert!(p.crossing.is_none());
    assert_eq!((p.abc.a.count, p.abc.b.count, p.abc.c.count), (0, 0, 2));
    assert_eq!(p.total, -5);
}

#[test]
fn all_equal_spend() {
    // 5 customers of 100: top count 1 → 20 %; 80 % reached at 4; Gini 0.
    // ABC: before-shares 0, .2, .4, .6 → A; .8 → B.
    let v = items(&[("a", 100), ("b", 100), ("c", 100), ("d", 100), ("e", 100)]);
    let (p, classes) = pareto::curve_with_classes(&v, &ParetoRules::default());
    assert!((p.top20_share - 0.2).abs() < 1e-15);
    assert_eq!(p.count_for_80pct, 4);
    assert!(p.gini.abs() < 1e-15);
    assert_eq!(classes[4], AbcClass::B);
    assert_eq!((p.abc.a.count, p.abc.b.count, p.abc.c.count), (4, 1, 0));
}

#[test]
fn pareto_run_on_customers_and_groups() {
    let as_of = d("2024-12-31");
    let mut recs = vec![
        rec("c1", d("2024-01-05"), 80_000),
        rec("c1", d("2024-03-05"), 20_000),
        rec("c2", d("2024-02-01"), 50_000),
        rec("c3", d("2024-02-01"), 10_000),
        rec("c3", d("2024-02-09"), -15_000),
    ];
    recs[0].service_type = Some("保养".into());
    recs[1].service_type = Some("维修".into());
    recs[2].service_type = Some("保养".into());
    // recs[3], recs[4]: no service type → the "" group.
    let mut fx = Fixture::new(recs, as_of);
    let (rep, classes) = pareto::run(&fx.ctx());
    // c1 100000, c2 50000, c3 −5000: positive 150000, cum 2/3 then 1 → count 2; A, A, C.
    assert_eq!(rep.customers.count_for_80pct, 2);
    assert_eq!(classes, vec![AbcClass::A, AbcClass::A, AbcClass::C]);
    assert!(rep.service_type.is_none() && rep.region.is_none());
    fx.map(Role::ServiceType, 3);
    let (rep, _) = pareto::run(&fx.ctx());
    let st = rep.service_type.clone().expect("mapped");
    // 保养 130000, 维修 20000, "" −5000.
    let labels: Vec<(&str, i64)> = st
        .top
        .iter()
        .map(|t| (t.label.as_str(), t.revenue))
        .collect();
    assert_eq!(
        labels,
        vec![("保养", 130_000), ("维修", 20_000), ("", -5_000)]
    );
    assert_eq!(st.negative_count, 1);
    // Group totals computed once and re-used give the same report.
    let totals = pareto::group_totals(&fx.ctx());
    assert_eq!(
        totals.service_type.as_deref(),
        Some(
            &[
                ("".to_string(), -5_000),
                ("保养".to_string(), 130_000),
                ("维修".to_string(), 20_000)
            ][..]
        )
    );
    assert!(totals.region.is_none());
    assert_eq!(
        pareto::run_with(&fx.ctx(), &totals).0.service_type.as_ref(),
        Some(&st)
    );
    // Serialised money is yuan.
    let json = serde_json::to_value(&st).expect("json");
    assert_eq!(json["total"], serde_json::json!(1450.0));
    // 保养 alone is 130000/150000 ≈ 86.7 % ≥ 80 %: A = {保养}.
    assert_eq!(json["abc"]["A"]["revenue"], serde_json::json!(1300.0));
    assert_eq!(json["top"][0]["class"], "A");
}

#[test]
fn pareto_single_customer() {
    let fx = Fixture::new(vec![rec("only", d("2024-01-01"), 12_345)], d("2024-01-01"));
    let (rep, classes) = pareto::run(&fx.ctx());
    let p = rep.customers;
    assert_eq!((p.items, p.top_count, p.count_for_80pct), (1, 1, 1));
    assert_eq!((p.top20_share, p.gini), (1.0, 0.0));
    assert_eq!(classes, vec![AbcClass::A]);
    let ranks: Vec<usize> = p.curve.iter().map(|c| c.rank).collect();
    assert_eq!(ranks, vec![0, 1]);
}

// ---------------------------------------------------------------------------------------------
// RFM

/// Ten customers c0..c9 (as_of 2024-12-31), each with F visits 10 days apart ending `recency`
/// days before as_of; the whole revenue is on the last visit (earlier visits are 0).
fn ten_customers() -> Fixture {
    let as_of = d("2024-12-31");
    // (recency days, visits, revenue fen)
    let spec: [(i64, i64, i64); 10] = [
        (0, 1, 100_000),
        (0, 1, 50_000),
        (10, 1, 50_000),
        (20, 1, 50_000),
        (30, 2, 20_000),
        (30, 2, 10_000),
        (30, 3, 0),
        (100, 4, -5_000),
        (200, 5, 300_000),
        (365, 6, 80_000),
    ];
    let mut recs = Vec::new();
    for (i, (r, f, m)) in spec.iter().enumerate() {
        let last = as_of - chrono::Duration::days(*r);
        for k in 0..*f {
            let date = last - chrono::Duration::days(10 * (f - 1 - k));
            let amount = if k == f - 1 { *m } else { 0 };
            recs.push(rec(&format!("c{i}"), date, amount));
        }
    }
    Fixture::new(recs, as_of)
}

#[test]
fn rfm_scores_for_ten_customers_by_hand() {
    let fx = ten_customers();
    let (sum, scores) = rfm::run(&fx.ctx());
    // score = 1 + floor(5·w/10), w = customers strictly worse.
    // R (days 0,0,10,20,30,30,30,100,200,365): 0 → w 8 → 5; 10 → w 7 → 4; 20 → w 6 → 4;
    //   30 → w 3 → 2; 100 → w 2 → 2; 200 → w 1 → 1; 365 → w 0 → 1.
    // F (1,1,1,1,2,2,3,4,5,6): 1 → 1; 2 → w 4 → 3; 3 → w 6 → 4; 4 → w 7 → 4; 5 → w 8 → 5;
    //   6 → w 9 → 5.
    // M (sorted −5000, 0, 10000, 20000, 50000×3, 80000, 100000, 300000): −5000 → 1; 0 → w 1
    //   → 1; 10000 → w 2 → 2; 20000 → w 3 → 2; 50000 → w 4 → 3; 80000 → w 7 → 4;
    //   100000 → w 8 → 5; 300000 → w 9 → 5.
    let got: Vec<(u8, u8, u8)> = scores.iter().map(|s| (s.r, s.f, s.m)).collect();
    assert_eq!(
        got,
        vec![
            (5, 1, 5),
            (5, 1, 3),
            (4, 1, 3),
            (4, 1, 3),
            (2, 3, 2),
            (2, 3, 2),
            (2, 4, 1),
            (2, 4, 1),
            (1, 5, 5),
            (1, 5, 4),
        ]
    );
    // Named: FM = ceil((F+M)/2): c0 R5 FM3 potential_loyalists; c1 R5 FM2 and c2, c3 R4 FM2
    // potential_loyalists; c4..c7 R2 FM3 at_risk; c8 R1 FM5, c9 R1 FM5 cant_lose_them.
    let named: Vec<&str> = scores.iter().map(|s| s.named.as_ref()).collect();
    assert_eq!(
        named,
        vec![
            "potential_loyalists",
            "potential_loyalists",
            "potential_loyalists",
            "potential_loyalists",
            "at_risk",
            "at_risk",
            "at_risk",
            "at_risk",
            "cant_lose_them",
            "cant_lose_them",
        ]
    );
    // 8 classes. Means: R 785/10 = 78.5, F 26/10 = 2.6, M 655000/10 = 65500.
    // R high (≤ 78.5): c0..c6; F high (≥ 2.6): c6..c9; M high (≥ 65500): c0, c8, c9.
    let classes: Vec<&str> = scores.iter().map(|s| s.rfm8.as_ref()).collect();
    assert_eq!(
        classes,
        vec![
            "important_develop",
            "general_develop",
            "general_develop",
            "general_develop",
            "general_develop",
            "general_develop",
            "general_value",
            "general_retain",
            "important_retain",
            "important_retain",
        ]
    );
    assert_eq!(sum.means.recency_days, 78.5);
    assert_eq!(sum.means.visits, 2.6);
    assert_eq!(sum.means.revenue, 65_500);
    assert_eq!(sum.rfm8["general_develop"].count, 5);
    assert_eq!(sum.rfm8["important_retain"].revenue, 380_000);
    assert_eq!(sum.rfm8["important_value"].count, 0);
    assert_eq!(sum.named["at_risk"].count, 4);
    assert_eq!(sum.named.len(), 11);
    // Heatmap [R−1][F−1]: R5F1 = c0, c1; R2F4 = c6, c7.
    assert_eq!(sum.heatmap[4][0].count, 2);
    assert_eq!(sum.heatmap[1][3].count, 2);
    assert_eq!(sum.heatmap[1][3].revenue, -5_000);
    let total: usize = sum.heatmap.iter().flatten().map(|c| c.count).sum();
    assert_eq!(total, 10);
}

#[test]
fn rfm_all_equal_and_single_customer_score_3() {
    // Single customer: every dimension all-equal → 3, 3, 3; equal to the means → all high →
    // important_value; R3 FM3 → need_attention.
    let fx = Fixture::new(vec![rec("a", d("2024-05-01"), 1_000)], d("2024-06-01"));
    let (_, s) = rfm::run(&fx.ctx());
    assert_eq!((s[0].r, s[0].f, s[0].m), (3, 3, 3));
    assert_eq!(s[0].rfm8, "important_value");
    assert_eq!(s[0].named, "need_attention");
    // Three customers, same spend and visits, different recency: F and M all 3, R ranked.
    let fx = Fixture::new(
        vec![
            rec("a", d("2024-05-01"), 1_000),
            rec("b", d("2024-05-10"), 1_000),
            rec("c", d("2024-05-20"), 1_000),
        ],
        d("2024-06-01"),
    );
    let (_, s) = rfm::run(&fx.ctx());
    // R: a (31 days) w 0 → 1; b (22) w 1 → 1 + 5/3 = 2; c (12) w 2 → 1 + 10/3 = 4.
    let got: Vec<(u8, u8, u8)> = s.iter().map(|x| (x.r, x.f, x.m)).collect();
    assert_eq!(got, vec![(1, 3, 3), (2, 3, 3), (4, 3, 3)]);
}

#[test]
fn rfm_score_function_ties() {
    // Larger is better. 1,1,1,1,1,1,2,3,3,9: 1 → 1 (w 0); 2 → 1 + 30/10 = 4; 3 → w 7 → 4;
    // 9 → w 9 → 5.
    let v: Vec<i64> = vec![1, 1, 1, 1, 1, 1, 2, 3, 3, 9];
    assert_eq!(rfm::scores(&v, 5), vec![1, 1, 1, 1, 1, 1, 4, 4, 4, 5]);
    assert_eq!(rfm::scores(&[7, 7], 5), vec![3, 3]);
    assert_eq!(rfm::scores(&[], 5), Vec::<u8>::new());
    // Two customers: worse one 1, better 1 + 5/2 = 3.
    assert_eq!(rfm::scores(&[1, 2], 5), vec![1, 3]);
}

#[test]
fn rfm8_value_equal_to_mean_is_high() {
    // Means: R 20, F 2, M 200. Row 0: R 10 ≤ 20 high, F 2 = mean high, M 100 low →
    // general_value. Row 1: R 30 low, F high, M 300 high → important_retain.
    assert_eq!(
        rfm::rfm8_classes(&[(10, 2, 100), (30, 2, 300)]),
        vec!["general_value", "important_retain"]
    );
    assert_eq!(
        rfm::rfm8_classes(&[(20, 1, 200), (20, 1, 200)]),
        vec!["important_value", "important_value"]
    );
    // Every combination.
    assert_eq!(rfm::rfm8_code(false, false, true), "important_winback");
    assert_eq!(rfm::rfm8_code(false, false, false), "general_winback");
    assert_eq!(rfm::rfm8_code(true, false, false), "general_develop");
    assert_eq!(rfm::rfm8_code(false, true, false), "general_retain");
}

#[test]
fn named_segment_grid() {
    let cases = [
        ((5, 5, 5), "champions"),
        ((5, 4, 3), "champions"),
        ((4, 5, 5), "loyal_customers"),
        ((3, 4, 4), "loyal_customers"),
        ((5, 2, 3), "potential_loyalists"),
        ((5, 1, 1), "new_customers"),
        ((4, 1, 1), "promising"),
        ((3, 3, 3), "need_attention"),
        ((3, 1, 2), "about_to_sleep"),
        ((2, 3, 4), "at_risk"),
        ((1, 5, 5), "cant_lose_them"),
        ((2, 1, 2), "hibernating"),
        ((1, 2, 1), "hibernating"),
        ((1, 1, 1), "lost"),
    ];
    for ((r, f, m), want) in cases {
        assert_eq!(rfm::named_segment(r, f, m, 5), want, "{r}{f}{m}");
    }
    // Other bin counts map to 1–5: with 10 bins, 10 → 5 and 1 → 1.
    assert_eq!(rfm::named_segment(10, 10, 10, 10), "champions");
    assert_eq!(rfm::named_segment(1, 1, 1, 10), "lost");
}

// ---------------------------------------------------------------------------------------------
// Pandas cross-check (Pareto + RFM)

fn synthetic() -> Fixture {
    let text = std::fs::read_to_string("tests/data/crosscheck/synthetic_transactions.csv")
        .expect("synthetic csv");
    let mut recs = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols.len(), 5, "{line}");
        let (yuan, fen) = cols[2].split_once('.').expect("two decimals");
        let neg = yuan.starts_with('-');
        let whole: i64 = yuan.trim_start_matches('-').parse().expect("yuan");
        let cents: i64 = fen.parse().expect("fen");
        let amount = (whole * 100 + cents) * if neg { -1 } else { 1 };
        let mut r = rec(cols[0], d(cols[1]), amount);
        r.service_type = (!cols[3].is_empty()).then(|| cols[3].to_string());
        r.region = (!cols[4].is_empty()).then(|| cols[4].to_string());
        recs.push(r);
    }
    let as_of = recs.iter().map(|r| r.date).max().expect("rows");
    let mut fx = Fixture::new(recs, as_of);
    fx.map(Role::ServiceType, 3);
    fx
}

fn check_pareto(ours: &pareto::ParetoResult, exp: &Value, what: &str) {
    assert_eq!(
        ours.items as u64,
        exp["items"].as_u64().unwrap_or(0),
        "{what} items"
    );
    assert_eq!(
        ours.total,
        exp["total_fen"].as_i64().unwrap_or(0),
        "{what} total"
    );
    assert_eq!(
        ours.positive_total,
        exp["positive_total_fen"].as_i64().unwrap_or(0),
        "{what} positive"
    );
    assert_eq!(
        ours.top_count as u64,
        exp["top_count"].as_u64().unwrap_or(0)
    );
    assert_rel(
        ours.top20_share,
        f(&exp["top20_share"]),
        1e-12,
        "top20_share",
    );
    assert_eq!(
        ours.count_for_80pct as u64,
        exp["count_for_80pct"].as_u64().unwrap_or(0),
        "{what} count_for_80pct"
    );
    assert_rel(
        ours.crossing.map(|c| c.revenue_share).unwrap_or(0.0),
        f(&exp["crossing_revenue_share"]),
        1e-12,
        "crossing",
    );
    assert_rel(ours.gini, f(&exp["gini"]), 1e-12, "gini");
    for (k, stat) in [("A", ours.abc.a), ("B", ours.abc.b), ("C", ours.abc.c)] {
        assert_eq!(
            stat.count as u64,
            exp["abc"][k]["count"].as_u64().unwrap_or(99)
        );
        assert_eq!(
            stat.revenue,
            exp["abc"][k]["revenue_fen"].as_i64().unwrap_or(0)
        );
    }
    assert_eq!(
        ours.negative_count as u64,
        exp["negative_count"].as_u64().unwrap_or(99)
    );
    let order: Vec<&str> = exp["order"]
        .as_array()
        .expect("order")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let top: Vec<&str> = ours.top.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(top, order[..top.len()], "{what} order");
}

#[test]
fn pandas_crosscheck_pareto_and_rfm() {
    let exp = load_json("tests/data/crosscheck/pareto_rfm.json");
    let fx = synthetic();
    assert_eq!(fx.as_of.to_string(), exp["as_of"].as_str().unwrap_or(""));
    let ctx = fx.ctx();
    let (pr, classes) = pareto::run(&ctx);
    check_pareto(&pr.customers, &exp["pareto_customers"], "customers");
    check_pareto(
        pr.service_type.as_ref().expect("service type mapped"),
        &exp["pareto_service_type"],
        "service_type",
    );
    let (sum, scores) = rfm::run(&ctx);
    let custs = exp["customers"].as_object().expect("customers");
    assert_eq!(custs.len(), fx.customers.len());
    for (i, c) in fx.customers.iter().enumerate() {
        let e = &custs[&c.id];
        assert_eq!(
            c.revenue,
            e["revenue_fen"].as_i64().unwrap_or(0),
            "{}",
            c.id
        );
        assert_eq!(c.visits.len() as u64, e["visits"].as_u64().unwrap_or(0));
        assert_eq!(
            c.recency_days(fx.as_of),
            e["recency_days"].as_i64().unwrap_or(-1)
        );
        let s = &scores[i];
        let want = (
            e["r"].as_u64().unwrap_or(0) as u8,
            e["f"].as_u64().unwrap_or(0) as u8,
            e["m"].as_u64().unwrap_or(0) as u8,
        );
        assert_eq!((s.r, s.f, s.m), want, "scores of {}", c.id);
        assert_eq!(s.rfm8, e["rfm8"].as_str().unwrap_or(""), "rfm8 of {}", c.id);
        assert_eq!(
            s.named,
            e["named"].as_str().unwrap_or(""),
            "named of {}",
            c.id
        );
        let abc = match classes[i] {
            AbcClass::A => "A",
            AbcClass::B => "B",
            AbcClass::C => "C",
        };
        assert_eq!(abc, e["abc"].as_str().unwrap_or(""), "abc of {}", c.id);
    }
    assert_rel(
        sum.means.recency_days,
        f(&exp["means"]["recency_days"]),
        1e-12,
        "mean R",
    );
    assert_rel(
        sum.means.visits,
        f(&exp["means"]["visits"]),
        1e-12,
        "mean F",
    );
    for (k, v) in exp["rfm8_counts"].as_object().expect("rfm8") {
        assert_eq!(sum.rfm8[k].count as u64, v.as_u64().unwrap_or(0), "{k}");
    }
    for (k, v) in exp["named_counts"].as_object().expect("named") {
        assert_eq!(sum.named[k].count as u64, v.as_u64().unwrap_or(0), "{k}");
    }
    let n8: usize = sum.rfm8.values().map(|s| s.count).sum();
    assert_eq!(n8, fx.customers.len());
}

// ---------------------------------------------------------------------------------------------
// CLV

#[test]
fn special_functions() {
    assert!(clv::ln_gamma(1.0).abs() < 1e-15);
    assert!(clv::ln_gamma(2.0).abs() < 1e-15);
    assert_rel(
        clv::ln_gamma(0.5),
        0.5 * std::f64::consts::PI.ln(),
        1e-14,
        "lnΓ(½)",
    );
    assert_rel(clv::ln_gamma(10.0), 362_880f64.ln(), 1e-14, "lnΓ(10)");
    assert_rel(
        clv::ln_gamma(100.0),
        359.134_205_369_575_4,
        1e-14,
        "lnΓ(100)",
    );
    assert_rel(clv::ln_gamma(0.1), 2.252_712_651_734_206, 1e-14, "lnΓ(0.1)");
    assert_rel(clv::ln_gamma(7.3), 7.147_892_523_022_249, 1e-14, "lnΓ(7.3)");
    // Reference values from scipy.special.
    assert_rel(
        clv::ln_gamma(1e-5),
        11.512_919_692_895_826,
        1e-14,
        "lnΓ(1e-5)",
    );
    assert_rel(
        clv::ln_gamma(25.5),
        56.389_167_643_719_94,
        1e-14,
        "lnΓ(25.5)",
    );
    assert_rel(clv::ln_gamma(3.7), 1.428_072_326_665_388, 1e-14, "lnΓ(3.7)");
    assert_rel(
        clv::digamma(0.01),
        -100.560_885_457_868_68,
        1e-14,
        "ψ(0.01)",
    );
    assert_rel(clv::digamma(1.0), -0.577_215_664_901_532_9, 1e-14, "ψ(1)");
    assert_rel(clv::digamma(0.5), -1.963_510_026_021_423_5, 1e-14, "ψ(½)");
    assert_rel(clv::digamma(10.0), 2.251_752_589_066_721, 1e-14, "ψ(10)");
}

/// (id, x, t_x, T) from cdnow_customers_summary.csv.
fn cdnow_weeks() -> Vec<(u64, f64, f64, f64)> {
    let text = std::fs::read_to_string("tests/data/cdnow/cdnow_customers_summary.csv")
        .expect("cdnow summary");
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<f64> = l.split(',').map(|v| v.parse().expect("number")).collect();
            (c[0] as u64, c[1], c[2], c[3])
        })
        .collect()
}

#[test]
fn cdnow_bgnbd_matches_lifetimes() {
    let exp = load_json("tests/data/crosscheck/clv_cdnow.json");
    let e = &exp["bgnbd_weeks"];
    let rows = cdnow_weeks();
    let data: Vec<(f64, f64, f64)> = rows.iter().map(|r| (r.1, r.2, r.3)).collect();
    assert_eq!(data.len(), 2357);
    let p = clv::fit_bgnbd(&data).expect("fit");
    // lifetimes 0.11.3: r 0.242593, α 4.413532, a 0.792886, b 2.425752 (FHL 2005 publish
    // r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4).
    for (name, ours) in [("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)] {
        assert_rel(ours, f(&e["lifetimes"][name]), 1e-3, name);
        // And the tight scipy re-fit of the same likelihood, much closer.
        assert_rel(ours, f(&e["tight"][name]), 1e-5, name);
    }
    assert_rel(p.log_likelihood, f(&e["lifetimes_ll"]), 1e-6, "LL");
    assert_rel(p.log_likelihood, -9582.4256, 1e-7, "LL published");
    // The likelihood function itself, at lifetimes' parameters.
    let lp = [
        f(&e["lifetimes"]["r"]),
        f(&e["lifetimes"]["alpha"]),
        f(&e["lifetimes"]["a"]),
        f(&e["lifetimes"]["b"]),
    ];
    assert_rel(
        clv::bgnbd_log_likelihood(lp, &data),
        f(&e["lifetimes_ll"]),
        1e-12,
        "LL at lifetimes' params",
    );
    let at_lifetimes = clv::BgNbdParams {
        r: lp[0],
        alpha: lp[1],
        a: lp[2],
        b: lp[3],
        log_likelihood: 0.0,
    };
    for s in e["sample"].as_array().expect("sample") {
        let (x, tx, t) = (f(&s["x"]), f(&s["t_x"]), f(&s["T"]));
        let id = s["id"].as_u64().unwrap_or(0);
        // Same parameters: the formulas agree with lifetimes/scipy to rounding.
        assert_rel(
            clv::p_alive(&at_lifetimes, x, tx, t),
            f(&s["p_alive"]),
            1e-12,
            &format!("p_alive {id}"),
        );
        assert_rel(
            clv::expected_visits(&at_lifetimes, 39.0, x, tx, t),
            f(&s["expected_39"]),
            1e-10,
            &format!("E[39] {id}"),
        );
        assert_rel(
            clv::expected_visits(&at_lifetimes, 52.0, x, tx, t),
            f(&s["expected_52"]),
            1e-10,
            &format!("E[52] {id}"),
        );
        // Our fit.
        assert_rel(
            clv::p_alive(&p, x, tx, t),
            f(&s["p_alive"]),
            1e-4,
            &format!("our p_alive {id}"),
        );
        assert_rel(
            clv::expected_visits(&p, 52.0, x, tx, t),
            f(&s["expected_52"]),
            1e-4,
            &format!("our E[52] {id}"),
        );
    }
}

#[test]
fn cdnow_gamma_gamma_matches_lifetimes() {
    let exp = load_json("tests/data/crosscheck/clv_cdnow.json");
    let e = &exp["gamma_gamma"];
    let text =
        std::fs::read_to_string("tests/data/cdnow/cdnow_customers_summary_with_transactions.csv")
            .expect("cdnow monetary");
    let data: Vec<(f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<f64> = l.split(',').map(|v| v.parse().expect("number")).collect();
            (c[1], c[4])
        })
        .filter(|(x, _)| *x > 0.0)
        .collect();
    assert_eq!(data.len() as u64, e["customers"].as_u64().unwrap_or(0));
    let g = clv::fit_gamma_gamma(&data).expect("fit");
    // lifetimes: p 6.248802, q 3.744588, v 15.447748.
    for (name, ours) in [("p", g.p), ("q", g.q), ("v", g.v)] {
        assert_rel(ours, f(&e["lifetimes"][name]), 1e-3, name);
        assert_rel(ours, f(&e["tight"][name]), 1e-5, name);
    }
    assert_rel(g.log_likelihood, f(&e["lifetimes_ll"]), 1e-6, "GG LL");
    let lp = [
        f(&e["lifetimes"]["p"]),
        f(&e["lifetimes"]["q"]),
        f(&e["lifetimes"]["v"]),
    ];
    assert_rel(
        clv::gamma_gamma_log_likelihood(lp, &data),
        f(&e["lifetimes_ll"]),
        1e-12,
        "GG LL at lifetimes' params",
    );
    let at = clv::GammaGammaParams {
        p: lp[0],
        q: lp[1],
        v: lp[2],
        log_likelihood: 0.0,
    };
    for s in e["sample"].as_array().expect("sample") {
        let (x, m) = (f(&s["x"]), f(&s["m"]));
        assert_rel(
            clv::expected_average_value(&at, x, m),
            f(&s["expected_avg"]),
            1e-12,
            "E[avg] at lifetimes' params",
        );
        assert_rel(
            clv::expected_average_value(&g, x, m),
            f(&s["expected_avg"]),
            1e-4,
            "our E[avg]",
        );
    }
}

/// The CDNOW sample transactions as service records (amounts in fen).
fn cdnow_transactions() -> Fixture {
    let text = std::fs::read_to_string("tests/data/cdnow/CDNOW_sample.txt").expect("cdnow");
    let recs: Vec<Rec> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            let date = NaiveDate::parse_from_str(c[2], "%Y%m%d").expect("date");
            let amount: f64 = c[4].parse().expect("amount");
            rec(c[0], date, (amount * 100.0).round() as i64)
        })
        .collect();
    Fixture::new(recs, d("1998-06-30"))
}

#[test]
fn cdnow_end_to_end_in_days_matches_lifetimes() {
    let exp = load_json("tests/data/crosscheck/clv_cdnow.json");
    let e = &exp["days_end_to_end"];
    let fx = cdnow_transactions();
    let rep = clv::run(&fx.ctx()).expect("clv");
    assert_eq!(
        rep.customers_fitted as u64,
        e["customers"].as_u64().unwrap_or(0)
    );
    assert_eq!(rep.horizon_days, 365);
    let b = rep.bgnbd;
    for (name, ours) in [("r", b.r), ("alpha", b.alpha), ("a", b.a), ("b", b.b)] {
        assert_rel(ours, f(&e["bgnbd_lifetimes"][name]), 1e-3, name);
        assert_rel(ours, f(&e["bgnbd_tight"][name]), 1e-5, name);
    }
    assert_rel(
        b.log_likelihood,
        f(&e["bgnbd_lifetimes_ll"]),
        1e-6,
        "LL days",
    );
    assert_eq!(rep.value_model, clv::ValueModel::GammaGamma);
    let g = rep.gamma_gamma.expect("gamma-gamma");
    // Our fit is in fen, lifetimes' in yuan: v scales by 100.
    assert_rel(g.p, f(&e["gg_lifetimes"]["p"]), 1e-3, "p");
    assert_rel(g.q, f(&e["gg_lifetimes"]["q"]), 1e-3, "q");
    assert_rel(g.v / 100.0, f(&e["gg_lifetimes"]["v"]), 1e-3, "v");
    assert_rel(g.v / 100.0, f(&e["gg_tight"]["v"]), 1e-5, "v tight");
    assert_rel(
        rep.mean_p_alive,
        f(&e["mean_p_alive"]),
        1e-4,
        "mean p_alive",
    );
    assert_rel(
        rep.total_expected_visits,
        f(&e["sum_expected_365"]),
        1e-4,
        "Σ E[365]",
    );
    assert_rel(
        rep.total_expected_value as f64 / 100.0,
        f(&e["sum_clv_365"]),
        1e-4,
        "Σ CLV",
    );
    for s in e["sample"].as_array().expect("sample") {
        let id = s["id"].as_str().unwrap_or("");
        let c = rep.customers[fx.index(id)].as_ref().expect("scored");
        assert_eq!(f64::from(c.frequency), f(&s["x"]), "{id}");
        assert_eq!(c.recency_days as f64, f(&s["t_x"]), "{id}");
        assert_eq!(c.age_days as f64, f(&s["T"]), "{id}");
        assert!((c.monetary as f64 / 100.0 - f(&s["monetary"])).abs() <= 0.005);
        assert_rel(c.p_alive, f(&s["p_alive"]), 1e-4, &format!("p_alive {id}"));
        assert_rel(
            c.expected_visits,
            f(&s["expected_365"]),
            1e-4,
            &format!("E[365] {id}"),
        );
        let avg = c.expected_avg_value as f64 / 100.0;
        assert!((avg - f(&s["expected_avg"])).abs() <= 0.01, "avg {id}");
        let value = c.expected_value as f64 / 100.0;
        assert!(
            (value - f(&s["clv"])).abs() <= 0.01 + 1e-4 * value,
            "clv {id}"
        );
    }
    // Serialised: money in yuan, every customer present.
    let json = serde_json::to_value(&rep).expect("json");
    assert_eq!(
        json["customers"].as_array().map(|a| a.len()),
        Some(fx.customers.len())
    );
}

#[test]
fn clv_needs_enough_customers() {
    let fx = Fixture::new(
        vec![
            rec("a", d("2024-01-01"), 100),
            rec("a", d("2024-02-01"), 100),
            rec("b", d("2024-01-05"), 100),
        ],
        d("2024-06-01"),
    );
    let err = clv::run(&fx.ctx()).expect_err("too few");
    assert!(err.contains("too few customers"), "{err}");
    // No repeat visit at all.
    let recs: Vec<Rec> = (0..30)
        .map(|i| rec(&format!("c{i:02}"), d("2024-01-01"), 100))
        .collect();
    let fx = Fixture::new(recs, d("2024-06-01"));
    let err = clv::run(&fx.ctx()).expect_err("no repeats");
    assert!(err.contains("repeat"), "{err}");
}

#[test]
fn clv_falls_back_to_the_pooled_mean_without_gamma_gamma() {
    // 30 customers, 5 of them with repeat visits: too few (< 10) for Gamma-Gamma.
    let mut recs = Vec::new();
    for i in 0..30 {
        let id = format!("c{i:02}");
        recs.push(rec(
            &id,
            d("2024-01-01") + chrono::Duration::days(i),
            10_000,
        ));
        if i < 5 {
            // Repeat days: c00 has 2 × 20000 (days 40, 80), the others 1 × 30000 (day 60).
            if i == 0 {
                recs.push(rec(&id, d("2024-02-10"), 20_000));
                recs.push(rec(&id, d("2024-03-21"), 20_000));
            } else {
                recs.push(rec(
                    &id,
                    d("2024-03-01") + chrono::Duration::days(i),
                    30_000,
                ));
            }
        }
    }
    let fx = Fixture::new(recs, d("2024-06-30"));
    let fit = clv::fit(&fx.ctx()).expect("fit");
    // So few repeats carry no information on how the drop-out probability varies: the fit
    // runs to the a, b → ∞ ridge, which is reported and still gives usable predictions.
    assert!(fit.bgnbd_note.is_some(), "{:?}", fit.bgnbd);
    assert!(fit.gamma_gamma.is_none());
    assert!(fit
        .gamma_gamma_note
        .as_deref()
        .unwrap_or("")
        .contains("too few"));
    // Pooled mean of repeat days: (2·20000 + 4·30000) / (2 + 4) = 160000/6 ≈ 26666.67 fen.
    assert!((fit.pooled_mean - 160_000.0 / 6.0).abs() < 1e-9);
    let rep = clv::score(&fit, 365);
    assert_eq!(rep.value_model, clv::ValueModel::PooledMean);
    assert_eq!(rep.customers_fitted, 30);
    assert_eq!(rep.repeat_customers, 5);
    for c in rep.customers.iter().flatten() {
        assert_eq!(c.expected_avg_value, 26_667);
        assert!(c.p_alive > 0.0 && c.p_alive <= 1.0);
        assert!(c.expected_visits >= 0.0 && c.expected_visits.is_finite());
    }
    // A longer horizon re-scores without re-fitting and expects more.
    let longer = clv::score(&fit, 730);
    assert!(longer.total_expected_visits > rep.total_expected_visits);
    assert_eq!(longer.bgnbd, rep.bgnbd);
}

#[test]
fn clv_history_groups_days_and_ignores_visits_after_as_of() {
    // Three visits on 01-01 (two orders), 01-11 and 02-01; one after as_of.
    let mut recs = vec![
        rec("a", d("2024-01-01"), 10_000),
        rec("a", d("2024-01-01"), 5_000),
        rec("a", d("2024-01-11"), 2_000),
        rec("a", d("2024-02-01"), -1_000),
        rec("a", d("2024-03-01"), 99_999),
    ];
    recs[0].order_id = Some("o1".into());
    recs[1].order_id = Some("o2".into());
    recs[2].order_id = Some("o3".into());
    recs[3].order_id = Some("o4".into());
    recs[4].order_id = Some("o5".into());
    let fx = Fixture::new(recs, d("2024-02-15"));
    let h = clv::history(&fx.customers[0], fx.as_of).expect("history");
    // Days: 01-01 (15000), 01-11 (2000), 02-01 (−1000) → x 2, t_x 31, T 45,
    // monetary (2000 − 1000)/2 = 500.
    assert_eq!((h.x, h.t_x, h.age, h.monetary), (2.0, 31.0, 45.0, 500.0));
    assert!(clv::history(&fx.customers[0], d("2023-12-31")).is_none());
}

#[test]
fn expected_visits_edge_cases() {
    let p = clv::BgNbdParams {
        r: 0.24,
        alpha: 4.4,
        a: 1.0,
        b: 2.4,
        log_likelihood: 0.0,
    };
    // a = 1 exactly: the a → 1 limit, finite, and continuous with a = 1 ± 1e-9.
    let mid = clv::expected_visits(&p, 52.0, 2.0, 30.0, 39.0);
    let lo = clv::expected_visits(
        &clv::BgNbdParams { a: 1.0 - 1e-9, ..p },
        52.0,
        2.0,
        30.0,
        39.0,
    );
    let hi = clv::expected_visits(
        &clv::BgNbdParams { a: 1.0 + 1e-9, ..p },
        52.0,
        2.0,
        30.0,
        39.0,
    );
    assert!(mid.is_finite() && mid > 0.0);
    assert_rel(lo, mid, 1e-7, "a→1⁻");
    assert_rel(hi, mid, 1e-7, "a→1⁺");
    // Many visits, far horizon: still finite.
    let big = clv::expected_visits(&p, 3650.0, 300.0, 700.0, 700.0);
    assert!(big.is_finite() && big > 0.0, "{big}");
    // No time ahead: nothing expected.
    assert_eq!(clv::expected_visits(&p, 0.0, 2.0, 30.0, 39.0), 0.0);
}

// ---------------------------------------------------------------------------------------------
// Migration

#[test]
fn migration_by_hand() {
    let as_of = d("2024-12-31");
    // 180 days before 2024-12-31: 27 (Jul 5–31) + 31 + 30 + 31 + 30 + 31 = 180 → 2024-07-04.
    assert_eq!(migration::default_split(as_of), d("2024-07-04"));
    let fx = Fixture::new(
        vec![
            rec("A", d("2024-01-01"), 1_000),
            rec("A", d("2024-06-01"), 1_000),
            rec("A", d("2024-12-01"), 5_000),
            rec("B", d("2024-02-01"), 500),
            rec("C", d("2024-10-01"), 800),
            rec("D", d("2024-06-20"), 3_000),
        ],
        as_of,
    );
    let m = migration::run(&fx.ctx(), d("2024-06-30"));
    // From (split 06-30): A R29 F2 M2000; B R150 F1 M500; D R10 F1 M3000; C new.
    //   Means R 63, F 4/3, M 5500/3 ≈ 1833: A important_value, B general_winback,
    //   D important_develop.
    // To (as_of 12-31): A R30 F3 M7000; B R334 F1 M500; C R91 F1 M800; D R194 F1 M3000.
    //   Means R 162.25, F 1.5, M 2825: A important_value, B general_winback,
    //   C general_develop, D important_winback.
    assert_eq!(m.matrix["important_value"]["important_value"], 1);
    assert_eq!(m.matrix["general_winback"]["general_winback"], 1);
    assert_eq!(m.matrix["new"]["general_develop"], 1);
    assert_eq!(m.matrix["important_develop"]["important_winback"], 1);
    assert_eq!((m.stayed, m.moved_count, m.new_count), (2, 2, 1));
    let moved: Vec<(&str, &str, &str)> = m
        .moved
        .iter()
        .map(|x| (x.id.as_str(), x.from.as_ref(), x.to.as_ref()))
        .collect();
    assert_eq!(
        moved,
        vec![
            ("C", "new", "general_develop"),
            ("D", "important_develop", "important_winback"),
        ]
    );
    // The to-side equals rfm::run's classes.
    let (_, scores) = rfm::run(&fx.ctx());
    let to: Vec<&str> = scores.iter().map(|s| s.rfm8.as_ref()).collect();
    assert_eq!(
        to,
        vec![
            "important_value",
            "general_winback",
            "general_develop",
            "important_winback"
        ]
    );
}
