//! xls (OLE2 compound file, BIFF records) checked before calamine sees it.
//!
//! calamine's xls reader parses every sheet when the workbook is opened and trusts the
//! file's structure:
//! - sector chains are followed without loop detection (a chain that points back at
//!   itself loops forever or copies the same sector up to the stream's declared size, up
//!   to 4 GiB), and the FAT is rebuilt once per DIFAT entry (duplicated entries multiply
//!   it);
//! - each sheet becomes a dense `Range` of its used rectangle (two cells at A1 and at
//!   row 65,536 / column 65,536 ask for 4 billion cells), `DIMENSIONS` is reserved as
//!   announced, and every `LABELSST` cell clones its shared string;
//! - `CONTINUE` records are consumed with `Vec::remove(0)` (quadratic);
//! - a file ending inside a FAT sector trips an assertion (`utils::to_u32`).
//!
//! [`check`] mirrors the reader's steps on the bytes (where calamine would fail with an
//! error, the check stops and lets it), and rejects what would loop, exceed
//! [`limits::MAX_DENSE_CELLS`] or [`limits::MAX_TEXT_BYTES`], or panic on a malformed
//! structure.

use super::too_large;
use crate::engine::error::EngineError;
use crate::engine::limits::{self, what};

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Most `CONTINUE` records after one record (about 160 MB of full continuations).
const MAX_CONTINUES: usize = 20_000;

/// Why the mirror stopped.
enum Stop {
    /// calamine would return an error here: nothing more to guard.
    CalamineFails,
    /// The file is rejected.
    Reject(EngineError),
}

impl From<EngineError> for Stop {
    fn from(e: EngineError) -> Self {
        Stop::Reject(e)
    }
}

fn corrupt(detail: &str) -> Stop {
    Stop::Reject(EngineError::Corrupt {
        format: "xls".into(),
        detail: detail.to_string(),
    })
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// Checks an OLE2 file the xls reader is about to open.
pub(crate) fn check(bytes: &[u8]) -> Result<(), EngineError> {
    match check_inner(bytes) {
        Ok(()) | Err(Stop::CalamineFails) => Ok(()),
        Err(Stop::Reject(e)) => Err(e),
    }
}

fn check_inner(bytes: &[u8]) -> Result<(), Stop> {
    let cfb = Cfb::open(bytes)?;
    let stream = match cfb.stream("Workbook") {
        Ok(s) => s,
        Err(Stop::CalamineFails) => cfb.stream("Book")?,
        Err(e) => return Err(e),
    };
    biff(&stream)
}

// ---------------------------------------------------------------------------------------
// The compound file, read the way calamine's `cfb` module reads it.

struct Dir {
    name: String,
    start: u32,
    len: u64,
}

struct Cfb<'a> {
    /// The file after its header: sector `id` starts at `id * ss`.
    data: &'a [u8],
    /// How far calamine's sector buffer extends (it grows to the end of every sector
    /// asked for, zero-filled past the end of the file).
    reached: std::cell::Cell<usize>,
    ss: usize,
    maxid: u64,
    fats: Vec<u32>,
    dirs: Vec<Dir>,
    mini_fats: Vec<u32>,
    ministream: Vec<u8>,
}

