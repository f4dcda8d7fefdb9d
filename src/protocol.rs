//! Messages between the page and the parsing worker.
