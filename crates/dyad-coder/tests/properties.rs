//! Invariants over arbitrary input: nothing panics, spans are in bounds and ordered, sentences tile the
//! text (every non-space byte lies in exactly one sentence, and only white space lies between them).

#![allow(clippy::unwrap_used)]

use dyad_coder::segment::{sentences, tokenize};
use dyad_coder::{Coder, Document};
use proptest::prelude::*;
use std::sync::OnceLock;

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(|| Coder::builtin().expect("built-in dictionaries load"))
}

/// Text that looks like news often enough to reach the deeper stages, and is arbitrary otherwise.
fn newsish() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Russia",
        "Iran",
        "Moscow",
        "the",
        "Kremlin",
        "visited",
        "did",
        "not",
        "attack",
        "sanctions",
        "against",
        "on",
        "in",
        "2007",
        "1990s",
        "U.S.",
        "Mr.",
        "said",
        "Putin's",
        "visit",
        "to",
        "and",
        "signed",
        "it",
        "the two countries",
        "could",
        "—",
        "\"",
        ".",
        ",",
        "\n",
        "\n\n",
        "“",
        "’s",
        "Tuesday",
        "last",
        "week",
        "March",
        "5",
        "1996-1998",
        "Chechen",
        "troops",
        "é",
        "…",
        "St.",
        "according to",
        "Kozhanov",
        "(",
        ")",
    ]);
    prop_oneof![
        prop::collection::vec(words, 0..80).prop_map(|w| w.join(" ")),
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..200).prop_map(|c| c.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn sentences_tile_the_text(text in newsish()) {
        let s = sentences(&text);
        let mut covered = vec![false; text.len()];
        let mut last_end = 0;
        for x in &s {
            prop_assert!(x.span.start >= last_end, "ordered, not overlapping");
            prop_assert!(x.span.start < x.span.end && x.span.end <= text.len());
            prop_assert!(text.is_char_boundary(x.span.start) && text.is_char_boundary(x.span.end));
            prop_assert!(text[last_end..x.span.start].trim().is_empty(), "only white space between sentences");
            for c in &mut covered[x.span.start..x.span.end] { *c = true; }
            last_end = x.span.end;
        }
        prop_assert!(text[last_end..].trim().is_empty());
        for (i, ch) in text.char_indices() {
            if !ch.is_whitespace() { prop_assert!(covered[i], "byte {} not in a sentence", i); }
        }
    }

    #[test]
    fn tokens_are_in_bounds_and_ordered(text in newsish()) {
        for x in sentences(&text) {
            let mut toks = Vec::new();
            tokenize(x.span.text(&text), x.span.start, &mut toks);
            let mut last = x.span.start;
            for t in &toks {
                prop_assert!(t.span.start >= last && t.span.start < t.span.end && t.span.end <= x.span.end);
                prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
                last = t.span.end;
            }
        }
    }

    #[test]
    fn coding_never_panics_and_events_point_at_their_words(text in newsish(), dated in any::<bool>()) {
        let date = dated.then(|| "2019-01-09".parse().unwrap());
        let doc = Document::new("p", text.clone()).with_date(date);
        for e in coder().code(&doc) {
            prop_assert_eq!(&text[e.span.start..e.span.end], e.sentence.as_str());
            prop_assert_eq!(&text[e.trigger.span.start..e.trigger.span.end], e.trigger.text.as_str());
            prop_assert!(e.span.start <= e.trigger.span.start && e.trigger.span.end <= e.span.end);
            for a in [&e.source, &e.target].into_iter().flatten() {
                prop_assert_eq!(&text[a.span.start..a.span.end], a.text.as_str());
            }
            if let Some(a) = &e.attribution {
                prop_assert_eq!(&text[a.span.start..a.span.end], a.text.as_str());
            }
        }
    }
}
