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
