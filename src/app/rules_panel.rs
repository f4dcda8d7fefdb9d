//! The rules panel: every threshold of [`crate::engine::Rules`] as a number field, grouped by
//! section. A valid change re-runs the analyses on the kept records (300 ms after the last
//! keystroke); an invalid one is shown next to its field and not sent. Also the buttons that
//! export and import the saved setup.

use super::format::count;
use super::i18n;
use super::model;
use super::setup::{self, Field, FieldError, ListError, FIELDS};
use super::state::AppState;
use crate::engine::Rules;
use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

/// Quiet time after the last keystroke before the analyses run again.
const DEBOUNCE: Duration = Duration::from_millis(300);

thread_local! {
    /// The pending re-run, cancelled by the next keystroke.
    static PENDING: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
}

/// Runs the analyses again once typing has paused.
fn schedule_rerun(state: AppState) {
    if let Some(h) = PENDING.with(Cell::take) {
        h.clear();
    }
    let handle = set_timeout_with_handle(
        move || {
            PENDING.with(|p| p.set(None));
            state.rerun();
        },
        DEBOUNCE,
    )
    .ok();
    PENDING.with(|p| p.set(handle));
}

/// A field with its typed text and its error.
type Input = (
    &'static Field,
    RwSignal<String>,
    RwSignal<Option<FieldError>>,
);

/// `rule-lifecycle-at-risk-days`.
fn field_id(field: &Field) -> String {
    format!("rule-{}-{}", field.section, field.key).replace('_', "-")
}

/// One field with its label and error.
fn rule_input(
    state: AppState,
    field: &'static Field,
    text: RwSignal<String>,
    error: RwSignal<Option<FieldError>>,
) -> impl IntoView {
    let id = field_id(field);
    let error_id = format!("{id}-error");
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        let current = state.analyze_options.with_untracked(|o| o.rules.clone());
        match setup::set(&current, field, &value) {
            Ok(rules) => {
                error.set(None);
                if rules != current {
                    state.set_rules(rules);
                    schedule_rerun(state);
                }
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <div class="rule-field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>
                {move || i18n::rule_label(field.section, field.key, state.lang.get())}
            </label>
            <input
                type="text"
                inputmode="decimal"
                id=id.clone()
                data-testid=id.clone()
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || text.get()
                on:input=on_input
            />
            <span class="field-error" id=error_id.clone() data-testid=error_id role="alert">
                {move || error.get().map(|e| e.message(state.lang.get()))}
            </span>
        </div>
    }
}

/// A list of `name = values` lines (series tickets, need keywords) as a text area.
fn list_input(
    state: AppState,
    testid: &'static str,
    label: fn(&i18n::RulesText) -> &'static str,
    hint: fn(&i18n::RulesText) -> &'static str,
    text: RwSignal<String>,
    apply: fn(&Rules, &str) -> Result<Rules, ListError>,
) -> impl IntoView {
    let error: RwSignal<Option<ListError>> = RwSignal::new(None);
    let error_id = format!("{testid}-error");
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        let current = state.analyze_options.with_untracked(|o| o.rules.clone());
        match apply(&current, &value) {
            Ok(rules) => {
                error.set(None);
                if rules != current {
                    state.set_rules(rules);
                    schedule_rerun(state);
                }
            }
            Err(e) => error.set(Some(e)),
        }
    };
    // Reset and import replace the text: its error goes.
    Effect::new(move |_| {
        state.rules_rev.track();
        error.set(None);
    });
    let t = move || i18n::rules_text(state.lang.get());
    view! {
        <div class="rule-list" class:invalid=move || error.with(Option::is_some)>
            <label for=testid>{move || label(t())}</label>
            <textarea
                id=testid
                data-testid=testid
                rows="3"
                placeholder=move || hint(t())
                aria-describedby=error_id.clone()
                prop:value=move || text.get()
                on:input=on_input
            ></textarea>
            <span class="field-error" id=error_id.clone() data-testid=error_id role="alert">
                {move || error.get().map(|e| e.message(state.lang.get()))}
            </span>
        </div>
    }
}

