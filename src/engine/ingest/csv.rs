//! CSV/TSV: decode, sniff the delimiter, read every record as text.

use super::{text, too_large, too_large_at, IngestOptions};
use crate::engine::error::EngineError;
use crate::engine::limits::{self, what, MAX_CELLS, MAX_COLS};
use crate::engine::table::{CellRef, Columns, ColumnsBuilder, Format, RawTable};

/// Candidate delimiters, in order of preference on ties.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];
/// Records examined when sniffing the delimiter.
const SNIFF_RECORDS: usize = 50;
/// Most text examined when sniffing the delimiter (bytes).
const SNIFF_BYTES: usize = 1 << 20;

/// Reads CSV/TSV bytes.
pub(crate) fn read(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    let decoded = text::decode(bytes, opts.encoding)?;
    let (body, forced) = strip_sep_line(&decoded.text);
    let delimiter = forced.unwrap_or_else(|| sniff_delimiter(sniff_sample(body)));
    prescan(body, delimiter)?;
    let rows = parse(body, delimiter)?;
    if rows.rows().all(|r| r.is_blank()) {
        return Err(EngineError::NoData);
    }
    Ok(RawTable {
        format: if delimiter == b'\t' {
            Format::Tsv
        } else {
            Format::Csv
        },
        sheet: None,
        sheets: Vec::new(),
        encoding: Some(decoded.encoding),
        date_1904: false,
        cells: rows,
    })
}

/// Excel's `sep=;` first line names the delimiter; it is not part of the data.
fn strip_sep_line(text: &str) -> (&str, Option<u8>) {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end_matches('\r');
    if let Some(rest) = first.strip_prefix("sep=") {
        if let [d] = rest.as_bytes() {
            if d.is_ascii() && *d != b'"' && *d != b'\n' {
                let body = text.get(first_end + 1..).unwrap_or("");
                return (body, Some(*d));
            }
        }
    }
    (text, None)
}

/// The start of the text the delimiter is sniffed from: at most [`SNIFF_BYTES`], ending
/// at a line break when there is one.
fn sniff_sample(text: &str) -> &str {
    if text.len() <= SNIFF_BYTES {
        return text;
    }
    let mut end = SNIFF_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    match head.rfind('\n') {
        Some(p) => &head[..=p],
        None => head,
    }
}

/// Checks every record's length ([`limits::MAX_LINE_BYTES`]), field count ([`MAX_COLS`])
/// and the row count ([`limits::MAX_ROWS`], blank lines included) before the csv crate
/// reads it, following the csv crate's rules for
/// quotes and line ends (a quote opens a quoted field only at the start of a field, `""`
/// inside one is a quote, `\r`, `\n` and `\r\n` end a record, blank lines are rows of
/// their own). Errors name the row as [`parse`] numbers it.
fn prescan(text: &str, delimiter: u8) -> Result<(), EngineError> {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        StartRecord,
        StartField,
        InField,
        InQuoted,
        QuoteInQuoted,
    }
    let b = text.as_bytes();
    let mut s = S::StartRecord;
    let mut row = 0usize;
    let mut start = 0usize;
    let mut fields = 0usize;
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        let term = c == b'\r' || c == b'\n';
        let mut end_record = false;
        match s {
            S::StartRecord => {
                if term {
                    if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    row += 1;
                    i += 1;
                    continue;
                }
                if row >= limits::MAX_ROWS {
                    return Err(too_large(what::ROWS, limits::MAX_ROWS as u64));
                }
                start = i;
                fields = 0;
                s = S::StartField;
                // This byte starts the first field.
                continue;
            }
            S::StartField => {
                if c == b'"' {
                    s = S::InQuoted;
                } else if c == delimiter {
                    fields += 1;
                } else if term {
                    end_record = true;
                } else {
                    s = S::InField;
                }
            }
            S::InField => {
                if c == delimiter {
                    fields += 1;
                    s = S::StartField;
                } else if term {
                    end_record = true;
                }
            }
            S::InQuoted => {
                if c == b'"' {
                    s = S::QuoteInQuoted;
                }
            }
            S::QuoteInQuoted => {
                if c == b'"' {
                    s = S::InQuoted;
                } else if c == delimiter {
                    fields += 1;
                    s = S::StartField;
                } else if term {
                    end_record = true;
                } else {
                    s = S::InField;
                }
            }
        }
        if i - start > limits::MAX_LINE_BYTES {
            return Err(too_large_at(
                what::LINE_BYTES,
                limits::MAX_LINE_BYTES as u64,
                row,
                None,
            ));
        }
        if fields >= MAX_COLS {
            return Err(too_large_at(what::COLUMNS, MAX_COLS as u64, row, None));
        }
        if end_record {
            if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            row += 1;
            s = S::StartRecord;
        }
        i += 1;
    }
    Ok(())
}

