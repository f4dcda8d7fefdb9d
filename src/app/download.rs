//! Saves text made on the page (CSV, SVG) as a file: a `Blob`, a temporary object URL and a
//! click on a detached link. Nothing leaves the machine.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// MIME type of the CSV exports.
pub const CSV: &str = "text/csv;charset=utf-8";
/// MIME type of the setup export.
pub const JSON: &str = "application/json;charset=utf-8";
/// MIME type of the chart exports.
pub const SVG: &str = "image/svg+xml;charset=utf-8";

/// Offers `text` (encoded as UTF-8) as a download named `name`.
pub fn save_text(name: &str, mime: &str, text: &str) {
    let parts = Array::of1(&JsValue::from_str(text));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &opts) {
        save_blob(name, &blob);
    }
}

/// Offers a blob as a download named `name`, through a temporary object URL.
pub fn save_blob(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoke later: the download starts asynchronously.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
}
