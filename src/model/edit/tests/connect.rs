//! Connecting: each supported pair, the refusals, and the menu of targets.

use super::super::{ConnectError, Connection, connect, connection};
use super::{assert_round_trips, el, errors, small};
use crate::model::{
    Action, Distribution, Duration, ElementKind, ElementRef, EventStyle, EventType, Handler, Model,
    Step, Trigger,
};

use ElementKind::{Projection, Saga, Service, Source, Store, Topic};

/// Connect, check the kind of link and the text, and return the model after.
fn connected(m: &Model, from: &ElementRef, to: &ElementRef, kind: Connection, text: &str) -> Model {
    assert_eq!(connection(m, from, to), Ok(kind), "{from} → {to}");
    let mut after = m.clone();
    assert_eq!(connect(&mut after, from, to).as_deref(), Ok(text));
    assert_round_trips(&after);
    assert_eq!(errors(&after), Vec::<String>::new(), "{from} → {to}");
    after
}

fn latency() -> Distribution {
    Distribution::LogNormal {
        p50: Duration::from_millis(10),
        p99: Duration::from_millis(100),
    }
}

fn publish(event: &str, topic: &str) -> Action {
    Action::Publish {
        event: event.into(),
        topic: topic.into(),
        version: None,
    }
}

#[test]
fn a_service_publishes_to_a_topic_with_a_new_event_or_one_the_topic_carries() {
    let m = small();
    let after = connected(
        &m,
        &el(Service, "payment"),
        &el(Topic, "payments"),
        Connection::Publish,
        "payment now publishes PaymentsEvent to payments (PaymentsEvent is a new event type)",
    );
    let mut want = m.clone();
    want.events.push(placeholder("PaymentsEvent"));
    want.services[1].handlers[0]
        .emit
        .push(publish("PaymentsEvent", "payments"));
    assert_eq!(after, want);

    // "orders" carries OrderPlaced, but payment consumes it there: publishing it back
    // would loop for ever, so a new event type is used instead.
    let after = connected(
        &m,
        &el(Service, "payment"),
        &el(Topic, "orders"),
        Connection::Publish,
        "payment now publishes OrdersEvent to orders (OrdersEvent is a new event type)",
    );
    assert_eq!(
        after.services[1].handlers[0].emit,
        [publish("OrdersEvent", "orders")]
    );

    // shipping publishes what the topic already carries.
    let after = connected(
        &m,
        &el(Service, "shipping"),
        &el(Topic, "orders"),
        Connection::Publish,
        "shipping now publishes OrderPlaced to orders",
    );
    assert_eq!(after.events, m.events);
    assert_eq!(
        after.services[2].handlers[0].emit,
        [publish("OrderPlaced", "orders")]
    );
}

#[test]
fn a_topic_feeds_a_service_through_a_new_handler() {
    let m = small();
    let after = connected(
        &m,
        &el(Topic, "orders"),
        &el(Service, "shipping"),
        Connection::Consume,
        "shipping now consumes OrderPlaced from orders",
    );
    let mut want = m.clone();
    want.services[2].handlers.push(Handler::new(
        Trigger::event("OrderPlaced", "orders"),
        latency(),
    ));
    assert_eq!(after, want);

    assert_eq!(
        connection(&m, &el(Topic, "orders"), &el(Service, "payment")),
        Err(ConnectError::Already(
            "payment already consumes OrderPlaced from orders".into()
        ))
    );
    // The orchestrator's group already takes OrderPlaced from orders for the saga.
    assert!(matches!(
        connection(&m, &el(Topic, "orders"), &el(Service, "checkout")),
        Err(ConnectError::WouldBreak(msg)) if msg.contains("already taken")
    ));
}

#[test]
fn services_send_commands_reusing_a_handler_or_adding_one() {
    let m = small();
    let after = connected(
        &m,
        &el(Service, "payment"),
        &el(Service, "shipping"),
        Connection::SendCommand,
        "payment now sends Ship to shipping",
    );
    let mut want = m.clone();
    want.services[1].handlers[0].emit.push(Action::Send {
        command: "Ship".into(),
        to: "shipping".into(),
    });
    assert_eq!(after, want);

    let after = connected(
        &m,
        &el(Service, "payment"),
        &el(Service, "checkout"),
        Connection::SendCommand,
        "payment now sends CheckoutCommand to checkout, which gets a new handler for it",
    );
    let mut want = m.clone();
    want.services[1].handlers[0].emit.push(Action::Send {
        command: "CheckoutCommand".into(),
        to: "checkout".into(),
    });
    want.services[0].handlers.push(Handler::new(
        Trigger::Command("CheckoutCommand".into()),
        latency(),
    ));
    assert_eq!(after, want);
}

