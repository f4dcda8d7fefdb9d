//! The worker → page message carries the Report's customer lines as columns; the page must
//! get back exactly the Report the worker computed.

use dealerlens::engine::{self, demo, AnalyzeOptions, Loaded};
use dealerlens::protocol::columns::{CustomerColumns, ListColumns};
use dealerlens::protocol::{FromWorker, Reply};

fn demo_report(customers: usize, opts: &AnalyzeOptions) -> engine::Report {
    let d = demo::DemoOptions {
        customers,
        ..Default::default()
    };
    let loaded = Loaded::from_table(demo::demo_table(&d), None).expect("demo loads");
    let prepared = engine::prepare(&loaded, &loaded.detected).expect("demo prepares");
    engine::report(&loaded, &prepared, opts)
}

/// Through the message and back: the same Report, and the same CLI JSON, byte for byte.
#[test]
fn columns_give_back_the_report() {
    let mut reports = vec![demo_report(400, &AnalyzeOptions::default())];
    // a reference date before most visits: many customers without CLV figures
    let early = AnalyzeOptions {
        as_of: chrono::NaiveDate::from_ymd_opt(2023, 3, 31),
        ..Default::default()
    };
    reports.push(demo_report(300, &early));
    for report in reports {
        let cli_json = serde_json::to_string(&report).expect("serialises");
        let mut sent = report.clone();
        let lines = std::mem::take(&mut sent.customers);
        assert!(!lines.is_empty());
        let message = serde_json::to_string(&CustomerColumns::from(&lines)).expect("columns");
        let back: CustomerColumns = serde_json::from_str(&message).expect("reads back");
        sent.customers = back.into_customers();
        let again = serde_json::to_string(&sent).expect("again");
        if let Some(at) = again
            .bytes()
            .zip(cli_json.bytes())
            .position(|(x, y)| x != y)
        {
            let from = at.saturating_sub(150);
            panic!(
                "differs at {at}: {:?} vs {:?}",
                &again.as_bytes()[from..at + 60],
                &cli_json.as_bytes()[from..at + 60]
            );
        }
        assert_eq!(again, cli_json);
        assert_eq!(sent, report);
        // the columns are smaller than the lines they replace
        let as_lines = serde_json::to_string(&lines).expect("lines");
        assert!(
            message.len() * 2 < as_lines.len(),
            "{} vs {}",
            message.len(),
            as_lines.len()
        );
    }
}

/// The whole reply as the worker posts it reads back on the page with the same lines.
#[test]
fn report_reply_round_trips() {
    let mut report = demo_report(120, &AnalyzeOptions::default());
    let want = report.clone();
    let lines = std::mem::take(&mut report.customers);
    let lists = ListColumns::take(&mut report.lists);
    assert!(report.lists.win_back.is_empty() && report.lists.phone.is_empty());
    let loaded_preview = {
        let d = demo::DemoOptions {
            customers: 120,
            ..Default::default()
        };
        let loaded = Loaded::from_table(demo::demo_table(&d), None).expect("demo loads");
        loaded.preview(&loaded.detected, 5)
    };
    let reply = Reply {
        job: 7,
        body: FromWorker::Report {
            customers: Box::new((&lines).into()),
            lists: Box::new(lists),
            report: Box::new(report),
            preview: loaded_preview,
        },
    };
    let Ok(Reply {
        body:
            FromWorker::Report {
                mut report,
                customers,
                lists,
                ..
            },
        ..
    }) = Reply::from_json(&reply.to_json())
    else {
        panic!("not a report reply");
    };
    report.customers = customers.into_customers();
    lists.restore(&mut report.lists);
    assert_eq!(report.lists, want.lists);
    // the lines exactly (the rest of the Report is read from JSON's decimal text as before,
    // where a fraction may come back one unit in the last place off)
    assert_eq!(report.customers, want.customers);
    assert_eq!(report.customers.len(), 120);
    assert_eq!((report.totals, report.as_of), (want.totals, want.as_of));
}

