//! The questions: events by filter, a dyad's series per period, its timeline and phases, the actor network.
//!
//! Actor arguments are resolved through the `actors` table before any event is read: `RUS` means every
//! code whose country is RUS (RUS, RUSGOV, RUSMIL, ...), `RUSGOV` means that code alone. The event queries
//! then use `source_code IN (...)`, which the `(source_code, target_code, date_value)` index answers directly.
//! An actor that no stored event has is an error with suggestions, not an empty answer.

use crate::row::{self, BadRow};
use crate::{Error, Result, Store};
use dyad_coder::Event;
use rusqlite::types::Value;
use std::collections::BTreeMap;

/// An event as stored, with its row id, its document's provenance and its cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub event: Event,
    pub title: Option<String>,
    pub url: Option<String>,
    pub pub_date: Option<String>,
    /// The event's cluster (the id of its first report) and the cluster's mentions and distinct
    /// documents, once `dyad dedup` has run.
    pub cluster: Option<i64>,
    pub mentions: Option<u64>,
    pub sources: Option<u64>,
}

/// Filters shared by `dyad events` and `dyad export`. Every field narrows; the default selects all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Either side is this actor.
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    /// Between these two actors, in either direction.
    pub dyad: Option<(String, String)>,
    /// CAMEO code prefix: `04` is root 04, `042` that code and its children.
    pub code: Option<String>,
    /// Two-digit root.
    pub root: Option<String>,
    pub quad: Option<u8>,
    /// Event date on or after this ISO prefix (`2010`, `2010-05`).
    pub since: Option<String>,
    /// Event date on or before this ISO prefix (inclusive: `2010` includes `2010-12-31`).
    pub until: Option<String>,
    /// The sentence contains this text (case-insensitive for ASCII).
    pub text: Option<String>,
    /// Only events that are neither negated nor hedged.
    pub asserted: bool,
    /// Only events with a known date.
    pub dated: bool,
    pub limit: Option<usize>,
}

/// A period of a dyad series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year,
    Month,
    Day,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "year" => Some(Period::Year),
            "month" => Some(Period::Month),
            "day" => Some(Period::Day),
            _ => None,
        }
    }

    /// Length of the ISO prefix that names a period.
    fn prefix_len(self) -> i64 {
        match self {
            Period::Year => 4,
            Period::Month => 7,
            Period::Day => 10,
        }
    }

    /// Date precisions fine enough to place an event in one period. A decade counts as its first year
    /// in yearly series ("the 1990s" → 1990), so analysis articles' decade statements are not lost.
    fn precisions(self) -> &'static str {
        match self {
            Period::Year => "'day','month','year','decade'",
            Period::Month => "'day','month'",
            Period::Day => "'day'",
        }
    }
}

/// One period of a dyad series, for one direction (`A→B`, `B→A`) or both combined.
#[derive(Debug, Clone, PartialEq)]
pub struct DyadRow {
    pub period: String,
    /// `"A>B"`, `"B>A"` or `"both"`, with the actor codes as given.
    pub direction: String,
    /// Events per quad class 1..=4 (index 0 is class 1).
    pub quads: [u64; 4],
    pub goldstein_sum: f64,
}

impl DyadRow {
    pub fn events(&self) -> u64 {
        self.quads.iter().sum()
    }

    pub fn goldstein_mean(&self) -> f64 {
        let n = self.events();
        if n == 0 {
            0.0
        } else {
            self.goldstein_sum / n as f64
        }
    }

    pub fn cooperation(&self) -> u64 {
        self.quads[0] + self.quads[1]
    }

    pub fn conflict(&self) -> u64 {
        self.quads[2] + self.quads[3]
    }
}

/// A weighted edge of the actor network (direction source → target).
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkEdge {
    pub source: String,
    pub target: String,
    pub cooperation: u64,
    pub conflict: u64,
    pub goldstein_sum: f64,
}

/// How a phase reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseLabel {
    Cooperative,
    Hostile,
    Mixed,
}

impl PhaseLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseLabel::Cooperative => "cooperative",
            PhaseLabel::Hostile => "hostile",
            PhaseLabel::Mixed => "mixed",
        }
    }
}

