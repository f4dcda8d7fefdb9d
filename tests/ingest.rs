//! Ingest: every supported format, encoding and rejection, on fixtures generated here
//! (xlsx with rust_xlsxwriter, ods and patched xlsx with the zip crate, text and HTML as
//! bytes, an OLE2 directory by hand) and the checked-in .xls files from
//! `scripts/make_xls_fixtures.py`. Expected values are written by hand from the fixtures.

use chrono::{NaiveDate, NaiveDateTime};
use dealerlens::engine::ingest::{detect_format, read_table, EncodingChoice, IngestOptions};
use dealerlens::engine::{Cell, EngineError, Format, RawTable};
use rust_xlsxwriter::{ExcelDateTime, Format as XlFormat, Workbook};
use std::io::{Cursor, Read, Write};

// ---------------------------------------------------------------------------------------
// Helpers.

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn n(v: f64) -> Cell {
    Cell::Number(v)
}

const E: Cell = Cell::Empty;

fn datetime(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, mi, s)
        .unwrap()
}

fn date(y: i32, m: u32, d: u32) -> Cell {
    Cell::DateTime(datetime(y, m, d, 0, 0, 0))
}

fn read(bytes: &[u8]) -> RawTable {
    read_table(bytes, &IngestOptions::default()).unwrap_or_else(|e| panic!("read failed: {e:?}"))
}

fn read_err(bytes: &[u8]) -> EngineError {
    match read_table(bytes, &IngestOptions::default()) {
        Ok(t) => panic!(
            "expected an error, got {:?} with {} rows",
            t.format,
            t.to_rows().len()
        ),
        Err(e) => e,
    }
}

fn with_sheet(name: &str) -> IngestOptions {
    IngestOptions {
        sheet: Some(name.to_string()),
        ..IngestOptions::default()
    }
}

