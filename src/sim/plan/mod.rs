//! A validated model compiled for the engine: names resolved to dense ids, message
//! types interned, distributions turned into samplers, lookup tables built.

use std::collections::BTreeMap;

mod routes;
pub use routes::Routes;

use super::SimTime;
use super::ids::{GroupId, ProjectionId, SagaId, ServiceId, SourceId, StoreId, TopicId};
use super::sampler::Sampler;
use crate::model::{Model, Rate};

/// Interned message type (an event, command, reply or query name).
pub type TypeId = u32;

/// What kind of message a type is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgKind {
    /// Published to a topic, read by every consumer group of it.
    Event,
    /// Sent to one service to handle.
    Command,
    /// A service's answer to a saga's command, sent to the orchestrator.
    Reply,
    /// A handler's callback to another service; the calling attempt waits until the
    /// query has been handled.
    Query,
}

/// An interned message type.
#[derive(Clone, Debug)]
pub struct TypeInfo {
    /// The name in the model.
    pub name: String,
    /// Whether it is an event, command, reply or query.
    pub kind: MsgKind,
    /// Size of one message in bytes: an event's `payload_bytes` in the schema registry
    /// (0 without an entry), 256 for commands, replies and queries.
    pub payload_bytes: u32,
    /// An event the schema registry marks as a failure of the business process
    /// (`EventType::failure`); false for every other type.
    pub failure: bool,
    /// The event whose effect this event undoes (`EventType::compensates`), if it is
    /// a choreographed compensation and that event is ever published or appended.
    pub compensates: Option<TypeId>,
}

/// What a handler or saga sends.
#[derive(Clone, Debug)]
pub enum Act {
    /// Publish an event of type `ty` to `topic`.
    Publish {
        /// The event type.
        ty: TypeId,
        /// The topic published to.
        topic: TopicId,
    },
    /// Send a command of type `ty` to `service`.
    Send {
        /// The command type.
        ty: TypeId,
        /// The service it goes to.
        service: ServiceId,
    },
    /// Reply with `ty` to the saga whose command is being handled; nothing is sent
    /// when no saga waits for the answer.
    Reply {
        /// The reply type.
        ty: TypeId,
    },
    /// Append a domain event of type `ty` to `store`.
    Append {
        /// The event type.
        ty: TypeId,
        /// The event store appended to.
        store: StoreId,
    },
}

/// One handler of a service, ready to run.
#[derive(Clone, Debug)]
pub struct HandlerPlan {
    /// Handling time of one attempt, in nanoseconds (before any slow-down fault).
    pub latency: Sampler,
    /// Extra handling time per KiB of the message's payload, in nanoseconds.
    pub per_kib_nanos: u64,
    /// Chance (0–1) that an attempt fails.
    pub fail_probability: f64,
    /// (service called, query type, timeout in ns).
    pub callback: Option<(ServiceId, TypeId, u64)>,
    /// What every successful handling sends.
    pub emit: Vec<Act>,
    /// Cumulative probability and the actions of each alternative outcome.
    pub outcomes: Vec<(f64, Vec<Act>)>,
    /// Skips a copy of a message it has already seen instead of applying it again.
    pub idempotent: bool,
    /// Attempts in all, the first included (at least 1).
    pub attempts: u32,
    /// Wait before the first retry, in nanoseconds.
    pub backoff_nanos: u64,
    /// Factor each further backoff grows by.
    pub multiplier: f64,
    /// Where a message goes after its last failed attempt; `None`: it is lost.
    pub dead_letter: Option<TopicId>,
    /// Extra handling time from appends to event stores, drawn per append.
    pub appends: Vec<StoreId>,
}

/// Who handles a message that reaches a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// This handler of the service (index in [`ServicePlan::handlers`]).
    Handler(u32),
    /// Starts an instance of this saga (the orchestrator's own work).
    SagaStart(SagaId),
    /// A reply to one of the orchestrator's saga instances.
    SagaReply,
    /// A message nobody here handles: consumed and ignored.
    Ignore,
}

