//! The app's state: a handful of signals shared through the context, and the actions the
//! screens call. The work itself happens in the worker (see [`super::host`]).

use super::setup::{self, Setup, SetupError};
use super::{download, host, i18n, perf};
use crate::engine::history::CustomerHistory;
use crate::engine::select::MemberQuery;
use crate::engine::{
    AnalyzeOptions, EngineError, Lang, LoadOptions, Mapping, Preview, Report, Role, Rules,
};
use crate::protocol::{
    ExportTable, FileFormat, FirstAnalysis, ListFacts, MembersPage, Stage, ToWorker, HEAD_CALLS,
};
use leptos::prelude::*;
use std::collections::BTreeMap;
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

/// A small message above the screens about the saved setup.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The stored setup was refused and replaced by the defaults.
    Replaced(SetupError),
    /// An imported setup file was refused.
    ImportFailed(SetupError),
    /// A setup file was imported.
    Imported,
    /// An xlsx export could not be written (why).
    ExportFailed(String),
}

impl Notice {
    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Notice::Replaced(e) => e.message(lang),
            Notice::ImportFailed(e) => e.import_message(lang),
            Notice::Imported => i18n::rules_text(lang).imported.to_string(),
            Notice::ExportFailed(detail) => i18n::export_failed(lang, detail),
        }
    }

    /// True for the refusals.
    pub fn is_error(&self) -> bool {
        !matches!(self, Notice::Imported)
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
    /// The last report, cut down to what the page shows at once (the worker keeps the rest).
    pub report: RwSignal<Option<Arc<Report>>>,
    /// Length and due dates of each call list of the last report, by name.
    pub lists: RwSignal<Arc<BTreeMap<String, ListFacts>>>,
    /// The last drill-down page the worker sent, with the query it answers (`None` inside:
    /// the worker no longer holds the report).
    pub members: RwSignal<Option<(MemberQuery, Option<MembersPage>)>>,
    /// True while the demo xlsx is being generated.
    pub downloading: RwSignal<bool>,
    /// role → header of the last mapping the user applied (part of the saved setup).
    pub saved_mapping: RwSignal<BTreeMap<Role, String>>,
    /// Bumped when the rules change from outside the rules panel (reset, import).
    pub rules_rev: RwSignal<u32>,
    /// True while the analyses run again after a rule change.
    pub rerunning: RwSignal<bool>,
    /// The message about the saved setup (or a failed export), if any.
    pub notice: RwSignal<Option<Notice>>,
    /// True while the worker writes an export.
    pub exporting: RwSignal<bool>,
    /// The customer whose history is open, if any.
    pub history: RwSignal<Option<HistoryView>>,
}

/// The customer history dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryView {
    /// Asked the worker for this customer's rows.
    Loading(String),
    /// The rows.
    Found(Arc<CustomerHistory>),
    /// The worker no longer knows this customer (e.g. another file was loaded).
    Missing(String),
}

