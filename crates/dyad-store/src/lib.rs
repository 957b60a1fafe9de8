//! dyad-store: the corpus store. Documents, the sentences that carry events, and every field of every
//! event, in one embedded SQLite file, indexed for the questions users ask of a corpus: the events of a
//! dyad, its series per year or month, its timeline, its phases, the actor network.
//!
//! Why SQLite: one file, no server, transactions that survive a killed process, and B-tree indexes that
//! answer dyad queries over millions of events in milliseconds. The schema is versioned: `sql/v1.sql`,
//! `sql/v2.sql`, ... are applied in order, and a database made by an older dyad is migrated when opened
//! (`tests/store.rs` opens databases made by the v1 and v2 scripts).
//!
//! Main types: [`Store`] (open, write a batch of coded documents, query), [`Filter`] (the filters shared by
//! `dyad events` and `dyad export`), [`Error`].
//!
//! ```
//! use dyad_coder::{Coder, Document};
//! use dyad_store::{DocRecord, Filter, Store};
//!
//! let dir = std::env::temp_dir().join(format!("dyad-store-doctest-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("dyad.db");
//! # let _ = std::fs::remove_file(&path);
//! let mut store = Store::open(&path).unwrap();
//! let doc = Document::new("d1", "In 2007, Vladimir Putin visited Iran.");
//! let events = Coder::builtin().unwrap().code(&doc);
//! let record = DocRecord::new(&doc, 1, "builtin");
//! store.write_batch(&[(record, events)]).unwrap();
//! let found = store.events(&Filter { actor: Some("IRN".into()), ..Filter::default() }).unwrap();
//! assert_eq!(found[0].event.cameo.as_str(), "042");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod dedup;
mod query;
mod row;

pub use dedup::{DedupRule, DedupSummary};
pub use query::{
    DyadRow, Filter, NetworkEdge, Period, Phase, PhaseLabel, PhaseSettings, StoredEvent,
};

use dyad_coder::{Document, Event};
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The migrations, in order: entry `i` takes a database from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../sql/v1.sql"),
    include_str!("../sql/v2.sql"),
    include_str!("../sql/v3.sql"),
];

/// The SQL that made schema version 1, for tests that need a database written by the previous dyad.
pub const SCHEMA_V1: &str = include_str!("../sql/v1.sql");

/// The SQL that took schema version 1 to 2, for tests that need a database written by the previous dyad.
pub const SCHEMA_V2: &str = include_str!("../sql/v2.sql");

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Everything that can go wrong with a store. Messages name the database file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: no dyad database here (run `dyad ingest` first, or pass --db)")]
    Missing { path: String },
    #[error(
        "{path}: the database is locked by another process (is another `dyad ingest` running?)"
    )]
    Locked { path: String },
    #[error("{path}: not a dyad database, or the file is corrupt ({detail})")]
    Corrupt { path: String, detail: String },
    #[error("{path}: disk full (or the database size limit reached); the batch in flight was rolled back, stored documents are intact")]
    Full { path: String },
    #[error("{path}: made by a newer dyad (schema version {found}; this dyad knows versions up to {known})")]
    TooNew {
        path: String,
        found: u32,
        known: u32,
    },
    #[error("{path}: cannot open the database: {detail}")]
    Open { path: String, detail: String },
    #[error("unknown actor code {code:?}: no stored event has it as source or target{hint}")]
    UnknownActor { code: String, hint: String },
    #[error("bad query: {0}")]
    Query(String),
    #[error("{path}: stored event {id} is not valid: {detail}")]
    BadRow {
        path: String,
        id: i64,
        detail: String,
    },
    #[error("{path}: the stored text of document {doc_id} cannot be read ({detail})")]
    BadText {
        path: String,
        doc_id: String,
        detail: String,
    },
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A document as the store records it: identity, provenance, and what it was coded with.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRecord {
    pub doc_id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub pub_date: Option<String>,
    pub text_hash: String,
    pub bytes: usize,
    pub sentences: usize,
    /// The fingerprint of the dictionaries and settings the document was coded with.
    pub dict_version: String,
    /// The document's text, Snappy-compressed, kept so `dyad recode` can re-code it; `None` stores no
    /// text (the document can then only be refreshed by ingesting its file again).
    pub text_snappy: Option<Vec<u8>>,
}

