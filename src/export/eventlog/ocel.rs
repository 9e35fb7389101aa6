//! OCEL 2.0 JSON event log (the layout of <https://www.ocel-standard.org/2.0/ocel20-schema-json.json>):
//! the run's activity occurrences as events related to the objects they touch.
//!
//! # Objects
//!
//! | type | id | attributes | relationships |
//! |---|---|---|---|
//! | `item` | `item-<correlation>` | `source`; `status`: `in flight`, then `completed` / `failed` when the item ends | |
//! | `saga` | `saga-<saga>-<instance>` | `saga`; `status`: `running`, then its outcome | → item `item` |
//! | `message` | `message-<event id>` (copies and re-sends share it) | `type`, `kind` (event, command, reply, query) | → item `item`, → partition `partition` (an event published to a topic) |
//! | `partition` | `partition-<topic>-<n>` | `topic`, `number` | |
//!
//! Object attributes carry the simulated time they took their value at. Every value
//! is a string, as the OCEL 2.0 JSON schema has it.
//!
//! # Events
//!
//! One event per activity occurrence of the miner (`analysis::process`), of the
//! activity's name as its type, at its record's time, with the attribute `resource`
//! (the service; a saga's orchestrator; the topic for a retention loss) and these
//! qualified relationships:
//!
//! - `item`: the case's item;
//! - `saga`: the saga instance whose execution caused it (from its start up to and
//!   including its end: the participants' handling of its commands, the
//!   orchestrator's of the replies, its milestones); `starts`: the instance the
//!   handling of a saga's trigger started;
//! - `consumes`: the message a service handled; `message`: the message dead-lettered,
//!   rejected, lost or expired;
//! - `produces`: each message sent, published or appended because of it (the saga's
//!   command, for a compensation);
//! - `partition`: the topic partition the handled (or expired) message was read from.
//!
//! # Layout and memory
//!
//! One JSON object: `objectTypes` first, then `events` written as items end, then
//! `eventTypes` (the activity names, known once the run is over) and `objects`.
//! Objects of each case are written to a temporary file when the case ends and copied
//! in at the end (the partitions, bounded by the model, come first), so memory holds
//! the items in flight and the activity names, not the run. Key order does not
//! matter to JSON readers.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Seek, Write};

use serde_json::{Value, json};

use super::{occurrences, resource, run_cases, timestamp};
use crate::analysis::process::ActivityNames;
use crate::export::cases::Case;
use crate::model::SourceId;
use crate::sim::budget::{Budget, Stopped};
use crate::sim::{MsgKind, Plan, Record, SagaOutcome, SimTime, Simulation, TraceKind, Where};

/// Run `sim` to the end (or until it has spent `budget`: then it says why) and write
/// its OCEL 2.0 JSON event log to `out` as it runs (see the module docs).
/// Deterministic, unless a wall-clock budget stops it.
pub fn write_ocel(
    sim: Simulation,
    budget: &Budget,
    mut out: impl Write,
) -> io::Result<Option<Stopped>> {
    let plan = sim.plan().clone();
    let mut names = ActivityNames::new(&plan);
    let mut objects = io::BufWriter::new(tempfile::tempfile()?);
    let mut first_event = true;
    let mut first_object = true;
    out.write_all(b"{\"objectTypes\":")?;
    serde_json::to_writer(&mut out, &object_types())?;
    out.write_all(b",\n\"events\":[")?;
    let stopped = run_cases(sim, budget, |case| {
        let log = case_log(&plan, &mut names, case);
        for e in &log.events {
            out.write_all(if first_event { b"\n" } else { b",\n" })?;
            first_event = false;
            serde_json::to_writer(&mut out, e)?;
        }
        for o in &log.objects {
            objects.write_all(b",\n")?;
            serde_json::to_writer(&mut objects, o)?;
        }
        Ok(())
    })?;
    out.write_all(b"\n],\n\"eventTypes\":")?;
    let event_types: Vec<Value> = names
        .names()
        .map(|n| json!({"name": n, "attributes": [{"name": "resource", "type": "string"}]}))
        .collect();
    serde_json::to_writer(&mut out, &event_types)?;
    out.write_all(b",\n\"objects\":[")?;
    for o in partitions(&plan) {
        out.write_all(if first_object { b"\n" } else { b",\n" })?;
        first_object = false;
        serde_json::to_writer(&mut out, &o)?;
    }
    let mut objects = objects
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    // Each spilled object starts with a comma; without a partition before it, the
    // first one must not.
    objects.seek(io::SeekFrom::Start(u64::from(first_object)))?;
    io::copy(&mut objects, &mut out)?;
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(stopped)
}

/// The object types and their attributes (every value a string).
fn object_types() -> Value {
    let ty = |name: &str, attrs: &[&str]| {
        let attributes: Vec<Value> = attrs
            .iter()
            .map(|a| json!({"name": a, "type": "string"}))
            .collect();
        json!({"name": name, "attributes": attributes})
    };
    json!([
        ty("item", &["source", "status"]),
        ty("saga", &["saga", "status"]),
        ty("message", &["type", "kind"]),
        ty("partition", &["topic", "number"]),
    ])
}