#[test]
fn a_source_emits_to_one_topic_or_service() {
    let m = small();
    let after = connected(
        &m,
        &el(Source, "web shop"),
        &el(Service, "shipping"),
        Connection::SourceEmits,
        "web shop now sends Ship to shipping instead of publishing OrderPlaced to orders",
    );
    let mut want = m.clone();
    want.sources[0].emit = Action::Send {
        command: "Ship".into(),
        to: "shipping".into(),
    };
    assert_eq!(after, want);

    let after = connected(
        &m,
        &el(Source, "web shop"),
        &el(Topic, "payments"),
        Connection::SourceEmits,
        "web shop now publishes PaymentsEvent to payments instead of publishing OrderPlaced to orders (PaymentsEvent is a new event type)",
    );
    assert_eq!(after.sources[0].emit, publish("PaymentsEvent", "payments"));
}

#[test]
fn a_saga_gets_a_step_its_participant_replies_to() {
    let m = small();
    let after = connected(
        &m,
        &el(Saga, "fulfil"),
        &el(Service, "payment"),
        Connection::SagaStep,
        "fulfil now has step payment: PaymentCommand to payment, which replies PaymentDone",
    );
    let mut want = m.clone();
    let mut h = Handler::new(Trigger::Command("PaymentCommand".into()), latency());
    h.emit.push(Action::Reply("PaymentDone".into()));
    want.services[1].handlers.push(h);
    let mut step = Step::new("payment", "payment", "PaymentCommand");
    step.success = Some("PaymentDone".into());
    want.sagas[0].steps.push(step);
    assert_eq!(after, want);
    // No warning about the new step either: the participant replies.
    assert_eq!(crate::model::validate(&after), crate::model::validate(&m));
}

#[test]
fn topics_start_sagas_and_sagas_publish_on_completion() {
    let m = small();
    let after = connected(
        &m,
        &el(Topic, "payments"),
        &el(Saga, "fulfil"),
        Connection::SagaTrigger,
        "fulfil is now started by PaymentsEvent from payments instead of OrderPlaced from orders (PaymentsEvent is a new event type)",
    );
    let mut want = m.clone();
    want.events.push(placeholder("PaymentsEvent"));
    want.sagas[0].trigger = Trigger::event("PaymentsEvent", "payments");
    assert_eq!(after, want);

    let after = connected(
        &m,
        &el(Saga, "fulfil"),
        &el(Topic, "payments"),
        Connection::SagaPublishes,
        "fulfil now publishes FulfilCompleted to payments when it completes (FulfilCompleted is a new event type)",
    );
    let mut want = m.clone();
    want.events.push(placeholder("FulfilCompleted"));
    want.sagas[0]
        .on_complete
        .push(publish("FulfilCompleted", "payments"));
    assert_eq!(after, want);
}

#[test]
fn stores_take_appends_and_feed_projections_and_topics() {
    let m = small();
    let after = connected(
        &m,
        &el(Service, "payment"),
        &el(Store, "order-events"),
        Connection::Append,
        "payment now appends OrderChanged to order-events (OrderChanged is a new event type)",
    );
    let mut want = m.clone();
    want.events.push(EventType {
        style: EventStyle::DomainEvent,
        ..placeholder("OrderChanged")
    });
    want.services[1].handlers[0].emit.push(Action::Append {
        event: "OrderChanged".into(),
        store: "order-events".into(),
    });
    assert_eq!(after, want);

    let after = connected(
        &m,
        &el(Store, "audit"),
        &el(Projection, "summary"),
        Connection::Project,
        "summary now follows audit instead of order-events",
    );
    let mut want = m.clone();
    want.projections[0].store = "audit".into();
    assert_eq!(after, want);

    let after = connected(
        &m,
        &el(Store, "order-events"),
        &el(Topic, "payments"),
        Connection::StorePublishes,
        "order-events now publishes its events to payments",
    );
    let mut want = m.clone();
    want.stores[0].publish_to = Some("payments".into());
    assert_eq!(after, want);
}

#[test]
fn a_service_runs_a_saga_that_has_no_orchestrator() {
    let mut m = small();
    assert_eq!(
        connection(&m, &el(Service, "payment"), &el(Saga, "fulfil")),
        Err(ConnectError::Already(
            "fulfil is already run by checkout: change its orchestrator in the saga itself".into()
        ))
    );
    m.sagas[0].orchestrator.clear();
    let after = connected(
        &m,
        &el(Service, "shipping"),
        &el(Saga, "fulfil"),
        Connection::Orchestrate,
        "fulfil is now run by shipping",
    );
    assert_eq!(after.sagas[0].orchestrator, "shipping");
    // payment's own group already takes OrderPlaced from orders, which the saga
    // would read in the same group.
    assert_eq!(
        connection(&m, &el(Service, "payment"), &el(Saga, "fulfil")),
        Err(ConnectError::WouldBreak(
            "\"OrderPlaced\" from \"orders\" in group \"payment\" is already taken by services[payment].handlers[0].on".into()
        ))
    );
}

/// An event type the editor made up while connecting.
fn placeholder(name: &str) -> EventType {
    EventType {
        placeholder: true,
        ..EventType::new(name)
    }
}
