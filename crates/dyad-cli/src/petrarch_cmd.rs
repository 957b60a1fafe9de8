//! `dyad petrarch validate`: runs a PETRARCH validation records file with the dictionaries its
//! `<Environment>` names, and reports every record whose coding differs from the expected one.
//!
//! A record passes when the set of (source, target, code) triples coded equals the expected set; a record
//! that expects no event (`noevents`, or an expected `error` such as a discard or a bad parse) passes when
//! nothing is coded. Disabled records (`sentence="false"`) are skipped. `<Config>` elements between
//! records change options for the records after them (only `require_dyad` is acted on).

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};
use dyad_coder::petrarch::{self, Dictionaries, Options, Token, Triple};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct PetrarchArgs {
    #[command(subcommand)]
    command: PetrarchCommand,
}

#[derive(Subcommand)]
enum PetrarchCommand {
    /// Run a PETRARCH validation records file and list the records that fail.
    Validate(ValidateArgs),
}

#[derive(Args)]
struct ValidateArgs {
    /// The records file (e.g. PETR.UnitTest.records.xml).
    records: PathBuf,
    /// The folder holding the dictionaries the file's <Environment> names.
    #[arg(long)]
    dicts: PathBuf,
    /// List passing records too.
    #[arg(long)]
    all: bool,
}

pub fn run(a: PetrarchArgs) -> Result<ExitCode> {
    match a.command {
        PetrarchCommand::Validate(v) => validate(v),
    }
}

/// The dictionary files a records file names.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Environment {
    pub verbs: Option<String>,
    pub actors: Option<String>,
    pub agents: Option<String>,
    pub discards: Option<String>,
}

/// One validation record.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub category: String,
    pub date: u32,
    pub active: bool,
    pub expected: BTreeSet<Triple>,
    /// The error the record expects (`storydiscard`, `bad_input_parse`, ...), if any.
    pub error: Option<String>,
    pub text: String,
    pub parse: Option<String>,
    pub options: Options,
    pub line: usize,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>> {
    for a in e.attributes() {
        let a = a?;
        if a.key.as_ref() == name.as_bytes() {
            return Ok(Some(a.unescape_value()?.into_owned()));
        }
    }
    Ok(None)
}

fn line_of(text: &str, pos: u64) -> usize {
    let pos = (pos as usize).min(text.len());
    text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads a validation records file.
pub fn read_records(text: &str) -> Result<(Environment, Vec<Record>)> {
    let mut reader = Reader::from_str(text);
    let mut env = Environment::default();
    let mut records = Vec::new();
    let mut options = Options::default();
    let mut current: Option<Record> = None;
    // The element whose text is being collected, and the text.
    let mut collecting: Option<String> = None;
    let mut buf = String::new();
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .with_context(|| format!("line {}: bad XML", line_of(text, pos)))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match name.as_str() {
                    "Sentence" => {
                        let date = attr(&e, "date")?.unwrap_or_default();
                        let Ok(date) = date.trim().parse::<u32>() else {
                            bail!("line {}: bad sentence date {date:?}", line_of(text, pos));
                        };
                        current = Some(Record {
                            id: attr(&e, "id")?.unwrap_or_default(),
                            category: attr(&e, "category")?.unwrap_or_default(),
                            date,
                            active: attr(&e, "sentence")?
                                .is_some_and(|s| s.eq_ignore_ascii_case("true")),
                            expected: BTreeSet::new(),
                            error: None,
                            text: String::new(),
                            parse: None,
                            options,
                            line: line_of(text, pos),
                        });
                    }
                    "EventCoding" => {
                        if let Some(r) = current.as_mut() {
                            if let Some(err) = attr(&e, "error")? {
                                r.error = Some(err);
                            }
                            if let (Some(s), Some(t), Some(c)) = (
                                attr(&e, "sourcecode")?,
                                attr(&e, "targetcode")?,
                                attr(&e, "eventcode")?,
                            ) {
                                r.expected.insert(Triple {
                                    source: s,
                                    target: t,
                                    code: c,
                                });
                            }
                        }
                    }
                    "Config" => {
                        let option = attr(&e, "option")?.unwrap_or_default();
                        let value = attr(&e, "value")?.unwrap_or_default();
                        if option == "require_dyad" {
                            options.require_dyad = value.trim().eq_ignore_ascii_case("true");
                        }
                    }
                    "Text" | "Parse" | "Verbfile" | "Actorfile" | "Agentfile" | "Discardfile" => {
                        collecting = Some(name);
                        buf.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if collecting.is_some() => buf.push_str(&t.decode()?),
            Event::CData(t) if collecting.is_some() => buf.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) if collecting.is_some() => {
                let name = r.decode()?;
                buf.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    buf.push(c);
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if collecting.as_deref() == Some(name.as_str()) {
                    collecting = None;
                    let value = buf.trim().to_string();
                    match name.as_str() {
                        "Text" => {
                            if let Some(r) = current.as_mut() {
                                r.text = value.split_whitespace().collect::<Vec<_>>().join(" ");
                            }
                        }
                        "Parse" => {
                            if let Some(r) = current.as_mut() {
                                r.parse = Some(value);
                            }
                        }
                        "Verbfile" => env.verbs = Some(value),
                        "Actorfile" => env.actors = Some(value),
                        "Agentfile" => env.agents = Some(value),
                        "Discardfile" => env.discards = Some(value),
                        _ => {}
                    }
                } else if name == "Sentence" {
                    if let Some(r) = current.take() {
                        records.push(r);
                    }
                }
            }
            _ => {}
        }
    }
    Ok((env, records))
}

