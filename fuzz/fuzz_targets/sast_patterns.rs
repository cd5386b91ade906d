//! Fuzz target: `portcullis::fuzzing::sast_patterns` (see that function for what it drives and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis::fuzzing::sast_patterns(data));
