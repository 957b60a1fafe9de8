//! The PETRARCH readers on PETRARCH2's own production dictionaries
//! (`../shared/peers/petrarch2/dictionaries`): all of them load, their thirteen bad lines are reported
//! with file and line, and the coder reproduces PETRARCH2's own whole-sentence unit tests.

#![allow(clippy::unwrap_used)]

use dyad_coder::petrarch::{Dictionaries, Options, Token};
use std::path::Path;

fn read(name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peers/petrarch2/dictionaries")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (name.to_string(), text)
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect()
}

#[test]
fn phoenix_production_set_loads_and_codes_petrarch2s_own_examples() {
    let actors: Vec<(String, String)> = [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ]
    .iter()
    .map(|n| read(n))
    .collect();
    let agents = [read("Phoenix.agents.txt")];
    let discards = [read("Phoenix.discards.txt")];
    let verbs = [read("CAMEO.2.0.txt")];
    let (d, problems) = Dictionaries::load(
        &pairs(&actors),
        &pairs(&agents),
        &pairs(&discards),
        &pairs(&verbs),
    );
    // The upstream files' own defects (typos in dates, a `}` for `]`, a missing code, a pattern
    // without `*`, two undefined synonym sets), each reported where it is.
    let got: Vec<String> = problems
        .iter()
        .map(|e| format!("{}:{}", e.path, e.line))
        .collect();
    assert_eq!(
        got,
        [
            "Phoenix.Countries.actors.txt:2039",
            "Phoenix.Countries.actors.txt:18010",
            "Phoenix.Countries.actors.txt:22508",
            "Phoenix.Countries.actors.txt:22519",
            "Phoenix.Countries.actors.txt:31715",
            "Phoenix.Countries.actors.txt:43613",
            "Phoenix.Countries.actors.txt:51384",
            "Phoenix.International.actors.txt:40",
            "Phoenix.agents.txt:544",
            "Phoenix.agents.txt:1927",
            "CAMEO.2.0.txt:1735",
            "CAMEO.2.0.txt:8443",
            "CAMEO.2.0.txt:8444",
        ]
    );
    assert!(d.actors.len() > 10_000, "{} actors", d.actors.len());
    assert!(d.agents.len() > 2_000);
    assert!(d.discards.len() > 400);
    assert!(d.verbs.blocks.len() > 350);
    // Date-restricted entries: the same name codes differently in 1999 and 2015.
    assert!(d
        .actors
        .iter()
        .any(|a| a.codes.len() > 2 && a.code_on(19990101) != a.code_on(20150101)));
    let code = |s: &str| -> Vec<String> {
        d.code(&Token::plain(s), 20150101, &Options::default())
            .iter()
            .map(|t| t.to_string())
            .collect()
    };
    // PETRARCH2's whole-sentence unit tests.
    assert!(code("Germany invaded France .").contains(&"DEU FRA 192".to_string()));
    assert!(code("Germany arrested France .").contains(&"DEU FRA 173".to_string()));
    let jailed = code("A Tunisian court has jailed a Nigerian student .");
    assert!(
        jailed.contains(&"TUNJUD NGAEDU 173".to_string()),
        "{jailed:?}"
    );
}
