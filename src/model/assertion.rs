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
    Latency {
        /// The workload source whose items are measured.
        source: String,
        /// Which percentile, in percent (50.0 = the median, 99.0 = p99).
        percentile: f64,
        /// The bound the percentile must stay under.
        under: Duration,
    },
    /// Consumer lag on the topic (for one group, or every group) always stays under a
    /// number of messages.
    MaxLag {
        /// The topic whose lag is measured.
        topic: String,
        /// The consumer group measured; absent: every group on the topic.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        /// The bound, in messages.
        under: u64,
    },
    /// The service's utilisation (busy time / capacity) stays under a fraction.
    MaxUtilisation {
        /// The service measured.
        service: String,
        /// The bound, a fraction 0–1.
        under: f64,
    },
    /// The service's queue always stays under this many messages.
    MaxQueue {
        /// The service whose queue is measured.
        service: String,
        /// The bound, in messages.
        under: u64,
    },
    /// Every saga instance started has completed or been fully compensated.
    NoUnfinishedSagas,
    /// Nothing ended in a dead-letter topic.
    NoDeadLetters,
    /// No message expired by retention or was dropped by a fault.
    NoLostMessages,
    /// No effect of a failed process is left standing: no step of an aborted saga
    /// succeeded without a compensation after it, and no choreographed compensation
    /// (an event that `compensates` another) that a failure made due failed to come.
    NoOrphanedEffects,
}

impl Assertion {
    /// The assertion in words: "p99 end-to-end latency of \"web shop\" under 2s".
    pub fn describe(&self) -> String {
        match self {
            Assertion::Latency {
                source,
                percentile,
                under,
            } => {
                format!("p{percentile} end-to-end latency of \"{source}\" under {under}")
            }
            Assertion::MaxLag {
                topic,
                group: Some(group),
                under,
            } => {
                format!("lag of group \"{group}\" on \"{topic}\" under {under} messages")
            }
            Assertion::MaxLag {
                topic,
                group: None,
                under,
            } => {
                format!("lag on \"{topic}\" under {under} messages for every group")
            }
            Assertion::MaxUtilisation { service, under } => {
                format!("utilisation of \"{service}\" under {:.0}%", under * 100.0)
            }
            Assertion::MaxQueue { service, under } => {
                format!("queue of \"{service}\" under {under} messages")
            }
            Assertion::NoUnfinishedSagas => "no saga left unfinished".to_owned(),
            Assertion::NoDeadLetters => "no dead letters".to_owned(),
            Assertion::NoLostMessages => "no lost messages".to_owned(),
            Assertion::NoOrphanedEffects => "no orphaned effects".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_in_words() {
        let a = Assertion::Latency {
            source: "web shop".into(),
            percentile: 99.0,
            under: Duration::from_secs(2),
        };
        assert_eq!(
            a.describe(),
            "p99 end-to-end latency of \"web shop\" under 2s"
        );
        let u = Assertion::MaxUtilisation {
            service: "payment".into(),
            under: 0.8,
        };
        assert_eq!(u.describe(), "utilisation of \"payment\" under 80%");
    }
}
