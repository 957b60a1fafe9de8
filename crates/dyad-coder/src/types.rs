//! The data every stage hands to the next: documents, sentences, tokens, mentions and events.
//!
//! Every item carries a [`Span`] of UTF-8 byte offsets into the document's original text. No stage
//! rewrites text, so any output can be traced back to its words.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open range of UTF-8 byte offsets `[start, end)` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The text this span covers. Spans made by dyad always fall on character boundaries.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

// The schema writes spans as `[start, end]`.
impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        let [start, end] = <[usize; 2]>::deserialize(d)?;
        if start > end {
            return Err(serde::de::Error::custom("span start after end"));
        }
        Ok(Span { start, end })
    }
}

/// A document's identifier: the JSONL record's `id`, or the file name of a plain-text file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub String);

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar date without time zone, as found in input records.
pub type Date = jiff::civil::Date;

/// One input document.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: DocId,
    pub text: String,
    /// Publication date: the anchor for relative dates and the last-resort event date.
    pub date: Option<Date>,
    pub title: Option<String>,
    pub url: Option<String>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: DocId(id.into()),
            text: text.into(),
            date: None,
            title: None,
            url: None,
        }
    }

    pub fn with_date(mut self, date: Option<Date>) -> Document {
        self.date = date;
        self
    }
}

/// A sentence: its span in the document and the paragraph it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub paragraph: usize,
    /// True when the sentence is a heading: a short line without final punctuation.
    pub heading: bool,
}

/// What a token looks like; the coder only needs a coarse shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// A token with its byte span in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// A CAMEO event code such as `042` or `1041`. Codes are strings: leading zeros matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CameoCode {
    digits: [u8; 4],
    len: u8,
}

impl CameoCode {
    /// Parses a 2- to 4-digit code whose root is 01..=20.
    pub fn parse(s: &str) -> Option<CameoCode> {
        let b = s.as_bytes();
        if !(2..=4).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let root = (b[0] - b'0') * 10 + (b[1] - b'0');
        if !(1..=20).contains(&root) {
            return None;
        }
        let mut digits = [0u8; 4];
        digits[..b.len()].copy_from_slice(b);
        Some(CameoCode {
            digits,
            len: b.len() as u8,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.digits[..self.len as usize]).unwrap_or("")
    }

    /// The two-digit root, 1..=20.
    pub fn root(&self) -> u8 {
        (self.digits[0] - b'0') * 10 + (self.digits[1] - b'0')
    }

    pub fn root_str(&self) -> String {
        format!("{:02}", self.root())
    }
}

impl fmt::Display for CameoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CAMEO-style actor code: a country or organisation code plus an optional role, e.g. `RUSGOV`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActorCode(pub String);

impl ActorCode {
    pub fn new(country: Option<&str>, role: Option<&str>) -> ActorCode {
        let mut s = String::new();
        s.push_str(country.unwrap_or("---"));
        // An organisation's code is its own: "EUR", not "EURIGO".
        if let Some(r) = role.filter(|r| *r != "IGO") {
            s.push_str(r);
        }
        ActorCode(s)
    }
}

/// One side of an event as written in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub text: String,
    pub span: Span,
    pub country: Option<String>,
    pub role: Option<String>,
    pub code: ActorCode,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
}

/// How exact an event date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
    Year,
    Decade,
    Unknown,
}

impl Precision {
    /// The name used in the event schema: `day`, `month`, `year`, `decade`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Decade => "decade",
            Precision::Unknown => "unknown",
        }
    }
}

/// Where an event date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateBasis {
    /// Stated or implied in the text (including relative dates resolved against publication).
    Text,
    /// The document's publication date, used for want of anything better.
    Publication,
    Unknown,
}

impl DateBasis {
    /// The name used in the event schema: `text`, `publication`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Text => "text",
            DateBasis::Publication => "publication",
            DateBasis::Unknown => "unknown",
        }
    }
}

/// An event's date: an ISO 8601 prefix with its precision and basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDate {
    pub value: Option<String>,
    pub precision: Precision,
    pub basis: DateBasis,
}

impl EventDate {
    pub fn unknown() -> EventDate {
        EventDate {
            value: None,
            precision: Precision::Unknown,
            basis: DateBasis::Unknown,
        }
    }

    /// The year, when known.
    pub fn year(&self) -> Option<i32> {
        self.value.as_deref()?.get(..4)?.parse().ok()
    }
}

/// Words with their span: triggers and attributions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanText {
    pub text: String,
    pub span: Span,
}

/// One coded event, in the shape of `event.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub doc_id: DocId,
    pub event_id: String,
    pub sentence_index: usize,
    pub sentence: String,
    pub span: Span,
    pub source: Option<Actor>,
    pub target: Option<Actor>,
    #[serde(with = "cameo_serde")]
    pub cameo: CameoCode,
    pub root: String,
    pub quad_class: u8,
    pub goldstein: f64,
    pub date: EventDate,
    pub negated: bool,
    pub hedged: bool,
    pub attribution: Option<SpanText>,
    pub trigger: SpanText,
}

impl Event {
    /// Neither negated nor hedged.
    pub fn asserted(&self) -> bool {
        !self.negated && !self.hedged
    }
}

mod cameo_serde {
    use super::CameoCode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &CameoCode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<CameoCode, D::Error> {
        let s = String::deserialize(d)?;
        CameoCode::parse(&s).ok_or_else(|| serde::de::Error::custom("not a CAMEO code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_codes_keep_leading_zeros() {
        let c = CameoCode::parse("042").unwrap();
        assert_eq!(c.as_str(), "042");
        assert_eq!(c.root(), 4);
        assert_eq!(c.root_str(), "04");
        assert_eq!(CameoCode::parse("1041").unwrap().root(), 10);
        assert!(CameoCode::parse("21").is_none());
        assert!(CameoCode::parse("00").is_none());
        assert!(CameoCode::parse("0a2").is_none());
        assert!(CameoCode::parse("12345").is_none());
    }

    #[test]
    fn date_names_match_their_serde_names() {
        for p in [
            Precision::Day,
            Precision::Month,
            Precision::Year,
            Precision::Decade,
            Precision::Unknown,
        ] {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
        for b in [DateBasis::Text, DateBasis::Publication, DateBasis::Unknown] {
            assert_eq!(
                serde_json::to_string(&b).unwrap(),
                format!("\"{}\"", b.as_str())
            );
        }
    }

    #[test]
    fn spans_serialize_as_pairs() {
        let s = serde_json::to_string(&Span::new(3, 9)).unwrap();
        assert_eq!(s, "[3,9]");
        let back: Span = serde_json::from_str(&s).unwrap();
        assert_eq!(back, Span::new(3, 9));
        assert!(serde_json::from_str::<Span>("[9,3]").is_err());
    }
}
