//! `dyad`: code news into dated, traceable CAMEO events.
//!
//! Exit status: 0 on success (problems with single records are reported and counted but do not fail the
//! run); 1 with `--strict` when any input problem was reported; 2 when nothing could be read or the
//! command itself failed (bad flags, bad dictionary).

mod bench;
mod dict_cmd;
mod eval;
mod export;
mod output;
mod petrarch_cmd;
mod plot;
mod plover;
mod query_cmd;
mod store_cmd;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Parser, Subcommand};
use dyad_coder::input::{Format, Read, Reader};
use dyad_coder::{Coder, Document, Event, Options, Settings};
use rayon::prelude::*;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

/// The example article built into the binary, written for the project.
pub const EXAMPLE: &str = include_str!("../../../data/example/article.txt");

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Political event coding: who did what to whom, when, by whose account"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into events (files, directories, JSONL, or standard input).
    Code(CodeArgs),
    /// Measure coding speed and memory over real text.
    Bench(bench::BenchArgs),
    /// Score the coder on the PLOVER/CAMEO codebook sentences.
    Plover(plover::PloverArgs),
    /// Score coded events against gold annotations (gold.md's rules).
    Eval(eval::EvalArgs),
    /// Check dictionary files, or show how a phrase codes and why.
    Dict(dict_cmd::DictArgs),
    /// Code documents into the store (files, directories, JSONL); unchanged documents are skipped.
    Ingest(store_cmd::IngestArgs),
    /// Group the same event reported by many documents into clusters.
    Dedup(store_cmd::DedupArgs),
    /// Re-code stored documents coded with other dictionaries than the current ones.
    Recode(store_cmd::RecodeArgs),
    /// Stored events, filtered, with their evidence sentences.
    Events(query_cmd::EventsArgs),
    /// A dyad's series per year, month or day: counts by quad class and Goldstein, both directions.
    Dyad(query_cmd::DyadArgs),
    /// Dated events of an actor or a dyad, in date order.
    Timeline(query_cmd::TimelineArgs),
    /// Turns in a dyad's relation: cooperative, hostile and mixed phases.
    Phases(query_cmd::PhasesArgs),
    /// The weighted actor network: cooperation and conflict between actors.
    Network(query_cmd::NetworkCmdArgs),
    /// Export stored events (jsonl, csv, parquet, gdelt) or the network (graphml).
    Export(export::ExportArgs),
    /// Charts: a dyad's series, or the network, as SVG or PNG.
    Plot(plot::PlotArgs),
    /// PETRARCH/TABARI dictionaries: run a PETRARCH validation records file.
    Petrarch(petrarch_cmd::PetrarchArgs),
}

#[derive(Args, Clone)]
pub struct CoderArgs {
    /// Quad-class scheme: gdelt (default) or gold.
    #[arg(long)]
    quad: Option<String>,
    /// A dictionary file that replaces the built-in file of the same name (e.g. events.tsv).
    #[arg(long = "dict", value_name = "FILE")]
    dicts: Vec<PathBuf>,
}

impl CoderArgs {
    pub fn build(&self) -> Result<Coder> {
        let mut dictionaries = Vec::new();
        for d in &self.dicts {
            let text = std::fs::read_to_string(d)
                .with_context(|| format!("cannot read dictionary {}", d.display()))?;
            dictionaries.push((d.display().to_string(), text));
        }
        let settings = Settings::from_options(Options {
            quad: self.quad.clone(),
            dictionaries,
        })?;
        Ok(Coder::new(&settings)?)
    }
}

