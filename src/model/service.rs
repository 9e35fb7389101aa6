//! Services and their handlers: what a service consumes, how long it takes, and what it
//! emits.

use serde::{Deserialize, Serialize};

use super::serde_defaults::{is_default, is_false, is_zero_f64, one};
use super::{Distribution, Duration, Pos};

/// A deployable service: `instances` × `concurrency` workers sharing one queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Name, unique among the model's services.
    pub name: String,
    /// Free text about what the service does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Running instances; each is one member of every consumer group the service
    /// joins.
    #[serde(default = "one")]
    pub instances: u32,
    /// Messages one instance handles at the same time.
    #[serde(default = "one")]
    pub concurrency: u32,
    /// Bound of the service's waiting room: an arrival that finds every worker busy
    /// and this many messages waiting is rejected. `0` is a loss system (synchronous,
    /// bounded concurrency: rejected exactly when all workers are busy, Erlang B).
    /// Absent: unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<u32>,
    /// How it reacts to each kind of message it takes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handlers: Vec<Handler>,
    /// How long (and how many) message ids the service remembers to spot duplicates;
    /// a copy that arrives after its first copy was forgotten is applied again. The
    /// default is [`DedupeWindow::default`]: 10 minutes, up to 1,000,000 ids.
    #[serde(default, skip_serializing_if = "is_default")]
    pub dedupe_window: DedupeWindow,
    /// The bounded context (domain) it belongs to, e.g. `"billing"`; absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Where it is drawn on the canvas; absent: placed by the automatic layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<Pos>,
}

impl Service {
    /// A service with one instance, one worker, an unbounded queue and no handlers.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            instances: 1,
            concurrency: 1,
            queue: None,
            handlers: Vec::new(),
            dedupe_window: DedupeWindow::default(),
            domain: None,
            pos: None,
        }
    }

    /// The handler for a command or query of this name, if the service has one.
    pub fn handler_for_request(&self, name: &str) -> Option<&Handler> {
        self.handlers.iter().find(|h| match &h.on {
            Trigger::Command(c) | Trigger::Query(c) => c == name,
            Trigger::Event { .. } => false,
        })
    }
}

/// How a service reacts to one kind of message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handler {
    /// What the handler consumes.
    pub on: Trigger,
    /// Time to handle one message.
    pub latency: Distribution,
    /// Extra handling time per KiB of payload (parsing, copying, storing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_kib: Option<Duration>,
    /// Chance that one attempt fails (an exception, a timeout to a database); failed
    /// attempts are retried per `retry`, then dead-lettered.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub fail_probability: f64,
    /// For notification events: the consumer calls back the source for the details
    /// before it can act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<Callback>,
    /// Emitted every time the handler succeeds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emit: Vec<Action>,
    /// Alternative outcomes of a success, one of which happens, with probabilities
    /// that sum to 1 (e.g. PaymentCompleted 0.95 / PaymentFailed 0.05).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// Skips messages it has already seen (by event id), so duplicates have no effect.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotent: bool,
    /// How failed attempts are retried; the default is a single attempt.
    #[serde(default, skip_serializing_if = "is_default")]
    pub retry: Retry,
    /// Topic that receives messages that still fail after the last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter: Option<String>,
}

impl Handler {
    /// A handler of `on` taking `latency` per message, that never fails and emits
    /// nothing.
    pub fn new(on: Trigger, latency: Distribution) -> Self {
        Self {
            on,
            latency,
            per_kib: None,
            fail_probability: 0.0,
            callback: None,
            emit: Vec::new(),
            outcomes: Vec::new(),
            idempotent: false,
            retry: Retry::default(),
            dead_letter: None,
        }
    }

    /// Every action this handler can take, unconditional ones first.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.emit
            .iter()
            .chain(self.outcomes.iter().flat_map(|o| o.emit.iter()))
    }

    /// Names of the replies this handler can send.
    pub fn replies(&self) -> impl Iterator<Item = &str> {
        self.actions().filter_map(|a| match a {
            Action::Reply(name) => Some(name.as_str()),
            _ => None,
        })
    }
}

/// What a handler consumes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Trigger {
    /// An event read from a topic by a consumer group.
    Event {
        /// The event type consumed.
        event: String,
        /// The topic it is read from.
        topic: String,
        /// Consumer group; absent means the consuming service's own name. Each
        /// group keeps its own offsets.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        /// Schema version the consumer reads with; absent means the current one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u32>,
    },
    /// A command sent to this service (by a saga step, a handler or a source).
    Command(String),
    /// A synchronous request, e.g. the callback a notification's consumer makes.
    Query(String),
}

