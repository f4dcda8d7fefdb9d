//! `performance.mark`s for the load timeline: file selected → parsed → report rendered.

/// Marked when a file is chosen or dropped, or the demo is requested.
pub const FILE_SELECTED: &str = "dl:file-selected";
/// Marked on the worker's first message saying the input was parsed.
pub const PARSED: &str = "dl:parsed";
/// Marked after the report is rendered.
pub const REPORT_READY: &str = "dl:report-ready";
/// Marked when a message from the worker arrives (before it is read).
pub const MESSAGE_IN: &str = "dl:message-in";
/// Marked when a report message has been read into a report (before it is rendered).
pub const REPORT_DECODED: &str = "dl:report-decoded";
/// Measured from a report message's arrival to [`REPORT_DECODED`].
pub const REPORT_READ: &str = "dl:report-read";
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
        for name in [
            FILE_SELECTED,
            PARSED,
            REPORT_READY,
            RERUN_SENT,
            RERUN_READY,
            REPORT_DECODED,
        ] {
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

/// A message from the worker has arrived (marked for every message, replacing the previous
/// one's mark; cheap next to reading the message).
pub fn message_in() {
    if let Some(p) = performance() {
        p.clear_marks_with_mark_name(MESSAGE_IN);
        let _ = p.mark(MESSAGE_IN);
    }
}

/// The message that arrived last was a report and has just been read: marks that, and
/// measures `dl:report-read` from its arrival, so that the time between the worker and the
/// screen splits into the worker's part, reading the message and rendering.
pub fn report_decoded() {
    if let Some(p) = performance() {
        p.clear_marks_with_mark_name(REPORT_DECODED);
        p.clear_measures_with_measure_name(REPORT_READ);
        let _ = p.mark(REPORT_DECODED);
        let _ = p.measure_with_start_mark(REPORT_READ, MESSAGE_IN);
    }
}
