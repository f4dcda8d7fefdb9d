//! The saved setup (rules, mapping by header name, language) and the rules panel's fields:
//! reading and writing the stored JSON, checking a typed threshold, applying a saved mapping
//! to a new file's headers.
//!
//! No web crate here, so that it is tested natively; [`super::rules_panel`] and
//! [`super::state`] only call it.

use crate::engine::{Lang, Mapping, Role, Rules};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The localStorage key of the setup.
pub const STORAGE_KEY: &str = "dealerlens.setup";
/// The version written by this build; any other version is refused.
pub const VERSION: u32 = 1;
/// Suggested name of the exported setup file.
pub const FILE_NAME: &str = "dealerlens-setup.json";

/// What is kept between visits. Never any data rows: only thresholds, header names and the
/// language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// Always [`VERSION`].
    pub version: u32,
    /// The thresholds.
    #[serde(default)]
    pub rules: Rules,
    /// role → header text of the column chosen for it.
    #[serde(default)]
    pub mapping_by_header: BTreeMap<Role, String>,
    /// The UI language, if chosen.
    #[serde(default)]
    pub lang: Option<Lang>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            version: VERSION,
            rules: Rules::default(),
            mapping_by_header: BTreeMap::new(),
            lang: None,
        }
    }
}

/// Why a stored or imported setup was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum SetupError {
    /// Not JSON, or not the shape of a setup, or a threshold out of range.
    Corrupt(String),
    /// Written by another version of the app.
    UnknownVersion(String),
}

impl SetupError {
    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SetupError::Corrupt(d), Lang::Zh) => {
                format!("保存的设置已损坏，已恢复为默认设置（{d}）。")
            }
            (SetupError::Corrupt(d), Lang::En) => {
                format!("The saved setup was damaged and has been replaced by the defaults ({d}).")
            }
            (SetupError::UnknownVersion(v), Lang::Zh) => {
                format!("保存的设置来自不支持的版本（{v}），已恢复为默认设置。")
            }
            (SetupError::UnknownVersion(v), Lang::En) => format!(
                "The saved setup comes from an unsupported version ({v}) and has been replaced by the defaults."
            ),
        }
    }
}

impl SetupError {
    /// The message when an imported file is refused.
    pub fn import_message(&self, lang: Lang) -> String {
        let detail = match self {
            SetupError::Corrupt(d) => d.clone(),
            SetupError::UnknownVersion(v) => match lang {
                Lang::Zh => format!("不支持的版本 {v}"),
                Lang::En => format!("unsupported version {v}"),
            },
        };
        match lang {
            Lang::Zh => format!("无法导入此设置文件（{detail}），当前设置未改变。"),
            Lang::En => {
                format!("This setup file cannot be imported ({detail}); the setup is unchanged.")
            }
        }
    }
}

impl Setup {
    /// Parses a stored or imported setup; checks the version first, then every threshold.
    pub fn from_json(text: &str) -> Result<Setup, SetupError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| SetupError::Corrupt(e.to_string()))?;
        let Some(obj) = value.as_object() else {
            return Err(SetupError::Corrupt("not an object".into()));
        };
        match obj.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
            Some(v) => return Err(SetupError::UnknownVersion(v.to_string())),
            None => return Err(SetupError::Corrupt("no version".into())),
        }
        let setup: Setup =
            serde_json::from_value(value).map_err(|e| SetupError::Corrupt(e.to_string()))?;
        check_rules(&setup.rules).map_err(SetupError::Corrupt)?;
        Ok(setup)
    }

    /// The setup as (pretty) JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The mapping as role → header text.
pub fn mapping_by_header(mapping: &Mapping) -> BTreeMap<Role, String> {
    mapping
        .roles
        .iter()
        .filter(|(_, g)| !g.header.is_empty())
        .map(|(r, g)| (*r, g.header.clone()))
        .collect()
}

/// The saved mapping on a new file's headers, when every saved header is among them (the
/// first column with that header is taken). `None` when nothing is saved or a header is
/// missing.
pub fn apply_saved(saved: &BTreeMap<Role, String>, headers: &[String]) -> Option<Mapping> {
    if saved.is_empty() {
        return None;
    }
    let mut mapping = Mapping::default();
    for (role, header) in saved {
        let col = headers.iter().position(|h| h == header)?;
        mapping.set(*role, Some(col), headers);
    }
    // Two roles on one column: `set` unmapped the first, so the saved mapping does not fit.
    (mapping.roles.len() == saved.len()).then_some(mapping)
}

