//! The worker sends the page a Report cut down to what it shows at once and keeps the rest;
//! drill-downs are answered from what it kept. What the page gets must agree with the whole
//! Report the CLI writes.

use dealerlens::engine::analysis::reminders::CallList;
use dealerlens::engine::select::{MemberQuery, SortKey};
use dealerlens::engine::{self, demo, AnalyzeOptions, Loaded, Preview};
use dealerlens::protocol::{
    cut_for_page, members_page, named_lists, FromWorker, ListFacts, Reply, HEAD_CALLS, HEAD_LINES,
};

fn demo_report(customers: usize, opts: &AnalyzeOptions) -> (engine::Report, Preview) {
    let d = demo::DemoOptions {
        customers,
        ..Default::default()
    };
    let loaded = Loaded::from_table(demo::demo_table(&d), None).expect("demo loads");
    let prepared = engine::prepare(&loaded, &loaded.detected).expect("demo prepares");
    let preview = loaded.preview(&loaded.detected, 8);
    (engine::report(&loaded, &prepared, opts), preview)
}

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("serialises")
}

/// Due range and overdue count of a list's JSON entries, counted here from the entries.
fn facts_of(entries: &serde_json::Value) -> (usize, Option<(String, String)>, usize) {
    let items = entries.as_array().cloned().unwrap_or_default();
    let due: Vec<String> = items
        .iter()
        .filter_map(|i| i["due"].as_str().map(str::to_string))
        .collect();
    let overdue = items
        .iter()
        .filter(|i| i["days_to_due"].as_i64().is_some_and(|d| d < 0))
        .count();
    let range = due.iter().min().cloned().zip(due.iter().max().cloned());
    (items.len(), range, overdue)
}

#[test]
fn the_page_gets_the_head_of_every_line_and_list() {
    // 3,000 customers: more lines than HEAD_LINES and lists longer than HEAD_CALLS.
    let (whole, preview) = demo_report(3_000, &AnalyzeOptions::default());
    let full = json(&whole);
    let mut sent = whole.clone();
    let (kept, facts) = cut_for_page(&mut sent);
    let cut = json(&sent);

    // Lines: the first HEAD_LINES, as in the whole Report; the kept ones are all of them.
    let lines = full["customers"].as_array().expect("lines");
    assert!(lines.len() > HEAD_LINES);
    assert_eq!(cut["customers"].as_array().map(Vec::len), Some(HEAD_LINES));
    assert_eq!(
        cut["customers"].as_array().map(|l| &l[..]),
        Some(&lines[..HEAD_LINES])
    );
    assert_eq!(json(&kept.customers), full["customers"]);

    // Lists: the first HEAD_CALLS entries; facts counted from the whole list.
    let mut longer = 0;
    for (name, _) in named_lists(&whole.lists) {
        let entries = full["lists"][name].as_array().expect("list");
        let n = entries.len().min(HEAD_CALLS);
        assert_eq!(
            cut["lists"][name].as_array().map(|l| &l[..]),
            Some(&entries[..n])
        );
        assert_eq!(json(&kept.lists)[name], full["lists"][name]);
        let f = facts.get(name).expect("facts");
        let (len, range, overdue) = facts_of(&full["lists"][name]);
        assert_eq!(f.len, len, "{name}");
        assert_eq!(f.overdue, overdue, "{name}");
        let days = f.due.map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(days, range, "{name}");
        longer += usize::from(len > HEAD_CALLS);
    }
    assert!(longer > 0, "no list longer than {HEAD_CALLS}");
    assert_eq!(cut["lists"]["basis"], full["lists"]["basis"]);
    assert_eq!(cut["lists"]["unavailable"], full["lists"]["unavailable"]);

    // Migration: the counts stay, the movers are not sent.
    assert!(!whole.migration.moved.is_empty());
    assert!(sent.migration.moved.is_empty());
    assert_eq!(sent.migration.matrix, whole.migration.matrix);
    assert_eq!(sent.migration.moved_count, whole.migration.moved_count);

    // Everything else is the whole Report's.
    for (k, v) in full.as_object().expect("object") {
        if !matches!(k.as_str(), "customers" | "lists" | "migration") {
            assert_eq!(&cut[k], v, "{k}");
        }
    }

    // The message reads back to the same cut Report and facts.
    let reply = Reply {
        job: 9,
        body: FromWorker::Report {
            report: Box::new(sent.clone()),
            lists: facts.clone(),
            preview: preview.clone(),
        },
    };
    let message = reply.encode().expect("the reply is written");
    match Reply::decode(&message).map(|r| r.body) {
        Ok(FromWorker::Report {
            report,
            lists,
            preview: p,
        }) => {
            // Every number exactly: the JSON of what the page reads is the worker's.
            assert_eq!(json(&*report), cut);
            assert_eq!(lists, facts);
            assert_eq!(p, preview);
        }
        other => panic!("{other:?}"),
    }
    // A fraction of the whole Report's JSON, and of the cut Report's.
    let cut_len = serde_json::to_string(&sent).map(|s| s.len()).unwrap_or(0);
    assert!(
        message.len() * 2 < cut_len,
        "{} vs {cut_len}",
        message.len()
    );
    let whole_len = serde_json::to_string(&whole).map(|s| s.len()).unwrap_or(0);
    assert!(
        message.len() * 4 < whole_len,
        "{} vs {whole_len}",
        message.len()
    );
}

