//! Deleting: the arrows go, the other boxes stay.

use super::super::{DeleteError, History, add_element, delete, elements, rename};
use super::{assert_round_trips, el, errors, small};
use crate::examples::{ALL, find};
use crate::model::{
    Action, Assertion, Distribution, Duration, ElementKind, ElementRef, EventStore, EventType,
    Model, Projection, Rate, Saga, Service, Source, Topic, Trigger, to_ron,
};

const MARK: &str = "zz-deleted-zz";

/// Where a reference to `deleted` is still written in `after`, other than the
/// documented dangling required references. Uses `rename`, which knows every place
/// a name of each kind can appear: re-add an element of that name, rename it to a
/// marker, and look for the marker.
fn leftover_references(after: &Model, deleted: &ElementRef) -> Option<String> {
    let mut m = after.clone();
    let name = deleted.name.clone();
    match deleted.kind {
        ElementKind::Service => m.services.push(Service::new(name)),
        ElementKind::Topic => m.topics.push(Topic::new(name)),
        ElementKind::Event => m.events.push(EventType::new(name)),
        ElementKind::Saga => m
            .sagas
            .push(Saga::new(name, "", Trigger::Command("x".into()))),
        ElementKind::Store => m.stores.push(EventStore::new(name, "A")),
        ElementKind::Projection => {
            let d = Distribution::Constant(Duration::ZERO);
            m.projections.push(Projection::new(name, "", d));
        }
        ElementKind::Source => {
            let rate = Rate::Poisson { per_sec: 1.0 };
            m.sources
                .push(Source::new(name, Action::Reply("x".into()), rate));
        }
    }
    rename(&mut m, deleted, MARK).unwrap();
    match deleted.kind {
        ElementKind::Service => drop(m.services.pop()),
        ElementKind::Topic => drop(m.topics.pop()),
        ElementKind::Event => drop(m.events.pop()),
        ElementKind::Saga => drop(m.sagas.pop()),
        ElementKind::Store => drop(m.stores.pop()),
        ElementKind::Projection => drop(m.projections.pop()),
        ElementKind::Source => drop(m.sources.pop()),
    }
    // The documented dangling references: blank them.
    let lag_topics: Vec<String> = m
        .sagas
        .iter()
        .filter(|s| s.orchestrator == MARK)
        .filter_map(|s| match &s.trigger {
            Trigger::Event {
                topic, group: None, ..
            } => Some(topic.clone()),
            _ => None,
        })
        .collect();
    for a in &mut m.assertions {
        if let Assertion::MaxLag {
            topic,
            group: Some(g),
            ..
        } = a
            && g == MARK
            && lag_topics.contains(topic)
        {
            g.clear();
        }
    }
    for s in &mut m.sagas {
        if s.orchestrator == MARK {
            s.orchestrator.clear();
        }
        if let Trigger::Event { event, topic, .. } = &mut s.trigger {
            for x in [event, topic] {
                if x == MARK {
                    x.clear();
                }
            }
        }
    }
    for s in &mut m.sources {
        let hit = match &s.emit {
            Action::Publish { event, topic, .. } => event == MARK || topic == MARK,
            Action::Send { to, .. } => to == MARK,
            _ => false,
        };
        if hit {
            s.emit = Action::Reply(String::new());
        }
    }
    for p in &mut m.projections {
        if p.store == MARK {
            p.store.clear();
        }
    }
    let text = to_ron(&m).unwrap();
    text.contains(MARK).then_some(text)
}

/// A new error a deletion may leave: at a dangling required reference, or a saga
/// left without steps.
fn documented(error: &str) -> bool {
    let field = error.split_once("].").map_or("", |(_, rest)| rest);
    (error.starts_with("projections[") && field.starts_with("store"))
        || (error.starts_with("sources[") && field.starts_with("emit"))
        || (error.starts_with("sagas[")
            && (field.starts_with("orchestrator")
                || field.starts_with("trigger")
                || field == "steps: a saga needs at least one step"))
}

#[test]
fn deleting_any_element_of_any_example_leaves_no_reference_and_undoes() {
    for e in ALL {
        let original = e.model().unwrap();
        for target in elements(&original) {
            let mut doc = original.clone();
            let mut history = History::default();
            history.record(&doc);
            let lines = delete(&mut doc, &target).unwrap();
            let what = format!("{}: deleting {target}", e.name);
            assert!(!elements(&doc).contains(&target), "{what}: still there");
            if let Some(text) = leftover_references(&doc, &target) {
                panic!("{what}: a reference is left ({MARK}):\n{text}");
            }
            for err in errors(&doc) {
                assert!(documented(&err), "{what}: new error {err}");
            }
            assert!(lines.iter().all(|l| !l.is_empty()), "{what}");
            assert_round_trips(&doc);
            assert!(history.undo(&mut doc));
            assert_eq!(doc, original, "{what}: undo");
            assert_eq!(
                delete(&mut doc.clone(), &ElementRef::new(target.kind, MARK)),
                Err(DeleteError::NotFound(ElementRef::new(target.kind, MARK)))
            );
        }
    }
}

