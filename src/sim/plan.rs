//! A validated model compiled for the engine: names resolved to dense ids, message
//! types interned, distributions turned into samplers, lookup tables built.

use std::collections::BTreeMap;

use super::sampler::Sampler;
use crate::model::{Action, FaultKind, Model, Rate, Trigger};

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
    Publish { ty: TypeId, topic: u32 },
    Send { ty: TypeId, service: u32 },
    Reply { ty: TypeId },
    Append { ty: TypeId, store: u32 },
}

#[derive(Clone, Debug)]
pub struct HandlerPlan {
    pub latency: Sampler,
    pub per_kib_nanos: u64,
    pub fail_probability: f64,
    /// (service called, query type, timeout in ns).
    pub callback: Option<(u32, TypeId, u64)>,
    pub emit: Vec<Act>,
    /// Cumulative probability and the actions of each alternative outcome.
    pub outcomes: Vec<(f64, Vec<Act>)>,
    pub idempotent: bool,
    pub attempts: u32,
    pub backoff_nanos: u64,
    pub multiplier: f64,
    pub dead_letter: Option<u32>,
    /// Extra handling time from appends to event stores, drawn per append.
    pub appends: Vec<u32>,
}

/// Who handles a message that reaches a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Handler(u32),
    /// Starts an instance of this saga (the orchestrator's own work).
    SagaStart(u32),
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
    pub groups: Vec<u32>,
}

#[derive(Clone, Debug)]
pub struct GroupPlan {
    pub name: String,
    pub topic: u32,
    pub service: u32,
    /// Event type → who handles it; absent types are skipped by this group.
    pub targets: BTreeMap<TypeId, Target>,
    /// The same as a dense table indexed by type, for the hot path.
    pub target_table: Vec<Target>,
}

#[derive(Clone, Debug)]
pub struct StepPlan {
    pub name: String,
    pub service: u32,
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
    pub orchestrator: u32,
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
    pub start_nanos: u64,
    pub stop_nanos: u64,
}

#[derive(Clone, Debug)]
pub struct StorePlan {
    pub name: String,
    pub append: Sampler,
    pub replay_per_event_nanos: u64,
    pub snapshot_every: Option<u32>,
    pub publish_to: Option<u32>,
    pub projections: Vec<u32>,
}

#[derive(Clone, Debug)]
pub struct ProjectionPlan {
    pub name: String,
    pub store: u32,
    pub update: Sampler,
    pub reads_per_sec: f64,
}

