//! Format detection from the bytes (never from the file name).

use super::text;
use crate::engine::error::EngineError;
use crate::engine::limits;
use crate::engine::table::Format;
use std::io::Cursor;

/// What the bytes look like, before any parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A spreadsheet container calamine reads: xlsx/xlsm, xlsb, xls or ods.
    Workbook(Format),
    /// An HTML page (a DMS "xls" that is really a web page with a `<table>`).
    Html,
    /// Plain text: CSV or TSV (the delimiter is decided later).
    Text,
}

const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from magic bytes and, for containers, from their entries.
pub fn sniff(bytes: &[u8]) -> Result<Sniffed, EngineError> {
    super::check_input_size(bytes.len() as u64)?;
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return sniff_ole2(bytes);
    }
    if let Some(what) = binary_magic(bytes) {
        return Err(unknown(what));
    }
    let prefix = ascii_prefix(bytes, 8192);
    let head = prefix.trim_start_matches(|c: char| c.is_ascii_whitespace());
    if head.starts_with('<') {
        if head.starts_with("<?xml")
            && (prefix.contains("urn:schemas-microsoft-com:office:spreadsheet")
                || prefix.contains("<workbook"))
            && !prefix.contains("<html")
        {
            return Err(unknown("XML Spreadsheet 2003 (save it as xlsx)"));
        }
        let is_html = head.starts_with("<html")
            || head.starts_with("<table")
            || head.starts_with("<!doctype html")
            || head.starts_with("<head")
            || head.starts_with("<body")
            || head.starts_with("<meta")
            || head.starts_with("<!--")
            || head.starts_with("<?xml")
            || head.starts_with("<style");
        if is_html && (prefix.contains("<html") || prefix.contains("<table")) {
            return Ok(Sniffed::Html);
        }
    }
    if head.starts_with("mime-version:") {
        return Err(unknown("MHTML web archive (save it as xlsx)"));
    }
    if head.starts_with("{\\rtf") {
        return Err(unknown("RTF document"));
    }
    if looks_binary(bytes) {
        return Err(unknown("binary data"));
    }
    Ok(Sniffed::Text)
}

fn unknown(what: &str) -> EngineError {
    EngineError::UnknownFormat {
        detected: what.to_string(),
    }
}

/// Well-known non-spreadsheet binary formats.
fn binary_magic(b: &[u8]) -> Option<&'static str> {
    const TABLE: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"Rar!\x1a\x07", "RAR archive"),
        (b"7z\xBC\xAF\x27\x1C", "7z archive"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\xFD7zXZ\x00", "xz archive"),
        (b"\x00asm", "WebAssembly"),
        (b"\x7FELF", "executable"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
        (b"\x00\x00\x01\x00", "icon"),
    ];
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Some("WebP image");
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return Some("video");
    }
    TABLE
        .iter()
        .find(|(magic, _)| b.starts_with(magic))
        .map(|(_, what)| *what)
}

/// The first `limit` bytes as lowercase ASCII (UTF-16 read as its low bytes, BOMs skipped,
/// other non-ASCII bytes as `?`), for finding markers such as `<html`.
fn ascii_prefix(bytes: &[u8], limit: usize) -> String {
    let utf16 = match text::bom(bytes) {
        Some((enc, _)) if enc == encoding_rs::UTF_16LE => Some((2usize, true)),
        Some((enc, _)) if enc == encoding_rs::UTF_16BE => Some((2usize, false)),
        Some(_) => None,
        None => match text::guess_utf16_without_bom(bytes) {
            Some(enc) if enc == encoding_rs::UTF_16LE => Some((0, true)),
            Some(_) => Some((0, false)),
            None => None,
        },
    };
    let to_char = |b: u8| {
        if b.is_ascii() {
            b.to_ascii_lowercase() as char
        } else {
            '?'
        }
    };
    match utf16 {
        Some((skip, le)) => bytes[skip..]
            .chunks_exact(2)
            .take(limit)
            .map(|p| {
                let (lo, hi) = if le { (p[0], p[1]) } else { (p[1], p[0]) };
                if hi == 0 {
                    to_char(lo)
                } else {
                    '?'
                }
            })
            .collect(),
        None => {
            let skip = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
                3
            } else {
                0
            };
            bytes[skip..]
                .iter()
                .take(limit)
                .map(|&b| to_char(b))
                .collect()
        }
    }
}

