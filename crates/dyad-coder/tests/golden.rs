//! Golden tests: one small fixture article per phenomenon under `tests/golden/`.
//!
//! A fixture `NAME.txt` may start with header lines `# date: YYYY-MM-DD` (publication date) and other `#`
//! comments; the text follows the first line that is not a header. `NAME.events` holds the expected
//! events, one per line, in the compact form [`render`] writes:
//!
//! ```text
//! RUSGOV 042 IRN 2007/year asserted
//! IRN 050 RUSREB -/unknown negated attr="Kozhanov"
//! ```
//!
//! Expectations are written by hand for what a correct coder must produce, and reviewed like code.
//! `DYAD_BLESS=1 cargo test --test golden` rewrites the `.events` files from the current output, for
//! reviewing the diff with git.

#![allow(clippy::unwrap_used)]

use dyad_coder::{Coder, Document, Event};
use std::fmt::Write as _;
use std::path::Path;

pub fn render(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        let code = |a: &Option<dyad_coder::Actor>| {
            a.as_ref().map_or("-".to_string(), |a| a.code.0.clone())
        };
        let date = format!(
            "{}/{}",
            e.date.value.as_deref().unwrap_or("-"),
            e.date.precision.as_str()
        );
        let modality = match (e.negated, e.hedged) {
            (false, false) => "asserted",
            (true, false) => "negated",
            (false, true) => "hedged",
            (true, true) => "negated,hedged",
        };
        let _ = write!(
            out,
            "{} {} {} {} {}",
            code(&e.source),
            e.cameo,
            code(&e.target),
            date,
            modality
        );
        if let Some(a) = &e.attribution {
            let _ = write!(out, " attr={:?}", a.text);
        }
        out.push('\n');
    }
    out
}

fn parse_fixture(name: &str, raw: &str) -> Document {
    let mut date = None;
    let mut body_start = 0;
    for line in raw.split_inclusive('\n') {
        if !line.starts_with('#') {
            break;
        }
        if let Some(d) = line.trim().strip_prefix("# date:") {
            date = Some(d.trim().parse().expect("fixture date is YYYY-MM-DD"));
        }
        body_start += line.len();
    }
    Document::new(name, &raw[body_start..]).with_date(date)
}

#[test]
fn golden_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let coder = Coder::builtin().expect("built-in dictionaries load");
    let bless = std::env::var_os("DYAD_BLESS").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 40,
        "expected at least 40 fixtures, found {}",
        names.len()
    );
    let mut failures = Vec::new();
    for path in &names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read_to_string(path).unwrap();
        let doc = parse_fixture(&name, &raw);
        let got = render(&coder.code(&doc));
        let expected_path = path.with_extension("events");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("missing {}", expected_path.display()));
        if got != expected {
            failures.push(format!("--- {name}\nexpected:\n{expected}got:\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