/// The fields of the rules panel: built when the panel is first opened.
fn rule_fields(state: AppState) -> impl IntoView {
    let rules = state.analyze_options.with_untracked(|o| o.rules.clone());
    let inputs: Vec<Input> = FIELDS
        .iter()
        .map(|f| (f, RwSignal::new(setup::get(&rules, f)), RwSignal::new(None)))
        .collect();

    let series = RwSignal::new(setup::series_text(&rules));
    let keywords = RwSignal::new(setup::keywords_text(&rules));

    // Reset and import change the rules from outside: show them.
    let shown = inputs.clone();
    Effect::new(move |_| {
        state.rules_rev.track();
        let rules = state.analyze_options.with_untracked(|o| o.rules.clone());
        for (f, text, error) in &shown {
            text.set(setup::get(&rules, f));
            error.set(None);
        }
        series.set(setup::series_text(&rules));
        keywords.set(setup::keywords_text(&rules));
    });
    let lists = view! {
        <fieldset class="rule-section rule-lists" data-section="lists">
            <legend>{move || i18n::rules_text(state.lang.get()).lists_title}</legend>
            {list_input(
                state,
                "rule-series-ticket",
                |t| t.series,
                |t| t.series_hint,
                series,
                setup::set_series,
            )}
            {list_input(
                state,
                "rule-need-keywords",
                |t| t.keywords,
                |t| t.keywords_hint,
                keywords,
                setup::set_keywords,
            )}
        </fieldset>
    };

    let sections = setup::sections()
        .into_iter()
        .map(|section| {
            let fields = inputs
                .iter()
                .filter(|(f, _, _)| f.section == section)
                .map(|(f, text, error)| rule_input(state, f, *text, *error))
                .collect_view();
            view! {
                <fieldset class="rule-section" data-section=section>
                    <legend>{move || i18n::rule_section(section, state.lang.get())}</legend>
                    <div class="rule-grid">{fields}</div>
                </fieldset>
            }
        })
        .collect_view();

    view! { <div class="rule-sections">{sections} {lists}</div> }
}

/// The rules panel (shown with the report).
#[component]
pub fn RulesPanel() -> impl IntoView {
    let state = AppState::get();
    let t = move || i18n::rules_text(state.lang.get());
    // The fields are built when the panel is first opened (it starts closed).
    let opened = RwSignal::new(false);
    // The counts the thresholds move, from the latest report.
    let live = move || {
        let lang = state.lang.get();
        state.report.with(|r| {
            r.as_ref().map(|r| {
                let h = model::headline(r);
                let d = i18n::dash(lang);
                let lc = |c: &str| crate::engine::analysis::segments::label(c, lang);
                format!(
                    "{} {} · {} {} · {} {} · {} {} · {} {}",
                    lc("new"),
                    count(h.new),
                    lc("active"),
                    count(h.active),
                    lc("at_risk"),
                    count(h.at_risk),
                    lc("lost"),
                    count(h.lost),
                    d.customers_for_80,
                    count(h.count_for_80),
                )
            })
        })
    };

    view! {
        <details class="panel rules" data-testid="rules-panel">
            <summary data-testid="rules-toggle" on:click=move |_| opened.set(true)>
                <h3>{move || t().title}</h3>
            </summary>
            <p class="muted">{move || t().intro}</p>
            <div class="rules-live" aria-live="polite">
                <span data-testid="rules-live">{live}</span>
                <span
                    class="muted"
                    data-testid="rules-busy"
                    data-busy=move || state.rerunning.get().to_string()
                >
                    {move || state.rerunning.get().then(|| t().rerunning)}
                </span>
            </div>
            {move || opened.get().then(|| untrack(|| rule_fields(state)))}
            <div class="actions">
                <button
                    type="button"
                    class="button secondary"
                    data-testid="rules-reset"
                    on:click=move |_| state.reset_rules()
                >
                    {move || t().reset}
                </button>
            </div>
        </details>
    }
}

/// Export and import of the saved setup (rules, mapping by header name, language).
#[component]
pub fn SetupButtons() -> impl IntoView {
    let state = AppState::get();
    let t = move || i18n::rules_text(state.lang.get());
    let on_import = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|list| list.item(0));
        input.set_value("");
        if let Some(file) = file {
            leptos::task::spawn_local(async move {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                state.import_setup(&text);
            });
        }
    };
    view! {
        <div class="setup-buttons">
            <button
                type="button"
                class="button ghost"
                data-testid="setup-export"
                on:click=move |_| state.export_setup()
            >
                {move || t().export}
            </button>
            <label class="button ghost file-button">
                {move || t().import}
                <input
                    type="file"
                    accept=".json,application/json"
                    class="visually-hidden"
                    data-testid="setup-import"
                    on:change=on_import
                />
            </label>
        </div>
    }
}
