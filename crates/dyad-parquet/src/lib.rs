//! dyad-parquet: events as a Parquet file that pandas, DuckDB, Spark and Arrow read directly.
//!
//! A leaf crate because Arrow and Parquet are heavy to build; only `dyad export --format parquet` needs it.
//! The schema is flat, one column per field of `event.schema.json` (actors and spans spread into
//! `source_code`, `source_start`, ...), Snappy-compressed, written in row groups of [`ROW_GROUP`] events so
//! memory stays flat on exports of millions.
//!
//! ```
//! use dyad_coder::{Coder, Document};
//! let events = Coder::builtin().unwrap().code(&Document::new("d", "In 2007, Vladimir Putin visited Iran."));
//! let path = std::env::temp_dir().join(format!("dyad-parquet-doctest-{}.parquet", std::process::id()));
//! let mut w = dyad_parquet::Writer::create(&path).unwrap();
//! for e in &events {
//!     w.push(e).unwrap();
//! }
//! assert_eq!(w.finish().unwrap(), events.len() as u64);
//! # std::fs::remove_file(&path).unwrap();
//! ```

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, UInt8Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use dyad_coder::{Actor, Event};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// Events per row group.
pub const ROW_GROUP: usize = 65_536;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parquet {
        path: String,
        #[source]
        source: parquet::errors::ParquetError,
    },
    #[error("{path}: {source}")]
    Arrow {
        path: String,
        #[source]
        source: arrow_schema::ArrowError,
    },
}

/// The columns, in order.
pub fn schema() -> Schema {
    let s = |n: &str, null: bool| Field::new(n, DataType::Utf8, null);
    let i = |n: &str, null: bool| Field::new(n, DataType::Int64, null);
    let mut fields = vec![
        s("doc_id", false),
        s("event_id", false),
        i("sentence_index", false),
        s("sentence", false),
        i("sentence_start", false),
        i("sentence_end", false),
    ];
    for side in ["source", "target"] {
        fields.extend([
            s(&format!("{side}_code"), true),
            s(&format!("{side}_country"), true),
            s(&format!("{side}_role"), true),
            s(&format!("{side}_text"), true),
            s(&format!("{side}_name"), true),
            i(&format!("{side}_start"), true),
            i(&format!("{side}_end"), true),
        ]);
    }
    fields.extend([
        s("cameo", false),
        s("root", false),
        Field::new("quad_class", DataType::UInt8, false),
        Field::new("goldstein", DataType::Float64, false),
        s("date", true),
        s("date_precision", false),
        s("date_basis", false),
        Field::new("negated", DataType::Boolean, false),
        Field::new("hedged", DataType::Boolean, false),
        s("attribution", true),
        i("attribution_start", true),
        i("attribution_end", true),
        s("trigger", false),
        i("trigger_start", false),
        i("trigger_end", false),
    ]);
    Schema::new(fields)
}

#[derive(Default)]
struct ActorCols {
    code: StringBuilder,
    country: StringBuilder,
    role: StringBuilder,
    text: StringBuilder,
    name: StringBuilder,
    start: Int64Builder,
    end: Int64Builder,
}

