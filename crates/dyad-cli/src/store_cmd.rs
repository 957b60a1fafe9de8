//! `dyad ingest` and `dyad dedup`: loading a corpus into the store, and grouping its duplicate reports.
//!
//! Ingest reads documents with the same reader as `dyad code`, skips those already stored with the same
//! text and dictionaries (a rerun after a crash resumes where the last committed batch ended), codes the
//! rest in batches on all cores, and commits each batch in one transaction. A killed ingest loses at most
//! the batch in flight; nothing is ever half-written.

use crate::CoderArgs;
use anyhow::{Context as _, Result};
use clap::Args;
use dyad_coder::input::{Read, Reader};
use dyad_coder::{Document, Event};
use dyad_store::{text_hash, DedupRule, DocRecord, DocState, Period, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashSet;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The store file, shared by every store command.
#[derive(Args, Clone)]
pub struct DbArgs {
    /// The store (an SQLite file).
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
}

impl DbArgs {
    /// Opens an existing store for queries.
    pub fn open(&self) -> Result<Store> {
        Ok(Store::open_existing(&self.db)?)
    }
}

#[derive(Args)]
pub struct IngestArgs {
    /// Files or directories (plain text, JSONL); `-` or nothing reads standard input.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
    /// How to read inputs: auto, text or jsonl.
    #[arg(long, default_value = "auto")]
    input_format: String,
    /// Publication date (YYYY-MM-DD) for plain-text documents.
    #[arg(long)]
    date: Option<String>,
    /// Documents per committed batch: a crash loses at most one batch of work.
    #[arg(long, default_value_t = 256)]
    batch_docs: usize,
    /// Fail (exit 1) at the first input problem, after committing what was coded before it.
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar even on a terminal.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    coder: CoderArgs,
}

/// A fingerprint of what codes a document: dyad's version, the quad scheme and every dictionary file's
/// text (built-in, or the `--dict` file that replaces it). Stored with each document so a store knows which
/// codings are stale after a dictionary change.
pub fn dict_version(args: &CoderArgs) -> Result<String> {
    let mut h = dyad_store::fnv1a(env!("CARGO_PKG_VERSION").as_bytes(), 0xcbf2_9ce4_8422_2325);
    h = dyad_store::fnv1a(args.quad.as_deref().unwrap_or("gdelt").as_bytes(), h);
    let mut files: Vec<(String, String)> = dyad_coder::lexicon::BUILTIN_FILES
        .iter()
        .chain(std::iter::once(&(
            "data/cameo.tsv",
            dyad_coder::cameo::BUILTIN,
        )))
        .map(|(n, t)| (file_name(n), t.to_string()))
        .collect();
    for d in &args.dicts {
        let text = std::fs::read_to_string(d)
            .with_context(|| format!("cannot read dictionary {}", d.display()))?;
        let name = file_name(&d.display().to_string());
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some(f) => f.1 = text,
            None => files.push((name, text)),
        }
    }
    for (name, text) in &files {
        h = dyad_store::fnv1a(name.as_bytes(), h);
        h = dyad_store::fnv1a(&[0], h);
        h = dyad_store::fnv1a(text.as_bytes(), h);
    }
    Ok(format!("{}-{h:016x}", env!("CARGO_PKG_VERSION")))
}

fn file_name(p: &str) -> String {
    Path::new(p)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.to_string())
}

/// Total size of the input files, for the progress bar's ETA (`None` for standard input).
fn input_bytes(paths: &[PathBuf]) -> Option<u64> {
    fn walk(p: &Path) -> u64 {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => std::fs::read_dir(p)
                .map(|rd| rd.flatten().map(|e| walk(&e.path())).sum())
                .unwrap_or(0),
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    }
    if paths.is_empty() || paths.iter().any(|p| p == Path::new("-")) {
        return None;
    }
    Some(paths.iter().map(|p| walk(p)).sum())
}

#[derive(Default)]
struct Stats {
    read: usize,
    stored: usize,
    replaced: usize,
    unchanged: usize,
    events: usize,
    problems: usize,
    skipped: usize,
    bytes: u64,
}

