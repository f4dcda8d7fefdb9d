//! The app's state: a handful of signals shared through the context, and the actions the
//! screens call. The work itself happens in the worker (see [`super::host`]).

use super::{host, i18n, perf};
use crate::engine::{AnalyzeOptions, EngineError, Lang, LoadOptions, Mapping, Preview, Report};
use crate::protocol::{Stage, ToWorker};
use leptos::prelude::*;
use std::sync::Arc;
use web_sys::File;

/// Which screen the main area shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Nothing loaded yet.
    Idle,
    /// The worker is busy; `stage` is `None` until it reports.
    Working {
        stage: Option<Stage>,
        done: u64,
        total: u64,
    },
    /// The mapping screen (required roles missing, or the user asked to change it).
    Mapping,
    /// The report.
    Report,
    /// Something went wrong.
    Error(Problem),
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The engine rejected the input.
    Engine(EngineError),
    /// The worker died (a panic, out of memory, or it failed to start).
    WorkerDied,
    /// The worker speaks another protocol version (a stale cached file).
    Stale,
}

impl Problem {
    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Engine(e) => e.message(lang),
            Problem::WorkerDied => i18n::strings(lang).worker_died.to_string(),
            Problem::Stale => i18n::strings(lang).worker_stale.to_string(),
        }
    }
}

/// The signals the screens read and write.
#[derive(Clone, Copy)]
pub struct AppState {
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// The screen shown.
    pub phase: RwSignal<Phase>,
    /// The name of the file being analysed (or the demo's label).
    pub file_name: RwSignal<Option<String>>,
    /// The input's preview (headers, sample rows, mapping).
    pub preview: RwSignal<Option<Preview>>,
    /// The mapping being edited on the mapping screen.
    pub draft: RwSignal<Mapping>,
    /// How the input was read.
    pub load_options: RwSignal<LoadOptions>,
    /// Analysis options (reference date).
    pub analyze_options: RwSignal<AnalyzeOptions>,
    /// The last report.
    pub report: RwSignal<Option<Arc<Report>>>,
    /// True while the demo xlsx is being generated.
    pub downloading: RwSignal<bool>,
}

impl AppState {
    /// Fresh state in the given language.
    pub fn new(lang: Lang) -> Self {
        AppState {
            lang: RwSignal::new(lang),
            phase: RwSignal::new(Phase::Idle),
            file_name: RwSignal::new(None),
            preview: RwSignal::new(None),
            draft: RwSignal::new(Mapping::default()),
            load_options: RwSignal::new(LoadOptions::default()),
            analyze_options: RwSignal::new(AnalyzeOptions::default()),
            report: RwSignal::new(None),
            downloading: RwSignal::new(false),
        }
    }

    /// The state provided by the root component.
    pub fn get() -> Self {
        expect_context::<AppState>()
    }

    fn start_new_input(&self, name: String) {
        perf::clear();
        perf::mark(perf::FILE_SELECTED);
        self.file_name.set(Some(name));
        self.preview.set(None);
        self.report.set(None);
        self.load_options.set(LoadOptions::default());
        self.analyze_options.set(AnalyzeOptions::default());
        self.working();
    }

    fn working(&self) {
        self.phase.set(Phase::Working {
            stage: None,
            done: 0,
            total: 0,
        });
    }

    /// Reads a file the user chose or dropped.
    pub fn load_file(&self, file: File) {
        self.start_new_input(file.name());
        host::request(
            ToWorker::LoadFile {
                options: LoadOptions::default(),
            },
            Some(file),
        );
    }

    /// Loads the demo export.
    pub fn load_demo(&self) {
        let lang = self.lang.get_untracked();
        let name = match lang {
            Lang::Zh => "演示数据",
            Lang::En => "Demo data",
        };
        self.start_new_input(name.to_string());
        host::request(ToWorker::LoadDemo { lang }, None);
    }

    /// Reads the current input again with other options (sheet, encoding, header row).
    pub fn reload(&self, options: LoadOptions) {
        self.load_options.set(options.clone());
        self.working();
        host::request(ToWorker::Reload { options }, None);
    }

    /// Analyses the current input with the draft mapping.
    pub fn apply_mapping(&self) {
        let mapping = self.draft.get_untracked();
        let options = Box::new(self.analyze_options.get_untracked());
        self.working();
        host::request(ToWorker::Remap { mapping, options }, None);
    }

    /// Shows the mapping screen for the current report.
    pub fn edit_mapping(&self) {
        if let Some(p) = self.preview.get_untracked() {
            self.draft.set(p.mapping.clone());
            self.phase.set(Phase::Mapping);
        }
    }

    /// Back from the mapping screen to the last report.
    pub fn back_to_report(&self) {
        if self.report.with_untracked(Option::is_some) {
            self.phase.set(Phase::Report);
        }
    }

    /// Stops the work in progress (the worker is replaced).
    pub fn cancel(&self) {
        host::restart();
        self.phase
            .set(if self.report.with_untracked(Option::is_some) {
                Phase::Report
            } else {
                Phase::Idle
            });
    }

    /// Asks the worker for the demo as an xlsx file; it is saved when it arrives.
    pub fn download_demo(&self) {
        if self.downloading.get_untracked() {
            return;
        }
        self.downloading.set(true);
        host::request_download(ToWorker::DemoXlsx {
            lang: self.lang.get_untracked(),
        });
    }

    /// Switches the UI language (and remembers it).
    pub fn toggle_lang(&self) {
        let next = match self.lang.get_untracked() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        self.lang.set(next);
        super::save_lang(next);
    }
}
