//! Renders the app to PNG files for looking at (not run by default):
//! `SHOTS=/tmp/shots cargo test --test integration shots -- --ignored`

use egui_kittest::Harness;
use eventscape::app::{Command, Document, EventscapeApp};
use eventscape::sim::SimTime;

mod context_map;
mod focus;

fn shots_dir() -> String {
    std::env::var("SHOTS").unwrap_or_else(|_| "/tmp/shots".into())
}

fn shoot(name: &str, model: eventscape::model::Model, layout: bool, light: bool) {
    let dir = shots_dir();
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
        h.state_mut().apply(Command::AutoLayout, &ctx);
    }
    if light {
        let ctx = h.ctx.clone();
        h.state_mut().apply(Command::ToggleTheme, &ctx);
    }
    h.run_steps(4);
    let image = h.render().unwrap();
    image.save(format!("{dir}/{name}.png")).unwrap();
}

fn save(h: &mut Harness<'_, EventscapeApp>, name: &str) {
    let dir = shots_dir();
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
    let mut h = crate::rendered_window(eventscape::examples::DEFAULT.model().unwrap());
    h.get_by_label("payment — 2 × 4 workers").click();
    save(&mut h, "edit-selected-service");
    let saga = "checkout — run by checkout, started by OrderPlaced";
    h.get_by_label(saga).scroll_to_me();
    h.run();
    h.get_by_label(saga).click();
    save(&mut h, "edit-selected-saga");
    h.get_by_label("payment — 2 × 4 workers").scroll_to_me();
    h.run();
    h.get_by_label("payment — 2 × 4 workers").click();
    h.run_steps(2);
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
    h.get_by_label("OK").click();
    h.run_steps(2);
}

/// The export dialog over the built-in example a third of the way into its run: the
/// SVG preview with the overlay of the run so far, then a text format's preview.
#[test]
#[ignore]
fn export_shots() {
    use egui_kittest::kittest::Queryable;
    std::fs::create_dir_all(shots_dir()).unwrap();
    let mut h = crate::rendered_window(eventscape::examples::DEFAULT.model().unwrap());
    h.state_mut()
        .send(Command::Seek(SimTime::from_nanos(200_000_000_000)));
    h.run_steps(3);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.run_steps(3);
    save(&mut h, "export-dialog");
    h.get_by_label("with the simulation overlay (runs the model)")
        .click();
    // The preview is drawn in the background.
    for _ in 0..50 {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    save(&mut h, "export-preview-overlay");
    h.get_by_label("Format").click();
    h.run_steps(2);
    h.get_by_label("Mermaid flowchart").click();
    for _ in 0..20 {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    save(&mut h, "export-preview-mermaid");
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
    ); // The 50-service bench model, as it opens (no positions in the file).
    let large = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/bench/large.ron");
    let large = eventscape::model::parse(&std::fs::read_to_string(large).unwrap()).unwrap();
    shoot("bench-large", large, false, false);
}

#[test]
#[ignore]
fn simulation_shots() {
    use egui_kittest::kittest::Queryable;
    let dir = std::env::var("SHOTS").unwrap_or_else(|_| "/tmp/shots".into());
    std::fs::create_dir_all(&dir).unwrap();
    for e in eventscape::examples::ALL {
        let mut h = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .wgpu()
            .build_ui_state(
                |ui, app: &mut EventscapeApp| app.window_ui(ui),
                EventscapeApp::new(Document::new(e.model().unwrap(), None)),
            );
        h.run_steps(2);
        // Into the first fault, if any, else a third of the way.
        let model = h.state().document().model.clone();
        let t = model
            .faults
            .first()
            .map(|f| f.at.as_nanos() + f.lasting.as_nanos() / 2)
            .unwrap_or(model.duration.as_nanos() / 3);
        h.state_mut().send(Command::Seek(SimTime::from_nanos(t)));
        h.state_mut().send(Command::SetSpeed(2));
        // The Verdict tab's title grows once judged: let the tabs settle first.
        h.run_steps(3);
        h.get_by_label("Bottlenecks").click();
        h.run_steps(3);
        save(&mut h, &format!("sim-{}", e.name));
        if e.name == "saga" {
            let svc = model.services[1].name.clone();
            h.get_by_label_contains(&format!("{svc} —")).click();
            save(&mut h, "sim-saga-live-inspector");
            h.get_by_label("Event log").click();
            save(&mut h, "sim-saga-event-log");
            h.get_by_label("Trace").click();
            h.run_steps(2);
            if let Some(b) = h.query_all_by_label_contains("(timed out)").next() {
                b.click();
            }
            save(&mut h, "sim-saga-trace");
            // Scrolled to a bar of the crashed service: its wait in the queue.
            if h.query_all_by_label_contains("@ inventory")
                .next()
                .is_some()
            {
                super::trace::hover_bar(&mut h, "ReserveStock @ inventory");
                save(&mut h, "sim-saga-trace-wait");
            }
            // Last: the graph's window stays open over what follows.
            h.get_by_label("Emergent process").click();
            save(&mut h, "sim-saga-process");
            h.get_by_label("Show the directly-follows graph").click();
            save(&mut h, "sim-saga-dfg");
        }
    }
}

#[test]
#[ignore]
fn trace_shots() {
    let dir = std::env::var("SHOTS").unwrap_or_else(|_| "/tmp/shots".into());
    std::fs::create_dir_all(&dir).unwrap();
    let builder = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .wgpu();
    let (mut h, _) = super::trace::compensated_trace_in(builder);
    save(&mut h, "sim-saga-trace-compensated");
    super::trace::hover_bar(&mut h, "ChargeCard @ payment");
    save(&mut h, "sim-saga-trace-hover");
}
