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

/// The dashboard's strings (headline figures, chart panels, drill-down, call lists).
pub struct Dash {
    pub title: &'static str,
    pub top20_share: &'static str,
    pub customers_for_80: &'static str,
    pub pareto_title: &'static str,
    pub pareto_value_legend: &'static str,
    pub pareto_share_legend: &'static str,
    pub pareto_value_axis: &'static str,
    pub pareto_share_axis: &'static str,
    pub pareto_item_axis: &'static str,
    pub gini: &'static str,
    pub abc_title: &'static str,
    pub rfm_title: &'static str,
    pub rfm_heatmap_title: &'static str,
    pub rfm_rows: &'static str,
    pub rfm_cols: &'static str,
    pub rfm_named_title: &'static str,
    pub rfm8_title: &'static str,
    pub by_count: &'static str,
    pub by_revenue: &'static str,
    pub funnel_title: &'static str,
    pub all_customers: &'static str,
    pub trends_title: &'static str,
    pub month: &'static str,
    pub revenue_axis: &'static str,
    pub visits_axis: &'static str,
    pub split_by: &'static str,
    pub all: &'static str,
    pub mileage_title: &'static str,
    pub mileage_axis: &'static str,
    pub vehicles: &'static str,
    pub filter_steps: &'static str,
    pub lower_bound: &'static str,
    pub upper_bound: &'static str,
    pub median: &'static str,
    pub mean: &'static str,
    pub km_per_day: &'static str,
    pub cohort_title: &'static str,
    pub cohort_size: &'static str,
    pub cohort_rows: &'static str,
    pub cohort_cols: &'static str,
    pub segments_title: &'static str,
    pub segments_note: &'static str,
    pub unlock_with: &'static str,
    pub unlock_with_any: &'static str,
    pub unassigned: &'static str,
    pub bars: &'static str,
    pub donut: &'static str,
    pub export_svg: &'static str,
    pub export_csv: &'static str,
    pub customers_unit: &'static str,
    pub share: &'static str,
    pub click_to_drill: &'static str,
    pub drill_title: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub close: &'static str,
    pub no_match: &'static str,
    /// The worker no longer holds the analysis (it was restarted).
    pub analysis_gone: &'static str,
    /// While a drill-down page is on its way.
    pub loading: &'static str,
    pub segment: &'static str,
    pub lists_title: &'static str,
    pub lists_note: &'static str,
    pub phone: &'static str,
    pub plate: &'static str,
    pub due: &'static str,
    pub days_to_due: &'static str,
    pub basis: &'static str,
    pub event: &'static str,
    pub days_since: &'static str,
    pub last_mileage: &'static str,
    pub daily_km: &'static str,
    pub list_empty: &'static str,
    pub list_unavailable: &'static str,
    pub chart_failed: &'static str,
    pub clv_title: &'static str,
    pub clv_expected_value: &'static str,
    pub clv_expected_visits: &'static str,
    pub clv_p_alive: &'static str,
}