/// Every topic partition of the model, as objects.
fn partitions(plan: &Plan) -> Vec<Value> {
    let zero = timestamp(SimTime::ZERO);
    plan.topics
        .iter()
        .flat_map(|t| {
            let zero = zero.clone();
            (0..t.partitions).map(move |p| {
                json!({
                    "id": partition_id(&t.name, p),
                    "type": "partition",
                    "attributes": [
                        {"name": "topic", "value": t.name, "time": zero},
                        {"name": "number", "value": p.to_string(), "time": zero},
                    ],
                })
            })
        })
        .collect()
}

fn partition_id(topic: &str, p: u32) -> String {
    format!("partition-{topic}-{p}")
}

/// One case's events and objects.
struct CaseLog {
    events: Vec<Value>,
    objects: Vec<Value>,
}

/// Does this record's `message` hold a message's event id? (Saga records other than
/// sending a command hold the instance number there.)
fn carries_message(r: &Record) -> bool {
    r.message != 0
        && (r.at != Where::Saga
            || matches!(
                r.kind,
                TraceKind::StepStarted | TraceKind::CompensationStarted
            ))
}

/// The saga instance (saga, instance number) whose execution each record of `case`
/// belongs to, found along the chain of causes; a record caused by a `SagaEnded`
/// is no longer part of it.
fn saga_instances(case: &Case) -> Vec<Option<(u32, u64)>> {
    let mut inst: Vec<Option<(u32, u64)>> = Vec::with_capacity(case.records.len());
    for r in &case.records {
        let own = (r.at == Where::Saga && !carries_message(r)).then_some((r.element, r.message));
        let inherited = case
            .position(r.cause)
            .filter(|p| *p < inst.len() && case.records[*p].kind != TraceKind::SagaEnded)
            .and_then(|p| inst[p]);
        inst.push(own.or(inherited));
    }
    inst
}

fn saga_id(plan: &Plan, (saga, n): (u32, u64)) -> String {
    let name = plan
        .sagas
        .get(saga as usize)
        .map_or("", |s| s.name.as_str());
    format!("saga-{name}-{n}")
}

fn message_id(id: u64) -> String {
    format!("message-{id}")
}

/// The events and objects of one case.
fn case_log(plan: &Plan, names: &mut ActivityNames, case: &Case) -> CaseLog {
    let item = format!("item-{}", case.correlation);
    let sagas = saga_instances(case);
    // Children of each record in the case, for what an activity produced.
    let mut children: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, r) in case.records.iter().enumerate() {
        children.entry(r.cause).or_default().push(i);
    }
    // Where each event was published: message → partition.
    let published: HashMap<u64, String> = case
        .records
        .iter()
        .filter(|r| r.kind == TraceKind::Published && r.at == Where::Topic)
        .filter_map(|r| {
            let topic = plan.topics.get(r.element as usize)?;
            Some((r.message, partition_id(&topic.name, r.detail)))
        })
        .collect();
    let occurrences = occurrences(case, names);
    let mut activity = vec![false; case.records.len()];
    for o in &occurrences {
        activity[o.at] = true;
    }
    let mut events = Vec::new();
    for o in occurrences {
        let r = &case.records[o.at];
        let mut rel: BTreeSet<(String, &str)> = BTreeSet::new();
        rel.insert((item.clone(), "item"));
        if let Some(s) = sagas[o.at] {
            rel.insert((saga_id(plan, s), "saga"));
        }
        if carries_message(r) {
            let q = match (r.kind, r.at) {
                (TraceKind::Completed, _) => "consumes",
                (_, Where::Saga) => "produces",
                _ => "message",
            };
            rel.insert((message_id(r.message), q));
        }
        let (messages, started) = produced(case, &children, &activity, r);
        for m in messages {
            rel.insert((message_id(m), "produces"));
        }
        for s in started {
            rel.insert((saga_id(plan, s), "starts"));
        }
        let partition = match (r.kind, r.at) {
            (TraceKind::Expired, Where::Topic) => plan
                .topics
                .get(r.element as usize)
                .map(|t| partition_id(&t.name, r.detail)),
            (TraceKind::Completed, _) => published.get(&r.message).cloned(),
            _ => None,
        };
        if let Some(p) = partition {
            rel.insert((p, "partition"));
        }
        let relationships: Vec<Value> = rel
            .into_iter()
            .map(|(id, q)| json!({"objectId": id, "qualifier": q}))
            .collect();
        let activity = names.name(o.activity);
        events.push(json!({
            "id": format!("e{}", r.id),
            "type": activity,
            "time": timestamp(r.time),
            "attributes": [{"name": "resource", "value": resource(plan, r)}],
            "relationships": relationships,
        }));
    }
    let mut objects = vec![item_object(plan, case, &item)];
    objects.extend(saga_objects(plan, case, &item));
    objects.extend(message_objects(plan, case, &item, &published));
    CaseLog { events, objects }
}

