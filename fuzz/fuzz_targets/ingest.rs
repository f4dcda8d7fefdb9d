//! Any bytes through the whole pipeline: format sniffing, every reader (xlsx, xlsb, xls,
//! ods, CSV/TSV, HTML), header and role detection, the preview and the analysis.
//!
//! libfuzzer-sys turns every panic into an abort, including the ones the engine catches
//! with `catch_unwind` around calamine: on wasm those would kill the worker, so they are
//! findings too.
#![no_main]

use dealerlens::engine::{self, AnalyzeOptions, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = engine::ingest::detect_format(data);
    if let Ok(loaded) = engine::load(data, &LoadOptions::default()) {
        let _ = loaded.preview(&loaded.detected, 20);
        let _ = engine::analyze(&loaded, &loaded.detected, &AnalyzeOptions::default());
    }
});
