//! PETRARCH/TABARI dictionaries as an alternative dictionary set, and a small shallow coder that runs them.
//!
//! Users who have built PETRARCH or TABARI dictionaries over years can bring them along: this module reads
//! the four formats (actors with date-restricted codes, agents with substitution sets, discards, and verb
//! blocks with synonym sets and patterns) and codes a tokenised sentence with them, TABARI-style:
//! actors and agents are matched on the tokens and grouped into noun phrases (with compounds joined by
//! "and" and agents joined to their actor by adjacency, "of", "in" or "from"); each verb found in the verb
//! dictionary tries its block's patterns in file order (words before and after the verb, `$` source, `+`
//! target, `%` compound, `^` a skipped phrase, `&SET` a synonym set, `_` for adjacent words); the first
//! pattern that matches gives the code, otherwise the verb's default code does.
//!
//! Why a separate small coder rather than the main [`crate::Coder`]: PETRARCH dictionaries carry their own
//! semantics (stems, agent composition, pattern positions, WEIS/KEDS codes outside the CAMEO table) that do
//! not map onto dyad's event patterns without loss; keeping them apart lets the main coder stay fast and
//! CAMEO-checked while this set is still faithful to the files users already have.
//!
//! Formats are described in `../shared/peers/petrarch2/README.md`. Every bad line is reported with its
//! file and line ([`LineError`]), and loading goes on, so a user sees all problems at once.
//!
//! ```
//! use dyad_coder::petrarch::{Dictionaries, Token, Options};
//!
//! let dicts = Dictionaries::from_texts(
//!     ("actors.txt", "ARNOR_ [ARN]\nGONDOR [GON]\n"),
//!     ("agents.txt", "POLICE {} [~COP]\n"),
//!     ("discards.txt", "BASEBALL\n"),
//!     ("verbs.txt", "--- RESTORE [064] ---\nRESTORE\n"),
//! ).expect("the dictionaries load");
//! let tokens = Token::plain("Arnor restored ties with Gondor police .");
//! let events = dicts.code(&tokens, 19950101, &Options::default());
//! assert_eq!(events[0].to_string(), "ARN GONCOP 064");
//! ```

use std::collections::HashMap;
use std::fmt;

/// Why a dictionary line was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("a code line with no phrase before it")]
    CodeWithoutEntry,
    #[error("unclosed bracket")]
    Unclosed,
    #[error(
        "bad date restriction {0:?} (want <DATE, >DATE or DATE-DATE, dates YYMMDD or YYYYMMDD)"
    )]
    BadDate(String),
    #[error("empty code")]
    EmptyCode,
    #[error("empty phrase")]
    EmptyPhrase,
    #[error("a synonym line with no entry before it")]
    SynonymWithoutEntry,
    #[error("agent needs a code [~CODE] or [CODE~], found {0:?}")]
    BadAgentCode(String),
    #[error("bad substitution set (want !NAME! = A, B, C)")]
    BadSubstitution,
    #[error("unknown substitution set {0}")]
    UnknownSubstitution(String),
    #[error("a pattern or verb outside a verb block")]
    OutsideBlock,
    #[error("pattern has no verb marker *")]
    NoVerbMarker,
    #[error("pattern has no code [..]")]
    NoPatternCode,
    #[error("bad verb block header (want --- NAME [CODE] ---)")]
    BadHeader,
    #[error("unknown synonym set {0}")]
    UnknownSynset(String),
}

/// One bad dictionary line: the file, the line (1-based) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {reason}")]
pub struct LineError {
    pub path: String,
    pub line: usize,
    pub reason: Reason,
}

/// Every bad line of a dictionary set.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
pub struct Errors(pub Vec<LineError>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bad PETRARCH dictionary line(s)", self.0.len())?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

/// A word of a dictionary phrase: matched exactly, or as a stem (a prefix of the text's word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub stem: bool,
}

impl Word {
    fn matches(&self, token: &str) -> bool {
        if self.stem {
            token.starts_with(&self.text)
        } else {
            token == self.text
        }
    }
}

/// When a code applies. Dates are `YYYYMMDD` numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    Before(u32),
    After(u32),
    Between(u32, u32),
}

impl When {
    fn applies(self, date: u32) -> bool {
        match self {
            When::Always => true,
            When::Before(d) => date < d,
            When::After(d) => date > d,
            When::Between(a, b) => (a..=b).contains(&date),
        }
    }
}

/// A code with the dates it holds for: `[HOBGOV 19950601-19990815]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub when: When,
}

/// An actor: its phrases (root and `+` synonyms) and its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub phrases: Vec<Vec<Word>>,
    pub codes: Vec<DatedCode>,
    pub line: usize,
}

impl Actor {
    /// The code on `date`: the first date-restricted code that holds, else the first unrestricted one.
    /// `None` when no code applies (an entry restricted to other dates).
    pub fn code_on(&self, date: u32) -> Option<&str> {
        self.codes
            .iter()
            .find(|c| c.when != When::Always && c.when.applies(date))
            .or_else(|| self.codes.iter().find(|c| c.when == When::Always))
            .map(|c| c.code.as_str())
    }
}

/// An agent noun: `POLICE [~COP]` (a role after the actor) or `MSF [NGO~]` (a prefix before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub words: Vec<Word>,
    pub code: String,
    pub prefix: bool,
    pub line: usize,
}

/// A discard phrase: a sentence containing it codes nothing (`story`: the whole story is skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discard {
    pub words: Vec<Word>,
    pub story: bool,
}

/// An event code as written in a verb dictionary: `064`, or `032:033` (a second event, target to source).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerbCode {
    pub forward: Option<String>,
    pub reverse: Option<String>,
}

impl VerbCode {
    fn parse(s: &str) -> VerbCode {
        let one = |x: &str| {
            let x = x.trim().to_ascii_uppercase();
            (!x.is_empty() && x != "---").then_some(x)
        };
        match s.split_once(':') {
            Some((a, b)) => VerbCode {
                forward: one(a),
                reverse: one(b),
            },
            None => VerbCode {
                forward: one(s),
                reverse: None,
            },
        }
    }

    fn is_none(&self) -> bool {
        self.forward.is_none() && self.reverse.is_none()
    }
}

/// A pattern element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem {
    Word(String),
    Synset(String),
    /// `$`: the source actor is here.
    Source,
    /// `+`: the target actor is here.
    Target,
    /// `%`: a compound actor is here.
    Compound,
    /// `^`: skip a phrase.
    Skip,
}

/// One pattern element and whether it must touch its neighbour nearer the verb (`_`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub elem: Elem,
    pub adjacent: bool,
}

/// A verb pattern. `lower` is stored nearest-the-verb first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub lower: Vec<Step>,
    pub upper: Vec<Step>,
    pub code: VerbCode,
    pub line: usize,
}

/// A verb form: its words, which word is the verb, its block, and its own code if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbForm {
    pub words: Vec<String>,
    pub verb_at: usize,
    pub block: usize,
    pub code: Option<VerbCode>,
}

/// A verb block: `--- NAME [code] ---`, its verbs and patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbBlock {
    pub name: String,
    pub code: VerbCode,
    pub patterns: Vec<Pattern>,
    pub line: usize,
}

/// A parsed verb dictionary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verbs {
    pub blocks: Vec<VerbBlock>,
    pub forms: Vec<VerbForm>,
    /// Synonym sets by name (without `&` and trailing `_`): each member is a run of adjacent elements.
    pub synsets: HashMap<String, Vec<Vec<String>>>,
}

/// A token of a sentence: the word (any case) and its Penn Treebank tag, if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub word: String,
    pub tag: Option<String>,
}

