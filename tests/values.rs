//! Tests of the cell value parsers in `dealerlens::engine::values`.

use chrono::{NaiveDate, NaiveDateTime};
use dealerlens::engine::values::*;
use dealerlens::engine::Cell;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn date_text(s: &str) -> Option<NaiveDate> {
    parse_date(&text(s), false)
}

fn amount_text(s: &str) -> Option<Cents> {
    parse_amount(&text(s))
}

fn number_text(s: &str) -> Option<f64> {
    parse_number(&text(s))
}

fn id_text(s: &str) -> Option<String> {
    parse_id(&text(s))
}

#[test]
fn excel_serials() {
    // Serials computed independently with Python:
    //   date(1899,12,30) + timedelta(45356) == date(2024,3,5)
    //   date(1904,1,1)   + timedelta(43894) == date(2024,3,5)
    //   (date(1950,1,1)   - date(1899,12,30)).days == 18264
    //   (date(2100,12,31) - date(1899,12,30)).days == 73415
    //   (date(1950,1,1)   - date(1904,1,1)).days   == 16802
    //   (date(2100,12,31) - date(1904,1,1)).days   == 71953
    //   (date(2000,2,29)  - date(1899,12,30)).days == 36585
    //   (date(1970,1,1)   - date(1899,12,30)).days == 25569
    //   (date(2024,12,31) - date(1904,1,1)).days   == 44195
    assert_eq!(excel_serial_to_date(45356.0, false), Some(d(2024, 3, 5)));
    assert_eq!(excel_serial_to_date(43894.0, true), Some(d(2024, 3, 5)));
    assert_eq!(excel_serial_to_date(1.0, false), Some(d(1900, 1, 1)));
    assert_eq!(excel_serial_to_date(59.0, false), Some(d(1900, 2, 28)));
    assert_eq!(excel_serial_to_date(60.0, false), None);
    assert_eq!(excel_serial_to_date(61.0, false), Some(d(1900, 3, 1)));
    assert_eq!(excel_serial_to_date(0.0, false), None);
    assert_eq!(excel_serial_to_date(-1.0, false), None);
    assert_eq!(excel_serial_to_date(0.0, true), Some(d(1904, 1, 1)));
    assert_eq!(excel_serial_to_date(-1.0, true), None);
    assert_eq!(excel_serial_to_date(f64::NAN, false), None);
    assert_eq!(excel_serial_to_date(f64::INFINITY, true), None);
    assert_eq!(excel_serial_to_date(1e300, false), None);
    assert_eq!(excel_serial_to_date(36585.0, false), Some(d(2000, 2, 29)));
    assert_eq!(excel_serial_to_date(25569.0, false), Some(d(1970, 1, 1)));
    assert_eq!(excel_serial_to_date(44195.0, true), Some(d(2024, 12, 31)));
    // The fractional part is the time of day.
    assert_eq!(excel_serial_to_date(45356.999, false), Some(d(2024, 3, 5)));
}