/// 中文.
pub const DASH_ZH: Dash = Dash {
    title: "分析看板",
    top20_share: "前 20% 客户的营收占比",
    customers_for_80: "贡献 80% 营收的客户数",
    pareto_title: "客户帕累托分析（二八法则）",
    pareto_value_legend: "营收",
    pareto_share_legend: "累计占比",
    pareto_value_axis: "营收（元）",
    pareto_share_axis: "累计营收占比",
    pareto_item_axis: "客户（按营收排名）",
    gini: "基尼系数",
    abc_title: "ABC 分类（按营收贡献）",
    rfm_title: "RFM 分析",
    rfm_heatmap_title: "RFM：最近到店 R × 到店频次 F",
    rfm_rows: "R（最近到店，5 = 最近）",
    rfm_cols: "F（到店频次，5 = 最多）",
    rfm_named_title: "RFM 客户分群",
    rfm8_title: "RFM 八类客户",
    by_count: "按客户数",
    by_revenue: "按营收",
    funnel_title: "客户生命周期漏斗",
    all_customers: "全部客户",
    trends_title: "月度趋势",
    month: "月份",
    revenue_axis: "营收（元）",
    visits_axis: "到店次数",
    split_by: "分组",
    all: "全部",
    mileage_title: "日均行驶里程分布",
    mileage_axis: "日均里程（km/天）",
    vehicles: "车辆数",
    filter_steps: "样本筛选",
    lower_bound: "下限",
    upper_bound: "上限",
    median: "中位数",
    mean: "平均",
    km_per_day: "km/天",
    cohort_title: "新客留存（按首次到店月份）",
    cohort_size: "新客数",
    cohort_rows: "首次到店月份",
    cohort_cols: "之后第几个月",
    segments_title: "客户分群",
    segments_note: "点击条形或下方按钮查看该分群的客户",
    unlock_with: "需要映射以下列：",
    unlock_with_any: "需要映射以下任一列：",
    unassigned: "无数据",
    bars: "条形图",
    donut: "环形图",
    export_svg: "导出 SVG",
    export_csv: "导出 CSV",
    customers_unit: "位客户",
    share: "占比",
    click_to_drill: "查看客户",
    drill_title: "分群客户",
    search: "搜索",
    search_placeholder: "客户编号或名称",
    close: "关闭",
    no_match: "没有匹配的客户。",
    analysis_gone: "这份分析已不在内存中，请重新载入文件。",
    loading: "正在查找…",
    segment: "分群",
    lists_title: "客服工作清单",
    lists_note: "相对统计截止日计算",
    phone: "电话",
    plate: "车牌",
    due: "到期日",
    days_to_due: "距到期（天）",
    basis: "依据",
    event: "事件日期",
    days_since: "未到店（天）",
    last_mileage: "最近里程",
    daily_km: "日均里程",
    list_empty: "此清单为空。",
    list_unavailable: "此清单需要映射以下列：",
    chart_failed: "图表无法绘制：",
    clv_title: "客户终身价值（未来一年预测）",
    clv_expected_value: "预计营收",
    clv_expected_visits: "预计到店次数",
    clv_p_alive: "平均存续概率",
};

/// English.
pub const DASH_EN: Dash = Dash {
    title: "Dashboard",
    top20_share: "Revenue share of the top 20 %",
    customers_for_80: "Customers making 80 % of revenue",
    pareto_title: "Customer Pareto (80/20)",
    pareto_value_legend: "Revenue",
    pareto_share_legend: "Cumulative share",
    pareto_value_axis: "Revenue (¥)",
    pareto_share_axis: "Cumulative revenue share",
    pareto_item_axis: "Customers (ranked by revenue)",
    gini: "Gini coefficient",
    abc_title: "ABC classes (by revenue contribution)",
    rfm_title: "RFM analysis",
    rfm_heatmap_title: "RFM: recency R × frequency F",
    rfm_rows: "R (recency, 5 = most recent)",
    rfm_cols: "F (frequency, 5 = most visits)",
    rfm_named_title: "RFM segments",
    rfm8_title: "RFM 8 classes",
    by_count: "By customers",
    by_revenue: "By revenue",
    funnel_title: "Lifecycle funnel",
    all_customers: "All customers",
    trends_title: "Monthly trends",
    month: "Month",
    revenue_axis: "Revenue (¥)",
    visits_axis: "Visits",
    split_by: "Split by",
    all: "All",
    mileage_title: "Daily mileage",
    mileage_axis: "Daily distance (km/day)",
    vehicles: "Vehicles",
    filter_steps: "Sample filter",
    lower_bound: "Min",
    upper_bound: "Max",
    median: "Median",
    mean: "Mean",
    km_per_day: "km/day",
    cohort_title: "Retention by first-visit month",
    cohort_size: "New customers",
    cohort_rows: "First-visit month",
    cohort_cols: "Months later",
    segments_title: "Customer segments",
    segments_note: "Click a bar or a button below to see the segment's customers",
    unlock_with: "Needs these columns mapped: ",
    unlock_with_any: "Needs one of these columns mapped: ",
    unassigned: "No data",
    bars: "Bars",
    donut: "Donut",
    export_svg: "Export SVG",
    export_csv: "Export CSV",
    customers_unit: "customers",
    share: "Share",
    click_to_drill: "Show customers",
    drill_title: "Customers in segment",
    search: "Search",
    search_placeholder: "Customer ID or name",
    close: "Close",
    no_match: "No matching customer.",
    analysis_gone: "This analysis is no longer in memory: load the file again.",
    loading: "Looking up…",
    segment: "Segment",
    lists_title: "Call lists",
    lists_note: "Relative to the as-of date",
    phone: "Phone",
    plate: "Plate",
    due: "Due",
    days_to_due: "Days to due",
    basis: "Basis",
    event: "Event date",
    days_since: "Days since last visit",
    last_mileage: "Last mileage",
    daily_km: "Daily km",
    list_empty: "This list is empty.",
    list_unavailable: "This list needs these columns mapped: ",
    chart_failed: "The chart could not be drawn: ",
    clv_title: "Customer lifetime value (next 12 months)",
    clv_expected_value: "Expected revenue",
    clv_expected_visits: "Expected visits",
    clv_p_alive: "Mean P(alive)",
};

