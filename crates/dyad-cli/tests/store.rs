//! The store through the `dyad` binary: ingest (resume after SIGKILL, skip unchanged), queries over the
//! seed article, exports read back by an independent reader (pyarrow), charts, and bad input.

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn seed() -> String {
    shared()
        .join("seed/russia-iran-relations.txt")
        .display()
        .to_string()
}

fn corpus() -> Vec<String> {
    ["corpus/news.jsonl", "corpus/voa.jsonl"]
        .iter()
        .map(|p| shared().join(p).display().to_string())
        .collect()
}

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("dyad runs")
}

fn ok(args: &[&str]) -> String {
    let o = dyad(args);
    assert!(
        o.status.success(),
        "dyad {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ingest(db: &Path, inputs: &[String]) -> String {
    let mut args = vec!["ingest", "--db", db.to_str().unwrap()];
    args.extend(inputs.iter().map(String::as_str));
    let o = dyad(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stderr).unwrap()
}

/// Every stored event as JSON, sorted: the store's content, comparable across runs.
fn stored(db: &Path) -> Vec<Value> {
    let out = ok(&["events", "--db", db.to_str().unwrap(), "--format", "jsonl"]);
    let mut v: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    v.sort_by_key(|e| (e["doc_id"].to_string(), e["event_id"].to_string()));
    v
}

/// The seed article plus the corpus in one store, made once per test that needs it.
fn seeded(name: &str) -> PathBuf {
    let db = tmp(name).join("dyad.db");
    let mut inputs = vec![seed()];
    inputs.extend(corpus());
    ingest(&db, &inputs);
    db
}

#[test]
fn stored_events_are_exactly_what_dyad_code_prints() {
    let db = tmp("same-as-code").join("dyad.db");
    let mut inputs = vec![seed()];
    inputs.extend(corpus());
    ingest(&db, &inputs);
    let mut args = vec!["code", "--format", "jsonl"];
    args.extend(inputs.iter().map(String::as_str));
    let mut coded: Vec<Value> = ok(&args)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    coded.sort_by_key(|e| (e["doc_id"].to_string(), e["event_id"].to_string()));
    let stored = stored(&db);
    assert!(stored.len() > 300, "only {} events", stored.len());
    assert_eq!(stored.len(), coded.len());
    for (s, c) in stored.iter().zip(&coded) {
        assert_eq!(s, c);
    }
}

#[test]
fn a_rerun_skips_unchanged_documents_and_recodes_changed_ones() {
    let dir = tmp("rerun");
    let db = dir.join("dyad.db");
    let doc = dir.join("a.txt");
    std::fs::write(&doc, "In 2007, Vladimir Putin visited Iran.").unwrap();
    let first = ingest(&db, &[doc.display().to_string()]);
    assert!(
        first.contains("1 coded (0 replaced), 0 unchanged"),
        "{first}"
    );
    let second = ingest(&db, &[doc.display().to_string()]);
    assert!(
        second.contains("0 coded (0 replaced), 1 unchanged"),
        "{second}"
    );
    std::fs::write(&doc, "In 2009, Russia joined the sanctions against Iran.").unwrap();
    let third = ingest(&db, &[doc.display().to_string()]);
    assert!(
        third.contains("1 coded (1 replaced), 0 unchanged"),
        "{third}"
    );
    let events = stored(&db);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["cameo"], "163");
    // Other dictionaries make the stored coding stale: it is re-coded.
    let dict = dir.join("cues.tsv");
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/cues.tsv"))
            .unwrap();
    std::fs::write(&dict, builtin + "\n").unwrap();
    let o = dyad(&[
        "ingest",
        "--db",
        db.to_str().unwrap(),
        "--dict",
        dict.to_str().unwrap(),
        doc.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("1 coded (1 replaced)"), "{err}");
}

#[test]
fn an_ingest_killed_midway_resumes_to_the_rows_of_an_uninterrupted_run() {
    let dir = tmp("sigkill");
    // A corpus big enough that the kill lands mid-ingest: the shared corpus 25 times, with distinct ids.
    let input = dir.join("big.jsonl");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        for copy in 0..25 {
            for path in corpus() {
                for line in std::fs::read_to_string(path).unwrap().lines() {
                    let mut rec: Value = serde_json::from_str(line).unwrap();
                    let id = format!("{}#{copy}", rec["id"].as_str().unwrap());
                    rec["id"] = Value::String(id);
                    writeln!(out, "{rec}").unwrap();
                }
            }
        }
    }
    let total_docs = 25 * 361;
    let input = input.display().to_string();

    let whole = dir.join("whole.db");
    ingest(&whole, std::slice::from_ref(&input));

    let killed = dir.join("killed.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args([
            "ingest",
            "--db",
            killed.to_str().unwrap(),
            "--batch-docs",
            "20",
            &input,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first committed batches, then SIGKILL (what Child::kill sends on Unix).
    let start = Instant::now();
    let at_kill = loop {
        if let Ok(store) = dyad_store::Store::open_existing(&killed) {
            if let Ok(c) = store.counts() {
                if c.documents >= 200 {
                    child.kill().unwrap();
                    break c.documents;
                }
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the ingest finished before it could be killed"
        );
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    };
    let status = child.wait().unwrap();
    assert!(!status.success(), "the process was killed");
    let after_kill = dyad_store::Store::open_existing(&killed)
        .unwrap()
        .counts()
        .unwrap();
    assert!(
        after_kill.documents < total_docs,
        "killed midway: {} of {total_docs} documents stored",
        after_kill.documents
    );
    assert!(after_kill.documents >= at_kill);
    assert_eq!(
        after_kill.documents % 20,
        0,
        "only whole batches are stored"
    );

    let rerun = ingest(&killed, std::slice::from_ref(&input));
    assert!(
        rerun.contains(&format!("{} unchanged", after_kill.documents)),
        "the rerun skips what was committed: {rerun}"
    );
    let (a, b) = (stored(&whole), stored(&killed));
    assert_eq!(a.len(), b.len());
    assert!(a == b, "same events as the uninterrupted run");
    let keys: BTreeSet<(String, String)> = b
        .iter()
        .map(|e| (e["doc_id"].to_string(), e["event_id"].to_string()))
        .collect();
    assert_eq!(keys.len(), b.len(), "no event stored twice");
    let (ca, cb) = (
        dyad_store::Store::open_existing(&whole)
            .unwrap()
            .counts()
            .unwrap(),
        dyad_store::Store::open_existing(&killed)
            .unwrap()
            .counts()
            .unwrap(),
    );
    assert_eq!(ca, cb);
    assert_eq!(cb.documents, total_docs);
}

#[test]
fn the_seed_timeline_runs_in_year_order_and_phases_find_the_turns() {
    let db = seeded("seed-queries");
    let db = db.to_str().unwrap();
    let out = ok(&["timeline", "RUS", "IRN", "--db", db, "--format", "jsonl"]);
    let events: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|e: &Value| e["doc_id"] == "russia-iran-relations.txt")
        .collect();
    let years: Vec<String> = events
        .iter()
        .map(|e| e["date"]["value"].as_str().unwrap()[..4].to_string())
        .collect();
    let mut sorted = years.clone();
    sorted.sort();
    assert_eq!(years, sorted, "in date order");
    assert_eq!(years.first().map(String::as_str), Some("1990"));
    assert_eq!(years.last().map(String::as_str), Some("2022"));
    for y in ["1996", "2007", "2009", "2010"] {
        assert!(years.iter().any(|x| x == y), "{y} missing from {years:?}");
    }
    // The table shows the decade as such.
    let table = ok(&["timeline", "RUS", "IRN", "--db", db]);
    assert!(
        table.contains("1990s") && table.contains("decade"),
        "{table}"
    );

    // The turns the article describes: cooperation in the 1990s, the 1996 treaties undermining relations,
    // Putin's 2007 visit, the sanctions of 2009–2010, and the cooperation that followed.
    let out = ok(&["phases", "RUS", "IRN", "--db", db, "--format", "jsonl"]);
    let phases: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let labels: Vec<(&str, &str)> = phases
        .iter()
        .map(|p| (p["first"].as_str().unwrap(), p["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        labels[..4],
        [
            ("1990", "cooperative"),
            ("1996", "hostile"),
            ("2007", "cooperative"),
            ("2009", "hostile")
        ],
        "{labels:?}"
    );
    assert_eq!(labels[4].1, "cooperative", "{labels:?}");
    assert_eq!(phases[3]["opening"][0]["cameo"], "163");

    // The dyad series: both directions and combined, per year.
    let out = ok(&["dyad", "RUS", "IRN", "--db", db, "--format", "csv"]);
    assert!(
        out.contains("2009,RUS>IRN,0,0,0,1,1,-8.000,-8.000"),
        "{out}"
    );
    assert!(out.contains("2009,both,0,0,0,1,1,-8.000,-8.000"), "{out}");
    let months = ok(&["dyad", "RUS", "IRN", "--db", db, "--by", "month"]);
    assert!(
        !months.contains("\n2009 "),
        "year-only dates are not months"
    );
}

#[test]
fn events_filters_and_evidence() {
    let db = seeded("events-filters");
    let db = db.to_str().unwrap();
    let out = ok(&[
        "events", "--db", db, "--dyad", "IRN", "RUS", "--code", "163", "--format", "table",
    ]);
    assert!(
        out.contains("*joined the sanctions*"),
        "trigger marked: {out}"
    );
    assert!(out.contains("[Moscow]"), "source marked: {out}");
    let count = |args: &[&str]| -> usize {
        let mut a = vec!["events", "--db", db, "--format", "jsonl"];
        a.extend(args);
        ok(&a).lines().count()
    };
    let all = count(&[]);
    assert!(count(&["--actor", "RUS"]) < all);
    assert!(count(&["--since", "2009", "--until", "2010", "--actor", "IRN"]) >= 2);
    assert_eq!(
        count(&["--quad", "4", "--source", "IRN", "--target", "RUS"]),
        0
    );
    assert!(count(&["--text", "fordow"]) >= 1);
    assert!(count(&["--asserted"]) < all);
    assert_eq!(count(&["--limit", "3"]), 3);
    assert!(count(&["--root", "16"]) >= 3);
}

#[test]
fn exports_are_read_back_by_pyarrow() {
    let db = seeded("exports");
    let dir = db.parent().unwrap().to_path_buf();
    let dbs = db.to_str().unwrap();
    ok(&["dedup", "--db", dbs]);
    let parquet = dir.join("events.parquet");
    let gdelt = dir.join("events.tsv");
    for (fmt, path) in [("parquet", &parquet), ("gdelt", &gdelt)] {
        let o = dyad(&[
            "export",
            "--db",
            dbs,
            "--format",
            fmt,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let events = stored(&db);
    let script = r#"
import json, sys
try:
    import pyarrow.parquet as pq
    import pyarrow.csv as pc
    import pyarrow as pa
except ImportError as e:
    print("PYARROW-MISSING", e)
    sys.exit(3)
t = pq.read_table(sys.argv[1])
cols = t.column_names
g = pc.read_csv(sys.argv[2],
    read_options=pc.ReadOptions(autogenerate_column_names=True),
    parse_options=pc.ParseOptions(delimiter="\t", quote_char=False),
    convert_options=pc.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(61)}))
print(json.dumps({
    "rows": t.num_rows,
    "columns": cols,
    "doc_id": t.column("doc_id").to_pylist(),
    "event_id": t.column("event_id").to_pylist(),
    "cameo": t.column("cameo").to_pylist(),
    "goldstein": t.column("goldstein").to_pylist(),
    "date": t.column("date").to_pylist(),
    "source_code": t.column("source_code").to_pylist(),
    "gdelt_rows": g.num_rows,
    "gdelt_columns": g.num_columns,
    "gdelt_code": g.column("f26").to_pylist(),
    "gdelt_actor1": g.column("f5").to_pylist(),
    "gdelt_goldstein": g.column("f30").to_pylist(),
    "gdelt_mentions": g.column("f31").to_pylist(),
}))
"#;
    // The independent reader comes from PyPI: install it when it is missing, so that `cargo test` alone
    // sets up what the tests need.
    let have = Command::new("python3")
        .args(["-c", "import pyarrow"])
        .status()
        .expect("python3 runs");
    if !have.success() {
        let pip = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "pyarrow"])
            .status()
            .expect("pip runs");
        assert!(pip.success(), "could not install pyarrow from PyPI");
    }
    let o = Command::new("python3")
        .args([
            "-c",
            script,
            parquet.to_str().unwrap(),
            gdelt.to_str().unwrap(),
        ])
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        !stdout.contains("PYARROW-MISSING"),
        "pyarrow is not importable even after installing it: {stdout}"
    );
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r: Value = serde_json::from_str(&stdout).unwrap();
    let n = events.len();
    assert_eq!(r["rows"], n);
    assert_eq!(r["gdelt_rows"], n);
    assert_eq!(r["gdelt_columns"], 61);
    assert!(r["columns"].as_array().unwrap().len() >= 30);
    // Exports are in storage order; compare as sorted (doc, event) pairs with the store's values.
    let mut rows: Vec<Value> = (0..n)
        .map(|i| {
            let mut row = serde_json::Map::new();
            for k in [
                "doc_id",
                "event_id",
                "cameo",
                "goldstein",
                "date",
                "source_code",
                "gdelt_code",
                "gdelt_actor1",
                "gdelt_goldstein",
            ] {
                row.insert(k.to_string(), r[k][i].clone());
            }
            Value::Object(row)
        })
        .collect();
    rows.sort_by_key(|x| (x["doc_id"].to_string(), x["event_id"].to_string()));
    for (row, e) in rows.iter().zip(&events) {
        assert_eq!(row["doc_id"], e["doc_id"]);
        assert_eq!(row["event_id"], e["event_id"]);
        assert_eq!(row["cameo"], e["cameo"], "leading zeros kept");
        assert_eq!(row["goldstein"].as_f64(), e["goldstein"].as_f64());
        assert_eq!(row["date"], e["date"]["value"]);
        assert_eq!(row["source_code"], e["source"]["code"]);
        assert_eq!(row["gdelt_code"], e["cameo"]);
        assert_eq!(
            row["gdelt_actor1"].as_str().unwrap_or(""),
            e["source"]["code"].as_str().unwrap_or("")
        );
        assert_eq!(
            row["gdelt_goldstein"].as_str().unwrap(),
            format!("{:.1}", e["goldstein"].as_f64().unwrap())
        );
    }
    let mentions: u64 = r["gdelt_mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().parse::<u64>().unwrap())
        .max()
        .unwrap();
    assert!(mentions >= 1);
}

#[test]
fn csv_jsonl_and_graphml_exports() {
    let db = seeded("exports-text");
    let dir = db.parent().unwrap().to_path_buf();
    let dbs = db.to_str().unwrap();
    let n = stored(&db).len();
    let csv = dir.join("e.csv");
    let jsonl = dir.join("e.jsonl");
    let graphml = dir.join("net.graphml");
    ok(&[
        "export",
        "--db",
        dbs,
        "--format",
        "csv",
        "-o",
        csv.to_str().unwrap(),
    ]);
    ok(&[
        "export",
        "--db",
        dbs,
        "--format",
        "jsonl",
        "-o",
        jsonl.to_str().unwrap(),
    ]);
    ok(&[
        "export",
        "--db",
        dbs,
        "--format",
        "graphml",
        "-o",
        graphml.to_str().unwrap(),
    ]);
    let mut r = csv::Reader::from_path(&csv).unwrap();
    assert_eq!(r.records().count(), n);
    assert_eq!(std::fs::read_to_string(&jsonl).unwrap().lines().count(), n);
    let g = std::fs::read_to_string(&graphml).unwrap();
    assert!(g.contains(r#"<edge source="RUS" target="IRN">"#), "{g}");
    assert!(g.trim_end().ends_with("</graphml>"));
    assert!(!dir.join("e.csv.partial").exists());
    // A filter error leaves no file behind.
    let bad = dir.join("bad.jsonl");
    let o = dyad(&[
        "export",
        "--db",
        dbs,
        "--format",
        "jsonl",
        "--actor",
        "XYZ",
        "-o",
        bad.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(!bad.exists() && !dir.join("bad.jsonl.partial").exists());
    let net = ok(&["network", "--db", dbs, "--min", "2", "--format", "csv"]);
    assert!(net.lines().count() > 1, "{net}");
}

#[test]
fn charts_render_as_svg_and_png() {
    let db = seeded("charts");
    let dir = db.parent().unwrap().to_path_buf();
    let dbs = db.to_str().unwrap();
    let svg = dir.join("rus-irn.svg");
    let png = dir.join("rus-irn.png");
    ok(&[
        "plot",
        "dyad",
        "RUS",
        "IRN",
        "--db",
        dbs,
        "-o",
        svg.to_str().unwrap(),
    ]);
    ok(&[
        "plot",
        "dyad",
        "RUS",
        "IRN",
        "--db",
        dbs,
        "-o",
        png.to_str().unwrap(),
    ]);
    let s = std::fs::read_to_string(&svg).unwrap();
    assert!(s.starts_with("<svg"), "{}", &s[..100.min(s.len())]);
    for text in [
        "RUS – IRN",
        "verbal cooperation",
        "material conflict",
        "mean Goldstein",
        "hostile",
    ] {
        assert!(s.contains(text), "{text} missing from the SVG");
    }
    let p = std::fs::read(&png).unwrap();
    assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
    let (w, h) = (
        u32::from_be_bytes(p[16..20].try_into().unwrap()),
        u32::from_be_bytes(p[20..24].try_into().unwrap()),
    );
    assert_eq!((w, h), (1000, 600));
    let net = dir.join("net.png");
    ok(&[
        "plot",
        "network",
        "--db",
        dbs,
        "--min",
        "2",
        "-o",
        net.to_str().unwrap(),
    ]);
    assert!(std::fs::metadata(&net).unwrap().len() > 1000);
    let o = dyad(&["plot", "dyad", "RUS", "IRN", "--db", dbs, "-o", "chart.gif"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains(".svg or .png"));
}

#[test]
fn bad_input_gives_clear_messages() {
    let dir = tmp("bad-input");
    let db = dir.join("dyad.db");
    let dbs = db.to_str().unwrap();
    // A query before any ingest.
    let o = dyad(&["events", "--db", dbs]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no dyad database here"));
    // An unreadable input file: reported, nothing stored, exit 2.
    let missing = dir.join("missing.txt");
    let o = dyad(&["ingest", "--db", dbs, missing.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("missing.txt"), "{err}");
    // An unknown actor code.
    ingest(&db, &[seed()]);
    let o = dyad(&["timeline", "XYZ", "--db", dbs]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("unknown actor code \"XYZ\""), "{err}");
    let o = dyad(&["dyad", "RUS", "IRQ", "--db", dbs]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("known codes starting IR: IRN"));
    let o = dyad(&["events", "--db", dbs, "--since", "May 2010"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a date"));
    // A corrupt database file.
    let corrupt = dir.join("corrupt.db");
    std::fs::write(&corrupt, vec![0x5a; 8192]).unwrap();
    for args in [
        vec!["events", "--db", corrupt.to_str().unwrap()],
        vec!["ingest", "--db", corrupt.to_str().unwrap(), &seed()],
    ] {
        let o = dyad(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("not a dyad database, or the file is corrupt"),
            "{err}"
        );
    }
}

#[test]
fn recode_applies_new_dictionaries_to_stored_documents() {
    let dir = tmp("recode");
    let db = dir.join("dyad.db");
    let dbs = db.to_str().unwrap();
    let mut inputs = vec![seed()];
    inputs.extend(corpus());
    ingest(&db, &inputs);
    let before = stored(&db);
    // A dictionary change: "visit" now codes 043 instead of 042.
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/events.tsv"),
    )
    .unwrap();
    assert!(builtin.contains("042\tverb\tvisit\t-"));
    let dict = dir.join("events.tsv");
    std::fs::write(
        &dict,
        builtin.replace("042\tverb\tvisit\t-", "043\tverb\tvisit\t-"),
    )
    .unwrap();
    let dicts = dict.to_str().unwrap();
    // Nothing is stale under the dictionaries the store was made with.
    let o = dyad(&["recode", "--db", dbs, "--dry-run"]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
    // Under the new ones every document is, and each can be re-coded from its stored text.
    let listed = ok(&["recode", "--db", dbs, "--dict", dicts, "--dry-run"]);
    let docs = ok(&["events", "--db", dbs, "--format", "jsonl"]);
    assert!(listed.lines().count() >= 2, "{listed}");
    assert!(
        listed.lines().all(|l| l.ends_with("text stored")),
        "{listed}"
    );
    assert_eq!(stored(&db), before, "--dry-run changes nothing");
    let o = dyad(&["recode", "--db", dbs, "--dict", dicts]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "{} stale documents re-coded",
            listed.lines().count()
        )),
        "{err}"
    );
    // The store now holds exactly what a fresh ingest with the new dictionaries holds.
    let fresh = dir.join("fresh.db");
    let mut args = vec!["ingest", "--db", fresh.to_str().unwrap(), "--dict", dicts];
    args.extend(inputs.iter().map(String::as_str));
    ok(&args);
    let after = stored(&db);
    assert_eq!(after, stored(&fresh));
    assert_ne!(after, before);
    assert!(after.iter().any(|e| e["cameo"] == "043"
        && e["trigger"]["text"]
            .as_str()
            .unwrap_or("")
            .starts_with("visit")));
    assert!(!docs.is_empty());
    // A second recode finds nothing stale; an ingest of the same files finds everything unchanged.
    let o = dyad(&["recode", "--db", dbs, "--dict", dicts]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("0 stale documents re-coded"));
    // A document stored without its text (as by a dyad before schema 3) is named, with the way out.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "DELETE FROM texts WHERE doc = (SELECT min(id) FROM documents)",
            [],
        )
        .unwrap();
    }
    let o = dyad(&["recode", "--db", dbs]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("1 stale documents have no stored text"),
        "{err}"
    );
    assert!(err.contains("dyad ingest"), "{err}");
}