impl Trigger {
    /// A subscription to `event` on `topic` in the default consumer group.
    pub fn event(event: impl Into<String>, topic: impl Into<String>) -> Self {
        Trigger::Event {
            event: event.into(),
            topic: topic.into(),
            group: None,
            version: None,
        }
    }

    /// The name of the message it takes: the event, command or query.
    pub fn message(&self) -> &str {
        match self {
            Trigger::Event { event, .. } => event,
            Trigger::Command(name) | Trigger::Query(name) => name,
        }
    }

    /// A short human description: `OrderPlaced from orders`, `command ChargeCard`.
    pub fn describe(&self) -> String {
        match self {
            Trigger::Event { event, topic, .. } => format!("{event} from {topic}"),
            Trigger::Command(name) => format!("command {name}"),
            Trigger::Query(name) => format!("query {name}"),
        }
    }
}

/// A synchronous call back to the source of a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    /// The service called; it must handle `query`.
    pub service: String,
    /// The query it is asked.
    pub query: String,
}

/// One alternative outcome of a handler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Chance of this outcome, a fraction 0–1.
    pub probability: f64,
    /// What is sent when it happens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emit: Vec<Action>,
}

/// Something a handler (or a saga, or a source) sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Action {
    /// Publish an event to a topic.
    Publish {
        /// The event type published.
        event: String,
        /// The topic it goes to.
        topic: String,
        /// Schema version written; absent means the current one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u32>,
    },
    /// Send a command to a service.
    Send {
        /// The command sent.
        command: String,
        /// The service that handles it.
        to: String,
    },
    /// Reply to whoever sent the command or query being handled.
    Reply(String),
    /// Append a domain event to an event store.
    Append {
        /// The domain event appended.
        event: String,
        /// The event store it is appended to.
        store: String,
    },
}

/// A consumer's memory of the message ids it has seen, as a real deduplication store
/// keeps it (a table with a time to live, a bounded cache): an id is forgotten once
/// `time` has passed since the service first saw it (within an eighth of `time`: the
/// engine forgets in slices), and the oldest ids are forgotten early when more than
/// `size` are remembered. A duplicate that arrives after its id was forgotten is
/// applied a second time, and counted as such: a double effect, and among the
/// `forgotten_duplicates` of the statistics. A `time` or `size` of 0 remembers nothing.
///
/// Written `DedupeWindow(time: "10m", size: 1000000)`; either field may be left out.
/// The defaults follow common brokers' duplicate-detection windows (Azure Service
/// Bus keeps 10 minutes; SQS FIFO 5 minutes), with a size cap so that memory stays
/// bounded at any rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupeWindow {
    /// How long an id is remembered after the service first saw it.
    #[serde(default = "default_dedupe_time")]
    pub time: Duration,
    /// Most ids remembered at once; the oldest is forgotten first.
    #[serde(default = "default_dedupe_size")]
    pub size: u32,
}

/// Default of [`DedupeWindow::time`]: 10 minutes.
pub const DEFAULT_DEDUPE_TIME: Duration = Duration::from_secs(600);
/// Default of [`DedupeWindow::size`]: a million ids.
pub const DEFAULT_DEDUPE_SIZE: u32 = 1_000_000;

fn default_dedupe_time() -> Duration {
    DEFAULT_DEDUPE_TIME
}

fn default_dedupe_size() -> u32 {
    DEFAULT_DEDUPE_SIZE
}

impl Default for DedupeWindow {
    fn default() -> Self {
        Self {
            time: DEFAULT_DEDUPE_TIME,
            size: DEFAULT_DEDUPE_SIZE,
        }
    }
}

/// Retry policy for failed attempts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Total attempts, the first included (1 = no retry).
    pub attempts: u32,
    /// Wait before the first retry.
    #[serde(default, skip_serializing_if = "is_default")]
    pub backoff: Duration,
    /// Each further wait is this many times the one before (1 = constant backoff).
    #[serde(
        default = "unit_multiplier",
        skip_serializing_if = "is_unit_multiplier"
    )]
    pub multiplier: f64,
}

fn unit_multiplier() -> f64 {
    1.0
}

fn is_unit_multiplier(x: &f64) -> bool {
    *x == 1.0
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            attempts: 1,
            backoff: Duration::ZERO,
            multiplier: 1.0,
        }
    }
}
