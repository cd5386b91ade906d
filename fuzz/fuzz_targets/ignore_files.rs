//! Fuzz target: `portcullis::fuzzing::ignore_files` (see that function for what it drives and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis::fuzzing::ignore_files(data));