/// Settings of the change-point search in `dyad phases`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseSettings {
    pub period: Period,
    /// Cost of one more change point, in squared score units (the score is in [-1, 1]).
    pub penalty: f64,
    /// A phase is cooperative at or above this share of cooperative events, hostile at or below
    /// `1 - share`, mixed between.
    pub share: f64,
}

impl Default for PhaseSettings {
    fn default() -> Self {
        PhaseSettings {
            period: Period::Year,
            penalty: 1.0,
            share: 2.0 / 3.0,
        }
    }
}

/// A phase of a dyad's relation: consecutive periods of like cooperation–conflict balance.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub first: String,
    pub last: String,
    pub label: PhaseLabel,
    pub cooperation: u64,
    pub conflict: u64,
    pub goldstein_mean: f64,
    /// The events of the phase's first period: what opened it.
    pub opening: Vec<StoredEvent>,
}

/// A SQL condition with its parameters.
#[derive(Default)]
struct Where {
    conds: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    fn push(&mut self, cond: impl Into<String>, params: impl IntoIterator<Item = Value>) {
        self.conds.push(cond.into());
        self.params.extend(params);
    }

    fn sql(&self) -> String {
        if self.conds.is_empty() {
            "1".to_string()
        } else {
            self.conds.join(" AND ")
        }
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

fn texts(codes: &[String]) -> Vec<Value> {
    codes.iter().map(|c| Value::Text(c.clone())).collect()
}

impl Store {
    /// The actor codes an argument stands for: itself, and every code of that country. An argument that
    /// matches nothing stored is [`Error::UnknownActor`] with the nearest known codes as a hint.
    pub fn resolve_actor(&self, arg: &str) -> Result<Vec<String>> {
        let arg = arg.trim();
        if arg.is_empty()
            || arg.len() > 16
            || !arg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(Error::Query(format!(
                "{arg:?} is not an actor code (want a code such as RUS, IRNGOV or NATO)"
            )));
        }
        let upper = arg.to_ascii_uppercase();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT code FROM actors WHERE code = ?1 OR country = ?1 ORDER BY code")
            .map_err(|e| self.err(e))?;
        let codes = stmt
            .query_map([&upper], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))?;
        if !codes.is_empty() {
            return Ok(codes);
        }
        let prefix: String = upper.chars().take(2).collect();
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT DISTINCT coalesce(country, code) FROM actors WHERE code LIKE ?1 || '%' ORDER BY 1 LIMIT 8",
            )
            .map_err(|e| self.err(e))?;
        let near = stmt
            .query_map([&prefix], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))?;
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (known codes starting {prefix}: {})", near.join(", "))
        };
        Err(Error::UnknownActor { code: upper, hint })
    }

    fn filter_where(&self, f: &Filter) -> Result<Where> {
        let mut w = Where::default();
        if let Some(a) = &f.actor {
            let codes = self.resolve_actor(a)?;
            let p = placeholders(codes.len());
            w.push(
                format!("(e.source_code IN ({p}) OR e.target_code IN ({p}))"),
                texts(&codes).into_iter().chain(texts(&codes)),
            );
        }
        if let Some(a) = &f.source {
            let codes = self.resolve_actor(a)?;
            w.push(
                format!("e.source_code IN ({})", placeholders(codes.len())),
                texts(&codes),
            );
        }
        if let Some(a) = &f.target {
            let codes = self.resolve_actor(a)?;
            w.push(
                format!("e.target_code IN ({})", placeholders(codes.len())),
                texts(&codes),
            );
        }
        if let Some((a, b)) = &f.dyad {
            let (a, b) = (self.resolve_actor(a)?, self.resolve_actor(b)?);
            let (pa, pb) = (placeholders(a.len()), placeholders(b.len()));
            w.push(
                format!(
                    "((e.source_code IN ({pa}) AND e.target_code IN ({pb})) OR \
                     (e.source_code IN ({pb}) AND e.target_code IN ({pa})))"
                ),
                texts(&a)
                    .into_iter()
                    .chain(texts(&b))
                    .chain(texts(&b))
                    .chain(texts(&a)),
            );
        }
        if let Some(c) = &f.code {
            if !(1..=4).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::Query(format!(
                    "--code {c:?} is not a CAMEO code prefix (digits, e.g. 04 or 042)"
                )));
            }
            // A prefix range the cameo index can answer: '042' <= cameo < '043'.
            w.push(
                "e.cameo >= ? AND e.cameo < ?",
                [Value::Text(c.clone()), Value::Text(format!("{c}\u{7f}"))],
            );
        }
        if let Some(r) = &f.root {
            let ok = r.len() == 2 && r.parse::<u8>().is_ok_and(|n| (1..=20).contains(&n));
            if !ok {
                return Err(Error::Query(format!(
                    "--root {r:?} is not a CAMEO root (01 to 20)"
                )));
            }
            w.push("e.root = ?", [Value::Text(r.clone())]);
        }
        if let Some(q) = f.quad {
            if !(1..=4).contains(&q) {
                return Err(Error::Query(format!(
                    "--quad {q} is not a quad class (1 to 4)"
                )));
            }
            w.push("e.quad_class = ?", [Value::Integer(i64::from(q))]);
        }
        if let Some(s) = &f.since {
            check_date(s, "--since")?;
            w.push("e.date_value >= ?", [Value::Text(s.clone())]);
        }
        if let Some(u) = &f.until {
            check_date(u, "--until")?;
            // '~' sorts after '-' and every digit: "2010~" is after every date in 2010.
            w.push("e.date_value <= ?", [Value::Text(format!("{u}~"))]);
        }
        if let Some(t) = &f.text {
            w.push(
                "instr(lower(s.text), lower(?)) > 0",
                [Value::Text(t.clone())],
            );
        }
        if f.asserted {
            w.push("e.negated = 0 AND e.hedged = 0", []);
        }
        if f.dated {
            w.push("e.date_value IS NOT NULL", []);
        }
        Ok(w)
    }

    /// Events matching the filter, in storage order (document by document, sentence by sentence).
    pub fn events(&self, f: &Filter) -> Result<Vec<StoredEvent>> {
        let mut out = Vec::new();
        self.for_each_event(f, "e.id", |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the events matching the filter to `each` in the given order, without holding them all:
    /// what exports of millions of events use.
    pub fn for_each_event(
        &self,
        f: &Filter,
        order: &str,
        mut each: impl FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let w = self.filter_where(f)?;
        let limit = f.limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
        let sql = format!(
            "SELECT {} FROM {} WHERE {} ORDER BY {order}{limit}",
            row::SELECT,
            row::FROM,
            w.sql()
        );
        let mut stmt = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(w.params.iter()))
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let (id, ev) = row::read(r).map_err(|e| self.err(e))?;
            each(ev.map_err(|BadRow(what)| Error::BadRow {
                path: self.path.clone(),
                id,
                detail: format!("bad {what}"),
            })?)?;
        }
        Ok(())
    }

    /// Number of events matching the filter.
    pub fn count_events(&self, f: &Filter) -> Result<u64> {
        let w = self.filter_where(f)?;
        // Only the text filter needs the sentences; counting on `events` alone stays within its indexes.
        let from = if f.text.is_some() {
            row::FROM
        } else {
            "events e"
        };
        let sql = format!("SELECT count(*) FROM {from} WHERE {}", w.sql());
        self.conn()
            .query_row(&sql, rusqlite::params_from_iter(w.params.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// The dated events of one actor, or of a dyad in either direction, in date order.
    pub fn timeline(&self, a: &str, b: Option<&str>, asserted: bool) -> Result<Vec<StoredEvent>> {
        let mut f = Filter {
            dated: true,
            asserted,
            ..Filter::default()
        };
        match b {
            Some(b) => f.dyad = Some((a.to_string(), b.to_string())),
            None => f.actor = Some(a.to_string()),
        }
        let mut out = Vec::new();
        self.for_each_event(&f, "e.date_value, e.doc, e.sentence_index, e.id", |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// A dyad's series: per period, events by quad class and Goldstein sum, for A→B, B→A and both.
    /// Returns the rows and the number of events left out because their date is unknown or too coarse
    /// for the period.
    pub fn dyad_series(
        &self,
        a: &str,
        b: &str,
        by: Period,
        asserted: bool,
    ) -> Result<(Vec<DyadRow>, u64)> {
        let (ca, cb) = (self.resolve_actor(a)?, self.resolve_actor(b)?);
        if ca.iter().any(|c| cb.contains(c)) {
            return Err(Error::Query(format!(
                "{a} and {b} overlap: a dyad needs two different actors"
            )));
        }
        let (pa, pb) = (placeholders(ca.len()), placeholders(cb.len()));
        let both = format!(
            "((source_code IN ({pa}) AND target_code IN ({pb})) OR (source_code IN ({pb}) AND target_code IN ({pa})))"
        );
        let modal = if asserted {
            " AND negated = 0 AND hedged = 0"
        } else {
            ""
        };
        let sql = format!(
            "SELECT substr(date_value, 1, {len}) AS period, source_code IN ({pa}) AS forward, quad_class, \
             count(*), total(goldstein) FROM events \
             WHERE {both}{modal} AND date_value IS NOT NULL AND date_precision IN ({prec}) \
             GROUP BY period, forward, quad_class ORDER BY period",
            len = by.prefix_len(),
            prec = by.precisions(),
        );
        // In placeholder order: the SELECT's `forward`, then A→B, then B→A.
        let mut params = texts(&ca);
        params.extend(texts(&ca));
        params.extend(texts(&cb));
        params.extend(texts(&cb));
        params.extend(texts(&ca));
        let mut stmt = self.conn().prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, f64>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let (la, lb) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
        let mut by_period: BTreeMap<String, [DyadRow; 3]> = BTreeMap::new();
        let mut placed = 0u64;
        for r in rows {
            let (period, forward, quad, n, gsum) = r.map_err(|e| self.err(e))?;
            let entry = by_period.entry(period.clone()).or_insert_with(|| {
                [
                    format!("{la}>{lb}"),
                    format!("{lb}>{la}"),
                    "both".to_string(),
                ]
                .map(|direction| DyadRow {
                    period: period.clone(),
                    direction,
                    quads: [0; 4],
                    goldstein_sum: 0.0,
                })
            });
            let q = (quad.clamp(1, 4) - 1) as usize;
            for i in [if forward { 0 } else { 1 }, 2] {
                entry[i].quads[q] += n as u64;
                entry[i].goldstein_sum += gsum;
            }
            placed += n as u64;
        }
        let total = self.count_events(&Filter {
            dyad: Some((a.to_string(), b.to_string())),
            asserted,
            ..Filter::default()
        })?;
        let rows = by_period.into_values().flatten().collect();
        Ok((rows, total.saturating_sub(placed)))
    }

    /// The weighted actor network between countries (or full codes): cooperation and conflict counts
    /// per directed pair, pairs with at least `min` events.
    ///
    /// Answered from `network_agg` (events per pair, month, quad class and modality, kept current by
    /// triggers), so its cost grows with the number of distinct pairs and months, not of events. Bounds
    /// finer than a month (`--since 2010-05-15`) are answered from the events themselves.
    pub fn network(
        &self,
        since: Option<&str>,
        until: Option<&str>,
        min: u64,
        by_country: bool,
        asserted: bool,
    ) -> Result<Vec<NetworkEdge>> {
        for (d, flag) in [(since, "--since"), (until, "--until")] {
            if let Some(d) = d {
                check_date(d, flag)?;
            }
        }
        if since.is_some_and(|d| d.len() > 7) || until.is_some_and(|d| d.len() > 7) {
            return self.network_scan(since, until, min, by_country, asserted);
        }
        let (s, t) = if by_country {
            (
                "CASE WHEN source_country = '' THEN source_code ELSE source_country END",
                "CASE WHEN target_country = '' THEN target_code ELSE target_country END",
            )
        } else {
            ("source_code", "target_code")
        };
        let mut w = Where::default();
        // `period` is the date cut to its month: for bounds of at most a month's precision it compares
        // with a bound exactly as the full date would (see sql/v3.sql).
        if let Some(d) = since {
            w.push("period >= ?", [Value::Text(d.to_string())]);
        }
        if let Some(d) = until {
            w.push(
                "period <> '' AND period <= ?",
                [Value::Text(format!("{d}~"))],
            );
        }
        if asserted {
            w.push("asserted = 1", []);
        }
        // The inner query sums along the primary key (pair first: a scan, no sort); the outer one merges
        // codes into countries over the few hundred or thousand pairs left.
        let sql = format!(
            "SELECT {s} AS a, {t} AS b, total(coop), total(conf), total(g), sum(n) AS total_n FROM \
             (SELECT source_code, target_code, source_country, target_country, \
              total(CASE WHEN quad_class <= 2 THEN events END) AS coop, \
              total(CASE WHEN quad_class >= 3 THEN events END) AS conf, \
              total(goldstein) AS g, sum(events) AS n \
              FROM network_agg WHERE {} \
              GROUP BY source_code, target_code, source_country, target_country) \
             WHERE {s} <> {t} GROUP BY a, b HAVING total_n >= ? ORDER BY total_n DESC, a, b",
            w.sql()
        );
        let mut params = w.params;
        params.push(Value::Integer(min as i64));
        self.edges(&sql, &params)
    }

    /// Runs a network query whose columns are source, target, cooperation and conflict counts (integer or
    /// real: SQLite's `total` gives reals), and the Goldstein sum.
    fn edges(&self, sql: &str, params: &[Value]) -> Result<Vec<NetworkEdge>> {
        let mut stmt = self.conn().prepare(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok(NetworkEdge {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    cooperation: r.get::<_, f64>(2)? as u64,
                    conflict: r.get::<_, f64>(3)? as u64,
                    goldstein_sum: r.get(4)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// [`Store::network`] computed from the events table: the reference the aggregate is tested against,
    /// and the answer for day-precise bounds.
    pub fn network_scan(
        &self,
        since: Option<&str>,
        until: Option<&str>,
        min: u64,
        by_country: bool,
        asserted: bool,
    ) -> Result<Vec<NetworkEdge>> {
        let f = Filter {
            since: since.map(str::to_string),
            until: until.map(str::to_string),
            asserted,
            ..Filter::default()
        };
        let w = self.filter_where(&f)?;
        let (s, t) = if by_country {
            (
                "coalesce(e.source_country, e.source_code)",
                "coalesce(e.target_country, e.target_code)",
            )
        } else {
            ("e.source_code", "e.target_code")
        };
        let sql = format!(
            "SELECT {s} AS a, {t} AS b, sum(e.quad_class <= 2), sum(e.quad_class >= 3), total(e.goldstein) \
             FROM events e WHERE {} AND e.source_code IS NOT NULL AND e.target_code IS NOT NULL AND {s} <> {t} \
             GROUP BY a, b HAVING count(*) >= ? ORDER BY count(*) DESC, a, b",
            w.sql()
        );
        let mut params = w.params;
        params.push(Value::Integer(min as i64));
        self.edges(&sql, &params)
    }

    /// Phases of a dyad: change points in its cooperation–conflict series, each phase labelled, with the
    /// events that open it. Asserted events only (a negated or hedged event did not happen).
    ///
    /// The series has one value per period with events: the score (cooperative − conflictual) / events,
    /// in [-1, 1]. The segmentation minimises the squared deviation of each period's score from its
    /// segment's mean plus `penalty` per segment (optimal partitioning, O(periods²)); adjacent segments
    /// that end up with the same label are then joined, so a phase boundary is always a turn.
    pub fn phases(&self, a: &str, b: &str, s: PhaseSettings) -> Result<Vec<Phase>> {
        let (rows, _) = self.dyad_series(a, b, s.period, true)?;
        let combined: Vec<&DyadRow> = rows.iter().filter(|r| r.direction == "both").collect();
        if combined.is_empty() {
            return Ok(Vec::new());
        }
        let scores: Vec<f64> = combined
            .iter()
            .map(|r| (r.cooperation() as f64 - r.conflict() as f64) / r.events().max(1) as f64)
            .collect();
        let cuts = segment(&scores, s.penalty);
        let mut phases: Vec<Phase> = Vec::new();
        for w in cuts.windows(2) {
            let seg = &combined[w[0]..w[1]];
            let coop: u64 = seg.iter().map(|r| r.cooperation()).sum();
            let conf: u64 = seg.iter().map(|r| r.conflict()).sum();
            let n: u64 = seg.iter().map(|r| r.events()).sum();
            let gsum: f64 = seg.iter().map(|r| r.goldstein_sum).sum();
            let share = coop as f64 / (coop + conf).max(1) as f64;
            let label = if share >= s.share {
                PhaseLabel::Cooperative
            } else if share <= 1.0 - s.share {
                PhaseLabel::Hostile
            } else {
                PhaseLabel::Mixed
            };
            let (first, last) = (seg[0].period.clone(), seg[seg.len() - 1].period.clone());
            match phases.last_mut() {
                Some(p) if p.label == label => {
                    let pn = p.cooperation + p.conflict;
                    p.goldstein_mean =
                        (p.goldstein_mean * pn as f64 + gsum) / (pn + n).max(1) as f64;
                    p.last = last;
                    p.cooperation += coop;
                    p.conflict += conf;
                }
                _ => phases.push(Phase {
                    first,
                    last,
                    label,
                    cooperation: coop,
                    conflict: conf,
                    goldstein_mean: gsum / n.max(1) as f64,
                    opening: Vec::new(),
                }),
            }
        }
        let len = s.period.prefix_len() as usize;
        for p in &mut phases {
            let f = Filter {
                dyad: Some((a.to_string(), b.to_string())),
                asserted: true,
                since: Some(p.first.clone()),
                until: Some(p.first.clone()),
                ..Filter::default()
            };
            let mut opening = Vec::new();
            self.for_each_event(&f, "e.date_value, e.doc, e.sentence_index, e.id", |e| {
                // `until` is inclusive of finer dates; keep events whose period is exactly the first one
                // and whose precision places them in it.
                let v = e.event.date.value.as_deref().unwrap_or("");
                if v.get(..len) == Some(p.first.as_str()) {
                    opening.push(e);
                }
                Ok(())
            })?;
            p.opening = opening;
        }
        Ok(phases)
    }
}

fn check_date(s: &str, flag: &str) -> Result<()> {
    let ok = matches!(s.len(), 4 | 7 | 10)
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Query(format!(
            "{flag} {s:?} is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)"
        )))
    }
}

/// Optimal partitioning of `x` into segments minimising the sum of squared deviations from each segment's
/// mean plus `penalty` per segment. Returns the segment boundaries `[0, c1, ..., n]`.
pub(crate) fn segment(x: &[f64], penalty: f64) -> Vec<usize> {
    let n = x.len();
    // Prefix sums make each segment's cost O(1).
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    for (i, v) in x.iter().enumerate() {
        s1[i + 1] = s1[i] + v;
        s2[i + 1] = s2[i] + v * v;
    }
    let cost = |i: usize, j: usize| {
        let len = (j - i) as f64;
        let sum = s1[j] - s1[i];
        (s2[j] - s2[i]) - sum * sum / len
    };
    let mut best = vec![0.0; n + 1];
    let mut prev = vec![0usize; n + 1];
    for j in 1..=n {
        let (mut b, mut p) = (f64::INFINITY, 0);
        for (i, before) in best[..j].iter().enumerate() {
            let c = before + cost(i, j) + penalty;
            if c < b {
                (b, p) = (c, i);
            }
        }
        best[j] = b;
        prev[j] = p;
    }
    let mut cuts = vec![n];
    let mut j = n;
    while j > 0 {
        j = prev[j];
        cuts.push(j);
    }
    cuts.reverse();
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segmentation_finds_turns_and_ignores_noise() {
        // Two clear regimes.
        assert_eq!(
            segment(&[1.0, 1.0, 1.0, -1.0, -1.0, -1.0], 1.0),
            vec![0, 3, 6]
        );
        // A flat series is one segment.
        assert_eq!(segment(&[0.5, 0.5, 0.5, 0.5], 1.0), vec![0, 4]);
        // A small wobble does not pay the penalty.
        assert_eq!(segment(&[1.0, 0.6, 1.0, 1.0], 1.0), vec![0, 4]);
        // Alternating single periods of full cooperation and conflict are each a turn.
        assert_eq!(segment(&[1.0, -1.0, 1.0], 1.0), vec![0, 1, 2, 3]);
        assert_eq!(segment(&[], 1.0), vec![0]);
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2010", "--since").is_ok());
        assert!(check_date("2010-05", "--since").is_ok());
        assert!(check_date("2010-05-31", "--since").is_ok());
        assert!(check_date("201", "--since").is_err());
        assert!(check_date("2010/05", "--since").is_err());
    }
}
