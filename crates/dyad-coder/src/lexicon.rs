//! The lexicon: every phrase the coder looks for — actor names, role nouns, titles, event-pattern heads,
//! modality cues — compiled into one Aho-Corasick automaton.
//!
//! One automaton, one pass per sentence: each match that starts and ends on token boundaries becomes a
//! lattice entry, and later stages pick from the lattice. Proper names are matched case-sensitively (the
//! automaton folds ASCII case, so the exact bytes are checked afterwards); lexical words are not, so a
//! sentence-initial capital still matches.

use crate::dict::{self, opt, DictErrors, LineError};
use crate::types::{CameoCode, Date};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

/// The dictionary files built into the binary, by the path they are reported under.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "data/actors/countries.tsv",
        include_str!("../../../data/actors/countries.tsv"),
    ),
    (
        "data/actors/igos.tsv",
        include_str!("../../../data/actors/igos.tsv"),
    ),
    (
        "data/actors/regions.tsv",
        include_str!("../../../data/actors/regions.tsv"),
    ),
    (
        "data/actors/groups.tsv",
        include_str!("../../../data/actors/groups.tsv"),
    ),
    (
        "data/actors/people.tsv",
        include_str!("../../../data/actors/people.tsv"),
    ),
    (
        "data/actors/roles.tsv",
        include_str!("../../../data/actors/roles.tsv"),
    ),
    ("data/cues.tsv", include_str!("../../../data/cues.tsv")),
    ("data/events.tsv", include_str!("../../../data/events.tsv")),
    (
        "data/verbs-irregular.tsv",
        include_str!("../../../data/verbs-irregular.tsv"),
    ),
];

/// What kind of words name an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A state's name: "Russia".
    Name,
    /// An adjective: "Russian". Combines with a role noun ("Russian companies").
    Adj,
    /// A plural demonym: "Russians".
    People,
    /// A capital used for the government: "Moscow".
    Capital,
    /// A seat of power: "the Kremlin".
    Seat,
    /// An international organisation.
    Igo,
    /// A named person whose code depends on the date (see [`PersonTerm`]).
    Person,
    /// A non-state group, party, company or agency: "Hamas", "the Taliban".
    Group,
}

/// A country, organisation or place-for-government entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorEntry {
    pub country: String,
    pub role: Option<String>,
    pub kind: ActorKind,
    pub name: Option<String>,
    /// Where the entry was read: file and line.
    pub origin: Origin,
}

/// A dictionary entry's file and line, for explaining a coding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub path: String,
    pub line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

/// One term of office of a named person.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonTerm {
    pub country: String,
    pub role: String,
    pub from: Date,
    pub to: Option<Date>,
    pub name: String,
    pub office: String,
    pub origin: Origin,
}

/// Cue kinds for modality and attribution (see `data/cues.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Neg,
    Hedge,
    Cond,
    Belief,
    Speech,
    Source,
    /// A modifier that makes a following noun trigger figurative: "trade war".
    Figurative,
}

/// An event pattern from `data/events.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    pub code: CameoCode,
    pub noun: bool,
    pub sym: bool,
    pub yields: bool,
    /// What must follow the head words.
    pub rest: Vec<Elem>,
    /// How many literal words the pattern has: longer patterns win.
    pub weight: usize,
    pub line: usize,
    pub head_ends_in_preposition: bool,
}

/// A pattern element after the head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem {
    Word(String),
    Gap,
    Source,
}

/// What a lattice entry means.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Actor(u32),
    Person(u32),
    Role { role: Option<String>, title: bool },
    Trigger { pattern: u32, participle: bool },
    Cue(CueKind),
}

/// One phrase's meanings, with the exact spelling required for case-sensitive ones.
#[derive(Debug, Clone)]
struct Meaning {
    item: Item,
    exact: Option<Box<str>>,
    origin: Origin,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    ac: AhoCorasick,
    meanings: Vec<Vec<Meaning>>,
    pub actors: Vec<ActorEntry>,
    pub persons: Vec<Vec<PersonTerm>>,
    pub patterns: Vec<EventPattern>,
}

/// A lexicon match on token boundaries: `tokens` is the half-open token range.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'l> {
    pub start: usize,
    pub end: usize,
    pub item: &'l Item,
}