fn progress(total: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let style = ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{bar:30}] {percent:>3}% {binary_bytes_per_sec} {msg} ETA {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

pub fn ingest(a: IngestArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let coder = a.coder.build()?;
    let version = dict_version(&a.coder)?;
    let (input_format, text_date) = crate::input_options(&a.input_format, a.date.as_deref())?;
    if a.batch_docs == 0 {
        anyhow::bail!("--batch-docs must be at least 1");
    }
    let pool = crate::pool(a.threads)?;
    // Two connections to the same WAL database: this thread reads (which documents are unchanged), a
    // writer thread stores coded batches while the next batch is coded. The hand-over is a rendezvous,
    // so at most one batch is ever coded but not yet being written.
    let store = Store::open(&a.db.db)?;
    let bar = progress(input_bytes(&a.paths), a.quiet);
    let mut stats = Stats::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut batch: Vec<Document> = Vec::new();
    let mut batch_bytes = 0usize;
    type Records = Vec<(DocRecord, Vec<Event>)>;
    let (strict_stop, written) = std::thread::scope(
        |scope| -> Result<(bool, (usize, usize, usize))> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Records>(0);
            let db = a.db.db.clone();
            let writer = scope.spawn(move || -> Result<(usize, usize, usize)> {
                let mut store = Store::open(&db)?;
                let (mut stored, mut replaced, mut events) = (0, 0, 0);
                for records in rx {
                    let counts = store.write_batch(&records)?;
                    stored += counts.documents;
                    replaced += counts.replaced;
                    events += counts.events;
                }
                if stored > 0 {
                    // Keeps the query planner's picture of the indexes current; cheap next to coding.
                    store.analyze()?;
                }
                Ok((stored, replaced, events))
            });
            // Codes a batch and hands it to the writer; false when the writer has stopped (its error is
            // reported when it is joined).
            let flush = |batch: &mut Vec<Document>, stats: &mut Stats| -> bool {
                if batch.is_empty() {
                    return true;
                }
                let coded = crate::code_batch(&pool, &coder, batch, false);
                let mut records = Vec::with_capacity(batch.len());
                for (doc, result) in batch.iter().zip(coded) {
                    match result {
                        Some(c) => {
                            stats.events += c.events.len();
                            records.push((DocRecord::new(doc, c.sentences, &version), c.events))
                        }
                        None => {
                            bar.suspend(|| {
                                eprintln!(
                                "dyad: error: {}: internal error while coding; document skipped",
                                doc.id
                            )
                            });
                            stats.problems += 1;
                            stats.skipped += 1;
                        }
                    }
                }
                batch.clear();
                tx.send(records).is_ok()
            };

            let reader = Reader::new(&a.paths, input_format).with_text_date(text_date);
            let mut strict_stop = false;
            let mut writer_alive = true;
            for item in reader {
                match item {
                    Read::Doc(doc) => {
                        stats.read += 1;
                        stats.bytes += doc.text.len() as u64;
                        bar.inc(doc.text.len() as u64);
                        if !seen.insert(doc.id.0.clone()) {
                            bar.suspend(|| {
                            eprintln!(
                                "dyad: warning: document id {} occurs more than once; the later one replaces the earlier",
                                doc.id
                            )
                        });
                            // The earlier copy may still be in this batch: write it first so the order holds.
                            writer_alive = flush(&mut batch, &mut stats);
                            batch_bytes = 0;
                        }
                        let hash = text_hash(&doc.text);
                        if store.doc_state(&doc.id.0, &hash, &version)? == DocState::Same {
                            stats.unchanged += 1;
                        } else {
                            batch_bytes += doc.text.len();
                            batch.push(*doc);
                            if batch.len() >= a.batch_docs || batch_bytes >= crate::BATCH_BYTES {
                                writer_alive = flush(&mut batch, &mut stats);
                                batch_bytes = 0;
                            }
                        }
                        bar.set_message(format!(
                            "{} docs ({} unchanged), {} events",
                            stats.read, stats.unchanged, stats.events
                        ));
                    }
                    Read::Problem(p) => {
                        stats.problems += 1;
                        if p.skipped {
                            stats.skipped += 1;
                        }
                        let level = if p.skipped { "error" } else { "warning" };
                        bar.suspend(|| eprintln!("dyad: {level}: {p}"));
                        if a.strict {
                            strict_stop = true;
                            break;
                        }
                    }
                }
                if !writer_alive {
                    break;
                }
            }
            if writer_alive {
                flush(&mut batch, &mut stats);
            }
            drop(tx);
            let written = writer
                .join()
                .map_err(|_| anyhow::anyhow!("the store writer thread panicked"))??;
            Ok((strict_stop, written))
        },
    )?;
    bar.finish_and_clear();
    (stats.stored, stats.replaced, stats.events) = written;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "dyad: {} documents read into {}: {} coded ({} replaced), {} unchanged, {} events; {} problems ({} records skipped); {:.1} s, {:.0} documents/s, {:.1} MB/s",
        stats.read,
        a.db.db.display(),
        stats.stored,
        stats.replaced,
        stats.unchanged,
        stats.events,
        stats.problems,
        stats.skipped,
        secs,
        stats.read as f64 / secs.max(1e-9),
        stats.bytes as f64 / 1e6 / secs.max(1e-9),
    );
    if strict_stop {
        eprintln!("dyad: stopping at the first problem (--strict)");
        return Ok(ExitCode::from(1));
    }
    if stats.read == 0 {
        eprintln!("dyad: nothing could be read");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct DedupArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Match events on the full CAMEO code (`code`) or only its root (`root`).
    #[arg(long = "match", default_value = "code")]
    matching: String,
    /// Compare event dates as stated (`exact`) or cut to a `day`, `month` or `year`.
    #[arg(long, default_value = "exact")]
    date: String,
}

