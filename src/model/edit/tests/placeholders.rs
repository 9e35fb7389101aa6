//! Event types made up while connecting ("TopicEvent") go with the last thing that
//! used them; the ones the user named or edited stay.

use super::super::{History, connect, delete, keep_edited_placeholders, rename};
use super::{assert_round_trips, el};
use crate::model::{ElementKind, Model, Service, Topic};

/// A new service and a new topic, connected: the service publishes a made-up event.
fn connected() -> Model {
    let mut m = Model::new("m");
    m.services.push(Service::new("service"));
    m.topics.push(Topic::new("topic"));
    connect(
        &mut m,
        &el(ElementKind::Service, "service"),
        &el(ElementKind::Topic, "topic"),
    )
    .unwrap();
    let made = m
        .event("TopicEvent")
        .expect("connecting made an event type");
    assert!(made.placeholder);
    m
}

#[test]
fn deleting_what_used_a_made_up_event_deletes_it_too_in_the_same_undo_step() {
    for gone in [
        el(ElementKind::Topic, "topic"),
        el(ElementKind::Service, "service"),
    ] {
        let mut m = connected();
        let before = m.clone();
        let mut history = History::default();
        history.record(&m);
        let notes = delete(&mut m, &gone).unwrap();
        assert!(m.events.is_empty(), "no leftover after deleting {gone}");
        assert!(
            notes.iter().any(|n| n.contains("TopicEvent")),
            "says so: {notes:?}"
        );
        assert!(history.undo(&mut m));
        assert_eq!(m, before, "one undo brings back {gone} and its event");
    }
}

#[test]
fn an_event_the_user_named_or_edited_is_never_removed() {
    let mut m = connected();
    rename(&mut m, &el(ElementKind::Event, "TopicEvent"), "OrderPlaced").unwrap();
    assert!(!m.event("OrderPlaced").unwrap().placeholder);
    delete(&mut m, &el(ElementKind::Topic, "topic")).unwrap();
    assert!(m.event("OrderPlaced").is_some());

    // Edited in the inspector (a new model replaces the old one).
    let before = connected();
    let mut after = before.clone();
    after.events[0].payload_bytes = 2048;
    keep_edited_placeholders(&before, &mut after);
    assert!(!after.events[0].placeholder);
    delete(&mut after, &el(ElementKind::Service, "service")).unwrap();
    assert_eq!(after.events.len(), 1);

    // Other edits leave it a placeholder.
    let mut after = before.clone();
    after.topics[0].partitions = 6;
    keep_edited_placeholders(&before, &mut after);
    assert!(after.events[0].placeholder);
}

#[test]
fn an_event_still_used_elsewhere_stays() {
    let mut m = connected();
    m.services.push(Service::new("other"));
    connect(
        &mut m,
        &el(ElementKind::Topic, "topic"),
        &el(ElementKind::Service, "other"),
    )
    .unwrap();
    // "other" consumes the made-up event; deleting the publisher leaves it in use.
    delete(&mut m, &el(ElementKind::Service, "service")).unwrap();
    assert!(m.event("TopicEvent").is_some());
}

#[test]
fn the_mark_is_saved_only_while_set() {
    let m = connected();
    assert!(
        crate::model::to_ron(&m)
            .unwrap()
            .contains("placeholder: true")
    );
    assert_round_trips(&m);
    let mut named = m.clone();
    rename(&mut named, &el(ElementKind::Event, "TopicEvent"), "Named").unwrap();
    assert!(
        !crate::model::to_ron(&named)
            .unwrap()
            .contains("placeholder")
    );
}
