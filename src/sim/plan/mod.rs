//! A validated model compiled for the engine: names resolved to dense ids, message
//! types interned, distributions turned into samplers, lookup tables built.

use std::collections::BTreeMap;

use super::SimTime;
use super::ids::{GroupId, ProjectionId, SagaId, ServiceId, StoreId, TopicId};
use super::sampler::Sampler;
use crate::model::{Model, Rate};

/// Interned message type (an event, command, reply or query name).
pub type TypeId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgKind {
    Event,
    Command,
    Reply,
    Query,
}

#[derive(Clone, Debug)]
pub struct TypeInfo {
    pub name: String,
    pub kind: MsgKind,
    pub payload_bytes: u32,
}

/// What a handler or saga sends.
#[derive(Clone, Debug)]
pub enum Act {
    Publish { ty: TypeId, topic: TopicId },
    Send { ty: TypeId, service: ServiceId },
    Reply { ty: TypeId },
    Append { ty: TypeId, store: StoreId },
}

#[derive(Clone, Debug)]
pub struct HandlerPlan {
    pub latency: Sampler,
    pub per_kib_nanos: u64,
    pub fail_probability: f64,
    /// (service called, query type, timeout in ns).
    pub callback: Option<(ServiceId, TypeId, u64)>,
    pub emit: Vec<Act>,
    /// Cumulative probability and the actions of each alternative outcome.
    pub outcomes: Vec<(f64, Vec<Act>)>,
    pub idempotent: bool,
    pub attempts: u32,
    pub backoff_nanos: u64,
    pub multiplier: f64,
    pub dead_letter: Option<TopicId>,
    /// Extra handling time from appends to event stores, drawn per append.
    pub appends: Vec<StoreId>,
}

/// Who handles a message that reaches a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Handler(u32),
    /// Starts an instance of this saga (the orchestrator's own work).
    SagaStart(SagaId),
    /// A reply to one of the orchestrator's saga instances.
    SagaReply,
    /// A message nobody here handles: consumed and ignored.
    Ignore,
}

#[derive(Clone, Debug)]
pub struct ServicePlan {
    pub name: String,
    pub servers: u32,
    pub instances: u32,
    pub queue_bound: Option<u32>,
    pub handlers: Vec<HandlerPlan>,
    /// Commands and queries sent to this service → who handles them.
    pub requests: BTreeMap<TypeId, Target>,
    /// The same as a dense table indexed by type, for the hot path.
    pub request_table: Vec<Target>,
}

#[derive(Clone, Debug)]
pub struct TopicPlan {
    pub name: String,
    pub partitions: u32,
    /// Partitioned by key; otherwise round-robin.
    pub keyed: bool,
    pub retention_nanos: Option<u64>,
    pub archive: bool,
    pub groups: Vec<GroupId>,
}

#[derive(Clone, Debug)]
pub struct GroupPlan {
    pub name: String,
    pub topic: TopicId,
    pub service: ServiceId,
    /// Event type → who handles it; absent types are skipped by this group.
    pub targets: BTreeMap<TypeId, Target>,
    /// The same as a dense table indexed by type, for the hot path.
    pub target_table: Vec<Target>,
}

#[derive(Clone, Debug)]
pub struct StepPlan {
    pub name: String,
    pub service: ServiceId,
    pub command: TypeId,
    pub success: Option<TypeId>,
    pub failure: Option<TypeId>,
    pub timeout_nanos: u64,
    pub retries: u32,
    pub compensate: Option<TypeId>,
}

#[derive(Clone, Debug)]
pub struct SagaPlan {
    pub name: String,
    pub orchestrator: ServiceId,
    pub latency: Sampler,
    pub steps: Vec<StepPlan>,
    pub on_complete: Vec<Act>,
    pub on_abort: Vec<Act>,
}

#[derive(Clone, Debug)]
pub struct SourcePlan {
    pub name: String,
    pub act: Act,
    pub rate: Rate,
    pub keys: u64,
    /// First arrival.
    pub start: SimTime,
    /// No arrivals from then on.
    pub stop: SimTime,
}

#[derive(Clone, Debug)]
pub struct StorePlan {
    pub name: String,
    pub append: Sampler,
    pub replay_per_event_nanos: u64,
    pub snapshot_every: Option<u32>,
    pub publish_to: Option<TopicId>,
    pub projections: Vec<ProjectionId>,
}

#[derive(Clone, Debug)]
pub struct ProjectionPlan {
    pub name: String,
    pub store: StoreId,
    pub update: Sampler,
    pub reads_per_sec: f64,
}

/// A fault window with its target resolved.
#[derive(Clone, Debug)]
pub struct FaultPlan {
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
    Crash { service: ServiceId },
    /// Handling takes `factor` times as long.
    SlowDown { service: ServiceId, factor: f64 },
    /// Every topic is unavailable.
    BrokerOutage,
    /// One partition of a topic, or all of them (`None`), is unavailable.
    PartitionOutage {
        topic: TopicId,
        partition: Option<u32>,
    },
    /// Appends are duplicated with this probability.
    Duplicate { topic: TopicId, probability: f64 },
    /// Appends are held back behind the next one with this probability.
    Reorder { topic: TopicId, probability: f64 },
    /// Appends are unreadable with this probability.
    Poison { topic: TopicId, probability: f64 },
    /// Appends are delayed by this long.
    Delay { topic: TopicId, extra_nanos: u64 },
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
    pub duration_nanos: u64,
    pub types: Vec<TypeInfo>,
    pub services: Vec<ServicePlan>,
    pub topics: Vec<TopicPlan>,
    pub groups: Vec<GroupPlan>,
    pub sagas: Vec<SagaPlan>,
    pub sources: Vec<SourcePlan>,
    pub stores: Vec<StorePlan>,
    pub projections: Vec<ProjectionPlan>,
    pub faults: Vec<FaultPlan>,
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
