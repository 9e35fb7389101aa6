//! Renders the app to PNG files for looking at (not run by default):
//! `SHOTS=/tmp/shots cargo test --test integration shots -- --ignored`

use egui_kittest::Harness;
use eventscape::app::{Command, Document, EventscapeApp};

fn shoot(name: &str, model: eventscape::model::Model, layout: bool, light: bool) {
    let dir = std::env::var("SHOTS").unwrap_or_else(|_| "/tmp/shots".into());
    std::fs::create_dir_all(&dir).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .wgpu()
        .build_ui_state(
            |ui, app: &mut EventscapeApp| app.window_ui(ui),
            EventscapeApp::new(Document::new(model, None)),
        );
    h.run_steps(2);
    if layout {
        let ctx = h.ctx.clone();
        h.state_mut().run(Command::AutoLayout, &ctx);
    }
    if light {
        let ctx = h.ctx.clone();
        h.state_mut().run(Command::ToggleTheme, &ctx);
    }
    h.run_steps(4);
    let image = h.render().unwrap();
    image.save(format!("{dir}/{name}.png")).unwrap();
}

fn save(h: &mut Harness<'_, EventscapeApp>, name: &str) {
    let dir = std::env::var("SHOTS").unwrap_or_else(|_| "/tmp/shots".into());
    h.run_steps(3);
    h.render()
        .unwrap()
        .save(format!("{dir}/{name}.png"))
        .unwrap();
}

#[test]
#[ignore]
fn editing_shots() {
    use egui_kittest::kittest::Queryable;
    let dir = std::env::var("SHOTS").unwrap_or_else(|_| "/tmp/shots".into());
    std::fs::create_dir_all(&dir).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .wgpu()
        .build_ui_state(
            |ui, app: &mut EventscapeApp| app.window_ui(ui),
            EventscapeApp::new(Document::new(
                eventscape::examples::DEFAULT.model().unwrap(),
                None,
            )),
        );
    h.run_steps(3);
    h.get_by_label("payment — 2 × 4 workers").click();
    save(&mut h, "edit-selected-service");
    h.get_by_label("Instances").click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Instances").type_text("0");
    save(&mut h, "edit-refused-value");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_steps(1);
    h.event(egui::Event::Text("add".into()));
    save(&mut h, "edit-command-palette");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    h.get_by_label("Saga").click();
    save(&mut h, "edit-new-saga-problem");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/malformed/bad-duration-unit.ron");
    h.state_mut().open_path(&path);
    save(&mut h, "edit-load-error");
}

#[test]
#[ignore]
fn shots() {
    for e in eventscape::examples::ALL {
        shoot(e.name, e.model().unwrap(), false, false);
        shoot(
            &format!("{}-layout", e.name),
            e.model().unwrap(),
            true,
            false,
        );
    }
    shoot(
        "saga-light",
        eventscape::examples::DEFAULT.model().unwrap(),
        false,
        true,
    );
}
