//! Deduplication: the same event reported by many articles becomes one cluster, with its number of
//! mentions, of distinct source documents, and its first report. Raw events are never removed; each points
//! to its cluster, so counts can be shown both ways.
//!
//! The rule is explicit: two events are one when they have the same source code, target code, CAMEO code
//! (or only root, with [`DedupRule::by_root`]), negation and hedging, and the same date — compared as
//! stated (value and precision), or cut to a day, month or year when [`DedupRule::date`] says so. Events
//! without a date join only events of their own document: nothing ties them to another article's.
//! The first report is the event of the earliest-published document (then the first stored).

use crate::query::Period;
use crate::{Result, Store};

/// The rule that makes two events one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DedupRule {
    /// Match on the CAMEO root rather than the full code.
    pub by_root: bool,
    /// Compare dates cut to this period; `None` compares them exactly as stated.
    pub date: Option<Period>,
}

impl DedupRule {
    /// The rule as written in the store's `meta` table and in reports.
    pub fn describe(&self) -> String {
        let date = match self.date {
            None => "exact",
            Some(Period::Day) => "day",
            Some(Period::Month) => "month",
            Some(Period::Year) => "year",
        };
        let code = if self.by_root { "root" } else { "code" };
        format!("source+target+{code}+modality, date {date}")
    }

    fn key_sql(&self) -> String {
        let code = if self.by_root { "e.root" } else { "e.cameo" };
        let exact = "e.date_value || '/' || e.date_precision";
        let date = match self.date {
            None => exact.to_string(),
            Some(p) => {
                let len = match p {
                    Period::Year => 4,
                    Period::Month => 7,
                    Period::Day => 10,
                };
                // A date coarser than the period is compared as stated.
                format!(
                    "CASE WHEN length(e.date_value) >= {len} AND e.date_precision <> 'decade' \
                     THEN substr(e.date_value, 1, {len}) ELSE {exact} END"
                )
            }
        };
        format!(
            "coalesce(e.source_code, '') || '|' || coalesce(e.target_code, '') || '|' || {code} || '|' || \
             e.negated || e.hedged || '|' || \
             CASE WHEN e.date_value IS NULL THEN 'doc:' || e.doc ELSE {date} END"
        )
    }
}

/// What a deduplication run found.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupSummary {
    pub events: u64,
    pub clusters: u64,
    /// Mentions of the most reported event.
    pub largest: u64,
    pub rule: String,
}

impl Store {
    /// Recomputes every cluster with `rule`, in one transaction.
    pub fn dedup(&mut self, rule: DedupRule) -> Result<DedupSummary> {
        let path = self.path.clone();
        let e = |e| crate::classify(&path, e);
        let key = rule.key_sql();
        let tx = self.conn.transaction().map_err(e)?;
        tx.execute_batch(&format!(
            "DROP TABLE IF EXISTS temp.ck;
             CREATE TEMP TABLE ck (id INTEGER PRIMARY KEY, k TEXT NOT NULL, doc INTEGER NOT NULL,
                                   first INTEGER NOT NULL);
             INSERT INTO ck (id, k, doc, first)
               SELECT e.id, {key}, e.doc,
                      first_value(e.id) OVER (PARTITION BY {key}
                                              ORDER BY d.pub_date IS NULL, d.pub_date, e.id)
               FROM events e JOIN documents d ON d.id = e.doc;
             DELETE FROM clusters;
             INSERT INTO clusters (id, source_code, target_code, cameo, date_value, mentions, sources,
                                   first_event, first_doc, first_date)
               SELECT g.first, e.source_code, e.target_code, e.cameo, e.date_value, g.mentions, g.sources,
                      g.first, d.doc_id, d.pub_date
               FROM (SELECT first, count(*) AS mentions, count(DISTINCT doc) AS sources
                     FROM ck GROUP BY first) g
               JOIN events e ON e.id = g.first JOIN documents d ON d.id = e.doc;
             UPDATE events SET cluster = ck.first FROM ck WHERE ck.id = events.id;
             DROP TABLE temp.ck;"
        ))
        .map_err(e)?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('dedup_rule', ?1), ('clusters_stale', '0')",
            [rule.describe()],
        )
        .map_err(e)?;
        let (events, clusters, largest): (i64, i64, i64) = tx
            .query_row(
                "SELECT (SELECT count(*) FROM events), count(*), coalesce(max(mentions), 0) FROM clusters",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(DedupSummary {
            events: events as u64,
            clusters: clusters as u64,
            largest: largest as u64,
            rule: rule.describe(),
        })
    }
}
