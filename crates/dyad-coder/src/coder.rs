//! The coder: a document in, its events out.
//!
//! Per sentence, in order: tokens → lexicon lattice → date expressions → actor mentions (with titles,
//! role nouns, possessives, compounds, pronouns resolved against the paragraph) → event triggers (verb and
//! noun patterns, longest first) → for each trigger its source and target, modality and date.
//!
//! The method is shallow on purpose, like TABARI's: no parser, so it runs at tens of thousands of sentences
//! a second. The rules that stand in for syntax are few and named: the *clause* (bounded by strong
//! punctuation and subordinating words), the *subject* (the nearest actor to the left in the clause), the
//! *object* (the first actor to the right), *passive* (a participle after a form of "be", agent after "by"),
//! and *symmetric* patterns, whose two sides may come from a compound subject or the rest of the sentence.
//! When these rules cannot find both sides, there is no event: dyad never writes a fallback code.

use crate::cameo::{CameoTable, QuadScheme};
use crate::dates::{self, DateExpr};
use crate::dict::DictErrors;
use crate::lexicon::{ActorKind, CueKind, Elem, Hit, Item, Lexicon};
use crate::segment;
use crate::types::{
    Actor, ActorCode, Date, DateBasis, Document, Event, EventDate, Precision, Span, SpanText,
    Token, TokenKind,
};

/// Raw, all-optional options as read from flags or a file.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Options {
    /// Quad-class scheme name: `gdelt` (default) or `gold`.
    pub quad: Option<String>,
    /// Extra dictionary files, `(path, contents)`; a file replaces the built-in one of the same name.
    #[serde(skip)]
    pub dictionaries: Vec<(String, String)>,
}

/// Validated settings a [`Coder`] is built from.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub quad: QuadScheme,
    pub dictionaries: Vec<(String, String)>,
}

/// Why a coder could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("unknown quad scheme {0:?} (want gdelt or gold)")]
    QuadScheme(String),
    #[error(transparent)]
    Dictionary(#[from] DictErrors),
    #[error("{path}:{line}: code {code} is not in the CAMEO table")]
    UnknownCode {
        path: String,
        line: usize,
        code: String,
    },
}

impl Settings {
    pub fn from_options(o: Options) -> Result<Settings, Error> {
        let quad = match o.quad.as_deref() {
            None => QuadScheme::default(),
            Some(s) => QuadScheme::parse(s).ok_or_else(|| Error::QuadScheme(s.to_string()))?,
        };
        Ok(Settings {
            quad,
            dictionaries: o.dictionaries,
        })
    }
}

/// The event coder. Built once, immutable, `Send + Sync`: share it across threads.
#[derive(Debug, Clone)]
pub struct Coder {
    lexicon: Lexicon,
    cameo: CameoTable,
    quad: QuadScheme,
}

/// Counts for one coded document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocStats {
    pub sentences: usize,
    pub events: usize,
}

/// Buffers reused from sentence to sentence.
#[derive(Default)]
pub struct Scratch {
    tokens: Vec<Token>,
    starts: Vec<usize>,
    ends: Vec<usize>,
    dates: Vec<DateExpr>,
    /// When set, words that looked like actors or events but matched no dictionary entry are collected
    /// here, for growing the dictionaries (`dyad code --unknown`).
    pub unknown: Option<Vec<Unknown>>,
}

/// A phrase that looked like an actor or an event but matched nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub kind: UnknownKind,
    pub phrase: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnknownKind {
    /// A capitalised name that is no known actor.
    Actor,
    /// The words between two known actors in a sentence where no event pattern matched.
    Event,
}

impl Scratch {
    /// Scratch space that also collects unknown phrases.
    pub fn collecting_unknowns() -> Scratch {
        Scratch {
            unknown: Some(Vec::new()),
            ..Scratch::default()
        }
    }
}

const SUBORDINATORS: &[&str] = &[
    "because", "although", "though", "whereas", "while", "but", "unless", "which", "who", "whom",
];

const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our",
    "same", "new",
];

/// Prepositions: an actor right after one is an object or oblique, not a subject.
const PREPOSITIONS: &[&str] = &[
    "with", "to", "in", "on", "against", "from", "for", "of", "at", "by", "into", "toward",
    "towards", "about", "between", "through", "over", "under", "within",
];

/// Collective role nouns that stand for an actor even without a country: the country comes from the
/// document.
const BARE_ROLES: &[&str] = &[
    "administration",
    "army",
    "authorities",
    "cabinet",
    "demonstrators",
    "forces",
    "government",
    "insurgents",
    "junta",
    "militants",
    "military",
    "militia",
    "militias",
    "police",
    "protesters",
    "rebels",
    "regime",
    "security forces",
    "separatists",
    "soldiers",
    "troops",
];

const BE_FORMS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "get", "got", "gets",
];

/// An actor reference resolved to codes.
#[derive(Debug, Clone, PartialEq)]
struct Ref {
    country: String,
    role: Option<String>,
    name: Option<String>,
    person: Option<u32>,
    plural: bool,
    /// Where the words are: the mention itself, or for a pronoun the pronoun.
    span: Span,
}

/// An actor mention in a sentence (token range), resolved or not.
#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    end: usize,
    refs: Vec<Ref>,
    pronoun: bool,
    /// The country was inferred from the document, not named.
    inferred: bool,
    /// Index of the mention joined to this one by "and" (a compound: "Russia and Iran").
    and_next: Option<usize>,
}

impl Mention {
    /// A mention that names its actor(s).
    fn named(start: usize, end: usize, refs: Vec<Ref>) -> Mention {
        Mention {
            start,
            end,
            refs,
            pronoun: false,
            inferred: false,
            and_next: None,
        }
    }
}

#[derive(Debug, Clone)]
struct Trigger {
    pattern: u32,
    start: usize,
    end: usize,
    participle: bool,
    slot_source: Option<usize>,
    suppressed: bool,
}

/// How many sentences a stated date carries over within a paragraph. Papers like VOA's run whole
/// articles as one block, so "the paragraph" alone would carry a date much too far.
const CARRY_SENTENCES: usize = 2;

/// How a trigger candidate ranks: literal words, then fewer words skipped by gaps, then its end.
type Rank = (usize, std::cmp::Reverse<usize>, usize);

/// What a paragraph remembers for the sentences that follow.
#[derive(Default)]
struct Context {
    paragraph: usize,
    recent: Vec<Ref>,
    /// How often each country has been named so far in the document (kept across paragraphs): the
    /// country a bare "the authorities" or "security forces" most likely belongs to.
    doc_countries: Vec<(String, usize)>,
    /// The previous sentence's first actor: its likely subject, which a sentence-initial pronoun continues.
    last_subject: Option<Ref>,
    /// The last date stated in the paragraph, and the sentence that stated it.
    carry: Option<(String, Precision, usize)>,
}

