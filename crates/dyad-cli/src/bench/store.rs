//! `dyad bench --store`: the corpus store's speed.
//!
//! (a) Ingest against coding: the corpus is repeated into a temporary JSONL file of at least 100 MB, then
//! `dyad code --format jsonl FILE` and `dyad ingest FILE` run on it as child processes of this binary, each
//! timed, with its peak memory sampled from /proc. The ingest must store every document and exactly the
//! events `dyad code` printed.
//!
//! (b) Queries: a store of at least `--min-events` events (1 million by default) is built by writing copies
//! of the corpus's coded documents with their event dates shifted (by whole years, and by days and months
//! within the year), or reused when `--store-db` already holds enough. Each query runs `--runs` times in
//! process; the median and the slowest run are reported. Every answer is checked against counts computed
//! independently from the coded corpus (a copy holds the same events as the corpus, dates aside).

use super::{cpu_model, peak_rss_mib, BenchArgs};
use anyhow::{bail, Context as _, Result};
use dyad_coder::input::{Format, Read, Reader};
use dyad_coder::types::Precision;
use dyad_coder::{Coder, Document, Event};
use dyad_store::{DocRecord, Filter, Period, PhaseSettings, Store};
use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// A child process's wall time and sampled peak resident memory (VmHWM, read every 5 ms).
struct Child {
    secs: f64,
    peak_mib: f64,
    stdout_lines: usize,
    stderr: String,
}

fn run_child(args: &[&str]) -> Result<Child> {
    let exe = std::env::current_exe().context("cannot find the dyad executable")?;
    let t = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start dyad")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let counter = std::thread::spawn(move || BufReader::new(stdout).lines().count());
    let stderr = child.stderr.take().context("no stderr")?;
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut s);
        s
    });
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kib = 0.0f64;
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let secs = t.elapsed().as_secs_f64();
    let stdout_lines = counter.join().unwrap_or(0);
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        bail!("dyad {} failed: {stderr}", args.join(" "));
    }
    Ok(Child {
        secs,
        peak_mib: peak_kib / 1024.0,
        stdout_lines,
        stderr,
    })
}

/// The corpus repeated into a JSONL file of at least `min_bytes` of text; returns (documents, text bytes).
fn write_corpus(base: &[Document], min_bytes: usize, path: &Path) -> Result<(usize, usize)> {
    let mut out = BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    let (mut docs, mut bytes, mut copy) = (0usize, 0usize, 0usize);
    while bytes < min_bytes {
        for d in base {
            let line = serde_json::json!({
                "id": format!("{}~{copy}", d.id.0),
                "title": d.title,
                "url": d.url,
                "date": d.date.map(|x| x.to_string()),
                "text": d.text,
            });
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
            docs += 1;
            bytes += d.text.len();
        }
        copy += 1;
    }
    out.flush()?;
    Ok((docs, bytes))
}

/// The event with its date moved for copy `k`: back `k % 40` years; days and months rotated by `k / 40`
/// (within 1..=28 and 1..=12, so every date stays valid).
fn shifted(e: &Event, k: usize, doc_id: &str) -> Event {
    let mut e = e.clone();
    if let Some(rest) = e.event_id.strip_prefix(e.doc_id.0.as_str()) {
        e.event_id = format!("{doc_id}{rest}");
    }
    e.doc_id.0 = doc_id.to_string();
    if e.date.precision == Precision::Decade {
        return e;
    }
    if let Some(v) = &e.date.value {
        let year: Option<i32> = v.get(..4).and_then(|y| y.parse().ok());
        if let Some(year) = year {
            let r = k / 40;
            let mut s = format!("{:04}", year - (k % 40) as i32);
            if let Some(m) = v.get(5..7).and_then(|m| m.parse::<usize>().ok()) {
                s.push_str(&format!("-{:02}", (m - 1 + r) % 12 + 1));
                if let Some(d) = v.get(8..10).and_then(|d| d.parse::<usize>().ok()) {
                    s.push_str(&format!("-{:02}", (d - 1 + r * 7 + k) % 28 + 1));
                }
            }
            e.date.value = Some(s);
        }
    }
    e
}

