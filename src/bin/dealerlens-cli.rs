//! `dealerlens-cli`: the engine from a terminal.
//!
//! ```text
//! dealerlens-cli analyze FILE [--sheet NAME] [--header-row N] [--map ROLE=COLUMN]...
//!                [--as-of YYYY-MM-DD] [--encoding auto|utf-8|gb18030|utf-16]
//!                [--format json|text] [--lang zh|en] [--rules RULES.json]
//! dealerlens-cli demo --out FILE.xlsx|FILE.csv [--lang zh|en] [--seed N] [--customers N]
//! ```
//! Exit status: 0 on success, 2 on rejected input or bad usage (one line on stderr).

use dealerlens::engine::{
    self, demo, AnalyzeOptions, EncodingChoice, EngineError, Lang, LoadOptions,
};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:
  dealerlens-cli analyze FILE [--sheet NAME] [--header-row N] [--map ROLE=COLUMN]...
                 [--as-of YYYY-MM-DD] [--encoding auto|utf-8|gb18030|utf-16]
                 [--format json|text] [--lang zh|en] [--rules RULES.json]
  dealerlens-cli demo --out FILE.xlsx|FILE.csv [--lang zh|en] [--seed N] [--customers N]";

/// A failure: the message to print on stderr.
struct Failure(String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // A panic is a bug; report it as one line and exit 2 rather than 101.
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| run(&args));
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(Failure(msg))) => {
            eprintln!("dealerlens-cli: {msg}");
            ExitCode::from(2)
        }
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let err = EngineError::Internal { detail };
            eprintln!("dealerlens-cli: {}", err.message(default_lang()));
            ExitCode::from(2)
        }
    }
}

fn default_lang() -> Lang {
    match std::env::var("LANG") {
        Ok(l) if l.starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

fn usage(msg: &str) -> Failure {
    Failure(format!("{msg}\n{USAGE}"))
}

/// Pulls the value following a flag.
fn value<'a>(it: &mut std::slice::Iter<'a, String>, flag: &str) -> Result<&'a str, Failure> {
    it.next()
        .map(String::as_str)
        .ok_or_else(|| usage(&format!("{flag} needs a value")))
}

fn parse_lang(s: &str) -> Result<Lang, Failure> {
    match s {
        "zh" | "zh-CN" | "cn" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        _ => Err(usage(&format!("unknown language {s:?} (zh or en)"))),
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    match args.first().map(String::as_str) {
        Some("analyze") => analyze(&args[1..]),
        Some("demo") => demo_cmd(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(usage(&format!("unknown command {other:?}"))),
        None => Err(usage("no command given")),
    }
}

fn analyze(args: &[String]) -> Result<(), Failure> {
    let mut file: Option<&str> = None;
    let mut load = LoadOptions::default();
    let mut overrides: Vec<(String, String)> = Vec::new();
    let mut opts = AnalyzeOptions::default();
    let mut json = true;
    let mut lang = default_lang();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sheet" => load.ingest.sheet = Some(value(&mut it, a)?.to_string()),
            "--header-row" => {
                let v = value(&mut it, a)?;
                load.header_row = Some(
                    v.parse()
                        .map_err(|_| usage(&format!("--header-row {v:?} is not a number")))?,
                );
            }
            "--map" => {
                let v = value(&mut it, a)?;
                let (role, col) = v
                    .split_once('=')
                    .ok_or_else(|| usage(&format!("--map {v:?} must be ROLE=COLUMN")))?;
                overrides.push((role.to_string(), col.to_string()));
            }
            "--as-of" => {
                let v = value(&mut it, a)?;
                opts.as_of = Some(
                    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .map_err(|_| usage(&format!("--as-of {v:?} is not YYYY-MM-DD")))?,
                );
            }
            "--encoding" => {
                load.ingest.encoding = match value(&mut it, a)? {
                    "auto" => EncodingChoice::Auto,
                    "utf-8" | "utf8" => EncodingChoice::Utf8,
                    "gb18030" | "gbk" | "gb2312" => EncodingChoice::Gb18030,
                    "utf-16" | "utf16" => EncodingChoice::Utf16,
                    v => return Err(usage(&format!("unknown encoding {v:?}"))),
                }
            }
            "--format" => {
                json = match value(&mut it, a)? {
                    "json" => true,
                    "text" => false,
                    v => return Err(usage(&format!("unknown format {v:?} (json or text)"))),
                }
            }
            "--lang" => lang = parse_lang(value(&mut it, a)?)?,
            "--rules" => {
                let path = value(&mut it, a)?;
                let text =
                    std::fs::read_to_string(path).map_err(|e| Failure(format!("{path}: {e}")))?;
                opts.rules = engine::Rules::from_json(&text)
                    .map_err(|e| Failure(format!("{path}: invalid rules: {e}")))?;
            }
            s if s.starts_with("--") => return Err(usage(&format!("unknown option {s}"))),
            s => {
                if file.replace(s).is_some() {
                    return Err(usage("only one FILE can be analysed at a time"));
                }
            }
        }
    }
    let file = file.ok_or_else(|| usage("no FILE given"))?;
    let bytes = std::fs::read(file).map_err(|e| Failure(format!("{file}: {e}")))?;
    let fail = |e: EngineError| Failure(format!("{file}: {}", e.message(lang)));
    let mut loaded = engine::load(&bytes, &load).map_err(fail)?;
    // The file's bytes, then the table's rows, are released as soon as they are read.
    drop(bytes);
    let mut mapping = loaded.detected.clone();
    mapping
        .apply_overrides(&overrides, &loaded.headers)
        .map_err(fail)?;
    let prepared = engine::prepare(&loaded, &mapping).map_err(fail)?;
    loaded.shed(0);
    let report = engine::report(&loaded, &prepared, &opts);
    drop(prepared);
    if json {
        let out = std::io::stdout().lock();
        let mut out = std::io::BufWriter::new(out);
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(|e| Failure(format!("cannot write the report: {e}")))?;
        writeln!(out)
            .and_then(|_| out.flush())
            .map_err(|e| Failure(format!("cannot write the report: {e}")))?;
    } else {
        print_text(&report, lang);
    }
    Ok(())
}

