//! `dyad export`: stored events to JSONL or CSV (the event schema), Parquet, GDELT 2.0 event TSV, and the
//! actor network to GraphML.
//!
//! Every export is written to `FILE.partial` beside the target and renamed over it only when complete, so a
//! failure (a full disk, a bad filter) never leaves a half-written file under the name asked for.

use crate::output;
use crate::query_cmd::{FilterArgs, NetworkArgs};
use crate::store_cmd::DbArgs;
use anyhow::{Context as _, Result};
use clap::Args;
use dyad_coder::{Actor, Event};
use dyad_store::{NetworkEdge, StoredEvent};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// jsonl, csv, parquet, gdelt (GDELT 2.0 event TSV) or graphml (the actor network).
    #[arg(long)]
    format: String,
    /// The file to write.
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    filter: FilterArgs,
    /// GraphML only: pairs with at least this many events.
    #[arg(long, default_value_t = 1)]
    min: u64,
    /// GraphML only: nodes are full actor codes rather than countries.
    #[arg(long)]
    codes: bool,
}

/// The 61 columns of a GDELT 2.0 event record, in order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// A file written under a temporary name and renamed into place by [`Partial::commit`]; dropped
/// uncommitted, it is removed.
struct Partial {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Partial {
    fn new(target: &Path) -> Partial {
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        Partial {
            tmp: target.with_file_name(name),
            target: target.to_path_buf(),
            done: false,
        }
    }

    fn create(&self) -> Result<BufWriter<File>> {
        let f = File::create(&self.tmp)
            .with_context(|| format!("cannot create {}", self.tmp.display()))?;
        Ok(BufWriter::new(f))
    }

