//! Assertions (SLOs and invariants) checked after a run; a failing one fails
//! `eventscape simulate` in CI.

use serde::{Deserialize, Serialize};

use super::Duration;

/// One check on the outcome of a simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Assertion {
    /// The given percentile (e.g. 99.0) of end-to-end latency of the source's
    /// completed items is under a bound.
    Latency { source: String, percentile: f64, under: Duration },
    /// Consumer lag on the topic (for one group, or every group) never exceeds a
    /// number of messages.
    MaxLag {
        topic: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        under: u64,
    },
    /// The service's utilisation (busy time / capacity) stays under a fraction.
    MaxUtilisation { service: String, under: f64 },
    /// The service's queue never holds more than this many messages.
    MaxQueue { service: String, under: u64 },
    /// Every saga instance started has completed or been fully compensated.
    NoUnfinishedSagas,
    /// Nothing ended in a dead-letter topic.
    NoDeadLetters,
    /// No message expired by retention or was dropped by a fault.
    NoLostMessages,
}