impl Token {
    /// Tokens of plain text split at spaces, with `'s`, commas and a final period split off; no tags.
    pub fn plain(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        for raw in text.split_whitespace() {
            let mut w = raw;
            let mut tail = Vec::new();
            while let Some(last) = w.chars().last() {
                if matches!(last, ',' | '.' | ';' | ':' | '?' | '!') && w.len() > 1 {
                    tail.push(last.to_string());
                    w = &w[..w.len() - last.len_utf8()];
                } else {
                    break;
                }
            }
            if let Some(stem) = w.strip_suffix("'s").filter(|s| !s.is_empty()) {
                out.push(Token::untagged(stem));
                out.push(Token::untagged("'s"));
            } else {
                out.push(Token::untagged(w));
            }
            out.extend(tail.iter().rev().map(|p| Token::untagged(p)));
        }
        out
    }

    fn untagged(w: &str) -> Token {
        Token {
            word: w.to_string(),
            tag: None,
        }
    }
}

/// Why a Treebank parse could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unbalanced brackets in the parse tree")]
    Unbalanced,
    #[error("the parse tree has no words")]
    Empty,
}

/// The leaves of a Penn Treebank parse, `(ROOT (S (NP (NNP Arnor)) ...))`, as tagged tokens.
pub fn parse_tree_tokens(tree: &str) -> Result<Vec<Token>, ParseError> {
    let mut out = Vec::new();
    let mut depth: i64 = 0;
    let mut rest = tree;
    while let Some(c) = rest.chars().next() {
        match c {
            '(' => {
                depth += 1;
                rest = &rest[1..];
                let label_end = rest
                    .find(|c: char| c.is_whitespace() || c == '(' || c == ')')
                    .unwrap_or(rest.len());
                let label = &rest[..label_end];
                rest = rest[label_end..].trim_start();
                if !rest.starts_with('(') && !rest.starts_with(')') {
                    let word_end = rest.find(')').ok_or(ParseError::Unbalanced)?;
                    let word = rest[..word_end].trim();
                    if !word.is_empty() {
                        out.push(Token {
                            word: word.to_string(),
                            tag: Some(label.to_ascii_uppercase()),
                        });
                    }
                    rest = &rest[word_end..];
                }
            }
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(ParseError::Unbalanced);
                }
                rest = &rest[1..];
            }
            _ => rest = &rest[c.len_utf8()..],
        }
    }
    if depth != 0 {
        return Err(ParseError::Unbalanced);
    }
    if out.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(out)
}

/// One coded event: source, target and event codes as strings (codes need not be CAMEO).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Triple {
    pub source: String,
    pub target: String,
    pub code: String,
}

impl fmt::Display for Triple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.source, self.target, self.code)
    }
}

/// Coding options that PETRARCH validation files set with `<Config>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Events need both a source and a target; without it a missing side is written `---`.
    pub require_dyad: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { require_dyad: true }
    }
}

/// A full PETRARCH dictionary set.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    pub actors: Vec<Actor>,
    pub agents: Vec<Agent>,
    pub discards: Vec<Discard>,
    pub verbs: Verbs,
    /// Actor phrases by first word: (actor, phrase).
    actor_index: HashMap<String, Vec<(usize, usize)>>,
    agent_index: HashMap<String, Vec<usize>>,
    form_index: HashMap<String, Vec<usize>>,
}

/// Strips a `#` comment (a `#` inside a code bracket, as in `[###]`, is part of the code).
fn uncomment(line: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in line.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '#' if depth == 0 => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Yields (line number, text) for the lines that are not comments: `#` lines, `<!-- ... -->` blocks
/// (possibly over several lines) and `<...>` markup lines.
fn content_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let t = line.trim_start();
        if in_comment {
            if line.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if t.starts_with("<!--") && !t.contains("-->") {
            in_comment = true;
            continue;
        }
        if t.starts_with('<') || t.starts_with('#') {
            continue;
        }
        out.push((i + 1, line));
    }
    out
}

/// Splits a dictionary phrase (`NEW_ZEALAND`, `CARAS GALADHON`, `ARNOR_`) into uppercased words. A
/// one-word phrase is a stem (`ARGENTIN` matches "Argentina", "Argentinian") unless it ends in `_`; the
/// words of longer phrases match whole (so `THE_KU` does not take "the Kuwait government").
fn phrase_words(phrase: &str) -> Vec<Word> {
    let phrase = phrase.trim();
    let parts: Vec<&str> = phrase
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let stops = phrase.ends_with('_');
    let n = parts.len();
    parts
        .iter()
        .map(|p| Word {
            text: p.to_ascii_uppercase(),
            stem: n == 1 && !stops,
        })
        .collect()
}

/// Parses a date restriction's date: `YYMMDD` (00–29 → 20xx) or `YYYYMMDD`.
fn parse_ymd(s: &str) -> Option<u32> {
    let s = s.trim();
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    match s.len() {
        6 => Some(if n / 10000 < 30 {
            20_000_000 + n
        } else {
            19_000_000 + n
        }),
        8 => Some(n),
        _ => None,
    }
}

/// Parses the inside of an actor code bracket: `HRV >920115`, `YUGHRV <910625`, `HOBGOV 950601-990815`.
fn parse_dated(inner: &str) -> Result<DatedCode, Reason> {
    let inner = inner.trim();
    let (code, rest) = match inner.find(|c: char| c.is_whitespace()) {
        Some(i) => (&inner[..i], inner[i..].trim()),
        None => (inner, ""),
    };
    let (code, rest) = if code.starts_with(['<', '>']) || code.bytes().all(|b| b.is_ascii_digit()) {
        // A restriction with no code (`[ >030101]`): the null code.
        ("---", inner)
    } else {
        (code, rest)
    };
    if code.is_empty() {
        return Err(Reason::EmptyCode);
    }
    let bad = || Reason::BadDate(rest.to_string());
    let when = if rest.is_empty() {
        When::Always
    } else if let Some(d) = rest.strip_prefix('<') {
        When::Before(parse_ymd(d).ok_or_else(bad)?)
    } else if let Some(d) = rest.strip_prefix('>') {
        When::After(parse_ymd(d).ok_or_else(bad)?)
    } else if let Some((a, b)) = rest.split_once('-') {
        When::Between(parse_ymd(a).ok_or_else(bad)?, parse_ymd(b).ok_or_else(bad)?)
    } else {
        return Err(bad());
    };
    Ok(DatedCode {
        code: code.to_ascii_uppercase(),
        when,
    })
}

/// Splits `PHRASE [A] [B]` into the phrase and the bracket contents.
fn split_brackets(line: &str) -> Result<(&str, Vec<&str>), Reason> {
    let (phrase, mut rest) = match line.find('[') {
        Some(i) => (&line[..i], &line[i..]),
        None => return Ok((line, Vec::new())),
    };
    let mut inside = Vec::new();
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').ok_or(Reason::Unclosed)? + open;
        inside.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    Ok((phrase, inside))
}

/// Reads a PETRARCH actor dictionary.
pub fn read_actors(path: &str, text: &str, errors: &mut Vec<LineError>) -> Vec<Actor> {
    let mut actors: Vec<Actor> = Vec::new();
    let err = |errors: &mut Vec<LineError>, line, reason| {
        errors.push(LineError {
            path: path.to_string(),
            line,
            reason,
        })
    };
    for (line, raw) in content_lines(text) {
        let body = uncomment(raw);
        if body.trim().is_empty() {
            continue;
        }
        let (phrase, codes) = match split_brackets(body) {
            Ok(x) => x,
            Err(r) => {
                err(errors, line, r);
                continue;
            }
        };
        let mut parsed = Vec::new();
        for c in codes {
            if c.trim().is_empty() {
                continue;
            }
            match parse_dated(c) {
                Ok(d) => parsed.push(d),
                Err(r) => err(errors, line, r),
            }
        }
        let phrase = phrase.trim();
        if phrase.is_empty() {
            match actors.last_mut() {
                Some(a) => a.codes.extend(parsed),
                None => err(errors, line, Reason::CodeWithoutEntry),
            }
            continue;
        }
        if let Some(syn) = phrase.strip_prefix('+') {
            let words = phrase_words(syn);
            match actors.last_mut() {
                Some(a) if !words.is_empty() => {
                    a.phrases.push(words);
                    a.codes.extend(parsed);
                }
                Some(_) => err(errors, line, Reason::EmptyPhrase),
                None => err(errors, line, Reason::SynonymWithoutEntry),
            }
            continue;
        }
        actors.push(Actor {
            phrases: vec![phrase_words(phrase)],
            codes: parsed,
            line,
        });
    }
    actors
}

