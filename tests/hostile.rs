//! Hostile files, generated here at test time, each run through the CLI binary in a child
//! process under a wall-clock timeout and an address-space limit:
//!
//! - the process must end within [`TIMEOUT`] with exit status 0 (a report) or 2 (one line
//!   on stderr), never 101 (a panic) and never by a signal (an allocation failure under
//!   the address-space limit aborts, a stack overflow segfaults);
//! - wall time and peak RSS are printed per case (`cargo test --test hostile --
//!   --nocapture`), not asserted.
//!
//! Cases: zip bombs (deep, wide, many entries, one 1 GiB part, a part lying about its
//! size), shared-string bombs (count and amplification), far-corner cells in xlsx, ods and
//! xls, rows and columns beyond the limits, billion-laughs DTDs, truncated and bit-flipped
//! files (deterministic seeds), empty, random, PDF, password-protected (OLE2 and xls
//! FILEPASS), CSV and HTML caps, xls structure bombs (looping sector chains, a FAT
//! rebuilt per DIFAT entry, DIMENSIONS, dense ranges, CONTINUE floods), a GBK CSV and an
//! HTML table saved as .xls (both load), one malformed number among good rows, and the
//! same JSON under three time zones. Regressions found by fuzzing are at the end.

use dealerlens::engine::{self, AnalyzeOptions, EngineError, Lang, LoadOptions};
use rust_xlsxwriter::{ExcelDateTime, Format as XlFormat, Workbook};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a case may run.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The child's address-space limit (`ulimit -v`, KiB).
const ADDRESS_SPACE_KB: u64 = 1_500_000;

// ---------------------------------------------------------------------------------------
// Running the CLI.

struct Run {
    name: String,
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    wall: Duration,
    rss_kb: Option<u64>,
    stdout: Vec<u8>,
    stderr: String,
}