fn with_encoding(encoding: EncodingChoice) -> IngestOptions {
    IngestOptions {
        encoding,
        ..IngestOptions::default()
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Rewrites a zip (xlsx/ods), letting `edit` change any part by name.
fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut src = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let data = edit(&name, data);
        out.start_file(
            name.as_str(),
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// `rezip` with a text replacement in one part (which must occur).
fn patch_part(bytes: &[u8], part: &str, from: &str, to: &str) -> Vec<u8> {
    rezip(bytes, |name, data| {
        if name == part {
            let s = String::from_utf8(data).unwrap();
            assert!(s.contains(from), "{part} has no {from:?}: {s}");
            s.replacen(from, to, 1).into_bytes()
        } else {
            data
        }
    })
}

const HEADER: [&str; 7] = [
    "工单号",
    "客户名称",
    "车牌号",
    "结算日期",
    "实收金额",
    "数量",
    "已回访",
];

/// The records sheet of the xlsx and xls fixtures: title, blank row, header, 3 records, 合计.
fn expected_service_rows(with_bool_and_time: bool) -> Vec<Vec<Cell>> {
    let header: Vec<Cell> = HEADER
        .iter()
        .take(if with_bool_and_time { 7 } else { 6 })
        .map(|h| t(h))
        .collect();
    let mut r1 = vec![
        t("00123"),
        t("张三"),
        t("京A12345"),
        date(2024, 3, 5),
        n(1280.5),
        n(2.0),
    ];
    let mut r2 = vec![
        t("00124"),
        t("李四"),
        t("沪B67890"),
        date(2024, 3, 18),
        n(560.0),
        n(1.0),
    ];
    let r3 = vec![
        t("00125"),
        t("王五"),
        t("粤C11111"),
        date(2024, 4, 1),
        n(-120.0),
        n(1.0),
    ];
    if with_bool_and_time {
        r1.push(Cell::Bool(true));
        r2[3] = Cell::DateTime(datetime(2024, 3, 18, 14, 30, 0));
        r2.push(Cell::Bool(false));
        // r3 has no value in the last column: the row ends at the quantity.
    }
    vec![
        vec![t("某某汽车4S店维修结算明细")],
        vec![],
        header,
        r1,
        r2,
        r3,
        vec![t("合计"), E, E, E, n(1720.5), n(4.0)],
    ]
}

// ---------------------------------------------------------------------------------------
// xlsx

/// Sheet "说明" (two short notes) first, then "维修记录": a merged title row, a blank row,
/// the header, three records (text IDs with leading zeros, a padded name, a date, a
/// date-time, numbers, booleans) and a 合计 row.
fn service_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let date_fmt = XlFormat::new().set_num_format("yyyy-mm-dd");
    let datetime_fmt = XlFormat::new().set_num_format("yyyy-mm-dd hh:mm");
    let money = XlFormat::new().set_num_format("#,##0.00");

    let notes = wb.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "本表由系统导出").unwrap();
    notes.write_string(1, 0, "金额单位：元").unwrap();

    let ws = wb.add_worksheet();
    ws.set_name("维修记录").unwrap();
    ws.merge_range(0, 0, 0, 6, "某某汽车4S店维修结算明细", &XlFormat::new())
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let d = |y, m, dd| ExcelDateTime::from_ymd(y, m, dd).unwrap();
    ws.write_string(3, 0, "00123").unwrap();
    ws.write_string(3, 1, "张三").unwrap();
    ws.write_string(3, 2, "京A12345").unwrap();
    ws.write_datetime_with_format(3, 3, d(2024, 3, 5), &date_fmt)
        .unwrap();
    ws.write_number_with_format(3, 4, 1280.5, &money).unwrap();
    ws.write_number(3, 5, 2).unwrap();
    ws.write_boolean(3, 6, true).unwrap();

    ws.write_string(4, 0, "00124").unwrap();
    ws.write_string(4, 1, "  李四  ").unwrap();
    ws.write_string(4, 2, "沪B67890").unwrap();
    let afternoon = d(2024, 3, 18).and_hms(14, 30, 0).unwrap();
    ws.write_datetime_with_format(4, 3, afternoon, &datetime_fmt)
        .unwrap();
    ws.write_number_with_format(4, 4, 560, &money).unwrap();
    ws.write_number(4, 5, 1).unwrap();
    ws.write_boolean(4, 6, false).unwrap();

    ws.write_string(5, 0, "00125").unwrap();
    ws.write_string(5, 1, "王五").unwrap();
    ws.write_string(5, 2, "粤C11111").unwrap();
    ws.write_datetime_with_format(5, 3, d(2024, 4, 1), &date_fmt)
        .unwrap();
    ws.write_number_with_format(5, 4, -120, &money).unwrap();
    ws.write_number(5, 5, 1).unwrap();

    ws.write_string(6, 0, "合计").unwrap();
    ws.write_number_with_format(6, 4, 1720.5, &money).unwrap();
    ws.write_number(6, 5, 4).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_picks_the_records_sheet_and_keeps_row_numbers() {
    let bytes = service_xlsx();
    assert_eq!(detect_format(&bytes).unwrap(), Format::Xlsx);
    let table = read(&bytes);
    assert_eq!(table.format, Format::Xlsx);
    assert_eq!(table.sheet.as_deref(), Some("维修记录"));
    assert_eq!(table.sheets, vec!["说明", "维修记录"]);
    assert_eq!(table.encoding, None);
    assert!(!table.date_1904);
    assert_eq!(table.to_rows(), expected_service_rows(true));
    assert_eq!(table.to_rows().len(), 7);
    assert_eq!(table.width(), 7);
}

#[test]
fn xlsx_named_sheet_and_missing_sheet() {
    let bytes = service_xlsx();
    let notes = read_table(&bytes, &with_sheet("说明")).unwrap();
    assert_eq!(notes.sheet.as_deref(), Some("说明"));
    assert_eq!(
        notes.to_rows(),
        vec![vec![t("本表由系统导出")], vec![t("金额单位：元")]]
    );
    match read_table(&bytes, &with_sheet("Sheet9")) {
        Err(EngineError::NoSuchSheet { name, available }) => {
            assert_eq!(name, "Sheet9");
            assert_eq!(available, vec!["说明", "维修记录"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn xlsx_leading_zero_id_stored_as_text_stays_text() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "客户编号").unwrap();
    ws.write_string(0, 1, "金额").unwrap();
    ws.write_string(0, 2, "备注").unwrap();
    ws.write_string(1, 0, "00123").unwrap();
    ws.write_number(1, 1, 123).unwrap();
    ws.write_string(1, 2, "0").unwrap();
    let table = read(&wb.save_to_buffer().unwrap());
    assert_eq!(table.sheet.as_deref(), Some("Sheet1"));
    assert_eq!(table.to_rows()[1], vec![t("00123"), n(123.0), t("0")]);
    assert_eq!(table.to_rows()[1][0].to_text(), "00123");
}

#[test]
fn xlsx_visible_record_sheet_beats_long_notes_and_hidden_lookup() {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("说明").unwrap();
    for r in 0..40 {
        notes.write_string(r, 0, format!("第{r}条")).unwrap();
        notes.write_string(r, 1, "说明文字").unwrap();
    }
    let rec = wb.add_worksheet();
    rec.set_name("记录").unwrap();
    for r in 0..4u32 {
        for c in 0..3u16 {
            rec.write_number(r, c, f64::from(r * 10 + u32::from(c)))
                .unwrap();
        }
    }
    let lookup = wb.add_worksheet();
    lookup.set_name("lookup").unwrap();
    lookup.set_hidden(true);
    for r in 0..20u32 {
        for c in 0..4u16 {
            lookup.write_number(r, c, 1.0).unwrap();
        }
    }
    let table = read(&wb.save_to_buffer().unwrap());
    assert_eq!(table.sheet.as_deref(), Some("记录"));
    assert_eq!(table.sheets, vec!["说明", "记录", "lookup"]);
    assert_eq!(table.to_rows().len(), 4);
    assert_eq!(table.to_rows()[3], vec![n(30.0), n(31.0), n(32.0)]);
}

#[test]
fn xlsx_1904_workbook_dates() {
    // rust_xlsxwriter always writes the 1900 system: switch the workbook to 1904 and write
    // the serial of 2024-03-05 in that system (45356 - 1462) with a date format.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_fmt = XlFormat::new().set_num_format("yyyy-mm-dd");
    ws.write_string(0, 0, "日期").unwrap();
    ws.write_string(0, 1, "序列号").unwrap();
    ws.write_string(0, 2, "金额").unwrap();
    ws.write_number_with_format(1, 0, 45356.0 - 1462.0, &date_fmt)
        .unwrap();
    ws.write_number(1, 1, 45356.0 - 1462.0).unwrap();
    ws.write_number(1, 2, 99.5).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let bytes = patch_part(
        &bytes,
        "xl/workbook.xml",
        "<workbookPr ",
        "<workbookPr date1904=\"1\" ",
    );
    let table = read(&bytes);
    assert!(table.date_1904);
    assert_eq!(
        table.to_rows()[1],
        vec![date(2024, 3, 5), n(43894.0), n(99.5)]
    );
}

#[test]
fn xlsx_stray_cell_at_xfd1048576_does_not_allocate_a_dense_range() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "a").unwrap();
    ws.write_string(0, 1, "b").unwrap();
    ws.write_string(0, 2, "c").unwrap();
    ws.write_string(1_048_575, 16_383, "stray").unwrap();
    let table = read(&wb.save_to_buffer().unwrap());
    assert_eq!(table.to_rows().len(), 1_048_576);
    assert_eq!(table.to_rows()[0], vec![t("a"), t("b"), t("c")]);
    assert!(table.to_rows()[1..1_048_575].iter().all(Vec::is_empty));
    assert_eq!(table.to_rows()[1_048_575].len(), 16_384);
    assert_eq!(table.cell(1_048_575, 16_383).to_cell(), t("stray"));
}

#[test]
fn xlsx_cells_beyond_excel_limits_are_too_large() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(0, 0, 1).unwrap();
    ws.write_number(1, 0, 2).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let sheet = "xl/worksheets/sheet1.xml";
    let wide = patch_part(&bytes, sheet, "r=\"A1\"", "r=\"XFE1\"");
    assert_eq!(
        read_err(&wide),
        EngineError::TooLarge {
            what: "columns".into(),
            limit: 16_384
        }
    );
    let tall = patch_part(&bytes, sheet, "r=\"A2\"", "r=\"A1048577\"");
    assert_eq!(
        read_err(&tall),
        EngineError::TooLarge {
            what: "rows".into(),
            limit: 1_048_576
        }
    );
}

#[test]
fn xlsx_hostile_shared_string_count_is_rejected_before_calamine() {
    // calamine reserves `uniqueCount` strings up front: 4294967295 would abort the process.
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let bomb = patch_part(
        &bytes,
        "xl/sharedStrings.xml",
        "uniqueCount=\"1\"",
        "uniqueCount=\"4294967295\"",
    );
    assert!(matches!(
        read_err(&bomb),
        EngineError::TooLarge { what, .. } if what == "shared strings"
    ));
    // A smaller lie (more strings than the part could hold) is corrupt.
    let lie = patch_part(
        &bytes,
        "xl/sharedStrings.xml",
        "uniqueCount=\"1\"",
        "uniqueCount=\"1000000\"",
    );
    assert!(matches!(
        read_err(&lie),
        EngineError::Corrupt { format, .. } if format == "xlsx"
    ));
}

#[test]
fn xlsx_declared_inflated_size_over_the_limit_is_rejected() {
    let mut wb = Workbook::new();
    wb.add_worksheet().write_number(0, 0, 1).unwrap();
    let mut bytes = wb.save_to_buffer().unwrap();
    // Patch the central-directory entry of the sheet to declare 2 GiB uncompressed.
    let name = b"xl/worksheets/sheet1.xml";
    let mut patched = false;
    let mut i = 0;
    while i + 46 <= bytes.len() {
        if bytes[i..i + 4] == *b"PK\x01\x02" {
            let name_len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if &bytes[i + 46..i + 46 + name_len] == name {
                bytes[i + 24..i + 28].copy_from_slice(&0x8000_0000u32.to_le_bytes());
                patched = true;
            }
        }
        i += 1;
    }
    assert!(patched);
    assert!(matches!(read_err(&bytes), EngineError::TooLarge { .. }));
}

#[test]
fn xlsx_without_any_value_is_no_data_and_truncated_is_corrupt() {
    let mut wb = Workbook::new();
    wb.add_worksheet();
    wb.add_worksheet();
    let bytes = wb.save_to_buffer().unwrap();
    assert_eq!(read_err(&bytes), EngineError::NoData);
    let cut = &bytes[..bytes.len() / 2];
    assert!(matches!(read_err(cut), EngineError::Corrupt { .. }));
}

// ---------------------------------------------------------------------------------------
// xls (checked in, from scripts/make_xls_fixtures.py)

#[test]
fn xls_fixture_title_header_dates_and_total_row() {
    let bytes = fixture("service_records.xls");
    assert!(bytes.len() < 20 * 1024);
    assert_eq!(detect_format(&bytes).unwrap(), Format::Xls);
    let table = read(&bytes);
    assert_eq!(table.format, Format::Xls);
    assert_eq!(table.sheet.as_deref(), Some("维修记录"));
    assert_eq!(table.sheets, vec!["说明", "维修记录"]);
    assert!(!table.date_1904);
    assert_eq!(table.encoding, None);
    assert_eq!(table.to_rows(), expected_service_rows(false));
}

#[test]
fn xls_fixture_in_the_1904_date_system() {
    let table = read(&fixture("service_records_1904.xls"));
    assert!(table.date_1904);
    assert_eq!(table.to_rows(), expected_service_rows(false));
    let notes = read_table(&fixture("service_records_1904.xls"), &with_sheet("说明")).unwrap();
    assert_eq!(notes.to_rows(), vec![vec![t("本文件由系统导出")]]);
}

// ---------------------------------------------------------------------------------------
// ods (written by hand: mimetype stored first, manifest, content.xml)

fn ods(content_xml: &str) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#,
    )
    .unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(content_xml.as_bytes()).unwrap();
    z.finish().unwrap().into_inner()
}

