//! The error panel: why the input was rejected, in the UI language.

use super::i18n;
use super::state::{AppState, Problem};
use crate::engine::Lang;
use leptos::prelude::*;

/// Shows a [`Problem`]; the upload area above stays usable for the next file.
#[component]
pub fn ErrorPanel(lang: Lang, problem: Problem) -> impl IntoView {
    let state = AppState::get();
    let s = i18n::strings(lang);
    let kind = match &problem {
        Problem::Engine(e) => e.kind(),
        Problem::WorkerDied => "worker_died".to_string(),
        Problem::Stale => "stale".to_string(),
    };
    view! {
        <section class="panel error-panel" data-testid="error" data-kind=kind role="alert">
            <h2>{s.error_title}</h2>
            <p class="file-name">{move || state.file_name.get().unwrap_or_default()}</p>
            <p class="error-message" data-testid="error-message">
                {problem.message(lang)}
            </p>
            <p class="hint">{s.try_another}</p>
        </section>
    }
}
