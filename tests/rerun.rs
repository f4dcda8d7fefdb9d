//! Re-running the analyses after a rule change re-uses what was gathered from the records
//! (`Prepared::cache`); the Report must be exactly the one a fresh run gives.

use chrono::NaiveDate;
use dealerlens::engine::{self, demo, AnalyzeOptions, Loaded, Prepared, Report};

fn demo_prepared() -> (Loaded, Prepared) {
    let opts = demo::DemoOptions {
        customers: 400,
        ..Default::default()
    };
    let loaded = Loaded::from_table(demo::demo_table(&opts), None).expect("demo loads");
    let prepared = engine::prepare(&loaded, &loaded.detected).expect("demo prepares");
    (loaded, prepared)
}

fn json(r: &Report) -> serde_json::Value {
    serde_json::to_value(r).expect("serialises")
}

/// One rule change per section (and the reference date and migration split).
fn variants() -> Vec<(&'static str, AnalyzeOptions)> {
    let base = AnalyzeOptions::default();
    let with = |f: &dyn Fn(&mut AnalyzeOptions)| {
        let mut o = base.clone();
        f(&mut o);
        o
    };
    vec![
        ("pareto", with(&|o| o.rules.pareto.a_share = 0.6)),
        ("value", with(&|o| o.rules.value.ticket_high = 300.0)),
        (
            "value series",
            with(&|o| {
                for s in ["凯锐K3", "凯锐K5", "凯锐X7", "凯锐M8"] {
                    o.rules.value.series_ticket.insert(s.into(), [200.0, 50.0]);
                }
            }),
        ),
        ("rfm", with(&|o| o.rules.rfm.bins = 3)),
        ("lifecycle", with(&|o| o.rules.lifecycle.at_risk_days = 120)),
        ("lost", with(&|o| o.rules.lifecycle.lost_days = 300)),
        ("win-back", with(&|o| o.rules.lifecycle.win_back_days = 60)),
        ("new", with(&|o| o.rules.lifecycle.new_days = 200)),
        ("loyalty", with(&|o| o.rules.loyalty.loyal_visits = 2)),
        ("member", with(&|o| o.rules.member.gold_visits = 6)),
        ("habit", with(&|o| o.rules.habit.irregular_cv = 0.3)),
        ("vehicle", with(&|o| o.rules.vehicle.warranty_years = 5.0)),
        ("mileage", with(&|o| o.rules.mileage.max_km_per_day = 60.0)),
        (
            "reminders",
            with(&|o| o.rules.reminders.interval_months = 4),
        ),
        (
            "sms window",
            with(&|o| o.rules.reminders.sms_days_before = 40),
        ),
        (
            "callback window",
            with(&|o| o.rules.reminders.callback_max_days = 30),
        ),
        (
            "first service",
            with(&|o| o.rules.reminders.first_service_within_days = 2000),
        ),
        (
            "need",
            with(&|o| {
                o.rules
                    .need
                    .keywords
                    .insert("repair".into(), vec!["保养".into()]);
            }),
        ),
        ("clv horizon", with(&|o| o.rules.clv.horizon_days = 90)),
        (
            "clv minimum",
            with(&|o| o.rules.clv.min_customers = 100_000),
        ),
        (
            "migration split",
            with(&|o| o.migration_split = NaiveDate::from_ymd_opt(2024, 6, 30)),
        ),
        (
            "as_of",
            with(&|o| o.as_of = NaiveDate::from_ymd_opt(2025, 3, 31)),
        ),
    ]
}

#[test]
fn rule_changes_on_a_cached_basis_give_the_fresh_report() {
    let (loaded, prepared) = demo_prepared();
    let base = json(&engine::report(
        &loaded,
        &prepared,
        &AnalyzeOptions::default(),
    ));
    for (name, opts) in variants() {
        // `prepared` keeps its cache from the runs before; a clone starts empty.
        let cached = json(&engine::report(&loaded, &prepared, &opts));
        let fresh = json(&engine::report(&loaded, &prepared.clone(), &opts));
        // (plain asserts: the reports are too long to print)
        assert!(
            cached == fresh,
            "{name}: cached run differs from a fresh one"
        );
        assert!(
            cached != base,
            "{name}: the change should show in the report"
        );
        // and back: the default rules again give the first report
        let again = json(&engine::report(
            &loaded,
            &prepared,
            &AnalyzeOptions::default(),
        ));
        assert!(again == base, "{name}: back to the defaults");
    }
}