// calamine rejects whitespace between the cells of a row ("Expecting 'table-cell'"), so
// each row is on one line; whitespace between rows is fine.
const ODS_CONTENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="备注">
 <table:table-row><table:table-cell office:value-type="string"><text:p>无</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="台账">
 <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
 <table:table-row><table:table-cell office:value-type="string"><text:p>客户</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>日期</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>金额</text:p></table:table-cell></table:table-row>
 <table:table-row><table:table-cell office:value-type="string"><text:p>张三</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2024-03-05"><text:p>2024/3/5</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1280.5"><text:p>1280.5</text:p></table:table-cell></table:table-row>
 <table:table-row><table:table-cell office:value-type="string"><text:p>李四</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2024-03-18T14:30:00"><text:p>2024/3/18 14:30</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="-60"><text:p>-60</text:p></table:table-cell><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell></table:table-row>
 <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>"#;

#[test]
fn ods_table_with_leading_blank_rows_dates_and_repeats() {
    let bytes = ods(ODS_CONTENT);
    assert_eq!(detect_format(&bytes).unwrap(), Format::Ods);
    let table = read(&bytes);
    assert_eq!(table.format, Format::Ods);
    assert_eq!(table.sheet.as_deref(), Some("台账"));
    assert_eq!(table.sheets, vec!["备注", "台账"]);
    assert!(!table.date_1904);
    assert_eq!(
        table.to_rows(),
        vec![
            vec![],
            vec![],
            vec![t("客户"), t("日期"), t("金额")],
            vec![t("张三"), date(2024, 3, 5), n(1280.5)],
            vec![
                t("李四"),
                Cell::DateTime(datetime(2024, 3, 18, 14, 30, 0)),
                n(-60.0),
                Cell::Bool(true)
            ],
        ]
    );
}

