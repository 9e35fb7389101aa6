//! Views for big models: Ctrl+F finds an element by name, selects it and centres the
//! view on it; a focus fades what is not near the selection (or not in a saga, or not
//! an event's producers and consumers), and is a view: not undone, not saved.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventscape::app::EventscapeApp;
use eventscape::diagram::Focus;
use eventscape::examples::DEFAULT;
use eventscape::model::{Distribution, Duration, ElementKind, ElementRef, Model};

use super::{app_with, canvas::right_click, click, click_far};

/// `n` pipelines of `len` services, each consuming a topic and publishing to the
/// next, without positions or sources.
pub fn pipelines(n: usize, len: usize) -> Model {
    let latency = |_: usize| Distribution::Constant(Duration::from_millis(1));
    crate::pipelines_model(n, len, &latency, None)
}

fn svc(name: &str) -> ElementRef {
    ElementRef::new(ElementKind::Service, name)
}

fn faded(h: &Harness<'_, EventscapeApp>, el: &ElementRef) -> bool {
    h.state().canvas().is_faded(el).unwrap()
}

#[test]
fn ctrl_f_and_a_name_select_an_element_and_centre_it_readably() {
    let (mut h, _) = app_with(pipelines(20, 10), None);
    h.run_steps(4);
    let fitted = h.state().canvas().zoom().unwrap();
    assert!(fitted < 0.5, "200 services fit far out: {fitted}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    // The field has the keyboard: typing goes there, not to the S/T shortcuts.
    h.event(egui::Event::Text("P13-S7".into()));
    h.run_steps(2);
    assert_eq!(
        h.state().document().model.services.len(),
        200,
        "nothing added"
    );
    h.get_by_label("p13-s7 — service");
    h.key_press(Key::Enter);
    let el = svc("p13-s7");
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some(&el));
    let canvas = h.state().canvas();
    let middle = canvas.screen_rect().unwrap().center();
    let at = canvas.screen_pos(&el).unwrap();
    assert!(
        (at - middle).length() < 2.0,
        "{at:?} is not the middle {middle:?}"
    );
    assert!(canvas.zoom().unwrap() >= 1.0, "names readable");
    assert!(
        h.query_by_label("p13-s7 — service").is_none(),
        "the field is closed"
    );

    // A part of a name lists every match; a click takes one.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("p4.t".into()));
    h.run_steps(2);
    h.get_by_label_contains("10 matches");
    click(&mut h, "p4.t3 — topic");
    let topic = ElementRef::new(ElementKind::Topic, "p4.t3");
    assert_eq!(h.state().selection(), Some(&topic));

    // Esc closes the field without choosing.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("p9".into()));
    h.run_steps(2);
    assert!(h.query_by_label("p9-s0 — service").is_some());
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("p9-s0 — service").is_none());
    assert_eq!(h.state().selection(), Some(&topic));
}

#[test]
fn a_focus_fades_what_is_not_near_and_esc_clears_it() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(4);
    click(&mut h, "payment — 2 × 4 workers");
    click(&mut h, "Focus on its neighbours");
    let payment = svc("payment");
    assert_eq!(
        h.state().canvas().focus(),
        Some(&Focus::Around {
            element: payment.clone(),
            hops: 1
        })
    );
    assert!(!faded(&h, &payment));
    assert!(!faded(&h, &ElementRef::new(ElementKind::Saga, "checkout")));
    assert!(!faded(
        &h,
        &ElementRef::new(ElementKind::Topic, "payment-dlq")
    ));
    assert!(faded(&h, &svc("notifications")));
    assert!(faded(&h, &ElementRef::new(ElementKind::Source, "web shop")));
    // The bar says what is focused; two arrows away reaches further.
    assert!(
        h.query_all_by_label_contains("service \"payment\" and what is within 1 arrow")
            .next()
            .is_some()
    );
    let (kept1, all) = h.state().canvas().kept().unwrap();
    click(&mut h, "2");
    let (kept2, _) = h.state().canvas().kept().unwrap();
    assert!(kept1 < kept2 && kept2 <= all, "{kept1} → {kept2} of {all}");
    assert!(!faded(&h, &ElementRef::new(ElementKind::Topic, "orders")));
    // Esc (no field has the keyboard) shows everything again.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().canvas().focus(), None);
    assert!(!faded(&h, &svc("notifications")));
    assert!(h.query_by_label("Clear focus (Esc)").is_none());
}

#[test]
fn a_sagas_participants_and_an_events_parties_are_focused_from_the_bar_and_the_menu() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(4);
    let saga = ElementRef::new(ElementKind::Saga, "checkout");
    let at = h.state().canvas().screen_pos(&saga).unwrap();
    right_click(&mut h, at);
    h.get_by_label("Focus on its participants").click();
    h.run_steps(2);
    assert_eq!(
        h.state().canvas().focus(),
        Some(&Focus::Saga("checkout".into()))
    );
    assert!(!faded(&h, &svc("shipping")));
    assert!(faded(&h, &svc("notifications")));
    click(&mut h, "Clear focus (Esc)");
    assert_eq!(h.state().canvas().focus(), None);

    // An event has no box: it is selected in the element list.
    let e = DEFAULT
        .model()
        .unwrap()
        .event("OrderCompleted")
        .unwrap()
        .clone();
    let label = format!(
        "{} v{} — {}, {} bytes",
        e.name,
        e.version,
        e.style.label(),
        e.payload_bytes
    );
    click_far(&mut h, &label);
    click(&mut h, "Focus on its producers and consumers");
    assert_eq!(
        h.state().canvas().focus(),
        Some(&Focus::Event("OrderCompleted".into()))
    );
    assert_eq!(h.state().canvas().kept().unwrap().0, 3);
    assert!(!faded(&h, &svc("notifications")));
    assert!(faded(&h, &svc("payment")));
}

#[test]
fn a_focus_is_a_view_not_undone_and_not_saved() {
    let dir = std::env::temp_dir().join(format!("eventscape-focus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (before, after) = (dir.join("before.ron"), dir.join("after.ron"));
    let (mut h, dialogs) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(4);
    click(&mut h, "payment — 2 × 4 workers");
    h.key_press(Key::Slash);
    h.run_steps(2);
    assert!(
        h.state().canvas().focus().is_some(),
        "/ focuses the selection"
    );
    assert!(!h.state().document().can_undo(), "focusing is not an edit");
    assert!(!h.state().document().is_dirty());

    // An edit, then undo: the edit goes, the focus stays.
    click(&mut h, "Clear focus (Esc)");
    dialogs.answer(Some(before.clone()));
    h.state_mut().send(eventscape::app::Command::SaveAs);
    h.run_steps(2);
    click(&mut h, "Topic");
    let topics = h.state().document().model.topics.len();
    click(&mut h, "payment — 2 × 4 workers");
    click(&mut h, "Focus on its neighbours");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().document().model.topics.len(), topics - 1);
    assert!(
        h.state().canvas().focus().is_some(),
        "undo leaves the focus"
    );

    // Saved with a focus on: the same file as without one.
    dialogs.answer(Some(after.clone()));
    h.state_mut().send(eventscape::app::Command::SaveAs);
    h.run_steps(2);
    assert!(h.state().canvas().focus().is_some());
    let (a, b) = (
        std::fs::read_to_string(&before).unwrap(),
        std::fs::read_to_string(&after).unwrap(),
    );
    assert_eq!(a, b);
    assert!(!b.to_lowercase().contains("focus"));
    std::fs::remove_dir_all(&dir).unwrap();
}