fn read_dict(dir: &Path, name: Option<&String>, what: &str) -> Result<(String, String)> {
    let Some(name) = name else {
        return Ok((format!("(no {what} file)"), String::new()));
    };
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the {what} dictionary {}", path.display()))?;
    Ok((path.display().to_string(), text))
}

/// Codes one record: its parse tree's words if it has a parse, else its text.
pub fn code_record(dicts: &Dictionaries, r: &Record) -> std::result::Result<Vec<Triple>, String> {
    let tokens = match &r.parse {
        Some(p) if !p.trim().is_empty() => {
            petrarch::parse_tree_tokens(p).map_err(|e| format!("not coded: {e}"))?
        }
        _ => Token::plain(&r.text),
    };
    Ok(dicts.code(&tokens, r.date, &r.options))
}

fn show(set: &BTreeSet<Triple>) -> String {
    if set.is_empty() {
        "(none)".to_string()
    } else {
        set.iter()
            .map(Triple::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn validate(a: ValidateArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&a.records)
        .with_context(|| format!("cannot read {}", a.records.display()))?;
    let (env, records) =
        read_records(&text).with_context(|| format!("in {}", a.records.display()))?;
    let actors = read_dict(&a.dicts, env.actors.as_ref(), "actor")?;
    let agents = read_dict(&a.dicts, env.agents.as_ref(), "agent")?;
    let discards = read_dict(&a.dicts, env.discards.as_ref(), "discard")?;
    let verbs = read_dict(&a.dicts, env.verbs.as_ref(), "verb")?;
    let (dicts, problems) = Dictionaries::load(
        &[(&actors.0, &actors.1)],
        &[(&agents.0, &agents.1)],
        &[(&discards.0, &discards.1)],
        &[(&verbs.0, &verbs.1)],
    );
    for p in &problems {
        eprintln!("dyad: warning: {p} (line skipped)");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut passed, mut failed) = (0usize, 0usize);
    for r in records.iter().filter(|r| r.active) {
        let (coded, note) = match code_record(&dicts, r) {
            Ok(c) => (c.into_iter().collect::<BTreeSet<_>>(), None),
            Err(note) => (BTreeSet::new(), Some(note)),
        };
        let ok = coded == r.expected;
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
        if !ok || a.all {
            let expected = match &r.error {
                Some(e) if r.expected.is_empty() => format!("(none: {e})"),
                _ => show(&r.expected),
            };
            writeln!(
                out,
                "{} {} ({}, line {}): expected {}; coded {}{}",
                if ok { "PASS" } else { "FAIL" },
                r.id,
                r.category,
                r.line,
                expected,
                show(&coded),
                note.map(|n| format!(" ({n})")).unwrap_or_default()
            )?;
            writeln!(out, "    {}", r.text)?;
        }
    }
    writeln!(out, "records: {passed} passed, {failed} failed")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_environment_config_and_records() {
        let xml = r#"<Validation><Environment><Verbfile>v.txt</Verbfile><Actorfile>a.txt</Actorfile></Environment>
<Sentences>
<!-- a comment -->
<Config option="require_dyad" value="false"></Config>
<Sentence date = "19950101" id ="X-1" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<Text>Arnor &amp; Gondor.</Text>
<Parse>(ROOT (NP (NNP Arnor)))</Parse>
</Sentence>
<Sentence date="19950101" id="X-2" category="ERROR" sentence="false">
<EventCoding error="bad_input_parse"></EventCoding>
<Text>x</Text>
</Sentence>
</Sentences></Validation>"#;
        let (env, recs) = read_records(xml).unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(env.verbs.as_deref(), Some("v.txt"));
        assert_eq!(env.actors.as_deref(), Some("a.txt"));
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].id, "X-1");
        assert_eq!(recs[0].text, "Arnor & Gondor.");
        assert_eq!(recs[0].expected.len(), 1);
        assert!(!recs[0].options.require_dyad);
        assert_eq!(recs[0].line, 5);
        assert!(!recs[1].active);
        assert_eq!(recs[1].error.as_deref(), Some("bad_input_parse"));
    }
}