// ---------------------------------------------------------------------------------------
// CSV / TSV

const CSV_UTF8: &str = "客户名称,车牌号,结算日期,实收金额\n张三,京A12345,2024-03-05,\"1,280.00\"\n李四 , 沪B67890 ,2024/3/18,560\n";

fn expected_csv_rows() -> Vec<Vec<Cell>> {
    vec![
        vec![t("客户名称"), t("车牌号"), t("结算日期"), t("实收金额")],
        vec![t("张三"), t("京A12345"), t("2024-03-05"), t("1,280.00")],
        vec![t("李四"), t("沪B67890"), t("2024/3/18"), t("560")],
    ]
}

#[test]
fn csv_utf8() {
    let table = read(CSV_UTF8.as_bytes());
    assert_eq!(table.format, Format::Csv);
    assert_eq!(table.encoding.as_deref(), Some("utf-8"));
    assert_eq!(table.sheet, None);
    assert!(table.sheets.is_empty());
    assert_eq!(table.to_rows(), expected_csv_rows());
    assert_eq!(detect_format(CSV_UTF8.as_bytes()).unwrap(), Format::Csv);
}

#[test]
fn csv_utf8_with_bom() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(CSV_UTF8.as_bytes());
    let table = read(&bytes);
    assert_eq!(table.encoding.as_deref(), Some("utf-8-bom"));
    assert_eq!(table.to_rows(), expected_csv_rows());
}

