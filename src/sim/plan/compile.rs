//! Compiling a validated model into a [`Plan`]: names resolved to dense indices
//! (a name that cannot be resolved is a [`PlanError`], never a silent element 0),
//! message types interned in a fixed order, lookup tables built.

use std::collections::{BTreeMap, HashMap};

use super::{
    Act, FaultEffect, FaultPlan, GroupPlan, HandlerPlan, MsgKind, Plan, PlanError, ProjectionPlan,
    Routes, SagaPlan, ServicePlan, SourcePlan, StepPlan, StorePlan, Target, TopicPlan, TypeId,
    TypeInfo,
};
use crate::model::{
    Action, Duration, FaultKind, Handler, Index, Model, OnLateSuccess, OnTimeout, Problem, Saga,
    Service, Severity, Trigger, effective_group,
};
use crate::sim::SimTime;
use crate::sim::ids::{GroupId, ProjectionId, SagaId, ServiceId, StoreId, TopicId, id32};
use crate::sim::sampler::Sampler;

/// Default payload of commands, replies and queries, which have no schema entry.
const REQUEST_PAYLOAD_BYTES: u32 = 256;
/// How long a consumer waits for the answer to a callback.
const DEFAULT_CALLBACK_TIMEOUT_NANOS: u64 = 5_000_000_000;

/// Message types by (kind, name), numbered in the order they are first met.
/// The map is only looked up (ids come from the order of insertion), so a hash map
/// keeps interning a model of thousands of types cheap and the ids deterministic.
struct Interner {
    types: Vec<TypeInfo>,
    ids: HashMap<MsgKind, HashMap<String, TypeId>>,
}

impl Interner {
    fn id(&mut self, kind: MsgKind, name: &str, payload_bytes: u32) -> TypeId {
        let ids = self.ids.entry(kind).or_default();
        if let Some(id) = ids.get(name) {
            return *id;
        }
        let id = self.types.len() as TypeId;
        self.types.push(TypeInfo {
            name: name.to_owned(),
            kind,
            payload_bytes,
            failure: false,
            compensates: None,
        });
        ids.insert(name.to_owned(), id);
        id
    }

    fn request(&mut self, kind: MsgKind, name: &str) -> TypeId {
        self.id(kind, name, REQUEST_PAYLOAD_BYTES)
    }
}

/// Name → index lookups that fail loudly.
struct Names {
    idx: Index,
}

impl Names {
    fn missing(kind: &str, name: &str, path: &str) -> PlanError {
        PlanError(vec![Problem {
            severity: Severity::Error,
            path: path.to_owned(),
            message: format!("unknown {kind} \"{name}\": the model cannot be simulated"),
            hint: Some("run `eventscape check` and fix the reference".to_owned()),
            element: None,
        }])
    }

    fn service(&self, name: &str, path: &str) -> Result<ServiceId, PlanError> {
        self.idx
            .service(name)
            .ok_or_else(|| Self::missing("service", name, path))
    }

    fn topic(&self, name: &str, path: &str) -> Result<TopicId, PlanError> {
        self.idx
            .topic(name)
            .ok_or_else(|| Self::missing("topic", name, path))
    }

    fn store(&self, name: &str, path: &str) -> Result<StoreId, PlanError> {
        self.idx
            .store(name)
            .ok_or_else(|| Self::missing("event store", name, path))
    }
}

/// Everything being built, in the order the model is walked.
struct Compiler {
    names: Names,
    interner: Interner,
    groups: Vec<GroupPlan>,
    group_ids: BTreeMap<(TopicId, String), GroupId>,
}

