//! `dyad petrarch validate` on PETRARCH's validation records with their own `PETR.Validate.*` dictionaries.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn peers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/petrarch2")
}

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("dyad runs")
}

/// `records: P passed, F failed` → (P, F).
fn closing(stdout: &str) -> (usize, usize) {
    let last = stdout.lines().last().unwrap();
    let rest = last.strip_prefix("records: ").unwrap();
    let (p, f) = rest.split_once(" passed, ").unwrap();
    let f = f.strip_suffix(" failed").unwrap();
    (p.parse().unwrap(), f.parse().unwrap())
}

#[test]
fn petrarch_unit_test_records_pass_well_beyond_petrarch2() {
    let records = peers().join("text/PETR.UnitTest.records.xml");
    let dicts = peers().join("dictionaries");
    let out = dyad(&[
        "petrarch",
        "validate",
        records.to_str().unwrap(),
        "--dicts",
        dicts.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (passed, failed) = closing(&stdout);
    assert_eq!(passed + failed, 279, "every active record is run");
    // PETRARCH2 passes 89; the issue asks for more than 140.
    assert!(passed > 140, "only {passed} passed");
    // Each failing record shows what was expected and what was coded.
    let fails: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL ")).collect();
    assert_eq!(fails.len(), failed);
    assert!(fails
        .iter()
        .all(|l| l.contains("expected ") && l.contains("; coded ")));
}

#[test]
fn bad_dictionary_lines_are_reported_and_skipped_missing_files_fail() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("petrarch-bad");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("actors.txt"),
        "ARNOR_ [ARN]\nGONDOR [GON <9901]\nMORDOR [MOR]\n",
    )
    .unwrap();
    std::fs::write(dir.join("agents.txt"), "POLICE {} [~COP]\n").unwrap();
    std::fs::write(dir.join("discards.txt"), "BASEBALL\n").unwrap();
    std::fs::write(dir.join("verbs.txt"), "--- ATTACK [190] ---\nATTACK\n").unwrap();
    let records = dir.join("records.xml");
    std::fs::write(
        &records,
        r#"<Validation><Environment><Verbfile>verbs.txt</Verbfile><Actorfile>actors.txt</Actorfile>
<Agentfile>agents.txt</Agentfile><Discardfile>discards.txt</Discardfile></Environment><Sentences>
<Sentence date="19950101" id="A-1" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="MOR" eventcode="190"></EventCoding>
<Text>Arnor attacked Mordor police.</Text></Sentence>
<Sentence date="19950101" id="A-2" category="DEMO" sentence="true">
<EventCoding noevents="True"></EventCoding>
<Text>Arnor attacked Mordor at baseball.</Text></Sentence>
</Sentences></Validation>"#,
    )
    .unwrap();
    let out = dyad(&[
        "petrarch",
        "validate",
        records.to_str().unwrap(),
        "--dicts",
        dir.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("actors.txt:2: bad date restriction"),
        "{stderr}"
    );
    assert!(stdout.contains("FAIL A-1 (DEMO, line 3): expected ARN MOR 190; coded ARN MORCOP 190"));
    assert_eq!(closing(&stdout), (1, 1));

    std::fs::remove_file(dir.join("verbs.txt")).unwrap();
    let out = dyad(&[
        "petrarch",
        "validate",
        records.to_str().unwrap(),
        "--dicts",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("verb dictionary"));
}