/// English plural of a word: `POLICE` → `POLICES`, `AUTHORITY` → `AUTHORITIES`, `MAN` → `MEN`.
fn plural(w: &str) -> String {
    if let Some(s) = w.strip_suffix("MAN") {
        return format!("{s}MEN");
    }
    let b = w.as_bytes();
    let n = b.len();
    if w.ends_with('S') || w.ends_with('X') || w.ends_with("CH") || w.ends_with("SH") {
        format!("{w}ES")
    } else if n >= 2 && b[n - 1] == b'Y' && !b"AEIOU".contains(&b[n - 2]) {
        format!("{}IES", &w[..n - 1])
    } else {
        format!("{w}S")
    }
}

/// Reads a PETRARCH agent dictionary.
pub fn read_agents(path: &str, text: &str, errors: &mut Vec<LineError>) -> Vec<Agent> {
    let mut subs: HashMap<String, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for (line, raw) in content_lines(text) {
        let body = uncomment(raw).trim();
        if body.is_empty() {
            continue;
        }
        let mut err = |reason| {
            errors.push(LineError {
                path: path.to_string(),
                line,
                reason,
            })
        };
        if body.starts_with('!') && body.contains('=') && !body.contains('[') {
            let Some((name, members)) = body.split_once('=') else {
                err(Reason::BadSubstitution);
                continue;
            };
            let name = name.trim();
            if name.len() < 3 || !name.ends_with('!') {
                err(Reason::BadSubstitution);
                continue;
            }
            subs.insert(
                name.to_ascii_uppercase(),
                members
                    .split(',')
                    .map(|m| m.trim().to_ascii_uppercase())
                    .filter(|m| !m.is_empty())
                    .collect(),
            );
            continue;
        }
        let (before, codes) = match split_brackets(body) {
            Ok(x) => x,
            Err(r) => {
                err(r);
                continue;
            }
        };
        let Some(code) = codes.first().map(|c| c.trim().to_ascii_uppercase()) else {
            err(Reason::BadAgentCode(body.to_string()));
            continue;
        };
        let (code, prefix) = if let Some(c) = code.strip_prefix('~') {
            (c.trim().to_string(), false)
        } else if let Some(c) = code.strip_suffix('~') {
            (c.trim().to_string(), true)
        } else {
            err(Reason::BadAgentCode(code));
            continue;
        };
        // `{}` means no plural; `{A B}` lists the plural forms.
        let (phrase, plurals) = match before.split_once('{') {
            Some((p, rest)) => (
                p.trim(),
                Some(
                    rest.trim_end()
                        .trim_end_matches('}')
                        .split_whitespace()
                        .map(str::to_string)
                        .collect::<Vec<_>>(),
                ),
            ),
            None => (before.trim(), None),
        };
        if phrase.is_empty() {
            err(Reason::EmptyPhrase);
            continue;
        }
        // Expand `!NAME!` substitution sets.
        let mut phrases = vec![phrase.to_ascii_uppercase()];
        while let Some(p) = phrases.iter().position(|p| p.contains('!')) {
            let p = phrases.swap_remove(p);
            let Some(open) = p.find('!') else { break };
            let Some(len) = p[open + 1..].find('!') else {
                err(Reason::BadSubstitution);
                break;
            };
            let name = &p[open..open + len + 2];
            let Some(members) = subs.get(name) else {
                err(Reason::UnknownSubstitution(name.to_string()));
                break;
            };
            for m in members {
                phrases.push(p.replacen(name, m, 1));
            }
        }
        for p in phrases {
            if p.contains('!') {
                continue;
            }
            // Agent nouns match whole words and their plurals, not as stems: a stem `DIPLOMAT` would
            // take "diplomatic ties" for diplomats.
            let mut words = phrase_words(&p);
            words.iter_mut().for_each(|w| w.stem = false);
            let mut variants: Vec<Vec<Word>> = Vec::new();
            match &plurals {
                Some(list) => {
                    if let Some(last) = words.last_mut() {
                        last.stem = false;
                    }
                    for pl in list {
                        let mut v = phrase_words(pl);
                        v.iter_mut().for_each(|w| w.stem = false);
                        variants.push(v);
                    }
                }
                None => {
                    if let Some(last) = words.last() {
                        let mut pl = words.clone();
                        let n = pl.len();
                        pl[n - 1] = Word {
                            text: plural(&last.text),
                            stem: false,
                        };
                        variants.push(pl);
                    }
                }
            }
            for w in std::iter::once(words).chain(variants) {
                if !w.is_empty() {
                    out.push(Agent {
                        words: w,
                        code: code.clone(),
                        prefix,
                        line,
                    });
                }
            }
        }
    }
    out
}

/// Reads a PETRARCH discard dictionary.
pub fn read_discards(_path: &str, text: &str) -> Vec<Discard> {
    let mut out = Vec::new();
    for (_, raw) in content_lines(text) {
        let body = uncomment(raw).trim();
        if body.is_empty() {
            continue;
        }
        let (story, phrase) = match body.strip_prefix('+') {
            Some(p) => (true, p),
            None => (false, body),
        };
        let words = phrase_words(phrase);
        if !words.is_empty() {
            out.push(Discard { words, story });
        }
    }
    out
}

