-- dyad store, schema version 3: document texts (for `dyad recode`) and the network aggregate.

-- The text of each document, compressed (codec 'snappy': raw Snappy of the UTF-8 text), so a dictionary
-- change can be applied to stored documents without their original files. Documents stored by an older
-- dyad have no row here; `dyad recode` names them.
CREATE TABLE texts (
    doc   INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    codec TEXT NOT NULL,
    body  BLOB NOT NULL
);

-- Events per directed actor pair, month, quad class and modality, kept current by the triggers below:
-- `dyad network` sums this table instead of scanning every event. `period` is the event date cut to its
-- month (YYYY-MM) when the date is that precise, else the date as stored (a year or decade), '' when
-- unknown; countries are '' when unknown. Events without a source or target are not in the network.
CREATE TABLE network_agg (
    source_code    TEXT NOT NULL,
    target_code    TEXT NOT NULL,
    source_country TEXT NOT NULL,
    target_country TEXT NOT NULL,
    period         TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    asserted       INTEGER NOT NULL,
    events         INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    PRIMARY KEY (source_code, target_code, source_country, target_country, period, quad_class, asserted)
) WITHOUT ROWID;

CREATE INDEX network_agg_period ON network_agg(period);

CREATE TRIGGER events_network_insert AFTER INSERT ON events
WHEN new.source_code IS NOT NULL AND new.target_code IS NOT NULL
BEGIN
    INSERT INTO network_agg (source_code, target_code, source_country, target_country, period, quad_class,
                             asserted, events, goldstein)
    VALUES (new.source_code, new.target_code, coalesce(new.source_country, ''), coalesce(new.target_country, ''),
            CASE WHEN new.date_value IS NULL THEN ''
                 WHEN length(new.date_value) > 7 THEN substr(new.date_value, 1, 7)
                 ELSE new.date_value END,
            new.quad_class, new.negated = 0 AND new.hedged = 0, 1, new.goldstein)
    ON CONFLICT DO UPDATE SET events = events + 1, goldstein = goldstein + excluded.goldstein;
END;

CREATE TRIGGER events_network_delete AFTER DELETE ON events
WHEN old.source_code IS NOT NULL AND old.target_code IS NOT NULL
BEGIN
    UPDATE network_agg SET events = events - 1, goldstein = goldstein - old.goldstein
    WHERE source_code = old.source_code AND target_code = old.target_code
      AND source_country = coalesce(old.source_country, '') AND target_country = coalesce(old.target_country, '')
      AND period = CASE WHEN old.date_value IS NULL THEN ''
                        WHEN length(old.date_value) > 7 THEN substr(old.date_value, 1, 7)
                        ELSE old.date_value END
      AND quad_class = old.quad_class AND asserted = (old.negated = 0 AND old.hedged = 0);
    DELETE FROM network_agg
    WHERE source_code = old.source_code AND target_code = old.target_code
      AND source_country = coalesce(old.source_country, '') AND target_country = coalesce(old.target_country, '')
      AND period = CASE WHEN old.date_value IS NULL THEN ''
                        WHEN length(old.date_value) > 7 THEN substr(old.date_value, 1, 7)
                        ELSE old.date_value END
      AND quad_class = old.quad_class AND asserted = (old.negated = 0 AND old.hedged = 0)
      AND events <= 0;
END;

-- dyad never rewrites these columns of a stored event (it deletes and re-inserts); should anything else,
-- the aggregate follows.
CREATE TRIGGER events_network_update AFTER UPDATE OF source_code, target_code, source_country, target_country,
    date_value, quad_class, negated, hedged, goldstein ON events
BEGIN
    UPDATE network_agg SET events = events - 1, goldstein = goldstein - old.goldstein
    WHERE old.source_code IS NOT NULL AND old.target_code IS NOT NULL
      AND source_code = old.source_code AND target_code = old.target_code
      AND source_country = coalesce(old.source_country, '') AND target_country = coalesce(old.target_country, '')
      AND period = CASE WHEN old.date_value IS NULL THEN ''
                        WHEN length(old.date_value) > 7 THEN substr(old.date_value, 1, 7)
                        ELSE old.date_value END
      AND quad_class = old.quad_class AND asserted = (old.negated = 0 AND old.hedged = 0);
    DELETE FROM network_agg WHERE events <= 0;
    INSERT INTO network_agg (source_code, target_code, source_country, target_country, period, quad_class,
                             asserted, events, goldstein)
    SELECT new.source_code, new.target_code, coalesce(new.source_country, ''), coalesce(new.target_country, ''),
           CASE WHEN new.date_value IS NULL THEN ''
                WHEN length(new.date_value) > 7 THEN substr(new.date_value, 1, 7)
                ELSE new.date_value END,
           new.quad_class, new.negated = 0 AND new.hedged = 0, 1, new.goldstein
    WHERE new.source_code IS NOT NULL AND new.target_code IS NOT NULL
    ON CONFLICT DO UPDATE SET events = events + 1, goldstein = goldstein + excluded.goldstein;
END;

-- Events stored before this version.
INSERT INTO network_agg (source_code, target_code, source_country, target_country, period, quad_class, asserted,
                         events, goldstein)
SELECT source_code, target_code, coalesce(source_country, ''), coalesce(target_country, ''),
       CASE WHEN date_value IS NULL THEN ''
            WHEN length(date_value) > 7 THEN substr(date_value, 1, 7)
            ELSE date_value END AS p,
       quad_class, negated = 0 AND hedged = 0 AS a, count(*), total(goldstein)
FROM events WHERE source_code IS NOT NULL AND target_code IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;