/// Compile a model that has passed validation.
pub(super) fn compile(m: &Model) -> Result<Plan, PlanError> {
    let mut c = Compiler {
        names: Names { idx: Index::new(m) },
        interner: Interner {
            types: Vec::new(),
            ids: HashMap::new(),
        },
        groups: Vec::new(),
        group_ids: BTreeMap::new(),
    };
    for e in &m.events {
        c.interner.id(MsgKind::Event, &e.name, e.payload_bytes);
    }
    let mut services = m
        .services
        .iter()
        .enumerate()
        .map(|(si, s)| c.service(ServiceId(id32(si)), s))
        .collect::<Result<Vec<_>, _>>()?;
    let sagas = m
        .sagas
        .iter()
        .enumerate()
        .map(|(gi, g)| c.saga(SagaId(id32(gi)), g, &mut services))
        .collect::<Result<Vec<_>, _>>()?;
    let topics = c.topics(m);
    let end = m.duration.as_nanos();
    let sources = m
        .sources
        .iter()
        .map(|s| {
            Ok(SourcePlan {
                name: s.name.clone(),
                act: c.act(&s.emit, &format!("sources[{}].emit", s.name))?,
                rate: s.rate.clone(),
                keys: s.keys.max(1),
                start: SimTime::from_nanos(s.start.map_or(0, Duration::as_nanos)),
                stop: SimTime::from_nanos(s.stop.map_or(end, |d| d.as_nanos().min(end))),
            })
        })
        .collect::<Result<Vec<_>, PlanError>>()?;
    let (stores, projections) = c.stores(m)?;
    let faults = m
        .faults
        .iter()
        .enumerate()
        .map(|(i, f)| {
            Ok(FaultPlan {
                effect: c.fault_effect(&f.kind, &format!("faults[{i}].kind"))?,
                start: SimTime::from_nanos(f.at.as_nanos()),
                end: SimTime::from_nanos(f.at.as_nanos()) + f.lasting.as_nanos(),
            })
        })
        .collect::<Result<Vec<_>, PlanError>>()?;

    // Event payload sizes, failure marks and compensations come from the schema
    // registry.
    let event_ids: BTreeMap<&str, TypeId> = c
        .interner
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == MsgKind::Event)
        .map(|(i, t)| (t.name.as_str(), i as TypeId))
        .collect();
    // The schema entry of each event name (the first, as `Model::event`), looked up
    // once per type: a scan per type was quadratic in a model of thousands of events.
    let mut schema: HashMap<&str, &crate::model::EventType> = HashMap::new();
    for e in &m.events {
        schema.entry(e.name.as_str()).or_insert(e);
    }
    let event = |name: &str| schema.get(name).copied();
    let marks: Vec<(bool, Option<TypeId>)> = c
        .interner
        .types
        .iter()
        .map(
            |t| match event(&t.name).filter(|_| t.kind == MsgKind::Event) {
                Some(e) => (
                    e.failure,
                    e.compensates
                        .as_deref()
                        .and_then(|u| event_ids.get(u).copied()),
                ),
                None => (false, None),
            },
        )
        .collect();
    for (t, (failure, compensates)) in c.interner.types.iter_mut().zip(marks) {
        if t.kind == MsgKind::Event
            && let Some(e) = event(&t.name)
        {
            t.payload_bytes = e.payload_bytes;
        }
        t.failure = failure;
        t.compensates = compensates;
    }
    for s in &mut services {
        s.request_routes = Routes::new(&s.requests);
    }
    let mut groups = std::mem::take(&mut c.groups);
    for g in &mut groups {
        g.target_routes = Routes::new(&g.targets);
    }
    let compensations = c
        .interner
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((t.compensates?, i as TypeId)))
        .take(64)
        .collect();
    Ok(Plan {
        duration_nanos: end,
        compensations,
        types: c.interner.types,
        services,
        topics,
        groups,
        sagas,
        sources,
        stores,
        projections,
        faults,
    })
}

