//! Errors are values: every way an input can be rejected, each rendering to one clear
//! sentence in Chinese or English.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

/// Why an input was rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineError {
    /// The file has no bytes.
    EmptyFile,
    /// The bytes are not a format we read (e.g. a PDF or an image).
    UnknownFormat { detected: String },
    /// The file is password-protected / encrypted.
    Encrypted,
    /// The container or the sheet could not be parsed.
    Corrupt { format: String, detail: String },
    /// The requested sheet does not exist.
    NoSuchSheet {
        name: String,
        available: Vec<String>,
    },
    /// No sheet contains any data.
    NoData,
    /// The text could not be decoded with the requested encoding.
    BadEncoding { encoding: String },
    /// A size limit was exceeded (see the limit's name and value). `what` is one of the
    /// keys in [`crate::engine::limits::what`]; the message renders it in the user's
    /// language.
    TooLarge { what: String, limit: u64 },
    /// A size limit was exceeded at a known place: `row` is 1-based (the sheet's row, or
    /// the record's row in a CSV file), `column` 1-based when known.
    TooLargeAt {
        what: String,
        limit: u64,
        row: usize,
        column: Option<usize>,
    },
    /// The header row asked for is outside the sheet.
    BadHeaderRow { row: usize, rows: usize },
    /// A `--map` override names a column that is not in the header.
    NoSuchColumn { role: String, column: String },
    /// An unknown role name was given.
    UnknownRole { role: String },
    /// The required roles (customer key, date, amount) are not all mapped.
    MissingRoles { missing: Vec<String> },
    /// Every row was skipped: nothing to analyse.
    NoUsableRows,
    /// An internal failure (a bug); the message says what was tried.
    Internal { detail: String },
}

impl EngineError {
    /// The variant's name as serialised (`empty_file`, `unknown_format`, ...): the whole
    /// value of a unit variant, the one key of the others.
    pub fn kind(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(k)) => k,
            Ok(serde_json::Value::Object(m)) => m.keys().next().cloned().unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        use EngineError::*;
        match (self, lang) {
            (EmptyFile, Lang::Zh) => "文件是空的（0 字节）。".into(),
            (EmptyFile, Lang::En) => "The file is empty (0 bytes).".into(),
            (UnknownFormat { detected }, Lang::Zh) => format!(
                "无法识别的文件格式（{detected}）。支持 xlsx、xlsm、xls、xlsb、ods、CSV/TSV 和另存为 .xls 的网页表格。"
            ),
            (UnknownFormat { detected }, Lang::En) => format!(
                "Unrecognised file format ({detected}). Supported: xlsx, xlsm, xls, xlsb, ods, CSV/TSV and HTML tables saved as .xls."
            ),
            (Encrypted, Lang::Zh) => "文件有密码保护，请在 Excel 中取消密码后另存再试。".into(),
            (Encrypted, Lang::En) => {
                "The file is password-protected. Remove the password in Excel, save, and try again.".into()
            }
            (Corrupt { format, detail }, Lang::Zh) => {
                format!("文件已损坏或无法读取（按 {format} 读取失败：{detail}）。")
            }
            (Corrupt { format, detail }, Lang::En) => {
                format!("The file is damaged or unreadable (read as {format}: {detail}).")
            }
            (NoSuchSheet { name, available }, Lang::Zh) => {
                format!("找不到工作表“{name}”。现有工作表：{}。", available.join("、"))
            }
            (NoSuchSheet { name, available }, Lang::En) => format!(
                "There is no sheet named \"{name}\". Sheets: {}.",
                available.join(", ")
            ),
            (NoData, Lang::Zh) => "文件中没有任何数据。".into(),
            (NoData, Lang::En) => "The file contains no data.".into(),
            (BadEncoding { encoding }, Lang::Zh) => {
                format!("无法按 {encoding} 编码解码此文件，请改用“自动”或其他编码。")
            }
            (BadEncoding { encoding }, Lang::En) => format!(
                "The file cannot be decoded as {encoding}; choose 'auto' or another encoding."
            ),
            (TooLarge { what, limit }, Lang::Zh) => format!(
                "文件超出限制：{}超过 {}。",
                limit_label(what, lang),
                limit_value(what, *limit)
            ),
            (TooLarge { what, limit }, Lang::En) => format!(
                "The file exceeds a limit: {} is over {}.",
                limit_label(what, lang),
                limit_value(what, *limit)
            ),
            (
                TooLargeAt {
                    what,
                    limit,
                    row,
                    column,
                },
                Lang::Zh,
            ) => format!(
                "文件超出限制：第 {row} 行{}的{}超过 {}。",
                column.map(|c| format!(" {} 列", column_letters(c))).unwrap_or_default(),
                limit_label(what, lang),
                limit_value(what, *limit)
            ),
            (
                TooLargeAt {
                    what,
                    limit,
                    row,
                    column,
                },
                Lang::En,
            ) => format!(
                "The file exceeds a limit at row {row}{}: {} is over {}.",
                column.map(|c| format!(", column {}", column_letters(c))).unwrap_or_default(),
                limit_label(what, lang),
                limit_value(what, *limit)
            ),
            (BadHeaderRow { row, rows }, Lang::Zh) => {
                format!("表头行 {row} 超出范围（工作表共 {rows} 行）。")
            }
            (BadHeaderRow { row, rows }, Lang::En) => {
                format!("Header row {row} is out of range (the sheet has {rows} rows).")
            }
            (NoSuchColumn { role, column }, Lang::Zh) => {
                format!("表头中没有列“{column}”（用于 {role}）。")
            }
            (NoSuchColumn { role, column }, Lang::En) => {
                format!("There is no column \"{column}\" in the header (for {role}).")
            }
            (UnknownRole { role }, Lang::Zh) => format!("未知的字段角色“{role}”。"),
            (UnknownRole { role }, Lang::En) => format!("Unknown column role \"{role}\"."),
            (MissingRoles { missing }, Lang::Zh) => format!(
                "缺少必需的列：{}。请在字段对应中指定。",
                missing.join("、")
            ),
            (MissingRoles { missing }, Lang::En) => format!(
                "Required columns are missing: {}. Map them on the mapping screen.",
                missing.join(", ")
            ),
            (NoUsableRows, Lang::Zh) => "没有可用的数据行：所有行都被跳过（原因见数据质量摘要）。".into(),
            (NoUsableRows, Lang::En) => {
                "No usable rows: every row was skipped (see the data-quality summary for why).".into()
            }
            (Internal { detail }, Lang::Zh) => format!("此文件无法读取（内部错误：{detail}）。"),
            (Internal { detail }, Lang::En) => {
                format!("This file could not be read (internal error: {detail}).")
            }
        }
    }
}

