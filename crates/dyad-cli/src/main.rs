//! `dyad`: code news into dated, traceable CAMEO events.
//!
//! Exit status: 0 on success (problems with single records are reported and counted but do not fail the
//! run); 1 with `--strict` when any input problem was reported; 2 when nothing could be read or the
//! command itself failed (bad flags, bad dictionary).

mod bench;
mod eval;
mod output;
mod plover;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Parser, Subcommand};
use dyad_coder::input::{Format, Read, Reader};
use dyad_coder::{Coder, Document, Event, Options, Settings};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Write};
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
    let input_format = Format::parse(&a.input_format).with_context(|| {
        format!(
            "unknown --input-format {:?} (want auto, text or jsonl)",
            a.input_format
        )
    })?;
    let text_date = match &a.date {
        Some(d) => Some(
            d.parse()
                .with_context(|| format!("--date {d:?} is not YYYY-MM-DD"))?,
        ),
        None => None,
    };
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
    let mut batch: Vec<Document> = Vec::new();
    let mut batch_bytes = 0;
    let flush = |batch: &mut Vec<Document>,
                 writer: &mut output::Writer<_>,
                 stats: &mut Stats|
     -> Result<()> {
        let coded: Vec<Option<(usize, Vec<Event>)>> = pool.install(|| {
            batch
                .par_iter()
                .map_init(dyad_coder::Scratch::default, |scratch, doc| {
                    // A bug in the coder must not cost the rest of the batch: the document is reported
                    // and skipped.
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut events = Vec::new();
                        let s = coder.code_into(doc, scratch, &mut events);
                        (s.sentences, events)
                    }))
                    .ok()
                })
                .collect()
        });
        for (doc, result) in batch.iter().zip(coded) {
            let Some((sentences, events)) = result else {
                eprintln!(
                    "dyad: error: {}: internal error while coding; document skipped",
                    doc.id
                );
                stats.problems += 1;
                stats.skipped += 1;
                continue;
            };
            stats.sentences += sentences;
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

#[derive(Default)]
struct Stats {
    documents: usize,
    sentences: usize,
    events: usize,
    problems: usize,
    skipped: usize,
}

/// Flushes and reports write errors (a closed pipe is not an error worth a message).
pub fn finish_output(mut w: impl Write) -> Result<()> {
    w.flush()?;
    Ok(())
}