fn work_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write_case(file_name: &str, bytes: &[u8]) -> PathBuf {
    let p = work_dir().join(file_name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Peak RSS of a running process so far (KiB), from /proc.
fn vm_hwm(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `dealerlens-cli analyze FILE ARGS...` with the limits, measuring it.
fn run_cli_on(name: &str, file: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    run_cli_timed(name, file, args, envs, TIMEOUT)
}

fn run_cli_timed(
    name: &str,
    file: &Path,
    args: &[&str],
    envs: &[(&str, &str)],
    timeout: Duration,
) -> Run {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    let bin = env!("CARGO_BIN_EXE_dealerlens-cli");
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let time_file = work_dir().join(format!("{safe}.time"));
    let _ = std::fs::remove_file(&time_file);
    let gnu_time = Path::new("/usr/bin/time").exists();
    let script = if gnu_time {
        format!("ulimit -v {ADDRESS_SPACE_KB}; exec /usr/bin/time -v -o \"$DL_TIME_FILE\" \"$0\" \"$@\"")
    } else {
        format!("ulimit -v {ADDRESS_SPACE_KB}; exec \"$0\" \"$@\"")
    };
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(bin)
        .arg("analyze")
        .arg(file)
        .args(args)
        .env("LANG", "C")
        .env("DL_TIME_FILE", &time_file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("sh runs");
    let pid = child.id();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let mut hwm = None;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if !gnu_time {
            hwm = vm_hwm(pid).or(hwm);
        }
        if start.elapsed() > timeout {
            timed_out = true;
            // The whole process group: sh exec'd into time, which forked the CLI.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let wall = start.elapsed();
    let stdout = out_t.join().unwrap();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
    let mut code = status.code();
    let mut signal = status.signal();
    let mut rss_kb = hwm;
    if gnu_time {
        let t = std::fs::read_to_string(&time_file).unwrap_or_default();
        for line in t.lines() {
            let line = line.trim();
            if let Some(s) = line.strip_prefix("Command terminated by signal ") {
                signal = s.trim().parse().ok();
                code = None;
            }
            if let Some(v) = line.strip_prefix("Maximum resident set size (kbytes): ") {
                rss_kb = v.trim().parse().ok();
            }
        }
    }
    let run = Run {
        name: name.to_string(),
        code,
        signal,
        timed_out,
        wall,
        rss_kb,
        stdout,
        stderr,
    };
    println!(
        "hostile {:<44} exit {:>4} {:>8.1} ms  peak RSS {:>9} KiB  {}",
        run.name,
        run.code
            .map(|c| c.to_string())
            .or(run.signal.map(|s| format!("sig{s}")))
            .unwrap_or_else(|| "?".into()),
        run.wall.as_secs_f64() * 1000.0,
        run.rss_kb
            .map(|k| k.to_string())
            .unwrap_or_else(|| "?".into()),
        run.stderr.trim_end().chars().take(110).collect::<String>()
    );
    run
}

fn run_cli(name: &str, file_name: &str, bytes: &[u8]) -> Run {
    let p = write_case(file_name, bytes);
    run_cli_on(name, &p, &[], &[])
}

/// Ended in time, with 0 or 2, one line on stderr for 2.
fn assert_clean(r: &Run) {
    assert!(!r.timed_out, "{}: killed after {:?}", r.name, r.wall);
    assert_eq!(
        r.signal, None,
        "{}: killed by signal; stderr: {}",
        r.name, r.stderr
    );
    match r.code {
        Some(0) => {}
        Some(2) => {
            let msg = r.stderr.trim_end();
            assert!(!msg.is_empty(), "{}: exit 2 without a message", r.name);
            assert!(
                !msg.contains('\n'),
                "{}: more than one line on stderr: {msg}",
                r.name
            );
        }
        other => panic!("{}: exit {other:?}; stderr: {}", r.name, r.stderr),
    }
}

/// Clean, with exit 2 and a message containing `needle` (English, `LANG=C`).
fn assert_rejected(r: &Run, needle: &str) {
    assert_clean(r);
    assert_eq!(r.code, Some(2), "{}: expected a rejection", r.name);
    assert!(
        r.stderr.contains(needle),
        "{}: message should contain {needle:?}: {}",
        r.name,
        r.stderr
    );
}

/// Clean, with exit 0 and a JSON report.
fn assert_report(r: &Run) -> serde_json::Value {
    assert_clean(r);
    assert_eq!(
        r.code,
        Some(0),
        "{}: expected a report; stderr: {}",
        r.name,
        r.stderr
    );
    serde_json::from_slice(&r.stdout).expect("the report is JSON")
}

// ---------------------------------------------------------------------------------------
// Generators.

/// A deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// A small valid dataset: 客户名称 / 结算日期 / 实收金额 with `rows` records.
fn dataset_xlsx(rows: u32) -> Vec<u8> {
    let mut wb = Workbook::new();
    let date_fmt = XlFormat::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    for (c, h) in ["客户名称", "结算日期", "实收金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        ws.write_string(r, 0, format!("客户{}", r % 37)).unwrap();
        let d = ExcelDateTime::from_ymd(2024, 1 + (r % 12) as u8, 1 + (r % 28) as u8).unwrap();
        ws.write_datetime_with_format(r, 1, d, &date_fmt).unwrap();
        ws.write_number(r, 2, 100.0 + f64::from(r % 500)).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Rewrites a zip, letting `edit` change any part by name.
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

fn replace_part(bytes: &[u8], part: &str, f: impl Fn(String) -> String) -> Vec<u8> {
    rezip(bytes, |name, data| {
        if name == part {
            f(String::from_utf8(data).unwrap()).into_bytes()
        } else {
            data
        }
    })
}

const SHEET: &str = "xl/worksheets/sheet1.xml";
const SST: &str = "xl/sharedStrings.xml";

/// Adds parts to an existing zip (raw copies of the existing ones).
fn add_parts(bytes: &[u8], extra: &[(String, Vec<u8>, zip::CompressionMethod)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut src = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let f = src.by_index_raw(i).unwrap();
        out.raw_copy_file(f).unwrap();
    }
    for (name, data, method) in extra {
        out.start_file(
            name.as_str(),
            SimpleFileOptions::default()
                .compression_method(*method)
                .large_file(data.len() as u64 >= u32::MAX as u64),
        )
        .unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// An ods with the given content.xml.
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

fn ods_rows(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="S">
{rows}
</table:table></office:spreadsheet></office:body></office:document-content>"#
    )
}

fn ods_text(s: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
    )
}

fn ods_num(v: f64) -> String {
    format!(
        r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
    )
}

/// A valid ods dataset.
fn dataset_ods() -> Vec<u8> {
    let mut rows = format!(
        "<table:table-row>{}{}{}</table:table-row>\n",
        ods_text("客户名称"),
        ods_text("结算日期"),
        ods_text("实收金额")
    );
    for r in 1..=20 {
        rows.push_str(&format!(
            "<table:table-row>{}{}{}</table:table-row>\n",
            ods_text(&format!("客户{}", r % 7)),
            ods_text(&format!("2024-03-{:02}", r)),
            ods_num(f64::from(r) * 10.5)
        ));
    }
    ods(&ods_rows(&rows))
}

// ---- xls: BIFF8 records in an OLE2 compound file, written by hand. ----

fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend_from_slice(&dt.to_le_bytes());
    d.extend_from_slice(&[0; 12]);
    rec(0x0809, &d)
}

/// An XLUnicodeRichExtendedString (UTF-16 when not ASCII).
fn xl_string(s: &str) -> Vec<u8> {
    let ascii = s.is_ascii();
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut d = (units.len() as u16).to_le_bytes().to_vec();
    d.push(if ascii { 0 } else { 1 });
    if ascii {
        d.extend_from_slice(s.as_bytes());
    } else {
        for u in units {
            d.extend_from_slice(&u.to_le_bytes());
        }
    }
    d
}

fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&v.to_le_bytes());
    rec(0x0203, &d)
}

fn label_sst(row: u16, col: u16, isst: u32) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&isst.to_le_bytes());
    rec(0x00FD, &d)
}

fn dimensions(r0: u32, r1: u32, c0: u16, c1: u16) -> Vec<u8> {
    let mut d = r0.to_le_bytes().to_vec();
    d.extend_from_slice(&r1.to_le_bytes());
    d.extend_from_slice(&c0.to_le_bytes());
    d.extend_from_slice(&c1.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    rec(0x0200, &d)
}

/// A BIFF8 workbook stream: globals (extra records, the SST, one BOUNDSHEET) and one
/// sheet with the given records, padded to at least 4096 bytes (out of the mini stream).
fn biff_workbook(globals_extra: &[u8], strings: &[String], sheet_records: &[u8]) -> Vec<u8> {
    biff_workbook_full(globals_extra, strings, &[], sheet_records)
}

/// [`biff_workbook`] with records right after the SST (its CONTINUE records).
fn biff_workbook_full(
    globals_extra: &[u8],
    strings: &[String],
    after_sst: &[u8],
    sheet_records: &[u8],
) -> Vec<u8> {
    let mut sst = (strings.len() as u32).to_le_bytes().to_vec();
    sst.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    for s in strings {
        sst.extend_from_slice(&xl_string(s));
    }
    let name = "数据";
    let name_units: Vec<u16> = name.encode_utf16().collect();
    let boundsheet_len = 4 + 4 + 2 + 2 + 2 * name_units.len();
    let mut globals = bof(0x0005);
    globals.extend_from_slice(&rec(0x0042, &1200u16.to_le_bytes()));
    globals.extend_from_slice(globals_extra);
    let mut sst_rec = rec(0x00FC, &sst);
    sst_rec.extend_from_slice(after_sst);
    let sheet_pos = globals.len() + boundsheet_len + sst_rec.len() + 4;
    let mut bs = (sheet_pos as u32).to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, name_units.len() as u8, 1]);
    for u in name_units {
        bs.extend_from_slice(&u.to_le_bytes());
    }
    globals.extend_from_slice(&rec(0x0085, &bs));
    globals.extend_from_slice(&sst_rec);
    globals.extend_from_slice(&rec(0x000A, &[]));
    assert_eq!(globals.len(), sheet_pos);
    let mut stream = globals;
    stream.extend_from_slice(&bof(0x0010));
    stream.extend_from_slice(sheet_records);
    stream.extend_from_slice(&rec(0x000A, &[]));
    while stream.len() < 4096 {
        // Padding after the sheet's EOF: an unknown record type, ignored.
        stream.extend_from_slice(&rec(0x00FF - 1, &[0; 64]));
    }
    stream
}

/// Where things are in a compound file written by [`cfb`].
struct CfbFile {
    bytes: Vec<u8>,
    /// First FAT sector's offset; FAT entry `i` is at `fat + 4 * i` (first FAT sector).
    fat: usize,
    dir_sector: u32,
    /// Offset of the Workbook directory entry.
    workbook_entry: usize,
    stream_first: u32,
    stream_sectors: u32,
}

const FREESECT: u32 = 0xFFFF_FFFF;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;

/// A version-3 compound file (512-byte sectors) with one stream, "Workbook".
fn cfb(stream: &[u8]) -> CfbFile {
    assert!(stream.len() >= 4096);
    let n = stream.len().div_ceil(512) as u32;
    let mut f = 1u32;
    while f * 128 < f + 1 + n {
        f += 1;
    }
    assert!(f <= 109);
    let total = f + 1 + n;
    let mut b = vec![0u8; 512 * (total as usize + 1)];
    let put16 =
        |b: &mut Vec<u8>, at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    b[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put16(&mut b, 0x18, 0x3E);
    put16(&mut b, 0x1A, 3);
    put16(&mut b, 0x1C, 0xFFFE);
    put16(&mut b, 0x1E, 9);
    put16(&mut b, 0x20, 6);
    put32(&mut b, 0x2C, f);
    put32(&mut b, 0x30, f);
    put32(&mut b, 0x38, 4096);
    put32(&mut b, 0x3C, ENDOFCHAIN);
    put32(&mut b, 0x40, 0);
    put32(&mut b, 0x44, ENDOFCHAIN);
    put32(&mut b, 0x48, 0);
    for i in 0..109u32 {
        put32(
            &mut b,
            0x4C + 4 * i as usize,
            if i < f { i } else { FREESECT },
        );
    }
    let sector = |id: u32| 512 * (id as usize + 1);
    // FAT entries live in sectors 0..f, 128 per sector, contiguous in the file.
    for i in 0..f * 128 {
        let v = if i < f {
            0xFFFF_FFFD
        } else if i == f {
            ENDOFCHAIN
        } else if i < f + n {
            i + 1
        } else if i == f + n {
            ENDOFCHAIN
        } else {
            FREESECT
        };
        put32(&mut b, sector(0) + 4 * i as usize, v);
    }
    let dir = sector(f);
    let entry =
        |b: &mut Vec<u8>, idx: usize, name: &str, kind: u8, child: u32, start: u32, size: u32| {
            let at = dir + 128 * idx;
            let units: Vec<u16> = name.encode_utf16().collect();
            for (k, u) in units.iter().enumerate() {
                b[at + 2 * k..at + 2 * k + 2].copy_from_slice(&u.to_le_bytes());
            }
            put16(b, at + 0x40, (units.len() as u16 + 1) * 2);
            b[at + 0x42] = kind;
            b[at + 0x43] = 1;
            put32(b, at + 0x44, FREESECT);
            put32(b, at + 0x48, FREESECT);
            put32(b, at + 0x4C, child);
            put32(b, at + 0x74, start);
            put32(b, at + 0x78, size);
        };
    entry(&mut b, 0, "Root Entry", 5, 1, ENDOFCHAIN, 0);
    entry(
        &mut b,
        1,
        "Workbook",
        2,
        FREESECT,
        f + 1,
        stream.len() as u32,
    );
    let s0 = sector(f + 1);
    b[s0..s0 + stream.len()].copy_from_slice(stream);
    CfbFile {
        bytes: b,
        fat: sector(0),
        dir_sector: f,
        workbook_entry: dir + 128,
        stream_first: f + 1,
        stream_sectors: n,
    }
}

fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// A valid xls dataset: header, 20 records (text dates), one sheet.
fn dataset_xls_stream() -> Vec<u8> {
    let mut strings: Vec<String> = ["客户名称", "结算日期", "实收金额"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut cells = dimensions(0, 21, 0, 3);
    for c in 0..3u16 {
        cells.extend_from_slice(&label_sst(0, c, u32::from(c)));
    }
    for r in 1..=20u16 {
        strings.push(format!("客户{}", r % 7));
        cells.extend_from_slice(&label_sst(r, 0, strings.len() as u32 - 1));
        strings.push(format!("2024-03-{r:02}"));
        cells.extend_from_slice(&label_sst(r, 1, strings.len() as u32 - 1));
        cells.extend_from_slice(&number(r, 2, f64::from(r) * 10.5));
    }
    biff_workbook(&[], &strings, &cells)
}

fn dataset_xls() -> Vec<u8> {
    cfb(&dataset_xls_stream()).bytes
}

/// A minimal OLE2 file listing `names` as empty streams (as in tests/ingest.rs).
fn ole2_names(names: &[&str]) -> Vec<u8> {
    let mut stream = Vec::new();
    while stream.len() < 4096 {
        stream.extend_from_slice(&rec(0x00FE, &[0; 64]));
    }
    let mut c = cfb(&stream);
    // Rename the one stream and add the others after it.
    let dir = c.workbook_entry - 128;
    for (i, name) in names.iter().enumerate() {
        let at = dir + 128 * (i + 1);
        c.bytes[at..at + 128].fill(0);
        let units: Vec<u16> = name.encode_utf16().collect();
        for (k, u) in units.iter().enumerate() {
            c.bytes[at + 2 * k..at + 2 * k + 2].copy_from_slice(&u.to_le_bytes());
        }
        c.bytes[at + 0x40..at + 0x42]
            .copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        c.bytes[at + 0x42] = 2;
        put32(&mut c.bytes, at + 0x44, FREESECT);
        put32(
            &mut c.bytes,
            at + 0x48,
            if i + 1 < names.len() {
                i as u32 + 2
            } else {
                FREESECT
            },
        );
        put32(&mut c.bytes, at + 0x4C, FREESECT);
        put32(&mut c.bytes, at + 0x74, c.stream_first);
        put32(&mut c.bytes, at + 0x78, 4096);
    }
    c.bytes
}

// ---------------------------------------------------------------------------------------
// The generators themselves produce readable files.

#[test]
fn generated_datasets_load_in_every_format() {
    let opts = LoadOptions::default();
    for (name, bytes) in [
        ("xlsx", dataset_xlsx(30)),
        ("ods", dataset_ods()),
        ("xls", dataset_xls()),
    ] {
        let loaded = engine::load(&bytes, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = engine::analyze(&loaded, &loaded.detected, &AnalyzeOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.input.format, name);
        assert!(report.input.rows_used >= 20, "{name}: {:?}", report.input);
    }
}

// ---------------------------------------------------------------------------------------
// Simple rejections.

#[test]
fn empty_random_pdf_and_password_protected() {
    assert_rejected(&run_cli("empty", "empty.xlsx", b""), "empty");
    let mut rng = Rng(1);
    for seed in 0..8 {
        let n = 1 + rng.below(100_000);
        let bytes = Rng(seed).bytes(n);
        assert_clean(&run_cli(
            &format!("random_{seed}"),
            &format!("random_{seed}.xlsx"),
            &bytes,
        ));
    }
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    assert_rejected(&run_cli("pdf_named_xlsx", "report.xlsx", pdf), "PDF");
    let enc = ole2_names(&["EncryptionInfo", "EncryptedPackage"]);
    assert_rejected(
        &run_cli("encrypted_ooxml_in_ole2", "locked.xlsx", &enc),
        "password",
    );
    // An xls with a FILEPASS record (RC4 encryption).
    let mut filepass = vec![1u8, 0];
    filepass.extend_from_slice(&[0; 52]);
    let stream = biff_workbook(&rec(0x002F, &filepass), &[], &number(0, 0, 1.0));
    assert_rejected(
        &run_cli("encrypted_xls_filepass", "locked.xls", &cfb(&stream).bytes),
        "password",
    );
}

// ---------------------------------------------------------------------------------------
// Zip bombs.

/// Deflated zeros of the given size, as a one-entry zip (cached: 1 GiB takes seconds).
fn zeros_zip(size: u64) -> Vec<u8> {
    filled_zip("zeros", b"", 0, size, b"")
}

/// `prefix`, `size` bytes of `fill`, `suffix`, deflated as a one-entry zip (cached).
fn filled_zip(key: &str, prefix: &[u8], fill: u8, size: u64, suffix: &[u8]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let cache = work_dir().join(format!("{key}-{size}.zip"));
    if let Ok(b) = std::fs::read(&cache) {
        return b;
    }
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file(
        "zeros",
        SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(size >= u64::from(u32::MAX)),
    )
    .unwrap();
    z.write_all(prefix).unwrap();
    let chunk = vec![fill; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        z.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    z.write_all(suffix).unwrap();
    let b = z.finish().unwrap().into_inner();
    let tmp = cache.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, &b).unwrap();
    std::fs::rename(&tmp, &cache).unwrap();
    b
}

/// Copies the one entry of `zeros` into `base` under each of `names` (raw, not
/// recompressed).
fn add_raw_copies(base: &[u8], zeros: &[u8], names: &[String], replace: Option<&str>) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(zeros)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let f = src.by_index_raw(i).unwrap();
        if replace == Some(f.name().unwrap().as_ref()) {
            continue;
        }
        out.raw_copy_file(f).unwrap();
    }
    for name in names {
        let f = z.by_index_raw(0).unwrap();
        out.raw_copy_file_rename(f, name.as_str()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn zip_bomb_one_gib_sheet_part() {
    let zeros = zeros_zip(1 << 30);
    let base = dataset_xlsx(5);
    let bomb = add_raw_copies(&base, &zeros, &[SHEET.to_string()], Some(SHEET));
    println!("1 GiB of zeros as the sheet: {} bytes on disk", bomb.len());
    assert_rejected(
        &run_cli("zip_1gib_zero_sheet", "bomb.xlsx", &bomb),
        "compression ratio",
    );
}

/// Patches the declared uncompressed size of `part` (central directory and local header).
fn lie_about_size(bytes: &mut [u8], part: &str, size: u32) {
    let name = part.as_bytes();
    let mut patched = 0;
    let mut i = 0;
    while i + 46 <= bytes.len() {
        if bytes[i..i + 4] == *b"PK\x01\x02" {
            let n = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if bytes.get(i + 46..i + 46 + n) == Some(name) {
                put32(bytes, i + 24, size);
                patched += 1;
            }
        }
        if bytes[i..i + 4] == *b"PK\x03\x04" {
            let n = u16::from_le_bytes([bytes[i + 26], bytes[i + 27]]) as usize;
            if bytes.get(i + 30..i + 30 + n) == Some(name) {
                put32(bytes, i + 22, size);
                patched += 1;
            }
        }
        i += 1;
    }
    assert_eq!(patched, 2, "{part}: central and local header");
}

#[test]
fn zip_reader_stops_at_declared_size() {
    // calamine reads parts through the zip crate; the guard relies on the crate failing a
    // read past the declared size (zip 9: "File is larger than its declared uncompressed
    // size"), so a part that lies cannot inflate beyond what the guard checked.
    let mut bytes = zeros_zip(64 << 20);
    lie_about_size(&mut bytes, "zeros", 1000);
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    let f = z.by_index(0).unwrap();
    assert_eq!(f.size(), 1000);
    let mut out = Vec::new();
    let r = f.take(1 << 30).read_to_end(&mut out);
    assert!(
        r.is_err(),
        "read {} bytes of a part declared as 1000",
        out.len()
    );
    assert!(out.len() <= 1000 + 64 * 1024, "read {} bytes", out.len());
}

#[test]
fn zip_bomb_part_lying_about_its_size() {
    // A sheet with a 256 MiB comment declared as 1000 bytes: passes the size and ratio
    // checks, and the zip crate stops calamine at 1000 bytes.
    let zeros = filled_zip(
        "comment-sheet",
        br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><!--"#,
        b' ',
        256 << 20,
        b"--></sheetData></worksheet>",
    );
    let base = dataset_xlsx(5);
    let mut bomb = add_raw_copies(&base, &zeros, &[SHEET.to_string()], Some(SHEET));
    lie_about_size(&mut bomb, SHEET, 1000);
    let r = run_cli("zip_part_lying_about_size", "liar.xlsx", &bomb);
    assert_rejected(&r, "damaged");
}

#[test]
fn zip_bomb_wide_and_many_entries() {
    // 3,000 entries of 1 MiB of zeros each (inside the ratio grace): 3 GiB in total.
    let zeros = zeros_zip(1 << 20);
    let base = dataset_xlsx(5);
    let names: Vec<String> = (0..3000)
        .map(|i| format!("xl/media/zeros{i}.bin"))
        .collect();
    let wide = add_raw_copies(&base, &zeros, &names, None);
    println!("wide bomb: {} bytes on disk", wide.len());
    assert_rejected(
        &run_cli("zip_wide_3gib", "wide.xlsx", &wide),
        "total uncompressed size",
    );

    // 20,000 tiny entries.
    let names: Vec<String> = (0..20_000).map(|i| format!("xl/media/e{i}")).collect();
    let tiny = zeros_zip(1);
    let many = add_raw_copies(&base, &tiny, &names, None);
    assert_rejected(
        &run_cli("zip_20000_entries", "many.xlsx", &many),
        "number of entries",
    );
}

#[test]
fn zip_bomb_deep_nested_archives() {
    // 42.zip-style nesting inside an otherwise valid xlsx: never opened, the file loads.
    let inner = zeros_zip(32 << 20);
    let names: Vec<(String, Vec<u8>, zip::CompressionMethod)> = (0..16)
        .map(|i| {
            (
                format!("l1_{i}.zip"),
                inner.clone(),
                zip::CompressionMethod::Stored,
            )
        })
        .collect();
    let level1 = add_parts(&zeros_zip(1), &names);
    let level2 = add_parts(
        &zeros_zip(1),
        &(0..16)
            .map(|i| {
                (
                    format!("l2_{i}.zip"),
                    level1.clone(),
                    zip::CompressionMethod::Deflated,
                )
            })
            .collect::<Vec<_>>(),
    );
    let deep = add_parts(
        &dataset_xlsx(5),
        &[(
            "xl/embeddings/nested.zip".to_string(),
            level2.clone(),
            zip::CompressionMethod::Stored,
        )],
    );
    assert_report(&run_cli("zip_deep_nested_embedding", "deep.xlsx", &deep));
    // The nested archive as the sheet itself: not XML, an error.
    let as_sheet = {
        let base = dataset_xlsx(5);
        let mut src = zip::ZipArchive::new(Cursor::new(&base[..])).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..src.len() {
            let f = src.by_index_raw(i).unwrap();
            if f.name().unwrap() != SHEET {
                out.raw_copy_file(f).unwrap();
            }
        }
        out.start_file(SHEET, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&level2).unwrap();
        out.finish().unwrap().into_inner()
    };
    assert_clean(&run_cli(
        "zip_nested_archive_as_sheet",
        "deep2.xlsx",
        &as_sheet,
    ));
}

#[test]
fn legit_large_xlsx_passes_the_ratio_check() {
    // 40,000 similar rows: the sheet part is several MiB and compresses well, but far
    // from 100:1.
    let bytes = dataset_xlsx(40_000);
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    let f = z.by_name(SHEET).unwrap();
    println!(
        "40,000-row sheet: {} bytes, {} compressed, ratio {:.1}:1",
        f.size(),
        f.compressed_size(),
        f.size() as f64 / f.compressed_size() as f64
    );
    drop(f);
    let v = assert_report(&run_cli("legit_40k_rows", "big.xlsx", &bytes));
    assert_eq!(v["input"]["rows_used"], 40_000);
}

// ---------------------------------------------------------------------------------------
// Shared strings, cells and rows.

#[test]
fn shared_string_bombs() {
    let base = {
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
        wb.save_to_buffer().unwrap()
    };
    let count = replace_part(&base, SST, |s| {
        s.replacen("uniqueCount=\"1\"", "uniqueCount=\"4294967295\"", 1)
    });
    assert_rejected(
        &run_cli("sst_unique_count_u32_max", "sst1.xlsx", &count),
        "shared strings",
    );
    // The same with a namespace prefix and behind 70 KB of comment: the element is still
    // found (or the part rejected).
    let prefixed = replace_part(&base, SST, |s| {
        let s = s.replacen("uniqueCount=\"1\"", "uniqueCount=\"4294967295\"", 1);
        let s = s.replace(
            "<sst ",
            "<x:sst xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ",
        );
        let s = s
            .replace("</sst>", "</x:sst>")
            .replace("<si>", "<x:si>")
            .replace("</si>", "</x:si>");
        let s = s.replace("<t>", "<x:t>").replace("</t>", "</x:t>");
        s.replacen("?>", &format!("?><!--{}-->", "c".repeat(70_000)), 1)
    });
    assert_rejected(
        &run_cli("sst_prefixed_behind_comment", "sst2.xlsx", &prefixed),
        "damaged",
    );
    let decoy = replace_part(&base, SST, |s| {
        s.replacen(
            "uniqueCount=\"1\"",
            "xuniqueCount=\"1\" uniqueCount=\"4294967295\"",
            1,
        )
    });
    assert_rejected(
        &run_cli("sst_decoy_attribute", "sst3.xlsx", &decoy),
        "shared strings",
    );

    // Amplification: one 30,000-character string referenced by 40,000 cells (1.2 GB of
    // text once every cell holds a copy).
    let long = "长".repeat(30_000);
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=40_000 {
        sheet.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    let amp = rezip(&base, |name, data| {
        match name {
        SST => format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="40000" uniqueCount="1"><si><t>{long}</t></si></sst>"#).into_bytes(),
        SHEET => sheet.clone().into_bytes(),
        _ => data,
    }
    });
    assert_rejected(
        &run_cli("sst_amplification", "amp.xlsx", &amp),
        "total text",
    );
}

#[test]
fn far_corner_cells_and_limits() {
    // xlsx: a valid dataset plus one stray cell at XFD1048576 — sparse rows, it loads.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["客户名称", "结算日期", "实收金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=10u32 {
        ws.write_string(r, 0, format!("客户{r}")).unwrap();
        ws.write_string(r, 1, format!("2024-03-{:02}", r)).unwrap();
        ws.write_number(r, 2, 100.0).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "stray").unwrap();
    // Loads without a dense range; the analysis then fails on the mapping (see
    // `far_corner_stray_cell_keeps_the_mapping`), so 0 or 2 are both accepted here.
    assert_clean(&run_cli(
        "xlsx_far_corner_xfd1048576",
        "corner.xlsx",
        &wb.save_to_buffer().unwrap(),
    ));

    // Beyond the limits: row 1,048,577 and column XFE.
    let base = dataset_xlsx(3);
    let tall = replace_part(&base, SHEET, |s| {
        s.replacen("r=\"A2\"", "r=\"A1048577\"", 1)
    });
    assert_rejected(
        &run_cli("xlsx_row_1048577", "tall.xlsx", &tall),
        "number of rows",
    );
    let wide = replace_part(&base, SHEET, |s| s.replacen("r=\"A2\"", "r=\"XFE2\"", 1));
    assert_rejected(
        &run_cli("xlsx_column_xfe", "wide.xlsx", &wide),
        "number of columns",
    );
    // A cell longer than 32,767 characters, named by row and column.
    let long = replace_part(&base, SHEET, |s| {
        let i = s.find("<c r=\"C3\"").unwrap();
        let j = i + s[i..].find("</c>").unwrap() + 4;
        format!(
            "{}<c r=\"C3\" t=\"inlineStr\"><is><t>{}</t></is></c>{}",
            &s[..i],
            "x".repeat(40_000),
            &s[j..]
        )
    });
    assert_rejected(
        &run_cli("xlsx_cell_over_32767_chars", "long.xlsx", &long),
        "row 3, column C",
    );

    // ods: a value repeated to the far corner, and a lone cell there.
    let corner = ods(&ods_rows(&format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/>{}</table:table-row>"#,
        ods_num(1.0),
        ods_num(2.0)
    )));
    assert_rejected(
        &run_cli("ods_far_corner", "corner.ods", &corner),
        "expanded cell area",
    );
    let repeated = ods(&ods_rows(
        r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
    ));
    assert_rejected(
        &run_cli("ods_repeat_bomb", "repeat.ods", &repeated),
        "expanded cell area",
    );
    let spaces = ods(&ods_rows(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row>"#,
    ));
    assert_rejected(
        &run_cli("ods_text_s_4e9_spaces", "spaces.ods", &spaces),
        "row 1, column A",
    );
    let clones = ods(&ods_rows(&format!(
        r#"<table:table-row table:number-rows-repeated="200"><table:table-cell table:number-columns-repeated="200" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
        "y".repeat(30_000)
    )));
    assert_rejected(
        &run_cli("ods_cloned_text", "clones.ods", &clones),
        "total text",
    );
    // The trailing empty rows LibreOffice writes are free.
    let trailing = {
        let mut b = dataset_ods();
        b = rezip(&b, |name, data| {
            if name == "content.xml" {
                String::from_utf8(data)
                    .unwrap()
                    .replace("</table:table>", r#"<table:table-row table:number-rows-repeated="1048550"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#)
                    .into_bytes()
            } else {
                data
            }
        });
        b
    };
    assert_report(&run_cli(
        "ods_trailing_empty_rows",
        "trailing.ods",
        &trailing,
    ));
}

#[test]
fn xls_structure_bombs() {
    assert_report(&run_cli("xls_dataset", "ok.xls", &dataset_xls()));
    // Two cells at A1 and at row 65,536 / column 65,536: a 4-billion-cell dense range.
    let mut cells = number(0, 0, 1.0);
    cells.extend_from_slice(&number(65_535, 65_535, 2.0));
    let far = cfb(&biff_workbook(&[], &[], &cells)).bytes;
    assert_rejected(
        &run_cli("xls_far_corner_dense_range", "far.xls", &far),
        "expanded cell area",
    );
    // The BIFF8 grid's own corner (IV65536, 16.7 M cells) is over the dense limit;
    // 65,536 rows by 64 columns is just within it.
    let mut cells = number(0, 0, 1.0);
    cells.extend_from_slice(&number(65_535, 255, 2.0));
    let iv = cfb(&biff_workbook(&[], &[], &cells)).bytes;
    assert_rejected(
        &run_cli("xls_corner_iv65536", "iv.xls", &iv),
        "expanded cell area",
    );
    let mut cells = number(0, 0, 1.0);
    cells.extend_from_slice(&number(65_535, 63, 2.0));
    let bl = cfb(&biff_workbook(&[], &[], &cells)).bytes;
    assert_clean(&run_cli("xls_corner_bl65536_at_limit", "bl.xls", &bl));
    // DIMENSIONS announcing 4 billion rows (calamine reserves rows × columns).
    let mut cells = dimensions(0, u32::MAX, 0, 200);
    cells.extend_from_slice(&number(0, 0, 1.0));
    let dims = cfb(&biff_workbook(&[], &[], &cells)).bytes;
    assert_rejected(
        &run_cli("xls_dimensions_4e9_rows", "dims.xls", &dims),
        "expanded cell area",
    );
    // First row after the last: calamine's subtraction wraps.
    let mut cells = dimensions(10, 5, 0, 3);
    cells.extend_from_slice(&number(0, 0, 1.0));
    let wrap = cfb(&biff_workbook(&[], &[], &cells)).bytes;
    assert_rejected(
        &run_cli("xls_dimensions_wrap", "wrap.xls", &wrap),
        "DIMENSIONS",
    );

    // Shared-string amplification: one 8,000-character string, 200,000 LABELSST cells.
    let strings = vec!["z".repeat(8000)];
    let mut cells = Vec::new();
    for i in 0..200_000u32 {
        cells.extend_from_slice(&label_sst((i / 200) as u16, (i % 200) as u16, 0));
    }
    let amp = cfb(&biff_workbook(&[], &strings, &cells)).bytes;
    assert_rejected(
        &run_cli("xls_labelsst_amplification", "amp.xls", &amp),
        "total text",
    );

    // A directory chain that points at itself (calamine follows it forever).
    let mut c = cfb(&dataset_xls_stream());
    let at = c.fat + 4 * c.dir_sector as usize;
    put32(&mut c.bytes, at, c.dir_sector);
    assert_rejected(
        &run_cli("xls_directory_chain_loop", "dirloop.xls", &c.bytes),
        "loops",
    );
    // A stream chain looping back, with a declared size of 4 GiB.
    let mut c = cfb(&dataset_xls_stream());
    let last = c.stream_first + c.stream_sectors - 1;
    put32(&mut c.bytes, c.fat + 4 * last as usize, c.stream_first);
    put32(&mut c.bytes, c.workbook_entry + 0x78, 0xFFFF_FF00);
    assert_rejected(
        &run_cli("xls_stream_chain_loop_4gib", "streamloop.xls", &c.bytes),
        "loops",
    );
    // 20,000 DIFAT sectors each listing FAT sector 0 127 times: the FAT rebuilt 2.5
    // million times (1.3 GB).
    let c = cfb(&dataset_xls_stream());
    let mut b = c.bytes.clone();
    let first = (b.len() / 512 - 1) as u32;
    let k = 20_000u32;
    for j in 0..k {
        let mut s = vec![0u8; 512];
        let next = if j + 1 < k { first + j + 1 } else { ENDOFCHAIN };
        put32(&mut s, 508, next);
        b.extend_from_slice(&s);
    }
    put32(&mut b, 0x44, first);
    put32(&mut b, 0x48, k);
    assert_rejected(&run_cli("xls_fat_per_difat_entry", "difat.xls", &b), "FAT");
    // A CONTINUE flood after the SST: calamine consumes them with Vec::remove(0).
    let flood: Vec<u8> = (0..200_000).flat_map(|_| rec(0x003C, &[])).collect();
    let stream = biff_workbook_full(&[], &["a".to_string()], &flood, &number(0, 0, 1.0));
    assert_rejected(
        &run_cli("xls_continue_flood", "continue.xls", &cfb(&stream).bytes),
        "CONTINUE",
    );
}

// ---------------------------------------------------------------------------------------
// XML entities.

const LAUGHS: &str = r#"<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"#;

fn with_dtd(xml: String, entity_use: Option<(&str, &str)>) -> String {
    let xml = match xml.find("?>") {
        Some(p) => format!("{}{}{}", &xml[..p + 2], LAUGHS, &xml[p + 2..]),
        None => format!("{LAUGHS}{xml}"),
    };
    match entity_use {
        Some((from, to)) => xml.replacen(from, to, 1),
        None => xml,
    }
}

#[test]
fn billion_laughs_is_never_expanded() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "x").unwrap();
    ws.write_number(1, 0, 1).unwrap();
    let base = wb.save_to_buffer().unwrap();
    let in_sst = replace_part(&base, SST, |s| {
        with_dtd(s, Some(("<t>x</t>", "<t>&lol9;</t>")))
    });
    let in_sheet = replace_part(&base, SHEET, |s| {
        with_dtd(s, Some(("<v>1</v>", "<v>&lol9;</v>")))
    });
    let in_workbook = replace_part(&base, "xl/workbook.xml", |s| {
        with_dtd(s, Some(("name=\"Sheet1\"", "name=\"&lol9;\"")))
    });
    let in_ods = ods(&with_dtd(
        ods_rows(&format!(
            "<table:table-row>{}</table:table-row>",
            ods_text("&lol9;")
        )),
        None,
    ));
    let in_html = with_dtd(
        "<html><body><table><tr><td>客户名称</td><td>&lol9;</td></tr></table></body></html>"
            .to_string(),
        None,
    );
    for (name, file, bytes) in [
        ("laughs_in_shared_strings", "l1.xlsx", in_sst),
        ("laughs_in_sheet", "l2.xlsx", in_sheet),
        ("laughs_in_workbook_xml", "l3.xlsx", in_workbook),
        ("laughs_in_ods_content", "l4.ods", in_ods),
        ("laughs_in_html", "l5.xls", in_html.into_bytes()),
    ] {
        let r = run_cli(name, file, &bytes);
        assert_clean(&r);
        // Expanded, lol9 is 3 GB; nothing close to that may be allocated.
        assert!(
            r.rss_kb.unwrap_or(0) < 200_000,
            "{name}: {:?} KiB",
            r.rss_kb
        );
    }
    // In process: the entity stays unexpanded text or the part is rejected.
    let t = engine::ingest::read_table(
        &replace_part(&base, SST, |s| with_dtd(s, None)),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(t.to_rows()[0][0], engine::Cell::Text("x".into()));
    assert!(engine::ingest::read_table(
        &replace_part(&base, SST, |s| with_dtd(
            s,
            Some(("<t>x</t>", "<t>&lol9;</t>"))
        )),
        &Default::default()
    )
    .is_err());
}

// ---------------------------------------------------------------------------------------
// Truncated and bit-flipped files.

fn flip_bits(bytes: &[u8], seed: u64, flips: usize) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut b = bytes.to_vec();
    for _ in 0..flips {
        let i = rng.below(b.len());
        b[i] ^= 1 << rng.below(8);
    }
    b
}

#[test]
fn truncated_files() {
    for (kind, bytes) in [
        ("xlsx", dataset_xlsx(50)),
        ("ods", dataset_ods()),
        ("xls", dataset_xls()),
    ] {
        for k in 1..20 {
            let cut = &bytes[..bytes.len() * k / 20];
            let name = format!("truncated_{kind}_{k:02}_of_20");
            assert_clean(&run_cli(&name, &format!("{name}.{kind}"), cut));
        }
    }
}

#[test]
fn bit_flipped_files() {
    let xls_fixture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/service_records.xls"
    ))
    .unwrap();
    for (kind, ext, bytes, seeds) in [
        ("xlsx", "xlsx", dataset_xlsx(50), 40u64),
        ("ods", "ods", dataset_ods(), 20),
        ("xls", "xls", dataset_xls(), 30),
        ("xls_fixture", "xls", xls_fixture, 30),
    ] {
        for seed in 0..seeds {
            let flipped = flip_bits(&bytes, 1000 + seed, 1 + (seed % 16) as usize);
            let name = format!("bitflip_{kind}_{seed:02}");
            assert_clean(&run_cli(&name, &format!("{name}.{ext}"), &flipped));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Text formats: caps, and the exports that must load.

#[test]
fn csv_caps() {
    let header = "客户名称,结算日期,实收金额\n";
    let mut long_line = header.to_string();
    long_line.push_str(&"a".repeat(11 << 20));
    long_line.push('\n');
    assert_rejected(
        &run_cli("csv_11mb_line", "line.csv", long_line.as_bytes()),
        "row 2: the length of the line",
    );
    let mut open_quote = header.to_string();
    open_quote.push_str("\"never closed,");
    for _ in 0..600_000 {
        open_quote.push_str("张三,2024-03-05,100\n");
    }
    assert_rejected(
        &run_cli(
            "csv_unclosed_quote_12mb",
            "quote.csv",
            open_quote.as_bytes(),
        ),
        "row 2: the length of the line",
    );
    let fields = format!("{header}{}\n", ",".repeat(20_000));
    assert_rejected(
        &run_cli("csv_20001_fields", "fields.csv", fields.as_bytes()),
        "row 2: the number of columns",
    );
    let blank = format!("{header}{}张三,2024-03-05,100\n", "\n".repeat(2_000_000));
    assert_rejected(
        &run_cli("csv_2m_blank_lines", "blank.csv", blank.as_bytes()),
        "number of rows",
    );
    let cell = format!(
        "{header}张三,2024-03-05,100\n李四,2024-03-06,\"{}\"\n",
        "9".repeat(40_000)
    );
    assert_rejected(
        &run_cli("csv_cell_over_32767_chars", "cell.csv", cell.as_bytes()),
        "row 3, column C",
    );
}

#[test]
fn html_caps() {
    let nested = format!("<html><body>{}x", "<table><tr><td>".repeat(100));
    assert_rejected(
        &run_cli("html_100_nested_tables", "nested.xls", nested.as_bytes()),
        "nesting depth",
    );
    let many = format!(
        "<html><body>{}",
        "<table><tr><td>1</td></tr></table>".repeat(20_000)
    );
    assert_rejected(
        &run_cli("html_20000_tables", "many.xls", many.as_bytes()),
        "number of HTML tables",
    );
    let rows = format!("<html><body><table>{}", "<tr>".repeat(2_000_000));
    assert_rejected(
        &run_cli("html_2m_empty_rows", "rows.xls", rows.as_bytes()),
        "number of rows",
    );
    let span = format!("<html><body><table><tr>{}", "<td colspan=1000>x".repeat(20));
    assert_rejected(
        &run_cli("html_colspan_columns", "span.xls", span.as_bytes()),
        "number of columns",
    );
}

#[test]
fn gbk_csv_and_html_xls_load() {
    let csv = "客户名称,车牌号,结算日期,实收金额\n张三,京A12345,2024-03-05,\"1,280.00\"\n李四,沪B67890,2024/3/18,560\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let v = assert_report(&run_cli("gbk_csv", "export.csv", &gbk));
    assert_eq!(v["input"]["encoding"], "gb18030");
    assert_eq!(v["input"]["rows_used"], 2);

    let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><table border=1>\
        <tr><th>客户名称</th><th>结算日期</th><th>实收金额</th></tr>\
        <tr><td>张三</td><td>2024-03-05</td><td>1,280.00</td></tr>\
        <tr><td>李四</td><td>2024-03-18</td><td>560</td></tr></table></body></html>";
    let (gb, _, _) = encoding_rs::GBK.encode(html);
    let v = assert_report(&run_cli("html_table_named_xls", "export.xls", &gb));
    assert_eq!(v["input"]["format"], "html");
    assert_eq!(v["input"]["rows_used"], 2);
}

#[test]
fn one_malformed_number_among_good_rows_is_skipped() {
    let csv = "客户名称,结算日期,实收金额\n张三,2024-03-05,100\n李四,2024-03-06,12x.5\n王五,2024-03-07,300\n赵六,2024-03-08,50.25\n";
    let loaded = engine::load(csv.as_bytes(), &LoadOptions::default()).unwrap();
    let report = engine::analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(report.input.rows_read, 4);
    assert_eq!(report.input.rows_used, 3);
    assert_eq!(report.input.rows_skipped, 1);
    assert_eq!(report.input.skipped.get("invalid_amount"), Some(&1));
    assert_eq!(
        report.input.skipped_examples.get("invalid_amount"),
        Some(&vec![3])
    );
    assert_eq!(report.totals.revenue, 45_025);
    // The same through the CLI, and as an xlsx with a text cell among numbers.
    let v = assert_report(&run_cli("csv_one_bad_amount", "bad.csv", csv.as_bytes()));
    assert_eq!(v["input"]["skipped"]["invalid_amount"], 1);
    let xlsx = replace_part(&dataset_xlsx(10), SHEET, |s| {
        let i = s.find("<c r=\"C4\"").unwrap();
        let j = i + s[i..].find("</c>").unwrap() + 4;
        format!(
            "{}<c r=\"C4\" t=\"inlineStr\"><is><t>12x.5</t></is></c>{}",
            &s[..i],
            &s[j..]
        )
    });
    let v = assert_report(&run_cli("xlsx_one_bad_amount", "bad.xlsx", &xlsx));
    assert_eq!(v["input"]["rows_used"], 9);
    assert_eq!(v["input"]["skipped"]["invalid_amount"], 1);
}

#[test]
fn input_over_one_gib_is_rejected() {
    // A sparse file: no disk. The CLI reads the whole file before the engine sees it
    // (about 5 s for 1 GiB here, longer under load), hence the longer timeout.
    let p = work_dir().join("huge.csv");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len((1 << 30) + 1).unwrap();
    drop(f);
    let r = run_cli_timed("input_1gib_plus_1", &p, &[], &[], Duration::from_secs(60));
    let _ = std::fs::remove_file(&p);
    assert_rejected(&r, "file size");
}

// ---------------------------------------------------------------------------------------
// Messages.

#[test]
fn limit_messages_are_translated_and_specific() {
    use dealerlens::engine::limits::what;
    let keys = [
        what::INPUT_BYTES,
        what::ZIP_ENTRIES,
        what::PART_BYTES,
        what::TOTAL_BYTES,
        what::RATIO,
        what::SHARED_STRINGS,
        what::ROWS,
        what::COLUMNS,
        what::CELLS,
        what::CELL_CHARS,
        what::TEXT_BYTES,
        what::DENSE_CELLS,
        what::LINE_BYTES,
        what::HTML_DEPTH,
        what::HTML_TABLES,
    ];
    for key in keys {
        let e = EngineError::TooLarge {
            what: key.into(),
            limit: 1 << 30,
        };
        let zh = e.message(Lang::Zh);
        let en = e.message(Lang::En);
        // The Chinese message names the limit in Chinese, never with the English key.
        assert!(!zh.contains(key), "{zh}");
        assert!(zh.chars().filter(|c| !c.is_ascii()).count() > 8, "{zh}");
        assert!(en.starts_with("The file exceeds a limit: the "), "{en}");
        assert!(en.contains("1,073,741,824"), "{en}");
    }
    let e = EngineError::TooLargeAt {
        what: what::CELL_CHARS.into(),
        limit: 32_767,
        row: 12,
        column: Some(28),
    };
    assert_eq!(
        e.message(Lang::En),
        "The file exceeds a limit at row 12, column AB: the length of the cell text (characters) is over 32,767."
    );
    assert_eq!(
        e.message(Lang::Zh),
        "文件超出限制：第 12 行 AB 列的单元格文本长度（字符）超过 32,767。"
    );
    let ratio = EngineError::TooLarge {
        what: what::RATIO.into(),
        limit: 100,
    };
    assert_eq!(
        ratio.message(Lang::En),
        "The file exceeds a limit: the compression ratio is over 100:1."
    );
    assert_eq!(
        EngineError::TooLarge {
            what: what::PART_BYTES.into(),
            limit: 1 << 30
        }
        .message(Lang::Zh),
        "文件超出限制：压缩包内单个部件解压后的大小（字节）超过 1,073,741,824 (1 GiB)。"
    );
    // The CLI prints the Chinese message under a Chinese locale.
    let p = write_case(
        "zh_limit.csv",
        format!("a,b\n{}\n", ",".repeat(20_000)).as_bytes(),
    );
    let r = run_cli_on("zh_message", &p, &[], &[("LANG", "zh_CN.UTF-8")]);
    assert_rejected(&r, "第 2 行的列数超过 16,384");
}

// ---------------------------------------------------------------------------------------
// Time zones.

#[test]
fn same_json_in_every_time_zone() {
    // Dates as date cells, date-times near midnight, text dates and a 1904-free serial.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_fmt = XlFormat::new().set_num_format("yyyy-mm-dd");
    let dt_fmt = XlFormat::new().set_num_format("yyyy-mm-dd hh:mm");
    for (c, h) in ["客户名称", "结算日期", "实收金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let mut r = 1;
    for (name, (y, m, d, h, mi)) in [
        ("张三", (2024, 3, 5, 0, 0)),
        ("张三", (2024, 3, 31, 23, 59)),
        ("李四", (2023, 12, 31, 23, 30)),
        ("李四", (2024, 1, 1, 0, 1)),
        ("王五", (2024, 2, 29, 12, 0)),
    ] {
        ws.write_string(r, 0, name).unwrap();
        let t = ExcelDateTime::from_ymd(y, m, d)
            .unwrap()
            .and_hms(h, mi, 0)
            .unwrap();
        let fmt = if h == 0 && mi == 0 {
            &date_fmt
        } else {
            &dt_fmt
        };
        ws.write_datetime_with_format(r, 1, t, fmt).unwrap();
        ws.write_number(r, 2, 100.0 * f64::from(r)).unwrap();
        r += 1;
    }
    ws.write_string(r, 0, "赵六").unwrap();
    ws.write_string(r, 1, "2024年3月10日").unwrap();
    ws.write_number(r, 2, 80).unwrap();
    let xlsx = write_case("tz.xlsx", &wb.save_to_buffer().unwrap());
    let csv = write_case(
        "tz.csv",
        "客户名称,结算日期,实收金额\n张三,2024-03-05 00:00:00,1\n张三,2024/3/31 23:59,2\n李四,2023-12-31,3\n".as_bytes(),
    );
    for file in [xlsx, csv] {
        let mut outputs = Vec::new();
        for tz in [
            "UTC",
            "Asia/Shanghai",
            "America/Los_Angeles",
            "Pacific/Kiritimati",
        ] {
            let r = run_cli_on(&format!("tz_{tz}"), &file, &[], &[("TZ", tz)]);
            assert_report(&r);
            outputs.push((tz, r.stdout));
        }
        for (tz, out) in &outputs[1..] {
            assert_eq!(
                String::from_utf8_lossy(out),
                String::from_utf8_lossy(&outputs[0].1),
                "{} under TZ={tz}",
                file.display()
            );
        }
        let v: serde_json::Value = serde_json::from_slice(&outputs[0].1).unwrap();
        assert!(v["input"]["date_range"]["to"].as_str().is_some(), "{v}");
    }
}

/// Found by the far-corner case: the sheet loads (sparse rows), but the empty header cells
/// of the 16,384 columns are named by column letter, and letters such as `TEL`, `VIN`,
/// `RO`, `JOB` and `USE` match role synonyms, so the key becomes `VIN` and every row is
/// skipped (NoUsableRows). The fix belongs in `src/engine/mapping.rs` (not in ingest).
#[test]
#[ignore = "mapping matches column-letter names of empty headers (src/engine/mapping.rs)"]
fn far_corner_stray_cell_keeps_the_mapping() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["客户名称", "结算日期", "实收金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=10u32 {
        ws.write_string(r, 0, format!("客户{r}")).unwrap();
        ws.write_string(r, 1, format!("2024-03-{:02}", r)).unwrap();
        ws.write_number(r, 2, 100.0).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "stray").unwrap();
    let loaded = engine::load(&wb.save_to_buffer().unwrap(), &LoadOptions::default()).unwrap();
    let mapping = loaded.detected.to_headers();
    assert_eq!(mapping.len(), 3, "{mapping:?}");
    let report = engine::analyze(&loaded, &loaded.detected, &AnalyzeOptions::default()).unwrap();
    assert_eq!(report.input.rows_used, 10);
}

// ---------------------------------------------------------------------------------------
// The fuzz seed corpus (scripts/fuzz.sh): written only when DEALERLENS_FUZZ_SEEDS names a
// directory; a no-op in ordinary test runs.

fn zip_part(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut v = Vec::new();
    f.read_to_end(&mut v).unwrap();
    v
}

#[test]
fn fuzz_seed_corpus() {
    let Some(root) = std::env::var_os("DEALERLENS_FUZZ_SEEDS") else {
        return;
    };
    let root = PathBuf::from(root);
    let put = |target: &str, name: &str, bytes: &[u8]| {
        let d = root.join(target);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), bytes).unwrap();
    };
    let csv = "客户名称,车牌号,结算日期,实收金额\n张三,京A12345,2024-03-05,\"1,280.00\"\n李四,沪B67890,2024/3/18,560\n,2024-03-10,10\n合计,,1850\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let tsv_utf16: Vec<u8> = "\u{feff}客户\t日期\t金额\r\n张三\t2024年3月5日\t¥80\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let html = "<html><head><meta charset=\"utf-8\"></head><body><table><tr><th>客户名称</th><th>结算日期</th><th colspan=2>实收金额</th></tr><tr><td>张三&nbsp;</td><td>2024-03-05</td><td>1,280.00</td></tr><!-- c --><tr><td>李四<br>二</td><td>2024/3/18</td><td>560</td></table></body></html>";
    let fixture = |n: &str| {
        std::fs::read(format!("{}/tests/fixtures/{n}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let xlsx = dataset_xlsx(8);
    let ods_b = dataset_ods();
    let xls_stream = dataset_xls_stream();
    let xls = cfb(&xls_stream).bytes;
    for (name, bytes) in [
        ("dataset.xlsx", xlsx.clone()),
        ("dataset.ods", ods_b.clone()),
        ("dataset.xls", xls.clone()),
        ("service_records.xls", fixture("service_records.xls")),
        (
            "service_records_1904.xls",
            fixture("service_records_1904.xls"),
        ),
        ("utf8.csv", csv.as_bytes().to_vec()),
        ("gbk.csv", gbk.to_vec()),
        ("utf16.tsv", tsv_utf16.clone()),
        ("table.html", html.as_bytes().to_vec()),
        ("pdf", b"%PDF-1.7\n%%EOF\n".to_vec()),
    ] {
        put("ingest", name, &bytes);
    }
    for (name, bytes) in [
        ("utf8.csv", csv.as_bytes().to_vec()),
        ("gbk.csv", gbk.to_vec()),
        ("utf16.tsv", tsv_utf16),
        (
            "semicolon.csv",
            b"sep=;\nkunde;datum;betrag\nA;05.03.2024;1.280,50\n".to_vec(),
        ),
        ("quoted.csv", b"a,\"b\"\"c\",\"x\ny\"\r\n1,2,3\n".to_vec()),
        ("table.html", html.as_bytes().to_vec()),
    ] {
        put("csv", name, &bytes);
    }
    let tagged = |tag: u8, name: &str, part: &[u8]| {
        let mut v = vec![tag];
        v.extend_from_slice(part);
        put("containers", name, &v);
    };
    tagged(0, "sheet.xml", &zip_part(&xlsx, SHEET));
    tagged(1, "sst.xml", &zip_part(&xlsx, SST));
    tagged(2, "workbook.xml", &zip_part(&xlsx, "xl/workbook.xml"));
    tagged(3, "content.xml", &zip_part(&ods_b, "content.xml"));
    tagged(4, "workbook.biff", &xls_stream);
    for (i, v) in [
        "2024-03-05",
        "2024/3/5 14:30:00",
        "2024年3月5日",
        "05.03.2024",
        "3/5/24",
        "20240305",
        "45356",
        "¥1,280.00",
        "-80",
        "(1,234.50)",
        "1.280,50",
        "1 280,50 元",
        "USD 12.5",
        "00123",
        "京A12345",
        "LSVAA4182E2100001",
        "合计",
        "Total:",
        "1e308",
        "-0",
    ]
    .iter()
    .enumerate()
    {
        put("values", &format!("v{i:02}"), v.as_bytes());
    }
    for (i, f) in [45356.0f64, 0.5, -1.0, 2_958_465.99, f64::NAN, 1e300]
        .iter()
        .enumerate()
    {
        put("values", &format!("f{i:02}"), &f.to_le_bytes());
    }
}

// ---------------------------------------------------------------------------------------
// Regressions: panics in calamine's xls reader found by fuzzing and by the truncated-file
// cases, now rejected by the ingest guard before calamine runs (natively the engine also
// catches the panic, but on wasm a panic kills the worker). Each file is built here; each
// case also records whether calamine alone still panics on it (upstream status, printed,
// not asserted, so a calamine upgrade that fixes one does not fail the suite).

fn calamine_alone_panics(bytes: &[u8]) -> bool {
    let bytes = bytes.to_vec();
    std::panic::catch_unwind(move || {
        let _ = <calamine::Xls<_> as calamine::Reader<_>>::new(Cursor::new(bytes));
    })
    .is_err()
}

fn regression(name: &str, bytes: &[u8], needle: &str) {
    println!(
        "regression {name}: calamine alone panics: {}",
        calamine_alone_panics(bytes)
    );
    assert_rejected(&run_cli(name, &format!("{name}.xls"), bytes), needle);
    let e = engine::ingest::read_table(bytes, &Default::default()).unwrap_err();
    assert!(matches!(e, EngineError::Corrupt { .. }), "{name}: {e:?}");
}

#[test]
fn regression_xls_bof_without_data() {
    // calamine xls.rs `parse_bof`: `read_u16(&r.data[..2])` on an empty BOF (fuzz
    // containers, crash-91e9e637, 3 bytes).
    let stream = rec(0x0809, &[]);
    regression(
        "regression_xls_bof_without_data",
        &cfb_padded(&stream),
        "too short",
    );
}

#[test]
fn regression_xls_datemode_without_data() {
    // calamine xls.rs `0x0022 if read_u16(r.data) == 1` (utils.rs `read_u16`) on an empty
    // DATEMODE record (fuzz containers, crash-4b79ba90).
    let mut stream = bof(0x0005);
    stream.extend_from_slice(&rec(0x0022, &[]));
    regression(
        "regression_xls_datemode_without_data",
        &cfb_padded(&stream),
        "too short",
    );
}

#[test]
fn regression_xls_defined_name_too_short() {
    // calamine xls.rs `parse_lbl`: `r.data[3]`, `&r.data[14..]`, the last `cce` bytes and
    // the first token's operands, all unchecked (fuzz containers, crash-bdb86adb).
    for (i, lbl) in [
        vec![0u8; 3],
        vec![0u8; 13],
        // cce = 40 in a 15-byte record (an empty name, then `len - cce` underflows).
        vec![0, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        // A PtgArea3d (0x3b) token without its 10 bytes of operands.
        vec![0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'n', 0x3b],
    ]
    .into_iter()
    .enumerate()
    {
        let mut stream = bof(0x0005);
        stream.extend_from_slice(&rec(0x0018, &lbl));
        regression(
            &format!("regression_xls_defined_name_too_short_{i}"),
            &cfb_padded(&stream),
            "defined name",
        );
    }
}

#[test]
fn regression_xls_sector_past_end_of_file() {
    // calamine cfb.rs `Sectors::get`: `&self.data[start..len]` with `start > len` when a
    // FAT sector starts past the end of the file (fuzz ingest, crash-a4d99028).
    let mut c = cfb(&dataset_xls_stream());
    let maxid = (c.bytes.len() / 512) as u32;
    put32(&mut c.bytes, 0x4C + 4, maxid);
    put32(&mut c.bytes, 0x2C, 2);
    regression(
        "regression_xls_sector_past_end_of_file",
        &c.bytes,
        "past the end",
    );
}

#[test]
fn regression_xls_file_ends_inside_a_fat_sector() {
    // calamine utils.rs `to_u32`: `assert_eq!(s.len() % 4, 0)` on the short last sector
    // (tests `truncated_xls_02_of_20` and `_03_`).
    let c = cfb(&dataset_xls_stream());
    regression(
        "regression_xls_file_ends_inside_a_fat_sector",
        &c.bytes[..512 + 101],
        "FAT sector",
    );
}

#[test]
fn regression_xls_dimensions_end_before_start() {
    // calamine xls.rs: `(end.0 - start.0 + 1)` for DIMENSIONS (fuzz containers,
    // crash-6c3d5fe7): an overflow panic, or about four billion rows reserved without
    // overflow checks.
    let mut cells = dimensions(7, 3, 0, 2);
    cells.extend_from_slice(&number(0, 0, 1.0));
    regression(
        "regression_xls_dimensions_end_before_start",
        &cfb(&biff_workbook(&[], &[], &cells)).bytes,
        "DIMENSIONS",
    );
}

#[test]
fn regression_xls_mulrk_last_column_before_first() {
    // calamine xls.rs `parse_mul_rk`: `col_last - col_first + 1` in u16 (fuzz containers,
    // crash-0ad155a4).
    let mut d = 0u16.to_le_bytes().to_vec();
    d.extend_from_slice(&5u16.to_le_bytes());
    d.extend_from_slice(&[0, 0, 0, 0, 0xF0, 0x3F]);
    d.extend_from_slice(&2u16.to_le_bytes());
    regression(
        "regression_xls_mulrk_last_column_before_first",
        &cfb(&biff_workbook(&[], &[], &rec(0x00BD, &d))).bytes,
        "MULRK",
    );
}

#[test]
fn regression_xls_merge_cells_count_past_record() {
    // calamine xls.rs `parse_merge_cells`: reads `count` ranges of 8 bytes unchecked (and
    // `2 + i * 8` in u16). Found reading the code next to the fuzz findings.
    let cells = rec(0x00E5, &40u16.to_le_bytes());
    regression(
        "regression_xls_merge_cells_count_past_record",
        &cfb(&biff_workbook(&[], &[], &cells)).bytes,
        "MERGECELLS",
    );
}

/// A compound file around a (short) stream, padded with zeros to leave the mini stream.
fn cfb_padded(stream: &[u8]) -> Vec<u8> {
    let mut s = stream.to_vec();
    s.resize(s.len().max(4096), 0);
    cfb(&s).bytes
}

#[test]
fn regression_xls_rich_string_without_run_count() {
    // calamine xls.rs `read_rich_extended_string`: `read_u16(r.data)` for the run count of
    // a rich string (flag 0x08) at the end of the SST (fuzz containers, crash-52f66546,
    // with code page 1201, where our mirror of the string widths first went wrong).
    let mut globals = rec(0x0042, &1201u16.to_le_bytes());
    let mut sst = 1u32.to_le_bytes().to_vec();
    sst.extend_from_slice(&1u32.to_le_bytes());
    sst.extend_from_slice(&[0x02, 0x00, 0x09, 0x41]);
    globals.extend_from_slice(&rec(0x00FC, &sst));
    let mut stream = bof(0x0005);
    stream.extend_from_slice(&globals);
    regression(
        "regression_xls_rich_string_without_run_count",
        &cfb_padded(&stream),
        "short string",
    );
}

#[test]
fn regression_xlsx_column_letters_overflow() {
    // calamine xlsx/mod.rs `get_row_and_optional_column`: `col * 26 + ..` in u32 overflows
    // for a reference with seven or more letters (fuzz containers, crash-2c4b6d96 and
    // three more). A panic only with overflow checks (debug builds, caught by the engine);
    // release builds wrap and the position is then checked against the column limit.
    let base = dataset_xlsx(3);
    for (i, (from, to)) in [
        ("r=\"A2\"", "r=\"AAAAAAAAAAAA2\""),
        ("ref=\"A1:C4\"", "ref=\"A1:ZZZZZZZZZ4\""),
    ]
    .into_iter()
    .enumerate()
    {
        let bytes = replace_part(&base, SHEET, |s| {
            assert!(s.contains(from), "{from}");
            s.replacen(from, to, 1)
        });
        assert_clean(&run_cli(
            &format!("regression_xlsx_column_letters_overflow_{i}"),
            &format!("letters{i}.xlsx"),
            &bytes,
        ));
    }
}