impl Compiler {
    fn act(&mut self, a: &Action, path: &str) -> Result<Act, PlanError> {
        Ok(match a {
            Action::Publish { event, topic, .. } => Act::Publish {
                ty: self.interner.id(MsgKind::Event, event, 0),
                topic: self.names.topic(topic, path)?,
            },
            Action::Send { command, to } => Act::Send {
                ty: self.interner.request(MsgKind::Command, command),
                service: self.names.service(to, path)?,
            },
            Action::Reply(name) => Act::Reply {
                ty: self.interner.request(MsgKind::Reply, name),
            },
            Action::Append { event, store } => Act::Append {
                ty: self.interner.id(MsgKind::Event, event, 0),
                store: self.names.store(store, path)?,
            },
        })
    }

    fn acts(&mut self, actions: &[Action], path: &str) -> Result<Vec<Act>, PlanError> {
        actions.iter().map(|a| self.act(a, path)).collect()
    }

    /// The consumer group `name` on `topic`, made on first use.
    fn group(&mut self, topic: TopicId, name: &str, service: ServiceId) -> GroupId {
        let groups = &mut self.groups;
        *self
            .group_ids
            .entry((topic, name.to_owned()))
            .or_insert_with(|| {
                groups.push(GroupPlan {
                    name: name.to_owned(),
                    topic,
                    service,
                    targets: BTreeMap::new(),
                    target_routes: Routes::default(),
                });
                GroupId(id32(groups.len() - 1))
            })
    }

    /// A subscription: the group (named, or the consumer's own name) takes `ty` to
    /// `target`.
    fn subscribe(
        &mut self,
        trigger: &Trigger,
        consumer: &str,
        service: ServiceId,
        target: Target,
        path: &str,
    ) -> Result<(), PlanError> {
        if let Trigger::Event {
            event,
            topic,
            group,
            ..
        } = trigger
        {
            let ty = self.interner.id(MsgKind::Event, event, 0);
            let topic = self.names.topic(topic, path)?;
            let g = self.group(topic, effective_group(group.as_deref(), consumer), service);
            self.groups[g].targets.insert(ty, target);
        }
        Ok(())
    }

    fn service(&mut self, si: ServiceId, s: &Service) -> Result<ServicePlan, PlanError> {
        let mut requests = BTreeMap::new();
        let mut handlers = Vec::new();
        for (hi, h) in s.handlers.iter().enumerate() {
            let path = format!("services[{}].handlers[{hi}]", s.name);
            let target = Target::Handler(id32(hi));
            match &h.on {
                Trigger::Event { .. } => self.subscribe(&h.on, &s.name, si, target, &path)?,
                Trigger::Command(name) => {
                    requests.insert(self.interner.request(MsgKind::Command, name), target);
                }
                Trigger::Query(name) => {
                    requests.insert(self.interner.request(MsgKind::Query, name), target);
                }
            }
            handlers.push(self.handler(h, &path)?);
        }
        Ok(ServicePlan {
            name: s.name.clone(),
            servers: s.instances.max(1).saturating_mul(s.concurrency.max(1)),
            instances: s.instances.max(1),
            queue_bound: s.queue,
            handlers,
            requests,
            request_routes: Routes::default(),
            dedupe_nanos: s.dedupe_window.time.as_nanos(),
            dedupe_size: s.dedupe_window.size,
        })
    }

    fn handler(&mut self, h: &Handler, path: &str) -> Result<HandlerPlan, PlanError> {
        let mut cum = 0.0;
        let mut outcomes = Vec::new();
        for o in &h.outcomes {
            cum += o.probability;
            outcomes.push((cum, self.acts(&o.emit, path)?));
        }
        let emit = self.acts(&h.emit, path)?;
        let appends = h
            .actions()
            .filter_map(|a| match a {
                Action::Append { store, .. } => Some(self.names.store(store, path)),
                _ => None,
            })
            .collect::<Result<Vec<_>, _>>()?;
        let callback = match &h.callback {
            Some(c) => Some((
                self.names.service(&c.service, path)?,
                self.interner.request(MsgKind::Query, &c.query),
                DEFAULT_CALLBACK_TIMEOUT_NANOS,
            )),
            None => None,
        };
        let dead_letter = match &h.dead_letter {
            Some(t) => Some(self.names.topic(t, path)?),
            None => None,
        };
        Ok(HandlerPlan {
            latency: Sampler::new(&h.latency),
            per_kib_nanos: h.per_kib.map_or(0, Duration::as_nanos),
            fail_probability: h.fail_probability,
            callback,
            emit,
            outcomes,
            idempotent: h.idempotent,
            attempts: h.retry.attempts.max(1),
            backoff_nanos: h.retry.backoff.as_nanos(),
            multiplier: h.retry.multiplier,
            dead_letter,
            appends,
        })
    }

