//! The docked layout: the diagram has the room, tiles never cover each other, they
//! resize by dragging the gaps, View > Reset layout restores them, and the layout is
//! remembered across restarts (eframe's storage).

use std::collections::HashMap;

use egui::{Key, Pos2, Rect};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use eventscape::app::{BottomTab, Document, EventscapeApp, Pane};
use eventscape::examples::DEFAULT;

const SIZE: egui::Vec2 = egui::vec2(1280.0, 800.0);

fn window(app: EventscapeApp) -> Harness<'static, EventscapeApp> {
    let mut h = Harness::builder()
        .with_size(SIZE)
        .build_ui_state(|ui, app: &mut EventscapeApp| app.window_ui(ui), app);
    h.run_steps(3);
    h
}

fn example() -> EventscapeApp {
    EventscapeApp::new(Document::new(DEFAULT.model().unwrap(), None))
}

fn click(h: &mut Harness<'_, EventscapeApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
}

fn rect(h: &Harness<'_, EventscapeApp>, pane: Pane) -> Rect {
    h.state()
        .pane_rect(pane)
        .unwrap_or_else(|| panic!("{pane:?} is shown"))
}

/// Every visible tile, which must not overlap the diagram nor each other.
fn assert_apart(h: &Harness<'_, EventscapeApp>) {
    let shown: Vec<(Pane, Rect)> = Pane::ALL
        .iter()
        .filter_map(|&p| h.state().pane_rect(p).map(|r| (p, r)))
        .collect();
    assert_eq!(
        shown.len(),
        4,
        "list, diagram, inspector, one view: {shown:?}"
    );
    for (i, (a, ra)) in shown.iter().enumerate() {
        assert!(
            Rect::from_min_size(Pos2::ZERO, SIZE).contains_rect(*ra),
            "{a:?} at {ra:?} is in the window"
        );
        for (b, rb) in &shown[i + 1..] {
            assert!(
                !ra.intersects(*rb),
                "{a:?} at {ra:?} and {b:?} at {rb:?} overlap"
            );
        }
    }
}

/// Press at `from`, move by `by` in a few steps, release.
fn drag(h: &mut Harness<'_, EventscapeApp>, from: Pos2, by: egui::Vec2) {
    h.hover_at(from);
    h.run_steps(1);
    h.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(1);
    for i in 1..=5 {
        h.hover_at(from + by * (i as f32 / 5.0));
        h.run_steps(1);
    }
    h.event(egui::Event::PointerButton {
        pos: from + by,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(3);
}

/// The gap between the element list and the diagram, half-way down.
fn list_edge(h: &Harness<'_, EventscapeApp>) -> Pos2 {
    let list = rect(h, Pane::Elements);
    let canvas = rect(h, Pane::Canvas);
    Pos2::new((list.right() + canvas.left()) / 2.0, canvas.center().y)
}

#[test]
fn the_diagram_has_most_of_the_room_and_nothing_covers_it() {
    let mut h = window(example());
    let canvas = rect(&h, Pane::Canvas);
    // It was ~740 × 420 with side and bottom panels around a central panel.
    assert!(
        canvas.width() > 760.0 && canvas.height() > 480.0,
        "the diagram's tile is {:?}",
        canvas.size()
    );
    eprintln!("RECTS {:?}", Pane::ALL.map(|p| h.state().pane_rect(p)));
    assert!(canvas.area() > 0.4 * SIZE.x * SIZE.y);
    assert_apart(&h);
    // The trace of an item that compensated: a long list of records, which stays in
    // its tile (it used to grow over the whole window).
    // The breakpoints are a menu of the toolbar.
    click(&mut h, "Pause on ⏷");
    click(&mut h, "a compensation");
    for _ in 0..4 {
        h.key_press(Key::CloseBracket);
        h.run_steps(1);
    }
    click(&mut h, "Play");
    for _ in 0..400 {
        h.run_steps(1);
        if !h.state().session().is_playing() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    click(&mut h, "Trace");
    assert_eq!(h.state().shown_tab(), Some(BottomTab::Trace));
    h.get_by_label_contains("(compensated)").click();
    h.run_steps(4);
    assert!(h.state().traced().is_some(), "an item is traced");
    click(&mut h, "Records");
    h.run_steps(10);
    assert_eq!(rect(&h, Pane::Canvas), canvas, "the diagram kept its room");
    assert_apart(&h);
}

#[test]
fn dragging_a_gap_resizes_the_tiles_beside_it_and_reset_layout_restores_them() {
    let mut h = window(example());
    let (list, canvas) = (rect(&h, Pane::Elements), rect(&h, Pane::Canvas));
    let edge = list_edge(&h);
    drag(&mut h, edge, egui::vec2(120.0, 0.0));
    let (wider, narrower) = (rect(&h, Pane::Elements), rect(&h, Pane::Canvas));
    assert!(
        (wider.width() - list.width() - 120.0).abs() < 8.0,
        "the list went from {} to {} wide",
        list.width(),
        wider.width()
    );
    assert!((canvas.right() - narrower.right()).abs() < 1.0);
    assert!(narrower.width() < canvas.width() - 100.0);
    assert_apart(&h);
    // The gap between the diagram and the tab bar of the views below it.
    let line = Pos2::new(narrower.center().x, narrower.bottom() + 1.5);
    drag(&mut h, line, egui::vec2(0.0, -100.0));
    assert!(
        rect(&h, Pane::Canvas).height() < narrower.height() - 80.0,
        "the diagram got lower: {:?}",
        rect(&h, Pane::Canvas)
    );
    assert_apart(&h);

    click(&mut h, "View");
    h.get_by_label_contains("Reset layout").click();
    h.run_steps(3);
    assert_eq!(rect(&h, Pane::Elements), list);
    assert_eq!(rect(&h, Pane::Canvas), canvas);
}

/// eframe's storage, in memory.
#[derive(Default)]
struct Memory(HashMap<String, String>);

impl eframe::Storage for Memory {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_layout_is_remembered_across_a_restart() {
    let mut h = window(example());
    let edge = list_edge(&h);
    drag(&mut h, edge, egui::vec2(100.0, 0.0));
    click(&mut h, "Event log");
    let (list, canvas) = (rect(&h, Pane::Elements), rect(&h, Pane::Canvas));
    let mut storage = Memory::default();
    eframe::App::save(h.state_mut(), &mut storage);
    drop(h);

    let h = window(example().restore(&storage));
    assert_eq!(rect(&h, Pane::Elements), list);
    assert_eq!(rect(&h, Pane::Canvas), canvas);
    assert_eq!(h.state().shown_tab(), Some(BottomTab::EventLog));

    // A layout this version cannot read is ignored: the default one is used.
    let mut broken = Memory::default();
    eframe::Storage::set_string(&mut broken, "eventscape-layout", "(garbage".into());
    let h = window(example().restore(&broken));
    let fresh = window(example());
    assert_eq!(rect(&h, Pane::Canvas), rect(&fresh, Pane::Canvas));
}

#[test]
fn the_default_layout_with_the_built_in_example() {
    let mut h = Harness::builder()
        .with_size(SIZE)
        .wgpu()
        .build_ui_state(|ui, app: &mut EventscapeApp| app.window_ui(ui), example());
    h.run_steps(4);
    h.snapshot_options(
        "dock_default_layout",
        &SnapshotOptions::new().threshold(2.0).max_failed_pixels(200),
    );
}
