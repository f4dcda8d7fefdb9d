//! The progress panel: which step the worker is on, and a way to stop it.

use super::i18n;
use super::state::AppState;
use crate::engine::Lang;
use crate::protocol::Stage;
use leptos::prelude::*;

const STEPS: [Stage; 3] = [Stage::Reading, Stage::Parsing, Stage::Analysing];

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Reading => "reading",
        Stage::Parsing => "parsing",
        Stage::Analysing => "analysing",
    }
}

fn stage_label(stage: Option<Stage>, lang: Lang) -> &'static str {
    let s = i18n::strings(lang);
    match stage {
        None => s.stage_starting,
        Some(Stage::Reading) => s.stage_reading,
        Some(Stage::Parsing) => s.stage_parsing,
        Some(Stage::Analysing) => s.stage_analysing,
    }
}

/// Shows the current stage with a progress bar (indeterminate when the total is unknown).
#[component]
pub fn ProgressPanel(
    lang: Lang,
    /// The stage reported by the worker; `None` before its first message.
    stage: Option<Stage>,
    done: u64,
    total: u64,
) -> impl IntoView {
    let state = AppState::get();
    let s = i18n::strings(lang);
    let current = stage.map(|st| STEPS.iter().position(|x| *x == st).unwrap_or(0));
    let steps = STEPS
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let class = match current {
                Some(c) if i < c => "step done",
                Some(c) if i == c => "step current",
                _ => "step",
            };
            view! { <li class=class>{stage_label(Some(*st), lang)}</li> }
        })
        .collect_view();
    // Reading reports bytes; parsing rows of the sheet (bytes of a text); analysing no fraction.
    let bar = if total > 0 && done < total {
        view! { <progress max=total.to_string() value=done.to_string()></progress> }.into_any()
    } else {
        view! { <progress></progress> }.into_any()
    };
    view! {
        <section
            class="panel progress-panel"
            data-testid="progress"
            data-stage=stage.map(stage_name).unwrap_or("starting")
            aria-live="polite"
            aria-busy="true"
        >
            <div class="progress-head">
                <h2>{stage_label(stage, lang)}</h2>
                <span class="file-name">{move || state.file_name.get().unwrap_or_default()}</span>
            </div>
            {bar}
            <ol class="steps">{steps}</ol>
            <div class="actions">
                <button type="button" class="button secondary" on:click=move |_| state.cancel()>
                    {s.cancel}
                </button>
            </div>
        </section>
    }
}