/// What a threshold holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A whole number in `min..=max`.
    Int { min: i64, max: i64 },
    /// A number ≥ 0 (> 0 when `positive`).
    Num { positive: bool },
    /// A share, 0–1.
    Share,
}

/// One editable threshold: `rules[section][key]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub section: &'static str,
    pub key: &'static str,
    pub kind: Kind,
}

/// Days: at least one, at most a century (date arithmetic stays in range).
const DAYS: Kind = Kind::Int {
    min: 1,
    max: 36_500,
};
/// Days that may be zero.
const DAYS0: Kind = Kind::Int {
    min: 0,
    max: 36_500,
};
/// Counts of visits, months and the like.
const COUNT: Kind = Kind::Int {
    min: 0,
    max: 100_000,
};
const COUNT1: Kind = Kind::Int {
    min: 1,
    max: 100_000,
};
const NUM: Kind = Kind::Num { positive: false };
const POS: Kind = Kind::Num { positive: true };

const fn f(section: &'static str, key: &'static str, kind: Kind) -> Field {
    Field { section, key, kind }
}

/// Every threshold the rules panel shows, in display order.
pub const FIELDS: &[Field] = &[
    f("pareto", "a_share", Kind::Share),
    f("pareto", "b_share", Kind::Share),
    f("pareto", "top_fraction", Kind::Share),
    f("pareto", "curve_points", Kind::Int { min: 2, max: 5000 }),
    f("value", "ticket_high", NUM),
    f("value", "ticket_low", NUM),
    f("value", "visits_high", COUNT),
    f("value", "visits_low", COUNT),
    f("value", "interval_high_days", NUM),
    f("value", "interval_low_days", NUM),
    f("rfm", "bins", Kind::Int { min: 2, max: 10 }),
    f("lifecycle", "new_days", DAYS),
    f("lifecycle", "win_back_days", DAYS),
    f("lifecycle", "at_risk_days", DAYS),
    f("lifecycle", "lost_days", DAYS),
    f("loyalty", "loyal_visits", COUNT),
    f("loyalty", "loyal_ticket", NUM),
    f("loyalty", "potential_visits", COUNT),
    f("loyalty", "potential_ticket", NUM),
    f("loyalty", "warning_days", DAYS),
    f("member", "gold_visits", COUNT1),
    f("member", "platinum_visits_year", COUNT1),
    f("habit", "high_frequency_days", NUM),
    f("habit", "irregular_cv", NUM),
    f("habit", "min_intervals", COUNT1),
    f("vehicle", "warranty_years", NUM),
    f("vehicle", "three_guarantees_years", NUM),
    f("vehicle", "commercial_km_per_day", NUM),
    f("vehicle", "official_km_per_day", NUM),
    f("mileage", "min_km_per_day", NUM),
    f("mileage", "max_km_per_day", POS),
    f("mileage", "min_months_registered", COUNT),
    f("mileage", "min_returns", COUNT),
    f("mileage", "bin_km", POS),
    f(
        "reminders",
        "interval_months",
        Kind::Int { min: 1, max: 1200 },
    ),
    f("reminders", "interval_km", POS),
    f("reminders", "sms_days_before", DAYS0),
    f("reminders", "phone_days_before", DAYS0),
    f("reminders", "callback_min_days", DAYS0),
    f("reminders", "callback_max_days", DAYS0),
    f("reminders", "first_service_within_days", DAYS0),
    f(
        "reminders",
        "first_service_months",
        Kind::Int { min: 0, max: 1200 },
    ),
    f("clv", "horizon_days", DAYS),
    f("clv", "min_customers", COUNT1),
];

/// The sections of [`FIELDS`], in order.
pub fn sections() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in FIELDS {
        if !out.contains(&f.section) {
            out.push(f.section);
        }
    }
    out
}

/// Numbers beyond this are refused (money in yuan, km, days).
const MAX_NUM: f64 = 1e12;

/// Why a typed value was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    Empty,
    NotANumber,
    NotWhole,
    /// Outside `min..=max`.
    Range(String, String),
    /// Must be above zero.
    NotPositive,
    /// Refused by the rules' own checks.
    Rejected(String),
}

