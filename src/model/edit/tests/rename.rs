//! Renaming, and undo/redo over renames and moves.

use proptest::prelude::*;

use super::super::{History, RenameError, elements, rename};
use crate::examples::ALL;
use crate::model::{Action, ElementKind, ElementRef, Trigger, validate};

#[test]
fn renaming_any_element_of_any_example_keeps_it_clean_and_is_reversible() {
    for e in ALL {
        let original = e.model().unwrap();
        for el in elements(&original) {
            let mut m = original.clone();
            rename(&mut m, &el, "renamed-x").unwrap();
            assert_eq!(
                validate(&m),
                vec![],
                "{}: renaming {el} broke a reference",
                e.name
            );
            assert_ne!(m, original);
            rename(&mut m, &ElementRef::new(el.kind, "renamed-x"), &el.name).unwrap();
            assert_eq!(m, original, "{}: renaming {el} back", e.name);
        }
    }
}

#[test]
fn consumers_follow_a_renamed_topic() {
    let mut m = crate::examples::DEFAULT.model().unwrap();
    rename(
        &mut m,
        &ElementRef::new(ElementKind::Topic, "orders"),
        "order-events",
    )
    .unwrap();
    assert!(matches!(&m.sagas[0].trigger, Trigger::Event { topic, .. } if topic == "order-events"));
    assert!(matches!(&m.sources[0].emit, Action::Publish { topic, .. } if topic == "order-events"));
}

#[test]
fn refused_renames_say_why_and_change_nothing() {
    let original = crate::examples::DEFAULT.model().unwrap();
    let mut m = original.clone();
    let payment = ElementRef::new(ElementKind::Service, "payment");
    assert_eq!(
        rename(&mut m, &payment, "shipping"),
        Err(RenameError::Taken(ElementRef::new(
            ElementKind::Service,
            "shipping"
        )))
    );
    assert_eq!(
        rename(&mut m, &payment, " padded"),
        Err(RenameError::BadName)
    );
    assert_eq!(rename(&mut m, &payment, ""), Err(RenameError::BadName));
    let ghost = ElementRef::new(ElementKind::Service, "ghost");
    assert_eq!(
        rename(&mut m, &ghost, "spirit"),
        Err(RenameError::NotFound(ghost))
    );
    // A topic may share a service's name: names are unique per kind.
    rename(
        &mut m,
        &ElementRef::new(ElementKind::Topic, "orders"),
        "payment",
    )
    .unwrap();
    let mut back = m.clone();
    rename(
        &mut back,
        &ElementRef::new(ElementKind::Topic, "payment"),
        "orders",
    )
    .unwrap();
    assert_eq!(back, original);
}

proptest! {
    /// Undo of any sequence of edits restores the document; redo replays it.
    #[test]
    fn undo_restores_and_redo_replays(
        example in 0..ALL.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), "[a-z]{1,6}", any::<bool>(), -500.0f32..500.0), 1..20),
    ) {
        let original = ALL[example].model().unwrap();
        let mut doc = original.clone();
        let mut history = History::default();
        let mut states = vec![doc.clone()];
        for (pick, name, is_move, x) in &edits {
            let all = elements(&doc);
            let el = pick.get(&all).clone();
            let before = doc.clone();
            let changed = if *is_move {
                // Move the first service (a drag is one edit).
                match doc.services.first_mut() {
                    Some(s) => { s.pos = Some(crate::model::Pos { x: *x, y: -*x }); true }
                    None => false,
                }
            } else {
                rename(&mut doc, &el, name).is_ok()
            };
            if changed && doc != before {
                history.record(&before);
                states.push(doc.clone());
            }
        }
        let final_doc = doc.clone();
        for expected in states.iter().rev().skip(1) {
            prop_assert!(history.undo(&mut doc));
            prop_assert_eq!(&doc, expected);
        }
        prop_assert!(!history.undo(&mut doc));
        prop_assert_eq!(&doc, &original);
        while history.redo(&mut doc) {}
        prop_assert_eq!(&doc, &final_doc);
    }
}