/// Splits a pattern into steps: space-separated chunks whose parts joined by `_` are adjacent.
fn steps(text: &str) -> Vec<Step> {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if matches!(c, '(' | ')' | '{' | '}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = Vec::new();
    for chunk in cleaned.split_whitespace() {
        for (i, part) in chunk.split('_').enumerate() {
            if part.is_empty() {
                continue;
            }
            let elem = match part {
                "*" => Elem::Word("*".into()),
                "$" => Elem::Source,
                "+" => Elem::Target,
                "%" => Elem::Compound,
                "^" => Elem::Skip,
                p if p.starts_with('&') => Elem::Synset(p[1..].to_ascii_uppercase()),
                p => Elem::Word(p.to_ascii_uppercase()),
            };
            out.push(Step {
                elem,
                adjacent: i > 0,
            });
        }
    }
    out
}

/// Reads a PETRARCH or TABARI verb dictionary (the PETRARCH-1 pattern syntax; PETRARCH2's `(PREP ..)` and
/// `{NP}` groupings are read as plain word sequences).
pub fn read_verbs(path: &str, text: &str, errors: &mut Vec<LineError>) -> Verbs {
    let mut v = Verbs::default();
    let mut synset: Option<String> = None;
    let mut used_synsets: Vec<(usize, String)> = Vec::new();
    for (line, raw) in content_lines(text) {
        let mut err = |reason| {
            errors.push(LineError {
                path: path.to_string(),
                line,
                reason,
            })
        };
        let body = uncomment(raw).trim();
        if body.is_empty() {
            synset = None;
            continue;
        }
        if body.starts_with("---") {
            synset = None;
            let inner = body.trim_matches('-').trim();
            let (name, codes) = match split_brackets(inner) {
                Ok(x) => x,
                Err(r) => {
                    err(r);
                    continue;
                }
            };
            if name.trim().is_empty() {
                err(Reason::BadHeader);
                continue;
            }
            v.blocks.push(VerbBlock {
                name: name.trim().to_ascii_uppercase(),
                code: codes
                    .first()
                    .map(|c| VerbCode::parse(c))
                    .unwrap_or_default(),
                patterns: Vec::new(),
                line,
            });
            continue;
        }
        if let Some(name) = body.strip_prefix('&') {
            let name = name.trim().trim_end_matches('_').to_ascii_uppercase();
            v.synsets.entry(name.clone()).or_default();
            synset = Some(name);
            continue;
        }
        if let (Some(name), Some(member)) = (&synset, body.strip_prefix('+')) {
            let words: Vec<String> = member
                .split(|c: char| c == '_' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .map(|w| w.to_ascii_uppercase())
                .collect();
            for w in &words {
                if let Some(s) = w.strip_prefix('&') {
                    used_synsets.push((line, s.to_string()));
                }
            }
            if let Some(set) = v.synsets.get_mut(name) {
                if !words.is_empty() {
                    set.push(words);
                }
            }
            continue;
        }
        synset = None;
        let block = v.blocks.len().checked_sub(1);
        let Some(block) = block else {
            err(Reason::OutsideBlock);
            continue;
        };
        if let Some(pat) = body.strip_prefix('-') {
            let (pat, codes) = match split_brackets(pat) {
                Ok(x) => x,
                Err(r) => {
                    err(r);
                    continue;
                }
            };
            let Some(code) = codes.first() else {
                err(Reason::NoPatternCode);
                continue;
            };
            let all = steps(pat);
            let Some(star) = all.iter().position(|s| s.elem == Elem::Word("*".into())) else {
                err(Reason::NoVerbMarker);
                continue;
            };
            for s in &all {
                if let Elem::Synset(n) = &s.elem {
                    used_synsets.push((line, n.clone()));
                }
            }
            // Lower steps nearest the verb first; each keeps whether it touches the step to its right.
            let mut lower = Vec::new();
            for i in (0..star).rev() {
                lower.push(Step {
                    elem: all[i].elem.clone(),
                    adjacent: all[i + 1].adjacent,
                });
            }
            let upper = all[star + 1..].to_vec();
            v.blocks[block].patterns.push(Pattern {
                lower,
                upper,
                code: VerbCode::parse(code),
                line,
            });
            continue;
        }
        // A verb form line: `[+]WORD[_WORD..] [{FORMS}] [[CODE]]`.
        let (before, codes) = match split_brackets(body) {
            Ok(x) => x,
            Err(r) => {
                err(r);
                continue;
            }
        };
        let code = codes.first().map(|c| VerbCode::parse(c));
        let before = before.trim();
        let (main, irregular) = match before.split_once('{') {
            Some((m, rest)) => (m.trim(), rest.trim_end().trim_end_matches('}').trim()),
            None => (before, ""),
        };
        let Some(main_form) = verb_form(main) else {
            err(Reason::EmptyPhrase);
            continue;
        };
        let mut forms = Vec::new();
        let (words, at) = main_form;
        for (f, _) in crate::lexicon::verb_forms(&words[at], &HashMap::new()) {
            let mut w = words.clone();
            w[at] = f.to_ascii_uppercase();
            forms.push((w, at));
        }
        for irr in irregular.split_whitespace() {
            let irr = irr.trim_start_matches('+');
            let f = if irr.contains('_') {
                verb_form(irr)
            } else {
                let mut w = words.clone();
                w[at] = irr.to_ascii_uppercase();
                Some((w, at))
            };
            if let Some(f) = f {
                forms.push(f);
            }
        }
        forms.sort();
        forms.dedup();
        for (words, verb_at) in forms {
            v.forms.push(VerbForm {
                words,
                verb_at,
                block,
                code: code.clone(),
            });
        }
    }
    for (line, name) in used_synsets {
        if !v.synsets.contains_key(&name) {
            errors.push(LineError {
                path: path.to_string(),
                line,
                reason: Reason::UnknownSynset(name),
            });
        }
    }
    v
}

/// Words of a verb phrase and which is the verb: `WIRE_+TAP` → (`[WIRE, TAP]`, 1); `+BREAK_DOWN` → 0.
fn verb_form(s: &str) -> Option<(Vec<String>, usize)> {
    let s = s.trim().trim_start_matches('+');
    let parts: Vec<&str> = s
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let at = parts.iter().position(|p| p.starts_with('+')).unwrap_or(0);
    Some((
        parts
            .iter()
            .map(|p| p.trim_start_matches('+').to_ascii_uppercase())
            .collect(),
        at,
    ))
}

/// An actor or agent found in a sentence.
#[derive(Debug, Clone)]
enum Found {
    Actor(Vec<String>),
    Agent { code: String, prefix: bool },
}

#[derive(Debug, Clone)]
struct Item {
    start: usize,
    end: usize,
    found: Found,
}

/// A noun phrase naming one or more actors (a compound gives several codes).
#[derive(Debug, Clone)]
struct Group {
    start: usize,
    end: usize,
    codes: Vec<String>,
    after_preposition: bool,
}

/// What lies between two items of a noun phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    Glue,
    Link,
    Conj,
    Break,
}

const LINKS: &[&str] = &["OF", "IN", "FROM"];
const CONJUNCTIONS: &[&str] = &["AND", ",", "OR", "NOR", "&"];
/// Words that open a clause with a subject of its own.
const SUBORDINATORS: &[&str] = &[
    "AFTER", "BEFORE", "WHEN", "WHILE", "BECAUSE", "ALTHOUGH", "SINCE", "UNTIL", "WHERE", "WHO",
    "WHICH",
];
const BE_FORMS: &[&str] = &["IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING"];
const COMPLEMENTISERS: &[&str] = &[
    "THAT", "WHETHER", "IF", "BECAUSE", "ALTHOUGH", "WHILE", "AS", "SINCE", "AFTER", "BEFORE",
    "WHEN",
];

fn is_glue(w: &str, tag: Option<&str>) -> bool {
    match tag {
        Some(t) => {
            matches!(
                t,
                "DT" | "JJ" | "JJR" | "JJS" | "POS" | "PRP$" | "CD" | "NN" | "NNS" | "NNP" | "NNPS"
            ) && !LINKS.contains(&w)
        }
        None => {
            w == "'S"
                || w == "THE"
                || w == "A"
                || w == "AN"
                || w.chars().next().is_some_and(|c| c.is_alphabetic())
                    && !LINKS.contains(&w)
                    && !CONJUNCTIONS.contains(&w)
        }
    }
}

impl Dictionaries {
    /// Builds the set from one file of each kind, `(path, text)`; every bad line is reported.
    pub fn from_texts(
        actors: (&str, &str),
        agents: (&str, &str),
        discards: (&str, &str),
        verbs: (&str, &str),
    ) -> Result<Dictionaries, Errors> {
        Dictionaries::from_files(&[actors], &[agents], &[discards], &[verbs])
    }

    /// Builds the set from any number of files of each kind (PETRARCH's production set has three actor
    /// files); fails with every bad line of every file.
    pub fn from_files(
        actors: &[(&str, &str)],
        agents: &[(&str, &str)],
        discards: &[(&str, &str)],
        verbs: &[(&str, &str)],
    ) -> Result<Dictionaries, Errors> {
        let (dictionaries, problems) = Dictionaries::load(actors, agents, discards, verbs);
        if problems.is_empty() {
            Ok(dictionaries)
        } else {
            Err(Errors(problems))
        }
    }

    /// Like [`Dictionaries::from_files`], but skips bad lines and returns them beside the set: real
    /// dictionaries have a few (PETRARCH2's production files have thirteen, such as the date
    /// `>201005011`), and one bad line should not cost the user the other 60,000.
    pub fn load(
        actors: &[(&str, &str)],
        agents: &[(&str, &str)],
        discards: &[(&str, &str)],
        verbs: &[(&str, &str)],
    ) -> (Dictionaries, Vec<LineError>) {
        let mut errors = Vec::new();
        let mut all_actors = Vec::new();
        for (path, text) in actors {
            all_actors.extend(read_actors(path, text, &mut errors));
        }
        let mut all_agents = Vec::new();
        for (path, text) in agents {
            all_agents.extend(read_agents(path, text, &mut errors));
        }
        let mut all_discards = Vec::new();
        for (path, text) in discards {
            all_discards.extend(read_discards(path, text));
        }
        // Verb files are merged: blocks and forms are renumbered, synonym sets shared.
        let mut merged = Verbs::default();
        for (path, text) in verbs {
            let v = read_verbs(path, text, &mut errors);
            let offset = merged.blocks.len();
            merged.blocks.extend(v.blocks);
            merged.forms.extend(v.forms.into_iter().map(|mut f| {
                f.block += offset;
                f
            }));
            merged.synsets.extend(v.synsets);
        }
        (
            Dictionaries::new(all_actors, all_agents, all_discards, merged),
            errors,
        )
    }

    /// Builds the matching indexes over parsed dictionaries.
    pub fn new(
        actors: Vec<Actor>,
        agents: Vec<Agent>,
        discards: Vec<Discard>,
        verbs: Verbs,
    ) -> Dictionaries {
        let mut actor_index: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (a, actor) in actors.iter().enumerate() {
            for (p, words) in actor.phrases.iter().enumerate() {
                if let Some(w) = words.first() {
                    actor_index.entry(w.text.clone()).or_default().push((a, p));
                }
            }
        }
        let mut agent_index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, agent) in agents.iter().enumerate() {
            if let Some(w) = agent.words.first() {
                agent_index.entry(w.text.clone()).or_default().push(i);
            }
        }
        let mut form_index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in verbs.forms.iter().enumerate() {
            form_index
                .entry(f.words[f.verb_at].clone())
                .or_default()
                .push(i);
        }
        Dictionaries {
            actors,
            agents,
            discards,
            verbs,
            actor_index,
            agent_index,
            form_index,
        }
    }

    /// Codes one sentence on `date` (`YYYYMMDD`). A sentence with a discard phrase codes nothing.
    pub fn code(&self, tokens: &[Token], date: u32, options: &Options) -> Vec<Triple> {
        let words: Vec<String> = tokens.iter().map(|t| t.word.to_ascii_uppercase()).collect();
        let tags: Vec<Option<&str>> = tokens.iter().map(|t| t.tag.as_deref()).collect();
        let s = Sentence {
            d: self,
            words: &words,
            tags: &tags,
        };
        if s.discarded() {
            return Vec::new();
        }
        let items = s.items(date);
        let groups = s.groups(&items);
        let mut out = Vec::new();
        for (vstart, vend, forms) in s.verbs(&groups) {
            s.code_verb(vstart, vend, &forms, &groups, options, &mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether the text contains a story-level discard phrase (the whole story is skipped).
    pub fn story_discard(&self, tokens: &[Token]) -> bool {
        let words: Vec<String> = tokens.iter().map(|t| t.word.to_ascii_uppercase()).collect();
        self.discards
            .iter()
            .any(|d| d.story && (0..words.len()).any(|i| phrase_at(&d.words, &words, i).is_some()))
    }
}

/// The end of `phrase` matched at token `i`.
fn phrase_at(phrase: &[Word], words: &[String], i: usize) -> Option<usize> {
    if i + phrase.len() > words.len() {
        return None;
    }
    phrase
        .iter()
        .zip(&words[i..])
        .all(|(p, w)| p.matches(w))
        .then_some(i + phrase.len())
}

struct Sentence<'a> {
    d: &'a Dictionaries,
    words: &'a [String],
    tags: &'a [Option<&'a str>],
}

/// What a pattern bound: source and target groups, and a compound.
#[derive(Debug, Clone, Copy, Default)]
struct Bound {
    source: Option<usize>,
    target: Option<usize>,
    compound: Option<usize>,
}

impl<'a> Sentence<'a> {
    fn discarded(&self) -> bool {
        self.d
            .discards
            .iter()
            .any(|d| (0..self.words.len()).any(|i| phrase_at(&d.words, self.words, i).is_some()))
    }

    fn tag(&self, i: usize) -> Option<&str> {
        self.tags.get(i).copied().flatten()
    }

    /// Candidate keys for a word: itself and its prefixes (for stems).
    fn keys(w: &str) -> impl Iterator<Item = &str> {
        w.char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .map(move |e| &w[..e])
    }

    /// The longest actor or agent at each position, left to right, not overlapping.
    fn items(&self, date: u32) -> Vec<Item> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.words.len() {
            let mut best: Option<Item> = None;
            for key in Self::keys(&self.words[i]) {
                for &(a, p) in self.d.actor_index.get(key).into_iter().flatten() {
                    let actor = &self.d.actors[a];
                    let Some(end) = phrase_at(&actor.phrases[p], self.words, i) else {
                        continue;
                    };
                    if best.as_ref().is_some_and(|b| b.end >= end) {
                        continue;
                    }
                    let Some(code) = actor.code_on(date) else {
                        continue;
                    };
                    best = Some(Item {
                        start: i,
                        end,
                        found: Found::Actor(code.split('/').map(str::to_string).collect()),
                    });
                }
                for &g in self.d.agent_index.get(key).into_iter().flatten() {
                    let agent = &self.d.agents[g];
                    let Some(end) = phrase_at(&agent.words, self.words, i) else {
                        continue;
                    };
                    if best.as_ref().is_some_and(|b| b.end >= end) {
                        continue;
                    }
                    best = Some(Item {
                        start: i,
                        end,
                        found: Found::Agent {
                            code: agent.code.clone(),
                            prefix: agent.prefix,
                        },
                    });
                }
            }
            match best {
                Some(item) => {
                    i = item.end;
                    out.push(item);
                }
                None => i += 1,
            }
        }
        out
    }

    /// How the tokens between two items join them.
    fn join(&self, from: usize, to: usize) -> Join {
        if to - from > 4 {
            return Join::Break;
        }
        let mut join = Join::Glue;
        for i in from..to {
            let w = self.words[i].as_str();
            let adjectives = |k: usize| self.tag(k).is_some_and(|t| t.starts_with("JJ"));
            if CONJUNCTIONS.contains(&w) && i > 0 && adjectives(i - 1) && adjectives(i + 1) {
                // Coordinated adjectives ("awful and evil minister") stay inside one phrase.
                continue;
            } else if CONJUNCTIONS.contains(&w) {
                join = Join::Conj;
            } else if LINKS.contains(&w) {
                if join == Join::Conj {
                    return Join::Break;
                }
                join = Join::Link;
            } else if !is_glue(w, self.tag(i)) || self.d.form_index.contains_key(w) {
                return Join::Break;
            }
        }
        join
    }

    /// Groups items into noun phrases and resolves their codes.
    fn groups(&self, items: &[Item]) -> Vec<Group> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < items.len() {
            // Conjuncts of this group: each a list of items, with the join before each item.
            let mut conj: Vec<Vec<(Join, &Item)>> = vec![vec![(Join::Glue, &items[i])]];
            let mut j = i + 1;
            while j < items.len() {
                let join = self.join(items[j - 1].end, items[j].start);
                let is_actor = matches!(items[j].found, Found::Actor(_));
                let has_actor = |c: &Vec<(Join, &Item)>| {
                    c.iter().any(|(_, it)| matches!(it.found, Found::Actor(_)))
                };
                match join {
                    Join::Break => break,
                    Join::Conj => conj.push(vec![(join, &items[j])]),
                    Join::Link if is_actor && conj.last().is_some_and(has_actor) => break,
                    _ => {
                        if let Some(c) = conj.last_mut() {
                            c.push((join, &items[j]));
                        }
                    }
                }
                j += 1;
            }
            let start = items[i].start;
            let end = items[j - 1].end;
            let codes = resolve(&conj);
            if !codes.is_empty() {
                out.push(Group {
                    start,
                    end,
                    codes,
                    after_preposition: self.after_preposition(start),
                });
            }
            i = j;
        }
        out
    }

    fn after_preposition(&self, start: usize) -> bool {
        let mut k = start;
        while k > 0 {
            k -= 1;
            let t = self.tag(k);
            if matches!(t, Some("DT" | "JJ" | "JJR" | "JJS" | "CD" | "PRP$" | "VBN")) {
                continue;
            }
            let w = self.words[k].as_str();
            return match t {
                Some(t) => matches!(t, "IN" | "TO") && !COMPLEMENTISERS.contains(&w),
                None => {
                    LINKS.contains(&w)
                        || matches!(
                            w,
                            "TO" | "WITH" | "BY" | "AT" | "ON" | "FOR" | "AGAINST" | "INTO"
                        )
                }
            };
        }
        false
    }

    /// Verb occurrences: (start, end, forms), the longest form at each token (every block that lists
    /// it: a verb may appear in several blocks), not inside actor groups.
    fn verbs(&self, groups: &[Group]) -> Vec<(usize, usize, Vec<usize>)> {
        let mut out: Vec<(usize, usize, Vec<usize>)> = Vec::new();
        for i in 0..self.words.len() {
            if let Some(t) = self.tag(i) {
                if !t.starts_with("VB") {
                    continue;
                }
            }
            if groups.iter().any(|g| g.start <= i && i < g.end) {
                continue;
            }
            let mut best: Option<(usize, usize, Vec<usize>)> = None;
            for &f in self.d.form_index.get(&self.words[i]).into_iter().flatten() {
                let form = &self.d.verbs.forms[f];
                let Some(start) = i.checked_sub(form.verb_at) else {
                    continue;
                };
                let end = start + form.words.len();
                if end > self.words.len() || self.words[start..end] != form.words[..] {
                    continue;
                }
                match &mut best {
                    Some(b) if (b.0, b.1) == (start, end) => b.2.push(f),
                    Some(b) if end - start <= b.1 - b.0 => {}
                    _ => best = Some((start, end, vec![f])),
                }
            }
            if let Some(b) = best {
                if out.last().is_none_or(|l| l.1 <= b.0) {
                    out.push(b);
                }
            }
        }
        out
    }

    fn synset_members(&self, name: &str, depth: usize) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        if depth > 4 {
            return out;
        }
        for m in self.d.verbs.synsets.get(name).into_iter().flatten() {
            if m.len() == 1 && m[0].starts_with('&') {
                out.extend(self.synset_members(&m[0][1..], depth + 1));
            } else {
                out.push(m.clone());
            }
        }
        out
    }

    /// Matches `steps` forward from `pos` (upper part) or backward from `pos` (lower part, `pos` is the
    /// token just left of what was matched so far, as a signed index).
    fn match_steps(
        &self,
        steps: &[Step],
        pos: isize,
        forward: bool,
        groups: &[Group],
        bound: Bound,
    ) -> Option<Bound> {
        let Some(step) = steps.first() else {
            return Some(bound);
        };
        let n = self.words.len() as isize;
        let candidates: Vec<isize> = if step.adjacent {
            vec![pos]
        } else if forward {
            (pos..n).collect()
        } else {
            (0..=pos).rev().collect()
        };
        for p in candidates {
            if p < 0 || p >= n {
                continue;
            }
            for (next, b) in self.match_elem(&step.elem, p, forward, groups, bound) {
                if let Some(done) = self.match_steps(&steps[1..], next, forward, groups, b) {
                    return Some(done);
                }
            }
        }
        None
    }

    /// Where one element can end when it starts at `p` (forward) or ends at `p` (backward).
    fn match_elem(
        &self,
        elem: &Elem,
        p: isize,
        forward: bool,
        groups: &[Group],
        bound: Bound,
    ) -> Vec<(isize, Bound)> {
        let step = |len: isize| if forward { p + len } else { p - len };
        let pu = p as usize;
        match elem {
            Elem::Word(w) => {
                if self.words[pu] == *w {
                    vec![(step(1), bound)]
                } else {
                    Vec::new()
                }
            }
            Elem::Synset(name) => {
                let mut out = Vec::new();
                for m in self.synset_members(name, 0) {
                    let len = m.len() as isize;
                    let start = if forward { p } else { p - len + 1 };
                    if start < 0 || start + len > self.words.len() as isize {
                        continue;
                    }
                    let s = start as usize;
                    if self.words[s..s + m.len()] == m[..] {
                        out.push((step(len), bound));
                    }
                }
                out
            }
            Elem::Source | Elem::Target | Elem::Compound => {
                let g = groups.iter().position(|g| {
                    if forward {
                        g.start == pu
                    } else {
                        g.end == pu + 1
                    }
                });
                let Some(g) = g else { return Vec::new() };
                let mut b = bound;
                match elem {
                    Elem::Source => b.source = Some(g),
                    Elem::Target => b.target = Some(g),
                    _ => b.compound = Some(g),
                }
                let next = if forward {
                    groups[g].end as isize
                } else {
                    groups[g].start as isize - 1
                };
                vec![(next, b)]
            }
            Elem::Skip => (1..=6).map(|k| (step(k), bound)).collect(),
        }
    }

    /// For a passive verb ("was opposed by Osgiliath"), the group after "by": the real source.
    fn passive_agent(&self, vstart: usize, vend: usize, groups: &[Group]) -> Option<usize> {
        if self.tag(vend - 1) != Some("VBN") {
            return None;
        }
        let mut k = vstart;
        while k > 0 && self.tag(k - 1).is_some_and(|t| t.starts_with("RB")) {
            k -= 1;
        }
        let be = k > 0 && BE_FORMS.contains(&self.words[k - 1].as_str());
        let mut j = vend;
        while j < self.words.len() && self.tag(j).is_some_and(|t| t.starts_with("RB")) {
            j += 1;
        }
        if !be || self.words.get(j).map(String::as_str) != Some("BY") {
            return None;
        }
        groups.iter().position(|g| g.start == j + 1)
    }

    fn code_verb(
        &self,
        vstart: usize,
        vend: usize,
        forms: &[usize],
        groups: &[Group],
        options: &Options,
        out: &mut Vec<Triple>,
    ) {
        let forms: Vec<&VerbForm> = forms.iter().map(|&f| &self.d.verbs.forms[f]).collect();
        let mut chosen: Option<(&VerbCode, Bound)> = None;
        let patterns = forms
            .iter()
            .flat_map(|f| &self.d.verbs.blocks[f.block].patterns);
        for pat in patterns {
            let Some(b) =
                self.match_steps(&pat.upper, vend as isize, true, groups, Bound::default())
            else {
                continue;
            };
            let Some(b) = self.match_steps(&pat.lower, vstart as isize - 1, false, groups, b)
            else {
                continue;
            };
            chosen = Some((&pat.code, b));
            break;
        }
        // Without a pattern: the verb's own code, else its block's, from the first block that has one.
        let (code, bound) = match chosen {
            Some(c) => c,
            None => {
                let default = forms.iter().find_map(|f| {
                    f.code
                        .as_ref()
                        .filter(|c| !c.is_none())
                        .or(Some(&self.d.verbs.blocks[f.block].code).filter(|c| !c.is_none()))
                });
                match default {
                    Some(c) => (c, Bound::default()),
                    None => return,
                }
            }
        };
        // A compound before the verb: its members act on each other.
        if let Some(c) = bound.compound {
            let g = &groups[c];
            if g.end <= vstart && g.codes.len() > 1 {
                for a in &g.codes {
                    for b in &g.codes {
                        if a != b {
                            push(out, a, b, code);
                        }
                    }
                }
                return;
            }
        }
        let source = bound.source.or_else(|| {
            if bound.compound.is_some_and(|c| groups[c].end <= vstart) {
                return bound.compound;
            }
            // The nearest actor to the left that is not the object of a preposition, unless a
            // subordinating word lies between it and the verb: the verb then has a subject of its own.
            let limit = bound
                .target
                .map(|t| groups[t].start)
                .filter(|&s| s < vstart)
                .unwrap_or(vstart);
            groups
                .iter()
                .enumerate()
                .rev()
                .find(|(i, g)| g.end <= vstart && !g.after_preposition && Some(*i) != bound.target)
                .filter(|(_, g)| {
                    g.end > limit
                        || !self.words[g.end..limit]
                            .iter()
                            .any(|w| SUBORDINATORS.contains(&w.as_str()))
                })
                .map(|(i, _)| i)
        });
        let passive_agent = self.passive_agent(vstart, vend, groups);
        let (source, target) = match (bound.source, bound.target, passive_agent) {
            (None, None, Some(agent)) => (Some(agent), source),
            _ => (source, None),
        };
        let target = target.or(bound.target).or(bound.compound).or_else(|| {
            // The first actor to the right, within the clause: up to a comma after a noun
            // ("ties with Gxndor, five years after ..."), not a comma between adjectives.
            let stop = (vend..self.words.len())
                .find(|&i| {
                    self.words[i] == ","
                        && (vend..i).any(|k| self.tag(k).is_none_or(|t| t.starts_with("NN")))
                })
                .unwrap_or(self.words.len());
            groups
                .iter()
                .enumerate()
                .find(|(i, g)| g.start >= vend && g.start < stop && Some(*i) != source)
                .map(|(i, _)| i)
        });
        let none = vec!["---".to_string()];
        let (sources, targets) = match (source, target) {
            (Some(s), Some(t)) => (&groups[s].codes, &groups[t].codes),
            _ if options.require_dyad => return,
            (Some(s), None) => (&groups[s].codes, &none),
            (None, Some(t)) => (&none, &groups[t].codes),
            (None, None) => return,
        };
        for s in sources {
            for t in targets {
                if s != t {
                    push(out, s, t, code);
                }
            }
        }
    }
}