impl FieldError {
    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            FieldError::Empty if zh => "请填写数值".into(),
            FieldError::Empty => "Enter a number".into(),
            FieldError::NotANumber if zh => "不是有效数字".into(),
            FieldError::NotANumber => "Not a valid number".into(),
            FieldError::NotWhole if zh => "须为整数".into(),
            FieldError::NotWhole => "Must be a whole number".into(),
            FieldError::Range(a, b) if zh => format!("须在 {a} 到 {b} 之间"),
            FieldError::Range(a, b) => format!("Must be between {a} and {b}"),
            FieldError::NotPositive if zh => "须大于 0".into(),
            FieldError::NotPositive => "Must be above 0".into(),
            FieldError::Rejected(d) => d.clone(),
        }
    }
}

/// The section object of a field in the rules' JSON form.
fn section_of<'a>(value: &'a Value, field: &Field) -> Option<&'a Value> {
    value.get(field.section)?.get(field.key)
}

/// The current value of a field, as the panel shows it.
pub fn get(rules: &Rules, field: &Field) -> String {
    let value = serde_json::to_value(rules).unwrap_or(Value::Null);
    match section_of(&value, field) {
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(x)) => format!("{x}"),
            _ => n.to_string(),
        },
        _ => String::new(),
    }
}

/// Checks typed text against a field's kind; the JSON number to store.
pub fn parse_value(field: &Field, text: &str) -> Result<Value, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FieldError::Empty);
    }
    let x: f64 = t.parse().map_err(|_| FieldError::NotANumber)?;
    if !x.is_finite() {
        return Err(FieldError::NotANumber);
    }
    match field.kind {
        Kind::Int { min, max } => {
            if x.fract() != 0.0 {
                return Err(FieldError::NotWhole);
            }
            if x < min as f64 || x > max as f64 {
                return Err(FieldError::Range(min.to_string(), max.to_string()));
            }
            Ok(Value::from(x as i64))
        }
        Kind::Num { positive } => {
            if positive && x <= 0.0 {
                return Err(FieldError::NotPositive);
            }
            if !(0.0..=MAX_NUM).contains(&x) {
                return Err(FieldError::Range("0".into(), format!("{MAX_NUM:e}")));
            }
            Ok(Value::from(x))
        }
        Kind::Share => {
            if !(0.0..=1.0).contains(&x) {
                return Err(FieldError::Range("0".into(), "1".into()));
            }
            Ok(Value::from(x))
        }
    }
}

/// The rules with one field set from typed text.
pub fn set(rules: &Rules, field: &Field, text: &str) -> Result<Rules, FieldError> {
    let number = parse_value(field, text)?;
    let mut value = serde_json::to_value(rules).map_err(|e| FieldError::Rejected(e.to_string()))?;
    let slot = value
        .get_mut(field.section)
        .and_then(|s| s.get_mut(field.key))
        .ok_or_else(|| FieldError::Rejected(format!("{}.{}", field.section, field.key)))?;
    *slot = number;
    serde_json::from_value(value).map_err(|e| FieldError::Rejected(e.to_string()))
}

/// Checks every field of stored or imported rules.
pub fn check_rules(rules: &Rules) -> Result<(), String> {
    for field in FIELDS {
        let text = get(rules, field);
        parse_value(field, &text)
            .map_err(|e| format!("{}.{}: {}", field.section, field.key, e.message(Lang::En)))?;
    }
    for (series, pair) in &rules.value.series_ticket {
        if !pair.iter().all(|x| (0.0..=MAX_NUM).contains(x)) {
            return Err(format!("value.series_ticket.{series}: out of range"));
        }
    }
    for code in rules.need.keywords.keys() {
        if !crate::engine::analysis::segments::NEED_CODES.contains(&code.as_str()) {
            return Err(format!("need.keywords.{code}: unknown need code"));
        }
    }
    Ok(())
}

/// The rules with the series tickets from `series = high, low` lines.
pub fn set_series(rules: &Rules, text: &str) -> Result<Rules, ListError> {
    let mut r = rules.clone();
    r.value.series_ticket = parse_series(text)?;
    Ok(r)
}

/// The rules with the need keywords from `need_code = keyword, …` lines.
pub fn set_keywords(rules: &Rules, text: &str) -> Result<Rules, ListError> {
    let mut r = rules.clone();
    r.need.keywords = parse_keywords(text)?;
    Ok(r)
}