/// The dashboard strings of a language.
pub fn dash(lang: Lang) -> &'static Dash {
    match lang {
        Lang::Zh => &DASH_ZH,
        Lang::En => &DASH_EN,
    }
}

/// The Pareto crossing: "前 35.7% 客户贡献 80.0% 营收".
pub fn crossing_label(lang: Lang, item_share: &str, value_share: &str) -> String {
    match lang {
        Lang::Zh => format!("前 {item_share} 客户贡献 {value_share} 营收"),
        Lang::En => format!("The top {item_share} of customers make {value_share} of revenue"),
    }
}

/// A count of customers: "1,849 位客户" / "1,849 customers".
pub fn customers_n(lang: Lang, n: &str) -> String {
    match lang {
        Lang::Zh => format!("{n} 位客户"),
        Lang::En => format!("{n} customers"),
    }
}

/// "Showing the first 200 of 1,849".
pub fn showing(lang: Lang, shown: &str, total: &str) -> String {
    match lang {
        Lang::Zh => format!("显示前 {shown} 位，共 {total} 位"),
        Lang::En => format!("Showing the first {shown} of {total}"),
    }
}

/// Stages of the lifecycle funnel, from the lifecycle thresholds.
pub fn funnel_stage(lang: Lang, stage: &str, days: i64) -> String {
    match (lang, stage) {
        (Lang::Zh, "not_lost") => format!("{days} 天内到店过"),
        (Lang::En, "not_lost") => format!("Visited in the last {days} days"),
        (Lang::Zh, "recent") => format!("{days} 天内到店过"),
        (Lang::En, "recent") => format!("Visited in the last {days} days"),
        (Lang::Zh, _) => format!("{days} 天内的新客户"),
        (Lang::En, _) => format!("New in the last {days} days"),
    }
}

/// A mileage filter step (`vehicles`, `two_readings`, ...) with the rules' values.
pub fn mileage_step(lang: Lang, step: &str, rules: &crate::engine::rules::MileageRules) -> String {
    let zh = matches!(lang, Lang::Zh);
    match step {
        "vehicles" if zh => "全部车辆".to_string(),
        "vehicles" => "All vehicles".to_string(),
        "two_readings" if zh => "有两次不同日期的里程读数".to_string(),
        "two_readings" => "Two readings on different dates".to_string(),
        "km_per_day_in_range" if zh => format!(
            "日均里程在 {}–{} km 之间",
            rules.min_km_per_day, rules.max_km_per_day
        ),
        "km_per_day_in_range" => format!(
            "Daily km between {} and {}",
            rules.min_km_per_day, rules.max_km_per_day
        ),
        "registered" if zh => format!("上牌满 {} 个月", rules.min_months_registered),
        "registered" => format!(
            "Registered for {} months or more",
            rules.min_months_registered
        ),
        "min_returns" if zh => format!("至少回站 {} 次", rules.min_returns),
        "min_returns" => format!("At least {} visits", rules.min_returns),
        other => other.replace('_', " "),
    }
}

