//! The synthetic demo export: determinism, shape and realism.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use dealerlens::engine::demo::*;
use dealerlens::engine::{Cell, Format, Lang};

const ZH_HEADERS: [&str; 20] = [
    "工单号",
    "结算日期",
    "客户编号",
    "客户名称",
    "联系电话",
    "车牌号",
    "车架号(VIN)",
    "车系",
    "车型",
    "购车日期",
    "进厂里程",
    "维修类别",
    "工时费",
    "材料费",
    "实收金额",
    "所属区域",
    "车辆用途",
    "出生日期",
    "职业",
    "服务顾问",
];

const EN_HEADERS: [&str; 20] = [
    "Order No",
    "Settlement Date",
    "Customer ID",
    "Customer Name",
    "Phone",
    "Plate",
    "VIN",
    "Series",
    "Model",
    "Purchase Date",
    "Mileage",
    "Service Type",
    "Labor",
    "Parts",
    "Amount",
    "Region",
    "Vehicle Use",
    "Birth Date",
    "Occupation",
    "Service Advisor",
];

/// The default data set, generated once.
fn default_rows() -> &'static (Vec<String>, Vec<Vec<Cell>>) {
    static ROWS: OnceLock<(Vec<String>, Vec<Vec<Cell>>)> = OnceLock::new();
    ROWS.get_or_init(|| demo_rows(&DemoOptions::default()))
}

