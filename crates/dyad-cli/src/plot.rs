//! `dyad plot dyad A B -o file.svg|png` and `dyad plot network -o file.svg|png`.

use crate::query_cmd::{parse_period, NetworkArgs};
use crate::store_cmd::DbArgs;
use anyhow::Result;
use clap::{Args, Subcommand};
use dyad_plot::{NetworkChart, SeriesChart};
use dyad_store::PhaseSettings;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct PlotArgs {
    #[command(subcommand)]
    what: PlotWhat,
}

#[derive(Subcommand)]
enum PlotWhat {
    /// A dyad's series: quad-class bars, the mean Goldstein line, phase boundaries.
    Dyad(PlotDyadArgs),
    /// The actor network.
    Network(PlotNetworkArgs),
}

#[derive(Args)]
struct PlotDyadArgs {
    a: String,
    b: String,
    #[command(flatten)]
    db: DbArgs,
    /// Period: year, month or day.
    #[arg(long, default_value = "year")]
    by: String,
    /// The chart file (.svg or .png).
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(Args)]
struct PlotNetworkArgs {
    #[command(flatten)]
    net: NetworkArgs,
    /// At most this many actors (the busiest).
    #[arg(long, default_value_t = 30)]
    top: usize,
    /// The chart file (.svg or .png).
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(a: PlotArgs) -> Result<ExitCode> {
    match a.what {
        PlotWhat::Dyad(a) => plot_dyad(a),
        PlotWhat::Network(a) => plot_network(a),
    }
}

fn plot_dyad(a: PlotDyadArgs) -> Result<ExitCode> {
    let store = a.db.open()?;
    let by = parse_period(&a.by)?;
    let (rows, _) = store.dyad_series(&a.a, &a.b, by, true)?;
    let both: Vec<_> = rows.iter().filter(|r| r.direction == "both").collect();
    let phases = store.phases(
        &a.a,
        &a.b,
        PhaseSettings {
            period: by,
            ..PhaseSettings::default()
        },
    )?;
    let periods: Vec<String> = both.iter().map(|r| r.period.clone()).collect();
    let chart = SeriesChart {
        title: format!(
            "{} – {}: events per {} (asserted, both directions)",
            a.a.to_ascii_uppercase(),
            a.b.to_ascii_uppercase(),
            a.by
        ),
        quads: both.iter().map(|r| r.quads).collect(),
        goldstein: both.iter().map(|r| r.goldstein_mean()).collect(),
        phases: phases
            .iter()
            .filter_map(|p| {
                periods
                    .iter()
                    .position(|x| *x == p.first)
                    .map(|i| (i, p.label.as_str().to_string()))
            })
            .collect(),
        periods,
    };
    dyad_plot::render_series(&chart, &a.output)?;
    eprintln!("dyad: chart written to {}", a.output.display());
    Ok(ExitCode::SUCCESS)
}

fn plot_network(a: PlotNetworkArgs) -> Result<ExitCode> {
    let edges = a.net.edges()?;
    // The busiest actors by events on their edges.
    let mut weight: BTreeMap<&str, u64> = BTreeMap::new();
    for e in &edges {
        *weight.entry(&e.source).or_default() += e.cooperation + e.conflict;
        *weight.entry(&e.target).or_default() += e.cooperation + e.conflict;
    }
    let mut nodes: Vec<(&str, u64)> = weight.into_iter().collect();
    nodes.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    nodes.truncate(a.top.max(1));
    let names: Vec<String> = nodes.iter().map(|(n, _)| n.to_string()).collect();
    let index = |n: &str| names.iter().position(|x| x == n);
    let chart = NetworkChart {
        title: "Actor network: cooperation and conflict".into(),
        edges: edges
            .iter()
            .filter_map(|e| {
                Some((
                    index(&e.source)?,
                    index(&e.target)?,
                    e.cooperation,
                    e.conflict,
                ))
            })
            .collect(),
        nodes: names.clone(),
    };
    dyad_plot::render_network(&chart, &a.output)?;
    eprintln!("dyad: chart written to {}", a.output.display());
    Ok(ExitCode::SUCCESS)
}