#[test]
fn dates() {
    let num = |n: f64| parse_date(&Cell::Number(n), false);
    let num1904 = |n: f64| parse_date(&Cell::Number(n), true);

    // Numbers: 1900 system.
    assert_eq!(num(45356.0), Some(d(2024, 3, 5)));
    assert_eq!(num(45356.5), Some(d(2024, 3, 5)));
    assert_eq!(num(18264.0), Some(d(1950, 1, 1)));
    assert_eq!(num(18263.0), None); // 1949-12-31
    assert_eq!(num(73415.0), Some(d(2100, 12, 31)));
    assert_eq!(num(73416.0), None); // 2101-01-01
    assert_eq!(num(59.0), None); // 1900: outside the year range
    assert_eq!(num(61.0), None);
    assert_eq!(num(0.0), None);
    assert_eq!(num(-45356.0), None);
    assert_eq!(num(f64::NAN), None);
    assert_eq!(num(f64::NEG_INFINITY), None);
    // Numbers: 1904 system.
    assert_eq!(num1904(43894.0), Some(d(2024, 3, 5)));
    assert_eq!(num1904(16802.0), Some(d(1950, 1, 1)));
    assert_eq!(num1904(16801.0), None);
    assert_eq!(num1904(71953.0), Some(d(2100, 12, 31)));
    assert_eq!(num1904(71954.0), None);
    // Numbers: yyyymmdd.
    assert_eq!(num(20240305.0), Some(d(2024, 3, 5)));
    assert_eq!(num1904(20240305.0), Some(d(2024, 3, 5)));
    assert_eq!(num(19500101.0), Some(d(1950, 1, 1)));
    assert_eq!(num(21001231.0), Some(d(2100, 12, 31)));
    assert_eq!(num(20240230.0), None);
    assert_eq!(num(20241301.0), None);
    assert_eq!(num(20240305.5), None);
    assert_eq!(num(19491231.0), None);

    // DateTime cells.
    let dt = NaiveDateTime::parse_from_str("2024-03-05 10:30:00", "%Y-%m-%d %H:%M:%S")
        .expect("valid test datetime");
    assert_eq!(parse_date(&Cell::DateTime(dt), false), Some(d(2024, 3, 5)));
    assert_eq!(parse_date(&Cell::DateTime(dt), true), Some(d(2024, 3, 5)));

    // Other cells.
    assert_eq!(parse_date(&Cell::Empty, false), None);
    assert_eq!(parse_date(&Cell::Bool(true), false), None);
    assert_eq!(parse_date(&Cell::Error("#N/A".into()), false), None);

    // Text accepted, all 2024-03-05.
    for s in [
        "2024-03-05",
        "2024-3-5",
        "2024/3/5",
        "2024/03/05",
        "2024.3.5",
        "2024.03.05",
        "2024年3月5日",
        "2024年03月05日",
        "2024 年 3 月 5 日",
        "2024年3月5号",
        "2024年3月5",
        "  2024-03-05  ",
        "2024-03-05 10:30",
        "2024-03-05 10:30:15",
        "2024-03-05 10:30:15.123",
        "2024/3/5 9:05:00",
        "2024-03-05T10:30:00",
        "2024-03-05T10:30:00Z",
        "2024-03-05T10:30:00+08:00",
        "2024-03-05T10:30:00.000+0800",
        "2024年3月5日 10时30分",
        "2024年3月5日10时30分15秒",
        "2024年3月5日 10点",
        "2024年3月5日 下午3点半",
        "2024-03-05 上午 10:30",
        "2024-03-05 下午10:30",
        "2024-03-05 10:30 PM",
        "20240305",
        "20240305 10:30",
        "45356",
        "45356.5",
        "２０２４/０３/０５",
        "２０２４－０３－０５",
        "5-Mar-2024",
        "05-Mar-2024",
        "5 March 2024",
        "Mar 5, 2024",
        "March 5 2024",
        "5-MAR-2024 10:30",
        "2024年3月5日　10:30",
    ] {
        assert_eq!(date_text(s), Some(d(2024, 3, 5)), "text {s:?}");
    }
    // Unambiguous day/month order.
    assert_eq!(date_text("25/03/2024"), Some(d(2024, 3, 25)));
    assert_eq!(date_text("03/25/2024"), Some(d(2024, 3, 25)));
    assert_eq!(date_text("25.03.2024"), Some(d(2024, 3, 25)));
    assert_eq!(date_text("25-03-2024 10:30"), Some(d(2024, 3, 25)));
    assert_eq!(date_text("05/05/2024"), Some(d(2024, 5, 5))); // both readings agree
    assert_eq!(date_text("2024-02-29"), Some(d(2024, 2, 29)));
    assert_eq!(date_text("1950-01-01"), Some(d(1950, 1, 1)));
    assert_eq!(date_text("2100-12-31"), Some(d(2100, 12, 31)));
    // 1904 system applies to serials in text too.
    assert_eq!(parse_date(&text("43894"), true), Some(d(2024, 3, 5)));

    // Text rejected.
    for s in [
        "",
        "   ",
        "05/03/2024", // ambiguous
        "03/05/2024", // ambiguous
        "5.3.2024",   // ambiguous
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-03-00",
        "1949-12-31",
        "2101-01-01",
        "1900-03-01",
        "24-3-5",
        "2024-03",
        "2024/3-5",
        "2024-03-05abc",
        "2024-03-05 abc",
        "2024-03-05 25:00",
        "2024-03-05 10:61",
        "2024-03-05 10",
        "2024-03-05T",
        "2024-03-051",
        "2024年13月5日",
        "2024年3月",
        "2024年3月5日 星期二",
        "32/13/2024",
        "20240230",
        "2024030",
        "202403051",
        "abc",
        "-45356",
        "45356.",
        ".5",
        "1e5",
        "NaN",
        "inf",
        "Foo 5, 2024",
        "Mar Apr 2024",
        "Mar 5, 24",
        "#N/A",
        "0",
        "60",
    ] {
        assert_eq!(date_text(s), None, "text {s:?}");
    }
}