#[derive(Default)]
struct Builder {
    keys: HashMap<String, usize>,
    phrases: Vec<String>,
    meanings: Vec<Vec<Meaning>>,
    actors: Vec<ActorEntry>,
    persons: Vec<Vec<PersonTerm>>,
    person_index: HashMap<String, u32>,
    patterns: Vec<EventPattern>,
    errors: Vec<LineError>,
}

impl Builder {
    fn add(&mut self, phrase: &str, item: Item, case_sensitive: bool, origin: Origin) {
        let key = phrase.to_ascii_lowercase();
        let id = *self.keys.entry(key).or_insert_with(|| {
            self.phrases.push(phrase.to_string());
            self.meanings.push(Vec::new());
            self.phrases.len() - 1
        });
        self.meanings[id].push(Meaning {
            item,
            exact: case_sensitive.then(|| phrase.into()),
            origin,
        });
    }

    fn err(&mut self, path: &str, line: usize, reason: String) {
        self.errors.push(LineError {
            path: path.to_string(),
            line,
            reason,
        });
    }
}

impl Lexicon {
    /// The lexicon built from the dictionaries embedded in the binary.
    pub fn builtin() -> Result<Lexicon, DictErrors> {
        Lexicon::from_files(BUILTIN_FILES)
    }

    /// Builds a lexicon from `(path, text)` pairs; the file's role is told by its name.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Lexicon, DictErrors> {
        let mut b = Builder::default();
        let irregular = files
            .iter()
            .find(|(p, _)| p.ends_with("verbs-irregular.tsv"))
            .map(|(p, t)| load_irregular(p, t, &mut b.errors))
            .unwrap_or_default();
        for (path, text) in files {
            let file = path.rsplit('/').next().unwrap_or(path);
            match file {
                "people.tsv" => load_people(&mut b, path, text),
                "roles.tsv" => load_roles(&mut b, path, text),
                "cues.tsv" => load_cues(&mut b, path, text),
                "events.tsv" => load_events(&mut b, path, text, &irregular),
                "verbs-irregular.tsv" => {}
                _ => load_actors(&mut b, path, text),
            }
        }
        if !b.errors.is_empty() {
            return Err(DictErrors(b.errors));
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&b.phrases)
            .map_err(|e| {
                DictErrors(vec![LineError {
                    path: "(lexicon)".into(),
                    line: 0,
                    reason: format!("cannot build the phrase automaton: {e}"),
                }])
            })?;
        Ok(Lexicon {
            ac,
            meanings: b.meanings,
            actors: b.actors,
            persons: b.persons,
            patterns: b.patterns,
        })
    }

    /// Finds every lexicon phrase in `text` that starts at a token start and ends at a token end.
    ///
    /// `starts[i]`/`ends[i]` are byte offsets (relative to `text`) of token `i`. Hits come out sorted by start.
    pub fn scan<'l>(
        &'l self,
        text: &str,
        starts: &[usize],
        ends: &[usize],
        out: &mut Vec<Hit<'l>>,
    ) {
        out.clear();
        for m in self.ac.find_overlapping_iter(text) {
            let Ok(s) = starts.binary_search(&m.start()) else {
                continue;
            };
            let Ok(e) = ends.binary_search(&m.end()) else {
                continue;
            };
            let matched = &text[m.start()..m.end()];
            for meaning in &self.meanings[m.pattern().as_usize()] {
                if let Some(exact) = &meaning.exact {
                    if **exact != *matched {
                        continue;
                    }
                }
                out.push(Hit {
                    start: s,
                    end: e + 1,
                    item: &meaning.item,
                });
            }
        }
        out.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    }

    /// Every lexicon phrase in `text` on token boundaries, with the dictionary line it comes from: the
    /// explanation behind `dyad dict lookup`.
    pub fn lookup<'l>(&'l self, text: &str) -> Vec<(crate::types::Span, &'l Item, &'l Origin)> {
        let mut tokens = Vec::new();
        crate::segment::tokenize(text, 0, &mut tokens);
        let starts: Vec<usize> = tokens.iter().map(|t| t.span.start).collect();
        let ends: Vec<usize> = tokens.iter().map(|t| t.span.end).collect();
        let mut out = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            if starts.binary_search(&m.start()).is_err() || ends.binary_search(&m.end()).is_err() {
                continue;
            }
            for meaning in &self.meanings[m.pattern().as_usize()] {
                if meaning
                    .exact
                    .as_deref()
                    .is_some_and(|e| *e != text[m.start()..m.end()])
                {
                    continue;
                }
                out.push((
                    crate::types::Span::new(m.start(), m.end()),
                    &meaning.item,
                    &meaning.origin,
                ));
            }
        }
        out.sort_by_key(|(s, _, _)| (s.start, std::cmp::Reverse(s.end)));
        out
    }

    /// Whether the pattern's head ends in a preposition ("visit to", "sanctions against"): its target
    /// follows.
    pub fn ends_with_preposition(&self, pattern: u32) -> bool {
        self.patterns
            .get(pattern as usize)
            .is_some_and(|p| p.head_ends_in_preposition)
    }

    pub fn phrase_count(&self) -> usize {
        self.meanings.len()
    }
}

