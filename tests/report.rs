//! The Report from tables built in memory: header detection, role detection, every row
//! accounted for, totals and per-customer basics. Expected numbers are worked out by hand in
//! the comments.

use chrono::NaiveDate;
use dealerlens::engine::{
    analyze, mapping, AnalyzeOptions, Cell, EngineError, Format, Loaded, RawTable, Role,
};

fn t(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

fn n(x: f64) -> Cell {
    Cell::Number(x)
}

fn table(rows: Vec<Vec<Cell>>) -> RawTable {
    RawTable {
        format: Format::Xlsx,
        sheet: Some("Sheet1".into()),
        sheets: vec!["Sheet1".into()],
        encoding: None,
        date_1904: false,
        cells: dealerlens::engine::Columns::from_rows(rows),
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A typical DMS export: a title row, a blank row, the header, order lines, a refund, an
/// Excel serial date, bad rows of every kind and a 合计 row.
fn dms_export() -> RawTable {
    table(vec![
        vec![t("XX汽车4S店 维修结算明细")],
        vec![],
        vec![
            t("工单号"),
            t("结算日期"),
            t("客户名称"),
            t("联系电话"),
            t("车牌号"),
            t("实收金额（元）"),
        ],
        // row 4-5: one order WX001 on two lines: 1280.00 + 20.50 = 1300.50
        vec![
            t("WX001"),
            t("2024年3月5日"),
            t("张三"),
            t("13800138000"),
            t("粤B12345"),
            t("¥1,280.00"),
        ],
        vec![
            t("WX001"),
            t("2024-03-05"),
            t("张三"),
            t("13800138000"),
            t("粤B12345"),
            t("20.50"),
        ],
        // row 6: a refund on a later order
        vec![
            t("WX002"),
            t("2024/4/1"),
            t("张三"),
            t("13800138000"),
            t("粤B12345"),
            t("-100"),
        ],
        // row 7: serial 45356 = 2024-03-05; phone stored as a number
        vec![
            t("WX003"),
            n(45356.0),
            t("李四"),
            n(13900139000.0),
            t("粤B54321"),
            n(300.0),
        ],
        // row 8: blank
        vec![t(""), t(""), t(""), t(""), t(""), t("")],
        // row 9: month 13
        vec![
            t("WX004"),
            t("2024-13-01"),
            t("李四"),
            t("13900139000"),
            t("粤B54321"),
            t("50"),
        ],
        // row 10: no phone (the key column)
        vec![
            t("WX005"),
            t("2024-05-01"),
            t("王五"),
            t(""),
            t("粤B00001"),
            t("88"),
        ],
        // row 11: amount is not a number
        vec![
            t("WX006"),
            t("2024-05-02"),
            t("赵六"),
            t("13700137000"),
            t(""),
            t("abc"),
        ],
        // row 12: no date
        vec![
            t("WX007"),
            t(""),
            t("赵六"),
            t("13700137000"),
            t(""),
            t("10"),
        ],
        // row 13: totals
        vec![t("合计"), t(""), t(""), t(""), t(""), t("1648.50")],
    ])
}

#[test]
fn header_below_title_rows_is_found_and_roles_detected() {
    let loaded = Loaded::from_table(dms_export(), None).unwrap();
    assert_eq!(loaded.header_row, 2, "the header is the third row");
    let m = &loaded.detected;
    assert_eq!(m.column(Role::OrderId), Some(0));
    assert_eq!(m.column(Role::Date), Some(1));
    assert_eq!(m.column(Role::CustomerName), Some(2));
    assert_eq!(m.column(Role::Phone), Some(3));
    assert_eq!(m.column(Role::Plate), Some(4));
    assert_eq!(m.column(Role::Amount), Some(5));
    assert_eq!(m.key_role(), Some(Role::Phone));
    assert!(m.missing_required().is_empty());
}

#[test]
fn every_row_is_used_or_skipped_with_its_reason() {
    let loaded = Loaded::from_table(dms_export(), None).unwrap();
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.schema_version, 1);
    assert_eq!(r.input.header_row, 3);
    // Rows 4..=13 are below the header: 10 read, 4 used (4, 5, 6, 7).
    assert_eq!(r.input.rows_read, 10);
    assert_eq!(r.input.rows_used, 4);
    assert_eq!(r.input.rows_skipped, 6);
    let s = &r.input.skipped;
    assert_eq!(s.get("blank_row"), Some(&1));
    assert_eq!(s.get("invalid_date"), Some(&1));
    assert_eq!(s.get("no_customer_key"), Some(&1));
    assert_eq!(s.get("invalid_amount"), Some(&1));
    assert_eq!(s.get("no_date"), Some(&1));
    assert_eq!(s.get("totals_row"), Some(&1));
    assert_eq!(r.input.skipped_examples.get("invalid_date"), Some(&vec![9]));
    assert_eq!(
        r.input.rows_read,
        r.input.rows_used + r.input.rows_skipped,
        "read = used + skipped"
    );
    assert_eq!(
        r.mapping.get("amount").map(String::as_str),
        Some("实收金额（元）")
    );
    assert_eq!(r.key_role, "phone");
}

#[test]
fn totals_and_customer_basics_by_hand() {
    let loaded = Loaded::from_table(dms_export(), None).unwrap();
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    // Latest used date is 2024-04-01 (the refund).
    assert_eq!(r.as_of, d(2024, 4, 1));
    let range = r.input.date_range.unwrap();
    assert_eq!((range.from, range.to), (d(2024, 3, 5), d(2024, 4, 1)));
    // 张三: WX001 1300.50 + WX002 -100 = 1200.50 over 2 visits; 李四: 300 in 1 visit.
    assert_eq!(r.totals.customers, 2);
    assert_eq!(r.totals.visits, 3);
    assert_eq!(r.totals.revenue, 150050);
    let zs = r.customers.get(0).expect("line");
    assert_eq!(zs.id, "13800138000");
    assert_eq!(zs.name, Some("张三"));
    assert_eq!(zs.visits, 2);
    assert_eq!(zs.revenue, 120050);
    assert_eq!(zs.avg_ticket, 60025);
    assert_eq!(
        (zs.first_visit, zs.last_visit),
        (d(2024, 3, 5), d(2024, 4, 1))
    );
    assert_eq!(zs.recency_days, 0);
    let ls = r.customers.get(1).expect("line");
    assert_eq!(
        ls.id, "13900139000",
        "a phone stored as a number keeps all digits"
    );
    assert_eq!(ls.revenue, 30000);
    // 2024-03-05 → 2024-04-01: 26 days left in March + 1 = 27.
    assert_eq!(ls.recency_days, 27);
}

#[test]
fn json_contract_field_names_and_formats() {
    let loaded = Loaded::from_table(dms_export(), None).unwrap();
    let opts = AnalyzeOptions {
        as_of: Some(d(2024, 6, 30)),
        ..Default::default()
    };
    let r = analyze(&loaded, &loaded.detected, &opts).unwrap();
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["as_of"], "2024-06-30");
    assert_eq!(v["input"]["format"], "xlsx");
    assert_eq!(v["input"]["sheet"], "Sheet1");
    assert_eq!(v["input"]["header_row"], 3);
    assert_eq!(v["input"]["rows_read"], 10);
    assert_eq!(v["totals"]["revenue"], 1500.5);
    assert_eq!(v["totals"]["customers"], 2);
    assert_eq!(v["totals"]["visits"], 3);
    let c0 = &v["customers"][0];
    assert_eq!(c0["first_visit"], "2024-03-05");
    assert_eq!(c0["last_visit"], "2024-04-01");
    assert_eq!(c0["revenue"], 1200.5);
    assert_eq!(c0["avg_ticket"], 600.25);
    // 2024-04-01 → 2024-06-30: 29 + 31 + 30 = 90 days.
    assert_eq!(c0["recency_days"], 90);
    assert_eq!(v["mapping"]["date"], "结算日期");
}

#[test]
fn quantity_times_price_and_labor_plus_parts() {
    // English headers, customer ids with leading zeros, no order column: a visit is a
    // distinct customer-day.
    let qty = table(vec![
        vec![t("Customer ID"), t("Date"), t("Qty"), t("Unit price")],
        vec![t("00123"), t("2024-01-10"), n(2.0), t("$19.99")], // 39.98
        vec![t("00123"), t("2024-01-10"), n(1.0), t("5")],      // 5.00, same day
        vec![t("00123"), t("2024-02-01 10:30"), t("3"), t("1,000.10")], // 3000.30
        vec![t("0042"), t("2024-02-01"), t("1"), t("")],        // no amount
    ]);
    let loaded = Loaded::from_table(qty, None).unwrap();
    assert_eq!(loaded.detected.key_role(), Some(Role::CustomerId));
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.input.skipped.get("no_amount"), Some(&1));
    assert_eq!(r.totals.customers, 1);
    // 39.98 + 5.00 + 3000.30 = 3045.28 over 2 customer-days.
    assert_eq!(r.totals.revenue, 304528);
    assert_eq!(r.totals.visits, 2);
    assert_eq!(r.customers.get(0).expect("line").id, "00123");
    assert_eq!(r.customers.get(0).expect("line").avg_ticket, 152264);

    let lp = table(vec![
        vec![t("车牌号"), t("进厂日期"), t("工时费"), t("材料费")],
        vec![t("粤A11111"), t("2024-01-10"), t("200"), t("350.5")], // 550.50
        vec![t("粤A11111"), t("2024-03-10"), t("120"), t("")],      // 120.00
        vec![t("粤A22222"), t("2024-03-11"), t(""), t("80")],       // 80.00
    ]);
    let loaded = Loaded::from_table(lp, None).unwrap();
    assert_eq!(loaded.detected.key_role(), Some(Role::Plate));
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.totals.revenue, 75050);
    assert_eq!(r.totals.visits, 3);
    assert_eq!(r.customers.get(0).expect("line").id, "粤A11111");
    assert_eq!(r.customers.get(0).expect("line").revenue, 67050);
}

