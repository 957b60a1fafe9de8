//! The store on its own: migrations from an older schema, atomic batches, a full disk, bad files.

#![allow(clippy::unwrap_used)]

use dyad_coder::{Coder, Document};
use dyad_store::{
    DocRecord, DocState, Error, Filter, NetworkEdge, Store, SCHEMA_V1, SCHEMA_V2, SCHEMA_VERSION,
};
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("dyad.db")
}

fn coded(id: &str, text: &str) -> (DocRecord, Vec<dyad_coder::Event>) {
    let doc = Document::new(id, text);
    let events = Coder::builtin().unwrap().code(&doc);
    (DocRecord::new(&doc, 1, "test"), events)
}

#[test]
fn a_database_made_by_schema_v1_opens_and_is_migrated() {
    let path = tmp("migrate-v1");
    {
        // What dyad 0.1 with schema version 1 wrote: its own script, one document, one event.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA_V1).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO documents (id, doc_id, title, url, pub_date, text_hash, bytes, sentences, dict_version)
               VALUES (1, 'old', NULL, NULL, '2007-10-16', '0123456789abcdef', 37, 1, 'v1');
             INSERT INTO sentences (doc, idx, start, end, text)
               VALUES (1, 0, 0, 37, 'In 2007, Vladimir Putin visited Iran.');
             INSERT INTO actors VALUES ('RUSGOV', 'RUS', 'GOV'), ('IRN', 'IRN', NULL);
             INSERT INTO events (doc, event_id, sentence_index,
                 source_code, source_country, source_role, source_text, source_name, source_start, source_end,
                 target_code, target_country, target_role, target_text, target_name, target_start, target_end,
                 cameo, root, quad_class, goldstein, date_value, date_precision, date_basis, negated, hedged,
                 attribution_text, attribution_start, attribution_end, trigger_text, trigger_start, trigger_end)
               VALUES (1, 'old-0-0', 0, 'RUSGOV', 'RUS', 'GOV', 'Vladimir Putin', 'Vladimir Putin', 9, 23,
                 'IRN', 'IRN', NULL, 'Iran', NULL, 32, 36, '042', '04', 1, 1.9, '2007', 'year', 'text', 0, 0,
                 NULL, NULL, NULL, 'visited', 24, 31);",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let events = store.events(&Filter::default()).unwrap();
    assert_eq!(events.len(), 1);
    let e = &events[0].event;
    assert_eq!(e.cameo.as_str(), "042");
    assert_eq!(
        e.source.as_ref().unwrap().name.as_deref(),
        Some("Vladimir Putin")
    );
    assert_eq!(e.trigger.text, "visited");
    assert_eq!(events[0].cluster, None);
    // The version-2 feature works on migrated data.
    let summary = store.dedup(dyad_store::DedupRule::default()).unwrap();
    assert_eq!(summary.clusters, 1);
    // Reopening does not migrate twice.
    drop(store);
    assert_eq!(
        Store::open(&path).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let path = tmp("too-new");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::TooNew { .. }), "{err}");
}

#[test]
fn stored_events_come_back_field_for_field() {
    let path = tmp("roundtrip");
    let mut store = Store::open(&path).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seed/russia-iran-relations.txt"),
    )
    .unwrap();
    let (rec, events) = coded("seed", &text);
    assert!(events.len() > 10);
    store.write_batch(&[(rec, events.clone())]).unwrap();
    let back: Vec<_> = store
        .events(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(back, events);
}

#[test]
fn a_full_disk_rolls_back_the_whole_batch() {
    let path = tmp("full");
    let mut store = Store::open(&path).unwrap();
    store
        .write_batch(&[coded("first", "In 2007, Vladimir Putin visited Iran.")])
        .unwrap();
    let before = store.counts().unwrap();
    // Room for almost nothing more: the next batch cannot fit.
    let pages: u64 = std::fs::metadata(&path).unwrap().len() / 4096 + 1;
    store.set_max_pages(pages.max(8)).unwrap();
    let big = "In 2007, Vladimir Putin visited Iran. ".repeat(4000);
    let batch: Vec<_> = (0..20).map(|i| coded(&format!("big{i}"), &big)).collect();
    let err = store.write_batch(&batch).unwrap_err();
    assert!(matches!(err, Error::Full { .. }), "{err}");
    assert!(err.to_string().contains("disk full"), "{err}");
    assert_eq!(store.counts().unwrap(), before, "nothing half-written");
    assert_eq!(store.doc_state("big0", "x", "test").unwrap(), DocState::New);
}

