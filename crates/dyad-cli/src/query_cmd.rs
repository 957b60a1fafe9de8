//! The questions asked of a store: `dyad events`, `dyad dyad`, `dyad timeline`, `dyad phases`,
//! `dyad network`. Results go to stdout; tables on a terminal, JSONL or CSV when asked or piped.

use crate::output;
use crate::store_cmd::DbArgs;
use anyhow::{Context as _, Result};
use clap::Args;
use dyad_coder::types::{DateBasis, Precision};
use dyad_coder::{Actor, Event};
use dyad_store::{DyadRow, Filter, NetworkEdge, Period, PhaseSettings, StoredEvent};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// Filters shared by `dyad events` and `dyad export`.
#[derive(Args, Clone, Default)]
pub struct FilterArgs {
    /// Events with this actor on either side (RUS: every RUS code; RUSGOV: that code only).
    #[arg(long)]
    actor: Option<String>,
    /// Events with this source actor.
    #[arg(long)]
    source: Option<String>,
    /// Events with this target actor.
    #[arg(long)]
    target: Option<String>,
    /// Events between two actors, in either direction.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    dyad: Vec<String>,
    /// CAMEO code or code prefix (04, 042).
    #[arg(long)]
    code: Option<String>,
    /// CAMEO root (01 to 20).
    #[arg(long)]
    root: Option<String>,
    /// Quad class (1 to 4).
    #[arg(long)]
    quad: Option<u8>,
    /// Event date on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Event date on or before (inclusive: 2010 includes all of 2010).
    #[arg(long)]
    until: Option<String>,
    /// The sentence contains this text.
    #[arg(long)]
    text: Option<String>,
    /// Only events that are neither negated nor hedged.
    #[arg(long)]
    asserted: bool,
    /// At most this many events.
    #[arg(long)]
    limit: Option<usize>,
}

impl FilterArgs {
    pub fn filter(&self) -> Filter {
        Filter {
            actor: self.actor.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            dyad: match self.dyad.as_slice() {
                [a, b] => Some((a.clone(), b.clone())),
                _ => None,
            },
            code: self.code.clone(),
            root: self.root.clone(),
            quad: self.quad,
            since: self.since.clone(),
            until: self.until.clone(),
            text: self.text.clone(),
            asserted: self.asserted,
            dated: false,
            limit: self.limit,
        }
    }
}

#[derive(Args)]
pub struct EventsArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    filter: FilterArgs,
    /// Output format: table (evidence sentences highlighted), jsonl (the event schema) or csv.
    /// Default: table on a terminal, jsonl otherwise.
    #[arg(long)]
    format: Option<String>,
}

fn format_or_default(f: &Option<String>) -> Result<output::Format> {
    match f.as_deref() {
        Some(s) => output::Format::parse(s)
            .with_context(|| format!("unknown --format {s:?} (want table, jsonl or csv)")),
        None if io::stdout().is_terminal() => Ok(output::Format::Table),
        None => Ok(output::Format::Jsonl),
    }
}

pub fn events(a: EventsArgs) -> Result<ExitCode> {
    let store = a.db.open()?;
    let format = format_or_default(&a.format)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut n = 0u64;
    if format == output::Format::Table {
        let color = io::stdout().is_terminal();
        store.for_each_event(&a.filter.filter(), "e.id", |e| {
            n += 1;
            write_evidence(&mut out, &e, color)
                .map_err(|err| dyad_store::Error::Query(format!("cannot write output: {err}")))
        })?;
        if n > 0 {
            writeln!(out, "{}", legend(color))?;
        }
    } else {
        let mut w = output::Writer::new(&mut out, format);
        let mut failed: Option<anyhow::Error> = None;
        store.for_each_event(&a.filter.filter(), "e.id", |e| {
            n += 1;
            if failed.is_none() {
                if let Err(err) = w.write(&e.event) {
                    failed = Some(err);
                }
            }
            Ok(())
        })?;
        if let Some(err) = failed {
            return Err(err);
        }
        w.finish()?;
    }
    out.flush()?;
    eprintln!("dyad: {n} events");
    Ok(ExitCode::SUCCESS)
}

fn legend(color: bool) -> &'static str {
    if color {
        "\nFLAGS: N negated, H hedged, A attributed. In the sentence: source bold, target underlined, trigger reversed."
    } else {
        "\nFLAGS: N negated, H hedged, A attributed. In the sentence: [source], <target>, *trigger*."
    }
}

fn code(a: &Option<Actor>) -> String {
    a.as_ref().map_or("-".to_string(), |a| a.code.0.clone())
}

