//! The parsing worker (wasm only): a raw Web Worker that reads the user's file, runs the
//! engine and posts back progress, a preview for the mapping screen and the Report.
//!
//! It keeps the last input (`File` handle or demo) and its [`Loaded`] table, so that a new
//! mapping is analysed without reading the file again (a big table keeps only its first rows
//! once its records are prepared, and the file is read again), and every line and call-list entry of
//! the last Report, which the page asks for page by page (drill-downs) and as files (exports).
//! Messages are described in [`dealerlens::protocol`].

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    wasm::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The DealerLens worker runs in the browser (built by Trunk).");
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use dealerlens::app::{i18n, model, setup};
    use dealerlens::engine::select::{self, MemberQuery};
    use dealerlens::engine::{
        self,
        demo::{self, DemoOptions},
        history, AnalyzeOptions, EngineError, Lang, LoadOptions, Loaded, Mapping, Prepared,
    };
    use dealerlens::protocol::{
        cut_for_page, members_page, named_lists, ExportTable, FileFormat, FirstAnalysis,
        FromWorker, Kept, Reply, Request, Stage, ToWorker, FIELD_BYTES, FIELD_FILE, FIELD_MSG,
        PREVIEW_ROWS, PROTOCOL_VERSION,
    };
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

    /// Where the kept input came from.
    enum Source {
        File(File),
        Demo(Lang),
    }

    /// The last input read.
    struct Session {
        source: Source,
        options: LoadOptions,
        loaded: Loaded,
        /// The records under the last mapping, with the analyses' cache: a rule change
        /// with the same mapping re-uses both.
        prepared: RefCell<Option<Prepared>>,
    }

    thread_local! {
        static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
        /// The lines and lists of the last Report sent.
        static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Posts a reply; `bytes` are transferred, not copied.
    fn post(job: u32, body: FromWorker, bytes: Option<Uint8Array>) {
        // A reply that cannot be written becomes an error the page shows.
        let msg = Reply { job, body }.encode().or_else(|e| {
            let error = internal(format!("cannot write the reply: {e}"));
            Reply {
                job,
                body: FromWorker::Error { error },
            }
            .encode()
        });
        let msg = match msg {
            Ok(m) => Uint8Array::from(&m[..]),
            Err(e) => {
                web_sys::console::error_2(&"dealerlens worker: no reply written".into(), &e.into());
                return;
            }
        };
        let obj = Object::new();
        let _ = Reflect::set(&obj, &FIELD_MSG.into(), &msg);
        let transfer = Array::of1(&msg.buffer());
        if let Some(b) = bytes {
            let _ = Reflect::set(&obj, &FIELD_BYTES.into(), &b);
            transfer.push(&b.buffer());
        }
        let result = scope().post_message_with_transfer(&obj, &transfer);
        if let Err(e) = result {
            web_sys::console::error_2(&"dealerlens worker: postMessage failed".into(), &e);
        }
    }

    fn progress(job: u32, stage: Stage, done: u64, total: u64) {
        post(job, FromWorker::Progress { stage, done, total }, None);
    }

    fn internal(detail: impl Into<String>) -> EngineError {
        EngineError::Internal {
            detail: detail.into(),
        }
    }

    /// Bytes read from the file at a time: the browser's copy of a slice is garbage once it
    /// is copied into the worker's memory, so a big file is never held twice.
    const READ_SLICE: u64 = 8 << 20;

    /// Reads the whole file (synchronously: we are off the page's thread), slice by slice.
    fn read_file(job: u32, file: &File) -> Result<Vec<u8>, EngineError> {
        let size = file.size() as u64;
        progress(job, Stage::Reading, 0, size);
        let reader = FileReaderSync::new().map_err(|_| internal("FileReaderSync"))?;
        let unreadable = || internal("the browser could not read the file");
        // An empty or too large file is refused before any memory is set aside for it.
        engine::ingest::check_input_size(size)?;
        let len = usize::try_from(size).map_err(|_| unreadable())?;
        let mut bytes = vec![0u8; len];
        let mut start = 0u64;
        while start < size {
            let end = size.min(start + READ_SLICE);
            let slice = file
                .slice_with_f64_and_f64(start as f64, end as f64)
                .map_err(|_| unreadable())?;
            let buf = reader
                .read_as_array_buffer(&slice)
                .map_err(|_| unreadable())?;
            let chunk = Uint8Array::new(&buf);
            // The file changed under us (shorter or longer than its size said).
            let target = bytes
                .get_mut(start as usize..end as usize)
                .filter(|t| t.len() == chunk.length() as usize)
                .ok_or_else(unreadable)?;
            chunk.copy_to(target);
            start = end;
            progress(job, Stage::Reading, start, size);
        }
        Ok(bytes)
    }

    fn demo_options(lang: Lang) -> DemoOptions {
        DemoOptions {
            lang,
            ..DemoOptions::default()
        }
    }

    /// Reads a source into a [`Loaded`].
    fn load_source(
        job: u32,
        source: &Source,
        options: &LoadOptions,
    ) -> Result<Loaded, EngineError> {
        match source {
            Source::File(file) => {
                let bytes = read_file(job, file)?;
                progress(job, Stage::Parsing, 0, 0);
                // Rows of the sheet (bytes of a text) as they are parsed.
                let tick = move |done, total| progress(job, Stage::Parsing, done, total);
                engine::ingest::progress::with_hook(tick, || engine::load(&bytes, options))
            }
            Source::Demo(lang) => {
                progress(job, Stage::Parsing, 0, 1);
                let table = demo::demo_table(&demo_options(*lang));
                Loaded::from_table(table, options.header_row)
            }
        }
    }

    /// A table bigger than this on the heap keeps only its first rows once its records are
    /// prepared ([`Loaded::shed`]): the records and the Report are then the only copies of a
    /// big file in memory, and a new mapping or header row reads the file again.
    const SHED_BYTES: usize = 64 << 20;

    /// Analyses the kept input with `mapping` and posts the report (or the error).
    fn analyse_and_post(job: u32, session: &mut Session, mapping: &Mapping, opts: &AnalyzeOptions) {
        progress(job, Stage::Analysing, 0, 1);
        let prepared = session.prepared.get_mut();
        if prepared.as_ref().is_none_or(|p| p.mapping != *mapping) {
            // The previous records go before the file is read again or new ones are made.
            *prepared = None;
            if session.loaded.shed {
                match load_source(job, &session.source, &session.options) {
                    Ok(loaded) => session.loaded = loaded,
                    Err(error) => return post(job, FromWorker::Error { error }, None),
                }
                progress(job, Stage::Analysing, 0, 1);
            }
            match engine::prepare(&session.loaded, mapping) {
                Ok(p) => *prepared = Some(p),
                Err(error) => return post(job, FromWorker::Error { error }, None),
            }
            if session.loaded.table.cells.heap_bytes() > SHED_BYTES {
                session.loaded.shed(PREVIEW_ROWS);
            }
        }
        let kept = session.prepared.borrow();
        let result = kept
            .as_ref()
            .map(|p| engine::report(&session.loaded, p, opts))
            .ok_or_else(|| internal("no prepared records"));
        drop(kept);
        match result {
            Ok(mut report) => {
                let preview = session.loaded.preview(mapping, PREVIEW_ROWS);
                let (kept, lists) = cut_for_page(&mut report);
                // The previous Report's lines are dropped here, before the new message is
                // written.
                KEPT.with(|k| *k.borrow_mut() = Some(kept));
                post(
                    job,
                    FromWorker::Report {
                        report: Box::new(report),
                        lists,
                        preview,
                    },
                    None,
                );
            }
            Err(error) => post(job, FromWorker::Error { error }, None),
        }
    }

    /// Loads a new input; analyses at once when the saved mapping fits the headers or the
    /// required roles were detected.
    fn open(job: u32, source: Source, options: LoadOptions, first: FirstAnalysis) {
        SESSION.with(|s| *s.borrow_mut() = None);
        let loaded = match load_source(job, &source, &options) {
            Ok(l) => l,
            Err(error) => return post(job, FromWorker::Error { error }, None),
        };
        let mut session = Session {
            source,
            options,
            loaded,
            prepared: RefCell::new(None),
        };
        let mapping = setup::apply_saved(&first.mapping_by_header, &session.loaded.headers)
            .filter(|m| m.missing_required().is_empty())
            .unwrap_or_else(|| session.loaded.detected.clone());
        if mapping.missing_required().is_empty() {
            analyse_and_post(job, &mut session, &mapping, &first.options);
        } else {
            let preview = session.loaded.preview(&mapping, PREVIEW_ROWS);
            post(job, FromWorker::NeedsMapping { preview }, None);
        }
        SESSION.with(|s| *s.borrow_mut() = Some(session));
    }

    /// Reads the kept input again with other options and posts a preview.
    fn reload(job: u32, options: LoadOptions) {
        let Some(mut session) = SESSION.with(|s| s.borrow_mut().take()) else {
            return post(job, no_input(), None);
        };
        // Same sheet and encoding: only the header row changes, keep the parsed table (when
        // its rows were not released).
        let result = if session.options.ingest == options.ingest && !session.loaded.shed {
            progress(job, Stage::Parsing, 0, 1);
            Loaded::from_table(session.loaded.table.clone(), options.header_row)
        } else {
            load_source(job, &session.source, &options)
        };
        match result {
            Ok(loaded) => {
                // Records prepared under the old header row must not serve a mapping that
                // happens to be equal under the new one.
                *session.prepared.get_mut() = None;
                session.loaded = loaded;
                session.options = options;
                let mapping = session.loaded.detected.clone();
                let preview = session.loaded.preview(&mapping, PREVIEW_ROWS);
                post(job, FromWorker::NeedsMapping { preview }, None);
            }
            Err(error) => post(job, FromWorker::Error { error }, None),
        }
        SESSION.with(|s| *s.borrow_mut() = Some(session));
    }

    fn no_input() -> FromWorker {
        FromWorker::Error {
            error: internal("no file is loaded"),
        }
    }

    fn remap(job: u32, mapping: Mapping, options: AnalyzeOptions) {
        SESSION.with(|s| match s.borrow_mut().as_mut() {
            Some(session) => analyse_and_post(job, session, &mapping, &options),
            None => post(job, no_input(), None),
        });
    }

    /// Posts a file's bytes (or why they could not be written).
    fn post_file(job: u32, file_name: String, format: FileFormat, bytes: Result<Vec<u8>, String>) {
        match bytes {
            Ok(bytes) => {
                let array = Uint8Array::from(bytes.as_slice());
                let mime = format.mime().to_string();
                post(job, FromWorker::File { file_name, mime }, Some(array));
            }
            Err(detail) => post(
                job,
                FromWorker::Error {
                    error: internal(detail),
                },
                None,
            ),
        }
    }

    fn demo_xlsx(job: u32, lang: Lang) {
        let file_name = match lang {
            Lang::Zh => "dealerlens-演示数据.xlsx",
            Lang::En => "dealerlens-demo.xlsx",
        };
        post_file(
            job,
            file_name.to_string(),
            FileFormat::Xlsx,
            demo::demo_xlsx(&demo_options(lang)),
        );
    }

    /// A page of a drill-down's customers from the kept lines.
    fn members(job: u32, query: MemberQuery, limit: usize) {
        let page = KEPT.with(|k| {
            k.borrow()
                .as_ref()
                .map(|kept| members_page(&kept.customers, &query, limit))
        });
        post(job, FromWorker::Members { query, page }, None);
    }

    /// Writes a table of the kept Report as CSV or xlsx.
    fn export(job: u32, table: ExportTable, format: FileFormat, lang: Lang, file_name: String) {
        let sheet = KEPT.with(|k| {
            let k = k.borrow();
            let kept = k.as_ref()?;
            Some(match &table {
                ExportTable::List { name } => {
                    let (name, list) = named_lists(&kept.lists)
                        .into_iter()
                        .find(|(n, _)| n == name)?;
                    model::list_sheet(list, name, lang)
                }
                ExportTable::Members { query } => {
                    let found = select::run(&kept.customers, query);
                    model::customers_sheet(&found, &query.scheme, &query.code, lang)
                }
            })
        });
        let bytes = match sheet {
            None => Err(i18n::dash(lang).analysis_gone.to_string()),
            Some(sheet) => match format {
                FileFormat::Csv => Ok(sheet.to_csv().into_bytes()),
                FileFormat::Xlsx => sheet.to_xlsx(),
            },
        };
        post_file(job, file_name, format, bytes);
    }

    /// The rows of one customer under the last analysed mapping.
    fn customer_history(job: u32, id: String) {
        let found = SESSION.with(|s| {
            s.borrow().as_ref().and_then(|session| {
                session
                    .prepared
                    .borrow()
                    .as_ref()
                    .and_then(|p| history::history(p, &id))
            })
        });
        let history = found.map(Box::new);
        post(job, FromWorker::History { id, history }, None);
    }

    fn on_message(ev: MessageEvent) {
        let data = ev.data();
        let msg = Reflect::get(&data, &FIELD_MSG.into())
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .map(|b| b.to_vec())
            .unwrap_or_default();
        let request = match Request::decode(&msg) {
            Ok(r) => r,
            Err(e) => {
                let error = internal(format!("bad request: {e}"));
                return post(0, FromWorker::Error { error }, None);
            }
        };
        let job = request.job;
        match request.body {
            ToWorker::LoadFile { options, first } => {
                let file = Reflect::get(&data, &FIELD_FILE.into())
                    .ok()
                    .and_then(|f| f.dyn_into::<File>().ok());
                match file {
                    Some(file) => open(job, Source::File(file), options, first),
                    None => post(
                        job,
                        FromWorker::Error {
                            error: internal("no File in the message"),
                        },
                        None,
                    ),
                }
            }
            ToWorker::LoadDemo { lang, first } => {
                open(job, Source::Demo(lang), LoadOptions::default(), first)
            }
            ToWorker::Reload { options } => reload(job, options),
            ToWorker::Remap { mapping, options } => remap(job, mapping, *options),
            ToWorker::DemoXlsx { lang } => demo_xlsx(job, lang),
            ToWorker::Members { query, limit } => members(job, query, limit),
            ToWorker::Export {
                table,
                format,
                lang,
                file_name,
            } => export(job, table, format, lang, file_name),
            ToWorker::History { id } => customer_history(job, id),
        }
    }

    pub fn start() {
        let handler = Closure::<dyn Fn(MessageEvent)>::new(on_message);
        scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        handler.forget();
        post(
            0,
            FromWorker::Ready {
                protocol: PROTOCOL_VERSION,
            },
            None,
        );
    }
}