/// Why a list (series tickets, need keywords) was refused: the 1-based line and what is
/// wrong there.
#[derive(Debug, Clone, PartialEq)]
pub struct ListError {
    pub line: usize,
    pub what: ListProblem,
}

/// What is wrong on a line of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum ListProblem {
    /// No `=` between name and values.
    NoEquals,
    /// Nothing before `=`.
    NoName,
    /// Not two numbers ≥ 0 after `=` (series tickets).
    Tickets,
    /// Not a need code (need keywords).
    UnknownNeed(String),
}

impl ListError {
    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let n = self.line;
        match (&self.what, lang) {
            (ListProblem::NoEquals, Lang::Zh) => format!("第 {n} 行：缺少“=”"),
            (ListProblem::NoEquals, Lang::En) => format!("Line {n}: no “=”"),
            (ListProblem::NoName, Lang::Zh) => format!("第 {n} 行：“=”前缺少名称"),
            (ListProblem::NoName, Lang::En) => format!("Line {n}: no name before “=”"),
            (ListProblem::Tickets, Lang::Zh) => {
                format!("第 {n} 行：“=”后须为两个非负数字（高, 低）")
            }
            (ListProblem::Tickets, Lang::En) => {
                format!("Line {n}: two numbers ≥ 0 (high, low) after “=”")
            }
            (ListProblem::UnknownNeed(c), Lang::Zh) => format!("第 {n} 行：未知的需求代码“{c}”"),
            (ListProblem::UnknownNeed(c), Lang::En) => format!("Line {n}: unknown need code “{c}”"),
        }
    }
}

/// Splits `name = a, b, c` lines (blank lines skipped; `,` `，` `、` separate values).
fn list_lines(text: &str) -> Result<Vec<(usize, String, Vec<String>)>, ListError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let err = |what| ListError { line: i + 1, what };
        let (name, values) = line
            .split_once('=')
            .ok_or_else(|| err(ListProblem::NoEquals))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(err(ListProblem::NoName));
        }
        let values = values
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        out.push((i + 1, name.to_string(), values));
    }
    Ok(out)
}

