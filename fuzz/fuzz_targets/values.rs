//! The value parsers (dates in every DMS form, exact money, numbers, ids) on text and on
//! numbers taken from the bytes.
#![no_main]

use dealerlens::engine::values::{
    excel_serial_to_date, is_totals_label, parse_amount, parse_date, parse_id, parse_number,
    parse_price, parse_text,
};
use dealerlens::engine::Cell;
use libfuzzer_sys::fuzz_target;

fn all(cell: &Cell) {
    let _ = parse_date(cell, false);
    let _ = parse_date(cell, true);
    let _ = parse_amount(cell);
    let _ = parse_price(cell);
    let _ = parse_number(cell);
    let _ = parse_id(cell);
    let _ = parse_text(cell);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = is_totals_label(&text);
    all(&Cell::Text(text.clone()));
    all(&Cell::Error(text));
    for chunk in data.chunks_exact(8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        let f = f64::from_le_bytes(b);
        all(&Cell::Number(f));
        let _ = excel_serial_to_date(f, false);
        let _ = excel_serial_to_date(f, true);
        let i = i64::from_le_bytes(b);
        all(&Cell::Number(i as f64));
        if let Some(dt) = chrono::DateTime::from_timestamp(i % 100_000_000_000, 0) {
            all(&Cell::DateTime(dt.naive_utc()));
        }
    }
    all(&Cell::Bool(data.first().is_some_and(|b| b & 1 == 1)));
    all(&Cell::Empty);
});
