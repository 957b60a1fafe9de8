//! `dyad eval`: scores coded events against gold annotations, by the rules of `../shared/schema/gold.md`.
//!
//! The rules, as implemented here (each has a unit test below):
//! 1. A gold sentence's predictions are the events whose sentence span holds the byte offset of the quote.
//! 2. Only asserted predictions (neither negated nor hedged) are matched against asserted gold events: same
//!    country pair (for roots 03–06 either order) and the same quad class (quads recomputed from roots by the
//!    gold scheme 01–05/06–08/09–13/14–20). Each prediction and each gold event matches at most once.
//! 3. Gold events with an unknown side (`null` or `"---"`) are not counted; an asserted prediction that fits
//!    one of them (same quad) is neither right nor wrong.
//! 4. precision = matches / (matches + unmatched asserted predictions + modality errors); recall = matches /
//!    counted gold events.
//! 5. Root accuracy over matches; year accuracy over matched gold events with a year (a decade, marked
//!    "decade" in the note, matches any year in it); modality accuracy over negated/hedged gold events with
//!    known sides: right when no asserted prediction fits it and a flagged prediction with the same negation
//!    does. A fitting asserted prediction is a modality error.

use anyhow::{bail, Context as _, Result};
use clap::Args;
use dyad_coder::input::{Format, Read, Reader};
use dyad_coder::{Document, Event, QuadScheme};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct EvalArgs {
    /// Gold annotation files (JSONL, see gold.md).
    #[arg(long, required = true, num_args = 1..)]
    gold: Vec<PathBuf>,
    /// The documents the gold refers to (files, directories, JSONL).
    #[arg(required = true)]
    docs: Vec<PathBuf>,
    /// Score these predictions (JSONL events) instead of coding the documents.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Break the scores down: `root` or `phenomenon` (repeatable).
    #[arg(long = "by")]
    by: Vec<String>,
    /// List every miss, false positive and modality error with its sentence.
    #[arg(long)]
    errors: bool,
    /// Output format: text or json.
    #[arg(long, default_value = "text")]
    format: String,
    #[command(flatten)]
    coder: crate::CoderArgs,
}

/// One gold sentence.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSentence {
    pub doc: String,
    #[serde(default)]
    pub line: Option<usize>,
    pub quote: String,
    pub events: Vec<GoldEvent>,
}

/// One gold event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    pub source: Option<String>,
    #[serde(default)]
    pub source_text: Option<String>,
    pub target: Option<String>,
    #[serde(default)]
    pub target_text: Option<String>,
    #[serde(default)]
    pub cameo: Option<String>,
    #[serde(default)]
    pub root: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub negated: bool,
    #[serde(default)]
    pub hedged: bool,
    #[serde(default)]
    pub attributed_to: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl GoldEvent {
    fn root(&self) -> Option<u8> {
        let r = self.root.as_deref().or(self.cameo.as_deref())?;
        r.get(..2)?.parse().ok()
    }

    fn known(&self) -> bool {
        let k = |s: &Option<String>| s.as_deref().is_some_and(|c| c != "---" && !c.is_empty());
        k(&self.source) && k(&self.target)
    }

    fn asserted(&self) -> bool {
        !self.negated && !self.hedged
    }

    fn decade(&self) -> bool {
        self.note.as_deref().is_some_and(|n| n.contains("decade"))
    }
}

