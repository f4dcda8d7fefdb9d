//! Every UI string, in Chinese and English. Labels of roles and skip reasons come from the
//! engine ([`Role::label`], [`SkipReason::label`]) so the CLI and the page say the same.

use crate::engine::records::SkipReason;
use crate::engine::{Lang, Role};

/// The UI strings of one language.
pub struct Strings {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub privacy: &'static str,
    pub switch_lang: &'static str,
    pub switch_lang_title: &'static str,
    pub drop_title: &'static str,
    pub drop_hint: &'static str,
    pub choose_file: &'static str,
    pub formats: &'static str,
    pub or: &'static str,
    pub load_demo: &'static str,
    pub download_demo: &'static str,
    pub preparing_download: &'static str,
    pub stage_starting: &'static str,
    pub stage_reading: &'static str,
    pub stage_parsing: &'static str,
    pub stage_analysing: &'static str,
    pub cancel: &'static str,
    pub error_title: &'static str,
    pub worker_died: &'static str,
    pub worker_stale: &'static str,
    pub try_another: &'static str,
    pub mapping_title: &'static str,
    pub mapping_intro: &'static str,
    pub mapping_missing: &'static str,
    pub missing_key: &'static str,
    pub missing_date: &'static str,
    pub missing_amount: &'static str,
    pub sheet: &'static str,
    pub header_row: &'static str,
    pub encoding: &'static str,
    pub encoding_auto: &'static str,
    pub as_of_label: &'static str,
    pub as_of_hint: &'static str,
    pub role: &'static str,
    pub column: &'static str,
    pub confidence: &'static str,
    pub manual: &'static str,
    pub unmapped: &'static str,
    pub required: &'static str,
    pub preview: &'static str,
    pub apply: &'static str,
    pub back_to_report: &'static str,
    pub report_title: &'static str,
    pub change_mapping: &'static str,
    pub customers: &'static str,
    pub visits: &'static str,
    pub revenue: &'static str,
    pub records: &'static str,
    pub quality_title: &'static str,
    pub file: &'static str,
    pub format: &'static str,
    pub rows_read: &'static str,
    pub rows_used: &'static str,
    pub rows_skipped: &'static str,
    pub skipped_by_reason: &'static str,
    pub reason: &'static str,
    pub count: &'static str,
    pub example_rows: &'static str,
    pub nothing_skipped: &'static str,
    pub date_range: &'static str,
    pub as_of: &'static str,
    pub key_column: &'static str,
    pub mapping: &'static str,
    pub top_customers: &'static str,
    pub top_customers_note: &'static str,
    pub rank: &'static str,
    pub customer_id: &'static str,
    pub name: &'static str,
    pub first_visit: &'static str,
    pub last_visit: &'static str,
    pub avg_ticket: &'static str,
    pub recency: &'static str,
    pub days: &'static str,
    pub none: &'static str,
    pub footer: &'static str,
}

/// 中文.
pub const ZH: Strings = Strings {
    app_name: "DealerLens · 车店客户分析",
    tagline: "拖入维修/服务记录导出表，马上看清客户",
    privacy: "数据只在本机浏览器中处理，不会上传",
    switch_lang: "English",
    switch_lang_title: "Switch to English",
    drop_title: "把导出的表格拖到这里",
    drop_hint: "或",
    choose_file: "选择文件…",
    formats: "支持 xlsx、xls、xlsb、ods、CSV（UTF-8 / GBK）和另存为 .xls 的网页表格",
    or: "没有文件？",
    load_demo: "加载演示数据",
    download_demo: "下载演示数据（xlsx）",
    preparing_download: "正在生成…",
    stage_starting: "正在准备…",
    stage_reading: "正在读取文件",
    stage_parsing: "正在解析表格",
    stage_analysing: "正在分析",
    cancel: "取消",
    error_title: "无法读取",
    worker_died: "此文件无法读取：解析程序意外终止。请检查文件，或换一个文件再试。",
    worker_stale: "页面已更新，请刷新页面后重试。",
    try_another: "可以直接拖入另一个文件。",
    mapping_title: "字段对应",
    mapping_intro: "请确认每一列的含义。客户标识、日期和金额为必填。",
    mapping_missing: "尚缺：",
    missing_key: "客户标识（客户编号、电话、车牌、车架号或名称）",
    missing_date: "日期",
    missing_amount: "金额（或 数量×单价，或 工时费＋材料费）",
    sheet: "工作表",
    header_row: "表头所在行",
    encoding: "编码",
    encoding_auto: "自动",
    as_of_label: "统计截止日",
    as_of_hint: "留空则取数据中的最后日期",
    role: "字段",
    column: "对应的列",
    confidence: "把握",
    manual: "手动",
    unmapped: "—",
    required: "必填",
    preview: "数据预览（前几行）",
    apply: "应用并分析",
    back_to_report: "返回报告",
    report_title: "分析报告",
    change_mapping: "更改字段对应",
    customers: "客户数",
    visits: "到店次数",
    revenue: "营业额",
    records: "条记录",
    quality_title: "数据质量",
    file: "文件",
    format: "格式",
    rows_read: "读取行数",
    rows_used: "使用行数",
    rows_skipped: "跳过行数",
    skipped_by_reason: "跳过的行及原因",
    reason: "原因",
    count: "行数",
    example_rows: "示例行号",
    nothing_skipped: "没有跳过任何行。",
    date_range: "日期范围",
    as_of: "统计截止日",
    key_column: "客户识别依据",
    mapping: "字段对应",
    top_customers: "营业额前 20 名客户",
    top_customers_note: "按营业额从高到低",
    rank: "#",
    customer_id: "客户",
    name: "名称",
    first_visit: "首次到店",
    last_visit: "最近到店",
    avg_ticket: "客单价",
    recency: "未到店",
    days: "天",
    none: "—",
    footer: "DealerLens 在浏览器本地运行（WebAssembly），不联网、不上传任何数据。",
};

