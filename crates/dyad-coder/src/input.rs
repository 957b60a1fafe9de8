//! Reading documents: plain-text files (one document each, id = file name), JSONL (one document per line),
//! directories (walked in name order, taking `.txt`, `.text`, `.jsonl`, `.ndjson` and extension-less files)
//! and standard input.
//!
//! Reading streams: one document is held at a time, so memory does not grow with the input. Bad input
//! never stops the batch: every problem comes out as a [`Problem`] naming the file and line, between the
//! documents that could be read.

use crate::types::{Date, DocId, Document};
use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read as _};
use std::path::{Path, PathBuf};

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `.jsonl`/`.ndjson` files as JSONL, other files as text; standard input by its first byte.
    #[default]
    Auto,
    Text,
    Jsonl,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "auto" => Some(Format::Auto),
            "text" | "txt" => Some(Format::Text),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// A problem with the input. `skipped` tells whether a document (or line) was lost; when false the
/// document was still read (say, decoded lossily).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
    pub skipped: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path, l, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What the reader yields: a document, or a problem report.
#[derive(Debug, Clone)]
pub enum Read {
    Doc(Box<Document>),
    Problem(Problem),
}

enum Source {
    Path(PathBuf),
    Stdin,
}

struct JsonlState {
    name: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
}

/// A streaming reader over files, directories and standard input.
pub struct Reader {
    format: Format,
    /// Publication date for plain-text documents, which carry none of their own.
    text_date: Option<Date>,
    sources: VecDeque<Source>,
    jsonl: Option<JsonlState>,
    queued: VecDeque<Read>,
    buf: Vec<u8>,
}

const BINARY_PROBE: usize = 8192;

impl Reader {
    /// Reads the given paths in order; `-` means standard input, and no paths at all means standard input.
    pub fn new<P: AsRef<Path>>(paths: &[P], format: Format) -> Reader {
        let mut sources: VecDeque<Source> = paths
            .iter()
            .map(|p| {
                let p = p.as_ref();
                if p == Path::new("-") {
                    Source::Stdin
                } else {
                    Source::Path(p.to_path_buf())
                }
            })
            .collect();
        if sources.is_empty() {
            sources.push_back(Source::Stdin);
        }
        Reader {
            format,
            text_date: None,
            sources,
            jsonl: None,
            queued: VecDeque::new(),
            buf: Vec::new(),
        }
    }

    /// Sets the publication date given to plain-text documents.
    pub fn with_text_date(mut self, date: Option<Date>) -> Reader {
        self.text_date = date;
        self
    }

    fn problem(&mut self, path: &str, line: Option<usize>, message: String, skipped: bool) {
        self.queued.push_back(Read::Problem(Problem {
            path: path.to_string(),
            line,
            message,
            skipped,
        }));
    }

    fn open(&mut self, source: Source) {
        match source {
            Source::Stdin => {
                let stdin = io::stdin();
                let mut reader: Box<dyn BufRead + Send> =
                    Box::new(BufReader::with_capacity(1 << 16, stdin));
                let jsonl = match self.format {
                    Format::Jsonl => true,
                    Format::Text => false,
                    Format::Auto => match reader.fill_buf() {
                        Ok(b) => b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{'),
                        Err(_) => false,
                    },
                };
                if jsonl {
                    self.jsonl = Some(JsonlState {
                        name: "<stdin>".into(),
                        reader,
                        line: 0,
                    });
                } else {
                    let mut bytes = Vec::new();
                    match reader.read_to_end(&mut bytes) {
                        Ok(_) => self.text_document("<stdin>", "stdin", bytes),
                        Err(e) => self.problem("<stdin>", None, format!("cannot read: {e}"), true),
                    }
                }
            }
            Source::Path(path) => {
                let name = path.display().to_string();
                let meta = match std::fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => return self.problem(&name, None, format!("cannot open: {e}"), true),
                };
                if meta.is_dir() {
                    let mut files: Vec<PathBuf> = Vec::new();
                    for entry in walkdir::WalkDir::new(&path).sort_by_file_name() {
                        match entry {
                            Ok(e) if e.file_type().is_file() => {
                                // In a directory, only document files: .txt, .text, .jsonl, .ndjson, or no
                                // extension (README.md, LICENSE-like files and data files are passed over).
                                let name = e.file_name().to_string_lossy();
                                let ext = e
                                    .path()
                                    .extension()
                                    .and_then(|x| x.to_str())
                                    .map(str::to_ascii_lowercase);
                                let document = matches!(
                                    ext.as_deref(),
                                    None | Some("txt" | "text" | "jsonl" | "ndjson")
                                );
                                if !name.starts_with('.') && document && name != "LICENSE" {
                                    files.push(e.into_path());
                                }
                            }
                            Ok(_) => {}
                            Err(e) => self.problem(
                                &name,
                                None,
                                format!("cannot walk directory: {e}"),
                                true,
                            ),
                        }
                    }
                    for f in files.into_iter().rev() {
                        self.sources.push_front(Source::Path(f));
                    }
                    return;
                }
                let jsonl = match self.format {
                    Format::Jsonl => true,
                    Format::Text => false,
                    Format::Auto => matches!(
                        path.extension().and_then(|e| e.to_str()),
                        Some("jsonl" | "ndjson")
                    ),
                };
                let file = match File::open(&path) {
                    Ok(f) => f,
                    Err(e) => return self.problem(&name, None, format!("cannot open: {e}"), true),
                };
                if jsonl {
                    self.jsonl = Some(JsonlState {
                        name,
                        reader: Box::new(BufReader::with_capacity(1 << 16, file)),
                        line: 0,
                    });
                } else {
                    let mut bytes = Vec::new();
                    match BufReader::new(file).read_to_end(&mut bytes) {
                        Ok(_) => {
                            let id = path
                                .file_name()
                                .map(|f| f.to_string_lossy().into_owned())
                                .unwrap_or_else(|| name.clone());
                            self.text_document(&name, &id, bytes);
                        }
                        Err(e) => self.problem(&name, None, format!("cannot read: {e}"), true),
                    }
                }
            }
        }
    }

