//! The page's side of the parsing worker: a raw `web_sys::Worker` (ES module) with
//! `onmessage` and `onerror`. Requests wait in a queue until the worker says it is ready.
//! When the worker dies (a panic aborts the wasm instance, or it fails to start) the page
//! shows an error and the next request starts a fresh worker.

use super::perf;
use super::state::{AppState, HistoryView, Notice, Phase, Problem};
use crate::engine::EngineError;
use crate::protocol::{
    FromWorker, Reply, Request, Stage, ToWorker, FIELD_BYTES, FIELD_FILE, FIELD_MSG,
    PROTOCOL_VERSION,
};
use js_sys::{Array, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobPropertyBag, ErrorEvent, File, MessageEvent, Worker, WorkerOptions, WorkerType,
};

/// A running worker and what belongs to it.
struct Live {
    worker: Worker,
    ready: bool,
    queue: Vec<Object>,
    // Kept alive as long as the worker.
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

#[derive(Default)]
struct Host {
    state: Option<AppState>,
    live: Option<Live>,
    /// Counter for request ids; also distinguishes worker generations.
    next_job: u32,
    /// The job whose replies drive the main screen.
    current: u32,
    /// The pending demo download.
    download: u32,
    /// The pending export.
    export: u32,
    /// The latest drill-down request.
    members: u32,
    /// The pending customer history.
    history: u32,
    /// True when `current` re-runs the analyses in the background (no progress screen).
    quiet: bool,
    /// True once `dl:parsed` was marked for `current`.
    parsed_marked: bool,
    /// Stopped workers, dropped at the next start: their callbacks may be running.
    dead: Vec<Live>,
}

thread_local! {
    static HOST: RefCell<Host> = RefCell::new(Host::default());
}

/// Connects the host to the app state (called once by the root component).
pub fn init(state: AppState) {
    HOST.with(|h| {
        let mut h = h.borrow_mut();
        h.state = Some(state);
        // Start the worker now, not with the first file: its scripts and wasm load while the
        // user picks a file, and nothing is fetched once the page has loaded (the app then
        // works offline).
        if h.live.is_none() {
            h.live = spawn();
        }
    });
}

/// URL of the worker's boot script; the version query (stamped at build time) keeps the
/// worker's glue and wasm from one deployment together.
fn worker_url() -> String {
    let version = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=dl-worker-version]")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default();
    if version.is_empty() || version == "dev" {
        "./worker-boot.js".to_string()
    } else {
        format!("./worker-boot.js?v={version}")
    }
}

