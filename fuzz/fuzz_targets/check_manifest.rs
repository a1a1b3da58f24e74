//! Fuzz target `check_manifest`: see `fuzz/harness.rs` for what it runs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::on_stack(|| harness::check_manifest(data)));