#[test]
fn amounts() {
    let num = |n: f64| parse_amount(&Cell::Number(n));
    assert_eq!(num(1280.0), Some(128000));
    assert_eq!(num(-50.0), Some(-5000));
    assert_eq!(num(0.1 + 0.2), Some(30)); // float noise harmless
    assert_eq!(num(1.005), Some(101)); // as the user sees it: 1.005
    assert_eq!(num(-1.005), Some(-101));
    assert_eq!(num(2.675), Some(268));
    assert_eq!(num(1280.5), Some(128050));
    assert_eq!(num(0.0), Some(0));
    assert_eq!(num(-0.0), Some(0));
    assert_eq!(num(0.004), Some(0));
    assert_eq!(num(0.005), Some(1));
    assert_eq!(num(1e-300), Some(0));
    assert_eq!(num(9_999_999_999_999.99), Some(999_999_999_999_999));
    assert_eq!(num(1e13), None);
    assert_eq!(num(-1e13), None);
    assert_eq!(num(f64::NAN), None);
    assert_eq!(num(f64::INFINITY), None);
    assert_eq!(parse_amount(&Cell::Empty), None);
    assert_eq!(parse_amount(&Cell::Bool(true)), None);
    assert_eq!(parse_amount(&Cell::Error("#VALUE!".into())), None);
    let dt = NaiveDateTime::parse_from_str("2024-03-05 00:00:00", "%Y-%m-%d %H:%M:%S")
        .expect("valid test datetime");
    assert_eq!(parse_amount(&Cell::DateTime(dt)), None);

    for (s, want) in [
        ("¥1,280.00", 128000),
        ("￥1,280.5", 128050),
        ("-50", -5000),
        ("+50", 5000),
        ("1280元", 128000),
        ("1,280.00元", 128000),
        ("(30.00)", -3000),
        ("(1,280.00)", -128000),
        ("（30.00）", -3000),
        ("¥(30.00)", -3000),
        ("(¥30.00)", -3000),
        ("1.005", 101),
        ("1.004", 100),
        ("1.0049", 100),
        ("-1.005", -101),
        ("0.995", 100),
        ("12,345", 1234500),
        ("1,234,567.89", 123456789),
        ("$12.5", 1250),
        ("RMB 1,280.00", 128000),
        ("rmb1280", 128000),
        ("CNY 99.9", 9990),
        ("1280 CNY", 128000),
        ("人民币1280元", 128000),
        ("-¥50", -5000),
        ("¥-50", -5000),
        ("－50", -5000),
        ("\u{2212}50", -5000),
        ("１，２８０．００", 128000),
        ("1\u{a0}280.00", 128000),
        ("1\u{3000}280", 128000),
        (" 1 280 ", 128000),
        ("  ¥ 1,280.00  ", 128000),
        (".5", 50),
        ("5.", 500),
        ("0", 0),
        ("-0", 0),
        ("007", 700),
        ("9999999999999.99", 999_999_999_999_999),
    ] {
        assert_eq!(amount_text(s), Some(want), "text {s:?}");
        assert_eq!(parse_price(&text(s)), Some(want), "price {s:?}");
    }
    for s in [
        "abc",
        "",
        "   ",
        "1,2,3",
        "12,34",
        "1234,567",
        ",123",
        "123,",
        "1,234.5,6",
        "1.2.3",
        "..",
        ".",
        "-",
        "--",
        "+-5",
        "--5",
        "50-",
        "(-30)",
        "-(30)",
        "(30",
        "30)",
        "((30))",
        "1e5",
        "NaN",
        "inf",
        "12a",
        "¥",
        "元",
        "10000000000000",
        "9999999999999.995",
        "99999999999999999999999999",
        "1280 USD",
        "#N/A",
    ] {
        assert_eq!(amount_text(s), None, "text {s:?}");
    }
}

