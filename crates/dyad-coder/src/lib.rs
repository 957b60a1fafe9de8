//! dyad-coder: reads news text and writes down who did what to whom, when, by whose account and how
//! certainly, as CAMEO-coded events that each point back to the words they came from.
//!
//! The pipeline, in data-flow order: [`input`] reads documents → [`segment`] splits sentences and tokens →
//! [`lexicon`] finds dictionary phrases → [`dates`] finds date expressions → [`coder`] builds actor mentions,
//! event triggers, arguments, modality and dates into [`types::Event`]s.
//!
//! ```
//! use dyad_coder::{Coder, Document};
//!
//! let coder = Coder::builtin().expect("built-in dictionaries load");
//! let doc = Document::new("example", "In 2007, Vladimir Putin visited Iran.");
//! let events = coder.code(&doc);
//! assert_eq!(events[0].cameo.as_str(), "042");
//! assert_eq!(events[0].date.value.as_deref(), Some("2007"));
//! ```

pub mod cameo;
pub mod coder;
pub mod dates;
pub mod dict;
pub mod input;
pub mod lexicon;
pub mod petrarch;
pub mod segment;
pub mod types;

pub use cameo::{CameoTable, QuadScheme};
pub use coder::{Coder, DocStats, Error, Options, Scratch, Settings, Unknown, UnknownKind};
pub use types::{Actor, ActorCode, CameoCode, DocId, Document, Event, EventDate, Span};
