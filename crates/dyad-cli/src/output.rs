//! Writing events: JSONL (the `event.schema.json` contract), CSV, and a readable table for terminals.

use anyhow::Result;
use dyad_coder::{Actor, Event};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Table,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "jsonl" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "table" => Some(Format::Table),
            _ => None,
        }
    }
}

pub const CSV_COLUMNS: &[&str] = &[
    "doc_id",
    "event_id",
    "sentence_index",
    "date",
    "date_precision",
    "date_basis",
    "source_code",
    "source_country",
    "source_role",
    "source_text",
    "target_code",
    "target_country",
    "target_role",
    "target_text",
    "cameo",
    "root",
    "quad_class",
    "goldstein",
    "negated",
    "hedged",
    "attribution",
    "trigger",
    "sentence_start",
    "sentence_end",
    "sentence",
];

pub struct Writer<W: Write> {
    out: Sink<W>,
    format: Format,
    started: bool,
}

enum Sink<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format) -> Writer<W> {
        let out = if format == Format::Csv {
            Sink::Csv(Box::new(csv::Writer::from_writer(out)))
        } else {
            Sink::Plain(out)
        };
        Writer {
            out,
            format,
            started: false,
        }
    }

    pub fn write(&mut self, e: &Event) -> Result<()> {
        let started = self.started;
        self.started = true;
        let out = match &mut self.out {
            Sink::Csv(w) => return write_csv(w, e, started),
            Sink::Plain(out) => out,
        };
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, e)?;
                out.write_all(b"\n")?;
            }
            Format::Csv => {}
            Format::Table => {
                if !started {
                    writeln!(
                        out,
                        "{:<11} {:<14} {:<5} {:<14} {:<5} {:<22} SENTENCE",
                        "DATE", "SOURCE", "CODE", "TARGET", "FLAGS", "TRIGGER"
                    )?;
                }
                let code =
                    |a: &Option<Actor>| a.as_ref().map_or("-".to_string(), |a| a.code.0.clone());
                let mut flags = String::new();
                if e.negated {
                    flags.push('N');
                }
                if e.hedged {
                    flags.push('H');
                }
                if e.attribution.is_some() {
                    flags.push('A');
                }
                if flags.is_empty() {
                    flags.push('-');
                }
                let date = match (&e.date.value, e.date.basis) {
                    (Some(v), dyad_coder::types::DateBasis::Publication) => format!("{v}*"),
                    (Some(v), _) => v.clone(),
                    (None, _) => "?".into(),
                };
                writeln!(
                    out,
                    "{:<11} {:<14} {:<5} {:<14} {:<5} {:<22} {}",
                    clip(&date, 11),
                    clip(&code(&e.source), 14),
                    e.cameo.as_str(),
                    clip(&code(&e.target), 14),
                    flags,
                    clip(&e.trigger.text, 22),
                    clip(&e.sentence.replace('\n', " "), 90)
                )?;
            }
        }
        Ok(())
    }

    pub fn finish(&mut self) -> Result<()> {
        let out: &mut dyn Write = match &mut self.out {
            Sink::Csv(w) => {
                w.flush()?;
                return Ok(());
            }
            Sink::Plain(out) => out,
        };
        if self.format == Format::Table && self.started {
            writeln!(
                out,
                "\nFLAGS: N negated, H hedged, A attributed; a date with * is the publication date."
            )?;
        }
        out.flush()?;
        Ok(())
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn write_csv<W: Write>(w: &mut csv::Writer<W>, e: &Event, started: bool) -> Result<()> {
    if !started {
        w.write_record(CSV_COLUMNS)?;
    }
    let side = |a: &Option<Actor>| -> [String; 4] {
        match a {
            Some(a) => [
                a.code.0.clone(),
                a.country.clone().unwrap_or_default(),
                a.role.clone().unwrap_or_default(),
                a.text.clone(),
            ],
            None => Default::default(),
        }
    };
    let [sc, sco, sr, st] = side(&e.source);
    let [tc, tco, tr, tt] = side(&e.target);
    w.write_record([
        e.doc_id.0.as_str(),
        &e.event_id,
        &e.sentence_index.to_string(),
        e.date.value.as_deref().unwrap_or(""),
        e.date.precision.as_str(),
        e.date.basis.as_str(),
        &sc,
        &sco,
        &sr,
        &st,
        &tc,
        &tco,
        &tr,
        &tt,
        e.cameo.as_str(),
        &e.root,
        &e.quad_class.to_string(),
        &e.goldstein.to_string(),
        &e.negated.to_string(),
        &e.hedged.to_string(),
        e.attribution.as_ref().map_or("", |a| a.text.as_str()),
        &e.trigger.text,
        &e.span.start.to_string(),
        &e.span.end.to_string(),
        &e.sentence,
    ])?;
    Ok(())
}