/// Columns of unequal length (never sent) give the lines all columns have, without a panic.
#[test]
fn ragged_columns_are_cut_not_a_panic() {
    let report = demo_report(50, &AnalyzeOptions::default());
    let cols = CustomerColumns::from(&report.customers);
    let mut json = serde_json::to_value(&cols).expect("columns");
    let ids = json["id"].as_array_mut().expect("ids");
    ids.truncate(10);
    json["segments"]["lifecycle"]["at"]
        .as_array_mut()
        .expect("lifecycle")
        .truncate(30);
    // an index past the distinct values and a day number out of range
    json["segments"]["habit"]["at"][0] = serde_json::json!(999);
    json["first_visit"][1] = serde_json::json!(i32::MAX);
    let back: CustomerColumns = serde_json::from_value(json).expect("reads");
    let lines = back.into_customers();
    // line 1's date is out of range: lines stop before it
    assert_eq!(lines.len(), 1);
    let first = lines.get(0).expect("line 0");
    assert_eq!(first.id, report.customers.get(0).expect("line").id);
    assert_eq!(first.segments.habit, None);
}

/// The call lists through columns: the same entries (exactly: fractions as bits), the same
/// CLI JSON, and the people named by several lists sent once.
#[test]
fn list_columns_give_back_the_lists() {
    // rules that fill every list: long SMS/phone windows, a wide callback window
    let mut opts = AnalyzeOptions::default();
    opts.rules.reminders.sms_days_before = 200;
    opts.rules.reminders.phone_days_before = 100;
    opts.rules.reminders.callback_max_days = 60;
    opts.rules.reminders.first_service_within_days = 20_000;
    let report = demo_report(400, &opts);
    let l = &report.lists;
    for (name, list) in [
        ("sms", &l.sms),
        ("phone", &l.phone),
        ("callback", &l.callback),
        ("first_service", &l.first_service),
        ("win_back", &l.win_back),
    ] {
        assert!(
            !list.is_empty(),
            "{name} is empty: the test would check nothing"
        );
    }
    let cli_json = serde_json::to_string(&report.lists).expect("lists");
    let mut sent = report.lists.clone();
    let cols = ListColumns::take(&mut sent);
    let message = serde_json::to_string(&cols).expect("columns");
    let back: ListColumns = serde_json::from_str(&message).expect("reads back");
    back.restore(&mut sent);
    assert_eq!(sent, report.lists);
    assert_eq!(serde_json::to_string(&sent).expect("again"), cli_json);
    assert!(
        message.len() * 2 < cli_json.len(),
        "{} vs {}",
        message.len(),
        cli_json.len()
    );
    // one person per customer named by any list
    let mut named: Vec<&str> = [&l.sms, &l.phone, &l.callback, &l.first_service, &l.win_back]
        .iter()
        .flat_map(|list| list.iter().map(|c| c.id))
        .collect();
    let entries = named.len();
    named.sort_unstable();
    named.dedup();
    let json: serde_json::Value = serde_json::from_str(&message).expect("json");
    assert_eq!(
        json["people"]["id"].as_array().expect("ids").len(),
        named.len()
    );
    assert!(named.len() < entries, "some customer is on two lists");
}

/// Ragged list columns and a person index out of range give fewer entries, not a panic.
#[test]
fn ragged_list_columns_are_cut_not_a_panic() {
    let mut report = demo_report(200, &AnalyzeOptions::default());
    let n = report.lists.win_back.len();
    assert!(n > 3);
    let cols = ListColumns::take(&mut report.lists);
    let mut json = serde_json::to_value(&cols).expect("columns");
    json["win_back"]["due"]
        .as_array_mut()
        .expect("due")
        .truncate(3);
    json["win_back"]["who"][0] = serde_json::json!(u32::MAX);
    let back: ListColumns = serde_json::from_value(json).expect("reads");
    back.restore(&mut report.lists);
    // entry 0 names nobody, entries past 3 have no due date
    assert_eq!(report.lists.win_back.len(), 2);
}
