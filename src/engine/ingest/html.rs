//! HTML tables (DMS exports saved as `.xls` that are really web pages).
//!
//! A small tolerant scanner, not a full HTML parser: it understands `<table>`, `<tr>`,
//! `<td>`/`<th>` (with attributes, `colspan` honoured), `<br>`, comments, `<script>`/`<style>`
//! and character references; any other tag is dropped and its text kept. Missing end tags
//! are implied. The table with the most rows wins.

use super::{text, too_large, too_large_at, EncodingChoice, IngestOptions};
use crate::engine::error::EngineError;
use crate::engine::limits::{self, what, MAX_CELLS, MAX_COLS, MAX_ROWS};
use crate::engine::table::{Cell, Columns, Format, RawTable};

/// Reads an HTML page's largest table.
pub(crate) fn read(bytes: &[u8], opts: &IngestOptions) -> Result<RawTable, EngineError> {
    let decoded = decode(bytes, opts.encoding)?;
    let tables = parse_tables(&decoded.text)?;
    let best = tables
        .into_iter()
        .enumerate()
        // Most rows; the first such table on ties.
        .max_by_key(|(i, t)| (t.len(), std::cmp::Reverse(*i)))
        .map(|(_, t)| t)
        .unwrap_or_default();
    if !best.iter().flatten().any(|c| !c.is_empty()) {
        return Err(EngineError::NoData);
    }
    Ok(RawTable {
        format: Format::Html,
        sheet: None,
        sheets: Vec::new(),
        encoding: Some(decoded.encoding),
        date_1904: false,
        cells: Columns::from_rows(best),
    })
}

/// Encoding order: a BOM, then the user's explicit choice, then `<meta charset>`, then
/// detection (UTF-8 else GB18030). A declared charset the bytes contradict is ignored.
fn decode(bytes: &[u8], choice: EncodingChoice) -> Result<text::Decoded<'_>, EngineError> {
    if let Some((enc, _)) = text::bom(bytes) {
        return Ok(text::decode_lossy(bytes, enc));
    }
    if choice != EncodingChoice::Auto {
        return text::decode(bytes, choice);
    }
    if let Some(enc) = text::guess_utf16_without_bom(bytes) {
        return Ok(text::decode_lossy(bytes, enc));
    }
    if let Some(enc) = declared_charset(bytes) {
        // A page cannot really declare UTF-16 in ASCII bytes; treat that as undeclared.
        if enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE {
            if let Some(d) = text::decode_strict(bytes, enc) {
                return Ok(d);
            }
        }
    }
    Ok(text::decode_auto(bytes))
}

/// The charset named in a `<meta charset=...>` or `<meta ... content="...; charset=...">`
/// (or an `<?xml encoding=...?>` declaration) near the top of the page.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let find = |needle: &[u8], from: usize| -> Option<usize> {
        lower
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let label_at = |mut i: usize| -> Option<&'static encoding_rs::Encoding> {
        while i < lower.len() && matches!(lower[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len() && (lower[i].is_ascii_alphanumeric() || b"-_:.".contains(&lower[i])) {
            i += 1;
        }
        encoding_rs::Encoding::for_label(&lower[start..i])
    };
    let mut from = 0;
    while let Some(p) = find(b"charset", from) {
        if let Some(enc) = label_at(p + b"charset".len()) {
            return Some(enc);
        }
        from = p + 1;
    }
    if lower.starts_with(b"<?xml") {
        if let Some(p) = find(b"encoding", 0) {
            return label_at(p + b"encoding".len());
        }
    }
    None
}

type Table = Vec<Vec<Cell>>;

/// Table under construction.
#[derive(Default)]
struct Builder {
    rows: Table,
    /// Text of the open cell and its colspan, if a cell is open.
    cell: Option<(String, usize)>,
    row_open: bool,
}

