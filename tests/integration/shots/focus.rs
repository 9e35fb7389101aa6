//! Pictures of the views for big models (not run by default): a 1,000-service model
//! from the library's generator (`eventscape example enterprise`), searched and focused.
//! `SHOTS=/tmp/shots-focus cargo test --test integration -- --ignored shots::focus`

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use eventscape::app::Command;
use eventscape::diagram::Focus;
use eventscape::model::{ElementKind, ElementRef};

use super::{save, shots_dir};

/// The generator's model of `services` services in 20 domains.
pub(super) fn enterprise(services: usize) -> eventscape::model::Model {
    eventscape::examples::enterprise::Enterprise::new(services, 20)
        .unwrap()
        .model()
}

#[test]
#[ignore]
fn focus_shots() {
    std::fs::create_dir_all(shots_dir()).unwrap();
    let started = std::time::Instant::now();
    let mut h = crate::rendered_window(enterprise(1000));
    eprintln!("opened in {:?}", started.elapsed());
    save(&mut h, "focus-1000-opened");
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("p42-s".into()));
    save(&mut h, "focus-1000-search");
    h.get_by_label("p42-s5 — service").click();
    save(&mut h, "focus-1000-found");
    h.get_by_label("Focus on its neighbours").click();
    h.run_steps(2);
    h.get_by_label("2").click();
    save(&mut h, "focus-1000-neighbours");
    let saga = ElementRef::new(ElementKind::Saga, "saga-3");
    h.state_mut().send(Command::Select(Some(saga)));
    h.state_mut()
        .send(Command::SetFocus(Focus::Saga("saga-3".into())));
    save(&mut h, "focus-1000-saga");
    h.key_press(Key::Escape);
    save(&mut h, "focus-1000-cleared");
}

#[test]
#[ignore]
fn focus_shots_small() {
    std::fs::create_dir_all(shots_dir()).unwrap();
    let mut h = crate::rendered_window(eventscape::examples::DEFAULT.model().unwrap());
    h.get_by_label("payment — 2 × 4 workers").click();
    save(&mut h, "focus-example-selected");
    h.get_by_label("Focus on its neighbours").click();
    save(&mut h, "focus-example-payment");
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.state_mut()
        .send(Command::SetFocus(Focus::Saga("checkout".into())));
    save(&mut h, "focus-example-saga");
}
