//! Causes in the trace: every record names the record that caused it, and the
//! exports read senders and parents from those causes.
//!
//! The model fans one order out to two branches that run interleaved: an audit
//! consumer that fails and retries before it publishes, and a saga whose second step
//! is declined so its first step is compensated. Each expectation below is derived
//! from what the records are (their kinds, message ids, elements and attempts), not
//! from the engine's bookkeeping, and checked for every record of every item.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use eventscape::export::{mermaid_sequence, otlp_json};
use eventscape::model::Model;
use eventscape::sim::{MsgKind, Plan, Record, RunOptions, Simulation, TraceKind, Where};

const MODEL: &str = r#"
Model(
    name: "Causes",
    seed: 7,
    duration: "3s",
    events: [
        Event(name: "OrderPlaced"),
        Event(name: "Audited"),
        Event(name: "OrderRejected"),
    ],
    topics: [
        Topic(name: "orders", partitions: 2, key: "order_id"),
        Topic(name: "audit", partitions: 16),
        Topic(name: "status", partitions: 1),
    ],
    services: [
        Service(name: "checkout", concurrency: 4),
        Service(name: "auditor", concurrency: 4, handlers: [
            Handler(on: Event(event: "OrderPlaced", topic: "orders"), latency: Constant("1ms"),
                    fail_probability: 0.5, retry: Retry(attempts: 8, backoff: "1ms"),
                    emit: [Publish(event: "Audited", topic: "audit")]),
        ]),
        Service(name: "inventory", concurrency: 4, handlers: [
            Handler(on: Command("ReserveStock"), latency: Constant("20ms"), emit: [Reply("StockReserved")]),
            Handler(on: Command("ReleaseStock"), latency: Constant("5ms"), emit: [Reply("StockReleased")]),
        ]),
        Service(name: "payment", concurrency: 4, handlers: [
            Handler(on: Command("ChargeCard"), latency: Constant("25ms"), emit: [Reply("CardDeclined")]),
        ]),
        // Slow to take note of an audit: the whole saga runs in between, so the
        // audit's hand-off to it is never a directly-follows pair.
        Service(name: "notifier", concurrency: 32, handlers: [
            Handler(on: Event(event: "Audited", topic: "audit"), latency: Constant("500ms")),
            Handler(on: Event(event: "OrderRejected", topic: "status"), latency: Constant("1ms")),
        ]),
    ],
    sagas: [
        Saga(name: "order", orchestrator: "checkout", trigger: Event(event: "OrderPlaced", topic: "orders"),
             steps: [
                Step(name: "reserve", service: "inventory", command: "ReserveStock",
                     success: "StockReserved", timeout: "1s", compensate: "ReleaseStock"),
                Step(name: "charge", service: "payment", command: "ChargeCard",
                     failure: "CardDeclined", timeout: "1s"),
             ],
             on_abort: [Publish(event: "OrderRejected", topic: "status")]),
    ],
    sources: [
        Source(name: "shop", emit: Publish(event: "OrderPlaced", topic: "orders"),
               rate: Constant(per_sec: 20.0), keys: 100, stop: "2s"),
    ],
)
"#;

fn run() -> (Model, Plan, Vec<Record>) {
    let model = eventscape::model::parse(MODEL).expect("the test model loads");
    let mut sim = Simulation::new(&model, RunOptions::default()).expect("the model is valid");
    let records = Arc::new(Mutex::new(Vec::new()));
    let sink = records.clone();
    sim.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    sim.run();
    let plan = sim.plan().clone();
    let records = records.lock().unwrap().clone();
    (model, plan, records)
}

fn kind_of(plan: &Plan, r: &Record) -> Option<MsgKind> {
    plan.types.get(r.message_type as usize).map(|t| t.kind)
}

fn name(plan: &Plan, at: Where, element: u32) -> &str {
    plan.element_name(at, element).unwrap_or("?")
}