/// A service, ready to run.
#[derive(Clone, Debug)]
pub struct ServicePlan {
    /// Its name in the model.
    pub name: String,
    /// Workers sharing its queue: `instances × concurrency`, at least 1.
    pub servers: u32,
    /// Instances, at least 1.
    pub instances: u32,
    /// Most messages waiting before requests are refused; `None`: unbounded.
    pub queue_bound: Option<u32>,
    /// Its handlers, in the model's order.
    pub handlers: Vec<HandlerPlan>,
    /// Commands and queries sent to this service → who handles them.
    pub requests: BTreeMap<TypeId, Target>,
    /// The same in the compact form the hot path reads.
    pub request_routes: Routes,
    /// Its dedupe memory: ids are forgotten this long after they were handled…
    pub dedupe_nanos: u64,
    /// …or when more than this many are remembered.
    pub dedupe_size: u32,
}

/// A topic, ready to run.
#[derive(Clone, Debug)]
pub struct TopicPlan {
    /// Its name in the model.
    pub name: String,
    /// Partitions, at least 1.
    pub partitions: u32,
    /// Partitioned by key; otherwise round-robin.
    pub keyed: bool,
    /// How long after its append an entry may still be read, in nanoseconds; `None`:
    /// forever.
    pub retention_nanos: Option<u64>,
    /// Entries past retention are read from an archive instead of expiring.
    pub archive: bool,
    /// The consumer groups reading it.
    pub groups: Vec<GroupId>,
}

/// A consumer group: its own offsets on one topic, handled by one service.
#[derive(Clone, Debug)]
pub struct GroupPlan {
    /// The subscription's group name, or the consumer's own name by default.
    pub name: String,
    /// The topic it reads.
    pub topic: TopicId,
    /// The service whose workers handle what it reads.
    pub service: ServiceId,
    /// Event type → who handles it; absent types are skipped by this group.
    pub targets: BTreeMap<TypeId, Target>,
    /// The same in the compact form the hot path reads.
    pub target_routes: Routes,
}

/// One step of a saga.
#[derive(Clone, Debug)]
pub struct StepPlan {
    /// Its name in the model.
    pub name: String,
    /// The service its command (and compensation) goes to.
    pub service: ServiceId,
    /// The command sent.
    pub command: TypeId,
    /// The reply that means success: any other fails the step. `None`: every reply
    /// but `failure` succeeds.
    pub success: Option<TypeId>,
    /// A reply that fails the step.
    pub failure: Option<TypeId>,
    /// How long to wait for a reply, in nanoseconds (at least 1).
    pub timeout_nanos: u64,
    /// Re-sends after a timeout before the step (or its compensation) gives up.
    pub retries: u32,
    /// The command that undoes the step; `None`: nothing to undo.
    pub compensate: Option<TypeId>,
    /// `on_timeout: Compensate` (the step's, else the saga's): when the step times
    /// out, its own compensation is sent first.
    pub compensate_on_timeout: bool,
    /// `on_late_success: Compensate`: a success reply that comes after the
    /// orchestrator stopped waiting for it is answered with the compensation.
    pub compensate_late_success: bool,
}

impl StepPlan {
    /// Does this reply mean the step failed? The engine's side of
    /// [`Step::fails_with`](crate::model::Step::fails_with), on interned types: the
    /// step's `failure`, or any reply but `success` when the step names one.
    pub fn fails_with(&self, reply: TypeId) -> bool {
        self.failure == Some(reply) || self.success.is_some_and(|ok| ok != reply)
    }
}

/// A saga, ready to run.
#[derive(Clone, Debug)]
pub struct SagaPlan {
    /// Its name in the model.
    pub name: String,
    /// The service that runs its instances.
    pub orchestrator: ServiceId,
    /// The orchestrator's handling time for a trigger or a reply, in nanoseconds.
    pub latency: Sampler,
    /// Its steps, in order.
    pub steps: Vec<StepPlan>,
    /// What an instance sends when every step succeeded.
    pub on_complete: Vec<Act>,
    /// What an instance sends when it ends any other way.
    pub on_abort: Vec<Act>,
}

