//! Which arrow of the diagram a hop or a trace record travels along.

use crate::app::canvas::Canvas;
use crate::diagram::{Edge, EdgeKind};
use crate::model::{ElementKind, ElementRef, Model};
use crate::sim::{Hop, Plan, Playback, Record, TraceKind};

use super::names;

/// The arrow the messages on `hop` travel along, if the diagram draws one. Where
/// several arrows carry the same message to the same place (two producers of one
/// event), the first in the diagram's order.
pub(super) fn of_hop(canvas: &Canvas, plan: &Plan, hop: Hop) -> Option<usize> {
    let g = &canvas.arch;
    let node = |kind, name: &str| g.node(&ElementRef::new(kind, name));
    let find = |f: &dyn Fn(&Edge) -> bool| g.edges.iter().position(f);
    let type_name = |ty: u32| plan.types.get(ty as usize).map_or("", |t| t.name.as_str());
    match hop {
        Hop::Group(group) => {
            let gp = plan.groups.get(group.index())?;
            let topic = node(ElementKind::Topic, &plan.topics[gp.topic].name)?;
            find(&|e| e.kind == EdgeKind::Consume && e.from == topic && e.label == gp.name)
        }
        Hop::Request { service, ty, saga } => {
            let sp = plan.services.get(service.index())?;
            let to = node(ElementKind::Service, &sp.name)?;
            let label = type_name(ty);
            // A saga's command or compensation: from the saga to the participant. A
            // reply: from the participant into the saga (queued at its orchestrator).
            let saga_node = saga.and_then(|s| node(ElementKind::Saga, &plan.sagas[s].name));
            let sagas_run_here: Vec<usize> = plan
                .sagas
                .iter()
                .filter(|s| s.orchestrator == service)
                .filter_map(|s| node(ElementKind::Saga, &s.name))
                .collect();
            saga_node
                .and_then(|s| find(&|e| e.from == s && e.to == to && e.label == label))
                .or_else(|| saga_node.and_then(|s| find(&|e| e.to == s && e.label == label)))
                .or_else(|| saga_node.and_then(|s| find(&|e| e.to == s && e.label == "reply")))
                .or_else(|| find(&|e| e.to == to && e.label == label && !is_log(e.kind)))
                .or_else(|| {
                    find(&|e| sagas_run_here.contains(&e.to) && e.label == label && !is_log(e.kind))
                })
        }
        Hop::Held { topic, ty } => {
            let to = node(ElementKind::Topic, &plan.topics.get(topic.index())?.name)?;
            let label = type_name(ty);
            find(&|e| e.to == to && e.kind == EdgeKind::Publish && e.label == label)
                .or_else(|| find(&|e| e.to == to && e.kind == EdgeKind::Publish))
                .or_else(|| find(&|e| e.to == to && e.kind == EdgeKind::DeadLetter))
        }
        Hop::Projection(p) => {
            let to = node(
                ElementKind::Projection,
                &plan.projections.get(p.index())?.name,
            )?;
            find(&|e| e.to == to && e.kind == EdgeKind::Store)
        }
    }
}

/// Arrows into and out of a topic's log.
fn is_log(kind: EdgeKind) -> bool {
    matches!(kind, EdgeKind::Publish | EdgeKind::Consume)
}

/// The arrow a record's message travels along when it happens, if the diagram has
/// one (a publish, a delivery, a dead letter, a saga's command or compensation).
pub(super) fn of_record(canvas: &Canvas, model: &Model, p: &Playback, r: &Record) -> Option<usize> {
    let g = &canvas.arch;
    let me = p.sim().plan().element_of(r)?;
    let node = g.node(&me)?;
    let ty = names::message_type(p.sim().plan(), r);
    let find = |f: &dyn Fn(&Edge) -> bool| g.edges.iter().position(f);
    match r.kind {
        TraceKind::Published => {
            // From the producer when the record that caused it says who that was. Two
            // sources that publish the same event to one topic cannot be told apart
            // (their records name no source: `Plan::source_of`): the first arrow.
            let producer = producer(p, r).and_then(|el| g.node(&el));
            producer
                .and_then(|from| {
                    find(&|e| {
                        e.from == from
                            && e.to == node
                            && e.kind == EdgeKind::Publish
                            && e.label == ty
                    })
                })
                .or_else(|| find(&|e| e.to == node && e.kind == EdgeKind::Publish && e.label == ty))
        }
        TraceKind::Delivered => {
            find(&|e| e.to == node && e.label == ty && e.kind != EdgeKind::Publish).or_else(|| {
                // An event fetched from a topic: the consume arrow from a topic that
                // carries it.
                find(&|e| {
                    e.to == node
                        && e.kind == EdgeKind::Consume
                        && g.edges
                            .iter()
                            .any(|p| p.to == e.from && p.kind == EdgeKind::Publish && p.label == ty)
                })
            })
        }
        TraceKind::DeadLettered => find(&|e| e.from == node && e.kind == EdgeKind::DeadLetter),
        TraceKind::CompensationStarted | TraceKind::StepStarted => {
            let saga = model.sagas.get(r.element as usize)?;
            let step = saga.steps.get(r.detail as usize)?;
            let (kind, label) = if r.kind == TraceKind::StepStarted {
                (EdgeKind::Command, step.command.clone())
            } else {
                (EdgeKind::Compensation, step.compensate.clone()?)
            };
            find(&|e| e.from == node && e.kind == kind && e.label == label)
        }
        _ => None,
    }
}

/// The element whose record caused `r` (a handler's completion, a saga's step; for a
/// root record, the source of its workload item), while the playback still holds it.
pub(super) fn producer(p: &Playback, r: &Record) -> Option<ElementRef> {
    let plan = p.sim().plan();
    if r.cause == 0 {
        let source = plan.sources.get(plan.source_of(r)?.index())?;
        return Some(ElementRef::new(ElementKind::Source, &source.name));
    }
    plan.element_of(cause_of(p, r)?)
}

/// What [`producer`] depends on, as numbers: where and at which element the record
/// that caused `r` was; [`FROM_SOURCE`] when `r` has no cause (a source's arrival:
/// which source follows from the record itself); [`NO_PRODUCER`] when its cause is
/// gone.
pub(super) fn producer_key(p: &Playback, r: &Record) -> (u8, u32) {
    if r.cause == 0 {
        return FROM_SOURCE;
    }
    cause_of(p, r).map_or(NO_PRODUCER, |c| (c.at as u8, c.element))
}

/// The producer part of a record's key when there is none to tell.
pub(super) const NO_PRODUCER: (u8, u32) = (u8::MAX, u32::MAX);
/// The producer part of a record's key for a source's arrival.
const FROM_SOURCE: (u8, u32) = (u8::MAX, 0);

/// The record that caused `r`, if it is still kept.
fn cause_of<'a>(p: &'a Playback, r: &Record) -> Option<&'a Record> {
    p.records()
        .get(usize::try_from(r.cause).ok()?.checked_sub(1)?)
        .filter(|c| c.id == r.cause)
}
