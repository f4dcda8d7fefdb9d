//! The Leptos app.
pub fn start() {}