impl DocRecord {
    pub fn new(doc: &Document, sentences: usize, dict_version: &str) -> DocRecord {
        DocRecord {
            doc_id: doc.id.0.clone(),
            title: doc.title.clone(),
            url: doc.url.clone(),
            pub_date: doc.date.map(|d| d.to_string()),
            text_hash: text_hash(&doc.text),
            bytes: doc.text.len(),
            sentences,
            dict_version: dict_version.to_string(),
            text_snappy: snap::raw::Encoder::new()
                .compress_vec(doc.text.as_bytes())
                .ok(),
        }
    }
}

/// A stored document that is coded with other dictionaries than the current ones.
#[derive(Debug, Clone, PartialEq)]
pub struct StaleDoc {
    pub doc_id: String,
    pub dict_version: String,
    /// Whether its text is stored (documents stored before schema version 3 have none).
    pub has_text: bool,
}

/// What the store already knows about a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocState {
    /// Not stored.
    New,
    /// Stored with the same text, coded with the same dictionaries: nothing to do.
    Same,
    /// Stored, but its text changed: re-code.
    Changed,
    /// Stored with the same text, coded with other dictionaries: re-code.
    Stale,
}

/// Counts written by one batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub documents: usize,
    pub replaced: usize,
    pub events: usize,
}

/// Row counts of a store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: u64,
    pub sentences: u64,
    pub events: u64,
    pub actors: u64,
    pub clusters: u64,
}

/// A hash of a document's text, to tell unchanged documents from changed ones: 64-bit FNV-1a, written
/// as 16 hex digits. Not cryptographic; a collision would only make dyad keep an old coding.
pub fn text_hash(text: &str) -> String {
    format!("{:016x}", fnv1a(text.as_bytes(), 0xcbf2_9ce4_8422_2325))
}

