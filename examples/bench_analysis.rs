//! Benchmark of the analyses (not a test): builds a synthetic export of about 100k customers
//! and 1M records from the demo generator, then times each stage and a re-run after a rule
//! change. Run with:
//!
//! ```sh
//! cargo run --release --example bench_analysis [CUSTOMERS] [FROM_YEAR]
//! ```

use chrono::NaiveDate;
use dealerlens::engine::{self, demo, AnalyzeOptions, Loaded};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let customers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let from_year: i32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2020);
    let opts = demo::DemoOptions {
        customers,
        start: NaiveDate::from_ymd_opt(from_year, 1, 1).expect("valid year"),
        ..Default::default()
    };
    let t = Instant::now();
    let table = demo::demo_table(&opts);
    let gen = t.elapsed();
    let t = Instant::now();
    let loaded = Loaded::from_table(table, None).expect("demo loads");
    let detect = t.elapsed();
    let t = Instant::now();
    let prepared = engine::prepare(&loaded, &loaded.detected).expect("demo prepares");
    let prep = t.elapsed();
    let records = prepared.extraction.records.len();
    let n = prepared.customers.len();

    let base = AnalyzeOptions::default();
    let t = Instant::now();
    let report = engine::report(&loaded, &prepared, &base);
    let first = t.elapsed();

    // A rule change: stricter ABC and lifecycle thresholds, as a user editing the rules panel.
    // Every re-run gets other values than the one before, so that none finds its results
    // memoised. Dropping the previous Report is timed apart (the page drops it when the new
    // one arrives).
    let mut changed = base.clone();
    let mut reruns = Vec::new();
    let mut drops = Vec::new();
    let mut previous = None;
    for k in 0..9 {
        changed.rules.pareto.a_share = 0.7 + 0.005 * k as f64;
        changed.rules.lifecycle.at_risk_days = 150 + k;
        let t = Instant::now();
        let r = engine::report(&loaded, &prepared, &changed);
        reruns.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_ne!(r.pareto.customers.abc, report.pareto.customers.abc);
        if let Some(old) = previous.replace(r) {
            let t = Instant::now();
            drop(old);
            drops.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    drop(previous);
    reruns.sort_by(|a, b| a.total_cmp(b));
    drops.sort_by(|a, b| a.total_cmp(b));
    // Per-stage timings of a re-run with the changed rules, from a basis gathered once.
    {
        use dealerlens::engine::analysis;
        let ex = &prepared.extraction;
        let as_of = dealerlens::engine::customers::latest_date(&ex.records).unwrap_or_default();
        let ctx = analysis::Context {
            records: &ex.records,
            strings: &ex.strings,
            customers: &prepared.customers,
            mapping: &prepared.mapping,
            rules: &changed.rules,
            as_of,
        };
        // Each stage runs 5 times; the median and the minimum are printed (the minimum is the
        // least disturbed by other work on the machine).
        macro_rules! stage {
            ($name:expr, $e:expr) => {{
                let mut times = Vec::new();
                let mut v = None;
                for _ in 0..5 {
                    let t = Instant::now();
                    let r = $e;
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    drop(v.replace(r));
                }
                times.sort_by(|a, b| a.total_cmp(b));
                println!(
                    "  {:<26} median {:>8.1} ms, min {:>8.1} ms",
                    $name, times[2], times[0]
                );
                v.expect("ran")
            }};
        }
        let basis = stage!("basis (once per file)", analysis::Basis::new(&ctx));
        let _ = stage!(
            "pareto",
            analysis::pareto::run_cached(&ctx, &basis.groups, &basis.order)
        );
        let _ = stage!("rfm (memoised by its rules)", analysis::rfm::run(&ctx));
        let m = stage!("mileage", analysis::mileage::run_cached(&ctx, &basis.fleet));
        let km = &m.customer_daily_km;
        let dominant = stage!(
            "needs (memoised by its rules)",
            basis
                .needs
                .dominant(&basis.needs.classes(&changed.rules.need))
        );
        let (_, segs) = stage!(
            "segments",
            analysis::segments::run_cached(&ctx, &basis.segments, &dominant, km)
        );
        let _ = stage!(
            "reminders",
            analysis::reminders::run_cached(&ctx, &basis.reminders, &basis.needs, km)
        );
        let lifecycle: Vec<Option<&str>> = segs.iter().map(|s| s.lifecycle.as_deref()).collect();
        let value: Vec<Option<&str>> = segs.iter().map(|s| s.value.as_deref()).collect();
        let _ = stage!(
            "trends",
            analysis::trends::run_cached(&basis.trends, &lifecycle, &value)
        );
        let split = analysis::migration::default_split(as_of);
        let _ = stage!(
            "migration (memoised)",
            analysis::migration::run(&ctx, split)
        );
        let fit = stage!("clv fit (memoised)", analysis::clv::fit(&ctx));
        if let Ok(f) = fit {
            let _ = stage!("clv score (memoised)", analysis::clv::score(&f, 365));
        }
    }
    let t = Instant::now();
    let json = serde_json::to_string(&report).expect("serialises");
    let ser = t.elapsed();

    println!("customers            {n}");
    println!("records              {records}");
    println!(
        "generate table       {:>8.1} ms",
        gen.as_secs_f64() * 1000.0
    );
    println!(
        "detect header+roles  {:>8.1} ms",
        detect.as_secs_f64() * 1000.0
    );
    println!(
        "prepare (records)    {:>8.1} ms",
        prep.as_secs_f64() * 1000.0
    );
    println!(
        "all analyses, first  {:>8.1} ms",
        first.as_secs_f64() * 1000.0
    );
    println!(
        "all analyses, rule change: median {:.1} ms (min {:.1}, max {:.1}) over 9 runs",
        reruns[4], reruns[0], reruns[8]
    );
    println!(
        "drop the previous Report: median {:.1} ms (min {:.1}) over {} runs",
        drops[drops.len() / 2],
        drops[0],
        drops.len()
    );
    println!(
        "report JSON          {:>8.1} ms, {:.1} MB",
        ser.as_secs_f64() * 1000.0,
        json.len() as f64 / 1e6
    );
    // What the page does with the worker's message: read the whole Report back.
    let t = Instant::now();
    let back: dealerlens::engine::report::Report = serde_json::from_str(&json).expect("reads back");
    let de = t.elapsed();
    assert_eq!(back.customers.len(), report.customers.len());
    println!("report JSON, read    {:>8.1} ms", de.as_secs_f64() * 1000.0);
    // The worker → page message: the Report cut down to what the page shows at once
    // (protocol::cut_for_page), then a drill-down page answered from the kept lines.
    let t = Instant::now();
    let mut sent = report;
    let (kept, facts) = dealerlens::protocol::cut_for_page(&mut sent);
    let msg = dealerlens::protocol::Reply {
        job: 1,
        body: dealerlens::protocol::FromWorker::Report {
            report: Box::new(sent),
            lists: facts,
            preview: loaded.preview(&loaded.detected, 8),
        },
    }
    .encode()
    .expect("written");
    let wr = t.elapsed();
    let t = Instant::now();
    let back = dealerlens::protocol::Reply::decode(&msg).expect("reads");
    let rd = t.elapsed();
    assert_eq!(back.job, 1);
    println!(
        "page message         {:>8.1} ms, {:.2} MB; read {:.1} ms",
        wr.as_secs_f64() * 1000.0,
        msg.len() as f64 / 1e6,
        rd.as_secs_f64() * 1000.0
    );
    let q = dealerlens::engine::select::MemberQuery::class("lifecycle", "lost");
    let t = Instant::now();
    let page =
        dealerlens::protocol::members_page(&kept.customers, &q, dealerlens::protocol::HEAD_CALLS);
    let dd = t.elapsed();
    println!(
        "drill-down page      {:>8.1} ms ({} of {} lost customers)",
        dd.as_secs_f64() * 1000.0,
        page.rows.len(),
        page.found
    );
}
