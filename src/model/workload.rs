//! Workload sources: where traffic comes from.

use serde::{Deserialize, Serialize};

use super::{Action, Duration, Pos};

/// An external producer: a web shop, a batch job, a partner feed. Every item it
/// emits starts a new correlation id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Name, unique among the model's sources.
    pub name: String,
    /// Free text about who or what the source stands for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What each arrival sends: `Publish(…)` to a topic or `Send(…)` to a service.
    pub emit: Action,
    /// How often it sends.
    pub rate: Rate,
    /// Number of distinct keys (entity ids) the items are spread over; it decides
    /// how evenly partitions are used and how often one entity's events contend.
    #[serde(default = "default_keys")]
    pub keys: u64,
    /// When the source starts sending (default: at time zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Duration>,
    /// When it stops (default: at the end of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Duration>,
    /// Where it is drawn on the canvas; absent: placed by the automatic layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<Pos>,
}

impl Source {
    /// A source running the whole run over the default number of keys.
    pub fn new(name: impl Into<String>, emit: Action, rate: Rate) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            emit,
            rate,
            keys: default_keys(),
            start: None,
            stop: None,
            pos: None,
        }
    }
}

fn default_keys() -> u64 {
    1000
}

/// Arrival process of a source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Rate {
    /// Independent arrivals, on average `per_sec` a second.
    Poisson {
        /// Mean arrivals per second.
        per_sec: f64,
    },
    /// Exactly evenly spaced arrivals.
    Constant {
        /// Arrivals per second.
        per_sec: f64,
    },
    /// `size` items at once, every `every`.
    Bursts {
        /// Items in one burst.
        size: u32,
        /// Time from one burst to the next.
        every: Duration,
    },
}

impl Rate {
    /// Long-run mean arrivals per second.
    pub fn mean_per_sec(&self) -> f64 {
        match *self {
            Rate::Poisson { per_sec } | Rate::Constant { per_sec } => per_sec,
            Rate::Bursts { size, every } => {
                let secs = every.as_secs_f64();
                if secs > 0.0 {
                    f64::from(size) / secs
                } else {
                    f64::INFINITY
                }
            }
        }
    }
}