fn push(out: &mut Vec<Triple>, s: &str, t: &str, code: &VerbCode) {
    if let Some(c) = &code.forward {
        out.push(Triple {
            source: s.to_string(),
            target: t.to_string(),
            code: c.clone(),
        });
    }
    if let Some(c) = &code.reverse {
        out.push(Triple {
            source: t.to_string(),
            target: s.to_string(),
            code: c.clone(),
        });
    }
}

/// Joins an actor code and its agents: prefix agents first, role agents after, a role the actor code
/// already ends with is not repeated (`USAGOV` + `GOV` → `USAGOV`).
fn compose(actor: &str, agents: &[(&str, bool)]) -> String {
    let mut code = actor.to_string();
    for (a, prefix) in agents {
        if *prefix {
            code = format!("{a}{code}");
        } else if !code.ends_with(a) {
            code.push_str(a);
        }
    }
    code
}

/// Resolves a noun phrase's conjuncts to codes.
///
/// Agents before "of"/"in"/"from" distribute over every actor after it ("lawmakers and officials in
/// Fornost and Gondor"); otherwise each conjunct is its actor with its own agents, and a conjunct of
/// agents alone takes the actor of the conjunct before it ("Danish media and government"), or none
/// (`---`).
fn resolve(conj: &[Vec<(Join, &Item)>]) -> Vec<String> {
    type Parts<'i> = (Option<&'i [String]>, Vec<(&'i str, bool)>);
    // Split each conjunct into (actor, agents); note a link that follows agents only.
    let mut link_split: Option<usize> = None;
    let mut conjuncts: Vec<Parts<'_>> = Vec::new();
    for (ci, c) in conj.iter().enumerate() {
        let mut actor: Option<&[String]> = None;
        let mut agents = Vec::new();
        for (join, item) in c {
            if *join == Join::Link
                && actor.is_none()
                && link_split.is_none()
                && conj[..=ci]
                    .iter()
                    .flatten()
                    .take_while(|(_, it)| !std::ptr::eq(*it, *item))
                    .all(|(_, it)| matches!(it.found, Found::Agent { .. }))
            {
                link_split = Some(ci);
                conjuncts.push((None, std::mem::take(&mut agents)));
            }
            match &item.found {
                Found::Actor(codes) => {
                    if actor.is_none() {
                        actor = Some(codes);
                    }
                }
                Found::Agent { code, prefix } => agents.push((code.as_str(), *prefix)),
            }
        }
        conjuncts.push((actor, agents));
    }
    let mut out = Vec::new();
    if let Some(split) = link_split {
        // Conjuncts before and including the split's head are agents; the rest are actors.
        let head: Vec<&Vec<(&str, bool)>> = conjuncts[..=split].iter().map(|c| &c.1).collect();
        for (actor, agents) in &conjuncts[split + 1..] {
            let actors: Vec<String> = match actor {
                Some(a) => a.to_vec(),
                None => vec!["---".to_string()],
            };
            for a in &actors {
                for h in &head {
                    let mut all: Vec<(&str, bool)> = h.to_vec();
                    all.extend(agents.iter().copied());
                    out.push(compose(a, &all));
                }
            }
        }
    } else {
        let mut previous: Option<&[String]> = None;
        for (actor, agents) in &conjuncts {
            let actor = actor.or_else(|| if agents.is_empty() { None } else { previous });
            let actors: Vec<String> = match actor {
                Some(a) => {
                    previous = Some(a);
                    a.to_vec()
                }
                None if !agents.is_empty() => vec!["---".to_string()],
                None => continue,
            };
            for a in &actors {
                out.push(compose(a, agents));
            }
        }
    }
    let mut seen = Vec::new();
    for c in out {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dicts(actors: &str, agents: &str, verbs: &str) -> Dictionaries {
        Dictionaries::from_texts(
            ("a.txt", actors),
            ("g.txt", agents),
            ("d.txt", "BASEBALL\n+TYPHOON\n"),
            ("v.txt", verbs),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn code(d: &Dictionaries, text: &str, date: u32) -> Vec<String> {
        d.code(&Token::plain(text), date, &Options::default())
            .iter()
            .map(|t| t.to_string())
            .collect()
    }

    #[test]
    fn actor_entries_with_synonyms_and_dated_codes() {
        let text = "<!-- a comment\n still -->\nGOLLUM  # pas\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\n\t[HOBREB > 990816]\nLORIEN  [ELR/GAL]\nPALESTINIAN [pse]\n";
        let mut errors = Vec::new();
        let actors = read_actors("a.txt", text, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(actors.len(), 3);
        let g = &actors[0];
        assert_eq!(g.phrases.len(), 2);
        assert_eq!(g.code_on(19950101), Some("HOB"));
        assert_eq!(g.code_on(19990815), Some("HOBGOV"));
        assert_eq!(g.code_on(20010101), Some("HOBREB"));
        assert_eq!(actors[1].code_on(0), Some("ELR/GAL"));
        assert_eq!(actors[2].code_on(0), Some("PSE"));
        assert_eq!(actors[2].line, 9);
    }

    #[test]
    fn bad_actor_lines_carry_file_and_line() {
        let mut errors = Vec::new();
        read_actors("x.txt", "\t[ABC]\nFOO [BAR <99]\nBAZ [QUX\n", &mut errors);
        let got: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].starts_with("x.txt:1: a code line"));
        assert!(got[1].starts_with("x.txt:2: bad date"));
        assert!(got[2].starts_with("x.txt:3: unclosed"));
    }

    #[test]
    fn agents_with_substitutions_plurals_and_prefixes() {
        let text = "!PERSON! = MAN, WOMEN\nCONGRESS!PERSON! [~LEG]\nPOLICE {} [ ~COP]\nGOLDEN_GOOSE {GOLDEN_GEESE} [~GGS]\nMSF {}  [NGO~]\nAUTHORITY [~GOV]\nNOCODE\n";
        let mut errors = Vec::new();
        let agents = read_agents("g.txt", text, &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 7);
        let phrases: Vec<String> = agents
            .iter()
            .map(|a| {
                a.words
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        for p in [
            "CONGRESSMAN",
            "CONGRESSMEN",
            "CONGRESSWOMEN",
            "POLICE",
            "GOLDEN GEESE",
            "AUTHORITIES",
        ] {
            assert!(phrases.contains(&p.to_string()), "{p} in {phrases:?}");
        }
        assert!(!phrases.contains(&"POLICES".to_string()));
        assert!(agents.iter().any(|a| a.code == "NGO" && a.prefix));
    }

    #[test]
    fn discards_sentence_and_story() {
        let d = read_discards("d.txt", "# c\nBASEBALL  # x\n+ World Golf Championships\n");
        assert_eq!(d.len(), 2);
        assert!(!d[0].story);
        assert!(d[1].story);
        assert_eq!(d[1].words.len(), 3);
    }

    #[test]
    fn verb_blocks_synsets_and_patterns() {
        let text = "&TIETYPES\n+MILITARY\n+ECONOMIC\n\n--- ABANDON  [345]  ---\nABANDON    # c\n- * DIPLOMATIC TIES [901]\n- * NEW_&TIETYPES_RELATIONS [903]\n--- BREAK [1717] ---\nBREAK { BROKE BROKEN  }\n+BREAK_DOWN {+BROKE_DOWN}\nWIRE_+TAP [002]\n- + * IN $  [075]\n- % * [030:030]\n";
        let mut errors = Vec::new();
        let v = read_verbs("v.txt", text, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(v.blocks.len(), 2);
        assert_eq!(v.synsets["TIETYPES"].len(), 2);
        let p = &v.blocks[0].patterns[1];
        assert_eq!(p.upper.len(), 3);
        assert!(p.upper[1].adjacent && p.upper[2].adjacent && !p.upper[0].adjacent);
        assert!(v
            .forms
            .iter()
            .any(|f| f.words == ["BROKE", "DOWN"] && f.verb_at == 0));
        assert!(v
            .forms
            .iter()
            .any(|f| f.words == ["WIRE", "TAPPED"] && f.verb_at == 1));
        let reciprocal = &v.blocks[1].patterns[1];
        assert_eq!(reciprocal.code.reverse.as_deref(), Some("030"));
        assert_eq!(v.blocks[1].patterns[0].lower[0].elem, Elem::Target);

        let mut errors = Vec::new();
        read_verbs(
            "v.txt",
            "- * X [1]\n--- A [1] ---\n- X [2]\n- * &NOPE [3]\n",
            &mut errors,
        );
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 3, 4]);
    }

    #[test]
    fn parse_tree_leaves_and_unbalanced_trees() {
        let toks = parse_tree_tokens("(ROOT (S (NP (NNP Arnor)) (VP (VBD left)) (. .)))")
            .unwrap_or_else(|e| panic!("{e}"));
        let words: Vec<&str> = toks.iter().map(|t| t.word.as_str()).collect();
        assert_eq!(words, ["Arnor", "left", "."]);
        assert_eq!(toks[1].tag.as_deref(), Some("VBD"));
        assert_eq!(
            parse_tree_tokens("(ROOT (S (NP (NNP Arnor)) (VBD left)"),
            Err(ParseError::Unbalanced)
        );
    }

    #[test]
    fn tagged_sentences_passives_coordinated_adjectives_and_split_verb_blocks() {
        let verbs =
            "--- OPPOSE [112] ---\nOPPOSE\n--- WARN [---] ---\nWARN\n--- WARN [160] ---\nWARN\n";
        let d = dicts(
            "ERIADOR [ERI]\nOSGILIATH [OSG]\nITHILEN [ITH]\nGONDOR [GON]\n",
            "MINISTER [~GOV]\n",
            verbs,
        );
        let code = |tree: &str| -> Vec<String> {
            let toks = parse_tree_tokens(tree).unwrap_or_else(|e| panic!("{e}"));
            d.code(&toks, 0, &Options::default())
                .iter()
                .map(|t| t.to_string())
                .collect()
        };
        assert_eq!(
            code("(S (NP (NNP Eriador)) (VP (VBD was) (VP (VBN opposed) (PP (IN by) (NP (NNP Osgiliath))))))"),
            ["OSG ERI 112"]
        );
        assert_eq!(
            code("(S (NP (NNP Ithilen) (POS 's) (JJ awful) (CC and) (JJ evil) (NN minister)) (VP (VBD warned) (NP (NNP Gondor))))"),
            ["ITHGOV GON 160"]
        );
    }

    const ACTORS: &str = "ARNOR_ [ARN]\nGONDOR [GON]\nOSGILIATH [OSG]\nSAM_GAMGEE [HOB]\n\t[HOBCIV <20080120]\n\t[HOBMIL 20080120-20121109]\n";
    const AGENTS: &str = "POLICE {} [~COP]\nMSF {} [NGO~]\nLAWMAKER [~LEG]\nOFFICIAL [~GOV]\n";
    const VERBS: &str = "&TIETYPES\n+MILITARY\n+ECONOMIC\n\n--- ABANDON [345] ---\nABANDON\n- * &TIETYPES TIES [902]\n--- MEET [031:032] ---\nMEET {MET}\n--- AGREE [081] ---\nAGREE\n- % * [030:030]\n";

    #[test]
    fn codes_sentences_with_patterns_agents_compounds_and_dates() {
        let d = dicts(ACTORS, AGENTS, VERBS);
        assert_eq!(
            code(
                &d,
                "Arnor will abandon full economic ties with Gondor police.",
                0
            ),
            ["ARN GONCOP 902"]
        );
        assert_eq!(
            code(&d, "Arnor will abandon full symbolic ties with Gondor.", 0),
            ["ARN GON 345"]
        );
        assert_eq!(
            code(
                &d,
                "Lawmakers and officials in Arnor and Gondor met Osgiliath.",
                0
            ),
            [
                "ARNGOV OSG 031",
                "ARNLEG OSG 031",
                "GONGOV OSG 031",
                "GONLEG OSG 031",
                "OSG ARNGOV 032",
                "OSG ARNLEG 032",
                "OSG GONGOV 032",
                "OSG GONLEG 032"
            ]
        );
        assert_eq!(
            code(&d, "Arnor and Gondor agree.", 0),
            ["ARN GON 030", "GON ARN 030"]
        );
        assert_eq!(
            code(&d, "Sam Gamgee met Gondor.", 20080119)[1],
            "HOBCIV GON 031"
        );
        assert_eq!(
            code(&d, "Sam Gamgee met Gondor.", 20100106)[1],
            "HOBMIL GON 031"
        );
        assert_eq!(code(&d, "MSF Arnor met Gondor.", 0)[1], "NGOARN GON 031");
        assert!(code(&d, "Arnor met Gondor at baseball.", 0).is_empty());
    }
}