#[test]
fn missing_required_roles_are_named_and_overrides_fix_them() {
    let tbl = table(vec![
        vec![t("客户"), t("什么时候"), t("钱")],
        vec![t("张三"), t("2024-01-01"), t("100")],
        vec![t("李四"), t("2024-01-02"), t("50")],
    ]);
    let loaded = Loaded::from_table(tbl, Some(1)).unwrap();
    let missing = loaded.detected.missing_required();
    assert_eq!(missing.len(), 2, "{missing:?}");
    let err = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap_err();
    assert!(matches!(err, EngineError::MissingRoles { .. }));
    let mut m = loaded.detected.clone();
    m.apply_overrides(
        &[
            ("date".into(), "什么时候".into()),
            ("amount".into(), "C".into()),
        ],
        &loaded.headers,
    )
    .unwrap();
    let r = analyze(&loaded, &m, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.totals.revenue, 15000);
    assert_eq!(r.key_role, "customer_name");
    let bad = m
        .clone()
        .apply_overrides(&[("date".into(), "nope".into())], &loaded.headers)
        .unwrap_err();
    assert!(matches!(bad, EngineError::NoSuchColumn { .. }));
    let bad = m
        .clone()
        .apply_overrides(&[("colour".into(), "A".into())], &loaded.headers)
        .unwrap_err();
    assert!(matches!(bad, EngineError::UnknownRole { .. }));
}

