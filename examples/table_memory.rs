//! Where a file's raw table keeps its bytes: per column, plain or interned, values stored
//! and text bytes. `cargo run --release --example table_memory -- FILE`
use dealerlens::engine;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: table_memory FILE");
        std::process::exit(2);
    };
    let loaded = std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| engine::load(&b, &Default::default()).map_err(|e| e.to_string()));
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let cells = &loaded.table.cells;
    println!(
        "{} rows, table {:.1} MB on the heap",
        cells.len(),
        cells.heap_bytes() as f64 / 1e6
    );
    for (i, (plain, stored, text)) in cells.column_sizes().into_iter().enumerate() {
        let header = loaded.headers.get(i).map_or("", String::as_str);
        let kind = if plain { "plain" } else { "interned" };
        println!("{i:>3} {header:<16} {kind:<9} values {stored:>9} text {text:>10} B");
    }
}