fn country(a: &Option<dyad_coder::Actor>) -> Option<&str> {
    a.as_ref()
        .map(|a| a.country.as_deref().unwrap_or(a.code.0.as_str()))
}

/// Whether an actor argument (a country or code, as `Store::resolve_actor` reads it) covers this actor.
fn covers(arg: &str, a: &Option<dyad_coder::Actor>) -> bool {
    a.as_ref()
        .is_some_and(|a| a.code.0 == arg || a.country.as_deref() == Some(arg))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs `f` `runs` times; returns (median ms, slowest ms, the last answer).
fn time<T>(runs: usize, mut f: impl FnMut() -> Result<T>) -> Result<(f64, f64, T)> {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(f()?);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let max = times.iter().copied().fold(0.0, f64::max);
    Ok((median(times), max, last.context("no run")?))
}

pub fn run(a: &BenchArgs) -> Result<ExitCode> {
    let coder = a.coder.build()?;
    let mut base: Vec<Document> = Vec::new();
    for r in Reader::new(&a.paths, Format::Auto) {
        match r {
            Read::Doc(d) => base.push(*d),
            Read::Problem(p) => eprintln!("dyad: {p}"),
        }
    }
    if base.iter().all(|d| d.text.is_empty()) {
        bail!("no text to benchmark");
    }
    println!(
        "machine      {} ({} cores available)",
        cpu_model(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let dir = std::env::temp_dir().join(format!("dyad-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = ingest_vs_code(a, &base, &dir).and_then(|()| queries(a, &coder, &base));
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    Ok(ExitCode::SUCCESS)
}

fn ingest_vs_code(a: &BenchArgs, base: &[Document], dir: &Path) -> Result<()> {
    let input = dir.join("news.jsonl");
    let min_mb = a.min_mb.max(100);
    let (docs, bytes) = write_corpus(base, min_mb << 20, &input)?;
    let mb = bytes as f64 / (1u64 << 20) as f64;
    println!(
        "ingest input {docs} documents, {mb:.1} MB of text in {}",
        input.display()
    );
    let inp = input.to_str().context("temporary path is not UTF-8")?;
    let mut threads = Vec::new();
    if let Some(t) = a.threads {
        threads = vec!["--threads".to_string(), t.to_string()];
    }
    let threads: Vec<&str> = threads.iter().map(String::as_str).collect();
    let mut code_args = vec!["code", "--format", "jsonl", inp];
    code_args.extend(&threads);
    let code = run_child(&code_args)?;
    let db = dir.join("ingest.db");
    let dbs = db.to_str().context("temporary path is not UTF-8")?;
    let mut ingest_args = vec!["ingest", "--quiet", "--db", dbs, inp];
    ingest_args.extend(&threads);
    let ingest = run_child(&ingest_args)?;
    // Checks: every document stored, exactly the events `dyad code` printed.
    let counts = Store::open_existing(&db)?.counts()?;
    if counts.documents != docs as u64 {
        bail!(
            "ingest stored {} documents of {docs}: {}",
            counts.documents,
            ingest.stderr
        );
    }
    if counts.events != code.stdout_lines as u64 {
        bail!(
            "ingest stored {} events, dyad code printed {}",
            counts.events,
            code.stdout_lines
        );
    }
    let db_mb = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / (1u64 << 20) as f64;
    for (name, c) in [("dyad code  ", &code), ("dyad ingest", &ingest)] {
        println!(
            "{name}  {:>7.0} documents/s  {:>6.2} MB/s  peak {:>4.0} MiB  ({:.2} s)",
            docs as f64 / c.secs,
            mb / c.secs,
            c.peak_mib,
            c.secs
        );
    }
    println!(
        "ingest/code  {:.2}x the time of `dyad code` ({} events; store file {db_mb:.0} MiB, texts included)",
        ingest.secs / code.secs,
        counts.events
    );
    Ok(())
}

fn queries(a: &BenchArgs, coder: &Coder, base: &[Document]) -> Result<()> {
    // The corpus coded once: each copy in the store holds these events, dates shifted.
    let coded: Vec<(&Document, usize, Vec<Event>)> = base
        .iter()
        .map(|d| {
            let mut ev = Vec::new();
            let s = coder.code_into(d, &mut dyad_coder::Scratch::default(), &mut ev);
            (d, s.sentences, ev)
        })
        .filter(|(_, _, ev)| !ev.is_empty())
        .collect();
    let per_copy: usize = coded.iter().map(|c| c.2.len()).sum();
    if per_copy == 0 {
        bail!("the corpus codes no events");
    }
    let db = a
        .store_db
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("dyad-bench-1m.db"));
    let mut store = Store::open(&db)?;
    let mut counts = store.counts()?;
    let fits = counts.documents % coded.len() as u64 == 0
        && counts.events == counts.documents / coded.len() as u64 * per_copy as u64;
    if counts.events < a.min_events || !fits {
        if counts.documents > 0 {
            drop(store);
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
            }
            store = Store::open(&db)?;
        }
        let copies = (a.min_events as usize).div_ceil(per_copy);
        let t = Instant::now();
        let version = "bench";
        for k in 0..copies {
            let batch: Vec<(DocRecord, Vec<Event>)> = coded
                .iter()
                .map(|(d, sentences, ev)| {
                    let id = format!("{}~{k}", d.id.0);
                    let mut rec = DocRecord::new(d, *sentences, version);
                    rec.doc_id.clone_from(&id);
                    rec.text_snappy = None;
                    (rec, ev.iter().map(|e| shifted(e, k, &id)).collect())
                })
                .collect();
            store.write_batch(&batch)?;
        }
        store.analyze()?;
        counts = store.counts()?;
        println!(
            "store built  {} events in {} documents ({copies} copies of the corpus's {} coded documents, dates shifted) in {:.1} s: {}",
            counts.events,
            counts.documents,
            coded.len(),
            t.elapsed().as_secs_f64(),
            db.display()
        );
    } else {
        println!(
            "store reused {} events in {} documents: {}",
            counts.events,
            counts.documents,
            db.display()
        );
    }
    let copies = counts.documents / coded.len() as u64;
    // The busiest country pair of the corpus (either direction).
    let mut pairs: HashMap<(String, String), usize> = HashMap::new();
    for e in coded.iter().flat_map(|c| &c.2) {
        if let (Some(s), Some(t)) = (country(&e.source), country(&e.target)) {
            if s != t {
                let key = if s < t { (s, t) } else { (t, s) };
                *pairs
                    .entry((key.0.to_string(), key.1.to_string()))
                    .or_default() += 1;
            }
        }
    }
    let ((da, db_), _) = pairs
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
        .context("the corpus has no dyad")?;
    let (da, db_) = (da.as_str(), db_.as_str());
    let is_dyad = |e: &Event| {
        (covers(da, &e.source) && covers(db_, &e.target))
            || (covers(db_, &e.source) && covers(da, &e.target))
    };
    let dyad_events: Vec<&Event> = coded
        .iter()
        .flat_map(|c| &c.2)
        .filter(|e| is_dyad(e))
        .collect();
    let expect_dyad = dyad_events.len() as u64 * copies;
    let expect_dated = dyad_events
        .iter()
        .filter(|e| e.date.value.is_some())
        .count() as u64
        * copies;
    let runs = a.runs;
    println!(
        "queries      dyad {da}-{db_} ({expect_dyad} events); median and slowest of {runs} runs, in process"
    );
    let report = |name: &str, med: f64, max: f64, what: String| {
        println!("  {name:<28} {med:>8.1} ms  (slowest {max:.1} ms)  {what}");
    };
    for (name, by) in [
        ("dyad A B --by year", Period::Year),
        ("dyad A B --by month", Period::Month),
    ] {
        let (med, max, (rows, unplaced)) =
            time(runs, || Ok(store.dyad_series(da, db_, by, false)?))?;
        let placed: u64 = rows
            .iter()
            .filter(|r| r.direction == "both")
            .map(|r| r.events())
            .sum();
        if placed + unplaced != expect_dyad {
            bail!("{name}: {placed} placed + {unplaced} unplaced events, expected {expect_dyad}");
        }
        report(name, med, max, format!("{} periods", rows.len() / 3));
    }
    let (med, max, phases) = time(runs, || {
        Ok(store.phases(da, db_, PhaseSettings::default())?)
    })?;
    let (series, _) = store.dyad_series(da, db_, Period::Year, true)?;
    let in_series: u64 = series
        .iter()
        .filter(|r| r.direction == "both")
        .map(|r| r.cooperation() + r.conflict())
        .sum();
    let in_phases: u64 = phases.iter().map(|p| p.cooperation + p.conflict).sum();
    if phases.is_empty() || in_phases != in_series {
        bail!(
            "phases: {} phases covering {in_phases} events, the series has {in_series}",
            phases.len()
        );
    }
    report("phases A B", med, max, format!("{} phases", phases.len()));
    let f = Filter {
        dyad: Some((da.to_string(), db_.to_string())),
        ..Filter::default()
    };
    let (med, max, n) = time(runs, || Ok(store.count_events(&f)?))?;
    if n != expect_dyad {
        bail!("count of events --dyad: {n}, expected {expect_dyad}");
    }
    report("events --dyad (count)", med, max, format!("{n} events"));
    let limited = Filter {
        limit: Some(100),
        ..f.clone()
    };
    let (med, max, ev) = time(runs, || Ok(store.events(&limited)?))?;
    if ev.len() as u64 != expect_dyad.min(100) || !ev.iter().all(|e| is_dyad(&e.event)) {
        bail!(
            "events --dyad --limit 100: {} events, or not of the dyad",
            ev.len()
        );
    }
    report(
        "events --dyad --limit 100",
        med,
        max,
        format!("{} events", ev.len()),
    );
    let (med, max, ev) = time(runs, || Ok(store.events(&f)?))?;
    if ev.len() as u64 != expect_dyad {
        bail!("events --dyad: {} events, expected {expect_dyad}", ev.len());
    }
    report(
        "events --dyad (all)",
        med,
        max,
        format!("{} events with sentences", ev.len()),
    );
    let (med, max, ev) = time(runs, || Ok(store.timeline(da, Some(db_), false)?))?;
    if ev.len() as u64 != expect_dated
        || ev
            .windows(2)
            .any(|w| w[0].event.date.value > w[1].event.date.value)
    {
        bail!(
            "timeline: {} events (expected {expect_dated}), or out of order",
            ev.len()
        );
    }
    report(
        "timeline A B (all)",
        med,
        max,
        format!("{} dated events", ev.len()),
    );
    let (med, max, net) = time(runs, || Ok(store.network(None, None, 1, true, false)?))?;
    let t = Instant::now();
    let scan = store.network_scan(None, None, 1, true, false)?;
    let scan_ms = t.elapsed().as_secs_f64() * 1e3;
    let same = net.len() == scan.len()
        && net.iter().zip(&scan).all(|(x, y)| {
            (&x.source, &x.target, x.cooperation, x.conflict)
                == (&y.source, &y.target, y.cooperation, y.conflict)
                && (x.goldstein_sum - y.goldstein_sum).abs() < 1e-6 * x.goldstein_sum.abs().max(1.0)
        });
    if !same || net.is_empty() {
        bail!("network: the aggregate disagrees with a scan of the events");
    }
    report(
        "network",
        med,
        max,
        format!(
            "{} edges (a scan of every event: {scan_ms:.0} ms)",
            net.len()
        ),
    );
    let (med, max, net) = time(runs, || {
        Ok(store.network(Some("2000"), Some("2009"), 2, true, true)?)
    })?;
    let scan = store.network_scan(Some("2000"), Some("2009"), 2, true, true)?;
    if net.len() != scan.len() {
        bail!(
            "network --since 2000 --until 2009: {} edges, a scan finds {}",
            net.len(),
            scan.len()
        );
    }
    report(
        "network 2000-2009 --min 2",
        med,
        max,
        format!("{} edges", net.len()),
    );
    if let Some(p) = peak_rss_mib() {
        println!("peak memory  {p:.0} MiB (this process: corpus, coded events, query answers)");
    }
    Ok(())
}