#[test]
fn deleting_a_topic_removes_its_consumers_publishers_faults_and_assertions() {
    let mut m = find("choreography").unwrap().model().unwrap();
    let lines = delete(&mut m, &el(ElementKind::Topic, "orders")).unwrap();
    let has = |l: &str| lines.iter().any(|x| x == l);
    assert!(
        has("removed handler of payment on OrderPlaced from orders"),
        "{lines:#?}"
    );
    assert!(has(
        "removed \"publish OrderCancelled to orders\" from handler of orders on PaymentFailed from payments"
    ));
    assert!(
        has("removed fault: 0.1% of \"orders\" poison at 7m for 1m"),
        "{lines:#?}"
    );
    assert!(has(
        "removed assertion: lag of group \"payment\" on \"orders\" under 5000 messages"
    ));
    // The sources keep their (now dangling) emit; the last lines say so.
    assert_eq!(
        lines.last().unwrap(),
        "source flash sale can no longer publish OrderPlaced to orders: connect it to a topic or service"
    );
    let payment = m.service("payment").unwrap();
    assert_eq!(payment.handlers.len(), 1);
    assert!(
        m.service("orders")
            .unwrap()
            .handlers
            .iter()
            .all(|h| h.emit.is_empty())
    );
    assert_eq!(m.faults.len(), 2);
    assert_eq!(m.assertions.len(), 1);
    assert_eq!(m.sources.len(), 2);
}

#[test]
fn deleting_a_service_removes_steps_callbacks_faults_and_orphaned_lag_bounds() {
    let mut m = find("saga").unwrap().model().unwrap();
    let lines = delete(&mut m, &el(ElementKind::Service, "payment")).unwrap();
    assert_eq!(
        lines,
        [
            "removed step charge of saga checkout",
            "removed fault: \"payment\" 4× slower at 6m for 1m"
        ]
    );
    assert_eq!(errors(&m), Vec::<String>::new());

    let mut m = find("notification").unwrap().model().unwrap();
    let lines = delete(&mut m, &el(ElementKind::Service, "customers")).unwrap();
    assert!(lines.contains(&"removed the callback to customers of billing-notified's handler on CustomerChanged from customer-notifications".to_owned()), "{lines:#?}");
    assert!(
        m.services
            .iter()
            .all(|s| s.handlers.iter().all(|h| h.callback.is_none()))
    );

    let mut m = find("choreography").unwrap().model().unwrap();
    let lines = delete(&mut m, &el(ElementKind::Service, "payment")).unwrap();
    assert!(lines.contains(
        &"removed assertion: lag of group \"payment\" on \"orders\" under 5000 messages".to_owned()
    ));
    assert_eq!(errors(&m), Vec::<String>::new());
}

#[test]
fn deleting_an_event_type_removes_handlers_and_actions_of_it() {
    let mut m = find("choreography").unwrap().model().unwrap();
    let lines = delete(&mut m, &el(ElementKind::Event, "PaymentFailed")).unwrap();
    assert_eq!(
        lines,
        [
            "removed handler of orders on PaymentFailed from payments",
            "removed \"publish PaymentFailed to payments\" from handler of payment on OrderPlaced from orders",
        ]
    );
    // The outcome stays (its probability still counts), now without an effect.
    let payment = &m.service("payment").unwrap().handlers[0];
    assert_eq!(payment.outcomes.len(), 2);
    assert!(payment.outcomes[1].emit.is_empty());

    let mut m = small();
    let lines = delete(&mut m, &el(ElementKind::Event, "OrderPlaced")).unwrap();
    assert_eq!(
        lines,
        [
            "removed handler of payment on OrderPlaced from orders",
            "source web shop can no longer publish OrderPlaced to orders: connect it to a topic or service",
            "saga fulfil is still started by OrderPlaced from orders, but event type OrderPlaced is gone: connect a topic to it",
        ]
    );
}

#[test]
fn deleting_a_store_leaves_its_projection_dangling() {
    let mut m = find("cqrs").unwrap().model().unwrap();
    let lines = delete(&mut m, &el(ElementKind::Store, "order-events")).unwrap();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(
        lines[3],
        "projection order-summary still follows the deleted event store order-events: connect a store to it"
    );
    assert_eq!(m.projections[0].store, "order-events");
    assert!(m.services[0].handlers.iter().all(|h| h.emit.is_empty()));
}

#[test]
fn deleting_a_saga_started_by_a_command_removes_the_sends_that_start_it() {
    let mut m = small();
    let saga = add_element(&mut m, ElementKind::Saga, None);
    let start = Action::Send {
        command: "StartSaga".into(),
        to: "checkout".into(),
    };
    m.services[1].handlers[0].emit.push(start.clone());
    m.sources[0].emit = start;
    let lines = delete(&mut m, &saga).unwrap();
    assert_eq!(
        lines,
        [
            "removed \"send StartSaga to checkout\" from handler of payment on OrderPlaced from orders",
            "source web shop can no longer send StartSaga to checkout: connect it to a topic or service",
        ]
    );
    assert!(m.services[1].handlers[0].emit.is_empty());
}

#[test]
fn a_source_takes_its_latency_assertions_along() {
    let mut m = find("saga").unwrap().model().unwrap();
    let lines = delete(&mut m, &el(ElementKind::Source, "web shop")).unwrap();
    assert_eq!(
        lines,
        ["removed assertion: p99 end-to-end latency of \"web shop\" under 2s"]
    );
    assert_eq!(m.assertions, [Assertion::NoUnfinishedSagas]);
}