    fn text_document(&mut self, name: &str, id: &str, bytes: Vec<u8>) {
        let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
        if probe.contains(&0) {
            return self.problem(
                name,
                None,
                "binary file (contains NUL bytes), skipped".into(),
                true,
            );
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
                self.problem(
                    name,
                    Some(line),
                    format!("invalid UTF-8 at byte {at}; decoded with replacement characters"),
                    false,
                );
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        if text.trim().is_empty() {
            return self.problem(name, None, "empty file, skipped".into(), true);
        }
        let mut doc = Document::new(id, text);
        doc.date = self.text_date;
        self.queued.push_back(Read::Doc(Box::new(doc)));
    }

    fn next_jsonl_line(&mut self) -> bool {
        let Some(state) = self.jsonl.as_mut() else {
            return false;
        };
        self.buf.clear();
        match state.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => {
                self.jsonl = None;
                return true;
            }
            Ok(_) => {}
            Err(e) => {
                let name = state.name.clone();
                let line = state.line + 1;
                self.jsonl = None;
                self.problem(&name, Some(line), format!("cannot read: {e}"), true);
                return true;
            }
        }
        state.line += 1;
        let (name, line) = (state.name.clone(), state.line);
        let bytes = std::mem::take(&mut self.buf);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            self.buf = bytes;
            return true;
        }
        let parsed = parse_record(&bytes);
        self.buf = bytes;
        match parsed {
            Ok((doc, warnings)) => {
                for w in warnings {
                    self.problem(&name, Some(line), w, false);
                }
                self.queued.push_back(Read::Doc(Box::new(doc)));
            }
            Err(msg) => self.problem(&name, Some(line), msg, true),
        }
        true
    }
}

/// Parses one JSONL record into a document, with warnings for what was repaired or ignored.
pub fn parse_record(bytes: &[u8]) -> Result<(Document, Vec<String>), String> {
    let mut warnings = Vec::new();
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) if e.is_syntax() || e.is_eof() => {
            // Invalid UTF-8 inside an otherwise good line: decode lossily and try again.
            if std::str::from_utf8(bytes).is_err() {
                let lossy = String::from_utf8_lossy(bytes);
                let v = serde_json::from_str(&lossy).map_err(|e| format!("invalid JSON: {e}"))?;
                warnings.push("invalid UTF-8; decoded with replacement characters".to_string());
                v
            } else {
                return Err(format!("invalid JSON: {e}"));
            }
        }
        Err(e) => return Err(format!("invalid JSON: {e}")),
    };
    let serde_json::Value::Object(map) = value else {
        return Err("expected a JSON object with `id` and `text`".into());
    };
    let field = |name: &str| -> Result<String, String> {
        match map.get(name) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(format!(
                "field `{name}` must be a string, found {}",
                kind(other)
            )),
            None => Err(format!("missing field `{name}`")),
        }
    };
    let id = field("id")?;
    let text = field("text")?;
    let mut doc = Document::new(id, text);
    doc.id = DocId(doc.id.0.clone());
    match map.get("date") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(s)) => {
            match s.get(..10).and_then(|d| d.parse::<Date>().ok()) {
                Some(d) => doc.date = Some(d),
                None => warnings.push(format!("field `date` is not YYYY-MM-DD: {s:?}; ignored")),
            }
        }
        Some(other) => warnings.push(format!(
            "field `date` must be a string, found {}; ignored",
            kind(other)
        )),
    }
    for (name, slot) in [("title", &mut doc.title), ("url", &mut doc.url)] {
        match map.get(name) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(s)) => *slot = Some(s.clone()),
            Some(other) => warnings.push(format!(
                "field `{name}` must be a string, found {}; ignored",
                kind(other)
            )),
        }
    }
    Ok((doc, warnings))
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

impl Iterator for Reader {
    type Item = Read;

    fn next(&mut self) -> Option<Read> {
        loop {
            if let Some(r) = self.queued.pop_front() {
                return Some(r);
            }
            if self.jsonl.is_some() {
                self.next_jsonl_line();
                continue;
            }
            let source = self.sources.pop_front()?;
            self.open(source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_their_errors() {
        let ok = parse_record(br#"{"id":"a","text":"Hi.","date":"2020-01-02","extra":1}"#).unwrap();
        assert_eq!(ok.0.id.0, "a");
        assert_eq!(ok.0.date.unwrap().to_string(), "2020-01-02");
        assert!(ok.1.is_empty());
        assert_eq!(
            parse_record(br#"{"text":"x"}"#).unwrap_err(),
            "missing field `id`"
        );
        assert_eq!(
            parse_record(br#"{"id":3,"text":"x"}"#).unwrap_err(),
            "field `id` must be a string, found a number"
        );
        assert!(parse_record(br#"{"id":"a","text":"#)
            .unwrap_err()
            .starts_with("invalid JSON"));
        assert!(parse_record(b"[1,2]").is_err());
        let warn = parse_record(br#"{"id":"a","text":"x","date":"yesterday"}"#).unwrap();
        assert!(warn.0.date.is_none());
        assert_eq!(warn.1.len(), 1);
        let lossy = parse_record(b"{\"id\":\"a\",\"text\":\"caf\xe9\"}").unwrap();
        assert!(lossy.0.text.contains('\u{fffd}'));
        assert_eq!(lossy.1.len(), 1);
    }
}