#[test]
fn csv_gbk_with_title_row() {
    let text = format!(
        "维修记录导出（2024年3月）\r\n{}",
        CSV_UTF8.replace('\n', "\r\n")
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let table = read(&gbk);
    assert_eq!(table.format, Format::Csv);
    assert_eq!(table.encoding.as_deref(), Some("gb18030"));
    let mut expected = vec![vec![t("维修记录导出（2024年3月）")]];
    expected.extend(expected_csv_rows());
    assert_eq!(table.to_rows(), expected);

    // Explicit choices: GB18030 works, UTF-8 is refused with a clear error.
    let as_gb = read_table(&gbk, &with_encoding(EncodingChoice::Gb18030)).unwrap();
    assert_eq!(as_gb.to_rows(), expected);
    assert_eq!(
        read_table(&gbk, &with_encoding(EncodingChoice::Utf8)),
        Err(EngineError::BadEncoding {
            encoding: "utf-8".into()
        })
    );
}

#[test]
fn tsv_utf16le_with_bom_like_excel_unicode_text() {
    let text = "客户\t金额\t备注\n张三\t1,280.00\t\"含, 逗号\"\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let table = read(&bytes);
    assert_eq!(table.format, Format::Tsv);
    assert_eq!(table.encoding.as_deref(), Some("utf-16le"));
    assert_eq!(
        table.to_rows(),
        vec![
            vec![t("客户"), t("金额"), t("备注")],
            vec![t("张三"), t("1,280.00"), t("含, 逗号")],
        ]
    );
    let forced = read_table(&bytes, &with_encoding(EncodingChoice::Utf16)).unwrap();
    assert_eq!(forced.to_rows(), table.to_rows());
}

#[test]
fn tsv_utf8() {
    let table = read("工单号\t客户\t金额\n00123\t张三\t1280\n00124\t\t-35.5\n".as_bytes());
    assert_eq!(table.format, Format::Tsv);
    assert_eq!(table.encoding.as_deref(), Some("utf-8"));
    assert_eq!(
        table.to_rows(),
        vec![
            vec![t("工单号"), t("客户"), t("金额")],
            vec![t("00123"), t("张三"), t("1280")],
            vec![t("00124"), E, t("-35.5")],
        ]
    );
}

#[test]
fn csv_semicolon_with_decimal_commas() {
    let table = read(
        "Kunde;Datum;Betrag\nMüller;05.03.2024;1280,50\nSchmidt;18.03.2024;560,00\n".as_bytes(),
    );
    assert_eq!(table.format, Format::Csv);
    assert_eq!(
        table.to_rows(),
        vec![
            vec![t("Kunde"), t("Datum"), t("Betrag")],
            vec![t("Müller"), t("05.03.2024"), t("1280,50")],
            vec![t("Schmidt"), t("18.03.2024"), t("560,00")],
        ]
    );
}

#[test]
fn csv_pipe_delimited() {
    let table = read("a|b|c\n1|2|3\n".as_bytes());
    assert_eq!(table.format, Format::Csv);
    assert_eq!(table.to_rows()[1], vec![t("1"), t("2"), t("3")]);
}

#[test]
fn csv_quoted_fields_with_commas_newlines_and_quotes() {
    let text = "客户,地址,备注,金额\r\n\"张三, 先生\",\"北京市\n朝阳区\",\"他说\"\"下周再来\"\"\",100\r\n\r\n李四,,\"  \",200\r\n";
    let table = read(text.as_bytes());
    assert_eq!(table.format, Format::Csv);
    assert_eq!(
        table.to_rows(),
        vec![
            vec![t("客户"), t("地址"), t("备注"), t("金额")],
            vec![
                t("张三, 先生"),
                t("北京市\n朝阳区"),
                t("他说\"下周再来\""),
                t("100")
            ],
            // The blank line stays a blank row so row numbers match a spreadsheet's.
            vec![],
            vec![t("李四"), E, E, t("200")],
        ]
    );
}

#[test]
fn csv_sep_directive_and_ragged_rows() {
    let table = read("sep=;\na;b\n1;2;3\n4\n".as_bytes());
    assert_eq!(
        table.to_rows(),
        vec![
            vec![t("a"), t("b")],
            vec![t("1"), t("2"), t("3")],
            vec![t("4")],
        ]
    );
}

#[test]
fn csv_with_nothing_in_it_is_no_data() {
    assert_eq!(read_err(b",,,\n , ,\n"), EngineError::NoData);
    assert_eq!(read_err(b"\n\n\n"), EngineError::NoData);
}

// ---------------------------------------------------------------------------------------
// HTML saved as .xls

#[test]
fn html_table_saved_as_xls_in_gbk_with_meta_charset() {
    let page = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>维修台账</title><style>td { mso-number-format:"\@"; }</style></head>
<body>
<table><tr><td>打印日期：2024-04-02</td></tr></table>
<table border="1" cellspacing="0">
<tr><td colspan="4" align="center"><b>某某汽修厂维修台账</b></td></tr>
<tr><th>客户名称</th><th>车牌号</th><th>结算日期</th><th>实收金额<br>(元)</th></tr>
<tr><td>张三&amp;李四</td><td>京A12345</td><td x:num="45356">2024年3月5日</td><td x:num>&yen;1,280.00</td></tr>
<tr><td>王五</td><td>&nbsp;</td><td>2024-03-18</td><td>&#45;60</td></tr>
<tr><td>合计</td><td></td><td></td><td>1,220.00</td></tr>
</table>
</body></html>"#;
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(page);
    assert!(!unmappable);
    assert_eq!(detect_format(&gbk).unwrap(), Format::Html);
    let table = read(&gbk);
    assert_eq!(table.format, Format::Html);
    assert_eq!(table.encoding.as_deref(), Some("gb18030"));
    assert_eq!(table.sheet, None);
    assert_eq!(
        table.to_rows(),
        vec![
            vec![t("某某汽修厂维修台账"), E, E, E],
            vec![
                t("客户名称"),
                t("车牌号"),
                t("结算日期"),
                t("实收金额 (元)")
            ],
            vec![
                t("张三&李四"),
                t("京A12345"),
                t("2024年3月5日"),
                t("¥1,280.00")
            ],
            vec![t("王五"), E, t("2024-03-18"), t("-60")],
            vec![t("合计"), E, E, t("1,220.00")],
        ]
    );
}

#[test]
fn html_utf8_after_bom_and_whitespace_with_entities() {
    let page = "\u{feff}\r\n  <TABLE><TR><TD>A &lt; B</TD><TD>&quot;x&quot; &#x4E2D;&#25991;</TD><TD>&#39;</TD></TR></TABLE>";
    let table = read(page.as_bytes());
    assert_eq!(table.format, Format::Html);
    assert_eq!(table.encoding.as_deref(), Some("utf-8-bom"));
    assert_eq!(
        table.to_rows(),
        vec![vec![t("A < B"), t("\"x\" 中文"), t("'")]]
    );
}

#[test]
fn html_without_a_table_is_no_data() {
    assert_eq!(
        read_err(b"<!DOCTYPE html><html><body><p>nothing</p></body></html>"),
        EngineError::NoData
    );
}

// ---------------------------------------------------------------------------------------
// Rejections

#[test]
fn empty_file() {
    assert_eq!(read_err(b""), EngineError::EmptyFile);
    assert_eq!(detect_format(b""), Err(EngineError::EmptyFile));
}

#[test]
fn pdf_and_images_are_named() {
    let cases: [(&[u8], &str); 4] = [
        (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
        (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\0\x01\0", "GIF image"),
    ];
    for (bytes, what) in cases {
        assert_eq!(
            read_err(bytes),
            EngineError::UnknownFormat {
                detected: what.into()
            }
        );
    }
}

#[test]
fn random_bytes_are_unknown_binary() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    assert_eq!(
        read_err(&bytes),
        EngineError::UnknownFormat {
            detected: "binary data".into()
        }
    );
}

#[test]
fn plain_zip_and_broken_zip() {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"hello").unwrap();
    let bytes = z.finish().unwrap().into_inner();
    assert_eq!(
        read_err(&bytes),
        EngineError::UnknownFormat {
            detected: "ZIP archive".into()
        }
    );
    assert!(matches!(
        read_err(b"PK\x03\x04garbage that is not a zip"),
        EngineError::Corrupt { format, .. } if format == "zip"
    ));
}

/// A minimal OLE2 compound file (512-byte sectors: header, one FAT sector, one directory
/// sector) whose directory lists `names` as empty streams.
fn ole2(names: &[&str]) -> Vec<u8> {
    assert!(names.len() <= 3);
    let mut f = vec![0u8; 512 * 3];
    let put16 =
        |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    f[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put16(&mut f, 0x18, 0x3E); // minor version
    put16(&mut f, 0x1A, 3); // major version
    put16(&mut f, 0x1C, 0xFFFE); // byte order
    put16(&mut f, 0x1E, 9); // 512-byte sectors
    put16(&mut f, 0x20, 6); // 64-byte mini sectors
    put32(&mut f, 0x2C, 1); // one FAT sector
    put32(&mut f, 0x30, 1); // directory starts at sector 1
    put32(&mut f, 0x38, 4096); // mini stream cutoff
    put32(&mut f, 0x3C, 0xFFFF_FFFE); // no mini FAT
    put32(&mut f, 0x44, 0xFFFF_FFFE); // no DIFAT sectors
    put32(&mut f, 0x4C, 0); // FAT is sector 0
    for i in 1..109 {
        put32(&mut f, 0x4C + 4 * i, 0xFFFF_FFFF);
    }
    // FAT (sector 0 at offset 512): sector 0 is the FAT, sector 1 ends the directory chain.
    put32(&mut f, 512, 0xFFFF_FFFD);
    put32(&mut f, 516, 0xFFFF_FFFE);
    for i in 2..128 {
        put32(&mut f, 512 + 4 * i, 0xFFFF_FFFF);
    }
    // Directory (sector 1 at offset 1024).
    let entry = |f: &mut Vec<u8>, idx: usize, name: &str, kind: u8, child: u32, right: u32| {
        let at = 1024 + 128 * idx;
        let units: Vec<u16> = name.encode_utf16().collect();
        for (k, u) in units.iter().enumerate() {
            f[at + 2 * k..at + 2 * k + 2].copy_from_slice(&u.to_le_bytes());
        }
        put16(f, at + 0x40, (units.len() as u16 + 1) * 2);
        f[at + 0x42] = kind;
        f[at + 0x43] = 1; // black
        put32(f, at + 0x44, 0xFFFF_FFFF); // left sibling
        put32(f, at + 0x48, right);
        put32(f, at + 0x4C, child);
        put32(f, at + 0x74, 0xFFFF_FFFE); // start sector: none
    };
    entry(&mut f, 0, "Root Entry", 5, 1, 0xFFFF_FFFF);
    for (i, name) in names.iter().enumerate() {
        let right = if i + 1 < names.len() {
            i as u32 + 2
        } else {
            0xFFFF_FFFF
        };
        entry(&mut f, i + 1, name, 2, 0xFFFF_FFFF, right);
    }
    f
}

#[test]
fn ole2_encrypted_ooxml_package_is_encrypted() {
    let bytes = ole2(&["EncryptionInfo", "EncryptedPackage"]);
    assert_eq!(read_err(&bytes), EngineError::Encrypted);
    assert_eq!(detect_format(&bytes), Err(EngineError::Encrypted));
}

#[test]
fn ole2_word_document_is_unknown_and_workbook_stream_is_xls() {
    assert_eq!(
        read_err(&ole2(&["WordDocument", "1Table"])),
        EngineError::UnknownFormat {
            detected: "Word document (doc)".into()
        }
    );
    // A Workbook stream means xls; this one is empty, which calamine reads as a workbook
    // without sheets.
    let fake_xls = ole2(&["Workbook"]);
    assert_eq!(detect_format(&fake_xls).unwrap(), Format::Xls);
    assert_eq!(read_err(&fake_xls), EngineError::NoData);
}

/// The streaming readers report their progress: rows of the sheet read against the rows it
/// declares (xlsx), bytes parsed against the text's length (CSV).
#[test]
fn reading_reports_progress_to_the_hook() {
    use dealerlens::engine::ingest::progress::{with_hook, STEP_ROWS};
    use std::cell::RefCell;
    use std::rc::Rc;

    let rows = 2 * STEP_ROWS + 500;
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["客户编号", "结算日期", "结算金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        ws.write_string(r, 0, format!("C{r}")).unwrap();
        ws.write_string(r, 1, "2024-05-01").unwrap();
        ws.write_number(r, 2, 100.0).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let xlsx_seen = Rc::new(RefCell::new(Vec::new()));
    let log = xlsx_seen.clone();
    let table = with_hook(
        move |done, total| log.borrow_mut().push((done, total)),
        || dealerlens::engine::ingest::read_table(&bytes, &Default::default()),
    )
    .expect("reads");
    assert_eq!(table.to_rows().len(), rows as usize + 1);
    let seen = xlsx_seen.borrow().clone();
    // Declared rows: the header and the data rows. A report at the start, then one per
    // STEP_ROWS rows.
    let total = u64::from(rows) + 1;
    assert_eq!(
        seen,
        vec![
            (0, total),
            (u64::from(STEP_ROWS), total),
            (u64::from(2 * STEP_ROWS), total)
        ]
    );

    // CSV: bytes, increasing, within the text.
    let mut csv = String::from("客户编号,结算日期,结算金额\n");
    for r in 0..rows {
        csv.push_str(&format!("C{r},2024-05-01,100\n"));
    }
    let csv_seen = Rc::new(RefCell::new(Vec::new()));
    let log = csv_seen.clone();
    with_hook(
        move |done, total| log.borrow_mut().push((done, total)),
        || dealerlens::engine::ingest::read_table(csv.as_bytes(), &Default::default()),
    )
    .expect("reads");
    let seen = csv_seen.borrow().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(seen
        .iter()
        .all(|&(d, t)| d > 0 && d < t && t == csv.len() as u64));

    // Each hook is gone after its read: reading again reaches neither log.
    dealerlens::engine::ingest::read_table(csv.as_bytes(), &Default::default()).expect("reads");
    assert_eq!(seen_len(&csv_seen), 2);
    assert_eq!(seen_len(&xlsx_seen), 3);
}

fn seen_len(log: &std::rc::Rc<std::cell::RefCell<Vec<(u64, u64)>>>) -> usize {
    log.borrow().len()
}
