//! The Leptos user interface.
//!
//! - [`state`]: the signals shared by the screens and the actions they call;
//! - [`host`]: the page's side of the parsing worker (`src/bin/worker.rs`);
//! - one module per screen: [`upload`], [`progress`], [`mapping`], [`error_panel`],
//!   [`report`], framed by [`shell`];
//! - [`i18n`]: every string in Chinese and English; [`format`]: numbers and dates;
//! - [`model`]: what the dashboard shows, computed from the Report; [`dashboard`] draws it;
//! - [`setup`]: the saved setup and the thresholds' fields; [`rules_panel`] edits them.
//!
//! The screens only show what the engine computed and send the user's choices back.
//! `format`, `i18n`, `model` and `setup` use no web crate and build natively (they are tested there);
//! everything else is wasm only.

#[cfg(target_arch = "wasm32")]
pub mod dashboard;
#[cfg(target_arch = "wasm32")]
pub mod download;
#[cfg(target_arch = "wasm32")]
pub mod error_panel;
pub mod format;
#[cfg(target_arch = "wasm32")]
pub mod host;
pub mod i18n;
#[cfg(target_arch = "wasm32")]
pub mod mapping;
pub mod model;
#[cfg(target_arch = "wasm32")]
pub mod perf;
#[cfg(target_arch = "wasm32")]
pub mod progress;
#[cfg(target_arch = "wasm32")]
pub mod report;
#[cfg(target_arch = "wasm32")]
pub mod rules_panel;
pub mod setup;
#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod upload;

#[cfg(target_arch = "wasm32")]
pub use web::*;

/// Start-up and the browser's storage (wasm only).
#[cfg(target_arch = "wasm32")]
mod web {
    use super::setup::{Setup, SetupError, STORAGE_KEY};
    use super::shell;
    use crate::engine::Lang;

    const LANG_KEY: &str = "dealerlens.lang";

    /// Mounts the app on `<body>`.
    pub fn start() {
        console_error_panic_hook::set_once();
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("dl-loading"))
        {
            el.remove();
        }
        leptos::mount::mount_to_body(shell::App);
    }

    fn local_storage() -> Option<web_sys::Storage> {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }

    /// The language saved by the toggle, if any.
    pub(crate) fn saved_lang() -> Option<String> {
        local_storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten())
    }

    /// The stored setup: `Ok(None)` when there is none, an error when it is refused.
    pub(crate) fn load_setup() -> Result<Option<Setup>, SetupError> {
        let text = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        text.map(|t| Setup::from_json(&t)).transpose()
    }

    /// Stores the setup (replacing whatever was there).
    pub(crate) fn save_setup(setup: &Setup) {
        if let Some(s) = local_storage() {
            let _ = s.set_item(STORAGE_KEY, &setup.to_json());
        }
    }

    /// The browser's preferred language (`navigator.language`).
    pub(crate) fn navigator_language() -> String {
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .unwrap_or_default()
    }

    /// Remembers the language chosen with the toggle.
    pub(crate) fn save_lang(lang: Lang) {
        if let Some(s) = local_storage() {
            let code = match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            };
            let _ = s.set_item(LANG_KEY, code);
        }
    }
}
