//! DealerLens · 车店客户分析.
//!
//! - [`engine`]: pure Rust — ingest a spreadsheet export, map its columns, account for every
//!   row and build a [`engine::Report`]. No web crates.
//! - [`charts`]: one function per chart, data in, SVG text out (plotters).
//! - [`protocol`]: the messages exchanged between the page and its parsing worker.
//! - `app` (wasm only): the Leptos user interface.

pub mod charts;
pub mod engine;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod app;
