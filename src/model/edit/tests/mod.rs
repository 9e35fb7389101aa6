//! Tests of the edit operations, one file per operation, with shared helpers here.

mod add;
mod connect;
mod connect_menu;
mod delete;
mod placeholders;
mod props;
mod rename;

use crate::model::{ElementKind, ElementRef, Model, Severity, parse, to_ron, validate};

fn el(kind: ElementKind, name: &str) -> ElementRef {
    ElementRef::new(kind, name)
}

/// The model survives saving and loading unchanged.
fn assert_round_trips(m: &Model) {
    let text = to_ron(m).expect("serialises");
    let back = parse(&text).unwrap_or_else(|e| panic!("does not parse back: {e}\n{text}"));
    assert_eq!(&back, m, "changed on the way through RON:\n{text}");
}

/// The errors of a model, as "path: message".
fn errors(m: &Model) -> Vec<String> {
    validate(m)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect()
}

/// A small clean model with one of everything, for exact before/after checks.
fn small() -> Model {
    let m = parse(
        r#"Model(
    name: "small",
    events: [Event(name: "OrderPlaced")],
    topics: [
        Topic(name: "orders", partitions: 3),
        Topic(name: "payments", partitions: 3),
    ],
    services: [
        Service(name: "checkout"),
        Service(name: "payment", handlers: [
            Handler(on: Event(event: "OrderPlaced", topic: "orders"), latency: Constant("5ms")),
        ]),
        Service(name: "shipping", handlers: [
            Handler(on: Command("Ship"), latency: Constant("5ms")),
        ]),
    ],
    sagas: [
        Saga(name: "fulfil", orchestrator: "checkout", trigger: Event(event: "OrderPlaced", topic: "orders"),
             steps: [Step(name: "ship", service: "shipping", command: "Ship")]),
    ],
    stores: [
        EventStore(name: "order-events", aggregate: "Order"),
        EventStore(name: "audit", aggregate: "Audit"),
    ],
    projections: [Projection(name: "summary", store: "order-events", update: Constant("1ms"))],
    sources: [Source(name: "web shop", emit: Publish(event: "OrderPlaced", topic: "orders"), rate: Poisson(per_sec: 5.0))],
)"#,
    )
    .expect("the small model parses");
    assert_eq!(errors(&m), Vec::<String>::new());
    m
}
