//! Fuzz target: `portcullis::fuzzing::osv_record` (see that function for what it drives and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis::fuzzing::osv_record(data));