/// The scores, with the keys `--format json` promises.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Report {
    pub sentences: usize,
    pub gold_events: usize,
    pub counted_gold: usize,
    pub matches: usize,
    pub false_positives: usize,
    pub modality_errors: usize,
    pub neutral: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub root_right: usize,
    pub root_accuracy: f64,
    pub years_scored: usize,
    pub years_right: usize,
    pub year_accuracy: f64,
    pub modality_scored: usize,
    pub modality_right: usize,
    pub modality_accuracy: f64,
    /// Sentence-level event detection: does the sentence have an asserted event?
    pub detection_precision: f64,
    pub detection_recall: f64,
    /// Actor recognition: gold source/target mentions found (overlapping words) and coded with the right country.
    pub actors_scored: usize,
    pub actors_found: usize,
    pub actors_right: usize,
    pub actor_accuracy: f64,
    pub missing_quotes: usize,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_root: BTreeMap<String, RootScore>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_phenomenon: BTreeMap<String, PhenomenonScore>,
    #[serde(skip)]
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RootScore {
    pub gold: usize,
    pub matched: usize,
    pub root_right: usize,
    pub predicted: usize,
    pub predicted_right: usize,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct PhenomenonScore {
    /// Gold events (or, for `no-event`, sentences) with the phenomenon.
    pub items: usize,
    /// Recalled (asserted phenomena), right (negated/hedged: modality), or clean (no-event: no asserted
    /// prediction).
    pub right: usize,
    pub rate: f64,
}

/// a / b, or 0 when b is 0.
pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn quad(root: u8) -> u8 {
    QuadScheme::Gold.quad(root)
}

/// Whether a prediction fits a gold event: same pair (either order for roots 03–06) and same quad.
fn fits(p: &Event, g: &GoldEvent) -> bool {
    let (Some(groot), Some(ps), Some(pt)) = (
        g.root(),
        p.source.as_ref().and_then(|a| a.country.as_deref()),
        p.target.as_ref().and_then(|a| a.country.as_deref()),
    ) else {
        return false;
    };
    let (gs, gt) = (
        g.source.as_deref().unwrap_or(""),
        g.target.as_deref().unwrap_or(""),
    );
    let pair = (ps == gs && pt == gt) || ((3..=6).contains(&groot) && ps == gt && pt == gs);
    pair && quad(p.cameo.root()) == quad(groot)
}

fn year_right(p: &Event, g: &GoldEvent) -> bool {
    let (Some(gy), Some(py)) = (g.year, p.date.year()) else {
        return false;
    };
    let pred_decade = p.date.precision == dyad_coder::types::Precision::Decade;
    py == gy
        || (g.decade() && (gy..gy + 10).contains(&py))
        || (pred_decade && (py..py + 10).contains(&gy))
}

/// Where a gold sentence's quote starts, if the document holds it.
fn quote_offset(doc: &Document, quote: &str) -> Option<usize> {
    doc.text.find(quote)
}

/// The document a gold line names: `<doc>:<line>` when such a document exists, else `doc`.
fn doc_key<'d>(g: &GoldSentence, docs: &'d HashMap<String, Document>) -> Option<&'d Document> {
    if let Some(l) = g.line {
        if let Some(d) = docs.get(&format!("{}:{l}", g.doc)) {
            return Some(d);
        }
    }
    docs.get(&g.doc)
}