#[test]
fn purchase_and_birth_dates_do_not_steal_the_service_date() {
    let tbl = table(vec![
        vec![
            t("购车日期"),
            t("客户编号"),
            t("出生日期"),
            t("维修日期"),
            t("金额"),
        ],
        vec![
            t("2020-01-01"),
            t("C1"),
            t("1980-05-05"),
            t("2024-01-01"),
            t("100"),
        ],
    ]);
    let loaded = Loaded::from_table(tbl, None).unwrap();
    let m = &loaded.detected;
    assert_eq!(m.column(Role::PurchaseDate), Some(0));
    assert_eq!(m.column(Role::BirthDate), Some(2));
    assert_eq!(m.column(Role::Date), Some(3));
}

#[test]
fn excel_1904_serials() {
    // 43894 in the 1904 system is 2024-03-05 (1904-01-01 + 43894 days).
    let mut tbl = table(vec![
        vec![t("Customer"), t("Date"), t("Amount")],
        vec![t("A"), n(43894.0), n(10.0)],
    ]);
    tbl.date_1904 = true;
    let loaded = Loaded::from_table(tbl, None).unwrap();
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.as_of, d(2024, 3, 5));
}

#[test]
fn repeated_headers_of_multi_page_exports_are_skipped() {
    let tbl = table(vec![
        vec![t("客户名称"), t("日期"), t("金额")],
        vec![t("张三"), t("2024-01-01"), t("100")],
        vec![t("客户名称"), t("日期"), t("金额")],
        vec![t("李四"), t("2024-01-02"), t("50")],
    ]);
    let loaded = Loaded::from_table(tbl, None).unwrap();
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.input.skipped.get("repeated_header"), Some(&1));
    assert_eq!(r.totals.customers, 2);
}

