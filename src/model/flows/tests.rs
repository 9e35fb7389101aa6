//! The flows of every example model, the consumer-group rule, and the modelled
//! hand-offs against the process miner's own derivation.

use std::collections::BTreeSet;

use super::*;
use crate::examples::{self, ALL};
use crate::model::{Action, Model, parse};

fn example(name: &str) -> Model {
    examples::find(name)
        .and_then(|e| e.model().ok())
        .unwrap_or_else(|| panic!("example {name}"))
}

/// `event topic group service [saga]` for each subscription.
fn subscriptions(f: &Flows) -> Vec<String> {
    f.subscriptions()
        .map(|s| {
            let saga = s
                .receiver
                .saga()
                .map(|g| format!(" starts {}", g.name))
                .unwrap_or_default();
            format!("{} {} {} {}{saga}", s.event, s.topic, s.group, s.service)
        })
        .collect()
}

/// `kind name service [replies]` for each handled command or query.
fn handlers(f: &Flows) -> Vec<String> {
    f.handlers()
        .map(|h| {
            format!(
                "{} {} {} [{}]",
                h.kind.label(),
                h.name,
                h.service,
                h.replies.join(" ")
            )
        })
        .collect()
}

#[test]
fn every_example_has_its_subscriptions_with_their_groups() {
    let expected: [(&str, &[&str]); 4] = [
        (
            "choreography",
            &[
                "OrderPlaced orders payment payment",
                "OutOfStock inventory payment payment",
                "PaymentCompleted payments inventory inventory",
                "StockReserved inventory shipping shipping",
                "PaymentFailed payments orders orders",
                "PaymentRefunded payments orders orders",
                "OrderShipped shipments orders orders",
            ],
        ),
        (
            "saga",
            &[
                "OrderCompleted order-status notifications notifications",
                "OrderRejected order-status notifications notifications",
                "OrderPlaced orders checkout checkout starts checkout",
            ],
        ),
        (
            "cqrs",
            &["OrderSubmitted order-changes analytics analytics"],
        ),
        (
            "notification",
            &[
                "CustomerChanged customer-notifications billing-notified billing-notified",
                "CustomerUpdated customer-state billing-replica billing-replica",
            ],
        ),
    ];
    assert_eq!(expected.len(), ALL.len(), "an example without expectations");
    for (name, subs) in expected {
        let m = example(name);
        assert_eq!(subscriptions(&Flows::new(&m)), subs, "{name}");
    }
}

#[test]
fn every_example_has_its_handlers_and_replies() {
    let expected: [(&str, &[&str]); 4] = [
        ("choreography", &[]),
        (
            "saga",
            &[
                "command ReserveStock inventory [StockReserved OutOfStock]",
                "command ReleaseStock inventory [StockReleased]",
                "command ChargeCard payment [CardCharged CardDeclined]",
                "command RefundCard payment [CardRefunded]",
                "command CreateShipment shipping [ShipmentCreated AddressInvalid]",
            ],
        ),
        (
            "cqrs",
            &[
                "command CreateOrder order-write []",
                "command AddItem order-write []",
                "command SubmitOrder order-write []",
            ],
        ),
        (
            "notification",
            &[
                "command UpdateCustomer customers []",
                "query GetCustomer customers []",
            ],
        ),
    ];
    for (name, hs) in expected {
        let m = example(name);
        assert_eq!(handlers(&Flows::new(&m)), hs, "{name}");
    }
}

