//! Texts stored once each: a [`Strings`] pool keeps every distinct text back to back in one
//! buffer, and a [`Sym`] (four bytes) names one of them. The records refer to their customer
//! ids, names, plates, service types, ... this way, so that a million rows of repeated values
//! cost four bytes a field rather than a heap string each.
//!
//! An [`Interner`] builds a pool, finding texts already stored through an [`Index`] by hash;
//! [`Interner::finish`] drops the index and keeps the pool.

use std::hash::Hasher;
use std::num::NonZeroU32;

/// A text in a [`Strings`] pool: 1 + its position, so that `Option<Sym>` is four bytes too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// The position of the text in its pool.
    pub(crate) fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// Distinct texts, back to back in one buffer, each named by a [`Sym`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    /// The bytes of every text.
    text: String,
    /// Where each text ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
}

impl Strings {
    /// Number of texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the pool holds no text.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text of `sym` (`""` for a symbol of another, larger pool).
    pub fn get(&self, sym: Sym) -> &str {
        let i = sym.index();
        let start = match i.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied(),
            None => Some(0),
        };
        match (start, self.ends.get(i)) {
            (Some(start), Some(&end)) => self.text.get(start as usize..end as usize),
            _ => None,
        }
        .unwrap_or("")
    }

    /// The text of an optional symbol.
    pub fn text(&self, sym: Option<Sym>) -> Option<&str> {
        sym.map(|s| self.get(s))
    }

    /// Appends `s`; its symbol, `None` when the pool would pass 4 GiB of text.
    fn push(&mut self, s: &str) -> Option<Sym> {
        let end = u32::try_from(self.text.len().checked_add(s.len())?).ok()?;
        let sym = u32::try_from(self.ends.len() + 1)
            .ok()
            .and_then(NonZeroU32::new)?;
        self.text.push_str(s);
        self.ends.push(end);
        Some(Sym(sym))
    }
}

/// Builds a [`Strings`] pool: each distinct text is stored once, however often it is given.
#[derive(Debug, Default)]
pub struct Interner {
    strings: Strings,
    /// The texts' symbols by hash.
    index: Index,
}

impl Interner {
    /// The symbol of `s`, storing it when new. `None` only when the pool would pass 4 GiB of
    /// text, which the input limits rule out (a file's text is at most 512 MiB).
    pub fn intern(&mut self, s: &str) -> Option<Sym> {
        let tag = (hash_str(s) >> 32) as u32;
        let strings = &self.strings;
        let found = self.index.find(tag, |code| {
            NonZeroU32::new(code).is_some_and(|c| strings.get(Sym(c)) == s)
        });
        let slot = match found {
            Ok(code) => return NonZeroU32::new(code).map(Sym),
            Err(slot) => slot,
        };
        let sym = self.strings.push(s)?;
        self.index.insert_at(slot, tag, sym.0.get());
        Some(sym)
    }

    /// The pool so far.
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// The pool, without the index.
    pub fn finish(self) -> Strings {
        let mut strings = self.strings;
        strings.text.shrink_to_fit();
        strings.ends.shrink_to_fit();
        strings
    }
}

/// The hash of a text for an [`Index`].
fn hash_str(s: &str) -> u64 {
    let mut h = FoldHash(0);
    h.write(s.as_bytes());
    h.finish()
}

/// Codes (non-zero `u32`) by the high half of their hash: open addressing with linear
/// probing, one 8-byte slot per code (`tag << 32 | code`, 0 when free), at most half full.
/// Values with the same tag (hash collisions) each get their own slot, so every lookup is
/// exact.
#[derive(Debug, Default)]
pub(crate) struct Index {
    slots: Vec<u64>,
    len: usize,
}