/// The title of a call list.
pub fn list_title(lang: Lang, list: &str) -> &'static str {
    let zh = matches!(lang, Lang::Zh);
    match list {
        "sms" if zh => "短信提醒",
        "sms" => "SMS reminders",
        "phone" if zh => "电话提醒",
        "phone" => "Phone reminders",
        "callback" if zh => "维修回访",
        "callback" => "Post-repair callbacks",
        "first_service" if zh => "首保提醒",
        "first_service" => "First-service reminders",
        "win_back" if zh => "流失客户回访",
        "win_back" => "Win-back calls",
        _ => "",
    }
}

/// What a call list is, with the rules' values.
pub fn list_hint(lang: Lang, list: &str, rules: &crate::engine::rules::Rules) -> String {
    let r = &rules.reminders;
    let zh = matches!(lang, Lang::Zh);
    match list {
        "sms" if zh => format!(
            "保养将在 {}–{} 天后到期：发短信提醒",
            r.phone_days_before + 1,
            r.sms_days_before
        ),
        "sms" => format!(
            "Service due in {}–{} days: send an SMS",
            r.phone_days_before + 1,
            r.sms_days_before
        ),
        "phone" if zh => format!(
            "保养在 {} 天内到期或已逾期：电话提醒（流失客户除外）",
            r.phone_days_before
        ),
        "phone" => format!(
            "Service due within {} days or overdue: call (lost customers excepted)",
            r.phone_days_before
        ),
        "callback" if zh => format!(
            "维修后第 {}–{} 天回访",
            r.callback_min_days, r.callback_max_days
        ),
        "callback" => format!(
            "Call {}–{} days after a repair",
            r.callback_min_days, r.callback_max_days
        ),
        "first_service" if zh => format!(
            "购车 {} 天内、尚未首保的车辆；首保在购车后 {} 个月",
            r.first_service_within_days, r.first_service_months
        ),
        "first_service" => format!(
            "Bought in the last {} days without a first service (due {} months after purchase)",
            r.first_service_within_days, r.first_service_months
        ),
        "win_back" if zh => format!("{} 天以上未回站的客户", rules.lifecycle.win_back_days),
        "win_back" => format!(
            "Customers not back for {} days or more",
            rules.lifecycle.win_back_days
        ),
        _ => String::new(),
    }
}

/// "已逾期 12 位" / "12 overdue".
pub fn overdue_n(lang: Lang, n: &str) -> String {
    match lang {
        Lang::Zh => format!("已逾期 {n} 位"),
        Lang::En => format!("{n} overdue"),
    }
}

/// "到期日 2025-07-01 – 2025-07-12" / "Due 2025-07-01 – 2025-07-12".
pub fn due_range(lang: Lang, from: &str, to: &str) -> String {
    match lang {
        Lang::Zh => format!("到期日 {from} – {to}"),
        Lang::En => format!("Due {from} – {to}"),
    }
}

/// "35.7% 的客户" / "35.7 % of customers".
pub fn share_of_customers(lang: Lang, share: &str) -> String {
    match lang {
        Lang::Zh => format!("占全部客户的 {share}"),
        Lang::En => format!("{share} of all customers"),
    }
}

/// The strings of the rules panel and the saved setup.
pub struct RulesText {
    pub title: &'static str,
    pub intro: &'static str,
    pub reset: &'static str,
    pub rerunning: &'static str,
    pub export: &'static str,
    pub import: &'static str,
    pub imported: &'static str,
    pub dismiss: &'static str,
    pub lists_title: &'static str,
    pub series: &'static str,
    pub series_hint: &'static str,
    pub keywords: &'static str,
    pub keywords_hint: &'static str,
}