impl<'a> Cfb<'a> {
    fn open(b: &'a [u8]) -> Result<Cfb<'a>, Stop> {
        if b.len() < 512 || !b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(Stop::CalamineFails);
        }
        let version = u16_at(b, 26).ok_or(Stop::CalamineFails)?;
        let ss: usize = match u16_at(b, 30) {
            Some(9) => 512,
            Some(12) if b.len() >= 4096 => 4096,
            _ => return Err(Stop::CalamineFails),
        };
        if u16_at(b, 32) != Some(6) {
            return Err(Stop::CalamineFails);
        }
        let field = |at| u32_at(b, at).ok_or(Stop::CalamineFails);
        let dir_start = field(48)?;
        let mini_fat_start = field(60)?;
        let mini_fat_len = u64::from(field(64)?);
        let difat_start = field(68)?;
        let mut cfb = Cfb {
            data: &b[ss..],
            reached: std::cell::Cell::new(0),
            ss,
            maxid: (b.len() / ss) as u64,
            fats: Vec::new(),
            dirs: Vec::new(),
            mini_fats: Vec::new(),
            ministream: Vec::new(),
        };
        // DIFAT: the header's 109 entries, then the DIFAT sector chain (calamine bounds
        // it by the sector count).
        let mut difat: Vec<u32> = u32s(&b[76..512]).collect();
        let mut id = difat_start;
        let mut steps = 0u64;
        while id < RESERVED {
            steps += 1;
            if steps > cfb.maxid + 1 {
                return Err(Stop::CalamineFails);
            }
            difat.extend(u32s(cfb.table_sector(id)?));
            id = difat.pop().ok_or(Stop::CalamineFails)?;
        }
        // FAT: one sector per DIFAT entry. More FAT sectors than sectors in the file
        // means duplicated entries, which calamine would copy again and again.
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
        if fat_sectors.len() as u64 > cfb.maxid + 1 {
            return Err(corrupt("the FAT lists more sectors than the file has"));
        }
        for id in fat_sectors {
            let s = cfb.table_sector(id)?;
            cfb.fats.extend(u32s(s));
        }
        // Directory: a chain without a declared length (calamine follows it until
        // ENDOFCHAIN, forever if it loops).
        let dirs = cfb.chain(dir_start, u64::MAX)?;
        for c in dirs.chunks_exact(128) {
            let units: Vec<u16> = c[..64]
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(p) = name.find('\0') {
                name.truncate(p);
            }
            let start = u32_at(c, 116).unwrap_or(ENDOFCHAIN);
            let len = if ss == 512 {
                u64::from(u32_at(c, 120).unwrap_or(0))
            } else {
                let lo = u64::from(u32_at(c, 120).unwrap_or(0));
                let hi = u64::from(u32_at(c, 124).unwrap_or(0));
                if hi != 0 {
                    // calamine's `try_into().unwrap()` panics on a 32-bit target (wasm).
                    return Err(corrupt("a stream is larger than 4 GiB"));
                }
                lo
            };
            cfb.dirs.push(Dir { name, start, len });
        }
        let Some(root) = cfb.dirs.first() else {
            return Err(Stop::CalamineFails);
        };
        if version != 3 && root.start == ENDOFCHAIN {
            return Err(Stop::CalamineFails);
        }
        if mini_fat_len > 0 {
            let (start, len) = (root.start, root.len);
            cfb.ministream = cfb.chain(start, len)?;
            let minifat = cfb.chain(mini_fat_start, mini_fat_len.saturating_mul(ss as u64))?;
            if minifat.len() % 4 != 0 {
                return Err(corrupt("the mini FAT is cut off"));
            }
            cfb.mini_fats = u32s(&minifat).collect();
        }
        Ok(cfb)
    }

