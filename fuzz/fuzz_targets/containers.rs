//! Structure-aware ingest: the first byte picks a container and the rest becomes one part
//! of an otherwise valid file, so mutations reach calamine's XML and BIFF parsers (and our
//! guards) instead of dying in the zip layer's deflate or CRC checks.
//!
//! | first byte % 5 | the rest is                                   |
//! |----------------|-----------------------------------------------|
//! | 0              | `xl/worksheets/sheet1.xml` of an xlsx         |
//! | 1              | `xl/sharedStrings.xml` of an xlsx             |
//! | 2              | `xl/workbook.xml` of an xlsx                  |
//! | 3              | `content.xml` of an ods                       |
//! | 4              | the `Workbook` stream (BIFF8) of an xls       |
#![no_main]

use dealerlens::engine::{self, AnalyzeOptions, LoadOptions};
use libfuzzer_sys::fuzz_target;

mod common;
use std::io::{Cursor, Write};

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn xlsx(sheet: &[u8], sst: &[u8], workbook: &[u8]) -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let wb_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let parts: [(&str, &[u8]); 6] = [
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", wb_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", sst),
    ];
    zip_of(&parts)
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        if z.start_file(*name, stored).is_err() || z.write_all(data).is_err() {
            return Vec::new();
        }
    }
    z.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fn default_sheet() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>结算日期</t></is></c><c r="C1" t="inlineStr"><is><t>实收金额</t></is></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>45356</v></c><c r="C2"><v>1280.5</v></c></row></sheetData></worksheet>"#
    )
}

fn default_sst() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="2" uniqueCount="2"><si><t>客户名称</t></si><si><t>张三</t></si></sst>"#
    )
}

fn default_workbook() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    )
}

fn ods(content: &[u8]) -> Vec<u8> {
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
        ),
        ("content.xml", content),
    ])
}

/// A version-3 compound file (512-byte sectors) with one stream, "Workbook".
fn cfb(stream: &[u8]) -> Vec<u8> {
    let mut stream = stream.to_vec();
    if stream.len() < 4096 {
        stream.resize(4096, 0);
    }
    let n = stream.len().div_ceil(512) as u32;
    let mut f = 1u32;
    while f * 128 < f + 1 + n {
        f += 1;
    }
    if f > 109 {
        return Vec::new();
    }
    let total = f + 1 + n;
    let mut b = vec![0u8; 512 * (total as usize + 1)];
    let put16 = |b: &mut [u8], at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |b: &mut [u8], at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    b[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put16(&mut b, 0x18, 0x3E);
    put16(&mut b, 0x1A, 3);
    put16(&mut b, 0x1C, 0xFFFE);
    put16(&mut b, 0x1E, 9);
    put16(&mut b, 0x20, 6);
    put32(&mut b, 0x2C, f);
    put32(&mut b, 0x30, f);
    put32(&mut b, 0x38, 4096);
    put32(&mut b, 0x3C, 0xFFFF_FFFE);
    put32(&mut b, 0x44, 0xFFFF_FFFE);
    for i in 0..109u32 {
        put32(
            &mut b,
            0x4C + 4 * i as usize,
            if i < f { i } else { 0xFFFF_FFFF },
        );
    }
    for i in 0..f * 128 {
        let v = if i < f {
            0xFFFF_FFFD
        } else if i == f || i == f + n {
            0xFFFF_FFFE
        } else if i < f + n {
            i + 1
        } else {
            0xFFFF_FFFF
        };
        put32(&mut b, 512 + 4 * i as usize, v);
    }
    let dir = 512 * (f as usize + 1);
    for (idx, name, kind, child, start, size) in [
        (0usize, "Root Entry", 5u8, 1u32, 0xFFFF_FFFEu32, 0u32),
        (1, "Workbook", 2, 0xFFFF_FFFF, f + 1, stream.len() as u32),
    ] {
        let at = dir + 128 * idx;
        let units: Vec<u16> = name.encode_utf16().collect();
        for (k, u) in units.iter().enumerate() {
            b[at + 2 * k..at + 2 * k + 2].copy_from_slice(&u.to_le_bytes());
        }
        put16(&mut b, at + 0x40, (units.len() as u16 + 1) * 2);
        b[at + 0x42] = kind;
        b[at + 0x43] = 1;
        put32(&mut b, at + 0x44, 0xFFFF_FFFF);
        put32(&mut b, at + 0x48, 0xFFFF_FFFF);
        put32(&mut b, at + 0x4C, child);
        put32(&mut b, at + 0x74, start);
        put32(&mut b, at + 0x78, size);
    }
    let s0 = 512 * (f as usize + 2);
    b[s0..s0 + stream.len()].copy_from_slice(&stream);
    b
}

fuzz_target!(|data: &[u8]| {
    common::tolerate_calamine_panics();
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    if rest.len() > 1 << 20 {
        return;
    }
    let bytes = match which % 5 {
        0 => xlsx(
            rest,
            default_sst().as_bytes(),
            default_workbook().as_bytes(),
        ),
        1 => xlsx(
            default_sheet().as_bytes(),
            rest,
            default_workbook().as_bytes(),
        ),
        2 => xlsx(default_sheet().as_bytes(), default_sst().as_bytes(), rest),
        3 => ods(rest),
        _ => cfb(rest),
    };
    if let Ok(loaded) = engine::load(&bytes, &LoadOptions::default()) {
        let _ = loaded.preview(&loaded.detected, 20);
        let _ = engine::analyze(&loaded, &loaded.detected, &AnalyzeOptions::default());
    }
});