const RULES_ZH: RulesText = RulesText {
    title: "规则与阈值",
    intro: "修改任一阈值，分析会立即按新规则重新计算（无需重新读取文件）。设置保存在本机浏览器中。",
    reset: "恢复默认",
    rerunning: "正在重新计算…",
    export: "导出设置（JSON）",
    import: "导入设置…",
    imported: "已导入设置。",
    dismiss: "知道了",
    lists_title: "按车系客单价与需求关键词",
    series: "按车系客单价阈值（每行：车系 = 高, 低）",
    series_hint: "例：凯美瑞 = 2000, 600",
    keywords: "需求关键词（每行：需求代码 = 关键词, 关键词）",
    keywords_hint: "代码：first_service、maintenance、repair、accident、body_paint、modification、insurance、other。例：maintenance = A保, B保",
};

const RULES_EN: RulesText = RulesText {
    title: "Rules and thresholds",
    intro: "Change any threshold and the analyses run again with it at once (the file is not read again). The setup is kept in this browser.",
    reset: "Reset to defaults",
    rerunning: "Recalculating…",
    export: "Export setup (JSON)",
    import: "Import setup…",
    imported: "Setup imported.",
    dismiss: "Dismiss",
    lists_title: "Ticket thresholds by series, need keywords",
    series: "Ticket thresholds by series (a line each: series = high, low)",
    series_hint: "E.g. Camry = 2000, 600",
    keywords: "Need keywords (a line each: need code = keyword, keyword)",
    keywords_hint: "Codes: first_service, maintenance, repair, accident, body_paint, modification, insurance, other. E.g. maintenance = A保, B保",
};

/// The rules panel's strings of a language.
pub fn rules_text(lang: Lang) -> &'static RulesText {
    match lang {
        Lang::Zh => &RULES_ZH,
        Lang::En => &RULES_EN,
    }
}

/// The title of a section of the rules.
pub fn rule_section(section: &str, lang: Lang) -> &'static str {
    let zh = lang == Lang::Zh;
    match section {
        "pareto" if zh => "二八原则 / ABC",
        "pareto" => "Pareto / ABC",
        "value" if zh => "客户价值",
        "value" => "Customer value",
        "rfm" => "RFM",
        "lifecycle" if zh => "服务周期",
        "lifecycle" => "Lifecycle",
        "loyalty" if zh => "忠诚度",
        "loyalty" => "Loyalty",
        "member" if zh => "会员等级",
        "member" => "Member tiers",
        "habit" if zh => "消费习惯",
        "habit" => "Habit",
        "vehicle" if zh => "车龄与用途",
        "vehicle" => "Vehicle age and use",
        "mileage" if zh => "里程研究",
        "mileage" => "Mileage study",
        "reminders" if zh => "提醒与回访",
        "reminders" => "Reminders and call lists",
        "clv" if zh => "客户终身价值",
        "clv" => "Customer lifetime value",
        _ => "",
    }
}

