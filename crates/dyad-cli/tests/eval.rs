//! The gold standard and `dyad eval`: the gold files are sound, an independent scorer agrees with ours,
//! and held-out F1 has not regressed below the recorded figure.

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus() -> PathBuf {
    root().join("../shared/corpus")
}

fn gold_files(split: &str) -> Vec<String> {
    let dir = root().join("gold").join(split);
    let mut v: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn eval_json(extra: &[&str], split: &str) -> Value {
    let mut args = vec![
        "eval".to_string(),
        "--format".into(),
        "json".into(),
        "--gold".into(),
    ];
    args.extend(gold_files(split));
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push("--".into());
    args.push(corpus().to_string_lossy().into_owned());
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn gold_standard_is_sound() {
    let mut sentences = 0;
    let mut empty = 0;
    let mut roots = std::collections::BTreeSet::new();
    let (mut negated, mut hedged, mut attributed, mut dated) = (0, 0, 0, 0);
    for split in ["dev", "heldout"] {
        for f in gold_files(split) {
            for line in std::fs::read_to_string(&f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                let g: Value = serde_json::from_str(line).unwrap();
                sentences += 1;
                let events = g["events"].as_array().unwrap();
                empty += usize::from(events.is_empty());
                for e in events {
                    roots.insert(e["root"].as_str().unwrap().to_string());
                    negated += usize::from(e["negated"] == true);
                    hedged += usize::from(e["hedged"] == true);
                    attributed += usize::from(!e["attributed_to"].is_null());
                    dated += usize::from(!e["year"].is_null());
                }
            }
        }
    }
    assert!(sentences >= 300, "{sentences} gold sentences");
    assert!(
        empty * 4 >= sentences,
        "{empty} of {sentences} without events"
    );
    assert_eq!(roots.len(), 20, "roots covered: {roots:?}");
    assert!(negated > 0 && hedged > 0 && attributed > 0 && dated > 0);
    // Every quote is found in its document.
    for split in ["dev", "heldout"] {
        assert_eq!(eval_json(&[], split)["missing_quotes"], 0, "{split}");
    }
}

#[test]
fn independent_scorer_agrees() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("eval_agree");
    std::fs::create_dir_all(&dir).unwrap();
    let preds = dir.join("predictions.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["code", "--format", "jsonl"])
        .arg(corpus())
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(&preds, &out.stdout).unwrap();
    let selftest = Command::new("python3")
        .arg(root().join("scripts/score_gold.py"))
        .arg("--self-test")
        .output()
        .expect("python3 runs");
    assert!(
        selftest.status.success(),
        "{}",
        String::from_utf8_lossy(&selftest.stderr)
    );
    for split in ["dev", "heldout"] {
        let ours = eval_json(&["--predictions", preds.to_str().unwrap()], split);
        let mut py = Command::new("python3");
        py.arg(root().join("scripts/score_gold.py"))
            .arg("--skip-unresolved")
            .arg("--gold");
        py.args(gold_files(split))
            .arg("--docs")
            .arg(corpus())
            .arg("--predictions")
            .arg(&preds);
        let out = py.output().expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();
        for key in [
            "precision",
            "recall",
            "f1",
            "root_accuracy",
            "year_accuracy",
            "modality_accuracy",
            "matches",
            "false_positives",
            "modality_errors",
            "neutral",
            "counted_gold",
        ] {
            let (a, b) = (ours[key].as_f64().unwrap(), theirs[key].as_f64().unwrap());
            assert!(
                (a - b).abs() < 1e-9,
                "{split} {key}: dyad {a}, reference {b}"
            );
        }
    }
}

#[test]
fn heldout_f1_has_not_regressed() {
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("gold/recorded.json")).unwrap())
            .unwrap();
    let floor = recorded["heldout_f1"].as_f64().unwrap() - 0.02;
    let f1 = eval_json(&[], "heldout")["f1"].as_f64().unwrap();
    assert!(
        f1 >= floor,
        "held-out F1 {f1:.3} fell below the recorded figure minus 0.02 ({floor:.3})"
    );
}