#[test]
fn a_repeated_header_is_recognised_in_number_cells_too() {
    // The fourth header is the text "2024"; a repeated header may hold it as a number cell.
    // Row 3 matches in two of four cells (客户名称 and the number 2024): a repeated header.
    // Row 4 matches in one (2025 is not "2024"): a data row, with an unreadable date.
    let tbl = table(vec![
        vec![t("客户名称"), t("日期"), t("金额"), t("2024")],
        vec![t("张三"), t("2024-01-01"), t("100"), Cell::Number(1.0)],
        vec![t("客户名称"), t("x"), t("y"), Cell::Number(2024.0)],
        vec![t("客户名称"), t("x"), t("y"), Cell::Number(2025.0)],
        vec![t("李四"), t("2024-01-02"), t("50"), Cell::Number(2.0)],
    ]);
    let loaded = Loaded::from_table(tbl, None).unwrap();
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.input.skipped.get("repeated_header"), Some(&1));
    assert_eq!(r.input.skipped.get("invalid_date"), Some(&1));
    assert_eq!(r.totals.customers, 2);
}

#[test]
fn header_row_out_of_range_is_an_error() {
    let tbl = table(vec![vec![t("a"), t("b")]]);
    assert!(matches!(
        Loaded::from_table(tbl.clone(), Some(5)),
        Err(EngineError::BadHeaderRow { row: 5, rows: 1 })
    ));
    assert!(matches!(
        Loaded::from_table(tbl, Some(0)),
        Err(EngineError::BadHeaderRow { .. })
    ));
}

#[test]
fn column_letters() {
    assert_eq!(mapping::column_letter(0), "A");
    assert_eq!(mapping::column_letter(25), "Z");
    assert_eq!(mapping::column_letter(26), "AA");
    assert_eq!(mapping::column_letter(16383), "XFD");
}

#[test]
fn a_date_column_with_an_unknown_header_is_not_taken_for_phones() {
    // "到店" is not a known date header; its values are dates, which must not look like
    // phone numbers (regression: 2024-01-02 has 8 digits and dashes).
    let tbl = table(vec![
        vec![t("客户名称"), t("到店"), t("金额")],
        vec![t("张三"), t("2024-01-02"), t("100")],
        vec![t("李四"), t("2024-01-03"), t("50")],
    ]);
    let loaded = Loaded::from_table(tbl, None).unwrap();
    assert_eq!(loaded.detected.column(Role::Phone), None);
    assert!(mapping::looks_like_phone("13800138000"));
    assert!(mapping::looks_like_phone("0757-86281234"));
    assert!(!mapping::looks_like_phone("2024-01-02"));
}

#[test]
fn customers_born_before_1950_get_the_pre_50_cohort() {
    let tbl = table(vec![
        vec![t("客户编号"), t("出生日期"), t("维修日期"), t("金额")],
        vec![t("C1"), t("1946-03-08"), t("2024-01-01"), t("100")],
        vec![t("C2"), t("1985-07-15"), t("2024-02-01"), t("200")],
        // (date(1940,1,1) - date(1899,12,30)).days == 14611: an Excel serial birth date
        vec![t("C3"), n(14611.0), t("2024-03-01"), t("300")],
    ]);
    let loaded = Loaded::from_table(tbl, None).unwrap();
    assert_eq!(loaded.detected.column(Role::BirthDate), Some(1));
    let r = analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.input.rows_used, 3);
    let cohort = |id: &str| {
        r.customers
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.segments.age_cohort.map(|l| l.to_string()))
    };
    assert_eq!(cohort("C1").as_deref(), Some("pre_50"));
    assert_eq!(cohort("C2").as_deref(), Some("post_80"));
    assert_eq!(cohort("C3").as_deref(), Some("pre_50"));
    assert_eq!(r.segments.age_cohort.counts.get("pre_50"), Some(&2));
}
