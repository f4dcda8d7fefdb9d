//! A small, allocation-free XML tag scanner for the guards that look inside workbook parts
//! before calamine does (`<sst uniqueCount>`, ods repeat counts). It is not a validating
//! parser: it splits bytes into start tags, end tags and text, skips comments, processing
//! instructions and DOCTYPE declarations (entities are never expanded), and is linear in
//! the input.

/// One piece of an XML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// `<name attrs>` or `<name attrs/>` (`empty`).
    Start {
        name: &'a [u8],
        attrs: &'a [u8],
        empty: bool,
    },
    /// `</name>`.
    End { name: &'a [u8] },
    /// Character data (raw, entities not decoded) or a CDATA section's content.
    Text(&'a [u8]),
}

/// Iterates the tokens of `bytes`. A tag cut off by the end of the input ends the scan.
pub(crate) struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Scanner { b, i: 0 }
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The position just past the `>` closing a tag that starts at `from`, skipping quoted
/// attribute values.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let mut i = from;
    while let Some(&c) = b.get(i) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i + 1),
            None => {}
        }
        i += 1;
    }
    None
}

/// The end of a `<!DOCTYPE ...>` declaration (an internal subset in `[...]` may contain
/// `>`), just past its `>`.
fn doctype_end(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = from;
    while let Some(&c) = b.get(i) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Some(i + 1),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

fn is_name_end(c: u8) -> bool {
    c.is_ascii_whitespace() || c == b'>' || c == b'/'
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let b = self.b;
        loop {
            let i = self.i;
            if i >= b.len() {
                return None;
            }
            if b[i] != b'<' {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'<')
                    .map_or(b.len(), |p| i + p);
                self.i = end;
                return Some(Token::Text(&b[i..end]));
            }
            let rest = &b[i..];
            if rest.starts_with(b"<!--") {
                self.i = find(b, i + 4, b"-->").map_or(b.len(), |p| p + 3);
                continue;
            }
            if rest.starts_with(b"<![CDATA[") {
                let start = i + 9;
                let (end, next) = match find(b, start, b"]]>") {
                    Some(p) => (p, p + 3),
                    None => (b.len(), b.len()),
                };
                self.i = next;
                return Some(Token::Text(&b[start..end]));
            }
            if rest.starts_with(b"<?") {
                self.i = find(b, i + 2, b"?>").map_or(b.len(), |p| p + 2);
                continue;
            }
            if rest.starts_with(b"<!") {
                self.i = doctype_end(b, i + 2).unwrap_or(b.len());
                continue;
            }
            let closing = rest.get(1) == Some(&b'/');
            let name_start = i + if closing { 2 } else { 1 };
            let name_end = b[name_start..]
                .iter()
                .position(|&c| is_name_end(c))
                .map_or(b.len(), |p| name_start + p);
            let Some(end) = tag_end(b, name_end) else {
                self.i = b.len();
                return None;
            };
            self.i = end;
            let name = &b[name_start..name_end];
            if closing {
                return Some(Token::End { name });
            }
            // `end - 1` is the `>`; a `/` just before it makes the element empty.
            let inner_end = end - 1;
            let empty = inner_end > name_end && b[inner_end - 1] == b'/';
            let attrs_end = if empty { inner_end - 1 } else { inner_end };
            return Some(Token::Start {
                name,
                attrs: &b[name_end..attrs_end.max(name_end)],
                empty,
            });
        }
    }
}

/// The part of a qualified name after its prefix (`x:sst` → `sst`).
pub(crate) fn local_name(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&c| c == b':') {
        Some(p) => &name[p + 1..],
        None => name,
    }
}

/// The attributes of a start tag as (qualified name, raw value) pairs.
pub(crate) fn attributes(attrs: &[u8]) -> Attributes<'_> {
    Attributes { b: attrs, i: 0 }
}