/// What caused `r`, by the meaning of the records alone.
// One arm per record kind: a table, read as one.
#[allow(clippy::too_many_lines)]
fn expect_cause(plan: &Plan, by_id: &HashMap<u64, Record>, r: &Record, c: Option<&Record>) {
    let what = format!("{:?} at {} ({r:?})", r.kind, name(plan, r.at, r.element));
    let same_message = |c: &Record| c.message == r.message && c.message_type == r.message_type;
    match (r.kind, r.at) {
        (TraceKind::Published, Where::Topic) if name(plan, Where::Topic, r.element) == "orders" => {
            assert!(c.is_none(), "{what}: the source's publish is a root");
        }
        (TraceKind::Published, Where::Topic) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            let topic = name(plan, Where::Topic, r.element);
            match topic {
                // Published by the auditor once it has handled the order.
                "audit" => assert!(
                    c.kind == TraceKind::Completed && name(plan, c.at, c.element) == "auditor",
                    "{what}: caused by {c:?}"
                ),
                // The saga's on_abort.
                "status" => assert!(
                    c.kind == TraceKind::SagaEnded && c.at == Where::Saga,
                    "{what}: caused by {c:?}"
                ),
                other => panic!("unexpected topic {other}"),
            }
        }
        (TraceKind::Delivered, Where::Service) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            match kind_of(plan, r) {
                // Read from the topic it was published to.
                Some(MsgKind::Event) => assert!(
                    c.kind == TraceKind::Published && c.at == Where::Topic && same_message(c),
                    "{what}: caused by {c:?}"
                ),
                // Sent by the saga step or compensation with the same command id.
                Some(MsgKind::Command) => assert!(
                    matches!(
                        c.kind,
                        TraceKind::StepStarted | TraceKind::CompensationStarted
                    ) && c.at == Where::Saga
                        && same_message(c),
                    "{what}: caused by {c:?}"
                ),
                // Sent by the participant that completed the command the saga sent.
                Some(MsgKind::Reply) => {
                    assert!(
                        c.kind == TraceKind::Completed && c.at == Where::Service,
                        "{what}: caused by {c:?}"
                    );
                    let command = by_id
                        .values()
                        .find(|s| {
                            s.at == Where::Saga
                                && matches!(
                                    s.kind,
                                    TraceKind::StepStarted | TraceKind::CompensationStarted
                                )
                                && s.message == c.message
                        })
                        .unwrap_or_else(|| panic!("{what}: no saga sent {c:?}"));
                    let participant = &plan.sagas[command.element as usize].steps
                        [command.detail as usize]
                        .service;
                    assert_eq!(
                        participant.0, c.element,
                        "{what}: replied by the wrong service"
                    );
                }
                other => panic!("{what}: unexpected {other:?}"),
            }
        }
        (TraceKind::Started, Where::Service) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            let first = r.detail == 1;
            let ok = same_message(c)
                && c.element == r.element
                && if first {
                    c.kind == TraceKind::Delivered
                } else {
                    c.kind == TraceKind::Retried && c.detail == r.detail
                };
            assert!(ok, "{what}: caused by {c:?}");
        }
        (TraceKind::Failed | TraceKind::Completed, Where::Service) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            assert!(
                c.kind == TraceKind::Started && same_message(c) && c.element == r.element,
                "{what}: caused by {c:?}"
            );
            if r.kind == TraceKind::Failed {
                assert_eq!(c.detail, r.detail, "{what}: the attempt that failed");
            }
        }
        (TraceKind::Retried, Where::Service) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            assert!(
                c.kind == TraceKind::Failed && same_message(c) && c.detail + 1 == r.detail,
                "{what}: caused by {c:?}"
            );
        }
        (TraceKind::SagaStarted, Where::Saga) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            assert!(
                c.kind == TraceKind::Completed
                    && name(plan, c.at, c.element) == "checkout"
                    && kind_of(plan, c) == Some(MsgKind::Event),
                "{what}: the orchestrator handled the trigger: {c:?}"
            );
        }
        (TraceKind::StepStarted | TraceKind::CompensationStarted, Where::Saga) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            let ok = c.at == Where::Saga
                && c.element == r.element
                && match (r.kind, r.detail) {
                    (TraceKind::StepStarted, 0) => c.kind == TraceKind::SagaStarted,
                    (TraceKind::StepStarted, _) => c.kind == TraceKind::StepSucceeded,
                    _ => c.kind == TraceKind::StepFailed,
                };
            assert!(ok, "{what}: caused by {c:?}");
        }
        (
            TraceKind::StepSucceeded | TraceKind::StepFailed | TraceKind::CompensationFinished,
            Where::Saga,
        ) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            assert!(
                c.kind == TraceKind::Completed
                    && name(plan, c.at, c.element) == "checkout"
                    && c.message_type == r.message_type,
                "{what}: the orchestrator handled the reply: {c:?}"
            );
        }
        (TraceKind::SagaEnded, Where::Saga) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            assert_eq!(c.kind, TraceKind::CompensationFinished, "{what}");
        }
        (TraceKind::ItemCompleted, Where::Source) => {
            let c = c.unwrap_or_else(|| panic!("{what}: no cause"));
            assert_eq!(c.kind, TraceKind::Completed, "{what}: the last handling");
        }
        _ => panic!("{what}: not expected in this model"),
    }
}

