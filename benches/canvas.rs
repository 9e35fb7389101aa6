//! Canvas frame time (criterion). Run with `cargo bench --bench canvas`.
//!
//! The whole editor window (element list, inspector, problems, canvas) at 1280×800 on
//! a model of 200 boxes and 420 arrows (`canvas_200_boxes`), and on the generator's
//! enterprise model of 470 services (`canvas_1000_boxes`: 997 boxes), laid out by the
//! layered layout:
//! - `frame_cpu`: one egui frame (the app's UI, egui_graphs drawing every box and
//!   arrow) and its tessellation into triangles: the work done on the UI thread.
//! - `frame_rendered`: the same plus rasterising it with wgpu on Mesa's software
//!   renderer (llvmpipe) and copying the image back to memory: no GPU involved. The
//!   copy back is work the app does not do; `EVENTSCAPE_FRAME_STATS=1` on the real app
//!   measures what it does (see README).
//! - at 1,000 boxes, `frame_cpu` on the context map the model opens on, and
//!   `frame_cpu_diagram` on the diagram fitted to the window (domains collapsed by
//!   the level of detail); `…_playing`: the same while the simulation plays at the
//!   default speed, the live figures drawn.

// A benchmark is a test harness: a model that fails to build should stop it loudly.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventscape::app::{Command, Document, EventscapeApp};
use eventscape::examples::enterprise::Enterprise;
use eventscape::model::Model;

/// `models/bench/canvas-200.ron` (made by `tools/gen_canvas_model.py`): 100
/// services, 80 topics, 20 sources, 420 arrows.
fn big_model() -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/bench/canvas-200.ron");
    eventscape::model::load_file(&path).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

/// The enterprise model of 470 services in 20 domains: 470 services, 470 topics, 47
/// sources and 10 sagas; 10 minutes long, so that it keeps playing while measured.
fn enterprise_model() -> Model {
    let mut m = Enterprise::new(470, 20).unwrap().model();
    m.duration = eventscape::model::Duration::from_secs(600);
    m
}

fn harness(render: bool) -> Harness<'static, EventscapeApp> {
    let h = harness_of(big_model(), render);
    let arch = eventscape::diagram::arch_graph(&h.state().document().model);
    assert_eq!(arch.nodes.len(), 200);
    assert!(arch.edges.len() >= 400, "{} arrows", arch.edges.len());
    h
}

fn harness_of(model: Model, render: bool) -> Harness<'static, EventscapeApp> {
    let mut builder = Harness::builder().with_size(egui::vec2(1280.0, 800.0));
    if render {
        builder = builder.wgpu();
    }
    let mut h = builder.build_ui_state(
        |ui, app: &mut EventscapeApp| app.window_ui(ui),
        EventscapeApp::new(Document::new(model, None)),
    );
    h.run_steps(3);
    h
}

/// One frame and its tessellation: the UI thread's work.
fn frame_cpu(h: &mut Harness<'static, EventscapeApp>) {
    h.step();
    let out = h.output();
    let shapes = out.shapes.clone();
    black_box(h.ctx.tessellate(shapes, out.pixels_per_point));
}

fn frames(c: &mut Criterion) {
    let mut g = c.benchmark_group("canvas_200_boxes");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    let mut h = harness(false);
    g.bench_function("frame_cpu", |b| b.iter(|| frame_cpu(&mut h)));
    let mut h = harness(true);
    g.bench_function("frame_rendered", |b| {
        b.iter(|| {
            h.step();
            black_box(
                h.render()
                    .unwrap_or_else(|e| panic!("the frame does not render: {e}")),
            );
        });
    });
    g.finish();
}

fn frames_1000(c: &mut Criterion) {
    let mut g = c.benchmark_group("canvas_1000_boxes");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    // A model this big opens on the context map; the diagram is one key away.
    let mut h = harness_of(enterprise_model(), false);
    let arch = eventscape::diagram::arch_graph(&h.state().document().model);
    assert_eq!(arch.nodes.len(), 997);
    eprintln!("canvas_1000_boxes: {} arrows", arch.edges.len());
    g.bench_function("frame_cpu", |b| b.iter(|| frame_cpu(&mut h)));
    show_diagram(&mut h);
    g.bench_function("frame_cpu_diagram", |b| b.iter(|| frame_cpu(&mut h)));
    h.state_mut().send(Command::ShowContextMap);
    h.run_steps(2);
    h.state_mut().send(Command::PlayPause);
    h.run_steps(2);
    assert!(h.state().session().is_playing(), "the run plays");
    g.bench_function("frame_cpu_playing", |b| b.iter(|| frame_cpu(&mut h)));
    show_diagram(&mut h);
    g.bench_function("frame_cpu_diagram_playing", |b| {
        b.iter(|| frame_cpu(&mut h));
    });
    assert!(h.state().session().is_playing(), "still playing at the end");
    g.finish();
}

/// Bring the diagram forward (the whole model in view) and check it is drawn.
fn show_diagram(h: &mut Harness<'static, EventscapeApp>) {
    h.state_mut().send(Command::ShowDiagram);
    h.state_mut().send(Command::FitView);
    h.run_steps(3);
    assert!(
        h.query_by_label("Collapse domain domain-01").is_some()
            || h.query_by_label("Expand domain domain-01").is_some(),
        "the diagram with its domains is in front"
    );
}

/// Opening the 1,000-service model (1,000 services in 20 domains, 1,000 topics, 100
/// sources): its RON text parsed, the window built and its first frames drawn, as
/// the app does for a file given at start. Without positions the diagram is laid out
/// on the way; with them (a file saved from the app) it is not.
fn opening(c: &mut Criterion) {
    let mut g = c.benchmark_group("open_1000_services");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let model = Enterprise::new(1000, 20).unwrap().model();
    let bare = eventscape::model::to_ron(&model).unwrap();
    let mut placed = model.clone();
    eventscape::diagram::apply_layout(&mut placed);
    let placed = eventscape::model::to_ron(&placed).unwrap();
    for (name, text) in [("without_positions", &bare), ("with_positions", &placed)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let model = eventscape::model::parse(text).unwrap();
                let mut h = harness_of(model, false);
                h.step();
                black_box(h.output().shapes.len())
            });
        });
    }
    g.finish();
}

criterion_group!(benches, frames, frames_1000, opening);
criterion_main!(benches);
