//! The command-line interface: exit codes, one-line errors, JSON on stdout.

use std::path::PathBuf;
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealerlens-cli"))
        .args(args)
        .env("LANG", "C")
        .output()
        .expect("the CLI runs")
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dealerlens-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const CSV: &str = "客户名称,结算日期,实收金额\n\
张三,2024-03-05,\"¥1,280.00\"\n\
张三,2024年4月1日,-80\n\
李四,2024/3/9,300.5\n\
,2024-03-10,10\n\
合计,,1510.50\n";

#[test]
fn analyze_prints_the_report_as_json() {
    let f = tmp("ok.csv", CSV.as_bytes());
    let out = cli(&["analyze", f.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["input"]["format"], "csv");
    assert_eq!(v["input"]["encoding"], "utf-8");
    // 4 rows read below the header: 3 used, 1 without a name, 1 totals row.
    assert_eq!(v["input"]["rows_read"], 5);
    assert_eq!(v["input"]["rows_used"], 3);
    assert_eq!(v["input"]["skipped"]["no_customer_key"], 1);
    assert_eq!(v["input"]["skipped"]["totals_row"], 1);
    // 1280.00 − 80 + 300.50 = 1500.50; 张三 has two customer-days, 李四 one.
    assert_eq!(v["totals"]["revenue"], 1500.5);
    assert_eq!(v["totals"]["customers"], 2);
    assert_eq!(v["totals"]["visits"], 3);
    assert_eq!(v["as_of"], "2024-04-01");
}

#[test]
fn as_of_and_map_options() {
    let f = tmp(
        "map.csv",
        "who,when,paid\nA,2024-01-01,5\nB,2024-01-31,7\n".as_bytes(),
    );
    let out = cli(&[
        "analyze",
        f.to_str().unwrap(),
        "--map",
        "customer_name=who",
        "--map",
        "date=B",
        "--map",
        "amount=3",
        "--as-of",
        "2024-02-10",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mapping"]["date"], "when");
    assert_eq!(v["totals"]["revenue"], 12.0);
    // A: 2024-01-01 → 2024-02-10 is 31 + 9 = 40 days.
    let a = v["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A")
        .unwrap();
    assert_eq!(a["recency_days"], 40);
}

#[test]
fn rejected_input_exits_2_with_one_line() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.xlsx", vec![]),
        (
            "fake.xlsx",
            b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n".to_vec(),
        ),
        (
            "random.bin",
            (0u32..4096)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
        ),
        ("nodate.csv", b"name,amount\nA,5\n".to_vec()),
        (
            "truncated.xlsx",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let f = tmp(name, &bytes);
        let out = cli(&["analyze", f.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
    }
}

#[test]
fn bad_usage_and_rules_files() {
    let f = tmp("ok2.csv", CSV.as_bytes());
    let out = cli(&["analyze", f.to_str().unwrap(), "--map", "colour=A"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("colour"));

    let rules = tmp(
        "rules.json",
        br#"{"pareto": {"a_share": 0.7, "bogus_key": 1}}"#,
    );
    let out = cli(&[
        "analyze",
        f.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bogus_key"));

    let rules = tmp("rules2.json", br#"{"pareto": {"a_share": 0.7}}"#);
    let out = cli(&[
        "analyze",
        f.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = cli(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cli(&["analyze", "/nonexistent/file.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn messages_follow_the_language() {
    let f = tmp("empty2.csv", b"");
    let out = cli(&["analyze", f.to_str().unwrap(), "--lang", "zh"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("文件是空的"));
    let out = cli(&["analyze", f.to_str().unwrap(), "--lang", "en"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("The file is empty"));
}