fn spawn() -> Option<Live> {
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Module);
    let worker = match Worker::new_with_options(&worker_url(), &opts) {
        Ok(w) => w,
        Err(e) => {
            web_sys::console::error_2(&"dealerlens: cannot start the worker".into(), &e);
            return None;
        }
    };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(on_message);
    let on_error = Closure::<dyn Fn(ErrorEvent)>::new(on_error);
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Live {
        worker,
        ready: false,
        queue: Vec::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn envelope(job: u32, body: ToWorker, file: Option<File>) -> Object {
    let obj = Object::new();
    match (Request { job, body }).encode() {
        Ok(msg) => {
            let _ = Reflect::set(&obj, &FIELD_MSG.into(), &Uint8Array::from(&msg[..]));
        }
        Err(e) => {
            web_sys::console::error_2(&"dealerlens: cannot write a request".into(), &e.into());
        }
    }
    if let Some(f) = file {
        let _ = Reflect::set(&obj, &FIELD_FILE.into(), &f);
    }
    obj
}

/// Sends a request, starting a worker if none runs; returns its job id.
fn send(body: ToWorker, file: Option<File>) -> Option<u32> {
    HOST.with(|h| {
        let mut h = h.borrow_mut();
        if h.live.is_none() {
            h.dead.clear();
            h.live = spawn();
        }
        h.next_job += 1;
        let job = h.next_job;
        let obj = envelope(job, body, file);
        let live = h.live.as_mut()?;
        if live.ready {
            if let Err(e) = live.worker.post_message(&obj) {
                web_sys::console::error_2(&"dealerlens: postMessage failed".into(), &e);
                return None;
            }
        } else {
            live.queue.push(obj);
        }
        Some(job)
    })
}

fn state() -> Option<AppState> {
    HOST.with(|h| h.borrow().state)
}

/// Sends a request whose replies drive the main screen; older jobs' replies are ignored.
pub fn request(body: ToWorker, file: Option<File>) {
    match send(body, file) {
        Some(job) => HOST.with(|h| {
            let mut h = h.borrow_mut();
            h.current = job;
            h.quiet = false;
            h.parsed_marked = false;
        }),
        None => {
            if let Some(s) = state() {
                s.phase.set(Phase::Error(Problem::WorkerDied));
            }
        }
    }
}

/// Like [`request`], but the report stays on screen while the worker works (a rule change).
pub fn request_quiet(body: ToWorker) {
    request(body, None);
    HOST.with(|h| {
        let mut h = h.borrow_mut();
        h.quiet = h.current != 0;
        h.parsed_marked = true;
    });
}

/// Sends the demo-download request.
pub fn request_download(body: ToWorker) {
    match send(body, None) {
        Some(job) => HOST.with(|h| h.borrow_mut().download = job),
        None => {
            if let Some(s) = state() {
                s.downloading.set(false);
            }
        }
    }
}

/// Sends an export request (CSV or xlsx).
pub fn request_export(body: ToWorker) {
    match send(body, None) {
        Some(job) => HOST.with(|h| h.borrow_mut().export = job),
        None => {
            if let Some(s) = state() {
                s.exporting.set(false);
            }
        }
    }
}

/// Asks for a drill-down page (a newer request replaces an older one).
pub fn request_members(body: ToWorker) {
    if let Some(job) = send(body, None) {
        HOST.with(|h| h.borrow_mut().members = job);
    }
}

/// Asks for a customer's history (a newer request replaces an older one).
pub fn request_history(body: ToWorker) {
    if let Some(job) = send(body, None) {
        HOST.with(|h| h.borrow_mut().history = job);
    }
}

/// Stops the worker (work in progress is lost); the next request starts a new one.
pub fn restart() {
    HOST.with(|h| {
        let mut h = h.borrow_mut();
        h.current = 0;
        h.download = 0;
        h.export = 0;
        h.history = 0;
        h.members = 0;
        if let Some(live) = h.live.take() {
            live.worker.terminate();
            h.dead.push(live);
        }
    });
    if let Some(s) = state() {
        s.downloading.set(false);
        s.exporting.set(false);
        s.rerunning.set(false);
    }
}

fn on_error(ev: ErrorEvent) {
    ev.prevent_default();
    web_sys::console::warn_2(
        &"dealerlens: the worker stopped:".into(),
        &ev.message().into(),
    );
    let was_busy = HOST.with(|h| {
        let h = h.borrow();
        h.current != 0 || h.download != 0 || h.export != 0
    });
    restart();
    if let Some(s) = state() {
        // An idle worker that dies is replaced silently on the next request.
        if was_busy || matches!(s.phase.get_untracked(), Phase::Working { .. }) {
            s.phase.set(Phase::Error(Problem::WorkerDied));
        }
    }
}

fn on_message(ev: MessageEvent) {
    perf::message_in();
    let data = ev.data();
    let msg = Reflect::get(&data, &FIELD_MSG.into()).unwrap_or(JsValue::UNDEFINED);
    let Some(state) = state() else { return };
    if msg.is_string() {
        // A worker of an older version, which wrote its messages as JSON text.
        restart();
        state.phase.set(Phase::Error(Problem::Stale));
        return;
    }
    let reply = match msg.dyn_into::<Uint8Array>() {
        Ok(bytes) => Reply::decode(&bytes.to_vec()),
        Err(_) => Err("the message has no bytes".to_string()),
    };
    let reply = match reply {
        Ok(r) => r,
        Err(e) => {
            web_sys::console::error_2(&"dealerlens: bad reply from the worker".into(), &e.into());
            return;
        }
    };
    let (current, download, export, history, members, quiet) = HOST.with(|h| {
        let h = h.borrow();
        (
            h.current, h.download, h.export, h.history, h.members, h.quiet,
        )
    });

    match reply.body {
        FromWorker::Ready { protocol } => {
            if protocol != PROTOCOL_VERSION {
                restart();
                state.phase.set(Phase::Error(Problem::Stale));
                return;
            }
            flush();
        }
        FromWorker::File { file_name, mime } if reply.job == download && download != 0 => {
            HOST.with(|h| h.borrow_mut().download = 0);
            state.downloading.set(false);
            if let Ok(bytes) = Reflect::get(&data, &FIELD_BYTES.into()) {
                save_file(&file_name, &mime, &bytes.unchecked_into());
            }
        }
        FromWorker::Error { error } if reply.job == download && download != 0 => {
            HOST.with(|h| h.borrow_mut().download = 0);
            state.downloading.set(false);
            state.phase.set(Phase::Error(Problem::Engine(error)));
        }
        FromWorker::File { file_name, mime } if reply.job == export && export != 0 => {
            HOST.with(|h| h.borrow_mut().export = 0);
            state.exporting.set(false);
            if let Ok(bytes) = Reflect::get(&data, &FIELD_BYTES.into()) {
                save_file(&file_name, &mime, &bytes.unchecked_into());
            }
        }
        FromWorker::Members { query, page } if reply.job == members && members != 0 => {
            state.members.set(Some((query, page)));
        }
        FromWorker::Error { error } if reply.job == export && export != 0 => {
            HOST.with(|h| h.borrow_mut().export = 0);
            state.exporting.set(false);
            let detail = match error {
                EngineError::Internal { detail } => detail,
                other => other.message(state.lang.get_untracked()),
            };
            state.notice.set(Some(Notice::ExportFailed(detail)));
        }
        FromWorker::History { id, history: found } if reply.job == history && history != 0 => {
            HOST.with(|h| h.borrow_mut().history = 0);
            // Only if the dialog still waits for this customer.
            let waiting = matches!(
                state.history.get_untracked(),
                Some(HistoryView::Loading(ref w)) if *w == id
            );
            if waiting {
                state.history.set(Some(match found {
                    Some(h) => HistoryView::Found(Arc::new(*h)),
                    None => HistoryView::Missing(id),
                }));
            }
        }
        _ if reply.job != current || current == 0 => {}
        FromWorker::Progress { .. } if quiet => {}
        FromWorker::Progress { stage, done, total } => {
            if stage == Stage::Analysing {
                mark_parsed();
            }
            state.phase.set(Phase::Working {
                stage: Some(stage),
                done,
                total,
            });
        }
        FromWorker::NeedsMapping { preview } => {
            mark_parsed();
            state.rerunning.set(false);
            HOST.with(|h| h.borrow_mut().current = 0);
            state.draft.set(preview.mapping.clone());
            state.preview.set(Some(preview));
            state.phase.set(Phase::Mapping);
        }
        FromWorker::Report {
            report,
            lists,
            preview,
        } => {
            perf::report_decoded();
            mark_parsed();
            HOST.with(|h| h.borrow_mut().current = 0);
            // Drill-down pages of the previous report are stale: open drill-downs ask again.
            HOST.with(|h| h.borrow_mut().members = 0);
            // Rendered in a task of its own, after this one that read the message.
            set_timeout(
                move || {
                    // A newer request went out meanwhile: its answer replaces this one.
                    if HOST.with(|h| h.borrow().current != 0) {
                        return;
                    }
                    state.rerunning.set(false);
                    state.draft.set(preview.mapping.clone());
                    state.preview.set(Some(preview));
                    state.members.set(None);
                    state.lists.set(Arc::new(lists));
                    state.report.set(Some(Arc::new(*report)));
                    state.phase.set(Phase::Report);
                },
                std::time::Duration::ZERO,
            );
        }
        FromWorker::Error { error } => {
            HOST.with(|h| h.borrow_mut().current = 0);
            state.rerunning.set(false);
            state.phase.set(Phase::Error(Problem::Engine(error)));
        }
        FromWorker::File { .. } | FromWorker::History { .. } | FromWorker::Members { .. } => {}
    }
}

fn mark_parsed() {
    let first = HOST.with(|h| !std::mem::replace(&mut h.borrow_mut().parsed_marked, true));
    if first {
        perf::mark(perf::PARSED);
    }
}

/// Posts the requests that waited for the worker to start.
fn flush() {
    HOST.with(|h| {
        let mut h = h.borrow_mut();
        if let Some(live) = h.live.as_mut() {
            live.ready = true;
            for obj in live.queue.drain(..) {
                if let Err(e) = live.worker.post_message(&obj) {
                    web_sys::console::error_2(&"dealerlens: postMessage failed".into(), &e);
                }
            }
        }
    });
}

/// Saves a file's bytes as a download.
fn save_file(name: &str, mime: &str, bytes: &Uint8Array) {
    let parts = Array::of1(bytes);
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = Blob::new_with_u8_array_sequence_and_options(&parts, &opts) {
        super::download::save_blob(name, &blob);
    }
}