    /// A sector as calamine's `Sectors::get` reads it: short at the end of the file, and
    /// a panic (slicing `start..len` with `start > len`) for one that starts past the end
    /// of what it has read. Sectors in its zero-filled area are returned short here.
    fn sector(&self, id: u32) -> Result<&'a [u8], Stop> {
        if u64::from(id) > self.maxid {
            return Err(Stop::CalamineFails);
        }
        let start = (id as usize).saturating_mul(self.ss);
        let end = start.saturating_add(self.ss);
        let have = self.reached.get();
        if end > have {
            let len = have.max(end.min(self.data.len()));
            self.reached.set(end);
            if len < end && start > len {
                return Err(corrupt("a sector lies past the end of the file"));
            }
        }
        let real_end = end.min(self.data.len());
        Ok(self.data.get(start..real_end).unwrap_or(&[]))
    }

    /// A DIFAT or FAT sector. calamine asserts that its length is a multiple of 4 (a
    /// panic when the file ends inside one).
    fn table_sector(&self, id: u32) -> Result<&'a [u8], Stop> {
        let s = self.sector(id)?;
        if s.len() % 4 != 0 {
            return Err(corrupt("the file ends inside a FAT sector"));
        }
        Ok(s)
    }

    /// The bytes of a sector chain, at most `len`. A chain longer than the file has
    /// sectors loops: calamine would follow it until `len` (or forever).
    fn chain(&self, start: u32, len: u64) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0u64;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.maxid + 2 {
                return Err(corrupt("a sector chain loops"));
            }
            let s = self.sector(id)?;
            let remaining = len.saturating_sub(out.len() as u64);
            let take = s
                .len()
                .min(usize::try_from(remaining).unwrap_or(usize::MAX));
            out.extend_from_slice(&s[..take]);
            if out.len() as u64 >= len {
                break;
            }
            // calamine indexes the FAT without a check (a panic on a bad sector number).
            id = *self
                .fats
                .get(id as usize)
                .ok_or_else(|| corrupt("a sector chain leaves the FAT"))?;
        }
        Ok(out)
    }

    /// A stream by name (ASCII case-insensitive, the first match), as calamine's
    /// `get_stream` reads it: below 4096 bytes from the mini stream.
    fn stream(&self, name: &str) -> Result<Vec<u8>, Stop> {
        let d = self
            .dirs
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
            .ok_or(Stop::CalamineFails)?;
        if d.len >= 4096 {
            return self.chain(d.start, d.len);
        }
        // Mini stream: 64-byte sectors in `ministream`, chained by the mini FAT. The
        // length is below 4096, so a loop is bounded; calamine reads a mini sector past
        // the mini stream from wherever its reader is, which this takes as zeros.
        let mut out = Vec::new();
        let mut id = d.start;
        let len = d.len as usize;
        while id != ENDOFCHAIN {
            if u64::from(id) > self.maxid * 8 {
                return Err(Stop::CalamineFails);
            }
            let start = (id as usize) * 64;
            let mut sector = [0u8; 64];
            if let Some(avail) = self.ministream.get(start..) {
                let n = avail.len().min(64);
                sector[..n].copy_from_slice(&avail[..n]);
            }
            let take = (len - out.len()).min(64);
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            id = *self
                .mini_fats
                .get(id as usize)
                .ok_or_else(|| corrupt("a mini sector chain leaves the mini FAT"))?;
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------
// BIFF records, iterated the way calamine's `RecordIter` does.

struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

struct Records<'a> {
    rest: &'a [u8],
}

impl<'a> Records<'a> {
    /// The next record, `Ok(None)` at the end, `Err` where calamine fails.
    fn next_record(&mut self) -> Result<Option<Record<'a>>, Stop> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let typ = u16_at(self.rest, 0).ok_or(Stop::CalamineFails)?;
        let len = usize::from(u16_at(self.rest, 2).ok_or(Stop::CalamineFails)?);
        if self.rest.len() < len + 4 {
            return Err(Stop::CalamineFails);
        }
        let data = &self.rest[4..len + 4];
        self.rest = &self.rest[len + 4..];
        let mut cont = Vec::new();
        if self.rest.len() > 4 && u16_at(self.rest, 0) == Some(0x003C) {
            while self.rest.len() > 4 && u16_at(self.rest, 0) == Some(0x003C) {
                let len = usize::from(u16_at(self.rest, 2).ok_or(Stop::CalamineFails)?);
                if self.rest.len() < len + 4 {
                    return Err(Stop::CalamineFails);
                }
                cont.push(&self.rest[4..len + 4]);
                self.rest = &self.rest[len + 4..];
                if cont.len() > MAX_CONTINUES {
                    return Err(corrupt("a record has too many CONTINUE parts"));
                }
            }
        }
        Ok(Some(Record { typ, data, cont }))
    }
}

/// A record's data, its continuations after it.
struct Cursor<'a> {
    data: &'a [u8],
    cont: &'a [&'a [u8]],
}

impl<'a> Cursor<'a> {
    fn next_part(&mut self) -> bool {
        match self.cont.split_first() {
            Some((first, rest)) => {
                self.data = first;
                self.cont = rest;
                true
            }
            None => false,
        }
    }

    fn skip(&mut self, mut len: u64) -> Result<(), Stop> {
        while len > 0 {
            if self.data.is_empty() && !self.next_part() {
                return Err(Stop::CalamineFails);
            }
            let l = (self.data.len() as u64).min(len) as usize;
            self.data = &self.data[l..];
            len -= l as u64;
        }
        Ok(())
    }
}