#[derive(Args)]
struct CodeArgs {
    /// Files or directories; `-` or nothing reads standard input.
    paths: Vec<PathBuf>,
    /// Code the example article built into dyad.
    #[arg(long, conflicts_with = "paths")]
    example: bool,
    /// Output format: jsonl, csv or table (default: table on a terminal, jsonl otherwise).
    #[arg(long)]
    format: Option<String>,
    /// How to read inputs: auto, text or jsonl.
    #[arg(long, default_value = "auto")]
    input_format: String,
    /// Publication date (YYYY-MM-DD) for plain-text documents.
    #[arg(long)]
    date: Option<String>,
    /// Fail (exit 1) when any input problem is reported.
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Only asserted events (drop negated and hedged ones).
    #[arg(long)]
    asserted: bool,
    /// Write the names and phrases that looked like actors or events but matched no dictionary entry,
    /// with counts, to this file (TSV), for growing the dictionaries.
    #[arg(long, value_name = "FILE")]
    unknown: Option<PathBuf>,
    #[command(flatten)]
    coder: CoderArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(a) => code(a),
        Command::Bench(a) => bench::run(a),
        Command::Plover(a) => plover::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Dict(a) => dict_cmd::run(a),
        Command::Ingest(a) => store_cmd::ingest(a),
        Command::Dedup(a) => store_cmd::dedup(a),
        Command::Recode(a) => store_cmd::recode(a),
        Command::Events(a) => query_cmd::events(a),
        Command::Dyad(a) => query_cmd::dyad(a),
        Command::Timeline(a) => query_cmd::timeline(a),
        Command::Phases(a) => query_cmd::phases(a),
        Command::Network(a) => query_cmd::network(a),
        Command::Export(a) => export::run(a),
        Command::Plot(a) => plot::run(a),
        Command::Petrarch(a) => petrarch_cmd::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Builds the thread pool for `--threads`.
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        b = b.num_threads(n);
    }
    Ok(b.build()?)
}

/// One document's coding.
pub struct Coded {
    pub sentences: usize,
    pub events: Vec<Event>,
    /// Phrases that matched nothing, when collected (`--unknown`).
    pub unknown: Vec<dyad_coder::Unknown>,
}

/// Codes a batch of documents on the pool, in order. A panic while coding one document (a bug) costs only
/// that document: its slot is `None`, for the caller to report and count.
pub fn code_batch(
    pool: &rayon::ThreadPool,
    coder: &Coder,
    docs: &[Document],
    collect_unknown: bool,
) -> Vec<Option<Coded>> {
    pool.install(|| {
        docs.par_iter()
            .map_init(
                || {
                    if collect_unknown {
                        dyad_coder::Scratch::collecting_unknowns()
                    } else {
                        dyad_coder::Scratch::default()
                    }
                },
                |scratch, doc| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut events = Vec::new();
                        let s = coder.code_into(doc, scratch, &mut events);
                        let unknown = scratch
                            .unknown
                            .as_mut()
                            .map(std::mem::take)
                            .unwrap_or_default();
                        Coded {
                            sentences: s.sentences,
                            events,
                            unknown,
                        }
                    }))
                    .ok()
                },
            )
            .collect()
    })
}

/// Resolves `--input-format` and `--date`, shared by the commands that read documents.
pub fn input_options(
    input_format: &str,
    date: Option<&str>,
) -> Result<(Format, Option<dyad_coder::types::Date>)> {
    let format = Format::parse(input_format).with_context(|| {
        format!("unknown --input-format {input_format:?} (want auto, text or jsonl)")
    })?;
    let date = match date {
        Some(d) => Some(
            d.parse()
                .with_context(|| format!("--date {d:?} is not YYYY-MM-DD"))?,
        ),
        None => None,
    };
    Ok((format, date))
}

/// Documents are coded in batches of about this many bytes: enough to keep every core busy, small enough
/// that memory stays flat however large the input.
const BATCH_BYTES: usize = 8 << 20;
const BATCH_DOCS: usize = 512;