#[test]
fn a_file_that_is_not_a_database_is_named_as_such() {
    let path = tmp("corrupt");
    std::fs::write(
        &path,
        b"this is not an SQLite database, just some text ".repeat(100),
    )
    .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("not a dyad database"), "{err}");
}

#[test]
fn someone_elses_sqlite_database_is_refused() {
    let path = tmp("foreign");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x)").unwrap();
    drop(conn);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
}

#[test]
fn a_locked_database_says_so() {
    let path = tmp("locked");
    let mut store = Store::open(&path).unwrap();
    store
        .write_batch(&[coded("a", "In 2007, Vladimir Putin visited Iran.")])
        .unwrap();
    // Another process holds the write lock.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = store
        .write_batch(&[coded("b", "In 2008, Vladimir Putin visited Iran.")])
        .unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err}");
    other.execute_batch("ROLLBACK").unwrap();
    store
        .write_batch(&[coded("b", "In 2008, Vladimir Putin visited Iran.")])
        .unwrap();
}

#[test]
fn unknown_actors_are_errors_with_hints() {
    let path = tmp("unknown-actor");
    let mut store = Store::open(&path).unwrap();
    store
        .write_batch(&[coded("a", "In 2007, Vladimir Putin visited Iran.")])
        .unwrap();
    assert_eq!(store.resolve_actor("rus").unwrap(), vec!["RUSGOV"]);
    let err = store.resolve_actor("IRQ").unwrap_err();
    assert!(matches!(err, Error::UnknownActor { .. }), "{err}");
    assert!(err.to_string().contains("IRN"), "hint names IRN: {err}");
    assert!(matches!(
        store.resolve_actor("R'U").unwrap_err(),
        Error::Query(_)
    ));
}

#[test]
fn dedup_groups_syndicated_copies_and_keeps_raw_events() {
    let path = tmp("dedup");
    let mut store = Store::open(&path).unwrap();
    let text = "In 2007, Vladimir Putin visited Iran.";
    let mut a = coded("wire", text);
    a.0.pub_date = Some("2007-10-17".into());
    let mut b = coded("copy", text);
    b.0.pub_date = Some("2007-10-16".into());
    let c = coded(
        "other",
        "In 2009, Russia joined the sanctions against Iran.",
    );
    store.write_batch(&[a, b, c]).unwrap();
    let s = store.dedup(dyad_store::DedupRule::default()).unwrap();
    assert_eq!((s.events, s.clusters, s.largest), (3, 2, 2));
    let events = store.events(&Filter::default()).unwrap();
    assert_eq!(events.len(), 3, "raw mentions are kept");
    let visit: Vec<_> = events
        .iter()
        .filter(|e| e.event.cameo.as_str() == "042")
        .collect();
    assert_eq!(visit[0].cluster, visit[1].cluster);
    assert_eq!(visit[0].mentions, Some(2));
    assert_eq!(visit[0].sources, Some(2));
    // The first report is the earlier-published copy.
    let first = visit.iter().find(|e| Some(e.id) == e.cluster).unwrap();
    assert_eq!(first.event.doc_id.0, "copy");
}

/// A v1 script, the v2 migration, and one event: what dyad with schema version 2 wrote.
fn make_v2(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(SCHEMA_V1).unwrap();
    conn.execute_batch(SCHEMA_V2).unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 2;
         INSERT INTO documents (id, doc_id, title, url, pub_date, text_hash, bytes, sentences, dict_version)
           VALUES (1, 'old', NULL, NULL, '2007-10-16', '0123456789abcdef', 37, 1, 'v2');
         INSERT INTO sentences (doc, idx, start, end, text)
           VALUES (1, 0, 0, 37, 'In 2007, Vladimir Putin visited Iran.');
         INSERT INTO actors VALUES ('RUSGOV', 'RUS', 'GOV'), ('IRN', 'IRN', NULL);
         INSERT INTO events (doc, event_id, sentence_index,
             source_code, source_country, source_role, source_text, source_name, source_start, source_end,
             target_code, target_country, target_role, target_text, target_name, target_start, target_end,
             cameo, root, quad_class, goldstein, date_value, date_precision, date_basis, negated, hedged,
             attribution_text, attribution_start, attribution_end, trigger_text, trigger_start, trigger_end)
           VALUES (1, 'old-0-0', 0, 'RUSGOV', 'RUS', 'GOV', 'Vladimir Putin', 'Vladimir Putin', 9, 23,
             'IRN', 'IRN', NULL, 'Iran', NULL, 32, 36, '042', '04', 1, 1.9, '2007-10-16', 'day', 'text', 0, 0,
             NULL, NULL, NULL, 'visited', 24, 31);",
    )
    .unwrap();
}