/// What the activity occurrence `r` led to: the messages it sent, published or
/// appended, and the saga instances it started. Found among the records it caused,
/// looking through records that carry no message and are no activity (a store
/// append leads to its change feed's publish, a saga's start or step result to its
/// next command).
fn produced(
    case: &Case,
    children: &HashMap<u64, Vec<usize>>,
    activity: &[bool],
    r: &Record,
) -> (BTreeSet<u64>, BTreeSet<(u32, u64)>) {
    let (mut messages, mut sagas) = (BTreeSet::new(), BTreeSet::new());
    let mut todo: Vec<u64> = vec![r.id];
    while let Some(id) = todo.pop() {
        for &c in children.get(&id).map_or(&[][..], Vec::as_slice) {
            let child = &case.records[c];
            if carries_message(child) {
                if child.message != r.message {
                    messages.insert(child.message);
                }
            } else if !activity[c] && child.id > id {
                if child.kind == TraceKind::SagaStarted {
                    sagas.insert((child.element, child.message));
                }
                todo.push(child.id);
            }
        }
    }
    (messages, sagas)
}

fn item_object(plan: &Plan, case: &Case, item: &str) -> Value {
    let first = case.records.first();
    let start = timestamp(first.map_or(SimTime::ZERO, |r| r.time));
    let end = case.records.last().filter(|_| case.ended);
    let source = end
        .map(|r| r.element as usize)
        .or_else(|| first.and_then(|r| plan.source_of(r)).map(SourceId::index))
        .and_then(|s| plan.sources.get(s))
        .map_or("", |s| s.name.as_str());
    let mut attributes = vec![
        json!({"name": "source", "value": source, "time": start}),
        json!({"name": "status", "value": "in flight", "time": start}),
    ];
    if let Some(r) = end {
        let status = if r.detail != 0 { "failed" } else { "completed" };
        attributes.push(json!({"name": "status", "value": status, "time": timestamp(r.time)}));
    }
    json!({"id": item, "type": "item", "attributes": attributes})
}

fn saga_objects(plan: &Plan, case: &Case, item: &str) -> Vec<Value> {
    // (saga, instance) → attributes, in order of start.
    let mut sagas: BTreeMap<(u32, u64), Vec<Value>> = BTreeMap::new();
    for r in case.records.iter().filter(|r| r.at == Where::Saga) {
        let at = timestamp(r.time);
        match r.kind {
            TraceKind::SagaStarted => {
                let name = plan
                    .sagas
                    .get(r.element as usize)
                    .map_or("", |s| s.name.as_str());
                sagas.entry((r.element, r.message)).or_default().extend([
                    json!({"name": "saga", "value": name, "time": at}),
                    json!({"name": "status", "value": "running", "time": at}),
                ]);
            }
            TraceKind::SagaEnded => {
                let outcome = SagaOutcome::ALL
                    .get(r.detail as usize)
                    .map_or("ended", |o| o.words());
                sagas
                    .entry((r.element, r.message))
                    .or_default()
                    .push(json!({"name": "status", "value": outcome, "time": at}));
            }
            _ => {}
        }
    }
    sagas
        .into_iter()
        .map(|(s, attributes)| {
            json!({
                "id": saga_id(plan, s),
                "type": "saga",
                "attributes": attributes,
                "relationships": [{"objectId": item, "qualifier": "item"}],
            })
        })
        .collect()
}

fn message_objects(
    plan: &Plan,
    case: &Case,
    item: &str,
    published: &HashMap<u64, String>,
) -> Vec<Value> {
    // Event id → its first record, in order of event id.
    let mut messages: BTreeMap<u64, &Record> = BTreeMap::new();
    for r in case.records.iter().filter(|r| carries_message(r)) {
        messages.entry(r.message).or_insert(r);
    }
    messages
        .into_iter()
        .map(|(id, r)| {
            let at = timestamp(r.time);
            let (ty, kind) = plan
                .types
                .get(r.message_type as usize)
                .map_or(("", ""), |t| (t.name.as_str(), kind_word(t.kind)));
            let mut relationships = vec![json!({"objectId": item, "qualifier": "item"})];
            if let Some(p) = published.get(&id) {
                relationships.push(json!({"objectId": p, "qualifier": "partition"}));
            }
            json!({
                "id": message_id(id),
                "type": "message",
                "attributes": [
                    {"name": "type", "value": ty, "time": at},
                    {"name": "kind", "value": kind, "time": at},
                ],
                "relationships": relationships,
            })
        })
        .collect()
}

fn kind_word(kind: MsgKind) -> &'static str {
    match kind {
        MsgKind::Event => "event",
        MsgKind::Command => "command",
        MsgKind::Reply => "reply",
        MsgKind::Query => "query",
    }
}