    fn saga(
        &mut self,
        gi: SagaId,
        saga: &Saga,
        services: &mut [ServicePlan],
    ) -> Result<SagaPlan, PlanError> {
        let path = format!("sagas[{}]", saga.name);
        let orch = self.names.service(&saga.orchestrator, &path)?;
        match &saga.trigger {
            Trigger::Event { .. } => self.subscribe(
                &saga.trigger,
                &saga.orchestrator,
                orch,
                Target::SagaStart(gi),
                &path,
            )?,
            Trigger::Command(name) | Trigger::Query(name) => {
                let ty = self.interner.request(MsgKind::Command, name);
                services[orch.index()]
                    .requests
                    .insert(ty, Target::SagaStart(gi));
            }
        }
        let mut steps = Vec::new();
        for (i, st) in saga.steps.iter().enumerate() {
            steps.push(StepPlan {
                name: st.name.clone(),
                service: self.names.service(&st.service, &path)?,
                command: self.interner.request(MsgKind::Command, &st.command),
                success: st
                    .success
                    .as_deref()
                    .map(|r| self.interner.request(MsgKind::Reply, r)),
                failure: st
                    .failure
                    .as_deref()
                    .map(|r| self.interner.request(MsgKind::Reply, r)),
                timeout_nanos: st.timeout.as_nanos().max(1),
                retries: st.retries,
                compensate: st
                    .compensate
                    .as_deref()
                    .map(|c| self.interner.request(MsgKind::Command, c)),
                compensate_on_timeout: saga.timeout_policy(i) == OnTimeout::Compensate,
                compensate_late_success: saga.late_success_policy(i) == OnLateSuccess::Compensate,
            });
        }
        Ok(SagaPlan {
            name: saga.name.clone(),
            orchestrator: orch,
            latency: Sampler::new(&saga.latency),
            steps,
            on_complete: self.acts(&saga.on_complete, &path)?,
            on_abort: self.acts(&saga.on_abort, &path)?,
        })
    }

    fn topics(&self, m: &Model) -> Vec<TopicPlan> {
        let mut topics: Vec<TopicPlan> = m
            .topics
            .iter()
            .map(|t| TopicPlan {
                name: t.name.clone(),
                partitions: t.partitions.max(1),
                keyed: t.key.is_some(),
                retention_nanos: t.retention.map(Duration::as_nanos),
                archive: t.archive,
                groups: Vec::new(),
            })
            .collect();
        for (gi, g) in self.groups.iter().enumerate() {
            topics[g.topic].groups.push(GroupId(id32(gi)));
        }
        topics
    }

    fn stores(&self, m: &Model) -> Result<(Vec<StorePlan>, Vec<ProjectionPlan>), PlanError> {
        let mut stores = Vec::new();
        for s in &m.stores {
            let path = format!("stores[{}].publish_to", s.name);
            stores.push(StorePlan {
                name: s.name.clone(),
                append: Sampler::new(&s.append),
                replay_per_event_nanos: s.replay_per_event.as_nanos(),
                snapshot_every: s.snapshot_every,
                publish_to: match &s.publish_to {
                    Some(t) => Some(self.names.topic(t, &path)?),
                    None => None,
                },
                projections: Vec::new(),
            });
        }
        let mut projections = Vec::new();
        for (pi, p) in m.projections.iter().enumerate() {
            let path = format!("projections[{}].store", p.name);
            let store = self.names.store(&p.store, &path)?;
            stores[store].projections.push(ProjectionId(id32(pi)));
            projections.push(ProjectionPlan {
                name: p.name.clone(),
                store,
                update: Sampler::new(&p.update),
                reads_per_sec: p.reads_per_sec,
            });
        }
        Ok((stores, projections))
    }

