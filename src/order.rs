//! A stable sort for the page's small lists whose code exists once in the wasm.
//!
//! `slice::sort_by` is generic over the element and the comparison, so every call site
//! compiles its own copy of the sort (about a dozen functions, 12–16 KB of wasm each). The
//! page sorts a handful of short lists (classes, chart bars, histogram bins); here they
//! all sort indices with one comparison type, and the elements are then moved into place.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp` (equal elements keep their order).
///
/// ```
/// let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
/// dealerlens::order::sort_stable(&mut v, |x, y| x.0.cmp(&y.0));
/// assert_eq!(v, [(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]);
/// ```
pub fn sort_stable<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// The indices `0..n` in the order `cmp` gives them, ties in index order.
fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // A fixed pseudo-random list with many ties, against `slice::sort_by`.
        let mut x: u32 = 12345;
        let v: Vec<(u32, usize)> = (0..500)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((x >> 16) % 17, i)
            })
            .collect();
        let mut expected = v.clone();
        expected.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut got = v;
        sort_stable(&mut got, |a, b| b.0.cmp(&a.0));
        assert_eq!(got, expected);
    }

    #[test]
    fn empty_and_single() {
        let mut e: Vec<String> = Vec::new();
        sort_stable(&mut e, |a, b| a.cmp(b));
        assert!(e.is_empty());
        let mut one = vec!["x".to_string()];
        sort_stable(&mut one, |a, b| a.cmp(b));
        assert_eq!(one, ["x"]);
    }
}
