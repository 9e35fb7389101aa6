//! Connecting: refusals, the "Connect to" menu, and every link on every example.

use super::super::{
    ConnectError, Connection, add_element, connect, connect_targets, connection, elements,
};
use super::{assert_round_trips, el, errors, small};
use crate::diagram::arch_graph;
use crate::examples::ALL;
use crate::model::{Action, ElementKind, ElementRef};

use ElementKind::{Event, Projection, Saga, Service, Source, Store, Topic};

#[test]
fn refusals_explain_and_change_nothing() {
    let m = small();
    let cases = [
        (
            el(Topic, "orders"),
            el(Topic, "payments"),
            "a topic cannot be connected to a topic: put a service between them",
        ),
        (
            el(Source, "web shop"),
            el(Topic, "orders"),
            "web shop already publishes OrderPlaced to orders",
        ),
        (
            el(Saga, "fulfil"),
            el(Service, "shipping"),
            "fulfil already has step ship on shipping",
        ),
        (
            el(Topic, "orders"),
            el(Saga, "fulfil"),
            "fulfil is already started by OrderPlaced from orders",
        ),
        (
            el(Store, "order-events"),
            el(Projection, "summary"),
            "summary already follows order-events",
        ),
        (
            el(Store, "order-events"),
            el(Service, "payment"),
            "an event store cannot be connected to a service: an event store feeds projections and topics: connect it to a topic, then the topic onward",
        ),
        (
            el(Topic, "orders"),
            el(Store, "audit"),
            "a topic cannot be connected to an event store: services append to event stores: put a service between them",
        ),
        (
            el(Service, "payment"),
            el(Projection, "summary"),
            "a service cannot be connected to a projection: a projection follows an event store: connect a store to it",
        ),
        (
            el(Projection, "summary"),
            el(Topic, "orders"),
            "a projection cannot be connected to a topic: a projection is a read model at the end of the flow; nothing follows it",
        ),
        (
            el(Service, "payment"),
            el(Source, "web shop"),
            "a service cannot be connected to a source: a source is where traffic starts, so nothing flows into it",
        ),
        (
            el(Event, "OrderPlaced"),
            el(Topic, "orders"),
            "an event cannot be connected to a topic: event types are not boxes on the diagram; connect the topics and services that carry them",
        ),
        (
            el(Service, "payment"),
            el(Service, "payment"),
            "payment cannot be connected to itself",
        ),
        (
            el(Service, "ghost"),
            el(Topic, "orders"),
            "there is no service \"ghost\"",
        ),
        (
            el(Service, "payment"),
            el(Topic, "ghost"),
            "there is no topic \"ghost\"",
        ),
    ];
    for (from, to, message) in cases {
        let err = connection(&m, &from, &to).unwrap_err();
        assert_eq!(err.to_string(), message, "{from} → {to}");
        let mut after = m.clone();
        assert_eq!(connect(&mut after, &from, &to), Err(err));
        assert_eq!(after, m, "{from} → {to} changed the model");
        assert!(!connect_targets(&m, &from).contains(&to));
    }
    // After a connection, the same one is refused as already there.
    let mut after = m.clone();
    connect(&mut after, &el(Service, "payment"), &el(Topic, "payments")).unwrap();
    assert_eq!(
        connect(&mut after, &el(Service, "payment"), &el(Topic, "payments")),
        Err(ConnectError::Already(
            "payment already publishes to payments".into()
        ))
    );
}

#[test]
fn a_link_that_would_loop_for_ever_is_refused() {
    let mut m = small();
    // payment appends what it consumes to a store; feeding the store back into the
    // topic it reads would send every message round for ever.
    m.services[1].handlers[0].emit.push(Action::Append {
        event: "OrderPlaced".into(),
        store: "audit".into(),
    });
    let err = connection(&m, &el(Store, "audit"), &el(Topic, "orders")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("that would make the model invalid: an endless loop"),
        "{err}"
    );
}

#[test]
fn the_menu_lists_exactly_the_possible_links_in_model_order() {
    let m = small();
    assert_eq!(
        connect_targets(&m, &el(Service, "payment")),
        [
            el(Topic, "orders"),
            el(Topic, "payments"),
            el(Service, "checkout"),
            el(Service, "shipping"),
            el(Store, "order-events"),
            el(Store, "audit"),
        ]
    );
    assert_eq!(
        connect_targets(&m, &el(Topic, "orders")),
        [el(Service, "shipping")]
    );
    assert_eq!(connect_targets(&m, &el(Projection, "summary")), []);
    assert_eq!(connect_targets(&m, &el(Service, "ghost")), []);
    for e in ALL {
        let mut m = e.model().unwrap();
        add_element(&mut m, Service, None);
        add_element(&mut m, Saga, None);
        add_element(&mut m, Topic, None);
        for from in elements(&m) {
            let expected: Vec<ElementRef> = elements(&m)
                .into_iter()
                .filter(|to| connection(&m, &from, to).is_ok())
                .collect();
            assert_eq!(connect_targets(&m, &from), expected, "{}: {from}", e.name);
        }
    }
}

#[test]
fn every_possible_link_on_every_example_adds_no_error_and_draws_its_arrow() {
    for e in ALL {
        let m = e.model().unwrap();
        let mut count = 0;
        for from in elements(&m) {
            for to in connect_targets(&m, &from) {
                let mut after = m.clone();
                let text = connect(&mut after, &from, &to).unwrap();
                let what = format!("{}: {from} → {to} ({text})", e.name);
                assert_eq!(errors(&after), Vec::<String>::new(), "{what}");
                assert_ne!(after, m, "{what}");
                assert_round_trips(&after);
                let g = arch_graph(&after);
                let (f, t) = (g.node(&from).unwrap(), g.node(&to).unwrap());
                if connection(&m, &from, &to) != Ok(Connection::Orchestrate) {
                    assert!(
                        g.edges.iter().any(|x| x.from == f && x.to == t),
                        "{what}: no arrow drawn"
                    );
                }
                count += 1;
            }
        }
        assert!(count > 0, "{}: nothing to connect", e.name);
    }
}

#[test]
fn a_service_without_a_handler_gets_one_when_it_is_connected_onward() {
    for (to, what) in [
        (el(Topic, "orders"), "publishes"),
        (el(Store, "audit"), "appends"),
    ] {
        let mut m = small();
        assert!(m.service("checkout").unwrap().handlers.is_empty());
        let before = errors(&m);
        let text = connect(&mut m, &el(Service, "checkout"), &to).unwrap();
        assert!(text.contains(what), "{text}");
        assert!(
            text.contains("when it handles the new command CheckoutRequest"),
            "{text}"
        );
        let h = &m.service("checkout").unwrap().handlers[0];
        assert_eq!(
            h.on,
            crate::model::Trigger::Command("CheckoutRequest".into())
        );
        assert_eq!(h.emit.len(), 1, "the link is in the new handler");
        assert!(errors(&m).len() <= before.len(), "no new errors");
        assert_round_trips(&m);
    }
}