/// A fault with its target resolved.
#[derive(Clone, Debug)]
pub struct FaultPlan {
    pub kind: FaultKind,
    pub start: u64,
    pub end: u64,
    pub service: Option<u32>,
    pub topic: Option<u32>,
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

/// Why a model cannot be simulated. Fatal for the run; the model needs fixing.
#[derive(Debug, thiserror::Error)]
#[error("the model has {} error(s); run `eventscape check` first (first: {})", .0.len(), .0.first().map(|p| p.to_string()).unwrap_or_default())]
pub struct PlanError(pub Vec<crate::model::Problem>);

struct Interner {
    types: Vec<TypeInfo>,
    ids: BTreeMap<(MsgKind, String), TypeId>,
}

impl Interner {
    fn id(&mut self, kind: MsgKind, name: &str, payload_bytes: u32) -> TypeId {
        if let Some(id) = self.ids.get(&(kind, name.to_owned())) {
            return *id;
        }
        let id = self.types.len() as TypeId;
        self.types.push(TypeInfo {
            name: name.to_owned(),
            kind,
            payload_bytes,
        });
        self.ids.insert((kind, name.to_owned()), id);
        id
    }
}

/// Default payload of commands, replies and queries, which have no schema entry.
const REQUEST_PAYLOAD_BYTES: u32 = 256;
/// Orchestrator work per saga transition when the model does not say.
const DEFAULT_CALLBACK_TIMEOUT_NANOS: u64 = 5_000_000_000;

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
        Ok(Self::compile(model))
    }

    fn compile(m: &Model) -> Plan {
        let idx = crate::model::Index::new(m);
        let mut interner = Interner {
            types: Vec::new(),
            ids: BTreeMap::new(),
        };
        for e in &m.events {
            interner.id(MsgKind::Event, &e.name, e.payload_bytes);
        }
        let svc = |name: &str| idx.service(name).map_or(0, |id| id.0);
        let topic = |name: &str| idx.topic(name).map_or(0, |id| id.0);
        let store = |name: &str| idx.store(name).map_or(0, |id| id.0);
        let act = |interner: &mut Interner, a: &Action| -> Act {
            match a {
                Action::Publish {
                    event, topic: t, ..
                } => Act::Publish {
                    ty: interner.id(MsgKind::Event, event, 0),
                    topic: topic(t),
                },
                Action::Send { command, to } => Act::Send {
                    ty: interner.id(MsgKind::Command, command, REQUEST_PAYLOAD_BYTES),
                    service: svc(to),
                },
                Action::Reply(name) => Act::Reply {
                    ty: interner.id(MsgKind::Reply, name, REQUEST_PAYLOAD_BYTES),
                },
                Action::Append { event, store: s } => Act::Append {
                    ty: interner.id(MsgKind::Event, event, 0),
                    store: store(s),
                },
            }
        };

        let mut services = Vec::new();
        let mut groups: Vec<GroupPlan> = Vec::new();
        let mut group_ids: BTreeMap<(u32, String), u32> = BTreeMap::new();
        let mut group_for =
            |groups: &mut Vec<GroupPlan>, t: u32, name: &str, service: u32| -> usize {
                let id = *group_ids.entry((t, name.to_owned())).or_insert_with(|| {
                    groups.push(GroupPlan {
                        name: name.to_owned(),
                        topic: t,
                        service,
                        targets: BTreeMap::new(),
                        target_table: Vec::new(),
                    });
                    (groups.len() - 1) as u32
                });
                id as usize
            };
        for (si, s) in m.services.iter().enumerate() {
            let mut requests = BTreeMap::new();
            let mut handlers = Vec::new();
            for h in &s.handlers {
                let hid = handlers.len() as u32;
                match &h.on {
                    Trigger::Event {
                        event,
                        topic: t,
                        group,
                        ..
                    } => {
                        let ty = interner.id(MsgKind::Event, event, 0);
                        let g = group_for(
                            &mut groups,
                            topic(t),
                            group.as_deref().unwrap_or(&s.name),
                            si as u32,
                        );
                        groups[g].targets.insert(ty, Target::Handler(hid));
                    }
                    Trigger::Command(name) => {
                        requests.insert(
                            interner.id(MsgKind::Command, name, REQUEST_PAYLOAD_BYTES),
                            Target::Handler(hid),
                        );
                    }
                    Trigger::Query(name) => {
                        requests.insert(
                            interner.id(MsgKind::Query, name, REQUEST_PAYLOAD_BYTES),
                            Target::Handler(hid),
                        );
                    }
                }
                let mut cum = 0.0;
                let outcomes = h
                    .outcomes
                    .iter()
                    .map(|o| {
                        cum += o.probability;
                        (cum, o.emit.iter().map(|a| act(&mut interner, a)).collect())
                    })
                    .collect();
                let emit: Vec<Act> = h.emit.iter().map(|a| act(&mut interner, a)).collect();
                let appends = h
                    .actions()
                    .filter_map(|a| match a {
                        Action::Append { store: s, .. } => Some(store(s)),
                        _ => None,
                    })
                    .collect();
                handlers.push(HandlerPlan {
                    latency: Sampler::new(&h.latency),
                    per_kib_nanos: h.per_kib.map_or(0, |d| d.as_nanos()),
                    fail_probability: h.fail_probability,
                    callback: h.callback.as_ref().map(|c| {
                        (
                            svc(&c.service),
                            interner.id(MsgKind::Query, &c.query, REQUEST_PAYLOAD_BYTES),
                            DEFAULT_CALLBACK_TIMEOUT_NANOS,
                        )
                    }),
                    emit,
                    outcomes,
                    idempotent: h.idempotent,
                    attempts: h.retry.attempts.max(1),
                    backoff_nanos: h.retry.backoff.as_nanos(),
                    multiplier: h.retry.multiplier,
                    dead_letter: h.dead_letter.as_deref().map(topic),
                    appends,
                });
            }
            services.push(ServicePlan {
                name: s.name.clone(),
                servers: s.instances.max(1).saturating_mul(s.concurrency.max(1)),
                instances: s.instances.max(1),
                queue_bound: s.queue,
                handlers,
                requests,
                request_table: Vec::new(),
            });
        }

        let mut sagas = Vec::new();
        for (gi, saga) in m.sagas.iter().enumerate() {
            let orch = svc(&saga.orchestrator);
            match &saga.trigger {
                Trigger::Event {
                    event,
                    topic: t,
                    group,
                    ..
                } => {
                    let ty = interner.id(MsgKind::Event, event, 0);
                    let g = group_for(
                        &mut groups,
                        topic(t),
                        group.as_deref().unwrap_or(&saga.orchestrator),
                        orch,
                    );
                    groups[g].targets.insert(ty, Target::SagaStart(gi as u32));
                }
                Trigger::Command(name) | Trigger::Query(name) => {
                    let ty = interner.id(MsgKind::Command, name, REQUEST_PAYLOAD_BYTES);
                    services[orch as usize]
                        .requests
                        .insert(ty, Target::SagaStart(gi as u32));
                }
            }
            let steps = saga
                .steps
                .iter()
                .map(|st| StepPlan {
                    name: st.name.clone(),
                    service: svc(&st.service),
                    command: interner.id(MsgKind::Command, &st.command, REQUEST_PAYLOAD_BYTES),
                    success: st
                        .success
                        .as_deref()
                        .map(|r| interner.id(MsgKind::Reply, r, REQUEST_PAYLOAD_BYTES)),
                    failure: st
                        .failure
                        .as_deref()
                        .map(|r| interner.id(MsgKind::Reply, r, REQUEST_PAYLOAD_BYTES)),
                    timeout_nanos: st.timeout.as_nanos().max(1),
                    retries: st.retries,
                    compensate: st
                        .compensate
                        .as_deref()
                        .map(|c| interner.id(MsgKind::Command, c, REQUEST_PAYLOAD_BYTES)),
                })
                .collect();
            sagas.push(SagaPlan {
                name: saga.name.clone(),
                orchestrator: orch,
                latency: Sampler::new(&saga.latency),
                steps,
                on_complete: saga
                    .on_complete
                    .iter()
                    .map(|a| act(&mut interner, a))
                    .collect(),
                on_abort: saga
                    .on_abort
                    .iter()
                    .map(|a| act(&mut interner, a))
                    .collect(),
            });
        }

        let mut topics: Vec<TopicPlan> = m
            .topics
            .iter()
            .map(|t| TopicPlan {
                name: t.name.clone(),
                partitions: t.partitions.max(1),
                keyed: t.key.is_some(),
                retention_nanos: t.retention.map(|r| r.as_nanos()),
                archive: t.archive,
                groups: Vec::new(),
            })
            .collect();
        for (gi, g) in groups.iter().enumerate() {
            topics[g.topic as usize].groups.push(gi as u32);
        }

        let end = m.duration.as_nanos();
        let sources = m
            .sources
            .iter()
            .map(|s| SourcePlan {
                name: s.name.clone(),
                act: act(&mut interner, &s.emit),
                rate: s.rate.clone(),
                keys: s.keys.max(1),
                start_nanos: s.start.map_or(0, |d| d.as_nanos()),
                stop_nanos: s.stop.map_or(end, |d| d.as_nanos().min(end)),
            })
            .collect();

        let mut stores: Vec<StorePlan> = m
            .stores
            .iter()
            .map(|s| StorePlan {
                name: s.name.clone(),
                append: Sampler::new(&s.append),
                replay_per_event_nanos: s.replay_per_event.as_nanos(),
                snapshot_every: s.snapshot_every,
                publish_to: s.publish_to.as_deref().map(topic),
                projections: Vec::new(),
            })
            .collect();
        let projections: Vec<ProjectionPlan> = m
            .projections
            .iter()
            .map(|p| ProjectionPlan {
                name: p.name.clone(),
                store: store(&p.store),
                update: Sampler::new(&p.update),
                reads_per_sec: p.reads_per_sec,
            })
            .collect();
        for (pi, p) in projections.iter().enumerate() {
            stores[p.store as usize].projections.push(pi as u32);
        }

        let faults = m
            .faults
            .iter()
            .map(|f| {
                let (service, t) = match &f.kind {
                    FaultKind::Crash { service } | FaultKind::SlowDown { service, .. } => {
                        (Some(svc(service)), None)
                    }
                    FaultKind::BrokerOutage => (None, None),
                    FaultKind::PartitionOutage { topic: t, .. }
                    | FaultKind::Duplicate { topic: t, .. }
                    | FaultKind::Reorder { topic: t, .. }
                    | FaultKind::Delay { topic: t, .. }
                    | FaultKind::Poison { topic: t, .. } => (None, Some(topic(t))),
                };
                FaultPlan {
                    kind: f.kind.clone(),
                    start: f.at.as_nanos(),
                    end: f.at.as_nanos().saturating_add(f.lasting.as_nanos()),
                    service,
                    topic: t,
                }
            })
            .collect();

        // Event payload sizes come from the schema registry.
        for t in &mut interner.types {
            if t.kind == MsgKind::Event
                && let Some(e) = m.event(&t.name)
            {
                t.payload_bytes = e.payload_bytes;
            }
        }

        let table = |map: &BTreeMap<TypeId, Target>| {
            let mut t = vec![Target::Ignore; interner.types.len()];
            for (ty, target) in map {
                t[*ty as usize] = *target;
            }
            t
        };
        for s in &mut services {
            s.request_table = table(&s.requests);
        }
        for g in &mut groups {
            g.target_table = table(&g.targets);
        }

        Plan {
            duration_nanos: end,
            types: interner.types,
            services,
            topics,
            groups,
            sagas,
            sources,
            stores,
            projections,
            faults,
        }
    }
}