impl Coder {
    pub fn new(settings: &Settings) -> Result<Coder, Error> {
        let mut files: Vec<(&str, &str)> = crate::lexicon::BUILTIN_FILES.to_vec();
        let mut cameo_text: (&str, &str) = ("data/cameo.tsv", crate::cameo::BUILTIN);
        for (path, text) in &settings.dictionaries {
            let name = path.rsplit('/').next().unwrap_or(path);
            if name == "cameo.tsv" {
                cameo_text = (path, text);
                continue;
            }
            match files
                .iter()
                .position(|(p, _)| p.rsplit('/').next() == Some(name))
            {
                Some(k) => files[k] = (path, text),
                None => files.push((path, text)),
            }
        }
        let lexicon = Lexicon::from_files(&files)?;
        let events_path = files
            .iter()
            .find(|(p, _)| p.ends_with("events.tsv"))
            .map_or("events.tsv", |(p, _)| p);
        let cameo = CameoTable::parse(cameo_text.0, cameo_text.1)?;
        for p in &lexicon.patterns {
            if !cameo.contains(p.code) {
                return Err(Error::UnknownCode {
                    path: events_path.to_string(),
                    line: p.line,
                    code: p.code.to_string(),
                });
            }
        }
        Ok(Coder {
            lexicon,
            cameo,
            quad: settings.quad,
        })
    }

    /// A coder with the built-in dictionaries and default settings.
    pub fn builtin() -> Result<Coder, Error> {
        Coder::new(&Settings::default())
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Codes one document.
    pub fn code(&self, doc: &Document) -> Vec<Event> {
        let mut out = Vec::new();
        self.code_into(doc, &mut Scratch::default(), &mut out);
        out
    }

    /// Codes one document, appending its events to `out`.
    pub fn code_into(
        &self,
        doc: &Document,
        scratch: &mut Scratch,
        out: &mut Vec<Event>,
    ) -> DocStats {
        let first = out.len();
        let sentences = segment::sentences(&doc.text);
        let mut ctx = Context {
            paragraph: usize::MAX,
            ..Context::default()
        };
        let mut hits: Vec<Hit<'_>> = Vec::new();
        for (index, sentence) in sentences.iter().enumerate() {
            if sentence.paragraph != ctx.paragraph {
                ctx = Context {
                    paragraph: sentence.paragraph,
                    doc_countries: std::mem::take(&mut ctx.doc_countries),
                    ..Context::default()
                };
            }
            let text = sentence.span.text(&doc.text);
            segment::tokenize(text, sentence.span.start, &mut scratch.tokens);
            // Headings are coded too: a headline ("Russia invades Ukraine") reports an event.
            if scratch.tokens.is_empty() {
                continue;
            }
            scratch.starts.clear();
            scratch.ends.clear();
            for t in &scratch.tokens {
                scratch.starts.push(t.span.start - sentence.span.start);
                scratch.ends.push(t.span.end - sentence.span.start);
            }
            self.lexicon
                .scan(text, &scratch.starts, &scratch.ends, &mut hits);
            dates::find(&doc.text, &scratch.tokens, doc.date, &mut scratch.dates);
            let s = SentenceView {
                coder: self,
                doc,
                index,
                span: sentence.span,
                tokens: &scratch.tokens,
                hits: &hits,
                dates: &scratch.dates,
            };
            s.code(&mut ctx, out, scratch.unknown.as_mut());
        }
        for (k, e) in out[first..].iter_mut().enumerate() {
            e.event_id = format!("{}#{}", doc.id, k + 1);
        }
        DocStats {
            sentences: sentences.len(),
            events: out.len() - first,
        }
    }
}

struct SentenceView<'a> {
    coder: &'a Coder,
    doc: &'a Document,
    index: usize,
    span: Span,
    tokens: &'a [Token],
    hits: &'a [Hit<'a>],
    dates: &'a [DateExpr],
}

impl<'a> SentenceView<'a> {
    fn word(&self, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .map_or("", |t| t.span.text(&self.doc.text))
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.word(i).eq_ignore_ascii_case(w)
    }

    fn capitalised(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word)
            && self.word(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Strong clause boundaries: the search for a subject or object stops here.
    fn boundary(&self, i: usize) -> bool {
        let w = self.word(i);
        // Quotation marks are not boundaries: they wrap single words as often as speech.
        matches!(w, ";" | ":" | "—" | "–" | "(" | ")" | "?" | "!")
            || SUBORDINATORS.iter().any(|s| w.eq_ignore_ascii_case(s))
    }

    /// Boundaries for the scope of negation and hedges: clause boundaries plus "and", "that" and commas.
    fn scope_boundary(&self, i: usize) -> bool {
        self.boundary(i) || matches!(self.word(i), "," | "and" | "that" | "or")
    }

    /// A reporting cue ("according to", "said"): what follows is the source of the claim, not an object.
    fn is_reporting(&self, i: usize) -> bool {
        self.hits_at(i)
            .any(|h| matches!(h.item, Item::Cue(CueKind::Source | CueKind::Speech)))
    }

    fn hits_at(&self, i: usize) -> impl Iterator<Item = &'a Hit<'a>> + 'a {
        let start = self.hits.partition_point(|h| h.start < i);
        self.hits[start..].iter().take_while(move |h| h.start == i)
    }

