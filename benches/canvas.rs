//! Canvas frame time (criterion). Run with `cargo bench --bench canvas`.
//!
//! The whole editor window (element list, inspector, problems, canvas) at 1280×800 on
//! a model of 200 boxes and 420 arrows, laid out by the layered layout:
//! - `frame_cpu`: one egui frame (the app's UI, egui_graphs drawing every box and
//!   arrow) and its tessellation into triangles: the work done on the UI thread.
//! - `frame_rendered`: the same plus rasterising it with wgpu on Mesa's software
//!   renderer (llvmpipe) and copying the image back to memory: no GPU involved. The
//!   copy back is work the app does not do; `EVENTSCAPE_FRAME_STATS=1` on the real app
//!   measures what it does (see README).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use eventscape::app::{Document, EventscapeApp};
use eventscape::model::Model;

/// `models/bench/canvas-200.ron` (made by `tools/gen_canvas_model.py`): 100
/// services, 80 topics, 20 sources, 420 arrows.
fn big_model() -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/bench/canvas-200.ron");
    eventscape::model::load_file(&path).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn harness(render: bool) -> Harness<'static, EventscapeApp> {
    let model = big_model();
    let mut builder = Harness::builder().with_size(egui::vec2(1280.0, 800.0));
    if render {
        builder = builder.wgpu();
    }
    let mut h = builder.build_ui_state(
        |ui, app: &mut EventscapeApp| app.window_ui(ui),
        EventscapeApp::new(Document::new(model, None)),
    );
    let arch = eventscape::diagram::arch_graph(&h.state().document().model);
    assert_eq!(arch.nodes.len(), 200);
    assert!(arch.edges.len() >= 400, "{} arrows", arch.edges.len());
    h.run_steps(3);
    h
}

fn frames(c: &mut Criterion) {
    let mut g = c.benchmark_group("canvas_200_boxes");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    let mut h = harness(false);
    g.bench_function("frame_cpu", |b| {
        b.iter(|| {
            h.step();
            let out = h.output();
            let shapes = out.shapes.clone();
            black_box(h.ctx.tessellate(shapes, out.pixels_per_point));
        });
    });
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

criterion_group!(benches, frames);
criterion_main!(benches);