#[test]
fn the_saga_example_hands_off_step_by_step() {
    let m = example("saga");
    let f = Flows::new(&m);
    let text: Vec<String> = f
        .handoffs()
        .map(|h| {
            let next: Vec<String> = h.next.iter().map(|n| n.activity(&h.saga)).collect();
            format!(
                "{:?} {}{} -> {}",
                h.stage,
                h.reply.unwrap_or("start"),
                if h.failed { " (failed)" } else { "" },
                next.join(" | ")
            )
        })
        .collect();
    assert_eq!(
        text,
        [
            "Start start -> ReserveStock @ inventory",
            "Step(0) StockReserved -> ChargeCard @ payment",
            "Step(0) OutOfStock (failed) -> checkout: compensated",
            "Compensation(0) StockReleased -> checkout: compensated | checkout: timed out",
            "Step(1) CardCharged -> CreateShipment @ shipping",
            "Step(1) CardDeclined (failed) -> checkout: compensation ReleaseStock",
            "Compensation(1) CardRefunded -> checkout: compensation ReleaseStock",
            "Step(2) ShipmentCreated -> checkout: completed",
            "Step(2) AddressInvalid (failed) -> checkout: compensation RefundCard",
        ]
    );
    let awaits: Vec<String> = f
        .awaits()
        .map(|a| format!("{} {} {}", a.step, a.reply, a.meaning.label()))
        .collect();
    assert_eq!(
        awaits,
        [
            "0 StockReserved success",
            "0 OutOfStock failure",
            "1 CardCharged success",
            "1 CardDeclined failure",
            "2 ShipmentCreated success",
            "2 AddressInvalid failure",
        ]
    );
    let requests: Vec<String> = f
        .requests()
        .map(|r| {
            format!(
                "{} {} {}: {}",
                r.origin.who().describe(),
                r.name,
                r.to,
                r.origin.why()
            )
        })
        .collect();
    assert_eq!(
        requests,
        [
            "checkout (saga checkout) ReserveStock inventory: step reserve",
            "checkout (saga checkout) ReleaseStock inventory: compensation of step reserve",
            "checkout (saga checkout) ChargeCard payment: step charge",
            "checkout (saga checkout) RefundCard payment: compensation of step charge",
            "checkout (saga checkout) CreateShipment shipping: step ship",
        ]
    );
}

#[test]
fn stores_feed_their_topic_once_per_event_and_projections_read_them() {
    let m = example("cqrs");
    let f = Flows::new(&m);
    let publishes: Vec<String> = f
        .publishes()
        .map(|p| format!("{} {} {}", p.origin.who().describe(), p.event, p.topic))
        .collect();
    assert_eq!(
        publishes,
        [
            "event store order-events (change feed) OrderCreated order-changes",
            "event store order-events (change feed) ItemAdded order-changes",
            "event store order-events (change feed) OrderSubmitted order-changes",
        ]
    );
    assert!(f.appends().all(|a| a.feed == Some("order-changes")));
    assert_eq!(f.feed_of("order-events"), Some("order-changes"));
    let projections: Vec<(&str, &str)> = f
        .projections()
        .map(|p| (p.projection.name.as_str(), p.store))
        .collect();
    assert_eq!(projections, [("order-summary", "order-events")]);
    assert_eq!(f.feeds().count(), 1);
}

/// A model with the group rule's three cases: a service's handler without a group, a
/// saga trigger without one and a saga trigger with one; and a command-started saga.
const GROUPS: &str = r#"Model(
    name: "groups",
    events: [Event(name: "A"), Event(name: "B")],
    topics: [Topic(name: "t")],
    services: [
        Service(name: "reader", handlers: [
            Handler(on: Event(event: "A", topic: "t"), latency: Constant("1ms"),
                    emit: [Send(command: "Go", to: "boss")]),
            Handler(on: Event(event: "B", topic: "t", group: "audit"), latency: Constant("1ms")),
        ]),
        Service(name: "boss"),
    ],
    sagas: [
        Saga(name: "plain", orchestrator: "boss", trigger: Event(event: "A", topic: "t"), steps: []),
        Saga(name: "grouped", orchestrator: "boss",
             trigger: Event(event: "B", topic: "t", group: "sagas"), steps: []),
        Saga(name: "commanded", orchestrator: "boss", trigger: Command("Go"), steps: []),
    ],
    sources: [Source(name: "s", emit: Publish(event: "A", topic: "t"), rate: Constant(per_sec: 1.0))],
)"#;

