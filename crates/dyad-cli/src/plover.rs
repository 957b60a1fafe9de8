//! Scoring on the PLOVER gold-standard records made from the CAMEO codebook's examples.
//!
//! Each record is one sentence with one gold event: a PLOVER type (mapped to its CAMEO root), source and
//! target actor lists. Reported: how often an asserted event is found, root-code accuracy on the sentences
//! where one is found, and dyad precision and recall on country codes (organisation codes such as IGO or
//! NGO are unknown sides and not counted; for roots 03-06 either order matches).

use crate::eval::ratio;
use anyhow::{Context as _, Result};
use clap::Args;
use dyad_coder::{Document, Event};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct PloverArgs {
    /// The records file (PLOVER_GSR_CAMEO.json).
    path: PathBuf,
    /// List every sentence whose root or dyad is wrong.
    #[arg(long)]
    errors: bool,
    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    coder: crate::CoderArgs,
}

/// PLOVER 0.5 event types and the CAMEO root each stands for.
pub fn root_of(event: &str) -> Option<u8> {
    Some(match event {
        "AGREE" => 3,
        "CONSULT" => 4,
        "SUPPORT" => 5,
        "COOPERATE" => 6,
        "AID" => 7,
        "CONCEDE" | "RETREAT" => 8,
        "INVESTIGATE" => 9,
        "DEMAND" => 10,
        "DISAPPROVE" => 11,
        "REJECT" => 12,
        "THREATEN" => 13,
        "PROTEST" => 14,
        "MOBILIZE" => 15,
        "SANCTION" => 16,
        "COERCE" => 17,
        "ASSAULT" => 18,
        "FIGHT" => 19,
        _ => return None,
    })
}

fn countries(v: Option<&Value>) -> Vec<String> {
    let list: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => vec![],
    };
    list.iter()
        .filter_map(|a| a.get("code")?.as_str())
        .map(|c| if c == "JAP" { "JPN" } else { c })
        .filter(|c| c.len() == 3 && !matches!(*c, "IGO" | "NGO" | "---" | "MNC" | "UNO"))
        .map(str::to_string)
        .collect()
}

#[derive(Debug, Default, serde::Serialize)]
pub struct Scores {
    pub sentences: usize,
    pub found: usize,
    pub root_right: usize,
    pub root_accuracy: f64,
    pub gold_dyads: usize,
    pub dyads_recalled: usize,
    pub predictions_scored: usize,
    pub predictions_right: usize,
    pub dyad_precision: f64,
    pub dyad_recall: f64,
}

pub fn run(a: PloverArgs) -> Result<ExitCode> {
    let coder = a.coder.build()?;
    let text = std::fs::read_to_string(&a.path)
        .with_context(|| format!("cannot read {}", a.path.display()))?;
    let records: Vec<Value> = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a JSON array", a.path.display()))?;
    let mut s = Scores::default();
    let mut by_root: BTreeMap<u8, (usize, usize, usize)> = BTreeMap::new();
    for r in &records {
        let (Some(sentence), Some(root)) = (
            r.get("text").and_then(Value::as_str),
            r.get("event").and_then(Value::as_str).and_then(root_of),
        ) else {
            continue;
        };
        let id = r.get("id").and_then(Value::as_str).unwrap_or("?");
        s.sentences += 1;
        let events: Vec<Event> = coder
            .code(&Document::new(id, sentence))
            .into_iter()
            .filter(Event::asserted)
            .collect();
        let sources = countries(r.get("source"));
        let targets = countries(r.get("target"));
        let gold: Vec<(String, String)> = sources
            .iter()
            .flat_map(|x| targets.iter().map(move |y| (x.clone(), y.clone())))
            .filter(|(x, y)| x != y)
            .collect();
        let pair = |e: &Event| {
            (
                e.source
                    .as_ref()
                    .and_then(|a| a.country.clone())
                    .unwrap_or_default(),
                e.target
                    .as_ref()
                    .and_then(|a| a.country.clone())
                    .unwrap_or_default(),
            )
        };
        let fits = |e: &Event| {
            let (x, y) = pair(e);
            gold.iter().any(|(gx, gy)| {
                (gx == &x && gy == &y) || ((3..=6).contains(&root) && gx == &y && gy == &x)
            })
        };
        let entry = by_root.entry(root).or_default();
        entry.0 += 1;
        if !events.is_empty() {
            s.found += 1;
            entry.1 += 1;
            let primary = events.iter().find(|e| fits(e)).unwrap_or(&events[0]);
            let right = primary.cameo.root() == root;
            if right {
                s.root_right += 1;
                entry.2 += 1;
            }
            if a.errors && !right {
                println!(
                    "ROOT {id}: gold {root:02}, coded {} ({})\n  {sentence}",
                    primary.cameo, primary.trigger.text
                );
            }
        } else if a.errors {
            println!("MISS {id}: gold {root:02}\n  {sentence}");
        }
        if !gold.is_empty() {
            s.gold_dyads += 1;
            if events.iter().any(&fits) {
                s.dyads_recalled += 1;
            }
            s.predictions_scored += events.len();
            s.predictions_right += events.iter().filter(|e| fits(e)).count();
        }
    }
    s.root_accuracy = ratio(s.root_right, s.found);
    s.dyad_precision = ratio(s.predictions_right, s.predictions_scored);
    s.dyad_recall = ratio(s.dyads_recalled, s.gold_dyads);
    if a.json {
        println!("{}", serde_json::to_string(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("sentences                 {}", s.sentences);
    println!(
        "with an asserted event    {} ({:.3})",
        s.found,
        ratio(s.found, s.sentences)
    );
    println!(
        "root accuracy (found)     {:.3} ({}/{})",
        s.root_accuracy, s.root_right, s.found
    );
    println!(
        "dyad precision            {:.3} ({}/{})",
        s.dyad_precision, s.predictions_right, s.predictions_scored
    );
    println!(
        "dyad recall               {:.3} ({}/{})",
        s.dyad_recall, s.dyads_recalled, s.gold_dyads
    );
    println!("\nroot  sentences  found  root right");
    for (root, (n, f, r)) in by_root {
        println!("{root:02}    {n:>9}  {f:>5}  {r:>10}");
    }
    Ok(ExitCode::SUCCESS)
}
