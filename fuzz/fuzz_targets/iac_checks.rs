//! Fuzz target: `portcullis::fuzzing::iac_checks` (see that function for what it drives and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis::fuzzing::iac_checks(data));