pub(crate) struct Attributes<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        loop {
            while self.i < b.len() && (b[self.i].is_ascii_whitespace() || b[self.i] == b'/') {
                self.i += 1;
            }
            if self.i >= b.len() {
                return None;
            }
            let name_start = self.i;
            while self.i < b.len() && !b[self.i].is_ascii_whitespace() && b[self.i] != b'=' {
                self.i += 1;
            }
            let name = &b[name_start..self.i];
            while self.i < b.len() && b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            if b.get(self.i) != Some(&b'=') {
                if name.is_empty() {
                    self.i += 1;
                    continue;
                }
                return Some((name, &[]));
            }
            self.i += 1;
            while self.i < b.len() && b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            let value = match b.get(self.i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let vs = self.i + 1;
                    let ve = b[vs..]
                        .iter()
                        .position(|&c| c == q)
                        .map_or(b.len(), |p| vs + p);
                    self.i = (ve + 1).min(b.len());
                    &b[vs..ve]
                }
                _ => {
                    let vs = self.i;
                    while self.i < b.len() && !b[self.i].is_ascii_whitespace() {
                        self.i += 1;
                    }
                    &b[vs..self.i]
                }
            };
            return Some((name, value));
        }
    }
}

/// The value of the attribute `name` (qualified name compared exactly), if present.
pub(crate) fn attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    attributes(attrs).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// An attribute value as a count, the way a Rust `parse::<usize>()` after entity decoding
/// would read it, but saturating instead of failing on overflow (a huge count is what the
/// guards look for). `None` when it is not a number.
pub(crate) fn count(value: &[u8]) -> Option<u64> {
    let decoded = decode_refs(value);
    let digits = decoded.strip_prefix(b"+").unwrap_or(&decoded);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// Decodes the predefined entities and ASCII character references of an attribute value
/// (others are kept as written).
fn decode_refs(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'&' {
            if let Some(semi) = v[i..].iter().take(12).position(|&c| c == b';') {
                let ent = &v[i + 1..i + semi];
                let ch: Option<u32> = match ent {
                    b"lt" => Some(u32::from(b'<')),
                    b"gt" => Some(u32::from(b'>')),
                    b"amp" => Some(u32::from(b'&')),
                    b"apos" => Some(u32::from(b'\'')),
                    b"quot" => Some(u32::from(b'"')),
                    [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok()),
                    [b'#', dec @ ..] => std::str::from_utf8(dec).ok().and_then(|d| d.parse().ok()),
                    _ => None,
                };
                if let Some(c) = ch.filter(|c| *c < 0x80) {
                    out.push(c as u8);
                    i += semi + 1;
                    continue;
                }
            }
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

/// Characters in raw character data, an entity or character reference counting as one.
pub(crate) fn text_chars(t: &[u8]) -> u64 {
    let mut n = 0u64;
    let mut i = 0;
    while i < t.len() {
        let c = t[i];
        if c == b'&' {
            if let Some(semi) = t[i..].iter().take(12).position(|&c| c == b';') {
                n += 1;
                i += semi + 1;
                continue;
            }
        }
        // Count the first byte of each UTF-8 sequence.
        if c & 0xC0 != 0x80 {
            n += 1;
        }
        i += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let xml = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "<b>">]><!-- c --><x:sst a="1>2" uniqueCount='5'><si/>t&amp;<![CDATA[<z>]]></x:sst>"#;
        let toks: Vec<Token> = Scanner::new(xml).collect();
        assert_eq!(
            toks,
            vec![
                Token::Start {
                    name: b"x:sst",
                    attrs: br#" a="1>2" uniqueCount='5'"#,
                    empty: false
                },
                Token::Start {
                    name: b"si",
                    attrs: b"",
                    empty: true
                },
                Token::Text(b"t&amp;"),
                Token::Text(b"<z>"),
                Token::End { name: b"x:sst" },
            ]
        );
        assert_eq!(local_name(b"x:sst"), b"sst");
        let attrs = br#" a="1>2" uniqueCount='5' b=7"#;
        assert_eq!(attr(attrs, b"uniqueCount"), Some(&b"5"[..]));
        assert_eq!(attr(attrs, b"b"), Some(&b"7"[..]));
        assert_eq!(count(b"&#52;2"), Some(42));
        assert_eq!(count(b"+7"), Some(7));
        assert_eq!(count(b"99999999999999999999999"), Some(u64::MAX));
        assert_eq!(count(b" 7"), None);
        assert_eq!(text_chars("a&amp;客".as_bytes()), 3);
        // A cut-off tag ends the scan.
        assert_eq!(Scanner::new(b"<a b='").count(), 0);
    }
}
