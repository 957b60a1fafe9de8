-- dyad store, schema version 1: documents, evidence sentences, events, actors.
-- Kept verbatim once released: a database made by this script must open in every later dyad.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    doc_id       TEXT NOT NULL UNIQUE,
    title        TEXT,
    url          TEXT,
    pub_date     TEXT,
    text_hash    TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    sentences    INTEGER NOT NULL,
    dict_version TEXT NOT NULL
);

-- Only sentences that carry at least one event are kept: the evidence.
CREATE TABLE sentences (
    doc   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx   INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end   INTEGER NOT NULL,
    text  TEXT NOT NULL,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    doc             INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    sentence_index  INTEGER NOT NULL,
    source_code     TEXT,
    source_country  TEXT,
    source_role     TEXT,
    source_text     TEXT,
    source_name     TEXT,
    source_start    INTEGER,
    source_end      INTEGER,
    target_code     TEXT,
    target_country  TEXT,
    target_role     TEXT,
    target_text     TEXT,
    target_name     TEXT,
    target_start    INTEGER,
    target_end      INTEGER,
    cameo           TEXT NOT NULL,
    root            TEXT NOT NULL,
    quad_class      INTEGER NOT NULL,
    goldstein       REAL NOT NULL,
    date_value      TEXT,
    date_precision  TEXT NOT NULL,
    date_basis      TEXT NOT NULL,
    negated         INTEGER NOT NULL,
    hedged          INTEGER NOT NULL,
    attribution_text  TEXT,
    attribution_start INTEGER,
    attribution_end   INTEGER,
    trigger_text    TEXT NOT NULL,
    trigger_start   INTEGER NOT NULL,
    trigger_end     INTEGER NOT NULL
);

-- Every actor code seen, with its country and role: queries resolve "RUS" to RUS, RUSGOV, RUSMIL, ...
CREATE TABLE actors (
    code    TEXT PRIMARY KEY,
    country TEXT,
    role    TEXT
) WITHOUT ROWID;

CREATE INDEX actors_country ON actors(country);
CREATE INDEX events_doc ON events(doc);
CREATE INDEX events_dyad ON events(source_code, target_code, date_value);
CREATE INDEX events_target ON events(target_code, date_value);
CREATE INDEX events_date ON events(date_value);
CREATE INDEX events_cameo ON events(cameo);