fn flags(e: &Event) -> String {
    let mut f = String::new();
    if e.negated {
        f.push('N');
    }
    if e.hedged {
        f.push('H');
    }
    if e.attribution.is_some() {
        f.push('A');
    }
    if f.is_empty() {
        f.push('-');
    }
    f
}

/// A date with its precision shown: `2007`, `1990s`, `2010-05-03*` (* = the publication date).
pub fn show_date(e: &Event) -> String {
    let Some(v) = &e.date.value else {
        return "?".into();
    };
    let mut s = if e.date.precision == Precision::Decade {
        format!("{v}s")
    } else {
        v.clone()
    };
    if e.date.basis == DateBasis::Publication {
        s.push('*');
    }
    s
}

/// The sentence with its source, target and trigger marked: ANSI styles on a terminal, brackets otherwise.
pub fn highlight(e: &Event, color: bool) -> String {
    let base = e.span.start;
    let mut marks: Vec<(usize, usize, &str, &str)> = Vec::new();
    let styles = if color {
        [
            ("\x1b[1m", "\x1b[0m"),
            ("\x1b[4m", "\x1b[0m"),
            ("\x1b[7m", "\x1b[0m"),
        ]
    } else {
        [("[", "]"), ("<", ">"), ("*", "*")]
    };
    for (span, (open, close)) in [
        e.source.as_ref().map(|a| a.span),
        e.target.as_ref().map(|a| a.span),
        Some(e.trigger.span),
    ]
    .into_iter()
    .zip(styles)
    {
        if let Some(s) = span {
            if s.start >= base && s.end <= base + e.sentence.len() && !s.is_empty() {
                marks.push((s.start - base, s.end - base, open, close));
            }
        }
    }
    marks.sort();
    // Overlapping marks (an actor inside a trigger pattern) keep the first.
    let mut kept: Vec<(usize, usize, &str, &str)> = Vec::new();
    for m in marks {
        if kept.last().is_none_or(|k| m.0 >= k.1) {
            kept.push(m);
        }
    }
    let mut out = String::with_capacity(e.sentence.len() + 16);
    let mut at = 0;
    for (s, t, open, close) in kept {
        let (Some(before), Some(inner)) = (e.sentence.get(at..s), e.sentence.get(s..t)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(open);
        out.push_str(inner);
        out.push_str(close);
        at = t;
    }
    out.push_str(e.sentence.get(at..).unwrap_or(""));
    out.replace('\n', " ")
}

fn write_evidence(out: &mut impl Write, e: &StoredEvent, color: bool) -> io::Result<()> {
    let ev = &e.event;
    let mentions = match (e.mentions, e.sources) {
        (Some(m), Some(s)) if m > 1 => format!("  [{m} mentions in {s} documents]"),
        _ => String::new(),
    };
    writeln!(
        out,
        "{:<12} {:<10} {:<5} {:<10} {:<3} {} #{}{}",
        show_date(ev),
        code(&ev.source),
        ev.cameo.as_str(),
        code(&ev.target),
        flags(ev),
        ev.doc_id,
        ev.sentence_index,
        mentions
    )?;
    writeln!(out, "    {}", highlight(ev, color))
}

#[derive(Args)]
pub struct DyadArgs {
    /// The first actor.
    a: String,
    /// The second actor.
    b: String,
    #[command(flatten)]
    db: DbArgs,
    /// Period: year, month or day.
    #[arg(long, default_value = "year")]
    by: String,
    /// Count negated and hedged events too (by default only asserted events count).
    #[arg(long)]
    all: bool,
    /// Output format: table, csv or jsonl.
    #[arg(long, default_value = "table")]
    format: String,
}

pub fn parse_period(s: &str) -> Result<Period> {
    Period::parse(s).with_context(|| format!("unknown --by {s:?} (want year, month or day)"))
}

pub fn dyad(a: DyadArgs) -> Result<ExitCode> {
    let store = a.db.open()?;
    let by = parse_period(&a.by)?;
    let (rows, left_out) = store.dyad_series(&a.a, &a.b, by, !a.all)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    write_series(&mut out, &rows, &a.format)?;
    out.flush()?;
    if left_out > 0 {
        eprintln!(
            "dyad: {left_out} events of the dyad are not in the series: their date is unknown or coarser than a {}",
            a.by
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write_series(out: &mut impl Write, rows: &[DyadRow], format: &str) -> Result<()> {
    match format {
        "table" => {
            writeln!(
                out,
                "{:<10} {:<16} {:>5} {:>5} {:>5} {:>5} {:>6} {:>8} {:>6}",
                "PERIOD",
                "DIRECTION",
                "VCOOP",
                "MCOOP",
                "VCONF",
                "MCONF",
                "EVENTS",
                "GOLDSUM",
                "GOLD"
            )?;
            for r in rows {
                writeln!(
                    out,
                    "{:<10} {:<16} {:>5} {:>5} {:>5} {:>5} {:>6} {:>8.1} {:>6.2}",
                    r.period,
                    r.direction,
                    r.quads[0],
                    r.quads[1],
                    r.quads[2],
                    r.quads[3],
                    r.events(),
                    r.goldstein_sum,
                    r.goldstein_mean()
                )?;
            }
            writeln!(
                out,
                "\nVCOOP/MCOOP/VCONF/MCONF: verbal and material cooperation and conflict (quad classes 1-4); GOLD: mean Goldstein."
            )?;
        }
        "csv" => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "period",
                "direction",
                "verbal_coop",
                "material_coop",
                "verbal_conflict",
                "material_conflict",
                "events",
                "goldstein_sum",
                "goldstein_mean",
            ])?;
            for r in rows {
                w.write_record([
                    r.period.clone(),
                    r.direction.clone(),
                    r.quads[0].to_string(),
                    r.quads[1].to_string(),
                    r.quads[2].to_string(),
                    r.quads[3].to_string(),
                    r.events().to_string(),
                    format!("{:.3}", r.goldstein_sum),
                    format!("{:.3}", r.goldstein_mean()),
                ])?;
            }
            w.flush()?;
        }
        "jsonl" | "json" => {
            for r in rows {
                serde_json::to_writer(
                    &mut *out,
                    &serde_json::json!({
                        "period": r.period,
                        "direction": r.direction,
                        "quad_counts": r.quads,
                        "events": r.events(),
                        "goldstein_sum": r.goldstein_sum,
                        "goldstein_mean": r.goldstein_mean(),
                    }),
                )?;
                writeln!(out)?;
            }
        }
        f => anyhow::bail!("unknown --format {f:?} (want table, csv or jsonl)"),
    }
    Ok(())
}

#[derive(Args)]
pub struct TimelineArgs {
    /// An actor.
    a: String,
    /// A second actor: only events between the two.
    b: Option<String>,
    #[command(flatten)]
    db: DbArgs,
    /// Only events that are neither negated nor hedged.
    #[arg(long)]
    asserted: bool,
    /// Output format: table or jsonl (the event schema).
    #[arg(long, default_value = "table")]
    format: String,
}

pub fn timeline(a: TimelineArgs) -> Result<ExitCode> {
    let store = a.db.open()?;
    let events = store.timeline(&a.a, a.b.as_deref(), a.asserted)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match a.format.as_str() {
        "table" => {
            writeln!(
                out,
                "{:<12} {:<8} {:<10} {:<5} {:<10} {:<5} {:<22} SENTENCE",
                "DATE", "PREC", "SOURCE", "CODE", "TARGET", "FLAGS", "TRIGGER"
            )?;
            for e in &events {
                let ev = &e.event;
                writeln!(
                    out,
                    "{:<12} {:<8} {:<10} {:<5} {:<10} {:<5} {:<22} {}",
                    show_date(ev),
                    ev.date.precision.as_str(),
                    code(&ev.source),
                    ev.cameo.as_str(),
                    code(&ev.target),
                    flags(ev),
                    clip(&ev.trigger.text, 22),
                    clip(&ev.sentence.replace('\n', " "), 80)
                )?;
            }
            writeln!(
                out,
                "\nFLAGS: N negated, H hedged, A attributed; a date with * is the publication date; 1990s: a decade."
            )?;
        }
        "jsonl" | "json" => {
            for e in &events {
                serde_json::to_writer(&mut out, &e.event)?;
                writeln!(out)?;
            }
        }
        f => anyhow::bail!("unknown --format {f:?} (want table or jsonl)"),
    }
    out.flush()?;
    eprintln!("dyad: {} dated events", events.len());
    Ok(ExitCode::SUCCESS)
}

pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[derive(Args)]
pub struct PhasesArgs {
    /// The first actor.
    a: String,
    /// The second actor.
    b: String,
    #[command(flatten)]
    db: DbArgs,
    /// Period of the series: year, month or day.
    #[arg(long, default_value = "year")]
    by: String,
    /// Cost of a change point: higher finds fewer, larger phases.
    #[arg(long, default_value_t = 1.0)]
    penalty: f64,
    /// Output format: table or jsonl.
    #[arg(long, default_value = "table")]
    format: String,
}

pub fn phases(a: PhasesArgs) -> Result<ExitCode> {
    let store = a.db.open()?;
    if !(a.penalty.is_finite() && a.penalty >= 0.0) {
        anyhow::bail!("--penalty must be a number at least 0");
    }
    let settings = PhaseSettings {
        period: parse_period(&a.by)?,
        penalty: a.penalty,
        ..PhaseSettings::default()
    };
    let phases = store.phases(&a.a, &a.b, settings)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match a.format.as_str() {
        "table" => {
            for p in &phases {
                let span = if p.first == p.last {
                    p.first.clone()
                } else {
                    format!("{}–{}", p.first, p.last)
                };
                writeln!(
                    out,
                    "{span:<23} {:<12} cooperation {:>3}, conflict {:>3}, mean Goldstein {:+.1}",
                    p.label.as_str(),
                    p.cooperation,
                    p.conflict,
                    p.goldstein_mean
                )?;
                for e in &p.opening {
                    let ev = &e.event;
                    writeln!(
                        out,
                        "    {:<8} {:<8} {:<5} {:<8} {}",
                        show_date(ev),
                        code(&ev.source),
                        ev.cameo.as_str(),
                        code(&ev.target),
                        clip(&highlight(ev, false), 100)
                    )?;
                }
            }
            if phases.is_empty() {
                writeln!(out, "no dated, asserted events between {} and {}", a.a, a.b)?;
            }
        }
        "jsonl" | "json" => {
            for p in &phases {
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({
                        "first": p.first,
                        "last": p.last,
                        "label": p.label.as_str(),
                        "cooperation": p.cooperation,
                        "conflict": p.conflict,
                        "goldstein_mean": p.goldstein_mean,
                        "opening": p.opening.iter().map(|e| &e.event).collect::<Vec<_>>(),
                    }),
                )?;
                writeln!(out)?;
            }
        }
        f => anyhow::bail!("unknown --format {f:?} (want table or jsonl)"),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Clone)]