/// The UTF-8 size bound of each string of an SST record (calamine's `parse_sst` and
/// `read_rich_extended_string`).
fn sst_sizes(r: &Record<'_>, codepage: u16) -> Result<Vec<u64>, Stop> {
    // `read_dbcs` always passes the string's own high-byte flag, so the width follows the
    // flag whatever the code page; the code page only changes how the bytes decode.
    let utf16 = codepage == 1200 || codepage == 1201;
    if r.data.len() < 8 {
        return Err(Stop::CalamineFails);
    }
    let mut c = Cursor {
        data: &r.data[8..],
        cont: &r.cont,
    };
    let mut sizes = Vec::new();
    while !c.data.is_empty() || c.next_part() {
        if c.data.is_empty() {
            sizes.push(0);
            continue;
        }
        if c.data.len() < 3 {
            return Err(Stop::CalamineFails);
        }
        let cch = u64::from(u16_at(c.data, 0).unwrap_or(0));
        let flags = c.data[2];
        c.data = &c.data[3..];
        let mut high = flags & 1 != 0;
        let mut runs = 0u64;
        let mut ext = 0u64;
        if flags & 8 != 0 {
            // calamine reads these without a length check (a panic).
            runs = u64::from(u16_at(c.data, 0).ok_or_else(|| corrupt("short string"))?);
            c.data = &c.data[2..];
        }
        if flags & 4 != 0 {
            let v = u32_at(c.data, 0).ok_or_else(|| corrupt("short string"))?;
            // `read_i32(..) as usize`: a negative size is huge.
            ext = i32::from_le_bytes(v.to_le_bytes()) as i64 as u64;
            c.data = &c.data[4..];
        }
        let mut left = cch;
        let mut size = 0u64;
        while left > 0 {
            let width = if high { 2 } else { 1 };
            let l = (c.data.len() as u64 / width).min(left);
            c.data = &c.data[(l * width) as usize..];
            left -= l;
            // UTF-8 bytes per character: a UTF-16 unit at most 3, a Latin-1 byte 2 (3 as
            // big-endian); through another code page each source byte can become a
            // replacement character (3) and a NUL.
            size += l * match (high, utf16) {
                (true, true) => 3,
                (true, false) => 8,
                (false, true) => 3,
                (false, false) => 4,
            };
            if left > 0 {
                if !c.next_part() {
                    return Err(Stop::CalamineFails);
                }
                let Some(&f) = c.data.first() else {
                    return Err(corrupt("empty CONTINUE in a string"));
                };
                high = f & 1 != 0;
                c.data = &c.data[1..];
            }
        }
        c.skip(runs * 4)?;
        c.skip(ext)?;
        sizes.push(size);
    }
    Ok(sizes)
}

/// The used rectangle of a sheet's cells (calamine's `Range::from_sparse`).
#[derive(Default)]
struct Bbox(Option<(u32, u32, u32, u32)>);

impl Bbox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn area(&self) -> u64 {
        match self.0 {
            None => 0,
            Some((r0, r1, c0, c1)) => u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1),
        }
    }
}