    fn fault_effect(&self, kind: &FaultKind, path: &str) -> Result<FaultEffect, PlanError> {
        let n = &self.names;
        Ok(match kind {
            FaultKind::Crash { service } => FaultEffect::Crash {
                service: n.service(service, path)?,
            },
            FaultKind::SlowDown { service, factor } => FaultEffect::SlowDown {
                service: n.service(service, path)?,
                factor: *factor,
            },
            FaultKind::BrokerOutage => FaultEffect::BrokerOutage,
            FaultKind::PartitionOutage { topic, partition } => FaultEffect::PartitionOutage {
                topic: n.topic(topic, path)?,
                partition: *partition,
            },
            FaultKind::Duplicate { topic, probability } => FaultEffect::Duplicate {
                topic: n.topic(topic, path)?,
                probability: *probability,
            },
            FaultKind::Reorder { topic, probability } => FaultEffect::Reorder {
                topic: n.topic(topic, path)?,
                probability: *probability,
            },
            FaultKind::Poison { topic, probability } => FaultEffect::Poison {
                topic: n.topic(topic, path)?,
                probability: *probability,
            },
            FaultKind::Delay { topic, extra } => FaultEffect::Delay {
                topic: n.topic(topic, path)?,
                extra_nanos: extra.as_nanos(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference the validator would report is refused by the compiler too, with
    /// its path, instead of silently meaning element 0.
    #[test]
    fn an_unresolved_name_is_an_error_not_element_zero() {
        let mut m = crate::examples::DEFAULT.model().unwrap();
        m.faults.push(crate::model::Fault {
            kind: FaultKind::Crash {
                service: "nowhere".to_owned(),
            },
            ..m.faults[0].clone()
        });
        let err = compile(&m).expect_err("an unknown service");
        let problem = &err.0[0];
        assert_eq!(problem.path, format!("faults[{}].kind", m.faults.len() - 1));
        assert!(problem.message.contains("\"nowhere\""), "{problem}");
        // Without the bad fault it compiles.
        m.faults.pop();
        assert!(compile(&m).is_ok());
    }
}

#[cfg(test)]
mod source_tests {
    use crate::sim::{Record, TraceKind, Where};

    /// The source of an item is read off its first record: the one source whose
    /// action sends that message type there; nothing when none (or several) fit.
    #[test]
    fn the_source_that_sent_a_first_message() {
        let model = crate::examples::find("choreography")
            .unwrap()
            .model()
            .unwrap();
        let plan = super::super::Plan::new(&model).unwrap();
        let ty = |name: &str| plan.types.iter().position(|t| t.name == name).unwrap() as u32;
        let orders = plan.topics.iter().position(|t| t.name == "orders").unwrap() as u32;
        let first = Record {
            kind: TraceKind::Published,
            at: Where::Topic,
            element: orders,
            message_type: ty("OrderPlaced"),
            ..Record::BLANK
        };
        // Two sources publish OrderPlaced to orders in this example: no guess.
        assert_eq!(model.sources.len(), 2);
        assert_eq!(plan.source_of(&first), None);
        let mut one = model.clone();
        one.sources.truncate(1);
        let plan = super::super::Plan::new(&one).unwrap();
        assert_eq!(plan.source_of(&first).map(|s| s.0), Some(0));
        let elsewhere = Record {
            element: orders + 1,
            ..first
        };
        assert_eq!(plan.source_of(&elsewhere), None);
    }
}
