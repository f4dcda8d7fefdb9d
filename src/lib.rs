//! DealerLens · 车店客户分析.
//!
//! - [`engine`]: pure Rust — ingest a spreadsheet export, map its columns, account for every
//!   row and build a [`engine::Report`]. No web crates.
//! - [`charts`]: one function per chart, data in, SVG text out (plotters).
//! - [`order`]: the one stable sort of the page's small lists.
//! - [`protocol`]: the messages exchanged between the page and its parsing worker.
//! - [`app`]: the Leptos user interface (wasm only), and the pure parts it shows (number
//!   formats, strings, the dashboard's data) that also build natively for tests.

pub mod charts;
pub mod engine;
pub mod order;
pub mod protocol;

pub mod app;