impl Builder {
    fn close_cell(&mut self, cells: &mut usize) -> Result<(), EngineError> {
        if let Some((text, span)) = self.cell.take() {
            if !self.row_open {
                self.new_row(cells)?;
            }
            let row_index = self.rows.len().saturating_sub(1);
            let t = collapse_ws(&text);
            let Some(row) = self.rows.last_mut() else {
                return Ok(());
            };
            super::check_cell_text(&t, row_index, row.len())?;
            row.push(if t.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(t)
            });
            for _ in 1..span {
                row.push(Cell::Empty);
            }
            *cells += span;
            if row.len() > MAX_COLS {
                return Err(too_large_at(
                    what::COLUMNS,
                    MAX_COLS as u64,
                    row_index,
                    None,
                ));
            }
            if *cells > MAX_CELLS {
                return Err(too_large(what::CELLS, MAX_CELLS as u64));
            }
        }
        Ok(())
    }

    /// Starts a row; rows count toward the cell budget (an empty `<tr>` still costs).
    fn new_row(&mut self, cells: &mut usize) -> Result<(), EngineError> {
        if self.rows.len() >= MAX_ROWS {
            return Err(too_large(what::ROWS, MAX_ROWS as u64));
        }
        *cells += 1;
        if *cells > MAX_CELLS {
            return Err(too_large(what::CELLS, MAX_CELLS as u64));
        }
        self.rows.push(Vec::new());
        self.row_open = true;
        Ok(())
    }

    fn close_row(&mut self, cells: &mut usize) -> Result<(), EngineError> {
        self.close_cell(cells)?;
        self.row_open = false;
        Ok(())
    }

    fn open_row(&mut self, cells: &mut usize) -> Result<(), EngineError> {
        self.close_row(cells)?;
        self.new_row(cells)
    }
}

/// Collapses runs of whitespace (including NBSP) to one space and trims.
fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// All tables in the page, in document order of their start tags (nested tables are
/// separate tables; their text does not leak into the outer cell).
pub(crate) fn parse_tables(html: &str) -> Result<Vec<Table>, EngineError> {
    let mut done: Vec<(usize, Table)> = Vec::new(); // (start order, rows)
    let mut stack: Vec<(usize, Builder)> = Vec::new();
    let mut started = 0usize;
    let mut cells = 0usize;
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            // Text up to the next '<'.
            let end = html[i..].find('<').map_or(b.len(), |p| i + p);
            if let Some((_, t)) = stack.last_mut() {
                if let Some((cell, _)) = t.cell.as_mut() {
                    decode_entities_into(&html[i..end], cell);
                }
            }
            i = end;
            continue;
        }
        // Comments, doctype, processing instructions.
        if html[i..].starts_with("<!--") {
            i = html[i + 4..].find("-->").map_or(b.len(), |p| i + 4 + p + 3);
            continue;
        }
        if html[i..].starts_with("<!") || html[i..].starts_with("<?") {
            i = html[i..].find('>').map_or(b.len(), |p| i + p + 1);
            continue;
        }
        let Some(tag) = parse_tag(html, i) else {
            // A lone '<' is text.
            if let Some((_, t)) = stack.last_mut() {
                if let Some((cell, _)) = t.cell.as_mut() {
                    cell.push('<');
                }
            }
            i += 1;
            continue;
        };
        i = tag.end;
        let name = tag.name.as_str();
        if !tag.closing && (name == "script" || name == "style" || name == "title") {
            // Raw text: skip to the matching end tag.
            let close = format!("</{name}");
            i = match find_ascii_ci(&b[i..], close.as_bytes()) {
                Some(p) => html[i + p..].find('>').map_or(b.len(), |q| i + p + q + 1),
                None => b.len(),
            };
            continue;
        }
        match (name, tag.closing) {
            ("table", false) => {
                if stack.len() >= limits::MAX_HTML_DEPTH {
                    return Err(too_large(what::HTML_DEPTH, limits::MAX_HTML_DEPTH as u64));
                }
                if started >= limits::MAX_HTML_TABLES {
                    return Err(too_large(what::HTML_TABLES, limits::MAX_HTML_TABLES as u64));
                }
                stack.push((started, Builder::default()));
                started += 1;
            }
            ("table", true) => {
                if let Some((order, mut t)) = stack.pop() {
                    t.close_row(&mut cells)?;
                    done.push((order, t.rows));
                }
            }
            ("tr", false) => {
                if let Some((_, t)) = stack.last_mut() {
                    t.open_row(&mut cells)?;
                }
            }
            ("tr", true) => {
                if let Some((_, t)) = stack.last_mut() {
                    t.close_row(&mut cells)?;
                }
            }
            ("td" | "th", false) => {
                if let Some((_, t)) = stack.last_mut() {
                    t.close_cell(&mut cells)?;
                    let span = tag.colspan.clamp(1, 1000);
                    t.cell = Some((String::new(), span));
                }
            }
            ("td" | "th", true) => {
                if let Some((_, t)) = stack.last_mut() {
                    t.close_cell(&mut cells)?;
                }
            }
            ("thead" | "tbody" | "tfoot", _) => {
                if let Some((_, t)) = stack.last_mut() {
                    t.close_row(&mut cells)?;
                }
            }
            ("br" | "p" | "div" | "li" | "hr", _) => {
                if let Some((_, t)) = stack.last_mut() {
                    if let Some((cell, _)) = t.cell.as_mut() {
                        cell.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
    // Unclosed tables at the end of the page.
    while let Some((order, mut t)) = stack.pop() {
        t.close_row(&mut cells)?;
        done.push((order, t.rows));
    }
    done.sort_by_key(|(order, _)| *order);
    Ok(done
        .into_iter()
        .map(|(_, mut rows)| {
            // A `<tr>` that never got a cell (e.g. `<tr></tr>`) stays an empty row, but an
            // empty row implied after the last one is dropped.
            while rows.last().is_some_and(Vec::is_empty) {
                rows.pop();
            }
            rows
        })
        .collect())
}

/// Position of an ASCII `needle` (lowercase) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

struct Tag {
    name: String,
    closing: bool,
    colspan: usize,
    /// Byte offset just past the `>`.
    end: usize,
}

/// Parses a tag starting at `start` (which is `<`). Attribute values may be quoted and
/// contain `>`. Returns `None` when this `<` does not start a tag.
fn parse_tag(html: &str, start: usize) -> Option<Tag> {
    let b = html.as_bytes();
    let mut i = start + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b':' || b[i] == b'-') {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut colspan = 1;
    // Attributes.
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return Some(Tag {
                name,
                closing,
                colspan,
                end: b.len(),
            });
        }
        if b[i] == b'>' {
            return Some(Tag {
                name,
                closing,
                colspan,
                end: i + 1,
            });
        }
        let attr_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr = html[attr_start..i].to_ascii_lowercase();
        if i == attr_start {
            // Stray '=' or similar: skip it.
            i += 1;
            continue;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let vs = i + 1;
                let ve = html[vs..].find(q as char).map_or(b.len(), |p| vs + p);
                i = (ve + 1).min(b.len());
                &html[vs..ve]
            }
            _ => {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &html[vs..i]
            }
        };
        if attr == "colspan" {
            colspan = value.trim().parse().unwrap_or(1);
        }
    }
}

