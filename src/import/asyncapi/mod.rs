//! An AsyncAPI 3.0 or 3.1 document as a starting model.
//!
//! What becomes what:
//!
//! - **Topics**: every channel (address = the topic's name), partitions from the
//!   Kafka channel binding (`partitions`, default 1), retention from
//!   `topicConfiguration.retention.ms` (-1: kept forever), the partition key from
//!   `x-eventscape-partition-key` or the `title` of a message's Kafka `key` schema.
//!   Channels whose messages are all commands, queries or replies
//!   (`x-eventscape-kind`) and that have no Kafka binding are point-to-point request
//!   channels; channels with `x-eventscape-aggregate` are event stores.
//! - **Event types**: every message (name = its `name`, else its component key), with
//!   the schema version, compatibility, style, size, failure mark and the event it
//!   compensates that Eventscape's export writes as `x-eventscape-*`. Payload
//!   schemas are not kept: the model holds sizes, not fields.
//! - **Services**: who performs each operation. In order: `x-eventscape-service` (what
//!   Eventscape's export writes; `x-eventscape-source` and `x-eventscape-event-store`
//!   mark a workload source and a store's change feed), else the operation's first
//!   tag, else the document's `info.title` (an AsyncAPI 3 document describes one
//!   application). So a foreign document gives one service per title, or per tag when
//!   its operations are tagged by service.
//! - **Who receives**: a `receive` becomes one handler per message, reading in the
//!   consumer group of the Kafka operation binding's `groupId` (its own name when
//!   absent); a command or query handler answers with the operation's `reply`
//!   messages, one of them each time.
//! - **Who sends**: a service's sends hang on its first handler (AsyncAPI does not say
//!   which input causes which output); a service that receives nothing becomes
//!   workload sources named after it. If that closes an endless loop, the handler's
//!   sends become an outcome with probability 0.5.
//! - **Workload**: every event consumed from a topic that nothing publishes there
//!   gets a source (`<event> producer`), so the model runs.
//!
//! Defaults for what AsyncAPI does not say: services have 1 instance of
//! [`build::SERVICE_CONCURRENCY`] workers and an unbounded queue, handlers take
//! `Exponential(mean: 10ms)`, sources send Poisson 10 a second, runs last 60 s with
//! seed 1. [`Imported::to_ron`] writes them as comments at the top of the model.
//! Local `$ref`s are followed (components, channels, bindings); others are refused.

mod build;
mod document;
mod error;
mod loops;
#[cfg(test)]
mod tests;

pub use build::{HANDLER_MEAN, SERVICE_CONCURRENCY, SOURCE_PER_SEC};
pub use error::ImportError;

use crate::model::{Model, SaveError, to_ron};

/// An imported model and what the import assumed or left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The starting model.
    pub model: Model,
    /// One line per default chosen or element left out, for the reader.
    pub notes: Vec<String>,
}

impl Imported {
    /// The model as RON, with the notes as comments at the top.
    pub fn to_ron(&self) -> Result<String, SaveError> {
        let mut out = String::from(
            "// Imported from an AsyncAPI document by `eventscape import asyncapi`.\n\
             // AsyncAPI says who sends and receives what, not how long it takes; these are\n\
             // defaults to replace with measured figures:\n",
        );
        for n in &self.notes {
            out.push_str("//   - ");
            out.push_str(n);
            out.push('\n');
        }
        out.push_str(&to_ron(&self.model)?);
        Ok(out)
    }
}

/// Import a document (YAML or JSON text): the model and the notes.
pub fn import(src: &str) -> Result<Imported, ImportError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let root: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(src).map_err(|e| ImportError::from_yaml(src, &e))?;
    let doc = document::read(&root)?;
    let (model, mut notes) = build::build(&doc);
    let mut defaults = vec![
        format!("services: 1 instance × {SERVICE_CONCURRENCY} workers, unbounded queue"),
        format!("handlers: Exponential(mean: \"{HANDLER_MEAN}\") per message"),
        format!(
            "run: {} of simulated time, seed {}",
            model.duration, model.seed
        ),
    ];
    if !model.sources.is_empty() {
        defaults.push(format!(
            "sources ({}): Poisson {SOURCE_PER_SEC} a second each",
            model
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    defaults.push("payload schemas are not kept: the model holds sizes, not fields".into());
    defaults.append(&mut notes);
    Ok(Imported {
        model,
        notes: defaults,
    })
}

/// Import a document (YAML or JSON text) as a starting model.
pub fn from_yaml(src: &str) -> Result<Model, ImportError> {
    import(src).map(|i| i.model)
}