/// A workload source, ready to run.
#[derive(Clone, Debug)]
pub struct SourcePlan {
    /// Its name in the model.
    pub name: String,
    /// What each item does first.
    pub act: Act,
    /// How items arrive.
    pub rate: Rate,
    /// Each item draws its key uniformly from `0..keys` (at least 1).
    pub keys: u64,
    /// First arrival.
    pub start: SimTime,
    /// No arrivals from then on.
    pub stop: SimTime,
}

/// An event store, ready to run.
#[derive(Clone, Debug)]
pub struct StorePlan {
    /// Its name in the model.
    pub name: String,
    /// Time one append adds to the handling that makes it, in nanoseconds.
    pub append: Sampler,
    /// Time to replay one event when rebuilding an aggregate, in nanoseconds (for
    /// estimates; the engine does not replay).
    pub replay_per_event_nanos: u64,
    /// Events between snapshots, which bound a rebuild; `None`: no snapshots.
    pub snapshot_every: Option<u32>,
    /// The topic its change feed publishes every appended event to.
    pub publish_to: Option<TopicId>,
    /// The projections it feeds.
    pub projections: Vec<ProjectionId>,
}

/// A projection (read model), ready to run.
#[derive(Clone, Debug)]
pub struct ProjectionPlan {
    /// Its name in the model.
    pub name: String,
    /// The event store it follows.
    pub store: StoreId,
    /// Time to apply one event to the read model, in nanoseconds.
    pub update: Sampler,
    /// Reads of the read model per second, at random (Poisson); 0: none.
    pub reads_per_sec: f64,
}

/// A fault window with its target resolved.
#[derive(Clone, Debug)]
pub struct FaultPlan {
    /// What it does, to which element.
    pub effect: FaultEffect,
    /// When the fault begins.
    pub start: SimTime,
    /// When it is over.
    pub end: SimTime,
}

/// What a fault does, to which element (resolved: there is no fallback target).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultEffect {
    /// The whole service (every instance) is down.
    Crash {
        /// The service that crashes.
        service: ServiceId,
    },
    /// Handling takes `factor` times as long.
    SlowDown {
        /// The service slowed down.
        service: ServiceId,
        /// Multiplier of its handling times.
        factor: f64,
    },
    /// Every topic is unavailable.
    BrokerOutage,
    /// One partition of a topic, or all of them (`None`), is unavailable.
    PartitionOutage {
        /// The topic.
        topic: TopicId,
        /// The partition, or `None` for all of them.
        partition: Option<u32>,
    },
    /// Appends are duplicated with this probability.
    Duplicate {
        /// The topic.
        topic: TopicId,
        /// Chance (0–1) per publish.
        probability: f64,
    },
    /// Appends are held back behind the next one with this probability.
    Reorder {
        /// The topic.
        topic: TopicId,
        /// Chance (0–1) per publish.
        probability: f64,
    },
    /// Appends are unreadable with this probability.
    Poison {
        /// The topic.
        topic: TopicId,
        /// Chance (0–1) per publish.
        probability: f64,
    },
    /// Appends are delayed by this long.
    Delay {
        /// The topic.
        topic: TopicId,
        /// The delay, in nanoseconds.
        extra_nanos: u64,
    },
}

impl FaultEffect {
    /// The service the fault acts on, if it is a service fault.
    pub fn service(&self) -> Option<ServiceId> {
        match *self {
            FaultEffect::Crash { service } | FaultEffect::SlowDown { service, .. } => Some(service),
            _ => None,
        }
    }

    /// The topic the fault acts on, if it is a topic fault.
    pub fn topic(&self) -> Option<TopicId> {
        match *self {
            FaultEffect::PartitionOutage { topic, .. }
            | FaultEffect::Duplicate { topic, .. }
            | FaultEffect::Reorder { topic, .. }
            | FaultEffect::Poison { topic, .. }
            | FaultEffect::Delay { topic, .. } => Some(topic),
            _ => None,
        }
    }
}

