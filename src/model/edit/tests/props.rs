//! Random sequences of edits, as a user clicking around the editor makes them.

use proptest::prelude::*;

use super::super::{History, add_element, connect, connect_targets, delete, elements};
use super::{assert_round_trips, errors};
use crate::examples::ALL;
use crate::model::{ElementKind, Model, Pos};

const KINDS: [ElementKind; 7] = [
    ElementKind::Event,
    ElementKind::Topic,
    ElementKind::Service,
    ElementKind::Saga,
    ElementKind::Store,
    ElementKind::Projection,
    ElementKind::Source,
];

#[derive(Clone, Debug)]
enum Op {
    Add(usize, Option<(f32, f32)>),
    /// Connect one element to another, or to one from its menu.
    Connect(prop::sample::Index, prop::sample::Index, bool),
    Delete(prop::sample::Index),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..KINDS.len(), prop::option::of((any::<f32>(), any::<f32>())))
            .prop_map(|(k, p)| Op::Add(k, p)),
        4 => (any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<bool>())
            .prop_map(|(a, b, menu)| Op::Connect(a, b, menu)),
        1 => any::<prop::sample::Index>().prop_map(Op::Delete),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Edits never panic, every state round-trips through RON, a connection never
    /// adds an error, and undo walks back through every state to the start.
    #[test]
    fn random_edits_keep_the_model_sound(
        start in prop::option::of(0..ALL.len()),
        ops in prop::collection::vec(op(), 1..30),
    ) {
        let original = match start {
            Some(i) => ALL[i].model().unwrap(),
            None => Model::new("empty"),
        };
        let mut doc = original.clone();
        let mut history = History::default();
        let mut states = vec![doc.clone()];
        for op in &ops {
            let before = doc.clone();
            let all = elements(&doc);
            match op {
                Op::Add(kind, pos) => {
                    let pos = pos.map(|(x, y)| Pos { x, y });
                    let added = add_element(&mut doc, KINDS[*kind], pos);
                    prop_assert!(elements(&doc).contains(&added));
                }
                Op::Connect(a, b, menu) if !all.is_empty() => {
                    let from = a.get(&all);
                    let to = if *menu {
                        let targets = connect_targets(&doc, from);
                        if targets.is_empty() { continue; }
                        b.get(&targets).clone()
                    } else {
                        b.get(&all).clone()
                    };
                    match connect(&mut doc, from, &to) {
                        Ok(_) => {
                            let old = errors(&before);
                            for e in errors(&doc) {
                                prop_assert!(old.contains(&e), "{} → {}: new error {}", from, to, e);
                            }
                        }
                        Err(e) => {
                            prop_assert!(!menu, "a menu target was refused: {}", e);
                            prop_assert_eq!(&doc, &before);
                        }
                    }
                }
                Op::Delete(i) if !all.is_empty() => {
                    let target = i.get(&all);
                    delete(&mut doc, target).unwrap();
                    prop_assert!(!elements(&doc).contains(target));
                }
                Op::Connect(..) | Op::Delete(_) => {}
            }
            assert_round_trips(&doc);
            if doc != before {
                history.record(&before);
                states.push(doc.clone());
            }
        }
        for expected in states.iter().rev().skip(1) {
            prop_assert!(history.undo(&mut doc));
            prop_assert_eq!(&doc, expected);
        }
        prop_assert_eq!(&doc, &original);
    }
}