#[test]
fn a_group_defaults_to_the_consuming_service_or_the_orchestrator() {
    assert_eq!(effective_group(None, "reader"), "reader");
    assert_eq!(effective_group(Some("audit"), "reader"), "audit");
    let m = parse(GROUPS).unwrap();
    let f = m.flows();
    assert_eq!(
        subscriptions(&f),
        [
            "A t reader reader",
            "B t audit reader",
            "A t boss boss starts plain",
            "B t sagas boss starts grouped",
        ]
    );
    let groups: Vec<(&str, Vec<&str>)> = f.consumer_groups("t").into_iter().collect();
    assert_eq!(
        groups,
        [
            ("audit", vec!["reader"]),
            ("boss", vec!["boss"]),
            ("reader", vec!["reader"]),
            ("sagas", vec!["boss"]),
        ]
    );
    // The command-started saga makes its orchestrator take the command.
    assert_eq!(handlers(&f), ["command Go boss []"]);
    assert!(f.handles("boss", "Go") && !f.handles("reader", "Go"));
    let h = f.activity_handoffs();
    assert!(h.contains(&("A @ reader".to_owned(), "Go @ boss".to_owned())));
}

#[test]
fn saga_outcomes_are_listed_in_declaration_order() {
    // The engine counts outcomes in an array indexed by `outcome as usize` and
    // reports them by position in `ALL`: the two orders must agree.
    for (i, o) in crate::model::SagaOutcome::ALL.iter().enumerate() {
        assert_eq!(*o as usize, i, "{o:?}");
    }
}

#[test]
fn the_model_says_which_elements_it_holds() {
    let m = example("saga");
    use crate::model::{ElementKind::*, ElementRef};
    for (kind, name) in [
        (Service, "payment"),
        (Topic, "orders"),
        (Event, "OrderPlaced"),
        (Saga, "checkout"),
        (Source, "web shop"),
    ] {
        assert!(m.contains(&ElementRef::new(kind, name)), "{name}");
    }
    assert!(!m.contains(&ElementRef::new(Topic, "payment")));
    assert!(!m.contains(&ElementRef::new(Store, "orders")));
}

#[test]
fn activity_handoffs_equal_the_miners_on_every_example() {
    let mut models: Vec<(String, Model)> = ALL
        .iter()
        .map(|e| (e.name.to_owned(), e.model().unwrap()))
        .collect();
    models.push(("groups".to_owned(), parse(GROUPS).unwrap()));
    // Two callbacks and a store feed read by a saga, to exercise the rewriting.
    let mut m = example("notification");
    let with_callback = m.services[1].handlers[0].clone();
    m.services[2].handlers[0].callback = with_callback.callback;
    models.push(("notification, two callbacks".to_owned(), m));
    for (name, m) in models {
        let f = Flows::new(&m);
        let ours = f.activity_handoffs();
        let theirs = miner_handoffs(&m);
        assert_eq!(ours, theirs, "{name}");
        assert!(!ours.is_empty() || name == "groups", "{name}");
    }
}

