//! Event sourcing and CQRS: event stores (the write side) and projections (read models).

use serde::{Deserialize, Serialize};

use super::serde_defaults::is_zero_f64;
use super::{Distribution, Duration, Pos};

/// An append-only store of one aggregate's domain events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventStore {
    /// Name, unique among the model's event stores.
    pub name: String,
    /// Free text about what the store holds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The aggregate whose history the store keeps, e.g. `"Order"`.
    pub aggregate: String,
    /// Time to append one event.
    #[serde(default = "default_append")]
    pub append: Distribution,
    /// Cost to replay one event when rebuilding an aggregate or a projection.
    #[serde(default = "default_replay")]
    pub replay_per_event: Duration,
    /// A snapshot every this many events per aggregate bounds rebuild cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_every: Option<u32>,
    /// Topic that appended events are also published to (outbox / change feed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_to: Option<String>,
    /// The bounded context (domain) it belongs to, e.g. `"billing"`; absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Where it is drawn on the canvas; absent: placed by the automatic layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<Pos>,
}

fn default_append() -> Distribution {
    Distribution::Constant(Duration::from_millis(2))
}

fn default_replay() -> Duration {
    Duration::from_nanos(50_000)
}

impl EventStore {
    /// A store with the default append and replay costs, no snapshots and no feed.
    pub fn new(name: impl Into<String>, aggregate: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            aggregate: aggregate.into(),
            append: default_append(),
            replay_per_event: default_replay(),
            snapshot_every: None,
            publish_to: None,
            domain: None,
            pos: None,
        }
    }
}

/// A read model kept up to date from an event store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Projection {
    /// Name, unique among the model's projections.
    pub name: String,
    /// Free text about what the read model answers.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The event store the projection follows.
    pub store: String,
    /// Time to apply one event to the read model.
    pub update: Distribution,
    /// Queries per second against the read model; a query that arrives while the
    /// projection lags behind the store reads stale data.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub reads_per_sec: f64,
    /// The bounded context (domain) it belongs to, e.g. `"billing"`; absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Where it is drawn on the canvas; absent: placed by the automatic layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<Pos>,
}

impl Projection {
    /// A projection of `store` that takes `update` per event and is never read.
    pub fn new(name: impl Into<String>, store: impl Into<String>, update: Distribution) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            store: store.into(),
            update,
            reads_per_sec: 0.0,
            domain: None,
            pos: None,
        }
    }
}