/// Scores predictions against gold sentences.
pub fn score(
    gold: &[GoldSentence],
    docs: &HashMap<String, Document>,
    predictions: &[Event],
) -> Report {
    let mut r = Report::default();
    let mut by_doc: HashMap<&str, Vec<&Event>> = HashMap::new();
    for p in predictions {
        by_doc.entry(p.doc_id.0.as_str()).or_default().push(p);
    }
    let (mut det_tp, mut det_pred, mut det_gold) = (0usize, 0usize, 0usize);
    let mut phen: BTreeMap<String, PhenomenonScore> = BTreeMap::new();
    let mut bump = |name: &str, right: bool| {
        let e = phen.entry(name.to_string()).or_default();
        e.items += 1;
        if right {
            e.right += 1;
        }
    };
    for g in gold {
        r.sentences += 1;
        r.gold_events += g.events.len();
        let Some(doc) = doc_key(g, docs) else {
            r.missing_quotes += 1;
            r.errors
                .push(format!("NO DOCUMENT {}: {:?}", g.doc, g.quote));
            continue;
        };
        let Some(offset) = quote_offset(doc, &g.quote) else {
            r.missing_quotes += 1;
            r.errors.push(format!("NO QUOTE {}: {:?}", g.doc, g.quote));
            continue;
        };
        let preds: Vec<&Event> = by_doc
            .get(doc.id.0.as_str())
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|p| p.span.contains(offset))
                    .collect()
            })
            .unwrap_or_default();
        let sentence = preds
            .first()
            .map_or_else(|| g.quote.clone(), |p| p.sentence.clone());
        let asserted: Vec<&Event> = preds.iter().copied().filter(|p| p.asserted()).collect();
        // Sentence-level detection.
        let gold_has = g.events.iter().any(|e| e.asserted());
        det_gold += usize::from(gold_has);
        det_pred += usize::from(!asserted.is_empty());
        det_tp += usize::from(gold_has && !asserted.is_empty());
        if g.events.is_empty() {
            bump("no-event", asserted.is_empty());
        }
        // Rule 2: match asserted predictions to counted, asserted gold events.
        let counted: Vec<&GoldEvent> = g.events.iter().filter(|e| e.known()).collect();
        r.counted_gold += counted.iter().filter(|e| e.asserted()).count();
        let mut gold_used = vec![false; counted.len()];
        let mut pred_state = vec![0u8; asserted.len()]; // 0 unmatched, 1 matched, 2 modality error, 3 neutral
        for (pi, p) in asserted.iter().enumerate() {
            if let Some(gi) = (0..counted.len())
                .find(|&gi| !gold_used[gi] && counted[gi].asserted() && fits(p, counted[gi]))
            {
                gold_used[gi] = true;
                pred_state[pi] = 1;
                let g = counted[gi];
                r.matches += 1;
                let groot = g.root().unwrap_or(0);
                let root_ok = p.cameo.root() == groot;
                r.root_right += usize::from(root_ok);
                let rs = r.by_root.entry(format!("{groot:02}")).or_default();
                rs.matched += 1;
                rs.root_right += usize::from(root_ok);
                if g.year.is_some() {
                    r.years_scored += 1;
                    let ok = year_right(p, g);
                    r.years_right += usize::from(ok);
                    bump("dated", ok);
                    if !ok {
                        r.errors.push(format!(
                            "YEAR {}: gold {:?}, coded {:?}\n  {sentence}",
                            doc.id, g.year, p.date.value
                        ));
                    }
                }
                if !root_ok {
                    r.errors.push(format!(
                        "ROOT {}: gold {groot:02}, coded {} ({})\n  {sentence}",
                        doc.id, p.cameo, p.trigger.text
                    ));
                }
            }
        }
        for (gi, g) in counted.iter().enumerate() {
            if g.asserted() {
                let groot = g.root().unwrap_or(0);
                r.by_root.entry(format!("{groot:02}")).or_default().gold += 1;
                if g.attributed_to.is_some() {
                    bump("attributed", gold_used[gi]);
                }
                if !gold_used[gi] {
                    r.errors.push(format!(
                        "MISS {}: {} {} {}\n  {sentence}",
                        doc.id,
                        g.source.as_deref().unwrap_or("?"),
                        g.cameo.as_deref().or(g.root.as_deref()).unwrap_or("?"),
                        g.target.as_deref().unwrap_or("?")
                    ));
                }
            }
        }
        // Modality errors and neutral predictions among the unmatched asserted ones.
        for (pi, p) in asserted.iter().enumerate() {
            if pred_state[pi] != 0 {
                continue;
            }
            if counted.iter().any(|g| !g.asserted() && fits(p, g)) {
                pred_state[pi] = 2;
                r.modality_errors += 1;
                r.errors.push(format!(
                    "MODALITY {}: coded {} as fact\n  {sentence}",
                    doc.id,
                    describe(p)
                ));
            } else if g
                .events
                .iter()
                .any(|e| !e.known() && e.root().is_some_and(|gr| quad(gr) == quad(p.cameo.root())))
            {
                pred_state[pi] = 3;
                r.neutral += 1;
            } else {
                r.false_positives += 1;
                r.errors
                    .push(format!("FALSE {}: {}\n  {sentence}", doc.id, describe(p)));
            }
            let rs = r.by_root.entry(p.cameo.root_str()).or_default();
            rs.predicted += 1;
        }
        for (pi, p) in asserted.iter().enumerate() {
            if pred_state[pi] == 1 {
                let rs = r.by_root.entry(p.cameo.root_str()).or_default();
                rs.predicted += 1;
                rs.predicted_right += 1;
            }
        }
        // Rule 5: modality over negated/hedged gold events with known sides.
        for g in counted.iter().filter(|g| !g.asserted()) {
            r.modality_scored += 1;
            let asserted_fit = asserted.iter().any(|p| fits(p, g));
            let flagged_fit = preds
                .iter()
                .any(|p| !p.asserted() && p.negated == g.negated && fits(p, g));
            let ok = !asserted_fit && flagged_fit;
            r.modality_right += usize::from(ok);
            bump(if g.negated { "negated" } else { "hedged" }, ok);
        }
        // Component: actor recognition against the gold's source and target words.
        let actors: Vec<&dyad_coder::Actor> = preds
            .iter()
            .flat_map(|p| [p.source.as_ref(), p.target.as_ref()])
            .flatten()
            .collect();
        for e in &g.events {
            for (code, text) in [(&e.source, &e.source_text), (&e.target, &e.target_text)] {
                let (Some(code), Some(text)) = (code.as_deref(), text.as_deref()) else {
                    continue;
                };
                if code == "---" || text.is_empty() {
                    continue;
                }
                r.actors_scored += 1;
                let found: Vec<&&dyad_coder::Actor> = actors
                    .iter()
                    .filter(|a| a.text.contains(text) || text.contains(a.text.as_str()))
                    .collect();
                if !found.is_empty() {
                    r.actors_found += 1;
                    if found.iter().any(|a| a.country.as_deref() == Some(code)) {
                        r.actors_right += 1;
                    }
                }
            }
        }
    }
    r.precision = ratio(r.matches, r.matches + r.false_positives + r.modality_errors);
    r.recall = ratio(r.matches, r.counted_gold);
    r.f1 = if r.precision + r.recall > 0.0 {
        2.0 * r.precision * r.recall / (r.precision + r.recall)
    } else {
        0.0
    };
    r.root_accuracy = ratio(r.root_right, r.matches);
    r.year_accuracy = ratio(r.years_right, r.years_scored);
    r.modality_accuracy = ratio(r.modality_right, r.modality_scored);
    r.detection_precision = ratio(det_tp, det_pred);
    r.detection_recall = ratio(det_tp, det_gold);
    r.actor_accuracy = ratio(r.actors_right, r.actors_scored);
    for p in phen.values_mut() {
        p.rate = ratio(p.right, p.items);
    }
    r.by_phenomenon = phen;
    r
}