#[test]
fn numbers() {
    assert_eq!(parse_number(&Cell::Number(3.0)), Some(3.0));
    assert_eq!(parse_number(&Cell::Number(-1.5)), Some(-1.5));
    assert_eq!(parse_number(&Cell::Number(f64::NAN)), None);
    assert_eq!(parse_number(&Cell::Number(f64::INFINITY)), None);
    assert_eq!(parse_number(&Cell::Empty), None);
    assert_eq!(parse_number(&Cell::Bool(false)), None);
    assert_eq!(parse_number(&Cell::Error("#REF!".into())), None);
    for (s, want) in [
        ("12", 12.0),
        ("12.5", 12.5),
        ("-1", -1.0),
        ("+2", 2.0),
        ("12,345", 12345.0),
        ("12,345.6", 12345.6),
        ("12345km", 12345.0),
        ("12,345 km", 12345.0),
        ("12345KM", 12345.0),
        ("12345 Km", 12345.0),
        ("12345公里", 12345.0),
        ("12345 千米", 12345.0),
        ("2件", 2.0),
        ("3个", 3.0),
        ("4.5升", 4.5),
        ("4.5L", 4.5),
        ("4.5 l", 4.5),
        ("１２３４５", 12345.0),
        ("１２，３４５公里", 12345.0),
        (" 7 ", 7.0),
        (".5", 0.5),
        ("0", 0.0),
    ] {
        assert_eq!(number_text(s), Some(want), "text {s:?}");
    }
    for s in [
        "",
        "abc",
        "1,2,3",
        "1.2.3",
        "km",
        "12 km km",
        "12mi",
        "1e5",
        "NaN",
        "inf",
        "-",
        "12-",
        "¥12",
        &"9".repeat(400),
    ] {
        assert_eq!(number_text(s), None, "text {s:?}");
    }
}

