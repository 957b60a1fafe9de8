//! The JSONL record parser must turn any bytes into a document or an error message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((doc, _warnings)) = dyad_coder::input::parse_record(data) {
        assert!(doc.text.len() <= data.len() * 3);
    }
});