/// The columns each dictionary file is sorted by, in order of precedence (byte order).
pub fn sort_columns(file_name: &str) -> &'static [usize] {
    match file_name {
        "cameo.tsv" | "verbs-irregular.tsv" => &[0],
        "events.tsv" => &[0, 1, 2],
        "cues.tsv" => &[1, 0],
        "people.tsv" => &[5, 3, 0],
        "roles.tsv" => &[2, 1, 0],
        _ => &[1, 3, 0],
    }
}

/// Lines (1-based) that break the file's documented sort order.
pub fn unsorted_lines(path: &str, text: &str) -> Vec<usize> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let cols = sort_columns(name);
    let mut out = Vec::new();
    let mut prev: Option<Vec<&str>> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let key: Vec<&str> = cols
            .iter()
            .map(|&c| f.get(c).copied().unwrap_or(""))
            .collect();
        if prev.as_ref().is_some_and(|p| *p > key) {
            out.push(i + 1);
        }
        prev = Some(key);
    }
    out
}

fn load_actors(b: &mut Builder, path: &str, text: &str) {
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let rows: Vec<(usize, Vec<String>)> = dict::rows(path, text, 4..=4, &mut errors)
        .map(|r| (r.line, r.fields.iter().map(|s| s.to_string()).collect()))
        .collect();
    b.errors.extend(errors);
    for (line, f) in rows {
        let kind = match f[3].as_str() {
            "abbr" | "name" if f[2] == "IGO" => ActorKind::Igo,
            "name" if file_kind_is_group(path) => ActorKind::Group,
            "name" => ActorKind::Name,
            "adj" => ActorKind::Adj,
            "people" => ActorKind::People,
            "capital" => ActorKind::Capital,
            "seat" => ActorKind::Seat,
            "abbr" => ActorKind::Group,
            other => {
                b.err(path, line, format!("unknown kind {other:?}"));
                continue;
            }
        };
        if !valid_code(&f[1]) {
            b.err(
                path,
                line,
                format!("bad country or organisation code {:?}", f[1]),
            );
            continue;
        }
        if let Some(first) = seen.insert(f[0].clone(), line) {
            b.err(
                path,
                line,
                format!("term {:?} already listed on line {first}", f[0]),
            );
            continue;
        }
        let id = b.actors.len() as u32;
        b.actors.push(ActorEntry {
            country: f[1].clone(),
            role: opt(&f[2]).map(str::to_string),
            kind,
            name: matches!(kind, ActorKind::Igo | ActorKind::Group).then(|| f[0].clone()),
            origin: Origin {
                path: path.to_string(),
                line,
            },
        });
        b.add(
            &f[0],
            Item::Actor(id),
            true,
            Origin {
                path: path.to_string(),
                line,
            },
        );
    }
}

fn file_kind_is_group(path: &str) -> bool {
    path.ends_with("groups.tsv")
}