/// English.
pub const EN: Strings = Strings {
    app_name: "DealerLens · 车店客户分析",
    tagline: "Drop in a service-record export and see your customers",
    privacy: "Your data is processed in this browser and never uploaded",
    switch_lang: "中文",
    switch_lang_title: "切换到中文",
    drop_title: "Drop the exported spreadsheet here",
    drop_hint: "or",
    choose_file: "Choose a file…",
    formats: "xlsx, xls, xlsb, ods, CSV (UTF-8 / GBK) and HTML tables saved as .xls",
    or: "No file at hand?",
    load_demo: "Load demo data",
    download_demo: "Download the demo data (xlsx)",
    preparing_download: "Preparing…",
    stage_starting: "Starting…",
    stage_reading: "Reading the file",
    stage_parsing: "Parsing the spreadsheet",
    stage_analysing: "Analysing",
    cancel: "Cancel",
    error_title: "Could not read the file",
    worker_died: "This file could not be read: the parser stopped unexpectedly. Check the file or try another one.",
    worker_stale: "The page has been updated; reload it and try again.",
    try_another: "You can drop another file right away.",
    mapping_title: "Column mapping",
    mapping_intro: "Check what each column means. A customer key, a date and an amount are required.",
    mapping_missing: "Still missing:",
    missing_key: "a customer key (customer ID, phone, plate, VIN or name)",
    missing_date: "a date",
    missing_amount: "an amount (or quantity × unit price, or labor + parts)",
    sheet: "Sheet",
    header_row: "Header row",
    encoding: "Encoding",
    encoding_auto: "Auto",
    as_of_label: "As of",
    as_of_hint: "Empty: the latest date in the data",
    role: "Field",
    column: "Column",
    confidence: "Confidence",
    manual: "manual",
    unmapped: "—",
    required: "required",
    preview: "Preview (first rows)",
    apply: "Apply and analyse",
    back_to_report: "Back to the report",
    report_title: "Report",
    change_mapping: "Change mapping",
    customers: "Customers",
    visits: "Visits",
    revenue: "Revenue",
    records: "records",
    quality_title: "Data quality",
    file: "File",
    format: "Format",
    rows_read: "Rows read",
    rows_used: "Rows used",
    rows_skipped: "Rows skipped",
    skipped_by_reason: "Skipped rows by reason",
    reason: "Reason",
    count: "Rows",
    example_rows: "Example rows",
    nothing_skipped: "No row was skipped.",
    date_range: "Date range",
    as_of: "As of",
    key_column: "Customers identified by",
    mapping: "Mapping",
    top_customers: "Top 20 customers by revenue",
    top_customers_note: "Highest revenue first",
    rank: "#",
    customer_id: "Customer",
    name: "Name",
    first_visit: "First visit",
    last_visit: "Last visit",
    avg_ticket: "Avg. ticket",
    recency: "Since last visit",
    days: "days",
    none: "—",
    footer: "DealerLens runs locally in your browser (WebAssembly): nothing is sent anywhere.",
};

/// The strings of a language.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The language to start with: a saved choice, else the browser's language.
pub fn initial_lang(saved: Option<&str>, navigator_language: &str) -> Lang {
    match saved {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ if navigator_language.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

/// The code stored in localStorage and put on `<html lang>`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}

/// The label of a role.
pub fn role_label(role: Role, lang: Lang) -> &'static str {
    role.label(lang)
}

/// The label of a skip reason given by its Report name (`blank_row`, ...).
pub fn skip_label(name: &str, lang: Lang) -> String {
    serde_json::from_value::<SkipReason>(serde_json::Value::String(name.to_string()))
        .map(|r| r.label(lang).to_string())
        .unwrap_or_else(|_| name.replace('_', " "))
}

/// A readable sentence part for a missing requirement (as given by
/// `Mapping::missing_required`).
pub fn missing_label(name: &str, lang: Lang) -> &'static str {
    let s = strings(lang);
    if name.starts_with("customer") {
        s.missing_key
    } else if name.starts_with("date") {
        s.missing_date
    } else {
        s.missing_amount
    }
}

/// The role named in a Report (`customer_id`, ...), as a label.
pub fn role_name_label(name: &str, lang: Lang) -> String {
    Role::parse(name)
        .map(|r| r.label(lang).to_string())
        .unwrap_or_else(|_| name.to_string())
}
