//! Writes the input files of the browser benchmark (`bench/`), from the demo generator:
//!
//! - `service_541909.xlsx`: a dealership service export of 541,909 data rows (the 20 demo
//!   columns, shared strings as Excel writes them, real date cells, amounts as numbers);
//! - `service_541909_gbk.csv`: the same rows as CSV encoded in GBK (CRLF, dates as
//!   `YYYY-MM-DD`, amounts with two decimals);
//! - `service_541909_8col.xlsx`: the same rows with 8 of the 20 columns (order, date,
//!   customer id and name, phone, plate, service type, amount): a plain repair-shop export,
//!   about 20 MB like the 541,909-row workbook of the calamine measurements;
//! - `service_1048575.xlsx`: Excel's row limit — a header row and 1,048,575 data rows.
//!
//! Every file has the header in row 1 and data from row 2 (no title or totals row), so that
//! any reader can take the first row as the header. The data is the demo export of as many
//! customers as it takes over 2021-01-01 … 2025-06-30, cut at the wanted row count (rows are
//! in date order, so the cut drops the latest visits). The same arguments give the same bytes.
//!
//! ```sh
//! cargo run --release --example gen_bench_inputs -- [OUT_DIR] [--only NAME]...
//! ```
//! OUT_DIR defaults to `bench/data`. A file that already exists is kept (delete it to write it
//! again; files are written under a `.part` name and renamed when complete). Sheets are written in rust_xlsxwriter's low-memory mode (rows streamed to a
//! temporary file, one shared-string table), so memory stays at the size of the generated
//! rows.

use chrono::{Datelike, NaiveDate};
use dealerlens::engine::demo::{self, DemoOptions};
use dealerlens::engine::table::format_number;
use dealerlens::engine::{Cell, Lang};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

const SEED: u64 = 20240601;
const MID_ROWS: usize = 541_909;
const EXCEL_DATA_ROWS: usize = 1_048_575;

/// Columns of the demo export holding money (two decimals) and the odometer.
const MONEY_COLS: [usize; 3] = [12, 13, 14];
const MILEAGE_COL: usize = 10;
/// The columns of the narrow export: 工单号, 结算日期, 客户编号, 客户名称, 联系电话, 车牌号,
/// 维修类别, 实收金额.
const NARROW_COLS: [usize; 8] = [0, 1, 2, 3, 4, 5, 11, 14];
const ALL_COLS: [usize; 20] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
];
const WIDTHS: [f64; 20] = [
    18.0, 12.0, 10.0, 30.0, 13.0, 11.0, 20.0, 10.0, 24.0, 12.0, 10.0, 12.0, 11.0, 11.0, 12.0, 9.0,
    10.0, 12.0, 11.0, 14.0,
];

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date")
}

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date")
}

fn options(customers: usize) -> DemoOptions {
    DemoOptions {
        seed: SEED,
        customers,
        start: start(),
        end: end(),
        lang: Lang::Zh,
    }
}

/// The demo rows of enough customers for `rows` data rows, cut to exactly `rows`.
fn rows_for(rows: usize) -> (Vec<String>, Vec<Vec<Cell>>, usize) {
    // Rows per customer over the period, from a small sample; then grow until enough.
    let sample = 2_000;
    let (_, sample_rows) = demo::demo_rows(&options(sample));
    let per_customer = sample_rows.len().max(1) as f64 / sample as f64;
    let mut customers = ((rows as f64 / per_customer) * 1.02).ceil() as usize;
    loop {
        let (headers, mut data) = demo::demo_rows(&options(customers));
        if data.len() >= rows {
            data.truncate(rows);
            return (headers, data, customers);
        }
        let grow = rows as f64 / data.len().max(1) as f64;
        customers = ((customers as f64) * grow * 1.02).ceil() as usize;
    }
}

fn excel_serial(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    (d - epoch).num_days() as f64
}