fn col(headers: &[String], name: &str) -> usize {
    headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn text(c: &Cell) -> &str {
    match c {
        Cell::Text(s) => s,
        other => panic!("expected text, got {other:?}"),
    }
}

fn number(c: &Cell) -> f64 {
    match c {
        Cell::Number(n) => *n,
        other => panic!("expected a number, got {other:?}"),
    }
}

fn cents(c: &Cell) -> i64 {
    (number(c) * 100.0).round() as i64
}

fn date(c: &Cell) -> NaiveDate {
    match c {
        Cell::DateTime(d) => d.date(),
        other => panic!("expected a date, got {other:?}"),
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Named column indexes of the Chinese export.
struct Cols {
    order: usize,
    date: usize,
    cid: usize,
    name: usize,
    phone: usize,
    plate: usize,
    vin: usize,
    purchase: usize,
    mileage: usize,
    kind: usize,
    labor: usize,
    parts: usize,
    amount: usize,
    usage: usize,
    birth: usize,
}

fn cols(h: &[String]) -> Cols {
    Cols {
        order: col(h, "工单号"),
        date: col(h, "结算日期"),
        cid: col(h, "客户编号"),
        name: col(h, "客户名称"),
        phone: col(h, "联系电话"),
        plate: col(h, "车牌号"),
        vin: col(h, "车架号(VIN)"),
        purchase: col(h, "购车日期"),
        mileage: col(h, "进厂里程"),
        kind: col(h, "维修类别"),
        labor: col(h, "工时费"),
        parts: col(h, "材料费"),
        amount: col(h, "实收金额"),
        usage: col(h, "车辆用途"),
        birth: col(h, "出生日期"),
    }
}

#[test]
fn default_options() {
    let o = DemoOptions::default();
    assert_eq!(o.seed, 20240601);
    assert_eq!(o.customers, 3000);
    assert_eq!(o.start, ymd(2023, 1, 1));
    assert_eq!(o.end, ymd(2025, 6, 30));
    assert_eq!(o.lang, Lang::Zh);
}

#[test]
fn deterministic_and_seed_dependent() {
    let o = DemoOptions::default();
    let a = demo_csv(&o);
    let b = demo_csv(&o);
    assert_eq!(a, b, "same options must give byte-identical output");
    let other = demo_csv(&DemoOptions {
        seed: o.seed + 1,
        ..o.clone()
    });
    assert_ne!(a, other, "a different seed must give different data");
    assert_eq!(demo_table(&o), demo_table(&o));
}

#[test]
fn generation_time() {
    let t = Instant::now();
    let (_, rows) = demo_rows(&DemoOptions::default());
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    eprintln!("demo_rows(default): {} rows in {ms:.1} ms", rows.len());
    // Well under a second natively in release; generous here so that a loaded machine or a
    // debug build does not fail the suite.
    assert!(ms < 5000.0, "generation took {ms} ms");
}

#[test]
fn headers_exact() {
    let (h, _) = default_rows();
    assert_eq!(h, &ZH_HEADERS.map(String::from).to_vec());
    let en = demo_rows(&DemoOptions {
        customers: 50,
        lang: Lang::En,
        ..DemoOptions::default()
    });
    assert_eq!(en.0, EN_HEADERS.map(String::from).to_vec());
    assert_eq!(
        demo_headers(Lang::Zh),
        ZH_HEADERS.map(String::from).to_vec()
    );
}

#[test]
fn row_and_customer_counts() {
    let (h, rows) = default_rows();
    let c = cols(h);
    assert!(
        (15_000..=25_000).contains(&rows.len()),
        "{} rows",
        rows.len()
    );
    assert!(rows.iter().all(|r| r.len() == 20));
    let customers: BTreeSet<&str> = rows.iter().map(|r| text(&r[c.cid])).collect();
    assert_eq!(customers.len(), 3000, "every customer appears");
    let vins: BTreeSet<&str> = rows.iter().map(|r| text(&r[c.vin])).collect();
    eprintln!(
        "rows {}, customers {}, vehicles {}",
        rows.len(),
        customers.len(),
        vins.len()
    );
}

#[test]
fn sorted_by_date_then_order_and_orders_unique() {
    let (h, rows) = default_rows();
    let c = cols(h);
    let keys: Vec<(NaiveDate, &str)> = rows
        .iter()
        .map(|r| (date(&r[c.date]), text(&r[c.order])))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    for (d, o) in &keys {
        assert_eq!(o.len(), 15, "{o}");
        assert!(o.starts_with("WX"));
        assert_eq!(&o[2..10], d.format("%Y%m%d").to_string(), "{o}");
        assert!(o[2..].bytes().all(|b| b.is_ascii_digit()));
    }
    let first = keys.first().unwrap().0;
    let last = keys.last().unwrap().0;
    assert!(first >= ymd(2023, 1, 1) && last <= ymd(2025, 6, 30));
}

#[test]
fn amount_is_labor_plus_parts() {
    let (h, rows) = default_rows();
    let c = cols(h);
    for r in rows {
        for i in [c.labor, c.parts, c.amount] {
            let x = number(&r[i]);
            assert!(
                ((x * 100.0).round() - x * 100.0).abs() < 1e-6,
                "not 2 decimals: {x}"
            );
        }
        assert_eq!(cents(&r[c.labor]) + cents(&r[c.parts]), cents(&r[c.amount]));
    }
}

#[test]
fn mileage_never_decreases_per_vehicle() {
    let (h, rows) = default_rows();
    let c = cols(h);
    let mut last: BTreeMap<&str, (NaiveDate, f64)> = BTreeMap::new();
    for r in rows {
        let vin = text(&r[c.vin]);
        let d = date(&r[c.date]);
        let m = number(&r[c.mileage]);
        assert!(m >= 0.0 && m.fract() == 0.0);
        assert!(date(&r[c.purchase]) <= d, "service before purchase");
        if let Some((pd, pm)) = last.get(vin) {
            assert!(*pd <= d);
            assert!(m >= *pm, "{vin}: {pm} then {m} on {d}");
        }
        last.insert(vin, (d, m));
    }
}

#[test]
fn vins_plates_phones_ids_look_real() {
    let (h, rows) = default_rows();
    let c = cols(h);
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |ch: char| -> u32 {
        match ch {
            '0'..='9' => ch as u32 - '0' as u32,
            'A' | 'J' => 1,
            'B' | 'K' | 'S' => 2,
            'C' | 'L' | 'T' => 3,
            'D' | 'M' | 'U' => 4,
            'E' | 'N' | 'V' => 5,
            'F' | 'W' => 6,
            'G' | 'P' | 'X' => 7,
            'H' | 'Y' => 8,
            'R' | 'Z' => 9,
            _ => panic!("bad VIN char {ch}"),
        }
    };
    let mut plate_of: BTreeMap<&str, &str> = BTreeMap::new();
    let mut leading_zero_ids = 0;
    for r in rows {
        let vin = text(&r[c.vin]);
        assert_eq!(vin.len(), 17, "{vin}");
        assert!(
            vin.chars()
                .all(|ch| ch.is_ascii_digit() || (ch.is_ascii_uppercase() && !"IOQ".contains(ch))),
            "{vin}"
        );
        let sum: u32 = vin.chars().zip(WEIGHTS).map(|(ch, w)| value(ch) * w).sum();
        let check = match sum % 11 {
            10 => 'X',
            d => char::from(b'0' + d as u8),
        };
        assert_eq!(vin.chars().nth(8), Some(check), "check digit of {vin}");

        let plate = text(&r[c.plate]);
        let chars: Vec<char> = plate.chars().collect();
        assert_eq!(chars.len(), 7, "{plate}");
        assert!(!chars[0].is_ascii());
        assert!(chars[1].is_ascii_uppercase());
        assert!(
            chars[2..]
                .iter()
                .all(|ch| ch.is_ascii_digit()
                    || (ch.is_ascii_uppercase() && *ch != 'I' && *ch != 'O'))
        );
        // One plate per vehicle, one vehicle per plate.
        assert_eq!(*plate_of.entry(vin).or_insert(plate), plate);

        let phone = text(&r[c.phone]);
        assert_eq!(phone.len(), 11, "{phone}");
        assert!(phone.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            ["13", "15", "17", "18", "19"].contains(&&phone[..2]),
            "{phone}"
        );

        let id = text(&r[c.cid]);
        assert_eq!(id.len(), 7, "{id}");
        assert!(id.starts_with('C') && id[1..].bytes().all(|b| b.is_ascii_digit()));
        if id.starts_with("C00") {
            leading_zero_ids += 1;
        }
        assert!(!text(&r[c.name]).is_empty());

        let p = date(&r[c.purchase]);
        assert!(
            p >= ymd(2015, 1, 1) && p <= ymd(2025, 6, 30),
            "purchase {p}"
        );
        if let Cell::DateTime(b) = &r[c.birth] {
            assert!(b.date() >= ymd(1955, 1, 1) && b.date() <= ymd(2003, 12, 31));
        }
    }
    assert!(
        leading_zero_ids > 0,
        "customer IDs keep their leading zeros"
    );
    let plates: BTreeSet<&str> = plate_of.values().copied().collect();
    assert_eq!(plates.len(), plate_of.len(), "plates are unique");
}

#[test]
fn first_service_at_most_once_per_vehicle_and_early() {
    let (h, rows) = default_rows();
    let c = cols(h);
    let mut seen = BTreeSet::new();
    let mut firsts = 0;
    for r in rows {
        if text(&r[c.kind]) == "首保" && cents(&r[c.amount]) >= 0 {
            let vin = text(&r[c.vin]);
            assert!(seen.insert(vin), "two 首保 for {vin}");
            let days = (date(&r[c.date]) - date(&r[c.purchase])).num_days();
            assert!(
                (30..=185).contains(&days),
                "首保 {days} days after purchase"
            );
            firsts += 1;
        }
    }
    assert!(firsts > 100, "{firsts} first services");
    let kinds: BTreeSet<&str> = rows.iter().map(|r| text(&r[c.kind])).collect();
    let expected: BTreeSet<&str> = ["首保", "定期保养", "一般维修", "事故车", "钣喷", "改装"]
        .into_iter()
        .collect();
    assert_eq!(kinds, expected);
}

fn revenue_by_customer(h: &[String], rows: &[Vec<Cell>]) -> Vec<i64> {
    let c = cols(h);
    let mut by: BTreeMap<&str, i64> = BTreeMap::new();
    for r in rows {
        *by.entry(text(&r[c.cid])).or_default() += cents(&r[c.amount]);
    }
    let mut v: Vec<i64> = by.into_values().collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v
}

#[test]
fn pareto_top_20_percent_share() {
    let (h, rows) = default_rows();
    let revenue = revenue_by_customer(h, rows);
    let total: i64 = revenue.iter().sum();
    let top = revenue.len().div_ceil(5);
    let share = revenue[..top].iter().sum::<i64>() as f64 / total as f64;
    eprintln!("top-20% share of revenue: {share:.3}");
    assert!((0.55..=0.85).contains(&share), "top-20% share {share}");
}

#[test]
fn churned_and_new_customers() {
    let (h, rows) = default_rows();
    let c = cols(h);
    let end = ymd(2025, 6, 30);
    let mut first: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    let mut last: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    for r in rows {
        let id = text(&r[c.cid]);
        let d = date(&r[c.date]);
        first.entry(id).or_insert(d);
        last.insert(id, d);
    }
    let n = last.len() as f64;
    let churned = last
        .values()
        .filter(|d| (end - **d).num_days() > 365)
        .count() as f64
        / n;
    let new = first
        .values()
        .filter(|d| (end - **d).num_days() <= 183)
        .count() as f64
        / n;
    eprintln!("churned (no visit for 365 days): {churned:.3}, new (first visit in last 6 months): {new:.3}");
    assert!((0.15..=0.40).contains(&churned), "churned {churned}");
    assert!((0.05..=0.20).contains(&new), "new {new}");
}

#[test]
fn vehicle_use_and_daily_mileage() {
    let (h, rows) = default_rows();
    let c = cols(h);
    let mut per_vin: BTreeMap<&str, (&str, NaiveDate, NaiveDate, f64)> = BTreeMap::new();
    let mut uses: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut vehicles_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in rows {
        let vin = text(&r[c.vin]);
        let u = text(&r[c.usage]);
        uses.entry(u).or_default().insert(text(&r[c.cid]));
        vehicles_of.entry(text(&r[c.cid])).or_default().insert(vin);
        let e = per_vin
            .entry(vin)
            .or_insert((u, date(&r[c.purchase]), date(&r[c.date]), 0.0));
        e.2 = date(&r[c.date]);
        e.3 = number(&r[c.mileage]);
    }
    let customers = vehicles_of.len() as f64;
    let share = |u: &str| uses.get(u).map_or(0, BTreeSet::len) as f64 / customers;
    let (private, official, commercial) = (share("私家车"), share("公务车"), share("营运车"));
    eprintln!("private {private:.3}, official {official:.3}, commercial {commercial:.3}");
    assert!((0.70..=0.88).contains(&private));
    assert!((0.04..=0.13).contains(&official));
    assert!((0.07..=0.18).contains(&commercial));

    let multi = vehicles_of.values().filter(|v| v.len() > 1).count() as f64 / customers;
    eprintln!("customers with 2+ vehicles: {multi:.3}");
    assert!((0.02..=0.12).contains(&multi), "multi-vehicle {multi}");

    let mut km: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (u, purchase, last, mileage) in per_vin.values() {
        let days = (*last - *purchase).num_days();
        if days >= 60 {
            km.entry(u).or_default().push(mileage / days as f64);
        }
    }
    let mean = |u: &str| {
        let v = &km[u];
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (p, o, m) = (mean("私家车"), mean("公务车"), mean("营运车"));
    eprintln!("mean daily km: private {p:.1}, official {o:.1}, commercial {m:.1}");
    assert!(m > p, "commercial {m} vs private {p}");
    assert!((15.0..=65.0).contains(&p));
    assert!((100.0..=320.0).contains(&m));
}

#[test]
fn refunds_present_but_rare() {
    let (h, rows) = default_rows();
    let c = cols(h);
    let negative: Vec<&Vec<Cell>> = rows.iter().filter(|r| cents(&r[c.amount]) < 0).collect();
    let share = negative.len() as f64 / rows.len() as f64;
    eprintln!("negative rows: {} ({share:.4})", negative.len());
    assert!(!negative.is_empty());
    assert!(share < 0.01, "{share}");
    // Each credit note refers to an earlier paid order of the same customer and vehicle.
    for n in negative {
        let earlier = rows.iter().any(|r| {
            text(&r[c.cid]) == text(&n[c.cid])
                && text(&r[c.vin]) == text(&n[c.vin])
                && date(&r[c.date]) < date(&n[c.date])
                && cents(&r[c.amount]) >= -cents(&n[c.amount])
        });
        assert!(earlier, "refund without an original order");
    }
}

#[test]
fn table_layout_and_totals() {
    let o = DemoOptions::default();
    let t = demo_table(&o);
    assert_eq!(t.format, Format::Xlsx);
    assert_eq!(t.sheet.as_deref(), Some("维修记录"));
    assert_eq!(t.sheets, vec!["维修记录".to_string()]);
    assert_eq!(t.encoding, None);
    assert!(!t.date_1904);
    let rows = t.to_rows();
    assert_eq!(rows[0].len(), 1);
    let title = text(&rows[0][0]);
    assert!(title.contains("4S店") && title.contains("2023-01-01") && title.contains("2025-06-30"));
    assert!(rows[1].iter().all(Cell::is_empty));
    let h: Vec<String> = rows[2].iter().map(|c| text(c).to_string()).collect();
    assert_eq!(h, ZH_HEADERS.map(String::from).to_vec());
    let (_, data) = default_rows();
    assert_eq!(&rows[3..rows.len() - 1], &data[..]);
    let c = cols(&h);
    let total = rows.last().unwrap();
    assert_eq!(text(&total[0]), "合计");
    let sum: i64 = data.iter().map(|r| cents(&r[c.amount])).sum();
    assert_eq!(cents(&total[c.amount]), sum);
    let labor: i64 = data.iter().map(|r| cents(&r[c.labor])).sum();
    assert_eq!(cents(&total[c.labor]), labor);
    eprintln!("total revenue: {:.2}", sum as f64 / 100.0);

    let en = demo_table(&DemoOptions {
        lang: Lang::En,
        customers: 30,
        ..o
    });
    assert_eq!(en.sheet.as_deref(), Some("Service records"));
    let en_rows = en.to_rows();
    assert_eq!(text(&en_rows.last().unwrap()[0]), "Total");
}

#[test]
fn english_has_the_same_numbers() {
    let zh = demo_table(&DemoOptions::default());
    let en = demo_table(&DemoOptions {
        lang: Lang::En,
        ..DemoOptions::default()
    });
    let (zh, en) = (zh.to_rows(), en.to_rows());
    assert_eq!(zh.len(), en.len());
    let h: Vec<String> = zh[2].iter().map(|c| text(c).to_string()).collect();
    let c = cols(&h);
    let same = [
        c.order, c.date, c.cid, c.phone, c.plate, c.vin, c.purchase, c.mileage, c.labor, c.parts,
        c.amount, c.birth,
    ];
    let n = zh.len() - 1;
    for (a, b) in zh[3..n].iter().zip(&en[3..n]) {
        for &i in &same {
            assert_eq!(a.get(i), b.get(i));
        }
        for (x, y) in a.iter().zip(b) {
            // Numbers, dates and blanks are identical; only text can be translated.
            if !matches!(x, Cell::Text(_)) {
                assert_eq!(x, y);
            }
        }
    }
    let kinds: BTreeSet<&str> = en[3..en.len() - 1]
        .iter()
        .map(|r| text(&r[c.kind]))
        .collect();
    assert!(kinds.contains("First service") && kinds.contains("Body & paint"));
    let uses: BTreeSet<&str> = en[3..en.len() - 1]
        .iter()
        .map(|r| text(&r[c.usage]))
        .collect();
    let expected: BTreeSet<&str> = ["Private", "Official", "Commercial"].into_iter().collect();
    assert_eq!(uses, expected);
    assert!(en[3..]
        .iter()
        .all(|r| r.iter().all(|x| !matches!(x, Cell::Text(s) if s.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)) && !s.starts_with(['粤', '湘', '桂', '赣'])))));
}

#[test]
fn csv_matches_rows() {
    let o = DemoOptions {
        customers: 300,
        ..DemoOptions::default()
    };
    let text_csv = demo_csv(&o);
    let (h, rows) = demo_rows(&o);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text_csv.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, h);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    let c = cols(&h);
    for (rec, row) in records.iter().zip(&rows) {
        assert_eq!(rec.len(), 20);
        assert_eq!(&rec[c.cid], text(&row[c.cid]));
        assert_eq!(
            &rec[c.date],
            date(&row[c.date]).format("%Y-%m-%d").to_string()
        );
        assert_eq!(&rec[c.amount], format!("{:.2}", number(&row[c.amount])));
        let name = text(&row[c.name]);
        assert_eq!(&rec[c.name], name);
    }
    // English company names contain commas ("Co., Ltd.") and must be quoted.
    let en = demo_csv(&DemoOptions {
        lang: Lang::En,
        ..o
    });
    assert!(en.contains("Co., Ltd.\""));
    assert!(en.ends_with("\r\n"));
}

#[test]
fn xlsx_is_a_real_workbook() {
    let o = DemoOptions::default();
    let t = Instant::now();
    let bytes = demo_xlsx(&o).expect("xlsx");
    eprintln!(
        "demo_xlsx(default): {} bytes in {:.0} ms",
        bytes.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert!(bytes.starts_with(b"PK"));
    assert!(bytes.len() >= 100 * 1024, "{} bytes", bytes.len());
    assert_eq!(
        bytes,
        demo_xlsx(&o).expect("xlsx"),
        "xlsx is byte-identical"
    );

    use calamine::{Data, DataType, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["维修记录".to_string()]);
    let range = wb.worksheet_range("维修记录").unwrap();
    let table = demo_table(&o);
    assert_eq!(range.height(), table.to_rows().len());
    let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
    assert!(matches!(cell(0, 0), Data::String(s) if s.contains("维修结算明细")));
    assert_eq!(cell(2, 0), Data::String("工单号".into()));
    // Dates are date-formatted numbers, IDs text, amounts numbers.
    let d = cell(3, 1);
    let expected: NaiveDateTime = match &table.to_rows()[3][1] {
        Cell::DateTime(x) => *x,
        other => panic!("{other:?}"),
    };
    assert!(matches!(d, Data::DateTime(_)), "{d:?}");
    assert_eq!(d.as_datetime(), Some(expected));
    assert!(matches!(cell(3, 2), Data::String(s) if s.starts_with('C')));
    assert!(matches!(cell(3, 4), Data::String(_)), "phone is text");
    assert!(matches!(cell(3, 14), Data::Float(_)));
    let last = table.to_rows().len() - 1;
    assert_eq!(cell(last, 0), Data::String("合计".into()));
    assert_eq!(
        Some(cell(last, 14)),
        Some(Data::Float(number(&table.to_rows()[last][14])))
    );
}

#[test]
fn odd_options_do_not_panic() {
    let base = DemoOptions::default();
    let (h, rows) = demo_rows(&DemoOptions {
        customers: 0,
        ..base.clone()
    });
    assert_eq!(h.len(), 20);
    assert!(rows.is_empty());
    let t = demo_table(&DemoOptions {
        customers: 0,
        ..base.clone()
    });
    assert_eq!(t.to_rows().len(), 4);
    assert!(demo_xlsx(&DemoOptions {
        customers: 0,
        ..base.clone()
    })
    .is_ok());

    for (start, end) in [
        (ymd(2025, 6, 30), ymd(2023, 1, 1)), // reversed
        (ymd(2024, 3, 1), ymd(2024, 3, 1)),  // one day
        (ymd(2024, 1, 1), ymd(2024, 4, 30)), // four months
        (ymd(1990, 1, 1), ymd(2040, 12, 31)),
    ] {
        let o = DemoOptions {
            customers: 200,
            start,
            end,
            ..base.clone()
        };
        let (h, rows) = demo_rows(&o);
        let c = cols(&h);
        let (lo, hi) = (start.min(end), start.max(end));
        let customers: BTreeSet<&str> = rows.iter().map(|r| text(&r[c.cid])).collect();
        assert_eq!(customers.len(), 200, "{start}..{end}");
        for r in &rows {
            let d = date(&r[c.date]);
            assert!(d >= lo && d <= hi, "{d} outside {lo}..{hi}");
            assert_eq!(cents(&r[c.labor]) + cents(&r[c.parts]), cents(&r[c.amount]));
        }
        assert!(demo_xlsx(&o).is_ok());
    }
}

/// The realism figures hold for other seeds too, not just the default one.
#[test]
fn realism_holds_across_seeds() {
    for seed in [1u64, 2, 3, 42, 777, 123_456_789] {
        let (h, rows) = demo_rows(&DemoOptions {
            seed,
            ..DemoOptions::default()
        });
        let c = cols(&h);
        assert!(
            (15_000..=25_000).contains(&rows.len()),
            "seed {seed}: {} rows",
            rows.len()
        );
        let revenue = revenue_by_customer(&h, &rows);
        assert_eq!(revenue.len(), 3000);
        let total: i64 = revenue.iter().sum();
        let share = revenue[..600].iter().sum::<i64>() as f64 / total as f64;
        let end = ymd(2025, 6, 30);
        let mut last: BTreeMap<&str, NaiveDate> = BTreeMap::new();
        for r in &rows {
            last.insert(text(&r[c.cid]), date(&r[c.date]));
        }
        let churned = last
            .values()
            .filter(|d| (end - **d).num_days() > 365)
            .count() as f64
            / 3000.0;
        let negative = rows.iter().filter(|r| cents(&r[c.amount]) < 0).count();
        eprintln!(
            "seed {seed}: {} rows, top-20% {share:.3}, churned {churned:.3}, negative {negative}",
            rows.len()
        );
        assert!((0.55..=0.85).contains(&share), "seed {seed}: share {share}");
        assert!(
            (0.15..=0.40).contains(&churned),
            "seed {seed}: churned {churned}"
        );
        assert!(negative > 0 && (negative as f64) < 0.01 * rows.len() as f64);
    }
}