    fn commit(mut self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.target).with_context(|| {
            format!(
                "cannot rename {} to {}",
                self.tmp.display(),
                self.target.display()
            )
        })?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

pub fn run(a: ExportArgs) -> Result<ExitCode> {
    let store = a.db.open()?;
    let filter = a.filter.filter();
    let partial = Partial::new(&a.output);
    let mut n = 0u64;
    match a.format.as_str() {
        "jsonl" | "csv" => {
            let format = if a.format == "csv" {
                output::Format::Csv
            } else {
                output::Format::Jsonl
            };
            let mut file = partial.create()?;
            {
                let mut w = output::Writer::new(&mut file, format);
                let mut failed = None;
                store.for_each_event(&filter, "e.id", |e| {
                    n += 1;
                    if failed.is_none() {
                        failed = w.write(&e.event).err();
                    }
                    Ok(())
                })?;
                if let Some(err) = failed {
                    return Err(err.context(format!("cannot write {}", a.output.display())));
                }
                w.finish()?;
            }
            finish_file(file, &a.output)?;
        }
        "gdelt" => {
            let mut file = partial.create()?;
            let mut failed = None;
            store.for_each_event(&filter, "e.id", |e| {
                n += 1;
                if failed.is_none() {
                    failed = write_gdelt(&mut file, &e).err();
                }
                Ok(())
            })?;
            if let Some(err) = failed {
                return Err(
                    anyhow::Error::new(err).context(format!("cannot write {}", a.output.display()))
                );
            }
            finish_file(file, &a.output)?;
        }
        "parquet" => {
            let mut w = dyad_parquet::Writer::create(&partial.tmp)?;
            let mut failed = None;
            store.for_each_event(&filter, "e.id", |e| {
                n += 1;
                if failed.is_none() {
                    failed = w.push(&e.event).err();
                }
                Ok(())
            })?;
            if let Some(err) = failed {
                return Err(err.into());
            }
            w.finish()?;
        }
        "graphml" => {
            let net = NetworkArgs {
                db: a.db.clone(),
                since: a.filter.filter().since,
                until: a.filter.filter().until,
                min: a.min,
                codes: a.codes,
                all: !a.filter.filter().asserted,
            };
            let edges = net.edges()?;
            n = edges.len() as u64;
            let mut file = partial.create()?;
            write_graphml(&mut file, &edges)?;
            finish_file(file, &a.output)?;
        }
        f => anyhow::bail!("unknown --format {f:?} (want jsonl, csv, parquet, gdelt or graphml)"),
    }
    partial.commit()?;
    let what = if a.format == "graphml" {
        "edges"
    } else {
        "events"
    };
    eprintln!("dyad: {n} {what} written to {}", a.output.display());
    Ok(ExitCode::SUCCESS)
}

fn finish_file(file: BufWriter<File>, path: &Path) -> Result<()> {
    let f = file
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// GDELT's fields must not contain tabs or newlines.
fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn actor_fields(a: &Option<Actor>) -> [String; 10] {
    let mut f: [String; 10] = Default::default();
    if let Some(a) = a {
        f[0] = clean(&a.code.0);
        f[1] = clean(&a.name.clone().unwrap_or_else(|| a.text.to_uppercase()));
        f[2] = clean(a.country.as_deref().unwrap_or(""));
        f[6] = clean(a.role.as_deref().unwrap_or(""));
    }
    f
}

/// One event as a GDELT 2.0 event record (61 tab-separated columns, no header). dyad's dates keep their
/// precision: SQLDATE is YYYYMMDD with 00 for an unknown month or day (`20070000` is "in 2007"); fields
/// dyad does not know (tone, geography, groups, religions) are empty. NumMentions and NumSources come from
/// `dyad dedup`'s clusters (1 before it has run); NumArticles is the cluster's distinct documents.
fn write_gdelt(out: &mut impl Write, e: &StoredEvent) -> io::Result<()> {
    let ev: &Event = &e.event;
    let v = ev.date.value.as_deref().unwrap_or("");
    let (y, m, d) = (
        v.get(..4).unwrap_or(""),
        v.get(5..7).unwrap_or("00"),
        v.get(8..10).unwrap_or("00"),
    );
    let (sqldate, monthyear, year, fraction) = if y.is_empty() {
        Default::default()
    } else {
        let month: f64 = m.parse().unwrap_or(0.0);
        let day: f64 = d.parse().unwrap_or(0.0);
        let frac = y.parse::<f64>().unwrap_or(0.0)
            + ((month - 1.0).max(0.0) * 30.4375 + (day - 1.0).max(0.0)) / 365.25;
        (
            format!("{y}{m}{d}"),
            format!("{y}{m}"),
            y.to_string(),
            format!("{frac:.4}"),
        )
    };
    let code = ev.cameo.as_str();
    let dateadded = e
        .pub_date
        .as_deref()
        .map(|p| format!("{}000000", p.replace('-', "")))
        .unwrap_or_default();
    let mut f: Vec<String> = Vec::with_capacity(61);
    f.extend([e.id.to_string(), sqldate, monthyear, year, fraction]);
    f.extend(actor_fields(&ev.source));
    f.extend(actor_fields(&ev.target));
    f.extend([
        u8::from(ev.sentence_index == 0).to_string(),
        code.to_string(),
        code.get(..3).unwrap_or(code).to_string(),
        ev.root.clone(),
        ev.quad_class.to_string(),
        format!("{:.1}", ev.goldstein),
        e.mentions.unwrap_or(1).to_string(),
        e.sources.unwrap_or(1).to_string(),
        e.sources.unwrap_or(1).to_string(),
        String::new(),
    ]);
    f.extend(std::iter::repeat_n(String::new(), 24));
    f.extend([dateadded, clean(e.url.as_deref().unwrap_or(&ev.doc_id.0))]);
    debug_assert_eq!(f.len(), GDELT_COLUMNS.len());
    writeln!(out, "{}", f.join("\t"))
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The actor network as GraphML: nodes are actors, directed edges carry cooperation and conflict counts
/// and the Goldstein sum.
pub fn write_graphml(out: &mut impl Write, edges: &[NetworkEdge]) -> Result<()> {
    let mut nodes: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for e in edges {
        for n in [&e.source, &e.target] {
            let entry = nodes.entry(n.as_str()).or_default();
            entry.0 += e.cooperation;
            entry.1 += e.conflict;
        }
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, for_, name, ty) in [
        ("cooperation", "edge", "cooperation", "long"),
        ("conflict", "edge", "conflict", "long"),
        ("weight", "edge", "weight", "long"),
        ("goldstein", "edge", "goldstein_sum", "double"),
        ("n_cooperation", "node", "cooperation", "long"),
        ("n_conflict", "node", "conflict", "long"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="{for_}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="dyad" edgedefault="directed">"#)?;
    for (n, (coop, conf)) in &nodes {
        writeln!(
            out,
            r#"    <node id="{}"><data key="n_cooperation">{coop}</data><data key="n_conflict">{conf}</data></node>"#,
            xml(n)
        )?;
    }
    for e in edges {
        writeln!(
            out,
            r#"    <edge source="{}" target="{}"><data key="cooperation">{}</data><data key="conflict">{}</data><data key="weight">{}</data><data key="goldstein">{:.3}</data></edge>"#,
            xml(&e.source),
            xml(&e.target),
            e.cooperation,
            e.conflict,
            e.cooperation + e.conflict,
            e.goldstein_sum
        )?;
    }
    writeln!(out, "  </graph>\n</graphml>")?;
    Ok(())
}