#[test]
fn every_record_names_its_cause_exactly() {
    let (_, plan, records) = run();
    let by_id: HashMap<u64, Record> = records.iter().map(|r| (r.id, *r)).collect();
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.id, i as u64 + 1, "records are numbered in order");
    }
    let mut seen: HashMap<TraceKind, u64> = HashMap::new();
    for r in &records {
        *seen.entry(r.kind).or_default() += 1;
        let c = (r.cause != 0).then(|| {
            let c = by_id
                .get(&r.cause)
                .unwrap_or_else(|| panic!("{r:?}: cause not in the trace"));
            assert!(
                c.id < r.id && c.time <= r.time,
                "{r:?} before its cause {c:?}"
            );
            assert_eq!(c.correlation, r.correlation, "{r:?}: cause of another item");
            c
        });
        expect_cause(&plan, &by_id, r, c);
    }
    // The run exercised what the test is about.
    for kind in [
        TraceKind::Retried,
        TraceKind::CompensationStarted,
        TraceKind::CompensationFinished,
        TraceKind::SagaEnded,
        TraceKind::ItemCompleted,
    ] {
        assert!(
            seen.get(&kind).copied().unwrap_or(0) > 10,
            "{kind:?}: {seen:?}"
        );
    }
}

/// An item whose audit retried while its saga compensated, interleaved in time.
fn interleaved(plan: &Plan, records: &[Record]) -> u64 {
    let auditor = plan
        .services
        .iter()
        .position(|s| s.name == "auditor")
        .unwrap() as u32;
    let retried: Vec<u64> = records
        .iter()
        .filter(|r| r.kind == TraceKind::Retried && r.element == auditor)
        .map(|r| r.correlation)
        .collect();
    records
        .iter()
        .filter(|r| r.kind == TraceKind::CompensationStarted)
        .map(|r| r.correlation)
        .find(|c| retried.contains(c))
        .expect("an item that retried and compensated")
}

#[test]
fn sequence_senders_come_from_causes() {
    let (model, plan, records) = run();
    let corr = interleaved(&plan, &records);
    let text = mermaid_sequence(&model, &plan, &records, corr);
    let ids: HashMap<&str, &str> = text
        .lines()
        .filter_map(|l| {
            let rest = l
                .trim()
                .strip_prefix("participant ")
                .or_else(|| l.trim().strip_prefix("actor "))?;
            let (id, name) = rest.split_once(" as ")?;
            Some((name, id))
        })
        .collect();
    let arrow = |from: &str, dashed: bool, to: &str, what: &str| {
        let a = if dashed { "-->>" } else { "->>" };
        format!("{}{a}{}: {what}", ids[from], ids[to])
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for expected in [
        arrow("shop", false, "orders (topic)", "OrderPlaced (partition"),
        arrow("orders (topic)", false, "auditor", "OrderPlaced"),
        arrow("orders (topic)", false, "checkout", "OrderPlaced"),
        arrow("auditor", false, "audit (topic)", "Audited"),
        arrow("order (saga)", false, "inventory", "ReserveStock"),
        arrow("inventory", true, "order (saga)", "StockReserved"),
        arrow("order (saga)", false, "payment", "ChargeCard"),
        arrow("payment", true, "order (saga)", "CardDeclined"),
        arrow("order (saga)", false, "inventory", "ReleaseStock"),
        arrow("inventory", true, "order (saga)", "StockReleased"),
        arrow("order (saga)", false, "status (topic)", "OrderRejected"),
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(&expected)),
            "missing `{expected}` in\n{text}"
        );
    }
}

#[test]
fn otlp_parents_come_from_causes() {
    let (model, plan, records) = run();
    let corr = interleaved(&plan, &records);
    let mine: Vec<Record> = records
        .iter()
        .filter(|r| r.correlation == corr)
        .copied()
        .collect();
    let json: serde_json::Value =
        serde_json::from_str(&otlp_json(&model, &plan, &mine, None)).unwrap();
    let mut spans: HashMap<String, (String, Option<String>)> = HashMap::new();
    for rs in json["resourceSpans"].as_array().unwrap() {
        for ss in rs["scopeSpans"].as_array().unwrap() {
            for s in ss["spans"].as_array().unwrap() {
                spans.insert(
                    s["spanId"].as_str().unwrap().to_owned(),
                    (
                        s["name"].as_str().unwrap().to_owned(),
                        s["parentSpanId"].as_str().map(str::to_owned),
                    ),
                );
            }
        }
    }
    let parent_of = |name: &str| -> Vec<String> {
        spans
            .values()
            .filter(|(n, _)| n == name)
            .map(|(_, p)| {
                p.as_ref()
                    .map_or_else(|| "(root)".to_owned(), |p| spans[p].0.clone())
            })
            .collect()
    };
    let all_are = |child: &str, parent: &str| {
        let parents = parent_of(child);
        assert!(!parents.is_empty(), "no span {child}");
        assert!(
            parents.iter().all(|p| p == parent),
            "{child}: parents {parents:?}, expected {parent}"
        );
    };
    all_are("publish audit", "process OrderPlaced");
    all_are("process Audited", "publish audit");
    all_are("process ReserveStock", "step reserve");
    all_are("process StockReserved", "process ReserveStock");
    all_are("process ChargeCard", "step charge");
    all_are("process CardDeclined", "process ChargeCard");
    all_are("process ReleaseStock", "compensate reserve");
    all_are("process StockReleased", "process ReleaseStock");
    all_are("step reserve", "saga order");
    all_are("compensate reserve", "saga order");
    all_are("saga order", "process OrderPlaced");
    all_are("publish status", "saga order");
    all_are("process OrderRejected", "publish status");
    // Both branches hang off the one publish of the order.
    all_are("process OrderPlaced", "publish orders");
    assert_eq!(parent_of("process OrderPlaced").len(), 2);
}