fn same_network(a: &[NetworkEdge], b: &[NetworkEdge]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (&x.source, &x.target, x.cooperation, x.conflict)
                == (&y.source, &y.target, y.cooperation, y.conflict)
                && (x.goldstein_sum - y.goldstein_sum).abs() < 1e-6
        })
}

#[test]
fn a_database_made_by_schema_v2_opens_and_is_migrated() {
    let path = tmp("migrate-v2");
    make_v2(&path);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    // The network aggregate is filled from the events already stored.
    let net = store.network(None, None, 1, true, false).unwrap();
    assert_eq!(net.len(), 1);
    assert_eq!(
        (net[0].source.as_str(), net[0].target.as_str()),
        ("RUS", "IRN")
    );
    assert!(same_network(
        &net,
        &store.network_scan(None, None, 1, true, false).unwrap()
    ));
    // An old document has no stored text: recode names it rather than guessing.
    let stale = store.stale_documents_with_text("current").unwrap();
    assert_eq!(stale.len(), 1);
    assert!(!stale[0].has_text);
    assert!(store.document("old").unwrap().is_none());
    // New documents written after the migration keep their text and join the aggregate.
    store
        .write_batch(&[coded(
            "new",
            "In 2009, Russia joined the sanctions against Iran.",
        )])
        .unwrap();
    assert_eq!(
        store.document("new").unwrap().unwrap().text,
        "In 2009, Russia joined the sanctions against Iran."
    );
    assert!(same_network(
        &store.network(None, None, 1, true, false).unwrap(),
        &store.network_scan(None, None, 1, true, false).unwrap()
    ));
    drop(store);
    assert_eq!(
        Store::open(&path).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn the_network_aggregate_matches_a_scan_of_the_events_through_replacements() {
    let path = tmp("network-agg");
    let mut store = Store::open(&path).unwrap();
    let coder = Coder::builtin().unwrap();
    let texts = [
        "In 2007, Vladimir Putin visited Iran. Russia condemned the United States.",
        "On 12 May 2010, Iran threatened Israel. Russia did not attack Iran.",
        "In the 1990s, Russia sold weapons to Iran. China praised Russia.",
        "In March 2012, Iran may sign an agreement with Russia. The US imposed sanctions on Iran.",
    ];
    let batch: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut doc = Document::new(format!("d{i}"), *t);
            doc.date = Some("2015-06-01".parse().unwrap());
            let events = coder.code(&doc);
            (DocRecord::new(&doc, 2, "test"), events)
        })
        .collect();
    store.write_batch(&batch).unwrap();
    // Replace one document (its events are deleted by cascade) and write another.
    store
        .write_batch(&[
            coded("d1", "Israel attacked Iran in 2011."),
            coded("d9", "Iran praised Russia."),
        ])
        .unwrap();
    assert!(store.counts().unwrap().events >= 6);
    let cases: &[(Option<&str>, Option<&str>)] = &[
        (None, None),
        (Some("2007"), None),
        (None, Some("2010")),
        (Some("2010-05"), Some("2012-03")),
        (Some("2011"), Some("2011")),
        (Some("1990"), Some("1999")),
        (Some("2010-05-12"), None),
    ];
    for &(since, until) in cases {
        for by_country in [true, false] {
            for asserted in [true, false] {
                for min in [1, 2] {
                    let agg = store
                        .network(since, until, min, by_country, asserted)
                        .unwrap();
                    let scan = store
                        .network_scan(since, until, min, by_country, asserted)
                        .unwrap();
                    assert!(
                        same_network(&agg, &scan),
                        "{since:?} {until:?} {by_country} {asserted} {min}:\n{agg:?}\n{scan:?}"
                    );
                }
            }
        }
    }
    assert!(!store
        .network(None, None, 1, true, false)
        .unwrap()
        .is_empty());
}
