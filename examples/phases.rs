//! Times the CLI's stages on one file (not a test): read, load (parse + detect), prepare,
//! report, JSON; then what the worker does on a re-run after a rule change (the at-risk
//! threshold moved): the analyses again, cutting the Report down for the page, and writing
//! the page's message. Run with:
//!
//! ```sh
//! cargo run --release --example phases -- FILE [RUNS] [RERUNS]
//! ```

use dealerlens::engine::{self, AnalyzeOptions, LoadOptions};
use dealerlens::protocol::{cut_for_page, FromWorker, Reply, PREVIEW_ROWS};
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        eprintln!("usage: phases FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    // Re-runs timed per run (the fastest is printed).
    let reruns: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1).max(1);
    println!("read_ms\tload_ms\tprepare_ms\t(extract\tsummarise)\treport_ms\tjson_ms\trecords\tcustomers\trerun: report_ms\tcut_ms\tmessage_ms\tmessage_bytes");
    for _ in 0..runs {
        let t = Instant::now();
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        };
        let read = ms(t);
        let t = Instant::now();
        let loaded = match engine::load(&bytes, &LoadOptions::default()) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{file}: {}", e.message(engine::Lang::En));
                std::process::exit(1);
            }
        };
        let load = ms(t);
        drop(bytes);
        let t = Instant::now();
        let prepared = match engine::prepare(&loaded, &loaded.detected) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{file}: {}", e.message(engine::Lang::En));
                std::process::exit(1);
            }
        };
        let prepare = ms(t);
        // prepare's two steps apart
        let t = Instant::now();
        let ex = engine::records::extract(&loaded.table, loaded.header_row, &loaded.detected);
        let extract = ms(t);
        let t = Instant::now();
        let cs = engine::customers::summarise(&ex.records, &ex.strings);
        let summarise = ms(t);
        std::hint::black_box(cs);
        drop(ex);
        let t = Instant::now();
        let report = engine::report(&loaded, &prepared, &AnalyzeOptions::default());
        let rep = ms(t);
        let t = Instant::now();
        let json = serde_json::to_vec(&report).map(|v| v.len()).unwrap_or(0);
        let js = ms(t);
        std::hint::black_box(json);
        drop(report);
        // Re-runs: the same prepared records, the at-risk threshold changed each time (120,
        // 150, 120, ... days), so that no run finds its lifecycle results memoised.
        let mut rerun = f64::INFINITY;
        let mut report = None;
        for i in 0..reruns {
            let mut options = AnalyzeOptions::default();
            options.rules.lifecycle.at_risk_days = if i % 2 == 0 { 120 } else { 150 };
            let t = Instant::now();
            let r = engine::report(&loaded, &prepared, &options);
            rerun = rerun.min(ms(t));
            report = Some(r);
        }
        let Some(mut report) = report else { return };
        let t = Instant::now();
        let (kept, lists) = cut_for_page(&mut report);
        let cut = ms(t);
        std::hint::black_box(kept);
        let t = Instant::now();
        let preview = loaded.preview(&loaded.detected, PREVIEW_ROWS);
        let body = FromWorker::Report {
            report: Box::new(report),
            lists,
            preview,
        };
        let message = Reply { job: 1, body }.encode().map_or(0, |m| m.len());
        let msg = ms(t);
        println!(
            "{read:.0}\t{load:.0}\t{prepare:.0}\t{extract:.0}\t{summarise:.0}\t{rep:.0}\t{js:.0}\t{}\t{}\t{rerun:.1}\t{cut:.1}\t{msg:.1}\t{message}",
            prepared.extraction.records.len(),
            prepared.customers.len()
        );
    }
}