    fn code(&self, ctx: &mut Context, out: &mut Vec<Event>, unknown: Option<&mut Vec<Unknown>>) {
        let mut blocked = vec![false; self.tokens.len()];
        for d in self.dates {
            for b in &mut blocked[d.start..d.end.min(self.tokens.len())] {
                *b = true;
            }
        }
        let mentions = self.mentions(ctx, &mut blocked);
        let mut triggers = self.triggers(&mentions, &blocked);
        // Cue words inside actor names ("United States") or event triggers ("recalled its ambassador")
        // are not cues.
        let mut cue_free = vec![true; self.tokens.len()];
        for m in &mentions {
            cue_free[m.start..m.end].iter_mut().for_each(|c| *c = false);
        }
        for t in &triggers {
            cue_free[t.start..t.end].iter_mut().for_each(|c| *c = false);
        }
        let cues: Vec<&Hit<'_>> = self
            .hits
            .iter()
            .filter(|h| {
                matches!(h.item, Item::Cue(_)) && cue_free[h.start..h.end].iter().all(|c| *c)
            })
            .collect();
        let attribution = self.attribution(&mentions, &cues);
        if let Some(u) = unknown {
            self.unknowns(&mentions, &triggers, &blocked, u);
        }
        let mut seen: Vec<(String, String, String)> = Vec::new();
        for k in 0..triggers.len() {
            if triggers[k].suppressed {
                continue;
            }
            for (source, target) in self.arguments(k, &mut triggers, &mentions, ctx) {
                let t = &triggers[k];
                let pattern = &self.coder.lexicon.patterns[t.pattern as usize];
                let date = self.event_date(t, ctx);
                let (source, target) = (self.actor(&source, &date), self.actor(&target, &date));
                // An actor acting on itself is no event; a domestic event ("the Serbian president promised
                // to democratize Serbia": SRBGOV -> SRB) is.
                if source.code == target.code {
                    continue;
                }
                let key = (
                    source.code.0.clone(),
                    target.code.0.clone(),
                    pattern.code.to_string(),
                );
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let (negated, hedged) = self.modality(t, &cues);
                let info = self.coder.cameo.get(pattern.code);
                let trig_span = Span::new(
                    self.tokens[t.start].span.start,
                    self.tokens[t.end - 1].span.end,
                );
                out.push(Event {
                    doc_id: self.doc.id.clone(),
                    event_id: String::new(),
                    sentence_index: self.index,
                    sentence: self.span.text(&self.doc.text).to_string(),
                    span: self.span,
                    source: Some(source),
                    target: Some(target),
                    cameo: pattern.code,
                    root: pattern.code.root_str(),
                    quad_class: self.coder.quad.quad(pattern.code.root()),
                    goldstein: info.map_or(0.0, |i| i.goldstein),
                    date,
                    negated,
                    hedged: hedged || self.future_dated(t),
                    attribution: attribution.clone(),
                    trigger: SpanText {
                        text: trig_span.text(&self.doc.text).to_string(),
                        span: trig_span,
                    },
                });
            }
        }
        // Remember this sentence's actors and date for the next sentence of the paragraph.
        ctx.last_subject = mentions
            .iter()
            .find(|m| !m.refs.is_empty())
            .and_then(|m| m.refs.first().cloned());
        for m in &mentions {
            if !m.pronoun {
                ctx.recent.extend(m.refs.iter().cloned());
            }
            if m.inferred {
                continue;
            }
            for r in m
                .refs
                .iter()
                .filter(|r| r.country.len() == 3 && r.role.as_deref() != Some("IGO"))
            {
                match ctx.doc_countries.iter_mut().find(|(c, _)| *c == r.country) {
                    Some((_, n)) => *n += 1,
                    None => ctx.doc_countries.push((r.country.clone(), 1)),
                }
            }
        }
        if ctx.recent.len() > 32 {
            let cut = ctx.recent.len() - 32;
            ctx.recent.drain(..cut);
        }
        if self.dates.iter().any(|d| d.present) || self.opens_new_episode() {
            ctx.carry = None;
        }
        if let Some(d) = self
            .dates
            .iter()
            .rev()
            .find(|d| !d.value.is_empty() && !d.present)
        {
            ctx.carry = Some((d.value.clone(), d.precision, self.index));
        }
    }

    fn unknowns(
        &self,
        mentions: &[Mention],
        triggers: &[Trigger],
        blocked: &[bool],
        out: &mut Vec<Unknown>,
    ) {
        const NOT_NAMES: &[&str] = &[
            "A", "An", "And", "As", "At", "But", "For", "He", "Her", "His", "I", "If", "In", "It",
            "Its", "On", "She", "So", "That", "The", "Their", "There", "These", "They", "This",
            "Those", "We", "What", "When", "While", "With", "Mr", "Mrs", "Ms", "Dr",
        ];
        let known = |k: usize| {
            blocked[k]
                || self.hits_at(k).next().is_some()
                || triggers.iter().any(|t| (t.start..t.end).contains(&k))
        };
        let mut k = 0;
        while k < self.tokens.len() {
            if !self.capitalised(k) || known(k) || NOT_NAMES.contains(&self.word(k)) {
                k += 1;
                continue;
            }
            let start = k;
            while k < self.tokens.len() && self.capitalised(k) && !known(k) {
                k += 1;
            }
            // A lone capitalised word opening the sentence is just a sentence start.
            if !(start == 0 && k == 1) {
                let span = Span::new(self.tokens[start].span.start, self.tokens[k - 1].span.end);
                out.push(Unknown {
                    kind: UnknownKind::Actor,
                    phrase: span.text(&self.doc.text).to_string(),
                });
            }
        }
        let resolved: Vec<&Mention> = mentions.iter().filter(|m| !m.refs.is_empty()).collect();
        if triggers.is_empty() && resolved.len() >= 2 {
            let (a, b) = (resolved[0], resolved[1]);
            let between = b.start.saturating_sub(a.end);
            if (1..=5).contains(&between) && a.refs[0].country != b.refs[0].country {
                let words: Vec<String> = (a.end..b.start)
                    .map(|k| self.word(k).to_ascii_lowercase())
                    .collect();
                const GLUE: &[&str] = &[
                    "and", "or", "nor", "the", "a", "an", "in", "of", "to", "for", "with", "on",
                    "at", "is", "was", "are", "were", "said", "says", "from", "by", "as", "but",
                    "than",
                ];
                let content = words.iter().any(|w| {
                    w.len() >= 3
                        && w.chars().all(char::is_alphabetic)
                        && !GLUE.contains(&w.as_str())
                });
                if content && !words.iter().any(|w| w == "," || w == ";") {
                    out.push(Unknown {
                        kind: UnknownKind::Event,
                        phrase: words.join(" "),
                    });
                }
            }
        }
    }

    fn opens_new_episode(&self) -> bool {
        matches!(
            self.word(0).to_ascii_lowercase().as_str(),
            "then"
                | "now"
                | "today"
                | "later"
                | "afterwards"
                | "subsequently"
                | "currently"
                | "meanwhile"
        )
    }

    // ----- actors -----

