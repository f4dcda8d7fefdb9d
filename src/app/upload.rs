//! The upload area: the drop zone with a file chooser, and the demo data (load it, or
//! download it as xlsx).

use super::i18n;
use super::state::{AppState, Phase};
use leptos::prelude::*;
use web_sys::HtmlInputElement;

/// Drop zone, file chooser and demo buttons.
#[component]
pub fn Upload(
    /// True while a file is dragged over the page.
    dragging: RwSignal<bool>,
) -> impl IntoView {
    let state = AppState::get();
    let s = move || i18n::strings(state.lang.get());
    // Once something is shown below, the upload area gets out of the way.
    let compact = move || !matches!(state.phase.get(), Phase::Idle);

    let on_change = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|list| list.item(0));
        if let Some(file) = file {
            state.load_file(file);
        }
        // Let the same file be chosen again.
        input.set_value("");
    };

    view! {
        <section class="upload" class:compact=compact>
            <div class="drop-zone" class:dragging=move || dragging.get() data-testid="drop-zone">
                <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 15V4m0 0L7.5 8.5M12 4l4.5 4.5" />
                    <path d="M4 14v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4" />
                </svg>
                <div class="drop-text">
                    <p class="drop-title">{move || s().drop_title}</p>
                    <p class="drop-actions">
                        <span>{move || s().drop_hint}</span>
                        <label class="button primary file-button">
                            <span>{move || s().choose_file}</span>
                            <input
                                type="file"
                                class="visually-hidden"
                                data-testid="file-input"
                                on:change=on_change
                            />
                        </label>
                    </p>
                    <p class="formats">{move || s().formats}</p>
                </div>
            </div>
            <div class="demo-box">
                <p class="demo-lead">{move || s().or}</p>
                <button
                    type="button"
                    class="button secondary"
                    data-testid="load-demo"
                    on:click=move |_| state.load_demo()
                >
                    {move || s().load_demo}
                </button>
                <button
                    type="button"
                    class="link-button"
                    data-testid="download-demo"
                    disabled=move || state.downloading.get()
                    on:click=move |_| state.download_demo()
                >
                    {move || {
                        if state.downloading.get() { s().preparing_download } else { s().download_demo }
                    }}
                </button>
            </div>
        </section>
    }
}
