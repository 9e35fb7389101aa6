//! Scheduled faults (chaos): each happens at a time and lasts a while.

use serde::{Deserialize, Serialize};

use super::Duration;

/// One fault window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// What goes wrong, and where.
    pub kind: FaultKind,
    /// Start, from the beginning of the run.
    pub at: Duration,
    /// How long the fault lasts.
    pub lasting: Duration,
}

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum FaultKind {
    /// Every instance of the service is down: in-flight work is lost and redelivered.
    Crash {
        /// The service that crashes.
        service: String,
    },
    /// The service's handling takes `factor` times as long.
    SlowDown {
        /// The service that slows down.
        service: String,
        /// How many times longer handling takes (2.0 = twice as long).
        factor: f64,
    },
    /// The whole broker is unavailable: nothing can be published or consumed.
    BrokerOutage,
    /// One partition of a topic (or, without `partition`, all of them) is unavailable.
    PartitionOutage {
        /// The topic whose partition is down.
        topic: String,
        /// The partition that is down, 0-based; absent: every partition.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partition: Option<u32>,
    },
    /// Messages on the topic are delivered twice with this probability.
    Duplicate {
        /// The topic whose messages are duplicated.
        topic: String,
        /// Chance that a message is delivered twice, a fraction 0–1.
        probability: f64,
    },
    /// Messages on the topic swap places with the next one with this probability.
    Reorder {
        /// The topic whose messages are reordered.
        topic: String,
        /// Chance that a message swaps with the next one, a fraction 0–1.
        probability: f64,
    },
    /// Messages on the topic take `extra` longer to arrive.
    Delay {
        /// The topic whose messages are delayed.
        topic: String,
        /// Added to every delivery.
        extra: Duration,
    },
    /// Messages on the topic are poison with this probability: every attempt to
    /// handle them fails, so they end in the dead-letter topic.
    Poison {
        /// The topic whose messages may be poison.
        topic: String,
        /// Chance that a message is poison, a fraction 0–1.
        probability: f64,
    },
}

impl FaultKind {
    /// A short human label: "crash", "slow-down", …
    pub fn label(&self) -> &'static str {
        match self {
            FaultKind::Crash { .. } => "crash",
            FaultKind::SlowDown { .. } => "slow-down",
            FaultKind::BrokerOutage => "broker outage",
            FaultKind::PartitionOutage { .. } => "partition outage",
            FaultKind::Duplicate { .. } => "duplicate delivery",
            FaultKind::Reorder { .. } => "reordering",
            FaultKind::Delay { .. } => "extra delay",
            FaultKind::Poison { .. } => "poison messages",
        }
    }
}

impl Fault {
    /// The fault in words: "crash of \"inventory\" at 3m for 30s".
    pub fn describe(&self) -> String {
        let what = match &self.kind {
            FaultKind::Crash { service } => format!("crash of \"{service}\""),
            FaultKind::SlowDown { service, factor } => format!("\"{service}\" {factor}× slower"),
            FaultKind::BrokerOutage => "broker outage".to_owned(),
            FaultKind::PartitionOutage {
                topic,
                partition: Some(p),
            } => {
                format!("outage of partition {p} of \"{topic}\"")
            }
            FaultKind::PartitionOutage {
                topic,
                partition: None,
            } => format!("outage of \"{topic}\""),
            FaultKind::Duplicate { topic, probability } => {
                format!("{}% of \"{topic}\" delivered twice", probability * 100.0)
            }
            FaultKind::Reorder { topic, probability } => {
                format!("{}% of \"{topic}\" reordered", probability * 100.0)
            }
            FaultKind::Delay { topic, extra } => format!("\"{topic}\" delayed by {extra}"),
            FaultKind::Poison { topic, probability } => {
                format!("{}% of \"{topic}\" poison", probability * 100.0)
            }
        };
        format!("{what} at {} for {}", self.at, self.lasting)
    }
}
