//! One event ↔ one row of `events` (plus its sentence). Every field of `event.schema.json` has a column,
//! so a stored event comes back exactly as the coder wrote it.

use dyad_coder::types::{DateBasis, Precision, SpanText};
use dyad_coder::{Actor, ActorCode, CameoCode, DocId, Event, EventDate, Span};
use rusqlite::{params, CachedStatement, Row};

pub const INSERT_EVENT: &str = "INSERT INTO events (doc, event_id, sentence_index, \
    source_code, source_country, source_role, source_text, source_name, source_start, source_end, \
    target_code, target_country, target_role, target_text, target_name, target_start, target_end, \
    cameo, root, quad_class, goldstein, date_value, date_precision, date_basis, negated, hedged, \
    attribution_text, attribution_start, attribution_end, trigger_text, trigger_start, trigger_end) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
    ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)";

type ActorCols<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<i64>,
    Option<i64>,
);

fn actor_cols(a: &Option<Actor>) -> ActorCols<'_> {
    match a {
        None => (None, None, None, None, None, None, None),
        Some(a) => (
            Some(a.code.0.as_str()),
            a.country.as_deref(),
            a.role.as_deref(),
            Some(a.text.as_str()),
            a.name.as_deref(),
            Some(a.span.start as i64),
            Some(a.span.end as i64),
        ),
    }
}

pub fn insert_event(
    stmt: &mut CachedStatement<'_>,
    doc: i64,
    e: &Event,
) -> rusqlite::Result<usize> {
    let s = actor_cols(&e.source);
    let t = actor_cols(&e.target);
    stmt.execute(params![
        doc,
        e.event_id,
        e.sentence_index as i64,
        s.0,
        s.1,
        s.2,
        s.3,
        s.4,
        s.5,
        s.6,
        t.0,
        t.1,
        t.2,
        t.3,
        t.4,
        t.5,
        t.6,
        e.cameo.as_str(),
        e.root,
        e.quad_class,
        e.goldstein,
        e.date.value,
        e.date.precision.as_str(),
        e.date.basis.as_str(),
        e.negated,
        e.hedged,
        e.attribution.as_ref().map(|a| a.text.as_str()),
        e.attribution.as_ref().map(|a| a.span.start as i64),
        e.attribution.as_ref().map(|a| a.span.end as i64),
        e.trigger.text,
        e.trigger.span.start as i64,
        e.trigger.span.end as i64,
    ])
}

/// The columns [`read`] expects, in order; `e` is `events`, `d` `documents`, `s` `sentences`.
pub const SELECT: &str = "e.id, d.doc_id, e.event_id, e.sentence_index, s.text, s.start, s.end, \
    e.source_code, e.source_country, e.source_role, e.source_text, e.source_name, e.source_start, e.source_end, \
    e.target_code, e.target_country, e.target_role, e.target_text, e.target_name, e.target_start, e.target_end, \
    e.cameo, e.root, e.quad_class, e.goldstein, e.date_value, e.date_precision, e.date_basis, e.negated, e.hedged, \
    e.attribution_text, e.attribution_start, e.attribution_end, e.trigger_text, e.trigger_start, e.trigger_end, \
    d.title, d.url, d.pub_date, e.cluster, c.mentions, c.sources";

/// The joins [`SELECT`] needs.
pub const FROM: &str = "events e JOIN documents d ON d.id = e.doc \
    JOIN sentences s ON s.doc = e.doc AND s.idx = e.sentence_index \
    LEFT JOIN clusters c ON c.id = e.cluster";