#[test]
fn ids_and_text() {
    for (s, want) in [
        ("00123", "00123"),
        ("  00123  ", "00123"),
        ("'00123", "00123"),
        ("=\"00123\"", "00123"),
        (" =\"00123\" ", "00123"),
        ("=\"'00123\"", "00123"),
        ("京A 12345", "京A 12345"),
        ("LSVAA4182E2123456", "LSVAA4182E2123456"),
        ("张三", "张三"),
        ("定期保养", "定期保养"),
        ("13800138000", "13800138000"),
        ("-5", "-5"),
        ("NA1", "NA1"),
        ("无锡", "无锡"),
    ] {
        assert_eq!(id_text(s).as_deref(), Some(want), "id {s:?}");
        assert_eq!(parse_text(&text(s)).as_deref(), Some(want), "text {s:?}");
    }
    for s in [
        "", "   ", "'", "=\"\"", "-", "--", "/", "无", "N/A", "n/a", "null", "NULL", "#N/A",
        "None", "—", "=\"-\"", "#VALUE!", "#DIV/0!", "#Name?", "NiL", "－", "——", "暂无", "空",
        " NA ", "#null!", "#NUM!", "#Ref!", "\\",
    ] {
        assert_eq!(id_text(s), None, "id {s:?}");
        assert_eq!(parse_text(&text(s)), None, "text {s:?}");
    }
    let num = |n: f64| parse_id(&Cell::Number(n));
    assert_eq!(num(13800138000.0).as_deref(), Some("13800138000"));
    assert_eq!(num(123.0).as_deref(), Some("123"));
    assert_eq!(num(-7.0).as_deref(), Some("-7"));
    assert_eq!(num(-0.0).as_deref(), Some("0"));
    assert_eq!(num(1.5).as_deref(), Some("1.5"));
    assert_eq!(num(0.1 + 0.2).as_deref(), Some("0.30000000000000004"));
    assert_eq!(
        num(999_999_999_999_999.0).as_deref(),
        Some("999999999999999")
    );
    assert_eq!(num(1e15).as_deref(), Some("1000000000000000"));
    assert_eq!(num(f64::NAN), None);
    assert_eq!(num(f64::INFINITY), None);
    let dt = NaiveDateTime::parse_from_str("2024-03-05 10:30:00", "%Y-%m-%d %H:%M:%S")
        .expect("valid test datetime");
    assert_eq!(parse_id(&Cell::DateTime(dt)).as_deref(), Some("2024-03-05"));
    assert_eq!(
        parse_text(&Cell::DateTime(dt)).as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(parse_id(&Cell::Bool(true)).as_deref(), Some("true"));
    assert_eq!(parse_text(&Cell::Bool(false)).as_deref(), Some("false"));
    assert_eq!(parse_id(&Cell::Empty), None);
    assert_eq!(parse_id(&Cell::Error("#N/A".into())), None);
    assert_eq!(parse_text(&Cell::Error("#REF!".into())), None);
}

#[test]
fn totals_labels() {
    for s in [
        "合计",
        "总计",
        "小计",
        "总合计",
        "本页合计",
        "合 计",
        "合　计",
        " 合计 ",
        "合计：",
        "合计:",
        "：合计",
        "【合计】",
        "合计：25笔",
        "共计",
        "Total",
        "TOTAL",
        "total",
        "Total:",
        "Total: 3 orders",
        "Grand Total",
        "GRAND TOTAL",
        "Grand-Total",
        "Subtotal",
        "Sub Total",
        "Sub-total",
        "Sum",
        "SUM",
        "sum:",
        "Totals",
        "ＴＯＴＡＬ",
    ] {
        assert!(is_totals_label(s), "label {s:?}");
    }
    for s in [
        "",
        "   ",
        "合",
        "合计金额",
        "金额合计金额",
        "张三",
        "Totally",
        "Summer",
        "Total amount",
        "total amount due",
        "sum of parts",
        "2024-03-05",
        "1280",
        "：",
        ":",
        "客户：合计",
    ] {
        assert!(!is_totals_label(s), "label {s:?}");
    }
}

#[test]
fn cents_formatting() {
    assert_eq!(format_cents(128000), "1280.00");
    assert_eq!(format_cents(-3000), "-30.00");
    assert_eq!(format_cents(0), "0.00");
    assert_eq!(format_cents(5), "0.05");
    assert_eq!(format_cents(-5), "-0.05");
    assert_eq!(format_cents(-99), "-0.99");
    assert_eq!(format_cents(101), "1.01");
    assert_eq!(format_cents(128050), "1280.50");
    assert_eq!(format_cents(i64::MAX), "92233720368547758.07");
    assert_eq!(format_cents(i64::MIN), "-92233720368547758.08");
    assert_eq!(cents_to_f64(128050), 1280.5);
    assert_eq!(cents_to_f64(-3000), -30.0);
    assert_eq!(cents_to_f64(0), 0.0);
    // Round trip through text.
    for c in [0, 1, -1, 99, -99, 100, 128050, -128000, 999_999_999_999_999] {
        assert_eq!(amount_text(&format_cents(c)), Some(c), "cents {c}");
    }
}

/// A tiny deterministic linear congruential generator (no dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn exercise(cell: &Cell) {
    let _ = parse_date(cell, false);
    let _ = parse_date(cell, true);
    let _ = parse_amount(cell);
    let _ = parse_price(cell);
    let _ = parse_number(cell);
    let _ = parse_id(cell);
    let _ = parse_text(cell);
    if let Cell::Text(s) = cell {
        let _ = is_totals_label(s);
    }
}

