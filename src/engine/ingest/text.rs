//! Text decoding for CSV/TSV/HTML input.
//!
//! `Auto`: a UTF-8 BOM is stripped (`utf-8-bom`), a UTF-16 BOM selects UTF-16
//! (`utf-16le`/`utf-16be`), BOM-less UTF-16 is recognised from its NUL bytes, valid UTF-8 is
//! `utf-8`, anything else is decoded as GB18030 (a superset of GBK/GB2312, `gb18030`).

use super::EncodingChoice;
use crate::engine::error::EngineError;
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

/// Text decoded from bytes, with the name of the encoding used. Valid UTF-8 is borrowed from
/// the bytes, not copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// `utf-8`, `utf-8-bom`, `gb18030`, `utf-16le`, `utf-16be` (or another encoding_rs name,
    /// lowercase, when an HTML page declares one).
    pub encoding: String,
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Which BOM (if any) starts the bytes.
pub(crate) fn bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    if bytes.starts_with(UTF8_BOM) {
        Some((UTF_8, 3))
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some((UTF_16LE, 2))
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some((UTF_16BE, 2))
    } else {
        None
    }
}

/// Guesses BOM-less UTF-16 from the NUL bytes of mostly-ASCII text: many NULs at odd
/// offsets and almost none at even offsets means little-endian, and the reverse big-endian.
pub(crate) fn guess_utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(4096) & !1;
    if n < 4 {
        return None;
    }
    let pairs = n / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, b) in bytes[..n].iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    // At least a fifth of the code units are ASCII on one side, and the other side is clean.
    if odd * 5 >= pairs && even * 50 <= pairs {
        Some(UTF_16LE)
    } else if even * 5 >= pairs && odd * 50 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Our report name for an encoding.
pub(crate) fn encoding_name(enc: &'static Encoding, with_bom: bool) -> String {
    if enc == UTF_8 {
        if with_bom { "utf-8-bom" } else { "utf-8" }.to_string()
    } else if enc == GB18030 || enc == encoding_rs::GBK {
        "gb18030".to_string()
    } else if enc == UTF_16LE {
        "utf-16le".to_string()
    } else if enc == UTF_16BE {
        "utf-16be".to_string()
    } else {
        enc.name().to_ascii_lowercase()
    }
}

/// Decodes with exactly this encoding, failing on malformed input. A BOM of the same
/// encoding is stripped.
pub(crate) fn decode_strict<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Option<Decoded<'a>> {
    let (body, with_bom) = match bom(bytes) {
        Some((b, len)) if b == enc => (&bytes[len..], true),
        _ => (bytes, false),
    };
    if enc == UTF_8 {
        // Fast path without a copy through encoding_rs.
        return std::str::from_utf8(body).ok().map(|s| Decoded {
            text: Cow::Borrowed(s),
            encoding: encoding_name(enc, with_bom),
        });
    }
    // GBK in encoding_rs decodes as GB18030; decode with the superset.
    let dec_enc = if enc == encoding_rs::GBK {
        GB18030
    } else {
        enc
    };
    dec_enc
        .decode_without_bom_handling_and_without_replacement(body)
        .map(|text| Decoded {
            text: fitted(text),
            encoding: encoding_name(enc, false),
        })
}

/// A decoded text without the spare room the decoder reserved for the longest possible
/// output (up to half the input again for GB18030), which would otherwise stay allocated
/// while the text is parsed.
fn fitted(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Owned(mut s) => {
            s.shrink_to_fit();
            Cow::Owned(s)
        }
        borrowed => borrowed,
    }
}

/// Decodes, replacing malformed sequences with U+FFFD.
pub(crate) fn decode_lossy<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Decoded<'a> {
    let (body, with_bom) = match bom(bytes) {
        Some((b, len)) if b == enc => (&bytes[len..], true),
        _ => (bytes, false),
    };
    let dec_enc = if enc == encoding_rs::GBK {
        GB18030
    } else {
        enc
    };
    let (text, _) = dec_enc.decode_without_bom_handling(body);
    Decoded {
        text: fitted(text),
        encoding: encoding_name(enc, with_bom),
    }
}

/// Automatic detection: BOM, BOM-less UTF-16, UTF-8, else GB18030.
pub(crate) fn decode_auto(bytes: &[u8]) -> Decoded<'_> {
    if let Some((enc, _)) = bom(bytes) {
        return decode_lossy(bytes, enc);
    }
    if let Some(enc) = guess_utf16_without_bom(bytes) {
        return decode_lossy(bytes, enc);
    }
    if let Some(d) = decode_strict(bytes, UTF_8) {
        return d;
    }
    decode_lossy(bytes, GB18030)
}

/// Decodes text as the user asked (or detects it).
pub(crate) fn decode(bytes: &[u8], choice: EncodingChoice) -> Result<Decoded<'_>, EngineError> {
    match choice {
        EncodingChoice::Auto => Ok(decode_auto(bytes)),
        EncodingChoice::Utf8 => decode_strict(bytes, UTF_8).ok_or_else(|| bad_encoding("utf-8")),
        EncodingChoice::Gb18030 => {
            decode_strict(bytes, GB18030).ok_or_else(|| bad_encoding("gb18030"))
        }
        EncodingChoice::Utf16 => {
            let enc = match bom(bytes) {
                Some((e, _)) if e == UTF_16LE || e == UTF_16BE => e,
                _ => guess_utf16_without_bom(bytes).unwrap_or(UTF_16LE),
            };
            if bytes.len() % 2 != 0 {
                return Err(bad_encoding("utf-16"));
            }
            decode_strict(bytes, enc).ok_or_else(|| bad_encoding("utf-16"))
        }
    }
}

fn bad_encoding(name: &str) -> EngineError {
    EngineError::BadEncoding {
        encoding: name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_detection() {
        assert_eq!(decode_auto(b"a,b").encoding, "utf-8");
        assert_eq!(decode_auto(b"\xEF\xBB\xBFa,b").text, "a,b");
        assert_eq!(decode_auto(b"\xEF\xBB\xBFa,b").encoding, "utf-8-bom");
        // UTF-8 is read in place; other encodings are decoded into a new text.
        assert!(matches!(
            decode_auto(b"\xEF\xBB\xBFa,b").text,
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            decode_auto("客户".as_bytes()).text,
            Cow::Borrowed(_)
        ));
        let (gbk, _, _) = encoding_rs::GBK.encode("客户,金额");
        let d = decode_auto(&gbk);
        assert_eq!((&*d.text, d.encoding.as_str()), ("客户,金额", "gb18030"));
        let le: Vec<u8> = "a,b\n1,2"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode_auto(&le);
        assert_eq!((&*d.text, d.encoding.as_str()), ("a,b\n1,2", "utf-16le"));
        let be: Vec<u8> = "a,b\n1,2"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode_auto(&be).encoding, "utf-16be");
    }

    #[test]
    fn explicit_choice_fails_cleanly() {
        let (gbk, _, _) = encoding_rs::GBK.encode("客户");
        assert!(matches!(
            decode(&gbk, EncodingChoice::Utf8),
            Err(EngineError::BadEncoding { .. })
        ));
        assert_eq!(decode(&gbk, EncodingChoice::Gb18030).unwrap().text, "客户");
        assert!(decode(b"abc", EncodingChoice::Utf16).is_err());
    }
}