#[test]
fn the_mined_process_reads_hand_offs_from_causes() {
    let (model, plan, records) = run();
    let p = eventscape::analysis::emergent_process(&model, &plan, &records);
    // Both branches of the fan-out happened, interleaved: each modelled hand-off
    // on them was taken, whatever ran in between.
    for (from, to) in [
        ("OrderPlaced @ auditor", "Audited @ notifier"),
        ("OrderPlaced @ checkout", "ReserveStock @ inventory"),
        (
            "CardDeclined @ checkout",
            "order: compensation ReleaseStock",
        ),
        ("StockReleased @ checkout", "order: compensated"),
        ("order: compensated", "OrderRejected @ notifier"),
    ] {
        assert!(
            !p.never_seen.iter().any(|(f, t)| f == from && t == to),
            "{from} → {to} happened: {:?}",
            p.never_seen
        );
    }
    // The model declares every hand-off that ran.
    let unmodelled: Vec<_> = p.flows.iter().filter(|f| f.unmodelled).collect();
    assert!(unmodelled.is_empty(), "{unmodelled:?}");
}

#[test]
fn the_waterfall_pairs_work_and_hand_offs_by_causes() {
    let (_, plan, records) = run();
    let corr = interleaved(&plan, &records);
    let mine: Vec<&Record> = records.iter().filter(|r| r.correlation == corr).collect();
    let j = eventscape::analysis::journey(&mine);
    // Every start is one piece of work; every end ends exactly one, and the same
    // attempt of the same message on the same service (the audit's retries are
    // several attempts of one message there).
    let starts = mine.iter().filter(|r| r.kind == TraceKind::Started).count();
    assert_eq!(j.work.len(), starts);
    let mut ended = Vec::new();
    for w in &j.work {
        let (s, e) = (mine[w.start], mine[w.end.expect("nothing was lost here")]);
        assert_eq!(s.kind, TraceKind::Started);
        assert!(matches!(e.kind, TraceKind::Completed | TraceKind::Failed));
        assert_eq!((s.at, s.element, s.message), (e.at, e.element, e.message));
        assert!(e.time >= s.time);
        if e.kind == TraceKind::Failed {
            assert_eq!(e.detail, s.detail, "a failure ends its own attempt");
        }
        ended.push(w.end);
    }
    let ends = mine
        .iter()
        .filter(|r| matches!(r.kind, TraceKind::Completed | TraceKind::Failed))
        .count();
    ended.sort_unstable();
    ended.dedup();
    assert_eq!(ended.len(), ends, "each end ends one piece of work");
    assert!(
        mine.iter().any(|r| r.kind == TraceKind::Failed),
        "the audit branch retries in this item"
    );
    // A hand-off joins a record to the record it names as its cause, across lanes;
    // every cross-element cause is one.
    for h in &j.handoffs {
        assert_eq!(mine[h.to].cause, mine[h.from].id);
        assert_ne!(j.lane_of[h.from], j.lane_of[h.to]);
    }
    let crossing = mine
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            mine.iter()
                .position(|c| c.id == r.cause)
                .is_some_and(|c| j.lane_of[c] != j.lane_of[*i])
        })
        .count();
    assert_eq!(j.handoffs.len(), crossing);
    // Both branches are in the item: the audit topic and the saga.
    let lanes: Vec<&str> = j.lanes.iter().map(|(at, e)| name(&plan, *at, *e)).collect();
    for lane in [
        "orders",
        "auditor",
        "audit",
        "order",
        "inventory",
        "payment",
    ] {
        assert!(lanes.contains(&lane), "{lane} in {lanes:?}");
    }
}