    fn mentions(&self, ctx: &Context, blocked: &mut [bool]) -> Vec<Mention> {
        let n = self.tokens.len();
        let mut out: Vec<Mention> = Vec::new();
        let mut i = 0;
        while i < n {
            if blocked[i] {
                i += 1;
                continue;
            }
            let mut best: Option<(&Hit<'_>, Ref)> = None;
            let mut title: Option<&Hit<'_>> = None;
            for h in self.hits_at(i) {
                if let Some(r) = self.ref_of(h.item) {
                    if best.as_ref().is_none_or(|(b, _)| h.end > b.end) {
                        best = Some((h, r));
                    }
                    continue;
                }
                match h.item {
                    Item::Role { title: true, .. } if title.is_none_or(|t| h.end > t.end) => {
                        title = Some(h)
                    }
                    _ => {}
                }
            }
            // A title followed by a named person: "President Putin", "Mr. Arafat".
            if let (Some(t), None) = (title, &best) {
                let mut j = t.end;
                if self.word(j) == "." {
                    j += 1;
                }
                if let Some((h, r)) = self.person_at(j) {
                    if r.person.is_some() {
                        out.push(Mention::named(i, h.end, vec![r]));
                        i = h.end;
                        continue;
                    }
                }
                // A title before a name dyad does not know ("President Yoweri Museveni"): an official of
                // the country the document is about.
                let role = match t.item {
                    Item::Role { role: Some(r), .. } => Some(r.clone()),
                    _ => None,
                };
                let mut end = j;
                while end < self.tokens.len()
                    && self.capitalised(end)
                    && !self
                        .hits_at(end)
                        .any(|h| matches!(h.item, Item::Actor(_) | Item::Person(_)))
                {
                    end += 1;
                }
                if let (Some(role), true) = (role, end > j) {
                    let refs: Vec<Ref> = self
                        .doc_country(ctx, &out)
                        .map(|country| Ref {
                            country,
                            role: Some(role),
                            name: None,
                            person: None,
                            plural: false,
                            span: Span::default(),
                        })
                        .into_iter()
                        .collect();
                    out.push(Mention {
                        inferred: true,
                        ..Mention::named(i, end, refs)
                    });
                    i = end;
                    continue;
                }
            }
            if let Some((h, mut r)) = best {
                let mut end = h.end;
                let kind = match h.item {
                    Item::Actor(a) => Some(self.coder.lexicon.actors[*a as usize].kind),
                    _ => None,
                };
                // Country + role noun or title: "Russian companies", "Iran's leadership", "Russian
                // President Vladimir Putin", "the Russian oil industry" (one word may come between).
                if matches!(
                    kind,
                    Some(ActorKind::Adj | ActorKind::Name | ActorKind::Igo)
                ) && r.person.is_none()
                {
                    let mut j = end;
                    if self.word(j) == "'s" || self.word(j) == "’s" {
                        j += 1;
                    }
                    let role_at = |k: usize| {
                        self.hits_at(k)
                            .filter_map(|h| match h.item {
                                Item::Role { role, .. } => Some((h.end, role.clone())),
                                _ => None,
                            })
                            .max_by_key(|(e, _)| *e)
                    };
                    // One modifier may come between an adjective and its noun ("Russian oil companies"),
                    // but not a verb ("the United States shared intelligence").
                    let modifier = |k: usize| {
                        kind == Some(ActorKind::Adj)
                            && self
                                .tokens
                                .get(k)
                                .is_some_and(|t| t.kind == TokenKind::Word)
                            && !self.capitalised(k)
                            && !self.word(k).ends_with("ed")
                            && !self
                                .hits_at(k)
                                .any(|h| matches!(h.item, Item::Trigger { .. } | Item::Cue(_)))
                    };
                    let found = role_at(j).map(|x| (j, x)).or_else(|| {
                        modifier(j)
                            .then(|| role_at(j + 1).map(|x| (j + 1, x)))
                            .flatten()
                    });
                    if let Some((_, (role_end, role))) = found {
                        if role.is_some() {
                            r.role = role;
                        }
                        r.plural = self.word(role_end - 1).ends_with('s');
                        end = role_end;
                        // And a person's name after the title: take the person's own entry.
                        if let Some((ph, pr)) = self.person_at(end) {
                            if pr.person.is_some() {
                                r = pr;
                                end = ph.end;
                            }
                        }
                    }
                }
                out.push(Mention::named(i, end, vec![r]));
                i = end;
                continue;
            }
            // A name dyad does not know, explained by an apposition: "Zalmay Khalilzad, a US peace envoy",
            // "Kozhanov, a Russian expert".
            if let Some((end, r)) = self.apposition(i) {
                out.push(Mention::named(i, end, vec![r]));
                i = end;
                continue;
            }
            // A collective role noun with no country of its own: "security forces in Somalia", "the
            // authorities" (of the country the document is about).
            if let Some((end, r)) = self.bare_role(i, ctx, &out) {
                out.push(Mention {
                    inferred: true,
                    ..Mention::named(i, end, r.into_iter().collect())
                });
                i = end;
                continue;
            }
            // Pronouns and definite references.
            if let Some((len, refs)) = self.pronoun(i, ctx, &out) {
                out.push(Mention {
                    pronoun: true,
                    ..Mention::named(i, i + len, refs)
                });
                i += len;
                continue;
            }
            i += 1;
        }
        // Compounds: "Russia and Iran", "Raisi and Khamenei".
        for k in 0..out.len().saturating_sub(1) {
            let gap = out[k + 1].start - out[k].end;
            let joined = !out[k].pronoun
                && !out[k + 1].pronoun
                && self.is(out[k].end, "and")
                && (gap == 1 || gap == 2 && self.is(out[k].end + 1, "the"));
            if joined {
                out[k].and_next = Some(k + 1);
            }
        }
        // Lists: "Burkina Faso, Mali and Niger" (and the serial comma: "A, B, and C").
        for k in (0..out.len().saturating_sub(1)).rev() {
            if out[k].and_next.is_some() || self.word(out[k].end) != "," {
                continue;
            }
            if out[k].pronoun || out[k + 1].pronoun {
                continue;
            }
            let gap = out[k + 1].start - out[k].end;
            // ", and" joins clauses as often as list items: only as the end of a list of three or more.
            let in_list =
                k > 0 && out[k].start == out[k - 1].end + 1 && self.word(out[k - 1].end) == ",";
            let listed = (gap == 1 && out[k + 1].and_next.is_some())
                || (gap == 2 && self.is(out[k].end + 1, "and") && in_list);
            if listed {
                out[k].and_next = Some(k + 1);
            }
        }
        for m in &mut out {
            for b in &mut blocked[m.start..m.end] {
                *b = true;
            }
            let span = Span::new(
                self.tokens[m.start].span.start,
                self.tokens[m.end - 1].span.end,
            );
            for r in &mut m.refs {
                r.span = span;
            }
        }
        out
    }

    /// A collective role noun at `i` with no country before it, and the country it belongs to: the one
    /// named right after it ("forces in Somalia", "the government of Iraq"), else the country the document
    /// has named most so far (none: the mention stays unresolved and blocks rather than guesses).
    fn bare_role(
        &self,
        i: usize,
        ctx: &Context,
        before: &[Mention],
    ) -> Option<(usize, Option<Ref>)> {
        let (end, role) = self
            .hits_at(i)
            .filter_map(|h| match h.item {
                Item::Role {
                    role: Some(r),
                    title: false,
                } => Some((h.end, r.clone())),
                _ => None,
            })
            .max_by_key(|(e, _)| *e)?;
        let words = (i..end)
            .map(|k| self.word(k).to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        if !BARE_ROLES.contains(&words.as_str()) {
            return None;
        }
        let make = |country: String, end: usize| {
            Some((
                end,
                Some(Ref {
                    country,
                    role: Some(role.clone()),
                    name: None,
                    person: None,
                    plural: words.ends_with('s'),
                    span: Span::default(),
                }),
            ))
        };
        if matches!(self.word(end), "in" | "of") {
            let named = self.hits_at(end + 1).find_map(|h| match h.item {
                Item::Actor(a) => {
                    let e = &self.coder.lexicon.actors[*a as usize];
                    (e.kind == ActorKind::Name).then(|| (h.end, e.country.clone()))
                }
                _ => None,
            });
            if let Some((e, country)) = named {
                return make(country, e);
            }
        }
        match self.doc_country(ctx, before) {
            Some(country) => make(country, end),
            None => Some((end, None)),
        }
    }

    /// The country the document has named most so far (this sentence included); on a tie, the first named.
    fn doc_country(&self, ctx: &Context, before: &[Mention]) -> Option<String> {
        let mut tally = ctx.doc_countries.clone();
        for r in before
            .iter()
            .filter(|m| !m.inferred)
            .flat_map(|m| m.refs.iter())
        {
            match tally.iter_mut().find(|(c, _)| *c == r.country) {
                Some((_, n)) => *n += 1,
                None => tally.push((r.country.clone(), 1)),
            }
        }
        let best = tally.iter().fold(None::<&(String, usize)>, |b, x| match b {
            Some(b) if b.1 >= x.1 => Some(b),
            _ => Some(x),
        });
        best.filter(|(c, _)| c.len() == 3 && c != "---")
            .map(|(c, _)| c.clone())
    }

    /// Whether the actor words at `i` are an adjective ("Russian").
    fn is_adjective(&self, i: usize) -> bool {
        self.hits_at(i).any(|h| {
            matches!(h.item, Item::Actor(a) if self.coder.lexicon.actors[*a as usize].kind == ActorKind::Adj)
        })
    }

    /// An unknown capitalised name at `i` followed by ", a/an/the <country adjective or name> [words]
    /// <role noun>": the name stands for that country and role. Returns the end of the name.
    fn apposition(&self, i: usize) -> Option<(usize, Ref)> {
        let free = |k: usize| self.capitalised(k) && self.hits_at(k).next().is_none();
        if !free(i) || (i > 0 && self.capitalised(i - 1)) {
            return None;
        }
        let mut end = i;
        while end < self.tokens.len() && free(end) {
            end += 1;
        }
        // One capitalised word opening a sentence is as often a common word as a name.
        if end - i < 2 && i == 0 || self.word(end) != "," {
            return None;
        }
        let mut k = end + 1;
        if matches!(self.word(k), "a" | "an" | "the") {
            k += 1;
        }
        let (country_end, country) = self.hits_at(k).find_map(|h| match h.item {
            Item::Actor(a) => {
                let e = &self.coder.lexicon.actors[*a as usize];
                matches!(e.kind, ActorKind::Adj | ActorKind::Name)
                    .then(|| (h.end, e.country.clone()))
            }
            _ => None,
        })?;
        // The role noun may follow a word or two ("a US peace envoy", "the Russian deputy foreign minister").
        let role = (country_end..(country_end + 3).min(self.tokens.len())).find_map(|j| {
            self.hits_at(j).find_map(|h| match h.item {
                Item::Role { role: Some(r), .. } => Some(r.clone()),
                _ => None,
            })
        });
        Some((
            end,
            Ref {
                country,
                role,
                name: Some(
                    Span::new(self.tokens[i].span.start, self.tokens[end - 1].span.end)
                        .text(&self.doc.text)
                        .to_string(),
                ),
                person: None,
                plural: false,
                span: Span::default(),
            },
        ))
    }

    /// The actor an actor or person entry stands for (a person's first term until the date is known).
    fn ref_of(&self, item: &Item) -> Option<Ref> {
        let lex = &self.coder.lexicon;
        match item {
            Item::Actor(a) => {
                let e = &lex.actors[*a as usize];
                Some(Ref {
                    country: e.country.clone(),
                    role: e.role.clone(),
                    name: e.name.clone(),
                    person: None,
                    plural: e.kind == ActorKind::People,
                    span: Span::default(),
                })
            }
            Item::Person(p) => {
                let t = &lex.persons[*p as usize][0];
                Some(Ref {
                    country: t.country.clone(),
                    role: Some(t.role.clone()),
                    name: Some(t.name.clone()),
                    person: Some(*p),
                    plural: false,
                    span: Span::default(),
                })
            }
            _ => None,
        }
    }

    /// The longest named person starting at token `i`.
    fn person_at(&self, i: usize) -> Option<(&'a Hit<'a>, Ref)> {
        self.hits_at(i)
            .filter(|h| matches!(h.item, Item::Person(_)))
            .max_by_key(|h| h.end)
            .and_then(|h| Some((h, self.ref_of(h.item)?)))
    }

    /// A pronoun or definite reference at `i`, resolved against earlier mentions of this sentence and the
    /// paragraph. Returns its length in tokens and what it refers to (empty when unclear).
    fn pronoun(&self, i: usize, ctx: &Context, before: &[Mention]) -> Option<(usize, Vec<Ref>)> {
        let w = self.word(i).to_ascii_lowercase();
        let earlier = || {
            ctx.recent
                .iter()
                .chain(
                    before
                        .iter()
                        .filter(|m| !m.pronoun)
                        .flat_map(|m| m.refs.iter()),
                )
                .rev()
        };
        match w.as_str() {
            "it" | "its" => {
                let state_like = |r: &Ref| {
                    r.person.is_none()
                        && !r.plural
                        && matches!(r.role.as_deref(), None | Some("GOV" | "IGO"))
                };
                // Opening a sentence, "it" continues the previous sentence's subject.
                if before.is_empty() {
                    if let Some(r) = ctx.last_subject.as_ref().filter(|r| state_like(r)) {
                        return Some((1, vec![r.clone()]));
                    }
                }
                // Otherwise the nearest state or organisation, not a group within it.
                let r = earlier()
                    .find(|r| {
                        r.person.is_none()
                            && !r.plural
                            && matches!(r.role.as_deref(), None | Some("GOV" | "IGO"))
                    })
                    .cloned();
                Some((1, r.into_iter().collect()))
            }
            "he" | "his" | "him" | "she" | "her" => {
                let r = earlier().find(|r| r.person.is_some()).cloned();
                Some((1, r.into_iter().collect()))
            }
            "they" | "them" | "their" | "we" => {
                // "we" inside a sentence usually speaks for the actor just named.
                if w == "we" {
                    let r = before
                        .iter()
                        .rev()
                        .find(|m| !m.pronoun)
                        .and_then(|m| m.refs.first().cloned());
                    return Some((1, r.into_iter().collect()));
                }
                let r = earlier().find(|r| r.plural).cloned();
                Some((1, r.into_iter().collect()))
            }
            "the" | "both" => {
                // "the two countries", "both countries", "the two sides", "both sides".
                let (len, noun) = if w == "the" && self.is(i + 1, "two") {
                    (3, self.word(i + 2))
                } else if w == "both" {
                    (2, self.word(i + 1))
                } else {
                    return None;
                };
                let noun = noun.to_ascii_lowercase();
                if !matches!(
                    noun.as_str(),
                    "countries" | "sides" | "states" | "nations" | "governments"
                ) {
                    return None;
                }
                // "the two sides" are the governments; "the two countries" the states.
                let role =
                    matches!(noun.as_str(), "sides" | "governments").then(|| "GOV".to_string());
                let mut pair: Vec<Ref> = Vec::new();
                for r in earlier() {
                    if pair.iter().all(|p| p.country != r.country) {
                        pair.push(Ref {
                            role: role.clone(),
                            person: None,
                            name: None,
                            plural: false,
                            ..r.clone()
                        });
                        if pair.len() == 2 {
                            break;
                        }
                    }
                }
                if pair.len() < 2 {
                    pair.clear();
                }
                pair.reverse();
                Some((len, pair))
            }
            _ => None,
        }
    }

    // ----- triggers -----

    fn triggers(&self, mentions: &[Mention], blocked: &[bool]) -> Vec<Trigger> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            if blocked[i] {
                i += 1;
                continue;
            }
            let mut best: Option<(Rank, usize, Trigger)> = None;
            for h in self.hits_at(i) {
                let Item::Trigger {
                    pattern,
                    participle,
                } = h.item
                else {
                    continue;
                };
                if blocked[h.start..h.end].iter().any(|b| *b) {
                    continue;
                }
                let p = &self.coder.lexicon.patterns[*pattern as usize];
                // "trade war", "price war": a figurative modifier makes a noun trigger no event.
                if p.noun
                    && i > 0
                    && self
                        .hits_at(i - 1)
                        .any(|h| matches!(h.item, Item::Cue(CueKind::Figurative)))
                {
                    continue;
                }
                // After a determiner a verb form is a noun or adjective: "the free trade zone".
                if !p.noun
                    && i > 0
                    && DETERMINERS
                        .iter()
                        .any(|d| self.word(i - 1).eq_ignore_ascii_case(d))
                {
                    continue;
                }
                let Some((end, slot)) = self.match_rest(&p.rest, h.end, mentions) else {
                    continue;
                };
                // More literal words win; then fewer words skipped by gaps; then the longer match.
                let skipped = end
                    - h.start
                    - (h.end - h.start)
                    - p.rest.iter().filter(|e| matches!(e, Elem::Word(_))).count();
                let rank = (p.weight, std::cmp::Reverse(skipped), end);
                let better = best.as_ref().is_none_or(|(r, _, _)| rank > *r);
                if better {
                    best = Some((
                        rank,
                        end,
                        Trigger {
                            pattern: *pattern,
                            start: i,
                            end,
                            participle: *participle,
                            slot_source: slot,
                            suppressed: false,
                        },
                    ));
                }
            }
            match best {
                Some((_, end, t)) => {
                    out.push(t);
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Matches the pattern elements after the head, from token `i`. Returns the end and the $S mention.
    fn match_rest(
        &self,
        rest: &[Elem],
        i: usize,
        mentions: &[Mention],
    ) -> Option<(usize, Option<usize>)> {
        let Some((first, more)) = rest.split_first() else {
            return Some((i, None));
        };
        match first {
            Elem::Word(w) => {
                let t = self.word(i);
                let ok = t.eq_ignore_ascii_case(w)
                    || t.len() == w.len() + 1
                        && t.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w))
                        && t.ends_with('s');
                if ok {
                    self.match_rest(more, i + 1, mentions)
                } else {
                    None
                }
            }
            Elem::Gap => {
                for skip in 0..=3 {
                    if skip > 0 {
                        let k = i + skip - 1;
                        let starts_trigger = self
                            .hits_at(k)
                            .any(|h| matches!(h.item, Item::Trigger { .. }));
                        if k >= self.tokens.len()
                            || self.boundary(k)
                            || matches!(self.word(k), "," | ".")
                            || starts_trigger
                        {
                            break;
                        }
                    }
                    if let Some(r) = self.match_rest(more, i + skip, mentions) {
                        return Some(r);
                    }
                }
                None
            }
            Elem::Source => {
                let k = if self.is(i, "the") { i + 1 } else { i };
                let m = mentions
                    .iter()
                    .position(|m| m.start == k && !m.refs.is_empty())?;
                let mut j = mentions[m].end;
                if matches!(self.word(j), "'s" | "’s") {
                    j += 1;
                }
                let (end, _) = self.match_rest(more, j, mentions)?;
                Some((end, Some(m)))
            }
        }
    }

    // ----- arguments -----

    /// The subject: the nearest actor to the left in the clause that is not the object of a preposition
    /// ("in Iran, Russia ..."; but "many in Iran" speaks for Iran).
    fn mention_ending_before(&self, mentions: &[Mention], i: usize) -> Option<usize> {
        let mut j = i;
        while j > 0 {
            j -= 1;
            if self.boundary(j) {
                return None;
            }
            if let Some(m) = mentions.iter().position(|m| m.end == j + 1) {
                let start = mentions[m].start;
                let prep = start > 0
                    && PREPOSITIONS
                        .iter()
                        .any(|p| self.word(start - 1).eq_ignore_ascii_case(p));
                // "many in Iran", "thousands of Iranian protesters" speak for the actor.
                let quantified = start > 1
                    && (self.is(start - 1, "in") || self.is(start - 1, "of"))
                    && matches!(
                        self.word(start - 2).to_ascii_lowercase().as_str(),
                        "many"
                            | "some"
                            | "most"
                            | "few"
                            | "those"
                            | "people"
                            | "officials"
                            | "others"
                            | "thousands"
                            | "hundreds"
                            | "dozens"
                            | "millions"
                            | "tens"
                            | "group"
                            | "groups"
                            | "crowds"
                    );
                if prep && !quantified {
                    j = start;
                    continue;
                }
                return Some(m);
            }
        }
        None
    }

    fn mention_starting_after(
        &self,
        mentions: &[Mention],
        triggers: &[Trigger],
        k: usize,
        from: usize,
    ) -> Result<Option<usize>, usize> {
        let mut j = from;
        while j < self.tokens.len() {
            if self.boundary(j) || self.word(j) == "." || self.is_reporting(j) {
                return Ok(None);
            }
            if let Some(m) = mentions.iter().position(|m| m.start == j) {
                return Ok(Some(m));
            }
            if let Some(u) = triggers.iter().position(|t| t.start == j) {
                if u != k {
                    return Err(u);
                }
            }
            j += 1;
        }
        Ok(None)
    }

    /// Source and target of trigger `k`, or None when the rules cannot find both.
    fn arguments(
        &self,
        k: usize,
        triggers: &mut [Trigger],
        mentions: &[Mention],
        ctx: &Context,
    ) -> Vec<(Ref, Ref)> {
        let t = triggers[k].clone();
        let p = &self.coder.lexicon.patterns[t.pattern as usize];
        let first = |m: usize| mentions[m].refs.first().cloned();
        // Passive: a participle after a form of "be", or set off by a comma with its agent ("soldiers,
        // supported by local militias, ...").
        let passive = !p.noun
            && t.participle
            && (self.after_be(t.start)
                || (t.start > 0 && self.word(t.start - 1) == "," && self.is(t.end, "by")));
        // Object: the first actor to the right, passing over (and taking over) later triggers.
        let mut target_m: Option<usize> = None;
        let mut from = t.end;
        loop {
            match self.mention_starting_after(mentions, triggers, k, from) {
                Ok(m) => {
                    target_m = m;
                    break;
                }
                Err(u) => {
                    let u_noun = self.coder.lexicon.patterns[triggers[u].pattern as usize].noun;
                    if p.yields {
                        return Vec::new();
                    }
                    if p.noun && !u_noun {
                        break;
                    }
                    triggers[u].suppressed = true;
                    from = triggers[u].end;
                }
            }
        }
        // An object the pattern's gap passed over: "expelled two Russian diplomats", "rejected Pakistan's
        // allegation". A possessive or adjective there owns the object, so it beats a later actor.
        let in_gap = mentions.iter().position(|m| {
            m.start > t.start
                && m.end <= t.end
                && Some(m.start) != t.slot_source.map(|s| mentions[s].start)
        });
        if let Some(g) = in_gap {
            let owner = matches!(self.word(mentions[g].end), "'s" | "’s")
                || self.is_adjective(mentions[g].start);
            if target_m.is_none() || owner {
                target_m = Some(g);
            }
        }
        // Passive: the agent after "by" is the source, the subject the target.
        let mut source_m: Option<usize> = t.slot_source;
        if passive {
            let subject = self.mention_ending_before(mentions, t.start);
            let agent =
                target_m.filter(|&m| mentions[m].start > 0 && self.is(mentions[m].start - 1, "by"));
            source_m = agent;
            target_m = subject;
        } else if source_m.is_none() {
            source_m = self.mention_ending_before(mentions, t.start);
        }
        let mut source: Vec<Ref> = source_m
            .map(|m| mentions[m].refs.clone())
            .unwrap_or_default();
        let mut target: Option<Ref> = target_m.and_then(first);
        // "between Russia and Ukraine" names both sides of a symmetric event.
        if p.sym {
            if let Some(m) = target_m {
                if mentions[m].start > 0 && self.is(mentions[m].start - 1, "between") {
                    if let Some(n) = mentions[m].and_next {
                        source = mentions[m].refs.clone();
                        target = first(n);
                        source_m = None;
                    }
                }
            }
        }
        // A compound subject of a symmetric event is its dyad: "Russia and Iran began to discuss",
        // "Israel and the UAE signed the accords in Washington"; three or more make every pair.
        if p.sym && !passive {
            if let Some(m) = source_m {
                let members = self.chain(mentions, m);
                if members.len() >= 2 {
                    let refs: Vec<Ref> = members.iter().filter_map(|&x| first(x)).collect();
                    let mut pairs = Vec::new();
                    for (i, a) in refs.iter().enumerate() {
                        for b in &refs[i + 1..] {
                            pairs.push((a.clone(), b.clone()));
                        }
                    }
                    return pairs;
                } else if source.len() == 2 && target.is_none() {
                    target = source.pop();
                }
            }
        }
        // Symmetric events take a missing side from elsewhere in their stretch of the sentence (up to the
        // neighbouring events), or from "bilateral". A bare noun ("cooperation") takes its sides only from
        // the words right before it: "Russian-Iranian cooperation".
        if p.sym && (source.is_empty() || target.is_none()) {
            let bare =
                p.noun && p.rest.is_empty() && !self.coder.lexicon.ends_with_preposition(t.pattern);
            let have: Vec<String> = source
                .iter()
                .map(|r| r.country.clone())
                .chain(target.iter().map(|r| r.country.clone()))
                .collect();
            let mut others: Vec<Ref> = Vec::new();
            let add = |r: &Ref, others: &mut Vec<Ref>| {
                if !have.contains(&r.country) && others.iter().all(|o| o.country != r.country) {
                    others.push(r.clone());
                }
            };
            if bare {
                // Modifiers: mentions ending right before the trigger, joined by "-", "/" or "and".
                let mut end = t.start;
                while let Some(m) = mentions.iter().rposition(|m| m.end == end && !m.pronoun) {
                    for r in &mentions[m].refs {
                        add(r, &mut others);
                    }
                    let s0 = mentions[m].start;
                    if s0 > 0 && matches!(self.word(s0 - 1), "-" | "/" | "and" | "–") {
                        end = s0 - 1;
                    } else {
                        break;
                    }
                }
            } else {
                let lo = triggers[..k]
                    .iter()
                    .rev()
                    .find(|u| !u.suppressed)
                    .map_or(0, |u| u.end);
                let hi = triggers[k + 1..]
                    .iter()
                    .find(|u| !u.suppressed)
                    .map_or(self.tokens.len(), |u| u.start);
                // Places ("met with X in Qatar") are where an event happened, not its missing side; only
                // when both sides are missing ("agreements were signed on repairing Russian aircraft in
                // Iran") do they name the parties.
                let locative = |m: &Mention| {
                    !have.is_empty()
                        && m.start > 0
                        && ["in", "at", "near", "from", "across"]
                            .iter()
                            .any(|w| self.is(m.start - 1, w))
                };
                for m in mentions
                    .iter()
                    .filter(|m| m.start >= lo && m.end <= hi && !locative(m))
                {
                    for r in &m.refs {
                        add(r, &mut others);
                    }
                }
            }
            if others.len() + have.len() < 2 && t.start > 0 && self.is(t.start - 1, "bilateral") {
                for r in ctx.recent.iter().rev() {
                    add(r, &mut others);
                }
            }
            let mut others = others.into_iter();
            if source.is_empty() {
                source.extend(others.next());
            }
            if target.is_none() {
                target = others.next();
            }
        }
        // A definite object ("joined the sanctions") refers back to the paragraph's last other actor.
        if target.is_none()
            && !p.sym
            && (t.start..t.end).any(|i| matches!(self.word(i), "the" | "these" | "those"))
        {
            let src_country = source.first().map(|r| r.country.clone());
            target = ctx
                .recent
                .iter()
                .rev()
                .find(|r| Some(&r.country) != src_country.as_ref())
                .cloned();
        }
        // Compounds on either side ("Burkina Faso, Mali and Niger withdrew from ECOWAS") make one event
        // per member.
        let sources: Vec<Ref> = match source_m {
            Some(m) if source.first() == first(m).as_ref() => self
                .chain(mentions, m)
                .into_iter()
                .filter_map(first)
                .collect(),
            _ => source.into_iter().take(1).collect(),
        };
        let targets: Vec<Ref> = match target_m {
            Some(m) if target.is_some() && target == first(m) => self
                .chain(mentions, m)
                .into_iter()
                .filter_map(first)
                .collect(),
            _ => target.into_iter().collect(),
        };
        let mut pairs = Vec::new();
        for s in &sources {
            for t in &targets {
                pairs.push((s.clone(), t.clone()));
            }
        }
        pairs
    }

    /// The members of the compound ("A, B and C") that mention `m` belongs to, in order.
    fn chain(&self, mentions: &[Mention], m: usize) -> Vec<usize> {
        let mut head = m;
        while let Some(prev) = mentions.iter().position(|x| x.and_next == Some(head)) {
            head = prev;
        }
        let mut out = vec![head];
        let mut cur = head;
        while let Some(next) = mentions[cur].and_next {
            if out.contains(&next) {
                break;
            }
            out.push(next);
            cur = next;
        }
        out
    }

    fn after_be(&self, i: usize) -> bool {
        let mut j = i;
        for _ in 0..3 {
            if j == 0 {
                return false;
            }
            j -= 1;
            let w = self.word(j);
            if BE_FORMS.iter().any(|b| w.eq_ignore_ascii_case(b)) {
                return true;
            }
            if !(w.ends_with("ly")
                || matches!(w, "not" | "never" | "also" | "already" | "reportedly"))
            {
                return false;
            }
        }
        false
    }

    // ----- modality -----

    fn cue_before(&self, i: usize, window: usize, kinds: &[CueKind], cues: &[&Hit<'_>]) -> bool {
        let mut j = i;
        let mut steps = 0;
        while j > 0 && steps < window {
            j -= 1;
            steps += 1;
            if self.scope_boundary(j) {
                return false;
            }
            let w = self.word(j);
            if kinds.contains(&CueKind::Neg) && (w.ends_with("n't") || w.ends_with("n’t")) {
                return true;
            }
            if cues.iter().any(|h| {
                h.start == j && matches!(h.item, Item::Cue(c) if kinds.contains(c)) && h.end <= i
            }) {
                return true;
            }
        }
        false
    }

    fn modality(&self, t: &Trigger, cues: &[&Hit<'_>]) -> (bool, bool) {
        let negated = self.cue_before(t.start, 6, &[CueKind::Neg], cues);
        let mut hedged = self.cue_before(t.start, 8, &[CueKind::Hedge], cues);
        // A condition or a belief anywhere earlier in the sentence hedges what follows.
        if !hedged {
            hedged = cues.iter().any(|h| {
                h.end <= t.start && matches!(h.item, Item::Cue(CueKind::Cond | CueKind::Belief))
            });
        }
        (negated, hedged)
    }

    fn future_dated(&self, t: &Trigger) -> bool {
        self.nearest_date(t).is_some_and(|d| d.future)
    }

    // ----- attribution -----

    fn attribution(&self, mentions: &[Mention], cues: &[&Hit<'_>]) -> Option<SpanText> {
        for h in cues {
            let Item::Cue(kind) = h.item else { continue };
            let span = match kind {
                CueKind::Source => self.speaker_after(h.end, mentions),
                CueKind::Speech | CueKind::Belief => self
                    .speaker_before(h.start, mentions)
                    .or_else(|| self.speaker_after(h.end, mentions)),
                _ => None,
            };
            if let Some((a, b)) = span {
                let sp = Span::new(self.tokens[a].span.start, self.tokens[b - 1].span.end);
                return Some(SpanText {
                    text: sp.text(&self.doc.text).to_string(),
                    span: sp,
                });
            }
        }
        None
    }

    fn speaker_after(&self, i: usize, mentions: &[Mention]) -> Option<(usize, usize)> {
        let i = if matches!(self.word(i), "a" | "an" | "the") {
            i + 1
        } else {
            i
        };
        if let Some(m) = mentions.iter().find(|m| m.start == i && !m.pronoun) {
            return Some((m.start, m.end));
        }
        let mut j = i;
        while j < self.tokens.len() && self.capitalised(j) {
            j += 1;
        }
        (j > i).then_some((i, j))
    }

    fn speaker_before(&self, i: usize, mentions: &[Mention]) -> Option<(usize, usize)> {
        let mut end = i;
        while end > 0 && self.word(end - 1).ends_with("ly") {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        if let Some(m) = mentions.iter().find(|m| m.end == end && !m.pronoun) {
            return Some((m.start, m.end));
        }
        const SOURCES: &[&str] = &[
            "experts",
            "analysts",
            "officials",
            "sources",
            "observers",
            "diplomats",
            "some",
            "many",
            "most",
            "several",
            "critics",
            "scholars",
        ];
        let mut j = end;
        while j > 0 {
            let w = self.word(j - 1);
            if self.capitalised(j - 1)
                && !matches!(
                    w,
                    "The" | "But" | "And" | "He" | "She" | "It" | "They" | "We" | "I"
                )
                || SOURCES.iter().any(|s| w.eq_ignore_ascii_case(s))
            {
                j -= 1;
            } else {
                break;
            }
        }
        (j < end).then_some((j, end))
    }

    // ----- dates -----

    fn nearest_date(&self, t: &Trigger) -> Option<&'a DateExpr> {
        self.dates
            .iter()
            .filter(|d| !d.value.is_empty())
            .min_by_key(|d| {
                if d.end <= t.start {
                    (t.start - d.end) * 2
                } else if d.start >= t.end {
                    (d.start - t.end) * 2 + 1
                } else {
                    0
                }
            })
    }

    fn event_date(&self, t: &Trigger, ctx: &Context) -> EventDate {
        if let Some(d) = self.nearest_date(t) {
            return EventDate {
                value: Some(d.value.clone()),
                precision: d.precision,
                basis: DateBasis::Text,
            };
        }
        let present = self.dates.iter().any(|d| d.present);
        if !present && !self.opens_new_episode() {
            // The same episode: a date stated at most two sentences back.
            if let Some((v, p, _)) = ctx
                .carry
                .as_ref()
                .filter(|c| self.index - c.2 <= CARRY_SENTENCES)
            {
                return EventDate {
                    value: Some(v.clone()),
                    precision: *p,
                    basis: DateBasis::Text,
                };
            }
        }
        match self.doc.date {
            Some(d) => EventDate {
                value: Some(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
                precision: Precision::Day,
                basis: DateBasis::Publication,
            },
            None => EventDate::unknown(),
        }
    }

    // ----- output -----

    fn actor(&self, r: &Ref, date: &EventDate) -> Actor {
        let (mut country, mut role, mut name) = (r.country.clone(), r.role.clone(), r.name.clone());
        if let Some(p) = r.person {
            let terms = &self.coder.lexicon.persons[p as usize];
            let when: Option<Date> = date.value.as_deref().and_then(date_floor).or(self.doc.date);
            let pick = match when {
                Some(d) => terms
                    .iter()
                    .find(|t| t.from <= d && t.to.is_none_or(|e| d <= e)),
                None => terms.iter().max_by_key(|t| t.from),
            };
            match pick {
                Some(t) => {
                    country = t.country.clone();
                    role = Some(t.role.clone());
                    name = Some(t.name.clone());
                }
                None => {
                    // Out of office: a former official, not the government.
                    role = Some("ELI".to_string());
                }
            }
        }
        Actor {
            text: r.span.text(&self.doc.text).to_string(),
            span: r.span,
            code: ActorCode::new(Some(&country), role.as_deref()),
            // "---": a group with no single country.
            country: (country != "---").then_some(country),
            role,
            name,
        }
    }
}

/// The first day of an ISO date prefix (a year's 1 July, to sit inside terms that start mid-year).
fn date_floor(v: &str) -> Option<Date> {
    match v.len() {
        4 => format!("{v}-07-01").parse().ok(),
        7 => format!("{v}-15").parse().ok(),
        _ => v.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coder_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<Coder>();
    }

    #[test]
    fn unknown_quad_scheme_and_pattern_codes_are_errors() {
        let bad = Settings::from_options(Options {
            quad: Some("phoenix".into()),
            ..Options::default()
        });
        assert!(matches!(bad, Err(Error::QuadScheme(_))));
        let settings = Settings {
            dictionaries: vec![("mine/events.tsv".into(), "0999\tverb\tfoo\t-\n".into())],
            ..Settings::default()
        };
        let err = Coder::new(&settings).unwrap_err().to_string();
        assert!(err.contains("mine/events.tsv:1"), "{err}");
    }

    #[test]
    fn no_fallback_code_for_sentences_without_a_pattern() {
        let coder = Coder::builtin().unwrap();
        let doc = Document::new(
            "x",
            "Russia and Iran are neighbours across the Caspian Sea.",
        );
        assert!(coder.code(&doc).is_empty());
    }
}