/// The label of one threshold (`section.key`), `(中文, English)`.
fn rule_labels(section: &str, key: &str) -> (&'static str, &'static str) {
    match (section, key) {
        ("pareto", "a_share") => ("A 类累计营收占比", "Class A: cumulative revenue share"),
        ("pareto", "b_share") => ("B 类累计营收占比", "Class B: cumulative revenue share"),
        ("pareto", "top_fraction") => ("头部客户比例", "Top fraction of customers"),
        ("pareto", "curve_points") => ("曲线点数", "Points in the curve"),
        ("value", "ticket_high") => ("高价值客单价（元）", "High value: average ticket (¥)"),
        ("value", "ticket_low") => ("低价值客单价（元）", "Low value: average ticket below (¥)"),
        ("value", "visits_high") => ("高价值年回站次数", "High value: visits a year"),
        ("value", "visits_low") => ("低价值年回站次数（低于）", "Low value: visits a year below"),
        ("value", "interval_high_days") => (
            "高价值回站周期（天，不超过）",
            "High value: return interval at most (days)",
        ),
        ("value", "interval_low_days") => (
            "低价值回站周期（天，超过）",
            "Low value: return interval above (days)",
        ),
        ("rfm", "bins") => ("评分档数", "Score bins"),
        ("lifecycle", "new_days") => (
            "新客户：首次到店在（天）内",
            "New: first visit within (days)",
        ),
        ("lifecycle", "win_back_days") => {
            ("回访名单：未到店（天）", "Win-back: no visit for (days)")
        }
        ("lifecycle", "at_risk_days") => ("准流失：未到店（天）", "At risk: no visit for (days)"),
        ("lifecycle", "lost_days") => ("流失：未到店（天）", "Lost: no visit for (days)"),
        ("loyalty", "loyal_visits") => ("忠诚客户年到店次数", "Loyal: visits a year"),
        ("loyalty", "loyal_ticket") => ("忠诚客户客单价（元）", "Loyal: average ticket (¥)"),
        ("loyalty", "potential_visits") => ("潜力客户年到店次数", "Potential: visits a year"),
        ("loyalty", "potential_ticket") => {
            ("潜力客户客单价（元）", "Potential: average ticket (¥)")
        }
        ("loyalty", "warning_days") => (
            "流失预警：未到店（天）",
            "Churn warning: no visit for (days)",
        ),
        ("member", "gold_visits") => ("金卡：累计到店次数", "Gold: lifetime visits"),
        ("member", "platinum_visits_year") => ("白金卡：年到店次数", "Platinum: visits a year"),
        ("habit", "high_frequency_days") => (
            "高频：平均间隔不超过（天）",
            "High frequency: mean interval at most (days)",
        ),
        ("habit", "irregular_cv") => ("不规律：间隔变异系数超过", "Irregular: interval CV above"),
        ("habit", "min_intervals") => ("判断所需最少间隔数", "Intervals needed"),
        ("vehicle", "warranty_years") => ("保修期（年）", "Warranty (years)"),
        ("vehicle", "three_guarantees_years") => {
            ("三包期（年）", "Three-guarantees period (years)")
        }
        ("vehicle", "commercial_km_per_day") => {
            ("营运车：日均里程（公里）", "Commercial: km a day from")
        }
        ("vehicle", "official_km_per_day") => {
            ("公务车：日均里程（公里）", "Official: km a day from")
        }
        ("mileage", "min_km_per_day") => ("日均里程下限（公里）", "Minimum km a day"),
        ("mileage", "max_km_per_day") => ("日均里程上限（公里）", "Maximum km a day"),
        ("mileage", "min_months_registered") => {
            ("上牌满（月）", "Registered for at least (months)")
        }
        ("mileage", "min_returns") => ("最少回站次数", "Minimum returns"),
        ("mileage", "bin_km") => ("直方图组距（公里/天）", "Histogram bin (km a day)"),
        ("reminders", "interval_months") => ("保养间隔（月）", "Service interval (months)"),
        ("reminders", "interval_km") => ("保养间隔（公里）", "Service interval (km)"),
        ("reminders", "sms_days_before") => ("短信提前（天）", "SMS days before due"),
        ("reminders", "phone_days_before") => ("电话提前（天）", "Phone call days before due"),
        ("reminders", "callback_min_days") => ("维修回访最早（天）", "Callback from (days after)"),
        ("reminders", "callback_max_days") => ("维修回访最晚（天）", "Callback until (days after)"),
        ("reminders", "first_service_within_days") => (
            "首保提醒：购车在（天）内",
            "First service: bought within (days)",
        ),
        ("reminders", "first_service_months") => {
            ("首保：购车后（月）", "First service due after (months)")
        }
        ("clv", "horizon_days") => ("预测期（天）", "Prediction horizon (days)"),
        ("clv", "min_customers") => ("建模最少客户数", "Fewest customers to fit"),
        _ => ("", ""),
    }
}

