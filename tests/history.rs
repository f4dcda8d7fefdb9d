//! A customer's history: the rows used for them, newest first, with phones and plates.

use dealerlens::engine::history::history;
use dealerlens::engine::{self, LoadOptions};

const CSV: &str = "\
客户编号,客户名称,联系电话,车牌号,工单号,结算日期,结算金额,维修类型,进厂里程
C2,王五,13900000002,京B22222,W9,2024-05-01,100,保养,1000
C1,张三,13800000001,京A11111,W1,2024-01-10,200.50,保养,5000
C1,张三,13800000001,京A11111,W1,2024-01-10,99.50,维修,5000
C1,张三,13800000009,京A11111,W2,2024-03-02,-50,退款,
C1,张三,13800000001,京A99999,W3,2024-06-30,400,保养,12000
C1,,13800000001,京A99999,,not a date,1,保养,
";

#[test]
fn the_history_lists_the_used_rows_newest_first() {
    let loaded = engine::load(CSV.as_bytes(), &LoadOptions::default()).expect("loads");
    let prepared = engine::prepare(&loaded, &loaded.detected).expect("prepares");
    let h = history(&prepared, "C1").expect("C1 exists");
    assert_eq!(h.id, "C1");
    assert_eq!(h.name.as_deref(), Some("张三"));
    // Four rows used (the one without a date is skipped); orders W1, W2, W3 are 3 visits.
    assert_eq!(h.rows, 4);
    assert_eq!(h.visits, 3);
    // 200.50 + 99.50 - 50 + 400 = 650.00
    assert_eq!(h.revenue, 65_000);
    let rows: Vec<usize> = h.lines.iter().map(|l| l.row).collect();
    // Sheet rows (header is row 1): 2024-06-30 is row 6; 2024-03-02 row 5; two on 2024-01-10
    // (rows 3 and 4, the later row first).
    assert_eq!(rows, vec![6, 5, 4, 3]);
    assert_eq!(h.lines[0].amount, 40_000);
    assert_eq!(h.lines[0].mileage, Some(12_000.0));
    assert_eq!(h.lines[1].mileage, None);
    assert_eq!(h.lines[1].amount, -5_000);
    assert_eq!(h.lines[2].service_type.as_deref(), Some("维修"));
    assert_eq!(h.lines[3].order_id.as_deref(), Some("W1"));
    // In order of first use.
    assert_eq!(h.phones, vec!["13800000001", "13800000009"]);
    assert_eq!(h.plates, vec!["京A11111", "京A99999"]);
}

#[test]
fn an_unknown_customer_has_no_history() {
    let loaded = engine::load(CSV.as_bytes(), &LoadOptions::default()).expect("loads");
    let prepared = engine::prepare(&loaded, &loaded.detected).expect("prepares");
    assert!(history(&prepared, "C9").is_none());
    assert!(history(&prepared, "").is_none());
    assert_eq!(history(&prepared, "C2").map(|h| h.rows), Some(1));
}
