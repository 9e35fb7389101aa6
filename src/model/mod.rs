//! The document: everything an architect draws, as plain data.
//!
//! A [`Model`] is what a `.ron` file holds. Names are the ids in the file (a saga step
//! says `service: "payment"`); [`Index`] turns them into typed ids for the engine.
//! [`load_file`]/[`parse`] read a model with precise errors, [`to_ron`]/[`save_file`]
//! write it back in one canonical, diff-friendly form, and [`validate`] reports every
//! problem of a well-formed model at once.
//!
//! This layer knows nothing of the engine or the UI.

mod assertion;
mod cqrs;
mod distribution;
mod domains;
mod duration;
pub mod edit;
mod event_type;
mod fault;
pub mod flows;
mod index;
mod io;
mod parse_error;
mod saga;
mod serde_defaults;
mod service;
mod suggest;
mod topic;
pub mod validate;
mod workload;

pub use assertion::Assertion;
pub use cqrs::{EventStore, Projection};
pub use distribution::{Distribution, Z_P99, lognormal_params};
pub use duration::{Duration, DurationError};
pub use event_type::{Compatibility, EventStyle, EventType};
pub use fault::{Fault, FaultKind};
pub use flows::{Flows, effective_group};
pub use index::{
    ElementKind, ElementRef, EventId, Index, ProjectionId, SagaId, ServiceId, SourceId, StoreId,
    TopicId,
};
pub use io::{LoadError, SaveError, load_file, parse, parse_bytes, save_file, to_ron};
pub use parse_error::ParseError;
pub use saga::{OnLateSuccess, OnTimeout, Saga, SagaOutcome, Step};
pub use service::{
    Action, Callback, DEFAULT_DEDUPE_SIZE, DEFAULT_DEDUPE_TIME, DedupeWindow, Handler, Outcome,
    Retry, Service, Trigger,
};
pub use topic::Topic;
pub use validate::{Problem, Severity, validate};
pub use workload::{Rate, Source};

use serde::{Deserialize, Serialize};

/// A whole architecture model: the contents of one `.ron` file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Name of the architecture, shown in titles and exports.
    pub name: String,
    /// Free text about the architecture, for the reader of its documents.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Default seed of a simulation run; the same seed gives the same run.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Default length of a simulation run, in simulated time.
    #[serde(default = "default_duration")]
    pub duration: Duration,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The event types its messages carry.
    pub events: Vec<EventType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The topics events are published to.
    pub topics: Vec<Topic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The services that publish, consume and handle messages.
    pub services: Vec<Service>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The orchestrated sagas.
    pub sagas: Vec<Saga>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The event stores services append to.
    pub stores: Vec<EventStore>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The read models built from event stores.
    pub projections: Vec<Projection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The workload sources that drive a simulation run.
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The failures injected into a simulation run.
    pub faults: Vec<Fault>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The properties a simulation run is checked against.
    pub assertions: Vec<Assertion>,
}

fn default_seed() -> u64 {
    1
}

fn default_duration() -> Duration {
    Duration::from_secs(60)
}

impl Model {
    /// An empty model with default seed and duration.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            seed: default_seed(),
            duration: default_duration(),
            events: Vec::new(),
            topics: Vec::new(),
            services: Vec::new(),
            sagas: Vec::new(),
            stores: Vec::new(),
            projections: Vec::new(),
            sources: Vec::new(),
            faults: Vec::new(),
            assertions: Vec::new(),
        }
    }

    /// The service of this name (the first, if the name is used twice).
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The topic of this name (the first, if the name is used twice).
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// The event type of this name (the first, if the name is used twice).
    pub fn event(&self, name: &str) -> Option<&EventType> {
        self.events.iter().find(|e| e.name == name)
    }

    /// The event store of this name (the first, if the name is used twice).
    pub fn store(&self, name: &str) -> Option<&EventStore> {
        self.stores.iter().find(|s| s.name == name)
    }

    /// Does the model hold this element (an element of its kind with its name)?
    pub fn contains(&self, element: &ElementRef) -> bool {
        let n = element.name.as_str();
        match element.kind {
            ElementKind::Service => self.services.iter().any(|x| x.name == n),
            ElementKind::Topic => self.topics.iter().any(|x| x.name == n),
            ElementKind::Event => self.events.iter().any(|x| x.name == n),
            ElementKind::Saga => self.sagas.iter().any(|x| x.name == n),
            ElementKind::Store => self.stores.iter().any(|x| x.name == n),
            ElementKind::Projection => self.projections.iter().any(|x| x.name == n),
            ElementKind::Source => self.sources.iter().any(|x| x.name == n),
        }
    }

    /// The model's flows (who sends what to whom), derived once; see [`Flows`].
    pub fn flows(&self) -> Flows<'_> {
        Flows::new(self)
    }

    /// Number of drawable elements (services, topics, sagas, stores, projections,
    /// sources).
    pub fn node_count(&self) -> usize {
        self.services.len()
            + self.topics.len()
            + self.sagas.len()
            + self.stores.len()
            + self.projections.len()
            + self.sources.len()
    }
}

/// A position on the diagram canvas, written `(x, y)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "(f32, f32)", into = "(f32, f32)")]
pub struct Pos {
    /// Horizontal position, growing to the right.
    pub x: f32,
    /// Vertical position, growing downwards.
    pub y: f32,
}

impl From<(f32, f32)> for Pos {
    fn from((x, y): (f32, f32)) -> Self {
        Pos { x, y }
    }
}

impl From<Pos> for (f32, f32) {
    fn from(p: Pos) -> Self {
        (p.x, p.y)
    }
}
