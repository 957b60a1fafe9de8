//! The user's own article: thirty years of Russia–Iran relations, told out of order. It must come out as a
//! correct, dated timeline. The text is read from `../shared/seed/` and never copied into the project.

#![allow(clippy::unwrap_used)]

use dyad_coder::{Coder, Document, Event};
use std::path::PathBuf;

fn seed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/russia-iran-relations.txt")
}

fn coded() -> (String, Vec<Event>) {
    let path = seed_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the seed article at {}: {e}", path.display()));
    let coder = Coder::builtin().expect("built-in dictionaries load");
    let events = coder.code(&Document::new("russia-iran-relations.txt", text.clone()));
    (text, events)
}

fn country(a: &Option<dyad_coder::Actor>) -> &str {
    a.as_ref().and_then(|a| a.country.as_deref()).unwrap_or("")
}

/// Finds an event by countries, code prefix (root or full code), modality and year.
fn find<'e>(
    events: &'e [Event],
    src: &str,
    code: &str,
    tgt: &str,
    either_order: bool,
    modality: (bool, bool),
    year: Option<i32>,
) -> Option<&'e Event> {
    events.iter().find(|e| {
        let (s, t) = (country(&e.source), country(&e.target));
        let pair = (s == src && t == tgt) || (either_order && s == tgt && t == src);
        pair && e.cameo.as_str().starts_with(code)
            && (e.negated, e.hedged) == modality
            && (year.is_none() || e.date.year() == year)
    })
}

const ASSERTED: (bool, bool) = (false, false);

#[test]
fn seed_article_yields_the_asserted_timeline() {
    let (_, events) = coded();
    let dump = || {
        events
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {:?} neg={} hedge={} | {}",
                    country(&e.source),
                    e.cameo,
                    country(&e.target),
                    e.date.value,
                    e.negated,
                    e.hedged,
                    e.trigger.text
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    // (what, source country, code prefix, target country, either order, year)
    type Case<'a> = (&'a str, &'a str, &'a str, &'a str, bool, Option<i32>);
    let cases: &[Case] = &[
        (
            "economic cooperation in the 1990s",
            "RUS",
            "06",
            "IRN",
            true,
            Some(1990),
        ),
        (
            "treaties with the United States, 1996",
            "RUS",
            "057",
            "USA",
            true,
            Some(1996),
        ),
        (
            "relations with Iran reduced after the treaties",
            "RUS",
            "16",
            "IRN",
            false,
            Some(1996),
        ),
        (
            "Putin's visit to Iran, 2007",
            "RUS",
            "042",
            "IRN",
            false,
            Some(2007),
        ),
        (
            "Moscow joined the sanctions, 2009",
            "RUS",
            "163",
            "IRN",
            false,
            Some(2009),
        ),
        (
            "Russia supported sanctions against Iran, 2010",
            "RUS",
            "163",
            "IRN",
            false,
            Some(2010),
        ),
        (
            "Russia lifted sanctions on Iran",
            "RUS",
            "08",
            "IRN",
            false,
            None,
        ),
        (
            "Iran mediated in Tajikistan's civil war, 1990s",
            "IRN",
            "04",
            "TJK",
            false,
            Some(1990),
        ),
        (
            "Russia and Iran discuss the corridor, 2022",
            "RUS",
            "04",
            "IRN",
            true,
            Some(2022),
        ),
        (
            "agreements signed on bilateral cooperation",
            "RUS",
            "057",
            "IRN",
            true,
            None,
        ),
        (
            "Iran's leaders decide to work with Russia",
            "IRN",
            "03",
            "RUS",
            false,
            None,
        ),
    ];
    let mut missing = Vec::new();
    for (what, s, code, t, either, year) in cases {
        if find(&events, s, code, t, *either, ASSERTED, *year).is_none() {
            missing.push(*what);
        }
    }
    assert!(
        missing.is_empty(),
        "missing asserted events: {missing:?}\ncoded:\n{}",
        dump()
    );
}

#[test]
fn seed_article_actors_and_dates_are_specific() {
    let (_, events) = coded();
    let visit =
        find(&events, "RUS", "042", "IRN", false, ASSERTED, Some(2007)).expect("the 2007 visit");
    let putin = visit.source.as_ref().unwrap();
    assert_eq!(
        putin.role.as_deref(),
        Some("GOV"),
        "Putin was president in 2007"
    );
    assert_eq!(putin.name.as_deref(), Some("Vladimir Putin"));
    assert_eq!(visit.date.precision, dyad_coder::types::Precision::Year);
    let moscow =
        find(&events, "RUS", "163", "IRN", false, ASSERTED, Some(2009)).expect("2009 sanctions");
    assert_eq!(
        moscow.source.as_ref().unwrap().code.0,
        "RUSGOV",
        "Moscow stands for the government"
    );
    let nineties =
        find(&events, "RUS", "06", "IRN", true, ASSERTED, Some(1990)).expect("1990s cooperation");
    assert_eq!(
        nineties.date.precision,
        dyad_coder::types::Precision::Decade
    );
}

#[test]
fn seed_article_negation_hedging_and_speculation() {
    let (text, events) = coded();
    // "Iran never officially supported Chechen separatism": negated, never asserted.
    let support = events
        .iter()
        .find(|e| country(&e.source) == "IRN" && e.cameo.root() == 5 && country(&e.target) == "RUS")
        .expect("Iran's support for Chechen separatism is coded");
    assert!(support.negated, "the support is negated");
    // "Russia can help Iran integrate into new alliances": hedged.
    let help = events
        .iter()
        .find(|e| {
            country(&e.source) == "RUS"
                && country(&e.target) == "IRN"
                && e.trigger.text.starts_with("help")
        })
        .expect("Russia helping Iran is coded");
    assert!(help.hedged && !help.negated);
    // Pure speculation yields no asserted event.
    let spec = text
        .find("Some experts think that Moscow believes")
        .expect("speculation sentence");
    for e in &events {
        if e.span.contains(spec) {
            assert!(!e.asserted(), "speculation coded as fact: {:?}", e.trigger);
        }
    }
}

#[test]
fn every_event_points_at_its_words() {
    let (text, events) = coded();
    assert!(events.len() >= 11);
    for e in &events {
        assert_eq!(&text[e.span.start..e.span.end], e.sentence);
        assert_eq!(
            &text[e.trigger.span.start..e.trigger.span.end],
            e.trigger.text
        );
        assert!(e.span.start <= e.trigger.span.start && e.trigger.span.end <= e.span.end);
        for a in [&e.source, &e.target].into_iter().flatten() {
            assert_eq!(&text[a.span.start..a.span.end], a.text);
        }
    }
}