pub struct NetworkArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Events dated on or after.
    #[arg(long)]
    pub since: Option<String>,
    /// Events dated on or before.
    #[arg(long)]
    pub until: Option<String>,
    /// Only pairs with at least this many events.
    #[arg(long, default_value_t = 1)]
    pub min: u64,
    /// Nodes are full actor codes (RUSGOV) rather than countries (RUS).
    #[arg(long)]
    pub codes: bool,
    /// Count negated and hedged events too.
    #[arg(long)]
    pub all: bool,
}

impl NetworkArgs {
    pub fn edges(&self) -> Result<Vec<NetworkEdge>> {
        let store = self.db.open()?;
        Ok(store.network(
            self.since.as_deref(),
            self.until.as_deref(),
            self.min,
            !self.codes,
            !self.all,
        )?)
    }
}

#[derive(Args)]
pub struct NetworkCmdArgs {
    #[command(flatten)]
    net: NetworkArgs,
    /// Output format: table, csv or graphml.
    #[arg(long, default_value = "table")]
    format: String,
}

pub fn network(a: NetworkCmdArgs) -> Result<ExitCode> {
    let edges = a.net.edges()?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match a.format.as_str() {
        "table" => {
            writeln!(
                out,
                "{:<10} {:<10} {:>6} {:>6} {:>8}",
                "SOURCE", "TARGET", "COOP", "CONFL", "GOLDSUM"
            )?;
            for e in &edges {
                writeln!(
                    out,
                    "{:<10} {:<10} {:>6} {:>6} {:>8.1}",
                    e.source, e.target, e.cooperation, e.conflict, e.goldstein_sum
                )?;
            }
        }
        "csv" => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "source",
                "target",
                "cooperation",
                "conflict",
                "goldstein_sum",
            ])?;
            for e in &edges {
                w.write_record([
                    e.source.clone(),
                    e.target.clone(),
                    e.cooperation.to_string(),
                    e.conflict.to_string(),
                    format!("{:.3}", e.goldstein_sum),
                ])?;
            }
            w.flush()?;
        }
        "graphml" => crate::export::write_graphml(&mut out, &edges)?,
        f => anyhow::bail!("unknown --format {f:?} (want table, csv or graphml)"),
    }
    out.flush()?;
    eprintln!("dyad: {} edges", edges.len());
    Ok(ExitCode::SUCCESS)
}