#[test]
fn no_panic_on_random_input() {
    let mut rng = Lcg(0x5eed_dea1_e41e_u64);
    // Pieces that steer random text toward the parsers' interesting paths.
    const PIECES: [&str; 48] = [
        "0",
        "1",
        "2",
        "9",
        "12",
        "2024",
        "45356",
        "-",
        "/",
        ".",
        ",",
        ":",
        " ",
        "T",
        "Z",
        "+",
        "(",
        ")",
        "年",
        "月",
        "日",
        "号",
        "时",
        "分",
        "秒",
        "点",
        "上午",
        "下午",
        "¥",
        "￥",
        "$",
        "RMB",
        "元",
        "km",
        "公里",
        "合计",
        "Total",
        "=\"",
        "\"",
        "'",
        "\u{a0}",
        "\u{3000}",
        "，",
        "．",
        "０",
        "Mar",
        "é",
        "\u{1F600}",
    ];
    for _ in 0..20_000 {
        // Text made of pieces.
        let mut s = String::new();
        for _ in 0..rng.below(12) {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        exercise(&Cell::Text(s));
        // Arbitrary bytes, lossily decoded.
        let len = rng.below(24);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        exercise(&Cell::Text(String::from_utf8_lossy(&bytes).into_owned()));
        // Arbitrary chars.
        let s: String = (0..rng.below(16))
            .filter_map(|_| char::from_u32((rng.next() % 0x11_0000) as u32))
            .collect();
        exercise(&Cell::Text(s));
        // Arbitrary floats, including NaN, infinities and subnormals.
        let bits = (rng.next() << 32) | rng.next();
        exercise(&Cell::Number(f64::from_bits(bits)));
        // Floats around the interesting ranges.
        let n = (rng.next() % 100_000_000) as f64 / (1 + rng.below(1000)) as f64;
        exercise(&Cell::Number(n));
        exercise(&Cell::Number(-n));
    }
    for n in [
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        -0.0,
        1e15,
        -1e15,
        9.2e18,
        -9.3e18,
        1e13 - 0.001,
    ] {
        exercise(&Cell::Number(n));
    }
    exercise(&Cell::Empty);
    exercise(&Cell::Bool(true));
    exercise(&Cell::Error(String::new()));
    let long = "9".repeat(100_000);
    exercise(&Cell::Text(long));
}

#[test]
fn birth_dates_reach_back_to_1900() {
    let birth = |c: Cell| parse_birth_date(&c, false);
    // (date(1940,1,1) - date(1899,12,30)).days == 14611 (Python datetime)
    assert_eq!(birth(Cell::Number(14611.0)), Some(d(1940, 1, 1)));
    assert_eq!(parse_date(&Cell::Number(14611.0), false), None);
    assert_eq!(birth(Cell::Number(19450101.0)), Some(d(1945, 1, 1)));
    assert_eq!(birth(Cell::Text("1948-05-01".into())), Some(d(1948, 5, 1)));
    assert_eq!(
        birth(Cell::Text("1948年5月1日".into())),
        Some(d(1948, 5, 1))
    );
    assert_eq!(parse_date(&Cell::Text("1948-05-01".into()), false), None);
    // 1900-03-01 is serial 61; 1900-01-01 is serial 1 (before Excel's fictitious 29 Feb)
    assert_eq!(birth(Cell::Number(61.0)), Some(d(1900, 3, 1)));
    assert_eq!(birth(Cell::Number(1.0)), Some(d(1900, 1, 1)));
    assert_eq!(birth(Cell::Text("1899-12-31".into())), None);
    // later dates as for any date
    assert_eq!(birth(Cell::Text("1985-07-15".into())), Some(d(1985, 7, 15)));
}