/// The compiled model.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Length of the run in nanoseconds: the model's duration, or
    /// `RunOptions::duration_nanos`.
    pub duration_nanos: u64,
    /// Every message type, indexed by its interned id (`Record::message_type`).
    pub types: Vec<TypeInfo>,
    /// Services, in the model's order.
    pub services: Vec<ServicePlan>,
    /// Topics, in the model's order.
    pub topics: Vec<TopicPlan>,
    /// Consumer groups: one per topic and group name subscribed with, in order of
    /// first subscription (the model's services first, then its sagas).
    pub groups: Vec<GroupPlan>,
    /// Sagas, in the model's order.
    pub sagas: Vec<SagaPlan>,
    /// Workload sources, in the model's order.
    pub sources: Vec<SourcePlan>,
    /// Event stores, in the model's order.
    pub stores: Vec<StorePlan>,
    /// Projections (read models), in the model's order.
    pub projections: Vec<ProjectionPlan>,
    /// Fault windows, in the model's order.
    pub faults: Vec<FaultPlan>,
    /// Choreographed compensations: (the event undone, the event that undoes it), for
    /// every event type that `compensates` another, in type order; at most 64 (the
    /// engine tracks each item's with one bit each).
    pub compensations: Vec<(TypeId, TypeId)>,
}

mod compile;

/// Why a model cannot be simulated. Fatal for the run; the model needs fixing.
#[derive(Debug, thiserror::Error)]
#[error("the model has {} error(s); run `eventscape check` first (first: {})", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct PlanError(pub Vec<crate::model::Problem>);

impl Plan {
    /// The name of the element a trace record is about (`None` for faults, which
    /// have no names, and for an index out of range).
    pub fn element_name(&self, at: super::Where, index: u32) -> Option<&str> {
        use super::Where;
        let i = index as usize;
        match at {
            Where::Service => self.services.get(i).map(|x| x.name.as_str()),
            Where::Topic => self.topics.get(i).map(|x| x.name.as_str()),
            Where::Saga => self.sagas.get(i).map(|x| x.name.as_str()),
            Where::Source => self.sources.get(i).map(|x| x.name.as_str()),
            Where::Store => self.stores.get(i).map(|x| x.name.as_str()),
            Where::Fault => None,
        }
    }

    /// The model element a trace record is about (`None` for a fault, or an index out
    /// of range).
    pub fn element_of(&self, r: &super::Record) -> Option<crate::model::ElementRef> {
        let kind = r.at.element_kind()?;
        let name = self.element_name(r.at, r.element)?;
        Some(crate::model::ElementRef::new(kind, name))
    }

    /// The workload source whose arrival this record is the first step of: the one
    /// source whose action publishes its message type to its topic, sends it to its
    /// service, or appends it to its store (`None` when no source, or more than one,
    /// fits). For an item whose `ItemCompleted` record is missing, e.g. still running.
    pub fn source_of(&self, r: &super::Record) -> Option<SourceId> {
        use super::Where;
        let fits = |act: &Act| match (act, r.at) {
            (&Act::Publish { ty, topic }, Where::Topic) => {
                ty == r.message_type && topic.0 == r.element
            }
            (&Act::Send { ty, service }, Where::Service) => {
                ty == r.message_type && service.0 == r.element
            }
            (&Act::Append { ty, store }, Where::Store) => {
                ty == r.message_type && store.0 == r.element
            }
            _ => false,
        };
        let mut fitting = self
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| fits(&s.act));
        match (fitting.next(), fitting.next()) {
            (Some((i, _)), None) => Some(SourceId(super::ids::id32(i))),
            _ => None,
        }
    }

    /// Is the record about this element? (No allocation: filters call it per record.)
    pub fn is_about(&self, r: &super::Record, e: &crate::model::ElementRef) -> bool {
        r.at.element_kind() == Some(e.kind)
            && self.element_name(r.at, r.element) == Some(e.name.as_str())
    }

    /// Compile a model. Fails when validation finds errors (warnings are fine).
    pub fn new(model: &Model) -> Result<Plan, PlanError> {
        let problems = crate::model::validate(model);
        if crate::model::validate::has_errors(&problems) {
            return Err(PlanError(
                problems
                    .into_iter()
                    .filter(|p| p.severity == crate::model::Severity::Error)
                    .collect(),
            ));
        }
        compile::compile(model)
    }
}
