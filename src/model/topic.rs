//! Kafka-like topics.

use serde::{Deserialize, Serialize};

use super::serde_defaults::{is_false, one};
use super::{Duration, Pos};

/// A partitioned, retained log of events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Name, unique among the model's topics.
    pub name: String,
    /// Free text about what the topic carries.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Number of partitions (at least 1). Order holds within a partition only; a
    /// consumer group can use at most this many consumers in parallel.
    #[serde(default = "one")]
    pub partitions: u32,
    /// The field whose value picks the partition (`hash(key) mod partitions`), e.g.
    /// `"order_id"`. Without a key, messages are spread round-robin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// How long messages are kept; unconsumed messages older than this are lost
    /// (or moved to the archive tier). Absent: kept forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Duration>,
    /// Expired messages move to cheaper archive storage instead of being deleted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub archive: bool,
    /// The bounded context (domain) it belongs to, e.g. `"billing"`; absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Where it is drawn on the canvas; absent: placed by the automatic layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<Pos>,
}

impl Topic {
    /// A topic with one partition, no key, kept forever.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            partitions: 1,
            key: None,
            retention: None,
            archive: false,
            domain: None,
            pos: None,
        }
    }
}
