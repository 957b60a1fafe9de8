-- dyad store, schema version 2: event clusters (deduplication). Raw events stay; each points to its cluster.

CREATE TABLE clusters (
    id           INTEGER PRIMARY KEY,
    source_code  TEXT,
    target_code  TEXT,
    cameo        TEXT NOT NULL,
    date_value   TEXT,
    mentions     INTEGER NOT NULL,
    sources      INTEGER NOT NULL,
    first_event  INTEGER NOT NULL,
    first_doc    TEXT NOT NULL,
    first_date   TEXT
);

ALTER TABLE events ADD COLUMN cluster INTEGER;
CREATE INDEX events_cluster ON events(cluster);

-- The dyad index covers the series query (no table lookups): period, precision, quad, Goldstein, modality.
DROP INDEX events_dyad;
CREATE INDEX events_dyad ON events(source_code, target_code, date_value, date_precision, quad_class, goldstein,
                                   negated, hedged);