/// The process miner's own derivation of the modelled hand-offs, frozen as it was
/// when the flows took it over (the miner now reads `Flows::activity_handoffs`): an
/// independent oracle the flows are checked against.
#[allow(clippy::too_many_lines)]
fn miner_handoffs(m: &Model) -> BTreeSet<(String, String)> {
    use crate::sim::SagaOutcome;
    let outcome_words = |o: SagaOutcome| o.label().replace('_', " ");
    let at = |ty: &str, service: &str| format!("{ty} @ {service}");
    let consumers = |e: &str, t: &str| -> Vec<String> {
        let mut out = Vec::new();
        for s in &m.services {
            for h in &s.handlers {
                if let Trigger::Event { event, topic, .. } = &h.on
                    && event == e
                    && topic == t
                {
                    out.push(at(e, &s.name));
                }
            }
        }
        for g in &m.sagas {
            if let Trigger::Event { event, topic, .. } = &g.trigger
                && event == e
                && topic == t
            {
                out.push(at(e, &g.orchestrator));
            }
        }
        out
    };
    let handles = |service: &str, r: &str| {
        m.service(service)
            .is_some_and(|s| s.handler_for_request(r).is_some())
            || m.sagas.iter().any(|g| {
                g.orchestrator == service
                    && matches!(&g.trigger, Trigger::Command(c) | Trigger::Query(c) if c == r)
            })
    };
    let targets = |a: &Action| -> Vec<String> {
        match a {
            Action::Publish { event, topic, .. } => consumers(event, topic),
            Action::Append { event, store } => m
                .stores
                .iter()
                .find(|s| &s.name == store)
                .and_then(|s| s.publish_to.as_deref())
                .map(|t| consumers(event, t))
                .unwrap_or_default(),
            Action::Send { command, to } => {
                if handles(to, command) {
                    vec![at(command, to)]
                } else {
                    Vec::new()
                }
            }
            Action::Reply(_) => Vec::new(),
        }
    };
    let mut h = BTreeSet::new();
    for s in &m.services {
        for handler in &s.handlers {
            let from = at(handler.on.message(), &s.name);
            for a in handler.actions() {
                for to in targets(a) {
                    h.insert((from.clone(), to));
                }
            }
        }
    }
    for g in &m.sagas {
        let o = &g.orchestrator;
        let milestone = |what: &str| format!("{}: {what}", g.name);
        let trigger = at(g.trigger.message(), o);
        let command = |i: usize| at(&g.steps[i].command, &g.steps[i].service);
        let replies = |cmd: &str, svc: &str| -> Vec<String> {
            m.service(svc)
                .and_then(|s| s.handler_for_request(cmd))
                .map(|hd| hd.replies().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let compensate_before = |i: usize, outcomes: &[SagaOutcome]| -> Vec<String> {
            match (0..i).rev().find(|&j| g.steps[j].compensate.is_some()) {
                Some(j) => vec![milestone(&format!(
                    "compensation {}",
                    g.steps[j].compensate.as_deref().unwrap_or_default()
                ))],
                None => outcomes
                    .iter()
                    .map(|o| milestone(&outcome_words(*o)))
                    .collect(),
            }
        };
        if !g.steps.is_empty() {
            h.insert((trigger, command(0)));
        }
        for (i, st) in g.steps.iter().enumerate() {
            for r in replies(&st.command, &st.service) {
                let failed = st.failure.as_deref() == Some(r.as_str())
                    || st.success.as_ref().is_some_and(|ok| *ok != r);
                let next = if failed {
                    compensate_before(i, &[SagaOutcome::Compensated])
                } else if i + 1 < g.steps.len() {
                    vec![command(i + 1)]
                } else {
                    vec![milestone(&outcome_words(SagaOutcome::Completed))]
                };
                let reply = at(&r, o);
                h.insert((command(i), reply.clone()));
                for n in next {
                    h.insert((reply.clone(), n));
                }
            }
            if let Some(c) = &st.compensate {
                let comp = at(c, &st.service);
                h.insert((milestone(&format!("compensation {c}")), comp.clone()));
                for r in replies(c, &st.service) {
                    let reply = at(&r, o);
                    h.insert((comp.clone(), reply.clone()));
                    for n in
                        compensate_before(i, &[SagaOutcome::Compensated, SagaOutcome::TimedOut])
                    {
                        h.insert((reply.clone(), n));
                    }
                }
            }
        }
        for o in SagaOutcome::ALL {
            let acts = if o == SagaOutcome::Completed {
                &g.on_complete
            } else {
                &g.on_abort
            };
            for a in acts {
                for to in targets(a) {
                    h.insert((milestone(&outcome_words(o)), to));
                }
            }
        }
    }
    for s in &m.services {
        for handler in &s.handlers {
            let Some(cb) = &handler.callback else {
                continue;
            };
            let caller = at(handler.on.message(), &s.name);
            let query = at(&cb.query, &cb.service);
            let preds: Vec<(String, String)> =
                h.iter().filter(|(_, t)| *t == caller).cloned().collect();
            for (p, t) in preds {
                h.remove(&(p.clone(), t));
                h.insert((p, query.clone()));
            }
            h.insert((query, caller));
        }
    }
    h
}