fn code(a: CodeArgs) -> Result<ExitCode> {
    let coder = a.coder.build()?;
    let format = match a.format.as_deref() {
        Some(f) => output::Format::parse(f)
            .with_context(|| format!("unknown --format {f:?} (want jsonl, csv or table)"))?,
        None if io::stdout().is_terminal() => output::Format::Table,
        None => output::Format::Jsonl,
    };
    let (input_format, text_date) = input_options(&a.input_format, a.date.as_deref())?;
    let pool = pool(a.threads)?;
    let reader: Box<dyn Iterator<Item = Read>> = if a.example {
        let doc =
            Document::new("example", EXAMPLE).with_date(text_date.or("2026-11-20".parse().ok()));
        Box::new(std::iter::once(Read::Doc(Box::new(doc))))
    } else {
        Box::new(Reader::new(&a.paths, input_format).with_text_date(text_date))
    };
    let stdout = io::stdout();
    let mut writer = output::Writer::new(io::BufWriter::new(stdout.lock()), format);
    let mut stats = Stats::default();
    let collect_unknown = a.unknown.is_some();
    let mut unknowns: std::collections::HashMap<
        (dyad_coder::UnknownKind, String),
        (usize, String),
    > = std::collections::HashMap::new();
    let mut batch: Vec<Document> = Vec::new();
    let mut batch_bytes = 0;
    let mut flush = |batch: &mut Vec<Document>,
                     writer: &mut output::Writer<_>,
                     stats: &mut Stats|
     -> Result<()> {
        let coded = code_batch(&pool, &coder, batch, collect_unknown);
        for (doc, result) in batch.iter().zip(coded) {
            let Some(Coded {
                sentences,
                events,
                unknown,
            }) = result
            else {
                eprintln!(
                    "dyad: error: {}: internal error while coding; document skipped",
                    doc.id
                );
                stats.problems += 1;
                stats.skipped += 1;
                continue;
            };
            stats.sentences += sentences;
            for u in unknown {
                let entry = unknowns
                    .entry((u.kind, u.phrase))
                    .or_insert((0, doc.id.0.clone()));
                entry.0 += 1;
            }
            for e in events.iter().filter(|e| !a.asserted || e.asserted()) {
                writer.write(e)?;
                stats.events += 1;
            }
        }
        stats.documents += batch.len();
        batch.clear();
        Ok(())
    };
    for item in reader {
        match item {
            Read::Doc(doc) => {
                batch_bytes += doc.text.len();
                batch.push(*doc);
                if batch_bytes >= BATCH_BYTES || batch.len() >= BATCH_DOCS {
                    flush(&mut batch, &mut writer, &mut stats)?;
                    batch_bytes = 0;
                }
            }
            Read::Problem(p) => {
                stats.problems += 1;
                if p.skipped {
                    stats.skipped += 1;
                }
                let level = if p.skipped { "error" } else { "warning" };
                eprintln!("dyad: {level}: {p}");
                if a.strict {
                    flush(&mut batch, &mut writer, &mut stats)?;
                    writer.finish()?;
                    eprintln!("dyad: stopping at the first problem (--strict)");
                    return Ok(ExitCode::from(1));
                }
            }
        }
    }
    flush(&mut batch, &mut writer, &mut stats)?;
    writer.finish()?;
    if let Some(path) = &a.unknown {
        write_unknowns(path, unknowns)?;
    }
    eprintln!(
        "dyad: {} documents, {} sentences, {} events; {} problems ({} records skipped)",
        stats.documents, stats.sentences, stats.events, stats.problems, stats.skipped
    );
    if stats.documents == 0 {
        eprintln!("dyad: nothing could be read");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the unknown phrases as TSV, most frequent first: kind, count, phrase, an example document.
fn write_unknowns(
    path: &std::path::Path,
    unknowns: std::collections::HashMap<(dyad_coder::UnknownKind, String), (usize, String)>,
) -> Result<()> {
    let mut rows: Vec<_> = unknowns.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
    let mut out = String::from("kind\tcount\tphrase\texample\n");
    for ((kind, phrase), (count, example)) in rows {
        let kind = match kind {
            dyad_coder::UnknownKind::Actor => "actor",
            dyad_coder::UnknownKind::Event => "event",
        };
        let clean = |s: &str| s.replace(['\t', '\n'], " ");
        out.push_str(&format!(
            "{kind}\t{count}\t{}\t{}\n",
            clean(&phrase),
            clean(&example)
        ));
    }
    std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))
}

#[derive(Default)]
struct Stats {
    documents: usize,
    sentences: usize,
    events: usize,
    problems: usize,
    skipped: usize,
}
