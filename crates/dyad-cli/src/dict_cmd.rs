//! `dyad dict check FILE...` and `dyad dict lookup PHRASE [--date D]`: checking user dictionaries and
//! explaining how a phrase codes.

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use dyad_coder::lexicon::{CueKind, Item, Lexicon};
use dyad_coder::types::Date;
use dyad_coder::{Coder, Document, Options, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct DictArgs {
    #[command(subcommand)]
    command: DictCommand,
}

#[derive(Subcommand)]
enum DictCommand {
    /// Check dictionary files: every bad line with file:line and a reason; exit 1 if any.
    Check {
        /// Files named like the built-in ones (events.tsv, countries.tsv, people.tsv, ...).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show how a phrase codes and which dictionary lines say so.
    Lookup {
        phrase: String,
        /// The date to code office-holders at (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        coder: crate::CoderArgs,
    },
}

pub fn run(a: DictArgs) -> Result<ExitCode> {
    match a.command {
        DictCommand::Check { files } => check(&files),
        DictCommand::Lookup {
            phrase,
            date,
            coder,
        } => lookup(&phrase, date.as_deref(), &coder),
    }
}

fn check(files: &[PathBuf]) -> Result<ExitCode> {
    let mut bad = 0;
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        let name = f.display().to_string();
        let settings = Settings::from_options(Options {
            quad: None,
            dictionaries: vec![(name.clone(), text.clone())],
        })?;
        match Coder::new(&settings) {
            Ok(_) => {
                let unsorted = dyad_coder::lexicon::unsorted_lines(&name, &text);
                let entries = text
                    .lines()
                    .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                    .count();
                match unsorted.first() {
                    Some(line) => println!(
                        "{name}: ok, {entries} entries (note: not in the documented order from line {line}; sorted files diff better)"
                    ),
                    None => println!("{name}: ok, {entries} entries"),
                }
            }
            Err(e) => {
                bad += 1;
                match e {
                    dyad_coder::Error::Dictionary(errs) => {
                        for l in errs.0 {
                            println!("{l}");
                        }
                    }
                    other => println!("{other}"),
                }
            }
        }
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn lookup(phrase: &str, date: Option<&str>, args: &crate::CoderArgs) -> Result<ExitCode> {
    let coder = args.build()?;
    let date: Option<Date> = match date {
        Some(d) => Some(
            d.parse()
                .with_context(|| format!("--date {d:?} is not YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let lex: &Lexicon = coder.lexicon();
    let found = lex.lookup(phrase);
    if found.is_empty() {
        println!("{phrase:?}: no dictionary entry matches");
    }
    for (span, item, origin) in &found {
        let words = &phrase[span.start..span.end];
        let what = match item {
            Item::Actor(a) => {
                let e = &lex.actors[*a as usize];
                format!(
                    "actor {}{} ({:?}{})",
                    e.country,
                    e.role.as_deref().unwrap_or(""),
                    e.kind,
                    e.name
                        .as_deref()
                        .map(|n| format!(", {n}"))
                        .unwrap_or_default()
                )
            }
            Item::Person(p) => {
                let terms = &lex.persons[*p as usize];
                let mut s = format!("person {}:", terms[0].name);
                for t in terms {
                    let active = date.is_some_and(|d| t.from <= d && t.to.is_none_or(|e| d <= e));
                    s.push_str(&format!(
                        "\n      {}{} {} {}..{}{} ({})",
                        t.country,
                        t.role,
                        t.office,
                        t.from,
                        t.to.map(|d| d.to_string()).unwrap_or_default(),
                        if active {
                            "  <- in office on that date"
                        } else {
                            ""
                        },
                        t.origin
                    ));
                }
                if let Some(d) = date {
                    if !terms
                        .iter()
                        .any(|t| t.from <= d && t.to.is_none_or(|e| d <= e))
                    {
                        s.push_str(&format!(
                            "\n      on {d}: out of office, codes as {}ELI (former official)",
                            terms[0].country
                        ));
                    }
                }
                s
            }
            Item::Role { role, title } => format!(
                "{} {}",
                if *title { "title" } else { "role noun" },
                role.as_deref().unwrap_or("(no role)")
            ),
            Item::Trigger {
                pattern,
                participle,
            } => {
                let p = &lex.patterns[*pattern as usize];
                format!(
                    "event pattern {} ({}{}{}{})",
                    p.code,
                    if p.noun { "noun" } else { "verb" },
                    if *participle { ", participle" } else { "" },
                    if p.sym { ", symmetric" } else { "" },
                    if p.yields { ", yields" } else { "" }
                )
            }
            Item::Cue(k) => format!(
                "cue: {}",
                match k {
                    CueKind::Neg => "negation",
                    CueKind::Hedge => "hedge",
                    CueKind::Cond => "condition",
                    CueKind::Belief => "belief",
                    CueKind::Speech => "reporting verb",
                    CueKind::Source => "source (according to)",
                    CueKind::Figurative => "figurative modifier",
                }
            ),
        };
        println!("{words:?} -> {what}  [{origin}]");
    }
    let events = coder.code(&Document::new("lookup", phrase).with_date(date));
    for e in &events {
        let code = |a: &Option<dyad_coder::Actor>| {
            a.as_ref().map_or("-".to_string(), |a| a.code.0.clone())
        };
        println!(
            "codes as: {} {} {} (date {}, negated {}, hedged {})",
            code(&e.source),
            e.cameo,
            code(&e.target),
            e.date.value.as_deref().unwrap_or("unknown"),
            e.negated,
            e.hedged
        );
    }
    Ok(ExitCode::SUCCESS)
}