/// A row that does not make a valid event: which field and why.
pub struct BadRow(pub &'static str);

fn span(start: Option<i64>, end: Option<i64>) -> Option<Span> {
    match (start, end) {
        (Some(s), Some(e)) if 0 <= s && s <= e => Some(Span::new(s as usize, e as usize)),
        _ => None,
    }
}

fn actor(r: &Row<'_>, at: usize) -> rusqlite::Result<Result<Option<Actor>, BadRow>> {
    let code: Option<String> = r.get(at)?;
    let Some(code) = code else {
        return Ok(Ok(None));
    };
    let Some(sp) = span(r.get(at + 5)?, r.get(at + 6)?) else {
        return Ok(Err(BadRow("actor span")));
    };
    Ok(Ok(Some(Actor {
        code: ActorCode(code),
        country: r.get(at + 1)?,
        role: r.get(at + 2)?,
        text: r.get::<_, Option<String>>(at + 3)?.unwrap_or_default(),
        name: r.get(at + 4)?,
        span: sp,
    })))
}

/// Reads a row selected with [`SELECT`]: the event, the document's provenance, the cluster.
pub fn read(r: &Row<'_>) -> rusqlite::Result<(i64, Result<super::StoredEvent, BadRow>)> {
    let id: i64 = r.get(0)?;
    Ok((id, read_inner(r)?))
}

fn read_inner(r: &Row<'_>) -> rusqlite::Result<Result<super::StoredEvent, BadRow>> {
    let source = match actor(r, 7)? {
        Ok(a) => a,
        Err(b) => return Ok(Err(b)),
    };
    let target = match actor(r, 14)? {
        Ok(a) => a,
        Err(b) => return Ok(Err(b)),
    };
    let cameo: String = r.get(21)?;
    let Some(cameo) = CameoCode::parse(&cameo) else {
        return Ok(Err(BadRow("cameo")));
    };
    let Some(sentence_span) = span(r.get(5)?, r.get(6)?) else {
        return Ok(Err(BadRow("sentence span")));
    };
    let precision: String = r.get(26)?;
    let Some(precision) = parse_precision(&precision) else {
        return Ok(Err(BadRow("date precision")));
    };
    let basis: String = r.get(27)?;
    let Some(basis) = parse_basis(&basis) else {
        return Ok(Err(BadRow("date basis")));
    };
    let attribution = match r.get::<_, Option<String>>(30)? {
        None => None,
        Some(text) => match span(r.get(31)?, r.get(32)?) {
            Some(span) => Some(SpanText { text, span }),
            None => return Ok(Err(BadRow("attribution span"))),
        },
    };
    let Some(trigger_span) = span(r.get(34)?, r.get(35)?) else {
        return Ok(Err(BadRow("trigger span")));
    };
    let sentence_index: i64 = r.get(3)?;
    let event = Event {
        doc_id: DocId(r.get(1)?),
        event_id: r.get(2)?,
        sentence_index: sentence_index.max(0) as usize,
        sentence: r.get(4)?,
        span: sentence_span,
        source,
        target,
        cameo,
        root: r.get(22)?,
        quad_class: r.get(23)?,
        goldstein: r.get(24)?,
        date: EventDate {
            value: r.get(25)?,
            precision,
            basis,
        },
        negated: r.get(28)?,
        hedged: r.get(29)?,
        attribution,
        trigger: SpanText {
            text: r.get(33)?,
            span: trigger_span,
        },
    };
    Ok(Ok(super::StoredEvent {
        id: r.get(0)?,
        event,
        title: r.get(36)?,
        url: r.get(37)?,
        pub_date: r.get(38)?,
        cluster: r.get(39)?,
        mentions: r.get::<_, Option<i64>>(40)?.map(|n| n.max(0) as u64),
        sources: r.get::<_, Option<i64>>(41)?.map(|n| n.max(0) as u64),
    }))
}

fn parse_precision(s: &str) -> Option<Precision> {
    Some(match s {
        "day" => Precision::Day,
        "month" => Precision::Month,
        "year" => Precision::Year,
        "decade" => Precision::Decade,
        "unknown" => Precision::Unknown,
        _ => return None,
    })
}

fn parse_basis(s: &str) -> Option<DateBasis> {
    Some(match s {
        "text" => DateBasis::Text,
        "publication" => DateBasis::Publication,
        "unknown" => DateBasis::Unknown,
        _ => return None,
    })
}