/// FNV-1a over `bytes`, continuing from `state`; used for text hashes and dictionary fingerprints.
pub fn fnv1a(bytes: &[u8], mut state: u64) -> u64 {
    for &b in bytes {
        state ^= u64::from(b);
        state = state.wrapping_mul(0x0000_0100_0000_01b3);
    }
    state
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: String,
    /// Actor codes known to be in the `actors` table, so a batch inserts each code once.
    known_actors: HashSet<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens a store, creating it if the file does not exist, and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, true)
    }

    /// Opens an existing store (for queries): a missing file is an error, not a new empty database.
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::Missing {
                path: path.display().to_string(),
            });
        }
        Store::open_with(path, false)
    }

    fn open_with(path: &Path, create: bool) -> Result<Store> {
        let name = path.display().to_string();
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Open {
            path: name.clone(),
            detail: e.to_string(),
        })?;
        let mut store = Store {
            conn,
            path: name,
            known_actors: HashSet::new(),
        };
        store.configure()?;
        store.migrate(create)?;
        Ok(store)
    }

    /// The database file's path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Turns a SQLite error into this crate's error, naming the file.
    pub(crate) fn err(&self, e: rusqlite::Error) -> Error {
        classify(&self.path, e)
    }

    fn configure(&mut self) -> Result<()> {
        // A short wait for a lock, then a clear message rather than a hang.
        self.conn
            .busy_timeout(Duration::from_millis(2000))
            .map_err(|e| self.err(e))?;
        // WAL: readers do not block the writer, and a killed process loses only its open transaction.
        // synchronous=NORMAL is durable across a killed process in WAL mode (not across a power cut,
        // which can lose the last committed batches but never corrupts the file).
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| self.err(e))?;
        self.conn
            .execute_batch(
                // 64 MiB of page cache (the default is 2 MiB): the indexes of a store of millions of
                // events are read and updated without going back to the file for every page.
                "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;",
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The schema version stored in the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))
            .map_err(|e| self.err(e))
    }

    fn migrate(&mut self, create: bool) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(Error::TooNew {
                path: self.path.clone(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found == 0 {
            // A file with tables but no version is somebody else's database.
            let tables: i64 = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if tables > 0 {
                return Err(Error::Corrupt {
                    path: self.path.clone(),
                    detail: "it has tables but no dyad schema version".into(),
                });
            }
        }
        if found == 0 && !create {
            // An empty file (or one an ingest has only just created) is no store yet; queries never
            // create the schema, so they cannot race an ingest that is making it.
            return Err(Error::Missing {
                path: self.path.clone(),
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            // IMMEDIATE takes the write lock first; then the version is read again, so two processes
            // opening the same old or new file never apply a migration twice.
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| classify(&self.path, e))?;
            let now: u32 = tx
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(|e| classify(&self.path, e))?;
            if now > i as u32 {
                continue;
            }
            tx.execute_batch(sql).map_err(|e| classify(&self.path, e))?;
            tx.pragma_update(None, "user_version", i as u32 + 1)
                .map_err(|e| classify(&self.path, e))?;
            tx.commit().map_err(|e| classify(&self.path, e))?;
        }
        Ok(())
    }

    /// Limits the database to `pages` pages (of 4 KiB by default): the way tests simulate a full disk.
    pub fn set_max_pages(&self, pages: u64) -> Result<()> {
        self.conn
            .pragma_update(None, "max_page_count", pages)
            .map_err(|e| self.err(e))
    }

    /// What the store knows of a document with this id, text hash and dictionary version.
    pub fn doc_state(&self, doc_id: &str, text_hash: &str, dict_version: &str) -> Result<DocState> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT text_hash, dict_version FROM documents WHERE doc_id = ?1")
            .map_err(|e| self.err(e))?;
        let row: Option<(String, String)> = stmt
            .query_row([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(match row {
            None => DocState::New,
            Some((h, _)) if h != text_hash => DocState::Changed,
            Some((_, v)) if v != dict_version => DocState::Stale,
            Some(_) => DocState::Same,
        })
    }

    /// Writes coded documents in one transaction: all of them or, on any error, none. A document already
    /// stored under the same id is replaced with its events.
    pub fn write_batch(&mut self, docs: &[(DocRecord, Vec<Event>)]) -> Result<BatchCounts> {
        let path = self.path.clone();
        let e = |e| classify(&path, e);
        let mut counts = BatchCounts::default();
        let mut new_actors: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        let tx = self.conn.transaction().map_err(e)?;
        {
            let mut delete = tx
                .prepare_cached("DELETE FROM documents WHERE doc_id = ?1")
                .map_err(e)?;
            let mut insert_doc = tx
                .prepare_cached(
                    "INSERT INTO documents (doc_id, title, url, pub_date, text_hash, bytes, sentences, \
                     dict_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(e)?;
            let mut insert_sentence = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO sentences (doc, idx, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(e)?;
            let mut insert_event = tx.prepare_cached(row::INSERT_EVENT).map_err(e)?;
            let mut insert_text = tx
                .prepare_cached("INSERT INTO texts (doc, codec, body) VALUES (?1, 'snappy', ?2)")
                .map_err(e)?;
            let mut insert_actor = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO actors (code, country, role) VALUES (?1, ?2, ?3)",
                )
                .map_err(e)?;
            for (doc, events) in docs {
                if delete.execute([&doc.doc_id]).map_err(e)? > 0 {
                    counts.replaced += 1;
                }
                insert_doc
                    .execute(params![
                        doc.doc_id,
                        doc.title,
                        doc.url,
                        doc.pub_date,
                        doc.text_hash,
                        doc.bytes as i64,
                        doc.sentences as i64,
                        doc.dict_version,
                    ])
                    .map_err(e)?;
                let rowid = tx.last_insert_rowid();
                if let Some(body) = &doc.text_snappy {
                    insert_text.execute(params![rowid, body]).map_err(e)?;
                }
                for ev in events {
                    insert_sentence
                        .execute(params![
                            rowid,
                            ev.sentence_index as i64,
                            ev.span.start as i64,
                            ev.span.end as i64,
                            ev.sentence
                        ])
                        .map_err(e)?;
                    row::insert_event(&mut insert_event, rowid, ev).map_err(e)?;
                    for actor in [&ev.source, &ev.target].into_iter().flatten() {
                        if !self.known_actors.contains(&actor.code.0) {
                            insert_actor
                                .execute(params![actor.code.0, actor.country, actor.role])
                                .map_err(e)?;
                            new_actors.push((
                                actor.code.0.clone(),
                                actor.country.clone(),
                                actor.role.clone(),
                            ));
                        }
                    }
                    counts.events += 1;
                }
                counts.documents += 1;
            }
            if counts.documents > 0 {
                // New events make the clusters out of date until `dyad dedup` runs again.
                tx.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('clusters_stale', '1')",
                    [],
                )
                .map_err(e)?;
            }
        }
        tx.commit().map_err(e)?;
        // Only after the commit: a rolled-back batch must not leave codes marked as stored.
        self.known_actors
            .extend(new_actors.into_iter().map(|(code, _, _)| code));
        Ok(counts)
    }

    /// Row counts of every table.
    pub fn counts(&self) -> Result<Counts> {
        let count = |table: &str| -> Result<u64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as u64)
                .map_err(|e| self.err(e))
        };
        Ok(Counts {
            documents: count("documents")?,
            sentences: count("sentences")?,
            events: count("events")?,
            actors: count("actors")?,
            clusters: count("clusters")?,
        })
    }

    /// Documents whose coding is older than `dict_version`.
    pub fn stale_documents(&self, dict_version: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id FROM documents WHERE dict_version <> ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([dict_version], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Documents coded with other dictionaries than `dict_version`, in storage order, and whether each
    /// one's text is stored (so `dyad recode` can re-code it without its file).
    pub fn stale_documents_with_text(&self, dict_version: &str) -> Result<Vec<StaleDoc>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.doc_id, d.dict_version, t.doc IS NOT NULL FROM documents d \
                 LEFT JOIN texts t ON t.doc = d.id WHERE d.dict_version <> ?1 ORDER BY d.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([dict_version], |r| {
                Ok(StaleDoc {
                    doc_id: r.get(0)?,
                    dict_version: r.get(1)?,
                    has_text: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// A stored document as it was ingested (id, text, date, title, url), or `None` when the document or
    /// its text is not stored.
    pub fn document(&self, doc_id: &str) -> Result<Option<Document>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.title, d.url, d.pub_date, t.codec, t.body FROM documents d \
                 JOIN texts t ON t.doc = d.id WHERE d.doc_id = ?1",
            )
            .map_err(|e| self.err(e))?;
        type Row = (
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            Vec<u8>,
        );
        let row: Option<Row> = stmt
            .query_row([doc_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((title, url, pub_date, codec, body)) = row else {
            return Ok(None);
        };
        let bad = |detail: String| Error::BadText {
            path: self.path.clone(),
            doc_id: doc_id.to_string(),
            detail,
        };
        if codec != "snappy" {
            return Err(bad(format!("unknown codec {codec:?}")));
        }
        let bytes = snap::raw::Decoder::new()
            .decompress_vec(&body)
            .map_err(|e| bad(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| bad(e.to_string()))?;
        let date = match pub_date {
            Some(d) => Some(
                d.parse()
                    .map_err(|_| bad(format!("publication date {d:?} is not a date")))?,
            ),
            None => None,
        };
        let mut doc = Document::new(doc_id, text).with_date(date);
        doc.title = title;
        doc.url = url;
        Ok(Some(doc))
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Runs `ANALYZE` so the query planner knows the sizes of the indexes (after a large ingest).
    pub fn analyze(&self) -> Result<()> {
        self.conn.execute_batch("ANALYZE").map_err(|e| self.err(e))
    }

    /// The underlying connection, for the crate's query modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Maps SQLite's error codes to the messages users need: locked, corrupt, full.
fn classify(path: &str, e: rusqlite::Error) -> Error {
    let path = path.to_string();
    if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
        match f.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return Error::Locked { path },
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                return Error::Corrupt {
                    path,
                    detail: msg.clone().unwrap_or_else(|| f.to_string()),
                }
            }
            ErrorCode::DiskFull => return Error::Full { path },
            ErrorCode::CannotOpen => {
                return Error::Open {
                    path,
                    detail: msg.clone().unwrap_or_else(|| f.to_string()),
                }
            }
            _ => {}
        }
    }
    Error::Sqlite { path, source: e }
}

/// The default store file name.
pub fn default_path() -> PathBuf {
    PathBuf::from("dyad.db")
}
