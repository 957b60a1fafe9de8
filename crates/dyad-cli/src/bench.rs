//! `dyad bench`: coding speed and memory over real text, single-threaded and on all cores.
//!
//! The corpus is read once and repeated until it reaches `--min-mb`; both runs must produce the same number
//! of events, so a fast but broken change does not pass unnoticed. `--store` measures the corpus store
//! instead (see `bench/store.rs`).

mod store;

use anyhow::{bail, Result};
use clap::Args;
use dyad_coder::input::{Format, Read, Reader};
use dyad_coder::{Document, Scratch};
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args)]
pub struct BenchArgs {
    /// Input files or directories (text or JSONL).
    #[arg(default_value = "../shared/corpus")]
    paths: Vec<PathBuf>,
    /// Repeat the input until it holds at least this many megabytes.
    #[arg(long, default_value_t = 50)]
    min_mb: usize,
    /// Threads for the parallel run (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Measure the store instead: ingest against `dyad code` on at least 100 MB, and queries on a store
    /// of at least --min-events events.
    #[arg(long)]
    store: bool,
    /// With --store: the query store, reused when it already holds the benchmark's events (default: a
    /// file in the temporary directory).
    #[arg(long, requires = "store")]
    store_db: Option<PathBuf>,
    /// With --store: events in the query store.
    #[arg(long, default_value_t = 1_000_000, requires = "store")]
    min_events: u64,
    /// With --store: runs of each query (the median is reported).
    #[arg(long, default_value_t = 7, requires = "store")]
    runs: usize,
    #[command(flatten)]
    coder: crate::CoderArgs,
}

/// Peak resident memory of this process in MiB (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub(crate) fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

pub fn run(a: BenchArgs) -> Result<ExitCode> {
    if a.store {
        return store::run(&a);
    }
    let t0 = Instant::now();
    let coder = a.coder.build()?;
    let build = t0.elapsed();
    let mut base: Vec<Document> = Vec::new();
    for r in Reader::new(&a.paths, Format::Auto) {
        match r {
            Read::Doc(d) => base.push(*d),
            Read::Problem(p) => eprintln!("dyad: {p}"),
        }
    }
    let base_bytes: usize = base.iter().map(|d| d.text.len()).sum();
    if base_bytes == 0 {
        bail!("no text to benchmark");
    }
    let mut docs = Vec::new();
    let mut bytes = 0;
    let mut copy = 0;
    while bytes < a.min_mb << 20 {
        for d in &base {
            let mut d = d.clone();
            d.id.0 = format!("{}~{copy}", d.id.0);
            bytes += d.text.len();
            docs.push(d);
        }
        copy += 1;
    }
    let mb = bytes as f64 / (1u64 << 20) as f64;
    // Single thread.
    let t = Instant::now();
    let mut scratch = Scratch::default();
    let mut events = Vec::new();
    let (mut sentences, mut n_events) = (0usize, 0usize);
    for d in &docs {
        events.clear();
        let s = coder.code_into(d, &mut scratch, &mut events);
        sentences += s.sentences;
        n_events += s.events;
    }
    let single = t.elapsed().as_secs_f64();
    // All cores.
    let pool = crate::pool(a.threads)?;
    let threads = pool.current_num_threads();
    let t = Instant::now();
    let (s2, e2) = pool.install(|| {
        docs.par_iter()
            .map_init(
                || (Scratch::default(), Vec::new()),
                |(scratch, events), d| {
                    events.clear();
                    let s = coder.code_into(d, scratch, events);
                    (s.sentences, s.events)
                },
            )
            .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1))
    });
    let multi = t.elapsed().as_secs_f64();
    if (s2, e2) != (sentences, n_events) {
        bail!("parallel run disagrees: {s2} sentences, {e2} events vs {sentences}, {n_events}");
    }
    println!(
        "machine      {} ({} cores available)",
        cpu_model(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "input        {} documents, {:.1} MB ({} copies of {:.2} MB), {} sentences, {} events",
        docs.len(),
        mb,
        copy,
        base_bytes as f64 / (1u64 << 20) as f64,
        sentences,
        n_events
    );
    println!("coder build  {:.3} s", build.as_secs_f64());
    println!(
        "1 thread     {:>9.0} sentences/s  {:>6.2} MB/s  ({:.2} s)",
        sentences as f64 / single,
        mb / single,
        single
    );
    println!(
        "{threads} threads    {:>9.0} sentences/s  {:>6.2} MB/s  ({:.2} s, {:.2}x)",
        sentences as f64 / multi,
        mb / multi,
        multi,
        single / multi
    );
    if let Some(p) = peak_rss_mib() {
        println!(
            "peak memory  {p:.0} MiB (includes the {mb:.0} MB corpus held in memory for timing)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
