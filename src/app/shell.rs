//! The frame around the screens: title bar with the language toggle, the upload area, the
//! screen of the current phase, and the footer. The whole page accepts a dropped file.

use super::error_panel::ErrorPanel;
use super::i18n;
use super::mapping::MappingScreen;
use super::progress::ProgressPanel;
use super::report::ReportView;
use super::rules_panel::{RulesPanel, SetupButtons};
use super::state::{AppState, Notice, Phase};
use super::upload::Upload;
use super::{host, load_setup, navigator_language, saved_lang};
use leptos::prelude::*;
use web_sys::DragEvent;

/// The first file of a drag event, if any.
fn dropped_file(ev: &DragEvent) -> Option<web_sys::File> {
    ev.data_transfer()?.files()?.item(0)
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let (setup, refused) = match load_setup() {
        Ok(s) => (s.unwrap_or_default(), None),
        Err(e) => (Default::default(), Some(e)),
    };
    let lang = i18n::initial_lang(saved_lang().as_deref(), &navigator_language());
    let state = AppState::new(lang);
    provide_context(state);
    host::init(state);
    state.apply_setup(setup);
    if let Some(e) = refused {
        // Replace the refused setup by the defaults, and say so.
        state.notice.set(Some(Notice::Replaced(e)));
        state.persist();
    }
    // The rules panel stays while the report is re-rendered after a rule change.
    let show_rules = Memo::new(move |_| state.phase.with(|p| *p == Phase::Report));
    let notice = move || {
        state.notice.get().map(|n| {
            let lang = state.lang.get();
            view! {
                <div
                    class="notice"
                    class:error=n.is_error()
                    role="status"
                    data-testid="setup-notice"
                >
                    <span>{n.message(lang)}</span>
                    <button
                        type="button"
                        class="button ghost"
                        data-testid="setup-notice-dismiss"
                        on:click=move |_| state.notice.set(None)
                    >
                        {i18n::rules_text(lang).dismiss}
                    </button>
                </div>
            }
        })
    };

    Effect::new(move |_| {
        let code = i18n::lang_code(state.lang.get());
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", code);
        }
    });

    let dragging = RwSignal::new(false);
    let s = move || i18n::strings(state.lang.get());

    // A re-run sets the phase to `Report` again: the report stays mounted and redraws only
    // the panels whose part of the new Report differs.
    let phase = Memo::new(move |_| state.phase.get());
    let main_area = move || {
        let lang = state.lang.get();
        match phase.get() {
            Phase::Idle => ().into_any(),
            Phase::Working { stage, done, total } => {
                view! { <ProgressPanel lang stage done total /> }.into_any()
            }
            Phase::Mapping => view! { <MappingScreen lang /> }.into_any(),
            Phase::Report => match state.report.get_untracked() {
                Some(first) => view! { <ReportView lang first /> }.into_any(),
                None => ().into_any(),
            },
            Phase::Error(problem) => view! { <ErrorPanel lang problem /> }.into_any(),
        }
    };

    view! {
        <div
            class="app"
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |ev: DragEvent| {
                if ev.related_target().is_none() {
                    dragging.set(false);
                }
            }
            on:drop=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                if let Some(file) = dropped_file(&ev) {
                    state.load_file(file);
                }
            }
        >
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true">
                        "DL"
                    </span>
                    <div>
                        <h1>{move || s().app_name}</h1>
                        <p class="tagline">{move || s().tagline}</p>
                    </div>
                </div>
                <div class="topbar-right">
                    <span class="privacy">{move || s().privacy}</span>
                    <SetupButtons />
                    <button
                        type="button"
                        class="button ghost lang-toggle"
                        data-testid="lang-toggle"
                        title=move || s().switch_lang_title
                        on:click=move |_| state.toggle_lang()
                    >
                        {move || s().switch_lang}
                    </button>
                </div>
            </header>
            <main class="content">
                {notice}
                <Upload dragging />
                {move || show_rules.get().then(|| view! { <RulesPanel /> })}
                {main_area}
            </main>
            <footer class="footer">{move || s().footer}</footer>
        </div>
    }
}
