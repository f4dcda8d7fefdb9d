//! The web app's entry point (wasm only).

#[cfg(target_arch = "wasm32")]
fn main() {
    dealerlens::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The DealerLens web app runs in the browser: build it with `make serve`.");
}