/// Text has almost no control characters; binary data has many (and NULs).
/// UTF-16 text is recognised first (its NULs are expected).
fn looks_binary(bytes: &[u8]) -> bool {
    if matches!(text::bom(bytes), Some((e, _)) if e != encoding_rs::UTF_8)
        || text::guess_utf16_without_bom(bytes).is_some()
    {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    // Some exports pad the end with NULs; ignore a trailing run.
    let end = sample.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
    let sample = &sample[..end];
    if sample.is_empty() {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    nuls * 100 > sample.len() || controls * 50 > sample.len()
}

fn sniff_zip(bytes: &[u8]) -> Result<Sniffed, EngineError> {
    super::zipguard::precheck(bytes)?;
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| EngineError::Corrupt {
        format: "zip".into(),
        detail: super::short(&e.to_string()),
    })?;
    if zip.len() as u64 > limits::MAX_ZIP_ENTRIES {
        return Err(super::too_large(
            limits::what::ZIP_ENTRIES,
            limits::MAX_ZIP_ENTRIES,
        ));
    }
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_ascii_lowercase())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        return Ok(Sniffed::Workbook(Format::Xlsx));
    }
    if has("xl/workbook.bin") {
        return Ok(Sniffed::Workbook(Format::Xlsb));
    }
    if has("content.xml") && has("mimetype") {
        let mime = zip_mimetype(bytes).unwrap_or_default();
        if mime.starts_with("application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Sniffed::Workbook(Format::Ods));
        }
        if mime.starts_with("application/vnd.oasis.opendocument.text") {
            return Err(unknown("OpenDocument text (odt)"));
        }
        if mime.starts_with("application/vnd.oasis.opendocument") {
            return Err(unknown("OpenDocument file (not a spreadsheet)"));
        }
    }
    if has("[content_types].xml") || has("_rels/.rels") {
        // The workbook part may live outside `xl/` (calamine follows the relationships).
        if names.iter().any(|n| n.ends_with("/workbook.xml")) {
            return Ok(Sniffed::Workbook(Format::Xlsx));
        }
        if names.iter().any(|n| n.ends_with("/workbook.bin")) {
            return Ok(Sniffed::Workbook(Format::Xlsb));
        }
        if has("word/document.xml") {
            return Err(unknown("Word document (docx)"));
        }
        if has("ppt/presentation.xml") {
            return Err(unknown("PowerPoint presentation (pptx)"));
        }
        return Err(unknown("Office Open XML file (not a workbook)"));
    }
    Err(unknown("ZIP archive"))
}

fn zip_mimetype(bytes: &[u8]) -> Option<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let f = zip.by_name("mimetype").ok()?;
    let mut s = String::new();
    f.take(200).read_to_string(&mut s).ok()?;
    Some(s.trim().to_string())
}

fn sniff_ole2(bytes: &[u8]) -> Result<Sniffed, EngineError> {
    let Some(names) = ole2_entry_names(bytes) else {
        // Unreadable directory: let the xls reader say what is wrong.
        return Ok(Sniffed::Workbook(Format::Xls));
    };
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return Err(EngineError::Encrypted);
    }
    if has("Workbook") || has("Book") {
        return Ok(Sniffed::Workbook(Format::Xls));
    }
    if has("WordDocument") {
        return Err(unknown("Word document (doc)"));
    }
    if has("PowerPoint Document") {
        return Err(unknown("PowerPoint presentation (ppt)"));
    }
    Err(unknown("OLE2 compound file (not a workbook)"))
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    b.get(off..off + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    b.get(off..off + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Names of all entries in an OLE2 (Compound File Binary) directory, or `None` when the
/// structure cannot be followed. Bounded by the file size; never allocates more than it.
pub(crate) fn ole2_entry_names(b: &[u8]) -> Option<Vec<String>> {
    const END: u32 = 0xFFFF_FFFA; // every value from here up is a marker, not a sector
    let shift = u16_at(b, 0x1E)?;
    if shift != 9 && shift != 12 {
        return None;
    }
    let ss = 1usize << shift;
    let n_sectors = b.len().saturating_sub(ss) / ss + 1;
    let sector = |s: u32| -> Option<&[u8]> {
        let start = (s as usize).checked_add(1)?.checked_mul(ss)?;
        b.get(start..start.checked_add(ss)?)
    };
    // FAT sector numbers: 109 in the header, more in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(b, 0x4C + 4 * i))
        .filter(|&s| s < END)
        .collect();
    let mut difat = u32_at(b, 0x44)?;
    let mut guard = 0;
    while difat < END && guard < n_sectors {
        let sec = sector(difat)?;
        let per = ss / 4 - 1;
        fat_sectors.extend(
            (0..per)
                .filter_map(|i| u32_at(sec, 4 * i))
                .filter(|&s| s < END),
        );
        difat = u32_at(sec, ss - 4)?;
        guard += 1;
    }
    fat_sectors.truncate(n_sectors);
    let mut fat: Vec<u32> = Vec::with_capacity(fat_sectors.len() * ss / 4);
    for s in fat_sectors {
        let sec = sector(s)?;
        fat.extend((0..ss / 4).filter_map(|i| u32_at(sec, 4 * i)));
    }
    let mut names = Vec::new();
    let mut dir = u32_at(b, 0x30)?;
    let mut guard = 0;
    while dir < END {
        if guard > n_sectors {
            return None;
        }
        guard += 1;
        let sec = sector(dir)?;
        for entry in sec.chunks_exact(128) {
            let len = u16_at(entry, 0x40)? as usize;
            let kind = entry[0x42];
            if kind == 0 || !(2..=64).contains(&len) {
                continue;
            }
            let units: Vec<u16> = entry[..len - 2]
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            names.push(String::from_utf16_lossy(&units));
        }
        dir = *fat.get(dir as usize)?;
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_binary() {
        assert_eq!(sniff(b"a,b\n1,2\n").unwrap(), Sniffed::Text);
        assert_eq!(
            sniff(b"  \r\n<!DOCTYPE html><html><table>").unwrap(),
            Sniffed::Html
        );
        assert_eq!(sniff(b"\xEF\xBB\xBF<table><tr>").unwrap(), Sniffed::Html);
        assert!(matches!(
            sniff(b"%PDF-1.7\n"),
            Err(EngineError::UnknownFormat { detected }) if detected == "PDF"
        ));
        assert!(matches!(
            sniff(&[1, 2, 3, 0, 0, 5, 6, 200, 3, 4]),
            Err(EngineError::UnknownFormat { .. })
        ));
        let le: Vec<u8> = "\u{feff}<html><table>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&le).unwrap(), Sniffed::Html);
    }
}
