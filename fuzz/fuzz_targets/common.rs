//! Shared by the targets that read workbooks.

/// calamine panics are caught by the engine (`catch_unwind` around every calamine call)
/// and become "this file could not be read"; libfuzzer-sys's panic hook would still abort
/// on them. Unless `DEALERLENS_FUZZ_STRICT` is set, panics raised inside calamine are let
/// through to that `catch_unwind`, so fuzzing goes on past known upstream panics (see
/// docs/FUZZING.md), while a panic anywhere else still aborts and is reported.
pub fn tolerate_calamine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("DEALERLENS_FUZZ_STRICT").is_some() {
            return;
        }
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                abort_hook(info);
            }
        }));
    });
}