/// The name of a limit (a `what` key of [`EngineError::TooLarge`]) in the given language;
/// an unknown key is shown as it is.
pub fn limit_label(what: &str, lang: Lang) -> String {
    use crate::engine::limits::what as w;
    const LABELS: &[(&str, &str, &str)] = &[
        (w::INPUT_BYTES, "文件大小（字节）", "the file size (bytes)"),
        (
            w::ZIP_ENTRIES,
            "压缩包内的条目数",
            "the number of entries in the zip container",
        ),
        (
            w::PART_BYTES,
            "压缩包内单个部件解压后的大小（字节）",
            "the uncompressed size of one part of the zip container (bytes)",
        ),
        (
            w::TOTAL_BYTES,
            "压缩包解压后的总大小（字节）",
            "the total uncompressed size of the zip container (bytes)",
        ),
        (w::RATIO, "压缩比", "the compression ratio"),
        (
            w::SHARED_STRINGS,
            "共享字符串的数量",
            "the number of shared strings",
        ),
        (w::ROWS, "行数", "the number of rows"),
        (w::COLUMNS, "列数", "the number of columns"),
        (w::CELLS, "单元格数", "the number of cells"),
        (
            w::CELL_CHARS,
            "单元格文本长度（字符）",
            "the length of the cell text (characters)",
        ),
        (
            w::TEXT_BYTES,
            "全部单元格文本的总量（字节）",
            "the total text of all cells (bytes)",
        ),
        (
            w::DENSE_CELLS,
            "工作表展开后的单元格区域（单元格数）",
            "the expanded cell area of the sheets (cells)",
        ),
        (
            w::LINE_BYTES,
            "一行的长度（字节）",
            "the length of the line (bytes)",
        ),
        (
            w::HTML_DEPTH,
            "网页表格的嵌套层数",
            "the nesting depth of HTML tables",
        ),
        (
            w::HTML_TABLES,
            "网页中的表格数",
            "the number of HTML tables",
        ),
    ];
    match LABELS.iter().find(|(key, _, _)| *key == what) {
        Some((_, zh, en)) => match lang {
            Lang::Zh => (*zh).to_string(),
            Lang::En => (*en).to_string(),
        },
        None => what.to_string(),
    }
}

/// A limit's value for a message: thousands separators, a ratio as `N:1`, a byte count
/// with its binary unit.
fn limit_value(what: &str, limit: u64) -> String {
    let digits = limit.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if what == crate::engine::limits::what::RATIO {
        return format!("{grouped}:1");
    }
    if what.ends_with("(bytes)") && limit >= 1024 {
        let units = ["KiB", "MiB", "GiB", "TiB"];
        let mut v = limit as f64 / 1024.0;
        let mut u = 0;
        while v >= 1024.0 && u + 1 < units.len() {
            v /= 1024.0;
            u += 1;
        }
        let v = if v.fract() == 0.0 {
            format!("{v}")
        } else {
            format!("{v:.1}")
        };
        return format!("{grouped} ({v} {})", units[u]);
    }
    grouped
}

/// Spreadsheet column letters for a 1-based column number (1 → A, 27 → AA).
fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        out.push(b'A' + r as u8);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for EngineError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_the_variants_snake_case_names() {
        assert_eq!(EngineError::EmptyFile.kind(), "empty_file");
        let e = EngineError::UnknownFormat {
            detected: "pdf".into(),
        };
        assert_eq!(e.kind(), "unknown_format");
        assert_eq!(EngineError::NoUsableRows.kind(), "no_usable_rows");
    }
}
