//! End-to-end tests of the `dyad` binary: output contract, formats, and bad input.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("dyad runs")
}

fn dyad_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dyad runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn jsonl_output_validates_against_the_event_schema() {
    let schema_path = shared().join("schema/event.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("schema readable"))
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let seed = shared().join("seed/russia-iran-relations.txt");
    let voa = shared().join("corpus/voa.jsonl");
    let out = dyad(&[
        "code",
        "--format",
        "jsonl",
        seed.to_str().unwrap(),
        voa.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let events = lines(&out);
    assert!(events.len() > 50, "only {} events", events.len());
    for e in &events {
        let errors: Vec<String> = validator
            .iter_errors(e)
            .map(|err| err.to_string())
            .collect();
        assert!(errors.is_empty(), "{e}\n{errors:?}");
    }
    // Publication dates of the VOA stories anchor their events; the plain-text seed has none.
    assert!(events.iter().any(|e| e["date"]["basis"] == "publication"));
    assert!(events.iter().any(|e| e["date"]["precision"] == "decade"));
}

#[test]
fn example_runs_and_formats_agree() {
    let jsonl = dyad(&["code", "--example", "--format", "jsonl"]);
    assert!(jsonl.status.success(), "{}", stderr(&jsonl));
    let n = lines(&jsonl).len();
    assert!(n >= 5);
    let csv_out = dyad(&["code", "--example", "--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(&csv_out.stdout[..]);
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "doc_id");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), n, "csv and jsonl carry the same events");
    let table = dyad(&["code", "--example", "--format", "table"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.starts_with("DATE"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.contains(" 042 ")).count(),
        1,
        "{text}"
    );
}

#[test]
fn bad_input_is_reported_counted_and_the_rest_is_coded() {
    let dir = tmp("bad_input");
    std::fs::write(
        dir.join("a_good.txt"),
        "In 2007, Vladimir Putin visited Iran.\n",
    )
    .unwrap();
    std::fs::write(dir.join("b_empty.txt"), "").unwrap();
    std::fs::write(dir.join("c_binary.txt"), b"\x00\x01\x02ELF\x00").unwrap();
    std::fs::write(
        dir.join("d_latin1.txt"),
        b"Caf\xe9 talk.\nIsrael attacked Syria in 2019.\n",
    )
    .unwrap();
    let jsonl = [
        r#"{"id":"ok1","text":"Russia imposed sanctions on Ukraine.","date":"2022-03-01"}"#,
        r#"{"id":"broken","text": "#,
        r#"{"text":"no id here"}"#,
        r#"{"id":"noText"}"#,
        r#"{"id":7,"text":"wrong id type"}"#,
        r#"{"id":"badtext","text":["not","a","string"]}"#,
        r#"["an","array"]"#,
        "",
        r#"{"id":"ok2","text":"Iran condemned Israel on Tuesday.","date":"2024-10-02","title":5}"#,
    ]
    .join("\n");
    std::fs::write(dir.join("e_records.jsonl"), jsonl).unwrap();
    let out = dyad(&["code", "--format", "jsonl", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(
        out.status.success(),
        "problems do not fail the run without --strict: {err}"
    );
    let events = lines(&out);
    let docs: std::collections::BTreeSet<String> = events
        .iter()
        .map(|e| e["doc_id"].as_str().unwrap().to_string())
        .collect();
    for d in ["a_good.txt", "d_latin1.txt", "ok1", "ok2"] {
        assert!(docs.contains(d), "{d} was not coded: {docs:?}\n{err}");
    }
    for needle in [
        "b_empty.txt: empty file",
        "c_binary.txt: binary file",
        "d_latin1.txt:1: invalid UTF-8",
        "e_records.jsonl:2: invalid JSON",
        "e_records.jsonl:3: missing field `id`",
        "e_records.jsonl:4: missing field `text`",
        "e_records.jsonl:5: field `id` must be a string",
        "e_records.jsonl:6: field `text` must be a string",
        "e_records.jsonl:7: expected a JSON object",
        "e_records.jsonl:9: field `title` must be a string",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    assert!(err.contains("4 documents"), "{err}");
    assert!(err.contains("10 problems (8 records skipped)"), "{err}");
    // --strict turns the first problem into a failure.
    let strict = dyad(&[
        "code",
        "--strict",
        "--format",
        "jsonl",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn nothing_readable_exits_2() {
    let out = dyad(&["code", "/nonexistent/dyad/input.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/dyad/input.txt: cannot open"));
    let bad = dyad(&["code", "--format", "xml", "--example"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown --format"));
}

#[test]
fn stdin_text_and_jsonl() {
    let text = dyad_stdin(
        &["code", "--format", "jsonl", "--date", "2019-01-09"],
        b"Israel attacked Syria on Tuesday.",
    );
    let ev = lines(&text);
    assert_eq!(ev.len(), 1, "{}", stderr(&text));
    assert_eq!(ev[0]["doc_id"], "stdin");
    assert_eq!(ev[0]["date"]["value"], "2019-01-08");
    let jsonl = dyad_stdin(
        &["code", "--format", "jsonl"],
        br#"{"id":"x","text":"Israel attacked Syria."}"#,
    );
    assert_eq!(lines(&jsonl)[0]["doc_id"], "x");
}

#[test]
fn fifty_megabyte_single_line_documents() {
    let dir = tmp("huge");
    let sentence = "In 2014, Russia annexed Crimea and Ukraine condemned Russia, officials said; ";
    let mut text = String::with_capacity(51 << 20);
    while text.len() < 50 << 20 {
        text.push_str(sentence);
    }
    std::fs::write(dir.join("huge.txt"), &text).unwrap();
    let record = serde_json::json!({"id": "huge", "text": text});
    std::fs::write(dir.join("huge.jsonl"), format!("{record}\n")).unwrap();
    for file in ["huge.txt", "huge.jsonl"] {
        let out = dyad(&["code", "--format", "csv", dir.join(file).to_str().unwrap()]);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains("1 documents"), "{}", stderr(&out));
        assert!(out.stdout.len() > 1000);
    }
}

#[test]
fn user_dictionaries_check_lookup_and_override() {
    let dir = tmp("dicts");
    // A groups file with two bad lines and one good one.
    let bad = dir.join("groups.tsv");
    std::fs::write(&bad, "Ruritanian Liberation Front\tXXX\tREB\tname\nRLF\tRUR\tREB\n\nGood Group\tFRA\tREB\tname\n").unwrap();
    let out = dyad(&["dict", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("groups.tsv:2: expected 4 tab-separated fields"),
        "{text}"
    );
    let good = dir.join("events.tsv");
    std::fs::write(&good, "# mine\n042\tverb\tpop over to\t-\n").unwrap();
    let ok = dyad(&["dict", "check", good.to_str().unwrap()]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    // Lookup explains with file and line, and codes a person by the date.
    let look = dyad(&[
        "dict",
        "lookup",
        "Putin visited Iran",
        "--date",
        "2010-03-01",
    ]);
    let text = String::from_utf8_lossy(&look.stdout);
    assert!(text.contains("data/actors/people.tsv:"), "{text}");
    assert!(text.contains("in office on that date"), "{text}");
    assert!(text.contains("codes as: RUSGOV 042 IRN"), "{text}");
    // --dict replaces the built-in file of the same name: only the user's pattern is known now.
    let input = dir.join("in.txt");
    std::fs::write(
        &input,
        "Russia popped over to Iran in 2019. Russia visited Iran in 2019.\n",
    )
    .unwrap();
    let out = dyad(&[
        "code",
        "--format",
        "jsonl",
        "--dict",
        good.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    let ev = lines(&out);
    assert_eq!(ev.len(), 1, "{}", stderr(&out));
    assert_eq!(ev[0]["trigger"]["text"], "popped over to");
}

#[test]
fn unknown_names_and_phrases_are_listed_with_counts() {
    let dir = tmp("unknown");
    let input = dir.join("in.txt");
    std::fs::write(
        &input,
        "The Ruritanian Liberation Front attacked Syria. Zorblax Industries praised Syria. \
         The Ruritanian Liberation Front fled.\n\nRussia hornswoggled Iran.\n",
    )
    .unwrap();
    let tsv = dir.join("unknown.tsv");
    let out = dyad(&[
        "code",
        "--format",
        "jsonl",
        "--unknown",
        tsv.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&tsv).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0], vec!["kind", "count", "phrase", "example"]);
    assert!(
        rows.contains(&vec!["actor", "2", "Ruritanian Liberation Front", "in.txt"]),
        "{text}"
    );
    assert!(
        rows.contains(&vec!["actor", "1", "Zorblax Industries", "in.txt"]),
        "{text}"
    );
    assert!(
        rows.contains(&vec!["event", "1", "hornswoggled", "in.txt"]),
        "{text}"
    );
}
