//! Typed ids and a name → id index over a model.
//!
//! In the file, elements refer to each other by name. Inside, the engine and the
//! analysis use small copyable ids, each typed by the kind of element it names, so a
//! topic id can never be passed where a service id is meant.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::Model;
use super::flows::{Flows, MessageKind, Receiver};

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// Position of the element in its list in the model.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

typed_id!(
    /// A service, by position in `Model::services`.
    ServiceId
);
typed_id!(
    /// A topic, by position in `Model::topics`.
    TopicId
);
typed_id!(
    /// An event type, by position in `Model::events`.
    EventId
);
typed_id!(
    /// A saga, by position in `Model::sagas`.
    SagaId
);
typed_id!(
    /// An event store, by position in `Model::stores`.
    StoreId
);
typed_id!(
    /// A projection, by position in `Model::projections`.
    ProjectionId
);
typed_id!(
    /// A workload source, by position in `Model::sources`.
    SourceId
);

/// The kinds of named element a model holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// An event type (`Model::events`).
    Event,
    /// A topic (`Model::topics`).
    Topic,
    /// A service (`Model::services`).
    Service,
    /// A saga (`Model::sagas`).
    Saga,
    /// An event store (`Model::stores`).
    Store,
    /// A projection (`Model::projections`).
    Projection,
    /// A workload source (`Model::sources`).
    Source,
}

impl ElementKind {
    /// The kind as a user reads it in messages, e.g. `"event store"`.
    pub fn label(self) -> &'static str {
        match self {
            ElementKind::Event => "event",
            ElementKind::Topic => "topic",
            ElementKind::Service => "service",
            ElementKind::Saga => "saga",
            ElementKind::Store => "event store",
            ElementKind::Projection => "projection",
            ElementKind::Source => "source",
        }
    }
}

/// A named element of a model, e.g. for a problem to point at or a selection.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ElementRef {
    /// What kind of element it is.
    pub kind: ElementKind,
    /// Its name in the model.
    pub name: String,
}

impl ElementRef {
    /// The element of kind `kind` named `name`.
    pub fn new(kind: ElementKind, name: impl Into<String>) -> Self {
        Self {
            kind,
            name: name.into(),
        }
    }
}

impl fmt::Display for ElementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\"", self.kind.label(), self.name)
    }
}

/// Name → typed id for every element of a model. When a name occurs twice (an
/// error that validation reports), the first occurrence wins.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Service name → id.
    pub services: BTreeMap<String, ServiceId>,
    /// Topic name → id.
    pub topics: BTreeMap<String, TopicId>,
    /// Event type name → id.
    pub events: BTreeMap<String, EventId>,
    /// Saga name → id.
    pub sagas: BTreeMap<String, SagaId>,
    /// Event store name → id.
    pub stores: BTreeMap<String, StoreId>,
    /// Projection name → id.
    pub projections: BTreeMap<String, ProjectionId>,
    /// Workload source name → id.
    pub sources: BTreeMap<String, SourceId>,
    /// Command name → the services that handle it, in model order.
    pub commands: BTreeMap<String, Vec<ServiceId>>,
    /// Query name → the services that answer it, in model order.
    pub queries: BTreeMap<String, Vec<ServiceId>>,
}

fn index_names<'a, Id>(
    names: impl Iterator<Item = &'a str>,
    make: impl Fn(u32) -> Id,
) -> BTreeMap<String, Id> {
    let mut map = BTreeMap::new();
    for (i, name) in names.enumerate() {
        let id = make(u32::try_from(i).unwrap_or(u32::MAX));
        map.entry(name.to_owned()).or_insert(id);
    }
    map
}

impl Index {
    /// The index of a model.
    pub fn new(model: &Model) -> Self {
        Self::from_flows(&Flows::new(model))
    }

    /// The index of the model the flows were derived from, with the commands and
    /// queries each service handles as the flows say (a saga started by a command makes
    /// its orchestrator handle it).
    pub fn from_flows(flows: &Flows) -> Self {
        let model = flows.model();
        let service_ids = index_names(model.services.iter().map(|s| s.name.as_str()), ServiceId);
        let mut commands: BTreeMap<String, Vec<ServiceId>> = BTreeMap::new();
        let mut queries: BTreeMap<String, Vec<ServiceId>> = BTreeMap::new();
        for h in flows.handlers() {
            let id = match h.receiver {
                Receiver::Handler(at) => at.id,
                Receiver::Saga(_) => match service_ids.get(h.service) {
                    Some(&id) => id,
                    None => continue,
                },
            };
            let target = match h.kind {
                MessageKind::Query => queries.entry(h.name.to_owned()).or_default(),
                _ => commands.entry(h.name.to_owned()).or_default(),
            };
            if !target.contains(&id) {
                target.push(id);
            }
        }
        Self {
            services: service_ids,
            topics: index_names(model.topics.iter().map(|t| t.name.as_str()), TopicId),
            events: index_names(model.events.iter().map(|e| e.name.as_str()), EventId),
            sagas: index_names(model.sagas.iter().map(|s| s.name.as_str()), SagaId),
            stores: index_names(model.stores.iter().map(|s| s.name.as_str()), StoreId),
            projections: index_names(
                model.projections.iter().map(|p| p.name.as_str()),
                ProjectionId,
            ),
            sources: index_names(model.sources.iter().map(|s| s.name.as_str()), SourceId),
            commands,
            queries,
        }
    }

    /// The id of the service named `name`, if there is one.
    pub fn service(&self, name: &str) -> Option<ServiceId> {
        self.services.get(name).copied()
    }

    /// The id of the topic named `name`, if there is one.
    pub fn topic(&self, name: &str) -> Option<TopicId> {
        self.topics.get(name).copied()
    }

    /// The id of the event type named `name`, if there is one.
    pub fn event(&self, name: &str) -> Option<EventId> {
        self.events.get(name).copied()
    }

    /// The id of the event store named `name`, if there is one.
    pub fn store(&self, name: &str) -> Option<StoreId> {
        self.stores.get(name).copied()
    }

    /// The id of the workload source named `name`, if there is one.
    pub fn source(&self, name: &str) -> Option<SourceId> {
        self.sources.get(name).copied()
    }

    /// Does `service` have a handler for the command `name`?
    pub fn handles_command(&self, service: ServiceId, name: &str) -> bool {
        self.commands
            .get(name)
            .is_some_and(|s| s.contains(&service))
    }

    /// Does `service` answer the query `name`?
    pub fn answers_query(&self, service: ServiceId, name: &str) -> bool {
        self.queries.get(name).is_some_and(|s| s.contains(&service))
    }
}