/// The label of one threshold in a language (the key itself when unnamed).
pub fn rule_label(section: &str, key: &'static str, lang: Lang) -> &'static str {
    let (zh, en) = rule_labels(section, key);
    let s = if lang == Lang::Zh { zh } else { en };
    if s.is_empty() {
        key
    } else {
        s
    }
}

/// Strings of the exports, the customer history, the migration panel and printing.
pub struct More {
    pub export_xlsx: &'static str,
    pub export_png: &'static str,
    pub preparing: &'static str,
    pub open_history: &'static str,
    pub history_title: &'static str,
    pub history_loading: &'static str,
    pub history_missing: &'static str,
    pub row: &'static str,
    pub date: &'static str,
    pub order: &'static str,
    pub service_type: &'static str,
    pub mileage: &'static str,
    pub vehicle: &'static str,
    pub amount: &'static str,
    pub phones: &'static str,
    pub plates: &'static str,
    pub rows_used: &'static str,
    pub migration_title: &'static str,
    pub migration_from: &'static str,
    pub migration_to: &'static str,
    pub migration_stayed: &'static str,
    pub migration_moved: &'static str,
    pub migration_new: &'static str,
    pub migration_new_row: &'static str,
    pub print: &'static str,
}

const MORE_ZH: More = More {
    export_xlsx: "导出 Excel",
    export_png: "导出 PNG",
    preparing: "正在生成…",
    open_history: "查看该客户的消费记录",
    history_title: "客户消费记录",
    history_loading: "正在读取…",
    history_missing: "当前分析中没有此客户（可能已载入其他文件）。",
    row: "行号",
    date: "日期",
    order: "工单号",
    service_type: "维修类型",
    mileage: "里程",
    vehicle: "车型",
    amount: "金额",
    phones: "电话",
    plates: "车牌",
    rows_used: "使用的行",
    migration_title: "客户迁移（RFM 八类）",
    migration_from: "分界日的分群 ↓ / 截止日的分群 →",
    migration_to: "截止日",
    migration_stayed: "未变",
    migration_moved: "变化",
    migration_new: "新客户",
    migration_new_row: "（分界日后新增）",
    print: "打印报告",
};

const MORE_EN: More = More {
    export_xlsx: "Export Excel",
    export_png: "Export PNG",
    preparing: "Preparing…",
    open_history: "Show this customer's records",
    history_title: "Customer history",
    history_loading: "Reading…",
    history_missing:
        "This customer is not in the current analysis (another file may have been loaded).",
    row: "Row",
    date: "Date",
    order: "Order",
    service_type: "Service type",
    mileage: "Mileage",
    vehicle: "Vehicle",
    amount: "Amount",
    phones: "Phones",
    plates: "Plates",
    rows_used: "Rows used",
    migration_title: "Segment migration (RFM 8 classes)",
    migration_from: "Segment at the split ↓ / at the as-of date →",
    migration_to: "As of",
    migration_stayed: "Stayed",
    migration_moved: "Moved",
    migration_new: "New customers",
    migration_new_row: "(new since the split)",
    print: "Print report",
};

/// The strings of exports, history, migration and printing in a language.
pub fn more(lang: Lang) -> &'static More {
    match lang {
        Lang::Zh => &MORE_ZH,
        Lang::En => &MORE_EN,
    }
}

/// An xlsx export that failed, with why.
pub fn export_failed(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::Zh => format!("导出失败：{detail}"),
        Lang::En => format!("The export failed: {detail}"),
    }
}

/// "Showing the newest 2,000 of 2,345 rows."
pub fn newest_rows(lang: Lang, shown: &str, total: &str) -> String {
    match lang {
        Lang::Zh => format!("显示最近的 {shown} 行（共 {total} 行）。"),
        Lang::En => format!("Showing the newest {shown} of {total} rows."),
    }
}

#[cfg(test)]
mod rules_label_tests {
    use super::*;
    use crate::app::setup::{sections, FIELDS};

    #[test]
    fn every_rule_has_labels_in_both_languages() {
        for f in FIELDS {
            let (zh, en) = rule_labels(f.section, f.key);
            assert!(!zh.is_empty() && !en.is_empty(), "{}.{}", f.section, f.key);
        }
        for s in sections() {
            assert!(!rule_section(s, Lang::Zh).is_empty(), "{s}");
            assert!(!rule_section(s, Lang::En).is_empty(), "{s}");
        }
    }
}