fn reader(text: &str, delimiter: u8) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// Picks the delimiter whose first records have the most consistent field count (more than
/// one field). Title rows of a single field do not count against a candidate.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize); // (delimiter, records at the modal count, modal count)
    for &d in &DELIMITERS {
        let mut counts: Vec<usize> = Vec::new();
        let mut rec = ::csv::StringRecord::new();
        let mut rdr = reader(text, d);
        while counts.len() < SNIFF_RECORDS {
            match rdr.read_record(&mut rec) {
                Ok(true) => counts.push(rec.len()),
                Ok(false) => break,
                // Invalid UTF-8 cannot happen on a &str; any error ends the sample.
                Err(_) => break,
            }
        }
        let mut freq: Vec<(usize, usize)> = Vec::new(); // (field count, records)
        for &c in counts.iter().filter(|&&c| c > 1) {
            match freq.iter_mut().find(|(n, _)| *n == c) {
                Some((_, k)) => *k += 1,
                None => freq.push((c, 1)),
            }
        }
        // Mode: most records; on ties the wider count.
        if let Some(&(width, records)) = freq.iter().max_by_key(|(n, k)| (*k, *n)) {
            if (records, width) > (best.1, best.2) {
                best = (d, records, width);
            }
        }
    }
    best.0
}

/// Number of line breaks (`\r\n`, `\n` or `\r`) at the start of `s` before any other
/// character: the blank lines the csv crate skipped before a record.
fn leading_blank_lines(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        n += 1;
    }
    n
}

/// Every record as text cells (blank lines as empty rows).
fn parse(text: &str, delimiter: u8) -> Result<Columns, EngineError> {
    let mut rdr = reader(text, delimiter);
    let mut rows = ColumnsBuilder::default();
    let mut rec = ::csv::StringRecord::new();
    let mut cells = 0usize;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(EngineError::Corrupt {
                    format: "csv".into(),
                    detail: super::short(&e.to_string()),
                })
            }
        }
        // Keep blank lines as empty rows so row numbers match what a spreadsheet shows.
        if let Some(pos) = rec.position() {
            let start = pos.byte() as usize;
            // The `\n` of a CRLF ending the previous record is where this one "starts".
            let start = if start > 0
                && text.as_bytes().get(start - 1) == Some(&b'\r')
                && text.as_bytes().get(start) == Some(&b'\n')
            {
                start + 1
            } else {
                start
            };
            if let Some(rest) = text.get(start..) {
                for _ in 0..leading_blank_lines(rest) {
                    rows.push_row();
                }
            }
        }
        let row = rows.len();
        if row % super::progress::STEP_ROWS as usize == 0 && row > 0 {
            let at = rec.position().map_or(0, |p| p.byte());
            super::progress::report(at, text.len() as u64);
        }
        if rec.len() > MAX_COLS {
            return Err(too_large_at(what::COLUMNS, MAX_COLS as u64, row, None));
        }
        cells += rec.len().max(1);
        if cells > MAX_CELLS {
            return Err(too_large(what::CELLS, MAX_CELLS as u64));
        }
        rows.push_row();
        for (col, f) in rec.iter().enumerate() {
            let t = f.trim();
            super::check_cell_text(t, row, col)?;
            let cell = if t.is_empty() {
                CellRef::Empty
            } else {
                CellRef::Text(t)
            };
            rows.set(row, col, cell)?;
        }
    }
    Ok(rows.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("标题\na\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c\n\"1,5\";2;3\n"), b';');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(sniff_delimiter("just one column\nvalue\n"), b',');
    }

    #[test]
    fn blank_lines_kept() {
        let rows = parse("\na,b\n\r\n\n\"x\ny\",2\n", b',').unwrap();
        assert_eq!(parse("a\r\nb\r\n\r\nc\r\n", b',').unwrap().len(), 4);
        assert_eq!(rows.len(), 5);
        assert!(rows.row(0).is_empty() && rows.row(2).is_empty() && rows.row(3).is_empty());
        assert_eq!(rows.cell(4, 0), CellRef::Text("x\ny"));
    }

    #[test]
    fn sep_line() {
        assert_eq!(strip_sep_line("sep=;\r\na;b"), ("a;b", Some(b';')));
        assert_eq!(strip_sep_line("a,b"), ("a,b", None));
    }
}