fn valid_code(s: &str) -> bool {
    // "---": a group with no single country.
    s == "---"
        || (2..=6).contains(&s.len())
            && s.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn parse_date(s: &str) -> Option<Date> {
    s.parse::<Date>().ok()
}

fn load_people(b: &mut Builder, path: &str, text: &str) {
    let mut errors = Vec::new();
    let rows: Vec<(usize, Vec<String>)> = dict::rows(path, text, 7..=7, &mut errors)
        .map(|r| (r.line, r.fields.iter().map(|s| s.to_string()).collect()))
        .collect();
    b.errors.extend(errors);
    for (line, f) in rows {
        let Some(from) = parse_date(&f[3]) else {
            b.err(
                path,
                line,
                format!("bad start date {:?} (want YYYY-MM-DD)", f[3]),
            );
            continue;
        };
        let to = match opt(&f[4]) {
            None => None,
            Some(s) => match parse_date(s) {
                Some(d) if d >= from => Some(d),
                _ => {
                    b.err(
                        path,
                        line,
                        format!("bad end date {s:?} (want YYYY-MM-DD, not before the start)"),
                    );
                    continue;
                }
            },
        };
        if !valid_code(&f[1]) || !valid_code(&f[2]) {
            b.err(
                path,
                line,
                format!("bad country or role code {:?} {:?}", f[1], f[2]),
            );
            continue;
        }
        let term = PersonTerm {
            country: f[1].clone(),
            role: f[2].clone(),
            from,
            to,
            name: f[5].clone(),
            office: f[6].clone(),
            origin: Origin {
                path: path.to_string(),
                line,
            },
        };
        match b.person_index.get(&f[0]) {
            Some(&id) => b.persons[id as usize].push(term),
            None => {
                let id = b.persons.len() as u32;
                b.persons.push(vec![term]);
                b.person_index.insert(f[0].clone(), id);
                b.add(
                    &f[0],
                    Item::Person(id),
                    true,
                    Origin {
                        path: path.to_string(),
                        line,
                    },
                );
            }
        }
    }
}

fn load_roles(b: &mut Builder, path: &str, text: &str) {
    let mut errors = Vec::new();
    let rows: Vec<(usize, Vec<String>)> = dict::rows(path, text, 3..=3, &mut errors)
        .map(|r| (r.line, r.fields.iter().map(|s| s.to_string()).collect()))
        .collect();
    b.errors.extend(errors);
    for (line, f) in rows {
        let title = match f[2].as_str() {
            "agent" => false,
            "title" => true,
            other => {
                b.err(
                    path,
                    line,
                    format!("unknown kind {other:?} (want agent or title)"),
                );
                continue;
            }
        };
        let role = opt(&f[1]).map(str::to_string);
        // Titles are capitalised words before a name: case-sensitive. Role nouns are lexical.
        b.add(
            &f[0],
            Item::Role { role, title },
            title,
            Origin {
                path: path.to_string(),
                line,
            },
        );
    }
}

fn load_cues(b: &mut Builder, path: &str, text: &str) {
    let mut errors = Vec::new();
    let rows: Vec<(usize, Vec<String>)> = dict::rows(path, text, 2..=2, &mut errors)
        .map(|r| (r.line, r.fields.iter().map(|s| s.to_string()).collect()))
        .collect();
    b.errors.extend(errors);
    for (line, f) in rows {
        let kind = match f[1].as_str() {
            "neg" => CueKind::Neg,
            "hedge" => CueKind::Hedge,
            "cond" => CueKind::Cond,
            "belief" => CueKind::Belief,
            "speech" => CueKind::Speech,
            "source" => CueKind::Source,
            "figurative" => CueKind::Figurative,
            other => {
                b.err(path, line, format!("unknown cue kind {other:?}"));
                continue;
            }
        };
        b.add(
            &f[0],
            Item::Cue(kind),
            false,
            Origin {
                path: path.to_string(),
                line,
            },
        );
    }
}

fn load_irregular(
    path: &str,
    text: &str,
    errors: &mut Vec<LineError>,
) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for row in dict::rows(path, text, 2..=2, errors) {
        out.insert(
            row.fields[0].to_string(),
            row.fields[1].split(',').map(str::to_string).collect(),
        );
    }
    out
}