fn describe(p: &Event) -> String {
    let code =
        |a: &Option<dyad_coder::Actor>| a.as_ref().map_or("-".to_string(), |a| a.code.0.clone());
    format!(
        "{} {} {} ({})",
        code(&p.source),
        p.cameo,
        code(&p.target),
        p.trigger.text
    )
}

/// Reads gold files, reporting every bad line with its file and line number.
pub fn read_gold(paths: &[PathBuf]) -> Result<Vec<GoldSentence>> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read gold file {}", path.display()))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<GoldSentence>(line) {
                Ok(g) => out.push(g),
                Err(e) => bad.push(format!("{}:{}: {e}", path.display(), i + 1)),
            }
        }
    }
    if !bad.is_empty() {
        bail!("bad gold line(s):\n  {}", bad.join("\n  "));
    }
    Ok(out)
}

pub fn run(a: EvalArgs) -> Result<ExitCode> {
    let gold = read_gold(&a.gold)?;
    let mut docs: HashMap<String, Document> = HashMap::new();
    for item in Reader::new(&a.docs, Format::Auto) {
        match item {
            Read::Doc(d) => {
                docs.insert(d.id.0.clone(), *d);
            }
            Read::Problem(p) => eprintln!("dyad: {p}"),
        }
    }
    let predictions: Vec<Event> = match &a.predictions {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    serde_json::from_str(l)
                        .with_context(|| format!("{}:{}: not an event", path.display(), i + 1))
                })
                .collect::<Result<_>>()?
        }
        None => {
            let coder = a.coder.build()?;
            let wanted: std::collections::BTreeSet<&str> = gold
                .iter()
                .filter_map(|g| doc_key(g, &docs).map(|d| d.id.0.as_str()))
                .collect();
            let mut out = Vec::new();
            for id in wanted {
                if let Some(d) = docs.get(id) {
                    out.extend(coder.code(d));
                }
            }
            out
        }
    };
    let mut report = score(&gold, &docs, &predictions);
    if !a.by.iter().any(|b| b == "root") {
        report.by_root.clear();
    }
    if !a.by.iter().any(|b| b == "phenomenon") {
        report.by_phenomenon.clear();
    }
    if let Some(b) =
        a.by.iter()
            .find(|b| !matches!(b.as_str(), "root" | "phenomenon"))
    {
        bail!("unknown --by {b:?} (want root or phenomenon)");
    }
    match a.format.as_str() {
        "json" => println!("{}", serde_json::to_string(&report)?),
        "text" => print_text(&report, a.errors),
        other => bail!("unknown --format {other:?} (want text or json)"),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(r: &Report, errors: bool) {
    println!(
        "sentences           {} ({} gold events, {} counted)",
        r.sentences, r.gold_events, r.counted_gold
    );
    println!("precision           {:.3}", r.precision);
    println!("recall              {:.3}", r.recall);
    println!("F1                  {:.3}", r.f1);
    println!(
        "  matches {}, false positives {}, modality errors {}, neutral {}",
        r.matches, r.false_positives, r.modality_errors, r.neutral
    );
    println!(
        "root accuracy       {:.3} ({}/{})",
        r.root_accuracy, r.root_right, r.matches
    );
    println!(
        "year accuracy       {:.3} ({}/{})",
        r.year_accuracy, r.years_right, r.years_scored
    );
    println!(
        "modality accuracy   {:.3} ({}/{})",
        r.modality_accuracy, r.modality_right, r.modality_scored
    );
    println!(
        "event detection     precision {:.3}, recall {:.3}",
        r.detection_precision, r.detection_recall
    );
    println!(
        "actor recognition   {:.3} right ({} of {} found, {} coded right)",
        r.actor_accuracy, r.actors_found, r.actors_scored, r.actors_right
    );
    if r.missing_quotes > 0 {
        println!(
            "MISSING             {} gold sentences whose document or quote was not found",
            r.missing_quotes
        );
    }
    if !r.by_root.is_empty() {
        println!("\nroot  gold  matched  root-right  predicted  predicted-right");
        for (root, s) in &r.by_root {
            println!(
                "{root}    {:>4}  {:>7}  {:>10}  {:>9}  {:>15}",
                s.gold, s.matched, s.root_right, s.predicted, s.predicted_right
            );
        }
    }
    if !r.by_phenomenon.is_empty() {
        println!("\nphenomenon   items  right  rate");
        for (name, s) in &r.by_phenomenon {
            println!("{name:<12} {:>5}  {:>5}  {:.3}", s.items, s.right, s.rate);
        }
    }
    if errors {
        println!();
        for e in &r.errors {
            println!("{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_coder::types::{DateBasis, EventDate, Precision, SpanText};
    use dyad_coder::{Actor, ActorCode, CameoCode, DocId, Span};

    fn actor(country: &str) -> Actor {
        Actor {
            text: country.to_string(),
            span: Span::new(0, 1),
            country: Some(country.to_string()),
            role: None,
            code: ActorCode(country.to_string()),
            name: None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn pred(
        doc: &str,
        span: (usize, usize),
        s: &str,
        code: &str,
        t: &str,
        year: Option<&str>,
        neg: bool,
        hedge: bool,
    ) -> Event {
        let cameo = CameoCode::parse(code).unwrap();
        Event {
            doc_id: DocId(doc.into()),
            event_id: String::new(),
            sentence_index: 0,
            sentence: String::new(),
            span: Span::new(span.0, span.1),
            source: Some(actor(s)),
            target: Some(actor(t)),
            cameo,
            root: cameo.root_str(),
            quad_class: 1,
            goldstein: 0.0,
            date: EventDate {
                value: year.map(str::to_string),
                precision: if year.is_some_and(|y| y.ends_with('0'))
                    && year.is_some_and(|y| y.len() == 4)
                {
                    Precision::Decade
                } else {
                    Precision::Year
                },
                basis: DateBasis::Text,
            },
            negated: neg,
            hedged: hedge,
            attribution: None,
            trigger: SpanText {
                text: "x".into(),
                span: Span::new(span.0, span.0 + 1),
            },
        }
    }

    fn gold(line: &str) -> GoldSentence {
        serde_json::from_str(line).unwrap()
    }

    fn docs() -> HashMap<String, Document> {
        let mut m = HashMap::new();
        // Sentence A: bytes 0..40, sentence B: 41..80.
        let text = format!(
            "{:<40} {:<39}",
            "Alpha sentence about Russia and Iran.", "Beta sentence about Iraq."
        );
        m.insert("d".to_string(), Document::new("d", text));
        m
    }

    #[test]
    fn symmetric_roots_match_either_order_others_do_not() {
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"RUS","target":"IRN","root":"04","cameo":"040","quad":1}]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "IRN", "042", "RUS", None, false, false)],
        );
        assert_eq!((r.matches, r.false_positives), (1, 0));
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"RUS","target":"IRN","root":"19","cameo":"190","quad":4}]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "IRN", "190", "RUS", None, false, false)],
        );
        assert_eq!((r.matches, r.false_positives), (0, 1));
        assert_eq!(r.precision, 0.0);
        assert_eq!(r.recall, 0.0);
    }

    #[test]
    fn quad_decides_and_root_accuracy_is_over_matches() {
        // 17 and 18 share quad 4: a match, with the root wrong.
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"RUS","target":"IRN","root":"18","cameo":"180","quad":4}]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "RUS", "173", "IRN", None, false, false)],
        );
        assert_eq!(r.matches, 1);
        assert_eq!(r.root_accuracy, 0.0);
        // 08 (quad 2) and 09 (quad 3 in the gold scheme) differ.
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"RUS","target":"IRN","root":"08","quad":2}]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "RUS", "090", "IRN", None, false, false)],
        );
        assert_eq!(r.matches, 0);
    }

    #[test]
    fn unknown_sides_are_not_counted_and_fitting_predictions_are_neutral() {
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"IRQ","target":"---","root":"18","quad":4},{"source":null,"target":"IRN","root":"19","quad":4}]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[
                pred("d", (0, 40), "IRQ", "190", "SYR", None, false, false),
                pred("d", (0, 40), "IRQ", "040", "SYR", None, false, false),
            ],
        );
        assert_eq!(r.counted_gold, 0);
        assert_eq!(
            r.neutral, 1,
            "the quad-4 prediction fits an unknown-side gold event"
        );
        assert_eq!(r.false_positives, 1, "the quad-1 prediction fits nothing");
    }

    #[test]
    fn modality_errors_count_against_precision() {
        let line = r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"RUS","target":"IRN","root":"19","quad":4,"negated":true}]}"#;
        let g = vec![gold(line)];
        // An asserted prediction of a negated event: a modality error, modality wrong.
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "RUS", "190", "IRN", None, false, false)],
        );
        assert_eq!(
            (r.modality_errors, r.modality_scored, r.modality_right),
            (1, 1, 0)
        );
        assert_eq!(r.precision, 0.0);
        // A negated prediction: modality right, and no precision penalty.
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "RUS", "190", "IRN", None, true, false)],
        );
        assert_eq!((r.modality_errors, r.modality_right), (0, 1));
        // Hedged instead of negated: flagged, but not the same negation.
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "RUS", "190", "IRN", None, false, true)],
        );
        assert_eq!(r.modality_right, 0);
    }

    #[test]
    fn years_and_decades() {
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"RUS","target":"IRN","root":"06","quad":2,"year":1990,"note":"decade"},{"source":"IRN","target":"IRQ","root":"19","quad":4,"year":2007}]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[
                pred(
                    "d",
                    (0, 40),
                    "RUS",
                    "060",
                    "IRN",
                    Some("1994"),
                    false,
                    false,
                ),
                pred(
                    "d",
                    (0, 40),
                    "IRN",
                    "190",
                    "IRQ",
                    Some("2008"),
                    false,
                    false,
                ),
            ],
        );
        assert_eq!((r.matches, r.years_scored, r.years_right), (2, 2, 1));
    }

    #[test]
    fn predictions_belong_to_the_sentence_holding_the_quote() {
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Beta sentence","events":[]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[pred("d", (0, 40), "RUS", "190", "IRN", None, false, false)],
        );
        assert_eq!(
            r.false_positives, 0,
            "the prediction is in another sentence"
        );
        let r = score(
            &g,
            &docs(),
            &[pred("d", (41, 80), "RUS", "190", "IRN", None, false, false)],
        );
        assert_eq!(r.false_positives, 1);
        assert_eq!(r.by_phenomenon["no-event"].right, 0);
    }

    #[test]
    fn each_prediction_and_gold_event_matches_once() {
        let g = vec![gold(
            r#"{"doc":"d","line":1,"quote":"Alpha sentence","events":[{"source":"RUS","target":"IRN","root":"19","quad":4}]}"#,
        )];
        let r = score(
            &g,
            &docs(),
            &[
                pred("d", (0, 40), "RUS", "190", "IRN", None, false, false),
                pred("d", (0, 40), "RUS", "193", "IRN", None, false, false),
            ],
        );
        assert_eq!((r.matches, r.false_positives), (1, 1));
        assert!((r.precision - 0.5).abs() < 1e-9 && (r.recall - 1.0).abs() < 1e-9);
    }
}