#[test]
fn rule_changes_one_after_another_give_the_fresh_report() {
    // Each change is kept for the next, so the memoised sections meet rules in combinations
    // they were not computed with.
    let (loaded, prepared) = demo_prepared();
    let mut opts = AnalyzeOptions::default();
    let mut seen = vec![json(&engine::report(&loaded, &prepared, &opts))];
    for (name, changed) in variants() {
        let d = AnalyzeOptions::default();
        let r = &changed.rules;
        let o = &mut opts.rules;
        macro_rules! take {
            ($($section:ident),*) => {
                $(if r.$section != d.rules.$section {
                    o.$section = r.$section.clone();
                })*
            };
        }
        take!(
            pareto, value, rfm, lifecycle, loyalty, member, habit, vehicle, mileage, reminders,
            need, clv
        );
        if changed.migration_split.is_some() {
            opts.migration_split = changed.migration_split;
        }
        if changed.as_of.is_some() {
            opts.as_of = changed.as_of;
        }
        let cached = json(&engine::report(&loaded, &prepared, &opts));
        let fresh = json(&engine::report(&loaded, &prepared.clone(), &opts));
        assert!(
            cached == fresh,
            "{name}: cached run differs from a fresh one"
        );
        seen.push(cached);
    }
    // every step changed something
    for (k, pair) in seen.windows(2).enumerate() {
        assert!(pair[0] != pair[1], "step {k} changed nothing");
    }
}

#[test]
fn pareto_with_the_basis_order_is_pareto_without_it() {
    use dealerlens::engine::analysis::{self, pareto};
    let (_, prepared) = demo_prepared();
    let ex = &prepared.extraction;
    let rules = engine::rules::Rules::default();
    let ctx = analysis::Context {
        records: &ex.records,
        strings: &ex.strings,
        customers: &prepared.customers,
        mapping: &prepared.mapping,
        rules: &rules,
        as_of: engine::customers::latest_date(&ex.records).expect("records"),
    };
    let basis = analysis::Basis::new(&ctx);
    let plain = pareto::run_with(&ctx, &basis.groups);
    assert_eq!(pareto::run_cached(&ctx, &basis.groups, &basis.order), plain);
    // An order that is not a permutation of the customers is ignored.
    let n = prepared.customers.len();
    let mut repeated = basis.order.clone();
    repeated[1] = repeated[0];
    let mut reversed = basis.order.clone();
    reversed.reverse();
    for bad in [Vec::new(), basis.order[1..].to_vec(), repeated, vec![n; n]] {
        assert_eq!(pareto::run_cached(&ctx, &basis.groups, &bad), plain);
    }
    // A different permutation is taken as given (it is the caller's rank order).
    assert_eq!(
        pareto::run_cached(&ctx, &basis.groups, &reversed).1.len(),
        n
    );
}

#[test]
fn a_shed_table_keeps_the_preview_and_the_report_but_refuses_to_prepare() {
    let (mut loaded, prepared) = demo_prepared();
    let rows = loaded.table.len();
    let preview = loaded.preview(&loaded.detected, 8);
    let report = json(&engine::report(
        &loaded,
        &prepared,
        &AnalyzeOptions::default(),
    ));
    let changed = variants().remove(0).1;
    let report2 = json(&engine::report(&loaded, &prepared, &changed));

    loaded.shed(8);
    assert!(loaded.shed);
    // The rows above the header, the header and eight rows: the demo has no blank rows.
    assert_eq!(loaded.table.len(), loaded.header_row + 1 + 8);
    assert!(rows > 400, "{rows}");
    assert_eq!(loaded.preview(&loaded.detected, 8), preview);
    // Rule changes still run on the prepared records, with the same Report as before.
    assert!(
        json(&engine::report(
            &loaded,
            &prepared,
            &AnalyzeOptions::default()
        )) == report
    );
    assert!(json(&engine::report(&loaded, &prepared, &changed)) == report2);
    match engine::prepare(&loaded, &loaded.detected) {
        Err(engine::EngineError::Internal { .. }) => {}
        other => panic!("prepare on a shed table: {:?}", other.map(|_| ())),
    }
}

#[test]
fn shedding_counts_only_non_blank_rows_for_the_preview() {
    use dealerlens::engine::{Cell, Columns, Format, RawTable};
    let t = |s: &str| Cell::Text(s.to_string());
    let rows = vec![
        vec![t("title")],
        vec![t("客户编号"), t("结算日期"), t("实收金额")],
        vec![t("C1"), t("2024-01-02"), Cell::Number(100.0)],
        vec![],
        vec![Cell::Empty, t("  ")],
        vec![t("C2"), t("2024-02-03"), Cell::Number(50.0)],
        vec![t("C3"), t("2024-03-04"), Cell::Number(70.0)],
    ];
    let table = RawTable {
        format: Format::Csv,
        sheet: None,
        sheets: vec![],
        encoding: Some("utf-8".into()),
        date_1904: false,
        cells: Columns::from_rows(rows),
    };
    let mut loaded = Loaded::from_table(table, Some(2)).expect("loads");
    let preview = loaded.preview(&loaded.detected, 2);
    assert_eq!(preview.rows.len(), 2);
    loaded.shed(2);
    // Title, header, C1, the two blank rows, C2: C3 is released.
    assert_eq!(loaded.table.len(), 6);
    assert_eq!(loaded.preview(&loaded.detected, 2), preview);
}
