//! Any bytes through the whole pipeline: format sniffing, every reader (xlsx, xlsb, xls,
//! ods, CSV/TSV, HTML), header and role detection, the preview and the analysis.
//!
//! With `DEALERLENS_FUZZ_STRICT=1` every panic is a crash, including the ones the engine
//! catches around calamine (on wasm those would kill the worker); by default panics inside
//! calamine are tolerated (see `common.rs`).
#![no_main]

use dealerlens::engine::{self, AnalyzeOptions, LoadOptions};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::tolerate_calamine_panics();
    let _ = engine::ingest::detect_format(data);
    if let Ok(loaded) = engine::load(data, &LoadOptions::default()) {
        let _ = loaded.preview(&loaded.detected, 20);
        let _ = engine::analyze(&loaded, &loaded.detected, &AnalyzeOptions::default());
    }
});
