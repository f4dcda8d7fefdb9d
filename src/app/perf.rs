//! `performance.mark`s for the load timeline: file selected → parsed → report rendered.

/// Marked when a file is chosen or dropped, or the demo is requested.
pub const FILE_SELECTED: &str = "dl:file-selected";
/// Marked on the worker's first message saying the input was parsed.
pub const PARSED: &str = "dl:parsed";
/// Marked after the report is rendered.
pub const REPORT_READY: &str = "dl:report-ready";
/// Marked when changed rules are sent to the worker for a re-run.
pub const RERUN_SENT: &str = "dl:rerun-sent";
/// Marked after the re-run's report is rendered.
pub const RERUN_READY: &str = "dl:rerun-ready";

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

/// Adds a mark.
pub fn mark(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

/// Clears the previous load's marks, so that each load has one timeline.
pub fn clear() {
    if let Some(p) = performance() {
        for name in [FILE_SELECTED, PARSED, REPORT_READY, RERUN_SENT, RERUN_READY] {
            p.clear_marks_with_mark_name(name);
        }
    }
}

/// Adds a mark unless this load already has it (a re-render is not a new load).
pub fn mark_once(name: &str) {
    if let Some(p) = performance() {
        if p.get_entries_by_name(name).length() == 0 {
            let _ = p.mark(name);
        }
    }
}

/// Starts a re-run's timeline (the previous re-run's marks are cleared).
pub fn rerun_sent() {
    if let Some(p) = performance() {
        p.clear_marks_with_mark_name(RERUN_SENT);
        p.clear_marks_with_mark_name(RERUN_READY);
        let _ = p.mark(RERUN_SENT);
    }
}

/// A report is on screen: the load's first render, or the end of a re-run.
pub fn rendered() {
    mark_once(REPORT_READY);
    if let Some(p) = performance() {
        if p.get_entries_by_name(RERUN_SENT).length() > 0 {
            mark_once(RERUN_READY);
        }
    }
}