/// The BIFF stream: globals (SST, sheet positions, code page), then each sheet.
fn biff(stream: &[u8]) -> Result<(), Stop> {
    let mut sheets: Vec<usize> = Vec::new();
    let mut sst: Vec<u64> = Vec::new();
    let mut codepage = 1200u16; // unless a CODEPAGE record says otherwise
    let mut biff8 = true;
    let mut it = Records { rest: stream };
    while let Some(r) = it.next_record()? {
        match r.typ {
            // calamine reads these fields without a length check (a panic).
            0x0809 | 0x0022 | 0x0017 if r.data.len() < 2 => {
                return Err(corrupt("a record is too short"));
            }
            0x0809 => {
                // BOF: the BIFF version (calamine's `parse_bof`).
                let version = u16_at(r.data, 0).unwrap_or(0);
                let dt = u16_at(r.data, 2).unwrap_or(0);
                biff8 = match version {
                    0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
                    0 => dt != 0x1000,
                    _ => true,
                };
            }
            0x0018 => lbl_check(r.data, biff8)?,
            0x002F => {
                if r.data.len() < 2 {
                    return Err(corrupt("short FILEPASS record"));
                }
                // Encrypted: calamine reports it.
                if u16_at(r.data, 0) != Some(0) {
                    return Err(Stop::CalamineFails);
                }
            }
            0x0042 => {
                codepage = u16_at(r.data, 0).ok_or_else(|| corrupt("short CODEPAGE record"))?;
            }
            0x0085 => {
                if r.data.len() < 6 {
                    return Err(corrupt("short BOUNDSHEET record"));
                }
                let pos = u32_at(r.data, 0).unwrap_or(0) as usize;
                if pos > stream.len() {
                    return Err(corrupt("a sheet starts past the end of the stream"));
                }
                sheets.push(pos);
            }
            0x00FC => sst = sst_sizes(&r, codepage)?,
            0x000A => break,
            _ => {}
        }
    }
    let mut dense: u64 = 0;
    let mut text: u64 = 0;
    let mut scanned: u64 = 0;
    let scan_budget = 2 * stream.len() as u64 + 65_536;
    for pos in sheets {
        let mut it = Records {
            rest: &stream[pos..],
        };
        let mut cells = Bbox::default();
        let mut formulas = Bbox::default();
        let mut fmla_pos = (0u32, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        let before = it.rest.len();
        let outcome = (|| -> Result<(), Stop> {
            while let Some(r) = it.next_record()? {
                if depth > 0 {
                    match r.typ {
                        0x0809 => depth += 1,
                        0x000A => depth -= 1,
                        _ => {}
                    }
                    continue;
                }
                let pos = || -> Option<(u32, u32)> {
                    Some((u32::from(u16_at(r.data, 0)?), u32::from(u16_at(r.data, 2)?)))
                };
                let cont_len: u64 = r.cont.iter().map(|c| c.len() as u64).sum();
                match r.typ {
                    0x0809 => {
                        if seen_bof {
                            depth += 1;
                        } else {
                            seen_bof = true;
                        }
                    }
                    0x0200 => {
                        let area = dimensions_area(r.data)?;
                        if area > limits::MAX_DENSE_CELLS {
                            return Err(
                                too_large(what::DENSE_CELLS, limits::MAX_DENSE_CELLS).into()
                            );
                        }
                    }
                    0x0203 | 0x0205 | 0x027E => {
                        if let Some((row, col)) = pos() {
                            cells.add(row, col);
                        }
                    }
                    0x0204 | 0x00D6 => {
                        if let Some((row, col)) = pos() {
                            cells.add(row, col);
                            text = text.saturating_add(3 * (r.data.len() as u64 + cont_len));
                        }
                    }
                    0x0207 => {
                        cells.add(fmla_pos.0, fmla_pos.1);
                        text = text.saturating_add(3 * (r.data.len() as u64 + cont_len));
                    }
                    0x00FD => {
                        if let (Some((row, col)), Some(i)) = (pos(), u32_at(r.data, 6)) {
                            if r.data.len() >= 10 {
                                if let Some(&size) = sst.get(i as usize) {
                                    cells.add(row, col);
                                    text = text.saturating_add(size);
                                }
                            }
                        }
                    }
                    0x00BD if r.data.len() >= 6 => {
                        let row = u32::from(u16_at(r.data, 0).unwrap_or(0));
                        let first = u32::from(u16_at(r.data, 2).unwrap_or(0));
                        let last = u32::from(u16_at(r.data, r.data.len() - 2).unwrap_or(0));
                        if last < first {
                            // `col_last - col_first` overflows (a panic with overflow
                            // checks; an error after wrapping without them).
                            return Err(corrupt("a MULRK record ends before it starts"));
                        }
                        cells.add(row, first);
                        cells.add(row, last);
                    }
                    0x0006 if r.data.len() >= 20 => {
                        if let Some((row, col)) = pos() {
                            fmla_pos = (row, col);
                            cells.add(row, col);
                            formulas.add(row, col);
                            // The formula text: a generous bound per token byte.
                            let rgce = (r.data.len() - 20) as u64 + cont_len;
                            text = text.saturating_add(64 * rgce + 64);
                        }
                    }
                    0x00E5 => {
                        // MERGECELLS: a count, then 8 bytes per range, read unchecked.
                        let count = usize::from(u16_at(r.data, 0).unwrap_or(u16::MAX));
                        if r.data.len() < 2 + 8 * count {
                            return Err(corrupt("a MERGECELLS record is too short"));
                        }
                    }
                    0x000A => break,
                    _ => {}
                }
            }
            Ok(())
        })();
        scanned += (before - it.rest.len()) as u64;
        // What calamine built before it failed still counts.
        dense = dense
            .saturating_add(cells.area())
            .saturating_add(formulas.area());
        if dense > limits::MAX_DENSE_CELLS {
            return Err(too_large(what::DENSE_CELLS, limits::MAX_DENSE_CELLS).into());
        }
        if text > limits::MAX_TEXT_BYTES {
            return Err(too_large(what::TEXT_BYTES, limits::MAX_TEXT_BYTES).into());
        }
        if scanned > scan_budget {
            return Err(corrupt("the sheets overlap"));
        }
        outcome?;
    }
    Ok(())
}

/// A defined name (`LBL`) as calamine's `parse_lbl` and `parse_defined_names` read it:
/// fixed offsets up to 14, the formula's last `cce` bytes, and the first token's operands,
/// all without length checks.
fn lbl_check(d: &[u8], biff8: bool) -> Result<(), Stop> {
    let short = || corrupt("a defined name is too short");
    if d.len() < 14 {
        return Err(short());
    }
    let cce = usize::from(u16_at(d, 4).unwrap_or(0));
    if cce > d.len() {
        return Err(short());
    }
    let rgce = &d[d.len() - cce..];
    let need = match (rgce.first(), biff8) {
        (None, _) => 0,
        (Some(0x3a | 0x5a | 0x7a), true) => 7,
        (Some(0x3a | 0x5a | 0x7a), false) => 18,
        (Some(0x3b | 0x5b | 0x7b), true) => 11,
        (Some(0x3b | 0x5b | 0x7b), false) => 21,
        (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), true) => 3,
        (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), false) => 13,
        (Some(_), _) => 0,
    };
    if rgce.len() < need {
        return Err(short());
    }
    Ok(())
}

