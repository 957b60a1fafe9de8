//! The whole pipeline over arbitrary text: no panic, and every event's spans point at its words.
#![no_main]

use dyad_coder::{Coder, Document};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(|| Coder::builtin().expect("built-in dictionaries load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let doc = Document::new("fuzz", text.clone()).with_date("2020-02-29".parse().ok());
    for e in coder().code(&doc) {
        assert_eq!(&text[e.span.start..e.span.end], e.sentence);
        assert_eq!(&text[e.trigger.span.start..e.trigger.span.end], e.trigger.text);
    }
});