impl HistoryView {
    /// The customer key shown.
    pub fn id(&self) -> &str {
        match self {
            HistoryView::Loading(id) | HistoryView::Missing(id) => id,
            HistoryView::Found(h) => &h.id,
        }
    }
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
            lists: RwSignal::new(Arc::default()),
            members: RwSignal::new(None),
            downloading: RwSignal::new(false),
            saved_mapping: RwSignal::new(BTreeMap::new()),
            rules_rev: RwSignal::new(0),
            rerunning: RwSignal::new(false),
            notice: RwSignal::new(None),
            exporting: RwSignal::new(false),
            history: RwSignal::new(None),
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
        self.history.set(None);
        self.load_options.set(LoadOptions::default());
        // The rules stay: they are part of the saved setup.
        self.analyze_options.update(|o| {
            *o = AnalyzeOptions {
                rules: std::mem::take(&mut o.rules),
                ..AnalyzeOptions::default()
            }
        });
        self.rerunning.set(false);
        self.working();
    }

    /// How a new input is analysed: the current rules and the saved mapping.
    fn first_analysis(&self) -> FirstAnalysis {
        FirstAnalysis {
            options: Box::new(self.analyze_options.get_untracked()),
            mapping_by_header: self.saved_mapping.get_untracked(),
        }
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
                first: self.first_analysis(),
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
        let first = self.first_analysis();
        host::request(ToWorker::LoadDemo { lang, first }, None);
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
        self.saved_mapping.set(setup::mapping_by_header(&mapping));
        self.persist();
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

    /// Asks the worker to write a table of the report as a file; it is saved when it arrives.
    pub fn export(&self, table: ExportTable, format: FileFormat, file_name: String) {
        if self.exporting.get_untracked() {
            return;
        }
        self.exporting.set(true);
        host::request_export(ToWorker::Export {
            table,
            format,
            lang: self.lang.get_untracked(),
            file_name,
        });
    }

    /// Asks the worker for the first rows of a drill-down; they arrive in [`Self::members`].
    pub fn ask_members(&self, query: MemberQuery) {
        host::request_members(ToWorker::Members {
            query,
            limit: HEAD_CALLS,
        });
    }

    /// Opens the history of customer `id` (the worker sends its rows).
    pub fn open_history(&self, id: String) {
        self.history.set(Some(HistoryView::Loading(id.clone())));
        host::request_history(ToWorker::History { id });
    }

    /// Switches the UI language (and remembers it).
    pub fn toggle_lang(&self) {
        let next = match self.lang.get_untracked() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        self.lang.set(next);
        super::save_lang(next);
        self.persist();
    }

    /// The setup as it is now.
    pub fn setup(&self) -> Setup {
        Setup {
            rules: self.analyze_options.with_untracked(|o| o.rules.clone()),
            mapping_by_header: self.saved_mapping.get_untracked(),
            lang: Some(self.lang.get_untracked()),
            ..Setup::default()
        }
    }

    /// Writes the setup to the browser's storage.
    pub fn persist(&self) {
        super::save_setup(&self.setup());
    }

    /// Takes over a saved or imported setup.
    pub fn apply_setup(&self, setup: Setup) {
        self.analyze_options.update(|o| o.rules = setup.rules);
        self.saved_mapping.set(setup.mapping_by_header);
        if let Some(lang) = setup.lang {
            self.lang.set(lang);
        }
        self.rules_rev.update(|n| *n += 1);
    }

    /// Changes the rules without analysing again (see [`Self::rerun`]).
    pub fn set_rules(&self, rules: Rules) {
        self.analyze_options.update(|o| o.rules = rules);
    }

    /// Saves the setup and analyses the current input again with the current rules, keeping
    /// the report on screen until the new one arrives.
    pub fn rerun(&self) {
        self.persist();
        if self.phase.with_untracked(|p| *p != Phase::Report) {
            return;
        }
        let Some(mapping) = self
            .preview
            .with_untracked(|p| p.as_ref().map(|p| p.mapping.clone()))
        else {
            return;
        };
        let options = Box::new(self.analyze_options.get_untracked());
        self.rerunning.set(true);
        perf::rerun_sent();
        host::request_quiet(ToWorker::Remap { mapping, options });
    }

    /// Back to the default rules, and analyses again.
    pub fn reset_rules(&self) {
        self.set_rules(Rules::default());
        self.rules_rev.update(|n| *n += 1);
        self.rerun();
    }

    /// Offers the setup as a JSON file (never any data rows).
    pub fn export_setup(&self) {
        download::save_text(setup::FILE_NAME, download::JSON, &self.setup().to_json());
    }

    /// Takes over a setup file's text; analyses again when a report is shown.
    pub fn import_setup(&self, text: &str) {
        match Setup::from_json(text) {
            Ok(s) => {
                self.apply_setup(s);
                self.notice.set(Some(Notice::Imported));
                self.rerun();
            }
            Err(e) => self.notice.set(Some(Notice::ImportFailed(e))),
        }
    }
}