#[test]
fn drill_down_pages_agree_with_the_report_counts() {
    let (whole, _) = demo_report(3_000, &AnalyzeOptions::default());
    let mut sent = whole.clone();
    let (kept, _) = cut_for_page(&mut sent);
    let full = json(&whole);
    let lines = full["customers"].as_array().expect("lines").clone();
    for (code, n) in &whole.segments.lifecycle.counts {
        let q = MemberQuery::class("lifecycle", code);
        let page = members_page(&kept.customers, &q, HEAD_CALLS);
        assert_eq!(page.class_size, *n, "{code}");
        assert_eq!(page.found, *n, "{code}");
        assert_eq!(page.rows.len(), n.min(&HEAD_CALLS).to_owned(), "{code}");
        // In Report order: the class's lines of the whole Report, in turn.
        let expected: Vec<&str> = lines
            .iter()
            .filter(|l| l["segments"]["lifecycle"] == code.as_str())
            .take(HEAD_CALLS)
            .filter_map(|l| l["id"].as_str())
            .collect();
        let got: Vec<&str> = page.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(got, expected, "{code}");
    }
    // Every R × F cell: as many as the Report's heat map counts (`heatmap[r − 1][f − 1]`).
    for (r, row) in whole.rfm.heatmap.iter().enumerate() {
        for (f, cell) in row.iter().enumerate() {
            let code = format!("{}-{}", r + 1, f + 1);
            let page = members_page(&kept.customers, &MemberQuery::class("rfm_rf", &code), 10);
            assert_eq!(page.found, cell.count, "{code}");
            assert_eq!(page.rows.len(), cell.count.min(10), "{code}");
        }
    }

    // Search and sort: the found customers contain the text, sorted by visits descending.
    let first = lines[0]["id"].as_str().expect("id").to_string();
    let class = lines[0]["segments"]["lifecycle"]
        .as_str()
        .expect("class")
        .to_string();
    let q = MemberQuery {
        search: first.to_lowercase(),
        sort: SortKey::Visits,
        desc: true,
        ..MemberQuery::class("lifecycle", &class)
    };
    let page = members_page(&kept.customers, &q, HEAD_CALLS);
    assert!(page.found >= 1 && page.found < page.class_size);
    assert!(page.rows.iter().any(|r| r.id == first));
    assert!(page
        .rows
        .iter()
        .all(|r| r.id.to_lowercase().contains(&q.search)
            || r.name
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(&q.search))));
    assert!(page.rows.windows(2).all(|w| w[0].visits >= w[1].visits));
    // Nothing kept, nothing found; no panic.
    let none = members_page(&Default::default(), &q, 5);
    assert_eq!((none.class_size, none.found, none.rows.len()), (0, 0, 0));
}

#[test]
fn list_facts_of_an_empty_list() {
    assert_eq!(
        ListFacts::of(&CallList::default()),
        ListFacts {
            len: 0,
            due: None,
            overdue: 0
        }
    );
}

/// Every reply the worker sends, written as bytes and read back: the same JSON, field for
/// field (postcard needs every sequence's length up front; a custom `Serialize` that gives
/// none would fail here, not in the browser).
#[test]
fn every_reply_reads_back_from_its_bytes() {
    use dealerlens::engine::history;
    use dealerlens::engine::EngineError;
    use dealerlens::protocol::{Request, Stage, ToWorker};

    let d = demo::DemoOptions {
        customers: 400,
        ..Default::default()
    };
    let loaded = Loaded::from_table(demo::demo_table(&d), None).expect("demo loads");
    let prepared = engine::prepare(&loaded, &loaded.detected).expect("demo prepares");
    let mut report = engine::report(&loaded, &prepared, &AnalyzeOptions::default());
    let (kept, facts) = cut_for_page(&mut report);
    let id = report.customers.iter().next().map(|c| c.id.to_string());
    let id = id.expect("a customer");
    let query = MemberQuery::class("lifecycle", "active");
    let bodies = vec![
        FromWorker::Ready { protocol: 7 },
        FromWorker::Progress {
            stage: Stage::Parsing,
            done: 3,
            total: u64::MAX,
        },
        FromWorker::NeedsMapping {
            preview: loaded.preview(&loaded.detected, 8),
        },
        FromWorker::Report {
            report: Box::new(report),
            lists: facts,
            preview: loaded.preview(&loaded.detected, 8),
        },
        FromWorker::Members {
            page: Some(members_page(&kept.customers, &query, 50)),
            query,
        },
        FromWorker::Error {
            error: EngineError::NoUsableRows,
        },
        FromWorker::File {
            file_name: "演示.xlsx".into(),
            mime: "application/octet-stream".into(),
        },
        FromWorker::History {
            history: history::history(&prepared, &id).map(Box::new),
            id,
        },
    ];
    for (job, body) in bodies.into_iter().enumerate() {
        let reply = Reply {
            job: job as u32,
            body,
        };
        let bytes = reply.encode().expect("written");
        let back = Reply::decode(&bytes).expect("read back");
        assert_eq!(json(&back), json(&reply), "reply {job}");
        // Cut short, it is refused rather than misread.
        assert!(
            Reply::decode(&bytes[..bytes.len() - 1]).is_err(),
            "reply {job}"
        );
    }
    let request = Request {
        job: 4,
        body: ToWorker::Remap {
            mapping: loaded.detected.clone(),
            options: Box::default(),
        },
    };
    let back = Request::decode(&request.encode().expect("written")).expect("read back");
    assert_eq!(back, request);
}