/// Writes the given columns (indices into the demo columns) of the rows.
fn write_xlsx(
    path: &Path,
    headers: &[String],
    rows: &[Vec<Cell>],
    cols: &[usize],
) -> Result<(), XlsxError> {
    let header_fmt = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let money_fmt = Format::new().set_num_format("#,##0.00");
    let km_fmt = Format::new().set_num_format("#,##0");

    let created = ExcelDateTime::from_ymd(2025, 6, 30)?.and_hms(18, 0, 0)?;
    let props = DocProperties::new()
        .set_title("维修结算明细")
        .set_author("DealerLens benchmark")
        .set_creation_datetime(&created);

    let mut workbook = Workbook::new();
    workbook.set_properties(&props);
    let sheet = workbook.add_worksheet_with_low_memory()?;
    sheet.set_name("维修记录")?;
    for (out, &c) in cols.iter().enumerate() {
        sheet.set_column_width(out as u16, WIDTHS[c])?;
        sheet.write_string_with_format(0, out as u16, &headers[c], &header_fmt)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = (i + 1) as u32;
        for (out, &c) in cols.iter().enumerate() {
            let col = out as u16;
            let Some(cell) = row.get(c) else { continue };
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    sheet.write_string(r, col, s)?;
                }
                Cell::Number(n) => {
                    let fmt = if c == MILEAGE_COL {
                        &km_fmt
                    } else {
                        &money_fmt
                    };
                    sheet.write_number_with_format(r, col, *n, fmt)?;
                }
                Cell::DateTime(d) => {
                    sheet.write_number_with_format(r, col, excel_serial(d.date()), &date_fmt)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(r, col, *b)?;
                }
                Cell::Error(e) => {
                    sheet.write_string(r, col, e)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save(path)
}

fn csv_field(s: &str, out: &mut String) {
    if s.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn write_gbk_csv(path: &Path, headers: &[String], rows: &[Vec<Cell>]) -> std::io::Result<()> {
    let mut text = String::with_capacity(rows.len() * 220);
    for (c, h) in headers.iter().enumerate() {
        if c > 0 {
            text.push(',');
        }
        csv_field(h, &mut text);
    }
    text.push_str("\r\n");
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                text.push(',');
            }
            let value = match cell {
                Cell::Number(n) if MONEY_COLS.contains(&c) => format!("{n:.2}"),
                Cell::Number(n) => format_number(*n),
                Cell::DateTime(d) => format!(
                    "{:04}-{:02}-{:02}",
                    d.date().year(),
                    d.date().month(),
                    d.date().day()
                ),
                other => other.to_text(),
            };
            csv_field(&value, &mut text);
        }
        text.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    if unmappable {
        return Err(std::io::Error::other(
            "a character has no GBK code (it would be written as a numeric reference)",
        ));
    }
    let mut f = std::fs::File::create(path)?;
    f.write_all(&bytes)?;
    f.flush()
}

fn size_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
}

/// Writes `name` in `out_dir` through a `.part` file (so that an interrupted run leaves no
/// half file under the real name) and logs its size and the time it took.
fn emit<E: std::fmt::Debug>(
    out_dir: &Path,
    name: &str,
    write: impl FnOnce(&Path) -> Result<(), E>,
) {
    let t = Instant::now();
    let p = out_dir.join(name);
    let tmp = out_dir.join(format!("{name}.part"));
    write(&tmp).unwrap_or_else(|e| panic!("cannot write {name}: {e:?}"));
    std::fs::rename(&tmp, &p).unwrap_or_else(|e| panic!("cannot rename {name}: {e}"));
    eprintln!(
        "wrote {} ({:.1} MB) in {:.1} s",
        p.display(),
        size_mb(&p),
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let mut out_dir = PathBuf::from("bench/data");
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--only" {
            only.extend(args.next());
        } else {
            out_dir = PathBuf::from(a);
        }
    }
    std::fs::create_dir_all(&out_dir).expect("cannot create the output directory");
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let fresh = |name: &str| wanted(name) && !out_dir.join(name).exists();

    let mid_xlsx = "service_541909.xlsx";
    let mid_csv = "service_541909_gbk.csv";
    let narrow_xlsx = "service_541909_8col.xlsx";
    let big_xlsx = "service_1048575.xlsx";

    if fresh(mid_xlsx) || fresh(mid_csv) || fresh(narrow_xlsx) {
        let t = Instant::now();
        let (headers, rows, customers) = rows_for(MID_ROWS);
        eprintln!(
            "generated {} rows ({customers} customers) in {:.1} s",
            rows.len(),
            t.elapsed().as_secs_f64()
        );
        if fresh(mid_xlsx) {
            emit(&out_dir, mid_xlsx, |tmp| {
                write_xlsx(tmp, &headers, &rows, &ALL_COLS)
            });
        }
        if fresh(narrow_xlsx) {
            emit(&out_dir, narrow_xlsx, |tmp| {
                write_xlsx(tmp, &headers, &rows, &NARROW_COLS)
            });
        }
        if fresh(mid_csv) {
            emit(&out_dir, mid_csv, |tmp| write_gbk_csv(tmp, &headers, &rows));
        }
    }
    if fresh(big_xlsx) {
        let t = Instant::now();
        let (headers, rows, customers) = rows_for(EXCEL_DATA_ROWS);
        eprintln!(
            "generated {} rows ({customers} customers) in {:.1} s",
            rows.len(),
            t.elapsed().as_secs_f64()
        );
        emit(&out_dir, big_xlsx, |tmp| {
            write_xlsx(tmp, &headers, &rows, &ALL_COLS)
        });
    }
    for name in [mid_xlsx, narrow_xlsx, mid_csv, big_xlsx] {
        let p = out_dir.join(name);
        if p.exists() {
            println!(
                "{}\t{}",
                p.display(),
                std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0)
            );
        }
    }
}
