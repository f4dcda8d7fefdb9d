//! Bytes as CSV/TSV (and as an HTML page) with every encoding choice, then the analysis.
#![no_main]

use dealerlens::engine::ingest::{read_csv, read_html, EncodingChoice, IngestOptions};
use dealerlens::engine::{self, AnalyzeOptions, Loaded};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::tolerate_calamine_panics();
    for encoding in [
        EncodingChoice::Auto,
        EncodingChoice::Utf8,
        EncodingChoice::Gb18030,
        EncodingChoice::Utf16,
    ] {
        let opts = IngestOptions {
            encoding,
            ..IngestOptions::default()
        };
        for table in [read_csv(data, &opts), read_html(data, &opts)]
            .into_iter()
            .flatten()
        {
            if let Ok(loaded) = Loaded::from_table(table, None) {
                let _ = engine::analyze(&loaded, &loaded.detected, &AnalyzeOptions::default());
            }
        }
    }
});