impl Index {
    /// The code of the value with hash tag `tag` that `is_it` accepts, else the free slot
    /// where it goes (the index grows first when needed).
    pub(crate) fn find(&mut self, tag: u32, is_it: impl Fn(u32) -> bool) -> Result<u32, usize> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len().saturating_sub(1);
        let mut i = tag as usize & mask;
        while let Some(&slot) = self.slots.get(i) {
            if slot == 0 {
                return Err(i);
            }
            let code = slot as u32;
            if (slot >> 32) as u32 == tag && is_it(code) {
                return Ok(code);
            }
            i = (i + 1) & mask;
        }
        Err(usize::MAX)
    }

    /// Stores `code` in the free slot `find` returned.
    pub(crate) fn insert_at(&mut self, slot: usize, tag: u32, code: u32) {
        if let Some(s) = self.slots.get_mut(slot) {
            *s = u64::from(tag) << 32 | u64::from(code);
            self.len += 1;
        }
    }

    /// Slots allocated (twice the entries at least, 0 before the first).
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Doubles the slots (16 at first) and places every entry again.
    fn grow(&mut self) {
        let slots = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![0; slots]);
        let mask = slots - 1;
        for entry in old.into_iter().filter(|&e| e != 0) {
            let mut i = (entry >> 32) as usize & mask;
            while let Some(s) = self.slots.get_mut(i) {
                if *s == 0 {
                    *s = entry;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
    }
}

/// A fast multiply-rotate hash over 8-byte words with a final mix; not for untrusted keys
/// in general, but a collision in an [`Index`] only costs a longer probe, never a wrong
/// value.
pub(crate) struct FoldHash(pub(crate) u64);

impl Hasher for FoldHash {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        if let Some(dst) = w.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.write_u64(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        // murmur3's fmix64: every input bit reaches the high half the index looks at.
        let mut k = self.0;
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^ (k >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip_and_repeat_as_the_same_symbol() {
        let mut i = Interner::default();
        let a = i.intern("粤A12345").unwrap();
        let b = i.intern("保养").unwrap();
        let a2 = i.intern("粤A12345").unwrap();
        assert_eq!(a, a2);
        assert_ne!(a, b);
        let s = i.finish();
        assert_eq!(s.len(), 2);
        assert_eq!(s.get(a), "粤A12345");
        assert_eq!(s.get(b), "保养");
        // "粤" is 3 bytes, "A12345" 6, "保养" 6: one buffer of 15 bytes, ends 9 and 15
        assert_eq!(s.text, "粤A12345保养");
        assert_eq!(s.ends, [9, 15]);
    }

    #[test]
    fn empty_text_and_no_text() {
        let mut i = Interner::default();
        let x = i.intern("x").unwrap();
        let empty = i.intern("").unwrap();
        let y = i.intern("y").unwrap();
        assert_eq!(i.intern("").unwrap(), empty);
        let s = i.finish();
        // the empty text takes a symbol but no byte: ends 1, 1, 2
        assert_eq!(s.ends, [1, 1, 2]);
        assert_eq!((s.get(x), s.get(empty), s.get(y)), ("x", "", "y"));
        assert_eq!(s.text(None), None);
        assert_eq!(s.text(Some(empty)), Some(""));
        assert_eq!(s.text(Some(y)), Some("y"));
        assert_eq!(std::mem::size_of::<Option<Sym>>(), 4);
    }

    #[test]
    fn a_symbol_of_another_pool_reads_as_empty() {
        let mut big = Interner::default();
        let syms: Vec<Sym> = ["a", "b", "c"]
            .iter()
            .map(|t| big.intern(t).unwrap())
            .collect();
        let mut small = Interner::default();
        small.intern("z").unwrap();
        let small = small.finish();
        assert_eq!(small.get(syms[0]), "z");
        assert_eq!(small.get(syms[2]), "");
        assert_eq!(Strings::default().get(syms[0]), "");
    }

    #[test]
    fn many_distinct_texts() {
        // 100,000 distinct texts, each given twice: 100,000 symbols, numbered in order of
        // first appearance (1, 2, ...), every text read back.
        let mut i = Interner::default();
        let n = 100_000u32;
        for round in 0..2 {
            for k in 0..n {
                let sym = i.intern(&format!("C{k:06}")).unwrap();
                assert_eq!(sym.0.get(), k + 1, "round {round}");
            }
        }
        assert_eq!(i.strings().len(), n as usize);
        let s = i.finish();
        // "C" and six digits: 7 bytes each
        assert_eq!(s.text.len(), 7 * n as usize);
        let sym = |k: u32| Sym(NonZeroU32::new(k + 1).unwrap());
        assert_eq!(s.get(sym(0)), "C000000");
        assert_eq!(s.get(sym(54_321)), "C054321");
        assert_eq!(s.get(sym(n - 1)), "C099999");
        assert_eq!(s.get(sym(n)), "");
    }

    #[test]
    fn index_keeps_colliding_tags_apart() {
        let mut ix = Index::default();
        for code in 1..=100u32 {
            let slot = ix.find(7, |c| c == code).unwrap_err();
            ix.insert_at(slot, 7, code);
        }
        for code in 1..=100u32 {
            assert_eq!(ix.find(7, |c| c == code), Ok(code));
        }
        assert!(ix.find(7, |_| false).is_err());
        assert_eq!(ix.len, 100);
        assert!(ix.slots.len() >= 200);
    }
}