impl ActorCols {
    fn push(&mut self, a: &Option<Actor>) {
        match a {
            Some(a) => {
                self.code.append_value(&a.code.0);
                self.country.append_option(a.country.as_deref());
                self.role.append_option(a.role.as_deref());
                self.text.append_value(&a.text);
                self.name.append_option(a.name.as_deref());
                self.start.append_value(a.span.start as i64);
                self.end.append_value(a.span.end as i64);
            }
            None => {
                self.code.append_null();
                self.country.append_null();
                self.role.append_null();
                self.text.append_null();
                self.name.append_null();
                self.start.append_null();
                self.end.append_null();
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        out.push(Arc::new(self.code.finish()));
        out.push(Arc::new(self.country.finish()));
        out.push(Arc::new(self.role.finish()));
        out.push(Arc::new(self.text.finish()));
        out.push(Arc::new(self.name.finish()));
        out.push(Arc::new(self.start.finish()));
        out.push(Arc::new(self.end.finish()));
    }
}

#[derive(Default)]
struct Columns {
    rows: usize,
    doc_id: StringBuilder,
    event_id: StringBuilder,
    sentence_index: Int64Builder,
    sentence: StringBuilder,
    sentence_start: Int64Builder,
    sentence_end: Int64Builder,
    source: ActorCols,
    target: ActorCols,
    cameo: StringBuilder,
    root: StringBuilder,
    quad_class: UInt8Builder,
    goldstein: Float64Builder,
    date: StringBuilder,
    date_precision: StringBuilder,
    date_basis: StringBuilder,
    negated: BooleanBuilder,
    hedged: BooleanBuilder,
    attribution: StringBuilder,
    attribution_start: Int64Builder,
    attribution_end: Int64Builder,
    trigger: StringBuilder,
    trigger_start: Int64Builder,
    trigger_end: Int64Builder,
}

impl Columns {
    fn push(&mut self, e: &Event) {
        self.rows += 1;
        self.doc_id.append_value(&e.doc_id.0);
        self.event_id.append_value(&e.event_id);
        self.sentence_index.append_value(e.sentence_index as i64);
        self.sentence.append_value(&e.sentence);
        self.sentence_start.append_value(e.span.start as i64);
        self.sentence_end.append_value(e.span.end as i64);
        self.source.push(&e.source);
        self.target.push(&e.target);
        self.cameo.append_value(e.cameo.as_str());
        self.root.append_value(&e.root);
        self.quad_class.append_value(e.quad_class);
        self.goldstein.append_value(e.goldstein);
        self.date.append_option(e.date.value.as_deref());
        self.date_precision.append_value(e.date.precision.as_str());
        self.date_basis.append_value(e.date.basis.as_str());
        self.negated.append_value(e.negated);
        self.hedged.append_value(e.hedged);
        match &e.attribution {
            Some(a) => {
                self.attribution.append_value(&a.text);
                self.attribution_start.append_value(a.span.start as i64);
                self.attribution_end.append_value(a.span.end as i64);
            }
            None => {
                self.attribution.append_null();
                self.attribution_start.append_null();
                self.attribution_end.append_null();
            }
        }
        self.trigger.append_value(&e.trigger.text);
        self.trigger_start.append_value(e.trigger.span.start as i64);
        self.trigger_end.append_value(e.trigger.span.end as i64);
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        self.rows = 0;
        let mut out: Vec<ArrayRef> = vec![
            Arc::new(self.doc_id.finish()),
            Arc::new(self.event_id.finish()),
            Arc::new(self.sentence_index.finish()),
            Arc::new(self.sentence.finish()),
            Arc::new(self.sentence_start.finish()),
            Arc::new(self.sentence_end.finish()),
        ];
        self.source.finish(&mut out);
        self.target.finish(&mut out);
        out.extend([
            Arc::new(self.cameo.finish()) as ArrayRef,
            Arc::new(self.root.finish()),
            Arc::new(self.quad_class.finish()),
            Arc::new(self.goldstein.finish()),
            Arc::new(self.date.finish()),
            Arc::new(self.date_precision.finish()),
            Arc::new(self.date_basis.finish()),
            Arc::new(self.negated.finish()),
            Arc::new(self.hedged.finish()),
            Arc::new(self.attribution.finish()),
            Arc::new(self.attribution_start.finish()),
            Arc::new(self.attribution_end.finish()),
            Arc::new(self.trigger.finish()),
            Arc::new(self.trigger_start.finish()),
            Arc::new(self.trigger_end.finish()),
        ]);
        out
    }
}

/// Writes events to a Parquet file, one row group per [`ROW_GROUP`] events.
pub struct Writer {
    path: String,
    schema: Arc<Schema>,
    cols: Columns,
    writer: ArrowWriter<File>,
    rows: u64,
}

impl Writer {
    pub fn create(path: &Path) -> Result<Writer, Error> {
        let name = path.display().to_string();
        let file = File::create(path).map_err(|source| Error::Io {
            path: name.clone(),
            source,
        })?;
        let schema = Arc::new(schema());
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|source| {
            Error::Parquet {
                path: name.clone(),
                source,
            }
        })?;
        Ok(Writer {
            path: name,
            schema,
            cols: Columns::default(),
            writer,
            rows: 0,
        })
    }

    pub fn push(&mut self, e: &Event) -> Result<(), Error> {
        self.cols.push(e);
        self.rows += 1;
        if self.cols.rows >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        if self.cols.rows == 0 {
            return Ok(());
        }
        let batch =
            RecordBatch::try_new(self.schema.clone(), self.cols.finish()).map_err(|source| {
                Error::Arrow {
                    path: self.path.clone(),
                    source,
                }
            })?;
        self.writer.write(&batch).map_err(|source| Error::Parquet {
            path: self.path.clone(),
            source,
        })?;
        self.writer.flush().map_err(|source| Error::Parquet {
            path: self.path.clone(),
            source,
        })
    }

    /// Writes the last row group and the footer; returns the number of rows.
    pub fn finish(mut self) -> Result<u64, Error> {
        self.flush()?;
        self.writer.close().map_err(|source| Error::Parquet {
            path: self.path.clone(),
            source,
        })?;
        Ok(self.rows)
    }
}