pub fn dedup(a: DedupArgs) -> Result<ExitCode> {
    let by_root = match a.matching.as_str() {
        "code" => false,
        "root" => true,
        m => anyhow::bail!("unknown --match {m:?} (want code or root)"),
    };
    let date =
        match a.date.as_str() {
            "exact" => None,
            d => Some(Period::parse(d).with_context(|| {
                format!("unknown --date {d:?} (want exact, day, month or year)")
            })?),
        };
    let mut store = a.db.open()?;
    let s = store.dedup(DedupRule { by_root, date })?;
    println!(
        "{} events in {} clusters ({} duplicate reports); the most reported event has {} mentions; rule: {}",
        s.events,
        s.clusters,
        s.events - s.clusters,
        s.largest,
        s.rule
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct RecodeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Only list the stale documents; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Documents per committed batch.
    #[arg(long, default_value_t = 256)]
    batch_docs: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    coder: CoderArgs,
}

/// `dyad recode`: re-codes the stored documents whose dictionary version differs from the current one
/// (the built-in dictionaries, or those given with `--dict`), from the text kept in the store. Documents
/// stored by a dyad older than schema version 3 have no stored text: they are listed, with the way to
/// refresh them (`dyad ingest` of their files re-codes stale documents), and the exit status is 1.
pub fn recode(a: RecodeArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if a.batch_docs == 0 {
        anyhow::bail!("--batch-docs must be at least 1");
    }
    let coder = a.coder.build()?;
    let version = dict_version(&a.coder)?;
    let mut store = a.db.open()?;
    let stale = store.stale_documents_with_text(&version)?;
    let (with_text, without): (Vec<_>, Vec<_>) = stale.into_iter().partition(|d| d.has_text);
    if a.dry_run {
        for d in with_text.iter().chain(&without) {
            println!(
                "{}\tcoded with {}\t{}",
                d.doc_id,
                d.dict_version,
                if d.has_text {
                    "text stored"
                } else {
                    "no stored text"
                }
            );
        }
        eprintln!(
            "dyad: {} stale documents (current dictionaries {version}): {} can be re-coded from the store, {} need their files ingested again",
            with_text.len() + without.len(),
            with_text.len(),
            without.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let pool = crate::pool(a.threads)?;
    let (mut recoded, mut events) = (0usize, 0usize);
    for chunk in with_text.chunks(a.batch_docs) {
        let mut docs = Vec::with_capacity(chunk.len());
        for d in chunk {
            // Listed a moment ago; a concurrent change may have removed it since.
            if let Some(doc) = store.document(&d.doc_id)? {
                docs.push(doc);
            }
        }
        let coded = crate::code_batch(&pool, &coder, &docs, false);
        let mut records = Vec::with_capacity(docs.len());
        for (doc, c) in docs.iter().zip(coded) {
            match c {
                Some(c) => records.push((DocRecord::new(doc, c.sentences, &version), c.events)),
                None => eprintln!(
                    "dyad: error: {}: internal error while coding; document left as it was",
                    doc.id
                ),
            }
        }
        let counts = store.write_batch(&records)?;
        recoded += counts.documents;
        events += counts.events;
    }
    if recoded > 0 {
        store.analyze()?;
    }
    eprintln!(
        "dyad: {recoded} stale documents re-coded in {} with dictionaries {version}: {events} events; {:.1} s",
        a.db.db.display(),
        started.elapsed().as_secs_f64()
    );
    if without.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "dyad: {} stale documents have no stored text (stored by a dyad before schema version 3), e.g. {}; \
         refresh them with `dyad ingest --db {} FILES...` (same --dict): ingest re-codes stale documents. \
         `dyad recode --dry-run` lists them all.",
        without.len(),
        without
            .iter()
            .take(5)
            .map(|d| d.doc_id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        a.db.db.display()
    );
    Ok(ExitCode::from(1))
}