fn load_events(b: &mut Builder, path: &str, text: &str, irregular: &HashMap<String, Vec<String>>) {
    let mut errors = Vec::new();
    let rows: Vec<(usize, Vec<String>)> = dict::rows(path, text, 4..=4, &mut errors)
        .map(|r| (r.line, r.fields.iter().map(|s| s.to_string()).collect()))
        .collect();
    b.errors.extend(errors);
    for (line, f) in rows {
        let Some(code) = CameoCode::parse(&f[0]).filter(|c| c.as_str().len() >= 3) else {
            b.err(
                path,
                line,
                format!("not a 3- or 4-digit CAMEO code: {:?}", f[0]),
            );
            continue;
        };
        let noun = match f[1].as_str() {
            "verb" => false,
            "noun" => true,
            other => {
                b.err(
                    path,
                    line,
                    format!("unknown kind {other:?} (want verb or noun)"),
                );
                continue;
            }
        };
        let mut sym = false;
        let mut yields = false;
        let mut bad_flag = None;
        for flag in f[3].split(',') {
            match flag {
                "-" => {}
                "sym" => sym = true,
                "yield" => yields = true,
                other => bad_flag = Some(other.to_string()),
            }
        }
        if let Some(flag) = bad_flag {
            b.err(path, line, format!("unknown flag {flag:?}"));
            continue;
        }
        let words: Vec<&str> = f[2].split(' ').collect();
        if words.iter().any(|w| w.is_empty()) || matches!(words[0], "*" | "$S") {
            b.err(
                path,
                line,
                "pattern must start with a word and have single spaces".into(),
            );
            continue;
        }
        // Head: the literal words up to the first gap or slot.
        let split = words
            .iter()
            .position(|w| matches!(*w, "*" | "$S"))
            .unwrap_or(words.len());
        let rest: Vec<Elem> = words[split..]
            .iter()
            .map(|w| match *w {
                "*" => Elem::Gap,
                "$S" => Elem::Source,
                w => Elem::Word(w.to_ascii_lowercase()),
            })
            .collect();
        if rest.last() == Some(&Elem::Gap) {
            b.err(path, line, "pattern may not end with a gap".into());
            continue;
        }
        let weight = words.iter().filter(|w| !matches!(**w, "*" | "$S")).count();
        let id = b.patterns.len() as u32;
        b.patterns.push(EventPattern {
            code,
            noun,
            sym,
            yields,
            rest,
            weight,
            line,
            head_ends_in_preposition: split > 1
                && matches!(
                    words[split - 1],
                    "to" | "with" | "against" | "on" | "of" | "for" | "in" | "from" | "between"
                ),
        });
        let tail = words[1..split].join(" ");
        let forms = if noun {
            noun_forms(words[0])
        } else {
            verb_forms(words[0], irregular)
        };
        for (form, participle) in forms {
            let phrase = if tail.is_empty() {
                form
            } else {
                format!("{form} {tail}")
            };
            b.add(
                &phrase,
                Item::Trigger {
                    pattern: id,
                    participle,
                },
                false,
                Origin {
                    path: path.to_string(),
                    line,
                },
            );
        }
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// A verb's forms, each with whether it can be a past participle. Over-generation ("visitted") is
/// harmless: a form that is not English never matches.
pub fn verb_forms(lemma: &str, irregular: &HashMap<String, Vec<String>>) -> Vec<(String, bool)> {
    let l = lemma.to_ascii_lowercase();
    let b = l.as_bytes();
    let n = b.len();
    let mut out = vec![(l.clone(), false)];
    let ends_cy = n >= 2 && b[n - 1] == b'y' && !is_vowel(b[n - 2]);
    // Third person.
    if l.ends_with('s')
        || l.ends_with('x')
        || l.ends_with('z')
        || l.ends_with("ch")
        || l.ends_with("sh")
    {
        out.push((format!("{l}es"), false));
    } else if ends_cy {
        out.push((format!("{}ies", &l[..n - 1]), false));
    } else {
        out.push((format!("{l}s"), false));
    }
    // Past and -ing.
    if l.ends_with('e') {
        out.push((format!("{l}d"), true));
        if l.ends_with("ee") {
            out.push((format!("{l}ing"), false));
        } else if l.ends_with("ie") {
            out.push((format!("{}ying", &l[..n - 2]), false));
        } else {
            out.push((format!("{}ing", &l[..n - 1]), false));
        }
    } else if ends_cy {
        out.push((format!("{}ied", &l[..n - 1]), true));
        out.push((format!("{l}ing"), false));
    } else {
        out.push((format!("{l}ed"), true));
        out.push((format!("{l}ing"), false));
        // Consonant-vowel-consonant: ban → banned, commit → committed.
        if n >= 3
            && !is_vowel(b[n - 1])
            && is_vowel(b[n - 2])
            && !is_vowel(b[n - 3])
            && !b"wxy".contains(&b[n - 1])
        {
            let last = b[n - 1] as char;
            out.push((format!("{l}{last}ed"), true));
            out.push((format!("{l}{last}ing"), false));
        }
    }
    if let Some(forms) = irregular.get(&l) {
        for f in forms {
            out.push((f.clone(), true));
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// A noun's singular and plural.
pub fn noun_forms(noun: &str) -> Vec<(String, bool)> {
    let l = noun.to_ascii_lowercase();
    let n = l.len();
    let b = l.as_bytes();
    let plural = if l.ends_with('s') || l.ends_with('x') || l.ends_with("ch") || l.ends_with("sh") {
        format!("{l}es")
    } else if n >= 2 && b[n - 1] == b'y' && !is_vowel(b[n - 2]) {
        format!("{}ies", &l[..n - 1])
    } else {
        format!("{l}s")
    };
    vec![(l, false), (plural, false)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verb_forms_cover_regular_and_irregular() {
        let mut irr = HashMap::new();
        irr.insert("meet".to_string(), vec!["met".to_string()]);
        let forms =
            |l: &str| -> Vec<String> { verb_forms(l, &irr).into_iter().map(|f| f.0).collect() };
        let visit = forms("visit");
        for f in ["visit", "visits", "visited", "visiting"] {
            assert!(visit.contains(&f.to_string()), "{f}");
        }
        assert!(forms("ban").contains(&"banned".to_string()));
        assert!(forms("impose").contains(&"imposed".to_string()));
        assert!(forms("impose").contains(&"imposing".to_string()));
        assert!(forms("accompany").contains(&"accompanied".to_string()));
        assert!(forms("meet").contains(&"met".to_string()));
        assert!(forms("discuss").contains(&"discusses".to_string()));
    }

    #[test]
    fn builtin_dictionaries_load() {
        let lex = Lexicon::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(lex.actors.len() > 1000);
        assert!(lex.patterns.len() > 150);
        assert!(!lex.persons.is_empty());
    }

    #[test]
    fn builtin_files_are_sorted_and_terms_do_not_clash_across_files() {
        for (path, text) in BUILTIN_FILES {
            assert!(
                unsorted_lines(path, text).is_empty(),
                "{path} is not sorted: {:?}",
                unsorted_lines(path, text)
            );
        }
        // A name may mean one actor only: the same term in two actor files would silently shadow one.
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for (path, text) in BUILTIN_FILES {
            if !path.contains("/actors/")
                || path.ends_with("roles.tsv")
                || path.ends_with("people.tsv")
            {
                continue;
            }
            for line in text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                let term = line.split('\t').next().unwrap_or("");
                if let Some(other) = seen.insert(term, path) {
                    panic!("{term:?} is in both {other} and {path}");
                }
            }
        }
        let cameo = crate::cameo::BUILTIN;
        assert!(unsorted_lines("data/cameo.tsv", cameo).is_empty());
    }

    /// Regression: `groups.tsv` was once written but never registered, so it silently coded nothing.
    #[test]
    fn every_dictionary_file_under_data_is_built_in() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let mut missing = Vec::new();
        for dir in [data.clone(), data.join("actors")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "tsv") {
                    continue;
                }
                let rel = path
                    .strip_prefix(data.parent().unwrap())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel != "data/cameo.tsv" && !BUILTIN_FILES.iter().any(|(p, _)| *p == rel) {
                    missing.push(rel);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "dictionary files not built in: {missing:?}"
        );
        let lex = Lexicon::builtin().unwrap();
        assert!(matches!(
            lex.lookup("Taliban").first(),
            Some((_, Item::Actor(_), _))
        ));
    }

    #[test]
    fn lookup_explains_with_file_and_line() {
        let lex = Lexicon::builtin().unwrap();
        let found = lex.lookup("the Kremlin");
        let (span, item, origin) = found.first().expect("Kremlin is known");
        assert_eq!((span.start, span.end), (4, 11));
        assert!(matches!(item, Item::Actor(_)));
        assert_eq!(origin.path, "data/actors/countries.tsv");
        assert!(origin.line > 0);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let files = [
            (
                "x/events.tsv",
                "042\tverb\tvisit\t-\n999\tverb\tfoo\t-\n042\tadverb\tfoo\t-\n",
            ),
            (
                "x/countries.tsv",
                "Russia\tRUS\t-\tname\nRussia\tRUS\t-\tname\nIran\tirn\t-\tname\n",
            ),
        ];
        let errs = Lexicon::from_files(&files).unwrap_err();
        let got: Vec<String> = errs
            .0
            .iter()
            .map(|e| format!("{}:{}", e.path, e.line))
            .collect();
        assert_eq!(
            got,
            vec![
                "x/events.tsv:2",
                "x/events.tsv:3",
                "x/countries.tsv:2",
                "x/countries.tsv:3"
            ]
        );
    }
}
