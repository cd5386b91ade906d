//! Fuzz target: `portcullis::fuzzing::rustsec` (see that function for what it drives and checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| portcullis::fuzzing::rustsec(data));