/// Appends `s` with character references decoded; unknown references are kept as written.
fn decode_entities_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |q| q + 1);
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                num.parse::<u32>().ok()
            };
            code.map(|c| char::from_u32(c).unwrap_or('\u{FFFD}'))
        } else {
            named_entity(name)
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                if rest.starts_with(';') {
                    rest = &rest[1..];
                }
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "yen" => '¥',
        "copy" => '©',
        "reg" => '®',
        "middot" => '·',
        "times" => '×',
        "divide" => '÷',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "deg" => '°',
        "plusmn" => '±',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.iter()
            .map(|r| r.iter().map(Cell::to_text).collect())
            .collect()
    }

    #[test]
    fn sloppy_tables() {
        let html = r#"<html><body><table><tr><td>a</td></tr></table>
            <TABLE border=1><tr class="x>y"><th>名称</th><TH>金额<br>(元)</th>
            <tr><td><b>A&amp;B</b></td><td>&yen;1,280&nbsp;</td>
            <tr><td colspan="2">合计 &#21512;&#x8BA1; &unknown; 5 &lt; 6</td></table>"#;
        let tables = parse_tables(html).unwrap();
        assert_eq!(tables.len(), 2);
        assert_eq!(
            texts(&tables[1]),
            vec![
                vec!["名称", "金额 (元)"],
                vec!["A&B", "¥1,280"],
                vec!["合计 合计 &unknown; 5 < 6", ""],
            ]
        );
    }

    #[test]
    fn nested_tables_do_not_leak() {
        let html =
            "<table><tr><td>x<table><tr><td>in</td></tr></table></td><td>y</td></tr></table>";
        let tables = parse_tables(html).unwrap();
        assert_eq!(texts(&tables[0]), vec![vec!["x", "y"]]);
        assert_eq!(texts(&tables[1]), vec![vec!["in"]]);
    }

    #[test]
    fn charset_declarations() {
        let b =
            br#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#;
        assert_eq!(declared_charset(b), Some(encoding_rs::GBK));
        assert_eq!(
            declared_charset(b"<meta charset='utf-8'>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_charset(b"<table>"), None);
    }
}
