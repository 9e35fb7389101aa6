//! Event types: the schema registry of a model.

use serde::{Deserialize, Serialize};

use super::serde_defaults::{is_default, is_false, is_one, one};

/// One event type with its current schema version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Event", deny_unknown_fields)]
pub struct EventType {
    /// Name, unique among the model's event types.
    pub name: String,
    /// Free text about what the event means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The current schema version in the registry (1, 2, …).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub version: u32,
    /// Which schema changes the registry allows, and so which producer/consumer
    /// version pairs can talk (see [`Compatibility::allows`]).
    #[serde(default, skip_serializing_if = "is_default")]
    pub compatibility: Compatibility,
    /// Serialised size of one event; larger payloads cost more to handle where a
    /// handler says so (`per_kib`).
    #[serde(default = "default_payload_bytes")]
    pub payload_bytes: u32,
    /// What the event carries: a notification, the state, or a domain fact.
    #[serde(default)]
    pub style: EventStyle,
    /// The event reports that the business process failed (`PaymentFailed`,
    /// `OutOfStock`): an item that publishes it did not take the happy path, and
    /// effects published before it may need undoing (see `compensates`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub failure: bool,
    /// The event type whose effect this one undoes (`PaymentRefunded` compensates
    /// `PaymentCompleted`): a choreographed compensation. When an item publishes that
    /// event and then a failure event, this one is due; if the item ends without it,
    /// the effect is orphaned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensates: Option<String>,
    /// The editor made this event type up while connecting two boxes ("OrdersEvent"),
    /// and the user has not named or edited it since: deleting what used it deletes
    /// it too (`edit::delete`). Written only while true, so hand-written files are
    /// unchanged.
    #[serde(default, skip_serializing_if = "is_false")]
    pub placeholder: bool,
}

fn default_payload_bytes() -> u32 {
    256
}

impl EventType {
    /// A state-transfer event type at version 1 with the default payload size.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            version: 1,
            compatibility: Compatibility::default(),
            payload_bytes: default_payload_bytes(),
            style: EventStyle::default(),
            failure: false,
            compensates: None,
            placeholder: false,
        }
    }
}

/// Schema-evolution rule of an event type, as in a schema registry (Confluent's
/// non-transitive modes: each version is checked against the one before it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Compatibility {
    /// A consumer on version v can read data written with v or v-1: upgrade
    /// consumers first. The registry's usual default.
    #[default]
    Backward,
    /// Data written with version v can be read by consumers on v or v-1: upgrade
    /// producers first.
    Forward,
    /// Both: producer and consumer may be one version apart either way.
    Full,
    /// No guarantee: producer and consumer must use the same version.
    None,
}

impl Compatibility {
    /// Can a consumer reading with schema `consumer` handle data written with
    /// schema `producer`?
    pub fn allows(self, producer: u32, consumer: u32) -> bool {
        match self {
            Compatibility::Backward => consumer >= producer && consumer - producer <= 1,
            Compatibility::Forward => producer >= consumer && producer - consumer <= 1,
            Compatibility::Full => producer.abs_diff(consumer) <= 1,
            Compatibility::None => producer == consumer,
        }
    }
}

/// The three event styles of the reference text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventStyle {
    /// Thin: an id and a type. Consumers call back the source for details, which
    /// loads the source and makes consumers depend on it being up.
    Notification,
    /// Fat: the event carries the state consumers need; they keep local copies.
    #[default]
    StateTransfer,
    /// A domain event, the unit of record in an event-sourced store.
    DomainEvent,
}

impl EventStyle {
    /// How people call it: "Notification (thin)", "Event-carried state transfer (fat)".
    pub fn label(self) -> &'static str {
        match self {
            EventStyle::Notification => "Notification (thin)",
            EventStyle::StateTransfer => "Event-carried state transfer (fat)",
            EventStyle::DomainEvent => "Domain event",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Compatibility::*;

    #[test]
    fn compatibility_rules_follow_the_registry() {
        // Backward: new consumers read old data.
        assert!(Backward.allows(1, 2));
        assert!(!Backward.allows(2, 1));
        assert!(!Backward.allows(1, 3));
        // Forward: old consumers read new data.
        assert!(Forward.allows(2, 1));
        assert!(!Forward.allows(1, 2));
        // Full: one apart either way.
        assert!(Full.allows(1, 2) && Full.allows(2, 1) && !Full.allows(1, 3));
        // None: only the same version.
        assert!(None.allows(3, 3) && !None.allows(2, 3));
    }
}