/// The cell count calamine reserves for a `DIMENSIONS` record (its `parse_dimensions`,
/// then `rows * cols` in wrapping `u32` arithmetic as in a release build).
fn dimensions_area(r: &[u8]) -> Result<u64, Stop> {
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (
            u32::from(u16_at(r, 0).unwrap_or(0)),
            u32::from(u16_at(r, 2).unwrap_or(0)),
            u32::from(u16_at(r, 4).unwrap_or(0)),
            u32::from(u16_at(r, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u32_at(r, 0).unwrap_or(0),
            u32_at(r, 4).unwrap_or(0),
            u32::from(u16_at(r, 8).unwrap_or(0)),
            u32::from(u16_at(r, 10).unwrap_or(0)),
        ),
        _ => return Err(Stop::CalamineFails),
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    if end.0 < start.0 || end.1 < start.1 {
        // `end - start` underflows: a panic with overflow checks, a reservation of about
        // four billion rows (or nothing) without them.
        return Err(corrupt("DIMENSIONS end before they start"));
    }
    let rows = u64::from(end.0.wrapping_sub(start.0).wrapping_add(1));
    let cols = u64::from(end.1.wrapping_sub(start.1).wrapping_add(1));
    Ok(rows.saturating_mul(cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions() {
        let mut d = Vec::new();
        for v in [0u32, 10] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&3u16.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        assert_eq!(dimensions_area(&d).ok(), Some(30));
        // First row after the last: calamine's subtraction underflows.
        d[0..4].copy_from_slice(&20u32.to_le_bytes());
        assert!(dimensions_area(&d).is_err());
    }

    #[test]
    fn bbox() {
        let mut b = Bbox::default();
        assert_eq!(b.area(), 0);
        b.add(0, 0);
        b.add(65_535, 65_535);
        assert_eq!(b.area(), 65_536 * 65_536);
    }
}