/// Per-series ticket thresholds as lines `series = high, low`.
pub fn series_text(rules: &Rules) -> String {
    rules
        .value
        .series_ticket
        .iter()
        .map(|(s, [h, l])| format!("{s} = {h}, {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses `series = high, low` lines.
pub fn parse_series(text: &str) -> Result<BTreeMap<String, [f64; 2]>, ListError> {
    let mut out = BTreeMap::new();
    for (line, name, values) in list_lines(text)? {
        let nums: Vec<f64> = values
            .iter()
            .filter_map(|v| v.parse::<f64>().ok())
            .filter(|x| x.is_finite() && (0.0..=MAX_NUM).contains(x))
            .collect();
        match (values.len(), nums.as_slice()) {
            (2, [h, l]) => {
                out.insert(name, [*h, *l]);
            }
            _ => {
                return Err(ListError {
                    line,
                    what: ListProblem::Tickets,
                })
            }
        }
    }
    Ok(out)
}

/// Extra need keywords as lines `need_code = keyword, keyword`.
pub fn keywords_text(rules: &Rules) -> String {
    rules
        .need
        .keywords
        .iter()
        .map(|(code, words)| format!("{code} = {}", words.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses `need_code = keyword, keyword` lines; codes must be need codes.
pub fn parse_keywords(text: &str) -> Result<BTreeMap<String, Vec<String>>, ListError> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (line, code, words) in list_lines(text)? {
        if !crate::engine::analysis::segments::NEED_CODES.contains(&code.as_str()) {
            return Err(ListError {
                line,
                what: ListProblem::UnknownNeed(code),
            });
        }
        out.entry(code).or_default().extend(words);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn setup_round_trips() {
        let mut s = Setup {
            lang: Some(Lang::En),
            ..Setup::default()
        };
        s.rules.lifecycle.at_risk_days = 120;
        s.rules.pareto.a_share = 0.7;
        s.mapping_by_header.insert(Role::Date, "结算日期".into());
        s.mapping_by_header.insert(Role::Amount, "金额".into());
        let json = s.to_json();
        assert!(json.contains(r#""version": 1"#), "{json}");
        assert!(json.contains(r#""date": "结算日期""#), "{json}");
        assert_eq!(Setup::from_json(&json), Ok(s));
    }

    #[test]
    fn missing_parts_take_the_defaults() {
        let s =
            Setup::from_json(r#"{"version":1,"rules":{"lifecycle":{"lost_days":400}}}"#).unwrap();
        assert_eq!(s.rules.lifecycle.lost_days, 400);
        assert_eq!(s.rules.lifecycle.at_risk_days, 180);
        assert_eq!(s.lang, None);
        assert!(s.mapping_by_header.is_empty());
    }

    #[test]
    fn corrupt_and_foreign_setups_are_errors() {
        for text in ["", "{", "null", "[1]", "\"x\"", r#"{"rules":{}}"#] {
            assert!(
                matches!(Setup::from_json(text), Err(SetupError::Corrupt(_))),
                "{text}"
            );
        }
        for text in [r#"{"version":2}"#, r#"{"version":"1"}"#, r#"{"version":0}"#] {
            assert!(
                matches!(Setup::from_json(text), Err(SetupError::UnknownVersion(_))),
                "{text}"
            );
        }
        // Unknown keys, wrong types, thresholds out of range.
        for text in [
            r#"{"version":1,"extra":1}"#,
            r#"{"version":1,"rules":{"lifecycle":{"lost_days":"x"}}}"#,
            r#"{"version":1,"rules":{"lifecycle":{"lost_days":-5}}}"#,
            r#"{"version":1,"rules":{"pareto":{"a_share":3}}}"#,
            r#"{"version":1,"rules":{"mileage":{"bin_km":0}}}"#,
            r#"{"version":1,"mapping_by_header":{"nonsense":"A"}}"#,
            r#"{"version":1,"lang":"fr"}"#,
            r#"{"version":1,"rules":{"value":{"series_ticket":{"X":[-1,2]}}}}"#,
            r#"{"version":1,"rules":{"need":{"keywords":{"wash":["洗车"]}}}}"#,
        ] {
            assert!(
                matches!(Setup::from_json(text), Err(SetupError::Corrupt(_))),
                "{text}"
            );
        }
        let e = Setup::from_json("{").unwrap_err();
        assert!(e.message(Lang::Zh).contains("默认"));
        assert!(e.message(Lang::En).contains("defaults"));
    }

    #[test]
    fn every_field_exists_and_defaults_pass() {
        let rules = Rules::default();
        for field in FIELDS {
            let text = get(&rules, field);
            assert!(!text.is_empty(), "{}.{}", field.section, field.key);
            assert_eq!(set(&rules, field, &text).as_ref(), Ok(&rules));
        }
        assert_eq!(check_rules(&rules), Ok(()));
        assert_eq!(sections().len(), 11);
        assert_eq!(get(&rules, &FIELDS[0]), "0.8");
    }

    #[test]
    fn typed_values_are_checked() {
        let rules = Rules::default();
        let at_risk = FIELDS.iter().find(|f| f.key == "at_risk_days").unwrap();
        let share = FIELDS.iter().find(|f| f.key == "a_share").unwrap();
        let ticket = FIELDS.iter().find(|f| f.key == "ticket_high").unwrap();
        let bin = FIELDS.iter().find(|f| f.key == "bin_km").unwrap();
        assert_eq!(
            set(&rules, at_risk, " 120 ")
                .unwrap()
                .lifecycle
                .at_risk_days,
            120
        );
        assert_eq!(set(&rules, at_risk, ""), Err(FieldError::Empty));
        assert_eq!(set(&rules, at_risk, "abc"), Err(FieldError::NotANumber));
        assert_eq!(set(&rules, at_risk, "NaN"), Err(FieldError::NotANumber));
        assert_eq!(set(&rules, at_risk, "inf"), Err(FieldError::NotANumber));
        assert_eq!(set(&rules, at_risk, "12.5"), Err(FieldError::NotWhole));
        assert!(matches!(
            set(&rules, at_risk, "-1"),
            Err(FieldError::Range(..))
        ));
        assert!(matches!(
            set(&rules, at_risk, "1e9"),
            Err(FieldError::Range(..))
        ));
        assert_eq!(set(&rules, share, "0.7").unwrap().pareto.a_share, 0.7);
        assert!(matches!(
            set(&rules, share, "1.5"),
            Err(FieldError::Range(..))
        ));
        assert_eq!(
            set(&rules, ticket, "2000").unwrap().value.ticket_high,
            2000.0
        );
        assert!(matches!(
            set(&rules, ticket, "-3"),
            Err(FieldError::Range(..))
        ));
        assert_eq!(set(&rules, bin, "0"), Err(FieldError::NotPositive));
        assert!(FieldError::NotWhole.message(Lang::Zh).contains("整数"));
    }

    #[test]
    fn a_saved_mapping_applies_when_the_headers_are_there() {
        let h = headers(&["单号", "日期", "车牌", "金额"]);
        let mut saved = BTreeMap::new();
        assert_eq!(apply_saved(&saved, &h), None);
        saved.insert(Role::Date, "日期".to_string());
        saved.insert(Role::Amount, "金额".to_string());
        saved.insert(Role::Plate, "车牌".to_string());
        let m = apply_saved(&saved, &h).unwrap();
        assert_eq!(m.column(Role::Date), Some(1));
        assert_eq!(m.column(Role::Plate), Some(2));
        assert_eq!(m.column(Role::Amount), Some(3));
        assert_eq!(mapping_by_header(&m), saved);
        // A header the new file lacks: the saved mapping does not apply.
        assert_eq!(apply_saved(&saved, &headers(&["日期", "金额"])), None);
        // Two roles on one header: does not apply.
        saved.insert(Role::CustomerName, "车牌".to_string());
        assert_eq!(apply_saved(&saved, &h), None);
    }

    #[test]
    fn series_tickets_and_keywords_parse_from_lines() {
        let s = parse_series("凯美瑞 = 2000, 600\n\n 雷凌=1500，400 ").unwrap();
        assert_eq!(s.get("凯美瑞"), Some(&[2000.0, 600.0]));
        assert_eq!(s.get("雷凌"), Some(&[1500.0, 400.0]));
        let mut rules = Rules::default();
        rules.value.series_ticket = s.clone();
        assert_eq!(parse_series(&series_text(&rules)), Ok(s));
        assert_eq!(parse_series(""), Ok(BTreeMap::new()));
        let e = parse_series("a = 1, 2\nb 3").unwrap_err();
        assert_eq!((e.line, &e.what), (2, &ListProblem::NoEquals));
        for bad in [
            "x = 1",
            "x = 1, 2, 3",
            "x = a, 2",
            "x = -1, 2",
            "x = NaN, 1",
            "= 1, 2",
        ] {
            assert!(parse_series(bad).is_err(), "{bad}");
        }
        let k = parse_keywords("maintenance = A保, B保\nrepair = 异响、漏油").unwrap();
        assert_eq!(k["maintenance"], ["A保", "B保"]);
        assert_eq!(k["repair"], ["异响", "漏油"]);
        rules.need.keywords = k.clone();
        assert_eq!(parse_keywords(&keywords_text(&rules)), Ok(k));
        let e = parse_keywords("wash = 洗车").unwrap_err();
        assert_eq!(e.what, ListProblem::UnknownNeed("wash".into()));
        assert!(e.message(Lang::Zh).contains("第 1 行"));
        assert!(e.message(Lang::En).contains("Line 1"));
    }

    /// Every field at the ends of its range, on a small demo: the analyses must not panic
    /// (a panic kills the worker).
    #[test]
    fn the_analyses_survive_every_field_at_its_limits() {
        use crate::engine::demo::{demo_table, DemoOptions};
        use crate::engine::{self, AnalyzeOptions, Loaded};
        let table = demo_table(&DemoOptions {
            customers: 60,
            ..DemoOptions::default()
        });
        let loaded = Loaded::from_table(table, None).unwrap();
        let prepared = engine::prepare(&loaded, &loaded.detected).unwrap();
        for field in FIELDS {
            let ends: Vec<String> = match field.kind {
                Kind::Int { min, max } => vec![min.to_string(), max.to_string()],
                Kind::Num { positive: true } => vec!["0.001".into(), "1e12".into()],
                Kind::Num { positive: false } => vec!["0".into(), "1e12".into()],
                Kind::Share => vec!["0".into(), "1".into()],
            };
            for text in ends {
                let rules = set(&Rules::default(), field, &text).unwrap();
                let opts = AnalyzeOptions {
                    rules,
                    ..AnalyzeOptions::default()
                };
                let r = engine::report(&loaded, &prepared, &opts);
                assert!(
                    r.totals.customers > 0,
                    "{}.{} = {text}",
                    field.section,
                    field.key
                );
            }
        }
    }
}
