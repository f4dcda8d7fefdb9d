//! Progress of a long read: the streaming workbook readers report the rows read so far
//! against the rows the sheet declares, the CSV reader the bytes of text parsed against the
//! text's length, to a hook set by whoever asked (the worker posts it to the page,
//! which draws the progress bar). Without a hook, reporting does nothing.

use std::cell::RefCell;

/// Rows between two reports.
pub const STEP_ROWS: u32 = 10_000;

type Hook = Box<dyn FnMut(u64, u64)>;

thread_local! {
    static HOOK: RefCell<Option<Hook>> = const { RefCell::new(None) };
}

/// Puts the previous hook back when dropped (also when the read panics).
struct Restore(Option<Hook>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        HOOK.with(|h| {
            if let Ok(mut h) = h.try_borrow_mut() {
                *h = previous;
            }
        });
    }
}

/// Runs `f` with `hook(done, total)` called while a sheet or a text is read.
pub fn with_hook<R>(hook: impl FnMut(u64, u64) + 'static, f: impl FnOnce() -> R) -> R {
    let previous = HOOK.with(|h| h.try_borrow_mut().ok()?.replace(Box::new(hook)));
    let _restore = Restore(previous);
    f()
}

/// Reports `done` of `total` rows to the hook, if any.
pub(crate) fn report(done: u64, total: u64) {
    HOOK.with(|h| {
        if let Ok(mut h) = h.try_borrow_mut() {
            if let Some(hook) = h.as_mut() {
                hook(done, total);
            }
        }
    });
}

/// Reports every [`STEP_ROWS`] rows of a sheet that declares `total` rows.
pub(crate) struct RowTicker {
    total: u64,
    next: u32,
}

impl RowTicker {
    /// A ticker for a sheet whose last declared row index is `last_row` (0-based).
    pub(crate) fn new(last_row: u32) -> Self {
        report(0, u64::from(last_row) + 1);
        RowTicker {
            total: u64::from(last_row) + 1,
            next: STEP_ROWS,
        }
    }

    /// Called with the 0-based row of each cell read.
    pub(crate) fn at(&mut self, row: u32) {
        if row >= self.next {
            report(u64::from(row), self.total);
            self.next = row.saturating_add(STEP_ROWS);
        }
    }
}
