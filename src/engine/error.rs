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
#[serde(tag = "kind", rename_all = "snake_case")]
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
    /// A size limit was exceeded (see the limit's name and value).
    TooLarge { what: String, limit: u64 },
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
            (TooLarge { what, limit }, Lang::Zh) => {
                format!("文件超出限制：{what} 超过 {limit}。")
            }
            (TooLarge { what, limit }, Lang::En) => {
                format!("The file exceeds a limit: {what} is over {limit}.")
            }
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

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for EngineError {}
