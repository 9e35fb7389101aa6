//! Fresh names and new elements.

use super::super::{add_element, elements, fresh_name};
use super::{assert_round_trips, el, errors, small};
use crate::examples::ALL;
use crate::model::{
    Action, Distribution, Duration, ElementKind, Model, Pos, Rate, Trigger, validate,
};

const KINDS: [ElementKind; 7] = [
    ElementKind::Event,
    ElementKind::Topic,
    ElementKind::Service,
    ElementKind::Saga,
    ElementKind::Store,
    ElementKind::Projection,
    ElementKind::Source,
];

#[test]
fn fresh_names_count_up_per_kind() {
    let mut m = Model::new("empty");
    assert_eq!(fresh_name(&m, ElementKind::Service), "service");
    assert_eq!(fresh_name(&m, ElementKind::Store), "store");
    assert_eq!(fresh_name(&m, ElementKind::Event), "event");
    let names: Vec<String> = (0..3)
        .map(|_| add_element(&mut m, ElementKind::Service, None).name)
        .collect();
    assert_eq!(names, ["service", "service-2", "service-3"]);
    // Names are unique per kind: a topic may be called "topic" next to services.
    assert_eq!(fresh_name(&m, ElementKind::Topic), "topic");
    // A gap is filled, never a duplicate made.
    m.services.remove(1);
    assert_eq!(fresh_name(&m, ElementKind::Service), "service-2");
}

#[test]
fn fresh_names_are_unused_after_many_adds_of_every_kind() {
    for e in ALL {
        let mut m = e.model().unwrap();
        for round in 0..4 {
            for kind in KINDS {
                let fresh = fresh_name(&m, kind);
                assert!(
                    !elements(&m).contains(&el(kind, &fresh)),
                    "{}: {fresh} taken",
                    e.name
                );
                let added = add_element(&mut m, kind, Some(Pos { x: 1.0, y: 2.0 }));
                assert_eq!(added, el(kind, &fresh), "round {round}");
            }
        }
        let all = elements(&m);
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len(), "{}: a duplicate name", e.name);
        assert_round_trips(&m);
    }
}

#[test]
fn new_elements_get_the_documented_defaults() {
    let mut m = small();
    let at = Some(Pos { x: 10.0, y: -5.5 });
    let service = add_element(&mut m, ElementKind::Service, at);
    let s = m.service(&service.name).unwrap();
    assert_eq!((s.instances, s.concurrency, s.handlers.len()), (1, 1, 0));
    assert_eq!(s.pos, at);

    let topic = add_element(&mut m, ElementKind::Topic, at);
    assert_eq!(m.topic(&topic.name).unwrap().partitions, 3);

    let saga = add_element(&mut m, ElementKind::Saga, at);
    let g = m.sagas.last().unwrap();
    assert_eq!(g.name, saga.name);
    assert_eq!(g.orchestrator, "checkout");
    assert_eq!(g.trigger, Trigger::Command("StartSaga".into()));
    assert!(g.steps.is_empty());

    let store = add_element(&mut m, ElementKind::Store, at);
    assert_eq!(store.name, "store");
    assert_eq!(m.stores.last().unwrap().aggregate, "Store");

    add_element(&mut m, ElementKind::Projection, at);
    let p = m.projections.last().unwrap();
    assert_eq!(p.store, "order-events");
    assert_eq!(p.update, Distribution::Constant(Duration::from_millis(5)));

    add_element(&mut m, ElementKind::Source, at);
    let src = m.sources.last().unwrap();
    assert_eq!(src.rate, Rate::Poisson { per_sec: 10.0 });
    assert_eq!(
        src.emit,
        Action::Publish {
            event: "OrderPlaced".into(),
            topic: "orders".into(),
            version: None
        }
    );

    let event = add_element(&mut m, ElementKind::Event, at);
    let e = m.event(&event.name).unwrap();
    assert_eq!((e.name.as_str(), e.version), ("event", 1));
    assert_round_trips(&m);
}

#[test]
fn a_second_saga_gets_its_own_start_command() {
    let mut m = small();
    add_element(&mut m, ElementKind::Saga, None);
    add_element(&mut m, ElementKind::Saga, None);
    let triggers: Vec<&Trigger> = m.sagas.iter().skip(1).map(|s| &s.trigger).collect();
    assert_eq!(
        triggers,
        [
            &Trigger::Command("StartSaga".into()),
            &Trigger::Command("StartSaga2".into())
        ]
    );
    // Two sagas on one orchestrator with one start command would be an error.
    assert!(!errors(&m).iter().any(|e| e.contains("already starts")));
}

#[test]
fn adding_to_an_empty_model_refers_to_nothing_and_still_round_trips() {
    for kind in KINDS {
        let mut m = Model::new("empty");
        let added = add_element(&mut m, kind, Some(Pos { x: 0.0, y: 0.0 }));
        assert!(elements(&m).contains(&added));
        assert_round_trips(&m);
    }
    let mut m = Model::new("empty");
    add_element(&mut m, ElementKind::Saga, None);
    add_element(&mut m, ElementKind::Projection, None);
    add_element(&mut m, ElementKind::Source, None);
    assert_eq!(m.sagas[0].orchestrator, "");
    assert_eq!(m.projections[0].store, "");
    // Validation names what is missing; the editor shows it.
    let problems = errors(&m);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("sagas[saga].orchestrator"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("projections[projection].store"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("sources[source].emit"))
    );
    assert_round_trips(&m);
}

#[test]
fn boxes_and_event_types_added_to_a_clean_model_keep_it_free_of_errors() {
    for e in ALL {
        for kind in [
            ElementKind::Event,
            ElementKind::Topic,
            ElementKind::Service,
            ElementKind::Store,
        ] {
            let mut m = e.model().unwrap();
            add_element(&mut m, kind, None);
            assert_eq!(errors(&m), Vec::<String>::new(), "{}: {kind:?}", e.name);
        }
    }
}

#[test]
fn positions_that_are_not_finite_are_left_out() {
    let mut m = Model::new("m");
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let added = add_element(&mut m, ElementKind::Topic, Some(Pos { x: bad, y: 1.0 }));
        assert_eq!(m.topic(&added.name).unwrap().pos, None);
    }
    assert!(validate(&m).is_empty());
    assert_round_trips(&m);
}
