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

/// Offers a chart's SVG as a PNG `scale` times its size (2 or 3 for print and HiDPI
/// screens), drawn on a white background by the browser itself: the SVG is loaded as an
/// image from an object URL and painted on a canvas.
pub fn save_png(name: String, svg: String, scale: u32) {
    let Some((w, h)) = crate::charts::svg_size(&svg) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = render_png(&name, &svg, w, h, scale).await {
            web_sys::console::error_2(&"dealerlens: PNG export failed".into(), &e);
        }
    });
}

async fn render_png(name: &str, svg: &str, w: u32, h: u32, scale: u32) -> Result<(), JsValue> {
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};
    let parts = Array::of1(&JsValue::from_str(svg));
    let opts = BlobPropertyBag::new();
    opts.set_type(SVG);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let img = HtmlImageElement::new()?;
    img.set_src(&url);
    let decoded = JsFuture::from(img.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(w * scale);
    canvas.set_height(h * scale);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2d context"))?
        .dyn_into()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(w * scale), f64::from(h * scale));
    ctx.draw_image_with_html_image_element_and_dw_and_dh(
        &img,
        0.0,
        0.0,
        f64::from(w * scale),
        f64::from(h * scale),
    )?;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if canvas.to_blob(&resolve).is_err() {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    let png = JsFuture::from(promise).await?;
    let png: Blob = png.dyn_into()?;
    save_blob(name, &png);
    Ok(())
}