fn print_text(r: &engine::Report, lang: Lang) {
    let zh = lang == Lang::Zh;
    let i = &r.input;
    println!(
        "{} {}{}{}, {} {}",
        if zh { "格式" } else { "format" },
        i.format,
        i.sheet
            .as_ref()
            .map(|s| format!(" / {s}"))
            .unwrap_or_default(),
        i.encoding
            .as_ref()
            .map(|s| format!(" / {s}"))
            .unwrap_or_default(),
        if zh { "表头行" } else { "header row" },
        i.header_row
    );
    println!(
        "{}: {} / {} / {}",
        if zh {
            "读取/使用/跳过"
        } else {
            "rows read/used/skipped"
        },
        i.rows_read,
        i.rows_used,
        i.rows_skipped
    );
    for (reason, n) in &i.skipped {
        println!("  {reason}: {n}");
    }
    println!(
        "{}: {}  {}: {}  {}: {:.2}  as_of {}",
        if zh { "客户" } else { "customers" },
        r.totals.customers,
        if zh { "进厂台次" } else { "visits" },
        r.totals.visits,
        if zh { "营收" } else { "revenue" },
        r.totals.revenue as f64 / 100.0,
        r.as_of
    );
}

fn demo_cmd(args: &[String]) -> Result<(), Failure> {
    let mut opts = demo::DemoOptions::default();
    let mut out: Option<&str> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = Some(value(&mut it, a)?),
            "--lang" => opts.lang = parse_lang(value(&mut it, a)?)?,
            "--seed" => {
                let v = value(&mut it, a)?;
                opts.seed = v
                    .parse()
                    .map_err(|_| usage(&format!("--seed {v:?} is not a number")))?;
            }
            "--customers" => {
                let v = value(&mut it, a)?;
                opts.customers = v
                    .parse()
                    .map_err(|_| usage(&format!("--customers {v:?} is not a number")))?;
            }
            s => return Err(usage(&format!("unknown option {s}"))),
        }
    }
    let out = out.ok_or_else(|| usage("demo needs --out FILE.xlsx or FILE.csv"))?;
    let bytes = if out.to_ascii_lowercase().ends_with(".csv") {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(demo::demo_csv(&opts).as_bytes());
        b
    } else {
        demo::demo_xlsx(&opts).map_err(Failure)?
    };
    std::fs::write(out, bytes).map_err(|e| Failure(format!("{out}: {e}")))?;
    Ok(())
}
