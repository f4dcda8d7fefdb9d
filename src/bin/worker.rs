//! The parsing worker (wasm only).
fn main() {}
